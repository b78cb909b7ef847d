//! Uploaded files: reading a multipart file field within a size limit, and the reasons a
//! file cannot be read as a workbook or a data table. The reasons are generic codes that
//! cross the wire inside [`ErrorCode`](crate::error::ErrorCode); each feature decides what
//! it reads from the file.

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

#[cfg(feature = "ssr")]
pub use server::read_file_field;

#[cfg(feature = "ssr")]
mod server {
    use axum::extract::Multipart;

    use crate::error::{AppError, ErrorCode};

    /// Reads the multipart file field `field` (its file name, cut to 255 characters, or
    /// `default_name`, and its bytes), chunk by chunk, so a file over `max_bytes` is refused
    /// as soon as it passes the limit instead of after it has all arrived.
    pub async fn read_file_field(
        multipart: &mut Multipart,
        field_name: &str,
        max_bytes: usize,
        default_name: &str,
    ) -> Result<(String, Vec<u8>), AppError> {
        let too_large = || {
            AppError::invalid(
                field_name,
                ErrorCode::FileTooLarge {
                    max_mb: (max_bytes / 1024 / 1024) as u32,
                },
            )
        };
        loop {
            match multipart.next_field().await {
                Ok(Some(mut field)) if field.name() == Some(field_name) => {
                    let name = field
                        .file_name()
                        .map(|name| name.chars().take(255).collect::<String>())
                        .unwrap_or_else(|| default_name.to_string());
                    let mut bytes = Vec::new();
                    loop {
                        match field.chunk().await {
                            Ok(Some(chunk)) => {
                                if bytes.len() + chunk.len() > max_bytes {
                                    return Err(too_large());
                                }
                                bytes.extend_from_slice(&chunk);
                            }
                            Ok(None) => return Ok((name, bytes)),
                            // The body limit layer cuts bodies over the server's maximum.
                            Err(_) => return Err(too_large()),
                        }
                    }
                }
                Ok(Some(_)) => continue,
                Ok(None) => return Err(AppError::invalid(field_name, ErrorCode::Required)),
                Err(_) => return Err(AppError::BadRequest),
            }
        }
    }
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
