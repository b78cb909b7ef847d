//! Citizens' requests for datasets on the catalogue page: the form (for signed-in users)
//! and the newest requests with the moderators' answers, public like every answer.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::auth::components::use_auth;
use crate::i18n::{Msg, format_local_datetime, use_i18n};
use crate::opendata::manage_fns::{OpendataRequestDataset, opendata_requests};
use crate::opendata::model::DatasetRequest;
use crate::ui::errors::{ActionError, ErrorPage, FieldMessage, last_error};

/// The requests section of `/opendata`.
#[component]
pub fn DatasetRequests() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let ask = ServerAction::<OpendataRequestDataset>::new();
    let requests = Resource::new(move || ask.version().get(), |_| opendata_requests());
    let error = last_error(ask.value());
    view! {
        <section class="stack" data-test="dataset-requests">
            <h2>{move || i18n.t(Msg::OdRequestsTitle)}</h2>
            <p>{move || i18n.t(Msg::OdRequestLead)}</p>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match auth.user.await.ok().flatten() {
                        None => view! {
                            <p class="muted"><A href="/login">{move || i18n.t(Msg::SignIn)}</A> " — " {move || i18n.t(Msg::OdRequestSignIn)}</p>
                        }.into_any(),
                        Some(_) => view! {
                            <ActionForm action=ask attr:class="form stack" attr:data-test="request-form">
                                <ActionError error />
                                <div class="field">
                                    <label for="request-title">{move || i18n.t(Msg::OdRequestTitleField)}</label>
                                    <input id="request-title" name="title" required maxlength="300" data-test="request-title" />
                                    <FieldMessage error field="title" />
                                </div>
                                <div class="field">
                                    <label for="request-details">{move || i18n.t(Msg::OdRequestDetails)}</label>
                                    <textarea id="request-details" name="details" rows="3" data-test="request-details"></textarea>
                                    <FieldMessage error field="details" />
                                </div>
                                <div class="form-actions">
                                    <button type="submit" class="primary" data-test="request-send" disabled=move || ask.pending().get()>{move || i18n.t(Msg::OdRequestSend)}</button>
                                </div>
                                {move || matches!(ask.value().get(), Some(Ok(_))).then(|| view! {
                                    <p class="notice" role="status" data-test="request-sent">{move || i18n.t(Msg::OdRequestSent)}</p>
                                })}
                            </ActionForm>
                        }.into_any(),
                    }
                })}
            </Transition>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match requests.await {
                        Err(error) => view! { <ErrorPage error /> }.into_any(),
                        Ok(requests) if requests.is_empty() => view! { <p class="muted">{move || i18n.t(Msg::OdRequestsNone)}</p> }.into_any(),
                        Ok(requests) => view! {
                            <ul class="stack" data-test="requests">
                                {requests.into_iter().map(|request| view! { <RequestItem request /> }).collect_view()}
                            </ul>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn RequestItem(request: DatasetRequest) -> impl IntoView {
    let i18n = use_i18n();
    let created = request.created_at;
    let answered = request.answered_at;
    view! {
        <li class="card stack" data-test="request">
            <strong>{request.title.clone()}</strong>
            {(!request.details.is_empty()).then(|| view! { <p>{request.details.clone()}</p> })}
            <p class="muted">{request.author.clone()} " · " {move || format_local_datetime(i18n.locale(), created)}</p>
            {match (request.answer.clone(), answered) {
                (Some(answer), Some(at)) => view! {
                    <div class="answer" data-test="request-answer">
                        <p><strong>{move || i18n.t(Msg::OdAnswer)}</strong> " (" {move || format_local_datetime(i18n.locale(), at)} "): " {answer}</p>
                        {request.dataset.clone().map(|(identifier, title)| view! {
                            <p><A href=format!("/opendata/{identifier}")>{title}</A></p>
                        })}
                    </div>
                }.into_any(),
                _ => view! { <p class="muted" data-test="request-waiting">{move || i18n.t(Msg::OdAwaitingAnswer)}</p> }.into_any(),
            }}
        </li>
    }
}
