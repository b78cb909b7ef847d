//! The text of an initiative: publishing versions, amendments, their supports and the
//! editor's dispositions, and comparing versions.
//!
//! Publishing and deciding lock the initiative's row first, as the stage steps do, so a
//! version and a disposition never cross: an amendment is decided against the version it
//! amends or found outdated by the version that changed its article, never both.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl};

use super::super::model::drafting::{
    AMENDMENT, Amendment, AmendmentId, AmendmentStatus, Article, Comparison, Disposition,
    DraftText, ValidAmendment, VersionSummary, compare, same_text,
};
use super::super::model::{EventKind, INITIATIVE, InitiativeId, Stage};
use super::{LockedRow, SeenInitiative, lock, record_event, seen_by};
use crate::auth::model::{Acting, SessionUser, UserId};
use civic::audit::{AuditEntry, AuditEvent};
use civic::follows::Follows;
use civic::supports::Supports;
use platform::db::last_insert_id;
use platform::db::schema::{
    initiative_amendments, initiative_articles, initiative_remarks, initiative_versions,
    initiatives, users,
};
use platform::error::{AppError, ErrorCode};

/// Articles written per INSERT of a new version.
const ARTICLE_BATCH: usize = platform::db::INSERT_CHUNK;

/// An amendment's row with its author's name.
#[derive(Queryable, Selectable)]
#[diesel(table_name = initiative_amendments, check_for_backend(diesel::mysql::Mysql))]
struct AmendmentRow {
    id: AmendmentId,
    version_id: u64,
    article_label: String,
    body: String,
    justification: String,
    anonymous: bool,
    status: String,
    reason: Option<String>,
    taken_in_version_id: Option<u64>,
    support_count: u32,
    created_at: NaiveDateTime,
}

/// The text's queries.
pub struct Drafts;

impl Drafts {
    /// Publishes the next version of the text as `acting`, an official of the responsible
    /// body, while the initiative is drafted. `base` is the version the editor started
    /// from: if another was published since, nothing is written and the editor gets a
    /// conflict (and keeps the text). Accepted amendments not yet taken in are taken in by
    /// this version; open amendments whose article it changes or drops become outdated.
    pub async fn publish(
        conn: &mut AsyncMysqlConnection,
        id: InitiativeId,
        acting: &Acting,
        base: u32,
        articles: &[Article],
        note: &str,
        now: NaiveDateTime,
    ) -> Result<u32, AppError> {
        let (acting, articles, note) = (acting.clone(), articles.to_vec(), note.to_string());
        conn.transaction(async move |conn| {
            let row = lock(conn, id).await?;
            row.check_editor(&acting, Stage::Drafting, "publish_version")?;
            let latest: Option<(u64, u32)> = initiative_versions::table
                .filter(initiative_versions::initiative_id.eq(id))
                .order(initiative_versions::number.desc())
                .select((initiative_versions::id, initiative_versions::number))
                .first(conn)
                .await
                .optional()?;
            let latest_number = latest.map_or(0, |(_, number)| number);
            if base != latest_number {
                return Err(AppError::Conflict);
            }
            let number = latest_number + 1;
            diesel::insert_into(initiative_versions::table)
                .values((
                    initiative_versions::initiative_id.eq(id),
                    initiative_versions::number.eq(number),
                    initiative_versions::editor_id.eq(acting.user),
                    initiative_versions::note.eq((!note.is_empty()).then_some(note.as_str())),
                    initiative_versions::article_count
                        .eq(u32::try_from(articles.len()).unwrap_or(u32::MAX)),
                    initiative_versions::created_at.eq(now),
                ))
                .execute(conn)
                .await?;
            let version_id = last_insert_id(conn).await?;
            for (chunk_index, chunk) in articles.chunks(ARTICLE_BATCH).enumerate() {
                let rows: Vec<_> = chunk
                    .iter()
                    .enumerate()
                    .map(|(index, article)| {
                        let position = chunk_index * ARTICLE_BATCH + index + 1;
                        (
                            initiative_articles::version_id.eq(version_id),
                            initiative_articles::position
                                .eq(u32::try_from(position).unwrap_or(u32::MAX)),
                            initiative_articles::label.eq(&article.label),
                            initiative_articles::heading.eq(&article.heading),
                            initiative_articles::body.eq(&article.body),
                        )
                    })
                    .collect();
                diesel::insert_into(initiative_articles::table)
                    .values(rows)
                    .execute(conn)
                    .await?;
            }
            if latest.is_some() {
                settle_amendments(conn, id, version_id, &articles, now).await?;
            }
            record_event(
                conn,
                id,
                EventKind::VersionPublished,
                Stage::Drafting,
                Some(acting.user),
                (!note.is_empty()).then_some(note.as_str()),
                now,
            )
            .await?;
            AuditEntry::record(
                conn,
                AuditEvent {
                    actor: Some(acting.user),
                    action: "initiative.publish_version",
                    target_kind: INITIATIVE.as_str(),
                    target_id: Some(id.0),
                    details: serde_json::json!({
                        "version": number,
                        "articles": articles.len(),
                    }),
                },
                now,
            )
            .await?;
            Ok(number)
        })
        .await
    }

