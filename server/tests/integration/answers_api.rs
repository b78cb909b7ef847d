//! The answers API (issue 17): an admin issues a department's system a token; with it the
//! system reads its department's queue and answers its problems and construction reports
//! as the department's officials would, under its own name; another department's work,
//! a step the status does not allow, a moderator's step, a missing or revoked token are
//! refused with the app's errors, translated.

use crate::common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{Reply, TestApp, citizen, report_problem};
use serde_json::{Value, json};

/// A department's system as the API sees it: the token it presents (if any) and the
/// language it asks for.
struct System<'a> {
    app: &'a TestApp,
    token: Option<String>,
    language: &'static str,
}

impl<'a> System<'a> {
    /// A system presenting `token`, asking in Russian.
    fn with(app: &'a TestApp, token: &str) -> Self {
        Self {
            app,
            token: Some(token.to_string()),
            language: "ru",
        }
    }

    /// The same system asking in English.
    fn in_english(&self) -> Self {
        Self {
            app: self.app,
            token: self.token.clone(),
            language: "en",
        }
    }

    async fn get(&self, path: &str) -> Reply {
        self.send("GET", path, Body::empty()).await
    }

    async fn post(&self, path: &str, body: Value) -> Reply {
        self.send("POST", path, Body::from(body.to_string())).await
    }

    async fn send(&self, method: &str, path: &str, body: Body) -> Reply {
        let mut request = Request::builder()
            .method(method)
            .uri(path)
            .header(header::ACCEPT_LANGUAGE, self.language)
            .header(header::CONTENT_TYPE, "application/json");
        if let Some(token) = &self.token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        self.app.send(request.body(body).expect("a request")).await
    }
}

/// Issues a token to department `department` as the admin and returns it.
async fn issue(app: &TestApp, admin: &str, department: &str, name: &str) -> String {
    let issued = app
        .post(
            "/api/admin/departments/tokens/issue",
            &[("id", department), ("name", name)],
            Some(admin),
        )
        .await;
    assert_eq!(issued.status, StatusCode::OK, "{}", issued.body);
    issued.json().as_str().expect("the token").to_string()
}

