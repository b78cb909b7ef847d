//! Construction control's wire types: the registry entry here, citizens' reports in
//! `reports`, registry imports in `imports`, the registry of illegal constructions in
//! `illegal` (all re-exported, so callers name one module).

mod illegal;
mod imports;
mod reports;

pub use illegal::*;
pub use imports::*;
pub use reports::*;

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

pub use super::footprint::Footprint;
use super::inn::{InnError, check_inn, normalise_inn};
use crate::auth::model::UserId;
use crate::geography::model::MunicipalityId;
use crate::organisation::model::DepartmentId;
use civic::subject::{Subject, SubjectKind};
use platform::error::{ErrorCode, FieldError};
use platform::geo::LatLon;
use platform::geo::parse_point;
use platform::id_type;
use platform::query::query_string;

id_type!(
    /// An entry of the construction registry.
    ConstructionId
);
id_type!(
    /// A citizen's report about a construction.
    ConstructionReportId
);
id_type!(
    /// One import of a registry workbook.
    ImportId
);

/// Construction reports as subjects of notifications.
pub const CONSTRUCTION_REPORT: SubjectKind = SubjectKind::new("construction_report");

impl ConstructionReportId {
    /// This report as a civic subject.
    pub fn subject(self) -> Subject {
        Subject::new(CONSTRUCTION_REPORT, self.0)
    }
}

/// Where a user may change the registry: what the routing rules of the supervision theme
/// give their departments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegistryScope {
    /// Every municipality: administrators, and the departments of the regional rule.
    Region,
    /// The municipalities whose rules name one of the user's departments; none for anyone
    /// else.
    Municipalities(Vec<MunicipalityId>),
}

impl RegistryScope {
    /// Whether entries of `municipality` may be changed.
    pub fn covers(&self, municipality: MunicipalityId) -> bool {
        match self {
            Self::Region => true,
            Self::Municipalities(list) => list.contains(&municipality),
        }
    }

    /// Whether any entry may be changed at all (shows the officials' links and pages).
    pub fn edits_anything(&self) -> bool {
        match self {
            Self::Region => true,
            Self::Municipalities(list) => !list.is_empty(),
        }
    }
}

/// Where a permitted construction stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConstructionStatus {
    /// The permit is issued; work has not started.
    PermitIssued,
    /// Building.
    UnderConstruction,
    /// Finished and put into operation.
    Commissioned,
    /// Work stopped by the owner or by an order.
    Suspended,
    /// The permit was revoked.
    Revoked,
}

impl ConstructionStatus {
    /// Every status, in life order.
    pub const ALL: [ConstructionStatus; 5] = [
        Self::PermitIssued,
        Self::UnderConstruction,
        Self::Commissioned,
        Self::Suspended,
        Self::Revoked,
    ];

    /// The value stored in `constructions.status` (and used in URLs and exports).
    pub fn as_db(self) -> &'static str {
        match self {
            Self::PermitIssued => "permit_issued",
            Self::UnderConstruction => "under_construction",
            Self::Commissioned => "commissioned",
            Self::Suspended => "suspended",
            Self::Revoked => "revoked",
        }
    }

    /// The status stored as `value`.
    pub fn from_db(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.as_db() == value)
    }
}

/// The data of one registry entry, validated: what the edit form and the Excel import
/// both produce, and what the database stores.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConstructionFields {
    /// The registry number, unique; the key the import matches on.
    pub registry_number: String,
    /// What is built ("Жилой дом", "Торговый центр", ...).
    pub object_name: String,
    /// Address text.
    pub address: String,
    /// Where it is.
    pub point: LatLon,
    /// The municipality it is in.
    pub municipality_id: MunicipalityId,
    /// The developer's name.
    pub developer_name: String,
    /// The developer's INN (10 digits for organisations, 12 for individuals), checksum valid.
    pub developer_inn: String,
    /// The building permit's number.
    pub permit_number: String,
    /// The date the permit was issued.
    pub permit_date: NaiveDate,
    /// Who issued the permit.
    pub permit_issuer: String,
    /// Permitted use ("многоквартирный жилой дом", ...).
    pub permitted_use: String,
    /// Floors above ground, when known.
    pub floors: Option<u16>,
    /// Total area in square metres, when known.
    pub total_area_m2: Option<f64>,
    /// Planned completion, when known.
    pub planned_completion: Option<NaiveDate>,
    /// Where the construction stands.
    pub status: ConstructionStatus,
    /// The approved footprint, when known.
    pub footprint: Option<Footprint>,
}

/// A field of the registry, as the import's column mapping names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegistryField {
    RegistryNumber,
    ObjectName,
    Address,
    // Serialised as their keys, so the wire and the saved mappings name fields alike.
    #[serde(rename = "lat")]
    Latitude,
    #[serde(rename = "lon")]
    Longitude,
    Municipality,
    DeveloperName,
    DeveloperInn,
    PermitNumber,
    PermitDate,
    PermitIssuer,
    PermittedUse,
    Floors,
    TotalArea,
    PlannedCompletion,
    Status,
    Footprint,
    CadastralNumber,
    Owner,
    FoundBy,
    IdentifiedOn,
}

