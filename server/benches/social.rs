//! `cargo bench -p server --bench social`: the feed at the scale.
//!
//! Seeds into the database `or_bench_social` on `BENCH_DATABASE_URL` (default: the local
//! MariaDB), kept between runs, `500,000 / SOCIAL_SCALE` people, 20 publications each
//! (10,000,000 at scale 1) and 100 follows of people each (50,000,000), plus a reader who
//! follows 1,000 people and a department with 40 news. `SOCIAL_SCALE` (default 1) divides the population, not the
//! density: each author still wrote 20 and the reader still follows 1,000, so a feed
//! page reads as many rows at any scale and only the indexes are smaller. Then it
//! measures in the same run:
//! - the reader's feed (`Publications::page`, what `/api/publications/feed` runs): its
//!   first page and the page 20 pages deep,
//! - the raw SQL of the feed's two publication queries for both pages, the floor,
//! - everyone's feed, first page;
//!
//! and for direct messages (`BENCH_ONLY=messages`), with 5 conversations started by each
//! person, 8 messages each (20,000,000 at scale 1) and a reader in 200 conversations:
//! - the reader's conversation list and one conversation (what `/api/messages/inbox` and
//!   `/api/messages/conversation` read), each with its raw SQL;
//! - live delivery over loopback: 1,000 signed-in clients hold `GET /api/v1/messages/
//!   events` open on a real server, 200 messages are sent to them one by one, and the
//!   time from each send's commit to its event reaching its client is measured; and the
//!   server's memory per open connection.

use std::time::{Duration, Instant};

use app::auth::model::PERSON;
use app::messages::model::ConversationId;
use app::messages::queries::Conversations;
use app::organisation::model::DEPARTMENT;
use app::publications::queries::{Publications, Whose};
use platform::ids::UserId;

mod common;
use common::{
    Stats, bench_database, bench_router, count, measure, ms, raw, reset_peak, seed_with,
    status_kib, wanted,
};

const FULL_PEOPLE: u64 = 500_000;
const PUBLICATIONS_EACH: u64 = 20;
const FOLLOWS_EACH: u64 = 100;
const READER_FOLLOWS: u64 = 1_000;
const CONVERSATIONS_EACH: u64 = 5;
const MESSAGES_EACH: u64 = 8;
const READER_CONVERSATIONS: u64 = 200;
const LISTENERS: u64 = 1_000;
const DELIVERIES: usize = 200;
const POOL: usize = 4;

fn scale() -> u64 {
    std::env::var("SOCIAL_SCALE")
        .ok()
        .and_then(|text| text.parse().ok())
        .filter(|scale| *scale > 0)
        .unwrap_or(1)
}

async fn seed(pool: &platform::db::DbPool, people: u64) {
    let mut conn = pool.get().await.expect("connection");
    let publications = people * PUBLICATIONS_EACH;
    if count(&mut conn, "SELECT COUNT(*) AS n FROM publications").await >= publications as i64 {
        return;
    }
    let first = "(SELECT MIN(id) FROM users WHERE email LIKE 'social%')";
    let statements = [
        format!(
            "INSERT INTO users (email, password_hash, display_name, home_municipality_id, locale, created_at, password_changed_at) \
             SELECT CONCAT('social', seq, '@example.test'), 'x', CONCAT('Житель ', seq), 1 + seq % 44, 'ru', UTC_TIMESTAMP(), UTC_TIMESTAMP() \
             FROM seq_0_to_{}",
            people - 1
        ),
        // Authors take turns, so each has 20 spread over the whole history, as people do.
        format!(
            "INSERT INTO publications (author_id, body, like_count, comment_count, created_at) \
             SELECT u.first + s.seq % {people}, CONCAT('Публикация ', s.seq, ': во дворе открыли новую площадку, приходите.'), \
               s.seq % 7, s.seq % 3, UTC_TIMESTAMP() - INTERVAL ({publications} - s.seq) SECOND \
             FROM seq_0_to_{} s JOIN (SELECT {first} AS first) u",
            publications - 1
        ),
        // Follower f follows f+1+4,999k (k < 100): distinct people, 4,999 being prime.
        format!(
            "INSERT IGNORE INTO follows (subject_kind, subject_id, user_id, created_at) \
             SELECT '{person}', u.first + (s.seq % {people} + 1 + 4999 * (s.seq DIV {people})) % {people}, u.first + s.seq % {people}, UTC_TIMESTAMP() \
             FROM seq_0_to_{} s JOIN (SELECT {first} AS first) u",
            people * FOLLOWS_EACH - 1,
            person = PERSON.as_str(),
        ),
        // The reader: the first of them, following 1,000 people spread over everyone.
        format!(
            "INSERT IGNORE INTO follows (subject_kind, subject_id, user_id, created_at) \
             SELECT '{person}', u.first + (s.seq * 7919) % {people}, u.first, UTC_TIMESTAMP() \
             FROM seq_1_to_{READER_FOLLOWS} s JOIN (SELECT {first} AS first) u",
            person = PERSON.as_str(),
        ),
    ];
    seed_with(&mut conn, &statements, "users, publications, follows").await;
}

