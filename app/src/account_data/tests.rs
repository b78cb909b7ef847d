//! A person's data against a real MariaDB: the download holds what they created, and a
//! deleted account leaves no personal data while its public contributions stay.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel_async::{AsyncMysqlConnection, RunQueryDsl};

use super::queries::{AccountDeletion, DELETED_NAME, YourData};
use crate::auth::model::SessionUser;
use crate::auth::queries::{Sessions, Users};
use crate::auth::testing::{test_minute as at, test_user};
use crate::messages::queries::Conversations;
use crate::organisation::testing::Cast;
use crate::people::model::{AvatarChange, ValidProfile, Visibility};
use crate::people::queries::Profiles;
use crate::problems::testing::published;
use crate::publications::model::ValidPublication;
use crate::publications::queries::Publications;
use civic::blocks::Blocks;
use civic::follows::Follows;
use civic::subject::Subject;
use platform::db::schema::{
    blocks, comments, conversation_members, follows, messages, notifications, problems, profiles,
    publications, sessions, users,
};
use platform::db::testing::TestDb;
use platform::error::{AppError, ErrorCode};
use platform::ids::UserId;

async fn session(conn: &mut AsyncMysqlConnection, user: UserId) -> SessionUser {
    Users::session_user(conn, user).await.expect("session")
}

const ABOUT: &str = "Живу на Гидрострое, пишу о дворах и фонарях.";
const PUBLISHED: &str = "Во дворе поставили новые скамейки.";
const PRIVATE: &str = "Мой телефон 8-900-000-00-00, позвоните вечером.";

/// Anna (the cast's author) with a profile, a published problem, a publication that
/// Boris comments on, follows and a block both ways, a conversation and a session.
async fn busy_person(conn: &mut AsyncMysqlConnection, cast: &Cast) -> (UserId, UserId) {
    let anna = cast.author;
    let boris = test_user(conn, "boris").await;
    Profiles::save(
        conn,
        anna,
        ValidProfile {
            display_name: "Анна Тестова".into(),
            about: ABOUT.into(),
            shown: Visibility {
                municipality: true,
                problems: true,
                solutions: false,
                initiatives: false,
                comments: true,
            },
            avatar: AvatarChange::Keep,
        },
        at(0),
    )
    .await
    .expect("profile");
    published(conn, cast, at(1)).await;
    let author = session(conn, anna).await;
    let publication = Publications::create(
        conn,
        &author,
        &ValidPublication {
            body: PUBLISHED.into(),
            photo_tokens: Vec::new(),
            department: None,
        },
        at(2),
    )
    .await
    .expect("published");
    Publications::add_comment(conn, publication, boris, "Красиво!", at(3))
        .await
        .expect("commented");
    let person = |id: UserId| Subject::new(crate::auth::model::PERSON, id.0);
    Follows::set(conn, person(boris), anna, true, at(4))
        .await
        .expect("follow");
    Follows::set(conn, person(anna), boris, true, at(4))
        .await
        .expect("follow");
    let carol = test_user(conn, "carol").await;
    Blocks::set(conn, anna, carol, true, at(5))
        .await
        .expect("block");
    Blocks::set(conn, carol, anna, true, at(5))
        .await
        .expect("block");
    Conversations::start(conn, &author, boris, None, PRIVATE, at(6))
        .await
        .expect("message");
    Sessions::create(conn, &"a".repeat(64), anna, at(7), at(600))
        .await
        .expect("session");
    (anna, boris)
}

#[tokio::test]
async fn the_download_holds_what_the_person_created() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let cast = Cast::new(&mut conn).await;
    let (anna, _) = busy_person(&mut conn, &cast).await;
    let (data, photos) = YourData::export(&mut conn, anna).await.expect("export");
    assert_eq!(data["account"][0]["display_name"], "Анна Тестова");
    assert_eq!(data["profile"][0]["about"], ABOUT);
    assert_eq!(data["problems"].as_array().map(Vec::len), Some(1));
    assert_eq!(data["publications"][0]["body"], PUBLISHED);
    assert_eq!(
        data["follows"].as_array().map(Vec::len),
        Some(3),
        "Boris, her problem and her publication (authors follow what they write)"
    );
    assert_eq!(data["blocks"].as_array().map(Vec::len), Some(1));
    assert_eq!(data["messages"][0]["body"], PRIVATE);
    assert_eq!(data["messages"][0]["mine"], true);
    assert_eq!(
        data["comments"].as_array().map(Vec::len),
        Some(0),
        "Boris's comment is his"
    );
    assert!(photos.is_empty());
}

