//! Law-making: wire types, the pure state machine of an initiative's stages, the support
//! thresholds and input validation.

pub mod drafting;
pub mod expertise;
pub mod ledger;
pub mod work;

use chrono::{Days, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::auth::model::{SubjectViewer, UserId};
use crate::geography::model::{MunicipalityId, MunicipalityKind};
use crate::organisation::model::{DepartmentId, ThemeId};
use civic::comments::{CommentPage, Position, PositionSummary};
use civic::subject::{Subject, SubjectKind};
use platform::error::{AppError, ErrorCode, FieldError, check_text, check_whole};
use platform::id_type;
use platform::query::query_string;

id_type!(
    /// An initiative; also its public number.
    InitiativeId
);

/// Initiatives as subjects of comments, supports, following and notifications.
pub const INITIATIVE: SubjectKind = SubjectKind::new("initiative");

impl InitiativeId {
    /// This initiative as a civic subject.
    pub fn subject(self) -> Subject {
        Subject::new(INITIATIVE, self.0)
    }
}

/// Days a published concept collects supports before it is archived as not supported.
pub const CONCEPT_DAYS: u64 = 60;
/// Days the idea discussion stays open.
pub const DISCUSSION_DAYS: u64 = 30;
/// The most supports a level's threshold may ask for.
pub const THRESHOLD_MAX: u32 = 1_000_000;

/// A level of the support threshold: the region, or a municipality by its kind. The
/// supports each needs are set by administrators (`initiative_thresholds`; the defaults,
/// 1,000, 300 and 100, are in the README), and a concept keeps the threshold it was
/// proposed under, so that a later change never moves its goal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ThresholdLevel {
    /// A regional initiative.
    Region,
    /// One of a city okrug (Krasnodar, Sochi, ...).
    CityOkrug,
    /// One of a municipal district.
    MunicipalDistrict,
}

impl ThresholdLevel {
    /// Every level, from the widest.
    pub const ALL: [Self; 3] = [Self::Region, Self::CityOkrug, Self::MunicipalDistrict];

    /// The level of an initiative of a municipality of `kind` (`None`: regional).
    pub fn of(kind: Option<MunicipalityKind>) -> Self {
        match kind {
            None => Self::Region,
            Some(MunicipalityKind::CityOkrug) => Self::CityOkrug,
            Some(MunicipalityKind::MunicipalDistrict) => Self::MunicipalDistrict,
        }
    }

    /// The value stored in `initiative_thresholds.level`.
    pub fn as_db(self) -> &'static str {
        match self {
            Self::Region => "region",
            Self::CityOkrug => MunicipalityKind::CityOkrug.as_db(),
            Self::MunicipalDistrict => MunicipalityKind::MunicipalDistrict.as_db(),
        }
    }

    /// The level stored as `value`.
    pub fn from_db(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|level| level.as_db() == value)
    }
}

/// The supports a level's concepts need now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Threshold {
    /// The level.
    pub level: ThresholdLevel,
    /// Supports needed within the concept's window.
    pub supports: u32,
    /// When it was last set.
    pub updated_at: NaiveDateTime,
}

/// A threshold typed into the administrators' form: a whole number from 1 to
/// [`THRESHOLD_MAX`].
pub fn validate_threshold(text: &str) -> Result<u32, AppError> {
    let mut errors = Vec::new();
    check_whole("supports", text, 1..=THRESHOLD_MAX, &mut errors)
        .ok_or(AppError::Invalid { errors })
}

/// When a stage that lasts `days` and begins at `from` ends.
pub fn stage_end(from: NaiveDateTime, days: u64) -> NaiveDateTime {
    from.checked_add_days(Days::new(days)).unwrap_or(from)
}

/// Where an initiative is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Waiting for a moderator.
    Moderation,
    /// Refused by a moderator, with a reason; seen by its author and moderators only.
    Refused,
    /// 1. Public, collecting supports until its threshold or the end of its window.
    Concept,
    /// 2. The dated public discussion of the idea, comments taking a position.
    Discussion,
    /// 3. The responsible body drafts the document; citizens amend its articles.
    Drafting,
    /// 4. Experts publish their conclusions and remarks.
    Expertise,
    /// 5. The responsible body must react by a deadline.
    Reaction,
    /// Adopted by the responsible body.
    Adopted,
    /// Rejected by the responsible body, with reasons.
    Rejected,
    /// Withdrawn by its author.
    Withdrawn,
    /// Archived: not supported in time, or by a moderator's decision.
    Archived,
}

