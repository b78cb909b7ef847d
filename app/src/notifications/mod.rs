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

use crate::constructions::model::{CONSTRUCTION_REPORT, ReportStatus};
use crate::i18n::Msg;
use crate::lawmaking::model::{EventKind as InitiativeEvent, INITIATIVE};
use crate::moderation::model::Decision;
use crate::priorities::model::PRIORITY;
use crate::problems::model::{EventKind, PROBLEM};
use crate::publications::model::PUBLICATION;
use crate::services::model::GOV_SERVICE;
use crate::solutions::model::{CHALLENGE, SOLUTION};
use civic::notifications::NotificationId;
use civic::subject::SubjectKind;

/// The kinds of subject whose notifications a person may route (the topics of the
/// settings), with what the settings call them. A moderator's decision and officials'
/// work are not among them: those always arrive.
pub const TOPICS: [(SubjectKind, Msg); 8] = [
    (PROBLEM, Msg::NtfTopicProblems),
    (CONSTRUCTION_REPORT, Msg::NtfTopicConstruction),
    (INITIATIVE, Msg::NtfTopicInitiatives),
    (CHALLENGE, Msg::NtfTopicChallenges),
    (SOLUTION, Msg::NtfTopicSolutions),
    (PUBLICATION, Msg::NtfTopicPublications),
    (GOV_SERVICE, Msg::NtfTopicServices),
    (PRIORITY, Msg::NtfTopicPriorities),
];

/// Where the notifications of one topic go.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Delivery {
    /// The bell, and e-mail as the general e-mail setting says.
    #[default]
    Default,
    /// The bell and e-mail.
    BellAndMail,
    /// The bell only.
    BellOnly,
    /// Nowhere.
    Off,
}

impl Delivery {
    /// Every choice, in the order the settings offer them.
    pub const ALL: [Delivery; 4] = [
        Delivery::Default,
        Delivery::BellAndMail,
        Delivery::BellOnly,
        Delivery::Off,
    ];

    /// Its name in a form.
    pub fn as_param(self) -> &'static str {
        match self {
            Delivery::Default => "default",
            Delivery::BellAndMail => "bell_and_mail",
            Delivery::BellOnly => "bell_only",
            Delivery::Off => "off",
        }
    }

    /// The choice a form names.
    pub fn from_param(text: &str) -> Option<Delivery> {
        Self::ALL
            .into_iter()
            .find(|delivery| delivery.as_param() == text)
    }

    /// As stored: (bell, mail), or `None` for the defaults.
    pub fn stored(self) -> Option<(bool, bool)> {
        match self {
            Delivery::Default => None,
            Delivery::BellAndMail => Some((true, true)),
            Delivery::BellOnly => Some((true, false)),
            Delivery::Off => Some((false, false)),
        }
    }

    /// The choice a stored (bell, mail) is; a bell-less mail, which the settings do not
    /// offer, reads as `Off`.
    pub fn from_stored(bell: bool, mail: bool) -> Delivery {
        match (bell, mail) {
            (true, true) => Delivery::BellAndMail,
            (true, false) => Delivery::BellOnly,
            (false, _) => Delivery::Off,
        }
    }

    /// What the settings call it.
    pub fn msg(self) -> Msg {
        match self {
            Delivery::Default => Msg::NtfDeliveryDefault,
            Delivery::BellAndMail => Msg::NtfDeliveryBellAndMail,
            Delivery::BellOnly => Msg::NtfDeliveryBellOnly,
            Delivery::Off => Msg::NtfDeliveryOff,
        }
    }
}

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
                Decision::Remove => Msg::ModNoticeRemoved,
                Decision::Suspend => Msg::ModNoticeSuspended,
                Decision::Warn | Decision::Dismiss => Msg::ModNoticeWarned,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_delivery_is_stored_and_read_back_as_itself() {
        for delivery in Delivery::ALL {
            assert_eq!(Delivery::from_param(delivery.as_param()), Some(delivery));
            let read = delivery.stored().map_or(Delivery::Default, |(bell, mail)| {
                Delivery::from_stored(bell, mail)
            });
            assert_eq!(read, delivery);
        }
        assert_eq!(Delivery::from_param("mail_only"), None);
    }
}