    /// Refuses `acting` unless they may publish the initiative's next version now (read
    /// without a lock: publishing checks again).
    pub async fn check_may_publish(
        conn: &mut AsyncMysqlConnection,
        id: InitiativeId,
        acting: &Acting,
    ) -> Result<(), AppError> {
        let row = initiatives::table
            .find(id)
            .select(LockedRow::as_select())
            .first(conn)
            .await
            .optional()?
            .ok_or(AppError::NotFound)?;
        row.check_editor(acting, Stage::Drafting, "publish_version")
    }

    /// Proposes an amendment to one article of the latest version; the author starts
    /// following the initiative.
    pub async fn amend(
        conn: &mut AsyncMysqlConnection,
        id: InitiativeId,
        author: UserId,
        amendment: &ValidAmendment,
        now: NaiveDateTime,
    ) -> Result<AmendmentId, AppError> {
        let amendment = amendment.clone();
        conn.transaction(async move |conn| {
            let row = lock(conn, id).await?;
            let stage = row.stage()?;
            if stage != Stage::Drafting {
                return Err(stage.refuse("amend"));
            }
            let version_id: u64 = initiative_versions::table
                .filter(initiative_versions::initiative_id.eq(id))
                .order(initiative_versions::number.desc())
                .select(initiative_versions::id)
                .first(conn)
                .await
                .optional()?
                .ok_or_else(|| stage.refuse("amend"))?;
            let current: String = initiative_articles::table
                .filter(initiative_articles::version_id.eq(version_id))
                .filter(initiative_articles::label.eq(&amendment.article))
                .select(initiative_articles::body)
                .first(conn)
                .await
                .optional()?
                .ok_or_else(|| AppError::invalid("article", ErrorCode::NotAllowed))?;
            if same_text(&current, &amendment.text) {
                return Err(AppError::invalid("text", ErrorCode::Unchanged));
            }
            diesel::insert_into(initiative_amendments::table)
                .values((
                    initiative_amendments::initiative_id.eq(id),
                    initiative_amendments::version_id.eq(version_id),
                    initiative_amendments::article_label.eq(&amendment.article),
                    initiative_amendments::body.eq(&amendment.text),
                    initiative_amendments::justification.eq(&amendment.justification),
                    initiative_amendments::author_id.eq(author),
                    initiative_amendments::anonymous.eq(amendment.anonymous),
                    initiative_amendments::status.eq(AmendmentStatus::Open.as_db()),
                    initiative_amendments::created_at.eq(now),
                ))
                .execute(conn)
                .await?;
            let amendment_id = AmendmentId(last_insert_id(conn).await?);
            Follows::set(conn, id.subject(), author, true, now).await?;
            Ok(amendment_id)
        })
        .await
    }

    /// Adds (`true`) or withdraws (`false`) a support of an open amendment while the
    /// initiative is drafted; returns the new count, exact under concurrency (the
    /// amendment's row is locked and the count moves only when a support row changed).
    pub async fn set_support(
        conn: &mut AsyncMysqlConnection,
        amendment: AmendmentId,
        user: UserId,
        support: bool,
        now: NaiveDateTime,
    ) -> Result<u32, AppError> {
        conn.transaction(async move |conn| {
            let (status, count, stage): (String, u32, String) = initiative_amendments::table
                .inner_join(initiatives::table)
                .filter(initiative_amendments::id.eq(amendment))
                .select((
                    initiative_amendments::status,
                    initiative_amendments::support_count,
                    initiatives::stage,
                ))
                .for_update()
                .first(conn)
                .await
                .optional()?
                .ok_or(AppError::NotFound)?;
            let stage = Stage::from_db(&stage).ok_or(AppError::Internal)?;
            if stage != Stage::Drafting || status != AmendmentStatus::Open.as_db() {
                return Err(AppError::IllegalTransition {
                    status,
                    action: "support".to_string(),
                });
            }
            let changed = Supports::set(conn, amendment.subject(), user, support, now).await?;
            let count = match (changed, support) {
                (false, _) => count,
                (true, true) => count + 1,
                (true, false) => count.saturating_sub(1),
            };
            if changed {
                diesel::update(initiative_amendments::table.find(amendment))
                    .set(initiative_amendments::support_count.eq(count))
                    .execute(conn)
                    .await?;
            }
            Ok(count)
        })
        .await
    }

