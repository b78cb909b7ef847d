//! The names this feature's values show under, from the app's text table.

use super::model::drafting::{AmendmentStatus, ChangeKind, Disposition, PREAMBLE};
use super::model::expertise::{RemarkCategory, RemarkStatus, Verdict};
use super::model::{Action, EventKind, Stage, ThresholdLevel};
use crate::i18n::Msg;

impl Stage {
    /// The name of a stage stored as `value`, for a refused step's message.
    pub fn stored_name(value: &str) -> Option<Msg> {
        Self::from_db(value).map(Self::msg)
    }

    /// The name of a stage.
    pub fn msg(self) -> Msg {
        match self {
            Stage::Moderation => Msg::StageModeration,
            Stage::Refused => Msg::StageRefused,
            Stage::Concept => Msg::StageConcept,
            Stage::Discussion => Msg::StageDiscussion,
            Stage::Drafting => Msg::StageDrafting,
            Stage::Expertise => Msg::StageExpertise,
            Stage::Reaction => Msg::StageReaction,
            Stage::Adopted => Msg::StageAdopted,
            Stage::Rejected => Msg::StageRejected,
            Stage::Withdrawn => Msg::StageWithdrawn,
            Stage::Archived => Msg::StageArchived,
        }
    }
}

impl Action {
    /// The button label of a step.
    pub fn msg(self) -> Msg {
        match self {
            Action::Publish => Msg::InitiativePublish,
            Action::Refuse => Msg::InitiativeRefuse,
            Action::Advance => Msg::InitiativeAdvance,
            Action::ReachThreshold => Msg::InitiativeReachThreshold,
            Action::Expire => Msg::InitiativeExpire,
            Action::CloseDiscussion => Msg::InitiativeCloseDiscussion,
            Action::StartDrafting => Msg::InitiativeStartDrafting,
            Action::StartExpertise => Msg::InitiativeStartExpertise,
            Action::CloseExpertise => Msg::InitiativeCloseExpertise,
            Action::Adopt => Msg::InitiativeAdopt,
            Action::SendBack => Msg::InitiativeSendBack,
            Action::Reject => Msg::InitiativeReject,
            Action::Withdraw => Msg::InitiativeWithdraw,
            Action::Archive => Msg::InitiativeArchive,
        }
    }
}

impl ThresholdLevel {
    /// The name of a level of the support threshold.
    pub fn msg(self) -> Msg {
        match self {
            ThresholdLevel::Region => Msg::LevelRegion,
            ThresholdLevel::CityOkrug => Msg::CityOkrug,
            ThresholdLevel::MunicipalDistrict => Msg::MunicipalDistrict,
        }
    }
}

impl EventKind {
    /// The history's (and the bell's) text of an event.
    pub fn msg(self) -> Msg {
        match self {
            EventKind::Proposed => Msg::EventInitiativeProposed,
            EventKind::VersionPublished => Msg::EventInitiativeVersionPublished,
            EventKind::AmendmentDecided => Msg::EventAmendmentDecided,
            EventKind::ConclusionPublished => Msg::EventConclusionPublished,
            EventKind::RemarkDecided => Msg::EventRemarkDecided,
            EventKind::ExpertAssigned => Msg::EventExpertAssigned,
            EventKind::ReactionReminder => Msg::EventReactionReminder,
            EventKind::ReactionOverdue => Msg::EventReactionOverdue,
            EventKind::ReactionEscalated => Msg::EventReactionEscalated,
            EventKind::BodyReassigned => Msg::EventBodyReassigned,
            EventKind::AuthorEditingAllowed => Msg::EventAuthorEditingAllowed,
            EventKind::AuthorEditingWithdrawn => Msg::EventAuthorEditingWithdrawn,
            EventKind::Step(Action::Publish) => Msg::EventInitiativePublished,
            EventKind::Step(Action::Refuse) => Msg::EventInitiativeRefused,
            EventKind::Step(Action::Advance) => Msg::EventInitiativeAdvanced,
            EventKind::Step(Action::ReachThreshold) => Msg::EventInitiativeThresholdReached,
            EventKind::Step(Action::Expire) => Msg::EventInitiativeNotSupported,
            EventKind::Step(Action::CloseDiscussion) => Msg::EventInitiativeDiscussionClosed,
            EventKind::Step(Action::StartDrafting) => Msg::EventInitiativeDraftingStarted,
            EventKind::Step(Action::StartExpertise) => Msg::EventInitiativeExpertiseStarted,
            EventKind::Step(Action::CloseExpertise) => Msg::EventInitiativeExpertiseClosed,
            EventKind::Step(Action::Adopt) => Msg::EventInitiativeAdopted,
            EventKind::Step(Action::SendBack) => Msg::EventInitiativeSentBack,
            EventKind::Step(Action::Reject) => Msg::EventInitiativeRejected,
            EventKind::Step(Action::Withdraw) => Msg::EventInitiativeWithdrawn,
            EventKind::Step(Action::Archive) => Msg::EventInitiativeArchived,
        }
    }
}

