//! The scheduled deadline job: reminders two days before the deadline, overdue marking,
//! escalation to the supervising department, lapsed plans, and closing resolved problems
//! the author left unanswered for 14 days.
//!
//! Several server instances run the scheduler; a lease row in `job_leases` lets exactly one
//! of them act at a time, and every change is also guarded by its own condition (`... AND
//! overdue_since IS NULL`), so even a run that outlived its lease never acts twice.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl};

use super::model::{CONFIRMATION_DAYS, EventKind, ProblemId, ProblemStatus, REMINDER_DAYS};
use super::queries::notify_department;
use crate::organisation::model::DepartmentId;
use platform::db::schema::{departments, problem_events, problems};
use platform::error::AppError;
use platform::jobs::{release_lease, try_lease};

/// The name of the deadline job's lease.
pub const DEADLINE_JOB: &str = "problem-deadlines";
/// Problems handled per query, so one run never holds a huge result in memory.
const BATCH: i64 = 500;

/// What one run of the deadline job did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeadlineReport {
    /// Departments reminded of a coming deadline.
    pub reminded: u64,
    /// Problems that became overdue (including lapsed plans).
    pub overdue: u64,
    /// Overdue problems escalated to a supervising department.
    pub escalated: u64,
    /// Resolved problems closed after the confirmation window.
    pub closed: u64,
}

/// Runs the deadline job once as `holder`, if no other instance holds its lease; `None`
/// when another instance does.
pub async fn run_deadlines_once(
    conn: &mut AsyncMysqlConnection,
    holder: &str,
    now: NaiveDateTime,
) -> Result<Option<DeadlineReport>, AppError> {
    if !try_lease(conn, DEADLINE_JOB, holder, now, Duration::minutes(10)).await? {
        return Ok(None);
    }
    let report = run_deadlines(conn, now).await;
    release_lease(conn, DEADLINE_JOB, holder, now).await?;
    report.map(Some)
}

/// The work of the deadline job at `now`.
pub async fn run_deadlines(
    conn: &mut AsyncMysqlConnection,
    now: NaiveDateTime,
) -> Result<DeadlineReport, AppError> {
    Ok(DeadlineReport {
        reminded: remind(conn, now).await?,
        overdue: mark_overdue(conn, now).await?,
        escalated: escalate(conn, now).await?,
        closed: close_unanswered(conn, now).await?,
    })
}

fn open_statuses() -> Vec<&'static str> {
    ProblemStatus::OPEN.iter().map(|s| s.as_db()).collect()
}

async fn remind(conn: &mut AsyncMysqlConnection, now: NaiveDateTime) -> QueryResult<u64> {
    let soon = now + Duration::days(REMINDER_DAYS);
    let mut reminded = 0;
    loop {
        let due: Vec<(ProblemId, Option<DepartmentId>)> = problems::table
            .filter(problems::reaction_due_at.ge(now))
            .filter(problems::reaction_due_at.lt(soon))
            .filter(problems::reminded_at.is_null())
            .filter(problems::department_id.is_not_null())
            .filter(problems::status.eq_any(open_statuses()))
            .select((problems::id, problems::department_id))
            .limit(BATCH)
            .load(conn)
            .await?;
        if due.is_empty() {
            return Ok(reminded);
        }
        for (id, department) in due {
            let Some(department) = department else {
                continue;
            };
            let done = conn
                .transaction(async move |conn| {
                    let claimed = diesel::update(
                        problems::table
                            .find(id)
                            .filter(problems::reminded_at.is_null()),
                    )
                    .set(problems::reminded_at.eq(now))
                    .execute(conn)
                    .await?;
                    if claimed == 1 {
                        notify_department(conn, department, id, EventKind::Reminder, now).await?;
                    }
                    QueryResult::Ok(claimed as u64)
                })
                .await?;
            reminded += done;
        }
    }
}

