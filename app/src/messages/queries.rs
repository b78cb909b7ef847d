//! Conversations in the database. A message and both members' counters are written in one
//! transaction that first locks the two member rows, and a member marks a conversation
//! read by recounting under the same row lock, so unread counts stay exact however many
//! messages and reads meet; a new message is found by every server instance's live
//! delivery through its id (see `live`).

use std::collections::HashSet;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{Datetime, Nullable, Text, Unsigned};
use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl};

use super::model::{
    CONVERSATION_PAGE, ConversationId, ConversationSummary, Inbox, MESSAGE_PAGE, Message,
    MessageId, pair_key,
};
use crate::auth::model::SessionUser;
use crate::auth::queries::Users;
use crate::problems::model::ProblemId;
use crate::problems::queries::Problems;
use civic::blocks::Blocks;
use platform::db::last_insert_id;
use platform::db::schema::{conversation_members, conversations, messages, users};
use platform::error::{AppError, ErrorCode};
use platform::ids::UserId;
use platform::text::excerpt;

/// Characters of the newest message the list shows.
const LAST_EXCERPT: usize = 120;

/// The refusal of a message that cannot reach its addressee: no such person, a block
/// either way, oneself. One answer for all, so a refusal tells nothing about the account.
fn undeliverable() -> AppError {
    AppError::invalid("recipient", ErrorCode::Undeliverable)
}

#[derive(QueryableByName)]
struct SummaryRow {
    #[diesel(sql_type = Unsigned<diesel::sql_types::BigInt>)]
    conversation_id: u64,
    #[diesel(sql_type = Unsigned<diesel::sql_types::Integer>)]
    unread: u32,
    #[diesel(sql_type = Unsigned<diesel::sql_types::BigInt>)]
    last_message_id: u64,
    #[diesel(sql_type = Unsigned<diesel::sql_types::BigInt>)]
    with_id: u64,
    #[diesel(sql_type = Text)]
    with_name: String,
    #[diesel(sql_type = Nullable<Unsigned<diesel::sql_types::BigInt>>)]
    problem_id: Option<u64>,
    #[diesel(sql_type = Nullable<Text>)]
    problem_title: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    last_body: Option<String>,
    #[diesel(sql_type = Nullable<Unsigned<diesel::sql_types::BigInt>>)]
    last_sender: Option<u64>,
    #[diesel(sql_type = Nullable<Datetime>)]
    last_at: Option<NaiveDateTime>,
}

impl From<SummaryRow> for ConversationSummary {
    fn from(row: SummaryRow) -> Self {
        ConversationSummary {
            id: ConversationId(row.conversation_id),
            with_id: UserId(row.with_id),
            with_name: row.with_name,
            problem: row.problem_id.zip(row.problem_title),
            last: row
                .last_body
                .zip(row.last_sender)
                .map(|(body, sender)| (excerpt(&body, LAST_EXCERPT), UserId(sender))),
            last_at: row.last_at,
            unread: row.unread,
        }
    }
}

/// The columns of a conversation as the reader `me.user_id` lists it; `me` is the
/// reader's member row.
const SUMMARY_FROM: &str = "SELECT me.conversation_id, me.unread, me.last_message_id, \
     other.user_id AS with_id, u.display_name AS with_name, c.problem_id, \
     p.title AS problem_title, m.body AS last_body, m.sender_id AS last_sender, \
     m.created_at AS last_at \
     FROM conversation_members me \
     JOIN conversation_members other \
       ON other.conversation_id = me.conversation_id AND other.user_id <> me.user_id \
     JOIN users u ON u.id = other.user_id \
     JOIN conversations c ON c.id = me.conversation_id \
     LEFT JOIN problems p ON p.id = c.problem_id \
     LEFT JOIN messages m ON m.id = me.last_message_id";

#[derive(Queryable, Selectable)]
#[diesel(table_name = messages, check_for_backend(diesel::mysql::Mysql))]
struct MessageRow {
    id: u64,
    conversation_id: u64,
    sender_id: UserId,
    body: String,
    created_at: NaiveDateTime,
}

impl MessageRow {
    fn with_name(self, sender_name: String) -> Message {
        Message {
            id: MessageId(self.id),
            conversation: ConversationId(self.conversation_id),
            sender: self.sender_id,
            sender_name,
            body: self.body,
            at: self.created_at,
        }
    }
}

