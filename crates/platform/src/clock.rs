//! The one clock of the server: every timestamp and deadline is computed from `now()`.

use chrono::NaiveDateTime;

/// The current time in UTC, as stored in `DATETIME` columns.
pub fn now() -> NaiveDateTime {
    chrono::Utc::now().naive_utc()
}
