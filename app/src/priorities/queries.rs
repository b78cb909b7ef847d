//! The priority catalogue, citizens' votes, changes of home, and the quarterly snapshots
//! in the database.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Nullable, Unsigned};
use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl};
use serde_json::json;

use super::model::{
    ACCEPTED, Decision, HistoryPoint, MunicipalVoters, PRIORITY, Priority, PriorityId,
    PriorityStanding, PriorityStatus, QuarterTally, REJECTED, RankMethod, Scope, ScopeFigures,
    ScopeRanking, SnapshotSummary, ValidPriority, VoteCount, previous_quarter, rank_quarter,
};
use crate::geography::model::MunicipalityId;
use civic::audit::{AuditEntry, AuditEvent};
use civic::notifications::Notifications;
use platform::db::schema::{
    departments, home_municipality_changes, municipalities, priorities, priority_rank_rows,
    priority_rank_scopes, priority_rank_snapshots, priority_vote_tallies, priority_votes, users,
};
use platform::db::{INSERT_CHUNK, claimed, is_unique_violation, last_insert_id};
use platform::error::{AppError, ErrorCode};
use platform::geo::LatLon;
use platform::ids::{DepartmentId, ThemeId, UserId};

#[derive(Queryable, Selectable)]
#[diesel(table_name = priorities, check_for_backend(diesel::mysql::Mysql))]
struct PriorityRow {
    id: PriorityId,
    municipality_id: Option<MunicipalityId>,
    theme_id: ThemeId,
    title: String,
    description: String,
    lat: Option<f64>,
    lon: Option<f64>,
    status: String,
    decision_reason: String,
    created_at: NaiveDateTime,
}

impl From<PriorityRow> for Priority {
    fn from(row: PriorityRow) -> Self {
        Priority {
            id: row.id,
            municipality: row.municipality_id,
            theme: row.theme_id,
            title: row.title,
            description: row.description,
            place: row
                .lat
                .zip(row.lon)
                .and_then(|(lat, lon)| LatLon::new(lat, lon)),
            // The CHECK constraint admits only the four statuses.
            status: PriorityStatus::from_db(&row.status).unwrap_or(PriorityStatus::Closed),
            decision_reason: row.decision_reason,
            created_at: row.created_at,
        }
    }
}

#[derive(Insertable, AsChangeset)]
#[diesel(table_name = priorities, treat_none_as_null = true)]
struct PriorityChanges<'a> {
    municipality_id: Option<MunicipalityId>,
    theme_id: ThemeId,
    title: &'a str,
    description: &'a str,
    lat: Option<f64>,
    lon: Option<f64>,
    updated_at: NaiveDateTime,
}

impl<'a> PriorityChanges<'a> {
    fn of(priority: &'a ValidPriority, now: NaiveDateTime) -> Self {
        Self {
            municipality_id: priority.municipality,
            theme_id: priority.theme,
            title: &priority.title,
            description: &priority.description,
            lat: priority.place.map(|place| place.lat),
            lon: priority.place.map(|place| place.lon),
            updated_at: now,
        }
    }
}

/// The catalogue, the votes and the changes of home.
pub struct Priorities;

impl Priorities {
    /// The priorities in `statuses`; of `municipalities` only (and not the regional ones)
    /// when given. Proposals oldest first, the rest newest first.
    pub async fn list(
        conn: &mut AsyncMysqlConnection,
        statuses: &[PriorityStatus],
        municipalities: Option<&[MunicipalityId]>,
    ) -> QueryResult<Vec<Priority>> {
        let statuses: Vec<&str> = statuses.iter().map(|status| status.as_db()).collect();
        let mut query = priorities::table
            .filter(priorities::status.eq_any(statuses))
            .select(PriorityRow::as_select())
            .order((
                (priorities::status.eq("proposed")).desc(),
                priorities::id.desc(),
            ))
            .into_boxed();
        if let Some(municipalities) = municipalities {
            query = query.filter(priorities::municipality_id.eq_any(municipalities.to_vec()));
        }
        let mut rows: Vec<Priority> = query
            .load(conn)
            .await?
            .into_iter()
            .map(Priority::from)
            .collect();
        let proposals = rows
            .iter()
            .take_while(|row| row.status == PriorityStatus::Proposed)
            .count();
        rows[..proposals].reverse();
        Ok(rows)
    }

    /// The priorities `ids`.
    pub async fn by_ids(
        conn: &mut AsyncMysqlConnection,
        ids: &[PriorityId],
    ) -> QueryResult<Vec<Priority>> {
        Ok(priorities::table
            .filter(priorities::id.eq_any(ids.to_vec()))
            .select(PriorityRow::as_select())
            .load(conn)
            .await?
            .into_iter()
            .map(Priority::from)
            .collect())
    }

