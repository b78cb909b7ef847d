//! Photo uploads over HTTP against a real MariaDB: only real images are kept (re-encoded),
//! and a report is created with all of its photos or not at all.

use crate::common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{Reply, TestApp, citizen, png, report_problem};

async fn upload(app: &TestApp, bytes: &[u8], cookie: Option<&str>) -> Reply {
    let boundary = "----open-region-test";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"photo.png\"\r\nContent-Type: image/png\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let mut request = Request::post("/api/v1/photos")
        .header(header::HOST, "localhost")
        .header(header::ORIGIN, "http://localhost")
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        );
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    app.send(request.body(Body::from(body)).expect("request"))
        .await
}

#[tokio::test(flavor = "multi_thread")]
async fn only_signed_in_users_upload_and_only_images_are_kept() {
    let app = TestApp::new().await;
    assert_eq!(
        upload(&app, &png(), None).await.status,
        StatusCode::UNAUTHORIZED
    );
    let cookie = citizen(&app, "photographer@example.ru").await;
    let refused = upload(&app, b"%PDF-1.7 this is a document", Some(&cookie)).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert_eq!(refused.json()["errors"][0]["code"]["code"], "not_an_image");
    assert_eq!(
        app.count("photos").await,
        0,
        "nothing is stored for a refused file"
    );

    let accepted = upload(&app, &png(), Some(&cookie)).await;
    assert_eq!(accepted.status, StatusCode::CREATED, "{}", accepted.body);
    let thumb = accepted.json()["thumb_url"]
        .as_str()
        .expect("a thumbnail URL")
        .to_string();
    let served = app.get(&thumb, None).await;
    assert_eq!(served.status, StatusCode::OK);
    assert_eq!(
        app.count("photos WHERE subject_kind IS NULL").await,
        1,
        "staged until a report takes it"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_report_takes_its_photos_or_is_not_created() {
    let app = TestApp::new().await;
    let cookie = citizen(&app, "reporter@example.ru").await;
    let token = upload(&app, &png(), Some(&cookie)).await.json()["token"]
        .as_str()
        .expect("token")
        .to_string();

    // Someone else's photo cannot be attached: the whole report is refused.
    let other = citizen(&app, "other@example.ru").await;
    let refused = report_problem(&app, &other, &token).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert_eq!(refused.json()["errors"][0]["field"], "photos");
    assert_eq!(app.count("problems").await, 0, "no half-made problem");

    let created = report_problem(&app, &cookie, &token).await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    let id = created.json().to_string();
    assert_eq!(
        app.count(&format!(
            "photos WHERE subject_kind = 'problem' AND subject_id = {id}"
        ))
        .await,
        1
    );
    let page = app
        .get(&format!("/api/problem?id={id}"), Some(&cookie))
        .await
        .json();
    assert!(
        page[0]["photos"][0]["url"]
            .as_str()
            .is_some_and(|url| url.starts_with("/media/"))
    );

    // A used photo cannot be attached again.
    let again = report_problem(&app, &cookie, &token).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
}
