//! Initiative queries: proposing, moving along the state machine (by people and by the
//! scheduler), supports that move a concept on at its threshold, the discussion with
//! positions, following, lists and pages.
//!
//! Every change locks the initiative's row first and checks the step against the locked
//! stage, so two moderators, a support racing the window's end or two scheduler instances
//! never move one initiative twice.

pub mod disposition;
pub mod drafting;
pub mod expertise;
mod reaction;
pub mod thresholds;
pub mod work;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl};

use super::model::expertise::{Act, REACTION_DAYS, ReactionClock};
use super::model::{
    Action, Actor, CONCEPT_DAYS, DISCUSSION_DAYS, EventKind, HistoryEntry, INITIATIVE,
    InitiativeDetail, InitiativeFilter, InitiativeId, InitiativePage, InitiativeSummary, Level,
    PAGE_SIZE, Stage, ThresholdLevel, ValidInitiative, parse_position, stage_end,
};
use crate::auth::model::{Acting, SessionUser, SubjectViewer, UserId};
use crate::geography::model::{MunicipalityId, MunicipalityKind};
use crate::organisation::model::{Department, DepartmentId, ThemeId};
use crate::organisation::queries::RoutingRules;
use civic::audit::{AuditEntry, AuditEvent};
use civic::comments::{CommentId, Comments};
use civic::follows::Follows;
use civic::notifications::Notifications;
use civic::reaction_clock::ClockReport;
use civic::supports::Supports;
use platform::db::last_insert_id;
use platform::db::schema::{
    initiative_events, initiative_versions, initiatives, municipalities, themes, users,
};
use platform::error::{AppError, ErrorCode};
use thresholds::Thresholds;

/// The row of a list or a page, in `InitiativeSummary` order.
#[derive(Queryable, Selectable)]
#[diesel(table_name = initiatives, check_for_backend(diesel::mysql::Mysql))]
struct SummaryRow {
    id: InitiativeId,
    title: String,
    stage: String,
    municipality_id: Option<MunicipalityId>,
    theme_id: ThemeId,
    department_id: Option<DepartmentId>,
    support_count: u32,
    support_threshold: u32,
    comment_count: u32,
    stage_started_at: NaiveDateTime,
    stage_ends_at: Option<NaiveDateTime>,
}

impl SummaryRow {
    fn into_summary(self) -> Result<InitiativeSummary, AppError> {
        Ok(InitiativeSummary {
            id: self.id,
            title: self.title,
            stage: Stage::from_db(&self.stage).ok_or(AppError::Internal)?,
            municipality_id: self.municipality_id,
            theme_id: self.theme_id,
            department_id: self.department_id,
            support_count: self.support_count,
            support_threshold: self.support_threshold,
            comment_count: self.comment_count,
            stage_started_at: self.stage_started_at,
            stage_ends_at: self.stage_ends_at,
        })
    }
}

/// The reaction clock and the act of an initiative's row.
type ClockRow = (
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
    Option<DepartmentId>,
    Option<String>,
    Option<chrono::NaiveDate>,
    Option<String>,
);

/// What a step needs to know of the locked row.
#[derive(Queryable, Selectable)]
#[diesel(table_name = initiatives, check_for_backend(diesel::mysql::Mysql))]
struct LockedRow {
    stage: String,
    author_id: UserId,
    department_id: Option<DepartmentId>,
    author_edits: bool,
    municipality_id: Option<MunicipalityId>,
    theme_id: ThemeId,
    support_count: u32,
    support_threshold: u32,
    stage_ends_at: Option<NaiveDateTime>,
}

impl LockedRow {
    fn stage(&self) -> Result<Stage, AppError> {
        Stage::from_db(&self.stage).ok_or(AppError::Internal)
    }

    /// The stage, if a moderator may change who works on the initiative in it (its body,
    /// the author as editor): while it is public and not final; else the refusal of
    /// `action`.
    fn stage_for_moderator_change(&self, action: &str) -> Result<Stage, AppError> {
        let stage = self.stage()?;
        if stage.takes_reassignment() {
            Ok(stage)
        } else {
            Err(stage.refuse(action))
        }
    }

