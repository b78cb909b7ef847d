//! The security findings of issue 19, each tried as an outsider would over HTTP against a
//! real MariaDB.

use crate::common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{Reply, TestApp, citizen, report_problem, sign_in};

/// Finding 5: a problem still in moderation cannot be followed by others, and a follower
/// who cannot see it is never told its title.
#[tokio::test(flavor = "multi_thread")]
async fn hidden_problems_are_neither_followed_nor_named() {
    let app = TestApp::new().await;
    app.seeded_admin().await;
    // Every theme's reports wait for a moderator (most demo themes publish at once).
    app.execute("UPDATE themes SET premoderation = TRUE").await;
    let author = citizen(&app, "author@example.ru").await;
    let created = report_problem(&app, &author, "").await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    let id = created.json().to_string();
    let follows_of_it = format!("follows WHERE subject_kind = 'problem' AND subject_id = {id}");
    assert_eq!(app.count(&follows_of_it).await, 1, "its author follows it");

    let stranger = citizen(&app, "stranger@example.ru").await;
    let follow = [("id", id.as_str()), ("subscribe", "true")];
    let refused = app
        .post("/api/problems/subscribe", &follow, Some(&stranger))
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND, "{}", refused.body);
    assert_eq!(app.count(&follows_of_it).await, 1, "nothing was written");
    let leave = [("id", id.as_str()), ("subscribe", "false")];
    let left = app
        .post("/api/problems/subscribe", &leave, Some(&stranger))
        .await;
    assert_eq!(left.status, StatusCode::OK, "leaving is always allowed");

    // A follow from before the rule (or from a time the problem was public) must not
    // leak the title when the problem is rejected.
    let stranger_id = app.get("/api/auth/me", Some(&stranger)).await.json()["id"].to_string();
    app.execute(&format!(
        "INSERT INTO follows (subject_kind, subject_id, user_id, created_at) \
         VALUES ('problem', {id}, {stranger_id}, NOW())"
    ))
    .await;
    let moderator = sign_in(&app, "moderator@openregion.demo").await;
    let rejected = app
        .post(
            "/api/problems/step",
            &[
                ("id", id.as_str()),
                ("action", "reject"),
                ("input[text]", "Это не относится к полномочиям"),
            ],
            Some(&moderator),
        )
        .await;
    assert_eq!(rejected.status, StatusCode::OK, "{}", rejected.body);

    let told = app.get("/api/notifications", Some(&stranger)).await.json();
    assert_eq!(told[0]["title"], format!("№ {id}"), "{told}");
    assert!(!told.to_string().contains("скамейка"), "{told}");
    let told_author = app.get("/api/notifications", Some(&author)).await.json();
    assert_eq!(told_author[0]["title"], "Сломана скамейка", "{told_author}");
}

/// A sign-in attempt from `client`, as our one trusted proxy reports it after whatever
/// the client itself put into `X-Forwarded-For`.
fn sign_in_request(forged: &str, client: &str, password: &str) -> Request<Body> {
    let body = format!(
        "email=victim%40example.ru&password={}",
        common::urlencode(password)
    );
    Request::post("/api/auth/login")
        .header(header::HOST, "localhost")
        .header(header::ORIGIN, "http://localhost")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .header("x-forwarded-for", format!("{forged}{client}"))
        .header("x-forwarded-proto", "https")
        .body(Body::from(body))
        .expect("request")
}

async fn sign_in_from(app: &TestApp, forged: &str, client: &str, password: &str) -> Reply {
    app.send(sign_in_request(forged, client, password)).await
}

