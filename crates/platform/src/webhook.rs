//! Departments' webhooks: the events a department's document-flow system subscribed to
//! (`problem.routed`, `problem.overdue`, ...), written into the outbox with the change
//! they tell about and delivered as signed JSON.
//!
//! A delivery is a `POST` of `{"id", "kind", "created_at", "data"}` with
//! - `X-OpenRegion-Event-Id`: the event id, the receiver's idempotency key (delivery is at
//!   least once, in order per subject);
//! - `X-OpenRegion-Event`: the kind;
//! - `X-OpenRegion-Signature: t=<unix seconds>,v1=<hex>`, the HMAC-SHA256 of
//!   `"<t>.<body>"` with the endpoint's secret, so that a receiver can check who sent it
//!   and refuse a replay of an old delivery ([`verify`]; `scripts/webhook-receiver.py`
//!   shows it in a few lines).
//!
//! An answer other than 2xx, or none within [`TIMEOUT`], is retried with the outbox's
//! backoff for up to a day; each endpoint's deliveries form its log ([`deliveries`]).

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
pub use store::*;

/// A department's endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Endpoint {
    /// Where events are POSTed.
    pub url: String,
    /// The signing secret.
    pub secret: String,
    /// The kinds delivered.
    pub event_kinds: Vec<String>,
    /// Whether new events are delivered.
    pub active: bool,
}

impl Endpoint {
    /// Whether it takes events of `kind`.
    pub fn takes(&self, kind: &str) -> bool {
        self.active && self.event_kinds.iter().any(|taken| taken == kind)
    }
}

/// One delivery as the department's log shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    /// The event id (the receiver's idempotency key).
    pub id: u64,
    /// The kind.
    pub kind: String,
    /// `pending`, `delivered` or `failed`.
    pub status: String,
    /// Attempts made.
    pub attempts: u32,
    /// When the change wrote it (UTC).
    pub created_at: NaiveDateTime,
    /// The next attempt, while pending (UTC).
    pub next_attempt_at: Option<NaiveDateTime>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// When it was delivered (UTC).
    pub delivered_at: Option<NaiveDateTime>,
}

#[cfg(feature = "ssr")]
mod store {
    use std::time::Duration as StdDuration;

    use chrono::NaiveDateTime;
    use diesel::prelude::*;
    use diesel_async::{AsyncMysqlConnection, RunQueryDsl};
    use hmac::{Hmac, Mac};
    use serde::{Deserialize, Serialize};

    use super::{Delivery, Endpoint};
    use sha2::Sha256;

    use crate::db::DbPool;
    use crate::db::schema::{department_webhooks, outbox_events};
    use crate::ids::{DepartmentId, UserId};
    use crate::outbox::{self, Channel, ClaimedEvent, Deliverer, NewEvent, OutboxEventId};

    /// The signature header.
    pub const SIGNATURE_HEADER: &str = "X-OpenRegion-Signature";
    /// The event id header (the idempotency key).
    pub const EVENT_ID_HEADER: &str = "X-OpenRegion-Event-Id";
    /// The event kind header.
    pub const EVENT_KIND_HEADER: &str = "X-OpenRegion-Event";
    /// How long a receiver has to answer one delivery.
    pub const TIMEOUT: StdDuration = StdDuration::from_secs(10);

    /// `t=<timestamp>,v1=<hex HMAC-SHA256 of "<timestamp>.<body>">`.
    pub fn sign(secret: &str, timestamp: i64, body: &[u8]) -> String {
        format!("t={timestamp},v1={}", hex_digest(secret, timestamp, body))
    }

