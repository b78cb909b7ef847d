//! The service catalogue, citizens' ratings and the monthly snapshots in the database.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{Date, Unsigned};
use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl};
use serde_json::json;

use super::model::{
    ANSWERED, GOV_SERVICE, GovService, HistoryPoint, ImportPlace, ImportRow, ImportSummary, Marks,
    Offering, OfferingId, OwnRating, RankMethod, RatedComment, RatingTally, ServiceId,
    SnapshotSummary, Standing, StandingRow, ValidRating, ValidService, rank_month,
};
use crate::organisation::model::{DepartmentId, DepartmentLevel};
use civic::audit::{AuditEntry, AuditEvent};
use civic::comments::{CommentId, Comments};
use civic::notifications::Notifications;
use platform::db::schema::{
    comments, departments, gov_services, service_offerings, service_rank_rows,
    service_rank_snapshots, service_ratings,
};
use platform::db::{INSERT_CHUNK, claimed, is_unique_violation, last_insert_id};
use platform::error::{AppError, ErrorCode, FieldError};
use platform::ids::UserId;

#[derive(Queryable, Selectable)]
#[diesel(table_name = gov_services, check_for_backend(diesel::mysql::Mysql))]
struct ServiceRow {
    id: ServiceId,
    slug: String,
    name_ru: String,
    name_en: String,
    description_ru: String,
    description_en: String,
    level: String,
    is_active: bool,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = service_offerings, check_for_backend(diesel::mysql::Mysql))]
struct OfferingRow {
    id: OfferingId,
    service_id: ServiceId,
    department_id: DepartmentId,
    is_active: bool,
}

#[derive(Insertable, AsChangeset)]
#[diesel(table_name = gov_services)]
struct ServiceChanges<'a> {
    slug: &'a str,
    name_ru: &'a str,
    name_en: &'a str,
    description_ru: &'a str,
    description_en: &'a str,
    level: &'a str,
    is_active: bool,
    updated_at: NaiveDateTime,
}

impl<'a> ServiceChanges<'a> {
    fn of(service: &'a ValidService, now: NaiveDateTime) -> Self {
        Self {
            slug: &service.names.slug,
            name_ru: &service.names.name_ru,
            name_en: &service.names.name_en,
            description_ru: &service.names.description_ru,
            description_en: &service.names.description_en,
            level: service.level.as_db(),
            is_active: service.is_active,
            updated_at: now,
        }
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = service_rank_snapshots, check_for_backend(diesel::mysql::Mysql))]
struct SnapshotRow {
    month: NaiveDate,
    method_version: u16,
    prior_weight: u32,
    min_ratings: u32,
    ratings: u32,
    built_at: NaiveDateTime,
}

impl From<SnapshotRow> for SnapshotSummary {
    fn from(row: SnapshotRow) -> Self {
        SnapshotSummary {
            month: row.month,
            method: RankMethod {
                version: row.method_version,
                prior_weight: row.prior_weight,
                min_ratings: row.min_ratings,
            },
            ratings: row.ratings,
            built_at: row.built_at,
        }
    }
}

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = service_rank_rows, check_for_backend(diesel::mysql::Mysql))]
struct RankRow {
    offering_id: OfferingId,
    ratings: u32,
    mean_quality: f64,
    mean_convenience: f64,
    mean_speed: f64,
    service_mean: f64,
    score: f64,
    rank_in_service: Option<u32>,
    rank_overall: Option<u32>,
}

impl From<RankRow> for Standing {
    fn from(row: RankRow) -> Self {
        Standing {
            offering: row.offering_id,
            ratings: row.ratings,
            mean_quality: row.mean_quality,
            mean_convenience: row.mean_convenience,
            mean_speed: row.mean_speed,
            service_mean: row.service_mean,
            score: row.score,
            rank_in_service: row.rank_in_service,
            rank_overall: row.rank_overall,
        }
    }
}

impl From<&Standing> for RankRow {
    fn from(standing: &Standing) -> Self {
        RankRow {
            offering_id: standing.offering,
            ratings: standing.ratings,
            mean_quality: standing.mean_quality,
            mean_convenience: standing.mean_convenience,
            mean_speed: standing.mean_speed,
            service_mean: standing.service_mean,
            score: standing.score,
            rank_in_service: standing.rank_in_service,
            rank_overall: standing.rank_overall,
        }
    }
}

