//! The moderation API: anyone signed in reports; moderators read the queue and decide.

use leptos::prelude::*;

use super::model::ReportedItem;
use platform::error::AppError;

#[cfg(feature = "ssr")]
use {
    super::model::{Decision, ReportedKind},
    super::queries::{Moderation, validate_reason},
    crate::auth::model::{MODERATORS, SessionUser},
    crate::auth::session::{WriteLimits, count_write, require_user},
    platform::ids::parse_id,
    platform::{clock, db},
};

/// Reports in an hour per account, and from one address.
#[cfg(feature = "ssr")]
const REPORTS: WriteLimits = WriteLimits::hourly("content.report", 30, 200);

/// Subjects the queue lists at most.
#[cfg(feature = "ssr")]
const QUEUE: u32 = 100;

#[cfg(feature = "ssr")]
fn kind_of(text: &str) -> Result<ReportedKind, AppError> {
    ReportedKind::from_db(text.trim()).ok_or(AppError::NotFound)
}

#[cfg(feature = "ssr")]
async fn require_moderator() -> Result<SessionUser, AppError> {
    let user = require_user().await?;
    if MODERATORS.iter().any(|role| user.has_role(*role)) {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

/// Reports `kind` (`publication`, `person`, `message`) `id` to the moderators with a
/// reason.
#[server(endpoint = "moderation/report")]
pub async fn report_content(kind: String, id: String, reason: String) -> Result<(), AppError> {
    let user = require_user().await?;
    let kind = kind_of(&kind)?;
    let id: u64 = parse_id(&id)?;
    let reason = validate_reason(&reason)?;
    count_write(REPORTS, Some(user.id)).await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Moderation::report(&mut conn, kind, id, user.id, &reason, clock::now())
            .await
            .map(drop)
    })
    .await
}

/// The moderators' queue of reported publications, profiles and messages.
#[server(endpoint = "moderation/queue", input = server_fn::codec::GetUrl)]
pub async fn load_report_queue() -> Result<Vec<ReportedItem>, AppError> {
    require_moderator().await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Moderation::queue(&mut conn, QUEUE).await
    })
    .await
}

/// A moderator's `decision` (`hide`, `warn`, `suspend`, `dismiss`) on `kind` `id`, with
/// the reason the author reads and, for a suspension, its `days`.
#[server(endpoint = "moderation/decide")]
pub async fn decide_report(
    kind: String,
    id: String,
    decision: String,
    reason: String,
    #[server(default)] days: String,
) -> Result<(), AppError> {
    let user = require_moderator().await?;
    let kind = kind_of(&kind)?;
    let id: u64 = parse_id(&id)?;
    let decision = Decision::from_db(decision.trim()).ok_or(AppError::BadRequest)?;
    let reason = validate_reason(&reason)?;
    let days: u32 = match days.trim() {
        "" => 0,
        text => text.parse().map_err(|_| {
            AppError::invalid(
                "days",
                platform::error::ErrorCode::OutOfRange {
                    min: 1,
                    max: i64::from(super::model::SUSPENSION_DAYS_MAX),
                },
            )
        })?,
    };
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Moderation::decide(
            &mut conn,
            kind,
            id,
            user.id,
            decision,
            &reason,
            days,
            clock::now(),
        )
        .await
        .map(drop)
    })
    .await
}
