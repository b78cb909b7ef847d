//! The dashboard's aggregates: kept current month by month by the refresh job, and read
//! by the dashboard; the same figures computed live from the raw tables, which the
//! benchmark compares against and the tests hold the aggregates to.
//!
//! A month's aggregates are rebuilt as a whole, in one transaction, from the same SQL the
//! live computation runs, so the two cannot count differently; the conditions themselves
//! are the public list's (`problems::queries`), so a figure and the list it links to
//! cannot either.

use chrono::{Months, NaiveDate, NaiveDateTime};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Nullable, Timestamp};
use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl, SimpleAsyncConnection};

use super::model::{
    ConstructionFigures, ConstructionRow, Dashboard, DashboardFilter, FigureRow, Period,
    ProblemFigures, REACTION_BUCKET_BOUNDS, REACTION_BUCKETS, month_key, month_of,
};
use crate::constructions::queries::violation_sql;
use crate::geography::model::MunicipalityId;
use crate::problems::model::{Outcome, ProblemFilter, ProblemStatus};
use crate::problems::queries::{FilterSql, outcome_sql, overdue_sql};
use diesel::result::QueryResult;

/// The breakdowns of a view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Breakdown {
    All,
    Municipality,
    Department,
    Theme,
    Month,
}

impl Breakdown {
    /// The name stored in `problem_reaction_stats.dimension`; the month breakdown reads the
    /// `all` histograms month by month.
    fn dimension(self) -> &'static str {
        match self {
            Breakdown::All | Breakdown::Month => "all",
            Breakdown::Municipality => "municipality",
            Breakdown::Department => "department",
            Breakdown::Theme => "theme",
        }
    }

    /// The key of a raw problem `p`.
    fn raw_key(self) -> &'static str {
        match self {
            Breakdown::All => "0",
            Breakdown::Municipality => "p.municipality_id",
            Breakdown::Department => "COALESCE(p.department_id, 0)",
            Breakdown::Theme => "p.theme_id",
            Breakdown::Month => "YEAR(p.created_at) * 100 + MONTH(p.created_at)",
        }
    }

    /// The key of a `problem_stats` row.
    fn stats_key(self) -> &'static str {
        match self {
            Breakdown::All => "0",
            Breakdown::Municipality => "municipality_id",
            Breakdown::Department => "department_id",
            Breakdown::Theme => "theme_id",
            Breakdown::Month => "YEAR(month) * 100 + MONTH(month)",
        }
    }
}

/// The breakdowns whose histograms are kept, with the view each serves: the region view
/// (scope 0) and each municipality's view.
const HISTOGRAMS: [(&str, Breakdown); 7] = [
    ("0", Breakdown::All),
    ("0", Breakdown::Municipality),
    ("0", Breakdown::Department),
    ("0", Breakdown::Theme),
    ("p.municipality_id", Breakdown::All),
    ("p.municipality_id", Breakdown::Department),
    ("p.municipality_id", Breakdown::Theme),
];

/// Name of the refresh job's lease.
pub const REFRESH_JOB: &str = "dashboard-refresh";

/// What one refresh did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RefreshReport {
    /// Months recomputed.
    pub months: usize,
    /// Whether it was the day's full rebuild.
    pub full: bool,
}

#[derive(QueryableByName)]
struct CountsRow {
    #[diesel(sql_type = BigInt)]
    k: i64,
    #[diesel(sql_type = BigInt)]
    received: i64,
    #[diesel(sql_type = BigInt)]
    reacted: i64,
    #[diesel(sql_type = BigInt)]
    reacted_on_time: i64,
    #[diesel(sql_type = BigInt)]
    overdue: i64,
    #[diesel(sql_type = BigInt)]
    planned: i64,
    #[diesel(sql_type = BigInt)]
    resolved: i64,
}

#[derive(QueryableByName)]
struct HistogramRow {
    #[diesel(sql_type = BigInt)]
    k: i64,
    #[diesel(sql_type = BigInt)]
    bucket: i64,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName)]
struct ConstructionCounts {
    #[diesel(sql_type = BigInt)]
    k: i64,
    #[diesel(sql_type = BigInt)]
    reports: i64,
    #[diesel(sql_type = BigInt)]
    confirmed: i64,
}

#[derive(QueryableByName)]
struct MonthRow {
    #[diesel(sql_type = Nullable<Timestamp>)]
    month: Option<NaiveDateTime>,
}

#[derive(QueryableByName)]
struct RefreshRow {
    #[diesel(sql_type = Timestamp)]
    refreshed_at: NaiveDateTime,
    #[diesel(sql_type = Timestamp)]
    rebuilt_on: NaiveDateTime,
}