/// The catalogue and the ratings.
pub struct Services;

impl Services {
    /// Every service with its offerings, active ones first, then by Russian name.
    pub async fn catalogue(conn: &mut AsyncMysqlConnection) -> QueryResult<Vec<GovService>> {
        let services: Vec<ServiceRow> = gov_services::table
            .order((gov_services::is_active.desc(), gov_services::name_ru.asc()))
            .select(ServiceRow::as_select())
            .load(conn)
            .await?;
        let offerings: Vec<OfferingRow> = service_offerings::table
            .order(service_offerings::id.asc())
            .select(OfferingRow::as_select())
            .load(conn)
            .await?;
        Ok(assemble(services, offerings))
    }

    /// Service `id` with its offerings.
    pub async fn get(
        conn: &mut AsyncMysqlConnection,
        id: ServiceId,
    ) -> QueryResult<Option<GovService>> {
        let Some(service) = gov_services::table
            .find(id)
            .select(ServiceRow::as_select())
            .first(conn)
            .await
            .optional()?
        else {
            return Ok(None);
        };
        let offerings: Vec<OfferingRow> = service_offerings::table
            .filter(service_offerings::service_id.eq(id))
            .order(service_offerings::id.asc())
            .select(OfferingRow::as_select())
            .load(conn)
            .await?;
        Ok(assemble(vec![service], offerings).pop())
    }

    /// Adds `service` (`id` empty) or changes service `id`, and audits it as `actor`'s
    /// (`None`: the system) in the same transaction; a taken slug is refused.
    pub async fn save(
        conn: &mut AsyncMysqlConnection,
        actor: Option<UserId>,
        id: Option<ServiceId>,
        service: &ValidService,
        now: NaiveDateTime,
    ) -> Result<ServiceId, AppError> {
        let slug_taken = |error: diesel::result::Error| {
            if is_unique_violation(&error) {
                AppError::invalid("slug", ErrorCode::Duplicate)
            } else {
                error.into()
            }
        };
        conn.transaction(async move |conn| {
            let (action, id) = match id {
                Some(id) => {
                    let changed = diesel::update(gov_services::table.find(id))
                        .set(ServiceChanges::of(service, now))
                        .execute(conn)
                        .await
                        .map_err(slug_taken)?;
                    if changed == 0 {
                        return Err(AppError::NotFound);
                    }
                    ("service.update", id)
                }
                None => {
                    diesel::insert_into(gov_services::table)
                        .values((
                            ServiceChanges::of(service, now),
                            gov_services::created_at.eq(now),
                        ))
                        .execute(conn)
                        .await
                        .map_err(slug_taken)?;
                    ("service.create", ServiceId(last_insert_id(conn).await?))
                }
            };
            let details = json!({"slug": service.names.slug, "name_ru": service.names.name_ru, "level": service.level.as_db(), "active": service.is_active});
            audit(conn, actor, action, id, details, now).await?;
            Ok(id)
        })
        .await
    }

    /// Adds `department` as a provider of `service`: a regional service is provided by
    /// regional departments, a municipal one by municipal ones.
    /// Audited as `actor`'s in the same transaction.
    pub async fn add_offering(
        conn: &mut AsyncMysqlConnection,
        actor: Option<UserId>,
        service: ServiceId,
        department: DepartmentId,
        now: NaiveDateTime,
    ) -> Result<OfferingId, AppError> {
        conn.transaction(async move |conn| {
            let level: String = gov_services::table
                .find(service)
                .select(gov_services::level)
                .first(conn)
                .await
                .optional()?
                .ok_or(AppError::NotFound)?;
            let department_level: String = departments::table
                .find(department)
                .filter(departments::is_active.eq(true))
                .select(departments::level)
                .first(conn)
                .await
                .optional()?
                .ok_or(AppError::invalid(
                    "department",
                    ErrorCode::UnknownDepartment,
                ))?;
            if DepartmentLevel::from_db(&level) != DepartmentLevel::from_db(&department_level) {
                return Err(AppError::invalid("department", ErrorCode::NotAllowed));
            }
            diesel::insert_into(service_offerings::table)
                .values((
                    service_offerings::service_id.eq(service),
                    service_offerings::department_id.eq(department),
                    service_offerings::is_active.eq(true),
                    service_offerings::created_at.eq(now),
                ))
                .execute(conn)
                .await
                .map_err(|error| {
                    if is_unique_violation(&error) {
                        AppError::invalid("department", ErrorCode::Duplicate)
                    } else {
                        error.into()
                    }
                })?;
            let offering = OfferingId(last_insert_id(conn).await?);
            let details = json!({"offering": offering.0, "department": department.0});
            audit(conn, actor, "service.offering.add", service, details, now).await?;
            Ok(offering)
        })
        .await
    }

