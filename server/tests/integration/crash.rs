//! Crash safety (issue 19): the server process, killed with SIGKILL while it commits a
//! registry import, leaves the registry either wholly without that import or wholly
//! with it, starts again cleanly, and lets the official finish the import; killed while
//! it publishes an open-data upload, the version is wholly absent and can be published
//! after the restart; killed while it takes photo uploads, it leaves every accepted
//! photo whole and no file that no row knows of; killed before it delivers a mail it
//! committed to the outbox, it delivers that mail after the restart. Two servers
//! delivering the same outbox send each webhook once, in order per subject, and when one
//! is killed mid-delivery the other delivers everything it held. A quarterly priority
//! rank snapshot killed while it is built leaves no part of itself, and the next run
//! builds it whole.
//!
//! These tests run the real `server` binary over TCP against a real MariaDB.

use crate::common;

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::{check_form, passport, png, registry_workbook};
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
        Self::start_with(db, scratch, &[]).await
    }

    /// Starts the server with the extra environment `settings`.
    async fn start_with(db: &TestDb, scratch: &std::path::Path, settings: &[(&str, &str)]) -> Self {
        // The workspace builds reqwest without a TLS provider of its own (see Cargo.toml);
        // the test's clients need one installed, as the server's webhook client does.
        let _ = rustls::crypto::ring::default_provider().install_default();
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
            .env("OPEN_REGION_MAIL_DIR", scratch.join("mail"))
            // The crash tests publish open data; the demo publisher names who does, so
            // they pass outside scripts/test too (which exports the same).
            .env("OPEN_REGION_OPENDATA_PUBLISHER", "demo")
            .envs(settings.iter().copied())
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
    staff(db, server, "admin").await
}

