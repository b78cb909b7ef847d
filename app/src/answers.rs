//! The answers API: a department's document-flow system works its own queue the way its
//! officials do in the app.
//!
//! - `GET /api/v1/department/queue`: the department's open problems (nearest deadline
//!   first) and the construction reports it has to verify.
//! - `POST /api/v1/department/problems/{id}/{action}` with `{"text", "planned_for"}`:
//!   `acknowledge`, `answer`, `plan`, `resolve` or `hand_back`.
//! - `POST /api/v1/department/construction-reports/{id}/{action}` with
//!   `{"verified_on", "text"}`: `start_verification`, `confirm_violation`, `dismiss` or
//!   `take_measures`.
//!
//! A request carries `Authorization: Bearer <token>`; an admin issues the token to one
//! department (`organisation::queries::DepartmentTokens`). Each step goes through the same function as
//! the app's form (`problems::server_fns::take_step`, `constructions::server_fns::
//! take_report_step`), as the token's integration account, acting for that department
//! only: another department's problem is refused with 403, a step the status does not
//! allow with 409, both as the app refuses them; a body that is not the documented JSON
//! (an unknown field included) with 400. Errors are the app's error JSON plus
//! `message` (and a `message` per refused field) in the language of `Accept-Language`.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRef, FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::auth::model::Acting;
use crate::auth::session::count_account_write;
use crate::constructions::model::{ReportStatus, ReportSummary, VerificationInput};
use crate::constructions::queries::Reports;
use crate::constructions::server_fns::{Official, take_report_step};
use crate::i18n::{Locale, error_code_text, error_text_naming};
use crate::organisation::queries::{DepartmentSystem, DepartmentTokens};
use crate::problems::model::{ProblemStatus, ProblemSummary, StepInput};
use crate::problems::queries::Problems;
use crate::problems::server_fns::take_step;
use platform::config::AppConfig;
use platform::db::{self, DbPool};
use platform::error::AppError;
use platform::ids::DepartmentId;
use platform::routes::Routes;
use platform::{clock, rate_limit};

/// The API's routes.
pub fn routes<S>() -> Routes<S>
where
    S: Clone + Send + Sync + 'static,
    DbPool: FromRef<S>,
    AppConfig: FromRef<S>,
{
    Routes::new()
        .get("/api/v1/department/queue", queue)
        .post("/api/v1/department/problems/{id}/{action}", problem_step)
        .post(
            "/api/v1/department/construction-reports/{id}/{action}",
            report_step,
        )
}

/// Problems listed in the queue at most (the app's workspace shows as many).
const QUEUE_PROBLEMS: u32 = 200;

/// Requests one token may make per hour: a system that loops on an error must not hold
/// the database; a department's real traffic is far below it.
const REQUESTS_PER_TOKEN: rate_limit::Limit = rate_limit::Limit::per_hour("department.api", 10_000);

/// A problem step's particulars.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct ProblemStepBody {
    /// The answer, plan, report or reason.
    text: String,
    /// For `plan`: the promised date, `YYYY-MM-DD`.
    planned_for: String,
}

/// A verification step's particulars.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct ReportStepBody {
    /// For verdicts: the inspection date, `YYYY-MM-DD`.
    verified_on: String,
    /// Findings or measures.
    text: String,
}

/// The queue.
#[derive(Debug, Serialize)]
struct Queue {
    department_id: DepartmentId,
    problems: Vec<ProblemSummary>,
    problems_due_soon: u64,
    problems_overdue: u64,
    construction_reports: Vec<ReportSummary>,
}

/// The new status after a step.
#[derive(Debug, Serialize)]
struct Stepped<T> {
    status: T,
}

async fn queue(
    State(pool): State<DbPool>,
    headers: HeaderMap,
    DepartmentBearer(system): DepartmentBearer,
) -> Response {
    let locale = Locale::of_request(&headers);
    let department = system.department;
    let found = db::run(&pool, move |mut conn| async move {
        let workspace =
            Problems::workspace(&mut conn, department, clock::now(), QUEUE_PROBLEMS).await?;
        let construction_reports = Reports::queue(&mut conn, &[department]).await?;
        Ok(Queue {
            department_id: department,
            problems: workspace.rows,
            problems_due_soon: workspace.due_soon,
            problems_overdue: workspace.overdue,
            construction_reports,
        })
    })
    .await;
    match found {
        Ok(queue) => Json(queue).into_response(),
        Err(error) => refusal(error, locale, |_| None),
    }
}

