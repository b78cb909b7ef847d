//! Demo problems for `server seed-demo`: a few hundred problems in every state across the
//! municipalities and themes, each walked through the real workflow (the same `step` code
//! the app uses) at historical times, so timelines, deadlines, supports, comments and
//! department statistics look like a living portal. Idempotent: skipped when demo problems
//! exist.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl};

use super::jobs::run_deadlines;
use super::model::{ProblemAction, ProblemId, ValidProblem};
use super::queries::{Problems, StepDetails};
use crate::auth::model::Acting;
use crate::auth::model::{Role, UserId, ValidRegistration};
use crate::auth::queries::{Roles, Users};
use crate::geography::model::MunicipalityId;
use crate::i18n::Locale;
use crate::organisation::model::{DepartmentId, ThemeId};
use crate::organisation::queries::RoutingRules;
use platform::db::schema::{departments, municipalities, problems, themes, users};
use platform::dice::Dice;
use platform::error::AppError;
use platform::geo::LatLon;

/// How many demo problems are made.
pub const DEMO_PROBLEMS: usize = 320;

const TITLES: [(&str, &str); 12] = [
    (
        "Яма на проезжей части",
        "Глубокая яма у пешеходного перехода, машины объезжают по встречной полосе.",
    ),
    (
        "Не горят фонари во дворе",
        "Уже вторую неделю во дворе не горит ни один фонарь, вечером очень темно.",
    ),
    (
        "Переполнены мусорные контейнеры",
        "Контейнеры на площадке не вывозят несколько дней, мусор разносит ветер.",
    ),
    (
        "Сломана детская площадка",
        "Качели оборваны, у горки торчат острые края, дети могут пораниться.",
    ),
    (
        "Протечка трубы на улице",
        "Из-под асфальта течёт вода, образовалась большая лужа, зимой будет каток.",
    ),
    (
        "Нет пандуса у поликлиники",
        "Маломобильным жителям и мамам с колясками невозможно попасть в здание.",
    ),
    (
        "Стихийная свалка у реки",
        "На берегу выгружают строительный мусор, вода загрязняется.",
    ),
    (
        "Аварийное дерево",
        "Сухое дерево наклонилось над тротуаром и может упасть на прохожих.",
    ),
    (
        "Не работает светофор",
        "Светофор на перекрёстке мигает жёлтым уже третий день, опасно переходить.",
    ),
    (
        "Бродячие собаки у школы",
        "Стая собак собирается у входа в школу, дети боятся ходить на занятия.",
    ),
    (
        "Разбитый тротуар",
        "Плитка вздыбилась и раскрошилась, пожилые люди спотыкаются.",
    ),
    (
        "Нет остановочного павильона",
        "На остановке нет навеса и скамейки, люди ждут автобус под дождём.",
    ),
];

const ANSWERS: [&str; 4] = [
    "Обращение рассмотрено, работы включены в план текущего ремонта.",
    "Специалисты выехали на место, проблема подтверждена.",
    "Направлено предписание управляющей организации.",
    "Работы будут выполнены подрядчиком в рамках муниципального контракта.",
];

const REPORTS: [&str; 3] = [
    "Работы выполнены, фотоотчёт приложен к акту.",
    "Неисправность устранена силами подрядной организации.",
    "Территория очищена, вывоз мусора поставлен на контроль.",
];

const STREETS: [&str; 8] = [
    "ул. Красная",
    "ул. Ленина",
    "ул. Мира",
    "ул. Садовая",
    "ул. Советская",
    "ул. Школьная",
    "ул. Северная",
    "ул. Кирова",
];

/// Where a demo problem ends up.
#[derive(Clone, Copy)]
enum Fate {
    Moderation,
    Fresh,
    InProgress,
    Answered,
    Planned,
    LapsedPlan,
    Resolved,
    Closed,
    Reopened,
    Rejected,
    Duplicate,
}

const FATES: [(Fate, u64); 11] = [
    (Fate::Moderation, 5),
    (Fate::Fresh, 25),
    (Fate::InProgress, 10),
    (Fate::Answered, 14),
    (Fate::Planned, 8),
    (Fate::LapsedPlan, 3),
    (Fate::Resolved, 9),
    (Fate::Closed, 14),
    (Fate::Reopened, 3),
    (Fate::Rejected, 4),
    (Fate::Duplicate, 5),
];

fn fate(dice: &mut Dice) -> Fate {
    let total: u64 = FATES.iter().map(|(_, weight)| weight).sum();
    let mut roll = dice.below(total);
    for (fate, weight) in FATES {
        if roll < weight {
            return fate;
        }
        roll -= weight;
    }
    Fate::Fresh
}

struct Cast {
    residents: Vec<UserId>,
    moderator: UserId,
    staff_password_hash: String,
}

