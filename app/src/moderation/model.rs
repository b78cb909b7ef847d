//! What may be reported and what moderators decide, as the wire carries them.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use platform::ids::UserId;

/// The longest reason, of a report or of a decision, in characters.
pub const REASON_MAX: usize = 500;

/// The longest suspension a moderator may give, in days.
pub const SUSPENSION_DAYS_MAX: u32 = 90;

/// What a notification of a moderator's decision is about (its subject kind).
pub const DECISION: &str = "moderation";

/// What people report here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReportedKind {
    /// A publication.
    Publication,
    /// A person's profile.
    Person,
    /// A direct message, reported by its addressee.
    Message,
}

impl ReportedKind {
    /// Every kind.
    pub const ALL: [ReportedKind; 3] = [Self::Publication, Self::Person, Self::Message];

    /// Its stored name.
    pub fn as_db(self) -> &'static str {
        match self {
            Self::Publication => "publication",
            Self::Person => "person",
            Self::Message => "message",
        }
    }

    /// The kind a stored name names.
    pub fn from_db(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_db() == text)
    }
}

/// A moderator's decision on a reported subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Decision {
    /// The publication leaves every feed; its author still sees it, with the reason.
    Hide,
    /// The author is warned.
    Warn,
    /// The author may not write, publish or comment for some days.
    Suspend,
    /// Nothing wrong: the reports are closed.
    Dismiss,
}

impl Decision {
    /// Every decision.
    pub const ALL: [Decision; 4] = [Self::Hide, Self::Warn, Self::Suspend, Self::Dismiss];

    /// Its stored name.
    pub fn as_db(self) -> &'static str {
        match self {
            Self::Hide => "hide",
            Self::Warn => "warn",
            Self::Suspend => "suspend",
            Self::Dismiss => "dismiss",
        }
    }

    /// The decision a stored name names.
    pub fn from_db(text: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|decision| decision.as_db() == text)
    }
}

/// A reported subject in the moderators' queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportedItem {
    /// What it is.
    pub kind: ReportedKind,
    /// Its id.
    pub id: u64,
    /// Whose it is.
    pub author_id: UserId,
    /// Their name.
    pub author_name: String,
    /// Its text (a profile's "about"), shortened.
    pub excerpt: String,
    /// Its page, for the moderator to look at.
    pub href: Option<String>,
    /// How many people reported it.
    pub reports: u32,
    /// The newest report's reason.
    pub latest_reason: String,
    /// When it was first reported (UTC).
    pub first_at: NaiveDateTime,
}

/// A decision as its author's notification shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionNotice {
    /// What was decided.
    pub decision: Decision,
    /// Why.
    pub reason: String,
    /// The page of what it was about.
    pub href: String,
}
