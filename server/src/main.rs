//! `server`: migrate, then serve. `server migrate`: apply migrations and exit.
//! `server seed-demo [--force]`: load the demo data and exit (refused on a database with
//! real accounts unless forced). `server clock --initiative ID --at INSTANT` (or
//! `--problem ID`): run the scheduler's clocks of one initiative (or problem) as of an
//! RFC 3339 instant, past or future, and exit: the test clock with which the end-to-end
//! suite lets a deadline pass. `server clock --services --at INSTANT` builds the service
//! rank snapshots due at that instant (a month ends), `server clock --priorities --at
//! INSTANT` the priority rank snapshots (a quarter ends).

use std::io::IsTerminal;
use std::net::SocketAddr;
use std::process::ExitCode;

use leptos::prelude::get_configuration;
use platform::db;
use server::config::ServerConfig;
use server::{ServerState, router};
use tracing_subscriber::EnvFilter;

/// Rendering a page allocates and frees thousands of small strings; under load glibc's
/// malloc and free took 40% of the server's CPU (perf), mimalloc a fraction of that.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

enum Command {
    Serve,
    Migrate,
    /// `force`: seed even a database that holds real accounts.
    SeedDemo {
        force: bool,
    },
    /// The clocks of one subject at a chosen instant.
    Clock {
        subject: ClockedSubject,
        at: chrono::NaiveDateTime,
    },
}

/// A subject whose clocks the test clock moves.
#[derive(Debug, Clone, Copy)]
enum ClockedSubject {
    Initiative(app::lawmaking::model::InitiativeId),
    Problem(app::problems::model::ProblemId),
    /// The monthly service rank snapshots (the whole region's).
    ServiceRanks,
    /// The quarterly priority rank snapshots.
    PriorityRanks,
}

fn clocked_subject(kind: &str, id: &str) -> Result<ClockedSubject, String> {
    let number: u64 = id
        .parse()
        .map_err(|_| format!("--{kind} takes a number, not {id:?}"))?;
    Ok(match kind {
        "initiative" => ClockedSubject::Initiative(app::lawmaking::model::InitiativeId(number)),
        _ => ClockedSubject::Problem(app::problems::model::ProblemId(number)),
    })
}

fn instant(text: &str) -> Result<chrono::NaiveDateTime, String> {
    chrono::DateTime::parse_from_rfc3339(text)
        .map(|at| at.naive_utc())
        .map_err(|_| format!("--at takes an RFC 3339 instant (2027-01-05T10:00:00Z), not {text:?}"))
}

fn command() -> Result<Command, String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        [] | ["serve"] => Ok(Command::Serve),
        ["migrate"] => Ok(Command::Migrate),
        ["seed-demo"] => Ok(Command::SeedDemo { force: false }),
        ["seed-demo", "--force"] => Ok(Command::SeedDemo { force: true }),
        [
            "clock",
            kind @ ("--initiative" | "--problem"),
            id,
            "--at",
            at,
        ] => Ok(Command::Clock {
            subject: clocked_subject(kind.trim_start_matches("--"), id)?,
            at: instant(at)?,
        }),
        ["clock", "--services", "--at", at] => Ok(Command::Clock {
            subject: ClockedSubject::ServiceRanks,
            at: instant(at)?,
        }),
        ["clock", "--priorities", "--at", at] => Ok(Command::Clock {
            subject: ClockedSubject::PriorityRanks,
            at: instant(at)?,
        }),
        other => Err(format!(
            "unknown command {other:?}; use: server [serve | migrate | seed-demo [--force] \
             | clock (--initiative | --problem) ID --at INSTANT \
             | clock (--services | --priorities) --at INSTANT]"
        )),
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let logs = tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_target(false);
    // Read before the configuration, so that its own errors are logged in the chosen form.
    match std::env::var("OPEN_REGION_LOG_FORMAT").as_deref() {
        // One JSON object per line, with the request's span (its id) in each: for a log
        // collector.
        Ok("json") => logs.json().init(),
        // Colours only for a person at a terminal: logs written to files (CI's, a
        // service's) stay plain text.
        Ok("text") | Err(_) => logs.with_ansi(std::io::stdout().is_terminal()).init(),
        Ok(other) => {
            eprintln!("error: OPEN_REGION_LOG_FORMAT has an invalid value {other:?}: json or text");
            return ExitCode::FAILURE;
        }
    }
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), String> {
    let command = command()?;
    let config = ServerConfig::from_env().map_err(|e| e.to_string())?;
    let pool = db::build_pool(
        &config.database_url,
        config.pool_size,
        std::time::Duration::from_secs(config.statement_timeout_secs),
    )
    .map_err(|e| format!("DATABASE_URL is not usable: {e}"))?;
    let applied = db::run_migrations(&pool)
        .await
        .map_err(|e| format!("migrations failed: {e}"))?;
    tracing::info!(applied = applied.len(), "database migrated");
    match command {
        Command::Migrate => Ok(()),
        Command::SeedDemo { force } => {
            let real = app::seed::real_accounts(&pool)
                .await
                .map_err(|e| format!("counting accounts failed: {e}"))?;
            if real > 0 && !force {
                return Err(format!(
                    "refusing to seed: the database holds {real} accounts that are not demo \
                     accounts, and the demo accounts' password is public; \
                     `server seed-demo --force` seeds anyway"
                ));
            }
            let created = app::seed::seed_demo(&pool, &config.app.media)
                .await
                .map_err(|e| format!("seeding failed: {e}"))?;
            tracing::info!(created, "demo data loaded");
            // The live open datasets, published from the demo data just loaded.
            // Demo data only ever goes into a database without real accounts (checked
            // above); without a configured publisher it is published in the demo's name.
            let publisher = config
                .publisher
                .clone()
                .unwrap_or_else(app::opendata::queries::Publisher::demo);
            let outcomes = db::run(&pool, move |mut conn| async move {
                let now = platform::clock::now();
                let mut outcomes = app::opendata::queries::Datasets::publish_all_live(
                    &mut conn,
                    &publisher,
                    now.date(),
                    now,
                )
                .await?;
                let parks = app::opendata::demo::seed_parks(&mut conn, &publisher, now).await?;
                outcomes.push((app::opendata::demo::PARKS_CODE, parks));
                Ok(outcomes)
            })
            .await
            .map_err(|e| format!("publishing the open data failed: {e}"))?;
            tracing::info!(?outcomes, "open data published");
            Ok(())
        }
        Command::Clock { subject, at } => {
            let report = db::run(&pool, move |mut conn| async move {
                Ok(match subject {
                    ClockedSubject::Initiative(id) => format!(
                        "{:?}",
                        app::lawmaking::queries::Initiatives::run_clock_of(&mut conn, id, at)
                            .await?
                    ),
                    ClockedSubject::Problem(id) => format!(
                        "{:?}",
                        app::problems::jobs::run_clock_of(&mut conn, id, at).await?
                    ),
                    ClockedSubject::ServiceRanks => {
                        format!("{:?}", app::services::jobs::build_due(&mut conn, at).await?)
                    }
                    ClockedSubject::PriorityRanks => format!(
                        "{:?}",
                        app::priorities::jobs::build_due(&mut conn, at).await?
                    ),
                })
            })
            .await
            .map_err(|e| format!("the clocks of {subject:?} failed: {e}"))?;
            tracing::info!(report, %at, "the clocks ran");
            Ok(())
        }
        Command::Serve => serve(config, pool).await,
    }
}

