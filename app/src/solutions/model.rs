//! Challenges and solutions: what they are, how they are typed and checked, and what the
//! pages receive.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::geography::model::MunicipalityId;
use civic::comments::Comment;
use civic::subject::{Subject, SubjectKind};
use platform::error::{ErrorCode, FieldError, check_text};
use platform::ids::{DepartmentId, ThemeId};
use platform::sketch::{Sketch, SketchError};

platform::id_type!(
    /// A challenge: a known city problem open for solutions.
    ChallengeId
);

platform::id_type!(
    /// A citizen's solution to a challenge.
    SolutionId
);

/// The kind of subject a challenge's followers hang on.
pub const CHALLENGE: SubjectKind = SubjectKind::new("challenge");
/// The kind of subject a solution's supports, comments and followers hang on.
pub const SOLUTION: SubjectKind = SubjectKind::new("solution");

/// The notification a solution's followers get when its owner answers.
pub const ANSWERED: &str = "answered";
/// The notification a challenge's followers get when a solution is proposed to it.
pub const PROPOSED: &str = "proposed";

impl ChallengeId {
    /// The challenge as a subject.
    pub fn subject(self) -> Subject {
        Subject::new(CHALLENGE, self.0)
    }
}

impl SolutionId {
    /// The solution as a subject.
    pub fn subject(self) -> Subject {
        Subject::new(SOLUTION, self.0)
    }
}

/// Shortest and longest title.
pub const TITLE_LENGTH: (usize, usize) = (5, 200);
/// Shortest and longest description of a challenge or a solution.
pub const DESCRIPTION_LENGTH: (usize, usize) = (20, 8000);
/// Shortest and longest reason of an owner's answer.
pub const REASON_LENGTH: (usize, usize) = (5, 2000);
/// The longest period for proposals a challenge may set, in days from its publication.
pub const MAX_PROPOSAL_DAYS: i64 = 366;
/// Solutions per page of a challenge.
pub const SOLUTIONS_PER_PAGE: i64 = 20;

/// Where a solution stands: the owner's public answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SolutionStatus {
    /// Proposed, or taken up for consideration: no decision yet.
    UnderConsideration,
    /// The owner will carry it out.
    Accepted,
    /// Being carried out.
    InWork,
    /// Carried out.
    Implemented,
    /// The owner will not carry it out, and says why.
    Declined,
}

impl SolutionStatus {
    /// Every status, in the order of a solution's life.
    pub const ALL: [SolutionStatus; 5] = [
        SolutionStatus::UnderConsideration,
        SolutionStatus::Accepted,
        SolutionStatus::InWork,
        SolutionStatus::Implemented,
        SolutionStatus::Declined,
    ];

    /// As stored and in addresses.
    pub fn as_db(self) -> &'static str {
        match self {
            SolutionStatus::UnderConsideration => "under_consideration",
            SolutionStatus::Accepted => "accepted",
            SolutionStatus::InWork => "in_work",
            SolutionStatus::Implemented => "implemented",
            SolutionStatus::Declined => "declined",
        }
    }

    /// The status stored as `value`.
    pub fn from_db(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.as_db() == value)
    }
}

/// How a challenge's solutions are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum SolutionOrder {
    /// Most supported first (the newest first among equals).
    #[default]
    Supports,
    /// Newest first.
    Newest,
}

impl SolutionOrder {
    /// As in addresses (`?sort=`).
    pub fn as_str(self) -> &'static str {
        match self {
            SolutionOrder::Supports => "supports",
            SolutionOrder::Newest => "newest",
        }
    }

    /// The order named `name`; the default for anything else.
    pub fn parse(name: &str) -> Self {
        match name.trim() {
            "newest" => SolutionOrder::Newest,
            _ => SolutionOrder::Supports,
        }
    }
}

/// A challenge as lists show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChallengeSummary {
    /// Its id.
    pub id: ChallengeId,
    /// Title, as typed.
    pub title: String,
    /// The municipality; `None` for the whole region.
    pub municipality: Option<MunicipalityId>,
    /// Its theme.
    pub theme: ThemeId,
    /// The last day for proposals (region time).
    pub proposals_until: NaiveDate,
    /// How many solutions were proposed.
    pub solution_count: u32,
    /// Its place on the map, if it has one.
    pub area: Option<Sketch>,
    /// When it was published (UTC).
    pub created_at: NaiveDateTime,
}

