//! Departments' webhooks (issue 17): an admin configures a department's endpoint, a
//! problem routed to the department reaches a receiver on loopback as a signed event,
//! a failed delivery waits for its retry, and the log and a manual retry show and fix it;
//! a receiver that answers too late gets the event again; an HTTPS receiver is reached
//! only through a certificate authority the sender trusts.

use crate::common;

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use common::{TestApp, citizen, report_problem};
use platform::outbox::{Backoff, ClaimedEvent, Deliverer, deliver_due};
use platform::webhook::{self, WebhookSender};
use serde_json::Value;

const SECRET: &str = "a-shared-secret-of-sed";

/// The server's delivery as far as this test looks: webhook events go to the department,
/// the rest (the registration's mail, the officials' notices) count as sent.
struct WebhooksOnly(WebhookSender);

impl Deliverer for WebhooksOnly {
    async fn deliver(&self, event: &ClaimedEvent) -> Result<(), String> {
        if event.channel == "webhook" {
            self.0.deliver(event).await
        } else {
            Ok(())
        }
    }
}

/// What the receiver saw: each request's headers and body.
type Seen = Arc<Mutex<Vec<(HeaderMap, Bytes)>>>;

/// A department's system on loopback that fails its first request with a 500.
async fn receiver() -> (String, Seen) {
    let seen: Seen = Arc::default();
    let log = seen.clone();
    let app = Router::new().route(
        "/hook",
        post(move |headers: HeaderMap, body: Bytes| {
            let log = log.clone();
            async move {
                let mut log = log.lock().expect("lock");
                log.push((headers, body));
                if log.len() == 1 {
                    StatusCode::INTERNAL_SERVER_ERROR
                } else {
                    StatusCode::NO_CONTENT
                }
            }
        }),
    );
    (common::serve_hook(app).await, seen)
}

/// A new department named `slug` whose system takes `kinds` at `url`; its id.
async fn department_with_endpoint(app: &TestApp, slug: &str, url: &str, kinds: &str) -> i64 {
    app.execute(&format!(
        "INSERT INTO departments (slug, name_ru, name_en, level, is_active) \
         VALUES ('{slug}', 'Ведомство', 'Department', 'regional', TRUE)"
    ))
    .await;
    let department = app
        .scalar("SELECT CAST(MAX(id) AS SIGNED) AS n FROM departments")
        .await;
    app.execute(&format!(
        "INSERT INTO department_webhooks (department_id, url, secret, event_kinds, is_active, updated_at) \
         VALUES ({department}, '{url}', '{SECRET}', '{kinds}', TRUE, NOW())"
    ))
    .await;
    department
}

