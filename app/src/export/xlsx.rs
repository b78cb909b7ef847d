//! The XLSX writer: one worksheet per table, then an "about" sheet.
//!
//! Each table's header is row 1 and its data starts at row 2, so the sheet is a clean
//! rectangle that Excel's filters, pivot tables, pandas or calamine read without skipping
//! anything. The title, the generation time and the filters go to a separate sheet placed
//! after the tables (so the workbook opens on the data) and to the workbook's
//! properties (title and comment), where file managers and search show them.
//!
//! Table sheets use rust_xlsxwriter's constant-memory mode: each row is flushed to a
//! temporary file as soon as the next one starts, so memory does not grow with the row
//! count. Everything this writer needs (formats, widths, frozen panes, autofilter)
//! works in that mode; strings are stored inline instead of in the shared string table.

use std::collections::HashSet;

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
};

use super::{ColumnKind, DATE_FORMAT, DATE_TIME_FORMAT, Document, ExportError, Table, Value};

/// Excel's limits: rows per sheet (one is the header) and columns per sheet.
const MAX_DATA_ROWS: usize = 1_048_575;
const MAX_COLUMNS: usize = 16_384;
/// Excel's longest cell text, in characters; longer texts are cut, not refused.
const MAX_CELL_CHARS: usize = 32_767;
/// Excel's longest sheet name, in UTF-16 units.
const MAX_SHEET_NAME: usize = 31;

/// The cell formats shared by all sheets.
struct Formats {
    header: Format,
    date: Format,
    decimal: Format,
    integer: Format,
    bold: Format,
    date_time: Format,
}

impl Formats {
    fn new() -> Self {
        Self {
            header: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0xDDE7F3))
                .set_border_bottom(FormatBorder::Thin)
                .set_align(FormatAlign::VerticalCenter),
            date: Format::new().set_num_format("dd.mm.yyyy"),
            decimal: Format::new().set_num_format("#,##0.00"),
            integer: Format::new().set_num_format("0"),
            bold: Format::new().set_bold(),
            date_time: Format::new()
                .set_num_format("dd.mm.yyyy hh:mm")
                .set_align(FormatAlign::Left),
        }
    }
}

