//! The civic building blocks against a real MariaDB: exact supports under concurrency,
//! comments reported and hidden, followers told, and the reaction clock driving a subject
//! kind that is not a problem.

use chrono::{Duration, NaiveDateTime};
use civic::audit::AuditEntry;
use civic::comments::{CommentId, Comments, Position, PositionCounts, THREADS_PER_PAGE};
use civic::follows::Follows;
use civic::notifications::{NotificationPreferences, Notifications};
use civic::reaction_clock::{self, ClockReport, ClockedSubject};
use civic::subject::{Subject, SubjectKind};
use civic::supports::Supports;
use diesel::QueryResult;
use diesel::sql_types::{BigInt, Nullable, Text, Unsigned};
use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl, SimpleAsyncConnection};
use platform::db::last_insert_id;
use platform::db::testing::TestDb;
use platform::error::{AppError, ErrorCode};
use platform::ids::{DepartmentId, UserId};

const IDEA: SubjectKind = SubjectKind::new("test_idea");

fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").expect("a valid test time")
}

async fn user(conn: &mut AsyncMysqlConnection, name: &str) -> UserId {
    diesel::sql_query(
        "INSERT INTO users (email, password_hash, display_name, home_municipality_id, locale, \
         created_at, password_changed_at) \
         SELECT ?, 'not-a-hash', ?, MIN(id), 'ru', '2026-01-01', '2026-01-01' FROM municipalities",
    )
    .bind::<Text, _>(format!("{name}@example.test"))
    .bind::<Text, _>(name)
    .execute(conn)
    .await
    .expect("create a user");
    UserId(last_insert_id(conn).await.expect("the user's id"))
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

async fn count(conn: &mut AsyncMysqlConnection, sql: &str) -> i64 {
    diesel::sql_query(sql)
        .get_result::<Count>(conn)
        .await
        .expect("count")
        .n
}

#[tokio::test]
async fn supports_count_each_person_once_however_many_requests_race() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let idea = Subject::new(IDEA, 7);
    let now = at("2026-03-01 10:00:00");
    let mut people = Vec::new();
    for i in 0..12 {
        people.push(user(&mut conn, &format!("supporter{i}")).await);
    }
    drop(conn);
    // Every person sends the same support three times at once: 36 requests, 12 supports.
    let mut tasks = Vec::new();
    for &person in &people {
        for _ in 0..3 {
            let pool = db.pool().clone();
            tasks.push(tokio::spawn(async move {
                let mut conn = pool.get().await.expect("a connection");
                Supports::set(&mut conn, idea, person, true, now)
                    .await
                    .expect("support")
            }));
        }
    }
    let mut added = 0;
    for task in tasks {
        added += u32::from(task.await.expect("the task"));
    }
    let mut conn = db.conn().await;
    assert_eq!(
        added, 12,
        "exactly one of each person's requests adds a row"
    );
    assert_eq!(Supports::count(&mut conn, idea).await.expect("count"), 12);
    assert!(
        Supports::has(&mut conn, idea, people[0])
            .await
            .expect("has")
    );
    assert!(
        !Supports::has(&mut conn, Subject::new(IDEA, 8), people[0])
            .await
            .expect("has")
    );

    assert!(
        Supports::set(&mut conn, idea, people[0], false, now)
            .await
            .expect("withdraw")
    );
    assert!(
        !Supports::set(&mut conn, idea, people[0], false, now)
            .await
            .expect("again")
    );
    assert_eq!(Supports::count(&mut conn, idea).await.expect("count"), 11);

    // Merging: whoever supported either subject supports the original once.
    let duplicate = Subject::new(IDEA, 9);
    Supports::set(&mut conn, duplicate, people[0], true, now)
        .await
        .expect("support");
    Supports::set(&mut conn, duplicate, people[1], true, now)
        .await
        .expect("support");
    assert_eq!(
        Supports::merge(&mut conn, duplicate, idea)
            .await
            .expect("merge"),
        12
    );
    assert_eq!(
        Supports::count(&mut conn, duplicate).await.expect("count"),
        2
    );
}

