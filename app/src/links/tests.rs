//! Links against a real MariaDB: an accepted solution becomes exactly one initiative,
//! published at once and linked both ways, with its audit rows and the followers told;
//! a challenge links only what the public sees, and unlinks.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel_async::{AsyncMysqlConnection, RunQueryDsl};

use super::model::{BECAME_INITIATIVE, LinkReading, LinkTarget, LinkedSubject};
use super::queries::{
    PROBLEM_CHALLENGE_DAYS, challenge_for_problem, links_of, set_challenge_link,
    turn_into_initiative,
};
use crate::auth::model::SessionUser;
use crate::auth::queries::Users;
use crate::lawmaking::model::{INITIATIVE, InitiativeId, InitiativeInput, Stage};
use crate::lawmaking::queries::Initiatives;
use crate::organisation::testing::Cast;
use crate::problems::model::PROBLEM;
use crate::solutions::model::{
    Answer, CHALLENGE, ChallengeId, SOLUTION, SolutionId, SolutionStatus, ValidChallenge,
    ValidSolution,
};
use crate::solutions::queries::{Challenges, Solutions};
use platform::db::schema::{audit_log, initiatives, notifications, subject_links, themes};
use platform::db::testing::TestDb;
use platform::error::{AppError, ErrorCode, FieldError};

fn at(day: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 12, day)
        .and_then(|day| day.and_hms_opt(12, 0, 0))
        .expect("a time")
}

async fn session(conn: &mut AsyncMysqlConnection, user: platform::ids::UserId) -> SessionUser {
    Users::session_user(conn, user).await.expect("session")
}

/// A Krasnodar challenge owned by the cast's department and a solution to it by the
/// cast's author.
async fn challenge_and_solution(
    conn: &mut AsyncMysqlConnection,
    cast: &Cast,
) -> (ChallengeId, SolutionId) {
    let challenge = ValidChallenge {
        municipality: Some(cast.krasnodar),
        theme: cast.road_theme,
        department: Some(cast.department),
        title: "Автобус до нового микрорайона".into(),
        description: "Из нового микрорайона нет прямого автобуса до центра города.".into(),
        area: None,
        proposals_until: NaiveDate::from_ymd_opt(2026, 12, 31).expect("a date"),
    };
    let challenge = Challenges::create(conn, cast.official, &challenge, at(1))
        .await
        .expect("challenge");
    let solution = ValidSolution {
        title: "Маршрут №77 через Восточный обход".into(),
        description: "Новый маршрут с остановками у школы и поликлиники.".into(),
        sketch: None,
        photo_tokens: Vec::new(),
    };
    let solution = Solutions::create(conn, challenge, cast.author, &solution, at(2).date(), at(2))
        .await
        .expect("solution");
    (challenge, solution)
}

fn initiative_text() -> InitiativeInput {
    InitiativeInput {
        municipality_id: String::new(),
        theme_id: String::new(),
        title: "О новом автобусном маршруте №77".into(),
        problem: "Из нового микрорайона нет прямого автобуса до центра города.".into(),
        goal: "Прямой автобус до центра.".into(),
        proposal: "Открыть маршрут №77 через Восточный обход.".into(),
    }
}

fn refused_code<T: std::fmt::Debug>(result: Result<T, AppError>) -> ErrorCode {
    match result {
        Err(AppError::Invalid { mut errors }) if errors.len() == 1 => {
            let FieldError { code, .. } = errors.remove(0);
            code
        }
        other => panic!("expected one refused field, got {other:?}"),
    }
}

async fn audited(conn: &mut AsyncMysqlConnection, action: &str) -> i64 {
    audit_log::table
        .filter(audit_log::action.eq(action))
        .count()
        .get_result(conn)
        .await
        .expect("count")
}

