//! `cargo bench -p server --bench dashboard`: the Governor's dashboard at the scale.
//!
//! Seeds 1,000,000 problems over two years (with reactions, plans, resolutions and
//! overdue ones), 10,000,000 supports and 100,000 construction reports into the database
//! `or_bench_dashboard` on `BENCH_DATABASE_URL` (default: the local MariaDB), kept between
//! runs, then measures in the same run:
//! - the aggregates' full rebuild and a one-month refresh (what the job does),
//! - the region view and a municipality view (the busiest one) of the last twelve months
//!   read from the aggregates (what the page does, `RUNS` times),
//! - the same views computed live from the raw tables (`LIVE_RUNS` times: each takes
//!   seconds), the cost the aggregates stand in for.

use std::time::{Duration, Instant};

use app::dashboard::model::{DashboardFilter, Period};
use app::dashboard::queries::{DashboardStats, Source};
use app::geography::model::MunicipalityId;
use diesel_async::SimpleAsyncConnection;
use platform::db::DbPool;

mod common;
use common::{Stats, bench_database, bench_users_sql, count, measure, ms, seed_with, wanted};

const PROBLEMS: u64 = 1_000_000;
const SUPPORTS_PER_PROBLEM: u64 = 10;
const USERS: u64 = 50_000;
const CONSTRUCTION_REPORTS: u64 = 100_000;
/// Live computations timed per view.
const LIVE_RUNS: usize = 5;

async fn seed(pool: &DbPool) {
    let mut conn = pool.get().await.expect("connection");
    if count(&mut conn, "SELECT COUNT(*) AS n FROM problems").await >= PROBLEMS as i64 {
        println!("using the seeded data in or_bench_dashboard");
        return;
    }
    // A problem's age in minutes: spread over two years, each seq its own.
    let age = "((s.seq * 7919) % (730 * 1440))";
    let reacted = "s.seq % 10 IN (2, 3, 4, 5, 6, 7)";
    let statements = [
        bench_users_sql(USERS),
        // Statuses by seq % 10: 0, 1 published (half of them overdue), 2 in progress,
        // 3 answered, 4 planned, 5 resolved, 6, 7 closed, 8 in moderation, 9 published.
        // Reactions take from minutes to 25 days.
        format!(
            "INSERT INTO problems (author_id, theme_id, municipality_id, department_id, status, title, description, address, lat, lon, source, \
               created_at, updated_at, published_at, reaction_due_at, first_reaction_at, overdue_since, support_count) \
             SELECT 1 + s.seq % {USERS}, t.id, m.id, d.id, \
               ELT(1 + s.seq % 10, 'published','published','in_progress','answered','planned','resolved','closed','closed','moderation','published'), \
               CONCAT('Проблема ', s.seq), 'Описание проблемы для нагрузочного теста.', CONCAT('ул. Красная, ', s.seq % 300), \
               m.centre_lat + (RAND(s.seq) - 0.5) * 0.2, m.centre_lon + (RAND(s.seq + 7) - 0.5) * 0.3, 'web', \
               UTC_TIMESTAMP() - INTERVAL {age} MINUTE, UTC_TIMESTAMP(), \
               IF(s.seq % 10 = 8, NULL, UTC_TIMESTAMP() - INTERVAL {age} MINUTE + INTERVAL 1 HOUR), \
               IF(s.seq % 10 IN (0, 1, 9), UTC_TIMESTAMP() - INTERVAL {age} MINUTE + INTERVAL 10 DAY, NULL), \
               IF({reacted}, UTC_TIMESTAMP() - INTERVAL {age} MINUTE + INTERVAL 1 HOUR + INTERVAL ((s.seq * 104729) % 36000) MINUTE, NULL), \
               IF(s.seq % 10 IN (0, 1, 9) AND {age} > 10 * 1440, UTC_TIMESTAMP() - INTERVAL {age} MINUTE + INTERVAL 10 DAY, NULL), \
               {SUPPORTS_PER_PROBLEM} \
             FROM seq_1_to_{PROBLEMS} s \
             JOIN municipalities m ON m.id = (SELECT MIN(id) FROM municipalities) + s.seq % 44 \
             JOIN departments d ON d.municipality_id = m.id \
             JOIN themes t ON t.id = (SELECT MIN(id) FROM themes) + s.seq % 17"
        ),
        // Each problem gets 10 supports from 10 different users: user block k of 5,000.
        format!(
            "INSERT INTO supports (subject_kind, subject_id, user_id, created_at) \
             SELECT 'problem', p0.first + s.seq % {PROBLEMS}, u0.first + (s.seq DIV {PROBLEMS}) * 5000 + s.seq % 5000, UTC_TIMESTAMP() \
             FROM seq_0_to_{} s, (SELECT MIN(id) AS first FROM problems) p0, (SELECT MIN(id) AS first FROM users WHERE email LIKE 'bench%') u0",
            PROBLEMS * SUPPORTS_PER_PROBLEM - 1
        ),
        format!(
            "INSERT INTO construction_reports (kind, lat, lon, municipality_id, address, description, author_id, department_id, status, created_at, updated_at) \
             SELECT 'not_in_registry', m.centre_lat, m.centre_lon, m.id, CONCAT('ул. Строителей, ', s.seq % 200), 'Стройка без разрешения.', \
               u0.first + s.seq % {USERS}, d.id, \
               ELT(1 + s.seq % 5, 'submitted', 'under_verification', 'violation_confirmed', 'not_confirmed', 'measures_taken'), \
               UTC_TIMESTAMP() - INTERVAL ((s.seq * 7919) % (730 * 1440)) MINUTE, UTC_TIMESTAMP() \
             FROM seq_1_to_{CONSTRUCTION_REPORTS} s \
             JOIN municipalities m ON m.id = (SELECT MIN(id) FROM municipalities) + s.seq % 44 \
             JOIN departments d ON d.slug = 'construction-supervision' \
             JOIN (SELECT MIN(id) AS first FROM users WHERE email LIKE 'bench%') u0"
        ),
    ];
    seed_with(
        &mut conn,
        &statements,
        "problems, supports, construction_reports",
    )
    .await;
}

