//! Albums in the database. Who may see one is decided here, for every read: its owner
//! always; a moderator always (to judge a report); anyone else not while it is hidden,
//! and then everyone for a public album, the owner's followers for a followers' album, and
//! whoever brings its share key. Photos are added, captioned and removed under the
//! album's row lock, so the count stays exact and never passes [`PHOTOS_MAX`].

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl};

use super::model::{
    Audience, GalleryDetail, GalleryId, GallerySummary, PHOTOS_MAX, PersonGalleries, ValidGallery,
};
use crate::auth::model::PERSON;
use civic::follows::Follows;
use civic::photos::{PhotoId, Photos};
use civic::subject::Subject;
use platform::db::last_insert_id;
use platform::db::schema::{galleries, users};
use platform::error::{AppError, ErrorCode};
use platform::ids::UserId;

/// The most albums a person's list shows.
const LISTED: i64 = 100;

#[derive(Queryable, Selectable)]
#[diesel(table_name = galleries, check_for_backend(diesel::mysql::Mysql))]
struct GalleryRow {
    id: GalleryId,
    owner_id: UserId,
    title: String,
    description: String,
    audience: String,
    share_key: String,
    photo_count: u32,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    hidden_at: Option<NaiveDateTime>,
    hidden_reason: Option<String>,
}

impl GalleryRow {
    fn audience(&self) -> Audience {
        Audience::from_db(&self.audience).unwrap_or(Audience::Followers)
    }
}

/// Who is looking.
#[derive(Debug, Clone, Copy, Default)]
pub struct Viewer {
    /// The signed-in reader, if any.
    pub id: Option<UserId>,
    /// Whether they moderate (see every album, to judge reports).
    pub moderator: bool,
}

/// A new share key: 128 random bits, as hex.
fn new_share_key() -> String {
    hex::encode(rand::random::<[u8; 16]>())
}

/// The albums of every person.
pub struct Galleries;

impl Galleries {
    /// Makes `owner`'s new album with its first photos, in one transaction: a photo that
    /// is not the owner's staged upload refuses the whole album.
    pub async fn create(
        conn: &mut AsyncMysqlConnection,
        owner: UserId,
        gallery: &ValidGallery,
        now: NaiveDateTime,
    ) -> Result<GalleryId, AppError> {
        conn.transaction(async move |conn| {
            diesel::insert_into(galleries::table)
                .values((
                    galleries::owner_id.eq(owner),
                    galleries::title.eq(&gallery.title),
                    galleries::description.eq(&gallery.description),
                    galleries::audience.eq(gallery.audience.as_db()),
                    galleries::share_key.eq(new_share_key()),
                    galleries::photo_count.eq(gallery.photo_tokens.len() as u32),
                    galleries::created_at.eq(now),
                    galleries::updated_at.eq(now),
                ))
                .execute(conn)
                .await?;
            let id = GalleryId(last_insert_id(conn).await?);
            Photos::attach(conn, id.subject(), "", None, owner, &gallery.photo_tokens).await?;
            Ok(id)
        })
        .await
    }