    /// Refuses `action` on the text unless `acting` edits it (an official of the
    /// responsible body, or the author where a moderator allowed it) and the initiative
    /// is in stage `during`.
    fn check_editor(&self, acting: &Acting, during: Stage, action: &str) -> Result<(), AppError> {
        let stage = self.stage()?;
        let is_official = self
            .department_id
            .is_some_and(|department| acting.departments.contains(&department));
        let is_author_editor = self.author_edits && acting.user == self.author_id;
        if !is_official && !is_author_editor {
            return Err(AppError::Forbidden);
        }
        if stage != during {
            return Err(stage.refuse(action));
        }
        Ok(())
    }
}

/// What one run of the stage clock did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StageClockReport {
    /// Concepts whose support window ended below the threshold: archived.
    pub expired: u64,
    /// Discussions whose date passed: on to drafting.
    pub discussions_closed: u64,
    /// The reaction clocks' reminders, overdue marks and escalations.
    pub reaction: ClockReport,
}

/// Initiatives handled per query of the stage clock.
const CLOCK_BATCH: i64 = 500;

/// Queries on `initiatives` and its history.
pub struct Initiatives;

impl Initiatives {
    /// Records a new initiative waiting for moderation; its author follows it. Its support
    /// threshold is its level's, fixed now.
    pub async fn create(
        conn: &mut AsyncMysqlConnection,
        author: UserId,
        initiative: &ValidInitiative,
        now: NaiveDateTime,
    ) -> Result<InitiativeId, AppError> {
        let theme_active: Option<bool> = themes::table
            .find(initiative.theme_id)
            .select(themes::is_active)
            .first(conn)
            .await
            .optional()?;
        if theme_active != Some(true) {
            return Err(AppError::invalid("theme_id", ErrorCode::UnknownTheme));
        }
        let level = match initiative.municipality_id {
            None => None,
            Some(municipality) => {
                let kind: String = municipalities::table
                    .find(municipality)
                    .select(municipalities::kind)
                    .first(conn)
                    .await
                    .optional()?
                    .ok_or_else(|| {
                        AppError::invalid("municipality_id", ErrorCode::UnknownMunicipality)
                    })?;
                Some(MunicipalityKind::from_db(&kind).ok_or(AppError::Internal)?)
            }
        };
        let threshold = Thresholds::of(conn, ThresholdLevel::of(level)).await?;
        diesel::insert_into(initiatives::table)
            .values((
                initiatives::municipality_id.eq(initiative.municipality_id),
                initiatives::author_id.eq(author),
                initiatives::theme_id.eq(initiative.theme_id),
                initiatives::title.eq(&initiative.title),
                initiatives::problem.eq(&initiative.problem),
                initiatives::goal.eq(&initiative.goal),
                initiatives::proposal.eq(&initiative.proposal),
                initiatives::stage.eq(Stage::Moderation.as_db()),
                initiatives::stage_started_at.eq(now),
                initiatives::support_threshold.eq(threshold),
                initiatives::created_at.eq(now),
                initiatives::updated_at.eq(now),
            ))
            .execute(conn)
            .await?;
        let id = InitiativeId(last_insert_id(conn).await?);
        record_event(
            conn,
            id,
            EventKind::Proposed,
            Stage::Moderation,
            Some(author),
            None,
            now,
        )
        .await?;
        Follows::set(conn, id.subject(), author, true, now).await?;
        Ok(id)
    }

    /// Records an initiative that a responsible body's official (or a moderator) drew from
    /// something already discussed in public and accepted (a citizens' solution): it skips
    /// moderation, which screens citizens' proposals, and is published as a concept at once,
    /// routed and announced like any published one; the publishing is audited. Runs in the
    /// caller's transaction.
    pub async fn create_as_concept(
        conn: &mut AsyncMysqlConnection,
        official: UserId,
        initiative: &ValidInitiative,
        now: NaiveDateTime,
    ) -> Result<InitiativeId, AppError> {
        let id = Self::create(conn, official, initiative, now).await?;
        let row = lock(conn, id).await?;
        let next = move_locked(conn, id, &row, Action::Publish, Some(official), None, now).await?;
        let audit = AuditEvent {
            actor: Some(official),
            action: "initiative.publish",
            target_kind: INITIATIVE.as_str(),
            target_id: Some(id.0),
            details: serde_json::json!({
                "from": Stage::Moderation.as_db(),
                "to": next.as_db(),
                "reason": "",
            }),
        };
        AuditEntry::record(conn, audit, now).await?;
        Ok(id)
    }

