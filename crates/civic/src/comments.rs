//! Comments on any subject: written by signed-in users, reported by them to the
//! moderators, hidden by a moderator with a public reason (the place of a hidden comment
//! stays in the discussion, with the reason instead of the text). A discussion that asks
//! for positions (an initiative's) stores each comment's [`Position`] and counts them.

use chrono::NaiveDateTime;
use platform::error::{AppError, check_text};
use platform::id_type;
use serde::{Deserialize, Serialize};

id_type!(
    /// A comment.
    CommentId
);

/// Most characters of a comment.
pub const COMMENT_MAX: usize = 2000;
/// Most characters of a report's or a hiding's reason.
pub const REASON_MAX: usize = 500;

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

    /// Counts the positions of the shown comments among `comments`.
    pub fn count(comments: &[Comment]) -> Self {
        let mut counts = Self::default();
        for comment in comments.iter().filter(|c| c.hidden_reason.is_none()) {
            match comment.position {
                Some(Position::For) => counts.in_favour += 1,
                Some(Position::Against) => counts.against += 1,
                Some(Position::Neutral) => counts.neutral += 1,
                None => {}
            }
        }
        counts
    }
}

/// A comment as a discussion shows it.
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
    use chrono::NaiveDateTime;
    use diesel::prelude::*;
    use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl};
    use platform::db::last_insert_id;
    use platform::db::schema::{comment_reports, comments, users};
    use platform::error::AppError;
    use platform::ids::UserId;

    use super::{Comment, CommentId, Position, ReportedComment};
    use crate::audit::{AuditEntry, AuditEvent};
    use crate::subject::Subject;

    /// A comment row as the discussion reads it.
    #[derive(Queryable, Selectable)]
    #[diesel(table_name = comments, check_for_backend(diesel::mysql::Mysql))]
    struct CommentRow {
        id: CommentId,
        body: String,
        position: Option<String>,
        created_at: NaiveDateTime,
        hidden_reason: Option<String>,
        #[diesel(select_expression = users::display_name)]
        author_name: String,
    }

    impl From<CommentRow> for Comment {
        fn from(row: CommentRow) -> Self {
            let shown = row.hidden_reason.is_none();
            Comment {
                id: row.id,
                author_name: row.author_name,
                body: if shown { row.body } else { String::new() },
                position: row.position.as_deref().and_then(Position::from_db),
                at: row.created_at,
                hidden_reason: row.hidden_reason,
            }
        }
    }

    #[derive(Insertable)]
    #[diesel(table_name = comments)]
    struct NewComment<'a> {
        subject_kind: &'a str,
        subject_id: u64,
        author_id: UserId,
        body: &'a str,
        position: Option<&'static str>,
        created_at: NaiveDateTime,
    }

    /// The comments of every subject.
    pub struct Comments;

    impl Comments {
        /// Adds `body` (validated by the caller) by `author` to `subject`, taking
        /// `position` where the discussion asks for one. The owner of the subject checks
        /// first that it takes comments, and keeps its own counter.
        pub async fn add(
            conn: &mut AsyncMysqlConnection,
            subject: Subject,
            author: UserId,
            body: &str,
            position: Option<Position>,
            now: NaiveDateTime,
        ) -> QueryResult<CommentId> {
            diesel::insert_into(comments::table)
                .values(NewComment {
                    subject_kind: subject.kind.as_str(),
                    subject_id: subject.id,
                    author_id: author,
                    body,
                    position: position.map(Position::as_db),
                    created_at: now,
                })
                .execute(conn)
                .await?;
            last_insert_id(conn).await.map(CommentId)
        }

        /// The discussion of `subject`, oldest first.
        pub async fn of(
            conn: &mut AsyncMysqlConnection,
            subject: Subject,
        ) -> QueryResult<Vec<Comment>> {
            let rows: Vec<CommentRow> = comments::table
                .inner_join(users::table.on(users::id.eq(comments::author_id)))
                .filter(comments::subject_kind.eq(subject.kind.as_str()))
                .filter(comments::subject_id.eq(subject.id))
                .order(comments::id.asc())
                .select(CommentRow::as_select())
                .load(conn)
                .await?;
            Ok(rows.into_iter().map(Comment::from).collect())
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
