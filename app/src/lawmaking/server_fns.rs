//! The law-making API: public lists and pages; proposing, supporting, commenting with a
//! position and following; the moderators', the responsible body's and the author's
//! steps. Every step is authorised on the server against the locked initiative.

use leptos::prelude::*;
#[cfg(feature = "ssr")]
use platform::ids::parse_id;

use super::model::drafting::{AmendmentId, AmendmentInput, Comparison, DraftText, VersionInput};
use super::model::expertise::{ActInput, ConclusionInput, ExpertiseView};
use super::model::ledger::{Ledger, LedgerQuery};
use super::model::work::WorkQueues;
use super::model::{
    InitiativeDetail, InitiativeId, InitiativeInput, InitiativePage, InitiativeQuery,
    InitiativeSummary, Stage, Threshold,
};
use crate::auth::model::SubjectViewer;
use platform::error::AppError;

#[cfg(feature = "ssr")]
use {
    super::model::drafting::validate_disposition,
    super::model::expertise::RemarkId,
    super::model::{Action, ThresholdLevel, required_reason, validate_reason, validate_threshold},
    super::queries::Initiatives,
    super::queries::disposition::{Dispositions, Proposal},
    super::queries::drafting::Drafts,
    super::queries::expertise::Expertises,
    super::queries::thresholds::Thresholds,
    crate::auth::model::Role,
    crate::auth::model::UserId,
    crate::auth::session::{WriteLimits, count_write, current_user, require_role, require_user},
    crate::discussion::server_fns::{parse_comment_id, parse_optional_comment_id},
    crate::organisation::model::DepartmentId,
    civic::comments::validate_comment,
    diesel_async::AsyncConnection,
    platform::error::ErrorCode,
    platform::{clock, db},
};

/// New initiatives per account and per client address and hour.
#[cfg(feature = "ssr")]
const PROPOSALS: WriteLimits = WriteLimits::hourly("initiative.propose", 5, 30);
#[cfg(feature = "ssr")]
const COMMENTS: WriteLimits = WriteLimits::hourly("initiative.comment", 30, 200);
#[cfg(feature = "ssr")]
const SUPPORTS: WriteLimits = WriteLimits::hourly("initiative.support", 300, 1000);
#[cfg(feature = "ssr")]
const AMENDMENTS: WriteLimits = WriteLimits::hourly("initiative.amend", 30, 200);
#[cfg(feature = "ssr")]
const CONCLUSIONS: WriteLimits = WriteLimits::hourly("initiative.conclude", 20, 100);

/// One page of the public list; `stage=moderation` is the moderators' queue.
#[server(endpoint = "initiatives", input = server_fn::codec::GetUrl)]
pub async fn list_initiatives(
    #[server(default)] query: InitiativeQuery,
) -> Result<InitiativePage, AppError> {
    let filter = query.filter();
    let staff_view = if filter.stage.is_some_and(|stage| !stage.is_public()) {
        current_user()
            .await?
            .is_some_and(|user| user.has_role(Role::Moderator))
    } else {
        false
    };
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Initiatives::list(&mut conn, &filter, query.page(), staff_view).await
    })
    .await
}

/// An initiative's page, with what the viewer may do. One in moderation or refused is
/// visible only to its author and to moderators.
#[server(endpoint = "initiative", input = server_fn::codec::GetUrl)]
/// Its discussion is shown from the thread after comment `comments` (from the first when
/// empty).
pub async fn get_initiative(
    id: String,
    #[server(default)] comments: String,
) -> Result<(InitiativeDetail, SubjectViewer), AppError> {
    let id = parse_id::<InitiativeId>(&id)?;
    let comments_after = parse_optional_comment_id(&comments)?;
    let viewer = current_user().await?;
    let reader = viewer.as_ref().map(|user| user.id);
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        let detail =
            Initiatives::detail(&mut conn, id, reader, comments_after, clock::now()).await?;
        let state = SubjectViewer::load(
            &mut conn,
            viewer.as_ref(),
            id.subject(),
            detail.author_id,
            detail.summary.department_id,
        )
        .await?;
        if !detail
            .summary
            .stage
            .visible_to(state.is_author, state.is_moderator)
        {
            return Err(AppError::NotFound);
        }
        Ok((detail, state))
    })
    .await
}

/// Proposes an initiative as the signed-in user; returns its number. It waits for a
/// moderator before the public sees it.
#[server(endpoint = "initiatives/propose")]
pub async fn propose_initiative(input: InitiativeInput) -> Result<InitiativeId, AppError> {
    let user = require_user().await?;
    let valid = input
        .validate()
        .map_err(|errors| AppError::Invalid { errors })?;
    count_write(PROPOSALS, Some(user.id)).await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        conn.transaction(async move |conn| {
            Initiatives::create(conn, user.id, &valid, clock::now()).await
        })
        .await
    })
    .await
}

