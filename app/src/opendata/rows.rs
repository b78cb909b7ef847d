//! The rows of a published version as a query, for the dataset page's table and the rows
//! API: equality, starts-with and range filters per column, a sort on one column, and
//! pages continued by an opaque cursor, never by OFFSET.
//!
//! Every cell of a version has a key in `dataset_row_keys`, clustered in the order
//! (column, has_value, number_key, text_key, row_no) (see the migration); [`Position`] is
//! that key. A page is read in one of three ways, all giving the same total order (the
//! sort column's key, ties by row number; `sort=-x` is exactly the reverse of `sort=x`),
//! so a cursor taken in one continues correctly in another:
//! - **one range scan** of the driving column's keys from the cursor's position,
//!   `limit + 1` entries: a sort on a column (within a filter on that same column), or
//!   the row order with an equality filter (equal keys are in row order), or the row
//!   order alone (the rows' own primary key);
//! - **a bounded walk** when other filters must also hold: the candidates of that scan
//!   are checked against the other filters on their stored cells, in growing chunks, at
//!   most [`SCAN_BUDGET`] candidates per request. A page cut short by the budget still
//!   carries a cursor (at the last candidate checked), so the client reads on and no row
//!   is lost or repeated;
//! - **a bounded sort** when one of the filters matches few rows (at most [`SMALL_SET`],
//!   counted on its keys, which costs at most that many index entries): those rows are
//!   read through the filter's keys and sorted in the database.
//!
//! Text keys hold the first [`TEXT_KEY_CHARS`] characters, compared in the table's
//! collation (utf8mb4_unicode_ci: case-insensitive). A text equality is defined as "the
//! first 64 characters are equal and the whole cells are equal", a starts-with likewise;
//! the whole cell is rechecked on the stored JSON, so a long text costs no index space.

use std::collections::HashSet;
use std::fmt::Write as _;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{Datelike, NaiveDate};
use diesel::mysql::Mysql;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Double, Nullable, Text, Unsigned};
use diesel_async::{AsyncMysqlConnection, RunQueryDsl};
use sha2::{Digest, Sha256};

use super::format::{Column, ColumnType, Structure, Value, parse_cell};
use super::model::row_params::{CURSOR, EQUALS, LIMIT, MAX, MIN, SORT, STARTS_WITH, VERSION};
use super::model::{DatasetVersionId, VersionInfo};
use super::queries::Datasets;
use crate::i18n::{Locale, Message as _, Msg, error_text};
use platform::db::schema::{dataset_structures, dataset_versions};
use platform::error::{AppError, ErrorCode};
use platform::sql::{Bind, BoxedSql, bind_all};

/// Rows per page when the client does not say.
pub const DEFAULT_LIMIT: u32 = 100;
/// The most rows one page may have.
pub const MAX_LIMIT: u32 = 1_000;
/// Characters of a text cell its key keeps (the width of `dataset_row_keys.text_key`).
pub const TEXT_KEY_CHARS: usize = 64;
/// Candidate rows one request checks at most when filters are checked row by row: about
/// 20-40 ms of work. A filter that leaves fewer than 1 row in 100 never gets here (it is
/// below [`SMALL_SET`] on a million rows), so a page of 100 usually fills well within it.
pub const SCAN_BUDGET: usize = 20_000;
/// A filter matching at most this many rows drives the query: its rows are read through
/// its keys and sorted in the database (a bounded sort instead of a long walk).
pub const SMALL_SET: u32 = 10_000;
/// The bounds of the row-by-row strategies; tests shrink them to drive every strategy
/// on a small version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// Candidates a walk checks at most per request.
    pub scan: usize,
    /// A filter matching at most this many rows is read and sorted on its own.
    pub small_set: u32,
}

impl Budget {
    /// [`SCAN_BUDGET`] and [`SMALL_SET`].
    pub const DEFAULT: Budget = Budget {
        scan: SCAN_BUDGET,
        small_set: SMALL_SET,
    };
}

/// The layout version of cursor tokens; a token of another layout is refused.
const CURSOR_FORMAT: u8 = 1;
/// The longest cursor accepted (a token carries at most 64 characters of text).
const MAX_CURSOR_CHARS: usize = 512;

/// Which way a sort runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Smallest first; null cells first.
    Ascending,
    /// The exact reverse of ascending: largest first, null cells last.
    Descending,
}

/// The kinds of column filter, each a query parameter prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterKind {
    /// `filter.<column>=<value>`: the cell equals the value (text case-insensitively).
    Equals,
    /// `prefix.<column>=<text>`: a text cell starts with the text (case-insensitively).
    StartsWith,
    /// `min.<column>=<value>`: a number or date at least the value.
    AtLeast,
    /// `max.<column>=<value>`: a number or date at most the value.
    AtMost,
}

impl FilterKind {
    /// Every filter kind.
    pub const ALL: [FilterKind; 4] = [
        FilterKind::Equals,
        FilterKind::StartsWith,
        FilterKind::AtLeast,
        FilterKind::AtMost,
    ];

    /// The query parameter prefix.
    pub fn prefix(self) -> &'static str {
        match self {
            FilterKind::Equals => EQUALS,
            FilterKind::StartsWith => STARTS_WITH,
            FilterKind::AtLeast => MIN,
            FilterKind::AtMost => MAX,
        }
    }
}

/// Why a rows request was refused. Every variant but the last two is the client's
/// mistake (400); [`RowsError::code`] is the stable machine-readable name.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RowsError {
    /// A parameter this API does not know.
    #[error("unknown parameter {0:?}")]
    UnknownParameter(String),
    /// The same parameter twice.
    #[error("parameter {0:?} is given twice")]
    DuplicateParameter(String),
    /// A filter or sort names no column of the version's structure.
    #[error("{parameter}: the dataset has no column {column:?}")]
    UnknownColumn {
        /// The parameter.
        parameter: String,
        /// The name given.
        column: String,
    },
    /// A filter value does not read as a value of its column's type.
    #[error("{parameter}: {value:?} is not a {kind:?} value")]
    BadValue {
        /// The parameter.
        parameter: String,
        /// The value given.
        value: String,
        /// The column's type.
        kind: ColumnType,
    },
    /// A filter that does not apply to the column's type (a range on text, a prefix on
    /// a number).
    #[error("{parameter}: not a filter for {kind:?} columns")]
    UnsupportedFilter {
        /// The parameter.
        parameter: String,
        /// The column's type.
        kind: ColumnType,
    },
    /// `limit` is not a whole number from 1 to [`MAX_LIMIT`].
    #[error("limit {0:?} is not 1..=1000")]
    BadLimit(String),
    /// `version` is not a date `YYYYMMDD`.
    #[error("version {0:?} is not YYYYMMDD")]
    BadVersion(String),
    /// The cursor is not a token this API made.
    #[error("the cursor is malformed")]
    BadCursor,
    /// The cursor was made for another query (other filters, sort or version).
    #[error("the cursor belongs to another query")]
    CursorMismatch,
    /// No such dataset, or no such (or no published) version.
    #[error("not found")]
    NotFound,
    /// The server failed (logged); the client sees only the kind.
    #[error("{0}")]
    Failed(AppError),
}

impl From<AppError> for RowsError {
    fn from(error: AppError) -> Self {
        match error {
            AppError::NotFound => Self::NotFound,
            other => Self::Failed(other),
        }
    }
}

impl From<diesel::result::Error> for RowsError {
    fn from(error: diesel::result::Error) -> Self {
        AppError::from(error).into()
    }
}

