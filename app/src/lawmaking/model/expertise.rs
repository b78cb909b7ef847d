//! The expertise of a draft and the government's reaction: experts' conclusions on the
//! version under expertise, their remarks tied to articles with the editor's disposition
//! of each, the rule that closes the stage, and the act that ends an adopted initiative.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::Stage;
use super::drafting::{Disposition, LABEL_MAX};
use crate::auth::model::{SubjectViewer, UserId};
use crate::organisation::model::DepartmentId;
use platform::error::{AppError, ErrorCode, FieldError, check_text};
use platform::id_type;

id_type!(
    /// An expert's remark on one article.
    RemarkId
);

id_type!(
    /// An expert's published conclusion.
    ConclusionId
);

/// Days the responsible body has to react once the expertise is closed.
pub const REACTION_DAYS: u64 = 30;
/// Days before the reaction's deadline the body is reminded.
pub const REACTION_REMINDER_DAYS: i64 = 5;
/// The most characters of a conclusion's text.
pub const CONCLUSION_MAX: usize = 20_000;
/// The most characters of one remark.
pub const REMARK_MAX: usize = 4000;
/// The most remarks one conclusion holds.
pub const MAX_REMARKS: usize = 200;
/// The most characters of an act's number.
pub const ACT_NUMBER_MAX: usize = 64;
/// The most characters of an act's link.
pub const ACT_URL_MAX: usize = 500;

/// What an expert concludes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The draft may be adopted as it is.
    Support,
    /// The draft may be adopted once the remarks are dealt with.
    SupportWithRemarks,
    /// The draft should not be adopted.
    Reject,
}

impl Verdict {
    /// Every verdict.
    pub const ALL: [Verdict; 3] = [Self::Support, Self::SupportWithRemarks, Self::Reject];

    /// The stored name.
    pub fn as_db(self) -> &'static str {
        match self {
            Self::Support => "support",
            Self::SupportWithRemarks => "support_with_remarks",
            Self::Reject => "reject",
        }
    }

    /// The verdict named `value`.
    pub fn from_db(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|item| item.as_db() == value)
    }
}

/// What a remark is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RemarkCategory {
    /// Wording that opens the way to corruption.
    Corruption,
    /// A conflict with federal or regional law of higher force.
    HigherLaw,
    /// Legal technique: definitions, references, structure.
    LegalTechnique,
    /// An impact on the budget.
    Budget,
    /// An impact on businesses and citizens (regulatory impact).
    Regulatory,
    /// Anything else.
    Other,
}

impl RemarkCategory {
    /// Every category.
    pub const ALL: [RemarkCategory; 6] = [
        Self::Corruption,
        Self::HigherLaw,
        Self::LegalTechnique,
        Self::Budget,
        Self::Regulatory,
        Self::Other,
    ];

    /// The stored name.
    pub fn as_db(self) -> &'static str {
        match self {
            Self::Corruption => "corruption",
            Self::HigherLaw => "higher_law",
            Self::LegalTechnique => "legal_technique",
            Self::Budget => "budget",
            Self::Regulatory => "regulatory",
            Self::Other => "other",
        }
    }

    /// The category named `value`.
    pub fn from_db(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|item| item.as_db() == value)
    }
}

/// Where a remark stands: waiting for the editor, or decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RemarkStatus {
    /// No disposition yet: the expertise cannot close.
    Open,
    /// The editor's disposition.
    Decided(Disposition),
}

impl RemarkStatus {
    /// The value stored in `initiative_remarks.status`.
    pub fn as_db(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Decided(disposition) => disposition.as_db(),
        }
    }

    /// The status stored as `value`.
    pub fn from_db(value: &str) -> Option<Self> {
        match value {
            "open" => Some(Self::Open),
            other => Disposition::from_db(other).map(Self::Decided),
        }
    }
}

/// One remark as typed in the conclusion's form; a row left wholly empty is skipped.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RemarkInput {
    /// The article's number in the version under expertise.
    pub article: String,
    /// A category's name.
    pub category: String,
    /// The remark.
    pub text: String,
}

impl RemarkInput {
    fn is_blank(&self) -> bool {
        self.article.trim().is_empty() && self.text.trim().is_empty()
    }
}

/// A conclusion as typed by its expert.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ConclusionInput {
    /// A verdict's name.
    pub verdict: String,
    /// The conclusion's text.
    pub text: String,
    /// The remarks, in the order typed.
    pub remarks: Vec<RemarkInput>,
}

