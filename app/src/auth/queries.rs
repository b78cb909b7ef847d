//! Account, role, session and login-attempt queries.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl};

use super::model::{
    MailSettings, RegistrationMails, Role, RoleGrant, SessionUser, SubjectViewer, UserId,
    ValidRegistration,
};
use crate::i18n::Locale;
use civic::follows::Follows;
use civic::subject::Subject;
use civic::supports::Supports;
use platform::db::last_insert_id;
use platform::db::schema::{login_throttles, registration_requests, sessions, user_roles, users};
use platform::ids::{DepartmentId, MunicipalityId};
use platform::mail::enqueue_mail;

/// The password field of an account that cannot sign in: not a PHC string, so
/// `password::verify` matches nothing against it.
const NO_PASSWORD: &str = "!";

#[derive(Insertable)]
#[diesel(table_name = users)]
struct NewUser<'a> {
    email: &'a str,
    password_hash: &'a str,
    display_name: &'a str,
    home_municipality_id: MunicipalityId,
    locale: &'a str,
    created_at: NaiveDateTime,
    password_changed_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = user_roles)]
struct NewRoleGrant {
    user_id: UserId,
    role: &'static str,
    department_id: Option<DepartmentId>,
    granted_by: Option<UserId>,
    granted_at: NaiveDateTime,
}

/// Queries on `users`.
pub struct Users;

impl Users {
    /// Creates the account and its citizen role in one transaction.
    pub async fn create(
        conn: &mut AsyncMysqlConnection,
        registration: &ValidRegistration,
        password_hash: &str,
        locale: Locale,
        now: NaiveDateTime,
    ) -> QueryResult<UserId> {
        conn.transaction(async move |conn| {
            diesel::insert_into(users::table)
                .values(NewUser {
                    email: &registration.email,
                    password_hash,
                    display_name: &registration.display_name,
                    home_municipality_id: registration.home_municipality_id,
                    locale: locale.code(),
                    created_at: now,
                    password_changed_at: now,
                })
                .execute(conn)
                .await?;
            let id = UserId(last_insert_id(conn).await?);
            Roles::grant(conn, id, Role::Citizen, None, None, now).await?;
            Ok(id)
        })
        .await
    }

    /// Creates an integration account: the name under which a department system's steps
    /// are recorded. It holds no role, gets no mail, and its password field is no PHC
    /// string, so no password matches it and it can never sign in. Its address is random
    /// under `.invalid`, a name that cannot receive mail.
    pub async fn create_integration(
        conn: &mut AsyncMysqlConnection,
        display_name: &str,
        home_municipality_id: MunicipalityId,
        now: NaiveDateTime,
    ) -> QueryResult<UserId> {
        let email = format!(
            "integration-{}@integrations.invalid",
            hex::encode(rand::random::<[u8; 8]>())
        );
        let account = NewUser {
            email: &email,
            password_hash: NO_PASSWORD,
            display_name,
            home_municipality_id,
            locale: Locale::default().code(),
            created_at: now,
            password_changed_at: now,
        };
        diesel::insert_into(users::table)
            .values((
                account,
                users::mail_work_notices.eq(false),
                users::mail_followed_notices.eq(false),
            ))
            .execute(conn)
            .await?;
        Ok(UserId(last_insert_id(conn).await?))
    }

    /// The id and password hash of the account with this (normalised) e-mail.
    pub async fn credentials(
        conn: &mut AsyncMysqlConnection,
        email: &str,
    ) -> QueryResult<Option<(UserId, String)>> {
        users::table
            .filter(users::email.eq(email))
            .select((users::id, users::password_hash))
            .first(conn)
            .await
            .optional()
    }

    /// The stored password hash of a user.
    pub async fn password_hash(conn: &mut AsyncMysqlConnection, id: UserId) -> QueryResult<String> {
        users::table
            .find(id)
            .select(users::password_hash)
            .first(conn)
            .await
    }

