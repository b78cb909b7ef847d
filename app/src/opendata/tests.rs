//! Database tests of the open-data publication against a real MariaDB: live datasets are
//! published once a day, only when their rows or columns changed, old versions stay as
//! they were, and stored rows read back as values of their structure's types.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::format::{ColumnType, DataWriter, Format, Value};
use super::jobs::publish_once_a_day;
use super::live::{LIVE_DATASETS, LiveColumn, LiveDataset};
use super::model::{DatasetVersionId, PublishOutcome};
use super::queries::{Datasets, Publisher};
use super::rows::row_values;
use platform::db::schema::{dataset_rows, municipalities};
use platform::db::testing::TestDb;

fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").expect("a valid test time")
}

fn day(text: &str) -> NaiveDate {
    at(&format!("{text} 03:00:00")).date()
}

fn live(key: &str) -> &'static LiveDataset {
    LiveDataset::find(key).expect("a live dataset")
}

/// Publishes `dataset` at `time` (the version is the time's day).
async fn publish_at(
    conn: &mut diesel_async::AsyncMysqlConnection,
    dataset: &'static LiveDataset,
    time: &str,
) -> PublishOutcome {
    let now = at(time);
    Datasets::publish_live(conn, dataset, now.date(), now)
        .await
        .unwrap_or_else(|error| panic!("{} at {time}: {error}", dataset.key))
}

async fn stored_rows(conn: &mut diesel_async::AsyncMysqlConnection) -> i64 {
    dataset_rows::table
        .count()
        .get_result(conn)
        .await
        .expect("count")
}

