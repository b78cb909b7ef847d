//! `cargo bench -p server --bench lawmaking`: law-making pages at the scale.
//!
//! Seeds 10,000 initiatives and, on one of them, 5 versions of 500 articles, 2,000
//! amendments, 10,000 comments and 15 expert conclusions on version 5 with 300 remarks
//! into the database `or_bench_lawmaking` on `BENCH_DATABASE_URL` (default: the local
//! MariaDB), kept between runs, then measures in the same run (anonymous visitor, through
//! the app's router):
//! - the initiative's page (its discussion's first page and one deep in it: 10,000
//!   comments in 8,000 threads), its text page with the amendments, its expertise page and
//!   its disposition ledger (all SSR),
//! - the comparison of versions 4 and 5 (the JSON the compare page reads) and the
//!   comparison alone, in memory,
//! - the raw SQL of the text page's and of the ledger's queries, the floors the pages are
//!   held against,
//! - the summary of proposals as PDF (2,300 proposals and the 500 articles): the time of
//!   each of `SUMMARY_RUNS` downloads and the process's peak resident memory during them.

use std::time::Instant;

use app::lawmaking::model::InitiativeId;
use app::lawmaking::model::drafting::{Article, compare};
use app::lawmaking::queries::drafting::Drafts;

mod common;
use common::{
    Stats, bench_database, bench_router, bench_users_sql, count, http, measure, ms, raw,
    reset_peak, seed_with, status_kib, wanted,
};

const INITIATIVES: u64 = 10_000;
const ARTICLES: u64 = 500;
const VERSIONS: u64 = 5;
const AMENDMENTS: u64 = 2_000;
const COMMENTS: u64 = 10_000;
const USERS: u64 = 10_000;
const CONCLUSIONS: u64 = 15;
const REMARKS_PER_CONCLUSION: u64 = 20;
/// Downloads of the summary PDF, each timed (a few seconds each at most: not `RUNS`).
const SUMMARY_RUNS: usize = 5;

/// The body of article `seq` in version `v`: about 400 characters; every tenth article
/// changes from one version to the next.
fn article_body(seq: &str, version: &str) -> String {
    format!(
        "CONCAT('Положение ', {seq}, ': ', REPEAT('орган местного самоуправления обеспечивает исполнение настоящего акта в установленный срок; ', 4), \
         IF({seq} % 10 = 0, CONCAT('редакция ', {version}), 'без изменений'))"
    )
}

