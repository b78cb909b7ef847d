//! The test server shared by the integration tests: the real router over a private database.

use std::time::Duration;

use app::messages::live::LiveMessages;
use app::organisation::queries::RecentNames;
use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use http_body_util::BodyExt;
use leptos::prelude::LeptosOptions;
use platform::config::AppConfig;
use platform::db::testing::TestDb;
use platform::media::MediaStore;
use serde_json::Value;
use server::public_cache::PublicCache;
use server::{ServerState, router};
use tower::ServiceExt;

pub struct TestApp {
    pub db: TestDb,
    pub router: Router,
    state: ServerState,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub cookies: Vec<String>,
    pub body: String,
}

impl Reply {
    /// The value of header `name`, when it is there and is text.
    pub fn header(&self, name: impl axum::http::header::AsHeaderName) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|_| panic!("not JSON: {}", self.body))
    }

    /// The `name=value` of the session cookie this reply set.
    pub fn session_cookie(&self) -> Option<String> {
        self.cookies
            .iter()
            .find(|c| c.starts_with("or_session=") && !c.starts_with("or_session=;"))
            .and_then(|c| c.split(';').next())
            .map(str::to_string)
    }
}

impl TestApp {
    pub async fn new() -> Self {
        Self::configured(|_| {}).await
    }

    /// The test server with the default configuration changed by `configure`.
    pub async fn configured(configure: impl FnOnce(&mut AppConfig)) -> Self {
        Self::built(
            configure,
            Some(app::opendata::queries::Publisher::demo()),
            Duration::ZERO,
        )
        .await
    }

    /// The test server of a deployment that names no open-data publisher.
    pub async fn without_publisher() -> Self {
        Self::built(|_| {}, None, Duration::ZERO).await
    }

    /// The test server with the public cache of a real deployment, keeping anonymous
    /// answers (and the catalogue of names) for `window`. The other tests read back what
    /// they wrote straight into the database, so their server keeps nothing.
    pub async fn with_public_cache(window: Duration) -> Self {
        Self::built(
            |_| {},
            Some(app::opendata::queries::Publisher::demo()),
            window,
        )
        .await
    }

    /// This server with its own instruments (a configured metrics token, a scheduler
    /// spawned by the test).
    pub fn with_metrics(mut self, metrics: server::metrics::Metrics) -> Self {
        self.state.metrics = metrics;
        self.router = router(self.state.clone());
        self
    }

    /// A second instance of this server: its own router and public cache over the same
    /// database, as two instances behind a load balancer.
    pub fn second_instance(&self, window: Duration) -> Router {
        router(ServerState {
            public_cache: public_cache(window),
            names: RecentNames::new(window),
            live_messages: LiveMessages::new(self.state.pool.clone()),
            ..self.state.clone()
        })
    }

    async fn built(
        configure: impl FnOnce(&mut AppConfig),
        publisher: Option<app::opendata::queries::Publisher>,
        cache_window: Duration,
    ) -> Self {
        let db = TestDb::new().await;
        let mut config = AppConfig {
            media: MediaStore::in_directory(
                std::env::temp_dir().join(format!("open-region-media-{:016x}", rand_suffix())),
            ),
            import_dir: std::env::temp_dir()
                .join(format!("open-region-imports-{:016x}", rand_suffix())),
            ..AppConfig::default()
        };
        configure(&mut config);
        let leptos_options = LeptosOptions::builder()
            .output_name("open-region")
            .site_root("target/site")
            .build();
        let state = ServerState {
            publisher,
            recent: Default::default(),
            metrics: Default::default(),
            public_cache: public_cache(cache_window),
            names: RecentNames::new(cache_window),
            leptos_options,
            live_messages: LiveMessages::new(db.pool().clone()),
            pool: db.pool().clone(),
            config,
        };
        TestApp {
            router: router(state.clone()),
            state,
            db,
        }
    }