    /// Takes a person's step (`reason` validated by the caller) in one transaction: the
    /// row is locked, the step and the actor's right to take it are checked against the
    /// locked stage, and the history, the notifications and (for staff) the audit row are
    /// written with the change. Adopting needs the act: see [`Initiatives::adopt`].
    pub async fn step(
        conn: &mut AsyncMysqlConnection,
        id: InitiativeId,
        acting: &Acting,
        action: Action,
        reason: &str,
        now: NaiveDateTime,
    ) -> Result<Stage, AppError> {
        if action == Action::Adopt {
            return Err(AppError::invalid("number", ErrorCode::Required));
        }
        take_step(conn, id, acting, action, reason, None, now).await
    }

    /// The responsible body adopts the initiative as `act` (validated by the caller),
    /// which its page shows from then on.
    pub async fn adopt(
        conn: &mut AsyncMysqlConnection,
        id: InitiativeId,
        acting: &Acting,
        act: &Act,
        now: NaiveDateTime,
    ) -> Result<Stage, AppError> {
        take_step(conn, id, acting, Action::Adopt, "", Some(act.clone()), now).await
    }

    /// A moderator hands the initiative to another active responsible body with a public
    /// `reason` (validated by the caller): its history says so, its followers and the new
    /// body's officials are told, the audit log keeps both bodies. The stage, its dates
    /// and a running reaction clock stay as they are: a change of body buys the government
    /// no time. Handing it to the body it has changes nothing.
    pub async fn reassign(
        conn: &mut AsyncMysqlConnection,
        id: InitiativeId,
        acting: &Acting,
        department: DepartmentId,
        reason: &str,
        now: NaiveDateTime,
    ) -> Result<(), AppError> {
        if !acting.moderator {
            return Err(AppError::Forbidden);
        }
        let reason = reason.to_string();
        let moderator = acting.user;
        conn.transaction(async move |conn| {
            let row = lock(conn, id).await?;
            let stage = row.stage_for_moderator_change("reassign")?;
            Department::require_active(conn, department).await?;
            if row.department_id == Some(department) {
                return Ok(());
            }
            diesel::update(initiatives::table.find(id))
                .set((
                    initiatives::department_id.eq(department),
                    initiatives::updated_at.eq(now),
                ))
                .execute(conn)
                .await?;
            let kind = EventKind::BodyReassigned;
            Notifications::to_officials(conn, department, id.subject(), kind.as_db(), now).await?;
            let change = ModeratorChange {
                id,
                moderator,
                stage,
                kind,
                audit_action: "initiative.reassign",
                reason: &reason,
            };
            let details = serde_json::json!({
                "from": row.department_id.map(|from| from.0),
                "to": department.0,
            });
            change.record(conn, details, now).await
        })
        .await
    }

    /// A moderator lets the author edit the text beside the responsible body's officials
    /// (`allowed`), or takes it back, with a public reason: while the initiative is
    /// public and not final. The author and the followers hear of it; setting what is
    /// already set changes nothing.
    pub async fn set_author_editing(
        conn: &mut AsyncMysqlConnection,
        id: InitiativeId,
        acting: &Acting,
        allowed: bool,
        reason: &str,
        now: NaiveDateTime,
    ) -> Result<(), AppError> {
        if !acting.moderator {
            return Err(AppError::Forbidden);
        }
        let reason = reason.to_string();
        let moderator = acting.user;
        conn.transaction(async move |conn| {
            let row = lock(conn, id).await?;
            let stage = row.stage_for_moderator_change("author_editing")?;
            if row.author_edits == allowed {
                return Ok(());
            }
            diesel::update(initiatives::table.find(id))
                .set((
                    initiatives::author_edits.eq(allowed),
                    initiatives::updated_at.eq(now),
                ))
                .execute(conn)
                .await?;
            let change = ModeratorChange {
                id,
                moderator,
                stage,
                kind: if allowed {
                    EventKind::AuthorEditingAllowed
                } else {
                    EventKind::AuthorEditingWithdrawn
                },
                audit_action: "initiative.author_editing",
                reason: &reason,
            };
            change
                .record(conn, serde_json::json!({ "allowed": allowed }), now)
                .await
        })
        .await
    }

