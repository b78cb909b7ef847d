//! The problems API: public lists, the map, problem pages; reporting, supporting,
//! commenting and following; the moderators' and departments' steps; notifications.
//! Every step is authorised on the server against the locked problem row.

use leptos::prelude::*;
#[cfg(feature = "ssr")]
use platform::ids::parse_id;

use super::model::{
    ModerationBacklog, ProblemDetail, ProblemId, ProblemInput, ProblemPage, ProblemQuery,
    ProblemStatus, ProblemSummary, ReactionStats, StepInput, Workspace,
};

use crate::auth::model::SubjectViewer;
use crate::organisation::model::Department;
use platform::error::AppError;
use platform::geo::MapCluster;

#[cfg(feature = "ssr")]
use {
    super::model::{ProblemAction, validate_action_text},
    super::queries::{Problems, StepDetails},
    crate::auth::model::{Acting, Role},
    crate::auth::session::{WriteLimits, count_write, current_user, require_user},
    crate::geography::queries::municipality_of,
    crate::organisation::model::DepartmentId,
    chrono::{Datelike, NaiveDate},
    civic::comments::validate_comment,
    platform::error::ErrorCode,
    platform::geo::LatLon,
    platform::geo::{Viewport, parse_coordinate},
    platform::{clock, db},
};

/// Problem reports per account and per client address and hour (Open311 counts in the
/// same buckets).
#[cfg(feature = "ssr")]
pub(crate) const REPORTS: WriteLimits = WriteLimits::hourly("problem.report", 10, 60);
#[cfg(feature = "ssr")]
const COMMENTS: WriteLimits = WriteLimits::hourly("problem.comment", 30, 200);
#[cfg(feature = "ssr")]
const SUPPORTS: WriteLimits = WriteLimits::hourly("problem.support", 300, 1000);

/// One page of the public list.
#[server(endpoint = "problems", input = server_fn::codec::GetUrl)]
pub async fn list_problems(
    #[server(default)] query: ProblemQuery,
) -> Result<ProblemPage, AppError> {
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Ok(Problems::list(
            &mut conn,
            &query.filter(),
            query.sort(),
            &query.start(),
            clock::now(),
        )
        .await?)
    })
    .await
}

/// The map's markers for a viewport, clustered on the server.
#[server(endpoint = "problems/map", input = server_fn::codec::GetUrl)]
pub async fn problem_clusters(
    #[server(default)] query: ProblemQuery,
    south: f64,
    west: f64,
    north: f64,
    east: f64,
    zoom: u8,
) -> Result<Vec<MapCluster>, AppError> {
    let viewport =
        Viewport::requested(south, west, north, east, zoom).ok_or(AppError::BadRequest)?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Ok(Problems::clusters(&mut conn, &query.filter(), viewport, clock::now()).await?)
    })
    .await
}

/// Open problems of the theme near the point ("is it one of these?").
#[server(endpoint = "problems/similar", input = server_fn::codec::GetUrl)]
pub async fn similar_problems(
    theme_id: String,
    lat: String,
    lon: String,
) -> Result<Vec<ProblemSummary>, AppError> {
    let theme = theme_id.trim().parse().map_err(|_| AppError::BadRequest)?;
    let point = parse_coordinate(&lat)
        .zip(parse_coordinate(&lon))
        .and_then(|(lat, lon)| LatLon::new(lat, lon))
        .ok_or(AppError::BadRequest)?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Ok(Problems::similar(&mut conn, theme, point, clock::now()).await?)
    })
    .await
}

/// A problem page, with what the viewer may do. Problems in moderation or rejected are
/// visible only to their author and to moderators.
#[server(endpoint = "problem", input = server_fn::codec::GetUrl)]
pub async fn get_problem(id: String) -> Result<(ProblemDetail, SubjectViewer), AppError> {
    let id = parse_id::<ProblemId>(&id)?;
    let viewer = current_user().await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        let detail = Problems::detail(&mut conn, id, clock::now()).await?;
        let state = SubjectViewer::load(
            &mut conn,
            viewer.as_ref(),
            id.subject(),
            detail.author_id,
            detail.summary.department_id,
        )
        .await?
        .supervising(viewer.as_ref(), detail.escalated_to);
        if !detail
            .summary
            .status
            .visible_to(state.is_author, state.is_moderator)
        {
            return Err(AppError::NotFound);
        }
        Ok((detail, state))
    })
    .await
}

