//! `cargo bench -p server --bench problems`: citizens' control at the design's scale.
//!
//! Seeds 1,000,000 problems and 5,000,000 supports across the 44 municipalities into the
//! database `or_bench` on `BENCH_DATABASE_URL` (default: the local MariaDB), kept between
//! runs, then measures, each in the same run as the raw SQL it issues:
//! - the map's clustered viewport query (whole region, and a city at street zoom),
//! - the list page rendered on the server (`GET /problems`, the whole HTML),
//! - the Open311 requests query (`GET /open311/v2/requests.json`, 1,000 rows),
//! - the department workspace (a server function called with an official's session).
//!
//! "Raw SQL" is the same SQL text run through the same pool and driver, rows read and
//! dropped: what the database and the wire cost before the application does anything.

use std::time::Duration;

use app::problems::model::{ProblemFilter, ProblemQuery, ProblemSort};
use app::problems::queries::Problems;
use diesel_async::SimpleAsyncConnection;
use platform::db::DbPool;
use platform::geo::Viewport;
use platform::keyset::PageStart;

mod common;
use common::{
    RUNS, Stats, WARMUP, bench_database, bench_router, bench_users_sql, count, http, measure, raw,
    seed_with, wanted,
};

const PROBLEMS: u64 = 1_000_000;
const SUPPORTS_PER_PROBLEM: u64 = 5;
const USERS: u64 = 50_000;

async fn seed(pool: &DbPool) {
    let mut conn = pool.get().await.expect("connection");
    if count(&mut conn, "SELECT COUNT(*) AS n FROM problems").await >= PROBLEMS as i64 {
        println!("using the seeded data in or_bench");
        return;
    }
    // One statement per table, generated in the server by MariaDB's sequence engine.
    let statements = [
        bench_users_sql(USERS),
        format!(
            "INSERT INTO problems (author_id, theme_id, municipality_id, department_id, status, title, description, address, lat, lon, source, \
               created_at, updated_at, published_at, reaction_due_at, support_count) \
             SELECT 1 + s.seq % {USERS}, t.id, m.id, d.id, \
               ELT(1 + s.seq % 10, 'published','published','in_progress','answered','planned','resolved','closed','closed','moderation','published'), \
               CONCAT('Проблема ', s.seq), 'Описание проблемы для нагрузочного теста.', CONCAT('ул. Красная, ', s.seq % 300), \
               m.centre_lat + (RAND(s.seq) - 0.5) * 0.2, m.centre_lon + (RAND(s.seq + 7) - 0.5) * 0.3, 'web', \
               UTC_TIMESTAMP() - INTERVAL (s.seq % 730) DAY - INTERVAL (s.seq % 1440) MINUTE, UTC_TIMESTAMP(), \
               IF(s.seq % 10 = 8, NULL, UTC_TIMESTAMP() - INTERVAL (s.seq % 730) DAY - INTERVAL (s.seq % 1440) MINUTE + INTERVAL 1 HOUR), \
               IF(s.seq % 10 IN (0, 1, 9), UTC_TIMESTAMP() - INTERVAL (s.seq % 730) DAY + INTERVAL 10 DAY, NULL), {SUPPORTS_PER_PROBLEM} \
             FROM seq_1_to_{PROBLEMS} s \
             JOIN municipalities m ON m.id = (SELECT MIN(id) FROM municipalities) + s.seq % 44 \
             JOIN departments d ON d.municipality_id = m.id \
             JOIN themes t ON t.id = (SELECT MIN(id) FROM themes) + s.seq % 17"
        ),
        // Each problem gets 5 supports from 5 different users: user block k of 10,000.
        format!(
            "INSERT INTO supports (subject_kind, subject_id, user_id, created_at) \
             SELECT 'problem', p0.first + s.seq % {PROBLEMS}, u0.first + (s.seq DIV {PROBLEMS}) * 10000 + s.seq % 10000, UTC_TIMESTAMP() \
             FROM seq_0_to_{} s, (SELECT MIN(id) AS first FROM problems) p0, (SELECT MIN(id) AS first FROM users WHERE email LIKE 'bench%') u0",
            PROBLEMS * SUPPORTS_PER_PROBLEM - 1
        ),
    ];
    seed_with(&mut conn, &statements, "problems, supports").await;
}

/// Measures one page or API call and the raw SQL behind it, if `BENCH_ONLY` allows.
async fn scenario(
    router: &axum::Router,
    pool: &DbPool,
    name: &str,
    path: &str,
    cookie: Option<&str>,
    sqls: &[String],
) {
    if wanted(name) {
        report(
            name,
            &http(router, path, cookie).await,
            &raw(pool, sqls).await,
        );
    }
}

fn report(name: &str, app: &Stats, sql: &Stats) {
    let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64().max(1e-9);
    println!(
        "{name:<44} p50 {:>8.2} ms  p95 {:>8.2} ms | raw SQL p50 {:>8.2} ms  p95 {:>8.2} ms | ratio p50 {:.2}x  p95 {:.2}x",
        app.p50.as_secs_f64() * 1e3,
        app.p95.as_secs_f64() * 1e3,
        sql.p50.as_secs_f64() * 1e3,
        sql.p95.as_secs_f64() * 1e3,
        ratio(app.p50, sql.p50),
        ratio(app.p95, sql.p95),
    );
}

