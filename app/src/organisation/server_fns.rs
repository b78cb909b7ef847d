//! The organisation API: public lists, and the admins' management of departments (their
//! supervisors, webhook endpoints and answers-API tokens included), themes and routing rules. Every change is audited in the same
//! transaction.

use leptos::prelude::*;

use super::model::{
    Department, DepartmentInput, DepartmentToken, Names, RoutingRuleView, Theme, ThemeInput,
};
use platform::error::AppError;
use platform::webhook::{Delivery, Endpoint};

#[cfg(feature = "ssr")]
use {
    super::model::{DepartmentId, RoutingRuleId, ThemeId, validate_token_name},
    super::queries::{DepartmentTokens, RecentNames, RoutingRules},
    crate::auth::model::Role,
    crate::auth::session::require_role,
    crate::geography::model::{Municipality, MunicipalityId},
    civic::audit::AuditEntry,
    civic::audit::AuditEvent,
    diesel::OptionalExtension,
    diesel_async::AsyncConnection,
    platform::error::{ErrorCode, FieldError},
    platform::outbox::OutboxEventId,
    platform::{clock, db, webhook},
    serde_json::json,
};

/// A unique-key violation on `slug` becomes a field error; anything else stays internal.
#[cfg(feature = "ssr")]
fn slug_conflict(error: diesel::result::Error) -> AppError {
    if db::is_unique_violation(&error) {
        AppError::invalid("slug", ErrorCode::Duplicate)
    } else {
        error.into()
    }
}

#[cfg(feature = "ssr")]
fn parse_id<T: std::str::FromStr>(
    field: &str,
    text: &str,
    unknown: ErrorCode,
) -> Result<T, AppError> {
    text.parse().map_err(|_| AppError::invalid(field, unknown))
}

/// Every department.
#[server(endpoint = "departments", input = server_fn::codec::GetUrl)]
pub async fn list_departments() -> Result<Vec<Department>, AppError> {
    let pool = db::pool()?;
    db::run(&pool, |mut conn| async move {
        Ok(Department::list(&mut conn).await?)
    })
    .await
}

/// The catalogue of names every page shows (themes, municipalities, departments), as this
/// instance keeps it (see `RecentNames`).
#[server(endpoint = "names", input = server_fn::codec::GetUrl)]
pub async fn reference_names() -> Result<Names, AppError> {
    let pool = db::pool()?;
    let recent =
        use_context::<RecentNames>().unwrap_or_else(|| RecentNames::new(std::time::Duration::ZERO));
    recent.get(&pool).await
}

/// Forgets this instance's catalogue of names once a change to it has committed.
#[cfg(feature = "ssr")]
fn names_changed<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if result.is_ok()
        && let Some(recent) = use_context::<RecentNames>()
    {
        recent.forget();
    }
    result
}

/// Every theme.
#[server(endpoint = "themes", input = server_fn::codec::GetUrl)]
pub async fn list_themes() -> Result<Vec<Theme>, AppError> {
    let pool = db::pool()?;
    db::run(&pool, |mut conn| async move {
        Ok(Theme::list(&mut conn).await?)
    })
    .await
}

/// Every routing rule.
#[server(endpoint = "routing-rules", input = server_fn::codec::GetUrl)]
pub async fn list_routing_rules() -> Result<Vec<RoutingRuleView>, AppError> {
    let pool = db::pool()?;
    db::run(&pool, |mut conn| async move {
        Ok(RoutingRules::list(&mut conn).await?)
    })
    .await
}

