//! Problem queries: creating, moving along the state machine, lists, the map's clusters,
//! supports, comments, subscriptions, notifications and department statistics.
//!
//! Lists, clusters and Open311 share one filter, which is rendered into SQL text by
//! `FilterSql`. Every value it writes is a typed number, a date we formatted, or one of
//! our own status names, never text from a request, so nothing can be injected. The list
//! pages by keyset (`platform::keyset`): no OFFSET, so a deep page costs what the first does.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Double, Nullable, Unsigned};
use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl};

use super::model::{
    Actor, EventKind, Outcome, PAGE_SIZE, PROBLEM, ProblemAction, ProblemDetail, ProblemEventId,
    ProblemFilter, ProblemId, ProblemPage, ProblemSort, ProblemStatus, ProblemSummary,
    ReactionStats, SIMILAR_RADIUS_M, TimelineEntry, ValidProblem, Workspace, confirmation_deadline,
    median, moderation_deadline, plan_deadline, reaction_deadline, result_deadline,
};

use crate::auth::model::{Acting, UserId};
use crate::geography::model::MunicipalityId;
use crate::organisation::model::{Department, DepartmentId, ThemeId};
use crate::organisation::queries::RoutingRules;
use civic::audit::{AuditEntry, AuditEvent};
use civic::comments::{Comment, Comments};
use civic::follows::Follows;
use civic::notifications::Notifications;
use civic::photos::Photos;
use civic::supports::Supports;
use platform::db::clusters::{grid_clusters_sql, load_clusters};
use platform::db::last_insert_id;
use platform::db::schema::{departments, problem_events, problems, themes, users};
use platform::error::{AppError, ErrorCode};
use platform::geo::LatLon;
use platform::geo::{MapCluster, Viewport};
use platform::keyset::{PageStart, Paged};
use platform::webhook;

/// The columns of `ProblemSummary`, in `SummaryRow` order.
const SUMMARY_COLUMNS: &str = "p.id, p.title, p.status, p.theme_id, p.municipality_id, \
    p.department_id, p.address, p.lat, p.lon, p.created_at, p.published_at, \
    p.reaction_due_at, p.support_count, p.comment_count";

#[derive(QueryableByName)]
struct SummaryRow {
    #[diesel(sql_type = Unsigned<BigInt>)]
    id: ProblemId,
    #[diesel(sql_type = diesel::sql_types::Text)]
    title: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    status: String,
    #[diesel(sql_type = Unsigned<BigInt>)]
    theme_id: ThemeId,
    #[diesel(sql_type = Unsigned<BigInt>)]
    municipality_id: MunicipalityId,
    #[diesel(sql_type = Nullable<Unsigned<BigInt>>)]
    department_id: Option<DepartmentId>,
    #[diesel(sql_type = diesel::sql_types::Text)]
    address: String,
    #[diesel(sql_type = Double)]
    lat: f64,
    #[diesel(sql_type = Double)]
    lon: f64,
    #[diesel(sql_type = diesel::sql_types::Datetime)]
    created_at: NaiveDateTime,
    #[diesel(sql_type = Nullable<diesel::sql_types::Datetime>)]
    published_at: Option<NaiveDateTime>,
    #[diesel(sql_type = Nullable<diesel::sql_types::Datetime>)]
    reaction_due_at: Option<NaiveDateTime>,
    #[diesel(sql_type = Unsigned<diesel::sql_types::Integer>)]
    support_count: u32,
    #[diesel(sql_type = Unsigned<diesel::sql_types::Integer>)]
    comment_count: u32,
}

impl From<SummaryRow> for ProblemSummary {
    fn from(row: SummaryRow) -> Self {
        ProblemSummary {
            id: row.id,
            title: row.title,
            // The CHECK constraint admits only known statuses.
            status: ProblemStatus::from_db(&row.status).unwrap_or(ProblemStatus::Moderation),
            theme_id: row.theme_id,
            municipality_id: row.municipality_id,
            department_id: row.department_id,
            address: row.address,
            point: LatLon {
                lat: row.lat,
                lon: row.lon,
            },
            created_at: row.created_at,
            published_at: row.published_at,
            reaction_due_at: row.reaction_due_at,
            support_count: row.support_count,
            comment_count: row.comment_count,
        }
    }
}

/// `'YYYY-MM-DD HH:MM:SS'`, a SQL literal of a time we computed.
fn sql_time(at: NaiveDateTime) -> String {
    at.format("'%Y-%m-%d %H:%M:%S'").to_string()
}

