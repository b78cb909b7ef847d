//! The scheduler's side of the clock (see the parent module).

use std::future::Future;

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Datetime, Nullable, Unsigned};
use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl};
use platform::ids::DepartmentId;

/// Subjects handled per query, so one run never holds a huge result in memory.
const BATCH: i64 = 500;

/// A kind of subject that carries the reaction clock, and what its owner does when the
/// clock moves. Every hook runs inside the transaction that claimed the move.
pub trait ClockedSubject {
    /// The table holding the subjects and their clock columns.
    const TABLE: &'static str;
    /// How long before the deadline the department is reminded.
    const REMIND_BEFORE: Duration;

    /// The SQL condition, over the table aliased `t`, under which a subject's clock runs
    /// (e.g. `t.status IN ('published', 'in_progress')`); our own text, never input.
    fn running() -> String;

    /// The deadline of subject `id` is near: tell `department`.
    fn reminded(
        conn: &mut AsyncMysqlConnection,
        id: u64,
        department: DepartmentId,
        now: NaiveDateTime,
    ) -> impl Future<Output = QueryResult<()>> + Send;

    /// The deadline of subject `id` passed without a reaction.
    fn overdue(
        conn: &mut AsyncMysqlConnection,
        id: u64,
        department: Option<DepartmentId>,
        now: NaiveDateTime,
    ) -> impl Future<Output = QueryResult<()>> + Send;

    /// Overdue subject `id` was escalated to `supervisor`.
    fn escalated(
        conn: &mut AsyncMysqlConnection,
        id: u64,
        supervisor: DepartmentId,
        now: NaiveDateTime,
    ) -> impl Future<Output = QueryResult<()>> + Send;
}

/// What one run moved.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClockReport {
    /// Departments reminded of a coming deadline.
    pub reminded: u64,
    /// Subjects that became overdue.
    pub overdue: u64,
    /// Overdue subjects escalated to a supervising department.
    pub escalated: u64,
}

/// Moves every clock of `S` at `now`: reminders, then overdue marks, then escalations.
pub async fn run<S: ClockedSubject>(
    conn: &mut AsyncMysqlConnection,
    now: NaiveDateTime,
) -> QueryResult<ClockReport> {
    run_among::<S>(conn, None, now).await
}

/// Moves the clock of subject `id` alone at `now`, as [`run`] would: the test clock of
/// the end-to-end suite, which must not move the other subjects of a shared database.
pub async fn run_one<S: ClockedSubject>(
    conn: &mut AsyncMysqlConnection,
    id: u64,
    now: NaiveDateTime,
) -> QueryResult<ClockReport> {
    run_among::<S>(conn, Some(id), now).await
}

async fn run_among<S: ClockedSubject>(
    conn: &mut AsyncMysqlConnection,
    only: Option<u64>,
    now: NaiveDateTime,
) -> QueryResult<ClockReport> {
    Ok(ClockReport {
        reminded: remind::<S>(conn, only, now).await?,
        overdue: mark_overdue::<S>(conn, only, now).await?,
        escalated: escalate::<S>(conn, only, now).await?,
    })
}

#[derive(QueryableByName)]
struct Due {
    #[diesel(sql_type = Unsigned<BigInt>)]
    id: u64,
    #[diesel(sql_type = Nullable<Unsigned<BigInt>>)]
    department: Option<u64>,
}

async fn due<S: ClockedSubject>(
    conn: &mut AsyncMysqlConnection,
    condition: &str,
    join_supervisor: bool,
    times: &[NaiveDateTime],
    only: Option<u64>,
) -> QueryResult<Vec<Due>> {
    let (department, join) = if join_supervisor {
        (
            "d.supervisor_id",
            "JOIN departments d ON d.id = t.department_id",
        )
    } else {
        ("t.department_id", "")
    };
    let one = if only.is_some() { "AND t.id = ?" } else { "" };
    let sql = format!(
        "SELECT t.id, {department} AS department FROM {} t {join} \
         WHERE {condition} AND ({}) {one} LIMIT {BATCH}",
        S::TABLE,
        S::running()
    );
    let mut query = diesel::sql_query(sql).into_boxed::<diesel::mysql::Mysql>();
    for time in times {
        query = query.bind::<Datetime, _>(*time);
    }
    if let Some(id) = only {
        query = query.bind::<Unsigned<BigInt>, _>(id);
    }
    query.load(conn).await
}

