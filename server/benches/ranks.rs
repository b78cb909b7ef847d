//! `cargo bench -p server --bench ranks`: priority ranks and service ratings at the issue's
//! scale.
//!
//! Seeds into the database `or_bench_ranks` on `BENCH_DATABASE_URL` (default: the local
//! MariaDB), kept between runs: 500,000 residents spread over the 44 municipalities,
//! 1,000 priorities, 10,000,000 votes over four quarters (the open one and the three
//! before it: every resident gives all five votes each quarter, to 1,000 priorities, so
//! each quarter counts 44 × 1,000 municipality and priority pairs), 120 services with
//! about 4,400 providers' offerings and 2,000,000 ratings over the last twelve closed
//! months. Then measures in the same run:
//! - the quarterly snapshot of the last closed quarter (2,500,000 votes), rebuilt
//!   `BUILD_RUNS` times, against the raw `GROUP BY` that counts the same votes;
//! - the provisional standings of the open quarter: the page `/ranks` (the region, and
//!   the first municipality) and its server function, `RUNS` times;
//! - the vote endpoint under 200 concurrent voters, five votes each (1,000 requests):
//!   throughput and the latency of one vote;
//! - the monthly service snapshot of the last closed month, rebuilt `BUILD_RUNS` times,
//!   against its raw `GROUP BY`.

use std::time::{Duration, Instant};

use app::priorities::model::{RankMethod, previous_quarter, quarter_of};
use app::priorities::queries::{Priorities, RankSnapshots};
use app::services::model::{RankMethod as ServiceRankMethod, month_of, previous_month};
use app::services::queries::Snapshots;
use axum::body::Body;
use axum::http::{Request, header};
use chrono::NaiveDate;
use diesel_async::{AsyncMysqlConnection, SimpleAsyncConnection};
use platform::config::AppConfig;
use platform::db::DbPool;
use tower::ServiceExt;

mod common;
use common::{
    Stats, bench_database, bench_router_with, bench_users_sql, count, http, ms, seed_with, wanted,
};

const USERS: u64 = 500_000;
const PRIORITIES: u64 = 1_000;
const QUARTERS: usize = 4;
const VOTES_PER_VOTER: u64 = 5;
const SERVICES: u64 = 120;
const RATINGS: u64 = 2_000_000;
const MONTHS: u64 = 12;
/// Concurrent voters of the vote endpoint's run.
const VOTERS: usize = 200;
/// Rebuilds timed per snapshot (each takes seconds).
const BUILD_RUNS: usize = 5;
/// The pool of the server's default configuration (`OPEN_REGION_DB_POOL_SIZE`).
const POOL: usize = 16;

/// The open quarter and the three before it, oldest first.
fn quarters() -> Vec<NaiveDate> {
    let mut quarters = vec![quarter_of(platform::clock::region_date(
        platform::clock::now(),
    ))];
    while quarters.len() < QUARTERS {
        let earlier = previous_quarter(quarters[quarters.len() - 1]);
        quarters.push(earlier);
    }
    quarters.reverse();
    quarters
}

/// The twelve closed months before the open one, oldest first.
fn months() -> Vec<NaiveDate> {
    let mut months = vec![previous_month(month_of(platform::clock::region_date(
        platform::clock::now(),
    )))];
    while months.len() < MONTHS as usize {
        let earlier = previous_month(months[months.len() - 1]);
        months.push(earlier);
    }
    months.reverse();
    months
}