#[tokio::test]
async fn a_reported_comment_is_hidden_with_a_public_reason_and_an_audit_row() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let author = user(&mut conn, "author").await;
    let reader = user(&mut conn, "reader").await;
    let other = user(&mut conn, "other").await;
    let moderator = user(&mut conn, "moderator").await;
    let idea = Subject::new(IDEA, 1);
    let now = at("2026-03-01 10:00:00");

    let first = Comments::add(
        &mut conn,
        idea,
        author,
        "Хорошая идея",
        Some(Position::For),
        None,
        now,
    )
    .await
    .expect("comment");
    let second = Comments::add(
        &mut conn,
        idea,
        reader,
        "Реклама: купите",
        Some(Position::Against),
        None,
        now,
    )
    .await
    .expect("comment");
    Comments::add(
        &mut conn,
        Subject::new(IDEA, 2),
        reader,
        "elsewhere",
        None,
        None,
        now,
    )
    .await
    .expect("comment");
    let before_hiding = Comments::of(&mut conn, idea).await.expect("thread");
    assert_eq!(before_hiding[0].position, Some(Position::For));
    assert_eq!(
        Comments::position_summary(&mut conn, idea)
            .await
            .expect("summary")
            .counts,
        PositionCounts {
            in_favour: 1,
            against: 1,
            neutral: 0
        }
    );

    assert!(
        Comments::report(&mut conn, second, author, "spam", now)
            .await
            .expect("report")
    );
    assert!(
        !Comments::report(&mut conn, second, author, "spam again", now)
            .await
            .expect("again")
    );
    assert!(
        Comments::report(&mut conn, second, other, "реклама", now)
            .await
            .expect("report")
    );
    let queue = Comments::reported(&mut conn, 10).await.expect("queue");
    assert_eq!(queue.len(), 1);
    assert_eq!(queue[0].comment.id, second);
    assert_eq!(queue[0].reports, 2, "one report per person");
    assert_eq!(
        (queue[0].subject_kind.as_str(), queue[0].subject_id),
        ("test_idea", 1)
    );

    Comments::hide(&mut conn, second, moderator, "Реклама", now)
        .await
        .expect("hide");
    Comments::hide(&mut conn, second, moderator, "twice", now)
        .await
        .expect("hiding again is a no-op");
    let thread = Comments::of(&mut conn, idea).await.expect("thread");
    assert_eq!(thread.len(), 2, "a hidden comment keeps its place");
    assert_eq!(thread[0].id, first);
    assert_eq!(thread[0].body, "Хорошая идея");
    assert_eq!(thread[0].author_name, "author");
    assert_eq!(
        thread[1].body, "",
        "the hidden text never leaves the server"
    );
    assert_eq!(thread[1].hidden_reason.as_deref(), Some("Реклама"));
    assert_eq!(
        Comments::position_summary(&mut conn, idea)
            .await
            .expect("summary")
            .counts
            .of(Position::Against),
        0,
        "a hidden comment's position no longer counts"
    );
    assert!(
        Comments::reported(&mut conn, 10)
            .await
            .expect("queue")
            .is_empty()
    );
    assert!(
        !Comments::report(&mut conn, second, reader, "late", now)
            .await
            .expect("report"),
        "a hidden comment takes no more reports"
    );

    let audit = AuditEntry::recent(&mut conn, Some(("comment", second.0)), 10)
        .await
        .expect("audit");
    assert_eq!(audit.len(), 1, "hiding twice is audited once");
    assert_eq!(audit[0].action, "comment.hide");
    assert_eq!(audit[0].actor_id, Some(moderator));

    match Comments::hide(&mut conn, CommentId(999_999), moderator, "x", now).await {
        Err(AppError::NotFound) => {}
        other => panic!("hiding a missing comment: {other:?}"),
    }
}