impl Stage {
    /// Every stage, in life order.
    pub const ALL: [Stage; 11] = [
        Self::Moderation,
        Self::Refused,
        Self::Concept,
        Self::Discussion,
        Self::Drafting,
        Self::Expertise,
        Self::Reaction,
        Self::Adopted,
        Self::Rejected,
        Self::Withdrawn,
        Self::Archived,
    ];

    /// The five working stages, as the public stage strip shows them.
    pub const WORKFLOW: [Stage; 5] = [
        Self::Concept,
        Self::Discussion,
        Self::Drafting,
        Self::Expertise,
        Self::Reaction,
    ];

    /// The value stored in `initiatives.stage`.
    pub fn as_db(self) -> &'static str {
        match self {
            Self::Moderation => "moderation",
            Self::Refused => "refused",
            Self::Concept => "concept",
            Self::Discussion => "discussion",
            Self::Drafting => "drafting",
            Self::Expertise => "expertise",
            Self::Reaction => "reaction",
            Self::Adopted => "adopted",
            Self::Rejected => "rejected",
            Self::Withdrawn => "withdrawn",
            Self::Archived => "archived",
        }
    }

    /// The stage stored as `value`.
    pub fn from_db(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|stage| stage.as_db() == value)
    }

    /// Whether the public sees it (everything that passed moderation).
    pub fn is_public(self) -> bool {
        !matches!(self, Self::Moderation | Self::Refused)
    }

    /// Whether its life is over.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            Self::Refused | Self::Adopted | Self::Rejected | Self::Withdrawn | Self::Archived
        )
    }

    /// Whether a viewer sees an initiative in this stage: everyone sees public ones, its
    /// author and moderators see every one.
    pub fn visible_to(self, is_author: bool, is_moderator: bool) -> bool {
        self.is_public() || is_author || is_moderator
    }

    /// Whether it collects supports.
    pub fn takes_supports(self) -> bool {
        matches!(self, Self::Concept | Self::Discussion)
    }

    /// Whether a moderator may hand it to another responsible body: once public, until
    /// it ends.
    pub fn takes_reassignment(self) -> bool {
        self.is_public() && !self.is_final()
    }

    /// Whether it takes comments, and whether a comment must take a position.
    pub fn takes_comments(self) -> Option<PositionRule> {
        match self {
            Self::Discussion => Some(PositionRule::Required),
            stage if stage.is_public() && !stage.is_final() => Some(PositionRule::Optional),
            _ => None,
        }
    }

    /// The stage after `action`, or why the action is not possible now.
    pub fn after(self, action: Action) -> Result<Stage, AppError> {
        use Action as A;
        use Stage as S;
        let next = match (self, action) {
            (S::Moderation, A::Publish) => Some(S::Concept),
            (S::Moderation, A::Refuse) => Some(S::Refused),
            (S::Concept, A::ReachThreshold | A::Advance) => Some(S::Discussion),
            (S::Concept, A::Expire) => Some(S::Archived),
            (S::Discussion, A::CloseDiscussion | A::StartDrafting) => Some(S::Drafting),
            (S::Drafting, A::StartExpertise) => Some(S::Expertise),
            (S::Expertise, A::CloseExpertise) => Some(S::Reaction),
            (S::Reaction, A::Adopt) => Some(S::Adopted),
            (S::Reaction, A::SendBack) => Some(S::Drafting),
            (S::Reaction, A::Reject) => Some(S::Rejected),
            (S::Moderation | S::Concept | S::Discussion | S::Drafting, A::Withdraw) => {
                Some(S::Withdrawn)
            }
            (stage, A::Archive) if stage.is_public() && !stage.is_final() => Some(S::Archived),
            _ => None,
        };
        next.ok_or_else(|| self.refuse(action.as_db()))
    }

    /// The refusal of `action` (a step, or a change such as `support` or `dispose`) in
    /// this stage.
    pub fn refuse(self, action: &str) -> AppError {
        AppError::IllegalTransition {
            status: self.as_db().to_string(),
            action: action.to_string(),
        }
    }
}

