//! Demo data for `server seed-demo`: one account per role, so anyone can try every view.
//! Idempotent: running it again changes nothing. Reference data (municipalities,
//! departments, themes, routing rules) comes with the migrations.

use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use crate::auth::model::{Role, ValidRegistration};
use crate::auth::password;
use crate::auth::queries::{Roles, Users};
use crate::geography::model::MunicipalityId;
use crate::i18n::Locale;
use crate::organisation::model::DepartmentId;
use crate::organisation::server_fns::WEBHOOK_EVENT_KINDS;
use platform::clock;
use platform::db::schema::{departments, municipalities};
use platform::db::{self, DbPool};
use platform::error::AppError;
use platform::media::MediaStore;
use platform::webhook;

/// The demo password of every demo account (shown in README; demo only).
pub const DEMO_PASSWORD: &str = "openregion-demo";
/// The Open311 API key of the demo citizen (shown in README; demo only).
pub const DEMO_API_KEY: &str = "demo-open311-key-citizen";
/// The demo account that holds `DEMO_API_KEY`.
const DEMO_API_KEY_HOLDER: &str = "citizen@openregion.demo";

/// One demo account.
struct DemoAccount {
    email: &'static str,
    display_name: &'static str,
    municipality_slug: &'static str,
    role: Option<Role>,
    department_slug: Option<&'static str>,
}

const DEMO_ACCOUNTS: [DemoAccount; 6] = [
    DemoAccount {
        email: "citizen@openregion.demo",
        display_name: "Анна Горожанина",
        municipality_slug: "krasnodar",
        role: None,
        department_slug: None,
    },
    DemoAccount {
        email: "expert@openregion.demo",
        display_name: "Борис Экспертов",
        municipality_slug: "sochi",
        role: Some(Role::Expert),
        department_slug: None,
    },
    DemoAccount {
        email: "official@openregion.demo",
        display_name: "Вера Чиновникова",
        municipality_slug: "krasnodar",
        role: Some(Role::Official),
        department_slug: Some("admin-krasnodar"),
    },
    DemoAccount {
        email: "moderator@openregion.demo",
        display_name: "Глеб Модераторов",
        municipality_slug: "novorossiysk",
        role: Some(Role::Moderator),
        department_slug: None,
    },
    DemoAccount {
        email: "governor@openregion.demo",
        display_name: "Елена Аналитикова",
        municipality_slug: "krasnodar",
        role: Some(Role::Analyst),
        department_slug: None,
    },
    DemoAccount {
        email: "admin@openregion.demo",
        display_name: "Дарья Администраторова",
        municipality_slug: "krasnodar",
        role: Some(Role::Admin),
        department_slug: None,
    },
];

/// The domain of every demo account's e-mail.
pub const DEMO_DOMAIN: &str = "@openregion.demo";

/// How many accounts of the database are not demo accounts: a database with any is in
/// real use, and demo accounts with a published password would open it to anyone.
pub async fn real_accounts(pool: &DbPool) -> Result<i64, AppError> {
    use platform::db::schema::users;
    db::run(pool, |mut conn| async move {
        Ok(users::table
            .filter(users::email.not_like(format!("%{DEMO_DOMAIN}")))
            .count()
            .get_result(&mut conn)
            .await?)
    })
    .await
}

/// Where the demo departments' systems are said to listen: nothing answers there, so the
/// demo's deliveries visibly fail and wait for their retries in the management view.
pub const DEMO_WEBHOOK_URL: &str = "http://127.0.0.1:9/open-region-demo-hook";

/// Gives two demo departments a webhook endpoint for every event kind (once).
async fn seed_webhooks(
    conn: &mut diesel_async::AsyncMysqlConnection,
    now: chrono::NaiveDateTime,
) -> diesel::QueryResult<()> {
    let admin = Users::credentials(conn, "admin@openregion.demo").await?;
    let Some((admin, _)) = admin else {
        return Ok(());
    };
    for slug in ["admin-krasnodar", "construction-supervision"] {
        let department: Option<DepartmentId> = departments::table
            .filter(departments::slug.eq(slug))
            .select(departments::id)
            .first(conn)
            .await
            .optional()?;
        let Some(department) = department else {
            continue;
        };
        if webhook::endpoint(conn, department).await?.is_some() {
            continue;
        }
        let endpoint = webhook::Endpoint {
            url: DEMO_WEBHOOK_URL.into(),
            secret: format!("demo-webhook-secret-{slug}"),
            event_kinds: WEBHOOK_EVENT_KINDS
                .iter()
                .map(|kind| kind.to_string())
                .collect(),
            active: true,
        };
        webhook::save_endpoint(conn, department, &endpoint, admin, now).await?;
    }
    Ok(())
}

