//! Publications against a real MariaDB: a feed holds the reader's own, the people and
//! the departments they follow, newest first, page by page; likes stay exact under
//! concurrency; news only from a department's officials; photos whole or nothing.

use diesel::prelude::*;
use diesel_async::{AsyncMysqlConnection, RunQueryDsl};

use super::model::{FEED_PAGE, PUBLICATION, PublicationId, ValidPublication, Voice};
use super::queries::{Publications, Whose};
use crate::auth::model::{PERSON, SessionUser};
use crate::auth::queries::Users;
use crate::auth::testing::{test_minute as at, test_user};
use crate::organisation::model::DEPARTMENT;
use crate::organisation::testing::Cast;
use civic::follows::Follows;
use civic::photos::{NewPhoto, Photos};
use civic::subject::Subject;
use platform::db::schema::{publications, supports};
use platform::db::testing::TestDb;
use platform::error::{AppError, ErrorCode};
use platform::ids::{DepartmentId, UserId};

fn text(body: &str, department: Option<DepartmentId>) -> ValidPublication {
    ValidPublication {
        body: body.to_string(),
        photo_tokens: Vec::new(),
        department,
    }
}

async fn session(conn: &mut AsyncMysqlConnection, user: UserId) -> SessionUser {
    Users::session_user(conn, user).await.expect("session")
}

async fn publish(
    conn: &mut AsyncMysqlConnection,
    author: UserId,
    body: &str,
    department: Option<DepartmentId>,
    minute: i64,
) -> PublicationId {
    let author = session(conn, author).await;
    Publications::create(conn, &author, &text(body, department), at(minute))
        .await
        .expect("published")
}

#[tokio::test]
async fn a_feed_holds_the_readers_own_and_whom_they_follow_newest_first_page_by_page() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let cast = Cast::new(&mut conn).await;
    let reader = test_user(&mut conn, "reader").await;
    let followed = cast.author;
    let stranger = test_user(&mut conn, "stranger").await;
    Follows::set(
        &mut conn,
        Subject::new(PERSON, followed.0),
        reader,
        true,
        at(0),
    )
    .await
    .expect("follow");
    Follows::set(
        &mut conn,
        Subject::new(DEPARTMENT, cast.department.0),
        reader,
        true,
        at(0),
    )
    .await
    .expect("follow");

    let mut expected = Vec::new();
    for minute in 1..=25 {
        let author = match minute % 5 {
            0 => reader,
            _ => followed,
        };
        expected.push(publish(&mut conn, author, &format!("№{minute}"), None, minute).await);
        publish(&mut conn, stranger, "чужое", None, minute).await;
    }
    // The official's news reaches the department's followers; their own words do not,
    // as the reader does not follow them.
    expected.push(
        publish(
            &mut conn,
            cast.official,
            "Новость",
            Some(cast.department),
            26,
        )
        .await,
    );
    publish(&mut conn, cast.official, "Личное", None, 27).await;
    expected.reverse();

    let (first, older) = Publications::page(&mut conn, Whose::FeedOf(reader), None, Some(reader))
        .await
        .expect("feed");
    let ids: Vec<PublicationId> = first.iter().map(|item| item.id).collect();
    assert_eq!(ids, expected[..FEED_PAGE]);
    assert!(matches!(first[0].voice, Voice::Department { .. }));
    let older = older.expect("a second page");
    assert_eq!(older, expected[FEED_PAGE - 1].0);
    let (second, none) =
        Publications::page(&mut conn, Whose::FeedOf(reader), Some(older), Some(reader))
            .await
            .expect("older");
    let ids: Vec<PublicationId> = second.iter().map(|item| item.id).collect();
    assert_eq!(ids, expected[FEED_PAGE..]);
    assert_eq!(none, None, "the last page says so");

    // A person's page lists their own words, not the department's news they wrote.
    let (own, _) = Publications::page(&mut conn, Whose::Person(cast.official), None, None)
        .await
        .expect("person");
    let bodies: Vec<&str> = own.iter().map(|item| item.body.as_str()).collect();
    assert_eq!(bodies, ["Личное"]);
    let (everyone, _) = Publications::page(&mut conn, Whose::Everyone, None, None)
        .await
        .expect("everyone");
    assert_eq!(everyone.len(), FEED_PAGE);
    assert_eq!(everyone[0].body, "Личное");
}

