//! The bell's API: the unread count, the newest notifications, marking them read.

use leptos::prelude::*;

use super::Notification;
use platform::error::AppError;

#[cfg(feature = "ssr")]
use {
    crate::auth::session::{current_user, require_user},
    civic::notifications::Notifications,
    platform::{clock, db},
};

/// The number of unread notifications (0 for guests, so the bell can always ask).
#[server(endpoint = "notifications/unread", input = server_fn::codec::GetUrl)]
pub async fn unread_notifications() -> Result<i64, AppError> {
    let Some(user) = current_user().await? else {
        return Ok(0);
    };
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Ok(Notifications::unread_count(&mut conn, user.id).await?)
    })
    .await
}

/// The signed-in user's newest notifications.
#[server(endpoint = "notifications", input = server_fn::codec::GetUrl)]
pub async fn my_notifications() -> Result<Vec<Notification>, AppError> {
    let user = require_user().await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        let stored = Notifications::recent(&mut conn, user.id, 50).await?;
        Ok(super::describe::describe(&mut conn, &user, stored).await?)
    })
    .await
}

/// Marks all of the user's notifications read.
#[server(endpoint = "notifications/read")]
pub async fn mark_notifications_read() -> Result<(), AppError> {
    let user = require_user().await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Ok(Notifications::mark_all_read(&mut conn, user.id, clock::now()).await?)
    })
    .await
}
