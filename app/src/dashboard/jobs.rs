//! The refresh job: brings the dashboard's aggregates up to date on each scheduler tick,
//! under a lease, so that one instance at a time does it.

use chrono::NaiveDateTime;
use diesel_async::AsyncMysqlConnection;

use super::queries::{DashboardStats, REFRESH_JOB, RefreshReport};
use platform::error::AppError;
use platform::jobs::{Lease, under_lease};

/// Refreshes the aggregates as `holder` if no other instance holds the lease; `None` when
/// another one does.
pub async fn refresh_once(
    conn: &mut AsyncMysqlConnection,
    holder: &str,
    now: NaiveDateTime,
) -> Result<Option<RefreshReport>, AppError> {
    // The day's full rebuild of a million problems takes about a minute; the lease
    // outlives it with room to spare.
    let lease = Lease::minutes(REFRESH_JOB, holder, now, 15);
    under_lease(conn, lease, async |conn| {
        Ok::<_, AppError>(DashboardStats::refresh(conn, now).await?)
    })
    .await
}
