//! `datastore_search`: the rows of a dataset's newest version as CKAN's DataStore table
//! of its CSV resource (CKAN 2.11's answer, `_links` included).
//!
//! Rows are stored as JSON arrays in structure order, so a column is
//! `JSON_VALUE(cells, '$[i]')` with `i` taken from the structure, never from the request;
//! every value from the request is a bound parameter. `filters` compare typed values,
//! `q` is a case-insensitive `LIKE` over the row's text, and a page with neither reads by
//! row number (`row_no > offset`), which is as cheap deep in a version as at its start.

use chrono::NaiveDate;
use diesel::mysql::Mysql;
use diesel::sql_types::{BigInt, Integer, Text, Unsigned};
use diesel_async::RunQueryDsl;
use serde_json::{Map, Value, json};

use super::super::format::{ColumnType, Format, Structure, Value as Cell};
use super::super::model::DatasetVersionId;
use super::super::queries::Datasets;
use super::super::rows::row_values;
use super::catalogue::{Catalogue, ResourceKind};
use super::params::Params;
use super::{ActionError, Call, Checks};
use platform::db;
use platform::sql::{Bind, bind_all};

/// Rows of a page unless asked (CKAN's `ckan.datastore.search.rows_default`).
const ROWS_DEFAULT: u64 = 100;
/// The largest page; a larger `limit` is cut to it and the answer says so. CKAN's default
/// is 32,000; ours is lower because every row is parsed and re-encoded, and whoever wants
/// every row reads the CSV resource.
const ROWS_MAX: u64 = 10_000;
/// The most rows a filtered, searched or sorted page may skip: MariaDB reads and drops
/// every skipped row. Unfiltered pages skip by row number at no cost and have no bound.
const MAX_SCANNED_OFFSET: u64 = 100_000;
/// The most words and filter values one search may hold: each is a `LIKE` or a comparison
/// over every row of the version.
const MAX_SEARCH_TERMS: usize = 32;

/// The parameters CKAN's `datastore_search_schema` knows; any other is refused.
const KNOWN: [&str; 16] = [
    "resource_id",
    "id",
    "q",
    "plain",
    "filters",
    "language",
    "limit",
    "offset",
    "fields",
    "sort",
    "distinct",
    "include_total",
    "total_estimation_threshold",
    "records_format",
    "include_next_page",
    "full_text",
];

/// A full-text query.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum TextQuery {
    /// Words anywhere in the row.
    Row(String),
    /// Words in given columns: `{"column": "words"}`.
    Columns(Map<String, Value>),
}

/// `datastore_search`'s parameters, checked.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct SearchParams {
    /// The resource.
    pub resource_id: String,
    /// `{column: value or [values]}`.
    pub filters: Option<Map<String, Value>>,
    /// `q`.
    pub q: Option<TextQuery>,
    /// `full_text`: words anywhere in the row.
    pub full_text: Option<String>,
    /// Page size, at most [`ROWS_MAX`].
    pub limit: u64,
    /// Rows skipped.
    pub offset: u64,
    /// Columns to return (`None`: `_id` and all).
    pub fields: Option<Vec<String>>,
    /// Sort clauses (`"column [asc|desc]"`).
    pub sort: Option<Vec<String>>,
    /// Whether to count the matches.
    pub include_total: bool,
    /// Records as lists rather than objects.
    pub lists: bool,
}

impl SearchParams {
    /// Reads and checks `params`, reporting every refused one at once.
    pub fn read(params: &Params) -> Result<Self, ActionError> {
        let mut checks = Checks::default();
        let junk: Vec<&str> = params
            .keys()
            .map(String::as_str)
            .filter(|key| !KNOWN.contains(key))
            .collect();
        if !junk.is_empty() {
            checks.add(ActionError::invalid(
                "__junk",
                format!("The input field {} was not expected.", junk.join(", ")),
            ));
        }
        let resource_id = params
            .text("resource_id")
            .or_else(|| params.text("id"))
            .filter(|id| !id.trim().is_empty());
        if resource_id.is_none() {
            checks.add(ActionError::missing("resource_id"));
        }
        let filters = checks.check(json_object(params, "filters")).flatten();
        let q = match params.get("q") {
            None | Some(Value::Null) => None,
            Some(Value::Object(columns)) => Some(TextQuery::Columns(columns.clone())),
            Some(Value::String(text)) => match serde_json::from_str::<Value>(text) {
                // CKAN's `unicode_or_json_validator`: a JSON object in a string is one.
                Ok(Value::Object(columns)) if text.trim_start().starts_with('{') => {
                    Some(TextQuery::Columns(columns))
                }
                _ => Some(TextQuery::Row(text.clone())),
            },
            Some(other) => Some(TextQuery::Row(other.to_string())),
        };
        let limit = checks.check(params.natural("limit")).flatten();
        let offset = checks.check(params.integer("offset")).flatten();
        let offset = match offset {
            Some(offset) if offset < 0 => {
                checks.add(ActionError::invalid(
                    "offset",
                    format!("invalid value \"{offset}\""),
                ));
                0
            }
            Some(offset) => offset.unsigned_abs(),
            None => 0,
        };
        let lists = match params.text("records_format").as_deref() {
            None | Some("objects") => false,
            Some("lists") => true,
            Some(_) => {
                checks.add(ActionError::invalid(
                    "records_format",
                    "Value must be one of ['objects', 'lists']",
                ));
                false
            }
        };
        checks.finish()?;
        Ok(Self {
            resource_id: resource_id.unwrap_or_default(),
            filters,
            q,
            full_text: params.text("full_text").filter(|t| !t.trim().is_empty()),
            limit: limit.unwrap_or(ROWS_DEFAULT).min(ROWS_MAX),
            offset,
            fields: params.list("fields"),
            sort: params.list("sort"),
            include_total: params.flag("include_total", true),
            lists,
        })
    }
}

