//! The Open311 GeoReport v2 endpoint at `/open311/v2/`: discovery, services, service
//! definitions, requests (query, one, create) and tokens, in XML and JSON, with the
//! spec's error documents and status codes (404 unknown, 403 bad key, 400 otherwise).

use std::collections::HashMap;

use axum::extract::{FromRef, Path, Query, State};
use axum::http::{StatusCode, header, request::Parts};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Duration, NaiveDateTime, SecondsFormat, Utc};
use diesel_async::AsyncConnection;

use super::format::{self, Field, Format, Record};
use super::queries::{RequestRow, RequestSelection, key_owner, requests};
use crate::auth::session::{account_subject, address_subject, hash_token};
use crate::organisation::model::Theme;
use crate::problems;
use crate::problems::model::{ProblemId, ProblemInput, ProblemStatus};
use crate::problems::queries::Problems;
use platform::clock;
use platform::config::AppConfig;
use platform::db::{self, DbPool};
use platform::error::AppError;
use platform::routes::Routes;

/// The longest date window `GET requests` accepts, and the default one.
pub const MAX_WINDOW_DAYS: i64 = 90;
/// The most requests one page returns, and the default page size.
pub const MAX_PAGE_SIZE: u32 = 1000;
/// The Open311 spec's identifier.
const SPECIFICATION: &str = "http://wiki.open311.org/GeoReport_v2";

/// An Open311 failure: HTTP status and the description shown to the user.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// 400, 403, 404, 405, 429, 500 or 503.
    pub status: u16,
    /// What went wrong.
    pub description: String,
}

impl ApiError {
    fn bad(description: impl Into<String>) -> Self {
        Self {
            status: 400,
            description: description.into(),
        }
    }

    fn not_found(description: impl Into<String>) -> Self {
        Self {
            status: 404,
            description: description.into(),
        }
    }
}

impl From<AppError> for ApiError {
    fn from(error: AppError) -> Self {
        let description = match &error {
            AppError::Invalid { errors } => {
                let fields: Vec<String> = errors
                    .iter()
                    .map(|e| {
                        format!(
                            "{} ({})",
                            open311_field(&e.field),
                            serde_json::to_value(e.code)
                                .ok()
                                .and_then(|v| v
                                    .get("code")
                                    .and_then(|c| c.as_str().map(str::to_string)))
                                .unwrap_or_default()
                        )
                    })
                    .collect();
                return Self::bad(format!("invalid parameters: {}", fields.join(", ")));
            }
            AppError::NotFound => "not found".to_string(),
            AppError::RateLimited {
                retry_after_seconds,
            } => format!("too many requests for this api_key; retry in {retry_after_seconds} s"),
            AppError::Busy {
                retry_after_seconds,
            } => format!("the server is busy; retry in {retry_after_seconds} s"),
            AppError::Unavailable => "service unavailable".to_string(),
            AppError::Suspended { until } => {
                format!("the account is suspended by the moderators until {until} UTC")
            }
            _ => {
                return Self {
                    status: 500,
                    description: "internal error".into(),
                };
            }
        };
        Self {
            status: error.status(),
            description,
        }
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(error: diesel::result::Error) -> Self {
        AppError::from(error).into()
    }
}

/// Our field names in Open311's words.
fn open311_field(field: &str) -> &str {
    match field {
        "theme_id" => "service_code",
        "point" => "lat/long",
        "address" => "address_string",
        "title" | "description" => "description",
        other => other,
    }
}

/// The Open311 routes, mounted by the server.
pub fn routes<S>() -> Routes<S>
where
    S: Clone + Send + Sync + 'static,
    DbPool: FromRef<S>,
    AppConfig: FromRef<S>,
{
    Routes::new()
        .get("/open311/v2/{resource}", get_resource)
        .post("/open311/v2/{resource}", post_request)
        .other_methods("/open311/v2/{resource}", other_method)
        .get("/open311/v2/services/{code}", get_service)
        .get("/open311/v2/requests/{id}", get_request)
        .get("/open311/v2/tokens/{token}", get_token)
}

fn respond(format: Format, status: StatusCode, body: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, format.content_type())],
        body,
    )
        .into_response()
}

