//! The accounts API: register, sign in and out, change password, language.

use leptos::prelude::*;

use super::model::SessionUser;
use platform::error::AppError;

#[cfg(feature = "ssr")]
use {
    super::model::{check_password, normalise_email, validate_registration},
    super::password,
    super::queries::{Admission, LoginThrottles, Sessions, Users},
    super::session::{
        self, WriteLimits, client_ip, count_write, current_token_hash, require_user, start_session,
    },
    crate::geography::model::Municipality,
    crate::i18n::{Locale, initial_locale},
    platform::error::{ErrorCode, FieldError},
    platform::rate_limit::Limit,
    platform::{clock, db},
};

/// New accounts per client address and hour (per account has no meaning before one).
#[cfg(feature = "ssr")]
const REGISTRATIONS: WriteLimits = WriteLimits {
    per_account: None,
    per_address: Limit::per_hour("account.register", 20),
};

/// The signed-in user, or `None` for a guest.
#[server(endpoint = "auth/me", input = server_fn::codec::GetUrl)]
pub async fn get_current_user() -> Result<Option<SessionUser>, AppError> {
    session::current_user().await
}

/// Creates an account and signs it in.
#[server(endpoint = "auth/register")]
pub async fn register(
    email: String,
    password: String,
    display_name: String,
    home_municipality_id: String,
) -> Result<SessionUser, AppError> {
    let valid = validate_registration(&email, &password, &display_name, &home_municipality_id)
        .map_err(|errors| AppError::Invalid { errors })?;
    count_write(REGISTRATIONS, None).await?;
    let pool = db::pool()?;
    let municipality = valid.home_municipality_id;
    let known = db::run(&pool, move |mut conn| async move {
        Ok(Municipality::exists(&mut conn, municipality).await?)
    })
    .await?;
    if !known {
        return Err(AppError::invalid(
            "home_municipality_id",
            ErrorCode::UnknownMunicipality,
        ));
    }
    let password_hash = password::hash(valid.password.clone()).await?;
    let locale = initial_locale();
    let now = clock::now();
    let id = db::run(&pool, move |mut conn| async move {
        match Users::create(&mut conn, &valid, &password_hash, locale, now).await {
            Ok(id) => Ok(id),
            Err(error) if db::is_unique_violation(&error) => {
                Err(AppError::invalid("email", ErrorCode::EmailTaken))
            }
            Err(error) => Err(error.into()),
        }
    })
    .await?;
    start_session(id, locale).await?;
    db::run(&pool, move |mut conn| async move {
        Ok(Users::session_user(&mut conn, id).await?)
    })
    .await
}

/// Signs in with e-mail and password. Attempts are throttled per (e-mail, address) with
/// growing delays ([`LoginThrottles`]), so guesses from one place never lock the owner out
/// elsewhere.
#[server(endpoint = "auth/login")]
pub async fn login(email: String, password: String) -> Result<SessionUser, AppError> {
    let email = normalise_email(&email);
    let errors: Vec<FieldError> = [
        ("email", email.is_empty().then_some(ErrorCode::Required)),
        (
            "password",
            password.is_empty().then_some(ErrorCode::Required),
        ),
        (
            "email",
            (email.chars().count() > 254).then_some(ErrorCode::TooLong { max: 254 }),
        ),
        (
            "password",
            (password.chars().count() > 128).then_some(ErrorCode::TooLong { max: 128 }),
        ),
    ]
    .into_iter()
    .filter_map(|(field, code)| code.map(|code| FieldError::new(field, code)))
    .collect();
    if !errors.is_empty() {
        return Err(AppError::Invalid { errors });
    }
    let ip = client_ip();
    let now = clock::now();
    let pool = db::pool()?;
    let (lookup_email, lookup_ip) = (email.clone(), ip.clone());
    let (admission, credentials) = db::run(&pool, move |mut conn| async move {
        let admission = LoginThrottles::admit(&mut conn, &lookup_email, &lookup_ip, now).await?;
        let credentials = match admission {
            Admission::Admitted => Users::credentials(&mut conn, &lookup_email).await?,
            Admission::WaitUntil(_) => None,
        };
        Ok((admission, credentials))
    })
    .await?;
    if let Admission::WaitUntil(until) = admission {
        tracing::warn!(%ip, "sign-in delayed");
        let seconds = (until - now).num_seconds().clamp(1, i64::from(u32::MAX));
        return Err(AppError::RateLimited {
            retry_after_seconds: u32::try_from(seconds).unwrap_or(u32::MAX),
        });
    }
    let (user_id, stored_hash) = match credentials {
        Some((id, hash)) => (Some(id), Some(hash)),
        None => (None, None),
    };
    let matches = password::verify(password, stored_hash).await?;
    if matches {
        db::run(&pool, move |mut conn| async move {
            Ok(LoginThrottles::succeeded(&mut conn, &email, &ip).await?)
        })
        .await?;
    }
    let user_id = match (matches, user_id) {
        (true, Some(id)) => id,
        _ => return Err(AppError::BadCredentials),
    };
    let user = db::run(&pool, move |mut conn| async move {
        Ok(Users::session_user(&mut conn, user_id).await?)
    })
    .await?;
    start_session(user.id, user.locale).await?;
    Ok(user)
}

/// Signs out of this browser.
#[server(endpoint = "auth/logout")]
pub async fn logout() -> Result<(), AppError> {
    session::end_session().await
}

/// Changes the password; every other session of the user is signed out.
#[server(endpoint = "auth/password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
    new_password_repeat: String,
) -> Result<(), AppError> {
    let user = require_user().await?;
    let mut errors: Vec<FieldError> = Vec::new();
    if current_password.is_empty() {
        errors.push(FieldError::new("current_password", ErrorCode::Required));
    }
    if let Some(code) = check_password(&new_password) {
        errors.push(FieldError::new("new_password", code));
    } else if new_password != new_password_repeat {
        errors.push(FieldError::new(
            "new_password_repeat",
            ErrorCode::PasswordsDiffer,
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid { errors });
    }
    let pool = db::pool()?;
    let stored = db::run(&pool, move |mut conn| async move {
        Ok(Users::password_hash(&mut conn, user.id).await?)
    })
    .await?;
    if !password::verify(current_password, Some(stored)).await? {
        return Err(AppError::invalid(
            "current_password",
            ErrorCode::WrongPassword,
        ));
    }
    let new_hash = password::hash(new_password).await?;
    let keep = current_token_hash().unwrap_or_default();
    db::run(&pool, move |mut conn| async move {
        Users::set_password(&mut conn, user.id, &new_hash, clock::now()).await?;
        Sessions::delete_others(&mut conn, user.id, &keep).await?;
        Ok(())
    })
    .await
}

/// Switches the interface language: remembered in this browser, and for a signed-in user
/// also on the account.
#[server(endpoint = "auth/locale")]
pub async fn set_locale(locale: String) -> Result<(), AppError> {
    let locale =
        Locale::from_code(&locale).ok_or(AppError::invalid("locale", ErrorCode::NotAllowed))?;
    session::remember_locale(locale);
    if let Some(user) = session::current_user().await? {
        let pool = db::pool()?;
        db::run(&pool, move |mut conn| async move {
            Ok(Users::set_locale(&mut conn, user.id, locale).await?)
        })
        .await?;
    }
    Ok(())
}