#[tokio::test]
async fn a_deleted_account_leaves_no_personal_data_and_its_public_contributions_stay() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let cast = Cast::new(&mut conn).await;
    let (anna, boris) = busy_person(&mut conn, &cast).await;
    let email: String = users::table
        .find(anna)
        .select(users::email)
        .first(&mut conn)
        .await
        .expect("email");

    AccountDeletion::delete(&mut conn, anna, at(10))
        .await
        .expect("deleted");

    let (name, stored_email, hash, deleted): (String, String, String, Option<NaiveDateTime>) =
        users::table
            .find(anna)
            .select((
                users::display_name,
                users::email,
                users::password_hash,
                users::deleted_at,
            ))
            .first(&mut conn)
            .await
            .expect("the row stays");
    assert_eq!(name, DELETED_NAME);
    assert_eq!(stored_email, format!("deleted-{}@deleted.invalid", anna.0));
    assert_eq!((hash.as_str(), deleted), ("", Some(at(10))));
    let named: i64 = users::table
        .filter(
            users::email
                .eq(&email)
                .or(users::display_name.eq("Анна Тестова")),
        )
        .count()
        .get_result(&mut conn)
        .await
        .expect("count");
    assert_eq!(named, 0, "neither the e-mail nor the name is anywhere");

    let left = [
        sessions::table
            .filter(sessions::user_id.eq(anna))
            .count()
            .get_result::<i64>(&mut conn)
            .await,
        notifications::table
            .filter(notifications::user_id.eq(anna))
            .count()
            .get_result(&mut conn)
            .await,
        follows::table
            .filter(follows::user_id.eq(anna))
            .count()
            .get_result(&mut conn)
            .await,
        follows::table
            .filter(follows::subject_kind.eq(crate::auth::model::PERSON.as_str()))
            .filter(follows::subject_id.eq(anna.0))
            .count()
            .get_result(&mut conn)
            .await,
        blocks::table
            .filter(blocks::blocker_id.eq(anna).or(blocks::blocked_id.eq(anna)))
            .count()
            .get_result(&mut conn)
            .await,
        profiles::table
            .filter(profiles::user_id.eq(anna))
            .count()
            .get_result(&mut conn)
            .await,
        conversation_members::table
            .filter(conversation_members::user_id.eq(anna))
            .count()
            .get_result(&mut conn)
            .await,
        messages::table
            .filter(messages::sender_id.eq(anna))
            .count()
            .get_result(&mut conn)
            .await,
    ];
    let left: Vec<i64> = left
        .into_iter()
        .map(|count| count.expect("count"))
        .collect();
    assert_eq!(
        left, [0; 8],
        "sessions, notifications, follows both ways, blocks, profile, conversations, messages"
    );
    let private: i64 = messages::table
        .filter(messages::body.eq(PRIVATE))
        .count()
        .get_result(&mut conn)
        .await
        .expect("count");
    assert_eq!(private, 0);
    let inbox = Conversations::inbox(&mut conn, boris, None)
        .await
        .expect("inbox");
    assert!(inbox.conversations.is_empty() && inbox.unread == 0);

    // Public contributions stay, under the placeholder name; Boris's comment on her
    // publication keeps its thread.
    let problems_left: i64 = problems::table
        .filter(problems::author_id.eq(anna))
        .count()
        .get_result(&mut conn)
        .await
        .expect("count");
    let publications_left: i64 = publications::table
        .filter(publications::author_id.eq(anna))
        .count()
        .get_result(&mut conn)
        .await
        .expect("count");
    let comments_left: i64 = comments::table
        .filter(comments::author_id.eq(boris))
        .count()
        .get_result(&mut conn)
        .await
        .expect("count");
    assert_eq!((problems_left, publications_left, comments_left), (1, 1, 1));

    // Nobody can write to, follow or give a role to the deleted account; deleting twice
    // is not found.
    let boris_session = session(&mut conn, boris).await;
    let refused =
        Conversations::start(&mut conn, &boris_session, anna, None, "Вы тут?", at(11)).await;
    assert!(matches!(
        refused,
        Err(AppError::Invalid { ref errors }) if errors[0].code == ErrorCode::Undeliverable
    ));
    assert!(!Users::exists(&mut conn, anna).await.expect("exists"));
    assert_eq!(
        AccountDeletion::delete(&mut conn, anna, at(12)).await.err(),
        Some(AppError::NotFound)
    );
}

#[tokio::test]
async fn a_staff_account_is_not_deleted_while_it_holds_a_role() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let cast = Cast::new(&mut conn).await;
    let refused = AccountDeletion::delete(&mut conn, cast.official, at(0)).await;
    assert!(matches!(
        refused,
        Err(AppError::Invalid { ref errors }) if errors[0].code == ErrorCode::NotAllowed
    ));
    assert!(
        Users::exists(&mut conn, cast.official)
            .await
            .expect("exists")
    );
}
