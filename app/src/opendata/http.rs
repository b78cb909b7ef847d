//! What the open-data responses share: the portal's address as the client sees it, and
//! the one "not found" answer.

use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use platform::config::AppConfig;
use platform::error::AppError;

/// `scheme://host` of the request, as the client addressed the portal.
pub fn site_url(headers: &HeaderMap, config: &AppConfig) -> String {
    let header_text = |name: &str| {
        headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .map(str::trim)
            .filter(|value| !value.is_empty())
    };
    let forwarded = config
        .trust_proxy
        .then(|| header_text("x-forwarded-proto"))
        .flatten();
    let scheme = match forwarded {
        Some("https") => "https",
        Some(_) => "http",
        None if config.cookie_secure => "https",
        None => "http",
    };
    let host = header_text("host")
        .filter(|host| {
            host.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
        })
        .unwrap_or("localhost");
    format!("{scheme}://{host}")
}

/// The answer for an unknown dataset, version or file.
pub fn not_found() -> Response {
    AppError::NotFound.into_response()
}