#[tokio::test]
async fn replies_join_the_thread_they_answer_and_pages_cut_by_thread() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let author = user(&mut conn, "author").await;
    let reader = user(&mut conn, "reader").await;
    let idea = Subject::new(IDEA, 11);
    let now = at("2026-03-01 10:00:00");
    let mut openers = Vec::new();
    for n in 0..=THREADS_PER_PAGE {
        let body = format!("Мнение {n}");
        let id = Comments::add(&mut conn, idea, author, &body, None, None, now)
            .await
            .expect("comment");
        openers.push(id);
    }
    let reply = Comments::add(
        &mut conn,
        idea,
        reader,
        "Ответ",
        None,
        Some(openers[1]),
        now,
    )
    .await
    .expect("reply");
    Comments::add(
        &mut conn,
        idea,
        author,
        "Ответ на ответ",
        None,
        Some(reply),
        now,
    )
    .await
    .expect("a reply to a reply");
    let elsewhere = Subject::new(IDEA, 12);
    assert_eq!(
        Comments::add(
            &mut conn,
            elsewhere,
            reader,
            "x",
            None,
            Some(openers[0]),
            now
        )
        .await,
        Err(AppError::NotFound),
        "a reply stays on the subject of the comment it answers"
    );

    let first = Comments::page(&mut conn, idea, Some(reader), None)
        .await
        .expect("first page");
    assert_eq!(first.threads.len(), THREADS_PER_PAGE);
    assert_eq!(first.threads[0].id, openers[0]);
    let replies: Vec<&str> = first.threads[1]
        .replies
        .iter()
        .map(|reply| reply.body.as_str())
        .collect();
    assert_eq!(
        replies,
        ["Ответ", "Ответ на ответ"],
        "a reply to a reply joins the thread of the comment that opened it"
    );
    assert!(
        first.threads[1].replies[0].mine,
        "the reader wrote the reply"
    );
    assert!(!first.threads[1].mine);
    assert_eq!(first.next_after, Some(openers[THREADS_PER_PAGE - 1]));
    let second = Comments::page(&mut conn, idea, None, first.next_after)
        .await
        .expect("second page");
    let ids: Vec<CommentId> = second.threads.iter().map(|thread| thread.id).collect();
    assert_eq!(
        ids,
        [openers[THREADS_PER_PAGE]],
        "the rest, replies not counted"
    );
    assert_eq!(second.next_after, None);
}

#[tokio::test]
async fn comment_supports_count_once_and_name_the_leading_comment_of_each_side() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let author = user(&mut conn, "author").await;
    let readers = [
        user(&mut conn, "first").await,
        user(&mut conn, "second").await,
        user(&mut conn, "third").await,
    ];
    let moderator = user(&mut conn, "moderator").await;
    let idea = Subject::new(IDEA, 13);
    let now = at("2026-03-01 10:00:00");
    let add = async |conn: &mut AsyncMysqlConnection, who, text: &str, position| {
        Comments::add(conn, idea, who, text, Some(position), None, now)
            .await
            .expect("comment")
    };
    let early_for = add(&mut conn, author, "За, но позже", Position::For).await;
    let popular_for = add(&mut conn, readers[0], "За: давно пора", Position::For).await;
    let against = add(&mut conn, readers[1], "Против: дорого", Position::Against).await;
    add(&mut conn, readers[2], "Сколько стоит?", Position::Neutral).await;

    let none = Comments::position_summary(&mut conn, idea)
        .await
        .expect("summary");
    assert_eq!(none.leading_for, None, "no leader without a support");

    for reader in readers {
        let supported = Comments::support(&mut conn, idea, popular_for, reader, true, now).await;
        if reader == readers[0] {
            assert_eq!(
                supported,
                Err(AppError::invalid("comment", ErrorCode::OwnComment)),
                "nobody supports their own comment"
            );
        } else {
            supported.expect("support");
        }
    }
    assert_eq!(
        Comments::support(&mut conn, idea, popular_for, readers[1], true, now).await,
        Ok(2),
        "supporting twice counts once"
    );
    assert_eq!(
        Comments::support(&mut conn, idea, early_for, readers[1], true, now).await,
        Ok(1)
    );
    Comments::support(&mut conn, idea, against, author, true, now)
        .await
        .expect("support");
    assert_eq!(
        Comments::support(
            &mut conn,
            Subject::new(IDEA, 14),
            against,
            author,
            false,
            now
        )
        .await,
        Err(AppError::NotFound),
        "a comment is supported through its own subject"
    );

    let summary = Comments::position_summary(&mut conn, idea)
        .await
        .expect("summary");
    assert_eq!(
        summary.counts,
        PositionCounts {
            in_favour: 2,
            against: 1,
            neutral: 1
        }
    );
    let leader = summary.leading_for.expect("a leader for");
    assert_eq!((leader.id, leader.supports), (popular_for, 2));
    assert_eq!(summary.leading_against.map(|c| c.id), Some(against));
    let page = Comments::page(&mut conn, idea, Some(readers[1]), None)
        .await
        .expect("page");
    let seen: Vec<(u32, bool)> = page
        .threads
        .iter()
        .map(|comment| (comment.supports, comment.supported))
        .collect();
    assert_eq!(seen, [(1, true), (2, true), (1, false), (0, false)]);

    assert_eq!(
        Comments::support(&mut conn, idea, popular_for, readers[1], false, now).await,
        Ok(1),
        "a withdrawn support is subtracted"
    );
    Comments::support(&mut conn, idea, popular_for, readers[2], false, now)
        .await
        .expect("withdraw");
    let leader = Comments::position_summary(&mut conn, idea)
        .await
        .expect("summary")
        .leading_for
        .expect("a leader for");
    assert_eq!(leader.id, early_for, "the leader follows the supports");

    Comments::hide(&mut conn, early_for, moderator, "Оффтоп", now)
        .await
        .expect("hide");
    assert_eq!(
        Comments::position_summary(&mut conn, idea)
            .await
            .expect("summary")
            .leading_for,
        None,
        "a hidden comment never leads"
    );
    assert_eq!(
        Comments::support(&mut conn, idea, early_for, readers[2], true, now).await,
        Err(AppError::Conflict),
        "a hidden comment takes no supports"
    );
}