/// Seeds the demo problems unless they exist; returns how many were made.
pub async fn seed_problems(
    conn: &mut AsyncMysqlConnection,
    password_hash: &str,
    now: NaiveDateTime,
) -> Result<usize, AppError> {
    let existing: i64 = problems::table.count().get_result(conn).await?;
    if existing > 0 {
        return Ok(0);
    }
    let citizen = Users::id_by_email(conn, "citizen@openregion.demo").await?;
    let moderator = Users::id_by_email(conn, "moderator@openregion.demo").await?;
    let municipality_rows: Vec<(MunicipalityId, f64, f64)> = municipalities::table
        .select((
            municipalities::id,
            municipalities::centre_lat,
            municipalities::centre_lon,
        ))
        .order(municipalities::id)
        .load(conn)
        .await?;
    let theme_ids: Vec<ThemeId> = themes::table
        .filter(themes::is_active.eq(true))
        .select(themes::id)
        .order(themes::sort_order)
        .load(conn)
        .await?;
    let mut residents = vec![citizen];
    for index in 1..=30 {
        residents.push(
            resident(
                conn,
                index,
                password_hash,
                municipality_rows[index % municipality_rows.len()].0,
                now,
            )
            .await?,
        );
    }
    let cast = Cast {
        residents,
        moderator,
        staff_password_hash: password_hash.to_string(),
    };
    let mut dice = Dice(0x5EED_0FC1_7135);
    let mut made: Vec<ProblemId> = Vec::new();
    for index in 0..DEMO_PROBLEMS {
        // Krasnodar, Sochi and Novorossiysk get more, as in life.
        let (municipality, lat, lon) = if index % 3 == 0 {
            municipality_rows[(index / 3) % 3]
        } else {
            *dice.pick(&municipality_rows)
        };
        let theme = *dice.pick(&theme_ids);
        let (title, description) = *dice.pick(&TITLES);
        let point = LatLon {
            lat: lat + dice.offset(0.03),
            lon: lon + dice.offset(0.04),
        };
        let author = if index % 10 == 0 {
            cast.residents[0]
        } else {
            *dice.pick(&cast.residents)
        };
        let reported = now - Duration::hours(2 + dice.below(24 * 75) as i64);
        let problem = ValidProblem {
            theme_id: theme,
            point,
            address: format!("{}, {}", dice.pick(&STREETS), 1 + dice.below(120)),
            title: title.to_string(),
            description: description.to_string(),
            photo_tokens: Vec::new(),
            client_id: None,
        };
        let fate = fate(&mut dice);
        let id = walk(
            conn,
            &cast,
            &mut dice,
            author,
            &problem,
            municipality,
            reported,
            now,
            fate,
            &made,
        )
        .await?;
        made.push(id);
        let supporters = dice.below(if index % 7 == 0 { 25 } else { 6 });
        for supporter in cast.residents.iter().skip(1).take(supporters as usize) {
            // Supports only count on open and resolved problems; others refuse, as in the app.
            let _ =
                Problems::set_support(conn, id, *supporter, true, reported + Duration::hours(3))
                    .await;
        }
        if dice.below(3) == 0 {
            let commenter = *dice.pick(&cast.residents);
            let _ = Problems::add_comment(
                conn,
                id,
                commenter,
                "Подтверждаю, проблема актуальна.",
                reported + Duration::hours(5),
            )
            .await;
        }
    }
    run_deadlines(conn, now).await?;
    // Each supervising body that received escalations gets its demo official too, who acts
    // on them from the workspace.
    let supervisors: Vec<Option<DepartmentId>> = problems::table
        .filter(problems::escalated_to.is_not_null())
        .select(problems::escalated_to)
        .distinct()
        .load(conn)
        .await?;
    for supervisor in supervisors.into_iter().flatten() {
        staff(conn, &cast, supervisor, now).await?;
    }
    Ok(made.len())
}

async fn resident(
    conn: &mut AsyncMysqlConnection,
    index: usize,
    password_hash: &str,
    municipality: MunicipalityId,
    now: NaiveDateTime,
) -> Result<UserId, AppError> {
    let registration = ValidRegistration {
        email: format!("resident{index}@openregion.demo"),
        password: String::new(),
        display_name: format!("Житель {index}"),
        home_municipality_id: municipality,
    };
    Ok(Users::create(conn, &registration, password_hash, Locale::Ru, now).await?)
}

/// The demo staff member of a department, created on first use.
async fn staff(
    conn: &mut AsyncMysqlConnection,
    cast: &Cast,
    department: DepartmentId,
    now: NaiveDateTime,
) -> Result<UserId, AppError> {
    let (slug, name): (String, String) = departments::table
        .find(department)
        .select((departments::slug, departments::name_ru))
        .first(conn)
        .await?;
    let email = format!("staff-{slug}@openregion.demo");
    if let Some(id) = users::table
        .filter(users::email.eq(&email))
        .select(users::id)
        .first(conn)
        .await
        .optional()?
    {
        return Ok(id);
    }
    let short: String = name.chars().take(60).collect();
    let home: MunicipalityId = municipalities::table
        .select(municipalities::id)
        .first(conn)
        .await?;
    let registration = ValidRegistration {
        email,
        password: String::new(),
        display_name: format!("Специалист: {short}"),
        home_municipality_id: home,
    };
    let id = Users::create(
        conn,
        &registration,
        &cast.staff_password_hash,
        Locale::Ru,
        now,
    )
    .await?;
    Roles::grant(conn, id, Role::Official, Some(department), None, now).await?;
    Ok(id)
}

