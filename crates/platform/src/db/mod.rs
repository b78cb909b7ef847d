//! The database: the connection pool, embedded migrations, and the rule that every unit
//! of database work runs to completion in its own task.

pub mod clusters;
pub mod schema;
#[cfg(feature = "testing")]
pub mod testing;

use std::future::Future;
use std::time::Duration;

use diesel::ConnectionError;
use diesel_async::pooled_connection::deadpool::{Object, Pool};
use diesel_async::pooled_connection::{AsyncDieselConnectionManager, ManagerConfig};
use diesel_async::{
    AsyncConnection, AsyncMigrationHarness, AsyncMysqlConnection, SimpleAsyncConnection,
};
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

/// How long one statement may run by default: a request's queries take milliseconds, and
/// the longest legitimate statement (a 100,000-row export's read) a few seconds.
pub const STATEMENT_TIMEOUT: Duration = Duration::from_secs(30);

/// Builds a pool of at most `max_size` connections to `database_url`, on which no
/// statement runs longer than `statement_timeout`: one expensive request must not hold a
/// connection and the database's CPU for ever.
pub fn build_pool(
    database_url: &str,
    max_size: usize,
    statement_timeout: Duration,
) -> Result<DbPool, String> {
    let mut config = ManagerConfig::<AsyncMysqlConnection>::default();
    config.custom_setup = Box::new(move |url| {
        Box::pin(async move {
            let mut conn = AsyncMysqlConnection::establish(url).await?;
            limit_statement_time(&mut conn, statement_timeout)
                .await
                .map_err(ConnectionError::CouldntSetupConfiguration)?;
            Ok(conn)
        })
    });
    let manager =
        AsyncDieselConnectionManager::<AsyncMysqlConnection>::new_with_config(database_url, config);
    Pool::builder(manager)
        .max_size(max_size)
        .build()
        .map_err(|e| e.to_string())
}

/// Sets the session's statement time limit (`Duration::ZERO`: none). MariaDB calls it
/// `max_statement_time` (seconds, every statement); MySQL `max_execution_time`
/// (milliseconds, reads only), and refuses MariaDB's name.
async fn limit_statement_time(
    conn: &mut AsyncMysqlConnection,
    limit: Duration,
) -> diesel::QueryResult<()> {
    let mariadb = format!(
        "SET SESSION max_statement_time = {:.3}",
        limit.as_secs_f64()
    );
    if conn.batch_execute(&mariadb).await.is_ok() {
        return Ok(());
    }
    conn.batch_execute(&format!(
        "SET SESSION max_execution_time = {}",
        limit.as_millis()
    ))
    .await
}

/// Applies every pending migration; returns the versions applied. They run on a
/// connection of their own without the statement time limit (a migration may rewrite a
/// large table), which never goes back to the pool.
pub async fn run_migrations(pool: &DbPool) -> Result<Vec<String>, String> {
    let mut conn = Object::take(pool.get().await.map_err(|e| e.to_string())?);
    limit_statement_time(&mut conn, Duration::ZERO)
        .await
        .map_err(|e| e.to_string())?;
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

/// Rows per multi-row INSERT when a transaction writes many: 500 rows stay far below
/// MySQL's placeholder limit (65,535) and its packet size, and cost one round trip each.
pub const INSERT_CHUNK: usize = 500;

/// The outcome of an INSERT that claims a unique key (a period's snapshot, a job's run):
/// `true` when this statement took the key, `false` when another transaction had taken it
/// (then this one waited for that one to commit).
pub fn claimed(inserted: diesel::QueryResult<usize>) -> diesel::QueryResult<bool> {
    match inserted {
        Ok(_) => Ok(true),
        Err(error) if is_unique_violation(&error) => Ok(false),
        Err(error) => Err(error),
    }
}

/// Whether `error` is a violation of a unique key.
pub fn is_unique_violation(error: &diesel::result::Error) -> bool {
    matches!(
        error,
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)
    )
}

#[cfg(all(test, feature = "testing"))]
mod tests {
    use super::*;
    use diesel::sql_types::BigInt;
    use diesel_async::RunQueryDsl;

    #[derive(diesel::QueryableByName)]
    struct Number {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn a_statement_over_the_limit_is_aborted_and_the_connection_lives_on() {
        let db = testing::TestDb::new().await;
        let pool = build_pool(&db.url(), 1, Duration::from_secs(1)).expect("pool");
        let mut conn = pool.get().await.expect("connection");
        let started = std::time::Instant::now();
        // Hours of joining without a limit. (An interrupted BENCHMARK or SLEEP returns a
        // value instead of an error, so it would not show the abort.)
        let runaway = diesel::sql_query(
            "SELECT COUNT(*) AS n FROM information_schema.COLLATIONS a, \
             information_schema.COLLATIONS b, information_schema.COLLATIONS c, \
             information_schema.COLLATIONS d WHERE a.ID + b.ID + c.ID + d.ID = 7",
        )
        .get_result::<Number>(&mut conn)
        .await;
        assert!(runaway.is_err(), "the runaway statement was not aborted");
        assert!(started.elapsed() < Duration::from_secs(20));
        let next = diesel::sql_query("SELECT 41 + 1 AS n")
            .get_result::<Number>(&mut conn)
            .await
            .expect("the connection still answers");
        assert_eq!(next.n, 42);
    }
}
