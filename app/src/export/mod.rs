//! Table exports (XLSX and PDF) that every feature can offer for download.
//!
//! A feature builds a [`Document`] (a title, the filters applied, one or more tables of
//! typed values) with strings already translated by the caller, and hands it to
//! [`write_xlsx`] or [`write_pdf`], which return the file's bytes. The writers know no
//! feature and no locale; they only lay out what they are given. [`http`] serves a
//! document as a download, with the texts around the data in the reader's language.
//!
//! Both writers are synchronous and CPU-bound (about a second per 100,000 rows), so an
//! axum handler should call them inside `tokio::task::spawn_blocking`.

use std::borrow::Cow;

use chrono::{NaiveDate, NaiveDateTime};

#[cfg(feature = "ssr")]
pub mod http;
mod pdf;
mod xlsx;

pub use pdf::write_pdf;
pub use xlsx::write_xlsx;

/// MIME type of the bytes [`write_xlsx`] returns.
pub const XLSX_CONTENT_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
/// MIME type of the bytes [`write_pdf`] returns.
pub const PDF_CONTENT_TYPE: &str = "application/pdf";

/// Everything one export shows: a heading block and the tables under it.
#[derive(Debug, Clone)]
pub struct Document {
    /// The document's title ("Реестр объектов строительства").
    pub title: String,
    /// The filters applied, as `(label, value)` pairs already formatted for display.
    pub filters: Vec<(String, String)>,
    /// When the export was made (local time of the region, as shown to the user).
    pub generated_at: NaiveDateTime,
    /// The fixed texts around the data, in the user's language.
    pub labels: Labels,
    /// The tables: one worksheet each in XLSX, one section each in PDF.
    pub tables: Vec<Table>,
}

/// The translated texts and number conventions the writers put around the data.
#[derive(Debug, Clone)]
pub struct Labels {
    /// Heading of the filter list ("Фильтры").
    pub filters: String,
    /// Shown instead of the list when no filter is applied ("не заданы").
    pub no_filters: String,
    /// Label of the generation time ("Сформировано").
    pub generated: String,
    /// The page footer, with `{page}` and `{pages}` placeholders
    /// ("Страница {page} из {pages}").
    pub page: String,
    /// Name of the XLSX sheet that holds the title, the time and the filters
    /// ("О выгрузке").
    pub about: String,
    /// Decimal separator for decimals in the PDF (',' in Russian).
    pub decimal_separator: char,
    /// Thousands separator for decimals in the PDF (a no-break space in Russian).
    pub thousands_separator: char,
}

impl Labels {
    /// The footer text of page `page` (1-based) of `pages`.
    pub fn page_text(&self, page: usize, pages: usize) -> String {
        self.page
            .replace("{page}", &page.to_string())
            .replace("{pages}", &pages.to_string())
    }
}

/// One table: a sheet in XLSX, a section with a heading in PDF.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// Sheet name and section heading; sanitised for Excel by the XLSX writer.
    pub name: String,
    /// The columns, left to right.
    pub columns: Vec<Column>,
    /// The rows; each has one value per column (missing trailing values are empty,
    /// extra values are ignored).
    pub rows: Vec<Vec<Value>>,
}

/// A column's header, kind and relative width.
#[derive(Debug, Clone)]
pub struct Column {
    /// Header text.
    pub header: String,
    /// How the column's values are formatted and aligned.
    pub kind: ColumnKind,
    /// Width in characters (Excel's unit); the PDF shares the page width in proportion.
    pub width: f64,
}

impl Column {
    /// A column with the given header, kind and width in characters.
    pub fn new(header: impl Into<String>, kind: ColumnKind, width: f64) -> Self {
        Self {
            header: header.into(),
            kind,
            width,
        }
    }
}

/// How a column's values are formatted and aligned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    /// Left-aligned text, wrapped in the PDF.
    Text,
    /// Whole numbers, right-aligned, without grouping (ids and years stay readable).
    Integer,
    /// Numbers with two decimals and thousands grouping, right-aligned.
    Decimal,
    /// Calendar dates, shown as dd.mm.yyyy.
    Date,
}

/// One cell's value. The value's own type decides how it is written (a text in an
/// integer column stays text), the column's kind decides the number format.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// No value: an empty cell.
    Empty,
    /// Text, always written as a literal (never as a formula).
    Text(String),
    /// A whole number.
    Integer(i64),
    /// A fractional number (money, percentages, areas).
    Decimal(f64),
    /// A calendar date.
    Date(NaiveDate),
}

impl From<String> for Value {
    fn from(text: String) -> Self {
        Value::Text(text)
    }
}

impl From<&str> for Value {
    fn from(text: &str) -> Self {
        Value::Text(text.to_owned())
    }
}

impl From<i64> for Value {
    fn from(number: i64) -> Self {
        Value::Integer(number)
    }
}

impl From<f64> for Value {
    fn from(number: f64) -> Self {
        Value::Decimal(number)
    }
}