#[tokio::test(flavor = "multi_thread")]
async fn likes_are_exact_when_many_like_at_once() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let cast = Cast::new(&mut conn).await;
    let publication = publish(&mut conn, cast.author, "Открыли сквер", None, 1).await;
    let mut likers = Vec::new();
    for index in 0..12 {
        likers.push(test_user(&mut conn, &format!("liker{index}")).await);
    }
    drop(conn);
    let mut tasks = Vec::new();
    // Each taps twice at once; every second one takes the like back afterwards.
    for liker in likers.iter().chain(likers.iter()) {
        let (pool, liker) = (db.pool().clone(), *liker);
        tasks.push(tokio::spawn(async move {
            let mut conn = pool.get().await.expect("connection");
            Publications::set_like(&mut conn, publication, liker, true, at(2)).await
        }));
    }
    for task in tasks {
        task.await.expect("task").expect("liked");
    }
    let mut conn = db.conn().await;
    for liker in likers.iter().step_by(2) {
        Publications::set_like(&mut conn, publication, *liker, false, at(3))
            .await
            .expect("unliked");
    }
    let counted: u32 = publications::table
        .find(publication)
        .select(publications::like_count)
        .first(&mut conn)
        .await
        .expect("count");
    let rows: i64 = supports::table
        .filter(supports::subject_kind.eq(PUBLICATION.as_str()))
        .count()
        .get_result(&mut conn)
        .await
        .expect("rows");
    assert_eq!((counted, rows), (6, 6));
    let seen = Publications::get(&mut conn, publication, Some(likers[1]))
        .await
        .expect("get");
    assert!(seen.liked && seen.likes == 6);
}

#[tokio::test]
async fn news_comes_only_from_the_departments_officials_and_photos_whole_or_not_at_all() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let cast = Cast::new(&mut conn).await;
    let author = session(&mut conn, cast.author).await;
    assert_eq!(
        Publications::create(
            &mut conn,
            &author,
            &text("Новость", Some(cast.department)),
            at(1)
        )
        .await,
        Err(AppError::invalid("department", ErrorCode::NotAllowed))
    );
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
        Photos::stage(&mut conn, photo, at(1)).await.expect("stage");
    }
    let with_photos = |tokens: &[&str]| ValidPublication {
        photo_tokens: tokens.iter().map(|token| token.to_string()).collect(),
        ..text("Сквер после субботника", None)
    };
    let foreign = Publications::create(
        &mut conn,
        &author,
        &with_photos(&[
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
        ]),
        at(2),
    )
    .await;
    assert_eq!(
        foreign,
        Err(AppError::invalid("photos", ErrorCode::PhotoMissing))
    );
    let stored: i64 = publications::table
        .count()
        .get_result(&mut conn)
        .await
        .expect("count");
    assert_eq!(stored, 0, "nothing of the refused publication stays");
    let id = Publications::create(
        &mut conn,
        &author,
        &with_photos(&["aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"]),
        at(3),
    )
    .await
    .expect("published");
    let shown = Publications::get(&mut conn, id, None).await.expect("get");
    assert_eq!(shown.photos.len(), 1);
    let official = session(&mut conn, cast.official).await;
    let news = Publications::create(
        &mut conn,
        &official,
        &text("Новость", Some(cast.department)),
        at(4),
    )
    .await
    .expect("news");
    let news = Publications::get(&mut conn, news, None).await.expect("get");
    assert!(matches!(news.voice, Voice::Department { .. }));
}
