//! Moderation against a real MariaDB: reports reach the queue once per person, only from
//! those who may see the subject; a decision answers them all, hides a publication from
//! every feed but its author's, suspends, tells the author and is audited.

use chrono::Duration;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::model::{Decision, ReportedKind};
use super::queries::Moderation;
use crate::auth::queries::Users;
use crate::auth::testing::{test_minute as at, test_user};
use crate::messages::queries::Conversations;
use crate::publications::model::ValidPublication;
use crate::publications::queries::{Publications, Whose};
use platform::db::schema::{audit_log, content_reports, notifications};
use platform::db::testing::TestDb;
use platform::error::{AppError, ErrorCode};

#[tokio::test]
async fn a_hidden_publication_leaves_the_feeds_its_author_is_told_why_and_reports_close() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let author = test_user(&mut conn, "author").await;
    let first = test_user(&mut conn, "first").await;
    let second = test_user(&mut conn, "second").await;
    let moderator = test_user(&mut conn, "moderator").await;
    let writer = Users::session_user(&mut conn, author)
        .await
        .expect("session");
    let publication = Publications::create(
        &mut conn,
        &writer,
        &ValidPublication {
            body: "Купите у меня дешёвые подписчики!".into(),
            photo_tokens: Vec::new(),
            department: None,
        },
        at(0),
    )
    .await
    .expect("published");
    let id = publication.0;
    for reporter in [first, second, first] {
        Moderation::report(
            &mut conn,
            ReportedKind::Publication,
            id,
            reporter,
            "Спам",
            at(1),
        )
        .await
        .expect("reported");
    }
    let own = Moderation::report(
        &mut conn,
        ReportedKind::Publication,
        id,
        author,
        "Сам",
        at(1),
    )
    .await;
    assert!(
        matches!(own, Err(AppError::Invalid { ref errors }) if errors[0].code == ErrorCode::NotAllowed)
    );
    let queue = Moderation::queue(&mut conn, 10).await.expect("queue");
    assert_eq!(queue.len(), 1);
    assert_eq!(
        (queue[0].kind, queue[0].id, queue[0].reports),
        (ReportedKind::Publication, id, 2)
    );
    assert_eq!(queue[0].author_id, author);

    Moderation::decide(
        &mut conn,
        ReportedKind::Publication,
        id,
        moderator,
        Decision::Hide,
        "Реклама запрещена правилами.",
        0,
        at(2),
    )
    .await
    .expect("hidden");
    assert!(
        Moderation::queue(&mut conn, 10)
            .await
            .expect("queue")
            .is_empty()
    );
    let open: i64 = content_reports::table
        .filter(content_reports::decision_id.is_null())
        .count()
        .get_result(&mut conn)
        .await
        .expect("count");
    assert_eq!(open, 0);
    let (everyone, _) = Publications::page(&mut conn, Whose::Everyone, None, None)
        .await
        .expect("feed");
    assert!(everyone.is_empty(), "hidden from every feed");
    assert_eq!(
        Publications::get(&mut conn, publication, Some(first))
            .await
            .err(),
        Some(AppError::NotFound)
    );
    let seen = Publications::get(&mut conn, publication, Some(author))
        .await
        .expect("the author still sees it");
    assert_eq!(
        seen.hidden_reason.as_deref(),
        Some("Реклама запрещена правилами.")
    );
    let told: i64 = notifications::table
        .filter(notifications::user_id.eq(author))
        .filter(notifications::kind.eq("hide"))
        .count()
        .get_result(&mut conn)
        .await
        .expect("count");
    assert_eq!(told, 1);
    let audited: i64 = audit_log::table
        .filter(audit_log::action.eq("moderation.hide"))
        .count()
        .get_result(&mut conn)
        .await
        .expect("count");
    assert_eq!(audited, 1);
    // A hidden publication is reported no more.
    let again = Moderation::report(
        &mut conn,
        ReportedKind::Publication,
        id,
        second,
        "Ещё раз",
        at(3),
    )
    .await;
    assert_eq!(again.err(), Some(AppError::NotFound));
}