#[tokio::test]
async fn followers_are_told_except_whoever_acted() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let author = user(&mut conn, "author").await;
    let follower = user(&mut conn, "follower").await;
    let quitter = user(&mut conn, "quitter").await;
    let idea = Subject::new(IDEA, 3);
    let now = at("2026-03-01 10:00:00");
    for person in [author, follower, quitter] {
        Follows::set(&mut conn, idea, person, true, now)
            .await
            .expect("follow");
    }
    Follows::set(&mut conn, idea, follower, true, now)
        .await
        .expect("following twice is once");
    Follows::set(&mut conn, idea, quitter, false, now)
        .await
        .expect("unfollow");
    assert!(
        !Follows::is_following(&mut conn, idea, quitter)
            .await
            .expect("is following")
    );

    // The follower asked for mail, and so did the author, who acted and is not told.
    diesel::sql_query("UPDATE users SET mail_followed_notices = TRUE WHERE id IN (?, ?)")
        .bind::<Unsigned<BigInt>, _>(follower.0)
        .bind::<Unsigned<BigInt>, _>(author.0)
        .execute(&mut conn)
        .await
        .expect("opt in");
    Notifications::to_followers(&mut conn, idea, "answered", Some(author), now)
        .await
        .expect("notify");
    assert_eq!(
        count(
            &mut conn,
            "SELECT COUNT(*) AS n FROM outbox_events WHERE channel = 'notice' \
             AND ordering_key = 'mail:follower@example.test' AND kind = 'answered'"
        )
        .await,
        1,
        "one mail, to the follower who asked for it"
    );
    assert_eq!(
        count(&mut conn, "SELECT COUNT(*) AS n FROM outbox_events").await,
        1
    );
    assert_eq!(
        Notifications::unread_count(&mut conn, author)
            .await
            .expect("count"),
        0
    );
    assert_eq!(
        Notifications::unread_count(&mut conn, quitter)
            .await
            .expect("count"),
        0
    );
    let bell = Notifications::recent(&mut conn, follower, 10)
        .await
        .expect("recent");
    assert_eq!(bell.len(), 1, "one notification, though followed twice");
    assert_eq!(
        (bell[0].subject_kind.as_str(), bell[0].subject_id),
        ("test_idea", 3)
    );
    assert_eq!(bell[0].kind, "answered");
    assert!(!bell[0].read);
    Notifications::mark_all_read(&mut conn, follower, now)
        .await
        .expect("read");
    assert_eq!(
        Notifications::unread_count(&mut conn, follower)
            .await
            .expect("count"),
        0
    );
}