/// Signs in (registering first) a member of staff holding `role`.
async fn staff(db: &TestDb, server: &ServerProcess, role: &str) -> String {
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
    assert!(reply.status().is_success(), "registration refused");
    let token = {
        let mut conn = db.conn().await;
        common::mailed_confirmation_token(&mut conn, "registrar@example.ru").await
    };
    let reply = server
        .post_form("/api/auth/confirm", &[("token", token.as_str())], None)
        .await;
    let cookie = session_cookie(reply);
    db_execute(
        db,
        &format!(
            "INSERT INTO user_roles (user_id, role, granted_at) \
             SELECT id, '{role}', NOW() FROM users WHERE email = 'registrar@example.ru'"
        ),
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
    let mut conn = db.conn().await;
    scalar_on(&mut conn, sql).await
}

/// The number `sql` selects as `n`, asked on `conn`.
async fn scalar_on(conn: &mut diesel_async::AsyncMysqlConnection, sql: &str) -> i64 {
    use diesel::sql_types::BigInt;
    use diesel_async::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Scalar {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let row: Scalar = diesel::sql_query(sql)
        .get_result(conn)
        .await
        .unwrap_or_else(|error| panic!("{sql}: {error}"));
    row.n
}

async fn db_strings(db: &TestDb, sql: &str) -> Vec<String> {
    use diesel::sql_types::Text;
    use diesel_async::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Word {
        #[diesel(sql_type = Text)]
        s: String,
    }
    let mut conn = db.conn().await;
    let rows: Vec<Word> = diesel::sql_query(sql)
        .load(&mut conn)
        .await
        .unwrap_or_else(|error| panic!("{sql}: {error}"));
    rows.into_iter().map(|row| row.s).collect()
}

/// The registry entries of the workbook (numbered `HTTP-1`...).
async fn imported_entries(db: &TestDb) -> i64 {
    db_scalar(
        db,
        "SELECT COUNT(*) AS n FROM constructions WHERE registry_number LIKE 'HTTP-%'",
    )
    .await
}

/// A scratch directory of one test (the tests of this file run at once, in one process).
fn scratch_directory(test: &str) -> PathBuf {
    let directory =
        std::env::temp_dir().join(format!("open-region-crash-{}-{test}", std::process::id()));
    std::fs::create_dir_all(&directory).expect("a scratch directory");
    directory
}

#[tokio::test(flavor = "multi_thread")]
async fn an_import_killed_while_committing_is_all_or_nothing_and_can_be_finished() {
    let db = TestDb::new().await;
    let scratch = scratch_directory("import");
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

/// Uploads photos as `cookie` until told to stop; the staging tokens of the accepted ones.
async fn upload_photos(
    base: String,
    cookie: String,
    stop: tokio::sync::watch::Receiver<bool>,
) -> Vec<String> {
    let client = reqwest::Client::new();
    let mut accepted = Vec::new();
    while !*stop.borrow() {
        let form = reqwest::multipart::Form::new().part(
            "photo",
            reqwest::multipart::Part::bytes(png()).file_name("photo.png"),
        );
        let sent = client
            .post(format!("{base}/api/v1/photos"))
            .header("origin", &base)
            .header("cookie", &cookie)
            .multipart(form)
            .send()
            .await;
        // Once the server is killed, requests fail: those uploads were not accepted.
        let Ok(reply) = sent else { break };
        if reply.status().as_u16() != 201 {
            continue;
        }
        let Ok(body) = reply.json::<Value>().await else {
            break;
        };
        accepted.push(body["token"].as_str().expect("a token").to_string());
    }
    accepted
}

/// The media directory's file names.
fn media_files(scratch: &std::path::Path) -> std::collections::BTreeSet<String> {
    match std::fs::read_dir(scratch.join("media")) {
        Ok(entries) => entries
            .map(|entry| entry.expect("a directory entry").file_name())
            .map(|name| name.into_string().expect("a UTF-8 name"))
            .collect(),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Default::default(),
        Err(error) => panic!("the media directory: {error}"),
    }
}

/// The two files each of `keys` has.
fn files_of(keys: &[String]) -> std::collections::BTreeSet<String> {
    keys.iter()
        .flat_map(|key| [format!("{key}.jpg"), format!("{key}-thumb.jpg")])
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn photo_uploads_killed_midway_leave_accepted_photos_whole_and_no_unknown_files() {
    let db = TestDb::new().await;
    let scratch = scratch_directory("photos");
    let server = ServerProcess::start(&db, &scratch).await;
    let cookie = administrator(&db, &server).await;
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let uploaders: Vec<_> = (0..4)
        .map(|_| {
            tokio::spawn(upload_photos(
                server.base.clone(),
                cookie.clone(),
                stopped.clone(),
            ))
        })
        .collect();
    // Killed while four uploads are in flight, once a few have been accepted.
    let mut rounds = 0;
    while db_scalar(&db, "SELECT COUNT(*) AS n FROM photos").await < 12 {
        rounds += 1;
        assert!(rounds < 2_000, "fewer than 12 photos were staged in 10 s");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.kill();
    stop.send(true).expect("the uploaders listen");
    let mut accepted = Vec::new();
    for uploader in uploaders {
        accepted.extend(uploader.await.expect("an uploader"));
    }
    assert!(!accepted.is_empty(), "no upload was accepted");

    // Every accepted photo has its row and both files, the full image as long as the row
    // says.
    for token in &accepted {
        let rows = db_strings(
            &db,
            &format!(
                "SELECT CONCAT(file_key, ' ', bytes) AS s FROM photos WHERE token = '{token}'"
            ),
        )
        .await;
        let [row] = rows.as_slice() else {
            panic!("accepted photo {token} has {} rows", rows.len());
        };
        let (key, bytes) = row.split_once(' ').expect("key and size");
        let full = std::fs::metadata(scratch.join("media").join(format!("{key}.jpg")))
            .unwrap_or_else(|error| panic!("accepted photo {token}: {error}"));
        assert_eq!(
            full.len().to_string(),
            bytes,
            "accepted photo {token} is whole"
        );
        let thumb = std::fs::metadata(scratch.join("media").join(format!("{key}-thumb.jpg")))
            .unwrap_or_else(|error| panic!("accepted photo {token}'s thumbnail: {error}"));
        assert!(thumb.len() > 0);
    }
    // No file belongs to no row: whatever the kill interrupted is a staged row the
    // cleanup knows of.
    let keys = db_strings(&db, "SELECT file_key AS s FROM photos").await;
    let unknown: Vec<_> = media_files(&scratch)
        .difference(&files_of(&keys))
        .cloned()
        .collect();
    assert!(unknown.is_empty(), "files no row knows of: {unknown:?}");

    // The restarted server's cleanup removes the interrupted uploads (made old here) with
    // their files, and keeps the accepted ones.
    let quoted: Vec<String> = accepted.iter().map(|token| format!("'{token}'")).collect();
    db_execute(
        &db,
        &format!(
            "UPDATE photos SET created_at = NOW() - INTERVAL 2 DAY WHERE token NOT IN ({})",
            quoted.join(",")
        ),
    )
    .await;
    let server = ServerProcess::start(&db, &scratch).await;
    let accepted_count = i64::try_from(accepted.len()).expect("a count");
    for _ in 0..200 {
        if db_scalar(&db, "SELECT COUNT(*) AS n FROM photos").await == accepted_count {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let keys = db_strings(&db, "SELECT file_key AS s FROM photos").await;
    assert_eq!(
        keys.len(),
        accepted.len(),
        "only the accepted photos remain"
    );
    assert_eq!(media_files(&scratch), files_of(&keys));
    server.kill();
    let _ = std::fs::remove_dir_all(&scratch);
}

/// Rows of the published open-data file: enough that publishing takes a while (60,000
/// took under a second in a debug build, too fast to catch reliably).
const DATASET_ROWS: u32 = 250_000;

/// How many rows of the open-data crash test's dataset are published, in how many versions.
async fn published(db: &TestDb) -> (i64, i64) {
    let scope = "FROM dataset_versions v JOIN datasets d ON d.id = v.dataset_id \
                 WHERE d.code = 'crash'";
    let versions = db_scalar(db, &format!("SELECT COUNT(*) AS n {scope}")).await;
    let rows = db_scalar(
        db,
        &format!(
            "SELECT COUNT(*) AS n FROM dataset_rows WHERE version_id IN (SELECT v.id {scope})"
        ),
    )
    .await;
    (versions, rows)
}

/// Whether the publication has written rows of the test's dataset that it has not
/// committed yet (`conn` reads uncommitted data).
async fn publication_is_writing(conn: &mut diesel_async::AsyncMysqlConnection) -> bool {
    let written = scalar_on(
        conn,
        "SELECT COUNT(*) AS n FROM dataset_rows r \
         JOIN dataset_versions v ON v.id = r.version_id \
         JOIN datasets d ON d.id = v.dataset_id WHERE d.code = 'crash'",
    )
    .await;
    written > 0
}

/// Asks the server at `base` to publish upload `preview` with the columns it proposed.
async fn publish(
    base: String,
    cookie: String,
    preview: Value,
) -> reqwest::Result<reqwest::Response> {
    let mut columns = preview["columns"].clone();
    for column in columns.as_array_mut().expect("columns") {
        column["english"] = Value::from(format!("{} (en)", column["russian"]));
    }
    let body =
        serde_json::json!({ "id": preview["id"], "columns": columns, "coordinates": [1, 2] });
    reqwest::Client::new()
        .post(format!("{base}/api/opendata/manage/publish-upload"))
        .header("origin", &base)
        .header("cookie", cookie)
        .json(&body)
        .send()
        .await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_publication_killed_midway_leaves_no_version_and_can_be_published_again() {
    let db = TestDb::new().await;
    let scratch = scratch_directory("opendata");
    let server = ServerProcess::start(&db, &scratch).await;
    let moderator = staff(&db, &server, "moderator").await;
    let created = server
        .post_form(
            "/api/opendata/manage/save-passport",
            &passport("crash"),
            Some(&moderator),
        )
        .await;
    assert_eq!(created.status().as_u16(), 200);
    let identifier: String = created.json().await.expect("an identifier");
    let mut csv = String::from("Название;Широта;Долгота\n");
    for number in 0..DATASET_ROWS {
        csv.push_str(&format!(
            "Объект {number};45,{:04};38,{:04}\n",
            number % 10_000,
            (number * 7) % 10_000
        ));
    }
    let staged = reqwest::Client::new()
        .post(format!(
            "{}/api/v1/opendata/{identifier}/uploads",
            server.base
        ))
        .header("origin", &server.base)
        .header("cookie", &moderator)
        .multipart(reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(csv.into_bytes()).file_name("crash.csv"),
        ))
        .send()
        .await
        .expect("an answer");
    assert_eq!(staged.status().as_u16(), 201);
    let preview: Value = staged.json().await.expect("the upload's preview");

    // Killed once the publishing transaction has written rows (the database lists it).
    let publishing = tokio::spawn(publish(
        server.base.clone(),
        moderator.clone(),
        preview.clone(),
    ));
    let mut watcher = db.conn().await;
    {
        use diesel_async::RunQueryDsl;
        diesel::sql_query("SET SESSION TRANSACTION ISOLATION LEVEL READ UNCOMMITTED")
            .execute(&mut watcher)
            .await
            .expect("dirty reads");
    }
    let mut rounds = 0;
    while !publication_is_writing(&mut watcher).await {
        rounds += 1;
        assert!(rounds < 30_000, "the publication never started writing");
        if publishing.is_finished() {
            let answer = match publishing.await.expect("the request task") {
                Ok(reply) => format!(
                    "{}: {}",
                    reply.status(),
                    reply.text().await.unwrap_or_default()
                ),
                Err(error) => error.to_string(),
            };
            panic!("the publication ended before it could be interrupted: {answer}");
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    server.kill();
    let answer = publishing.await.expect("the request task");
    assert!(answer.is_err(), "the killed server answered");

    let (versions, rows) = published(&db).await;
    assert_eq!(
        (versions, rows),
        (0, 0),
        "a killed publication left part of a version"
    );
    let status = db_strings(
        &db,
        &format!(
            "SELECT status AS s FROM dataset_uploads WHERE id = {}",
            preview["id"]
        ),
    )
    .await;
    assert_eq!(status, ["staged"]);

    // The restarted server publishes the same upload, whole.
    let server = ServerProcess::start(&db, &scratch).await;
    let reply = publish(server.base.clone(), moderator, preview)
        .await
        .expect("an answer");
    assert_eq!(reply.status().as_u16(), 200);
    let outcome: Value = reply.json().await.expect("JSON");
    assert_eq!(outcome["outcome"]["outcome"], "published", "{outcome}");
    assert_eq!(published(&db).await, (1, i64::from(DATASET_ROWS)));
    server.kill();
    let _ = std::fs::remove_dir_all(&scratch);
}

/// The mail files in `scratch`'s mail directory addressed to `to`.
fn mails_to(scratch: &std::path::Path, to: &str) -> usize {
    std::fs::read_dir(scratch.join("mail"))
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter_map(|entry| std::fs::read_to_string(entry.path()).ok())
                .filter(|text| text.contains(&format!("To: {to}")))
                .count()
        })
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_mail_committed_before_a_kill_is_delivered_after_the_restart() {
    let db = TestDb::new().await;
    let scratch = scratch_directory("outbox");
    // Delivery off: the registration's mail stays in the outbox when the server dies.
    let server =
        ServerProcess::start_with(&db, &scratch, &[("OPEN_REGION_OUTBOX_POLL_MS", "0")]).await;
    let municipality = db_scalar(
        &db,
        "SELECT CAST(MIN(id) AS SIGNED) AS n FROM municipalities",
    )
    .await
    .to_string();
    let sent = server
        .post_form(
            "/api/auth/register",
            &[
                ("email", "late@example.ru"),
                ("password", "long-enough"),
                ("display_name", "Поздний"),
                ("home_municipality_id", municipality.as_str()),
            ],
            None,
        )
        .await;
    assert_eq!(sent.status().as_u16(), 200);
    server.kill();
    let pending = "SELECT COUNT(*) AS n FROM outbox_events WHERE status = 'pending'";
    assert_eq!(db_scalar(&db, pending).await, 1);
    assert_eq!(mails_to(&scratch, "late@example.ru"), 0);

    let _restarted = ServerProcess::start(&db, &scratch).await;
    for _ in 0..100 {
        if mails_to(&scratch, "late@example.ru") == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(mails_to(&scratch, "late@example.ru"), 1, "delivered once");
    let delivered = "SELECT COUNT(*) AS n FROM outbox_events WHERE status = 'delivered'";
    for _ in 0..50 {
        if db_scalar(&db, delivered).await == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(db_scalar(&db, delivered).await, 1);
    assert_eq!(db_scalar(&db, pending).await, 0);
}

/// What a department's system received: each event id with its subject's counter.
type Receipts = std::sync::Arc<std::sync::Mutex<Vec<(u64, u64, u64)>>>;

/// A department's system on loopback that takes `delay` over each delivery and records
/// (event id, subject, sequence number within the subject).
async fn slow_receiver(delay: Duration) -> (String, Receipts) {
    use axum::http::HeaderMap;
    let receipts: Receipts = Receipts::default();
    let log = receipts.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: HeaderMap, body: axum::body::Bytes| {
            let log = log.clone();
            async move {
                tokio::time::sleep(delay).await;
                let id: u64 = headers[platform::webhook::EVENT_ID_HEADER]
                    .to_str()
                    .ok()
                    .and_then(|text| text.parse().ok())
                    .expect("an event id");
                let event: Value = serde_json::from_slice(&body).expect("json");
                let subject = event["data"]["subject"].as_u64().expect("a subject");
                let sequence = event["data"]["sequence"].as_u64().expect("a sequence");
                log.lock().expect("lock").push((id, subject, sequence));
                axum::http::StatusCode::NO_CONTENT
            }
        }),
    );
    (common::serve_hook(app).await, receipts)
}

#[tokio::test(flavor = "multi_thread")]
async fn two_servers_deliver_each_webhook_once_in_order_and_a_killed_ones_events_are_not_lost() {
    const SUBJECTS: u64 = 20;
    const EVENTS: u64 = 300;
    let db = TestDb::new().await;
    let scratch = scratch_directory("two-servers");
    let (url, receipts) = slow_receiver(Duration::from_millis(20)).await;
    db_execute(
        &db,
        "INSERT INTO departments (slug, name_ru, name_en, level, is_active) \
         VALUES ('sed-test', 'Ведомство', 'Department', 'regional', TRUE)",
    )
    .await;
    let department = db_scalar(&db, "SELECT CAST(MAX(id) AS SIGNED) AS n FROM departments").await;
    db_execute(
        &db,
        &format!(
            "INSERT INTO department_webhooks (department_id, url, secret, event_kinds, is_active, updated_at) \
             VALUES ({department}, '{url}', 'a-secret-of-sixteen-plus', 'problem.routed', TRUE, NOW())"
        ),
    )
    .await;
    // Committed before any server runs: both find the whole backlog due at once.
    let mut conn = db.conn().await;
    for n in 0..EVENTS {
        let subject = n % SUBJECTS;
        platform::webhook::enqueue_for_department(
            &mut conn,
            platform::ids::DepartmentId(department as u64),
            "problem.routed",
            &format!("problem:{subject}"),
            serde_json::json!({"subject": subject, "sequence": n / SUBJECTS}),
            platform::clock::now(),
        )
        .await
        .expect("enqueue");
    }
    drop(conn);

    let fast_poll = [("OPEN_REGION_OUTBOX_POLL_MS", "100")];
    let first = ServerProcess::start_with(&db, &scratch, &fast_poll).await;
    let second = ServerProcess::start_with(&db, &scratch, &fast_poll).await;
    let received = || receipts.lock().expect("lock").clone();
    // kill -9 mid-delivery: once a third has arrived, at a moment the first server holds
    // several claimed events (each takes the receiver 20 ms, so it is still sending them).
    // Which server claims what is up to their polling, so the test waits for that moment
    // instead of assuming it.
    let killed = format!(
        "{}-{}-",
        std::env::var("HOSTNAME").unwrap_or_else(|_| "server".into()),
        first.child.id()
    );
    let held_by_first = format!(
        "SELECT COUNT(*) AS n FROM outbox_events WHERE status = 'pending' \
         AND claimed_by LIKE '{killed}%'"
    );
    let mut ready = false;
    for _ in 0..1500 {
        if received().len() as u64 >= EVENTS / 3 && db_scalar(&db, &held_by_first).await >= 3 {
            ready = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    first.kill();
    let before_kill = received();
    assert!(
        ready,
        "{} delivered; the first server never held three events at once",
        before_kill.len()
    );
    let mut ids: Vec<u64> = before_kill.iter().map(|(id, _, _)| *id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(
        ids.len(),
        before_kill.len(),
        "an event was sent twice while both ran"
    );

    // Its claims would lapse after five minutes, which the test skips by moving their
    // expiry into the past (the other server's claims untouched).
    let held = db_scalar(&db, &held_by_first).await;
    assert!(
        held > 0,
        "the killed server held no event: it was not killed mid-delivery"
    );
    db_execute(
        &db,
        &format!(
            "UPDATE outbox_events SET claimed_until = NOW() - INTERVAL 1 SECOND \
             WHERE status = 'pending' AND claimed_by LIKE '{killed}%'"
        ),
    )
    .await;
    let delivered = "SELECT COUNT(*) AS n FROM outbox_events WHERE status = 'delivered'";
    for _ in 0..600 {
        if db_scalar(&db, delivered).await as u64 == EVENTS {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        db_scalar(&db, delivered).await as u64,
        EVENTS,
        "{held} were held by the killed server"
    );
    drop(second);

    let all = received();
    let mut distinct: Vec<u64> = all.iter().map(|(id, _, _)| *id).collect();
    distinct.sort_unstable();
    distinct.dedup();
    assert_eq!(distinct.len() as u64, EVENTS, "every event arrived");
    // At least once: only an event the killed server was sending when it died may arrive
    // twice (the receiver deduplicates by id).
    assert!(
        all.len() as u64 - EVENTS <= 1,
        "{} repeated deliveries",
        all.len() as u64 - EVENTS
    );
    // In order per subject: each subject's sequence numbers first arrive ascending.
    for subject in 0..SUBJECTS {
        let mut seen = Vec::new();
        for (_, from, sequence) in &all {
            if *from == subject && !seen.contains(sequence) {
                seen.push(*sequence);
            }
        }
        let mut sorted = seen.clone();
        sorted.sort_unstable();
        assert_eq!(seen, sorted, "subject {subject} out of order");
    }
}

/// People who gave all five votes in the quarter whose snapshot build is killed: enough
/// votes (250,000) that the build is caught between its claim and its commit.
const SNAPSHOT_VOTERS: u32 = 50_000;

/// Runs `server clock --priorities --at 2026-04-05T10:00:00Z` over `db`: it builds the
/// snapshot of the first quarter of 2026, which has just ended.
fn priority_clock(db: &TestDb) -> Child {
    Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["clock", "--priorities", "--at", "2026-04-05T10:00:00Z"])
        .env("DATABASE_URL", db.url())
        .env("OPEN_REGION_OPENDATA_PUBLISHER", "demo")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the clock starts")
}

/// Rows of the committed snapshots: (snapshots, scopes, rank rows).
async fn priority_snapshot_rows(db: &TestDb) -> (i64, i64, i64) {
    (
        db_scalar(db, "SELECT COUNT(*) AS n FROM priority_rank_snapshots").await,
        db_scalar(db, "SELECT COUNT(*) AS n FROM priority_rank_scopes").await,
        db_scalar(db, "SELECT COUNT(*) AS n FROM priority_rank_rows").await,
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn a_priority_snapshot_killed_while_built_leaves_none_and_the_next_run_builds_it_whole() {
    let db = TestDb::new().await;
    // Five open regional priorities; the voters live in every municipality in turn and
    // each gave all five votes in the first quarter of 2026.
    db_execute(
        &db,
        "INSERT INTO priorities (municipality_id, theme_id, title, description, status, \
         decision_reason, created_at, updated_at) \
         SELECT NULL, (SELECT MIN(id) FROM themes), CONCAT('Приоритет ', n), 'Описание', \
         'open', '', '2025-12-01', '2025-12-01' \
         FROM (SELECT 1 AS n UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 \
         UNION ALL SELECT 5) five",
    )
    .await;
    let digits = "(SELECT 0 AS d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 \
                  UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 \
                  UNION ALL SELECT 8 UNION ALL SELECT 9)";
    db_execute(
        &db,
        &format!(
            "INSERT INTO users (email, password_hash, display_name, home_municipality_id, \
             locale, created_at, password_changed_at, mail_work_notices, mail_followed_notices) \
             SELECT CONCAT('voter', n, '@crash.test'), '-', CONCAT('Избиратель ', n), m.id, \
             'ru', '2025-12-01', '2025-12-01', FALSE, FALSE \
             FROM (SELECT a.d + 10 * b.d + 100 * c.d + 1000 * e.d + 10000 * f.d AS n \
                   FROM {digits} a, {digits} b, {digits} c, {digits} e, {digits} f) numbers \
             JOIN (SELECT id, ROW_NUMBER() OVER (ORDER BY id) - 1 AS k FROM municipalities) m \
               ON m.k = numbers.n MOD (SELECT COUNT(*) FROM municipalities) \
             WHERE n < {SNAPSHOT_VOTERS}"
        ),
    )
    .await;
    db_execute(
        &db,
        "INSERT INTO priority_votes (user_id, priority_id, quarter, municipality_id, created_at) \
         SELECT u.id, p.id, '2026-01-01', u.home_municipality_id, '2026-02-01' \
         FROM users u CROSS JOIN priorities p WHERE u.email LIKE '%@crash.test'",
    )
    .await;
    let votes = db_scalar(&db, "SELECT COUNT(*) AS n FROM priority_votes").await;
    assert_eq!(votes, i64::from(SNAPSHOT_VOTERS) * 5);

    // Killed once the build has claimed the quarter (its uncommitted row is visible to a
    // dirty read) and before it commits.
    let mut build = priority_clock(&db);
    let mut watcher = db.conn().await;
    {
        use diesel_async::RunQueryDsl;
        diesel::sql_query("SET SESSION TRANSACTION ISOLATION LEVEL READ UNCOMMITTED")
            .execute(&mut watcher)
            .await
            .expect("dirty reads");
    }
    let claimed = "SELECT COUNT(*) AS n FROM priority_rank_snapshots";
    let mut rounds = 0;
    while scalar_on(&mut watcher, claimed).await == 0 {
        rounds += 1;
        assert!(rounds < 30_000, "the build never claimed the quarter");
        if let Some(status) = build.try_wait().expect("the clock's status") {
            panic!("the build ended ({status}) before it could be interrupted");
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    build.kill().expect("kill -9");
    build.wait().expect("the killed clock");
    // The watcher goes back to the pool: it must not lend its dirty reads to the checks
    // below, which would see the killed transaction's rows until the server rolls it back.
    {
        use diesel_async::RunQueryDsl;
        diesel::sql_query("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            .execute(&mut watcher)
            .await
            .expect("committed reads");
    }
    drop(watcher);
    assert_eq!(
        priority_snapshot_rows(&db).await,
        (0, 0, 0),
        "a killed build left part of a snapshot"
    );

    // The next run (it waits for the killed one's rollback on the quarter's key).
    let status = priority_clock(&db).wait().expect("the clock runs");
    assert!(status.success(), "the clock failed: {status}");
    let (snapshots, scopes, rows) = priority_snapshot_rows(&db).await;
    assert_eq!(snapshots, 1);
    let municipalities = db_scalar(
        &db,
        "SELECT COUNT(DISTINCT municipality_id) AS n FROM priority_votes",
    )
    .await;
    assert_eq!(
        scopes,
        municipalities + 1,
        "the region and each municipality"
    );
    assert_eq!(rows, scopes * 5, "each scope ranks the five priorities");
    let counted = db_scalar(
        &db,
        "SELECT CAST(votes AS SIGNED) AS n FROM priority_rank_snapshots",
    )
    .await;
    assert_eq!(counted, votes);
    let region = db_scalar(
        &db,
        "SELECT CAST(SUM(votes) AS SIGNED) AS n FROM priority_rank_rows WHERE scope_id = 0",
    )
    .await;
    assert_eq!(region, votes, "the region's rows count every vote");
}