/// Creates a department (empty `id`) or updates one. Admins only.
#[server(endpoint = "admin/departments/save")]
pub async fn save_department(id: String, input: DepartmentInput) -> Result<(), AppError> {
    let admin = require_role(Role::Admin).await?;
    let valid = input
        .validate()
        .map_err(|errors| AppError::Invalid { errors })?;
    let id: Option<DepartmentId> = match id.trim() {
        "" => None,
        text => Some(parse_id("id", text, ErrorCode::UnknownDepartment)?),
    };
    let pool = db::pool()?;
    names_changed(
    db::run(&pool, move |mut conn| async move {
        if let Some(municipality) = valid.municipality_id
            && !Municipality::exists(&mut conn, municipality).await?
        {
            return Err(AppError::invalid("municipality_id", ErrorCode::UnknownMunicipality));
        }
        conn.transaction(async move |conn| {
                let (action, target) = match id {
                    Some(id) => {
                        if !Department::update(conn, id, &valid).await.map_err(slug_conflict)? {
                            return Err(AppError::NotFound);
                        }
                        ("department.update", id)
                    }
                    None => ("department.create", Department::create(conn, &valid).await.map_err(slug_conflict)?),
                };
                let details = json!({"slug": valid.slug, "name_ru": valid.name_ru, "level": valid.level.as_db(),
                    "municipality_id": valid.municipality_id.map(|m| m.0)});
                let event = AuditEvent { actor: Some(admin.id), action, target_kind: "department", target_id: Some(target.0), details };
                AuditEntry::record(conn, event, clock::now()).await?;
                Ok(())
            })
        .await
    })
    .await,
    )
}

/// Activates or deactivates a department. Admins only.
#[server(endpoint = "admin/departments/active")]
pub async fn set_department_active(id: String, active: bool) -> Result<(), AppError> {
    let admin = require_role(Role::Admin).await?;
    let id: DepartmentId = parse_id("id", &id, ErrorCode::UnknownDepartment)?;
    let pool = db::pool()?;
    names_changed(
        db::run(&pool, move |mut conn| async move {
            conn.transaction(async move |conn| {
                if !Department::set_active(conn, id, active).await? {
                    return Err(AppError::NotFound);
                }
                let event = AuditEvent {
                    actor: Some(admin.id),
                    action: "department.set_active",
                    target_kind: "department",
                    target_id: Some(id.0),
                    details: json!({"active": active}),
                };
                AuditEntry::record(conn, event, clock::now()).await?;
                Ok(())
            })
            .await
        })
        .await,
    )
}

/// Sets the department that `id`'s overdue problems are escalated to by the deadline job
/// (`supervisor_id`; empty for none). Admins only; a department cannot supervise itself,
/// nor be supervised by a department it supervises, directly or down a chain.
#[server(endpoint = "admin/departments/supervisor")]
pub async fn set_department_supervisor(id: String, supervisor_id: String) -> Result<(), AppError> {
    let admin = require_role(Role::Admin).await?;
    let id: DepartmentId = parse_id("id", &id, ErrorCode::UnknownDepartment)?;
    let supervisor: Option<DepartmentId> = match supervisor_id.trim() {
        "" => None,
        text => Some(parse_id(
            "supervisor_id",
            text,
            ErrorCode::UnknownDepartment,
        )?),
    };
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        conn.transaction(async move |conn| {
            let previous = Department::set_supervisor(conn, id, supervisor).await?;
            let event = AuditEvent {
                actor: Some(admin.id),
                action: "department.set_supervisor",
                target_kind: "department",
                target_id: Some(id.0),
                details: json!({
                    "previous_supervisor_id": previous.map(|d| d.0),
                    "supervisor_id": supervisor.map(|d| d.0),
                }),
            };
            AuditEntry::record(conn, event, clock::now()).await?;
            Ok(())
        })
        .await
    })
    .await
}

