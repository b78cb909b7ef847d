//! Messages against a real MariaDB: one conversation per pair and topic, unread counts
//! exact while messages and reads race, blocks refuse the next message as an unknown
//! account is refused, only a responsible official opens a problem's conversation, and
//! live delivery reads what other instances wrote.

use std::collections::HashSet;

use diesel::prelude::*;
use diesel_async::{AsyncMysqlConnection, RunQueryDsl};

use super::model::ConversationId;
use super::queries::Conversations;
use crate::auth::model::SessionUser;
use crate::auth::queries::Users;
use crate::auth::testing::{test_minute as at, test_user};
use crate::organisation::testing::Cast;
use crate::problems::testing::published;
use civic::blocks::Blocks;
use platform::db::schema::{conversation_members, conversations, messages};
use platform::db::testing::TestDb;
use platform::error::{AppError, ErrorCode};
use platform::ids::UserId;

async fn session(conn: &mut AsyncMysqlConnection, user: UserId) -> SessionUser {
    Users::session_user(conn, user).await.expect("session")
}

async fn start(
    conn: &mut AsyncMysqlConnection,
    from: UserId,
    to: UserId,
    body: &str,
) -> Result<ConversationId, AppError> {
    let from = session(conn, from).await;
    Conversations::start(conn, &from, to, None, body, at(0))
        .await
        .map(|message| message.conversation)
}

fn refused_code(result: Result<impl std::fmt::Debug, AppError>) -> ErrorCode {
    match result {
        Err(AppError::Invalid { errors }) => errors[0].code,
        other => panic!("expected a refused field, got {other:?}"),
    }
}

#[tokio::test]
async fn a_pair_has_one_conversation_listed_by_its_newest_message_with_exact_unread_counts() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let anna = test_user(&mut conn, "anna").await;
    let boris = test_user(&mut conn, "boris").await;
    let vera = test_user(&mut conn, "vera").await;
    let with_boris = start(&mut conn, anna, boris, "Привет!")
        .await
        .expect("sent");
    let again = start(&mut conn, boris, anna, "И тебе привет")
        .await
        .expect("sent");
    assert_eq!(
        with_boris, again,
        "whoever writes first, the pair has one conversation"
    );
    let with_vera = start(&mut conn, vera, anna, "Добрый день")
        .await
        .expect("sent");

    let inbox = Conversations::inbox(&mut conn, anna, None)
        .await
        .expect("inbox");
    let order: Vec<ConversationId> = inbox.conversations.iter().map(|c| c.id).collect();
    assert_eq!(order, [with_vera, with_boris], "the newest message first");
    assert_eq!(inbox.unread, 2, "Boris's and Vera's messages");
    assert_eq!(inbox.conversations[1].unread, 1);
    assert_eq!(inbox.conversations[1].with_id, boris);
    let (listed, sender) = inbox.conversations[1].last.clone().expect("a last message");
    assert_eq!((listed.as_str(), sender), ("И тебе привет", boris));

    // Anna read Boris's; the one she sent herself never counted for her.
    let (shown, _) = Conversations::messages(&mut conn, with_boris, None)
        .await
        .expect("messages");
    let newest = shown.last().expect("messages").id;
    let left = Conversations::mark_read(&mut conn, with_boris, anna, newest)
        .await
        .expect("read");
    assert_eq!(left, 0);
    assert_eq!(
        Conversations::unread(&mut conn, anna)
            .await
            .expect("unread"),
        1
    );
    assert_eq!(
        Conversations::unread(&mut conn, boris)
            .await
            .expect("unread"),
        0
    );

    // Someone else's conversation is not found, to read or to write in.
    assert_eq!(
        Conversations::summary(&mut conn, with_boris, vera)
            .await
            .err(),
        Some(AppError::NotFound)
    );
    assert_eq!(
        Conversations::send(&mut conn, with_boris, vera, "Можно к вам?", at(1))
            .await
            .err(),
        Some(AppError::NotFound)
    );
    let rows: i64 = conversations::table
        .count()
        .get_result(&mut conn)
        .await
        .expect("count");
    assert_eq!(rows, 2);
}

