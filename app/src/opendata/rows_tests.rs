//! Database tests of sorted, filtered, cursor-paged rows against a real MariaDB: every
//! filter kind and sort, walked page by page to the end under each read strategy, equals
//! the same rows filtered and sorted in memory (no row lost or repeated); cursors only
//! continue their own query; refusals are typed; publication indexes live datasets.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use diesel_async::{AsyncMysqlConnection, RunQueryDsl, SimpleAsyncConnection};
use serde_json::{Value as Json, json};

use super::format::{Column, ColumnType, Structure};
use super::live::LiveDataset;
use super::model::DatasetVersionId;
use super::queries::{Datasets, Publisher};
use super::rows::{Budget, RowParams, RowQuery, RowsError, TEXT_KEY_CHARS, read_rows};
use platform::db::last_insert_id;
use platform::db::schema::{dataset_rows, dataset_structures, dataset_versions, datasets};
use platform::db::testing::TestDb;

/// Rows of the fixture version.
const ROWS: u32 = 240;

/// A text longer than the keys keep: rows differ only after the 64th character.
const LONG: &str = "Муниципальное бюджетное общеобразовательное учреждение средняя школа номер";

fn columns() -> Vec<Column> {
    vec![
        Column::new("name", "Name", "Наименование", ColumnType::String),
        Column::new("district", "District", "Округ", ColumnType::String),
        Column::new("floors", "Floors", "Этажей", ColumnType::Integer),
        Column::new("area", "Area", "Площадь", ColumnType::Number),
        Column::new("opened", "Opened", "Открыт", ColumnType::Date),
        Column::new("free", "Free", "Бесплатно", ColumnType::Boolean),
        Column::new("code", "Code", "Код", ColumnType::String),
    ]
}

fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2020, 1, 1).expect("a date")
}

/// The cells of row `i` (from 1): ties, nulls, case variants, negative and fractional
/// numbers, long texts sharing their first 64 characters, LIKE's special characters.
fn cells(i: u32) -> Vec<Json> {
    let words = ["Юг", "юг", "Север", "Abc", "abd", "Дом 1", "Дом1"];
    let name = match i % 17 {
        0 => Json::Null,
        5 | 6 => json!(format!("{LONG} {}", i % 4)),
        _ => json!(format!("{} {}", words[(i % 7) as usize], i % 13)),
    };
    let district = match i % 19 {
        0 => Json::Null,
        _ => json!(["Центральный", "Западный", "Карасунский", "Прикубанский"][(i % 4) as usize]),
    };
    let floors = match (i % 11, i % 23) {
        (0, _) => Json::Null,
        (_, 0) => json!(-1),
        _ => json!((i * 7) % 12),
    };
    let area = match i % 13 {
        0 => Json::Null,
        _ => json!(f64::from((i * 37) % 100) / 4.0 - 5.0),
    };
    let opened = match i % 9 {
        0 => Json::Null,
        _ => json!(
            (first_day() + Duration::days(i64::from((i * 11) % 400)))
                .format("%Y-%m-%d")
                .to_string()
        ),
    };
    let free = match i % 3 {
        0 => json!(true),
        1 => json!(false),
        _ => Json::Null,
    };
    let code = json!(["50%", "5_0", "500", "5\\0", "a%b"][(i % 5) as usize]);
    vec![name, district, floors, area, opened, free, code]
}

