//! `POST /api/v1/photos` (multipart, field `photo`): a signed-in user uploads one photo; it
//! is processed off the async threads, its files written, and a staging handle returned.
//! Refusals are the application's error JSON, so the form shows them translated.

use axum::Json;
use axum::extract::{FromRef, Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDateTime;
use diesel_async::AsyncMysqlConnection;

use super::jobs::photo_files;
use super::process::{MAX_MEGAPIXELS, MAX_UPLOAD_BYTES, PhotoError, Processed, process};
use super::{Uploaded, media_url};
use crate::auth::session::{SignedIn, count_account_write};
use civic::photos::{NewPhoto, Photos};
use platform::capacity::Capacity;
use platform::clock;
use platform::config::AppConfig;
use platform::db::{self, DbPool};
use platform::error::{AppError, ErrorCode};
use platform::ids::UserId;
use platform::media::MediaStore;
use platform::routes::Routes;
use platform::uploads::read_file_field;

/// The upload route.
pub fn routes<S>() -> Routes<S>
where
    S: Clone + Send + Sync + 'static,
    DbPool: FromRef<S>,
    AppConfig: FromRef<S>,
{
    Routes::new().post("/api/v1/photos", upload)
}

/// Photos one account may upload per hour (a report takes at most a handful).
const UPLOADS_PER_ACCOUNT: platform::rate_limit::Limit =
    platform::rate_limit::Limit::per_hour("photo.upload", 60);

/// Photos one instance decodes at once: each takes a core and up to a few hundred
/// megabytes for about a second, so a burst of uploads is asked to retry instead of
/// piling up in memory.
static DECODING: Capacity = Capacity::new(2, 5);

fn photo_error(error: PhotoError) -> AppError {
    match error {
        PhotoError::TooLarge => AppError::invalid(
            "photo",
            ErrorCode::FileTooLarge {
                max_mb: (MAX_UPLOAD_BYTES / 1024 / 1024) as u32,
            },
        ),
        PhotoError::NotAnImage => AppError::invalid("photo", ErrorCode::NotAnImage),
        PhotoError::TooManyPixels => AppError::invalid(
            "photo",
            ErrorCode::TooManyPixels {
                max_megapixels: MAX_MEGAPIXELS,
            },
        ),
    }
}

async fn upload(
    State(pool): State<DbPool>,
    State(config): State<AppConfig>,
    SignedIn(signed_in): SignedIn,
    mut multipart: Multipart,
) -> Response {
    let user = signed_in.id;
    // Counted before the image is decoded: decoding is the expensive part.
    if let Err(refused) = count_account_write(&pool, &config, UPLOADS_PER_ACCOUNT, user).await {
        return refused.into_response();
    }
    let bytes = match read_file_field(&mut multipart, "photo", MAX_UPLOAD_BYTES, "photo").await {
        Ok((_, bytes)) => bytes,
        Err(refused) => return refused.into_response(),
    };
    let slot = match DECODING.enter() {
        Ok(slot) => slot,
        Err(busy) => return busy.into_response(),
    };
    let decoded = tokio::task::spawn_blocking(move || process(&bytes)).await;
    drop(slot);
    let processed = match decoded {
        Ok(Ok(processed)) => processed,
        Ok(Err(error)) => return photo_error(error).into_response(),
        Err(_) => return AppError::Internal.into_response(),
    };
    let media = config.media.clone();
    let kept = db::run(&pool, move |mut conn| async move {
        keep(&mut conn, &media, user, &processed, clock::now()).await
    })
    .await;
    match kept {
        Ok(uploaded) => (StatusCode::CREATED, Json(uploaded)).into_response(),
        Err(error) => error.into_response(),
    }
}

/// Keeps a processed photo of `uploader`: stages its row and writes its files; returns
/// the staging handle to attach it with. Uploads and the demo data take this one way.
pub async fn keep(
    conn: &mut AsyncMysqlConnection,
    media: &MediaStore,
    uploader: UserId,
    processed: &Processed,
    now: NaiveDateTime,
) -> Result<Uploaded, AppError> {
    let file_key = hex::encode(rand::random::<[u8; 16]>());
    let staging_token = hex::encode(rand::random::<[u8; 16]>());
    // The row first, then the files: a crash between them leaves a staged row with
    // missing or partial files, which no report can hold (its token was never handed
    // out) and the staged-photo cleanup removes, files and all; files first would leave
    // files that nothing knows of.
    let photo = NewPhoto {
        uploader,
        token: &staging_token,
        file_key: &file_key,
        width: processed.width,
        height: processed.height,
        bytes: processed.full.len() as u32,
    };
    Photos::stage(conn, photo, now).await?;
    let [full, thumb] = photo_files(&file_key).ok_or(AppError::Internal)?;
    let written = async {
        media.put(&full, &processed.full).await?;
        media.put(&thumb, &processed.thumb).await
    }
    .await;
    match written {
        Ok(()) => Ok(Uploaded {
            token: staging_token,
            thumb_url: media_url(&file_key, true),
        }),
        Err(error) => {
            // The staged row stays for the cleanup, which also removes what was written.
            tracing::error!(%error, "could not store a photo");
            Err(AppError::Internal)
        }
    }
}