    /// Adds and changes the services of an accepted catalogue spreadsheet and adds their
    /// providers, in one transaction, each change audited as `actor`'s: a row's code finds
    /// the service it changes (an unknown code adds one, open for rating; a known service
    /// stays open or closed as it was), and its providers, departments' codes of the
    /// service's level, are added where missing (none is removed). A refused row refuses
    /// the whole file, named by its row and field, and nothing is written.
    pub async fn import(
        conn: &mut AsyncMysqlConnection,
        actor: UserId,
        rows: &[ImportRow],
        now: NaiveDateTime,
    ) -> Result<ImportSummary, AppError> {
        let rows = rows.to_vec();
        conn.transaction(async move |conn| {
            let known: Vec<(ServiceId, String, bool)> = gov_services::table
                .select((
                    gov_services::id,
                    gov_services::slug,
                    gov_services::is_active,
                ))
                .load(conn)
                .await?;
            let active_departments: Vec<(DepartmentId, String)> = departments::table
                .filter(departments::is_active.eq(true))
                .select((departments::id, departments::slug))
                .load(conn)
                .await?;
            // Unknown departments refuse the file before anything is written.
            let mut errors = Vec::new();
            let mut providers_of = Vec::with_capacity(rows.len());
            for row in &rows {
                let mut providers = Vec::new();
                for code in &row.providers {
                    match active_departments.iter().find(|(_, slug)| slug == code) {
                        Some((id, _)) => providers.push(*id),
                        None => errors.push(FieldError::new(
                            ImportPlace::Cell {
                                row: row.row,
                                field: "providers",
                            }
                            .field_name(),
                            ErrorCode::UnknownDepartment,
                        )),
                    }
                }
                providers_of.push(providers);
            }
            if !errors.is_empty() {
                return Err(AppError::Invalid { errors });
            }
            let mut summary = ImportSummary::default();
            for (row, providers) in rows.iter().zip(providers_of) {
                let existing = known
                    .iter()
                    .find(|(_, slug, _)| *slug == row.service.names.slug);
                let mut service = row.service.clone();
                if let Some((_, _, is_active)) = existing {
                    service.is_active = *is_active;
                }
                let id = Self::save(conn, Some(actor), existing.map(|e| e.0), &service, now)
                    .await
                    .map_err(|error| at_row(row.row, error))?;
                match existing {
                    Some(_) => summary.updated += 1,
                    None => summary.created += 1,
                }
                let offered: Vec<DepartmentId> = service_offerings::table
                    .filter(service_offerings::service_id.eq(id))
                    .select(service_offerings::department_id)
                    .load(conn)
                    .await?;
                for department in providers {
                    if offered.contains(&department) {
                        continue;
                    }
                    Self::add_offering(conn, Some(actor), id, department, now)
                        .await
                        .map_err(|error| at_row(row.row, error))?;
                    summary.providers_added += 1;
                }
            }
            Ok(summary)
        })
        .await
    }

    /// Opens or closes `offering` for rating, audited as `actor`'s.
    pub async fn set_offering_active(
        conn: &mut AsyncMysqlConnection,
        actor: UserId,
        offering: OfferingId,
        active: bool,
        now: NaiveDateTime,
    ) -> Result<(), AppError> {
        conn.transaction(async move |conn| {
            let service: ServiceId = service_offerings::table
                .find(offering)
                .select(service_offerings::service_id)
                .first(conn)
                .await
                .optional()?
                .ok_or(AppError::NotFound)?;
            diesel::update(service_offerings::table.find(offering))
                .set(service_offerings::is_active.eq(active))
                .execute(conn)
                .await?;
            let details = json!({"offering": offering.0, "active": active});
            audit(
                conn,
                Some(actor),
                "service.offering.active",
                service,
                details,
                now,
            )
            .await?;
            Ok(())
        })
        .await
    }

