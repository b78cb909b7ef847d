//! Challenges and solutions against a real MariaDB: a sketch stored and read back as
//! drawn, proposals closed after the period, exact support counts under concurrent
//! supporters, the counters, the owner's answer with its audit row and the followers'
//! notifications, and the list's filters and orders.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel_async::{AsyncMysqlConnection, RunQueryDsl};

use super::model::{
    ANSWERED, Answer, ChallengeId, PROPOSED, SolutionId, SolutionOrder, SolutionStatus,
    ValidChallenge, ValidSolution,
};
use super::queries::{Challenges, Solutions};
use crate::auth::testing::test_user_in;
use crate::organisation::testing::Cast;
use civic::supports::Supports;
use platform::db::schema::{audit_log, notifications, solutions};
use platform::db::testing::TestDb;
use platform::error::{AppError, ErrorCode, FieldError};
use platform::ids::UserId;
use platform::sketch::{Sketch, SketchForm};

fn day(month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, month, day).expect("a date")
}

fn at(day: NaiveDate) -> NaiveDateTime {
    day.and_hms_opt(12, 0, 0).expect("a time")
}

fn route() -> Sketch {
    Sketch::parse(
        r#"{"type":"LineString","coordinates":[[39.040,45.062],[39.020,45.060],[38.990,45.050]]}"#,
    )
    .expect("a route")
}

/// A challenge of Krasnodar owned by the cast's department, open until 31 December.
async fn challenge(conn: &mut AsyncMysqlConnection, cast: &Cast) -> ChallengeId {
    let challenge = ValidChallenge {
        municipality: Some(cast.krasnodar),
        theme: cast.road_theme,
        department: Some(cast.department),
        title: "Дорога до нового микрорайона".into(),
        description: "Как быстрее добираться из нового микрорайона до центра?".into(),
        area: None,
        proposals_until: day(12, 31),
    };
    Challenges::create(conn, cast.official, &challenge, at(day(12, 1)))
        .await
        .expect("challenge")
}

fn solution(title: &str, sketch: Option<Sketch>) -> ValidSolution {
    ValidSolution {
        title: title.into(),
        description: "Подробное описание предложенного решения.".into(),
        sketch,
        photo_tokens: Vec::new(),
    }
}

/// The cast's author proposes a solution without a sketch on 6 December.
async fn propose(
    conn: &mut AsyncMysqlConnection,
    cast: &Cast,
    challenge: ChallengeId,
    title: &str,
) -> SolutionId {
    Solutions::create(
        conn,
        challenge,
        cast.author,
        &solution(title, None),
        day(12, 6),
        at(day(12, 6)),
    )
    .await
    .expect("proposed")
}

fn refused_field<T: std::fmt::Debug>(result: Result<T, AppError>) -> FieldError {
    match result {
        Err(AppError::Invalid { mut errors }) if errors.len() == 1 => errors.remove(0),
        other => panic!("expected one refused field, got {other:?}"),
    }
}

async fn notices(conn: &mut AsyncMysqlConnection, user: UserId, kind: &str) -> i64 {
    notifications::table
        .filter(notifications::user_id.eq(user))
        .filter(notifications::kind.eq(kind))
        .count()
        .get_result(conn)
        .await
        .expect("count")
}

#[tokio::test]
async fn a_solution_keeps_its_sketch_and_the_challenge_closes_after_its_period() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let cast = Cast::new(&mut conn).await;
    let challenge = challenge(&mut conn, &cast).await;
    let proposed = Solutions::create(
        &mut conn,
        challenge,
        cast.author,
        &solution("Маршрут №77", Some(route())),
        day(12, 31),
        at(day(12, 6)),
    )
    .await
    .expect("proposed on the last day");
    let stored = Solutions::get(&mut conn, proposed)
        .await
        .expect("read")
        .expect("stored");
    let summary = stored.summary(false, String::new()).expect("summary");
    assert_eq!(summary.sketch, Some(route()));
    assert_eq!(summary.sketch.map(|s| s.form()), Some(SketchForm::Line));
    assert_eq!(summary.status, SolutionStatus::UnderConsideration);
    let row = Challenges::get(&mut conn, challenge)
        .await
        .expect("read")
        .expect("challenge");
    assert_eq!(row.solution_count, 1);
    // The challenge's publisher follows it and hears of the proposal; its author does not
    // hear of their own.
    assert_eq!(notices(&mut conn, cast.official, PROPOSED).await, 1);
    assert_eq!(notices(&mut conn, cast.author, PROPOSED).await, 0);

    let late = Solutions::create(
        &mut conn,
        challenge,
        cast.author,
        &solution("Поздно", None),
        day(12, 31).succ_opt().expect("a date"),
        at(day(12, 6)),
    )
    .await;
    assert_eq!(
        refused_field(late),
        FieldError::new("challenge", ErrorCode::TooLate)
    );
    let missing = Solutions::create(
        &mut conn,
        ChallengeId(challenge.0 + 1000),
        cast.author,
        &solution("Никуда", None),
        day(12, 6),
        at(day(12, 6)),
    )
    .await;
    assert_eq!(missing, Err(AppError::NotFound));
}

