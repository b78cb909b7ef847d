//! The profiles' API: anyone reads a public profile; the signed-in person edits their
//! own and follows others.

use leptos::prelude::*;

use super::model::{ActivityPage, MyProfile, PersonView, ProfileInput};
use platform::error::AppError;

#[cfg(feature = "ssr")]
use {
    super::queries::Profiles,
    crate::auth::session::{WriteLimits, count_write, current_user, require_user},
    platform::ids::{UserId, parse_id},
    platform::{clock, db},
};

/// Profile changes in an hour per account, and from one address.
#[cfg(feature = "ssr")]
const PROFILE_CHANGES: WriteLimits = WriteLimits::hourly("profile.save", 30, 100);

/// Follows and unfollows in an hour per account, and from one address.
#[cfg(feature = "ssr")]
const FOLLOWS: WriteLimits = WriteLimits::hourly("person.follow", 200, 600);

/// Follows and unfollows of municipalities in an hour per account, and from one address.
#[cfg(feature = "ssr")]
const MUNICIPALITY_FOLLOWS: WriteLimits = WriteLimits::hourly("municipality.follow", 100, 300);

/// The public profile of person `id`.
#[server(endpoint = "people/get", input = server_fn::codec::GetUrl)]
pub async fn load_person(id: String) -> Result<PersonView, AppError> {
    let person = parse_id::<UserId>(&id)?;
    let reader = current_user().await?.map(|user| user.id);
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Profiles::view(&mut conn, person, reader).await
    })
    .await
}

/// The signed-in person's profile, for the form.
#[server(endpoint = "people/mine", input = server_fn::codec::GetUrl)]
pub async fn load_my_profile() -> Result<MyProfile, AppError> {
    let user = require_user().await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Profiles::mine(&mut conn, user.id).await
    })
    .await
}

/// Saves the signed-in person's profile.
#[server(endpoint = "people/save")]
pub async fn save_profile(profile: ProfileInput) -> Result<MyProfile, AppError> {
    let user = require_user().await?;
    let valid = profile
        .validate()
        .map_err(|errors| AppError::Invalid { errors })?;
    count_write(PROFILE_CHANGES, Some(user.id)).await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Profiles::save(&mut conn, user.id, valid, clock::now()).await
    })
    .await
}

/// The signed-in person follows (`follow` = `true`) or stops following person `id`;
/// returns how many follow them now.
#[server(endpoint = "people/follow")]
pub async fn follow_person(id: String, follow: bool) -> Result<u64, AppError> {
    let user = require_user().await?;
    let person = parse_id::<UserId>(&id)?;
    count_write(FOLLOWS, Some(user.id)).await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Profiles::follow(&mut conn, person, user.id, follow, clock::now()).await
    })
    .await
}

/// The signed-in person blocks (`block` = `true`) or unblocks person `id`: a blocked
/// person may not comment on their publications or follow them, and following ends both
/// ways.
#[server(endpoint = "people/block")]
pub async fn block_person(id: String, block: bool) -> Result<(), AppError> {
    let user = require_user().await?;
    let person = parse_id::<UserId>(&id)?;
    count_write(FOLLOWS, Some(user.id)).await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Profiles::block(&mut conn, user.id, person, block, clock::now()).await
    })
    .await
}

/// A page of the signed-in person's activity feed, before `before` (the cursor a page
/// gave; empty for the newest).
#[server(endpoint = "people/activity", input = server_fn::codec::GetUrl)]
pub async fn load_activity(before: String) -> Result<ActivityPage, AppError> {
    let user = require_user().await?;
    let before = chrono::NaiveDateTime::parse_from_str(before.trim(), super::feed::CURSOR).ok();
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Ok(super::feed::activity_page(&mut conn, user.id, before).await?)
    })
    .await
}

/// The signed-in person follows (`follow` = `true`) municipality `municipality`, or stops:
/// what is new there appears in their activity feed.
#[server(endpoint = "people/follow-municipality")]
pub async fn follow_municipality(municipality: String, follow: bool) -> Result<(), AppError> {
    let user = require_user().await?;
    let municipality: crate::geography::model::MunicipalityId = parse_id(&municipality)?;
    count_write(MUNICIPALITY_FOLLOWS, Some(user.id)).await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        if !crate::geography::model::Municipality::exists(&mut conn, municipality).await? {
            return Err(AppError::invalid(
                "municipality",
                platform::error::ErrorCode::UnknownMunicipality,
            ));
        }
        let subject =
            civic::subject::Subject::new(crate::geography::model::MUNICIPALITY, municipality.0);
        Ok(civic::follows::Follows::set(&mut conn, subject, user.id, follow, clock::now()).await?)
    })
    .await
}
