//! What operators read, against a real MariaDB: `/metrics`, the request id of every
//! answer, and `/healthz`'s account of the database and the scheduler.

use crate::common;

use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::TestApp;
use server::metrics::Metrics;

/// The value of the sample named exactly `series` (name and labels) in a scrape.
fn sample(scrape: &str, series: &str) -> Option<f64> {
    scrape.lines().find_map(|line| {
        line.strip_prefix(series)
            .and_then(|rest| rest.strip_prefix(' '))
            .and_then(|value| value.trim().parse().ok())
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn metrics_count_requests_by_route_and_read_the_shared_figures() {
    let app = TestApp::new().await;
    // A confirmed registration leaves its mail in the outbox, not yet delivered.
    app.register("anna@example.ru").await;
    for _ in 0..3 {
        assert_eq!(app.get("/healthz", None).await.status, StatusCode::OK);
    }
    app.get("/problems/98765", None).await;

    let scrape = app.get("/metrics", None).await;
    assert_eq!(scrape.status, StatusCode::OK);
    assert!(
        scrape
            .header(header::CONTENT_TYPE)
            .is_some_and(|kind| kind.starts_with("text/plain; version=0.0.4"))
    );
    let body = &scrape.body;
    assert_eq!(
        sample(
            body,
            r#"http_requests_total{method="GET",route="/healthz",status="200"}"#
        ),
        Some(3.0),
        "{body}"
    );
    assert_eq!(
        sample(
            body,
            r#"http_request_duration_seconds_count{method="GET",route="/healthz"}"#
        ),
        Some(3.0),
        "{body}"
    );
    assert!(
        !body.contains("98765"),
        "a route is counted by its pattern, never by the id in the address: {body}"
    );

    let pending = app.count("outbox_events WHERE status = 'pending'").await;
    assert!(pending > 0);
    assert_eq!(
        sample(body, r#"outbox_events{status="pending"}"#),
        Some(pending as f64),
        "{body}"
    );
    let in_use = sample(body, r#"db_pool_connections{state="in_use"}"#).expect("pool");
    let idle = sample(body, r#"db_pool_connections{state="idle"}"#).expect("pool");
    assert!(in_use + idle >= 1.0, "{body}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_configured_metrics_token_is_required() {
    let app = TestApp::new()
        .await
        .with_metrics(Metrics::new(Some("scrape-secret".into())));
    let scrape = |authorization: Option<&'static str>| {
        let mut request = Request::get("/metrics").header(header::HOST, "localhost");
        if let Some(value) = authorization {
            request = request.header(header::AUTHORIZATION, value);
        }
        app.send(request.body(Body::empty()).expect("request"))
    };
    assert_eq!(scrape(None).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        scrape(Some("Bearer wrong-secret")).await.status,
        StatusCode::UNAUTHORIZED
    );
    let allowed = scrape(Some("Bearer scrape-secret")).await;
    assert_eq!(allowed.status, StatusCode::OK);
    assert!(allowed.body.contains("http_requests_total"));
    // Never an anonymous reader's kept copy: each scrape counts the one before it.
    let again = scrape(Some("Bearer scrape-secret")).await.body;
    assert_eq!(
        sample(
            &again,
            r#"http_requests_total{method="GET",route="/metrics",status="200"}"#
        ),
        Some(1.0),
        "{again}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn every_answer_names_its_request_id_and_keeps_the_one_it_was_given() {
    let app = TestApp::new().await;
    let id_of = |reply: &common::Reply| {
        reply
            .header("x-request-id")
            .map(str::to_owned)
            .expect("an x-request-id")
    };
    let first = id_of(&app.get("/healthz", None).await);
    let second = id_of(&app.get("/no-such-page", None).await);
    assert_ne!(first, second);
    assert_eq!(first.len(), 36, "a UUID: {first}");

    let given = Request::get("/healthz")
        .header(header::HOST, "localhost")
        .header("x-request-id", "nginx-4f2a9c")
        .body(Body::empty())
        .expect("request");
    assert_eq!(id_of(&app.send(given).await), "nginx-4f2a9c");
}

#[tokio::test(flavor = "multi_thread")]
async fn healthz_tells_the_scheduler_apart_and_the_scheduler_counts_its_jobs() {
    let app = TestApp::new().await;
    let health = app.get("/healthz", None).await.json();
    assert_eq!(health["database"], true);
    assert_eq!(health["scheduler"]["state"], "off", "{health}");

    let metrics = Metrics::default();
    let app = app.with_metrics(metrics.clone());
    server::scheduler::spawn(
        app.db.pool().clone(),
        Duration::from_secs(3600),
        platform::config::AppConfig::default(),
        None,
        metrics,
    );
    // The first round starts at once; it has finished when healthz says so.
    let mut health = app.get("/healthz", None).await.json();
    for _ in 0..300 {
        if health["scheduler"]["state"] == "running" {
            break;
        }
        assert_eq!(health["scheduler"]["state"], "starting", "{health}");
        tokio::time::sleep(Duration::from_millis(100)).await;
        health = app.get("/healthz", None).await.json();
    }
    assert_eq!(health["scheduler"]["state"], "running", "{health}");
    assert_eq!(health["status"], "ok");

    let scrape = app.get("/metrics", None).await.body;
    for job in [
        "deadlines",
        "initiative_stages",
        "expired_state",
        "staged_photos",
    ] {
        assert_eq!(
            sample(
                &scrape,
                &format!(r#"job_runs_total{{job="{job}",outcome="ok"}}"#)
            ),
            Some(1.0),
            "{scrape}"
        );
    }
}
