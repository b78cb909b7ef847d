//! Database tests of the problem workflow, against a real MariaDB (one database per test).

use std::cmp::Reverse;

use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl};

use super::jobs::{DeadlineReport, run_deadlines, run_deadlines_once};
use super::model::{
    EventKind, ModerationBacklog, ProblemAction, ProblemFilter, ProblemId, ProblemSort,
    ProblemStatus, ValidProblem,
};
use super::queries::{Problems, StepDetails};
use super::testing::{self, KRASNODAR};
use crate::auth::model::{Acting, Role};
use crate::auth::queries::Roles;
use crate::auth::testing::test_user_in;
use crate::geography::model::MunicipalityId;
use crate::organisation::model::{DepartmentId, ThemeId};
use crate::organisation::testing::Cast;
use civic::follows::Follows;
use civic::notifications::Notifications;
use platform::db::schema::{departments, problems, themes};
use platform::db::testing::TestDb;
use platform::error::{AppError, ErrorCode};
use platform::geo::LatLon;
use platform::geo::Viewport;
use platform::keyset::PageStart;

fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").expect("a valid test time")
}

struct World {
    db: TestDb,
    cast: Cast,
}

async fn world() -> World {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let cast = Cast::new(&mut conn).await;
    // The workflow tests start from pre-moderation, whatever the reference data says.
    diesel::update(themes::table.find(cast.road_theme))
        .set((
            themes::premoderation.eq(true),
            themes::reaction_days.eq(10u32),
        ))
        .execute(&mut conn)
        .await
        .expect("configure theme");
    drop(conn);
    World { db, cast }
}

impl World {
    async fn report(&self, conn: &mut AsyncMysqlConnection, now: NaiveDateTime) -> ProblemId {
        testing::report(conn, &self.cast, now).await
    }

    async fn published(&self, conn: &mut AsyncMysqlConnection, now: NaiveDateTime) -> ProblemId {
        testing::published(conn, &self.cast, now).await
    }
}

impl World {
    /// The body that supervises the cast's department, and an official of it.
    async fn supervisor(&self, conn: &mut AsyncMysqlConnection) -> (DepartmentId, Acting) {
        let supervisor: DepartmentId = departments::table
            .find(self.cast.department)
            .select(departments::supervisor_id)
            .first::<Option<DepartmentId>>(conn)
            .await
            .expect("department")
            .expect("the reference departments have a supervisor");
        let official = test_user_in(conn, "supervisor", self.cast.krasnodar).await;
        Roles::grant(
            conn,
            official,
            Role::Official,
            Some(supervisor),
            None,
            at("2026-01-01 00:00:00"),
        )
        .await
        .expect("grant");
        (supervisor, Acting::official(official, supervisor))
    }

    /// Problem `id` as it stands at `now`: status, deadline and supervising body.
    async fn standing(
        &self,
        conn: &mut AsyncMysqlConnection,
        id: ProblemId,
        now: NaiveDateTime,
    ) -> (ProblemStatus, Option<NaiveDateTime>, Option<DepartmentId>) {
        let detail = Problems::detail(conn, id, now).await.expect("detail");
        (
            detail.summary.status,
            detail.summary.reaction_due_at,
            detail.escalated_to,
        )
    }
}

fn dated(text: &str, date: &str) -> StepDetails {
    StepDetails {
        text: text.into(),
        planned_for: Some(NaiveDate::parse_from_str(date, "%Y-%m-%d").expect("a valid date")),
        ..StepDetails::default()
    }
}

fn text(text: &str) -> StepDetails {
    StepDetails {
        text: text.into(),
        ..StepDetails::default()
    }
}

