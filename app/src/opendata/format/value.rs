//! Cell values and the parser that turns uploaded spreadsheet text into them.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::names::date_in_range;
use super::structure::ColumnType;

/// One cell of a data row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Value {
    /// No value: an empty CSV cell, `xsi:nil` in XML, `null` in JSON.
    Null,
    /// Text (for String columns).
    Text(String),
    /// Whole number (for Integer columns; also accepted by Number columns).
    Integer(i64),
    /// Decimal number (for Number columns); must be finite.
    Number(f64),
    /// Calendar date (for Date columns); years 1-9999.
    Date(NaiveDate),
    /// Truth value (for Boolean columns).
    Boolean(bool),
}

impl Value {
    /// Short name of the variant, for error messages.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Text(_) => "text",
            Value::Integer(_) => "integer",
            Value::Number(_) => "number",
            Value::Date(_) => "date",
            Value::Boolean(_) => "boolean",
        }
    }

    /// True when this value may stand in a column of type `kind`.
    ///
    /// Null fits every column (no column is mandatory in v3.0), and an integer fits a
    /// Number column because every integer is a valid decimal.
    pub fn fits(&self, kind: ColumnType) -> bool {
        matches!(
            (self, kind),
            (Value::Null, _)
                | (Value::Text(_), ColumnType::String)
                | (Value::Integer(_), ColumnType::Integer | ColumnType::Number)
                | (Value::Number(_), ColumnType::Number)
                | (Value::Date(_), ColumnType::Date)
                | (Value::Boolean(_), ColumnType::Boolean)
        )
    }
}

/// Why a cell's text is not a value of the requested type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CellError {
    /// Not a whole number in `i64` range.
    #[error("{0:?} is not an integer")]
    NotInteger(String),
    /// Not a decimal number.
    #[error("{0:?} is not a number")]
    NotNumber(String),
    /// Not a date `dd.mm.yyyy` or `yyyy-mm-dd`.
    #[error("{0:?} is not a date (dd.mm.yyyy or yyyy-mm-dd)")]
    NotDate(String),
    /// Not one of да/нет/true/false.
    #[error("{0:?} is not a boolean (да/нет/true/false)")]
    NotBoolean(String),
}

/// Parses the text of an uploaded cell as a value of column type `kind`.
///
/// A cell that is empty or only whitespace is [`Value::Null`] for every type, since a
/// spreadsheet cannot tell "no value" from "empty text". Text cells are kept as given;
/// typed cells are trimmed first. Accepted forms:
/// * Integer: optional `-`, ASCII digits, in `i64` range. A leading `+` is refused so that
///   phone numbers stay text.
/// * Number: an integer, or one with a `.` or `,` decimal separator and digits on both sides
///   (`45,0355`). No exponents, thousands separators, `inf` or `NaN`.
/// * Date: `dd.mm.yyyy` (day and month may have one digit) or ISO `yyyy-mm-dd`.
/// * Boolean: `да`, `нет`, `true`, `false`, in any letter case.
pub fn parse_cell(text: &str, kind: ColumnType) -> Result<Value, CellError> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Ok(Value::Null);
    }
    match kind {
        ColumnType::String => Ok(Value::Text(text.to_owned())),
        ColumnType::Integer => parse_integer(trimmed)
            .map(Value::Integer)
            .ok_or_else(|| CellError::NotInteger(text.to_owned())),
        ColumnType::Number => parse_number(trimmed)
            .map(Value::Number)
            .ok_or_else(|| CellError::NotNumber(text.to_owned())),
        ColumnType::Date => parse_date(trimmed)
            .map(Value::Date)
            .ok_or_else(|| CellError::NotDate(text.to_owned())),
        ColumnType::Boolean => parse_boolean(trimmed)
            .map(Value::Boolean)
            .ok_or_else(|| CellError::NotBoolean(text.to_owned())),
    }
}

/// `-?[0-9]+` in `i64` range.
pub(crate) fn parse_integer(s: &str) -> Option<i64> {
    let digits = s.strip_prefix('-').unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// `-?[0-9]+([.,][0-9]+)?`, as a finite `f64`.
pub(crate) fn parse_number(s: &str) -> Option<f64> {
    let unsigned = s.strip_prefix('-').unwrap_or(s);
    let (whole, fraction) = match unsigned.split_once(['.', ',']) {
        Some((w, f)) => (w, Some(f)),
        None => (unsigned, None),
    };
    let all_digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(whole) || !fraction.is_none_or(all_digits) {
        return None;
    }
    let value: f64 = s.replace(',', ".").parse().ok()?;
    // Hundreds of digits overflow to infinity, which no output format can carry.
    value.is_finite().then_some(value)
}

/// `d.m.yyyy` / `dd.mm.yyyy` or `yyyy-mm-dd`, a real date in years 1-9999.
pub(crate) fn parse_date(s: &str) -> Option<NaiveDate> {
    let number = |part: &str, min: usize, max: usize| -> Option<u32> {
        if (min..=max).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit()) {
            part.parse().ok()
        } else {
            None
        }
    };
    let (year, month, day) = if let Some((day, rest)) = s.split_once('.') {
        let (month, year) = rest.split_once('.')?;
        (
            number(year, 4, 4)?,
            number(month, 1, 2)?,
            number(day, 1, 2)?,
        )
    } else {
        let mut parts = s.split('-');
        let year = number(parts.next()?, 4, 4)?;
        let month = number(parts.next()?, 2, 2)?;
        let day = number(parts.next()?, 2, 2)?;
        if parts.next().is_some() {
            return None;
        }
        (year, month, day)
    };
    let year = i32::try_from(year).ok()?;
    NaiveDate::from_ymd_opt(year, month, day).filter(|d| date_in_range(*d))
}