#[tokio::test]
async fn each_persons_choice_for_a_kind_of_subject_routes_its_notifications() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let actor = user(&mut conn, "actor").await;
    let muted = user(&mut conn, "muted").await;
    let bell_only = user(&mut conn, "bellonly").await;
    let mailed = user(&mut conn, "mailed").await;
    let usual = user(&mut conn, "usual").await;
    let idea = Subject::new(IDEA, 5);
    let now = at("2026-03-01 10:00:00");
    for person in [muted, bell_only, mailed, usual] {
        Follows::set(&mut conn, idea, person, true, now)
            .await
            .expect("follow");
    }
    // Everyone but `mailed` asked for mail in general; the choices per kind decide.
    diesel::sql_query("UPDATE users SET mail_followed_notices = TRUE WHERE id IN (?, ?, ?)")
        .bind::<Unsigned<BigInt>, _>(muted.0)
        .bind::<Unsigned<BigInt>, _>(bell_only.0)
        .bind::<Unsigned<BigInt>, _>(usual.0)
        .execute(&mut conn)
        .await
        .expect("opt in");
    for (person, choice) in [
        (muted, (false, false)),
        (bell_only, (true, false)),
        (mailed, (true, true)),
    ] {
        NotificationPreferences::set(&mut conn, person, IDEA.as_str(), Some(choice))
            .await
            .expect("choose");
    }
    // A choice for another kind changes nothing here.
    NotificationPreferences::set(&mut conn, usual, "other_kind", Some((false, false)))
        .await
        .expect("choose");

    Notifications::to_followers(&mut conn, idea, "answered", Some(actor), now)
        .await
        .expect("notify");
    let rung = |person: UserId| {
        format!(
            "SELECT COUNT(*) AS n FROM notifications WHERE user_id = {}",
            person.0
        )
    };
    let mail = |name: &str| {
        format!(
            "SELECT COUNT(*) AS n FROM outbox_events WHERE ordering_key = 'mail:{name}@example.test'"
        )
    };
    assert_eq!(count(&mut conn, &rung(muted)).await, 0);
    assert_eq!(count(&mut conn, &mail("muted")).await, 0);
    assert_eq!(count(&mut conn, &rung(bell_only)).await, 1);
    assert_eq!(count(&mut conn, &mail("bellonly")).await, 0);
    assert_eq!(count(&mut conn, &rung(mailed)).await, 1);
    assert_eq!(count(&mut conn, &mail("mailed")).await, 1);
    assert_eq!(count(&mut conn, &rung(usual)).await, 1);
    assert_eq!(count(&mut conn, &mail("usual")).await, 1);

    // One person told directly follows their choice too; forgetting it restores the
    // defaults; work ignores it.
    Notifications::to_user(&mut conn, muted, idea, "answered", now)
        .await
        .expect("to user");
    assert_eq!(count(&mut conn, &rung(muted)).await, 0);
    NotificationPreferences::set(&mut conn, muted, IDEA.as_str(), None)
        .await
        .expect("forget");
    assert!(
        NotificationPreferences::all(&mut conn, muted)
            .await
            .expect("choices")
            .is_empty()
    );
    Notifications::to_user(&mut conn, muted, idea, "answered", now)
        .await
        .expect("to user");
    assert_eq!(count(&mut conn, &rung(muted)).await, 1);
    assert_eq!(count(&mut conn, &mail("muted")).await, 1);
    NotificationPreferences::set(&mut conn, bell_only, IDEA.as_str(), Some((false, false)))
        .await
        .expect("mute");
    Notifications::to_user_for_work(&mut conn, bell_only, idea, "assigned", now)
        .await
        .expect("work");
    assert_eq!(
        count(&mut conn, &rung(bell_only)).await,
        2,
        "work always rings"
    );
}

/// A subject kind that only this test knows: the clock must drive any table with the
/// clock's columns, not only problems.
struct TestIdeas;

impl ClockedSubject for TestIdeas {
    const TABLE: &'static str = "test_ideas";
    const REMIND_BEFORE: Duration = Duration::days(2);

    fn running() -> String {
        "t.open = TRUE".into()
    }

    async fn reminded(
        conn: &mut AsyncMysqlConnection,
        id: u64,
        department: DepartmentId,
        now: NaiveDateTime,
    ) -> QueryResult<()> {
        log(conn, id, "reminded", Some(department), now).await
    }

    async fn overdue(
        conn: &mut AsyncMysqlConnection,
        id: u64,
        department: Option<DepartmentId>,
        now: NaiveDateTime,
    ) -> QueryResult<()> {
        log(conn, id, "overdue", department, now).await
    }

