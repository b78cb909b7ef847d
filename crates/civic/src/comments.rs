//! Comments on any subject: written by signed-in users, answered in threads, supported,
//! reported by them to the moderators, hidden by a moderator with a public reason (the
//! place of a hidden comment stays in the discussion, with the reason instead of the
//! text). A discussion that asks for positions (an initiative's) stores each comment's
//! [`Position`] and sums them up with its most supported comment for and against.
//!
//! A thread is one level deep: a reply to a reply joins the thread of the comment that
//! opened it, so that a discussion stays readable on a phone.

use chrono::NaiveDateTime;
use platform::error::{AppError, check_text};
use platform::id_type;
use serde::{Deserialize, Serialize};

use crate::subject::SubjectKind;

id_type!(
    /// A comment.
    CommentId
);

/// Comments are subjects of supports.
pub const COMMENT: SubjectKind = SubjectKind::new("comment");

/// Most characters of a comment.
pub const COMMENT_MAX: usize = 2000;
/// Most characters of a report's or a hiding's reason.
pub const REASON_MAX: usize = 500;
/// Threads on one page of a discussion; a page shows every reply of its threads.
pub const THREADS_PER_PAGE: usize = 50;

/// Where a comment stands on its subject, in a discussion that asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Position {
    /// In favour.
    For,
    /// Against.
    Against,
    /// Neither: a question, a remark.
    Neutral,
}

impl Position {
    /// Every position, in the order a summary lists them.
    pub const ALL: [Position; 3] = [Self::For, Self::Against, Self::Neutral];

    /// The value stored in `comments.position` (and sent by forms).
    pub fn as_db(self) -> &'static str {
        match self {
            Self::For => "for",
            Self::Against => "against",
            Self::Neutral => "neutral",
        }
    }

    /// The position stored (or posted) as `value`.
    pub fn from_db(value: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|position| position.as_db() == value)
    }
}

/// How many shown comments of a discussion take each position.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PositionCounts {
    /// In favour.
    pub in_favour: u32,
    /// Against.
    pub against: u32,
    /// Neutral.
    pub neutral: u32,
}

impl PositionCounts {
    /// The count of one position.
    pub fn of(&self, position: Position) -> u32 {
        match position {
            Position::For => self.in_favour,
            Position::Against => self.against,
            Position::Neutral => self.neutral,
        }
    }
}

/// The summary of a discussion that asks for positions: how many shown comments take each
/// position, and the most supported shown comment for and against (none until one has a
/// support; the earlier one of a tie).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PositionSummary {
    /// The counts.
    pub counts: PositionCounts,
    /// The most supported comment in favour.
    pub leading_for: Option<Comment>,
    /// The most supported comment against.
    pub leading_against: Option<Comment>,
}

/// A comment as a discussion shows it to one reader.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comment {
    /// Its id.
    pub id: CommentId,
    /// The author's display name.
    pub author_name: String,
    /// The text; empty once hidden (never sent to browsers after that).
    pub body: String,
    /// Where it stands, in a discussion that asks for positions.
    pub position: Option<Position>,
    /// When it was written (UTC).
    pub at: NaiveDateTime,
    /// Why a moderator hid it; `None` while shown.
    pub hidden_reason: Option<String>,
    /// How many people support it.
    pub supports: u32,
    /// Whether the reader supports it (never, for a reader who is not signed in).
    pub supported: bool,
    /// Whether the reader wrote it (one does not support one's own comment).
    pub mine: bool,
    /// The replies, oldest first, of a comment that opens a thread on a page of a
    /// discussion; empty elsewhere.
    pub replies: Vec<Comment>,
}

/// One page of a discussion: threads oldest first, each with all its replies.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentPage {
    /// The comments that open a thread, with their replies.
    pub threads: Vec<Comment>,
    /// Where the next page starts (the `after` of `Comments::page`); `None` on the last.
    pub next_after: Option<CommentId>,
}

/// A reported comment in the moderators' queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportedComment {
    /// The comment, as its discussion shows it.
    pub comment: Comment,
    /// The kind of subject it belongs to (`problem`, ...).
    pub subject_kind: String,
    /// The id of that subject.
    pub subject_id: u64,
    /// How many people reported it.
    pub reports: u32,
    /// The newest report's reason.
    pub latest_reason: String,
}

