//! The law-making API: public lists and pages; proposing, supporting, commenting with a
//! position and following; the moderators', the responsible body's and the author's
//! steps. Every step is authorised on the server against the locked initiative.

use leptos::prelude::*;

use super::model::{
    InitiativeDetail, InitiativeId, InitiativeInput, InitiativePage, InitiativeQuery,
    InitiativeSummary, Stage,
};
use crate::auth::model::SubjectViewer;
use platform::error::AppError;

#[cfg(feature = "ssr")]
use {
    super::model::{Action, validate_reason},
    super::queries::Initiatives,
    crate::auth::model::Role,
    crate::auth::session::{WriteLimits, count_write, current_user, require_user},
    civic::comments::validate_comment,
    diesel_async::AsyncConnection,
    platform::{clock, db},
};

/// New initiatives per account and per client address and hour.
#[cfg(feature = "ssr")]
const PROPOSALS: WriteLimits = WriteLimits::hourly("initiative.propose", 5, 30);
#[cfg(feature = "ssr")]
const COMMENTS: WriteLimits = WriteLimits::hourly("initiative.comment", 30, 200);
#[cfg(feature = "ssr")]
const SUPPORTS: WriteLimits = WriteLimits::hourly("initiative.support", 300, 1000);

#[cfg(feature = "ssr")]
fn parse_id(text: &str) -> Result<InitiativeId, AppError> {
    text.trim().parse().map_err(|_| AppError::NotFound)
}

/// One page of the public list; `stage=moderation` is the moderators' queue.
#[server(endpoint = "initiatives", input = server_fn::codec::GetUrl)]
pub async fn list_initiatives(
    #[server(default)] query: InitiativeQuery,
) -> Result<InitiativePage, AppError> {
    let filter = query.filter();
    let staff_view = if filter.stage.is_some_and(|stage| !stage.is_public()) {
        current_user()
            .await?
            .is_some_and(|user| user.has_role(Role::Moderator))
    } else {
        false
    };
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Initiatives::list(&mut conn, &filter, query.page(), staff_view).await
    })
    .await
}

/// An initiative's page, with what the viewer may do. One in moderation or refused is
/// visible only to its author and to moderators.
#[server(endpoint = "initiative", input = server_fn::codec::GetUrl)]
pub async fn get_initiative(id: String) -> Result<(InitiativeDetail, SubjectViewer), AppError> {
    let id = parse_id(&id)?;
    let viewer = current_user().await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        let detail = Initiatives::detail(&mut conn, id, clock::now()).await?;
        let state = SubjectViewer::load(
            &mut conn,
            viewer.as_ref(),
            id.subject(),
            detail.author_id,
            detail.summary.department_id,
        )
        .await?;
        if !detail
            .summary
            .stage
            .visible_to(state.is_author, state.is_moderator)
        {
            return Err(AppError::NotFound);
        }
        Ok((detail, state))
    })
    .await
}

/// Proposes an initiative as the signed-in user; returns its number. It waits for a
/// moderator before the public sees it.
#[server(endpoint = "initiatives/propose")]
pub async fn propose_initiative(input: InitiativeInput) -> Result<InitiativeId, AppError> {
    let user = require_user().await?;
    let valid = input
        .validate()
        .map_err(|errors| AppError::Invalid { errors })?;
    count_write(PROPOSALS, Some(user.id)).await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        conn.transaction(async move |conn| {
            Initiatives::create(conn, user.id, &valid, clock::now()).await
        })
        .await
    })
    .await
}

/// Takes step `action` (an `Action` name) of initiative `id`, with the reason the step
/// needs (empty otherwise); returns the new stage.
#[server(endpoint = "initiatives/step")]
pub async fn initiative_step(
    id: String,
    action: String,
    #[server(default)] text: String,
) -> Result<Stage, AppError> {
    let user = require_user().await?;
    let id = parse_id(&id)?;
    let action = Action::from_db(action.trim()).ok_or(AppError::BadRequest)?;
    let reason = validate_reason(action, &text)?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Initiatives::step(&mut conn, id, &user.acting(), action, &reason, clock::now()).await
    })
    .await
}

/// Supports (`support = true`) or withdraws support; returns the new count.
#[server(endpoint = "initiatives/support")]
pub async fn set_initiative_support(id: String, support: bool) -> Result<u32, AppError> {
    let user = require_user().await?;
    let id = parse_id(&id)?;
    count_write(SUPPORTS, Some(user.id)).await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Initiatives::set_support(&mut conn, id, user.id, support, clock::now()).await
    })
    .await
}

/// Follows or stops following an initiative.
#[server(endpoint = "initiatives/follow")]
pub async fn set_initiative_follow(id: String, follow: bool) -> Result<(), AppError> {
    let user = require_user().await?;
    let id = parse_id(&id)?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        let (stage, author) = Initiatives::stage_and_author(&mut conn, id).await?;
        // Following an initiative the user may not see would reveal that it exists and,
        // through its steps, what becomes of it; leaving is always allowed.
        let visible = stage.visible_to(author == user.id, user.has_role(Role::Moderator));
        if follow && !visible {
            return Err(AppError::NotFound);
        }
        Ok(Initiatives::set_follow(&mut conn, id, user.id, follow, clock::now()).await?)
    })
    .await
}

/// Comments on a public initiative; `position` is `for`, `against`, `neutral` or empty
/// (the idea discussion requires one).
#[server(endpoint = "initiatives/comment")]
pub async fn add_initiative_comment(
    id: String,
    comment: String,
    #[server(default)] position: String,
) -> Result<(), AppError> {
    let user = require_user().await?;
    let id = parse_id(&id)?;
    let body = validate_comment(&comment)?;
    count_write(COMMENTS, Some(user.id)).await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Initiatives::add_comment(&mut conn, id, user.id, &body, &position, clock::now()).await
    })
    .await
}

/// The signed-in user's own initiatives, whatever their stage.
#[server(endpoint = "initiatives/mine", input = server_fn::codec::GetUrl)]
pub async fn my_initiatives() -> Result<Vec<InitiativeSummary>, AppError> {
    let user = require_user().await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Initiatives::by_author(&mut conn, user.id).await
    })
    .await
}