    /// Replaces a user's password hash.
    pub async fn set_password(
        conn: &mut AsyncMysqlConnection,
        id: UserId,
        password_hash: &str,
        now: NaiveDateTime,
    ) -> QueryResult<()> {
        diesel::update(users::table.find(id))
            .set((
                users::password_hash.eq(password_hash),
                users::password_changed_at.eq(now),
            ))
            .execute(conn)
            .await
            .map(drop)
    }

    /// Remembers a user's interface language.
    pub async fn set_locale(
        conn: &mut AsyncMysqlConnection,
        id: UserId,
        locale: Locale,
    ) -> QueryResult<()> {
        diesel::update(users::table.find(id))
            .set(users::locale.eq(locale.code()))
            .execute(conn)
            .await
            .map(drop)
    }

    /// A user with their roles, as the session sees them.
    pub async fn session_user(
        conn: &mut AsyncMysqlConnection,
        id: UserId,
    ) -> QueryResult<SessionUser> {
        let (email, display_name, home_municipality_id, locale): (
            String,
            String,
            MunicipalityId,
            String,
        ) = users::table
            .find(id)
            .select((
                users::email,
                users::display_name,
                users::home_municipality_id,
                users::locale,
            ))
            .first(conn)
            .await?;
        Ok(SessionUser {
            id,
            email,
            display_name,
            home_municipality_id,
            locale: Locale::from_code(&locale).unwrap_or_default(),
            roles: Roles::of(conn, id).await?,
        })
    }

    /// Which notifications a user also gets by e-mail.
    pub async fn mail_settings(
        conn: &mut AsyncMysqlConnection,
        id: UserId,
    ) -> QueryResult<MailSettings> {
        let (work, followed) = users::table
            .find(id)
            .select((users::mail_work_notices, users::mail_followed_notices))
            .first(conn)
            .await?;
        Ok(MailSettings { work, followed })
    }

    /// Stores which notifications a user also gets by e-mail.
    pub async fn set_mail_settings(
        conn: &mut AsyncMysqlConnection,
        id: UserId,
        settings: MailSettings,
    ) -> QueryResult<()> {
        diesel::update(users::table.find(id))
            .set((
                users::mail_work_notices.eq(settings.work),
                users::mail_followed_notices.eq(settings.followed),
            ))
            .execute(conn)
            .await
            .map(drop)
    }

    /// The id of the user with this e-mail (the demo data names its people so).
    pub async fn id_by_email(conn: &mut AsyncMysqlConnection, email: &str) -> QueryResult<UserId> {
        users::table
            .filter(users::email.eq(email))
            .select(users::id)
            .first(conn)
            .await
    }

    /// Until when a moderator suspended `user`'s writing, if ever.
    pub async fn suspended_until(
        conn: &mut AsyncMysqlConnection,
        user: UserId,
    ) -> QueryResult<Option<NaiveDateTime>> {
        users::table
            .find(user)
            .select(users::suspended_until)
            .first(conn)
            .await
            .optional()
            .map(Option::flatten)
    }

    /// Whether a person with this id uses the portal: the account exists and was not
    /// deleted (a deleted account keeps its row for its contributions' sake).
    pub async fn exists(conn: &mut AsyncMysqlConnection, id: UserId) -> QueryResult<bool> {
        diesel::select(diesel::dsl::exists(
            users::table.find(id).filter(users::deleted_at.is_null()),
        ))
        .get_result(conn)
        .await
    }
}

/// Queries on `user_roles`.
pub struct Roles;

