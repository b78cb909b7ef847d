//! The construction-control API: the public registry, entry pages and reports; the
//! officials' edits, imports and verification steps. Every step is authorised on the
//! server: registry edits against the supervision departments, verification steps against
//! the locked report's department.

mod illegal;

pub use illegal::*;

use leptos::prelude::*;
#[cfg(feature = "ssr")]
use platform::ids::parse_id;

use super::model::{
    Analytics, ConstructionDetail, ConstructionId, ConstructionInput, ConstructionReportId,
    ImportStatus, RegistryPage, RegistryQuery, ReportDetail, ReportQuery, ReportStatus,
    ReportSummary, VerificationInput,
};
use super::model::{ChangeEntry, ReportInput};
use platform::error::AppError;
use platform::geo::MapCluster;

#[cfg(feature = "ssr")]
use {
    super::import::ColumnMapping,
    super::importer::{Imports, spawn_check, spawn_commit},
    super::model::Editor,
    super::model::ImportId,
    super::model::{AnalyticsFilter, ImportPhase, ReportAction, ReportFilter, ReportKind},
    super::queries::registry_scope,
    super::queries::{HistoryOf, Registry, Reports, supervision_theme},
    crate::auth::session::{WriteLimits, count_write, current_user, require_user},
    crate::geography::model::Municipality,
    crate::geography::queries::municipality_of,
    platform::config::AppConfig,
    platform::error::ErrorCode,
    platform::geo::Viewport,
    platform::ids::{DepartmentId, UserId},
    platform::{clock, db},
};

/// Reports per page of the public list and of the verification queue.
pub const REPORTS_PAGE: u32 = 30;

/// One page of the public registry table.
#[server(endpoint = "constructions", input = server_fn::codec::GetUrl)]
pub async fn list_registry(
    #[server(default)] query: RegistryQuery,
) -> Result<RegistryPage, AppError> {
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Ok(Registry::page(&mut conn, &query.filter(), query.sort(), query.page()).await?)
    })
    .await
}

/// The registry map's markers for a viewport, clustered on the server.
#[server(endpoint = "constructions/map", input = server_fn::codec::GetUrl)]
pub async fn registry_clusters(
    #[server(default)] query: RegistryQuery,
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
        Ok(Registry::clusters(&mut conn, &query.filter(), viewport).await?)
    })
    .await
}

/// A registry entry's page.
#[server(endpoint = "construction", input = server_fn::codec::GetUrl)]
pub async fn get_construction(id: String) -> Result<ConstructionDetail, AppError> {
    let id: ConstructionId = parse_id(&id)?;
    let viewer = current_user().await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        let Some(fields) = Registry::fields(&mut conn, id).await? else {
            return Err(AppError::NotFound);
        };
        let can_edit = match &viewer {
            Some(user) => registry_scope(&mut conn, user)
                .await?
                .covers(fields.municipality_id),
            None => false,
        };
        Registry::detail(&mut conn, id, can_edit)
            .await?
            .ok_or(AppError::NotFound)
    })
    .await
}

/// Whether the signed-in user may edit the registry (shows the officials' links).
#[server(endpoint = "constructions/can-edit", input = server_fn::codec::GetUrl)]
pub async fn can_edit_registry() -> Result<bool, AppError> {
    let Some(user) = current_user().await? else {
        return Ok(false);
    };
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Ok(registry_scope(&mut conn, &user).await?.edits_anything())
    })
    .await
}

