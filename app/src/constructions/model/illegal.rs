//! The registry of illegal constructions: its entries, their statuses and how they were
//! found, the public list's filters and keyset pages, an entry's page with its history,
//! and the officials' status step.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::{ConstructionReportId, ImportId, search_words};
use crate::geography::model::MunicipalityId;
use platform::error::{ErrorCode, FieldError};
use platform::geo::LatLon;
use platform::id_type;
use platform::keyset::{Cursor, KeyKind, KeysetOrder, PageStart, Paged, SortKey};
use platform::query::query_string;

id_type!(
    /// An entry of the registry of illegal constructions.
    IllegalConstructionId
);

/// Where the case of an illegal construction stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IllegalStatus {
    /// Found and entered; nothing decided yet.
    Identified,
    /// An administrative case is opened.
    CaseOpened,
    /// The case is in court.
    Court,
    /// Demolition is ordered (by the court or the administration).
    DemolitionOrdered,
    /// Demolished: the case is closed.
    Demolished,
    /// Legalised (the right to it recognised, a permit issued): the case is closed.
    Legalised,
}

impl IllegalStatus {
    /// Every status, in the order a case usually takes.
    pub const ALL: [IllegalStatus; 6] = [
        Self::Identified,
        Self::CaseOpened,
        Self::Court,
        Self::DemolitionOrdered,
        Self::Demolished,
        Self::Legalised,
    ];

    /// The value stored in `illegal_constructions.status` (and used in URLs and files).
    pub fn as_db(self) -> &'static str {
        match self {
            Self::Identified => "identified",
            Self::CaseOpened => "case_opened",
            Self::Court => "court",
            Self::DemolitionOrdered => "demolition_ordered",
            Self::Demolished => "demolished",
            Self::Legalised => "legalised",
        }
    }

    /// The status stored as `value`.
    pub fn from_db(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.as_db() == value)
    }

    /// Whether entering this status is a decision on the construction: what the time from
    /// detection to decision measures up to.
    pub fn is_decision(self) -> bool {
        matches!(
            self,
            Self::DemolitionOrdered | Self::Demolished | Self::Legalised
        )
    }

    /// Whether the case is over: nothing follows.
    pub fn is_closed(self) -> bool {
        matches!(self, Self::Demolished | Self::Legalised)
    }

    /// The statuses an official may record next. A case may skip stages (not every case
    /// goes to court) but never returns to "identified", and a closed case stays closed.
    pub fn next(self) -> Vec<IllegalStatus> {
        if self.is_closed() {
            return Vec::new();
        }
        Self::ALL
            .into_iter()
            .filter(|status| *status != self && *status != Self::Identified)
            .collect()
    }
}

/// How an illegal construction came to be known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FoundBy {
    /// The supervision department's own inspection.
    Inspection,
    /// A citizen's report, confirmed by an inspection.
    CitizenReport,
    /// Another agency (the cadastre, the prosecutor, a municipality).
    Agency,
}

impl FoundBy {
    /// Every way.
    pub const ALL: [FoundBy; 3] = [Self::Inspection, Self::CitizenReport, Self::Agency];

    /// The value stored in `illegal_constructions.found_by`.
    pub fn as_db(self) -> &'static str {
        match self {
            Self::Inspection => "inspection",
            Self::CitizenReport => "citizen_report",
            Self::Agency => "agency",
        }
    }

    /// The way stored as `value`.
    pub fn from_db(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|way| way.as_db() == value)
    }
}

/// The registry number of the entry a confirmed citizen's report makes: the report's
/// number under the registry's own prefix, so it can be found from either.
pub fn number_from_report(report: ConstructionReportId) -> String {
    format!("НС-{report}")
}

/// An entry's data as an official (or, later, an import) gives it, validated; a new entry
/// starts as identified.
#[derive(Debug, Clone, PartialEq)]
pub struct IllegalFields {
    /// Registry number, unique.
    pub registry_number: String,
    /// What was built.
    pub object_name: String,
    /// Address.
    pub address: String,
    /// Where it is.
    pub point: LatLon,
    /// Municipality.
    pub municipality_id: MunicipalityId,
    /// Cadastral number, where known.
    pub cadastral_number: Option<String>,
    /// Owner or developer, where known.
    pub owner_name: Option<String>,
    /// Floors, when known.
    pub floors: Option<u16>,
    /// Total area in square metres, when known.
    pub total_area_m2: Option<f64>,
    /// How it was found.
    pub found_by: FoundBy,
    /// When it was identified.
    pub identified_on: NaiveDate,
}

/// One row of an import of the registry: the entry's data, and its status when the file
/// gives one (a new entry without one is identified; an existing one keeps its own).
#[derive(Debug, Clone, PartialEq)]
pub struct IllegalRecord {
    /// The entry's data.
    pub fields: IllegalFields,
    /// The status the file gives.
    pub status: Option<IllegalStatus>,
}