#[tokio::test]
async fn unread_counts_stay_exact_while_messages_and_reads_race() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let anna = test_user(&mut conn, "anna").await;
    let boris = test_user(&mut conn, "boris").await;
    let conversation = start(&mut conn, anna, boris, "Начнём").await.expect("sent");
    drop(conn);
    // Boris sends 40 messages from 8 connections while Anna keeps reading up to what she
    // has seen; whatever interleaving, her count is Boris's messages after her last read.
    let mut tasks = Vec::new();
    for sender in 0..8 {
        let pool = db.pool().clone();
        tasks.push(tokio::spawn(async move {
            let mut conn = pool.get().await.expect("connection");
            for index in 0..5 {
                let body = format!("Сообщение {sender}-{index}");
                Conversations::send(&mut conn, conversation, boris, &body, at(1))
                    .await
                    .expect("sent");
            }
        }));
    }
    let reader = {
        let pool = db.pool().clone();
        tokio::spawn(async move {
            let mut conn = pool.get().await.expect("connection");
            for _ in 0..20 {
                let (shown, _) = Conversations::messages(&mut conn, conversation, None)
                    .await
                    .expect("messages");
                if let Some(newest) = shown.last() {
                    Conversations::mark_read(&mut conn, conversation, anna, newest.id)
                        .await
                        .expect("read");
                }
            }
        })
    };
    for task in tasks {
        task.await.expect("sender");
    }
    reader.await.expect("reader");
    let mut conn = db.conn().await;
    let read: u64 = conversation_members::table
        .find((conversation.0, anna))
        .select(conversation_members::last_read_message_id)
        .first(&mut conn)
        .await
        .expect("read mark");
    let after_read: i64 = messages::table
        .filter(messages::conversation_id.eq(conversation.0))
        .filter(messages::sender_id.eq(boris))
        .filter(messages::id.gt(read))
        .count()
        .get_result(&mut conn)
        .await
        .expect("count");
    let counted = Conversations::unread(&mut conn, anna)
        .await
        .expect("unread");
    assert_eq!(i64::from(counted), after_read);
    // Reading everything leaves nothing unread; reading backwards changes nothing.
    let (shown, older) = Conversations::messages(&mut conn, conversation, None)
        .await
        .expect("messages");
    assert_eq!(shown.len(), 41);
    assert_eq!(older, None);
    let newest = shown.last().expect("messages").id;
    Conversations::mark_read(&mut conn, conversation, anna, newest)
        .await
        .expect("read");
    let oldest = shown[0].id;
    Conversations::mark_read(&mut conn, conversation, anna, oldest)
        .await
        .expect("read");
    assert_eq!(
        Conversations::unread(&mut conn, anna)
            .await
            .expect("unread"),
        0
    );
}

#[tokio::test]
async fn a_block_either_way_refuses_the_next_message_as_an_unknown_account_is_refused() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let anna = test_user(&mut conn, "anna").await;
    let boris = test_user(&mut conn, "boris").await;
    let conversation = start(&mut conn, anna, boris, "Привет").await.expect("sent");
    Blocks::set(&mut conn, boris, anna, true, at(1))
        .await
        .expect("blocked");
    let blocked = Conversations::send(&mut conn, conversation, anna, "Ответь!", at(2)).await;
    let unknown = start(&mut conn, anna, UserId(u64::MAX - 1), "Кто здесь?").await;
    let myself = start(&mut conn, anna, anna, "Себе").await;
    assert_eq!(refused_code(blocked), ErrorCode::Undeliverable);
    assert_eq!(refused_code(unknown), ErrorCode::Undeliverable);
    assert_eq!(refused_code(myself), ErrorCode::Undeliverable);
    // The blocker cannot write either while the block stands, nor start anew.
    let back = Conversations::send(&mut conn, conversation, boris, "Ещё одно", at(3)).await;
    assert_eq!(refused_code(back), ErrorCode::Undeliverable);
    let anew = start(&mut conn, anna, boris, "Заново").await;
    assert_eq!(refused_code(anew), ErrorCode::Undeliverable);
    let written: i64 = messages::table
        .count()
        .get_result(&mut conn)
        .await
        .expect("count");
    assert_eq!(written, 1, "nothing refused was stored");
    assert_eq!(
        Conversations::unread(&mut conn, boris)
            .await
            .expect("unread"),
        1
    );
    Blocks::set(&mut conn, boris, anna, false, at(4))
        .await
        .expect("unblocked");
    Conversations::send(&mut conn, conversation, anna, "Мир?", at(5))
        .await
        .expect("sent after the unblock");
}

