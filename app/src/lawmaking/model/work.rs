//! The staff's law-making work: what waits for a moderator, for an editor, for experts and
//! for the government's reaction, and the control view of reactions per responsible body.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use super::InitiativeSummary;
use super::expertise::ReactionClock;
use crate::organisation::model::DepartmentId;

/// The most initiatives one queue lists.
pub const QUEUE_LIMIT: i64 = 100;

/// An initiative waiting for the government's reaction, with its clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReactionItem {
    /// The initiative.
    pub summary: InitiativeSummary,
    /// Its clock.
    pub clock: ReactionClock,
}

/// The reactions one responsible body owes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BodyReactions {
    /// The body.
    pub department_id: DepartmentId,
    /// Reactions due, overdue ones included.
    pub due: u32,
    /// Of those, the overdue ones.
    pub overdue: u32,
}

/// What waits for the viewer, by their roles; a queue the viewer has no part in is empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkQueues {
    /// Moderators: initiatives waiting for moderation, oldest first.
    pub moderation: Vec<InitiativeSummary>,
    /// Moderators: initiatives drafted or examined with no assigned expert, or with a
    /// volunteer waiting for approval.
    pub experts_needed: Vec<InitiativeSummary>,
    /// Officials: their bodies' initiatives in drafting.
    pub drafting: Vec<InitiativeSummary>,
    /// Officials: their bodies' initiatives under expertise, with the remarks still
    /// waiting for a decision.
    pub expertise: Vec<(InitiativeSummary, u32)>,
    /// Reactions due (their bodies' for officials, all for moderators, analysts and
    /// admins), the nearest deadline first.
    pub reactions: Vec<ReactionItem>,
    /// The control view: reactions due and overdue per body, most overdue first.
    pub control: Vec<BodyReactions>,
    /// The server's time of the answer (UTC), for countdowns.
    pub now: NaiveDateTime,
}

impl BodyReactions {
    /// The control view's order: most overdue first, then most due, then by body.
    pub fn sort(rows: &mut [BodyReactions]) {
        rows.sort_by(|a, b| {
            b.overdue
                .cmp(&a.overdue)
                .then(b.due.cmp(&a.due))
                .then(a.department_id.cmp(&b.department_id))
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_control_view_puts_the_most_overdue_body_first() {
        let row = |id: u64, due: u32, overdue: u32| BodyReactions {
            department_id: DepartmentId(id),
            due,
            overdue,
        };
        let mut rows = vec![row(1, 5, 0), row(2, 2, 2), row(3, 7, 0), row(4, 3, 2)];
        BodyReactions::sort(&mut rows);
        let order: Vec<u64> = rows.iter().map(|row| row.department_id.0).collect();
        assert_eq!(order, [4, 2, 3, 1]);
    }
}
