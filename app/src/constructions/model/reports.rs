//! Citizens' reports about constructions: their kinds, statuses and steps (the state
//! machine), the report and verification forms with their validation, and what the report
//! pages and the analytics show.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::*;
use platform::days::DayRange;
use platform::error::{AppError, ErrorCode, FieldError};
use platform::query::query_string;

/// What a citizen reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    /// Something is being built that the registry does not list.
    NotInRegistry,
    /// A registered construction differs from its permit.
    DiffersFromPermit,
}

/// In what a construction differs from its permit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DiffAspect {
    /// More (or fewer) floors than permitted.
    Floors,
    /// Outside the approved footprint.
    Footprint,
    /// Used for something else than permitted.
    Use,
    /// Built somewhere else than permitted.
    Location,
}

/// Where a citizen's report stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportStatus {
    /// Sent by the citizen; not yet taken up.
    Submitted,
    /// The supervision department is checking it.
    UnderVerification,
    /// The inspection found a violation.
    ViolationConfirmed,
    /// The inspection found no violation.
    NotConfirmed,
    /// Measures were taken against a confirmed violation.
    MeasuresTaken,
}

/// A step in a report's life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportAction {
    /// The department takes the report up for verification.
    StartVerification,
    /// The inspection confirmed a violation (findings published).
    ConfirmViolation,
    /// The inspection found no violation (findings published).
    Dismiss,
    /// Measures were taken (order, fine, court, demolition).
    TakeMeasures,
}

impl ReportStatus {
    /// The status after `action`, or why the action is not possible now.
    pub fn after(self, action: ReportAction) -> Result<ReportStatus, AppError> {
        use ReportAction as A;
        use ReportStatus as S;
        let next = match (self, action) {
            (S::Submitted, A::StartVerification) => Some(S::UnderVerification),
            (S::UnderVerification, A::ConfirmViolation) => Some(S::ViolationConfirmed),
            (S::UnderVerification, A::Dismiss) => Some(S::NotConfirmed),
            (S::ViolationConfirmed, A::TakeMeasures) => Some(S::MeasuresTaken),
            _ => None,
        };
        next.ok_or(AppError::IllegalTransition {
            status: self.as_db().to_string(),
            action: action.as_db().to_string(),
        })
    }
}

impl ReportKind {
    /// Both kinds.
    pub const ALL: [ReportKind; 2] = [Self::NotInRegistry, Self::DiffersFromPermit];

    /// The value stored in `construction_reports.kind`.
    pub fn as_db(self) -> &'static str {
        match self {
            Self::NotInRegistry => "not_in_registry",
            Self::DiffersFromPermit => "differs_from_permit",
        }
    }

    /// The kind stored as `value`.
    pub fn from_db(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_db() == value)
    }
}

impl DiffAspect {
    /// Every aspect.
    pub const ALL: [DiffAspect; 4] = [Self::Floors, Self::Footprint, Self::Use, Self::Location];

    /// The value stored in `construction_reports.aspect`.
    pub fn as_db(self) -> &'static str {
        match self {
            Self::Floors => "floors",
            Self::Footprint => "footprint",
            Self::Use => "use",
            Self::Location => "location",
        }
    }

    /// The aspect stored as `value`.
    pub fn from_db(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|aspect| aspect.as_db() == value)
    }
}

impl ReportStatus {
    /// Every status, in life order.
    pub const ALL: [ReportStatus; 5] = [
        Self::Submitted,
        Self::UnderVerification,
        Self::ViolationConfirmed,
        Self::NotConfirmed,
        Self::MeasuresTaken,
    ];

