//! Conditional requests (RFC 9110, section 13): the validators an answer carries (`ETag`,
//! `Last-Modified`) and whether a client's `If-None-Match` / `If-Modified-Since` says it
//! already holds the answer, so that it gets `304 Not Modified` without the body.

use axum::http::{HeaderMap, header};
use chrono::NaiveDateTime;
use sha2::{Digest, Sha256};

/// A strong `ETag` of the content made of `parts` in order: the first 12 bytes of their
/// SHA-256, in hex and quotes. Equal contents have equal tags, however they were split.
pub fn content_etag<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> String {
    let mut digest = Sha256::new();
    for part in parts {
        digest.update(part);
    }
    format!("\"{}\"", hex::encode(&digest.finalize()[..12]))
}

/// Whether the request's validators match the answer's `etag` (or, without
/// `If-None-Match`, whether it was not modified since `If-Modified-Since`).
pub fn not_modified(headers: &HeaderMap, etag: &str, last_modified: Option<NaiveDateTime>) -> bool {
    if let Some(tags) = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
    {
        return tags
            .split(',')
            .map(|tag| tag.trim().trim_start_matches("W/"))
            .any(|tag| tag == etag || tag == "*");
    }
    let since = headers
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|v| v.to_str().ok())
        .and_then(parse_http_date);
    // HTTP dates have whole seconds; the modification time may have fractions.
    matches!((since, last_modified), (Some(since), Some(modified))
        if modified.and_utc().timestamp() <= since.and_utc().timestamp())
}

/// `at` (UTC) as an HTTP date: `Tue, 01 Dec 2026 10:00:00 GMT`.
pub fn http_date(at: NaiveDateTime) -> String {
    at.and_utc().format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

/// The UTC time an HTTP date names (`None` when it is not one).
pub fn parse_http_date(text: &str) -> Option<NaiveDateTime> {
    chrono::DateTime::parse_from_rfc2822(text)
        .ok()
        .map(|at| at.naive_utc())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn asking(name: header::HeaderName, value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(name, HeaderValue::from_static(value));
        headers
    }

    #[test]
    fn the_tag_depends_on_the_content_not_on_its_split() {
        let whole = content_etag([b"abcdef".as_slice()]);
        assert_eq!(whole, content_etag([b"abc".as_slice(), b"def".as_slice()]));
        assert_ne!(whole, content_etag([b"abcdeg".as_slice()]));
        assert_eq!(whole.len(), 2 + 24);
        assert!(whole.starts_with('"') && whole.ends_with('"'));
    }

    #[test]
    fn a_matching_tag_or_an_old_enough_date_is_not_modified() {
        assert!(not_modified(
            &asking(header::IF_NONE_MATCH, "\"a\", W/\"b\""),
            "\"b\"",
            None
        ));
        assert!(!not_modified(
            &asking(header::IF_NONE_MATCH, "\"a\""),
            "\"b\"",
            None
        ));
        assert!(not_modified(
            &asking(header::IF_NONE_MATCH, "*"),
            "\"b\"",
            None
        ));
        let modified =
            chrono::NaiveDate::from_ymd_opt(2026, 12, 1).and_then(|day| day.and_hms_opt(10, 0, 0));
        let since = asking(header::IF_MODIFIED_SINCE, "Tue, 01 Dec 2026 10:00:00 GMT");
        assert!(not_modified(&since, "\"b\"", modified));
        let earlier = asking(header::IF_MODIFIED_SINCE, "Tue, 01 Dec 2026 09:59:59 GMT");
        assert!(!not_modified(&earlier, "\"b\"", modified));
        assert!(!not_modified(&HeaderMap::new(), "\"b\"", modified));
    }

    #[test]
    fn http_dates_are_in_gmt() {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 12, 1)
            .and_then(|day| day.and_hms_opt(10, 0, 0))
            .expect("a date");
        assert_eq!(http_date(at), "Tue, 01 Dec 2026 10:00:00 GMT");
        assert_eq!(parse_http_date(&http_date(at)), Some(at));
        assert_eq!(parse_http_date("yesterday"), None);
    }
}
