//! Reading an uploaded data file (CSV or Excel) into a table of text cells: the header
//! row and the data rows, every row as wide as the header.
//!
//! The kind of file is sniffed from its bytes, never taken from its name. CSV must be
//! UTF-8 (with or without a byte-order mark); its delimiter is the one of `,` `;` and tab
//! that the header row uses most, since Russian Excel writes `;`. Workbooks go through the
//! registry import's reader, which already guards against zip bombs and forged sheet sizes.
//! Cells are kept as written: formula-looking text (`=HYPERLINK(…)`) is data here and is
//! neutralised only where it could run, in the CSV the portal writes.

use chrono::NaiveDateTime;

use platform::error::DataFileError;
use platform::workbook::{Cell, read_workbook};

/// Largest file accepted (below the server's 32 MB body limit).
pub const MAX_UPLOAD_BYTES: usize = 30 * 1024 * 1024;

/// Most data rows one upload takes.
pub const MAX_UPLOAD_ROWS: usize = 1_000_000;

/// Most columns one dataset takes.
pub const MAX_UPLOAD_COLUMNS: usize = 200;

/// What kind of file an upload is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// Comma-, semicolon- or tab-separated text.
    Csv,
    /// An Excel workbook (.xlsx, or the older .xls).
    Workbook,
}

impl FileKind {
    /// Sniffs the kind from the first bytes: ZIP (xlsx) and Compound File (xls)
    /// signatures are workbooks, anything else is read as CSV.
    pub fn of(bytes: &[u8]) -> Self {
        const ZIP: &[u8] = b"PK\x03\x04";
        const COMPOUND_FILE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        if bytes.starts_with(ZIP) || bytes.starts_with(COMPOUND_FILE) {
            Self::Workbook
        } else {
            Self::Csv
        }
    }

    /// The value kept in `dataset_uploads.file_kind`.
    pub fn as_db(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Workbook => "xlsx",
        }
    }
}

/// An uploaded table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// The header row, trimmed.
    pub headers: Vec<String>,
    /// The data rows, each exactly as wide as the header.
    pub rows: Vec<Vec<String>>,
    /// Each data row's number as the file shows it (CSV line, spreadsheet row), for
    /// messages about its cells.
    pub numbers: Vec<u32>,
    /// The kind of file it came from.
    pub kind: FileKind,
}

/// Reads an upload as a table.
pub fn read_table(bytes: &[u8]) -> Result<Table, DataFileError> {
    let kind = FileKind::of(bytes);
    let (headers, rows, numbers) = match kind {
        FileKind::Csv => read_csv(bytes)?,
        FileKind::Workbook => read_sheet(bytes)?,
    };
    if headers.iter().all(|header| header.is_empty()) {
        return Err(DataFileError::NoHeader);
    }
    if headers.len() > MAX_UPLOAD_COLUMNS {
        return Err(DataFileError::TooManyColumns {
            max: MAX_UPLOAD_COLUMNS as u32,
        });
    }
    if rows.is_empty() {
        return Err(DataFileError::NoRows);
    }
    Ok(Table {
        headers,
        rows,
        numbers,
        kind,
    })
}

/// The 1-based line of byte `offset` in `bytes`.
fn line_of(bytes: &[u8], offset: usize) -> u32 {
    let newlines = bytes[..offset.min(bytes.len())]
        .iter()
        .filter(|&&byte| byte == b'\n')
        .count();
    u32::try_from(newlines + 1).unwrap_or(u32::MAX)
}

/// The delimiter the header line uses most (`,` when it uses none).
fn sniff_delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or_default();
    let mut best = (0, b',');
    for delimiter in [b',', b';', b'\t'] {
        let count = header.bytes().filter(|&byte| byte == delimiter).count();
        if count > best.0 {
            best = (count, delimiter);
        }
    }
    best.1
}

/// A table's header, rows and row numbers.
type Read = (Vec<String>, Vec<Vec<String>>, Vec<u32>);

