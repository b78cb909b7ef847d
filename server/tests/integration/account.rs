//! A person's own data over HTTP, against a real MariaDB: the download is a ZIP with the
//! JSON of what they created, and deleting the account needs the password and ends every
//! way back in.

use crate::common;

use std::io::{Cursor, Read};

use axum::http::{StatusCode, header};
use common::{TestApp, sign_in};

#[tokio::test]
async fn a_resident_downloads_their_data_then_deletes_the_account_for_good() {
    let app = TestApp::new().await;
    app.seeded_admin().await;
    let email = "resident6@openregion.demo";
    let cookie = sign_in(&app, email).await;

    let download = app.get("/api/v1/account/data", Some(&cookie)).await;
    assert_eq!(download.status, StatusCode::OK);
    assert_eq!(
        download.header(header::CONTENT_TYPE),
        Some("application/zip")
    );
    let bytes = app.get_bytes("/api/v1/account/data", Some(&cookie)).await;
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip");
    let mut json = String::new();
    archive
        .by_name("data.json")
        .expect("data.json")
        .read_to_string(&mut json)
        .expect("text");
    let data: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(data["account"][0]["email"], email);
    assert!(
        data["problems"]
            .as_array()
            .is_some_and(|problems| !problems.is_empty())
    );

    let wrong = app
        .post(
            "/api/account/delete",
            &[("password", "not-the-password"), ("confirm", "yes")],
            Some(&cookie),
        )
        .await;
    assert_eq!(
        wrong.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        wrong.body
    );
    let unconfirmed = app
        .post(
            "/api/account/delete",
            &[("password", app::seed::DEMO_PASSWORD)],
            Some(&cookie),
        )
        .await;
    assert_eq!(unconfirmed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.get("/api/messages/inbox?before=", Some(&cookie))
            .await
            .status,
        StatusCode::OK,
        "nothing was deleted yet"
    );

    let deleted = app
        .post(
            "/api/account/delete",
            &[("password", app::seed::DEMO_PASSWORD), ("confirm", "yes")],
            Some(&cookie),
        )
        .await;
    assert_eq!(deleted.status, StatusCode::OK, "{}", deleted.body);
    assert_eq!(
        app.get("/api/messages/inbox?before=", Some(&cookie))
            .await
            .status,
        StatusCode::UNAUTHORIZED,
        "the session ended"
    );
    let again = app
        .post(
            "/api/auth/login",
            &[("email", email), ("password", app::seed::DEMO_PASSWORD)],
            None,
        )
        .await;
    assert!(again.session_cookie().is_none(), "{}", again.body);
}

#[tokio::test]
async fn a_suspended_person_cannot_write_until_the_suspension_ends() {
    let app = TestApp::new().await;
    app.seeded_admin().await;
    let cookie = sign_in(&app, "resident6@openregion.demo").await;
    app.execute(
        "UPDATE users SET suspended_until = UTC_TIMESTAMP() + INTERVAL 7 DAY \
         WHERE email = 'resident6@openregion.demo'",
    )
    .await;
    let refused = app
        .post(
            "/api/publications/publish",
            &[("input[body]", "Снова реклама")],
            Some(&cookie),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    assert_eq!(refused.json()["kind"], "suspended");
    assert_eq!(
        app.get("/api/messages/inbox?before=", Some(&cookie))
            .await
            .status,
        StatusCode::OK,
        "reading goes on"
    );
    app.execute(
        "UPDATE users SET suspended_until = UTC_TIMESTAMP() - INTERVAL 1 SECOND \
         WHERE email = 'resident6@openregion.demo'",
    )
    .await;
    let published = app
        .post(
            "/api/publications/publish",
            &[("input[body]", "Извините, больше не буду.")],
            Some(&cookie),
        )
        .await;
    assert_eq!(published.status, StatusCode::OK, "{}", published.body);
}
