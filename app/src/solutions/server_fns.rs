//! The solutions' API: public reads of challenges and solutions; citizens propose,
//! support and discuss; officials and moderators publish challenges and answer the
//! solutions of the challenges they own. Staff actions are audited in their transaction.

use leptos::prelude::*;
#[cfg(feature = "ssr")]
use platform::ids::parse_id;

use super::model::{ChallengeDetail, ChallengeInput, ChallengeList, SolutionDetail, SolutionInput};
use platform::error::AppError;

#[cfg(feature = "ssr")]
use {
    super::model::{Answer, ChallengeId, SolutionId, SolutionOrder, SolutionStatus},
    super::queries::{Challenges, Solutions, moderates_solutions},
    crate::auth::session::{WriteLimits, count_write, current_user, require_user},
    civic::comments::{Comments, validate_comment},
    civic::follows::Follows,
    civic::photos::Photos,
    platform::error::ErrorCode,
    platform::{clock, db},
};

/// Solutions proposed in an hour per account, and from one address.
#[cfg(feature = "ssr")]
const PROPOSALS: WriteLimits = WriteLimits::hourly("solution.propose", 10, 60);
/// Supports given or withdrawn in an hour.
#[cfg(feature = "ssr")]
const SUPPORTS: WriteLimits = WriteLimits::hourly("solution.support", 120, 600);
/// Comments in an hour.
#[cfg(feature = "ssr")]
const COMMENTS: WriteLimits = WriteLimits::hourly("solution.comment", 30, 200);
/// Follows and unfollows of challenges in an hour.
#[cfg(feature = "ssr")]
const FOLLOWS: WriteLimits = WriteLimits::hourly("challenge.follow", 200, 600);
/// The most challenges one list shows.
#[cfg(feature = "ssr")]
const LIST_LIMIT: i64 = 200;

/// The challenges, newest first, of a municipality and a theme (ids; empty for all),
/// those still taking proposals only when `state` is `open`.
#[server(endpoint = "solutions/challenges", input = server_fn::codec::GetUrl)]
pub async fn load_challenges(
    municipality: String,
    theme: String,
    state: String,
) -> Result<ChallengeList, AppError> {
    let reader = current_user().await?;
    let municipality = match municipality.trim() {
        "" => None,
        text => Some(parse_id(text)?),
    };
    let theme = match theme.trim() {
        "" => None,
        text => Some(parse_id(text)?),
    };
    let open_on = (state.trim() == "open").then(|| clock::region_date(clock::now()));
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        let challenges =
            Challenges::list(&mut conn, municipality, theme, open_on, LIST_LIMIT).await?;
        Ok(ChallengeList {
            challenges,
            may_publish: reader.as_ref().is_some_and(|user| {
                moderates_solutions(user) || !user.official_departments().is_empty()
            }),
        })
    })
    .await
}

/// A challenge with a page of its solutions (`sort`: `supports` or `newest`; `status`: a
/// status's name, empty for all; `page` from 0).
#[server(endpoint = "solutions/challenge", input = server_fn::codec::GetUrl)]
pub async fn load_challenge(
    id: String,
    sort: String,
    status: String,
    page: u32,
) -> Result<ChallengeDetail, AppError> {
    let id: ChallengeId = parse_id(&id)?;
    let order = SolutionOrder::parse(&sort);
    let status = SolutionStatus::from_db(status.trim());
    let reader = current_user().await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        let conn = &mut conn;
        let row = Challenges::get(conn, id)
            .await?
            .filter(|row| row.visible_to(reader.as_ref()))
            .ok_or(AppError::NotFound)?;
        let reader_id = reader.as_ref().map(|user| user.id);
        let (solutions, has_more) =
            Solutions::of_challenge(conn, id, status, order, i64::from(page), reader_id).await?;
        let open = row.takes_proposals(clock::region_date(clock::now()));
        let following = match reader_id {
            Some(reader) => Follows::is_following(conn, id.subject(), reader).await?,
            None => false,
        };
        let followers = Follows::count(conn, id.subject()).await?;
        Ok(ChallengeDetail {
            summary: row.summary(),
            description: row.description.clone(),
            department: row.department_id,
            solutions,
            order,
            status,
            page,
            has_more,
            open,
            signed_in: reader.is_some(),
            may_propose: open && reader.is_some(),
            owner: reader.as_ref().is_some_and(|user| row.owned_by(user)),
            followers,
            following,
            hidden_reason: row.hidden_reason_for(reader.as_ref()),
        })
    })
    .await
}

/// Publishes a challenge. Moderators may give it to any department or keep it; an
/// official publishes for one of their own departments.
#[server(endpoint = "solutions/challenges/publish")]
pub async fn publish_challenge(input: ChallengeInput) -> Result<u64, AppError> {
    let user = require_user().await?;
    let own_departments = user.official_departments();
    if !moderates_solutions(&user) && own_departments.is_empty() {
        return Err(AppError::Forbidden);
    }
    let today = clock::region_date(clock::now());
    let valid = input
        .validate(today)
        .map_err(|errors| AppError::Invalid { errors })?;
    if !moderates_solutions(&user)
        && !valid
            .department
            .is_some_and(|department| own_departments.contains(&department))
    {
        return Err(AppError::invalid("department", ErrorCode::NotAllowed));
    }
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Challenges::create(&mut conn, user.id, &valid, clock::now())
            .await
            .map(|id| id.0)
    })
    .await
}

