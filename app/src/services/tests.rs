//! Service ratings against a real MariaDB: one rating per person, offering and month,
//! exact counts under concurrent raters, the catalogue's rules, the providers' answers,
//! the audit of every staff change, and monthly snapshots built once and never changed.

use chrono::{Datelike as _, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel_async::{AsyncMysqlConnection, RunQueryDsl};

use super::jobs::build_due_snapshots_once;
use super::model::{
    ANSWERED, ImportRow, ImportSummary, Marks, OfferingId, RankMethod, RatingTally, ServiceId,
    ValidRating, ValidService, rank_month, read_catalogue,
};
use super::queries::{Services, Snapshots};
use crate::auth::testing::test_user_in;
use crate::organisation::model::{DepartmentId, DepartmentLevel, EntryNames};
use crate::organisation::testing::Cast;
use civic::comments::Comments;
use platform::db::schema::{
    audit_log, comments, departments, notifications, service_rank_rows, service_ratings,
};
use platform::db::testing::TestDb;
use platform::error::{AppError, ErrorCode, FieldError};
use platform::ids::UserId;

/// November 2026, a closed month, and a time inside it.
fn november() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 1).expect("date")
}

/// Noon of `day` of `month`.
fn noon(month: NaiveDate, day: u32) -> NaiveDateTime {
    month
        .with_day0(day - 1)
        .and_then(|date| date.and_hms_opt(12, 0, 0))
        .expect("time")
}

async fn department(conn: &mut AsyncMysqlConnection, slug: &str) -> DepartmentId {
    departments::table
        .filter(departments::slug.eq(slug))
        .select(departments::id)
        .first(conn)
        .await
        .expect("department")
}

fn service(slug: &str, level: DepartmentLevel) -> ValidService {
    ValidService {
        names: EntryNames {
            slug: slug.into(),
            name_ru: "Выдача разрешения на строительство".into(),
            name_en: "Building permits".into(),
            description_ru: String::new(),
            description_en: String::new(),
        },
        level,
        is_active: true,
    }
}

/// A municipal service offered by Krasnodar's and Sochi's administrations, added by the
/// cast's moderator.
struct Catalogue {
    service: ServiceId,
    krasnodar: OfferingId,
    sochi: OfferingId,
}

async fn catalogue(conn: &mut AsyncMysqlConnection, cast: &Cast) -> Catalogue {
    let now = noon(november(), 1);
    let moderator = Some(cast.moderator);
    let service = Services::save(
        conn,
        moderator,
        None,
        &service("permits", DepartmentLevel::Municipal),
        now,
    )
    .await
    .expect("service");
    let krasnodar = department(conn, "admin-krasnodar").await;
    let sochi = department(conn, "admin-sochi").await;
    Catalogue {
        service,
        krasnodar: Services::add_offering(conn, moderator, service, krasnodar, now)
            .await
            .expect("krasnodar"),
        sochi: Services::add_offering(conn, moderator, service, sochi, now)
            .await
            .expect("sochi"),
    }
}

fn rating(
    offering: OfferingId,
    month: NaiveDate,
    marks: (u8, u8, u8),
    comment: &str,
) -> ValidRating {
    ValidRating {
        offering,
        month,
        marks: Marks {
            quality: marks.0,
            convenience: marks.1,
            speed: marks.2,
        },
        comment: comment.into(),
    }
}

fn refused_field(result: Result<ServiceId, AppError>) -> FieldError {
    match result {
        Err(AppError::Invalid { mut errors }) if errors.len() == 1 => errors.remove(0),
        other => panic!("expected one refused field, got {other:?}"),
    }
}

/// `user` rates `offering` for November, on the 3rd.
async fn rate_in_november(
    conn: &mut AsyncMysqlConnection,
    user: UserId,
    offering: OfferingId,
    marks: (u8, u8, u8),
    comment: &str,
) -> Result<ServiceId, AppError> {
    let rating = rating(offering, november(), marks, comment);
    Services::rate(conn, user, &rating, noon(november(), 3)).await
}

async fn stored_marks(conn: &mut AsyncMysqlConnection, user: UserId) -> Vec<(u8, u8, u8)> {
    service_ratings::table
        .filter(service_ratings::user_id.eq(user))
        .select((
            service_ratings::quality,
            service_ratings::convenience,
            service_ratings::speed,
        ))
        .load(conn)
        .await
        .expect("marks")
}