    /// Adds (`true`) or withdraws (`false`) a user's support; returns the new count. The
    /// support that reaches a concept's threshold moves it to the discussion in the same
    /// transaction, so under any concurrency it moves exactly once.
    pub async fn set_support(
        conn: &mut AsyncMysqlConnection,
        id: InitiativeId,
        user: UserId,
        support: bool,
        now: NaiveDateTime,
    ) -> Result<u32, AppError> {
        conn.transaction(async move |conn| {
            let row = lock(conn, id).await?;
            let stage = row.stage()?;
            if !stage.takes_supports() {
                return Err(stage.refuse("support"));
            }
            let changed = Supports::set(conn, id.subject(), user, support, now).await?;
            let count = match (changed, support) {
                (false, _) => row.support_count,
                (true, true) => row.support_count + 1,
                (true, false) => row.support_count.saturating_sub(1),
            };
            if changed {
                diesel::update(initiatives::table.find(id))
                    .set(initiatives::support_count.eq(count))
                    .execute(conn)
                    .await?;
            }
            if stage == Stage::Concept && count >= row.support_threshold {
                move_locked(conn, id, &row, Action::ReachThreshold, None, None, now).await?;
            }
            Ok(count)
        })
        .await
    }

    /// Adds a comment (validated by the caller) with the position its stage asks for
    /// (`position`: a position's name or empty), as a reply in the thread of `reply_to`
    /// if given; the commenter starts following it. The new comment.
    pub async fn add_comment(
        conn: &mut AsyncMysqlConnection,
        id: InitiativeId,
        user: UserId,
        body: &str,
        position: &str,
        reply_to: Option<CommentId>,
        now: NaiveDateTime,
    ) -> Result<CommentId, AppError> {
        let (body, position) = (body.to_string(), position.to_string());
        conn.transaction(async move |conn| {
            let row = lock(conn, id).await?;
            let stage = row.stage()?;
            let rule = stage
                .takes_comments()
                .ok_or_else(|| stage.refuse("comment"))?;
            let position = parse_position(rule, &position)?;
            let comment =
                Comments::add(conn, id.subject(), user, &body, position, reply_to, now).await?;
            diesel::update(initiatives::table.find(id))
                .set(initiatives::comment_count.eq(initiatives::comment_count + 1))
                .execute(conn)
                .await?;
            Follows::set(conn, id.subject(), user, true, now).await?;
            Ok(comment)
        })
        .await
    }

    /// Supports (`true`) or withdraws support of a comment on the initiative while it
    /// takes comments: the summary of a finished initiative's discussion stays as it
    /// ended. The comment's new count.
    pub async fn support_comment(
        conn: &mut AsyncMysqlConnection,
        id: InitiativeId,
        comment: CommentId,
        user: UserId,
        support: bool,
        now: NaiveDateTime,
    ) -> Result<u32, AppError> {
        conn.transaction(async move |conn| {
            let stage = lock(conn, id).await?.stage()?;
            if stage.takes_comments().is_none() {
                return Err(stage.refuse("support_comment"));
            }
            Comments::support(conn, id.subject(), comment, user, support, now).await
        })
        .await
    }

    /// Follows (`true`) or stops following an initiative.
    pub async fn set_follow(
        conn: &mut AsyncMysqlConnection,
        id: InitiativeId,
        user: UserId,
        follow: bool,
        now: NaiveDateTime,
    ) -> QueryResult<()> {
        Follows::set(conn, id.subject(), user, follow, now).await
    }

    /// An initiative's stage and author.
    pub async fn stage_and_author(
        conn: &mut AsyncMysqlConnection,
        id: InitiativeId,
    ) -> Result<(Stage, UserId), AppError> {
        let (stage, author): (String, UserId) = initiatives::table
            .find(id)
            .select((initiatives::stage, initiatives::author_id))
            .first(conn)
            .await
            .optional()?
            .ok_or(AppError::NotFound)?;
        Ok((Stage::from_db(&stage).ok_or(AppError::Internal)?, author))
    }

