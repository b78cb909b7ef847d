//! The bell in the header and the notifications page.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use super::server_fns::{MarkNotificationsRead, my_notifications, unread_notifications};
use crate::auth::components::use_auth;
use crate::i18n::{Msg, format_local_datetime, use_i18n};
use crate::ui::errors::ErrorPage;
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
