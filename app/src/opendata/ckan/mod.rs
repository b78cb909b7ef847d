//! The read side of CKAN's Action API (`/api/3/action/<name>` and `/api/action/<name>`),
//! so that CKAN harvesters (ckanext-harvest, udata-ckan, piveau) and clients (ckanapi)
//! read the portal's open data as they read any CKAN site.
//!
//! Datasets are packages, their creators organisations, their keywords tags, the files of
//! their newest version resources, and the rows of that version the datastore table of
//! the CSV resource (see `catalogue` and `datastore`). Requests and answers follow CKAN's
//! `views/api.py`: GET reads the query string, POST a JSON object (or a form); every
//! answer is the `{help, success, result}` envelope, errors carry CKAN's `__type` and
//! status, and an unknown action or an unreadable body is a bare JSON string with 400.

mod actions;
mod catalogue;
mod datastore;
mod params;
mod search;

use axum::body::Bytes;
use axum::extract::{FromRef, Path, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use super::http::site_url;
use params::Params;
use platform::config::AppConfig;
use platform::db::DbPool;
use platform::error::AppError;
use platform::routes::Routes;

/// The CKAN API routes.
pub fn routes<S>() -> Routes<S>
where
    S: Clone + Send + Sync + 'static,
    DbPool: FromRef<S>,
    AppConfig: FromRef<S>,
{
    let mut routes = Routes::new();
    for path in ["/api/3/action/{name}", "/api/action/{name}"] {
        routes = routes
            .get(path, action)
            .post(path, action)
            .options(path, preflight);
    }
    routes
        .get("/api", || async {
            json_response(StatusCode::OK, &json!({"version": 1}))
        })
        .get("/api/3", || async {
            json_response(StatusCode::OK, &json!({"version": 3}))
        })
}

/// The actions this API answers, each the CKAN action of the same name in snake case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    PackageList,
    PackageShow,
    PackageSearch,
    CurrentPackageListWithResources,
    OrganizationList,
    OrganizationShow,
    GroupList,
    GroupShow,
    ResourceShow,
    DatastoreSearch,
    StatusShow,
    SiteRead,
    HelpShow,
}

impl Action {
    const ALL: [Action; 13] = [
        Action::PackageList,
        Action::PackageShow,
        Action::PackageSearch,
        Action::CurrentPackageListWithResources,
        Action::OrganizationList,
        Action::OrganizationShow,
        Action::GroupList,
        Action::GroupShow,
        Action::ResourceShow,
        Action::DatastoreSearch,
        Action::StatusShow,
        Action::SiteRead,
        Action::HelpShow,
    ];

    /// Its name in the URL.
    fn name(self) -> &'static str {
        match self {
            Action::PackageList => "package_list",
            Action::PackageShow => "package_show",
            Action::PackageSearch => "package_search",
            Action::CurrentPackageListWithResources => "current_package_list_with_resources",
            Action::OrganizationList => "organization_list",
            Action::OrganizationShow => "organization_show",
            Action::GroupList => "group_list",
            Action::GroupShow => "group_show",
            Action::ResourceShow => "resource_show",
            Action::DatastoreSearch => "datastore_search",
            Action::StatusShow => "status_show",
            Action::SiteRead => "site_read",
            Action::HelpShow => "help_show",
        }
    }

    /// The action called `name`.
    fn named(name: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|action| action.name() == name)
    }

    /// What `help_show` says of it.
    fn help(self) -> &'static str {
        match self {
            Action::PackageList => {
                "Return a list of the names of the site's datasets (packages). \
                 :param limit: page size (optional) :param offset: page start (optional)"
            }
            Action::PackageShow => {
                "Return the metadata of a dataset (package) and its resources. \
                 :param id: the id or name of the dataset"
            }
            Action::PackageSearch => {
                "Search for packages. :param q: the query (Solr syntax: words, field:value, \
                 ranges, OR, AND, -) :param fq: filter query :param fq_list: filter queries \
                 :param sort: e.g. 'metadata_modified desc' :param rows: up to 1000 \
                 :param start: offset :param facet.field: JSON list of fields to count"
            }
            Action::CurrentPackageListWithResources => {
                "Return a list of the site's datasets and their resources, most recently \
                 modified first. :param limit: page size :param offset: page start"
            }
            Action::OrganizationList => {
                "Return a list of the names of the site's organizations. :param all_fields: \
                 return dicts :param sort: name, title or package_count, asc or desc \
                 :param limit :param offset :param organizations: names to return"
            }
            Action::OrganizationShow => {
                "Return the details of an organization. :param id: its id or name \
                 :param include_datasets: include its datasets"
            }
            Action::GroupList => {
                "Return a list of the names of the site's groups. This site keeps its \
                 themes as tags, so it has no groups."
            }
            Action::GroupShow => "Return the details of a group. :param id: its id or name",
            Action::ResourceShow => "Return the metadata of a resource. :param id: its id",
            Action::DatastoreSearch => {
                "Search a DataStore resource (the rows of a dataset's newest version). \
                 :param resource_id :param filters: {column: value} :param q: full text \
                 :param limit: up to 10000 :param offset :param fields :param sort \
                 :param include_total :param records_format: objects or lists"
            }
            Action::StatusShow => "Return a dictionary with information about the site.",
            Action::SiteRead => "Return true: the site is readable by anyone.",
            Action::HelpShow => "Return the help string for an action. :param name: its name",
        }
    }
}