    /// The text page: the versions, version `number` (the latest when `None`) with its
    /// articles, every amendment, and what `viewer` may do. An initiative the viewer may
    /// not see is not found.
    pub async fn text(
        conn: &mut AsyncMysqlConnection,
        id: InitiativeId,
        number: Option<u32>,
        viewer: Option<&SessionUser>,
    ) -> Result<DraftText, AppError> {
        let SeenInitiative {
            title,
            stage,
            viewer: viewer_state,
            edits,
        } = seen_by(conn, id, viewer).await?;
        /// (id, number, editor's name, note, articles, when) of a version.
        type VersionRow = (u64, u32, String, Option<String>, u32, NaiveDateTime);
        let rows: Vec<VersionRow> = initiative_versions::table
            .inner_join(users::table)
            .filter(initiative_versions::initiative_id.eq(id))
            .order(initiative_versions::number.asc())
            .select((
                initiative_versions::id,
                initiative_versions::number,
                users::display_name,
                initiative_versions::note,
                initiative_versions::article_count,
                initiative_versions::created_at,
            ))
            .load(conn)
            .await?;
        let shown = match number {
            Some(number) => Some(
                rows.iter()
                    .find(|row| row.1 == number)
                    .ok_or(AppError::NotFound)?,
            ),
            None => rows.last(),
        };
        let articles = match shown {
            Some(row) => articles_of(conn, row.0).await?,
            None => Vec::new(),
        };
        let numbers: HashMap<u64, u32> = rows.iter().map(|row| (row.0, row.1)).collect();
        let amendments = amendments_of(conn, id, &numbers).await?;
        let supported = match viewer {
            Some(user) => {
                let ids: Vec<u64> = amendments.iter().map(|amendment| amendment.id.0).collect();
                Supports::among(conn, AMENDMENT, &ids, user.id)
                    .await?
                    .into_iter()
                    .map(AmendmentId)
                    .collect()
            }
            None => Vec::new(),
        };
        Ok(DraftText {
            title,
            stage,
            shown: shown.map(|row| row.1),
            versions: rows
                .into_iter()
                .map(
                    |(_, number, editor_name, note, article_count, created_at)| VersionSummary {
                        number,
                        editor_name,
                        note,
                        article_count,
                        created_at,
                    },
                )
                .collect(),
            articles,
            amendments,
            supported,
            viewer: viewer_state,
            edits,
        })
    }

    /// Versions `from` and `to` of a public initiative, compared article by article.
    pub async fn compare(
        conn: &mut AsyncMysqlConnection,
        id: InitiativeId,
        from: u32,
        to: u32,
    ) -> Result<Comparison, AppError> {
        let (title, stage): (String, String) = initiatives::table
            .find(id)
            .select((initiatives::title, initiatives::stage))
            .first(conn)
            .await
            .optional()?
            .ok_or(AppError::NotFound)?;
        if !Stage::from_db(&stage).is_some_and(Stage::is_public) {
            return Err(AppError::NotFound);
        }
        let versions: Vec<(u64, u32)> = initiative_versions::table
            .filter(initiative_versions::initiative_id.eq(id))
            .order(initiative_versions::number.asc())
            .select((initiative_versions::id, initiative_versions::number))
            .load(conn)
            .await?;
        let version_id = |number: u32| {
            versions
                .iter()
                .find(|(_, candidate)| *candidate == number)
                .map(|(id, _)| *id)
                .ok_or(AppError::NotFound)
        };
        let old = articles_of(conn, version_id(from)?).await?;
        let new = articles_of(conn, version_id(to)?).await?;
        Ok(Comparison {
            title,
            versions: versions.iter().map(|(_, number)| *number).collect(),
            from,
            to,
            changes: compare(&old, &new),
        })
    }
}