    /// Priority `id`.
    pub async fn get(
        conn: &mut AsyncMysqlConnection,
        id: PriorityId,
    ) -> QueryResult<Option<Priority>> {
        Ok(priorities::table
            .find(id)
            .select(PriorityRow::as_select())
            .first(conn)
            .await
            .optional()?
            .map(Priority::from))
    }

    /// Who proposed or added priority `id` (`None`: the system, or no such priority).
    pub async fn author(
        conn: &mut AsyncMysqlConnection,
        id: PriorityId,
    ) -> QueryResult<Option<UserId>> {
        Ok(priorities::table
            .find(id)
            .select(priorities::author_id)
            .first::<Option<UserId>>(conn)
            .await
            .optional()?
            .flatten())
    }

    /// Adds `priority` as `author`'s: a citizen's proposal (`Proposed`, not audited: it
    /// is no staff action) or a published priority of staff (`Open`, audited).
    pub async fn create(
        conn: &mut AsyncMysqlConnection,
        author: Option<UserId>,
        priority: &ValidPriority,
        status: PriorityStatus,
        now: NaiveDateTime,
    ) -> Result<PriorityId, AppError> {
        conn.transaction(async move |conn| {
            check_references(conn, priority).await?;
            diesel::insert_into(priorities::table)
                .values((
                    PriorityChanges::of(priority, now),
                    priorities::status.eq(status.as_db()),
                    priorities::author_id.eq(author),
                    priorities::created_at.eq(now),
                ))
                .execute(conn)
                .await?;
            let id = PriorityId(last_insert_id(conn).await?);
            if status == PriorityStatus::Open {
                let details = json!({"title": priority.title, "municipality": priority.municipality.map(|m| m.0)});
                audit(conn, author, "priority.create", id, details, now).await?;
            }
            Ok(id)
        })
        .await
    }

    /// Changes priority `id`'s text, theme, municipality or place, audited as `actor`'s.
    pub async fn update(
        conn: &mut AsyncMysqlConnection,
        actor: UserId,
        id: PriorityId,
        priority: &ValidPriority,
        now: NaiveDateTime,
    ) -> Result<(), AppError> {
        conn.transaction(async move |conn| {
            check_references(conn, priority).await?;
            let changed = diesel::update(priorities::table.find(id))
                .set(PriorityChanges::of(priority, now))
                .execute(conn)
                .await?;
            if changed == 0 {
                return Err(AppError::NotFound);
            }
            let details = json!({"title": priority.title, "municipality": priority.municipality.map(|m| m.0)});
            audit(conn, Some(actor), "priority.update", id, details, now).await?;
            Ok(())
        })
        .await
    }

    /// Applies `decision` to priority `id` as `actor`, audited; a proposer learns of the
    /// publication or the rejection of their proposal.
    pub async fn decide(
        conn: &mut AsyncMysqlConnection,
        actor: UserId,
        id: PriorityId,
        decision: &Decision,
        now: NaiveDateTime,
    ) -> Result<PriorityStatus, AppError> {
        conn.transaction(async move |conn| {
            let (status, author): (String, Option<UserId>) = priorities::table
                .find(id)
                .select((priorities::status, priorities::author_id))
                .for_update()
                .first(conn)
                .await
                .optional()?
                .ok_or(AppError::NotFound)?;
            let from = PriorityStatus::from_db(&status).unwrap_or(PriorityStatus::Closed);
            let to = decision
                .apply(from)
                .ok_or_else(|| AppError::IllegalTransition {
                    status: from.as_db().to_string(),
                    action: decision.action(from).to_string(),
                })?;
            diesel::update(priorities::table.find(id))
                .set((
                    priorities::status.eq(to.as_db()),
                    priorities::decision_reason.eq(decision.reason()),
                    priorities::updated_at.eq(now),
                ))
                .execute(conn)
                .await?;
            let details =
                json!({"from": from.as_db(), "to": to.as_db(), "reason": decision.reason()});
            audit(conn, Some(actor), decision.action(from), id, details, now).await?;
            if from == PriorityStatus::Proposed
                && let Some(author) = author.filter(|author| *author != actor)
            {
                let kind = if to == PriorityStatus::Open {
                    ACCEPTED
                } else {
                    REJECTED
                };
                Notifications::to_user(conn, author, id.subject(), kind, now).await?;
            }
            Ok(to)
        })
        .await
    }