impl RowsError {
    /// The stable machine-readable name of the error.
    pub fn code(&self) -> &'static str {
        match self {
            Self::UnknownParameter(_) => "unknown_parameter",
            Self::DuplicateParameter(_) => "duplicate_parameter",
            Self::UnknownColumn { .. } => "unknown_column",
            Self::BadValue { .. } => "bad_value",
            Self::UnsupportedFilter { .. } => "unsupported_filter",
            Self::BadLimit(_) => "bad_limit",
            Self::BadVersion(_) => "bad_version",
            Self::BadCursor => "bad_cursor",
            Self::CursorMismatch => "cursor_mismatch",
            Self::NotFound => "not_found",
            Self::Failed(AppError::Unavailable) => "unavailable",
            Self::Failed(_) => "internal",
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        match self {
            Self::NotFound => 404,
            Self::Failed(error) => error.status(),
            _ => 400,
        }
    }

    /// The query parameter at fault, when one is.
    pub fn parameter(&self) -> Option<&str> {
        match self {
            Self::UnknownParameter(name) | Self::DuplicateParameter(name) => Some(name),
            Self::UnknownColumn { parameter, .. }
            | Self::BadValue { parameter, .. }
            | Self::UnsupportedFilter { parameter, .. } => Some(parameter),
            Self::BadLimit(_) => Some(LIMIT),
            Self::BadVersion(_) => Some(VERSION),
            Self::BadCursor | Self::CursorMismatch => Some(CURSOR),
            Self::NotFound | Self::Failed(_) => None,
        }
    }

    /// The error as a sentence in `locale`, naming the parameter at fault.
    pub fn message(&self, locale: Locale) -> String {
        let text = |msg: Msg| msg.text(locale);
        match self {
            Self::UnknownParameter(name) => {
                format!("{}: {name}", text(Msg::RowsErrorUnknownParameter))
            }
            Self::DuplicateParameter(name) => {
                format!("{}: {name}", text(Msg::RowsErrorDuplicateParameter))
            }
            Self::UnknownColumn { parameter, column } => format!(
                "{}: {column:?} ({parameter})",
                text(Msg::RowsErrorUnknownColumn)
            ),
            Self::BadValue {
                parameter,
                value,
                kind,
            } => format!(
                "{}: {parameter}={value:?} ({})",
                text(Msg::RowsErrorBadValue),
                text(kind_msg(*kind))
            ),
            Self::UnsupportedFilter { parameter, kind } => format!(
                "{}: {parameter} ({})",
                text(Msg::RowsErrorUnsupportedFilter),
                text(kind_msg(*kind))
            ),
            Self::BadLimit(value) => format!("{}: {value:?}", text(Msg::RowsErrorBadLimit)),
            Self::BadVersion(value) => {
                format!("{}: {value:?}", text(Msg::RowsErrorBadVersion))
            }
            Self::BadCursor => text(Msg::RowsErrorBadCursor).to_string(),
            Self::CursorMismatch => text(Msg::RowsErrorCursorMismatch).to_string(),
            Self::NotFound => text(Msg::RowsErrorNotFound).to_string(),
            Self::Failed(error) => error_text(error, locale),
        }
    }

    /// The error as the application's error kinds, for the pages' server functions:
    /// a refused parameter is an invalid field the page translates.
    pub fn into_app_error(self) -> AppError {
        let code = match &self {
            Self::NotFound => return AppError::NotFound,
            Self::Failed(error) => return error.clone(),
            Self::BadLimit(_) => ErrorCode::OutOfRange {
                min: 1,
                max: i64::from(MAX_LIMIT),
            },
            Self::UnknownParameter(_)
            | Self::UnknownColumn { .. }
            | Self::UnsupportedFilter { .. } => ErrorCode::NotAllowed,
            Self::DuplicateParameter(_)
            | Self::BadValue { .. }
            | Self::BadVersion(_)
            | Self::BadCursor
            | Self::CursorMismatch => ErrorCode::Malformed,
        };
        AppError::invalid(self.parameter().unwrap_or_default(), code)
    }
}

/// The words for a column type, as error messages name what a value should be.
pub fn kind_msg(kind: ColumnType) -> Msg {
    match kind {
        ColumnType::String => Msg::ColumnKindString,
        ColumnType::Integer => Msg::ColumnKindInteger,
        ColumnType::Number => Msg::ColumnKindNumber,
        ColumnType::Date => Msg::ColumnKindDate,
        ColumnType::Boolean => Msg::ColumnKindBoolean,
    }
}

/// One column filter as the client wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawFilter {
    /// Which filter.
    pub kind: FilterKind,
    /// The column's machine name, as given.
    pub column: String,
    /// The value, as given.
    pub value: String,
}

/// The parameters of a rows request, read but not yet checked against a structure.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RowParams {
    /// `version=YYYYMMDD` (or `YYYY-MM-DD`); the newest version when absent.
    pub version: Option<NaiveDate>,
    /// `limit`, 1..=[`MAX_LIMIT`].
    pub limit: Option<u32>,
    /// `cursor`: the token of the previous page's `next`.
    pub cursor: Option<String>,
    /// `sort=<column>` or `sort=-<column>`; the row order when absent.
    pub sort: Option<(String, Direction)>,
    /// The filters, in the order given.
    pub filters: Vec<RawFilter>,
}

impl RowParams {
    /// Reads a query string (`a=1&b=2`, URL-encoded). An empty value counts as absent, so
    /// that an HTML form with empty filter inputs reads as "no filter"; unknown and
    /// repeated parameters are refused, so a mistyped filter is never silently ignored.
    pub fn parse(query: &str) -> Result<Self, RowsError> {
        let mut params = Self::default();
        let mut seen = HashSet::new();
        for (name, value) in form_urlencoded::parse(query.as_bytes()) {
            if !seen.insert(name.clone()) {
                return Err(RowsError::DuplicateParameter(name.into_owned()));
            }
            let value = value.into_owned();
            match name.as_ref() {
                VERSION if value.is_empty() => {}
                VERSION => params.version = Some(parse_version(&value)?),
                LIMIT if value.is_empty() => {}
                LIMIT => {
                    params.limit = Some(
                        value
                            .parse::<u32>()
                            .ok()
                            .filter(|limit| (1..=MAX_LIMIT).contains(limit))
                            .ok_or(RowsError::BadLimit(value))?,
                    );
                }
                CURSOR if value.is_empty() => {}
                CURSOR => params.cursor = Some(value),
                SORT if value.is_empty() => {}
                SORT => {
                    params.sort = Some(match value.strip_prefix('-') {
                        Some(column) => (column.to_string(), Direction::Descending),
                        None => (value, Direction::Ascending),
                    });
                }
                other => {
                    let Some((kind, column)) = FilterKind::ALL.iter().find_map(|kind| {
                        other
                            .strip_prefix(kind.prefix())
                            .filter(|column| !column.is_empty())
                            .map(|column| (*kind, column))
                    }) else {
                        return Err(RowsError::UnknownParameter(other.to_string()));
                    };
                    if !value.is_empty() {
                        params.filters.push(RawFilter {
                            kind,
                            column: column.to_string(),
                            value,
                        });
                    }
                }
            }
        }
        Ok(params)
    }

    /// The query string of these parameters for version `version` and page `cursor` (the
    /// `next` link; without a cursor, the first page). Always names the version, so that
    /// following `next` stays in one version even when a newer one is published.
    pub fn to_query(&self, version: NaiveDate, cursor: Option<&str>) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        query.append_pair(VERSION, &version.format("%Y%m%d").to_string());
        if let Some(limit) = self.limit {
            query.append_pair(LIMIT, &limit.to_string());
        }
        if let Some((column, direction)) = &self.sort {
            let sign = if *direction == Direction::Descending {
                "-"
            } else {
                ""
            };
            query.append_pair(SORT, &format!("{sign}{column}"));
        }
        for filter in &self.filters {
            query.append_pair(
                &format!("{}{}", filter.kind.prefix(), filter.column),
                &filter.value,
            );
        }
        if let Some(cursor) = cursor {
            query.append_pair(CURSOR, cursor);
        }
        query.finish()
    }
}

