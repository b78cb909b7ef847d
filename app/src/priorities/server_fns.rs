//! The priority ranks' API: public reads, a citizen's votes, proposals, home changes and
//! comments, and the keepers' catalogue (moderators for everything, officials for their
//! municipality's priorities). Staff changes are audited in their transaction.

use leptos::prelude::*;
#[cfg(feature = "ssr")]
use platform::ids::parse_id;

use super::model::{ManagedPriorities, PriorityDetail, PriorityInput, RanksView};
use platform::error::AppError;

#[cfg(feature = "ssr")]
use {
    super::model::{
        Ballot, Decision, PriorityId, PriorityStatus, RankMethod, Scope, ScopeRanking,
        parse_quarter, quarter_of, validate_reason,
    },
    super::queries::{Priorities, RankSnapshots},
    crate::auth::model::{Role, SessionUser},
    crate::auth::session::{WriteLimits, count_write, current_user, require_user},
    crate::geography::model::MunicipalityId,
    civic::comments::{Comments, validate_comment},
    diesel_async::AsyncMysqlConnection,
    platform::error::ErrorCode,
    platform::{clock, db},
};

/// Votes cast or withdrawn in an hour per account, and from one address.
#[cfg(feature = "ssr")]
const VOTES: WriteLimits = WriteLimits::hourly("priority.vote", 60, 300);
/// Proposals in an hour.
#[cfg(feature = "ssr")]
const PROPOSALS: WriteLimits = WriteLimits::hourly("priority.propose", 5, 30);
/// Comments in an hour.
#[cfg(feature = "ssr")]
const COMMENTS: WriteLimits = WriteLimits::hourly("priority.comment", 30, 200);

/// The region's quarter open for voting now.
#[cfg(feature = "ssr")]
pub fn open_quarter() -> chrono::NaiveDate {
    quarter_of(clock::region_date(clock::now()))
}

/// `user`'s ballot of the open quarter.
#[cfg(feature = "ssr")]
async fn ballot_of(
    conn: &mut AsyncMysqlConnection,
    user: Option<&SessionUser>,
) -> Result<Option<Ballot>, AppError> {
    let Some(user) = user else {
        return Ok(None);
    };
    let quarter = open_quarter();
    let (home, moved_this_quarter) = Priorities::home(conn, user.id, quarter).await?;
    Ok(Some(Ballot {
        home,
        budget: RankMethod::CURRENT.votes_per_voter,
        voted: Priorities::voted(conn, user.id, quarter).await?,
        moved_this_quarter,
    }))
}

/// The municipalities whose priorities `user` keeps: `None` for all (moderators and
/// admins), else those of their municipal departments; refused when there are none.
#[cfg(feature = "ssr")]
async fn kept_by(
    conn: &mut AsyncMysqlConnection,
    user: &SessionUser,
) -> Result<Option<Vec<MunicipalityId>>, AppError> {
    if user.has_role(Role::Moderator) || user.has_role(Role::Admin) {
        return Ok(None);
    }
    let municipalities = Priorities::municipalities_of(conn, &user.official_departments()).await?;
    if municipalities.is_empty() {
        return Err(AppError::Forbidden);
    }
    Ok(Some(municipalities))
}

/// Whether the keeper of `kept` may keep a priority of `municipality` (`None`: regional).
#[cfg(feature = "ssr")]
fn may_keep(kept: &Option<Vec<MunicipalityId>>, municipality: Option<MunicipalityId>) -> bool {
    match (kept, municipality) {
        (None, _) => true,
        (Some(kept), Some(municipality)) => kept.contains(&municipality),
        (Some(_), None) => false,
    }
}

