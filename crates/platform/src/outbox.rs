//! The transactional outbox: what the portal tells the world outside (an e-mail today, a
//! department's webhook next) is written by [`enqueue`] in the same transaction as the
//! change it tells about, and delivered afterwards by [`deliver_due`].
//!
//! - A rolled-back change sends nothing; a crash after the commit loses nothing, because
//!   the event waits in `outbox_events` until a delivery succeeds.
//! - Delivery is at least once: a run that dies between sending and recording sends again
//!   after its claim lapses. The event id is the receivers' idempotency key.
//! - Several instances deliver at once without sending one event twice in the same
//!   attempt: a run claims events with a conditional update, which only one run can win.
//! - Events with the same ordering key (one mailbox, one subject) go out one after another
//!   in the order they were written; an event that was given up on no longer holds back
//!   the ones after it.
//! - A failed attempt is retried with exponential backoff and jitter ([`Backoff`]) until
//!   the event is a day old, then marked failed.

use std::future::Future;

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{Datetime, Text, Unsigned};
use diesel_async::{AsyncMysqlConnection, RunQueryDsl};

use crate::db::schema::outbox_events;
use crate::db::{DbPool, last_insert_id};
use crate::id_type;

id_type!(
    /// An event in the outbox; the idempotency key its receivers see.
    OutboxEventId
);

/// How an event leaves the portal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    /// An e-mail ([`crate::mail`]).
    Email,
    /// A user's notification by e-mail: written by the civic notifications, described
    /// at delivery by the feature owning its subject, as the bell describes it.
    Notice,
    /// A signed event for a department's system ([`crate::webhook`]).
    Webhook,
}

impl Channel {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Notice => "notice",
            Channel::Webhook => "webhook",
        }
    }

    /// The channel of a stored name.
    pub fn from_stored(name: &str) -> Option<Self> {
        match name {
            "email" => Some(Channel::Email),
            "notice" => Some(Channel::Notice),
            "webhook" => Some(Channel::Webhook),
            _ => None,
        }
    }
}

/// An event to write with the change it tells about.
#[derive(Debug, Clone, Copy)]
pub struct NewEvent<'a> {
    /// How it is delivered.
    pub channel: Channel,
    /// What it tells, e.g. `account.confirm_registration`.
    pub kind: &'a str,
    /// Events with the same key are delivered in the order they were written.
    pub ordering_key: &'a str,
    /// The channel's message, as JSON.
    pub payload: &'a str,
}

/// Writes `event` on `conn`; call it inside the transaction of the change it tells about.
pub async fn enqueue(
    conn: &mut AsyncMysqlConnection,
    event: NewEvent<'_>,
    now: NaiveDateTime,
) -> QueryResult<OutboxEventId> {
    diesel::insert_into(outbox_events::table)
        .values((
            outbox_events::channel.eq(event.channel.as_str()),
            outbox_events::kind.eq(event.kind),
            outbox_events::ordering_key.eq(ordering_key(event.ordering_key)),
            outbox_events::payload.eq(event.payload),
            outbox_events::created_at.eq(now),
            outbox_events::next_attempt_at.eq(now),
        ))
        .execute(conn)
        .await?;
    Ok(OutboxEventId(last_insert_id(conn).await?))
}

/// The stored key: at most the column's 191 characters (a longer key is an e-mail
/// address near its 254-character limit, whose first 191 characters are as good).
fn ordering_key(key: &str) -> String {
    key.chars().take(191).collect()
}

/// An event claimed by one delivery run.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = outbox_events, check_for_backend(diesel::mysql::Mysql))]
pub struct ClaimedEvent {
    /// Its id (the idempotency key).
    pub id: OutboxEventId,
    /// The stored channel name.
    pub channel: String,
    /// What it tells.
    pub kind: String,
    /// The channel's message, as JSON.
    pub payload: String,
    /// Attempts made before this one.
    pub attempts: u32,
    /// When it was written.
    pub created_at: NaiveDateTime,
}

