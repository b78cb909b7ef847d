//! The activity feed: what the people a reader follows did (each only the kinds they show
//! on their profile), and what is new in the municipalities and challenges they follow:
//! problems that passed moderation, challenges, solutions and initiatives, newest first.
//! Each source is one indexed range read (at most a page and one more row before the
//! cursor); they are merged here.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel_async::{AsyncMysqlConnection, RunQueryDsl};

use super::model::{ACTIVITY_SHOWN, ActivityEvent, ActivityItem, ActivityKind, ActivityPage, Via};
use crate::auth::model::PERSON;
use crate::geography::model::{MUNICIPALITY, MunicipalityName};
use crate::lawmaking::model::{INITIATIVE, Stage};
use crate::problems::model::{PROBLEM, ProblemStatus};
use crate::solutions::model::{CHALLENGE, SOLUTION};
use crate::subjects::href;
use platform::db::schema::{
    challenges, follows, initiatives, problems, profiles, solutions, users,
};
use platform::ids::{MunicipalityId, UserId};

/// The form of the feed's cursor.
pub const CURSOR: &str = "%Y-%m-%dT%H:%M:%S";

/// Who and what a reader follows, as the feed reads it.
#[derive(Default)]
struct Followed {
    /// People showing their problems, solutions, initiatives.
    problems_of: Vec<UserId>,
    solutions_of: Vec<UserId>,
    initiatives_of: Vec<UserId>,
    names: HashMap<UserId, String>,
    municipalities: Vec<MunicipalityId>,
    challenges: Vec<u64>,
}

async fn followed(conn: &mut AsyncMysqlConnection, reader: UserId) -> QueryResult<Followed> {
    let people: Vec<(UserId, String, bool, bool, bool)> = follows::table
        .inner_join(profiles::table.on(profiles::user_id.eq(follows::subject_id)))
        .inner_join(users::table.on(users::id.eq(follows::subject_id)))
        .filter(follows::user_id.eq(reader))
        .filter(follows::subject_kind.eq(PERSON.as_str()))
        .filter(users::deleted_at.is_null())
        .select((
            profiles::user_id,
            users::display_name,
            profiles::show_problems,
            profiles::show_solutions,
            profiles::show_initiatives,
        ))
        .load(conn)
        .await?;
    let mut followed = Followed::default();
    for (person, name, problems, solutions, initiatives) in people {
        if problems {
            followed.problems_of.push(person);
        }
        if solutions {
            followed.solutions_of.push(person);
        }
        if initiatives {
            followed.initiatives_of.push(person);
        }
        followed.names.insert(person, name);
    }
    let subjects: Vec<(String, u64)> = follows::table
        .filter(follows::user_id.eq(reader))
        .filter(follows::subject_kind.eq_any([MUNICIPALITY.as_str(), CHALLENGE.as_str()]))
        .select((follows::subject_kind, follows::subject_id))
        .load(conn)
        .await?;
    for (kind, id) in subjects {
        if kind == MUNICIPALITY.as_str() {
            followed.municipalities.push(MunicipalityId(id));
        } else {
            followed.challenges.push(id);
        }
    }
    Ok(followed)
}

/// One event before it is described: its kind, id, title, time, and why it is shown.
struct Raw {
    kind: ActivityKind,
    id: u64,
    title: String,
    at: NaiveDateTime,
    via: RawVia,
}

enum RawVia {
    Person(UserId),
    Municipality(MunicipalityId),
    Challenge(u64),
}

