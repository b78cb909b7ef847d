//! `GET /api/v1/account/data`: the signed-in person's data as a ZIP: `data.json`
//! (everything they created, see `queries::YourData`) and `photos/<key>.jpg`, each photo
//! they uploaded as it is stored.

use std::io::{Cursor, Write};

use axum::extract::{FromRef, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::queries::YourData;
use crate::auth::session::{SignedIn, count_account_write};
use civic::photos::IMAGE_SUFFIX;
use platform::config::AppConfig;
use platform::db::{self, DbPool};
use platform::error::AppError;
use platform::media::MediaName;
use platform::rate_limit::Limit;
use platform::routes::Routes;

/// Downloads per account an hour: each reads all of a person's rows and photos.
const DOWNLOADS: Limit = Limit::per_hour("account.download", 10);

/// The download's route.
pub fn routes<S>() -> Routes<S>
where
    S: Clone + Send + Sync + 'static,
    DbPool: FromRef<S>,
    AppConfig: FromRef<S>,
{
    Routes::new().get("/api/v1/account/data", download)
}

async fn download(
    State(pool): State<DbPool>,
    State(config): State<AppConfig>,
    SignedIn(user): SignedIn,
) -> Response {
    if let Err(refused) = count_account_write(&pool, &config, DOWNLOADS, user.id).await {
        return refused.into_response();
    }
    let person = user.id;
    let exported = db::run(&pool, move |mut conn| async move {
        YourData::export(&mut conn, person).await
    })
    .await;
    let (data, files) = match exported {
        Ok(exported) => exported,
        Err(error) => return error.into_response(),
    };
    let mut photos = Vec::new();
    for key in files {
        // A photo whose file is gone (a cleanup in between) is left out, not an error.
        if let Some(name) = MediaName::new(&key, IMAGE_SUFFIX)
            && let Ok(bytes) = config.media.get(&name).await
        {
            photos.push((name, bytes));
        }
    }
    let archive = tokio::task::spawn_blocking(move || archive(&data, &photos)).await;
    let bytes = match archive {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(error)) => {
            tracing::error!(?error, "the data archive failed");
            return AppError::Internal.into_response();
        }
        Err(_) => return AppError::Internal.into_response(),
    };
    (
        [
            (header::CONTENT_TYPE, "application/zip".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"open-region-data-{person}.zip\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        bytes,
    )
        .into_response()
}

/// The ZIP of `data` and `photos`; stored uncompressed (the photos are JPEG already).
fn archive(
    data: &serde_json::Value,
    photos: &[(MediaName, Vec<u8>)],
) -> zip::result::ZipResult<Vec<u8>> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    writer.start_file("data.json", options)?;
    let json = serde_json::to_vec_pretty(data).map_err(std::io::Error::other)?;
    writer.write_all(&json)?;
    for (name, bytes) in photos {
        writer.start_file(format!("photos/{}", name.as_str()), options)?;
        writer.write_all(bytes)?;
    }
    Ok(writer.finish()?.into_inner())
}