/// The standings of a scope in a quarter (`2026-Q3`; empty or unknown: the open quarter,
/// provisional) with the priorities they name, the open ones to vote for, and the
/// reader's ballot. `municipality` empty: the region.
#[server(endpoint = "ranks", input = server_fn::codec::GetUrl)]
pub async fn load_ranks(quarter: String, municipality: String) -> Result<RanksView, AppError> {
    let scope = match municipality.trim() {
        "" => Scope::Region,
        text => Scope::Municipality(text.parse().map_err(|_| AppError::NotFound)?),
    };
    let asked = parse_quarter(&quarter);
    let reader = current_user().await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        let conn = &mut conn;
        let open_quarter = open_quarter();
        let quarters = RankSnapshots::quarters(conn).await?;
        let shown = asked.filter(|quarter| quarters.contains(quarter));
        let (quarter, snapshot, ranking) = match shown {
            Some(quarter) => (
                quarter,
                RankSnapshots::summary(conn, quarter).await?,
                RankSnapshots::scope_ranking(conn, quarter, scope).await?,
            ),
            // The open quarter: the same method over the votes so far.
            None => (
                open_quarter,
                None,
                Priorities::provisional(conn, open_quarter, scope).await?,
            ),
        };
        let method = snapshot.map_or(RankMethod::CURRENT, |snapshot| snapshot.method);
        let ScopeRanking { figures, standings } = ranking;
        let ballot = ballot_of(conn, reader.as_ref()).await?;
        // To vote for: the regional priorities, the shown municipality's and the reader's.
        let home = ballot.as_ref().map(|ballot| ballot.home);
        let mut priorities = Priorities::list(conn, &[PriorityStatus::Open], None).await?;
        priorities.retain(|priority| match priority.municipality {
            None => true,
            Some(municipality) => {
                Scope::Municipality(municipality) == scope || Some(municipality) == home
            }
        });
        let missing: Vec<PriorityId> = standings
            .iter()
            .map(|standing| standing.priority)
            .filter(|id| !priorities.iter().any(|priority| priority.id == *id))
            .collect();
        priorities.extend(Priorities::by_ids(conn, &missing).await?);
        Ok(RanksView {
            open_quarter,
            quarter,
            scope,
            snapshot,
            method,
            figures,
            standings,
            quarters,
            priorities,
            ballot,
        })
    })
    .await
}

/// One priority: its history, where its votes of `quarter` (empty: the open one) come
/// from, the reader's ballot and the discussion. Proposals and rejected ones are shown
/// to their proposer and keepers only.
#[server(endpoint = "ranks/priority", input = server_fn::codec::GetUrl)]
pub async fn load_priority(id: String, quarter: String) -> Result<PriorityDetail, AppError> {
    let id = parse_id::<PriorityId>(&id)?;
    let reader = current_user().await?;
    let asked = parse_quarter(&quarter);
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        let conn = &mut conn;
        let priority = Priorities::get(conn, id).await?.ok_or(AppError::NotFound)?;
        if matches!(
            priority.status,
            PriorityStatus::Proposed | PriorityStatus::Rejected
        ) {
            let author = Priorities::author(conn, id).await?;
            let keeper = match &reader {
                Some(user) if user.is_staff() => kept_by(conn, user).await.ok(),
                _ => None,
            };
            let own = reader.as_ref().is_some_and(|user| Some(user.id) == author);
            if !own && !keeper.is_some_and(|kept| may_keep(&kept, priority.municipality)) {
                return Err(AppError::NotFound);
            }
        }
        let open_quarter = open_quarter();
        let quarters = RankSnapshots::quarters(conn).await?;
        let quarter = asked
            .filter(|quarter| quarters.contains(quarter))
            .unwrap_or(open_quarter);
        Ok(PriorityDetail {
            by_municipality: Priorities::votes_by_municipality(conn, id, quarter).await?,
            history: RankSnapshots::history(conn, id).await?,
            ballot: ballot_of(conn, reader.as_ref()).await?,
            comments: Comments::page(conn, id.subject(), reader.as_ref().map(|u| u.id), None)
                .await?
                .threads,
            moderator: reader
                .as_ref()
                .is_some_and(|user| user.has_role(Role::Moderator)),
            priority,
            open_quarter,
            quarter,
            quarters,
        })
    })
    .await
}

/// Gives one of the reader's votes of the open quarter to a priority.
#[server(endpoint = "ranks/vote")]
pub async fn vote_priority(priority: String) -> Result<(), AppError> {
    let user = require_user().await?;
    let priority = parse_id::<PriorityId>(&priority)?;
    count_write(VOTES, Some(user.id)).await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        let quarter = open_quarter();
        Priorities::vote(
            &mut conn,
            user.id,
            priority,
            quarter,
            RankMethod::CURRENT,
            clock::now(),
        )
        .await
        .map(drop)
    })
    .await
}

/// Takes the reader's vote of the open quarter back from a priority.
#[server(endpoint = "ranks/withdraw")]
pub async fn withdraw_vote(priority: String) -> Result<(), AppError> {
    let user = require_user().await?;
    let priority = parse_id::<PriorityId>(&priority)?;
    count_write(VOTES, Some(user.id)).await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        match Priorities::withdraw(&mut conn, user.id, priority, open_quarter()).await? {
            true => Ok(()),
            false => Err(AppError::NotFound),
        }
    })
    .await
}

