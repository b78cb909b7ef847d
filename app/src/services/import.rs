//! `POST /api/v1/services/import` (multipart, field `file`: an .xlsx or .xls workbook):
//! moderators add and change the catalogue's services, and their providers, from a
//! spreadsheet with one row per service (`model::IMPORT_COLUMNS` names the columns). The
//! answer is what changed (`ImportSummary`) or every refusal by row and field, with
//! nothing written.

use axum::Json;
use axum::extract::{FromRef, Multipart, State};
use axum::response::{IntoResponse, Response};

use super::model::{known_import_columns, read_catalogue};
use super::queries::Services;
use crate::auth::model::MODERATORS;
use crate::auth::session::SignedIn;
use platform::db::{self, DbPool};
use platform::error::{AppError, ErrorCode};
use platform::routes::Routes;
use platform::uploads::read_file_field;
use platform::workbook::{MAX_FILE_BYTES, parse_text, read_workbook};

/// The import route.
pub fn routes<S>() -> Routes<S>
where
    S: Clone + Send + Sync + 'static,
    DbPool: FromRef<S>,
{
    Routes::new().post("/api/v1/services/import", upload)
}

async fn upload(
    State(pool): State<DbPool>,
    SignedIn(user): SignedIn,
    mut multipart: Multipart,
) -> Response {
    if !MODERATORS.iter().any(|role| user.has_role(*role)) {
        return AppError::Forbidden.into_response();
    }
    let (file_name, bytes) =
        match read_file_field(&mut multipart, "file", MAX_FILE_BYTES, "services.xlsx").await {
            Ok(received) => received,
            Err(error) => return error.into_response(),
        };
    let reading = tokio::task::spawn_blocking(move || {
        read_workbook(&bytes, &file_name, known_import_columns)
    })
    .await;
    let sheet = match reading {
        Ok(Ok(sheet)) => sheet,
        Ok(Err(reason)) => {
            return AppError::invalid("file", ErrorCode::BadWorkbook { reason }).into_response();
        }
        Err(_) => return AppError::Internal.into_response(),
    };
    let rows: Vec<(u32, Vec<Option<String>>)> = sheet
        .rows
        .iter()
        .map(|row| (row.number, row.cells.iter().map(parse_text).collect()))
        .collect();
    let rows = match read_catalogue(&sheet.headers, &rows) {
        Ok(rows) => rows,
        Err(errors) => return AppError::Invalid { errors }.into_response(),
    };
    let imported = db::run(&pool, move |mut conn| async move {
        Services::import(&mut conn, user.id, &rows, platform::clock::now()).await
    })
    .await;
    match imported {
        Ok(summary) => Json(summary).into_response(),
        Err(error) => error.into_response(),
    }
}
