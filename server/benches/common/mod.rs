//! What the benchmarks share: the router over a bench database, timing a piece of work
//! over warm runs, pages fetched through the router, raw SQL as the baseline, the
//! process's peak memory, and the `BENCH_ONLY` filter.
// Each benchmark uses a different part of this module.
#![allow(dead_code)]

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, header};
use diesel::sql_types::BigInt;
use diesel_async::{AsyncMysqlConnection, RunQueryDsl};
use http_body_util::BodyExt;
use leptos::prelude::LeptosOptions;
use platform::config::AppConfig;
use platform::db::DbPool;
use tower::ServiceExt;

/// Timed runs of each measured piece of work.
pub const RUNS: usize = 200;
/// Untimed runs before them (caches, the pool, the query plans).
pub const WARMUP: usize = 20;

/// The median and the 95th percentile of `RUNS` runs.
pub struct Stats {
    pub p50: Duration,
    pub p95: Duration,
}

/// Times `run` `RUNS` times after `WARMUP` untimed runs.
pub async fn measure<F, Fut>(mut run: F) -> Stats
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for _ in 0..WARMUP {
        run().await;
    }
    let mut times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let started = Instant::now();
        run().await;
        times.push(started.elapsed());
    }
    times.sort();
    Stats {
        p50: times[RUNS / 2],
        p95: times[RUNS * 95 / 100],
    }
}

/// Milliseconds, for the printed tables.
pub fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e3
}

/// Whether the scenario named `name` runs (`BENCH_ONLY=import` runs only matching ones).
pub fn wanted(name: &str) -> bool {
    std::env::var("BENCH_ONLY").map_or(true, |only| name.contains(only.as_str()))
}

/// The server of `BENCH_DATABASE_URL`, without a database name (default: the local
/// MariaDB).
pub fn bench_server_url() -> String {
    std::env::var("BENCH_DATABASE_URL").unwrap_or_else(|_| "mysql://root@127.0.0.1:3306".into())
}

/// A pool of `size` connections over database `name` on the bench server, which is
/// created and migrated first where needed (its data is kept between runs).
pub async fn bench_database(name: &str, size: usize) -> DbPool {
    use diesel_async::{AsyncConnection, SimpleAsyncConnection};
    let server = bench_server_url();
    let mut admin = AsyncMysqlConnection::establish(&server)
        .await
        .expect("connect to BENCH_DATABASE_URL");
    admin
        .batch_execute(&format!(
            "CREATE DATABASE IF NOT EXISTS {name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
        ))
        .await
        .expect("create the bench database");
    let pool = platform::db::build_pool(
        &format!("{server}/{name}"),
        size,
        platform::db::STATEMENT_TIMEOUT,
    )
    .expect("pool");
    platform::db::run_migrations(&pool).await.expect("migrate");
    pool
}

/// The app's router over `pool`, as the server builds it.
pub fn bench_router(pool: &DbPool) -> axum::Router {
    bench_router_with(pool, AppConfig::default())
}

/// The app's router over `pool` with `config` (a load test turns the rate limits off: all
/// its clients share one address).
pub fn bench_router_with(pool: &DbPool, config: AppConfig) -> axum::Router {
    server::router(server::ServerState {
        publisher: Default::default(),
        recent: Default::default(),
        metrics: Default::default(),
        // The benchmarks measure what a render costs.
        public_cache: server::public_cache::PublicCache::off(),
        names: app::organisation::queries::RecentNames::new(std::time::Duration::ZERO),
        leptos_options: LeptosOptions::builder()
            .output_name("open-region")
            .site_root("target/site")
            .build(),
        live_messages: app::messages::live::LiveMessages::new(pool.clone()),
        pool: pool.clone(),
        config,
    })
}

/// GETs `path` through the router (with a session `cookie` if given) and returns the
/// body; any status but success fails the benchmark.
pub async fn get(router: &axum::Router, path: &str, cookie: Option<&str>) -> Vec<u8> {
    let mut request = Request::get(path).header(header::HOST, "localhost");
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    let response = router
        .clone()
        .oneshot(request.body(Body::empty()).expect("request"))
        .await
        .expect("response");
    assert!(
        response.status().is_success(),
        "{path}: {}",
        response.status()
    );
    response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes()
        .to_vec()
}

/// Times GETs of `path` through the router.
pub async fn http(router: &axum::Router, path: &str, cookie: Option<&str>) -> Stats {
    measure(|| async {
        get(router, path, cookie).await;
    })
    .await
}

/// Times the raw SQL statements `sqls`, one after the other on one connection: the
/// floor that the app's own queries are held against.
pub async fn raw(pool: &DbPool, sqls: &[String]) -> Stats {
    measure(|| async {
        let mut conn = pool.get().await.expect("connection");
        for sql in sqls {
            diesel::sql_query(sql.as_str())
                .execute(&mut conn)
                .await
                .expect("raw query");
        }
    })
    .await
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// The number that `sql` (a `SELECT ... AS n`) counts; 0 where it fails, as on a table
/// not made yet.
pub async fn count(conn: &mut AsyncMysqlConnection, sql: &str) -> i64 {
    diesel::sql_query(sql)
        .get_result::<Count>(conn)
        .await
        .map(|c| c.n)
        .unwrap_or(0)
}

/// The statement that makes `count` bench residents (`bench<n>@example.test`), spread over
/// the 44 municipalities.
pub fn bench_users_sql(count: u64) -> String {
    format!(
        "INSERT INTO users (email, password_hash, display_name, home_municipality_id, locale, created_at, password_changed_at) \
         SELECT CONCAT('bench', seq, '@example.test'), 'x', CONCAT('Житель ', seq), 1 + seq % 44, 'ru', UTC_TIMESTAMP(), UTC_TIMESTAMP() \
         FROM seq_1_to_{count}"
    )
}

/// Runs the seeding `statements` one after the other, printing each one's time, then
/// `ANALYZE TABLE analyzed` so the plans see the new sizes.
pub async fn seed_with(conn: &mut AsyncMysqlConnection, statements: &[String], analyzed: &str) {
    use diesel_async::SimpleAsyncConnection;
    let started = Instant::now();
    // Generating a million rows in one statement outlasts the pool's statement timeout,
    // which is there for requests.
    conn.batch_execute("SET SESSION max_statement_time = 0")
        .await
        .expect("lift the statement timeout");
    for sql in statements {
        let step = Instant::now();
        conn.batch_execute(sql).await.expect("seed statement");
        println!(
            "seeded in {:.1} s: {}",
            step.elapsed().as_secs_f64(),
            sql.chars().take(60).collect::<String>()
        );
    }
    conn.batch_execute(&format!("ANALYZE TABLE {analyzed}"))
        .await
        .expect("analyze");
    println!("seeding took {:.0} s", started.elapsed().as_secs_f64());
}

/// A field of `/proc/self/status` in KiB (`VmRSS:`, `VmHWM:`); 0 where it cannot be read.
pub fn status_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|line| line.starts_with(field))
                .and_then(|line| line.split_whitespace().nth(1))
                .and_then(|kib| kib.parse().ok())
        })
        .unwrap_or(0)
}

/// Resets the kernel's high-water mark (`VmHWM`) to the current resident size and returns
/// that size (KiB): `status_kib("VmHWM:")` afterwards is the peak of what runs between.
pub fn reset_peak() -> u64 {
    let base = status_kib("VmRSS:");
    std::fs::write("/proc/self/clear_refs", "5").expect("reset the peak (needs Linux 4.0+)");
    assert!(
        status_kib("VmHWM:") <= base + 1024,
        "clear_refs did not reset VmHWM"
    );
    base
}
