//! Challenges and solutions in the database. Supports, comments, follows, notifications
//! and the audit log are the civic building blocks'; this module keeps the counters the
//! lists sort by, in the same transaction as the rows they count.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl};

use super::model::{
    ANSWERED, Answer, CHALLENGE, ChallengeId, ChallengeSummary, PROPOSED, SOLUTION,
    SOLUTIONS_PER_PAGE, SolutionId, SolutionOrder, SolutionStatus, SolutionSummary, ValidChallenge,
    ValidSolution,
};
use crate::auth::model::{Role, SessionUser};
use crate::geography::model::MunicipalityId;
use civic::audit::{AuditEntry, AuditEvent};
use civic::comments::{CommentId, Comments};
use civic::follows::Follows;
use civic::notifications::Notifications;
use civic::photos::Photos;
use civic::supports::Supports;
use platform::db::last_insert_id;
use platform::db::schema::{challenges, departments, municipalities, solutions, themes, users};
use platform::error::{AppError, ErrorCode};
use platform::ids::{DepartmentId, ThemeId, UserId};
use platform::sketch::Sketch;

/// A challenge's row.
#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = challenges, check_for_backend(diesel::mysql::Mysql))]
pub struct ChallengeRow {
    pub id: ChallengeId,
    pub municipality_id: Option<MunicipalityId>,
    pub theme_id: ThemeId,
    pub department_id: Option<DepartmentId>,
    pub title: String,
    pub description: String,
    pub area_geojson: Option<String>,
    pub proposals_until: NaiveDate,
    pub solution_count: u32,
    pub author_id: UserId,
    pub created_at: NaiveDateTime,
    pub hidden_at: Option<NaiveDateTime>,
    pub hidden_reason: Option<String>,
}

/// Whether `reader` may see a subject of `author` that moderators hid (`hidden`):
/// everyone while it is not hidden; then its author and the moderators only.
fn may_see(hidden: bool, author: UserId, reader: Option<&SessionUser>) -> bool {
    !hidden || reader.is_some_and(|user| user.id == author || moderates_solutions(user))
}

/// Why the moderators hid a subject, for its author only.
fn reason_for(
    reason: &Option<String>,
    author: UserId,
    reader: Option<&SessionUser>,
) -> Option<String> {
    reason
        .clone()
        .filter(|_| reader.is_some_and(|user| user.id == author))
}

/// Whether `user` moderates solutions (moderators and administrators answer every
/// challenge).
pub fn moderates_solutions(user: &SessionUser) -> bool {
    user.has_role(Role::Moderator) || user.has_role(Role::Admin)
}

impl ChallengeRow {
    /// Whether `reader` may see it (hidden: its author and the moderators only).
    pub fn visible_to(&self, reader: Option<&SessionUser>) -> bool {
        may_see(self.hidden_at.is_some(), self.author_id, reader)
    }

    /// Why the moderators hid it, for its author.
    pub fn hidden_reason_for(&self, reader: Option<&SessionUser>) -> Option<String> {
        reason_for(&self.hidden_reason, self.author_id, reader)
    }

    /// Whether `user` owns it (answers its solutions): a moderator, or an official of its
    /// department.
    pub fn owned_by(&self, user: &SessionUser) -> bool {
        moderates_solutions(user)
            || self
                .department_id
                .is_some_and(|department| user.official_departments().contains(&department))
    }

    /// What lists show of it.
    pub fn summary(&self) -> ChallengeSummary {
        ChallengeSummary {
            id: self.id,
            title: self.title.clone(),
            municipality: self.municipality_id,
            theme: self.theme_id,
            proposals_until: self.proposals_until,
            solution_count: self.solution_count,
            area: self.area_geojson.as_deref().and_then(Sketch::from_stored),
            created_at: self.created_at,
        }
    }

    /// Whether solutions can be proposed on `today` (region time).
    pub fn takes_proposals(&self, today: NaiveDate) -> bool {
        today <= self.proposals_until
    }
}

/// A solution's row.
#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = solutions, check_for_backend(diesel::mysql::Mysql))]
pub struct SolutionRow {
    pub id: SolutionId,
    pub challenge_id: ChallengeId,
    pub author_id: UserId,
    pub title: String,
    pub description: String,
    pub sketch_geojson: Option<String>,
    pub status: String,
    pub status_reason: String,
    pub answered_at: Option<NaiveDateTime>,
    pub support_count: u32,
    pub comment_count: u32,
    pub created_at: NaiveDateTime,
    pub hidden_at: Option<NaiveDateTime>,
    pub hidden_reason: Option<String>,
}

impl SolutionRow {
    /// Whether `reader` may see it (hidden: its author and the moderators only).
    pub fn visible_to(&self, reader: Option<&SessionUser>) -> bool {
        may_see(self.hidden_at.is_some(), self.author_id, reader)
    }