#[tokio::test]
async fn concurrent_supporters_give_an_exact_count() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let cast = Cast::new(&mut conn).await;
    let challenge = challenge(&mut conn, &cast).await;
    let id = propose(&mut conn, &cast, challenge, "Остановки у школ").await;
    let mut supporters = Vec::new();
    for index in 0..60 {
        supporters
            .push(test_user_in(&mut conn, &format!("supporter{index}"), cast.krasnodar).await);
    }
    drop(conn);
    // Every supporter taps twice at once; the first ten then withdraw, also twice at once.
    let tap = |user: UserId, support: bool| {
        let pool = db.pool().clone();
        tokio::spawn(async move {
            let mut conn = pool.get().await.expect("connection");
            Solutions::set_support(&mut conn, id, user, support, at(day(12, 6))).await
        })
    };
    let taps: Vec<_> = supporters
        .iter()
        .chain(&supporters)
        .map(|user| tap(*user, true))
        .collect();
    for task in taps {
        // A tap the database gives up on (a lock wait) is reported, never counted twice.
        let _ = task.await.expect("task");
    }
    let withdrawals: Vec<_> = supporters[..10]
        .iter()
        .chain(&supporters[..10])
        .map(|user| tap(*user, false))
        .collect();
    for task in withdrawals {
        let _ = task.await.expect("task");
    }
    let mut conn = db.conn().await;
    let rows = Supports::count(&mut conn, id.subject())
        .await
        .expect("count");
    let counter: u32 = solutions::table
        .find(id)
        .select(solutions::support_count)
        .first(&mut conn)
        .await
        .expect("counter");
    assert_eq!(counter, rows, "the counter equals the rows");
    assert_eq!(rows, 50);
}

#[tokio::test]
async fn the_owner_answers_with_an_audit_row_and_followers_hear_of_it() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let cast = Cast::new(&mut conn).await;
    let challenge = challenge(&mut conn, &cast).await;
    let id = propose(&mut conn, &cast, challenge, "Выделенная полоса").await;
    let commenter = test_user_in(&mut conn, "commenter", cast.krasnodar).await;
    Solutions::add_comment(
        &mut conn,
        id,
        commenter,
        "Поддерживаю, но нужна разметка.",
        at(day(12, 6)),
    )
    .await
    .expect("comment");
    let answer = Answer {
        status: SolutionStatus::Accepted,
        reason: "Включим в план работ на 2027 год.".into(),
    };
    Solutions::answer(&mut conn, id, cast.official, &answer, at(day(12, 7)))
        .await
        .expect("answered");
    let row = Solutions::get(&mut conn, id)
        .await
        .expect("read")
        .expect("solution");
    assert_eq!(row.status().expect("status"), SolutionStatus::Accepted);
    assert_eq!(row.status_reason, answer.reason);
    assert_eq!(row.answered_at, Some(at(day(12, 7))));
    assert_eq!(row.comment_count, 1);
    let audited: Vec<(Option<u64>, String, String)> = audit_log::table
        .filter(audit_log::target_kind.eq("solution"))
        .filter(audit_log::target_id.eq(id.0))
        .select((
            audit_log::actor_user_id,
            audit_log::action,
            audit_log::details,
        ))
        .load(&mut conn)
        .await
        .expect("audit");
    assert_eq!(audited.len(), 1);
    assert_eq!(audited[0].0, Some(cast.official.0));
    assert_eq!(audited[0].1, "solution.answer");
    assert!(
        audited[0].2.contains("\"to\":\"accepted\""),
        "{}",
        audited[0].2
    );
    // The author and the commenter follow the solution; the official answered it.
    assert_eq!(notices(&mut conn, cast.author, ANSWERED).await, 1);
    assert_eq!(notices(&mut conn, commenter, ANSWERED).await, 1);
    assert_eq!(notices(&mut conn, cast.official, ANSWERED).await, 0);
    let published: i64 = audit_log::table
        .filter(audit_log::action.eq("challenge.publish"))
        .filter(audit_log::target_id.eq(challenge.0))
        .count()
        .get_result(&mut conn)
        .await
        .expect("audit");
    assert_eq!(published, 1, "publishing a challenge is audited");
}