fn count(value: i64) -> u64 {
    value.max(0) as u64
}

/// `'YYYY-MM-DD'`, a SQL literal of a day we computed.
fn sql_day(day: NaiveDate) -> String {
    format!("'{day}'")
}

/// The WHERE clause of the problems a view counts, from the public list's filter.
fn problems_where(
    period: &Period,
    municipality: Option<MunicipalityId>,
    now: NaiveDateTime,
) -> FilterSql {
    let filter = ProblemFilter {
        municipality_id: municipality,
        reported: period.days(),
        ..ProblemFilter::default()
    };
    FilterSql::public(&filter, now)
}

/// The counted figures of raw problems `p`, named as `CountsRow` reads them.
fn figure_columns(now: NaiveDateTime) -> String {
    let sum = |condition: String| format!("CAST(COALESCE(SUM({condition}), 0) AS SIGNED)");
    format!(
        "COUNT(*) AS received, {} AS reacted, {} AS reacted_on_time, {} AS overdue, \
         {} AS planned, {} AS resolved",
        sum(outcome_sql(Outcome::Reacted)),
        sum(outcome_sql(Outcome::ReactedOnTime)),
        sum(overdue_sql(now)),
        sum(format!("p.status = '{}'", ProblemStatus::Planned.as_db())),
        sum(outcome_sql(Outcome::Resolved)),
    )
}

/// The reaction-time class of a raw problem `p` that was reacted to: MySQL's
/// `INTERVAL(n, b1, b2, ...)` is the number of bounds not above `n`, which is exactly the
/// class of [`super::model::reaction_bucket`].
fn bucket_column() -> String {
    let bounds: Vec<String> = REACTION_BUCKET_BOUNDS.iter().map(u32::to_string).collect();
    format!(
        "INTERVAL(TIMESTAMPDIFF(MINUTE, COALESCE(p.published_at, p.created_at), \
         p.first_reaction_at) / 60, {})",
        bounds.join(", ")
    )
}

fn to_figures(row: &CountsRow) -> ProblemFigures {
    ProblemFigures {
        received: count(row.received),
        reacted: count(row.reacted),
        reacted_on_time: count(row.reacted_on_time),
        overdue: count(row.overdue),
        planned: count(row.planned),
        resolved: count(row.resolved),
        median_hours: None,
        p90_hours: None,
    }
}

/// Rows per key, each with its percentiles from the histogram rows of the same key.
fn rows_with_percentiles(counts: Vec<CountsRow>, histograms: Vec<HistogramRow>) -> Vec<FigureRow> {
    let mut rows: Vec<(FigureRow, [u64; REACTION_BUCKETS])> = counts
        .iter()
        .map(|row| {
            let row = FigureRow {
                key: count(row.k),
                figures: to_figures(row),
            };
            (row, [0; REACTION_BUCKETS])
        })
        .collect();
    for histogram in histograms {
        let key = count(histogram.k);
        let bucket = usize::try_from(histogram.bucket).unwrap_or(0);
        if let (Some((_, classes)), true) = (
            rows.iter_mut().find(|(row, _)| row.key == key),
            bucket < REACTION_BUCKETS,
        ) {
            classes[bucket] += count(histogram.n);
        }
    }
    rows.into_iter()
        .map(|(mut row, classes)| {
            row.figures.set_reaction_times(&classes);
            row
        })
        .collect()
}

/// Where the figures come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The aggregates the refresh job keeps.
    Aggregates,
    /// The raw tables, at the given time (what the aggregates stand in for).
    Live(NaiveDateTime),
}

/// The dashboard's reads and the refresh of its aggregates.
pub struct DashboardStats;