/// A remark that passed the checks that need no database (the article is checked
/// against the version under expertise by the server).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidRemark {
    /// Its row in the form, which a refusal names.
    pub row: usize,
    /// The article's number.
    pub article: String,
    /// Its category.
    pub category: RemarkCategory,
    /// Trimmed text.
    pub text: String,
}

/// A conclusion that passed validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidConclusion {
    /// The verdict.
    pub verdict: Verdict,
    /// Trimmed text.
    pub text: String,
    /// The remarks, blank rows left out.
    pub remarks: Vec<ValidRemark>,
}

/// The form field of remark `index`'s `part` (`article`, `category`, `text`), as the
/// form names it and its refusals point at it.
pub fn remark_field(index: usize, part: &str) -> String {
    format!("remarks.{index}.{part}")
}

impl ConclusionInput {
    /// Checks every field and reports all refusals at once. "Support with remarks" needs
    /// at least one remark.
    pub fn validate(&self) -> Result<ValidConclusion, AppError> {
        let mut errors = Vec::new();
        let verdict = Verdict::from_db(self.verdict.trim());
        if verdict.is_none() {
            errors.push(FieldError::new("verdict", ErrorCode::Required));
        }
        check_text("text", &self.text, 10, CONCLUSION_MAX, &mut errors);
        let typed: Vec<(usize, &RemarkInput)> = self
            .remarks
            .iter()
            .enumerate()
            .filter(|(_, remark)| !remark.is_blank())
            .collect();
        if typed.len() > MAX_REMARKS {
            errors.push(FieldError::new(
                "remarks",
                ErrorCode::OutOfRange {
                    min: 0,
                    max: MAX_REMARKS as i64,
                },
            ));
        }
        let mut remarks = Vec::with_capacity(typed.len());
        for (index, remark) in typed {
            let article = remark.article.trim();
            if article.is_empty() || article.chars().count() > LABEL_MAX {
                errors.push(FieldError::new(
                    remark_field(index, "article"),
                    ErrorCode::Required,
                ));
            }
            let category = RemarkCategory::from_db(remark.category.trim());
            if category.is_none() {
                errors.push(FieldError::new(
                    remark_field(index, "category"),
                    ErrorCode::Required,
                ));
            }
            check_text(
                &remark_field(index, "text"),
                &remark.text,
                1,
                REMARK_MAX,
                &mut errors,
            );
            if let Some(category) = category {
                remarks.push(ValidRemark {
                    row: index,
                    article: article.to_string(),
                    category,
                    text: remark.text.trim().to_string(),
                });
            }
        }
        if verdict == Some(Verdict::SupportWithRemarks) && remarks.is_empty() && errors.is_empty() {
            errors.push(FieldError::new("remarks", ErrorCode::Required));
        }
        match verdict {
            Some(verdict) if errors.is_empty() => Ok(ValidConclusion {
                verdict,
                text: self.text.trim().to_string(),
                remarks,
            }),
            _ => Err(AppError::Invalid { errors }),
        }
    }
}

/// Why the expertise cannot close yet, if it cannot: no conclusion on the version under
/// expertise, or remarks still without a disposition.
pub fn closing_refusal(conclusions: u32, open_remarks: u32) -> Option<ErrorCode> {
    if conclusions == 0 {
        Some(ErrorCode::NoConclusion)
    } else if open_remarks > 0 {
        Some(ErrorCode::RemarksOpen {
            count: open_remarks,
        })
    } else {
        None
    }
}

/// The act an adopted initiative became, as typed by the responsible body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ActInput {
    /// The act's number ("123-КЗ").
    pub number: String,
    /// Its date, `YYYY-MM-DD`.
    pub date: String,
    /// Where it is published; optional.
    pub url: String,
}

/// An adopted act.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Act {
    /// Its number.
    pub number: String,
    /// Its date.
    pub date: NaiveDate,
    /// Where it is published.
    pub url: Option<String>,
}

