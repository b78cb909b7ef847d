//! The authorisation matrix of issue 19: every server function and every HTTP route,
//! called as each kind of user, against a real MariaDB.
//!
//! The endpoints are read from the application itself (the server functions' registry
//! and `server::http_routes`), so an endpoint added without a row here fails the test.
//! Each row names who may act: a call is refused when it answers 401, 403 or 404 (a
//! hidden object is "not found" to those who may not see it); anything else, a success
//! or a refusal of the input, passed the authorisation check. Calls that change an
//! object get a fresh object per caller, so no caller's success decides another's fate.

use crate::common;

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::{Reply, TestApp, passport, png, registry_workbook, sign_in, urlencode};
use serde_json::{Value, json};

/// The kinds of caller, each a letter in the matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Persona {
    /// Not signed in.
    Guest,
    /// A signed-in resident with no part in the objects called.
    Citizen,
    /// The citizen who reported the problem, the construction report, the request.
    Author,
    /// An official of the department responsible for the problem or the report (and
    /// a construction-supervision official, so a registry editor for the region).
    Responsible,
    /// An official of another department.
    OtherOfficial,
    Expert,
    Moderator,
    Admin,
    /// The Governor's office: reads the dashboard, changes nothing.
    Analyst,
}

const PERSONAS: [Persona; 9] = [
    Persona::Guest,
    Persona::Citizen,
    Persona::Author,
    Persona::Responsible,
    Persona::OtherOfficial,
    Persona::Expert,
    Persona::Moderator,
    Persona::Admin,
    Persona::Analyst,
];

/// The letters of the personas, in `PERSONAS` order.
const LETTERS: &str = "GCAROEMDN";

