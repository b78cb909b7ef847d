//! Inspection acts: `POST /api/v1/constructions/acts?report=<id>` (multipart, field `act`)
//! stores a PDF for a report the uploader's department verifies and returns its handle;
//! the verdict that publishes the verification names the handle, and an act no verdict
//! named within a day is removed, row and file.
//!
//! Each act has a row in `inspection_acts` from its upload on, written before its file,
//! so a crash in between leaves a row whose file is missing (which the cleanup removes)
//! and never a file that nothing knows of. A verdict can only name an act uploaded for
//! its own report and not named before.

use axum::Json;
use axum::extract::{FromRef, Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{Duration, NaiveDateTime};
use diesel::QueryResult;
use diesel_async::AsyncMysqlConnection;

use super::model::ConstructionReportId;
use super::queries::{Acts, Reports};
use crate::auth::session::{SignedIn, count_account_write};
use platform::config::AppConfig;
use platform::db::{self, DbPool};
use platform::error::{AppError, ErrorCode};
use platform::jobs::{Lease, under_lease};
use platform::media::{MediaName, MediaStore};
use platform::routes::Routes;
use platform::uploads::{is_pdf, read_file_field};
use platform::{clock, rate_limit};

/// The upload route.
pub fn routes<S>() -> Routes<S>
where
    S: Clone + Send + Sync + 'static,
    DbPool: FromRef<S>,
    AppConfig: FromRef<S>,
{
    Routes::new().post("/api/v1/constructions/acts", upload_act)
}

/// Largest inspection act accepted.
pub const MAX_ACT_BYTES: usize = 10 * 1024 * 1024;

/// How long an uploaded act waits for the verdict that names it. An official uploads the
/// act while writing the verdict; a day leaves room to finish it the next morning.
pub const UNATTACHED_ACT_MAX_AGE: Duration = Duration::hours(24);

/// The name of the cleanup's lease.
pub const ACT_CLEANUP_JOB: &str = "inspection-act-cleanup";

/// Acts removed per run at most: a backlog must not hold back the scheduler's other jobs.
const CLEANUP_BATCH: i64 = 500;

/// Acts one official may upload per hour (each verdict carries one).
const ACT_UPLOADS_PER_ACCOUNT: rate_limit::Limit =
    rate_limit::Limit::per_hour("construction.act", 60);

/// The report an inspection act is uploaded for: `?report=<id>`.
#[derive(Debug, serde::Deserialize)]
struct ActTarget {
    report: String,
}

/// The file of the act with handle `key`, served at `/media/<key>.pdf` (`None` for a key
/// that is not a plain name, see [`MediaName`]).
pub fn act_file(key: &str) -> Option<MediaName> {
    MediaName::new(key, ".pdf")
}

/// Removes the acts that no verdict named within [`UNATTACHED_ACT_MAX_AGE`] (at most
/// [`CLEANUP_BATCH`] per run), each row first and, only if this call deleted it, its file;
/// `None` when another instance holds the cleanup's lease. Returns how many were removed.
pub async fn remove_unattached_once(
    conn: &mut AsyncMysqlConnection,
    holder: &str,
    media: &MediaStore,
    now: NaiveDateTime,
) -> QueryResult<Option<usize>> {
    let lease = Lease::minutes(ACT_CLEANUP_JOB, holder, now, 10);
    under_lease(conn, lease, async |conn| {
        remove_unattached(conn, media, now).await
    })
    .await
}

async fn remove_unattached(
    conn: &mut AsyncMysqlConnection,
    media: &MediaStore,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let cutoff = now - UNATTACHED_ACT_MAX_AGE;
    let mut removed = 0;
    for key in Acts::unattached_before(conn, cutoff, CLEANUP_BATCH).await? {
        if !Acts::delete_if_unattached(conn, &key, cutoff).await? {
            continue;
        }
        removed += 1;
        let Some(file) = act_file(&key) else {
            tracing::warn!(
                key,
                "an inspection act's key is not a plain name; file kept"
            );
            continue;
        };
        if let Err(error) = media.remove(&file).await {
            tracing::warn!(%error, file = file.as_str(), "could not delete an unattached act");
        }
    }
    if removed > 0 {
        tracing::info!(removed, "inspection acts no verdict named were removed");
    }
    Ok(removed)
}

/// Stores an inspection act (a PDF) for a report that the uploader's department verifies,
/// under a random handle.
async fn upload_act(
    State(pool): State<DbPool>,
    State(config): State<AppConfig>,
    Query(target): Query<ActTarget>,
    SignedIn(user): SignedIn,
    mut multipart: Multipart,
) -> Response {
    let Ok(report) = target.report.trim().parse::<ConstructionReportId>() else {
        return AppError::NotFound.into_response();
    };
    let uploader = user.id;
    let allowed = db::run(&pool, move |mut conn| async move {
        let department = Reports::department_of(&mut conn, report)
            .await?
            .ok_or(AppError::NotFound)?;
        if !user.official_departments().contains(&department) {
            return Err(AppError::Forbidden);
        }
        Ok(())
    })
    .await;
    let counted = match allowed {
        Ok(()) => count_account_write(&pool, &config, ACT_UPLOADS_PER_ACCOUNT, uploader).await,
        Err(refused) => Err(refused),
    };
    if let Err(refused) = counted {
        return refused.into_response();
    }
    let bytes = match read_file_field(&mut multipart, "act", MAX_ACT_BYTES, "act.pdf").await {
        Ok((_, bytes)) => bytes,
        Err(refused) => return refused.into_response(),
    };
    if !is_pdf(&bytes) {
        return AppError::invalid("act", ErrorCode::NotAPdf).into_response();
    }
    let handle = hex::encode(rand::random::<[u8; 16]>());
    let key = handle.clone();
    let recorded = db::run(&pool, move |mut conn| async move {
        Ok(Acts::record(&mut conn, &key, report, uploader, clock::now()).await?)
    })
    .await;
    if let Err(error) = recorded {
        return error.into_response();
    }
    let Some(file) = act_file(&handle) else {
        return AppError::Internal.into_response();
    };
    if let Err(error) = config.media.put(&file, &bytes).await {
        // The row stays for the cleanup, which also removes what was written.
        tracing::error!(%error, "could not store an inspection act");
        return AppError::Internal.into_response();
    }
    (StatusCode::CREATED, Json(handle)).into_response()
}
