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