impl ActInput {
    /// The act, or the refusals: a number, a date not after `today`, and a link (if any)
    /// that is an http(s) address.
    pub fn validate(&self, today: NaiveDate) -> Result<Act, AppError> {
        let mut errors = Vec::new();
        check_text("number", &self.number, 1, ACT_NUMBER_MAX, &mut errors);
        let date = match self.date.trim() {
            "" => {
                errors.push(FieldError::new("date", ErrorCode::Required));
                None
            }
            text => match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
                Ok(date) if date <= today => Some(date),
                Ok(_) => {
                    errors.push(FieldError::new("date", ErrorCode::TooLate));
                    None
                }
                Err(_) => {
                    errors.push(FieldError::new("date", ErrorCode::Malformed));
                    None
                }
            },
        };
        let url = self.url.trim();
        let url_ok = url.is_empty()
            || ((url.starts_with("https://") || url.starts_with("http://"))
                && url.len() > "https://".len()
                && !url.chars().any(char::is_whitespace));
        if !url_ok {
            errors.push(FieldError::new("url", ErrorCode::Malformed));
        } else if url.chars().count() > ACT_URL_MAX {
            errors.push(FieldError::new(
                "url",
                ErrorCode::TooLong {
                    max: ACT_URL_MAX as u32,
                },
            ));
        }
        match date {
            Some(date) if errors.is_empty() => Ok(Act {
                number: self.number.trim().to_string(),
                date,
                url: (!url.is_empty()).then(|| url.to_string()),
            }),
            _ => Err(AppError::Invalid { errors }),
        }
    }
}

/// The reaction clock of an initiative waiting for (or past) the government's reaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReactionClock {
    /// The deadline (UTC).
    pub due_at: NaiveDateTime,
    /// When it passed without a reaction.
    pub overdue_since: Option<NaiveDateTime>,
    /// The supervising body it was escalated to.
    pub escalated_to: Option<DepartmentId>,
}

/// An expert of an initiative.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Expert {
    /// The user.
    pub id: UserId,
    /// The display name.
    pub name: String,
    /// Assigned (`true`) or a volunteer waiting for a moderator.
    pub assigned: bool,
}

/// A remark as the expertise page and the ledger show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Remark {
    /// Its number.
    pub id: RemarkId,
    /// The article it concerns.
    pub article: String,
    /// Its category.
    pub category: RemarkCategory,
    /// The remark.
    pub text: String,
    /// Where it stands.
    pub status: RemarkStatus,
    /// The editor's reason.
    pub reason: Option<String>,
    /// The version that took it in.
    pub taken_in: Option<u32>,
}

/// A published conclusion with its remarks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conclusion {
    /// Its number.
    pub id: ConclusionId,
    /// The expert's name.
    pub expert_name: String,
    /// The version it examined.
    pub version: u32,
    /// The verdict.
    pub verdict: Verdict,
    /// The text.
    pub text: String,
    /// When it was published (UTC).
    pub created_at: NaiveDateTime,
    /// Its remarks, in order.
    pub remarks: Vec<Remark>,
}

/// Where the viewer stands among an initiative's experts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExpertRole {
    /// Not an expert of the portal.
    #[default]
    None,
    /// Has the expert role, not (yet) of this initiative.
    Eligible,
    /// Volunteered; waits for a moderator.
    Volunteered,
    /// Assigned to this initiative.
    Assigned,
}

/// The expertise page of an initiative.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExpertiseView {
    /// The initiative's title.
    pub title: String,
    /// Its stage.
    pub stage: Stage,
    /// The version under expertise (the latest), if any.
    pub version: Option<u32>,
    /// That version's article numbers, in order, for the remarks' article choice.
    pub articles: Vec<String>,
    /// The experts, assigned first.
    pub experts: Vec<Expert>,
    /// Every conclusion, oldest first.
    pub conclusions: Vec<Conclusion>,
    /// Users with the expert role not yet of this initiative (moderators only).
    pub candidates: Vec<Expert>,
    /// What the viewer is to the initiative.
    pub viewer: SubjectViewer,
    /// Where the viewer stands among its experts.
    pub expert_role: ExpertRole,
    /// Whether the viewer published a conclusion on the version under expertise.
    pub viewer_concluded: bool,
    /// Whether the viewer edits the text, and so decides remarks (see
    /// `SeenInitiative::edits`).
    pub edits: bool,
}

impl ExpertiseView {
    /// The conclusions on the version under expertise.
    pub fn current(&self) -> impl Iterator<Item = &Conclusion> {
        self.conclusions
            .iter()
            .filter(move |conclusion| Some(conclusion.version) == self.version)
    }

    /// Remarks on the version under expertise still without a disposition.
    pub fn open_remarks(&self) -> u32 {
        let open = self
            .current()
            .flat_map(|conclusion| &conclusion.remarks)
            .filter(|remark| remark.status == RemarkStatus::Open)
            .count();
        u32::try_from(open).unwrap_or(u32::MAX)
    }

    /// Whether the viewer, an assigned expert, may publish a conclusion now: during the
    /// expertise, once per version.
    pub fn may_conclude(&self) -> bool {
        self.stage == Stage::Expertise
            && self.expert_role == ExpertRole::Assigned
            && self.version.is_some()
            && !self.viewer_concluded
    }

