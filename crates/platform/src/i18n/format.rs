//! Dates and numbers as each locale writes them.

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};

use super::Locale;

const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A date: `26.11.2026` in Russian, `26 Nov 2026` in English.
pub fn format_date(locale: Locale, date: NaiveDate) -> String {
    match locale {
        Locale::Ru => format!("{:02}.{:02}.{}", date.day(), date.month(), date.year()),
        Locale::En => {
            format!(
                "{} {} {}",
                date.day(),
                MONTHS_EN[date.month0() as usize],
                date.year()
            )
        }
    }
}

/// A month (any day of it): `11.2026` in Russian, `2026-11` in English.
pub fn format_month(locale: Locale, month: NaiveDate) -> String {
    match locale {
        Locale::Ru => format!("{:02}.{}", month.month(), month.year()),
        Locale::En => format!("{}-{:02}", month.year(), month.month()),
    }
}

/// A quarter (any day of it): `IV кв. 2026` in Russian, `2026 Q4` in English.
pub fn format_quarter(locale: Locale, day: NaiveDate) -> String {
    let quarter = day.month0() / 3;
    match locale {
        Locale::Ru => format!(
            "{} кв. {}",
            ["I", "II", "III", "IV"][quarter as usize],
            day.year()
        ),
        Locale::En => format!("{} Q{}", day.year(), quarter + 1),
    }
}

/// A date and time (24-hour clock in both locales).
pub fn format_datetime(locale: Locale, at: NaiveDateTime) -> String {
    format!(
        "{} {:02}:{:02}",
        format_date(locale, at.date()),
        at.hour(),
        at.minute()
    )
}

/// Krasnodar Krai keeps Moscow time, UTC+3 all year round (no summer time since 2014).
pub const REGION_UTC_OFFSET_HOURS: i64 = 3;

/// A UTC time as the region's clocks show it.
pub fn format_local_datetime(locale: Locale, utc: NaiveDateTime) -> String {
    format_datetime(
        locale,
        utc + chrono::Duration::hours(REGION_UTC_OFFSET_HOURS),
    )
}

/// An integer with grouped thousands: `5 500 000` (narrow no-break spaces) or `5,500,000`.
pub fn format_integer(locale: Locale, value: i64) -> String {
    let separator = match locale {
        Locale::Ru => '\u{202f}',
        Locale::En => ',',
    };
    let digits = value.unsigned_abs().to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if value < 0 {
        grouped.push('-');
    }
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            grouped.push(separator);
        }
        grouped.push(digit);
    }
    grouped
}

/// A decimal with `places` digits after the decimal mark (`,` in Russian, `.` in English).
pub fn format_decimal(locale: Locale, value: f64, places: usize) -> String {
    let text = format!("{:.*}", places, value.abs());
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let whole: i64 = whole.parse().unwrap_or(0);
    let sign = if value < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
        "-"
    } else {
        ""
    };
    let mark = match locale {
        Locale::Ru => ",",
        Locale::En => ".",
    };
    if fraction.is_empty() {
        format!("{sign}{}", format_integer(locale, whole))
    } else {
        format!("{sign}{}{mark}{fraction}", format_integer(locale, whole))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    #[test]
    fn dates_follow_the_locale() {
        assert_eq!(format_date(Locale::Ru, date(2026, 3, 5)), "05.03.2026");
        assert_eq!(format_date(Locale::En, date(2026, 3, 5)), "5 Mar 2026");
        let at = date(2026, 11, 26).and_hms_opt(9, 7, 0).expect("valid time");
        assert_eq!(format_datetime(Locale::Ru, at), "26.11.2026 09:07");
        assert_eq!(format_month(Locale::Ru, date(2026, 3, 5)), "03.2026");
        assert_eq!(format_month(Locale::En, date(2026, 3, 5)), "2026-03");
        assert_eq!(
            format_quarter(Locale::Ru, date(2026, 12, 31)),
            "IV кв. 2026"
        );
        assert_eq!(format_quarter(Locale::En, date(2026, 1, 1)), "2026 Q1");
    }

    #[test]
    fn integers_are_grouped_by_thousands() {
        assert_eq!(format_integer(Locale::En, 5_500_000), "5,500,000");
        assert_eq!(
            format_integer(Locale::Ru, 5_500_000),
            "5\u{202f}500\u{202f}000"
        );
        assert_eq!(format_integer(Locale::En, 999), "999");
        assert_eq!(format_integer(Locale::En, -1000), "-1,000");
        assert_eq!(format_integer(Locale::En, 0), "0");
    }

    #[test]
    fn decimals_use_the_locale_mark() {
        assert_eq!(format_decimal(Locale::Ru, 1234.5, 1), "1\u{202f}234,5");
        assert_eq!(format_decimal(Locale::En, 1234.56, 2), "1,234.56");
        assert_eq!(format_decimal(Locale::En, -0.25, 2), "-0.25");
        assert_eq!(format_decimal(Locale::En, 3.0, 0), "3");
    }
}