/// A challenge's page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChallengeDetail {
    /// What lists show of it.
    pub summary: ChallengeSummary,
    /// The problem and what is asked for, as typed.
    pub description: String,
    /// The department that owns it; `None` when the moderators do.
    pub department: Option<DepartmentId>,
    /// One page of its solutions, in the order asked for.
    pub solutions: Vec<SolutionSummary>,
    /// The order of `solutions`.
    pub order: SolutionOrder,
    /// The status `solutions` are narrowed to, if any.
    pub status: Option<SolutionStatus>,
    /// The page shown, from 0.
    pub page: u32,
    /// Whether another page follows.
    pub has_more: bool,
    /// Whether solutions can still be proposed (today is not after its last day).
    pub open: bool,
    /// Whether the reader is signed in (may support).
    pub signed_in: bool,
    /// Whether the reader may propose one (signed in, and it is open).
    pub may_propose: bool,
    /// Whether the reader answers its solutions (its department's official, a moderator).
    pub owner: bool,
    /// How many people follow it (are told of each new solution).
    pub followers: u64,
    /// Whether the reader follows it.
    pub following: bool,
    /// Why the moderators hid it, for its author (nobody else but moderators sees it).
    pub hidden_reason: Option<String>,
}

/// A solution as lists show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SolutionSummary {
    /// Its id.
    pub id: SolutionId,
    /// The challenge it answers.
    pub challenge: ChallengeId,
    /// Title, as typed.
    pub title: String,
    /// The owner's answer.
    pub status: SolutionStatus,
    /// Its sketch, if drawn.
    pub sketch: Option<Sketch>,
    /// How many people support it.
    pub supports: u32,
    /// How many comments it has.
    pub comments: u32,
    /// Whether the reader supports it.
    pub supported: bool,
    /// The author's display name.
    pub author_name: String,
    /// When it was proposed (UTC).
    pub created_at: NaiveDateTime,
}

/// A solution's page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SolutionDetail {
    /// What lists show of it.
    pub summary: SolutionSummary,
    /// The solution, as typed.
    pub description: String,
    /// The challenge's title.
    pub challenge_title: String,
    /// The challenge's area, drawn under the sketch.
    pub challenge_area: Option<Sketch>,
    /// The owner's reason for the status; empty before the first answer.
    pub status_reason: String,
    /// When the owner last answered (UTC).
    pub answered_at: Option<NaiveDateTime>,
    /// Its photos.
    pub photos: Vec<crate::photos::Photo>,
    /// The discussion.
    pub comments: Vec<Comment>,
    /// Whether the reader is signed in (may support, comment and report).
    pub signed_in: bool,
    /// Whether the reader answers it (the challenge's owner).
    pub owner: bool,
    /// Whether the reader moderates comments.
    pub moderator: bool,
    /// Why the moderators hid it, for its author (nobody else but moderators sees it).
    pub hidden_reason: Option<String>,
    /// Whether the reader proposed it.
    pub mine: bool,
}

/// A challenge as an official or a moderator types it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChallengeInput {
    /// The municipality's id; empty for the whole region.
    pub municipality: String,
    /// The theme's id.
    pub theme: String,
    /// The owning department's id; empty for the moderators.
    pub department: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Its place: a GeoJSON geometry; empty for none.
    pub area: String,
    /// The last day for proposals, `YYYY-MM-DD`.
    pub proposals_until: String,
}

/// A challenge that passed validation.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidChallenge {
    /// The municipality; `None` for the region.
    pub municipality: Option<MunicipalityId>,
    /// The theme.
    pub theme: ThemeId,
    /// The owning department; `None` for the moderators.
    pub department: Option<DepartmentId>,
    /// Title, trimmed.
    pub title: String,
    /// Description, trimmed.
    pub description: String,
    /// Its place, if any.
    pub area: Option<Sketch>,
    /// The last day for proposals.
    pub proposals_until: NaiveDate,
}

/// Reads an optional id typed into `field`, refusing it with `unknown`.
fn optional_id<T: std::str::FromStr>(
    field: &str,
    text: &str,
    unknown: ErrorCode,
    errors: &mut Vec<FieldError>,
) -> Option<T> {
    match text.trim() {
        "" => None,
        text => {
            let parsed = text.parse().ok();
            if parsed.is_none() {
                errors.push(FieldError::new(field, unknown));
            }
            parsed
        }
    }
}