impl RegistryField {
    /// Every field of both registries: those of the registry of permits in the order of
    /// its table, then those only the registry of illegal constructions has.
    pub const ALL: [RegistryField; 21] = [
        Self::RegistryNumber,
        Self::ObjectName,
        Self::Address,
        Self::Latitude,
        Self::Longitude,
        Self::Municipality,
        Self::DeveloperName,
        Self::DeveloperInn,
        Self::PermitNumber,
        Self::PermitDate,
        Self::PermitIssuer,
        Self::PermittedUse,
        Self::Floors,
        Self::TotalArea,
        Self::PlannedCompletion,
        Self::Status,
        Self::Footprint,
        Self::CadastralNumber,
        Self::Owner,
        Self::FoundBy,
        Self::IdentifiedOn,
    ];

    /// The stable key (form values, saved mappings, change lists).
    pub fn key(self) -> &'static str {
        match self {
            Self::RegistryNumber => "registry_number",
            Self::ObjectName => "object_name",
            Self::Address => "address",
            Self::Latitude => "lat",
            Self::Longitude => "lon",
            Self::Municipality => "municipality",
            Self::DeveloperName => "developer_name",
            Self::DeveloperInn => "developer_inn",
            Self::PermitNumber => "permit_number",
            Self::PermitDate => "permit_date",
            Self::PermitIssuer => "permit_issuer",
            Self::PermittedUse => "permitted_use",
            Self::Floors => "floors",
            Self::TotalArea => "total_area",
            Self::PlannedCompletion => "planned_completion",
            Self::Status => "status",
            Self::Footprint => "footprint",
            Self::CadastralNumber => "cadastral_number",
            Self::Owner => "owner",
            Self::FoundBy => "found_by",
            Self::IdentifiedOn => "identified_on",
        }
    }

    /// The field whose key is `key`.
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|field| field.key() == key)
    }
}

/// Longest registry number.
pub const REGISTRY_NUMBER_MAX: usize = 64;
/// Longest name, address or issuer.
pub const NAME_MAX: usize = 500;
/// Longest permit number.
pub const PERMIT_NUMBER_MAX: usize = 64;
/// Longest permitted use.
pub const USE_MAX: usize = 255;
/// Most floors accepted.
pub const FLOORS_MAX: u16 = 200;
/// Largest total area accepted, in square metres.
pub const AREA_MAX: f64 = 10_000_000.0;
/// Longest report description, findings or measures text.
pub const REPORT_TEXT_MAX: usize = 4000;

fn check_length(field: &str, value: &str, max: usize, errors: &mut Vec<FieldError>) {
    let length = value.chars().count();
    if length == 0 {
        errors.push(FieldError::new(field, ErrorCode::Required));
    } else if length > max {
        errors.push(FieldError::new(
            field,
            ErrorCode::TooLong { max: max as u32 },
        ));
    }
}

fn parse_date_field(field: &str, value: &str, errors: &mut Vec<FieldError>) -> Option<NaiveDate> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    let parsed = NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(value, "%d.%m.%Y"));
    match parsed {
        Ok(date) => Some(date),
        Err(_) => {
            errors.push(FieldError::new(field, ErrorCode::Malformed));
            None
        }
    }
}

/// A registry entry as typed in the official's form (every value a string, as sent).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ConstructionInput {
    /// Registry number.
    pub registry_number: String,
    /// Object name.
    pub object_name: String,
    /// Address.
    pub address: String,
    /// Latitude.
    pub lat: String,
    /// Longitude.
    pub lon: String,
    /// Municipality id.
    pub municipality_id: String,
    /// Developer's name.
    pub developer_name: String,
    /// Developer's INN.
    pub developer_inn: String,
    /// Permit number.
    pub permit_number: String,
    /// Permit date, `YYYY-MM-DD` or `DD.MM.YYYY`.
    pub permit_date: String,
    /// Who issued the permit.
    pub permit_issuer: String,
    /// Permitted use.
    pub permitted_use: String,
    /// Floors.
    pub floors: String,
    /// Total area, m².
    pub total_area: String,
    /// Planned completion date.
    pub planned_completion: String,
    /// Status key.
    pub status: String,
    /// Approved footprint: GeoJSON, WKT or "lat, lon" pairs (see `Footprint::parse`).
    pub footprint: String,
}