/// A citizen's solution to a challenge that still takes proposals; the new solution's id.
#[server(endpoint = "solutions/propose")]
pub async fn propose_solution(challenge: String, input: SolutionInput) -> Result<u64, AppError> {
    let user = require_user().await?;
    let challenge: ChallengeId = parse_id(&challenge)?;
    let valid = input
        .validate()
        .map_err(|errors| AppError::Invalid { errors })?;
    count_write(PROPOSALS, Some(user.id)).await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        let now = clock::now();
        Solutions::create(
            &mut conn,
            challenge,
            user.id,
            &valid,
            clock::region_date(now),
            now,
        )
        .await
        .map(|id| id.0)
    })
    .await
}

/// A solution's page.
#[server(endpoint = "solutions/solution", input = server_fn::codec::GetUrl)]
pub async fn load_solution(id: String) -> Result<SolutionDetail, AppError> {
    let id: SolutionId = parse_id(&id)?;
    let reader = current_user().await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        let conn = &mut conn;
        let row = Solutions::get(conn, id)
            .await?
            .filter(|row| row.visible_to(reader.as_ref()))
            .ok_or(AppError::NotFound)?;
        let challenge = Challenges::get(conn, row.challenge_id)
            .await?
            .filter(|challenge| challenge.visible_to(reader.as_ref()))
            .ok_or(AppError::NotFound)?;
        let reader_id = reader.as_ref().map(|user| user.id);
        let supported = match reader_id {
            Some(user) => civic::supports::Supports::has(conn, id.subject(), user).await?,
            None => false,
        };
        let author = Solutions::author_name(conn, row.author_id).await?;
        let comments = Comments::page(conn, id.subject(), reader_id, None)
            .await?
            .threads;
        let photos = Photos::of(conn, id.subject())
            .await?
            .into_iter()
            .map(|photo| photo.photo)
            .collect();
        Ok(SolutionDetail {
            summary: row.summary(supported, author)?,
            description: row.description.clone(),
            challenge_title: challenge.title.clone(),
            challenge_area: challenge.summary().area,
            status_reason: row.status_reason.clone(),
            answered_at: row.answered_at,
            photos,
            comments,
            signed_in: reader.is_some(),
            owner: reader.as_ref().is_some_and(|user| challenge.owned_by(user)),
            moderator: reader.as_ref().is_some_and(moderates_solutions),
            hidden_reason: row.hidden_reason_for(reader.as_ref()),
            mine: reader.as_ref().is_some_and(|user| user.id == row.author_id),
        })
    })
    .await
}

/// Supports a solution (`support` = `true`) or withdraws the support.
#[server(endpoint = "solutions/support")]
pub async fn support_solution(solution: String, support: bool) -> Result<u32, AppError> {
    let user = require_user().await?;
    let solution: SolutionId = parse_id(&solution)?;
    count_write(SUPPORTS, Some(user.id)).await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Solutions::set_support(&mut conn, solution, user.id, support, clock::now()).await
    })
    .await
}

/// A comment on a solution.
#[server(endpoint = "solutions/comment")]
pub async fn comment_solution(solution: String, comment: String) -> Result<(), AppError> {
    let user = require_user().await?;
    let solution: SolutionId = parse_id(&solution)?;
    let body = validate_comment(&comment)?;
    count_write(COMMENTS, Some(user.id)).await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Solutions::add_comment(&mut conn, solution, user.id, &body, clock::now())
            .await
            .map(drop)
    })
    .await
}

/// The owner's answer to a solution: a status and its public reason.
#[server(endpoint = "solutions/answer")]
pub async fn answer_solution(
    solution: String,
    status: String,
    reason: String,
) -> Result<(), AppError> {
    let user = require_user().await?;
    let solution: SolutionId = parse_id(&solution)?;
    let answer = Answer::parse(&status, &reason).map_err(|errors| AppError::Invalid { errors })?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        let conn = &mut conn;
        let row = Solutions::get(conn, solution)
            .await?
            .ok_or(AppError::NotFound)?;
        let challenge = Challenges::get(conn, row.challenge_id)
            .await?
            .ok_or(AppError::NotFound)?;
        if !challenge.owned_by(&user) {
            return Err(AppError::Forbidden);
        }
        Solutions::answer(conn, solution, user.id, &answer, clock::now()).await
    })
    .await
}

/// The signed-in person follows (`follow` = `true`) challenge `id`, told of each new
/// solution, or stops.
#[server(endpoint = "solutions/challenges/follow")]
pub async fn follow_challenge(id: String, follow: bool) -> Result<(), AppError> {
    let user = require_user().await?;
    let id: ChallengeId = parse_id(&id)?;
    count_write(FOLLOWS, Some(user.id)).await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Challenges::get(&mut conn, id)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok(Follows::set(&mut conn, id.subject(), user.id, follow, clock::now()).await?)
    })
    .await
}
