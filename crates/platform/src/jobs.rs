//! Leases of scheduled jobs: several server instances run the scheduler, and a lease row
//! in `job_leases` lets exactly one of them run a job at a time. A lease expires, so a
//! crashed holder never blocks the job for longer than its time to live.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use diesel_async::{AsyncMysqlConnection, RunQueryDsl};

use crate::db::schema::job_leases;

/// Takes the lease of `job` for `holder` until `now + ttl` if nobody holds it; returns
/// whether this caller got it. The conditional UPDATE is atomic, so of several instances
/// trying at once exactly one sees a changed row.
pub async fn try_lease(
    conn: &mut AsyncMysqlConnection,
    job: &str,
    holder: &str,
    now: NaiveDateTime,
    ttl: Duration,
) -> QueryResult<bool> {
    diesel::insert_or_ignore_into(job_leases::table)
        .values((
            job_leases::job.eq(job),
            job_leases::holder.eq(""),
            job_leases::lease_until.eq(now - Duration::seconds(1)),
        ))
        .execute(conn)
        .await?;
    let taken = diesel::update(
        job_leases::table
            .find(job)
            .filter(job_leases::lease_until.lt(now)),
    )
    .set((
        job_leases::holder.eq(holder),
        job_leases::lease_until.eq(now + ttl),
    ))
    .execute(conn)
    .await?;
    Ok(taken == 1)
}

/// Gives the lease back after a run.
pub async fn release_lease(
    conn: &mut AsyncMysqlConnection,
    job: &str,
    holder: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(
        job_leases::table
            .find(job)
            .filter(job_leases::holder.eq(holder)),
    )
    .set((
        job_leases::lease_until.eq(now),
        job_leases::last_finished_at.eq(now),
    ))
    .execute(conn)
    .await
    .map(drop)
}