#[tokio::test]
async fn a_message_is_reported_by_its_addressee_only_and_a_suspension_has_bounds_and_an_end() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let sender = test_user(&mut conn, "sender").await;
    let addressee = test_user(&mut conn, "addressee").await;
    let stranger = test_user(&mut conn, "stranger").await;
    let moderator = test_user(&mut conn, "moderator").await;
    let from = Users::session_user(&mut conn, sender)
        .await
        .expect("session");
    let message = Conversations::start(&mut conn, &from, addressee, None, "Оскорбление", at(0))
        .await
        .expect("sent");
    let id = message.id.0;
    assert_eq!(
        Moderation::report(
            &mut conn,
            ReportedKind::Message,
            id,
            stranger,
            "Видел",
            at(1)
        )
        .await
        .err(),
        Some(AppError::NotFound),
        "a stranger does not see the message"
    );
    Moderation::report(
        &mut conn,
        ReportedKind::Message,
        id,
        addressee,
        "Оскорбляет",
        at(1),
    )
    .await
    .expect("reported");
    assert!(matches!(
        Moderation::decide(&mut conn, ReportedKind::Message, id, moderator, Decision::Hide, "Нет", 0, at(2)).await,
        Err(AppError::Invalid { ref errors }) if errors[0].field == "decision"
    ));
    assert!(matches!(
        Moderation::decide(&mut conn, ReportedKind::Message, id, moderator, Decision::Suspend, "Оскорбления", 91, at(2)).await,
        Err(AppError::Invalid { ref errors }) if errors[0].field == "days"
    ));
    Moderation::decide(
        &mut conn,
        ReportedKind::Message,
        id,
        moderator,
        Decision::Suspend,
        "Оскорбления в личных сообщениях.",
        7,
        at(2),
    )
    .await
    .expect("suspended");
    assert_eq!(
        Users::suspended_until(&mut conn, sender)
            .await
            .expect("until"),
        Some(at(2) + Duration::days(7))
    );
    assert!(
        Moderation::queue(&mut conn, 10)
            .await
            .expect("queue")
            .is_empty()
    );
}

#[test]
fn every_reported_kind_is_its_features_subject_kind() {
    use crate::auth::model::PERSON;
    use crate::galleries::model::GALLERY;
    use crate::publications::model::PUBLICATION;
    use crate::solutions::model::{CHALLENGE, SOLUTION};
    let expected = [
        (ReportedKind::Publication, PUBLICATION),
        (ReportedKind::Person, PERSON),
        (ReportedKind::Gallery, GALLERY),
        (ReportedKind::Challenge, CHALLENGE),
        (ReportedKind::Solution, SOLUTION),
    ];
    for (kind, subject) in expected {
        assert_eq!(kind.subject(7).kind, subject);
    }
    // What the queue offers to hide is exactly what has a table to hide it in.
    for kind in ReportedKind::ALL {
        assert_eq!(
            super::queries::hiding_table(kind).is_some(),
            kind.hideable(),
            "{kind:?}"
        );
    }
}

#[tokio::test]
async fn a_removed_publication_loses_its_text_and_photos_and_a_removed_profile_its_about_and_avatar()
 {
    use crate::auth::model::{AVATAR, PERSON};
    use civic::photos::{NewPhoto, Photos};
    use civic::subject::Subject;
    use platform::db::schema::{photos, profiles, publications};

    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let author = test_user(&mut conn, "author").await;
    let reporter = test_user(&mut conn, "reporter").await;
    let moderator = test_user(&mut conn, "moderator").await;
    for token in [
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
    ] {
        let photo = NewPhoto {
            uploader: author,
            token,
            file_key: token,
            width: 800,
            height: 600,
            bytes: 1000,
        };
        Photos::stage(&mut conn, photo, at(0))
            .await
            .expect("staged");
    }
    let writer = Users::session_user(&mut conn, author)
        .await
        .expect("session");
    let publication = Publications::create(
        &mut conn,
        &writer,
        &ValidPublication {
            body: "Оскорбительный текст".into(),
            photo_tokens: vec!["aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".into()],
            department: None,
        },
        at(0),
    )
    .await
    .expect("published");
    let person = Subject::new(PERSON, author.0);
    diesel::insert_into(profiles::table)
        .values((
            profiles::user_id.eq(author),
            profiles::about.eq("Оскорбительное «о себе»"),
            profiles::updated_at.eq(at(0)),
        ))
        .execute(&mut conn)
        .await
        .expect("profile");
    Photos::attach(
        &mut conn,
        person,
        AVATAR,
        None,
        author,
        &["bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb".into()],
    )
    .await
    .expect("avatar");

    for kind in [ReportedKind::Publication, ReportedKind::Person] {
        let id = if kind == ReportedKind::Person {
            author.0
        } else {
            publication.0
        };
        Moderation::report(&mut conn, kind, id, reporter, "Оскорбления", at(1))
            .await
            .expect("reported");
        Moderation::decide(
            &mut conn,
            kind,
            id,
            moderator,
            Decision::Remove,
            "Оскорбления запрещены.",
            0,
            at(2),
        )
        .await
        .expect("removed");
    }

    let (body, reason): (String, Option<String>) = publications::table
        .find(publication)
        .select((publications::body, publications::hidden_reason))
        .first(&mut conn)
        .await
        .expect("row kept for its thread");
    assert_eq!(
        (body.as_str(), reason.as_deref()),
        ("", Some("Оскорбления запрещены."))
    );
    let about: String = profiles::table
        .find(author)
        .select(profiles::about)
        .first(&mut conn)
        .await
        .expect("profile");
    assert_eq!(about, "");
    let attached: i64 = photos::table
        .filter(photos::uploader_id.eq(author))
        .filter(photos::subject_kind.is_not_null())
        .count()
        .get_result(&mut conn)
        .await
        .expect("count");
    assert_eq!(attached, 0, "both photos staged again, for the cleanup");
    let removals: i64 = audit_log::table
        .filter(audit_log::action.eq("moderation.remove"))
        .count()
        .get_result(&mut conn)
        .await
        .expect("audit");
    assert_eq!(removals, 2);
    assert!(
        Publications::get(&mut conn, publication, Some(reporter))
            .await
            .is_err()
    );
}