/// `YYYYMMDD` (the file names' spelling) or `YYYY-MM-DD`.
fn parse_version(text: &str) -> Result<NaiveDate, RowsError> {
    let format = if text.len() == 8 {
        "%Y%m%d"
    } else {
        "%Y-%m-%d"
    };
    NaiveDate::parse_from_str(text, format)
        .ok()
        .filter(|_| text.len() == 8 || text.len() == 10)
        .ok_or_else(|| RowsError::BadVersion(text.to_string()))
}

/// An equality filter's value as a key.
#[derive(Debug, Clone, PartialEq)]
pub enum Wanted {
    /// A number, date (YYYYMMDD) or boolean (0/1).
    Number(f64),
    /// A text (the key is its first [`TEXT_KEY_CHARS`] characters).
    Text(String),
}

/// The filters on one column, all of which must hold.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnFilter {
    /// The column's position in the structure.
    pub column: usize,
    /// Its type.
    pub kind: ColumnType,
    /// `filter.`: equal to.
    pub equals: Option<Wanted>,
    /// `prefix.`: starts with (text columns).
    pub starts_with: Option<String>,
    /// `min.`: at least (number, integer and date columns).
    pub min: Option<f64>,
    /// `max.`: at most (number, integer and date columns).
    pub max: Option<f64>,
}

/// The sort of a query on a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    /// The column's position in the structure.
    pub column: usize,
    /// Its type.
    pub kind: ColumnType,
    /// Which way.
    pub direction: Direction,
}

/// Where a page ended: the last row's key in the sort column and its number (for the
/// row order only the number counts).
#[derive(Debug, Clone, PartialEq)]
pub struct Position {
    /// Whether the cell has a value.
    pub has_value: bool,
    /// Its number key.
    pub number: f64,
    /// Its text key.
    pub text: String,
    /// The row.
    pub row_no: u32,
}

/// A checked rows query on one version: what [`Datasets::rows_page`] reads.
#[derive(Debug, Clone, PartialEq)]
pub struct RowQuery {
    /// The version.
    pub version: DatasetVersionId,
    /// The filters, one entry per filtered column, by column position.
    pub filters: Vec<ColumnFilter>,
    /// The sort; the row order when `None`.
    pub sort: Option<Sort>,
    /// Rows per page.
    pub limit: u32,
    /// The position to continue after (from the cursor).
    pub after: Option<Position>,
    /// A digest of version, sort and filters: what a cursor is bound to.
    fingerprint: u64,
}

impl RowQuery {
    /// Checks `params` against the columns of `structure` (version `version`'s): names,
    /// filter kinds and values for the column types, the cursor. `default_limit` applies
    /// when the parameters name none.
    pub fn new(
        params: &RowParams,
        structure: &Structure,
        version: DatasetVersionId,
        default_limit: u32,
    ) -> Result<Self, RowsError> {
        let column_of = |parameter: &str, name: &str| {
            structure
                .columns
                .iter()
                .position(|column| column.name == name)
                .map(|index| (index, structure.columns[index].kind))
                .ok_or_else(|| RowsError::UnknownColumn {
                    parameter: parameter.to_string(),
                    column: name.to_string(),
                })
        };
        let sort = match &params.sort {
            Some((name, direction)) => {
                let (column, kind) = column_of(SORT, name)?;
                Some(Sort {
                    column,
                    kind,
                    direction: *direction,
                })
            }
            None => None,
        };
        let mut filters: Vec<ColumnFilter> = Vec::new();
        for raw in &params.filters {
            let parameter = format!("{}{}", raw.kind.prefix(), raw.column);
            let (column, kind) = column_of(&parameter, &raw.column)?;
            let unsupported = || RowsError::UnsupportedFilter {
                parameter: parameter.clone(),
                kind,
            };
            let number = || {
                filter_number(kind, &raw.value).ok_or_else(|| RowsError::BadValue {
                    parameter: parameter.clone(),
                    value: raw.value.clone(),
                    kind,
                })
            };
            let index = match filters.iter().position(|f| f.column == column) {
                Some(index) => index,
                None => {
                    filters.push(ColumnFilter {
                        column,
                        kind,
                        equals: None,
                        starts_with: None,
                        min: None,
                        max: None,
                    });
                    filters.len() - 1
                }
            };
            let filter = &mut filters[index];
            match (raw.kind, kind) {
                (FilterKind::Equals, ColumnType::String) => {
                    filter.equals = Some(Wanted::Text(raw.value.clone()));
                }
                (FilterKind::Equals, _) => filter.equals = Some(Wanted::Number(number()?)),
                (FilterKind::StartsWith, ColumnType::String) => {
                    filter.starts_with = Some(raw.value.clone());
                }
                (
                    FilterKind::AtLeast,
                    ColumnType::Integer | ColumnType::Number | ColumnType::Date,
                ) => {
                    filter.min = Some(number()?);
                }
                (
                    FilterKind::AtMost,
                    ColumnType::Integer | ColumnType::Number | ColumnType::Date,
                ) => {
                    filter.max = Some(number()?);
                }
                _ => return Err(unsupported()),
            }
        }
        filters.sort_by_key(|filter| filter.column);
        let mut query = RowQuery {
            version,
            filters,
            sort,
            limit: params.limit.unwrap_or(default_limit).clamp(1, MAX_LIMIT),
            after: None,
            fingerprint: 0,
        };
        query.fingerprint = query.digest();
        if let Some(token) = &params.cursor {
            query.after = Some(query.decode_cursor(token)?);
        }
        Ok(query)
    }

    /// The query's identity for cursors: version, sort and filters (not the limit, which
    /// a client may change from page to page), in a canonical spelling.
    fn digest(&self) -> u64 {
        let mut text = format!("rows/{CURSOR_FORMAT};v={};", self.version);
        match self.sort {
            Some(sort) => {
                let sign = if sort.direction == Direction::Descending {
                    '-'
                } else {
                    '+'
                };
                let _ = write!(text, "s={sign}{};", sort.column);
            }
            None => text.push_str("s=row;"),
        }
        for filter in &self.filters {
            let _ = write!(text, "f={}", filter.column);
            match &filter.equals {
                Some(Wanted::Number(n)) => {
                    let _ = write!(text, ",eq#{:016x}", n.to_bits());
                }
                Some(Wanted::Text(t)) => {
                    let _ = write!(text, ",eq'{}:{t}", t.len());
                }
                None => {}
            }
            if let Some(prefix) = &filter.starts_with {
                let _ = write!(text, ",sw'{}:{prefix}", prefix.len());
            }
            if let Some(min) = filter.min {
                let _ = write!(text, ",min#{:016x}", min.to_bits());
            }
            if let Some(max) = filter.max {
                let _ = write!(text, ",max#{:016x}", max.to_bits());
            }
            text.push(';');
        }
        let digest = Sha256::digest(text.as_bytes());
        let mut first = [0u8; 8];
        first.copy_from_slice(&digest[..8]);
        u64::from_be_bytes(first)
    }

    /// The cursor token of `position` in this query: base64url of format byte,
    /// fingerprint, row number and (when sorted on a column) the key.
    pub fn cursor(&self, position: &Position) -> String {
        let mut bytes = Vec::with_capacity(22 + position.text.len());
        bytes.push(CURSOR_FORMAT);
        bytes.extend_from_slice(&self.fingerprint.to_be_bytes());
        bytes.extend_from_slice(&position.row_no.to_be_bytes());
        if self.sort.is_some() {
            bytes.push(u8::from(position.has_value));
            bytes.extend_from_slice(&position.number.to_bits().to_be_bytes());
            bytes.extend_from_slice(position.text.as_bytes());
        }
        URL_SAFE_NO_PAD.encode(bytes)
    }

