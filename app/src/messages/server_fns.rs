//! The messages' API: a signed-in person reads their conversations and writes in them;
//! an official writes to a problem's author about the problem. Every call is the
//! member's own: another person's conversation is `NotFound`.

use leptos::prelude::*;

use super::model::{ConversationDetail, Inbox, Message, ProblemConversations};
use platform::error::AppError;

#[cfg(feature = "ssr")]
use {
    super::model::validate_body,
    super::queries::Conversations,
    crate::auth::session::{WriteLimits, count_write, current_user, require_user},
    crate::problems::queries::Problems,
    platform::error::ErrorCode,
    platform::ids::parse_id,
    platform::{clock, db},
};

/// Messages in an hour per account, and from one address: a conversation at a talking
/// pace stays far below; a script writing to many people does not.
#[cfg(feature = "ssr")]
const SENDING: WriteLimits = WriteLimits::hourly("message.send", 120, 600);

/// New conversations in an hour per account, and from one address: writing to strangers
/// in bulk is the spam to stop.
#[cfg(feature = "ssr")]
const STARTING: WriteLimits = WriteLimits::hourly("message.start", 10, 60);

/// Marks read in an hour per account, and from one address (a page marks once per
/// message that arrives while it is open).
#[cfg(feature = "ssr")]
const READING: WriteLimits = WriteLimits::hourly("message.read", 2000, 6000);

/// The reader's conversations, newest first, before `before` (a message id) when given.
#[server(endpoint = "messages/inbox", input = server_fn::codec::GetUrl)]
pub async fn load_inbox(before: String) -> Result<Inbox, AppError> {
    let user = require_user().await?;
    let before = before.trim().parse().ok();
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Ok(Conversations::inbox(&mut conn, user.id, before).await?)
    })
    .await
}

/// The reader's unread messages in all conversations (the header's count); 0 for guests.
#[server(endpoint = "messages/unread", input = server_fn::codec::GetUrl)]
pub async fn load_unread() -> Result<u32, AppError> {
    let Some(user) = current_user().await? else {
        return Ok(0);
    };
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Ok(Conversations::unread(&mut conn, user.id).await?)
    })
    .await
}

/// Conversation `id` with its newest messages, which are read by this (or those before
/// message `before`).
#[server(endpoint = "messages/conversation", input = server_fn::codec::GetUrl)]
pub async fn load_conversation(id: String, before: String) -> Result<ConversationDetail, AppError> {
    let user = require_user().await?;
    let id = parse_id(&id)?;
    let before = before.trim().parse().ok();
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        let mut summary = Conversations::summary(&mut conn, id, user.id).await?;
        let (messages, older) = Conversations::messages(&mut conn, id, before).await?;
        // Opening the conversation reads its newest messages.
        if let (None, Some(newest)) = (before, messages.last()) {
            summary.unread = Conversations::mark_read(&mut conn, id, user.id, newest.id).await?;
        }
        Ok(ConversationDetail {
            summary,
            reader: user.id,
            messages,
            older,
        })
    })
    .await
}

/// The reader has read conversation `id` up to message `up_to`; returns what stays
/// unread in it.
#[server(endpoint = "messages/read")]
pub async fn mark_read(id: String, up_to: String) -> Result<u32, AppError> {
    let user = require_user().await?;
    let id = parse_id(&id)?;
    let up_to = parse_id(&up_to)?;
    count_write(READING, Some(user.id)).await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Conversations::mark_read(&mut conn, id, user.id, up_to).await
    })
    .await
}

/// Writes `body` in conversation `conversation`.
#[server(endpoint = "messages/send")]
pub async fn send_message(conversation: String, body: String) -> Result<Message, AppError> {
    let user = require_user().await?;
    let conversation = parse_id(&conversation)?;
    let body = validate_body(&body).map_err(|errors| AppError::Invalid { errors })?;
    count_write(SENDING, Some(user.id)).await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Conversations::send(&mut conn, conversation, user.id, &body, clock::now()).await
    })
    .await
}

/// Writes `body` to person `to` (about problem `problem`, when given, as an official of a
/// department answering for it); returns the message, whose conversation is new or the
/// pair's existing one.
#[server(endpoint = "messages/start")]
pub async fn start_conversation(
    to: String,
    body: String,
    #[server(default)] problem: String,
) -> Result<Message, AppError> {
    let user = require_user().await?;
    // An id that is not a number is refused as an unknown person is: the same answer.
    let to = to
        .trim()
        .parse()
        .map_err(|_| AppError::invalid("recipient", ErrorCode::Undeliverable))?;
    let problem = match problem.trim() {
        "" => None,
        text => Some(parse_id(text)?),
    };
    let body = validate_body(&body).map_err(|errors| AppError::Invalid { errors })?;
    count_write(SENDING, Some(user.id)).await?;
    count_write(STARTING, Some(user.id)).await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Conversations::start(&mut conn, &user, to, problem, &body, clock::now()).await
    })
    .await
}

/// The conversations about problem `problem` the reader is a member of, and whether they
/// may open one with its author (they are an official of a department answering for it).
#[server(endpoint = "messages/of-problem", input = server_fn::codec::GetUrl)]
pub async fn load_problem_conversations(problem: String) -> Result<ProblemConversations, AppError> {
    let Some(user) = current_user().await? else {
        return Ok(Default::default());
    };
    let problem = parse_id(&problem)?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        let parties = Problems::parties(&mut conn, problem).await?;
        let may_open = user
            .official_departments()
            .iter()
            .any(|department| parties.departments.contains(department));
        Ok(ProblemConversations {
            conversations: Conversations::about_problem(&mut conn, problem, user.id).await?,
            author: may_open.then_some(parties.author),
        })
    })
    .await
}
