//! Database tests of the law-making workflow, against a real MariaDB (one database per
//! test): who may take which step, the threshold under concurrency, the stage clock with
//! several instances, the discussion's positions, the lists and the demo seed.

mod drafting;
mod expertise;

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl};

use super::jobs::run_stage_clock_once;
use super::model::{
    Action, DISCUSSION_DAYS, EventKind, InitiativeFilter, InitiativeId, Level, Stage,
    ThresholdLevel, ValidInitiative,
};
use super::queries::thresholds::Thresholds;
use super::queries::{Initiatives, StageClockReport};
use crate::auth::model::{SessionUser, UserId};
use crate::auth::queries::Roles;
use crate::auth::testing::test_user_in;
use crate::i18n::Locale;
use crate::organisation::model::DepartmentId;
use crate::organisation::testing::Cast;
use civic::audit::AuditEntry;
use civic::comments::{Comments, Position};
use civic::follows::Follows;
use civic::notifications::Notifications;
use platform::db::schema::{departments, initiative_events, initiatives};
use platform::db::testing::TestDb;
use platform::error::{AppError, ErrorCode};

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
    drop(conn);
    World { db, cast }
}

impl World {
    /// A new initiative of the author in Krasnodar (or the region), in moderation.
    async fn propose(
        &self,
        conn: &mut AsyncMysqlConnection,
        regional: bool,
        now: NaiveDateTime,
    ) -> InitiativeId {
        let initiative = ValidInitiative {
            municipality_id: (!regional).then_some(self.cast.krasnodar),
            theme_id: self.cast.road_theme,
            title: "Ремонт дворовых проездов по графику".into(),
            problem: "Дворовые проезды не ремонтируют годами, графика нет.".into(),
            goal: "Понятный график ремонта.".into(),
            proposal: "Публиковать пятилетний график ремонта дворовых проездов.".into(),
        };
        let author = self.cast.author;
        conn.transaction(async move |conn| {
            Initiatives::create(conn, author, &initiative, now).await
        })
        .await
        .expect("propose")
    }

    /// A published concept of the author in Krasnodar.
    async fn concept(&self, conn: &mut AsyncMysqlConnection, now: NaiveDateTime) -> InitiativeId {
        let id = self.propose(conn, false, now).await;
        Initiatives::step(
            conn,
            id,
            &self.cast.as_moderator(),
            Action::Publish,
            "",
            now,
        )
        .await
        .expect("publish");
        id
    }

    /// A concept whose discussion a moderator opened.
    async fn discussion(
        &self,
        conn: &mut AsyncMysqlConnection,
        now: NaiveDateTime,
    ) -> InitiativeId {
        let id = self.concept(conn, now).await;
        Initiatives::step(
            conn,
            id,
            &self.cast.as_moderator(),
            Action::Advance,
            "Важная тема",
            now,
        )
        .await
        .expect("advance");
        id
    }
}

async fn stage_of(conn: &mut AsyncMysqlConnection, id: InitiativeId) -> Stage {
    Initiatives::stage_and_author(conn, id)
        .await
        .expect("stage")
        .0
}

/// `user` as a signed-in viewer, with the roles the database holds.
async fn session(w: &World, conn: &mut AsyncMysqlConnection, user: UserId) -> SessionUser {
    SessionUser {
        id: user,
        email: String::new(),
        display_name: String::new(),
        home_municipality_id: w.cast.krasnodar,
        locale: Locale::Ru,
        roles: Roles::of(conn, user).await.expect("roles"),
    }
}

async fn events_of(conn: &mut AsyncMysqlConnection, id: InitiativeId) -> Vec<String> {
    initiative_events::table
        .filter(initiative_events::initiative_id.eq(id))
        .order(initiative_events::id)
        .select(initiative_events::kind)
        .load(conn)
        .await
        .expect("events")
}

