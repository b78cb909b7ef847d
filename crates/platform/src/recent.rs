//! HTTP answers kept in memory for a short while, bounded in bytes: the same export asked
//! for again within its window is answered with what was rendered, instead of taking a
//! core for seconds again (see `capacity` for the bound on work that does run), and the
//! server's public cache keeps anonymous readers' pages and documents for a second.
//!
//! Per instance and in memory: an answer may lag a change of its data by at most the
//! window, and says how old it is (`Age`). Each `RecentAnswers` lives in the server's
//! state, so each server (and each test's server) has its own.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::error::AppError;

/// Whole successful HTTP answers, each kept for the window, at most `max_bytes` of them.
#[derive(Debug, Clone)]
pub struct RecentAnswers(Arc<Recent<Answer>>);

/// A successful answer as it was sent.
#[derive(Debug, Clone)]
pub struct Answer {
    /// Its headers (never a `Set-Cookie`: such an answer belongs to one client).
    pub headers: HeaderMap,
    /// Its whole body.
    pub body: Bytes,
}

impl Answer {
    /// The answer as a `200 OK` response, with its `Age`.
    pub fn into_response_of_age(self, age: Duration) -> Response {
        let mut response = Response::new(Body::from(self.body));
        *response.headers_mut() = self.headers;
        response
            .headers_mut()
            .insert(header::AGE, HeaderValue::from(age.as_secs()));
        response
    }
}

/// Exports: kept for a minute, at most 64 MiB of them.
impl Default for RecentAnswers {
    fn default() -> Self {
        Self::new(Duration::from_secs(60), 64 * 1024 * 1024)
    }
}

impl RecentAnswers {
    /// Answers kept for `window`, at most `max_bytes` of them.
    pub fn new(window: Duration, max_bytes: usize) -> Self {
        Self(Arc::new(Recent::new(window, max_bytes)))
    }

    /// How long an answer is kept.
    pub fn window(&self) -> Duration {
        self.0.window
    }

    /// The answer kept under `key`, with how old it is.
    pub fn get(&self, key: &str) -> Option<(Answer, Duration)> {
        self.0.get(key, Instant::now())
    }

    /// Keeps `answer` under `key` (which must name everything the answer depends on:
    /// address, query, language).
    pub fn put(&self, key: String, answer: Answer) {
        let bytes = key.len() + answer.body.len();
        self.0.put(key, answer, bytes, Instant::now());
    }

    /// Forgets every answer (the data behind them changed).
    pub fn forget_all(&self) {
        self.0.forget_all();
    }

    /// The answer kept under `key`, with `Age`; otherwise `render`'s answer, kept when it
    /// is a success.
    pub async fn or_render(&self, key: String, render: impl Future<Output = Response>) -> Response {
        if let Some((answer, age)) = self.get(&key) {
            return answer.into_response_of_age(age);
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
        self.put(key, answer);
        Response::from_parts(parts, Body::from(body))
    }
}

/// Up to `max_bytes` of results, each kept for `window`.
#[derive(Debug)]
struct Recent<V> {
    window: Duration,
    max_bytes: usize,
    store: Mutex<Store<V>>,
}

/// The results by key, and the order they were stored in: every result lives as long,
/// so the oldest expires first and is the first to make room.
#[derive(Debug)]
struct Store<V> {
    by_key: HashMap<String, Entry<V>>,
    /// Each store's key and time; a key stored again leaves its older record here, which
    /// no longer matches the entry and is skipped when it comes up.
    order: VecDeque<(String, Instant)>,
    bytes: usize,
}

#[derive(Debug)]
struct Entry<V> {
    stored_at: Instant,
    bytes: usize,
    value: V,
}

impl<V> Store<V> {
    /// Drops the oldest record, and its entry when the record is the entry's latest.
    fn pop_oldest(&mut self) -> Option<()> {
        let (key, stored_at) = self.order.pop_front()?;
        if self
            .by_key
            .get(&key)
            .is_some_and(|entry| entry.stored_at == stored_at)
            && let Some(entry) = self.by_key.remove(&key)
        {
            self.bytes -= entry.bytes;
        }
        Some(())
    }
}

impl<V: Clone> Recent<V> {
    /// Keeps results for `window`, at most `max_bytes` of them.
    fn new(window: Duration, max_bytes: usize) -> Self {
        Self {
            window,
            max_bytes,
            store: Mutex::new(Store {
                by_key: HashMap::new(),
                order: VecDeque::new(),
                bytes: 0,
            }),
        }
    }

    /// The result stored under `key` less than the window before `now`, with its age.
    fn get(&self, key: &str, now: Instant) -> Option<(V, Duration)> {
        let mut store = self.lock();
        self.forget_expired(&mut store, now);
        store
            .by_key
            .get(key)
            .map(|entry| (entry.value.clone(), now.duration_since(entry.stored_at)))
    }

    /// Stores `value` (`bytes` long) under `key` as of `now`, replacing an older one and
    /// forgetting the oldest results while the total would pass the bound. A value larger
    /// than the whole bound is not kept.
    fn put(&self, key: String, value: V, bytes: usize, now: Instant) {
        if bytes > self.max_bytes {
            return;
        }
        let mut store = self.lock();
        self.forget_expired(&mut store, now);
        if let Some(older) = store.by_key.remove(&key) {
            store.bytes -= older.bytes;
        }
        while store.bytes + bytes > self.max_bytes && store.pop_oldest().is_some() {}
        store.order.push_back((key.clone(), now));
        store.bytes += bytes;
        store.by_key.insert(
            key,
            Entry {
                stored_at: now,
                bytes,
                value,
            },
        );
    }

