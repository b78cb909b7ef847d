//! The actions: each reads its parameters as CKAN's `logic/action/get.py` does, refuses
//! bad ones before touching the database, and answers from the catalogue, which is read
//! whole in two queries (a regional catalogue has tens of datasets, not millions).

use std::collections::HashMap;

use serde_json::{Value, json};

use super::catalogue::{Catalogue, Organization};
use super::search::{self, Query, SearchDoc};
use super::{Action, ActionError, Call, Checks, datastore};
use crate::opendata::model::{CATALOG_DESCRIPTION, CATALOG_TITLE};

/// Largest `rows` of `package_search` (CKAN's `ckan.search.rows_max`).
const SEARCH_ROWS_MAX: u64 = 1_000;
/// `package_search`'s default order.
const DEFAULT_SEARCH_SORT: &str = "score desc, metadata_modified desc";

/// Runs `action`.
pub(super) async fn run(action: Action, call: &Call) -> Result<Value, ActionError> {
    match action {
        Action::PackageList => package_list(call).await,
        Action::PackageShow => package_show(call).await,
        Action::PackageSearch => package_search(call).await,
        Action::CurrentPackageListWithResources => current_package_list(call).await,
        Action::OrganizationList => organization_list(call).await,
        Action::OrganizationShow => organization_show(call).await,
        Action::GroupList => group_list(call),
        Action::GroupShow => group_show(call),
        Action::ResourceShow => resource_show(call).await,
        Action::DatastoreSearch => datastore::search(call).await,
        Action::StatusShow => Ok(status_show(&call.site)),
        // Removed from CKAN 2.11 (it always answered true); older clients still ask.
        Action::SiteRead => Ok(Value::Bool(true)),
        Action::HelpShow => help_show(call),
    }
}

/// `limit` and `offset` as natural numbers (CKAN's pagination schema).
fn pagination(call: &Call) -> Result<(Option<u64>, Option<u64>), ActionError> {
    let mut checks = Checks::default();
    let limit = checks.check(call.params.natural("limit")).flatten();
    let offset = checks.check(call.params.natural("offset")).flatten();
    checks.finish()?;
    Ok((limit, offset))
}

/// The page `offset`/`limit` of `items`; like CKAN's `if limit:`, a limit of 0 is none.
fn page<T>(items: impl Iterator<Item = T>, limit: Option<u64>, offset: Option<u64>) -> Vec<T> {
    let offset = usize::try_from(offset.unwrap_or(0)).unwrap_or(usize::MAX);
    let limit = match limit {
        Some(0) | None => usize::MAX,
        Some(limit) => usize::try_from(limit).unwrap_or(usize::MAX),
    };
    items.skip(offset).take(limit).collect()
}

async fn package_list(call: &Call) -> Result<Value, ActionError> {
    let (limit, offset) = pagination(call)?;
    let catalogue = Catalogue::load(&call.pool).await?;
    let names = page(
        catalogue
            .packages
            .iter()
            .map(|package| package.name.clone()),
        limit,
        offset,
    );
    Ok(json!(names))
}

async fn package_show(call: &Call) -> Result<Value, ActionError> {
    // CKAN: `data_dict.get("id") or _get_or_bust(data_dict, "name_or_id")`.
    let wanted = match call.params.text("id").filter(|id| !id.is_empty()) {
        Some(id) => id,
        None => call.params.required("name_or_id")?.unwrap_or_default(),
    };
    let catalogue = Catalogue::load(&call.pool).await?;
    let package = catalogue
        .package(&wanted)
        .ok_or(ActionError::NotFound(None))?;
    Ok(catalogue.package_dict(package, &call.site))
}

/// What `package_search` was asked, checked.
struct SearchRequest {
    /// `q`, `fq` and `fq_list`, all required.
    query: Query,
    /// The sort as given (CKAN echoes it).
    sort: String,
    /// The sort, read.
    keys: Vec<(search::SortKey, bool)>,
    /// Page size.
    rows: usize,
    /// Packages skipped.
    start: usize,
    /// Fields to count.
    facet_fields: Vec<String>,
    /// Most values counted per field (`None`: all).
    facet_limit: Option<usize>,
    /// Fewest packages a counted value needs.
    facet_mincount: u64,
}

