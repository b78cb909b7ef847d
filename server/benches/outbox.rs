//! `cargo bench -p server --bench outbox`: how fast the outbox delivers departments'
//! webhooks to a receiver on loopback.
//!
//! Uses the database `or_bench_outbox` on `BENCH_DATABASE_URL` (default: the local
//! MariaDB), emptied of outbox events first, and measures:
//! - throughput: 5,000 signed webhook events (500 problems, 10 events each, so the order
//!   per subject holds some back) delivered by one delivery loop, then by two at once as
//!   two instances would; events per second, and that each arrived exactly once;
//! - delay: events committed one every 20 ms while the server's own delivery loop runs
//!   with its default poll of 1 s; the time from commit to arrival at the receiver,
//!   p50 and p95.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use diesel_async::{AsyncMysqlConnection, SimpleAsyncConnection};
use platform::db::DbPool;
use platform::ids::{DepartmentId, UserId};
use platform::outbox::{Backoff, deliver_due};
use platform::webhook::{self, WebhookSender};

mod common;
use common::{bench_database, count, wanted};

const THROUGHPUT_EVENTS: u64 = 5_000;
const EVENTS_PER_SUBJECT: u64 = 10;
const DELAY_EVENTS: u64 = 300;
const DELAY_SPACING: Duration = Duration::from_millis(20);
/// The server's default `OPEN_REGION_OUTBOX_POLL_MS`.
const SERVER_POLL: Duration = Duration::from_millis(1000);
/// Events one delivery run claims, as the server's loop does.
const BATCH: u32 = 50;

/// When each event id first reached the receiver, and how many arrived more than once.
#[derive(Default)]
struct Arrivals {
    first: HashMap<u64, Instant>,
    repeated: u64,
}

type Shared = Arc<Mutex<Arrivals>>;