/// A message found by live delivery, with the members it goes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// The message.
    pub message: Message,
    /// Both members of its conversation (the sender's other pages show it too).
    pub members: Vec<UserId>,
}

/// The conversations of every person.
pub struct Conversations;

impl Conversations {
    /// `from` writes `body` to `to`: in their personal conversation, or, with `problem`,
    /// in the conversation about that problem, which only an official of a department
    /// answering for the problem may open, and only with its author (`Forbidden`
    /// otherwise). The conversation is made on the first message. A person who does not
    /// exist, who blocked `from` or whom `from` blocked, or `from` themselves, is
    /// [`undeliverable`]: the same refusal for each.
    pub async fn start(
        conn: &mut AsyncMysqlConnection,
        from: &SessionUser,
        to: UserId,
        problem: Option<ProblemId>,
        body: &str,
        now: NaiveDateTime,
    ) -> Result<Message, AppError> {
        if let Some(problem) = problem {
            let parties = Problems::parties(conn, problem).await?;
            let official = from
                .official_departments()
                .iter()
                .any(|department| parties.departments.contains(department));
            if !official || parties.author != to {
                return Err(AppError::Forbidden);
            }
        }
        if to == from.id || !Users::exists(conn, to).await? {
            return Err(undeliverable());
        }
        let key = pair_key(from.id, to, problem.map(|problem| problem.0));
        let from = from.id;
        conn.transaction(async move |conn| {
            diesel::insert_or_ignore_into(conversations::table)
                .values((
                    conversations::pair_key.eq(&key),
                    conversations::problem_id.eq(problem),
                    conversations::started_by.eq(from),
                    conversations::created_at.eq(now),
                ))
                .execute(conn)
                .await?;
            let id: u64 = conversations::table
                .filter(conversations::pair_key.eq(&key))
                .select(conversations::id)
                .first(conn)
                .await?;
            diesel::insert_or_ignore_into(conversation_members::table)
                .values(&vec![
                    (
                        conversation_members::conversation_id.eq(id),
                        conversation_members::user_id.eq(from),
                    ),
                    (
                        conversation_members::conversation_id.eq(id),
                        conversation_members::user_id.eq(to),
                    ),
                ])
                .execute(conn)
                .await?;
            Self::write(conn, ConversationId(id), from, body, now).await
        })
        .await
    }

    /// `sender` writes `body` in `conversation`; `NotFound` unless they are a member,
    /// [`undeliverable`] when either member blocked the other.
    pub async fn send(
        conn: &mut AsyncMysqlConnection,
        conversation: ConversationId,
        sender: UserId,
        body: &str,
        now: NaiveDateTime,
    ) -> Result<Message, AppError> {
        conn.transaction(async move |conn| Self::write(conn, conversation, sender, body, now).await)
            .await
    }

    /// The message itself, inside the caller's transaction: both member rows are locked
    /// first (so a concurrent read of the other member waits for the count it has to
    /// include), then the message is written and the other member's count goes up.
    async fn write(
        conn: &mut AsyncMysqlConnection,
        conversation: ConversationId,
        sender: UserId,
        body: &str,
        now: NaiveDateTime,
    ) -> Result<Message, AppError> {
        let members: Vec<UserId> = conversation_members::table
            .filter(conversation_members::conversation_id.eq(conversation.0))
            .select(conversation_members::user_id)
            .for_update()
            .load(conn)
            .await?;
        if !members.contains(&sender) {
            return Err(AppError::NotFound);
        }
        let other = members
            .iter()
            .copied()
            .find(|member| *member != sender)
            .ok_or(AppError::NotFound)?;
        if Blocks::between(conn, sender, other).await? {
            return Err(undeliverable());
        }
        diesel::insert_into(messages::table)
            .values((
                messages::conversation_id.eq(conversation.0),
                messages::sender_id.eq(sender),
                messages::body.eq(body),
                messages::created_at.eq(now),
            ))
            .execute(conn)
            .await?;
        let id = last_insert_id(conn).await?;
        diesel::update(conversation_members::table)
            .filter(conversation_members::conversation_id.eq(conversation.0))
            .set(conversation_members::last_message_id.eq(id))
            .execute(conn)
            .await?;
        diesel::update(conversation_members::table.find((conversation.0, other)))
            .set(conversation_members::unread.eq(conversation_members::unread + 1))
            .execute(conn)
            .await?;
        // The sender has read everything up to their own message.
        diesel::update(conversation_members::table.find((conversation.0, sender)))
            .set((
                conversation_members::unread.eq(0),
                conversation_members::last_read_message_id.eq(id),
            ))
            .execute(conn)
            .await?;
        let sender_name = users::table
            .find(sender)
            .select(users::display_name)
            .first(conn)
            .await?;
        Ok(Message {
            id: MessageId(id),
            conversation,
            sender,
            sender_name,
            body: body.to_string(),
            at: now,
        })
    }