    async fn escalated(
        conn: &mut AsyncMysqlConnection,
        id: u64,
        supervisor: DepartmentId,
        now: NaiveDateTime,
    ) -> QueryResult<()> {
        log(conn, id, "escalated", Some(supervisor), now).await
    }
}

async fn log(
    conn: &mut AsyncMysqlConnection,
    id: u64,
    what: &str,
    department: Option<DepartmentId>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let subject = Subject::new(IDEA, id);
    if let Some(department) = department {
        Notifications::to_officials(conn, department, subject, what, now).await?;
    }
    diesel::sql_query("INSERT INTO test_idea_log (idea_id, what) VALUES (?, ?)")
        .bind::<Unsigned<BigInt>, _>(id)
        .bind::<Text, _>(what)
        .execute(conn)
        .await
        .map(drop)
}

#[derive(diesel::QueryableByName, Debug, PartialEq)]
struct Logged {
    #[diesel(sql_type = Unsigned<BigInt>)]
    idea_id: u64,
    #[diesel(sql_type = Text)]
    what: String,
}

#[derive(diesel::QueryableByName)]
struct Department {
    #[diesel(sql_type = Unsigned<BigInt>)]
    id: u64,
    #[diesel(sql_type = Nullable<Unsigned<BigInt>>)]
    supervisor_id: Option<u64>,
}

#[tokio::test]
async fn the_reaction_clock_reminds_marks_overdue_and_escalates_once() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    conn.batch_execute(
        "CREATE TABLE test_ideas (id BIGINT UNSIGNED PRIMARY KEY, open BOOL NOT NULL, \
           department_id BIGINT UNSIGNED NULL, reaction_due_at DATETIME NULL, \
           reminded_at DATETIME NULL, overdue_since DATETIME NULL, escalated_to BIGINT UNSIGNED NULL); \
         CREATE TABLE test_idea_log (n INT AUTO_INCREMENT PRIMARY KEY, \
           idea_id BIGINT UNSIGNED NOT NULL, what VARCHAR(16) NOT NULL)",
    )
    .await
    .expect("the test subject's table");
    let department: Department = diesel::sql_query(
        "SELECT id, supervisor_id FROM departments WHERE supervisor_id IS NOT NULL ORDER BY id LIMIT 1",
    )
    .get_result(&mut conn)
    .await
    .expect("the migrations seed supervised departments");
    let supervisor = department.supervisor_id.expect("a supervisor");
    let official = user(&mut conn, "official").await;
    diesel::sql_query(
        "INSERT INTO user_roles (user_id, role, department_id, granted_at) VALUES (?, 'official', ?, '2026-01-01')",
    )
    .bind::<Unsigned<BigInt>, _>(official.0)
    .bind::<Unsigned<BigInt>, _>(department.id)
    .execute(&mut conn)
    .await
    .expect("an official");
    // 1: due in a day (reminded); 2: overdue (marked, then escalated); 3: closed, overdue
    // but not running; 4: due in a week (nothing yet).
    diesel::sql_query(
        "INSERT INTO test_ideas (id, open, department_id, reaction_due_at) VALUES \
         (1, TRUE, ?, '2026-03-02 10:00:00'), (2, TRUE, ?, '2026-02-28 10:00:00'), \
         (3, FALSE, ?, '2026-02-20 10:00:00'), (4, TRUE, ?, '2026-03-08 10:00:00')",
    )
    .bind::<Unsigned<BigInt>, _>(department.id)
    .bind::<Unsigned<BigInt>, _>(department.id)
    .bind::<Unsigned<BigInt>, _>(department.id)
    .bind::<Unsigned<BigInt>, _>(department.id)
    .execute(&mut conn)
    .await
    .expect("ideas");

    let now = at("2026-03-01 10:00:00");
    // The test clock moves one subject: idea 2 only, though idea 1 is due a reminder.
    let one = reaction_clock::run_one::<TestIdeas>(&mut conn, 2, now)
        .await
        .expect("run one");
    assert_eq!(
        one,
        ClockReport {
            reminded: 0,
            overdue: 1,
            escalated: 1
        }
    );
    let first = reaction_clock::run::<TestIdeas>(&mut conn, now)
        .await
        .expect("run");
    assert_eq!(
        first,
        ClockReport {
            reminded: 1,
            overdue: 0,
            escalated: 0
        }
    );
    let second = reaction_clock::run::<TestIdeas>(&mut conn, now + Duration::hours(1))
        .await
        .expect("run again");
    assert_eq!(second, ClockReport::default(), "every move happens once");

    let logged: Vec<Logged> =
        diesel::sql_query("SELECT idea_id, what FROM test_idea_log ORDER BY n")
            .load(&mut conn)
            .await
            .expect("log");
    let logged: Vec<(u64, &str)> = logged
        .iter()
        .map(|l| (l.idea_id, l.what.as_str()))
        .collect();
    assert_eq!(logged, [(2, "overdue"), (2, "escalated"), (1, "reminded")]);
    assert_eq!(
        count(
            &mut conn,
            &format!(
                "SELECT COUNT(*) AS n FROM test_ideas WHERE id = 2 AND escalated_to = {supervisor}"
            )
        )
        .await,
        1
    );
    assert_eq!(
        Notifications::unread_count(&mut conn, official)
            .await
            .expect("count"),
        2,
        "the department's official hears of the reminder and the overdue idea"
    );
    assert_eq!(
        count(
            &mut conn,
            "SELECT COUNT(*) AS n FROM outbox_events WHERE channel = 'notice' \
             AND ordering_key = 'mail:official@example.test'"
        )
        .await,
        2,
        "and gets both by mail, as officials do unless they turn it off"
    );
}