/// Takes step `action` (an `Action` name) of initiative `id`, with the reason the step
/// needs (empty otherwise); returns the new stage.
#[server(endpoint = "initiatives/step")]
pub async fn initiative_step(
    id: String,
    action: String,
    #[server(default)] text: String,
) -> Result<Stage, AppError> {
    let user = require_user().await?;
    let id = parse_id::<InitiativeId>(&id)?;
    let action = Action::from_db(action.trim()).ok_or(AppError::BadRequest)?;
    let reason = validate_reason(action, &text)?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Initiatives::step(&mut conn, id, &user.acting(), action, &reason, clock::now()).await
    })
    .await
}

/// Lets the author of a public initiative edit its text beside the responsible body
/// (`allowed`), or takes it back, with a public reason in `text`; moderators only.
#[server(endpoint = "initiatives/author-editing")]
pub async fn set_author_editing(
    id: String,
    allowed: bool,
    #[server(default)] text: String,
) -> Result<(), AppError> {
    let user = require_role(Role::Moderator).await?;
    let id = parse_id::<InitiativeId>(&id)?;
    let reason = required_reason(&text)?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Initiatives::set_author_editing(
            &mut conn,
            id,
            &user.acting(),
            allowed,
            &reason,
            clock::now(),
        )
        .await
    })
    .await
}

/// Hands a public initiative to another responsible body, with a public reason in
/// `text`; moderators only.
#[server(endpoint = "initiatives/reassign")]
pub async fn reassign_initiative(
    id: String,
    department_id: String,
    #[server(default)] text: String,
) -> Result<(), AppError> {
    let user = require_role(Role::Moderator).await?;
    let id = parse_id::<InitiativeId>(&id)?;
    let department = match department_id.trim() {
        "" => Err(AppError::invalid("department_id", ErrorCode::Required)),
        text => text
            .parse::<DepartmentId>()
            .map_err(|_| AppError::invalid("department_id", ErrorCode::UnknownDepartment)),
    }?;
    let reason = required_reason(&text)?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Initiatives::reassign(
            &mut conn,
            id,
            &user.acting(),
            department,
            &reason,
            clock::now(),
        )
        .await
    })
    .await
}

/// Supports (`support = true`) or withdraws support; returns the new count.
#[server(endpoint = "initiatives/support")]
pub async fn set_initiative_support(id: String, support: bool) -> Result<u32, AppError> {
    let user = require_user().await?;
    let id = parse_id::<InitiativeId>(&id)?;
    count_write(SUPPORTS, Some(user.id)).await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Initiatives::set_support(&mut conn, id, user.id, support, clock::now()).await
    })
    .await
}

/// Follows or stops following an initiative.
#[server(endpoint = "initiatives/follow")]
pub async fn set_initiative_follow(id: String, follow: bool) -> Result<(), AppError> {
    let user = require_user().await?;
    let id = parse_id::<InitiativeId>(&id)?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        let (stage, author) = Initiatives::stage_and_author(&mut conn, id).await?;
        // Following an initiative the user may not see would reveal that it exists and,
        // through its steps, what becomes of it; leaving is always allowed.
        let visible = stage.visible_to(author == user.id, user.has_role(Role::Moderator));
        if follow && !visible {
            return Err(AppError::NotFound);
        }
        Ok(Initiatives::set_follow(&mut conn, id, user.id, follow, clock::now()).await?)
    })
    .await
}

/// Comments on a public initiative; `position` is `for`, `against`, `neutral` or empty
/// (the idea discussion requires one); `reply_to`, when given, is the comment answered.
#[server(endpoint = "initiatives/comment")]
pub async fn add_initiative_comment(
    id: String,
    comment: String,
    #[server(default)] position: String,
    #[server(default)] reply_to: String,
) -> Result<(), AppError> {
    let user = require_user().await?;
    let id = parse_id::<InitiativeId>(&id)?;
    let reply_to = parse_optional_comment_id(&reply_to)?;
    let body = validate_comment(&comment)?;
    count_write(COMMENTS, Some(user.id)).await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Initiatives::add_comment(
            &mut conn,
            id,
            user.id,
            &body,
            &position,
            reply_to,
            clock::now(),
        )
        .await
        .map(drop)
    })
    .await
}

/// Supports (`support = true`) or withdraws support of a comment on an initiative whose
/// discussion is open; someone else's comment only. Returns its new count.
#[server(endpoint = "initiatives/comments/support")]
pub async fn support_initiative_comment(
    id: String,
    comment: String,
    support: bool,
) -> Result<u32, AppError> {
    let user = require_user().await?;
    let id = parse_id::<InitiativeId>(&id)?;
    let comment = parse_comment_id(&comment)?;
    count_write(SUPPORTS, Some(user.id)).await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Initiatives::support_comment(&mut conn, id, comment, user.id, support, clock::now()).await
    })
    .await
}

