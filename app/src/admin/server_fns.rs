//! The management API: users and roles (admins), the audit log and the dashboard (staff).

use leptos::prelude::*;

use super::model::{ManagementSummary, UserPage};
use crate::geography::model::{BoundaryImportReport, MunicipalPopulation, PopulationInput};
use civic::audit::AuditEntry;
use platform::error::AppError;

#[cfg(feature = "ssr")]
use {
    crate::auth::model::{Role, UserId},
    crate::auth::queries::{Roles, Users},
    crate::auth::session::{require_role, require_staff},
    crate::geography::model::{Municipality, MunicipalityId},
    crate::organisation::model::{Department, DepartmentId},
    civic::audit::AuditEvent,
    diesel_async::AsyncConnection,
    platform::error::ErrorCode,
    platform::{clock, db},
    serde_json::json,
};

/// Counts for the management dashboard. Staff only.
#[server(endpoint = "admin/summary", input = server_fn::codec::GetUrl)]
pub async fn get_management_summary() -> Result<ManagementSummary, AppError> {
    require_staff().await?;
    let pool = db::pool()?;
    db::run(&pool, |mut conn| async move {
        Ok(ManagementSummary::load(&mut conn).await?)
    })
    .await
}

/// Users matching `search`, page `page` (from 0). Admins only.
#[server(endpoint = "admin/users", input = server_fn::codec::GetUrl)]
pub async fn list_users(search: String, page: i64) -> Result<UserPage, AppError> {
    require_role(Role::Admin).await?;
    if search.chars().count() > 254 {
        return Err(AppError::invalid("search", ErrorCode::TooLong { max: 254 }));
    }
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Ok(UserPage::load(&mut conn, &search, page).await?)
    })
    .await
}

/// The newest audit log entries. Admins and moderators.
#[server(endpoint = "admin/audit", input = server_fn::codec::GetUrl)]
pub async fn list_audit_log() -> Result<Vec<AuditEntry>, AppError> {
    let user = require_staff().await?;
    if !(user.has_role(Role::Admin) || user.has_role(Role::Moderator)) {
        return Err(AppError::Forbidden);
    }
    let pool = db::pool()?;
    db::run(&pool, |mut conn| async move {
        Ok(AuditEntry::recent(&mut conn, None, 200).await?)
    })
    .await
}

#[cfg(feature = "ssr")]
struct RoleChange {
    user: UserId,
    role: Role,
    department: Option<DepartmentId>,
}

#[cfg(feature = "ssr")]
fn parse_role_change(
    user_id: &str,
    role: &str,
    department_id: &str,
) -> Result<RoleChange, AppError> {
    let user = user_id
        .parse()
        .map_err(|_| AppError::invalid("user_id", ErrorCode::UnknownUser))?;
    let role =
        Role::from_db(role.trim()).ok_or(AppError::invalid("role", ErrorCode::NotAllowed))?;
    let department = match (role, department_id.trim()) {
        (Role::Official, "") => {
            return Err(AppError::invalid("department_id", ErrorCode::Required));
        }
        (Role::Official, text) => Some(
            text.parse()
                .map_err(|_| AppError::invalid("department_id", ErrorCode::UnknownDepartment))?,
        ),
        (_, _) => None,
    };
    Ok(RoleChange {
        user,
        role,
        department,
    })
}

/// Grants a role (officials with their department). Admins only; audited.
#[server(endpoint = "admin/roles/grant")]
pub async fn grant_role(
    user_id: String,
    role: String,
    department_id: String,
) -> Result<(), AppError> {
    let admin = require_role(Role::Admin).await?;
    let change = parse_role_change(&user_id, &role, &department_id)?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        if !Users::exists(&mut conn, change.user).await? {
            return Err(AppError::invalid("user_id", ErrorCode::UnknownUser));
        }
        if let Some(department) = change.department {
            Department::find(&mut conn, department).await.map_err(|e| match e {
                diesel::result::Error::NotFound => AppError::invalid("department_id", ErrorCode::UnknownDepartment),
                other => other.into(),
            })?;
        }
        conn.transaction(async move |conn| {
                let now = clock::now();
                let granted = Roles::grant(conn, change.user, change.role, change.department, Some(admin.id), now).await?;
                if granted {
                    let details = json!({"role": change.role.as_db(), "department_id": change.department.map(|d| d.0)});
                    let event = AuditEvent { actor: Some(admin.id), action: "role.grant", target_kind: "user", target_id: Some(change.user.0), details };
                    civic::audit::AuditEntry::record(conn, event, now).await?;
                }
                Ok(())
            })
        .await
    })
    .await
}

