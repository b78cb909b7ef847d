//! Links in the database: each end's title read from its feature's table, an end the
//! public may not see left out; turning a solution into an initiative and linking a
//! challenge, each in one transaction with its audit row.

use std::collections::HashMap;

use chrono::{Days, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl};

use super::model::{BECAME_INITIATIVE, LinkReading, LinkTarget, LinkedSubject, MAX_LINKS};
use crate::auth::model::SessionUser;
use crate::lawmaking::model::{INITIATIVE, InitiativeId, InitiativeInput};
use crate::lawmaking::queries::Initiatives;
use crate::problems::model::{PROBLEM, ProblemId, ProblemStatus};
use crate::solutions::model::{
    CHALLENGE, ChallengeId, SOLUTION, SolutionId, SolutionStatus, ValidChallenge,
};
use crate::solutions::queries::{Challenges, Solutions};
use civic::audit::{AuditEntry, AuditEvent};
use civic::links::{Link, Links, Relation};
use civic::notifications::Notifications;
use civic::subject::{Subject, SubjectKind};
use platform::db::schema::{challenges, problems};
use platform::error::{AppError, ErrorCode};
use platform::geo::LatLon;
use platform::ids::{DepartmentId, MunicipalityId, ThemeId, UserId};
use platform::sketch::{Sketch, SketchForm};

/// The kinds whose pages show links.
pub const LINKED_KINDS: [SubjectKind; 4] = [SOLUTION, INITIATIVE, CHALLENGE, PROBLEM];

/// How `link`, read from a subject of `kind`, reads; `None` for a pair this version
/// does not make.
fn reading(kind: SubjectKind, link: &Link) -> Option<LinkReading> {
    let other = link.other_kind.as_str();
    match (link.relation, link.outgoing) {
        (Relation::Became, true) if kind == SOLUTION && other == INITIATIVE.as_str() => {
            Some(LinkReading::BecameInitiative)
        }
        (Relation::Became, false) if kind == INITIATIVE && other == SOLUTION.as_str() => {
            Some(LinkReading::GrewOutOfSolution)
        }
        (Relation::Concerns, true) if kind == CHALLENGE && other == PROBLEM.as_str() => {
            Some(LinkReading::ConcernsProblem)
        }
        (Relation::Concerns, true) if kind == CHALLENGE && other == INITIATIVE.as_str() => {
            Some(LinkReading::ConcernsInitiative)
        }
        (Relation::Concerns, false) if other == CHALLENGE.as_str() => {
            Some(LinkReading::InChallenge)
        }
        _ => None,
    }
}

/// The links of `subject` that anyone may see, with the other ends' titles and pages.
pub async fn links_of(
    conn: &mut AsyncMysqlConnection,
    subject: Subject,
) -> QueryResult<Vec<LinkedSubject>> {
    let links: Vec<(LinkReading, Link)> = Links::of(conn, subject)
        .await?
        .into_iter()
        .filter_map(|link| Some((reading(subject.kind, &link)?, link)))
        .take(MAX_LINKS as usize)
        .collect();
    let mut titles: HashMap<(String, u64), String> = HashMap::new();
    for kind in LINKED_KINDS {
        let ids: Vec<u64> = links
            .iter()
            .filter(|(_, link)| link.other_kind == kind.as_str())
            .map(|(_, link)| link.other_id)
            .collect();
        for (id, title) in crate::subjects::public_titles(conn, kind.as_str(), &ids).await? {
            titles.insert((kind.as_str().to_string(), id), title);
        }
    }
    Ok(links
        .into_iter()
        .filter_map(|(reading, link)| {
            let title = titles.remove(&(link.other_kind.clone(), link.other_id))?;
            let href = crate::subjects::href(&link.other_kind, link.other_id)?;
            Some(LinkedSubject {
                reading,
                kind: link.other_kind,
                id: link.other_id,
                title,
                href,
            })
        })
        .collect())
}