/// да/нет/true/false in any case, compared without allocating.
pub(crate) fn parse_boolean(s: &str) -> Option<bool> {
    let is = |word: &str| s.chars().flat_map(char::to_lowercase).eq(word.chars());
    if is("да") || is("true") {
        Some(true)
    } else if is("нет") || is("false") {
        Some(false)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    #[test]
    fn empty_cells_are_null_for_every_type() {
        for kind in ColumnType::ALL {
            assert_eq!(parse_cell("", kind), Ok(Value::Null));
            assert_eq!(parse_cell(" \t", kind), Ok(Value::Null));
        }
    }

    #[test]
    fn strings_are_kept_verbatim() {
        assert_eq!(
            parse_cell(" ул. Красная, 1 ", ColumnType::String),
            Ok(Value::Text(" ул. Красная, 1 ".into()))
        );
    }

    #[test]
    fn integers() {
        assert_eq!(
            parse_cell("42", ColumnType::Integer),
            Ok(Value::Integer(42))
        );
        assert_eq!(
            parse_cell(" -7 ", ColumnType::Integer),
            Ok(Value::Integer(-7))
        );
        assert_eq!(
            parse_cell("9223372036854775807", ColumnType::Integer),
            Ok(Value::Integer(i64::MAX))
        );
        for bad in ["+7", "1.5", "1 000", "9223372036854775808", "-", "12a", "٣"] {
            assert_eq!(
                parse_cell(bad, ColumnType::Integer),
                Err(CellError::NotInteger(bad.into())),
                "{bad}"
            );
        }
    }

    #[test]
    fn numbers_accept_comma_decimals() {
        assert_eq!(
            parse_cell("45,0355", ColumnType::Number),
            Ok(Value::Number(45.0355))
        );
        assert_eq!(
            parse_cell("-38.97", ColumnType::Number),
            Ok(Value::Number(-38.97))
        );
        assert_eq!(
            parse_cell("12", ColumnType::Number),
            Ok(Value::Number(12.0))
        );
        for bad in [
            "1e5",
            ".5",
            "5.",
            "1,000.5",
            "NaN",
            "inf",
            "+1",
            "1 000",
            "--1",
            &"9".repeat(400),
        ] {
            assert_eq!(
                parse_cell(bad, ColumnType::Number),
                Err(CellError::NotNumber(bad.into())),
                "{bad}"
            );
        }
    }

    #[test]
    fn dates_russian_and_iso() {
        assert_eq!(
            parse_cell("01.06.2013", ColumnType::Date),
            Ok(Value::Date(d(2013, 6, 1)))
        );
        assert_eq!(
            parse_cell("1.6.2013", ColumnType::Date),
            Ok(Value::Date(d(2013, 6, 1)))
        );
        assert_eq!(
            parse_cell("2013-06-01", ColumnType::Date),
            Ok(Value::Date(d(2013, 6, 1)))
        );
        for bad in [
            "31.02.2013",
            "2013-6-1",
            "01.06.13",
            "2013-06-01T00:00",
            "20130601",
            "01/06/2013",
            "0000-01-01",
            "1.1.1.2000",
        ] {
            assert_eq!(
                parse_cell(bad, ColumnType::Date),
                Err(CellError::NotDate(bad.into())),
                "{bad}"
            );
        }
    }

    #[test]
    fn booleans_in_russian_and_english() {
        for (text, value) in [
            ("да", true),
            ("Да", true),
            ("ДА", true),
            ("true", true),
            ("TRUE", true),
            ("нет", false),
            ("Нет", false),
            ("false", false),
            ("False", false),
        ] {
            assert_eq!(
                parse_cell(text, ColumnType::Boolean),
                Ok(Value::Boolean(value)),
                "{text}"
            );
        }
        for bad in ["1", "0", "yes", "д", "дааа"] {
            assert_eq!(
                parse_cell(bad, ColumnType::Boolean),
                Err(CellError::NotBoolean(bad.into()))
            );
        }
    }

    #[test]
    fn value_fits_column() {
        assert!(Value::Null.fits(ColumnType::Integer));
        assert!(Value::Integer(1).fits(ColumnType::Number));
        assert!(!Value::Number(1.0).fits(ColumnType::Integer));
        assert!(!Value::Text("1".into()).fits(ColumnType::Integer));
        assert!(Value::Date(d(2020, 1, 1)).fits(ColumnType::Date));
        assert_eq!(Value::Boolean(true).kind_name(), "boolean");
    }

    #[test]
    fn cell_error_messages() {
        assert_eq!(
            CellError::NotDate("x".into()).to_string(),
            "\"x\" is not a date (dd.mm.yyyy or yyyy-mm-dd)"
        );
    }
}
