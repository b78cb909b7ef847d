//! `cargo bench -p server --bench opendata_rows`: pages of a 1,000,000-row open-data
//! version, sorted and filtered, at the first page and deep in the version.
//!
//! Seeds the version into the database `or_bench_rows` on `BENCH_DATABASE_URL` (default:
//! the local MariaDB) once and keeps it; the first run also measures what indexing it
//! costs (`Datasets::index_rows`: time, keys, bytes). Then, for each scenario, 100-row
//! pages are read through the rows API (`GET /api/opendata/…/rows.json`, the whole
//! request in process) and through `Datasets::rows_page` alone, p50/p95 of 200 runs after
//! 20 warm-up runs. "Deep" pages start from a cursor 90% of the way through (its position
//! found once with OFFSET, outside the measurement). `BENCH_ONLY=<text>` runs the
//! scenarios whose name contains it.

use std::time::Instant;

use app::opendata::format::Structure;
use app::opendata::model::DatasetVersionId;
use app::opendata::queries::Datasets;
use app::opendata::rows::{Position, RowParams, RowQuery};
use diesel::sql_types::{Bool, Double, Text, Unsigned};
use diesel_async::{AsyncMysqlConnection, RunQueryDsl, SimpleAsyncConnection};
use platform::db::DbPool;

mod common;
use common::{RUNS, WARMUP, bench_database, bench_router, count, http, measure, ms, wanted};

const ROWS: u64 = 1_000_000;
const IDENTIFIER: &str = "2308000007-bench-million";