/// Finding 2: parallel guesses never pass the free attempts, guesses from one address
/// never lock the owner out elsewhere, and a forged `X-Forwarded-For` changes nothing.
#[tokio::test(flavor = "multi_thread")]
async fn sign_in_delays_are_exact_per_address_and_unforgeable() {
    let app = TestApp::configured(|config| config.trusted_proxies = 1).await;
    app.register("victim@example.ru").await;
    let attacker = "203.0.113.66";
    let guesses = (0..10)
        .map(|n| sign_in_request(&format!("10.0.0.{n}, "), attacker, "guess-guess"))
        .collect();
    let statuses = app.send_at_once(guesses).await;
    let wrong = statuses
        .iter()
        .filter(|status| **status == StatusCode::UNAUTHORIZED)
        .count();
    assert_eq!(
        wrong, 5,
        "exactly the free attempts were tried: {statuses:?}"
    );
    assert_eq!(
        statuses
            .iter()
            .filter(|status| **status == StatusCode::TOO_MANY_REQUESTS)
            .count(),
        5
    );
    let delayed = sign_in_from(&app, "", attacker, "long-enough").await;
    assert_eq!(delayed.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(delayed.json()["kind"], "rate_limited");
    let wait = delayed.json()["retry_after_seconds"]
        .as_u64()
        .expect("seconds");
    assert!((1..=30).contains(&wait), "{wait}");

    // Claiming to be the owner's address in front of the proxy's entry does not help.
    let owner = "198.51.100.7";
    let forged = sign_in_from(&app, &format!("{owner}, "), attacker, "long-enough").await;
    assert_eq!(forged.status, StatusCode::TOO_MANY_REQUESTS);

    // The owner, elsewhere, signs in at once, over HTTPS: the cookie is Secure.
    let signed_in = sign_in_from(&app, "", owner, "long-enough").await;
    assert_eq!(signed_in.status, StatusCode::OK, "{}", signed_in.body);
    let cookie = signed_in
        .cookies
        .iter()
        .find(|cookie| cookie.starts_with("or_session="))
        .expect("a session cookie");
    assert!(cookie.contains("; Secure"), "{cookie}");
    assert!(
        signed_in
            .headers
            .get(header::STRICT_TRANSPORT_SECURITY)
            .is_some(),
        "HTTPS is remembered"
    );
}

/// Finding 7: every response forbids sniffing and framing; a page admits only the
/// scripts it carries the nonce of; plain HTTP gets no HSTS and no `Secure` cookie.
#[tokio::test(flavor = "multi_thread")]
async fn responses_carry_the_security_headers() {
    let app = TestApp::new().await;
    let page = app.get("/", None).await;
    assert_eq!(page.status, StatusCode::OK);
    let header_text = |reply: &Reply, name: header::HeaderName| {
        reply.header(name).unwrap_or_default().to_string()
    };
    let policy = header_text(&page, header::CONTENT_SECURITY_POLICY);
    assert!(policy.contains("frame-ancestors 'none'"));
    assert!(policy.contains("https://tile.openstreetmap.org"));
    // Every kind of render: a page, a page whose route answers 404 itself (rendered
    // whole before it is sent), and an address no route knows (the fallback's render).
    for path in ["/", "/problems/987654321", "/no-such-page"] {
        let reply = app.get(path, None).await;
        let policy = header_text(&reply, header::CONTENT_SECURITY_POLICY);
        let nonce = policy
            .split("'nonce-")
            .nth(1)
            .and_then(|rest| rest.split('\'').next())
            .unwrap_or_else(|| panic!("{path}: no nonce in {policy:?}"));
        assert!(nonce.len() >= 16, "{path}: {nonce}");
        let script_tags: Vec<&str> = reply
            .body
            .split("<script")
            .skip(1)
            .map(|rest| rest.split('>').next().unwrap_or_default())
            .collect();
        assert!(!script_tags.is_empty(), "{path}: no scripts");
        for tag in script_tags {
            assert!(
                tag.contains(&format!("nonce=\"{nonce}\"")),
                "{path}: a script without the policy's nonce: <script{tag}>"
            );
        }
    }
    let second = header_text(&app.get("/", None).await, header::CONTENT_SECURITY_POLICY);
    assert_ne!(second, policy, "a new nonce for every page");

    let data = app.get("/api/themes", None).await;
    for reply in [&page, &data] {
        assert_eq!(
            header_text(reply, header::X_CONTENT_TYPE_OPTIONS),
            "nosniff"
        );
        assert_eq!(header_text(reply, header::X_FRAME_OPTIONS), "DENY");
        assert_eq!(
            header_text(reply, header::REFERRER_POLICY),
            "strict-origin-when-cross-origin"
        );
        assert!(
            reply
                .headers
                .get(header::STRICT_TRANSPORT_SECURITY)
                .is_none()
        );
    }
    assert_eq!(
        header_text(&data, header::CONTENT_SECURITY_POLICY),
        platform::csp::DEFAULT_POLICY
    );
    let registered = app.register("plain@example.ru").await;
    let cookie = registered
        .cookies
        .iter()
        .find(|cookie| cookie.starts_with("or_session="))
        .expect("a session cookie");
    assert!(!cookie.contains("Secure"), "{cookie}");
}

/// Finding 6: the demo accounts, whose password is public, are never added to a database
/// in real use unless the operator insists.
#[tokio::test(flavor = "multi_thread")]
async fn demo_data_is_refused_on_a_database_with_real_accounts() {
    let app = TestApp::new().await;
    app.register("resident@example.ru").await;
    let seed = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_server"))
            .args(args)
            .env("DATABASE_URL", app.db.url())
            .env("OPEN_REGION_JOB_INTERVAL_SECS", "0")
            .output()
            .expect("the server binary runs")
    };
    let refused = seed(&["seed-demo"]);
    assert!(!refused.status.success());
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(said.contains("refusing to seed"), "{said}");
    assert_eq!(app.count("users").await, 1, "no demo account was added");

    let forced = seed(&["seed-demo", "--force"]);
    let said = String::from_utf8_lossy(&forced.stderr);
    assert!(forced.status.success(), "{said}");
    assert!(
        app.count("users WHERE email LIKE '%@openregion.demo'")
            .await
            > 0
    );
}

