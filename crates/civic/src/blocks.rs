//! Blocks between people: a person blocks another so that they may no longer comment on
//! the blocker's content, follow them or write to them.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel_async::{AsyncMysqlConnection, RunQueryDsl};
use platform::db::schema::blocks;
use platform::ids::UserId;

/// The blocks of every person.
pub struct Blocks;

impl Blocks {
    /// `blocker` blocks (`true`) or unblocks `blocked`; blocking twice is blocking once.
    pub async fn set(
        conn: &mut AsyncMysqlConnection,
        blocker: UserId,
        blocked: UserId,
        block: bool,
        now: NaiveDateTime,
    ) -> QueryResult<()> {
        if block {
            diesel::insert_or_ignore_into(blocks::table)
                .values((
                    blocks::blocker_id.eq(blocker),
                    blocks::blocked_id.eq(blocked),
                    blocks::created_at.eq(now),
                ))
                .execute(conn)
                .await?;
        } else {
            diesel::delete(blocks::table.find((blocker, blocked)))
                .execute(conn)
                .await?;
        }
        Ok(())
    }

    /// Whether `blocker` blocked `blocked`.
    pub async fn has_blocked(
        conn: &mut AsyncMysqlConnection,
        blocker: UserId,
        blocked: UserId,
    ) -> QueryResult<bool> {
        diesel::select(diesel::dsl::exists(blocks::table.find((blocker, blocked))))
            .get_result(conn)
            .await
    }

    /// Whether either of `one` and `other` blocked the other: what a refusal checks, so it
    /// cannot tell which of them blocked.
    pub async fn between(
        conn: &mut AsyncMysqlConnection,
        one: UserId,
        other: UserId,
    ) -> QueryResult<bool> {
        diesel::select(diesel::dsl::exists(
            blocks::table.filter(
                blocks::blocker_id
                    .eq(one)
                    .and(blocks::blocked_id.eq(other))
                    .or(blocks::blocker_id.eq(other).and(blocks::blocked_id.eq(one))),
            ),
        ))
        .get_result(conn)
        .await
    }
}