/// A version of the fixture rows, indexed as publication indexes it.
async fn fixture(conn: &mut AsyncMysqlConnection) -> (DatasetVersionId, Structure) {
    let now =
        NaiveDateTime::parse_from_str("2026-11-01 03:00:00", "%Y-%m-%d %H:%M:%S").expect("a time");
    diesel::insert_into(datasets::table)
        .values((
            (
                datasets::publisher_inn.eq("2308000007"),
                datasets::code.eq("rows-fixture"),
                datasets::source.eq("uploaded"),
                datasets::title_ru.eq("Строки"),
                datasets::title_en.eq("Rows"),
                datasets::description_ru.eq("Набор для проверки"),
                datasets::description_en.eq("A test dataset"),
            ),
            (
                datasets::creator.eq("Администрация"),
                datasets::subject.eq("проверка"),
                datasets::publisher_name.eq("Иванов И. И."),
                datasets::publisher_phone.eq("+78612000000"),
                datasets::publisher_mbox.eq("test@openregion.demo"),
                datasets::created_at.eq(now),
                datasets::updated_at.eq(now),
            ),
        ))
        .execute(conn)
        .await
        .expect("a dataset");
    let dataset = last_insert_id(conn).await.expect("its id");
    let structure = Structure {
        version: now.date(),
        columns: columns(),
        latitude: None,
        longitude: None,
    };
    diesel::insert_into(dataset_structures::table)
        .values((
            dataset_structures::dataset_id.eq(dataset),
            dataset_structures::version.eq(now.date()),
            dataset_structures::fields.eq(serde_json::to_string(&structure.columns).expect("JSON")),
            dataset_structures::created_at.eq(now),
        ))
        .execute(conn)
        .await
        .expect("a structure");
    let structure_id = last_insert_id(conn).await.expect("its id");
    diesel::insert_into(dataset_versions::table)
        .values((
            dataset_versions::dataset_id.eq(dataset),
            dataset_versions::version.eq(now.date()),
            dataset_versions::structure_id.eq(structure_id),
            dataset_versions::provenance.eq("Первая публикация"),
            dataset_versions::valid_until.eq(now.date()),
            dataset_versions::row_count.eq(ROWS),
            dataset_versions::content_sha256.eq(""),
            dataset_versions::published_at.eq(now),
        ))
        .execute(conn)
        .await
        .expect("a version");
    let version = DatasetVersionId(last_insert_id(conn).await.expect("its id"));
    let rows: Vec<_> = (1..=ROWS)
        .map(|i| {
            (
                dataset_rows::version_id.eq(version),
                dataset_rows::row_no.eq(i),
                dataset_rows::cells.eq(Json::Array(cells(i)).to_string()),
            )
        })
        .collect();
    diesel::insert_into(dataset_rows::table)
        .values(rows)
        .execute(conn)
        .await
        .expect("rows");
    let keys = Datasets::index_rows(conn, version).await.expect("index");
    assert_eq!(keys, (ROWS as usize) * columns().len());
    (version, structure)
}

/// A cell's key as the index orders it: (has value, number, text folded to lower case).
/// The fixture's texts avoid the characters where utf8mb4_unicode_ci and lower-cased
/// code points disagree (ё, punctuation in sorted columns, trailing spaces).
fn key(cell: &Json, kind: ColumnType) -> (bool, f64, String) {
    match (cell, kind) {
        (Json::Null, _) => (false, 0.0, String::new()),
        (Json::String(text), ColumnType::String) => (
            true,
            0.0,
            text.chars()
                .take(TEXT_KEY_CHARS)
                .collect::<String>()
                .to_lowercase(),
        ),
        (Json::String(date), ColumnType::Date) => (
            true,
            date.replace('-', "").parse().expect("a date key"),
            String::new(),
        ),
        (Json::Bool(truth), _) => (true, if *truth { 1.0 } else { 0.0 }, String::new()),
        (Json::Number(number), _) => (true, number.as_f64().expect("a number"), String::new()),
        (other, kind) => panic!("{other} in a {kind:?} column"),
    }
}

/// One filter of the in-memory model: parameter prefix, column, value.
type Filter<'a> = (&'a str, usize, &'a str);

