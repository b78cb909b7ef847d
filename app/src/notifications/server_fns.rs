//! The bell's API: the unread count, the newest notifications, marking them read.

use leptos::prelude::*;

use std::collections::HashMap;

use super::{Delivery, Notification};
use platform::error::AppError;

#[cfg(feature = "ssr")]
use {
    super::TOPICS,
    crate::auth::session::{WriteLimits, count_write, current_user, require_user},
    civic::notifications::{NotificationPreferences, Notifications},
    platform::error::ErrorCode,
    platform::{clock, db},
};

/// Saves of the notification settings in an hour per account, and from one address.
#[cfg(feature = "ssr")]
const SETTINGS_SAVES: WriteLimits = WriteLimits::hourly("notifications.settings", 60, 200);

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

/// Where the signed-in user's notifications of each topic go, in the order of [`TOPICS`]
/// (by the topic's stored name).
#[server(endpoint = "notifications/settings", input = server_fn::codec::GetUrl)]
pub async fn notification_settings() -> Result<Vec<(String, Delivery)>, AppError> {
    let user = require_user().await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        let chosen = NotificationPreferences::all(&mut conn, user.id).await?;
        Ok(TOPICS
            .iter()
            .map(|(topic, _)| {
                let delivery = chosen
                    .iter()
                    .find(|(stored, ..)| stored == topic.as_str())
                    .map_or(Delivery::Default, |(_, bell, mail)| {
                        Delivery::from_stored(*bell, *mail)
                    });
                (topic.as_str().to_string(), delivery)
            })
            .collect())
    })
    .await
}

/// Saves where the notifications of each topic go: `choices` maps a topic's stored name
/// to a [`Delivery`]'s form name; a topic left out keeps its setting. An unknown topic or
/// choice refuses the whole form (`choices`).
#[server(endpoint = "notifications/settings/save")]
pub async fn save_notification_settings(choices: HashMap<String, String>) -> Result<(), AppError> {
    let user = require_user().await?;
    let mut chosen = Vec::with_capacity(choices.len());
    for (topic, delivery) in &choices {
        let topic = TOPICS
            .iter()
            .find(|(known, _)| known.as_str() == topic)
            .map(|(known, _)| *known);
        match (topic, Delivery::from_param(delivery)) {
            (Some(topic), Some(delivery)) => chosen.push((topic, delivery)),
            _ => return Err(AppError::invalid("choices", ErrorCode::NotAllowed)),
        }
    }
    count_write(SETTINGS_SAVES, Some(user.id)).await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        for (topic, delivery) in chosen {
            NotificationPreferences::set(&mut conn, user.id, topic.as_str(), delivery.stored())
                .await?;
        }
        Ok(())
    })
    .await
}
