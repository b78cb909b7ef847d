//! Reading uploaded workbooks (.xlsx, .xls) into plain rows of cells: the registry import
//! and the open-data tables read through here, and each interprets the rows itself.
//!
//! Uploads are untrusted, so reading is bounded before and while calamine parses: the
//! file size, the unpacked size of an .xlsx (read from the zip central directory, which
//! the zip reader also enforces per entry while unpacking), the number of data rows and
//! of kept cells. Worksheet cells of an .xlsx are streamed, never laid out as a dense
//! grid, so a sheet whose dimension claims a million rows costs only what it holds.

use std::collections::HashMap;
use std::io::Cursor;

use calamine::{
    Data, DataRef, Dimensions, ExcelDateTime, Reader, SheetType, SheetVisible, Xls, XlsError, Xlsx,
    XlsxError, XlsxFormulaMetadata,
};
use chrono::{NaiveDate, NaiveDateTime};

use crate::error::WorkbookError;
use crate::ooxml::{self, Container, ZipRefusal};

/// The largest upload accepted.
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;
/// The most data rows one import takes.
pub const MAX_ROWS: usize = 100_000;
/// The most an .xlsx may unpack to, all entries together. Real registries of
/// `MAX_ROWS` rows unpack to well under 100 MB.
pub const MAX_UNCOMPRESSED_BYTES: u64 = 256 * 1024 * 1024;
/// Columns from this one on are ignored (the registry has 16 fields; Excel allows 16,384
/// columns, which would multiply the memory of every row).
pub const MAX_COLUMNS: usize = 256;
/// The most non-empty data cells kept: bounds memory when rows are very wide.
const MAX_CELLS: usize = 4_000_000;
/// At most this many one-cell rows (titles, notes) above the header are skipped.
const MAX_TITLE_ROWS: usize = 10;

/// The first worksheet of an uploaded workbook, as text and values.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    /// Column headers (index = column, 0 = A), merged and two-row headers resolved;
    /// an empty string for a column without header.
    pub headers: Vec<String>,
    /// The non-empty rows below the header, in sheet order.
    pub rows: Vec<SheetRow>,
}

/// One non-empty data row.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetRow {
    /// The row number as Excel shows it (1-based).
    pub number: u32,
    /// Cells by column (index = column), up to the last non-empty one within the headers.
    pub cells: Vec<Cell>,
}

/// One cell's content.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Nothing, or only whitespace.
    Empty,
    /// Text as typed.
    Text(String),
    /// A number (Excel stores integers as numbers too).
    Number(f64),
    /// TRUE or FALSE.
    Bool(bool),
    /// A cell formatted as a date, converted with the workbook's date system (1900/1904).
    Date(NaiveDateTime),
    /// An error value such as `#N/A`.
    Error,
    /// A formula (its text); the cached result is deliberately not kept.
    Formula(String),
}

/// Limits of one read; `Limits::UPLOAD` in production, smaller ones in tests.
#[derive(Debug, Clone, Copy)]
struct Limits {
    max_rows: usize,
    max_cells: usize,
    max_uncompressed_bytes: u64,
}

impl Limits {
    /// The limits for officials' uploads.
    const UPLOAD: Limits = Limits {
        max_rows: MAX_ROWS,
        max_cells: MAX_CELLS,
        max_uncompressed_bytes: MAX_UNCOMPRESSED_BYTES,
    };
}

/// How many known fields a candidate header line names. Where a header might take one row
/// or two, the reading that names more is taken; a reader that knows no fields passes a
/// function that always answers 0, and such a header is read as one row.
pub type HeaderFields = fn(&[String]) -> usize;

/// Reads the first visible worksheet of an .xlsx or .xls upload.
///
/// The format is sniffed from the bytes, never taken from `file_name` (a renamed file
/// must not reach the wrong parser); the name only goes to the log.
pub fn read_workbook(
    bytes: &[u8],
    file_name: &str,
    header_fields: HeaderFields,
) -> Result<Sheet, WorkbookError> {
    let result = read_with_limits(bytes, Limits::UPLOAD, header_fields);
    if let Err(error) = &result {
        tracing::info!(file_name, size = bytes.len(), %error, "workbook rejected");
    }
    result
}

fn read_with_limits(
    bytes: &[u8],
    limits: Limits,
    header_fields: HeaderFields,
) -> Result<Sheet, WorkbookError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(WorkbookError::TooLarge {
            max_mb: (MAX_FILE_BYTES / (1024 * 1024)) as u32,
        });
    }
    // calamine parses hostile input; should a malformed file still make it panic, that is
    // a damaged file to the user, not a failed request.
    std::panic::catch_unwind(|| match ooxml::sniff(bytes) {
        Container::Zip => read_xlsx(bytes, limits, header_fields),
        Container::CompoundFile => read_xls(bytes, limits, header_fields),
        Container::EncryptedPackage => Err(WorkbookError::Encrypted),
        Container::Unknown => Err(WorkbookError::NotAWorkbook),
    })
    .unwrap_or(Err(WorkbookError::NotAWorkbook))
}