#[tokio::test]
async fn a_rating_is_one_per_person_offering_and_month_and_changes_in_place() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let cast = Cast::new(&mut conn).await;
    let c = catalogue(&mut conn, &cast).await;
    rate_in_november(&mut conn, cast.author, c.krasnodar, (5, 4, 3), "")
        .await
        .expect("rate");
    rate_in_november(&mut conn, cast.author, c.krasnodar, (2, 2, 1), "")
        .await
        .expect("change");
    assert_eq!(stored_marks(&mut conn, cast.author).await, [(2, 2, 1)]);
    // Another provider of the same service is another rating.
    rate_in_november(&mut conn, cast.author, c.sochi, (4, 4, 4), "")
        .await
        .expect("rate sochi");
    let own = Services::own_ratings(&mut conn, cast.author, c.service, november())
        .await
        .expect("own");
    assert_eq!(own.len(), 2);
    let counts = Services::counts(&mut conn, c.service, november())
        .await
        .expect("counts");
    assert_eq!(counts.len(), 2);
    assert!(counts.iter().all(|(_, count)| *count == 1), "{counts:?}");
}

#[tokio::test]
async fn a_second_review_of_one_rating_is_refused_and_changes_nothing() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let cast = Cast::new(&mut conn).await;
    let c = catalogue(&mut conn, &cast).await;
    rate_in_november(&mut conn, cast.author, c.krasnodar, (5, 5, 5), "Быстро")
        .await
        .expect("rate with a review");
    let refused =
        rate_in_november(&mut conn, cast.author, c.krasnodar, (1, 1, 1), "Передумал").await;
    assert_eq!(
        refused_field(refused),
        FieldError::new("comment", ErrorCode::Duplicate)
    );
    assert_eq!(stored_marks(&mut conn, cast.author).await, [(5, 5, 5)]);
    let reviews: Vec<String> = comments::table
        .select(comments::body)
        .load(&mut conn)
        .await
        .expect("comments");
    assert_eq!(reviews, ["Быстро"]);
    // The marks alone may still change.
    rate_in_november(&mut conn, cast.author, c.krasnodar, (1, 1, 1), "")
        .await
        .expect("change the marks");
    assert_eq!(stored_marks(&mut conn, cast.author).await, [(1, 1, 1)]);
}

#[tokio::test]
async fn closed_offerings_and_mismatched_providers_are_refused() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let cast = Cast::new(&mut conn).await;
    let c = catalogue(&mut conn, &cast).await;
    let now = noon(november(), 2);
    Services::set_offering_active(&mut conn, cast.moderator, c.sochi, false, now)
        .await
        .expect("close");
    let refused = rate_in_november(&mut conn, cast.author, c.sochi, (3, 3, 3), "").await;
    assert_eq!(
        refused_field(refused),
        FieldError::new("offering", ErrorCode::NotAllowed)
    );
    assert!(stored_marks(&mut conn, cast.author).await.is_empty());
    let unknown = Services::rate(
        &mut conn,
        cast.author,
        &rating(OfferingId(999_999), november(), (3, 3, 3), ""),
        now,
    )
    .await;
    assert_eq!(
        refused_field(unknown),
        FieldError::new("offering", ErrorCode::Required)
    );
    // A regional ministry does not provide a municipal service, and a provider is added once.
    let ministry = department(&mut conn, "min-social").await;
    let mismatch =
        Services::add_offering(&mut conn, Some(cast.moderator), c.service, ministry, now).await;
    assert!(
        matches!(&mismatch, Err(AppError::Invalid { errors }) if errors[0] == FieldError::new("department", ErrorCode::NotAllowed)),
        "{mismatch:?}"
    );
    let krasnodar = department(&mut conn, "admin-krasnodar").await;
    let twice =
        Services::add_offering(&mut conn, Some(cast.moderator), c.service, krasnodar, now).await;
    assert!(
        matches!(&twice, Err(AppError::Invalid { errors }) if errors[0] == FieldError::new("department", ErrorCode::Duplicate)),
        "{twice:?}"
    );
    let taken = Services::save(
        &mut conn,
        Some(cast.moderator),
        None,
        &service("permits", DepartmentLevel::Regional),
        now,
    )
    .await;
    assert_eq!(
        refused_field(taken),
        FieldError::new("slug", ErrorCode::Duplicate)
    );
}