#[tokio::test(flavor = "multi_thread")]
async fn people_take_only_their_own_steps_and_the_history_says_who_and_why() {
    let w = world().await;
    let mut conn = w.db.conn().await;
    let now = at("2026-03-01 10:00:00");
    let id = w.propose(&mut conn, false, now).await;

    assert_eq!(
        Initiatives::step(&mut conn, id, &w.cast.as_author(), Action::Publish, "", now).await,
        Err(AppError::Forbidden),
        "an author does not publish their own concept"
    );
    assert_eq!(
        Initiatives::step(
            &mut conn,
            id,
            &w.cast.as_official(),
            Action::Publish,
            "",
            now
        )
        .await,
        Err(AppError::Forbidden)
    );
    let published = Initiatives::step(
        &mut conn,
        id,
        &w.cast.as_moderator(),
        Action::Publish,
        "",
        now,
    )
    .await
    .expect("publish");
    assert_eq!(published, Stage::Concept);
    let detail = Initiatives::detail(&mut conn, id, None, None, now)
        .await
        .expect("detail");
    assert_eq!(
        detail.summary.department_id,
        Some(w.cast.department),
        "routed at publication by theme and municipality"
    );
    assert_eq!(
        detail.summary.stage_ends_at,
        Some(now + Duration::days(60)),
        "the support window is published"
    );
    assert_eq!(
        Initiatives::step(
            &mut conn,
            id,
            &w.cast.as_moderator(),
            Action::Publish,
            "",
            now
        )
        .await,
        Err(AppError::IllegalTransition {
            status: "concept".into(),
            action: "publish".into()
        }),
        "publishing twice is refused"
    );
    assert_eq!(
        Initiatives::step(
            &mut conn,
            id,
            &w.cast.as_moderator(),
            Action::Expire,
            "",
            now
        )
        .await,
        Err(AppError::Forbidden),
        "the scheduler's steps are no person's"
    );

    let later = now + Duration::days(2);
    Initiatives::step(
        &mut conn,
        id,
        &w.cast.as_moderator(),
        Action::Advance,
        "Тема важна для города",
        later,
    )
    .await
    .expect("advance");
    Initiatives::step(
        &mut conn,
        id,
        &w.cast.as_official(),
        Action::StartDrafting,
        "",
        later,
    )
    .await
    .expect("the responsible body closes the discussion early");
    assert_eq!(
        Initiatives::step(
            &mut conn,
            id,
            &w.cast.as_official(),
            Action::StartExpertise,
            "",
            later
        )
        .await,
        Err(AppError::invalid("action", ErrorCode::NoDraft)),
        "the expertise needs a published draft"
    );

    let history = Initiatives::history(&mut conn, id).await.expect("history");
    let kinds: Vec<EventKind> = history.iter().map(|entry| entry.kind).collect();
    assert_eq!(
        kinds,
        [
            EventKind::Proposed,
            EventKind::Step(Action::Publish),
            EventKind::Step(Action::Advance),
            EventKind::Step(Action::StartDrafting),
        ]
    );
    assert_eq!(history[2].body.as_deref(), Some("Тема важна для города"));
    assert_eq!(history[2].actor_name.as_deref(), Some("moderator"));
    assert_eq!(history[3].stage, Stage::Drafting);

    let audit = AuditEntry::recent(&mut conn, Some(("initiative", id.0)), 10)
        .await
        .expect("audit");
    let actions: Vec<&str> = audit
        .iter()
        .rev()
        .map(|entry| entry.action.as_str())
        .collect();
    assert_eq!(
        actions,
        [
            "initiative.publish",
            "initiative.advance",
            "initiative.start_drafting"
        ]
    );
    // The author follows their initiative and hears of each step taken by others.
    let told = Notifications::recent(&mut conn, w.cast.author, 10)
        .await
        .expect("notifications");
    assert_eq!(told.len(), 3, "{told:?}");
    assert!(told.iter().all(|item| item.subject_kind == "initiative"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_concept_keeps_the_threshold_its_level_had_when_it_was_proposed() {
    let w = world().await;
    let mut conn = w.db.conn().await;
    let now = at("2026-03-01 10:00:00");
    let defaults = Thresholds::all(&mut conn).await.expect("thresholds");
    assert_eq!(
        defaults
            .iter()
            .map(|threshold| (threshold.level, threshold.supports))
            .collect::<Vec<_>>(),
        [
            (ThresholdLevel::Region, 1000),
            (ThresholdLevel::CityOkrug, 300),
            (ThresholdLevel::MunicipalDistrict, 100),
        ],
        "the documented defaults, widest level first"
    );
    let threshold_of = async |conn: &mut AsyncMysqlConnection, id: InitiativeId| -> u32 {
        initiatives::table
            .find(id)
            .select(initiatives::support_threshold)
            .first(conn)
            .await
            .expect("threshold")
    };
    let regional = w.propose(&mut conn, true, now).await;
    let krasnodar = w.propose(&mut conn, false, now).await;
    assert_eq!(threshold_of(&mut conn, regional).await, 1000);
    assert_eq!(
        threshold_of(&mut conn, krasnodar).await,
        300,
        "a city okrug"
    );

    let admin = test_user_in(&mut conn, "admin", w.cast.krasnodar).await;
    let later = now + Duration::days(1);
    Thresholds::set(&mut conn, admin, ThresholdLevel::CityOkrug, 450, later)
        .await
        .expect("set");
    Thresholds::set(&mut conn, admin, ThresholdLevel::CityOkrug, 450, later)
        .await
        .expect("setting the same value changes nothing");
    let newer = w.propose(&mut conn, false, later).await;
    assert_eq!(threshold_of(&mut conn, newer).await, 450);
    assert_eq!(
        threshold_of(&mut conn, krasnodar).await,
        300,
        "a concept proposed before keeps its goal"
    );
    let regional_later = w.propose(&mut conn, true, later).await;
    assert_eq!(
        threshold_of(&mut conn, regional_later).await,
        1000,
        "other levels are untouched"
    );
    let audit = AuditEntry::recent(&mut conn, None, 50)
        .await
        .expect("audit");
    let changes: Vec<_> = audit
        .iter()
        .filter(|entry| entry.action == "initiative.threshold")
        .collect();
    assert_eq!(changes.len(), 1, "audited once");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_support_that_reaches_the_threshold_opens_the_discussion_exactly_once() {
    let w = world().await;
    let mut conn = w.db.conn().await;
    let published = at("2026-03-01 10:00:00");
    let id = w.concept(&mut conn, published).await;
    let threshold: u32 = initiatives::table
        .find(id)
        .select(initiatives::support_threshold)
        .first(&mut conn)
        .await
        .expect("threshold");
    assert_eq!(threshold, 300, "a city okrug's default");
    // A small threshold keeps the test quick; the rule is the same.
    diesel::update(initiatives::table.find(id))
        .set(initiatives::support_threshold.eq(5u32))
        .execute(&mut conn)
        .await
        .expect("set the threshold");
    let mut supporters = Vec::new();
    for index in 0..8 {
        supporters
            .push(test_user_in(&mut conn, &format!("supporter{index}"), w.cast.krasnodar).await);
    }
    drop(conn);
    let now = at("2026-03-02 10:00:00");
    // Every supporter clicks twice at once from separate connections.
    let mut tasks = Vec::new();
    for supporter in supporters.iter().chain(supporters.iter()).copied() {
        let pool = w.db.pool().clone();
        tasks.push(tokio::spawn(async move {
            let mut conn = pool.get().await.expect("connection");
            Initiatives::set_support(&mut conn, id, supporter, true, now).await
        }));
    }
    for task in tasks {
        task.await.expect("task").expect("support");
    }
    let mut conn = w.db.conn().await;
    let detail = Initiatives::detail(&mut conn, id, None, None, now)
        .await
        .expect("detail");
    assert_eq!(detail.summary.support_count, 8, "each person counts once");
    assert_eq!(detail.summary.stage, Stage::Discussion);
    assert_eq!(
        detail.summary.stage_ends_at,
        Some(now + Duration::days(DISCUSSION_DAYS as i64))
    );
    let reached = events_of(&mut conn, id)
        .await
        .into_iter()
        .filter(|kind| kind == "reach_threshold")
        .count();
    assert_eq!(reached, 1, "the threshold is reached once");
    // Supports go on during the discussion and can be withdrawn; they never move it again.
    let count = Initiatives::set_support(&mut conn, id, supporters[0], false, now)
        .await
        .expect("withdraw");
    assert_eq!(count, 7);
    assert_eq!(stage_of(&mut conn, id).await, Stage::Discussion);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_stage_clock_moves_each_due_initiative_once_however_many_instances_run_it() {
    let w = world().await;
    let mut conn = w.db.conn().await;
    let start = at("2026-03-01 10:00:00");
    let unsupported = w.concept(&mut conn, start).await;
    let discussed = w.discussion(&mut conn, start).await;
    let fresh = w.concept(&mut conn, start + Duration::days(50)).await;
    drop(conn);

    let early = start + Duration::days(29);
    let mut conn = w.db.conn().await;
    let report = Initiatives::run_stage_clock(&mut conn, early)
        .await
        .expect("clock");
    assert_eq!(report, StageClockReport::default(), "nothing is due yet");
    drop(conn);

    let due = start + Duration::days(61);
    let mut tasks = Vec::new();
    for instance in 0..4 {
        let pool = w.db.pool().clone();
        tasks.push(tokio::spawn(async move {
            let mut conn = pool.get().await.expect("connection");
            run_stage_clock_once(&mut conn, &format!("instance-{instance}"), due)
                .await
                .expect("run")
        }));
    }
    let mut total = StageClockReport::default();
    for task in tasks {
        if let Some(report) = task.await.expect("task") {
            total.expired += report.expired;
            total.discussions_closed += report.discussions_closed;
        }
    }
    assert_eq!(
        total,
        StageClockReport {
            expired: 1,
            discussions_closed: 1,
            ..StageClockReport::default()
        }
    );
    let mut conn = w.db.conn().await;
    assert_eq!(stage_of(&mut conn, unsupported).await, Stage::Archived);
    assert_eq!(stage_of(&mut conn, discussed).await, Stage::Drafting);
    assert_eq!(
        stage_of(&mut conn, fresh).await,
        Stage::Concept,
        "a window still open stays open"
    );
    assert_eq!(
        events_of(&mut conn, unsupported)
            .await
            .last()
            .map(String::as_str),
        Some("expire")
    );
    let again = Initiatives::run_stage_clock(&mut conn, due + Duration::minutes(1))
        .await
        .expect("clock");
    assert_eq!(again, StageClockReport::default(), "nothing moves twice");
    assert_eq!(
        Initiatives::set_support(&mut conn, unsupported, w.cast.official, true, due).await,
        Err(AppError::IllegalTransition {
            status: "archived".into(),
            action: "support".into()
        }),
        "an archived concept takes no supports"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_moderator_hands_an_initiative_to_another_body_with_a_public_reason() {
    let w = world().await;
    let mut conn = w.db.conn().await;
    let now = at("2026-03-01 10:00:00");
    let id = w.discussion(&mut conn, now).await;
    let other: DepartmentId = departments::table
        .filter(departments::is_active.eq(true))
        .filter(departments::id.ne(w.cast.department))
        .select(departments::id)
        .first(&mut conn)
        .await
        .expect("another active department");
    let reason = "Вопрос относится к транспорту, а не к дорогам";
    assert_eq!(
        Initiatives::reassign(&mut conn, id, &w.cast.as_official(), other, reason, now).await,
        Err(AppError::Forbidden),
        "only moderators hand an initiative over"
    );
    diesel::update(departments::table.find(other))
        .set(departments::is_active.eq(false))
        .execute(&mut conn)
        .await
        .expect("deactivate");
    assert_eq!(
        Initiatives::reassign(&mut conn, id, &w.cast.as_moderator(), other, reason, now).await,
        Err(AppError::invalid(
            "department_id",
            ErrorCode::UnknownDepartment
        )),
        "an inactive body takes no new work"
    );
    diesel::update(departments::table.find(other))
        .set(departments::is_active.eq(true))
        .execute(&mut conn)
        .await
        .expect("activate");
    let ends_before = Initiatives::detail(&mut conn, id, None, None, now)
        .await
        .expect("detail")
        .summary
        .stage_ends_at;
    let later = now + Duration::hours(3);
    Initiatives::reassign(&mut conn, id, &w.cast.as_moderator(), other, reason, later)
        .await
        .expect("reassign");
    Initiatives::reassign(&mut conn, id, &w.cast.as_moderator(), other, reason, later)
        .await
        .expect("handing it to the body it has changes nothing");

    let detail = Initiatives::detail(&mut conn, id, None, None, later)
        .await
        .expect("detail");
    assert_eq!(detail.summary.department_id, Some(other));
    assert_eq!(detail.summary.stage, Stage::Discussion);
    assert_eq!(
        detail.summary.stage_ends_at, ends_before,
        "the stage keeps its dates"
    );
    let handed: Vec<_> = detail
        .history
        .iter()
        .filter(|entry| entry.kind == EventKind::BodyReassigned)
        .collect();
    assert_eq!(handed.len(), 1, "recorded once");
    assert_eq!(handed[0].body.as_deref(), Some(reason));
    let audit = AuditEntry::recent(&mut conn, Some(("initiative", id.0)), 10)
        .await
        .expect("audit");
    assert!(
        audit
            .iter()
            .any(|entry| entry.action == "initiative.reassign"),
        "audited"
    );

    Initiatives::step(
        &mut conn,
        id,
        &w.cast.as_author(),
        Action::Withdraw,
        "",
        later,
    )
    .await
    .expect("withdraw");
    assert_eq!(
        Initiatives::reassign(
            &mut conn,
            id,
            &w.cast.as_moderator(),
            w.cast.department,
            reason,
            later
        )
        .await,
        Err(AppError::IllegalTransition {
            status: "withdrawn".into(),
            action: "reassign".into()
        }),
        "a finished initiative keeps its body"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn replies_and_supports_of_comments_run_until_the_initiative_ends() {
    let w = world().await;
    let mut conn = w.db.conn().await;
    let now = at("2026-03-01 10:00:00");
    let id = w.discussion(&mut conn, now).await;
    let opener = Initiatives::add_comment(
        &mut conn,
        id,
        w.cast.official,
        "За: нужна",
        "for",
        None,
        now,
    )
    .await
    .expect("comment");
    assert_eq!(
        Initiatives::add_comment(
            &mut conn,
            id,
            w.cast.author,
            "Согласен",
            "",
            Some(opener),
            now
        )
        .await,
        Err(AppError::invalid("position", ErrorCode::Required)),
        "a reply in the idea discussion takes a position too"
    );
    Initiatives::add_comment(
        &mut conn,
        id,
        w.cast.author,
        "Согласен",
        "for",
        Some(opener),
        now,
    )
    .await
    .expect("reply");
    assert_eq!(
        Initiatives::support_comment(&mut conn, id, opener, w.cast.author, true, now).await,
        Ok(1)
    );

    let detail = Initiatives::detail(&mut conn, id, Some(w.cast.author), None, now)
        .await
        .expect("detail");
    assert_eq!(detail.summary.comment_count, 2, "a reply is a comment");
    assert_eq!(detail.comments.threads.len(), 1);
    let thread = &detail.comments.threads[0];
    assert!(thread.supported, "the author sees their support");
    assert_eq!(thread.replies.len(), 1);
    assert!(thread.replies[0].mine);
    assert_eq!(detail.positions.counts.of(Position::For), 2);
    assert_eq!(
        detail.positions.leading_for.map(|comment| comment.id),
        Some(opener)
    );

    Initiatives::step(
        &mut conn,
        id,
        &w.cast.as_author(),
        Action::Withdraw,
        "Передумал",
        now,
    )
    .await
    .expect("withdraw");
    assert_eq!(
        Initiatives::support_comment(&mut conn, id, opener, w.cast.moderator, true, now).await,
        Err(AppError::IllegalTransition {
            status: "withdrawn".into(),
            action: "support_comment".into()
        }),
        "a finished initiative's discussion keeps its supports"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_discussion_asks_for_positions_and_counts_the_shown_ones() {
    let w = world().await;
    let mut conn = w.db.conn().await;
    let now = at("2026-03-01 10:00:00");
    let waiting = w.propose(&mut conn, true, now).await;
    assert_eq!(
        Initiatives::add_comment(&mut conn, waiting, w.cast.official, "Рано", "", None, now).await,
        Err(AppError::IllegalTransition {
            status: "moderation".into(),
            action: "comment".into()
        }),
        "nobody discusses what the public cannot see"
    );
    let concept = w.concept(&mut conn, now).await;
    Initiatives::add_comment(
        &mut conn,
        concept,
        w.cast.official,
        "Вопрос автору",
        "",
        None,
        now,
    )
    .await
    .expect("a concept takes comments without a position");

    let id = w.discussion(&mut conn, now).await;
    assert_eq!(
        Initiatives::add_comment(&mut conn, id, w.cast.official, "Без позиции", "", None, now)
            .await,
        Err(AppError::invalid("position", ErrorCode::Required))
    );
    assert_eq!(
        Initiatives::add_comment(
            &mut conn,
            id,
            w.cast.official,
            "Странно",
            "maybe",
            None,
            now
        )
        .await,
        Err(AppError::invalid("position", ErrorCode::Malformed))
    );
    for (who, text, position) in [
        (w.cast.official, "Поддерживаю", "for"),
        (w.cast.author, "Конечно за", "for"),
        (w.cast.moderator, "Против: дорого", "against"),
        (w.cast.official, "Сколько это стоит?", "neutral"),
    ] {
        Initiatives::add_comment(&mut conn, id, who, text, position, None, now)
            .await
            .expect("comment");
    }
    let detail = Initiatives::detail(&mut conn, id, None, None, now)
        .await
        .expect("detail");
    assert_eq!(detail.summary.comment_count, 4);
    assert_eq!(detail.positions.counts.of(Position::For), 2);
    assert_eq!(detail.positions.counts.of(Position::Against), 1);
    assert_eq!(detail.positions.counts.of(Position::Neutral), 1);
    let against = detail.comments.threads[2].id;
    Comments::hide(&mut conn, against, w.cast.moderator, "Оскорбление", now)
        .await
        .expect("hide");
    let detail = Initiatives::detail(&mut conn, id, None, None, now)
        .await
        .expect("detail");
    assert_eq!(
        detail.positions.counts.of(Position::Against),
        0,
        "a hidden comment's position no longer counts"
    );
    assert!(
        Follows::is_following(&mut conn, id.subject(), w.cast.official)
            .await
            .expect("follows"),
        "a commenter follows the initiative"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn lists_show_public_stages_by_level_and_the_queue_only_to_staff() {
    let w = world().await;
    let mut conn = w.db.conn().await;
    let now = at("2026-03-01 10:00:00");
    let waiting = w.propose(&mut conn, true, now).await;
    let municipal = w.concept(&mut conn, now).await;
    let regional = w.propose(&mut conn, true, now).await;
    Initiatives::step(
        &mut conn,
        regional,
        &w.cast.as_moderator(),
        Action::Publish,
        "",
        now,
    )
    .await
    .expect("publish");
    let refused = w.propose(&mut conn, false, now).await;
    Initiatives::step(
        &mut conn,
        refused,
        &w.cast.as_moderator(),
        Action::Refuse,
        "Не нормативный акт",
        now,
    )
    .await
    .expect("refuse");

    let ids = |page: super::model::InitiativePage| -> Vec<InitiativeId> {
        page.items.iter().map(|item| item.id).collect()
    };
    let every = InitiativeFilter {
        level: Level::All,
        stage: None,
    };
    let page = Initiatives::list(&mut conn, &every, 1, true)
        .await
        .expect("list");
    assert_eq!(
        page.total, 2,
        "moderation and refusals stay out of the list"
    );
    assert_eq!(ids(page), [regional, municipal], "newest first");
    let region = InitiativeFilter {
        level: Level::Region,
        stage: None,
    };
    assert_eq!(
        ids(Initiatives::list(&mut conn, &region, 1, false)
            .await
            .expect("list")),
        [regional]
    );
    let krasnodar = InitiativeFilter {
        level: Level::Municipality(w.cast.krasnodar),
        stage: Some(Stage::Concept),
    };
    assert_eq!(
        ids(Initiatives::list(&mut conn, &krasnodar, 1, false)
            .await
            .expect("list")),
        [municipal]
    );
    let queue = InitiativeFilter {
        level: Level::All,
        stage: Some(Stage::Moderation),
    };
    assert_eq!(
        ids(Initiatives::list(&mut conn, &queue, 1, true)
            .await
            .expect("list")),
        [waiting]
    );
    assert!(
        Initiatives::list(&mut conn, &queue, 1, false)
            .await
            .expect("list")
            .items
            .is_empty(),
        "the public never lists the queue"
    );
    let mine = Initiatives::by_author(&mut conn, w.cast.author)
        .await
        .expect("mine");
    assert_eq!(mine.len(), 4, "an author sees every stage of their own");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_author_withdraws_before_the_expertise_and_supports_stop() {
    let w = world().await;
    let mut conn = w.db.conn().await;
    let now = at("2026-03-01 10:00:00");
    let id = w.concept(&mut conn, now).await;
    assert_eq!(
        Initiatives::step(
            &mut conn,
            id,
            &w.cast.as_moderator(),
            Action::Withdraw,
            "",
            now
        )
        .await,
        Err(AppError::Forbidden),
        "only the author withdraws"
    );
    let stage = Initiatives::step(
        &mut conn,
        id,
        &w.cast.as_author(),
        Action::Withdraw,
        "",
        now,
    )
    .await
    .expect("withdraw");
    assert_eq!(stage, Stage::Withdrawn);
    assert!(
        Initiatives::set_support(&mut conn, id, w.cast.official, true, now)
            .await
            .is_err()
    );
    assert_eq!(
        Initiatives::step(
            &mut conn,
            id,
            &w.cast.as_moderator(),
            Action::Archive,
            "x",
            now
        )
        .await,
        Err(AppError::IllegalTransition {
            status: "withdrawn".into(),
            action: "archive".into()
        })
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_seed_walks_sixteen_initiatives_through_every_stage_once() {
    let db = TestDb::new().await;
    crate::seed::seed_demo_for_test(db.pool()).await;
    let mut conn = db.conn().await;
    let stages: Vec<String> = initiatives::table
        .select(initiatives::stage)
        .load(&mut conn)
        .await
        .expect("stages");
    // The demo also turns one citizens' solution into an initiative (the links' seed).
    let from_solutions: i64 = platform::db::schema::subject_links::table
        .filter(platform::db::schema::subject_links::to_kind.eq("initiative"))
        .filter(platform::db::schema::subject_links::relation.eq("became"))
        .count()
        .get_result(&mut conn)
        .await
        .expect("count");
    assert_eq!(from_solutions, 1);
    assert_eq!(stages.len(), 16 + 1);
    for stage in [
        Stage::Moderation,
        Stage::Refused,
        Stage::Concept,
        Stage::Discussion,
        Stage::Drafting,
        Stage::Expertise,
        Stage::Reaction,
        Stage::Adopted,
        Stage::Archived,
        Stage::Withdrawn,
    ] {
        assert!(
            stages.iter().any(|stored| stored == stage.as_db()),
            "a demo initiative in {stage:?}"
        );
    }
    let regional = initiatives::table
        .filter(initiatives::municipality_id.is_null())
        .count()
        .get_result::<i64>(&mut conn)
        .await
        .expect("count");
    assert!((2..16).contains(&regional), "regional and municipal ones");
    let positions: i64 = platform::db::schema::comments::table
        .filter(platform::db::schema::comments::subject_kind.eq("initiative"))
        .filter(platform::db::schema::comments::position.eq("against"))
        .count()
        .get_result(&mut conn)
        .await
        .expect("count");
    assert!(positions > 0, "the discussions have comments against");
    let versions: i64 = platform::db::schema::initiative_versions::table
        .count()
        .get_result(&mut conn)
        .await
        .expect("count");
    assert_eq!(
        versions, 6,
        "two versions of the draft, one of each examined initiative"
    );
    let mut statuses: Vec<String> = platform::db::schema::initiative_amendments::table
        .select(platform::db::schema::initiative_amendments::status)
        .load(&mut conn)
        .await
        .expect("statuses");
    statuses.sort();
    assert_eq!(
        statuses,
        ["accepted", "open", "outdated", "rejected"],
        "one amendment of each fate"
    );
    let mut remarks: Vec<String> = platform::db::schema::initiative_remarks::table
        .select(platform::db::schema::initiative_remarks::status)
        .load(&mut conn)
        .await
        .expect("remarks");
    remarks.sort();
    assert_eq!(
        remarks,
        [
            "accepted",
            "accepted",
            "accepted",
            "open",
            "open",
            "partly_accepted",
            "partly_accepted",
            "partly_accepted"
        ],
        "the expertise waits for two decisions; the others were decided"
    );
    let overdue: Vec<Option<NaiveDateTime>> = initiatives::table
        .filter(initiatives::stage.eq(Stage::Reaction.as_db()))
        .select(initiatives::overdue_since)
        .load(&mut conn)
        .await
        .expect("reactions");
    assert_eq!(overdue.len(), 2);
    assert_eq!(
        overdue.iter().filter(|since| since.is_some()).count(),
        1,
        "one reaction on time, one overdue"
    );
    let acts: i64 = initiatives::table
        .filter(initiatives::act_number.is_not_null())
        .count()
        .get_result(&mut conn)
        .await
        .expect("acts");
    assert_eq!(acts, 1);
    // The scheduler finds nothing the seed left due.
    let now = platform::clock::now();
    assert_eq!(
        Initiatives::run_stage_clock(&mut conn, now)
            .await
            .expect("clock"),
        StageClockReport::default()
    );
    drop(conn);
    crate::seed::seed_demo_for_test(db.pool()).await;
    let mut conn = db.conn().await;
    let again: i64 = initiatives::table
        .count()
        .get_result(&mut conn)
        .await
        .expect("count");
    assert_eq!(again, 16 + 1, "seeding twice adds nothing");
}