impl Roles {
    /// The roles of a user, in a stable order.
    pub async fn of(conn: &mut AsyncMysqlConnection, user: UserId) -> QueryResult<Vec<RoleGrant>> {
        let rows: Vec<(String, Option<DepartmentId>)> = user_roles::table
            .filter(user_roles::user_id.eq(user))
            .select((user_roles::role, user_roles::department_id))
            .order(user_roles::id.asc())
            .load(conn)
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(role, department_id)| {
                Role::from_db(&role).map(|role| RoleGrant {
                    role,
                    department_id,
                })
            })
            .collect())
    }

    /// The users holding `role`, with their display names, by name (at most `limit`).
    pub async fn holders(
        conn: &mut AsyncMysqlConnection,
        role: Role,
        limit: i64,
    ) -> QueryResult<Vec<(UserId, String)>> {
        user_roles::table
            .inner_join(users::table.on(users::id.eq(user_roles::user_id)))
            .filter(user_roles::role.eq(role.as_db()))
            .order((users::display_name.asc(), users::id.asc()))
            .select((users::id, users::display_name))
            .distinct()
            .limit(limit)
            .load(conn)
            .await
    }

    /// Whether `user` holds `role` (for any department).
    pub async fn holds(
        conn: &mut AsyncMysqlConnection,
        user: UserId,
        role: Role,
    ) -> QueryResult<bool> {
        diesel::select(diesel::dsl::exists(
            user_roles::table
                .filter(user_roles::user_id.eq(user))
                .filter(user_roles::role.eq(role.as_db())),
        ))
        .get_result(conn)
        .await
    }

    /// Grants a role; `false` if the user already held it.
    pub async fn grant(
        conn: &mut AsyncMysqlConnection,
        user: UserId,
        role: Role,
        department: Option<DepartmentId>,
        granted_by: Option<UserId>,
        now: NaiveDateTime,
    ) -> QueryResult<bool> {
        let inserted = diesel::insert_or_ignore_into(user_roles::table)
            .values(NewRoleGrant {
                user_id: user,
                role: role.as_db(),
                department_id: department,
                granted_by,
                granted_at: now,
            })
            .execute(conn)
            .await?;
        Ok(inserted == 1)
    }

    /// Revokes a role; `false` if the user did not hold it.
    pub async fn revoke(
        conn: &mut AsyncMysqlConnection,
        user: UserId,
        role: Role,
        department: Option<DepartmentId>,
    ) -> QueryResult<bool> {
        let matching = user_roles::table
            .filter(user_roles::user_id.eq(user))
            .filter(user_roles::role.eq(role.as_db()))
            .filter(user_roles::department_key.eq(department.map_or(0, |d| d.0)));
        let deleted = diesel::delete(matching).execute(conn).await?;
        Ok(deleted > 0)
    }

    /// How many users hold the admin role, locking their grants until the transaction
    /// ends: two admins revoking each other at once are then counted one after the other,
    /// and the second sees that only one admin is left.
    pub async fn lock_admins(conn: &mut AsyncMysqlConnection) -> QueryResult<usize> {
        let admins: Vec<UserId> = user_roles::table
            .filter(user_roles::role.eq(Role::Admin.as_db()))
            .select(user_roles::user_id)
            .for_update()
            .load(conn)
            .await?;
        Ok(admins.len())
    }
}

/// Queries on `sessions`.
pub struct Sessions;

impl Sessions {
    /// Stores a new session.
    pub async fn create(
        conn: &mut AsyncMysqlConnection,
        token_hash: &str,
        user: UserId,
        now: NaiveDateTime,
        expires_at: NaiveDateTime,
    ) -> QueryResult<()> {
        diesel::insert_into(sessions::table)
            .values((
                sessions::token_hash.eq(token_hash),
                sessions::user_id.eq(user),
                sessions::created_at.eq(now),
                sessions::expires_at.eq(expires_at),
            ))
            .execute(conn)
            .await
            .map(drop)
    }

    /// The user of an unexpired session.
    pub async fn user(
        conn: &mut AsyncMysqlConnection,
        token_hash: &str,
        now: NaiveDateTime,
    ) -> QueryResult<Option<UserId>> {
        sessions::table
            .filter(sessions::token_hash.eq(token_hash))
            .filter(sessions::expires_at.gt(now))
            .select(sessions::user_id)
            .first(conn)
            .await
            .optional()
    }

