//! The Open Region server: the axum router around the Leptos app, and the operators'
//! commands. `main.rs` only parses the command line; everything else lives here so that
//! integration tests build exactly the router that serves.

// Leptos views are nested types; rendering the dataset page's view on the server computes
// the layout of a future deeper than the compiler's default query depth (as the browser
// entry's hydration does, see frontend/src/lib.rs).
#![recursion_limit = "512"]

pub mod config;
pub mod metrics;
pub mod outbox;
pub mod public_cache;
pub mod scheduler;
pub mod security;

/// This process among the instances sharing the database (host and process id): the
/// holder named in job leases and outbox claims.
pub fn instance_name() -> String {
    format!(
        "{}-{}",
        std::env::var("HOSTNAME").unwrap_or_else(|_| "server".into()),
        std::process::id()
    )
}

use std::time::Duration;

use app::messages::live::LiveMessages;
use app::opendata::queries::Publisher;
use app::organisation::queries::RecentNames;
use app::{App, shell};
use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use metrics::{Metrics, SchedulerHealth};
use platform::config::AppConfig;
use platform::db::DbPool;
use platform::recent::RecentAnswers;
use platform::routes::Routes;
use public_cache::PublicCache;
use serde_json::json;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::services::ServeDir;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

/// The header that carries a request's id, in and out.
const REQUEST_ID: axum::http::HeaderName = axum::http::HeaderName::from_static("x-request-id");

/// Largest request body accepted (boundary files are the largest input).
pub const MAX_BODY_BYTES: usize = 32 * 1024 * 1024;

/// What every handler may need.
#[derive(Clone)]
pub struct ServerState {
    /// Leptos' options (site root, output name, address).
    pub leptos_options: LeptosOptions,
    /// The database pool.
    pub pool: DbPool,
    /// The application's configuration.
    pub config: AppConfig,
    /// Who publishes the open datasets; `None`: nobody is configured, nothing is published.
    pub publisher: Option<Publisher>,
    /// Answers of heavy work rendered within the last minute (exports).
    pub recent: RecentAnswers,
    /// Anonymous readers' pages and documents, kept for a second.
    pub public_cache: PublicCache,
    /// The catalogue of names every page shows, kept for as long (for every reader).
    pub names: RecentNames,
    /// Requests, jobs, the pool and the backlog, for `/metrics`.
    pub metrics: Metrics,
    /// The open pages that receive their readers' new messages.
    pub live_messages: LiveMessages,
}

impl axum::extract::FromRef<ServerState> for LiveMessages {
    fn from_ref(state: &ServerState) -> Self {
        state.live_messages.clone()
    }
}

impl axum::extract::FromRef<ServerState> for RecentAnswers {
    fn from_ref(state: &ServerState) -> Self {
        state.recent.clone()
    }
}

impl axum::extract::FromRef<ServerState> for LeptosOptions {
    fn from_ref(state: &ServerState) -> Self {
        state.leptos_options.clone()
    }
}

impl axum::extract::FromRef<ServerState> for AppConfig {
    fn from_ref(state: &ServerState) -> Self {
        state.config.clone()
    }
}

impl axum::extract::FromRef<ServerState> for Metrics {
    fn from_ref(state: &ServerState) -> Self {
        state.metrics.clone()
    }
}

impl axum::extract::FromRef<ServerState> for DbPool {
    fn from_ref(state: &ServerState) -> Self {
        state.pool.clone()
    }
}

/// The HTTP endpoints beside the pages and the server functions: health, the public
/// APIs and files, and the uploads. The authorisation matrix reads its list.
pub fn http_routes() -> Routes<ServerState> {
    Routes::new()
        .get("/healthz", healthz)
        .get("/metrics", metrics::serve)
        .merge(app::open311::api::routes())
        .merge(app::answers::routes())
        .merge(app::photos::upload::routes())
        .merge(app::lawmaking::upload::routes())
        .merge(app::services::import::routes())
        .merge(app::lawmaking::exports::routes())
        .merge(app::constructions::importer::routes())
        .merge(app::constructions::acts::routes())
        .merge(app::constructions::exports::routes())
        .merge(app::dashboard::exports::routes())
        .merge(app::opendata::routes::routes())
        .merge(app::opendata::manage::routes())
        .merge(app::opendata::openapi::routes())
        .merge(app::messages::live::routes())
        .merge(app::account_data::download::routes())
}

