//! Test support: users for the tests that need someone to act, and the reference
//! municipalities they live in.

use diesel::{ExpressionMethods, QueryDsl};
use diesel_async::{AsyncMysqlConnection, RunQueryDsl};

use super::model::{UserId, ValidRegistration};
use super::queries::Users;
use platform::db::schema::municipalities;
use platform::i18n::Locale;
use platform::ids::MunicipalityId;

/// The reference municipality `slug` (the migrations seed all 44).
pub async fn municipality_id(conn: &mut AsyncMysqlConnection, slug: &str) -> MunicipalityId {
    municipalities::table
        .filter(municipalities::slug.eq(slug))
        .select(municipalities::id)
        .first(conn)
        .await
        .expect("a reference municipality")
}

/// A registered user named `name` (e-mail `<name>@example.test`) living in Krasnodar.
pub async fn test_user(conn: &mut AsyncMysqlConnection, name: &str) -> UserId {
    let krasnodar = municipality_id(conn, "krasnodar").await;
    test_user_in(conn, name, krasnodar).await
}

/// A registered user named `name` (e-mail `<name>@example.test`) living in `municipality`,
/// registered at the start of 2026.
pub async fn test_user_in(
    conn: &mut AsyncMysqlConnection,
    name: &str,
    municipality: MunicipalityId,
) -> UserId {
    let registration = ValidRegistration {
        email: format!("{name}@example.test"),
        password: "irrelevant".into(),
        display_name: name.into(),
        home_municipality_id: municipality,
    };
    let at = chrono::NaiveDate::from_ymd_opt(2026, 1, 1)
        .and_then(|day| day.and_hms_opt(0, 0, 0))
        .expect("a valid time");
    Users::create(conn, &registration, "not-a-hash", Locale::Ru, at)
        .await
        .expect("create user")
}

/// `minute` minutes into the tests' day (1 December 2026, from 08:00 UTC): the clock the
/// social network's tests write at.
pub fn test_minute(minute: i64) -> chrono::NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(2026, 12, 1)
        .and_then(|day| day.and_hms_opt(8, 0, 0))
        .expect("a time")
        + chrono::Duration::minutes(minute)
}