/// Revokes a role. Admins only; audited; the last admin cannot be removed.
#[server(endpoint = "admin/roles/revoke")]
pub async fn revoke_role(
    user_id: String,
    role: String,
    department_id: String,
) -> Result<(), AppError> {
    let admin = require_role(Role::Admin).await?;
    let change = parse_role_change(&user_id, &role, &department_id)?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        conn.transaction(async move |conn| {
                if change.role == Role::Admin && Roles::lock_admins(conn).await? <= 1 {
                    return Err(AppError::invalid("role", ErrorCode::LastAdmin));
                }
                if !Roles::revoke(conn, change.user, change.role, change.department).await? {
                    return Err(AppError::NotFound);
                }
                let details = json!({"role": change.role.as_db(), "department_id": change.department.map(|d| d.0)});
                let event = AuditEvent { actor: Some(admin.id), action: "role.revoke", target_kind: "user", target_id: Some(change.user.0), details };
                civic::audit::AuditEntry::record(conn, event, clock::now()).await?;
                Ok(())
            })
        .await
    })
    .await
}

/// Imports municipality boundaries from a GeoJSON FeatureCollection (see
/// `Municipality::import_boundaries`) and records who did it. Admins only.
#[server(endpoint = "admin/boundaries")]
pub async fn import_boundaries(geojson: String) -> Result<BoundaryImportReport, AppError> {
    let admin = require_role(Role::Admin).await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        // The boundaries and their audit row are stored together or not at all.
        conn.transaction(async move |conn| {
            let now = clock::now();
            let (report, ids) = Municipality::import_boundaries(conn, &geojson, now).await?;
            let ids: Vec<u64> = ids.iter().map(|id| id.0).collect();
            let event = AuditEvent {
                actor: Some(admin.id),
                action: "municipality.import_boundaries",
                target_kind: "municipality",
                target_id: None,
                details: json!({"updated": ids, "unmatched": report.unmatched}),
            };
            AuditEntry::record(conn, event, now).await?;
            Ok(report)
        })
        .await
    })
    .await
}

/// Every municipality's population, the input of the population-weighted regional
/// priority rank. Admins only.
#[server(endpoint = "admin/populations", input = server_fn::codec::GetUrl)]
pub async fn list_populations() -> Result<Vec<MunicipalPopulation>, AppError> {
    require_role(Role::Admin).await?;
    let pool = db::pool()?;
    db::run(&pool, |mut conn| async move {
        Ok(Municipality::populations(&mut conn).await?)
    })
    .await
}

/// Sets a municipality's population and where the figure comes from, audited with the
/// previous figure; quarterly snapshots built later weigh by it. Admins only.
#[server(endpoint = "admin/populations/save")]
pub async fn save_population(municipality: String, input: PopulationInput) -> Result<(), AppError> {
    let admin = require_role(Role::Admin).await?;
    let (population, source) = input
        .validate()
        .map_err(|errors| AppError::Invalid { errors })?;
    let id: MunicipalityId = municipality
        .trim()
        .parse()
        .map_err(|_| AppError::NotFound)?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        conn.transaction(async move |conn| {
            let now = clock::now();
            let (before, before_source) =
                Municipality::set_population(conn, id, population, &source)
                    .await?
                    .ok_or(AppError::NotFound)?;
            let event = AuditEvent {
                actor: Some(admin.id),
                action: "municipality.population",
                target_kind: "municipality",
                target_id: Some(id.0),
                details: json!({
                    "from": before,
                    "from_source": before_source,
                    "to": population,
                    "source": source,
                }),
            };
            AuditEntry::record(conn, event, now).await?;
            Ok(())
        })
        .await
    })
    .await
}