impl DashboardStats {
    /// The view `filter` from `source`.
    pub async fn load(
        conn: &mut AsyncMysqlConnection,
        filter: &DashboardFilter,
        source: Source,
    ) -> QueryResult<Dashboard> {
        let region = filter.municipality_id.is_none();
        let mut breakdowns = vec![
            Breakdown::All,
            Breakdown::Department,
            Breakdown::Theme,
            Breakdown::Month,
        ];
        if region {
            breakdowns.push(Breakdown::Municipality);
        }
        let mut dashboard = Dashboard {
            filter: *filter,
            today: match source {
                Source::Aggregates => platform::clock::now().date(),
                Source::Live(now) => now.date(),
            },
            refreshed_at: Self::refreshed_at(conn).await?,
            total: ProblemFigures::default(),
            by_municipality: Vec::new(),
            by_department: Vec::new(),
            by_theme: Vec::new(),
            by_month: Vec::new(),
            constructions: ConstructionFigures::default(),
            constructions_by_municipality: Vec::new(),
        };
        for breakdown in breakdowns {
            let (counts, histograms) = match source {
                Source::Aggregates => Self::aggregated(conn, filter, breakdown).await?,
                Source::Live(now) => Self::live(conn, filter, breakdown, now).await?,
            };
            let rows = rows_with_percentiles(counts, histograms);
            match breakdown {
                Breakdown::All => {
                    dashboard.total = rows
                        .as_slice()
                        .first()
                        .map(|row| row.figures)
                        .unwrap_or_default()
                }
                Breakdown::Municipality => dashboard.by_municipality = rows,
                Breakdown::Department => dashboard.by_department = rows,
                Breakdown::Theme => dashboard.by_theme = rows,
                Breakdown::Month => dashboard.by_month = every_month(&filter.period, rows),
            }
        }
        let constructions = Self::constructions(conn, filter, source).await?;
        for row in &constructions {
            dashboard.constructions.reports += row.figures.reports;
            dashboard.constructions.confirmed += row.figures.confirmed;
        }
        if region {
            dashboard.constructions_by_municipality = constructions;
        }
        Ok(dashboard)
    }

    /// When the aggregates were last brought up to date.
    pub async fn refreshed_at(
        conn: &mut AsyncMysqlConnection,
    ) -> QueryResult<Option<NaiveDateTime>> {
        Ok(last_refresh(conn).await?.map(|row| row.refreshed_at))
    }

    async fn aggregated(
        conn: &mut AsyncMysqlConnection,
        filter: &DashboardFilter,
        breakdown: Breakdown,
    ) -> QueryResult<(Vec<CountsRow>, Vec<HistogramRow>)> {
        let period = &filter.period;
        let months = format!(
            "month >= {} AND month < {}",
            sql_day(period.first_month),
            sql_day(period.end())
        );
        let municipality = filter
            .municipality_id
            .map(|id| format!(" AND municipality_id = {id}"))
            .unwrap_or_default();
        let sum = |column: &str| format!("CAST(SUM({column}) AS SIGNED) AS {column}");
        let counts = diesel::sql_query(format!(
            "SELECT {key} AS k, {}, {}, {}, {}, {}, {} FROM problem_stats \
             WHERE {months}{municipality} GROUP BY k",
            sum("received"),
            sum("reacted"),
            sum("reacted_on_time"),
            sum("overdue"),
            sum("planned"),
            sum("resolved"),
            key = breakdown.stats_key(),
        ))
        .load::<CountsRow>(conn)
        .await?;
        let histogram_key = if breakdown == Breakdown::Month {
            "YEAR(month) * 100 + MONTH(month)"
        } else {
            "key_id"
        };
        let scope = filter.municipality_id.map_or(0, |id| id.0);
        let histograms = diesel::sql_query(format!(
            "SELECT {histogram_key} AS k, CAST(bucket AS SIGNED) AS bucket, \
             CAST(SUM(problems) AS SIGNED) AS n FROM problem_reaction_stats \
             WHERE scope_municipality_id = {scope} AND dimension = '{}' AND {months} \
             GROUP BY k, bucket",
            breakdown.dimension()
        ))
        .load::<HistogramRow>(conn)
        .await?;
        Ok((counts, histograms))
    }

    async fn live(
        conn: &mut AsyncMysqlConnection,
        filter: &DashboardFilter,
        breakdown: Breakdown,
        now: NaiveDateTime,
    ) -> QueryResult<(Vec<CountsRow>, Vec<HistogramRow>)> {
        let period = &filter.period;
        let conditions = problems_where(period, filter.municipality_id, now);
        let key = breakdown.raw_key();
        let counts = diesel::sql_query(format!(
            "SELECT {key} AS k, {} FROM problems p {} GROUP BY k",
            figure_columns(now),
            conditions.render()
        ))
        .load::<CountsRow>(conn)
        .await?;
        let reacted = conditions.and(outcome_sql(Outcome::Reacted));
        let histograms = diesel::sql_query(format!(
            "SELECT {key} AS k, CAST({} AS SIGNED) AS bucket, COUNT(*) AS n FROM problems p {} \
             GROUP BY k, bucket",
            bucket_column(),
            reacted.render()
        ))
        .load::<HistogramRow>(conn)
        .await?;
        Ok((counts, histograms))
    }