impl SearchRequest {
    fn read(call: &Call) -> Result<Self, ActionError> {
        let params = &call.params;
        let mut checks = Checks::default();
        let rows = checks.check(params.natural("rows")).flatten();
        let start = checks.check(params.natural("start")).flatten();
        let facet_limit = checks.check(params.integer("facet.limit")).flatten();
        let facet_mincount = checks.check(params.natural("facet.mincount")).flatten();
        let facet_fields = checks.check(facet_fields(params)).unwrap_or_default();
        checks.finish()?;

        let now = platform::clock::now();
        let mut clauses = Vec::new();
        let q = params.text("q").unwrap_or_default();
        // `fq` repeated in a query string arrives as a list: each is one more filter.
        let mut filters: Vec<String> = match params.get("fq") {
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(|item| item.as_str().map(str::to_string))
                .collect(),
            _ => params.text("fq").into_iter().collect(),
        };
        if let Some(Value::Array(items)) = params.get("fq_list") {
            filters.extend(items.iter().filter_map(|i| i.as_str().map(str::to_string)));
        } else if let Some(text) = params.text("fq_list") {
            filters.push(text);
        }
        if filters.len() > search::MAX_FILTERS {
            return Err(ActionError::SearchQuery(format!(
                "too many filters: at most {}",
                search::MAX_FILTERS
            )));
        }
        for text in std::iter::once(&q).chain(&filters) {
            clauses.push(search::parse(text, now).map_err(ActionError::SearchQuery)?);
        }
        let sort = params
            .text("sort")
            .filter(|sort| !sort.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_SEARCH_SORT.to_string());
        let keys = search::parse_sort(&sort).map_err(ActionError::SearchQuery)?;
        let to_usize = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
        Ok(Self {
            query: Query::And(clauses),
            sort,
            keys,
            rows: to_usize(rows.unwrap_or(10).min(SEARCH_ROWS_MAX)),
            start: to_usize(start.unwrap_or(0)),
            facet_fields: if params.flag("facet", true) {
                facet_fields
            } else {
                Vec::new()
            },
            // Solr's facet.limit: negative is unlimited.
            facet_limit: match facet_limit {
                Some(limit) if limit < 0 => None,
                Some(limit) => Some(to_usize(limit.unsigned_abs())),
                None => Some(50),
            },
            facet_mincount: facet_mincount.unwrap_or(1),
        })
    }
}

/// `facet.field`: a list of names, or the JSON text of one.
fn facet_fields(params: &super::params::Params) -> Result<Vec<String>, ActionError> {
    let field = "facet.field";
    let list = match params.get(field) {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::String(text)) => serde_json::from_str::<Value>(text)
            .map_err(|_| ActionError::invalid(field, "Could not parse as valid JSON"))?,
        Some(other) => other.clone(),
    };
    match list {
        Value::Array(items) if items.iter().all(Value::is_string) => Ok(items
            .into_iter()
            .filter_map(|item| item.as_str().map(str::to_string))
            .collect()),
        _ => Err(ActionError::invalid(field, "Not a list")),
    }
}

async fn package_search(call: &Call) -> Result<Value, ActionError> {
    let request = SearchRequest::read(call)?;
    let catalogue = Catalogue::load(&call.pool).await?;
    let docs: Vec<SearchDoc> = catalogue
        .packages
        .iter()
        .map(|package| catalogue.search_doc(package))
        .collect();
    let mut found: Vec<&SearchDoc> = docs.iter().filter(|d| request.query.matches(d)).collect();
    search::sort_docs(&mut found, &request.keys);
    let (facets, search_facets) = search::facets(
        &found,
        &request.facet_fields,
        request.facet_limit,
        request.facet_mincount,
    );
    let packages: HashMap<&str, _> = catalogue
        .packages
        .iter()
        .map(|package| (package.id.as_str(), package))
        .collect();
    let results: Vec<Value> = found
        .iter()
        .skip(request.start)
        .take(request.rows)
        .filter_map(|doc| packages.get(doc.id.as_str()))
        .map(|package| catalogue.package_dict(package, &call.site))
        .collect();
    Ok(json!({
        "count": found.len(),
        "results": results,
        "facets": facets,
        "search_facets": search_facets,
        "sort": request.sort,
    }))
}

