//! Demo conversations: the demo citizen talks with two residents, and the Krasnodar
//! administration's official writes to a problem's author about the problem. Made once:
//! nothing is added to a database that holds messages.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use diesel_async::{AsyncMysqlConnection, RunQueryDsl};

use super::model::ConversationId;
use super::queries::Conversations;
use crate::auth::queries::Users;
use crate::problems::model::ProblemId;
use platform::db::schema::{messages, problems};
use platform::error::AppError;

/// The personal conversations: who writes to whom, and the lines of each in turn
/// (the first is the writer's, then they alternate), with how many hours ago it began.
const DEMO_CONVERSATIONS: [(&str, &str, i64, &[&str]); 2] = [
    (
        "resident1@openregion.demo",
        "citizen@openregion.demo",
        26,
        &[
            "Анна, добрый день! Видел вашу заявку про фонари на Гидрострое. Как вы добились, чтобы её взяли в работу?",
            "Здравствуйте! Собрали поддержку соседей и приложили фото — через неделю пришёл ответ.",
            "Спасибо, попробуем так же с остановкой у школы №12.",
        ],
    ),
    (
        "resident2@openregion.demo",
        "citizen@openregion.demo",
        5,
        &[
            "Поддержите переход на Ставропольской? Ссылка на обсуждение: https://openregion.example/community",
            "Конечно, уже поддержала.",
        ],
    ),
];

/// What the official writes to a problem's author.
const OFFICIAL_QUESTION: &str = "Добрый день! Уточните, пожалуйста, с какой стороны дома яма: со стороны подъездов или со стороны дороги?";

/// Writes the demo conversations unless there are messages; how many messages it wrote.
pub async fn seed_messages(
    conn: &mut AsyncMysqlConnection,
    now: NaiveDateTime,
) -> Result<usize, AppError> {
    let existing: i64 = messages::table.count().get_result(conn).await?;
    if existing > 0 {
        return Ok(0);
    }
    let mut written = 0;
    for (writer, reader, hours_ago, lines) in DEMO_CONVERSATIONS {
        let (Some(writer), Some(reader)) = (
            Users::id_by_email(conn, writer).await.optional()?,
            Users::id_by_email(conn, reader).await.optional()?,
        ) else {
            continue;
        };
        let mut at = now - Duration::hours(hours_ago);
        let mut conversation: Option<ConversationId> = None;
        for (index, line) in lines.iter().enumerate() {
            let (from, to) = if index % 2 == 0 {
                (writer, reader)
            } else {
                (reader, writer)
            };
            let message = match conversation {
                None => {
                    let from = Users::session_user(conn, from).await?;
                    Conversations::start(conn, &from, to, None, line, at).await?
                }
                Some(conversation) => {
                    Conversations::send(conn, conversation, from, line, at).await?
                }
            };
            conversation = Some(message.conversation);
            written += 1;
            at += Duration::minutes(40);
        }
    }
    let Some(official) = Users::id_by_email(conn, "official@openregion.demo")
        .await
        .optional()?
    else {
        return Ok(written);
    };
    let official = Users::session_user(conn, official).await?;
    let problem: Option<(ProblemId, platform::ids::UserId)> = problems::table
        .filter(problems::department_id.eq_any(official.official_departments()))
        .filter(problems::author_id.ne(official.id))
        .order(problems::id)
        .select((problems::id, problems::author_id))
        .first(conn)
        .await
        .optional()?;
    if let Some((problem, author)) = problem {
        let at = now - Duration::hours(3);
        Conversations::start(
            conn,
            &official,
            author,
            Some(problem),
            OFFICIAL_QUESTION,
            at,
        )
        .await?;
        written += 1;
    }
    Ok(written)
}
