//! The expertise of a draft: experts assigned by a moderator or volunteering and approved,
//! their conclusions on the version under expertise with remarks tied to its articles,
//! the editor's disposition of each remark, and the rule that closes the stage.
//!
//! Every change locks the initiative's row first, as the stage steps do, so a conclusion
//! never lands after the expertise closed and a disposition never races the closing.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl};

use super::super::model::expertise::{
    Conclusion, ConclusionId, Expert, ExpertRole, ExpertiseView, Remark, RemarkCategory, RemarkId,
    RemarkStatus, ValidConclusion, Verdict, closing_refusal, remark_field,
};
use super::super::model::{EventKind, INITIATIVE, InitiativeId, Stage};
use super::{SeenInitiative, lock, record_event, seen_by};
use crate::auth::model::{Acting, Role, SessionUser, UserId};
use crate::auth::queries::Roles;
use civic::audit::{AuditEntry, AuditEvent};
use civic::notifications::Notifications;
use platform::db::last_insert_id;
use platform::db::schema::{
    initiative_articles, initiative_conclusions, initiative_experts, initiative_remarks,
    initiative_versions, users,
};
use platform::error::{AppError, ErrorCode};

/// The most experts a moderator is offered to choose from.
const CANDIDATES: i64 = 500;

/// The expertise's queries.
pub struct Expertises;

impl Expertises {
    /// A moderator makes `expert` (who must hold the expert role) an expert of the
    /// initiative, or approves the volunteer; the expert is told. Experts are chosen while
    /// the text is drafted or examined.
    pub async fn assign(
        conn: &mut AsyncMysqlConnection,
        id: InitiativeId,
        acting: &Acting,
        expert: UserId,
        now: NaiveDateTime,
    ) -> Result<(), AppError> {
        if !acting.moderator {
            return Err(AppError::Forbidden);
        }
        let moderator = acting.user;
        conn.transaction(async move |conn| {
            let row = lock(conn, id).await?;
            check_choosing(row.stage()?, "assign_expert")?;
            if !Roles::holds(conn, expert, Role::Expert).await? {
                return Err(AppError::invalid("expert", ErrorCode::UnknownUser));
            }
            let assigned: Option<Option<NaiveDateTime>> = initiative_experts::table
                .find((id, expert))
                .select(initiative_experts::assigned_at)
                .for_update()
                .first(conn)
                .await
                .optional()?;
            match assigned {
                Some(Some(_)) => return Ok(()),
                Some(None) => {
                    diesel::update(initiative_experts::table.find((id, expert)))
                        .set((
                            initiative_experts::assigned_by.eq(moderator),
                            initiative_experts::assigned_at.eq(now),
                        ))
                        .execute(conn)
                        .await?;
                }
                None => {
                    diesel::insert_into(initiative_experts::table)
                        .values((
                            initiative_experts::initiative_id.eq(id),
                            initiative_experts::expert_id.eq(expert),
                            initiative_experts::assigned_by.eq(moderator),
                            initiative_experts::requested_at.eq(now),
                            initiative_experts::assigned_at.eq(now),
                        ))
                        .execute(conn)
                        .await?;
                }
            }
            AuditEntry::record(
                conn,
                AuditEvent {
                    actor: Some(moderator),
                    action: "initiative.assign_expert",
                    target_kind: INITIATIVE.as_str(),
                    target_id: Some(id.0),
                    details: serde_json::json!({ "expert": expert.0 }),
                },
                now,
            )
            .await?;
            Notifications::to_user_for_work(
                conn,
                expert,
                id.subject(),
                EventKind::ExpertAssigned.as_db(),
                now,
            )
            .await?;
            Ok(())
        })
        .await
    }

