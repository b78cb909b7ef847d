//! Photos of any subject: staged when uploaded (attached to nothing), attached to their
//! subject in the transaction that creates it or its step, listed by subject, and the
//! staged ones no subject took found and deleted by the cleanup job.
//!
//! Decoding and re-encoding the upload, and the files themselves, belong to the app's
//! photos module; this is the rows.

use platform::id_type;
use serde::{Deserialize, Serialize};

id_type!(
    /// A stored photo (its `photos` row).
    PhotoId
);

/// A stored photo as pages show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Photo {
    /// Its id (an album's owner captions or removes a photo by it).
    pub id: PhotoId,
    /// The full image.
    pub url: String,
    /// The thumbnail.
    pub thumb_url: String,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// What it shows, in its uploader's words; empty when they wrote nothing.
    pub caption: String,
}

impl Photo {
    /// A stored photo by its id and file key.
    pub fn new(id: PhotoId, file_key: &str, width: u32, height: u32, caption: String) -> Self {
        Self {
            id,
            url: media_url(file_key, false),
            thumb_url: media_url(file_key, true),
            width,
            height,
            caption,
        }
    }
}

/// The longest caption, in characters.
pub const CAPTION_MAX: usize = 300;

/// The suffixes of a photo's two stored files after its key: the image and its thumbnail.
pub const IMAGE_SUFFIX: &str = ".jpg";
pub const THUMB_SUFFIX: &str = "-thumb.jpg";

/// The URL of a stored file.
pub fn media_url(file_key: &str, thumb: bool) -> String {
    let suffix = if thumb { THUMB_SUFFIX } else { IMAGE_SUFFIX };
    format!("/media/{file_key}{suffix}")
}

/// The set of a subject's photos a published inspection's belong to.
pub const VERIFICATION: &str = "verification";

#[cfg(feature = "ssr")]
pub use store::{NewPhoto, Photos, SubjectPhoto};

#[cfg(feature = "ssr")]
mod store {
    use chrono::NaiveDateTime;
    use diesel::prelude::*;
    use diesel_async::{AsyncMysqlConnection, RunQueryDsl};
    use platform::db::schema::photos;
    use platform::error::{AppError, ErrorCode};
    use platform::ids::UserId;

    use std::collections::HashMap;

    use super::{Photo, PhotoId};
    use crate::subject::{Subject, SubjectKind};

