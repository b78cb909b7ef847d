//! Database tests of the staged-photo cleanup, against a real MariaDB (one database per
//! test) and a scratch media directory.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl};

use super::jobs::{PhotoCleanup, clean_up_staged, clean_up_staged_once, photo_files};
use crate::auth::model::UserId;
use crate::auth::testing::test_user;
use crate::constructions::model::{ReportKind, ValidReport};
use crate::constructions::queries::Reports;
use crate::geography::model::MunicipalityId;
use crate::organisation::model::{DepartmentId, ThemeId};
use crate::problems::model::{ProblemId, ValidProblem};
use crate::problems::queries::Problems;
use civic::photos::{NewPhoto, Photos};
use platform::db::schema::{departments, municipalities, photos, themes};
use platform::db::testing::TestDb;
use platform::error::{AppError, ErrorCode};
use platform::geo::LatLon;
use platform::media::MediaStore;

fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").expect("a valid test time")
}

const KRASNODAR: LatLon = LatLon {
    lat: 45.0355,
    lon: 38.9753,
};

/// A 32-hex-digit handle (token and file key alike) made from `n`.
fn handle(n: u32) -> String {
    format!("{n:032x}")
}

/// Stages a photo with handle `n` uploaded at `uploaded`, with both files on disk.
async fn staged(
    conn: &mut AsyncMysqlConnection,
    media: &MediaStore,
    uploader: UserId,
    n: u32,
    uploaded: NaiveDateTime,
) -> String {
    let key = handle(n);
    let photo = NewPhoto {
        uploader,
        token: &key,
        file_key: &key,
        width: 800,
        height: 600,
        bytes: 1000,
    };
    Photos::stage(conn, photo, uploaded).await.expect("stage");
    for name in photo_files(&key).expect("a plain key") {
        media.put(&name, b"jpeg").await.expect("write a file");
    }
    key
}

async fn files_exist(media: &MediaStore, key: &str) -> [bool; 2] {
    let [image, thumb] = photo_files(key).expect("a plain key");
    let exists = async |name| media.contains(&name).await.expect("a readable directory");
    [exists(image).await, exists(thumb).await]
}

async fn tokens_left(conn: &mut AsyncMysqlConnection) -> Vec<String> {
    photos::table
        .select(photos::token)
        .order(photos::token.asc())
        .load(conn)
        .await
        .expect("photos")
}

async fn krasnodar(conn: &mut AsyncMysqlConnection) -> MunicipalityId {
    municipalities::table
        .filter(municipalities::slug.eq("krasnodar"))
        .select(municipalities::id)
        .first(conn)
        .await
        .expect("krasnodar")
}

fn problem_with(photo_tokens: Vec<String>, theme_id: ThemeId) -> ValidProblem {
    ValidProblem {
        theme_id,
        point: KRASNODAR,
        address: "ул. Красная, 1".into(),
        title: "Яма на дороге".into(),
        description: "Глубокая яма посреди полосы.".into(),
        photo_tokens,
        client_id: None,
    }
}

async fn road_theme(conn: &mut AsyncMysqlConnection) -> ThemeId {
    themes::table
        .filter(themes::slug.eq("road-damage"))
        .select(themes::id)
        .first(conn)
        .await
        .expect("road theme")
}