/// `key` as a JSON object, or the JSON text of one (CKAN's `json_validator`).
fn json_object(params: &Params, key: &str) -> Result<Option<Map<String, Value>>, ActionError> {
    let value = match params.get(key) {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::String(text)) => serde_json::from_str::<Value>(text)
            .map_err(|_| ActionError::invalid(key, "Could not parse as valid JSON"))?,
        Some(other) => other.clone(),
    };
    match value {
        Value::Object(map) => Ok(Some(map)),
        other => Err(ActionError::invalid(
            key,
            format!("invalid value \"{other}\": not a JSON object"),
        )),
    }
}

/// A column of the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Selected {
    /// `_id`, the row number.
    Id,
    /// The structure's column at this index.
    Column(usize),
}

/// How to read a search: the conditions and order in SQL, and the columns to return.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Plan {
    /// SQL conditions beyond the version, ANDed.
    pub conditions: Vec<String>,
    /// Their parameters, in order.
    pub binds: Vec<Bind>,
    /// `ORDER BY` terms before the row number; empty for row order.
    pub order: Vec<String>,
    /// The answer's columns.
    pub columns: Vec<Selected>,
}

/// The cell at `index` of a row, as text (`NULL` for JSON null).
fn cell(index: usize) -> String {
    format!("JSON_VALUE(cells, '$[{index}]')")
}

/// `text` as a `LIKE` pattern matching it anywhere (`!` escapes).
fn contains_pattern(text: &str) -> String {
    format!("%{}%", platform::sql::escape_like(text, '!'))
}

/// The column (or `_id`) called `name` in `structure`.
fn selected(structure: &Structure, name: &str) -> Option<Selected> {
    if name == "_id" {
        return Some(Selected::Id);
    }
    structure.column_index(name).map(Selected::Column)
}