    /// Casts `user`'s vote for `priority` in `quarter`, counted for their home
    /// municipality now. The person's row is locked first, so their concurrent votes
    /// queue and the budget of `method` holds exactly. Returns the votes left.
    pub async fn vote(
        conn: &mut AsyncMysqlConnection,
        user: UserId,
        priority: PriorityId,
        quarter: NaiveDate,
        method: RankMethod,
        now: NaiveDateTime,
    ) -> Result<u32, AppError> {
        conn.transaction(async move |conn| {
            let home: MunicipalityId = users::table
                .find(user)
                .select(users::home_municipality_id)
                .for_update()
                .first(conn)
                .await?;
            let status: Option<String> = priorities::table
                .find(priority)
                .select(priorities::status)
                .first(conn)
                .await
                .optional()?;
            match status.as_deref().and_then(PriorityStatus::from_db) {
                None => return Err(AppError::NotFound),
                Some(PriorityStatus::Open) => {}
                Some(_) => return Err(AppError::invalid("priority", ErrorCode::NotAllowed)),
            }
            let given = counted_in(conn, user, quarter).await?;
            if given.iter().any(|(voted, _)| *voted == priority) {
                return Err(AppError::invalid("priority", ErrorCode::Duplicate));
            }
            let budget = method.votes_per_voter;
            if given.len() >= budget as usize {
                return Err(AppError::invalid(
                    "priority",
                    ErrorCode::VotesUsedUp { budget },
                ));
            }
            diesel::insert_into(priority_votes::table)
                .values((
                    priority_votes::user_id.eq(user),
                    priority_votes::priority_id.eq(priority),
                    priority_votes::quarter.eq(quarter),
                    priority_votes::municipality_id.eq(home),
                    priority_votes::created_at.eq(now),
                ))
                .execute(conn)
                .await?;
            let change = TallyChange {
                quarter,
                municipality: home,
                priority,
                first_here: !given.iter().any(|(_, counted)| *counted == home),
                first_at_all: given.is_empty(),
            };
            change.add(conn).await?;
            Ok(budget - given.len() as u32 - 1)
        })
        .await
    }

    /// Withdraws `user`'s vote for `priority` in `quarter` (the open one), so that it can
    /// be given to another; `false` when there was none. The person's row is locked as
    /// for a vote, so the running counts follow their votes exactly.
    pub async fn withdraw(
        conn: &mut AsyncMysqlConnection,
        user: UserId,
        priority: PriorityId,
        quarter: NaiveDate,
    ) -> QueryResult<bool> {
        conn.transaction(async move |conn| {
            users::table
                .find(user)
                .select(users::id)
                .for_update()
                .first::<UserId>(conn)
                .await?;
            let mut given = counted_in(conn, user, quarter).await?;
            let Some(position) = given.iter().position(|(voted, _)| *voted == priority) else {
                return Ok(false);
            };
            let (_, municipality) = given.remove(position);
            diesel::delete(
                priority_votes::table
                    .filter(priority_votes::user_id.eq(user))
                    .filter(priority_votes::priority_id.eq(priority))
                    .filter(priority_votes::quarter.eq(quarter)),
            )
            .execute(conn)
            .await?;
            let change = TallyChange {
                quarter,
                municipality,
                priority,
                first_here: !given.iter().any(|(_, counted)| *counted == municipality),
                first_at_all: given.is_empty(),
            };
            change.remove(conn).await?;
            Ok(true)
        })
        .await
    }

    /// The priorities `user` voted for in `quarter`.
    pub async fn voted(
        conn: &mut AsyncMysqlConnection,
        user: UserId,
        quarter: NaiveDate,
    ) -> QueryResult<Vec<PriorityId>> {
        votes_in(conn, user, quarter).await
    }

    /// `user`'s home municipality and whether they changed it in `quarter`.
    pub async fn home(
        conn: &mut AsyncMysqlConnection,
        user: UserId,
        quarter: NaiveDate,
    ) -> QueryResult<(MunicipalityId, bool)> {
        let home = users::table
            .find(user)
            .select(users::home_municipality_id)
            .first(conn)
            .await?;
        let moved: i64 = home_municipality_changes::table
            .filter(home_municipality_changes::user_id.eq(user))
            .filter(home_municipality_changes::quarter.eq(quarter))
            .count()
            .get_result(conn)
            .await?;
        Ok((home, moved > 0))
    }

