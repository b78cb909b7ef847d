//! Open311 GeoReport v2 over HTTP against a real MariaDB: formats, filters, paging, the
//! spec's errors and status codes, and POST with an API key entering moderation.

use crate::common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::TestApp;
use serde_json::Value;

async fn post_form(app: &TestApp, path: &str, body: &str) -> common::Reply {
    // No Origin header: a server-to-server client, as Open311 clients are.
    let request = Request::post(path)
        .header(header::HOST, "localhost")
        .header(
            header::CONTENT_TYPE,
            "application/x-www-form-urlencoded; charset=utf-8",
        )
        .body(Body::from(body.to_string()))
        .expect("request");
    app.send(request).await
}

async fn seeded() -> TestApp {
    let app = TestApp::new().await;
    app.seed_demo().await;
    app
}

#[tokio::test(flavor = "multi_thread")]
async fn discovery_and_services_come_in_both_formats() {
    let app = seeded().await;
    let discovery = app.get("/open311/v2/discovery.json", None).await;
    assert_eq!(discovery.status, StatusCode::OK);
    assert_eq!(
        discovery.json()["endpoints"][0]["specification"],
        "http://wiki.open311.org/GeoReport_v2"
    );
    let services = app.get("/open311/v2/services.json", None).await;
    let list = services.json();
    let codes: Vec<&str> = list
        .as_array()
        .expect("an array")
        .iter()
        .filter_map(|s| s["service_code"].as_str())
        .collect();
    assert!(codes.contains(&"road-damage"), "{codes:?}");
    assert_eq!(list[0]["metadata"], Value::Bool(false));
    assert_eq!(list[0]["type"], "realtime");

    let xml = app.get("/open311/v2/services.xml", None).await;
    assert_eq!(xml.status, StatusCode::OK);
    assert!(xml.body.starts_with(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><services><service><service_code>"
    ));
    let definition = app.get("/open311/v2/services/road-damage.xml", None).await;
    assert!(definition.body.contains("<service_definition><service_code>road-damage</service_code><attributes></attributes></service_definition>"), "{}", definition.body);
    let unknown = app.get("/open311/v2/services/nope.json", None).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(unknown.json()[0]["code"], 404);
}