async fn seed(pool: &DbPool) {
    let mut conn = pool.get().await.expect("connection");
    let votes = USERS * VOTES_PER_VOTER * QUARTERS as u64;
    if count(&mut conn, "SELECT COUNT(*) AS n FROM priority_votes").await >= votes as i64 {
        println!("using the seeded data in or_bench_ranks");
        return;
    }
    let mut statements = vec![
        bench_users_sql(USERS),
        // 100 regional priorities and 900 of the municipalities.
        format!(
            "INSERT INTO priorities (municipality_id, theme_id, title, description, status, \
             decision_reason, created_at, updated_at) \
             SELECT IF(s.seq <= 100, NULL, 1 + s.seq % 44), (SELECT MIN(id) FROM themes), \
             CONCAT('Приоритет ', s.seq), 'Описание приоритета для нагрузочного теста.', 'open', '', \
             UTC_TIMESTAMP() - INTERVAL 2 YEAR, UTC_TIMESTAMP() FROM seq_1_to_{PRIORITIES} s"
        ),
    ];
    // Vote k of a voter goes to the k-th block of 200 priorities (so the five differ),
    // skewed towards the block's first ones, so that ranks are not all ties.
    for (index, quarter) in quarters().iter().enumerate() {
        statements.push(format!(
            "INSERT INTO priority_votes (user_id, priority_id, quarter, municipality_id, created_at) \
             SELECT u0.first + s.seq - 1, \
               p0.first + k.seq * 200 + FLOOR(POW(RAND(s.seq * 5 + k.seq + {index} * 7919), 2) * 200), \
               '{quarter}', 1 + s.seq % 44, '{quarter} 12:00:00' \
             FROM seq_1_to_{USERS} s CROSS JOIN seq_0_to_{} k, \
               (SELECT MIN(id) AS first FROM users WHERE email LIKE 'bench%') u0, \
               (SELECT MIN(id) AS first FROM priorities) p0",
            VOTES_PER_VOTER - 1
        ));
    }
    // The running counts, as migration 39 computes them from votes already cast.
    statements.extend([
        "INSERT INTO priority_vote_tallies (quarter, municipality_id, priority_id, votes) \
         SELECT quarter, municipality_id, priority_id, COUNT(*) FROM priority_votes \
         GROUP BY quarter, municipality_id, priority_id"
            .to_string(),
        "INSERT INTO priority_voter_tallies (quarter, scope_id, voters) \
         SELECT quarter, municipality_id, COUNT(DISTINCT user_id) FROM priority_votes \
         GROUP BY quarter, municipality_id"
            .to_string(),
        "INSERT INTO priority_voter_tallies (quarter, scope_id, voters) \
         SELECT quarter, 0, COUNT(DISTINCT user_id) FROM priority_votes GROUP BY quarter"
            .to_string(),
        // 100 municipal services (each offered by every municipal department) and 20
        // regional ones (each by every regional department).
        format!(
            "INSERT INTO gov_services (slug, name_ru, name_en, level, created_at, updated_at) \
             SELECT CONCAT('bench-service-', s.seq), CONCAT('Услуга ', s.seq), \
             CONCAT('Service ', s.seq), IF(s.seq <= 100, 'municipal', 'regional'), \
             UTC_TIMESTAMP(), UTC_TIMESTAMP() FROM seq_1_to_{SERVICES} s"
        ),
        "INSERT INTO service_offerings (service_id, department_id, is_active, created_at) \
         SELECT s.id, d.id, TRUE, UTC_TIMESTAMP() FROM gov_services s \
         JOIN departments d ON d.level = s.level WHERE s.slug LIKE 'bench-service-%'"
            .to_string(),
    ]);
    seed_with(
        &mut conn,
        &statements,
        "users, priorities, priority_votes, priority_vote_tallies, priority_voter_tallies, \
         service_offerings",
    )
    .await;
    // Each month's ratings come from different residents (one each), to offerings in
    // turn: offering slot k is found through a key, not by scanning the offerings per row.
    let offerings = count(&mut conn, "SELECT COUNT(*) AS n FROM service_offerings").await;
    let mut statements = vec![
        "CREATE TABLE bench_offering_slots (k INT UNSIGNED PRIMARY KEY, id BIGINT UNSIGNED NOT NULL) \
         SELECT ROW_NUMBER() OVER (ORDER BY id) - 1 AS k, id FROM service_offerings"
            .to_string(),
    ];
    let per_month = RATINGS / MONTHS;
    for (index, month) in months().iter().enumerate() {
        statements.push(format!(
            "INSERT INTO service_ratings (offering_id, user_id, month, quality, convenience, speed, \
             created_at, updated_at) \
             SELECT o.id, u0.first + s.seq - 1, '{month}', \
               1 + FLOOR(RAND(s.seq * 3 + {index}) * 5), 1 + FLOOR(RAND(s.seq * 3 + {index} + 1) * 5), \
               1 + FLOOR(RAND(s.seq * 3 + {index} + 2) * 5), '{month} 12:00:00', '{month} 12:00:00' \
             FROM seq_1_to_{per_month} s \
             JOIN bench_offering_slots o ON o.k = (s.seq * 7 + {index} * 13) % {offerings}, \
             (SELECT MIN(id) AS first FROM users WHERE email LIKE 'bench%') u0"
        ));
    }
    seed_with(&mut conn, &statements, "service_ratings").await;
}