/// `'a', 'b'`: a SQL list of our own status names.
fn sql_statuses(statuses: &[ProblemStatus]) -> String {
    statuses
        .iter()
        .map(|status| format!("'{}'", status.as_db()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The condition on a problem `p` that its reaction (or planned result) is overdue at
/// `now`: the list's "overdue" filter and the dashboard's figure.
pub(crate) fn overdue_sql(now: NaiveDateTime) -> String {
    format!("p.reaction_due_at < {}", sql_time(now))
}

/// The condition on a problem `p` that it has `outcome`: the list's filter and the
/// dashboard's figure, one text so that a figure and the list behind it cannot differ.
pub(crate) fn outcome_sql(outcome: Outcome) -> String {
    match outcome {
        Outcome::Reacted => "p.first_reaction_at IS NOT NULL".to_string(),
        Outcome::ReactedOnTime => "p.first_reaction_at <= COALESCE(p.published_at, p.created_at) \
             + INTERVAL (SELECT t.reaction_days FROM themes t WHERE t.id = p.theme_id) DAY"
            .to_string(),
        Outcome::Resolved => format!(
            "p.status IN ({})",
            sql_statuses(&[ProblemStatus::Resolved, ProblemStatus::Closed])
        ),
    }
}

/// The WHERE clause of a public list, map or Open311 query.
pub(crate) struct FilterSql {
    conditions: Vec<String>,
}

impl FilterSql {
    /// Public problems (duplicates only when asked for) matching `filter` at `now`.
    pub(crate) fn public(filter: &ProblemFilter, now: NaiveDateTime) -> Self {
        let mut conditions = Vec::new();
        match filter.status {
            Some(status) if status.is_public() => {
                conditions.push(format!("p.status = '{}'", status.as_db()));
            }
            // A private status asked for publicly matches nothing rather than leaking.
            Some(_) => conditions.push("FALSE".to_string()),
            None => {
                let listed: Vec<ProblemStatus> = ProblemStatus::PUBLIC
                    .into_iter()
                    .filter(|status| *status != ProblemStatus::Duplicate)
                    .collect();
                conditions.push(format!("p.status IN ({})", sql_statuses(&listed)));
            }
        }
        if let Some(municipality) = filter.municipality_id {
            conditions.push(format!("p.municipality_id = {municipality}"));
        }
        if let Some(theme) = filter.theme_id {
            conditions.push(format!("p.theme_id = {theme}"));
        }
        if let Some(department) = filter.department_id {
            conditions.push(format!("p.department_id = {department}"));
        }
        if filter.overdue {
            conditions.push(overdue_sql(now));
        }
        conditions.extend(filter.reported.sql_conditions("p.created_at"));
        if let Some(outcome) = filter.outcome {
            conditions.push(outcome_sql(outcome));
        }
        Self { conditions }
    }

    /// Adds a raw condition built from typed values.
    pub(crate) fn and(mut self, condition: String) -> Self {
        self.conditions.push(condition);
        self
    }

    /// `WHERE a AND b ...`.
    pub(crate) fn render(&self) -> String {
        if self.conditions.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", self.conditions.join(" AND "))
        }
    }
}

/// The zooms whose grid cells `problem_map_cells` counts (migration 14 lists the same in
/// `problem_map_zooms`). Finer zooms show a city or less, where scanning the viewport's
/// problems is cheaper than keeping more cells counted.
pub const COUNTED_ZOOMS: std::ops::RangeInclusive<u8> = 6..=11;

/// The particulars of a step.
#[derive(Debug, Clone, Default)]
pub struct StepDetails {
    /// Answer, reason or report.
    pub text: String,
    /// For plans: the promised day; for instructions: the day to react by.
    pub planned_for: Option<NaiveDate>,
    /// For reassignment.
    pub department: Option<DepartmentId>,
    /// For merges.
    pub original: Option<ProblemId>,
    /// For edits: a new theme.
    pub theme: Option<ThemeId>,
    /// For edits: a new point with its municipality.
    pub point: Option<(LatLon, MunicipalityId)>,
    /// For resolutions: staging handles of the report's photos.
    pub photo_tokens: Vec<String>,
}

/// The row a step locks and reads.
#[derive(Queryable)]
struct StepRow {
    author_id: UserId,
    status: String,
    department_id: Option<DepartmentId>,
    theme_id: ThemeId,
    municipality_id: MunicipalityId,
    resolved_at: Option<NaiveDateTime>,
    planned_for: Option<NaiveDate>,
    escalated_to: Option<DepartmentId>,
}

/// A problem's author and the departments that answer for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProblemParties {
    /// Who reported it.
    pub author: UserId,
    /// Its title.
    pub title: String,
    /// The responsible department and the body it was escalated to, where set.
    pub departments: Vec<DepartmentId>,
}

/// Queries on `problems` and its satellite tables.
pub struct Problems;

impl Problems {
    /// Records a new problem in moderation (or published at once when its theme is not
    /// pre-moderated); the author follows it. Returns its id, or the id of the problem the
    /// author already reported under the same device id (a repeated submission).
    pub async fn create(
        conn: &mut AsyncMysqlConnection,
        author: UserId,
        problem: &ValidProblem,
        municipality: MunicipalityId,
        source: &str,
        now: NaiveDateTime,
    ) -> Result<ProblemId, AppError> {
        let (premoderation, active): (bool, bool) = themes::table
            .find(problem.theme_id)
            .select((themes::premoderation, themes::is_active))
            .first(conn)
            .await
            .optional()?
            .ok_or_else(|| AppError::invalid("theme_id", ErrorCode::UnknownTheme))?;
        if !active {
            return Err(AppError::invalid("theme_id", ErrorCode::UnknownTheme));
        }
        if let Some(client_id) = &problem.client_id {
            let made = Self::by_client_id(conn, author, client_id, false).await?;
            if let Some(made) = made {
                return Ok(made);
            }
        }
        let inserted = diesel::insert_into(problems::table)
            .values((
                problems::author_id.eq(author),
                problems::theme_id.eq(problem.theme_id),
                problems::municipality_id.eq(municipality),
                problems::status.eq(ProblemStatus::Moderation.as_db()),
                problems::title.eq(&problem.title),
                problems::description.eq(&problem.description),
                problems::address.eq(&problem.address),
                problems::lat.eq(problem.point.lat),
                problems::lon.eq(problem.point.lon),
                problems::source.eq(source),
                problems::client_id.eq(&problem.client_id),
                problems::created_at.eq(now),
                problems::updated_at.eq(now),
            ))
            .execute(conn)
            .await;
        match (inserted, &problem.client_id) {
            (Ok(_), _) => {}
            // The same report sent twice at once: the other submission made it (the
            // unique key waited for its commit).
            (
                Err(diesel::result::Error::DatabaseError(
                    diesel::result::DatabaseErrorKind::UniqueViolation,
                    _,
                )),
                Some(client_id),
            ) => {
                return Self::by_client_id(conn, author, client_id, true)
                    .await?
                    .ok_or(AppError::Conflict);
            }
            (Err(error), _) => return Err(error.into()),
        }
        let id = ProblemId(last_insert_id(conn).await?);
        Photos::attach(conn, id.subject(), "", None, author, &problem.photo_tokens).await?;
        record_event(
            conn,
            id,
            EventKind::Submitted,
            Some(author),
            None,
            None,
            None,
            now,
        )
        .await?;
        Follows::set(conn, id.subject(), author, true, now).await?;
        if !premoderation {
            publish(conn, id, None, problem.theme_id, municipality, now).await?;
        }
        Ok(id)
    }

    /// The problem `author` reported under the device's id `client_id`, if any. `committed`
    /// reads the latest committed row with a shared lock rather than the transaction's
    /// snapshot: after a duplicate key, the concurrent submission's report is there, and
    /// the duplicate check already holds that shared lock (an exclusive one would deadlock
    /// with every other submission waiting on the same key). Only then: a locking read of a
    /// missing key would lock its gap, and two submissions holding it deadlock on insert.
    /// (`LOCK IN SHARE MODE` is written out: diesel's `FOR SHARE` is MySQL 8's, which
    /// MariaDB does not parse.)
    async fn by_client_id(
        conn: &mut AsyncMysqlConnection,
        author: UserId,
        client_id: &str,
        committed: bool,
    ) -> QueryResult<Option<ProblemId>> {
        if committed {
            #[derive(QueryableByName)]
            struct Made {
                #[diesel(sql_type = Unsigned<BigInt>)]
                id: ProblemId,
            }
            diesel::sql_query(
                "SELECT id FROM problems WHERE author_id = ? AND client_id = ? \
                 LOCK IN SHARE MODE",
            )
            .bind::<Unsigned<BigInt>, _>(author)
            .bind::<diesel::sql_types::Text, _>(client_id)
            .get_result::<Made>(conn)
            .await
            .optional()
            .map(|made| made.map(|made| made.id))
        } else {
            problems::table
                .filter(problems::author_id.eq(author))
                .filter(problems::client_id.eq(client_id))
                .select(problems::id)
                .first(conn)
                .await
                .optional()
        }
    }

    /// Takes one step of a problem's life, as `acting`, in one transaction: the row is
    /// locked, the transition and the actor's right to take it are checked against the
    /// locked state, and the timeline, the notifications and (for a moderator's or a
    /// department's step) the audit row are written with the change.
    pub async fn step(
        conn: &mut AsyncMysqlConnection,
        id: ProblemId,
        acting: Acting,
        action: ProblemAction,
        details: StepDetails,
        now: NaiveDateTime,
    ) -> Result<ProblemStatus, AppError> {
        conn.transaction(async move |conn| {
            let audited = serde_json::json!({
                "department_id": details.department,
                "planned_for": details.planned_for,
                "original": details.original,
            });
            let next = step_locked(conn, id, &acting, action, details, now).await?;
            if action.actor() != Actor::Author {
                let mut audited = audited;
                audited["to"] = next.as_db().into();
                AuditEntry::record(
                    conn,
                    AuditEvent {
                        actor: Some(acting.user),
                        action: &format!("problem.{}", action.as_db()),
                        target_kind: PROBLEM.as_str(),
                        target_id: Some(id.0),
                        details: audited,
                    },
                    now,
                )
                .await?;
            }
            Ok(next)
        })
        .await
    }

    /// A problem page's content, whatever its status (callers check visibility).
    pub async fn detail(
        conn: &mut AsyncMysqlConnection,
        id: ProblemId,
        now: NaiveDateTime,
    ) -> Result<ProblemDetail, AppError> {
        let summary = diesel::sql_query(format!(
            "SELECT {SUMMARY_COLUMNS} FROM problems p WHERE p.id = {id}"
        ))
        .get_result::<SummaryRow>(conn)
        .await
        .optional()?
        .ok_or(AppError::NotFound)?;
        #[allow(clippy::type_complexity)]
        let (
            description,
            author_id,
            author_name,
            created_at,
            planned_for,
            resolved_at,
            rejection_reason,
            duplicate_of,
            escalated_to,
        ): (
            String,
            UserId,
            String,
            NaiveDateTime,
            Option<NaiveDate>,
            Option<NaiveDateTime>,
            Option<String>,
            Option<ProblemId>,
            Option<DepartmentId>,
        ) = problems::table
            .inner_join(users::table)
            .filter(problems::id.eq(id))
            .select((
                problems::description,
                problems::author_id,
                users::display_name,
                problems::created_at,
                problems::planned_for,
                problems::resolved_at,
                problems::rejection_reason,
                problems::duplicate_of,
                problems::escalated_to,
            ))
            .first(conn)
            .await?;
        Ok(ProblemDetail {
            summary: summary.into(),
            description,
            author_name,
            author_id,
            created_at,
            planned_for,
            resolved_at,
            rejection_reason,
            duplicate_of,
            escalated_to,
            timeline: Self::timeline(conn, id).await?,
            comments: Self::comments(conn, id).await?,
            photos: Photos::of(conn, id.subject())
                .await?
                .into_iter()
                .filter(|photo| photo.entry.is_none())
                .map(|photo| photo.photo)
                .collect(),
            now,
        })
    }

    /// The public timeline of a problem, oldest first.
    pub async fn timeline(
        conn: &mut AsyncMysqlConnection,
        id: ProblemId,
    ) -> QueryResult<Vec<TimelineEntry>> {
        #[allow(clippy::type_complexity)]
        let rows: Vec<(
            crate::problems::model::ProblemEventId,
            String,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<NaiveDate>,
            NaiveDateTime,
        )> = problem_events::table
            .left_join(users::table)
            .left_join(departments::table)
            .filter(problem_events::problem_id.eq(id))
            .select((
                problem_events::id,
                problem_events::kind,
                users::display_name.nullable(),
                departments::name_ru.nullable(),
                departments::name_en.nullable(),
                problem_events::body,
                problem_events::planned_for,
                problem_events::created_at,
            ))
            .order(problem_events::id.asc())
            .load(conn)
            .await?;
        let mut entries: Vec<TimelineEntry> = rows
            .into_iter()
            .filter_map(
                |(id, kind, actor, name_ru, name_en, body, planned_for, at)| {
                    Some(TimelineEntry {
                        id,
                        kind: EventKind::from_db(&kind)?,
                        actor_name: actor,
                        department_name: name_ru.zip(name_en),
                        body,
                        planned_for,
                        at,
                        photos: Vec::new(),
                    })
                },
            )
            .collect();
        for photo in Photos::of(conn, id.subject()).await? {
            let event = photo.entry.map(ProblemEventId);
            if let Some(entry) = entries.iter_mut().find(|entry| Some(entry.id) == event) {
                entry.photos.push(photo.photo);
            }
        }
        Ok(entries)
    }

    /// The comments of a problem, oldest first.
    pub async fn comments(
        conn: &mut AsyncMysqlConnection,
        id: ProblemId,
    ) -> QueryResult<Vec<Comment>> {
        Comments::of(conn, id.subject()).await
    }

    /// The SQL of one page of the public list, read from `start` (one row more than a
    /// page, to know whether another follows).
    pub fn list_sql(
        filter: &ProblemFilter,
        sort: ProblemSort,
        start: &PageStart,
        now: NaiveDateTime,
    ) -> String {
        let order = sort.keyset();
        let mut filter_sql = FilterSql::public(filter, now);
        if let Some(seek) = order.condition(start) {
            filter_sql = filter_sql.and(seek);
        }
        format!(
            "SELECT {SUMMARY_COLUMNS} FROM problems p {} {} LIMIT {}",
            filter_sql.render(),
            order.order_by(start),
            PAGE_SIZE + 1,
        )
    }

    /// One page of the public list.
    pub async fn list(
        conn: &mut AsyncMysqlConnection,
        filter: &ProblemFilter,
        sort: ProblemSort,
        start: &PageStart,
        now: NaiveDateTime,
    ) -> QueryResult<ProblemPage> {
        let read: Vec<ProblemSummary> = diesel::sql_query(Self::list_sql(filter, sort, start, now))
            .load::<SummaryRow>(conn)
            .await?
            .into_iter()
            .map(Into::into)
            .collect();
        Ok(ProblemPage {
            paged: Paged::from_read(start, read, PAGE_SIZE as usize),
            sort,
            now,
        })
    }

    /// The FROM and WHERE of the map's clusters: public problems in the viewport.
    pub fn clusters_from_sql(
        filter: &ProblemFilter,
        viewport: Viewport,
        now: NaiveDateTime,
    ) -> String {
        let (south_west, north_east) = (viewport.south_west, viewport.north_east);
        let filter_sql = FilterSql::public(filter, now)
            .and(format!(
                "p.lat BETWEEN {:.7} AND {:.7}",
                south_west.lat, north_east.lat
            ))
            .and(format!(
                "p.lon BETWEEN {:.7} AND {:.7}",
                south_west.lon, north_east.lon
            ));
        format!("problems p {}", filter_sql.render())
    }

    /// The SQL grouping the viewport's problems themselves into grid cells: what the map
    /// runs at street zooms and for the time-dependent "overdue" filter.
    pub fn scanned_clusters_sql(
        filter: &ProblemFilter,
        viewport: Viewport,
        now: NaiveDateTime,
    ) -> String {
        grid_clusters_sql(
            "p",
            &Self::clusters_from_sql(filter, viewport, now),
            viewport.cell_degrees(),
        )
    }

    /// The SQL summing the cells counted in `problem_map_cells` (migration 14) that the
    /// viewport touches, or `None` where that table cannot answer: zooms finer than it
    /// counts, the overdue filter, which depends on the time of the request, and the
    /// period and outcome filters, which it does not count by.
    ///
    /// Zooms coarser than the coarsest counted one merge its cells: the cells of zoom z
    /// are 2^k cells of zoom z + k on a side, so FLOOR(cell / 2^k) is the coarser cell.
    pub fn counted_clusters_sql(
        filter: &ProblemFilter,
        viewport: Viewport,
        now: NaiveDateTime,
    ) -> Option<String> {
        let uncounted = filter.overdue || !filter.reported.is_open() || filter.outcome.is_some();
        if uncounted || viewport.zoom > *COUNTED_ZOOMS.end() {
            return None;
        }
        let counted_zoom = viewport.zoom.max(*COUNTED_ZOOMS.start());
        let cell = Viewport {
            zoom: counted_zoom,
            ..viewport
        }
        .cell_degrees();
        let cell_range = |from: f64, to: f64| {
            format!(
                "BETWEEN {} AND {}",
                (from / cell).floor() as i64,
                (to / cell).floor() as i64
            )
        };
        let conditions = FilterSql::public(filter, now)
            .and(format!("p.zoom = {counted_zoom}"))
            .and(format!(
                "p.cell_lat {}",
                cell_range(viewport.south_west.lat, viewport.north_east.lat)
            ))
            .and(format!(
                "p.cell_lon {}",
                cell_range(viewport.south_west.lon, viewport.north_east.lon)
            ));
        let merged = 1_i64 << (counted_zoom - viewport.zoom);
        let group = if merged == 1 {
            "p.cell_lat, p.cell_lon".to_string()
        } else {
            format!("FLOOR(p.cell_lat / {merged}), FLOOR(p.cell_lon / {merged})")
        };
        Some(format!(
            "SELECT CAST(SUM(p.problems) AS SIGNED) AS count, \
             SUM(p.lat_sum) / SUM(p.problems) AS lat, SUM(p.lon_sum) / SUM(p.problems) AS lon, \
             CAST(SUM(p.id_sum) AS UNSIGNED) AS first_id \
             FROM problem_map_cells p {} GROUP BY {group} HAVING SUM(p.problems) > 0",
            conditions.render()
        ))
    }

    /// The SQL of the map's clusters: public problems in the viewport grouped into grid
    /// cells of the zoom's size, summed from the counted cells where they can answer.
    pub fn clusters_sql(filter: &ProblemFilter, viewport: Viewport, now: NaiveDateTime) -> String {
        Self::counted_clusters_sql(filter, viewport, now)
            .unwrap_or_else(|| Self::scanned_clusters_sql(filter, viewport, now))
    }

    /// The map's markers in `viewport`: problems grouped into grid cells of the zoom's size,
    /// each cell as its count and mean point.
    pub async fn clusters(
        conn: &mut AsyncMysqlConnection,
        filter: &ProblemFilter,
        viewport: Viewport,
        now: NaiveDateTime,
    ) -> QueryResult<Vec<MapCluster>> {
        load_clusters(conn, Self::clusters_sql(filter, viewport, now)).await
    }

    /// Open problems of `theme` within 250 m of `point`, most supported first: what the
    /// form offers to support instead of reporting a duplicate.
    pub async fn similar(
        conn: &mut AsyncMysqlConnection,
        theme: ThemeId,
        point: LatLon,
        now: NaiveDateTime,
    ) -> QueryResult<Vec<ProblemSummary>> {
        // A box slightly larger than the circle narrows the search through the point
        // index; the exact distance is checked afterwards.
        let lat_margin = SIMILAR_RADIUS_M / 111_000.0;
        let lon_margin = lat_margin / point.lat.to_radians().cos().max(0.1);
        let filter = ProblemFilter {
            theme_id: Some(theme),
            ..ProblemFilter::default()
        };
        let open = sql_statuses(&ProblemStatus::OPEN);
        let filter_sql = FilterSql::public(&filter, now)
            .and(format!("p.status IN ({open})"))
            .and(format!(
                "p.lat BETWEEN {:.7} AND {:.7}",
                point.lat - lat_margin,
                point.lat + lat_margin
            ))
            .and(format!(
                "p.lon BETWEEN {:.7} AND {:.7}",
                point.lon - lon_margin,
                point.lon + lon_margin
            ));
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM problems p {} ORDER BY p.support_count DESC LIMIT 50",
            filter_sql.render()
        );
        let rows = diesel::sql_query(sql).load::<SummaryRow>(conn).await?;
        Ok(rows
            .into_iter()
            .map(ProblemSummary::from)
            .filter(|problem| problem.point.distance_m(point) <= SIMILAR_RADIUS_M)
            .take(5)
            .collect())
    }

    /// The SQL of a department's open problems, nearest deadline first, then those without
    /// a running clock. Two ordered index scans of `(department_id, reaction_due_at)`, each
    /// stopping after `limit` rows, instead of sorting all the department's problems.
    pub fn workspace_sql(department: DepartmentId, limit: u32) -> String {
        let open = sql_statuses(&ProblemStatus::OPEN);
        format!(
            "SELECT * FROM ( \
               (SELECT {SUMMARY_COLUMNS}, 0 AS part FROM problems p \
                WHERE p.department_id = {department} AND p.reaction_due_at IS NOT NULL \
                  AND p.status IN ({open}) ORDER BY p.reaction_due_at, p.id LIMIT {limit}) \
               UNION ALL \
               (SELECT {SUMMARY_COLUMNS}, 1 AS part FROM problems p \
                WHERE p.department_id = {department} AND p.reaction_due_at IS NULL \
                  AND p.status IN ({open}) ORDER BY p.id LIMIT {limit}) \
             ) AS queue ORDER BY part, reaction_due_at, id LIMIT {limit}"
        )
    }

    /// The SQL of the open problems escalated to `supervisor`, nearest deadline first: one
    /// ordered scan of `(escalated_to, reaction_due_at)`.
    pub fn escalated_sql(supervisor: DepartmentId, limit: u32) -> String {
        let open = sql_statuses(&ProblemStatus::OPEN);
        format!(
            "SELECT {SUMMARY_COLUMNS} FROM problems p \
             WHERE p.escalated_to = {supervisor} AND p.status IN ({open}) \
             ORDER BY p.reaction_due_at, p.id LIMIT {limit}"
        )
    }

    /// A department's open problems by deadline, with the due-soon and overdue counts, and
    /// those escalated to it.
    pub async fn workspace(
        conn: &mut AsyncMysqlConnection,
        department: DepartmentId,
        now: NaiveDateTime,
        limit: u32,
    ) -> QueryResult<Workspace> {
        let sql = Self::workspace_sql(department, limit);
        let rows = diesel::sql_query(sql)
            .load::<SummaryRow>(conn)
            .await?
            .into_iter()
            .map(Into::into)
            .collect();
        let escalated = diesel::sql_query(Self::escalated_sql(department, limit))
            .load::<SummaryRow>(conn)
            .await?
            .into_iter()
            .map(Into::into)
            .collect();
        let soon = now + chrono::Duration::days(super::model::REMINDER_DAYS);
        let overdue: i64 = problems::table
            .filter(problems::department_id.eq(department))
            .filter(problems::reaction_due_at.lt(now))
            .count()
            .get_result(conn)
            .await?;
        let due_soon: i64 = problems::table
            .filter(problems::department_id.eq(department))
            .filter(problems::reaction_due_at.ge(now))
            .filter(problems::reaction_due_at.lt(soon))
            .count()
            .get_result(conn)
            .await?;
        Ok(Workspace {
            department_id: department,
            rows,
            escalated,
            due_soon: due_soon.max(0) as u64,
            overdue: overdue.max(0) as u64,
            now,
        })
    }

    /// What moderators must handle: problems waiting for moderation, oldest (so the late
    /// ones) first, then open problems without a department (no routing rule, or handed
    /// back), oldest first.
    pub async fn moderation_queue(
        conn: &mut AsyncMysqlConnection,
        limit: u32,
    ) -> QueryResult<Vec<ProblemSummary>> {
        let open = sql_statuses(&ProblemStatus::OPEN);
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM problems p \
             WHERE p.status = 'moderation' OR (p.department_id IS NULL AND p.status IN ({open})) \
             ORDER BY p.status = 'moderation' DESC, p.created_at ASC, p.id ASC LIMIT {limit}"
        );
        Ok(diesel::sql_query(sql)
            .load::<SummaryRow>(conn)
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// The problems a user reported, newest first.
    pub async fn by_author(
        conn: &mut AsyncMysqlConnection,
        author: UserId,
        limit: u32,
    ) -> QueryResult<Vec<ProblemSummary>> {
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM problems p WHERE p.author_id = {author} \
             ORDER BY p.created_at DESC, p.id DESC LIMIT {limit}"
        );
        Ok(diesel::sql_query(sql)
            .load::<SummaryRow>(conn)
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// The status and the author of problem `id`, or `NotFound`.
    pub async fn status_and_author(
        conn: &mut AsyncMysqlConnection,
        id: ProblemId,
    ) -> Result<(ProblemStatus, UserId), AppError> {
        let (status, author): (String, UserId) = problems::table
            .find(id)
            .select((problems::status, problems::author_id))
            .first(conn)
            .await
            .optional()?
            .ok_or(AppError::NotFound)?;
        Ok((
            ProblemStatus::from_db(&status).ok_or(AppError::Internal)?,
            author,
        ))
    }

    /// Who is on either side of problem `id`: its author, its title, and the
    /// departments whose officials answer for it (the responsible one and the body it was
    /// escalated to); `NotFound` for no such problem.
    pub async fn parties(
        conn: &mut AsyncMysqlConnection,
        id: ProblemId,
    ) -> Result<ProblemParties, AppError> {
        let (author, title, department, escalated_to) = problems::table
            .find(id)
            .select((
                problems::author_id,
                problems::title,
                problems::department_id,
                problems::escalated_to,
            ))
            .first::<(UserId, String, Option<DepartmentId>, Option<DepartmentId>)>(conn)
            .await
            .optional()?
            .ok_or(AppError::NotFound)?;
        Ok(ProblemParties {
            author,
            title,
            departments: department.into_iter().chain(escalated_to).collect(),
        })
    }

    /// Adds (`true`) or withdraws (`false`) a user's support; returns the new count.
    /// The key on (problem, user) makes each vote count once however many requests race,
    /// and the counter moves only when a row was really added or removed.
    pub async fn set_support(
        conn: &mut AsyncMysqlConnection,
        id: ProblemId,
        user: UserId,
        support: bool,
        now: NaiveDateTime,
    ) -> Result<u32, AppError> {
        conn.transaction(async move |conn| {
            lock_status(conn, id, "support", |status| {
                status.is_open() || status == ProblemStatus::Resolved
            })
            .await?;
            let changed = Supports::set(conn, id.subject(), user, support, now).await?;
            if changed {
                let counter = if support {
                    "support_count + 1"
                } else {
                    "support_count - 1"
                };
                diesel::update(problems::table.find(id))
                    .set(problems::support_count.eq(diesel::dsl::sql::<
                        Unsigned<diesel::sql_types::Integer>,
                    >(counter)))
                    .execute(conn)
                    .await?;
            }
            Ok(problems::table
                .find(id)
                .select(problems::support_count)
                .first(conn)
                .await?)
        })
        .await
    }

    /// Follows (`true`) or stops following a problem.
    pub async fn set_subscription(
        conn: &mut AsyncMysqlConnection,
        id: ProblemId,
        user: UserId,
        subscribe: bool,
        now: NaiveDateTime,
    ) -> QueryResult<()> {
        Follows::set(conn, id.subject(), user, subscribe, now).await
    }

    /// Adds a comment to a public problem; the commenter starts following it.
    pub async fn add_comment(
        conn: &mut AsyncMysqlConnection,
        id: ProblemId,
        user: UserId,
        body: &str,
        now: NaiveDateTime,
    ) -> Result<(), AppError> {
        let body = body.to_string();
        conn.transaction(async move |conn| {
            lock_status(conn, id, "comment", |status| {
                status.is_public() && status != ProblemStatus::Duplicate
            })
            .await?;
            Comments::add(conn, id.subject(), user, &body, None, None, now).await?;
            diesel::update(problems::table.find(id))
                .set(problems::comment_count.eq(problems::comment_count + 1))
                .execute(conn)
                .await?;
            Problems::set_subscription(conn, id, user, true, now).await?;
            Ok(())
        })
        .await
    }

    /// Reaction statistics of a department for problems published in [from, to).
    pub async fn reaction_stats(
        conn: &mut AsyncMysqlConnection,
        department: DepartmentId,
        from: NaiveDateTime,
        to: NaiveDateTime,
        now: NaiveDateTime,
    ) -> QueryResult<ReactionStats> {
        let rows: Vec<ReactionRow> = problems::table
            .filter(problems::department_id.eq(department))
            .filter(problems::published_at.ge(from))
            .filter(problems::published_at.lt(to))
            .select((
                problems::created_at,
                problems::published_at.assume_not_null(),
                problems::first_reaction_at,
                problems::reaction_due_at,
                problems::overdue_since,
            ))
            .load(conn)
            .await?;
        Ok(stats_of(&rows, now))
    }
}

/// Locks a problem's row for the rest of the transaction and checks that `allows` its
/// status for `action` (supporting, commenting); otherwise the step is refused.
async fn lock_status(
    conn: &mut AsyncMysqlConnection,
    id: ProblemId,
    action: &str,
    allows: impl Fn(ProblemStatus) -> bool,
) -> Result<ProblemStatus, AppError> {
    let status: String = problems::table
        .find(id)
        .select(problems::status)
        .for_update()
        .first(conn)
        .await
        .optional()?
        .ok_or(AppError::NotFound)?;
    let status = ProblemStatus::from_db(&status).ok_or(AppError::Internal)?;
    if allows(status) {
        Ok(status)
    } else {
        Err(AppError::IllegalTransition {
            status: status.as_db().to_string(),
            action: action.to_string(),
        })
    }
}

/// (reported, published, first reaction, reaction due, overdue since) of one problem.
type ReactionRow = (
    NaiveDateTime,
    NaiveDateTime,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
);

/// Folds (reported, published, first reaction, due, overdue since) rows into statistics.
/// A problem reacted to on time has its first reaction before its deadline, which is
/// publication plus the theme's days; one never reacted to counts as overdue once its
/// clock ran out. One published after its moderation deadline counts as delayed there.
fn stats_of(rows: &[ReactionRow], now: NaiveDateTime) -> ReactionStats {
    let mut stats = ReactionStats {
        received: rows.len() as u64,
        ..ReactionStats::default()
    };
    let mut hours = Vec::new();
    for (reported, published, reacted, due, overdue_since) in rows {
        if *published > moderation_deadline(*reported) {
            stats.moderation_late += 1;
        }
        match reacted {
            Some(reacted) => {
                hours.push((*reacted - *published).num_minutes() as f64 / 60.0);
                if overdue_since.is_some_and(|since| since <= *reacted) {
                    stats.overdue += 1;
                } else {
                    stats.on_time += 1;
                }
            }
            None if due.is_some_and(|due| due < now) || overdue_since.is_some() => {
                stats.overdue += 1;
            }
            None => {}
        }
    }
    stats.median_reaction_hours = median(&mut hours);
    stats
}

/// Appends a timeline entry (`actor` `None`: the scheduler's), and tells the followers and
/// a newly assigned department.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn record_event(
    conn: &mut AsyncMysqlConnection,
    problem: ProblemId,
    kind: EventKind,
    actor: Option<UserId>,
    department: Option<DepartmentId>,
    body: Option<&str>,
    planned_for: Option<NaiveDate>,
    now: NaiveDateTime,
) -> QueryResult<ProblemEventId> {
    diesel::insert_into(problem_events::table)
        .values((
            problem_events::problem_id.eq(problem),
            problem_events::kind.eq(kind.as_db()),
            problem_events::actor_id.eq(actor),
            problem_events::department_id.eq(department),
            problem_events::body.eq(body),
            problem_events::planned_for.eq(planned_for),
            problem_events::created_at.eq(now),
        ))
        .execute(conn)
        .await?;
    let event = ProblemEventId(last_insert_id(conn).await?);
    if kind.notifies_followers() {
        notify_followers(conn, problem, kind, actor, now).await?;
    }
    if let (true, Some(department)) = (kind.assigns_department(), department) {
        notify_department(conn, department, problem, kind, now).await?;
    }
    Ok(event)
}

/// Tells the author and every follower (except whoever acted) about a step.
pub(crate) async fn notify_followers(
    conn: &mut AsyncMysqlConnection,
    problem: ProblemId,
    kind: EventKind,
    actor: Option<UserId>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    Notifications::to_followers(conn, problem.subject(), kind.as_db(), actor, now).await
}

/// Tells every official of `department` about a problem (assignments, reminders and
/// escalations).
pub(crate) async fn notify_department(
    conn: &mut AsyncMysqlConnection,
    department: DepartmentId,
    problem: ProblemId,
    kind: EventKind,
    now: NaiveDateTime,
) -> QueryResult<()> {
    Notifications::to_officials(conn, department, problem.subject(), kind.as_db(), now).await?;
    let event = format!("problem.{}", kind.as_db());
    if webhook::takes(conn, department, &event).await? {
        let data = public_data(conn, problem).await?;
        let subject = format!("problem:{problem}");
        webhook::enqueue_for_department(conn, department, &event, &subject, data, now).await?;
    }
    Ok(())
}

/// What a department's system is told about a problem: what anyone may see on its page,
/// without its author.
async fn public_data(
    conn: &mut AsyncMysqlConnection,
    id: ProblemId,
) -> QueryResult<serde_json::Value> {
    type Row = (
        String,
        String,
        String,
        String,
        f64,
        f64,
        ThemeId,
        MunicipalityId,
        Option<DepartmentId>,
        NaiveDateTime,
        Option<NaiveDateTime>,
    );
    let (
        title,
        description,
        status,
        address,
        lat,
        lon,
        theme,
        municipality,
        department,
        created,
        due,
    ): Row = problems::table
        .find(id)
        .select((
            problems::title,
            problems::description,
            problems::status,
            problems::address,
            problems::lat,
            problems::lon,
            problems::theme_id,
            problems::municipality_id,
            problems::department_id,
            problems::created_at,
            problems::reaction_due_at,
        ))
        .first(conn)
        .await?;
    let utc = |at: NaiveDateTime| format!("{}Z", at.format("%Y-%m-%dT%H:%M:%S"));
    Ok(serde_json::json!({
        "problem_id": id,
        "href": format!("/problems/{id}"),
        "title": title,
        "description": description,
        "status": status,
        "address": address,
        "lat": lat,
        "lon": lon,
        "theme_id": theme,
        "municipality_id": municipality,
        "department_id": department,
        "created_at": utc(created),
        "reaction_due_at": due.map(utc),
    }))
}

/// Publishes a problem and routes it: the most specific rule for (theme, municipality),
/// else the theme's regional rule; without either it waits for a moderator. The reaction
/// clock starts now.
async fn publish(
    conn: &mut AsyncMysqlConnection,
    id: ProblemId,
    actor: Option<UserId>,
    theme: ThemeId,
    municipality: MunicipalityId,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    let reaction_days: u32 = themes::table
        .find(theme)
        .select(themes::reaction_days)
        .first(conn)
        .await?;
    let department = RoutingRules::resolve(conn, theme, municipality).await?;
    diesel::update(problems::table.find(id))
        .set((
            problems::status.eq(ProblemStatus::Published.as_db()),
            problems::department_id.eq(department),
            problems::published_at.eq(now),
            problems::reaction_due_at.eq(reaction_deadline(now, reaction_days)),
            problems::first_reaction_at.eq(None::<NaiveDateTime>),
            problems::reminded_at.eq(None::<NaiveDateTime>),
            problems::overdue_since.eq(None::<NaiveDateTime>),
            problems::updated_at.eq(now),
        ))
        .execute(conn)
        .await?;
    record_event(conn, id, EventKind::Published, actor, None, None, None, now).await?;
    if let Some(department) = department {
        record_event(
            conn,
            id,
            EventKind::Routed,
            None,
            Some(department),
            None,
            None,
            now,
        )
        .await?;
    }
    Ok(())
}

/// How `acting` may take a step of a problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Standing {
    /// As the step's own actor.
    Own,
    /// As an official of the body the problem was escalated to.
    Supervisor,
}

