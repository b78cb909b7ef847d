//! The links' API: anyone reads a subject's links; a challenge's owner turns its accepted
//! solutions into initiatives and links the challenge to problems and initiatives.

use leptos::prelude::*;

use super::model::LinksView;
use crate::lawmaking::model::InitiativeInput;
use platform::error::AppError;

#[cfg(feature = "ssr")]
use {
    super::model::{InitiativeDraft, LinkTarget},
    super::queries::{
        LINKED_KINDS, challenge_for_problem, initiative_of, links_of, problem_is_public,
        set_challenge_link, turn_into_initiative,
    },
    crate::auth::session::{WriteLimits, count_write, current_user, require_user},
    crate::problems::model::{PROBLEM, ProblemId},
    crate::solutions::model::{CHALLENGE, ChallengeId, SOLUTION, SolutionId, SolutionStatus},
    crate::solutions::queries::{Challenges, Solutions},
    civic::subject::Subject,
    platform::error::ErrorCode,
    platform::{clock, db},
};

/// Challenges opened on problems in an hour per account, and from one address.
#[cfg(feature = "ssr")]
const PROBLEM_CHALLENGES: WriteLimits = WriteLimits::hourly("links.problem_challenge", 10, 60);

#[cfg(feature = "ssr")]
fn parse_number(text: &str) -> Option<u64> {
    text.trim().trim_start_matches('№').trim().parse().ok()
}

/// The links section of subject `id` of `kind` (a subject kind name), as the reader
/// sees it.
#[server(endpoint = "links/of", input = server_fn::codec::GetUrl)]
pub async fn load_links(kind: String, id: String) -> Result<LinksView, AppError> {
    let kind = LINKED_KINDS
        .into_iter()
        .find(|known| known.as_str() == kind)
        .ok_or(AppError::NotFound)?;
    let id = parse_number(&id).ok_or(AppError::NotFound)?;
    let reader = current_user().await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        let conn = &mut conn;
        let subject = Subject::new(kind, id);
        let links = links_of(conn, subject).await?;
        let mut draft = None;
        let mut may_link = false;
        let mut may_propose = false;
        if let Some(reader) = &reader {
            if kind == SOLUTION {
                let solution = SolutionId(id);
                if let Some(row) = Solutions::get(conn, solution).await? {
                    let challenge = Challenges::get(conn, row.challenge_id).await?;
                    if let Some(challenge) =
                        challenge.filter(|challenge| challenge.owned_by(reader))
                        && row.status()? == SolutionStatus::Accepted
                        && initiative_of(conn, solution).await?.is_none()
                    {
                        draft = Some(InitiativeDraft {
                            title: row.title.clone(),
                            problem: challenge.description.clone(),
                            proposal: row.description.clone(),
                        });
                    }
                }
            } else if kind == CHALLENGE {
                may_link = Challenges::get(conn, ChallengeId(id))
                    .await?
                    .is_some_and(|challenge| challenge.owned_by(reader));
            } else if kind == PROBLEM {
                may_propose = problem_is_public(conn, ProblemId(id)).await?;
            }
        }
        Ok(LinksView {
            links,
            draft,
            may_link,
            may_propose,
        })
    })
    .await
}

/// The owner of solution `solution`'s challenge turns it (accepted) into an initiative
/// written as `input`; returns the initiative's number.
#[server(endpoint = "links/solution-initiative")]
pub async fn turn_solution_into_initiative(
    solution: String,
    input: InitiativeInput,
) -> Result<u64, AppError> {
    let user = require_user().await?;
    let solution = SolutionId(parse_number(&solution).ok_or(AppError::NotFound)?);
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        turn_into_initiative(&mut conn, solution, &user, input, clock::now())
            .await
            .map(|initiative| initiative.0)
    })
    .await
}

/// The owner of `challenge` links it to (`link` = `true`) or unlinks it from subject
/// `number` of `kind` (`problem` or `initiative`).
#[server(endpoint = "links/challenge")]
pub async fn link_challenge(
    challenge: String,
    kind: String,
    number: String,
    link: bool,
) -> Result<(), AppError> {
    let user = require_user().await?;
    let challenge = ChallengeId(parse_number(&challenge).ok_or(AppError::NotFound)?);
    let target =
        LinkTarget::parse(&kind).ok_or_else(|| AppError::invalid("kind", ErrorCode::Required))?;
    let number = parse_number(&number)
        .ok_or_else(|| AppError::invalid("number", ErrorCode::UnknownSubject))?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        set_challenge_link(
            &mut conn,
            challenge,
            target,
            number,
            link,
            &user,
            clock::now(),
        )
        .await
    })
    .await
}

/// The challenge where the signed-in user proposes how to fix public problem `problem`
/// (an open one that concerns it, or a new one made from the problem); its number.
#[server(endpoint = "links/problem-challenge")]
pub async fn challenge_of_problem(problem: String) -> Result<u64, AppError> {
    let user = require_user().await?;
    let problem = ProblemId(parse_number(&problem).ok_or(AppError::NotFound)?);
    count_write(PROBLEM_CHALLENGES, Some(user.id)).await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        let now = clock::now();
        challenge_for_problem(&mut conn, problem, user.id, clock::region_date(now), now)
            .await
            .map(|challenge| challenge.0)
    })
    .await
}