#[tokio::test]
async fn concurrent_raters_give_exact_counts() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let cast = Cast::new(&mut conn).await;
    let c = catalogue(&mut conn, &cast).await;
    let mut raters = Vec::new();
    for index in 0..60 {
        raters.push(test_user_in(&mut conn, &format!("rater{index}"), cast.krasnodar).await);
    }
    drop(conn);
    // Every rater sends twice at once (a double tap), from separate connections.
    let mut tasks = Vec::new();
    for (index, rater) in raters.iter().chain(raters.iter()).copied().enumerate() {
        let pool = db.pool().clone();
        let mark = 1 + (index % 5) as u8;
        let offering = c.krasnodar;
        tasks.push(tokio::spawn(async move {
            let mut conn = pool.get().await.expect("connection");
            rate_in_november(&mut conn, rater, offering, (mark, mark, mark), "").await
        }));
    }
    let mut refused = 0;
    for task in tasks {
        match task.await.expect("task") {
            Ok(_) => {}
            Err(error @ (AppError::Invalid { .. } | AppError::Forbidden)) => {
                panic!("a valid rating refused: {error:?}")
            }
            // Two taps of one person meet on the rating's key; a tap the database gives
            // up on (a lock wait) is reported, but nothing may be stored twice.
            Err(_) => refused += 1,
        }
    }
    let mut conn = db.conn().await;
    let counts = Services::counts(&mut conn, c.service, november())
        .await
        .expect("counts");
    assert_eq!(counts, [(c.krasnodar, 60)], "{refused} taps refused");
}

/// Ratings of November: Krasnodar five of (5, 5, 5) and one of (1, 2, 3); Sochi three of
/// (4, 4, 4), under the minimum count.
async fn rated_november(conn: &mut AsyncMysqlConnection, cast: &Cast, c: &Catalogue) {
    let mut marks = vec![(c.krasnodar, (5, 5, 5)); 5];
    marks.push((c.krasnodar, (1, 2, 3)));
    marks.extend([(c.sochi, (4, 4, 4)); 3]);
    for (index, (offering, marks)) in marks.into_iter().enumerate() {
        let rater = test_user_in(conn, &format!("november{index}"), cast.krasnodar).await;
        Services::rate(
            conn,
            rater,
            &rating(offering, november(), marks, ""),
            noon(november(), 5),
        )
        .await
        .expect("rate");
    }
}

#[tokio::test]
async fn a_month_is_built_once_with_the_published_method_and_never_changes() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let cast = Cast::new(&mut conn).await;
    let c = catalogue(&mut conn, &cast).await;
    rated_november(&mut conn, &cast, &c).await;
    drop(conn);
    let built_at = noon(november(), 30) + chrono::Duration::days(2);
    // Two instances build the same month at once.
    let builders: Vec<_> = (0..2)
        .map(|_| {
            let pool = db.pool().clone();
            tokio::spawn(async move {
                let mut conn = pool.get().await.expect("connection");
                Snapshots::build(&mut conn, november(), RankMethod::CURRENT, built_at).await
            })
        })
        .collect();
    let mut summaries = Vec::new();
    for builder in builders {
        summaries.push(builder.await.expect("task").expect("build"));
    }
    let built: Vec<_> = summaries.into_iter().flatten().collect();
    assert_eq!(built.len(), 1, "exactly one builder builds the month");
    assert_eq!(built[0].ratings, 9);
    let mut conn = db.conn().await;
    let rows = Snapshots::rows(&mut conn, november()).await.expect("rows");
    assert_eq!(rows.len(), 2);
    // The figures, computed here from the marks: Krasnodar's ratings' means are five 5s
    // and one 2; Sochi's three 4s; the service's mean over all nine is (25 + 2 + 12) / 9.
    let prior = 39.0 / 9.0;
    let weight = f64::from(RankMethod::CURRENT.prior_weight);
    let krasnodar = rows
        .iter()
        .find(|row| row.standing.offering == c.krasnodar)
        .expect("krasnodar");
    assert_eq!(krasnodar.standing.ratings, 6);
    assert!((krasnodar.standing.mean_quality - 26.0 / 6.0).abs() < 1e-9);
    assert!((krasnodar.standing.service_mean - prior).abs() < 1e-9);
    assert!((krasnodar.standing.score - (weight * prior + 27.0) / (weight + 6.0)).abs() < 1e-9);
    assert_eq!(
        (
            krasnodar.standing.rank_in_service,
            krasnodar.standing.rank_overall
        ),
        (Some(1), Some(1))
    );
    let sochi = rows
        .iter()
        .find(|row| row.standing.offering == c.sochi)
        .expect("sochi");
    assert_eq!(sochi.standing.ratings, 3);
    assert_eq!(
        (sochi.standing.rank_in_service, sochi.standing.rank_overall),
        (None, None)
    );
    // A late rating of November, and a second build, change nothing published.
    let late = test_user_in(&mut conn, "late", cast.krasnodar).await;
    Services::rate(
        &mut conn,
        late,
        &rating(c.sochi, november(), (5, 5, 5), ""),
        built_at,
    )
    .await
    .expect("late rating");
    let again = Snapshots::build(
        &mut conn,
        november(),
        RankMethod::CURRENT,
        built_at + chrono::Duration::days(1),
    )
    .await
    .expect("build again");
    assert_eq!(again, None);
    assert_eq!(
        Snapshots::rows(&mut conn, november()).await.expect("rows"),
        rows
    );
    let summary = Snapshots::summary(&mut conn, november())
        .await
        .expect("summary")
        .expect("built");
    assert_eq!(
        (summary.ratings, summary.built_at, summary.method),
        (9, built_at, RankMethod::CURRENT)
    );
    // The stored rows are what the published method computes from the published counts.
    let tallies: Vec<RatingTally> = rows
        .iter()
        .map(|row| RatingTally {
            offering: row.standing.offering,
            service: row.service,
            ratings: row.standing.ratings,
            quality: (row.standing.mean_quality * f64::from(row.standing.ratings)).round() as u32,
            convenience: (row.standing.mean_convenience * f64::from(row.standing.ratings)).round()
                as u32,
            speed: (row.standing.mean_speed * f64::from(row.standing.ratings)).round() as u32,
        })
        .collect();
    let recomputed = rank_month(&tallies, RankMethod::CURRENT);
    for (row, standing) in rows.iter().zip(recomputed) {
        assert!((row.standing.score - standing.score).abs() < 1e-9);
        assert_eq!(row.standing.rank_overall, standing.rank_overall);
    }
}

