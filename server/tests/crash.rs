//! Crash safety (issue 19): the server process, killed with SIGKILL while it commits a
//! registry import, leaves the registry either wholly without that import or wholly
//! with it, starts again cleanly, and lets the official finish the import.
//!
//! These tests run the real `server` binary over TCP against a real MariaDB.

mod common;

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::{check_form, registry_workbook};
use platform::db::testing::TestDb;
use serde_json::Value;

/// Entries in the imported workbook: enough that committing them takes a while.
const ENTRIES: u32 = 4_000;

/// A running `server` process on its own port.
struct ServerProcess {
    child: Child,
    base: String,
}

impl ServerProcess {
    /// Starts the server over `db` and waits until it answers `/healthz`.
    async fn start(db: &TestDb, scratch: &std::path::Path) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new(env!("CARGO_BIN_EXE_server"))
            .env("DATABASE_URL", db.url())
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
            .env("LEPTOS_OUTPUT_NAME", "open-region")
            .env("OPEN_REGION_RATE_LIMITS", "off")
            // The interrupted-import sweep runs with the scheduler's other jobs.
            .env("OPEN_REGION_JOB_INTERVAL_SECS", "1")
            .env("OPEN_REGION_IMPORT_DIR", scratch.join("imports"))
            .env("OPEN_REGION_MEDIA_DIR", scratch.join("media"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the server starts");
        let server = ServerProcess {
            child,
            base: format!("http://127.0.0.1:{port}"),
        };
        let client = reqwest::Client::new();
        for _ in 0..240 {
            let health = client.get(format!("{}/healthz", server.base)).send().await;
            if health.is_ok_and(|reply| reply.status().is_success()) {
                return server;
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        panic!("the server did not answer /healthz within 60 s");
    }

    /// A same-origin form POST to `path`, signed in with `cookie` when given.
    async fn post_form(
        &self,
        path: &str,
        form: &[(&str, &str)],
        cookie: Option<&str>,
    ) -> reqwest::Response {
        let mut request = reqwest::Client::new()
            .post(format!("{}{path}", self.base))
            .header("origin", &self.base)
            .header("accept", "application/json")
            .form(form);
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        request.send().await.expect("an answer")
    }

    /// SIGKILL: no shutdown, no flushing, no finishing the work in hand.
    fn kill(mut self) {
        self.child.kill().expect("kill -9");
        self.child.wait().expect("reaped");
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A client signed in as `cookie`, talking to one server.
struct Session<'a> {
    client: reqwest::Client,
    server: &'a ServerProcess,
    cookie: String,
}

impl Session<'_> {
    async fn form(&self, path: &str, form: &[(&str, &str)]) -> (u16, String) {
        let reply = self.server.post_form(path, form, Some(&self.cookie)).await;
        let status = reply.status().as_u16();
        (status, reply.text().await.expect("a body"))
    }

    async fn import_status(&self, id: &str) -> Value {
        let reply = self
            .client
            .get(format!(
                "{}/api/constructions/imports/status?id={id}",
                self.server.base
            ))
            .header("cookie", &self.cookie)
            .send()
            .await
            .expect("an answer");
        assert!(reply.status().is_success(), "status {}", reply.status());
        reply.json().await.expect("JSON")
    }

    /// Polls until the import's phase is not `phase`; returns the status.
    async fn past(&self, id: &str, phase: &str) -> Value {
        for _ in 0..3_000 {
            let status = self.import_status(id).await;
            if status["phase"] != phase {
                return status;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!("import {id} stayed {phase}");
    }

    /// Checks import `id` with the mapping the server detected.
    async fn check(&self, id: &str) {
        let status = self.import_status(id).await;
        let form = check_form(id, &status);
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let (code, body) = self.form("/api/constructions/imports/check", &form).await;
        assert_eq!(code, 200, "{body}");
        let checked = self.past(id, "checking").await;
        assert_eq!(checked["phase"], "checked", "{checked}");
    }
}

/// Signs in (registering first) an administrator, who edits the whole registry.
async fn administrator(db: &TestDb, server: &ServerProcess) -> String {
    let municipality = db_scalar(
        db,
        "SELECT CAST(MIN(id) AS SIGNED) AS n FROM municipalities",
    )
    .await
    .to_string();
    let reply = server
        .post_form(
            "/api/auth/register",
            &[
                ("email", "registrar@example.ru"),
                ("password", "long-enough"),
                ("display_name", "Регистратор"),
                ("home_municipality_id", municipality.as_str()),
            ],
            None,
        )
        .await;
    let cookie = session_cookie(reply);
    db_execute(
        db,
        "INSERT INTO user_roles (user_id, role, granted_at) \
         SELECT id, 'admin', NOW() FROM users WHERE email = 'registrar@example.ru'",
    )
    .await;
    cookie
}

async fn db_execute(db: &TestDb, sql: &str) {
    use diesel_async::RunQueryDsl;
    let mut conn = db.conn().await;
    diesel::sql_query(sql)
        .execute(&mut conn)
        .await
        .unwrap_or_else(|error| panic!("{sql}: {error}"));
}

async fn db_scalar(db: &TestDb, sql: &str) -> i64 {
    use diesel::sql_types::BigInt;
    use diesel_async::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Scalar {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let mut conn = db.conn().await;
    let row: Scalar = diesel::sql_query(sql)
        .get_result(&mut conn)
        .await
        .unwrap_or_else(|error| panic!("{sql}: {error}"));
    row.n
}

/// The registry entries of the workbook (numbered `HTTP-1`...).
async fn imported_entries(db: &TestDb) -> i64 {
    db_scalar(
        db,
        "SELECT COUNT(*) AS n FROM constructions WHERE registry_number LIKE 'HTTP-%'",
    )
    .await
}

fn scratch_directory() -> PathBuf {
    let directory = std::env::temp_dir().join(format!("open-region-crash-{}", std::process::id()));
    std::fs::create_dir_all(&directory).expect("a scratch directory");
    directory
}

#[tokio::test(flavor = "multi_thread")]
async fn an_import_killed_while_committing_is_all_or_nothing_and_can_be_finished() {
    let db = TestDb::new().await;
    let scratch = scratch_directory();
    let server = ServerProcess::start(&db, &scratch).await;
    let official = Session {
        client: reqwest::Client::new(),
        cookie: administrator(&db, &server).await,
        server: &server,
    };
    let workbook = registry_workbook(ENTRIES, "Краснодар");
    let uploaded = official
        .client
        .post(format!("{}/api/v1/constructions/imports", server.base))
        .header("origin", &server.base)
        .header("cookie", &official.cookie)
        .multipart(reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(workbook).file_name("registry.xlsx"),
        ))
        .send()
        .await
        .expect("an answer");
    assert_eq!(uploaded.status().as_u16(), 201);
    let id = uploaded.text().await.expect("the import's id");
    official.check(&id).await;

    assert_eq!(imported_entries(&db).await, 0);
    let (code, body) = official
        .form("/api/constructions/imports/commit", &[("id", id.as_str())])
        .await;
    assert_eq!(code, 200, "{body}");
    let mut committing = false;
    for _ in 0..500 {
        let phase = official.import_status(&id).await["phase"].clone();
        if phase == "committing" {
            committing = true;
            break;
        }
        assert_ne!(
            phase, "committed",
            "the commit ended before it could be interrupted"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(committing, "the commit never started");
    drop(official);
    server.kill();

    let after_kill = imported_entries(&db).await;
    assert!(
        after_kill == 0 || after_kill == i64::from(ENTRIES),
        "a killed commit left {after_kill} of {ENTRIES} entries"
    );
    let history = db_scalar(
        &db,
        &format!("SELECT COUNT(*) AS n FROM construction_changes WHERE import_id = {id}"),
    )
    .await;
    assert_eq!(history, after_kill, "history rows follow the entries");

    // The restarted server finds the import with a lapsed heartbeat and marks it failed
    // (the lapse is minutes; here it is made to have passed).
    db_execute(
        &db,
        &format!(
            "UPDATE registry_imports SET heartbeat_at = NOW() - INTERVAL 1 HOUR WHERE id = {id}"
        ),
    )
    .await;
    let server = ServerProcess::start(&db, &scratch).await;
    let official = Session {
        client: reqwest::Client::new(),
        cookie: official_cookie_again(&server).await,
        server: &server,
    };
    let status = official.past(&id, "committing").await;
    if after_kill == 0 {
        assert_eq!(status["phase"], "failed", "{status}");
        // A failed import is checked and committed again, from its kept file.
        official.check(&id).await;
        let (code, body) = official
            .form("/api/constructions/imports/commit", &[("id", id.as_str())])
            .await;
        assert_eq!(code, 200, "{body}");
        let committed = official.past(&id, "committing").await;
        assert_eq!(committed["phase"], "committed", "{committed}");
    } else {
        assert_eq!(status["phase"], "committed", "{status}");
    }
    assert_eq!(imported_entries(&db).await, i64::from(ENTRIES));
    drop(official);
    server.kill();
    let _ = std::fs::remove_dir_all(&scratch);
}

/// Signs the administrator in again (the session survives the restart, being stored in
/// the database; signing in proves the restarted server serves accounts too).
async fn official_cookie_again(server: &ServerProcess) -> String {
    let credentials = [
        ("email", "registrar@example.ru"),
        ("password", "long-enough"),
    ];
    let reply = server
        .post_form("/api/auth/login", &credentials, None)
        .await;
    session_cookie(reply)
}

/// The `name=value` of the session cookie a successful sign-in set.
fn session_cookie(reply: reqwest::Response) -> String {
    assert!(reply.status().is_success(), "{}", reply.status());
    reply
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find(|value| value.starts_with("or_session="))
        .and_then(|value| value.split(';').next())
        .expect("a session")
        .to_string()
}
