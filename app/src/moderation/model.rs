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
    /// A photo album.
    Gallery,
    /// A city challenge published for solutions.
    Challenge,
    /// A citizen's solution to a challenge.
    Solution,
}

impl ReportedKind {
    /// Every kind.
    pub const ALL: [ReportedKind; 6] = [
        Self::Publication,
        Self::Person,
        Self::Message,
        Self::Gallery,
        Self::Challenge,
        Self::Solution,
    ];

    /// Its stored name.
    pub fn as_db(self) -> &'static str {
        match self {
            Self::Publication => "publication",
            Self::Person => "person",
            Self::Message => "message",
            Self::Gallery => "gallery",
            Self::Challenge => "challenge",
            Self::Solution => "solution",
        }
    }

    /// Whether a moderator may hide it (take it out of every list, its author still
    /// seeing it with the reason): what is published, not a person or a private message.
    pub fn hideable(self) -> bool {
        matches!(
            self,
            Self::Publication | Self::Gallery | Self::Challenge | Self::Solution
        )
    }

    /// Whether a moderator may remove it for good: a publication's text and photos, an
    /// album, a profile's text and avatar. A challenge or a solution is hidden instead
    /// (others' supports, comments and links hang on it); a message is not touched.
    pub fn removable(self) -> bool {
        matches!(self, Self::Publication | Self::Gallery | Self::Person)
    }

    /// Whether `decision` applies to it.
    pub fn allows(self, decision: Decision) -> bool {
        match decision {
            Decision::Hide => self.hideable(),
            Decision::Remove => self.removable(),
            Decision::Warn | Decision::Suspend | Decision::Dismiss => true,
        }
    }

    /// The kind a stored name names.
    pub fn from_db(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_db() == text)
    }

    /// Reported subject `id` as a civic subject: each stored name is also the subject
    /// kind its feature declares (`publication`, `gallery`, `person`, ...).
    pub fn subject(self, id: u64) -> civic::subject::Subject {
        civic::subject::Subject::new(civic::subject::SubjectKind::new(self.as_db()), id)
    }
}

/// A moderator's decision on a reported subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Decision {
    /// It leaves every list; its author still sees it, with the reason.
    Hide,
    /// Its content is erased for good: a publication's text and photos (its author sees
    /// the reason where it was), an album, a profile's text and avatar.
    Remove,
    /// The author is warned.
    Warn,
    /// The author may not write, publish or comment for some days.
    Suspend,
    /// Nothing wrong: the reports are closed.
    Dismiss,
}

impl Decision {
    /// Every decision.
    pub const ALL: [Decision; 5] = [
        Self::Hide,
        Self::Remove,
        Self::Warn,
        Self::Suspend,
        Self::Dismiss,
    ];

    /// Its stored name.
    pub fn as_db(self) -> &'static str {
        match self {
            Self::Hide => "hide",
            Self::Remove => "remove",
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
