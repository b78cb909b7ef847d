//! Supports: one per person and subject.
//!
//! The primary key on (subject, user) makes each support count once however many requests
//! race; [`Supports::set`] says whether a row really changed, so that the owner of a
//! subject moves its own counter (which its lists sort by) in the same transaction and
//! the counter stays exact.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel_async::{AsyncMysqlConnection, RunQueryDsl};
use platform::db::schema::supports;
use platform::ids::UserId;

use crate::subject::{Subject, SubjectKind};

/// The supports of every subject.
pub struct Supports;

impl Supports {
    /// Adds (`true`) or withdraws (`false`) `user`'s support; whether anything changed.
    pub async fn set(
        conn: &mut AsyncMysqlConnection,
        subject: Subject,
        user: UserId,
        support: bool,
        now: NaiveDateTime,
    ) -> QueryResult<bool> {
        let changed = if support {
            diesel::insert_or_ignore_into(supports::table)
                .values((
                    supports::subject_kind.eq(subject.kind.as_str()),
                    supports::subject_id.eq(subject.id),
                    supports::user_id.eq(user),
                    supports::created_at.eq(now),
                ))
                .execute(conn)
                .await?
        } else {
            diesel::delete(supports::table.find((subject.kind.as_str(), subject.id, user)))
                .execute(conn)
                .await?
        };
        Ok(changed > 0)
    }

    /// Adds or withdraws `user`'s support of `subject` whose counter, read under the
    /// subject's row lock, stands at `count`; the counter's new value (`count` when
    /// nothing changed), for the caller to write in the same transaction.
    pub async fn set_counted(
        conn: &mut AsyncMysqlConnection,
        subject: Subject,
        user: UserId,
        support: bool,
        now: NaiveDateTime,
        count: u32,
    ) -> QueryResult<u32> {
        Ok(
            match (Self::set(conn, subject, user, support, now).await?, support) {
                (false, _) => count,
                (true, true) => count + 1,
                (true, false) => count.saturating_sub(1),
            },
        )
    }

    /// Whether `user` supports `subject`.
    pub async fn has(
        conn: &mut AsyncMysqlConnection,
        subject: Subject,
        user: UserId,
    ) -> QueryResult<bool> {
        diesel::select(diesel::dsl::exists(supports::table.find((
            subject.kind.as_str(),
            subject.id,
            user,
        ))))
        .get_result(conn)
        .await
    }

    /// Which of the subjects of `kind` numbered `ids` `user` supports.
    pub async fn among(
        conn: &mut AsyncMysqlConnection,
        kind: SubjectKind,
        ids: &[u64],
        user: UserId,
    ) -> QueryResult<Vec<u64>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        supports::table
            .filter(supports::subject_kind.eq(kind.as_str()))
            .filter(supports::user_id.eq(user))
            .filter(supports::subject_id.eq_any(ids))
            .select(supports::subject_id)
            .load(conn)
            .await
    }

    /// How many people support `subject` (read from the rows, not from a counter).
    pub async fn count(conn: &mut AsyncMysqlConnection, subject: Subject) -> QueryResult<u32> {
        let count: i64 = supports::table
            .filter(supports::subject_kind.eq(subject.kind.as_str()))
            .filter(supports::subject_id.eq(subject.id))
            .count()
            .get_result(conn)
            .await?;
        Ok(u32::try_from(count).unwrap_or(u32::MAX))
    }

    /// Adds the supports of `from` to `into` (a duplicate merged into its original):
    /// whoever supported either supports `into` once. Returns `into`'s new count.
    pub async fn merge(
        conn: &mut AsyncMysqlConnection,
        from: Subject,
        into: Subject,
    ) -> QueryResult<u32> {
        merge_rows(conn, "supports", from, into).await?;
        Self::count(conn, into).await
    }
}

/// Copies the rows of `from` in a (subject, user) table onto `into`, once per user; `from`
/// keeps its own rows (its page still shows who supported it). Table names are our own
/// constants, never request text.
pub(crate) async fn merge_rows(
    conn: &mut AsyncMysqlConnection,
    table: &'static str,
    from: Subject,
    into: Subject,
) -> QueryResult<()> {
    diesel::sql_query(format!(
        "INSERT IGNORE INTO {table} (subject_kind, subject_id, user_id, created_at) \
         SELECT ?, ?, user_id, created_at FROM {table} WHERE subject_kind = ? AND subject_id = ?"
    ))
    .bind::<diesel::sql_types::Text, _>(into.kind.as_str())
    .bind::<diesel::sql_types::Unsigned<diesel::sql_types::BigInt>, _>(into.id)
    .bind::<diesel::sql_types::Text, _>(from.kind.as_str())
    .bind::<diesel::sql_types::Unsigned<diesel::sql_types::BigInt>, _>(from.id)
    .execute(conn)
    .await
    .map(drop)
}