fn error_response(format: Format, error: ApiError) -> Response {
    let status = StatusCode::from_u16(error.status).unwrap_or(StatusCode::BAD_REQUEST);
    respond(
        format,
        status,
        format::errors(format, error.status, &error.description),
    )
}

/// Splits the format off a path segment; an unknown extension is a 404 in XML.
fn split(segment: &str) -> Result<(&str, Format), Box<Response>> {
    Format::split(segment).ok_or_else(|| {
        Box::new(error_response(
            Format::Xml,
            ApiError::not_found("unknown resource; use .xml or .json"),
        ))
    })
}

fn w3c(at: NaiveDateTime) -> String {
    at.and_utc().to_rfc3339_opts(SecondsFormat::Secs, true)
}

async fn get_resource(
    State(pool): State<DbPool>,
    Path(resource): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let (name, format) = match split(&resource) {
        Ok(split) => split,
        Err(response) => return *response,
    };
    let result = match name {
        "discovery" => Ok(discovery(format)),
        "services" => services(&pool, format).await,
        "requests" => query_requests(&pool, format, &params).await,
        _ => Err(ApiError::not_found(format!("no resource {name}"))),
    };
    result.unwrap_or_else(|error| error_response(format, error))
}

fn discovery(format: Format) -> Response {
    let endpoint = Record::new()
        .field("specification", SPECIFICATION)
        .field("url", "/open311/v2")
        .field("changeset", "2026-11-27T00:00:00Z")
        .field("type", "production")
        .list(
            "formats",
            "format",
            vec![
                Record::new().field("format", "text/xml"),
                Record::new().field("format", "application/json"),
            ],
        );
    let document = Record::new()
        .field("changeset", "2026-11-27T00:00:00Z")
        .field(
            "contact",
            "Open Region, Krasnodar Krai: support@openregion.example",
        )
        .field(
            "key_service",
            "Sign in and issue a key on your account page: /account",
        )
        .list("endpoints", "endpoint", vec![endpoint]);
    respond(
        format,
        StatusCode::OK,
        format::single(format, "discovery", &document),
    )
}

fn service_record(theme: &Theme) -> Record<'_> {
    Record::new()
        .field("service_code", theme.slug.as_str())
        .field("service_name", theme.name_ru.as_str())
        .field("description", theme.description_ru.as_str())
        .field("metadata", Field::Bool(false))
        .field("type", "realtime")
        .field("keywords", theme.name_en.as_str())
        .field("group", "citizens-control")
}

async fn active_themes(pool: &DbPool) -> Result<Vec<Theme>, ApiError> {
    let themes = db::run(
        pool,
        |mut conn| async move { Ok(Theme::list(&mut conn).await?) },
    )
    .await?;
    Ok(themes.into_iter().filter(|theme| theme.is_active).collect())
}

async fn services(pool: &DbPool, format: Format) -> Result<Response, ApiError> {
    let themes = active_themes(pool).await?;
    let records: Vec<Record> = themes.iter().map(service_record).collect();
    Ok(respond(
        format,
        StatusCode::OK,
        format::list(format, "services", "service", &records),
    ))
}

async fn get_service(State(pool): State<DbPool>, Path(segment): Path<String>) -> Response {
    let (code, format) = match split(&segment) {
        Ok(split) => split,
        Err(response) => return *response,
    };
    let themes = match active_themes(&pool).await {
        Ok(themes) => themes,
        Err(error) => return error_response(format, error),
    };
    match themes.iter().find(|theme| theme.slug == code) {
        // Our services have no extra attributes (metadata=false): the definition is empty.
        Some(theme) => {
            let definition = Record::new()
                .field("service_code", theme.slug.as_str())
                .list("attributes", "attribute", Vec::new());
            respond(
                format,
                StatusCode::OK,
                format::single(format, "service_definition", &definition),
            )
        }
        None => error_response(
            format,
            ApiError::not_found(format!("service_code {code} not found")),
        ),
    }
}

