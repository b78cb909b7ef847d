//! Days: a period of whole days as lists take it from a URL (`from=YYYY-MM-DD&to=YYYY-MM-DD`,
//! both days included; the dashboard's figures link to lists narrowed to their period, so
//! every list reads and writes the period the same way), and working days.

use chrono::{Datelike, Days, Duration, NaiveDate, NaiveDateTime, NaiveTime, Weekday};

use crate::i18n::format::REGION_UTC_OFFSET_HOURS;
use serde::{Deserialize, Serialize};

/// The days from `from` (included) to `before` (excluded); either end may be open.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DayRange {
    /// The first day.
    pub from: Option<NaiveDate>,
    /// The day after the last one.
    pub before: Option<NaiveDate>,
}

/// `YYYY-MM-DD`, or `None` for anything else.
pub fn parse_day(value: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d").ok()
}

impl DayRange {
    /// The period named by a query's `from` and `to` (its last day); a malformed day leaves
    /// that end open, so an edited link still shows a sensible list.
    pub fn from_query(from: &str, to: &str) -> Self {
        DayRange {
            from: parse_day(from),
            before: parse_day(to).and_then(|last| last.succ_opt()),
        }
    }

    /// Whether it leaves both ends open (no narrowing).
    pub fn is_open(&self) -> bool {
        self.from.is_none() && self.before.is_none()
    }

    /// The last day included.
    pub fn last_day(&self) -> Option<NaiveDate> {
        self.before.and_then(|before| before.pred_opt())
    }

    /// Its `from` and `to` values for a query string (empty for an open end).
    pub fn query_values(&self) -> (String, String) {
        let day = |day: Option<NaiveDate>| day.map(|day| day.to_string()).unwrap_or_default();
        (day(self.from), day(self.last_day()))
    }

    /// The conditions for a `DATETIME` column to fall inside it, for a WHERE clause.
    pub fn sql_conditions(&self, column: &str) -> Vec<String> {
        let mut conditions = Vec::new();
        if let Some(from) = self.from {
            conditions.push(format!("{column} >= '{from}'"));
        }
        if let Some(before) = self.before {
            conditions.push(format!("{column} < '{before}'"));
        }
        conditions
    }
}

/// The moment `working_days` working days after `start` (both UTC), counting Monday to
/// Friday of the region's calendar only: the time of Saturdays and Sundays does not run,
/// and a start on a weekend starts on the Monday after it. Public holidays of the Russian
/// production calendar are not known here and count as working days.
pub fn after_working_days(start: NaiveDateTime, working_days: u32) -> NaiveDateTime {
    let offset = Duration::hours(REGION_UTC_OFFSET_HOURS);
    let is_weekend = |day: NaiveDate| matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
    let mut local = start + offset;
    while is_weekend(local.date()) {
        local = local
            .date()
            .checked_add_days(Days::new(1))
            .unwrap_or(local.date())
            .and_time(NaiveTime::MIN);
    }
    for _ in 0..working_days {
        local += Duration::days(1);
        while is_weekend(local.date()) {
            local += Duration::days(1);
        }
    }
    local - offset
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        parse_day(text).expect("a day")
    }

    #[test]
    fn the_last_day_is_included() {
        let range = DayRange::from_query("2026-01-01", "2026-12-31");
        assert_eq!(range.from, Some(day("2026-01-01")));
        assert_eq!(range.before, Some(day("2027-01-01")));
        assert_eq!(range.last_day(), Some(day("2026-12-31")));
        assert_eq!(
            range.sql_conditions("r.created_at"),
            vec![
                "r.created_at >= '2026-01-01'".to_string(),
                "r.created_at < '2027-01-01'".to_string()
            ]
        );
    }

    #[test]
    fn query_values_round_trip() {
        let range = DayRange::from_query("2025-12-01", "2026-11-30");
        let (from, to) = range.query_values();
        assert_eq!((from.as_str(), to.as_str()), ("2025-12-01", "2026-11-30"));
        assert_eq!(DayRange::from_query(&from, &to), range);
    }

    #[test]
    fn malformed_days_leave_that_end_open() {
        let range = DayRange::from_query("yesterday", "2026-02-30");
        assert!(range.is_open());
        assert!(range.sql_conditions("p.created_at").is_empty());
        let half = DayRange::from_query(" 2026-03-01 ", "");
        assert_eq!(half.from, Some(day("2026-03-01")));
        assert_eq!(half.before, None);
        assert_eq!(
            half.query_values(),
            ("2026-03-01".to_string(), String::new())
        );
    }

    #[test]
    fn a_working_day_skips_the_weekend_in_the_region_s_calendar() {
        let utc = |text: &str| {
            NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").expect("a valid test time")
        };
        let cases = [
            // Tuesday 13:00 local: Wednesday 13:00.
            ("2026-03-03 10:00", 1, "2026-03-04 10:00"),
            // Friday 13:00 local: Monday 13:00.
            ("2026-03-06 10:00", 1, "2026-03-09 10:00"),
            // Saturday: from Monday 00:00 local, so Tuesday 00:00 local.
            ("2026-03-07 10:00", 1, "2026-03-09 21:00"),
            // Friday 23:30 UTC is already Saturday 02:30 in the region.
            ("2026-03-06 23:30", 1, "2026-03-09 21:00"),
            // Thursday 13:00 local, three working days: Tuesday 13:00.
            ("2026-03-05 10:00", 3, "2026-03-10 10:00"),
            ("2026-03-05 10:00", 0, "2026-03-05 10:00"),
        ];
        for (start, days, expected) in cases {
            assert_eq!(
                after_working_days(utc(start), days),
                utc(expected),
                "{start} + {days}"
            );
        }
    }
}