    /// The position a token of this query names.
    fn decode_cursor(&self, token: &str) -> Result<Position, RowsError> {
        if token.len() > MAX_CURSOR_CHARS {
            return Err(RowsError::BadCursor);
        }
        let bytes = URL_SAFE_NO_PAD
            .decode(token)
            .map_err(|_| RowsError::BadCursor)?;
        // (`bytes.first()` would name diesel's `first` here.)
        let (Some(true), Some(fingerprint), Some(row_no)) = (
            bytes
                .as_slice()
                .split_first()
                .map(|(format, _)| *format == CURSOR_FORMAT),
            bytes.get(1..9).and_then(|b| <[u8; 8]>::try_from(b).ok()),
            bytes.get(9..13).and_then(|b| <[u8; 4]>::try_from(b).ok()),
        ) else {
            return Err(RowsError::BadCursor);
        };
        if u64::from_be_bytes(fingerprint) != self.fingerprint {
            return Err(RowsError::CursorMismatch);
        }
        let row_no = u32::from_be_bytes(row_no);
        if self.sort.is_none() {
            return match bytes.len() {
                13 => Ok(Position {
                    has_value: false,
                    number: 0.0,
                    text: String::new(),
                    row_no,
                }),
                _ => Err(RowsError::BadCursor),
            };
        }
        let (Some(&has_value), Some(number)) = (
            bytes.get(13),
            bytes.get(14..22).and_then(|b| <[u8; 8]>::try_from(b).ok()),
        ) else {
            return Err(RowsError::BadCursor);
        };
        let number = f64::from_bits(u64::from_be_bytes(number));
        let text = std::str::from_utf8(&bytes[22..]).map_err(|_| RowsError::BadCursor)?;
        let well_formed = match has_value {
            0 => number == 0.0 && text.is_empty(),
            1 => number.is_finite() && text.chars().count() <= TEXT_KEY_CHARS,
            _ => false,
        };
        if !well_formed {
            return Err(RowsError::BadCursor);
        }
        Ok(Position {
            has_value: has_value == 1,
            number,
            text: text.to_string(),
            row_no,
        })
    }
}

/// A filter value of a number, integer, date or boolean column as its number key: dates
/// as YYYYMMDD, booleans as 1/0 (also written `1`/`0`). `None` when it does not read.
fn filter_number(kind: ColumnType, text: &str) -> Option<f64> {
    if kind == ColumnType::Boolean {
        match text.trim() {
            "1" => return Some(1.0),
            "0" => return Some(0.0),
            _ => {}
        }
    }
    match parse_cell(text, kind).ok()? {
        // Integers beyond 2^53 round as the index's DOUBLE does (to nearest).
        Value::Integer(whole) => Some(whole as f64),
        Value::Number(number) => Some(number),
        Value::Date(date) => Some(f64::from(date_key(date))),
        Value::Boolean(truth) => Some(if truth { 1.0 } else { 0.0 }),
        Value::Null | Value::Text(_) => None,
    }
}

/// A date's number key: YYYYMMDD, which orders as the dates do.
fn date_key(date: NaiveDate) -> u32 {
    date.year().unsigned_abs() * 10_000 + date.month() * 100 + date.day()
}

/// One page of a query.
#[derive(Debug, Clone, PartialEq)]
pub struct RowsSlice {
    /// (row number, cells as stored: a JSON array in structure order), in query order.
    pub rows: Vec<(u32, String)>,
    /// The cursor of the next page; `None` after the last row.
    pub next: Option<String>,
    /// Whether the page stopped at [`SCAN_BUDGET`] before `limit` rows matched: it may
    /// hold fewer rows (even none) although more follow.
    pub partial: bool,
}

/// SQL text with its bound values, built piece by piece: user values are always bound,
/// only column positions (checked against the structure) are formatted into the text.
#[derive(Default)]
struct Sql {
    text: String,
    binds: Vec<Bind>,
}

impl Sql {
    fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    fn bind(&mut self, value: Bind) -> &mut Self {
        self.text.push('?');
        self.binds.push(value);
        self
    }

    fn query(self) -> BoxedSql {
        bind_all(
            diesel::sql_query(self.text).into_boxed::<Mysql>(),
            self.binds,
        )
    }
}

/// The key parts of the cells of one column as SQL expressions.
struct KeyExprs {
    has_value: String,
    number: String,
    text: String,
    row: String,
}

impl KeyExprs {
    /// The stored keys of `dataset_row_keys k`.
    fn stored() -> Self {
        Self {
            has_value: "k.has_value".into(),
            number: "k.number_key".into(),
            text: "k.text_key".into(),
            row: "k.row_no".into(),
        }
    }

    /// The keys computed from a cell's text `cell` (NULL for a null cell): what
    /// `index_rows` stores, and what a filter or sort on a row's stored JSON compares.
    /// One function for both, so that the two can never disagree.
    fn computed(kind: ColumnType, cell: &str, row: &str) -> Self {
        let number = match kind {
            ColumnType::String => "0e0".to_string(),
            ColumnType::Integer | ColumnType::Number => {
                format!("COALESCE(CAST({cell} AS DOUBLE), 0e0)")
            }
            ColumnType::Date => format!("COALESCE(CAST(REPLACE({cell}, '-', '') AS DOUBLE), 0e0)"),
            // JSON_TABLE reads `true`, JSON_VALUE reads `1`: both are true.
            ColumnType::Boolean => format!("COALESCE({cell} IN ('true', '1'), 0) + 0e0"),
        };
        let text = match kind {
            ColumnType::String => format!("COALESCE(LEFT({cell}, {TEXT_KEY_CHARS}), '')"),
            _ => "''".to_string(),
        };
        Self {
            has_value: format!("({cell} IS NOT NULL)"),
            number,
            text,
            row: row.to_string(),
        }
    }
}

/// The text of column `column` of the stored row `r`, in the index's collation (NULL for
/// a null cell). `column` is a position checked against the structure.
fn cell_of(column: usize) -> String {
    format!("CONVERT(JSON_VALUE(r.cells, '$[{column}]') USING utf8mb4) COLLATE utf8mb4_unicode_ci")
}

/// The first [`TEXT_KEY_CHARS`] characters of `text`: its key.
fn text_key(text: &str) -> String {
    text.chars().take(TEXT_KEY_CHARS).collect()
}

/// A LIKE pattern matching texts that start with `prefix`.
fn starts_with_pattern(prefix: &str) -> String {
    format!("{}%", platform::sql::escape_like(prefix, '\\'))
}

/// ` AND ...` conditions of `filter` on the keys `keys`: exact for numbers and dates, on
/// the first characters for texts (see [`rechecks`]).
fn key_conditions(sql: &mut Sql, filter: &ColumnFilter, keys: &KeyExprs) {
    sql.push(" AND ").push(&keys.has_value).push(" = 1");
    match &filter.equals {
        Some(Wanted::Number(number)) => {
            sql.push(" AND ")
                .push(&keys.number)
                .push(" = ")
                .bind(Bind::Double(*number));
            sql.push(" AND ").push(&keys.text).push(" = ''");
        }
        Some(Wanted::Text(text)) => {
            sql.push(" AND ").push(&keys.number).push(" = 0");
            sql.push(" AND ")
                .push(&keys.text)
                .push(" = ")
                .bind(Bind::Text(text_key(text)));
        }
        None => {}
    }
    if let Some(prefix) = &filter.starts_with {
        sql.push(" AND ").push(&keys.number).push(" = 0");
        sql.push(" AND ")
            .push(&keys.text)
            .push(" LIKE ")
            .bind(Bind::Text(starts_with_pattern(&text_key(prefix))));
    }
    if let Some(min) = filter.min {
        sql.push(" AND ")
            .push(&keys.number)
            .push(" >= ")
            .bind(Bind::Double(min));
    }
    if let Some(max) = filter.max {
        sql.push(" AND ")
            .push(&keys.number)
            .push(" <= ")
            .bind(Bind::Double(max));
    }
}