impl ConstructionInput {
    /// The form pre-filled with an entry's data.
    pub fn from_fields(fields: &ConstructionFields) -> Self {
        Self {
            registry_number: fields.registry_number.clone(),
            object_name: fields.object_name.clone(),
            address: fields.address.clone(),
            lat: fields.point.lat.to_string(),
            lon: fields.point.lon.to_string(),
            municipality_id: fields.municipality_id.to_string(),
            developer_name: fields.developer_name.clone(),
            developer_inn: fields.developer_inn.clone(),
            permit_number: fields.permit_number.clone(),
            permit_date: fields.permit_date.to_string(),
            permit_issuer: fields.permit_issuer.clone(),
            permitted_use: fields.permitted_use.clone(),
            floors: fields.floors.map(|f| f.to_string()).unwrap_or_default(),
            total_area: fields
                .total_area_m2
                .map(|a| a.to_string())
                .unwrap_or_default(),
            planned_completion: fields
                .planned_completion
                .map(|d| d.to_string())
                .unwrap_or_default(),
            status: fields.status.as_db().to_string(),
            footprint: fields
                .footprint
                .as_ref()
                .map(Footprint::to_geojson)
                .unwrap_or_default(),
        }
    }

    /// Checks every field and reports all refusals at once. The municipality's existence
    /// is checked against the database by the caller.
    pub fn validate(&self) -> Result<ConstructionFields, Vec<FieldError>> {
        let mut errors = Vec::new();
        let text = |value: &str| value.split_whitespace().collect::<Vec<_>>().join(" ");
        let registry_number = text(&self.registry_number);
        check_length(
            "registry_number",
            &registry_number,
            REGISTRY_NUMBER_MAX,
            &mut errors,
        );
        let object_name = text(&self.object_name);
        check_length("object_name", &object_name, NAME_MAX, &mut errors);
        let address = text(&self.address);
        check_length("address", &address, NAME_MAX, &mut errors);
        let developer_name = text(&self.developer_name);
        check_length("developer_name", &developer_name, NAME_MAX, &mut errors);
        let permit_number = text(&self.permit_number);
        check_length(
            "permit_number",
            &permit_number,
            PERMIT_NUMBER_MAX,
            &mut errors,
        );
        let permit_issuer = text(&self.permit_issuer);
        check_length("permit_issuer", &permit_issuer, NAME_MAX, &mut errors);
        let permitted_use = text(&self.permitted_use);
        check_length("permitted_use", &permitted_use, USE_MAX, &mut errors);
        let developer_inn = normalise_inn(&self.developer_inn);
        if let Err(problem) = check_inn(&developer_inn) {
            let code = match problem {
                InnError::Empty => ErrorCode::Required,
                _ => ErrorCode::InvalidInn,
            };
            errors.push(FieldError::new("developer_inn", code));
        }
        let point = parse_point(&self.lat, &self.lon, &mut errors);
        let municipality_id = match self.municipality_id.trim().parse::<MunicipalityId>() {
            Ok(id) => Some(id),
            Err(_) => {
                errors.push(FieldError::new(
                    "municipality_id",
                    ErrorCode::UnknownMunicipality,
                ));
                None
            }
        };
        let permit_date = parse_date_field("permit_date", &self.permit_date, &mut errors);
        if permit_date.is_none() && self.permit_date.trim().is_empty() {
            errors.push(FieldError::new("permit_date", ErrorCode::Required));
        }
        let planned_completion =
            parse_date_field("planned_completion", &self.planned_completion, &mut errors);
        let floors = match self.floors.trim() {
            "" => None,
            value => match value.parse::<u16>() {
                Ok(floors) if (1..=FLOORS_MAX).contains(&floors) => Some(floors),
                _ => {
                    errors.push(FieldError::new(
                        "floors",
                        ErrorCode::OutOfRange {
                            min: 1,
                            max: i64::from(FLOORS_MAX),
                        },
                    ));
                    None
                }
            },
        };
        let total_area_m2 = match self.total_area.trim() {
            "" => None,
            value => match value
                .replace([' ', '\u{a0}'], "")
                .replace(',', ".")
                .parse::<f64>()
            {
                Ok(area) if area > 0.0 && area < AREA_MAX => Some(area),
                _ => {
                    errors.push(FieldError::new(
                        "total_area",
                        ErrorCode::OutOfRange {
                            min: 0,
                            max: AREA_MAX as i64,
                        },
                    ));
                    None
                }
            },
        };
        let status = match self.status.trim() {
            "" => Some(ConstructionStatus::PermitIssued),
            value => {
                let status = ConstructionStatus::from_db(value);
                if status.is_none() {
                    errors.push(FieldError::new("status", ErrorCode::NotAllowed));
                }
                status
            }
        };
        let footprint = match self.footprint.trim() {
            "" => None,
            text => match Footprint::parse(text) {
                Ok(footprint) => Some(footprint),
                Err(problem) => {
                    errors.push(FieldError::new("footprint", problem.code()));
                    None
                }
            },
        };
        match (point, municipality_id, permit_date, status) {
            (Some(point), Some(municipality_id), Some(permit_date), Some(status))
                if errors.is_empty() =>
            {
                Ok(ConstructionFields {
                    registry_number,
                    object_name,
                    address,
                    point,
                    municipality_id,
                    developer_name,
                    developer_inn,
                    permit_number,
                    permit_date,
                    permit_issuer,
                    permitted_use,
                    floors,
                    total_area_m2,
                    planned_completion,
                    status,
                    footprint,
                })
            }
            _ => Err(errors),
        }
    }
}

