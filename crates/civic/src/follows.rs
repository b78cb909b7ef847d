//! Following: who is told about a subject's steps.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel_async::{AsyncMysqlConnection, RunQueryDsl};
use platform::db::schema::follows;
use platform::ids::UserId;

use crate::subject::Subject;
use crate::supports::merge_rows;

/// The followers of every subject.
pub struct Follows;

impl Follows {
    /// Follows (`true`) or stops following `subject`; following twice is following once.
    pub async fn set(
        conn: &mut AsyncMysqlConnection,
        subject: Subject,
        user: UserId,
        follow: bool,
        now: NaiveDateTime,
    ) -> QueryResult<()> {
        if follow {
            diesel::insert_or_ignore_into(follows::table)
                .values((
                    follows::subject_kind.eq(subject.kind.as_str()),
                    follows::subject_id.eq(subject.id),
                    follows::user_id.eq(user),
                    follows::created_at.eq(now),
                ))
                .execute(conn)
                .await?;
        } else {
            diesel::delete(follows::table.find((subject.kind.as_str(), subject.id, user)))
                .execute(conn)
                .await?;
        }
        Ok(())
    }

    /// Whether `user` follows `subject`.
    pub async fn is_following(
        conn: &mut AsyncMysqlConnection,
        subject: Subject,
        user: UserId,
    ) -> QueryResult<bool> {
        diesel::select(diesel::dsl::exists(follows::table.find((
            subject.kind.as_str(),
            subject.id,
            user,
        ))))
        .get_result(conn)
        .await
    }

    /// How many people follow `subject` (one range of the primary key).
    pub async fn count(conn: &mut AsyncMysqlConnection, subject: Subject) -> QueryResult<u64> {
        let count: i64 = follows::table
            .filter(follows::subject_kind.eq(subject.kind.as_str()))
            .filter(follows::subject_id.eq(subject.id))
            .count()
            .get_result(conn)
            .await?;
        Ok(count.unsigned_abs())
    }

    /// Makes the followers of `from` follow `into` too (a duplicate merged into its original).
    pub async fn merge(
        conn: &mut AsyncMysqlConnection,
        from: Subject,
        into: Subject,
    ) -> QueryResult<()> {
        merge_rows(conn, "follows", from, into).await
    }
}