/// An entry as the table, the map, the exports and its page show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IllegalRow {
    /// Its id.
    pub id: IllegalConstructionId,
    /// Registry number.
    pub registry_number: String,
    /// What was built.
    pub object_name: String,
    /// Address.
    pub address: String,
    /// Where it is.
    pub point: LatLon,
    /// Municipality.
    pub municipality_id: MunicipalityId,
    /// Cadastral number, where known.
    pub cadastral_number: Option<String>,
    /// Owner or developer, where known.
    pub owner_name: Option<String>,
    /// Floors, when known.
    pub floors: Option<u16>,
    /// Total area in square metres, when known.
    pub total_area_m2: Option<f64>,
    /// How it was found.
    pub found_by: FoundBy,
    /// Where its case stands.
    pub status: IllegalStatus,
    /// When it was identified.
    pub identified_on: NaiveDate,
    /// When a decision was first taken.
    pub decided_on: Option<NaiveDate>,
    /// The citizen's report it came from.
    pub report_id: Option<ConstructionReportId>,
}

impl IllegalRow {
    /// Days from detection to the first decision, once there is one.
    pub fn days_to_decision(&self) -> Option<i64> {
        self.decided_on
            .map(|decided| (decided - self.identified_on).num_days())
    }
}

/// One step of an entry's public history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IllegalEvent {
    /// The status entered.
    pub status: IllegalStatus,
    /// The date of the step or of its decision document.
    pub decided_on: NaiveDate,
    /// The decision document, as published.
    pub document: Option<String>,
    /// Who recorded it.
    pub actor_name: Option<String>,
    /// The import that recorded it.
    pub import_id: Option<ImportId>,
    /// When it was recorded.
    pub at: NaiveDateTime,
}

/// An entry's page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IllegalDetail {
    /// The entry.
    pub row: IllegalRow,
    /// When it was added.
    pub created_at: NaiveDateTime,
    /// Its history, oldest first.
    pub events: Vec<IllegalEvent>,
    /// The statuses the viewer may record next (none for the public).
    pub next: Vec<IllegalStatus>,
}

/// The registry's filters as they appear in the URL (shared by the table, the map and the
/// exports). Unusable values are ignored, so a hand-edited link still shows something.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct IllegalQuery {
    /// Municipality id.
    pub municipality: String,
    /// Status key.
    pub status: String,
    /// How it was found.
    pub found_by: String,
    /// Words searched in the number, the object, the address and the owner.
    pub q: String,
    /// The page starts after this row (a cursor).
    pub after: String,
    /// The page ends before this row (a cursor).
    pub before: String,
}

/// The typed filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IllegalFilter {
    /// Only this municipality.
    pub municipality_id: Option<MunicipalityId>,
    /// Only this status.
    pub status: Option<IllegalStatus>,
    /// Only found this way.
    pub found_by: Option<FoundBy>,
    /// Search words (letters and digits only).
    pub words: Vec<String>,
}

/// Rows per page of the table.
pub const ILLEGAL_PAGE_SIZE: usize = 25;

/// The table's order: the most recently identified first.
pub const ILLEGAL_ORDER: KeysetOrder = KeysetOrder {
    column: "i.identified_on",
    id: "i.id",
    descending: true,
    kind: KeyKind::Time,
};

impl IllegalQuery {
    /// The filter it names.
    pub fn filter(&self) -> IllegalFilter {
        IllegalFilter {
            municipality_id: self.municipality.trim().parse().ok(),
            status: IllegalStatus::from_db(self.status.trim()),
            found_by: FoundBy::from_db(self.found_by.trim()),
            words: search_words(&self.q),
        }
    }

    /// Where its page starts.
    pub fn start(&self) -> PageStart {
        PageStart::from_params(ILLEGAL_ORDER.kind, &self.after, &self.before)
    }

    /// The query string of these filters with the page starting at `start` (empty values
    /// left out), starting with `?` unless empty.
    pub fn to_query_string(&self, start: &PageStart) -> String {
        let (after, before) = start.params();
        query_string([
            ("municipality", self.municipality.as_str()),
            ("status", self.status.as_str()),
            ("found_by", self.found_by.as_str()),
            ("q", self.q.as_str()),
            ("after", after.as_str()),
            ("before", before.as_str()),
        ])
    }

    /// The same filters from the first page: for the map and the exports.
    pub fn without_page(&self) -> IllegalQuery {
        IllegalQuery {
            after: String::new(),
            before: String::new(),
            ..self.clone()
        }
    }
}

/// A row's place in the table's order.
pub fn illegal_cursor(row: &IllegalRow) -> Cursor {
    Cursor {
        key: SortKey::Time(row.identified_on.and_hms_opt(0, 0, 0)),
        id: row.id.0,
    }
}

/// One page of the table, with the number of entries the filter matches.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IllegalPage {
    /// The rows and whether pages lie on either side.
    pub paged: Paged<IllegalRow>,
    /// Entries matching the filter.
    pub total: u64,
}

impl IllegalPage {
    /// The starts of the previous and the next page, where there are such pages.
    pub fn neighbours(&self) -> (Option<PageStart>, Option<PageStart>) {
        self.paged.neighbours(illegal_cursor)
    }
}