#[tokio::test]
async fn the_job_builds_the_months_due_under_its_lease() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let cast = Cast::new(&mut conn).await;
    let c = catalogue(&mut conn, &cast).await;
    rated_november(&mut conn, &cast, &c).await;
    // 2 December, 03:00 in Krasnodar: November is closed, December open.
    let now = noon(NaiveDate::from_ymd_opt(2026, 12, 1).expect("date"), 2);
    let built = build_due_snapshots_once(&mut conn, "instance-a", now)
        .await
        .expect("job")
        .expect("the lease");
    let months: Vec<NaiveDate> = built.iter().map(|summary| summary.month).collect();
    assert_eq!(months, [november()]);
    // The next tick finds nothing due.
    let next =
        build_due_snapshots_once(&mut conn, "instance-a", now + chrono::Duration::minutes(1))
            .await
            .expect("job");
    assert_eq!(next.map(|built| built.len()), Some(0));
    // While another instance holds the lease, this one does nothing.
    platform::jobs::try_lease(
        &mut conn,
        super::jobs::SNAPSHOT_JOB,
        "instance-b",
        now + chrono::Duration::minutes(2),
        chrono::Duration::minutes(10),
    )
    .await
    .expect("lease");
    let held =
        build_due_snapshots_once(&mut conn, "instance-a", now + chrono::Duration::minutes(3))
            .await
            .expect("job");
    assert_eq!(held, None);
    let stored: i64 = service_rank_rows::table
        .count()
        .get_result(&mut conn)
        .await
        .expect("rows");
    assert_eq!(stored, 2);
}