/// piveau's "DKAN dialect": packages with their resources, most recently modified first.
async fn current_package_list(call: &Call) -> Result<Value, ActionError> {
    let mut checks = Checks::default();
    let limit = checks.check(call.params.natural("limit")).flatten();
    let offset = checks.check(call.params.natural("offset")).flatten();
    let page_number = checks.check(call.params.natural("page")).flatten();
    if page_number == Some(0) {
        checks.add(ActionError::invalid("page", "Must be a positive integer"));
    }
    checks.finish()?;
    // CKAN runs package_search with rows = limit (default 10) and start = offset, or
    // (page - 1) * limit when only a page is given.
    let rows = limit.unwrap_or(10).min(SEARCH_ROWS_MAX);
    let start = match (offset, page_number, limit) {
        (Some(offset), _, _) => offset,
        (None, Some(page), Some(limit)) => (page - 1).saturating_mul(limit),
        _ => 0,
    };
    if rows == 0 {
        return Ok(json!([]));
    }
    let catalogue = Catalogue::load(&call.pool).await?;
    let mut packages: Vec<_> = catalogue.packages.iter().collect();
    packages.sort_by(|a, b| {
        b.metadata_modified()
            .cmp(&a.metadata_modified())
            .then_with(|| a.id.cmp(&b.id))
    });
    let dicts = page(
        packages
            .into_iter()
            .map(|package| catalogue.package_dict(package, &call.site)),
        Some(rows),
        Some(start),
    );
    Ok(json!(dicts))
}

/// `organization_list`'s `sort`, as CKAN's `_unpick_search` reads it: one
/// `field [asc|desc]` of `name`, `title`, `package_count` (`packages` alone meaning
/// most packages first).
fn organization_sort(sort: &str) -> Result<(&'static str, bool), ActionError> {
    let sort = sort.trim();
    if sort == "packages" || sort == "package_count" {
        return Ok(("package_count", true));
    }
    let clauses: Vec<&str> = sort.split(',').collect();
    if clauses.len() > 1 {
        return Err(ActionError::message(
            "Too many sort criteria provided only 1 allowed",
        ));
    }
    let parts: Vec<&str> = sort.split_whitespace().collect();
    let field = parts.first().copied().unwrap_or_default();
    let field = match field {
        "name" => "name",
        "title" => "title",
        "packages" | "package_count" => "package_count",
        other => {
            return Err(ActionError::message(format!(
                "Cannot sort by field `{other}`"
            )));
        }
    };
    match parts.get(1).map(|d| d.to_ascii_lowercase()).as_deref() {
        None | Some("asc") => Ok((field, false)),
        Some("desc") => Ok((field, true)),
        Some(other) => Err(ActionError::message(format!(
            "Invalid sort direction `{other}`"
        ))),
    }
}

async fn organization_list(call: &Call) -> Result<Value, ActionError> {
    let params = &call.params;
    let (limit, offset) = pagination(call)?;
    let all_fields = params.flag("all_fields", false);
    let sort = params
        .text("sort")
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| "title".to_string());
    let (field, descending) = organization_sort(&sort)?;
    let wanted = params.list("organizations");
    let q = params.text("q").unwrap_or_default().trim().to_lowercase();
    let catalogue = Catalogue::load(&call.pool).await?;
    let mut organizations: Vec<&Organization> = catalogue
        .organizations
        .iter()
        .filter(|org| {
            wanted
                .as_ref()
                .is_none_or(|names| names.contains(&org.name))
        })
        .filter(|org| {
            q.is_empty() || org.name.contains(&q) || org.title.to_lowercase().contains(&q)
        })
        .collect();
    organizations.sort_by(|a, b| {
        let order = match field {
            "name" => a.name.cmp(&b.name),
            "package_count" => a.package_count.cmp(&b.package_count),
            _ => a.title.to_lowercase().cmp(&b.title.to_lowercase()),
        };
        let order = if descending { order.reverse() } else { order };
        order.then_with(|| a.name.cmp(&b.name))
    });
    // CKAN caps the page at 25 dicts or 1000 names.
    let max = if all_fields { 25 } else { 1_000 };
    let limit = Some(limit.map_or(max, |limit| limit.min(max)));
    let chosen = page(organizations.into_iter(), limit, offset);
    let include_count = params.flag("include_dataset_count", true);
    Ok(if all_fields {
        json!(
            chosen
                .into_iter()
                .map(|org| {
                    let mut dict = catalogue.organization_dict(org);
                    if !include_count && let Some(map) = dict.as_object_mut() {
                        map.remove("package_count");
                    }
                    dict
                })
                .collect::<Vec<_>>()
        )
    } else {
        json!(chosen.into_iter().map(|org| &org.name).collect::<Vec<_>>())
    })
}