/// Every endpoint and case with who passes its authorisation: the persona's letter where
/// it may act, `.` where it is refused. `GCAROEMDN`: guest, citizen, author, responsible
/// official, other official, expert, moderator, admin, analyst.
const MATRIX: &[(&str, &str, &str)] = &[
    // Management.
    ("GET /api/admin/summary", "", "...RO.MDN"),
    ("GET /api/admin/users", "", ".......D."),
    ("GET /api/admin/audit", "", "......MD."),
    ("POST /api/admin/roles/grant", "", ".......D."),
    ("POST /api/admin/roles/revoke", "", ".......D."),
    ("GET /api/municipalities", "", "GCAROEMDN"),
    ("GET /api/municipalities/locate", "", "GCAROEMDN"),
    ("POST /api/admin/boundaries", "", ".......D."),
    ("GET /api/admin/populations", "", ".......D."),
    ("POST /api/admin/populations/save", "", ".......D."),
    ("GET /api/departments", "", "GCAROEMDN"),
    ("GET /api/themes", "", "GCAROEMDN"),
    ("GET /api/names", "", "GCAROEMDN"),
    ("GET /api/routing-rules", "", "GCAROEMDN"),
    ("POST /api/admin/departments/save", "", ".......D."),
    ("POST /api/admin/departments/active", "", ".......D."),
    ("POST /api/admin/departments/supervisor", "", ".......D."),
    ("GET /api/admin/departments/webhook", "", ".......D."),
    ("POST /api/admin/departments/webhook/save", "", ".......D."),
    (
        "GET /api/admin/departments/webhook/deliveries",
        "",
        ".......D.",
    ),
    ("POST /api/admin/departments/webhook/retry", "", ".......D."),
    ("GET /api/admin/departments/tokens", "", ".......D."),
    ("POST /api/admin/departments/tokens/issue", "", ".......D."),
    ("POST /api/admin/departments/tokens/revoke", "", ".......D."),
    // The answers API takes a department token, never a session.
    ("GET /api/v1/department/queue", "", "........."),
    (
        "POST /api/v1/department/problems/{id}/{action}",
        "",
        ".........",
    ),
    (
        "POST /api/v1/department/construction-reports/{id}/{action}",
        "",
        ".........",
    ),
    ("POST /api/admin/themes/save", "", ".......D."),
    ("POST /api/admin/routing/set", "", ".......D."),
    ("POST /api/admin/routing/delete", "", ".......D."),
    // Accounts.
    ("GET /api/auth/me", "", "GCAROEMDN"),
    ("POST /api/auth/register", "", "GCAROEMDN"),
    ("POST /api/auth/confirm", "", "GCAROEMDN"),
    ("POST /api/auth/login", "", "GCAROEMDN"),
    ("POST /api/auth/locale", "", "GCAROEMDN"),
    ("GET /api/account/api-key", "", ".CAROEMDN"),
    ("POST /api/account/api-key/issue", "", ".CAROEMDN"),
    ("POST /api/account/api-key/revoke", "", ".CAROEMDN"),
    ("GET /api/account/mail", "", ".CAROEMDN"),
    ("POST /api/account/mail/save", "", ".CAROEMDN"),
    ("GET /api/notifications/unread", "", "GCAROEMDN"),
    ("GET /api/notifications", "", ".CAROEMDN"),
    ("POST /api/notifications/read", "", ".CAROEMDN"),
    // Citizens' control.
    ("GET /api/problems", "", "GCAROEMDN"),
    ("GET /api/problems/map", "", "GCAROEMDN"),
    ("GET /api/problems/similar", "", "GCAROEMDN"),
    ("GET /api/problem", "in moderation", "..A...M.."),
    ("GET /api/problem", "published", "GCAROEMDN"),
    ("POST /api/problems/report", "", ".CAROEMDN"),
    ("POST /api/problems/step", "publish", "......M.."),
    ("POST /api/problems/step", "answer", "...R....."),
    ("POST /api/problems/step", "confirm", "..A......"),
    ("POST /api/problems/support", "", ".CAROEMDN"),
    ("POST /api/problems/subscribe", "in moderation", "..A...M.."),
    ("POST /api/problems/comment", "", ".CAROEMDN"),
    ("GET /api/problems/mine", "", ".CAROEMDN"),
    ("GET /api/manage/moderation", "", "......M.."),
    ("GET /api/manage/workspace", "", "...R..MD."),
    ("GET /api/departments/stats", "", "GCAROEMDN"),
    ("POST /api/comments/report", "", ".CAROEMDN"),
    ("POST /api/comments/hide", "", "......MD."),
    ("GET /api/comments/reported", "", "......MD."),
    // Reports of publications, profiles and messages: anyone signed in reports, the
    // moderators read the queue and decide.
    ("POST /api/moderation/report", "", ".CAROEMDN"),
    ("GET /api/moderation/queue", "", "......MD."),
    ("POST /api/moderation/decide", "", "......MD."),
    // Service ratings: the answer is the rated department's (the responsible official's).
    ("GET /api/services", "", "GCAROEMDN"),
    ("GET /api/services/detail", "", "GCAROEMDN"),
    ("POST /api/services/rate", "", ".CAROEMDN"),
    ("POST /api/services/answer", "", "...R....."),
    ("POST /api/manage/services/save", "", "......MD."),
    ("POST /api/manage/services/offering", "", "......MD."),
    ("POST /api/manage/services/offering/active", "", "......MD."),
    ("POST /api/v1/services/import", "", "......MD."),
    ("GET /api/ranks", "", "GCAROEMDN"),
    ("GET /api/ranks/priority", "", "GCAROEMDN"),
    ("POST /api/ranks/vote", "", ".CAROEMDN"),
    ("POST /api/ranks/withdraw", "", ".CAROEMDN"),
    ("POST /api/ranks/propose", "", ".CAROEMDN"),
    ("POST /api/ranks/home", "", ".CAROEMDN"),
    ("POST /api/ranks/comment", "", ".CAROEMDN"),
    // Moderators and admins keep every priority; an official keeps their municipality's
    // (the other official works for Krasnodar's administration, the responsible one for a
    // regional body, which keeps none).
    ("GET /api/manage/priorities", "", "....O.MD."),
    ("POST /api/manage/priorities/save", "", "....O.MD."),
    ("POST /api/manage/priorities/decide", "", "....O.MD."),
    // City solutions: everyone reads; the signed-in propose, support and discuss;
    // moderators and admins publish a challenge for any department, an official for their
    // own only (the call names the responsible department: the other official's is
    // refused on that field, a refusal of the input); the challenge's department (the
    // responsible one here), moderators and admins answer its solutions.
    ("GET /api/solutions/challenges", "", "GCAROEMDN"),
    ("GET /api/solutions/challenge", "", "GCAROEMDN"),
    ("GET /api/solutions/solution", "", "GCAROEMDN"),
    ("POST /api/solutions/challenges/publish", "", "...RO.MD."),
    ("POST /api/solutions/propose", "", ".CAROEMDN"),
    ("POST /api/solutions/support", "", ".CAROEMDN"),
    ("POST /api/solutions/challenges/follow", "", ".CAROEMDN"),
    ("POST /api/solutions/comment", "", ".CAROEMDN"),
    ("POST /api/solutions/answer", "", "...R..MD."),
    // Links between features: everyone reads a subject's links; the challenge's owners
    // (as for answers) turn an accepted solution into an initiative and link the
    // challenge to a published problem; anyone signed in opens the challenge of a
    // published problem to propose how to fix it.
    ("GET /api/links/of", "", "GCAROEMDN"),
    ("POST /api/links/solution-initiative", "", "...R..MD."),
    ("POST /api/links/challenge", "", "...R..MD."),
    ("POST /api/links/problem-challenge", "", ".CAROEMDN"),
    // Profiles: everyone reads a public profile; the signed-in edit their own and
    // follow others (a demo resident, none of the callers).
    ("GET /api/people/get", "", "GCAROEMDN"),
    ("GET /api/people/mine", "", ".CAROEMDN"),
    ("POST /api/people/save", "", ".CAROEMDN"),
    ("POST /api/people/follow", "", ".CAROEMDN"),
    ("POST /api/people/block", "", ".CAROEMDN"),
    // The activity feed and the municipalities it follows: each signed-in person's own.
    ("GET /api/people/activity", "", ".CAROEMDN"),
    ("POST /api/people/follow-municipality", "", ".CAROEMDN"),
    // Galleries (the author's albums): everyone sees a public album and one brought with
    // its share link; an album for followers only its owner and the moderators (none of
    // the callers follows the author); the signed-in make albums, the owner alone changes
    // one.
    ("GET /api/galleries/of-person", "", "GCAROEMDN"),
    ("GET /api/galleries/get", "public", "GCAROEMDN"),
    ("GET /api/galleries/get", "for followers", "..A...MD."),
    (
        "GET /api/galleries/get",
        "for followers, by its share link",
        "GCAROEMDN",
    ),
    ("POST /api/galleries/create", "", ".CAROEMDN"),
    ("POST /api/galleries/save", "", "..A......"),
    ("POST /api/galleries/add-photos", "", "..A......"),
    ("POST /api/galleries/caption", "", "..A......"),
    ("POST /api/galleries/remove-photo", "", "..A......"),
    ("POST /api/galleries/renew-link", "", "..A......"),
    ("POST /api/galleries/delete", "", "..A......"),
    // Notification settings: each signed-in person's own.
    ("GET /api/notifications/settings", "", ".CAROEMDN"),
    ("POST /api/notifications/settings/save", "", ".CAROEMDN"),
    // Publications: everyone reads the feeds and a publication; the signed-in publish,
    // like and comment (news for a department is a refusal of the input for others).
    ("GET /api/publications/feed", "", "GCAROEMDN"),
    ("GET /api/publications/of-person", "", "GCAROEMDN"),
    ("GET /api/publications/get", "", "GCAROEMDN"),
    ("POST /api/publications/publish", "", ".CAROEMDN"),
    ("POST /api/publications/like", "", ".CAROEMDN"),
    ("POST /api/publications/comment", "", ".CAROEMDN"),
    ("GET /api/publications/department", "", "GCAROEMDN"),
    ("POST /api/publications/follow-department", "", ".CAROEMDN"),
    // A person's own data: everyone signed in downloads theirs and may delete their
    // account (called with a wrong password: the check passes, nothing is deleted).
    ("GET /api/v1/account/data", "", ".CAROEMDN"),
    ("POST /api/account/delete", "", ".CAROEMDN"),
    // Messages: every signed-in person has their own conversations; a problem's
    // conversation is opened by an official answering for it, with its author.
    ("GET /api/messages/inbox", "", ".CAROEMDN"),
    ("GET /api/messages/unread", "", "GCAROEMDN"),
    ("GET /api/messages/conversation", "", "..A......"),
    ("POST /api/messages/read", "", "..A......"),
    ("POST /api/messages/send", "", "..A......"),
    ("POST /api/messages/start", "", ".CAROEMDN"),
    ("POST /api/messages/start", "about a problem", "...R....."),
    ("GET /api/messages/of-problem", "", "GCAROEMDN"),
    ("GET /api/v1/messages/events", "", ".CAROEMDN"),
    // Law-making.
    ("GET /api/initiatives", "", "GCAROEMDN"),
    ("GET /api/initiative", "in moderation", "..A...M.."),
    ("GET /api/initiative", "published", "GCAROEMDN"),
    ("POST /api/initiatives/propose", "", ".CAROEMDN"),
    ("POST /api/initiatives/step", "publish", "......M.."),
    ("POST /api/initiatives/step", "start_drafting", "...R..M.."),
    ("POST /api/initiatives/step", "withdraw", "..A......"),
    ("POST /api/initiatives/reassign", "", "......M.."),
    ("POST /api/initiatives/author-editing", "", "......M.."),
    ("GET /api/initiatives/thresholds", "", "GCAROEMDN"),
    ("POST /api/initiatives/thresholds/set", "", ".......D."),
    ("POST /api/initiatives/support", "", ".CAROEMDN"),
    ("POST /api/initiatives/follow", "in moderation", "..A...M.."),
    ("POST /api/initiatives/comment", "", ".CAROEMDN"),
    ("POST /api/initiatives/comments/support", "", ".CAROEMDN"),
    ("GET /api/initiatives/mine", "", ".CAROEMDN"),
    ("GET /api/initiatives/text", "published", "GCAROEMDN"),
    ("GET /api/initiatives/text", "in moderation", "..A...M.."),
    ("GET /api/initiatives/compare", "", "GCAROEMDN"),
    ("POST /api/initiatives/versions/publish", "", "...R....."),
    ("POST /api/v1/initiatives/{id}/docx", "", "...R....."),
    ("POST /api/initiatives/amend", "", ".CAROEMDN"),
    ("POST /api/initiatives/amendments/support", "", ".CAROEMDN"),
    ("POST /api/initiatives/amendments/dispose", "", "...R....."),
    ("GET /api/initiatives/expertise", "", "GCAROEMDN"),
    ("GET /api/initiatives/ledger", "", "GCAROEMDN"),
    ("POST /api/initiatives/experts/assign", "", "......M.."),
    ("POST /api/initiatives/experts/volunteer", "", ".....E..."),
    ("POST /api/initiatives/conclude", "", ".....E..."),
    ("POST /api/initiatives/remarks/dispose", "", "...R....."),
    ("POST /api/initiatives/adopt", "", "...R....."),
    ("GET /api/initiatives/work", "", "...RO.MDN"),
    ("GET /lawmaking/{id}/summary.xlsx", "", "GCAROEMDN"),
    ("GET /lawmaking/{id}/summary.pdf", "", "GCAROEMDN"),
    // Construction control.
    ("GET /api/constructions", "", "GCAROEMDN"),
    ("GET /api/constructions/map", "", "GCAROEMDN"),
    ("GET /api/construction", "", "GCAROEMDN"),
    ("GET /api/constructions/can-edit", "", "GCAROEMDN"),
    ("POST /api/constructions/save", "", "...R...D."),
    ("POST /api/constructions/reports/new", "", ".CAROEMDN"),
    ("GET /api/constructions/report", "", "GCAROEMDN"),
    ("POST /api/constructions/reports/step", "", "...R....."),
    ("GET /api/constructions/reports", "", "GCAROEMDN"),
    ("GET /api/constructions/reports/mine", "", ".CAROEMDN"),
    ("GET /api/constructions/reports/queue", "", "...RO...."),
    ("GET /api/constructions/analytics", "", "GCAROEMDN"),
    ("GET /api/constructions/imports", "", "GCAROEMDN"),
    ("GET /api/constructions/imports/status", "", "...R...D."),
    ("GET /api/constructions/imports/changes", "", "GCAROEMDN"),
    ("POST /api/constructions/imports/check", "", "...R...D."),
    ("POST /api/constructions/imports/commit", "", "...R...D."),
    ("POST /api/v1/constructions/imports", "", "...R...D."),
    ("POST /api/v1/constructions/acts", "", "...R....."),
    ("GET /constructions/export.xlsx", "", "GCAROEMDN"),
    ("GET /constructions/export.pdf", "", "GCAROEMDN"),
    ("GET /constructions/reports/export.xlsx", "", "GCAROEMDN"),
    ("GET /constructions/reports/export.pdf", "", "GCAROEMDN"),
    ("GET /constructions/analytics/export.xlsx", "", "GCAROEMDN"),
    ("GET /constructions/analytics/export.pdf", "", "GCAROEMDN"),
    ("GET /api/constructions/reports/map", "", "GCAROEMDN"),
    ("GET /api/constructions/illegal", "", "GCAROEMDN"),
    ("GET /api/constructions/illegal/map", "", "GCAROEMDN"),
    ("GET /api/constructions/illegal/entry", "", "GCAROEMDN"),
    ("GET /api/constructions/illegal/imported", "", "GCAROEMDN"),
    ("POST /api/constructions/illegal/step", "", "...R...D."),
    ("GET /constructions/illegal/export.xlsx", "", "GCAROEMDN"),
    ("GET /constructions/illegal/export.pdf", "", "GCAROEMDN"),
    // The Governor's dashboard.
    ("GET /api/dashboard", "", "......MDN"),
    ("GET /api/dashboard/ranks", "", "......MDN"),
    ("GET /manage/dashboard/export.xlsx", "", "......MDN"),
    ("GET /manage/dashboard/export.pdf", "", "......MDN"),
    // Photos.
    ("POST /api/v1/photos", "", ".CAROEMDN"),
    // Open data.
    ("GET /api/opendata/catalogue", "", "GCAROEMDN"),
    ("GET /api/opendata/dataset", "", "GCAROEMDN"),
    ("GET /api/opendata/rows", "", "GCAROEMDN"),
    ("GET /api/opendata/clusters", "", "GCAROEMDN"),
    ("GET /api/opendata/requests", "", "GCAROEMDN"),
    ("POST /api/opendata/request", "", ".CAROEMDN"),
    ("POST /api/opendata/manage/answer", "", "......MD."),
    ("GET /api/opendata/manage/overview", "", "......MD."),
    ("POST /api/opendata/manage/publish-live", "", "......MD."),
    ("GET /api/opendata/manage/passport", "", "......MD."),
    ("POST /api/opendata/manage/save-passport", "", "......MD."),
    ("GET /api/opendata/manage/upload", "", "......MD."),
    ("POST /api/opendata/manage/publish-upload", "", "......MD."),
    (
        "POST /api/v1/opendata/{identifier}/uploads",
        "",
        "......MD.",
    ),
    ("GET /opendata/list.csv", "", "GCAROEMDN"),
    ("GET /opendata/list.json", "", "GCAROEMDN"),
    ("GET /opendata/list.xml", "", "GCAROEMDN"),
    ("GET /opendata/{identifier}/{file}", "", "GCAROEMDN"),
    ("GET /catalog.jsonld", "", "GCAROEMDN"),
    ("GET /api/opendata/{identifier}/{file}", "", "GCAROEMDN"),
    ("GET /api/3/action/{name}", "", "GCAROEMDN"),
    ("POST /api/3/action/{name}", "", "GCAROEMDN"),
    ("OPTIONS /api/3/action/{name}", "", "GCAROEMDN"),
    ("GET /api/action/{name}", "", "GCAROEMDN"),
    ("POST /api/action/{name}", "", "GCAROEMDN"),
    ("OPTIONS /api/action/{name}", "", "GCAROEMDN"),
    ("GET /api", "", "GCAROEMDN"),
    ("GET /api/3", "", "GCAROEMDN"),
    ("GET /api/openapi.json", "", "GCAROEMDN"),
    // Open311: the write needs the caller's API key, which only accounts have.
    ("GET /open311/v2/{resource}", "", "GCAROEMDN"),
    ("POST /open311/v2/{resource}", "", ".CAROEMDN"),
    ("GET /open311/v2/services/{code}", "", "GCAROEMDN"),
    ("GET /open311/v2/requests/{id}", "", "GCAROEMDN"),
    // Every service is realtime: no token is ever issued, so every token is unknown.
    (
        "GET /open311/v2/tokens/{token}",
        "no token exists",
        ".........",
    ),
    ("GET /api/config", "", "GCAROEMDN"),
    ("GET /healthz", "", "GCAROEMDN"),
    // Open unless a token is configured (see the observability tests).
    ("GET /metrics", "", "GCAROEMDN"),
    // Last: a new password ends the account's other sessions, those the rows use.
    ("POST /api/auth/logout", "", "GCAROEMDN"),
    ("POST /api/auth/password", "", ".CAROEMDN"),
];

/// What one call sends.
enum Payload {
    /// Named arguments: a query string for `GET`, a form for `POST`.
    Args(Vec<(String, String)>),
    /// A JSON document (server functions with structured input).
    Json(Value),
    /// One file in a multipart form.
    File { field: &'static str, bytes: Vec<u8> },
}

/// One call of an endpoint: its concrete path, what it sends, and, for the calls that
/// end a session, a session of its own.
struct Call {
    path: String,
    body: Payload,
    own_session: Option<String>,
}

impl Call {
    fn new(path: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            body: Payload::Args(Vec::new()),
            own_session: None,
        }
    }

    fn args(path: impl Into<String>, args: &[(&str, &str)]) -> Self {
        Self {
            body: Payload::Args(
                args.iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
            ),
            ..Self::new(path)
        }
    }