/// Adds an entry (`id` empty) or changes one; returns its id. Officials of a supervision
/// department only; every change lands in the entry's history and the audit log.
#[server(endpoint = "constructions/save")]
pub async fn save_construction(
    #[server(default)] id: String,
    input: ConstructionInput,
) -> Result<ConstructionId, AppError> {
    let user = require_user().await?;
    let existing: Option<ConstructionId> = match id.trim() {
        "" => None,
        text => Some(parse_id(text)?),
    };
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        // Who may edit is decided before the input is judged: a citizen learns nothing
        // about what a valid entry would be.
        let scope = registry_scope(&mut conn, &user).await?;
        if !scope.edits_anything() {
            return Err(AppError::Forbidden);
        }
        let fields = input
            .validate()
            .map_err(|errors| AppError::Invalid { errors })?;
        if let Some(id) = existing {
            let entry = Registry::fields(&mut conn, id)
                .await?
                .ok_or(AppError::NotFound)?;
            if !scope.covers(entry.municipality_id) {
                return Err(AppError::Forbidden);
            }
        }
        if !Municipality::exists(&mut conn, fields.municipality_id).await? {
            return Err(AppError::invalid(
                "municipality_id",
                ErrorCode::UnknownMunicipality,
            ));
        }
        if !scope.covers(fields.municipality_id) {
            return Err(AppError::invalid("municipality_id", ErrorCode::NotAllowed));
        }
        use diesel_async::AsyncConnection;
        conn.transaction(async move |conn| {
            let now = clock::now();
            let editor = Editor {
                user: user.id,
                import: None,
            };
            let id = match existing {
                None => Registry::create(conn, &fields, editor, now).await?,
                Some(id) => {
                    Registry::update(conn, id, &fields, editor, now).await?;
                    id
                }
            };
            civic::audit::AuditEntry::record(
                conn,
                civic::audit::AuditEvent {
                    actor: Some(user.id),
                    action: if existing.is_some() {
                        "construction.update"
                    } else {
                        "construction.create"
                    },
                    target_kind: "construction",
                    target_id: Some(id.0),
                    details: serde_json::json!({ "registry_number": fields.registry_number }),
                },
                now,
            )
            .await?;
            Ok(id)
        })
        .await
    })
    .await
}

/// Reports of illegal construction per account and per client address and hour.
#[cfg(feature = "ssr")]
const CONSTRUCTION_REPORTS: WriteLimits = WriteLimits::hourly("construction.report", 10, 60);

/// Files a citizen's report; returns its number. A "differs from the permit" report is
/// placed at its registry entry's point.
#[server(endpoint = "constructions/reports/new")]
pub async fn submit_construction_report(
    input: ReportInput,
) -> Result<ConstructionReportId, AppError> {
    let user = require_user().await?;
    let valid = input
        .validate()
        .map_err(|errors| AppError::Invalid { errors })?;
    count_write(CONSTRUCTION_REPORTS, Some(user.id)).await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        let point = match (valid.kind, valid.construction_id, valid.point) {
            (ReportKind::DiffersFromPermit, Some(id), _) => {
                Registry::fields(&mut conn, id)
                    .await?
                    .ok_or_else(|| AppError::invalid("construction_id", ErrorCode::NotAllowed))?
                    .point
            }
            (_, _, Some(point)) => point,
            _ => return Err(AppError::invalid("point", ErrorCode::Required)),
        };
        let municipality = municipality_of(&mut conn, point).await?;
        let theme = supervision_theme(&mut conn)
            .await?
            .ok_or(AppError::Unavailable)?;
        let department =
            crate::organisation::queries::RoutingRules::resolve(&mut conn, theme, municipality)
                .await?
                .ok_or(AppError::Unavailable)?;
        Reports::create(
            &mut conn,
            user.id,
            &valid,
            point,
            municipality,
            department,
            clock::now(),
        )
        .await
    })
    .await
}

/// A report's page (public: the verification result is always published).
#[server(endpoint = "constructions/report", input = server_fn::codec::GetUrl)]
pub async fn construction_report(id: String) -> Result<ReportDetail, AppError> {
    let id: ConstructionReportId = parse_id(&id)?;
    let viewer = current_user().await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        let departments = viewer
            .as_ref()
            .map(|user| user.official_departments())
            .unwrap_or_default();
        Reports::detail(&mut conn, id, viewer.map(|user| user.id), &departments)
            .await?
            .ok_or(AppError::NotFound)
    })
    .await
}

/// Takes a verification step; only officials of the report's department.
#[server(endpoint = "constructions/reports/step")]
pub async fn construction_report_step(
    id: String,
    action: String,
    #[server(default)] input: VerificationInput,
) -> Result<ReportStatus, AppError> {
    let user = require_user().await?;
    let official = Official {
        user: user.id,
        departments: user.official_departments(),
    };
    let media = AppConfig::current().media;
    take_report_step(&db::pool()?, &media, official, &id, &action, input).await
}

/// Who takes a verification step: a user and the departments they act for.
#[cfg(feature = "ssr")]
pub(crate) struct Official {
    /// The official (or a department system's integration account).
    pub user: UserId,
    /// The departments they act for.
    pub departments: Vec<DepartmentId>,
}