#[tokio::test]
async fn an_accepted_solution_becomes_one_published_initiative_linked_both_ways() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let cast = Cast::new(&mut conn).await;
    let (_, solution) = challenge_and_solution(&mut conn, &cast).await;
    let official = session(&mut conn, cast.official).await;
    let author = session(&mut conn, cast.author).await;

    let early =
        turn_into_initiative(&mut conn, solution, &official, initiative_text(), at(3)).await;
    assert_eq!(refused_code(early), ErrorCode::NotAccepted);
    let accepted = Answer {
        status: SolutionStatus::Accepted,
        reason: "Маршрут включим в план на следующий год.".into(),
    };
    Solutions::answer(&mut conn, solution, cast.official, &accepted, at(4))
        .await
        .expect("accepted");
    let by_author =
        turn_into_initiative(&mut conn, solution, &author, initiative_text(), at(5)).await;
    assert!(
        matches!(by_author, Err(AppError::Forbidden)),
        "{by_author:?}"
    );
    let untitled = InitiativeInput {
        title: String::new(),
        ..initiative_text()
    };
    let invalid = turn_into_initiative(&mut conn, solution, &official, untitled, at(5)).await;
    assert!(
        matches!(invalid, Err(AppError::Invalid { .. })),
        "{invalid:?}"
    );

    // Two owners' clicks at once make one initiative: the solution's row is locked.
    let (first, second) = {
        let mut other = db.conn().await;
        let official_again = official.clone();
        tokio::join!(
            turn_into_initiative(&mut conn, solution, &official, initiative_text(), at(5)),
            turn_into_initiative(
                &mut other,
                solution,
                &official_again,
                initiative_text(),
                at(5)
            ),
        )
    };
    let (initiative, refused) = match (first, second) {
        (Ok(id), refused) | (refused, Ok(id)) => (id, refused),
        other => panic!("expected one initiative, got {other:?}"),
    };
    assert_eq!(refused_code(refused), ErrorCode::AlreadyTurned);
    let made: i64 = initiatives::table
        .count()
        .get_result(&mut conn)
        .await
        .expect("count");
    assert_eq!(made, 1);

    let (stage, municipality, department, author_id): (String, Option<u64>, Option<u64>, u64) =
        initiatives::table
            .find(initiative)
            .select((
                initiatives::stage,
                initiatives::municipality_id,
                initiatives::department_id,
                initiatives::author_id,
            ))
            .first(&mut conn)
            .await
            .expect("initiative");
    assert_eq!(Stage::from_db(&stage), Some(Stage::Concept));
    assert_eq!(
        municipality,
        Some(cast.krasnodar.0),
        "the challenge's level"
    );
    assert!(department.is_some(), "routed like any published concept");
    assert_eq!(author_id, cast.official.0);

    let from_solution = links_of(&mut conn, solution.subject())
        .await
        .expect("links");
    assert_eq!(
        from_solution,
        vec![LinkedSubject {
            reading: LinkReading::BecameInitiative,
            kind: INITIATIVE.as_str().into(),
            id: initiative.0,
            title: "О новом автобусном маршруте №77".into(),
            href: format!("/lawmaking/{}", initiative.0),
        }]
    );
    let from_initiative = links_of(&mut conn, initiative.subject())
        .await
        .expect("links");
    assert_eq!(
        from_initiative,
        vec![LinkedSubject {
            reading: LinkReading::GrewOutOfSolution,
            kind: SOLUTION.as_str().into(),
            id: solution.0,
            title: "Маршрут №77 через Восточный обход".into(),
            href: format!("/solutions/{}", solution.0),
        }]
    );
    assert_eq!(audited(&mut conn, "solution.initiative").await, 1);
    assert_eq!(audited(&mut conn, "initiative.publish").await, 1);
    let told: i64 = notifications::table
        .filter(notifications::user_id.eq(cast.author))
        .filter(notifications::kind.eq(BECAME_INITIATIVE))
        .count()
        .get_result(&mut conn)
        .await
        .expect("count");
    assert_eq!(told, 1, "the solution's author follows it and is told once");
}

