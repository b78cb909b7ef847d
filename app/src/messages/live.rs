//! Live delivery: an open page listens on `GET /api/v1/messages/events` (server-sent
//! events) and receives each new message of its reader's conversations as an event
//! `message` whose data is the message's JSON.
//!
//! Several server instances share one database and nothing else, so a message written
//! through one instance reaches a page connected to another through the database: each
//! instance reads the messages after the last one it delivered, a few times a second
//! while anyone listens, and hands each to the listening pages of its members. Ids are
//! given when a message is written but become visible when its transaction commits, so
//! a smaller id can appear after a larger one was read; the gaps below the newest id read
//! are asked for again until they appear or a minute passes (a rolled-back write leaves
//! a gap for ever).

use std::collections::{HashMap, HashSet};
use std::convert::Infallible;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::extract::{FromRef, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use tokio::sync::mpsc;
use tokio_stream::{Stream, StreamExt};

use super::model::Message;
use super::queries::{Conversations, Delivery};
use crate::auth::session::SignedIn;
use platform::config::AppConfig;
use platform::db::{self, DbPool};
use platform::ids::UserId;
use platform::routes::Routes;

/// How often an instance looks for new messages while anyone listens.
const POLL_EVERY: Duration = Duration::from_millis(200);

/// Messages read per look; more wait for the next one, a moment later.
const BATCH: i64 = 500;

/// How long a gap below the newest delivered id is asked for again.
const GAP_PATIENCE: Duration = Duration::from_secs(60);

/// Messages waiting for one slow page; a page that falls this far behind is disconnected
/// (its browser reconnects and reloads what it missed).
const QUEUE: usize = 64;

/// The live pages of this instance, by reader, and the task that feeds them.
#[derive(Clone)]
pub struct LiveMessages {
    inner: Arc<Inner>,
}

struct Inner {
    pool: DbPool,
    listeners: Mutex<HashMap<UserId, Vec<Listener>>>,
    next_listener: AtomicU64,
    started: std::sync::Once,
    /// Set when the server shuts down: no stream is kept open any more.
    closed: std::sync::atomic::AtomicBool,
    /// Counts the delivery task's finished rounds, so a new listener can wait for one.
    rounds: tokio::sync::watch::Sender<u64>,
}

struct Listener {
    id: u64,
    sender: mpsc::Sender<Arc<Message>>,
}

/// One page's place among the listeners, and the stream of its messages; dropping it
/// (the page went away) removes it.
pub struct Subscription {
    inner: Arc<Inner>,
    user: UserId,
    id: u64,
    messages: mpsc::Receiver<Arc<Message>>,
}

impl Stream for Subscription {
    type Item = Arc<Message>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        context: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        self.messages.poll_recv(context)
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        let mut listeners = self
            .inner
            .listeners
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(pages) = listeners.get_mut(&self.user) {
            pages.retain(|listener| listener.id != self.id);
            if pages.is_empty() {
                listeners.remove(&self.user);
            }
        }
    }
}

impl LiveMessages {
    /// The live delivery of an instance reading `pool`; its task starts with the first
    /// listener.
    pub fn new(pool: DbPool) -> Self {
        Self {
            inner: Arc::new(Inner {
                pool,
                listeners: Mutex::new(HashMap::new()),
                next_listener: AtomicU64::new(0),
                started: std::sync::Once::new(),
                closed: std::sync::atomic::AtomicBool::new(false),
                rounds: tokio::sync::watch::Sender::new(0),
            }),
        }
    }

    /// A page of `user` starts listening. Returns once the delivery task has finished a
    /// round that began after the page was listed (or after a second if it is slow): from
    /// then on every message committed is delivered, and the page reads the conversation
    /// once it is connected, so nothing falls between the two.
    pub async fn subscribe(&self, user: UserId) -> Subscription {
        self.inner.started.call_once(|| {
            tokio::spawn(deliver(Arc::downgrade(&self.inner)));
        });
        let mut rounds = self.inner.rounds.subscribe();
        let (sender, messages) = mpsc::channel(QUEUE);
        let id = self.inner.next_listener.fetch_add(1, Ordering::Relaxed);
        {
            let mut listeners = self
                .inner
                .listeners
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            // After `close` the sender is dropped here and the stream ends at once.
            if !self.inner.closed.load(Ordering::Relaxed) {
                listeners
                    .entry(user)
                    .or_default()
                    .push(Listener { id, sender });
            }
        }
        let listed = *rounds.borrow_and_update();
        // The round running now may have read its cursor before the page was listed; the
        // one after it began after.
        let _ = tokio::time::timeout(
            Duration::from_secs(1),
            rounds.wait_for(|round| *round >= listed + 2),
        )
        .await;
        Subscription {
            inner: self.inner.clone(),
            user,
            id,
            messages,
        }
    }