/// Checks `params` against the resource's `structure` and turns them into a plan.
pub(super) fn plan(params: &SearchParams, structure: &Structure) -> Result<Plan, ActionError> {
    let mut checks = Checks::default();
    let mut plan = Plan {
        conditions: Vec::new(),
        binds: Vec::new(),
        order: Vec::new(),
        columns: Vec::new(),
    };
    for (name, value) in params.filters.iter().flatten() {
        let Some(target) = selected(structure, name) else {
            checks.add(ActionError::invalid(
                "filters",
                format!("invalid value \"{name}\""),
            ));
            continue;
        };
        match filter_condition(structure, target, value) {
            Ok((condition, binds)) => {
                plan.conditions.push(condition);
                plan.binds.extend(binds);
            }
            Err(message) => checks.add(ActionError::invalid(
                "filters",
                format!("invalid value {value} for field \"{name}\": {message}"),
            )),
        }
    }
    let mut row_words: Vec<String> = Vec::new();
    match &params.q {
        Some(TextQuery::Row(text)) => row_words.extend(text.split_whitespace().map(str::to_string)),
        Some(TextQuery::Columns(columns)) => {
            for (name, words) in columns {
                let (Some(Selected::Column(index)), Value::String(words)) =
                    (selected(structure, name), words)
                else {
                    checks.add(ActionError::invalid(
                        "q",
                        format!("invalid value \"{name}\""),
                    ));
                    continue;
                };
                for word in words.split_whitespace() {
                    plan.conditions.push(format!(
                        "{} COLLATE utf8mb4_unicode_ci LIKE ? ESCAPE '!'",
                        cell(index)
                    ));
                    plan.binds.push(Bind::Text(contains_pattern(word)));
                }
            }
        }
        None => {}
    }
    if let Some(text) = &params.full_text {
        row_words.extend(text.split_whitespace().map(str::to_string));
    }
    for word in row_words {
        // The row's text is its JSON: look for the word as JSON spells it inside a string
        // (quotes and backslashes escaped), case-insensitively.
        let spelled = serde_json::to_string(&word).unwrap_or_default();
        let inner = spelled
            .strip_prefix('"')
            .and_then(|s| s.strip_suffix('"'))
            .unwrap_or(&word);
        plan.conditions
            .push("cells COLLATE utf8mb4_unicode_ci LIKE ? ESCAPE '!'".to_string());
        plan.binds.push(Bind::Text(contains_pattern(inner)));
    }
    for clause in params.sort.iter().flatten() {
        match sort_term(structure, clause) {
            Some(terms) => plan.order.extend(terms),
            None => checks.add(ActionError::invalid(
                "sort",
                format!("invalid value \"{clause}\""),
            )),
        }
    }
    match &params.fields {
        None => {
            plan.columns.push(Selected::Id);
            plan.columns
                .extend((0..structure.columns.len()).map(Selected::Column));
        }
        Some(names) => {
            for name in names {
                match selected(structure, name) {
                    Some(column) if !plan.columns.contains(&column) => plan.columns.push(column),
                    Some(_) => {}
                    None => checks.add(ActionError::invalid(
                        "fields",
                        format!("invalid value \"{name}\""),
                    )),
                }
            }
        }
    }
    if plan.binds.len() > MAX_SEARCH_TERMS {
        checks.add(ActionError::invalid(
            if params.q.is_some() || params.full_text.is_some() {
                "q"
            } else {
                "filters"
            },
            format!("at most {MAX_SEARCH_TERMS} words and filter values in one search"),
        ));
    }
    let scans = !plan.conditions.is_empty() || !plan.order.is_empty();
    if scans && params.offset > MAX_SCANNED_OFFSET {
        checks.add(ActionError::invalid(
            "offset",
            format!(
                "at most {MAX_SCANNED_OFFSET} with filters, q or sort; narrow the search instead"
            ),
        ));
    }
    checks.finish()?;
    Ok(plan)
}