    /// `reader` has read `conversation` up to message `up_to`: their unread count becomes
    /// the other member's messages after it, counted under the member row's lock (which a
    /// sender takes first), so a message that arrives meanwhile stays unread. Reading
    /// backwards changes nothing. `NotFound` unless `reader` is a member.
    pub async fn mark_read(
        conn: &mut AsyncMysqlConnection,
        conversation: ConversationId,
        reader: UserId,
        up_to: MessageId,
    ) -> Result<u32, AppError> {
        conn.transaction(async move |conn| {
            let read: Option<u64> = conversation_members::table
                .find((conversation.0, reader))
                .select(conversation_members::last_read_message_id)
                .for_update()
                .first(conn)
                .await
                .optional()?;
            let read = read.ok_or(AppError::NotFound)?.max(up_to.0);
            let unread: i64 = messages::table
                .filter(messages::conversation_id.eq(conversation.0))
                .filter(messages::id.gt(read))
                .filter(messages::sender_id.ne(reader))
                .count()
                .get_result(conn)
                .await?;
            let unread = u32::try_from(unread).unwrap_or(u32::MAX);
            diesel::update(conversation_members::table.find((conversation.0, reader)))
                .set((
                    conversation_members::unread.eq(unread),
                    conversation_members::last_read_message_id.eq(read),
                ))
                .execute(conn)
                .await?;
            Ok(unread)
        })
        .await
    }

    /// `reader`'s conversations, the one with the newest message first, up to
    /// [`CONVERSATION_PAGE`], those whose newest message is older than `before`; with the
    /// unread messages of all of them.
    pub async fn inbox(
        conn: &mut AsyncMysqlConnection,
        reader: UserId,
        before: Option<u64>,
    ) -> QueryResult<Inbox> {
        let mut rows: Vec<SummaryRow> = diesel::sql_query(format!(
            "{SUMMARY_FROM} WHERE me.user_id = ? AND me.last_message_id < ? \
             ORDER BY me.last_message_id DESC LIMIT {}",
            CONVERSATION_PAGE + 1
        ))
        .bind::<Unsigned<diesel::sql_types::BigInt>, _>(reader.0)
        .bind::<Unsigned<diesel::sql_types::BigInt>, _>(before.unwrap_or(u64::MAX))
        .load(conn)
        .await?;
        let older = (rows.len() > CONVERSATION_PAGE).then(|| {
            rows.truncate(CONVERSATION_PAGE);
            rows.last().map(|row| row.last_message_id)
        });
        Ok(Inbox {
            conversations: rows.into_iter().map(Into::into).collect(),
            older: older.flatten(),
            unread: Self::unread(conn, reader).await?,
        })
    }

    /// `reader`'s unread messages in all their conversations.
    pub async fn unread(conn: &mut AsyncMysqlConnection, reader: UserId) -> QueryResult<u32> {
        let sum: Option<i64> = conversation_members::table
            .filter(conversation_members::user_id.eq(reader))
            .select(diesel::dsl::sql::<Nullable<diesel::sql_types::BigInt>>(
                "CAST(SUM(unread) AS SIGNED)",
            ))
            .first(conn)
            .await?;
        Ok(u32::try_from(sum.unwrap_or(0)).unwrap_or(u32::MAX))
    }