async fn serve(config: ServerConfig, pool: db::DbPool) -> Result<(), String> {
    let leptos_options = get_configuration(None)
        .map_err(|e| format!("Leptos configuration (LEPTOS_* variables): {e}"))?
        .leptos_options;
    let address = leptos_options.site_addr;
    if config.publisher.is_none() {
        tracing::warn!(
            "no open-data publisher is configured (OPEN_REGION_OPENDATA_*): \
             open datasets are not published"
        );
    }
    let metrics = server::metrics::Metrics::new(config.metrics_token.clone());
    if config.job_interval_secs > 0 {
        server::scheduler::spawn(
            pool.clone(),
            std::time::Duration::from_secs(config.job_interval_secs),
            config.app.clone(),
            config.publisher.clone(),
            metrics.clone(),
        );
    }
    if config.mail.poll_ms > 0 {
        let mailer = match &config.mail.smtp_url {
            Some(url) => platform::mail::Mailer::smtp(url, &config.mail.from),
            None => {
                tracing::warn!(
                    directory = %config.mail.directory.display(),
                    "OPEN_REGION_SMTP_URL is not set: e-mail is written to files, not sent"
                );
                platform::mail::Mailer::directory(&config.mail.directory, &config.mail.from)
            }
        }
        .map_err(|e| format!("e-mail (OPEN_REGION_SMTP_URL, _MAIL_DIR, _MAIL_FROM): {e}"))?;
        let extra_roots = match &config.mail.webhook_ca_file {
            Some(path) => Some(
                std::fs::read(path)
                    .map_err(|e| format!("OPEN_REGION_WEBHOOK_CA_FILE {}: {e}", path.display()))?,
            ),
            None => None,
        };
        let webhooks = platform::webhook::WebhookSender::new(pool.clone(), extra_roots.as_deref())
            .map_err(|e| format!("webhook client (OPEN_REGION_WEBHOOK_CA_FILE): {e}"))?;
        server::outbox::spawn(
            pool.clone(),
            mailer,
            webhooks,
            &config.app.site_url,
            std::time::Duration::from_millis(config.mail.poll_ms),
            metrics.clone(),
        );
    }
    let state = ServerState {
        metrics: metrics.clone(),
        leptos_options,
        live_messages: app::messages::live::LiveMessages::new(pool.clone()),
        pool,
        config: config.app,
        publisher: config.publisher,
        recent: Default::default(),
        public_cache: server::public_cache::PublicCache::new(
            std::time::Duration::from_millis(config.public_cache_ms),
            config.public_cache_mb * 1024 * 1024,
        ),
        names: app::organisation::queries::RecentNames::new(std::time::Duration::from_millis(
            config.public_cache_ms,
        )),
    };
    let live_messages = state.live_messages.clone();
    let app = router(state);
    let listener = tokio::net::TcpListener::bind(address)
        .await
        .map_err(|e| format!("cannot listen on {address}: {e}"))?;
    tracing::info!("serving at http://{address}");
    // Without TCP_NODELAY, streamed pages wait ~40 ms per chunk (Nagle + delayed ACK).
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
        if let Err(error) = tcp.set_nodelay(true) {
            tracing::warn!(%error, "could not set TCP_NODELAY");
        }
    });
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        shutdown_signal().await;
        live_messages.close();
    })
    .await
    .map_err(|e| format!("server error: {e}"))
}

async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
