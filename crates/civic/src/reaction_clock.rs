//! The reaction clock: a public deadline for an official reaction that any subject can
//! carry, with a reminder to the responsible department before it, the overdue mark when
//! it passes, and the escalation of an overdue subject to the department's supervisor.
//!
//! A subject carries the clock as columns of its own table (so that its lists filter and
//! sort by the deadline through its own indexes): `id`, `department_id`,
//! `reaction_due_at`, `reminded_at`, `overdue_since` and `escalated_to`. The owner
//! starts and stops the clock when its own steps say so; [`run`] moves every clock of one
//! kind at `now`, and the owner's [`ClockedSubject`] hooks write its timeline and
//! notifications in the same transaction as each move.
//!
//! Several server instances run the scheduler under one job lease, and every move is also
//! claimed by its own condition (`... AND overdue_since IS NULL`), so even a run that
//! outlived its lease never acts twice.

use chrono::NaiveDateTime;

#[cfg(feature = "ssr")]
mod job;
#[cfg(feature = "ssr")]
pub use job::{ClockReport, ClockedSubject, run, run_one};

/// The public countdown: whole days left until `due` (negative when overdue), rounding a
/// started day up so that "due today" reads as 0 days left only when less than a day remains.
pub fn days_left(due: NaiveDateTime, now: NaiveDateTime) -> i64 {
    let seconds = (due - now).num_seconds();
    if seconds >= 0 {
        (seconds + 86_399) / 86_400
    } else {
        -((-seconds + 86_399) / 86_400)
    }
}
