//! Reports and decisions in the database. A report is one person's, once per subject; a
//! decision answers every open report of its subject in one transaction, applies itself
//! (hides the publication, suspends the author), tells the author why and is audited.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Datetime, Text, Unsigned};
use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl};

use super::model::{
    DECISION, Decision, DecisionNotice, REASON_MAX, ReportedItem, ReportedKind, SUSPENSION_DAYS_MAX,
};
use crate::auth::model::{AVATAR, PERSON};
use civic::audit::{AuditEntry, AuditEvent};
use civic::notifications::Notifications;
use civic::photos::Photos;
use civic::subject::{Subject, SubjectKind};
use platform::db::last_insert_id;
use platform::db::schema::{
    challenges, content_reports, conversation_members, galleries, messages, moderation_decisions,
    profiles, publications, solutions, users,
};
use platform::error::{AppError, ErrorCode, FieldError, check_text};
use platform::ids::UserId;
use platform::text::excerpt;

/// Characters of a reported text the queue shows.
const EXCERPT: usize = 300;

/// A reason as typed, trimmed; `Required` or `TooLong` otherwise.
pub fn validate_reason(reason: &str) -> Result<String, AppError> {
    let mut errors: Vec<FieldError> = Vec::new();
    check_text("reason", reason, 1, REASON_MAX, &mut errors);
    if errors.is_empty() {
        Ok(reason.trim().to_string())
    } else {
        Err(AppError::Invalid { errors })
    }
}

/// A reported subject as the moderators see it: whose, its text and its page.
struct Reported {
    author: UserId,
    author_name: String,
    text: String,
    href: Option<String>,
}

/// `kind` `id` as the moderators see it; `NotFound` when it is gone.
async fn reported(
    conn: &mut AsyncMysqlConnection,
    kind: ReportedKind,
    id: u64,
) -> Result<Reported, AppError> {
    let (author, text, href): (UserId, String, Option<String>) = match kind {
        ReportedKind::Publication => {
            let (author, body): (UserId, String) = publications::table
                .find(id)
                .select((publications::author_id, publications::body))
                .first(conn)
                .await
                .optional()?
                .ok_or(AppError::NotFound)?;
            (author, body, Some(format!("/publications/{id}")))
        }
        ReportedKind::Person => {
            let about: Option<String> = profiles::table
                .find(UserId(id))
                .select(profiles::about)
                .first(conn)
                .await
                .optional()?;
            (
                UserId(id),
                about.unwrap_or_default(),
                Some(format!("/people/{id}")),
            )
        }
        ReportedKind::Gallery => {
            let (owner, title, description): (UserId, String, String) = galleries::table
                .find(id)
                .select((
                    galleries::owner_id,
                    galleries::title,
                    galleries::description,
                ))
                .first(conn)
                .await
                .optional()?
                .ok_or(AppError::NotFound)?;
            let text = if description.is_empty() {
                title
            } else {
                format!("{title}\n{description}")
            };
            (owner, text, Some(format!("/galleries/{id}")))
        }
        ReportedKind::Challenge => {
            let (author, title, description): (UserId, String, String) = challenges::table
                .find(id)
                .select((
                    challenges::author_id,
                    challenges::title,
                    challenges::description,
                ))
                .first(conn)
                .await
                .optional()?
                .ok_or(AppError::NotFound)?;
            (
                author,
                format!("{title}\n{description}"),
                Some(format!("/solutions/challenges/{id}")),
            )
        }
        ReportedKind::Solution => {
            let (author, title, description): (UserId, String, String) = solutions::table
                .find(id)
                .select((
                    solutions::author_id,
                    solutions::title,
                    solutions::description,
                ))
                .first(conn)
                .await
                .optional()?
                .ok_or(AppError::NotFound)?;
            (
                author,
                format!("{title}\n{description}"),
                Some(format!("/solutions/{id}")),
            )
        }
        ReportedKind::Message => {
            let (sender, body): (UserId, String) = messages::table
                .find(id)
                .select((messages::sender_id, messages::body))
                .first(conn)
                .await
                .optional()?
                .ok_or(AppError::NotFound)?;
            // A conversation is private: the moderators read the reported message only.
            (sender, body, None)
        }
    };
    let author_name: String = users::table
        .find(author)
        .filter(users::deleted_at.is_null())
        .select(users::display_name)
        .first(conn)
        .await
        .optional()?
        .ok_or(AppError::NotFound)?;
    Ok(Reported {
        author,
        author_name,
        text: excerpt(&text, EXCERPT),
        href,
    })
}

