//! Audit log entries as the management view lists them.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use crate::auth::model::UserId;

/// One recorded action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