/// The reader also follows one department, whose 40 news are the newest publications.
async fn seed_department(pool: &platform::db::DbPool) {
    let mut conn = pool.get().await.expect("connection");
    if count(
        &mut conn,
        "SELECT COUNT(*) AS n FROM publications WHERE department_id IS NOT NULL",
    )
    .await
        > 0
    {
        return;
    }
    let first = "(SELECT MIN(id) FROM users WHERE email LIKE 'social%')";
    let department = "(SELECT MIN(id) FROM departments)";
    let statements = [
        format!(
            "INSERT INTO publications (author_id, department_id, body, created_at) \
             SELECT {first}, {department}, CONCAT('Новость ', seq), UTC_TIMESTAMP() FROM seq_1_to_40"
        ),
        format!(
            "INSERT IGNORE INTO follows (subject_kind, subject_id, user_id, created_at) \
             SELECT '{}', {department}, {first}, UTC_TIMESTAMP()",
            DEPARTMENT.as_str()
        ),
    ];
    seed_with(&mut conn, &statements, "publications, follows").await;
}

/// Conversations: person p starts 5 with p+1+4,999k; the reader 200 more with people
/// spread over everyone; 8 messages each, alternating, the newest unread by the other.
async fn seed_messages(pool: &platform::db::DbPool, people: u64) {
    let mut conn = pool.get().await.expect("connection");
    let wanted = people * CONVERSATIONS_EACH * MESSAGES_EACH;
    if count(&mut conn, "SELECT COUNT(*) AS n FROM messages").await >= wanted as i64 {
        return;
    }
    let first = "(SELECT MIN(id) FROM users WHERE email LIKE 'social%')";
    let pair = |one: &str, other: &str| {
        format!("CONCAT(LEAST({one}, {other}), ':', GREATEST({one}, {other}))")
    };
    let statements = [
        format!(
            "INSERT IGNORE INTO conversations (pair_key, started_by, created_at) \
             SELECT {}, u.first + s.seq % {people}, UTC_TIMESTAMP() \
             FROM seq_0_to_{} s JOIN (SELECT {first} AS first) u",
            pair(
                "u.first + s.seq % {people}",
                "u.first + (s.seq % {people} + 1 + 4999 * (s.seq DIV {people})) % {people}"
            )
            .replace("{people}", &people.to_string()),
            people * CONVERSATIONS_EACH - 1
        ),
        format!(
            "INSERT IGNORE INTO conversations (pair_key, started_by, created_at) \
             SELECT {}, u.first, UTC_TIMESTAMP() \
             FROM seq_1_to_{READER_CONVERSATIONS} s JOIN (SELECT {first} AS first) u",
            pair("u.first", &format!("u.first + (s.seq * 104729) % {people}"))
        ),
        "DELETE FROM conversations WHERE SUBSTRING_INDEX(pair_key, ':', 1) = SUBSTRING_INDEX(pair_key, ':', -1)"
            .to_string(),
        "INSERT INTO conversation_members (conversation_id, user_id) \
         SELECT id, SUBSTRING_INDEX(pair_key, ':', 1) FROM conversations \
         UNION ALL SELECT id, SUBSTRING_INDEX(pair_key, ':', -1) FROM conversations"
            .to_string(),
        format!(
            "INSERT INTO messages (conversation_id, sender_id, body, created_at) \
             SELECT c.id, IF(s.seq % 2 = 0, SUBSTRING_INDEX(c.pair_key, ':', 1), SUBSTRING_INDEX(c.pair_key, ':', -1)), \
               CONCAT('Сообщение ', s.seq, ': договорились, встречаемся у остановки в десять.'), \
               UTC_TIMESTAMP() - INTERVAL (c.id * {MESSAGES_EACH} - s.seq) SECOND \
             FROM conversations c JOIN seq_0_to_{} s",
            MESSAGES_EACH - 1
        ),
        "UPDATE conversation_members m JOIN \
           (SELECT conversation_id, MAX(id) AS newest FROM messages GROUP BY conversation_id) x \
           ON x.conversation_id = m.conversation_id \
         SET m.last_message_id = x.newest, m.last_read_message_id = x.newest - 1, \
           m.unread = IF(m.user_id = (SELECT sender_id FROM messages WHERE id = x.newest), 0, 1)"
            .to_string(),
    ];
    seed_with(
        &mut conn,
        &statements,
        "conversations, conversation_members, messages",
    )
    .await;
}

