//! The public cache (issue 21) against a real MariaDB: anonymous readers get kept answers,
//! signed-in users never do, a write shows at once on the instance that took it and
//! within the window on another, and a client holding an answer gets a 304.

use crate::common;

use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use common::{Reply, TestApp, published_on, sign_in};
use server::public_cache::CACHE_STATUS;
use tower::ServiceExt;

/// Longer than any test takes: within it, only a write makes a kept answer go.
const LONG: Duration = Duration::from_secs(600);

fn cache_status(reply: &Reply) -> Option<&str> {
    reply.header(CACHE_STATUS)
}

/// The seeded portal's first published problem's page.
async fn published_problem_page(app: &TestApp) -> String {
    let id = app
        .scalar("SELECT CAST(MIN(id) AS SIGNED) AS n FROM problems WHERE status = 'published'")
        .await;
    format!("/problems/{id}")
}

/// The text of the page's support count ("Поддержали: 3").
fn support_count(page: &str) -> String {
    let start = page
        .find("data-test=\"support-count\"")
        .unwrap_or_else(|| panic!("a support count in {page}"));
    let rest = &page[start..];
    let text = &rest[rest.find('>').map_or(0, |at| at + 1)..rest.find("</span>").unwrap_or(0)];
    text.replace("<!>", "").replace("<!---->", "")
}