/// A W3C date-time with a mandatory time zone, as UTC.
fn parse_w3c(name: &str, value: &str) -> Result<NaiveDateTime, ApiError> {
    DateTime::parse_from_rfc3339(value.trim())
        .map(|at| at.with_timezone(&Utc).naive_utc())
        .map_err(|_| {
            ApiError::bad(format!(
                "{name} must be a W3C date-time with a time zone, e.g. 2026-11-01T00:00:00Z"
            ))
        })
}

/// Reads `GET requests` parameters; empty values count as absent (the spec's rule).
pub fn parse_selection(
    params: &HashMap<String, String>,
    now: NaiveDateTime,
) -> Result<RequestSelection, ApiError> {
    let get = |key: &str| params.get(key).map(|v| v.trim()).filter(|v| !v.is_empty());
    let ids = match get("service_request_id") {
        Some(list) => Some(
            list.split(',')
                .map(|id| id.trim().parse::<ProblemId>())
                .collect::<Result<Vec<_>, _>>()
                .map_err(|_| {
                    ApiError::bad("service_request_id must be a comma-separated list of numbers")
                })?,
        ),
        None => None,
    };
    let window = Duration::days(MAX_WINDOW_DAYS);
    let start = get("start_date")
        .map(|v| parse_w3c("start_date", v))
        .transpose()?;
    let end = get("end_date")
        .map(|v| parse_w3c("end_date", v))
        .transpose()?;
    let (start, end) = match (start, end) {
        (Some(start), Some(end)) => (start, end),
        (Some(start), None) => (start, start + window),
        (None, Some(end)) => (end - window, end),
        (None, None) => (now - window, now),
    };
    if end < start {
        return Err(ApiError::bad("end_date is before start_date"));
    }
    if end - start > window {
        return Err(ApiError::bad(format!(
            "the date range may not span more than {MAX_WINDOW_DAYS} days"
        )));
    }
    let open = match get("status") {
        None => None,
        Some(list) => {
            let mut wants_open = false;
            let mut wants_closed = false;
            for status in list.split(',').map(str::trim) {
                match status {
                    "open" => wants_open = true,
                    "closed" => wants_closed = true,
                    other => {
                        return Err(ApiError::bad(format!(
                            "unknown status {other}; use open or closed"
                        )));
                    }
                }
            }
            (wants_open != wants_closed).then_some(wants_open)
        }
    };
    let number = |key: &str, default: u32, max: u32| -> Result<u32, ApiError> {
        match get(key) {
            None => Ok(default),
            Some(text) => text
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=max).contains(n))
                .ok_or_else(|| ApiError::bad(format!("{key} must be a number from 1 to {max}"))),
        }
    };
    Ok(RequestSelection {
        ids,
        service_codes: get("service_code")
            .map(|list| {
                list.split(',')
                    .map(|c| c.trim().to_string())
                    .filter(|c| !c.is_empty())
                    .collect()
            })
            .unwrap_or_default(),
        start,
        end,
        open,
        page: number("page", 1, 100_000)?,
        page_size: number("page_size", MAX_PAGE_SIZE, MAX_PAGE_SIZE)?,
    })
}

/// The record of one request; `extensions` adds the portal's own status.
pub fn request_record(row: &RequestRow, extensions: bool) -> Record<'_> {
    let status = ProblemStatus::from_db(&row.status);
    let open = status.is_some_and(ProblemStatus::is_open);
    let mut record = Record::new()
        .field("service_request_id", Field::Integer(row.id.0))
        .field("status", if open { "open" } else { "closed" })
        .field("status_notes", row.notes.as_deref())
        .field("service_name", row.theme_name.as_str())
        .field("service_code", row.theme_slug.as_str())
        .field(
            "description",
            format!("{}\n\n{}", row.title, row.description),
        )
        .field("agency_responsible", row.department_name.as_deref())
        .field("service_notice", Field::Null)
        .field("requested_datetime", w3c(row.created_at))
        .field("updated_datetime", w3c(row.updated_at))
        .field(
            "expected_datetime",
            row.reaction_due_at.filter(|_| open).map(w3c),
        )
        .field("address", row.address.as_str())
        .field("address_id", Field::Null)
        .field("zipcode", Field::Null)
        .field("lat", Field::Number(row.lat))
        .field("long", Field::Number(row.lon))
        .field("media_url", Field::Null);
    if extensions {
        record = record
            .field("extended_status", row.status.as_str())
            .field("title", row.title.as_str());
    }
    record
}

