//! The staff's law-making queues and the control view of reactions per body.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::dsl::{count_star, exists, not};
use diesel::prelude::*;
use diesel_async::{AsyncMysqlConnection, RunQueryDsl};

use super::super::model::expertise::{ReactionClock, RemarkStatus};
use super::super::model::work::{BodyReactions, QUEUE_LIMIT, ReactionItem, WorkQueues};
use super::super::model::{InitiativeId, InitiativeSummary, Stage};
use super::SummaryRow;
use crate::auth::model::{Role, SessionUser};
use crate::organisation::model::DepartmentId;
use platform::db::schema::{initiative_experts, initiative_remarks, initiatives};
use platform::error::AppError;

/// The law-making queues of `user` at `now`: a moderator's, an official's (for their
/// bodies) and the reactions and control view (an official's bodies', or every body's
/// for moderators, analysts and admins). Anyone else is refused.
pub async fn work_of(
    conn: &mut AsyncMysqlConnection,
    user: &SessionUser,
    now: NaiveDateTime,
) -> Result<WorkQueues, AppError> {
    if !user.is_staff() {
        return Err(AppError::Forbidden);
    }
    let moderator = user.has_role(Role::Moderator);
    let oversees = moderator || user.has_role(Role::Analyst) || user.has_role(Role::Admin);
    let bodies = user.official_departments();
    let mut queues = WorkQueues {
        now,
        ..WorkQueues::default()
    };
    if moderator {
        queues.moderation = summaries(
            initiatives::table
                .filter(initiatives::stage.eq(Stage::Moderation.as_db()))
                .order(initiatives::id.asc())
                .limit(QUEUE_LIMIT)
                .select(SummaryRow::as_select())
                .load(conn)
                .await?,
        )?;
        let assigned = initiative_experts::table
            .filter(initiative_experts::initiative_id.eq(initiatives::id))
            .filter(initiative_experts::assigned_at.is_not_null());
        let waiting = initiative_experts::table
            .filter(initiative_experts::initiative_id.eq(initiatives::id))
            .filter(initiative_experts::assigned_at.is_null());
        queues.experts_needed = summaries(
            initiatives::table
                .filter(
                    initiatives::stage.eq_any([Stage::Drafting.as_db(), Stage::Expertise.as_db()]),
                )
                .filter(not(exists(assigned)).or(exists(waiting)))
                .order(initiatives::id.asc())
                .limit(QUEUE_LIMIT)
                .select(SummaryRow::as_select())
                .load(conn)
                .await?,
        )?;
    }
    if !bodies.is_empty() {
        queues.drafting = summaries(
            initiatives::table
                .filter(initiatives::stage.eq(Stage::Drafting.as_db()))
                .filter(initiatives::department_id.eq_any(&bodies))
                .order(initiatives::stage_started_at.asc())
                .limit(QUEUE_LIMIT)
                .select(SummaryRow::as_select())
                .load(conn)
                .await?,
        )?;
        let examined = summaries(
            initiatives::table
                .filter(initiatives::stage.eq(Stage::Expertise.as_db()))
                .filter(initiatives::department_id.eq_any(&bodies))
                .order(initiatives::stage_started_at.asc())
                .limit(QUEUE_LIMIT)
                .select(SummaryRow::as_select())
                .load(conn)
                .await?,
        )?;
        let ids: Vec<InitiativeId> = examined.iter().map(|summary| summary.id).collect();
        let open: HashMap<InitiativeId, i64> = initiative_remarks::table
            .filter(initiative_remarks::initiative_id.eq_any(&ids))
            .filter(initiative_remarks::status.eq(RemarkStatus::Open.as_db()))
            .group_by(initiative_remarks::initiative_id)
            .select((initiative_remarks::initiative_id, count_star()))
            .load::<(InitiativeId, i64)>(conn)
            .await?
            .into_iter()
            .collect();
        queues.expertise = examined
            .into_iter()
            .map(|summary| {
                let count = open.get(&summary.id).copied().unwrap_or(0);
                (summary, u32::try_from(count).unwrap_or(u32::MAX))
            })
            .collect();
    }
    if oversees || !bodies.is_empty() {
        let scope = |oversees: bool| {
            let query = initiatives::table
                .filter(initiatives::stage.eq(Stage::Reaction.as_db()))
                .into_boxed();
            if oversees {
                query
            } else {
                query.filter(initiatives::department_id.eq_any(bodies.clone()))
            }
        };
        type ClockColumns = (
            SummaryRow,
            Option<NaiveDateTime>,
            Option<NaiveDateTime>,
            Option<DepartmentId>,
        );
        let rows: Vec<ClockColumns> = scope(oversees)
            .order(initiatives::reaction_due_at.asc())
            .limit(QUEUE_LIMIT)
            .select((
                SummaryRow::as_select(),
                initiatives::reaction_due_at,
                initiatives::overdue_since,
                initiatives::escalated_to,
            ))
            .load(conn)
            .await?;
        queues.reactions = rows
            .into_iter()
            .filter_map(|(row, due_at, overdue_since, escalated_to)| {
                due_at.map(|due_at| {
                    Ok(ReactionItem {
                        summary: row.into_summary()?,
                        clock: ReactionClock {
                            due_at,
                            overdue_since,
                            escalated_to,
                        },
                    })
                })
            })
            .collect::<Result<_, AppError>>()?;
        // Counted here rather than grouped in SQL: the reactions running at once are few
        // (one per initiative in that stage), and the boxed scope does not group.
        let clocks: Vec<(Option<DepartmentId>, Option<NaiveDateTime>)> = scope(oversees)
            .select((initiatives::department_id, initiatives::overdue_since))
            .load(conn)
            .await?;
        let mut per_body: HashMap<DepartmentId, BodyReactions> = HashMap::new();
        for (department, overdue_since) in clocks {
            let Some(department_id) = department else {
                continue;
            };
            let row = per_body.entry(department_id).or_insert(BodyReactions {
                department_id,
                due: 0,
                overdue: 0,
            });
            row.due += 1;
            row.overdue += u32::from(overdue_since.is_some());
        }
        let mut control: Vec<BodyReactions> = per_body.into_values().collect();
        BodyReactions::sort(&mut control);
        queues.control = control;
    }
    Ok(queues)
}

fn summaries(rows: Vec<SummaryRow>) -> Result<Vec<InitiativeSummary>, AppError> {
    rows.into_iter().map(SummaryRow::into_summary).collect()
}
