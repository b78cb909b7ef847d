//! Demo albums: the demo citizen's public album of the tree planting with captions, and a
//! resident's album for followers only (the demo citizen follows them, so sees it).
//! Made once: nothing is added to a database that holds albums.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use diesel_async::{AsyncMysqlConnection, RunQueryDsl};

use super::model::{Audience, ValidGallery};
use super::queries::Galleries;
use crate::auth::queries::Users;
use crate::photos::demo::{Scene, stage};
use civic::photos::Photos;
use platform::db::schema::galleries;
use platform::error::AppError;
use platform::media::MediaStore;

/// An album of the demo: whose, its title, description and audience, and its photos with
/// their captions.
struct DemoGallery {
    owner: &'static str,
    title: &'static str,
    description: &'static str,
    audience: Audience,
    photos: &'static [(Scene, &'static str)],
}

const DEMO_GALLERIES: [DemoGallery; 2] = [
    DemoGallery {
        owner: "citizen@openregion.demo",
        title: "Субботник в сквере на Гидрострое",
        description: "Посадили 40 лип и почистили берег. Спасибо всем, кто пришёл!",
        audience: Audience::Public,
        photos: &[
            (Scene::Park, "Новые липы вдоль аллеи"),
            (Scene::River, "Берег Кубани после уборки"),
            (Scene::Street, ""),
        ],
    },
    DemoGallery {
        owner: "resident1@openregion.demo",
        title: "Наш двор",
        description: "Для соседей: как меняется двор на Ставропольской.",
        audience: Audience::Followers,
        photos: &[(Scene::Street, "Вечером фонари горят по всему двору")],
    },
];

/// Makes the demo albums unless there are albums; how many it made.
pub async fn seed_galleries(
    conn: &mut AsyncMysqlConnection,
    media: &MediaStore,
    now: NaiveDateTime,
) -> Result<usize, AppError> {
    let existing: i64 = galleries::table.count().get_result(conn).await?;
    if existing > 0 {
        return Ok(0);
    }
    let mut made = 0;
    for (index, demo) in DEMO_GALLERIES.iter().enumerate() {
        let Some(owner) = Users::id_by_email(conn, demo.owner).await.optional()? else {
            continue;
        };
        let at = now - Duration::days(3 - index as i64);
        let mut photo_tokens = Vec::new();
        for (scene, _) in demo.photos {
            photo_tokens.push(stage(conn, media, owner, *scene, at).await?);
        }
        let gallery = ValidGallery {
            title: demo.title.to_string(),
            description: demo.description.to_string(),
            audience: demo.audience,
            photo_tokens,
        };
        let id = Galleries::create(conn, owner, &gallery, at).await?;
        let photos = Photos::of(conn, id.subject()).await?;
        for (photo, (_, caption)) in photos.iter().zip(demo.photos) {
            if !caption.is_empty() {
                Galleries::set_caption(conn, id, owner, photo.photo.id, caption, at).await?;
            }
        }
        made += 1;
    }
    Ok(made)
}