/// A citizen's proposal of a new priority, published once a moderator accepts it.
#[server(endpoint = "ranks/propose")]
pub async fn propose_priority(input: PriorityInput) -> Result<(), AppError> {
    let user = require_user().await?;
    let valid = input
        .validate()
        .map_err(|errors| AppError::Invalid { errors })?;
    count_write(PROPOSALS, Some(user.id)).await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        let status = PriorityStatus::Proposed;
        Priorities::create(&mut conn, Some(user.id), &valid, status, clock::now())
            .await
            .map(drop)
    })
    .await
}

/// Moves the reader's home municipality, once a quarter, with a reason.
#[server(endpoint = "ranks/home")]
pub async fn change_home(municipality: String, reason: String) -> Result<(), AppError> {
    let user = require_user().await?;
    let to: MunicipalityId = municipality
        .trim()
        .parse()
        .map_err(|_| AppError::invalid("municipality", ErrorCode::UnknownMunicipality))?;
    let reason =
        validate_reason("reason", &reason).map_err(|errors| AppError::Invalid { errors })?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        let quarter = open_quarter();
        Priorities::change_home(&mut conn, user.id, to, &reason, quarter, clock::now()).await
    })
    .await
}

/// A comment on a published priority.
#[server(endpoint = "ranks/comment")]
pub async fn comment_priority(priority: String, comment: String) -> Result<(), AppError> {
    let user = require_user().await?;
    let priority = parse_id::<PriorityId>(&priority)?;
    let body = validate_comment(&comment)?;
    count_write(COMMENTS, Some(user.id)).await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        let conn = &mut conn;
        let status = Priorities::get(conn, priority)
            .await?
            .ok_or(AppError::NotFound)?
            .status;
        if !matches!(status, PriorityStatus::Open | PriorityStatus::Closed) {
            return Err(AppError::NotFound);
        }
        let subject = priority.subject();
        Comments::add(conn, subject, user.id, &body, None, None, clock::now())
            .await
            .map(drop)
    })
    .await
}

/// The keeper's catalogue: proposals to decide and the priorities they keep.
#[server(endpoint = "manage/priorities", input = server_fn::codec::GetUrl)]
pub async fn load_managed_priorities() -> Result<ManagedPriorities, AppError> {
    let user = require_user().await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        let conn = &mut conn;
        let municipalities = kept_by(conn, &user).await?;
        let every = [
            PriorityStatus::Proposed,
            PriorityStatus::Open,
            PriorityStatus::Closed,
            PriorityStatus::Rejected,
        ];
        Ok(ManagedPriorities {
            priorities: Priorities::list(conn, &every, municipalities.as_deref()).await?,
            municipalities,
        })
    })
    .await
}

/// Adds a published priority (empty `id`) or changes one, within the keeper's
/// municipalities.
#[server(endpoint = "manage/priorities/save")]
pub async fn save_priority(id: String, input: PriorityInput) -> Result<(), AppError> {
    let user = require_user().await?;
    let valid = input
        .validate()
        .map_err(|errors| AppError::Invalid { errors })?;
    let id: Option<PriorityId> = match id.trim() {
        "" => None,
        text => Some(parse_id::<PriorityId>(text)?),
    };
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        let conn = &mut conn;
        let kept = kept_by(conn, &user).await?;
        if !may_keep(&kept, valid.municipality) {
            return Err(AppError::invalid("municipality", ErrorCode::NotAllowed));
        }
        let now = clock::now();
        match id {
            None => {
                let status = PriorityStatus::Open;
                Priorities::create(conn, Some(user.id), &valid, status, now)
                    .await
                    .map(drop)
            }
            Some(id) => {
                let current = Priorities::get(conn, id).await?.ok_or(AppError::NotFound)?;
                if !may_keep(&kept, current.municipality) {
                    return Err(AppError::NotFound);
                }
                Priorities::update(conn, user.id, id, &valid, now).await
            }
        }
    })
    .await
}

/// Publishes or rejects a proposal, closes or reopens a priority (`decision`: `open`,
/// `reject`, `close`), with the reason everyone sees.
#[server(endpoint = "manage/priorities/decide")]
pub async fn decide_priority(id: String, decision: String, reason: String) -> Result<(), AppError> {
    let user = require_user().await?;
    let id = parse_id::<PriorityId>(&id)?;
    let decision =
        Decision::parse(&decision, &reason).map_err(|errors| AppError::Invalid { errors })?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        let conn = &mut conn;
        let kept = kept_by(conn, &user).await?;
        let current = Priorities::get(conn, id).await?.ok_or(AppError::NotFound)?;
        if !may_keep(&kept, current.municipality) {
            return Err(AppError::NotFound);
        }
        Priorities::decide(conn, user.id, id, &decision, clock::now())
            .await
            .map(drop)
    })
    .await
}