    fn json(path: impl Into<String>, document: Value) -> Self {
        Self {
            body: Payload::Json(document),
            ..Self::new(path)
        }
    }

    fn file(path: impl Into<String>, field: &'static str, bytes: Vec<u8>) -> Self {
        Self {
            body: Payload::File { field, bytes },
            ..Self::new(path)
        }
    }
}

/// An album made for a call: its id, its share key and its photo's id.
struct Album {
    id: String,
    key: String,
    photo: String,
}

/// An album's form fields for `audience` (`public` or `followers`).
fn gallery_input(audience: &'static str) -> [(&'static str, &'static str); 3] {
    [
        ("input[title]", "Набережная весной"),
        ("input[description]", "Прогулка вдоль Кубани."),
        ("input[audience]", audience),
    ]
}

/// The seeded portal, a session for each persona and the objects the calls are about.
struct World {
    app: TestApp,
    sessions: Vec<Option<String>>,
    emails: Vec<Option<&'static str>>,
    theme: String,
    other_theme: String,
    krasnodar: String,
    responsible_department: String,
    other_department: String,
    construction: String,
    citizen_id: String,
    expert_id: String,
    live_dataset: String,
    uploaded_dataset: String,
}

const AUTHOR: &str = "author@example.ru";
const RESPONSIBLE: &str = "staff-construction-supervision@openregion.demo";
const OTHER_OFFICIAL: &str = "official@openregion.demo";