async fn mark_overdue(
    conn: &mut AsyncMysqlConnection,
    now: NaiveDateTime,
) -> Result<u64, AppError> {
    let mut marked = 0;
    loop {
        let due: Vec<(ProblemId, Option<DepartmentId>, String)> = problems::table
            .filter(problems::reaction_due_at.lt(now))
            .filter(problems::overdue_since.is_null())
            .filter(problems::status.eq_any(open_statuses()))
            .select((problems::id, problems::department_id, problems::status))
            .limit(BATCH)
            .load(conn)
            .await?;
        if due.is_empty() {
            return Ok(marked);
        }
        for (id, department, status) in due {
            let done = conn
                .transaction(async move |conn| {
                    let claimed = diesel::update(
                        problems::table
                            .find(id)
                            .filter(problems::overdue_since.is_null()),
                    )
                    .set(problems::overdue_since.eq(now))
                    .execute(conn)
                    .await?;
                    if claimed == 1 {
                        let kind = if status == ProblemStatus::Planned.as_db() {
                            EventKind::PlanLapsed
                        } else {
                            EventKind::Overdue
                        };
                        system_event(conn, id, kind, department, None, now).await?;
                        if let Some(department) = department {
                            notify_department(conn, department, id, kind, now).await?;
                        }
                    }
                    QueryResult::Ok(claimed as u64)
                })
                .await?;
            marked += done;
        }
    }
}

async fn escalate(conn: &mut AsyncMysqlConnection, now: NaiveDateTime) -> QueryResult<u64> {
    let mut escalated = 0;
    loop {
        let due: Vec<(ProblemId, Option<DepartmentId>)> = problems::table
            .inner_join(
                departments::table.on(problems::department_id.eq(departments::id.nullable())),
            )
            .filter(problems::overdue_since.is_not_null())
            .filter(problems::escalated_to.is_null())
            .filter(departments::supervisor_id.is_not_null())
            .filter(problems::status.eq_any(open_statuses()))
            .select((problems::id, departments::supervisor_id))
            .limit(BATCH)
            .load(conn)
            .await?;
        if due.is_empty() {
            return Ok(escalated);
        }
        for (id, supervisor) in due {
            let Some(supervisor) = supervisor else {
                continue;
            };
            let done = conn
                .transaction(async move |conn| {
                    let claimed = diesel::update(
                        problems::table
                            .find(id)
                            .filter(problems::escalated_to.is_null()),
                    )
                    .set(problems::escalated_to.eq(supervisor))
                    .execute(conn)
                    .await?;
                    if claimed == 1 {
                        system_event(conn, id, EventKind::Escalated, Some(supervisor), None, now)
                            .await?;
                        notify_department(conn, supervisor, id, EventKind::Escalated, now).await?;
                    }
                    QueryResult::Ok(claimed as u64)
                })
                .await?;
            escalated += done;
        }
    }
}

async fn close_unanswered(conn: &mut AsyncMysqlConnection, now: NaiveDateTime) -> QueryResult<u64> {
    let cutoff = now - Duration::days(CONFIRMATION_DAYS as i64);
    let mut closed = 0;
    loop {
        let due: Vec<ProblemId> = problems::table
            .filter(problems::status.eq(ProblemStatus::Resolved.as_db()))
            .filter(problems::resolved_at.lt(cutoff))
            .select(problems::id)
            .limit(BATCH)
            .load(conn)
            .await?;
        if due.is_empty() {
            return Ok(closed);
        }
        for id in due {
            let done = conn
                .transaction(async move |conn| {
                    let claimed = diesel::update(
                        problems::table
                            .find(id)
                            .filter(problems::status.eq(ProblemStatus::Resolved.as_db())),
                    )
                    .set((
                        problems::status.eq(ProblemStatus::Closed.as_db()),
                        problems::closed_at.eq(now),
                        problems::updated_at.eq(now),
                    ))
                    .execute(conn)
                    .await?;
                    if claimed == 1 {
                        system_event(conn, id, EventKind::Closed, None, None, now).await?;
                    }
                    QueryResult::Ok(claimed as u64)
                })
                .await?;
            closed += done;
        }
    }
}

/// A timeline entry written by the scheduler, with the followers told.
async fn system_event(
    conn: &mut AsyncMysqlConnection,
    id: ProblemId,
    kind: EventKind,
    department: Option<DepartmentId>,
    body: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(problem_events::table)
        .values((
            problem_events::problem_id.eq(id),
            problem_events::kind.eq(kind.as_db()),
            problem_events::department_id.eq(department),
            problem_events::body.eq(body),
            problem_events::created_at.eq(now),
        ))
        .execute(conn)
        .await?;
    super::queries::notify_followers(conn, id, kind, None, now).await
}
