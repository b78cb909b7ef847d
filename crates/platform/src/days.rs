//! A period of whole days as lists take it from a URL: `from=YYYY-MM-DD&to=YYYY-MM-DD`,
//! both days included. The dashboard's figures link to lists narrowed to their period, so
//! every list reads and writes the period the same way.

use chrono::NaiveDate;
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
}
