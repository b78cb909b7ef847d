//! Database tests of uploaded datasets and dataset requests against a real MariaDB: an
//! upload becomes a version only when every cell fits, once a day, and not when nothing
//! changed; a re-upload with the same headers keeps the moderator's structure; requests
//! are answered publicly.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel_async::{AsyncMysqlConnection, RunQueryDsl};

use super::format::ColumnType;
use super::manage::{
    Manage, Requests, check_passport, column_infos, confirmed_structure, encode_rows, upload_path,
};
use super::model::{DatasetId, DatasetRequestId, PassportForm, PublishOutcome};
use super::queries::Datasets;
use super::table::read_table;
use crate::auth::model::UserId;
use crate::auth::testing::test_user;
use platform::db::schema::{dataset_rows, dataset_uploads, dataset_versions};
use platform::db::testing::TestDb;
use platform::error::{AppError, ErrorCode};

fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").expect("a valid test time")
}

fn passport(code: &str) -> PassportForm {
    PassportForm {
        code: code.into(),
        title_ru: "Остановки".into(),
        title_en: "Bus stops".into(),
        description_ru: "Остановки общественного транспорта".into(),
        description_en: "Public transport stops".into(),
        creator: "Министерство транспорта".into(),
        subject: "транспорт, остановки".into(),
        publisher_name: "Петров П. П.".into(),
        publisher_phone: "+7 (861) 200-00-00".into(),
        publisher_mbox: "stops@example.test".into(),
        valid_days: 30,
    }
}

const STOPS: &str = "Название;Широта;Долгота;Павильон;Открыта\n\
                     Театральная площадь;45,0355;38,9753;да;01.09.2020\n\
                     Северная;45,0412;38,9760;нет;2021-03-15\n";

/// Uploads `csv` for `dataset` at `time` the way the upload route and the publish
/// function do, with the proposed structure unchanged.
async fn upload(
    conn: &mut AsyncMysqlConnection,
    dataset: DatasetId,
    moderator: UserId,
    csv: &str,
    time: &str,
) -> Result<PublishOutcome, AppError> {
    let now = at(time);
    let table = read_table(csv.as_bytes()).expect("a readable table");
    let structure = Manage::propose_structure(conn, dataset, &table, now.date()).await?;
    let id = Manage::stage(
        conn,
        dataset,
        moderator,
        "stops.csv",
        table.kind.as_db(),
        "0",
        table.rows.len() as u32,
        &structure,
        now,
    )
    .await?;
    let rows = encode_rows(&table, &structure).expect("every cell fits");
    Manage::publish_upload(conn, id, structure, rows, now).await
}

async fn version_count(conn: &mut AsyncMysqlConnection) -> i64 {
    dataset_versions::table
        .count()
        .get_result(conn)
        .await
        .expect("count")
}

async fn row_count(conn: &mut AsyncMysqlConnection) -> i64 {
    dataset_rows::table
        .count()
        .get_result(conn)
        .await
        .expect("count")
}

/// Creates the uploaded "stops" dataset of the publisher `2308000007` at 09:00 on
/// 1 November 2026; returns its id.
async fn stops_dataset(conn: &mut AsyncMysqlConnection) -> DatasetId {
    let identifier = Manage::create_uploaded(
        conn,
        "2308000007",
        &passport("stops"),
        at("2026-11-01 09:00:00"),
    )
    .await
    .expect("created");
    assert_eq!(identifier, "2308000007-stops");
    Datasets::by_identifier(conn, &identifier)
        .await
        .expect("query")
        .expect("exists")
        .id
}