/// Why an action failed, in CKAN's vocabulary (`views/api.py::action`).
#[derive(Debug, Clone, PartialEq)]
enum ActionError {
    /// 404 `Not Found Error`, with what was not found when CKAN says it.
    NotFound(Option<String>),
    /// 409 `Validation Error`: messages by field.
    Validation(Map<String, Value>),
    /// 400 `Search Query Error`: a query or sort `package_search` cannot read.
    SearchQuery(String),
    /// 500 `Internal Server Error` (the cause is logged, not sent).
    Internal,
}

impl ActionError {
    /// `field` was not given.
    fn missing(field: &str) -> Self {
        Self::invalid(field, "Missing value")
    }

    /// A refusal CKAN words as one message rather than by field (`{"message": …}`).
    fn message(text: impl Into<String>) -> Self {
        let mut errors = Map::new();
        errors.insert("message".into(), Value::String(text.into()));
        Self::Validation(errors)
    }

    /// `field` was refused with `message`.
    fn invalid(field: &str, message: impl Into<String>) -> Self {
        let mut errors = Map::new();
        errors.insert(field.into(), json!([message.into()]));
        Self::Validation(errors)
    }

    /// The HTTP status CKAN answers with.
    fn status(&self) -> StatusCode {
        match self {
            ActionError::NotFound(_) => StatusCode::NOT_FOUND,
            ActionError::Validation(_) => StatusCode::CONFLICT,
            ActionError::SearchQuery(_) => StatusCode::BAD_REQUEST,
            ActionError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The envelope's `error` object.
    fn body(&self) -> Value {
        match self {
            ActionError::NotFound(what) => json!({
                "__type": "Not Found Error",
                "message": match what {
                    Some(what) => format!("Not found: {what}"),
                    None => "Not found".to_string(),
                },
            }),
            ActionError::Validation(fields) => {
                let mut error = fields.clone();
                error.insert("__type".into(), "Validation Error".into());
                Value::Object(error)
            }
            // CKAN formats the exception's arguments with Python's %r: a quoted string.
            ActionError::SearchQuery(message) => json!({
                "__type": "Search Query Error",
                "message": format!("Search Query is invalid: '{message}'"),
            }),
            ActionError::Internal => json!({
                "__type": "Internal Server Error",
                "message": "Internal Server Error",
            }),
        }
    }
}

impl From<AppError> for ActionError {
    fn from(error: AppError) -> Self {
        tracing::error!(%error, "a CKAN API action failed");
        ActionError::Internal
    }
}

/// Collects the validation errors of several parameters, as CKAN's schemas report every
/// refused field at once.
#[derive(Debug, Default)]
struct Checks(Map<String, Value>);

impl Checks {
    /// The value of `result`, or `None` with its errors kept.
    fn check<T>(&mut self, result: Result<T, ActionError>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.add(error);
                None
            }
        }
    }

    /// Keeps `error`'s messages.
    fn add(&mut self, error: ActionError) {
        if let ActionError::Validation(fields) = error {
            for (field, messages) in fields {
                match (self.0.get_mut(&field), messages) {
                    (Some(Value::Array(kept)), Value::Array(more)) => kept.extend(more),
                    (_, messages) => {
                        self.0.insert(field, messages);
                    }
                }
            }
        }
    }

    /// An error when any check failed.
    fn finish(self) -> Result<(), ActionError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ActionError::Validation(self.0))
        }
    }
}

/// What an action is called with.
struct Call {
    /// The database.
    pool: DbPool,
    /// `scheme://host` as the client addressed the portal.
    site: String,
    /// The request's path (the datastore's `_links` repeat it).
    path: String,
    /// The parameters.
    params: Params,
}

/// A JSON answer with the headers every answer of this API has.
fn json_response(status: StatusCode, body: &Value) -> Response {
    let mut response = (status, body.to_string()).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json;charset=utf-8"),
    );
    // Harvesters and browser apps on other origins read the catalogue.
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    response
}

/// CKAN's 400 for a request it cannot start: a bare JSON string.
fn bad_request(reason: &str) -> Response {
    json_response(
        StatusCode::BAD_REQUEST,
        &Value::String(format!("Bad request - {reason}")),
    )
}

/// The parameters of a request, as CKAN's `_get_request_data` finds them: GET from the
/// query string; POST from a form, else from the query string when it has any, else from
/// the JSON body. The error is what CKAN reports after `JSON Error: `.
fn read_params(
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Params, String> {
    let query = uri.query().unwrap_or_default();
    if *method != Method::POST {
        return Ok(Params::from_pairs(query.as_bytes()));
    }
    let form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| {
            value
                .to_ascii_lowercase()
                .starts_with("application/x-www-form-urlencoded")
        });
    if form && !body.is_empty() {
        return Params::from_form(body);
    }
    if !query.is_empty() {
        return Ok(Params::from_pairs(query.as_bytes()));
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Params::default());
    }
    Params::from_json(body)
}