    /// Album `id` locked for a change by `owner`: `NotFound` when there is none,
    /// `Forbidden` when it is someone else's. Call it inside the change's transaction.
    async fn owned(
        conn: &mut AsyncMysqlConnection,
        id: GalleryId,
        owner: UserId,
    ) -> Result<GalleryRow, AppError> {
        let row: GalleryRow = galleries::table
            .find(id)
            .select(GalleryRow::as_select())
            .for_update()
            .first(conn)
            .await
            .optional()?
            .ok_or(AppError::NotFound)?;
        if row.owner_id == owner {
            Ok(row)
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// `owner` changes album `id`'s title, description and audience.
    pub async fn save(
        conn: &mut AsyncMysqlConnection,
        id: GalleryId,
        owner: UserId,
        gallery: &ValidGallery,
        now: NaiveDateTime,
    ) -> Result<(), AppError> {
        conn.transaction(async move |conn| {
            Self::owned(conn, id, owner).await?;
            diesel::update(galleries::table.find(id))
                .set((
                    galleries::title.eq(&gallery.title),
                    galleries::description.eq(&gallery.description),
                    galleries::audience.eq(gallery.audience.as_db()),
                    galleries::updated_at.eq(now),
                ))
                .execute(conn)
                .await?;
            Ok(())
        })
        .await
    }

    /// `owner` adds their staged photos `tokens` to album `id`; refused (`photos`) past
    /// [`PHOTOS_MAX`] photos, and whole or not at all.
    pub async fn add_photos(
        conn: &mut AsyncMysqlConnection,
        id: GalleryId,
        owner: UserId,
        tokens: &[String],
        now: NaiveDateTime,
    ) -> Result<u32, AppError> {
        conn.transaction(async move |conn| {
            let row = Self::owned(conn, id, owner).await?;
            let count = row.photo_count + tokens.len() as u32;
            if count > PHOTOS_MAX {
                return Err(AppError::invalid(
                    "photos",
                    ErrorCode::OutOfRange {
                        min: 0,
                        max: i64::from(PHOTOS_MAX.saturating_sub(row.photo_count)),
                    },
                ));
            }
            Photos::attach(conn, id.subject(), "", None, owner, tokens).await?;
            diesel::update(galleries::table.find(id))
                .set((
                    galleries::photo_count.eq(count),
                    galleries::updated_at.eq(now),
                ))
                .execute(conn)
                .await?;
            Ok(count)
        })
        .await
    }

    /// `owner` captions photo `photo` of album `id` (`caption` checked by the caller;
    /// empty removes it).
    pub async fn set_caption(
        conn: &mut AsyncMysqlConnection,
        id: GalleryId,
        owner: UserId,
        photo: PhotoId,
        caption: &str,
        now: NaiveDateTime,
    ) -> Result<(), AppError> {
        conn.transaction(async move |conn| {
            Self::owned(conn, id, owner).await?;
            Photos::set_caption(conn, id.subject(), photo, caption).await?;
            diesel::update(galleries::table.find(id))
                .set(galleries::updated_at.eq(now))
                .execute(conn)
                .await?;
            Ok(())
        })
        .await
    }

    /// `owner` removes photo `photo` from album `id`; the cleanup of abandoned uploads
    /// deletes its files.
    pub async fn remove_photo(
        conn: &mut AsyncMysqlConnection,
        id: GalleryId,
        owner: UserId,
        photo: PhotoId,
        now: NaiveDateTime,
    ) -> Result<u32, AppError> {
        conn.transaction(async move |conn| {
            let row = Self::owned(conn, id, owner).await?;
            Photos::release_one(conn, id.subject(), photo).await?;
            let count = row.photo_count.saturating_sub(1);
            diesel::update(galleries::table.find(id))
                .set((
                    galleries::photo_count.eq(count),
                    galleries::updated_at.eq(now),
                ))
                .execute(conn)
                .await?;
            Ok(count)
        })
        .await
    }

    /// `owner` deletes album `id`; its photos go to the cleanup of abandoned uploads.
    pub async fn delete(
        conn: &mut AsyncMysqlConnection,
        id: GalleryId,
        owner: UserId,
    ) -> Result<(), AppError> {
        conn.transaction(async move |conn| {
            Self::owned(conn, id, owner).await?;
            Photos::release(conn, id.subject(), "").await?;
            diesel::delete(galleries::table.find(id))
                .execute(conn)
                .await?;
            Ok(())
        })
        .await
    }

    /// `owner` replaces album `id`'s share key: the old link stops working. The new key.
    pub async fn renew_share_key(
        conn: &mut AsyncMysqlConnection,
        id: GalleryId,
        owner: UserId,
    ) -> Result<String, AppError> {
        conn.transaction(async move |conn| {
            Self::owned(conn, id, owner).await?;
            let key = new_share_key();
            diesel::update(galleries::table.find(id))
                .set(galleries::share_key.eq(&key))
                .execute(conn)
                .await?;
            Ok(key)
        })
        .await
    }

    /// Whether `viewer` (bringing share key `key`, if any) may see album `row`.
    async fn may_see(
        conn: &mut AsyncMysqlConnection,
        row: &GalleryRow,
        viewer: Viewer,
        key: Option<&str>,
    ) -> QueryResult<bool> {
        if viewer.id == Some(row.owner_id) || viewer.moderator {
            return Ok(true);
        }
        if row.hidden_at.is_some() {
            return Ok(false);
        }
        if key.is_some_and(|key| key == row.share_key) {
            return Ok(true);
        }
        match (row.audience(), viewer.id) {
            (Audience::Public, _) => Ok(true),
            (Audience::Followers, Some(reader)) => {
                Follows::is_following(conn, Subject::new(PERSON, row.owner_id.0), reader).await
            }
            (Audience::Followers, None) => Ok(false),
        }
    }

    /// Album `id` as `viewer` sees it, with its share link's path for its owner; one they
    /// may not see is `NotFound`, as if it did not exist.
    pub async fn get(
        conn: &mut AsyncMysqlConnection,
        id: GalleryId,
        viewer: Viewer,
        key: Option<&str>,
    ) -> Result<GalleryDetail, AppError> {
        let row: GalleryRow = galleries::table
            .find(id)
            .select(GalleryRow::as_select())
            .first(conn)
            .await
            .optional()?
            .ok_or(AppError::NotFound)?;
        if !Self::may_see(conn, &row, viewer, key).await? {
            return Err(AppError::NotFound);
        }
        let owner_name: String = users::table
            .find(row.owner_id)
            .select(users::display_name)
            .first(conn)
            .await?;
        let photos = Photos::of(conn, id.subject())
            .await?
            .into_iter()
            .map(|photo| photo.photo)
            .collect();
        let mine = viewer.id == Some(row.owner_id);
        let audience = row.audience();
        Ok(GalleryDetail {
            id,
            owner: row.owner_id,
            owner_name,
            audience,
            photos,
            created_at: row.created_at,
            share_path: mine.then(|| format!("/galleries/{id}?key={}", row.share_key)),
            hidden_reason: if mine { row.hidden_reason } else { None },
            mine,
            signed_in: viewer.id.is_some(),
            title: row.title,
            description: row.description,
        })
    }

    /// The albums of `owner` that `viewer` may see, the most recently changed first:
    /// all of them for the owner; otherwise those not hidden, public or (for a follower)
    /// for followers.
    pub async fn of_person(
        conn: &mut AsyncMysqlConnection,
        owner: UserId,
        viewer: Viewer,
    ) -> QueryResult<PersonGalleries> {
        let own = viewer.id == Some(owner);
        let follower = match viewer.id {
            Some(reader) if !own => {
                Follows::is_following(conn, Subject::new(PERSON, owner.0), reader).await?
            }
            _ => false,
        };
        let mut query = galleries::table
            .filter(galleries::owner_id.eq(owner))
            .select(GalleryRow::as_select())
            .order((galleries::updated_at.desc(), galleries::id.desc()))
            .limit(LISTED)
            .into_boxed();
        if !own {
            query = query.filter(galleries::hidden_at.is_null());
            if !follower {
                query = query.filter(galleries::audience.eq(Audience::Public.as_db()));
            }
        }
        let rows: Vec<GalleryRow> = query.load(conn).await?;
        let ids: Vec<u64> = rows.iter().map(|row| row.id.0).collect();
        let mut photos = Photos::of_many(conn, super::model::GALLERY, &ids).await?;
        Ok(PersonGalleries {
            galleries: rows
                .into_iter()
                .map(|row| GallerySummary {
                    id: row.id,
                    audience: row.audience(),
                    photos: row.photo_count,
                    cover: photos
                        .remove(&row.id.0)
                        .and_then(|list| list.into_iter().next()),
                    updated_at: row.updated_at,
                    title: row.title,
                })
                .collect(),
            own,
        })
    }
}