async fn seed(pool: &platform::db::DbPool) -> u64 {
    let mut conn = pool.get().await.expect("connection");
    let big = "(SELECT MAX(id) FROM initiatives)";
    if count(&mut conn, "SELECT COUNT(*) AS n FROM initiatives").await < INITIATIVES as i64 {
        let statements = [
            bench_users_sql(USERS),
            format!(
                "INSERT INTO initiatives (municipality_id, author_id, theme_id, department_id, title, problem, goal, proposal, stage, \
                   stage_started_at, stage_ends_at, support_threshold, support_count, comment_count, created_at, updated_at) \
                 SELECT IF(s.seq % 5 = 0, NULL, m.id), u0.first + s.seq % {USERS}, t.id, d.id, CONCAT('Инициатива ', s.seq), \
                   'Проблема, которую решает инициатива, описана подробно.', 'Цель инициативы.', 'Предлагаемое регулирование в нескольких абзацах.', \
                   ELT(1 + s.seq % 6, 'concept', 'discussion', 'drafting', 'adopted', 'archived', 'concept'), \
                   UTC_TIMESTAMP() - INTERVAL s.seq MINUTE, UTC_TIMESTAMP() + INTERVAL 30 DAY, 300, s.seq % 400, 0, \
                   UTC_TIMESTAMP() - INTERVAL s.seq MINUTE, UTC_TIMESTAMP() \
                 FROM seq_1_to_{INITIATIVES} s \
                 JOIN municipalities m ON m.id = (SELECT MIN(id) FROM municipalities) + s.seq % 44 \
                 JOIN departments d ON d.municipality_id = m.id \
                 JOIN themes t ON t.id = (SELECT MIN(id) FROM themes) + s.seq % 17 \
                 JOIN (SELECT MIN(id) AS first FROM users WHERE email LIKE 'bench%') u0"
            ),
            format!(
                "UPDATE initiatives SET stage = 'drafting', comment_count = {COMMENTS} WHERE id = {big}"
            ),
            format!(
                "INSERT INTO initiative_versions (initiative_id, number, editor_id, note, article_count, created_at) \
                 SELECT i.id, s.seq, i.author_id, CONCAT('Редакция ', s.seq), {ARTICLES}, UTC_TIMESTAMP() - INTERVAL (10 - s.seq) DAY \
                 FROM seq_1_to_{VERSIONS} s JOIN initiatives i ON i.id = {big}"
            ),
            format!(
                "INSERT INTO initiative_articles (version_id, position, label, heading, body) \
                 SELECT v.id, s.seq, s.seq, CONCAT('Статья ', s.seq, '.'), {} \
                 FROM seq_1_to_{ARTICLES} s JOIN initiative_versions v ON v.initiative_id = {big}",
                article_body("s.seq", "v.number")
            ),
            format!(
                "INSERT INTO initiative_amendments (initiative_id, version_id, article_label, body, justification, author_id, anonymous, \
                   status, reason, support_count, created_at) \
                 SELECT v.initiative_id, v.id, 1 + s.seq % {ARTICLES}, CONCAT('Изложить статью в новой редакции: ', REPEAT('текст поправки ', 10)), \
                   'Обоснование поправки: так понятнее и соответствует закону.', u0.first + s.seq % {USERS}, s.seq % 7 = 0, \
                   ELT(1 + s.seq % 4, 'open', 'accepted', 'rejected', 'partly_accepted'), IF(s.seq % 4 = 0, NULL, 'Причина решения.'), \
                   s.seq % 50, UTC_TIMESTAMP() - INTERVAL s.seq MINUTE \
                 FROM seq_1_to_{AMENDMENTS} s \
                 JOIN initiative_versions v ON v.initiative_id = {big} AND v.number = {VERSIONS} \
                 JOIN (SELECT MIN(id) AS first FROM users WHERE email LIKE 'bench%') u0"
            ),
            format!(
                "INSERT INTO comments (subject_kind, subject_id, author_id, body, position, support_count, created_at) \
                 SELECT 'initiative', {big}, u0.first + s.seq % {USERS}, CONCAT('Комментарий ', s.seq, ': мнение жителя о концепции.'), \
                   ELT(1 + s.seq % 3, 'for', 'against', 'neutral'), s.seq % 40, UTC_TIMESTAMP() - INTERVAL s.seq MINUTE \
                 FROM seq_1_to_{COMMENTS} s JOIN (SELECT MIN(id) AS first FROM users WHERE email LIKE 'bench%') u0"
            ),
            // Every fifth comment answers the one before it: 8,000 threads, 2,000 replies.
            format!(
                "UPDATE comments c JOIN comments opener ON opener.id = c.id - 1 \
                   AND opener.subject_kind = c.subject_kind AND opener.subject_id = c.subject_id \
                 SET c.reply_to = opener.id \
                 WHERE c.subject_kind = 'initiative' AND c.subject_id = {big} AND c.id % 5 = 0"
            ),
        ];
        seed_with(
            &mut conn,
            &statements,
            "initiatives, initiative_versions, initiative_articles, initiative_amendments, comments",
        )
        .await;
    } else {
        println!("using the seeded data in or_bench_lawmaking");
    }
    seed_expertise(&mut conn, big).await;
    count(
        &mut conn,
        "SELECT CAST(MAX(id) AS SIGNED) AS n FROM initiatives",
    )
    .await as u64
}

