//! Demo priorities: regional ones and some of Krasnodar, Sochi and Novorossiysk, a
//! resident's proposal awaiting moderation, demo voters in those three cities (enough for
//! a rank) and the demo residents elsewhere (too few), their votes of the last four
//! quarters and of this one, and the snapshots of the closed quarters.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel_async::{AsyncMysqlConnection, RunQueryDsl};

use super::model::{
    PriorityId, PriorityStatus, RankMethod, ValidPriority, previous_quarter, quarter_of,
};
use super::queries::{Priorities, RankSnapshots};
use crate::auth::model::ValidRegistration;
use crate::auth::queries::Users;
use crate::geography::model::MunicipalityId;
use platform::db::schema::{municipalities, priorities, themes, users};
use platform::dice::Dice;
use platform::error::AppError;
use platform::geo::LatLon;
use platform::i18n::Locale;
use platform::ids::UserId;

struct DemoPriority {
    municipality: Option<&'static str>,
    theme: &'static str,
    title: &'static str,
    description: &'static str,
    place: Option<(f64, f64)>,
    /// How much the demo voters like it: the weight of its pick.
    appeal: u64,
}

const DEMO_PRIORITIES: [DemoPriority; 10] = [
    DemoPriority {
        municipality: None,
        theme: "road-damage",
        title: "Ремонт дорог между районными центрами",
        description: "Капитальный ремонт региональных дорог, которые связывают районные центры с Краснодаром: ямы, обочины, разметка.",
        place: None,
        appeal: 9,
    },
    DemoPriority {
        municipality: None,
        theme: "public-transport",
        title: "Круглогодичные электрички до Анапы и Геленджика",
        description: "Пригородные поезда к побережью не только летом: расписание, удобное для работы и учёбы.",
        place: None,
        appeal: 6,
    },
    DemoPriority {
        municipality: None,
        theme: "waste",
        title: "Раздельный сбор отходов во всех муниципалитетах",
        description: "Контейнеры для раздельного сбора во дворах и вывоз по графику, который можно проверить.",
        place: None,
        appeal: 5,
    },
    DemoPriority {
        municipality: None,
        theme: "street-lighting",
        title: "Освещение сельских улиц и остановок",
        description: "Фонари на улицах станиц и хуторов и на остановках пригородных автобусов.",
        place: None,
        appeal: 4,
    },
    DemoPriority {
        municipality: Some("krasnodar"),
        theme: "yard-improvement",
        title: "Набережная Кубани с велодорожкой",
        description: "Непрерывная пешеходная набережная с велодорожкой от Тургеневского моста до парка «Краснодар».",
        place: Some((45.0236, 38.9994)),
        appeal: 8,
    },
    DemoPriority {
        municipality: Some("krasnodar"),
        theme: "public-transport",
        title: "Выделенные полосы для автобусов на Красной и Северной",
        description: "Полосы для общественного транспорта в часы пик, чтобы автобусы не стояли в пробках.",
        place: Some((45.0448, 38.9760)),
        appeal: 5,
    },
    DemoPriority {
        municipality: Some("sochi"),
        theme: "public-transport",
        title: "Автобусы в горные сёла по расписанию",
        description: "Регулярные рейсы из Сочи и Адлера в сёла Красной Поляны и Лазаревского района круглый год.",
        place: Some((43.6790, 40.2050)),
        appeal: 7,
    },
    DemoPriority {
        municipality: Some("sochi"),
        theme: "road-damage",
        title: "Тротуары вдоль Курортного проспекта",
        description: "Сплошные тротуары без разрывов, чтобы не выходить на проезжую часть.",
        place: Some((43.5797, 39.7340)),
        appeal: 4,
    },
    DemoPriority {
        municipality: Some("novorossiysk"),
        theme: "yard-improvement",
        title: "Пешеходная набережная Цемесской бухты",
        description: "Продолжить набережную имени Серебрякова до Южного района.",
        place: Some((44.7160, 37.7900)),
        appeal: 7,
    },
    DemoPriority {
        municipality: Some("novorossiysk"),
        theme: "street-lighting",
        title: "Освещение лестниц и переходов в Южном районе",
        description: "Фонари на пешеходных лестницах и подземных переходах, где сейчас темно.",
        place: None,
        appeal: 3,
    },
];

/// Demo voters per city, enough for the cities' ranks (the minimum is published with
/// the method).
const VOTERS: [(&str, usize); 3] = [("krasnodar", 40), ("sochi", 30), ("novorossiysk", 28)];

/// Closed quarters with votes and snapshots before the open one.
const CLOSED_QUARTERS: usize = 4;

async fn municipality(
    conn: &mut AsyncMysqlConnection,
    slug: &str,
) -> Result<Option<MunicipalityId>, AppError> {
    Ok(municipalities::table
        .filter(municipalities::slug.eq(slug))
        .select(municipalities::id)
        .first(conn)
        .await
        .optional()?)
}

