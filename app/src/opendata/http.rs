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
    let scheme = if platform::client::is_https(headers, config)
        || (config.trusted_proxies == 0 && config.cookie_secure)
    {
        "https"
    } else {
        "http"
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