/// The version's id, seeding and indexing it first when it is missing.
async fn seed(pool: &DbPool) -> DatasetVersionId {
    let mut conn = pool.get().await.expect("connection");
    let version_sql = format!(
        "SELECT v.id AS n FROM dataset_versions v JOIN datasets d ON d.id = v.dataset_id \
         WHERE d.code = 'bench-million' AND v.row_count = {ROWS}"
    );
    let version = count(&mut conn, &version_sql).await;
    let indexed = count(
        &mut conn,
        &format!("SELECT COUNT(*) AS n FROM dataset_row_keys WHERE version_id = {version}"),
    )
    .await;
    if version > 0 && indexed > 0 {
        println!("using the seeded version in or_bench_rows ({indexed} keys)");
        return DatasetVersionId(version as u64);
    }
    let started = Instant::now();
    // The version of scripts/bench-opendata: numbers, names, 5 districts, coordinates,
    // dates; generated in the server by MariaDB's sequence engine. (Versions go first:
    // they hold the structures, which the dataset's cascade would delete before them.)
    conn.batch_execute(&format!(
        "DELETE v FROM dataset_versions v JOIN datasets d ON d.id = v.dataset_id WHERE d.code = 'bench-million';
        DELETE FROM datasets WHERE code = 'bench-million';
        INSERT INTO datasets (publisher_inn, code, source, live_key, title_ru, title_en, description_ru,
          description_en, creator, subject, publisher_name, publisher_phone, publisher_mbox, created_at, updated_at)
        VALUES ('2308000007', 'bench-million', 'uploaded', NULL, 'Миллион объектов', 'A million objects',
          'Набор для замеров', 'A dataset for measurements', 'Администрация', 'замеры', 'Иванов И. И.',
          '+78612000000', 'bench@openregion.demo', UTC_TIMESTAMP(), UTC_TIMESTAMP());
        SET @dataset = LAST_INSERT_ID();
        INSERT INTO dataset_structures (dataset_id, version, fields, latitude_column, longitude_column, created_at)
        VALUES (@dataset, '2026-11-01', '[{{\"name\":\"id\",\"english\":\"Number\",\"russian\":\"Номер\",\"kind\":\"integer\"}},
          {{\"name\":\"name\",\"english\":\"Name\",\"russian\":\"Наименование\",\"kind\":\"string\"}},
          {{\"name\":\"district\",\"english\":\"District\",\"russian\":\"Округ\",\"kind\":\"string\"}},
          {{\"name\":\"lat\",\"english\":\"Latitude\",\"russian\":\"Широта\",\"kind\":\"number\"}},
          {{\"name\":\"lon\",\"english\":\"Longitude\",\"russian\":\"Долгота\",\"kind\":\"number\"}},
          {{\"name\":\"opened\",\"english\":\"Opened\",\"russian\":\"Дата открытия\",\"kind\":\"date\"}}]', 3, 4, UTC_TIMESTAMP());
        SET @structure = LAST_INSERT_ID();
        INSERT INTO dataset_versions (dataset_id, version, structure_id, provenance, valid_until, row_count,
          content_sha256, published_at)
        VALUES (@dataset, '2026-11-01', @structure, 'Первая публикация', '2026-12-01', {ROWS}, '', UTC_TIMESTAMP());
        SET @version = LAST_INSERT_ID();
        INSERT INTO dataset_rows (version_id, row_no, cells)
        SELECT @version, seq, JSON_ARRAY(seq, CONCAT('Объект № ', seq),
          ELT(1 + seq % 5, 'Центральный', 'Западный', 'Карасунский', 'Прикубанский', 'Пашковский'),
          45 + (seq % 10000) / 100000, 38.9 + (seq % 9973) / 100000,
          DATE_ADD('2020-01-01', INTERVAL seq % 2000 DAY))
        FROM seq_1_to_{ROWS};"
    ))
    .await
    .expect("seed the rows");
    println!(
        "seeded {ROWS} rows in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let version = DatasetVersionId(count(&mut conn, &version_sql).await as u64);
    let started = Instant::now();
    let keys = Datasets::index_rows(&mut conn, version)
        .await
        .expect("index the rows");
    let indexing = started.elapsed();
    conn.batch_execute("ANALYZE TABLE dataset_rows, dataset_row_keys")
        .await
        .expect("analyze");
    let bytes = |table: &str| {
        format!(
            "SELECT CAST(data_length + index_length AS SIGNED) AS n FROM information_schema.tables \
             WHERE table_schema = DATABASE() AND table_name = '{table}'"
        )
    };
    let (rows_bytes, keys_bytes) = (
        count(&mut conn, &bytes("dataset_rows")).await,
        count(&mut conn, &bytes("dataset_row_keys")).await,
    );
    let mib = |n: i64| n as f64 / 1_048_576.0;
    println!(
        "index_rows: {keys} keys in {:.1} s; dataset_row_keys {:.0} MiB (dataset_rows {:.0} MiB)",
        indexing.as_secs_f64(),
        mib(keys_bytes),
        mib(rows_bytes),
    );
    version
}

/// The position of the `offset`-th row (from 0) of column `column` sorted ascending
/// (`None`: the row order), found with OFFSET once, for a deep cursor.
async fn position_at(
    conn: &mut AsyncMysqlConnection,
    version: DatasetVersionId,
    column: Option<usize>,
    filter: &str,
    offset: u64,
) -> Position {
    #[derive(diesel::QueryableByName)]
    struct Key {
        #[diesel(sql_type = Bool)]
        has_value: bool,
        #[diesel(sql_type = Double)]
        number_key: f64,
        #[diesel(sql_type = Text)]
        text_key: String,
        #[diesel(sql_type = Unsigned<diesel::sql_types::Integer>)]
        row_no: u32,
    }
    let sql = match column {
        Some(column) => format!(
            "SELECT has_value, number_key, text_key, row_no FROM dataset_row_keys \
             WHERE version_id = {version} AND column_no = {column} {filter} \
             ORDER BY has_value, number_key, text_key, row_no LIMIT 1 OFFSET {offset}"
        ),
        None => format!(
            "SELECT FALSE AS has_value, 0e0 AS number_key, '' AS text_key, row_no \
             FROM dataset_rows WHERE version_id = {version} ORDER BY row_no LIMIT 1 OFFSET {offset}"
        ),
    };
    let key: Key = diesel::sql_query(sql)
        .get_result(conn)
        .await
        .expect("a deep position");
    Position {
        has_value: key.has_value,
        number: key.number_key,
        text: key.text_key,
        row_no: key.row_no,
    }
}

struct Scenario {
    name: &'static str,
    /// The query string, without cursor and limit.
    query: &'static str,
    /// Where a deep page starts: (column sorted on, extra SQL condition on the keys,
    /// offset), or `None` for the first page.
    deep: Option<(Option<usize>, &'static str, u64)>,
}

#[tokio::main]
async fn main() {
    let pool = bench_database("or_bench_rows", 8).await;
    let version = seed(&pool).await;
    let mut conn = pool.get().await.expect("connection");
    let structure: Structure = {
        let info = Datasets::by_identifier(&mut conn, IDENTIFIER)
            .await
            .expect("lookup")
            .expect("the bench dataset");
        let versions = Datasets::versions(&mut conn, info.id)
            .await
            .expect("versions");
        Datasets::structure(&mut conn, info.id, versions[0].structure)
            .await
            .expect("structure")
            .expect("a structure")
    };
    let router = bench_router(&pool);
    println!("{ROWS} rows; 100-row pages; {RUNS} runs after {WARMUP} warm-up runs each\n");

    // District "Западный" is every fifth row (200,000); "opened" repeats every 2,000 rows.
    let scenarios = [
        Scenario {
            name: "row order, first page",
            query: "",
            deep: None,
        },
        Scenario {
            name: "row order, at row 900,000",
            query: "",
            deep: Some((None, "", 900_000)),
        },
        Scenario {
            name: "sort=name (text), first page",
            query: "sort=name",
            deep: None,
        },
        Scenario {
            name: "sort=name (text), 90% deep",
            query: "sort=name",
            deep: Some((Some(1), "", 900_000)),
        },
        Scenario {
            name: "sort=-lat (number, ties), 90% deep",
            query: "sort=-lat",
            deep: Some((Some(3), "", 100_000)),
        },
        Scenario {
            name: "filter.district (200k rows), first page",
            query: "filter.district=Западный",
            deep: None,
        },
        Scenario {
            name: "filter.district (200k rows), 90% deep",
            query: "filter.district=Западный",
            deep: Some((Some(2), "AND has_value AND text_key = 'Западный'", 180_000)),
        },
        Scenario {
            name: "filter.district + sort=name, first",
            query: "filter.district=Западный&sort=name",
            deep: None,
        },
        // Adversarial: the newest dates all fall on other districts (both derive from
        // the row number), so the walk checks ~1,600 candidates before 100 match.
        Scenario {
            name: "filter.district + sort=-opened, first",
            query: "filter.district=Западный&sort=-opened",
            deep: None,
        },
        Scenario {
            name: "filter.opened (500 rows) + sort=name",
            query: "filter.opened=2021-06-01&sort=name",
            deep: None,
        },
        Scenario {
            name: "prefix.name + sort=name, first",
            query: "prefix.name=Объект № 5&sort=name",
            deep: None,
        },
    ];
    for scenario in scenarios {
        if !wanted(scenario.name) {
            continue;
        }
        let mut params = RowParams::parse(scenario.query).expect("valid parameters");
        params.limit = Some(100);
        let mut query = RowQuery::new(&params, &structure, version, 100).expect("a valid query");
        if let Some((column, filter, offset)) = scenario.deep {
            // (For a descending sort, an ascending offset of 10% is 90% deep.)
            let position = position_at(&mut conn, version, column, filter, offset).await;
            params.cursor = Some(query.cursor(&position));
            query = RowQuery::new(&params, &structure, version, 100).expect("a valid cursor");
        }
        let page = Datasets::rows_page(&mut conn, &query)
            .await
            .expect("a page");
        assert_eq!(page.rows.len(), 100, "{}: a full page", scenario.name);
        let direct = measure(|| async {
            let mut conn = pool.get().await.expect("connection");
            Datasets::rows_page(&mut conn, &query)
                .await
                .expect("a page");
        })
        .await;
        let path = format!(
            "/api/opendata/{IDENTIFIER}/rows.json?{}",
            params.to_query(
                chrono::NaiveDate::from_ymd_opt(2026, 11, 1).expect("a date"),
                params.cursor.as_deref()
            )
        );
        let http = http(&router, &path, None).await;
        println!(
            "{:<42} HTTP p50 {:>7.2} ms  p95 {:>7.2} ms | rows_page p50 {:>7.2} ms  p95 {:>7.2} ms",
            scenario.name,
            ms(http.p50),
            ms(http.p95),
            ms(direct.p50),
            ms(direct.p95),
        );
    }
}