/// Reads an optional sketch typed or drawn into `field`.
fn optional_sketch(field: &str, text: &str, errors: &mut Vec<FieldError>) -> Option<Sketch> {
    if text.trim().is_empty() {
        return None;
    }
    match Sketch::parse(text) {
        Ok(sketch) => Some(sketch),
        Err(error) => {
            errors.push(FieldError::new(field, SketchError::code(error)));
            None
        }
    }
}

impl ChallengeInput {
    /// Validates every field against `today` (region time): the period must not have
    /// ended and may be at most [`MAX_PROPOSAL_DAYS`] long.
    pub fn validate(&self, today: NaiveDate) -> Result<ValidChallenge, Vec<FieldError>> {
        let mut errors = Vec::new();
        let municipality = optional_id(
            "municipality",
            &self.municipality,
            ErrorCode::UnknownMunicipality,
            &mut errors,
        );
        let department = optional_id(
            "department",
            &self.department,
            ErrorCode::UnknownDepartment,
            &mut errors,
        );
        let theme = self.theme.trim().parse::<ThemeId>().ok();
        if theme.is_none() {
            errors.push(FieldError::new("theme", ErrorCode::UnknownTheme));
        }
        let (title, description) = (self.title.trim(), self.description.trim());
        check_text("title", title, TITLE_LENGTH.0, TITLE_LENGTH.1, &mut errors);
        let (min, max) = DESCRIPTION_LENGTH;
        check_text("description", description, min, max, &mut errors);
        let area = optional_sketch("area", &self.area, &mut errors);
        let until = NaiveDate::parse_from_str(self.proposals_until.trim(), "%Y-%m-%d").ok();
        match until {
            None if self.proposals_until.trim().is_empty() => {
                errors.push(FieldError::new("proposals_until", ErrorCode::Required));
            }
            None => errors.push(FieldError::new("proposals_until", ErrorCode::Malformed)),
            Some(day) if day < today => {
                errors.push(FieldError::new("proposals_until", ErrorCode::DateInPast));
            }
            Some(day) if (day - today).num_days() > MAX_PROPOSAL_DAYS => {
                errors.push(FieldError::new(
                    "proposals_until",
                    ErrorCode::OutOfRange {
                        min: 0,
                        max: MAX_PROPOSAL_DAYS,
                    },
                ));
            }
            Some(_) => {}
        }
        match (theme, until) {
            (Some(theme), Some(proposals_until)) if errors.is_empty() => Ok(ValidChallenge {
                municipality,
                theme,
                department,
                title: title.to_string(),
                description: description.to_string(),
                area,
                proposals_until,
            }),
            _ => Err(errors),
        }
    }
}

/// A solution as its author types and draws it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SolutionInput {
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Its sketch: a GeoJSON geometry; empty for none.
    pub sketch: String,
    /// Staging handles of uploaded photos, comma-separated.
    #[serde(default)]
    pub photos: String,
}

/// A solution that passed validation.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidSolution {
    /// Title, trimmed.
    pub title: String,
    /// Description, trimmed.
    pub description: String,
    /// Its sketch, if drawn.
    pub sketch: Option<Sketch>,
    /// Staging handles of the photos to attach.
    pub photo_tokens: Vec<String>,
}

impl SolutionInput {
    /// Validates every field.
    pub fn validate(&self) -> Result<ValidSolution, Vec<FieldError>> {
        let mut errors = Vec::new();
        let (title, description) = (self.title.trim(), self.description.trim());
        check_text("title", title, TITLE_LENGTH.0, TITLE_LENGTH.1, &mut errors);
        let (min, max) = DESCRIPTION_LENGTH;
        check_text("description", description, min, max, &mut errors);
        let sketch = optional_sketch("sketch", &self.sketch, &mut errors);
        let photo_tokens = crate::photos::parse_tokens(&self.photos).unwrap_or_else(|code| {
            errors.push(FieldError::new("photos", code));
            Vec::new()
        });
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ValidSolution {
            title: title.to_string(),
            description: description.to_string(),
            sketch,
            photo_tokens,
        })
    }
}

/// An owner's answer: the new status and its public reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The status given.
    pub status: SolutionStatus,
    /// Why, trimmed.
    pub reason: String,
}

