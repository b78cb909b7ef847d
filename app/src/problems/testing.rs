//! Test support: problems reported and published by the organisation's test cast.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl};

use super::model::{ProblemAction, ProblemId, ProblemStatus, ValidProblem};
use super::queries::{Problems, StepDetails};
use crate::organisation::testing::Cast;
use platform::db::schema::problems;
use platform::geo::LatLon;

/// Krasnodar: its administration receives municipal themes there.
pub const KRASNODAR: LatLon = LatLon {
    lat: 45.0355,
    lon: 38.9753,
};

/// A road-damage problem in Krasnodar reported by the cast's author at `now`.
pub async fn report(conn: &mut AsyncMysqlConnection, cast: &Cast, now: NaiveDateTime) -> ProblemId {
    let problem = ValidProblem {
        theme_id: cast.road_theme,
        point: KRASNODAR,
        address: "ул. Красная, 1".into(),
        title: "Яма на дороге".into(),
        description: "Глубокая яма посреди полосы.".into(),
        photo_tokens: Vec::new(),
        client_id: None,
    };
    let author = cast.author;
    let municipality = cast.krasnodar;
    conn.transaction(async move |conn| {
        Problems::create(conn, author, &problem, municipality, "web", now).await
    })
    .await
    .expect("report")
}

/// A problem reported at `now` and, where its theme waits for a moderator, published by
/// the cast's moderator.
pub async fn published(
    conn: &mut AsyncMysqlConnection,
    cast: &Cast,
    now: NaiveDateTime,
) -> ProblemId {
    let id = report(conn, cast, now).await;
    let status: String = problems::table
        .find(id)
        .select(problems::status)
        .first(conn)
        .await
        .expect("status");
    if ProblemStatus::from_db(&status) == Some(ProblemStatus::Moderation) {
        Problems::step(
            conn,
            id,
            cast.as_moderator(),
            ProblemAction::Publish,
            StepDetails::default(),
            now,
        )
        .await
        .expect("publish");
    }
    id
}
