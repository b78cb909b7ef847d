//! Demo services: two regional and two municipal services with their providers, the
//! demo residents' ratings of the last twelve months and of this one (a few with reviews,
//! one answered by the provider), and the snapshots of the closed months.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel_async::{AsyncMysqlConnection, RunQueryDsl};

use super::model::{
    Marks, OfferingId, RankMethod, ServiceId, ValidRating, ValidService, month_of, previous_month,
};
use super::queries::{Services, Snapshots};
use crate::organisation::model::{DepartmentId, DepartmentLevel, EntryNames};
use civic::comments::Comments;
use platform::db::schema::{departments, gov_services, users};
use platform::dice::Dice;
use platform::error::AppError;
use platform::ids::UserId;

struct DemoService {
    slug: &'static str,
    name_ru: &'static str,
    name_en: &'static str,
    description_ru: &'static str,
    description_en: &'static str,
    level: DepartmentLevel,
    providers: &'static [&'static str],
}

const DEMO_SERVICES: [DemoService; 4] = [
    DemoService {
        slug: "building-permit",
        name_ru: "Выдача разрешения на строительство",
        name_en: "Building permits",
        description_ru: "Разрешение на строительство и реконструкцию объекта капитального строительства.",
        description_en: "A permit to build or rebuild a capital construction.",
        level: DepartmentLevel::Municipal,
        providers: &["admin-krasnodar", "admin-sochi", "admin-novorossiysk"],
    },
    DemoService {
        slug: "kindergarten-enrolment",
        name_ru: "Запись ребёнка в детский сад",
        name_en: "Kindergarten enrolment",
        description_ru: "Постановка на учёт и направление ребёнка в муниципальный детский сад.",
        description_en: "Registering a child for a municipal kindergarten and the referral to one.",
        level: DepartmentLevel::Municipal,
        providers: &["admin-krasnodar", "admin-sochi", "admin-novorossiysk"],
    },
    DemoService {
        slug: "hunting-licence",
        name_ru: "Выдача охотничьего билета",
        name_en: "Hunting licences",
        description_ru: "Охотничий билет единого федерального образца.",
        description_en: "The federal hunting licence.",
        level: DepartmentLevel::Regional,
        providers: &["min-natural-resources"],
    },
    DemoService {
        slug: "child-allowance",
        name_ru: "Назначение ежемесячной выплаты на ребёнка",
        name_en: "Monthly child allowance",
        description_ru: "Назначение ежемесячной денежной выплаты семьям с детьми.",
        description_en: "Granting the monthly allowance to families with children.",
        level: DepartmentLevel::Regional,
        providers: &["min-social"],
    },
];

/// How many closed months the demo has ratings and snapshots of.
const CLOSED_MONTHS: usize = 12;

const REVIEWS: [&str; 4] = [
    "Документы приняли быстро, но ответ пришёл позже обещанного.",
    "Всё через портал, без очередей. Спасибо!",
    "Пришлось дважды приносить одну и ту же справку.",
    "Вежливо объяснили, что исправить в заявлении.",
];