    /// An initiative's page, whatever its stage (callers check visibility). The page shows the threads of the discussion opened after `comments_after` (from
    /// the first when `None`), as `reader` sees them.
    pub async fn detail(
        conn: &mut AsyncMysqlConnection,
        id: InitiativeId,
        reader: Option<UserId>,
        comments_after: Option<CommentId>,
        now: NaiveDateTime,
    ) -> Result<InitiativeDetail, AppError> {
        type Row = (
            SummaryRow,
            UserId,
            String,
            String,
            String,
            String,
            NaiveDateTime,
            bool,
        );
        let (summary, author_id, author_name, problem, goal, proposal, created_at, author_edits): Row =
            initiatives::table
                .inner_join(users::table.on(users::id.eq(initiatives::author_id)))
                .filter(initiatives::id.eq(id))
                .select((
                    SummaryRow::as_select(),
                    initiatives::author_id,
                    users::display_name,
                    initiatives::problem,
                    initiatives::goal,
                    initiatives::proposal,
                    initiatives::created_at,
                    initiatives::author_edits,
                ))
                .first(conn)
                .await
                .optional()?
                .ok_or(AppError::NotFound)?;
        let clock: ClockRow = initiatives::table
            .find(id)
            .select((
                initiatives::reaction_due_at,
                initiatives::overdue_since,
                initiatives::escalated_to,
                initiatives::act_number,
                initiatives::act_date,
                initiatives::act_url,
            ))
            .first(conn)
            .await?;
        let (due_at, overdue_since, escalated_to, act_number, act_date, act_url) = clock;
        Ok(InitiativeDetail {
            reaction: due_at.map(|due_at| ReactionClock {
                due_at,
                overdue_since,
                escalated_to,
            }),
            act: act_number.zip(act_date).map(|(number, date)| Act {
                number,
                date,
                url: act_url,
            }),
            summary: summary.into_summary()?,
            author_name,
            author_id,
            author_edits,
            problem,
            goal,
            proposal,
            created_at,
            history: Self::history(conn, id).await?,
            comments: Comments::page(conn, id.subject(), reader, comments_after).await?,
            positions: Comments::position_summary(conn, id.subject()).await?,
            now,
        })
    }

    /// The public history, oldest first.
    pub async fn history(
        conn: &mut AsyncMysqlConnection,
        id: InitiativeId,
    ) -> Result<Vec<HistoryEntry>, AppError> {
        /// (kind, stage, actor's name, body, when) of one entry.
        type Row = (
            String,
            String,
            Option<String>,
            Option<String>,
            NaiveDateTime,
        );
        let rows: Vec<Row> = initiative_events::table
            .left_join(users::table.on(users::id.nullable().eq(initiative_events::actor_id)))
            .filter(initiative_events::initiative_id.eq(id))
            .order(initiative_events::id.asc())
            .select((
                initiative_events::kind,
                initiative_events::stage,
                users::display_name.nullable(),
                initiative_events::body,
                initiative_events::created_at,
            ))
            .load(conn)
            .await?;
        rows.into_iter()
            .map(|(kind, stage, actor_name, body, at)| {
                Ok(HistoryEntry {
                    kind: EventKind::from_db(&kind).ok_or(AppError::Internal)?,
                    stage: Stage::from_db(&stage).ok_or(AppError::Internal)?,
                    actor_name,
                    body,
                    at,
                })
            })
            .collect()
    }

    /// One page of a list, newest first. Public stages only, unless the filter asks for
    /// one stage and `staff_view` allows it (the moderators' queue of `moderation`).
    pub async fn list(
        conn: &mut AsyncMysqlConnection,
        filter: &InitiativeFilter,
        page: u32,
        staff_view: bool,
    ) -> Result<InitiativePage, AppError> {
        let build = || {
            let mut query = initiatives::table.into_boxed();
            query = match filter.level {
                Level::All => query,
                Level::Region => query.filter(initiatives::municipality_id.is_null()),
                Level::Municipality(municipality) => {
                    query.filter(initiatives::municipality_id.eq(municipality))
                }
            };
            match filter.stage {
                Some(stage) if stage.is_public() || staff_view => {
                    query.filter(initiatives::stage.eq(stage.as_db()))
                }
                Some(_) => query.filter(initiatives::id.eq(0)),
                None => query.filter(
                    initiatives::stage.ne_all([Stage::Moderation.as_db(), Stage::Refused.as_db()]),
                ),
            }
        };
        let total: i64 = build().count().get_result(conn).await?;
        let rows: Vec<SummaryRow> = build()
            .order(initiatives::id.desc())
            .limit(i64::from(PAGE_SIZE))
            .offset(i64::from((page - 1) * PAGE_SIZE))
            .select(SummaryRow::as_select())
            .load(conn)
            .await?;
        Ok(InitiativePage {
            items: rows
                .into_iter()
                .map(SummaryRow::into_summary)
                .collect::<Result<_, _>>()?,
            total: u64::try_from(total).unwrap_or_default(),
            page,
        })
    }