/// The app's routes, listed once per process. Listing them renders the whole app with
/// resource loading switched off by a process-wide flag (leptos_server's
/// `SuppressResourceLoad`), and a resource that another render first polls meanwhile
/// waits for ever (leptos-rs/leptos#4773). A server builds its router once, before it
/// serves; the integration tests build one per test while other tests render pages, and
/// one of them hung on this.
fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// The whole HTTP application: pages, server functions, health, static files.
pub fn router(state: ServerState) -> Router {
    let routes = route_list();
    let context = {
        let pool = state.pool.clone();
        let config = state.config.clone();
        let publisher = state.publisher.clone();
        let names = state.names.clone();
        move || {
            // The page's scripts carry the nonce its policy names (`security::PageNonce`).
            if let Some(nonce) = use_context::<axum::http::request::Parts>()
                .and_then(|request| request.extensions.get::<security::PageNonce>().cloned())
            {
                provide_context(nonce.0);
            }
            provide_context(pool.clone());
            provide_context(config.clone());
            provide_context(names.clone());
            if let Some(publisher) = &publisher {
                provide_context(publisher.clone());
            }
        }
    };
    let leptos_options = state.leptos_options.clone();
    // The browser's code (the WASM, its JS, the style sheet, Leaflet) goes compressed to
    // browsers that accept it: a phone's first visit loads it over mobile data. The build
    // writes a Brotli and a gzip copy of each file (scripts/compress.mjs), so no request
    // compresses anything. Pages and data keep streaming as they are.
    let code_files = |directory: String| {
        ServeDir::new(directory)
            .precompressed_br()
            .precompressed_gzip()
    };
    let bundle = code_files(format!(
        "{}/{}",
        leptos_options.site_root, leptos_options.site_pkg_dir
    ));
    let vendor = code_files(format!("{}/vendor", leptos_options.site_root));
    // A signed-in page's user is looked up once, before it renders; the files and the
    // HTTP routes beside the pages need no such lookup.
    let pages = Router::new()
        .leptos_routes_with_context(&state, routes, context.clone(), move || {
            shell(leptos_options.clone())
        })
        .layer(axum::middleware::from_fn_with_state(
            state.pool.clone(),
            app::auth::session::look_up_page_user,
        ));
    http_routes()
        .into_router()
        .nest_service("/media", ServeDir::new(state.config.media.directory()))
        .nest_service(&format!("/{}", state.leptos_options.site_pkg_dir), bundle)
        .nest_service("/vendor", vendor)
        .merge(pages)
        .fallback(leptos_axum::file_and_error_handler_with_context::<ServerState, _>(
            context, shell,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.config.clone(),
            security::send_page_policy,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.public_cache.clone(),
            public_cache::answer_anonymous_reads,
        ))
        .layer(axum::middleware::from_fn(
            security::refuse_forms_that_are_not_utf8,
        ))
        .layer(axum::middleware::from_fn(security::refuse_cross_origin_writes))
        .layer(axum::middleware::from_fn_with_state(
            state.config.clone(),
            security::add_security_headers,
        ))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn_with_state(
            state.metrics.clone(),
            metrics::count_requests,
        ))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|request: &axum::http::Request<_>| {
                    let id = request
                        .headers()
                        .get(REQUEST_ID)
                        .and_then(|id| id.to_str().ok())
                        .unwrap_or_default();
                    tracing::info_span!("request", id, method = %request.method(), path = %request.uri().path())
                })
                .on_request(())
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        // Every request has an id (the one nginx gave it, or a new one), named in each of
        // its log lines and returned in the answer's `x-request-id`: a user's report of a
        // failure can be found in the logs.
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .with_state(state)
}

/// `GET /healthz`: whether this instance can serve (200) or not (503: the database does
/// not answer), and apart from that whether its scheduler runs its rounds, which a load
/// balancer need not act on (the other instances' schedulers run the same jobs):
/// `{"status":"ok","database":true,"scheduler":{"state":"running","last_round_seconds_ago":12}}`.
async fn healthz(State(state): State<ServerState>) -> impl IntoResponse {
    let check = async {
        use diesel_async::SimpleAsyncConnection;
        let mut conn = state.pool.get().await.ok()?;
        conn.batch_execute("SELECT 1").await.ok()
    };
    let database = tokio::time::timeout(Duration::from_secs(2), check)
        .await
        .ok()
        .flatten()
        .is_some();
    let scheduler = state.metrics.scheduler_health();
    let (scheduler_state, last_round) = match scheduler {
        SchedulerHealth::Off => ("off", None),
        SchedulerHealth::Starting => ("starting", None),
        SchedulerHealth::Running { ago } => ("running", Some(ago)),
        SchedulerHealth::Stalled { ago } => ("stalled", Some(ago)),
    };
    let healthy = database && !matches!(scheduler, SchedulerHealth::Stalled { .. });
    let status = if database {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let body = json!({
        "status": if healthy { "ok" } else { "degraded" },
        "database": database,
        "scheduler": {
            "state": scheduler_state,
            "last_round_seconds_ago": last_round,
        },
        "version": env!("CARGO_PKG_VERSION"),
    });
    (status, axum::Json(body))
}