/// May `acting` take `action` on a problem in this state, and in which standing?
fn authorise(acting: &Acting, action: ProblemAction, row: &StepRow) -> Result<Standing, AppError> {
    let holds = |department: Option<DepartmentId>| {
        department.is_some_and(|department| acting.departments.contains(&department))
    };
    let own = match action.actor() {
        Actor::Moderator => acting.moderator,
        Actor::Department => holds(row.department_id),
        Actor::Author => acting.user == row.author_id,
        Actor::Supervisor | Actor::System => false,
    };
    if own {
        Ok(Standing::Own)
    } else if action.open_to_supervisor() && holds(row.escalated_to) {
        Ok(Standing::Supervisor)
    } else {
        Err(AppError::Forbidden)
    }
}

async fn step_locked(
    conn: &mut AsyncMysqlConnection,
    id: ProblemId,
    acting: &Acting,
    action: ProblemAction,
    details: StepDetails,
    now: NaiveDateTime,
) -> Result<ProblemStatus, AppError> {
    let row: StepRow = problems::table
        .find(id)
        .select((
            problems::author_id,
            problems::status,
            problems::department_id,
            problems::theme_id,
            problems::municipality_id,
            problems::resolved_at,
            problems::planned_for,
            problems::escalated_to,
        ))
        .for_update()
        .first(conn)
        .await
        .optional()?
        .ok_or(AppError::NotFound)?;
    let standing = authorise(acting, action, &row)?;
    let status = ProblemStatus::from_db(&row.status).ok_or(AppError::Internal)?;
    let next = status.after(action)?;
    let actor = Some(acting.user);
    let text = (!details.text.is_empty()).then_some(details.text.as_str());
    if status == ProblemStatus::Resolved
        && matches!(action, ProblemAction::Confirm | ProblemAction::Reopen)
        && row
            .resolved_at
            .is_none_or(|resolved| now > confirmation_deadline(resolved))
    {
        return Err(AppError::invalid("problem", ErrorCode::TooLate));
    }
    if status == ProblemStatus::Planned && action == ProblemAction::Reopen {
        let lapsed = row
            .planned_for
            .is_some_and(|planned_for| now >= plan_deadline(planned_for));
        if !lapsed {
            return Err(AppError::IllegalTransition {
                status: status.as_db().to_string(),
                action: action.as_db().to_string(),
            });
        }
        record_event(
            conn,
            id,
            EventKind::Reopened,
            actor,
            row.department_id,
            text,
            None,
            now,
        )
        .await?;
        back_to_work(conn, id, row.department_id, row.theme_id, now).await?;
        return Ok(next);
    }
    // The supervising body's entries are written in its name.
    let mut event_department = match standing {
        Standing::Own => row.department_id,
        Standing::Supervisor => row.escalated_to,
    };
    match action {
        ProblemAction::Publish => {
            publish(conn, id, actor, row.theme_id, row.municipality_id, now).await?;
            return Ok(next);
        }
        ProblemAction::Reject => {
            diesel::update(problems::table.find(id))
                .set(problems::rejection_reason.eq(text))
                .execute(conn)
                .await?;
        }
        ProblemAction::Edit => {
            if let Some(theme) = details.theme {
                diesel::update(problems::table.find(id))
                    .set(problems::theme_id.eq(theme))
                    .execute(conn)
                    .await?;
            }
            if let Some((point, municipality)) = details.point {
                diesel::update(problems::table.find(id))
                    .set((
                        problems::lat.eq(point.lat),
                        problems::lon.eq(point.lon),
                        problems::municipality_id.eq(municipality),
                    ))
                    .execute(conn)
                    .await?;
            }
        }
        ProblemAction::Reassign => {
            let department = details
                .department
                .ok_or_else(|| AppError::invalid("department_id", ErrorCode::Required))?;
            Department::require_active(conn, department).await?;
            diesel::update(problems::table.find(id))
                .set(problems::department_id.eq(department))
                .execute(conn)
                .await?;
            event_department = Some(department);
        }
        ProblemAction::Merge => {
            let original = details
                .original
                .ok_or_else(|| AppError::invalid("original", ErrorCode::Required))?;
            merge_into(conn, id, original).await?;
        }
        ProblemAction::HandBack => {
            diesel::update(problems::table.find(id))
                .set(problems::department_id.eq(None::<DepartmentId>))
                .execute(conn)
                .await?;
        }
        // The supervisor sets the responsible department a term of its own; the problem
        // stays in the supervisor's queue.
        ProblemAction::Instruct => {
            let react_by = future_date(details.planned_for, now)?;
            diesel::update(problems::table.find(id))
                .set((
                    problems::reaction_due_at.eq(plan_deadline(react_by)),
                    problems::overdue_since.eq(None::<NaiveDateTime>),
                    problems::reminded_at.eq(None::<NaiveDateTime>),
                ))
                .execute(conn)
                .await?;
        }
        // Taken into work: the status says so, the clock runs on.
        ProblemAction::Acknowledge => {}
        ProblemAction::Answer => {
            let result_days: u32 = themes::table
                .find(row.theme_id)
                .select(themes::result_days)
                .first(conn)
                .await?;
            react(conn, id, now, Some(result_deadline(now, result_days))).await?;
        }
        ProblemAction::Plan => {
            let planned_for = future_date(details.planned_for, now)?;
            react(conn, id, now, Some(plan_deadline(planned_for))).await?;
            diesel::update(problems::table.find(id))
                .set(problems::planned_for.eq(planned_for))
                .execute(conn)
                .await?;
        }
        ProblemAction::Resolve => {
            react(conn, id, now, None).await?;
            diesel::update(problems::table.find(id))
                .set(problems::resolved_at.eq(now))
                .execute(conn)
                .await?;
        }
        ProblemAction::Confirm | ProblemAction::Close => {
            diesel::update(problems::table.find(id))
                .set(problems::closed_at.eq(now))
                .execute(conn)
                .await?;
        }
        ProblemAction::Reopen => {
            let reaction_days: u32 = themes::table
                .find(row.theme_id)
                .select(themes::reaction_days)
                .first(conn)
                .await?;
            diesel::update(problems::table.find(id))
                .set((
                    problems::reaction_due_at.eq(reaction_deadline(now, reaction_days)),
                    problems::first_reaction_at.eq(None::<NaiveDateTime>),
                    problems::resolved_at.eq(None::<NaiveDateTime>),
                    problems::planned_for.eq(None::<NaiveDate>),
                    problems::reminded_at.eq(None::<NaiveDateTime>),
                    problems::overdue_since.eq(None::<NaiveDateTime>),
                    problems::escalated_to.eq(None::<DepartmentId>),
                ))
                .execute(conn)
                .await?;
        }
    }
    diesel::update(problems::table.find(id))
        .set((
            problems::status.eq(next.as_db()),
            problems::updated_at.eq(now),
        ))
        .execute(conn)
        .await?;
    let body = match action {
        ProblemAction::Merge => details.original.map(|original| format!("#{original}")),
        _ => text.map(str::to_string),
    };
    let planned_for = action.needs_date().then_some(details.planned_for).flatten();
    let event = record_event(
        conn,
        id,
        action.event(),
        actor,
        event_department,
        body.as_deref(),
        planned_for,
        now,
    )
    .await?;
    if let (ProblemAction::Instruct, Some(department)) = (action, row.department_id) {
        notify_department(conn, department, id, EventKind::Instructed, now).await?;
    }
    if action == ProblemAction::Resolve {
        Photos::attach(
            conn,
            id.subject(),
            "",
            Some(event.0),
            acting.user,
            &details.photo_tokens,
        )
        .await?;
    }
    Ok(next)
}