    /// Why the moderators hid it, for its author.
    pub fn hidden_reason_for(&self, reader: Option<&SessionUser>) -> Option<String> {
        reason_for(&self.hidden_reason, self.author_id, reader)
    }

    /// Its status (an unknown stored status is an internal error: the table's check
    /// admits only known ones).
    pub fn status(&self) -> Result<SolutionStatus, AppError> {
        SolutionStatus::from_db(&self.status).ok_or(AppError::Internal)
    }

    /// What lists show of it, as a reader who does (`supported`) or does not support it,
    /// naming its author `author_name`.
    pub fn summary(
        &self,
        supported: bool,
        author_name: String,
    ) -> Result<SolutionSummary, AppError> {
        Ok(SolutionSummary {
            id: self.id,
            challenge: self.challenge_id,
            title: self.title.clone(),
            status: self.status()?,
            sketch: self.sketch_geojson.as_deref().and_then(Sketch::from_stored),
            supports: self.support_count,
            comments: self.comment_count,
            supported,
            author_name,
            created_at: self.created_at,
        })
    }
}

#[derive(Insertable)]
#[diesel(table_name = challenges)]
struct NewChallenge<'a> {
    municipality_id: Option<MunicipalityId>,
    theme_id: ThemeId,
    department_id: Option<DepartmentId>,
    title: &'a str,
    description: &'a str,
    area_geojson: Option<String>,
    proposals_until: NaiveDate,
    author_id: UserId,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = solutions)]
struct NewSolution<'a> {
    challenge_id: ChallengeId,
    author_id: UserId,
    title: &'a str,
    description: &'a str,
    sketch_geojson: Option<String>,
    status: &'static str,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

/// Queries on `challenges`.
pub struct Challenges;

impl Challenges {
    /// Publishes a challenge (validated by the caller) by staff member `author`, who
    /// follows it; the audit log keeps who published what.
    pub async fn create(
        conn: &mut AsyncMysqlConnection,
        author: UserId,
        challenge: &ValidChallenge,
        now: NaiveDateTime,
    ) -> Result<ChallengeId, AppError> {
        conn.transaction(async move |conn| {
            check_references(conn, challenge).await?;
            diesel::insert_into(challenges::table)
                .values(NewChallenge {
                    municipality_id: challenge.municipality,
                    theme_id: challenge.theme,
                    department_id: challenge.department,
                    title: &challenge.title,
                    description: &challenge.description,
                    area_geojson: challenge.area.as_ref().map(Sketch::to_geojson),
                    proposals_until: challenge.proposals_until,
                    author_id: author,
                    created_at: now,
                    updated_at: now,
                })
                .execute(conn)
                .await?;
            let id = ChallengeId(last_insert_id(conn).await?);
            Follows::set(conn, id.subject(), author, true, now).await?;
            let event = AuditEvent {
                actor: Some(author),
                action: "challenge.publish",
                target_kind: CHALLENGE.as_str(),
                target_id: Some(id.0),
                details: serde_json::json!({
                    "title": challenge.title,
                    "department": challenge.department,
                    "proposals_until": challenge.proposals_until,
                }),
            };
            AuditEntry::record(conn, event, now).await?;
            Ok(id)
        })
        .await
    }

    /// One challenge's row.
    pub async fn get(
        conn: &mut AsyncMysqlConnection,
        id: ChallengeId,
    ) -> QueryResult<Option<ChallengeRow>> {
        challenges::table
            .find(id)
            .select(ChallengeRow::as_select())
            .first(conn)
            .await
            .optional()
    }

    /// The challenges of `municipality` (all when `None`; the region's own when
    /// `Some(None)`) and `theme`, those still open on `open_on` only when given, newest
    /// first, at most `limit`.
    pub async fn list(
        conn: &mut AsyncMysqlConnection,
        municipality: Option<MunicipalityId>,
        theme: Option<ThemeId>,
        open_on: Option<NaiveDate>,
        limit: i64,
    ) -> QueryResult<Vec<ChallengeSummary>> {
        let mut query = challenges::table
            .filter(challenges::hidden_at.is_null())
            .select(ChallengeRow::as_select())
            .order((challenges::created_at.desc(), challenges::id.desc()))
            .limit(limit)
            .into_boxed();
        if let Some(municipality) = municipality {
            query = query.filter(challenges::municipality_id.eq(municipality));
        }
        if let Some(theme) = theme {
            query = query.filter(challenges::theme_id.eq(theme));
        }
        if let Some(day) = open_on {
            query = query.filter(challenges::proposals_until.ge(day));
        }
        let rows: Vec<ChallengeRow> = query.load(conn).await?;
        Ok(rows.iter().map(ChallengeRow::summary).collect())
    }
}