async fn kinds(conn: &mut AsyncMysqlConnection, id: ProblemId) -> Vec<EventKind> {
    Problems::timeline(conn, id)
        .await
        .expect("timeline")
        .into_iter()
        .map(|entry| entry.kind)
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn publication_routes_by_rule_and_starts_the_ten_day_clock() {
    let w = world().await;
    let mut conn = w.db.conn().await;
    let id = w.report(&mut conn, at("2026-03-01 10:00:00")).await;
    let detail = Problems::detail(&mut conn, id, at("2026-03-01 10:00:00"))
        .await
        .expect("detail");
    assert_eq!(detail.summary.status, ProblemStatus::Moderation);
    assert_eq!(detail.summary.department_id, None);

    Problems::step(
        &mut conn,
        id,
        w.cast.as_moderator(),
        ProblemAction::Publish,
        StepDetails::default(),
        at("2026-03-02 09:00:00"),
    )
    .await
    .expect("publish");
    let detail = Problems::detail(&mut conn, id, at("2026-03-02 09:00:00"))
        .await
        .expect("detail");
    assert_eq!(detail.summary.status, ProblemStatus::Published);
    assert_eq!(detail.summary.department_id, Some(w.cast.department));
    assert_eq!(
        detail.summary.reaction_due_at,
        Some(at("2026-03-12 09:00:00"))
    );
    assert_eq!(
        kinds(&mut conn, id).await,
        vec![
            EventKind::Submitted,
            EventKind::Published,
            EventKind::Routed
        ]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_theme_without_premoderation_is_published_at_once() {
    let w = world().await;
    let mut conn = w.db.conn().await;
    diesel::update(themes::table.find(w.cast.road_theme))
        .set((
            themes::premoderation.eq(false),
            themes::reaction_days.eq(5u32),
        ))
        .execute(&mut conn)
        .await
        .expect("configure theme");
    let id = w.report(&mut conn, at("2026-03-01 10:00:00")).await;
    let detail = Problems::detail(&mut conn, id, at("2026-03-01 10:00:00"))
        .await
        .expect("detail");
    assert_eq!(detail.summary.status, ProblemStatus::Published);
    assert_eq!(
        detail.summary.reaction_due_at,
        Some(at("2026-03-06 10:00:00")),
        "5 days for this theme"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn only_the_responsible_department_reacts_and_illegal_steps_are_refused() {
    let w = world().await;
    let mut conn = w.db.conn().await;
    let id = w.published(&mut conn, at("2026-03-01 10:00:00")).await;
    let now = at("2026-03-02 10:00:00");
    let stranger = Acting::official(w.cast.author, DepartmentId(999_999));
    assert_eq!(
        Problems::step(
            &mut conn,
            id,
            stranger,
            ProblemAction::Answer,
            text("Не наше"),
            now
        )
        .await,
        Err(AppError::Forbidden)
    );
    assert_eq!(
        Problems::step(
            &mut conn,
            id,
            w.cast.as_author(),
            ProblemAction::Confirm,
            StepDetails::default(),
            now
        )
        .await,
        Err(AppError::IllegalTransition {
            status: "published".into(),
            action: "confirm".into()
        }),
        "nothing to confirm before a resolution"
    );
    assert_eq!(
        Problems::step(
            &mut conn,
            id,
            w.cast.as_moderator(),
            ProblemAction::Publish,
            StepDetails::default(),
            now
        )
        .await,
        Err(AppError::IllegalTransition {
            status: "published".into(),
            action: "publish".into()
        })
    );
    let status = Problems::step(
        &mut conn,
        id,
        w.cast.as_official(),
        ProblemAction::Answer,
        text("Включено в план ремонта."),
        now,
    )
    .await
    .expect("answer");
    assert_eq!(status, ProblemStatus::Answered);
    let detail = Problems::detail(&mut conn, id, now).await.expect("detail");
    assert_eq!(
        detail.summary.reaction_due_at,
        Some(at("2026-04-01 10:00:00")),
        "an answer in words starts the clock of a result or a plan (the theme's 30 days)"
    );
    let answer = detail.timeline.last().expect("an entry");
    assert_eq!(answer.kind, EventKind::Answered);
    assert_eq!(answer.body.as_deref(), Some("Включено в план ремонта."));
}

#[tokio::test(flavor = "multi_thread")]
async fn resolve_then_reopen_restarts_the_clock_and_notifies_the_author() {
    let w = world().await;
    let mut conn = w.db.conn().await;
    let id = w.published(&mut conn, at("2026-03-01 10:00:00")).await;
    Problems::step(
        &mut conn,
        id,
        w.cast.as_official(),
        ProblemAction::Resolve,
        text("Яму заделали."),
        at("2026-03-03 10:00:00"),
    )
    .await
    .expect("resolve");
    let unread = Notifications::unread_count(&mut conn, w.cast.author)
        .await
        .expect("count");
    assert_eq!(unread, 3, "published, routed and resolved reach the author");
    assert_eq!(
        Problems::step(
            &mut conn,
            id,
            w.cast.as_author(),
            ProblemAction::Reopen,
            text("Яма снова появилась"),
            at("2026-03-18 10:00:01")
        )
        .await,
        Err(AppError::invalid("problem", ErrorCode::TooLate)),
        "the window is 14 days"
    );
    let status = Problems::step(
        &mut conn,
        id,
        w.cast.as_author(),
        ProblemAction::Reopen,
        text("Яма снова появилась"),
        at("2026-03-10 10:00:00"),
    )
    .await
    .expect("reopen");
    assert_eq!(status, ProblemStatus::Published);
    let detail = Problems::detail(&mut conn, id, at("2026-03-10 10:00:00"))
        .await
        .expect("detail");
    assert_eq!(
        detail.summary.reaction_due_at,
        Some(at("2026-03-20 10:00:00"))
    );
    assert_eq!(detail.resolved_at, None);
}

#[tokio::test(flavor = "multi_thread")]
async fn concurrent_supports_count_each_person_exactly_once() {
    let w = world().await;
    let mut conn = w.db.conn().await;
    let id = w.published(&mut conn, at("2026-03-01 10:00:00")).await;
    let mut supporters = Vec::new();
    for index in 0..20 {
        supporters
            .push(test_user_in(&mut conn, &format!("supporter{index}"), w.cast.krasnodar).await);
    }
    drop(conn);
    // Every supporter clicks three times at once from separate connections.
    let mut tasks = Vec::new();
    for supporter in supporters
        .iter()
        .copied()
        .chain(supporters.iter().copied())
        .chain(supporters.iter().copied())
    {
        let pool = w.db.pool().clone();
        tasks.push(tokio::spawn(async move {
            let mut conn = pool.get().await.expect("connection");
            Problems::set_support(&mut conn, id, supporter, true, at("2026-03-02 10:00:00")).await
        }));
    }
    for task in tasks {
        task.await.expect("task").expect("support");
    }
    let mut conn = w.db.conn().await;
    let count: u32 = problems::table
        .find(id)
        .select(problems::support_count)
        .first(&mut conn)
        .await
        .expect("count");
    assert_eq!(count, 20);
    let withdrawn = Problems::set_support(
        &mut conn,
        id,
        supporters[0],
        false,
        at("2026-03-02 11:00:00"),
    )
    .await
    .expect("withdraw");
    assert_eq!(withdrawn, 19);
    let again = Problems::set_support(
        &mut conn,
        id,
        supporters[0],
        false,
        at("2026-03-02 11:00:00"),
    )
    .await
    .expect("withdraw twice");
    assert_eq!(again, 19, "withdrawing twice changes nothing");
}

#[tokio::test(flavor = "multi_thread")]
async fn merging_moves_supports_and_followers_to_the_original() {
    let w = world().await;
    let mut conn = w.db.conn().await;
    let original = w.published(&mut conn, at("2026-03-01 10:00:00")).await;
    let duplicate = w.published(&mut conn, at("2026-03-01 11:00:00")).await;
    let neighbour = test_user_in(&mut conn, "neighbour", w.cast.krasnodar).await;
    Problems::set_support(
        &mut conn,
        duplicate,
        neighbour,
        true,
        at("2026-03-01 12:00:00"),
    )
    .await
    .expect("support");
    Problems::set_support(
        &mut conn,
        original,
        neighbour,
        true,
        at("2026-03-01 12:00:00"),
    )
    .await
    .expect("support");
    let other = test_user_in(&mut conn, "other", w.cast.krasnodar).await;
    Problems::set_support(&mut conn, duplicate, other, true, at("2026-03-01 12:00:00"))
        .await
        .expect("support");
    let merge = StepDetails {
        original: Some(original),
        ..StepDetails::default()
    };
    let status = Problems::step(
        &mut conn,
        duplicate,
        w.cast.as_moderator(),
        ProblemAction::Merge,
        merge,
        at("2026-03-02 10:00:00"),
    )
    .await
    .expect("merge");
    assert_eq!(status, ProblemStatus::Duplicate);
    let detail = Problems::detail(&mut conn, original, at("2026-03-02 10:00:00"))
        .await
        .expect("original");
    assert_eq!(
        detail.summary.support_count, 2,
        "the neighbour counts once, the other moves over"
    );
    let duplicate_detail = Problems::detail(&mut conn, duplicate, at("2026-03-02 10:00:00"))
        .await
        .expect("duplicate");
    assert_eq!(duplicate_detail.duplicate_of, Some(original));
    let follows = Follows::is_following(&mut conn, original.subject(), w.cast.author)
        .await
        .expect("flags");
    assert!(follows, "the duplicate's author follows the original");
    let self_merge = StepDetails {
        original: Some(original),
        ..StepDetails::default()
    };
    assert_eq!(
        Problems::step(
            &mut conn,
            original,
            w.cast.as_moderator(),
            ProblemAction::Merge,
            self_merge,
            at("2026-03-02 10:00:00")
        )
        .await,
        Err(AppError::invalid("original", ErrorCode::NotAllowed))
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn hand_back_sends_the_problem_to_the_moderators_who_reassign_it() {
    let w = world().await;
    let mut conn = w.db.conn().await;
    let id = w.published(&mut conn, at("2026-03-01 10:00:00")).await;
    Problems::step(
        &mut conn,
        id,
        w.cast.as_official(),
        ProblemAction::HandBack,
        text("Это региональная дорога"),
        at("2026-03-02 10:00:00"),
    )
    .await
    .expect("hand back");
    let queue = Problems::moderation_queue(&mut conn, 10)
        .await
        .expect("queue");
    assert_eq!(queue.iter().map(|p| p.id).collect::<Vec<_>>(), vec![id]);
    let regional: DepartmentId = departments::table
        .filter(departments::slug.eq("min-transport"))
        .select(departments::id)
        .first(&mut conn)
        .await
        .expect("ministry");
    let reassign = StepDetails {
        department: Some(regional),
        ..StepDetails::default()
    };
    Problems::step(
        &mut conn,
        id,
        w.cast.as_moderator(),
        ProblemAction::Reassign,
        reassign,
        at("2026-03-02 11:00:00"),
    )
    .await
    .expect("reassign");
    assert!(
        Problems::moderation_queue(&mut conn, 10)
            .await
            .expect("queue")
            .is_empty()
    );
    assert_eq!(
        Problems::step(
            &mut conn,
            id,
            w.cast.as_official(),
            ProblemAction::Answer,
            text("Ответ"),
            at("2026-03-02 12:00:00")
        )
        .await,
        Err(AppError::Forbidden),
        "the old department no longer answers"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_deadline_job_reminds_marks_overdue_escalates_and_acts_once() {
    let w = world().await;
    let mut conn = w.db.conn().await;
    let id = w.published(&mut conn, at("2026-03-01 10:00:00")).await;
    assert_eq!(
        Notifications::unread_count(&mut conn, w.cast.official)
            .await
            .expect("count"),
        1,
        "the department's official is told of the assignment"
    );

    let report = run_deadlines(&mut conn, at("2026-03-05 10:00:00"))
        .await
        .expect("run");
    assert_eq!(report, DeadlineReport::default(), "nothing is due yet");

    let report = run_deadlines(&mut conn, at("2026-03-09 12:00:00"))
        .await
        .expect("run");
    assert_eq!(report.reminded, 1);
    assert_eq!(
        Notifications::unread_count(&mut conn, w.cast.official)
            .await
            .expect("count"),
        2,
        "and reminded"
    );

    let report = run_deadlines(&mut conn, at("2026-03-11 10:00:01"))
        .await
        .expect("run");
    assert_eq!((report.overdue, report.escalated), (1, 1));
    let detail = Problems::detail(&mut conn, id, at("2026-03-11 10:00:01"))
        .await
        .expect("detail");
    assert!(detail.escalated_to.is_some(), "escalated to the supervisor");
    let timeline = kinds(&mut conn, id).await;
    assert!(
        timeline.ends_with(&[EventKind::Overdue, EventKind::Escalated]),
        "{timeline:?}"
    );

    let report = run_deadlines(&mut conn, at("2026-03-12 10:00:00"))
        .await
        .expect("run");
    assert_eq!(report, DeadlineReport::default(), "each step happens once");

    let filter = ProblemFilter {
        overdue: true,
        ..ProblemFilter::default()
    };
    let overdue = Problems::list(
        &mut conn,
        &filter,
        ProblemSort::Deadline,
        &PageStart::First,
        at("2026-03-12 10:00:00"),
    )
    .await
    .expect("list");
    assert_eq!(overdue.paged.rows.len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn taking_a_problem_into_work_is_not_a_reaction_and_the_clock_runs_on() {
    let w = world().await;
    let mut conn = w.db.conn().await;
    let id = w.published(&mut conn, at("2026-03-01 10:00:00")).await;
    let status = Problems::step(
        &mut conn,
        id,
        w.cast.as_official(),
        ProblemAction::Acknowledge,
        StepDetails::default(),
        at("2026-03-02 10:00:00"),
    )
    .await
    .expect("acknowledge");
    assert_eq!(status, ProblemStatus::InProgress);
    assert_eq!(
        w.standing(&mut conn, id, at("2026-03-02 10:00:00")).await,
        (
            ProblemStatus::InProgress,
            Some(at("2026-03-11 10:00:00")),
            None
        ),
        "the ten-day deadline stands"
    );
    let report = run_deadlines(&mut conn, at("2026-03-11 10:00:01"))
        .await
        .expect("run");
    assert_eq!((report.overdue, report.escalated), (1, 1));
    let stats = Problems::reaction_stats(
        &mut conn,
        w.cast.department,
        at("2026-03-01 00:00:00"),
        at("2026-03-31 00:00:00"),
        at("2026-03-12 00:00:00"),
    )
    .await
    .expect("stats");
    assert_eq!(
        (stats.received, stats.on_time, stats.overdue),
        (1, 0, 1),
        "the department's record shows no reaction"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn after_an_answer_a_result_or_a_plan_falls_due_on_the_same_public_clock() {
    let w = world().await;
    let mut conn = w.db.conn().await;
    diesel::update(themes::table.find(w.cast.road_theme))
        .set(themes::result_days.eq(20u32))
        .execute(&mut conn)
        .await
        .expect("theme");
    let id = w.published(&mut conn, at("2026-03-01 10:00:00")).await;
    Problems::step(
        &mut conn,
        id,
        w.cast.as_official(),
        ProblemAction::Answer,
        text("Проверим состояние покрытия."),
        at("2026-03-02 10:00:00"),
    )
    .await
    .expect("answer");
    assert_eq!(
        w.standing(&mut conn, id, at("2026-03-02 10:00:00")).await,
        (
            ProblemStatus::Answered,
            Some(at("2026-03-22 10:00:00")),
            None
        ),
        "the theme's 20 days for a result or a plan"
    );
    let report = run_deadlines(&mut conn, at("2026-03-20 12:00:00"))
        .await
        .expect("run");
    assert_eq!(
        report.reminded, 1,
        "reminded two days before, as of a reaction"
    );
    let report = run_deadlines(&mut conn, at("2026-03-22 10:00:01"))
        .await
        .expect("run");
    assert_eq!((report.overdue, report.escalated), (1, 1));
    let timeline = kinds(&mut conn, id).await;
    assert!(
        timeline.ends_with(&[
            EventKind::Answered,
            EventKind::ResultOverdue,
            EventKind::Escalated
        ]),
        "{timeline:?}"
    );
    Problems::step(
        &mut conn,
        id,
        w.cast.as_official(),
        ProblemAction::Plan,
        dated("Ремонт в мае.", "2026-05-15"),
        at("2026-03-23 10:00:00"),
    )
    .await
    .expect("plan");
    assert_eq!(
        w.standing(&mut conn, id, at("2026-03-23 10:00:00")).await.1,
        Some(at("2026-05-16 00:00:00")),
        "the plan's day is the next term"
    );
    let listed = Problems::list(
        &mut conn,
        &ProblemFilter {
            overdue: true,
            ..ProblemFilter::default()
        },
        ProblemSort::Deadline,
        &PageStart::First,
        at("2026-03-23 10:00:00"),
    )
    .await
    .expect("list");
    assert!(
        listed.paged.rows.is_empty(),
        "a plan ends the overdue state"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lapsed_plan_goes_back_to_work_and_is_escalated_again() {
    let w = world().await;
    let mut conn = w.db.conn().await;
    let (supervisor, supervising) = w.supervisor(&mut conn).await;
    let id = w.published(&mut conn, at("2026-03-01 10:00:00")).await;
    let report = run_deadlines(&mut conn, at("2026-03-11 10:00:01"))
        .await
        .expect("run");
    assert_eq!(
        report.escalated, 1,
        "first escalation: no reaction in ten days"
    );
    Problems::step(
        &mut conn,
        id,
        w.cast.as_official(),
        ProblemAction::Plan,
        dated("Ремонт после закупки асфальта", "2026-04-30"),
        at("2026-03-12 10:00:00"),
    )
    .await
    .expect("plan");
    let report = run_deadlines(&mut conn, at("2026-04-30 23:00:00"))
        .await
        .expect("run");
    assert_eq!(report.overdue, 0, "the planned day is not over");
    let supervisor_told = Notifications::unread_count(&mut conn, supervising.user)
        .await
        .expect("count");
    let report = run_deadlines(&mut conn, at("2026-05-01 00:00:01"))
        .await
        .expect("run");
    assert_eq!(report.overdue, 1);
    assert_eq!(
        w.standing(&mut conn, id, at("2026-05-01 00:00:01")).await,
        (
            ProblemStatus::Published,
            Some(at("2026-05-11 00:00:01")),
            Some(supervisor)
        ),
        "back in work, with a new ten-day clock, under supervision again"
    );
    let timeline = kinds(&mut conn, id).await;
    assert!(
        timeline.ends_with(&[EventKind::PlanLapsed, EventKind::Escalated]),
        "{timeline:?}"
    );
    assert_eq!(
        timeline
            .iter()
            .filter(|kind| **kind == EventKind::Escalated)
            .count(),
        2,
        "escalated a second time"
    );
    assert_eq!(
        Notifications::unread_count(&mut conn, supervising.user)
            .await
            .expect("count"),
        supervisor_told + 1,
        "the supervising body is told again"
    );
    let detail = Problems::detail(&mut conn, id, at("2026-05-01 00:00:01"))
        .await
        .expect("detail");
    assert_eq!(
        detail.planned_for, None,
        "the broken promise stays in the timeline only"
    );
    let report = run_deadlines(&mut conn, at("2026-05-02 00:00:00"))
        .await
        .expect("run");
    assert_eq!(report, DeadlineReport::default(), "each move happens once");
    assert_eq!(
        Problems::step(
            &mut conn,
            id,
            w.cast.as_official(),
            ProblemAction::Plan,
            dated("x".repeat(5).as_str(), "2026-01-01"),
            at("2026-05-01 10:00:00")
        )
        .await,
        Err(AppError::invalid("planned_for", ErrorCode::DateInPast))
    );
    let report = run_deadlines(&mut conn, at("2026-05-11 00:00:02"))
        .await
        .expect("run");
    assert_eq!(
        (report.overdue, report.escalated),
        (1, 0),
        "the new clock runs out too; it is already with the supervisor"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_author_reopens_a_plan_once_its_day_has_passed() {
    let w = world().await;
    let mut conn = w.db.conn().await;
    let (supervisor, _) = w.supervisor(&mut conn).await;
    let id = w.published(&mut conn, at("2026-03-01 10:00:00")).await;
    Problems::step(
        &mut conn,
        id,
        w.cast.as_official(),
        ProblemAction::Plan,
        dated("Ремонт в апреле", "2026-04-30"),
        at("2026-03-02 10:00:00"),
    )
    .await
    .expect("plan");
    assert_eq!(
        Problems::step(
            &mut conn,
            id,
            w.cast.as_author(),
            ProblemAction::Reopen,
            text("Ничего не сделано"),
            at("2026-04-30 12:00:00")
        )
        .await,
        Err(AppError::IllegalTransition {
            status: "planned".into(),
            action: "reopen".into()
        }),
        "the planned day is not over"
    );
    assert_eq!(
        Problems::step(
            &mut conn,
            id,
            w.cast.as_official(),
            ProblemAction::Reopen,
            text("Ничего не сделано"),
            at("2026-05-01 08:00:00")
        )
        .await,
        Err(AppError::Forbidden),
        "only the author reopens"
    );
    let status = Problems::step(
        &mut conn,
        id,
        w.cast.as_author(),
        ProblemAction::Reopen,
        text("Ничего не сделано"),
        at("2026-05-01 08:00:00"),
    )
    .await
    .expect("reopen");
    assert_eq!(status, ProblemStatus::Published);
    assert_eq!(
        w.standing(&mut conn, id, at("2026-05-01 08:00:00")).await,
        (
            ProblemStatus::Published,
            Some(at("2026-05-11 08:00:00")),
            Some(supervisor)
        )
    );
    let timeline = kinds(&mut conn, id).await;
    assert!(
        timeline.ends_with(&[EventKind::Reopened, EventKind::Escalated]),
        "{timeline:?}"
    );
    let report = run_deadlines(&mut conn, at("2026-05-01 08:00:01"))
        .await
        .expect("run");
    assert_eq!(
        report,
        DeadlineReport::default(),
        "the scheduler finds nothing left of the lapse"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_supervising_body_answers_instructs_and_reassigns_what_was_escalated_to_it() {
    let w = world().await;
    let mut conn = w.db.conn().await;
    let (supervisor, supervising) = w.supervisor(&mut conn).await;
    let id = w.published(&mut conn, at("2026-03-01 10:00:00")).await;
    let instruction = dated("Устранить до конца месяца.", "2026-03-20");
    assert_eq!(
        Problems::step(
            &mut conn,
            id,
            supervising.clone(),
            ProblemAction::Instruct,
            instruction.clone(),
            at("2026-03-05 10:00:00")
        )
        .await,
        Err(AppError::Forbidden),
        "not before the problem is escalated to it"
    );
    run_deadlines(&mut conn, at("2026-03-11 10:00:01"))
        .await
        .expect("run");
    let now = at("2026-03-12 10:00:00");
    let queue = Problems::workspace(&mut conn, supervisor, now, 10)
        .await
        .expect("workspace");
    assert_eq!(
        (
            queue.rows.len(),
            queue.escalated.iter().map(|p| p.id).collect::<Vec<_>>()
        ),
        (0, vec![id]),
        "in the supervisor's queue, not among its own problems"
    );
    assert!(
        Problems::workspace(&mut conn, w.cast.department, now, 10)
            .await
            .expect("workspace")
            .escalated
            .is_empty()
    );
    for (action, details, refused) in [
        (
            ProblemAction::Acknowledge,
            StepDetails::default(),
            AppError::Forbidden,
        ),
        (ProblemAction::Resolve, text("Сделано"), AppError::Forbidden),
        (
            ProblemAction::Instruct,
            text("Без срока"),
            AppError::invalid("planned_for", ErrorCode::Required),
        ),
        (
            ProblemAction::Instruct,
            dated("Срок в прошлом", "2026-03-01"),
            AppError::invalid("planned_for", ErrorCode::DateInPast),
        ),
    ] {
        assert_eq!(
            Problems::step(&mut conn, id, supervising.clone(), action, details, now).await,
            Err(refused),
            "{action:?}"
        );
    }
    assert_eq!(
        Problems::step(
            &mut conn,
            id,
            w.cast.as_official(),
            ProblemAction::Instruct,
            instruction.clone(),
            now
        )
        .await,
        Err(AppError::Forbidden),
        "the responsible department does not instruct itself"
    );
    let department_told = Notifications::unread_count(&mut conn, w.cast.official)
        .await
        .expect("count");
    let status = Problems::step(
        &mut conn,
        id,
        supervising.clone(),
        ProblemAction::Instruct,
        instruction,
        now,
    )
    .await
    .expect("instruct");
    assert_eq!(status, ProblemStatus::Published, "the status stays");
    assert_eq!(
        w.standing(&mut conn, id, now).await,
        (
            ProblemStatus::Published,
            Some(at("2026-03-21 00:00:00")),
            Some(supervisor)
        ),
        "the instruction's date is the department's new term; it stays supervised"
    );
    assert_eq!(
        Notifications::unread_count(&mut conn, w.cast.official)
            .await
            .expect("count"),
        department_told + 1,
        "the responsible department is told"
    );
    let detail = Problems::detail(&mut conn, id, now).await.expect("detail");
    let entry = detail.timeline.last().expect("an entry");
    assert_eq!(
        (entry.kind, entry.planned_for, entry.body.as_deref()),
        (
            EventKind::Instructed,
            NaiveDate::from_ymd_opt(2026, 3, 20),
            Some("Устранить до конца месяца.")
        )
    );
    let supervisor_name: String = departments::table
        .find(supervisor)
        .select(departments::name_ru)
        .first(&mut conn)
        .await
        .expect("name");
    assert_eq!(
        entry.department_name.as_ref().map(|(ru, _)| ru.as_str()),
        Some(supervisor_name.as_str()),
        "written in the supervising body's name"
    );
    let report = run_deadlines(&mut conn, at("2026-03-21 00:00:01"))
        .await
        .expect("run");
    assert_eq!(
        (report.overdue, report.escalated),
        (1, 0),
        "a missed instruction is overdue again, with the same supervisor"
    );
    let status = Problems::step(
        &mut conn,
        id,
        supervising.clone(),
        ProblemAction::Answer,
        text("Контроль: работы включены в план ведомства."),
        at("2026-03-22 10:00:00"),
    )
    .await
    .expect("answer");
    assert_eq!(status, ProblemStatus::Answered);
    let regional: DepartmentId = departments::table
        .filter(departments::slug.eq("min-transport"))
        .select(departments::id)
        .first(&mut conn)
        .await
        .expect("ministry");
    Problems::step(
        &mut conn,
        id,
        supervising.clone(),
        ProblemAction::Reassign,
        StepDetails {
            department: Some(regional),
            ..StepDetails::default()
        },
        at("2026-03-22 11:00:00"),
    )
    .await
    .expect("reassign");
    let detail = Problems::detail(&mut conn, id, at("2026-03-22 11:00:00"))
        .await
        .expect("detail");
    assert_eq!(
        (detail.summary.department_id, detail.escalated_to),
        (Some(regional), Some(supervisor))
    );
    let trail = civic::testing::audit_trail(&mut conn, "problem", id.0).await;
    assert_eq!(
        trail[..3],
        [
            ("problem.reassign".to_string(), Some(supervising.user)),
            ("problem.answer".to_string(), Some(supervising.user)),
            ("problem.instruct".to_string(), Some(supervising.user)),
        ],
        "each of the supervisor's steps is audited, newest first"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn of_several_instances_running_the_job_at_once_exactly_one_acts() {
    let w = world().await;
    let mut conn = w.db.conn().await;
    w.published(&mut conn, at("2026-03-01 10:00:00")).await;
    drop(conn);
    let now = at("2026-03-11 10:00:01");
    let mut tasks = Vec::new();
    for instance in 0..6 {
        let pool = w.db.pool().clone();
        tasks.push(tokio::spawn(async move {
            let mut conn = pool.get().await.expect("connection");
            run_deadlines_once(&mut conn, &format!("instance-{instance}"), now)
                .await
                .expect("run")
        }));
    }
    let mut acted = 0;
    let mut overdue = 0;
    for task in tasks {
        if let Some(report) = task.await.expect("task") {
            acted += 1;
            overdue += report.overdue;
        }
    }
    assert!(acted >= 1, "someone ran the job");
    assert_eq!(overdue, 1, "the problem was marked overdue exactly once");
    let mut conn = w.db.conn().await;
    let later = run_deadlines_once(&mut conn, "instance-late", now + Duration::minutes(1))
        .await
        .expect("run");
    assert_eq!(
        later.map(|r| r.overdue),
        Some(0),
        "a released lease is taken again, with nothing left to do"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn resolved_problems_close_after_fourteen_days() {
    let w = world().await;
    let mut conn = w.db.conn().await;
    let id = w.published(&mut conn, at("2026-03-01 10:00:00")).await;
    Problems::step(
        &mut conn,
        id,
        w.cast.as_official(),
        ProblemAction::Resolve,
        text("Сделано"),
        at("2026-03-02 10:00:00"),
    )
    .await
    .expect("resolve");
    let report = run_deadlines(&mut conn, at("2026-03-16 10:00:01"))
        .await
        .expect("run");
    assert_eq!(report.closed, 1);
    let detail = Problems::detail(&mut conn, id, at("2026-03-16 10:00:01"))
        .await
        .expect("detail");
    assert_eq!(detail.summary.status, ProblemStatus::Closed);
}

#[tokio::test(flavor = "multi_thread")]
async fn lists_hide_unpublished_problems_and_filter_and_cluster() {
    let w = world().await;
    let mut conn = w.db.conn().await;
    let hidden = w.report(&mut conn, at("2026-03-01 09:00:00")).await;
    let first = w.published(&mut conn, at("2026-03-01 10:00:00")).await;
    let second = w.published(&mut conn, at("2026-03-01 11:00:00")).await;
    let now = at("2026-03-02 10:00:00");
    let page = Problems::list(
        &mut conn,
        &ProblemFilter::default(),
        ProblemSort::Newest,
        &PageStart::First,
        now,
    )
    .await
    .expect("list");
    let ids: Vec<ProblemId> = page.paged.rows.iter().map(|p| p.id).collect();
    assert_eq!(ids, vec![second, first], "newest first, moderation hidden");
    assert!(!ids.contains(&hidden));
    let other_theme = ProblemFilter {
        theme_id: Some(ThemeId(w.cast.road_theme.0 + 1)),
        ..ProblemFilter::default()
    };
    assert!(
        Problems::list(
            &mut conn,
            &other_theme,
            ProblemSort::Newest,
            &PageStart::First,
            now
        )
        .await
        .expect("list")
        .paged
        .rows
        .is_empty()
    );

    let whole_region = Viewport {
        south_west: LatLon {
            lat: 43.0,
            lon: 36.0,
        },
        north_east: LatLon {
            lat: 47.0,
            lon: 42.0,
        },
        zoom: 7,
    };
    let clusters = Problems::clusters(&mut conn, &ProblemFilter::default(), whole_region, now)
        .await
        .expect("clusters");
    assert_eq!(
        clusters.len(),
        1,
        "two problems at one point form one cluster"
    );
    assert_eq!(clusters[0].count, 2);
    assert_eq!(clusters[0].single, None);

    let similar = Problems::similar(
        &mut conn,
        w.cast.road_theme,
        LatLon {
            lat: 45.0365,
            lon: 38.9753,
        },
        now,
    )
    .await
    .expect("similar");
    assert_eq!(similar.len(), 2, "111 m away is within 250 m");
    let far = Problems::similar(
        &mut conn,
        w.cast.road_theme,
        LatLon {
            lat: 45.0455,
            lon: 38.9753,
        },
        now,
    )
    .await
    .expect("similar");
    assert!(far.is_empty(), "1.1 km away is not similar");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_workspace_lists_nearest_deadlines_first_then_answered_ones() {
    let w = world().await;
    let mut conn = w.db.conn().await;
    let later = w.published(&mut conn, at("2026-03-02 10:00:00")).await;
    let sooner = w.published(&mut conn, at("2026-03-01 10:00:00")).await;
    let answered = w.published(&mut conn, at("2026-02-20 10:00:00")).await;
    Problems::step(
        &mut conn,
        answered,
        w.cast.as_official(),
        ProblemAction::Answer,
        text("Ответ дан"),
        at("2026-02-21 10:00:00"),
    )
    .await
    .expect("answer");
    let now = at("2026-03-10 12:00:00");
    let workspace = Problems::workspace(&mut conn, w.cast.department, now, 10)
        .await
        .expect("workspace");
    let order: Vec<ProblemId> = workspace.rows.iter().map(|p| p.id).collect();
    assert_eq!(order, vec![sooner, later, answered]);
    assert_eq!(
        (workspace.due_soon, workspace.overdue),
        (2, 0),
        "due on 11 and 12 March"
    );
    let limited = Problems::workspace(&mut conn, w.cast.department, now, 1)
        .await
        .expect("workspace");
    assert_eq!(limited.rows.len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_resolution_report_carries_its_photos_or_is_refused_whole() {
    use civic::photos::{NewPhoto, Photos};
    let w = world().await;
    let mut conn = w.db.conn().await;
    let id = w.published(&mut conn, at("2026-03-01 10:00:00")).await;
    let now = at("2026-03-03 10:00:00");
    let staged = |uploader, token: &'static str| NewPhoto {
        uploader,
        token,
        file_key: token,
        width: 800,
        height: 600,
        bytes: 1000,
    };
    Photos::stage(
        &mut conn,
        staged(w.cast.author, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
        now,
    )
    .await
    .expect("stage");
    Photos::stage(
        &mut conn,
        staged(w.cast.official, "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"),
        now,
    )
    .await
    .expect("stage");
    let foreign = StepDetails {
        text: "Сделано".into(),
        photo_tokens: vec!["aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".into()],
        ..StepDetails::default()
    };
    assert_eq!(
        Problems::step(
            &mut conn,
            id,
            w.cast.as_official(),
            ProblemAction::Resolve,
            foreign,
            now
        )
        .await,
        Err(AppError::invalid("photos", ErrorCode::PhotoMissing)),
        "the author's photo is not the department's to attach"
    );
    let detail = Problems::detail(&mut conn, id, now).await.expect("detail");
    assert_eq!(
        detail.summary.status,
        ProblemStatus::Published,
        "nothing changed"
    );

    let own = StepDetails {
        text: "Сделано".into(),
        photo_tokens: vec!["bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb".into()],
        ..StepDetails::default()
    };
    Problems::step(
        &mut conn,
        id,
        w.cast.as_official(),
        ProblemAction::Resolve,
        own,
        now,
    )
    .await
    .expect("resolve with a photo");
    let detail = Problems::detail(&mut conn, id, now).await.expect("detail");
    let report = detail.timeline.last().expect("the report");
    assert_eq!(report.kind, EventKind::Resolved);
    assert_eq!(report.photos.len(), 1);
    assert!(
        detail.photos.is_empty(),
        "report photos are not the problem's own"
    );
}

/// Problems spread over the Krai in every status, theme and municipality, written
/// straight into the table (the map cells must follow any writer, not only `step`).
async fn scatter_problems(w: &World, conn: &mut AsyncMysqlConnection, count: u64) {
    let themes: Vec<ThemeId> = themes::table
        .select(themes::id)
        .load(conn)
        .await
        .expect("themes");
    let municipalities: Vec<MunicipalityId> = platform::db::schema::municipalities::table
        .select(platform::db::schema::municipalities::id)
        .load(conn)
        .await
        .expect("municipalities");
    let departments: Vec<DepartmentId> = departments::table
        .select(departments::id)
        .load(conn)
        .await
        .expect("departments");
    let statuses = [
        "moderation",
        "published",
        "in_progress",
        "answered",
        "planned",
        "resolved",
        "closed",
        "rejected",
    ];
    // A fixed linear congruential sequence: the same spread on every run.
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    let mut next = |below: usize| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((state >> 33) % below as u64) as usize
    };
    let mut values = Vec::new();
    for _ in 0..count {
        let lat = 43.5 + next(3_000_000) as f64 * 1e-6;
        let lon = 37.0 + next(4_500_000) as f64 * 1e-6;
        let department = match next(4) {
            0 => "NULL".to_string(),
            _ => departments[next(departments.len())].to_string(),
        };
        values.push(format!(
            "({}, {}, {}, {department}, '{}', 't', 'd', 'a', {lat}, {lon}, NOW(), NOW())",
            w.cast.author,
            themes[next(themes.len())],
            municipalities[next(municipalities.len())],
            statuses[next(statuses.len())],
        ));
    }
    diesel::sql_query(format!(
        "INSERT INTO problems (author_id, theme_id, municipality_id, department_id, status, \
         title, description, address, lat, lon, created_at, updated_at) VALUES {}",
        values.join(", ")
    ))
    .execute(conn)
    .await
    .expect("scatter problems");
}

/// `problem_map_cells` as the triggers left it, against the same counts taken afresh from
/// `problems`: (zoom, cell, filter values) → (count, sum of ids), empty rows left out.
async fn map_cells_kept_and_recounted(
    conn: &mut AsyncMysqlConnection,
) -> (Vec<(String, i64, i64)>, Vec<(String, i64, i64)>) {
    #[derive(QueryableByName)]
    struct Counted {
        #[diesel(sql_type = diesel::sql_types::Text)]
        cell: String,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        problems: i64,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        id_sum: i64,
    }
    let key = "CONCAT_WS('/', zoom, cell_lat, cell_lon, status, theme_id, municipality_id, department_id)";
    let kept = diesel::sql_query(format!(
        "SELECT {key} AS cell, CAST(problems AS SIGNED) AS problems, id_sum \
         FROM problem_map_cells WHERE problems <> 0 ORDER BY cell"
    ))
    .load::<Counted>(conn)
    .await
    .expect("kept cells");
    let recounted = diesel::sql_query(format!(
        "SELECT {key} AS cell, CAST(COUNT(*) AS SIGNED) AS problems, \
         CAST(SUM(id) AS SIGNED) AS id_sum FROM (\
           SELECT z.zoom, FLOOR(p.lat / z.cell) AS cell_lat, FLOOR(p.lon / z.cell) AS cell_lon, \
             p.status, p.theme_id, p.municipality_id, COALESCE(p.department_id, 0) AS department_id, p.id \
           FROM problems p CROSS JOIN problem_map_zooms z) c \
         GROUP BY cell ORDER BY cell"
    ))
    .load::<Counted>(conn)
    .await
    .expect("recounted cells");
    let rows = |cells: Vec<Counted>| {
        cells
            .into_iter()
            .map(|c| (c.cell, c.problems, c.id_sum))
            .collect()
    };
    (rows(kept), rows(recounted))
}

/// The clusters `sql` selects, as (count, latitude, longitude, single problem) in a fixed
/// order.
async fn sorted_clusters(
    conn: &mut AsyncMysqlConnection,
    sql: String,
) -> Vec<(u64, f64, f64, Option<u64>)> {
    let mut rows: Vec<(u64, f64, f64, Option<u64>)> =
        platform::db::clusters::load_clusters(conn, sql)
            .await
            .expect("clusters")
            .into_iter()
            .map(|c| (c.count, c.point.lat, c.point.lon, c.single))
            .collect();
    rows.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    rows
}

/// Whether two cluster lists are the same clusters: means may differ in the last bits
/// (sums kept by adding and subtracting), never by a millimetre (1e-8 degrees).
fn same_clusters(a: &[(u64, f64, f64, Option<u64>)], b: &[(u64, f64, f64, Option<u64>)]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(a, b)| {
            a.0 == b.0 && a.3 == b.3 && (a.1 - b.1).abs() < 1e-8 && (a.2 - b.2).abs() < 1e-8
        })
}

#[tokio::test(flavor = "multi_thread")]
async fn counted_map_cells_answer_every_coarse_zoom_as_the_scan_does() {
    let w = world().await;
    let mut conn = w.db.conn().await;
    scatter_problems(&w, &mut conn, 1_500).await;
    // Every kind of change the workflow makes, plus ones it never makes.
    for sql in [
        "UPDATE problems SET status = 'answered' WHERE id % 7 = 0",
        "UPDATE problems SET status = 'moderation' WHERE id % 11 = 0",
        "UPDATE problems SET lat = lat + 0.37, lon = lon - 0.21 WHERE id % 5 = 0",
        "UPDATE problems SET department_id = NULL WHERE id % 13 = 0",
        "UPDATE problems SET support_count = support_count + 1 WHERE id % 3 = 0",
        "DELETE FROM problems WHERE id % 17 = 0",
    ] {
        diesel::sql_query(sql).execute(&mut conn).await.expect(sql);
    }
    let counted_zooms: Vec<(u8, f64)> = platform::db::schema::problem_map_zooms::table
        .select((
            platform::db::schema::problem_map_zooms::zoom,
            platform::db::schema::problem_map_zooms::cell,
        ))
        .order(platform::db::schema::problem_map_zooms::zoom)
        .load(&mut conn)
        .await
        .expect("counted zooms");
    let expected: Vec<(u8, f64)> = super::queries::COUNTED_ZOOMS
        .map(|zoom| {
            let cell = Viewport {
                south_west: KRASNODAR,
                north_east: KRASNODAR,
                zoom,
            }
            .cell_degrees();
            (zoom, cell)
        })
        .collect();
    assert_eq!(
        counted_zooms, expected,
        "the table counts the zooms the code asks for"
    );
    let (kept, recounted) = map_cells_kept_and_recounted(&mut conn).await;
    assert!(recounted.len() > 1_500, "every zoom counts the problems");
    assert_eq!(kept, recounted, "the triggers keep exactly the counts");

    let some_theme: ThemeId = themes::table
        .select(themes::id)
        .order(themes::id.desc())
        .first(&mut conn)
        .await
        .expect("a theme");
    let filters = [
        ProblemFilter::default(),
        ProblemFilter {
            status: Some(ProblemStatus::Answered),
            ..ProblemFilter::default()
        },
        ProblemFilter {
            status: Some(ProblemStatus::Moderation),
            ..ProblemFilter::default()
        },
        ProblemFilter {
            theme_id: Some(some_theme),
            ..ProblemFilter::default()
        },
        ProblemFilter {
            municipality_id: Some(w.cast.krasnodar),
            ..ProblemFilter::default()
        },
        ProblemFilter {
            department_id: Some(w.cast.department),
            ..ProblemFilter::default()
        },
    ];
    let now = at("2026-03-02 10:00:00");
    let mut compared = 0;
    for zoom in 3..=11 {
        // The whole Krai and more: every counted cell lies wholly inside, as every point does.
        let viewport = Viewport {
            south_west: LatLon {
                lat: 40.0,
                lon: 33.0,
            },
            north_east: LatLon {
                lat: 49.0,
                lon: 45.0,
            },
            zoom,
        };
        for filter in &filters {
            let counted_sql = Problems::counted_clusters_sql(filter, viewport, now)
                .expect("coarse zooms are counted");
            assert_eq!(Problems::clusters_sql(filter, viewport, now), counted_sql);
            let counted = sorted_clusters(&mut conn, counted_sql).await;
            let scanned = sorted_clusters(
                &mut conn,
                Problems::scanned_clusters_sql(filter, viewport, now),
            )
            .await;
            assert!(
                same_clusters(&counted, &scanned),
                "zoom {zoom}, {filter:?}:\n{counted:?}\n{scanned:?}"
            );
            compared += usize::from(!counted.is_empty());
        }
    }
    assert!(compared >= 40, "most comparisons had clusters: {compared}");

    let street = Viewport {
        south_west: KRASNODAR,
        north_east: KRASNODAR,
        zoom: 12,
    };
    assert!(Problems::counted_clusters_sql(&ProblemFilter::default(), street, now).is_none());
    let overdue = ProblemFilter {
        overdue: true,
        ..ProblemFilter::default()
    };
    let region = Viewport { zoom: 8, ..street };
    assert!(
        Problems::counted_clusters_sql(&overdue, region, now).is_none(),
        "overdue depends on the time of the request, which no count can know"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn concurrent_changes_in_shared_map_cells_neither_deadlock_nor_lose_counts() {
    let w = world().await;
    let mut conn = w.db.conn().await;
    scatter_problems(&w, &mut conn, 40).await;
    // Forty problems in one spot: every change at every zoom hits the same cell rows.
    diesel::sql_query(
        "UPDATE problems SET lat = 45.0355, lon = 38.9753, \
         theme_id = (SELECT MIN(id) FROM themes), municipality_id = (SELECT MIN(id) FROM municipalities), \
         department_id = NULL, status = IF(id % 2 = 0, 'published', 'answered')",
    )
    .execute(&mut conn)
    .await
    .expect("gather");
    let ids: Vec<u64> = problems::table
        .select(problems::id)
        .load::<ProblemId>(&mut conn)
        .await
        .expect("ids")
        .into_iter()
        .map(|id| id.0)
        .collect();
    // Each task flips its problems between the two statuses, one transaction per change,
    // half of them in the opposite direction: without one lock order they would deadlock.
    let tasks: Vec<_> = ids
        .chunks(5)
        .map(|chunk| {
            let pool = w.db.pool().clone();
            let chunk = chunk.to_vec();
            tokio::spawn(async move {
                let mut conn = pool.get().await.expect("a connection");
                for _ in 0..6 {
                    for id in &chunk {
                        let id = *id;
                        conn.transaction::<_, diesel::result::Error, _>(async move |conn| {
                            diesel::sql_query(format!(
                                "UPDATE problems SET status = IF(status = 'published', 'answered', 'published') \
                                 WHERE id = {id}"
                            ))
                            .execute(conn)
                            .await
                        })
                        .await
                        .expect("a change in a shared cell commits");
                    }
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("task");
    }
    let (kept, recounted) = map_cells_kept_and_recounted(&mut conn).await;
    assert_eq!(kept, recounted);
}

#[tokio::test(flavor = "multi_thread")]
async fn staff_steps_leave_audit_rows_and_citizens_steps_do_not() {
    let w = world().await;
    let mut conn = w.db.conn().await;
    let id = w.published(&mut conn, at("2026-03-01 10:00:00")).await;
    Problems::step(
        &mut conn,
        id,
        w.cast.as_official(),
        ProblemAction::Resolve,
        text("Яма заделана."),
        at("2026-03-03 10:00:00"),
    )
    .await
    .expect("resolve");
    Problems::step(
        &mut conn,
        id,
        w.cast.as_author(),
        ProblemAction::Confirm,
        StepDetails::default(),
        at("2026-03-04 10:00:00"),
    )
    .await
    .expect("confirm");
    let audit = civic::audit::AuditEntry::recent(&mut conn, Some(("problem", id.0)), 10)
        .await
        .expect("audit");
    let actions = civic::testing::audit_trail(&mut conn, "problem", id.0).await;
    assert_eq!(
        actions,
        [
            ("problem.resolve".to_string(), Some(w.cast.official)),
            ("problem.publish".to_string(), Some(w.cast.moderator)),
        ],
        "newest first; the author's confirmation is not a staff action"
    );
    assert!(
        audit[0].details.contains("\"to\":\"resolved\""),
        "{}",
        audit[0].details
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_problems_comments_are_the_shared_discussion() {
    let w = world().await;
    let mut conn = w.db.conn().await;
    let id = w.published(&mut conn, at("2026-03-01 10:00:00")).await;
    Problems::add_comment(
        &mut conn,
        id,
        w.cast.official,
        "Выезжаем.",
        at("2026-03-01 11:00:00"),
    )
    .await
    .expect("comment");
    let thread = civic::comments::Comments::of(&mut conn, id.subject())
        .await
        .expect("thread");
    assert_eq!(thread.len(), 1);
    assert_eq!(thread[0].body, "Выезжаем.");
    assert_eq!(
        Problems::comments(&mut conn, id).await.expect("comments"),
        thread
    );
    let follows = Follows::is_following(&mut conn, id.subject(), w.cast.official)
        .await
        .expect("flags");
    assert!(follows, "a commenter follows the problem");
}

/// Every page of the public list in `sort`, following "next" links from the first page.
async fn walk_forward(
    conn: &mut AsyncMysqlConnection,
    sort: ProblemSort,
    now: NaiveDateTime,
) -> Vec<(PageStart, Vec<ProblemId>)> {
    let mut pages = Vec::new();
    let mut start = PageStart::First;
    loop {
        let page = Problems::list(conn, &ProblemFilter::default(), sort, &start, now)
            .await
            .expect("list");
        let next = page.neighbours().1;
        pages.push((start, page.paged.rows.iter().map(|row| row.id).collect()));
        match next {
            Some(next) => start = next,
            None => return pages,
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn keyset_pages_walk_every_order_both_ways_and_a_link_keeps_its_rows() {
    let w = world().await;
    let mut conn = w.db.conn().await;
    // 45 problems, published three to a second so that ties fall across page boundaries;
    // supports 0–3; every third without a running clock (NULLs, last in deadline order).
    let first = at("2026-03-01 10:00:00");
    for n in 0..45i64 {
        let id = w
            .published(&mut conn, first + Duration::minutes(n / 3))
            .await;
        let due = (n % 3 != 0).then(|| first + Duration::days(10) + Duration::hours(n % 4));
        diesel::update(problems::table.find(id))
            .set((
                problems::support_count.eq((n % 4) as u32),
                problems::reaction_due_at.eq(due),
            ))
            .execute(&mut conn)
            .await
            .expect("shape the problem");
    }
    let now = at("2026-03-05 10:00:00");
    type Keys = (ProblemId, Option<NaiveDateTime>, u32, Option<NaiveDateTime>);
    let mut rows: Vec<Keys> = problems::table
        .select((
            problems::id,
            problems::published_at,
            problems::support_count,
            problems::reaction_due_at,
        ))
        .load(&mut conn)
        .await
        .expect("keys");
    for sort in ProblemSort::ALL {
        // The order each sort promises, computed here rather than by the database.
        match sort {
            ProblemSort::Newest => rows.sort_by_key(|row| Reverse((row.1, row.0))),
            ProblemSort::Supported => rows.sort_by_key(|row| Reverse((row.2, row.0))),
            ProblemSort::Deadline => {
                rows.sort_by_key(|row| (row.3.is_none(), row.3, row.0));
            }
        }
        let expected: Vec<ProblemId> = rows.iter().map(|row| row.0).collect();
        let forward = walk_forward(&mut conn, sort, now).await;
        let sizes: Vec<usize> = forward.iter().map(|(_, ids)| ids.len()).collect();
        assert_eq!(sizes, vec![20, 20, 5], "{sort:?}");
        let listed: Vec<ProblemId> = forward.iter().flat_map(|(_, ids)| ids.clone()).collect();
        assert_eq!(listed, expected, "{sort:?}: every problem once, in order");

        // Back from the last page by "previous" links: the same pages, the first one last.
        let mut start = forward[2].0;
        for expected_page in forward.iter().rev().skip(1) {
            let page = Problems::list(&mut conn, &ProblemFilter::default(), sort, &start, now)
                .await
                .expect("list");
            start = page.neighbours().0.expect("a previous page");
            let previous = Problems::list(&mut conn, &ProblemFilter::default(), sort, &start, now)
                .await
                .expect("list");
            let ids: Vec<ProblemId> = previous.paged.rows.iter().map(|row| row.id).collect();
            assert_eq!(ids, expected_page.1, "{sort:?} backwards");
            assert_eq!(
                previous.paged.has_previous,
                expected_page.0 != PageStart::First,
                "{sort:?}: the first page has no previous one"
            );
        }
    }

    // A newer problem shifts every OFFSET page by one; a keyset link still starts at its row.
    let second_page = walk_forward(&mut conn, ProblemSort::Newest, now).await[1].clone();
    w.published(&mut conn, at("2026-03-04 10:00:00")).await;
    let again = Problems::list(
        &mut conn,
        &ProblemFilter::default(),
        ProblemSort::Newest,
        &second_page.0,
        now,
    )
    .await
    .expect("list");
    let ids: Vec<ProblemId> = again.paged.rows.iter().map(|row| row.id).collect();
    assert_eq!(ids, second_page.1, "the link shows the same rows");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_report_late_in_moderation_tops_the_queue_and_counts_on_the_department_record() {
    let w = world().await;
    let mut conn = w.db.conn().await;
    // An open problem without a department, older than every report waiting below.
    let handed_back = w.published(&mut conn, at("2026-03-02 08:00:00")).await;
    Problems::step(
        &mut conn,
        handed_back,
        w.cast.as_official(),
        ProblemAction::HandBack,
        text("Это региональная дорога"),
        at("2026-03-02 09:00:00"),
    )
    .await
    .expect("hand back");
    // Friday 17:00 in the region (UTC+3): its working day ends on Monday at 17:00.
    let friday = w.report(&mut conn, at("2026-03-06 14:00:00")).await;
    let monday = w.report(&mut conn, at("2026-03-09 08:00:00")).await;

    let queue_at = async |conn: &mut AsyncMysqlConnection, now: NaiveDateTime| ModerationBacklog {
        rows: Problems::moderation_queue(conn, 10).await.expect("queue"),
        now,
    };
    let before_deadline = queue_at(&mut conn, at("2026-03-09 13:59:00")).await;
    let ids: Vec<ProblemId> = before_deadline.rows.iter().map(|p| p.id).collect();
    assert_eq!(
        ids,
        vec![friday, monday, handed_back],
        "waiting reports first"
    );
    assert!(
        !before_deadline.is_late(&before_deadline.rows[0]),
        "the weekend does not count"
    );
    let after_deadline = queue_at(&mut conn, at("2026-03-09 14:01:00")).await;
    let late: Vec<bool> = after_deadline
        .rows
        .iter()
        .map(|p| after_deadline.is_late(p))
        .collect();
    assert_eq!(late, vec![true, false, false]);

    for (id, published) in [
        (friday, at("2026-03-09 15:00:00")),
        (monday, at("2026-03-09 09:00:00")),
    ] {
        Problems::step(
            &mut conn,
            id,
            w.cast.as_moderator(),
            ProblemAction::Publish,
            StepDetails::default(),
            published,
        )
        .await
        .expect("publish");
    }
    let stats = Problems::reaction_stats(
        &mut conn,
        w.cast.department,
        at("2026-03-01 00:00:00"),
        at("2026-03-31 00:00:00"),
        at("2026-03-10 00:00:00"),
    )
    .await
    .expect("stats");
    assert_eq!(
        (stats.received, stats.moderation_late),
        (2, 1),
        "the department's record shows the report published late"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_report_sent_again_under_its_device_id_is_the_same_report() {
    let w = world().await;
    let mut conn = w.db.conn().await;
    let problem = ValidProblem {
        theme_id: w.cast.road_theme,
        point: KRASNODAR,
        address: "ул. Красная, 1".into(),
        title: "Яма на дороге".into(),
        description: "Глубокая яма посреди полосы.".into(),
        photo_tokens: Vec::new(),
        client_id: Some("3f2c1a8e-7d5b-4c1e-9a0f-1b2c3d4e5f60".into()),
    };
    let send = async |conn: &mut AsyncMysqlConnection, author, problem: &ValidProblem| {
        let problem = problem.clone();
        conn.transaction(async move |conn| {
            Problems::create(
                conn,
                author,
                &problem,
                w.cast.krasnodar,
                "web",
                at("2026-03-01 10:00:00"),
            )
            .await
        })
        .await
        .expect("report")
    };
    let first = send(&mut conn, w.cast.author, &problem).await;
    assert_eq!(send(&mut conn, w.cast.author, &problem).await, first);
    // Another person's device may pick the same id: theirs is their own report.
    let neighbour = test_user_in(&mut conn, "neighbour", w.cast.krasnodar).await;
    assert_ne!(send(&mut conn, neighbour, &problem).await, first);
    drop(conn);

    // A phone's queue and a second tab send the same report at the same moment.
    let racing = ValidProblem {
        client_id: Some("racing-report".into()),
        ..problem.clone()
    };
    let mut tasks = Vec::new();
    for _ in 0..6 {
        let pool = w.db.pool().clone();
        let racing = racing.clone();
        let (author, krasnodar) = (w.cast.author, w.cast.krasnodar);
        tasks.push(tokio::spawn(async move {
            let mut conn = pool.get().await.expect("connection");
            conn.transaction(async move |conn| {
                Problems::create(
                    conn,
                    author,
                    &racing,
                    krasnodar,
                    "web",
                    at("2026-03-01 11:00:00"),
                )
                .await
            })
            .await
        }));
    }
    let mut ids = Vec::new();
    for task in tasks {
        ids.push(task.await.expect("task").expect("report"));
    }
    ids.dedup();
    assert_eq!(ids.len(), 1, "every submission answers with the one report");
    let mut conn = w.db.conn().await;
    let made: i64 = problems::table
        .filter(problems::author_id.eq(w.cast.author))
        .count()
        .get_result(&mut conn)
        .await
        .expect("count");
    assert_eq!(made, 2, "one problem per device id");
}