#[tokio::test]
async fn photos_attach_to_any_subject_whole_or_not_at_all() {
    use civic::photos::{NewPhoto, Photos, VERIFICATION};
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let citizen = user(&mut conn, "citizen").await;
    let inspector = user(&mut conn, "inspector").await;
    let now = at("2026-03-01 10:00:00");
    for (uploader, token) in [
        (citizen, "a".repeat(32)),
        (citizen, "b".repeat(32)),
        (inspector, "c".repeat(32)),
    ] {
        let photo = NewPhoto {
            uploader,
            token: &token,
            file_key: &token,
            width: 800,
            height: 600,
            bytes: 1000,
        };
        Photos::stage(&mut conn, photo, now).await.expect("stage");
    }
    let idea = Subject::new(IDEA, 5);
    // Someone else's staged photo fails the whole attachment (in the caller's
    // transaction, which the refusal rolls back).
    let mixed = ["a".repeat(32), "c".repeat(32)];
    match conn
        .transaction(async |conn| Photos::attach(conn, idea, "", None, citizen, &mixed).await)
        .await
    {
        Err(AppError::Invalid { .. }) => {}
        other => panic!("attaching another's photo: {other:?}"),
    }
    Photos::attach(&mut conn, idea, "", None, citizen, &["a".repeat(32)])
        .await
        .expect("attach");
    Photos::attach(
        &mut conn,
        idea,
        VERIFICATION,
        Some(42),
        inspector,
        &["c".repeat(32)],
    )
    .await
    .expect("attach");
    match Photos::attach(
        &mut conn,
        Subject::new(IDEA, 6),
        "",
        None,
        citizen,
        &["a".repeat(32)],
    )
    .await
    {
        Err(AppError::Invalid { .. }) => {}
        other => panic!("attaching an attached photo again: {other:?}"),
    }
    let photos = Photos::of(&mut conn, idea).await.expect("photos");
    let sets: Vec<(&str, Option<u64>, &str)> = photos
        .iter()
        .map(|p| (p.section.as_str(), p.entry, p.photo.url.as_str()))
        .collect();
    let (own, inspection) = (
        format!("/media/{}.jpg", "a".repeat(32)),
        format!("/media/{}.jpg", "c".repeat(32)),
    );
    assert_eq!(
        sets,
        [
            ("", None, own.as_str()),
            (VERIFICATION, Some(42), inspection.as_str())
        ]
    );

    let staged = Photos::staged_before(&mut conn, now + Duration::hours(1), 10)
        .await
        .expect("staged");
    assert_eq!(staged.len(), 1, "only the unattached photo is still staged");
    assert_eq!(
        Photos::move_all(&mut conn, idea, Subject::new(IDEA, 6))
            .await
            .expect("move"),
        2
    );
    assert!(
        Photos::of(&mut conn, idea)
            .await
            .expect("photos")
            .is_empty()
    );
}
