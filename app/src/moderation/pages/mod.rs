//! `/manage/reports`: reported publications, albums, challenges, solutions, profiles and
//! messages, most reported first, each with the form of the moderator's decision.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use super::model::{Decision, REASON_MAX, ReportedItem, ReportedKind, SUSPENSION_DAYS_MAX};
use super::server_fns::{DecideReport, load_report_queue};
use crate::auth::components::RequireRole;
use crate::auth::model::MODERATORS;
use crate::i18n::{Msg, format_local_datetime, use_i18n};
use crate::ui::errors::{ActionError, ErrorPage, FieldMessage, last_error};

fn kind_msg(kind: ReportedKind) -> Msg {
    match kind {
        ReportedKind::Publication => Msg::ModKindPublication,
        ReportedKind::Person => Msg::ModKindPerson,
        ReportedKind::Message => Msg::ModKindMessage,
        ReportedKind::Gallery => Msg::ModKindGallery,
        ReportedKind::Challenge => Msg::ModKindChallenge,
        ReportedKind::Solution => Msg::ModKindSolution,
    }
}

fn decision_msg(decision: Decision) -> Msg {
    match decision {
        Decision::Hide => Msg::ModHide,
        Decision::Remove => Msg::ModRemove,
        Decision::Warn => Msg::ModWarn,
        Decision::Suspend => Msg::ModSuspend,
        Decision::Dismiss => Msg::ModDismiss,
    }
}

/// The moderators' queue of reports beyond comments.
#[component]
pub fn ReportsQueuePage() -> impl IntoView {
    let i18n = use_i18n();
    let decide = ServerAction::<DecideReport>::new();
    let queue = Resource::new(move || decide.version().get(), |_| load_report_queue());
    view! {
        <RequireRole roles=MODERATORS>
            <Title text=move || i18n.t(Msg::ModQueue) />
            <h1 class="page-title">{move || i18n.t(Msg::ModQueue)}</h1>
            <p class="muted">{move || i18n.t(Msg::ModQueueHelp)}</p>
            <ActionError error=last_error(decide.value()) />
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match queue.await {
                        Err(error) => view! { <ErrorPage error /> }.into_any(),
                        Ok(items) if items.is_empty() => view! {
                            <p class="notice" data-test="no-reports">{move || i18n.t(Msg::ModNoReports)}</p>
                        }.into_any(),
                        Ok(items) => view! {
                            <ul class="stack" data-test="reports">
                                {items.into_iter().map(|item| view! { <ReportedEntry item decide /> }).collect_view()}
                            </ul>
                        }.into_any(),
                    }
                })}
            </Transition>
        </RequireRole>
    }
}

#[component]
fn ReportedEntry(item: ReportedItem, decide: ServerAction<DecideReport>) -> impl IntoView {
    let i18n = use_i18n();
    let ReportedItem {
        kind,
        id,
        author_id,
        author_name,
        excerpt,
        href,
        reports,
        latest_reason,
        first_at,
    } = item;
    let error = last_error(decide.value());
    let field = |name: &str| format!("{name}-{}-{id}", kind.as_db());
    let (decision_field, reason_field, days_field) =
        (field("decision"), field("reason"), field("days"));
    let decisions = Decision::ALL
        .into_iter()
        .filter(|decision| kind.allows(*decision))
        .map(|decision| view! { <option value=decision.as_db()>{move || i18n.t(decision_msg(decision))}</option> })
        .collect_view();
    view! {
        <li class="card stack" data-test="reported-item">
            <p class="muted">
                <span class="badge">{move || i18n.t(kind_msg(kind))}</span> " "
                <A href=format!("/people/{author_id}")>{author_name}</A>
                " · " {move || format!("{}: {reports}", i18n.t(Msg::CommentReports))}
                " · " {move || format_local_datetime(i18n.locale(), first_at)}
                {href.map(|href| view! { " · " <A href=href>{move || i18n.t(Msg::OpenSubject)}</A> })}
            </p>
            <blockquote class="prewrap" data-test="reported-text">{excerpt}</blockquote>
            <p><strong>{move || i18n.t(Msg::ModReportReason)}</strong> ": " <q data-test="reported-reason">{latest_reason}</q></p>
            <ActionForm action=decide attr:class="form stack" attr:data-test="decide-form">
                <input type="hidden" name="kind" value=kind.as_db() />
                <input type="hidden" name="id" value=id.to_string() />
                <div class="row">
                    <div class="field">
                        <label for=decision_field.clone()>{move || i18n.t(Msg::ModDecision)}</label>
                        <select id=decision_field name="decision" data-test="decision">{decisions}</select>
                    </div>
                    <div class="field">
                        <label for=days_field.clone()>{move || i18n.t(Msg::ModDays)}</label>
                        <input id=days_field type="number" name="days" min="1" max=SUSPENSION_DAYS_MAX.to_string() inputmode="numeric" data-test="days" />
                        <FieldMessage error field="days" />
                    </div>
                </div>
                <div class="field">
                    <label for=reason_field.clone()>{move || i18n.t(Msg::ModDecisionReason)}</label>
                    <textarea id=reason_field name="reason" rows="2" maxlength=REASON_MAX.to_string() required=true data-test="decision-reason"></textarea>
                    <FieldMessage error field="reason" />
                </div>
                <button type="submit" class="primary" data-test="decide" disabled=move || decide.pending().get()>{move || i18n.t(Msg::ModApply)}</button>
            </ActionForm>
        </li>
    }
}