async fn query_requests(
    pool: &DbPool,
    format: Format,
    params: &HashMap<String, String>,
) -> Result<Response, ApiError> {
    let now = clock::now();
    let selection = parse_selection(params, now)?;
    let extensions = params.get("extensions").is_some_and(|v| v.trim() == "true");
    let rows = db::run(pool, move |mut conn| async move {
        Ok(requests(&mut conn, &selection, now).await?)
    })
    .await?;
    let records: Vec<Record> = rows
        .iter()
        .map(|row| request_record(row, extensions))
        .collect();
    Ok(respond(
        format,
        StatusCode::OK,
        format::list(format, "service_requests", "request", &records),
    ))
}

async fn get_request(
    State(pool): State<DbPool>,
    Path(segment): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let (id, format) = match split(&segment) {
        Ok(split) => split,
        Err(response) => return *response,
    };
    let Ok(id) = id.parse::<ProblemId>() else {
        return error_response(
            format,
            ApiError::not_found(format!("service_request_id {id} not found")),
        );
    };
    let extensions = params.get("extensions").is_some_and(|v| v.trim() == "true");
    let now = clock::now();
    let selection = RequestSelection {
        ids: Some(vec![id]),
        service_codes: Vec::new(),
        start: now,
        end: now,
        open: None,
        page: 1,
        page_size: 1,
    };
    let rows = db::run(&pool, move |mut conn| async move {
        Ok(requests(&mut conn, &selection, now).await?)
    })
    .await;
    match rows {
        Ok(rows) if rows.is_empty() => error_response(
            format,
            ApiError::not_found(format!("service_request_id {id} not found")),
        ),
        Ok(rows) => {
            let records: Vec<Record> = rows
                .iter()
                .map(|row| request_record(row, extensions))
                .collect();
            respond(
                format,
                StatusCode::OK,
                format::list(format, "service_requests", "request", &records),
            )
        }
        Err(error) => error_response(format, error.into()),
    }
}

async fn get_token(Path(segment): Path<String>) -> Response {
    let (token, format) = match split(&segment) {
        Ok(split) => split,
        Err(response) => return *response,
    };
    // Every service is `realtime`: POST returns the id at once and never issues a token.
    error_response(
        format,
        ApiError::not_found(format!("token {token} not found; services are realtime")),
    )
}

/// Reads a form-encoded POST body into its fields (the first value of each name); a body
/// that is not form-encoded yields no fields, so the missing ones are reported.
fn form_fields(body: &[u8]) -> HashMap<String, String> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body).unwrap_or_default();
    let mut fields = HashMap::new();
    for (key, value) in pairs {
        fields.entry(key).or_insert(value);
    }
    fields
}

/// A title for a request that has only a description: its first line, shortened.
fn title_from(description: &str) -> String {
    let first_line = description.lines().next().unwrap_or_default().trim();
    let mut title: String = first_line.chars().take(80).collect();
    if first_line.chars().count() > 80 {
        title.push('…');
    }
    title
}