/// ` AND ...` conditions of `filter`'s texts on the whole stored cell, which the keys
/// hold only the start of.
fn rechecks(sql: &mut Sql, filter: &ColumnFilter) {
    let cell = cell_of(filter.column);
    if let Some(Wanted::Text(text)) = &filter.equals {
        sql.push(" AND ")
            .push(&cell)
            .push(" = ")
            .bind(Bind::Text(text.clone()));
    }
    if let Some(prefix) = &filter.starts_with {
        sql.push(" AND ")
            .push(&cell)
            .push(" LIKE ")
            .bind(Bind::Text(starts_with_pattern(prefix)));
    }
}

/// ` AND ...` conditions that hold of a row `r` passing `checked` (on its stored cells)
/// and the rechecks of `driver`.
fn row_conditions(sql: &mut Sql, driver: Option<&ColumnFilter>, checked: &[&ColumnFilter]) {
    if let Some(driver) = driver {
        rechecks(sql, driver);
    }
    for filter in checked {
        let keys = KeyExprs::computed(filter.kind, &cell_of(filter.column), "r.row_no");
        key_conditions(sql, filter, &keys);
        rechecks(sql, filter);
    }
}

/// ` AND` the condition "after `position`" in the order (has_value, number, text, row)
/// running `direction`, as nested comparisons the range optimizer turns into ranges.
fn after_key(sql: &mut Sql, keys: &KeyExprs, direction: Direction, position: &Position) {
    let op = match direction {
        Direction::Ascending => " > ",
        Direction::Descending => " < ",
    };
    sql.push(" AND (").push(&keys.has_value).push(op);
    sql.bind(Bind::Bool(position.has_value));
    sql.push(" OR (").push(&keys.has_value).push(" = ");
    sql.bind(Bind::Bool(position.has_value));
    sql.push(" AND (").push(&keys.number).push(op);
    sql.bind(Bind::Double(position.number));
    sql.push(" OR (").push(&keys.number).push(" = ");
    sql.bind(Bind::Double(position.number));
    sql.push(" AND (").push(&keys.text).push(op);
    sql.bind(Bind::Text(position.text.clone()));
    sql.push(" OR (").push(&keys.text).push(" = ");
    sql.bind(Bind::Text(position.text.clone()));
    sql.push(" AND ").push(&keys.row).push(op);
    sql.bind(Bind::UnsignedInt(position.row_no));
    sql.push("))))))");
}

/// ` ORDER BY` the keys `keys` running `direction` (the row number alone when `by_row`).
fn order_by(sql: &mut Sql, keys: &KeyExprs, direction: Direction, by_row: bool) {
    let suffix = match direction {
        Direction::Ascending => "",
        Direction::Descending => " DESC",
    };
    sql.push(" ORDER BY ");
    if !by_row {
        for part in [&keys.has_value, &keys.number, &keys.text] {
            sql.push(part).push(suffix).push(", ");
        }
    }
    sql.push(&keys.row).push(suffix);
}

/// One candidate row of a page.
#[derive(QueryableByName)]
struct Candidate {
    #[diesel(sql_type = Unsigned<diesel::sql_types::Integer>)]
    row_no: u32,
    #[diesel(sql_type = Bool)]
    has_value: bool,
    #[diesel(sql_type = Double)]
    number_key: f64,
    #[diesel(sql_type = Text)]
    text_key: String,
    #[diesel(sql_type = Bool)]
    pass: bool,
    #[diesel(sql_type = Nullable<Text>)]
    cells: Option<String>,
}

impl Candidate {
    fn position(&self) -> Position {
        Position {
            has_value: self.has_value,
            number: self.number_key,
            text: self.text_key.clone(),
            row_no: self.row_no,
        }
    }
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// How a page is read (see the module documentation).
enum Plan<'q> {
    /// Walk every row by row number.
    Rows,
    /// Walk the keys of a column in key order (`by_row`: all keys equal, so in row
    /// order), within `filter` (on that column) when given.
    Keys {
        column: usize,
        filter: Option<&'q ColumnFilter>,
        by_row: bool,
    },
    /// Read the few rows of `filter` through its keys and sort them in the database.
    Few { filter: &'q ColumnFilter },
}

impl Datasets {
    /// Writes the sort and filter keys of every cell of version `version` (one statement
    /// inside the database: its rows are exploded with JSON_TABLE, keyed by their
    /// columns' types and inserted in key order, which packs the index). Call it once,
    /// in the transaction that stores the version's rows, after them. Returns the keys
    /// written (rows × columns). A cell that does not read as its column's type fails it,
    /// as it would fail the version's data files.
    pub async fn index_rows(
        conn: &mut AsyncMysqlConnection,
        version: DatasetVersionId,
    ) -> QueryResult<usize> {
        let fields: String = dataset_versions::table
            .inner_join(dataset_structures::table)
            .filter(dataset_versions::id.eq(version))
            .select(dataset_structures::fields)
            .first(conn)
            .await?;
        let columns: Vec<Column> = serde_json::from_str(&fields)
            .map_err(|error| diesel::result::Error::DeserializationError(Box::new(error)))?;
        if columns.is_empty() {
            return Ok(0);
        }
        let (mut numbers, mut texts) = (String::new(), String::new());
        for (index, column) in columns.iter().enumerate() {
            let keys = KeyExprs::computed(column.kind, "j.t", "r.row_no");
            let _ = write!(numbers, " WHEN {} THEN {}", index + 1, keys.number);
            let _ = write!(texts, " WHEN {} THEN {}", index + 1, keys.text);
        }
        let sql = format!(
            "INSERT INTO dataset_row_keys (version_id, column_no, has_value, number_key, text_key, row_no) \
             SELECT r.version_id, j.cell_no - 1, j.t IS NOT NULL, \
               CASE j.cell_no{numbers} END, CASE j.cell_no{texts} END, r.row_no \
             FROM dataset_rows r \
               CROSS JOIN JSON_TABLE(r.cells, '$[*]' COLUMNS (cell_no FOR ORDINALITY, t TEXT PATH '$')) j \
             WHERE r.version_id = ? AND j.cell_no <= {count} \
             ORDER BY 2, 3, 4, 5, 6",
            count = columns.len(),
        );
        diesel::sql_query(sql)
            .bind::<Unsigned<BigInt>, _>(version)
            .execute(conn)
            .await
    }

    /// One page of `query` on its version: up to `query.limit` rows after the cursor's
    /// position, in the query's order, and the cursor of the next page.
    pub async fn rows_page(
        conn: &mut AsyncMysqlConnection,
        query: &RowQuery,
    ) -> Result<RowsSlice, AppError> {
        Self::rows_page_within(conn, query, Budget::DEFAULT).await
    }

    /// [`Datasets::rows_page`] within `budget`.
    pub async fn rows_page_within(
        conn: &mut AsyncMysqlConnection,
        query: &RowQuery,
        budget: Budget,
    ) -> Result<RowsSlice, AppError> {
        let plan = Self::plan(conn, query, budget).await?;
        match plan {
            Plan::Few { filter } => Self::sorted_few(conn, query, filter).await,
            walk => Self::walk(conn, query, &walk, budget).await,
        }
    }