/// The date a plan promises or an instruction sets: required, and not in the past.
fn future_date(date: Option<NaiveDate>, now: NaiveDateTime) -> Result<NaiveDate, AppError> {
    let date = date.ok_or_else(|| AppError::invalid("planned_for", ErrorCode::Required))?;
    if date < now.date() {
        return Err(AppError::invalid("planned_for", ErrorCode::DateInPast));
    }
    Ok(date)
}

/// A lapsed plan (its day passed without a result; found by the scheduler, or reopened by
/// the author): the problem goes back to work with the reaction clock restarted, and a
/// broken promise is escalated to the department's supervisor, again if it was before.
/// The caller has written why (the lapse, or the author's reopening).
pub(crate) async fn back_to_work(
    conn: &mut AsyncMysqlConnection,
    id: ProblemId,
    department: Option<DepartmentId>,
    theme: ThemeId,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let reaction_days: u32 = themes::table
        .find(theme)
        .select(themes::reaction_days)
        .first(conn)
        .await?;
    let supervisor: Option<DepartmentId> = match department {
        Some(department) => departments::table
            .find(department)
            .select(departments::supervisor_id)
            .first::<Option<DepartmentId>>(conn)
            .await
            .optional()?
            .flatten(),
        None => None,
    };
    diesel::update(problems::table.find(id))
        .set((
            problems::status.eq(ProblemStatus::Published.as_db()),
            problems::reaction_due_at.eq(reaction_deadline(now, reaction_days)),
            problems::planned_for.eq(None::<NaiveDate>),
            problems::reminded_at.eq(None::<NaiveDateTime>),
            problems::overdue_since.eq(None::<NaiveDateTime>),
            problems::escalated_to.eq(supervisor),
            problems::updated_at.eq(now),
        ))
        .execute(conn)
        .await?;
    if let Some(supervisor) = supervisor {
        record_escalation(conn, id, supervisor, now).await?;
    }
    Ok(())
}