/// Creates a theme (empty `id`) or updates one. Admins only.
#[server(endpoint = "admin/themes/save")]
pub async fn save_theme(id: String, input: ThemeInput) -> Result<(), AppError> {
    let admin = require_role(Role::Admin).await?;
    let valid = input
        .validate()
        .map_err(|errors| AppError::Invalid { errors })?;
    let id: Option<ThemeId> = match id.trim() {
        "" => None,
        text => Some(parse_id("id", text, ErrorCode::UnknownTheme)?),
    };
    let pool = db::pool()?;
    names_changed(
    db::run(&pool, move |mut conn| async move {
        conn.transaction(async move |conn| {
                let (action, target) = match id {
                    Some(id) => {
                        if !Theme::update(conn, id, &valid).await.map_err(slug_conflict)? {
                            return Err(AppError::NotFound);
                        }
                        ("theme.update", id)
                    }
                    None => ("theme.create", Theme::create(conn, &valid).await.map_err(slug_conflict)?),
                };
                let details = json!({"slug": valid.slug, "name_ru": valid.name_ru, "premoderation": valid.premoderation, "reaction_days": valid.reaction_days, "result_days": valid.result_days});
                let event = AuditEvent { actor: Some(admin.id), action, target_kind: "theme", target_id: Some(target.0), details };
                AuditEntry::record(conn, event, clock::now()).await?;
                Ok(())
            })
        .await
    })
    .await,
    )
}

/// Sets which department receives `theme_id` in `municipality_id` (empty: the regional
/// fallback). Admins only.
#[server(endpoint = "admin/routing/set")]
pub async fn set_routing_rule(
    theme_id: String,
    municipality_id: String,
    department_id: String,
) -> Result<(), AppError> {
    let admin = require_role(Role::Admin).await?;
    let theme: ThemeId = parse_id("theme_id", &theme_id, ErrorCode::UnknownTheme)?;
    let department: DepartmentId = parse_id(
        "department_id",
        &department_id,
        ErrorCode::UnknownDepartment,
    )?;
    let municipality: Option<MunicipalityId> = match municipality_id.trim() {
        "" => None,
        text => Some(parse_id(
            "municipality_id",
            text,
            ErrorCode::UnknownMunicipality,
        )?),
    };
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        let themes = Theme::list(&mut conn).await?;
        if !themes.iter().any(|t| t.id == theme) {
            return Err(AppError::invalid("theme_id", ErrorCode::UnknownTheme));
        }
        let target = Department::find(&mut conn, department).await.map_err(|e| match e {
            diesel::result::Error::NotFound => AppError::invalid("department_id", ErrorCode::UnknownDepartment),
            other => other.into(),
        })?;
        if let Some(municipality) = municipality {
            if !Municipality::exists(&mut conn, municipality).await? {
                return Err(AppError::invalid("municipality_id", ErrorCode::UnknownMunicipality));
            }
            // A municipal department cannot serve another municipality.
            if target.municipality_id.is_some_and(|m| m != municipality) {
                return Err(AppError::invalid("department_id", ErrorCode::NotAllowed));
            }
        }
        conn.transaction(async move |conn| {
                RoutingRules::set(conn, theme, municipality, department).await?;
                let details = json!({"theme_id": theme.0, "municipality_id": municipality.map(|m| m.0), "department_id": department.0});
                let event = AuditEvent { actor: Some(admin.id), action: "routing.set", target_kind: "theme", target_id: Some(theme.0), details };
                AuditEntry::record(conn, event, clock::now()).await?;
                Ok(())
            })
        .await
    })
    .await
}

/// Deletes a routing rule. Admins only.
#[server(endpoint = "admin/routing/delete")]
pub async fn delete_routing_rule(id: String) -> Result<(), AppError> {
    let admin = require_role(Role::Admin).await?;
    let id: RoutingRuleId = parse_id("id", &id, ErrorCode::NotAllowed)?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        conn.transaction(async move |conn| {
            if !RoutingRules::delete(conn, id).await? {
                return Err(AppError::NotFound);
            }
            let event = AuditEvent {
                actor: Some(admin.id),
                action: "routing.delete",
                target_kind: "routing_rule",
                target_id: Some(id.0),
                details: json!({}),
            };
            AuditEntry::record(conn, event, clock::now()).await?;
            Ok(())
        })
        .await
    })
    .await
}

