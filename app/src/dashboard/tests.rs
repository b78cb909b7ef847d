//! The dashboard against a real MariaDB with the demo data: the aggregates hold what the
//! raw tables hold, a step reaches them at the next refresh, and a figure's list shows
//! as many problems or construction reports as the figure counts.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use diesel_async::{AsyncMysqlConnection, RunQueryDsl};

use super::model::{Dashboard, DashboardFilter, Period, construction_list};
use super::queries::{DashboardStats, Source};
use crate::auth::model::Acting;
use crate::auth::queries::Users;
use crate::constructions::model::ReportQuery;
use crate::constructions::queries::Reports;
use crate::geography::model::MunicipalityId;
use crate::organisation::model::DepartmentId;
use crate::problems::model::{
    Outcome, ProblemAction, ProblemFilter, ProblemId, ProblemSort, ProblemStatus,
};
use crate::problems::queries::{Problems, StepDetails};
use platform::clock;
use platform::db::schema::problems;
use platform::db::testing::TestDb;
use platform::keyset::PageStart;

/// A database with the demo data, whose seeding rebuilt the aggregates, and the time of a
/// refresh after it.
async fn seeded() -> (TestDb, NaiveDateTime) {
    let db = TestDb::new().await;
    crate::seed::seed_demo_for_test(db.pool()).await;
    let now = clock::now();
    let mut conn = db.conn().await;
    let refreshed = DashboardStats::refresh(&mut conn, now)
        .await
        .expect("refresh");
    assert!(!refreshed.full, "the seed already rebuilt today");
    (db, now)
}

async fn both(
    conn: &mut AsyncMysqlConnection,
    filter: &DashboardFilter,
    now: NaiveDateTime,
) -> (Dashboard, Dashboard) {
    let aggregated = DashboardStats::load(conn, filter, Source::Aggregates)
        .await
        .expect("aggregated");
    let live = DashboardStats::load(conn, filter, Source::Live(now))
        .await
        .expect("live");
    (aggregated, live)
}

/// The region view of the last twelve months at `now`, from the aggregates.
async fn region_last_twelve_months(
    conn: &mut AsyncMysqlConnection,
    now: NaiveDateTime,
) -> (Period, Dashboard) {
    let period = Period::last_twelve_months(now.date());
    let filter = DashboardFilter {
        period,
        municipality_id: None,
    };
    let dashboard = DashboardStats::load(conn, &filter, Source::Aggregates)
        .await
        .expect("dashboard");
    (period, dashboard)
}

/// Every view the tests compare: the region and the demo's busiest municipality, over
/// the last twelve months and over the current month.
async fn views(conn: &mut AsyncMysqlConnection, now: NaiveDateTime) -> Vec<DashboardFilter> {
    let busiest: u64 = problems::table
        .group_by(problems::municipality_id)
        .select(problems::municipality_id)
        .order(diesel::dsl::count_star().desc())
        .first(conn)
        .await
        .expect("a municipality with problems");
    let mut views = Vec::new();
    for period in [
        Period::last_twelve_months(now.date()),
        Period::parse(&now.format("%Y-%m").to_string(), now.date()),
    ] {
        for municipality_id in [None, Some(MunicipalityId(busiest))] {
            views.push(DashboardFilter {
                period,
                municipality_id,
            });
        }
    }
    views
}