    /// The value stored in `construction_reports.status`.
    pub fn as_db(self) -> &'static str {
        match self {
            Self::Submitted => "submitted",
            Self::UnderVerification => "under_verification",
            Self::ViolationConfirmed => "violation_confirmed",
            Self::NotConfirmed => "not_confirmed",
            Self::MeasuresTaken => "measures_taken",
        }
    }

    /// The status stored as `value`.
    pub fn from_db(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.as_db() == value)
    }

    /// The statuses of a report whose inspection found a violation (measures may since
    /// have been taken): what the analytics and the dashboard count as confirmed.
    pub const VIOLATIONS: [ReportStatus; 2] = [Self::ViolationConfirmed, Self::MeasuresTaken];

    /// Whether an inspection found a violation (counted in the analytics).
    pub fn is_violation(self) -> bool {
        Self::VIOLATIONS.contains(&self)
    }

    /// Whether the verification result is published (an inspection took place).
    pub fn has_result(self) -> bool {
        matches!(
            self,
            Self::ViolationConfirmed | Self::NotConfirmed | Self::MeasuresTaken
        )
    }
}

impl ReportAction {
    /// Every action.
    pub const ALL: [ReportAction; 4] = [
        Self::StartVerification,
        Self::ConfirmViolation,
        Self::Dismiss,
        Self::TakeMeasures,
    ];

    /// The stable name of the action (forms, error payloads).
    pub fn as_db(self) -> &'static str {
        match self {
            Self::StartVerification => "start_verification",
            Self::ConfirmViolation => "confirm_violation",
            Self::Dismiss => "dismiss",
            Self::TakeMeasures => "take_measures",
        }
    }

    /// The action named `value`.
    pub fn from_db(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|action| action.as_db() == value)
    }

    /// Whether the step publishes an inspection result (date and findings required).
    pub fn is_verdict(self) -> bool {
        matches!(self, Self::ConfirmViolation | Self::Dismiss)
    }
}

/// A citizen's report as typed in the form.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReportInput {
    /// `not_in_registry` or `differs_from_permit`.
    pub kind: String,
    /// For `differs_from_permit`: the registry entry's id.
    pub construction_id: String,
    /// For `differs_from_permit`: floors, footprint, use or location.
    pub aspect: String,
    /// Latitude (for `not_in_registry`; the entry's point otherwise).
    pub lat: String,
    /// Longitude.
    pub lon: String,
    /// Address text (optional).
    pub address: String,
    /// What the citizen saw.
    pub description: String,
    /// Staging handles of uploaded photos, comma-separated.
    pub photos: String,
}

/// A report that passed validation.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidReport {
    /// What is reported.
    pub kind: ReportKind,
    /// The registry entry (differs_from_permit).
    pub construction_id: Option<ConstructionId>,
    /// The aspect (differs_from_permit).
    pub aspect: Option<DiffAspect>,
    /// The point (not_in_registry); the entry's point is used otherwise.
    pub point: Option<LatLon>,
    /// Address text.
    pub address: String,
    /// Description.
    pub description: String,
    /// Photo staging handles.
    pub photo_tokens: Vec<String>,
}

impl ReportInput {
    /// Checks every field and reports all refusals at once.
    pub fn validate(&self) -> Result<ValidReport, Vec<FieldError>> {
        let mut errors = Vec::new();
        let kind = ReportKind::from_db(self.kind.trim());
        if kind.is_none() {
            errors.push(FieldError::new("kind", ErrorCode::Required));
        }
        let (mut construction_id, mut aspect, mut point) = (None, None, None);
        match kind {
            Some(ReportKind::DiffersFromPermit) => {
                construction_id = self.construction_id.trim().parse::<ConstructionId>().ok();
                if construction_id.is_none() {
                    errors.push(FieldError::new("construction_id", ErrorCode::Required));
                }
                aspect = DiffAspect::from_db(self.aspect.trim());
                if aspect.is_none() {
                    errors.push(FieldError::new("aspect", ErrorCode::Required));
                }
            }
            Some(ReportKind::NotInRegistry) => {
                point = parse_point(&self.lat, &self.lon, &mut errors);
            }
            None => {}
        }
        let address = self.address.trim().to_string();
        if address.chars().count() > NAME_MAX {
            errors.push(FieldError::new(
                "address",
                ErrorCode::TooLong {
                    max: NAME_MAX as u32,
                },
            ));
        }
        let description = self.description.trim().to_string();
        let length = description.chars().count();
        if length == 0 {
            errors.push(FieldError::new("description", ErrorCode::Required));
        } else if length < 10 {
            errors.push(FieldError::new(
                "description",
                ErrorCode::TooShort { min: 10 },
            ));
        } else if length > REPORT_TEXT_MAX {
            errors.push(FieldError::new(
                "description",
                ErrorCode::TooLong {
                    max: REPORT_TEXT_MAX as u32,
                },
            ));
        }
        let photo_tokens = crate::photos::parse_tokens(&self.photos).unwrap_or_else(|code| {
            errors.push(FieldError::new("photos", code));
            Vec::new()
        });
        match kind {
            Some(kind) if errors.is_empty() => Ok(ValidReport {
                kind,
                construction_id,
                aspect,
                point,
                address,
                description,
                photo_tokens,
            }),
            _ => Err(errors),
        }
    }
}