    async fn constructions(
        conn: &mut AsyncMysqlConnection,
        filter: &DashboardFilter,
        source: Source,
    ) -> QueryResult<Vec<ConstructionRow>> {
        let period = &filter.period;
        let (from, end) = (sql_day(period.first_month), sql_day(period.end()));
        let municipality = filter
            .municipality_id
            .map(|id| format!(" AND municipality_id = {id}"))
            .unwrap_or_default();
        let sql = match source {
            Source::Aggregates => format!(
                "SELECT CAST(municipality_id AS SIGNED) AS k, \
                 CAST(SUM(reports) AS SIGNED) AS reports, \
                 CAST(SUM(confirmed) AS SIGNED) AS confirmed FROM construction_report_stats \
                 WHERE month >= {from} AND month < {end}{municipality} GROUP BY k ORDER BY k"
            ),
            Source::Live(_) => format!(
                "SELECT CAST(r.municipality_id AS SIGNED) AS k, COUNT(*) AS reports, \
                 CAST(SUM({}) AS SIGNED) AS confirmed FROM construction_reports r \
                 WHERE r.created_at >= {from} AND r.created_at < {end}{municipality} \
                 GROUP BY k ORDER BY k",
                violation_sql()
            ),
        };
        let rows = diesel::sql_query(sql)
            .load::<ConstructionCounts>(conn)
            .await?;
        Ok(rows
            .into_iter()
            .map(|row| ConstructionRow {
                municipality_id: MunicipalityId(count(row.k)),
                figures: ConstructionFigures {
                    reports: count(row.reports),
                    confirmed: count(row.confirmed),
                },
            })
            .collect())
    }

    /// Brings the aggregates up to date at `now`: the months touched since the last
    /// refresh (a problem reported, a step in a problem's timeline, a construction report
    /// changed) and the current month; once a day, every month, which also catches a
    /// change that wrote no event.
    pub async fn refresh(
        conn: &mut AsyncMysqlConnection,
        now: NaiveDateTime,
    ) -> QueryResult<RefreshReport> {
        let last = last_refresh(conn).await?;
        let full = last
            .as_ref()
            .is_none_or(|row| row.rebuilt_on.date() < now.date());
        let months = match last {
            Some(row) if !full => Self::touched_months(conn, row.refreshed_at, now).await?,
            _ => Self::all_months(conn, now).await?,
        };
        for month in &months {
            Self::refresh_month(conn, *month, now).await?;
        }
        if full {
            // Months before the first report hold nothing any more (e.g. after a purge).
            let first = months
                .as_slice()
                .first()
                .copied()
                .unwrap_or(month_of(now.date()));
            conn.batch_execute(&format!(
                "DELETE FROM problem_stats WHERE month < {0}; \
                 DELETE FROM problem_reaction_stats WHERE month < {0}; \
                 DELETE FROM construction_report_stats WHERE month < {0};",
                sql_day(first)
            ))
            .await?;
        }
        // A change committed just before `now` by a slow transaction may carry an earlier
        // time than the refresh saw; looking a minute back next time finds it.
        let watermark = now - chrono::Duration::minutes(1);
        let rebuilt_on = if full {
            sql_day(now.date())
        } else {
            "rebuilt_on".to_string()
        };
        conn.batch_execute(&format!(
            "INSERT INTO dashboard_refreshes (id, refreshed_at, rebuilt_on) \
             VALUES (1, '{watermark}', {today}) \
             ON DUPLICATE KEY UPDATE refreshed_at = '{watermark}', rebuilt_on = {rebuilt_on}",
            today = sql_day(now.date()),
            watermark = watermark.format("%Y-%m-%d %H:%M:%S"),
        ))
        .await?;
        Ok(RefreshReport {
            months: months.len(),
            full,
        })
    }

    /// The months of the problems and reports changed since `since`, and `now`'s month.
    async fn touched_months(
        conn: &mut AsyncMysqlConnection,
        since: NaiveDateTime,
        now: NaiveDateTime,
    ) -> QueryResult<Vec<NaiveDate>> {
        let since = format!("'{}'", since.format("%Y-%m-%d %H:%M:%S"));
        let month = |column: &str| format!("CAST(DATE_FORMAT({column}, '%Y-%m-01') AS DATETIME)");
        let rows: Vec<MonthRow> = diesel::sql_query(format!(
            "SELECT {} AS month FROM problems WHERE created_at >= {since} \
             UNION SELECT {} FROM problem_events e JOIN problems p ON p.id = e.problem_id \
               WHERE e.created_at >= {since} \
             UNION SELECT {} FROM construction_reports WHERE updated_at >= {since}",
            month("created_at"),
            month("p.created_at"),
            month("created_at"),
        ))
        .load(conn)
        .await?;
        let mut months: Vec<NaiveDate> = rows
            .into_iter()
            .filter_map(|row| row.month.map(|month| month.date()))
            .collect();
        months.push(month_of(now.date()));
        months.sort();
        months.dedup();
        Ok(months)
    }