    /// Ends one session.
    pub async fn delete(conn: &mut AsyncMysqlConnection, token_hash: &str) -> QueryResult<()> {
        diesel::delete(sessions::table.filter(sessions::token_hash.eq(token_hash)))
            .execute(conn)
            .await
            .map(drop)
    }

    /// Ends every session of a user except `keep` (after a password change).
    pub async fn delete_others(
        conn: &mut AsyncMysqlConnection,
        user: UserId,
        keep: &str,
    ) -> QueryResult<usize> {
        diesel::delete(
            sessions::table
                .filter(sessions::user_id.eq(user))
                .filter(sessions::token_hash.ne(keep)),
        )
        .execute(conn)
        .await
    }

    /// Removes expired sessions.
    pub async fn purge_expired(
        conn: &mut AsyncMysqlConnection,
        now: NaiveDateTime,
    ) -> QueryResult<usize> {
        diesel::delete(sessions::table.filter(sessions::expires_at.le(now)))
            .execute(conn)
            .await
    }
}

/// Attempts a pair may make freely before delays start.
pub const FREE_ATTEMPTS: u32 = 5;
/// Failures older than this are forgotten: the next attempt starts a new count.
pub const QUIET_WINDOW_MINUTES: i64 = 15;
/// How many different e-mails one address may fail on within the quiet window (password
/// spraying) before it waits out the window.
pub const MAX_ACCOUNTS_PER_ADDRESS: i64 = 20;

/// How long a pair waits after its `failures`-th failure: nothing for the first
/// [`FREE_ATTEMPTS`], then 30 s doubling up to 15 minutes. The owner at another address
/// is never delayed by someone else's guesses.
pub fn delay_after(failures: u32) -> chrono::Duration {
    let Some(over) = failures.checked_sub(FREE_ATTEMPTS) else {
        return chrono::Duration::zero();
    };
    let seconds = 30_i64.saturating_mul(1_i64 << over.min(10));
    chrono::Duration::seconds(seconds.min(15 * 60))
}

/// Whether an attempt may go ahead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    /// It may; it counts as failed until [`LoginThrottles::succeeded`] clears it.
    Admitted,
    /// Not before this time (UTC).
    WaitUntil(NaiveDateTime),
}

/// Sign-in delays per (e-mail, address), in `login_throttles`.
pub struct LoginThrottles;

impl LoginThrottles {
    /// Admits one attempt of `email` from `ip`, or says until when it must wait. The
    /// pair's row is locked while the attempt is counted, so parallel attempts are
    /// admitted one after another and never pass the limit together.
    pub async fn admit(
        conn: &mut AsyncMysqlConnection,
        email: &str,
        ip: &str,
        now: NaiveDateTime,
    ) -> QueryResult<Admission> {
        let since = now - chrono::Duration::minutes(QUIET_WINDOW_MINUTES);
        let failing_accounts: i64 = login_throttles::table
            .filter(login_throttles::ip.eq(ip))
            .filter(login_throttles::email.ne(email))
            .filter(login_throttles::failures.gt(0))
            .filter(login_throttles::last_attempt_at.ge(since))
            .count()
            .get_result(conn)
            .await?;
        if failing_accounts >= MAX_ACCOUNTS_PER_ADDRESS {
            return Ok(Admission::WaitUntil(
                now + chrono::Duration::minutes(QUIET_WINDOW_MINUTES),
            ));
        }
        // Created outside the locking transaction: an insert that meets an existing row
        // takes a shared lock, and two of those upgrading to the lock below would deadlock.
        diesel::insert_or_ignore_into(login_throttles::table)
            .values((
                login_throttles::email.eq(email),
                login_throttles::ip.eq(ip),
                login_throttles::last_attempt_at.eq(now),
            ))
            .execute(conn)
            .await?;
        let (email, ip) = (email.to_string(), ip.to_string());
        conn.transaction(async move |conn| {
            let (failures, blocked_until, last_attempt_at): (
                u32,
                Option<NaiveDateTime>,
                NaiveDateTime,
            ) = login_throttles::table
                .find((&email, &ip))
                .select((
                    login_throttles::failures,
                    login_throttles::blocked_until,
                    login_throttles::last_attempt_at,
                ))
                .for_update()
                .first(conn)
                .await?;
            if let Some(until) = blocked_until.filter(|until| *until > now) {
                return Ok(Admission::WaitUntil(until));
            }
            let failures = if last_attempt_at < since { 0 } else { failures } + 1;
            diesel::update(login_throttles::table.find((&email, &ip)))
                .set((
                    login_throttles::failures.eq(failures),
                    login_throttles::blocked_until.eq(now + delay_after(failures)),
                    login_throttles::last_attempt_at.eq(now),
                ))
                .execute(conn)
                .await?;
            Ok(Admission::Admitted)
        })
        .await
    }