impl World {
    async fn new() -> Self {
        let app = TestApp::configured(|config| config.rate_limits = false).await;
        let admin = app.seeded_admin().await;
        // Every report waits for a moderator, so there are hidden problems to ask for.
        app.execute("UPDATE themes SET premoderation = TRUE").await;
        {
            use app::opendata::queries::{Datasets, Publisher};
            let mut conn = app.db.conn().await;
            let now = platform::clock::now();
            Datasets::publish_all_live(&mut conn, &Publisher::demo(), now.date(), now)
                .await
                .expect("publication");
        }
        let municipality = app.first_municipality().await;
        let registered = app
            .post(
                "/api/auth/register",
                &[
                    ("email", AUTHOR),
                    ("password", app::seed::DEMO_PASSWORD),
                    ("display_name", "Автор"),
                    ("home_municipality_id", &municipality),
                ],
                None,
            )
            .await;
        assert_eq!(registered.status, StatusCode::OK, "{}", registered.body);
        let confirmed = app.confirm_mailed(AUTHOR).await;
        assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.body);
        let emails = vec![
            None,
            Some("citizen@openregion.demo"),
            Some(AUTHOR),
            Some(RESPONSIBLE),
            Some(OTHER_OFFICIAL),
            Some("expert@openregion.demo"),
            Some("moderator@openregion.demo"),
            Some("admin@openregion.demo"),
            Some("governor@openregion.demo"),
        ];
        let mut sessions = Vec::new();
        for email in &emails {
            sessions.push(match email {
                Some(email) => Some(sign_in(&app, email).await),
                None => None,
            });
        }
        let scalar = |sql: String| {
            let app = &app;
            async move { app.scalar(&sql).await.to_string() }
        };
        let department_of = |slug: &'static str| {
            scalar(format!(
                "SELECT CAST(id AS SIGNED) AS n FROM departments WHERE slug = '{slug}'"
            ))
        };
        let themes = app.get("/api/themes", None).await.json();
        let theme = themes[0]["id"].to_string();
        let other_theme = themes[1]["id"].to_string();
        let krasnodar = scalar(
            "SELECT CAST(id AS SIGNED) AS n FROM municipalities WHERE slug = 'krasnodar'".into(),
        )
        .await;
        let responsible_department = department_of("construction-supervision").await;
        let other_department = scalar(format!(
            "SELECT CAST(r.department_id AS SIGNED) AS n FROM user_roles r \
             JOIN users u ON u.id = r.user_id \
             WHERE u.email = '{OTHER_OFFICIAL}' AND r.role = 'official'"
        ))
        .await;
        assert_ne!(responsible_department, other_department);
        // Problems of the first theme in Krasnodar go to the responsible department.
        let routed = app
            .post(
                "/api/admin/routing/set",
                &[
                    ("theme_id", &theme),
                    ("municipality_id", &krasnodar),
                    ("department_id", &responsible_department),
                ],
                Some(&admin),
            )
            .await;
        assert_eq!(routed.status, StatusCode::OK, "{}", routed.body);
        let construction =
            scalar("SELECT CAST(MIN(id) AS SIGNED) AS n FROM constructions".into()).await;
        let citizen_id = scalar(
            "SELECT CAST(id AS SIGNED) AS n FROM users WHERE email = 'citizen@openregion.demo'"
                .into(),
        )
        .await;
        let expert_id = scalar(
            "SELECT CAST(id AS SIGNED) AS n FROM users WHERE email = 'expert@openregion.demo'"
                .into(),
        )
        .await;
        // The registry: a live dataset with coordinates, so its map answers too.
        let catalogue = app.get("/api/opendata/catalogue", None).await.json();
        let live_dataset = catalogue["datasets"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|dataset| dataset["info"]["identifier"].as_str())
            .find(|identifier| identifier.ends_with("-construction-registry"))
            .unwrap_or_else(|| panic!("the published registry: {catalogue}"))
            .to_string();
        let moderator = sessions[6].clone();
        let created = app
            .post(
                "/api/opendata/manage/save-passport",
                &passport("matrix"),
                moderator.as_deref(),
            )
            .await;
        assert_eq!(created.status, StatusCode::OK, "{}", created.body);
        let uploaded_dataset = created.json().as_str().expect("an identifier").to_string();
        World {
            app,
            sessions,
            emails,
            theme,
            other_theme,
            krasnodar,
            responsible_department,
            other_department,
            construction,
            citizen_id,
            expert_id,
            live_dataset,
            uploaded_dataset,
        }
    }

    fn session(&self, who: Persona) -> Option<&str> {
        self.sessions[who as usize].as_deref()
    }

    fn as_admin(&self) -> Option<&str> {
        self.session(Persona::Admin)
    }

    /// Sends `call` as `who`; the reply.
    async fn send(&self, method: &Method, call: Call, who: Persona) -> Reply {
        let session = call
            .own_session
            .as_deref()
            .or_else(|| self.session(who))
            .map(str::to_string);
        let mut request = Request::builder()
            .method(method.clone())
            .header(header::HOST, "localhost")
            .header(header::ORIGIN, "http://localhost")
            .header(header::ACCEPT, "application/json");
        if let Some(session) = &session {
            request = request.header(header::COOKIE, session);
        }
        let request = match call.body {
            Payload::Args(args) => {
                let encoded = args
                    .iter()
                    .map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v)))
                    .collect::<Vec<_>>()
                    .join("&");
                if *method == Method::POST {
                    request
                        .uri(call.path)
                        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                        .body(Body::from(encoded))
                } else if encoded.is_empty() {
                    request.uri(call.path).body(Body::empty())
                } else {
                    request
                        .uri(format!("{}?{encoded}", call.path))
                        .body(Body::empty())
                }
            }
            Payload::Json(document) => request
                .uri(call.path)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(document.to_string())),
            Payload::File { field, bytes } => {
                let boundary = "----open-region-matrix";
                let mut body = format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"file\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                )
                .into_bytes();
                body.extend_from_slice(&bytes);
                body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
                request
                    .uri(call.path)
                    .header(
                        header::CONTENT_TYPE,
                        format!("multipart/form-data; boundary={boundary}"),
                    )
                    .body(Body::from(body))
            }
        };
        self.app.send(request.expect("request")).await
    }

    /// A problem reported by the author, waiting for a moderator.
    async fn problem_in_moderation(&self) -> String {
        let reported = self
            .app
            .post(
                "/api/problems/report",
                &problem_input(&self.theme),
                self.session(Persona::Author),
            )
            .await;
        assert_eq!(reported.status, StatusCode::OK, "{}", reported.body);
        reported.json().to_string()
    }

    /// A published problem of the author, routed to the responsible department.
    async fn published_problem(&self) -> String {
        let id = self.problem_in_moderation().await;
        self.problem_step(&id, "publish", "", Persona::Moderator)
            .await;
        id
    }

    /// A published problem the responsible department reports resolved.
    async fn resolved_problem(&self) -> String {
        let id = self.published_problem().await;
        self.problem_step(&id, "resolve", "Скамейку заменили.", Persona::Responsible)
            .await;
        id
    }

    async fn problem_step(&self, id: &str, action: &str, text: &str, who: Persona) {
        let stepped = self
            .app
            .post(
                "/api/problems/step",
                &[("id", id), ("action", action), ("input[text]", text)],
                self.session(who),
            )
            .await;
        assert_eq!(stepped.status, StatusCode::OK, "{action}: {}", stepped.body);
    }

    /// A comment of the author on a published problem.
    async fn comment(&self) -> String {
        let problem = self.published_problem().await;
        let commented = self
            .app
            .post(
                "/api/problems/comment",
                &[
                    ("id", &problem),
                    ("comment", "Поддерживаю, скамейка опасна."),
                ],
                self.session(Persona::Author),
            )
            .await;
        assert_eq!(commented.status, StatusCode::OK, "{}", commented.body);
        self.app
            .scalar(&format!(
                "SELECT CAST(MAX(id) AS SIGNED) AS n FROM comments \
                 WHERE subject_kind = 'problem' AND subject_id = {problem}"
            ))
            .await
            .to_string()
    }

    /// A comment of the author on a published initiative: (the initiative, the comment).
    async fn initiative_comment(&self) -> (String, String) {
        let initiative = self.published_initiative().await;
        let commented = self
            .app
            .post(
                "/api/initiatives/comment",
                &[("id", &initiative), ("comment", "Поддерживаю концепцию.")],
                self.session(Persona::Author),
            )
            .await;
        assert_eq!(commented.status, StatusCode::OK, "{}", commented.body);
        let comment = self
            .app
            .scalar(&format!(
                "SELECT CAST(MAX(id) AS SIGNED) AS n FROM comments \
                 WHERE subject_kind = 'initiative' AND subject_id = {initiative}"
            ))
            .await
            .to_string();
        (initiative, comment)
    }

    /// An initiative of the author in Krasnodar, waiting for a moderator.
    async fn initiative_in_moderation(&self) -> String {
        let proposed = self
            .app
            .post(
                "/api/initiatives/propose",
                &initiative_input(&self.theme, &self.krasnodar),
                self.session(Persona::Author),
            )
            .await;
        assert_eq!(proposed.status, StatusCode::OK, "{}", proposed.body);
        proposed.json().to_string()
    }

    /// A published concept of the author, routed to the responsible department.
    async fn published_initiative(&self) -> String {
        let id = self.initiative_in_moderation().await;
        self.initiative_step(&id, "publish", "").await;
        id
    }

    /// A concept whose discussion a moderator opened.
    async fn initiative_in_discussion(&self) -> String {
        let id = self.published_initiative().await;
        self.initiative_step(&id, "advance", "Важная тема").await;
        id
    }

    /// An initiative in drafting, without a text yet.
    async fn initiative_in_drafting(&self) -> String {
        let id = self.initiative_in_discussion().await;
        self.initiative_step(&id, "start_drafting", "").await;
        id
    }

    /// An initiative in drafting with `versions` versions published by the responsible
    /// official.
    async fn drafted_initiative(&self, versions: u32) -> String {
        let id = self.initiative_in_drafting().await;
        for base in 0..versions {
            let text = format!(
                "1. Скамейки ставятся на остановках.\n2. Срок — {} год.",
                2027 + base
            );
            let published = self
                .app
                .post(
                    "/api/initiatives/versions/publish",
                    &[
                        ("id", id.as_str()),
                        ("input[base]", &base.to_string()),
                        ("input[text]", &text),
                    ],
                    self.session(Persona::Responsible),
                )
                .await;
            assert_eq!(published.status, StatusCode::OK, "{}", published.body);
        }
        id
    }

    /// An open amendment of the author to article 1 of a drafted initiative.
    async fn amendment(&self) -> String {
        let id = self.drafted_initiative(1).await;
        let proposed = self
            .app
            .post(
                "/api/initiatives/amend",
                &[
                    ("id", id.as_str()),
                    ("input[article]", "1"),
                    ("input[text]", "Скамейки с навесом ставятся на остановках."),
                    ("input[justification]", "От дождя и солнца нужен навес."),
                ],
                self.session(Persona::Author),
            )
            .await;
        assert_eq!(proposed.status, StatusCode::OK, "{}", proposed.body);
        proposed.json().to_string()
    }

    /// A drafted initiative under expertise, the demo expert assigned.
    async fn initiative_in_expertise(&self) -> String {
        let id = self.drafted_initiative(1).await;
        let assigned = self
            .app
            .post(
                "/api/initiatives/experts/assign",
                &[("id", id.as_str()), ("expert", self.expert_id.as_str())],
                self.session(Persona::Moderator),
            )
            .await;
        assert_eq!(assigned.status, StatusCode::OK, "{}", assigned.body);
        self.responsible_step(&id, "start_expertise").await;
        id
    }

    /// The demo expert's conclusion on an initiative under expertise, with one remark
    /// on article `article` (none when empty).
    async fn conclude(&self, id: &str, article: &str) {
        let mut args = vec![
            ("id", id),
            ("input[verdict]", "support"),
            ("input[text]", "Проект соответствует законодательству."),
        ];
        if !article.is_empty() {
            args.extend([
                ("input[remarks][0][article]", article),
                ("input[remarks][0][category]", "legal_technique"),
                ("input[remarks][0][text]", "Уточнить срок."),
            ]);
        }
        let concluded = self
            .app
            .post(
                "/api/initiatives/conclude",
                &args,
                self.session(Persona::Expert),
            )
            .await;
        assert_eq!(concluded.status, StatusCode::OK, "{}", concluded.body);
    }

    /// An open expert remark on article 1 of an initiative under expertise.
    async fn remark(&self) -> String {
        let id = self.initiative_in_expertise().await;
        self.conclude(&id, "1").await;
        let expertise = self
            .app
            .get(&format!("/api/initiatives/expertise?id={id}"), None)
            .await
            .json();
        expertise["conclusions"][0]["remarks"][0]["id"].to_string()
    }

    /// An initiative waiting for the government's reaction.
    async fn initiative_in_reaction(&self) -> String {
        let id = self.initiative_in_expertise().await;
        self.conclude(&id, "").await;
        self.responsible_step(&id, "close_expertise").await;
        id
    }

    async fn responsible_step(&self, id: &str, action: &str) {
        let stepped = self
            .app
            .post(
                "/api/initiatives/step",
                &[("id", id), ("action", action)],
                self.session(Persona::Responsible),
            )
            .await;
        assert_eq!(stepped.status, StatusCode::OK, "{action}: {}", stepped.body);
    }

    async fn initiative_step(&self, id: &str, action: &str, text: &str) {
        let stepped = self
            .app
            .post(
                "/api/initiatives/step",
                &[("id", id), ("action", action), ("text", text)],
                self.session(Persona::Moderator),
            )
            .await;
        assert_eq!(stepped.status, StatusCode::OK, "{action}: {}", stepped.body);
    }

    /// A construction report of the author, submitted to the responsible department.
    async fn construction_report(&self) -> String {
        let submitted = self
            .app
            .post(
                "/api/constructions/reports/new",
                &construction_report_input(),
                self.session(Persona::Author),
            )
            .await;
        assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.body);
        let id = submitted.json().to_string();
        let department = self
            .app
            .scalar(&format!(
                "SELECT CAST(department_id AS SIGNED) AS n FROM construction_reports WHERE id = {id}"
            ))
            .await
            .to_string();
        assert_eq!(department, self.responsible_department);
        id
    }

    /// An entry of the registry of illegal constructions: the author's report of an
    /// unregistered construction, confirmed by the responsible official.
    async fn illegal_construction(&self) -> String {
        let report = self.construction_report().await;
        let today = platform::clock::now().date().to_string();
        let steps: [&[(&str, &str)]; 2] = [
            &[("id", &report), ("action", "start_verification")],
            &[
                ("id", &report),
                ("action", "confirm_violation"),
                ("input[verified_on]", &today),
                ("input[text]", "Ведётся строительство без разрешения."),
            ],
        ];
        for step in steps {
            let taken = self
                .app
                .post(
                    "/api/constructions/reports/step",
                    step,
                    self.session(Persona::Responsible),
                )
                .await;
            assert_eq!(taken.status, StatusCode::OK, "{}", taken.body);
        }
        self.app
            .scalar(&format!(
                "SELECT CAST(id AS SIGNED) AS n FROM illegal_constructions WHERE report_id = {report}"
            ))
            .await
            .to_string()
    }

    /// A registry workbook the responsible official uploaded.
    async fn registry_import(&self) -> String {
        let uploaded = self
            .send(
                &Method::POST,
                Call::file(
                    "/api/v1/constructions/imports",
                    "file",
                    registry_workbook(1, "Краснодар"),
                ),
                Persona::Responsible,
            )
            .await;
        assert_eq!(uploaded.status, StatusCode::CREATED, "{}", uploaded.body);
        uploaded.body
    }

    /// A dataset request of the author.
    async fn dataset_request(&self) -> String {
        let asked = self
            .app
            .post(
                "/api/opendata/request",
                &[
                    ("title", "Остановки автобусов"),
                    ("details", "Координаты и маршруты всех остановок края."),
                ],
                self.session(Persona::Author),
            )
            .await;
        assert_eq!(asked.status, StatusCode::OK, "{}", asked.body);
        self.app
            .scalar("SELECT CAST(MAX(id) AS SIGNED) AS n FROM dataset_requests")
            .await
            .to_string()
    }

    /// A CSV a moderator uploaded for the uploaded dataset, checked and waiting.
    async fn dataset_upload(&self) -> String {
        let path = format!("/api/v1/opendata/{}/uploads", self.uploaded_dataset);
        let uploaded = self
            .send(
                &Method::POST,
                Call::file(path, "file", b"name,count\nalpha,1\n".to_vec()),
                Persona::Moderator,
            )
            .await;
        assert!(uploaded.status.is_success(), "{}", uploaded.body);
        self.app
            .scalar("SELECT CAST(MAX(id) AS SIGNED) AS n FROM dataset_uploads")
            .await
            .to_string()
    }

    /// A routing rule of the second theme, for deleting.
    async fn routing_rule(&self) -> String {
        let set = self
            .app
            .post(
                "/api/admin/routing/set",
                &[
                    ("theme_id", &self.other_theme),
                    ("municipality_id", &self.krasnodar),
                    ("department_id", &self.other_department),
                ],
                self.as_admin(),
            )
            .await;
        assert_eq!(set.status, StatusCode::OK, "{}", set.body);
        self.app
            .scalar(&format!(
                "SELECT CAST(id AS SIGNED) AS n FROM routing_rules \
                 WHERE theme_id = {} AND municipality_id = {}",
                self.other_theme, self.krasnodar
            ))
            .await
            .to_string()
    }

    /// An Open311 API key of `who`, issued now; none for a guest.
    async fn api_key(&self, who: Persona) -> String {
        if who == Persona::Guest {
            return String::new();
        }
        let issued = self
            .app
            .post("/api/account/api-key/issue", &[], self.session(who))
            .await;
        assert_eq!(issued.status, StatusCode::OK, "{}", issued.body);
        issued.json().as_str().expect("a key").to_string()
    }

    /// A fresh session of `who`, for the calls that end theirs.
    async fn own_session(&self, who: Persona) -> Option<String> {
        match self.emails[who as usize] {
            Some(email) => Some(sign_in(&self.app, email).await),
            None => None,
        }
    }

    /// The call of row `endpoint`, `case` as `who`.
    async fn call(&self, endpoint: &str, case: &str, who: Persona) -> Call {
        let bbox = [
            ("south", "44.9"),
            ("west", "38.8"),
            ("north", "45.2"),
            ("east", "39.2"),
            ("zoom", "12"),
        ];
        let path = endpoint
            .split_once(' ')
            .map(|(_, path)| path)
            .unwrap_or(endpoint);
        match (endpoint, case) {
            ("GET /api/admin/users", _) => Call::args(path, &[("search", ""), ("page", "0")]),
            ("GET /api/dashboard", _) => Call::args(path, &[("period", ""), ("municipality", "")]),
            ("GET /api/dashboard/ranks", _) => Call::args(path, &[("municipality", "")]),
            ("POST /api/admin/roles/grant" | "POST /api/admin/roles/revoke", _) => Call::args(
                path,
                &[
                    ("user_id", &self.citizen_id),
                    ("role", "expert"),
                    ("department_id", ""),
                ],
            ),
            ("GET /api/municipalities/locate", _) => {
                Call::args(path, &[("lat", "45.0355"), ("lon", "38.9753")])
            }
            ("POST /api/admin/boundaries", _) => Call::args(path, &[("geojson", "{}")]),
            ("POST /api/admin/populations/save", _) => Call::args(
                path,
                &[
                    ("municipality", &self.krasnodar),
                    ("input[population]", "1 099 344"),
                    ("input[source]", "Росстат, оценка"),
                ],
            ),
            ("POST /api/admin/departments/save", _) => Call::args(
                path,
                &[
                    ("id", &self.other_department),
                    ("input[slug]", ""),
                    ("input[name_ru]", ""),
                    ("input[name_en]", ""),
                    ("input[municipality_id]", ""),
                    ("input[email]", ""),
                    ("input[phone]", ""),
                ],
            ),
            ("POST /api/admin/departments/active", _) => {
                Call::args(path, &[("id", &self.other_department), ("active", "true")])
            }
            ("POST /api/admin/departments/supervisor", _) => Call::args(
                path,
                &[("id", &self.other_department), ("supervisor_id", "")],
            ),
            ("GET /api/admin/departments/webhook", _)
            | ("GET /api/admin/departments/webhook/deliveries", _) => {
                Call::args(path, &[("id", &self.other_department)])
            }
            ("POST /api/admin/departments/webhook/save", _) => Call::args(
                path,
                &[
                    ("id", &self.other_department),
                    ("url", "http://127.0.0.1:9/hook"),
                    ("secret", ""),
                    ("event_kinds", "problem.routed"),
                    ("active", "on"),
                ],
            ),
            ("POST /api/admin/departments/webhook/retry", _) => {
                self.app
                    .execute(&format!(
                        "INSERT INTO outbox_events (channel, kind, ordering_key, payload, \
                         status, attempts, created_at, next_attempt_at) VALUES ('webhook', \
                         'problem.routed', 'webhook:{}:problem:0', '{{}}', 'failed', 3, NOW(), NOW())",
                        self.other_department
                    ))
                    .await;
                let delivery = self
                    .app
                    .scalar("SELECT CAST(MAX(id) AS SIGNED) AS n FROM outbox_events")
                    .await
                    .to_string();
                Call::args(
                    path,
                    &[("id", &self.other_department), ("delivery", &delivery)],
                )
            }
            ("GET /api/admin/departments/tokens", _) => {
                Call::args(path, &[("id", &self.other_department)])
            }
            ("POST /api/admin/departments/tokens/issue", _) => Call::args(
                path,
                &[("id", &self.other_department), ("name", "СЭД «Дело»")],
            ),
            ("POST /api/admin/departments/tokens/revoke", _) => {
                self.app
                    .execute(&format!(
                        "INSERT INTO department_tokens (department_id, account_id, name, \
                         token_hash, issued_at) SELECT {}, MIN(id), 'matrix', \
                         SHA2(UUID(), 256), NOW() FROM users",
                        self.other_department
                    ))
                    .await;
                let token = self
                    .app
                    .scalar("SELECT CAST(MAX(id) AS SIGNED) AS n FROM department_tokens")
                    .await
                    .to_string();
                Call::args(path, &[("id", &self.other_department), ("token", &token)])
            }
            ("POST /api/v1/department/problems/{id}/{action}", _) => Call::json(
                format!(
                    "/api/v1/department/problems/{}/acknowledge",
                    self.published_problem().await
                ),
                json!({}),
            ),
            ("POST /api/v1/department/construction-reports/{id}/{action}", _) => Call::json(
                format!(
                    "/api/v1/department/construction-reports/{}/start_verification",
                    self.construction_report().await
                ),
                json!({}),
            ),
            ("POST /api/admin/themes/save", _) => Call::args(
                path,
                &[
                    ("id", &self.other_theme),
                    ("input[slug]", ""),
                    ("input[name_ru]", ""),
                    ("input[name_en]", ""),
                    ("input[description_ru]", ""),
                    ("input[description_en]", ""),
                    ("input[reaction_days]", ""),
                    ("input[result_days]", ""),
                    ("input[sort_order]", ""),
                ],
            ),
            ("POST /api/admin/routing/set", _) => Call::args(
                path,
                &[
                    ("theme_id", &self.theme),
                    ("municipality_id", &self.krasnodar),
                    ("department_id", &self.responsible_department),
                ],
            ),
            ("POST /api/admin/routing/delete", _) => {
                Call::args(path, &[("id", &self.routing_rule().await)])
            }
            ("POST /api/auth/register", _) => {
                let email = format!("new-{}@example.ru", who as usize);
                Call::args(
                    path,
                    &[
                        ("email", &email),
                        ("password", "long-enough"),
                        ("display_name", "Новый"),
                        ("home_municipality_id", &self.krasnodar),
                    ],
                )
            }
            ("POST /api/auth/confirm", _) => {
                let email = format!("confirm-{}@example.ru", who as usize);
                let sent = self.app.request_registration(&email).await;
                assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
                let mut conn = self.app.db.conn().await;
                let token = common::mailed_confirmation_token(&mut conn, &email).await;
                Call::args(path, &[("token", &token)])
            }
            ("POST /api/auth/login", _) => Call::args(
                path,
                &[
                    ("email", "citizen@openregion.demo"),
                    ("password", app::seed::DEMO_PASSWORD),
                ],
            ),
            ("POST /api/auth/logout", _) => Call {
                own_session: self.own_session(who).await,
                ..Call::new(path)
            },
            ("POST /api/auth/password", _) => Call {
                own_session: self.own_session(who).await,
                ..Call::args(
                    path,
                    &[
                        ("current_password", app::seed::DEMO_PASSWORD),
                        ("new_password", app::seed::DEMO_PASSWORD),
                        ("new_password_repeat", app::seed::DEMO_PASSWORD),
                    ],
                )
            },
            ("POST /api/auth/locale", _) => Call::args(path, &[("locale", "en")]),
            (
                "GET /api/problems/map"
                | "GET /api/constructions/map"
                | "GET /api/constructions/reports/map"
                | "GET /api/constructions/illegal/map",
                _,
            ) => Call::args(path, &bbox),
            ("GET /api/constructions/illegal/entry", _) => {
                Call::args(path, &[("id", &self.illegal_construction().await)])
            }
            ("GET /api/constructions/illegal/imported", _) => {
                Call::args(path, &[("id", &self.registry_import().await)])
            }
            ("POST /api/constructions/illegal/step", _) => Call::args(
                path,
                &[
                    ("id", &self.illegal_construction().await),
                    ("input[status]", "case_opened"),
                    (
                        "input[decided_on]",
                        &platform::clock::now().date().to_string(),
                    ),
                ],
            ),
            ("GET /api/problems/similar", _) => Call::args(
                path,
                &[
                    ("theme_id", &self.theme),
                    ("lat", "45.0355"),
                    ("lon", "38.9753"),
                ],
            ),
            ("GET /api/problem", "in moderation") => {
                Call::args(path, &[("id", &self.problem_in_moderation().await)])
            }
            ("GET /api/problem", "published") => {
                Call::args(path, &[("id", &self.published_problem().await)])
            }
            ("POST /api/problems/report", _) => Call::args(path, &problem_input(&self.theme)),
            ("POST /api/problems/step", "publish") => Call::args(
                path,
                &[
                    ("id", &self.problem_in_moderation().await),
                    ("action", "publish"),
                ],
            ),
            ("POST /api/problems/step", "answer") => Call::args(
                path,
                &[
                    ("id", &self.published_problem().await),
                    ("action", "answer"),
                    ("input[text]", "Ремонт запланирован."),
                ],
            ),
            ("POST /api/problems/step", "confirm") => Call::args(
                path,
                &[
                    ("id", &self.resolved_problem().await),
                    ("action", "confirm"),
                ],
            ),
            ("POST /api/problems/support", _) => Call::args(
                path,
                &[("id", &self.published_problem().await), ("support", "true")],
            ),
            ("POST /api/problems/subscribe", "in moderation") => Call::args(
                path,
                &[
                    ("id", &self.problem_in_moderation().await),
                    ("subscribe", "true"),
                ],
            ),
            ("POST /api/problems/comment", _) => Call::args(
                path,
                &[
                    ("id", &self.published_problem().await),
                    ("comment", "И у нас так же."),
                ],
            ),
            ("GET /api/manage/workspace", _) => {
                Call::args(path, &[("department_id", &self.responsible_department)])
            }
            ("GET /api/departments/stats", _) => {
                Call::args(path, &[("slug", "construction-supervision")])
            }
            ("POST /api/comments/report", _) => Call::args(
                path,
                &[("comment", &self.comment().await), ("reason", "spam")],
            ),
            ("POST /api/comments/hide", _) => Call::args(
                path,
                &[("comment", &self.comment().await), ("reason", "spam")],
            ),
            ("GET /api/initiative", "in moderation") => {
                Call::args(path, &[("id", &self.initiative_in_moderation().await)])
            }
            ("GET /api/initiative", "published") => {
                Call::args(path, &[("id", &self.published_initiative().await)])
            }
            ("POST /api/initiatives/propose", _) => {
                Call::args(path, &initiative_input(&self.theme, &self.krasnodar))
            }
            ("POST /api/initiatives/step", "publish") => Call::args(
                path,
                &[
                    ("id", &self.initiative_in_moderation().await),
                    ("action", "publish"),
                ],
            ),
            ("POST /api/initiatives/step", "start_drafting") => Call::args(
                path,
                &[
                    ("id", &self.initiative_in_discussion().await),
                    ("action", "start_drafting"),
                ],
            ),
            ("POST /api/initiatives/step", "withdraw") => Call::args(
                path,
                &[
                    ("id", &self.published_initiative().await),
                    ("action", "withdraw"),
                ],
            ),
            ("POST /api/initiatives/reassign", _) => Call::args(
                path,
                &[
                    ("id", &self.published_initiative().await),
                    ("department_id", &self.other_department),
                    ("text", "Вопрос относится к другому органу."),
                ],
            ),
            ("POST /api/initiatives/author-editing", _) => Call::args(
                path,
                &[
                    ("id", &self.published_initiative().await),
                    ("allowed", "true"),
                    ("text", "Автор — юрист и ведёт текст сам."),
                ],
            ),
            ("POST /api/initiatives/thresholds/set", _) => Call::args(
                path,
                &[("level", "municipal_district"), ("supports", "100")],
            ),
            ("POST /api/initiatives/support", _) => Call::args(
                path,
                &[
                    ("id", &self.published_initiative().await),
                    ("support", "true"),
                ],
            ),
            ("POST /api/initiatives/follow", "in moderation") => Call::args(
                path,
                &[
                    ("id", &self.initiative_in_moderation().await),
                    ("follow", "true"),
                ],
            ),
            ("GET /api/initiatives/text", "published") => {
                Call::args(path, &[("id", &self.drafted_initiative(1).await)])
            }
            ("GET /api/initiatives/text", "in moderation") => {
                Call::args(path, &[("id", &self.initiative_in_moderation().await)])
            }
            ("GET /api/initiatives/expertise" | "GET /api/initiatives/ledger", _) => {
                Call::args(path, &[("id", &self.drafted_initiative(1).await)])
            }
            ("POST /api/initiatives/experts/assign", _) => Call::args(
                path,
                &[
                    ("id", &self.drafted_initiative(1).await),
                    ("expert", &self.expert_id),
                ],
            ),
            ("POST /api/initiatives/experts/volunteer", _) => {
                Call::args(path, &[("id", &self.drafted_initiative(1).await)])
            }
            ("POST /api/initiatives/conclude", _) => Call::args(
                path,
                &[
                    ("id", &self.initiative_in_expertise().await),
                    ("input[verdict]", "support"),
                    ("input[text]", "Проект соответствует законодательству."),
                ],
            ),
            ("POST /api/initiatives/remarks/dispose", _) => Call::args(
                path,
                &[
                    ("remark", &self.remark().await),
                    ("disposition", "accepted"),
                    ("reason", "Срок уточним."),
                ],
            ),
            ("POST /api/initiatives/adopt", _) => Call::args(
                path,
                &[
                    ("id", &self.initiative_in_reaction().await),
                    ("act[number]", "15-р"),
                    ("act[date]", "2025-01-15"),
                ],
            ),
            ("GET /lawmaking/{id}/summary.xlsx", _) => Call::new(format!(
                "/lawmaking/{}/summary.xlsx",
                self.drafted_initiative(1).await
            )),
            ("GET /lawmaking/{id}/summary.pdf", _) => Call::new(format!(
                "/lawmaking/{}/summary.pdf",
                self.drafted_initiative(1).await
            )),
            ("GET /api/initiatives/compare", _) => Call::args(
                path,
                &[
                    ("id", &self.drafted_initiative(2).await),
                    ("from", "1"),
                    ("to", "2"),
                ],
            ),
            ("POST /api/initiatives/versions/publish", _) => Call::args(
                path,
                &[
                    ("id", &self.initiative_in_drafting().await),
                    ("input[base]", "0"),
                    ("input[text]", "1. Первая статья.\n2. Вторая статья."),
                ],
            ),
            ("POST /api/v1/initiatives/{id}/docx", _) => Call::file(
                format!(
                    "/api/v1/initiatives/{}/docx",
                    self.initiative_in_drafting().await
                ),
                "file",
                platform::ooxml::testing::docx("<w:p><w:r><w:t>1. Статья.</w:t></w:r></w:p>"),
            ),
            ("POST /api/initiatives/amend", _) => Call::args(
                path,
                &[
                    ("id", &self.drafted_initiative(1).await),
                    ("input[article]", "2"),
                    ("input[text]", "Срок — 2026 год."),
                    ("input[justification]", "Скамейки нужны уже сейчас."),
                ],
            ),
            ("POST /api/initiatives/amendments/support", _) => Call::args(
                path,
                &[("amendment", &self.amendment().await), ("support", "true")],
            ),
            ("POST /api/initiatives/amendments/dispose", _) => Call::args(
                path,
                &[
                    ("amendment", &self.amendment().await),
                    ("disposition", "accepted"),
                    ("reason", "Навес нужен."),
                ],
            ),
            ("POST /api/initiatives/comment", _) => Call::args(
                path,
                &[
                    ("id", &self.published_initiative().await),
                    ("comment", "Поддерживаю концепцию."),
                ],
            ),
            ("POST /api/initiatives/comments/support", _) => {
                let (initiative, comment) = self.initiative_comment().await;
                Call::args(
                    path,
                    &[
                        ("id", &initiative),
                        ("comment", &comment),
                        ("support", "true"),
                    ],
                )
            }
            ("GET /api/construction", _) => Call::args(path, &[("id", &self.construction)]),
            ("POST /api/constructions/save", _) => Call::args(
                path,
                &[
                    ("id", &self.construction),
                    ("input[registry_number]", ""),
                    ("input[object_name]", ""),
                ],
            ),
            ("POST /api/constructions/reports/new", _) => {
                Call::args(path, &construction_report_input())
            }
            ("GET /api/constructions/report", _) => {
                Call::args(path, &[("id", &self.construction_report().await)])
            }
            ("POST /api/constructions/reports/step", _) => Call::args(
                path,
                &[
                    ("id", &self.construction_report().await),
                    ("action", "start_verification"),
                ],
            ),
            (
                "GET /api/constructions/imports/status" | "GET /api/constructions/imports/changes",
                _,
            ) => Call::args(path, &[("id", &self.registry_import().await)]),
            (
                "POST /api/constructions/imports/check" | "POST /api/constructions/imports/commit",
                _,
            ) => Call::args(path, &[("id", &self.registry_import().await)]),
            ("POST /api/v1/constructions/imports", _) => {
                Call::file(path, "file", registry_workbook(1, "Краснодар"))
            }
            ("POST /api/v1/constructions/acts", _) => Call::file(
                format!("{path}?report={}", self.construction_report().await),
                "act",
                pdf(),
            ),
            ("POST /api/v1/photos", _) => Call::file(path, "photo", png()),
            ("GET /api/opendata/dataset" | "GET /api/opendata/rows", _) => {
                Call::args(path, &[("identifier", &self.live_dataset)])
            }
            ("GET /api/opendata/clusters", _) => {
                let mut args = bbox.to_vec();
                args.push(("identifier", &self.live_dataset));
                Call::args(path, &args)
            }
            ("POST /api/opendata/request", _) => Call::args(
                path,
                &[
                    ("title", "Парковки"),
                    ("details", "Все платные парковки с числом мест."),
                ],
            ),
            ("POST /api/opendata/manage/answer", _) => Call::args(
                path,
                &[
                    ("id", &self.dataset_request().await),
                    ("answer", "Опубликуем в следующем месяце."),
                ],
            ),
            ("POST /api/opendata/manage/publish-live", _) => {
                Call::args(path, &[("identifier", &self.live_dataset)])
            }
            ("GET /api/opendata/manage/passport", _) => {
                Call::args(path, &[("identifier", &self.uploaded_dataset)])
            }
            ("POST /api/opendata/manage/save-passport", _) => {
                let mut args = passport("matrix");
                args[0] = ("identifier", &self.uploaded_dataset);
                Call::args(path, &args)
            }
            ("GET /api/opendata/manage/upload", _) => {
                Call::args(path, &[("id", &self.dataset_upload().await)])
            }
            ("POST /api/opendata/manage/publish-upload", _) => {
                let id: u64 = self.dataset_upload().await.parse().expect("an id");
                Call::json(path, json!({"id": id, "columns": [], "coordinates": null}))
            }
            ("POST /api/v1/opendata/{identifier}/uploads", _) => Call::file(
                format!("/api/v1/opendata/{}/uploads", self.uploaded_dataset),
                "file",
                b"name,count\nbeta,2\n".to_vec(),
            ),
            ("GET /opendata/{identifier}/{file}", _) => {
                Call::new(format!("/opendata/{}/meta.json", self.live_dataset))
            }
            ("GET /api/opendata/{identifier}/{file}", _) => {
                Call::new(format!("/api/opendata/{}/rows.json", self.live_dataset))
            }
            (
                "GET /api/3/action/{name}"
                | "POST /api/3/action/{name}"
                | "OPTIONS /api/3/action/{name}",
                _,
            ) => Call::new("/api/3/action/package_list"),
            (
                "GET /api/action/{name}" | "POST /api/action/{name}" | "OPTIONS /api/action/{name}",
                _,
            ) => Call::new("/api/action/package_list"),
            ("GET /open311/v2/{resource}", _) => Call::new("/open311/v2/services.json"),
            ("POST /open311/v2/{resource}", _) => Call::args(
                "/open311/v2/requests.json",
                &[
                    ("api_key", &self.api_key(who).await),
                    ("service_code", &self.theme_slug().await),
                    ("lat", "45.0412"),
                    ("long", "38.9801"),
                    ("description", "Глубокая яма на дороге у остановки."),
                ],
            ),
            ("GET /open311/v2/services/{code}", _) => Call::new(format!(
                "/open311/v2/services/{}.json",
                self.theme_slug().await
            )),
            ("GET /open311/v2/requests/{id}", _) => Call::new(format!(
                "/open311/v2/requests/{}.json",
                self.published_problem().await
            )),
            ("GET /open311/v2/tokens/{token}", _) => Call::new("/open311/v2/tokens/42.json"),
            ("GET /api/ranks", _) => Call::args(path, &[("quarter", ""), ("municipality", "")]),
            ("GET /api/ranks/priority", _) => Call::args(
                path,
                &[("id", &self.open_priority().await), ("quarter", "")],
            ),
            ("POST /api/ranks/vote", _) => {
                Call::args(path, &[("priority", &self.open_priority().await)])
            }
            ("POST /api/ranks/comment", _) => Call::args(
                path,
                &[
                    ("priority", &self.open_priority().await),
                    ("comment", "Поддерживаю."),
                ],
            ),
            ("POST /api/ranks/withdraw", _) => {
                let priority = self.open_priority().await;
                if let Some(session) = self.session(who) {
                    let voted = self
                        .app
                        .post("/api/ranks/vote", &[("priority", &priority)], Some(session))
                        .await;
                    assert_eq!(voted.status, StatusCode::OK, "{}", voted.body);
                }
                Call::args(path, &[("priority", &priority)])
            }
            ("POST /api/ranks/propose", _) => {
                Call::args(path, &priority_input(&self.krasnodar, &self.theme))
            }
            // An unknown municipality: refused as input after the authorisation check, so
            // that no persona's home moves for the rows after this one.
            ("POST /api/ranks/home", _) => Call::args(
                path,
                &[("municipality", "999999"), ("reason", "Переезд по работе")],
            ),
            ("GET /api/manage/priorities", _) => Call::new(path),
            ("POST /api/manage/priorities/save", _) => {
                let mut args = priority_input(&self.krasnodar, &self.theme).to_vec();
                args.push(("id", ""));
                Call::args(path, &args)
            }
            ("POST /api/manage/priorities/decide", _) => Call::args(
                path,
                &[
                    ("id", &self.open_priority().await),
                    ("decision", "close"),
                    ("reason", "Выполнено в этом году"),
                ],
            ),
            ("GET /api/solutions/challenges", _) => {
                Call::args(path, &[("municipality", ""), ("theme", ""), ("state", "")])
            }
            ("GET /api/solutions/challenge", _) => Call::args(
                path,
                &[
                    ("id", &self.challenge().await),
                    ("sort", ""),
                    ("status", ""),
                    ("page", "0"),
                ],
            ),
            ("GET /api/solutions/solution", _) => {
                Call::args(path, &[("id", &self.solution().await)])
            }
            ("POST /api/solutions/challenges/publish", _) => {
                Call::args(path, &borrowed(&self.challenge_input()))
            }
            ("POST /api/solutions/propose", _) => {
                let mut args = solution_input().to_vec();
                let challenge = self.challenge().await;
                args.push(("challenge", &challenge));
                Call::args(path, &args)
            }
            ("POST /api/solutions/support", _) => Call::args(
                path,
                &[("solution", &self.solution().await), ("support", "true")],
            ),
            ("POST /api/solutions/challenges/follow", _) => {
                Call::args(path, &[("id", &self.challenge().await), ("follow", "true")])
            }
            ("GET /api/people/activity", _) => Call::args(path, &[("before", "")]),
            ("POST /api/people/follow-municipality", _) => Call::args(
                path,
                &[("municipality", &self.krasnodar), ("follow", "true")],
            ),
            ("GET /api/galleries/of-person", _) => {
                Call::args(path, &[("person", &self.author_id().await)])
            }
            ("GET /api/galleries/get", "public") => Call::args(
                path,
                &[("id", &self.author_gallery("public").await.id), ("key", "")],
            ),
            ("GET /api/galleries/get", "for followers") => Call::args(
                path,
                &[
                    ("id", &self.author_gallery("followers").await.id),
                    ("key", ""),
                ],
            ),
            ("GET /api/galleries/get", _) => {
                let album = self.author_gallery("followers").await;
                Call::args(path, &[("id", &album.id), ("key", &album.key)])
            }
            ("POST /api/galleries/create", _) => Call::args(path, &gallery_input("public")),
            ("POST /api/galleries/save", _) => {
                let album = self.author_gallery("public").await;
                let mut args = gallery_input("followers").to_vec();
                args.push(("id", &album.id));
                Call::args(path, &args)
            }
            // A handle the caller never uploaded: the owner's call passes the check and is
            // refused on its input, everyone else's is refused before.
            ("POST /api/galleries/add-photos", _) => Call::args(
                path,
                &[
                    ("id", &self.author_gallery("public").await.id),
                    ("photos", "0123456789abcdef0123456789abcdef"),
                ],
            ),
            ("POST /api/galleries/caption", _) => {
                let album = self.author_gallery("public").await;
                Call::args(
                    path,
                    &[
                        ("id", &album.id),
                        ("photo", &album.photo),
                        ("caption", "Вид с моста"),
                    ],
                )
            }
            ("POST /api/galleries/remove-photo", _) => {
                let album = self.author_gallery("public").await;
                Call::args(path, &[("id", &album.id), ("photo", &album.photo)])
            }
            ("POST /api/galleries/renew-link", _) => {
                Call::args(path, &[("id", &self.author_gallery("public").await.id)])
            }
            ("POST /api/galleries/delete", _) => Call::args(
                path,
                &[
                    ("id", &self.author_gallery("public").await.id),
                    ("confirm", "yes"),
                ],
            ),
            ("GET /api/notifications/settings", _) => Call::args(path, &[]),
            ("POST /api/notifications/settings/save", _) => {
                Call::args(path, &[("choices[publication]", "bell_only")])
            }
            ("POST /api/solutions/comment", _) => Call::args(
                path,
                &[
                    ("solution", &self.solution().await),
                    ("comment", "Хорошее решение, поддерживаю."),
                ],
            ),
            ("POST /api/solutions/answer", _) => Call::args(
                path,
                &[
                    ("solution", &self.solution().await),
                    ("status", "accepted"),
                    ("reason", "Включим в план работ."),
                ],
            ),
            ("GET /api/links/of", _) => Call::args(
                path,
                &[("kind", "solution"), ("id", &self.solution().await)],
            ),
            ("POST /api/links/solution-initiative", _) => Call::args(
                path,
                &[
                    ("solution", &self.accepted_solution().await),
                    ("input[municipality_id]", ""),
                    ("input[theme_id]", ""),
                    ("input[title]", "Об автобусном маршруте"),
                    ("input[problem]", "Нет прямого автобуса до центра города."),
                    ("input[goal]", "Прямой автобус до центра."),
                    (
                        "input[proposal]",
                        "Открыть новый маршрут через центр города.",
                    ),
                ],
            ),
            ("POST /api/links/challenge", _) => Call::args(
                path,
                &[
                    ("challenge", &self.challenge().await),
                    ("kind", "problem"),
                    ("number", &self.published_problem().await),
                    ("link", "true"),
                ],
            ),
            ("POST /api/links/problem-challenge", _) => {
                Call::args(path, &[("problem", &self.published_problem().await)])
            }
            ("GET /api/people/get", _) => Call::args(path, &[("id", &self.resident().await)]),
            ("POST /api/people/save", _) => Call::args(
                path,
                &[
                    ("profile[display_name]", "Житель края"),
                    ("profile[about]", "Пишу о дорогах."),
                    ("profile[show_problems]", "on"),
                ],
            ),
            ("POST /api/people/follow", _) => {
                Call::args(path, &[("id", &self.resident().await), ("follow", "true")])
            }
            // Another resident: the callers' blocks would refuse the follows above.
            ("POST /api/people/block", _) => Call::args(
                path,
                &[("id", &self.resident_numbered(2).await), ("block", "true")],
            ),
            ("GET /api/publications/feed", _) => {
                Call::args(path, &[("scope", "following"), ("before", "")])
            }
            ("GET /api/publications/of-person", _) => {
                Call::args(path, &[("person", &self.resident().await), ("before", "")])
            }
            ("GET /api/publications/get", _) => {
                Call::args(path, &[("id", &self.publication().await)])
            }
            ("POST /api/publications/publish", _) => Call::args(
                path,
                &[
                    ("input[body]", "Сегодня открыли сквер."),
                    ("input[department]", ""),
                ],
            ),
            ("POST /api/publications/like", _) => {
                Call::args(path, &[("id", &self.publication().await), ("like", "true")])
            }
            ("POST /api/publications/comment", _) => Call::args(
                path,
                &[
                    ("id", &self.publication().await),
                    ("comment", "Отличная новость!"),
                ],
            ),
            ("POST /api/moderation/report", _) => Call::args(
                path,
                &[
                    ("kind", "publication"),
                    ("id", &self.publication().await),
                    ("reason", "Похоже на рекламу."),
                ],
            ),
            ("GET /api/moderation/queue", _) => Call::args(path, &[]),
            ("POST /api/moderation/decide", _) => Call::args(
                path,
                &[
                    ("kind", "publication"),
                    ("id", &self.publication().await),
                    ("decision", "dismiss"),
                    ("reason", "Правила не нарушены."),
                    ("days", ""),
                ],
            ),
            ("GET /api/v1/account/data", _) => Call::args(path, &[]),
            ("POST /api/account/delete", _) => Call::args(
                path,
                &[("password", "not-the-password"), ("confirm", "yes")],
            ),
            ("GET /api/messages/inbox", _) => Call::args(path, &[("before", "")]),
            ("GET /api/messages/unread", _) => Call::args(path, &[]),
            ("GET /api/messages/conversation", _) => Call::args(
                path,
                &[("id", &self.author_conversation().await), ("before", "")],
            ),
            ("POST /api/messages/read", _) => {
                let conversation = self.author_conversation().await;
                let newest = self
                    .app
                    .scalar(&format!(
                        "SELECT CAST(MAX(id) AS SIGNED) AS n FROM messages \
                         WHERE conversation_id = {conversation}"
                    ))
                    .await
                    .to_string();
                Call::args(path, &[("id", &conversation), ("up_to", &newest)])
            }
            ("POST /api/messages/send", _) => Call::args(
                path,
                &[
                    ("conversation", &self.author_conversation().await),
                    ("body", "Спасибо, договорились."),
                ],
            ),
            ("POST /api/messages/start", "about a problem") => {
                let problem = self.published_problem().await;
                let author = self.author_id().await;
                Call::args(
                    path,
                    &[
                        ("to", &author),
                        ("body", "Уточните, пожалуйста, адрес."),
                        ("problem", &problem),
                    ],
                )
            }
            ("POST /api/messages/start", _) => Call::args(
                path,
                &[
                    ("to", &self.resident_numbered(4).await),
                    ("body", "Добрый день!"),
                    ("problem", ""),
                ],
            ),
            ("GET /api/messages/of-problem", _) => {
                Call::args(path, &[("problem", &self.published_problem().await)])
            }
            ("GET /api/v1/messages/events", _) => Call::args(path, &[]),
            ("GET /api/publications/department", _) => Call::args(
                path,
                &[("slug", "construction-supervision"), ("before", "")],
            ),
            ("POST /api/publications/follow-department", _) => Call::args(
                path,
                &[("slug", "construction-supervision"), ("follow", "true")],
            ),
            ("GET /api/services", _) => Call::args(path, &[("month", "")]),
            ("GET /api/services/detail", _) => {
                Call::args(path, &[("id", &self.service_offering().await.0)])
            }
            ("POST /api/services/rate", _) => {
                let (_, offering) = self.service_offering().await;
                Call::args(path, &rating_input(&offering, &open_month(), ""))
            }
            ("POST /api/services/answer", _) => Call::args(
                path,
                &[
                    ("review", &self.service_review().await),
                    ("comment", "Спасибо, сократим срок."),
                ],
            ),
            ("POST /api/manage/services/save", _) => Call::args(
                path,
                &[
                    ("id", ""),
                    ("input[slug]", ""),
                    ("input[name_ru]", ""),
                    ("input[name_en]", ""),
                    ("input[description_ru]", ""),
                    ("input[description_en]", ""),
                    ("input[level]", ""),
                ],
            ),
            ("POST /api/manage/services/offering", _) => Call::args(
                path,
                &[
                    ("service", &self.service_offering().await.0),
                    ("department", ""),
                ],
            ),
            ("POST /api/manage/services/offering/active", _) => Call::args(
                path,
                &[
                    ("offering", &self.service_offering().await.1),
                    ("active", "false"),
                ],
            ),
            ("POST /api/v1/services/import", _) => Call::file(path, "file", services_workbook()),
            _ => Call::new(path),
        }
    }

    /// A fresh regional service that the responsible department provides, added by the
    /// moderator: (the service, its offering).
    async fn service_offering(&self) -> (String, String) {
        let moderator = self.session(Persona::Moderator);
        let count = self
            .app
            .scalar("SELECT CAST(COUNT(*) AS SIGNED) AS n FROM gov_services")
            .await;
        let slug = format!("matrix-service-{count}");
        let saved = self
            .app
            .post(
                "/api/manage/services/save",
                &[
                    ("id", ""),
                    ("input[slug]", &slug),
                    ("input[name_ru]", "Услуга"),
                    ("input[name_en]", "Service"),
                    ("input[description_ru]", ""),
                    ("input[description_en]", ""),
                    ("input[level]", "regional"),
                    ("input[is_active]", "on"),
                ],
                moderator,
            )
            .await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
        let service = self
            .app
            .scalar(&format!(
                "SELECT CAST(id AS SIGNED) AS n FROM gov_services WHERE slug = '{slug}'"
            ))
            .await
            .to_string();
        let added = self
            .app
            .post(
                "/api/manage/services/offering",
                &[
                    ("service", &service),
                    ("department", &self.responsible_department),
                ],
                moderator,
            )
            .await;
        assert_eq!(added.status, StatusCode::OK, "{}", added.body);
        let offering = self
            .app
            .scalar(&format!(
                "SELECT CAST(id AS SIGNED) AS n FROM service_offerings WHERE service_id = {service}"
            ))
            .await
            .to_string();
        (service, offering)
    }

    /// The citizen's review of a fresh offering of the responsible department.
    async fn service_review(&self) -> String {
        let (_, offering) = self.service_offering().await;
        let rated = self
            .app
            .post(
                "/api/services/rate",
                &rating_input(&offering, &open_month(), "Долго ждал ответа."),
                self.session(Persona::Citizen),
            )
            .await;
        assert_eq!(rated.status, StatusCode::OK, "{}", rated.body);
        self.app
            .scalar(&format!(
                "SELECT CAST(comment_id AS SIGNED) AS n FROM service_ratings \
                 WHERE offering_id = {offering}"
            ))
            .await
            .to_string()
    }

    /// A challenge of Krasnodar owned by the responsible department, open for a month, as
    /// its form sends it.
    fn challenge_input(&self) -> Vec<(&'static str, String)> {
        let until = (platform::clock::now().date() + chrono::Days::new(30)).to_string();
        vec![
            ("input[municipality]", self.krasnodar.clone()),
            ("input[theme]", self.theme.clone()),
            ("input[department]", self.responsible_department.clone()),
            ("input[title]", "Задача матрицы".into()),
            (
                "input[description]",
                "Описание задачи для проверки прав доступа.".into(),
            ),
            ("input[area]", String::new()),
            ("input[proposals_until]", until),
        ]
    }

    /// A new challenge, published by the moderator.
    async fn challenge(&self) -> String {
        let input = self.challenge_input();
        let published = self
            .app
            .post(
                "/api/solutions/challenges/publish",
                &borrowed(&input),
                self.session(Persona::Moderator),
            )
            .await;
        assert_eq!(published.status, StatusCode::OK, "{}", published.body);
        published.body.trim().to_string()
    }

    /// The id of a demo resident, a person none of the callers is.
    async fn resident(&self) -> String {
        self.resident_numbered(1).await
    }

    /// The id of demo resident `number` (`resident{number}@openregion.demo`).
    async fn resident_numbered(&self, number: u32) -> String {
        self.app
            .scalar(&format!(
                "SELECT CAST(id AS SIGNED) AS n FROM users \
                 WHERE email = 'resident{number}@openregion.demo'"
            ))
            .await
            .to_string()
    }

    /// A new album of the author's for `audience` with one uploaded photo.
    async fn author_gallery(&self, audience: &'static str) -> Album {
        let cookie = self.session(Persona::Author).expect("the author's session");
        let uploaded = common::upload(&self.app, "/api/v1/photos", "photo", &png(), cookie).await;
        assert_eq!(uploaded.status, StatusCode::CREATED, "{}", uploaded.body);
        let token = uploaded.json()["token"]
            .as_str()
            .expect("a staging handle")
            .to_string();
        let mut args = gallery_input(audience).to_vec();
        args.push(("input[photos]", &token));
        let created = self
            .app
            .post("/api/galleries/create", &args, Some(cookie))
            .await;
        assert_eq!(created.status, StatusCode::OK, "{}", created.body);
        let id = created.body.trim().to_string();
        let album = self
            .app
            .get(&format!("/api/galleries/get?id={id}&key="), Some(cookie))
            .await
            .json();
        let key = album["share_path"]
            .as_str()
            .and_then(|path| path.split_once("key="))
            .map(|(_, key)| key.to_string())
            .expect("the owner's share link");
        Album {
            photo: album["photos"][0]["id"].to_string(),
            id,
            key,
        }
    }

    /// The author's id.
    async fn author_id(&self) -> String {
        self.app
            .scalar(&format!(
                "SELECT CAST(id AS SIGNED) AS n FROM users WHERE email = '{AUTHOR}'"
            ))
            .await
            .to_string()
    }

    /// A new conversation of the author with a demo resident; its id.
    async fn author_conversation(&self) -> String {
        let started = self
            .app
            .post(
                "/api/messages/start",
                &[
                    ("to", &self.resident_numbered(5).await),
                    ("body", "Здравствуйте! Вы тоже живёте на Красной?"),
                    ("problem", ""),
                ],
                self.session(Persona::Author),
            )
            .await;
        assert_eq!(started.status, StatusCode::OK, "{}", started.body);
        started.json()["conversation"].to_string()
    }

    /// The id of the demo's first publication.
    async fn publication(&self) -> String {
        self.app
            .scalar("SELECT CAST(MIN(id) AS SIGNED) AS n FROM publications")
            .await
            .to_string()
    }

    /// A new solution to a new challenge, proposed by the author.
    async fn solution(&self) -> String {
        let challenge = self.challenge().await;
        let mut args = solution_input().to_vec();
        args.push(("challenge", &challenge));
        let proposed = self
            .app
            .post(
                "/api/solutions/propose",
                &args,
                self.session(Persona::Author),
            )
            .await;
        assert_eq!(proposed.status, StatusCode::OK, "{}", proposed.body);
        proposed.body.trim().to_string()
    }

    /// A new solution, accepted by the moderator.
    async fn accepted_solution(&self) -> String {
        let solution = self.solution().await;
        let answered = self
            .app
            .post(
                "/api/solutions/answer",
                &[
                    ("solution", solution.as_str()),
                    ("status", "accepted"),
                    ("reason", "Включим в план работ."),
                ],
                self.session(Persona::Moderator),
            )
            .await;
        assert_eq!(answered.status, StatusCode::OK, "{}", answered.body);
        solution
    }

    /// A new open priority of Krasnodar, added by the moderator.
    async fn open_priority(&self) -> String {
        let mut args = priority_input(&self.krasnodar, &self.theme).to_vec();
        args.push(("id", ""));
        let saved = self
            .app
            .post(
                "/api/manage/priorities/save",
                &args,
                self.session(Persona::Moderator),
            )
            .await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
        self.app
            .scalar("SELECT CAST(MAX(id) AS SIGNED) AS n FROM priorities")
            .await
            .to_string()
    }

    async fn theme_slug(&self) -> String {
        let themes = self.app.get("/api/themes", None).await.json();
        themes[0]["slug"].as_str().expect("a slug").to_string()
    }
}