/// The timeline entry of an escalation to `supervisor`, whose officials are told.
pub(crate) async fn record_escalation(
    conn: &mut AsyncMysqlConnection,
    id: ProblemId,
    supervisor: DepartmentId,
    now: NaiveDateTime,
) -> QueryResult<()> {
    record_event(
        conn,
        id,
        EventKind::Escalated,
        None,
        Some(supervisor),
        None,
        None,
        now,
    )
    .await?;
    notify_department(conn, supervisor, id, EventKind::Escalated, now).await
}

/// An official reaction: the first one is remembered for the statistics; the clock runs to
/// what is due next (a result or a plan after an answer, the planned day after a plan)
/// or stops (after a result).
async fn react(
    conn: &mut AsyncMysqlConnection,
    id: ProblemId,
    now: NaiveDateTime,
    next_due: Option<NaiveDateTime>,
) -> QueryResult<()> {
    diesel::update(
        problems::table
            .find(id)
            .filter(problems::first_reaction_at.is_null()),
    )
    .set(problems::first_reaction_at.eq(now))
    .execute(conn)
    .await?;
    diesel::update(problems::table.find(id))
        .set((
            problems::reaction_due_at.eq(next_due),
            problems::overdue_since.eq(None::<NaiveDateTime>),
            problems::reminded_at.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)
        .await
        .map(drop)
}

/// Moves a duplicate's supporters and followers to the original and links the two.
async fn merge_into(
    conn: &mut AsyncMysqlConnection,
    duplicate: ProblemId,
    original: ProblemId,
) -> Result<(), AppError> {
    if original == duplicate {
        return Err(AppError::invalid("original", ErrorCode::NotAllowed));
    }
    let original_status: Option<String> = problems::table
        .find(original)
        .select(problems::status)
        .for_update()
        .first(conn)
        .await
        .optional()?;
    let accepts = original_status
        .as_deref()
        .and_then(ProblemStatus::from_db)
        .is_some_and(|status| status.is_open() || status == ProblemStatus::Resolved);
    if !accepts {
        return Err(AppError::invalid("original", ErrorCode::NotAllowed));
    }
    let (from, into) = (duplicate.subject(), original.subject());
    Follows::merge(conn, from, into).await?;
    let supports = Supports::merge(conn, from, into).await?;
    Photos::move_all(conn, from, into).await?;
    diesel::update(problems::table.find(original))
        .set(problems::support_count.eq(supports))
        .execute(conn)
        .await?;
    diesel::update(problems::table.find(duplicate))
        .set((
            // Status and link change together: a CHECK constraint ties them.
            problems::status.eq(ProblemStatus::Duplicate.as_db()),
            problems::duplicate_of.eq(original),
            problems::reaction_due_at.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)
        .await?;
    Ok(())
}