/// When failed attempts are retried, and when an event is given up on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    /// The wait after the first failed attempt.
    pub first: Duration,
    /// The longest wait between two attempts.
    pub longest: Duration,
    /// An event older than this is not tried again.
    pub give_up_after: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Self {
            first: Duration::seconds(30),
            longest: Duration::hours(1),
            give_up_after: Duration::hours(24),
        }
    }
}

impl Backoff {
    /// When to try again after `attempts` failed attempts of an event written at
    /// `created_at`, or `None` to give up. The wait doubles per attempt up to
    /// [`Backoff::longest`]; `jitter` in `0.0..1.0` spreads it over 80–120 % so that
    /// events that failed together are not all retried in the same second.
    pub fn next_attempt(
        &self,
        attempts: u32,
        created_at: NaiveDateTime,
        now: NaiveDateTime,
        jitter: f64,
    ) -> Option<NaiveDateTime> {
        if now - created_at >= self.give_up_after {
            return None;
        }
        let doublings = attempts.saturating_sub(1).min(30);
        let plain = self
            .first
            .checked_mul(1 << doublings)
            .unwrap_or(self.longest)
            .min(self.longest);
        let spread = 0.8 + 0.4 * jitter.clamp(0.0, 1.0);
        // Milliseconds keep the spread visible on waits of a few seconds.
        let waited = (plain.num_milliseconds() as f64 * spread).round() as i64;
        Some(now + Duration::milliseconds(waited.max(1)))
    }
}

/// Claims up to `limit` events that are due for one delivery run named `run` (unique per
/// run), until `now + hold`. Only the first pending event of each ordering key is due.
pub async fn claim_due(
    conn: &mut AsyncMysqlConnection,
    run: &str,
    now: NaiveDateTime,
    hold: Duration,
    limit: u32,
) -> QueryResult<Vec<ClaimedEvent>> {
    #[derive(QueryableByName)]
    struct Due {
        #[diesel(sql_type = Unsigned<diesel::sql_types::BigInt>)]
        id: u64,
    }
    let due: Vec<Due> = diesel::sql_query(
        "SELECT e.id FROM outbox_events e \
         WHERE e.status = 'pending' AND e.next_attempt_at <= ? \
           AND (e.claimed_until IS NULL OR e.claimed_until < ?) \
           AND NOT EXISTS (SELECT 1 FROM outbox_events earlier \
                           WHERE earlier.ordering_key = e.ordering_key \
                             AND earlier.status = 'pending' AND earlier.id < e.id) \
         ORDER BY e.id LIMIT ?",
    )
    .bind::<Datetime, _>(now)
    .bind::<Datetime, _>(now)
    .bind::<Unsigned<diesel::sql_types::Integer>, _>(limit)
    .load(conn)
    .await?;
    if due.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<u64> = due.into_iter().map(|row| row.id).collect();
    // Conditional, so that of several runs which saw the same due events each event goes
    // to exactly one: a row already claimed by another run no longer matches.
    diesel::update(
        outbox_events::table
            .filter(outbox_events::id.eq_any(&ids))
            .filter(outbox_events::status.eq("pending"))
            .filter(
                outbox_events::claimed_until
                    .is_null()
                    .or(outbox_events::claimed_until.lt(now)),
            ),
    )
    .set((
        outbox_events::claimed_by.eq(run),
        outbox_events::claimed_until.eq(now + hold),
    ))
    .execute(conn)
    .await?;
    outbox_events::table
        .filter(outbox_events::claimed_by.eq(run))
        .filter(outbox_events::status.eq("pending"))
        .order(outbox_events::id)
        .select(ClaimedEvent::as_select())
        .load(conn)
        .await
}

/// Records that run `run` delivered event `id`.
pub async fn record_delivered(
    conn: &mut AsyncMysqlConnection,
    id: OutboxEventId,
    run: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(
        outbox_events::table
            .find(id)
            .filter(outbox_events::claimed_by.eq(run)),
    )
    .set((
        outbox_events::status.eq("delivered"),
        outbox_events::attempts.eq(outbox_events::attempts + 1),
        outbox_events::delivered_at.eq(now),
        outbox_events::claimed_by.eq(None::<String>),
        outbox_events::claimed_until.eq(None::<NaiveDateTime>),
        outbox_events::last_error.eq(None::<String>),
    ))
    .execute(conn)
    .await
    .map(drop)
}