/// The department's delivery log as its admin reads it, newest first.
async fn delivery_log(app: &TestApp, admin: &str, department: &str) -> Value {
    app.get(
        &format!("/api/admin/departments/webhook/deliveries?id={department}"),
        Some(admin),
    )
    .await
    .json()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_routed_problem_reaches_the_departments_system_signed_and_a_failure_is_retried() {
    let app = TestApp::configured(|config| config.rate_limits = false).await;
    let admin = app.seeded_admin().await;
    app.execute("UPDATE themes SET premoderation = FALSE").await;
    // The demo history's own events (the demo departments have endpoints) are not this
    // test's subject.
    app.execute("DELETE FROM outbox_events").await;
    let theme = app.get("/api/themes", None).await.json()[0]["id"].to_string();
    let department = app
        .scalar(&format!(
            "SELECT CAST(r.department_id AS SIGNED) AS n FROM routing_rules r \
             JOIN municipalities m ON m.id = r.municipality_id \
             WHERE r.theme_id = {theme} AND m.slug = 'krasnodar'"
        ))
        .await
        .to_string();
    let (url, seen) = receiver().await;

    let refused = app
        .post(
            "/api/admin/departments/webhook/save",
            &[
                ("id", department.as_str()),
                ("url", "ftp://sed.example"),
                ("secret", "short"),
                ("event_kinds", "problem.routed problem.exploded"),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let answer = refused.json();
    let fields: Vec<&str> = answer["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|error| error["field"].as_str())
        .collect();
    assert_eq!(fields, ["url", "secret", "event_kinds"]);

    let saved = app
        .post(
            "/api/admin/departments/webhook/save",
            &[
                ("id", department.as_str()),
                ("url", url.as_str()),
                ("secret", SECRET),
                ("event_kinds", "problem.routed, problem.overdue"),
                ("active", "on"),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert_eq!(
        app.count("audit_log WHERE action = 'department.webhook' AND details NOT LIKE '%secret%'")
            .await,
        1,
        "audited, without the secret"
    );

    let author = citizen(&app, "resident@example.ru").await;
    let reported = report_problem(&app, &author, "").await;
    assert_eq!(reported.status, StatusCode::OK, "{}", reported.body);
    let problem = reported.json().as_u64().expect("the new problem's id");

    let sender = WebhooksOnly(WebhookSender::new(app.db.pool().clone(), None).expect("client"));
    let first = deliver_due(app.db.pool(), &sender, "run-1", Backoff::default(), 1000)
        .await
        .expect("run");
    assert_eq!(first.retrying, 1, "the 500 is retried later: {first:?}");
    assert_eq!(first.failed, 0);
    let log = delivery_log(&app, &admin, &department).await;
    assert_eq!(log[0]["kind"], "problem.routed");
    assert_eq!(log[0]["status"], "pending");
    assert_eq!(log[0]["last_error"], "HTTP 500");
    let delivery = log[0]["id"].to_string();

    // Not due yet; an admin's retry makes it due at once.
    deliver_due(app.db.pool(), &sender, "run-2", Backoff::default(), 1000)
        .await
        .expect("run");
    assert_eq!(
        seen.lock().expect("lock").len(),
        1,
        "not tried again before its time"
    );
    let retried = app
        .post(
            "/api/admin/departments/webhook/retry",
            &[("id", department.as_str()), ("delivery", delivery.as_str())],
            Some(&admin),
        )
        .await;
    assert_eq!(retried.status, StatusCode::OK, "{}", retried.body);
    deliver_due(app.db.pool(), &sender, "run-3", Backoff::default(), 1000)
        .await
        .expect("run");

    let seen = seen.lock().expect("lock").clone();
    assert_eq!(seen.len(), 2, "the failed attempt and the retry");
    let (headers, body) = &seen[1];
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    let now = chrono::Utc::now().timestamp();
    assert_eq!(
        webhook::verify(SECRET, &header("x-openregion-signature"), body, now, 300),
        Ok(())
    );
    assert_eq!(
        webhook::verify(
            "another-secret-000",
            &header("x-openregion-signature"),
            body,
            now,
            300
        ),
        Err(webhook::SignatureError::Mismatch)
    );
    let event: Value = serde_json::from_slice(body).expect("JSON");
    assert_eq!(event["kind"], "problem.routed");
    assert_eq!(header("x-openregion-event-id"), event["id"].to_string());
    assert_eq!(
        seen[0].0.get("x-openregion-event-id"),
        headers.get("x-openregion-event-id")
    );
    assert_eq!(event["data"]["problem_id"], problem);
    assert_eq!(event["data"]["title"], "Сломана скамейка");
    assert!(event["data"].get("author_id").is_none(), "no author");
    let log = delivery_log(&app, &admin, &department).await;
    assert_eq!(log[0]["status"], "delivered");
    assert_eq!(log[0]["attempts"], 2);
}

/// The example receiver in `scripts/` (what the README points integrators to) accepts a
/// signed delivery and refuses a forged or replayed one.
#[tokio::test(flavor = "multi_thread")]
async fn the_example_receiver_refuses_a_wrong_or_replayed_signature() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port();
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../scripts/webhook-receiver.py"
    );
    let mut receiver = std::process::Command::new("python3")
        .arg(script)
        .arg(port.to_string())
        .env("WEBHOOK_SECRET", SECRET)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("python3 runs the example receiver");
    // The workspace builds reqwest without a TLS provider of its own (see Cargo.toml).
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::new();
    let body = br#"{"id":7,"kind":"problem.routed","created_at":"2026-12-02T10:00:00Z","data":{}}"#;
    let send = |signature: String| {
        client
            .post(format!("http://127.0.0.1:{port}/"))
            .header("X-OpenRegion-Signature", signature)
            .body(body.to_vec())
            .send()
    };
    let now = chrono::Utc::now().timestamp();
    let mut status = None;
    for _ in 0..100 {
        if let Ok(reply) = send(webhook::sign(SECRET, now, body)).await {
            status = Some(reply.status().as_u16());
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let forged = send(webhook::sign("not-the-secret-at-all", now, body))
        .await
        .map(|reply| reply.status().as_u16());
    let replayed = send(webhook::sign(SECRET, now - 3600, body))
        .await
        .map(|reply| reply.status().as_u16());
    let _ = receiver.kill();
    let _ = receiver.wait();
    assert_eq!(status, Some(204), "a signed delivery is accepted");
    assert_eq!(forged.ok(), Some(401), "another secret");
    assert_eq!(replayed.ok(), Some(401), "signed an hour ago");
}

/// A department's system on loopback that answers its first request only after `delay`
/// and every later one at once; it records each event id it is sent.
async fn late_receiver(delay: std::time::Duration) -> (String, Arc<Mutex<Vec<String>>>) {
    let seen: Arc<Mutex<Vec<String>>> = Arc::default();
    let log = seen.clone();
    let app = Router::new().route(
        "/hook",
        post(move |headers: HeaderMap| {
            let log = log.clone();
            async move {
                let first = {
                    let mut log = log.lock().expect("lock");
                    let id = headers
                        .get(webhook::EVENT_ID_HEADER)
                        .and_then(|value| value.to_str().ok())
                        .unwrap_or_default()
                        .to_string();
                    log.push(id);
                    log.len() == 1
                };
                if first {
                    tokio::time::sleep(delay).await;
                }
                StatusCode::NO_CONTENT
            }
        }),
    );
    (common::serve_hook(app).await, seen)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_receiver_that_answers_too_late_gets_the_event_again_before_the_next_of_its_subject() {
    let app = TestApp::new().await;
    let (url, seen) = late_receiver(std::time::Duration::from_secs(2)).await;
    let department =
        department_with_endpoint(&app, "sed-late", &url, "problem.routed problem.reminder").await;
    let mut conn = app.db.conn().await;
    let mut events = Vec::new();
    for kind in ["problem.routed", "problem.reminder"] {
        let id = webhook::enqueue_for_department(
            &mut conn,
            platform::ids::DepartmentId(department as u64),
            kind,
            "problem:7",
            serde_json::json!({"problem_id": 7}),
            platform::clock::now(),
        )
        .await
        .expect("enqueue");
        events.push(id.0.to_string());
    }
    drop(conn);

    let sender = WebhookSender::with_timeout(
        app.db.pool().clone(),
        std::time::Duration::from_millis(300),
        None,
    )
    .expect("client");
    let first = deliver_due(app.db.pool(), &sender, "run-1", Backoff::default(), 100)
        .await
        .expect("run");
    assert_eq!(
        (first.delivered, first.retrying),
        (0, 1),
        "the late answer is a failed attempt, and the reminder waits behind it: {first:?}"
    );
    assert_eq!(
        app.count(&format!(
            "outbox_events WHERE id = {} AND status = 'pending' AND attempts = 1 \
             AND last_error LIKE 'no answer%' AND next_attempt_at > NOW()",
            events[0]
        ))
        .await,
        1
    );

    // Its backoff passes (moved into the past rather than waited for).
    app.execute("UPDATE outbox_events SET next_attempt_at = NOW() - INTERVAL 1 SECOND")
        .await;
    for run in ["run-2", "run-3"] {
        deliver_due(app.db.pool(), &sender, run, Backoff::default(), 100)
            .await
            .expect("run");
    }
    assert_eq!(
        app.count("outbox_events WHERE status = 'delivered'").await,
        2
    );
    assert_eq!(
        *seen.lock().expect("lock"),
        [events[0].clone(), events[0].clone(), events[1].clone()],
        "the late event again, then the next of its subject"
    );
}

/// `serve_hook` over TLS: accepts TCP connections on loopback and hands axum only those
/// that complete the handshake.
struct TlsListener {
    tcp: tokio::net::TcpListener,
    acceptor: tokio_rustls::TlsAcceptor,
}

impl axum::serve::Listener for TlsListener {
    type Io = tokio_rustls::server::TlsStream<tokio::net::TcpStream>;
    type Addr = std::net::SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            let Ok((stream, address)) = self.tcp.accept().await else {
                continue;
            };
            // A client that refuses the certificate ends here; the next one is awaited.
            if let Ok(tls) = self.acceptor.accept(stream).await {
                return (tls, address);
            }
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        self.tcp.local_addr()
    }
}

/// A department's system behind HTTPS on loopback, its certificate (for 127.0.0.1) issued
/// by a test authority as a state system's would be by a state authority: its URL, the
/// authority's certificate as PEM, and the bodies it received.
async fn https_receiver() -> (String, String, Arc<Mutex<Vec<Bytes>>>) {
    use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
    let mut authority = rcgen::CertificateParams::new(Vec::<String>::new()).expect("params");
    authority.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    authority
        .distinguished_name
        .push(rcgen::DnType::CommonName, "Test state root CA");
    let authority = rcgen::CertifiedIssuer::self_signed(
        authority,
        rcgen::KeyPair::generate().expect("authority key"),
    )
    .expect("authority");
    let key = rcgen::KeyPair::generate().expect("receiver key");
    let certificate = rcgen::CertificateParams::new(vec!["127.0.0.1".to_string()])
        .expect("params")
        .signed_by(&key, &authority)
        .expect("receiver certificate");
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("protocols")
    .with_no_client_auth()
    .with_single_cert(
        vec![certificate.der().clone()],
        PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
    )
    .expect("server config");
    let listener = TlsListener {
        tcp: tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind"),
        acceptor: tokio_rustls::TlsAcceptor::from(Arc::new(config)),
    };
    let address = listener.tcp.local_addr().expect("address");
    let seen: Arc<Mutex<Vec<Bytes>>> = Arc::default();
    let log = seen.clone();
    let app = Router::new().route(
        "/hook",
        post(move |body: Bytes| {
            let log = log.clone();
            async move {
                log.lock().expect("lock").push(body);
                StatusCode::NO_CONTENT
            }
        }),
    );
    tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("https://{address}/hook"), authority.pem(), seen)
}

#[tokio::test(flavor = "multi_thread")]
async fn an_https_endpoint_is_reached_only_through_a_trusted_certificate_authority() {
    let app = TestApp::new().await;
    let (url, authority_pem, seen) = https_receiver().await;
    let department = department_with_endpoint(&app, "sed-tls", &url, "problem.routed").await;
    let mut conn = app.db.conn().await;
    let event = webhook::enqueue_for_department(
        &mut conn,
        platform::ids::DepartmentId(department as u64),
        "problem.routed",
        "problem:9",
        serde_json::json!({"problem_id": 9}),
        platform::clock::now(),
    )
    .await
    .expect("enqueue");
    drop(conn);

    // The system store does not know the authority: the attempt fails, says why, and
    // the receiver gets nothing.
    let unaware = WebhookSender::new(app.db.pool().clone(), None).expect("client");
    let first = deliver_due(app.db.pool(), &unaware, "run-1", Backoff::default(), 100)
        .await
        .expect("run");
    assert_eq!((first.delivered, first.retrying), (0, 1), "{first:?}");
    assert_eq!(
        app.count(&format!(
            "outbox_events WHERE id = {} AND status = 'pending' AND attempts = 1 \
             AND last_error LIKE '%certificate%'",
            event.0
        ))
        .await,
        1,
        "the delivery log names the certificate as the cause"
    );
    assert!(seen.lock().expect("lock").is_empty());

    // With the authority configured (OPEN_REGION_WEBHOOK_CA_FILE), the retry arrives.
    assert!(
        WebhookSender::new(app.db.pool().clone(), Some(b"not a certificate")).is_err(),
        "a bundle without a certificate is refused at start"
    );
    let trusting =
        WebhookSender::new(app.db.pool().clone(), Some(authority_pem.as_bytes())).expect("client");
    app.execute(&format!(
        "UPDATE outbox_events SET next_attempt_at = NOW() WHERE id = {}",
        event.0
    ))
    .await;
    let second = deliver_due(app.db.pool(), &trusting, "run-2", Backoff::default(), 100)
        .await
        .expect("run");
    assert_eq!((second.delivered, second.retrying), (1, 0), "{second:?}");
    let bodies = seen.lock().expect("lock").clone();
    assert_eq!(bodies.len(), 1);
    let delivered: Value = serde_json::from_slice(&bodies[0]).expect("json");
    assert_eq!(delivered["id"].to_string(), event.0.to_string());
    assert_eq!(delivered["kind"], "problem.routed");
}
