//! The page of each kind of civic subject. It names the features, so it sits with the
//! shell above them; the bell and the moderators' queue link subjects through it.

use crate::constructions::model::CONSTRUCTION_REPORT;
use crate::lawmaking::model::INITIATIVE;
use crate::priorities::model::PRIORITY;
use crate::problems::model::PROBLEM;
use crate::services::model::GOV_SERVICE;
use crate::solutions::model::{CHALLENGE, SOLUTION};

/// The page of subject `id` of `kind` (a stored `SubjectKind` name); `None` for a kind
/// this version does not know.
pub fn href(kind: &str, id: u64) -> Option<String> {
    if kind == PROBLEM.as_str() {
        Some(format!("/problems/{id}"))
    } else if kind == CONSTRUCTION_REPORT.as_str() {
        Some(format!("/constructions/reports/{id}"))
    } else if kind == INITIATIVE.as_str() {
        Some(format!("/lawmaking/{id}"))
    } else if kind == GOV_SERVICE.as_str() {
        Some(format!("/services/{id}"))
    } else if kind == PRIORITY.as_str() {
        Some(format!("/ranks/priority/{id}"))
    } else if kind == CHALLENGE.as_str() {
        Some(format!("/solutions/challenges/{id}"))
    } else if kind == SOLUTION.as_str() {
        Some(format!("/solutions/{id}"))
    } else {
        None
    }
}