/// Whether problem `id` is public (passed moderation).
pub async fn problem_is_public(
    conn: &mut AsyncMysqlConnection,
    id: ProblemId,
) -> QueryResult<bool> {
    Ok(
        crate::subjects::public_titles(conn, PROBLEM.as_str(), &[id.0])
            .await?
            .contains_key(&id.0),
    )
}

/// The initiative solution `id` became, if it became one.
pub async fn initiative_of(
    conn: &mut AsyncMysqlConnection,
    id: SolutionId,
) -> QueryResult<Option<u64>> {
    let targets = Links::targets(conn, id.subject(), Relation::Became).await?;
    Ok(targets
        .into_iter()
        .find(|(kind, _)| kind == INITIATIVE.as_str())
        .map(|(_, id)| id))
}

/// The owner of solution `id`'s challenge turns the accepted solution into an
/// initiative written as `input` (its level and theme are the challenge's), published
/// as a concept at once; the two are linked, the turning audited and the solution's
/// followers told. A solution becomes one initiative at most.
pub async fn turn_into_initiative(
    conn: &mut AsyncMysqlConnection,
    id: SolutionId,
    user: &SessionUser,
    input: InitiativeInput,
    now: NaiveDateTime,
) -> Result<InitiativeId, AppError> {
    let user = user.clone();
    conn.transaction(async move |conn| {
        let solution = Solutions::lock(conn, id).await?.ok_or(AppError::NotFound)?;
        let challenge = Challenges::get(conn, solution.challenge_id)
            .await?
            .ok_or(AppError::NotFound)?;
        if !challenge.owned_by(&user) {
            return Err(AppError::Forbidden);
        }
        if solution.status()? != SolutionStatus::Accepted {
            return Err(AppError::invalid("solution", ErrorCode::NotAccepted));
        }
        if initiative_of(conn, id).await?.is_some() {
            return Err(AppError::invalid("solution", ErrorCode::AlreadyTurned));
        }
        let input = InitiativeInput {
            municipality_id: challenge
                .municipality_id
                .map(|municipality| municipality.to_string())
                .unwrap_or_default(),
            theme_id: challenge.theme_id.to_string(),
            ..input
        };
        let valid = input
            .validate()
            .map_err(|errors| AppError::Invalid { errors })?;
        let initiative = Initiatives::create_as_concept(conn, user.id, &valid, now).await?;
        Links::add(
            conn,
            id.subject(),
            initiative.subject(),
            Relation::Became,
            user.id,
            now,
        )
        .await?;
        let audit = AuditEvent {
            actor: Some(user.id),
            action: "solution.initiative",
            target_kind: SOLUTION.as_str(),
            target_id: Some(id.0),
            details: serde_json::json!({ "initiative": initiative.0 }),
        };
        AuditEntry::record(conn, audit, now).await?;
        Notifications::to_followers(conn, id.subject(), BECAME_INITIATIVE, Some(user.id), now)
            .await?;
        Ok(initiative)
    })
    .await
}

/// The subject `number` of `target`, when the public may see it.
async fn public_target(
    conn: &mut AsyncMysqlConnection,
    target: LinkTarget,
    number: u64,
) -> QueryResult<Option<Subject>> {
    let kind = target.kind();
    let titles = crate::subjects::public_titles(conn, kind.as_str(), &[number]).await?;
    Ok(titles
        .contains_key(&number)
        .then_some(Subject::new(kind, number)))
}