    /// Clears the pair's count after a successful sign-in.
    pub async fn succeeded(
        conn: &mut AsyncMysqlConnection,
        email: &str,
        ip: &str,
    ) -> QueryResult<()> {
        diesel::delete(login_throttles::table.find((email, ip)))
            .execute(conn)
            .await
            .map(drop)
    }

    /// Removes the rows of pairs idle since `before` (their counts would restart anyway).
    pub async fn purge_idle(
        conn: &mut AsyncMysqlConnection,
        before: NaiveDateTime,
    ) -> QueryResult<usize> {
        diesel::delete(login_throttles::table.filter(login_throttles::last_attempt_at.lt(before)))
            .execute(conn)
            .await
    }
}

/// What a registration request did. The form's answer is the same either way; only the
/// mail that goes to the address differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requested {
    /// A confirmation link was mailed; the account is created when it is opened.
    ConfirmationMailed,
    /// The address has an account: a note saying so was mailed instead.
    AccountExists,
}

#[derive(Insertable, Queryable, Selectable)]
#[diesel(table_name = registration_requests, check_for_backend(diesel::mysql::Mysql))]
struct RegistrationRequest {
    email: String,
    token_hash: String,
    password_hash: String,
    display_name: String,
    home_municipality_id: MunicipalityId,
    locale: String,
    created_at: NaiveDateTime,
    expires_at: NaiveDateTime,
}

/// Registrations waiting for the link mailed to their address.
pub struct Registrations;

impl Registrations {
    /// Records a registration and mails its confirmation link, or, when the address has
    /// an account, mails a note saying so; both in one transaction, so a mail is sent
    /// exactly when its request is stored. A newer request for an address replaces an
    /// older one.
    #[allow(clippy::too_many_arguments)]
    pub async fn request(
        conn: &mut AsyncMysqlConnection,
        registration: &ValidRegistration,
        password_hash: &str,
        locale: Locale,
        token_hash: &str,
        mails: &RegistrationMails,
        now: NaiveDateTime,
        valid_for: chrono::Duration,
    ) -> QueryResult<Requested> {
        conn.transaction(async move |conn| {
            let has_account = diesel::select(diesel::dsl::exists(
                users::table.filter(users::email.eq(&registration.email)),
            ))
            .get_result::<bool>(conn)
            .await?;
            if has_account {
                enqueue_mail(
                    conn,
                    "account.registration_for_existing",
                    &mails.exists,
                    now,
                )
                .await?;
                return Ok(Requested::AccountExists);
            }
            diesel::replace_into(registration_requests::table)
                .values(RegistrationRequest {
                    email: registration.email.clone(),
                    token_hash: token_hash.to_string(),
                    password_hash: password_hash.to_string(),
                    display_name: registration.display_name.clone(),
                    home_municipality_id: registration.home_municipality_id,
                    locale: locale.code().to_string(),
                    created_at: now,
                    expires_at: now + valid_for,
                })
                .execute(conn)
                .await?;
            enqueue_mail(conn, "account.confirm_registration", &mails.confirm, now).await?;
            Ok(Requested::ConfirmationMailed)
        })
        .await
    }