/// Refuses an .xlsx that would unpack to too much, before calamine inflates anything.
fn check_zip_limits(bytes: &[u8], limits: Limits) -> Result<(), WorkbookError> {
    ooxml::check_zip_limits(bytes, limits.max_uncompressed_bytes).map_err(|refusal| match refusal {
        ZipRefusal::Damaged => WorkbookError::NotAWorkbook,
        ZipRefusal::Encrypted => WorkbookError::Encrypted,
        ZipRefusal::TooBig => WorkbookError::TooBigUncompressed,
    })
}

fn read_xlsx(
    bytes: &[u8],
    limits: Limits,
    header_fields: HeaderFields,
) -> Result<Sheet, WorkbookError> {
    check_zip_limits(bytes, limits)?;
    let mut workbook = Xlsx::new(Cursor::new(bytes)).map_err(xlsx_error)?;
    let name = first_worksheet(workbook.sheets_metadata())?;
    let merged = workbook
        .merge_cells_by_sheet_name(&name)
        .map_err(xlsx_error)?;
    let mut builder = SheetBuilder::new(merged, limits, header_fields);
    let mut cells = workbook.worksheet_cells_reader(&name).map_err(xlsx_error)?;
    // Cells that share a formula carry only the index of the group; its text sits on the
    // group's first cell.
    let mut shared_formulas: HashMap<usize, String> = HashMap::new();
    while let Some(record) = cells
        .next_cell_with_formula_metadata()
        .map_err(xlsx_error)?
    {
        let cell = match record.formula {
            Some(XlsxFormulaMetadata::Normal { formula }) => Cell::Formula(formula),
            Some(XlsxFormulaMetadata::Shared {
                shared_index,
                formula,
                ..
            }) => {
                shared_formulas.insert(shared_index, formula.clone());
                Cell::Formula(formula)
            }
            Some(XlsxFormulaMetadata::SharedDerived { shared_index }) => Cell::Formula(
                shared_formulas
                    .get(&shared_index)
                    .cloned()
                    .unwrap_or_default(),
            ),
            Some(_) => Cell::Formula(String::new()),
            None => cell_from_ref(record.value),
        };
        builder.push(record.pos, cell)?;
    }
    builder.finish()
}

fn read_xls(
    bytes: &[u8],
    limits: Limits,
    header_fields: HeaderFields,
) -> Result<Sheet, WorkbookError> {
    check_xls_grid(bytes, limits)?;
    let mut workbook = Xls::new(Cursor::new(bytes)).map_err(xls_error)?;
    let name = first_worksheet(workbook.sheets_metadata())?;
    let merged = workbook
        .merge_cells_by_sheet_name(&name)
        .map_err(xls_error)?;
    let values = workbook.worksheet_range(&name).map_err(xls_error)?;
    let formulas = workbook.worksheet_formula(&name).map_err(xls_error)?;
    let mut builder = SheetBuilder::new(merged, limits, header_fields);
    let Some((first_row, first_column)) = values.start() else {
        return builder.finish();
    };
    for (row, column, value) in values.used_cells() {
        let position = (first_row + row as u32, first_column + column as u32);
        let cell = match formulas.get_value(position) {
            Some(formula) if !formula.is_empty() => Cell::Formula(formula.clone()),
            _ => cell_from_data(value),
        };
        builder.push(position, cell)?;
    }
    builder.finish()
}