/// The trimmed text of a new comment, or the refusal of field `comment`.
pub fn validate_comment(text: &str) -> Result<String, AppError> {
    validate("comment", text, COMMENT_MAX)
}

/// The trimmed reason of a report or a hiding, or the refusal of field `reason`.
pub fn validate_reason(text: &str) -> Result<String, AppError> {
    validate("reason", text, REASON_MAX)
}

fn validate(field: &str, text: &str, max: usize) -> Result<String, AppError> {
    let mut errors = Vec::new();
    check_text(field, text, 1, max, &mut errors);
    if errors.is_empty() {
        Ok(text.trim().to_string())
    } else {
        Err(AppError::Invalid { errors })
    }
}

#[cfg(feature = "ssr")]
pub use store::Comments;

#[cfg(feature = "ssr")]
mod store {
    use std::collections::{HashMap, HashSet};

    use chrono::NaiveDateTime;
    use diesel::prelude::*;
    use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl};
    use platform::db::last_insert_id;
    use platform::db::schema::{comment_reports, comments, users};
    use platform::error::{AppError, ErrorCode};
    use platform::ids::UserId;

    use super::{
        COMMENT, Comment, CommentId, CommentPage, Position, PositionCounts, PositionSummary,
        ReportedComment, THREADS_PER_PAGE,
    };
    use crate::audit::{AuditEntry, AuditEvent};
    use crate::subject::Subject;
    use crate::supports::Supports;

    /// A comment row as the discussion reads it.
    #[derive(Queryable, Selectable)]
    #[diesel(table_name = comments, check_for_backend(diesel::mysql::Mysql))]
    struct CommentRow {
        id: CommentId,
        reply_to: Option<CommentId>,
        author_id: UserId,
        body: String,
        position: Option<String>,
        support_count: u32,
        created_at: NaiveDateTime,
        hidden_reason: Option<String>,
        #[diesel(select_expression = users::display_name)]
        author_name: String,
    }

    impl CommentRow {
        /// The comment as `reader` sees it, who supports the comments in `supported`.
        fn into_comment(self, reader: Option<UserId>, supported: &HashSet<u64>) -> Comment {
            let shown = self.hidden_reason.is_none();
            Comment {
                id: self.id,
                author_name: self.author_name,
                body: if shown { self.body } else { String::new() },
                position: self.position.as_deref().and_then(Position::from_db),
                at: self.created_at,
                hidden_reason: self.hidden_reason,
                supports: self.support_count,
                supported: supported.contains(&self.id.0),
                mine: reader == Some(self.author_id),
                replies: Vec::new(),
            }
        }
    }

    impl From<CommentRow> for Comment {
        /// The comment as a reader who is not signed in sees it.
        fn from(row: CommentRow) -> Self {
            row.into_comment(None, &HashSet::new())
        }
    }

    /// What a reply or a support checks of the comment it concerns.
    #[derive(Queryable, Selectable)]
    #[diesel(table_name = comments, check_for_backend(diesel::mysql::Mysql))]
    struct CommentFacts {
        subject_kind: String,
        subject_id: u64,
        reply_to: Option<CommentId>,
        author_id: UserId,
        hidden_at: Option<NaiveDateTime>,
        support_count: u32,
    }

    #[derive(Insertable)]
    #[diesel(table_name = comments)]
    struct NewComment<'a> {
        subject_kind: &'a str,
        subject_id: u64,
        reply_to: Option<CommentId>,
        author_id: UserId,
        body: &'a str,
        position: Option<&'static str>,
        created_at: NaiveDateTime,
    }

    /// Comments joined with their authors.
    type WithAuthors = diesel::dsl::InnerJoinOn<
        comments::table,
        users::table,
        diesel::dsl::Eq<users::id, comments::author_id>,
    >;

    /// The comments of `subject`, joined with their authors.
    fn of_subject(
        subject: Subject,
    ) -> diesel::dsl::IntoBoxed<'static, WithAuthors, diesel::mysql::Mysql> {
        comments::table
            .inner_join(users::table.on(users::id.eq(comments::author_id)))
            .into_boxed()
            .filter(comments::subject_kind.eq(subject.kind.as_str()))
            .filter(comments::subject_id.eq(subject.id))
    }

    /// The comments of every subject.
    pub struct Comments;

    impl Comments {
        /// Adds `body` (validated by the caller) by `author` to `subject`, taking
        /// `position` where the discussion asks for one, as a reply in the thread of
        /// `reply_to` if given (which must be a comment on the same subject). The owner of
        /// the subject checks first that it takes comments, and keeps its own counter.
        pub async fn add(
            conn: &mut AsyncMysqlConnection,
            subject: Subject,
            author: UserId,
            body: &str,
            position: Option<Position>,
            reply_to: Option<CommentId>,
            now: NaiveDateTime,
        ) -> Result<CommentId, AppError> {
            let thread = match reply_to {
                None => None,
                Some(answered) => {
                    let opener = Comments::on_subject(conn, subject, answered)
                        .await?
                        .reply_to;
                    Some(opener.unwrap_or(answered))
                }
            };
            diesel::insert_into(comments::table)
                .values(NewComment {
                    subject_kind: subject.kind.as_str(),
                    subject_id: subject.id,
                    reply_to: thread,
                    author_id: author,
                    body,
                    position: position.map(Position::as_db),
                    created_at: now,
                })
                .execute(conn)
                .await?;
            Ok(last_insert_id(conn).await.map(CommentId)?)
        }

        /// The whole discussion of `subject`, oldest first, as a reader who is not signed
        /// in sees it, replies in their place in time (for a subject whose discussion
        /// stays short).
        pub async fn of(
            conn: &mut AsyncMysqlConnection,
            subject: Subject,
        ) -> QueryResult<Vec<Comment>> {
            let rows: Vec<CommentRow> = of_subject(subject)
                .order(comments::id.asc())
                .select(CommentRow::as_select())
                .load(conn)
                .await?;
            Ok(rows.into_iter().map(Comment::from).collect())
        }

        /// One page of `subject`'s discussion as `reader` sees it: the threads opened
        /// after `after` (from the first when `None`), oldest first, each with all its
        /// replies. Pages are cut by id, so a page's link stays valid as comments arrive.
        pub async fn page(
            conn: &mut AsyncMysqlConnection,
            subject: Subject,
            reader: Option<UserId>,
            after: Option<CommentId>,
        ) -> QueryResult<CommentPage> {
            let page_rows = i64::try_from(THREADS_PER_PAGE + 1).unwrap_or(i64::MAX);
            let mut query = of_subject(subject)
                .filter(comments::reply_to.is_null())
                .order(comments::id.asc())
                .limit(page_rows)
                .select(CommentRow::as_select());
            if let Some(after) = after {
                query = query.filter(comments::id.gt(after));
            }
            let mut openers: Vec<CommentRow> = query.load(conn).await?;
            let next_after = if openers.len() > THREADS_PER_PAGE {
                openers.truncate(THREADS_PER_PAGE);
                openers.last().map(|row| row.id)
            } else {
                None
            };
            let opener_ids: Vec<CommentId> = openers.iter().map(|row| row.id).collect();
            let replies: Vec<CommentRow> = if opener_ids.is_empty() {
                Vec::new()
            } else {
                comments::table
                    .inner_join(users::table.on(users::id.eq(comments::author_id)))
                    .filter(comments::reply_to.eq_any(&opener_ids))
                    .order(comments::id.asc())
                    .select(CommentRow::as_select())
                    .load(conn)
                    .await?
            };
            let supported: HashSet<u64> = match reader {
                Some(reader) => {
                    let ids: Vec<u64> =
                        openers.iter().chain(&replies).map(|row| row.id.0).collect();
                    Supports::among(conn, COMMENT, &ids, reader)
                        .await?
                        .into_iter()
                        .collect()
                }
                None => HashSet::new(),
            };
            let mut replies_of: HashMap<CommentId, Vec<Comment>> = HashMap::new();
            for row in replies {
                if let Some(opener) = row.reply_to {
                    replies_of
                        .entry(opener)
                        .or_default()
                        .push(row.into_comment(reader, &supported));
                }
            }
            let threads = openers
                .into_iter()
                .map(|row| {
                    let replies = replies_of.remove(&row.id).unwrap_or_default();
                    Comment {
                        replies,
                        ..row.into_comment(reader, &supported)
                    }
                })
                .collect();
            Ok(CommentPage {
                threads,
                next_after,
            })
        }

        /// How many shown comments on `subject` take each position, and the most
        /// supported of them for and against.
        pub async fn position_summary(
            conn: &mut AsyncMysqlConnection,
            subject: Subject,
        ) -> QueryResult<PositionSummary> {
            let rows: Vec<(Option<String>, i64)> = comments::table
                .filter(comments::subject_kind.eq(subject.kind.as_str()))
                .filter(comments::subject_id.eq(subject.id))
                .filter(comments::hidden_at.is_null())
                .filter(comments::position.is_not_null())
                .group_by(comments::position)
                .select((comments::position, diesel::dsl::count_star()))
                .load(conn)
                .await?;
            let mut counts = PositionCounts::default();
            for (position, count) in rows {
                let count = u32::try_from(count).unwrap_or(u32::MAX);
                match position.as_deref().and_then(Position::from_db) {
                    Some(Position::For) => counts.in_favour = count,
                    Some(Position::Against) => counts.against = count,
                    Some(Position::Neutral) => counts.neutral = count,
                    None => {}
                }
            }
            Ok(PositionSummary {
                counts,
                leading_for: Self::most_supported(conn, subject, Position::For).await?,
                leading_against: Self::most_supported(conn, subject, Position::Against).await?,
            })
        }

        /// The shown comment on `subject` taking `position` with the most supports (at
        /// least one); the earlier of a tie.
        async fn most_supported(
            conn: &mut AsyncMysqlConnection,
            subject: Subject,
            position: Position,
        ) -> QueryResult<Option<Comment>> {
            let row: Option<CommentRow> = of_subject(subject)
                .filter(comments::position.eq(position.as_db()))
                .filter(comments::hidden_at.is_null())
                .filter(comments::support_count.gt(0))
                .order((comments::support_count.desc(), comments::id.asc()))
                .select(CommentRow::as_select())
                .first(conn)
                .await
                .optional()?;
            Ok(row.map(Comment::from))
        }

        /// Adds (`true`) or withdraws (`false`) `user`'s support of `comment`, which must
        /// be a shown comment on `subject` written by someone else. The owner of the
        /// subject checks first that its discussion is open. The comment's new count.
        pub async fn support(
            conn: &mut AsyncMysqlConnection,
            subject: Subject,
            comment: CommentId,
            user: UserId,
            support: bool,
            now: NaiveDateTime,
        ) -> Result<u32, AppError> {
            conn.transaction(async move |conn| {
                let CommentFacts {
                    author_id,
                    hidden_at,
                    support_count: count,
                    ..
                } = Comments::on_subject(conn, subject, comment).await?;
                if hidden_at.is_some() {
                    return Err(AppError::Conflict);
                }
                if author_id == user {
                    return Err(AppError::invalid("comment", ErrorCode::OwnComment));
                }
                let changed =
                    Supports::set(conn, Subject::new(COMMENT, comment.0), user, support, now)
                        .await?;
                if !changed {
                    return Ok(count);
                }
                let count = if support {
                    count.saturating_add(1)
                } else {
                    count.saturating_sub(1)
                };
                diesel::update(comments::table.find(comment))
                    .set(comments::support_count.eq(count))
                    .execute(conn)
                    .await?;
                Ok(count)
            })
            .await
        }

        /// What a step on `comment` needs to know of it, locked until the transaction
        /// ends; not found unless it is a comment on `subject`.
        async fn on_subject(
            conn: &mut AsyncMysqlConnection,
            subject: Subject,
            comment: CommentId,
        ) -> Result<CommentFacts, AppError> {
            let facts: CommentFacts = comments::table
                .find(comment)
                .select(CommentFacts::as_select())
                .for_update()
                .first(conn)
                .await
                .optional()?
                .ok_or(AppError::NotFound)?;
            if facts.subject_kind != subject.kind.as_str() || facts.subject_id != subject.id {
                return Err(AppError::NotFound);
            }
            Ok(facts)
        }

        /// The subject a comment belongs to: its kind's name and its id.
        pub async fn subject_of(
            conn: &mut AsyncMysqlConnection,
            comment: CommentId,
        ) -> QueryResult<Option<(String, u64)>> {
            comments::table
                .find(comment)
                .select((comments::subject_kind, comments::subject_id))
                .first(conn)
                .await
                .optional()
        }

        /// Records `reporter`'s report of a shown comment; reporting twice counts once.
        /// Whether this report was new.
        pub async fn report(
            conn: &mut AsyncMysqlConnection,
            comment: CommentId,
            reporter: UserId,
            reason: &str,
            now: NaiveDateTime,
        ) -> Result<bool, AppError> {
            let reason = reason.to_string();
            conn.transaction(async move |conn| {
                let hidden: Option<Option<NaiveDateTime>> = comments::table
                    .find(comment)
                    .select(comments::hidden_at)
                    .for_update()
                    .first(conn)
                    .await
                    .optional()?;
                match hidden {
                    None => return Err(AppError::NotFound),
                    Some(Some(_)) => return Ok(false),
                    Some(None) => {}
                }
                let added = diesel::insert_or_ignore_into(comment_reports::table)
                    .values((
                        comment_reports::comment_id.eq(comment),
                        comment_reports::reporter_id.eq(reporter),
                        comment_reports::reason.eq(&reason),
                        comment_reports::created_at.eq(now),
                    ))
                    .execute(conn)
                    .await?;
                if added > 0 {
                    diesel::update(comments::table.find(comment))
                        .set(comments::report_count.eq(comments::report_count + 1))
                        .execute(conn)
                        .await?;
                }
                Ok(added > 0)
            })
            .await
        }

        /// Hides a comment with a public `reason`, as `moderator` (the caller checks the
        /// role); recorded in the audit log. Hiding a hidden comment changes nothing.
        pub async fn hide(
            conn: &mut AsyncMysqlConnection,
            comment: CommentId,
            moderator: UserId,
            reason: &str,
            now: NaiveDateTime,
        ) -> Result<(), AppError> {
            let reason = reason.to_string();
            conn.transaction(async move |conn| {
                let changed = diesel::update(
                    comments::table
                        .find(comment)
                        .filter(comments::hidden_at.is_null()),
                )
                .set((
                    comments::hidden_at.eq(now),
                    comments::hidden_by.eq(moderator),
                    comments::hidden_reason.eq(&reason),
                ))
                .execute(conn)
                .await?;
                if changed == 0 {
                    return match Comments::subject_of(conn, comment).await? {
                        Some(_) => Ok(()),
                        None => Err(AppError::NotFound),
                    };
                }
                AuditEntry::record(
                    conn,
                    AuditEvent {
                        actor: Some(moderator),
                        action: "comment.hide",
                        target_kind: "comment",
                        target_id: Some(comment.0),
                        details: serde_json::json!({ "reason": reason }),
                    },
                    now,
                )
                .await?;
                Ok(())
            })
            .await
        }

        /// The moderators' queue: shown comments with at least one report, most reported
        /// first.
        pub async fn reported(
            conn: &mut AsyncMysqlConnection,
            limit: i64,
        ) -> QueryResult<Vec<ReportedComment>> {
            let rows: Vec<(CommentRow, String, u64, u32)> = comments::table
                .inner_join(users::table.on(users::id.eq(comments::author_id)))
                .filter(comments::hidden_at.is_null())
                .filter(comments::report_count.gt(0))
                .order((comments::report_count.desc(), comments::id.asc()))
                .limit(limit)
                .select((
                    CommentRow::as_select(),
                    comments::subject_kind,
                    comments::subject_id,
                    comments::report_count,
                ))
                .load(conn)
                .await?;
            let mut queue = Vec::with_capacity(rows.len());
            for (row, subject_kind, subject_id, reports) in rows {
                let latest_reason = comment_reports::table
                    .filter(comment_reports::comment_id.eq(row.id))
                    .order(comment_reports::created_at.desc())
                    .select(comment_reports::reason)
                    .first(conn)
                    .await
                    .optional()?
                    .unwrap_or_default();
                queue.push(ReportedComment {
                    comment: row.into(),
                    subject_kind,
                    subject_id,
                    reports,
                    latest_reason,
                });
            }
            Ok(queue)
        }
    }
}