/// Whether a comment must say where it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PositionRule {
    /// The idea discussion: for, against or neutral.
    Required,
    /// Later stages: a position if the writer gives one.
    Optional,
}

/// Who may take an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    /// A portal moderator.
    Moderator,
    /// An official of the responsible body.
    Department,
    /// The initiative's author.
    Author,
    /// The scheduler.
    System,
}

/// A step of an initiative's life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Moderator: publish the concept; it starts collecting supports.
    Publish,
    /// Moderator: refuse it with a reason.
    Refuse,
    /// Moderator: open the discussion without waiting for the threshold, with a reason.
    Advance,
    /// Scheduler (at the support that reaches it): the threshold is reached.
    ReachThreshold,
    /// Scheduler: the support window ended below the threshold.
    Expire,
    /// Scheduler: the discussion's date passed.
    CloseDiscussion,
    /// Moderator or the responsible body: close the discussion early and start drafting.
    StartDrafting,
    /// The responsible body: the draft goes to the experts.
    StartExpertise,
    /// The responsible body: every remark has its disposition; the reaction is due.
    CloseExpertise,
    /// The responsible body: adopted, with the act's number.
    Adopt,
    /// The responsible body: back to drafting, with reasons.
    SendBack,
    /// The responsible body: rejected, with reasons.
    Reject,
    /// The author: withdrawn, before the expertise.
    Withdraw,
    /// Moderator: archived, with a reason.
    Archive,
}

impl Action {
    /// Every action.
    pub const ALL: [Action; 14] = [
        Self::Publish,
        Self::Refuse,
        Self::Advance,
        Self::ReachThreshold,
        Self::Expire,
        Self::CloseDiscussion,
        Self::StartDrafting,
        Self::StartExpertise,
        Self::CloseExpertise,
        Self::Adopt,
        Self::SendBack,
        Self::Reject,
        Self::Withdraw,
        Self::Archive,
    ];

    /// The stable name of the action (the history's event kind, and error payloads).
    pub fn as_db(self) -> &'static str {
        match self {
            Self::Publish => "publish",
            Self::Refuse => "refuse",
            Self::Advance => "advance",
            Self::ReachThreshold => "reach_threshold",
            Self::Expire => "expire",
            Self::CloseDiscussion => "close_discussion",
            Self::StartDrafting => "start_drafting",
            Self::StartExpertise => "start_expertise",
            Self::CloseExpertise => "close_expertise",
            Self::Adopt => "adopt",
            Self::SendBack => "send_back",
            Self::Reject => "reject",
            Self::Withdraw => "withdraw",
            Self::Archive => "archive",
        }
    }

    /// The action named `value`.
    pub fn from_db(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|action| action.as_db() == value)
    }

    /// Who may take it.
    pub fn actors(self) -> &'static [Actor] {
        match self {
            Self::Publish | Self::Refuse | Self::Advance | Self::Archive => &[Actor::Moderator],
            Self::ReachThreshold | Self::Expire | Self::CloseDiscussion => &[Actor::System],
            Self::StartDrafting => &[Actor::Moderator, Actor::Department],
            Self::StartExpertise
            | Self::CloseExpertise
            | Self::Adopt
            | Self::SendBack
            | Self::Reject => &[Actor::Department],
            Self::Withdraw => &[Actor::Author],
        }
    }

    /// Whether a person must say why (the public history shows it).
    pub fn needs_text(self) -> bool {
        matches!(
            self,
            Self::Refuse | Self::Advance | Self::SendBack | Self::Reject | Self::Archive
        )
    }
}

/// An entry of the public history: the initiative was proposed, or an action was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// The author proposed it.
    Proposed,
    /// A step was taken.
    Step(Action),
    /// The responsible body published a version of the text (the body is its note).
    VersionPublished,
    /// The editor decided an amendment (told to its author; the amendment records it).
    AmendmentDecided,
    /// An expert published a conclusion.
    ConclusionPublished,
    /// The editor decided an expert's remark (told to the expert; the remark records it).
    RemarkDecided,
    /// A moderator made a user an expert of the initiative (told to the expert).
    ExpertAssigned,
    /// The reaction's deadline is near (told to the responsible body).
    ReactionReminder,
    /// The reaction's deadline passed.
    ReactionOverdue,
    /// The overdue reaction went to the supervising body.
    ReactionEscalated,
    /// A moderator handed it to another responsible body (told to that body's officials).
    BodyReassigned,
    /// A moderator let the author edit the text beside the responsible body.
    AuthorEditingAllowed,
    /// A moderator took the editing of the text back from the author.
    AuthorEditingWithdrawn,
}

