//! Request-level protection that no server function should have to remember.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use platform::config::AppConfig;

/// Whether a request that changes state comes from another site. Browsers send `Origin`
/// on every POST, and `Sec-Fetch-Site` on all requests; requests with neither (curl, other
/// servers) carry no ambient cookie-based authority of a user's browser and are let
/// through to the handlers' own checks.
pub fn is_cross_origin(method: &Method, headers: &HeaderMap) -> bool {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return false;
    }
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        let origin_host = origin
            .split_once("://")
            .map(|(_, rest)| rest)
            .unwrap_or(origin);
        return origin == "null" || Some(origin_host) != host;
    }
    headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|site| site == "cross-site")
}

/// Machine APIs authenticated by a key in the request, never by the browser's cookies:
/// a cross-site page cannot borrow a user's authority there, so other origins may write.
const KEY_AUTHENTICATED_PREFIXES: [&str; 1] = ["/open311/"];

/// APIs whose POSTs only read public data (CKAN's Action API takes its queries as JSON
/// POSTs): a cross-site POST there changes nothing, and its answers are open to every
/// origin anyway.
pub(crate) const READ_ONLY_PREFIXES: [&str; 2] = ["/api/3/action/", "/api/action/"];

/// Refuses state-changing requests from other origins with 403.
pub async fn refuse_cross_origin_writes(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let exempt = KEY_AUTHENTICATED_PREFIXES
        .iter()
        .chain(&READ_ONLY_PREFIXES)
        .any(|prefix| path.starts_with(prefix));
    if !exempt && is_cross_origin(request.method(), request.headers()) {
        tracing::warn!(path = %request.uri().path(), "refused a cross-origin write");
        return (StatusCode::FORBIDDEN, "cross-origin request refused").into_response();
    }
    next.run(request).await
}

/// Refuses (400) a form body whose percent-escapes do not decode to UTF-8. Server
/// functions decode forms lossily: `%FF` would be stored as U+FFFD, a text the client
/// never sent. Open311 reads its own forms and answers in its own error format.
pub async fn refuse_forms_that_are_not_utf8(request: Request, next: Next) -> Response {
    let is_form = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("application/x-www-form-urlencoded"));
    let own_parser = KEY_AUTHENTICATED_PREFIXES
        .iter()
        .any(|prefix| request.uri().path().starts_with(prefix));
    if !is_form || own_parser {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, crate::MAX_BODY_BYTES).await else {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    };
    // `+` is a space and the separators are ASCII, so the whole body decodes to UTF-8
    // exactly when every name and value does.
    if percent_encoding::percent_decode(&bytes)
        .decode_utf8()
        .is_err()
    {
        return platform::error::AppError::BadRequest.into_response();
    }
    next.run(Request::from_parts(parts, axum::body::Body::from(bytes)))
        .await
}

/// The nonce of one request's page, drawn before anything renders: the render writes it
/// into the page's inline scripts (the router provides it to Leptos from the request's
/// extensions) and [`send_page_policy`] into the page's policy. One value read from one
/// place by both, so a page's scripts and its policy cannot disagree, whichever way the
/// page was rendered (a route, the not-found fallback, a render kept by the public cache).
#[derive(Debug, Clone)]
pub struct PageNonce(pub leptos::nonce::Nonce);

/// Draws the request's [`PageNonce`] and gives every HTML document in the answer the
/// page policy that admits its scripts by that nonce. It runs inside the public cache, so
/// a kept page keeps the policy of the render it came from.
pub async fn send_page_policy(
    State(config): State<AppConfig>,
    mut request: Request,
    next: Next,
) -> Response {
    let nonce = leptos::nonce::Nonce::new();
    request.extensions_mut().insert(PageNonce(nonce.clone()));
    let mut response = next.run(request).await;
    let is_page = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|kind| kind.to_str().ok())
        .is_some_and(|kind| kind.starts_with("text/html"));
    if is_page {
        let policy = platform::csp::page_policy(&nonce, &config.public.tile_url);
        if let Ok(policy) = HeaderValue::from_str(&policy) {
            response
                .headers_mut()
                .insert(header::CONTENT_SECURITY_POLICY, policy);
        }
    }
    response
}

/// How long browsers remember to use HTTPS only (one year, the usual preload minimum).
const HSTS: HeaderValue = HeaderValue::from_static("max-age=31536000");

/// Adds the headers every response carries: no MIME sniffing, no framing, referrers only
/// to our own origin in full, HTTPS remembered once the client came over it, and the
/// default Content-Security-Policy where the answer is no page (pages have theirs, see
/// [`send_page_policy`]) and is not a `304`.
pub async fn add_security_headers(
    State(config): State<AppConfig>,
    request: Request,
    next: Next,
) -> Response {
    let https = platform::client::is_https(request.headers(), &config);
    let mut response = next.run(request).await;
    // A 304's headers replace those of the copy the client holds: a page's policy (with
    // its nonce) must stay as it came.
    let revalidated = response.status() == StatusCode::NOT_MODIFIED;
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    if https {
        headers.insert(header::STRICT_TRANSPORT_SECURITY, HSTS);
    }
    if !revalidated && !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(platform::csp::DEFAULT_POLICY),
        );
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn same_origin_and_non_browser_writes_pass() {
        let same = headers(&[
            ("host", "portal.example"),
            ("origin", "https://portal.example"),
        ]);
        assert!(!is_cross_origin(&Method::POST, &same));
        assert!(!is_cross_origin(
            &Method::POST,
            &headers(&[("host", "portal.example")])
        ));
        let local = headers(&[
            ("host", "127.0.0.1:3000"),
            ("origin", "http://127.0.0.1:3000"),
        ]);
        assert!(!is_cross_origin(&Method::POST, &local));
    }

    #[test]
    fn foreign_origins_are_refused_for_writes_only() {
        let foreign = headers(&[
            ("host", "portal.example"),
            ("origin", "https://evil.example"),
        ]);
        assert!(is_cross_origin(&Method::POST, &foreign));
        assert!(is_cross_origin(&Method::DELETE, &foreign));
        assert!(!is_cross_origin(&Method::GET, &foreign));
        assert!(is_cross_origin(
            &Method::POST,
            &headers(&[("host", "a"), ("origin", "null")])
        ));
        let fetch = headers(&[("host", "portal.example"), ("sec-fetch-site", "cross-site")]);
        assert!(is_cross_origin(&Method::POST, &fetch));
    }
}