    /// The provider's public answer to a rating's review: a reply in the service's
    /// discussion by `official`, who must be an official of the rated department (one of
    /// `departments`); audited.
    pub async fn answer(
        conn: &mut AsyncMysqlConnection,
        official: UserId,
        departments: &[DepartmentId],
        review: CommentId,
        body: &str,
        now: NaiveDateTime,
    ) -> Result<CommentId, AppError> {
        conn.transaction(async move |conn| {
            let (service, department): (ServiceId, DepartmentId) = service_ratings::table
                .inner_join(service_offerings::table)
                .filter(service_ratings::comment_id.eq(review))
                .select((
                    service_offerings::service_id,
                    service_offerings::department_id,
                ))
                .first(conn)
                .await
                .optional()?
                .ok_or(AppError::NotFound)?;
            if !departments.contains(&department) {
                return Err(AppError::Forbidden);
            }
            let answer = Comments::add(
                conn,
                service.subject(),
                official,
                body,
                None,
                Some(review),
                now,
            )
            .await?;
            let reviewer: UserId = comments::table
                .find(review)
                .select(comments::author_id)
                .first(conn)
                .await?;
            if reviewer != official {
                Notifications::to_user(conn, reviewer, service.subject(), ANSWERED, now).await?;
            }
            let details =
                json!({"review": review.0, "department": department.0, "answer": answer.0});
            audit(
                conn,
                Some(official),
                "service.answer",
                service,
                details,
                now,
            )
            .await?;
            Ok(answer)
        })
        .await
    }

    /// Records `user`'s rating, or changes their rating of the same offering and month.
    /// A comment is added to the service's discussion once per rating; a second one is
    /// refused before anything is written. Returns the service rated.
    pub async fn rate(
        conn: &mut AsyncMysqlConnection,
        user: UserId,
        rating: &ValidRating,
        now: NaiveDateTime,
    ) -> Result<ServiceId, AppError> {
        conn.transaction(async move |conn| {
            let open: Option<(ServiceId, bool, bool)> = service_offerings::table
                .inner_join(gov_services::table)
                .filter(service_offerings::id.eq(rating.offering))
                .select((
                    service_offerings::service_id,
                    service_offerings::is_active,
                    gov_services::is_active,
                ))
                .first(conn)
                .await
                .optional()?;
            let service = match open {
                None => return Err(AppError::invalid("offering", ErrorCode::Required)),
                Some((service, true, true)) => service,
                Some(_) => return Err(AppError::invalid("offering", ErrorCode::NotAllowed)),
            };
            let one = || {
                service_ratings::table
                    .filter(service_ratings::offering_id.eq(rating.offering))
                    .filter(service_ratings::user_id.eq(user))
                    .filter(service_ratings::month.eq(rating.month))
            };
            let Marks {
                quality,
                convenience,
                speed,
            } = rating.marks;
            // One statement on the rating's unique key: two taps at once queue on the key
            // instead of both inserting.
            diesel::insert_into(service_ratings::table)
                .values((
                    service_ratings::offering_id.eq(rating.offering),
                    service_ratings::user_id.eq(user),
                    service_ratings::month.eq(rating.month),
                    service_ratings::quality.eq(quality),
                    service_ratings::convenience.eq(convenience),
                    service_ratings::speed.eq(speed),
                    service_ratings::created_at.eq(now),
                    service_ratings::updated_at.eq(now),
                ))
                .on_conflict(diesel::dsl::DuplicatedKeys)
                .do_update()
                .set((
                    service_ratings::quality.eq(quality),
                    service_ratings::convenience.eq(convenience),
                    service_ratings::speed.eq(speed),
                    service_ratings::updated_at.eq(now),
                ))
                .execute(conn)
                .await?;
            let commenting = !rating.comment.is_empty();
            let review: Option<CommentId> = one()
                .select(service_ratings::comment_id)
                .first(conn)
                .await?;
            if commenting && review.is_some() {
                // Returning the error rolls the marks back too: nothing is written.
                return Err(AppError::invalid("comment", ErrorCode::Duplicate));
            }
            if commenting {
                let comment = Comments::add(
                    conn,
                    service.subject(),
                    user,
                    &rating.comment,
                    None,
                    None,
                    now,
                )
                .await?;
                diesel::update(one())
                    .set(service_ratings::comment_id.eq(comment))
                    .execute(conn)
                    .await?;
            }
            Ok(service)
        })
        .await
    }