#[tokio::test(flavor = "multi_thread")]
async fn requests_are_public_filtered_and_paged() {
    let app = seeded().await;
    let all = app
        .get("/open311/v2/requests.json?page_size=1000", None)
        .await;
    assert_eq!(all.status, StatusCode::OK);
    let all = all.json();
    let all = all.as_array().expect("an array");
    assert!(
        all.len() > 100,
        "the demo data has recent public problems: {}",
        all.len()
    );
    let public_in_db = app.count("problems WHERE status NOT IN ('moderation', 'rejected', 'duplicate') AND created_at >= UTC_TIMESTAMP() - INTERVAL 90 DAY").await;
    assert_eq!(
        all.len() as i64,
        public_in_db,
        "exactly the public problems of the last 90 days"
    );
    for request in all {
        assert!(matches!(
            request["status"].as_str(),
            Some("open" | "closed")
        ));
        assert!(
            request["requested_datetime"]
                .as_str()
                .is_some_and(|d| d.ends_with('Z'))
        );
    }

    let open = app
        .get(
            "/open311/v2/requests.json?status=open&service_code=road-damage",
            None,
        )
        .await
        .json();
    for request in open.as_array().expect("an array") {
        assert_eq!(request["status"], "open");
        assert_eq!(request["service_code"], "road-damage");
    }

    let first = app
        .get("/open311/v2/requests.json?page=1&page_size=10", None)
        .await
        .json();
    let second = app
        .get("/open311/v2/requests.json?page=2&page_size=10", None)
        .await
        .json();
    assert_eq!(first.as_array().map(Vec::len), Some(10));
    assert_eq!(first[0], all[0]);
    assert_eq!(second[0], all[10], "page 2 continues where page 1 ended");

    let id = all[0]["service_request_id"].as_u64().expect("an id");
    let one = app
        .get(&format!("/open311/v2/requests/{id}.xml"), None)
        .await;
    assert_eq!(one.status, StatusCode::OK);
    assert!(one.body.contains(&format!(
        "<service_requests><request><service_request_id>{id}</service_request_id>"
    )));
    let extended = app
        .get(
            &format!("/open311/v2/requests/{id}.json?extensions=true"),
            None,
        )
        .await
        .json();
    assert!(extended[0]["extended_status"].is_string());

    let hidden: i64 = app.count("problems WHERE status = 'moderation'").await;
    assert!(hidden > 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_queries_get_the_spec_error_format() {
    let app = seeded().await;
    let cases = [
        (
            "/open311/v2/requests.json?start_date=2026-01-01",
            StatusCode::BAD_REQUEST,
        ),
        (
            "/open311/v2/requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-12-01T00:00:00Z",
            StatusCode::BAD_REQUEST,
        ),
        (
            "/open311/v2/requests.json?status=pending",
            StatusCode::BAD_REQUEST,
        ),
        (
            "/open311/v2/requests.json?page_size=5000",
            StatusCode::BAD_REQUEST,
        ),
        ("/open311/v2/requests/999999999.json", StatusCode::NOT_FOUND),
        ("/open311/v2/tokens/abc.json", StatusCode::NOT_FOUND),
        ("/open311/v2/unknown.json", StatusCode::NOT_FOUND),
    ];
    for (path, status) in cases {
        let reply = app.get(path, None).await;
        assert_eq!(reply.status, status, "{path}: {}", reply.body);
        assert_eq!(reply.json()[0]["code"], status.as_u16(), "{path}");
        assert!(
            reply.json()[0]["description"]
                .as_str()
                .is_some_and(|d| !d.is_empty())
        );
    }
    let xml = app
        .get("/open311/v2/requests.xml?status=pending", None)
        .await;
    assert!(
        xml.body.contains("<errors><error><code>400</code>"),
        "{}",
        xml.body
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn posting_needs_a_valid_key_and_enters_moderation() {
    let app = seeded().await;
    let body = "service_code=street-lighting&lat=45.0412&long=38.9801&address_string=%D1%83%D0%BB.+%D0%9A%D1%80%D0%B0%D1%81%D0%BD%D0%B0%D1%8F%2C+10&description=%D0%93%D0%BB%D1%83%D0%B1%D0%BE%D0%BA%D0%B0%D1%8F+%D1%8F%D0%BC%D0%B0+%D0%BD%D0%B0+%D0%B4%D0%BE%D1%80%D0%BE%D0%B3%D0%B5";
    let before = app.count("problems").await;
    let no_key = post_form(&app, "/open311/v2/requests.json", body).await;
    assert_eq!(no_key.status, StatusCode::FORBIDDEN);
    let wrong_key = post_form(
        &app,
        "/open311/v2/requests.json",
        &format!("api_key=wrong&{body}"),
    )
    .await;
    assert_eq!(wrong_key.status, StatusCode::FORBIDDEN);
    assert_eq!(wrong_key.json()[0]["code"], 403);
    assert_eq!(
        app.count("problems").await,
        before,
        "refused requests write nothing"
    );

    let key = app::seed::DEMO_API_KEY;
    let outside = post_form(&app, "/open311/v2/requests.json", &format!("api_key={key}&service_code=road-damage&lat=55.75&long=37.62&description=Moscow+is+not+here+at+all")).await;
    assert_eq!(outside.status, StatusCode::BAD_REQUEST, "{}", outside.body);
    let unknown = post_form(
        &app,
        "/open311/v2/requests.json",
        &format!(
            "api_key={key}&service_code=nope&lat=45.04&long=38.98&description=Something+broken+here"
        ),
    )
    .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);

    let created = post_form(
        &app,
        "/open311/v2/requests.xml",
        &format!("api_key={key}&{body}"),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert!(
        created
            .body
            .contains("<service_requests><request><service_request_id>")
    );
    assert_eq!(app.count("problems").await, before + 1);
    assert_eq!(app.count("problems WHERE source = 'open311' AND status = 'moderation' AND title = 'Глубокая яма на дороге'").await, 1);
}

/// One path pattern serves every resource, so axum's own 405 would offer POST for all of
/// them; each resource names its own methods, in the spec's error format.
#[tokio::test(flavor = "multi_thread")]
async fn other_methods_are_refused_with_the_resources_own_methods() {
    let app = seeded().await;
    for (method, path, allow) in [
        ("OPTIONS", "/open311/v2/discovery.json", "GET, HEAD"),
        ("POST", "/open311/v2/services.xml", "GET, HEAD"),
        ("DELETE", "/open311/v2/requests.json", "GET, HEAD, POST"),
    ] {
        let request = Request::builder()
            .method(method)
            .uri(path)
            .header(header::HOST, "localhost")
            .body(Body::empty())
            .expect("request");
        let refused = app.send(request).await;
        assert_eq!(
            refused.status,
            StatusCode::METHOD_NOT_ALLOWED,
            "{method} {path}"
        );
        assert_eq!(refused.headers[header::ALLOW], allow, "{method} {path}");
        assert!(refused.body.contains("405"), "{}", refused.body);
    }
}