    /// A user with the expert role volunteers to examine the initiative; a moderator
    /// approves. Volunteering twice changes nothing.
    pub async fn volunteer(
        conn: &mut AsyncMysqlConnection,
        id: InitiativeId,
        expert: UserId,
        now: NaiveDateTime,
    ) -> Result<(), AppError> {
        conn.transaction(async move |conn| {
            let row = lock(conn, id).await?;
            check_choosing(row.stage()?, "volunteer")?;
            if !Roles::holds(conn, expert, Role::Expert).await? {
                return Err(AppError::Forbidden);
            }
            diesel::insert_or_ignore_into(initiative_experts::table)
                .values((
                    initiative_experts::initiative_id.eq(id),
                    initiative_experts::expert_id.eq(expert),
                    initiative_experts::requested_at.eq(now),
                ))
                .execute(conn)
                .await?;
            Ok(())
        })
        .await
    }

    /// An assigned expert publishes a conclusion on the version under expertise (the
    /// latest), once per version; every remark names one of its articles. The followers
    /// and the responsible body are told.
    pub async fn conclude(
        conn: &mut AsyncMysqlConnection,
        id: InitiativeId,
        expert: UserId,
        conclusion: &ValidConclusion,
        now: NaiveDateTime,
    ) -> Result<ConclusionId, AppError> {
        let conclusion = conclusion.clone();
        conn.transaction(async move |conn| {
            let row = lock(conn, id).await?;
            let stage = row.stage()?;
            if stage != Stage::Expertise {
                return Err(stage.refuse("conclude"));
            }
            let assigned: Option<Option<NaiveDateTime>> = initiative_experts::table
                .find((id, expert))
                .select(initiative_experts::assigned_at)
                .first(conn)
                .await
                .optional()?;
            if !matches!(assigned, Some(Some(_))) {
                return Err(AppError::Forbidden);
            }
            let version_id = latest_version(conn, id)
                .await?
                .ok_or_else(|| AppError::invalid("action", ErrorCode::NoDraft))?;
            let labels: HashSet<String> = initiative_articles::table
                .filter(initiative_articles::version_id.eq(version_id))
                .select(initiative_articles::label)
                .load::<String>(conn)
                .await?
                .into_iter()
                .collect();
            let unknown: Vec<_> = conclusion
                .remarks
                .iter()
                .filter(|remark| !labels.contains(&remark.article))
                .map(|remark| {
                    platform::error::FieldError::new(
                        remark_field(remark.row, "article"),
                        ErrorCode::NotAllowed,
                    )
                })
                .collect();
            if !unknown.is_empty() {
                return Err(AppError::Invalid { errors: unknown });
            }
            let already: bool = diesel::select(diesel::dsl::exists(
                initiative_conclusions::table
                    .filter(initiative_conclusions::version_id.eq(version_id))
                    .filter(initiative_conclusions::expert_id.eq(expert)),
            ))
            .get_result(conn)
            .await?;
            if already {
                return Err(AppError::invalid("text", ErrorCode::Duplicate));
            }
            diesel::insert_into(initiative_conclusions::table)
                .values((
                    initiative_conclusions::initiative_id.eq(id),
                    initiative_conclusions::version_id.eq(version_id),
                    initiative_conclusions::expert_id.eq(expert),
                    initiative_conclusions::verdict.eq(conclusion.verdict.as_db()),
                    initiative_conclusions::body.eq(&conclusion.text),
                    initiative_conclusions::created_at.eq(now),
                ))
                .execute(conn)
                .await?;
            let conclusion_id = ConclusionId(last_insert_id(conn).await?);
            if !conclusion.remarks.is_empty() {
                let rows: Vec<_> = conclusion
                    .remarks
                    .iter()
                    .map(|remark| {
                        (
                            initiative_remarks::initiative_id.eq(id),
                            initiative_remarks::conclusion_id.eq(conclusion_id.0),
                            initiative_remarks::article_label.eq(&remark.article),
                            initiative_remarks::category.eq(remark.category.as_db()),
                            initiative_remarks::body.eq(&remark.text),
                            initiative_remarks::status.eq(RemarkStatus::Open.as_db()),
                        )
                    })
                    .collect();
                diesel::insert_into(initiative_remarks::table)
                    .values(rows)
                    .execute(conn)
                    .await?;
            }
            record_event(
                conn,
                id,
                EventKind::ConclusionPublished,
                Stage::Expertise,
                Some(expert),
                None,
                now,
            )
            .await?;
            if let Some(department) = row.department_id {
                Notifications::to_officials(
                    conn,
                    department,
                    id.subject(),
                    EventKind::ConclusionPublished.as_db(),
                    now,
                )
                .await?;
            }
            Ok(conclusion_id)
        })
        .await
    }