/// A filter on `target` for `value` (a list is any of its values): the SQL and its
/// parameters, or why the value does not fit the column.
fn filter_condition(
    structure: &Structure,
    target: Selected,
    value: &Value,
) -> Result<(String, Vec<Bind>), String> {
    if let Value::Array(values) = value {
        if values.is_empty() {
            return Ok(("FALSE".to_string(), Vec::new()));
        }
        let mut parts = Vec::new();
        let mut binds = Vec::new();
        for value in values {
            if value.is_array() {
                return Err("a list in a list".into());
            }
            let (part, more) = filter_condition(structure, target, value)?;
            parts.push(part);
            binds.extend(more);
        }
        return Ok((format!("({})", parts.join(" OR ")), binds));
    }
    if value.is_object() {
        return Err("range and operator filters are not supported".into());
    }
    let text = match value {
        Value::String(text) => Some(text.trim().to_string()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(truth) => Some(truth.to_string()),
        _ => None,
    };
    let index = match target {
        Selected::Id => {
            let Some(text) = text else {
                return Ok(("FALSE".to_string(), Vec::new()));
            };
            let number: i64 = text.parse().map_err(|_| "not a row number")?;
            return Ok(("row_no = ?".to_string(), vec![Bind::BigInt(number)]));
        }
        Selected::Column(index) => index,
    };
    let expression = cell(index);
    let Some(text) = text else {
        return Ok((format!("{expression} IS NULL"), Vec::new()));
    };
    let kind = structure
        .columns
        .get(index)
        .map_or(ColumnType::String, |column| column.kind);
    Ok(match kind {
        // A string filter compares text; PostgreSQL compares `text = '10'` the same way.
        ColumnType::String => (format!("{expression} = ?"), vec![Bind::Text(text)]),
        ColumnType::Integer | ColumnType::Number => {
            match (kind, text.parse::<i64>(), text.parse::<f64>()) {
                (ColumnType::Integer, Ok(whole), _) => (
                    format!("CAST({expression} AS SIGNED) = ?"),
                    vec![Bind::BigInt(whole)],
                ),
                (_, _, Ok(float)) if float.is_finite() => (
                    format!("CAST({expression} AS DOUBLE) = ?"),
                    vec![Bind::Double(float)],
                ),
                _ => return Err("not a number".into()),
            }
        }
        ColumnType::Date => {
            let date = NaiveDate::parse_from_str(&text, "%Y-%m-%d")
                .map_err(|_| "not a date (YYYY-MM-DD)")?;
            (
                format!("{expression} = ?"),
                vec![Bind::Text(date.format("%Y-%m-%d").to_string())],
            )
        }
        ColumnType::Boolean => {
            // JSON_VALUE spells a JSON true as 1 (MariaDB); a cell stored as a number too.
            let truth = match text.to_ascii_lowercase().as_str() {
                "true" | "t" | "yes" | "y" | "on" | "1" => true,
                "false" | "f" | "no" | "n" | "off" | "0" => false,
                _ => return Err("not a boolean".into()),
            };
            let spellings = if truth {
                "('1', 'true')"
            } else {
                "('0', 'false')"
            };
            (format!("{expression} IN {spellings}"), Vec::new())
        }
    })
}

/// The `ORDER BY` terms of a sort clause (`name`, `"name" desc`), or `None` for a
/// column that does not exist or a direction that is neither. Nulls sort last going up
/// and first going down, as in PostgreSQL.
fn sort_term(structure: &Structure, clause: &str) -> Option<Vec<String>> {
    let parts: Vec<&str> = clause.split_whitespace().collect();
    let (name, descending) = match parts.as_slice() {
        [name] => (*name, false),
        [name, direction] => match direction.to_ascii_lowercase().as_str() {
            "asc" => (*name, false),
            "desc" => (*name, true),
            _ => return None,
        },
        _ => return None,
    };
    let name = name.trim_matches('"');
    let expression = match selected(structure, name)? {
        Selected::Id => return Some(vec![format!("row_no {}", direction(descending))]),
        Selected::Column(index) => match structure.columns.get(index)?.kind {
            ColumnType::Integer => format!("CAST({} AS SIGNED)", cell(index)),
            ColumnType::Number => format!("CAST({} AS DOUBLE)", cell(index)),
            _ => format!("{} COLLATE utf8mb4_unicode_ci", cell(index)),
        },
    };
    Some(vec![
        format!("{expression} IS NULL {}", direction(descending)),
        format!("{expression} {}", direction(descending)),
    ])
}

fn direction(descending: bool) -> &'static str {
    if descending { "DESC" } else { "ASC" }
}

impl Plan {
    /// `WHERE` for `version` and the conditions.
    fn filter(&self) -> String {
        let mut filter = "WHERE version_id = ?".to_string();
        for condition in &self.conditions {
            filter.push_str(" AND (");
            filter.push_str(condition);
            filter.push(')');
        }
        filter
    }

    /// The count of matching rows, or `None` when every row matches.
    fn count_sql(&self) -> Option<String> {
        (!self.conditions.is_empty())
            .then(|| format!("SELECT COUNT(*) AS n FROM dataset_rows {}", self.filter()))
    }

    /// The page's SQL and its parameters after the version's.
    fn page_sql(&self, limit: u64, offset: u64) -> (String, Vec<Bind>) {
        let mut binds = self.binds.clone();
        if self.conditions.is_empty() && self.order.is_empty() {
            // Row numbers run 1..=row_count without gaps: skip by key, not by counting.
            binds.push(Bind::UnsignedBigInt(offset));
            binds.push(Bind::UnsignedBigInt(limit));
            return (
                "SELECT row_no, cells FROM dataset_rows WHERE version_id = ? AND row_no > ? \
                 ORDER BY row_no LIMIT ?"
                    .to_string(),
                binds,
            );
        }
        let mut order = self.order.clone();
        order.push("row_no".to_string());
        binds.push(Bind::UnsignedBigInt(limit));
        binds.push(Bind::UnsignedBigInt(offset));
        (
            format!(
                "SELECT row_no, cells FROM dataset_rows {} ORDER BY {} LIMIT ? OFFSET ?",
                self.filter(),
                order.join(", ")
            ),
            binds,
        )
    }
}

/// `sql` with `version` and `binds` bound.
fn bound(
    sql: String,
    version: DatasetVersionId,
    binds: Vec<Bind>,
) -> diesel::query_builder::BoxedSqlQuery<'static, Mysql, diesel::query_builder::SqlQuery> {
    let query = diesel::sql_query(sql)
        .into_boxed::<Mysql>()
        .bind::<Unsigned<BigInt>, _>(version.0);
    bind_all(query, binds)
}