    pub async fn send(&self, request: Request<Body>) -> Reply {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("the router answers");
        let status = response.status();
        let headers = response.headers().clone();
        let cookies = response
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_string))
            .collect();
        // A stream of events lasts as long as the page; its opening is the answer.
        let streams = headers
            .get(header::CONTENT_TYPE)
            .is_some_and(|kind| kind.as_bytes().starts_with(b"text/event-stream"));
        let bytes = if streams {
            Default::default()
        } else {
            response
                .into_body()
                .collect()
                .await
                .expect("a body")
                .to_bytes()
        };
        Reply {
            status,
            headers,
            cookies,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn get(&self, path: &str, cookie: Option<&str>) -> Reply {
        let mut request = Request::get(path).header(header::HOST, "localhost");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        self.send(request.body(Body::empty()).expect("request"))
            .await
    }

    /// GETs `path` and returns the body's bytes as they are (a ZIP, an image); any
    /// status but success fails the test.
    pub async fn get_bytes(&self, path: &str, cookie: Option<&str>) -> Vec<u8> {
        let mut request = Request::get(path).header(header::HOST, "localhost");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        let response = self
            .router
            .clone()
            .oneshot(request.body(Body::empty()).expect("request"))
            .await
            .expect("the router answers");
        assert!(
            response.status().is_success(),
            "{path}: {}",
            response.status()
        );
        response
            .into_body()
            .collect()
            .await
            .expect("a body")
            .to_bytes()
            .to_vec()
    }

    pub async fn post(&self, path: &str, form: &[(&str, &str)], cookie: Option<&str>) -> Reply {
        self.send(form_request(path, form, cookie)).await
    }

    /// POSTs `body` as JSON (the encoding of server functions with structured input).
    pub async fn post_json(&self, path: &str, body: &Value, cookie: Option<&str>) -> Reply {
        let request = same_origin_post(path, "application/json", cookie)
            .body(Body::from(body.to_string()))
            .expect("request");
        self.send(request).await
    }

    /// Sends `requests` all at once; their statuses in the order they were given.
    pub async fn send_at_once(&self, requests: Vec<Request<Body>>) -> Vec<StatusCode> {
        let mut running = tokio::task::JoinSet::new();
        for (index, request) in requests.into_iter().enumerate() {
            let router = self.router.clone();
            running.spawn(async move {
                let response = router.oneshot(request).await.expect("the router answers");
                (index, response.status())
            });
        }
        let mut statuses = running.join_all().await;
        statuses.sort_by_key(|(index, _)| *index);
        statuses.into_iter().map(|(_, status)| status).collect()
    }

    pub async fn first_municipality(&self) -> String {
        let reply = self.get("/api/municipalities", None).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        reply.json()[0]["id"].to_string()
    }

    /// Sends the registration form for `email` (its answer never says whether the
    /// address has an account).
    pub async fn request_registration(&self, email: &str) -> Reply {
        let municipality = self.first_municipality().await;
        self.post(
            "/api/auth/register",
            &[
                ("email", email),
                ("password", "long-enough"),
                ("display_name", "Анна"),
                ("home_municipality_id", &municipality),
            ],
            None,
        )
        .await
    }

    /// Opens the last confirmation link mailed to `email`: the reply of the confirmation
    /// (the new user and a session cookie).
    pub async fn confirm_mailed(&self, email: &str) -> Reply {
        let mut conn = self.db.conn().await;
        let token = mailed_confirmation_token(&mut conn, email).await;
        self.post("/api/auth/confirm", &[("token", token.as_str())], None)
            .await
    }

    /// Registers `email` as a person does: sends the form, then opens the link mailed to
    /// the address. The reply of the confirmation (the new user and a session cookie).
    pub async fn register(&self, email: &str) -> Reply {
        let sent = self.request_registration(email).await;
        assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
        self.confirm_mailed(email).await
    }

    /// Loads the demo data, its photos into this app's media directory.
    pub async fn seed_demo(&self) {
        app::seed::seed_demo(self.db.pool(), &self.state.config.media)
            .await
            .expect("seed");
    }

    /// Loads the demo data and signs in as its admin; returns the session cookie.
    pub async fn seeded_admin(&self) -> String {
        self.seed_demo().await;
        let credentials = [
            ("email", "admin@openregion.demo"),
            ("password", app::seed::DEMO_PASSWORD),
        ];
        self.post("/api/auth/login", &credentials, None)
            .await
            .session_cookie()
            .expect("admin cookie")
    }

    /// Runs one SQL statement on the test database (for states no endpoint can make).
    pub async fn execute(&self, sql: &str) {
        use diesel_async::RunQueryDsl;
        let mut conn = self.db.conn().await;
        diesel::sql_query(sql)
            .execute(&mut conn)
            .await
            .unwrap_or_else(|error| panic!("{sql}: {error}"));
    }

    /// The rows of `table` (which may carry a `WHERE`).
    pub async fn count(&self, table: &str) -> i64 {
        self.scalar(&format!("SELECT COUNT(*) AS n FROM {table}"))
            .await
    }

    /// The number `sql` selects as `n` (cast to a signed integer).
    pub async fn scalar(&self, sql: &str) -> i64 {
        use diesel::sql_types::BigInt;
        use diesel_async::RunQueryDsl;
        #[derive(diesel::QueryableByName)]
        struct Scalar {
            #[diesel(sql_type = BigInt)]
            n: i64,
        }
        let mut conn = self.db.conn().await;
        let row: Scalar = diesel::sql_query(sql)
            .get_result(&mut conn)
            .await
            .unwrap_or_else(|error| panic!("{sql}: {error}"));
        row.n
    }
}

