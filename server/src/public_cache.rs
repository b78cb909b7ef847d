//! The public cache: pages, data and documents as anonymous readers get them, kept in
//! memory for a short window (a second by default), so that a page read by thousands costs
//! one render per window instead of one per reader.
//!
//! What it keeps: successful (`200`) answers to `GET`s from visitors without a session,
//! an API key or credentials, whose body is text, JSON or XML of at most
//! `MAX_ANSWER_BYTES`, not compressed, that set no cookie and do not ask not to be
//! stored. Signed-in requests never read from it and never fill it. The key is the
//! address with its query and the two inputs of the language (the `lang` cookie for
//! pages, `Accept-Language` for the APIs).
//!
//! How stale it can be: a successful write through this instance (any other method than
//! `GET`, `HEAD` and `OPTIONS`, except the read-only CKAN API) forgets every kept answer
//! at once, and a render that began before it is not kept, so its writer and everyone
//! after see it; a write through another instance or
//! by a scheduled job shows within the window. Writers are signed in and bypass the cache
//! anyway. Every kept answer says its `Age` and carries an `ETag` (its handler's, when it
//! has one, as open-data files do, with their `Last-Modified`), and a client that holds it
//! gets `304 Not Modified`.
//!
//! A page's inline scripts carry the render's CSP nonce; every reader of one kept render
//! shares it. That is safe: the nonce is drawn when the content is rendered, so no
//! injected text can know it, and each render draws a new one. The `ETag` of a page is
//! taken with the nonce left out, so a page that did not change keeps its tag across
//! renders; a `304` carries no `Content-Security-Policy`, and the client keeps the policy
//! (and nonce) of the copy it holds.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use app::auth::session::SESSION_COOKIE;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use platform::conditional::{content_etag, not_modified, parse_http_date};
use platform::cookies;
use platform::i18n::Locale;
use platform::recent::{Answer, RecentAnswers};
use tokio::sync::OnceCell;
use tokio_stream::StreamExt;

/// The largest body kept: lists and pages are tens of kilobytes; bigger answers are files
/// with their own caching (exports, data files).
pub const MAX_ANSWER_BYTES: usize = 2 * 1024 * 1024;

/// Paths never served from memory: health and metrics must be live, and the bundle,
/// Leaflet and media are files with their own validators (and compressed copies).
const PASSING_PREFIXES: [&str; 5] = ["/healthz", "/metrics", "/pkg/", "/vendor/", "/media/"];

/// Says which answer came from memory (`hit`) and which was rendered and kept (`miss`);
/// absent on answers the cache did not touch.
pub const CACHE_STATUS: &str = "x-cache";

/// The anonymous readers' answers of one server instance.
#[derive(Debug, Clone)]
pub struct PublicCache {
    answers: RecentAnswers,
    /// The renders under way, by key: readers who miss the same answer at once wait for
    /// one render instead of each rendering it (at a window's end, every connection of a
    /// busy page misses together).
    filling: Arc<Mutex<HashMap<String, Arc<Filling>>>>,
    /// How many writes this instance has seen: a render that began before a write is not
    /// kept, since it may hold what the write changed.
    writes: Arc<AtomicU64>,
}

/// One render under way: its answer when it may be kept, `None` when it may not.
type Filling = OnceCell<Option<Answer>>;

impl PublicCache {
    /// Keeps answers for `window` (zero: keeps nothing), at most `max_bytes` of them.
    pub fn new(window: Duration, max_bytes: usize) -> Self {
        Self {
            answers: RecentAnswers::new(window, max_bytes),
            filling: Arc::default(),
            writes: Arc::default(),
        }
    }

    /// A cache that keeps nothing: every request is rendered.
    pub fn off() -> Self {
        Self::new(Duration::ZERO, 0)
    }

    fn is_on(&self) -> bool {
        !self.answers.window().is_zero()
    }

    /// Forgets every kept answer and every render under way: the data changed.
    fn forget_all(&self) {
        self.writes.fetch_add(1, Ordering::SeqCst);
        self.lock_filling().clear();
        self.answers.forget_all();
    }

    /// The render of `key` under way, or a new one that this caller may run.
    fn filling(&self, key: &str) -> Arc<Filling> {
        let mut filling = self.lock_filling();
        Arc::clone(filling.entry(key.to_string()).or_default())
    }