/// The event kinds a department's system can subscribe to.
pub const WEBHOOK_EVENT_KINDS: &[&str] = &[
    "problem.routed",
    "problem.reassigned",
    "problem.reminder",
    "problem.overdue",
    "problem.result_overdue",
    "problem.plan_lapsed",
    "problem.escalated",
    "problem.instructed",
    "construction_report.assigned",
];

/// The webhook endpoint of department `id`, secret included (admins only: they hand it
/// to the department's system).
#[server(endpoint = "admin/departments/webhook", input = server_fn::codec::GetUrl)]
pub async fn department_webhook(id: String) -> Result<Option<Endpoint>, AppError> {
    require_role(Role::Admin).await?;
    let id: DepartmentId = parse_id("id", &id, ErrorCode::UnknownDepartment)?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Ok(webhook::endpoint(&mut conn, id).await?)
    })
    .await
}

/// Sets department `id`'s webhook endpoint: an http(s) URL, a secret of 16 to 128
/// characters (empty: a new random one), the event kinds (space- or comma-separated, from
/// [`WEBHOOK_EVENT_KINDS`]) and whether it is active. Admins only; audited without the
/// secret.
#[server(endpoint = "admin/departments/webhook/save")]
pub async fn save_department_webhook(
    id: String,
    url: String,
    secret: String,
    event_kinds: String,
    active: Option<String>,
) -> Result<Endpoint, AppError> {
    let admin = require_role(Role::Admin).await?;
    let id: DepartmentId = parse_id("id", &id, ErrorCode::UnknownDepartment)?;
    let url = url.trim().to_string();
    let url_ok = (url.starts_with("https://") || url.starts_with("http://"))
        && url.len() <= 500
        && !url.chars().any(char::is_whitespace);
    let secret = match secret.trim() {
        "" => hex::encode(rand::random::<[u8; 32]>()),
        given => given.to_string(),
    };
    let kinds: Vec<String> = event_kinds
        .split([' ', ',', '\n'])
        .map(str::trim)
        .filter(|kind| !kind.is_empty())
        .map(str::to_string)
        .collect();
    let errors: Vec<FieldError> = [
        ("url", (!url_ok).then_some(ErrorCode::Malformed)),
        (
            "secret",
            match secret.chars().count() {
                0..16 => Some(ErrorCode::TooShort { min: 16 }),
                129.. => Some(ErrorCode::TooLong { max: 128 }),
                _ => None,
            },
        ),
        (
            "event_kinds",
            kinds
                .iter()
                .any(|kind| !WEBHOOK_EVENT_KINDS.contains(&kind.as_str()))
                .then_some(ErrorCode::NotAllowed),
        ),
    ]
    .into_iter()
    .filter_map(|(field, code)| code.map(|code| FieldError::new(field, code)))
    .collect();
    if !errors.is_empty() {
        return Err(AppError::Invalid { errors });
    }
    let endpoint = Endpoint {
        url,
        secret,
        event_kinds: kinds,
        active: active.is_some(),
    };
    let pool = db::pool()?;
    let saved = endpoint.clone();
    db::run(&pool, move |mut conn| async move {
        conn.transaction(async move |conn| {
            if !Department::exists(conn, id).await? {
                return Err(AppError::invalid("id", ErrorCode::UnknownDepartment));
            }
            let now = clock::now();
            webhook::save_endpoint(conn, id, &saved, admin.id, now).await?;
            let event = AuditEvent {
                actor: Some(admin.id),
                action: "department.webhook",
                target_kind: "department",
                target_id: Some(id.0),
                details: json!({
                    "url": saved.url,
                    "event_kinds": saved.event_kinds,
                    "active": saved.active,
                }),
            };
            AuditEntry::record(conn, event, now).await?;
            Ok(())
        })
        .await
    })
    .await?;
    Ok(endpoint)
}