/// Reports a problem as the signed-in user; returns its number.
#[server(endpoint = "problems/report")]
pub async fn report_problem(input: ProblemInput) -> Result<ProblemId, AppError> {
    let user = require_user().await?;
    let valid = input
        .validate()
        .map_err(|errors| AppError::Invalid { errors })?;
    count_write(REPORTS, Some(user.id)).await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        let municipality = municipality_of(&mut conn, valid.point).await?;
        use diesel_async::AsyncConnection;
        conn.transaction(async move |conn| {
            Problems::create(conn, user.id, &valid, municipality, "web", clock::now()).await
        })
        .await
    })
    .await
}

/// Takes one step of a problem's life. `action` is a `ProblemAction` name; the other
/// arguments are the step's particulars (empty when unused).
#[server(endpoint = "problems/step")]
pub async fn problem_step(
    id: String,
    action: String,
    #[server(default)] input: StepInput,
) -> Result<ProblemStatus, AppError> {
    let user = require_user().await?;
    take_step(&db::pool()?, user.acting(), &id, &action, input).await
}

/// Takes step `action` (a `ProblemAction` name, not the scheduler's `close`) of problem
/// `id` for `acting`: the one path of the app's step form and the departments' answers
/// API, so both refuse the same way.
#[cfg(feature = "ssr")]
pub(crate) async fn take_step(
    pool: &db::DbPool,
    acting: Acting,
    id: &str,
    action: &str,
    input: StepInput,
) -> Result<ProblemStatus, AppError> {
    let StepInput {
        text,
        planned_for,
        department_id,
        original_id,
        theme_id,
        lat,
        lon,
        photos,
    } = input;
    let photo_tokens =
        crate::photos::parse_tokens(&photos).map_err(|code| AppError::invalid("photos", code))?;
    let id = parse_id::<ProblemId>(id)?;
    let action = ProblemAction::ALL
        .into_iter()
        .find(|candidate| candidate.as_db() == action.trim())
        .filter(|action| *action != ProblemAction::Close)
        .ok_or(AppError::BadRequest)?;
    let text = validate_action_text(action, &text)?;
    let planned_for = match planned_for.trim() {
        "" => None,
        date => Some(
            NaiveDate::parse_from_str(date, "%Y-%m-%d")
                .map_err(|_| AppError::invalid("planned_for", ErrorCode::Malformed))?,
        ),
    };
    if let Some(date) = planned_for
        && date.year() > clock::now().year() + 5
    {
        return Err(AppError::invalid("planned_for", ErrorCode::NotAllowed));
    }
    let department: Option<DepartmentId> = match department_id.trim() {
        "" => None,
        text => Some(
            text.parse()
                .map_err(|_| AppError::invalid("department_id", ErrorCode::UnknownDepartment))?,
        ),
    };
    let original: Option<ProblemId> = match original_id.trim().trim_start_matches('#') {
        "" => None,
        text => Some(
            text.parse()
                .map_err(|_| AppError::invalid("original", ErrorCode::Malformed))?,
        ),
    };
    let theme = match theme_id.trim() {
        "" => None,
        text => Some(
            text.parse()
                .map_err(|_| AppError::invalid("theme_id", ErrorCode::UnknownTheme))?,
        ),
    };
    let point = match (lat.trim(), lon.trim()) {
        ("", "") => None,
        (lat, lon) => Some(
            parse_coordinate(lat)
                .zip(parse_coordinate(lon))
                .and_then(|(lat, lon)| LatLon::new(lat, lon))
                .filter(|point| platform::geo::in_region(*point))
                .ok_or_else(|| AppError::invalid("point", ErrorCode::OutsideRegion))?,
        ),
    };
    db::run(pool, move |mut conn| async move {
        let point = match point {
            Some(point) => Some((point, municipality_of(&mut conn, point).await?)),
            None => None,
        };
        let details = StepDetails {
            text,
            planned_for,
            department,
            original,
            theme,
            point,
            photo_tokens,
        };
        Problems::step(&mut conn, id, acting, action, details, clock::now()).await
    })
    .await
}

