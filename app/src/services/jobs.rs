//! The monthly snapshot job: on each scheduler tick, under a lease, builds the snapshot of
//! every closed month that has none (normally the month just ended, once).

use chrono::NaiveDateTime;
use diesel_async::AsyncMysqlConnection;

use super::model::{RankMethod, SnapshotSummary, month_of};
use super::queries::Snapshots;
use platform::error::AppError;
use platform::jobs::{Lease, under_lease};

/// The lease's name in `job_leases`.
pub const SNAPSHOT_JOB: &str = "service_rank_snapshots";

/// Builds the snapshots due at `now` as `holder`; `None` when another instance holds the
/// lease. Each month is built in its own transaction, so a crash keeps the months already
/// built and leaves nothing of the one it was building.
pub async fn build_due_snapshots_once(
    conn: &mut AsyncMysqlConnection,
    holder: &str,
    now: NaiveDateTime,
) -> Result<Option<Vec<SnapshotSummary>>, AppError> {
    let lease = Lease::minutes(SNAPSHOT_JOB, holder, now, 10);
    under_lease(conn, lease, async |conn| build_due(conn, now).await).await
}

/// Builds every snapshot due at `now`, oldest month first; the test clock calls it
/// directly (each month's unique key keeps it to one build, lease or not).
pub async fn build_due(
    conn: &mut AsyncMysqlConnection,
    now: NaiveDateTime,
) -> Result<Vec<SnapshotSummary>, AppError> {
    let open_month = month_of(platform::clock::region_date(now));
    let mut built = Vec::new();
    for month in Snapshots::due(conn, open_month).await? {
        if let Some(summary) = Snapshots::build(conn, month, RankMethod::CURRENT, now).await? {
            built.push(summary);
        }
    }
    Ok(built)
}