/// Refuses an .xls whose sheets claim, or place cells over, a grid larger than
/// `limits.max_cells`, before calamine sees it: calamine reserves the grid a sheet's
/// DIMENSIONS record claims and lays every sheet out densely over its cells' bounding
/// box, so one forged record (or two cells far apart) could take gigabytes, and a failed
/// allocation aborts the whole server rather than panicking.
///
/// Reads only the BIFF record headers of the workbook stream. Anything it cannot read
/// is left to calamine, which refuses damaged files with an error.
fn check_xls_grid(bytes: &[u8], limits: Limits) -> Result<(), WorkbookError> {
    use std::io::Read;
    let Ok(mut file) = cfb::CompoundFile::open(Cursor::new(bytes)) else {
        return Ok(());
    };
    let Some(path) = ["/Workbook", "/Book"]
        .into_iter()
        .find(|path| file.exists(path))
    else {
        return Ok(());
    };
    let mut stream = Vec::new();
    if file
        .open_stream(path)
        .and_then(|mut reader| reader.read_to_end(&mut stream))
        .is_err()
    {
        return Ok(());
    }
    let too_big = |rows: u64, columns: u64| rows.saturating_mul(columns) > limits.max_cells as u64;
    let u16_at = |body: &[u8], at: usize| {
        body.get(at..at + 2)
            .map(|b| u32::from(u16::from_le_bytes([b[0], b[1]])))
    };
    let u32_at = |body: &[u8], at: usize| {
        body.get(at..at + 4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    };
    // The bounding box of the current sheet's cells: first row, last row, first and
    // last column.
    let mut bounds: Option<(u32, u32, u32, u32)> = None;
    let mut at = 0;
    while let (Some(kind), Some(length)) = (u16_at(&stream, at), u16_at(&stream, at + 2)) {
        let Some(body) = stream.get(at + 4..at + 4 + length as usize) else {
            break;
        };
        at += 4 + length as usize;
        let cell_span = match kind {
            // FILEPASS: the records that follow are encrypted; calamine reports it.
            0x002F => return Ok(()),
            // BOF: a new substream (sheet) starts.
            0x0809 => {
                bounds = None;
                None
            }
            // DIMENSIONS, read as calamine reads it (BIFF8 rows are 32-bit).
            0x0200 => {
                let (first_row, row_end, first_column, column_end) = match body.len() {
                    10 => (
                        u16_at(body, 0),
                        u16_at(body, 2),
                        u16_at(body, 4),
                        u16_at(body, 6),
                    ),
                    _ => (
                        u32_at(body, 0),
                        u32_at(body, 4),
                        u16_at(body, 8),
                        u16_at(body, 10),
                    ),
                };
                if let (Some(first_row), Some(row_end), Some(first_column), Some(column_end)) =
                    (first_row, row_end, first_column, column_end)
                {
                    let first_column = if first_column > 0xFF || column_end < first_column {
                        0
                    } else {
                        first_column
                    };
                    let (last_row, last_column) = if row_end >= 1 && column_end >= 1 {
                        (row_end - 1, column_end - 1)
                    } else {
                        (first_row, first_column)
                    };
                    let rows = u64::from(last_row.wrapping_sub(first_row).wrapping_add(1));
                    let columns = u64::from(last_column.wrapping_sub(first_column).wrapping_add(1));
                    if too_big(rows, columns) {
                        return Err(WorkbookError::GridTooLarge);
                    }
                }
                None
            }
            // MULRK: one row, a run of columns (the last is in the record's last bytes).
            0x00BD => u16_at(body, 0)
                .zip(u16_at(body, 2))
                .zip(body.len().checked_sub(2).and_then(|end| u16_at(body, end)))
                .map(|((row, first), last)| (row, first, last.max(first))),
            // Cell records: row and column lead the record.
            0x0006 | 0x00D6 | 0x00FD | 0x0201 | 0x0203 | 0x0204 | 0x0205 | 0x027E => {
                u16_at(body, 0)
                    .zip(u16_at(body, 2))
                    .map(|(row, column)| (row, column, column))
            }
            _ => None,
        };
        if let Some((row, first_column, last_column)) = cell_span {
            let (top, bottom, left, right) =
                bounds.unwrap_or((row, row, first_column, last_column));
            let grown = (
                top.min(row),
                bottom.max(row),
                left.min(first_column),
                right.max(last_column),
            );
            if too_big(
                u64::from(grown.1 - grown.0) + 1,
                u64::from(grown.3 - grown.2) + 1,
            ) {
                return Err(WorkbookError::GridTooLarge);
            }
            bounds = Some(grown);
        }
    }
    Ok(())
}

fn xlsx_error(error: XlsxError) -> WorkbookError {
    match error {
        XlsxError::Password => WorkbookError::Encrypted,
        _ => WorkbookError::NotAWorkbook,
    }
}

fn xls_error(error: XlsError) -> WorkbookError {
    match error {
        XlsError::Password => WorkbookError::Encrypted,
        _ => WorkbookError::NotAWorkbook,
    }
}

/// The first visible worksheet (a hidden first sheet is usually a lookup list), else the
/// first worksheet at all; chart and macro sheets do not count.
fn first_worksheet(sheets: &[calamine::Sheet]) -> Result<String, WorkbookError> {
    let worksheets = || {
        sheets
            .iter()
            .filter(|sheet| sheet.typ == SheetType::WorkSheet)
    };
    worksheets()
        .find(|sheet| sheet.visible == SheetVisible::Visible)
        .or_else(|| worksheets().next())
        .map(|sheet| sheet.name.clone())
        .ok_or(WorkbookError::NoSheet)
}

fn cell_from_ref(value: DataRef<'_>) -> Cell {
    match value {
        DataRef::Int(number) => Cell::Number(number as f64),
        DataRef::Float(number) => Cell::Number(number),
        DataRef::String(text) => text_cell(text),
        DataRef::SharedString(text) => text_cell(text.to_string()),
        DataRef::Bool(value) => Cell::Bool(value),
        DataRef::DateTime(value) => date_cell(&value),
        DataRef::DateTimeIso(text) => iso_date_cell(text),
        DataRef::DurationIso(text) => text_cell(text),
        DataRef::Error(_) => Cell::Error,
        DataRef::Empty => Cell::Empty,
    }
}

fn cell_from_data(value: &Data) -> Cell {
    match value {
        Data::Int(number) => Cell::Number(*number as f64),
        Data::Float(number) => Cell::Number(*number),
        Data::String(text) => text_cell(text.clone()),
        Data::Bool(value) => Cell::Bool(*value),
        Data::DateTime(value) => date_cell(value),
        Data::DateTimeIso(text) => iso_date_cell(text.clone()),
        Data::DurationIso(text) => text_cell(text.clone()),
        Data::Error(_) => Cell::Error,
        Data::Empty => Cell::Empty,
    }
}

fn text_cell(text: String) -> Cell {
    if text.chars().all(is_blank) {
        Cell::Empty
    } else {
        Cell::Text(text)
    }
}

/// A date-formatted cell: calamine resolves the 1900/1904 date system. The one date it
/// can yield that does not exist (1900-02-29, Excel's leap-year bug) stays a serial
/// number, which `parse_date` rejects.
fn date_cell(value: &ExcelDateTime) -> Cell {
    if value.is_duration() {
        return Cell::Number(value.as_f64());
    }
    let (year, month, day, hour, minute, second, milli) = value.to_ymd_hms_milli();
    NaiveDate::from_ymd_opt(i32::from(year), u32::from(month), u32::from(day))
        .and_then(|date| {
            date.and_hms_milli_opt(
                u32::from(hour),
                u32::from(minute),
                u32::from(second),
                u32::from(milli),
            )
        })
        .map_or(Cell::Number(value.as_f64()), Cell::Date)
}

fn iso_date_cell(text: String) -> Cell {
    if let Ok(date_time) = text.parse::<NaiveDateTime>() {
        Cell::Date(date_time)
    } else if let Ok(date) = text.parse::<NaiveDate>() {
        Cell::Date(date.and_time(chrono::NaiveTime::MIN))
    } else {
        text_cell(text)
    }
}

/// Whitespace as spreadsheets hold it: Unicode whitespace (incl. no-break spaces) and the
/// invisible zero-width characters that pasting from the web leaves.
pub fn is_blank(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
        )
}

