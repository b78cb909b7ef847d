//! `POST /api/v1/initiatives/{id}/docx` (multipart, field `file`): the editor of an
//! initiative's text uploads a Word document; its paragraphs come back as the text to
//! review and publish (nothing is stored until the editor publishes).

use axum::Json;
use axum::extract::{FromRef, Multipart, Path, State};
use axum::response::{IntoResponse, Response};

use super::model::InitiativeId;
use super::queries::drafting::Drafts;
use crate::auth::session::SignedIn;
use platform::db::{self, DbPool};
use platform::error::{AppError, ErrorCode};
use platform::ooxml::{MAX_DOCX_BYTES, docx_paragraphs};
use platform::routes::Routes;
use platform::uploads::read_file_field;

/// The upload route.
pub fn routes<S>() -> Routes<S>
where
    S: Clone + Send + Sync + 'static,
    DbPool: FromRef<S>,
{
    Routes::new().post("/api/v1/initiatives/{id}/docx", upload)
}

async fn upload(
    State(pool): State<DbPool>,
    SignedIn(user): SignedIn,
    Path(id): Path<String>,
    mut multipart: Multipart,
) -> Response {
    let Ok(id) = id.trim().parse::<InitiativeId>() else {
        return AppError::NotFound.into_response();
    };
    let acting = user.acting();
    let allowed = db::run(&pool, move |mut conn| async move {
        Drafts::check_may_publish(&mut conn, id, &acting).await
    })
    .await;
    if let Err(error) = allowed {
        return error.into_response();
    }
    let bytes = match read_file_field(&mut multipart, "file", MAX_DOCX_BYTES, "draft.docx").await {
        Ok((_, bytes)) => bytes,
        Err(error) => return error.into_response(),
    };
    match tokio::task::spawn_blocking(move || docx_paragraphs(&bytes)).await {
        Ok(Ok(paragraphs)) => Json(paragraphs.join("\n\n")).into_response(),
        Ok(Err(reason)) => {
            AppError::invalid("file", ErrorCode::BadDocument { reason }).into_response()
        }
        Err(_) => AppError::Internal.into_response(),
    }
}