#[derive(diesel::QueryableByName)]
struct Row {
    #[diesel(sql_type = Unsigned<Integer>)]
    row_no: u32,
    #[diesel(sql_type = Text)]
    cells: String,
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// A cell as CKAN's JSON spells it (dates as `YYYY-MM-DD`, like PostgreSQL's `date`).
fn cell_json(value: Cell) -> Value {
    match value {
        Cell::Null => Value::Null,
        Cell::Text(text) => Value::String(text),
        Cell::Integer(whole) => whole.into(),
        Cell::Number(float) => {
            serde_json::Number::from_f64(float).map_or(Value::Null, Value::Number)
        }
        Cell::Date(date) => Value::String(date.format("%Y-%m-%d").to_string()),
        Cell::Boolean(truth) => Value::Bool(truth),
    }
}

/// The `fields` of the answer: `{id, type}` of each column, with the column's Russian
/// title and English description as CKAN's data dictionary `info`.
fn fields_json(structure: &Structure, columns: &[Selected]) -> Vec<Value> {
    columns
        .iter()
        .filter_map(|column| match column {
            Selected::Id => Some(json!({"id": "_id", "type": "int"})),
            Selected::Column(index) => structure.columns.get(*index).map(|column| {
                json!({
                    "id": column.name,
                    "type": column.kind.ckan_type(),
                    "info": {"label": column.russian, "notes": column.english},
                })
            }),
        })
        .collect()
}

/// CKAN 2.11's `_links`: the same request from the start, the next page and (when it
/// is not the start) the previous one, as paths with the parameters in the query.
fn links(path: &str, params: &Params, limit: u64, offset: u64) -> Value {
    let pairs: Vec<(String, String)> = params
        .pairs()
        .into_iter()
        .filter(|(key, _)| key != "offset")
        .collect();
    let link = |offset: Option<u64>| {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (key, value) in &pairs {
            query.append_pair(key, value);
        }
        if let Some(offset) = offset {
            query.append_pair("offset", &offset.to_string());
        }
        let query = query.finish();
        if query.is_empty() {
            path.to_string()
        } else {
            format!("{path}?{query}")
        }
    };
    let mut links = Map::new();
    links.insert("start".into(), link(None).into());
    links.insert("next".into(), link(Some(offset + limit)).into());
    if offset > limit {
        links.insert("prev".into(), link(Some(offset - limit)).into());
    }
    Value::Object(links)
}

/// `datastore_search`.
pub(super) async fn search(call: &Call) -> Result<Value, ActionError> {
    let params = SearchParams::read(&call.params)?;
    let catalogue = Catalogue::load(&call.pool).await?;
    let not_found = || {
        ActionError::NotFound(Some(format!(
            "Resource \"{}\" was not found.",
            params.resource_id
        )))
    };
    let (package, kind) = catalogue
        .resource(&params.resource_id)
        .ok_or_else(not_found)?;
    if kind != ResourceKind::Data(Format::Csv) {
        // Only the CSV resource is a datastore table (`datastore_active`).
        return Err(not_found());
    }
    let resource_id = package.resource_id(kind);
    let (dataset, version, rows_in_version) = (
        package.info.id,
        package.latest.id,
        u64::from(package.latest.row_count),
    );
    let structure_version = package.latest.structure;
    let structure = db::run(&call.pool, move |mut conn| async move {
        Datasets::structure(&mut conn, dataset, structure_version).await
    })
    .await?
    .ok_or_else(|| {
        tracing::error!(%dataset, "the newest version's structure is missing");
        ActionError::Internal
    })?;
    let plan = plan(&params, &structure)?;

    let (limit, offset) = (params.limit, params.offset);
    let count_sql = params.include_total.then(|| plan.count_sql());
    let page = (limit > 0).then(|| plan.page_sql(limit, offset));
    let binds = plan.binds.clone();
    let (total, rows) = db::run(&call.pool, move |mut conn| async move {
        let total = match count_sql {
            None => None,
            Some(None) => Some(rows_in_version),
            Some(Some(sql)) => {
                let count: Count = bound(sql, version, binds).get_result(&mut *conn).await?;
                Some(count.n.unsigned_abs())
            }
        };
        let rows: Vec<Row> = match page {
            None => Vec::new(),
            Some((sql, binds)) => bound(sql, version, binds).load(&mut *conn).await?,
        };
        Ok((total, rows))
    })
    .await?;

    let mut records = Vec::with_capacity(rows.len());
    for row in rows {
        let values = row_values(&row.cells, &structure).map_err(|error| {
            tracing::error!(%error, %version, row = row.row_no, "a stored row does not read back");
            ActionError::Internal
        })?;
        let mut values: Vec<Option<Cell>> = values.into_iter().map(Some).collect();
        let mut take = |column: &Selected| match column {
            Selected::Id => Value::from(row.row_no),
            Selected::Column(index) => values
                .get_mut(*index)
                .and_then(Option::take)
                .map_or(Value::Null, cell_json),
        };
        records.push(if params.lists {
            Value::Array(plan.columns.iter().map(&mut take).collect())
        } else {
            let mut record = Map::new();
            for column in &plan.columns {
                let key = match column {
                    Selected::Id => "_id".to_string(),
                    Selected::Column(index) => structure
                        .columns
                        .get(*index)
                        .map(|c| c.name.clone())
                        .unwrap_or_default(),
                };
                record.insert(key, take(column));
            }
            Value::Object(record)
        });
    }

    let mut result = Map::new();
    result.insert("resource_id".into(), resource_id.into());
    result.insert(
        "fields".into(),
        fields_json(&structure, &plan.columns).into(),
    );
    result.insert("records".into(), records.into());
    result.insert(
        "records_format".into(),
        if params.lists { "lists" } else { "objects" }.into(),
    );
    result.insert("limit".into(), limit.into());
    result.insert("offset".into(), offset.into());
    result.insert("include_total".into(), params.include_total.into());
    if let Some(total) = total {
        result.insert("total".into(), total.into());
        result.insert("total_was_estimated".into(), false.into());
    }
    if let Some(filters) = &params.filters {
        result.insert("filters".into(), Value::Object(filters.clone()));
    }
    if let Some(q) = call.params.get("q") {
        result.insert("q".into(), q.clone());
    }
    if let Some(sort) = &params.sort {
        result.insert("sort".into(), json!(sort));
    }
    result.insert(
        "_links".into(),
        links(&call.path, &call.params, limit, offset),
    );
    Ok(Value::Object(result))
}

#[cfg(test)]
mod tests {
    use super::super::super::format::Column;
    use super::*;