/// Seeds the demo services once; returns how many ratings were given.
pub async fn seed_services(
    conn: &mut AsyncMysqlConnection,
    now: NaiveDateTime,
) -> Result<usize, AppError> {
    let existing: i64 = gov_services::table.count().get_result(conn).await?;
    if existing > 0 {
        return Ok(0);
    }
    let residents: Vec<UserId> = users::table
        .filter(users::email.like("resident%@openregion.demo"))
        .order(users::id)
        .select(users::id)
        .load(conn)
        .await?;
    let mut offerings: Vec<(OfferingId, ServiceId, DepartmentId, u64)> = Vec::new();
    for (index, demo) in DEMO_SERVICES.iter().enumerate() {
        let service = Services::save(
            conn,
            None,
            None,
            &ValidService {
                names: EntryNames {
                    slug: demo.slug.into(),
                    name_ru: demo.name_ru.into(),
                    name_en: demo.name_en.into(),
                    description_ru: demo.description_ru.into(),
                    description_en: demo.description_en.into(),
                },
                level: demo.level,
                is_active: true,
            },
            now,
        )
        .await?;
        for (rank, slug) in demo.providers.iter().enumerate() {
            let department: Option<DepartmentId> = departments::table
                .filter(departments::slug.eq(*slug))
                .select(departments::id)
                .first(conn)
                .await
                .optional()?;
            if let Some(department) = department {
                let offering = Services::add_offering(conn, None, service, department, now).await?;
                // Each provider its own mean mark, so that the ranks differ.
                let quality = 2 + (index as u64 + rank as u64 * 2) % 3;
                offerings.push((offering, service, department, quality));
            }
        }
    }
    let mut dice = Dice(0x5E41_1CE5);
    let open_month = month_of(platform::clock::region_date(now));
    let mut month = open_month;
    let mut months = Vec::new();
    for _ in 0..=CLOSED_MONTHS {
        months.push(month);
        month = previous_month(month);
    }
    let mut given = 0;
    for (month_index, month) in months.iter().rev().enumerate() {
        // The month's ratings are given in that month: the last day's noon at most.
        let at = month.and_hms_opt(12, 0, 0).unwrap_or(now).min(now);
        for (offering_index, (offering, _, _, mean)) in offerings.iter().enumerate() {
            // One provider stays under the minimum in every month: it shows "too few".
            let raters = if offering_index == 1 {
                RankMethod::CURRENT.min_ratings as usize - 2
            } else {
                6 + dice.below(10) as usize + month_index
            };
            for (rater_index, rater) in residents.iter().take(raters).enumerate() {
                let mut mark = |spread: u64| {
                    u8::try_from((mean + dice.below(spread)).clamp(1, 5)).unwrap_or(3)
                };
                let marks = Marks {
                    quality: mark(3),
                    convenience: mark(2),
                    speed: mark(3),
                };
                // One review per offering in the last three months, each by another resident.
                let reviewer = (offering_index + month_index) % raters;
                let comment = if rater_index == reviewer && month_index + 3 > CLOSED_MONTHS {
                    REVIEWS[(offering_index + month_index) % REVIEWS.len()].to_string()
                } else {
                    String::new()
                };
                let rating = ValidRating {
                    offering: *offering,
                    month: *month,
                    marks,
                    comment,
                };
                Services::rate(conn, *rater, &rating, at).await?;
                given += 1;
            }
        }
    }
    answer_first_review(conn, now).await?;
    for month in Snapshots::due(conn, open_month).await? {
        Snapshots::build(conn, month, RankMethod::CURRENT, now).await?;
    }
    Ok(given)
}

/// The first provider's official answers the first review of its service, if the demo
/// has such an official.
async fn answer_first_review(
    conn: &mut AsyncMysqlConnection,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    use platform::db::schema::{service_offerings, service_ratings, user_roles};
    let review: Option<(civic::comments::CommentId, ServiceId, DepartmentId)> =
        service_ratings::table
            .inner_join(service_offerings::table)
            .filter(service_ratings::comment_id.is_not_null())
            .order(service_ratings::id.asc())
            .select((
                service_ratings::comment_id.assume_not_null(),
                service_offerings::service_id,
                service_offerings::department_id,
            ))
            .first(conn)
            .await
            .optional()?;
    let Some((comment, service, department)) = review else {
        return Ok(());
    };
    let official: Option<UserId> = user_roles::table
        .filter(user_roles::department_id.eq(department))
        .filter(user_roles::role.eq("official"))
        .select(user_roles::user_id)
        .first(conn)
        .await
        .optional()?;
    if let Some(official) = official {
        let answer =
            "Спасибо за отзыв. Мы сократили срок ответа и напоминаем о нём в личном кабинете.";
        Comments::add(
            conn,
            service.subject(),
            official,
            answer,
            None,
            Some(comment),
            now,
        )
        .await?;
    }
    Ok(())
}
