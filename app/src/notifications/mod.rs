//! The bell and `/notifications`: every feature's notifications in one list.
//!
//! The civic layer stores what happened to which subject; this module, above the
//! features, turns each stored notification into a text, a title and a link through the
//! feature that owns its subject.

pub mod components;
#[cfg(feature = "ssr")]
mod describe;
#[cfg(feature = "ssr")]
pub mod mail;
pub mod server_fns;

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use crate::constructions::model::ReportStatus;
use crate::i18n::Msg;
use crate::lawmaking::model::EventKind as InitiativeEvent;
use crate::moderation::model::Decision;
use crate::problems::model::EventKind;
use civic::notifications::NotificationId;

/// What a notification tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "about", content = "kind", rename_all = "snake_case")]
pub enum NotificationKind {
    /// A step of a problem.
    Problem(EventKind),
    /// A construction report entered this status.
    ConstructionReport(ReportStatus),
    /// A step of an initiative.
    Initiative(InitiativeEvent),
    /// A service's provider answered the reader's review.
    ServiceAnswered,
    /// Moderators published the reader's proposed priority.
    PriorityAccepted,
    /// Moderators declined the reader's proposed priority.
    PriorityRejected,
    /// A solution was proposed to a challenge the reader follows.
    SolutionProposed,
    /// The owner answered a solution the reader follows.
    SolutionAnswered,
    /// A solution the reader follows became a law-making initiative.
    SolutionBecameInitiative,
    /// Someone commented a publication the reader follows (wrote or commented).
    PublicationCommented,
    /// A moderator decided on a report of something of the reader's.
    Moderation(Decision),
}

/// A notification as the bell shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    /// Its id.
    pub id: NotificationId,
    /// What happened.
    pub kind: NotificationKind,
    /// The page it is about.
    pub href: String,
    /// What it is about: a problem's title, a report's number.
    pub title: String,
    /// When.
    pub at: NaiveDateTime,
    /// Whether it was read.
    pub read: bool,
}

impl NotificationKind {
    /// The text of a notification.
    pub fn msg(self) -> Msg {
        match self {
            NotificationKind::Problem(kind) => kind.msg(),
            NotificationKind::ConstructionReport(status) => status.msg(),
            NotificationKind::Initiative(event) => event.msg(),
            NotificationKind::ServiceAnswered => Msg::SvcAnswered,
            NotificationKind::PriorityAccepted => Msg::PriAccepted,
            NotificationKind::PriorityRejected => Msg::PriRejected,
            NotificationKind::SolutionProposed => Msg::SolNoticeProposed,
            NotificationKind::SolutionAnswered => Msg::SolNoticeAnswered,
            NotificationKind::SolutionBecameInitiative => Msg::LnkNoticeInitiative,
            NotificationKind::PublicationCommented => Msg::PubNoticeCommented,
            NotificationKind::Moderation(decision) => match decision {
                Decision::Hide => Msg::ModNoticeHidden,
                Decision::Suspend => Msg::ModNoticeSuspended,
                Decision::Warn | Decision::Dismiss => Msg::ModNoticeWarned,
            },
        }
    }
}