/// The signed-in user's own initiatives, whatever their stage.
#[server(endpoint = "initiatives/mine", input = server_fn::codec::GetUrl)]
pub async fn my_initiatives() -> Result<Vec<InitiativeSummary>, AppError> {
    let user = require_user().await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Initiatives::by_author(&mut conn, user.id).await
    })
    .await
}

/// The text of an initiative: its versions, version `version` (the latest when empty)
/// with its articles, the amendments and what the viewer may do.
#[server(endpoint = "initiatives/text", input = server_fn::codec::GetUrl)]
pub async fn get_initiative_text(
    id: String,
    #[server(default)] version: String,
) -> Result<DraftText, AppError> {
    let id = parse_id::<InitiativeId>(&id)?;
    let version = match version.trim() {
        "" => None,
        text => Some(text.parse::<u32>().map_err(|_| AppError::NotFound)?),
    };
    let viewer = current_user().await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Drafts::text(&mut conn, id, version, viewer.as_ref()).await
    })
    .await
}

/// Versions `from` and `to` of an initiative's text, compared article by article.
#[server(endpoint = "initiatives/compare", input = server_fn::codec::GetUrl)]
pub async fn compare_versions(
    id: String,
    from: String,
    to: String,
) -> Result<Comparison, AppError> {
    let id = parse_id::<InitiativeId>(&id)?;
    let number = |text: &str| text.trim().parse::<u32>().map_err(|_| AppError::NotFound);
    let (from, to) = (number(&from)?, number(&to)?);
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Drafts::compare(&mut conn, id, from, to).await
    })
    .await
}

/// Publishes the next version of the text (an official of the responsible body, while
/// drafting); returns its number. A version published meanwhile by someone else is a
/// conflict, and nothing is written.
#[server(endpoint = "initiatives/versions/publish")]
pub async fn publish_version(id: String, input: VersionInput) -> Result<u32, AppError> {
    let user = require_user().await?;
    let id = parse_id::<InitiativeId>(&id)?;
    let (base, articles, note) = input.validate()?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Drafts::publish(
            &mut conn,
            id,
            &user.acting(),
            base,
            &articles,
            &note,
            clock::now(),
        )
        .await
    })
    .await
}

/// Proposes an amendment to one article of the latest version.
#[server(endpoint = "initiatives/amend")]
pub async fn propose_amendment(id: String, input: AmendmentInput) -> Result<AmendmentId, AppError> {
    let user = require_user().await?;
    let id = parse_id::<InitiativeId>(&id)?;
    let valid = input.validate()?;
    count_write(AMENDMENTS, Some(user.id)).await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Drafts::amend(&mut conn, id, user.id, &valid, clock::now()).await
    })
    .await
}

/// Supports (`support = true`) an open amendment or withdraws the support; returns the
/// new count.
#[server(endpoint = "initiatives/amendments/support")]
pub async fn set_amendment_support(amendment: String, support: bool) -> Result<u32, AppError> {
    let user = require_user().await?;
    let amendment: AmendmentId = amendment.trim().parse().map_err(|_| AppError::NotFound)?;
    count_write(SUPPORTS, Some(user.id)).await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Drafts::set_support(&mut conn, amendment, user.id, support, clock::now()).await
    })
    .await
}

/// The editor's disposition of an open amendment (`accepted`, `partly_accepted`,
/// `rejected`), with its reason.
#[server(endpoint = "initiatives/amendments/dispose")]
pub async fn dispose_amendment(
    amendment: String,
    disposition: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    let user = require_user().await?;
    let amendment: AmendmentId = amendment.trim().parse().map_err(|_| AppError::NotFound)?;
    let (disposition, reason) = validate_disposition(&disposition, &reason)?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Dispositions::decide(
            &mut conn,
            Proposal::Amendment(amendment),
            &user.acting(),
            disposition,
            &reason,
            clock::now(),
        )
        .await
    })
    .await
}

/// The expertise of an initiative: the version under expertise, the experts, the
/// conclusions with their remarks and what the viewer may do.
#[server(endpoint = "initiatives/expertise", input = server_fn::codec::GetUrl)]
pub async fn get_expertise(id: String) -> Result<ExpertiseView, AppError> {
    let id = parse_id::<InitiativeId>(&id)?;
    let viewer = current_user().await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Expertises::view(&mut conn, id, viewer.as_ref()).await
    })
    .await
}