#[derive(QueryableByName)]
struct OpenRow {
    #[diesel(sql_type = Text)]
    subject_kind: String,
    #[diesel(sql_type = Unsigned<BigInt>)]
    subject_id: u64,
    #[diesel(sql_type = BigInt)]
    reports: i64,
    #[diesel(sql_type = Unsigned<BigInt>)]
    newest: u64,
    #[diesel(sql_type = Datetime)]
    first_at: NaiveDateTime,
}

/// Hides `kind` `id` (hideable, checked by the caller) with `reason`: it leaves every
/// list, its author still sees it with the reason.
async fn hide(
    conn: &mut AsyncMysqlConnection,
    kind: ReportedKind,
    id: u64,
    reason: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let Some(table) = hiding_table(kind) else {
        return Ok(());
    };
    diesel::sql_query(format!(
        "UPDATE {table} SET hidden_at = ?, hidden_reason = ? WHERE id = ?"
    ))
    .bind::<Datetime, _>(now)
    .bind::<Text, _>(reason)
    .bind::<Unsigned<BigInt>, _>(id)
    .execute(conn)
    .await
    .map(drop)
}

/// The table of a kind moderators hide: each has `hidden_at` and `hidden_reason`.
pub(crate) fn hiding_table(kind: ReportedKind) -> Option<&'static str> {
    match kind {
        ReportedKind::Publication => Some("publications"),
        ReportedKind::Gallery => Some("galleries"),
        ReportedKind::Challenge => Some("challenges"),
        ReportedKind::Solution => Some("solutions"),
        ReportedKind::Person | ReportedKind::Message => None,
    }
}

#[derive(QueryableByName)]
struct Hidden {
    #[diesel(sql_type = diesel::sql_types::Bool)]
    hidden: bool,
}

/// Whether moderators hid `kind` `id` (a kind they do not hide never is); `NotFound`
/// when it is gone.
async fn is_hidden(
    conn: &mut AsyncMysqlConnection,
    kind: ReportedKind,
    id: u64,
) -> Result<bool, AppError> {
    let Some(table) = hiding_table(kind) else {
        return Ok(false);
    };
    let row: Option<Hidden> = diesel::sql_query(format!(
        "SELECT hidden_at IS NOT NULL AS hidden FROM {table} WHERE id = ?"
    ))
    .bind::<Unsigned<BigInt>, _>(id)
    .get_result(conn)
    .await
    .optional()?;
    row.map(|row| row.hidden).ok_or(AppError::NotFound)
}

/// Removes the content of `kind` `id` of `author` (removable, checked by the caller) for
/// good: a publication keeps its row, hidden with `reason` and its text emptied, so its
/// comments and likes keep their subject and its author sees why it went; its photos, an
/// album (row and photos), and a profile's text and avatar go. Released photos are staged
/// again, and the cleanup of abandoned uploads deletes their files.
async fn remove(
    conn: &mut AsyncMysqlConnection,
    kind: ReportedKind,
    id: u64,
    author: UserId,
    reason: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    match kind {
        ReportedKind::Publication => {
            diesel::update(publications::table.find(id))
                .set((
                    publications::body.eq(""),
                    publications::hidden_at.eq(now),
                    publications::hidden_reason.eq(reason),
                ))
                .execute(conn)
                .await?;
            Photos::release(conn, kind.subject(id), "").await?;
        }
        ReportedKind::Gallery => {
            Photos::release(conn, kind.subject(id), "").await?;
            diesel::delete(galleries::table.find(id))
                .execute(conn)
                .await?;
        }
        ReportedKind::Person => {
            diesel::update(profiles::table.find(author))
                .set(profiles::about.eq(""))
                .execute(conn)
                .await?;
            Photos::release(conn, Subject::new(PERSON, author.0), AVATAR).await?;
        }
        ReportedKind::Challenge | ReportedKind::Solution | ReportedKind::Message => {}
    }
    Ok(())
}