#[tokio::test(flavor = "multi_thread")]
async fn an_upload_is_published_typed_once_a_day_and_only_when_it_changes() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let moderator = test_user(&mut conn, "moderator").await;
    let dataset = stops_dataset(&mut conn).await;

    let first = upload(&mut conn, dataset, moderator, STOPS, "2026-11-01 10:00:00").await;
    assert_eq!(
        first,
        Ok(PublishOutcome::Published {
            version: NaiveDate::from_ymd_opt(2026, 11, 1).expect("date"),
            rows: 2,
            new_structure: true
        })
    );
    let versions = Datasets::versions(&mut conn, dataset)
        .await
        .expect("versions");
    let structure = Datasets::structure(&mut conn, dataset, versions[0].structure)
        .await
        .expect("query")
        .expect("structure");
    let kinds: Vec<ColumnType> = structure.columns.iter().map(|c| c.kind).collect();
    assert_eq!(
        kinds,
        [
            ColumnType::String,
            ColumnType::Number,
            ColumnType::Number,
            ColumnType::Boolean,
            ColumnType::Date
        ]
    );
    assert_eq!(
        (structure.latitude, structure.longitude),
        (Some(1), Some(2))
    );
    let rows = Datasets::rows_after(&mut conn, versions[0].id, 0, 10)
        .await
        .expect("rows");
    let cells: Vec<serde_json::Value> = rows
        .iter()
        .map(|(_, cells)| serde_json::from_str(cells).expect("JSON"))
        .collect();
    assert_eq!(
        cells,
        [
            serde_json::json!(["Театральная площадь", 45.0355, 38.9753, true, "2020-09-01"]),
            serde_json::json!(["Северная", 45.0412, 38.976, false, "2021-03-15"]),
        ]
    );

    // The same day again: versions are dated by the day, so nothing is written.
    let again = upload(&mut conn, dataset, moderator, STOPS, "2026-11-01 18:00:00").await;
    assert_eq!(again, Ok(PublishOutcome::AlreadyToday));
    // The next day with the same rows: rolled back, nothing left behind.
    let (versions_before, rows_before) =
        (version_count(&mut conn).await, row_count(&mut conn).await);
    let same = upload(&mut conn, dataset, moderator, STOPS, "2026-11-02 10:00:00").await;
    assert_eq!(same, Ok(PublishOutcome::Unchanged));
    assert_eq!(version_count(&mut conn).await, versions_before);
    assert_eq!(row_count(&mut conn).await, rows_before);

    // A changed row the day after: a new version with the same structure.
    let changed = STOPS.replace("Северная", "Северная (ул. Красная)");
    let third = upload(
        &mut conn,
        dataset,
        moderator,
        &changed,
        "2026-11-03 10:00:00",
    )
    .await;
    assert!(
        matches!(
            third,
            Ok(PublishOutcome::Published {
                rows: 2,
                new_structure: false,
                ..
            })
        ),
        "{third:?}"
    );
    let versions = Datasets::versions(&mut conn, dataset)
        .await
        .expect("versions");
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0].provenance, "Изменение данных");
    assert_eq!(versions[1].provenance, "Первая публикация");
    // The first version's rows are untouched.
    let old = Datasets::rows_after(&mut conn, versions[1].id, 0, 10)
        .await
        .expect("rows");
    assert!(old[1].1.contains("\"Северная\""), "{old:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reupload_with_the_same_headers_keeps_the_moderators_structure() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let moderator = test_user(&mut conn, "moderator").await;
    let dataset = stops_dataset(&mut conn).await;
    // The moderator renames the first column and gives English descriptions.
    let now = at("2026-11-01 10:00:00");
    let table = read_table(STOPS.as_bytes()).expect("table");
    let proposed = Manage::propose_structure(&mut conn, dataset, &table, now.date())
        .await
        .expect("proposed");
    let mut columns = column_infos(&proposed);
    columns[0].name = "stop_name".into();
    for column in &mut columns {
        column.english = format!("{} (en)", column.name);
    }
    let confirmed = confirmed_structure(&columns, Some((1, 2)), now.date()).expect("valid");
    let id = Manage::stage(
        &mut conn,
        dataset,
        moderator,
        "stops.csv",
        "csv",
        "0",
        2,
        &proposed,
        now,
    )
    .await
    .expect("staged");
    let rows = encode_rows(&table, &confirmed).expect("fits");
    Manage::publish_upload(&mut conn, id, confirmed, rows, now)
        .await
        .expect("published");

    let next =
        Manage::propose_structure(&mut conn, dataset, &table, at("2026-12-01 10:00:00").date())
            .await
            .expect("proposed");
    assert_eq!(next.columns[0].name, "stop_name");
    assert_eq!(next.columns[1].english, "shirota (en)");
    // A file with other headers gets a fresh proposal.
    let other = read_table("Остановка;Маршруты\nТеатральная;5, 7\n".as_bytes()).expect("table");
    let fresh =
        Manage::propose_structure(&mut conn, dataset, &other, at("2026-12-01 10:00:00").date())
            .await
            .expect("proposed");
    assert_eq!(fresh.columns[0].name, "ostanovka");

    // A published upload cannot be published again.
    let again =
        Manage::publish_upload(&mut conn, id, next, Vec::new(), at("2026-12-01 10:00:00")).await;
    assert_eq!(again, Err(AppError::Conflict));
}