    /// The initiatives `author` proposed, newest first, whatever their stage.
    pub async fn by_author(
        conn: &mut AsyncMysqlConnection,
        author: UserId,
    ) -> Result<Vec<InitiativeSummary>, AppError> {
        let rows: Vec<SummaryRow> = initiatives::table
            .filter(initiatives::author_id.eq(author))
            .order(initiatives::id.desc())
            .limit(100)
            .select(SummaryRow::as_select())
            .load(conn)
            .await?;
        rows.into_iter().map(SummaryRow::into_summary).collect()
    }

    /// The scheduler's steps at `now`: concepts whose window ended below their threshold
    /// are archived as not supported, discussions whose date passed go on to drafting, and
    /// the reaction clocks move (reminders, overdue marks, escalations).
    /// Each initiative moves in its own transaction, re-checked under its lock.
    pub async fn run_stage_clock(
        conn: &mut AsyncMysqlConnection,
        now: NaiveDateTime,
    ) -> Result<StageClockReport, AppError> {
        run_clocks(conn, None, now).await
    }

    /// The scheduler's steps at `now` for initiative `id` alone: the test clock (`server
    /// clock`), which moves one initiative through time without touching the others.
    pub async fn run_clock_of(
        conn: &mut AsyncMysqlConnection,
        id: InitiativeId,
        now: NaiveDateTime,
    ) -> Result<StageClockReport, AppError> {
        run_clocks(conn, Some(id), now).await
    }
}

/// The stage and reaction clocks at `now`, of every initiative or of `only` one.
async fn run_clocks(
    conn: &mut AsyncMysqlConnection,
    only: Option<InitiativeId>,
    now: NaiveDateTime,
) -> Result<StageClockReport, AppError> {
    let mut report = StageClockReport::default();
    for (stage, action) in [
        (Stage::Concept, Action::Expire),
        (Stage::Discussion, Action::CloseDiscussion),
    ] {
        loop {
            let mut query = initiatives::table
                .filter(initiatives::stage.eq(stage.as_db()))
                .filter(initiatives::stage_ends_at.le(now))
                .into_boxed();
            if let Some(id) = only {
                query = query.filter(initiatives::id.eq(id));
            }
            let due: Vec<InitiativeId> = query
                .order(initiatives::stage_ends_at.asc())
                .limit(CLOCK_BATCH)
                .select(initiatives::id)
                .load(conn)
                .await?;
            let mut moved = 0;
            for id in &due {
                let id = *id;
                let acted = conn
                    .transaction(async move |conn| {
                        let row = lock(conn, id).await?;
                        let still_due = row.stage()? == stage
                            && row.stage_ends_at.is_some_and(|end| end <= now);
                        if still_due {
                            move_locked(conn, id, &row, action, None, None, now).await?;
                        }
                        Ok::<_, AppError>(still_due)
                    })
                    .await?;
                moved += u64::from(acted);
            }
            match action {
                Action::Expire => report.expired += moved,
                _ => report.discussions_closed += moved,
            }
            // Another instance took the rest of this batch: nothing more is due.
            if due.len() < CLOCK_BATCH as usize || moved == 0 {
                break;
            }
        }
    }
    report.reaction = match only {
        Some(id) => reaction::run_one(conn, id, now).await?,
        None => reaction::run(conn, now).await?,
    };
    Ok(report)
}