    /// Creates the account of the request whose link carries `token_hash`, if the link is
    /// known and not expired and the address still has no account; the request is used
    /// up either way. `None` for a link that opens nothing.
    pub async fn confirm(
        conn: &mut AsyncMysqlConnection,
        token_hash: &str,
        now: NaiveDateTime,
    ) -> QueryResult<Option<UserId>> {
        conn.transaction(async move |conn| {
            // Locked, so that the same link opened twice at once creates one account.
            let request: Option<RegistrationRequest> = registration_requests::table
                .filter(registration_requests::token_hash.eq(token_hash))
                .filter(registration_requests::expires_at.gt(now))
                .select(RegistrationRequest::as_select())
                .for_update()
                .first(conn)
                .await
                .optional()?;
            let Some(request) = request else {
                return Ok(None);
            };
            diesel::delete(registration_requests::table.find(&request.email))
                .execute(conn)
                .await?;
            let taken = diesel::select(diesel::dsl::exists(
                users::table.filter(users::email.eq(&request.email)),
            ))
            .get_result::<bool>(conn)
            .await?;
            if taken {
                return Ok(None);
            }
            let registration = ValidRegistration {
                email: request.email,
                // Hashed when the request was made; never kept as typed.
                password: String::new(),
                display_name: request.display_name,
                home_municipality_id: request.home_municipality_id,
            };
            let locale = Locale::from_code(&request.locale).unwrap_or_default();
            let id =
                Users::create(conn, &registration, &request.password_hash, locale, now).await?;
            Ok(Some(id))
        })
        .await
    }

    /// Forgets requests whose link expired before `now`.
    pub async fn purge_expired(
        conn: &mut AsyncMysqlConnection,
        now: NaiveDateTime,
    ) -> QueryResult<usize> {
        diesel::delete(
            registration_requests::table.filter(registration_requests::expires_at.le(now)),
        )
        .execute(conn)
        .await
    }
}

#[cfg(all(test, feature = "testing"))]
mod tests {
    use super::*;
    use crate::geography::model::Municipality;
    use platform::db::testing::TestDb;

