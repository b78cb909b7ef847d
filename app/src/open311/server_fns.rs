//! Issuing and revoking a user's Open311 API key.

use leptos::prelude::*;

use platform::error::AppError;

#[cfg(feature = "ssr")]
use {
    super::queries::{key_count, revoke_keys, store_key},
    crate::auth::session::{hash_token, new_token, require_user},
    platform::{clock, db},
};

/// Whether the signed-in user holds an API key.
#[server(endpoint = "account/api-key", input = server_fn::codec::GetUrl)]
pub async fn has_api_key() -> Result<bool, AppError> {
    let user = require_user().await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Ok(key_count(&mut conn, user.id).await? > 0)
    })
    .await
}

/// Issues a new API key, replacing any earlier one; the key is returned once and only its
/// hash is stored.
#[server(endpoint = "account/api-key/issue")]
pub async fn issue_api_key() -> Result<String, AppError> {
    let user = require_user().await?;
    let (key, _) = new_token();
    let key_hash = hash_token(&key);
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        use diesel_async::AsyncConnection;
        conn.transaction(async move |conn| {
            revoke_keys(conn, user.id).await?;
            store_key(conn, user.id, &key_hash, clock::now()).await?;
            Ok::<_, AppError>(())
        })
        .await
    })
    .await?;
    Ok(key)
}

/// Revokes the user's API keys.
#[server(endpoint = "account/api-key/revoke")]
pub async fn revoke_api_key() -> Result<(), AppError> {
    let user = require_user().await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        revoke_keys(&mut conn, user.id).await?;
        Ok(())
    })
    .await
}