    /// Forgets the render of `key` once it is done (the answer is kept or not by then).
    fn filled(&self, key: &str, render: &Arc<Filling>) {
        let mut filling = self.lock_filling();
        if filling
            .get(key)
            .is_some_and(|current| Arc::ptr_eq(current, render))
        {
            filling.remove(key);
        }
    }

    fn lock_filling(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<Filling>>> {
        // The map only holds renders under way; a panic while holding the lock leaves at
        // worst an entry that the next reader of its key runs.
        self.filling
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// The middleware: answers anonymous reads from memory, keeps what it may, and forgets
/// everything after a successful write.
pub async fn answer_anonymous_reads(
    State(cache): State<PublicCache>,
    request: Request,
    next: Next,
) -> Response {
    let key = cache.is_on().then(|| key_of(&request)).flatten();
    let Some(key) = key else {
        let writes = is_write(&request);
        let response = next.run(request).await;
        let status = response.status();
        if writes && (status.is_success() || status.is_redirection()) {
            cache.forget_all();
        }
        return response;
    };
    if let Some((answer, age)) = cache.answers.get(&key) {
        return respond(answer, age, request.headers(), "hit");
    }
    // A GET's body is empty, so the request can be rebuilt for whichever reader renders.
    let (parts, _) = request.into_parts();
    let render = cache.filling(&key);
    let mut own_response = None;
    let kept = render
        .get_or_init(|| async {
            let request = Request::from_parts(parts.clone(), Body::empty());
            let writes_before = cache.writes.load(Ordering::SeqCst);
            match keepable(next.clone().run(request).await).await {
                Ok(answer) => {
                    if cache.writes.load(Ordering::SeqCst) == writes_before {
                        cache.answers.put(key.clone(), answer.clone());
                    }
                    Some(answer)
                }
                Err(response) => {
                    own_response = Some(response);
                    None
                }
            }
        })
        .await
        .clone();
    cache.filled(&key, &render);
    match (kept, own_response) {
        (Some(answer), _) => respond(answer, Duration::ZERO, &parts.headers, "miss"),
        (None, Some(response)) => response,
        // Another reader's render may not be kept (a 404, a cookie): this one renders its
        // own.
        (None, None) => next.run(Request::from_parts(parts, Body::empty())).await,
    }
}

/// The key of an anonymous read that may be answered from memory; `None` for every other
/// request.
fn key_of(request: &Request) -> Option<String> {
    if request.method() != Method::GET {
        return None;
    }
    let uri = request.uri();
    let path = uri.path();
    if PASSING_PREFIXES
        .iter()
        .any(|prefix| path.starts_with(prefix))
    {
        return None;
    }
    let headers = request.headers();
    let cookie = headers
        .get(header::COOKIE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    let signed_in = cookies::find(cookie, SESSION_COOKIE).is_some_and(|token| !token.is_empty());
    let keyed = headers.contains_key(header::AUTHORIZATION)
        || uri
            .query()
            .is_some_and(|query| query.split('&').any(|pair| pair.starts_with("api_key=")));
    if signed_in || keyed {
        return None;
    }
    let page_locale = Locale::from_cookie_header(cookie).map_or("-", Locale::code);
    let api_locale = Locale::of_request(headers).code();
    Some(format!("{page_locale} {api_locale} {uri}"))
}

/// Whether the request may change data (the CKAN API's POSTs only read).
fn is_write(request: &Request) -> bool {
    !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) && !crate::security::READ_ONLY_PREFIXES
        .iter()
        .any(|prefix| request.uri().path().starts_with(prefix))
}

/// The response as an answer to keep, with its `ETag`; the response itself, whole, when it
/// may not be kept.
async fn keepable(response: Response) -> Result<Answer, Response> {
    if !may_keep(response.status(), response.headers()) {
        return Err(response);
    }
    let (mut parts, body) = response.into_parts();
    let body = match whole(body, MAX_ANSWER_BYTES).await {
        Ok(body) => body,
        Err(body) => return Err(Response::from_parts(parts, body)),
    };
    let nonce = parts
        .headers
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|policy| policy.to_str().ok())
        .and_then(nonce_of);
    // An answer with validators of its own (open-data files) keeps them: clients hold
    // those.
    if !parts.headers.contains_key(header::ETAG) {
        let etag = match nonce {
            Some(nonce) => content_etag(split_at(&body, nonce.as_bytes())),
            None => content_etag([body.as_ref()]),
        };
        if let Ok(etag) = HeaderValue::from_str(&etag) {
            parts.headers.insert(header::ETAG, etag);
        }
    }
    // Browsers store the page and ask again with its tag, which costs a 304.
    parts
        .headers
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-cache"));
    parts.headers.insert(
        header::VARY,
        HeaderValue::from_static("Cookie, Accept-Language"),
    );
    parts.headers.remove(header::DATE);
    parts.headers.remove(header::CONTENT_LENGTH);
    Ok(Answer {
        headers: parts.headers,
        body,
    })
}

/// Whether an answer with this status and these headers may be kept for everyone.
fn may_keep(status: StatusCode, headers: &HeaderMap) -> bool {
    let textual = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|kind| {
            let kind = kind.split(';').next().unwrap_or_default().trim();
            kind.starts_with("text/")
                || kind.ends_with("/json")
                || kind.ends_with("+json")
                || kind.ends_with("/xml")
                || kind.ends_with("+xml")
        });
    let private = headers
        .get_all(header::CACHE_CONTROL)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .any(|value| value.contains("no-store") || value.contains("private"));
    let too_long = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<usize>().ok())
        .is_some_and(|length| length > MAX_ANSWER_BYTES);
    status == StatusCode::OK
        && textual
        && !private
        && !too_long
        && !headers.contains_key(header::SET_COOKIE)
        && !headers.contains_key(header::CONTENT_ENCODING)
}