    /// Refuses closing the expertise of the locked initiative unless an expert concluded
    /// on the version under expertise and every remark on it has its disposition.
    pub(super) async fn check_closing(
        conn: &mut AsyncMysqlConnection,
        id: InitiativeId,
    ) -> Result<(), AppError> {
        let Some(version_id) = latest_version(conn, id).await? else {
            return Err(AppError::invalid("action", ErrorCode::NoDraft));
        };
        let conclusions: i64 = initiative_conclusions::table
            .filter(initiative_conclusions::version_id.eq(version_id))
            .count()
            .get_result(conn)
            .await?;
        let open: i64 = initiative_remarks::table
            .inner_join(initiative_conclusions::table)
            .filter(initiative_conclusions::version_id.eq(version_id))
            .filter(initiative_remarks::status.eq(RemarkStatus::Open.as_db()))
            .count()
            .get_result(conn)
            .await?;
        let count = |value: i64| u32::try_from(value).unwrap_or(u32::MAX);
        match closing_refusal(count(conclusions), count(open)) {
            Some(code) => Err(AppError::invalid("action", code)),
            None => Ok(()),
        }
    }

    /// The expertise page: the version under expertise, the experts, every conclusion
    /// with its remarks, and what `viewer` may do. An initiative the viewer may not see is
    /// not found.
    pub async fn view(
        conn: &mut AsyncMysqlConnection,
        id: InitiativeId,
        viewer: Option<&SessionUser>,
    ) -> Result<ExpertiseView, AppError> {
        let SeenInitiative {
            title,
            stage,
            viewer: viewer_state,
            edits,
        } = seen_by(conn, id, viewer).await?;
        let versions: Vec<(u64, u32)> = initiative_versions::table
            .filter(initiative_versions::initiative_id.eq(id))
            .order(initiative_versions::number.asc())
            .select((initiative_versions::id, initiative_versions::number))
            .load(conn)
            .await?;
        let numbers: HashMap<u64, u32> = versions.iter().copied().collect();
        let latest = versions.last().copied();
        let articles: Vec<String> = match latest {
            Some((version_id, _)) => {
                initiative_articles::table
                    .filter(initiative_articles::version_id.eq(version_id))
                    .order(initiative_articles::position.asc())
                    .select(initiative_articles::label)
                    .load(conn)
                    .await?
            }
            None => Vec::new(),
        };
        let experts: Vec<Expert> = initiative_experts::table
            .inner_join(users::table.on(users::id.eq(initiative_experts::expert_id)))
            .filter(initiative_experts::initiative_id.eq(id))
            .order((
                initiative_experts::assigned_at.is_null().asc(),
                users::display_name.asc(),
            ))
            .select((
                users::id,
                users::display_name,
                initiative_experts::assigned_at.is_not_null(),
            ))
            .load::<(UserId, String, bool)>(conn)
            .await?
            .into_iter()
            .map(|(id, name, assigned)| Expert { id, name, assigned })
            .collect();
        let conclusions = conclusions_of(conn, id, &numbers).await?;
        let viewer_id = viewer.map(|user| user.id);
        let expert_role = match viewer {
            None => ExpertRole::None,
            Some(user) => match experts.iter().find(|expert| expert.id == user.id) {
                Some(expert) if expert.assigned => ExpertRole::Assigned,
                Some(_) => ExpertRole::Volunteered,
                None if user.has_role(Role::Expert) => ExpertRole::Eligible,
                None => ExpertRole::None,
            },
        };
        let viewer_concluded = match (viewer_id, latest) {
            (Some(user), Some((version_id, _))) => {
                diesel::select(diesel::dsl::exists(
                    initiative_conclusions::table
                        .filter(initiative_conclusions::version_id.eq(version_id))
                        .filter(initiative_conclusions::expert_id.eq(user)),
                ))
                .get_result(conn)
                .await?
            }
            _ => false,
        };
        let candidates = if viewer_state.is_moderator && !stage.is_final() {
            Roles::holders(conn, Role::Expert, CANDIDATES)
                .await?
                .into_iter()
                .filter(|(user, _)| {
                    !experts
                        .iter()
                        .any(|expert| expert.id == *user && expert.assigned)
                })
                .map(|(id, name)| Expert {
                    id,
                    name,
                    assigned: false,
                })
                .collect()
        } else {
            Vec::new()
        };
        Ok(ExpertiseView {
            title,
            stage,
            version: latest.map(|(_, number)| number),
            articles,
            experts,
            conclusions,
            candidates,
            viewer: viewer_state,
            edits,
            expert_role,
            viewer_concluded,
        })
    }
}