/// A row as it arrives: its non-empty cells by column.
#[derive(Debug)]
struct RawRow {
    /// 0-based row index.
    index: u32,
    cells: Vec<(u32, Cell)>,
}

/// How many rows the header takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HeaderLayout {
    OneRow,
    TwoRows,
    MaybeTwoRows,
}

/// The resolved header.
#[derive(Debug)]
struct Header {
    texts: Vec<String>,
    /// Index of the last header row (data starts below it).
    last_row: u32,
}

/// Turns a stream of cells (row by row, as both formats store them) into a [`Sheet`]:
/// finds the header, resolves merged and two-row headers, keeps the non-empty data rows.
struct SheetBuilder {
    merged: Vec<Dimensions>,
    limits: Limits,
    header_fields: HeaderFields,
    /// Rows seen before the header is fixed (at most the title rows, the header and the row
    /// below it).
    pending: Vec<RawRow>,
    current: Option<RawRow>,
    header: Option<Header>,
    rows: Vec<SheetRow>,
    kept_cells: usize,
    /// Whether rows arrived out of order (possible in a hand-made file): sorted at the end.
    unordered: bool,
}

impl SheetBuilder {
    fn new(merged: Vec<Dimensions>, limits: Limits, header_fields: HeaderFields) -> Self {
        Self {
            merged,
            limits,
            header_fields,
            pending: Vec::new(),
            current: None,
            header: None,
            rows: Vec::new(),
            kept_cells: 0,
            unordered: false,
        }
    }

    fn push(&mut self, (row, column): (u32, u32), cell: Cell) -> Result<(), WorkbookError> {
        if cell == Cell::Empty || column as usize >= MAX_COLUMNS {
            return Ok(());
        }
        match &mut self.current {
            Some(current) if current.index == row => current.cells.push((column, cell)),
            _ => {
                if let Some(done) = self.current.take() {
                    self.unordered |= row < done.index;
                    self.complete_row(done)?;
                }
                self.current = Some(RawRow {
                    index: row,
                    cells: vec![(column, cell)],
                });
            }
        }
        Ok(())
    }

    fn complete_row(&mut self, row: RawRow) -> Result<(), WorkbookError> {
        if self.header.is_some() {
            return self.keep_data_row(row);
        }
        self.pending.push(row);
        self.try_fix_header(false)
    }