/// The moderation of reported publications, albums, challenges, solutions, profiles and
/// messages.
pub struct Moderation;

impl Moderation {
    /// `reporter` reports `kind` `id` with `reason`: a publication they did not write and
    /// a moderator has not hidden, another person's profile, or a message written to
    /// them. Reporting twice counts once; whether this report was new. What the reporter
    /// may not see is `NotFound`; their own is `NotAllowed`.
    pub async fn report(
        conn: &mut AsyncMysqlConnection,
        kind: ReportedKind,
        id: u64,
        reporter: UserId,
        reason: &str,
        now: NaiveDateTime,
    ) -> Result<bool, AppError> {
        let subject = reported(conn, kind, id).await?;
        let visible = match kind {
            // An album's share key is not asked for: whoever knows the id may report it
            // unless it is hidden, which tells no more than the sequential ids do.
            ReportedKind::Publication
            | ReportedKind::Gallery
            | ReportedKind::Challenge
            | ReportedKind::Solution => !is_hidden(conn, kind, id).await?,
            ReportedKind::Person => true,
            ReportedKind::Message => {
                let conversation: u64 = messages::table
                    .find(id)
                    .select(messages::conversation_id)
                    .first(conn)
                    .await?;
                diesel::select(diesel::dsl::exists(
                    conversation_members::table.find((conversation, reporter)),
                ))
                .get_result(conn)
                .await?
            }
        };
        if !visible {
            return Err(AppError::NotFound);
        }
        if subject.author == reporter {
            return Err(AppError::invalid("reason", ErrorCode::NotAllowed));
        }
        let added = diesel::insert_or_ignore_into(content_reports::table)
            .values((
                content_reports::subject_kind.eq(kind.as_db()),
                content_reports::subject_id.eq(id),
                content_reports::reporter_id.eq(reporter),
                content_reports::reason.eq(reason),
                content_reports::created_at.eq(now),
            ))
            .execute(conn)
            .await?;
        Ok(added > 0)
    }

    /// The queue: subjects with open reports, the most reported first, then the oldest.
    pub async fn queue(
        conn: &mut AsyncMysqlConnection,
        limit: u32,
    ) -> Result<Vec<ReportedItem>, AppError> {
        let rows: Vec<OpenRow> = diesel::sql_query(format!(
            "SELECT subject_kind, subject_id, COUNT(*) AS reports, MAX(id) AS newest, \
               MIN(created_at) AS first_at \
             FROM content_reports WHERE decision_id IS NULL \
             GROUP BY subject_kind, subject_id \
             ORDER BY reports DESC, MIN(id) LIMIT {limit}"
        ))
        .load(conn)
        .await?;
        let mut queue = Vec::with_capacity(rows.len());
        for row in rows {
            let Some(kind) = ReportedKind::from_db(&row.subject_kind) else {
                continue;
            };
            // A subject deleted since (a deleted account) has nothing left to decide.
            let Ok(subject) = reported(conn, kind, row.subject_id).await else {
                continue;
            };
            let latest_reason = content_reports::table
                .find(row.newest)
                .select(content_reports::reason)
                .first(conn)
                .await?;
            queue.push(ReportedItem {
                kind,
                id: row.subject_id,
                author_id: subject.author,
                author_name: subject.author_name,
                excerpt: subject.text,
                href: subject.href,
                reports: u32::try_from(row.reports).unwrap_or(u32::MAX),
                latest_reason,
                first_at: row.first_at,
            });
        }
        Ok(queue)
    }

