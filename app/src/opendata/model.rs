//! Open-data types shared by the server and the pages.

use chrono::{NaiveDate, NaiveDateTime};
use platform::id_type;
use serde::{Deserialize, Serialize};

/// The licence every dataset is published under (the v3.0 terms of use allow free reuse
/// with attribution).
pub const LICENSE: &str = "http://creativecommons.org/licenses/by/4.0/";

/// The title of [`LICENSE`], the version the portal publishes under.
pub const LICENSE_TITLE: &str = "Creative Commons Attribution 4.0";

/// The catalogue's title (DCAT, CKAN's `status_show`).
pub const CATALOG_TITLE: &str = "Открытые данные Краснодарского края";

/// The catalogue's description (DCAT, CKAN's `status_show`).
pub const CATALOG_DESCRIPTION: &str = "Каталог открытых данных портала «Открытый регион»: реестры и статистика органов власти Краснодарского края.";

id_type!(
    /// A dataset.
    DatasetId
);
id_type!(
    /// A published version of a dataset.
    DatasetVersionId
);

/// Where a dataset's data comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DatasetSource {
    /// Published by the portal from its own tables.
    Live,
    /// Files a moderator uploads.
    Uploaded,
}

impl DatasetSource {
    /// The value stored in `datasets.source`.
    pub fn as_db(self) -> &'static str {
        match self {
            Self::Live => "live",
            Self::Uploaded => "uploaded",
        }
    }

    /// The source stored as `value`.
    pub fn from_db(value: &str) -> Option<Self> {
        match value {
            "live" => Some(Self::Live),
            "uploaded" => Some(Self::Uploaded),
            _ => None,
        }
    }
}

/// A dataset's passport as the portal keeps it (both languages; the v3.0 files are in
/// Russian).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DatasetInfo {
    /// Its id.
    pub id: DatasetId,
    /// `<INN>-<code>`.
    pub identifier: String,
    /// Live or uploaded.
    pub source: DatasetSource,
    /// Title, Russian and English.
    pub title: (String, String),
    /// Description, Russian and English.
    pub description: (String, String),
    /// The owning organisation.
    pub creator: String,
    /// Keywords.
    pub subject: Vec<String>,
    /// Responsible person.
    pub publisher_name: String,
    /// Their phone.
    pub publisher_phone: String,
    /// Their e-mail.
    pub publisher_mbox: String,
    /// When it was defined.
    pub created_at: NaiveDateTime,
    /// When its passport last changed.
    pub updated_at: NaiveDateTime,
}

/// One published version, as the passport and the version list show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionInfo {
    /// Its id.
    pub id: DatasetVersionId,
    /// The version date.
    pub version: NaiveDate,
    /// The structure version its rows follow.
    pub structure: NaiveDate,
    /// What it changed.
    pub provenance: String,
    /// Current until.
    pub valid_until: NaiveDate,
    /// Rows.
    pub row_count: u32,
    /// When it was published.
    pub published_at: NaiveDateTime,
}

/// What publishing a dataset did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "outcome")]
pub enum PublishOutcome {
    /// A new version.
    Published {
        /// Its date.
        version: NaiveDate,
        /// Its rows.
        rows: u32,
        /// Whether it started a new structure version.
        new_structure: bool,
    },
    /// The rows equal the latest version's: nothing published.
    Unchanged,
    /// Today's version exists already (file names carry the day, so one per day).
    AlreadyToday,
}

/// A dataset in the catalogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DatasetCard {
    /// Its passport.
    pub info: DatasetInfo,
    /// Its newest version, when it has one.
    pub latest: Option<VersionInfo>,
}

/// The catalogue as a page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Catalogue {
    /// The datasets the search and filters match.
    pub datasets: Vec<DatasetCard>,
    /// Datasets in the whole catalogue.
    pub total: usize,
    /// Every keyword in use, for the subject filter.
    pub subjects: Vec<String>,
    /// Every owning organisation, for the creator filter.
    pub creators: Vec<String>,
}

/// One column of a dataset, as the page lists it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnInfo {
    /// Machine name.
    pub name: String,
    /// English description.
    pub english: String,
    /// Russian description.
    pub russian: String,
    /// The v3.0 type word (`string`, `integer`, `float`, `date`, `boolean`).
    pub kind: String,
}

/// A dataset's page: passport, versions, and the columns of the newest version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DatasetPage {
    /// The passport.
    pub info: DatasetInfo,
    /// Versions, newest first.
    pub versions: Vec<VersionInfo>,
    /// Structure versions, newest first.
    pub structures: Vec<NaiveDate>,
    /// Columns of the newest version.
    pub columns: Vec<ColumnInfo>,
    /// Whether the rows have coordinates (a map view).
    pub has_coordinates: bool,
}