    /// `conversation` as `reader` lists it; `NotFound` unless they are a member.
    pub async fn summary(
        conn: &mut AsyncMysqlConnection,
        conversation: ConversationId,
        reader: UserId,
    ) -> Result<ConversationSummary, AppError> {
        diesel::sql_query(format!(
            "{SUMMARY_FROM} WHERE me.user_id = ? AND me.conversation_id = ?"
        ))
        .bind::<Unsigned<diesel::sql_types::BigInt>, _>(reader.0)
        .bind::<Unsigned<diesel::sql_types::BigInt>, _>(conversation.0)
        .get_result::<SummaryRow>(conn)
        .await
        .optional()?
        .map(Into::into)
        .ok_or(AppError::NotFound)
    }

    /// The conversations about `problem` that `reader` is a member of, newest first.
    pub async fn about_problem(
        conn: &mut AsyncMysqlConnection,
        problem: ProblemId,
        reader: UserId,
    ) -> QueryResult<Vec<ConversationSummary>> {
        let rows: Vec<SummaryRow> = diesel::sql_query(format!(
            "{SUMMARY_FROM} WHERE me.user_id = ? AND c.problem_id = ? \
             ORDER BY me.last_message_id DESC LIMIT {CONVERSATION_PAGE}"
        ))
        .bind::<Unsigned<diesel::sql_types::BigInt>, _>(reader.0)
        .bind::<Unsigned<diesel::sql_types::BigInt>, _>(problem.0)
        .load(conn)
        .await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// Up to [`MESSAGE_PAGE`] messages of `conversation`, oldest first: the newest ones,
    /// or those before message `before`; and the id to read older ones before.
    pub async fn messages(
        conn: &mut AsyncMysqlConnection,
        conversation: ConversationId,
        before: Option<u64>,
    ) -> QueryResult<(Vec<Message>, Option<u64>)> {
        let mut rows: Vec<(MessageRow, String)> = messages::table
            .inner_join(users::table)
            .filter(messages::conversation_id.eq(conversation.0))
            .filter(messages::id.lt(before.unwrap_or(u64::MAX)))
            .order(messages::id.desc())
            .limit(MESSAGE_PAGE as i64 + 1)
            .select((MessageRow::as_select(), users::display_name))
            .load(conn)
            .await?;
        let older = (rows.len() > MESSAGE_PAGE).then(|| {
            rows.truncate(MESSAGE_PAGE);
            rows.last().map(|(row, _)| row.id)
        });
        rows.reverse();
        Ok((
            rows.into_iter()
                .map(|(row, name)| row.with_name(name))
                .collect(),
            older.flatten(),
        ))
    }

    /// The newest message's id, where live delivery starts.
    pub async fn newest_id(conn: &mut AsyncMysqlConnection) -> QueryResult<u64> {
        let newest: Option<u64> = messages::table
            .select(diesel::dsl::max(messages::id))
            .first(conn)
            .await?;
        Ok(newest.unwrap_or(0))
    }

    /// Messages for live delivery: those after `after` and those among `missing` (ids
    /// below `after` that were not committed yet when a later one was read), oldest
    /// first, at most `limit`, each with its conversation's members.
    pub async fn deliveries(
        conn: &mut AsyncMysqlConnection,
        after: u64,
        missing: &HashSet<u64>,
        limit: i64,
    ) -> QueryResult<Vec<Delivery>> {
        let missing: Vec<u64> = missing.iter().copied().collect();
        let rows: Vec<(MessageRow, String)> = messages::table
            .inner_join(users::table)
            .filter(messages::id.gt(after).or(messages::id.eq_any(missing)))
            .order(messages::id)
            .limit(limit)
            .select((MessageRow::as_select(), users::display_name))
            .load(conn)
            .await?;
        let conversations: Vec<u64> = rows.iter().map(|(row, _)| row.conversation_id).collect();
        let members: Vec<(u64, UserId)> = conversation_members::table
            .filter(conversation_members::conversation_id.eq_any(conversations))
            .select((
                conversation_members::conversation_id,
                conversation_members::user_id,
            ))
            .load(conn)
            .await?;
        Ok(rows
            .into_iter()
            .map(|(row, name)| {
                let conversation = row.conversation_id;
                Delivery {
                    message: row.with_name(name),
                    members: members
                        .iter()
                        .filter(|(id, _)| *id == conversation)
                        .map(|(_, member)| *member)
                        .collect(),
                }
            })
            .collect())
    }
}
