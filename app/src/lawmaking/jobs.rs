//! The stage clock under a job lease: several server instances tick, one of them moves
//! the initiatives whose published dates passed (see `Initiatives::run_stage_clock`,
//! which re-checks every move under the initiative's lock as well).

use chrono::NaiveDateTime;
use diesel_async::AsyncMysqlConnection;

use super::queries::{Initiatives, StageClockReport};
use platform::error::AppError;
use platform::jobs::{Lease, under_lease};

/// The name of the stage clock's lease.
pub const STAGE_CLOCK_JOB: &str = "initiative-stages";

/// Runs the stage clock once as `holder`, if no other instance holds its lease; `None`
/// when another instance does.
pub async fn run_stage_clock_once(
    conn: &mut AsyncMysqlConnection,
    holder: &str,
    now: NaiveDateTime,
) -> Result<Option<StageClockReport>, AppError> {
    let lease = Lease::minutes(STAGE_CLOCK_JOB, holder, now, 10);
    under_lease(conn, lease, async |conn| {
        Initiatives::run_stage_clock(conn, now).await
    })
    .await
}