/// Whether row `i` passes `filter`, by the definitions in `rows`.
fn passes(i: u32, (kind, column, value): Filter<'_>) -> bool {
    let cell = &cells(i)[column];
    let column_type = columns()[column].kind;
    let (has_value, number, text) = key(cell, column_type);
    if !has_value {
        return false;
    }
    let whole = cell.as_str().map(str::to_lowercase).unwrap_or_default();
    let value_number = || match column_type {
        ColumnType::Date => {
            let date = NaiveDate::parse_from_str(value, "%Y-%m-%d")
                .or_else(|_| NaiveDate::parse_from_str(value, "%d.%m.%Y"))
                .expect("a date");
            date.format("%Y%m%d")
                .to_string()
                .parse::<f64>()
                .expect("a key")
        }
        ColumnType::Boolean => match value {
            "да" | "true" | "1" => 1.0,
            _ => 0.0,
        },
        _ => value.replace(',', ".").parse().expect("a number"),
    };
    match (kind, column_type) {
        ("filter.", ColumnType::String) => {
            let value_key: String = value.chars().take(TEXT_KEY_CHARS).collect();
            text == value_key.to_lowercase() && whole == value.to_lowercase()
        }
        ("filter.", _) => number == value_number(),
        ("prefix.", _) => whole.starts_with(&value.to_lowercase()),
        ("min.", _) => number >= value_number(),
        ("max.", _) => number <= value_number(),
        other => panic!("{other:?}"),
    }
}

