//! Who is asking: the client's address and scheme, seen through the configured number of
//! trusted reverse proxies.
//!
//! Each proxy appends the address of its own peer to `X-Forwarded-For`, so of that list
//! only the last `trusted_proxies` entries were written by proxies we run; everything to
//! their left was sent by the client and may be forged. With one nginx in front, the
//! client is the rightmost entry; with none, the socket's peer.

use std::net::{IpAddr, SocketAddr};

use axum::extract::ConnectInfo;
use axum::http::HeaderMap;
use axum::http::request::Parts;

use crate::config::AppConfig;

/// The client's address as the outermost trusted proxy saw it, or the socket's peer when
/// no proxy is trusted. `None` when neither is known (a request built in a test).
pub fn address(
    forwarded_for: Option<&str>,
    peer: Option<IpAddr>,
    trusted_proxies: usize,
) -> Option<IpAddr> {
    if trusted_proxies == 0 {
        return peer;
    }
    let hops: Vec<&str> = forwarded_for
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|hop| !hop.is_empty())
        .collect();
    // Fewer hops than proxies: the request came past part of the chain (a health check
    // from inside); the leftmost hop is still one a trusted proxy wrote.
    let index = hops.len().saturating_sub(trusted_proxies);
    hops.get(index).and_then(|hop| hop.parse().ok()).or(peer)
}

/// Whether the client reached the portal over HTTPS: said by a trusted proxy's
/// `X-Forwarded-Proto` (the server itself speaks plain HTTP behind it).
pub fn is_https(headers: &HeaderMap, config: &AppConfig) -> bool {
    config.trusted_proxies > 0
        && headers
            .get("x-forwarded-proto")
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.split(',').next())
            .is_some_and(|scheme| scheme.trim().eq_ignore_ascii_case("https"))
}

/// The address of the client of `parts`, as text for logs and rate limits.
pub fn address_of(parts: &Parts, config: &AppConfig) -> String {
    let forwarded_for = parts
        .headers
        .get("x-forwarded-for")
        .and_then(|value| value.to_str().ok());
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip());
    address(forwarded_for, peer, config.trusted_proxies)
        .map_or_else(|| "unknown".to_string(), |ip| ip.to_string())
}

/// Whether cookies set for this request carry `Secure`: always when configured, and
/// whenever the client came over HTTPS.
pub fn wants_secure_cookies(headers: &HeaderMap, config: &AppConfig) -> bool {
    config.cookie_secure || is_https(headers, config)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn ip(text: &str) -> Option<IpAddr> {
        text.parse().ok()
    }

    #[test]
    fn without_trusted_proxies_the_forwarded_header_is_ignored() {
        let peer = ip("10.0.0.7");
        assert_eq!(address(Some("1.2.3.4"), peer, 0), peer);
        assert_eq!(address(None, peer, 0), peer);
    }

    #[test]
    fn the_client_is_counted_from_the_right() {
        let peer = ip("10.0.0.1");
        // The client forged "6.6.6.6"; nginx appended the address it really saw.
        assert_eq!(
            address(Some("6.6.6.6, 203.0.113.9"), peer, 1),
            ip("203.0.113.9")
        );
        // A CDN and nginx: the CDN's peer is the client.
        assert_eq!(
            address(Some("6.6.6.6, 203.0.113.9, 198.51.100.2"), peer, 2),
            ip("203.0.113.9")
        );
        // Fewer hops than proxies: the leftmost, which a proxy wrote.
        assert_eq!(address(Some("203.0.113.9"), peer, 2), ip("203.0.113.9"));
        // No header or garbage where the client should be: the socket's peer.
        assert_eq!(address(None, peer, 1), peer);
        assert_eq!(address(Some("6.6.6.6, not-an-ip"), peer, 1), peer);
    }

    #[test]
    fn https_is_believed_only_from_trusted_proxies() {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-proto", HeaderValue::from_static("https"));
        let direct = AppConfig::default();
        assert!(!is_https(&headers, &direct));
        assert!(!wants_secure_cookies(&headers, &direct));
        let proxied = AppConfig {
            trusted_proxies: 1,
            ..AppConfig::default()
        };
        assert!(is_https(&headers, &proxied));
        assert!(wants_secure_cookies(&headers, &proxied));
        assert!(!is_https(&HeaderMap::new(), &proxied));
        let forced = AppConfig {
            cookie_secure: true,
            ..AppConfig::default()
        };
        assert!(wants_secure_cookies(&HeaderMap::new(), &forced));
    }
}
