//! Request-level protection that no server function should have to remember.

use axum::extract::Request;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

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
const READ_ONLY_PREFIXES: [&str; 2] = ["/api/3/action/", "/api/action/"];

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