/// Creates the demo accounts that do not exist yet, then the demo problems, initiatives
/// and construction registry with its reports (each once); returns how many accounts
/// were created.
pub async fn seed_demo(pool: &DbPool, media: &MediaStore) -> Result<usize, AppError> {
    let created = seed_accounts(pool).await?;
    db::run(pool, |mut conn| async move {
        Ok(seed_webhooks(&mut conn, clock::now()).await?)
    })
    .await?;
    let password_hash = password::hash(DEMO_PASSWORD.to_string()).await?;
    let problems_hash = password_hash.clone();
    let voters_hash = password_hash.clone();
    let problems = db::run(pool, move |mut conn| async move {
        crate::problems::seed::seed_problems(&mut conn, &problems_hash, clock::now()).await
    })
    .await?;
    tracing::info!(problems, "demo problems");
    // After the problems: their demo residents support and discuss the initiatives.
    let initiatives = db::run(pool, |mut conn| async move {
        crate::lawmaking::seed::seed_initiatives(&mut conn, clock::now()).await
    })
    .await?;
    tracing::info!(initiatives, "demo initiatives");
    // After the problems: their demo residents rate the services.
    let ratings = db::run(pool, |mut conn| async move {
        crate::services::seed::seed_services(&mut conn, clock::now()).await
    })
    .await?;
    tracing::info!(ratings, "demo service ratings");
    // After the problems: their demo residents vote for the priorities too.
    let votes = db::run(pool, move |mut conn| async move {
        crate::priorities::seed::seed_priorities(&mut conn, &voters_hash, clock::now()).await
    })
    .await?;
    tracing::info!(votes, "demo priority votes");
    let solutions = db::run(pool, |mut conn| async move {
        crate::solutions::seed::seed_solutions(&mut conn, clock::now()).await
    })
    .await?;
    tracing::info!(solutions, "demo solutions");
    let links = db::run(pool, |mut conn| async move {
        crate::links::seed::seed_links(&mut conn, clock::now()).await
    })
    .await?;
    tracing::info!(links, "demo solutions turned into initiatives");
    // After the problems, whose residents have profiles too.
    let store = media.clone();
    let profiles = db::run(pool, |mut conn| async move {
        crate::people::seed::seed_profiles(&mut conn, &store, clock::now()).await
    })
    .await?;
    tracing::info!(profiles, "demo profiles");
    let store = media.clone();
    let publications = db::run(pool, |mut conn| async move {
        crate::publications::seed::seed_publications(&mut conn, &store, clock::now()).await
    })
    .await?;
    tracing::info!(publications, "demo publications");
    let store = media.clone();
    let galleries = db::run(pool, |mut conn| async move {
        crate::galleries::seed::seed_galleries(&mut conn, &store, clock::now()).await
    })
    .await?;
    tracing::info!(galleries, "demo galleries");
    let messages = db::run(pool, |mut conn| async move {
        crate::messages::seed::seed_messages(&mut conn, clock::now()).await
    })
    .await?;
    tracing::info!(messages, "demo messages");
    // After the problems: the construction reports are filed by their demo residents.
    let constructions = db::run(pool, move |mut conn| async move {
        crate::constructions::seed::seed_constructions(&mut conn, &password_hash, clock::now())
            .await
    })
    .await?;
    tracing::info!(
        entries = constructions.entries,
        updated = constructions.updated,
        reports = constructions.reports,
        illegal = constructions.illegal,
        "demo construction registry"
    );
    // The dashboard shows the demo figures at once instead of after the job's first tick.
    let refreshed = db::run(pool, |mut conn| async move {
        Ok(crate::dashboard::queries::DashboardStats::refresh(&mut conn, clock::now()).await?)
    })
    .await?;
    tracing::info!(months = refreshed.months, "dashboard figures");
    Ok(created)
}

/// Seeds the demo as [`seed_demo`] does, its photos written to a temporary directory
/// removed afterwards (the tests read the rows, not the files); how many accounts it
/// created.
#[cfg(all(test, feature = "testing"))]
pub(crate) async fn seed_demo_for_test(pool: &DbPool) -> usize {
    let directory = tempfile::tempdir().expect("temporary media directory");
    seed_demo(pool, &MediaStore::in_directory(directory.path()))
        .await
        .expect("demo seeded")
}