    /// A processed upload to stage.
    pub struct NewPhoto<'a> {
        /// Who uploaded it.
        pub uploader: UserId,
        /// Its staging handle.
        pub token: &'a str,
        /// Its file name stem.
        pub file_key: &'a str,
        /// Width.
        pub width: u32,
        /// Height.
        pub height: u32,
        /// Stored size.
        pub bytes: u32,
    }

    /// A photo of a subject with where on the subject's page it belongs.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct SubjectPhoto {
        /// Which set: empty for the subject's own, [`VERIFICATION`](super::VERIFICATION), ...
        pub section: String,
        /// The timeline entry it belongs to, if any.
        pub entry: Option<u64>,
        /// The photo.
        pub photo: Photo,
    }

    #[derive(Queryable, Selectable)]
    #[diesel(table_name = photos, check_for_backend(diesel::mysql::Mysql))]
    struct PhotoRow {
        id: PhotoId,
        subject_id: Option<u64>,
        section: String,
        entry_id: Option<u64>,
        file_key: String,
        width: u32,
        height: u32,
        caption: String,
    }

    impl PhotoRow {
        fn photo(self) -> Photo {
            Photo::new(
                self.id,
                &self.file_key,
                self.width,
                self.height,
                self.caption,
            )
        }
    }

    /// The columns of a photo detached from its subject: staged again, with no caption.
    #[allow(clippy::type_complexity)]
    fn released() -> (
        diesel::dsl::Eq<photos::subject_kind, Option<String>>,
        diesel::dsl::Eq<photos::subject_id, Option<u64>>,
        diesel::dsl::Eq<photos::section, &'static str>,
        diesel::dsl::Eq<photos::entry_id, Option<u64>>,
        diesel::dsl::Eq<photos::caption, &'static str>,
    ) {
        (
            photos::subject_kind.eq(None::<String>),
            photos::subject_id.eq(None::<u64>),
            photos::section.eq(""),
            photos::entry_id.eq(None::<u64>),
            photos::caption.eq(""),
        )
    }

    /// The photos of every subject.
    pub struct Photos;

    impl Photos {
        /// Stages an upload (attached to nothing yet).
        pub async fn stage(
            conn: &mut AsyncMysqlConnection,
            photo: NewPhoto<'_>,
            now: NaiveDateTime,
        ) -> QueryResult<()> {
            diesel::insert_into(photos::table)
                .values((
                    photos::uploader_id.eq(photo.uploader),
                    photos::token.eq(photo.token),
                    photos::file_key.eq(photo.file_key),
                    photos::width.eq(photo.width),
                    photos::height.eq(photo.height),
                    photos::bytes.eq(photo.bytes),
                    photos::created_at.eq(now),
                ))
                .execute(conn)
                .await
                .map(drop)
        }

        /// Attaches the uploader's staged photos to `subject` (in `section`, on its timeline
        /// `entry` if any). Call it in the transaction that writes the subject or its step:
        /// a token that is unknown, someone else's or already used fails the whole step, so
        /// nothing exists with some of its photos missing.
        pub async fn attach(
            conn: &mut AsyncMysqlConnection,
            subject: Subject,
            section: &str,
            entry: Option<u64>,
            uploader: UserId,
            tokens: &[String],
        ) -> Result<(), AppError> {
            if tokens.is_empty() {
                return Ok(());
            }
            let attached = diesel::update(
                photos::table
                    .filter(photos::token.eq_any(tokens))
                    .filter(photos::uploader_id.eq(uploader))
                    .filter(photos::subject_kind.is_null()),
            )
            .set((
                photos::subject_kind.eq(subject.kind.as_str()),
                photos::subject_id.eq(subject.id),
                photos::section.eq(section),
                photos::entry_id.eq(entry),
            ))
            .execute(conn)
            .await?;
            if attached == tokens.len() {
                Ok(())
            } else {
                Err(AppError::invalid("photos", ErrorCode::PhotoMissing))
            }
        }

        /// Every photo of `subject`, in upload order.
        pub async fn of(
            conn: &mut AsyncMysqlConnection,
            subject: Subject,
        ) -> QueryResult<Vec<SubjectPhoto>> {
            let rows: Vec<PhotoRow> = photos::table
                .filter(photos::subject_kind.eq(subject.kind.as_str()))
                .filter(photos::subject_id.eq(subject.id))
                .order(photos::id.asc())
                .select(PhotoRow::as_select())
                .load(conn)
                .await?;
            Ok(rows
                .into_iter()
                .map(|row| SubjectPhoto {
                    section: row.section.clone(),
                    entry: row.entry_id,
                    photo: row.photo(),
                })
                .collect())
        }

        /// The own photos (section empty) of the subjects of `kind` among `ids`, by
        /// subject id, each in upload order: one query for a whole list.
        pub async fn of_many(
            conn: &mut AsyncMysqlConnection,
            kind: SubjectKind,
            ids: &[u64],
        ) -> QueryResult<HashMap<u64, Vec<Photo>>> {
            let mut photos: HashMap<u64, Vec<Photo>> = HashMap::new();
            if ids.is_empty() {
                return Ok(photos);
            }
            let rows: Vec<PhotoRow> = photos::table
                .filter(photos::subject_kind.eq(kind.as_str()))
                .filter(photos::subject_id.eq_any(ids))
                .filter(photos::section.eq(""))
                .order(photos::id.asc())
                .select(PhotoRow::as_select())
                .load(conn)
                .await?;
            for row in rows {
                if let Some(subject) = row.subject_id {
                    photos.entry(subject).or_default().push(row.photo());
                }
            }
            Ok(photos)
        }

        /// How many photos `subject` has (all sections).
        pub async fn count(conn: &mut AsyncMysqlConnection, subject: Subject) -> QueryResult<u64> {
            let count: i64 = photos::table
                .filter(photos::subject_kind.eq(subject.kind.as_str()))
                .filter(photos::subject_id.eq(subject.id))
                .count()
                .get_result(conn)
                .await?;
            Ok(count.unsigned_abs())
        }

        /// Sets the caption (checked by the caller) of photo `photo` of `subject`;
        /// `NotFound` when the subject has no such photo.
        pub async fn set_caption(
            conn: &mut AsyncMysqlConnection,
            subject: Subject,
            photo: PhotoId,
            caption: &str,
        ) -> Result<(), AppError> {
            let matched = diesel::update(
                photos::table
                    .find(photo)
                    .filter(photos::subject_kind.eq(subject.kind.as_str()))
                    .filter(photos::subject_id.eq(subject.id)),
            )
            .set(photos::caption.eq(caption))
            .execute(conn)
            .await?;
            // MySQL counts changed rows: the same caption again changes none.
            if matched == 1 || Self::has(conn, subject, photo).await? {
                Ok(())
            } else {
                Err(AppError::NotFound)
            }
        }

        /// Whether photo `photo` belongs to `subject`.
        async fn has(
            conn: &mut AsyncMysqlConnection,
            subject: Subject,
            photo: PhotoId,
        ) -> QueryResult<bool> {
            diesel::select(diesel::dsl::exists(
                photos::table
                    .find(photo)
                    .filter(photos::subject_kind.eq(subject.kind.as_str()))
                    .filter(photos::subject_id.eq(subject.id)),
            ))
            .get_result(conn)
            .await
        }

        /// Detaches photo `photo` of `subject` (an album's owner removes it): staged
        /// again, the cleanup of abandoned uploads deletes it with its files. `NotFound`
        /// when the subject has no such photo.
        pub async fn release_one(
            conn: &mut AsyncMysqlConnection,
            subject: Subject,
            photo: PhotoId,
        ) -> Result<(), AppError> {
            let released = diesel::update(
                photos::table
                    .find(photo)
                    .filter(photos::subject_kind.eq(subject.kind.as_str()))
                    .filter(photos::subject_id.eq(subject.id)),
            )
            .set(released())
            .execute(conn)
            .await?;
            if released == 1 {
                Ok(())
            } else {
                Err(AppError::NotFound)
            }
        }

        /// Moves the photos of `from` to `into` (a duplicate merged into its original).
        pub async fn move_all(
            conn: &mut AsyncMysqlConnection,
            from: Subject,
            into: Subject,
        ) -> QueryResult<usize> {
            diesel::update(
                photos::table
                    .filter(photos::subject_kind.eq(from.kind.as_str()))
                    .filter(photos::subject_id.eq(from.id)),
            )
            .set((
                photos::subject_kind.eq(into.kind.as_str()),
                photos::subject_id.eq(into.id),
            ))
            .execute(conn)
            .await
        }

        /// Detaches the photos of `subject` in `section` (a replaced avatar): staged again,
        /// they are deleted with their files by the cleanup of abandoned uploads. How many.
        pub async fn release(
            conn: &mut AsyncMysqlConnection,
            subject: Subject,
            section: &str,
        ) -> QueryResult<usize> {
            diesel::update(
                photos::table
                    .filter(photos::subject_kind.eq(subject.kind.as_str()))
                    .filter(photos::subject_id.eq(subject.id))
                    .filter(photos::section.eq(section)),
            )
            .set(released())
            .execute(conn)
            .await
        }

        /// Up to `limit` photos staged (attached to nothing) before `cutoff`, oldest first,
        /// with their file keys: one range of `ix_photos_staged`, however many attached
        /// photos there are.
        pub async fn staged_before(
            conn: &mut AsyncMysqlConnection,
            cutoff: NaiveDateTime,
            limit: i64,
        ) -> QueryResult<Vec<(PhotoId, String)>> {
            photos::table
                .filter(photos::subject_kind.is_null())
                .filter(photos::created_at.lt(cutoff))
                .select((photos::id, photos::file_key))
                .order(photos::created_at.asc())
                .limit(limit)
                .load(conn)
                .await
        }

        /// Deletes the row of a photo if it is still staged and was uploaded before
        /// `cutoff`; whether it did. The conditions are checked again under the row lock, so
        /// a step that attached the photo after it was listed keeps it (and a step attaching
        /// it after this deletion is refused with `PhotoMissing`). One row per statement: the
        /// affected count says exactly which photo went (MySQL has no `RETURNING`), and
        /// holding one row lock at a time, it cannot deadlock with a step attaching several.
        pub async fn delete_if_still_staged(
            conn: &mut AsyncMysqlConnection,
            id: PhotoId,
            cutoff: NaiveDateTime,
        ) -> QueryResult<bool> {
            diesel::delete(
                photos::table
                    .find(id)
                    .filter(photos::subject_kind.is_null())
                    .filter(photos::created_at.lt(cutoff)),
            )
            .execute(conn)
            .await
            .map(|deleted| deleted == 1)
        }
    }
}
