//! Demo publications: the demo citizen and residents write to their followers (two with a
//! photo), the Krasnodar administration publishes official news, and some are liked and
//! discussed.
//! Made once: nothing is added to a database that holds publications.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use diesel_async::{AsyncMysqlConnection, RunQueryDsl};

use super::model::ValidPublication;
use super::queries::Publications;
use crate::auth::queries::Users;
use crate::photos::demo::{Scene, stage};
use platform::db::schema::publications;
use platform::error::AppError;
use platform::media::MediaStore;

/// Who writes what, how many hours ago, whether as their department's news, and the
/// picture it shows.
const DEMO_PUBLICATIONS: [(&str, &str, i64, bool, Option<Scene>); 5] = [
    (
        "official@openregion.demo",
        "С 1 декабря автобус №77 ходит каждые 12 минут вместо 20. Расписание: https://krd.ru/transport",
        30,
        true,
        None,
    ),
    (
        "citizen@openregion.demo",
        "Во дворе на Гидрострое наконец поставили фонари — спасибо всем, кто поддержал заявку!",
        20,
        false,
        Some(Scene::Street),
    ),
    (
        "resident1@openregion.demo",
        "Кто знает, когда отремонтируют остановку у школы №12? Дети ждут автобус под дождём.",
        12,
        false,
        None,
    ),
    (
        "resident2@openregion.demo",
        "Предлагаю собрать подписи за пешеходный переход на Ставропольской — пишите в комментариях.",
        6,
        false,
        None,
    ),
    (
        "citizen@openregion.demo",
        "Сегодня на субботнике в сквере посадили 40 лип. Приходите гулять!",
        2,
        false,
        Some(Scene::Park),
    ),
];

/// Writes the demo publications, likes and comments unless there are publications;
/// how many it wrote.
pub async fn seed_publications(
    conn: &mut AsyncMysqlConnection,
    media: &MediaStore,
    now: NaiveDateTime,
) -> Result<usize, AppError> {
    let existing: i64 = publications::table.count().get_result(conn).await?;
    if existing > 0 {
        return Ok(0);
    }
    let mut made = Vec::new();
    for (email, body, hours_ago, as_department, scene) in DEMO_PUBLICATIONS {
        let Some(author) = Users::id_by_email(conn, email).await.optional()? else {
            continue;
        };
        let author = Users::session_user(conn, author).await?;
        let department = as_department
            .then(|| author.official_departments().into_iter().next())
            .flatten();
        let at = now - Duration::hours(hours_ago);
        let photo_tokens = match scene {
            Some(scene) => vec![stage(conn, media, author.id, scene, at).await?],
            None => Vec::new(),
        };
        let publication = ValidPublication {
            body: body.to_string(),
            photo_tokens,
            department,
        };
        made.push((
            Publications::create(conn, &author, &publication, at).await?,
            at,
        ));
    }
    let readers = [
        "citizen@openregion.demo",
        "resident1@openregion.demo",
        "resident2@openregion.demo",
    ];
    for (index, (publication, at)) in made.iter().enumerate() {
        for (offset, reader) in readers.iter().enumerate().take(index % 3 + 1) {
            if let Some(reader) = Users::id_by_email(conn, reader).await.optional()? {
                let later = *at + Duration::minutes(10 * (offset as i64 + 1));
                Publications::set_like(conn, *publication, reader, true, later).await?;
            }
        }
    }
    if let (Some((first, at)), Some(reader)) = (
        <[_]>::first(&made),
        Users::id_by_email(conn, "resident1@openregion.demo")
            .await
            .optional()?,
    ) {
        let text = "Спасибо! Утром стало заметно свободнее.";
        Publications::add_comment(conn, *first, reader, text, *at + Duration::hours(1)).await?;
    }
    Ok(made.len())
}
