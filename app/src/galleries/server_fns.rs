//! The albums' API: anyone reads the albums they may see (the queries decide); the
//! signed-in make albums and change only their own.

use leptos::prelude::*;

use super::model::{GalleryDetail, GalleryInput, PersonGalleries};
use platform::error::AppError;

#[cfg(feature = "ssr")]
use {
    super::model::{GalleryId, is_share_key, validate_caption},
    super::queries::{Galleries, Viewer},
    crate::auth::model::{MODERATORS, SessionUser},
    crate::auth::session::{WriteLimits, count_write, current_user, require_user},
    civic::photos::PhotoId,
    platform::ids::{UserId, parse_id},
    platform::{clock, db},
};

/// New albums in an hour per account, and from one address.
#[cfg(feature = "ssr")]
const NEW_ALBUMS: WriteLimits = WriteLimits::hourly("gallery.create", 10, 30);

/// Changes to albums (photos added, captions, removals, settings) in an hour per
/// account, and from one address.
#[cfg(feature = "ssr")]
const ALBUM_CHANGES: WriteLimits = WriteLimits::hourly("gallery.change", 300, 600);

#[cfg(feature = "ssr")]
fn viewer(user: Option<&SessionUser>) -> Viewer {
    Viewer {
        id: user.map(|user| user.id),
        moderator: user.is_some_and(|user| MODERATORS.iter().any(|role| user.has_role(*role))),
    }
}

/// The albums of person `person` the reader may see.
#[server(endpoint = "galleries/of-person", input = server_fn::codec::GetUrl)]
pub async fn load_person_galleries(person: String) -> Result<PersonGalleries, AppError> {
    let person: UserId = parse_id(&person)?;
    let reader = current_user().await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Ok(Galleries::of_person(&mut conn, person, viewer(reader.as_ref())).await?)
    })
    .await
}

/// Album `id`, with share key `key` when the link carried one.
#[server(endpoint = "galleries/get", input = server_fn::codec::GetUrl)]
pub async fn load_gallery(id: String, key: String) -> Result<GalleryDetail, AppError> {
    let id: GalleryId = parse_id(&id)?;
    let key = Some(key.trim().to_string()).filter(|key| is_share_key(key));
    let reader = current_user().await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Galleries::get(&mut conn, id, viewer(reader.as_ref()), key.as_deref()).await
    })
    .await
}

/// Makes a new album of the signed-in person; returns its id.
#[server(endpoint = "galleries/create")]
pub async fn create_gallery(input: GalleryInput) -> Result<u64, AppError> {
    let user = require_user().await?;
    let valid = input
        .validate()
        .map_err(|errors| AppError::Invalid { errors })?;
    count_write(NEW_ALBUMS, Some(user.id)).await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Galleries::create(&mut conn, user.id, &valid, clock::now())
            .await
            .map(|id| id.0)
    })
    .await
}

/// Changes the title, description and audience of the signed-in person's album `id`.
#[server(endpoint = "galleries/save")]
pub async fn save_gallery(id: String, input: GalleryInput) -> Result<(), AppError> {
    let user = require_user().await?;
    let id: GalleryId = parse_id(&id)?;
    let valid = input
        .validate()
        .map_err(|errors| AppError::Invalid { errors })?;
    count_write(ALBUM_CHANGES, Some(user.id)).await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Galleries::save(&mut conn, id, user.id, &valid, clock::now()).await
    })
    .await
}

/// Adds the uploaded photos `photos` (comma-separated staging handles) to album `id`;
/// returns how many photos it has.
#[server(endpoint = "galleries/add-photos")]
pub async fn add_gallery_photos(id: String, photos: String) -> Result<u32, AppError> {
    let user = require_user().await?;
    let id: GalleryId = parse_id(&id)?;
    let tokens =
        crate::photos::parse_tokens(&photos).map_err(|code| AppError::invalid("photos", code))?;
    if tokens.is_empty() {
        return Err(AppError::invalid(
            "photos",
            platform::error::ErrorCode::Required,
        ));
    }
    count_write(ALBUM_CHANGES, Some(user.id)).await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Galleries::add_photos(&mut conn, id, user.id, &tokens, clock::now()).await
    })
    .await
}

/// Captions photo `photo` of album `id` (an empty caption removes it).
#[server(endpoint = "galleries/caption")]
pub async fn caption_gallery_photo(
    id: String,
    photo: String,
    caption: String,
) -> Result<(), AppError> {
    let user = require_user().await?;
    let id: GalleryId = parse_id(&id)?;
    let photo: PhotoId = parse_id(&photo)?;
    let caption = validate_caption(&caption)?;
    count_write(ALBUM_CHANGES, Some(user.id)).await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Galleries::set_caption(&mut conn, id, user.id, photo, &caption, clock::now()).await
    })
    .await
}

/// Removes photo `photo` from album `id`.
#[server(endpoint = "galleries/remove-photo")]
pub async fn remove_gallery_photo(id: String, photo: String) -> Result<u32, AppError> {
    let user = require_user().await?;
    let id: GalleryId = parse_id(&id)?;
    let photo: PhotoId = parse_id(&photo)?;
    count_write(ALBUM_CHANGES, Some(user.id)).await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Galleries::remove_photo(&mut conn, id, user.id, photo, clock::now()).await
    })
    .await
}

/// Replaces album `id`'s share link; the old one stops working.
#[server(endpoint = "galleries/renew-link")]
pub async fn renew_gallery_link(id: String) -> Result<(), AppError> {
    let user = require_user().await?;
    let id: GalleryId = parse_id(&id)?;
    count_write(ALBUM_CHANGES, Some(user.id)).await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Galleries::renew_share_key(&mut conn, id, user.id)
            .await
            .map(drop)
    })
    .await
}

/// Deletes album `id` with its photos (after a confirmation tick).
#[server(endpoint = "galleries/delete")]
pub async fn delete_gallery(id: String, confirm: Option<String>) -> Result<(), AppError> {
    let user = require_user().await?;
    let id: GalleryId = parse_id(&id)?;
    if confirm.is_none() {
        return Err(AppError::invalid(
            "confirm",
            platform::error::ErrorCode::Required,
        ));
    }
    count_write(ALBUM_CHANGES, Some(user.id)).await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Galleries::delete(&mut conn, id, user.id).await
    })
    .await
}