async fn support(app: &TestApp, page: &str, cookie: &str) {
    let id = page.trim_start_matches("/problems/");
    let reply = app
        .post(
            "/api/problems/support",
            &[("id", id), ("support", "true")],
            Some(cookie),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
}

/// An anonymous GET of `path` on another instance's router: its `X-Cache` and body.
async fn get_from(router: &Router, path: &str) -> (Option<String>, String) {
    let (headers, body) = headers_and_body_from(router, path).await;
    let status = headers
        .get(CACHE_STATUS)
        .and_then(|value| value.to_str().ok())
        .map(str::to_string);
    (status, body)
}

/// An anonymous GET of `path` on another instance's router: its headers and body.
async fn headers_and_body_from(router: &Router, path: &str) -> (HeaderMap, String) {
    let request = Request::get(path)
        .header(header::HOST, "localhost")
        .body(Body::empty())
        .expect("a request");
    let response = router
        .clone()
        .oneshot(request)
        .await
        .expect("the router answers");
    assert_eq!(response.status(), StatusCode::OK);
    let headers = response.headers().clone();
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("a body");
    (headers, String::from_utf8_lossy(&body).into_owned())
}

#[tokio::test]
async fn anonymous_readers_share_a_kept_page_and_signed_in_users_never_touch_it() {
    let app = TestApp::with_public_cache(LONG).await;
    app.seeded_admin().await;
    let citizen = sign_in(&app, "citizen@openregion.demo").await;

    let first = app.get("/problems", None).await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(cache_status(&first), Some("miss"));
    let second = app.get("/problems", None).await;
    assert_eq!(cache_status(&second), Some("hit"));
    assert_eq!(second.body, first.body, "the kept page itself");
    assert!(second.headers.contains_key(header::AGE));

    let signed_in = app.get("/problems", Some(&citizen)).await;
    assert_eq!(signed_in.status, StatusCode::OK);
    assert_eq!(cache_status(&signed_in), None, "never read from the cache");
    assert!(signed_in.body.contains("data-test=\"logout\""));
    assert!(!first.body.contains("data-test=\"logout\""));

    // A signed-in user's page is never kept either: the next anonymous reader gets the
    // anonymous page, and a signed-in first reader leaves nothing behind.
    let after = app.get("/problems", None).await;
    assert_eq!(cache_status(&after), Some("hit"));
    assert!(!after.body.contains("data-test=\"logout\""));
    let page = published_problem_page(&app).await;
    let signed_in_first = app.get(&page, Some(&citizen)).await;
    assert_eq!(signed_in_first.status, StatusCode::OK);
    let anonymous = app.get(&page, None).await;
    assert_eq!(cache_status(&anonymous), Some("miss"));
    assert!(!anonymous.body.contains("data-test=\"logout\""));

    // Each language has its own copy.
    let english = app.get("/problems", Some("lang=en")).await;
    assert_eq!(cache_status(&english), Some("miss"));
    assert!(english.body.contains("<html lang=\"en\""));
    assert!(after.body.contains("<html lang=\"ru\""));
}

#[tokio::test]
async fn a_write_shows_at_once_on_its_instance_and_within_the_window_on_another() {
    let window = Duration::from_millis(400);
    let app = TestApp::with_public_cache(LONG).await;
    app.seeded_admin().await;
    let citizen = sign_in(&app, "citizen@openregion.demo").await;
    let other = app.second_instance(window);
    let page = published_problem_page(&app).await;

    let before = app.get(&page, None).await;
    let kept = app.get(&page, None).await;
    assert_eq!(cache_status(&kept), Some("hit"));
    let (_, before_other) = get_from(&other, &page).await;
    assert_eq!(support_count(&before_other), support_count(&before.body));

    support(&app, &page, &citizen).await;
    let supported_at = Instant::now();

    let here = app.get(&page, None).await;
    assert_eq!(
        cache_status(&here),
        Some("miss"),
        "the write forgot the kept page"
    );
    assert_ne!(support_count(&here.body), support_count(&before.body));

    // The other instance may answer from its copy until its window passes, not after.
    tokio::time::sleep(window.saturating_sub(supported_at.elapsed())).await;
    let (status, there) = get_from(&other, &page).await;
    assert_eq!(status.as_deref(), Some("miss"));
    assert_eq!(support_count(&there), support_count(&here.body));
}

#[tokio::test]
async fn a_client_holding_the_answer_gets_a_304_and_a_changed_page_a_new_tag() {
    let app = TestApp::with_public_cache(LONG).await;
    app.seeded_admin().await;
    let page = published_problem_page(&app).await;

    let first = app.get(&page, None).await;
    let etag = first.header(header::ETAG).expect("an ETag").to_string();
    let policy = first
        .header(header::CONTENT_SECURITY_POLICY)
        .expect("the page's policy");
    let nonce = policy
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a nonce");
    assert!(
        first.body.contains(&format!("nonce=\"{nonce}\"")),
        "the kept page's scripts carry its policy's nonce"
    );

    let revalidate = |tag: &str| {
        Request::get(&page)
            .header(header::HOST, "localhost")
            .header(header::IF_NONE_MATCH, tag)
            .body(Body::empty())
            .expect("a request")
    };
    let unchanged = app.send(revalidate(&etag)).await;
    assert_eq!(unchanged.status, StatusCode::NOT_MODIFIED);
    assert!(unchanged.body.is_empty());
    assert!(
        !unchanged
            .headers
            .contains_key(header::CONTENT_SECURITY_POLICY),
        "the client keeps the policy of the copy it holds"
    );

    // A change of the page: a new tag, and the old one gets the new page.
    let citizen = sign_in(&app, "citizen@openregion.demo").await;
    support(&app, &page, &citizen).await;
    let changed = app.send(revalidate(&etag)).await;
    assert_eq!(changed.status, StatusCode::OK);
    assert_ne!(
        changed
            .headers
            .get(header::ETAG)
            .and_then(|v| v.to_str().ok()),
        Some(etag.as_str())
    );
}

#[tokio::test]
async fn a_page_rendered_again_unchanged_keeps_its_tag_under_a_new_nonce() {
    let app = TestApp::with_public_cache(LONG).await;
    app.seeded_admin().await;
    // A page without the render's time in it (a problem page carries "now" for its
    // countdowns, so each render of it differs).
    let first = app.get("/municipalities", None).await;
    assert_eq!(cache_status(&first), Some("miss"));
    // A successful write that changes nothing on the page empties the cache.
    let language = app
        .post("/api/auth/locale", &[("locale", "ru")], None)
        .await;
    assert_eq!(language.status, StatusCode::OK, "{}", language.body);
    let again = app.get("/municipalities", None).await;
    assert_eq!(cache_status(&again), Some("miss"));
    assert_ne!(
        again.headers.get(header::CONTENT_SECURITY_POLICY),
        first.headers.get(header::CONTENT_SECURITY_POLICY),
        "a new render draws a new nonce"
    );
    assert_ne!(again.body, first.body);
    assert_eq!(
        again.headers.get(header::ETAG),
        first.headers.get(header::ETAG)
    );
}

#[tokio::test]
async fn public_documents_are_kept_and_revalidated_too() {
    let app = TestApp::with_public_cache(LONG).await;
    app.seeded_admin().await;
    let path = "/open311/v2/requests.json?page_size=5";
    let first = app.get(path, None).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    assert_eq!(cache_status(&first), Some("miss"));
    let etag = first.headers.get(header::ETAG).expect("an ETag").clone();
    let again = app.get(path, None).await;
    assert_eq!(cache_status(&again), Some("hit"));
    assert_eq!(again.body, first.body);
    let request = Request::get(path)
        .header(header::HOST, "localhost")
        .header(header::IF_NONE_MATCH, etag)
        .body(Body::empty())
        .expect("a request");
    assert_eq!(app.send(request).await.status, StatusCode::NOT_MODIFIED);
    let health = app.get("/healthz", None).await;
    assert_eq!(cache_status(&health), None, "health is always asked live");
}

#[tokio::test]
async fn open_data_files_keep_their_own_validators() {
    let (app, day) = published_on(TestApp::with_public_cache(LONG).await).await;
    let inn = app::opendata::queries::Publisher::demo().inn;
    let path = format!("/opendata/{inn}-construction-registry/data-{day}-structure-{day}.csv");
    let kept = app.get(&path, None).await;
    assert_eq!(kept.status, StatusCode::OK);
    assert_eq!(cache_status(&kept), Some("miss"));
    let (own, body) = headers_and_body_from(&app.second_instance(Duration::ZERO), &path).await;
    assert_eq!(body, kept.body);
    for name in [header::ETAG, header::LAST_MODIFIED, header::CACHE_CONTROL] {
        assert_eq!(kept.headers.get(&name), own.get(&name), "{name}");
    }
    let pairs = [
        (header::IF_NONE_MATCH, header::ETAG),
        (header::IF_MODIFIED_SINCE, header::LAST_MODIFIED),
    ];
    for (asking, validator) in pairs {
        let value = own.get(&validator).expect("a validator").clone();
        let request = Request::get(&path)
            .header(header::HOST, "localhost")
            .header(asking.clone(), value)
            .body(Body::empty())
            .expect("a request");
        let reply = app.send(request).await;
        assert_eq!(reply.status, StatusCode::NOT_MODIFIED, "{asking}");
        assert_eq!(cache_status(&reply), Some("hit"));
    }
}

#[tokio::test]
async fn a_renamed_theme_shows_at_once_on_its_instance_and_within_the_window_on_another() {
    let window = Duration::from_millis(400);
    let app = TestApp::with_public_cache(LONG).await;
    let admin = app.seeded_admin().await;
    let other = app.second_instance(window);
    let theme = app
        .scalar("SELECT CAST(id AS SIGNED) AS n FROM themes WHERE slug = 'road-damage'")
        .await
        .to_string();
    let old_name = "Дороги и тротуары";
    let new_name = "Дороги, тротуары и мосты";

    // Both instances keep the catalogue of names: the signed-in page loads it here, the
    // anonymous page there.
    let before = app.get("/problems", Some(&admin)).await;
    assert!(before.body.contains(old_name));
    let (_, before_other) = get_from(&other, "/problems").await;
    assert!(before_other.contains(old_name));

    let saved = app
        .post(
            "/api/admin/themes/save",
            &[
                ("id", theme.as_str()),
                ("input[slug]", "road-damage"),
                ("input[name_ru]", new_name),
                ("input[name_en]", "Roads, pavements and bridges"),
                ("input[description_ru]", "Ямы и провалы."),
                ("input[description_en]", "Potholes."),
                ("input[reaction_days]", "10"),
                ("input[result_days]", "30"),
                ("input[sort_order]", "10"),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let renamed_at = Instant::now();

    let here = app.get("/problems", Some(&admin)).await;
    assert!(
        here.body.contains(new_name) && !here.body.contains(old_name),
        "the rename forgot this instance's names"
    );
    tokio::time::sleep(window.saturating_sub(renamed_at.elapsed())).await;
    let (_, there) = get_from(&other, "/problems").await;
    assert!(there.contains(new_name) && !there.contains(old_name));
}
