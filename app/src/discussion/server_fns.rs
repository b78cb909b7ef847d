//! Reporting and hiding comments, and the moderators' queue.

use leptos::prelude::*;

use civic::comments::ReportedComment;
use platform::error::AppError;

#[cfg(feature = "ssr")]
use {
    crate::auth::model::MODERATORS,
    crate::auth::session::{WriteLimits, count_write, require_user},
    civic::comments::{CommentId, Comments, validate_reason},
    platform::{clock, db},
};

/// Comment reports per account and per client address and hour.
#[cfg(feature = "ssr")]
const COMMENT_REPORTS: WriteLimits = WriteLimits::hourly("comment.report", 30, 100);

/// The comment a form names.
#[cfg(feature = "ssr")]
pub fn parse_comment_id(text: &str) -> Result<CommentId, AppError> {
    text.trim().parse().map_err(|_| AppError::BadRequest)
}

/// The comment a form may name (a reply's thread, a page's start): `None` when empty.
#[cfg(feature = "ssr")]
pub fn parse_optional_comment_id(text: &str) -> Result<Option<CommentId>, AppError> {
    match text.trim() {
        "" => Ok(None),
        text => parse_comment_id(text).map(Some),
    }
}

/// Reports a comment to the moderators, with a reason; any signed-in user, once per
/// comment.
#[server(endpoint = "comments/report")]
pub async fn report_comment(comment: String, reason: String) -> Result<(), AppError> {
    let user = require_user().await?;
    let comment = parse_comment_id(&comment)?;
    let reason = validate_reason(&reason)?;
    count_write(COMMENT_REPORTS, Some(user.id)).await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Comments::report(&mut conn, comment, user.id, &reason, clock::now())
            .await
            .map(drop)
    })
    .await
}

/// Hides a comment with a public reason; moderators only. Audited.
#[server(endpoint = "comments/hide")]
pub async fn hide_comment(comment: String, reason: String) -> Result<(), AppError> {
    let user = require_user().await?;
    if !MODERATORS.iter().any(|role| user.has_role(*role)) {
        return Err(AppError::Forbidden);
    }
    let comment = parse_comment_id(&comment)?;
    let reason = validate_reason(&reason)?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Comments::hide(&mut conn, comment, user.id, &reason, clock::now()).await
    })
    .await
}

/// The moderators' queue: reported comments still shown, most reported first.
#[server(endpoint = "comments/reported", input = server_fn::codec::GetUrl)]
pub async fn reported_comments() -> Result<Vec<ReportedComment>, AppError> {
    let user = require_user().await?;
    if !MODERATORS.iter().any(|role| user.has_role(*role)) {
        return Err(AppError::Forbidden);
    }
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Ok(Comments::reported(&mut conn, 100).await?)
    })
    .await
}