#[tokio::test]
async fn solutions_are_listed_by_supports_or_date_and_challenges_by_filter() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let cast = Cast::new(&mut conn).await;
    let challenge = challenge(&mut conn, &cast).await;
    let mut ids = Vec::new();
    for (index, title) in ["Первое", "Второе", "Третье"].into_iter().enumerate() {
        let proposed_at = at(day(12, 2 + index as u32));
        ids.push(
            Solutions::create(
                &mut conn,
                challenge,
                cast.author,
                &solution(title, None),
                day(12, 6),
                proposed_at,
            )
            .await
            .expect("proposed"),
        );
    }
    // The first gets two supports, the second one, the third none.
    for (solution, supporters) in [(ids[0], 2), (ids[1], 1)] {
        for index in 0..supporters {
            let user = test_user_in(
                &mut conn,
                &format!("fan{}-{index}", solution.0),
                cast.krasnodar,
            )
            .await;
            Solutions::set_support(&mut conn, solution, user, true, at(day(12, 6)))
                .await
                .expect("support");
        }
    }
    let reader = test_user_in(&mut conn, "reader", cast.krasnodar).await;
    Solutions::set_support(&mut conn, ids[2], reader, true, at(day(12, 6)))
        .await
        .expect("support");
    let (by_supports, more) = Solutions::of_challenge(
        &mut conn,
        challenge,
        None,
        SolutionOrder::Supports,
        0,
        Some(reader),
    )
    .await
    .expect("list");
    assert!(!more, "one page");
    let order: Vec<_> = by_supports
        .iter()
        .map(|s| (s.id, s.supports, s.supported))
        .collect();
    assert_eq!(
        order,
        vec![(ids[0], 2, false), (ids[2], 1, true), (ids[1], 1, false)],
        "equal supports: the newest first"
    );
    let (newest, _) =
        Solutions::of_challenge(&mut conn, challenge, None, SolutionOrder::Newest, 0, None)
            .await
            .expect("list");
    let newest: Vec<_> = newest.iter().map(|s| s.id).collect();
    assert_eq!(newest, vec![ids[2], ids[1], ids[0]]);
    // The owner declines the second: the status filter shows it alone.
    let declined = Answer {
        status: SolutionStatus::Declined,
        reason: "Участок уже в плане реконструкции.".into(),
    };
    Solutions::answer(&mut conn, ids[1], cast.official, &declined, at(day(12, 7)))
        .await
        .expect("answered");
    let status = Some(SolutionStatus::Declined);
    let (narrowed, _) =
        Solutions::of_challenge(&mut conn, challenge, status, SolutionOrder::Newest, 0, None)
            .await
            .expect("list");
    assert_eq!(
        narrowed.iter().map(|s| s.id).collect::<Vec<_>>(),
        vec![ids[1]]
    );

    let other = test_user_in(&mut conn, "elsewhere", cast.krasnodar).await;
    let sochi = crate::auth::testing::municipality_id(&mut conn, "sochi").await;
    let closed = ValidChallenge {
        municipality: Some(sochi),
        theme: cast.road_theme,
        department: None,
        title: "Закрытый вызов".into(),
        description: "Предложения по нему уже не принимаются.".into(),
        area: None,
        proposals_until: day(11, 30),
    };
    let closed = Challenges::create(&mut conn, other, &closed, at(day(11, 1)))
        .await
        .expect("challenge");
    let all = Challenges::list(&mut conn, None, None, None, 10)
        .await
        .expect("list");
    assert_eq!(
        all.iter().map(|c| c.id).collect::<Vec<_>>(),
        vec![challenge, closed]
    );
    let open = Challenges::list(&mut conn, None, None, Some(day(12, 6)), 10)
        .await
        .expect("list");
    assert_eq!(
        open.iter().map(|c| c.id).collect::<Vec<_>>(),
        vec![challenge]
    );
    let in_sochi = Challenges::list(&mut conn, Some(sochi), None, None, 10)
        .await
        .expect("list");
    assert_eq!(
        in_sochi.iter().map(|c| c.id).collect::<Vec<_>>(),
        vec![closed]
    );
}

#[tokio::test]
async fn a_solution_takes_its_authors_photos_whole_or_is_not_proposed() {
    use civic::photos::{NewPhoto, Photos};
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let cast = Cast::new(&mut conn).await;
    let challenge = challenge(&mut conn, &cast).await;
    let now = at(day(12, 6));
    for (uploader, token) in [
        (cast.author, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
        (cast.official, "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"),
    ] {
        let photo = NewPhoto {
            uploader,
            token,
            file_key: token,
            width: 800,
            height: 600,
            bytes: 1000,
        };
        Photos::stage(&mut conn, photo, now).await.expect("stage");
    }
    let with_photos = |tokens: &[&str]| ValidSolution {
        photo_tokens: tokens.iter().map(|token| token.to_string()).collect(),
        ..solution("Остановка у школы", None)
    };
    let foreign = Solutions::create(
        &mut conn,
        challenge,
        cast.author,
        &with_photos(&[
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
        ]),
        day(12, 6),
        now,
    )
    .await;
    assert_eq!(
        foreign,
        Err(AppError::invalid("photos", ErrorCode::PhotoMissing)),
        "another person's photo is not the author's to attach"
    );
    let proposed: i64 = solutions::table
        .count()
        .get_result(&mut conn)
        .await
        .expect("count");
    assert_eq!(proposed, 0, "nothing of the refused proposal stays");

    let id = Solutions::create(
        &mut conn,
        challenge,
        cast.author,
        &with_photos(&["aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"]),
        day(12, 6),
        now,
    )
    .await
    .expect("proposed");
    let photos = Photos::of(&mut conn, id.subject()).await.expect("photos");
    assert_eq!(photos.len(), 1);
    assert_eq!(
        photos[0].photo.url,
        "/media/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.jpg"
    );
}