/// Takes verification step `action` (a `ReportAction` name) of report `id` for
/// `official`: the one path of the app's verification form and the departments' answers
/// API, so both refuse the same way.
#[cfg(feature = "ssr")]
pub(crate) async fn take_report_step(
    pool: &db::DbPool,
    media: &platform::media::MediaStore,
    official: Official,
    id: &str,
    action: &str,
    input: VerificationInput,
) -> Result<ReportStatus, AppError> {
    let id: ConstructionReportId = parse_id(id)?;
    let action = ReportAction::from_db(action.trim()).ok_or(AppError::BadRequest)?;
    let now = clock::now();
    let valid = input
        .validate(action, now.date())
        .map_err(|errors| AppError::Invalid { errors })?;
    let Official { user, departments } = official;
    if departments.is_empty() {
        return Err(AppError::Forbidden);
    }
    // The act's row is claimed in the verdict's transaction; its file is checked here,
    // since an upload interrupted before its file was stored leaves a row without one.
    if let Some(act) = &valid.act {
        let stored = match super::acts::act_file(act) {
            Some(file) => media.contains(&file).await.unwrap_or(false),
            None => false,
        };
        if !stored {
            return Err(AppError::invalid("act", ErrorCode::ActMissing));
        }
    }
    db::run(pool, move |mut conn| async move {
        Reports::step(&mut conn, id, action, user, &departments, &valid, now).await
    })
    .await
}

/// A page of the public list of reports, newest first, filtered as `query` says.
#[server(endpoint = "constructions/reports", input = server_fn::codec::GetUrl)]
pub async fn construction_reports(
    #[server(default)] query: ReportQuery,
) -> Result<(Vec<ReportSummary>, bool), AppError> {
    list_reports(query.filter(), query.page()).await
}

/// The reports map's markers for a viewport, clustered on the server, filtered as the list.
#[server(endpoint = "constructions/reports/map", input = server_fn::codec::GetUrl)]
pub async fn construction_report_clusters(
    #[server(default)] query: ReportQuery,
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
        Ok(Reports::clusters(&mut conn, &query.filter(), viewport).await?)
    })
    .await
}

#[cfg(feature = "ssr")]
async fn list_reports(
    filter: ReportFilter,
    page: u32,
) -> Result<(Vec<ReportSummary>, bool), AppError> {
    let page = page.clamp(1, 200);
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        let mut rows = Reports::list(
            &mut conn,
            &filter,
            REPORTS_PAGE + 1,
            (page - 1) * REPORTS_PAGE,
        )
        .await?;
        let more = rows.len() > REPORTS_PAGE as usize;
        rows.truncate(REPORTS_PAGE as usize);
        Ok((rows, more))
    })
    .await
}

/// The signed-in citizen's own reports.
#[server(endpoint = "constructions/reports/mine", input = server_fn::codec::GetUrl)]
pub async fn my_construction_reports() -> Result<(Vec<ReportSummary>, bool), AppError> {
    let user = require_user().await?;
    list_reports(
        ReportFilter {
            author_id: Some(user.id),
            ..ReportFilter::default()
        },
        1,
    )
    .await
}

/// The verification queue of the official's departments: reports not yet decided.
#[server(endpoint = "constructions/reports/queue", input = server_fn::codec::GetUrl)]
pub async fn verification_queue() -> Result<Vec<ReportSummary>, AppError> {
    let user = require_user().await?;
    let departments = user.official_departments();
    if departments.is_empty() {
        return Err(AppError::Forbidden);
    }
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Ok(Reports::queue(&mut conn, &departments).await?)
    })
    .await
}

/// The illegal-construction analytics of the last twelve months.
#[server(endpoint = "constructions/analytics", input = server_fn::codec::GetUrl)]
pub async fn construction_analytics(
    #[server(default)] municipality: String,
) -> Result<Analytics, AppError> {
    let filter = AnalyticsFilter {
        municipality_id: municipality.trim().parse().ok(),
    };
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Ok(Reports::analytics(&mut conn, &filter, clock::now().date()).await?)
    })
    .await
}

/// An import's status (the official who may import, or anyone for a committed one).
#[server(endpoint = "constructions/imports/status", input = server_fn::codec::GetUrl)]
pub async fn get_import_status(id: String) -> Result<ImportStatus, AppError> {
    let id: ImportId = parse_id(&id)?;
    let viewer = current_user().await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        let status = Imports::status(&mut conn, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let editor = match &viewer {
            Some(user) => registry_scope(&mut conn, user).await?.edits_anything(),
            None => false,
        };
        if editor {
            Ok(status)
        } else if status.phase == ImportPhase::Committed {
            Ok(ImportStatus {
                errors: Vec::new(),
                ..status
            })
        } else {
            Err(AppError::NotFound)
        }
    })
    .await
}

