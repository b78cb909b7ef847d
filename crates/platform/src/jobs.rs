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

/// Which lease a run takes: the job's name, this instance's name, the moment and how long
/// the lease lasts (longer than any run takes, so that it never lapses mid-run).
#[derive(Debug, Clone, Copy)]
pub struct Lease<'a> {
    pub job: &'a str,
    pub holder: &'a str,
    pub now: NaiveDateTime,
    pub ttl: Duration,
}

impl<'a> Lease<'a> {
    /// The lease of `job` for `holder` from `now`, lasting `minutes`.
    pub fn minutes(job: &'a str, holder: &'a str, now: NaiveDateTime, minutes: i64) -> Self {
        Lease {
            job,
            holder,
            now,
            ttl: Duration::minutes(minutes),
        }
    }
}

/// Runs `work` only if this instance gets `lease`, and gives the lease back after the run
/// whatever its outcome; `None` when another instance holds it. Every scheduled job runs
/// through here, so that of several instances exactly one does the work at a time.
pub async fn under_lease<T, E>(
    conn: &mut AsyncMysqlConnection,
    lease: Lease<'_>,
    work: impl AsyncFnOnce(&mut AsyncMysqlConnection) -> Result<T, E>,
) -> Result<Option<T>, E>
where
    E: From<diesel::result::Error>,
{
    if !try_lease(conn, lease.job, lease.holder, lease.now, lease.ttl).await? {
        return Ok(None);
    }
    let outcome = work(conn).await;
    release_lease(conn, lease.job, lease.holder, lease.now).await?;
    outcome.map(Some)
}