    /// Ends every open stream, and any opened later at once: a graceful shutdown waits
    /// for the open connections, and these would never end by themselves. The browsers
    /// reconnect to another instance.
    pub fn close(&self) {
        let mut listeners = self
            .inner
            .listeners
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        self.inner.closed.store(true, Ordering::Relaxed);
        listeners.clear();
    }

    /// How many pages listen on this instance.
    pub fn listening(&self) -> usize {
        self.inner.listening()
    }
}

impl Inner {
    fn listening(&self) -> usize {
        self.listeners
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .values()
            .map(Vec::len)
            .sum()
    }

    /// Hands `delivery` to its members' pages; a page whose queue is full is dropped.
    fn hand_out(&self, delivery: Delivery) {
        let message = Arc::new(delivery.message);
        let mut listeners = self
            .listeners
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        for member in delivery.members {
            if let Some(pages) = listeners.get_mut(&member) {
                pages.retain(|listener| listener.sender.try_send(message.clone()).is_ok());
            }
        }
    }
}

/// The ids that were not visible yet when a later one was read, and since when.
#[derive(Default)]
struct Gaps {
    since: HashMap<u64, Instant>,
}

impl Gaps {
    /// Notes the ids between `after` and `newest` that `seen` lacks, and forgets those
    /// seen now and those waited for too long.
    fn update(&mut self, after: u64, newest: u64, seen: &HashSet<u64>, now: Instant) {
        for id in seen {
            self.since.remove(id);
        }
        for id in after.saturating_add(1)..newest {
            if !seen.contains(&id) {
                self.since.entry(id).or_insert(now);
            }
        }
        self.since
            .retain(|_, noticed| now.duration_since(*noticed) < GAP_PATIENCE);
    }

    fn ids(&self) -> HashSet<u64> {
        self.since.keys().copied().collect()
    }
}

/// The delivery task: while anyone listens, reads the new messages and hands them out;
/// ends when the instance's `LiveMessages` is gone.
async fn deliver(inner: std::sync::Weak<Inner>) {
    let mut after: Option<u64> = None;
    let mut gaps = Gaps::default();
    loop {
        tokio::time::sleep(POLL_EVERY).await;
        let Some(inner) = inner.upgrade() else {
            return;
        };
        if inner.listening() == 0 {
            // Nobody listens: start again from the newest message when someone does.
            after = None;
            gaps = Gaps::default();
            continue;
        }
        let missing = gaps.ids();
        let read = db::run(&inner.pool, move |mut conn| async move {
            let start = match after {
                Some(after) => after,
                None => Conversations::newest_id(&mut conn).await?,
            };
            let found = Conversations::deliveries(&mut conn, start, &missing, BATCH).await?;
            Ok::<_, platform::error::AppError>((start, found))
        })
        .await;
        let (start, found) = match read {
            Ok(read) => read,
            Err(error) => {
                tracing::warn!(?error, "live messages: reading new messages failed");
                continue;
            }
        };
        inner.rounds.send_modify(|round| *round += 1);
        let seen: HashSet<u64> = found.iter().map(|delivery| delivery.message.id.0).collect();
        let newest = seen.iter().copied().max().unwrap_or(start).max(start);
        gaps.update(start, newest, &seen, Instant::now());
        after = Some(newest);
        for delivery in found {
            inner.hand_out(delivery);
        }
    }
}

/// The live delivery's route.
pub fn routes<S>() -> Routes<S>
where
    S: Clone + Send + Sync + 'static,
    DbPool: FromRef<S>,
    AppConfig: FromRef<S>,
    LiveMessages: FromRef<S>,
{
    Routes::new().get("/api/v1/messages/events", events)
}

/// `GET /api/v1/messages/events`: the signed-in reader's new messages as server-sent
/// events, for as long as the page stays; guests are refused (401).
async fn events(
    State(live): State<LiveMessages>,
    SignedIn(user): SignedIn,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let stream = live.subscribe(user.id).await.map(|message| {
        Ok(Event::default()
            .event("message")
            .json_data(&*message)
            .unwrap_or_else(|_| Event::default().comment("unreadable message")))
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_are_asked_for_until_they_appear_or_a_minute_passes() {
        let start = Instant::now();
        let mut gaps = Gaps::default();
        gaps.update(10, 14, &HashSet::from([11, 14]), start);
        assert_eq!(gaps.ids(), HashSet::from([12, 13]));
        gaps.update(
            14,
            15,
            &HashSet::from([12, 15]),
            start + Duration::from_secs(1),
        );
        assert_eq!(gaps.ids(), HashSet::from([13]));
        gaps.update(15, 15, &HashSet::new(), start + GAP_PATIENCE);
        assert!(gaps.ids().is_empty());
    }
}
