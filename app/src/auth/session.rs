//! Sessions on the server: the cookie, the current user, and role checks. Every server
//! function that needs a user calls `require_user` or `require_role` first.

use axum::extract::{FromRef, FromRequestParts, Request, State};
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, Method, request::Parts};
use axum::middleware::Next;
use axum::response::Response;
use leptos::prelude::*;
use leptos_axum::ResponseOptions;
use sha2::{Digest, Sha256};

use super::model::{Role, SessionUser, UserId};
use super::queries::{Sessions, Users};
use crate::i18n::{LOCALE_COOKIE, Locale};
use platform::config::AppConfig;
use platform::db::DbPool;
use platform::error::AppError;
use platform::rate_limit::{self, Limit};
use platform::{clock, cookies, db};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "or_session";

/// A new random session token (hex, 256 bits) and its hash for storage.
pub fn new_token() -> (String, String) {
    let token = hex::encode(rand::random::<[u8; 32]>());
    let hash = hash_token(&token);
    (token, hash)
}

/// The stored form of a token: SHA-256 in hex. A stolen sessions table opens nothing.
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The signed-in user of a plain axum route (the upload routes, which are not server
/// functions), as an extractor: a request without a live session is answered
/// `Unauthorized` before the handler runs (and before its body is read).
pub struct SignedIn(pub SessionUser);

impl<S> FromRequestParts<S> for SignedIn
where
    S: Send + Sync,
    DbPool: FromRef<S>,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        request_user(&DbPool::from_ref(state), &parts.headers)
            .await
            .map(SignedIn)
    }
}

/// The signed-in user of a request with `headers`, from its session cookie;
/// `Unauthorized` without a live session.
async fn request_user(pool: &DbPool, headers: &HeaderMap) -> Result<SessionUser, AppError> {
    let token_hash = session_token_hash(headers).ok_or(AppError::Unauthorized)?;
    session_user(pool, token_hash)
        .await?
        .ok_or(AppError::Unauthorized)
}

/// The user of the live session whose token hashes to `token_hash`, if there is one.
async fn session_user(pool: &DbPool, token_hash: String) -> Result<Option<SessionUser>, AppError> {
    db::run(pool, move |mut conn| async move {
        match Sessions::user(&mut conn, &token_hash, clock::now()).await? {
            Some(id) => Ok(Some(Users::session_user(&mut conn, id).await?)),
            None => Ok(None),
        }
    })
    .await
}

/// The hash of the session token in a request's `headers`, if it carries a well-formed one.
fn session_token_hash(headers: &HeaderMap) -> Option<String> {
    let cookie = headers.get(COOKIE)?.to_str().ok()?;
    cookies::find(cookie, SESSION_COOKIE)
        .filter(|token| token.len() == 64 && token.chars().all(|c| c.is_ascii_hexdigit()))
        .map(hash_token)
}

/// The user a page is rendered for, looked up once before it renders (see
/// [`look_up_page_user`]).
#[derive(Debug, Clone)]
struct PageUser(Option<SessionUser>);

/// Middleware for the pages: a signed-in page asks for its user several times while it
/// renders (the header's menu, the unread count, the page's own data: three queries each),
/// so the user is looked up once here, before anything renders, and [`current_user`]
/// reads it from the request. Nothing waits on anything while the page renders (a lock
/// around a shared lookup could wait for a database connection held by a resource that
/// waits for the lock). Server functions (`/api/…`) look their user up themselves: they
/// are where sessions begin and end, and many need no user.
pub async fn look_up_page_user(
    State(pool): State<DbPool>,
    mut request: Request,
    next: Next,
) -> Response {
    if request.method() == Method::GET
        && !request.uri().path().starts_with("/api/")
        && let Some(token_hash) = session_token_hash(request.headers())
        // A failed lookup is left to the page's own, which reports it.
        && let Ok(user) = session_user(&pool, token_hash).await
    {
        request.extensions_mut().insert(PageUser(user));
    }
    next.run(request).await
}

fn set_cookie(value: String) {
    if let (Some(response), Ok(value)) = (
        use_context::<ResponseOptions>(),
        HeaderValue::from_str(&value),
    ) {
        response.append_header(SET_COOKIE, value);
    }
}

/// The hash of this request's session token, if it carries one.
pub fn current_token_hash() -> Option<String> {
    session_token_hash(&use_context::<Parts>()?.headers)
}

/// The signed-in user of this request, if any.
pub async fn current_user() -> Result<Option<SessionUser>, AppError> {
    let parts = use_context::<Parts>();
    if let Some(PageUser(user)) = parts.as_ref().and_then(|parts| parts.extensions.get()) {
        return Ok(user.clone());
    }
    let Some(token_hash) = parts.and_then(|parts| session_token_hash(&parts.headers)) else {
        return Ok(None);
    };
    session_user(&db::pool()?, token_hash).await
}

/// The signed-in user, or `Unauthorized`.
pub async fn require_user() -> Result<SessionUser, AppError> {
    current_user().await?.ok_or(AppError::Unauthorized)
}