    /// Moves `user`'s home to `to` with `reason`, once in `quarter`: a second change is
    /// refused with nothing written. Votes already cast stay where they were counted.
    pub async fn change_home(
        conn: &mut AsyncMysqlConnection,
        user: UserId,
        to: MunicipalityId,
        reason: &str,
        quarter: NaiveDate,
        now: NaiveDateTime,
    ) -> Result<(), AppError> {
        conn.transaction(async move |conn| {
            let from: MunicipalityId = users::table
                .find(user)
                .select(users::home_municipality_id)
                .for_update()
                .first(conn)
                .await?;
            let known: i64 = municipalities::table
                .find(to)
                .count()
                .get_result(conn)
                .await?;
            if known == 0 {
                return Err(AppError::invalid(
                    "municipality",
                    ErrorCode::UnknownMunicipality,
                ));
            }
            if from == to {
                return Err(AppError::invalid("municipality", ErrorCode::Unchanged));
            }
            diesel::insert_into(home_municipality_changes::table)
                .values((
                    home_municipality_changes::user_id.eq(user),
                    home_municipality_changes::quarter.eq(quarter),
                    home_municipality_changes::from_municipality_id.eq(from),
                    home_municipality_changes::to_municipality_id.eq(to),
                    home_municipality_changes::reason.eq(reason),
                    home_municipality_changes::changed_at.eq(now),
                ))
                .execute(conn)
                .await
                .map_err(|error| {
                    if is_unique_violation(&error) {
                        AppError::invalid("municipality", ErrorCode::MovedThisQuarter)
                    } else {
                        error.into()
                    }
                })?;
            diesel::update(users::table.find(user))
                .set(users::home_municipality_id.eq(to))
                .execute(conn)
                .await?;
            Ok(())
        })
        .await
    }

    /// The municipalities of the municipal departments among `departments`: where their
    /// officials keep the priorities.
    pub async fn municipalities_of(
        conn: &mut AsyncMysqlConnection,
        departments: &[DepartmentId],
    ) -> QueryResult<Vec<MunicipalityId>> {
        let found: Vec<Option<MunicipalityId>> = departments::table
            .filter(departments::id.eq_any(departments.to_vec()))
            .filter(departments::is_active.eq(true))
            .select(departments::municipality_id)
            .load(conn)
            .await?;
        let mut found: Vec<MunicipalityId> = found.into_iter().flatten().collect();
        found.sort();
        found.dedup();
        Ok(found)
    }

    /// Priority `priority`'s votes in `quarter` by the voters' municipality, most first.
    pub async fn votes_by_municipality(
        conn: &mut AsyncMysqlConnection,
        priority: PriorityId,
        quarter: NaiveDate,
    ) -> QueryResult<Vec<(MunicipalityId, u32)>> {
        priority_vote_tallies::table
            .filter(priority_vote_tallies::priority_id.eq(priority))
            .filter(priority_vote_tallies::quarter.eq(quarter))
            .filter(priority_vote_tallies::votes.gt(0))
            .select((
                priority_vote_tallies::municipality_id,
                priority_vote_tallies::votes,
            ))
            .order((
                priority_vote_tallies::votes.desc(),
                priority_vote_tallies::municipality_id,
            ))
            .load(conn)
            .await
    }

    /// `quarter`'s votes counted by municipality and priority, with the voters of every
    /// municipality and of the region, from the votes themselves: the snapshot's input.
    /// Two scans of the quarter's index: the votes by municipality and priority, and the
    /// distinct voters by municipality with the region's as the rollup row.
    pub async fn tally(
        conn: &mut AsyncMysqlConnection,
        quarter: NaiveDate,
    ) -> QueryResult<QuarterTally> {
        tally_with(
            conn,
            quarter,
            "SELECT municipality_id, priority_id, COUNT(*) AS votes FROM priority_votes \
             WHERE quarter = ? GROUP BY municipality_id, priority_id",
            "SELECT municipality_id, COUNT(DISTINCT user_id) AS voters FROM priority_votes \
             WHERE quarter = ? GROUP BY municipality_id WITH ROLLUP",
        )
        .await
    }

    /// The open `quarter`'s provisional figures and standings of `scope`: the current
    /// method over the running counts, movements against the previous quarter's snapshot.
    pub async fn provisional(
        conn: &mut AsyncMysqlConnection,
        quarter: NaiveDate,
        scope: Scope,
    ) -> QueryResult<ScopeRanking> {
        let tally = Self::running_tally(conn, quarter).await?;
        let previous =
            RankSnapshots::standings(conn, previous_quarter(quarter), Some(scope)).await?;
        Ok(ScopeRanking::of(
            rank_quarter(&tally, &previous, RankMethod::CURRENT),
            scope,
        ))
    }

    /// The same figures as `tally`, read from the running counts that every vote and
    /// withdrawal keeps: the open quarter's provisional standings, at the cost of a few
    /// thousand rows instead of counting the quarter's votes on every view.
    pub async fn running_tally(
        conn: &mut AsyncMysqlConnection,
        quarter: NaiveDate,
    ) -> QueryResult<QuarterTally> {
        tally_with(
            conn,
            quarter,
            "SELECT municipality_id, priority_id, CAST(votes AS SIGNED) AS votes \
             FROM priority_vote_tallies WHERE quarter = ? AND votes > 0",
            "SELECT NULLIF(scope_id, 0) AS municipality_id, CAST(voters AS SIGNED) AS voters \
             FROM priority_voter_tallies WHERE quarter = ?",
        )
        .await
    }
}

