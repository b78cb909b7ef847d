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
//! - everyone's feed, first page.

use app::auth::model::PERSON;
use app::organisation::model::DEPARTMENT;
use app::publications::queries::{Publications, Whose};
use platform::ids::UserId;

mod common;
use common::{Stats, bench_database, count, measure, ms, seed_with, wanted};

const FULL_PEOPLE: u64 = 500_000;
const PUBLICATIONS_EACH: u64 = 20;
const FOLLOWS_EACH: u64 = 100;
const READER_FOLLOWS: u64 = 1_000;
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

fn row(name: &str, stats: &Stats) {
    println!(
        "{name:<52} p50 {:>7.2} ms   p95 {:>7.2} ms",
        ms(stats.p50),
        ms(stats.p95)
    );
}

/// Runs the feed's two publication queries as SQL with the ids bound as parameters, as
/// the app sends them (the people's, the departments'): the raw floor. Written out as
/// literals instead, an `IN` list of 1,000 or more values is turned by MariaDB into a
/// join with a derived table (`in_predicate_conversion_threshold`) and runs 50 times
/// slower, which is not what the app runs.
async fn feed_sql(
    conn: &mut diesel_async::AsyncMysqlConnection,
    people: &[u64],
    department: u64,
    before: Option<u64>,
) {
    use diesel::sql_types::{BigInt, Unsigned};
    use diesel_async::RunQueryDsl;
    let before = before.map_or(String::new(), |id| format!("AND id < {id}"));
    let columns = "id, author_id, department_id, body, like_count, comment_count, created_at";
    let marks = vec!["?"; people.len()].join(",");
    let mut query = diesel::sql_query(format!(
        "SELECT {columns} FROM publications WHERE author_id IN ({marks}) AND department_id IS NULL {before} \
         ORDER BY id DESC LIMIT 21"
    ))
    .into_boxed::<diesel::mysql::Mysql>();
    for id in people {
        query = query.bind::<Unsigned<BigInt>, _>(*id);
    }
    query.execute(conn).await.expect("people's publications");
    diesel::sql_query(format!(
        "SELECT {columns} FROM publications WHERE department_id IN (?) {before} ORDER BY id DESC LIMIT 21"
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
                &format!("  raw SQL of its two publication queries, {name}"),
                &floor,
            );
        }
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
