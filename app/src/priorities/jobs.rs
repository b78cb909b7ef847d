//! The quarterly snapshot job: on each scheduler tick, under a lease, builds the snapshot
//! of every closed quarter that has none (normally the quarter just ended, once).

use chrono::NaiveDateTime;
use diesel_async::AsyncMysqlConnection;

use super::model::{RankMethod, SnapshotSummary, quarter_of};
use super::queries::RankSnapshots;
use platform::error::AppError;
use platform::jobs::{Lease, under_lease};

/// The lease's name in `job_leases`.
pub const SNAPSHOT_JOB: &str = "priority_rank_snapshots";

/// Builds the snapshots due at `now` as `holder`; `None` when another instance holds the
/// lease. Each quarter is built in its own transaction, so a crash keeps the quarters
/// already built and leaves nothing of the one it was building.
pub async fn build_due_snapshots_once(
    conn: &mut AsyncMysqlConnection,
    holder: &str,
    now: NaiveDateTime,
) -> Result<Option<Vec<SnapshotSummary>>, AppError> {
    let lease = Lease::minutes(SNAPSHOT_JOB, holder, now, 10);
    under_lease(conn, lease, async |conn| build_due(conn, now).await).await
}

/// Builds every snapshot due at `now`, oldest quarter first; the test clock calls it
/// directly (each quarter's unique key keeps it to one build, lease or not).
pub async fn build_due(
    conn: &mut AsyncMysqlConnection,
    now: NaiveDateTime,
) -> Result<Vec<SnapshotSummary>, AppError> {
    let open_quarter = quarter_of(platform::clock::region_date(now));
    let mut built = Vec::new();
    for quarter in RankSnapshots::due(conn, open_quarter).await? {
        if let Some(summary) = RankSnapshots::build(conn, quarter, RankMethod::CURRENT, now).await?
        {
            built.push(summary);
        }
    }
    Ok(built)
}