/// A quarter's tally from `votes_sql` (votes by municipality and priority) and
/// `voters_sql` (voters by municipality, the region's with a NULL municipality), each
/// taking the quarter as its one parameter, with every municipality's population.
async fn tally_with(
    conn: &mut AsyncMysqlConnection,
    quarter: NaiveDate,
    votes_sql: &str,
    voters_sql: &str,
) -> QueryResult<QuarterTally> {
    #[derive(QueryableByName)]
    struct CountRow {
        #[diesel(sql_type = Unsigned<BigInt>)]
        municipality_id: u64,
        #[diesel(sql_type = Unsigned<BigInt>)]
        priority_id: u64,
        #[diesel(sql_type = BigInt)]
        votes: i64,
    }
    #[derive(QueryableByName)]
    struct VotersRow {
        #[diesel(sql_type = Nullable<Unsigned<BigInt>>)]
        municipality_id: Option<u64>,
        #[diesel(sql_type = BigInt)]
        voters: i64,
    }
    let votes: Vec<CountRow> = diesel::sql_query(votes_sql)
        .bind::<Date, _>(quarter)
        .load(conn)
        .await?;
    let voters: Vec<VotersRow> = diesel::sql_query(voters_sql)
        .bind::<Date, _>(quarter)
        .load(conn)
        .await?;
    let populations: Vec<(MunicipalityId, u32)> = municipalities::table
        .order(municipalities::id)
        .select((municipalities::id, municipalities::population))
        .load(conn)
        .await?;
    let voters_in = |municipality: Option<u64>| {
        voters
            .iter()
            .find(|row| row.municipality_id == municipality)
            .map_or(0, |row| clamp(row.voters.max(0) as u64))
    };
    Ok(QuarterTally {
        votes: votes
            .into_iter()
            .map(|row| VoteCount {
                municipality: MunicipalityId(row.municipality_id),
                priority: PriorityId(row.priority_id),
                votes: clamp(row.votes.max(0) as u64),
            })
            .collect(),
        municipalities: populations
            .into_iter()
            .map(|(municipality, population)| MunicipalVoters {
                municipality,
                voters: voters_in(Some(municipality.0)),
                population,
            })
            .collect(),
        region_voters: voters_in(None),
    })
}

/// The priorities `user` voted for in `quarter`, each with the municipality its vote
/// counts for, oldest first.
async fn counted_in(
    conn: &mut AsyncMysqlConnection,
    user: UserId,
    quarter: NaiveDate,
) -> QueryResult<Vec<(PriorityId, MunicipalityId)>> {
    priority_votes::table
        .filter(priority_votes::user_id.eq(user))
        .filter(priority_votes::quarter.eq(quarter))
        .order(priority_votes::id.asc())
        .select((priority_votes::priority_id, priority_votes::municipality_id))
        .load(conn)
        .await
}

/// One vote cast or withdrawn, as the running counts see it: `first_here` when it is (or
/// was) the person's only vote counted in `municipality` this quarter, `first_at_all` when
/// it is (or was) their only vote of the quarter.
struct TallyChange {
    quarter: NaiveDate,
    municipality: MunicipalityId,
    priority: PriorityId,
    first_here: bool,
    first_at_all: bool,
}

impl TallyChange {
    /// Counts a vote just cast. The rows are written in one order (the priority's count,
    /// the municipality's voters, the region's voters), so concurrent votes queue on them
    /// and never deadlock; the region's row, which every first vote touches, comes last
    /// and is held only until the commit.
    async fn add(&self, conn: &mut AsyncMysqlConnection) -> QueryResult<()> {
        diesel::sql_query(
            "INSERT INTO priority_vote_tallies (quarter, municipality_id, priority_id, votes) \
             VALUES (?, ?, ?, 1) ON DUPLICATE KEY UPDATE votes = votes + 1",
        )
        .bind::<Date, _>(self.quarter)
        .bind::<Unsigned<BigInt>, _>(self.municipality.0)
        .bind::<Unsigned<BigInt>, _>(self.priority.0)
        .execute(conn)
        .await?;
        for scope in self.voter_scopes() {
            diesel::sql_query(
                "INSERT INTO priority_voter_tallies (quarter, scope_id, voters) \
                 VALUES (?, ?, 1) ON DUPLICATE KEY UPDATE voters = voters + 1",
            )
            .bind::<Date, _>(self.quarter)
            .bind::<Unsigned<BigInt>, _>(scope.key())
            .execute(conn)
            .await?;
        }
        Ok(())
    }