fn problem_input(theme: &str) -> [(&'static str, &str); 6] {
    [
        ("input[theme_id]", theme),
        ("input[lat]", "45.0355"),
        ("input[lon]", "38.9753"),
        ("input[address]", "ул. Красная, 1"),
        ("input[title]", "Сломана скамейка"),
        ("input[description]", "Скамейка в сквере сломана уже месяц."),
    ]
}

fn initiative_input<'a>(theme: &'a str, municipality: &'a str) -> [(&'static str, &'a str); 6] {
    [
        ("input[municipality_id]", municipality),
        ("input[theme_id]", theme),
        ("input[title]", "Скамейки у остановок"),
        (
            "input[problem]",
            "На остановках нет скамеек, пожилым людям негде присесть.",
        ),
        ("input[goal]", "Скамейка на каждой остановке."),
        (
            "input[proposal]",
            "Обязать устанавливать скамейку при ремонте любой остановки.",
        ),
    ]
}

/// The region's current month as the server counts it, for a rating.
fn open_month() -> String {
    use app::services::model::{month_code, month_of};
    month_code(month_of(platform::clock::region_date(
        platform::clock::now(),
    )))
}

/// A rating of `offering` for the current month, with `comment`.
fn rating_input<'a>(
    offering: &'a str,
    month: &'a str,
    comment: &'a str,
) -> [(&'static str, &'a str); 6] {
    [
        ("input[offering]", offering),
        ("input[month]", month),
        ("input[quality]", "5"),
        ("input[convenience]", "4"),
        ("input[speed]", "3"),
        ("input[comment]", comment),
    ]
}