    /// `user`'s ratings of `service`'s offerings for `month`.
    pub async fn own_ratings(
        conn: &mut AsyncMysqlConnection,
        user: UserId,
        service: ServiceId,
        month: NaiveDate,
    ) -> QueryResult<Vec<OwnRating>> {
        let rows: Vec<(OfferingId, u8, u8, u8, Option<CommentId>)> = service_ratings::table
            .inner_join(service_offerings::table)
            .filter(service_offerings::service_id.eq(service))
            .filter(service_ratings::user_id.eq(user))
            .filter(service_ratings::month.eq(month))
            .select((
                service_ratings::offering_id,
                service_ratings::quality,
                service_ratings::convenience,
                service_ratings::speed,
                service_ratings::comment_id,
            ))
            .load(conn)
            .await?;
        Ok(rows
            .into_iter()
            .map(
                |(offering, quality, convenience, speed, comment)| OwnRating {
                    offering,
                    marks: Marks {
                        quality,
                        convenience,
                        speed,
                    },
                    commented: comment.is_some(),
                },
            )
            .collect())
    }

    /// How many ratings each of `service`'s offerings has for `month` so far.
    pub async fn counts(
        conn: &mut AsyncMysqlConnection,
        service: ServiceId,
        month: NaiveDate,
    ) -> QueryResult<Vec<(OfferingId, u32)>> {
        let counts: Vec<(OfferingId, i64)> = service_ratings::table
            .inner_join(service_offerings::table)
            .filter(service_offerings::service_id.eq(service))
            .filter(service_ratings::month.eq(month))
            .group_by(service_ratings::offering_id)
            .select((service_ratings::offering_id, diesel::dsl::count_star()))
            .load(conn)
            .await?;
        Ok(counts
            .into_iter()
            .map(|(offering, count)| (offering, u32::try_from(count).unwrap_or(u32::MAX)))
            .collect())
    }

    /// The ratings of `service` that carry a comment, with their marks.
    pub async fn rated_comments(
        conn: &mut AsyncMysqlConnection,
        service: ServiceId,
    ) -> QueryResult<Vec<RatedComment>> {
        let rows: Vec<(Option<CommentId>, DepartmentId, NaiveDate, u8, u8, u8)> =
            service_ratings::table
                .inner_join(service_offerings::table)
                .filter(service_offerings::service_id.eq(service))
                .filter(service_ratings::comment_id.is_not_null())
                .select((
                    service_ratings::comment_id,
                    service_offerings::department_id,
                    service_ratings::month,
                    service_ratings::quality,
                    service_ratings::convenience,
                    service_ratings::speed,
                ))
                .load(conn)
                .await?;
        Ok(rows
            .into_iter()
            .filter_map(
                |(comment, department_id, month, quality, convenience, speed)| {
                    Some(RatedComment {
                        comment: comment?,
                        department_id,
                        month,
                        marks: Marks {
                            quality,
                            convenience,
                            speed,
                        },
                    })
                },
            )
            .collect())
    }
}

/// A refusal of one import row's service or provider, named by the row (a provider's
/// `department` becomes the row's `providers`); other errors pass unchanged.
fn at_row(row: u32, error: AppError) -> AppError {
    match error {
        AppError::Invalid { errors } => AppError::Invalid {
            errors: errors
                .into_iter()
                .map(|error| {
                    let field = match error.field.as_str() {
                        "department" => "providers",
                        other => other,
                    };
                    FieldError::new(ImportPlace::Cell { row, field }.field_name(), error.code)
                })
                .collect(),
        },
        other => other,
    }
}

/// Records a staff change of service `service` (or of its offerings) in the audit log.
async fn audit(
    conn: &mut AsyncMysqlConnection,
    actor: Option<UserId>,
    action: &str,
    service: ServiceId,
    details: serde_json::Value,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let event = AuditEvent {
        actor,
        action,
        target_kind: GOV_SERVICE.as_str(),
        target_id: Some(service.0),
        details,
    };
    AuditEntry::record(conn, event, now).await
}

