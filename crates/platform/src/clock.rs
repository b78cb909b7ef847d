//! The one clock of the server: every timestamp and deadline is computed from `now()`.

use chrono::NaiveDateTime;

/// The current time in UTC, as stored in `DATETIME` columns.
pub fn now() -> NaiveDateTime {
    chrono::Utc::now().naive_utc()
}

/// The region's calendar day (Moscow time, UTC+3) at the UTC time `utc`.
pub fn region_date(utc: NaiveDateTime) -> chrono::NaiveDate {
    (utc + chrono::Duration::hours(crate::i18n::format::REGION_UTC_OFFSET_HOURS)).date()
}