/// Seeds the demo priorities once; returns how many votes were cast.
pub async fn seed_priorities(
    conn: &mut AsyncMysqlConnection,
    password_hash: &str,
    now: NaiveDateTime,
) -> Result<usize, AppError> {
    let existing: i64 = priorities::table.count().get_result(conn).await?;
    if existing > 0 {
        return Ok(0);
    }
    let mut catalogue: Vec<(PriorityId, Option<MunicipalityId>, u64)> = Vec::new();
    for demo in &DEMO_PRIORITIES {
        let place_of = demo.municipality;
        let municipality = match place_of {
            Some(slug) => match municipality(conn, slug).await? {
                Some(id) => Some(id),
                None => continue,
            },
            None => None,
        };
        let theme = themes::table
            .filter(themes::slug.eq(demo.theme))
            .select(themes::id)
            .first(conn)
            .await?;
        let priority = ValidPriority {
            municipality,
            theme,
            title: demo.title.into(),
            description: demo.description.into(),
            place: demo.place.and_then(|(lat, lon)| LatLon::new(lat, lon)),
        };
        let id = Priorities::create(conn, None, &priority, PriorityStatus::Open, now).await?;
        catalogue.push((id, municipality, demo.appeal));
    }
    let residents: Vec<(UserId, MunicipalityId)> = users::table
        .filter(users::email.like("resident%@openregion.demo"))
        .order(users::id)
        .select((users::id, users::home_municipality_id))
        .load(conn)
        .await?;
    propose_as_resident(conn, residents.as_slice().first().map(|r| r.0), now).await?;
    let mut voters = residents;
    let mut index = 0;
    for (slug, count) in VOTERS {
        let Some(home) = municipality(conn, slug).await? else {
            continue;
        };
        for _ in 0..count {
            index += 1;
            let registration = ValidRegistration {
                email: format!("voter{index}@openregion.demo"),
                password: String::new(),
                display_name: format!("Избиратель {index}"),
                home_municipality_id: home,
            };
            let voter = Users::create(conn, &registration, password_hash, Locale::Ru, now).await?;
            voters.push((voter, home));
        }
    }
    let open_quarter = quarter_of(platform::clock::region_date(now));
    let mut quarters = vec![open_quarter];
    for _ in 0..CLOSED_QUARTERS {
        let earlier = previous_quarter(quarters[quarters.len() - 1]);
        quarters.push(earlier);
    }
    quarters.reverse();
    let mut dice = Dice(0x9E1_0417);
    let mut cast = 0;
    for (quarter_index, quarter) in quarters.iter().enumerate() {
        // A vote is cast inside its quarter: noon of its first day, or now in the open one.
        let at = quarter.and_hms_opt(12, 0, 0).unwrap_or(now).min(now);
        for (voter, home) in &voters {
            let mut candidates: Vec<(PriorityId, u64)> = catalogue
                .iter()
                .filter(|(_, municipality, _)| municipality.is_none_or(|m| m == *home))
                // Tastes drift from quarter to quarter, so ranks move.
                .map(|(id, _, appeal)| (*id, appeal + (id.0 + quarter_index as u64 * 3) % 5))
                .collect();
            let votes = 2 + dice.below(4) as usize;
            for _ in 0..votes.min(candidates.len()) {
                let total: u64 = candidates.iter().map(|(_, weight)| weight).sum();
                let mut roll = dice.below(total.max(1));
                let position = candidates
                    .iter()
                    .position(|(_, weight)| {
                        let hit = roll < *weight;
                        roll = roll.saturating_sub(*weight);
                        hit
                    })
                    .unwrap_or(0);
                let (priority, _) = candidates.remove(position);
                Priorities::vote(conn, *voter, priority, *quarter, RankMethod::CURRENT, at).await?;
                cast += 1;
            }
        }
    }
    for quarter in RankSnapshots::due(conn, open_quarter).await? {
        RankSnapshots::build(conn, quarter, RankMethod::CURRENT, now).await?;
    }
    Ok(cast)
}

/// The first demo resident proposes a priority, which waits for the moderators.
async fn propose_as_resident(
    conn: &mut AsyncMysqlConnection,
    resident: Option<UserId>,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    let Some(resident) = resident else {
        return Ok(());
    };
    let theme = themes::table
        .filter(themes::slug.eq("street-lighting"))
        .select(themes::id)
        .first(conn)
        .await?;
    let proposal = ValidPriority {
        municipality: municipality(conn, "krasnodar").await?,
        theme,
        title: "Светофор и освещение у школы № 101".into(),
        description:
            "Дети переходят улицу в темноте без светофора: нужен регулируемый переход и фонари."
                .into(),
        place: LatLon::new(45.0555, 39.0120),
    };
    Priorities::create(
        conn,
        Some(resident),
        &proposal,
        PriorityStatus::Proposed,
        now,
    )
    .await?;
    Ok(())
}