    /// Chooses how to read a page of `query`.
    async fn plan<'q>(
        conn: &mut AsyncMysqlConnection,
        query: &'q RowQuery,
        budget: Budget,
    ) -> Result<Plan<'q>, AppError> {
        let walk = match query.sort {
            Some(sort) => Plan::Keys {
                column: sort.column,
                filter: query.filters.iter().find(|f| f.column == sort.column),
                by_row: false,
            },
            None => match query.filters.iter().find(|f| f.equals.is_some()) {
                Some(filter) => Plan::Keys {
                    column: filter.column,
                    filter: Some(filter),
                    by_row: true,
                },
                None => Plan::Rows,
            },
        };
        let driver = match &walk {
            Plan::Keys { filter, .. } => *filter,
            _ => None,
        };
        let others = query
            .filters
            .iter()
            .filter(|f| driver.is_none_or(|driver| driver.column != f.column));
        if others.count() == 0 {
            // One range scan, nothing to check but the driver's own texts.
            return Ok(walk);
        }
        let mut fewest: Option<(i64, &ColumnFilter)> = None;
        for filter in &query.filters {
            let cap = budget.small_set.saturating_add(1);
            let matches = Self::count_upto(conn, query.version, filter, cap).await?;
            if fewest.is_none_or(|(least, _)| matches < least) {
                fewest = Some((matches, filter));
            }
        }
        Ok(match fewest {
            Some((matches, filter)) if matches <= i64::from(budget.small_set) => {
                Plan::Few { filter }
            }
            _ => walk,
        })
    }

    /// The rows `filter` matches on its keys, counted up to `cap` (so it reads at most
    /// `cap` index entries).
    async fn count_upto(
        conn: &mut AsyncMysqlConnection,
        version: DatasetVersionId,
        filter: &ColumnFilter,
        cap: u32,
    ) -> QueryResult<i64> {
        let mut sql = Sql::default();
        sql.push(
            "SELECT COUNT(*) AS n FROM (SELECT 1 FROM dataset_row_keys k WHERE k.version_id = ",
        )
        .bind(Bind::UnsignedBigInt(version.0));
        sql.push(&format!(" AND k.column_no = {}", filter.column));
        key_conditions(&mut sql, filter, &KeyExprs::stored());
        sql.push(&format!(" LIMIT {cap}) c"));
        Ok(sql.query().get_result::<Count>(conn).await?.n)
    }

    /// Reads candidates of a walk in growing chunks until the page is full, the walk
    /// ends, or `budget.scan` candidates were checked.
    async fn walk(
        conn: &mut AsyncMysqlConnection,
        query: &RowQuery,
        plan: &Plan<'_>,
        budget: Budget,
    ) -> Result<RowsSlice, AppError> {
        let wanted = query.limit as usize + 1;
        let driver = match plan {
            Plan::Keys { filter, .. } => *filter,
            _ => None,
        };
        let checked: Vec<&ColumnFilter> = query
            .filters
            .iter()
            .filter(|f| driver.is_none_or(|driver| driver.column != f.column))
            .collect();
        // Without other filters nearly every candidate passes: one chunk of a page.
        let mut chunk = if checked.is_empty() {
            wanted
        } else {
            (wanted * 4).max(1_000)
        };
        let mut after = query.after.clone();
        let mut matched: Vec<Candidate> = Vec::with_capacity(wanted);
        let mut examined = 0;
        loop {
            chunk = chunk.min(budget.scan.saturating_sub(examined)).max(1);
            let sql = Self::walk_sql(query, plan, driver, &checked, after.as_ref(), chunk);
            let candidates: Vec<Candidate> = sql.query().load(conn).await?;
            let exhausted = candidates.len() < chunk;
            examined += candidates.len();
            for candidate in candidates {
                after = Some(candidate.position());
                if candidate.pass {
                    matched.push(candidate);
                    if matched.len() == wanted {
                        return Ok(Self::slice(query, matched, None));
                    }
                }
            }
            if exhausted {
                return Ok(Self::slice(query, matched, None));
            }
            if examined >= budget.scan {
                // The page is cut short, but the walk goes on from here.
                return Ok(Self::slice(query, matched, after));
            }
            chunk *= 4;
        }
    }

    /// The SQL of one chunk of a walk.
    fn walk_sql(
        query: &RowQuery,
        plan: &Plan<'_>,
        driver: Option<&ColumnFilter>,
        checked: &[&ColumnFilter],
        after: Option<&Position>,
        chunk: usize,
    ) -> Sql {
        let direction = query.sort.map_or(Direction::Ascending, |s| s.direction);
        // `pass` and the cells only for passing rows: a failed candidate costs no bytes.
        let pass = || {
            let mut sql = Sql::default();
            sql.push("COALESCE(1");
            row_conditions(&mut sql, driver, checked);
            sql.push(", 0)");
            sql
        };
        let mut sql = Sql::default();
        let (pass_once, pass_again) = (pass(), pass());
        match plan {
            Plan::Keys { column, by_row, .. } => {
                sql.push("SELECT d.row_no, d.has_value, d.number_key, d.text_key, ");
                append(&mut sql, pass_once);
                sql.push(" AS pass, IF(");
                append(&mut sql, pass_again);
                sql.push(", r.cells, NULL) AS cells FROM (SELECT k.row_no, k.has_value, k.number_key, k.text_key \
                           FROM dataset_row_keys k WHERE k.version_id = ")
                    .bind(Bind::UnsignedBigInt(query.version.0));
                sql.push(&format!(" AND k.column_no = {column}"));
                let keys = KeyExprs::stored();
                if let Some(driver) = driver {
                    key_conditions(&mut sql, driver, &keys);
                }
                if let Some(after) = after {
                    if *by_row {
                        sql.push(" AND k.row_no > ")
                            .bind(Bind::UnsignedInt(after.row_no));
                    } else {
                        after_key(&mut sql, &keys, direction, after);
                    }
                }
                order_by(&mut sql, &keys, direction, *by_row);
                sql.push(&format!(
                    " LIMIT {chunk}) d JOIN dataset_rows r ON r.version_id = "
                ))
                .bind(Bind::UnsignedBigInt(query.version.0));
                sql.push(" AND r.row_no = d.row_no");
                let outer = KeyExprs {
                    has_value: "d.has_value".into(),
                    number: "d.number_key".into(),
                    text: "d.text_key".into(),
                    row: "d.row_no".into(),
                };
                order_by(&mut sql, &outer, direction, *by_row);
            }
            _ => {
                sql.push(
                    "SELECT r.row_no, FALSE AS has_value, 0e0 AS number_key, '' AS text_key, ",
                );
                append(&mut sql, pass_once);
                sql.push(" AS pass, IF(");
                append(&mut sql, pass_again);
                sql.push(", r.cells, NULL) AS cells FROM dataset_rows r WHERE r.version_id = ")
                    .bind(Bind::UnsignedBigInt(query.version.0));
                if let Some(after) = after {
                    sql.push(" AND r.row_no > ")
                        .bind(Bind::UnsignedInt(after.row_no));
                }
                sql.push(&format!(" ORDER BY r.row_no LIMIT {chunk}"));
            }
        }
        sql
    }

    /// A page from the few rows `filter` matches, sorted in the database.
    async fn sorted_few(
        conn: &mut AsyncMysqlConnection,
        query: &RowQuery,
        filter: &ColumnFilter,
    ) -> Result<RowsSlice, AppError> {
        let direction = query.sort.map_or(Direction::Ascending, |s| s.direction);
        let keys = match query.sort {
            Some(sort) => KeyExprs::computed(sort.kind, &cell_of(sort.column), "k.row_no"),
            None => KeyExprs {
                has_value: "FALSE".into(),
                number: "0e0".into(),
                text: "''".into(),
                row: "k.row_no".into(),
            },
        };
        let checked: Vec<&ColumnFilter> = query
            .filters
            .iter()
            .filter(|f| f.column != filter.column)
            .collect();
        let mut sql = Sql::default();
        sql.push(
            "SELECT x.row_no, x.has_value, x.number_key, x.text_key, TRUE AS pass, x.cells FROM (",
        );
        // STRAIGHT_JOIN: through the filter's keys to the rows, never the other way.
        sql.push("SELECT STRAIGHT_JOIN k.row_no AS row_no, ");
        sql.push(&keys.has_value).push(" AS has_value, ");
        sql.push(&keys.number).push(" AS number_key, ");
        sql.push(&keys.text).push(" AS text_key, r.cells AS cells ");
        sql.push("FROM dataset_row_keys k JOIN dataset_rows r ON r.version_id = k.version_id AND r.row_no = k.row_no \
                  WHERE k.version_id = ")
            .bind(Bind::UnsignedBigInt(query.version.0));
        sql.push(&format!(" AND k.column_no = {}", filter.column));
        key_conditions(&mut sql, filter, &KeyExprs::stored());
        row_conditions(&mut sql, Some(filter), &checked);
        sql.push(") x WHERE TRUE");
        let outer = KeyExprs {
            has_value: "x.has_value".into(),
            number: "x.number_key".into(),
            text: "x.text_key".into(),
            row: "x.row_no".into(),
        };
        let by_row = query.sort.is_none();
        if let Some(after) = &query.after {
            if by_row {
                sql.push(" AND x.row_no > ")
                    .bind(Bind::UnsignedInt(after.row_no));
            } else {
                after_key(&mut sql, &outer, direction, after);
            }
        }
        order_by(&mut sql, &outer, direction, by_row);
        sql.push(&format!(" LIMIT {}", query.limit + 1));
        let rows: Vec<Candidate> = sql.query().load(conn).await?;
        Ok(Self::slice(query, rows, None))
    }

    /// The page of `matched` (up to `limit + 1` passing candidates): `limit` rows and the
    /// cursor after the last, or, when the walk was cut short, the cursor `cut_at`.
    fn slice(query: &RowQuery, mut matched: Vec<Candidate>, cut_at: Option<Position>) -> RowsSlice {
        let limit = query.limit as usize;
        let partial = cut_at.is_some();
        let next = if matched.len() > limit {
            matched.truncate(limit);
            matched.last().map(|last| query.cursor(&last.position()))
        } else {
            cut_at.map(|position| query.cursor(&position))
        };
        RowsSlice {
            rows: matched
                .into_iter()
                .map(|row| (row.row_no, row.cells.unwrap_or_default()))
                .collect(),
            next,
            partial,
        }
    }
}