/// A priority of `municipality` on `theme`, as the priority forms send it.
/// Form arguments as `Call::args` and `TestApp::post` take them.
fn borrowed<'a>(args: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    args.iter()
        .map(|(name, value)| (*name, value.as_str()))
        .collect()
}

fn solution_input() -> [(&'static str, &'static str); 3] {
    [
        ("input[title]", "Решение матрицы"),
        (
            "input[description]",
            "Описание решения для проверки прав доступа.",
        ),
        ("input[sketch]", ""),
    ]
}

fn priority_input<'a>(municipality: &'a str, theme: &'a str) -> [(&'static str, &'a str); 6] {
    [
        ("input[municipality]", municipality),
        ("input[theme]", theme),
        ("input[title]", "Приоритет матрицы"),
        (
            "input[description]",
            "Описание приоритета для проверки прав.",
        ),
        ("input[lat]", ""),
        ("input[lon]", ""),
    ]
}

fn construction_report_input() -> [(&'static str, &'static str); 5] {
    [
        ("input[kind]", "not_in_registry"),
        ("input[lat]", "45.0412"),
        ("input[lon]", "38.9801"),
        ("input[address]", "г. Краснодар, ул. Северная, 300"),
        (
            "input[description]",
            "Строят дом без разрешения, забор на тротуаре.",
        ),
    ]
}