impl EventKind {
    /// The value stored in `initiative_events.kind` (and `notifications.kind`).
    pub fn as_db(self) -> &'static str {
        match self {
            Self::Proposed => "proposed",
            Self::Step(action) => action.as_db(),
            Self::VersionPublished => "version_published",
            Self::AmendmentDecided => "amendment_decided",
            Self::ConclusionPublished => "conclusion_published",
            Self::RemarkDecided => "remark_decided",
            Self::ExpertAssigned => "expert_assigned",
            Self::ReactionReminder => "reaction_reminder",
            Self::ReactionOverdue => "reaction_overdue",
            Self::ReactionEscalated => "reaction_escalated",
            Self::BodyReassigned => "body_reassigned",
            Self::AuthorEditingAllowed => "author_editing_allowed",
            Self::AuthorEditingWithdrawn => "author_editing_withdrawn",
        }
    }

    /// The event stored as `value`.
    pub fn from_db(value: &str) -> Option<Self> {
        match value {
            "proposed" => Some(Self::Proposed),
            "version_published" => Some(Self::VersionPublished),
            "amendment_decided" => Some(Self::AmendmentDecided),
            "conclusion_published" => Some(Self::ConclusionPublished),
            "remark_decided" => Some(Self::RemarkDecided),
            "expert_assigned" => Some(Self::ExpertAssigned),
            "reaction_reminder" => Some(Self::ReactionReminder),
            "reaction_overdue" => Some(Self::ReactionOverdue),
            "reaction_escalated" => Some(Self::ReactionEscalated),
            "body_reassigned" => Some(Self::BodyReassigned),
            "author_editing_allowed" => Some(Self::AuthorEditingAllowed),
            "author_editing_withdrawn" => Some(Self::AuthorEditingWithdrawn),
            other => Action::from_db(other).map(Self::Step),
        }
    }
}

/// Most characters of a title.
pub const TITLE_MAX: usize = 200;
/// Most characters of the problem and of the goal.
pub const SECTION_MAX: usize = 4000;
/// Most characters of the proposed regulation.
pub const PROPOSAL_MAX: usize = 8000;
/// Most characters of a reason given with a step.
pub const REASON_MAX: usize = 2000;

/// A new initiative as typed in its form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct InitiativeInput {
    /// Empty for a regional initiative, else the municipality's id.
    pub municipality_id: String,
    /// The theme id.
    pub theme_id: String,
    /// Short title.
    pub title: String,
    /// The problem it addresses.
    pub problem: String,
    /// What it should achieve.
    pub goal: String,
    /// The proposed regulation in a few paragraphs.
    pub proposal: String,
}

/// A new initiative that passed validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidInitiative {
    /// `None` for a regional initiative.
    pub municipality_id: Option<MunicipalityId>,
    /// The theme.
    pub theme_id: ThemeId,
    /// Trimmed title.
    pub title: String,
    /// Trimmed problem.
    pub problem: String,
    /// Trimmed goal.
    pub goal: String,
    /// Trimmed proposal.
    pub proposal: String,
}

impl InitiativeInput {
    /// Checks every field and reports all refusals at once.
    pub fn validate(&self) -> Result<ValidInitiative, Vec<FieldError>> {
        let mut errors = Vec::new();
        let municipality_id = match self.municipality_id.trim() {
            "" => Some(None),
            text => match text.parse::<MunicipalityId>() {
                Ok(id) => Some(Some(id)),
                Err(_) => {
                    errors.push(FieldError::new(
                        "municipality_id",
                        ErrorCode::UnknownMunicipality,
                    ));
                    None
                }
            },
        };
        let theme_id = match self.theme_id.trim() {
            "" => {
                errors.push(FieldError::new("theme_id", ErrorCode::Required));
                None
            }
            text => match text.parse::<ThemeId>() {
                Ok(id) => Some(id),
                Err(_) => {
                    errors.push(FieldError::new("theme_id", ErrorCode::UnknownTheme));
                    None
                }
            },
        };
        check_text("title", &self.title, 5, TITLE_MAX, &mut errors);
        check_text("problem", &self.problem, 20, SECTION_MAX, &mut errors);
        check_text("goal", &self.goal, 10, SECTION_MAX, &mut errors);
        check_text("proposal", &self.proposal, 20, PROPOSAL_MAX, &mut errors);
        match (municipality_id, theme_id) {
            (Some(municipality_id), Some(theme_id)) if errors.is_empty() => Ok(ValidInitiative {
                municipality_id,
                theme_id,
                title: self.title.trim().to_string(),
                problem: self.problem.trim().to_string(),
                goal: self.goal.trim().to_string(),
                proposal: self.proposal.trim().to_string(),
            }),
            _ => Err(errors),
        }
    }
}

