//! The account page's section of the person's own data: the download and the deletion.

use leptos::prelude::*;

use super::server_fns::DeleteAccount;
use crate::i18n::{Msg, use_i18n};
use crate::ui::errors::{ActionError, FieldMessage, last_error};

/// "My data": download everything as a ZIP, or delete the account.
#[component]
pub fn YourDataSection() -> impl IntoView {
    let i18n = use_i18n();
    let delete = ServerAction::<DeleteAccount>::new();
    let error = last_error(delete.value());
    // Signed out and gone: a full load of the home page drops every trace of the session.
    Effect::new(move |_| {
        if matches!(delete.value().get(), Some(Ok(()))) {
            #[cfg(feature = "hydrate")]
            let _ = window().location().set_href("/");
        }
    });
    view! {
        <section class="stack" id="your-data" data-test="your-data">
            <h2>{move || i18n.t(Msg::AccYourData)}</h2>
            <p class="muted">{move || i18n.t(Msg::AccDownloadHelp)}</p>
            <p>
                <a href="/api/v1/account/data" class="button secondary" download="" rel="external" data-test="download-data">
                    {move || i18n.t(Msg::AccDownload)}
                </a>
            </p>
            <details class="card" data-test="delete-account">
                <summary>{move || i18n.t(Msg::AccDelete)}</summary>
                <p>{move || i18n.t(Msg::AccDeleteHelp)}</p>
                <ActionForm action=delete attr:class="form stack" attr:data-test="delete-account-form">
                    <ActionError error />
                    <div class="field">
                        <label>
                            <input type="checkbox" name="confirm" value="yes" data-test="delete-confirm" />
                            " " {move || i18n.t(Msg::AccDeleteConfirm)}
                        </label>
                        <FieldMessage error field="confirm" />
                    </div>
                    <div class="field">
                        <label for="delete-password">{move || i18n.t(Msg::Password)}</label>
                        <input id="delete-password" type="password" name="password" autocomplete="current-password" required=true data-test="delete-password" />
                        <FieldMessage error field="password" />
                    </div>
                    <button type="submit" class="danger" data-test="delete-submit" disabled=move || delete.pending().get()>
                        {move || i18n.t(Msg::AccDeleteForever)}
                    </button>
                </ActionForm>
            </details>
        </section>
    }
}