/// The median and the slowest of `times`.
fn spread(mut times: Vec<Duration>) -> Stats {
    times.sort();
    Stats {
        p50: times[times.len() / 2],
        p95: times[times.len() - 1],
    }
}

fn line(name: &str, stats: &Stats) {
    println!(
        "{name:<58} p50 {:>9.2} ms  p95 {:>9.2} ms",
        ms(stats.p50),
        ms(stats.p95)
    );
}

/// Times `BUILD_RUNS` builds of a snapshot (`forget` removes it first, untimed; `build`
/// builds it and says whether it did) and as many runs of `raw`, the `GROUP BY` that
/// counts the same rows, on `conn`; prints both and the ratio of their medians.
async fn rebuilds_against_raw(
    conn: &mut AsyncMysqlConnection,
    name: &str,
    forget: &str,
    mut build: impl AsyncFnMut(&mut AsyncMysqlConnection) -> bool,
    raw: &str,
) {
    let mut builds = Vec::with_capacity(BUILD_RUNS);
    let mut raws = Vec::with_capacity(BUILD_RUNS);
    for _ in 0..BUILD_RUNS {
        conn.batch_execute(forget)
            .await
            .expect("forget the snapshot");
        let started = Instant::now();
        assert!(build(conn).await, "the snapshot was built");
        builds.push(started.elapsed());
        let started = Instant::now();
        conn.batch_execute(raw).await.expect("raw query");
        raws.push(started.elapsed());
    }
    let (build, raw) = (spread(builds), spread(raws));
    line(&format!("{name} (build)"), &build);
    line("  the raw GROUP BY of the same rows", &raw);
    println!(
        "  build / raw GROUP BY (medians): {:.2}x",
        build.p50.as_secs_f64() / raw.p50.as_secs_f64().max(1e-9)
    );
}

async fn priority_snapshot(pool: &DbPool) {
    let quarters = quarters();
    let mut conn = pool.get().await.expect("connection");
    conn.batch_execute("SET SESSION max_statement_time = 0")
        .await
        .expect("no statement timeout");
    let now = platform::clock::now();
    // The older closed quarters once, so the timed one has a previous quarter to move
    // against.
    for quarter in &quarters[..QUARTERS - 2] {
        RankSnapshots::build(&mut conn, *quarter, RankMethod::CURRENT, now)
            .await
            .expect("an older snapshot");
    }
    let last_closed = quarters[QUARTERS - 2];
    rebuilds_against_raw(
        &mut conn,
        &format!("priority snapshot of {last_closed}"),
        &format!(
            "DELETE r FROM priority_rank_rows r JOIN priority_rank_snapshots s \
               ON s.id = r.snapshot_id WHERE s.quarter = '{last_closed}'; \
             DELETE c FROM priority_rank_scopes c JOIN priority_rank_snapshots s \
               ON s.id = c.snapshot_id WHERE s.quarter = '{last_closed}'; \
             DELETE FROM priority_rank_snapshots WHERE quarter = '{last_closed}'"
        ),
        async |conn| {
            RankSnapshots::build(conn, last_closed, RankMethod::CURRENT, now)
                .await
                .expect("the snapshot")
                .is_some()
        },
        &format!(
            "SELECT municipality_id, priority_id, COUNT(*) FROM priority_votes \
             WHERE quarter = '{last_closed}' GROUP BY municipality_id, priority_id"
        ),
    )
    .await;
}