/// The smallest file with a PDF's structure.
fn pdf() -> Vec<u8> {
    b"%PDF-1.7\n1 0 obj\n<< /Type /XRef >>\nstream\nendstream\nendobj\nstartxref\n9\n%%EOF\n"
        .to_vec()
}

/// Every endpoint of the application as `METHOD /path`.
fn endpoints() -> BTreeSet<String> {
    let server_functions =
        leptos::server_fn::axum::server_fn_paths().map(|(path, method)| format!("{method} {path}"));
    let routes = server::http_routes()
        .endpoints()
        .iter()
        .map(|endpoint| format!("{} {}", endpoint.method, endpoint.path))
        .collect::<Vec<_>>();
    server_functions.chain(routes).collect()
}

#[test]
fn every_endpoint_has_a_row_and_every_row_an_endpoint() {
    let endpoints = endpoints();
    let rows: BTreeSet<String> = MATRIX.iter().map(|(e, _, _)| e.to_string()).collect();
    let missing: Vec<_> = endpoints.difference(&rows).collect();
    let stale: Vec<_> = rows.difference(&endpoints).collect();
    assert!(
        missing.is_empty() && stale.is_empty(),
        "endpoints without a row: {missing:#?}\nrows without an endpoint: {stale:#?}"
    );
    for (endpoint, case, allowed) in MATRIX {
        assert_eq!(allowed.len(), LETTERS.len(), "{endpoint} {case}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn each_endpoint_admits_exactly_its_callers() {
    let world = World::new().await;
    let mut wrong = Vec::new();
    for (endpoint, case, allowed) in MATRIX {
        let method: Method = endpoint
            .split_once(' ')
            .map(|(method, _)| method)
            .unwrap_or("GET")
            .parse()
            .expect("a method");
        let mut seen = String::new();
        let mut answers = Vec::new();
        for who in PERSONAS {
            let call = world.call(endpoint, case, who).await;
            let reply = world.send(&method, call, who).await;
            assert!(
                !reply.status.is_server_error() && reply.status != StatusCode::TOO_MANY_REQUESTS,
                "{endpoint} {case} as {who:?}: {} {}",
                reply.status,
                reply.body
            );
            let refused = matches!(
                reply.status,
                StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN | StatusCode::NOT_FOUND
            );
            seen.push(if refused {
                '.'
            } else {
                LETTERS.as_bytes()[who as usize] as char
            });
            let start: String = reply.body.chars().take(100).collect();
            answers.push(format!("{who:?}: {} {start}", reply.status.as_u16()));
        }
        if seen != *allowed {
            wrong.push(format!(
                "{endpoint} [{case}]: expected {allowed}, got {seen}\n  {}",
                answers.join("\n  ")
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// A catalogue spreadsheet of one regional service that a ministry provides.
fn services_workbook() -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let rows = [
        [
            "Код",
            "Название",
            "Название (англ.)",
            "Уровень",
            "Исполнители",
        ],
        [
            "matrix-service",
            "Услуга для проверки прав",
            "A service for the rights check",
            "региональная",
            "min-social",
        ],
    ];
    for (row, cells) in rows.iter().enumerate() {
        for (column, text) in cells.iter().enumerate() {
            sheet
                .write_string(row as u32, column as u16, *text)
                .expect("cell");
        }
    }
    book.save_to_buffer().expect("workbook")
}