    fn forget_all(&self) {
        let mut store = self.lock();
        store.by_key.clear();
        store.order.clear();
        store.bytes = 0;
    }

    fn forget_expired(&self, store: &mut Store<V>, now: Instant) {
        while store
            .order
            .front()
            .is_some_and(|(_, stored_at)| now.duration_since(*stored_at) >= self.window)
        {
            store.pop_oldest();
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Store<V>> {
        // A panic while holding the lock leaves at worst a stale entry, which expires.
        self.store
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// One value loaded from the database and kept for a short while, for data that every page
/// reads and hardly ever changes (the names of themes, municipalities and departments):
/// without it each page of a busy list loads the same lists again.
///
/// `forget` is for the writers of this instance, after their transaction commits, so that
/// the writer's next page shows the change; other instances show it within the window. A
/// load that began before a `forget` is handed to its caller but not kept.
#[derive(Debug)]
pub struct RecentValue<T> {
    window: Duration,
    state: Mutex<Kept<T>>,
}

#[derive(Debug)]
struct Kept<T> {
    /// How many times the value was forgotten.
    forgotten: u64,
    value: Option<(Instant, T)>,
}

impl<T: Clone> RecentValue<T> {
    /// A value kept for `window` after each load.
    pub const fn new(window: Duration) -> Self {
        Self {
            window,
            state: Mutex::new(Kept {
                forgotten: 0,
                value: None,
            }),
        }
    }

    /// The kept value while it is younger than the window; otherwise `load`'s, kept.
    pub async fn get_or_load<E, F: Future<Output = Result<T, E>>>(
        &self,
        load: impl FnOnce() -> F,
    ) -> Result<T, E> {
        let forgotten = {
            let kept = self.lock();
            if let Some((loaded_at, value)) = &kept.value
                && loaded_at.elapsed() < self.window
            {
                return Ok(value.clone());
            }
            kept.forgotten
        };
        let loaded_at = Instant::now();
        let value = load().await?;
        let mut kept = self.lock();
        if kept.forgotten == forgotten {
            kept.value = Some((loaded_at, value.clone()));
        }
        Ok(value)
    }

    /// Drops the kept value: the data behind it changed.
    pub fn forget(&self) {
        let mut kept = self.lock();
        kept.forgotten += 1;
        kept.value = None;
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Kept<T>> {
        // A panic while holding the lock leaves at worst a value that expires.
        self.state
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

    #[test]
    fn a_key_stored_again_lives_from_its_latest_store() {
        let recent = Recent::new(MINUTE, 100);
        let start = Instant::now();
        recent.put("a".into(), 1, 10, start);
        recent.put("a".into(), 2, 10, start + Duration::from_secs(30));
        let after_first_window = start + Duration::from_secs(61);
        assert_eq!(
            recent.get("a", after_first_window),
            Some((2, Duration::from_secs(31))),
            "the first store's expiry does not take the second"
        );
        assert_eq!(recent.get("a", start + Duration::from_secs(90)), None);
    }

    #[test]
    fn forgetting_all_empties_the_store_and_frees_its_bytes() {
        let recent = Recent::new(MINUTE, 100);
        let now = Instant::now();
        recent.put("a".into(), 1, 60, now);
        recent.forget_all();
        assert_eq!(recent.get("a", now), None);
        recent.put("b".into(), 2, 60, now);
        recent.put("c".into(), 3, 40, now);
        assert_eq!(
            recent.get("b", now).map(|(v, _)| v),
            Some(2),
            "room was freed"
        );
    }
    async fn counted_load(loads: &std::sync::atomic::AtomicU32) -> Result<u32, ()> {
        Ok(loads.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1)
    }

    #[tokio::test]
    async fn a_value_is_loaded_once_per_window_and_again_after_forget() {
        let loads = std::sync::atomic::AtomicU32::new(0);
        let recent = RecentValue::new(MINUTE);
        assert_eq!(recent.get_or_load(|| counted_load(&loads)).await, Ok(1));
        assert_eq!(recent.get_or_load(|| counted_load(&loads)).await, Ok(1));
        recent.forget();
        assert_eq!(recent.get_or_load(|| counted_load(&loads)).await, Ok(2));
        let expired = RecentValue::new(Duration::ZERO);
        assert_eq!(expired.get_or_load(|| counted_load(&loads)).await, Ok(3));
        assert_eq!(expired.get_or_load(|| counted_load(&loads)).await, Ok(4));
    }

    #[tokio::test]
    async fn a_load_that_began_before_a_forget_is_not_kept() {
        let recent = RecentValue::new(MINUTE);
        let stale = recent
            .get_or_load(|| async {
                recent.forget();
                Ok::<_, ()>("before the write")
            })
            .await;
        assert_eq!(stale, Ok("before the write"), "its caller still gets it");
        let fresh = recent.get_or_load(|| async { Ok::<_, ()>("after") }).await;
        assert_eq!(fresh, Ok("after"));
    }

    #[tokio::test]
    async fn a_failed_load_is_not_kept() {
        let recent = RecentValue::new(MINUTE);
        assert_eq!(
            recent.get_or_load(|| async { Err("down") }).await,
            Err("down")
        );
        assert_eq!(
            recent.get_or_load(|| async { Ok::<_, &str>(7) }).await,
            Ok(7)
        );
    }
}
