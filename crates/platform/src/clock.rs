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

/// `now` as a page shows it: to the minute. Pages carry the server's time for their
/// countdowns, which count days; without its seconds a page's bytes, and so its ETag,
/// stay the same for a minute while nothing else changes, and a returning browser gets a
/// `304` instead of the whole page again. What the page lets a user do is decided on the
/// server at the exact time.
pub fn as_shown(now: NaiveDateTime) -> NaiveDateTime {
    use chrono::Timelike as _;
    now.with_second(0)
        .and_then(|minute| minute.with_nanosecond(0))
        .unwrap_or(now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_shows_the_time_to_the_minute() {
        let at =
            |text| NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f").expect("a time");
        assert_eq!(
            as_shown(at("2026-12-05 20:59:59.999")),
            at("2026-12-05 20:59:00.0")
        );
        assert_eq!(
            as_shown(at("2026-12-05 21:00:00.0")),
            at("2026-12-05 21:00:00.0")
        );
    }
}