/// Writes `doc` as an XLSX workbook and returns its bytes.
pub fn write_xlsx(doc: &Document) -> Result<Vec<u8>, ExportError> {
    let formats = Formats::new();
    let mut workbook = Workbook::new();
    let mut names = SheetNames::default();

    let filters = if doc.filters.is_empty() {
        doc.labels.no_filters.clone()
    } else {
        doc.filters
            .iter()
            .map(|(label, value)| format!("{label}: {value}"))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let mut properties = DocProperties::new()
        .set_title(&doc.title)
        .set_comment(format!(
            "{}: {filters}. {}: {}",
            doc.labels.filters,
            doc.labels.generated,
            doc.generated_at.format(DATE_TIME_FORMAT)
        ));
    if let Some(created) = excel_date_time(&doc.generated_at) {
        properties = properties.set_creation_datetime(&created);
    }
    workbook.set_properties(&properties);

    for (index, table) in doc.tables.iter().enumerate() {
        let name = names.claim(&table.name, index + 1);
        let sheet = workbook.add_worksheet_with_constant_memory()?;
        sheet.set_name(name)?;
        write_table(sheet, table, &formats)?;
    }

    let about_name = names.claim(&doc.labels.about, doc.tables.len() + 1);
    let about = workbook.add_worksheet();
    about.set_name(about_name)?;
    write_about(about, doc, &formats)?;

    Ok(workbook.save_to_buffer()?)
}

/// Writes one table: header in row 0, data below, header frozen, autofilter over all.
fn write_table(sheet: &mut Worksheet, table: &Table, formats: &Formats) -> Result<(), ExportError> {
    if table.rows.len() > MAX_DATA_ROWS || table.columns.len() > MAX_COLUMNS {
        return Err(ExportError::TooLarge {
            table: table.name.clone(),
            rows: table.rows.len(),
            columns: table.columns.len(),
        });
    }
    // Both limits were checked above, so these conversions are lossless.
    let last_row = table.rows.len() as u32;
    for (col, column) in table.columns.iter().enumerate() {
        let col = col as u16;
        if column.width.is_finite() && column.width > 0.0 {
            sheet.set_column_width(col, column.width)?;
        }
        sheet.write_string_with_format(0, col, cell_text(&column.header), &formats.header)?;
    }
    if table.columns.is_empty() {
        return Ok(());
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, last_row, (table.columns.len() - 1) as u16)?;

    for (row, values) in table.rows.iter().enumerate() {
        let row = row as u32 + 1;
        for (col, (column, value)) in table.columns.iter().zip(values).enumerate() {
            let col = col as u16;
            match value {
                Value::Empty => {}
                // write_string never parses its argument, so "=HYPERLINK(...)" stays text.
                Value::Text(text) => {
                    sheet.write_string(row, col, cell_text(text))?;
                }
                Value::Integer(number) => {
                    sheet.write_number_with_format(row, col, *number as f64, &formats.integer)?;
                }
                Value::Decimal(number) => {
                    if column.kind == ColumnKind::Integer {
                        sheet.write_number(row, col, *number)?;
                    } else {
                        sheet.write_number_with_format(row, col, *number, &formats.decimal)?;
                    }
                }
                Value::Date(date) => match excel_date(date) {
                    Some(date) => {
                        sheet.write_date_with_format(row, col, &date, &formats.date)?;
                    }
                    // Excel has no dates before 1900; show such a date as text.
                    None => {
                        sheet.write_string(row, col, date.format(DATE_FORMAT).to_string())?;
                    }
                },
            }
        }
    }
    Ok(())
}

/// Writes the title, the generation time and the filters as label/value rows.
fn write_about(
    sheet: &mut Worksheet,
    doc: &Document,
    formats: &Formats,
) -> Result<(), ExportError> {
    sheet.set_column_width(0, 28)?;
    sheet.set_column_width(1, 60)?;
    sheet.write_string_with_format(0, 0, cell_text(&doc.title), &formats.bold)?;
    sheet.write_string(2, 0, cell_text(&doc.labels.generated))?;
    match excel_date_time(&doc.generated_at) {
        Some(at) => sheet.write_datetime_with_format(2, 1, &at, &formats.date_time)?,
        None => sheet.write_string(2, 1, doc.generated_at.format(DATE_TIME_FORMAT).to_string())?,
    };
    sheet.write_string_with_format(4, 0, cell_text(&doc.labels.filters), &formats.bold)?;
    if doc.filters.is_empty() {
        sheet.write_string(5, 0, cell_text(&doc.labels.no_filters))?;
    }
    for (row, (label, value)) in (5u32..).zip(&doc.filters) {
        sheet.write_string(row, 0, cell_text(label))?;
        sheet.write_string(row, 1, cell_text(value))?;
    }
    Ok(())
}

/// `date` as an Excel date, if Excel can hold it (years 1900 to 9999).
fn excel_date(date: &NaiveDate) -> Option<ExcelDateTime> {
    let year = u16::try_from(date.year()).ok()?;
    ExcelDateTime::from_ymd(year, date.month() as u8, date.day() as u8).ok()
}

/// `at` as an Excel date and time, to the second, if Excel can hold it.
fn excel_date_time(at: &NaiveDateTime) -> Option<ExcelDateTime> {
    excel_date(&at.date())?
        .and_hms(at.hour() as u16, at.minute() as u8, at.second())
        .ok()
}

/// `text` cut to Excel's cell limit (rust_xlsxwriter refuses longer strings).
fn cell_text(text: &str) -> &str {
    match text.char_indices().nth(MAX_CELL_CHARS) {
        Some((end, _)) => &text[..end],
        None => text,
    }
}

/// Hands out valid, unique sheet names.
#[derive(Default)]
struct SheetNames {
    /// Names given so far, lowercased: Excel compares sheet names case-insensitively.
    taken: HashSet<String>,
}

impl SheetNames {
    /// A valid sheet name for `wanted` that no earlier sheet has; `number` names a sheet
    /// whose wanted name has nothing usable in it.
    fn claim(&mut self, wanted: &str, number: usize) -> String {
        let cleaned: String = wanted
            .chars()
            .map(|c| {
                if matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\') || c.is_control() {
                    ' '
                } else {
                    c
                }
            })
            .collect();
        let cleaned = cleaned.trim().trim_matches('\'').trim();
        let base = if cleaned.is_empty() {
            number.to_string()
        } else {
            truncate_utf16(cleaned, MAX_SHEET_NAME).to_owned()
        };
        let mut candidate = base.clone();
        let mut copy = 1;
        // "History" is reserved by Excel for change tracking.
        while self.taken.contains(&candidate.to_lowercase())
            || candidate.eq_ignore_ascii_case("history")
        {
            copy += 1;
            let suffix = format!(" ({copy})");
            let room = MAX_SHEET_NAME - suffix.len();
            candidate = format!("{}{suffix}", truncate_utf16(&base, room).trim_end());
        }
        self.taken.insert(candidate.to_lowercase());
        candidate
    }
}