#[tokio::main]
async fn main() {
    let pool = bench_database("or_bench", 16).await;
    seed(&pool).await;

    let mut conn = pool.get().await.expect("connection");
    let official: i64 = count(
        &mut conn,
        "SELECT MIN(id) AS n FROM users WHERE email LIKE 'bench%'",
    )
    .await;
    let department: i64 = count(
        &mut conn,
        "SELECT id AS n FROM departments WHERE slug = 'admin-krasnodar'",
    )
    .await;
    let krasnodar: i64 = count(
        &mut conn,
        "SELECT id AS n FROM municipalities WHERE slug = 'krasnodar'",
    )
    .await;
    conn.batch_execute(&format!(
        "INSERT IGNORE INTO user_roles (user_id, role, department_id, granted_at) VALUES ({official}, 'official', {department}, UTC_TIMESTAMP())"
    ))
    .await
    .expect("official role");
    let token = "b".repeat(64);
    conn.batch_execute(&format!(
        "REPLACE INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ('{}', {official}, UTC_TIMESTAMP(), UTC_TIMESTAMP() + INTERVAL 1 DAY)",
        app::auth::session::hash_token(&token)
    ))
    .await
    .expect("session");
    let problems = count(&mut conn, "SELECT COUNT(*) AS n FROM problems").await;
    let supports = count(&mut conn, "SELECT COUNT(*) AS n FROM supports").await;
    drop(conn);
    println!(
        "{problems} problems, {supports} supports; {RUNS} runs after {WARMUP} warm-up runs each\n"
    );

    let router = bench_router(&pool);
    let cookie = format!("or_session={token}");
    let now = platform::clock::now();

    // The map. Zooms up to 11 sum the counted cells (problem_map_cells); zoom 12 and
    // closer, and the overdue filter, group the viewport's problems themselves.
    let view = |south: f64, west: f64, north: f64, east: f64, zoom: u8| Viewport {
        south_west: platform::geo::LatLon {
            lat: south,
            lon: west,
        },
        north_east: platform::geo::LatLon {
            lat: north,
            lon: east,
        },
        zoom,
    };
    let overdue = ProblemFilter {
        overdue: true,
        ..ProblemFilter::default()
    };
    let whole_region = view(43.2, 36.4, 47.0, 41.9, 8);
    for (name, viewport, filter) in [
        (
            "map clusters, whole region (zoom 8)",
            whole_region,
            &ProblemFilter::default(),
        ),
        (
            "map clusters, whole region (zoom 6)",
            view(41.0, 33.0, 49.0, 45.0, 6),
            &ProblemFilter::default(),
        ),
        (
            "map clusters, Krasnodar and around (zoom 10)",
            view(44.6, 38.2, 45.4, 39.8, 10),
            &ProblemFilter::default(),
        ),
        (
            "map clusters, Krasnodar (zoom 11)",
            view(44.85, 38.6, 45.2, 39.4, 11),
            &ProblemFilter::default(),
        ),
        (
            "map clusters, Krasnodar (zoom 12)",
            view(44.95, 38.8, 45.12, 39.2, 12),
            &ProblemFilter::default(),
        ),
        (
            "map clusters, Krasnodar (zoom 13)",
            view(45.00, 38.92, 45.07, 39.03, 13),
            &ProblemFilter::default(),
        ),
        (
            "map clusters, whole region, overdue (zoom 8)",
            whole_region,
            &overdue,
        ),
    ] {
        let (sw, ne) = (viewport.south_west, viewport.north_east);
        let path = format!(
            "/api/problems/map?south={}&west={}&north={}&east={}&zoom={}{}",
            sw.lat,
            sw.lon,
            ne.lat,
            ne.lon,
            viewport.zoom,
            if filter.overdue {
                "&query[overdue]=1"
            } else {
                ""
            }
        );
        let sql = Problems::clusters_sql(filter, viewport, now);
        scenario(&router, &pool, name, &path, None, &[sql]).await;
    }
    // What the whole-region map cost before the cells were counted.
    let name = "map clusters, whole region (zoom 8), scanning problems";
    if wanted(name) {
        let scanned = raw(
            &pool,
            &[Problems::scanned_clusters_sql(
                &ProblemFilter::default(),
                whole_region,
                now,
            )],
        )
        .await;
        println!(
            "{name:<44} raw SQL p50 {:>8.2} ms  p95 {:>8.2} ms",
            scanned.p50.as_secs_f64() * 1e3,
            scanned.p95.as_secs_f64() * 1e3
        );
    }

    // The list page, rendered on the server: newest first, and one municipality.
    let list_sql = Problems::list_sql(
        &ProblemFilter::default(),
        ProblemSort::Newest,
        &PageStart::First,
        now,
    );
    scenario(
        &router,
        &pool,
        "list page SSR GET /problems",
        "/problems",
        None,
        &[list_sql],
    )
    .await;
    let filter = ProblemFilter {
        municipality_id: Some(app::geography::model::MunicipalityId(krasnodar as u64)),
        ..ProblemFilter::default()
    };
    let municipality_sql = Problems::list_sql(&filter, ProblemSort::Newest, &PageStart::First, now);
    scenario(
        &router,
        &pool,
        "list page SSR ?municipality=Krasnodar",
        &format!("/problems?municipality={krasnodar}"),
        None,
        &[municipality_sql],
    )
    .await;
    let supported_sql = Problems::list_sql(
        &ProblemFilter::default(),
        ProblemSort::Supported,
        &PageStart::First,
        now,
    );
    scenario(
        &router,
        &pool,
        "list page SSR ?sort=supported",
        "/problems?sort=supported",
        None,
        &[supported_sql],
    )
    .await;

    // The same first page through the app's query function, without HTTP, the session
    // check, the reference data and the rendering: what the data layer itself adds.
    let name = "list query Problems::list (no HTTP)";
    if wanted(name) {
        let app = measure(|| async {
            let mut conn = pool.get().await.expect("connection");
            Problems::list(
                &mut conn,
                &ProblemFilter::default(),
                ProblemSort::Newest,
                &PageStart::First,
                now,
            )
            .await
            .expect("list");
        })
        .await;
        let sql = Problems::list_sql(
            &ProblemFilter::default(),
            ProblemSort::Newest,
            &PageStart::First,
            now,
        );
        report(name, &app, &raw(&pool, &[sql]).await);
    }

    // A deep page: the 500th, reached by following 499 "next" links. Keyset paging seeks
    // to the row the link names, so it should cost what the first page does.
    let mut deep = PageStart::First;
    {
        let mut conn = pool.get().await.expect("connection");
        for _ in 1..500 {
            let page = Problems::list(
                &mut conn,
                &ProblemFilter::default(),
                ProblemSort::Newest,
                &deep,
                now,
            )
            .await
            .expect("list");
            deep = page.neighbours().1.expect("500 pages of problems");
        }
    }
    let deep_sql = Problems::list_sql(&ProblemFilter::default(), ProblemSort::Newest, &deep, now);
    let deep_query = ProblemQuery::default().to_query_string(&deep);
    scenario(
        &router,
        &pool,
        "list page SSR, page 500 (keyset)",
        &format!("/problems{deep_query}"),
        None,
        &[deep_sql],
    )
    .await;

    // Open311: the default window (90 days), first 1,000 requests.
    let selection =
        app::open311::api::parse_selection(&Default::default(), now).expect("selection");
    let open311_sql = app::open311::queries::requests_sql(&selection, now);
    scenario(
        &router,
        &pool,
        "Open311 GET requests.json (1000 rows)",
        "/open311/v2/requests.json",
        None,
        &[open311_sql],
    )
    .await;

    // The same 1,000 requests read and written as JSON without HTTP.
    let name = "Open311 requests + JSON (no HTTP)";
    if wanted(name) {
        let app = measure(|| async {
            let mut conn = pool.get().await.expect("connection");
            let rows = app::open311::queries::requests(&mut conn, &selection, now)
                .await
                .expect("requests");
            let records: Vec<_> = rows
                .iter()
                .map(|row| app::open311::api::request_record(row, false))
                .collect();
            let json = app::open311::format::list(
                app::open311::format::Format::Json,
                "service_requests",
                "request",
                &records,
            );
            assert!(json.len() > 2, "a page of requests");
        })
        .await;
        let sql = app::open311::queries::requests_sql(&selection, now);
        report(name, &app, &raw(&pool, &[sql]).await);
    }

    // The workspace of Krasnodar's administration (~22,700 problems, 200 shown).
    let department_id = app::organisation::model::DepartmentId(department as u64);
    let soon = now + chrono::Duration::days(2);
    let time = |at: chrono::NaiveDateTime| at.format("'%Y-%m-%d %H:%M:%S'").to_string();
    let workspace_sqls = [
        Problems::workspace_sql(department_id, 200),
        format!(
            "SELECT COUNT(*) FROM problems WHERE department_id = {department} AND reaction_due_at < {}",
            time(now)
        ),
        format!(
            "SELECT COUNT(*) FROM problems WHERE department_id = {department} AND reaction_due_at >= {} AND reaction_due_at < {}",
            time(now),
            time(soon)
        ),
    ];
    scenario(
        &router,
        &pool,
        "department workspace (server function)",
        &format!("/api/manage/workspace?department_id={department}"),
        Some(&cookie),
        &workspace_sqls,
    )
    .await;
    let name = "department workspace Problems::workspace (no HTTP)";
    if wanted(name) {
        let app = measure(|| async {
            let mut conn = pool.get().await.expect("connection");
            Problems::workspace(&mut conn, department_id, now, 200)
                .await
                .expect("workspace");
        })
        .await;
        report(name, &app, &raw(&pool, &workspace_sqls).await);
    }
}
