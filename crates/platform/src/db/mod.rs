//! The database: the connection pool, embedded migrations, and the rule that every unit
//! of database work runs to completion in its own task.

pub mod schema;
#[cfg(feature = "testing")]
pub mod testing;

use std::future::Future;

use diesel_async::pooled_connection::AsyncDieselConnectionManager;
use diesel_async::pooled_connection::deadpool::{Object, Pool};
use diesel_async::{AsyncMigrationHarness, AsyncMysqlConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::error::AppError;

/// The migrations in `migrations/`, compiled into the binary.
pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations");

/// A pool of MySQL connections, shared by every request.
pub type DbPool = Pool<AsyncMysqlConnection>;
/// A connection checked out of the pool.
pub type DbConn = Object<AsyncMysqlConnection>;
/// Why a connection could not be checked out.
pub type PoolError = diesel_async::pooled_connection::deadpool::PoolError;

/// Builds a pool of at most `max_size` connections to `database_url`.
pub fn build_pool(database_url: &str, max_size: usize) -> Result<DbPool, String> {
    let manager = AsyncDieselConnectionManager::<AsyncMysqlConnection>::new(database_url);
    Pool::builder(manager)
        .max_size(max_size)
        .build()
        .map_err(|e| e.to_string())
}

/// Applies every pending migration; returns the versions applied.
pub async fn run_migrations(pool: &DbPool) -> Result<Vec<String>, String> {
    let conn = pool.get().await.map_err(|e| e.to_string())?;
    // The harness drives diesel's synchronous migration code, so it gets a blocking thread.
    tokio::task::spawn_blocking(move || {
        let mut harness = AsyncMigrationHarness::new(conn);
        harness
            .run_pending_migrations(MIGRATIONS)
            .map(|versions| versions.iter().map(ToString::to_string).collect())
            .map_err(|e| e.to_string())
    })
    .await
    .map_err(|e| e.to_string())?
}

/// Runs one unit of database work on a pooled connection, in its own task.
///
/// A request that the client drops would otherwise cancel its query mid-flight and leave
/// the pooled connection half-read (diesel_async issue #139); a spawned task always runs
/// to completion, so the connection goes back to the pool clean.
pub async fn run<T, F, Fut>(pool: &DbPool, work: F) -> Result<T, AppError>
where
    T: Send + 'static,
    F: FnOnce(DbConn) -> Fut + Send + 'static,
    Fut: Future<Output = Result<T, AppError>> + Send + 'static,
{
    let pool = pool.clone();
    tokio::spawn(async move {
        let conn = pool.get().await?;
        work(conn).await
    })
    .await
    .map_err(|e| {
        tracing::error!(cause = %e, "database task failed");
        AppError::Internal
    })?
}

impl From<PoolError> for AppError {
    fn from(error: PoolError) -> Self {
        tracing::error!(cause = %error, "database pool error");
        Self::Unavailable
    }
}

/// The pool provided to every server function by the server.
pub fn pool() -> Result<DbPool, AppError> {
    leptos::prelude::use_context::<DbPool>().ok_or_else(|| {
        tracing::error!("no database pool in context");
        AppError::Internal
    })
}

/// `LAST_INSERT_ID()` of this connection: MySQL has no `RETURNING`.
pub async fn last_insert_id(conn: &mut AsyncMysqlConnection) -> diesel::QueryResult<u64> {
    use diesel::sql_types::{BigInt, Unsigned};
    use diesel_async::RunQueryDsl;
    diesel::select(diesel::dsl::sql::<Unsigned<BigInt>>("LAST_INSERT_ID()"))
        .get_result(conn)
        .await
}

/// Whether `error` is a violation of a unique key.
pub fn is_unique_violation(error: &diesel::result::Error) -> bool {
    matches!(
        error,
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)
    )
}