/// Supports (`support = true`) or withdraws support; returns the new count.
#[server(endpoint = "problems/support")]
pub async fn set_support(id: String, support: bool) -> Result<u32, AppError> {
    let user = require_user().await?;
    let id = parse_id::<ProblemId>(&id)?;
    count_write(SUPPORTS, Some(user.id)).await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Problems::set_support(&mut conn, id, user.id, support, clock::now()).await
    })
    .await
}

/// Follows or stops following a problem.
#[server(endpoint = "problems/subscribe")]
pub async fn set_subscription(id: String, subscribe: bool) -> Result<(), AppError> {
    let user = require_user().await?;
    let id = parse_id::<ProblemId>(&id)?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        let (status, author) = Problems::status_and_author(&mut conn, id).await?;
        // Following a problem the user may not see would reveal it exists and, through
        // its steps, what becomes of it; leaving is always allowed.
        if subscribe && !status.visible_to(author == user.id, user.has_role(Role::Moderator)) {
            return Err(AppError::NotFound);
        }
        Ok(Problems::set_subscription(&mut conn, id, user.id, subscribe, clock::now()).await?)
    })
    .await
}

/// Comments on a public problem.
#[server(endpoint = "problems/comment")]
pub async fn add_comment(id: String, comment: String) -> Result<(), AppError> {
    let user = require_user().await?;
    let id = parse_id::<ProblemId>(&id)?;
    let body = validate_comment(&comment)?;
    count_write(COMMENTS, Some(user.id)).await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Problems::add_comment(&mut conn, id, user.id, &body, clock::now()).await
    })
    .await
}

/// The signed-in user's own problems (all statuses).
#[server(endpoint = "problems/mine", input = server_fn::codec::GetUrl)]
pub async fn my_problems() -> Result<Vec<ProblemSummary>, AppError> {
    let user = require_user().await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Ok(Problems::by_author(&mut conn, user.id, 100).await?)
    })
    .await
}

/// The moderators' queue.
#[server(endpoint = "manage/moderation", input = server_fn::codec::GetUrl)]
pub async fn moderation_queue() -> Result<ModerationBacklog, AppError> {
    let user = require_user().await?;
    if !user.has_role(Role::Moderator) {
        return Err(AppError::Forbidden);
    }
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Ok(ModerationBacklog {
            rows: Problems::moderation_queue(&mut conn, 200).await?,
            now: clock::now(),
        })
    })
    .await
}

/// The workspace of one of the user's departments (the first when `department_id` is
/// empty). Officials see their own departments; moderators and admins any.
#[server(endpoint = "manage/workspace", input = server_fn::codec::GetUrl)]
pub async fn department_workspace(department_id: String) -> Result<Option<Workspace>, AppError> {
    let user = require_user().await?;
    let own = user.official_departments();
    let oversees = user.has_role(Role::Moderator) || user.has_role(Role::Admin);
    let department = match department_id.trim() {
        "" => match own.first() {
            Some(first) => *first,
            None if oversees => return Ok(None),
            None => return Err(AppError::Forbidden),
        },
        text => text.parse().map_err(|_| AppError::NotFound)?,
    };
    if !own.contains(&department) && !oversees {
        return Err(AppError::Forbidden);
    }
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Ok(Some(
            Problems::workspace(&mut conn, department, clock::now(), 200).await?,
        ))
    })
    .await
}

/// A department's public reaction record: this month and the last 12 months.
#[server(endpoint = "departments/stats", input = server_fn::codec::GetUrl)]
pub async fn department_stats(
    slug: String,
) -> Result<(Department, ReactionStats, ReactionStats), AppError> {
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        let department = Department::find_by_slug(&mut conn, slug.trim())
            .await?
            .ok_or(AppError::NotFound)?;
        let now = clock::now();
        let month_start = now
            .date()
            .with_day(1)
            .unwrap_or(now.date())
            .and_time(chrono::NaiveTime::MIN);
        let year_ago = month_start
            .checked_sub_months(chrono::Months::new(11))
            .unwrap_or(month_start);
        let month =
            Problems::reaction_stats(&mut conn, department.id, month_start, now, now).await?;
        let year = Problems::reaction_stats(&mut conn, department.id, year_ago, now, now).await?;
        Ok((department, month, year))
    })
    .await
}