async fn post_request(
    State(pool): State<DbPool>,
    State(config): State<AppConfig>,
    Path(resource): Path<String>,
    parts: Parts,
    // The bytes, not axum's form extractor: a POST to a resource that takes none must be
    // answered 405 whatever its content type, and a body that is not a form is read as
    // one without fields, so the spec's error list names what is missing.
    body: axum::body::Bytes,
) -> Response {
    let (name, format) = match split(&resource) {
        Ok(split) => split,
        Err(response) => return *response,
    };
    if name != "requests" {
        return method_not_allowed(name, format);
    }
    let limits = config.rate_limits.then(|| WriteSubjects {
        address: address_subject(&platform::client::address_of(&parts, &config)),
    });
    create_request(pool, limits, format, form_fields(&body))
        .await
        .unwrap_or_else(|error| error_response(format, error))
}

/// Any other method of a resource: 405 in the spec's error format, with the methods the
/// resource takes in `Allow` (only `requests` takes POST).
async fn other_method(Path(segment): Path<String>) -> Response {
    match split(&segment) {
        Ok((name, format)) => method_not_allowed(name, format),
        Err(response) => *response,
    }
}

fn method_not_allowed(name: &str, format: Format) -> Response {
    let allow = if name == "requests" {
        "GET, HEAD, POST"
    } else {
        "GET, HEAD"
    };
    let mut response = error_response(
        format,
        ApiError {
            status: 405,
            description: format!("{name} takes {allow}"),
        },
    );
    response
        .headers_mut()
        .insert(header::ALLOW, header::HeaderValue::from_static(allow));
    response
}

/// Who a request's write is counted for besides the key's owner.
struct WriteSubjects {
    /// The client's address, as `address_subject` writes it.
    address: String,
}