    fn keep_data_row(&mut self, row: RawRow) -> Result<(), WorkbookError> {
        let Some(header) = &self.header else {
            return Ok(());
        };
        if row.index <= header.last_row {
            return Ok(());
        }
        let width = header.texts.len();
        let Some(last) = row
            .cells
            .iter()
            .map(|(column, _)| *column as usize)
            .filter(|column| *column < width)
            .max()
        else {
            return Ok(());
        };
        let mut cells = vec![Cell::Empty; last + 1];
        for (column, cell) in row.cells {
            if let Some(slot) = cells.get_mut(column as usize) {
                *slot = cell;
                self.kept_cells += 1;
            }
        }
        self.rows.push(SheetRow {
            number: row.index.saturating_add(1),
            cells,
        });
        if self.rows.len() > self.limits.max_rows || self.kept_cells > self.limits.max_cells {
            return Err(WorkbookError::TooManyRows {
                max: self.limits.max_rows as u32,
            });
        }
        Ok(())
    }

    /// Fixes the header once enough rows are known: the first row with at least two cells
    /// (one-cell title rows above it are skipped), and the row right below it when the
    /// header's merged cells show a two-row layout.
    fn try_fix_header(&mut self, at_end: bool) -> Result<(), WorkbookError> {
        let candidates = self.pending.len().min(MAX_TITLE_ROWS + 1);
        let header_at = match self.pending[..candidates]
            .iter()
            .position(|row| row.cells.len() >= 2)
        {
            Some(at) => at,
            None if at_end || self.pending.len() > MAX_TITLE_ROWS => 0,
            None => return Ok(()),
        };
        let Some(top) = self.pending.get(header_at) else {
            return Ok(());
        };
        let below = self.pending.get(header_at + 1);
        if below.is_none() && !at_end {
            return Ok(());
        }
        let below = below.filter(|row| row.index == top.index + 1);
        let single = self.header_texts(top, None);
        let (texts, last_row) = match below.map(|below| (below, self.header_layout(top, below))) {
            Some((below, HeaderLayout::TwoRows)) => {
                (self.header_texts(top, Some(below)), below.index)
            }
            Some((below, HeaderLayout::MaybeTwoRows)) => {
                let double = self.header_texts(top, Some(below));
                if (self.header_fields)(&double) > (self.header_fields)(&single) {
                    (double, below.index)
                } else {
                    (single, top.index)
                }
            }
            Some((_, HeaderLayout::OneRow)) | None => (single, top.index),
        };
        self.header = Some(Header { texts, last_row });
        for row in std::mem::take(&mut self.pending) {
            self.keep_data_row(row)?;
        }
        Ok(())
    }

    /// Whether the row below the header row belongs to the header. A header cell merged
    /// down into it says yes. A cell merged across columns that have cells below may be a
    /// group title over sub-headers, or just a wide header over data: then the two-row
    /// reading is taken only when it recognises more fields.
    fn header_layout(&self, top: &RawRow, below: &RawRow) -> HeaderLayout {
        let mut layout = HeaderLayout::OneRow;
        for region in self
            .merged
            .iter()
            .filter(|region| region.start.0 == top.index)
        {
            if region.end.0 > top.index {
                return HeaderLayout::TwoRows;
            }
            let spans_across = region.end.1 > region.start.1;
            let has_cells_below = below
                .cells
                .iter()
                .any(|(column, _)| (region.start.1..=region.end.1).contains(column));
            if spans_across && has_cells_below {
                layout = HeaderLayout::MaybeTwoRows;
            }
        }
        layout
    }

    /// Each column's header: the header row's text, merged cells spread over every column
    /// they span, and in a two-row header the sub-header appended ("Застройщик ИНН").
    fn header_texts(&self, top: &RawRow, sub: Option<&RawRow>) -> Vec<String> {
        let mut texts = self.header_line(top);
        if let Some(sub) = sub {
            for (text, part) in texts.iter_mut().zip(self.header_line(sub)) {
                if !part.is_empty() {
                    if !text.is_empty() {
                        text.push(' ');
                    }
                    text.push_str(&part);
                }
            }
        }
        let width = texts
            .iter()
            .rposition(|text| !text.is_empty())
            .map_or(0, |last| last + 1);
        texts.truncate(width);
        texts
    }

    /// The texts of one header row by column, over `MAX_COLUMNS` columns. A cell merged
    /// across columns fills them all; a cell merged down from the row above leaves this
    /// row's part empty (the column's header is the upper cell alone).
    fn header_line(&self, row: &RawRow) -> Vec<String> {
        let mut line = vec![String::new(); MAX_COLUMNS];
        for (column, cell) in &row.cells {
            if let (Some(slot), Some(text)) = (line.get_mut(*column as usize), parse_text(cell)) {
                *slot = text;
            }
        }
        for region in &self.merged {
            if !(region.start.0..=region.end.0).contains(&row.index) {
                continue;
            }
            let last_column = (region.end.1 as usize).min(MAX_COLUMNS - 1);
            let Some(columns) = line.get_mut(region.start.1 as usize..=last_column) else {
                continue;
            };
            if region.start.0 < row.index {
                columns.iter_mut().for_each(String::clear);
                continue;
            }
            let value = columns.first().cloned().unwrap_or_default();
            for column in columns.iter_mut().filter(|column| column.is_empty()) {
                column.clone_from(&value);
            }
        }
        line
    }