    /// `moderator` decides on `kind` `id` with `reason` (the caller checks the role):
    /// every open report of it is answered, the decision applied (`Hide` takes a
    /// publication or an album out of every list and is refused for other kinds; `Suspend` stops the
    /// author's writing for `days`, 1 to 90), the author told, and the step audited.
    #[allow(clippy::too_many_arguments)]
    pub async fn decide(
        conn: &mut AsyncMysqlConnection,
        kind: ReportedKind,
        id: u64,
        moderator: UserId,
        decision: Decision,
        reason: &str,
        days: u32,
        now: NaiveDateTime,
    ) -> Result<u64, AppError> {
        if !kind.allows(decision) {
            return Err(AppError::invalid("decision", ErrorCode::NotAllowed));
        }
        let suspended_until = match decision {
            Decision::Suspend if (1..=SUSPENSION_DAYS_MAX).contains(&days) => {
                Some(now + Duration::days(i64::from(days)))
            }
            Decision::Suspend => {
                return Err(AppError::invalid(
                    "days",
                    ErrorCode::OutOfRange {
                        min: 1,
                        max: i64::from(SUSPENSION_DAYS_MAX),
                    },
                ));
            }
            _ => None,
        };
        conn.transaction(async move |conn| {
            let subject = reported(conn, kind, id).await?;
            diesel::insert_into(moderation_decisions::table)
                .values((
                    moderation_decisions::subject_kind.eq(kind.as_db()),
                    moderation_decisions::subject_id.eq(id),
                    moderation_decisions::author_id.eq(subject.author),
                    moderation_decisions::decision.eq(decision.as_db()),
                    moderation_decisions::reason.eq(reason),
                    moderation_decisions::suspended_until.eq(suspended_until),
                    moderation_decisions::decided_by.eq(moderator),
                    moderation_decisions::decided_at.eq(now),
                ))
                .execute(conn)
                .await?;
            let decided = last_insert_id(conn).await?;
            diesel::update(
                content_reports::table
                    .filter(content_reports::subject_kind.eq(kind.as_db()))
                    .filter(content_reports::subject_id.eq(id))
                    .filter(content_reports::decision_id.is_null()),
            )
            .set(content_reports::decision_id.eq(decided))
            .execute(conn)
            .await?;
            match decision {
                Decision::Hide => hide(conn, kind, id, reason, now).await?,
                Decision::Remove => remove(conn, kind, id, subject.author, reason, now).await?,
                Decision::Suspend => {
                    diesel::update(users::table.find(subject.author))
                        .set(users::suspended_until.eq(suspended_until))
                        .execute(conn)
                        .await?;
                }
                Decision::Warn | Decision::Dismiss => {}
            }
            if decision != Decision::Dismiss {
                Notifications::to_user(
                    conn,
                    subject.author,
                    Subject::new(SubjectKind::new(DECISION), decided),
                    decision.as_db(),
                    now,
                )
                .await?;
            }
            AuditEntry::record(
                conn,
                AuditEvent {
                    actor: Some(moderator),
                    action: match decision {
                        Decision::Hide => "moderation.hide",
                        Decision::Remove => "moderation.remove",
                        Decision::Warn => "moderation.warn",
                        Decision::Suspend => "moderation.suspend",
                        Decision::Dismiss => "moderation.dismiss",
                    },
                    target_kind: kind.as_db(),
                    target_id: Some(id),
                    details: serde_json::json!({
                        "reason": reason,
                        "author": subject.author.0,
                        "suspended_until": suspended_until,
                    }),
                },
                now,
            )
            .await?;
            Ok(decided)
        })
        .await
    }

    /// The decisions `ids` as their author's notifications show them.
    pub async fn notices(
        conn: &mut AsyncMysqlConnection,
        ids: &[u64],
    ) -> QueryResult<Vec<(u64, DecisionNotice)>> {
        let rows: Vec<(u64, String, u64, String, String)> = moderation_decisions::table
            .filter(moderation_decisions::id.eq_any(ids))
            .select((
                moderation_decisions::id,
                moderation_decisions::subject_kind,
                moderation_decisions::subject_id,
                moderation_decisions::decision,
                moderation_decisions::reason,
            ))
            .load(conn)
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(id, kind, subject, decision, reason)| {
                let href = match ReportedKind::from_db(&kind)? {
                    ReportedKind::Publication => format!("/publications/{subject}"),
                    ReportedKind::Person => format!("/people/{subject}"),
                    ReportedKind::Message => "/messages".to_string(),
                    ReportedKind::Gallery => format!("/galleries/{subject}"),
                    ReportedKind::Challenge => format!("/solutions/challenges/{subject}"),
                    ReportedKind::Solution => format!("/solutions/{subject}"),
                };
                Some((
                    id,
                    DecisionNotice {
                        decision: Decision::from_db(&decision)?,
                        reason,
                        href,
                    },
                ))
            })
            .collect())
    }
}