#[tokio::test]
async fn a_challenge_links_only_what_the_public_sees_and_unlinks() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let cast = Cast::new(&mut conn).await;
    let (challenge, _) = challenge_and_solution(&mut conn, &cast).await;
    let official = session(&mut conn, cast.official).await;
    let author = session(&mut conn, cast.author).await;
    let problem = crate::problems::testing::published(&mut conn, &cast, at(1)).await;
    let proposal = InitiativeInput {
        municipality_id: cast.krasnodar.to_string(),
        theme_id: cast.road_theme.to_string(),
        ..initiative_text()
    };
    let valid = proposal.validate().expect("a valid initiative");
    let waiting: InitiativeId = Initiatives::create(&mut conn, cast.author, &valid, at(1))
        .await
        .expect("proposed");

    let unknown = set_challenge_link(
        &mut conn,
        challenge,
        LinkTarget::Problem,
        987_654,
        true,
        &official,
        at(3),
    )
    .await;
    assert_eq!(refused_code(unknown), ErrorCode::UnknownSubject);
    let in_moderation = set_challenge_link(
        &mut conn,
        challenge,
        LinkTarget::Initiative,
        waiting.0,
        true,
        &official,
        at(3),
    )
    .await;
    assert_eq!(
        refused_code(in_moderation),
        ErrorCode::UnknownSubject,
        "an initiative in moderation is not public"
    );
    let by_author = set_challenge_link(
        &mut conn,
        challenge,
        LinkTarget::Problem,
        problem.0,
        true,
        &author,
        at(3),
    )
    .await;
    assert!(
        matches!(by_author, Err(AppError::Forbidden)),
        "{by_author:?}"
    );

    for _ in 0..2 {
        set_challenge_link(
            &mut conn,
            challenge,
            LinkTarget::Problem,
            problem.0,
            true,
            &official,
            at(3),
        )
        .await
        .expect("linked");
    }
    assert_eq!(
        audited(&mut conn, "challenge.link").await,
        1,
        "linking twice records once"
    );
    let from_challenge = links_of(&mut conn, challenge.subject())
        .await
        .expect("links");
    assert_eq!(from_challenge.len(), 1);
    assert_eq!(from_challenge[0].reading, LinkReading::ConcernsProblem);
    assert_eq!(from_challenge[0].kind, PROBLEM.as_str());
    assert_eq!(from_challenge[0].href, format!("/problems/{}", problem.0));
    let from_problem = links_of(&mut conn, problem.subject()).await.expect("links");
    assert_eq!(from_problem.len(), 1);
    assert_eq!(from_problem[0].reading, LinkReading::InChallenge);
    assert_eq!(from_problem[0].kind, CHALLENGE.as_str());

    set_challenge_link(
        &mut conn,
        challenge,
        LinkTarget::Problem,
        problem.0,
        false,
        &official,
        at(4),
    )
    .await
    .expect("unlinked");
    assert!(
        links_of(&mut conn, problem.subject())
            .await
            .expect("links")
            .is_empty()
    );
    let rows: i64 = subject_links::table
        .count()
        .get_result(&mut conn)
        .await
        .expect("count");
    assert_eq!(rows, 0);
    assert_eq!(audited(&mut conn, "challenge.unlink").await, 1);
}

#[tokio::test]
async fn a_public_problem_gets_one_open_challenge_for_its_solutions() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let cast = Cast::new(&mut conn).await;
    let problem = crate::problems::testing::published(&mut conn, &cast, at(1)).await;
    let today = at(3).date();

    // Two residents at once: the problem's row is locked, so one challenge is opened.
    let (first, second) = {
        let mut other = db.conn().await;
        tokio::join!(
            challenge_for_problem(&mut conn, problem, cast.author, today, at(3)),
            challenge_for_problem(&mut other, problem, cast.moderator, today, at(3)),
        )
    };
    let challenge = first.expect("opened");
    assert_eq!(second.expect("found"), challenge);
    let row = Challenges::get(&mut conn, challenge)
        .await
        .expect("read")
        .expect("stored");
    assert_eq!(row.title, "Яма на дороге", "the problem's title");
    assert_eq!(row.municipality_id, Some(cast.krasnodar));
    assert_eq!(
        row.department_id,
        Some(cast.department),
        "its responsible body answers"
    );
    assert_eq!(
        row.proposals_until,
        today + chrono::Days::new(PROBLEM_CHALLENGE_DAYS)
    );
    let summary = row.summary();
    assert!(
        summary.area.is_some(),
        "the problem's place is the challenge's"
    );
    let from_problem = links_of(&mut conn, problem.subject()).await.expect("links");
    assert_eq!(from_problem.len(), 1);
    assert_eq!(from_problem[0].reading, LinkReading::InChallenge);
    assert_eq!(from_problem[0].id, challenge.0);

    // After its period a new one is opened; the old stays linked.
    let later = row.proposals_until + chrono::Days::new(1);
    let next = challenge_for_problem(&mut conn, problem, cast.author, later, at(3))
        .await
        .expect("opened again");
    assert_ne!(next, challenge);
    assert_eq!(
        links_of(&mut conn, problem.subject())
            .await
            .expect("links")
            .len(),
        2
    );

    // A report waiting for a moderator has no challenge yet.
    diesel::update(themes::table.find(cast.road_theme))
        .set(themes::premoderation.eq(true))
        .execute(&mut conn)
        .await
        .expect("premoderation");
    let waiting = crate::problems::testing::report(&mut conn, &cast, at(1)).await;
    let hidden = challenge_for_problem(&mut conn, waiting, cast.author, today, at(3)).await;
    assert!(matches!(hidden, Err(AppError::NotFound)), "{hidden:?}");
}
