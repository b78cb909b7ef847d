//! The OpenAPI 3.1 description of every machine URL the portal serves, at
//! `/api/openapi.json`: the open-data files of the v3.0 recommendations, the rows API, the
//! CKAN Action API, the DCAT-AP catalog, the Open311 GeoReport v2 API, and the answers API
//! of departments' systems.
//!
//! It is written out by hand rather than derived from the handlers: the handlers speak
//! several foreign formats (CKAN envelopes, Open311 XML) that no derive would describe
//! faithfully. A server test requests every path of this document with its examples, so
//! the description cannot drift from the routes without failing.

use axum::extract::{FromRef, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::http::site_url;
use platform::config::AppConfig;
use platform::db::DbPool;
use platform::routes::Routes;

/// The route of the document.
pub fn routes<S>() -> Routes<S>
where
    S: Clone + Send + Sync + 'static,
    DbPool: FromRef<S>,
    AppConfig: FromRef<S>,
{
    Routes::new().get("/api/openapi.json", openapi_json)
}

async fn openapi_json(State(config): State<AppConfig>, headers: HeaderMap) -> Response {
    let document = openapi(&site_url(&headers, &config));
    let mut response = axum::Json(document).into_response();
    response.headers_mut().insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    response
}

/// A path parameter.
fn path_parameter(name: &str, description: &str, example: &str) -> Value {
    json!({
        "name": name, "in": "path", "required": true, "description": description,
        "schema": { "type": "string" }, "example": example,
    })
}

/// A query parameter.
fn query_parameter(name: &str, description: &str, schema: Value) -> Value {
    json!({ "name": name, "in": "query", "required": false, "description": description, "schema": schema })
}

/// A GET operation answering `content` (media type → description) with 200 and the
/// listed errors.
fn get_operation(
    tag: &str,
    summary: &str,
    parameters: Vec<Value>,
    content: &[(&str, &str)],
) -> Value {
    let content: serde_json::Map<String, Value> = content
        .iter()
        .map(|(media, description)| {
            // A JSON document is any JSON value; the other formats travel as text.
            let schema = if media.ends_with("json") {
                json!({ "description": description })
            } else {
                json!({ "type": "string", "description": description })
            };
            ((*media).to_string(), json!({ "schema": schema }))
        })
        .collect();
    json!({
        "tags": [tag],
        "summary": summary,
        "parameters": parameters,
        "responses": {
            "200": { "description": "OK", "content": content },
            "304": { "description": "Not modified (conditional GET with If-None-Match or If-Modified-Since)" },
            "404": { "description": "No such dataset, version or file" },
        },
    })
}

fn identifier_parameter(example: &str) -> Value {
    path_parameter(
        "identifier",
        "The dataset identifier `<INN>-<code>` (see list.csv).",
        example,
    )
}

/// The document, with `site` (`scheme://host`) as its server and the examples' base.
pub fn openapi(site: &str) -> Value {
    const EXAMPLE: &str = "2308000007-municipalities";
    let data_media = [
        ("text/csv", "RFC 4180, UTF-8, CRLF"),
        (
            "application/json",
            "Data: an array of objects; datapackage.json: the package descriptor",
        ),
        ("application/schema+json", "A structure as JSON Schema"),
        (
            "application/xml",
            "A <dataset> of <row> elements, or a structure as XSD",
        ),
    ];
    let mut paths = serde_json::Map::new();
    for (format, media) in [
        ("csv", "text/csv"),
        ("json", "application/json"),
        ("xml", "application/xml"),
    ] {
        paths.insert(
            format!("/opendata/list.{format}"),
            json!({ "get": get_operation("v3.0 files", "The registry of open datasets (list of passports)", vec![], &[(media, "The registry")]) }),
        );
        paths.insert(
            format!("/opendata/{{identifier}}/meta.{format}"),
            json!({ "get": get_operation("v3.0 files", "A dataset's passport with links to every version", vec![identifier_parameter(EXAMPLE)], &[(media, "The passport")]) }),
        );
    }
    paths.insert(
        "/opendata/{identifier}/{data_file}".into(),
        json!({ "get": get_operation(
            "v3.0 files",
            "A published version's data, structure or package descriptor, by its v3.0 file name: data-YYYYMMDD-structure-YYYYMMDD.{csv,json,xml}, structure-YYYYMMDD.{csv,xsd,json} or datapackage.json. Published versions never change and are cached for a year; whole versions are streamed.",
            vec![
                identifier_parameter(EXAMPLE),
                path_parameter("data_file", "A file name from the passport (meta.*)", "datapackage.json"),
            ],
            &data_media,
        ) }),
    );
    paths.insert(
        "/catalog.jsonld".into(),
        json!({ "get": get_operation("Catalogues", "The DCAT-AP catalog of every dataset", vec![], &[("application/ld+json", "JSON-LD")]) }),
    );
    let rows_parameters = vec![
        identifier_parameter(EXAMPLE),
        query_parameter(
            "version",
            "A version date YYYYMMDD; the newest when absent or empty.",
            json!({ "type": "string", "pattern": "^([0-9]{8})?$" }),
        ),
        query_parameter(
            "limit",
            "Rows per page, 1 to 1000 (100 when absent).",
            json!({ "type": "integer", "minimum": 1, "maximum": 1000 }),
        ),
        query_parameter(
            "cursor",
            "The token of the next page, from `next` of the previous one. It is bound to the filters and sort it was made with.",
            json!({ "type": "string" }),
        ),
        query_parameter(
            "sort",
            "A column to sort by, `-column` for descending; row order when absent.",
            json!({ "type": "string" }),
        ),
        json!({
            "name": "filter", "in": "query", "required": false, "style": "deepObject",
            "description": "`filter.<column>=<value>`: rows whose column equals the value; `prefix.<column>=<text>`: text columns starting with the text; `min.<column>` and `max.<column>` bound number and date columns (inclusive).",
            "schema": { "type": "object", "additionalProperties": { "type": "string" } },
        }),
    ];
    for (format, media) in [("json", "application/json"), ("xml", "application/xml")] {
        paths.insert(
            format!("/api/opendata/{{identifier}}/rows.{format}"),
            json!({ "get": {
                "tags": ["Rows API"],
                "summary": "A page of a version's rows, filtered and sorted, continued by cursor (keyset paging: every page costs what the first does)",
                "parameters": rows_parameters,
                "responses": {
                    "200": { "description": "A page", "content": { media: { "schema": { "$ref": "#/components/schemas/RowsPage" } } } },
                    "400": { "description": "A bad column, value, limit or cursor", "content": { media: { "schema": { "$ref": "#/components/schemas/Error" } } } },
                    "404": { "description": "No such dataset or version", "content": { media: { "schema": { "$ref": "#/components/schemas/Error" } } } },
                },
            } }),
        );
    }
    let actions = [
        "package_list",
        "package_show",
        "package_search",
        "organization_list",
        "organization_show",
        "group_list",
        "resource_show",
        "datastore_search",
        "status_show",
    ];
    for prefix in ["/api/3/action", "/api/action"] {
        let operation = |method: &str| {
            json!({
                "tags": ["CKAN Action API"],
                "summary": format!("A CKAN action ({method}): {}", actions.join(", ")),
                "parameters": [{
                    "name": "action", "in": "path", "required": true,
                    "schema": { "type": "string", "enum": actions }, "example": "package_list",
                }],
                "responses": {
                    "200": { "description": "The CKAN envelope", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/CkanEnvelope" } } } },
                    "400": { "description": "Unknown action or a malformed body (CKAN error envelope)" },
                    "404": { "description": "Not Found Error (CKAN error envelope)" },
                    "409": { "description": "Validation Error (CKAN error envelope)" },
                },
            })
        };
        let mut post = operation("POST");
        post["requestBody"] =
            json!({ "content": { "application/json": { "schema": { "type": "object" } } } });
        paths.insert(
            format!("{prefix}/{{action}}"),
            json!({ "get": operation("GET"), "post": post }),
        );
    }
    let open311_format = json!({
        "name": "format", "in": "path", "required": true,
        "schema": { "type": "string", "enum": ["json", "xml"] }, "example": "json",
    });
    let open311 = |summary: &str, extra: Vec<Value>| {
        let mut parameters = extra;
        parameters.push(open311_format.clone());
        json!({
            "tags": ["Open311 GeoReport v2"],
            "summary": summary,
            "parameters": parameters,
            "responses": {
                "200": { "description": "OK (JSON or XML as the format says)" },
                "400": { "description": "The spec's error list" },
                "403": { "description": "The spec's error list: no valid api_key (POST)" },
                "404": { "description": "The spec's error list" },
                "429": { "description": "The spec's error list: too many requests from this key or address (POST)" },
            },
        })
    };
    paths.insert(
        "/open311/v2/discovery.{format}".into(),
        json!({ "get": open311("Endpoints and formats", vec![]) }),
    );
    paths.insert(
        "/open311/v2/services.{format}".into(),
        json!({ "get": open311("Services: the problem themes", vec![]) }),
    );
    paths.insert(
        "/open311/v2/services/{code}.{format}".into(),
        json!({ "get": open311("A service's definition", vec![path_parameter("code", "A service code", "road-damage")]) }),
    );
    let mut post_request = open311(
        "Report a problem (form-encoded, with the api_key from the user's profile); it enters moderation",
        vec![],
    );
    post_request["requestBody"] = json!({ "content": { "application/x-www-form-urlencoded": { "schema": { "type": "object" } } } });
    paths.insert(
        "/open311/v2/requests.{format}".into(),
        json!({
            "get": open311("Problems, with the spec's filters and page/page_size paging", vec![]),
            "post": post_request,
        }),
    );
    paths.insert(
        "/open311/v2/requests/{id}.{format}".into(),
        json!({ "get": open311("One problem", vec![path_parameter("id", "A service request id", "1")]) }),
    );
    paths.insert(
        "/open311/v2/tokens/{token}.{format}".into(),
        json!({ "get": open311("The request id of a token from POST requests", vec![path_parameter("token", "A token", "0")]) }),
    );
    answers_api(&mut paths);
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Open Region: machine-readable data",
            "version": "1",
            "summary": "Open data of the Krasnodar Region and its citizens' control, for programs.",
            "description": "Open datasets in the Russian methodological recommendations v3.0 (list, passports, versions, structures), a rows API with filters and cursor paging, the CKAN Action API read subset, DCAT-AP and Frictionless descriptions, Open311 GeoReport v2, and the answers API of departments' document-flow systems (with a department token). Responses allow any origin. Open data is licensed CC BY 4.0.",
            "license": { "name": "CC BY 4.0", "identifier": "CC-BY-4.0" },
        },
        "servers": [{ "url": site }],
        "tags": [
            { "name": "v3.0 files", "description": "The files of the Russian methodological recommendations v3.0" },
            { "name": "Rows API" },
            { "name": "CKAN Action API" },
            { "name": "Catalogues" },
            { "name": "Open311 GeoReport v2" },
            { "name": "Answers API", "description": "A department's document-flow system works its queue with a token an admin issued to the department; every step is the app's own, recorded under the system's name" },
        ],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "departmentToken": { "type": "http", "scheme": "bearer", "description": "A department's token, issued by an admin on the department's integration page" },
            },
            "schemas": {
            "RowsPage": {
                "type": "object",
                "required": ["dataset", "version", "fields", "rows", "next"],
                "properties": {
                    "dataset": { "type": "string" },
                    "version": { "type": "string", "format": "date" },
                    "fields": { "type": "array", "items": { "type": "object", "properties": { "name": { "type": "string" }, "type": { "type": "string" } } } },
                    "rows": { "type": "array", "items": { "type": "object" } },
                    "next": { "type": ["string", "null"], "format": "uri" },
                },
            },
            "Error": {
                "type": "object",
                "properties": { "error": { "type": "object", "properties": { "code": { "type": "string" }, "message": { "type": "string" } } } },
            },
            "CkanEnvelope": {
                "type": "object",
                "required": ["help", "success"],
                "properties": {
                    "help": { "type": "string" },
                    "success": { "type": "boolean" },
                    "result": {},
                    "error": { "type": "object", "properties": { "__type": { "type": "string" }, "message": { "type": "string" } } },
                },
            },
            "AppError": {
                "type": "object",
                "required": ["kind", "message"],
                "properties": {
                    "kind": { "type": "string", "description": "not_found, unauthorized, forbidden, invalid, illegal_transition, rate_limited, bad_request, …" },
                    "message": { "type": "string", "description": "The app's sentence, in the language of Accept-Language (Russian by default)" },
                    "errors": { "type": "array", "items": { "type": "object", "properties": { "field": { "type": "string" }, "code": {}, "message": { "type": "string" } } } },
                },
            },
        } },
    })
}