async fn all_rows(
    conn: &mut diesel_async::AsyncMysqlConnection,
    version: DatasetVersionId,
) -> Vec<(u32, String)> {
    let mut rows = Vec::new();
    let mut after = 0;
    loop {
        let page = Datasets::rows_after(conn, version, after, 7)
            .await
            .expect("a page of rows");
        let Some(&(last, _)) = page.last() else {
            return rows;
        };
        after = last;
        rows.extend(page);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn live_datasets_publish_once_a_day_and_only_when_they_change() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let publisher = Publisher::demo();
    let first = Datasets::publish_all_live(
        &mut conn,
        &publisher,
        day("2026-11-01"),
        at("2026-11-01 03:00:00"),
    )
    .await
    .expect("first publication");
    assert_eq!(first.len(), LIVE_DATASETS.len());
    for (key, outcome) in &first {
        assert!(
            matches!(
                outcome,
                PublishOutcome::Published {
                    new_structure: true,
                    ..
                }
            ),
            "{key}: {outcome:?}"
        );
    }
    assert!(first.contains(&(
        "municipalities",
        PublishOutcome::Published {
            version: day("2026-11-01"),
            rows: 44,
            new_structure: true
        }
    )));

    // The same day again: one version per day.
    let again = publish_at(&mut conn, live("municipalities"), "2026-11-01 09:00:00").await;
    assert_eq!(again, PublishOutcome::AlreadyToday);
    // The next day, nothing changed: no new version, and the copy was rolled back.
    let rows_before: i64 = stored_rows(&mut conn).await;
    let unchanged = publish_at(&mut conn, live("municipalities"), "2026-11-02 03:00:00").await;
    assert_eq!(unchanged, PublishOutcome::Unchanged);
    let rows_after: i64 = stored_rows(&mut conn).await;
    assert_eq!(rows_after, rows_before);

    // A renamed municipality: a new version; the old one keeps the old name.
    diesel::update(municipalities::table.filter(municipalities::slug.eq("sochi")))
        .set(municipalities::centre_name_ru.eq("г. Сочи"))
        .execute(&mut conn)
        .await
        .expect("rename");
    let changed = publish_at(&mut conn, live("municipalities"), "2026-11-03 03:00:00").await;
    assert_eq!(
        changed,
        PublishOutcome::Published {
            version: day("2026-11-03"),
            rows: 44,
            new_structure: false
        }
    );
    let info = Datasets::by_identifier(&mut conn, &format!("{}-municipalities", publisher.inn))
        .await
        .expect("lookup")
        .expect("the dataset");
    let versions = Datasets::versions(&mut conn, info.id)
        .await
        .expect("versions");
    assert_eq!(
        versions
            .iter()
            .map(|v| (v.version, v.provenance.as_str()))
            .collect::<Vec<_>>(),
        vec![
            (day("2026-11-03"), "Изменение данных"),
            (day("2026-11-01"), "Первая публикация"),
        ]
    );
    let centre_of_sochi = |rows: &[(u32, String)]| {
        rows.iter()
            .find(|(_, cells)| cells.contains("\"sochi\""))
            .map(|(_, cells)| cells.clone())
            .expect("Sochi's row")
    };
    let new_rows = all_rows(&mut conn, versions[0].id).await;
    let old_rows = all_rows(&mut conn, versions[1].id).await;
    assert_eq!((new_rows.len(), old_rows.len()), (44, 44));
    assert!(centre_of_sochi(&new_rows).contains("г. Сочи"));
    assert!(!centre_of_sochi(&old_rows).contains("г. Сочи"));
    assert_eq!(
        new_rows.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
        (1..=44).collect::<Vec<u32>>(),
        "keyset pages cover every row once, in order"
    );

    // New columns: a new structure version, even with the same rows.
    let widened: &'static LiveDataset = Box::leak(Box::new(LiveDataset {
        columns: Box::leak(
            [
                live("themes").columns,
                &[LiveColumn {
                    name: "premoderated",
                    english: "Whether reports wait for a moderator",
                    russian: "Премодерация",
                    kind: ColumnType::Integer,
                    sql: "t.premoderation",
                }],
            ]
            .concat()
            .into_boxed_slice(),
        ),
        ..*live("themes")
    }));
    let restructured = publish_at(&mut conn, widened, "2026-11-04 03:00:00").await;
    assert!(
        matches!(
            restructured,
            PublishOutcome::Published {
                new_structure: true,
                ..
            }
        ),
        "{restructured:?}"
    );
    let themes = Datasets::by_identifier(&mut conn, &format!("{}-problem-themes", publisher.inn))
        .await
        .expect("lookup")
        .expect("themes");
    assert_eq!(
        Datasets::structure_versions(&mut conn, themes.id)
            .await
            .expect("structures"),
        vec![day("2026-11-04"), day("2026-11-01")]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn stored_rows_read_back_as_typed_values_and_write_as_files() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let publisher = Publisher::demo();
    Datasets::publish_all_live(
        &mut conn,
        &publisher,
        day("2026-11-01"),
        at("2026-11-01 03:00:00"),
    )
    .await
    .expect("publication");
    for dataset in LIVE_DATASETS {
        let info =
            Datasets::by_identifier(&mut conn, &format!("{}-{}", publisher.inn, dataset.code))
                .await
                .expect("lookup")
                .expect("the dataset");
        let versions = Datasets::versions(&mut conn, info.id)
            .await
            .expect("versions");
        let structure = Datasets::structure(&mut conn, info.id, versions[0].structure)
            .await
            .expect("structure")
            .expect("a structure");
        assert_eq!(
            structure.columns,
            dataset.structure(day("2026-11-01")).columns
        );
        let mut file = DataWriter::new(Vec::new(), &structure, Format::Csv).expect("a writer");
        for (number, cells) in all_rows(&mut conn, versions[0].id).await {
            let values = row_values(&cells, &structure)
                .unwrap_or_else(|error| panic!("{} row {number}: {error}", dataset.key));
            for (value, column) in values.iter().zip(&structure.columns) {
                let fits = matches!(
                    (value, column.kind),
                    (Value::Null, _)
                        | (Value::Text(_), ColumnType::String)
                        | (Value::Integer(_), ColumnType::Integer)
                        | (Value::Number(_), ColumnType::Number)
                        | (Value::Date(_), ColumnType::Date)
                        | (Value::Boolean(_), ColumnType::Boolean)
                );
                assert!(fits, "{} {}: {value:?}", dataset.key, column.name);
            }
            file.write_row(&values).expect("a row");
        }
        let bytes = file.finish().expect("the file");
        let text = String::from_utf8(bytes).expect("UTF-8");
        let header: Vec<&str> = dataset.columns.iter().map(|c| c.name).collect();
        assert!(
            text.starts_with(&format!("{}\r\n", header.join(","))),
            "{}",
            dataset.key
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_daily_job_publishes_after_its_hour_once_per_day() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let publisher = Publisher::demo();
    let early = publish_once_a_day(&mut conn, "a", &publisher, 2, at("2026-11-05 01:59:00"))
        .await
        .expect("too early");
    assert_eq!(early, None);
    let ran = publish_once_a_day(&mut conn, "a", &publisher, 2, at("2026-11-05 02:00:00"))
        .await
        .expect("runs")
        .expect("published");
    assert_eq!(ran.len(), LIVE_DATASETS.len());
    // Another instance, later the same day: nothing to do.
    let later = publish_once_a_day(&mut conn, "b", &publisher, 2, at("2026-11-05 14:00:00"))
        .await
        .expect("later");
    assert_eq!(later, None);
    // The next day it runs again (nothing changed, so no new versions).
    let next = publish_once_a_day(&mut conn, "b", &publisher, 2, at("2026-11-06 02:01:00"))
        .await
        .expect("next day")
        .expect("ran");
    assert!(
        next.iter()
            .all(|(_, outcome)| *outcome == PublishOutcome::Unchanged),
        "{next:?}"
    );
}