impl ConstructionFields {
    /// Each field's value as text, in the order of `Register::Permitted.fields()`: what the change list
    /// compares and shows.
    pub fn values(&self) -> Vec<(RegistryField, String)> {
        use RegistryField as F;
        let optional = |value: Option<String>| value.unwrap_or_default();
        vec![
            (F::RegistryNumber, self.registry_number.clone()),
            (F::ObjectName, self.object_name.clone()),
            (F::Address, self.address.clone()),
            (F::Latitude, format!("{:.6}", self.point.lat)),
            (F::Longitude, format!("{:.6}", self.point.lon)),
            (F::Municipality, self.municipality_id.to_string()),
            (F::DeveloperName, self.developer_name.clone()),
            (F::DeveloperInn, self.developer_inn.clone()),
            (F::PermitNumber, self.permit_number.clone()),
            (F::PermitDate, self.permit_date.to_string()),
            (F::PermitIssuer, self.permit_issuer.clone()),
            (F::PermittedUse, self.permitted_use.clone()),
            (F::Floors, optional(self.floors.map(|f| f.to_string()))),
            (
                F::TotalArea,
                optional(self.total_area_m2.map(|a| format!("{a:.2}"))),
            ),
            (
                F::PlannedCompletion,
                optional(self.planned_completion.map(|d| d.to_string())),
            ),
            (F::Status, self.status.as_db().to_string()),
            (
                F::Footprint,
                optional(self.footprint.as_ref().map(Footprint::to_geojson)),
            ),
        ]
    }

    /// Takes the optional fields an import's file does not have (`present` says which
    /// it has) from the entry as it stands: a sheet without a footprint column must not
    /// erase the footprints drawn in the app.
    pub fn keep_absent_from(
        &mut self,
        before: &ConstructionFields,
        present: &dyn Fn(RegistryField) -> bool,
    ) {
        use RegistryField as F;
        if !present(F::Floors) {
            self.floors = before.floors;
        }
        if !present(F::TotalArea) {
            self.total_area_m2 = before.total_area_m2;
        }
        if !present(F::PlannedCompletion) {
            self.planned_completion = before.planned_completion;
        }
        if !present(F::Status) {
            self.status = before.status;
        }
        if !present(F::Footprint) {
            self.footprint = before.footprint.clone();
        }
    }

    /// The fields that differ from `before`, as change-list entries.
    pub fn changes_from(&self, before: Option<&ConstructionFields>) -> Vec<FieldChange> {
        let before_values = before.map(ConstructionFields::values);
        self.values()
            .into_iter()
            .enumerate()
            .filter_map(|(index, (field, after))| {
                let previous = before_values
                    .as_ref()
                    .and_then(|values| values.get(index))
                    .map(|(_, value)| value.clone());
                let changed = previous.as_deref() != Some(after.as_str());
                let worth_listing = before.is_some() || !after.is_empty();
                (changed && worth_listing).then(|| FieldChange {
                    field,
                    before: previous.filter(|value| !value.is_empty()),
                    after: (!after.is_empty()).then_some(after),
                })
            })
            .collect()
    }
}

/// One changed field in an entry's history: `before` is `None` for a field that was
/// empty (or a new entry), `after` is `None` for a field that was cleared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    /// Which field.
    pub field: RegistryField,
    /// The old value, as text.
    pub before: Option<String>,
    /// The new value, as text.
    pub after: Option<String>,
}

/// How the registry table is ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegistrySort {
    /// Newest permits first.
    #[default]
    PermitNewest,
    /// Oldest permits first.
    PermitOldest,
    /// By registry number.
    Number,
    /// By object name.
    Name,
}

impl RegistrySort {
    /// Every order.
    pub const ALL: [RegistrySort; 4] = [
        Self::PermitNewest,
        Self::PermitOldest,
        Self::Number,
        Self::Name,
    ];

    /// The URL value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PermitNewest => "permit_newest",
            Self::PermitOldest => "permit_oldest",
            Self::Number => "number",
            Self::Name => "name",
        }
    }

    /// The order named `value`.
    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|sort| sort.as_str() == value)
    }
}

/// The registry's filters as they appear in the URL (shared by the table, the map and the
/// exports). Values are kept as typed; unusable ones are ignored, not refused, so a
/// hand-edited link still shows something.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RegistryQuery {
    /// Municipality id.
    pub municipality: String,
    /// Status key.
    pub status: String,
    /// Developer: an INN, or the start of a name.
    pub developer: String,
    /// Permits from this date, `YYYY-MM-DD`.
    pub from: String,
    /// Permits up to this date, `YYYY-MM-DD`.
    pub to: String,
    /// Words searched in number, object, address, developer and permit.
    pub q: String,
    /// Sort name.
    pub sort: String,
    /// Page number, from 1.
    pub page: String,
}