/// A page of a dataset's rows, with what describes it.
#[derive(Debug, Clone)]
pub struct RowsRead {
    /// The dataset's identifier.
    pub identifier: String,
    /// The version read.
    pub version: VersionInfo,
    /// Its structure.
    pub structure: Structure,
    /// The page.
    pub slice: RowsSlice,
}

/// Reads the page `params` ask for of dataset `identifier`: the rows API and the dataset
/// page's table both read through this. `default_limit` applies when `params` name none.
pub async fn read_rows(
    conn: &mut AsyncMysqlConnection,
    identifier: &str,
    params: &RowParams,
    default_limit: u32,
) -> Result<RowsRead, RowsError> {
    let info = Datasets::by_identifier(conn, identifier)
        .await?
        .ok_or(RowsError::NotFound)?;
    let versions = Datasets::versions(conn, info.id).await?;
    let version = match params.version {
        Some(date) => versions.into_iter().find(|v| v.version == date),
        None => versions.into_iter().next(),
    }
    .ok_or(RowsError::NotFound)?;
    let structure = Datasets::structure(conn, info.id, version.structure)
        .await?
        .ok_or_else(|| {
            tracing::error!(version = %version.id, "a version without its structure");
            RowsError::Failed(AppError::Internal)
        })?;
    let query = RowQuery::new(params, &structure, version.id, default_limit)?;
    let slice = Datasets::rows_page(conn, &query).await?;
    Ok(RowsRead {
        identifier: info.identifier,
        version,
        structure,
        slice,
    })
}

/// Appends `part`'s text and binds to `sql`.
fn append(sql: &mut Sql, part: Sql) {
    sql.text.push_str(&part.text);
    sql.binds.extend(part.binds);
}