/// The catalogue's rows put together: each service with its offerings.
fn assemble(services: Vec<ServiceRow>, offerings: Vec<OfferingRow>) -> Vec<GovService> {
    let mut by_service: BTreeMap<ServiceId, Vec<Offering>> = BTreeMap::new();
    for row in offerings {
        by_service
            .entry(row.service_id)
            .or_default()
            .push(Offering {
                id: row.id,
                department_id: row.department_id,
                is_active: row.is_active,
            });
    }
    services
        .into_iter()
        .map(|row| GovService {
            offerings: by_service.remove(&row.id).unwrap_or_default(),
            id: row.id,
            slug: row.slug,
            name_ru: row.name_ru,
            name_en: row.name_en,
            description_ru: row.description_ru,
            description_en: row.description_en,
            // The CHECK constraint admits only the two levels.
            level: DepartmentLevel::from_db(&row.level).unwrap_or(DepartmentLevel::Regional),
            is_active: row.is_active,
        })
        .collect()
}

#[derive(QueryableByName)]
struct TallyRow {
    #[diesel(sql_type = Unsigned<diesel::sql_types::BigInt>)]
    offering_id: u64,
    #[diesel(sql_type = Unsigned<diesel::sql_types::BigInt>)]
    service_id: u64,
    #[diesel(sql_type = Unsigned<diesel::sql_types::BigInt>)]
    ratings: u64,
    #[diesel(sql_type = Unsigned<diesel::sql_types::BigInt>)]
    quality: u64,
    #[diesel(sql_type = Unsigned<diesel::sql_types::BigInt>)]
    convenience: u64,
    #[diesel(sql_type = Unsigned<diesel::sql_types::BigInt>)]
    speed: u64,
}

/// The monthly rank snapshots.
pub struct Snapshots;

impl Snapshots {
    /// Builds the snapshot of `month` with `method`, all of it in one transaction: a
    /// crash leaves no part of it, and of two builders of one month the second waits on
    /// the month's unique key and then finds it built (`None`).
    pub async fn build(
        conn: &mut AsyncMysqlConnection,
        month: NaiveDate,
        method: RankMethod,
        now: NaiveDateTime,
    ) -> Result<Option<SnapshotSummary>, AppError> {
        conn.transaction(async move |conn| {
            let claim = diesel::insert_into(service_rank_snapshots::table)
                .values((
                    service_rank_snapshots::month.eq(month),
                    service_rank_snapshots::method_version.eq(method.version),
                    service_rank_snapshots::prior_weight.eq(method.prior_weight),
                    service_rank_snapshots::min_ratings.eq(method.min_ratings),
                    service_rank_snapshots::ratings.eq(0u32),
                    service_rank_snapshots::built_at.eq(now),
                ))
                .execute(conn)
                .await;
            if !claimed(claim)? {
                return Ok(None);
            }
            let snapshot = last_insert_id(conn).await?;
            let tallies: Vec<RatingTally> = diesel::sql_query(
                "SELECT r.offering_id, o.service_id, COUNT(*) AS ratings, \
                 CAST(SUM(r.quality) AS UNSIGNED) AS quality, \
                 CAST(SUM(r.convenience) AS UNSIGNED) AS convenience, \
                 CAST(SUM(r.speed) AS UNSIGNED) AS speed \
                 FROM service_ratings r JOIN service_offerings o ON o.id = r.offering_id \
                 WHERE r.month = ? GROUP BY r.offering_id, o.service_id ORDER BY r.offering_id",
            )
            .bind::<Date, _>(month)
            .load::<TallyRow>(conn)
            .await?
            .into_iter()
            .map(|row| RatingTally {
                offering: OfferingId(row.offering_id),
                service: ServiceId(row.service_id),
                ratings: clamp(row.ratings),
                quality: clamp(row.quality),
                convenience: clamp(row.convenience),
                speed: clamp(row.speed),
            })
            .collect();
            let standings = rank_month(&tallies, method);
            let rows: Vec<RankRow> = standings.iter().map(RankRow::from).collect();
            for chunk in rows.chunks(INSERT_CHUNK) {
                diesel::insert_into(service_rank_rows::table)
                    .values(
                        chunk
                            .iter()
                            .map(|row| (service_rank_rows::snapshot_id.eq(snapshot), row))
                            .collect::<Vec<_>>(),
                    )
                    .execute(conn)
                    .await?;
            }
            let ratings: u32 = tallies.iter().map(|tally| tally.ratings).sum();
            diesel::update(service_rank_snapshots::table.find(snapshot))
                .set(service_rank_snapshots::ratings.eq(ratings))
                .execute(conn)
                .await?;
            Ok(Some(SnapshotSummary {
                month,
                method,
                ratings,
                built_at: now,
            }))
        })
        .await
    }

