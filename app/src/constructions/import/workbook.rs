//! Reading registry workbooks (.xlsx, .xls) into plain rows, and validating those rows
//! into registry records. Server only: calamine and zip do not go to the browser.
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

use crate::constructions::footprint::{Footprint, FootprintError};
use crate::constructions::import::{ColumnMapping, Validated, max_text_chars, recognise_status};
use crate::constructions::inn::{InnError, check_inn, normalise_inn};
use crate::constructions::model::{
    ConstructionFields, ConstructionStatus, RegistryField, RowError, RowProblem,
};
use crate::geography::model::MunicipalityId;
use platform::error::WorkbookError;
use platform::geo::LatLon;

/// The largest upload accepted.
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;
/// The most data rows one import takes.
pub const MAX_ROWS: usize = 100_000;
/// The most an .xlsx may unpack to, all entries together. Real registries of
/// `MAX_ROWS` rows unpack to well under 100 MB.
pub const MAX_UNCOMPRESSED_BYTES: u64 = 256 * 1024 * 1024;
/// The highest unpacked-to-packed ratio of one large .xlsx entry. Spreadsheet XML packs
/// 5-30 times; deflate cannot exceed about 1032, which is what bombs use.
pub const MAX_COMPRESSION_RATIO: u64 = 500;
/// Entries smaller than this are not ratio-checked: tiny files pack oddly and cannot hurt.
const RATIO_CHECKED_FROM_BYTES: u64 = 1024 * 1024;
/// The most entries an .xlsx may have (a real one has 10-30).
const MAX_ZIP_ENTRIES: usize = 10_000;
/// Columns from this one on are ignored (the registry has 16 fields; Excel allows 16,384
/// columns, which would multiply the memory of every row).
pub const MAX_COLUMNS: usize = 256;
/// The most non-empty data cells kept: bounds memory when rows are very wide.
const MAX_CELLS: usize = 4_000_000;
/// At most this many one-cell rows (titles, notes) above the header are skipped.
const MAX_TITLE_ROWS: usize = 10;

/// The start of every zip archive (an .xlsx is one).
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
/// The start of an empty zip archive (its end-of-central-directory record).
const EMPTY_ZIP_MAGIC: &[u8] = b"PK\x05\x06";
/// The start of a Compound File (OLE): an .xls, or an encrypted .xlsx.
const CFB_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
/// The stream name that marks an encrypted OOXML package inside a Compound File.
const ENCRYPTED_PACKAGE: &str = "EncryptedPackage";

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

/// Reads the first visible worksheet of an .xlsx or .xls upload.
///
/// The format is sniffed from the bytes, never taken from `file_name` (a renamed file
/// must not reach the wrong parser); the name only goes to the log.
pub fn read_workbook(bytes: &[u8], file_name: &str) -> Result<Sheet, WorkbookError> {
    let result = read_with_limits(bytes, Limits::UPLOAD);
    if let Err(error) = &result {
        tracing::info!(file_name, size = bytes.len(), %error, "registry workbook rejected");
    }
    result
}

fn read_with_limits(bytes: &[u8], limits: Limits) -> Result<Sheet, WorkbookError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(WorkbookError::TooLarge {
            max_mb: (MAX_FILE_BYTES / (1024 * 1024)) as u32,
        });
    }
    // calamine parses hostile input; should a malformed file still make it panic, that is
    // a damaged file to the user, not a failed request.
    std::panic::catch_unwind(|| match sniff_format(bytes) {
        FileFormat::Xlsx => read_xlsx(bytes, limits),
        FileFormat::Xls => read_xls(bytes, limits),
        FileFormat::EncryptedPackage => Err(WorkbookError::Encrypted),
        FileFormat::Unknown => Err(WorkbookError::NotAWorkbook),
    })
    .unwrap_or(Err(WorkbookError::NotAWorkbook))
}

/// What the first bytes say a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FileFormat {
    /// A zip archive: read as .xlsx.
    Xlsx,
    /// A Compound File without an encrypted package: read as .xls.
    Xls,
    /// A Compound File holding an encrypted OOXML package: a password-protected .xlsx.
    EncryptedPackage,
    /// Anything else.
    Unknown,
}

fn sniff_format(bytes: &[u8]) -> FileFormat {
    if bytes.starts_with(ZIP_MAGIC) || bytes.starts_with(EMPTY_ZIP_MAGIC) {
        FileFormat::Xlsx
    } else if bytes.starts_with(CFB_MAGIC) {
        // Directory entry names are stored as UTF-16LE; Excel writes a protected .xlsx as
        // a Compound File with the streams "EncryptionInfo" and "EncryptedPackage".
        let name: Vec<u8> = ENCRYPTED_PACKAGE
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        if bytes
            .windows(name.len())
            .any(|window| window == name.as_slice())
        {
            FileFormat::EncryptedPackage
        } else {
            FileFormat::Xls
        }
    } else {
        FileFormat::Unknown
    }
}

/// Refuses an .xlsx whose central directory declares too much unpacked data, before any
/// entry is inflated. The zip reader (zip >= 9.8) treats each declared size as a hard cap
/// while inflating ("larger than its declared uncompressed size" is an error), so a lying
/// directory cannot make calamine allocate more than what is checked here.
fn check_zip_limits(bytes: &[u8], limits: Limits) -> Result<(), WorkbookError> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| WorkbookError::NotAWorkbook)?;
    if archive.len() > MAX_ZIP_ENTRIES {
        return Err(WorkbookError::TooBigUncompressed);
    }
    let mut total: u64 = 0;
    for index in 0..archive.len() {
        let entry = archive
            .by_index_raw(index)
            .map_err(|_| WorkbookError::NotAWorkbook)?;
        if entry.encrypted() {
            return Err(WorkbookError::Encrypted);
        }
        let size = entry.size();
        total = total.saturating_add(size);
        let ratio = size / entry.compressed_size().max(1);
        if total > limits.max_uncompressed_bytes
            || (size >= RATIO_CHECKED_FROM_BYTES && ratio > MAX_COMPRESSION_RATIO)
        {
            return Err(WorkbookError::TooBigUncompressed);
        }
    }
    Ok(())
}