    /// Uncounts a vote just withdrawn, in the same order as `add`.
    async fn remove(&self, conn: &mut AsyncMysqlConnection) -> QueryResult<()> {
        diesel::sql_query(
            "UPDATE priority_vote_tallies SET votes = votes - 1 \
             WHERE quarter = ? AND municipality_id = ? AND priority_id = ?",
        )
        .bind::<Date, _>(self.quarter)
        .bind::<Unsigned<BigInt>, _>(self.municipality.0)
        .bind::<Unsigned<BigInt>, _>(self.priority.0)
        .execute(conn)
        .await?;
        for scope in self.voter_scopes() {
            diesel::sql_query(
                "UPDATE priority_voter_tallies SET voters = voters - 1 \
                 WHERE quarter = ? AND scope_id = ?",
            )
            .bind::<Date, _>(self.quarter)
            .bind::<Unsigned<BigInt>, _>(scope.key())
            .execute(conn)
            .await?;
        }
        Ok(())
    }

    /// The scopes whose voters change, in lock order.
    fn voter_scopes(&self) -> impl Iterator<Item = Scope> {
        [
            self.first_here
                .then_some(Scope::Municipality(self.municipality)),
            self.first_at_all.then_some(Scope::Region),
        ]
        .into_iter()
        .flatten()
    }
}

/// The priorities `user` voted for in `quarter`.
async fn votes_in(
    conn: &mut AsyncMysqlConnection,
    user: UserId,
    quarter: NaiveDate,
) -> QueryResult<Vec<PriorityId>> {
    priority_votes::table
        .filter(priority_votes::user_id.eq(user))
        .filter(priority_votes::quarter.eq(quarter))
        .order(priority_votes::id.asc())
        .select(priority_votes::priority_id)
        .load(conn)
        .await
}

/// Refuses a priority whose municipality or theme does not exist (the foreign keys would
/// refuse it too, without saying which field).
async fn check_references(
    conn: &mut AsyncMysqlConnection,
    priority: &ValidPriority,
) -> Result<(), AppError> {
    use platform::db::schema::themes;
    if let Some(municipality) = priority.municipality {
        let known: i64 = municipalities::table
            .find(municipality)
            .count()
            .get_result(conn)
            .await?;
        if known == 0 {
            return Err(AppError::invalid(
                "municipality",
                ErrorCode::UnknownMunicipality,
            ));
        }
    }
    let theme: i64 = themes::table
        .find(priority.theme)
        .count()
        .get_result(conn)
        .await?;
    if theme == 0 {
        return Err(AppError::invalid("theme", ErrorCode::UnknownTheme));
    }
    Ok(())
}

/// Records a staff action on priority `priority` in the audit log.
async fn audit(
    conn: &mut AsyncMysqlConnection,
    actor: Option<UserId>,
    action: &str,
    priority: PriorityId,
    details: serde_json::Value,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let event = AuditEvent {
        actor,
        action,
        target_kind: PRIORITY.as_str(),
        target_id: Some(priority.0),
        details,
    };
    AuditEntry::record(conn, event, now).await
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = priority_rank_snapshots, check_for_backend(diesel::mysql::Mysql))]
struct SnapshotRow {
    quarter: NaiveDate,
    method_version: u16,
    votes_per_voter: u32,
    min_voters: u32,
    votes: u32,
    voters: u32,
    built_at: NaiveDateTime,
}

impl From<SnapshotRow> for SnapshotSummary {
    fn from(row: SnapshotRow) -> Self {
        SnapshotSummary {
            quarter: row.quarter,
            method: RankMethod {
                version: row.method_version,
                votes_per_voter: row.votes_per_voter,
                min_voters: row.min_voters,
            },
            votes: row.votes,
            voters: row.voters,
            built_at: row.built_at,
        }
    }
}

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = priority_rank_scopes, check_for_backend(diesel::mysql::Mysql))]
struct ScopeRow {
    scope_id: u64,
    voters: u32,
    votes: u32,
    population: u32,
    weight: f64,
    ranked: bool,
}

impl From<ScopeRow> for ScopeFigures {
    fn from(row: ScopeRow) -> Self {
        ScopeFigures {
            scope: Scope::from_key(row.scope_id),
            voters: row.voters,
            votes: row.votes,
            population: row.population,
            weight: row.weight,
            ranked: row.ranked,
        }
    }
}