/// The rows of the fixture `filters` keep, in the order `sort` (`-` for descending)
/// puts them: what every walk must return.
fn expected(filters: &[Filter<'_>], sort: Option<&str>) -> Vec<u32> {
    let mut rows: Vec<u32> = (1..=ROWS)
        .filter(|i| filters.iter().all(|filter| passes(*i, *filter)))
        .collect();
    if let Some(sort) = sort {
        let (name, descending) = match sort.strip_prefix('-') {
            Some(name) => (name, true),
            None => (sort, false),
        };
        let column = columns()
            .iter()
            .position(|c| c.name == name)
            .expect("a column");
        let kind = columns()[column].kind;
        rows.sort_by(|a, b| {
            let (ka, kb) = (key(&cells(*a)[column], kind), key(&cells(*b)[column], kind));
            ka.0.cmp(&kb.0)
                .then(ka.1.total_cmp(&kb.1))
                .then(ka.2.cmp(&kb.2))
                .then(a.cmp(b))
        });
        if descending {
            rows.reverse();
        }
    }
    rows
}

/// The query string of `filters` and `sort`.
fn query_text(filters: &[Filter<'_>], sort: Option<&str>) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (kind, column, value) in filters {
        query.append_pair(&format!("{kind}{}", columns()[*column].name), value);
    }
    if let Some(sort) = sort {
        query.append_pair("sort", sort);
    }
    query.finish()
}

/// Every row of `query` read page by page (`limit` rows) by following the cursors, and
/// how many pages the scan budget cut short.
async fn walk(
    conn: &mut AsyncMysqlConnection,
    version: DatasetVersionId,
    structure: &Structure,
    query: &str,
    limit: u32,
    budget: Budget,
) -> (Vec<u32>, usize) {
    let mut rows = Vec::new();
    let mut cut_short = 0;
    let mut cursor: Option<String> = None;
    for _ in 0..10_000 {
        let mut params = RowParams::parse(query).expect("valid parameters");
        params.limit = Some(limit);
        params.cursor = cursor.take();
        let query_of_page = RowQuery::new(&params, structure, version, 100).expect("a valid query");
        let page = Datasets::rows_page_within(conn, &query_of_page, budget)
            .await
            .expect("a page");
        assert!(page.rows.len() <= limit as usize, "{query}");
        if page.partial {
            cut_short += 1;
        } else if page.next.is_some() {
            assert_eq!(page.rows.len(), limit as usize, "a full page: {query}");
        }
        for (row_no, stored) in &page.rows {
            let stored: Json = serde_json::from_str(stored).expect("JSON cells");
            assert_eq!(
                stored,
                Json::Array(cells(*row_no)),
                "the cells of row {row_no}"
            );
            rows.push(*row_no);
        }
        match page.next {
            Some(next) => cursor = Some(next),
            None => return (rows, cut_short),
        }
    }
    panic!("{query}: no end after 10,000 pages");
}

/// The queries every read strategy must answer alike.
fn cases() -> Vec<(Vec<Filter<'static>>, Option<&'static str>)> {
    let long_row_5 = Box::leak(format!("{LONG} 1").into_boxed_str());
    let long_lower = Box::leak(format!("{} 2", LONG.to_lowercase()).into_boxed_str());
    let long_prefix = Box::leak(format!("{LONG} ").into_boxed_str());
    let mut cases: Vec<(Vec<Filter<'static>>, Option<&'static str>)> = vec![(vec![], None)];
    for column in columns().iter().filter(|c| c.name != "code") {
        let name: &'static str = Box::leak(column.name.clone().into_boxed_str());
        let descending: &'static str = Box::leak(format!("-{name}").into_boxed_str());
        cases.push((vec![], Some(name)));
        cases.push((vec![], Some(descending)));
    }
    cases.extend([
        (vec![("filter.", 1, "западный")], None),
        (vec![("filter.", 1, "Западный")], Some("-name")),
        (vec![("filter.", 1, "Западный")], Some("district")),
        (vec![("prefix.", 0, "юг")], Some("name")),
        (vec![("prefix.", 0, "Дом")], Some("-name")),
        (vec![("prefix.", 0, "Дом")], None),
        (vec![("filter.", 0, "ЮГ 3")], None),
        (vec![("filter.", 2, "3")], None),
        (vec![("filter.", 2, "-1")], Some("-area")),
        (vec![("min.", 2, "2"), ("max.", 2, "5")], None),
        (vec![("min.", 2, "2"), ("max.", 2, "5")], Some("floors")),
        (vec![("min.", 2, "2"), ("max.", 2, "5")], Some("-floors")),
        (vec![("min.", 3, "-1,5")], Some("-opened")),
        (vec![("max.", 3, "0")], Some("area")),
        (vec![("filter.", 3, "3.25")], None),
        (vec![("filter.", 4, "2020-01-12")], None),
        (
            vec![("min.", 4, "2020-03-01"), ("max.", 4, "30.06.2020")],
            Some("-opened"),
        ),
        (vec![("filter.", 5, "да")], Some("district")),
        (
            vec![("filter.", 5, "false"), ("filter.", 1, "Центральный")],
            None,
        ),
        (vec![("filter.", 0, long_row_5)], None),
        (vec![("filter.", 0, long_lower)], Some("-floors")),
        (vec![("prefix.", 0, long_prefix)], Some("name")),
        (vec![("prefix.", 6, "5_")], None),
        (vec![("prefix.", 6, "50%")], Some("floors")),
        (vec![("filter.", 6, "a%b")], None),
        (vec![("prefix.", 6, "5\\")], Some("-district")),
        (vec![("filter.", 2, "100")], Some("name")),
        (
            vec![
                ("filter.", 1, "Центральный"),
                ("min.", 3, "0"),
                ("prefix.", 0, "ю"),
            ],
            Some("-area"),
        ),
        (vec![("filter.", 5, "1"), ("min.", 2, "4")], Some("-free")),
    ]);
    cases
}

#[tokio::test(flavor = "multi_thread")]
async fn every_filter_and_sort_reads_all_pages_as_an_in_memory_sort_does() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let (version, structure) = fixture(&mut conn).await;
    // The default strategies; a walk that checks at most 25 candidates a request (pages
    // cut short); and a sort in the database of whatever the filters match.
    let budgets = [
        Budget::DEFAULT,
        Budget {
            scan: 25,
            small_set: 0,
        },
        Budget {
            scan: 20_000,
            small_set: u32::MAX - 1,
        },
    ];
    let mut cut_short = [0; 3];
    for (filters, sort) in cases() {
        let want = expected(&filters, sort);
        let query = query_text(&filters, sort);
        for (strategy, budget) in budgets.into_iter().enumerate() {
            for limit in [7, 100] {
                let (got, cut) = walk(&mut conn, version, &structure, &query, limit, budget).await;
                assert_eq!(got, want, "{query} (limit {limit}, {budget:?})");
                cut_short[strategy] += cut;
            }
        }
    }
    // Only the small scan budget cuts pages short (and it does, and they still add up).
    assert_eq!(cut_short[0], 0);
    assert!(cut_short[1] > 0);
    assert_eq!(cut_short[2], 0);
    // The fixture exercises what it claims to: ties, nulls and empty results.
    assert_eq!(expected(&[("filter.", 2, "100")], None), Vec::<u32>::new());
    assert!(expected(&[("filter.", 1, "Западный")], None).len() > 50);
    let long = format!("{LONG} 1");
    let exact = expected(&[("filter.", 0, &long)], None).len();
    let same_start = expected(&[("prefix.", 0, LONG)], None).len();
    assert!(exact > 1 && exact < same_start, "{exact} of {same_start}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_cursor_continues_only_its_own_query() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let (version, structure) = fixture(&mut conn).await;
    let first = |text: &str| {
        let mut params = RowParams::parse(text).expect("valid");
        params.limit = Some(10);
        RowQuery::new(&params, &structure, version, 100).expect("valid")
    };
    let page = Datasets::rows_page(&mut conn, &first("sort=-area&filter.district=Западный"))
        .await
        .expect("a page");
    let token = page.next.expect("more pages");
    let again = |text: String| {
        let params = RowParams::parse(&text).expect("valid parameters");
        RowQuery::new(&params, &structure, version, 100)
    };
    assert!(
        again(format!(
            "sort=-area&filter.district=западный&cursor={token}"
        ))
        .is_err()
    );
    assert!(
        again(format!(
            "filter.district=Западный&sort=-area&limit=3&cursor={token}"
        ))
        .is_ok()
    );
    for other in [
        "sort=area&filter.district=Западный",
        "sort=-area&filter.district=Центральный",
        "sort=-area",
        "filter.district=Западный",
        "sort=-area&filter.district=Западный&min.floors=1",
    ] {
        assert_eq!(
            again(format!("{other}&cursor={token}")),
            Err(RowsError::CursorMismatch),
            "{other}"
        );
    }
    let params = RowParams::parse(&format!(
        "sort=-area&filter.district=Западный&cursor={token}"
    ))
    .expect("valid");
    assert_eq!(
        RowQuery::new(&params, &structure, DatasetVersionId(version.0 + 1), 100),
        Err(RowsError::CursorMismatch),
        "the same query on another version"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_names_values_limits_tokens_and_versions_are_refused() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    fixture(&mut conn).await;
    let identifier = "2308000007-rows-fixture";
    let read = async |conn: &mut AsyncMysqlConnection, identifier: &str, text: &str| {
        let params = RowParams::parse(text)?;
        read_rows(conn, identifier, &params, 100)
            .await
            .map(|read| read.slice)
    };
    let refused = [
        ("sort=colour", "unknown_column"),
        ("filter.colour=1", "unknown_column"),
        ("filter.floors=3.5", "bad_value"),
        ("filter.opened=2020-02-30", "bad_value"),
        ("filter.free=может быть", "bad_value"),
        ("min.area=much", "bad_value"),
        ("min.name=a", "unsupported_filter"),
        ("prefix.floors=1", "unsupported_filter"),
        ("max.free=1", "unsupported_filter"),
        ("limit=0", "bad_limit"),
        ("limit=1001", "bad_limit"),
        ("cursor=%21%21", "bad_cursor"),
        ("cursor=AQID", "bad_cursor"),
        ("page=2", "unknown_parameter"),
        ("sort=name&sort=area", "duplicate_parameter"),
        ("version=2026-11-31", "bad_version"),
        ("version=20201231", "not_found"),
    ];
    for (text, code) in refused {
        let error = read(&mut conn, identifier, text).await.expect_err(text);
        assert_eq!(error.code(), code, "{text}: {error}");
    }
    let missing = read(&mut conn, "2308000007-nothing", "").await;
    assert_eq!(missing.err(), Some(RowsError::NotFound));
    let all = read(&mut conn, identifier, "limit=1000&version=20261101")
        .await
        .expect("every row");
    assert_eq!(all.rows.len(), ROWS as usize);
    assert_eq!(all.next, None);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_migration_backfill_writes_the_keys_publication_writes() {
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    fixture(&mut conn).await;
    let up = include_str!("../../../migrations/2026-11-28-000012_dataset_row_keys/up.sql");
    let backfill = up
        .split_once("INSERT INTO dataset_row_keys")
        .map(|(_, rest)| format!("INSERT INTO dataset_row_keys{rest}"))
        .expect("the migration backfills");
    conn.batch_execute(
        "CREATE TABLE published_keys AS SELECT * FROM dataset_row_keys; DELETE FROM dataset_row_keys;",
    )
    .await
    .expect("keep the keys");
    conn.batch_execute(&backfill).await.expect("the backfill");
    let differing = |sql: &str| diesel::sql_query(sql.to_string());
    let count: Count = differing(
        "SELECT COUNT(*) AS n FROM (\
           (SELECT * FROM published_keys EXCEPT SELECT * FROM dataset_row_keys) UNION ALL \
           (SELECT * FROM dataset_row_keys EXCEPT SELECT * FROM published_keys)) d",
    )
    .get_result(&mut conn)
    .await
    .expect("compare");
    assert_eq!(count.n, 0, "the backfill and index_rows disagree");
    let total: Count = differing("SELECT COUNT(*) AS n FROM dataset_row_keys")
        .get_result(&mut conn)
        .await
        .expect("count");
    assert_eq!(total.n, i64::from(ROWS) * columns().len() as i64);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_published_live_dataset_is_sorted_and_filtered_through_its_keys() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let publisher = Publisher::demo();
    let now =
        NaiveDateTime::parse_from_str("2026-11-01 03:00:00", "%Y-%m-%d %H:%M:%S").expect("a time");
    Datasets::define_live(&mut conn, &publisher, now)
        .await
        .expect("defined");
    let municipalities = LiveDataset::find("municipalities").expect("a live dataset");
    Datasets::publish_live(&mut conn, municipalities, now.date(), now)
        .await
        .expect("published");
    let identifier = format!("{}-municipalities", publisher.inn);
    let structure = municipalities.structure(now.date());
    let params = RowParams::parse("limit=1000").expect("valid");
    let all = read_rows(&mut conn, &identifier, &params, 100)
        .await
        .expect("all rows");
    assert_eq!(all.slice.rows.len(), 44);
    let keys: i64 = platform::db::schema::dataset_row_keys::table
        .count()
        .get_result(&mut conn)
        .await
        .expect("count");
    assert_eq!(
        keys,
        44 * structure.columns.len() as i64,
        "one key per cell"
    );

    let column = structure
        .columns
        .iter()
        .position(|c| c.kind == ColumnType::String)
        .expect("a text column");
    let name = &structure.columns[column].name;
    let sorted_text = format!("sort=-{name}&limit=1000");
    let params = RowParams::parse(&sorted_text).expect("valid");
    let sorted = read_rows(&mut conn, &identifier, &params, 100)
        .await
        .expect("sorted");
    let texts: Vec<String> = sorted
        .slice
        .rows
        .iter()
        .map(|(_, cells)| {
            let cells: Json = serde_json::from_str(cells).expect("JSON");
            cells[column].as_str().unwrap_or_default().to_lowercase()
        })
        .collect();
    let mut descending = texts.clone();
    descending.sort_by(|a, b| b.cmp(a));
    assert_eq!(texts.len(), 44);
    // (`first()` would name diesel's `first` here.)
    assert_eq!(
        texts.as_slice().first(),
        descending.as_slice().first(),
        "{name}: the largest first"
    );
    let first = texts.as_slice().first().cloned().unwrap_or_default();
    let equal = format!("filter.{name}={}", urlencode(&first));
    let params = RowParams::parse(&equal).expect("valid");
    let found = read_rows(&mut conn, &identifier, &params, 100)
        .await
        .expect("filtered");
    assert!(!found.slice.rows.is_empty(), "{equal}");
}

fn urlencode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}