    async fn registration(conn: &mut AsyncMysqlConnection, email: &str) -> ValidRegistration {
        let municipality = Municipality::list(conn).await.expect("list")[0].id;
        ValidRegistration {
            email: email.into(),
            password: "irrelevant".into(),
            display_name: "Анна".into(),
            home_municipality_id: municipality,
        }
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn a_new_user_is_a_citizen_and_emails_are_unique() {
        let db = TestDb::new().await;
        let mut conn = db.conn().await;
        let now = chrono::Utc::now().naive_utc();
        let reg = registration(&mut conn, "anna@example.ru").await;
        let id = Users::create(&mut conn, &reg, "hash", Locale::En, now)
            .await
            .expect("create");
        let user = Users::session_user(&mut conn, id).await.expect("user");
        assert_eq!(
            user.roles,
            vec![RoleGrant {
                role: Role::Citizen,
                department_id: None
            }]
        );
        assert_eq!(user.locale, Locale::En);

        let duplicate = Users::create(&mut conn, &reg, "hash", Locale::Ru, now).await;
        assert!(
            duplicate
                .as_ref()
                .is_err_and(platform::db::is_unique_violation),
            "{duplicate:?}"
        );
        // The failed registration left no half-written rows behind.
        let count: i64 = users::table
            .count()
            .get_result(&mut conn)
            .await
            .expect("count");
        assert_eq!(count, 1);
        let roles: i64 = user_roles::table
            .count()
            .get_result(&mut conn)
            .await
            .expect("count");
        assert_eq!(roles, 1);
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn roles_are_granted_once_and_revoked_per_department() {
        let db = TestDb::new().await;
        let mut conn = db.conn().await;
        let now = chrono::Utc::now().naive_utc();
        let reg = registration(&mut conn, "official@example.ru").await;
        let id = Users::create(&mut conn, &reg, "hash", Locale::Ru, now)
            .await
            .expect("create");
        let departments: Vec<DepartmentId> = platform::db::schema::departments::table
            .select(platform::db::schema::departments::id)
            .limit(2)
            .load(&mut conn)
            .await
            .expect("departments");
        let (first, second) = (departments[0], departments[1]);
        assert!(
            Roles::grant(&mut conn, id, Role::Official, Some(first), None, now)
                .await
                .expect("grant")
        );
        assert!(
            !Roles::grant(&mut conn, id, Role::Official, Some(first), None, now)
                .await
                .expect("again")
        );
        assert!(
            Roles::grant(&mut conn, id, Role::Official, Some(second), None, now)
                .await
                .expect("second")
        );
        assert!(
            Roles::revoke(&mut conn, id, Role::Official, Some(first))
                .await
                .expect("revoke")
        );
        let user = Users::session_user(&mut conn, id).await.expect("user");
        assert_eq!(user.official_departments(), vec![second]);
        assert!(
            !Roles::revoke(&mut conn, id, Role::Admin, None)
                .await
                .expect("not held")
        );
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn sessions_expire_and_are_purged() {
        let db = TestDb::new().await;
        let mut conn = db.conn().await;
        let now = chrono::Utc::now().naive_utc();
        let reg = registration(&mut conn, "s@example.ru").await;
        let id = Users::create(&mut conn, &reg, "hash", Locale::Ru, now)
            .await
            .expect("create");
        let later = now + chrono::Duration::hours(1);
        Sessions::create(&mut conn, "live", id, now, later)
            .await
            .expect("session");
        Sessions::create(&mut conn, "old", id, now, now)
            .await
            .expect("session");
        assert_eq!(
            Sessions::user(&mut conn, "live", now).await.expect("live"),
            Some(id)
        );
        assert_eq!(
            Sessions::user(&mut conn, "old", now).await.expect("old"),
            None
        );
        assert_eq!(
            Sessions::user(&mut conn, "live", later)
                .await
                .expect("expired"),
            None
        );
        assert_eq!(
            Sessions::purge_expired(&mut conn, now)
                .await
                .expect("purge"),
            1
        );
    }

    #[test]
    fn delays_grow_after_the_free_attempts_and_stop_at_a_quarter_hour() {
        let seconds = |failures| delay_after(failures).num_seconds();
        assert_eq!(seconds(1), 0);
        assert_eq!(seconds(FREE_ATTEMPTS - 1), 0);
        assert_eq!(seconds(FREE_ATTEMPTS), 30);
        assert_eq!(seconds(FREE_ATTEMPTS + 1), 60);
        assert_eq!(seconds(FREE_ATTEMPTS + 5), 15 * 60);
        assert_eq!(seconds(u32::MAX), 15 * 60);
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn parallel_attempts_never_pass_the_free_count_and_other_addresses_are_free() {
        use chrono::Timelike;
        let db = TestDb::new().await;
        // Whole seconds, as DATETIME stores them, so the waits read back compare equal.
        let now = platform::clock::now()
            .with_nanosecond(0)
            .expect("a whole second");
        let attempts = (0..12).map(|_| {
            let pool = db.pool().clone();
            tokio::spawn(async move {
                let mut conn = pool.get().await.expect("connection");
                LoginThrottles::admit(&mut conn, "victim@example.ru", "10.0.0.66", now)
                    .await
                    .expect("admit")
            })
        });
        let mut admitted = 0;
        for attempt in attempts.collect::<Vec<_>>() {
            if attempt.await.expect("task") == Admission::Admitted {
                admitted += 1;
            }
        }
        assert_eq!(
            admitted, FREE_ATTEMPTS,
            "exactly the free attempts got through"
        );

        let mut conn = db.conn().await;
        let owner = LoginThrottles::admit(&mut conn, "victim@example.ru", "192.0.2.1", now)
            .await
            .expect("owner");
        assert_eq!(
            owner,
            Admission::Admitted,
            "the owner elsewhere is not delayed"
        );
        let wait = LoginThrottles::admit(&mut conn, "victim@example.ru", "10.0.0.66", now)
            .await
            .expect("attacker");
        assert_eq!(wait, Admission::WaitUntil(now + delay_after(FREE_ATTEMPTS)));
        let after_the_wait = now + delay_after(FREE_ATTEMPTS);
        assert_eq!(
            LoginThrottles::admit(&mut conn, "victim@example.ru", "10.0.0.66", after_the_wait)
                .await
                .expect("later"),
            Admission::Admitted
        );
        assert_eq!(
            LoginThrottles::admit(&mut conn, "victim@example.ru", "10.0.0.66", after_the_wait)
                .await
                .expect("again"),
            Admission::WaitUntil(after_the_wait + delay_after(FREE_ATTEMPTS + 1)),
            "the delay doubles"
        );

        LoginThrottles::succeeded(&mut conn, "victim@example.ru", "192.0.2.1")
            .await
            .expect("success");
        let tomorrow = now + chrono::Duration::days(1);
        assert_eq!(
            LoginThrottles::purge_idle(&mut conn, tomorrow)
                .await
                .expect("purge"),
            1,
            "the attacker's row; the owner's was cleared by the success"
        );
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn an_address_failing_on_many_accounts_waits() {
        let db = TestDb::new().await;
        let mut conn = db.conn().await;
        let now = platform::clock::now();
        let sprayer = "10.9.9.9";
        for n in 0..MAX_ACCOUNTS_PER_ADDRESS {
            let email = format!("user{n}@example.ru");
            let admission = LoginThrottles::admit(&mut conn, &email, sprayer, now)
                .await
                .expect("admit");
            assert_eq!(admission, Admission::Admitted);
        }
        let refused = LoginThrottles::admit(&mut conn, "next@example.ru", sprayer, now)
            .await
            .expect("admit");
        assert!(matches!(refused, Admission::WaitUntil(_)), "{refused:?}");
        let other = LoginThrottles::admit(&mut conn, "next@example.ru", "10.9.9.10", now)
            .await
            .expect("admit");
        assert_eq!(other, Admission::Admitted);
    }
}

impl SubjectViewer {
    /// What `viewer` (`None`: a guest) is to `subject`, written by `author` and in the
    /// care of `department`, and whether they support and follow it.
    pub async fn load(
        conn: &mut AsyncMysqlConnection,
        viewer: Option<&SessionUser>,
        subject: Subject,
        author: UserId,
        department: Option<DepartmentId>,
    ) -> QueryResult<Self> {
        let Some(user) = viewer else {
            return Ok(Self::default());
        };
        Ok(Self {
            signed_in: true,
            supports: Supports::has(conn, subject, user.id).await?,
            follows: Follows::is_following(conn, subject, user.id).await?,
            is_author: user.id == author,
            is_moderator: user.has_role(Role::Moderator),
            is_department: department
                .is_some_and(|department| user.official_departments().contains(&department)),
            is_supervisor: false,
        })
    }

    /// The same viewer, as an official of `supervisor` (the body the subject was escalated
    /// to) or not.
    pub fn supervising(
        self,
        viewer: Option<&SessionUser>,
        supervisor: Option<DepartmentId>,
    ) -> Self {
        Self {
            is_supervisor: viewer.zip(supervisor).is_some_and(|(user, supervisor)| {
                user.official_departments().contains(&supervisor)
            }),
            ..self
        }
    }
}