impl From<NaiveDate> for Value {
    fn from(date: NaiveDate) -> Self {
        Value::Date(date)
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(value: Option<T>) -> Self {
        value.map_or(Value::Empty, Into::into)
    }
}

impl Value {
    /// The value as the PDF shows it.
    fn display(&self, labels: &Labels) -> Cow<'_, str> {
        match self {
            Value::Empty => Cow::Borrowed(""),
            Value::Text(text) => Cow::Borrowed(text),
            Value::Integer(number) => Cow::Owned(number.to_string()),
            Value::Decimal(number) => Cow::Owned(format_decimal(
                *number,
                labels.decimal_separator,
                labels.thousands_separator,
            )),
            Value::Date(date) => Cow::Owned(date.format(DATE_FORMAT).to_string()),
        }
    }
}

/// The date format of both writers' display (dd.mm.yyyy), in chrono's notation.
const DATE_FORMAT: &str = "%d.%m.%Y";
/// The generation time's format in both writers.
const DATE_TIME_FORMAT: &str = "%d.%m.%Y %H:%M";

/// `number` with two decimals and grouped thousands: `1234567.891` → `1 234 567,89`.
fn format_decimal(number: f64, decimal: char, thousands: char) -> String {
    if !number.is_finite() {
        return number.to_string();
    }
    let fixed = format!("{:.2}", number.abs());
    let (whole, fraction) = fixed.split_once('.').unwrap_or((fixed.as_str(), "00"));
    let mut out = String::with_capacity(fixed.len() + whole.len() / 3 * 3 + 1);
    // "-0.00" would read oddly, so the sign shows only when something non-zero remains.
    if number < 0.0 && fixed.bytes().any(|b| (b'1'..=b'9').contains(&b)) {
        out.push('-');
    }
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(thousands);
        }
        out.push(digit);
    }
    out.push(decimal);
    out.push_str(fraction);
    out
}

/// Why an export could not be written. These are internal failures: a handler logs the
/// cause and answers with a 500.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// rust_xlsxwriter refused the workbook (for example, its temporary file failed).
    #[error("xlsx: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    /// The embedded font could not be read or subset.
    #[error("font: {0}")]
    Font(String),
    /// Compressing a PDF stream failed.
    #[error("deflate: {0}")]
    Deflate(#[from] std::io::Error),
    /// A table has more rows or columns than a worksheet can hold.
    #[error("table {table:?} is too large for a worksheet ({rows} rows, {columns} columns)")]
    TooLarge {
        /// The table's name.
        table: String,
        /// Its number of rows.
        rows: usize,
        /// Its number of columns.
        columns: usize,
    },
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Russian labels, as the i18n module would build them.
    pub(crate) fn labels() -> Labels {
        Labels {
            filters: "Фильтры".into(),
            no_filters: "не заданы".into(),
            generated: "Сформировано".into(),
            page: "Страница {page} из {pages}".into(),
            about: "О выгрузке".into(),
            decimal_separator: ',',
            thousands_separator: '\u{a0}',
        }
    }

    /// A small registry with Cyrillic text, a formula-looking text, dates and numbers.
    pub(crate) fn registry(rows: usize) -> Document {
        let columns = vec![
            Column::new("№", ColumnKind::Integer, 6.0),
            Column::new("Наименование объекта", ColumnKind::Text, 40.0),
            Column::new("Дата начала", ColumnKind::Date, 12.0),
            Column::new("Стоимость, руб.", ColumnKind::Decimal, 16.0),
            Column::new("Примечание", ColumnKind::Text, 24.0),
        ];
        let mut data = vec![vec![
            Value::Integer(1),
            "Школа на 1100 мест в станице Старовеличковской".into(),
            NaiveDate::from_ymd_opt(2024, 3, 15).into(),
            Value::Decimal(1_234_567.891),
            "=HYPERLINK(\"http://example.com\",\"x\")".into(),
        ]];
        for i in 2..=rows {
            data.push(vec![
                Value::Integer(i as i64),
                format!("Объект строительства № {i}").into(),
                Value::Date(NaiveDate::from_ymd_opt(2023, 1, 1).unwrap_or_default()),
                Value::Decimal(i as f64 * 1000.5),
                Value::Empty,
            ]);
        }
        Document {
            title: "Реестр объектов строительства".into(),
            filters: vec![
                ("Муниципалитет".into(), "Краснодар".into()),
                ("Статус".into(), "Строится".into()),
            ],
            generated_at: NaiveDate::from_ymd_opt(2025, 6, 1)
                .and_then(|d| d.and_hms_opt(14, 30, 0))
                .unwrap_or_default(),
            labels: labels(),
            tables: vec![Table {
                name: "Реестр".into(),
                columns,
                rows: data,
            }],
        }
    }

    #[test]
    fn decimals_are_grouped_and_rounded() {
        assert_eq!(format_decimal(1_234_567.891, ',', ' '), "1 234 567,89");
        assert_eq!(format_decimal(-1000.0, ',', ' '), "-1 000,00");
        assert_eq!(format_decimal(-0.001, '.', ','), "0.00");
        assert_eq!(format_decimal(12.5, '.', ','), "12.50");
    }

    #[test]
    fn page_text_fills_placeholders() {
        assert_eq!(labels().page_text(2, 10), "Страница 2 из 10");
    }
}