#[tokio::test(flavor = "multi_thread")]
async fn the_aggregates_hold_the_figures_of_the_raw_tables() {
    let (db, now) = seeded().await;
    let mut conn = db.conn().await;
    for filter in views(&mut conn, now).await {
        let (aggregated, live) = both(&mut conn, &filter, now).await;
        assert_eq!(aggregated, live, "{filter:?}");
        if filter.period.months == 12 {
            assert!(aggregated.total.received > 0, "{filter:?}");
        }
    }
    let region = DashboardFilter {
        period: Period::last_twelve_months(now.date()),
        municipality_id: None,
    };
    let (dashboard, _) = both(&mut conn, &region, now).await;
    assert!(dashboard.total.reacted > 0 && dashboard.total.median_hours.is_some());
    assert!(dashboard.constructions.reports > 0);
    assert_eq!(dashboard.by_month.len(), 12);
    let by_municipality: u64 = dashboard
        .by_municipality
        .iter()
        .map(|row| row.figures.received)
        .sum();
    assert_eq!(by_municipality, dashboard.total.received);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_step_reaches_the_figures_at_the_next_refresh() {
    let (db, now) = seeded().await;
    let mut conn = db.conn().await;
    let (id, department): (u64, Option<u64>) = problems::table
        .filter(problems::status.eq(ProblemStatus::Published.as_db()))
        .filter(problems::department_id.is_not_null())
        .filter(problems::first_reaction_at.is_null())
        .select((problems::id, problems::department_id))
        .first(&mut conn)
        .await
        .expect("a published problem awaiting its reaction");
    let (official, _) = Users::credentials(&mut conn, "official@openregion.demo")
        .await
        .expect("query")
        .expect("the demo official");
    let later = now + Duration::minutes(5);
    let acting = Acting {
        user: official,
        moderator: false,
        departments: department.map(DepartmentId).into_iter().collect(),
    };
    let details = StepDetails {
        text: "Бригада выедет в четверг.".to_string(),
        ..StepDetails::default()
    };
    Problems::step(
        &mut conn,
        ProblemId(id),
        acting,
        ProblemAction::Answer,
        details,
        later,
    )
    .await
    .expect("answer");

    let region = DashboardFilter {
        period: Period::last_twelve_months(later.date()),
        municipality_id: None,
    };
    let (stale, live) = both(&mut conn, &region, later).await;
    assert_eq!(stale.total.reacted + 1, live.total.reacted);

    let refreshed = DashboardStats::refresh(&mut conn, later)
        .await
        .expect("refresh");
    assert!(!refreshed.full);
    let (aggregated, live) = both(&mut conn, &region, later).await;
    assert_eq!(aggregated, live);
    assert_eq!(aggregated.total.reacted, stale.total.reacted + 1);
    assert!(aggregated.refreshed_at > stale.refreshed_at);
    // Each refresh looks a minute further back than its predecessor's time, so the step is
    // seen once more; after that, with nothing changed, only the current month is redone.
    for minutes in [3, 6] {
        DashboardStats::refresh(&mut conn, later + Duration::minutes(minutes))
            .await
            .expect("refresh");
    }
    let quiet = DashboardStats::refresh(&mut conn, later + Duration::minutes(9))
        .await
        .expect("refresh");
    assert_eq!((quiet.months, quiet.full), (1, false));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_figure_links_to_a_list_of_as_many_problems() {
    let (db, now) = seeded().await;
    let mut conn = db.conn().await;
    let (period, dashboard) = region_last_twelve_months(&mut conn, now).await;
    let in_period = ProblemFilter {
        reported: period.days(),
        ..ProblemFilter::default()
    };
    let listed = async |conn: &mut AsyncMysqlConnection, filter: ProblemFilter| {
        let mut count = 0;
        let mut start = PageStart::First;
        loop {
            let page = Problems::list(conn, &filter, ProblemSort::Newest, &start, now)
                .await
                .expect("list");
            count += page.paged.rows.len() as u64;
            match page.neighbours().1 {
                Some(next) => start = next,
                None => break,
            }
        }
        count
    };
    let total = dashboard.total;
    let cases = [
        (total.received, in_period.clone()),
        (
            total.overdue,
            ProblemFilter {
                overdue: true,
                ..in_period.clone()
            },
        ),
        (
            total.planned,
            ProblemFilter {
                status: Some(ProblemStatus::Planned),
                ..in_period.clone()
            },
        ),
        (
            total.reacted_on_time,
            ProblemFilter {
                outcome: Some(Outcome::ReactedOnTime),
                ..in_period.clone()
            },
        ),
        (
            total.resolved,
            ProblemFilter {
                outcome: Some(Outcome::Resolved),
                ..in_period.clone()
            },
        ),
    ];
    for (figure, filter) in cases {
        assert_eq!(
            listed(&mut conn, filter.clone()).await,
            figure,
            "{filter:?}"
        );
    }
    assert!(total.overdue > 0 && total.resolved > 0 && total.planned > 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_construction_figure_links_to_a_list_of_as_many_reports() {
    let (db, now) = seeded().await;
    let mut conn = db.conn().await;
    let (period, dashboard) = region_last_twelve_months(&mut conn, now).await;
    let listed = async |conn: &mut AsyncMysqlConnection, query: ReportQuery| {
        Reports::list(conn, &query.filter(), u32::MAX, 0)
            .await
            .expect("list")
            .len() as u64
    };
    let mut cases = vec![
        (
            dashboard.constructions.reports,
            construction_list(&period, None, false),
        ),
        (
            dashboard.constructions.confirmed,
            construction_list(&period, None, true),
        ),
    ];
    for row in &dashboard.constructions_by_municipality {
        let place = Some(row.municipality_id);
        cases.push((
            row.figures.reports,
            construction_list(&period, place, false),
        ));
        cases.push((
            row.figures.confirmed,
            construction_list(&period, place, true),
        ));
    }
    for (figure, query) in cases {
        assert_eq!(listed(&mut conn, query.clone()).await, figure, "{query:?}");
    }
    let confirmed = dashboard.constructions.confirmed;
    assert!(confirmed > 0 && confirmed < dashboard.constructions.reports);
}
