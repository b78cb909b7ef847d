//! Stored notifications described by the features that own their subjects.

use std::collections::HashMap;

use diesel::prelude::*;
use diesel_async::{AsyncMysqlConnection, RunQueryDsl};

use super::{Notification, NotificationKind};
use crate::auth::model::{Role, SessionUser, UserId};
use crate::constructions::model::{CONSTRUCTION_REPORT, ReportStatus};
use crate::lawmaking::model::{EventKind as InitiativeEvent, INITIATIVE};
use crate::links::model::BECAME_INITIATIVE;
use crate::moderation::model::{DECISION, DecisionNotice};
use crate::moderation::queries::Moderation;
use crate::priorities::model::{ACCEPTED, PRIORITY, PriorityId, REJECTED};
use crate::problems::model::{EventKind, PROBLEM, ProblemId, ProblemStatus};
use crate::publications::model::PUBLICATION;
use crate::publications::queries::{COMMENTED, Publications};
use crate::services::model::{ANSWERED, GOV_SERVICE, ServiceId};
use crate::solutions::model::{CHALLENGE, SOLUTION};
use civic::notifications::StoredNotification;
use platform::db::schema::{challenges, gov_services, priorities, problems, solutions};

/// The bell's view of `stored` for `reader`, in the same order; a notification whose
/// subject kind or event is unknown to this version (written by a newer one) is left out.
/// A subject's title is shown only to a reader who may see the subject itself: a problem
/// that left moderation rejected is named by its number alone.
pub async fn describe(
    conn: &mut AsyncMysqlConnection,
    reader: &SessionUser,
    stored: Vec<StoredNotification>,
) -> QueryResult<Vec<Notification>> {
    let problem_ids: Vec<ProblemId> = stored
        .iter()
        .filter(|item| item.subject_kind == PROBLEM.as_str())
        .map(|item| ProblemId(item.subject_id))
        .collect();
    let is_moderator = reader.has_role(Role::Moderator);
    let titles: HashMap<ProblemId, String> = if problem_ids.is_empty() {
        HashMap::new()
    } else {
        problems::table
            .filter(problems::id.eq_any(&problem_ids))
            .select((
                problems::id,
                problems::title,
                problems::status,
                problems::author_id,
            ))
            .load::<(ProblemId, String, String, UserId)>(conn)
            .await?
            .into_iter()
            .filter(|(_, _, status, author)| {
                ProblemStatus::from_db(status)
                    .is_some_and(|status| status.visible_to(*author == reader.id, is_moderator))
            })
            .map(|(id, title, _, _)| (id, title))
            .collect()
    };
    let service_ids: Vec<ServiceId> = stored
        .iter()
        .filter(|item| item.subject_kind == GOV_SERVICE.as_str())
        .map(|item| ServiceId(item.subject_id))
        .collect();
    // A service is public: its name is everyone's to read.
    let service_names: HashMap<ServiceId, String> = if service_ids.is_empty() {
        HashMap::new()
    } else {
        gov_services::table
            .filter(gov_services::id.eq_any(&service_ids))
            .select((
                gov_services::id,
                gov_services::name_ru,
                gov_services::name_en,
            ))
            .load::<(ServiceId, String, String)>(conn)
            .await?
            .into_iter()
            .map(|(id, russian, english)| (id, reader.locale.pick(&russian, &english).clone()))
            .collect()
    };
    let priority_ids: Vec<PriorityId> = stored
        .iter()
        .filter(|item| item.subject_kind == PRIORITY.as_str())
        .map(|item| PriorityId(item.subject_id))
        .collect();
    // The notifications name the reader's own proposals: their titles are theirs to read.
    let priority_titles: HashMap<PriorityId, String> = if priority_ids.is_empty() {
        HashMap::new()
    } else {
        priorities::table
            .filter(priorities::id.eq_any(&priority_ids))
            .select((priorities::id, priorities::title))
            .load::<(PriorityId, String)>(conn)
            .await?
            .into_iter()
            .collect()
    };
    // Challenges and solutions are public: their titles are everyone's to read.
    let ids_of = |kind: &str| -> Vec<u64> {
        stored
            .iter()
            .filter(|item| item.subject_kind == kind)
            .map(|item| item.subject_id)
            .collect()
    };
    let (challenge_ids, solution_ids) = (ids_of(CHALLENGE.as_str()), ids_of(SOLUTION.as_str()));
    let challenge_titles: HashMap<u64, String> = if challenge_ids.is_empty() {
        HashMap::new()
    } else {
        challenges::table
            .filter(challenges::id.eq_any(&challenge_ids))
            .select((challenges::id, challenges::title))
            .load::<(u64, String)>(conn)
            .await?
            .into_iter()
            .collect()
    };
    let solution_titles: HashMap<u64, String> = if solution_ids.is_empty() {
        HashMap::new()
    } else {
        solutions::table
            .filter(solutions::id.eq_any(&solution_ids))
            .select((solutions::id, solutions::title))
            .load::<(u64, String)>(conn)
            .await?
            .into_iter()
            .collect()
    };
    // A publication is named by its opening words.
    let publication_openings = Publications::openings(conn, &ids_of(PUBLICATION.as_str())).await?;
    // A moderator's decision is named by its reason and points at what it was about.
    let decisions: HashMap<u64, DecisionNotice> = Moderation::notices(conn, &ids_of(DECISION))
        .await?
        .into_iter()
        .collect();
    Ok(stored
        .into_iter()
        .filter_map(|item| {
            let id = item.subject_id;
            let (kind, title) = match item.subject_kind.as_str() {
                kind if kind == PROBLEM.as_str() => (
                    NotificationKind::Problem(EventKind::from_db(&item.kind)?),
                    titles
                        .get(&ProblemId(id))
                        .cloned()
                        .unwrap_or_else(|| format!("№ {id}")),
                ),
                kind if kind == CONSTRUCTION_REPORT.as_str() => (
                    NotificationKind::ConstructionReport(ReportStatus::from_db(&item.kind)?),
                    format!("№ {id}"),
                ),
                kind if kind == GOV_SERVICE.as_str() && item.kind == ANSWERED => (
                    NotificationKind::ServiceAnswered,
                    service_names
                        .get(&ServiceId(id))
                        .cloned()
                        .unwrap_or_else(|| format!("№ {id}")),
                ),
                kind if kind == PRIORITY.as_str() => (
                    match item.kind.as_str() {
                        ACCEPTED => NotificationKind::PriorityAccepted,
                        REJECTED => NotificationKind::PriorityRejected,
                        _ => return None,
                    },
                    priority_titles
                        .get(&PriorityId(id))
                        .cloned()
                        .unwrap_or_else(|| format!("№ {id}")),
                ),
                kind if kind == INITIATIVE.as_str() => (
                    NotificationKind::Initiative(InitiativeEvent::from_db(&item.kind)?),
                    format!("№ {id}"),
                ),
                kind if kind == CHALLENGE.as_str()
                    && item.kind == crate::solutions::model::PROPOSED =>
                {
                    (
                        NotificationKind::SolutionProposed,
                        challenge_titles.get(&id).cloned()?,
                    )
                }
                kind if kind == SOLUTION.as_str()
                    && item.kind == crate::solutions::model::ANSWERED =>
                {
                    (
                        NotificationKind::SolutionAnswered,
                        solution_titles.get(&id).cloned()?,
                    )
                }
                kind if kind == PUBLICATION.as_str() && item.kind == COMMENTED => (
                    NotificationKind::PublicationCommented,
                    publication_openings.get(&id).cloned()?,
                ),
                kind if kind == SOLUTION.as_str() && item.kind == BECAME_INITIATIVE => (
                    NotificationKind::SolutionBecameInitiative,
                    solution_titles.get(&id).cloned()?,
                ),
                kind if kind == DECISION => {
                    let notice = decisions.get(&id)?;
                    return Some(Notification {
                        id: item.id,
                        kind: NotificationKind::Moderation(notice.decision),
                        href: notice.href.clone(),
                        title: notice.reason.clone(),
                        at: item.at,
                        read: item.read,
                    });
                }
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