async fn seed_accounts(pool: &DbPool) -> Result<usize, AppError> {
    let mut created = 0;
    for account in &DEMO_ACCOUNTS {
        let email = account.email;
        let exists = db::run(pool, move |mut conn| async move {
            Ok(Users::credentials(&mut conn, email).await?.is_some())
        })
        .await?;
        if exists {
            continue;
        }
        let password_hash = password::hash(DEMO_PASSWORD.to_string()).await?;
        let (municipality_slug, department_slug, role) = (
            account.municipality_slug,
            account.department_slug,
            account.role,
        );
        let registration = ValidRegistration {
            email: email.to_string(),
            password: DEMO_PASSWORD.to_string(),
            display_name: account.display_name.to_string(),
            home_municipality_id: MunicipalityId(0),
        };
        db::run(pool, move |mut conn| async move {
            let municipality: MunicipalityId = municipalities::table
                .filter(municipalities::slug.eq(municipality_slug))
                .select(municipalities::id)
                .first(&mut conn)
                .await?;
            let department: Option<DepartmentId> = match department_slug {
                Some(slug) => Some(
                    departments::table
                        .filter(departments::slug.eq(slug))
                        .select(departments::id)
                        .first(&mut conn)
                        .await?,
                ),
                None => None,
            };
            let registration = ValidRegistration {
                home_municipality_id: municipality,
                ..registration
            };
            let now = clock::now();
            let id =
                Users::create(&mut conn, &registration, &password_hash, Locale::Ru, now).await?;
            if let Some(role) = role {
                Roles::grant(&mut conn, id, role, department, None, now).await?;
            }
            if email == DEMO_API_KEY_HOLDER {
                let hash = crate::auth::session::hash_token(DEMO_API_KEY);
                crate::open311::queries::store_key(&mut conn, id, &hash, now).await?;
            }
            Ok(())
        })
        .await?;
        created += 1;
    }
    Ok(created)
}

#[cfg(all(test, feature = "testing"))]
mod tests {
    use super::*;
    use platform::db::testing::TestDb;

    #[tokio::test(flavor = "multi_thread")]
    async fn seeding_twice_creates_each_demo_account_once() {
        let db = TestDb::new().await;
        assert_eq!(seed_demo_for_test(db.pool()).await, DEMO_ACCOUNTS.len());
        assert_eq!(seed_demo_for_test(db.pool()).await, 0);
        let mut conn = db.conn().await;
        let (id, _) = Users::credentials(&mut conn, "official@openregion.demo")
            .await
            .expect("query")
            .expect("exists");
        let user = Users::session_user(&mut conn, id).await.expect("user");
        assert!(user.has_role(Role::Official) && user.has_role(Role::Citizen));
        assert_eq!(user.official_departments().len(), 1);
        // The demo's accepted sidewalk solution became one initiative, even seeded twice.
        let became: i64 = platform::db::schema::subject_links::table
            .filter(platform::db::schema::subject_links::relation.eq("became"))
            .count()
            .get_result(&mut conn)
            .await
            .expect("count");
        assert_eq!(became, 1);
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn demo_problems_cover_every_state_and_are_made_once() {
        use crate::problems::model::ProblemStatus;
        use platform::db::schema::problems;
        let db = TestDb::new().await;
        seed_demo_for_test(db.pool()).await;
        let mut conn = db.conn().await;
        let statuses: Vec<String> = problems::table
            .select(problems::status)
            .load(&mut conn)
            .await
            .expect("statuses");
        assert_eq!(statuses.len(), crate::problems::seed::DEMO_PROBLEMS);
        for status in ProblemStatus::ALL {
            assert!(
                statuses.iter().any(|s| s == status.as_db()),
                "no demo problem is {status:?}"
            );
        }
        let overdue: i64 = problems::table
            .filter(problems::overdue_since.is_not_null())
            .count()
            .get_result(&mut conn)
            .await
            .expect("count");
        assert!(overdue > 0, "some demo problems are overdue");
        drop(conn);
        seed_demo_for_test(db.pool()).await;
        let mut conn = db.conn().await;
        let total: i64 = problems::table
            .count()
            .get_result(&mut conn)
            .await
            .expect("count");
        assert_eq!(total as usize, crate::problems::seed::DEMO_PROBLEMS);
    }
}
