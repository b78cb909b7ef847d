//! The government's reaction on the civic reaction clock: an initiative in the reaction
//! stage carries the clock on its own row (`reaction_due_at`, `reminded_at`,
//! `overdue_since`, `escalated_to`); this module says what its history and notifications
//! get when the clock moves.

use chrono::{Duration, NaiveDateTime};
use diesel::QueryResult;
use diesel_async::AsyncMysqlConnection;

use super::super::model::expertise::REACTION_REMINDER_DAYS;
use super::super::model::{EventKind, InitiativeId, Stage};
use super::record_event;
use crate::organisation::model::DepartmentId;
use civic::notifications::Notifications;
use civic::reaction_clock::{self, ClockReport, ClockedSubject};

/// Moves the reaction clock of every initiative waiting for the government at `now`.
pub async fn run(conn: &mut AsyncMysqlConnection, now: NaiveDateTime) -> QueryResult<ClockReport> {
    reaction_clock::run::<InitiativeClock>(conn, now).await
}

/// Moves the reaction clock of initiative `id` alone at `now` (the test clock).
pub async fn run_one(
    conn: &mut AsyncMysqlConnection,
    id: InitiativeId,
    now: NaiveDateTime,
) -> QueryResult<ClockReport> {
    reaction_clock::run_one::<InitiativeClock>(conn, id.0, now).await
}

/// Initiatives run the clock while the reaction is due.
struct InitiativeClock;

impl ClockedSubject for InitiativeClock {
    const TABLE: &'static str = "initiatives";
    const REMIND_BEFORE: Duration = Duration::days(REACTION_REMINDER_DAYS);

    fn running() -> String {
        format!("t.stage = '{}'", Stage::Reaction.as_db())
    }

    async fn reminded(
        conn: &mut AsyncMysqlConnection,
        id: u64,
        department: DepartmentId,
        now: NaiveDateTime,
    ) -> QueryResult<()> {
        let subject = InitiativeId(id).subject();
        let kind = EventKind::ReactionReminder.as_db();
        Notifications::to_officials(conn, department, subject, kind, now).await
    }

    async fn overdue(
        conn: &mut AsyncMysqlConnection,
        id: u64,
        department: Option<DepartmentId>,
        now: NaiveDateTime,
    ) -> QueryResult<()> {
        let id = InitiativeId(id);
        let kind = EventKind::ReactionOverdue;
        record_event(conn, id, kind, Stage::Reaction, None, None, now).await?;
        match department {
            Some(department) => {
                Notifications::to_officials(conn, department, id.subject(), kind.as_db(), now).await
            }
            None => Ok(()),
        }
    }

    async fn escalated(
        conn: &mut AsyncMysqlConnection,
        id: u64,
        supervisor: DepartmentId,
        now: NaiveDateTime,
    ) -> QueryResult<()> {
        let id = InitiativeId(id);
        let kind = EventKind::ReactionEscalated;
        record_event(conn, id, kind, Stage::Reaction, None, None, now).await?;
        Notifications::to_officials(conn, supervisor, id.subject(), kind.as_db(), now).await
    }
}