/// The body whole when it is at most `limit` bytes; otherwise (or when it fails midway) a
/// body that still gives the client every byte, or the failure, as the original would.
async fn whole(body: Body, limit: usize) -> Result<Bytes, Body> {
    let mut stream = body.into_data_stream();
    let mut read = Vec::new();
    while let Some(chunk) = stream.next().await {
        match chunk {
            Ok(data) => {
                read.extend_from_slice(&data);
                if read.len() > limit {
                    let read = tokio_stream::once(Ok(Bytes::from(read)));
                    return Err(Body::from_stream(read.chain(stream)));
                }
            }
            Err(error) => {
                let read = tokio_stream::once(Ok(Bytes::from(read)));
                return Err(Body::from_stream(
                    read.chain(tokio_stream::once(Err(error))),
                ));
            }
        }
    }
    Ok(Bytes::from(read))
}

/// The nonce a page's policy admits scripts by (`'nonce-…'`).
fn nonce_of(policy: &str) -> Option<&str> {
    let (_, rest) = policy.split_once("'nonce-")?;
    let (nonce, _) = rest.split_once('\'')?;
    (!nonce.is_empty()).then_some(nonce)
}

/// The parts of `body` around each occurrence of `separator`.
fn split_at<'a>(body: &'a [u8], separator: &'a [u8]) -> impl Iterator<Item = &'a [u8]> + 'a {
    let mut starts = std::iter::once(0).chain(
        memchr::memmem::find_iter(body, separator).map(move |found| found + separator.len()),
    );
    let mut ends = memchr::memmem::find_iter(body, separator).chain(std::iter::once(body.len()));
    std::iter::from_fn(move || Some(&body[starts.next()?..ends.next()?]))
}