    /// Every month from the first problem or report to `now`'s.
    async fn all_months(
        conn: &mut AsyncMysqlConnection,
        now: NaiveDateTime,
    ) -> QueryResult<Vec<NaiveDate>> {
        let rows: Vec<MonthRow> = diesel::sql_query(
            "SELECT LEAST(COALESCE((SELECT MIN(created_at) FROM problems), UTC_TIMESTAMP()), \
             COALESCE((SELECT MIN(created_at) FROM construction_reports), UTC_TIMESTAMP())) AS month",
        )
        .load(conn)
        .await?;
        let current = month_of(now.date());
        let mut month = rows
            .into_iter()
            .next()
            .and_then(|row| row.month)
            .map_or(current, |first| month_of(first.date()).min(current));
        let mut all = Vec::new();
        while month <= current {
            all.push(month);
            month = month + Months::new(1);
        }
        Ok(all)
    }

    /// Recomputes one month's aggregates from the raw tables, in one transaction, so a
    /// reader sees the month before or after, never half of it.
    pub async fn refresh_month(
        conn: &mut AsyncMysqlConnection,
        month: NaiveDate,
        now: NaiveDateTime,
    ) -> QueryResult<()> {
        let end = month + Months::new(1);
        let day = sql_day(month);
        let one_month = Period {
            first_month: month,
            months: 1,
        };
        let conditions = problems_where(&one_month, None, now);
        let mut statements = vec![
            format!("DELETE FROM problem_stats WHERE month = {day}"),
            format!(
                "INSERT INTO problem_stats (month, municipality_id, department_id, theme_id, \
                 received, reacted, reacted_on_time, overdue, planned, resolved) \
                 SELECT {day}, p.municipality_id, COALESCE(p.department_id, 0), p.theme_id, {} \
                 FROM problems p {} GROUP BY p.municipality_id, COALESCE(p.department_id, 0), p.theme_id",
                figure_columns(now),
                conditions.render()
            ),
            format!("DELETE FROM problem_reaction_stats WHERE month = {day}"),
        ];
        let reacted = problems_where(&one_month, None, now).and(outcome_sql(Outcome::Reacted));
        for (scope, breakdown) in HISTOGRAMS {
            statements.push(format!(
                "INSERT INTO problem_reaction_stats \
                 (scope_municipality_id, dimension, month, key_id, bucket, problems) \
                 SELECT {scope} AS scope, '{}', {day}, {} AS key_id, {} AS bucket, COUNT(*) \
                 FROM problems p {} GROUP BY scope, key_id, bucket",
                breakdown.dimension(),
                breakdown.raw_key(),
                bucket_column(),
                reacted.render()
            ));
        }
        statements.push(format!(
            "DELETE FROM construction_report_stats WHERE month = {day}"
        ));
        statements.push(format!(
            "INSERT INTO construction_report_stats \
             (month, municipality_id, department_id, reports, confirmed) \
             SELECT {day}, r.municipality_id, r.department_id, COUNT(*), SUM({}) \
             FROM construction_reports r WHERE r.created_at >= {day} AND r.created_at < {} \
             GROUP BY r.municipality_id, r.department_id",
            violation_sql(),
            sql_day(end)
        ));
        conn.transaction(async move |conn| {
            for statement in &statements {
                diesel::sql_query(statement.as_str()).execute(conn).await?;
            }
            Ok(())
        })
        .await
    }
}

/// The refresh row, if the aggregates were ever refreshed.
async fn last_refresh(conn: &mut AsyncMysqlConnection) -> QueryResult<Option<RefreshRow>> {
    let rows: Vec<RefreshRow> = diesel::sql_query(
        "SELECT refreshed_at, CAST(rebuilt_on AS DATETIME) AS rebuilt_on \
         FROM dashboard_refreshes WHERE id = 1",
    )
    .load(conn)
    .await?;
    Ok(rows.into_iter().next())
}

/// `rows` with a zero row for each month of `period` that had none, in order.
fn every_month(period: &Period, rows: Vec<FigureRow>) -> Vec<FigureRow> {
    period
        .months()
        .into_iter()
        .map(|month| {
            let key = month_key(month);
            rows.iter()
                .find(|row| row.key == key)
                .copied()
                .unwrap_or(FigureRow {
                    key,
                    figures: ProblemFigures::default(),
                })
        })
        .collect()
}