/// The experts' conclusions on the last version with their remarks, a quarter of them
/// still open; seeded apart so that a database from before the expertise gets them too.
async fn seed_expertise(conn: &mut diesel_async::AsyncMysqlConnection, big: &str) {
    let remarks = CONCLUSIONS * REMARKS_PER_CONCLUSION;
    let seeded = count(
        conn,
        &format!("SELECT COUNT(*) AS n FROM initiative_remarks WHERE initiative_id = {big}"),
    )
    .await;
    if seeded >= remarks as i64 {
        return;
    }
    let first_user = "(SELECT MIN(id) AS first FROM users WHERE email LIKE 'bench%') u0";
    let statements = [
        format!(
            "INSERT INTO initiative_experts (initiative_id, expert_id, assigned_by, requested_at, assigned_at) \
             SELECT i.id, u0.first + s.seq, u0.first, UTC_TIMESTAMP(), UTC_TIMESTAMP() \
             FROM seq_1_to_{CONCLUSIONS} s JOIN initiatives i ON i.id = {big} JOIN {first_user}"
        ),
        format!(
            "INSERT INTO initiative_conclusions (initiative_id, version_id, expert_id, verdict, body, created_at) \
             SELECT v.initiative_id, v.id, u0.first + s.seq, ELT(1 + s.seq % 3, 'support', 'support_with_remarks', 'reject'), \
               CONCAT('Заключение эксперта ', s.seq, ': ', REPEAT('проект соответствует целям, но требует уточнения формулировок; ', 8)), \
               UTC_TIMESTAMP() - INTERVAL s.seq HOUR \
             FROM seq_1_to_{CONCLUSIONS} s \
             JOIN initiative_versions v ON v.initiative_id = {big} AND v.number = {VERSIONS} \
             JOIN {first_user}"
        ),
        format!(
            "INSERT INTO initiative_remarks (initiative_id, conclusion_id, article_label, category, body, status, reason, decided_by, decided_at) \
             SELECT c.initiative_id, c.id, 1 + (s.seq * 25 + c.id) % {ARTICLES}, \
               ELT(1 + s.seq % 6, 'corruption', 'higher_law', 'legal_technique', 'budget', 'regulatory', 'other'), \
               CONCAT('Замечание ', s.seq, ': ', REPEAT('формулировка допускает широкое усмотрение должностного лица; ', 3)), \
               ELT(1 + s.seq % 4, 'open', 'accepted', 'rejected', 'partly_accepted'), \
               IF(s.seq % 4 = 1, NULL, 'Причина решения по замечанию эксперта.'), \
               IF(s.seq % 4 = 1, NULL, u0.first), IF(s.seq % 4 = 1, NULL, UTC_TIMESTAMP()) \
             FROM seq_1_to_{REMARKS_PER_CONCLUSION} s \
             JOIN initiative_conclusions c ON c.initiative_id = {big} \
             JOIN {first_user}"
        ),
    ];
    seed_with(
        conn,
        &statements,
        "initiative_experts, initiative_conclusions, initiative_remarks",
    )
    .await;
}

/// The articles of version `number` of initiative `id`, as the text page reads them.
async fn articles(pool: &platform::db::DbPool, id: u64, number: u32) -> Vec<Article> {
    let mut conn = pool.get().await.expect("connection");
    Drafts::text(&mut conn, InitiativeId(id), Some(number), None)
        .await
        .expect("text")
        .articles
}

fn line(name: &str, stats: &Stats, bytes: Option<usize>) {
    let size = bytes.map_or(String::new(), |bytes| format!("  {} KB", bytes / 1024));
    println!(
        "{name:<52} p50 {:>8.2} ms  p95 {:>8.2} ms{size}",
        ms(stats.p50),
        ms(stats.p95)
    );
}