/// A moderator makes user `expert` (holding the expert role) an expert of the
/// initiative, or approves the volunteer.
#[server(endpoint = "initiatives/experts/assign")]
pub async fn assign_expert(id: String, expert: String) -> Result<(), AppError> {
    let user = require_user().await?;
    let id = parse_id::<InitiativeId>(&id)?;
    let expert: UserId = expert
        .trim()
        .parse()
        .map_err(|_| AppError::invalid("expert", ErrorCode::UnknownUser))?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Expertises::assign(&mut conn, id, &user.acting(), expert, clock::now()).await
    })
    .await
}

/// The signed-in expert volunteers to examine the initiative.
#[server(endpoint = "initiatives/experts/volunteer")]
pub async fn volunteer_as_expert(id: String) -> Result<(), AppError> {
    let user = require_user().await?;
    let id = parse_id::<InitiativeId>(&id)?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Expertises::volunteer(&mut conn, id, user.id, clock::now()).await
    })
    .await
}

/// An assigned expert publishes a conclusion, with remarks, on the version under
/// expertise.
#[server(endpoint = "initiatives/conclude")]
pub async fn publish_conclusion(id: String, input: ConclusionInput) -> Result<(), AppError> {
    let user = require_user().await?;
    let id = parse_id::<InitiativeId>(&id)?;
    let valid = input.validate()?;
    count_write(CONCLUSIONS, Some(user.id)).await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Expertises::conclude(&mut conn, id, user.id, &valid, clock::now()).await?;
        Ok(())
    })
    .await
}

/// The editor's disposition of an open expert remark (`accepted`, `partly_accepted`,
/// `rejected`), with its reason.
#[server(endpoint = "initiatives/remarks/dispose")]
pub async fn dispose_remark(
    remark: String,
    disposition: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    let user = require_user().await?;
    let remark: RemarkId = remark.trim().parse().map_err(|_| AppError::NotFound)?;
    let (disposition, reason) = validate_disposition(&disposition, &reason)?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Dispositions::decide(
            &mut conn,
            Proposal::Remark(remark),
            &user.acting(),
            disposition,
            &reason,
            clock::now(),
        )
        .await
    })
    .await
}

/// The responsible body adopts the initiative as an act (number, date, link); returns
/// the new stage.
#[server(endpoint = "initiatives/adopt")]
pub async fn adopt_initiative(id: String, act: ActInput) -> Result<Stage, AppError> {
    let user = require_user().await?;
    let id = parse_id::<InitiativeId>(&id)?;
    let now = clock::now();
    let act = act.validate(clock::region_date(now))?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Initiatives::adopt(&mut conn, id, &user.acting(), &act, now).await
    })
    .await
}

/// The disposition ledger of an initiative: every amendment and expert remark with its
/// fate, filtered by `query`.
#[server(endpoint = "initiatives/ledger", input = server_fn::codec::GetUrl)]
pub async fn get_ledger(
    id: String,
    #[server(default)] query: LedgerQuery,
) -> Result<Ledger, AppError> {
    let id = parse_id::<InitiativeId>(&id)?;
    let viewer = current_user().await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        let draft = Drafts::text(&mut conn, id, None, viewer.as_ref()).await?;
        let expertise = Expertises::view(&mut conn, id, viewer.as_ref()).await?;
        Ok(Ledger::build(
            draft.title,
            &draft.amendments,
            &expertise.conclusions,
            &query,
        ))
    })
    .await
}

/// The signed-in staff member's law-making queues: moderation and expert assignment
/// (moderators), drafts and remarks of their bodies (officials), the reactions due and
/// the control view per body.
#[server(endpoint = "initiatives/work", input = server_fn::codec::GetUrl)]
pub async fn get_lawmaking_work() -> Result<WorkQueues, AppError> {
    let user = require_user().await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        super::queries::work::work_of(&mut conn, &user, clock::now()).await
    })
    .await
}

/// The supports a concept of each level needs now (public: the proposal form says it).
#[server(endpoint = "initiatives/thresholds", input = server_fn::codec::GetUrl)]
pub async fn get_initiative_thresholds() -> Result<Vec<Threshold>, AppError> {
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Thresholds::all(&mut conn).await
    })
    .await
}

/// Sets the supports a new concept of `level` needs; administrators only. Concepts
/// proposed before keep their threshold.
#[server(endpoint = "initiatives/thresholds/set")]
pub async fn set_initiative_threshold(level: String, supports: String) -> Result<(), AppError> {
    let user = require_role(Role::Admin).await?;
    let level = ThresholdLevel::from_db(level.trim()).ok_or(AppError::BadRequest)?;
    let supports = validate_threshold(&supports)?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Thresholds::set(&mut conn, user.id, level, supports, clock::now()).await
    })
    .await
}