/// Records a failed attempt of run `run`: the event is tried again at `retry_at`, or, when
/// that is `None`, marked failed.
pub async fn record_failure(
    conn: &mut AsyncMysqlConnection,
    id: OutboxEventId,
    run: &str,
    error: &str,
    retry_at: Option<NaiveDateTime>,
) -> QueryResult<()> {
    let error: String = error.chars().take(1000).collect();
    let status = if retry_at.is_some() {
        "pending"
    } else {
        "failed"
    };
    diesel::sql_query(
        "UPDATE outbox_events SET status = ?, attempts = attempts + 1, \
         next_attempt_at = COALESCE(?, next_attempt_at), last_error = ?, \
         claimed_by = NULL, claimed_until = NULL \
         WHERE id = ? AND claimed_by = ?",
    )
    .bind::<Text, _>(status)
    .bind::<diesel::sql_types::Nullable<Datetime>, _>(retry_at)
    .bind::<Text, _>(error)
    .bind::<Unsigned<diesel::sql_types::BigInt>, _>(id.0)
    .bind::<Text, _>(run)
    .execute(conn)
    .await
    .map(drop)
}

/// Sends one claimed event; the error is kept on the event as its `last_error`.
pub trait Deliverer: Sync {
    /// Delivers `event`, or says why not.
    fn deliver(&self, event: &ClaimedEvent) -> impl Future<Output = Result<(), String>> + Send;
}

/// What one delivery run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeliveryReport {
    /// Events delivered.
    pub delivered: usize,
    /// Events that failed and wait for another attempt.
    pub retrying: usize,
    /// Events given up on.
    pub failed: usize,
}

/// How long a run holds the events it claimed; longer than any one delivery may take.
pub const CLAIM_HOLD: Duration = Duration::minutes(5);

/// Claims the due events (up to `limit`) as run `run`, delivers them one by one through
/// `deliverer`, and records each outcome as soon as it is known.
pub async fn deliver_due<D: Deliverer>(
    pool: &DbPool,
    deliverer: &D,
    run: &str,
    backoff: Backoff,
    limit: u32,
) -> Result<DeliveryReport, crate::error::AppError> {
    let mut conn = pool.get().await?;
    let claimed = claim_due(&mut conn, run, crate::clock::now(), CLAIM_HOLD, limit).await?;
    let mut report = DeliveryReport::default();
    for event in claimed {
        let outcome = deliverer.deliver(&event).await;
        let now = crate::clock::now();
        match outcome {
            Ok(()) => {
                record_delivered(&mut conn, event.id, run, now).await?;
                report.delivered += 1;
            }
            Err(error) => {
                let jitter = rand::random::<f64>();
                let retry_at =
                    backoff.next_attempt(event.attempts + 1, event.created_at, now, jitter);
                tracing::warn!(
                    event = %event.id, kind = %event.kind, %error, will_retry = retry_at.is_some(),
                    "outbox delivery failed"
                );
                record_failure(&mut conn, event.id, run, &error, retry_at).await?;
                match retry_at {
                    Some(_) => report.retrying += 1,
                    None => report.failed += 1,
                }
            }
        }
    }
    Ok(report)
}

#[cfg(test)]
mod backoff_tests {
    use super::*;