impl From<&ScopeFigures> for ScopeRow {
    fn from(figures: &ScopeFigures) -> Self {
        ScopeRow {
            scope_id: figures.scope.key(),
            voters: figures.voters,
            votes: figures.votes,
            population: figures.population,
            weight: figures.weight,
            ranked: figures.ranked,
        }
    }
}

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = priority_rank_rows, check_for_backend(diesel::mysql::Mysql))]
struct RankRow {
    scope_id: u64,
    priority_id: PriorityId,
    votes: u32,
    share: f64,
    vote_rank: Option<u32>,
    previous_vote_rank: Option<u32>,
    weighted_share: Option<f64>,
    weighted_rank: Option<u32>,
    previous_weighted_rank: Option<u32>,
}

impl From<RankRow> for PriorityStanding {
    fn from(row: RankRow) -> Self {
        PriorityStanding {
            scope: Scope::from_key(row.scope_id),
            priority: row.priority_id,
            votes: row.votes,
            share: row.share,
            rank: row.vote_rank,
            previous_rank: row.previous_vote_rank,
            weighted_share: row.weighted_share,
            weighted_rank: row.weighted_rank,
            previous_weighted_rank: row.previous_weighted_rank,
        }
    }
}

impl From<&PriorityStanding> for RankRow {
    fn from(standing: &PriorityStanding) -> Self {
        RankRow {
            scope_id: standing.scope.key(),
            priority_id: standing.priority,
            votes: standing.votes,
            share: standing.share,
            vote_rank: standing.rank,
            previous_vote_rank: standing.previous_rank,
            weighted_share: standing.weighted_share,
            weighted_rank: standing.weighted_rank,
            previous_weighted_rank: standing.previous_weighted_rank,
        }
    }
}

/// The quarterly rank snapshots.
pub struct RankSnapshots;

impl RankSnapshots {
    /// Builds the snapshot of `quarter` with `method`, all of it in one transaction: a
    /// crash leaves no part of it, and of two builders of one quarter the second waits
    /// on the quarter's unique key and then finds it built (`None`).
    pub async fn build(
        conn: &mut AsyncMysqlConnection,
        quarter: NaiveDate,
        method: RankMethod,
        now: NaiveDateTime,
    ) -> Result<Option<SnapshotSummary>, AppError> {
        conn.transaction(async move |conn| {
            let claim = diesel::insert_into(priority_rank_snapshots::table)
                .values((
                    priority_rank_snapshots::quarter.eq(quarter),
                    priority_rank_snapshots::method_version.eq(method.version),
                    priority_rank_snapshots::votes_per_voter.eq(method.votes_per_voter),
                    priority_rank_snapshots::min_voters.eq(method.min_voters),
                    priority_rank_snapshots::votes.eq(0u32),
                    priority_rank_snapshots::voters.eq(0u32),
                    priority_rank_snapshots::built_at.eq(now),
                ))
                .execute(conn)
                .await;
            if !claimed(claim)? {
                return Ok(None);
            }
            let snapshot = last_insert_id(conn).await?;
            let tally = Priorities::tally(conn, quarter).await?;
            let previous = Self::standings(conn, previous_quarter(quarter), None).await?;
            let ranking = rank_quarter(&tally, &previous, method);
            let scopes: Vec<ScopeRow> = ranking.scopes.iter().map(ScopeRow::from).collect();
            for chunk in scopes.chunks(INSERT_CHUNK) {
                diesel::insert_into(priority_rank_scopes::table)
                    .values(
                        chunk
                            .iter()
                            .map(|row| (priority_rank_scopes::snapshot_id.eq(snapshot), row))
                            .collect::<Vec<_>>(),
                    )
                    .execute(conn)
                    .await?;
            }
            let rows: Vec<RankRow> = ranking.standings.iter().map(RankRow::from).collect();
            for chunk in rows.chunks(INSERT_CHUNK) {
                diesel::insert_into(priority_rank_rows::table)
                    .values(
                        chunk
                            .iter()
                            .map(|row| (priority_rank_rows::snapshot_id.eq(snapshot), row))
                            .collect::<Vec<_>>(),
                    )
                    .execute(conn)
                    .await?;
            }
            let region = ranking.scopes.as_slice().first().copied();
            let (votes, voters) = region.map_or((0, 0), |region| (region.votes, region.voters));
            diesel::update(priority_rank_snapshots::table.find(snapshot))
                .set((
                    priority_rank_snapshots::votes.eq(votes),
                    priority_rank_snapshots::voters.eq(voters),
                ))
                .execute(conn)
                .await?;
            Ok(Some(SnapshotSummary {
                quarter,
                method,
                votes,
                voters,
                built_at: now,
            }))
        })
        .await
    }

