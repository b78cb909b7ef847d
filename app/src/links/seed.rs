//! Demo links: the regional challenge's accepted sidewalk solution, turned by a moderator
//! into a law-making concept, so the demo shows both ends of a link.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel_async::{AsyncMysqlConnection, RunQueryDsl};

use super::queries::{initiative_of, turn_into_initiative};
use crate::auth::queries::Users;
use crate::lawmaking::model::InitiativeInput;
use crate::solutions::model::SolutionId;
use platform::db::schema::solutions;
use platform::error::AppError;

/// The demo solution that became an initiative (seeded by the solutions' demo data).
const TURNED_SOLUTION: &str = "Тротуар вдоль трассы в станице Динской";

/// Turns the demo's accepted sidewalk solution into an initiative once; how many
/// initiatives it made (0 or 1).
pub async fn seed_links(
    conn: &mut AsyncMysqlConnection,
    now: NaiveDateTime,
) -> Result<usize, AppError> {
    let solution: Option<SolutionId> = solutions::table
        .filter(solutions::title.eq(TURNED_SOLUTION))
        .select(solutions::id)
        .first(conn)
        .await
        .optional()?;
    let Some(solution) = solution else {
        return Ok(0);
    };
    if initiative_of(conn, solution).await?.is_some() {
        return Ok(0);
    }
    let moderator = Users::id_by_email(conn, "moderator@openregion.demo").await?;
    let moderator = Users::session_user(conn, moderator).await?;
    let input = InitiativeInput {
        municipality_id: String::new(),
        theme_id: String::new(),
        title: "О тротуарах вдоль трасс у сельских школ".into(),
        problem: "Во многих станицах дети идут в школу по обочине трассы: тротуаров, переходов и освещения нет.".into(),
        goal: "Безопасный путь в школу вдоль каждой трассы, где он нужен.".into(),
        proposal: "Включать тротуар с освещением в ремонт каждой трассы, проходящей менее чем в километре от школы; начать со станицы Динской (полтора километра от центра до школы №2).".into(),
    };
    turn_into_initiative(conn, solution, &moderator, input, now).await?;
    Ok(1)
}
