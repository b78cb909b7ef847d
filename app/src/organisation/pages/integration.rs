//! `/manage/departments/:id/integration`: an admin connects a department's document-flow
//! system: the webhook endpoint its events go to (with the delivery log and a retry), and
//! the answers-API tokens it answers with (issued once, revoked at will).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::auth::components::RequireRole;
use crate::auth::model::ADMINS;
use crate::i18n::{Msg, format_local_datetime, use_i18n};
use crate::organisation::server_fns::{
    IssueDepartmentToken, RetryDepartmentWebhook, RevokeDepartmentToken, SaveDepartmentWebhook,
    WEBHOOK_EVENT_KINDS, department_webhook, department_webhook_deliveries, list_department_tokens,
    list_departments,
};
use crate::ui::errors::{ActionError, last_error};
use crate::ui::form::Field;
use crate::ui::table::TableHead;

/// The page.
#[component]
pub fn DepartmentIntegrationPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let save = ServerAction::<SaveDepartmentWebhook>::new();
    let retry = ServerAction::<RetryDepartmentWebhook>::new();
    let issue = ServerAction::<IssueDepartmentToken>::new();
    let revoke = ServerAction::<RevokeDepartmentToken>::new();
    let save_error = last_error(save.value());
    let retry_error = last_error(retry.value());
    let issue_error = last_error(issue.value());
    let revoke_error = last_error(revoke.value());
    let department = Resource::new(
        move || id.get(),
        |id| async move {
            let departments = list_departments().await?;
            Ok::<_, platform::error::AppError>(
                departments
                    .into_iter()
                    .find(|department| department.id.to_string() == id),
            )
        },
    );
    // Read again only after a save that succeeded: a refused one keeps the form (and what
    // was typed in it) as it is, beside its errors.
    let endpoint = Resource::new(
        move || (id.get(), save.value().get().and_then(Result::ok)),
        |(id, _)| department_webhook(id),
    );
    let deliveries = Resource::new(
        move || (id.get(), save.version().get(), retry.version().get()),
        |(id, _, _)| department_webhook_deliveries(id),
    );
    let tokens = Resource::new(
        move || (id.get(), issue.version().get(), revoke.version().get()),
        |(id, _, _)| list_department_tokens(id),
    );
    let issued = move || issue.value().get().and_then(Result::ok);
    // Resources are created here, outside the gate: created inside its async branch they
    // would not match their server-rendered values when the page hydrates.
    view! {
        <RequireRole roles=ADMINS>
            <Title text=move || i18n.t(Msg::DepartmentIntegration) />
            <h1 class="page-title">{move || i18n.t(Msg::DepartmentIntegration)}</h1>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    department.await.ok().flatten().map(|department| view! {
                        <p class="lead" data-test="integration-department">{move || department.name(i18n.locale()).to_string()}</p>
                    })
                })}
            </Transition>
            <p>{move || i18n.t(Msg::IntegrationHelp)}</p>

            <h2>{move || i18n.t(Msg::Webhook)}</h2>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let current = endpoint.await.ok().flatten();
                    let url = current.as_ref().map(|e| e.url.clone()).unwrap_or_default();
                    let secret = current.as_ref().map(|e| e.secret.clone()).unwrap_or_default();
                    let kinds = current.as_ref().map_or_else(
                        || WEBHOOK_EVENT_KINDS.join(" "),
                        |e| e.event_kinds.join(" "),
                    );
                    let active = current.as_ref().is_none_or(|e| e.active);
                    view! {
                        <ActionForm action=save attr:class="form stack" attr:data-test="webhook-form">
                            <ActionError error=save_error />
                            <input type="hidden" name="id" value=id.get_untracked() />
                            <Field name="url" label=Msg::WebhookUrl kind="url" required=true error=save_error value=url />
                            <Field name="secret" label=Msg::WebhookSecret hint=Msg::WebhookSecretHint error=save_error value=secret />
                            <Field name="event_kinds" label=Msg::WebhookEventKinds hint=Msg::WebhookEventKindsHint error=save_error value=kinds />
                            <div class="field">
                                <label>
                                    <input type="checkbox" name="active" checked=active />
                                    <span>{move || i18n.t(Msg::WebhookActive)}</span>
                                </label>
                            </div>
                            <div class="form-actions">
                                <button type="submit" class="primary" data-test="submit">{move || i18n.t(Msg::Save)}</button>
                            </div>
                        </ActionForm>
                    }
                })}
            </Transition>

            <h2>{move || i18n.t(Msg::WebhookDeliveries)}</h2>
            <ActionError error=retry_error />
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let list = deliveries.await.unwrap_or_default();
                    if list.is_empty() {
                        return view! { <p data-test="no-deliveries">{move || i18n.t(Msg::NoDeliveries)}</p> }.into_any();
                    }
                    view! {
                        <div class="table-wrap" tabindex="0">
                            <table class="data-table" data-test="deliveries-table">
                                <TableHead columns=&[Msg::DeliveryEvent, Msg::When, Msg::Status, Msg::DeliveryAttempts, Msg::DeliveryNextAttempt, Msg::DeliveryLastError] actions=true />
                                <tbody>
                                    {list.into_iter().map(|delivery| {
                                        let status = match delivery.status.as_str() {
                                            "delivered" => Msg::DeliveryDelivered,
                                            "failed" => Msg::DeliveryFailed,
                                            _ => Msg::DeliveryPending,
                                        };
                                        let retryable = delivery.status != "delivered";
                                        let created = delivery.created_at;
                                        let next = delivery.next_attempt_at;
                                        view! {
                                            <tr data-test="delivery" data-status=delivery.status.clone()>
                                                <td><code>{format!("#{} {}", delivery.id, delivery.kind)}</code></td>
                                                <td>{move || format_local_datetime(i18n.locale(), created)}</td>
                                                <td>{move || i18n.t(status)}</td>
                                                <td>{delivery.attempts}</td>
                                                <td>{move || next.map(|at| format_local_datetime(i18n.locale(), at)).unwrap_or_default()}</td>
                                                <td class="wrap">{delivery.last_error.clone().unwrap_or_default()}</td>
                                                <td>
                                                    <Show when=move || retryable>
                                                        <ActionForm action=retry>
                                                            <input type="hidden" name="id" value=id.get_untracked() />
                                                            <input type="hidden" name="delivery" value=delivery.id.to_string() />
                                                            <button type="submit" class="link-button" data-test="retry">{move || i18n.t(Msg::RetryNow)}</button>
                                                        </ActionForm>
                                                    </Show>
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any()
                })}
            </Transition>

            <h2>{move || i18n.t(Msg::ApiTokens)}</h2>
            <p>{move || i18n.t(Msg::ApiTokensHelp)}</p>
            <ActionForm action=issue attr:class="form stack" attr:data-test="token-form">
                <ActionError error=issue_error />
                <input type="hidden" name="id" value=move || id.get() />
                <Field name="name" label=Msg::TokenSystem required=true error=issue_error />
                <div class="form-actions">
                    <button type="submit" class="primary" data-test="issue-token">{move || i18n.t(Msg::IssueToken)}</button>
                </div>
            </ActionForm>
            {move || issued().map(|token| view! {
                <div class="notice success" role="status">
                    <p>{move || i18n.t(Msg::IssuedTokenOnce)}</p>
                    <code class="token" data-test="issued-token">{token}</code>
                </div>
            })}
            <ActionError error=revoke_error />
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    tokens.await.map(|list| view! {
                        <div class="table-wrap" tabindex="0">
                            <table class="data-table" data-test="tokens-table">
                                <TableHead columns=&[Msg::TokenSystem, Msg::TokenIssuedAt, Msg::TokenLastUsed, Msg::Status] actions=true />
                                <tbody>
                                    {list.into_iter().map(|token| {
                                        let issued_at = token.issued_at;
                                        let last_used = token.last_used_at;
                                        let revoked = token.revoked_at;
                                        view! {
                                            <tr data-test="token">
                                                <td>{token.name.clone()}</td>
                                                <td>{move || format_local_datetime(i18n.locale(), issued_at)}</td>
                                                <td>{move || last_used.map(|at| format_local_datetime(i18n.locale(), at)).unwrap_or_default()}</td>
                                                <td data-test="token-status">{move || match revoked {
                                                    Some(at) => format!("{} {}", i18n.t(Msg::TokenRevoked), format_local_datetime(i18n.locale(), at)),
                                                    None => i18n.t(Msg::Active).to_string(),
                                                }}</td>
                                                <td>
                                                    <Show when=move || revoked.is_none()>
                                                        <ActionForm action=revoke>
                                                            <input type="hidden" name="id" value=id.get_untracked() />
                                                            <input type="hidden" name="token" value=token.id.to_string() />
                                                            <button type="submit" class="link-button danger" data-test="revoke-token">{move || i18n.t(Msg::RevokeToken)}</button>
                                                        </ActionForm>
                                                    </Show>
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    })
                })}
            </Transition>
        </RequireRole>
    }
}
