//! The one clock of the server: every timestamp and deadline is computed from `now()`.

use chrono::NaiveDateTime;

/// The current time in UTC, as stored in `DATETIME` columns.
pub fn now() -> NaiveDateTime {
    chrono::Utc::now().naive_utc()
}

/// `now()` to the minute: the time a public page states its countdowns and "overdue" at.
/// Countdowns count days, and a page rendered again within the minute is then the same
/// bytes, so it keeps its `ETag` and a returning reader gets a `304`.
pub fn page_time() -> NaiveDateTime {
    to_the_minute(now())
}

fn to_the_minute(time: NaiveDateTime) -> NaiveDateTime {
    use chrono::Timelike;
    time.with_second(0)
        .and_then(|time| time.with_nanosecond(0))
        .unwrap_or(time)
}

/// The region's calendar day (Moscow time, UTC+3) at the UTC time `utc`.
pub fn region_date(utc: NaiveDateTime) -> chrono::NaiveDate {
    (utc + chrono::Duration::hours(crate::i18n::format::REGION_UTC_OFFSET_HOURS)).date()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_time_is_cut_to_its_minute() {
        let time = |text: &str| {
            NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f").expect("a time")
        };
        assert_eq!(
            to_the_minute(time("2026-12-05 23:59:59.999999999")),
            time("2026-12-05 23:59:00")
        );
        assert_eq!(
            to_the_minute(time("2026-12-05 08:00:00")),
            time("2026-12-05 08:00:00")
        );
    }
}