    fn finish(mut self) -> Result<Sheet, WorkbookError> {
        if let Some(done) = self.current.take() {
            self.complete_row(done)?;
        }
        if self.header.is_none() && !self.pending.is_empty() {
            self.try_fix_header(true)?;
        }
        let Some(header) = self.header else {
            return Err(WorkbookError::NoData);
        };
        if header.texts.is_empty() {
            return Err(WorkbookError::NoData);
        }
        let mut rows = self.rows;
        if self.unordered {
            rows.sort_by_key(|row| row.number);
            rows.dedup_by(|later, earlier| {
                let same = later.number == earlier.number;
                if same {
                    merge_cells_into(&mut earlier.cells, std::mem::take(&mut later.cells));
                }
                same
            });
        }
        Ok(Sheet {
            headers: header.texts,
            rows,
        })
    }
}

/// Puts the non-empty cells of a row that appeared twice into its first appearance.
fn merge_cells_into(cells: &mut Vec<Cell>, more: Vec<Cell>) {
    if more.len() > cells.len() {
        cells.resize(more.len(), Cell::Empty);
    }
    for (slot, cell) in cells.iter_mut().zip(more) {
        if cell != Cell::Empty {
            *slot = cell;
        }
    }
}

/// A cell as text: trimmed, inner whitespace (incl. no-break spaces) collapsed to one
/// space; whole numbers without ".0" (a registry number typed as a number works), dates as
/// dd.mm.yyyy. `None` for empty, error and formula cells.
pub fn parse_text(cell: &Cell) -> Option<String> {
    match cell {
        Cell::Text(text) => {
            let collapsed = text
                .split(is_blank)
                .filter(|part| !part.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            (!collapsed.is_empty()).then_some(collapsed)
        }
        Cell::Number(number) => Some(format_number(*number)),
        Cell::Bool(value) => Some(if *value { "TRUE" } else { "FALSE" }.to_string()),
        Cell::Date(date_time) => Some(date_time.format("%d.%m.%Y").to_string()),
        Cell::Empty | Cell::Error | Cell::Formula(_) => None,
    }
}

/// Largest magnitude printed as an integer: beyond 2^53 an f64 no longer holds every whole
/// number.
pub const EXACT_INTEGER_LIMIT: f64 = 9_007_199_254_740_992.0;

fn format_number(number: f64) -> String {
    if number.fract() == 0.0 && number.abs() < EXACT_INTEGER_LIMIT {
        format!("{}", number as i64)
    } else {
        format!("{number}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_xlsxwriter::{Workbook, Worksheet, XlsxError as WriteError};
    use std::io::Write;

    /// An .xlsx whose first sheet `fill` writes.
    fn xlsx(fill: impl FnOnce(&mut Worksheet) -> Result<(), WriteError>) -> Vec<u8> {
        let mut workbook = Workbook::new();
        fill(workbook.add_worksheet()).expect("the test sheet is writable");
        workbook.save_to_buffer().expect("the test workbook saves")
    }

    /// A header of 16 columns.
    fn write_headers(sheet: &mut Worksheet, row: u32) -> Result<(), WriteError> {
        for column in 0u16..16 {
            sheet.write_string(row, column, format!("Графа {}", column + 1))?;
        }
        Ok(())
    }

    /// A data row under that header: text, numbers and a date serial.
    fn write_row(sheet: &mut Worksheet, row: u32) -> Result<(), WriteError> {
        for column in 0u16..8 {
            sheet.write_string(row, column, format!("значение {column}"))?;
        }
        for column in 8u16..16 {
            sheet.write_number(row, column, 45366.0 + f64::from(column))?;
        }
        Ok(())
    }

    /// A reader that knows no field names.
    fn no_fields(_: &[String]) -> usize {
        0
    }

    fn read(bytes: &[u8]) -> Result<Sheet, WorkbookError> {
        read_workbook(bytes, "table.xlsx", no_fields)
    }

    fn date(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).expect("a real date")
    }

    #[test]
    fn too_many_rows_are_refused_while_reading() {
        let bytes = xlsx(|sheet| {
            write_headers(sheet, 0)?;
            for row in 1..=6 {
                sheet.write_string(row, 0, "x")?;
            }
            Ok(())
        });
        let limits = Limits {
            max_rows: 5,
            ..Limits::UPLOAD
        };
        assert_eq!(
            read_with_limits(&bytes, limits, no_fields),
            Err(WorkbookError::TooManyRows { max: 5 })
        );
        let limits = Limits {
            max_rows: 6,
            ..Limits::UPLOAD
        };
        assert_eq!(
            read_with_limits(&bytes, limits, no_fields).map(|sheet| sheet.rows.len()),
            Ok(6)
        );
    }

    #[test]
    fn empty_workbooks_and_hidden_sheets() {
        assert_eq!(read(&xlsx(|_| Ok(()))), Err(WorkbookError::NoData));

        let mut workbook = Workbook::new();
        workbook
            .add_worksheet()
            .set_hidden(true)
            .write_string(0, 0, "справочник")
            .expect("writable");
        // The active sheet cannot be hidden: make the second one active.
        let visible = workbook.add_worksheet().set_active(true);
        write_headers(visible, 0).expect("writable");
        let bytes = workbook.save_to_buffer().expect("saves");
        let sheet = read(&bytes).expect("the visible sheet reads");
        assert_eq!(sheet.headers.len(), 16);
    }

    #[test]
    fn files_that_are_not_workbooks_are_refused() {
        let random: Vec<u8> = (0u32..4096)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        assert_eq!(read(&random), Err(WorkbookError::NotAWorkbook));
        assert_eq!(read(&[]), Err(WorkbookError::NotAWorkbook));
        let png =
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";
        assert_eq!(read(png), Err(WorkbookError::NotAWorkbook));

        let whole = xlsx(|sheet| write_headers(sheet, 0));
        for cut in [whole.len() / 2, whole.len() - 30, 100] {
            assert_eq!(
                read(&whole[..cut]),
                Err(WorkbookError::NotAWorkbook),
                "cut at {cut}"
            );
        }
        let too_large = vec![0u8; MAX_FILE_BYTES + 1];
        assert_eq!(
            read(&too_large),
            Err(WorkbookError::TooLarge { max_mb: 20 })
        );
    }

    /// A zip with the given (name, content, deflated) entries.
    fn zip_of(entries: &[(&str, &[u8], bool)]) -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, content, deflated) in entries {
            let method = if *deflated {
                zip::CompressionMethod::Deflated
            } else {
                zip::CompressionMethod::Stored
            };
            let options = zip::write::SimpleFileOptions::default().compression_method(method);
            writer.start_file(*name, options).expect("entry starts");
            writer.write_all(content).expect("entry writes");
        }
        writer.finish().expect("zip finishes").into_inner()
    }

    /// Rewrites the uncompressed size that the local and the central header of `name`
    /// declare.
    fn declare_size(bytes: &mut [u8], name: &str, size: u32) {
        let mut patched = 0;
        for (signature, name_at, size_at) in [(b"PK\x03\x04", 30, 22), (b"PK\x01\x02", 46, 24)] {
            let positions: Vec<usize> = bytes
                .windows(4)
                .enumerate()
                .filter(|(_, window)| window == signature)
                .map(|(at, _)| at)
                .collect();
            for at in positions {
                if bytes.get(at + name_at..at + name_at + name.len()) == Some(name.as_bytes()) {
                    bytes[at + size_at..at + size_at + 4].copy_from_slice(&size.to_le_bytes());
                    patched += 1;
                }
            }
        }
        assert_eq!(patched, 2, "both headers of {name} patched");
    }

    #[test]
    fn zip_bombs_are_refused_before_unpacking() {
        let mut declared_huge = zip_of(&[("xl/workbook.xml", b"<workbook/>", false)]);
        declare_size(&mut declared_huge, "xl/workbook.xml", 0xFFFF_0000);
        assert_eq!(read(&declared_huge), Err(WorkbookError::TooBigUncompressed));

        let zeros = vec![0u8; 4 * 1024 * 1024];
        let packed_tight = zip_of(&[("xl/sharedStrings.xml", &zeros, true)]);
        assert_eq!(read(&packed_tight), Err(WorkbookError::TooBigUncompressed));

        let over_total = zip_of(&[("a.xml", b"<a/>", false), ("b.xml", b"<b/>", false)]);
        let limits = Limits {
            max_uncompressed_bytes: 7,
            ..Limits::UPLOAD
        };
        assert_eq!(
            read_with_limits(&over_total, limits, no_fields),
            Err(WorkbookError::TooBigUncompressed)
        );
    }

    #[test]
    fn an_entry_longer_than_declared_is_not_unpacked_past_its_declaration() {
        let mut bytes = xlsx(|sheet| {
            write_headers(sheet, 0)?;
            write_row(sheet, 1)
        });
        declare_size(&mut bytes, "xl/worksheets/sheet1.xml", 200);
        assert_eq!(read(&bytes), Err(WorkbookError::NotAWorkbook));
    }

    #[test]
    fn compound_files_and_empty_zips_are_refused_without_a_panic() {
        let mut header = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        header.resize(512, 0);
        // Garbage after the magic: calamine refuses it without panicking.
        assert_eq!(read(&header), Err(WorkbookError::NotAWorkbook));
        let mut encrypted = header;
        encrypted.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(read(&encrypted), Err(WorkbookError::Encrypted));
        assert_eq!(read(b"PK\x05\x06"), Err(WorkbookError::NotAWorkbook));
    }

    #[test]
    fn an_excel_97_workbook_is_read() {
        // Written by xlwt, as older registry software does: a header row and one entry.
        let sheet = read(include_bytes!("testdata/registry.xls")).expect("a valid .xls");
        assert_eq!(sheet.headers.len(), 13);
        assert_eq!(sheet.headers[0], "Номер в реестре");
        assert_eq!(sheet.rows.len(), 1);
        let cells = &sheet.rows[0].cells;
        assert_eq!(cells[0], Cell::Text("РНС-XLS-0001".into()));
        assert_eq!(cells[3], Cell::Number(45.035));
        assert_eq!(
            cells[9],
            Cell::Date(date(2024, 3, 15).and_hms_opt(0, 0, 0).expect("midnight"))
        );
    }

    /// An .xls container whose workbook stream holds `records` (type, body).
    fn forged_xls(records: &[(u16, Vec<u8>)]) -> Vec<u8> {
        use std::io::Write;
        let mut file = cfb::CompoundFile::create(Cursor::new(Vec::new())).expect("a compound file");
        let mut stream = file
            .create_stream("/Workbook")
            .expect("the workbook stream");
        for (kind, body) in records {
            stream.write_all(&kind.to_le_bytes()).expect("write");
            stream
                .write_all(&(body.len() as u16).to_le_bytes())
                .expect("write");
            stream.write_all(body).expect("write");
        }
        drop(stream);
        file.flush().expect("flush");
        file.into_inner().into_inner()
    }

    fn number_cell(row: u16, column: u16) -> (u16, Vec<u8>) {
        let mut body = [row.to_le_bytes(), column.to_le_bytes(), [0, 0]].concat();
        body.extend(1.0f64.to_le_bytes());
        (0x0203, body)
    }

    #[test]
    fn an_xls_sheet_too_large_to_lay_out_is_refused_before_parsing() {
        let bof = (0x0809, vec![0; 16]);
        let eof = (0x000A, Vec::new());
        // A size record claiming a million rows by 200 columns.
        let mut dimensions = Vec::new();
        for part in [0u32, 1_000_000] {
            dimensions.extend(part.to_le_bytes());
        }
        dimensions.extend([0u16, 200, 0].iter().flat_map(|part| part.to_le_bytes()));
        let claimed = forged_xls(&[bof.clone(), (0x0200, dimensions), eof.clone()]);
        assert_eq!(read(&claimed), Err(WorkbookError::GridTooLarge));
        // A first row after the last one wraps around in calamine's arithmetic.
        let mut inverted = Vec::new();
        for part in [70_000u32, 10] {
            inverted.extend(part.to_le_bytes());
        }
        inverted.extend([0u16, 5, 0].iter().flat_map(|part| part.to_le_bytes()));
        let wrapped = forged_xls(&[bof.clone(), (0x0200, inverted), eof.clone()]);
        assert_eq!(read(&wrapped), Err(WorkbookError::GridTooLarge));
        // Two cells in opposite corners: calamine would fill the grid between them.
        let corners = forged_xls(&[
            bof.clone(),
            number_cell(0, 0),
            number_cell(65_535, 255),
            eof.clone(),
        ]);
        assert_eq!(read(&corners), Err(WorkbookError::GridTooLarge));
        // Each sheet is measured alone: two sheets of modest size pass the guard
        // (calamine then refuses the forged file as damaged).
        let two_sheets = forged_xls(&[
            bof.clone(),
            number_cell(0, 0),
            number_cell(9_000, 200),
            eof.clone(),
            bof,
            number_cell(0, 0),
            number_cell(9_000, 200),
            eof,
        ]);
        assert_eq!(check_xls_grid(&two_sheets, Limits::UPLOAD), Ok(()));
    }

    #[test]
    fn text_is_trimmed_and_numbers_print_whole() {
        let text = |value: &str| parse_text(&Cell::Text(value.to_string()));
        assert_eq!(
            text("  ООО \u{a0}\u{a0}«Ромашка»\t\n"),
            Some("ООО «Ромашка»".to_string())
        );
        assert_eq!(text("\u{feff}РС-1\u{200b}"), Some("РС-1".to_string()));
        assert_eq!(text(" \u{a0} "), None);
        assert_eq!(parse_text(&Cell::Number(1234.0)), Some("1234".to_string()));
        assert_eq!(parse_text(&Cell::Number(-7.0)), Some("-7".to_string()));
        assert_eq!(parse_text(&Cell::Number(12.5)), Some("12.5".to_string()));
        assert_eq!(
            parse_text(&Cell::Number(7_707_083_893.0)),
            Some("7707083893".to_string())
        );
        let noon = date(2024, 3, 5).and_hms_opt(12, 0, 0).expect("a real time");
        assert_eq!(
            parse_text(&Cell::Date(noon)),
            Some("05.03.2024".to_string())
        );
        assert_eq!(parse_text(&Cell::Formula("A1".to_string())), None);
        assert_eq!(parse_text(&Cell::Error), None);
        assert_eq!(parse_text(&Cell::Empty), None);
    }
}
