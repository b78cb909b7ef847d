//! Deleting one's own account, confirmed with the password.

use leptos::prelude::*;

use platform::error::AppError;

#[cfg(feature = "ssr")]
use {
    super::queries::AccountDeletion,
    crate::auth::password,
    crate::auth::queries::Users,
    crate::auth::session::{WriteLimits, count_write, end_session, require_user},
    platform::error::{ErrorCode, FieldError},
    platform::{clock, db},
};

/// Attempts in an hour per account, and from one address: each checks a password.
#[cfg(feature = "ssr")]
const DELETING: WriteLimits = WriteLimits::hourly("account.delete", 10, 60);

/// Deletes the signed-in person's account once they tick `confirm` and give their
/// `password`, and signs them out.
#[server(endpoint = "account/delete")]
pub async fn delete_account(
    password: String,
    #[server(default)] confirm: String,
) -> Result<(), AppError> {
    let user = require_user().await?;
    let mut errors = Vec::new();
    if confirm.is_empty() {
        errors.push(FieldError::new("confirm", ErrorCode::Required));
    }
    if password.is_empty() {
        errors.push(FieldError::new("password", ErrorCode::Required));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid { errors });
    }
    count_write(DELETING, Some(user.id)).await?;
    let pool = db::pool()?;
    let stored = db::run(&pool, move |mut conn| async move {
        Ok(Users::password_hash(&mut conn, user.id).await?)
    })
    .await?;
    if !password::verify(password, Some(stored)).await? {
        return Err(AppError::invalid("password", ErrorCode::WrongPassword));
    }
    db::run(&pool, move |mut conn| async move {
        AccountDeletion::delete(&mut conn, user.id, clock::now()).await
    })
    .await?;
    end_session().await
}