#[tokio::test]
async fn only_the_rated_provider_answers_a_review_and_staff_changes_are_audited() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let cast = Cast::new(&mut conn).await;
    let level: String = departments::table
        .find(cast.department)
        .select(departments::level)
        .first(&mut conn)
        .await
        .expect("level");
    let level = DepartmentLevel::from_db(&level).expect("a level");
    let now = noon(november(), 4);
    let service = Services::save(
        &mut conn,
        Some(cast.moderator),
        None,
        &service("roads", level),
        now,
    )
    .await
    .expect("service");
    let offering = Services::add_offering(
        &mut conn,
        Some(cast.moderator),
        service,
        cast.department,
        now,
    )
    .await
    .expect("offering");
    rate_in_november(
        &mut conn,
        cast.author,
        offering,
        (2, 3, 1),
        "Долго ждали ответа",
    )
    .await
    .expect("rate");
    let review = Comments::page(&mut conn, service.subject(), None, None)
        .await
        .expect("discussion")
        .threads[0]
        .id;
    let other_department = department(&mut conn, "min-culture").await;
    for (who, departments) in [
        (cast.author, vec![]),
        (cast.official, vec![other_department]),
    ] {
        let refused = Services::answer(&mut conn, who, &departments, review, "Ответ", now).await;
        assert!(matches!(refused, Err(AppError::Forbidden)), "{refused:?}");
    }
    Services::answer(
        &mut conn,
        cast.official,
        &[cast.department],
        review,
        "Сократим срок",
        now,
    )
    .await
    .expect("answer");
    let threads = Comments::page(&mut conn, service.subject(), None, None)
        .await
        .expect("discussion")
        .threads;
    assert_eq!(threads.len(), 1);
    assert_eq!(threads[0].replies.len(), 1);
    assert_eq!(threads[0].replies[0].body, "Сократим срок");
    // The reviewer is told, once.
    let told: Vec<(String, String, u64)> = notifications::table
        .filter(notifications::user_id.eq(cast.author))
        .select((
            notifications::kind,
            notifications::subject_kind,
            notifications::subject_id,
        ))
        .load(&mut conn)
        .await
        .expect("notifications");
    assert_eq!(
        told,
        [(ANSWERED.to_string(), "gov_service".to_string(), service.0)]
    );
    let rated = Services::rated_comments(&mut conn, service)
        .await
        .expect("rated");
    assert_eq!(rated.len(), 1);
    assert_eq!(
        (rated[0].comment, rated[0].department_id),
        (review, cast.department)
    );
    Services::set_offering_active(&mut conn, cast.moderator, offering, false, now)
        .await
        .expect("close");
    let actions: Vec<(Option<UserId>, String, String, Option<u64>)> = audit_log::table
        .order(audit_log::id.asc())
        .select((
            audit_log::actor_user_id,
            audit_log::action,
            audit_log::target_kind,
            audit_log::target_id,
        ))
        .load(&mut conn)
        .await
        .expect("audit");
    let target = (String::from("gov_service"), Some(service.0));
    let expected = [
        (Some(cast.moderator), "service.create"),
        (Some(cast.moderator), "service.offering.add"),
        (Some(cast.official), "service.answer"),
        (Some(cast.moderator), "service.offering.active"),
    ];
    let recorded: Vec<_> = actions
        .into_iter()
        .filter(|(_, _, kind, id)| (kind.clone(), *id) == target)
        .map(|(actor, action, _, _)| (actor, action))
        .collect();
    assert_eq!(
        recorded,
        expected.map(|(actor, action)| (actor, action.to_string()))
    );
}

#[tokio::test]
async fn the_demo_has_a_year_of_ranked_months_and_is_made_once() {
    let db = TestDb::new().await;
    crate::seed::seed_demo_for_test(db.pool()).await;
    let mut conn = db.conn().await;
    let months = Snapshots::months(&mut conn).await.expect("months");
    assert_eq!(months.len(), 12);
    for month in &months {
        let rows = Snapshots::rows(&mut conn, *month).await.expect("rows");
        assert!(rows.iter().any(|row| row.standing.rank_overall == Some(1)));
        // One provider stays below the minimum every month.
        assert!(rows.iter().any(|row| row.standing.rank_overall.is_none()));
    }
    assert_eq!(
        Services::catalogue(&mut conn)
            .await
            .expect("catalogue")
            .len(),
        4
    );
    let again = super::seed::seed_services(&mut conn, platform::clock::now())
        .await
        .expect("seed again");
    assert_eq!(again, 0);
}

/// A catalogue sheet with the columns code, names, level and providers.
fn catalogue_sheet(rows: &[[&str; 5]]) -> Vec<ImportRow> {
    let headers: Vec<String> = [
        "Код",
        "Название",
        "Название (англ.)",
        "Уровень",
        "Исполнители",
    ]
    .map(String::from)
    .to_vec();
    let rows: Vec<(u32, Vec<Option<String>>)> = rows
        .iter()
        .enumerate()
        .map(|(index, cells)| {
            let cells = cells
                .iter()
                .map(|cell| (!cell.is_empty()).then(|| cell.to_string()))
                .collect();
            (index as u32 + 2, cells)
        })
        .collect();
    read_catalogue(&headers, &rows).expect("a readable sheet")
}

async fn import_audits(conn: &mut AsyncMysqlConnection, actor: UserId) -> Vec<String> {
    audit_log::table
        .filter(audit_log::actor_user_id.eq(actor))
        .filter(audit_log::action.like("service.%"))
        .order(audit_log::id)
        .select(audit_log::action)
        .load(conn)
        .await
        .expect("audit")
}