    fn at(hour: u32, minute: u32, second: u32) -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 12, 2)
            .and_then(|day| day.and_hms_opt(hour, minute, second))
            .expect("a time")
    }

    #[test]
    fn waits_double_per_attempt_up_to_the_longest_and_stop_after_a_day() {
        let backoff = Backoff::default();
        let created = at(0, 0, 0);
        let now = at(1, 0, 0);
        let wait = |attempts| {
            backoff
                .next_attempt(attempts, created, now, 0.5)
                .map(|next| (next - now).num_seconds())
        };
        assert_eq!(wait(1), Some(30));
        assert_eq!(wait(2), Some(60));
        assert_eq!(wait(5), Some(480));
        assert_eq!(wait(8), Some(3600), "capped at an hour");
        assert_eq!(wait(500), Some(3600), "no overflow however many attempts");
        let a_day_later = created + Duration::hours(24);
        assert_eq!(backoff.next_attempt(3, created, a_day_later, 0.5), None);
    }

    #[test]
    fn jitter_spreads_a_wait_over_eighty_to_one_hundred_twenty_percent() {
        let backoff = Backoff::default();
        let (created, now) = (at(0, 0, 0), at(0, 0, 0));
        let wait = |jitter| {
            backoff
                .next_attempt(1, created, now, jitter)
                .map(|next| (next - now).num_milliseconds())
        };
        assert_eq!(wait(0.0), Some(24_000));
        assert_eq!(wait(1.0), Some(36_000));
        assert_eq!(wait(7.0), Some(36_000), "out-of-range jitter is clamped");
    }
}

#[cfg(all(test, feature = "testing"))]
mod tests {
    use std::collections::HashSet;
    use std::sync::Mutex;

    use super::*;
    use crate::db::testing::TestDb;

