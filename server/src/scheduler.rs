//! The in-process scheduler: every instance ticks; the deadline job's lease in the
//! database lets exactly one of them act per run (see `app::problems::jobs`), and so do
//! the initiatives' stage clock (`app::lawmaking::jobs`) and the dashboard's refresh
//! (`app::dashboard::jobs`), the services' monthly rank snapshots
//! (`app::services::jobs`) and the priorities' quarterly ones (`app::priorities::jobs`).
//! Each tick
//! also marks registry imports whose server died mid-phase as failed, removes staged
//! photos that no report took and inspection acts that no verdict named within a day
//! (each under its own lease, see `app::photos::jobs` and `app::constructions::acts`),
//! removes registry workbooks and open-data uploads left for a week, forgets expired
//! sessions, idle sign-in throttles, past write counts and unconfirmed registrations, and
//! once a day publishes the live open datasets (again under a lease).

use std::time::{Duration, Instant};

use app::auth::queries::{LoginThrottles, Registrations, Sessions};
use app::constructions::acts::remove_unattached_once;
use app::constructions::importer::Imports;
use app::dashboard::jobs::refresh_once;
use app::lawmaking::jobs::run_stage_clock_once;
use app::opendata::jobs::publish_once_a_day;
use app::opendata::manage::Manage;
use app::opendata::queries::Publisher;
use app::photos::jobs::clean_up_staged_once;
use app::priorities::jobs::build_due_snapshots_once as build_due_priority_snapshots_once;
use app::problems::jobs::run_deadlines_once;
use app::services::jobs::build_due_snapshots_once;
use platform::config::AppConfig;
use platform::db::DbPool;
use platform::error::AppError;

use crate::metrics::Metrics;

/// How long an uploaded registry workbook or open-data file waits for its official to
/// check, commit or publish it before it is removed.
const ABANDONED_UPLOAD_AGE: chrono::Duration = chrono::Duration::days(7);

/// Runs one job of a round: times and counts it (see `/metrics`) and logs its failure,
/// which does not stop the round.
async fn timed<T>(
    metrics: &Metrics,
    job: &'static str,
    work: impl Future<Output = Result<T, AppError>>,
) -> Option<T> {
    let started = Instant::now();
    let outcome = work.await;
    metrics.job_finished(job, outcome.is_ok(), started.elapsed());
    outcome
        .inspect_err(|error| tracing::error!(%error, job, "scheduled job failed"))
        .ok()
}

