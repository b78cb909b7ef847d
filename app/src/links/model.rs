//! What a page's links section receives.

use serde::{Deserialize, Serialize};

use crate::i18n::Msg;
use crate::lawmaking::model::INITIATIVE;
use crate::problems::model::PROBLEM;
use civic::subject::SubjectKind;

/// The notification of a solution's followers when it became an initiative.
pub const BECAME_INITIATIVE: &str = "became_initiative";

/// The most links one subject shows (a challenge about many problems).
pub const MAX_LINKS: u32 = 100;

/// How a link reads from the page it is shown on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LinkReading {
    /// On a solution: the initiative it became.
    BecameInitiative,
    /// On an initiative: the solution it grew out of.
    GrewOutOfSolution,
    /// On a challenge: a problem it concerns.
    ConcernsProblem,
    /// On a challenge: an initiative it concerns.
    ConcernsInitiative,
    /// On a problem or an initiative: a challenge that concerns it.
    InChallenge,
}

impl LinkReading {
    /// Its text before the other end's title.
    pub fn msg(self) -> Msg {
        match self {
            Self::BecameInitiative => Msg::LnkBecameInitiative,
            Self::GrewOutOfSolution => Msg::LnkGrewOutOfSolution,
            Self::ConcernsProblem => Msg::LnkConcernsProblem,
            Self::ConcernsInitiative => Msg::LnkConcernsInitiative,
            Self::InChallenge => Msg::LnkInChallenge,
        }
    }
}

/// The other end of one link, as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkedSubject {
    /// How the link reads.
    pub reading: LinkReading,
    /// The other end's kind (a stored subject kind name).
    pub kind: String,
    /// Its number.
    pub id: u64,
    /// Its title.
    pub title: String,
    /// Its page.
    pub href: String,
}

/// An initiative as the form to turn a solution into one starts: the solution's and its
/// challenge's texts, for the owner to edit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InitiativeDraft {
    /// The solution's title.
    pub title: String,
    /// The challenge's description.
    pub problem: String,
    /// The solution's description.
    pub proposal: String,
}

/// A page's links section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinksView {
    /// The links the reader may see (an end they may not see is left out), the links
    /// from the subject first.
    pub links: Vec<LinkedSubject>,
    /// On an accepted solution not yet turned, for its challenge's owner: the form's start.
    pub draft: Option<InitiativeDraft>,
    /// On a challenge, for its owner: whether they may link and unlink.
    pub may_link: bool,
    /// On a public problem, for anyone signed in: whether they may propose how to fix it.
    pub may_propose: bool,
}

/// The kinds a challenge links to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LinkTarget {
    /// A problem of citizens' control.
    Problem,
    /// A law-making initiative.
    Initiative,
}

impl LinkTarget {
    /// Both, in the form's order.
    pub const ALL: [Self; 2] = [Self::Problem, Self::Initiative];

    /// The form's value.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Problem => "problem",
            Self::Initiative => "initiative",
        }
    }

    /// The target whose form value is `value`.
    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|target| target.as_str() == value)
    }

    /// The subject kind it names.
    pub const fn kind(self) -> SubjectKind {
        match self {
            Self::Problem => PROBLEM,
            Self::Initiative => INITIATIVE,
        }
    }

    /// Its name in the form.
    pub fn msg(self) -> Msg {
        match self {
            Self::Problem => Msg::LnkProblem,
            Self::Initiative => Msg::LnkInitiative,
        }
    }
}