async fn problem_step(
    State(pool): State<DbPool>,
    headers: HeaderMap,
    DepartmentBearer(system): DepartmentBearer,
    Path((id, action)): Path<(String, String)>,
    body: Result<Json<ProblemStepBody>, JsonRejection>,
) -> Response {
    let locale = Locale::of_request(&headers);
    let Ok(Json(body)) = body else {
        return refusal(AppError::BadRequest, locale, |_| None);
    };
    // Only a department's own steps: the moderators' and the author's are not the
    // system's to take, whatever the account could otherwise do.
    if !["acknowledge", "answer", "plan", "resolve", "hand_back"].contains(&action.as_str()) {
        return refusal(AppError::BadRequest, locale, |_| None);
    }
    let acting = Acting::official(system.account, system.department);
    let input = StepInput {
        text: body.text,
        planned_for: body.planned_for,
        ..StepInput::default()
    };
    match take_step(&pool, acting, &id, &action, input).await {
        Ok(status) => Json(Stepped { status }).into_response(),
        Err(error) => refusal(error, locale, ProblemStatus::stored_name),
    }
}

async fn report_step(
    State(pool): State<DbPool>,
    State(config): State<AppConfig>,
    headers: HeaderMap,
    DepartmentBearer(system): DepartmentBearer,
    Path((id, action)): Path<(String, String)>,
    body: Result<Json<ReportStepBody>, JsonRejection>,
) -> Response {
    let locale = Locale::of_request(&headers);
    let Ok(Json(body)) = body else {
        return refusal(AppError::BadRequest, locale, |_| None);
    };
    let official = Official {
        user: system.account,
        departments: vec![system.department],
    };
    let input = VerificationInput {
        verified_on: body.verified_on,
        text: body.text,
        ..VerificationInput::default()
    };
    match take_report_step(&pool, &config.media, official, &id, &action, input).await {
        Ok(status) => Json(Stepped::<ReportStatus> { status }).into_response(),
        Err(error) => refusal(error, locale, ReportStatus::stored_name),
    }
}

/// The department system a request comes from, by its bearer token. A request without a
/// live token is answered 401 before its body is read.
struct DepartmentBearer(DepartmentSystem);

impl<S> FromRequestParts<S> for DepartmentBearer
where
    S: Send + Sync,
    DbPool: FromRef<S>,
    AppConfig: FromRef<S>,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let locale = Locale::of_request(&parts.headers);
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|token| !token.is_empty())
            .map(str::to_string);
        let Some(token) = token else {
            return Err(unauthorized(locale));
        };
        let pool = DbPool::from_ref(state);
        let found = db::run(&pool, move |mut conn| async move {
            Ok(DepartmentTokens::authenticate(&mut conn, &token, clock::now()).await?)
        })
        .await;
        let system = match found {
            Ok(Some(system)) => system,
            Ok(None) => return Err(unauthorized(locale)),
            Err(error) => return Err(refusal(error, locale, |_| None)),
        };
        let config = AppConfig::from_ref(state);
        count_account_write(&pool, &config, REQUESTS_PER_TOKEN, system.account)
            .await
            .map_err(|error| refusal(error, locale, |_| None))?;
        Ok(Self(system))
    }
}

/// 401 with the challenge RFC 6750 asks for.
fn unauthorized(locale: Locale) -> Response {
    let mut response = refusal(AppError::Unauthorized, locale, |_| None);
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer realm=\"open-region\""),
    );
    response
}

/// The app's error JSON with the sentences the app would show, in `locale`.
fn refusal(error: AppError, locale: Locale, status_name: crate::i18n::StatusName) -> Response {
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let message = error_text_naming(&error, locale, status_name);
    let field_messages: Vec<String> = match &error {
        AppError::Invalid { errors } => errors
            .iter()
            .map(|field| error_code_text(field.code, locale))
            .collect(),
        _ => Vec::new(),
    };
    let mut body = serde_json::to_value(&error).unwrap_or(Value::Null);
    if let Some(object) = body.as_object_mut() {
        object.insert("message".into(), Value::String(message));
        if let Some(Value::Array(fields)) = object.get_mut("errors") {
            for (field, text) in fields.iter_mut().zip(field_messages) {
                if let Some(field) = field.as_object_mut() {
                    field.insert("message".into(), Value::String(text));
                }
            }
        }
    }
    let mut response = (status, Json(body)).into_response();
    response
        .headers_mut()
        .insert(header::VARY, HeaderValue::from_static("Accept-Language"));
    response
}
