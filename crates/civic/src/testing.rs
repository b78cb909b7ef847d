//! Test support for the crates above: what the audit log says about one object.

use diesel_async::AsyncMysqlConnection;
use platform::ids::UserId;

use crate::audit::AuditEntry;

/// The actions recorded on (`target_kind`, `target_id`), newest first, with who took them.
pub async fn audit_trail(
    conn: &mut AsyncMysqlConnection,
    target_kind: &str,
    target_id: u64,
) -> Vec<(String, Option<UserId>)> {
    AuditEntry::recent(conn, Some((target_kind, target_id)), 100)
        .await
        .expect("read the audit log")
        .into_iter()
        .map(|entry| (entry.action, entry.actor_id))
        .collect()
}