#[test]
fn cells_that_do_not_fit_are_listed_with_their_file_rows_and_nothing_is_encoded() {
    let csv = "Название;Широта;Долгота;Мест\nА;45,0;39,0;10\n\nБ;95,5;39,0;много\nВ;45,1;;7\n";
    let table = read_table(csv.as_bytes()).expect("table");
    let mut columns = vec![
        super::model::ColumnInfo {
            name: "name".into(),
            english: "Name".into(),
            russian: "Название".into(),
            kind: "string".into(),
        },
        super::model::ColumnInfo {
            name: "lat".into(),
            english: "Latitude".into(),
            russian: "Широта".into(),
            kind: "number".into(),
        },
        super::model::ColumnInfo {
            name: "lon".into(),
            english: "Longitude".into(),
            russian: "Долгота".into(),
            kind: "number".into(),
        },
        super::model::ColumnInfo {
            name: "places".into(),
            english: "Places".into(),
            russian: "Мест".into(),
            kind: "integer".into(),
        },
    ];
    let today = NaiveDate::from_ymd_opt(2026, 11, 1).expect("date");
    let structure = confirmed_structure(&columns, Some((1, 2)), today).expect("valid");
    let (problems, total) = encode_rows(&table, &structure).expect_err("misfits");
    assert_eq!(total, 2);
    // Line 4 of the file (a blank line 3 is skipped): latitude out of range and a word
    // where a whole number belongs. An empty longitude is a null, which fits.
    let found: Vec<(u32, &str, &str)> = problems
        .iter()
        .map(|p| (p.row, p.column.as_str(), p.expected.as_str()))
        .collect();
    assert_eq!(found, [(4, "lat", "number"), (4, "places", "integer")]);

    // Bad structures are refused per field.
    columns[3].name = "lat".into();
    columns[2].kind = "colour".into();
    columns[1].english = " ".into();
    let Err(AppError::Invalid { errors }) = confirmed_structure(&columns, None, today) else {
        panic!("a bad structure is refused");
    };
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        ["column-1-english", "column-2-kind", "column-3-name"]
    );
    // Coordinates on a text column are refused.
    columns[1].english = "Latitude".into();
    columns[2].kind = "number".into();
    columns[3].name = "places".into();
    assert!(confirmed_structure(&columns, Some((0, 2)), today).is_err());
}

