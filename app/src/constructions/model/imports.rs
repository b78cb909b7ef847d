//! Registry imports as the pages see them: the phase of an import, its status, and the
//! problems found in a workbook's rows.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use super::*;

/// Which registry an import writes: both read workbooks through the same upload, column
/// mapping, dry run and one-transaction commit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Register {
    /// The registry of permitted constructions.
    #[default]
    Permitted,
    /// The registry of illegal constructions.
    Illegal,
}

impl Register {
    /// Both registries.
    pub const ALL: [Register; 2] = [Self::Permitted, Self::Illegal];

    /// The value stored in `registry_imports.register` (and used in URLs).
    pub fn as_db(self) -> &'static str {
        match self {
            Self::Permitted => "permitted",
            Self::Illegal => "illegal",
        }
    }

    /// The registry stored as `value`.
    pub fn from_db(value: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|register| register.as_db() == value)
    }

    /// The fields a workbook of this registry may hold, in the order of its table.
    pub fn fields(self) -> &'static [RegistryField] {
        use RegistryField as F;
        match self {
            Self::Permitted => &RegistryField::ALL[..17],
            Self::Illegal => &[
                F::RegistryNumber,
                F::ObjectName,
                F::Address,
                F::Latitude,
                F::Longitude,
                F::Municipality,
                F::CadastralNumber,
                F::Owner,
                F::Floors,
                F::TotalArea,
                F::FoundBy,
                F::IdentifiedOn,
                F::Status,
            ],
        }
    }

    /// Whether every imported row must have `field`.
    pub fn is_required(self, field: RegistryField) -> bool {
        use RegistryField as F;
        self.fields().contains(&field)
            && match self {
                Self::Permitted => !matches!(
                    field,
                    F::Floors | F::TotalArea | F::PlannedCompletion | F::Status | F::Footprint
                ),
                Self::Illegal => matches!(
                    field,
                    F::RegistryNumber
                        | F::ObjectName
                        | F::Address
                        | F::Latitude
                        | F::Longitude
                        | F::Municipality
                        | F::IdentifiedOn
                ),
            }
    }

    /// The field of this registry that a header recognised as `field` names: a
    /// developer's column is the owner's in the registry of illegal constructions (and
    /// the other way round); a field the registry lacks names nothing.
    pub fn adopt(self, field: RegistryField) -> Option<RegistryField> {
        use RegistryField as F;
        let field = match (self, field) {
            (Self::Illegal, F::DeveloperName) => F::Owner,
            (Self::Permitted, F::Owner) => F::DeveloperName,
            _ => field,
        };
        self.fields().contains(&field).then_some(field)
    }
}

/// Where an import stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportPhase {
    /// The file is read; the mapping waits for the official.
    Uploaded,
    /// The dry run is running.
    Checking,
    /// The dry run finished; the official may commit if no row is bad.
    Checked,
    /// The commit is running.
    Committing,
    /// Written to the registry.
    Committed,
    /// The check or the commit failed; nothing was written.
    Failed,
}

impl ImportPhase {
    /// Every phase.
    pub const ALL: [ImportPhase; 6] = [
        Self::Uploaded,
        Self::Checking,
        Self::Checked,
        Self::Committing,
        Self::Committed,
        Self::Failed,
    ];

    /// The value stored in `registry_imports.phase`.
    pub fn as_db(self) -> &'static str {
        match self {
            Self::Uploaded => "uploaded",
            Self::Checking => "checking",
            Self::Checked => "checked",
            Self::Committing => "committing",
            Self::Committed => "committed",
            Self::Failed => "failed",
        }
    }

    /// The phase stored as `value`.
    pub fn from_db(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|phase| phase.as_db() == value)
    }

    /// Whether background work is running (the page polls).
    pub fn is_running(self) -> bool {
        matches!(self, Self::Checking | Self::Committing)
    }
}

