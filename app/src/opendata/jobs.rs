//! The daily publication of the live datasets. Every server instance ticks; the job's
//! lease lets one act, and it acts once a day: after the configured hour, when the last
//! finished run was on an earlier day. Publishing is itself safe to repeat (one version
//! per day, nothing new when the rows did not change).

use chrono::{NaiveDateTime, Timelike};
use diesel::prelude::*;
use diesel_async::{AsyncMysqlConnection, RunQueryDsl};

use super::model::PublishOutcome;
use super::queries::{Datasets, Publisher};
use platform::db::schema::job_leases;
use platform::error::AppError;
use platform::jobs::{Lease, under_lease};

/// The name of the publication job's lease.
pub const PUBLISH_JOB: &str = "opendata-publish";

/// Publishes the day's versions as `holder` if it is time and no other instance does;
/// `None` when there was nothing to do here.
pub async fn publish_once_a_day(
    conn: &mut AsyncMysqlConnection,
    holder: &str,
    publisher: &Publisher,
    hour: u32,
    now: NaiveDateTime,
) -> Result<Option<Vec<(&'static str, PublishOutcome)>>, AppError> {
    if now.hour() < hour {
        return Ok(None);
    }
    let last_run: Option<Option<NaiveDateTime>> = job_leases::table
        .find(PUBLISH_JOB)
        .select(job_leases::last_finished_at)
        .first(conn)
        .await
        .optional()?;
    if last_run.flatten().is_some_and(|at| at.date() >= now.date()) {
        return Ok(None);
    }
    // A large registry copies in seconds; the lease outlives any run by far.
    let lease = Lease::minutes(PUBLISH_JOB, holder, now, 30);
    under_lease(conn, lease, async |conn| {
        Datasets::publish_all_live(conn, publisher, now.date(), now).await
    })
    .await
}