impl AmendmentStatus {
    /// The name of an amendment's status stored as `value`, for a refused step's message.
    pub fn stored_name(value: &str) -> Option<Msg> {
        Self::from_db(value).map(Self::msg)
    }

    /// The name of a status.
    pub fn msg(self) -> Msg {
        match self {
            AmendmentStatus::Open => Msg::AmendmentOpen,
            AmendmentStatus::Decided(Disposition::Accepted) => Msg::AmendmentAccepted,
            AmendmentStatus::Decided(Disposition::PartlyAccepted) => Msg::AmendmentPartlyAccepted,
            AmendmentStatus::Decided(Disposition::Rejected) => Msg::AmendmentRejected,
            AmendmentStatus::Outdated => Msg::AmendmentOutdated,
        }
    }
}

impl RemarkStatus {
    /// The name of a remark's status stored as `value`, for a refused step's message.
    pub fn stored_name(value: &str) -> Option<Msg> {
        Self::from_db(value).map(Self::msg)
    }

    /// The name of a status.
    pub fn msg(self) -> Msg {
        match self {
            RemarkStatus::Open => Msg::RemarkOpen,
            RemarkStatus::Decided(Disposition::Accepted) => Msg::RemarkAccepted,
            RemarkStatus::Decided(Disposition::PartlyAccepted) => Msg::RemarkPartlyAccepted,
            RemarkStatus::Decided(Disposition::Rejected) => Msg::RemarkRejected,
        }
    }
}

impl Verdict {
    /// The name of a verdict.
    pub fn msg(self) -> Msg {
        match self {
            Verdict::Support => Msg::VerdictSupport,
            Verdict::SupportWithRemarks => Msg::VerdictSupportWithRemarks,
            Verdict::Reject => Msg::VerdictReject,
        }
    }
}

impl RemarkCategory {
    /// The name of a category.
    pub fn msg(self) -> Msg {
        match self {
            RemarkCategory::Corruption => Msg::CategoryCorruption,
            RemarkCategory::HigherLaw => Msg::CategoryHigherLaw,
            RemarkCategory::LegalTechnique => Msg::CategoryLegalTechnique,
            RemarkCategory::Budget => Msg::CategoryBudget,
            RemarkCategory::Regulatory => Msg::CategoryRegulatory,
            RemarkCategory::Other => Msg::CategoryOther,
        }
    }
}

impl ChangeKind {
    /// What became of an article between two versions.
    pub fn msg(self) -> Msg {
        match self {
            ChangeKind::Same => Msg::ChangeSame,
            ChangeKind::Added => Msg::ChangeAdded,
            ChangeKind::Removed => Msg::ChangeRemoved,
            ChangeKind::Changed => Msg::ChangeChanged,
        }
    }
}

/// How an article's number reads: as written ("Статья 3."), `preamble` for the text
/// before the first number, "N." for a paragraph of an unnumbered text.
pub fn article_name(label: &str, heading: &str, preamble: &str) -> String {
    match (heading, label) {
        ("", PREAMBLE) => preamble.to_string(),
        ("", label) => format!("{label}."),
        (heading, _) => heading.to_string(),
    }
}
