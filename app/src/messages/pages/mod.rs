//! `/messages`, the reader's conversations, and `/messages/{id}`, one conversation that
//! shows the other member's new messages as they arrive.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::components::ConversationLine;
use super::model::{BODY_MAX, ConversationDetail, Inbox, Message};
use super::server_fns::{SendMessage, load_conversation, load_inbox};
use crate::i18n::{Msg, format_local_datetime, use_i18n};
use crate::moderation::components::ReportForm;
use crate::moderation::model::ReportedKind;
use crate::ui::errors::{ActionError, ErrorPage, FieldMessage, last_error};
use crate::ui::typed_text::TypedText;

/// The reader's conversations, the newest first.
#[component]
pub fn MessagesPage() -> impl IntoView {
    let i18n = use_i18n();
    let url = use_query_map();
    let inbox = Resource::new(
        move || url.with(|q| q.get("before").unwrap_or_default()),
        load_inbox,
    );
    view! {
        <Title text=move || i18n.t(Msg::DmMessages) />
        <h1 class="page-title">{move || i18n.t(Msg::DmMessages)}</h1>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match inbox.await {
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                    Ok(Inbox { conversations, older, .. }) => view! {
                        {conversations.is_empty().then(|| view! { <p class="muted" data-test="no-conversations">{move || i18n.t(Msg::DmNoConversations)}</p> })}
                        <ul class="conversations stack" data-test="conversations">
                            {conversations.into_iter().map(|conversation| view! { <ConversationLine conversation /> }).collect_view()}
                        </ul>
                        {older.map(|older| view! {
                            <A href=format!("/messages?before={older}") attr:class="button secondary">{move || i18n.t(Msg::PubOlder)}</A>
                        })}
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

/// One conversation: its messages, oldest first, the form that writes, and the other
/// member's new messages as they arrive.
#[component]
pub fn ConversationPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let send = ServerAction::<SendMessage>::new();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    // Messages that arrived after the page loaded: sent here or delivered live.
    let arrived = RwSignal::new(Vec::<Message>::new());
    let detail = Resource::new(id, |id| load_conversation(id, String::new()));
    Effect::new(move |_| {
        if let Some(Ok(message)) = send.value().get() {
            arrived.update(|messages| add_once(messages, message));
        }
    });
    #[cfg(feature = "hydrate")]
    listen_live(id, arrived, detail);
    view! {
        <Title text=move || i18n.t(Msg::DmConversation) />
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match detail.await {
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                    Ok(ConversationDetail { summary, reader, messages, older: _ }) => {
                        let conversation = summary.id;
                        let loaded: Vec<u64> = messages.iter().map(|message| message.id.0).collect();
                        // What arrived since the page loaded and is not among its messages.
                        let fresh = move || {
                            arrived
                                .get()
                                .into_iter()
                                .filter(|message| message.conversation == conversation)
                                .filter(|message| !loaded.contains(&message.id.0))
                                .collect::<Vec<_>>()
                        };
                        let bubble = move |message: Message| {
                            let own = message.sender == reader;
                            view! {
                                <li class="message" class:own=own data-test="message">
                                    <span class="muted">{message.sender_name.clone()}" · "{move || format_local_datetime(i18n.locale(), message.at)}</span>
                                    <TypedText body=message.body.clone() test_id="message-body" />
                                    {(!own).then(|| view! { <ReportForm kind=ReportedKind::Message id=message.id.0 /> })}
                                </li>
                            }
                        };
                        view! {
                            <h1 class="page-title" data-test="conversation-with">
                                <A href=format!("/people/{}", summary.with_id)>{summary.with_name.clone()}</A>
                            </h1>
                            {summary.problem.clone().map(|(problem, title)| view! {
                                <p class="muted" data-test="conversation-problem">{move || i18n.t(Msg::DmAboutProblem)}" "<A href=format!("/problems/{problem}")>{title.clone()}</A></p>
                            })}
                            <ol class="messages stack" data-test="messages" aria-live="polite">
                                {messages.into_iter().map(bubble).collect_view()}
                                <For each=fresh key=|message| message.id children=bubble />
                            </ol>
                            <SendForm conversation=conversation.0 send />
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// The form under a conversation; it empties after a message is sent and keeps the text
/// of a refused one.
#[component]
fn SendForm(conversation: u64, send: ServerAction<SendMessage>) -> impl IntoView {
    let i18n = use_i18n();
    let error = last_error(send.value());
    let body = RwSignal::new(String::new());
    Effect::new(move |_| {
        if matches!(send.value().get(), Some(Ok(_))) {
            body.set(String::new());
        }
    });
    view! {
        <ActionForm action=send attr:class="form stack" attr:data-test="send-message-form">
            <input type="hidden" name="conversation" value=conversation.to_string() />
            <ActionError error />
            <FieldMessage error field="recipient" />
            <div class="field">
                <label for="message-body">{move || i18n.t(Msg::DmMessage)}</label>
                <textarea id="message-body" name="body" rows="3" maxlength=BODY_MAX.to_string() required=true
                    prop:value=body on:input=move |event| body.set(event_target_value(&event))></textarea>
                <FieldMessage error field="body" />
            </div>
            <button type="submit" class="primary" data-test="send-message" disabled=move || send.pending().get()>
                {move || i18n.t(Msg::DmSend)}
            </button>
        </ActionForm>
    }
}

/// Adds `message` to `messages` unless it is there (sent here and delivered live too).
fn add_once(messages: &mut Vec<Message>, message: Message) {
    if !messages.iter().any(|known| known.id == message.id) {
        messages.push(message);
    }
}

/// Listens for the reader's new messages while the page is open: each of this
/// conversation is shown and marked read.
#[cfg(feature = "hydrate")]
fn listen_live(
    id: impl Fn() -> String + Send + Sync + Copy + 'static,
    arrived: RwSignal<Vec<Message>>,
    detail: Resource<Result<ConversationDetail, platform::error::AppError>>,
) {
    use super::server_fns::mark_read;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;

    let Ok(source) = web_sys::EventSource::new("/api/v1/messages/events") else {
        return;
    };
    let on_message =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            let Some(data) = event.data().as_string() else {
                return;
            };
            let Ok(message) = serde_json::from_str::<Message>(&data) else {
                return;
            };
            if message.conversation.to_string() != id() {
                return;
            }
            let up_to = message.id.to_string();
            arrived.update(|messages| add_once(messages, message));
            leptos::task::spawn_local(async move {
                // Best effort: the next visit marks it read otherwise.
                let _ = mark_read(id(), up_to).await;
            });
        });
    // Read again on every (re)connection: a message sent between the page's load and
    // the connection, or while it was broken, is shown too.
    let on_open = Closure::<dyn Fn()>::new(move || detail.refetch());
    // A listener that fails to attach leaves the page as it loaded: still usable.
    let _ = source.add_event_listener_with_callback("message", on_message.as_ref().unchecked_ref());
    let _ = source.add_event_listener_with_callback("open", on_open.as_ref().unchecked_ref());
    let source = send_wrapper::SendWrapper::new((source, on_message, on_open));
    on_cleanup(move || source.0.close());
}