/// The trimmed reason of a step that needs one (empty otherwise), or the refusal of
/// field `text`.
pub fn validate_reason(action: Action, text: &str) -> Result<String, AppError> {
    if action.needs_text() {
        return required_reason(text);
    }
    let mut errors = Vec::new();
    if text.trim().chars().count() > REASON_MAX {
        errors.push(FieldError::new(
            "text",
            ErrorCode::TooLong {
                max: REASON_MAX as u32,
            },
        ));
    }
    if errors.is_empty() {
        Ok(text.trim().to_string())
    } else {
        Err(AppError::Invalid { errors })
    }
}

/// The trimmed public reason of a change that needs one (field `text`), or its refusal.
pub fn required_reason(text: &str) -> Result<String, AppError> {
    let mut errors = Vec::new();
    check_text("text", text, 1, REASON_MAX, &mut errors);
    if errors.is_empty() {
        Ok(text.trim().to_string())
    } else {
        Err(AppError::Invalid { errors })
    }
}

/// The position of a new comment under `rule`, from the form's value (empty: none).
pub fn parse_position(rule: PositionRule, value: &str) -> Result<Option<Position>, AppError> {
    match (value.trim(), rule) {
        ("", PositionRule::Required) => Err(AppError::invalid("position", ErrorCode::Required)),
        ("", PositionRule::Optional) => Ok(None),
        (text, _) => Position::from_db(text)
            .map(Some)
            .ok_or_else(|| AppError::invalid("position", ErrorCode::Malformed)),
    }
}

/// An initiative as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InitiativeSummary {
    /// Its number.
    pub id: InitiativeId,
    /// Title.
    pub title: String,
    /// Where it is.
    pub stage: Stage,
    /// `None` for a regional initiative.
    pub municipality_id: Option<MunicipalityId>,
    /// Theme.
    pub theme_id: ThemeId,
    /// The responsible body, once routed.
    pub department_id: Option<DepartmentId>,
    /// Supports so far.
    pub support_count: u32,
    /// Supports the concept needs.
    pub support_threshold: u32,
    /// Comments so far.
    pub comment_count: u32,
    /// When the current stage began (UTC).
    pub stage_started_at: NaiveDateTime,
    /// The published end of the current stage (UTC).
    pub stage_ends_at: Option<NaiveDateTime>,
}

/// An entry of the public history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// What happened.
    pub kind: EventKind,
    /// The stage after it.
    pub stage: Stage,
    /// Who acted; `None` for the scheduler.
    pub actor_name: Option<String>,
    /// The reason or note given.
    pub body: Option<String>,
    /// When (UTC).
    pub at: NaiveDateTime,
}

/// An initiative's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InitiativeDetail {
    /// What lists show.
    pub summary: InitiativeSummary,
    /// The author's display name.
    pub author_name: String,
    /// The author.
    pub author_id: UserId,
    /// Whether a moderator let the author edit the text beside the responsible body.
    pub author_edits: bool,
    /// The problem it addresses.
    pub problem: String,
    /// What it should achieve.
    pub goal: String,
    /// The proposed regulation.
    pub proposal: String,
    /// When it was proposed (UTC).
    pub created_at: NaiveDateTime,
    /// The public history, oldest first.
    pub history: Vec<HistoryEntry>,
    /// The reaction clock, from the reaction stage on.
    pub reaction: Option<expertise::ReactionClock>,
    /// The act an adopted initiative became.
    pub act: Option<expertise::Act>,
    /// The page of the discussion asked for: threads oldest first.
    pub comments: CommentPage,
    /// How many shown comments take each position, and the most supported for and
    /// against.
    pub positions: PositionSummary,
    /// The server's time of the answer (UTC), for countdowns.
    pub now: NaiveDateTime,
}

