//! Test support: users for the tests that need someone to act.

use diesel_async::{AsyncMysqlConnection, RunQueryDsl};

/// A registered user named `name` (e-mail `<name>@example.test`) living in Krasnodar, for
/// tests that need someone to act.
pub async fn test_user(conn: &mut AsyncMysqlConnection, name: &str) -> super::model::UserId {
    use diesel::{ExpressionMethods, QueryDsl};

    use platform::db::schema::municipalities;
    let krasnodar = municipalities::table
        .filter(municipalities::slug.eq("krasnodar"))
        .select(municipalities::id)
        .first(conn)
        .await
        .expect("the migrations seed Krasnodar");
    let registration = super::model::ValidRegistration {
        email: format!("{name}@example.test"),
        password: "irrelevant".into(),
        display_name: name.into(),
        home_municipality_id: krasnodar,
    };
    let at = chrono::NaiveDate::from_ymd_opt(2026, 1, 1)
        .and_then(|day| day.and_hms_opt(0, 0, 0))
        .expect("a valid time");
    super::queries::Users::create(
        conn,
        &registration,
        "not-a-hash",
        platform::i18n::Locale::Ru,
        at,
    )
    .await
    .expect("create user")
}