/// The longest prefix of `text` of at most `max` UTF-16 units.
fn truncate_utf16(text: &str, max: usize) -> &str {
    let mut units = 0;
    for (index, c) in text.char_indices() {
        units += c.len_utf16();
        if units > max {
            return &text[..index];
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use calamine::{Data, Reader, Xlsx};
    use chrono::NaiveDate;

    use super::super::tests::registry;
    use super::super::{Column, Document, Table};
    use super::*;

    fn open(bytes: Vec<u8>) -> Xlsx<Cursor<Vec<u8>>> {
        Xlsx::new(Cursor::new(bytes)).expect("a readable workbook")
    }

    #[test]
    fn registry_reads_back_with_types() {
        let bytes = write_xlsx(&registry(3)).expect("xlsx");
        let mut book = open(bytes);
        assert_eq!(book.sheet_names(), vec!["Реестр", "О выгрузке"]);
        let range = book.worksheet_range("Реестр").expect("sheet");
        assert_eq!(range.get_size(), (4, 5));
        assert_eq!(
            range.get_value((0, 1)),
            Some(&Data::String("Наименование объекта".into()))
        );
        assert_eq!(
            range.get_value((1, 1)),
            Some(&Data::String(
                "Школа на 1100 мест в станице Старовеличковской".into()
            ))
        );
        assert_eq!(range.get_value((1, 0)), Some(&Data::Float(1.0)));
        assert_eq!(range.get_value((1, 3)), Some(&Data::Float(1_234_567.891)));
        // A real date: Excel's serial day number (days since 1899-12-30) with a date format.
        let epoch = NaiveDate::from_ymd_opt(1899, 12, 30).expect("epoch");
        let day = NaiveDate::from_ymd_opt(2024, 3, 15).expect("date");
        match range.get_value((1, 2)) {
            Some(Data::DateTime(date)) => {
                assert_eq!(date.as_f64(), (day - epoch).num_days() as f64);
            }
            other => panic!("expected a date, got {other:?}"),
        }
        // The formula-looking text is a plain string, and no formula was written.
        assert_eq!(
            range.get_value((1, 4)),
            Some(&Data::String(
                "=HYPERLINK(\"http://example.com\",\"x\")".into()
            ))
        );
        let formulas = book.worksheet_formula("Реестр").expect("formulas");
        assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()));
        assert_eq!(range.get_value((2, 4)), Some(&Data::Empty));
    }

    #[test]
    fn about_sheet_holds_title_time_and_filters() {
        let mut book = open(write_xlsx(&registry(1)).expect("xlsx"));
        let about = book.worksheet_range("О выгрузке").expect("about");
        assert_eq!(
            about.get_value((0, 0)),
            Some(&Data::String("Реестр объектов строительства".into()))
        );
        assert_eq!(
            about.get_value((2, 0)),
            Some(&Data::String("Сформировано".into()))
        );
        assert!(matches!(about.get_value((2, 1)), Some(Data::DateTime(_))));
        assert_eq!(
            about.get_value((5, 0)),
            Some(&Data::String("Муниципалитет".into()))
        );
        assert_eq!(
            about.get_value((5, 1)),
            Some(&Data::String("Краснодар".into()))
        );
    }

    #[test]
    fn header_is_frozen_and_filtered() {
        let bytes = write_xlsx(&registry(3)).expect("xlsx");
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
        let mut xml = String::new();
        std::io::Read::read_to_string(
            &mut archive.by_name("xl/worksheets/sheet1.xml").expect("sheet1"),
            &mut xml,
        )
        .expect("utf-8");
        assert!(
            xml.contains(
                r#"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#
            ),
            "{xml}"
        );
        assert!(xml.contains(r#"<autoFilter ref="A1:E4"/>"#), "{xml}");
        assert!(xml.contains(r#"width="40.7109375""#), "{xml}");
    }

    #[test]
    fn empty_table_and_no_tables_still_make_a_workbook() {
        let mut doc = registry(1);
        doc.filters.clear();
        doc.tables = vec![Table {
            name: "Пусто".into(),
            columns: vec![Column::new("Наименование", ColumnKind::Text, 20.0)],
            rows: vec![],
        }];
        let mut book = open(write_xlsx(&doc).expect("xlsx"));
        let range = book.worksheet_range("Пусто").expect("sheet");
        assert_eq!(
            range.get_value((0, 0)),
            Some(&Data::String("Наименование".into()))
        );
        let about = book.worksheet_range("О выгрузке").expect("about");
        assert_eq!(
            about.get_value((5, 0)),
            Some(&Data::String("не заданы".into()))
        );

        let none = Document {
            tables: vec![],
            ..registry(1)
        };
        let book = open(write_xlsx(&none).expect("xlsx"));
        assert_eq!(book.sheet_names(), vec!["О выгрузке"]);
    }

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let mut names = SheetNames::default();
        assert_eq!(names.claim("Отчёт [март]: 1/2", 1), "Отчёт  март   1 2");
        assert_eq!(names.claim("'Реестр'", 2), "Реестр");
        assert_eq!(names.claim("реестр", 3), "реестр (2)");
        assert_eq!(names.claim("  ", 4), "4");
        assert_eq!(names.claim("History", 5), "History (2)");
        let long = "Аналитика по муниципальным образованиям края";
        let first = names.claim(long, 6);
        assert_eq!(first.encode_utf16().count(), 31);
        let second = names.claim(long, 7);
        assert!(second.ends_with(" (2)") && second.encode_utf16().count() <= 31);
    }

    #[test]
    fn long_cell_texts_are_cut_to_excel_limit() {
        let long = "ж".repeat(MAX_CELL_CHARS + 10);
        assert_eq!(cell_text(&long).chars().count(), MAX_CELL_CHARS);
        assert_eq!(cell_text("коротко"), "коротко");
    }
}