/// Finding 8: two admins revoking each other at once leave one admin, never none.
#[tokio::test(flavor = "multi_thread")]
async fn admins_revoking_each_other_at_once_leave_one() {
    let app = TestApp::new().await;
    let first = app.seeded_admin().await;
    let second = citizen(&app, "second-admin@example.ru").await;
    let id_of =
        async |cookie: &str| app.get("/api/auth/me", Some(cookie)).await.json()["id"].to_string();
    let (first_id, second_id) = (id_of(&first).await, id_of(&second).await);
    let granted = app
        .post(
            "/api/admin/roles/grant",
            &[
                ("user_id", &second_id),
                ("role", "admin"),
                ("department_id", ""),
            ],
            Some(&first),
        )
        .await;
    assert_eq!(granted.status, StatusCode::OK, "{}", granted.body);
    let admins = "user_roles WHERE role = 'admin'";
    assert_eq!(app.count(admins).await, 2);

    let revocations = [(&first, &second_id), (&second, &first_id)]
        .into_iter()
        .map(|(cookie, target)| {
            let form = [
                ("user_id", target.as_str()),
                ("role", "admin"),
                ("department_id", ""),
            ];
            common::form_request("/api/admin/roles/revoke", &form, Some(cookie))
        })
        .collect();
    let statuses = app.send_at_once(revocations).await;
    let won = statuses.iter().filter(|s| **s == StatusCode::OK).count();
    // The loser meets the last admin (422), or, when the winner committed first, is no
    // admin any more (403).
    let lost = statuses
        .iter()
        .filter(|s| {
            matches!(
                **s,
                StatusCode::UNPROCESSABLE_ENTITY | StatusCode::FORBIDDEN
            )
        })
        .count();
    assert_eq!((won, lost), (1, 1), "{statuses:?}");
    assert_eq!(app.count(admins).await, 1);
}

