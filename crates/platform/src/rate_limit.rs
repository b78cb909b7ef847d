//! Limits on writes per account and per client address, counted in the database so that
//! they hold across every server instance.
//!
//! Each limit counts in fixed windows (an hour, say): a write is the `n`-th of its window
//! for its subject (an account, an address, an API key), and is refused when `n` exceeds
//! the limit. The count is one atomic upsert, so parallel writes are counted exactly.

use std::time::Duration;

use chrono::NaiveDateTime;
use diesel::sql_types::{Datetime, Text};
use diesel_async::{AsyncMysqlConnection, RunQueryDsl};

use crate::error::AppError;

/// At most `max` writes of `action` per subject in each `window`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// The kind of write, e.g. `problem.report`; with the subject it keys the count.
    pub action: &'static str,
    /// The largest number of writes admitted in one window.
    pub max: u32,
    /// The window.
    pub window: Duration,
}

impl Limit {
    /// At most `max` writes of `action` per subject and hour.
    pub const fn per_hour(action: &'static str, max: u32) -> Self {
        Self {
            action,
            max,
            window: Duration::from_secs(3600),
        }
    }

    /// The start of the window `now` falls in, and when it ends.
    fn window_of(&self, now: NaiveDateTime) -> (NaiveDateTime, NaiveDateTime) {
        let length = i64::try_from(self.window.as_secs())
            .unwrap_or(i64::MAX)
            .max(1);
        let seconds = now.and_utc().timestamp();
        let start = seconds - seconds.rem_euclid(length);
        let at = |seconds| {
            chrono::DateTime::from_timestamp(seconds, 0)
                .map(|time| time.naive_utc())
                .unwrap_or(now)
        };
        (at(start), at(start.saturating_add(length)))
    }
}

/// Counts one write of `limit.action` by `subject` at `now`; `RateLimited` (saying when
/// the window ends) when it is one too many. A refused write still counts, so hammering
/// a limit does not reopen it.
pub async fn count(
    conn: &mut AsyncMysqlConnection,
    limit: Limit,
    subject: &str,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    let (start, end) = limit.window_of(now);
    // LAST_INSERT_ID(expr) hands this connection the value it wrote, so the count read back
    // is this write's own even while others increment the same row.
    let affected = diesel::sql_query(
        "INSERT INTO rate_limits (action, subject, window_start, hits) VALUES (?, ?, ?, 1) \
         ON DUPLICATE KEY UPDATE \
         hits = LAST_INSERT_ID(IF(window_start = VALUES(window_start), hits + 1, 1)), \
         window_start = VALUES(window_start)",
    )
    .bind::<Text, _>(limit.action)
    .bind::<Text, _>(subject_key(subject))
    .bind::<Datetime, _>(start)
    .execute(conn)
    .await?;
    // 1 row affected: a new row, this is the window's first write; 2: an update, whose
    // value LAST_INSERT_ID() holds.
    let hits = if affected == 1 {
        1
    } else {
        crate::db::last_insert_id(conn).await?
    };
    if hits <= u64::from(limit.max) {
        return Ok(());
    }
    let wait = (end - now).num_seconds().clamp(1, i64::from(u32::MAX));
    Err(AppError::RateLimited {
        retry_after_seconds: u32::try_from(wait).unwrap_or(u32::MAX),
    })
}

/// Removes the counts of windows that started before `before`.
pub async fn purge(
    conn: &mut AsyncMysqlConnection,
    before: NaiveDateTime,
) -> diesel::QueryResult<usize> {
    diesel::sql_query("DELETE FROM rate_limits WHERE window_start < ?")
        .bind::<Datetime, _>(before)
        .execute(conn)
        .await
}

/// The stored subject: at most the column's 100 characters (an address or an id is far
/// shorter; a longer key is an API key, whose prefix is as unique).
fn subject_key(subject: &str) -> String {
    subject.chars().take(100).collect()
}

#[cfg(all(test, feature = "testing"))]
mod tests {
    use super::*;
    use crate::db::testing::TestDb;

    const SIX: Limit = Limit::per_hour("test.write", 6);

    #[test]
    fn windows_are_aligned_to_their_length() {
        let now = chrono::NaiveDate::from_ymd_opt(2026, 12, 2)
            .and_then(|day| day.and_hms_opt(14, 37, 5))
            .expect("a time");
        let (start, end) = SIX.window_of(now);
        assert_eq!(start.to_string(), "2026-12-02 14:00:00");
        assert_eq!(end.to_string(), "2026-12-02 15:00:00");
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn parallel_writes_are_counted_exactly_per_subject_and_window() {
        let db = TestDb::new().await;
        let now = crate::clock::now();
        let writes = (0..10).map(|_| {
            let pool = db.pool().clone();
            tokio::spawn(async move {
                let mut conn = pool.get().await.expect("connection");
                count(&mut conn, SIX, "user:1", now).await
            })
        });
        let mut admitted = 0;
        for write in writes.collect::<Vec<_>>() {
            match write.await.expect("task") {
                Ok(()) => admitted += 1,
                Err(AppError::RateLimited {
                    retry_after_seconds,
                }) => {
                    assert!((1..=3600).contains(&retry_after_seconds));
                }
                Err(other) => panic!("{other:?}"),
            }
        }
        assert_eq!(admitted, 6);
        let mut conn = db.conn().await;
        count(&mut conn, SIX, "user:2", now)
            .await
            .expect("another subject counts on its own");
        let next_window = now + chrono::Duration::hours(1);
        count(&mut conn, SIX, "user:1", next_window)
            .await
            .expect("a new window starts from zero");
        let (next_start, _) = SIX.window_of(next_window);
        assert_eq!(
            purge(&mut conn, next_start).await.expect("purge"),
            1,
            "only user:2's count, of the past window"
        );
    }
}