/// Runs the deadline job, the import sweep, the staged-photo cleanup and the daily
/// open-data publication (when a publisher is configured) every `interval` until the
/// process ends.
pub fn spawn(
    pool: DbPool,
    interval: Duration,
    config: AppConfig,
    publisher: Option<Publisher>,
    metrics: Metrics,
) {
    let holder = crate::instance_name();
    metrics.scheduler_started(interval);
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(interval);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        loop {
            ticks.tick().await;
            let deadline_holder = holder.clone();
            let deadlines = platform::db::run(&pool, move |mut conn| async move {
                run_deadlines_once(&mut conn, &deadline_holder, platform::clock::now()).await
            });
            if let Some(Some(report)) = timed(&metrics, "deadlines", deadlines).await
                && report != Default::default()
            {
                tracing::info!(?report, "deadline job acted");
            }
            let stages_holder = holder.clone();
            let stages = platform::db::run(&pool, move |mut conn| async move {
                run_stage_clock_once(&mut conn, &stages_holder, platform::clock::now()).await
            });
            if let Some(Some(report)) = timed(&metrics, "initiative_stages", stages).await
                && report != Default::default()
            {
                tracing::info!(?report, "initiative stage clock acted");
            }
            let refresh_holder = holder.clone();
            let refresh = platform::db::run(&pool, move |mut conn| async move {
                refresh_once(&mut conn, &refresh_holder, platform::clock::now()).await
            });
            if let Some(Some(report)) = timed(&metrics, "dashboard_refresh", refresh).await
                && report.full
            {
                tracing::info!(months = report.months, "dashboard figures rebuilt");
            }
            let snapshot_holder = holder.clone();
            let snapshots = platform::db::run(&pool, move |mut conn| async move {
                build_due_snapshots_once(&mut conn, &snapshot_holder, platform::clock::now()).await
            });
            if let Some(Some(built)) = timed(&metrics, "service_rank_snapshots", snapshots).await
                && !built.is_empty()
            {
                tracing::info!(?built, "service rank snapshots built");
            }
            let priority_holder = holder.clone();
            let priority_snapshots = platform::db::run(&pool, move |mut conn| async move {
                build_due_priority_snapshots_once(
                    &mut conn,
                    &priority_holder,
                    platform::clock::now(),
                )
                .await
            });
            if let Some(Some(built)) =
                timed(&metrics, "priority_rank_snapshots", priority_snapshots).await
                && !built.is_empty()
            {
                tracing::info!(?built, "priority rank snapshots built");
            }
            // Idempotent, so every instance may run it: no lease needed.
            let interrupted = platform::db::run(&pool, |mut conn| async move {
                Ok(Imports::fail_interrupted(&mut conn, platform::clock::now()).await?)
            });
            if let Some(count) = timed(&metrics, "interrupted_imports", interrupted).await
                && count > 0
            {
                tracing::warn!(count, "imports interrupted by a restart marked failed");
            }
            // Expired sessions, idle sign-in throttles and past write counts: idempotent,
            // like the sweep above.
            let expired_state = platform::db::run(&pool, |mut conn| async move {
                let now = platform::clock::now();
                let day_ago = now - chrono::Duration::days(1);
                let sessions = Sessions::purge_expired(&mut conn, now).await?;
                let throttles = LoginThrottles::purge_idle(&mut conn, day_ago).await?;
                let counts = platform::rate_limit::purge(&mut conn, day_ago).await?;
                let registrations = Registrations::purge_expired(&mut conn, now).await?;
                Ok((sessions, throttles, counts, registrations))
            });
            if let Some((sessions, throttles, counts, registrations)) =
                timed(&metrics, "expired_state", expired_state).await
                && (sessions, throttles, counts, registrations) != (0, 0, 0, 0)
            {
                tracing::info!(
                    sessions,
                    throttles,
                    counts,
                    registrations,
                    "expired sessions, abuse-control state and registrations removed"
                );
            }
            // Uploaded files nobody came back for within a week: registry workbooks and
            // open-data uploads. Each removal is guarded by its row, so it is idempotent.
            let import_dir = config.import_dir.clone();
            let abandoned = platform::db::run(&pool, move |mut conn| async move {
                let cutoff = platform::clock::now() - ABANDONED_UPLOAD_AGE;
                let workbooks = Imports::expire_abandoned(&mut conn, &import_dir, cutoff).await?;
                let uploads = Manage::discard_abandoned(&mut conn, &import_dir, cutoff).await?;
                Ok((workbooks, uploads))
            });
            if let Some((workbooks, uploads)) =
                timed(&metrics, "abandoned_uploads", abandoned).await
                && (workbooks, uploads) != (0, 0)
            {
                tracing::info!(workbooks, uploads, "abandoned uploads removed");
            }
            // The counts of removed photos and acts are logged by the cleanups themselves.
            let (cleanup_holder, media) = (holder.clone(), config.media.clone());
            let staged_photos = platform::db::run(&pool, move |mut conn| async move {
                clean_up_staged_once(&mut conn, &cleanup_holder, &media, platform::clock::now())
                    .await
            });
            timed(&metrics, "staged_photos", staged_photos).await;
            let (acts_holder, media) = (holder.clone(), config.media.clone());
            let unattached_acts = platform::db::run(&pool, move |mut conn| async move {
                let now = platform::clock::now();
                Ok(remove_unattached_once(&mut conn, &acts_holder, &media, now).await?)
            });
            timed(&metrics, "unattached_acts", unattached_acts).await;
            if let Some(publisher) = publisher.clone() {
                let publish_holder = holder.clone();
                let hour = config.opendata_publish_hour;
                let publication = platform::db::run(&pool, move |mut conn| async move {
                    publish_once_a_day(
                        &mut conn,
                        &publish_holder,
                        &publisher,
                        hour,
                        platform::clock::now(),
                    )
                    .await
                });
                if let Some(Some(outcomes)) =
                    timed(&metrics, "opendata_publication", publication).await
                {
                    tracing::info!(?outcomes, "open data published");
                }
            }
            metrics.scheduler_round_finished();
        }
    });
}