    fn structure() -> Structure {
        Structure {
            version: NaiveDate::from_ymd_opt(2026, 2, 1).unwrap_or_default(),
            columns: vec![
                Column::new("name", "Name", "Наименование", ColumnType::String),
                Column::new("floors", "Floors", "Этажность", ColumnType::Integer),
                Column::new("lat", "Latitude", "Широта", ColumnType::Number),
                Column::new("opened", "Opened", "Открыт", ColumnType::Date),
                Column::new("active", "Active", "Действует", ColumnType::Boolean),
            ],
            latitude: Some(2),
            longitude: None,
        }
    }

    fn read(value: Value) -> Result<SearchParams, ActionError> {
        SearchParams::read(&Params::from_value(value))
    }

    fn planned(value: Value) -> Result<Plan, ActionError> {
        plan(&read(value)?, &structure())
    }

    fn errors(error: ActionError) -> Value {
        match error {
            ActionError::Validation(fields) => Value::Object(fields),
            other => panic!("not a validation error: {other:?}"),
        }
    }

    #[test]
    fn parameters_have_ckans_defaults_and_limits() {
        let params = read(json!({"resource_id": "r"})).expect("valid");
        assert_eq!((params.limit, params.offset), (100, 0));
        assert!(params.include_total && !params.lists);
        let params = read(json!({"id": "r", "limit": "99999", "offset": 7})).expect("valid");
        assert_eq!(params.resource_id, "r", "id is resource_id");
        assert_eq!(
            (params.limit, params.offset),
            (ROWS_MAX, 7),
            "limit is capped"
        );
        let params = read(json!({"resource_id": "r", "filters": "{\"name\": \"A\"}"}))
            .expect("filters as JSON text");
        assert_eq!(params.filters.map(|f| f["name"].clone()), Some(json!("A")));
        let params = read(json!({"resource_id": "r", "q": "{\"name\": \"школа\"}"})).expect("q");
        assert!(matches!(params.q, Some(TextQuery::Columns(_))));
        let params = read(json!({"resource_id": "r", "q": "школа 5"})).expect("q");
        assert_eq!(params.q, Some(TextQuery::Row("школа 5".into())));
    }

    #[test]
    fn bad_parameters_are_all_reported() {
        let error = read(json!({
            "limit": "many", "offset": -1, "filters": "{oops", "records_format": "csv",
            "colour": "red"
        }))
        .expect_err("refused");
        assert_eq!(
            errors(error),
            json!({
                "resource_id": ["Missing value"],
                "limit": ["Invalid integer"],
                "offset": ["invalid value \"-1\""],
                "filters": ["Could not parse as valid JSON"],
                "records_format": ["Value must be one of ['objects', 'lists']"],
                "__junk": ["The input field colour was not expected."],
            })
        );
        assert_eq!(
            errors(read(json!({"resource_id": "r", "limit": -5})).expect_err("negative")),
            json!({"limit": ["Must be a natural number"]})
        );
        assert_eq!(
            errors(read(json!({"resource_id": "r", "filters": [1]})).expect_err("a list")),
            json!({"filters": ["invalid value \"[1]\": not a JSON object"]})
        );
    }

