//! Stored notifications described by the features that own their subjects.

use std::collections::HashMap;

use diesel::prelude::*;
use diesel_async::{AsyncMysqlConnection, RunQueryDsl};

use super::{Notification, NotificationKind};
use crate::constructions::model::{CONSTRUCTION_REPORT, ReportStatus};
use crate::problems::model::{EventKind, PROBLEM, ProblemId};
use civic::notifications::StoredNotification;
use platform::db::schema::problems;

/// The bell's view of `stored`, in the same order; a notification whose subject kind or
/// event is unknown to this version (written by a newer one) is left out.
pub async fn describe(
    conn: &mut AsyncMysqlConnection,
    stored: Vec<StoredNotification>,
) -> QueryResult<Vec<Notification>> {
    let problem_ids: Vec<ProblemId> = stored
        .iter()
        .filter(|item| item.subject_kind == PROBLEM.as_str())
        .map(|item| ProblemId(item.subject_id))
        .collect();
    let titles: HashMap<ProblemId, String> = if problem_ids.is_empty() {
        HashMap::new()
    } else {
        problems::table
            .filter(problems::id.eq_any(&problem_ids))
            .select((problems::id, problems::title))
            .load::<(ProblemId, String)>(conn)
            .await?
            .into_iter()
            .collect()
    };
    Ok(stored
        .into_iter()
        .filter_map(|item| {
            let id = item.subject_id;
            let (kind, title) = match item.subject_kind.as_str() {
                kind if kind == PROBLEM.as_str() => (
                    NotificationKind::Problem(EventKind::from_db(&item.kind)?),
                    titles.get(&ProblemId(id)).cloned().unwrap_or_default(),
                ),
                kind if kind == CONSTRUCTION_REPORT.as_str() => (
                    NotificationKind::ConstructionReport(ReportStatus::from_db(&item.kind)?),
                    format!("№ {id}"),
                ),
                _ => return None,
            };
            let href = crate::subjects::href(&item.subject_kind, id)?;
            Some(Notification {
                id: item.id,
                kind,
                href,
                title,
                at: item.at,
                read: item.read,
            })
        })
        .collect())
}
