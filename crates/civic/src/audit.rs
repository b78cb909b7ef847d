//! The audit log: an append-only record of every staff action (who, what, on what, when),
//! written in the same transaction as the change it records.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use platform::ids::UserId;

/// One recorded action. Read straight from the query in `recent` (fields in its order).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(diesel::Queryable))]
pub struct AuditEntry {
    /// Its position in the log.
    pub id: u64,
    /// Who acted (`None` for the system).
    pub actor_id: Option<UserId>,
    /// The actor's display name.
    pub actor_name: Option<String>,
    /// Stable action name, e.g. `role.grant`.
    pub action: String,
    /// Kind of the object acted on.
    pub target_kind: String,
    /// Id of the object acted on.
    pub target_id: Option<u64>,
    /// The particulars, as JSON text.
    pub details: String,
    /// When (UTC).
    pub created_at: NaiveDateTime,
}

#[cfg(feature = "ssr")]
pub use store::AuditEvent;

#[cfg(feature = "ssr")]
mod store {
    use chrono::NaiveDateTime;
    use diesel::prelude::*;
    use diesel_async::{AsyncMysqlConnection, RunQueryDsl};

    use platform::db::schema::{audit_log, users};
    use platform::ids::UserId;

    use super::AuditEntry;

    /// What is being recorded.
    pub struct AuditEvent<'a> {
        /// Who acted.
        pub actor: Option<UserId>,
        /// Stable action name.
        pub action: &'a str,
        /// Kind of the object acted on.
        pub target_kind: &'a str,
        /// Id of the object acted on.
        pub target_id: Option<u64>,
        /// The particulars.
        pub details: serde_json::Value,
    }

    impl AuditEntry {
        /// Appends an event; call it in the same transaction as the change it records.
        pub async fn record(
            conn: &mut AsyncMysqlConnection,
            event: AuditEvent<'_>,
            now: NaiveDateTime,
        ) -> QueryResult<()> {
            diesel::insert_into(audit_log::table)
                .values((
                    audit_log::actor_user_id.eq(event.actor),
                    audit_log::action.eq(event.action),
                    audit_log::target_kind.eq(event.target_kind),
                    audit_log::target_id.eq(event.target_id),
                    audit_log::details.eq(event.details.to_string()),
                    audit_log::created_at.eq(now),
                ))
                .execute(conn)
                .await
                .map(drop)
        }

        /// The newest entries, newest first, optionally only those about one target.
        pub async fn recent(
            conn: &mut AsyncMysqlConnection,
            target: Option<(&str, u64)>,
            limit: i64,
        ) -> QueryResult<Vec<AuditEntry>> {
            let mut query = audit_log::table
                .left_join(users::table)
                .select((
                    audit_log::id,
                    audit_log::actor_user_id,
                    users::display_name.nullable(),
                    audit_log::action,
                    audit_log::target_kind,
                    audit_log::target_id,
                    audit_log::details,
                    audit_log::created_at,
                ))
                .order(audit_log::id.desc())
                .limit(limit)
                .into_boxed();
            if let Some((kind, id)) = target {
                query = query
                    .filter(audit_log::target_kind.eq(kind))
                    .filter(audit_log::target_id.eq(id));
            }
            query.load(conn).await
        }
    }
}