/// Finding 3: writes are counted per account (and address) across instances; the one
/// over the limit is refused with the wait and writes nothing.
#[tokio::test(flavor = "multi_thread")]
async fn problem_reports_are_limited_per_account_and_a_refused_one_writes_nothing() {
    let app = TestApp::new().await;
    let busy = citizen(&app, "busy@example.ru").await;
    for n in 0..10 {
        let reply = report_problem(&app, &busy, "").await;
        assert_eq!(reply.status, StatusCode::OK, "report {n}: {}", reply.body);
    }
    let refused = report_problem(&app, &busy, "").await;
    assert_eq!(
        refused.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        refused.body
    );
    assert_eq!(refused.json()["kind"], "rate_limited");
    assert!(
        refused.json()["retry_after_seconds"]
            .as_u64()
            .is_some_and(|s| s <= 3600)
    );
    assert_eq!(
        app.count("problems").await,
        10,
        "the refused report wrote nothing"
    );

    // The same account's Open311 key counts in the same bucket, and its refusal is the
    // spec's error document with the limit's status, not a server error.
    let key = app
        .post("/api/account/api-key/issue", &[], Some(&busy))
        .await
        .json();
    let key = key.as_str().expect("a new key");
    let themes = app.get("/api/themes", None).await.json();
    let service_code = themes[0]["slug"].as_str().expect("a theme");
    let open311 = Request::post("/open311/v2/requests.json")
        .header(header::HOST, "localhost")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!(
            "api_key={key}&service_code={service_code}&lat=45.0355&long=38.9753&description=Broken+bench+in+the+square"
        )))
        .expect("request");
    let refused = app.send(open311).await;
    assert_eq!(
        refused.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        refused.body
    );
    assert_eq!(refused.json()[0]["code"], 429);
    assert_eq!(app.count("problems").await, 10);

    let neighbour = citizen(&app, "neighbour@example.ru").await;
    let reply = report_problem(&app, &neighbour, "").await;
    assert_eq!(
        reply.status,
        StatusCode::OK,
        "another account is not held up"
    );
}

/// Fails when `page` carries any of the corpus' markup live.
fn assert_inert(page: &Reply, what: &str) {
    assert_eq!(page.status, StatusCode::OK, "{what}");
    for live in ["<script>alert", "<img src=x", "</title><script"] {
        if let Some(at) = page.body.find(live) {
            let context: String = page.body[at..].chars().take(400).collect();
            panic!("{what}: {live} came through: {context}");
        }
    }
}

/// What attackers and broken clients send through text fields.
const HOSTILE_TEXTS: &[&str] = &[
    "<script>alert(1)</script> скамейка",
    "\"><img src=x onerror=alert(1)> скамейка",
    "</title><script>alert(1)</script> скамейка",
    "'; DROP TABLE problems; -- скамейка",
    "' OR '1'='1' /* скамейка */",
    "Скамейка\u{200B}\u{200D}\u{FEFF} сломана",
    "\u{202E}акйемакс\u{202C} сломана",
    "{{7*7}} ${7*7} %s%n скамейка",
    "NUL\u{0}байт скамейка",
];