/// Rows of a version, as text, one page of the dataset page's table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RowsPage {
    /// The version shown (`None` before the first publication).
    pub version: Option<NaiveDate>,
    /// (row number, cells as shown).
    pub rows: Vec<(u32, Vec<String>)>,
    /// The cursor of the next page, when more rows follow.
    pub next: Option<String>,
    /// Whether the page stopped early at the filters' scan limit (it may hold fewer rows,
    /// even none, although more follow).
    pub partial: bool,
}

/// The query parameters of a version's rows: the rows API's
/// (`/api/opendata/{identifier}/rows.{json,xml,csv}`) and the dataset page's table's.
pub mod row_params {
    /// The version, `YYYYMMDD`; the newest when absent.
    pub const VERSION: &str = "version";
    /// Rows per page.
    pub const LIMIT: &str = "limit";
    /// The previous page's `next` cursor.
    pub const CURSOR: &str = "cursor";
    /// `<column>` ascending or `-<column>` descending; the row order when absent.
    pub const SORT: &str = "sort";
    /// Prefix of an equality filter: `filter.<column>=<value>`.
    pub const EQUALS: &str = "filter.";
    /// Prefix of a starts-with filter on a text column: `prefix.<column>=<text>`.
    pub const STARTS_WITH: &str = "prefix.";
    /// Prefix of a lower bound (inclusive) on a number or date column.
    pub const MIN: &str = "min.";
    /// Prefix of an upper bound (inclusive) on a number or date column.
    pub const MAX: &str = "max.";
    /// Every parameter name and prefix the table's links carry over from page to page.
    pub const CARRIED: [&str; 6] = [VERSION, SORT, EQUALS, STARTS_WITH, MIN, MAX];
}

/// A dataset's passport as a moderator fills it in (Russian and English texts).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PassportForm {
    /// The code after the INN in the identifier: fixed once the dataset exists.
    pub code: String,
    /// Title in Russian.
    pub title_ru: String,
    /// Title in English.
    pub title_en: String,
    /// Description in Russian.
    pub description_ru: String,
    /// Description in English.
    pub description_en: String,
    /// The owning organisation.
    pub creator: String,
    /// Keywords, comma separated.
    pub subject: String,
    /// Responsible person.
    pub publisher_name: String,
    /// Their phone.
    pub publisher_phone: String,
    /// Their e-mail.
    pub publisher_mbox: String,
    /// Days a version stays current.
    pub valid_days: u32,
}

id_type!(
    /// A file uploaded for a dataset.
    DatasetUploadId
);

/// An uploaded file read and understood: what the moderator confirms before publishing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UploadPreview {
    /// The upload.
    pub id: DatasetUploadId,
    /// The dataset it is for.
    pub identifier: String,
    /// The file's name as uploaded.
    pub file_name: String,
    /// Data rows.
    pub row_count: u32,
    /// The proposed columns (inferred from the file, or the dataset's current structure
    /// when the file has the same headers).
    pub columns: Vec<ColumnInfo>,
    /// The latitude and longitude columns, when recognised.
    pub coordinates: Option<(u16, u16)>,
    /// The file's header row, as written.
    pub headers: Vec<String>,
    /// The first rows, as written.
    pub sample: Vec<Vec<String>>,
    /// Whether it was published already (then it cannot be published again).
    pub published: bool,
}

/// A cell that does not fit the type its column was given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CellProblem {
    /// The row as the spreadsheet numbers it (the header is row 1).
    pub row: u32,
    /// The column's machine name.
    pub column: String,
    /// The cell as written.
    pub value: String,
    /// The type the column was given (`integer`, `number`, `date`, `boolean`).
    pub expected: String,
}

/// What publishing an upload did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "result")]
pub enum UploadOutcome {
    /// Published as a new version (or nothing changed, or today's version exists): the
    /// same outcomes as a live dataset's publication.
    Publication {
        /// What happened.
        outcome: PublishOutcome,
    },
    /// Cells that do not fit their columns' types; nothing was published.
    CellProblems {
        /// The first problems found.
        problems: Vec<CellProblem>,
        /// How many cells in all do not fit.
        total: u32,
    },
}

id_type!(
    /// A citizen's request for a dataset.
    DatasetRequestId
);

/// A request for a new dataset, with the moderators' answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatasetRequest {
    /// Its id.
    pub id: DatasetRequestId,
    /// What data is wanted.
    pub title: String,
    /// Why and in what form.
    pub details: String,
    /// Who asked (their display name).
    pub author: String,
    /// When.
    pub created_at: NaiveDateTime,
    /// The moderators' answer, when given.
    pub answer: Option<String>,
    /// When it was answered.
    pub answered_at: Option<NaiveDateTime>,
    /// The dataset that answers it, by identifier and Russian title.
    pub dataset: Option<(String, String)>,
}
