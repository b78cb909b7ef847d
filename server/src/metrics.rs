//! What an operator's Prometheus reads at `/metrics`: requests and their latencies per
//! route, the connection pool, the scheduled jobs' runs and durations, the outbox's
//! backlog and the registry imports by phase. Counters live in this process (each
//! instance is scraped on its own); the backlog and the imports are read from the
//! database at scrape time, so every instance reports the same shared figures.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use app::auth::session::hash_token;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use platform::db::DbPool;
use platform::db::schema::{outbox_events, registry_imports};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

/// A request's route as the router matched it (`/problems/{id}`, never the number
/// itself, so that the series stay few), its method and its answer's status.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: &'static str,
    route: String,
    status: u16,
}

/// The latency series are per route and method; statuses would multiply them.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: &'static str,
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct JobLabels {
    job: &'static str,
    outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct JobName {
    job: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PoolState {
    state: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StoredStatus {
    status: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ImportPhase {
    phase: String,
}

/// The least time without a finished round after which the scheduler counts as stalled.
const SCHEDULER_GRACE_SECS: u64 = 300;

/// Whether this instance's scheduler runs its rounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchedulerHealth {
    /// Not started on this instance (`OPEN_REGION_JOB_INTERVAL_SECS=0`).
    Off,
    /// Started; its first round has not finished yet.
    Starting,
    /// Its last round finished `ago` seconds ago, within the expected time.
    Running { ago: u64 },
    /// No round has finished for `ago` seconds: the jobs run late or hang.
    Stalled { ago: u64 },
}

type Timings<L> = Family<L, Histogram, fn() -> Histogram>;

/// From half a millisecond to about 16 seconds, doubling.
fn request_seconds() -> Histogram {
    Histogram::new(exponential_buckets(0.0005, 2.0, 16))
}

/// From 10 milliseconds to about 5 minutes, doubling (a publication or a dashboard
/// rebuild takes seconds).
fn job_seconds() -> Histogram {
    Histogram::new(exponential_buckets(0.01, 2.0, 15))
}

struct Instruments {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    request_seconds: Timings<RouteLabels>,
    job_runs: Family<JobLabels, Counter>,
    job_seconds: Timings<JobName>,
    pool_connections: Family<PoolState, Gauge>,
    pool_waiting: Gauge,
    outbox_events: Family<StoredStatus, Gauge>,
    registry_imports: Family<ImportPhase, Gauge>,
    /// How often the scheduler starts a round of its jobs (seconds; 0: it does not run on
    /// this instance).
    scheduler_interval: AtomicU64,
    /// When the scheduler last finished a round of its jobs (Unix seconds; 0: never).
    scheduler_round: AtomicI64,
    /// The hash of the bearer token a scrape must show (hashes compare in a time that
    /// tells nothing of the token); `None`: `/metrics` is open (keep it off the public
    /// network then, e.g. with nginx's `deny`).
    token_hash: Option<String>,
}

/// The process's instruments; cloning shares them.
#[derive(Clone)]
pub struct Metrics(Arc<Instruments>);

impl Default for Metrics {
    fn default() -> Self {
        Self::new(None)
    }
}

impl Metrics {
    pub fn new(token: Option<String>) -> Self {
        let mut registry = Registry::default();
        let requests = Family::default();
        registry.register(
            "http_requests",
            "Requests answered, by route, method and status",
            requests.clone(),
        );
        let request_seconds = Timings::new_with_constructor(request_seconds as fn() -> _);
        registry.register(
            "http_request_duration_seconds",
            "Time to the answer's head, by route and method (a streamed page's body may take longer)",
            request_seconds.clone(),
        );
        let job_runs = Family::default();
        registry.register(
            "job_runs",
            "Runs of the scheduled jobs, by job and outcome",
            job_runs.clone(),
        );
        let job_seconds = Timings::new_with_constructor(job_seconds as fn() -> _);
        registry.register(
            "job_duration_seconds",
            "Duration of the scheduled jobs' runs, by job",
            job_seconds.clone(),
        );
        let pool_connections = Family::default();
        registry.register(
            "db_pool_connections",
            "Database connections of this instance's pool, idle or in use",
            pool_connections.clone(),
        );
        let pool_waiting = Gauge::default();
        registry.register(
            "db_pool_waiting",
            "Tasks waiting for a database connection",
            pool_waiting.clone(),
        );
        let outbox_events = Family::default();
        registry.register(
            "outbox_events",
            "Outbox events (mail, notices, webhooks) by status; pending ones are the backlog",
            outbox_events.clone(),
        );
        let registry_imports = Family::default();
        registry.register(
            "registry_imports",
            "Registry imports by phase",
            registry_imports.clone(),
        );
        Self(Arc::new(Instruments {
            registry,
            requests,
            request_seconds,
            job_runs,
            job_seconds,
            pool_connections,
            pool_waiting,
            outbox_events,
            registry_imports,
            scheduler_interval: AtomicU64::new(0),
            scheduler_round: AtomicI64::new(0),
            token_hash: token.as_deref().map(hash_token),
        }))
    }

    /// Counts a finished run of a scheduled job.
    pub fn job_finished(&self, job: &'static str, succeeded: bool, took: Duration) {
        let outcome = if succeeded { "ok" } else { "failed" };
        self.0
            .job_runs
            .get_or_create(&JobLabels { job, outcome })
            .inc();
        self.0
            .job_seconds
            .get_or_create(&JobName { job })
            .observe(took.as_secs_f64());
    }

    /// Notes that the scheduler runs on this instance, a round every `interval`.
    pub fn scheduler_started(&self, interval: Duration) {
        self.0
            .scheduler_interval
            .store(interval.as_secs().max(1), Ordering::Relaxed);
    }

    /// Notes that the scheduler finished a round of its jobs (see `/healthz`).
    pub fn scheduler_round_finished(&self) {
        self.0
            .scheduler_round
            .store(chrono::Utc::now().timestamp(), Ordering::Relaxed);
    }

    /// The scheduler's health as `/healthz` tells it.
    pub fn scheduler_health(&self) -> SchedulerHealth {
        let interval = self.0.scheduler_interval.load(Ordering::Relaxed);
        if interval == 0 {
            return SchedulerHealth::Off;
        }
        let finished = self.0.scheduler_round.load(Ordering::Relaxed);
        if finished == 0 {
            return SchedulerHealth::Starting;
        }
        let ago =
            u64::try_from(chrono::Utc::now().timestamp().saturating_sub(finished)).unwrap_or(0);
        // A round may run long (a publication, a dashboard rebuild): three intervals, and
        // at least five minutes, pass before a missing round counts as a stall.
        if ago > (3 * interval).max(SCHEDULER_GRACE_SECS) {
            SchedulerHealth::Stalled { ago }
        } else {
            SchedulerHealth::Running { ago }
        }
    }

    fn allows(&self, headers: &HeaderMap) -> bool {
        let Some(token_hash) = &self.0.token_hash else {
            return true;
        };
        headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "))
            .is_some_and(|given| hash_token(given) == *token_hash)
    }

    /// Reads the shared figures from the database into their gauges.
    async fn read_shared_figures(&self, pool: &DbPool) -> Result<(), platform::error::AppError> {
        let (outbox, imports) = platform::db::run(pool, |mut conn| async move {
            // Imported here only: its `load` would shadow the atomics' own above.
            use diesel::prelude::*;
            use diesel_async::RunQueryDsl;
            let outbox: Vec<(String, i64)> = outbox_events::table
                .group_by(outbox_events::status)
                .select((outbox_events::status, diesel::dsl::count_star()))
                .load(&mut conn)
                .await?;
            let imports: Vec<(String, i64)> = registry_imports::table
                .group_by(registry_imports::phase)
                .select((registry_imports::phase, diesel::dsl::count_star()))
                .load(&mut conn)
                .await?;
            Ok((outbox, imports))
        })
        .await?;
        // A status or phase that no row holds any more is dropped, not left at its old
        // count.
        self.0.outbox_events.clear();
        for (status, count) in outbox {
            self.0
                .outbox_events
                .get_or_create(&StoredStatus { status })
                .set(count);
        }
        self.0.registry_imports.clear();
        for (phase, count) in imports {
            self.0
                .registry_imports
                .get_or_create(&ImportPhase { phase })
                .set(count);
        }
        Ok(())
    }

    fn read_pool(&self, pool: &DbPool) {
        let status = pool.status();
        let idle = i64::try_from(status.available).unwrap_or(i64::MAX);
        let open = i64::try_from(status.size).unwrap_or(i64::MAX);
        let pool_connections = &self.0.pool_connections;
        pool_connections
            .get_or_create(&PoolState { state: "idle" })
            .set(idle);
        pool_connections
            .get_or_create(&PoolState { state: "in_use" })
            .set(open.saturating_sub(idle));
        self.0
            .pool_waiting
            .set(i64::try_from(status.waiting).unwrap_or(i64::MAX));
    }
}

/// The method as a fixed label: any other method (anyone can send one) counts as "OTHER",
/// so that nobody can grow the series.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "OTHER",
    }
}

/// Counts and times every request by the route the router matched; requests that no
/// route matched (files, unknown addresses) count as one route, "unmatched".
pub async fn count_requests(
    State(metrics): State<Metrics>,
    request: Request,
    next: Next,
) -> Response {
    let method = method_label(request.method());
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |path| path.as_str().to_owned());
    let started = Instant::now();
    let response = next.run(request).await;
    let took = started.elapsed().as_secs_f64();
    let status = response.status().as_u16();
    let instruments = &metrics.0;
    instruments
        .request_seconds
        .get_or_create(&RouteLabels {
            method,
            route: route.clone(),
        })
        .observe(took);
    instruments
        .requests
        .get_or_create(&RequestLabels {
            method,
            route,
            status,
        })
        .inc();
    response
}

/// `GET /metrics`: the Prometheus text format (version 0.0.4).
pub async fn serve(
    State(metrics): State<Metrics>,
    State(pool): State<DbPool>,
    headers: HeaderMap,
) -> Response {
    if !metrics.allows(&headers) {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"))],
        )
            .into_response();
    }
    metrics.read_pool(&pool);
    if let Err(error) = metrics.read_shared_figures(&pool).await {
        // The process's own figures are still worth a scrape.
        tracing::warn!(%error, "metrics: the shared figures could not be read");
    }
    let mut body = String::new();
    if prometheus_client::encoding::prometheus_text::encode(&mut body, &metrics.0.registry).is_err()
    {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
        )],
        body,
    )
        .into_response()
}