/// Takes a person's step in one transaction (see [`Initiatives::step`]); `act` is the
/// adopted act, for [`Action::Adopt`].
async fn take_step(
    conn: &mut AsyncMysqlConnection,
    id: InitiativeId,
    acting: &Acting,
    action: Action,
    reason: &str,
    act: Option<Act>,
    now: NaiveDateTime,
) -> Result<Stage, AppError> {
    let acting = acting.clone();
    let reason = reason.to_string();
    conn.transaction(async move |conn| {
        let row = lock(conn, id).await?;
        let stage = row.stage()?;
        let actor = authorise(&acting, action, &row)?;
        stage.after(action)?;
        match action {
            Action::StartExpertise => {
                let drafted: bool = diesel::select(diesel::dsl::exists(
                    initiative_versions::table.filter(initiative_versions::initiative_id.eq(id)),
                ))
                .get_result(conn)
                .await?;
                if !drafted {
                    return Err(AppError::invalid("action", ErrorCode::NoDraft));
                }
            }
            Action::CloseExpertise => expertise::Expertises::check_closing(conn, id).await?,
            _ => {}
        }
        let body = (!reason.is_empty()).then_some(reason.as_str());
        let next = move_locked(conn, id, &row, action, Some(acting.user), body, now).await?;
        if let Some(act) = &act {
            diesel::update(initiatives::table.find(id))
                .set((
                    initiatives::act_number.eq(&act.number),
                    initiatives::act_date.eq(act.date),
                    initiatives::act_url.eq(&act.url),
                ))
                .execute(conn)
                .await?;
        }
        if matches!(actor, Actor::Moderator | Actor::Department) {
            AuditEntry::record(
                conn,
                AuditEvent {
                    actor: Some(acting.user),
                    action: &format!("initiative.{}", action.as_db()),
                    target_kind: INITIATIVE.as_str(),
                    target_id: Some(id.0),
                    details: serde_json::json!({
                        "from": stage.as_db(),
                        "to": next.as_db(),
                        "reason": reason,
                        "act": act.as_ref().map(|act| &act.number),
                    }),
                },
                now,
            )
            .await?;
        }
        Ok(next)
    })
    .await
}

/// What a page of one initiative (its text, its expertise) starts from, once the viewer
/// may see it.
pub(super) struct SeenInitiative {
    /// Its title.
    pub title: String,
    /// Its stage.
    pub stage: Stage,
    /// Who looks and what they may do.
    pub viewer: SubjectViewer,
    /// Whether the viewer edits the text: an official of the responsible body, or the
    /// author where a moderator allowed it.
    pub edits: bool,
}

/// Initiative `id` as `viewer` sees it; not found when it is not theirs to see (one in
/// moderation or refused is its author's and the moderators').
pub(super) async fn seen_by(
    conn: &mut AsyncMysqlConnection,
    id: InitiativeId,
    viewer: Option<&SessionUser>,
) -> Result<SeenInitiative, AppError> {
    let (title, stage, author, department, author_edits) = initiatives::table
        .find(id)
        .select((
            initiatives::title,
            initiatives::stage,
            initiatives::author_id,
            initiatives::department_id,
            initiatives::author_edits,
        ))
        .first::<(String, String, UserId, Option<DepartmentId>, bool)>(conn)
        .await
        .optional()?
        .ok_or(AppError::NotFound)?;
    let stage = Stage::from_db(&stage).ok_or(AppError::Internal)?;
    let viewer = SubjectViewer::load(conn, viewer, id.subject(), author, department).await?;
    if !stage.visible_to(viewer.is_author, viewer.is_moderator) {
        return Err(AppError::NotFound);
    }
    Ok(SeenInitiative {
        title,
        stage,
        edits: viewer.is_department || (author_edits && viewer.is_author),
        viewer,
    })
}