/// Issue 19's hostile-input corpus through a problem report and a comment: each text is
/// stored exactly as sent (beyond trimming) and shown as text on the problem's page, an
/// overlong one is refused with the field's reason, and bytes that are not UTF-8 are
/// refused; never a 5xx.
#[tokio::test(flavor = "multi_thread")]
async fn hostile_texts_are_stored_verbatim_and_shown_inert_or_refused() {
    let app = TestApp::configured(|config| config.rate_limits = false).await;
    app.seeded_admin().await;
    let author = citizen(&app, "author@example.ru").await;
    let theme = app.get("/api/themes", None).await.json()[0]["id"].to_string();
    for text in HOSTILE_TEXTS {
        let description = format!("{text} — подробности.");
        let reported = app
            .post(
                "/api/problems/report",
                &[
                    ("input[theme_id]", theme.as_str()),
                    ("input[lat]", "45.0355"),
                    ("input[lon]", "38.9753"),
                    ("input[address]", text),
                    ("input[title]", text),
                    ("input[description]", &description),
                ],
                Some(&author),
            )
            .await;
        assert_eq!(
            reported.status,
            StatusCode::OK,
            "{text:?}: {}",
            reported.body
        );
        let id = reported.json().to_string();
        let commented = app
            .post(
                "/api/problems/comment",
                &[("id", id.as_str()), ("comment", text)],
                Some(&author),
            )
            .await;
        assert_eq!(
            commented.status,
            StatusCode::OK,
            "{text:?}: {}",
            commented.body
        );
        let (problem, _viewer) = {
            let reply = app
                .get(&format!("/api/problem?id={id}"), Some(&author))
                .await
                .json();
            (reply[0].clone(), reply[1].clone())
        };
        assert_eq!(problem["summary"]["title"], text.trim(), "{problem}");
        assert_eq!(problem["summary"]["address"], text.trim(), "{problem}");
        assert_eq!(problem["description"], description.trim(), "{problem}");
        assert_eq!(problem["comments"][0]["body"], text.trim(), "{problem}");

        let page = app.get(&format!("/problems/{id}"), Some(&author)).await;
        assert_inert(&page, "the problem's page");
    }

    let overlong = "я".repeat(5_000);
    let refused = app
        .post(
            "/api/problems/report",
            &[
                ("input[theme_id]", theme.as_str()),
                ("input[lat]", "45.0355"),
                ("input[lon]", "38.9753"),
                ("input[address]", "ул. Красная, 1"),
                ("input[title]", &overlong),
                ("input[description]", "Скамейка в сквере сломана."),
            ],
            Some(&author),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        refused.json()["errors"][0]["field"],
        "title",
        "{}",
        refused.body
    );

    let not_utf8 = Request::post("/api/problems/comment")
        .header(header::HOST, "localhost")
        .header(header::ORIGIN, "http://localhost")
        .header(header::COOKIE, &author)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .body(Body::from(b"id=1&comment=%FF%FE%00".to_vec()))
        .expect("request");
    let comments_before = app.count("comments").await;
    let refused = app.send(not_utf8).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);
    assert_eq!(refused.json()["kind"], "bad_request");
    assert_eq!(
        app.count("comments").await,
        comments_before,
        "nothing was stored"
    );
}

/// Whether XML 1.0 can carry `c` at all.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}')
        || c >= '\u{10000}'
}