    /// Whether the viewer decides remarks: an editor of the text during the expertise.
    pub fn may_dispose(&self) -> bool {
        self.edits && self.stage == Stage::Expertise
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn remark(article: &str, category: &str, text: &str) -> RemarkInput {
        RemarkInput {
            article: article.into(),
            category: category.into(),
            text: text.into(),
        }
    }

    #[test]
    fn a_conclusion_keeps_its_remarks_in_order_and_skips_blank_rows() {
        let valid = ConclusionInput {
            verdict: "support_with_remarks".into(),
            text: "  Проект в целом соответствует законодательству.  ".into(),
            remarks: vec![
                remark("3", "corruption", " «по усмотрению» — коррупциогенно "),
                remark(" ", "other", "  "),
                remark("5", "budget", "Нужна оценка расходов."),
            ],
        }
        .validate()
        .expect("valid");
        assert_eq!(valid.verdict, Verdict::SupportWithRemarks);
        assert_eq!(valid.text, "Проект в целом соответствует законодательству.");
        assert_eq!(valid.remarks.len(), 2);
        assert_eq!(valid.remarks[0].text, "«по усмотрению» — коррупциогенно");
        assert_eq!(valid.remarks[1].category, RemarkCategory::Budget);
    }

    #[test]
    fn each_bad_remark_is_named_by_its_row() {
        let refused = ConclusionInput {
            verdict: "maybe".into(),
            text: "short".into(),
            remarks: vec![remark("", "budget", "текст"), remark("2", "nope", "")],
        }
        .validate();
        let Err(AppError::Invalid { errors }) = refused else {
            panic!("refused");
        };
        let fields: Vec<&str> = errors.iter().map(|error| error.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "verdict",
                "text",
                "remarks.0.article",
                "remarks.1.category",
                "remarks.1.text"
            ]
        );
    }

    #[test]
    fn support_with_remarks_needs_a_remark() {
        let input = ConclusionInput {
            verdict: "support_with_remarks".into(),
            text: "Замечания приводятся ниже.".into(),
            remarks: Vec::new(),
        };
        assert_eq!(
            input.validate(),
            Err(AppError::invalid("remarks", ErrorCode::Required))
        );
        let support = ConclusionInput {
            verdict: "support".into(),
            ..input
        };
        assert!(support.validate().is_ok());
    }

    #[test]
    fn the_expertise_closes_only_with_a_conclusion_and_no_open_remark() {
        assert_eq!(closing_refusal(0, 0), Some(ErrorCode::NoConclusion));
        assert_eq!(
            closing_refusal(2, 3),
            Some(ErrorCode::RemarksOpen { count: 3 })
        );
        assert_eq!(closing_refusal(1, 0), None);
    }

    #[test]
    fn an_act_needs_a_number_a_past_date_and_an_http_link_if_any() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 3).expect("a date");
        let act = ActInput {
            number: " 4321-КЗ ".into(),
            date: "2026-12-01".into(),
            url: String::new(),
        }
        .validate(today)
        .expect("valid");
        assert_eq!(act.number, "4321-КЗ");
        assert_eq!(act.url, None);
        let refused = ActInput {
            number: String::new(),
            date: "2026-12-04".into(),
            url: "javascript:alert(1)".into(),
        }
        .validate(today);
        let Err(AppError::Invalid { errors }) = refused else {
            panic!("refused");
        };
        let fields: Vec<(&str, &ErrorCode)> = errors
            .iter()
            .map(|error| (error.field.as_str(), &error.code))
            .collect();
        assert_eq!(
            fields,
            [
                ("number", &ErrorCode::Required),
                ("date", &ErrorCode::TooLate),
                ("url", &ErrorCode::Malformed)
            ]
        );
        assert!(
            ActInput {
                number: "1".into(),
                date: "03.12.2026".into(),
                url: "https://publication.pravo.gov.ru/document/1".into(),
            }
            .validate(today)
            .is_err(),
            "the date is ISO"
        );
    }

    #[test]
    fn names_round_trip() {
        for verdict in Verdict::ALL {
            assert_eq!(Verdict::from_db(verdict.as_db()), Some(verdict));
        }
        for category in RemarkCategory::ALL {
            assert_eq!(RemarkCategory::from_db(category.as_db()), Some(category));
        }
        for status in [
            RemarkStatus::Open,
            RemarkStatus::Decided(Disposition::PartlyAccepted),
        ] {
            assert_eq!(RemarkStatus::from_db(status.as_db()), Some(status));
        }
        assert_eq!(RemarkStatus::from_db("outdated"), None);
    }
}