/// A department's system on loopback that accepts everything with 204.
async fn receiver() -> (String, Shared) {
    let arrivals: Shared = Arc::default();
    let log = arrivals.clone();
    let app = Router::new().route(
        "/hook",
        post(move |headers: HeaderMap| {
            let log = log.clone();
            async move {
                let id = headers
                    .get(webhook::EVENT_ID_HEADER)
                    .and_then(|value| value.to_str().ok())
                    .and_then(|value| value.parse::<u64>().ok());
                if let Some(id) = id {
                    let mut log = log.lock().expect("lock");
                    if log.first.insert(id, Instant::now()).is_some() {
                        log.repeated += 1;
                    }
                }
                StatusCode::NO_CONTENT
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("http://{address}/hook"), arrivals)
}

/// A department with an active endpoint at `url`, configured by a bench admin.
async fn department_with_endpoint(pool: &DbPool, url: &str) -> DepartmentId {
    let mut conn = pool.get().await.expect("connection");
    conn.batch_execute(
        "INSERT IGNORE INTO users (email, password_hash, display_name, home_municipality_id, locale, created_at, password_changed_at) \
         SELECT 'outbox-bench@example.test', 'x', 'Bench', MIN(id), 'ru', UTC_TIMESTAMP(), UTC_TIMESTAMP() FROM municipalities",
    )
    .await
    .expect("bench user");
    let admin = count(
        &mut conn,
        "SELECT id AS n FROM users WHERE email = 'outbox-bench@example.test'",
    )
    .await;
    let department = count(
        &mut conn,
        "SELECT id AS n FROM departments WHERE slug = 'admin-krasnodar'",
    )
    .await;
    let department = DepartmentId(u64::try_from(department).expect("a department"));
    let endpoint = webhook::Endpoint {
        url: url.into(),
        secret: "outbox-bench-secret".into(),
        event_kinds: vec!["problem.routed".into()],
        active: true,
    };
    webhook::save_endpoint(
        &mut conn,
        department,
        &endpoint,
        UserId(u64::try_from(admin).expect("the bench user")),
        platform::clock::now(),
    )
    .await
    .expect("endpoint");
    department
}

/// Writes one webhook event about problem `subject` and returns its id once committed.
async fn enqueue(conn: &mut AsyncMysqlConnection, department: DepartmentId, subject: u64) -> u64 {
    let data = serde_json::json!({
        "problem_id": subject,
        "title": "Яма на дороге по улице Красной",
        "status": "published",
    });
    webhook::enqueue_for_department(
        conn,
        department,
        "problem.routed",
        &format!("problem:{subject}"),
        data,
        platform::clock::now(),
    )
    .await
    .expect("event")
    .0
}

async fn empty_outbox(pool: &DbPool) {
    let mut conn = pool.get().await.expect("connection");
    conn.batch_execute("DELETE FROM outbox_events")
        .await
        .expect("empty the outbox");
}

/// Delivers until the receiver has `expected` distinct events, with `instances` loops at
/// once; returns the time it took.
async fn drain(pool: &DbPool, arrivals: &Shared, expected: usize, instances: usize) -> Duration {
    let started = Instant::now();
    let loops = (0..instances).map(|instance| {
        let pool = pool.clone();
        let arrivals = arrivals.clone();
        tokio::spawn(async move {
            let sender = WebhookSender::new(pool.clone(), None).expect("client");
            let mut run = 0u64;
            loop {
                run += 1;
                let name = format!("bench-{instance}-{run}");
                let report = deliver_due(&pool, &sender, &name, Backoff::default(), BATCH)
                    .await
                    .expect("delivery run");
                assert_eq!(report.retrying + report.failed, 0, "{report:?}");
                if report.delivered == 0 {
                    if arrivals.lock().expect("lock").first.len() >= expected {
                        break;
                    }
                    tokio::time::sleep(Duration::from_millis(1)).await;
                }
            }
        })
    });
    for handle in loops.collect::<Vec<_>>() {
        handle.await.expect("delivery loop");
    }
    started.elapsed()
}

async fn throughput(pool: &DbPool, department: DepartmentId, arrivals: &Shared) {
    for instances in [1, 2] {
        empty_outbox(pool).await;
        *arrivals.lock().expect("lock") = Arrivals::default();
        let mut conn = pool.get().await.expect("connection");
        for index in 0..THROUGHPUT_EVENTS {
            enqueue(
                &mut conn,
                department,
                index % (THROUGHPUT_EVENTS / EVENTS_PER_SUBJECT),
            )
            .await;
        }
        drop(conn);
        let took = drain(pool, arrivals, THROUGHPUT_EVENTS as usize, instances).await;
        let arrivals = arrivals.lock().expect("lock");
        println!(
            "throughput, {instances} delivery loop(s): {THROUGHPUT_EVENTS} events in {:.2} s = {:.0} events/s; distinct arrivals {}, repeated {}",
            took.as_secs_f64(),
            THROUGHPUT_EVENTS as f64 / took.as_secs_f64(),
            arrivals.first.len(),
            arrivals.repeated,
        );
    }
}

async fn delay(pool: &DbPool, department: DepartmentId, arrivals: &Shared) {
    empty_outbox(pool).await;
    *arrivals.lock().expect("lock") = Arrivals::default();
    let mail_dir = std::env::temp_dir().join("or-bench-outbox-mail");
    let mailer = platform::mail::Mailer::directory(&mail_dir, "bench@openregion.test")
        .expect("mail directory");
    let webhooks = WebhookSender::new(pool.clone(), None).expect("client");
    server::outbox::spawn(
        pool.clone(),
        mailer,
        webhooks,
        "http://localhost",
        SERVER_POLL,
        Default::default(),
    );
    let mut conn = pool.get().await.expect("connection");
    let mut committed = Vec::with_capacity(DELAY_EVENTS as usize);
    for subject in 0..DELAY_EVENTS {
        let id = enqueue(&mut conn, department, subject).await;
        committed.push((id, Instant::now()));
        tokio::time::sleep(DELAY_SPACING).await;
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    while arrivals.lock().expect("lock").first.len() < DELAY_EVENTS as usize {
        assert!(
            Instant::now() < deadline,
            "events still undelivered after 60 s"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let arrivals = arrivals.lock().expect("lock");
    let mut delays: Vec<Duration> = committed
        .iter()
        .map(|(id, at)| arrivals.first[id].saturating_duration_since(*at))
        .collect();
    delays.sort();
    let at = |share: usize| delays[(delays.len() * share / 100).min(delays.len() - 1)];
    println!(
        "delay from commit to arrival, server loop polling every {} ms, {DELAY_EVENTS} events: p50 {:.0} ms, p95 {:.0} ms, max {:.0} ms",
        SERVER_POLL.as_millis(),
        at(50).as_secs_f64() * 1e3,
        at(95).as_secs_f64() * 1e3,
        delays[delays.len() - 1].as_secs_f64() * 1e3,
    );
}

#[tokio::main]
async fn main() {
    let pool = bench_database("or_bench_outbox", 16).await;
    let (url, arrivals) = receiver().await;
    let department = department_with_endpoint(&pool, &url).await;
    if wanted("throughput") {
        throughput(&pool, department, &arrivals).await;
    }
    if wanted("delay") {
        delay(&pool, department, &arrivals).await;
    }
}