/// The newest 50 deliveries to department `id`'s endpoint (admins only).
#[server(endpoint = "admin/departments/webhook/deliveries", input = server_fn::codec::GetUrl)]
pub async fn department_webhook_deliveries(id: String) -> Result<Vec<Delivery>, AppError> {
    require_role(Role::Admin).await?;
    let id: DepartmentId = parse_id("id", &id, ErrorCode::UnknownDepartment)?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Ok(webhook::deliveries(&mut conn, id, 50).await?)
    })
    .await
}

/// Tries delivery `delivery` of department `id` again now (admins only; audited).
#[server(endpoint = "admin/departments/webhook/retry")]
pub async fn retry_department_webhook(id: String, delivery: String) -> Result<(), AppError> {
    let admin = require_role(Role::Admin).await?;
    let id: DepartmentId = parse_id("id", &id, ErrorCode::UnknownDepartment)?;
    let delivery: u64 = parse_id("delivery", &delivery, ErrorCode::Malformed)?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        conn.transaction(async move |conn| {
            let now = clock::now();
            if !webhook::retry_now(conn, id, OutboxEventId(delivery), now).await? {
                return Err(AppError::NotFound);
            }
            let event = AuditEvent {
                actor: Some(admin.id),
                action: "department.webhook_retry",
                target_kind: "department",
                target_id: Some(id.0),
                details: json!({"delivery": delivery}),
            };
            AuditEntry::record(conn, event, now).await?;
            Ok(())
        })
        .await
    })
    .await
}

/// The answers-API tokens of department `id`, newest first (admins only).
#[server(endpoint = "admin/departments/tokens", input = server_fn::codec::GetUrl)]
pub async fn list_department_tokens(id: String) -> Result<Vec<DepartmentToken>, AppError> {
    require_role(Role::Admin).await?;
    let id: DepartmentId = parse_id("id", &id, ErrorCode::UnknownDepartment)?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Ok(DepartmentTokens::list(&mut conn, id).await?)
    })
    .await
}

/// Issues an answers-API token named `name` to department `id`'s system and returns it:
/// this is the only time it is shown (admins only; audited without the token).
#[server(endpoint = "admin/departments/tokens/issue")]
pub async fn issue_department_token(id: String, name: String) -> Result<String, AppError> {
    let admin = require_role(Role::Admin).await?;
    let id: DepartmentId = parse_id("id", &id, ErrorCode::UnknownDepartment)?;
    let name = validate_token_name(&name).map_err(|errors| AppError::Invalid { errors })?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        conn.transaction(async move |conn| {
            let department = Department::find(conn, id)
                .await
                .optional()?
                .ok_or_else(|| AppError::invalid("id", ErrorCode::UnknownDepartment))?;
            let now = clock::now();
            let (token_id, token) =
                DepartmentTokens::issue(conn, &department, &name, admin.id, now).await?;
            let event = AuditEvent {
                actor: Some(admin.id),
                action: "department.token_issue",
                target_kind: "department",
                target_id: Some(id.0),
                details: json!({"token": token_id, "name": name}),
            };
            AuditEntry::record(conn, event, now).await?;
            Ok(token)
        })
        .await
    })
    .await
}

/// Revokes token `token` of department `id`: the system's next request is refused
/// (admins only; audited).
#[server(endpoint = "admin/departments/tokens/revoke")]
pub async fn revoke_department_token(id: String, token: String) -> Result<(), AppError> {
    let admin = require_role(Role::Admin).await?;
    let id: DepartmentId = parse_id("id", &id, ErrorCode::UnknownDepartment)?;
    let token: u64 = parse_id("token", &token, ErrorCode::Malformed)?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        conn.transaction(async move |conn| {
            let now = clock::now();
            if !DepartmentTokens::revoke(conn, id, token, now).await? {
                return Err(AppError::NotFound);
            }
            let event = AuditEvent {
                actor: Some(admin.id),
                action: "department.token_revoke",
                target_kind: "department",
                target_id: Some(id.0),
                details: json!({"token": token}),
            };
            AuditEntry::record(conn, event, now).await?;
            Ok(())
        })
        .await
    })
    .await
}
