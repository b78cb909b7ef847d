//! The in-process scheduler: every instance ticks; the deadline job's lease in the
//! database lets exactly one of them act per run (see `app::problems::jobs`). Each tick
//! also marks registry imports whose server died mid-phase as failed.

use std::time::Duration;

use app::constructions::importer::Imports;
use app::db::DbPool;
use app::problems::jobs::run_deadlines_once;

/// Runs the deadline job and the import sweep every `interval` until the process ends.
pub fn spawn(pool: DbPool, interval: Duration) {
    let holder = format!(
        "{}-{}",
        std::env::var("HOSTNAME").unwrap_or_else(|_| "server".into()),
        std::process::id()
    );
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(interval);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        loop {
            ticks.tick().await;
            let holder = holder.clone();
            let outcome = app::db::run(&pool, move |mut conn| async move {
                run_deadlines_once(&mut conn, &holder, app::clock::now()).await
            })
            .await;
            match outcome {
                Ok(Some(report)) if report != Default::default() => {
                    tracing::info!(?report, "deadline job acted");
                }
                Ok(_) => {}
                Err(error) => tracing::error!(%error, "deadline job failed"),
            }
            // Idempotent, so every instance may run it: no lease needed.
            let recovered = app::db::run(&pool, |mut conn| async move {
                Ok(Imports::fail_interrupted(&mut conn, app::clock::now()).await?)
            })
            .await;
            match recovered {
                Ok(0) => {}
                Ok(count) => {
                    tracing::warn!(count, "imports interrupted by a restart marked failed")
                }
                Err(error) => tracing::error!(%error, "interrupted-import sweep failed"),
            }
        }
    });
}