/// The answers API of departments' systems (`app/src/answers.rs` serves it; the paths are
/// written here so that the one document describes every machine URL).
fn answers_api(paths: &mut serde_json::Map<String, Value>) {
    let error = |description: &str| json!({ "description": description, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/AppError" } } } });
    let secured = |summary: &str, parameters: Vec<Value>, body: Option<Value>, ok: &str| {
        let mut operation = json!({
            "tags": ["Answers API"],
            "summary": summary,
            "security": [{ "departmentToken": [] }],
            "parameters": parameters,
            "responses": {
                "200": { "description": ok, "content": { "application/json": { "schema": { "type": "object" } } } },
                "400": error("Not the documented JSON, or an action the system may not take"),
                "401": error("No live department token"),
                "403": error("Another department's problem or report"),
                "404": error("No such problem or report"),
                "409": error("A step the current status does not allow"),
                "422": error("A refused field (each with its message)"),
                "429": error("Too many requests with this token in the hour"),
            },
        });
        if let Some(body) = body {
            operation["requestBody"] =
                json!({ "required": true, "content": { "application/json": { "schema": body } } });
        }
        operation
    };
    let action = |names: &[&str], example: &str| {
        json!({
            "name": "action", "in": "path", "required": true,
            "schema": { "type": "string", "enum": names }, "example": example,
        })
    };
    paths.insert(
        "/api/v1/department/queue".into(),
        json!({ "get": secured(
            "The department's open problems (nearest reaction deadline first) and the construction reports it has to verify",
            vec![],
            None,
            "{department_id, problems, problems_due_soon, problems_overdue, construction_reports}",
        ) }),
    );
    paths.insert(
        "/api/v1/department/problems/{id}/{action}".into(),
        json!({ "post": secured(
            "A step of the department on its problem: acknowledge (takes it into work; not a reaction, the clock runs on); answer (then a result or a plan is due within the theme's result days), resolve and hand_back with text; plan with text and planned_for",
            vec![
                path_parameter("id", "A problem id", "1"),
                action(&["acknowledge", "answer", "plan", "resolve", "hand_back"], "acknowledge"),
            ],
            Some(json!({
                "type": "object",
                "additionalProperties": false,
                "properties": {
                    "text": { "type": "string", "description": "The answer, plan, report or reason" },
                    "planned_for": { "type": "string", "format": "date", "description": "For plan: the promised date" },
                },
            })),
            "{status}: the problem's new status",
        ) }),
    );
    paths.insert(
        "/api/v1/department/construction-reports/{id}/{action}".into(),
        json!({ "post": secured(
            "A verification step on the department's construction report; verdicts (confirm_violation, dismiss) need verified_on and text",
            vec![
                path_parameter("id", "A construction report id", "1"),
                action(&["start_verification", "confirm_violation", "dismiss", "take_measures"], "start_verification"),
            ],
            Some(json!({
                "type": "object",
                "additionalProperties": false,
                "properties": {
                    "verified_on": { "type": "string", "format": "date", "description": "The inspection date" },
                    "text": { "type": "string", "description": "Findings or measures" },
                },
            })),
            "{status}: the report's new status",
        ) }),
    );
}
