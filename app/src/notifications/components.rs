//! The bell in the header and the notifications page.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use super::server_fns::{
    MarkNotificationsRead, SaveNotificationSettings, my_notifications, notification_settings,
    unread_notifications,
};
use super::{Delivery, TOPICS};
use crate::auth::components::use_auth;
use crate::i18n::{Msg, format_local_datetime, use_i18n};
use crate::ui::errors::{ActionError, ErrorPage, last_error};
use crate::ui::header_count::HeaderCount;

/// The bell in the header: a link to the notifications with the unread count.
#[component]
pub fn NotificationBell() -> impl IntoView {
    let auth = use_auth();
    let unread = Resource::new(
        move || {
            auth.user
                .get()
                .map(|user| user.ok().flatten().map(|u| u.id))
        },
        |_| unread_notifications(),
    );
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let signed_in = matches!(auth.user.await, Ok(Some(_)));
                let count = unread.await.unwrap_or(0);
                signed_in.then(|| view! {
                    <HeaderCount href="/notifications" label=Msg::Notifications count=u64::try_from(count).unwrap_or_default() test_id="bell" count_test_id="bell-count">
                        // Drawn inline: an emoji bell depends on the phone's fonts and shows as
                        // a missing-glyph box where none has it.
                        <svg class="bell-icon" aria-hidden="true" viewBox="0 0 24 24" width="24" height="24"
                            fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">
                            <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
                            <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
                        </svg>
                    </HeaderCount>
                })
            })}
        </Transition>
    }
}

/// `/notifications`: the signed-in user's notifications.
#[component]
pub fn NotificationsPage() -> impl IntoView {
    let i18n = use_i18n();
    let mark = ServerAction::<MarkNotificationsRead>::new();
    let list = Resource::new(move || mark.version().get(), |_| my_notifications());
    view! {
        <Title text=move || i18n.t(Msg::Notifications) />
        <h1 class="page-title">{move || i18n.t(Msg::Notifications)}</h1>
        <ActionForm action=mark>
            <button type="submit" class="secondary" data-test="mark-read">{move || i18n.t(Msg::MarkAllRead)}</button>
        </ActionForm>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match list.await {
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                    Ok(items) if items.is_empty() => view! { <p class="notice">{move || i18n.t(Msg::NoNotifications)}</p> }.into_any(),
                    Ok(items) => view! {
                        <ul class="stack notifications" data-test="notifications">
                            {items.into_iter().map(|item| {
                                let href = item.href.clone();
                                let title = item.title.clone();
                                view! {
                                    <li class=if item.read { "notification" } else { "notification unread" } data-test="notification">
                                        <span class="muted">{move || format_local_datetime(i18n.locale(), item.at)}</span>
                                        " "
                                        <strong>{move || i18n.t(item.kind.msg())}</strong>
                                        " "
                                        <A href=href>{title}</A>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The account page's section of notification settings: for each topic, whether its
/// notifications ring the bell and come by e-mail.
#[component]
pub fn NotificationSettingsSection() -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveNotificationSettings>::new();
    let error = last_error(save.value());
    let saved = move || matches!(save.value().get(), Some(Ok(())));
    let settings = Resource::new(move || save.version().get(), |_| notification_settings());
    view! {
        <section class="stack" id="notification-settings" data-test="notification-settings">
            <h2>{move || i18n.t(Msg::NtfSettings)}</h2>
            <p class="muted">{move || i18n.t(Msg::NtfSettingsHelp)}</p>
            <ActionForm action=save attr:class="form stack" attr:data-test="notification-settings-form">
                <ActionError error />
                <Show when=saved>
                    <p class="notice success" role="status" data-test="notification-settings-saved">{move || i18n.t(Msg::MailSettingsSaved)}</p>
                </Show>
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        settings.await.ok().map(|settings| {
                            settings.into_iter().filter_map(|(topic, current)| {
                                let label = TOPICS.iter().find(|(kind, _)| kind.as_str() == topic)?.1;
                                let id = format!("notify-{topic}");
                                Some(view! {
                                    <div class="field">
                                        <label for=id.clone()>{move || i18n.t(label)}</label>
                                        <select id=id name=format!("choices[{topic}]") data-test=format!("notify-{topic}")>
                                            {Delivery::ALL.into_iter().map(|delivery| view! {
                                                <option value=delivery.as_param() selected=delivery == current>{move || i18n.t(delivery.msg())}</option>
                                            }).collect_view()}
                                        </select>
                                    </div>
                                })
                            }).collect_view()
                        })
                    })}
                </Transition>
                <div class="form-actions">
                    <button type="submit" class="primary" data-test="notification-settings-save" disabled=move || save.pending().get()>
                        {move || i18n.t(Msg::Save)}
                    </button>
                </div>
            </ActionForm>
        </section>
    }
}