fn line(name: &str, stats: &Stats, live: Option<&Stats>) {
    let mut text = format!(
        "{name:<46} p50 {:>9.2} ms  p95 {:>9.2} ms",
        ms(stats.p50),
        ms(stats.p95)
    );
    if let Some(live) = live {
        text.push_str(&format!(
            " | live p50 {:>9.1} ms  p95 {:>9.1} ms | live / aggregates p50 {:.0}x",
            ms(live.p50),
            ms(live.p95),
            live.p50.as_secs_f64() / stats.p50.as_secs_f64().max(1e-9)
        ));
    }
    println!("{text}");
}

/// Times `LIVE_RUNS` live computations of `filter`: the median and the slowest.
async fn live(pool: &DbPool, filter: &DashboardFilter) -> Stats {
    let mut times: Vec<Duration> = Vec::with_capacity(LIVE_RUNS);
    for _ in 0..LIVE_RUNS {
        let mut conn = pool.get().await.expect("connection");
        let started = Instant::now();
        DashboardStats::load(&mut conn, filter, Source::Live(platform::clock::now()))
            .await
            .expect("live view");
        times.push(started.elapsed());
    }
    times.sort();
    Stats {
        p50: times[LIVE_RUNS / 2],
        p95: times[LIVE_RUNS - 1],
    }
}

#[tokio::main]
async fn main() {
    let pool = bench_database("or_bench_dashboard", 4).await;
    seed(&pool).await;
    let mut conn = pool.get().await.expect("connection");
    // Forget the last rebuild's day, so the refresh below is the full one.
    conn.batch_execute("DELETE FROM dashboard_refreshes")
        .await
        .expect("reset");
    let now = platform::clock::now();
    let started = Instant::now();
    let full = DashboardStats::refresh(&mut conn, now)
        .await
        .expect("full rebuild");
    println!(
        "full rebuild of {} months: {:.1} s",
        full.months,
        started.elapsed().as_secs_f64()
    );
    let month = app::dashboard::model::month_of(now.date());
    let started = Instant::now();
    DashboardStats::refresh_month(&mut conn, month - chrono::Months::new(3), now)
        .await
        .expect("one month");
    println!(
        "refresh of one month (about {} problems): {:.2} s",
        PROBLEMS / 24,
        started.elapsed().as_secs_f64()
    );
    let busiest = count(
        &mut conn,
        "SELECT CAST(municipality_id AS SIGNED) AS n FROM problem_stats \
         GROUP BY municipality_id ORDER BY SUM(received) DESC LIMIT 1",
    )
    .await;
    drop(conn);
    let period = Period::last_twelve_months(now.date());
    for (name, filter) in [
        (
            "region view, last 12 months",
            DashboardFilter {
                period,
                municipality_id: None,
            },
        ),
        (
            "municipality view, last 12 months",
            DashboardFilter {
                period,
                municipality_id: Some(MunicipalityId(busiest.max(0) as u64)),
            },
        ),
    ] {
        if !wanted(name) {
            continue;
        }
        let aggregated = measure(|| async {
            let mut conn = pool.get().await.expect("connection");
            DashboardStats::load(&mut conn, &filter, Source::Aggregates)
                .await
                .expect("view");
        })
        .await;
        let computed = live(&pool, &filter).await;
        line(name, &aggregated, Some(&computed));
    }
}