/// The activity feed of `reader`: up to [`ACTIVITY_SHOWN`] events before `before` (all
/// when `None`), newest first, with the municipalities they follow and all of them.
pub async fn activity_page(
    conn: &mut AsyncMysqlConnection,
    reader: UserId,
    before: Option<NaiveDateTime>,
) -> QueryResult<ActivityPage> {
    let followed = followed(conn, reader).await?;
    // The newest page reads before the end of what DATETIME holds (chrono's own maximum
    // does not fit the column's type).
    let before = before.unwrap_or_else(|| {
        chrono::NaiveDate::from_ymd_opt(9999, 12, 31)
            .and_then(|day| day.and_hms_opt(23, 59, 59))
            .unwrap_or_default()
    });
    let limit = ACTIVITY_SHOWN + 1;
    let mut raw: Vec<Raw> = Vec::new();

    let public_statuses: Vec<&str> = ProblemStatus::PUBLIC.iter().map(|s| s.as_db()).collect();
    // A problem appears when it passed moderation (`published_at`).
    let mut problems_by =
        |rows: Vec<(u64, String, Option<NaiveDateTime>, UserId, MunicipalityId)>,
         by_person: bool| {
            raw.extend(
                rows.into_iter()
                    .filter_map(|(id, title, at, author, municipality)| {
                        Some(Raw {
                            kind: ActivityKind::Problem,
                            id,
                            title,
                            at: at?,
                            via: if by_person {
                                RawVia::Person(author)
                            } else {
                                RawVia::Municipality(municipality)
                            },
                        })
                    }),
            );
        };
    let select = (
        problems::id,
        problems::title,
        problems::published_at,
        problems::author_id,
        problems::municipality_id,
    );
    if !followed.problems_of.is_empty() {
        let rows = problems::table
            .filter(problems::author_id.eq_any(&followed.problems_of))
            .filter(problems::status.eq_any(&public_statuses))
            .filter(problems::published_at.lt(before))
            .order(problems::published_at.desc())
            .limit(limit)
            .select(select)
            .load(conn)
            .await?;
        problems_by(rows, true);
    }
    if !followed.municipalities.is_empty() {
        let rows = problems::table
            .filter(problems::municipality_id.eq_any(&followed.municipalities))
            .filter(problems::status.eq_any(&public_statuses))
            .filter(problems::published_at.lt(before))
            .order(problems::published_at.desc())
            .limit(limit)
            .select(select)
            .load(conn)
            .await?;
        problems_by(rows, false);
    }

    let solution =
        |(id, title, at, author, challenge): (u64, String, NaiveDateTime, UserId, u64),
         by_person: bool| Raw {
            kind: ActivityKind::Solution,
            id,
            title,
            at,
            via: if by_person {
                RawVia::Person(author)
            } else {
                RawVia::Challenge(challenge)
            },
        };
    let select = (
        solutions::id,
        solutions::title,
        solutions::created_at,
        solutions::author_id,
        solutions::challenge_id,
    );
    if !followed.solutions_of.is_empty() {
        let rows: Vec<(u64, String, NaiveDateTime, UserId, u64)> = solutions::table
            .filter(solutions::author_id.eq_any(&followed.solutions_of))
            .filter(solutions::hidden_at.is_null())
            .filter(solutions::created_at.lt(before))
            .order(solutions::created_at.desc())
            .limit(limit)
            .select(select)
            .load(conn)
            .await?;
        raw.extend(rows.into_iter().map(|row| solution(row, true)));
    }
    if !followed.challenges.is_empty() {
        let rows: Vec<(u64, String, NaiveDateTime, UserId, u64)> = solutions::table
            .filter(solutions::challenge_id.eq_any(&followed.challenges))
            .filter(solutions::author_id.ne(reader))
            .filter(solutions::hidden_at.is_null())
            .filter(solutions::created_at.lt(before))
            .order(solutions::created_at.desc())
            .limit(limit)
            .select(select)
            .load(conn)
            .await?;
        raw.extend(rows.into_iter().map(|row| solution(row, false)));
    }

    if !followed.municipalities.is_empty() {
        let rows: Vec<(u64, String, NaiveDateTime, Option<MunicipalityId>)> = challenges::table
            .filter(challenges::municipality_id.eq_any(&followed.municipalities))
            .filter(challenges::hidden_at.is_null())
            .filter(challenges::created_at.lt(before))
            .order(challenges::created_at.desc())
            .limit(limit)
            .select((
                challenges::id,
                challenges::title,
                challenges::created_at,
                challenges::municipality_id,
            ))
            .load(conn)
            .await?;
        raw.extend(
            rows.into_iter()
                .filter_map(|(id, title, at, municipality)| {
                    Some(Raw {
                        kind: ActivityKind::Challenge,
                        id,
                        title,
                        at,
                        via: RawVia::Municipality(municipality?),
                    })
                }),
        );
    }

    let public_stages: Vec<&str> = Stage::ALL
        .into_iter()
        .filter(|stage| stage.is_public())
        .map(Stage::as_db)
        .collect();
    let select = (
        initiatives::id,
        initiatives::title,
        initiatives::created_at,
        initiatives::author_id,
        initiatives::municipality_id,
    );
    let mut initiative_sources = Vec::new();
    if !followed.initiatives_of.is_empty() {
        initiative_sources.push(true);
    }
    if !followed.municipalities.is_empty() {
        initiative_sources.push(false);
    }
    for by_person in initiative_sources {
        let mut query = initiatives::table
            .filter(initiatives::stage.eq_any(&public_stages))
            .filter(initiatives::created_at.lt(before))
            .order(initiatives::created_at.desc())
            .limit(limit)
            .select(select)
            .into_boxed();
        query = if by_person {
            query.filter(initiatives::author_id.eq_any(&followed.initiatives_of))
        } else {
            query.filter(initiatives::municipality_id.eq_any(&followed.municipalities))
        };
        let rows: Vec<(u64, String, NaiveDateTime, UserId, Option<MunicipalityId>)> =
            query.load(conn).await?;
        raw.extend(
            rows.into_iter()
                .filter_map(|(id, title, at, author, municipality)| {
                    Some(Raw {
                        kind: ActivityKind::Initiative,
                        id,
                        title,
                        at,
                        via: if by_person {
                            RawVia::Person(author)
                        } else {
                            RawVia::Municipality(municipality?)
                        },
                    })
                }),
        );
    }

    // Newest first; the same subject reached twice (a followed person's problem in a
    // followed municipality) is shown once, by the person.
    raw.sort_by(|a, b| b.at.cmp(&a.at).then(b.id.cmp(&a.id)));
    let mut seen = std::collections::HashSet::new();
    raw.retain(|event| seen.insert((event.kind, event.id)));
    let older = if raw.len() > ACTIVITY_SHOWN as usize {
        raw.truncate(ACTIVITY_SHOWN as usize);
        raw.last().map(|event| event.at.format(CURSOR).to_string())
    } else {
        None
    };

    let all = MunicipalityName::list(conn).await?;
    let municipality = |id: MunicipalityId| all.iter().find(|name| name.id == id);
    let challenge_ids: Vec<u64> = raw
        .iter()
        .filter_map(|event| match event.via {
            RawVia::Challenge(id) => Some(id),
            _ => None,
        })
        .collect();
    let challenge_titles: HashMap<u64, String> = if challenge_ids.is_empty() {
        HashMap::new()
    } else {
        challenges::table
            .filter(challenges::id.eq_any(&challenge_ids))
            .select((challenges::id, challenges::title))
            .load::<(u64, String)>(conn)
            .await?
            .into_iter()
            .collect()
    };
    let events = raw
        .into_iter()
        .filter_map(|event| {
            let kind_name = match event.kind {
                ActivityKind::Problem => PROBLEM,
                ActivityKind::Solution => SOLUTION,
                ActivityKind::Initiative => INITIATIVE,
                ActivityKind::Challenge => CHALLENGE,
                ActivityKind::Comment => return None,
            };
            let via = match event.via {
                RawVia::Person(person) => Via::Person {
                    id: person,
                    name: followed.names.get(&person).cloned().unwrap_or_default(),
                },
                RawVia::Municipality(id) => {
                    let name = municipality(id)?;
                    Via::Municipality {
                        name_ru: name.name_ru.clone(),
                        name_en: name.name_en.clone(),
                    }
                }
                RawVia::Challenge(id) => Via::Challenge {
                    title: challenge_titles.get(&id).cloned().unwrap_or_default(),
                },
            };
            Some(ActivityEvent {
                item: ActivityItem {
                    kind: event.kind,
                    href: href(kind_name.as_str(), event.id)?,
                    title: event.title,
                    excerpt: String::new(),
                    at: event.at,
                },
                via,
            })
        })
        .collect();
    let names = |id: &MunicipalityId| {
        municipality(*id).map(|name| (name.id, name.name_ru.clone(), name.name_en.clone()))
    };
    Ok(ActivityPage {
        events,
        older,
        followed: followed.municipalities.iter().filter_map(names).collect(),
        municipalities: all
            .iter()
            .map(|name| (name.id, name.name_ru.clone(), name.name_en.clone()))
            .collect(),
    })
}