/// The longest decision document text kept.
pub const DOCUMENT_MAX_CHARS: usize = 4000;

/// An official's status step as typed in the form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct IllegalStepInput {
    /// The new status's key.
    pub status: String,
    /// The date of the decision document, `YYYY-MM-DD`.
    pub decided_on: String,
    /// The decision document: kind, number, what it says.
    pub document: String,
}

/// A status step, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IllegalStep {
    /// The new status.
    pub status: IllegalStatus,
    /// The date of the step or of its decision.
    pub decided_on: NaiveDate,
    /// The decision document, as published.
    pub document: Option<String>,
}

impl IllegalStepInput {
    /// The step, or every problem of the form. A decision needs its document; no date
    /// lies after `today`.
    pub fn validate(&self, today: NaiveDate) -> Result<IllegalStep, Vec<FieldError>> {
        let mut errors = Vec::new();
        let status = IllegalStatus::from_db(self.status.trim());
        if status.is_none() {
            errors.push(FieldError::new("status", ErrorCode::Required));
        }
        let decided_on = match self.decided_on.trim() {
            "" => {
                errors.push(FieldError::new("decided_on", ErrorCode::Required));
                None
            }
            text => match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
                Ok(date) if date > today => {
                    errors.push(FieldError::new("decided_on", ErrorCode::NotAllowed));
                    None
                }
                Ok(date) => Some(date),
                Err(_) => {
                    errors.push(FieldError::new("decided_on", ErrorCode::Malformed));
                    None
                }
            },
        };
        let document = self.document.trim();
        if document.chars().count() > DOCUMENT_MAX_CHARS {
            errors.push(FieldError::new(
                "document",
                ErrorCode::TooLong {
                    max: DOCUMENT_MAX_CHARS as u32,
                },
            ));
        }
        if status.is_some_and(IllegalStatus::is_decision) && document.is_empty() {
            errors.push(FieldError::new("document", ErrorCode::Required));
        }
        match (status, decided_on) {
            (Some(status), Some(decided_on)) if errors.is_empty() => Ok(IllegalStep {
                status,
                decided_on,
                document: (!document.is_empty()).then(|| document.to_string()),
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 1).expect("a valid date")
    }

    #[test]
    fn a_case_never_returns_to_identified_and_a_closed_one_stays_closed() {
        let after_identified = IllegalStatus::Identified.next();
        assert!(!after_identified.contains(&IllegalStatus::Identified));
        assert!(after_identified.contains(&IllegalStatus::Legalised));
        assert!(!IllegalStatus::Court.next().contains(&IllegalStatus::Court));
        assert!(IllegalStatus::Demolished.next().is_empty());
        assert!(IllegalStatus::Legalised.next().is_empty());
    }

    #[test]
    fn a_decision_needs_its_document_and_a_date_not_in_the_future() {
        let input = IllegalStepInput {
            status: "demolition_ordered".into(),
            decided_on: "2026-11-20".into(),
            document: " ".into(),
        };
        let fields: Vec<String> = input
            .validate(today())
            .expect_err("a decision without its document")
            .into_iter()
            .map(|error| error.field)
            .collect();
        assert_eq!(fields, ["document"]);
        let step = IllegalStepInput {
            document: "Решение суда № 2-123/2026".into(),
            ..input.clone()
        }
        .validate(today())
        .expect("a complete decision");
        assert_eq!(step.status, IllegalStatus::DemolitionOrdered);
        assert_eq!(step.document.as_deref(), Some("Решение суда № 2-123/2026"));
        let future = IllegalStepInput {
            status: "case_opened".into(),
            decided_on: "2026-12-02".into(),
            document: String::new(),
        };
        assert!(future.validate(today()).is_err());
        let opened = IllegalStepInput {
            decided_on: "2026-12-01".into(),
            ..future
        }
        .validate(today())
        .expect("a case opened today needs no document");
        assert_eq!(opened.document, None);
    }

    #[test]
    fn the_query_string_keeps_filters_and_the_page_start() {
        let query = IllegalQuery {
            municipality: "3".into(),
            status: "court".into(),
            ..IllegalQuery::default()
        };
        let row_cursor = Cursor {
            key: SortKey::Time(
                NaiveDate::from_ymd_opt(2026, 3, 1).and_then(|d| d.and_hms_opt(0, 0, 0)),
            ),
            id: 17,
        };
        let link = query.to_query_string(&PageStart::After(row_cursor));
        assert_eq!(
            link,
            "?municipality=3&status=court&after=20260301T000000_17"
        );
        let parsed = IllegalQuery {
            after: "20260301T000000_17".into(),
            ..query.clone()
        };
        assert_eq!(parsed.start(), PageStart::After(row_cursor));
        assert_eq!(parsed.without_page(), query);
        assert_eq!(query.filter().status, Some(IllegalStatus::Court));
        assert_eq!(
            IllegalQuery {
                status: "nonsense".into(),
                ..IllegalQuery::default()
            }
            .filter()
            .status,
            None
        );
    }
}