#[tokio::main]
async fn main() {
    let pool = bench_database("or_bench_lawmaking", 4).await;
    let id = seed(&pool).await;
    let router = bench_router(&pool);
    let deep_page = {
        let mut conn = pool.get().await.expect("connection");
        count(
            &mut conn,
            &format!(
                "SELECT CAST(id AS SIGNED) AS n FROM comments \
                 WHERE subject_kind = 'initiative' AND subject_id = {id} AND reply_to IS NULL \
                 ORDER BY id LIMIT 1 OFFSET 7450"
            ),
        )
        .await
    };
    for (name, path) in [
        (
            "initiative page (SSR, 10,000 comments: the first 50 of 8,000 threads)",
            format!("/lawmaking/{id}"),
        ),
        (
            "initiative page, discussion page 150 of 160",
            format!("/lawmaking/{id}?comments={deep_page}"),
        ),
        (
            "text page (SSR, 500 articles, 2,000 amendments)",
            format!("/lawmaking/{id}/text"),
        ),
        (
            "expertise page (SSR, 15 conclusions, 300 remarks)",
            format!("/lawmaking/{id}/expertise"),
        ),
        (
            "ledger page (SSR, 2,000 amendments, 300 remarks)",
            format!("/lawmaking/{id}/ledger"),
        ),
        (
            "compare versions 4 and 5 (JSON, 500 articles)",
            format!("/api/initiatives/compare?id={id}&from=4&to=5"),
        ),
    ] {
        if !wanted(name) {
            continue;
        }
        let bytes = common::get(&router, &path, None).await.len();
        line(name, &http(&router, &path, None).await, Some(bytes));
    }
    if wanted("comparison in memory") {
        let (old, new) = (articles(&pool, id, 4).await, articles(&pool, id, 5).await);
        let stats = measure(|| async {
            std::hint::black_box(compare(&old, &new));
        })
        .await;
        line(
            "comparison in memory (500 articles, 50 changed)",
            &stats,
            None,
        );
    }
    if wanted("raw SQL") {
        let sqls = [
            format!(
                "SELECT title, stage, author_id, department_id FROM initiatives WHERE id = {id}"
            ),
            format!(
                "SELECT v.id, v.number, u.display_name, v.note, v.article_count, v.created_at \
                 FROM initiative_versions v JOIN users u ON u.id = v.editor_id WHERE v.initiative_id = {id} ORDER BY v.number"
            ),
            format!(
                "SELECT label, heading, body FROM initiative_articles WHERE version_id = \
                 (SELECT MAX(id) FROM initiative_versions WHERE initiative_id = {id}) ORDER BY position"
            ),
            format!(
                "SELECT a.*, u.display_name FROM initiative_amendments a JOIN users u ON u.id = a.author_id \
                 WHERE a.initiative_id = {id} ORDER BY a.id"
            ),
        ];
        line(
            "text page's raw SQL (4 queries)",
            &raw(&pool, &sqls).await,
            None,
        );
    }
    if wanted("ledger's raw SQL") {
        let sqls = [
            format!(
                "SELECT title, stage, author_id, department_id FROM initiatives WHERE id = {id}"
            ),
            format!(
                "SELECT id, number FROM initiative_versions WHERE initiative_id = {id} ORDER BY number"
            ),
            format!(
                "SELECT a.*, u.display_name FROM initiative_amendments a JOIN users u ON u.id = a.author_id \
                 WHERE a.initiative_id = {id} ORDER BY a.id"
            ),
            format!(
                "SELECT c.id, c.version_id, u.display_name, c.verdict, c.body, c.created_at \
                 FROM initiative_conclusions c JOIN users u ON u.id = c.expert_id \
                 WHERE c.initiative_id = {id} ORDER BY c.id"
            ),
            format!(
                "SELECT id, conclusion_id, article_label, category, body, status, reason, taken_in_version_id \
                 FROM initiative_remarks WHERE initiative_id = {id} ORDER BY id"
            ),
        ];
        line(
            "ledger's raw SQL (5 queries)",
            &raw(&pool, &sqls).await,
            None,
        );
    }
    if wanted("summary PDF") {
        summary_pdf(&router, id).await;
    }
}

/// Downloads the summary PDF `SUMMARY_RUNS` times after one untimed download, printing
/// the fastest and slowest, the size, and the whole process's peak resident memory
/// during the timed downloads against its size before them.
async fn summary_pdf(router: &axum::Router, id: u64) {
    let path = format!("/lawmaking/{id}/summary.pdf");
    common::get(router, &path, None).await;
    let base = reset_peak();
    let mut seconds = Vec::with_capacity(SUMMARY_RUNS);
    let mut bytes = 0;
    for _ in 0..SUMMARY_RUNS {
        let started = Instant::now();
        bytes = common::get(router, &path, None).await.len();
        seconds.push(started.elapsed().as_secs_f64());
    }
    let peak = status_kib("VmHWM:");
    seconds.sort_by(f64::total_cmp);
    println!(
        "{:<52} best {:>6.2} s  worst {:>6.2} s  {} KB  peak RSS {} MB (before: {} MB)",
        "summary PDF (2,300 proposals, 500 articles)",
        seconds[0],
        seconds[SUMMARY_RUNS - 1],
        bytes / 1024,
        peak / 1024,
        base / 1024,
    );
}