/// The particulars of a verification step as typed in its form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct VerificationInput {
    /// Inspection date, `YYYY-MM-DD`.
    pub verified_on: String,
    /// Findings or measures text.
    pub text: String,
    /// Staging handles of the inspection's photos, comma-separated.
    pub photos: String,
    /// Handle of the uploaded inspection act (PDF), if any.
    pub act: String,
}

/// A verification step that passed validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidVerification {
    /// Inspection date (verdicts only).
    pub verified_on: Option<NaiveDate>,
    /// Findings or measures (empty for starting the verification).
    pub text: String,
    /// Photo handles (verdicts only).
    pub photo_tokens: Vec<String>,
    /// Act handle (verdicts only).
    pub act: Option<String>,
}

impl VerificationInput {
    /// Checks what `action` needs: a verdict needs the inspection date (not in the future)
    /// and findings; measures need a text.
    pub fn validate(
        &self,
        action: ReportAction,
        today: NaiveDate,
    ) -> Result<ValidVerification, Vec<FieldError>> {
        let mut errors = Vec::new();
        let text = self.text.trim().to_string();
        let needs_text = action != ReportAction::StartVerification;
        if needs_text {
            let length = text.chars().count();
            if length == 0 {
                errors.push(FieldError::new("text", ErrorCode::Required));
            } else if length > REPORT_TEXT_MAX {
                errors.push(FieldError::new(
                    "text",
                    ErrorCode::TooLong {
                        max: REPORT_TEXT_MAX as u32,
                    },
                ));
            }
        }
        let mut verified_on = None;
        if action.is_verdict() {
            verified_on = parse_date_field("verified_on", &self.verified_on, &mut errors);
            match verified_on {
                None if self.verified_on.trim().is_empty() => {
                    errors.push(FieldError::new("verified_on", ErrorCode::Required));
                }
                Some(date) if date > today => {
                    errors.push(FieldError::new("verified_on", ErrorCode::NotAllowed));
                }
                _ => {}
            }
        }
        let photo_tokens = if action.is_verdict() {
            crate::photos::parse_tokens(&self.photos).unwrap_or_else(|code| {
                errors.push(FieldError::new("photos", code));
                Vec::new()
            })
        } else {
            Vec::new()
        };
        let act = match self.act.trim() {
            "" => None,
            handle if action.is_verdict() && crate::photos::is_token(handle) => {
                Some(handle.to_string())
            }
            _ => {
                errors.push(FieldError::new("act", ErrorCode::ActMissing));
                None
            }
        };
        if errors.is_empty() {
            Ok(ValidVerification {
                verified_on,
                text: if needs_text { text } else { String::new() },
                photo_tokens,
                act,
            })
        } else {
            Err(errors)
        }
    }
}