async fn create_request(
    pool: DbPool,
    limits: Option<WriteSubjects>,
    format: Format,
    fields: HashMap<String, String>,
) -> Result<Response, ApiError> {
    let get = |key: &str| {
        fields
            .get(key)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let forbidden = || ApiError {
        status: 403,
        description: "Invalid api_key received -- can't proceed with create_request.".into(),
    };
    let key = get("api_key").ok_or_else(forbidden)?;
    let code = get("service_code").ok_or_else(|| ApiError::bad("service_code is required"))?;
    let (lat, lon) = match (get("lat"), get("long")) {
        (Some(lat), Some(lon)) => (lat, lon),
        _ => {
            return Err(ApiError::bad(
                "lat and long are required: this endpoint places every request on the map",
            ));
        }
    };
    let description = get("description").ok_or_else(|| ApiError::bad("description is required"))?;
    if description.chars().count() > 4000 {
        return Err(ApiError::bad("description may not exceed 4000 characters"));
    }
    let themes = active_themes(&pool).await?;
    let theme = themes
        .iter()
        .find(|theme| theme.slug == code)
        .ok_or_else(|| ApiError::not_found(format!("service_code {code} not found")))?;
    let input = ProblemInput {
        theme_id: theme.id.to_string(),
        lat,
        lon,
        address: get("address_string").unwrap_or_else(|| "—".to_string()),
        title: title_from(&description),
        description: description.clone(),
        photos: String::new(),
        // GeoReport v2 has no request id of the client's: a POST is a new request.
        client_id: String::new(),
    };
    let valid = input
        .validate()
        .map_err(|errors| ApiError::from(AppError::Invalid { errors }))?;
    let key_hash = hash_token(&key);
    let id = db::run(&pool, move |mut conn| async move {
        let owner = key_owner(&mut conn, &key_hash)
            .await?
            .ok_or(AppError::Forbidden)?;
        // The key's owner and the client's address count in the same buckets as reports
        // made in the app.
        if let Some(subjects) = limits {
            let reports = problems::server_fns::REPORTS;
            let now = clock::now();
            if let Some(limit) = reports.per_account {
                let subject = account_subject(owner);
                platform::rate_limit::count(&mut conn, limit, &subject, now).await?;
            }
            platform::rate_limit::count(&mut conn, reports.per_address, &subjects.address, now)
                .await?;
        }
        let municipality =
            crate::geography::queries::municipality_of(&mut conn, valid.point).await?;
        conn.transaction(async move |conn| {
            // Requests enter moderation exactly as reports made in the app.
            Problems::create(conn, owner, &valid, municipality, "open311", clock::now()).await
        })
        .await
    })
    .await
    .map_err(|error| match error {
        AppError::Forbidden => forbidden(),
        other => other.into(),
    })?;
    let record = Record::new()
        .field("service_request_id", Field::Integer(id.0))
        .field(
            "service_notice",
            "The request was received and is checked by a moderator before publication.",
        )
        .field("account_id", Field::Null);
    Ok(respond(
        format,
        StatusCode::CREATED,
        format::list(format, "service_requests", "request", &[record]),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").expect("a valid time")
    }

    fn params(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn the_default_window_is_the_last_90_days_and_empty_values_are_absent() {
        let now = at("2026-11-27 12:00:00");
        let selection =
            parse_selection(&params(&[("status", ""), ("service_code", "")]), now).expect("valid");
        assert_eq!(selection.start, at("2026-08-29 12:00:00"));
        assert_eq!(selection.end, now);
        assert_eq!(selection.open, None);
        assert!(selection.service_codes.is_empty());
        assert_eq!((selection.page, selection.page_size), (1, 1000));
    }

    #[test]
    fn dates_need_a_time_zone_and_windows_are_capped() {
        let now = at("2026-11-27 12:00:00");
        let converted =
            parse_selection(&params(&[("start_date", "2026-11-01T03:00:00+03:00")]), now)
                .expect("valid");
        assert_eq!(
            converted.start,
            at("2026-11-01 00:00:00"),
            "converted to UTC"
        );
        assert_eq!(
            parse_selection(&params(&[("start_date", "2026-11-01")]), now)
                .err()
                .map(|error| error.status),
            Some(400)
        );
        let too_long = params(&[
            ("start_date", "2026-01-01T00:00:00Z"),
            ("end_date", "2026-06-01T00:00:00Z"),
        ]);
        assert_eq!(
            parse_selection(&too_long, now)
                .err()
                .map(|error| error.status),
            Some(400)
        );
        let reversed = params(&[
            ("start_date", "2026-06-01T00:00:00Z"),
            ("end_date", "2026-05-01T00:00:00Z"),
        ]);
        assert!(parse_selection(&reversed, now).is_err());
    }

    #[test]
    fn statuses_ids_and_paging_are_checked() {
        let now = at("2026-11-27 12:00:00");
        assert_eq!(
            parse_selection(&params(&[("status", "open")]), now)
                .expect("valid")
                .open,
            Some(true)
        );
        assert_eq!(
            parse_selection(&params(&[("status", "open,closed")]), now)
                .expect("valid")
                .open,
            None
        );
        assert!(parse_selection(&params(&[("status", "pending")]), now).is_err());
        let ids = parse_selection(&params(&[("service_request_id", "3, 5")]), now).expect("valid");
        assert_eq!(ids.ids, Some(vec![ProblemId(3), ProblemId(5)]));
        assert!(parse_selection(&params(&[("service_request_id", "3;5")]), now).is_err());
        assert!(parse_selection(&params(&[("page_size", "1001")]), now).is_err());
        assert!(parse_selection(&params(&[("page", "0")]), now).is_err());
    }

    #[test]
    fn form_bodies_decode_plus_and_percent_escapes() {
        let fields = form_fields(b"api_key=k%2B1&description=%D0%AF%D0%BC%D0%B0+%D0%BD%D0%B0+%D0%B4%D0%BE%D1%80%D0%BE%D0%B3%D0%B5&lat=45.03");
        assert_eq!(fields.get("api_key").map(String::as_str), Some("k+1"));
        assert_eq!(
            fields.get("description").map(String::as_str),
            Some("Яма на дороге")
        );
        assert_eq!(fields.get("lat").map(String::as_str), Some("45.03"));
    }

    #[test]
    fn titles_come_from_the_first_line() {
        assert_eq!(title_from("Яма\nподробности"), "Яма");
        assert_eq!(title_from(&"а".repeat(100)).chars().count(), 81);
    }
}