async fn provisional_standings(pool: &DbPool, router: &axum::Router) {
    for (name, path) in [
        ("page /ranks (the region, provisional)", "/ranks"),
        (
            "page /ranks (a municipality, provisional)",
            "/ranks?municipality=1",
        ),
        (
            "server function ranks (the region, provisional)",
            "/api/ranks?quarter=&municipality=",
        ),
    ] {
        line(name, &http(router, path, None).await);
    }
    let open = quarters()[QUARTERS - 1];
    let mut conn = pool.get().await.expect("connection");
    let mut running = Vec::new();
    let mut counted = Vec::new();
    for _ in 0..BUILD_RUNS {
        let started = Instant::now();
        Priorities::running_tally(&mut conn, open)
            .await
            .expect("running tally");
        running.push(started.elapsed());
        let started = Instant::now();
        Priorities::tally(&mut conn, open).await.expect("tally");
        counted.push(started.elapsed());
    }
    line("  the open quarter's running counts", &spread(running));
    line(
        "  the same counted from its votes (what it replaces)",
        &spread(counted),
    );
}

/// `VOTERS` people who have not voted in the open quarter, each with a session; their
/// session cookies.
async fn fresh_voters(pool: &DbPool) -> Vec<(String, platform::ids::UserId)> {
    let mut conn = pool.get().await.expect("connection");
    conn.batch_execute(&format!(
        "INSERT IGNORE INTO users (email, password_hash, display_name, home_municipality_id, \
         locale, created_at, password_changed_at) \
         SELECT CONCAT('ranks-voter', s.seq, '@example.test'), 'x', CONCAT('Избиратель ', s.seq), \
         1 + s.seq % 44, 'ru', UTC_TIMESTAMP(), UTC_TIMESTAMP() FROM seq_1_to_{VOTERS} s"
    ))
    .await
    .expect("voters");
    let open = quarters()[QUARTERS - 1];
    let mut voters = Vec::with_capacity(VOTERS);
    for index in 1..=VOTERS {
        let id = count(
            &mut conn,
            &format!(
                "SELECT CAST(id AS SIGNED) AS n FROM users \
                 WHERE email = 'ranks-voter{index}@example.test'"
            ),
        )
        .await;
        let user = platform::ids::UserId(id as u64);
        // An earlier run's votes are taken back the app's way, so the counts stay true.
        for priority in Priorities::voted(&mut conn, user, open)
            .await
            .expect("voted")
        {
            Priorities::withdraw(&mut conn, user, priority, open)
                .await
                .expect("withdraw");
        }
        let token = format!("{index:064x}");
        conn.batch_execute(&format!(
            "REPLACE INTO sessions (token_hash, user_id, created_at, expires_at) \
             VALUES ('{}', {id}, UTC_TIMESTAMP(), UTC_TIMESTAMP() + INTERVAL 1 DAY)",
            app::auth::session::hash_token(&token)
        ))
        .await
        .expect("session");
        voters.push((format!("or_session={token}"), user));
    }
    voters
}

