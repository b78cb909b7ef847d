//! Live delivery of messages across server instances, against a real MariaDB: a page
//! listening on one instance receives the message another instance took.

use crate::common;

use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{TestApp, sign_in};
use http_body_util::BodyExt;
use tower::ServiceExt;

#[tokio::test(flavor = "multi_thread")]
async fn a_message_taken_by_one_instance_reaches_a_page_listening_on_another() {
    let app = TestApp::new().await;
    app.seeded_admin().await;
    let citizen = sign_in(&app, "citizen@openregion.demo").await;
    let resident = sign_in(&app, "resident3@openregion.demo").await;
    let citizen_id = app
        .scalar("SELECT CAST(id AS SIGNED) AS n FROM users WHERE email = 'citizen@openregion.demo'")
        .await
        .to_string();
    let other = app.second_instance(Duration::ZERO);

    let listening = other
        .oneshot(
            Request::get("/api/v1/messages/events")
                .header(header::HOST, "localhost")
                .header(header::COOKIE, &citizen)
                .body(Body::empty())
                .expect("request"),
        )
        .await
        .expect("the other instance answers");
    assert_eq!(listening.status(), StatusCode::OK);
    assert_eq!(
        listening
            .headers()
            .get(header::CONTENT_TYPE)
            .map(|kind| kind.as_bytes()),
        Some(&b"text/event-stream"[..])
    );
    let mut events = listening.into_body();

    let sent = app
        .post(
            "/api/messages/start",
            &[
                ("to", &citizen_id),
                ("body", "Анна, вы будете на субботнике?"),
                ("problem", ""),
            ],
            Some(&resident),
        )
        .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);

    let mut received = String::new();
    let arrived = tokio::time::timeout(Duration::from_secs(10), async {
        while let Some(frame) = events.frame().await {
            if let Some(data) = frame.expect("a frame").data_ref() {
                received.push_str(&String::from_utf8_lossy(data));
            }
            if received.contains("вы будете на субботнике") {
                return true;
            }
        }
        false
    })
    .await;
    assert_eq!(arrived, Ok(true), "received so far: {received}");
    assert!(received.contains("event: message"), "{received}");
    assert!(received.contains(&format!("\"conversation\":{}", sent.json()["conversation"])));

    let guest = app.get("/api/v1/messages/events", None).await;
    assert_eq!(guest.status, StatusCode::UNAUTHORIZED);
}