    fn mail(key: &str) -> NewEvent<'_> {
        NewEvent {
            channel: Channel::Email,
            kind: "test.note",
            ordering_key: key,
            payload: "{}",
        }
    }

    async fn status_of(conn: &mut AsyncMysqlConnection, id: OutboxEventId) -> (String, u32) {
        outbox_events::table
            .find(id)
            .select((outbox_events::status, outbox_events::attempts))
            .first(conn)
            .await
            .expect("the event")
    }

    /// Fails the events whose ids it is told to, delivers the rest, and remembers both.
    struct Receiver {
        failing: HashSet<OutboxEventId>,
        seen: Mutex<Vec<OutboxEventId>>,
    }

    impl Deliverer for Receiver {
        async fn deliver(&self, event: &ClaimedEvent) -> Result<(), String> {
            self.seen.lock().expect("lock").push(event.id);
            if self.failing.contains(&event.id) {
                Err("connection refused".into())
            } else {
                Ok(())
            }
        }
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn a_rolled_back_change_sends_nothing() {
        use diesel_async::AsyncConnection;
        let db = TestDb::new().await;
        let mut conn = db.conn().await;
        let now = crate::clock::now();
        let outcome: QueryResult<()> = conn
            .transaction(async move |conn| {
                enqueue(conn, mail("mail:a@example.ru"), now).await?;
                Err(diesel::result::Error::RollbackTransaction)
            })
            .await;
        assert!(outcome.is_err());
        let due = claim_due(&mut conn, "run-1", now, CLAIM_HOLD, 10)
            .await
            .expect("claim");
        assert!(due.is_empty());
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn events_of_one_key_go_out_in_order_and_a_failure_holds_the_next_back() {
        let db = TestDb::new().await;
        let mut conn = db.conn().await;
        let now = crate::clock::now();
        let first = enqueue(&mut conn, mail("mail:a@example.ru"), now)
            .await
            .expect("first");
        let second = enqueue(&mut conn, mail("mail:a@example.ru"), now)
            .await
            .expect("second");
        let other = enqueue(&mut conn, mail("mail:b@example.ru"), now)
            .await
            .expect("other key");
        let receiver = Receiver {
            failing: HashSet::from([first]),
            seen: Mutex::new(Vec::new()),
        };
        let report = deliver_due(db.pool(), &receiver, "run-1", Backoff::default(), 10)
            .await
            .expect("run");
        assert_eq!(
            receiver.seen.lock().expect("lock").clone(),
            vec![first, other],
            "the second event of a@ waits for the first"
        );
        assert_eq!(
            report,
            DeliveryReport {
                delivered: 1,
                retrying: 1,
                failed: 0
            }
        );
        assert_eq!(status_of(&mut conn, first).await, ("pending".into(), 1));
        assert_eq!(status_of(&mut conn, second).await, ("pending".into(), 0));

        // Not due again before its backoff, then due (clock moved past the longest wait).
        let soon = claim_due(&mut conn, "run-2", now, CLAIM_HOLD, 10)
            .await
            .expect("claim");
        assert!(soon.is_empty());
        let later = now + Duration::minutes(2);
        let retried = claim_due(&mut conn, "run-3", later, CLAIM_HOLD, 10)
            .await
            .expect("claim");
        assert_eq!(
            retried.iter().map(|event| event.id).collect::<Vec<_>>(),
            vec![first]
        );
        record_delivered(&mut conn, first, "run-3", later)
            .await
            .expect("delivered");
        let next = claim_due(&mut conn, "run-4", later, CLAIM_HOLD, 10)
            .await
            .expect("claim");
        assert_eq!(
            next.iter().map(|event| event.id).collect::<Vec<_>>(),
            vec![second]
        );
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn an_event_a_day_old_is_given_up_and_no_longer_holds_its_key() {
        let db = TestDb::new().await;
        let mut conn = db.conn().await;
        let yesterday = crate::clock::now() - Duration::hours(25);
        let old = enqueue(&mut conn, mail("mail:a@example.ru"), yesterday)
            .await
            .expect("old");
        let fresh = enqueue(&mut conn, mail("mail:a@example.ru"), crate::clock::now())
            .await
            .expect("fresh");
        let receiver = Receiver {
            failing: HashSet::from([old]),
            seen: Mutex::new(Vec::new()),
        };
        let report = deliver_due(db.pool(), &receiver, "run-1", Backoff::default(), 10)
            .await
            .expect("run");
        assert_eq!(report.failed, 1);
        assert_eq!(status_of(&mut conn, old).await, ("failed".into(), 1));
        deliver_due(db.pool(), &receiver, "run-2", Backoff::default(), 10)
            .await
            .expect("run");
        assert_eq!(status_of(&mut conn, fresh).await, ("delivered".into(), 1));
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn parallel_runs_never_claim_the_same_event_and_a_lapsed_claim_is_taken_over() {
        let db = TestDb::new().await;
        let now = crate::clock::now();
        {
            let mut conn = db.conn().await;
            for index in 0..60 {
                let key = format!("mail:{index}@example.ru");
                enqueue(&mut conn, mail(&key), now).await.expect("event");
            }
        }
        let runs = (0..6).map(|run| {
            let pool = db.pool().clone();
            tokio::spawn(async move {
                let mut conn = pool.get().await.expect("connection");
                let name = format!("run-{run}");
                claim_due(&mut conn, &name, now, CLAIM_HOLD, 25)
                    .await
                    .expect("claim")
            })
        });
        let mut claimed = Vec::new();
        for run in runs.collect::<Vec<_>>() {
            claimed.extend(run.await.expect("task").into_iter().map(|event| event.id));
        }
        let distinct: HashSet<_> = claimed.iter().copied().collect();
        assert_eq!(distinct.len(), claimed.len(), "an event claimed twice");
        assert!(!claimed.is_empty());

        // Runs that collided on the same due events leave the rest to the next run, which
        // takes exactly what nobody holds.
        let mut conn = db.conn().await;
        let rest = claim_due(&mut conn, "run-rest", now, CLAIM_HOLD, 100)
            .await
            .expect("claim");
        assert_eq!(rest.len(), 60 - claimed.len());
        assert!(rest.iter().all(|event| !distinct.contains(&event.id)));

        // A run that died keeps nothing past its hold.
        let held = claim_due(&mut conn, "run-late", now, CLAIM_HOLD, 100)
            .await
            .expect("claim");
        assert!(held.is_empty());
        let after_hold = now + CLAIM_HOLD + Duration::seconds(1);
        let taken_over = claim_due(&mut conn, "run-late", after_hold, CLAIM_HOLD, 100)
            .await
            .expect("claim");
        assert_eq!(taken_over.len(), 60);
    }
}
