//! The form that reports a publication, a profile or a message to the moderators.

use leptos::prelude::*;

use super::model::{REASON_MAX, ReportedKind};
use super::server_fns::ReportContent;
use crate::i18n::{Msg, use_i18n};
use crate::ui::errors::{ActionError, FieldMessage, last_error};

/// "Пожаловаться": a reason, sent to the moderators; thanks once it is sent.
#[component]
pub fn ReportForm(kind: ReportedKind, id: u64) -> impl IntoView {
    let i18n = use_i18n();
    let report = ServerAction::<ReportContent>::new();
    let error = last_error(report.value());
    let sent = move || matches!(report.value().get(), Some(Ok(())));
    let field = format!("report-reason-{}-{id}", kind.as_db());
    view! {
        <details class="report" data-test="report">
            <summary>{move || i18n.t(Msg::ModReport)}</summary>
            <Show
                when=sent
                fallback=move || {
                    let field = field.clone();
                    view! {
                        <ActionForm action=report attr:class="form stack" attr:data-test="report-form">
                            <input type="hidden" name="kind" value=kind.as_db() />
                            <input type="hidden" name="id" value=id.to_string() />
                            <ActionError error />
                            <div class="field">
                                <label for=field.clone()>{move || i18n.t(Msg::ModReportReason)}</label>
                                <textarea id=field name="reason" rows="2" maxlength=REASON_MAX.to_string() required=true data-test="report-reason"></textarea>
                                <FieldMessage error field="reason" />
                            </div>
                            <button type="submit" class="secondary" data-test="report-submit" disabled=move || report.pending().get()>
                                {move || i18n.t(Msg::ModSendReport)}
                            </button>
                        </ActionForm>
                    }
                }
            >
                <p class="notice success" role="status" data-test="report-sent">{move || i18n.t(Msg::ModReportSent)}</p>
            </Show>
        </details>
    }
}