/// Runs the dry run with the official's column mapping (one registry field key, or empty,
/// per column); the mapping is saved for workbooks with the same headers.
#[server(endpoint = "constructions/imports/check")]
pub async fn check_import(
    id: String,
    #[server(default)] mapping: Vec<String>,
) -> Result<(), AppError> {
    let user = require_user().await?;
    let id: ImportId = parse_id(&id)?;
    let mapping = ColumnMapping {
        columns: mapping
            .iter()
            .map(|key| super::model::RegistryField::from_key(key.trim()))
            .collect(),
    };
    let pool = db::pool()?;
    let background_pool = pool.clone();
    let config = AppConfig::current();
    let to_check = mapping.clone();
    let checked = db::run(&pool, move |mut conn| async move {
        let scope = registry_scope(&mut conn, &user).await?;
        if !scope.edits_anything() {
            return Err(AppError::Forbidden);
        }
        let status = Imports::status(&mut conn, id)
            .await?
            .ok_or(AppError::NotFound)?;
        if mapping.columns.len() != status.headers.len()
            || !mapping.foreign(status.register).is_empty()
        {
            return Err(AppError::BadRequest);
        }
        if !mapping.missing_required(status.register).is_empty() || !mapping.duplicated().is_empty()
        {
            return Err(AppError::invalid("mapping", ErrorCode::Required));
        }
        // A failed import may be checked again: its file is still there, and an
        // interrupted one wrote nothing.
        let from = [
            ImportPhase::Uploaded,
            ImportPhase::Checked,
            ImportPhase::Failed,
        ];
        let now = clock::now();
        if !Imports::advance(
            &mut conn,
            id,
            &from,
            ImportPhase::Checking,
            Some(&mapping),
            now,
        )
        .await?
        {
            return Err(AppError::Conflict);
        }
        Imports::remember_mapping(&mut conn, status.register, &status.headers, &mapping, now)
            .await?;
        Ok((scope, status.register))
    })
    .await?;
    let (scope, register) = checked;
    spawn_check(background_pool, config, id, register, to_check, scope);
    Ok(())
}

/// Commits a checked import in the background; the page polls. When the dry run found bad
/// rows, the official must say `skip_bad_rows` to import the others (the bad ones stay
/// listed on the import); otherwise nothing is written.
#[server(endpoint = "constructions/imports/commit")]
pub async fn commit_import(
    id: String,
    #[server(default)] skip_bad_rows: String,
) -> Result<(), AppError> {
    let skip_bad_rows = matches!(skip_bad_rows.trim(), "1" | "on" | "true");
    let user = require_user().await?;
    let id: ImportId = parse_id(&id)?;
    let pool = db::pool()?;
    let background_pool = pool.clone();
    let config = AppConfig::current();
    let user_id = user.id;
    let scope = db::run(&pool, move |mut conn| async move {
        let scope = registry_scope(&mut conn, &user).await?;
        if !scope.edits_anything() {
            return Err(AppError::Forbidden);
        }
        let status = Imports::status(&mut conn, id)
            .await?
            .ok_or(AppError::NotFound)?;
        if status.error_count > 0 && !skip_bad_rows {
            return Err(AppError::invalid("skip_bad_rows", ErrorCode::Required));
        }
        if !Imports::advance(
            &mut conn,
            id,
            &[ImportPhase::Checked],
            ImportPhase::Committing,
            None,
            clock::now(),
        )
        .await?
        {
            return Err(AppError::Conflict);
        }
        Ok(scope)
    })
    .await?;
    spawn_commit(background_pool, config, id, user_id, scope, skip_bad_rows);
    Ok(())
}

/// The public import log, newest first.
#[server(endpoint = "constructions/imports", input = server_fn::codec::GetUrl)]
pub async fn recent_imports() -> Result<Vec<ImportStatus>, AppError> {
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        let all = Imports::recent(&mut conn, 50).await?;
        Ok(all
            .into_iter()
            .filter(|import| import.phase == ImportPhase::Committed)
            .collect())
    })
    .await
}

/// An import's public change list.
#[server(endpoint = "constructions/imports/changes", input = server_fn::codec::GetUrl)]
pub async fn import_changes(id: String) -> Result<Vec<ChangeEntry>, AppError> {
    let id: ImportId = parse_id(&id)?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Ok(Registry::history(&mut conn, HistoryOf::Import(id), 1000).await?)
    })
    .await
}