fn read_xlsx(bytes: &[u8], limits: Limits) -> Result<Sheet, WorkbookError> {
    check_zip_limits(bytes, limits)?;
    let mut workbook = Xlsx::new(Cursor::new(bytes)).map_err(xlsx_error)?;
    let name = first_worksheet(workbook.sheets_metadata())?;
    let merged = workbook
        .merge_cells_by_sheet_name(&name)
        .map_err(xlsx_error)?;
    let mut builder = SheetBuilder::new(merged, limits);
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

fn read_xls(bytes: &[u8], limits: Limits) -> Result<Sheet, WorkbookError> {
    check_xls_grid(bytes, limits)?;
    let mut workbook = Xls::new(Cursor::new(bytes)).map_err(xls_error)?;
    let name = first_worksheet(workbook.sheets_metadata())?;
    let merged = workbook
        .merge_cells_by_sheet_name(&name)
        .map_err(xls_error)?;
    let values = workbook.worksheet_range(&name).map_err(xls_error)?;
    let formulas = workbook.worksheet_formula(&name).map_err(xls_error)?;
    let mut builder = SheetBuilder::new(merged, limits);
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
fn is_blank(c: char) -> bool {
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

/// How many fields a header line maps.
fn recognised_fields(headers: &[String]) -> usize {
    ColumnMapping::detect(headers)
        .columns
        .iter()
        .flatten()
        .count()
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
    fn new(merged: Vec<Dimensions>, limits: Limits) -> Self {
        Self {
            merged,
            limits,
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
                if recognised_fields(&double) > recognised_fields(&single) {
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
const EXACT_INTEGER_LIMIT: f64 = 9_007_199_254_740_992.0;

fn format_number(number: f64) -> String {
    if number.fract() == 0.0 && number.abs() < EXACT_INTEGER_LIMIT {
        format!("{}", number as i64)
    } else {
        format!("{number}")
    }
}

/// The earliest date the import takes (anything earlier is a typo).
fn earliest_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(NaiveDate::MIN)
}

/// The latest date the import takes.
fn latest_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2100, 12, 31).unwrap_or(NaiveDate::MAX)
}

/// A cell as a date: a date-formatted cell, an Excel serial number (1900 date system,
/// with its phantom 29 February 1900), or text "dd.mm.yyyy", "d.m.yyyy" (optionally
/// followed by "г."), or "yyyy-mm-dd" (optionally with a time). Impossible dates such as
/// 31.02.2024 are `BadDate`, never rolled over; dates outside 1900-2100 are `OutOfRange`.
/// A whole number from 1900 to 2100 is `BadDate`: it is a year, not the serial date in
/// 1905 it would otherwise be.
pub fn parse_date(cell: &Cell) -> Result<Option<NaiveDate>, RowProblem> {
    let date = match cell {
        Cell::Empty => return Ok(None),
        Cell::Formula(_) => return Err(RowProblem::Formula),
        Cell::Bool(_) | Cell::Error => return Err(RowProblem::BadDate),
        Cell::Date(date_time) => date_time.date(),
        Cell::Number(serial) => date_from_serial(*serial)?,
        Cell::Text(text) => match parse_text(cell) {
            None => return Ok(None),
            Some(_) => date_from_text(text)?,
        },
    };
    if date < earliest_date() || date > latest_date() {
        return Err(RowProblem::OutOfRange);
    }
    Ok(Some(date))
}

/// An Excel serial date of the 1900 system: day 1 is 1900-01-01, and day 60 is the
/// 29 February 1900 that Lotus 1-2-3 invented and Excel kept, so from day 61 on the serial
/// is one ahead of a plain day count. A time of day (the fraction) is dropped.
fn date_from_serial(serial: f64) -> Result<NaiveDate, RowProblem> {
    if !serial.is_finite() {
        return Err(RowProblem::BadDate);
    }
    let days = serial.floor();
    if (1900.0..=2100.0).contains(&days) {
        return Err(RowProblem::BadDate);
    }
    if !(1.0..=2_958_465.0).contains(&days) {
        return Err(RowProblem::OutOfRange);
    }
    if days == 60.0 {
        return Err(RowProblem::BadDate);
    }
    let days = days as i64;
    let (epoch, offset) = if days < 60 {
        ((1899, 12, 31), days)
    } else {
        ((1899, 12, 30), days)
    };
    NaiveDate::from_ymd_opt(epoch.0, epoch.1, epoch.2)
        .and_then(|epoch| epoch.checked_add_signed(chrono::TimeDelta::days(offset)))
        .ok_or(RowProblem::OutOfRange)
}

fn date_from_text(text: &str) -> Result<NaiveDate, RowProblem> {
    let text = text.trim_matches(is_blank);
    let text = text
        .strip_suffix("г.")
        .or_else(|| text.strip_suffix('г'))
        .map_or(text, |rest| rest.trim_end_matches(is_blank));
    let number = |part: &str, digits: std::ops::RangeInclusive<usize>| {
        (digits.contains(&part.len()) && part.bytes().all(|byte| byte.is_ascii_digit()))
            .then(|| part.parse::<u32>().ok())
            .flatten()
    };
    let parts: Vec<&str> = text.split('.').collect();
    let (year, month, day) = if let [day, month, year] = parts.as_slice() {
        (
            number(year, 4..=4),
            number(month, 1..=2),
            number(day, 1..=2),
        )
    } else {
        // ISO, possibly with a time part ("2024-03-15T10:30:00", "2024-03-15 10:30").
        let date_part = text.split(['T', ' ']).next().unwrap_or_default();
        let time_part = &text[date_part.len()..];
        let time_ok = time_part
            .chars()
            .skip(1)
            .all(|c| c.is_ascii_digit() || c == ':' || c == '.');
        match date_part.split('-').collect::<Vec<_>>().as_slice() {
            [year, month, day] if time_ok => (
                number(year, 4..=4),
                number(month, 1..=2),
                number(day, 1..=2),
            ),
            _ => (None, None, None),
        }
    };
    let (Some(year), Some(month), Some(day)) = (year, month, day) else {
        return Err(RowProblem::BadDate);
    };
    let year = i32::try_from(year).map_err(|_| RowProblem::BadDate)?;
    NaiveDate::from_ymd_opt(year, month, day).ok_or(RowProblem::BadDate)
}

/// A cell as a decimal number: a number cell, or text with a decimal comma or dot and
/// spaces (incl. no-break spaces) or the other mark as thousands separators
/// ("1 234,5", "1.234,5", "1,234.5"). A lone comma is the decimal mark ("12,5" = 12.5),
/// as in Russian. Anything ambiguous or not a number ("1,234.5,6", "12 м²") is `BadNumber`.
pub fn parse_decimal(cell: &Cell) -> Result<Option<f64>, RowProblem> {
    match cell {
        Cell::Empty => Ok(None),
        Cell::Formula(_) => Err(RowProblem::Formula),
        Cell::Number(number) if number.is_finite() => Ok(Some(*number)),
        Cell::Text(text) => {
            let compact: String = text.chars().filter(|c| !is_blank(*c)).collect();
            if compact.is_empty() {
                return Ok(None);
            }
            decimal_from_text(&compact)
                .map(Some)
                .ok_or(RowProblem::BadNumber)
        }
        Cell::Number(_) | Cell::Bool(_) | Cell::Date(_) | Cell::Error => Err(RowProblem::BadNumber),
    }
}

fn decimal_from_text(text: &str) -> Option<f64> {
    let (negative, digits) = match text.chars().next()? {
        '-' | '\u{2212}' => (true, &text[text.chars().next()?.len_utf8()..]),
        '+' => (false, &text[1..]),
        _ => (false, text),
    };
    if digits.is_empty()
        || !digits
            .chars()
            .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
    {
        return None;
    }
    let commas = digits.matches(',').count();
    let dots = digits.matches('.').count();
    let (decimal_mark, thousands_mark) = match (commas, dots) {
        (0, 0) => (None, None),
        (1, 0) => (Some(','), None),
        (0, 1) => (Some('.'), None),
        (_, 0) => (None, Some(',')),
        (0, _) => (None, Some('.')),
        _ => {
            // Both marks: the last one is the decimal mark and occurs once.
            let last = digits.chars().rev().find(|c| *c == ',' || *c == '.')?;
            let other = if last == ',' { '.' } else { ',' };
            if digits.matches(last).count() != 1 {
                return None;
            }
            (Some(last), Some(other))
        }
    };
    let (whole, fraction) = match decimal_mark {
        Some(mark) => digits.split_once(mark)?,
        None => (digits, ""),
    };
    if decimal_mark.is_some() && fraction.is_empty() {
        return None;
    }
    let whole = match thousands_mark {
        Some(mark) => {
            let mut groups = whole.split(mark);
            let first = groups.next()?;
            let grouped =
                (1..=3).contains(&first.len()) && groups.clone().all(|group| group.len() == 3);
            if !grouped {
                return None;
            }
            std::iter::once(first).chain(groups).collect::<String>()
        }
        None => whole.to_string(),
    };
    if whole.is_empty() && fraction.is_empty() {
        return None;
    }
    let plain = format!(
        "{}{}.{}",
        if negative { "-" } else { "" },
        if whole.is_empty() { "0" } else { &whole },
        if fraction.is_empty() { "0" } else { fraction }
    );
    plain.parse::<f64>().ok().filter(|value| value.is_finite())
}

/// A cell as a whole number (see [`parse_decimal`] for the accepted text); a fraction is
/// `BadNumber`.
pub fn parse_integer(cell: &Cell) -> Result<Option<i64>, RowProblem> {
    match parse_decimal(cell)? {
        None => Ok(None),
        Some(value) if value.fract() == 0.0 && value.abs() < EXACT_INTEGER_LIMIT => {
            Ok(Some(value as i64))
        }
        Some(_) => Err(RowProblem::BadNumber),
    }
}

/// What validation needs from the database, as plain functions so this stays pure.
pub struct ValidationContext<'a> {
    /// The municipality a cell's trimmed text names (name, slug or centre), if any.
    pub municipality: &'a dyn Fn(&str) -> Option<MunicipalityId>,
    /// Whether the importing official may change entries of a municipality.
    pub may_edit: &'a dyn Fn(MunicipalityId) -> bool,
    /// Whether a point lies in the region.
    pub in_region: &'a dyn Fn(LatLon) -> bool,
}

/// Floors a registry building may have.
const FLOORS: std::ops::RangeInclusive<i64> = 1..=200;
/// Total area in square metres must lie strictly between 0 and this.
const MAX_AREA_M2: f64 = 10_000_000.0;

/// Validates every row of `sheet` as `mapping` reads it. Every problem of every row is
/// reported; rows without problems become records. A required field without a column is
/// `Missing` (with no column) on every row: callers check
/// [`ColumnMapping::missing_required`] first. Registry numbers repeated in the file are
/// reported on the later rows (compared case-insensitively, like the database's unique key).
pub fn validate(sheet: &Sheet, mapping: &ColumnMapping, ctx: &ValidationContext<'_>) -> Validated {
    let columns: Vec<Option<usize>> = RegistryField::ALL
        .iter()
        .map(|field| mapping.column_of(*field))
        .collect();
    let mut validated = Validated::default();
    let mut first_row_of_number: HashMap<String, u32> = HashMap::new();
    for row in &sheet.rows {
        let mut check = RowCheck {
            sheet,
            row,
            columns: &columns,
            errors: &mut validated.errors,
            clean: true,
        };
        if let Some(record) = check.record(ctx, &mut first_row_of_number) {
            validated.records.push((row.number, record));
        }
    }
    validated
}

/// The validation of one row: collects its problems into `errors`.
struct RowCheck<'a> {
    sheet: &'a Sheet,
    row: &'a SheetRow,
    columns: &'a [Option<usize>],
    errors: &'a mut Vec<RowError>,
    clean: bool,
}

impl RowCheck<'_> {
    fn record(
        &mut self,
        ctx: &ValidationContext<'_>,
        first_row_of_number: &mut HashMap<String, u32>,
    ) -> Option<ConstructionFields> {
        use RegistryField as F;
        let registry_number = self.text(F::RegistryNumber);
        if let Some(number) = &registry_number {
            let key = number.to_lowercase();
            match first_row_of_number.get(&key) {
                Some(&first_row) => {
                    self.report(F::RegistryNumber, RowProblem::DuplicateInFile { first_row })
                }
                None => {
                    first_row_of_number.insert(key, self.row.number);
                }
            }
        }
        let object_name = self.text(F::ObjectName);
        let address = self.text(F::Address);
        let point = self.point(ctx);
        let municipality_id =
            self.text(F::Municipality)
                .and_then(|name| match (ctx.municipality)(&name) {
                    None => {
                        self.report(F::Municipality, RowProblem::UnknownMunicipality);
                        None
                    }
                    Some(found) if !(ctx.may_edit)(found) => {
                        self.report(F::Municipality, RowProblem::NotYourMunicipality);
                        None
                    }
                    found => found,
                });
        let developer_name = self.text(F::DeveloperName);
        let developer_inn = self.inn();
        let permit_number = self.text(F::PermitNumber);
        let permit_date = self.date(F::PermitDate);
        let permit_issuer = self.text(F::PermitIssuer);
        let permitted_use = self.text(F::PermittedUse);
        let floors = self.floors();
        let total_area_m2 = self.area();
        let planned_completion = self.date(F::PlannedCompletion);
        let status = self.status();
        let footprint = self.footprint();
        if !self.clean {
            return None;
        }
        Some(ConstructionFields {
            registry_number: registry_number?,
            object_name: object_name?,
            address: address?,
            point: point?,
            municipality_id: municipality_id?,
            developer_name: developer_name?,
            developer_inn: developer_inn?,
            permit_number: permit_number?,
            permit_date: permit_date?,
            permit_issuer: permit_issuer?,
            permitted_use: permitted_use?,
            floors,
            total_area_m2,
            planned_completion,
            status: status?,
            footprint,
        })
    }

    fn column(&self, field: RegistryField) -> Option<usize> {
        let slot = RegistryField::ALL
            .iter()
            .position(|candidate| *candidate == field)?;
        self.columns.get(slot).copied().flatten()
    }

    fn cell(&self, field: RegistryField) -> &Cell {
        self.column(field)
            .and_then(|column| self.row.cells.get(column))
            .unwrap_or(&Cell::Empty)
    }

    fn report(&mut self, field: RegistryField, problem: RowProblem) {
        self.clean = false;
        let column = self
            .column(field)
            .and_then(|column| self.sheet.headers.get(column))
            .cloned();
        self.errors.push(RowError {
            row: self.row.number,
            column,
            field: Some(field),
            problem,
        });
    }

    /// The cell's value through `parse`, reporting formulas, parse problems and a missing
    /// required value.
    fn parsed<T>(
        &mut self,
        field: RegistryField,
        parse: impl Fn(&Cell) -> Result<Option<T>, RowProblem>,
    ) -> Option<T> {
        let cell = self.cell(field);
        let result = if matches!(cell, Cell::Formula(_)) {
            Err(RowProblem::Formula)
        } else {
            parse(cell)
        };
        match result {
            Ok(Some(value)) => Some(value),
            Ok(None) => {
                if field.is_required() {
                    self.report(field, RowProblem::Missing);
                }
                None
            }
            Err(problem) => {
                self.report(field, problem);
                None
            }
        }
    }

    fn text(&mut self, field: RegistryField) -> Option<String> {
        let text = self.parsed(field, |cell| Ok(parse_text(cell)))?;
        match max_text_chars(field) {
            Some(max) if text.chars().count() > max as usize => {
                self.report(field, RowProblem::TooLong { max });
                None
            }
            _ => Some(text),
        }
    }

    fn date(&mut self, field: RegistryField) -> Option<NaiveDate> {
        self.parsed(field, parse_date)
    }

    fn coordinate(
        &mut self,
        field: RegistryField,
        range: std::ops::RangeInclusive<f64>,
    ) -> Option<f64> {
        let value = self.parsed(field, parse_decimal)?;
        if range.contains(&value) {
            Some(value)
        } else {
            self.report(field, RowProblem::OutOfRange);
            None
        }
    }

    fn point(&mut self, ctx: &ValidationContext<'_>) -> Option<LatLon> {
        let lat = self.coordinate(RegistryField::Latitude, -90.0..=90.0);
        let lon = self.coordinate(RegistryField::Longitude, -180.0..=180.0);
        let point = LatLon::new(lat?, lon?)?;
        if (ctx.in_region)(point) {
            Some(point)
        } else {
            self.report(RegistryField::Latitude, RowProblem::OutsideRegion);
            None
        }
    }

    /// The INN with its grouping spaces removed. An INN stored as a number has lost its
    /// leading zero (regions 01-09): a 9- or 11-digit number whose zero-padded form passes
    /// the checksum is taken padded.
    fn inn(&mut self) -> Option<String> {
        let field = RegistryField::DeveloperInn;
        let was_number = matches!(self.cell(field), Cell::Number(_));
        let inn = normalise_inn(&self.parsed(field, |cell| Ok(parse_text(cell)))?);
        let padded = format!("0{inn}");
        if was_number && matches!(inn.len(), 9 | 11) && check_inn(&padded).is_ok() {
            return Some(padded);
        }
        match check_inn(&inn) {
            Ok(()) => Some(inn),
            Err(InnError::Empty) => {
                self.report(field, RowProblem::Missing);
                None
            }
            Err(reason) => {
                self.report(field, RowProblem::BadInn { reason });
                None
            }
        }
    }

    fn floors(&mut self) -> Option<u16> {
        let floors = self.parsed(RegistryField::Floors, parse_integer)?;
        let valid = FLOORS
            .contains(&floors)
            .then(|| u16::try_from(floors).ok())
            .flatten();
        if valid.is_none() {
            self.report(RegistryField::Floors, RowProblem::OutOfRange);
        }
        valid
    }

    fn footprint(&mut self) -> Option<Footprint> {
        let text = self.parsed(RegistryField::Footprint, |cell| Ok(parse_text(cell)))?;
        match Footprint::parse(&text) {
            Ok(footprint) => Some(footprint),
            Err(FootprintError::OutsideRegion) => {
                self.report(RegistryField::Footprint, RowProblem::OutsideRegion);
                None
            }
            Err(_) => {
                self.report(RegistryField::Footprint, RowProblem::BadFootprint);
                None
            }
        }
    }

    fn area(&mut self) -> Option<f64> {
        let area = self.parsed(RegistryField::TotalArea, parse_decimal)?;
        if area > 0.0 && area < MAX_AREA_M2 {
            Some(area)
        } else {
            self.report(RegistryField::TotalArea, RowProblem::OutOfRange);
            None
        }
    }

    /// The status; an empty cell (or no status column) means the permit is issued.
    fn status(&mut self) -> Option<ConstructionStatus> {
        let field = RegistryField::Status;
        if matches!(self.cell(field), Cell::Formula(_)) {
            self.report(field, RowProblem::Formula);
            return None;
        }
        let Some(text) = parse_text(self.cell(field)) else {
            return Some(ConstructionStatus::PermitIssued);
        };
        let status = recognise_status(&text);
        if status.is_none() {
            self.report(field, RowProblem::UnknownStatus);
        }
        status
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError as WriteError};
    use std::io::Write;

    const HEADERS: [&str; 16] = [
        "Реестровый номер",
        "Наименование объекта",
        "Адрес",
        "Широта",
        "Долгота",
        "Муниципальное образование",
        "Застройщик",
        "ИНН застройщика",
        "Номер разрешения",
        "Дата разрешения",
        "Кем выдано",
        "Разрешённое использование",
        "Этажность",
        "Общая площадь, м²",
        "Плановый срок ввода",
        "Статус",
    ];

    /// An .xlsx whose first sheet `fill` writes.
    fn xlsx(fill: impl FnOnce(&mut Worksheet) -> Result<(), WriteError>) -> Vec<u8> {
        let mut workbook = Workbook::new();
        fill(workbook.add_worksheet()).expect("the test sheet is writable");
        workbook.save_to_buffer().expect("the test workbook saves")
    }

    fn write_headers(sheet: &mut Worksheet, row: u32) -> Result<(), WriteError> {
        for (column, header) in (0u16..).zip(HEADERS) {
            sheet.write_string(row, column, header)?;
        }
        Ok(())
    }

    /// A complete, valid registry row.
    fn write_valid_row(sheet: &mut Worksheet, row: u32, number: &str) -> Result<(), WriteError> {
        sheet.write_string(row, 0, number)?;
        sheet.write_string(row, 1, "Многоквартирный жилой дом")?;
        sheet.write_string(row, 2, "г. Краснодар, ул. Красная, 1")?;
        sheet.write_number(row, 3, 45.0355)?;
        sheet.write_number(row, 4, 38.9753)?;
        sheet.write_string(row, 5, "Краснодар")?;
        sheet.write_string(row, 6, "ООО «Кубаньстрой»")?;
        sheet.write_string(row, 7, "2310031475")?;
        sheet.write_string(row, 8, "23-43-101-2024")?;
        sheet.write_number(row, 9, 45366.0)?;
        sheet.write_string(row, 10, "Департамент архитектуры")?;
        sheet.write_string(row, 11, "многоквартирный жилой дом")?;
        sheet.write_number(row, 12, 9.0)?;
        sheet.write_number(row, 13, 5400.5)?;
        sheet.write_string(row, 15, "Строится")?;
        Ok(())
    }

    fn municipality(name: &str) -> Option<MunicipalityId> {
        matches!(name, "Краснодар" | "krasnodar").then_some(MunicipalityId(1))
    }

    fn in_krai(point: LatLon) -> bool {
        (43.0..=47.5).contains(&point.lat) && (36.0..=42.0).contains(&point.lon)
    }

    fn validate_default(sheet: &Sheet) -> Validated {
        let mapping = ColumnMapping::detect(&sheet.headers);
        let ctx = ValidationContext {
            municipality: &municipality,
            may_edit: &|_| true,
            in_region: &in_krai,
        };
        validate(sheet, &mapping, &ctx)
    }

    fn read(bytes: &[u8]) -> Result<Sheet, WorkbookError> {
        read_workbook(bytes, "registry.xlsx")
    }

    fn date(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).expect("a real date")
    }

    fn problems_of(validated: &Validated, row: u32) -> Vec<(Option<RegistryField>, RowProblem)> {
        validated
            .errors
            .iter()
            .filter(|error| error.row == row)
            .map(|error| (error.field, error.problem))
            .collect()
    }

    #[test]
    fn a_russian_registry_with_mixed_date_and_number_styles_imports() {
        let date_format = Format::new().set_num_format("dd.mm.yyyy");
        let bytes = xlsx(|sheet| {
            write_headers(sheet, 0)?;
            write_valid_row(sheet, 1, "РС-001")?;
            write_valid_row(sheet, 2, "РС-002")?;
            sheet.write_string(2, 3, " 45,0355\u{a0}")?;
            sheet.write_string(2, 4, "38,9753")?;
            sheet.write_string(2, 5, "  Краснодар ")?;
            sheet.write_string(2, 6, "ООО   «Кубаньстрой»\u{a0}")?;
            sheet.write_string(2, 7, "2310 031 475")?;
            sheet.write_string(2, 9, " 15.03.2024 г. ")?;
            sheet.write_string(2, 12, " 9 ")?;
            sheet.write_string(2, 13, "1\u{a0}234,5")?;
            sheet.write_string(2, 14, "2026-12-31")?;
            sheet.write_string(2, 15, " \u{a0}")?;
            write_valid_row(sheet, 3, "РС-003")?;
            sheet.write_number(3, 0, 1234.0)?;
            sheet.write_number_with_format(3, 9, 45366.0, &date_format)?;
            sheet.write_string(3, 14, "1.7.2027")?;
            sheet.write_string(3, 15, "Введён в эксплуатацию")?;
            Ok(())
        });
        let sheet = read(&bytes).expect("the registry reads");
        assert_eq!(sheet.headers, HEADERS.map(str::to_string).to_vec());
        assert_eq!(
            sheet.rows.iter().map(|row| row.number).collect::<Vec<_>>(),
            vec![2, 3, 4]
        );
        assert_eq!(
            sheet.rows[2].cells[9],
            Cell::Date(date(2024, 3, 15).and_time(chrono::NaiveTime::MIN))
        );

        let validated = validate_default(&sheet);
        assert_eq!(validated.errors, vec![]);
        let records: Vec<_> = validated
            .records
            .iter()
            .map(|(row, record)| (*row, record))
            .collect();
        assert_eq!(records.len(), 3);
        for (_, record) in &records {
            assert_eq!(record.permit_date, date(2024, 3, 15));
            assert_eq!(
                record.point,
                LatLon {
                    lat: 45.0355,
                    lon: 38.9753
                }
            );
            assert_eq!(record.municipality_id, MunicipalityId(1));
            assert_eq!(record.developer_name, "ООО «Кубаньстрой»");
            assert_eq!(record.developer_inn, "2310031475");
            assert_eq!(record.floors, Some(9));
        }
        let (row, second) = records[1];
        assert_eq!(row, 3);
        assert_eq!(second.total_area_m2, Some(1234.5));
        assert_eq!(second.planned_completion, Some(date(2026, 12, 31)));
        assert_eq!(second.status, ConstructionStatus::PermitIssued);
        assert_eq!(records[0].1.status, ConstructionStatus::UnderConstruction);
        assert_eq!(records[2].1.registry_number, "1234");
        assert_eq!(records[2].1.planned_completion, Some(date(2027, 7, 1)));
        assert_eq!(records[2].1.status, ConstructionStatus::Commissioned);

        // An official whose department keeps another municipality's registry imports none.
        let elsewhere = ValidationContext {
            municipality: &municipality,
            may_edit: &|id| id != MunicipalityId(1),
            in_region: &in_krai,
        };
        let refused = validate(&sheet, &ColumnMapping::detect(&sheet.headers), &elsewhere);
        assert!(refused.records.is_empty());
        assert_eq!(refused.errors.len(), 3);
        assert!(
            refused
                .errors
                .iter()
                .all(|error| error.problem == RowProblem::NotYourMunicipality
                    && error.field == Some(RegistryField::Municipality))
        );
    }

    #[test]
    fn merged_group_titles_combine_with_their_sub_headers() {
        let merged = Format::new();
        let bytes = xlsx(|sheet| {
            // Columns without sub-headers are merged down over both header rows.
            sheet.merge_range(0, 0, 1, 0, "Реестровый номер", &merged)?;
            sheet.merge_range(0, 1, 1, 1, "Объект", &merged)?;
            sheet.merge_range(0, 2, 1, 2, "Адрес", &merged)?;
            sheet.merge_range(0, 3, 0, 4, "Координаты", &merged)?;
            sheet.write_string(1, 3, "Широта")?;
            sheet.write_string(1, 4, "Долгота")?;
            sheet.merge_range(0, 5, 1, 5, "Муниципалитет", &merged)?;
            sheet.merge_range(0, 6, 0, 7, "Застройщик", &merged)?;
            sheet.write_string(1, 6, "Наименование")?;
            sheet.write_string(1, 7, "ИНН")?;
            sheet.merge_range(0, 8, 0, 10, "Разрешение на строительство", &merged)?;
            sheet.write_string(1, 8, "Номер")?;
            sheet.write_string(1, 9, "Дата")?;
            sheet.write_string(1, 10, "Кем выдано")?;
            for (column, header) in (11u16..).zip(&HEADERS[11..]) {
                sheet.merge_range(0, column, 1, column, header, &merged)?;
            }
            write_valid_row(sheet, 2, "РС-001")?;
            Ok(())
        });
        let sheet = read(&bytes).expect("the registry reads");
        assert_eq!(sheet.headers[3], "Координаты Широта");
        assert_eq!(sheet.headers[7], "Застройщик ИНН");
        assert_eq!(sheet.headers[9], "Разрешение на строительство Дата");
        assert_eq!(sheet.headers[0], "Реестровый номер");
        let mapping = ColumnMapping::detect(&sheet.headers);
        // Every field but the outline, which registries rarely carry and this one lacks.
        let without_outline: Vec<_> = RegistryField::ALL
            .into_iter()
            .filter(|field| *field != RegistryField::Footprint)
            .map(Some)
            .collect();
        assert_eq!(mapping.columns, without_outline);
        assert_eq!(sheet.rows.len(), 1);
        assert_eq!(sheet.rows[0].number, 3);
        assert_eq!(validate_default(&sheet).records.len(), 1);
    }

    #[test]
    fn a_wide_merged_header_over_data_stays_one_header_row() {
        let bytes = xlsx(|sheet| {
            write_headers(sheet, 0)?;
            // "Адрес" drawn two columns wide; the column after it has no header of its own.
            sheet.merge_range(0, 2, 0, 3, "Адрес", &Format::new())?;
            for (column, header) in (4u16..).zip(&HEADERS[3..]) {
                sheet.write_string(0, column, *header)?;
            }
            sheet.write_string(1, 0, "РС-001")?;
            sheet.write_string(1, 2, "г. Краснодар")?;
            sheet.write_string(1, 3, "ул. Красная, 1")?;
            Ok(())
        });
        let sheet = read(&bytes).expect("the registry reads");
        assert_eq!(sheet.headers[2], "Адрес");
        assert_eq!(sheet.headers[3], "Адрес");
        assert_eq!(sheet.headers[4], "Широта");
        assert_eq!(
            sheet.rows.iter().map(|row| row.number).collect::<Vec<_>>(),
            vec![2]
        );
    }

    #[test]
    fn a_title_above_the_header_is_skipped() {
        let bytes = xlsx(|sheet| {
            sheet.merge_range(
                0,
                0,
                0,
                15,
                "Реестр выданных разрешений на строительство",
                &Format::new(),
            )?;
            write_headers(sheet, 2)?;
            write_valid_row(sheet, 3, "РС-001")?;
            Ok(())
        });
        let sheet = read(&bytes).expect("the registry reads");
        assert_eq!(sheet.headers[0], "Реестровый номер");
        assert_eq!(
            sheet.rows.iter().map(|row| row.number).collect::<Vec<_>>(),
            vec![4]
        );
    }

    #[test]
    fn formulas_are_reported_even_with_a_cached_value() {
        let bytes = xlsx(|sheet| {
            write_headers(sheet, 0)?;
            write_valid_row(sheet, 1, "РС-001")?;
            sheet.write_formula(1, 12, "=4+5")?;
            Ok(())
        });
        let sheet = read(&bytes).expect("the registry reads");
        assert_eq!(sheet.rows[0].cells[12], Cell::Formula("4+5".to_string()));
        let validated = validate_default(&sheet);
        assert!(validated.records.is_empty());
        assert_eq!(
            validated.errors,
            vec![RowError {
                row: 2,
                column: Some("Этажность".to_string()),
                field: Some(RegistryField::Floors),
                problem: RowProblem::Formula,
            }]
        );
    }

    #[test]
    fn every_problem_of_every_row_is_reported() {
        let bytes = xlsx(|sheet| {
            write_headers(sheet, 0)?;
            write_valid_row(sheet, 1, "РС-001")?;
            write_valid_row(sheet, 2, "рс-001")?;
            sheet.write_string(2, 7, "2310031476")?;
            sheet.write_string(2, 9, "31.02.2024")?;
            write_valid_row(sheet, 3, "РС-003")?;
            sheet.write_string(3, 1, " ")?;
            sheet.write_number(3, 12, 300.0)?;
            sheet.write_string(3, 13, "много")?;
            sheet.write_string(3, 5, "Атлантида")?;
            sheet.write_string(3, 15, "Снесено инопланетянами")?;
            sheet.write_string(3, 8, "1".repeat(65))?;
            write_valid_row(sheet, 4, "РС-004")?;
            sheet.write_number(4, 3, 55.75)?;
            sheet.write_number(4, 4, 37.61)?;
            sheet.write_number(4, 14, 2025.0)?;
            Ok(())
        });
        let validated = validate_default(&read(&bytes).expect("the registry reads"));
        use RegistryField as F;
        assert_eq!(
            validated
                .records
                .iter()
                .map(|(row, _)| *row)
                .collect::<Vec<_>>(),
            vec![2]
        );
        assert_eq!(
            problems_of(&validated, 3),
            vec![
                (
                    Some(F::RegistryNumber),
                    RowProblem::DuplicateInFile { first_row: 2 }
                ),
                (
                    Some(F::DeveloperInn),
                    RowProblem::BadInn {
                        reason: InnError::BadChecksum
                    }
                ),
                (Some(F::PermitDate), RowProblem::BadDate),
            ]
        );
        assert_eq!(
            problems_of(&validated, 4),
            vec![
                (Some(F::ObjectName), RowProblem::Missing),
                (Some(F::Municipality), RowProblem::UnknownMunicipality),
                (Some(F::PermitNumber), RowProblem::TooLong { max: 64 }),
                (Some(F::Floors), RowProblem::OutOfRange),
                (Some(F::TotalArea), RowProblem::BadNumber),
                (Some(F::Status), RowProblem::UnknownStatus),
            ]
        );
        assert_eq!(
            problems_of(&validated, 5),
            vec![
                (Some(F::Latitude), RowProblem::OutsideRegion),
                (Some(F::PlannedCompletion), RowProblem::BadDate),
            ]
        );
        let municipality_error = validated
            .errors
            .iter()
            .find(|error| error.problem == RowProblem::UnknownMunicipality)
            .expect("reported");
        assert_eq!(
            municipality_error.column.as_deref(),
            Some("Муниципальное образование")
        );
    }

    #[test]
    fn a_stray_cell_far_below_is_one_more_row_and_reads_fast() {
        let bytes = xlsx(|sheet| {
            write_headers(sheet, 0)?;
            for row in 1..=3 {
                write_valid_row(sheet, row, &format!("РС-00{row}"))?;
            }
            sheet.write_string(999_999, 2, "забытая заметка")?;
            Ok(())
        });
        let started = std::time::Instant::now();
        let sheet = read(&bytes).expect("the registry reads");
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        assert_eq!(
            sheet.rows.iter().map(|row| row.number).collect::<Vec<_>>(),
            vec![2, 3, 4, 1_000_000]
        );
        let validated = validate_default(&sheet);
        assert_eq!(validated.records.len(), 3);
        assert!(validated.errors.iter().all(|error| error.row == 1_000_000));
        assert!(
            validated
                .errors
                .iter()
                .any(|error| error.problem == RowProblem::Missing)
        );
    }

    #[test]
    fn empty_and_whitespace_rows_and_columns_beyond_the_header_are_ignored() {
        let bytes = xlsx(|sheet| {
            write_headers(sheet, 0)?;
            sheet.write_string(1, 0, " \u{a0} ")?;
            write_valid_row(sheet, 4, "РС-001")?;
            sheet.write_string(5, 40, "справа от таблицы")?;
            Ok(())
        });
        let sheet = read(&bytes).expect("the registry reads");
        assert_eq!(sheet.headers.len(), 16);
        assert_eq!(
            sheet.rows.iter().map(|row| row.number).collect::<Vec<_>>(),
            vec![5]
        );
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
            read_with_limits(&bytes, limits),
            Err(WorkbookError::TooManyRows { max: 5 })
        );
        let limits = Limits {
            max_rows: 6,
            ..Limits::UPLOAD
        };
        assert_eq!(
            read_with_limits(&bytes, limits).map(|sheet| sheet.rows.len()),
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
            read_with_limits(&over_total, limits),
            Err(WorkbookError::TooBigUncompressed)
        );
    }

    #[test]
    fn an_entry_longer_than_declared_is_not_unpacked_past_its_declaration() {
        let mut bytes = xlsx(|sheet| {
            write_headers(sheet, 0)?;
            write_valid_row(sheet, 1, "РС-001")
        });
        declare_size(&mut bytes, "xl/worksheets/sheet1.xml", 200);
        assert_eq!(read(&bytes), Err(WorkbookError::NotAWorkbook));
    }

    #[test]
    fn compound_files_are_sniffed_as_xls_or_encrypted_packages() {
        let mut header = CFB_MAGIC.to_vec();
        header.resize(512, 0);
        assert_eq!(sniff_format(&header), FileFormat::Xls);
        // Garbage after the magic: calamine refuses it without panicking.
        assert_eq!(read(&header), Err(WorkbookError::NotAWorkbook));

        let mut encrypted = header.clone();
        encrypted.extend("EncryptionInfo".encode_utf16().flat_map(u16::to_le_bytes));
        encrypted.extend([0, 0]);
        encrypted.extend(ENCRYPTED_PACKAGE.encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(sniff_format(&encrypted), FileFormat::EncryptedPackage);
        assert_eq!(read(&encrypted), Err(WorkbookError::Encrypted));

        // The name in plain ASCII is not a directory entry.
        let mut ascii = header;
        ascii.extend(ENCRYPTED_PACKAGE.as_bytes());
        assert_eq!(sniff_format(&ascii), FileFormat::Xls);

        assert_eq!(sniff_format(b"PK\x03\x04rest"), FileFormat::Xlsx);
        assert_eq!(sniff_format(b"PK\x05\x06"), FileFormat::Xlsx);
        assert_eq!(sniff_format(b"%PDF-1.7"), FileFormat::Unknown);
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

    #[test]
    fn dates_from_serials_cells_and_text() {
        let text = |value: &str| parse_date(&Cell::Text(value.to_string()));
        let serial = |value: f64| parse_date(&Cell::Number(value));
        assert_eq!(serial(1.0), Ok(Some(date(1900, 1, 1))));
        assert_eq!(serial(59.0), Ok(Some(date(1900, 2, 28))));
        assert_eq!(
            serial(60.0),
            Err(RowProblem::BadDate),
            "Excel's phantom 29.02.1900"
        );
        assert_eq!(serial(61.0), Ok(Some(date(1900, 3, 1))));
        assert_eq!(serial(45366.0), Ok(Some(date(2024, 3, 15))));
        assert_eq!(
            serial(45366.75),
            Ok(Some(date(2024, 3, 15))),
            "the time of day is dropped"
        );
        assert_eq!(
            serial(2025.0),
            Err(RowProblem::BadDate),
            "a year, not a date in 1905"
        );
        assert_eq!(serial(0.0), Err(RowProblem::OutOfRange));
        assert_eq!(serial(-5.0), Err(RowProblem::OutOfRange));
        assert_eq!(serial(100_000.0), Err(RowProblem::OutOfRange));
        assert_eq!(serial(f64::NAN), Err(RowProblem::BadDate));
        let midnight = date(2024, 3, 15).and_time(chrono::NaiveTime::MIN);
        assert_eq!(
            parse_date(&Cell::Date(midnight)),
            Ok(Some(date(2024, 3, 15)))
        );

        assert_eq!(text("15.03.2024"), Ok(Some(date(2024, 3, 15))));
        assert_eq!(text("5.3.2024"), Ok(Some(date(2024, 3, 5))));
        assert_eq!(text("  05.03.2024\u{a0}"), Ok(Some(date(2024, 3, 5))));
        assert_eq!(text("05.03.2024 г."), Ok(Some(date(2024, 3, 5))));
        assert_eq!(text("05.03.2024г"), Ok(Some(date(2024, 3, 5))));
        assert_eq!(text("2024-03-15"), Ok(Some(date(2024, 3, 15))));
        assert_eq!(text("2024-03-15T10:30:00"), Ok(Some(date(2024, 3, 15))));
        assert_eq!(text("29.02.2024"), Ok(Some(date(2024, 2, 29))));
        assert_eq!(text("   "), Ok(None));
        assert_eq!(parse_date(&Cell::Empty), Ok(None));
        for bad in [
            "31.02.2024",
            "29.02.2023",
            "32.01.2024",
            "15.13.2024",
            "15.03.24",
            "15/03/2024",
            "2024-02-30",
            "2024",
            "вчера",
            "15.03.2024.1",
            "2024-03-15 утром",
        ] {
            assert_eq!(text(bad), Err(RowProblem::BadDate), "{bad}");
        }
        assert_eq!(text("15.03.1812"), Err(RowProblem::OutOfRange));
        assert_eq!(
            parse_date(&Cell::Formula("TODAY()".to_string())),
            Err(RowProblem::Formula)
        );
        assert_eq!(parse_date(&Cell::Bool(true)), Err(RowProblem::BadDate));
    }

    #[test]
    fn decimals_with_commas_dots_and_grouping() {
        let text = |value: &str| parse_decimal(&Cell::Text(value.to_string()));
        assert_eq!(text("45,0355"), Ok(Some(45.0355)));
        assert_eq!(text("45.0355"), Ok(Some(45.0355)));
        assert_eq!(text(" 1 234,5 "), Ok(Some(1234.5)));
        assert_eq!(text("1\u{a0}234\u{202f}567,25"), Ok(Some(1_234_567.25)));
        assert_eq!(text("1.234,5"), Ok(Some(1234.5)));
        assert_eq!(text("1,234.5"), Ok(Some(1234.5)));
        assert_eq!(text("1,234,567"), Ok(Some(1_234_567.0)));
        assert_eq!(text("-38,5"), Ok(Some(-38.5)));
        assert_eq!(text("\u{2212}2"), Ok(Some(-2.0)));
        assert_eq!(text("+2"), Ok(Some(2.0)));
        assert_eq!(text(",5"), Ok(Some(0.5)));
        assert_eq!(text(""), Ok(None));
        for bad in [
            "1,234.5,6",
            "1.2.3,4",
            "12,34,5",
            "12 м²",
            "abc",
            "1e5",
            "inf",
            "NaN",
            "5,",
            "-",
            ",",
            "1..2",
            "1,2,3.4.5",
            "0x10",
        ] {
            assert_eq!(text(bad), Err(RowProblem::BadNumber), "{bad}");
        }
        assert_eq!(parse_decimal(&Cell::Number(12.5)), Ok(Some(12.5)));
        assert_eq!(
            parse_decimal(&Cell::Number(f64::INFINITY)),
            Err(RowProblem::BadNumber)
        );
        assert_eq!(parse_decimal(&Cell::Bool(true)), Err(RowProblem::BadNumber));
        assert_eq!(
            parse_decimal(&Cell::Formula("1+1".to_string())),
            Err(RowProblem::Formula)
        );
    }

    #[test]
    fn integers_are_whole() {
        assert_eq!(parse_integer(&Cell::Number(12.0)), Ok(Some(12)));
        assert_eq!(parse_integer(&Cell::Text(" 12 ".to_string())), Ok(Some(12)));
        assert_eq!(parse_integer(&Cell::Text("12,0".to_string())), Ok(Some(12)));
        assert_eq!(
            parse_integer(&Cell::Text("12,5".to_string())),
            Err(RowProblem::BadNumber)
        );
        assert_eq!(
            parse_integer(&Cell::Number(1e300)),
            Err(RowProblem::BadNumber)
        );
        assert_eq!(parse_integer(&Cell::Empty), Ok(None));
    }

    /// A sheet of one data row (row 2) under the registry headers.
    fn one_row(cells: Vec<Cell>) -> Sheet {
        Sheet {
            headers: HEADERS.map(str::to_string).to_vec(),
            rows: vec![SheetRow { number: 2, cells }],
        }
    }

    fn valid_cells() -> Vec<Cell> {
        let text = |value: &str| Cell::Text(value.to_string());
        vec![
            text("РС-1"),
            text("Жилой дом"),
            text("ул. Красная, 1"),
            Cell::Number(45.0),
            Cell::Number(39.0),
            text("krasnodar"),
            text("ИП Иванов"),
            Cell::Number(500_100_732_259.0),
            text("RU-23-1"),
            text("01.02.2024"),
            text("Администрация"),
            text("ИЖС"),
        ]
    }

    #[test]
    fn optional_fields_may_be_absent_and_the_status_defaults() {
        let validated = validate_default(&one_row(valid_cells()));
        assert_eq!(validated.errors, vec![]);
        let (row, record) = &validated.records[0];
        assert_eq!(*row, 2);
        assert_eq!(record.developer_inn, "500100732259");
        assert_eq!(record.floors, None);
        assert_eq!(record.total_area_m2, None);
        assert_eq!(record.planned_completion, None);
        assert_eq!(record.status, ConstructionStatus::PermitIssued);
    }

    #[test]
    fn an_inn_that_lost_its_leading_zero_as_a_number_is_restored() {
        // 0274062111: Bashkortostan (region 02); typed as a number, Excel drops the zero.
        let mut cells = valid_cells();
        cells[7] = Cell::Number(274_062_111.0);
        let validated = validate_default(&one_row(cells.clone()));
        assert_eq!(
            validated
                .records
                .first()
                .map(|(_, record)| record.developer_inn.as_str()),
            Some("0274062111")
        );
        cells[7] = Cell::Text("274062111".to_string());
        let validated = validate_default(&one_row(cells));
        assert_eq!(
            problems_of(&validated, 2),
            vec![(
                Some(RegistryField::DeveloperInn),
                RowProblem::BadInn {
                    reason: InnError::WrongLength
                }
            )]
        );
    }

    #[test]
    fn ranges_of_coordinates_floors_and_area() {
        use RegistryField as F;
        let mut cells = valid_cells();
        cells[3] = Cell::Text("95,1".to_string());
        cells[4] = Cell::Text("сорок".to_string());
        cells.extend([
            Cell::Number(0.0),
            Cell::Number(0.0),
            Cell::Empty,
            Cell::Text("permit_issued".to_string()),
        ]);
        let validated = validate_default(&one_row(cells));
        assert_eq!(
            problems_of(&validated, 2),
            vec![
                (Some(F::Latitude), RowProblem::OutOfRange),
                (Some(F::Longitude), RowProblem::BadNumber),
                (Some(F::Floors), RowProblem::OutOfRange),
                (Some(F::TotalArea), RowProblem::OutOfRange),
            ]
        );
    }

    #[test]
    fn unmapped_required_fields_are_missing_on_every_row() {
        let sheet = one_row(valid_cells());
        let mut mapping = ColumnMapping::detect(&sheet.headers);
        mapping.columns[1] = None;
        let ctx = ValidationContext {
            municipality: &municipality,
            may_edit: &|_| true,
            in_region: &in_krai,
        };
        let validated = validate(&sheet, &mapping, &ctx);
        assert_eq!(
            validated.errors,
            vec![RowError {
                row: 2,
                column: None,
                field: Some(RegistryField::ObjectName),
                problem: RowProblem::Missing
            }]
        );
    }
}