/// The kept answer to a client: `304` when it holds this version, the answer otherwise.
fn respond(answer: Answer, age: Duration, asked: &HeaderMap, status: &'static str) -> Response {
    let header_text = |name| {
        answer
            .headers
            .get(name)
            .and_then(|value| value.to_str().ok())
    };
    let etag = header_text(header::ETAG).unwrap_or_default();
    let last_modified = header_text(header::LAST_MODIFIED).and_then(parse_http_date);
    let mut response = if not_modified(asked, etag, last_modified) {
        let mut headers = HeaderMap::new();
        for name in [
            header::ETAG,
            header::LAST_MODIFIED,
            header::CACHE_CONTROL,
            header::VARY,
        ] {
            if let Some(value) = answer.headers.get(&name) {
                headers.insert(name, value.clone());
            }
        }
        (StatusCode::NOT_MODIFIED, headers).into_response()
    } else {
        answer.into_response_of_age(age)
    };
    response
        .headers_mut()
        .insert(CACHE_STATUS, HeaderValue::from_static(status));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(uri: &str, headers: &[(&'static str, &'static str)]) -> Request {
        let mut request = Request::get(uri);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.body(Body::empty()).expect("a request")
    }

    #[test]
    fn only_anonymous_reads_have_a_key() {
        assert_eq!(
            key_of(&get("/problems?status=new", &[])).as_deref(),
            Some("- ru /problems?status=new")
        );
        assert_eq!(
            key_of(&get(
                "/problems",
                &[("cookie", "lang=en"), ("accept-language", "en-GB")]
            ))
            .as_deref(),
            Some("en en /problems")
        );
        let signed_in = get("/problems", &[("cookie", "lang=en; or_session=abc")]);
        assert_eq!(key_of(&signed_in), None);
        assert_eq!(
            key_of(&get("/problems", &[("cookie", "or_session=")])).as_deref(),
            Some("- ru /problems"),
            "an emptied session cookie is no session"
        );
        let token = get(
            "/api/v1/department/problems",
            &[("authorization", "Bearer x")],
        );
        assert_eq!(key_of(&token), None);
        assert_eq!(
            key_of(&get("/open311/v2/requests.json?api_key=k", &[])),
            None
        );
        for path in [
            "/healthz",
            "/metrics",
            "/pkg/open-region.wasm",
            "/media/a.jpg",
        ] {
            assert_eq!(key_of(&get(path, &[])), None, "{path}");
        }
        let post = Request::post("/problems")
            .body(Body::empty())
            .expect("a request");
        assert_eq!(key_of(&post), None);
    }

    #[test]
    fn writes_are_the_changing_methods_outside_the_read_only_api() {
        let post = |uri: &str| Request::post(uri).body(Body::empty()).expect("a request");
        assert!(is_write(&post("/api/problems/support")));
        assert!(!is_write(&post("/api/3/action/package_search")));
        assert!(!is_write(&get("/problems", &[])));
    }

    #[test]
    fn kept_answers_are_public_successful_text() {
        let with = |pairs: &[(header::HeaderName, &'static str)]| {
            let mut headers = HeaderMap::new();
            for (name, value) in pairs {
                headers.append(name.clone(), HeaderValue::from_static(value));
            }
            headers
        };
        let html = with(&[(header::CONTENT_TYPE, "text/html; charset=utf-8")]);
        assert!(may_keep(StatusCode::OK, &html));
        assert!(!may_keep(StatusCode::NOT_FOUND, &html));
        for kind in [
            "application/json",
            "application/geo+json",
            "application/xml",
        ] {
            assert!(
                may_keep(StatusCode::OK, &with(&[(header::CONTENT_TYPE, kind)])),
                "{kind}"
            );
        }
        let workbook = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        assert!(!may_keep(
            StatusCode::OK,
            &with(&[(header::CONTENT_TYPE, workbook)])
        ));
        let cookie = with(&[
            (header::CONTENT_TYPE, "text/html"),
            (header::SET_COOKIE, "lang=en"),
        ]);
        assert!(!may_keep(StatusCode::OK, &cookie));
        let unstored = with(&[
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "no-store"),
        ]);
        assert!(!may_keep(StatusCode::OK, &unstored));
        let huge = with(&[
            (header::CONTENT_TYPE, "text/csv"),
            (header::CONTENT_LENGTH, "3000000"),
        ]);
        assert!(!may_keep(StatusCode::OK, &huge));
        // Kept without its request's Accept-Encoding, a Brotli body would reach clients
        // that cannot read it.
        let encoded = with(&[
            (header::CONTENT_TYPE, "text/javascript"),
            (header::CONTENT_ENCODING, "br"),
        ]);
        assert!(!may_keep(StatusCode::OK, &encoded));
    }

    #[test]
    fn the_nonce_is_read_from_the_policy_and_left_out_of_the_tag() {
        let policy = "default-src 'self'; script-src 'self' 'nonce-Zm9v' 'wasm-unsafe-eval'";
        assert_eq!(nonce_of(policy), Some("Zm9v"));
        assert_eq!(nonce_of("default-src 'self'"), None);
        let first = b"<script nonce=\"AAA\">x</script><script nonce=\"AAA\">y</script>";
        let second = b"<script nonce=\"BBB\">x</script><script nonce=\"BBB\">y</script>";
        assert_eq!(
            content_etag(split_at(first, b"AAA")),
            content_etag(split_at(second, b"BBB"))
        );
        let changed = b"<script nonce=\"BBB\">x</script><script nonce=\"BBB\">z</script>";
        assert_ne!(
            content_etag(split_at(first, b"AAA")),
            content_etag(split_at(changed, b"BBB"))
        );
        let parts: Vec<&[u8]> = split_at(b"aXXbXX", b"XX").collect();
        assert_eq!(parts, [b"a".as_slice(), b"b", b""]);
    }

    #[tokio::test]
    async fn a_long_body_is_given_back_whole() {
        let chunks = ["abc", "def", "ghi"].map(|text| Ok::<_, std::io::Error>(Bytes::from(text)));
        let body = Body::from_stream(tokio_stream::iter(chunks));
        let Err(passed) = whole(body, 4).await else {
            panic!("a body over the limit is not kept");
        };
        let bytes = axum::body::to_bytes(passed, usize::MAX)
            .await
            .expect("the body");
        assert_eq!(bytes, "abcdefghi");
        let short = whole(Body::from("abc"), 4).await.expect("kept");
        assert_eq!(short, "abc");
    }

    /// A router whose one page counts its renders, each taking a while, behind the cache.
    fn counted(status: StatusCode) -> (axum::Router, Arc<std::sync::atomic::AtomicUsize>) {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let renders = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&renders);
        let page = move || {
            let counter = Arc::clone(&counter);
            async move {
                counter.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(50)).await;
                (status, [(header::CONTENT_TYPE, "text/html")], "the page")
            }
        };
        let cache = PublicCache::new(Duration::from_secs(600), 1024 * 1024);
        let router = axum::Router::new()
            .route("/page", axum::routing::get(page))
            .layer(axum::middleware::from_fn_with_state(
                cache,
                answer_anonymous_reads,
            ));
        (router, renders)
    }

    async fn twenty_at_once(router: &axum::Router) -> Vec<(StatusCode, Bytes)> {
        use tower::ServiceExt;
        let mut readers = tokio::task::JoinSet::new();
        for _ in 0..20 {
            let router = router.clone();
            readers.spawn(async move {
                let response = router.oneshot(get("/page", &[])).await.expect("an answer");
                let status = response.status();
                let body = axum::body::to_bytes(response.into_body(), usize::MAX)
                    .await
                    .expect("a body");
                (status, body)
            });
        }
        readers.join_all().await
    }

    #[tokio::test]
    async fn readers_missing_together_wait_for_one_render() {
        let (router, renders) = counted(StatusCode::OK);
        let answers = twenty_at_once(&router).await;
        assert_eq!(renders.load(std::sync::atomic::Ordering::SeqCst), 1);
        assert!(
            answers
                .iter()
                .all(|(status, body)| *status == StatusCode::OK && body == "the page")
        );
    }

    #[tokio::test]
    async fn an_answer_that_may_not_be_kept_is_rendered_for_each_reader() {
        let (router, renders) = counted(StatusCode::NOT_FOUND);
        let answers = twenty_at_once(&router).await;
        assert_eq!(renders.load(std::sync::atomic::Ordering::SeqCst), 20);
        assert!(
            answers
                .iter()
                .all(|(status, body)| *status == StatusCode::NOT_FOUND && body == "the page")
        );
    }

    #[tokio::test]
    async fn a_render_that_began_before_a_write_is_not_kept() {
        use std::sync::atomic::AtomicUsize;
        use tower::ServiceExt;
        let renders = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&renders);
        let page = move || {
            let counter = Arc::clone(&counter);
            async move {
                let render = counter.fetch_add(1, Ordering::SeqCst) + 1;
                tokio::time::sleep(Duration::from_millis(200)).await;
                (
                    [(header::CONTENT_TYPE, "text/html")],
                    format!("render {render}"),
                )
            }
        };
        let cache = PublicCache::new(Duration::from_secs(600), 1024 * 1024);
        let router = axum::Router::new()
            .route("/page", axum::routing::get(page))
            .route("/write", axum::routing::post(|| async { "written" }))
            .layer(axum::middleware::from_fn_with_state(
                cache,
                answer_anonymous_reads,
            ));
        let reading = tokio::spawn(router.clone().oneshot(get("/page", &[])));
        tokio::time::sleep(Duration::from_millis(50)).await;
        let write = Request::post("/write")
            .body(Body::empty())
            .expect("a request");
        let written = router.clone().oneshot(write).await.expect("an answer");
        assert_eq!(written.status(), StatusCode::OK);
        let read = reading.await.expect("the reader").expect("an answer");
        assert_eq!(
            read.headers().get(CACHE_STATUS),
            Some(&HeaderValue::from_static("miss"))
        );
        let next = router.oneshot(get("/page", &[])).await.expect("an answer");
        let body = axum::body::to_bytes(next.into_body(), usize::MAX)
            .await
            .expect("a body");
        assert_eq!(
            body, "render 2",
            "rendered after the write, not kept from before"
        );
        assert_eq!(renders.load(Ordering::SeqCst), 2);
    }
}
