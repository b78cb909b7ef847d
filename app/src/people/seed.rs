//! Demo profiles: the demo citizen and a few residents tell about themselves, with an
//! avatar, show their activity and follow each other. Made once: a profile someone edited is kept.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel_async::{AsyncMysqlConnection, RunQueryDsl};

use super::model::{AvatarChange, ValidProfile, Visibility};
use super::queries::Profiles;
use crate::auth::queries::Users;
use crate::photos::demo::{Scene, stage};
use platform::db::schema::{profiles, users};
use platform::error::AppError;
use platform::media::MediaStore;

/// Who tells what: e-mail, "about me", and whether they show everything or only their
/// municipality and comments.
const DEMO_PROFILES: [(&str, &str, bool); 4] = [
    (
        "citizen@openregion.demo",
        "Живу в Краснодаре, на Гидрострое. Пишу о дорогах и дворах, поддерживаю инициативы о тротуарах.",
        true,
    ),
    (
        "resident1@openregion.demo",
        "Вожу детей в школу на автобусе и хочу, чтобы маршруты ходили по расписанию.",
        true,
    ),
    (
        "resident2@openregion.demo",
        "Пенсионер, бывший инженер-дорожник.",
        false,
    ),
    (
        "expert@openregion.demo",
        "Юрист, эксперт по муниципальному праву.",
        false,
    ),
];

/// Who follows whom, by e-mail.
const DEMO_FOLLOWS: [(&str, &str); 4] = [
    ("citizen@openregion.demo", "resident1@openregion.demo"),
    ("resident1@openregion.demo", "citizen@openregion.demo"),
    ("resident2@openregion.demo", "citizen@openregion.demo"),
    ("expert@openregion.demo", "citizen@openregion.demo"),
];

/// Saves the demo profiles and follows unless the demo citizen already has a profile;
/// how many profiles it saved.
pub async fn seed_profiles(
    conn: &mut AsyncMysqlConnection,
    media: &MediaStore,
    now: NaiveDateTime,
) -> Result<usize, AppError> {
    let Some(citizen) = Users::id_by_email(conn, DEMO_PROFILES[0].0)
        .await
        .optional()?
    else {
        return Ok(0);
    };
    let made: bool = diesel::select(diesel::dsl::exists(profiles::table.find(citizen)))
        .get_result(conn)
        .await?;
    if made {
        return Ok(0);
    }
    let mut saved = 0;
    for (index, (email, about, everything)) in DEMO_PROFILES.into_iter().enumerate() {
        let Some(id) = Users::id_by_email(conn, email).await.optional()? else {
            continue;
        };
        let display_name: String = users::table
            .find(id)
            .select(users::display_name)
            .first(conn)
            .await?;
        let profile = ValidProfile {
            display_name,
            about: about.to_string(),
            shown: Visibility {
                municipality: true,
                problems: everything,
                solutions: everything,
                initiatives: everything,
                comments: true,
            },
            avatar: AvatarChange::Replace(
                stage(conn, media, id, Scene::Portrait { hue: index as u8 }, now).await?,
            ),
        };
        Profiles::save(conn, id, profile, now).await?;
        saved += 1;
    }
    for (follower, person) in DEMO_FOLLOWS {
        if let (Some(follower), Some(person)) = (
            Users::id_by_email(conn, follower).await.optional()?,
            Users::id_by_email(conn, person).await.optional()?,
        ) {
            Profiles::follow(conn, person, follower, true, now).await?;
        }
    }
    Ok(saved)
}