/// The seeded portal with every live open dataset published today, and the day as the
/// data files' names write it (`YYYYMMDD`).
pub async fn published() -> (TestApp, String) {
    published_on(TestApp::new().await).await
}

/// `app` seeded, with every live open dataset published today, and the day as in
/// `published`.
pub async fn published_on(app: TestApp) -> (TestApp, String) {
    use app::opendata::queries::{Datasets, Publisher};
    app.seeded_admin().await;
    let mut conn = app.db.conn().await;
    let now = platform::clock::now();
    Datasets::publish_all_live(&mut conn, &Publisher::demo(), now.date(), now)
        .await
        .expect("publication");
    (app, now.date().format("%Y%m%d").to_string())
}

/// A same-origin form POST, as the browser sends a server function's arguments.
pub fn form_request(path: &str, form: &[(&str, &str)], cookie: Option<&str>) -> Request<Body> {
    let body: String = form
        .iter()
        .map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v)))
        .collect::<Vec<_>>()
        .join("&");
    same_origin_post(path, "application/x-www-form-urlencoded", cookie)
        .body(Body::from(body))
        .expect("request")
}

/// A POST from the portal's own pages, answered as JSON.
fn same_origin_post(
    path: &str,
    content_type: &str,
    cookie: Option<&str>,
) -> axum::http::request::Builder {
    let request = Request::post(path)
        .header(header::HOST, "localhost")
        .header(header::ORIGIN, "http://localhost")
        .header(header::CONTENT_TYPE, content_type)
        .header(header::ACCEPT, "application/json");
    match cookie {
        Some(cookie) => request.header(header::COOKIE, cookie),
        None => request,
    }
}

/// A per-process-unique suffix for scratch directories.
fn rand_suffix() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    u64::from(std::process::id()) << 32 | NEXT.fetch_add(1, Ordering::Relaxed)
}

pub fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// The token of the last registration link mailed to `email`, read from the outbox as
/// the mailer would send it.
pub async fn mailed_confirmation_token(
    conn: &mut diesel_async::AsyncMysqlConnection,
    email: &str,
) -> String {
    use diesel::sql_types::Text;
    use diesel_async::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Payload {
        #[diesel(sql_type = Text)]
        payload: String,
    }
    let mail: Payload = diesel::sql_query(
        "SELECT payload FROM outbox_events \
         WHERE kind = 'account.confirm_registration' AND ordering_key = ? \
         ORDER BY id DESC LIMIT 1",
    )
    .bind::<Text, _>(format!("mail:{}", email.to_lowercase()))
    .get_result(conn)
    .await
    .unwrap_or_else(|error| panic!("no confirmation mailed to {email}: {error}"));
    let mail: Value = serde_json::from_str(&mail.payload).expect("a mail as JSON");
    let body = mail["body"].as_str().expect("a body");
    let (_, after) = body
        .split_once("/register/confirm?token=")
        .unwrap_or_else(|| panic!("no link in {body}"));
    after.chars().take_while(char::is_ascii_hexdigit).collect()
}

/// Registers a citizen; returns the session cookie.
pub async fn citizen(app: &TestApp, email: &str) -> String {
    app.register(email)
        .await
        .session_cookie()
        .expect("a session")
}

/// Reports a problem in Krasnodar as the user of `cookie`, with the staged photos of the
/// comma-separated `photos` tokens.
pub async fn report_problem(app: &TestApp, cookie: &str, photos: &str) -> Reply {
    let theme = app.get("/api/themes", None).await.json()[0]["id"].to_string();
    app.post(
        "/api/problems/report",
        &[
            ("input[theme_id]", theme.as_str()),
            ("input[lat]", "45.0355"),
            ("input[lon]", "38.9753"),
            ("input[address]", "ул. Красная, 1"),
            ("input[title]", "Сломана скамейка"),
            ("input[description]", "Скамейка в сквере сломана уже месяц."),
            ("input[photos]", photos),
        ],
        Some(cookie),
    )
    .await
}