/// The department the demo routing gives the first theme's problems in Krasnodar.
async fn responsible_department(app: &TestApp) -> String {
    let theme = app.get("/api/themes", None).await.json()[0]["id"].to_string();
    app.scalar(&format!(
        "SELECT CAST(r.department_id AS SIGNED) AS n FROM routing_rules r \
         JOIN municipalities m ON m.id = r.municipality_id \
         WHERE r.theme_id = {theme} AND m.slug = 'krasnodar'"
    ))
    .await
    .to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_department_system_answers_its_own_problems_and_is_refused_elsewhere() {
    let app = TestApp::configured(|config| config.rate_limits = false).await;
    let admin = app.seeded_admin().await;
    app.execute("UPDATE themes SET premoderation = FALSE").await;
    let department = responsible_department(&app).await;
    let other_department = app
        .scalar(&format!(
            "SELECT CAST(MIN(id) AS SIGNED) AS n FROM departments WHERE id <> {department}"
        ))
        .await
        .to_string();
    let token = issue(&app, &admin, &department, "СЭД «Дело»").await;
    let other_token = issue(&app, &admin, &other_department, "СЭД соседей").await;
    let system = System::with(&app, &token);
    let neighbour = System::with(&app, &other_token);
    assert_eq!(token.len(), 64, "256 random bits in hex");
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) AS n FROM department_tokens WHERE token_hash = '{token}'"
        ))
        .await,
        0,
        "only the token's hash is stored"
    );

    let author = citizen(&app, "author@example.org").await;
    let reported = report_problem(&app, &author, "").await;
    assert_eq!(reported.status, StatusCode::OK, "{}", reported.body);
    let problem = reported.json().to_string();

    // The queue holds the new problem; it is the department's own.
    let queue = system.get("/api/v1/department/queue").await;
    assert_eq!(queue.status, StatusCode::OK, "{}", queue.body);
    let queue = queue.json();
    assert_eq!(queue["department_id"].to_string(), department);
    let listed: Vec<String> = queue["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .map(|row| row["id"].to_string())
        .collect();
    assert!(listed.contains(&problem), "{listed:?} lacks {problem}");
    let elsewhere = neighbour.get("/api/v1/department/queue").await.json();
    assert!(
        !elsewhere["problems"]
            .as_array()
            .expect("problems")
            .iter()
            .any(|row| row["id"] == reported.json()),
        "another department's queue shows the problem"
    );

    let step = |action: &'static str| format!("/api/v1/department/problems/{problem}/{action}");

    // Another department's system: 403, said in the app's words.
    let refused = neighbour.post(&step("acknowledge"), json!({})).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    assert_eq!(refused.json()["message"], "Недостаточно прав");

    // No token, a wrong one: 401 with the bearer challenge.
    let strangers = [
        System {
            app: &app,
            token: None,
            language: "en",
        },
        System::with(&app, &"0".repeat(64)),
    ];
    for stranger in strangers {
        let refused = stranger.post(&step("acknowledge"), json!({})).await;
        assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "{}", refused.body);
        assert!(
            refused.headers[header::WWW_AUTHENTICATE]
                .to_str()
                .expect("ascii")
                .starts_with("Bearer")
        );
    }

    // A moderator's step is not the system's, whatever the problem's state.
    let refused = system.post(&step("publish"), json!({})).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);

    // An answer without text: the field is named and explained.
    let refused = system
        .in_english()
        .post(&step("answer"), json!({"text": ""}))
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    let errors = refused.json()["errors"].clone();
    assert_eq!(errors[0]["field"], "text", "{errors}");
    assert!(
        errors[0]["message"]
            .as_str()
            .is_some_and(|text| !text.is_empty()),
        "{errors}"
    );

    let answer = "Бригада заменит скамейку до конца недели.";
    let answered = system.post(&step("answer"), json!({"text": answer})).await;
    assert_eq!(answered.status, StatusCode::OK, "{}", answered.body);
    assert_eq!(answered.json()["status"], "answered");

    // A step the new status does not allow: 409, naming the status as the app does.
    let refused = system.post(&step("acknowledge"), json!({})).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    assert_eq!(
        refused.json()["message"],
        "Этот шаг сейчас невозможен: статус проблемы — «Дан ответ»"
    );

    // The answer is in the problem's public timeline, taken by the system's account.
    let page = app
        .get(&format!("/api/problem?id={problem}"), None)
        .await
        .json();
    let entry = page[0]["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .find(|entry| entry["kind"] == "answered")
        .cloned()
        .expect("the answer in the timeline");
    assert_eq!(entry["body"], answer);
    let actor = entry["actor_name"].as_str().expect("a name");
    assert!(actor.starts_with("СЭД «Дело» · "), "{actor}");

    // The audit log names the same account.
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) AS n FROM audit_log a JOIN users u ON u.id = a.actor_user_id \
             WHERE a.target_id = {problem} AND u.display_name = '{actor}'"
        ))
        .await,
        1
    );

    // The integration account has an address that cannot receive mail and a password
    // field no password matches: not even its own stored text signs in.
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) AS n FROM users WHERE display_name = '{actor}' \
             AND email LIKE 'integration-%@integrations.invalid' AND password_hash = '!'"
        ))
        .await,
        1
    );
    app.execute(&format!(
        "UPDATE users SET email = 'probe@integrations.invalid' WHERE display_name = '{actor}'"
    ))
    .await;
    for password in ["!", "", "openregion-demo"] {
        let login = app
            .post(
                "/api/auth/login",
                &[
                    ("email", "probe@integrations.invalid"),
                    ("password", password),
                ],
                None,
            )
            .await;
        assert_ne!(login.status, StatusCode::OK, "signed in with {password:?}");
        assert!(login.session_cookie().is_none());
    }

    // Revoked: the next request is refused.
    let token_id = app
        .scalar(&format!(
            "SELECT CAST(id AS SIGNED) AS n FROM department_tokens \
             WHERE department_id = {department}"
        ))
        .await
        .to_string();
    let revoked = app
        .post(
            "/api/admin/departments/tokens/revoke",
            &[("id", department.as_str()), ("token", token_id.as_str())],
            Some(&admin),
        )
        .await;
    assert_eq!(revoked.status, StatusCode::OK, "{}", revoked.body);
    let refused = system.get("/api/v1/department/queue").await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    let listed = app
        .get(
            &format!("/api/admin/departments/tokens?id={department}"),
            Some(&admin),
        )
        .await
        .json();
    assert!(listed[0]["revoked_at"].is_string(), "{listed}");
    assert!(listed[0]["last_used_at"].is_string(), "{listed}");
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) AS n FROM audit_log \
             WHERE action IN ('department.token_issue', 'department.token_revoke')"
        )
        .await,
        3
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_department_system_verifies_its_construction_reports() {
    let app = TestApp::configured(|config| config.rate_limits = false).await;
    let admin = app.seeded_admin().await;
    // Every department's system takes new reports, so the one it is routed to does.
    app.execute("DELETE FROM department_webhooks").await;
    app.execute(
        "INSERT INTO department_webhooks (department_id, url, secret, event_kinds, is_active, updated_at) \
         SELECT id, 'http://127.0.0.1:9/hook', 'a-secret-of-sixteen-plus', \
         'construction_report.assigned', TRUE, NOW() FROM departments",
    )
    .await;
    app.execute("DELETE FROM outbox_events").await;
    let author = citizen(&app, "neighbour@example.org").await;
    let submitted = app
        .post(
            "/api/constructions/reports/new",
            &[
                ("input[kind]", "not_in_registry"),
                ("input[lat]", "45.0412"),
                ("input[lon]", "38.9801"),
                ("input[address]", "г. Краснодар, ул. Северная, 300"),
                (
                    "input[description]",
                    "Строят дом без разрешения, забор на тротуаре.",
                ),
            ],
            Some(&author),
        )
        .await;
    assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.body);
    let report = submitted.json().to_string();
    let department = app
        .scalar(&format!(
            "SELECT CAST(department_id AS SIGNED) AS n FROM construction_reports WHERE id = {report}"
        ))
        .await
        .to_string();
    // The report's department learns of it by webhook, written with the report.
    assert_eq!(
        app.count(&format!(
            "outbox_events WHERE channel = 'webhook' AND kind = 'construction_report.assigned' \
             AND ordering_key = 'webhook:{department}:construction_report:{report}' \
             AND payload LIKE '%\"report_id\":{report},%' AND payload NOT LIKE '%author%'"
        ))
        .await,
        1
    );
    let token = issue(&app, &admin, &department, "ИС надзора").await;
    let system = System::with(&app, &token);

    let queue = system.get("/api/v1/department/queue").await.json();
    assert!(
        queue["construction_reports"]
            .as_array()
            .expect("reports")
            .iter()
            .any(|row| row["id"] == submitted.json()),
        "{queue}"
    );
    let step = |action: &str| format!("/api/v1/department/construction-reports/{report}/{action}");
    let started = system.post(&step("start_verification"), json!({})).await;
    assert_eq!(started.status, StatusCode::OK, "{}", started.body);
    assert_eq!(started.json()["status"], "under_verification");

    // A verdict needs its inspection date.
    let refused = system
        .post(
            &step("confirm_violation"),
            json!({"text": "Нарушение подтверждено: строительство без разрешения."}),
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert_eq!(refused.json()["errors"][0]["field"], "verified_on");

    let today = chrono::Utc::now().date_naive().to_string();
    let confirmed = system
        .post(
            &step("confirm_violation"),
            json!({
                "verified_on": today,
                "text": "Нарушение подтверждено: строительство без разрешения.",
            }),
        )
        .await;
    assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.body);
    assert_eq!(confirmed.json()["status"], "violation_confirmed");
    let recorded_as = app
        .scalar(&format!(
            "SELECT COUNT(*) AS n FROM construction_report_events e JOIN users u ON u.id = e.actor_id \
             WHERE e.report_id = {report} AND u.display_name LIKE 'ИС надзора · %'"
        ))
        .await;
    assert_eq!(recorded_as, 2, "both steps carry the system's name");

    // A field the API does not know is refused, not ignored.
    let refused = system
        .post(
            &step("take_measures"),
            json!({"text": "Выдано предписание.", "photos": "x"}),
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);
}
