//! The header's link to the messages with the unread count, the form that writes to a
//! person (on their profile and on a problem's page), a conversation's line in a list,
//! and the problem page's section of its conversations.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};

use super::model::{BODY_MAX, ConversationSummary, ProblemConversations};
use super::server_fns::{StartConversation, load_problem_conversations, load_unread};
use crate::auth::components::use_auth;
use crate::i18n::{Msg, format_local_datetime, use_i18n};
use crate::ui::errors::{ActionError, FieldMessage, last_error};
use crate::ui::header_count::HeaderCount;
use platform::ids::UserId;

/// The link to the messages in the header, with the unread count.
#[component]
pub fn MessagesLink() -> impl IntoView {
    let auth = use_auth();
    let unread = Resource::new(
        move || {
            auth.user
                .get()
                .map(|user| user.ok().flatten().map(|u| u.id))
        },
        |_| load_unread(),
    );
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let signed_in = matches!(auth.user.await, Ok(Some(_)));
                let count = unread.await.unwrap_or(0);
                signed_in.then(|| view! {
                    <HeaderCount href="/messages" label=Msg::DmMessages count=u64::from(count) test_id="messages-link" count_test_id="messages-unread">
                        <svg class="bell-icon" aria-hidden="true" viewBox="0 0 24 24" width="24" height="24"
                            fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">
                            <path d="M21 15a2 2 0 0 1-2 2H7l-4 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z" />
                        </svg>
                    </HeaderCount>
                })
            })}
        </Transition>
    }
}

/// The form that writes to person `to` (about problem `problem`, when given); a success
/// opens the conversation.
#[component]
pub fn WriteMessageForm(to: UserId, #[prop(optional)] problem: Option<u64>) -> impl IntoView {
    let i18n = use_i18n();
    let start = ServerAction::<StartConversation>::new();
    let error = last_error(start.value());
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(message)) = start.value().get() {
            navigate(
                &format!("/messages/{}", message.conversation),
                Default::default(),
            );
        }
    });
    view! {
        <ActionForm action=start attr:class="form stack" attr:data-test="write-message-form">
            <input type="hidden" name="to" value=to.to_string() />
            <input type="hidden" name="problem" value=problem.map(|id| id.to_string()).unwrap_or_default() />
            <ActionError error />
            <FieldMessage error field="recipient" />
            <div class="field">
                <label for="write-message-body">{move || i18n.t(Msg::DmMessage)}</label>
                <textarea id="write-message-body" name="body" rows="3" maxlength=BODY_MAX.to_string() required=true></textarea>
                <FieldMessage error field="body" />
            </div>
            <button type="submit" class="primary" data-test="write-message-submit" disabled=move || start.pending().get()>
                {move || i18n.t(Msg::DmSend)}
            </button>
        </ActionForm>
    }
}

/// A conversation's line in a list: with whom, about what, the newest message and the
/// unread count.
#[component]
pub fn ConversationLine(conversation: ConversationSummary) -> impl IntoView {
    let i18n = use_i18n();
    let ConversationSummary {
        id,
        with_id,
        with_name,
        problem,
        last,
        last_at,
        unread,
        ..
    } = conversation;
    let own_last = last.as_ref().is_some_and(|(_, sender)| *sender != with_id);
    let has_unread = unread > 0;
    view! {
        <li class="conversation" class:unread=has_unread data-test="conversation">
            <A href=format!("/messages/{id}") attr:class="conversation-with">{with_name}</A>
            {problem.map(|(problem, title)| view! {
                <span class="muted">{move || i18n.t(Msg::DmAboutProblem)}" "<A href=format!("/problems/{problem}")>{title.clone()}</A></span>
            })}
            {last.map(|(text, _)| view! {
                <span class="conversation-last">
                    {own_last.then(|| view! { <span class="muted">{move || i18n.t(Msg::DmYou)}": "</span> })}
                    {text}
                </span>
            })}
            {last_at.map(|at| view! { <span class="muted">{move || format_local_datetime(i18n.locale(), at)}</span> })}
            {has_unread.then(|| view! { <span class="count-badge" data-test="conversation-unread">{unread}</span> })}
        </li>
    }
}

/// The section the route table adds to a problem's page: the reader's conversations
/// about it, and for an official of a department answering for it the form that writes
/// to its author.
#[component]
pub fn ProblemConversationsSection() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let conversations = Resource::new(
        move || params.with(|p| p.get("id").unwrap_or_default()),
        load_problem_conversations,
    );
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let ProblemConversations { conversations, author } = conversations.await.unwrap_or_default();
                let problem = params.with_untracked(|p| p.get("id").unwrap_or_default()).parse::<u64>().ok();
                (!conversations.is_empty() || author.is_some()).then(|| view! {
                    <section class="card stack" data-test="problem-conversations">
                        <h2>{move || i18n.t(Msg::DmProblemConversations)}</h2>
                        <ul class="conversations">
                            {conversations.into_iter().map(|conversation| view! { <ConversationLine conversation /> }).collect_view()}
                        </ul>
                        {author.map(|author| view! {
                            <details data-test="write-to-author">
                                <summary>{move || i18n.t(Msg::DmWriteToAuthor)}</summary>
                                <WriteMessageForm to=author problem=problem.unwrap_or_default() />
                            </details>
                        })}
                    </section>
                })
            })}
        </Transition>
    }
}