/// Which reports a list shows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReportFilter {
    /// Only this municipality.
    pub municipality_id: Option<MunicipalityId>,
    /// Only this status.
    pub status: Option<ReportStatus>,
    /// Only this department's.
    pub department_id: Option<DepartmentId>,
    /// Only this reporter's.
    pub author_id: Option<UserId>,
    /// Only those submitted in these days.
    pub submitted: DayRange,
    /// Only confirmed violations ([`ReportStatus::VIOLATIONS`]).
    pub violations: bool,
}

/// The public list's filters as they appear in the URL's query string (the list page, its
/// data and its downloads read the same one). Unknown or malformed values are ignored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReportQuery {
    /// Status name.
    pub status: String,
    /// "1" for confirmed violations only, whatever came after the confirmation.
    pub violations: String,
    /// Municipality id.
    pub municipality: String,
    /// First day submitted, `YYYY-MM-DD`.
    pub from: String,
    /// Last day submitted, `YYYY-MM-DD`.
    pub to: String,
    /// Page number, from 1.
    pub page: String,
}

impl ReportQuery {
    /// The filter it names.
    pub fn filter(&self) -> ReportFilter {
        ReportFilter {
            status: ReportStatus::from_db(self.status.trim()),
            municipality_id: self.municipality.trim().parse().ok(),
            submitted: DayRange::from_query(&self.from, &self.to),
            violations: self.violations.trim() == "1",
            ..ReportFilter::default()
        }
    }

    /// The page asked for, from 1.
    pub fn page(&self) -> u32 {
        self.page.trim().parse().unwrap_or(1).max(1)
    }

    /// The query string of `page` of this list (see [`query_string`]).
    pub fn to_query_string(&self, page: u32) -> String {
        let page = page.to_string();
        let pairs = [
            ("status", self.status.as_str()),
            ("violations", self.violations.as_str()),
            ("municipality", self.municipality.as_str()),
            ("from", self.from.as_str()),
            ("to", self.to.as_str()),
            ("page", if page == "1" { "" } else { page.as_str() }),
        ];
        query_string(pairs)
    }
}

/// A report as lists show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportSummary {
    /// Its number.
    pub id: ConstructionReportId,
    /// What is reported.
    pub kind: ReportKind,
    /// The aspect, for differs_from_permit.
    pub aspect: Option<DiffAspect>,
    /// The registry entry, if any: id and registry number.
    pub construction: Option<(ConstructionId, String)>,
    /// Where.
    pub point: LatLon,
    /// Municipality.
    pub municipality_id: MunicipalityId,
    /// Address text.
    pub address: String,
    /// Status.
    pub status: ReportStatus,
    /// The first 200 characters of the description.
    pub excerpt: String,
    /// When it was submitted.
    pub created_at: NaiveDateTime,
    /// Inspection date, once verified.
    pub verified_on: Option<NaiveDate>,
    /// The first 300 characters of the published findings, once verified.
    pub findings: Option<String>,
}

/// A step of a report's public history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportEvent {
    /// The status entered.
    pub status: ReportStatus,
    /// Who made the step.
    pub actor_name: Option<String>,
    /// Findings or measures text.
    pub body: Option<String>,
    /// When.
    pub at: NaiveDateTime,
}

/// A report's page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportDetail {
    /// The summary.
    pub summary: ReportSummary,
    /// The full description.
    pub description: String,
    /// The reporter's display name.
    pub author_name: String,
    /// The department verifying it.
    pub department_id: DepartmentId,
    /// The published inspection findings.
    pub findings: Option<String>,
    /// The published measures.
    pub measures: Option<String>,
    /// URL of the inspection act (PDF), if attached.
    pub act_url: Option<String>,
    /// The reporter's photos.
    pub photos: Vec<crate::photos::Photo>,
    /// The inspection's photos.
    pub verification_photos: Vec<crate::photos::Photo>,
    /// The public history, oldest first.
    pub events: Vec<ReportEvent>,
    /// The entry of the registry of illegal constructions that the confirmed report made:
    /// its id and registry number.
    pub illegal_entry: Option<(super::super::model::IllegalConstructionId, String)>,
    /// The steps the viewer may take now.
    pub actions: Vec<ReportAction>,
    /// Whether the viewer is the reporter.
    pub is_author: bool,
}

