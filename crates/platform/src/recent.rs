//! Results of heavy work kept for a short while, bounded in bytes: the same export asked
//! for again within the window is answered with what was rendered, instead of taking a
//! core for seconds again (see `capacity` for the bound on work that does run).
//!
//! Per instance and in memory: an answer may lag a change of its data by at most the
//! window, and says how old it is (`Age`). `RecentAnswers` lives in the server's state,
//! so each server (and each test's server) has its own.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::error::AppError;

/// Whole HTTP answers of heavy work, kept for a minute, at most 64 MiB of them.
#[derive(Debug, Clone)]
pub struct RecentAnswers(Arc<Recent<Answer>>);

/// A successful answer as it was sent.
#[derive(Debug, Clone)]
struct Answer {
    headers: HeaderMap,
    body: Bytes,
}

impl Default for RecentAnswers {
    fn default() -> Self {
        Self(Arc::new(Recent::new(
            Duration::from_secs(60),
            64 * 1024 * 1024,
        )))
    }
}

impl RecentAnswers {
    /// The answer kept under `key` (which must name everything the answer depends on:
    /// address, query, language), with `Age`; otherwise `render`'s answer, kept when it
    /// is a success.
    pub async fn or_render(&self, key: String, render: impl Future<Output = Response>) -> Response {
        if let Some((answer, age)) = self.0.get(&key, Instant::now()) {
            let mut response = Response::new(Body::from(answer.body));
            *response.headers_mut() = answer.headers;
            response
                .headers_mut()
                .insert(header::AGE, HeaderValue::from(age.as_secs()));
            return response;
        }
        let response = render.await;
        if response.status() != StatusCode::OK {
            return response;
        }
        let (parts, body) = response.into_parts();
        // Heavy work answers with a body already whole in memory.
        let Ok(body) = axum::body::to_bytes(body, usize::MAX).await else {
            return AppError::Internal.into_response();
        };
        let answer = Answer {
            headers: parts.headers.clone(),
            body: body.clone(),
        };
        self.0.put(key, answer, body.len(), Instant::now());
        Response::from_parts(parts, Body::from(body))
    }
}

/// Up to `max_bytes` of results, each kept for `window`.
#[derive(Debug)]
struct Recent<V> {
    window: Duration,
    max_bytes: usize,
    entries: Mutex<VecDeque<Entry<V>>>,
}

#[derive(Debug)]
struct Entry<V> {
    key: String,
    stored_at: Instant,
    bytes: usize,
    value: V,
}

impl<V: Clone> Recent<V> {
    /// Keeps results for `window`, at most `max_bytes` of them.
    fn new(window: Duration, max_bytes: usize) -> Self {
        Self {
            window,
            max_bytes,
            entries: Mutex::new(VecDeque::new()),
        }
    }

    /// The result stored under `key` less than the window before `now`, with its age.
    fn get(&self, key: &str, now: Instant) -> Option<(V, Duration)> {
        let mut entries = self.lock();
        self.forget_expired(&mut entries, now);
        entries
            .iter()
            .find(|entry| entry.key == key)
            .map(|entry| (entry.value.clone(), now.duration_since(entry.stored_at)))
    }

    /// Stores `value` (`bytes` long) under `key` as of `now`, replacing an older one and
    /// forgetting the oldest results while the total would pass the bound. A value larger
    /// than the whole bound is not kept.
    fn put(&self, key: String, value: V, bytes: usize, now: Instant) {
        if bytes > self.max_bytes {
            return;
        }
        let mut entries = self.lock();
        self.forget_expired(&mut entries, now);
        entries.retain(|entry| entry.key != key);
        let mut total: usize = entries.iter().map(|entry| entry.bytes).sum();
        while total + bytes > self.max_bytes {
            match entries.pop_front() {
                Some(oldest) => total -= oldest.bytes,
                None => break,
            }
        }
        entries.push_back(Entry {
            key,
            stored_at: now,
            bytes,
            value,
        });
    }

    fn forget_expired(&self, entries: &mut VecDeque<Entry<V>>, now: Instant) {
        // Entries are in the order they were stored, so the expired ones lead.
        while entries
            .front()
            .is_some_and(|entry| now.duration_since(entry.stored_at) >= self.window)
        {
            entries.pop_front();
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<Entry<V>>> {
        // A panic while holding the lock leaves at worst a stale entry, which expires.
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINUTE: Duration = Duration::from_secs(60);

    #[test]
    fn a_result_is_served_within_the_window_with_its_age_and_not_after() {
        let recent = Recent::new(MINUTE, 100);
        let start = Instant::now();
        recent.put("a".into(), 1, 10, start);
        let later = start + Duration::from_secs(59);
        assert_eq!(recent.get("a", later), Some((1, Duration::from_secs(59))));
        assert_eq!(recent.get("b", later), None);
        assert_eq!(recent.get("a", start + MINUTE), None);
    }

    #[test]
    fn the_oldest_results_make_room_and_oversized_ones_are_not_kept() {
        let recent = Recent::new(MINUTE, 100);
        let now = Instant::now();
        recent.put("a".into(), 1, 40, now);
        recent.put("b".into(), 2, 40, now);
        recent.put("c".into(), 3, 40, now);
        assert_eq!(recent.get("a", now), None, "forgotten for room");
        assert_eq!(recent.get("b", now).map(|(v, _)| v), Some(2));
        assert_eq!(recent.get("c", now).map(|(v, _)| v), Some(3));
        recent.put("huge".into(), 4, 101, now);
        assert_eq!(recent.get("huge", now), None);
        assert_eq!(recent.get("b", now).map(|(v, _)| v), Some(2), "kept");
    }

    #[test]
    fn storing_a_key_again_replaces_it() {
        let recent = Recent::new(MINUTE, 100);
        let now = Instant::now();
        recent.put("a".into(), 1, 60, now);
        recent.put("a".into(), 2, 60, now + Duration::from_secs(1));
        assert_eq!(
            recent.get("a", now + Duration::from_secs(1)),
            Some((2, Duration::ZERO))
        );
    }
}
