//! The HTTP surface against a real MariaDB: health, server functions' status codes, the
//! cross-origin guard, sessions, rate limiting and role checks. Each test has its own
//! database (see `platform::db::testing`).

use crate::common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::TestApp;
use serde_json::Value;

#[tokio::test(flavor = "multi_thread")]
async fn healthz_reports_the_database() {
    let app = TestApp::new().await;
    let reply = app.get("/healthz", None).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.json()["database"], Value::Bool(true));
}

#[tokio::test(flavor = "multi_thread")]
async fn pages_render_and_unknown_pages_are_404() {
    let app = TestApp::new().await;
    let home = app.get("/", None).await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(
        home.body.contains("<html lang=\"ru\""),
        "Russian by default"
    );
    let english = app.get("/", Some("lang=en")).await;
    assert!(
        english.body.contains("<html lang=\"en\""),
        "the lang cookie switches the language"
    );
    let missing = app.get("/no-such-page", None).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_registration_is_422_per_field_and_writes_nothing() {
    let app = TestApp::new().await;
    let reply = app
        .post(
            "/api/auth/register",
            &[
                ("email", "not-an-email"),
                ("password", "short"),
                ("display_name", ""),
                ("home_municipality_id", "999999"),
            ],
            None,
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    let body = reply.json();
    assert_eq!(body["kind"], "invalid");
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert_eq!(fields, ["email", "password", "display_name"]);

    // A well-formed id of a municipality that does not exist is refused by the database check.
    let reply = app
        .post(
            "/api/auth/register",
            &[
                ("email", "a@example.ru"),
                ("password", "long-enough"),
                ("display_name", "Анна"),
                ("home_municipality_id", "999999"),
            ],
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        reply.json()["errors"][0]["code"]["code"],
        "unknown_municipality"
    );
    assert_eq!(app.count("users").await, 0);
    assert!(reply.session_cookie().is_none());
}

#[tokio::test(flavor = "multi_thread")]
async fn malformed_server_function_requests_are_400() {
    let app = TestApp::new().await;
    let reply = app
        .post("/api/auth/register", &[("email", "a@example.ru")], None)
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    assert_eq!(reply.json()["kind"], "bad_request");
    let reply = app
        .get("/api/municipalities/locate?lat=abc&lon=1", None)
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    let reply = app
        .get("/api/municipalities/locate?lat=95&lon=39", None)
        .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn cross_origin_writes_are_refused() {
    let app = TestApp::new().await;
    let request = Request::post("/api/auth/login")
        .header(header::HOST, "localhost")
        .header(header::ORIGIN, "https://evil.example")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("email=a%40example.ru&password=whatever1"))
        .expect("request");
    let reply = app.send(request).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.count("login_throttles").await,
        0,
        "the handler never ran"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn register_sign_out_and_sign_in_again() {
    let app = TestApp::new().await;
    let reply = app.register("Anna@Example.ru").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.json()["email"], "anna@example.ru");
    let cookie = reply.session_cookie().expect("a session cookie");
    assert!(
        reply
            .cookies
            .iter()
            .any(|c| c.contains("HttpOnly") && c.contains("SameSite=Lax"))
    );

    let me = app.get("/api/auth/me", Some(&cookie)).await;
    assert_eq!(me.json()["display_name"], "Анна");

    // A second registration of the address is answered as the first was: the answer never
    // tells whether an address has an account. The mailbox gets a note instead of a link.
    let first_answer = app.request_registration("new@example.ru").await;
    let duplicate = app.request_registration("ANNA@example.ru").await;
    assert_eq!(duplicate.status, StatusCode::OK, "{}", duplicate.body);
    assert_eq!(duplicate.json()["email"], "anna@example.ru");
    assert_eq!(
        first_answer.json()["email"],
        "new@example.ru",
        "the same shape for a free address"
    );
    assert!(duplicate.session_cookie().is_none());
    assert_eq!(
        app.count("outbox_events WHERE kind = 'account.registration_for_existing'")
            .await,
        1
    );
    assert_eq!(app.count("users WHERE email = 'anna@example.ru'").await, 1);

    // A page looks its user up once, before it renders: the header names the user.
    let signed_in_page = app.get("/problems", Some(&cookie)).await;
    assert!(signed_in_page.body.contains("data-test=\"logout\""));

    let out = app.post("/api/auth/logout", &[], Some(&cookie)).await;
    assert_eq!(out.status, StatusCode::OK);
    let me = app.get("/api/auth/me", Some(&cookie)).await;
    assert_eq!(me.json(), Value::Null, "the old cookie no longer signs in");
    let page = app.get("/problems", Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        !page.body.contains("data-test=\"logout\""),
        "a page for an ended session is an anonymous one"
    );

    let wrong = app
        .post(
            "/api/auth/login",
            &[("email", "anna@example.ru"), ("password", "wrong-password")],
            None,
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.json()["kind"], "bad_credentials");
    let unknown = app
        .post(
            "/api/auth/login",
            &[("email", "nobody@example.ru"), ("password", "long-enough")],
            None,
        )
        .await;
    assert_eq!(
        unknown.json(),
        wrong.json(),
        "an unknown e-mail looks exactly like a wrong password"
    );

    let again = app
        .post(
            "/api/auth/login",
            &[("email", "ANNA@example.ru"), ("password", "long-enough")],
            None,
        )
        .await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    assert!(again.session_cookie().is_some());
}

/// A form the browser sends itself, before the page's script has loaded (a slow phone).
fn plain_form_post(path: &str, form: &str, from_page: &str) -> Request<Body> {
    Request::post(path)
        .header(header::HOST, "localhost")
        .header(header::ORIGIN, "http://localhost")
        .header(header::REFERER, format!("http://localhost{from_page}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html,application/xhtml+xml,*/*;q=0.8")
        .body(Body::from(form.to_string()))
        .expect("request")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_form_sent_before_the_script_loaded_returns_to_its_page_with_the_error_shown() {
    let app = TestApp::new().await;
    app.register("anna@example.ru").await;

    let wrong = app
        .send(plain_form_post(
            "/api/auth/login",
            "email=anna%40example.ru&password=wrong-password",
            "/login",
        ))
        .await;
    assert_eq!(wrong.status, StatusCode::FOUND, "{}", wrong.body);
    assert!(wrong.session_cookie().is_none());
    let location = wrong
        .header(header::LOCATION)
        .expect("a redirect back to the form");
    let back = location
        .strip_prefix("http://localhost")
        .expect("the same site");
    assert!(back.starts_with("/login?"), "{back}");
    let page = app.get(back, None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("Неверная почта или пароль"),
        "the page says what went wrong: {}",
        page.body
    );

    let right = app
        .send(plain_form_post(
            "/api/auth/login",
            "email=anna%40example.ru&password=long-enough",
            back,
        ))
        .await;
    assert_eq!(right.status, StatusCode::FOUND, "{}", right.body);
    let cookie = right.session_cookie().expect("signed in");
    let location = right
        .header(header::LOCATION)
        .expect("a redirect back to the form");
    assert!(location.starts_with("http://localhost/login"), "{location}");
    assert!(
        !location.contains("__err"),
        "the old error is gone: {location}"
    );
    let page = app.get("/problems", Some(&cookie)).await;
    assert!(page.body.contains("data-test=\"logout\""));
}

#[tokio::test(flavor = "multi_thread")]
async fn an_account_exists_only_once_its_mailed_link_is_confirmed_and_a_link_works_once() {
    let app = TestApp::new().await;
    let sent = app.request_registration("boris@example.ru").await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    assert!(
        sent.session_cookie().is_none(),
        "not signed in before confirming"
    );
    assert_eq!(app.count("users").await, 0, "no account before the link");
    let too_early = app
        .post(
            "/api/auth/login",
            &[("email", "boris@example.ru"), ("password", "long-enough")],
            None,
        )
        .await;
    assert_eq!(too_early.status, StatusCode::UNAUTHORIZED);

    // Asking again replaces the first link: only the newest one opens the account.
    let mut conn = app.db.conn().await;
    let first_token = common::mailed_confirmation_token(&mut conn, "boris@example.ru").await;
    app.request_registration("boris@example.ru").await;
    let stale = app
        .post(
            "/api/auth/confirm",
            &[("token", first_token.as_str())],
            None,
        )
        .await;
    assert_eq!(
        stale.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        stale.body
    );
    assert_eq!(stale.json()["errors"][0]["code"]["code"], "invalid_link");

    let confirmed = app.confirm_mailed("boris@example.ru").await;
    assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.body);
    assert_eq!(confirmed.json()["display_name"], "Анна");
    assert!(confirmed.session_cookie().is_some());
    let again = app.confirm_mailed("boris@example.ru").await;
    assert_eq!(
        again.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a link works once"
    );
    assert_eq!(app.count("users").await, 1);

    // An expired link opens nothing, and a malformed one is refused the same way.
    app.request_registration("vera@example.ru").await;
    app.execute("UPDATE registration_requests SET expires_at = created_at")
        .await;
    let expired = app.confirm_mailed("vera@example.ru").await;
    assert_eq!(expired.json()["errors"][0]["code"]["code"], "invalid_link");
    let malformed = app
        .post("/api/auth/confirm", &[("token", "../../etc")], None)
        .await;
    assert_eq!(
        malformed.json()["errors"][0]["code"]["code"],
        "invalid_link"
    );
    assert_eq!(app.count("users").await, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn management_functions_check_roles_on_the_server() {
    let app = TestApp::new().await;
    let guest = app.get("/api/admin/users?search=&page=0", None).await;
    assert_eq!(guest.status, StatusCode::UNAUTHORIZED);

    let citizen = app
        .register("citizen@example.ru")
        .await
        .session_cookie()
        .expect("cookie");
    let forbidden = app
        .get("/api/admin/users?search=&page=0", Some(&citizen))
        .await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
    let forbidden = app
        .post(
            "/api/admin/roles/grant",
            &[("user_id", "1"), ("role", "admin"), ("department_id", "")],
            Some(&citizen),
        )
        .await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
    assert_eq!(app.count("audit_log").await, 0);

    // Seeded admin grants a role; the grant is audited. The demo's own history (its staff
    // steps) is in the log already.
    let admin = app.seeded_admin().await;
    let audited_before = app.count("audit_log").await;
    let users = app
        .get(
            "/api/admin/users?search=citizen%40example&page=0",
            Some(&admin),
        )
        .await;
    assert_eq!(users.status, StatusCode::OK, "{}", users.body);
    let user_id = users.json()["users"][0]["id"].to_string();
    let granted = app
        .post(
            "/api/admin/roles/grant",
            &[
                ("user_id", &user_id),
                ("role", "moderator"),
                ("department_id", ""),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(granted.status, StatusCode::OK, "{}", granted.body);
    let me = app.get("/api/auth/me", Some(&citizen)).await.json();
    let roles: Vec<&str> = me["roles"]
        .as_array()
        .expect("roles")
        .iter()
        .filter_map(|r| r["role"].as_str())
        .collect();
    assert_eq!(roles, ["citizen", "moderator"]);
    assert_eq!(app.count("audit_log").await, audited_before + 1);

    let official_without_department = app
        .post(
            "/api/admin/roles/grant",
            &[
                ("user_id", &user_id),
                ("role", "official"),
                ("department_id", ""),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(
        official_without_department.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
}

async fn choose_supervisor(
    app: &TestApp,
    id: &str,
    supervisor: &str,
    cookie: Option<&str>,
) -> common::Reply {
    app.post(
        "/api/admin/departments/supervisor",
        &[("id", id), ("supervisor_id", supervisor)],
        cookie,
    )
    .await
}

/// The department with `slug` in the public list.
async fn listed_department(app: &TestApp, slug: &str) -> Value {
    let departments = app.get("/api/departments", None).await.json();
    departments
        .as_array()
        .expect("a list")
        .iter()
        .find(|d| d["slug"] == slug)
        .cloned()
        .unwrap_or_else(|| panic!("{slug} is in the reference data"))
}

#[tokio::test(flavor = "multi_thread")]
async fn only_admins_choose_supervisors_and_no_department_ends_up_above_itself() {
    let app = TestApp::new().await;
    let control = listed_department(&app, "governor-control").await["id"].to_string();
    let krasnodar = listed_department(&app, "admin-krasnodar").await;
    assert_eq!(
        krasnodar["supervisor_id"].to_string(),
        control,
        "the list shows each department's supervisor"
    );
    let krasnodar = krasnodar["id"].to_string();

    let guest = choose_supervisor(&app, &krasnodar, "", None).await;
    assert_eq!(guest.status, StatusCode::UNAUTHORIZED);
    let citizen = app
        .register("citizen@example.ru")
        .await
        .session_cookie()
        .expect("cookie");
    let forbidden = choose_supervisor(&app, &krasnodar, "", Some(&citizen)).await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);

    let admin = app.seeded_admin().await;
    let audited_before = app.count("audit_log").await;
    for (id, supervisor, code) in [
        (&krasnodar, &krasnodar, "supervises_itself"),
        // Krasnodar's administration is under control's supervision.
        (&control, &krasnodar, "supervision_cycle"),
        (&krasnodar, &"999999".to_string(), "unknown_department"),
        (&krasnodar, &"x".to_string(), "unknown_department"),
    ] {
        let reply = choose_supervisor(&app, id, supervisor, Some(&admin)).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            reply.body
        );
        let error = &reply.json()["errors"][0];
        assert_eq!(
            (error["field"].as_str(), error["code"]["code"].as_str()),
            (Some("supervisor_id"), Some(code))
        );
    }
    assert_eq!(
        app.count("audit_log").await,
        audited_before,
        "nothing refused is logged"
    );

    let cleared = choose_supervisor(&app, &krasnodar, "", Some(&admin)).await;
    assert_eq!(cleared.status, StatusCode::OK, "{}", cleared.body);
    assert_eq!(
        listed_department(&app, "admin-krasnodar").await["supervisor_id"],
        Value::Null
    );
    assert_eq!(
        app.count(&format!(
            "audit_log WHERE action = 'department.set_supervisor' AND target_id = {krasnodar} \
             AND JSON_VALUE(details, '$.previous_supervisor_id') = {control} \
             AND JSON_TYPE(JSON_EXTRACT(details, '$.supervisor_id')) = 'NULL'"
        ))
        .await,
        1,
        "the change is audited with the supervisor before and after"
    );

    // The admin page shows each department's supervisor in its row.
    let page = app.get("/manage/departments", Some(&admin)).await;
    assert_eq!(page.status, StatusCode::OK);
    let row = |slug: &str| {
        let start = page
            .body
            .find(&format!("data-test=\"department-{slug}\""))
            .unwrap_or_else(|| panic!("a row for {slug}"));
        let end = start + page.body[start..].find("</tr>").expect("the row ends");
        page.body[start..end].to_string()
    };
    let control_name = "Управление контроля администрации губернатора Краснодарского края";
    assert!(row("admin-sochi").contains(control_name));
    assert!(!row("admin-krasnodar").contains(control_name));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_last_admin_cannot_be_revoked() {
    let app = TestApp::new().await;
    let admin = app.seeded_admin().await;
    let me = app.get("/api/auth/me", Some(&admin)).await.json();
    let id = me["id"].to_string();
    let reply = app
        .post(
            "/api/admin/roles/revoke",
            &[("user_id", &id), ("role", "admin"), ("department_id", "")],
            Some(&admin),
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    assert_eq!(reply.json()["errors"][0]["code"]["code"], "last_admin");
}

#[tokio::test(flavor = "multi_thread")]
async fn mail_settings_are_each_users_own_and_unticked_boxes_turn_mail_off() {
    let app = TestApp::new().await;
    let cookie = common::citizen(&app, "mila@example.ru").await;
    let defaults = app.get("/api/account/mail", Some(&cookie)).await;
    assert_eq!(
        defaults.json(),
        serde_json::json!({"work": true, "followed": false})
    );
    let saved = app
        .post(
            "/api/account/mail/save",
            &[("followed", "on")],
            Some(&cookie),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let now = app.get("/api/account/mail", Some(&cookie)).await;
    assert_eq!(
        now.json(),
        serde_json::json!({"work": false, "followed": true})
    );
    let other = common::citizen(&app, "oleg@example.ru").await;
    let theirs = app.get("/api/account/mail", Some(&other)).await;
    assert_eq!(
        theirs.json()["followed"],
        false,
        "another account is untouched"
    );
    let guest = app.get("/api/account/mail", None).await;
    assert_eq!(guest.status, StatusCode::UNAUTHORIZED);
}