    /// The closed quarters before `open_quarter` that have votes and no snapshot, and
    /// the quarter just closed if it has none (a quarter without votes is published
    /// empty), oldest first.
    pub async fn due(
        conn: &mut AsyncMysqlConnection,
        open_quarter: NaiveDate,
    ) -> QueryResult<Vec<NaiveDate>> {
        #[derive(QueryableByName)]
        struct Due {
            #[diesel(sql_type = Date)]
            quarter: NaiveDate,
        }
        let due: Vec<Due> = diesel::sql_query(
            "SELECT q.quarter FROM (SELECT DISTINCT quarter FROM priority_votes \
             WHERE quarter < ? UNION SELECT ?) q \
             WHERE NOT EXISTS (SELECT 1 FROM priority_rank_snapshots s \
             WHERE s.quarter = q.quarter) ORDER BY q.quarter",
        )
        .bind::<Date, _>(open_quarter)
        .bind::<Date, _>(previous_quarter(open_quarter))
        .load(conn)
        .await?;
        Ok(due.into_iter().map(|due| due.quarter).collect())
    }

    /// Every quarter with a snapshot, newest first.
    pub async fn quarters(conn: &mut AsyncMysqlConnection) -> QueryResult<Vec<NaiveDate>> {
        priority_rank_snapshots::table
            .order(priority_rank_snapshots::quarter.desc())
            .select(priority_rank_snapshots::quarter)
            .load(conn)
            .await
    }

    /// The snapshot of `quarter`.
    pub async fn summary(
        conn: &mut AsyncMysqlConnection,
        quarter: NaiveDate,
    ) -> QueryResult<Option<SnapshotSummary>> {
        Ok(priority_rank_snapshots::table
            .filter(priority_rank_snapshots::quarter.eq(quarter))
            .select(SnapshotRow::as_select())
            .first(conn)
            .await
            .optional()?
            .map(SnapshotSummary::from))
    }

    /// `scope`'s figures in `quarter`'s snapshot (none when nobody there voted).
    pub async fn figures(
        conn: &mut AsyncMysqlConnection,
        quarter: NaiveDate,
        scope: Scope,
    ) -> QueryResult<Option<ScopeFigures>> {
        Ok(priority_rank_scopes::table
            .inner_join(priority_rank_snapshots::table)
            .filter(priority_rank_snapshots::quarter.eq(quarter))
            .filter(priority_rank_scopes::scope_id.eq(scope.key()))
            .select(ScopeRow::as_select())
            .first(conn)
            .await
            .optional()?
            .map(ScopeFigures::from))
    }

    /// `scope`'s figures and standings in `quarter`'s snapshot.
    pub async fn scope_ranking(
        conn: &mut AsyncMysqlConnection,
        quarter: NaiveDate,
        scope: Scope,
    ) -> QueryResult<ScopeRanking> {
        Ok(ScopeRanking {
            figures: Self::figures(conn, quarter, scope).await?,
            standings: Self::standings(conn, quarter, Some(scope)).await?,
        })
    }

    /// The standings of `quarter`'s snapshot, of `scope` only when given; by scope, then
    /// votes, then priority.
    pub async fn standings(
        conn: &mut AsyncMysqlConnection,
        quarter: NaiveDate,
        scope: Option<Scope>,
    ) -> QueryResult<Vec<PriorityStanding>> {
        let mut query = priority_rank_rows::table
            .inner_join(priority_rank_snapshots::table)
            .filter(priority_rank_snapshots::quarter.eq(quarter))
            .order((
                priority_rank_rows::scope_id.asc(),
                priority_rank_rows::votes.desc(),
                priority_rank_rows::priority_id.asc(),
            ))
            .select(RankRow::as_select())
            .into_boxed();
        if let Some(scope) = scope {
            query = query.filter(priority_rank_rows::scope_id.eq(scope.key()));
        }
        Ok(query
            .load(conn)
            .await?
            .into_iter()
            .map(PriorityStanding::from)
            .collect())
    }

    /// `priority`'s regional standing in every snapshot that has it, oldest first.
    pub async fn history(
        conn: &mut AsyncMysqlConnection,
        priority: PriorityId,
    ) -> QueryResult<Vec<HistoryPoint>> {
        let rows: Vec<(RankRow, NaiveDate)> = priority_rank_rows::table
            .inner_join(priority_rank_snapshots::table)
            .filter(priority_rank_rows::priority_id.eq(priority))
            .filter(priority_rank_rows::scope_id.eq(Scope::Region.key()))
            .order(priority_rank_snapshots::quarter.asc())
            .select((RankRow::as_select(), priority_rank_snapshots::quarter))
            .load(conn)
            .await?;
        Ok(rows
            .into_iter()
            .map(|(row, quarter)| HistoryPoint {
                quarter,
                standing: row.into(),
            })
            .collect())
    }
}

/// A count from `COUNT` as the snapshot's unsigned 32-bit column.
fn clamp(value: u64) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}