/// Signs in a (seeded) account with the demo password; returns the session cookie.
pub async fn sign_in(app: &TestApp, email: &str) -> String {
    let credentials = [("email", email), ("password", app::seed::DEMO_PASSWORD)];
    app.post("/api/auth/login", &credentials, None)
        .await
        .session_cookie()
        .expect("a session")
}

/// Posts `bytes` as the multipart file field `field` to `path`, signed in with `cookie`.
pub async fn upload(app: &TestApp, path: &str, field: &str, bytes: &[u8], cookie: &str) -> Reply {
    let boundary = "----open-region-test";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"file.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let request = Request::post(path)
        .header(header::HOST, "localhost")
        .header(header::ORIGIN, "http://localhost")
        .header(header::COOKIE, cookie)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .expect("request");
    app.send(request).await
}

/// A small registry workbook with Russian headers: `rows` valid entries (numbered
/// `HTTP-1`...) in `municipality`.
pub fn registry_workbook(rows: u32, municipality: &str) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let headers = [
        "Реестровый номер",
        "Наименование объекта",
        "Адрес",
        "Широта",
        "Долгота",
        "Муниципальное образование",
        "Застройщик",
        "ИНН застройщика",
        "Номер разрешения",
        "Дата разрешения",
        "Кем выдано",
        "Разрешённое использование",
        "Этажность",
    ];
    for (column, header) in headers.iter().enumerate() {
        sheet
            .write_string(0, column as u16, *header)
            .expect("header");
    }
    for row in 1..=rows {
        let values = [
            format!("HTTP-{row}"),
            format!("Жилой дом № {row}"),
            format!("г. Краснодар, ул. Тестовая, {row}"),
            "45,04".to_string(),
            "38,97".to_string(),
            municipality.to_string(),
            "ООО «Тест»".to_string(),
            "7707083893".to_string(),
            format!("23-RU-{row}"),
            "14.03.2025".to_string(),
            "Департамент архитектуры".to_string(),
            "жилой дом".to_string(),
            "9".to_string(),
        ];
        for (column, value) in values.iter().enumerate() {
            sheet.write_string(row, column as u16, value).expect("cell");
        }
    }
    book.save_to_buffer().expect("workbook")
}

/// The form that checks registry import `id` with the column mapping its `status` shows
/// (the one the server detected).
pub fn check_form(id: &str, status: &Value) -> Vec<(String, String)> {
    let mapping = status["mapping"].as_array().expect("a mapping");
    let mut form = vec![("id".to_string(), id.to_string())];
    for (index, key) in mapping.iter().enumerate() {
        let key = key.as_str().unwrap_or_default().to_string();
        form.push((format!("mapping[{index}]"), key));
    }
    form
}

/// The passport form of a new uploaded dataset `code`, as the management page posts it.
pub fn passport(code: &str) -> [(&'static str, &str); 12] {
    [
        ("identifier", ""),
        ("form[code]", code),
        ("form[title_ru]", "Остановки"),
        ("form[title_en]", "Stops"),
        ("form[description_ru]", "Остановки транспорта"),
        ("form[description_en]", "Transport stops"),
        ("form[creator]", "Министерство транспорта"),
        ("form[subject]", "транспорт"),
        ("form[publisher_name]", "Петров П. П."),
        ("form[publisher_phone]", "+78612000000"),
        ("form[publisher_mbox]", "stops@example.test"),
        ("form[valid_days]", "30"),
    ]
}

/// A small PNG photo.
pub fn png() -> Vec<u8> {
    let image =
        image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([x as u8 * 4, y as u8 * 5, 120]));
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(image)
        .write_to(&mut out, image::ImageFormat::Png)
        .expect("encode");
    out.into_inner()
}

/// Serves `app` on a free loopback port for the rest of the test (a department's system
/// in the webhook tests) and returns the URL of its `/hook`.
pub async fn serve_hook(app: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{address}/hook")
}

/// A public cache keeping answers for `window`; zero turns it off.
fn public_cache(window: Duration) -> PublicCache {
    if window.is_zero() {
        PublicCache::off()
    } else {
        PublicCache::new(window, 16 * 1024 * 1024)
    }
}