/// The municipality, theme and department a challenge names must exist (and the theme
/// and department be active): a typed id is refused on its field, not by a foreign key.
async fn check_references(
    conn: &mut AsyncMysqlConnection,
    challenge: &ValidChallenge,
) -> Result<(), AppError> {
    if let Some(municipality) = challenge.municipality {
        let found: i64 = municipalities::table
            .find(municipality)
            .count()
            .get_result(conn)
            .await?;
        if found == 0 {
            return Err(AppError::invalid(
                "municipality",
                ErrorCode::UnknownMunicipality,
            ));
        }
    }
    let theme_active: Option<bool> = themes::table
        .find(challenge.theme)
        .select(themes::is_active)
        .first(conn)
        .await
        .optional()?;
    if theme_active != Some(true) {
        return Err(AppError::invalid("theme", ErrorCode::UnknownTheme));
    }
    if let Some(department) = challenge.department {
        let active: Option<bool> = departments::table
            .find(department)
            .select(departments::is_active)
            .first(conn)
            .await
            .optional()?;
        if active != Some(true) {
            return Err(AppError::invalid(
                "department",
                ErrorCode::UnknownDepartment,
            ));
        }
    }
    Ok(())
}

/// Queries on `solutions`.
pub struct Solutions;

impl Solutions {
    /// Records `author`'s solution (validated by the caller) to a challenge that takes
    /// proposals on `today`; the author follows it, and the challenge's followers are told.
    pub async fn create(
        conn: &mut AsyncMysqlConnection,
        challenge: ChallengeId,
        author: UserId,
        solution: &ValidSolution,
        today: NaiveDate,
        now: NaiveDateTime,
    ) -> Result<SolutionId, AppError> {
        conn.transaction(async move |conn| {
            let row: ChallengeRow = challenges::table
                .find(challenge)
                .select(ChallengeRow::as_select())
                .for_update()
                .first(conn)
                .await
                .optional()?
                .filter(|row| row.hidden_at.is_none())
                .ok_or(AppError::NotFound)?;
            if !row.takes_proposals(today) {
                return Err(AppError::invalid("challenge", ErrorCode::TooLate));
            }
            diesel::insert_into(solutions::table)
                .values(NewSolution {
                    challenge_id: challenge,
                    author_id: author,
                    title: &solution.title,
                    description: &solution.description,
                    sketch_geojson: solution.sketch.as_ref().map(Sketch::to_geojson),
                    status: SolutionStatus::UnderConsideration.as_db(),
                    created_at: now,
                    updated_at: now,
                })
                .execute(conn)
                .await?;
            let id = SolutionId(last_insert_id(conn).await?);
            Photos::attach(conn, id.subject(), "", None, author, &solution.photo_tokens).await?;
            diesel::update(challenges::table.find(challenge))
                .set(challenges::solution_count.eq(challenges::solution_count + 1))
                .execute(conn)
                .await?;
            Follows::set(conn, id.subject(), author, true, now).await?;
            Notifications::to_followers(conn, challenge.subject(), PROPOSED, Some(author), now)
                .await?;
            Ok(id)
        })
        .await
    }

    /// One solution's row.
    pub async fn get(
        conn: &mut AsyncMysqlConnection,
        id: SolutionId,
    ) -> QueryResult<Option<SolutionRow>> {
        solutions::table
            .find(id)
            .select(SolutionRow::as_select())
            .first(conn)
            .await
            .optional()
    }

    /// Solution `id`, its row locked until the caller's transaction ends.
    pub async fn lock(
        conn: &mut AsyncMysqlConnection,
        id: SolutionId,
    ) -> QueryResult<Option<SolutionRow>> {
        solutions::table
            .find(id)
            .select(SolutionRow::as_select())
            .for_update()
            .first(conn)
            .await
            .optional()
    }

