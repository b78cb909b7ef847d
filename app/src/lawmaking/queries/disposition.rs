//! The editor's decision on a proposal to the text: a citizen's amendment while the text
//! is drafted, an expert's remark while it is examined. Both take the same path: the
//! initiative's row is locked first (so a decision never crosses a new version or the
//! closing of the expertise), only an official of the responsible body decides, only an
//! open proposal is decided, the reason is published, the step is audited and the
//! proposal's author is told.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl};

use super::super::model::drafting::{AMENDMENT, AmendmentId, AmendmentStatus, Disposition};
use super::super::model::expertise::{RemarkId, RemarkStatus};
use super::super::model::{EventKind, INITIATIVE, InitiativeId, Stage};
use super::lock;
use crate::auth::model::{Acting, UserId};
use civic::audit::{AuditEntry, AuditEvent};
use civic::notifications::Notifications;
use platform::db::schema::{initiative_amendments, initiative_conclusions, initiative_remarks};
use platform::error::AppError;

/// A proposal to the text that the editor decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Proposal {
    /// A citizen's amendment to an article, decided while the text is drafted.
    Amendment(AmendmentId),
    /// An expert's remark on an article, decided while the text is examined.
    Remark(RemarkId),
}

impl Proposal {
    /// The stage in which the editor decides it.
    fn stage(self) -> Stage {
        match self {
            Self::Amendment(_) => Stage::Drafting,
            Self::Remark(_) => Stage::Expertise,
        }
    }

    /// The initiative it belongs to.
    async fn initiative(self, conn: &mut AsyncMysqlConnection) -> Result<InitiativeId, AppError> {
        let initiative = match self {
            Self::Amendment(id) => {
                initiative_amendments::table
                    .find(id)
                    .select(initiative_amendments::initiative_id)
                    .first(conn)
                    .await
            }
            Self::Remark(id) => {
                initiative_remarks::table
                    .find(id)
                    .select(initiative_remarks::initiative_id)
                    .first(conn)
                    .await
            }
        };
        initiative.optional()?.ok_or(AppError::NotFound)
    }

    /// Locks the proposal's row and returns who wrote it (for a remark, the expert who
    /// concluded); a proposal decided or outdated already is refused.
    async fn lock_open(self, conn: &mut AsyncMysqlConnection) -> Result<UserId, AppError> {
        let (status, author, open): (String, UserId, &str) = match self {
            Self::Amendment(id) => {
                let (status, author) = initiative_amendments::table
                    .find(id)
                    .select((
                        initiative_amendments::status,
                        initiative_amendments::author_id,
                    ))
                    .for_update()
                    .first(conn)
                    .await?;
                (status, author, AmendmentStatus::Open.as_db())
            }
            Self::Remark(id) => {
                let (status, author) = initiative_remarks::table
                    .inner_join(initiative_conclusions::table)
                    .filter(initiative_remarks::id.eq(id))
                    .select((
                        initiative_remarks::status,
                        initiative_conclusions::expert_id,
                    ))
                    .for_update()
                    .first(conn)
                    .await?;
                (status, author, RemarkStatus::Open.as_db())
            }
        };
        if status == open {
            Ok(author)
        } else {
            Err(AppError::IllegalTransition {
                status,
                action: "dispose".to_string(),
            })
        }
    }

    /// Writes the decision on the proposal's row.
    async fn record(
        self,
        conn: &mut AsyncMysqlConnection,
        disposition: Disposition,
        reason: &str,
        editor: UserId,
        now: NaiveDateTime,
    ) -> QueryResult<usize> {
        match self {
            Self::Amendment(id) => {
                diesel::update(initiative_amendments::table.find(id))
                    .set((
                        initiative_amendments::status
                            .eq(AmendmentStatus::Decided(disposition).as_db()),
                        initiative_amendments::reason.eq(reason),
                        initiative_amendments::decided_by.eq(editor),
                        initiative_amendments::decided_at.eq(now),
                    ))
                    .execute(conn)
                    .await
            }
            Self::Remark(id) => {
                diesel::update(initiative_remarks::table.find(id))
                    .set((
                        initiative_remarks::status.eq(RemarkStatus::Decided(disposition).as_db()),
                        initiative_remarks::reason.eq(reason),
                        initiative_remarks::decided_by.eq(editor),
                        initiative_remarks::decided_at.eq(now),
                    ))
                    .execute(conn)
                    .await
            }
        }
    }

    /// The audit entry of the decision: an amendment is audited as itself, a remark (which
    /// has no subject kind of its own) under its initiative.
    fn audit_event(
        self,
        initiative: InitiativeId,
        editor: UserId,
        disposition: Disposition,
        reason: &str,
    ) -> AuditEvent<'static> {
        let (action, target_kind, target_id, details) = match self {
            Self::Amendment(id) => (
                "initiative.dispose_amendment",
                AMENDMENT.as_str(),
                id.0,
                serde_json::json!({
                    "initiative": initiative.0,
                    "disposition": disposition.as_db(),
                    "reason": reason,
                }),
            ),
            Self::Remark(id) => (
                "initiative.dispose_remark",
                INITIATIVE.as_str(),
                initiative.0,
                serde_json::json!({
                    "remark": id.0,
                    "disposition": disposition.as_db(),
                    "reason": reason,
                }),
            ),
        };
        AuditEvent {
            actor: Some(editor),
            action,
            target_kind,
            target_id: Some(target_id),
            details,
        }
    }

    /// What its author is told.
    fn decided_event(self) -> EventKind {
        match self {
            Self::Amendment(_) => EventKind::AmendmentDecided,
            Self::Remark(_) => EventKind::RemarkDecided,
        }
    }
}

/// The editor's decisions.
pub struct Dispositions;

impl Dispositions {
    /// `acting`, an official of the responsible body, decides the open `proposal` in its
    /// stage with `disposition` and the published `reason` (both validated by the
    /// caller); the proposal's author is told unless they decided it themselves.
    pub async fn decide(
        conn: &mut AsyncMysqlConnection,
        proposal: Proposal,
        acting: &Acting,
        disposition: Disposition,
        reason: &str,
        now: NaiveDateTime,
    ) -> Result<(), AppError> {
        let (acting, reason) = (acting.clone(), reason.to_string());
        conn.transaction(async move |conn| {
            let initiative = proposal.initiative(conn).await?;
            let row = lock(conn, initiative).await?;
            row.check_editor(&acting, proposal.stage(), "dispose")?;
            let author = proposal.lock_open(conn).await?;
            proposal
                .record(conn, disposition, &reason, acting.user, now)
                .await?;
            AuditEntry::record(
                conn,
                proposal.audit_event(initiative, acting.user, disposition, &reason),
                now,
            )
            .await?;
            if author != acting.user {
                Notifications::to_user(
                    conn,
                    author,
                    initiative.subject(),
                    proposal.decided_event().as_db(),
                    now,
                )
                .await?;
            }
            Ok(())
        })
        .await
    }
}