    #[test]
    fn searches_are_bounded_in_words_and_in_the_rows_they_skip() {
        let words = vec!["слово"; MAX_SEARCH_TERMS + 1].join(" ");
        let error = planned(json!({"resource_id": "r", "q": words})).expect_err("too many");
        assert!(
            errors(error)["q"][0]
                .as_str()
                .is_some_and(|m| m.contains("at most 32"))
        );
        let fits = vec!["слово"; MAX_SEARCH_TERMS].join(" ");
        assert!(planned(json!({"resource_id": "r", "q": fits})).is_ok());

        let deep = MAX_SCANNED_OFFSET + 1;
        let error = planned(json!({"resource_id": "r", "sort": "name", "offset": deep}))
            .expect_err("a deep sorted page");
        assert!(
            errors(error)["offset"][0]
                .as_str()
                .is_some_and(|m| m.contains("narrow"))
        );
        assert!(
            planned(json!({"resource_id": "r", "offset": deep})).is_ok(),
            "row order skips by row number, at any depth"
        );
    }

    #[test]
    fn filters_compare_typed_values_through_bound_parameters() {
        let plan = planned(json!({"resource_id": "r", "filters": {
            "name": "Школа № 5'; DROP TABLE x; --", "floors": "9", "lat": 45.04,
            "opened": "2020-09-01", "active": true, "_id": 3
        }}))
        .expect("a plan");
        assert_eq!(
            plan.conditions,
            [
                "row_no = ?",
                "JSON_VALUE(cells, '$[4]') IN ('1', 'true')",
                "CAST(JSON_VALUE(cells, '$[1]') AS SIGNED) = ?",
                "CAST(JSON_VALUE(cells, '$[2]') AS DOUBLE) = ?",
                "JSON_VALUE(cells, '$[0]') = ?",
                "JSON_VALUE(cells, '$[3]') = ?",
            ]
        );
        assert_eq!(
            plan.binds,
            [
                Bind::BigInt(3),
                Bind::BigInt(9),
                Bind::Double(45.04),
                Bind::Text("Школа № 5'; DROP TABLE x; --".into()),
                Bind::Text("2020-09-01".into()),
            ]
        );
        let lists = planned(json!({"resource_id": "r", "filters": {
            "floors": [5, "9"], "name": [], "opened": null
        }}))
        .expect("a plan");
        assert_eq!(
            lists.conditions,
            [
                "(CAST(JSON_VALUE(cells, '$[1]') AS SIGNED) = ? OR CAST(JSON_VALUE(cells, '$[1]') AS SIGNED) = ?)",
                "FALSE",
                "JSON_VALUE(cells, '$[3]') IS NULL",
            ]
        );
        assert_eq!(lists.binds, [Bind::BigInt(5), Bind::BigInt(9)]);
    }

    #[test]
    fn filters_on_unknown_columns_or_of_the_wrong_type_are_refused() {
        assert_eq!(
            errors(
                planned(json!({"resource_id": "r", "filters": {"colour": "red"}}))
                    .expect_err("unknown")
            ),
            json!({"filters": ["invalid value \"colour\""]})
        );
        for (column, value) in [
            ("floors", json!("nine")),
            ("lat", json!("north")),
            ("opened", json!("01.09.2020")),
            ("active", json!("maybe")),
            ("name", json!({"lt": 5})),
        ] {
            let error = planned(json!({"resource_id": "r", "filters": {column: value}}))
                .expect_err("a wrong type");
            let message = errors(error)["filters"][0]
                .as_str()
                .unwrap_or_default()
                .to_string();
            assert!(
                message.starts_with(&format!("invalid value {value} for field \"{column}\"")),
                "{message}"
            );
        }
    }