/// After version `version_id` (with `articles`) is published: accepted amendments and
/// expert remarks not yet taken in are taken in by it; open amendments whose article it
/// changed or dropped are outdated.
async fn settle_amendments(
    conn: &mut AsyncMysqlConnection,
    id: InitiativeId,
    version_id: u64,
    articles: &[Article],
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(
        initiative_amendments::table
            .filter(initiative_amendments::initiative_id.eq(id))
            .filter(initiative_amendments::taken_in_version_id.is_null())
            .filter(initiative_amendments::status.eq_any([
                Disposition::Accepted.as_db(),
                Disposition::PartlyAccepted.as_db(),
            ])),
    )
    .set(initiative_amendments::taken_in_version_id.eq(version_id))
    .execute(conn)
    .await?;
    diesel::update(
        initiative_remarks::table
            .filter(initiative_remarks::initiative_id.eq(id))
            .filter(initiative_remarks::taken_in_version_id.is_null())
            .filter(initiative_remarks::status.eq_any([
                Disposition::Accepted.as_db(),
                Disposition::PartlyAccepted.as_db(),
            ])),
    )
    .set(initiative_remarks::taken_in_version_id.eq(version_id))
    .execute(conn)
    .await?;
    let open: Vec<(AmendmentId, String, String)> = initiative_amendments::table
        .inner_join(
            initiative_articles::table.on(initiative_articles::version_id
                .eq(initiative_amendments::version_id)
                .and(initiative_articles::label.eq(initiative_amendments::article_label))),
        )
        .filter(initiative_amendments::initiative_id.eq(id))
        .filter(initiative_amendments::status.eq(AmendmentStatus::Open.as_db()))
        .select((
            initiative_amendments::id,
            initiative_amendments::article_label,
            initiative_articles::body,
        ))
        .load(conn)
        .await?;
    let now_text: HashMap<&str, &str> = articles
        .iter()
        .map(|article| (article.label.as_str(), article.body.as_str()))
        .collect();
    let outdated: Vec<AmendmentId> = open
        .into_iter()
        .filter(|(_, label, amended)| {
            now_text
                .get(label.as_str())
                .is_none_or(|current| !same_text(current, amended))
        })
        .map(|(amendment, ..)| amendment)
        .collect();
    if !outdated.is_empty() {
        diesel::update(
            initiative_amendments::table.filter(initiative_amendments::id.eq_any(&outdated)),
        )
        .set((
            initiative_amendments::status.eq(AmendmentStatus::Outdated.as_db()),
            initiative_amendments::decided_at.eq(now),
        ))
        .execute(conn)
        .await?;
    }
    Ok(())
}

/// A version's articles, in order.
async fn articles_of(
    conn: &mut AsyncMysqlConnection,
    version_id: u64,
) -> QueryResult<Vec<Article>> {
    let rows: Vec<(String, String, String)> = initiative_articles::table
        .filter(initiative_articles::version_id.eq(version_id))
        .order(initiative_articles::position.asc())
        .select((
            initiative_articles::label,
            initiative_articles::heading,
            initiative_articles::body,
        ))
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(label, heading, body)| Article {
            label,
            heading,
            body,
        })
        .collect())
}

/// Every amendment of an initiative, oldest first; `numbers` maps version ids to numbers.
async fn amendments_of(
    conn: &mut AsyncMysqlConnection,
    id: InitiativeId,
    numbers: &HashMap<u64, u32>,
) -> Result<Vec<Amendment>, AppError> {
    let rows: Vec<(AmendmentRow, String)> = initiative_amendments::table
        .inner_join(users::table.on(users::id.eq(initiative_amendments::author_id)))
        .filter(initiative_amendments::initiative_id.eq(id))
        .order(initiative_amendments::id.asc())
        .select((AmendmentRow::as_select(), users::display_name))
        .load(conn)
        .await?;
    rows.into_iter()
        .map(|(row, author_name)| {
            Ok(Amendment {
                id: row.id,
                article: row.article_label,
                version: numbers
                    .get(&row.version_id)
                    .copied()
                    .ok_or(AppError::Internal)?,
                text: row.body,
                justification: row.justification,
                author_name: (!row.anonymous).then_some(author_name),
                status: AmendmentStatus::from_db(&row.status).ok_or(AppError::Internal)?,
                reason: row.reason,
                taken_in: row
                    .taken_in_version_id
                    .and_then(|version| numbers.get(&version).copied()),
                support_count: row.support_count,
                created_at: row.created_at,
            })
        })
        .collect()
}