async fn organization_show(call: &Call) -> Result<Value, ActionError> {
    let wanted = call.params.required("id")?.unwrap_or_default();
    let catalogue = Catalogue::load(&call.pool).await?;
    let organization = catalogue
        .organization(&wanted)
        .ok_or(ActionError::NotFound(None))?;
    let mut dict = catalogue.organization_dict(organization);
    if call.params.flag("include_datasets", false)
        && let Some(map) = dict.as_object_mut()
    {
        let packages: Vec<Value> = catalogue
            .packages
            .iter()
            .filter(|package| {
                catalogue
                    .organization_of(package)
                    .is_some_and(|org| org.id == organization.id)
            })
            .map(|package| catalogue.package_dict(package, &call.site))
            .collect();
        map.insert("packages".into(), Value::Array(packages));
    }
    Ok(dict)
}

/// The portal files its datasets' themes as keywords (tags), not as curated groups, so
/// there are no groups; the parameters are still checked as CKAN checks them.
fn group_list(call: &Call) -> Result<Value, ActionError> {
    pagination(call)?;
    Ok(json!([]))
}

fn group_show(call: &Call) -> Result<Value, ActionError> {
    call.params.required("id")?;
    Err(ActionError::NotFound(None))
}

async fn resource_show(call: &Call) -> Result<Value, ActionError> {
    let wanted = call.params.required("id")?.unwrap_or_default();
    let catalogue = Catalogue::load(&call.pool).await?;
    let (package, kind) = catalogue
        .resource(&wanted)
        .ok_or(ActionError::NotFound(None))?;
    Ok(catalogue.resource_dict(package, kind, &call.site))
}

fn status_show(site: &str) -> Value {
    // No `ckan_version`: this is not CKAN, and CKAN hides it when configured to.
    json!({
        "site_title": CATALOG_TITLE,
        "site_description": CATALOG_DESCRIPTION,
        "site_url": site,
        "error_emails_to": null,
        "locale_default": "ru",
        "extensions": ["datastore"],
    })
}

fn help_show(call: &Call) -> Result<Value, ActionError> {
    let name = call.params.required("name")?.unwrap_or_default();
    let action = Action::named(&name)
        .ok_or_else(|| ActionError::NotFound(Some("Action function not found".into())))?;
    Ok(Value::String(action.help().to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_treat_a_zero_limit_as_none() {
        let items = || 1..=5;
        assert_eq!(page(items(), Some(2), Some(1)), [2, 3]);
        assert_eq!(page(items(), Some(0), None), [1, 2, 3, 4, 5]);
        assert_eq!(page(items(), None, Some(4)), [5]);
        assert_eq!(page(items(), Some(3), Some(10)), Vec::<i32>::new());
    }

    #[test]
    fn organization_sorts_are_read_as_ckan_reads_them() {
        assert_eq!(organization_sort("title"), Ok(("title", false)));
        assert_eq!(organization_sort("name desc"), Ok(("name", true)));
        assert_eq!(organization_sort("packages"), Ok(("package_count", true)));
        assert_eq!(
            organization_sort("package_count asc"),
            Ok(("package_count", false))
        );
        assert_eq!(
            organization_sort("colour"),
            Err(ActionError::message("Cannot sort by field `colour`"))
        );
        assert_eq!(
            organization_sort("name up"),
            Err(ActionError::message("Invalid sort direction `up`"))
        );
        assert!(organization_sort("name, title").is_err());
    }
}