fn read_csv(bytes: &[u8]) -> Result<Read, DataFileError> {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            return Err(DataFileError::NotUtf8 {
                line: line_of(bytes, error.valid_up_to()),
            });
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(DataFileError::NoHeader);
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(sniff_delimiter(text))
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let headers: Vec<String> = match records.next() {
        Some(Ok(record)) => record.iter().map(|cell| cell.trim().to_string()).collect(),
        Some(Err(error)) => return Err(csv_error(&error, text)),
        None => return Err(DataFileError::NoHeader),
    };
    let (mut rows, mut numbers) = (Vec::new(), Vec::new());
    // The reader's own line count skips blank lines, and a record's position is where
    // the reader resumed (before any blank lines), so lines are counted from the first
    // byte of each record's text instead, incrementally.
    let mut lines = LineCounter::new(text.as_bytes());
    for record in records {
        let record = record.map_err(|error| csv_error(&error, text))?;
        let line = record.position().map_or(0, |position| {
            let resumed = position.byte() as usize;
            let blank = text.as_bytes()[resumed.min(text.len())..]
                .iter()
                .take_while(|byte| matches!(byte, b'\r' | b'\n'))
                .count();
            lines.line_at(resumed + blank)
        });
        // Spreadsheets leave wholly empty lines at the end; they carry nothing.
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        if record.len() != headers.len() {
            return Err(DataFileError::Ragged {
                line,
                expected: headers.len() as u32,
                found: record.len() as u32,
            });
        }
        if rows.len() == MAX_UPLOAD_ROWS {
            return Err(DataFileError::TooManyRows {
                max: MAX_UPLOAD_ROWS as u32,
            });
        }
        rows.push(record.iter().map(str::to_string).collect());
        numbers.push(line);
    }
    Ok((headers, rows, numbers))
}

/// The 1-based line of byte offsets met in increasing order.
struct LineCounter<'a> {
    bytes: &'a [u8],
    offset: usize,
    line: u32,
}

impl<'a> LineCounter<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Self {
            bytes,
            offset: 0,
            line: 1,
        }
    }

    fn line_at(&mut self, offset: usize) -> u32 {
        let end = offset.min(self.bytes.len());
        if end > self.offset {
            let newlines = self.bytes[self.offset..end]
                .iter()
                .filter(|&&byte| byte == b'\n')
                .count();
            self.line = self.line.saturating_add(newlines as u32);
            self.offset = end;
        }
        self.line
    }
}

fn csv_error(error: &csv::Error, text: &str) -> DataFileError {
    let line = error.position().map_or(0, |position| {
        line_of(text.as_bytes(), position.byte() as usize)
    });
    DataFileError::BadCsv { line }
}

fn read_sheet(bytes: &[u8]) -> Result<Read, DataFileError> {
    // A table's columns are whatever its publisher named them: no field names are known,
    // so a header that might take one row or two is read as one.
    let sheet =
        read_workbook(bytes, "", |_| 0).map_err(|reason| DataFileError::Workbook { reason })?;
    let headers: Vec<String> = sheet
        .headers
        .iter()
        .map(|header| header.trim().to_string())
        .collect();
    let mut rows = Vec::with_capacity(sheet.rows.len());
    for row in &sheet.rows {
        let mut cells = vec![String::new(); headers.len()];
        for (index, cell) in row.cells.iter().enumerate().take(headers.len()) {
            cells[index] = match cell {
                Cell::Formula(_) => {
                    return Err(DataFileError::Formula {
                        row: row.number,
                        column: index as u32 + 1,
                    });
                }
                other => cell_text(other),
            };
        }
        rows.push(cells);
    }
    let numbers = sheet.rows.iter().map(|row| row.number).collect();
    Ok((headers, rows, numbers))
}

/// A workbook cell as the text a CSV of the same sheet would hold: whole numbers without
/// a fraction, dates ISO (with the time only when it is not midnight).
fn cell_text(cell: &Cell) -> String {
    match cell {
        Cell::Empty | Cell::Error | Cell::Formula(_) => String::new(),
        Cell::Text(text) => text.clone(),
        Cell::Number(number) if number.fract() == 0.0 && number.abs() < 1e15 => {
            format!("{}", *number as i64)
        }
        Cell::Number(number) => number.to_string(),
        Cell::Bool(truth) => truth.to_string(),
        Cell::Date(at) => date_text(*at),
    }
}