#[tokio::test]
async fn a_catalogue_spreadsheet_adds_and_changes_services_or_writes_nothing() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let cast = Cast::new(&mut conn).await;
    let now = noon(november(), 20);
    let first = catalogue_sheet(&[
        [
            "passport-help",
            "Помощь с паспортом",
            "Passport help",
            "региональная",
            "min-social",
        ],
        [
            "yard-permit",
            "Разрешение на благоустройство двора",
            "Yard works permit",
            "муниципальная",
            "admin-krasnodar; admin-sochi",
        ],
    ]);
    let summary = Services::import(&mut conn, cast.moderator, &first, now)
        .await
        .expect("import");
    assert_eq!(
        summary,
        ImportSummary {
            created: 2,
            updated: 0,
            providers_added: 3
        }
    );
    let catalogue_now = Services::catalogue(&mut conn).await.expect("catalogue");
    let yard = catalogue_now
        .iter()
        .find(|service| service.slug == "yard-permit")
        .expect("added");
    assert_eq!(yard.level, DepartmentLevel::Municipal);
    assert_eq!(yard.offerings.len(), 2);
    assert!(yard.is_active);
    // A closed service stays closed when the sheet changes it; a provider is added once.
    Services::save(
        &mut conn,
        Some(cast.moderator),
        Some(yard.id),
        &ValidService {
            is_active: false,
            ..service("yard-permit", DepartmentLevel::Municipal)
        },
        now,
    )
    .await
    .expect("close it");
    let second = catalogue_sheet(&[[
        "yard-permit",
        "Разрешение на работы во дворе",
        "Yard works permit",
        "municipal",
        "admin-krasnodar; admin-anapa",
    ]]);
    let summary = Services::import(&mut conn, cast.moderator, &second, now)
        .await
        .expect("import again");
    assert_eq!(
        summary,
        ImportSummary {
            created: 0,
            updated: 1,
            providers_added: 1
        }
    );
    let yard = Services::get(&mut conn, yard.id)
        .await
        .expect("get")
        .expect("the service");
    assert_eq!(
        (yard.name_ru.as_str(), yard.is_active, yard.offerings.len()),
        ("Разрешение на работы во дворе", false, 3)
    );
    let audits = import_audits(&mut conn, cast.moderator).await;
    let before = audits.len();
    assert_eq!(
        audits,
        [
            "service.create",
            "service.offering.add",
            "service.create",
            "service.offering.add",
            "service.offering.add",
            "service.update",
            "service.update",
            "service.offering.add",
        ]
    );
    // An unknown department and a provider of the other level refuse the whole sheet,
    // named by row, and nothing of its first, valid row is written.
    let refused = catalogue_sheet(&[
        [
            "new-service",
            "Новая услуга",
            "New service",
            "региональная",
            "",
        ],
        [
            "other",
            "Другая",
            "Other",
            "региональная",
            "no-such-department",
        ],
        [
            "third",
            "Третья",
            "Third",
            "региональная",
            "admin-krasnodar",
        ],
    ]);
    let unknown = Services::import(&mut conn, cast.moderator, &refused, now).await;
    match unknown {
        Err(AppError::Invalid { errors }) => assert_eq!(
            errors,
            vec![FieldError::new(
                "row3.providers",
                ErrorCode::UnknownDepartment
            )]
        ),
        other => panic!("expected the unknown department refused, got {other:?}"),
    }
    let wrong_level = Services::import(&mut conn, cast.moderator, &refused[2..], now).await;
    match wrong_level {
        Err(AppError::Invalid { errors }) => assert_eq!(
            errors,
            vec![FieldError::new("row4.providers", ErrorCode::NotAllowed)]
        ),
        other => panic!("expected the municipal provider refused, got {other:?}"),
    }
    let with_valid_first = [refused[0].clone(), refused[2].clone()];
    assert!(
        Services::import(&mut conn, cast.moderator, &with_valid_first, now)
            .await
            .is_err()
    );
    let slugs: Vec<String> = Services::catalogue(&mut conn)
        .await
        .expect("catalogue")
        .into_iter()
        .map(|service| service.slug)
        .collect();
    assert!(!slugs.contains(&"new-service".to_string()), "{slugs:?}");
    assert!(!slugs.contains(&"third".to_string()), "{slugs:?}");
    assert_eq!(import_audits(&mut conn, cast.moderator).await.len(), before);
}
