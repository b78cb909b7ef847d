//! Test support: every test gets its own freshly migrated database on the MariaDB named by
//! `TEST_DATABASE_URL` (a server URL without a database name), dropped when the test ends.

use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl};

use super::{DbPool, build_pool, run_migrations};

/// A private, migrated database for one test.
pub struct TestDb {
    server_url: String,
    name: String,
    pool: DbPool,
}

impl TestDb {
    /// Creates and migrates a database with a random name. Panics with a clear message when
    /// no test server is configured: a database test must never pass without a database.
    pub async fn new() -> Self {
        let server_url = std::env::var("TEST_DATABASE_URL")
            .expect("TEST_DATABASE_URL must name a MariaDB server (scripts/test starts one)")
            .trim_end_matches('/')
            .to_string();
        let name = format!("or_test_{:016x}", rand::random::<u64>());
        let mut admin = AsyncMysqlConnection::establish(&server_url)
            .await
            .expect("connect to the test server");
        diesel::sql_query(format!(
            "CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
        ))
        .execute(&mut admin)
        .await
        .expect("create the test database");
        let pool = build_pool(&format!("{server_url}/{name}"), 8, super::STATEMENT_TIMEOUT)
            .expect("build the pool");
        run_migrations(&pool)
            .await
            .expect("migrate the test database");
        Self {
            server_url,
            name,
            pool,
        }
    }

    /// The pool of this test's database.
    pub fn pool(&self) -> &DbPool {
        &self.pool
    }

    /// The URL of this test's database.
    pub fn url(&self) -> String {
        format!("{}/{}", self.server_url, self.name)
    }

    /// A connection from the pool.
    pub async fn conn(&self) -> super::DbConn {
        self.pool.get().await.expect("a pooled connection")
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let server_url = self.server_url.clone();
        let name = self.name.clone();
        // Drop runs inside the test's runtime, which cannot block on itself: use a thread
        // with its own small runtime.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            runtime.block_on(async move {
                let mut admin = AsyncMysqlConnection::establish(&server_url).await.ok()?;
                diesel::sql_query(format!("DROP DATABASE IF EXISTS `{name}`"))
                    .execute(&mut admin)
                    .await
                    .ok()
            });
            Ok::<_, std::io::Error>(())
        })
        .join();
        if dropped.is_err() {
            eprintln!("could not drop test database {}", self.name);
        }
    }
}
