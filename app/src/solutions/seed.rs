//! Demo challenges and solutions: a Krasnodar bus route the city administration asks
//! about, with a drawn route, stops and a zone among its solutions (one answered), and a
//! regional challenge the moderators keep; the demo accounts propose and support them.

use chrono::{Days, NaiveDateTime};
use diesel::prelude::*;
use diesel_async::{AsyncMysqlConnection, RunQueryDsl};

use super::model::{Answer, ChallengeInput, SolutionInput, SolutionStatus};
use super::queries::{Challenges, Solutions};
use crate::auth::queries::Users;
use platform::clock;
use platform::db::schema::{challenges, departments, municipalities, themes};
use platform::error::AppError;

/// One demo solution: its author, text, sketch and supporters.
struct DemoSolution {
    author: &'static str,
    title: &'static str,
    description: &'static str,
    sketch: &'static str,
    supporters: &'static [&'static str],
    answer: Option<(SolutionStatus, &'static str)>,
}

/// One demo challenge.
struct DemoChallenge {
    municipality: Option<&'static str>,
    theme: &'static str,
    department: Option<&'static str>,
    title: &'static str,
    description: &'static str,
    area: &'static str,
    solutions: &'static [DemoSolution],
}

const CITIZEN: &str = "citizen@openregion.demo";
const EXPERT: &str = "expert@openregion.demo";
const GOVERNOR: &str = "governor@openregion.demo";
const OFFICIAL: &str = "official@openregion.demo";
const MODERATOR: &str = "moderator@openregion.demo";

const DEMO_CHALLENGES: [DemoChallenge; 2] = [
    DemoChallenge {
        municipality: Some("krasnodar"),
        theme: "public-transport",
        department: Some("admin-krasnodar"),
        title: "Как связать Восточно-Кругликовский микрорайон с центром",
        description: "В микрорайоне живут больше 60 тысяч человек, а до центра идут два автобусных маршрута с интервалом 20 минут. Предложите маршрут, остановки или выделенные полосы, которые сократят дорогу до центра и до вокзала.",
        area: r#"{"type":"Polygon","coordinates":[[[39.015,45.050],[39.060,45.050],[39.060,45.075],[39.015,45.075],[39.015,45.050]]]}"#,
        solutions: &[
            DemoSolution {
                author: CITIZEN,
                title: "Новый маршрут №77: Восточно-Кругликовский — Красная — вокзал",
                description: "Прямой маршрут без пересадок: по улице Восточно-Кругликовской и Дзержинского на Красную и к вокзалу Краснодар-1. Интервал 10 минут в часы пик.",
                sketch: r#"{"type":"LineString","coordinates":[[39.040,45.062],[39.020,45.060],[38.990,45.050],[38.976,45.040],[38.975,45.025],[38.980,45.015]]}"#,
                supporters: &[EXPERT, GOVERNOR],
                answer: Some((
                    SolutionStatus::UnderConsideration,
                    "Маршрут передан в департамент транспорта для расчёта пассажиропотока; ответим до конца квартала.",
                )),
            },
            DemoSolution {
                author: EXPERT,
                title: "Три остановки у новых школ",
                description: "Добавить остановки существующих маршрутов у двух новых школ и поликлиники, чтобы детям не переходить проспект.",
                sketch: r#"{"type":"MultiPoint","coordinates":[[39.031,45.058],[39.045,45.066],[39.052,45.061]]}"#,
                supporters: &[CITIZEN],
                answer: None,
            },
            DemoSolution {
                author: GOVERNOR,
                title: "Пешеходная зона у парка «Краснодар»",
                description: "Закрыть для машин участок у парка по выходным и пустить вместо них электробусы от микрорайона.",
                sketch: r#"{"type":"Polygon","coordinates":[[[39.030,45.040],[39.040,45.040],[39.040,45.046],[39.030,45.046],[39.030,45.040]]]}"#,
                supporters: &[],
                answer: None,
            },
        ],
    },
    DemoChallenge {
        municipality: None,
        theme: "road-damage",
        department: None,
        title: "Безопасная дорога к сельским школам",
        description: "Во многих станицах дети идут в школу по обочине трассы. Предложите, где нужны тротуары, переходы и освещение, и как их сделать быстрее.",
        area: "",
        solutions: &[DemoSolution {
            author: CITIZEN,
            title: "Тротуар вдоль трассы в станице Динской",
            description: "Тротуар с освещением от центра станицы до школы №2: полтора километра вдоль трассы, где сейчас нет даже обочины.",
            sketch: r#"{"type":"LineString","coordinates":[[39.225,45.213],[39.232,45.218],[39.240,45.222]]}"#,
            supporters: &[EXPERT, GOVERNOR, OFFICIAL],
            answer: Some((
                SolutionStatus::Accepted,
                "Тротуар включён в программу ремонта дорог на 2027 год.",
            )),
        }],
    },
];

/// Seeds the demo challenges once (none are added when any challenge exists); how many
/// solutions were added.
pub async fn seed_solutions(
    conn: &mut AsyncMysqlConnection,
    now: NaiveDateTime,
) -> Result<usize, AppError> {
    let existing: i64 = challenges::table.count().get_result(conn).await?;
    if existing > 0 {
        return Ok(0);
    }
    let today = clock::region_date(now);
    let until = today
        .checked_add_days(Days::new(60))
        .ok_or(AppError::Internal)?;
    let mut added = 0;
    for demo in &DEMO_CHALLENGES {
        let municipality = match demo.municipality {
            Some(slug) => Some(
                municipalities::table
                    .filter(municipalities::slug.eq(slug))
                    .select(municipalities::id)
                    .first::<u64>(conn)
                    .await?
                    .to_string(),
            ),
            None => None,
        };
        let theme: u64 = themes::table
            .filter(themes::slug.eq(demo.theme))
            .select(themes::id)
            .first(conn)
            .await?;
        let department = match demo.department {
            Some(slug) => Some(
                departments::table
                    .filter(departments::slug.eq(slug))
                    .select(departments::id)
                    .first::<u64>(conn)
                    .await?
                    .to_string(),
            ),
            None => None,
        };
        let input = ChallengeInput {
            municipality: municipality.unwrap_or_default(),
            theme: theme.to_string(),
            department: department.unwrap_or_default(),
            title: demo.title.into(),
            description: demo.description.into(),
            area: demo.area.into(),
            proposals_until: until.to_string(),
        };
        let valid = input.validate(today).map_err(|_| AppError::Internal)?;
        let publisher = match demo.department {
            Some(_) => OFFICIAL,
            None => MODERATOR,
        };
        let publisher = Users::id_by_email(conn, publisher).await?;
        let challenge = Challenges::create(conn, publisher, &valid, now).await?;
        for solution in demo.solutions {
            let input = SolutionInput {
                title: solution.title.into(),
                description: solution.description.into(),
                sketch: solution.sketch.into(),
                photos: String::new(),
            };
            let valid = input.validate().map_err(|_| AppError::Internal)?;
            let author = Users::id_by_email(conn, solution.author).await?;
            let id = Solutions::create(conn, challenge, author, &valid, today, now).await?;
            for supporter in solution.supporters {
                let supporter = Users::id_by_email(conn, supporter).await?;
                Solutions::set_support(conn, id, supporter, true, now).await?;
            }
            if let Some((status, reason)) = solution.answer {
                let answer = Answer {
                    status,
                    reason: reason.into(),
                };
                Solutions::answer(conn, id, publisher, &answer, now).await?;
            }
            added += 1;
        }
    }
    Ok(added)
}