impl InitiativeDetail {
    /// When each workflow stage began, from the history (the last time it began, for a
    /// stage entered twice), in [`Stage::WORKFLOW`] order.
    pub fn stage_dates(&self) -> Vec<(Stage, Option<NaiveDateTime>)> {
        Stage::WORKFLOW
            .into_iter()
            .map(|stage| {
                let began = self
                    .history
                    .iter()
                    .rev()
                    .find(|entry| entry.stage == stage && matches!(entry.kind, EventKind::Step(_)))
                    .map(|entry| entry.at);
                (stage, began)
            })
            .collect()
    }
}

/// Whether `viewer` may take `action` now, by role and stage (the server checks again
/// against the locked row).
pub fn may(viewer: &SubjectViewer, action: Action, stage: Stage) -> bool {
    let by_role = action.actors().iter().any(|actor| match actor {
        Actor::Moderator => viewer.is_moderator,
        Actor::Department => viewer.is_department,
        Actor::Author => viewer.is_author,
        Actor::System => false,
    });
    by_role && stage.after(action).is_ok()
}

/// Initiatives per page of a list.
pub const PAGE_SIZE: u32 = 20;
/// The last page a list serves.
pub const MAX_PAGE: u32 = 500;

/// Which level a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Regional and municipal.
    All,
    /// Regional only.
    Region,
    /// One municipality's.
    Municipality(MunicipalityId),
}

/// What a list shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitiativeFilter {
    /// The level.
    pub level: Level,
    /// Only this stage; `None`: every public stage.
    pub stage: Option<Stage>,
}

/// A list's URL parameters, as typed: unknown values are ignored, never an error.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct InitiativeQuery {
    /// `region`, a municipality's id, or empty for every level.
    pub level: String,
    /// A stage's name, or empty.
    pub stage: String,
    /// The page, from 1.
    pub page: String,
}

impl InitiativeQuery {
    /// The filter the parameters describe.
    pub fn filter(&self) -> InitiativeFilter {
        let level = match self.level.trim() {
            "region" => Level::Region,
            text => text
                .parse::<MunicipalityId>()
                .map_or(Level::All, Level::Municipality),
        };
        InitiativeFilter {
            level,
            stage: Stage::from_db(self.stage.trim()),
        }
    }

    /// The page asked for, within 1..=MAX_PAGE.
    pub fn page(&self) -> u32 {
        self.page.trim().parse().unwrap_or(1).clamp(1, MAX_PAGE)
    }

    /// The list's URL query (`?…`, or empty) for `page`, leaving out empty parameters.
    pub fn to_query_string(&self, page: u32) -> String {
        let page = if page > 1 {
            page.to_string()
        } else {
            String::new()
        };
        query_string([
            ("level", self.level.as_str()),
            ("stage", self.stage.as_str()),
            ("page", page.as_str()),
        ])
    }
}

