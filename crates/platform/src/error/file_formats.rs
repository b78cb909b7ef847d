//! Why an uploaded file cannot be read: generic codes of the file formats the platform
//! reads (workbooks, data tables), which cross the wire inside [`ErrorCode`](super::ErrorCode).
//! Each feature decides what it reads from the file; these say only why reading failed.

use serde::{Deserialize, Serialize};

/// Why a whole file cannot be imported. Shown to the user (the UI translates the code).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum WorkbookError {
    /// The upload is larger than the limit.
    #[error("the file is larger than {max_mb} MB")]
    TooLarge {
        /// The limit in megabytes.
        max_mb: u32,
    },
    /// Not an .xlsx or .xls workbook: corrupt, truncated, or another kind of file.
    #[error("the file is not an Excel workbook or is damaged")]
    NotAWorkbook,
    /// The workbook is protected by a password.
    #[error("the workbook is password-protected")]
    Encrypted,
    /// The workbook would unpack to more than the limit (a "zip bomb", or absurdly large).
    #[error("the workbook unpacks to too much data")]
    TooBigUncompressed,
    /// No header row: the first sheet is empty.
    #[error("the first sheet holds no data")]
    NoData,
    /// More data rows than one import takes.
    #[error("the sheet has more than {max} data rows")]
    TooManyRows {
        /// The limit.
        max: u32,
    },
    /// The workbook has no worksheet (only chart sheets, or none at all).
    #[error("the workbook has no worksheet")]
    NoSheet,
    /// An .xls sheet spans (or claims to span) more cells than one import takes.
    #[error("the sheet spans too many cells")]
    GridTooLarge,
}

/// Why an uploaded data file cannot be read as a table. Row and column numbers count
/// from 1, as a spreadsheet shows them (the header is row 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum DataFileError {
    /// A CSV file that is not UTF-8 (Excel's "CSV (разделители — запятые)" writes
    /// Windows-1251): the first line with a foreign byte.
    NotUtf8 {
        /// The line.
        line: u32,
    },
    /// A CSV row with another number of cells than the header.
    Ragged {
        /// The line.
        line: u32,
        /// Cells in the header.
        expected: u32,
        /// Cells in this row.
        found: u32,
    },
    /// A quote that never closes, or another CSV syntax error.
    BadCsv {
        /// The line.
        line: u32,
    },
    /// No header row.
    NoHeader,
    /// A header but no data rows.
    NoRows,
    /// More data rows than one upload takes.
    TooManyRows {
        /// The limit.
        max: u32,
    },
    /// More columns than one dataset takes.
    TooManyColumns {
        /// The limit.
        max: u32,
    },
    /// A workbook cell holding a formula: open data publishes values, so the sheet must
    /// be saved with values instead.
    Formula {
        /// The row.
        row: u32,
        /// The column.
        column: u32,
    },
    /// The workbook itself cannot be read.
    Workbook {
        /// Why.
        reason: WorkbookError,
    },
}

/// Why a document cannot be taken: a Word file that cannot be read, or a text that cannot
/// be split into numbered articles. Lines count from 1 in the text as read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum DocumentError {
    /// The upload is larger than the limit.
    FileTooLarge {
        /// The limit in megabytes.
        max_mb: u32,
    },
    /// Not a Word document (.docx): another kind of file, or a damaged one.
    NotADocx,
    /// A Word 97-2003 document (.doc): it must be saved as .docx.
    OldWordFormat,
    /// The document is protected by a password.
    Encrypted,
    /// The package would unpack to more than the limit.
    TooBigUncompressed,
    /// No text at all.
    NoText,
    /// More text than one document takes.
    TextTooLong {
        /// The limit in kilobytes.
        max_kb: u32,
    },
    /// More articles than one document takes.
    TooManyArticles {
        /// The limit.
        max: u32,
    },
    /// An article number with no text after it.
    EmptyArticle {
        /// The line of the number.
        line: u32,
    },
    /// An article number used a second time.
    RepeatedNumber {
        /// The line of the second use.
        line: u32,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workbook_errors_serialise_with_a_code_tag() {
        let error = WorkbookError::TooManyRows { max: 100_000 };
        let value = serde_json::to_value(error).expect("serialisable");
        assert_eq!(
            value,
            serde_json::json!({"code": "too_many_rows", "max": 100_000})
        );
        assert_eq!(
            serde_json::from_value::<WorkbookError>(value).ok(),
            Some(error)
        );
        assert_eq!(
            serde_json::to_value(WorkbookError::NotAWorkbook).ok(),
            Some(serde_json::json!({"code": "not_a_workbook"}))
        );
    }
}