/// Experts are chosen while the text is drafted or examined.
fn check_choosing(stage: Stage, action: &str) -> Result<(), AppError> {
    if matches!(stage, Stage::Drafting | Stage::Expertise) {
        Ok(())
    } else {
        Err(stage.refuse(action))
    }
}

/// The id of an initiative's latest version.
async fn latest_version(
    conn: &mut AsyncMysqlConnection,
    id: InitiativeId,
) -> QueryResult<Option<u64>> {
    initiative_versions::table
        .filter(initiative_versions::initiative_id.eq(id))
        .order(initiative_versions::number.desc())
        .select(initiative_versions::id)
        .first(conn)
        .await
        .optional()
}

/// A conclusion's row with its expert's name.
type ConclusionRow = (u64, u64, String, String, String, NaiveDateTime);
/// A remark's row.
type RemarkRow = (
    u64,
    u64,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<u64>,
);

/// Every conclusion of an initiative with its remarks, oldest first; `numbers` maps
/// version ids to numbers.
pub(super) async fn conclusions_of(
    conn: &mut AsyncMysqlConnection,
    id: InitiativeId,
    numbers: &HashMap<u64, u32>,
) -> Result<Vec<Conclusion>, AppError> {
    let rows: Vec<ConclusionRow> = initiative_conclusions::table
        .inner_join(users::table.on(users::id.eq(initiative_conclusions::expert_id)))
        .filter(initiative_conclusions::initiative_id.eq(id))
        .order(initiative_conclusions::id.asc())
        .select((
            initiative_conclusions::id,
            initiative_conclusions::version_id,
            users::display_name,
            initiative_conclusions::verdict,
            initiative_conclusions::body,
            initiative_conclusions::created_at,
        ))
        .load(conn)
        .await?;
    let remarks: Vec<RemarkRow> = initiative_remarks::table
        .filter(initiative_remarks::initiative_id.eq(id))
        .order(initiative_remarks::id.asc())
        .select((
            initiative_remarks::id,
            initiative_remarks::conclusion_id,
            initiative_remarks::article_label,
            initiative_remarks::category,
            initiative_remarks::body,
            initiative_remarks::status,
            initiative_remarks::reason,
            initiative_remarks::taken_in_version_id,
        ))
        .load(conn)
        .await?;
    let mut by_conclusion: HashMap<u64, Vec<Remark>> = HashMap::new();
    for (remark_id, conclusion, article, category, text, status, reason, taken_in) in remarks {
        by_conclusion.entry(conclusion).or_default().push(Remark {
            id: RemarkId(remark_id),
            article,
            category: RemarkCategory::from_db(&category).ok_or(AppError::Internal)?,
            text,
            status: RemarkStatus::from_db(&status).ok_or(AppError::Internal)?,
            reason,
            taken_in: taken_in.and_then(|version| numbers.get(&version).copied()),
        });
    }
    rows.into_iter()
        .map(
            |(conclusion_id, version_id, expert_name, verdict, text, created_at)| {
                Ok(Conclusion {
                    id: ConclusionId(conclusion_id),
                    expert_name,
                    version: numbers
                        .get(&version_id)
                        .copied()
                        .ok_or(AppError::Internal)?,
                    verdict: Verdict::from_db(&verdict).ok_or(AppError::Internal)?,
                    text,
                    created_at,
                    remarks: by_conclusion.remove(&conclusion_id).unwrap_or_default(),
                })
            },
        )
        .collect()
}
