//! The service ratings' API: public reads, a citizen's rating, a provider's answer, and
//! the moderators' catalogue. Staff changes are audited in their transaction.

use leptos::prelude::*;
#[cfg(feature = "ssr")]
use platform::ids::parse_id;

use super::model::{RatingInput, ServiceDetail, ServiceInput, ServicesOverview};
use platform::error::AppError;

#[cfg(feature = "ssr")]
use {
    super::model::{OfferingId, ServiceId, month_of, parse_month},
    super::queries::{Services, Snapshots},
    crate::auth::model::{MODERATORS, Role},
    crate::auth::session::{
        WriteLimits, count_write, current_user, require_any_role, require_user,
    },
    crate::organisation::model::DepartmentId,
    civic::comments::{Comments, validate_comment},
    platform::error::ErrorCode,
    platform::{clock, db},
};

/// Ratings a person may give or change in an hour, and from one address.
#[cfg(feature = "ssr")]
const RATINGS: WriteLimits = WriteLimits::hourly("service.rate", 30, 200);

/// The region's month open for rating now.
#[cfg(feature = "ssr")]
fn open_month() -> chrono::NaiveDate {
    month_of(clock::region_date(clock::now()))
}

/// The catalogue and the snapshot of `month` (`2026-11`; empty or unknown: the newest).
#[server(endpoint = "services", input = server_fn::codec::GetUrl)]
pub async fn load_services(month: String) -> Result<ServicesOverview, AppError> {
    let pool = db::pool()?;
    let asked = parse_month(&month);
    db::run(&pool, move |mut conn| async move {
        let conn = &mut conn;
        let services = Services::catalogue(conn).await?;
        let months = Snapshots::months(conn).await?;
        let shown = asked
            .filter(|month| months.contains(month))
            .or_else(|| months.first().copied());
        let (snapshot, rows) = match shown {
            Some(month) => (
                Snapshots::summary(conn, month).await?,
                Snapshots::rows(conn, month).await?,
            ),
            None => (None, Vec::new()),
        };
        Ok(ServicesOverview {
            services,
            snapshot,
            rows,
            months,
            open_month: open_month(),
        })
    })
    .await
}

/// One service: its providers' history, the open month's counts, the reader's own
/// ratings and the discussion.
#[server(endpoint = "services/detail", input = server_fn::codec::GetUrl)]
pub async fn load_service(id: String) -> Result<ServiceDetail, AppError> {
    let id = parse_id::<ServiceId>(&id)?;
    let reader = current_user().await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        let conn = &mut conn;
        let service = Services::get(conn, id).await?.ok_or(AppError::NotFound)?;
        let open_month = open_month();
        let own = match &reader {
            Some(user) => Services::own_ratings(conn, user.id, id, open_month).await?,
            None => Vec::new(),
        };
        let answerable: Vec<DepartmentId> = reader
            .as_ref()
            .map(|user| user.official_departments())
            .unwrap_or_default()
            .into_iter()
            .filter(|department| {
                service
                    .offerings
                    .iter()
                    .any(|offering| offering.department_id == *department)
            })
            .collect();
        Ok(ServiceDetail {
            history: Snapshots::history(conn, id).await?,
            open_counts: Services::counts(conn, id, open_month).await?,
            comments: Comments::page(
                conn,
                id.subject(),
                reader.as_ref().map(|user| user.id),
                None,
            )
            .await?
            .threads,
            rated: Services::rated_comments(conn, id).await?,
            own,
            answerable,
            signed_in: reader.is_some(),
            moderator: reader
                .as_ref()
                .is_some_and(|user| user.has_role(Role::Moderator)),
            open_month,
            service,
        })
    })
    .await
}

/// Rates a service as one provider gave it this month, or changes this month's rating.
#[server(endpoint = "services/rate")]
pub async fn rate_service(input: RatingInput) -> Result<(), AppError> {
    let user = require_user().await?;
    let rating = input
        .validate(open_month())
        .map_err(|errors| AppError::Invalid { errors })?;
    count_write(RATINGS, Some(user.id)).await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Services::rate(&mut conn, user.id, &rating, clock::now())
            .await
            .map(drop)
    })
    .await
}

/// The provider's public answer to a rating's review, by an official of the rated
/// department.
#[server(endpoint = "services/answer")]
pub async fn answer_rating(review: String, comment: String) -> Result<(), AppError> {
    let user = require_user().await?;
    let review = crate::discussion::server_fns::parse_comment_id(&review)?;
    let body = validate_comment(&comment)?;
    let departments = user.official_departments();
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Services::answer(
            &mut conn,
            user.id,
            &departments,
            review,
            &body,
            clock::now(),
        )
        .await
        .map(drop)
    })
    .await
}

/// Creates a service (empty `id`) or changes one. Moderators only.
#[server(endpoint = "manage/services/save")]
pub async fn save_service(id: String, input: ServiceInput) -> Result<(), AppError> {
    let moderator = require_any_role(MODERATORS).await?;
    let valid = input
        .validate()
        .map_err(|errors| AppError::Invalid { errors })?;
    let id: Option<ServiceId> = match id.trim() {
        "" => None,
        text => Some(parse_id::<ServiceId>(text)?),
    };
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Services::save(&mut conn, Some(moderator.id), id, &valid, clock::now())
            .await
            .map(drop)
    })
    .await
}

/// Adds a department as a provider of a service. Moderators only.
#[server(endpoint = "manage/services/offering")]
pub async fn add_offering(service: String, department: String) -> Result<(), AppError> {
    let moderator = require_any_role(MODERATORS).await?;
    let service = parse_id::<ServiceId>(&service)?;
    let department: DepartmentId = department
        .trim()
        .parse()
        .map_err(|_| AppError::invalid("department", ErrorCode::Required))?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        let now = clock::now();
        Services::add_offering(&mut conn, Some(moderator.id), service, department, now)
            .await
            .map(drop)
    })
    .await
}

/// Opens or closes a service's provider for rating. Moderators only.
#[server(endpoint = "manage/services/offering/active")]
pub async fn set_offering_active(offering: String, active: bool) -> Result<(), AppError> {
    let moderator = require_any_role(MODERATORS).await?;
    let offering: OfferingId = offering.trim().parse().map_err(|_| AppError::NotFound)?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Services::set_offering_active(&mut conn, moderator.id, offering, active, clock::now()).await
    })
    .await
}
