//! The account page's Open311 section: issue (or replace) and revoke an API key.

use leptos::prelude::*;

use super::server_fns::{IssueApiKey, RevokeApiKey, has_api_key};
use crate::i18n::{Msg, use_i18n};
use crate::ui::errors::{ActionError, last_error};

/// Issue and revoke the user's Open311 API key; a new key is shown once.
#[component]
pub fn ApiKeySection() -> impl IntoView {
    let i18n = use_i18n();
    let issue = ServerAction::<IssueApiKey>::new();
    let revoke = ServerAction::<RevokeApiKey>::new();
    let has_key = Resource::new(
        move || (issue.version().get(), revoke.version().get()),
        |_| has_api_key(),
    );
    let error = Signal::derive(move || {
        last_error(issue.value())
            .get()
            .or_else(|| last_error(revoke.value()).get())
    });
    let new_key = move || issue.value().get().and_then(Result::ok);
    view! {
        <section class="stack" data-test="api-key">
            <h2>{move || i18n.t(Msg::ApiKeyTitle)}</h2>
            <p class="muted">{move || i18n.t(Msg::ApiKeyHelp)}</p>
            <ActionError error />
            {move || new_key().map(|key| view! {
                <p class="notice success" role="status">
                    {move || i18n.t(Msg::ApiKeyShownOnce)} " " <code data-test="new-api-key">{key.clone()}</code>
                </p>
            })}
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let has_key = has_key.await.unwrap_or(false);
                    view! {
                        <p>{move || i18n.t(if has_key { Msg::ApiKeyActive } else { Msg::ApiKeyNone })}</p>
                        <div class="row">
                            <ActionForm action=issue>
                                <button type="submit" class="primary" data-test="issue-api-key">{move || i18n.t(if has_key { Msg::ApiKeyReplace } else { Msg::ApiKeyIssue })}</button>
                            </ActionForm>
                            {has_key.then(|| view! {
                                <ActionForm action=revoke>
                                    <button type="submit" class="secondary" data-test="revoke-api-key">{move || i18n.t(Msg::ApiKeyRevoke)}</button>
                                </ActionForm>
                            })}
                        </div>
                    }
                })}
            </Transition>
        </section>
    }
}