    fn hex_digest(secret: &str, timestamp: i64, body: &[u8]) -> String {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes())
            .unwrap_or_else(|_| unreachable!("HMAC takes a key of any length"));
        mac.update(timestamp.to_string().as_bytes());
        mac.update(b".");
        mac.update(body);
        mac.finalize()
            .into_bytes()
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect()
    }

    /// Why a signature was refused.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum SignatureError {
        /// Not `t=...,v1=...`.
        Malformed,
        /// Signed with another secret, or the body was changed.
        Mismatch,
        /// Signed longer ago than the tolerance: a replay.
        Stale,
    }

    /// Checks a delivery as a receiver does: the signature of `body` under `secret`, made
    /// within `tolerance_secs` of `now` (unix seconds).
    pub fn verify(
        secret: &str,
        header: &str,
        body: &[u8],
        now: i64,
        tolerance_secs: i64,
    ) -> Result<(), SignatureError> {
        let mut timestamp = None;
        let mut digest = None;
        for part in header.split(',') {
            match part.trim().split_once('=') {
                Some(("t", value)) => timestamp = value.parse::<i64>().ok(),
                Some(("v1", value)) => digest = Some(value),
                _ => {}
            }
        }
        let (Some(timestamp), Some(digest)) = (timestamp, digest) else {
            return Err(SignatureError::Malformed);
        };
        let expected = hex_digest(secret, timestamp, body);
        // Compared in full whatever differs first, so timing tells nothing about the digest.
        let same = expected.len() == digest.len()
            && expected
                .bytes()
                .zip(digest.bytes())
                .fold(0u8, |differs, (a, b)| differs | (a ^ b))
                == 0;
        if !same {
            return Err(SignatureError::Mismatch);
        }
        if (now - timestamp).abs() > tolerance_secs {
            return Err(SignatureError::Stale);
        }
        Ok(())
    }

    /// The endpoint of `department`, if one is configured.
    pub async fn endpoint(
        conn: &mut AsyncMysqlConnection,
        department: DepartmentId,
    ) -> QueryResult<Option<Endpoint>> {
        let row: Option<(String, String, String, bool)> = department_webhooks::table
            .find(department)
            .select((
                department_webhooks::url,
                department_webhooks::secret,
                department_webhooks::event_kinds,
                department_webhooks::is_active,
            ))
            .first(conn)
            .await
            .optional()?;
        Ok(row.map(|(url, secret, kinds, active)| Endpoint {
            url,
            secret,
            event_kinds: kinds.split_whitespace().map(str::to_string).collect(),
            active,
        }))
    }

    /// Stores `department`'s endpoint as `by` configured it.
    pub async fn save_endpoint(
        conn: &mut AsyncMysqlConnection,
        department: DepartmentId,
        endpoint: &Endpoint,
        by: UserId,
        now: NaiveDateTime,
    ) -> QueryResult<()> {
        let kinds = endpoint.event_kinds.join(" ");
        diesel::replace_into(department_webhooks::table)
            .values((
                department_webhooks::department_id.eq(department),
                department_webhooks::url.eq(&endpoint.url),
                department_webhooks::secret.eq(&endpoint.secret),
                department_webhooks::event_kinds.eq(kinds),
                department_webhooks::is_active.eq(endpoint.active),
                department_webhooks::updated_at.eq(now),
                department_webhooks::updated_by.eq(by),
            ))
            .execute(conn)
            .await
            .map(drop)
    }

    /// What the outbox keeps of a webhook event until it is delivered.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct WebhookPayload {
        department_id: DepartmentId,
        kind: String,
        data: serde_json::Value,
    }

    /// The ordering key of `department`'s events about `subject` (`problem:12`); its prefix
    /// names the department, which is what the delivery log selects by.
    fn ordering_key(department: DepartmentId, subject: &str) -> String {
        format!("webhook:{department}:{subject}")
    }

    /// Whether `department`'s endpoint takes events of `kind` (ask before composing one).
    pub async fn takes(
        conn: &mut AsyncMysqlConnection,
        department: DepartmentId,
        kind: &str,
    ) -> QueryResult<bool> {
        Ok(endpoint(conn, department)
            .await?
            .is_some_and(|endpoint| endpoint.takes(kind)))
    }

    /// Writes event `kind` about `subject` (`problem:12`) with the subject's public `data`
    /// for `department`'s system; call it inside the transaction of the change, after
    /// [`takes`] said yes.
    pub async fn enqueue_for_department(
        conn: &mut AsyncMysqlConnection,
        department: DepartmentId,
        kind: &str,
        subject: &str,
        data: serde_json::Value,
        now: NaiveDateTime,
    ) -> QueryResult<OutboxEventId> {
        let payload = WebhookPayload {
            department_id: department,
            kind: kind.to_string(),
            data,
        };
        let payload = serde_json::to_string(&payload)
            .map_err(|error| diesel::result::Error::SerializationError(Box::new(error)))?;
        outbox::enqueue(
            conn,
            NewEvent {
                channel: Channel::Webhook,
                kind,
                ordering_key: &ordering_key(department, subject),
                payload: &payload,
            },
            now,
        )
        .await
    }

    /// The newest `limit` deliveries to `department`'s endpoint, newest first.
    pub async fn deliveries(
        conn: &mut AsyncMysqlConnection,
        department: DepartmentId,
        limit: i64,
    ) -> QueryResult<Vec<Delivery>> {
        #[derive(Queryable, Selectable)]
        #[diesel(table_name = outbox_events)]
        struct Row {
            id: OutboxEventId,
            kind: String,
            status: String,
            attempts: u32,
            created_at: NaiveDateTime,
            next_attempt_at: NaiveDateTime,
            last_error: Option<String>,
            delivered_at: Option<NaiveDateTime>,
        }
        let rows: Vec<Row> = outbox_events::table
            .filter(outbox_events::channel.eq(Channel::Webhook.as_str()))
            .filter(outbox_events::ordering_key.like(format!("webhook:{department}:%")))
            .order(outbox_events::id.desc())
            .limit(limit)
            .select(Row::as_select())
            .load(conn)
            .await?;
        Ok(rows
            .into_iter()
            .map(|row| Delivery {
                id: row.id.0,
                next_attempt_at: (row.status == "pending").then_some(row.next_attempt_at),
                kind: row.kind,
                status: row.status,
                attempts: row.attempts,
                created_at: row.created_at,
                last_error: row.last_error,
                delivered_at: row.delivered_at,
            })
            .collect())
    }

    /// Tries delivery `id` of `department` again now, also after it was given up on;
    /// `false` when the department has no such delivery or it was delivered.
    pub async fn retry_now(
        conn: &mut AsyncMysqlConnection,
        department: DepartmentId,
        id: OutboxEventId,
        now: NaiveDateTime,
    ) -> QueryResult<bool> {
        let changed = diesel::update(
            outbox_events::table
                .find(id)
                .filter(outbox_events::channel.eq(Channel::Webhook.as_str()))
                .filter(outbox_events::ordering_key.like(format!("webhook:{department}:%")))
                .filter(outbox_events::status.ne("delivered")),
        )
        .set((
            outbox_events::status.eq("pending"),
            outbox_events::next_attempt_at.eq(now),
            // A retry asked for by hand gets a new day of automatic retries.
            outbox_events::created_at.eq(now),
        ))
        .execute(conn)
        .await?;
        Ok(changed == 1)
    }

    /// Delivers webhook events: the endpoint is read at delivery, so a changed URL or secret
    /// applies to events still waiting.
    #[derive(Clone)]
    pub struct WebhookSender {
        pool: DbPool,
        client: reqwest::Client,
    }

    impl WebhookSender {
        /// A sender reading endpoints from `pool`, waiting [`TIMEOUT`] for each answer,
        /// trusting the system's root certificates and those of `extra_roots` (see
        /// [`WebhookSender::with_timeout`]).
        pub fn new(pool: DbPool, extra_roots: Option<&[u8]>) -> Result<Self, String> {
            Self::with_timeout(pool, TIMEOUT, extra_roots)
        }

        /// A sender that gives up on an answer after `timeout` (tests use a short one).
        /// `extra_roots` is a PEM bundle of root certificates trusted beside the system's:
        /// departments' systems often have certificates of a state authority (the Russian
        /// Trusted Root CA) that the system store lacks. HTTPS endpoints are verified
        /// against both; an unknown certificate fails the attempt, which is retried.
        pub fn with_timeout(
            pool: DbPool,
            timeout: StdDuration,
            extra_roots: Option<&[u8]>,
        ) -> Result<Self, String> {
            // One process-wide TLS provider; a second install (tests) is refused harmlessly.
            let _ = rustls::crypto::ring::default_provider().install_default();
            let roots = match extra_roots {
                Some(pem) => reqwest::Certificate::from_pem_bundle(pem)
                    .map_err(|error| format!("root certificates: {error}"))?,
                None => Vec::new(),
            };
            if extra_roots.is_some() && roots.is_empty() {
                return Err("root certificates: the PEM bundle holds no certificate".into());
            }
            let client = reqwest::Client::builder()
                .timeout(timeout)
                .redirect(reqwest::redirect::Policy::none())
                .user_agent("OpenRegion-Webhooks/1")
                .tls_certs_merge(roots)
                .build()
                .map_err(|error| error.to_string())?;
            Ok(Self { pool, client })
        }
    }

    /// `error` and its causes, outermost first: reqwest's own text names only the URL,
    /// while the delivery log should say why (a refused connection, an unknown
    /// certificate authority, a timeout).
    fn with_causes(error: &dyn std::error::Error) -> String {
        let mut text = error.to_string();
        let mut cause = error.source();
        while let Some(next) = cause {
            text.push_str(": ");
            text.push_str(&next.to_string());
            cause = next.source();
        }
        text
    }

    impl Deliverer for WebhookSender {
        async fn deliver(&self, event: &ClaimedEvent) -> Result<(), String> {
            let payload: WebhookPayload = serde_json::from_str(&event.payload)
                .map_err(|error| format!("unreadable event: {error}"))?;
            let mut conn = self.pool.get().await.map_err(|error| error.to_string())?;
            let endpoint = endpoint(&mut conn, payload.department_id)
                .await
                .map_err(|error| error.to_string())?;
            drop(conn);
            let Some(endpoint) = endpoint.filter(|endpoint| endpoint.active) else {
                return Err("the department has no active endpoint".into());
            };
            let body = serde_json::to_vec(&serde_json::json!({
                "id": event.id,
                "kind": payload.kind,
                "created_at": format!("{}Z", event.created_at.format("%Y-%m-%dT%H:%M:%S")),
                "data": payload.data,
            }))
            .map_err(|error| error.to_string())?;
            let timestamp = chrono::Utc::now().timestamp();
            let signature = sign(&endpoint.secret, timestamp, &body);
            let answer = self
                .client
                .post(&endpoint.url)
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .header(EVENT_ID_HEADER, event.id.to_string())
                .header(EVENT_KIND_HEADER, &payload.kind)
                .header(SIGNATURE_HEADER, signature)
                .body(body)
                .send()
                .await
                .map_err(|error| format!("no answer: {}", with_causes(&error)))?;
            let status = answer.status();
            if status.is_success() {
                Ok(())
            } else {
                Err(format!("HTTP {}", status.as_u16()))
            }
        }
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn a_signature_checks_out_only_with_its_secret_body_and_time() {
        let body = br#"{"id":1,"kind":"problem.routed"}"#;
        let header = sign("s3cret", 1_700_000_000, body);
        assert!(header.starts_with("t=1700000000,v1="));
        assert_eq!(verify("s3cret", &header, body, 1_700_000_100, 300), Ok(()));
        assert_eq!(
            verify("other", &header, body, 1_700_000_100, 300),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify("s3cret", &header, b"{\"id\":2}", 1_700_000_100, 300),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify("s3cret", &header, body, 1_700_001_000, 300),
            Err(SignatureError::Stale),
            "a replay a quarter of an hour later"
        );
        let forged_time = header.replace("t=1700000000", "t=1700000900");
        assert_eq!(
            verify("s3cret", &forged_time, body, 1_700_001_000, 300),
            Err(SignatureError::Mismatch),
            "the time is signed too"
        );
        assert_eq!(
            verify("s3cret", "v1=abc", body, 0, 300),
            Err(SignatureError::Malformed)
        );
    }

    #[test]
    fn an_endpoint_takes_only_its_kinds_while_active() {
        let mut endpoint = Endpoint {
            url: "https://sed.example/hook".into(),
            secret: "k".into(),
            event_kinds: vec!["problem.routed".into(), "problem.overdue".into()],
            active: true,
        };
        assert!(endpoint.takes("problem.routed"));
        assert!(!endpoint.takes("problem.reminder"));
        endpoint.active = false;
        assert!(!endpoint.takes("problem.routed"));
    }
}