#[tokio::test]
async fn a_hidden_solution_or_challenge_leaves_the_lists_and_remove_is_refused_for_them() {
    use crate::organisation::testing::Cast;
    use crate::solutions::model::{SolutionOrder, ValidChallenge, ValidSolution};
    use crate::solutions::queries::{Challenges, Solutions};
    use chrono::NaiveDate;

    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let cast = Cast::new(&mut conn).await;
    let moderator = cast.moderator;
    let reporter = test_user(&mut conn, "reporter").await;
    let today = NaiveDate::from_ymd_opt(2026, 1, 15).expect("a date");
    let challenge = Challenges::create(
        &mut conn,
        cast.official,
        &ValidChallenge {
            municipality: Some(cast.krasnodar),
            theme: cast.road_theme,
            department: Some(cast.department),
            title: "Парковки у поликлиники".into(),
            description: "Где ставить машины посетителям?".into(),
            area: None,
            proposals_until: today + Duration::days(30),
        },
        at(0),
    )
    .await
    .expect("challenge");
    let solution = Solutions::create(
        &mut conn,
        challenge,
        cast.author,
        &ValidSolution {
            title: "Реклама автосервиса".into(),
            description: "Звоните нам, дешёвый ремонт.".into(),
            sketch: None,
            photo_tokens: Vec::new(),
        },
        today,
        at(1),
    )
    .await
    .expect("solution");

    Moderation::report(
        &mut conn,
        ReportedKind::Solution,
        solution.0,
        reporter,
        "Реклама",
        at(2),
    )
    .await
    .expect("reported");
    assert_eq!(
        Moderation::decide(
            &mut conn,
            ReportedKind::Solution,
            solution.0,
            moderator,
            Decision::Remove,
            "Реклама",
            0,
            at(3)
        )
        .await,
        Err(AppError::invalid("decision", ErrorCode::NotAllowed))
    );
    Moderation::decide(
        &mut conn,
        ReportedKind::Solution,
        solution.0,
        moderator,
        Decision::Hide,
        "Реклама запрещена.",
        0,
        at(3),
    )
    .await
    .expect("hidden");
    let (listed, _) =
        Solutions::of_challenge(&mut conn, challenge, None, SolutionOrder::Newest, 0, None)
            .await
            .expect("list");
    assert!(listed.is_empty());
    let row = Solutions::get(&mut conn, solution)
        .await
        .expect("row")
        .expect("kept");
    let author = Users::session_user(&mut conn, cast.author)
        .await
        .expect("author");
    let stranger = Users::session_user(&mut conn, reporter)
        .await
        .expect("stranger");
    assert!(!row.visible_to(None));
    assert!(!row.visible_to(Some(&stranger)));
    assert!(row.visible_to(Some(&author)));
    assert_eq!(
        row.hidden_reason_for(Some(&author)).as_deref(),
        Some("Реклама запрещена.")
    );
    assert_eq!(row.hidden_reason_for(Some(&stranger)), None);
    assert_eq!(
        Solutions::set_support(&mut conn, solution, reporter, true, at(4)).await,
        Err(AppError::NotFound),
        "no more supports"
    );

    Moderation::report(
        &mut conn,
        ReportedKind::Challenge,
        challenge.0,
        reporter,
        "Дубль",
        at(4),
    )
    .await
    .expect("reported");
    Moderation::decide(
        &mut conn,
        ReportedKind::Challenge,
        challenge.0,
        moderator,
        Decision::Hide,
        "Дубль другой задачи.",
        0,
        at(5),
    )
    .await
    .expect("hidden");
    assert!(
        Challenges::list(&mut conn, None, None, None, 50)
            .await
            .expect("list")
            .is_empty()
    );
    assert_eq!(
        Solutions::create(
            &mut conn,
            challenge,
            reporter,
            &ValidSolution {
                title: "Ещё одно".into(),
                description: "Описание".into(),
                sketch: None,
                photo_tokens: Vec::new(),
            },
            today,
            at(6),
        )
        .await,
        Err(AppError::NotFound),
        "a hidden challenge takes no solutions"
    );
}