impl Answer {
    /// The answer typed as a status name and a reason (both required).
    pub fn parse(status: &str, reason: &str) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let status = SolutionStatus::from_db(status.trim());
        if status.is_none() {
            errors.push(FieldError::new("status", ErrorCode::NotAllowed));
        }
        let reason = reason.trim();
        check_text(
            "reason",
            reason,
            REASON_LENGTH.0,
            REASON_LENGTH.1,
            &mut errors,
        );
        match status {
            Some(status) if errors.is_empty() => Ok(Self {
                status,
                reason: reason.to_string(),
            }),
            _ => Err(errors),
        }
    }
}

/// The challenges' list: its filters and one page of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChallengeList {
    /// The challenges, newest first.
    pub challenges: Vec<ChallengeSummary>,
    /// Whether the reader may publish challenges (an official or a moderator).
    pub may_publish: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 6).expect("a date")
    }

    fn challenge() -> ChallengeInput {
        ChallengeInput {
            municipality: "1".into(),
            theme: "2".into(),
            department: String::new(),
            title: "Маршрут до нового микрорайона".into(),
            description: "Жители нового микрорайона ездят до центра с двумя пересадками.".into(),
            area: String::new(),
            proposals_until: "2027-01-31".into(),
        }
    }

    #[test]
    fn a_challenge_is_read_with_its_period() {
        let valid = challenge().validate(today()).expect("valid");
        assert_eq!(valid.municipality, Some(MunicipalityId(1)));
        assert_eq!(
            valid.proposals_until,
            NaiveDate::from_ymd_opt(2027, 1, 31).expect("a date")
        );
        assert_eq!(valid.area, None);
    }

    #[test]
    fn a_challenge_names_each_refused_field() {
        let input = ChallengeInput {
            municipality: "x".into(),
            theme: String::new(),
            title: "abc".into(),
            description: String::new(),
            area: r#"{"type":"Point","coordinates":[37.6,55.75]}"#.into(),
            proposals_until: "2026-12-01".into(),
            ..challenge()
        };
        let errors = input.validate(today()).expect_err("refused");
        let codes: Vec<(&str, ErrorCode)> =
            errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            codes,
            vec![
                ("municipality", ErrorCode::UnknownMunicipality),
                ("theme", ErrorCode::UnknownTheme),
                ("title", ErrorCode::TooShort { min: 5 }),
                ("description", ErrorCode::Required),
                ("area", ErrorCode::OutsideRegion),
                ("proposals_until", ErrorCode::DateInPast),
            ]
        );
        let far = ChallengeInput {
            proposals_until: "2028-01-01".into(),
            ..challenge()
        };
        assert_eq!(
            far.validate(today())
                .expect_err("too long")
                .first()
                .map(|e| e.code),
            Some(ErrorCode::OutOfRange {
                min: 0,
                max: MAX_PROPOSAL_DAYS
            })
        );
    }

    #[test]
    fn a_solution_keeps_its_sketch_and_refuses_a_crossed_zone() {
        let route = SolutionInput {
            title: "Автобус №7 через Восточный".into(),
            description: "Продлить маршрут №7 на три остановки до микрорайона.".into(),
            sketch: r#"{"type":"LineString","coordinates":[[38.97,45.04],[38.99,45.05]]}"#.into(),
            photos: String::new(),
        };
        let valid = route.validate().expect("valid");
        assert_eq!(valid.sketch.map(|s| s.vertices().len()), Some(2));
        let crossed = SolutionInput {
            sketch: r#"{"type":"Polygon","coordinates":[[[39.0,45.0],[39.1,45.1],[39.0,45.1],[39.1,45.0],[39.0,45.0]]]}"#.into(),
            ..route
        };
        assert_eq!(
            crossed.validate(),
            Err(vec![FieldError::new("sketch", ErrorCode::SelfIntersecting)])
        );
    }

    #[test]
    fn an_answer_needs_a_known_status_and_a_reason() {
        assert_eq!(
            Answer::parse("accepted", "  Включим в план на 2027 год. "),
            Ok(Answer {
                status: SolutionStatus::Accepted,
                reason: "Включим в план на 2027 год.".into()
            })
        );
        assert_eq!(
            Answer::parse("maybe", ""),
            Err(vec![
                FieldError::new("status", ErrorCode::NotAllowed),
                FieldError::new("reason", ErrorCode::Required),
            ])
        );
        for status in SolutionStatus::ALL {
            assert_eq!(SolutionStatus::from_db(status.as_db()), Some(status));
        }
    }
}