#[tokio::test(flavor = "multi_thread")]
async fn passports_are_checked_and_codes_are_unique() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let mut form = passport("Bad Code");
    form.publisher_mbox = "not-an-email".into();
    form.valid_days = 0;
    form.title_en = String::new();
    let Err(AppError::Invalid { errors }) = check_passport(&form, true) else {
        panic!("refused");
    };
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["title_en", "code", "publisher_mbox", "valid_days"]);
    // The code is only checked for a new dataset.
    form.title_en = "Stops".into();
    form.publisher_mbox = "a@b.ru".into();
    form.valid_days = 7;
    assert_eq!(check_passport(&form, false), Ok(()));

    let now = at("2026-11-01 09:00:00");
    Manage::create_uploaded(&mut conn, "2308000007", &passport("stops"), now)
        .await
        .expect("created");
    assert_eq!(
        Manage::create_uploaded(&mut conn, "2308000007", &passport("stops"), now).await,
        Err(AppError::invalid("code", ErrorCode::Duplicate))
    );
    let (id, _, mut stored) = Manage::passport_form(&mut conn, "2308000007-stops")
        .await
        .expect("query")
        .expect("exists");
    assert_eq!(stored.subject, "транспорт, остановки");
    stored.title_ru = "Остановки транспорта".into();
    Manage::update_passport(&mut conn, id, &stored, now)
        .await
        .expect("updated");
    let info = Datasets::by_identifier(&mut conn, "2308000007-stops")
        .await
        .expect("query")
        .expect("exists");
    assert_eq!(info.title.0, "Остановки транспорта");
    let staged: i64 = dataset_uploads::table
        .count()
        .get_result(&mut conn)
        .await
        .expect("count");
    assert_eq!(staged, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn requests_are_answered_in_public_with_the_dataset_that_answers_them() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let citizen = test_user(&mut conn, "citizen").await;
    let moderator = test_user(&mut conn, "moderator").await;
    let first = Requests::create(
        &mut conn,
        citizen,
        "Остановки",
        "Для приложения",
        at("2026-11-01 09:00:00"),
    )
    .await
    .expect("created");
    Requests::create(
        &mut conn,
        citizen,
        "Парковки",
        "",
        at("2026-11-02 09:00:00"),
    )
    .await
    .expect("created");
    Manage::create_uploaded(
        &mut conn,
        "2308000007",
        &passport("stops"),
        at("2026-11-03 09:00:00"),
    )
    .await
    .expect("created");
    let stops = Datasets::by_identifier(&mut conn, "2308000007-stops")
        .await
        .expect("query")
        .map(|info| info.id);
    Requests::answer(
        &mut conn,
        first,
        moderator,
        "Опубликовали",
        stops,
        at("2026-11-03 10:00:00"),
    )
    .await
    .expect("answered");
    let recent = Requests::recent(&mut conn, 10).await.expect("recent");
    assert_eq!(recent.len(), 2);
    assert_eq!(recent[0].title, "Парковки");
    assert_eq!(recent[0].answer, None);
    assert_eq!(recent[1].author, "citizen");
    assert_eq!(recent[1].answer.as_deref(), Some("Опубликовали"));
    assert_eq!(
        recent[1].dataset,
        Some(("2308000007-stops".to_string(), "Остановки".to_string()))
    );
    assert_eq!(
        Requests::answer(
            &mut conn,
            DatasetRequestId(9_999),
            moderator,
            "?",
            None,
            at("2026-11-03 10:00:00")
        )
        .await,
        Err(AppError::NotFound)
    );
}

/// Issue 19, finding 8: an upload left staged for a week is discarded with its file; a
/// younger one and a published one are kept.
#[tokio::test(flavor = "multi_thread")]
async fn abandoned_uploads_are_discarded_with_their_files() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let moderator = test_user(&mut conn, "moderator").await;
    let dataset = stops_dataset(&mut conn).await;
    upload(&mut conn, dataset, moderator, STOPS, "2026-11-01 10:00:00")
        .await
        .expect("published");
    let table = read_table(STOPS.as_bytes()).expect("a readable table");
    let directory = tempfile::tempdir().expect("a directory");
    let mut staged = Vec::new();
    for time in ["2026-11-02 10:00:00", "2026-11-09 10:00:00"] {
        let structure = Manage::propose_structure(&mut conn, dataset, &table, at(time).date())
            .await
            .expect("proposed");
        let id = Manage::stage(
            &mut conn,
            dataset,
            moderator,
            "stops.csv",
            "csv",
            "0",
            2,
            &structure,
            at(time),
        )
        .await
        .expect("staged");
        std::fs::write(upload_path(directory.path(), id), STOPS).expect("a file");
        staged.push(id);
    }

    let cutoff = at("2026-11-09 09:00:00");
    let discarded = Manage::discard_abandoned(&mut conn, directory.path(), cutoff).await;
    assert_eq!(discarded.expect("sweep"), 1);
    let statuses: Vec<String> = dataset_uploads::table
        .order(dataset_uploads::id)
        .select(dataset_uploads::status)
        .load(&mut conn)
        .await
        .expect("uploads");
    assert_eq!(statuses, ["published", "discarded", "staged"]);
    assert!(!upload_path(directory.path(), staged[0]).exists());
    assert!(upload_path(directory.path(), staged[1]).exists());
    let again = Manage::discard_abandoned(&mut conn, directory.path(), cutoff).await;
    assert_eq!(again.expect("sweep again"), 0);
}
