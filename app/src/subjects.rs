//! The page of each kind of civic subject. It names the features, so it sits with the
//! shell above them; the bell and the moderators' queue link subjects through it, and
//! the links and profiles name subjects by their public titles.

use crate::constructions::model::CONSTRUCTION_REPORT;
use crate::lawmaking::model::INITIATIVE;
use crate::priorities::model::PRIORITY;
use crate::problems::model::PROBLEM;
use crate::publications::model::PUBLICATION;
use crate::services::model::GOV_SERVICE;
use crate::solutions::model::{CHALLENGE, SOLUTION};
#[cfg(feature = "ssr")]
use {
    crate::lawmaking::model::Stage,
    crate::problems::model::ProblemStatus,
    diesel::prelude::*,
    diesel_async::{AsyncMysqlConnection, RunQueryDsl},
    platform::db::schema::{challenges, initiatives, problems, solutions},
    std::collections::HashMap,
};

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
    } else if kind == PUBLICATION.as_str() {
        Some(format!("/publications/{id}"))
    } else {
        None
    }
}

/// The public titles of the subjects of `kind` among `ids`: problems and initiatives
/// that passed moderation, challenges and solutions moderators did not hide; none of
/// another kind.
#[cfg(feature = "ssr")]
pub async fn public_titles(
    conn: &mut AsyncMysqlConnection,
    kind: &str,
    ids: &[u64],
) -> QueryResult<HashMap<u64, String>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let titles = if kind == PROBLEM.as_str() {
        problems::table
            .filter(problems::id.eq_any(ids))
            .select((problems::id, problems::title, problems::status))
            .load::<(u64, String, String)>(conn)
            .await?
            .into_iter()
            .filter(|(_, _, status)| {
                ProblemStatus::from_db(status).is_some_and(ProblemStatus::is_public)
            })
            .map(|(id, title, _)| (id, title))
            .collect()
    } else if kind == INITIATIVE.as_str() {
        initiatives::table
            .filter(initiatives::id.eq_any(ids))
            .select((initiatives::id, initiatives::title, initiatives::stage))
            .load::<(u64, String, String)>(conn)
            .await?
            .into_iter()
            .filter(|(_, _, stage)| Stage::from_db(stage).is_some_and(Stage::is_public))
            .map(|(id, title, _)| (id, title))
            .collect()
    } else if kind == CHALLENGE.as_str() {
        challenges::table
            .filter(challenges::id.eq_any(ids))
            .filter(challenges::hidden_at.is_null())
            .select((challenges::id, challenges::title))
            .load::<(u64, String)>(conn)
            .await?
            .into_iter()
            .collect()
    } else if kind == SOLUTION.as_str() {
        solutions::table
            .filter(solutions::id.eq_any(ids))
            .filter(solutions::hidden_at.is_null())
            .select((solutions::id, solutions::title))
            .load::<(u64, String)>(conn)
            .await?
            .into_iter()
            .collect()
    } else {
        HashMap::new()
    };
    Ok(titles)
}
