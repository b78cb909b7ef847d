//! Map markers counted by the database: rows grouped into grid cells, each cell a
//! [`MapCluster`]. Every map of the app (problems, the registry, report density) reads its
//! clusters through here.

use diesel::QueryableByName;
use diesel::result::QueryResult;
use diesel::sql_types::{BigInt, Double, Unsigned};
use diesel_async::{AsyncMysqlConnection, RunQueryDsl};

use crate::geo::{LatLon, MapCluster};
use crate::sql::{Bind, bind_all};

/// The SQL grouping the rows of `from` (a FROM clause with its WHERE, whose table is
/// aliased `alias` and has `lat`, `lon` and `id` columns) into grid cells of `cell`
/// degrees: each cell's count, mean point and smallest id.
pub fn grid_clusters_sql(alias: &str, from: &str, cell: f64) -> String {
    format!(
        "SELECT COUNT(*) AS count, AVG({alias}.lat) AS lat, AVG({alias}.lon) AS lon, \
         MIN({alias}.id) AS first_id FROM {from} \
         GROUP BY FLOOR({alias}.lat / {cell}), FLOOR({alias}.lon / {cell})"
    )
}

/// Map markers from `grid_clusters_sql`: a cell of one row names that row's id.
pub async fn load_grid_clusters(
    conn: &mut AsyncMysqlConnection,
    alias: &str,
    from: &str,
    cell: f64,
) -> QueryResult<Vec<MapCluster>> {
    load_clusters(conn, grid_clusters_sql(alias, from, cell)).await
}

/// Map markers from SQL selecting each cell's `count`, mean `lat` and `lon`, and
/// `first_id`, the id of its one row when it has one.
pub async fn load_clusters(
    conn: &mut AsyncMysqlConnection,
    sql: String,
) -> QueryResult<Vec<MapCluster>> {
    load_bound_clusters(conn, sql, Vec::new()).await
}

/// Map markers from `grid_clusters_sql` whose `from` holds `?` placeholders, bound to
/// `binds` in order.
pub async fn load_bound_grid_clusters(
    conn: &mut AsyncMysqlConnection,
    alias: &str,
    from: &str,
    cell: f64,
    binds: Vec<Bind>,
) -> QueryResult<Vec<MapCluster>> {
    load_bound_clusters(conn, grid_clusters_sql(alias, from, cell), binds).await
}

/// `load_clusters` for SQL with `?` placeholders, bound to `binds` in order.
async fn load_bound_clusters(
    conn: &mut AsyncMysqlConnection,
    sql: String,
    binds: Vec<Bind>,
) -> QueryResult<Vec<MapCluster>> {
    #[derive(QueryableByName)]
    struct CellRow {
        #[diesel(sql_type = BigInt)]
        count: i64,
        #[diesel(sql_type = Double)]
        lat: f64,
        #[diesel(sql_type = Double)]
        lon: f64,
        #[diesel(sql_type = Unsigned<BigInt>)]
        first_id: u64,
    }
    let rows = bind_all(
        diesel::sql_query(sql).into_boxed::<diesel::mysql::Mysql>(),
        binds,
    )
    .load::<CellRow>(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| MapCluster {
            point: LatLon {
                lat: row.lat,
                lon: row.lon,
            },
            count: row.count.max(0) as u64,
            single: (row.count == 1).then_some(row.first_id),
        })
        .collect())
}