async fn vote_endpoint(pool: &DbPool, router: &axum::Router) {
    let voters = fresh_voters(pool).await;
    let mut conn = pool.get().await.expect("connection");
    let first_priority = count(
        &mut conn,
        "SELECT CAST(MIN(id) AS SIGNED) AS n FROM priorities",
    )
    .await;
    drop(conn);
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(VOTERS);
    for (index, (cookie, _)) in voters.into_iter().enumerate() {
        let router = router.clone();
        tasks.push(tokio::spawn(async move {
            let mut times = Vec::with_capacity(VOTES_PER_VOTER as usize);
            for k in 0..VOTES_PER_VOTER {
                // Everyone votes among the same few priorities: the counts' hot rows.
                let priority = first_priority as u64 + k * 200 + (index as u64 % 3);
                let request = Request::post("/api/ranks/vote")
                    .header(header::HOST, "localhost")
                    .header(header::ORIGIN, "http://localhost")
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .header(header::ACCEPT, "application/json")
                    .header(header::COOKIE, &cookie)
                    .body(Body::from(format!("priority={priority}")))
                    .expect("request");
                let sent = Instant::now();
                let response = router.clone().oneshot(request).await.expect("response");
                assert!(
                    response.status().is_success(),
                    "a vote refused: {}",
                    response.status()
                );
                times.push(sent.elapsed());
            }
            times
        }));
    }
    let mut times = Vec::new();
    for task in tasks {
        times.extend(task.await.expect("a voter"));
    }
    let elapsed = started.elapsed();
    times.sort();
    let votes = times.len();
    println!(
        "vote endpoint, {VOTERS} concurrent voters x {VOTES_PER_VOTER}: {votes} votes in {:.2} s \
         = {:.0} votes/s; one vote p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms",
        elapsed.as_secs_f64(),
        votes as f64 / elapsed.as_secs_f64(),
        ms(times[votes / 2]),
        ms(times[votes * 95 / 100]),
        ms(times[votes - 1]),
    );
    let open = quarters()[QUARTERS - 1];
    let mut conn = pool.get().await.expect("connection");
    let counted = Priorities::tally(&mut conn, open).await.expect("tally");
    let running = Priorities::running_tally(&mut conn, open)
        .await
        .expect("running tally");
    assert!(
        running.in_key_order() == counted.in_key_order(),
        "the running counts drifted from the votes"
    );
    println!("  the running counts equal the votes counted afterwards");
}

async fn service_snapshot(pool: &DbPool) {
    let last_closed = months()[MONTHS as usize - 1];
    let mut conn = pool.get().await.expect("connection");
    conn.batch_execute("SET SESSION max_statement_time = 0")
        .await
        .expect("no statement timeout");
    let now = platform::clock::now();
    rebuilds_against_raw(
        &mut conn,
        &format!("service snapshot of {last_closed}"),
        &format!(
            "DELETE r FROM service_rank_rows r JOIN service_rank_snapshots s \
               ON s.id = r.snapshot_id WHERE s.month = '{last_closed}'; \
             DELETE FROM service_rank_snapshots WHERE month = '{last_closed}'"
        ),
        async |conn| {
            Snapshots::build(conn, last_closed, ServiceRankMethod::CURRENT, now)
                .await
                .expect("the snapshot")
                .is_some()
        },
        &format!(
            "SELECT offering_id, COUNT(*), SUM(quality), SUM(convenience), SUM(speed) \
             FROM service_ratings WHERE month = '{last_closed}' GROUP BY offering_id"
        ),
    )
    .await;
}

#[tokio::main]
async fn main() {
    let pool = bench_database("or_bench_ranks", POOL).await;
    seed(&pool).await;
    let mut conn = pool.get().await.expect("connection");
    let votes = count(&mut conn, "SELECT COUNT(*) AS n FROM priority_votes").await;
    let ratings = count(&mut conn, "SELECT COUNT(*) AS n FROM service_ratings").await;
    drop(conn);
    println!("{votes} votes, {ratings} ratings; pool of {POOL} connections\n");
    let router = bench_router_with(
        &pool,
        AppConfig {
            rate_limits: false,
            ..AppConfig::default()
        },
    );
    if wanted("priority snapshot") {
        priority_snapshot(&pool).await;
    }
    if wanted("provisional") {
        provisional_standings(&pool, &router).await;
    }
    if wanted("vote endpoint") {
        vote_endpoint(&pool, &router).await;
    }
    if wanted("service snapshot") {
        service_snapshot(&pool).await;
    }
}