#[allow(clippy::too_many_arguments)]
async fn walk(
    conn: &mut AsyncMysqlConnection,
    cast: &Cast,
    dice: &mut Dice,
    author: UserId,
    problem: &ValidProblem,
    municipality: MunicipalityId,
    reported: NaiveDateTime,
    now: NaiveDateTime,
    fate: Fate,
    earlier: &[ProblemId],
) -> Result<ProblemId, AppError> {
    let problem = problem.clone();
    let id = conn
        .transaction(async |conn| {
            Problems::create(conn, author, &problem, municipality, "web", reported).await
        })
        .await?;
    let moderator = Acting::moderator(cast.moderator);
    let author_acting = Acting::resident(author);
    let latest = now - Duration::minutes(5);
    let mut at = (reported + Duration::hours(1 + dice.below(20) as i64)).min(latest);
    let status: String = problems::table
        .find(id)
        .select(problems::status)
        .first(conn)
        .await?;
    match fate {
        // Themes without pre-moderation were published on creation; the rest wait.
        Fate::Moderation => return Ok(id),
        Fate::Rejected => {
            if status == "moderation" {
                let reason = StepDetails {
                    text: "Сообщение не относится к компетенции органов власти края.".into(),
                    ..StepDetails::default()
                };
                Problems::step(conn, id, moderator, ProblemAction::Reject, reason, at).await?;
            }
            return Ok(id);
        }
        _ => {}
    }
    if status == "moderation" {
        Problems::step(
            conn,
            id,
            moderator.clone(),
            ProblemAction::Publish,
            StepDetails::default(),
            at,
        )
        .await?;
    }
    let department = match RoutingRules::resolve(conn, problem.theme_id, municipality).await? {
        Some(department) => department,
        None => return Ok(id),
    };
    let official = Acting::official(staff(conn, cast, department, at).await?, department);
    let text = |dice: &mut Dice, list: &[&str]| StepDetails {
        text: dice.pick(list).to_string(),
        ..StepDetails::default()
    };
    let mut step = |hours: i64| {
        at = (at + Duration::hours(hours)).min(latest);
        at
    };
    match fate {
        Fate::Fresh | Fate::Moderation | Fate::Rejected => {}
        Fate::InProgress => {
            let when = step(30);
            Problems::step(
                conn,
                id,
                official,
                ProblemAction::Acknowledge,
                StepDetails::default(),
                when,
            )
            .await?;
        }
        Fate::Answered => {
            let when = step(48);
            Problems::step(
                conn,
                id,
                official,
                ProblemAction::Answer,
                text(dice, &ANSWERS),
                when,
            )
            .await?;
        }
        Fate::Planned | Fate::LapsedPlan => {
            let when = step(50);
            let planned_for = if matches!(fate, Fate::LapsedPlan) {
                when.date() + Duration::days(3)
            } else {
                now.date() + Duration::days(20 + dice.below(90) as i64)
            };
            let plan = StepDetails {
                text: "Работы запланированы после заключения контракта на ремонт.".into(),
                planned_for: Some(planned_for.max(when.date())),
                ..StepDetails::default()
            };
            Problems::step(conn, id, official, ProblemAction::Plan, plan, when).await?;
        }
        Fate::Resolved | Fate::Closed | Fate::Reopened => {
            let when = step(70);
            Problems::step(
                conn,
                id,
                official.clone(),
                ProblemAction::Resolve,
                text(dice, &REPORTS),
                when,
            )
            .await?;
            if matches!(fate, Fate::Closed) {
                let when = step(20);
                Problems::step(
                    conn,
                    id,
                    author_acting,
                    ProblemAction::Confirm,
                    StepDetails::default(),
                    when,
                )
                .await?;
            } else if matches!(fate, Fate::Reopened) {
                let when = step(20);
                let reason = StepDetails {
                    text: "Работы выполнены некачественно, яма появилась снова.".into(),
                    ..StepDetails::default()
                };
                Problems::step(conn, id, author_acting, ProblemAction::Reopen, reason, when)
                    .await?;
            }
        }
        Fate::Duplicate => {
            if let Some(original) = earlier.iter().rev().nth(dice.below(5) as usize) {
                let merge = StepDetails {
                    original: Some(*original),
                    ..StepDetails::default()
                };
                let when = step(10);
                // An original that is itself closed refuses the merge; the problem then stays open.
                let _ =
                    Problems::step(conn, id, moderator, ProblemAction::Merge, merge, when).await;
            }
        }
    }
    Ok(id)
}
