//! The in-process scheduler: every instance ticks; the deadline job's lease in the
//! database lets exactly one of them act per run (see `app::problems::jobs`), and so do
//! the initiatives' stage clock (`app::lawmaking::jobs`) and the dashboard's refresh
//! (`app::dashboard::jobs`). Each tick
//! also marks registry imports whose server died mid-phase as failed, removes staged
//! photos that no report took and inspection acts that no verdict named within a day
//! (each under its own lease, see `app::photos::jobs` and `app::constructions::acts`),
//! removes registry workbooks and open-data uploads left for a week, forgets expired
//! sessions, idle sign-in throttles, past write counts and unconfirmed registrations, and
//! once a day publishes the live open datasets (again under a lease).

use std::time::Duration;

use app::auth::queries::{LoginThrottles, Registrations, Sessions};
use app::constructions::acts::remove_unattached_once;
use app::constructions::importer::Imports;
use app::dashboard::jobs::refresh_once;
use app::lawmaking::jobs::run_stage_clock_once;
use app::opendata::jobs::publish_once_a_day;
use app::opendata::manage::Manage;
use app::opendata::queries::Publisher;
use app::photos::jobs::clean_up_staged_once;
use app::problems::jobs::run_deadlines_once;
use platform::config::AppConfig;
use platform::db::DbPool;

/// How long an uploaded registry workbook or open-data file waits for its official to
/// check, commit or publish it before it is removed.
const ABANDONED_UPLOAD_AGE: chrono::Duration = chrono::Duration::days(7);

/// Runs the deadline job, the import sweep, the staged-photo cleanup and the daily
/// open-data publication (when a publisher is configured) every `interval` until the
/// process ends.
pub fn spawn(pool: DbPool, interval: Duration, config: AppConfig, publisher: Option<Publisher>) {
    let holder = crate::instance_name();
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(interval);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        loop {
            ticks.tick().await;
            let deadline_holder = holder.clone();
            let outcome = platform::db::run(&pool, move |mut conn| async move {
                run_deadlines_once(&mut conn, &deadline_holder, platform::clock::now()).await
            })
            .await;
            match outcome {
                Ok(Some(report)) if report != Default::default() => {
                    tracing::info!(?report, "deadline job acted");
                }
                Ok(_) => {}
                Err(error) => tracing::error!(%error, "deadline job failed"),
            }
            let stages_holder = holder.clone();
            let stages = platform::db::run(&pool, move |mut conn| async move {
                run_stage_clock_once(&mut conn, &stages_holder, platform::clock::now()).await
            })
            .await;
            match stages {
                Ok(Some(report)) if report != Default::default() => {
                    tracing::info!(?report, "initiative stage clock acted");
                }
                Ok(_) => {}
                Err(error) => tracing::error!(%error, "initiative stage clock failed"),
            }
            let refresh_holder = holder.clone();
            let refreshed = platform::db::run(&pool, move |mut conn| async move {
                refresh_once(&mut conn, &refresh_holder, platform::clock::now()).await
            })
            .await;
            match refreshed {
                Ok(Some(report)) if report.full => {
                    tracing::info!(months = report.months, "dashboard figures rebuilt")
                }
                Ok(_) => {}
                Err(error) => tracing::error!(%error, "dashboard refresh failed"),
            }
            // Idempotent, so every instance may run it: no lease needed.
            let recovered = platform::db::run(&pool, |mut conn| async move {
                Ok(Imports::fail_interrupted(&mut conn, platform::clock::now()).await?)
            })
            .await;
            match recovered {
                Ok(0) => {}
                Ok(count) => {
                    tracing::warn!(count, "imports interrupted by a restart marked failed")
                }
                Err(error) => tracing::error!(%error, "interrupted-import sweep failed"),
            }
            // Expired sessions, idle sign-in throttles and past write counts: idempotent,
            // like the sweep above.
            let forgotten = platform::db::run(&pool, |mut conn| async move {
                let now = platform::clock::now();
                let day_ago = now - chrono::Duration::days(1);
                let sessions = Sessions::purge_expired(&mut conn, now).await?;
                let throttles = LoginThrottles::purge_idle(&mut conn, day_ago).await?;
                let counts = platform::rate_limit::purge(&mut conn, day_ago).await?;
                let registrations = Registrations::purge_expired(&mut conn, now).await?;
                Ok((sessions, throttles, counts, registrations))
            })
            .await;
            match forgotten {
                Ok((0, 0, 0, 0)) => {}
                Ok((sessions, throttles, counts, registrations)) => {
                    tracing::info!(
                        sessions,
                        throttles,
                        counts,
                        registrations,
                        "expired sessions, abuse-control state and registrations removed"
                    )
                }
                Err(error) => tracing::error!(%error, "expired abuse-control state sweep failed"),
            }
            // Uploaded files nobody came back for within a week: registry workbooks and
            // open-data uploads. Each removal is guarded by its row, so it is idempotent.
            let import_dir = config.import_dir.clone();
            let expired = platform::db::run(&pool, move |mut conn| async move {
                let cutoff = platform::clock::now() - ABANDONED_UPLOAD_AGE;
                let workbooks = Imports::expire_abandoned(&mut conn, &import_dir, cutoff).await?;
                let uploads = Manage::discard_abandoned(&mut conn, &import_dir, cutoff).await?;
                Ok((workbooks, uploads))
            })
            .await;
            match expired {
                Ok((0, 0)) => {}
                Ok((workbooks, uploads)) => {
                    tracing::info!(workbooks, uploads, "abandoned uploads removed")
                }
                Err(error) => tracing::error!(%error, "abandoned-upload sweep failed"),
            }
            let (cleanup_holder, media_dir) = (holder.clone(), config.media_dir.clone());
            let cleaned = platform::db::run(&pool, move |mut conn| async move {
                clean_up_staged_once(
                    &mut conn,
                    &cleanup_holder,
                    &media_dir,
                    platform::clock::now(),
                )
                .await
            })
            .await;
            // The count of removed photos is logged by the cleanup itself.
            if let Err(error) = cleaned {
                tracing::error!(%error, "staged-photo cleanup failed");
            }
            let (acts_holder, media_dir) = (holder.clone(), config.media_dir.clone());
            let acts = platform::db::run(&pool, move |mut conn| async move {
                let now = platform::clock::now();
                Ok(remove_unattached_once(&mut conn, &acts_holder, &media_dir, now).await?)
            })
            .await;
            // The count of removed acts is logged by the cleanup itself.
            if let Err(error) = acts {
                tracing::error!(%error, "unattached-act cleanup failed");
            }
            let Some(publisher) = publisher.clone() else {
                continue;
            };
            let publish_holder = holder.clone();
            let hour = config.opendata_publish_hour;
            let published = platform::db::run(&pool, move |mut conn| async move {
                publish_once_a_day(
                    &mut conn,
                    &publish_holder,
                    &publisher,
                    hour,
                    platform::clock::now(),
                )
                .await
            })
            .await;
            match published {
                Ok(Some(outcomes)) => tracing::info!(?outcomes, "open data published"),
                Ok(None) => {}
                Err(error) => tracing::error!(%error, "open-data publication failed"),
            }
        }
    });
}