/// The typed registry filter.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RegistryFilter {
    /// Only this municipality.
    pub municipality_id: Option<MunicipalityId>,
    /// Only this status.
    pub status: Option<ConstructionStatus>,
    /// Only this developer INN.
    pub developer_inn: Option<String>,
    /// Only developers whose name starts with this.
    pub developer_name: Option<String>,
    /// Permits on or after.
    pub from: Option<NaiveDate>,
    /// Permits on or before.
    pub to: Option<NaiveDate>,
    /// Search words (letters and digits only; at most 8).
    pub words: Vec<String>,
}

/// Rows per registry page.
pub const REGISTRY_PAGE_SIZE: u32 = 25;
/// The deepest registry page offered.
pub const REGISTRY_MAX_PAGE: u32 = 400;

fn parse_iso_date(value: &str) -> Option<NaiveDate> {
    let value = value.trim();
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(value, "%d.%m.%Y"))
        .ok()
}

impl RegistryQuery {
    /// The filter it names.
    pub fn filter(&self) -> RegistryFilter {
        let developer = self
            .developer
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let is_inn = !developer.is_empty() && developer.chars().all(|c| c.is_ascii_digit());
        RegistryFilter {
            municipality_id: self.municipality.trim().parse().ok(),
            status: ConstructionStatus::from_db(self.status.trim()),
            developer_inn: is_inn.then(|| developer.clone()),
            developer_name: (!is_inn && !developer.is_empty()).then_some(developer),
            from: parse_iso_date(&self.from),
            to: parse_iso_date(&self.to),
            words: search_words(&self.q),
        }
    }

    /// The order it names.
    pub fn sort(&self) -> RegistrySort {
        RegistrySort::parse(self.sort.trim()).unwrap_or_default()
    }

    /// The page it names.
    pub fn page(&self) -> u32 {
        self.page
            .trim()
            .parse()
            .unwrap_or(1)
            .clamp(1, REGISTRY_MAX_PAGE)
    }

    /// The query string of these filters with another page (empty values left out,
    /// values percent-encoded), starting with `?` unless empty.
    pub fn to_query_string(&self, page: u32) -> String {
        let page = page.to_string();
        let pairs = [
            ("municipality", self.municipality.as_str()),
            ("status", self.status.as_str()),
            ("developer", self.developer.as_str()),
            ("from", self.from.as_str()),
            ("to", self.to.as_str()),
            ("q", self.q.as_str()),
            ("sort", self.sort.as_str()),
            ("page", if page == "1" { "" } else { page.as_str() }),
        ];
        query_string(pairs)
    }

    /// The same filters without paging, for exports and the map.
    pub fn without_page(&self) -> RegistryQuery {
        RegistryQuery {
            page: String::new(),
            ..self.clone()
        }
    }
}

/// Shortest word the full-text index holds (InnoDB's default `innodb_ft_min_token_size`).
pub const MIN_SEARCH_WORD: usize = 3;

/// The search words of `text`: letters and digits only (so they are safe in a full-text
/// boolean query), at most 8, each at most 40 characters. Shorter parts than the index
/// holds are dropped: required, they would match nothing ("23" in a permit number).
pub fn search_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| word.chars().count() >= MIN_SEARCH_WORD)
        .take(8)
        .map(|word| word.chars().take(40).collect::<String>().to_lowercase())
        .collect()
}

/// A registry entry as the table and the map show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConstructionRow {
    /// Its id.
    pub id: ConstructionId,
    /// Registry number.
    pub registry_number: String,
    /// Object name.
    pub object_name: String,
    /// Address.
    pub address: String,
    /// Municipality.
    pub municipality_id: MunicipalityId,
    /// Developer.
    pub developer_name: String,
    /// Developer INN.
    pub developer_inn: String,
    /// Permit number.
    pub permit_number: String,
    /// Permit date.
    pub permit_date: NaiveDate,
    /// Floors.
    pub floors: Option<u16>,
    /// Status.
    pub status: ConstructionStatus,
    /// Where it is.
    pub point: LatLon,
    /// Public citizens' reports.
    pub report_count: u32,
    /// Confirmed violations.
    pub violation_count: u32,
}

/// One page of the registry table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegistryPage {
    /// The rows.
    pub rows: Vec<ConstructionRow>,
    /// Entries matching the filter.
    pub total: u64,
    /// The page number, from 1.
    pub page: u32,
    /// Whether a next page exists.
    pub has_more: bool,
}

/// A registry entry's page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConstructionDetail {
    /// Its id.
    pub id: ConstructionId,
    /// Its data.
    pub fields: ConstructionFields,
    /// When it was added.
    pub created_at: NaiveDateTime,
    /// When it last changed.
    pub updated_at: NaiveDateTime,
    /// Its history, newest first.
    pub history: Vec<ChangeEntry>,
    /// Citizens' reports about it, newest first.
    pub reports: Vec<ReportSummary>,
    /// Whether the viewer may edit it.
    pub can_edit: bool,
}

