//! The scheduled deadline job: reminders two days before the deadline, overdue marking,
//! escalation to the supervising department, lapsed plans (the problem goes back to work
//! and is escalated again), and closing resolved problems the author left unanswered for
//! 14 days.
//!
//! The first three are the civic reaction clock (`civic::reaction_clock`) run over the
//! problems' rows; this module says what a problem's timeline and notifications get when
//! its clock moves. Several server instances run the scheduler; a lease row in
//! `job_leases` lets exactly one of them act at a time, and every change is also guarded
//! by its own condition, so even a run that outlived its lease never acts twice.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl};

use super::model::{CONFIRMATION_DAYS, EventKind, ProblemId, ProblemStatus, REMINDER_DAYS};
use super::queries::{back_to_work, notify_department, record_escalation, record_event};
use crate::organisation::model::{DepartmentId, ThemeId};
use civic::reaction_clock::{self, ClockedSubject};
use platform::db::schema::problems;
use platform::error::AppError;
use platform::jobs::{Lease, under_lease};

/// The name of the deadline job's lease.
pub const DEADLINE_JOB: &str = "problem-deadlines";
/// Problems handled per query, so one run never holds a huge result in memory.
const BATCH: i64 = 500;

/// What one run of the deadline job did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeadlineReport {
    /// Departments reminded of a coming deadline.
    pub reminded: u64,
    /// Problems that became overdue (including lapsed plans, which go back to work and
    /// are escalated in the same move, not counted under `escalated`).
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
    let lease = Lease::minutes(DEADLINE_JOB, holder, now, 10);
    under_lease(conn, lease, async |conn| run_deadlines(conn, now).await).await
}

/// The work of the deadline job at `now`.
pub async fn run_deadlines(
    conn: &mut AsyncMysqlConnection,
    now: NaiveDateTime,
) -> Result<DeadlineReport, AppError> {
    let clock = reaction_clock::run::<ProblemClock>(conn, now).await?;
    Ok(DeadlineReport {
        reminded: clock.reminded,
        overdue: clock.overdue,
        escalated: clock.escalated,
        closed: close_unanswered(conn, now).await?,
    })
}

/// The reaction clock of problem `id` alone at `now`, as the deadline job would move it:
/// the test clock (`server clock --problem`), which lets one problem's deadline pass in a
/// shared database without touching the others.
pub async fn run_clock_of(
    conn: &mut AsyncMysqlConnection,
    id: ProblemId,
    now: NaiveDateTime,
) -> Result<reaction_clock::ClockReport, AppError> {
    Ok(reaction_clock::run_one::<ProblemClock>(conn, id.0, now).await?)
}

/// Problems carry the civic reaction clock on their own row; open ones run it.
struct ProblemClock;

impl ClockedSubject for ProblemClock {
    const TABLE: &'static str = "problems";
    const REMIND_BEFORE: Duration = Duration::days(REMINDER_DAYS);

    fn running() -> String {
        let open: Vec<String> = ProblemStatus::OPEN
            .iter()
            .map(|status| format!("'{}'", status.as_db()))
            .collect();
        format!("t.status IN ({})", open.join(", "))
    }

    async fn reminded(
        conn: &mut AsyncMysqlConnection,
        id: u64,
        department: DepartmentId,
        now: NaiveDateTime,
    ) -> QueryResult<()> {
        notify_department(conn, department, ProblemId(id), EventKind::Reminder, now).await
    }

    async fn overdue(
        conn: &mut AsyncMysqlConnection,
        id: u64,
        department: Option<DepartmentId>,
        now: NaiveDateTime,
    ) -> QueryResult<()> {
        let id = ProblemId(id);
        let (status, theme): (String, ThemeId) = problems::table
            .find(id)
            .select((problems::status, problems::theme_id))
            .first(conn)
            .await?;
        let status = ProblemStatus::from_db(&status);
        let kind = match status {
            Some(ProblemStatus::Planned) => EventKind::PlanLapsed,
            Some(ProblemStatus::Answered) => EventKind::ResultOverdue,
            _ => EventKind::Overdue,
        };
        record_event(conn, id, kind, None, department, None, None, now).await?;
        if let Some(department) = department {
            notify_department(conn, department, id, kind, now).await?;
        }
        if status == Some(ProblemStatus::Planned) {
            back_to_work(conn, id, department, theme, now).await?;
        }
        Ok(())
    }

    async fn escalated(
        conn: &mut AsyncMysqlConnection,
        id: u64,
        supervisor: DepartmentId,
        now: NaiveDateTime,
    ) -> QueryResult<()> {
        record_escalation(conn, ProblemId(id), supervisor, now).await
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
                        record_event(conn, id, EventKind::Closed, None, None, None, None, now)
                            .await?;
                    }
                    QueryResult::Ok(claimed as u64)
                })
                .await?;
            closed += done;
        }
    }
}