    /// The solutions of `challenge` (of `status` only, when given) in `order`, page
    /// `page` (from 0), as `reader` sees them (which they support); and whether another
    /// page follows.
    pub async fn of_challenge(
        conn: &mut AsyncMysqlConnection,
        challenge: ChallengeId,
        status: Option<SolutionStatus>,
        order: SolutionOrder,
        page: i64,
        reader: Option<UserId>,
    ) -> Result<(Vec<SolutionSummary>, bool), AppError> {
        let mut query = solutions::table
            .inner_join(users::table.on(users::id.eq(solutions::author_id)))
            .filter(solutions::challenge_id.eq(challenge))
            .filter(solutions::hidden_at.is_null())
            .select((SolutionRow::as_select(), users::display_name))
            .limit(SOLUTIONS_PER_PAGE + 1)
            .offset(page.max(0) * SOLUTIONS_PER_PAGE)
            .into_boxed();
        if let Some(status) = status {
            query = query.filter(solutions::status.eq(status.as_db()));
        }
        let mut rows: Vec<(SolutionRow, String)> = match order {
            SolutionOrder::Supports => {
                query
                    .order((solutions::support_count.desc(), solutions::id.desc()))
                    .load(conn)
                    .await?
            }
            SolutionOrder::Newest => {
                query
                    .order((solutions::created_at.desc(), solutions::id.desc()))
                    .load(conn)
                    .await?
            }
        };
        let has_more = rows.len() as i64 > SOLUTIONS_PER_PAGE;
        rows.truncate(SOLUTIONS_PER_PAGE as usize);
        let supported = match reader {
            Some(reader) => {
                let ids: Vec<u64> = rows.iter().map(|(row, _)| row.id.0).collect();
                Supports::among(conn, SOLUTION, &ids, reader).await?
            }
            None => Vec::new(),
        };
        let summaries = rows
            .into_iter()
            .map(|(row, author)| row.summary(supported.contains(&row.id.0), author))
            .collect::<Result<_, _>>()?;
        Ok((summaries, has_more))
    }

    /// The display name of a solution's author.
    pub async fn author_name(
        conn: &mut AsyncMysqlConnection,
        author: UserId,
    ) -> QueryResult<String> {
        users::table
            .find(author)
            .select(users::display_name)
            .first(conn)
            .await
    }

    /// Adds (`true`) or withdraws (`false`) `user`'s support; the new count. The count
    /// moves only when a support row really changed, in the same transaction.
    pub async fn set_support(
        conn: &mut AsyncMysqlConnection,
        id: SolutionId,
        user: UserId,
        support: bool,
        now: NaiveDateTime,
    ) -> Result<u32, AppError> {
        conn.transaction(async move |conn| {
            // A hidden solution takes no more supports or comments.
            let count: u32 = solutions::table
                .find(id)
                .filter(solutions::hidden_at.is_null())
                .select(solutions::support_count)
                .for_update()
                .first(conn)
                .await
                .optional()?
                .ok_or(AppError::NotFound)?;
            let count =
                Supports::set_counted(conn, id.subject(), user, support, now, count).await?;
            diesel::update(solutions::table.find(id))
                .set(solutions::support_count.eq(count))
                .execute(conn)
                .await?;
            Ok(count)
        })
        .await
    }

    /// Adds a comment (validated by the caller); the commenter follows the solution and
    /// its other followers are told.
    pub async fn add_comment(
        conn: &mut AsyncMysqlConnection,
        id: SolutionId,
        user: UserId,
        body: &str,
        now: NaiveDateTime,
    ) -> Result<CommentId, AppError> {
        conn.transaction(async move |conn| {
            let found: i64 = solutions::table
                .find(id)
                .filter(solutions::hidden_at.is_null())
                .count()
                .get_result(conn)
                .await?;
            if found == 0 {
                return Err(AppError::NotFound);
            }
            let comment = Comments::add(conn, id.subject(), user, body, None, None, now).await?;
            diesel::update(solutions::table.find(id))
                .set(solutions::comment_count.eq(solutions::comment_count + 1))
                .execute(conn)
                .await?;
            Follows::set(conn, id.subject(), user, true, now).await?;
            Ok(comment)
        })
        .await
    }

    /// The owner's answer: the status and its public reason, recorded with who gave it;
    /// the audit log keeps the change and the solution's followers are told. Answering
    /// with the status it has changes only the reason.
    pub async fn answer(
        conn: &mut AsyncMysqlConnection,
        id: SolutionId,
        official: UserId,
        answer: &Answer,
        now: NaiveDateTime,
    ) -> Result<(), AppError> {
        conn.transaction(async move |conn| {
            let before: String = solutions::table
                .find(id)
                .select(solutions::status)
                .for_update()
                .first(conn)
                .await
                .optional()?
                .ok_or(AppError::NotFound)?;
            diesel::update(solutions::table.find(id))
                .set((
                    solutions::status.eq(answer.status.as_db()),
                    solutions::status_reason.eq(&answer.reason),
                    solutions::answered_by.eq(Some(official)),
                    solutions::answered_at.eq(Some(now)),
                    solutions::updated_at.eq(now),
                ))
                .execute(conn)
                .await?;
            let event = AuditEvent {
                actor: Some(official),
                action: "solution.answer",
                target_kind: SOLUTION.as_str(),
                target_id: Some(id.0),
                details: serde_json::json!({
                    "from": before,
                    "to": answer.status.as_db(),
                    "reason": answer.reason,
                }),
            };
            AuditEntry::record(conn, event, now).await?;
            Notifications::to_followers(conn, id.subject(), ANSWERED, Some(official), now).await?;
            Ok(())
        })
        .await
    }
}