/// Locks an initiative's row for the rest of the transaction.
async fn lock(conn: &mut AsyncMysqlConnection, id: InitiativeId) -> Result<LockedRow, AppError> {
    initiatives::table
        .find(id)
        .select(LockedRow::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()?
        .ok_or(AppError::NotFound)
}

/// As whom `acting` may take `action` on the locked row, or the refusal.
fn authorise(acting: &Acting, action: Action, row: &LockedRow) -> Result<Actor, AppError> {
    action
        .actors()
        .iter()
        .copied()
        .find(|actor| match actor {
            Actor::Moderator => acting.moderator,
            Actor::Department => row
                .department_id
                .is_some_and(|department| acting.departments.contains(&department)),
            Actor::Author => acting.user == row.author_id,
            Actor::System => false,
        })
        .ok_or(AppError::Forbidden)
}

/// Moves the locked initiative by `action`: its stage and the stage's dates (a published
/// concept is routed to its responsible body), the history entry and the followers'
/// notifications.
async fn move_locked(
    conn: &mut AsyncMysqlConnection,
    id: InitiativeId,
    row: &LockedRow,
    action: Action,
    actor: Option<UserId>,
    body: Option<&str>,
    now: NaiveDateTime,
) -> Result<Stage, AppError> {
    let stage = row.stage()?;
    let next = stage.after(action)?;
    let ends_at = match next {
        Stage::Concept => Some(stage_end(now, CONCEPT_DAYS)),
        Stage::Discussion => Some(stage_end(now, DISCUSSION_DAYS)),
        Stage::Reaction => Some(stage_end(now, REACTION_DAYS)),
        _ => None,
    };
    let department = if action == Action::Publish {
        RoutingRules::resolve_level(conn, row.theme_id, row.municipality_id).await?
    } else {
        row.department_id
    };
    diesel::update(initiatives::table.find(id))
        .set((
            initiatives::stage.eq(next.as_db()),
            initiatives::stage_started_at.eq(now),
            initiatives::stage_ends_at.eq(ends_at),
            initiatives::department_id.eq(department),
            initiatives::updated_at.eq(now),
        ))
        .execute(conn)
        .await?;
    if next == Stage::Reaction {
        // A new reaction clock: one sent back earlier starts again, unmarked.
        diesel::update(initiatives::table.find(id))
            .set((
                initiatives::reaction_due_at.eq(ends_at),
                initiatives::reminded_at.eq(None::<NaiveDateTime>),
                initiatives::overdue_since.eq(None::<NaiveDateTime>),
                initiatives::escalated_to.eq(None::<DepartmentId>),
            ))
            .execute(conn)
            .await?;
    }
    record_event(conn, id, EventKind::Step(action), next, actor, body, now).await?;
    if let (Action::Publish, Some(department)) = (action, department) {
        Notifications::to_officials(conn, department, id.subject(), action.as_db(), now).await?;
    }
    Ok(next)
}

/// A moderator's change of who works on an initiative, with its public reason.
struct ModeratorChange<'a> {
    id: InitiativeId,
    moderator: UserId,
    stage: Stage,
    kind: EventKind,
    audit_action: &'a str,
    reason: &'a str,
}

impl ModeratorChange<'_> {
    /// Its public history entry (the followers are told) and its audit row with
    /// `details` and the reason, in the caller's transaction.
    async fn record(
        self,
        conn: &mut AsyncMysqlConnection,
        mut details: serde_json::Value,
        now: NaiveDateTime,
    ) -> Result<(), AppError> {
        let Self {
            id,
            moderator,
            stage,
            kind,
            audit_action,
            reason,
        } = self;
        record_event(conn, id, kind, stage, Some(moderator), Some(reason), now).await?;
        details["reason"] = serde_json::Value::from(reason);
        let audit = AuditEvent {
            actor: Some(moderator),
            action: audit_action,
            target_kind: INITIATIVE.as_str(),
            target_id: Some(id.0),
            details,
        };
        AuditEntry::record(conn, audit, now).await?;
        Ok(())
    }
}

/// Appends a history entry and tells the followers (except whoever acted).
async fn record_event(
    conn: &mut AsyncMysqlConnection,
    id: InitiativeId,
    kind: EventKind,
    stage: Stage,
    actor: Option<UserId>,
    body: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(initiative_events::table)
        .values((
            initiative_events::initiative_id.eq(id),
            initiative_events::kind.eq(kind.as_db()),
            initiative_events::stage.eq(stage.as_db()),
            initiative_events::actor_id.eq(actor),
            initiative_events::body.eq(body),
            initiative_events::created_at.eq(now),
        ))
        .execute(conn)
        .await?;
    if kind != EventKind::Proposed {
        Notifications::to_followers(conn, id.subject(), kind.as_db(), actor, now).await?;
    }
    Ok(())
}