    /// The closed months before `open_month` that have ratings and no snapshot, and the
    /// month just closed if it has none (a month without ratings is published empty),
    /// oldest first.
    pub async fn due(
        conn: &mut AsyncMysqlConnection,
        open_month: NaiveDate,
    ) -> QueryResult<Vec<NaiveDate>> {
        #[derive(QueryableByName)]
        struct Due {
            #[diesel(sql_type = Date)]
            month: NaiveDate,
        }
        let just_closed = super::model::previous_month(open_month);
        let due: Vec<Due> = diesel::sql_query(
            "SELECT m.month FROM (SELECT DISTINCT month FROM service_ratings WHERE month < ? \
             UNION SELECT ?) m \
             WHERE NOT EXISTS (SELECT 1 FROM service_rank_snapshots s WHERE s.month = m.month) \
             ORDER BY m.month",
        )
        .bind::<Date, _>(open_month)
        .bind::<Date, _>(just_closed)
        .load(conn)
        .await?;
        Ok(due.into_iter().map(|due| due.month).collect())
    }

    /// Every month with a snapshot, newest first.
    pub async fn months(conn: &mut AsyncMysqlConnection) -> QueryResult<Vec<NaiveDate>> {
        service_rank_snapshots::table
            .order(service_rank_snapshots::month.desc())
            .select(service_rank_snapshots::month)
            .load(conn)
            .await
    }

    /// The snapshot of `month`.
    pub async fn summary(
        conn: &mut AsyncMysqlConnection,
        month: NaiveDate,
    ) -> QueryResult<Option<SnapshotSummary>> {
        service_rank_snapshots::table
            .filter(service_rank_snapshots::month.eq(month))
            .select(SnapshotRow::as_select())
            .first(conn)
            .await
            .optional()
            .map(|row| row.map(SnapshotSummary::from))
    }

    /// The rows of `month`'s snapshot: ranked ones by overall rank, then the rest by
    /// count.
    pub async fn rows(
        conn: &mut AsyncMysqlConnection,
        month: NaiveDate,
    ) -> QueryResult<Vec<StandingRow>> {
        let rows: Vec<(RankRow, ServiceId, DepartmentId)> = service_rank_rows::table
            .inner_join(service_rank_snapshots::table)
            .inner_join(service_offerings::table)
            .filter(service_rank_snapshots::month.eq(month))
            .order((
                service_rank_rows::rank_overall.is_null().asc(),
                service_rank_rows::rank_overall.asc(),
                service_rank_rows::ratings.desc(),
                service_rank_rows::offering_id.asc(),
            ))
            .select((
                RankRow::as_select(),
                service_offerings::service_id,
                service_offerings::department_id,
            ))
            .load(conn)
            .await?;
        Ok(rows
            .into_iter()
            .map(|(row, service, department_id)| StandingRow {
                service,
                department_id,
                standing: row.into(),
            })
            .collect())
    }

    /// Each of `service`'s offerings' figures in every snapshot, oldest month first.
    pub async fn history(
        conn: &mut AsyncMysqlConnection,
        service: ServiceId,
    ) -> QueryResult<Vec<(OfferingId, Vec<HistoryPoint>)>> {
        let rows: Vec<(RankRow, NaiveDate)> = service_rank_rows::table
            .inner_join(service_rank_snapshots::table)
            .inner_join(service_offerings::table)
            .filter(service_offerings::service_id.eq(service))
            .order((
                service_rank_rows::offering_id.asc(),
                service_rank_snapshots::month.asc(),
            ))
            .select((RankRow::as_select(), service_rank_snapshots::month))
            .load(conn)
            .await?;
        let mut history: Vec<(OfferingId, Vec<HistoryPoint>)> = Vec::new();
        for (row, month) in rows {
            let point = HistoryPoint {
                month,
                standing: row.into(),
            };
            match history.last_mut() {
                Some((offering, points)) if *offering == point.standing.offering => {
                    points.push(point)
                }
                _ => history.push((point.standing.offering, vec![point])),
            }
        }
        Ok(history)
    }
}

/// A count from `SUM`/`COUNT` as the snapshot's unsigned 32-bit column.
fn clamp(value: u64) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}