/// The signed-in user holding `role`, or `Unauthorized` / `Forbidden`.
pub async fn require_role(role: Role) -> Result<SessionUser, AppError> {
    let user = require_user().await?;
    if user.has_role(role) {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

/// The signed-in user holding any of `roles`, or `Unauthorized` / `Forbidden`.
pub async fn require_any_role(roles: &[Role]) -> Result<SessionUser, AppError> {
    let user = require_user().await?;
    if roles.iter().any(|role| user.has_role(*role)) {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

/// The signed-in user holding any staff role, or `Unauthorized` / `Forbidden`.
pub async fn require_staff() -> Result<SessionUser, AppError> {
    let user = require_user().await?;
    if user.is_staff() {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

/// Starts a session for `user`: stores it and sets the cookies (session and language).
pub async fn start_session(user: UserId, locale: Locale) -> Result<(), AppError> {
    let config = AppConfig::current();
    let (token, token_hash) = new_token();
    let now = clock::now();
    let expires_at = now + chrono::Duration::days(config.session_days);
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Ok(Sessions::create(&mut conn, &token_hash, user, now, expires_at).await?)
    })
    .await?;
    let max_age = config.session_days * 24 * 3600;
    set_cookie(cookies::set_http_only(
        SESSION_COOKIE,
        &token,
        max_age,
        secure_cookies(&config),
    ));
    remember_locale(locale);
    Ok(())
}

/// Ends this request's session, if any, and clears the cookie.
pub async fn end_session() -> Result<(), AppError> {
    if let Some(token_hash) = current_token_hash() {
        let pool = db::pool()?;
        db::run(&pool, move |mut conn| async move {
            Ok(Sessions::delete(&mut conn, &token_hash).await?)
        })
        .await?;
    }
    set_cookie(cookies::expire(SESSION_COOKIE));
    Ok(())
}

/// Sets the language cookie, so the next page renders in `locale`.
pub fn remember_locale(locale: Locale) {
    set_cookie(cookies::set_readable(
        LOCALE_COOKIE,
        locale.code(),
        secure_cookies(&AppConfig::current()),
    ));
}

/// Whether this request's cookies carry `Secure`; outside a request, as configured.
fn secure_cookies(config: &AppConfig) -> bool {
    use_context::<Parts>().map_or(config.cookie_secure, |parts| {
        platform::client::wants_secure_cookies(&parts.headers, config)
    })
}

/// How often one account and one client address may make a kind of write.
#[derive(Debug, Clone, Copy)]
pub struct WriteLimits {
    /// Per signed-in account (`None` for writes made before there is one).
    pub per_account: Option<Limit>,
    /// Per client address (several people may share one, so it is looser).
    pub per_address: Limit,
}

impl WriteLimits {
    /// At most `per_account` writes of `action` per account and hour, and `per_address`
    /// per client address and hour.
    pub const fn hourly(action: &'static str, per_account: u32, per_address: u32) -> Self {
        Self {
            per_account: Some(Limit::per_hour(action, per_account)),
            per_address: Limit::per_hour(action, per_address),
        }
    }
}

/// `Suspended` while a moderator's suspension of `user` runs: every write of a person
/// is counted here first, so a suspension stops them all.
async fn refuse_suspended(pool: &DbPool, user: UserId) -> Result<(), AppError> {
    let now = clock::now();
    let until = db::run(pool, move |mut conn| async move {
        Ok(Users::suspended_until(&mut conn, user).await?)
    })
    .await?;
    match until {
        Some(until) if until > now => Err(AppError::Suspended { until }),
        _ => Ok(()),
    }
}

/// Counts one write by `user` (when signed in) and by this request's client address
/// against `limits` ([`platform::rate_limit`]); `RateLimited` when either is exceeded.
/// Called before the write, so a refused write changes nothing.
pub async fn count_write(limits: WriteLimits, user: Option<UserId>) -> Result<(), AppError> {
    if let Some(user) = user {
        refuse_suspended(&db::pool()?, user).await?;
    }
    if !AppConfig::current().rate_limits {
        return Ok(());
    }
    let address = address_subject(&client_ip());
    let now = clock::now();
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        if let (Some(limit), Some(user)) = (limits.per_account, user) {
            rate_limit::count(&mut conn, limit, &account_subject(user), now).await?;
        }
        rate_limit::count(&mut conn, limits.per_address, &address, now).await
    })
    .await
}

/// Counts one write by `user` against `limit` on a plain axum route (the uploads), which
/// has no request context for `count_write`; nothing when `config` turns limits off.
/// Called before the work, so a refused upload is never read or stored.
pub async fn count_account_write(
    pool: &DbPool,
    config: &AppConfig,
    limit: Limit,
    user: UserId,
) -> Result<(), AppError> {
    refuse_suspended(pool, user).await?;
    if !config.rate_limits {
        return Ok(());
    }
    db::run(pool, move |mut conn| async move {
        rate_limit::count(&mut conn, limit, &account_subject(user), clock::now()).await
    })
    .await
}

/// The subject a user's writes are counted under.
pub fn account_subject(user: UserId) -> String {
    format!("user:{}", user.0)
}

/// The subject a client address's writes are counted under.
pub fn address_subject(address: &str) -> String {
    format!("ip:{address}")
}

/// The client's IP address, through the configured trusted proxies
/// ([`platform::client`]).
pub fn client_ip() -> String {
    use_context::<Parts>().map_or_else(
        || "unknown".to_string(),
        |parts| platform::client::address_of(&parts, &AppConfig::current()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_only_their_hash_is_kept() {
        let (token, hash) = new_token();
        let (other, _) = new_token();
        assert_eq!(token.len(), 64);
        assert_ne!(token, other);
        assert_eq!(hash, hash_token(&token));
        assert_ne!(hash, token);
    }
}
