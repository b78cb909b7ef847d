//! The names this feature's values show under, from the app's text table.

use super::model::{EventKind, Outcome, ProblemAction, ProblemSort, ProblemStatus};
use crate::i18n::Msg;

impl ProblemStatus {
    /// The name of a problem status stored as `value`, for a refused step's message.
    pub fn stored_name(value: &str) -> Option<Msg> {
        Self::from_db(value).map(Self::msg)
    }

    /// The name of a problem status.
    pub fn msg(self) -> Msg {
        match self {
            ProblemStatus::Moderation => Msg::StatusModeration,
            ProblemStatus::Published => Msg::StatusPublished,
            ProblemStatus::InProgress => Msg::StatusInProgress,
            ProblemStatus::Answered => Msg::StatusAnswered,
            ProblemStatus::Planned => Msg::StatusPlanned,
            ProblemStatus::Resolved => Msg::StatusResolved,
            ProblemStatus::Closed => Msg::StatusClosed,
            ProblemStatus::Rejected => Msg::StatusRejected,
            ProblemStatus::Duplicate => Msg::StatusDuplicate,
        }
    }
}

impl EventKind {
    /// The timeline (and notification) text of an event.
    pub fn msg(self) -> Msg {
        match self {
            EventKind::Submitted => Msg::EventSubmitted,
            EventKind::Published => Msg::EventPublished,
            EventKind::Rejected => Msg::EventRejected,
            EventKind::Routed => Msg::EventRouted,
            EventKind::Reassigned => Msg::EventReassigned,
            EventKind::HandedBack => Msg::EventHandedBack,
            EventKind::Acknowledged => Msg::EventAcknowledged,
            EventKind::Answered => Msg::EventAnswered,
            EventKind::Planned => Msg::EventPlanned,
            EventKind::Resolved => Msg::EventResolved,
            EventKind::Confirmed => Msg::EventConfirmed,
            EventKind::Reopened => Msg::EventReopened,
            EventKind::Merged => Msg::EventMerged,
            EventKind::Escalated => Msg::EventEscalated,
            EventKind::Overdue => Msg::EventOverdue,
            EventKind::ResultOverdue => Msg::EventResultOverdue,
            EventKind::PlanLapsed => Msg::EventPlanLapsed,
            EventKind::Instructed => Msg::EventInstructed,
            EventKind::Closed => Msg::EventClosed,
            EventKind::Edited => Msg::EventEdited,
            EventKind::Reminder => Msg::EventReminder,
        }
    }
}

impl ProblemAction {
    /// The button label of a step.
    pub fn msg(self) -> Msg {
        match self {
            ProblemAction::Publish => Msg::ActionPublish,
            ProblemAction::Reject => Msg::ActionReject,
            ProblemAction::Edit => Msg::ActionEdit,
            ProblemAction::Reassign => Msg::ActionReassign,
            ProblemAction::Merge => Msg::ActionMerge,
            ProblemAction::Acknowledge => Msg::ActionAcknowledge,
            ProblemAction::Answer => Msg::ActionAnswer,
            ProblemAction::Plan => Msg::ActionPlan,
            ProblemAction::Resolve => Msg::ActionResolve,
            ProblemAction::HandBack => Msg::ActionHandBack,
            ProblemAction::Instruct => Msg::ActionInstruct,
            ProblemAction::Confirm => Msg::ActionConfirm,
            ProblemAction::Reopen => Msg::ActionReopen,
            ProblemAction::Close => Msg::ActionClose,
        }
    }
}

impl ProblemSort {
    /// The name of a list order.
    pub fn msg(self) -> Msg {
        match self {
            ProblemSort::Newest => Msg::SortNewest,
            ProblemSort::Supported => Msg::SortSupported,
            ProblemSort::Deadline => Msg::SortDeadline,
        }
    }
}

impl Outcome {
    /// The name of an outcome, as the dashboard's figure is named.
    pub fn msg(self) -> Msg {
        match self {
            Outcome::Reacted => Msg::DashReacted,
            Outcome::ReactedOnTime => Msg::DashOnTime,
            Outcome::Resolved => Msg::DashResolved,
        }
    }
}