/// Files a problem report carrying `photo_tokens`, as the report form does.
async fn report_problem(
    conn: &mut AsyncMysqlConnection,
    author: UserId,
    photo_tokens: Vec<String>,
    now: NaiveDateTime,
) -> Result<ProblemId, AppError> {
    let problem = problem_with(photo_tokens, road_theme(conn).await);
    let municipality = krasnodar(conn).await;
    conn.transaction(async move |conn| {
        Problems::create(conn, author, &problem, municipality, "web", now).await
    })
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn old_staged_photos_lose_row_and_files_while_young_and_attached_ones_stay() {
    let db = TestDb::new().await;
    let directory = tempfile::tempdir().expect("a media directory");
    let media = MediaStore::in_directory(directory.path());
    let mut conn = db.conn().await;
    let author = test_user(&mut conn, "author").await;
    let uploaded = at("2026-03-01 10:00:00");
    let abandoned = staged(&mut conn, &media, author, 1, uploaded).await;
    let files_gone = staged(&mut conn, &media, author, 2, uploaded).await;
    for name in photo_files(&files_gone).expect("a plain key") {
        media.remove(&name).await.expect("remove");
    }
    let young = staged(&mut conn, &media, author, 3, at("2026-03-02 09:00:00")).await;
    let in_problem = staged(&mut conn, &media, author, 4, uploaded).await;
    let in_construction_report = staged(&mut conn, &media, author, 5, uploaded).await;
    report_problem(&mut conn, author, vec![in_problem.clone()], uploaded)
        .await
        .expect("a problem takes its photo");
    let department: DepartmentId = departments::table
        .filter(departments::slug.eq("admin-krasnodar"))
        .select(departments::id)
        .first(&mut conn)
        .await
        .expect("Krasnodar's administration");
    let construction_report = ValidReport {
        kind: ReportKind::NotInRegistry,
        construction_id: None,
        aspect: None,
        point: Some(KRASNODAR),
        address: "ул. Уральская, 100".into(),
        description: "Строят без разрешения и без паспорта объекта.".into(),
        photo_tokens: vec![in_construction_report.clone()],
    };
    let municipality = krasnodar(&mut conn).await;
    Reports::create(
        &mut conn,
        author,
        &construction_report,
        KRASNODAR,
        municipality,
        department,
        uploaded,
    )
    .await
    .expect("a construction report takes its photo");

    // A second later than a day after the upload: the two abandoned photos are due.
    let now = uploaded + Duration::hours(24) + Duration::seconds(1);
    let report = clean_up_staged(&mut conn, &media, now)
        .await
        .expect("cleanup");
    assert_eq!(
        report,
        PhotoCleanup {
            removed: 2,
            files_failed: 0
        },
        "a file already missing is not a failure"
    );
    let mut kept = vec![
        young.clone(),
        in_problem.clone(),
        in_construction_report.clone(),
    ];
    kept.sort();
    assert_eq!(tokens_left(&mut conn).await, kept);
    assert_eq!(files_exist(&media, &abandoned).await, [false, false]);
    for key in [&young, &in_problem, &in_construction_report] {
        assert_eq!(files_exist(&media, key).await, [true, true], "{key}");
    }

    // A report still holding the removed handle is refused whole: upload again.
    assert_eq!(
        report_problem(&mut conn, author, vec![abandoned], now).await,
        Err(AppError::invalid("photos", ErrorCode::PhotoMissing))
    );
    let again = clean_up_staged(&mut conn, &media, now)
        .await
        .expect("cleanup");
    assert_eq!(again, PhotoCleanup::default(), "nothing left to do");
}

/// Stages `count` photos uploaded at `uploaded`, handles from `first` on, in one INSERT
/// (without files: the cleanup accepts missing ones).
async fn backlog(
    conn: &mut AsyncMysqlConnection,
    uploader: UserId,
    first: u32,
    count: u32,
    uploaded: NaiveDateTime,
) {
    let rows: Vec<_> = (first..first + count)
        .map(|n| {
            (
                photos::uploader_id.eq(uploader),
                photos::token.eq(handle(n)),
                photos::file_key.eq(handle(n)),
                photos::width.eq(800u32),
                photos::height.eq(600u32),
                photos::bytes.eq(1000u32),
                photos::created_at.eq(uploaded),
            )
        })
        .collect();
    diesel::insert_into(photos::table)
        .values(rows)
        .execute(conn)
        .await
        .expect("a backlog");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_backlog_goes_in_rounds_and_overlapping_runs_remove_each_photo_once() {
    let db = TestDb::new().await;
    let directory = tempfile::tempdir().expect("a media directory");
    let media = MediaStore::in_directory(directory.path());
    let mut conn = db.conn().await;
    let author = test_user(&mut conn, "author").await;
    let uploaded = at("2026-03-01 10:00:00");
    let now = at("2026-03-05 10:00:00");

    // More than two rounds' worth: one run takes them all.
    backlog(&mut conn, author, 0, 1_100, uploaded).await;
    let report = clean_up_staged(&mut conn, &media, now)
        .await
        .expect("cleanup");
    assert_eq!(report.removed, 1_100);
    assert!(tokens_left(&mut conn).await.is_empty());

    // Runs that overlap (one outlived its lease, say) never fail and never count a photo
    // twice; one that found only photos others took stops, and the next run goes on.
    backlog(&mut conn, author, 10_000, 1_100, uploaded).await;
    drop(conn);
    let mut tasks = Vec::new();
    for _ in 0..3 {
        let (pool, media) = (db.pool().clone(), media.clone());
        tasks.push(tokio::spawn(async move {
            let mut conn = pool.get().await.expect("connection");
            clean_up_staged(&mut conn, &media, now)
                .await
                .expect("an overlapping run does not fail")
        }));
    }
    let mut removed = 0;
    for task in tasks {
        removed += task.await.expect("task").removed;
    }
    let mut conn = db.conn().await;
    removed += clean_up_staged(&mut conn, &media, now)
        .await
        .expect("cleanup")
        .removed;
    assert_eq!(removed, 1_100);
    assert!(tokens_left(&mut conn).await.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn of_several_instances_at_once_one_acts_and_the_others_do_not_fail() {
    let db = TestDb::new().await;
    let directory = tempfile::tempdir().expect("a media directory");
    let media = MediaStore::in_directory(directory.path());
    let mut conn = db.conn().await;
    let author = test_user(&mut conn, "author").await;
    for n in 0..5 {
        staged(&mut conn, &media, author, n, at("2026-03-01 10:00:00")).await;
    }
    drop(conn);
    let now = at("2026-03-03 10:00:00");
    let mut tasks = Vec::new();
    for instance in 0..6 {
        let (pool, media) = (db.pool().clone(), media.clone());
        tasks.push(tokio::spawn(async move {
            let mut conn = pool.get().await.expect("connection");
            clean_up_staged_once(&mut conn, &format!("instance-{instance}"), &media, now)
                .await
                .expect("no instance fails")
        }));
    }
    let (mut acted, mut removed) = (0, 0);
    for task in tasks {
        if let Some(report) = task.await.expect("task") {
            acted += 1;
            removed += report.removed;
        }
    }
    assert!(acted >= 1, "someone ran the cleanup");
    assert_eq!(removed, 5, "each photo was removed exactly once");
    let mut conn = db.conn().await;
    let later = clean_up_staged_once(
        &mut conn,
        "instance-late",
        &media,
        now + Duration::minutes(1),
    )
    .await
    .expect("run");
    assert_eq!(
        later,
        Some(PhotoCleanup::default()),
        "a released lease is taken again, with nothing left to do"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_report_attaching_an_old_photo_during_the_cleanup_keeps_it() {
    let db = TestDb::new().await;
    let directory = tempfile::tempdir().expect("a media directory");
    let media = MediaStore::in_directory(directory.path());
    let mut conn = db.conn().await;
    let author = test_user(&mut conn, "author").await;
    let uploaded = at("2026-03-01 10:00:00");
    let key = staged(&mut conn, &media, author, 7, uploaded).await;
    let now = at("2026-03-02 12:00:00");

    // The report's transaction attaches the photo and holds its row lock for a while; the
    // cleanup, started meanwhile, still lists the photo as staged (the attachment is not
    // committed), and its guarded DELETE waits for the lock and then finds it attached.
    let (attached_tx, attached_rx) = tokio::sync::oneshot::channel();
    let problem = problem_with(vec![key.clone()], road_theme(&mut conn).await);
    let municipality = krasnodar(&mut conn).await;
    let reporting = tokio::spawn(async move {
        conn.transaction(async move |conn| {
            let id = Problems::create(conn, author, &problem, municipality, "web", now).await?;
            let _ = attached_tx.send(());
            tokio::time::sleep(std::time::Duration::from_millis(500)).await;
            Ok::<_, AppError>(id)
        })
        .await
    });
    attached_rx.await.expect("the report attached its photo");
    let mut cleaner = db.conn().await;
    let report = clean_up_staged(&mut cleaner, &media, now)
        .await
        .expect("cleanup");
    let problem = reporting
        .await
        .expect("task")
        .expect("the report is created with its photo");

    assert_eq!(report.removed, 0);
    let attached_to: Option<(Option<String>, Option<u64>)> = photos::table
        .filter(photos::token.eq(&key))
        .select((photos::subject_kind, photos::subject_id))
        .first(&mut cleaner)
        .await
        .optional()
        .expect("photo");
    assert_eq!(attached_to, Some((Some("problem".into()), Some(problem.0))));
    assert_eq!(files_exist(&media, &key).await, [true, true]);
}