/// Sets `column` to `now` (or to `value`) on subject `id` if it is still NULL; whether
/// this run claimed it.
async fn claim<S: ClockedSubject>(
    conn: &mut AsyncMysqlConnection,
    id: u64,
    set: &str,
    column: &str,
    now: NaiveDateTime,
    value: Option<u64>,
) -> QueryResult<bool> {
    let sql = format!(
        "UPDATE {} SET {set} WHERE id = ? AND {column} IS NULL",
        S::TABLE
    );
    let claimed = match value {
        Some(value) => {
            diesel::sql_query(sql)
                .bind::<Unsigned<BigInt>, _>(value)
                .bind::<Unsigned<BigInt>, _>(id)
                .execute(conn)
                .await?
        }
        None => {
            diesel::sql_query(sql)
                .bind::<Datetime, _>(now)
                .bind::<Unsigned<BigInt>, _>(id)
                .execute(conn)
                .await?
        }
    };
    Ok(claimed == 1)
}

async fn remind<S: ClockedSubject>(
    conn: &mut AsyncMysqlConnection,
    only: Option<u64>,
    now: NaiveDateTime,
) -> QueryResult<u64> {
    let soon = now + S::REMIND_BEFORE;
    let mut reminded = 0;
    loop {
        let due = due::<S>(
            conn,
            "t.reaction_due_at >= ? AND t.reaction_due_at < ? AND t.reminded_at IS NULL \
             AND t.department_id IS NOT NULL",
            false,
            &[now, soon],
            only,
        )
        .await?;
        if due.is_empty() {
            return Ok(reminded);
        }
        for Due { id, department } in due {
            let Some(department) = department.map(DepartmentId) else {
                continue;
            };
            let claimed = conn
                .transaction(async move |conn| {
                    let claimed =
                        claim::<S>(conn, id, "reminded_at = ?", "reminded_at", now, None).await?;
                    if claimed {
                        S::reminded(conn, id, department, now).await?;
                    }
                    QueryResult::Ok(claimed)
                })
                .await?;
            reminded += u64::from(claimed);
        }
    }
}

async fn mark_overdue<S: ClockedSubject>(
    conn: &mut AsyncMysqlConnection,
    only: Option<u64>,
    now: NaiveDateTime,
) -> QueryResult<u64> {
    let mut marked = 0;
    loop {
        let due = due::<S>(
            conn,
            "t.reaction_due_at < ? AND t.overdue_since IS NULL",
            false,
            &[now],
            only,
        )
        .await?;
        if due.is_empty() {
            return Ok(marked);
        }
        for Due { id, department } in due {
            let claimed = conn
                .transaction(async move |conn| {
                    let claimed =
                        claim::<S>(conn, id, "overdue_since = ?", "overdue_since", now, None)
                            .await?;
                    if claimed {
                        S::overdue(conn, id, department.map(DepartmentId), now).await?;
                    }
                    QueryResult::Ok(claimed)
                })
                .await?;
            marked += u64::from(claimed);
        }
    }
}

async fn escalate<S: ClockedSubject>(
    conn: &mut AsyncMysqlConnection,
    only: Option<u64>,
    now: NaiveDateTime,
) -> QueryResult<u64> {
    let mut escalated = 0;
    loop {
        let due = due::<S>(
            conn,
            "t.overdue_since IS NOT NULL AND t.escalated_to IS NULL \
             AND d.supervisor_id IS NOT NULL",
            true,
            &[],
            only,
        )
        .await?;
        if due.is_empty() {
            return Ok(escalated);
        }
        for Due { id, department } in due {
            let Some(supervisor) = department else {
                continue;
            };
            let claimed = conn
                .transaction(async move |conn| {
                    let claimed = claim::<S>(
                        conn,
                        id,
                        "escalated_to = ?",
                        "escalated_to",
                        now,
                        Some(supervisor),
                    )
                    .await?;
                    if claimed {
                        S::escalated(conn, id, DepartmentId(supervisor), now).await?;
                    }
                    QueryResult::Ok(claimed)
                })
                .await?;
            escalated += u64::from(claimed);
        }
    }
}