/// Live delivery over loopback: `LISTENERS` people hold the event stream open on a real
/// server; messages to them are sent one by one, each timed from its commit to its
/// event's arrival. Prints the latency and the server's memory per connection.
async fn live_delivery(pool: &platform::db::DbPool) {
    use diesel::prelude::*;
    use diesel_async::RunQueryDsl;
    use platform::db::schema::{conversation_members, sessions};

    let mut conn = pool.get().await.expect("connection");
    // One conversation each for the listeners: the member who listens, the other writes.
    let pairs: Vec<(u64, UserId, UserId)> = {
        let rows: Vec<(u64, UserId)> = conversation_members::table
            .select((
                conversation_members::conversation_id,
                conversation_members::user_id,
            ))
            .order((
                conversation_members::conversation_id,
                conversation_members::user_id,
            ))
            .limit(LISTENERS as i64 * 8)
            .load(&mut conn)
            .await
            .expect("members");
        let mut pairs = Vec::new();
        let mut listening = std::collections::HashSet::new();
        for chunk in rows.chunks(2) {
            if let [(conversation, low), (_, high)] = chunk
                && listening.insert(*high)
                && pairs.len() < LISTENERS as usize
            {
                pairs.push((*conversation, *high, *low));
            }
        }
        pairs
    };
    let now = platform::clock::now();
    let tokens: Vec<String> = pairs
        .iter()
        .map(|(_, listener, _)| format!("{:064x}", listener.0 * 7 + 3))
        .collect();
    for ((_, listener, _), token) in pairs.iter().zip(&tokens) {
        diesel::replace_into(sessions::table)
            .values((
                sessions::token_hash.eq(app::auth::session::hash_token(token)),
                sessions::user_id.eq(*listener),
                sessions::created_at.eq(now),
                sessions::expires_at.eq(now + chrono::Duration::hours(1)),
            ))
            .execute(&mut conn)
            .await
            .expect("session");
    }
    drop(conn);

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let address = listener.local_addr().expect("its address");
    let router = bench_router(pool);
    tokio::spawn(async move { axum::serve(listener, router).await });
    // reqwest's TLS stack wants a provider chosen even for plain HTTP.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::new();
    let base = status_kib("VmRSS:");
    reset_peak();
    let (arrivals, mut arrived) = tokio::sync::mpsc::unbounded_channel::<(String, Instant)>();
    // All connect at once (each stream opens after one round of the delivery task).
    let (opened, mut open) = tokio::sync::mpsc::unbounded_channel::<()>();
    for token in &tokens {
        let (client, arrivals, opened) = (client.clone(), arrivals.clone(), opened.clone());
        let url = format!("http://{address}/api/v1/messages/events");
        let cookie = format!("or_session={token}");
        tokio::spawn(async move {
            let mut response = client
                .get(url)
                .header("cookie", cookie)
                .send()
                .await
                .expect("connected");
            assert_eq!(response.status(), 200);
            let _ = opened.send(());
            while let Ok(Some(chunk)) = response.chunk().await {
                let text = String::from_utf8_lossy(&chunk).into_owned();
                if let Some(at) = text.find("Доставка ") {
                    let mark: String = text[at..].chars().take_while(|c| *c != '"').collect();
                    let _ = arrivals.send((mark, Instant::now()));
                }
            }
        });
    }
    for _ in &tokens {
        open.recv().await.expect("a stream opened");
    }
    let connected = status_kib("VmRSS:");
    println!(
        "{} open event streams: the process grew by {} KiB, {:.1} KiB per connection (server and client in one process)",
        tokens.len(),
        connected.saturating_sub(base),
        connected.saturating_sub(base) as f64 / tokens.len() as f64
    );
    let mut conn = pool.get().await.expect("connection");
    let mut latencies = Vec::new();
    for index in 0..DELIVERIES {
        let (conversation, _, writer) = pairs[index * pairs.len() / DELIVERIES];
        let mark = format!("Доставка {index}");
        Conversations::send(
            &mut conn,
            ConversationId(conversation),
            writer,
            &mark,
            platform::clock::now(),
        )
        .await
        .expect("sent");
        let sent = Instant::now();
        loop {
            let (got, at) = tokio::time::timeout(Duration::from_secs(5), arrived.recv())
                .await
                .expect("delivered within 5 s")
                .expect("a listener");
            if got == mark {
                latencies.push(at.saturating_duration_since(sent));
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    latencies.sort();
    let at = |share: usize| ms(latencies[(latencies.len() * share / 100).min(latencies.len() - 1)]);
    println!(
        "{:<52} p50 {:>7.2} ms   p95 {:>7.2} ms   p99 {:>7.2} ms",
        format!(
            "send to event, {} listeners, {DELIVERIES} messages",
            tokens.len()
        ),
        at(50),
        at(95),
        at(99)
    );
}

fn row(name: &str, stats: &Stats) {
    println!(
        "{name:<52} p50 {:>7.2} ms   p95 {:>7.2} ms",
        ms(stats.p50),
        ms(stats.p95)
    );
}

/// Runs the feed's publication queries as SQL with the ids bound as parameters, as the
/// app sends them (the newest ids of the people's own publications from the index, their
/// rows, the departments'): the raw floor. Written out as literals instead, an `IN` list
/// of 1,000 or more values is turned by MariaDB into a join with a derived table
/// (`in_predicate_conversion_threshold`) and runs 50 times slower, which is not what the
/// app runs.
async fn feed_sql(
    conn: &mut diesel_async::AsyncMysqlConnection,
    people: &[u64],
    department: u64,
    before: Option<u64>,
) {
    use diesel::sql_types::{BigInt, Unsigned};
    use diesel_async::RunQueryDsl;

    #[derive(diesel::QueryableByName)]
    struct Id {
        #[diesel(sql_type = Unsigned<BigInt>)]
        id: u64,
    }

    let before = before.map_or(String::new(), |id| format!("AND id < {id}"));
    let columns = "id, author_id, department_id, body, like_count, comment_count, created_at";
    let marks = vec!["?"; people.len()].join(",");
    let mut query = diesel::sql_query(format!(
        "SELECT id FROM publications WHERE author_id IN ({marks}) AND department_id IS NULL \
         AND hidden_at IS NULL {before} ORDER BY id DESC LIMIT 21"
    ))
    .into_boxed::<diesel::mysql::Mysql>();
    for id in people {
        query = query.bind::<Unsigned<BigInt>, _>(*id);
    }
    let ids: Vec<Id> = query.load(conn).await.expect("people's publications");
    let marks = vec!["?"; ids.len()].join(",");
    if !ids.is_empty() {
        let mut rows = diesel::sql_query(format!(
            "SELECT {columns} FROM publications WHERE id IN ({marks}) AND hidden_at IS NULL \
             ORDER BY id DESC LIMIT 21"
        ))
        .into_boxed::<diesel::mysql::Mysql>();
        for row in &ids {
            rows = rows.bind::<Unsigned<BigInt>, _>(row.id);
        }
        rows.execute(conn).await.expect("their rows");
    }
    diesel::sql_query(format!(
        "SELECT {columns} FROM publications WHERE department_id IN (?) AND hidden_at IS NULL \
         {before} ORDER BY id DESC LIMIT 21"
    ))
    .bind::<Unsigned<BigInt>, _>(department)
    .execute(conn)
    .await
    .expect("departments' publications");
}

#[tokio::main]
async fn main() {
    let people = FULL_PEOPLE / scale();
    let pool = bench_database("or_bench_social", POOL).await;
    seed(&pool, people).await;
    seed_department(&pool).await;
    let mut conn = pool.get().await.expect("connection");
    let department = count(
        &mut conn,
        "SELECT CAST(MIN(id) AS SIGNED) AS n FROM departments",
    )
    .await as u64;
    let reader = count(
        &mut conn,
        "SELECT CAST(MIN(id) AS SIGNED) AS n FROM users WHERE email LIKE 'social%'",
    )
    .await as u64;
    let publications = count(&mut conn, "SELECT COUNT(*) AS n FROM publications").await;
    let follows = count(&mut conn, "SELECT COUNT(*) AS n FROM follows").await;
    let followed: Vec<u64> = {
        use diesel::prelude::*;
        use diesel_async::RunQueryDsl;
        use platform::db::schema::follows;
        follows::table
            .filter(follows::user_id.eq(UserId(reader)))
            .filter(follows::subject_kind.eq(PERSON.as_str()))
            .select(follows::subject_id)
            .load(&mut conn)
            .await
            .expect("followed")
    };
    println!(
        "{people} people, {publications} publications, {follows} follows; the reader follows {} people and one department\n",
        followed.len()
    );
    // The cursor 20 pages deep, walked as a reader pressing "Older" would.
    let mut deep = None;
    for _ in 0..20 {
        let (_, older) = Publications::page(
            &mut conn,
            Whose::FeedOf(UserId(reader)),
            deep,
            Some(UserId(reader)),
        )
        .await
        .expect("page");
        deep = older;
    }
    drop(conn);
    if wanted("feed") {
        for (name, before) in [("first page", None), ("20 pages deep", deep)] {
            let app = measure(|| async {
                let mut conn = pool.get().await.expect("connection");
                let (items, _) = Publications::page(
                    &mut conn,
                    Whose::FeedOf(UserId(reader)),
                    before,
                    Some(UserId(reader)),
                )
                .await
                .expect("feed");
                assert_eq!(items.len(), 20);
            })
            .await;
            row(&format!("feed of a reader following 1,000, {name}"), &app);
            let people: Vec<u64> = followed.iter().copied().chain([reader]).collect();
            let floor = measure(|| async {
                let mut conn = pool.get().await.expect("connection");
                feed_sql(&mut conn, &people, department, before).await;
            })
            .await;
            row(
                &format!("  raw SQL of its publication queries, {name}"),
                &floor,
            );
        }
    }
    if wanted("messages") {
        seed_messages(&pool, people).await;
        let mut conn = pool.get().await.expect("connection");
        let messages = count(&mut conn, "SELECT COUNT(*) AS n FROM messages").await;
        let inbox = Conversations::inbox(&mut conn, UserId(reader), None)
            .await
            .expect("inbox");
        let busiest = inbox.conversations[0].id;
        drop(conn);
        println!(
            "\n{messages} messages; the reader lists {} conversations a page\n",
            inbox.conversations.len()
        );
        let list = measure(|| async {
            let mut conn = pool.get().await.expect("connection");
            Conversations::inbox(&mut conn, UserId(reader), None)
                .await
                .expect("inbox");
        })
        .await;
        row("conversation list of a reader in 200", &list);
        let list_sql = format!(
            "SELECT me.conversation_id, m.body FROM conversation_members me \
             JOIN conversation_members other ON other.conversation_id = me.conversation_id AND other.user_id <> me.user_id \
             JOIN users u ON u.id = other.user_id JOIN conversations c ON c.id = me.conversation_id \
             LEFT JOIN problems p ON p.id = c.problem_id LEFT JOIN messages m ON m.id = me.last_message_id \
             WHERE me.user_id = {reader} ORDER BY me.last_message_id DESC LIMIT 31"
        );
        row("  raw SQL of its list", &raw(&pool, &[list_sql]).await);
        let one = measure(|| async {
            let mut conn = pool.get().await.expect("connection");
            Conversations::summary(&mut conn, busiest, UserId(reader))
                .await
                .expect("summary");
            Conversations::messages(&mut conn, busiest, None)
                .await
                .expect("messages");
        })
        .await;
        row("a conversation (summary and newest 50)", &one);
        let one_sql = format!(
            "SELECT m.id, m.body, u.display_name FROM messages m JOIN users u ON u.id = m.sender_id \
             WHERE m.conversation_id = {} ORDER BY m.id DESC LIMIT 51",
            busiest.0
        );
        row("  raw SQL of its messages", &raw(&pool, &[one_sql]).await);
        live_delivery(&pool).await;
    }
    if wanted("everyone") {
        let everyone = measure(|| async {
            let mut conn = pool.get().await.expect("connection");
            Publications::page(&mut conn, Whose::Everyone, None, None)
                .await
                .expect("feed");
        })
        .await;
        row("everyone's feed, first page", &everyone);
    }
}