/// One page of a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InitiativePage {
    /// The initiatives, newest first.
    pub items: Vec<InitiativeSummary>,
    /// How many match.
    pub total: u64,
    /// This page, from 1.
    pub page: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_supported_concept_goes_through_every_stage_to_adoption() {
        let mut stage = Stage::Moderation;
        for (action, expected) in [
            (Action::Publish, Stage::Concept),
            (Action::ReachThreshold, Stage::Discussion),
            (Action::CloseDiscussion, Stage::Drafting),
            (Action::StartExpertise, Stage::Expertise),
            (Action::CloseExpertise, Stage::Reaction),
            (Action::SendBack, Stage::Drafting),
            (Action::StartExpertise, Stage::Expertise),
            (Action::CloseExpertise, Stage::Reaction),
            (Action::Adopt, Stage::Adopted),
        ] {
            stage = stage.after(action).expect("an allowed step");
            assert_eq!(stage, expected, "after {action:?}");
        }
    }

    #[test]
    fn final_stages_take_no_step() {
        for stage in Stage::ALL.into_iter().filter(|stage| stage.is_final()) {
            for action in Action::ALL {
                assert!(
                    stage.after(action).is_err(),
                    "{stage:?} must refuse {action:?}"
                );
            }
        }
    }

    #[test]
    fn every_working_stage_has_a_way_out() {
        for stage in Stage::ALL.into_iter().filter(|stage| !stage.is_final()) {
            assert!(
                Action::ALL
                    .into_iter()
                    .any(|action| stage.after(action).is_ok_and(|next| next != stage)),
                "{stage:?} must not be a dead end"
            );
        }
    }

    #[test]
    fn withdrawing_ends_before_the_expertise() {
        for stage in Stage::ALL {
            let allowed = stage.after(Action::Withdraw).is_ok();
            let before_expertise = matches!(
                stage,
                Stage::Moderation | Stage::Concept | Stage::Discussion | Stage::Drafting
            );
            assert_eq!(allowed, before_expertise, "withdrawing from {stage:?}");
        }
    }

    #[test]
    fn a_concept_moves_on_only_by_threshold_moderator_or_window() {
        let ways_on: Vec<Action> = Action::ALL
            .into_iter()
            .filter(|action| Stage::Concept.after(*action).is_ok())
            .collect();
        assert_eq!(
            ways_on,
            [
                Action::Advance,
                Action::ReachThreshold,
                Action::Expire,
                Action::Withdraw,
                Action::Archive
            ]
        );
    }

    #[test]
    fn a_refused_step_names_the_stage_and_the_action() {
        assert_eq!(
            Stage::Concept.after(Action::Adopt),
            Err(AppError::IllegalTransition {
                status: "concept".into(),
                action: "adopt".into(),
            })
        );
    }

    #[test]
    fn the_scheduler_alone_takes_the_clock_steps_and_people_give_reasons() {
        for action in [
            Action::ReachThreshold,
            Action::Expire,
            Action::CloseDiscussion,
        ] {
            assert_eq!(action.actors(), &[Actor::System]);
            assert!(!action.needs_text());
        }
        let viewer = SubjectViewer {
            signed_in: true,
            is_moderator: true,
            is_department: true,
            is_author: true,
            ..SubjectViewer::default()
        };
        assert!(!may(&viewer, Action::Expire, Stage::Concept));
        assert!(may(&viewer, Action::Advance, Stage::Concept));
        let citizen = SubjectViewer {
            signed_in: true,
            ..SubjectViewer::default()
        };
        assert!(!may(&citizen, Action::Publish, Stage::Moderation));
        assert!(Action::Refuse.needs_text() && Action::Reject.needs_text());
    }

    #[test]
    fn names_round_trip_through_the_database() {
        for stage in Stage::ALL {
            assert_eq!(Stage::from_db(stage.as_db()), Some(stage));
        }
        for action in Action::ALL {
            assert_eq!(
                EventKind::from_db(action.as_db()),
                Some(EventKind::Step(action))
            );
        }
        assert_eq!(EventKind::from_db("proposed"), Some(EventKind::Proposed));
        assert_eq!(
            EventKind::from_db("version_published"),
            Some(EventKind::VersionPublished)
        );
        assert_eq!(EventKind::from_db("invented"), None);
    }

    #[test]
    fn a_threshold_is_a_whole_number_within_bounds() {
        assert_eq!(validate_threshold(" 250 "), Ok(250));
        assert_eq!(validate_threshold("1000000"), Ok(THRESHOLD_MAX));
        for bad in ["0", "-5", "1000001", "сто", "2.5"] {
            assert_eq!(
                validate_threshold(bad),
                Err(AppError::invalid(
                    "supports",
                    ErrorCode::OutOfRange {
                        min: 1,
                        max: 1_000_000
                    }
                )),
                "{bad}"
            );
        }
        assert_eq!(
            validate_threshold(""),
            Err(AppError::invalid("supports", ErrorCode::Required))
        );
        for level in ThresholdLevel::ALL {
            assert_eq!(ThresholdLevel::from_db(level.as_db()), Some(level));
        }
    }

    #[test]
    fn the_discussion_requires_a_position_and_later_stages_take_one_if_given() {
        assert_eq!(
            parse_position(PositionRule::Required, ""),
            Err(AppError::invalid("position", ErrorCode::Required))
        );
        assert_eq!(parse_position(PositionRule::Optional, " "), Ok(None));
        assert_eq!(
            parse_position(PositionRule::Optional, "against"),
            Ok(Some(Position::Against))
        );
        assert!(parse_position(PositionRule::Required, "maybe").is_err());
        assert_eq!(
            Stage::Discussion.takes_comments(),
            Some(PositionRule::Required)
        );
        assert_eq!(
            Stage::Concept.takes_comments(),
            Some(PositionRule::Optional)
        );
        assert_eq!(Stage::Moderation.takes_comments(), None);
        assert_eq!(Stage::Adopted.takes_comments(), None);
    }

    #[test]
    fn input_is_checked_field_by_field() {
        let errors = InitiativeInput {
            municipality_id: "abc".into(),
            theme_id: String::new(),
            title: "x".into(),
            problem: "short".into(),
            goal: String::new(),
            proposal: "y".repeat(PROPOSAL_MAX + 1),
        }
        .validate()
        .expect_err("every field is wrong");
        let fields: Vec<&str> = errors.iter().map(|error| error.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "municipality_id",
                "theme_id",
                "title",
                "problem",
                "goal",
                "proposal"
            ]
        );
        let valid = InitiativeInput {
            municipality_id: String::new(),
            theme_id: "3".into(),
            title: "  Тихие дворы  ".into(),
            problem: "Ночной шум во дворах мешает жителям спать.".into(),
            goal: "Тишина после 23:00.".into(),
            proposal: "Запретить шумные работы во дворах с 23:00 до 7:00.".into(),
        }
        .validate()
        .expect("valid");
        assert_eq!(valid.municipality_id, None, "empty is regional");
        assert_eq!(valid.title, "Тихие дворы");
    }

    #[test]
    fn reasons_are_required_where_the_step_needs_one() {
        assert!(validate_reason(Action::Refuse, "  ").is_err());
        assert_eq!(validate_reason(Action::Publish, ""), Ok(String::new()));
        assert_eq!(
            validate_reason(Action::Archive, " дубль № 4 "),
            Ok("дубль № 4".into())
        );
    }

    #[test]
    fn url_parameters_ignore_malformed_values_and_round_trip() {
        let query = InitiativeQuery {
            level: "region".into(),
            stage: "discussion".into(),
            page: "3".into(),
        };
        assert_eq!(
            query.filter(),
            InitiativeFilter {
                level: Level::Region,
                stage: Some(Stage::Discussion)
            }
        );
        assert_eq!(query.page(), 3);
        assert_eq!(
            query.to_query_string(2),
            "?level=region&stage=discussion&page=2"
        );
        let odd = InitiativeQuery {
            level: "<script>".into(),
            stage: "nope".into(),
            page: "-1".into(),
        };
        assert_eq!(
            odd.filter(),
            InitiativeFilter {
                level: Level::All,
                stage: None
            }
        );
        assert_eq!(odd.page(), 1);
    }

    #[test]
    fn stage_dates_come_from_the_history() {
        let at = |day: u32| {
            chrono::NaiveDate::from_ymd_opt(2026, 3, day)
                .and_then(|date| date.and_hms_opt(10, 0, 0))
                .expect("a valid test date")
        };
        let entry = |kind, stage, day| HistoryEntry {
            kind,
            stage,
            actor_name: None,
            body: None,
            at: at(day),
        };
        let detail = InitiativeDetail {
            summary: InitiativeSummary {
                id: InitiativeId(1),
                title: "t".into(),
                stage: Stage::Discussion,
                municipality_id: None,
                theme_id: ThemeId(1),
                department_id: None,
                support_count: 0,
                support_threshold: 1,
                comment_count: 0,
                stage_started_at: at(3),
                stage_ends_at: None,
            },
            author_edits: false,
            author_name: "a".into(),
            author_id: UserId(1),
            problem: String::new(),
            goal: String::new(),
            proposal: String::new(),
            created_at: at(1),
            history: vec![
                entry(EventKind::Proposed, Stage::Moderation, 1),
                entry(EventKind::Step(Action::Publish), Stage::Concept, 2),
                entry(
                    EventKind::Step(Action::ReachThreshold),
                    Stage::Discussion,
                    3,
                ),
            ],
            reaction: None,
            act: None,
            comments: CommentPage::default(),
            positions: PositionSummary::default(),
            now: at(4),
        };
        let dates = detail.stage_dates();
        assert_eq!(dates[0], (Stage::Concept, Some(at(2))));
        assert_eq!(dates[1], (Stage::Discussion, Some(at(3))));
        assert_eq!(dates[2], (Stage::Drafting, None));
    }
}
