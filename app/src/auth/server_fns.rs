//! The accounts API: register, sign in and out, change password, language.

use leptos::prelude::*;

use serde::{Deserialize, Serialize};

use super::model::{MailSettings, SessionUser};
use platform::error::AppError;

#[cfg(feature = "ssr")]
use {
    super::model::{check_password, normalise_email, validate_registration},
    super::password,
    super::queries::{Admission, LoginThrottles, Registrations, Sessions, Users},
    super::session::{
        self, WriteLimits, client_ip, count_write, current_token_hash, require_user, start_session,
    },
    super::texts::registration_mails,
    crate::geography::model::Municipality,
    crate::i18n::{Locale, initial_locale},
    platform::config::AppConfig,
    platform::error::{ErrorCode, FieldError},
    platform::rate_limit::{self, Limit},
    platform::{clock, db},
};

/// New accounts per client address and hour (per account has no meaning before one).
#[cfg(feature = "ssr")]
const REGISTRATIONS: WriteLimits = WriteLimits {
    per_account: None,
    per_address: Limit::per_hour("account.register", 20),
};

/// Registration mails per mailbox and hour, whoever asks for them.
#[cfg(feature = "ssr")]
const MAILS_PER_ADDRESS: Limit = Limit::per_hour("account.register.mail", 5);

/// How long the link of a registration mail works.
#[cfg(feature = "ssr")]
const CONFIRMATION_VALID: chrono::Duration = chrono::Duration::hours(24);

/// The signed-in user, or `None` for a guest.
#[server(endpoint = "auth/me", input = server_fn::codec::GetUrl)]
pub async fn get_current_user() -> Result<Option<SessionUser>, AppError> {
    session::current_user().await
}

/// What the registration form answers, whether or not the address has an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationSent {
    /// The address the mail went to, as stored (lower-cased).
    pub email: String,
}

/// Asks for an account. A confirmation link is mailed to the address (the account is
/// created when it is opened, see [`confirm_registration`]); when the address has an
/// account already, a note saying so is mailed instead. The answer is the same either
/// way, and both ways hash the password, so neither the answer nor its timing tells
/// whether an address is registered.
#[server(endpoint = "auth/register")]
pub async fn register(
    email: String,
    password: String,
    display_name: String,
    home_municipality_id: String,
) -> Result<RegistrationSent, AppError> {
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
    let config = AppConfig::current();
    let (token, token_hash) = session::new_token();
    let mails = registration_mails(&valid.email, locale, &config.site_url, &token);
    let now = clock::now();
    let answer = RegistrationSent {
        email: valid.email.clone(),
    };
    let limits_on = config.rate_limits;
    db::run(&pool, move |mut conn| async move {
        if limits_on {
            // Per mailbox too: nobody fills a stranger's inbox from many addresses.
            let mailbox = format!("mail:{}", valid.email);
            rate_limit::count(&mut conn, MAILS_PER_ADDRESS, &mailbox, now).await?;
        }
        let requested = Registrations::request(
            &mut conn,
            &valid,
            &password_hash,
            locale,
            &token_hash,
            &mails,
            now,
            CONFIRMATION_VALID,
        )
        .await?;
        tracing::info!(?requested, "registration requested");
        Ok(())
    })
    .await?;
    Ok(answer)
}

/// Opens the link of a registration mail: creates the account and signs it in. A link
/// that is unknown, used or expired is refused with [`ErrorCode::InvalidLink`].
#[server(endpoint = "auth/confirm")]
pub async fn confirm_registration(token: String) -> Result<SessionUser, AppError> {
    let well_formed = token.len() == 64 && token.chars().all(|c| c.is_ascii_hexdigit());
    if !well_formed {
        return Err(AppError::invalid("token", ErrorCode::InvalidLink));
    }
    let token_hash = session::hash_token(&token.to_ascii_lowercase());
    let now = clock::now();
    let pool = db::pool()?;
    let created = db::run(&pool, move |mut conn| async move {
        Ok(Registrations::confirm(&mut conn, &token_hash, now).await?)
    })
    .await?;
    let Some(id) = created else {
        return Err(AppError::invalid("token", ErrorCode::InvalidLink));
    };
    let user = db::run(&pool, move |mut conn| async move {
        Ok(Users::session_user(&mut conn, id).await?)
    })
    .await?;
    start_session(id, user.locale).await?;
    Ok(user)
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

/// The signed-in user's e-mail settings.
#[server(endpoint = "account/mail", input = server_fn::codec::GetUrl)]
pub async fn get_mail_settings() -> Result<MailSettings, AppError> {
    let user = require_user().await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Ok(Users::mail_settings(&mut conn, user.id).await?)
    })
    .await
}

/// Saves the signed-in user's e-mail settings; a box left unticked is sent as nothing.
#[server(endpoint = "account/mail/save")]
pub async fn save_mail_settings(
    work: Option<String>,
    followed: Option<String>,
) -> Result<MailSettings, AppError> {
    let user = require_user().await?;
    let settings = MailSettings {
        work: work.is_some(),
        followed: followed.is_some(),
    };
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Users::set_mail_settings(&mut conn, user.id, settings).await?;
        Ok(settings)
    })
    .await
}