#[tokio::test]
async fn only_a_responsible_official_opens_a_problems_conversation_with_its_author() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let cast = Cast::new(&mut conn).await;
    let problem = published(&mut conn, &cast, at(0)).await;
    let stranger = test_user(&mut conn, "stranger").await;
    let official = session(&mut conn, cast.official).await;
    let question = Conversations::start(
        &mut conn,
        &official,
        cast.author,
        Some(problem),
        "Уточните адрес",
        at(1),
    )
    .await
    .expect("the official writes to the author");
    let personal = start(&mut conn, cast.official, cast.author, "Лично")
        .await
        .expect("sent");
    assert_ne!(
        question.conversation, personal,
        "a problem's conversation is its own"
    );
    let about = Conversations::about_problem(&mut conn, problem, cast.author)
        .await
        .expect("listed");
    assert_eq!(about.len(), 1);
    assert_eq!(
        about[0].problem.as_ref().map(|(id, _)| *id),
        Some(problem.0)
    );
    assert_eq!(
        Conversations::start(&mut conn, &official, stranger, Some(problem), "Вам", at(2))
            .await
            .err(),
        Some(AppError::Forbidden),
        "only with the problem's author"
    );
    let resident = session(&mut conn, stranger).await;
    assert_eq!(
        Conversations::start(
            &mut conn,
            &resident,
            cast.author,
            Some(problem),
            "Я тоже",
            at(2)
        )
        .await
        .err(),
        Some(AppError::Forbidden),
        "only an official answering for the problem"
    );
}

#[tokio::test]
async fn live_delivery_reads_new_messages_with_their_members_and_asks_for_gaps_again() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let anna = test_user(&mut conn, "anna").await;
    let boris = test_user(&mut conn, "boris").await;
    let before = Conversations::newest_id(&mut conn).await.expect("newest");
    let conversation = start(&mut conn, anna, boris, "Первое").await.expect("sent");
    let second = Conversations::send(&mut conn, conversation, boris, "Второе", at(1))
        .await
        .expect("sent");
    let found = Conversations::deliveries(&mut conn, before, &HashSet::new(), 10)
        .await
        .expect("deliveries");
    assert_eq!(found.len(), 2);
    let mut members = found[1].members.clone();
    members.sort();
    let mut both = vec![anna, boris];
    both.sort();
    assert_eq!(members, both);
    assert_eq!(found[1].message, second);
    // A gap below the cursor is read when asked for.
    let first = found[0].message.id.0;
    let again = Conversations::deliveries(&mut conn, second.id.0, &HashSet::from([first]), 10)
        .await
        .expect("deliveries");
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].message.id.0, first);
}

#[tokio::test]
async fn closing_live_delivery_ends_every_open_stream_so_a_shutdown_is_not_held() {
    use tokio_stream::StreamExt;

    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let anna = test_user(&mut conn, "anna").await;
    let live = super::live::LiveMessages::new(db.pool().clone());
    let mut open = live.subscribe(anna).await;
    assert_eq!(live.listening(), 1);
    live.close();
    assert_eq!(live.listening(), 0);
    assert!(open.next().await.is_none(), "the open stream ended");
    let mut later = live.subscribe(anna).await;
    assert!(
        later.next().await.is_none(),
        "a stream opened after closing ends at once"
    );
}