/// The cells of a stored row (a JSON array) as values of `structure`'s columns.
pub fn row_values(cells: &str, structure: &Structure) -> Result<Vec<Value>, String> {
    use serde_json::Value as Json;
    let cells: Vec<Json> = serde_json::from_str(cells).map_err(|error| error.to_string())?;
    if cells.len() != structure.columns.len() {
        return Err(format!(
            "{} cells for {} columns",
            cells.len(),
            structure.columns.len()
        ));
    }
    cells
        .into_iter()
        .zip(&structure.columns)
        .map(|(cell, column)| {
            let value = match (column.kind, cell) {
                (_, Json::Null) => Value::Null,
                (ColumnType::String, Json::String(text)) => Value::Text(text),
                (ColumnType::String, Json::Number(number)) => Value::Text(number.to_string()),
                (ColumnType::Integer, Json::Number(number)) => match number.as_i64() {
                    Some(whole) => Value::Integer(whole),
                    None => match number.as_f64() {
                        Some(float) if float.fract() == 0.0 && float.abs() < 9.0e15 => {
                            Value::Integer(float as i64)
                        }
                        _ => return Err(format!("{}: {number} is not whole", column.name)),
                    },
                },
                (ColumnType::Number, Json::Number(number)) => match number.as_f64() {
                    Some(float) => Value::Number(float),
                    None => return Err(format!("{}: {number}", column.name)),
                },
                (ColumnType::Date, Json::String(text)) => {
                    match chrono::NaiveDate::parse_from_str(&text, "%Y-%m-%d") {
                        Ok(date) => Value::Date(date),
                        Err(_) => return Err(format!("{}: {text} is not a date", column.name)),
                    }
                }
                (ColumnType::Boolean, Json::Bool(truth)) => Value::Boolean(truth),
                (ColumnType::Boolean, Json::Number(number)) => {
                    Value::Boolean(number.as_f64().is_some_and(|n| n != 0.0))
                }
                (kind, other) => {
                    return Err(format!("{}: {other} is not {kind:?}", column.name));
                }
            };
            Ok(value)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::opendata::format::Column;

    fn structure() -> Structure {
        Structure {
            version: NaiveDate::from_ymd_opt(2026, 11, 1).expect("a date"),
            columns: vec![
                Column::new("name", "Name", "Имя", ColumnType::String),
                Column::new("floors", "Floors", "Этажей", ColumnType::Integer),
                Column::new("lat", "Latitude", "Широта", ColumnType::Number),
                Column::new("opened", "Opened", "Открыт", ColumnType::Date),
                Column::new("free", "Free", "Бесплатно", ColumnType::Boolean),
            ],
            latitude: None,
            longitude: None,
        }
    }

    fn query(text: &str) -> Result<RowQuery, RowsError> {
        let params = RowParams::parse(text)?;
        RowQuery::new(&params, &structure(), DatasetVersionId(7), DEFAULT_LIMIT)
    }

    #[test]
    fn parameters_read_with_empty_values_as_absent() {
        let params = RowParams::parse(
            "version=20261101&limit=5&sort=-name&filter.name=%D0%AE%D0%B3&prefix.name=&min.floors=2&cursor=",
        )
        .expect("valid");
        assert_eq!(params.version, NaiveDate::from_ymd_opt(2026, 11, 1));
        assert_eq!(params.limit, Some(5));
        assert_eq!(params.sort, Some(("name".into(), Direction::Descending)));
        assert_eq!(params.cursor, None);
        assert_eq!(
            params.filters,
            vec![
                RawFilter {
                    kind: FilterKind::Equals,
                    column: "name".into(),
                    value: "Юг".into()
                },
                RawFilter {
                    kind: FilterKind::AtLeast,
                    column: "floors".into(),
                    value: "2".into()
                },
            ]
        );
        assert_eq!(
            RowParams::parse("version=2026-11-01").map(|p| p.version),
            Ok(NaiveDate::from_ymd_opt(2026, 11, 1))
        );
    }

    #[test]
    fn bad_parameters_are_refused_by_name() {
        for (text, error) in [
            ("colour=red", RowsError::UnknownParameter("colour".into())),
            ("filter.=1", RowsError::UnknownParameter("filter.".into())),
            (
                "sort=a&sort=b",
                RowsError::DuplicateParameter("sort".into()),
            ),
            ("limit=0", RowsError::BadLimit("0".into())),
            ("limit=1001", RowsError::BadLimit("1001".into())),
            ("limit=ten", RowsError::BadLimit("ten".into())),
            (
                "version=2026-13-01",
                RowsError::BadVersion("2026-13-01".into()),
            ),
            ("version=261101", RowsError::BadVersion("261101".into())),
        ] {
            assert_eq!(RowParams::parse(text), Err(error), "{text}");
        }
        assert_eq!(
            query("sort=colour").err().map(|e| e.code()),
            Some("unknown_column")
        );
        assert_eq!(
            query("filter.floors=two"),
            Err(RowsError::BadValue {
                parameter: "filter.floors".into(),
                value: "two".into(),
                kind: ColumnType::Integer
            })
        );
        assert_eq!(
            query("min.name=a").err().map(|e| e.code()),
            Some("unsupported_filter")
        );
        assert_eq!(
            query("prefix.floors=1").err().map(|e| e.code()),
            Some("unsupported_filter")
        );
        assert_eq!(
            query("min.free=1").err().map(|e| e.code()),
            Some("unsupported_filter")
        );
        assert_eq!(
            query("filter.opened=31.02.2026").err().map(|e| e.code()),
            Some("bad_value")
        );
    }

    #[test]
    fn values_read_as_their_column_keys() {
        let q = query(
            "filter.opened=01.11.2026&max.lat=45,5&filter.free=да&filter.name=Юг&min.floors=-3",
        )
        .expect("valid");
        let by_column = |column: usize| {
            q.filters
                .iter()
                .find(|f| f.column == column)
                .expect("a filter")
        };
        assert_eq!(by_column(0).equals, Some(Wanted::Text("Юг".into())));
        assert_eq!(by_column(1).min, Some(-3.0));
        assert_eq!(by_column(2).max, Some(45.5));
        assert_eq!(by_column(3).equals, Some(Wanted::Number(20261101.0)));
        assert_eq!(by_column(4).equals, Some(Wanted::Number(1.0)));
        assert_eq!(
            q.filters.iter().map(|f| f.column).collect::<Vec<_>>(),
            vec![0, 1, 2, 3, 4],
            "filters are kept by column, whatever the parameter order"
        );
    }

    #[test]
    fn cursors_round_trip_and_are_bound_to_their_query() {
        let sorted = query("sort=-name&filter.floors=3").expect("valid");
        let position = Position {
            has_value: true,
            number: 0.0,
            text: "Дом «Юг» & 1".into(),
            row_no: 42,
        };
        let token = sorted.cursor(&position);
        assert!(
            token
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        );
        let again = query(&format!("filter.floors=3&sort=-name&cursor={token}")).expect("valid");
        assert_eq!(again.after, Some(position.clone()));
        // The limit is not part of the query's identity; filters, sort and version are.
        assert!(
            query(&format!(
                "sort=-name&filter.floors=3&limit=7&cursor={token}"
            ))
            .is_ok()
        );
        for other in [
            "sort=-name&filter.floors=4",
            "sort=name&filter.floors=3",
            "sort=-name",
            "sort=-name&filter.floors=3&filter.name=x",
        ] {
            assert_eq!(
                query(&format!("{other}&cursor={token}")),
                Err(RowsError::CursorMismatch),
                "{other}"
            );
        }
        let params =
            RowParams::parse(&format!("sort=-name&filter.floors=3&cursor={token}")).expect("valid");
        assert_eq!(
            RowQuery::new(&params, &structure(), DatasetVersionId(8), 100),
            Err(RowsError::CursorMismatch),
            "another version"
        );

        let by_row = query("").expect("valid");
        let token = by_row.cursor(&Position {
            has_value: false,
            number: 0.0,
            text: String::new(),
            row_no: 1_000_000,
        });
        assert_eq!(
            query(&format!("cursor={token}")).map(|q| q.after.map(|p| p.row_no)),
            Ok(Some(1_000_000))
        );
    }

    #[test]
    fn damaged_cursors_are_refused() {
        let sorted = query("sort=name").expect("valid");
        let good = URL_SAFE_NO_PAD
            .decode(sorted.cursor(&Position {
                has_value: true,
                number: 0.0,
                text: "a".into(),
                row_no: 1,
            }))
            .expect("base64");
        let mut wrong_format = good.clone();
        wrong_format[0] = 2;
        let mut bad_flag = good.clone();
        bad_flag[13] = 7;
        let mut bad_utf8 = good.clone();
        bad_utf8.push(0xff);
        let mut nan = good.clone();
        nan[14..22].copy_from_slice(&f64::NAN.to_bits().to_be_bytes());
        for bytes in [
            wrong_format,
            bad_flag,
            bad_utf8,
            nan,
            good[..20].to_vec(),
            vec![1],
        ] {
            let token = URL_SAFE_NO_PAD.encode(bytes);
            assert_eq!(
                query(&format!("sort=name&cursor={token}")).err(),
                Some(RowsError::BadCursor),
                "{token}"
            );
        }
        for token in ["not base64!", "%%%", &"A".repeat(600)] {
            let params = RowParams {
                sort: Some(("name".into(), Direction::Ascending)),
                cursor: Some(token.to_string()),
                ..RowParams::default()
            };
            assert_eq!(
                RowQuery::new(&params, &structure(), DatasetVersionId(7), 100).err(),
                Some(RowsError::BadCursor)
            );
        }
    }

    #[test]
    fn next_links_keep_the_query_and_name_the_version() {
        let params =
            RowParams::parse("sort=-name&filter.name=a%26b&limit=5&cursor=zz").expect("valid");
        let version = NaiveDate::from_ymd_opt(2026, 11, 1).expect("a date");
        assert_eq!(
            params.to_query(version, Some("abc")),
            "version=20261101&limit=5&sort=-name&filter.name=a%26b&cursor=abc"
        );
        assert_eq!(
            RowParams::parse(&params.to_query(version, Some("abc"))).map(|p| (p.filters, p.cursor)),
            Ok((params.filters.clone(), Some("abc".into())))
        );
    }

    #[test]
    fn texts_key_on_their_first_characters_and_like_patterns_are_escaped() {
        assert_eq!(text_key(&"ж".repeat(70)).chars().count(), TEXT_KEY_CHARS);
        assert_eq!(starts_with_pattern("50%_a\\b"), "50\\%\\_a\\\\b%");
        assert_eq!(
            date_key(NaiveDate::from_ymd_opt(2026, 1, 9).expect("a date")),
            20260109
        );
    }

    #[test]
    fn refusals_become_field_errors_for_the_pages() {
        let error = query("filter.floors=two").expect_err("refused");
        assert_eq!(error.status(), 400);
        assert_eq!(
            error.into_app_error(),
            AppError::invalid("filter.floors", ErrorCode::Malformed)
        );
        assert_eq!(RowsError::NotFound.into_app_error(), AppError::NotFound);
        assert_eq!(RowsError::NotFound.status(), 404);
    }
}