/// The corpus through the other forms and APIs that take a citizen's text: a display
/// name, a construction report, a dataset request, and an Open311 request read back as
/// JSON and XML. Each is stored exactly as sent (or refused with the field's reason),
/// pages show it as text, and the XML stays well-formed; never a 5xx.
#[tokio::test(flavor = "multi_thread")]
async fn hostile_texts_through_every_other_form_and_api_are_kept_and_inert() {
    let app = TestApp::configured(|config| config.rate_limits = false).await;
    app.seeded_admin().await;
    // Reports are public at once, so Open311 reads them back.
    app.execute("UPDATE themes SET premoderation = FALSE").await;
    let author = citizen(&app, "author@example.ru").await;
    let municipality = app.first_municipality().await;
    let services = app.get("/open311/v2/services.json", None).await.json();
    let service = services[0]["service_code"].as_str().expect("a service");
    for (number, text) in HOSTILE_TEXTS.iter().enumerate() {
        let kept = text.trim();
        let details = format!("{text} — подробности, забор на тротуаре.");

        let email = format!("hostile{number}@example.ru");
        let registered = app
            .post(
                "/api/auth/register",
                &[
                    ("email", email.as_str()),
                    ("password", "long-enough"),
                    ("display_name", text),
                    ("home_municipality_id", &municipality),
                ],
                None,
            )
            .await;
        match registered.status {
            StatusCode::OK => {
                let confirmed = app.confirm_mailed(&email).await;
                let cookie = confirmed.session_cookie().expect("a session");
                let me = app.get("/api/auth/me", Some(&cookie)).await.json();
                assert_eq!(me["display_name"], kept, "{me}");
            }
            StatusCode::UNPROCESSABLE_ENTITY => assert_eq!(
                registered.json()["errors"][0]["field"],
                "display_name",
                "{text:?}: {}",
                registered.body
            ),
            other => panic!(
                "{text:?}: registration answered {other}: {}",
                registered.body
            ),
        }

        let reported = app
            .post(
                "/api/constructions/reports/new",
                &[
                    ("input[kind]", "not_in_registry"),
                    ("input[lat]", "45.0412"),
                    ("input[lon]", "38.9801"),
                    ("input[address]", text),
                    ("input[description]", &details),
                ],
                Some(&author),
            )
            .await;
        assert_eq!(
            reported.status,
            StatusCode::OK,
            "{text:?}: {}",
            reported.body
        );
        let id = reported.json().to_string();
        let report = app
            .get(&format!("/api/constructions/report?id={id}"), Some(&author))
            .await
            .json();
        assert_eq!(report["summary"]["address"], kept, "{report}");
        assert_eq!(report["description"], details.trim(), "{report}");
        let page = app
            .get(&format!("/constructions/reports/{id}"), Some(&author))
            .await;
        assert_inert(&page, "the construction report's page");

        let title = format!("{text} набор");
        let requested = app
            .post(
                "/api/opendata/request",
                &[("title", title.as_str()), ("details", &details)],
                Some(&author),
            )
            .await;
        assert_eq!(
            requested.status,
            StatusCode::OK,
            "{text:?}: {}",
            requested.body
        );
        let requests = app.get("/api/opendata/requests", None).await.json();
        assert_eq!(requests[0]["title"], title.trim(), "{requests}");
        assert_eq!(requests[0]["details"], details.trim(), "{requests}");
        assert_inert(
            &app.get("/opendata", None).await,
            "the open-data page, which lists the requests",
        );

        let sent = app
            .post(
                "/open311/v2/requests.json",
                &[
                    ("api_key", "demo-open311-key-citizen"),
                    ("service_code", service),
                    ("lat", "45.0355"),
                    ("long", "38.9753"),
                    ("address_string", text),
                    ("description", &details),
                ],
                None,
            )
            .await;
        assert_eq!(sent.status, StatusCode::CREATED, "{text:?}: {}", sent.body);
        let id = sent.json()[0]["service_request_id"].to_string();
        let json = app
            .get(&format!("/open311/v2/requests/{id}.json"), None)
            .await;
        assert_eq!(json.status, StatusCode::OK, "{}", json.body);
        // Open311's description is the problem's title (cut from the text) and its text.
        let description = json.json()[0]["description"].clone();
        assert!(
            description
                .as_str()
                .is_some_and(|text| text.ends_with(details.trim())),
            "{description}"
        );
        let xml = app
            .get(&format!("/open311/v2/requests/{id}.xml"), None)
            .await;
        assert_eq!(xml.status, StatusCode::OK, "{}", xml.body);
        if let Some(bad) = xml.body.chars().find(|c| !is_xml_char(*c)) {
            panic!(
                "{text:?}: the XML carries {bad:?}, which XML cannot: {}",
                xml.body
            );
        }
        // The text reads back as sent, with what XML cannot carry replaced by U+FFFD.
        let element = xml
            .body
            .split_once("<description>")
            .and_then(|(_, rest)| rest.split_once("</description>"))
            .map(|(inside, _)| inside)
            .expect("a description");
        let read = quick_xml::escape::unescape(element).expect("well-formed escapes");
        let expected: String = details
            .trim()
            .chars()
            .map(|c| if is_xml_char(c) { c } else { '\u{FFFD}' })
            .collect();
        assert!(read.ends_with(&expected), "{read:?}");
    }
}