fn date_text(at: NaiveDateTime) -> String {
    if at.time() == chrono::NaiveTime::MIN {
        at.date().format("%Y-%m-%d").to_string()
    } else {
        at.format("%Y-%m-%dT%H:%M:%S").to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> Result<Table, DataFileError> {
        read_table(text.as_bytes())
    }

    #[test]
    fn a_semicolon_csv_with_a_byte_order_mark_reads() {
        let read =
            table("\u{feff}Название;Широта;Долгота\r\n\"Парк; «Галицкого»\";45,04;38,97\r\n")
                .expect("reads");
        assert_eq!(read.kind, FileKind::Csv);
        assert_eq!(read.headers, ["Название", "Широта", "Долгота"]);
        assert_eq!(read.rows, [["Парк; «Галицкого»", "45,04", "38,97"]]);
    }

    #[test]
    fn a_comma_csv_keeps_quoted_new_lines_and_skips_blank_lines() {
        let read = table("a,b\n\"one\ntwo\",2\n\n,\n3,4\n").expect("reads");
        assert_eq!(read.rows, [["one\ntwo", "2"], ["3", "4"]]);
        assert_eq!(read.numbers, [2, 6]);
    }

    #[test]
    fn formula_text_is_kept_as_data() {
        let read = table("link\n=HYPERLINK(\"http://evil\")\n").expect("reads");
        assert_eq!(read.rows, [["=HYPERLINK(\"http://evil\")"]]);
    }

    #[test]
    fn windows_1251_is_refused_with_its_line() {
        let mut bytes = b"name\nok\n".to_vec();
        bytes.extend_from_slice(&[0xCF, 0xE0, 0xF0, 0xEA, b'\n']);
        assert_eq!(read_table(&bytes), Err(DataFileError::NotUtf8 { line: 3 }));
    }

    #[test]
    fn ragged_rows_are_refused_with_their_line() {
        assert_eq!(
            table("a;b;c\n1;2;3\n4;5\n"),
            Err(DataFileError::Ragged {
                line: 3,
                expected: 3,
                found: 2
            })
        );
    }

    #[test]
    fn empty_and_header_only_files_are_refused() {
        assert_eq!(table(""), Err(DataFileError::NoHeader));
        assert_eq!(table("\u{feff} \n"), Err(DataFileError::NoHeader));
        assert_eq!(table("a,b\n"), Err(DataFileError::NoRows));
    }

    #[test]
    fn an_unclosed_quote_is_refused_or_read_as_one_cell_never_split() {
        // The csv crate reads an unclosed quote to the end of the file as one cell, so
        // the row comes out short and is refused as ragged rather than published half.
        assert!(matches!(
            table("a,b\n\"open,1\n2,3\n"),
            Err(DataFileError::Ragged { line: 2, .. })
        ));
    }

    #[test]
    fn too_many_columns_are_refused() {
        let header = (0..=MAX_UPLOAD_COLUMNS)
            .map(|i| format!("c{i}"))
            .collect::<Vec<_>>()
            .join(",");
        let row = vec!["1"; MAX_UPLOAD_COLUMNS + 1].join(",");
        assert_eq!(
            table(&format!("{header}\n{row}\n")),
            Err(DataFileError::TooManyColumns {
                max: MAX_UPLOAD_COLUMNS as u32
            })
        );
    }

    #[test]
    fn a_workbook_is_sniffed_by_its_bytes_and_reads() {
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet();
        sheet.write_string(0, 0, "Название").expect("cell");
        sheet.write_string(0, 1, "Площадь").expect("cell");
        sheet.write_string(0, 2, "Дата").expect("cell");
        sheet.write_string(1, 0, "Сквер").expect("cell");
        sheet.write_number(1, 1, 1250.0).expect("cell");
        let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2026, 5, 9).expect("date");
        let format = rust_xlsxwriter::Format::new().set_num_format("dd.mm.yyyy");
        sheet
            .write_datetime_with_format(1, 2, &date, &format)
            .expect("cell");
        sheet.write_string(2, 0, "Бульвар").expect("cell");
        sheet.write_number(2, 1, 0.5).expect("cell");
        let bytes = workbook.save_to_buffer().expect("saved");
        let read = read_table(&bytes).expect("reads");
        assert_eq!(read.kind, FileKind::Workbook);
        assert_eq!(read.headers, ["Название", "Площадь", "Дата"]);
        assert_eq!(
            read.rows,
            [["Сквер", "1250", "2026-05-09"], ["Бульвар", "0.5", ""]]
        );
    }

    #[test]
    fn a_workbook_formula_is_refused_with_its_cell() {
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet();
        sheet.write_string(0, 0, "a").expect("cell");
        sheet.write_string(0, 1, "b").expect("cell");
        sheet.write_number(1, 0, 1.0).expect("cell");
        sheet.write_formula(1, 1, "=A2*2").expect("cell");
        let bytes = workbook.save_to_buffer().expect("saved");
        assert_eq!(
            read_table(&bytes),
            Err(DataFileError::Formula { row: 2, column: 2 })
        );
    }

    #[test]
    fn a_file_that_looks_like_a_workbook_but_is_not_is_refused() {
        assert!(matches!(
            read_table(b"PK\x03\x04 not really a zip"),
            Err(DataFileError::Workbook { .. })
        ));
    }
}