/// One entry of a registry entry's history (or of an import's change list).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeEntry {
    /// The registry entry.
    pub construction_id: ConstructionId,
    /// Its registry number.
    pub registry_number: String,
    /// Whether the entry was created (else updated).
    pub created: bool,
    /// The changed fields.
    pub changes: Vec<FieldChange>,
    /// Who made the change.
    pub actor_name: Option<String>,
    /// The import that made it.
    pub import_id: Option<ImportId>,
    /// When.
    pub at: NaiveDateTime,
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use platform::error::AppError;

    fn fields() -> ConstructionFields {
        ConstructionFields {
            registry_number: "РНС-2024-00001".into(),
            object_name: "Многоквартирный жилой дом".into(),
            address: "г. Краснодар, ул. Уральская, 100".into(),
            point: LatLon {
                lat: 45.04,
                lon: 39.03,
            },
            municipality_id: MunicipalityId(1),
            developer_name: "ООО СЗ «Южный квартал»".into(),
            developer_inn: "7707083893".into(),
            permit_number: "23-RU23306000-1234-2024".into(),
            permit_date: NaiveDate::from_ymd_opt(2024, 3, 15).expect("a date"),
            permit_issuer: "Департамент архитектуры и градостроительства".into(),
            permitted_use: "Многоэтажная жилая застройка".into(),
            floors: Some(9),
            total_area_m2: Some(8_450.5),
            planned_completion: NaiveDate::from_ymd_opt(2026, 6, 30),
            status: ConstructionStatus::UnderConstruction,
            footprint: Footprint::parse("45.03, 38.97; 45.03, 38.971; 45.031, 38.971").ok(),
        }
    }

    fn codes(errors: &[FieldError]) -> Vec<(&str, ErrorCode)> {
        errors
            .iter()
            .map(|error| (error.field.as_str(), error.code))
            .collect()
    }

    #[test]
    fn a_report_moves_only_along_its_four_steps() {
        use ReportAction as A;
        use ReportStatus as S;
        let legal = [
            (S::Submitted, A::StartVerification, S::UnderVerification),
            (
                S::UnderVerification,
                A::ConfirmViolation,
                S::ViolationConfirmed,
            ),
            (S::UnderVerification, A::Dismiss, S::NotConfirmed),
            (S::ViolationConfirmed, A::TakeMeasures, S::MeasuresTaken),
        ];
        for status in S::ALL {
            for action in A::ALL {
                let expected = legal
                    .iter()
                    .find(|(from, step, _)| *from == status && *step == action)
                    .map(|(_, _, next)| *next);
                match (status.after(action), expected) {
                    (Ok(next), Some(wanted)) => assert_eq!(next, wanted),
                    (
                        Err(AppError::IllegalTransition {
                            status: refused_in,
                            action: refused,
                        }),
                        None,
                    ) => assert_eq!(
                        (refused_in.as_str(), refused.as_str()),
                        (status.as_db(), action.as_db())
                    ),
                    (got, wanted) => panic!("{status:?} + {action:?}: {got:?}, wanted {wanted:?}"),
                }
            }
        }
        for status in S::ALL {
            assert_eq!(
                status.has_result(),
                status.is_violation() || status == S::NotConfirmed
            );
        }
    }

    #[test]
    fn stored_names_read_back() {
        for status in ConstructionStatus::ALL {
            assert_eq!(ConstructionStatus::from_db(status.as_db()), Some(status));
        }
        for status in ReportStatus::ALL {
            assert_eq!(ReportStatus::from_db(status.as_db()), Some(status));
        }
        for kind in ReportKind::ALL {
            assert_eq!(ReportKind::from_db(kind.as_db()), Some(kind));
        }
        for aspect in DiffAspect::ALL {
            assert_eq!(DiffAspect::from_db(aspect.as_db()), Some(aspect));
        }
        for action in ReportAction::ALL {
            assert_eq!(ReportAction::from_db(action.as_db()), Some(action));
        }
        for phase in ImportPhase::ALL {
            assert_eq!(ImportPhase::from_db(phase.as_db()), Some(phase));
        }
        for sort in RegistrySort::ALL {
            assert_eq!(RegistrySort::parse(sort.as_str()), Some(sort));
        }
        for field in RegistryField::ALL {
            assert_eq!(RegistryField::from_key(field.key()), Some(field));
        }
        assert_eq!(ConstructionStatus::from_db("built"), None);
        assert_eq!(ReportStatus::from_db(""), None);
    }

    #[test]
    fn the_query_string_round_trips_cyrillic_text() {
        let query = RegistryQuery {
            municipality: "1".into(),
            status: "commissioned".into(),
            developer: "ООО СЗ «Южный квартал»".into(),
            from: "2024-01-01".into(),
            to: "31.12.2024".into(),
            q: "жилой дом & школа №5 100%".into(),
            sort: "name".into(),
            page: String::new(),
        };
        let text = query.to_query_string(3);
        assert!(text.starts_with('?'), "{text}");
        assert!(text.is_ascii(), "percent-encoded: {text}");
        let parsed: HashMap<String, String> = form_urlencoded::parse(&text.as_bytes()[1..])
            .into_owned()
            .collect();
        let value = |key: &str| parsed.get(key).cloned().unwrap_or_default();
        let back = RegistryQuery {
            municipality: value("municipality"),
            status: value("status"),
            developer: value("developer"),
            from: value("from"),
            to: value("to"),
            q: value("q"),
            sort: value("sort"),
            page: value("page"),
        };
        assert_eq!(
            back,
            RegistryQuery {
                page: "3".into(),
                ..query.clone()
            }
        );
        assert_eq!(back.filter(), query.filter());
        assert_eq!(back.page(), 3);
        assert!(!query.to_query_string(1).contains("page="));
        assert_eq!(RegistryQuery::default().to_query_string(1), "");
        assert_eq!(
            back.without_page().to_query_string(1),
            query.to_query_string(1)
        );
    }

    #[test]
    fn the_query_names_a_typed_filter_and_ignores_what_it_cannot_use() {
        let query = RegistryQuery {
            municipality: " 7 ".into(),
            status: "suspended".into(),
            developer: " 7707083893 ".into(),
            from: "01.02.2024".into(),
            to: "not a date".into(),
            q: "Жилой-дом, \"школа\" +5".into(),
            sort: "bogus".into(),
            page: "0".into(),
        };
        let filter = query.filter();
        assert_eq!(filter.municipality_id, Some(MunicipalityId(7)));
        assert_eq!(filter.status, Some(ConstructionStatus::Suspended));
        assert_eq!(filter.developer_inn.as_deref(), Some("7707083893"));
        assert_eq!(filter.developer_name, None);
        assert_eq!(filter.from, NaiveDate::from_ymd_opt(2024, 2, 1));
        assert_eq!(filter.to, None);
        // "5" is shorter than the index's shortest word: required, it would match nothing.
        assert_eq!(filter.words, vec!["жилой", "дом", "школа"]);
        assert_eq!(query.sort(), RegistrySort::PermitNewest);
        assert_eq!(query.page(), 1);
        let named = RegistryQuery {
            developer: "ООО   СЗ".into(),
            municipality: "Краснодар".into(),
            status: "built".into(),
            page: "100000".into(),
            ..RegistryQuery::default()
        };
        let filter = named.filter();
        assert_eq!(filter.developer_name.as_deref(), Some("ООО СЗ"));
        assert_eq!(filter.developer_inn, None);
        assert_eq!(filter.municipality_id, None);
        assert_eq!(filter.status, None);
        assert_eq!(named.page(), REGISTRY_MAX_PAGE);
        let many = "один два три четыре пять шесть семь восемь девять десять";
        assert_eq!(search_words(many).len(), 8);
        let long = "щ".repeat(60);
        assert_eq!(search_words(&long)[0].chars().count(), 40);
    }

    #[test]
    fn changes_list_exactly_the_fields_that_differ() {
        let before = fields();
        let created = before.changes_from(None);
        assert_eq!(
            created.iter().map(|c| c.field).collect::<Vec<_>>(),
            Register::Permitted.fields().to_vec()
        );
        assert!(
            created
                .iter()
                .all(|c| c.before.is_none() && c.after.is_some())
        );
        // A new entry without the optional particulars does not list them.
        let sparse = ConstructionFields {
            floors: None,
            total_area_m2: None,
            planned_completion: None,
            ..fields()
        };
        assert_eq!(
            sparse.changes_from(None).len(),
            Register::Permitted.fields().len() - 3
        );

        assert!(before.changes_from(Some(&before)).is_empty());
        let after = ConstructionFields {
            floors: None,
            status: ConstructionStatus::Commissioned,
            // Below the precision shown and compared: not a change.
            point: LatLon {
                lat: 45.04 + 1e-8,
                lon: 39.03,
            },
            total_area_m2: Some(8_450.504),
            ..fields()
        };
        assert_eq!(
            after.changes_from(Some(&before)),
            vec![
                FieldChange {
                    field: RegistryField::Floors,
                    before: Some("9".into()),
                    after: None,
                },
                FieldChange {
                    field: RegistryField::Status,
                    before: Some("under_construction".into()),
                    after: Some("commissioned".into()),
                },
            ]
        );
        assert_eq!(
            before.changes_from(Some(&sparse))[0],
            FieldChange {
                field: RegistryField::Floors,
                before: None,
                after: Some("9".into()),
            }
        );
    }

    #[test]
    fn the_form_accepts_what_it_shows_and_refuses_bad_values() {
        let entry = fields();
        assert_eq!(
            ConstructionInput::from_fields(&entry).validate(),
            Ok(entry.clone())
        );
        let spaced = ConstructionInput {
            developer_inn: "7707 083 893".into(),
            total_area: "8\u{a0}450,5".into(),
            permit_date: "15.03.2024".into(),
            object_name: "  Многоквартирный   жилой дом ".into(),
            status: String::new(),
            ..ConstructionInput::from_fields(&entry)
        };
        assert_eq!(
            spaced.validate(),
            Ok(ConstructionFields {
                status: ConstructionStatus::PermitIssued,
                ..entry.clone()
            })
        );
        let bad = ConstructionInput {
            developer_inn: "7707083894".into(),
            lat: "55.75".into(),
            lon: "37.61".into(),
            floors: "0".into(),
            status: "built".into(),
            permit_date: "31.02.2024".into(),
            municipality_id: "Краснодар".into(),
            registry_number: String::new(),
            ..ConstructionInput::from_fields(&entry)
        };
        let errors = bad.validate().expect_err("refused");
        let found = codes(&errors);
        for expected in [
            ("registry_number", ErrorCode::Required),
            ("developer_inn", ErrorCode::InvalidInn),
            ("point", ErrorCode::OutsideRegion),
            ("municipality_id", ErrorCode::UnknownMunicipality),
            ("permit_date", ErrorCode::Malformed),
            ("status", ErrorCode::NotAllowed),
        ] {
            assert!(found.contains(&expected), "{expected:?} in {found:?}");
        }
        assert!(
            found.iter().any(|(field, _)| *field == "floors"),
            "{found:?}"
        );
        let empty = ConstructionInput::default()
            .validate()
            .expect_err("refused");
        let found = codes(&empty);
        assert!(found.contains(&("developer_inn", ErrorCode::Required)));
        assert!(found.contains(&("permit_date", ErrorCode::Required)));
        assert!(found.contains(&("point", ErrorCode::Required)));
    }

    #[test]
    fn a_report_needs_what_its_kind_needs() {
        let differs = ReportInput {
            kind: "differs_from_permit".into(),
            construction_id: "12".into(),
            aspect: "floors".into(),
            description: "Надстроили два лишних этажа.".into(),
            ..ReportInput::default()
        };
        let valid = differs.validate().expect("valid");
        assert_eq!(valid.construction_id, Some(ConstructionId(12)));
        assert_eq!(valid.aspect, Some(DiffAspect::Floors));
        assert_eq!(valid.point, None);
        let missing = ReportInput {
            construction_id: String::new(),
            aspect: "colour".into(),
            description: "коротко".into(),
            ..differs.clone()
        };
        let errors = missing.validate().expect_err("refused");
        let found = codes(&errors);
        for expected in [
            ("construction_id", ErrorCode::Required),
            ("aspect", ErrorCode::Required),
            ("description", ErrorCode::TooShort { min: 10 }),
        ] {
            assert!(found.contains(&expected), "{expected:?} in {found:?}");
        }
        let unregistered = ReportInput {
            kind: "not_in_registry".into(),
            lat: "45,05".into(),
            lon: "38.98".into(),
            description: "Строят без разрешения во дворе.".into(),
            ..ReportInput::default()
        };
        let valid = unregistered.validate().expect("valid");
        assert_eq!(valid.point, LatLon::new(45.05, 38.98));
        assert_eq!(valid.construction_id, None);
        let far = ReportInput {
            lat: "55.75".into(),
            lon: "37.61".into(),
            ..unregistered
        };
        assert_eq!(
            codes(&far.validate().expect_err("refused")),
            vec![("point", ErrorCode::OutsideRegion)]
        );
    }

    #[test]
    fn a_verdict_needs_a_past_date_and_findings() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 10).expect("a date");
        let start = VerificationInput {
            text: "ignored".into(),
            ..VerificationInput::default()
        };
        assert_eq!(
            start
                .validate(ReportAction::StartVerification, today)
                .expect("valid")
                .text,
            ""
        );
        let empty = VerificationInput::default()
            .validate(ReportAction::ConfirmViolation, today)
            .expect_err("refused");
        assert_eq!(
            codes(&empty),
            vec![
                ("text", ErrorCode::Required),
                ("verified_on", ErrorCode::Required)
            ]
        );
        let future = VerificationInput {
            verified_on: "2026-03-11".into(),
            text: "Нарушение подтверждено.".into(),
            ..VerificationInput::default()
        };
        assert_eq!(
            codes(
                &future
                    .validate(ReportAction::Dismiss, today)
                    .expect_err("refused")
            ),
            vec![("verified_on", ErrorCode::NotAllowed)]
        );
        let verdict = VerificationInput {
            verified_on: "10.03.2026".into(),
            ..future.clone()
        };
        assert_eq!(
            verdict
                .validate(ReportAction::ConfirmViolation, today)
                .expect("valid")
                .verified_on,
            Some(today)
        );
        let measures = VerificationInput {
            verified_on: String::new(),
            ..future
        }
        .validate(ReportAction::TakeMeasures, today)
        .expect("valid");
        assert_eq!(measures.verified_on, None);
        assert_eq!(measures.text, "Нарушение подтверждено.");
    }

    #[test]
    fn registry_fields_serialise_as_their_keys() {
        for field in RegistryField::ALL {
            let json = serde_json::to_value(field).expect("a field serialises");
            assert_eq!(json, serde_json::Value::from(field.key()), "{field:?}");
            assert_eq!(RegistryField::from_key(field.key()), Some(field));
        }
    }
}