/// The reporter of a report, for authorisation checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportParties {
    /// The reporter.
    pub author_id: UserId,
    /// The verifying department.
    pub department_id: DepartmentId,
}

/// Which reports the analytics count.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnalyticsFilter {
    /// Only this municipality.
    pub municipality_id: Option<MunicipalityId>,
}

/// One group of the analytics: reports and confirmed violations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountRow {
    /// The group: a municipality id, a status key or a month `YYYY-MM`.
    pub key: String,
    /// Reports filed.
    pub reports: u64,
    /// Of those, confirmed violations.
    pub violations: u64,
}

/// The side, in degrees, of the density layer's cells (about 5.5 km north-south): fine
/// enough to tell a town's districts apart, coarse enough that a cell of one report
/// does not point at a single house.
pub const DENSITY_CELL_DEGREES: f64 = 0.05;

/// The illegal-construction analytics of the last twelve months.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Analytics {
    /// The first day counted.
    pub first_month: NaiveDate,
    /// By municipality id.
    pub by_municipality: Vec<CountRow>,
    /// By report status.
    pub by_status: Vec<CountRow>,
    /// By month of filing.
    pub by_month: Vec<CountRow>,
    /// Report points grouped into cells of `DENSITY_CELL_DEGREES`, for the density layer.
    pub density: Vec<platform::geo::MapCluster>,
    /// The registry of illegal constructions over the same months.
    pub illegal: IllegalAnalytics,
}

/// The registry of illegal constructions in the analytics: the entries identified in the
/// period, grouped as the reports are (`CountRow::reports` counts the entries,
/// `CountRow::violations` those with a decision), how long decisions took, and where the
/// entries are.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct IllegalAnalytics {
    /// By municipality id.
    pub by_municipality: Vec<CountRow>,
    /// By status now.
    pub by_status: Vec<CountRow>,
    /// By month of identification.
    pub by_month: Vec<CountRow>,
    /// Days from detection to the first decision, of the entries decided.
    pub days_to_decision: DecisionTimes,
    /// Entry points grouped into cells of `DENSITY_CELL_DEGREES`.
    pub density: Vec<platform::geo::MapCluster>,
}

/// How long decisions took, in whole days.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct DecisionTimes {
    /// How many entries have a decision.
    pub decided: u64,
    /// The median, when any has.
    pub median: Option<f64>,
    /// The mean, when any has.
    pub mean: Option<f64>,
}

impl DecisionTimes {
    /// The figures of `days` (each entry's days to its decision, in any order).
    pub fn of(mut days: Vec<i64>) -> Self {
        if days.is_empty() {
            return Self::default();
        }
        days.sort_unstable();
        let count = days.len();
        let middle = count / 2;
        let median = if count % 2 == 1 {
            days[middle] as f64
        } else {
            (days[middle - 1] + days[middle]) as f64 / 2.0
        };
        let mean = days.iter().sum::<i64>() as f64 / count as f64;
        Self {
            decided: count as u64,
            median: Some(median),
            mean: Some(mean),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decision_times_take_the_middle_of_an_odd_or_even_count() {
        assert_eq!(DecisionTimes::of(Vec::new()), DecisionTimes::default());
        let odd = DecisionTimes::of(vec![40, 10, 100]);
        assert_eq!(
            (odd.decided, odd.median, odd.mean),
            (3, Some(40.0), Some(50.0))
        );
        let even = DecisionTimes::of(vec![7, 3, 10, 1]);
        assert_eq!(
            (even.decided, even.median, even.mean),
            (4, Some(5.0), Some(5.25))
        );
    }
}