/// The failure code of an import whose server stopped while a phase ran.
pub const IMPORT_INTERRUPTED: &str = "interrupted";

/// An import as its page and the public log show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportStatus {
    /// Its id.
    pub id: ImportId,
    /// The registry it writes.
    pub register: Register,
    /// The uploaded file's name.
    pub file_name: String,
    /// Who imported.
    pub user_name: String,
    /// Where it stands.
    pub phase: ImportPhase,
    /// The sheet's headers.
    pub headers: Vec<String>,
    /// The mapping, one entry per column.
    pub mapping: Vec<Option<RegistryField>>,
    /// Data rows in the sheet.
    pub total_rows: u32,
    /// Rows processed by the running phase.
    pub processed_rows: u32,
    /// Entries added (or to add).
    pub added: u32,
    /// Entries changed (or to change).
    pub updated: u32,
    /// Rows equal to the registry.
    pub unchanged: u32,
    /// Bad rows.
    pub error_count: u32,
    /// The first bad rows.
    pub errors: Vec<RowError>,
    /// Why it failed, when it did (a stable code).
    pub failure: Option<String>,
    /// Upload time.
    pub created_at: NaiveDateTime,
    /// Commit time.
    pub committed_at: Option<NaiveDateTime>,
}

/// What is wrong with one cell (or one row) of the sheet. Serialised with a `code` tag;
/// the UI translates the codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum RowProblem {
    /// A required cell is empty (or its column is not mapped at all).
    Missing,
    /// The INN is malformed or its check digits do not match.
    BadInn {
        /// Which of the INN checks failed.
        reason: InnError,
    },
    /// Not a date (or a date that does not exist, such as 31.02.2024).
    BadDate,
    /// Not a number.
    BadNumber,
    /// A number or date outside the plausible range (floors 1-200, a latitude of 95°...).
    OutOfRange,
    /// No municipality of the region has this name.
    UnknownMunicipality,
    /// The municipality's registry (or the existing entry's) is kept by another department.
    NotYourMunicipality,
    /// The status text is not one of the known statuses.
    UnknownStatus,
    /// The coordinates lie outside the region.
    OutsideRegion,
    /// An earlier row of the same file has the same registry number.
    DuplicateInFile {
        /// The Excel row number of the first row with this number.
        first_row: u32,
    },
    /// The text names none of the ways an illegal construction is found.
    UnknownFoundBy,
    /// A date after today where only past dates make sense (the day of identification).
    FutureDate,
    /// The cell holds a formula: we import values only (a cached result may be stale).
    Formula,
    /// The text is longer than the field allows.
    TooLong {
        /// The limit in characters.
        max: u32,
    },
    /// Not a usable outline: neither GeoJSON, WKT nor "lat, lon" pairs, or too few or
    /// too many vertices.
    BadFootprint,
}

/// One problem of one row, as the dry run lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    /// The row number as Excel shows it (1-based).
    pub row: u32,
    /// The header text of the column, when the problem belongs to a mapped column.
    pub column: Option<String>,
    /// The registry field concerned.
    pub field: Option<RegistryField>,
    /// What is wrong.
    pub problem: RowProblem,
}

/// Who changes the registry: an official by hand, or an import they run.
#[derive(Debug, Clone, Copy)]
pub struct Editor {
    /// The official.
    pub user: UserId,
    /// The import, when the change comes from one.
    pub import: Option<ImportId>,
}

impl Editor {
    /// An official's change by hand.
    pub fn by(user: UserId) -> Self {
        Self { user, import: None }
    }
}

/// What an import would do (dry run) or did (commit).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportCounts {
    /// New entries.
    pub added: u32,
    /// Changed entries.
    pub updated: u32,
    /// Rows equal to their entry.
    pub unchanged: u32,
}

/// A registry number as the unique key compares it (the collation ignores case and
/// trailing spaces), so an import finds the entry the database would.
pub fn number_key(number: &str) -> String {
    number.trim().to_lowercase()
}