    #[test]
    fn full_text_fields_and_sort() {
        let plan = planned(json!({
            "resource_id": "r", "q": "школа 50%", "fields": "name, _id, name",
            "sort": "floors desc, \"name\""
        }))
        .expect("a plan");
        assert_eq!(
            plan.conditions,
            [
                "cells COLLATE utf8mb4_unicode_ci LIKE ? ESCAPE '!'",
                "cells COLLATE utf8mb4_unicode_ci LIKE ? ESCAPE '!'",
            ]
        );
        assert_eq!(
            plan.binds,
            [Bind::Text("%школа%".into()), Bind::Text("%50!%%".into())]
        );
        assert_eq!(plan.columns, [Selected::Column(0), Selected::Id]);
        assert_eq!(
            plan.order,
            [
                "CAST(JSON_VALUE(cells, '$[1]') AS SIGNED) IS NULL DESC",
                "CAST(JSON_VALUE(cells, '$[1]') AS SIGNED) DESC",
                "JSON_VALUE(cells, '$[0]') COLLATE utf8mb4_unicode_ci IS NULL ASC",
                "JSON_VALUE(cells, '$[0]') COLLATE utf8mb4_unicode_ci ASC",
            ]
        );
        let quoted = planned(json!({"resource_id": "r", "q": "\"цех\""})).expect("a plan");
        assert_eq!(
            quoted.binds,
            [Bind::Text("%\\\"цех\\\"%".into())],
            "as JSON spells it"
        );
        let by_column =
            planned(json!({"resource_id": "r", "q": {"name": "школа"}})).expect("a plan");
        assert_eq!(
            by_column.conditions,
            ["JSON_VALUE(cells, '$[0]') COLLATE utf8mb4_unicode_ci LIKE ? ESCAPE '!'"]
        );
        let refused = planned(json!({
            "resource_id": "r", "fields": ["colour"], "sort": "name sideways", "q": {"colour": "x"}
        }))
        .expect_err("refused");
        assert_eq!(
            errors(refused),
            json!({
                "fields": ["invalid value \"colour\""],
                "sort": ["invalid value \"name sideways\""],
                "q": ["invalid value \"colour\""],
            })
        );
    }

    #[test]
    fn pages_skip_by_row_number_unless_filtered_or_sorted() {
        let plain = planned(json!({"resource_id": "r"})).expect("a plan");
        assert_eq!(
            plain.count_sql(),
            None,
            "the version's row count is the total"
        );
        let (sql, binds) = plain.page_sql(10, 20);
        assert!(
            sql.contains("row_no > ?") && !sql.contains("OFFSET"),
            "{sql}"
        );
        assert_eq!(binds, [Bind::UnsignedBigInt(20), Bind::UnsignedBigInt(10)]);
        let filtered =
            planned(json!({"resource_id": "r", "filters": {"floors": 5}})).expect("a plan");
        assert_eq!(
            filtered.count_sql().as_deref(),
            Some(
                "SELECT COUNT(*) AS n FROM dataset_rows WHERE version_id = ? AND \
                 (CAST(JSON_VALUE(cells, '$[1]') AS SIGNED) = ?)"
            )
        );
        let (sql, binds) = filtered.page_sql(10, 20);
        assert!(sql.ends_with("ORDER BY row_no LIMIT ? OFFSET ?"), "{sql}");
        assert_eq!(
            binds,
            [
                Bind::BigInt(5),
                Bind::UnsignedBigInt(10),
                Bind::UnsignedBigInt(20)
            ]
        );
    }

    #[test]
    fn links_repeat_the_request_with_other_offsets() {
        let params = Params::from_pairs(b"resource_id=r&limit=10&offset=30&q=a+b");
        let links = links("/api/3/action/datastore_search", &params, 10, 30);
        assert_eq!(
            links,
            json!({
                "start": "/api/3/action/datastore_search?limit=10&q=a+b&resource_id=r",
                "next": "/api/3/action/datastore_search?limit=10&q=a+b&resource_id=r&offset=40",
                "prev": "/api/3/action/datastore_search?limit=10&q=a+b&resource_id=r&offset=20",
            })
        );
        let first = super::links("/api/action/datastore_search", &Params::default(), 100, 0);
        assert_eq!(
            first,
            json!({
                "start": "/api/action/datastore_search",
                "next": "/api/action/datastore_search?offset=100",
            })
        );
    }

    #[test]
    fn cells_and_fields_are_spelled_as_ckan_spells_them() {
        assert_eq!(cell_json(Cell::Integer(5)), json!(5));
        assert_eq!(cell_json(Cell::Number(45.04)), json!(45.04));
        assert_eq!(
            cell_json(Cell::Date(
                NaiveDate::from_ymd_opt(2020, 9, 1).unwrap_or_default()
            )),
            json!("2020-09-01")
        );
        assert_eq!(cell_json(Cell::Null), Value::Null);
        let fields = fields_json(&structure(), &[Selected::Id, Selected::Column(2)]);
        assert_eq!(
            fields,
            [
                json!({"id": "_id", "type": "int"}),
                json!({"id": "lat", "type": "numeric", "info": {"label": "Широта", "notes": "Latitude"}}),
            ]
        );
    }
}