async fn action(
    State(pool): State<DbPool>,
    State(config): State<AppConfig>,
    Path(name): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(action) = Action::named(&name) else {
        return bad_request(&format!("Action name not known: {name}"));
    };
    let mut params = match read_params(&method, &uri, &headers, &body) {
        Ok(params) => params,
        Err(reason) => return bad_request(&format!("JSON Error: {reason}")),
    };
    // JSONP's callback is not an action parameter (CKAN drops it too).
    params.remove("callback");
    let site = site_url(&headers, &config);
    let help = format!("{site}/api/3/action/help_show?name={}", action.name());
    let call = Call {
        pool,
        site,
        path: uri.path().to_string(),
        params,
    };
    match actions::run(action, &call).await {
        Ok(result) => json_response(
            StatusCode::OK,
            &json!({"help": help, "success": true, "result": result}),
        ),
        Err(error) => json_response(
            error.status(),
            &json!({"help": help, "success": false, "error": error.body()}),
        ),
    }
}

/// The answer to a browser's CORS preflight before a cross-origin JSON POST.
async fn preflight() -> Response {
    let mut response = StatusCode::NO_CONTENT.into_response();
    let headers = response.headers_mut();
    for (name, value) in [
        (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
        (header::ACCESS_CONTROL_ALLOW_METHODS, "GET, POST, OPTIONS"),
        (
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            "Content-Type, Authorization, X-CKAN-API-Key",
        ),
        (header::ACCESS_CONTROL_MAX_AGE, "86400"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_is_found_by_its_name() {
        for action in Action::ALL {
            assert_eq!(Action::named(action.name()), Some(action));
            assert!(!action.help().is_empty());
        }
        assert_eq!(Action::named("package_create"), None);
        assert_eq!(Action::named("Package_List"), None);
    }

    #[test]
    fn errors_have_ckans_shape_and_status() {
        let missing = ActionError::missing("id");
        assert_eq!(missing.status(), StatusCode::CONFLICT);
        assert_eq!(
            missing.body(),
            json!({"id": ["Missing value"], "__type": "Validation Error"})
        );
        assert_eq!(
            ActionError::NotFound(None).body(),
            json!({"__type": "Not Found Error", "message": "Not found"})
        );
        assert_eq!(
            ActionError::NotFound(Some("Resource \"x\" was not found.".into())).body()["message"],
            "Not found: Resource \"x\" was not found."
        );
        let query = ActionError::SearchQuery("Invalid \"sort\" parameter".into());
        assert_eq!(query.status(), StatusCode::BAD_REQUEST);
        assert_eq!(
            query.body()["message"],
            "Search Query is invalid: 'Invalid \"sort\" parameter'"
        );
        assert_eq!(
            ActionError::Internal.status(),
            StatusCode::INTERNAL_SERVER_ERROR
        );
    }

    #[test]
    fn checks_gather_every_refused_field() {
        let mut checks = Checks::default();
        assert_eq!(checks.check(Ok::<_, ActionError>(5)), Some(5));
        assert_eq!(
            checks.check(Err::<u8, _>(ActionError::missing("resource_id"))),
            None
        );
        checks.add(ActionError::invalid("limit", "Invalid integer"));
        checks.add(ActionError::invalid("limit", "again"));
        assert_eq!(
            checks.finish(),
            Err(ActionError::Validation(
                json!({"resource_id": ["Missing value"], "limit": ["Invalid integer", "again"]})
                    .as_object()
                    .cloned()
                    .unwrap_or_default()
            ))
        );
        assert_eq!(Checks::default().finish(), Ok(()));
    }

    #[test]
    fn params_come_from_where_ckan_reads_them() {
        let uri: Uri = "/api/3/action/package_show?id=a".parse().expect("a URI");
        let json = HeaderMap::new();
        let get = read_params(&Method::GET, &uri, &json, b"{\"id\": \"b\"}").expect("GET");
        assert_eq!(get.text("id").as_deref(), Some("a"), "GET reads the query");
        // udata-ckan's POST of `{}` with the parameters in the query string.
        let post = read_params(&Method::POST, &uri, &json, b"{}").expect("POST");
        assert_eq!(post.text("id").as_deref(), Some("a"));
        let bare: Uri = "/api/3/action/package_show".parse().expect("a URI");
        let body = read_params(&Method::POST, &bare, &json, b"{\"id\": \"b\"}").expect("JSON");
        assert_eq!(body.text("id").as_deref(), Some("b"));
        assert!(
            read_params(&Method::POST, &bare, &json, b"")
                .expect("empty")
                .is_empty()
        );
        assert!(read_params(&Method::POST, &bare, &json, b"{nope").is_err());
        let mut form = HeaderMap::new();
        form.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/x-www-form-urlencoded"),
        );
        let posted = read_params(&Method::POST, &uri, &form, b"id=c").expect("a form");
        assert_eq!(posted.text("id").as_deref(), Some("c"), "the form wins");
    }
}