/// The owner of `challenge` links it to (`link`) or unlinks it from subject `number` of
/// `target`, audited. Linking needs a subject the public sees; linking twice or
/// unlinking what is not linked changes nothing and records nothing.
pub async fn set_challenge_link(
    conn: &mut AsyncMysqlConnection,
    challenge: ChallengeId,
    target: LinkTarget,
    number: u64,
    link: bool,
    user: &SessionUser,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    let user = user.clone();
    conn.transaction(async move |conn| {
        let row = Challenges::get(conn, challenge)
            .await?
            .ok_or(AppError::NotFound)?;
        if !row.owned_by(&user) {
            return Err(AppError::Forbidden);
        }
        let changed = if link {
            let other = public_target(conn, target, number)
                .await?
                .ok_or_else(|| AppError::invalid("number", ErrorCode::UnknownSubject))?;
            let linked = Links::of(conn, challenge.subject()).await?.len();
            if linked >= MAX_LINKS as usize {
                return Err(AppError::invalid(
                    "number",
                    ErrorCode::TooManyLinks { max: MAX_LINKS },
                ));
            }
            Links::add(
                conn,
                challenge.subject(),
                other,
                Relation::Concerns,
                user.id,
                now,
            )
            .await?
        } else {
            Links::remove(
                conn,
                challenge.subject(),
                Subject::new(target.kind(), number),
            )
            .await?
        };
        if changed {
            let audit = AuditEvent {
                actor: Some(user.id),
                action: if link {
                    "challenge.link"
                } else {
                    "challenge.unlink"
                },
                target_kind: CHALLENGE.as_str(),
                target_id: Some(challenge.0),
                details: serde_json::json!({ "kind": target.as_str(), "id": number }),
            };
            AuditEntry::record(conn, audit, now).await?;
        }
        Ok(())
    })
    .await
}

/// How long a challenge opened on a problem takes proposals.
pub const PROBLEM_CHALLENGE_DAYS: u64 = 90;

/// What a challenge opened on a problem starts from.
#[derive(Queryable)]
struct ProblemForChallenge {
    theme_id: ThemeId,
    municipality_id: MunicipalityId,
    department_id: Option<DepartmentId>,
    status: String,
    title: String,
    description: String,
    lat: f64,
    lon: f64,
}

/// The challenge where solutions to problem `problem` are proposed ("how to fix it"): an
/// open one that concerns it, or else a new one opened by `user` with the problem's
/// title, text, theme, municipality and place, owned by its responsible department and
/// taking proposals for [`PROBLEM_CHALLENGE_DAYS`] days. The problem's row is locked
/// meanwhile, so two people at once open one challenge. Only a public problem has one.
pub async fn challenge_for_problem(
    conn: &mut AsyncMysqlConnection,
    problem: ProblemId,
    user: UserId,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<ChallengeId, AppError> {
    conn.transaction(async move |conn| {
        let row: ProblemForChallenge = problems::table
            .find(problem)
            .select((
                problems::theme_id,
                problems::municipality_id,
                problems::department_id,
                problems::status,
                problems::title,
                problems::description,
                problems::lat,
                problems::lon,
            ))
            .for_update()
            .first(conn)
            .await
            .optional()?
            .ok_or(AppError::NotFound)?;
        if !ProblemStatus::from_db(&row.status).is_some_and(ProblemStatus::is_public) {
            return Err(AppError::NotFound);
        }
        let concerning: Vec<u64> = Links::of(conn, problem.subject())
            .await?
            .into_iter()
            .filter(|link| !link.outgoing && link.other_kind == CHALLENGE.as_str())
            .map(|link| link.other_id)
            .collect();
        let open: Option<u64> = challenges::table
            .filter(challenges::id.eq_any(&concerning))
            .filter(challenges::proposals_until.ge(today))
            .order(challenges::id)
            .select(challenges::id)
            .first(conn)
            .await
            .optional()?;
        if let Some(open) = open {
            return Ok(ChallengeId(open));
        }
        let place = Sketch::new(
            SketchForm::Points,
            vec![LatLon {
                lat: row.lat,
                lon: row.lon,
            }],
        )
        .ok();
        let challenge = ValidChallenge {
            municipality: Some(row.municipality_id),
            theme: row.theme_id,
            department: row.department_id,
            title: row.title,
            description: row.description,
            area: place,
            proposals_until: today
                .checked_add_days(Days::new(PROBLEM_CHALLENGE_DAYS))
                .ok_or(AppError::Internal)?,
        };
        let challenge = Challenges::create(conn, user, &challenge, now).await?;
        Links::add(
            conn,
            challenge.subject(),
            problem.subject(),
            Relation::Concerns,
            user,
            now,
        )
        .await?;
        Ok(challenge)
    })
    .await
}
