//! Construction-control queries: the registry (table, map, entry pages, edits with their
//! history), the import's reads and its all-or-nothing write, citizens' reports and their
//! verification, and the analytics.
//!
//! The registry filter is rendered into SQL text by `RegistryFilterSql`, like the problem
//! filter: every value it writes is a number, a date we formatted, one of our own status
//! names, or text that went through `sql_string` (search words are letters and digits
//! only), so nothing from a request reaches the SQL unescaped.

mod illegal;

pub use illegal::{
    IllegalRegistry, apply_illegal_import, foreign_illegal_rows, plan_illegal_import,
};

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Double, Nullable, SmallInt, Text, Unsigned};
use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl};

use super::model::{
    Analytics, AnalyticsFilter, CONSTRUCTION_REPORT, ChangeEntry, ConstructionDetail,
    ConstructionFields, ConstructionId, ConstructionReportId, ConstructionRow, ConstructionStatus,
    CountRow, DENSITY_CELL_DEGREES, DiffAspect, Editor, FieldChange, Footprint, ImportCounts,
    ImportId, REGISTRY_PAGE_SIZE, RegistryField, RegistryFilter, RegistryPage, RegistryScope,
    RegistrySort, ReportAction, ReportDetail, ReportEvent, ReportFilter, ReportKind, ReportParties,
    ReportStatus, ReportSummary, ValidReport, ValidVerification, number_key,
};
use crate::auth::model::{Role, SessionUser, UserId};
use crate::geography::model::MunicipalityId;
use crate::organisation::model::{DepartmentId, ThemeId};
use civic::audit::{AuditEntry, AuditEvent};
use civic::notifications::Notifications;
use civic::photos::{Photos, VERIFICATION};
use platform::db::clusters::load_grid_clusters;
use platform::db::last_insert_id;
use platform::db::schema::{
    construction_changes, construction_report_events, construction_reports, constructions,
    inspection_acts, users,
};
use platform::error::{AppError, ErrorCode};
use platform::geo::LatLon;
use platform::geo::{MapCluster, Viewport};
use platform::webhook;

/// The columns of `ConstructionRow`, in `RowSql` order.
const ROW_COLUMNS: &str = "c.id, c.registry_number, c.object_name, c.address, c.municipality_id, \
    c.developer_name, c.developer_inn, c.permit_number, c.permit_date, c.floors, c.status, \
    c.lat, c.lon, c.report_count, c.violation_count, c.permit_issuer, c.permitted_use, \
    c.total_area_m2, c.planned_completion";

#[derive(QueryableByName)]
struct RowSql {
    #[diesel(sql_type = Unsigned<BigInt>)]
    id: ConstructionId,
    #[diesel(sql_type = Text)]
    registry_number: String,
    #[diesel(sql_type = Text)]
    object_name: String,
    #[diesel(sql_type = Text)]
    address: String,
    #[diesel(sql_type = Unsigned<BigInt>)]
    municipality_id: MunicipalityId,
    #[diesel(sql_type = Text)]
    developer_name: String,
    #[diesel(sql_type = Text)]
    developer_inn: String,
    #[diesel(sql_type = Text)]
    permit_number: String,
    #[diesel(sql_type = Date)]
    permit_date: NaiveDate,
    #[diesel(sql_type = Nullable<Unsigned<SmallInt>>)]
    floors: Option<u16>,
    #[diesel(sql_type = Text)]
    status: String,
    #[diesel(sql_type = Double)]
    lat: f64,
    #[diesel(sql_type = Double)]
    lon: f64,
    #[diesel(sql_type = Unsigned<diesel::sql_types::Integer>)]
    report_count: u32,
    #[diesel(sql_type = Unsigned<diesel::sql_types::Integer>)]
    violation_count: u32,
    #[diesel(sql_type = Text)]
    permit_issuer: String,
    #[diesel(sql_type = Text)]
    permitted_use: String,
    #[diesel(sql_type = Nullable<Double>)]
    total_area_m2: Option<f64>,
    #[diesel(sql_type = Nullable<Date>)]
    planned_completion: Option<NaiveDate>,
}

impl From<RowSql> for ConstructionRow {
    fn from(row: RowSql) -> Self {
        Self {
            id: row.id,
            registry_number: row.registry_number,
            object_name: row.object_name,
            address: row.address,
            municipality_id: row.municipality_id,
            developer_name: row.developer_name,
            developer_inn: row.developer_inn,
            permit_number: row.permit_number,
            permit_date: row.permit_date,
            floors: row.floors,
            status: ConstructionStatus::from_db(&row.status)
                .unwrap_or(ConstructionStatus::PermitIssued),
            point: LatLon {
                lat: row.lat,
                lon: row.lon,
            },
            report_count: row.report_count,
            violation_count: row.violation_count,
        }
    }
}

/// A string literal for MySQL: quotes and backslashes escaped (the connection runs with
/// the default SQL mode, where backslash is an escape character).
fn sql_string(value: &str) -> String {
    let mut quoted = String::with_capacity(value.len() + 2);
    quoted.push('\'');
    for c in value.chars() {
        match c {
            '\'' => quoted.push_str("''"),
            '\\' => quoted.push_str("\\\\"),
            '\0' => {}
            c => quoted.push(c),
        }
    }
    quoted.push('\'');
    quoted
}

/// The WHERE clause of a registry filter.
struct RegistryFilterSql {
    conditions: Vec<String>,
}

impl RegistryFilterSql {
    fn new(filter: &RegistryFilter) -> Self {
        let mut conditions = Vec::new();
        if let Some(municipality) = filter.municipality_id {
            conditions.push(format!("c.municipality_id = {municipality}"));
        }
        if let Some(status) = filter.status {
            conditions.push(format!("c.status = '{}'", status.as_db()));
        }
        if let Some(inn) = &filter.developer_inn {
            conditions.push(format!("c.developer_inn = {}", sql_string(inn)));
        }
        if let Some(name) = &filter.developer_name {
            let escaped = platform::sql::escape_like(name, '\\');
            conditions.push(format!(
                "c.developer_name LIKE {}",
                sql_string(&format!("{escaped}%"))
            ));
        }
        if let Some(from) = filter.from {
            conditions.push(format!("c.permit_date >= '{from}'"));
        }
        if let Some(to) = filter.to {
            conditions.push(format!("c.permit_date <= '{to}'"));
        }
        if !filter.words.is_empty() {
            // Every word must occur, as a word prefix: "+жил* +краснод*".
            let boolean: Vec<String> = filter.words.iter().map(|w| format!("+{w}*")).collect();
            conditions.push(format!(
                "MATCH (c.registry_number, c.object_name, c.address, c.developer_name, \
                 c.permit_number) AGAINST ({} IN BOOLEAN MODE)",
                sql_string(&boolean.join(" "))
            ));
        }
        Self { conditions }
    }

    fn and(mut self, condition: String) -> Self {
        self.conditions.push(condition);
        self
    }

    fn render(&self) -> String {
        if self.conditions.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", self.conditions.join(" AND "))
        }
    }
}

fn order_sql(sort: RegistrySort) -> &'static str {
    match sort {
        RegistrySort::PermitNewest => "ORDER BY c.permit_date DESC, c.id DESC",
        RegistrySort::PermitOldest => "ORDER BY c.permit_date ASC, c.id ASC",
        RegistrySort::Number => "ORDER BY c.registry_number ASC",
        RegistrySort::Name => "ORDER BY c.object_name ASC, c.id ASC",
    }
}

type FieldsTuple = (
    (
        String,
        String,
        String,
        f64,
        f64,
        MunicipalityId,
        String,
        String,
    ),
    (
        String,
        NaiveDate,
        String,
        String,
        Option<u16>,
        Option<f64>,
        Option<NaiveDate>,
        String,
        Option<String>,
    ),
);

macro_rules! fields_columns {
    () => {
        (
            (
                constructions::registry_number,
                constructions::object_name,
                constructions::address,
                constructions::lat,
                constructions::lon,
                constructions::municipality_id,
                constructions::developer_name,
                constructions::developer_inn,
            ),
            (
                constructions::permit_number,
                constructions::permit_date,
                constructions::permit_issuer,
                constructions::permitted_use,
                constructions::floors,
                constructions::total_area_m2,
                constructions::planned_completion,
                constructions::status,
                constructions::footprint,
            ),
        )
    };
}

fn fields_of(row: FieldsTuple) -> ConstructionFields {
    let (
        (registry_number, object_name, address, lat, lon, municipality_id, developer_name, inn),
        (
            permit_number,
            permit_date,
            permit_issuer,
            permitted_use,
            floors,
            total_area_m2,
            planned_completion,
            status,
            footprint,
        ),
    ) = row;
    ConstructionFields {
        registry_number,
        object_name,
        address,
        point: LatLon { lat, lon },
        municipality_id,
        developer_name,
        developer_inn: inn,
        permit_number,
        permit_date,
        permit_issuer,
        permitted_use,
        floors,
        total_area_m2,
        planned_completion,
        status: ConstructionStatus::from_db(&status).unwrap_or(ConstructionStatus::PermitIssued),
        // Only `Footprint::to_geojson` writes the column, so it always reads back.
        footprint: footprint.as_deref().and_then(Footprint::from_stored),
    }
}

/// The theme whose routing rules name the construction-supervision departments.
pub const SUPERVISION_THEME: &str = "illegal-construction";

/// The departments that keep the registry and verify reports: those the routing rules
/// of `SUPERVISION_THEME` name.
pub async fn supervision_departments(
    conn: &mut AsyncMysqlConnection,
) -> QueryResult<Vec<DepartmentId>> {
    use platform::db::schema::{routing_rules, themes};
    routing_rules::table
        .inner_join(themes::table)
        .filter(themes::slug.eq(SUPERVISION_THEME))
        .select(routing_rules::department_id)
        .distinct()
        .load(conn)
        .await
}

/// Where `user` may change the registry: everywhere for an administrator or an official of
/// a department the supervision theme's regional rule names; else the municipalities whose
/// rules name one of the user's departments. One municipal rule no longer opens the whole
/// region's registry.
pub async fn registry_scope(
    conn: &mut AsyncMysqlConnection,
    user: &SessionUser,
) -> QueryResult<RegistryScope> {
    use platform::db::schema::{routing_rules, themes};
    if user.has_role(Role::Admin) {
        return Ok(RegistryScope::Region);
    }
    let departments = user.official_departments();
    if departments.is_empty() {
        return Ok(RegistryScope::Municipalities(Vec::new()));
    }
    let rules: Vec<Option<MunicipalityId>> = routing_rules::table
        .inner_join(themes::table)
        .filter(themes::slug.eq(SUPERVISION_THEME))
        .filter(routing_rules::department_id.eq_any(departments))
        .select(routing_rules::municipality_id)
        .load(conn)
        .await?;
    if rules.contains(&None) {
        return Ok(RegistryScope::Region);
    }
    Ok(RegistryScope::Municipalities(
        rules.into_iter().flatten().collect(),
    ))
}

/// The theme whose routing rules route construction reports.
pub async fn supervision_theme(conn: &mut AsyncMysqlConnection) -> QueryResult<Option<ThemeId>> {
    use platform::db::schema::themes;
    themes::table
        .filter(themes::slug.eq(SUPERVISION_THEME))
        .select(themes::id)
        .first(conn)
        .await
        .optional()
}

/// The registry.
pub struct Registry;

impl Registry {
    /// The SQL of one registry page (one row more than a page, to know whether another
    /// follows).
    ///
    /// Without search words it is a deferred join: the page's ids come from the filter's
    /// and the sort's index (secondary indexes carry the primary key), and only those rows
    /// are read whole, so page 200 does not read the 9,950 rows it skips. With search words
    /// the full-text match decides the rows anyway; the query then also counts the matches
    /// (`SQL_CALC_FOUND_ROWS`, read by `FOUND_ROWS()`), so the match runs once, not twice.
    pub fn page_sql(filter: &RegistryFilter, sort: RegistrySort, page: u32) -> String {
        let offset = u64::from(page.max(1) - 1) * u64::from(REGISTRY_PAGE_SIZE);
        let limit = REGISTRY_PAGE_SIZE + 1;
        let (filter_sql, order) = (RegistryFilterSql::new(filter).render(), order_sql(sort));
        if filter.words.is_empty() {
            format!(
                "SELECT {ROW_COLUMNS} FROM constructions c JOIN (SELECT c.id FROM \
                 constructions c {filter_sql} {order} LIMIT {limit} OFFSET {offset}) page \
                 ON page.id = c.id {order}"
            )
        } else {
            format!(
                "SELECT SQL_CALC_FOUND_ROWS {ROW_COLUMNS} FROM constructions c {filter_sql} \
                 {order} LIMIT {limit} OFFSET {offset}"
            )
        }
    }

    /// The SQL counting the entries a filter matches; run right after `page_sql` on the
    /// same connection (with search words it reads the count that query made).
    pub fn count_sql(filter: &RegistryFilter) -> String {
        if filter.words.is_empty() {
            format!(
                "SELECT COUNT(*) AS count FROM constructions c {}",
                RegistryFilterSql::new(filter).render()
            )
        } else {
            "SELECT FOUND_ROWS() AS count".to_string()
        }
    }

    /// One page of the registry table, with the number of matching entries.
    pub async fn page(
        conn: &mut AsyncMysqlConnection,
        filter: &RegistryFilter,
        sort: RegistrySort,
        page: u32,
    ) -> QueryResult<RegistryPage> {
        #[derive(QueryableByName)]
        struct Count {
            #[diesel(sql_type = BigInt)]
            count: i64,
        }
        let page = page.max(1);
        let mut rows: Vec<ConstructionRow> = diesel::sql_query(Self::page_sql(filter, sort, page))
            .load::<RowSql>(conn)
            .await?
            .into_iter()
            .map(Into::into)
            .collect();
        let has_more = rows.len() > REGISTRY_PAGE_SIZE as usize;
        rows.truncate(REGISTRY_PAGE_SIZE as usize);
        let total = diesel::sql_query(Self::count_sql(filter))
            .get_result::<Count>(conn)
            .await?
            .count
            .max(0) as u64;
        Ok(RegistryPage {
            rows,
            total,
            page,
            has_more,
        })
    }

    /// Every entry a filter matches, in the table's order, up to `limit` (the exports).
    pub async fn all(
        conn: &mut AsyncMysqlConnection,
        filter: &RegistryFilter,
        sort: RegistrySort,
        limit: u32,
    ) -> QueryResult<
        Vec<(
            ConstructionRow,
            String,
            String,
            Option<f64>,
            Option<NaiveDate>,
        )>,
    > {
        let sql = format!(
            "SELECT {ROW_COLUMNS} FROM constructions c {} {} LIMIT {limit}",
            RegistryFilterSql::new(filter).render(),
            order_sql(sort),
        );
        Ok(diesel::sql_query(sql)
            .load::<RowSql>(conn)
            .await?
            .into_iter()
            .map(|row| {
                let extra = (
                    row.permit_issuer.clone(),
                    row.permitted_use.clone(),
                    row.total_area_m2,
                    row.planned_completion,
                );
                (row.into(), extra.0, extra.1, extra.2, extra.3)
            })
            .collect())
    }

    /// The map's markers in `viewport`: entries grouped into grid cells of the zoom's size.
    pub async fn clusters(
        conn: &mut AsyncMysqlConnection,
        filter: &RegistryFilter,
        viewport: Viewport,
    ) -> QueryResult<Vec<MapCluster>> {
        let (south_west, north_east) = (viewport.south_west, viewport.north_east);
        let filter_sql = RegistryFilterSql::new(filter)
            .and(format!(
                "c.lat BETWEEN {:.7} AND {:.7}",
                south_west.lat, north_east.lat
            ))
            .and(format!(
                "c.lon BETWEEN {:.7} AND {:.7}",
                south_west.lon, north_east.lon
            ));
        let from = format!("constructions c {}", filter_sql.render());
        load_grid_clusters(conn, "c", &from, viewport.cell_degrees()).await
    }

    /// An entry's data.
    pub async fn fields(
        conn: &mut AsyncMysqlConnection,
        id: ConstructionId,
    ) -> QueryResult<Option<ConstructionFields>> {
        constructions::table
            .find(id)
            .select(fields_columns!())
            .first::<FieldsTuple>(conn)
            .await
            .optional()
            .map(|row| row.map(fields_of))
    }

    /// An entry's page: data, history, reports.
    pub async fn detail(
        conn: &mut AsyncMysqlConnection,
        id: ConstructionId,
        can_edit: bool,
    ) -> QueryResult<Option<ConstructionDetail>> {
        let Some(fields) = Self::fields(conn, id).await? else {
            return Ok(None);
        };
        let (created_at, updated_at): (NaiveDateTime, NaiveDateTime) = constructions::table
            .find(id)
            .select((constructions::created_at, constructions::updated_at))
            .first(conn)
            .await?;
        let history = Self::history(conn, HistoryOf::Entry(id), 200).await?;
        let reports = Reports::of_construction(conn, id).await?;
        Ok(Some(ConstructionDetail {
            id,
            fields,
            created_at,
            updated_at,
            history,
            reports,
            can_edit,
        }))
    }

    /// The id of the entry with `registry_number`.
    pub async fn id_of(
        conn: &mut AsyncMysqlConnection,
        registry_number: &str,
    ) -> QueryResult<Option<ConstructionId>> {
        constructions::table
            .filter(constructions::registry_number.eq(registry_number))
            .select(constructions::id)
            .first(conn)
            .await
            .optional()
    }

    /// Adds an entry (with its "created" history entry). A taken registry number is an
    /// `Invalid` error on that field.
    pub async fn create(
        conn: &mut AsyncMysqlConnection,
        fields: &ConstructionFields,
        editor: Editor,
        now: NaiveDateTime,
    ) -> Result<ConstructionId, AppError> {
        if Self::id_of(conn, &fields.registry_number).await?.is_some() {
            return Err(AppError::invalid("registry_number", ErrorCode::Duplicate));
        }
        let id = insert_entry(conn, fields, now).await?;
        record_change(conn, id, true, &fields.changes_from(None), editor, now).await?;
        Ok(id)
    }

    /// Changes an entry; records the changed fields. Returns whether anything changed.
    pub async fn update(
        conn: &mut AsyncMysqlConnection,
        id: ConstructionId,
        fields: &ConstructionFields,
        editor: Editor,
        now: NaiveDateTime,
    ) -> Result<bool, AppError> {
        let before = constructions::table
            .find(id)
            .select(fields_columns!())
            .for_update()
            .first::<FieldsTuple>(conn)
            .await
            .optional()?
            .map(fields_of)
            .ok_or(AppError::NotFound)?;
        let holder = Self::id_of(conn, &fields.registry_number).await?;
        if holder.is_some_and(|holder| holder != id) {
            return Err(AppError::invalid("registry_number", ErrorCode::Duplicate));
        }
        let changes = fields.changes_from(Some(&before));
        if changes.is_empty() {
            return Ok(false);
        }
        update_entry(conn, id, fields, now).await?;
        record_change(conn, id, false, &changes, editor, now).await?;
        Ok(true)
    }

    /// The entries whose registry numbers are among `numbers`, keyed by `number_key`:
    /// what an import compares its rows with.
    pub async fn by_numbers(
        conn: &mut AsyncMysqlConnection,
        numbers: &[String],
    ) -> QueryResult<HashMap<String, (ConstructionId, ConstructionFields)>> {
        let mut found = HashMap::with_capacity(numbers.len());
        for chunk in numbers.chunks(1000) {
            let rows: Vec<(ConstructionId, FieldsTuple)> = constructions::table
                .filter(constructions::registry_number.eq_any(chunk))
                .select((constructions::id, fields_columns!()))
                .load(conn)
                .await?;
            for (id, row) in rows {
                let fields = fields_of(row);
                found.insert(number_key(&fields.registry_number), (id, fields));
            }
        }
        Ok(found)
    }

    /// History entries, newest first: of one entry, or of one import (its change list).
    pub async fn history(
        conn: &mut AsyncMysqlConnection,
        of: HistoryOf,
        limit: i64,
    ) -> QueryResult<Vec<ChangeEntry>> {
        let query = construction_changes::table
            .inner_join(constructions::table)
            .left_join(users::table)
            .select((
                construction_changes::construction_id,
                constructions::registry_number,
                construction_changes::kind,
                diesel::dsl::sql::<Text>("CAST(construction_changes.changes AS CHAR)"),
                users::display_name.nullable(),
                construction_changes::import_id,
                construction_changes::changed_at,
            ))
            .order(construction_changes::id.desc())
            .limit(limit)
            .into_boxed();
        let query = match of {
            HistoryOf::Entry(id) => query.filter(construction_changes::construction_id.eq(id)),
            HistoryOf::Import(id) => query.filter(construction_changes::import_id.eq(id)),
        };
        #[allow(clippy::type_complexity)]
        let rows: Vec<(
            ConstructionId,
            String,
            String,
            String,
            Option<String>,
            Option<ImportId>,
            NaiveDateTime,
        )> = query.load(conn).await?;
        Ok(rows
            .into_iter()
            .map(
                |(construction_id, registry_number, kind, changes, actor_name, import_id, at)| {
                    ChangeEntry {
                        construction_id,
                        registry_number,
                        created: kind == "created",
                        changes: serde_json::from_str::<Vec<FieldChange>>(&changes)
                            .unwrap_or_default(),
                        actor_name,
                        import_id,
                        at,
                    }
                },
            )
            .collect())
    }

    /// Number of entries.
    pub async fn count(conn: &mut AsyncMysqlConnection) -> QueryResult<i64> {
        constructions::table.count().get_result(conn).await
    }
}

/// Whose history to list.
#[derive(Debug, Clone, Copy)]
pub enum HistoryOf {
    /// One registry entry's.
    Entry(ConstructionId),
    /// One import's change list.
    Import(ImportId),
}

/// The columns of an entry's data, as assignments from `ConstructionFields`: what both
/// adding and changing an entry write.
macro_rules! entry_values {
    ($fields:expr) => {
        (
            (
                constructions::registry_number.eq(&$fields.registry_number),
                constructions::object_name.eq(&$fields.object_name),
                constructions::address.eq(&$fields.address),
                constructions::lat.eq($fields.point.lat),
                constructions::lon.eq($fields.point.lon),
                constructions::municipality_id.eq($fields.municipality_id),
                constructions::developer_name.eq(&$fields.developer_name),
                constructions::developer_inn.eq(&$fields.developer_inn),
                constructions::permit_number.eq(&$fields.permit_number),
            ),
            (
                constructions::permit_date.eq($fields.permit_date),
                constructions::permit_issuer.eq(&$fields.permit_issuer),
                constructions::permitted_use.eq(&$fields.permitted_use),
                constructions::floors.eq($fields.floors),
                constructions::total_area_m2.eq($fields.total_area_m2),
                constructions::planned_completion.eq($fields.planned_completion),
                constructions::status.eq($fields.status.as_db()),
                constructions::footprint.eq($fields.footprint.as_ref().map(Footprint::to_geojson)),
            ),
        )
    };
}

async fn insert_entry(
    conn: &mut AsyncMysqlConnection,
    fields: &ConstructionFields,
    now: NaiveDateTime,
) -> QueryResult<ConstructionId> {
    diesel::insert_into(constructions::table)
        .values((
            entry_values!(fields),
            constructions::created_at.eq(now),
            constructions::updated_at.eq(now),
        ))
        .execute(conn)
        .await?;
    Ok(ConstructionId(last_insert_id(conn).await?))
}

async fn update_entry(
    conn: &mut AsyncMysqlConnection,
    id: ConstructionId,
    fields: &ConstructionFields,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(constructions::table.find(id))
        .set((entry_values!(fields), constructions::updated_at.eq(now)))
        .execute(conn)
        .await
        .map(drop)
}

async fn record_change(
    conn: &mut AsyncMysqlConnection,
    id: ConstructionId,
    created: bool,
    changes: &[FieldChange],
    editor: Editor,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    record_changes(conn, &[(id, created, changes.to_vec())], editor, now).await
}

/// Writes history rows (entry, whether it was created, its changes) in one statement.
async fn record_changes(
    conn: &mut AsyncMysqlConnection,
    entries: &[(ConstructionId, bool, Vec<FieldChange>)],
    editor: Editor,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    if entries.is_empty() {
        return Ok(());
    }
    let mut rows = Vec::with_capacity(entries.len());
    for (id, created, changes) in entries {
        let changes = serde_json::to_string(changes).map_err(|error| {
            tracing::error!(%error, "could not encode a change list");
            AppError::Internal
        })?;
        rows.push((
            construction_changes::construction_id.eq(*id),
            construction_changes::kind.eq(if *created { "created" } else { "updated" }),
            construction_changes::changes.eq(changes),
            construction_changes::user_id.eq(editor.user),
            construction_changes::import_id.eq(editor.import),
            construction_changes::changed_at.eq(now),
        ));
    }
    diesel::insert_into(construction_changes::table)
        .values(rows)
        .execute(conn)
        .await?;
    Ok(())
}

/// Rows an import writes per statement: one multi-row INSERT for the chunk's new entries
/// and one for its history rows, instead of two statements per row.
const IMPORT_CHUNK: usize = platform::db::INSERT_CHUNK;

/// What importing one row does to the registry.
enum RowOutcome {
    /// A new entry.
    Add,
    /// The entry already says this.
    Unchanged,
    /// The entry changes to `fields` (the row, with what the file lacks kept).
    Update(ConstructionId, Box<ConstructionFields>, Vec<FieldChange>),
}

/// What importing `record` does, given the entries with the rows' numbers and the fields
/// the file has columns for.
fn row_outcome(
    record: &ConstructionFields,
    existing: &HashMap<String, (ConstructionId, ConstructionFields)>,
    columns: &[RegistryField],
) -> RowOutcome {
    let Some((id, before)) = existing.get(&number_key(&record.registry_number)) else {
        return RowOutcome::Add;
    };
    let mut after = record.clone();
    after.keep_absent_from(before, &|field| columns.contains(&field));
    let changes = after.changes_from(Some(before));
    if changes.is_empty() {
        RowOutcome::Unchanged
    } else {
        RowOutcome::Update(*id, Box::new(after), changes)
    }
}

/// Counts what importing `records` would do, without writing. `columns` are the fields
/// the file has: optional fields it lacks keep their registry values.
pub async fn plan_import(
    conn: &mut AsyncMysqlConnection,
    records: &[ConstructionFields],
    columns: &[RegistryField],
) -> QueryResult<ImportCounts> {
    let numbers: Vec<String> = records.iter().map(|r| r.registry_number.clone()).collect();
    let existing = Registry::by_numbers(conn, &numbers).await?;
    let mut counts = ImportCounts::default();
    for record in records {
        match row_outcome(record, &existing, columns) {
            RowOutcome::Add => counts.added += 1,
            RowOutcome::Unchanged => counts.unchanged += 1,
            RowOutcome::Update(..) => counts.updated += 1,
        }
    }
    Ok(counts)
}

/// Writes an import in one transaction: new entries are added, changed ones updated, each
/// with its history entry naming the import; equal rows are left alone, so importing the
/// same file again changes nothing. `columns` as for `plan_import`. `progress` is called
/// with the rows done so far.
pub async fn apply_import(
    conn: &mut AsyncMysqlConnection,
    records: &[ConstructionFields],
    columns: &[RegistryField],
    editor: Editor,
    now: NaiveDateTime,
    progress: &(dyn Fn(u32) + Send + Sync),
) -> Result<ImportCounts, AppError> {
    conn.transaction(async move |conn| {
        let numbers: Vec<String> = records.iter().map(|r| r.registry_number.clone()).collect();
        let existing = Registry::by_numbers(conn, &numbers).await?;
        let mut counts = ImportCounts::default();
        let mut done = 0;
        for chunk in records.chunks(IMPORT_CHUNK) {
            let mut added = Vec::new();
            let mut history = Vec::new();
            for record in chunk {
                match row_outcome(record, &existing, columns) {
                    RowOutcome::Add => added.push(record),
                    RowOutcome::Unchanged => counts.unchanged += 1,
                    RowOutcome::Update(id, after, changes) => {
                        update_entry(conn, id, &after, now).await?;
                        history.push((id, false, changes));
                        counts.updated += 1;
                    }
                }
            }
            if !added.is_empty() {
                let rows: Vec<_> = added
                    .iter()
                    .map(|record| {
                        (
                            entry_values!(record),
                            constructions::created_at.eq(now),
                            constructions::updated_at.eq(now),
                        )
                    })
                    .collect();
                diesel::insert_into(constructions::table)
                    .values(rows)
                    .execute(conn)
                    .await?;
                let new_numbers: Vec<&str> =
                    added.iter().map(|r| r.registry_number.as_str()).collect();
                let ids: HashMap<String, ConstructionId> = constructions::table
                    .filter(constructions::registry_number.eq_any(new_numbers))
                    .select((constructions::registry_number, constructions::id))
                    .load::<(String, ConstructionId)>(conn)
                    .await?
                    .into_iter()
                    .map(|(number, id)| (number_key(&number), id))
                    .collect();
                for record in &added {
                    let id = ids
                        .get(&number_key(&record.registry_number))
                        .ok_or(AppError::Internal)?;
                    history.push((*id, true, record.changes_from(None)));
                }
                counts.added += added.len() as u32;
            }
            record_changes(conn, &history, editor, now).await?;
            done += chunk.len() as u32;
            progress(done);
        }
        AuditEntry::record(
            conn,
            AuditEvent {
                actor: Some(editor.user),
                action: "registry.import",
                target_kind: "registry_import",
                target_id: editor.import.map(|import| import.0),
                details: serde_json::json!({
                    "rows": records.len(),
                    "added": counts.added,
                    "updated": counts.updated,
                    "unchanged": counts.unchanged,
                }),
            },
            now,
        )
        .await?;
        Ok(counts)
    })
    .await
}

/// The webhook event of a new report: its department's system learns of it as the
/// department's officials do (their bell), in the same transaction.
const REPORT_ASSIGNED: &str = "construction_report.assigned";

/// The columns of `ReportSummary`, in `ReportSql` order.
const REPORT_COLUMNS: &str = "r.id, r.kind, r.aspect, r.construction_id, c.registry_number, \
    r.lat, r.lon, r.municipality_id, r.address, r.status, LEFT(r.description, 200) AS excerpt, \
    r.created_at, r.verified_on, LEFT(r.findings, 300) AS findings";

#[derive(QueryableByName)]
struct ReportSql {
    #[diesel(sql_type = Unsigned<BigInt>)]
    id: ConstructionReportId,
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = Nullable<Text>)]
    aspect: Option<String>,
    #[diesel(sql_type = Nullable<Unsigned<BigInt>>)]
    construction_id: Option<ConstructionId>,
    #[diesel(sql_type = Nullable<Text>)]
    registry_number: Option<String>,
    #[diesel(sql_type = Double)]
    lat: f64,
    #[diesel(sql_type = Double)]
    lon: f64,
    #[diesel(sql_type = Unsigned<BigInt>)]
    municipality_id: MunicipalityId,
    #[diesel(sql_type = Text)]
    address: String,
    #[diesel(sql_type = Text)]
    status: String,
    #[diesel(sql_type = Text)]
    excerpt: String,
    #[diesel(sql_type = diesel::sql_types::Datetime)]
    created_at: NaiveDateTime,
    #[diesel(sql_type = Nullable<Date>)]
    verified_on: Option<NaiveDate>,
    #[diesel(sql_type = Nullable<Text>)]
    findings: Option<String>,
}

impl From<ReportSql> for ReportSummary {
    fn from(row: ReportSql) -> Self {
        Self {
            id: row.id,
            kind: ReportKind::from_db(&row.kind).unwrap_or(ReportKind::NotInRegistry),
            aspect: row.aspect.as_deref().and_then(DiffAspect::from_db),
            construction: row.construction_id.zip(row.registry_number),
            point: LatLon {
                lat: row.lat,
                lon: row.lon,
            },
            municipality_id: row.municipality_id,
            address: row.address,
            status: ReportStatus::from_db(&row.status).unwrap_or(ReportStatus::Submitted),
            excerpt: row.excerpt,
            created_at: row.created_at,
            verified_on: row.verified_on,
            findings: row.findings,
        }
    }
}

/// Whether report `r` is a confirmed violation ([`ReportStatus::VIOLATIONS`]), for SQL.
pub fn violation_sql() -> String {
    let statuses: Vec<String> = ReportStatus::VIOLATIONS
        .iter()
        .map(|status| format!("'{}'", status.as_db()))
        .collect();
    format!("r.status IN ({})", statuses.join(", "))
}

/// Citizens' reports.
pub struct Reports;

impl Reports {
    /// The department that verifies report `id`, if the report exists.
    pub async fn department_of(
        conn: &mut AsyncMysqlConnection,
        id: ConstructionReportId,
    ) -> QueryResult<Option<DepartmentId>> {
        construction_reports::table
            .find(id)
            .select(construction_reports::department_id)
            .first(conn)
            .await
            .optional()
    }

    /// Files a report: routed to the supervision department of the point's municipality by
    /// the routing rules of `theme`, its photos attached, the department's officials told;
    /// all in one transaction.
    pub async fn create(
        conn: &mut AsyncMysqlConnection,
        author: UserId,
        report: &ValidReport,
        point: LatLon,
        municipality: MunicipalityId,
        department: DepartmentId,
        now: NaiveDateTime,
    ) -> Result<ConstructionReportId, AppError> {
        let report = report.clone();
        conn.transaction(async move |conn| {
            diesel::insert_into(construction_reports::table)
                .values((
                    construction_reports::kind.eq(report.kind.as_db()),
                    construction_reports::construction_id.eq(report.construction_id),
                    construction_reports::aspect.eq(report.aspect.map(DiffAspect::as_db)),
                    construction_reports::lat.eq(point.lat),
                    construction_reports::lon.eq(point.lon),
                    construction_reports::municipality_id.eq(municipality),
                    construction_reports::address.eq(&report.address),
                    construction_reports::description.eq(&report.description),
                    construction_reports::author_id.eq(author),
                    construction_reports::department_id.eq(department),
                    construction_reports::status.eq(ReportStatus::Submitted.as_db()),
                    construction_reports::created_at.eq(now),
                    construction_reports::updated_at.eq(now),
                ))
                .execute(conn)
                .await?;
            let id = ConstructionReportId(last_insert_id(conn).await?);
            Photos::attach(conn, id.subject(), "", None, author, &report.photo_tokens).await?;
            record_report_event(conn, id, ReportStatus::Submitted, Some(author), None, now).await?;
            if let Some(construction) = report.construction_id {
                diesel::update(constructions::table.find(construction))
                    .set(constructions::report_count.eq(constructions::report_count + 1))
                    .execute(conn)
                    .await?;
            }
            Notifications::to_officials(
                conn,
                department,
                id.subject(),
                ReportStatus::Submitted.as_db(),
                now,
            )
            .await?;
            if webhook::takes(conn, department, REPORT_ASSIGNED).await? {
                // What the report's public page shows, without its author.
                let data = serde_json::json!({
                    "report_id": id,
                    "href": format!("/constructions/reports/{id}"),
                    "kind": report.kind.as_db(),
                    "construction_id": report.construction_id,
                    "aspect": report.aspect.map(DiffAspect::as_db),
                    "address": report.address,
                    "description": report.description,
                    "lat": point.lat,
                    "lon": point.lon,
                    "municipality_id": municipality,
                    "department_id": department,
                    "status": ReportStatus::Submitted.as_db(),
                    "created_at": format!("{}Z", now.format("%Y-%m-%dT%H:%M:%S")),
                });
                let subject = format!("construction_report:{id}");
                webhook::enqueue_for_department(
                    conn,
                    department,
                    REPORT_ASSIGNED,
                    &subject,
                    data,
                    now,
                )
                .await?;
            }
            Ok(id)
        })
        .await
    }

    /// Who reported `id` and which department verifies it.
    pub async fn parties(
        conn: &mut AsyncMysqlConnection,
        id: ConstructionReportId,
    ) -> QueryResult<Option<ReportParties>> {
        construction_reports::table
            .find(id)
            .select((
                construction_reports::author_id,
                construction_reports::department_id,
            ))
            .first::<(UserId, DepartmentId)>(conn)
            .await
            .optional()
            .map(|row| {
                row.map(|(author_id, department_id)| ReportParties {
                    author_id,
                    department_id,
                })
            })
    }

    /// The reports `departments` have to act on (submitted, under verification, or
    /// confirmed and awaiting measures; up to 100 of each per department), oldest first.
    pub async fn queue(
        conn: &mut AsyncMysqlConnection,
        departments: &[DepartmentId],
    ) -> QueryResult<Vec<ReportSummary>> {
        let mut queue = Vec::new();
        for department in departments {
            for status in [
                ReportStatus::Submitted,
                ReportStatus::UnderVerification,
                ReportStatus::ViolationConfirmed,
            ] {
                let filter = ReportFilter {
                    department_id: Some(*department),
                    status: Some(status),
                    ..ReportFilter::default()
                };
                queue.extend(Self::list(conn, &filter, 100, 0).await?);
            }
        }
        queue.sort_by_key(|report| (report.created_at, report.id));
        Ok(queue)
    }

    /// Moves a report one step: the row is locked, the transition and the official's
    /// department are checked against the locked state, and the change, its public
    /// history entry, the inspection's photos and act, the entry's violation count and
    /// the reporter's notification are written together.
    pub async fn step(
        conn: &mut AsyncMysqlConnection,
        id: ConstructionReportId,
        action: ReportAction,
        official: UserId,
        departments: &[DepartmentId],
        input: &ValidVerification,
        now: NaiveDateTime,
    ) -> Result<ReportStatus, AppError> {
        let input = input.clone();
        let departments = departments.to_vec();
        conn.transaction(async move |conn| {
            let (status, department, construction): (String, DepartmentId, Option<ConstructionId>) =
                construction_reports::table
                    .find(id)
                    .select((
                        construction_reports::status,
                        construction_reports::department_id,
                        construction_reports::construction_id,
                    ))
                    .for_update()
                    .first(conn)
                    .await
                    .optional()?
                    .ok_or(AppError::NotFound)?;
            if !departments.contains(&department) {
                return Err(AppError::Forbidden);
            }
            let status = ReportStatus::from_db(&status).ok_or(AppError::Internal)?;
            let next = status.after(action)?;
            let body = (!input.text.is_empty()).then_some(input.text.as_str());
            match action {
                ReportAction::StartVerification => {
                    diesel::update(construction_reports::table.find(id))
                        .set((
                            construction_reports::status.eq(next.as_db()),
                            construction_reports::updated_at.eq(now),
                        ))
                        .execute(conn)
                        .await?;
                }
                ReportAction::ConfirmViolation | ReportAction::Dismiss => {
                    if let Some(act) = &input.act
                        && !Acts::attach(conn, act, id, now).await?
                    {
                        return Err(AppError::invalid("act", ErrorCode::ActMissing));
                    }
                    diesel::update(construction_reports::table.find(id))
                        .set((
                            construction_reports::status.eq(next.as_db()),
                            construction_reports::verified_on.eq(input.verified_on),
                            construction_reports::findings.eq(body),
                            construction_reports::act_file_key.eq(input.act.as_deref()),
                            construction_reports::updated_at.eq(now),
                        ))
                        .execute(conn)
                        .await?;
                    Photos::attach(
                        conn,
                        id.subject(),
                        VERIFICATION,
                        None,
                        official,
                        &input.photo_tokens,
                    )
                    .await?;
                }
                ReportAction::TakeMeasures => {
                    diesel::update(construction_reports::table.find(id))
                        .set((
                            construction_reports::status.eq(next.as_db()),
                            construction_reports::measures.eq(body),
                            construction_reports::updated_at.eq(now),
                        ))
                        .execute(conn)
                        .await?;
                }
            }
            // A confirmed violation is published where it belongs: on the permitted entry
            // it differs from, or, for a construction the registry of permits lacks, as a
            // new entry of the registry of illegal constructions.
            match (construction, action, input.verified_on) {
                (Some(construction), ReportAction::ConfirmViolation, _) => {
                    diesel::update(constructions::table.find(construction))
                        .set(constructions::violation_count.eq(constructions::violation_count + 1))
                        .execute(conn)
                        .await?;
                }
                (None, ReportAction::ConfirmViolation, Some(verified_on)) => {
                    IllegalRegistry::enter_from_report(conn, id, verified_on, body, official, now)
                        .await?;
                }
                _ => {}
            }
            record_report_event(conn, id, next, Some(official), body, now).await?;
            let author: UserId = construction_reports::table
                .find(id)
                .select(construction_reports::author_id)
                .first(conn)
                .await?;
            Notifications::to_user(conn, author, id.subject(), next.as_db(), now).await?;
            AuditEntry::record(
                conn,
                AuditEvent {
                    actor: Some(official),
                    action: &format!("construction_report.{}", action.as_db()),
                    target_kind: CONSTRUCTION_REPORT.as_str(),
                    target_id: Some(id.0),
                    details: serde_json::json!({
                        "from": status.as_db(),
                        "to": next.as_db(),
                        "department_id": department,
                    }),
                },
                now,
            )
            .await?;
            Ok(next)
        })
        .await
    }

    /// A report's page for a viewer (`None` when it does not exist).
    pub async fn detail(
        conn: &mut AsyncMysqlConnection,
        id: ConstructionReportId,
        viewer: Option<UserId>,
        viewer_departments: &[DepartmentId],
    ) -> QueryResult<Option<ReportDetail>> {
        let sql = format!(
            "SELECT {REPORT_COLUMNS} FROM construction_reports r \
             LEFT JOIN constructions c ON c.id = r.construction_id WHERE r.id = {id}"
        );
        let Some(summary) = diesel::sql_query(sql)
            .get_result::<ReportSql>(conn)
            .await
            .optional()?
            .map(ReportSummary::from)
        else {
            return Ok(None);
        };
        #[allow(clippy::type_complexity)]
        let (description, author_id, author_name, department_id, findings, measures, act): (
            String,
            UserId,
            String,
            DepartmentId,
            Option<String>,
            Option<String>,
            Option<String>,
        ) = construction_reports::table
            .inner_join(users::table.on(users::id.eq(construction_reports::author_id)))
            .filter(construction_reports::id.eq(id))
            .select((
                construction_reports::description,
                construction_reports::author_id,
                users::display_name,
                construction_reports::department_id,
                construction_reports::findings,
                construction_reports::measures,
                construction_reports::act_file_key,
            ))
            .first(conn)
            .await?;
        let (verification_photos, photos): (Vec<_>, Vec<_>) = Photos::of(conn, id.subject())
            .await?
            .into_iter()
            .partition(|photo| photo.section == VERIFICATION);
        let photos = photos.into_iter().map(|photo| photo.photo).collect();
        let verification_photos = verification_photos
            .into_iter()
            .map(|photo| photo.photo)
            .collect();
        let events = Self::events(conn, id).await?;
        let illegal_entry = IllegalRegistry::of_report(conn, id).await?;
        let actions = if viewer_departments.contains(&department_id) {
            ReportAction::ALL
                .into_iter()
                .filter(|action| summary.status.after(*action).is_ok())
                .collect()
        } else {
            Vec::new()
        };
        Ok(Some(ReportDetail {
            summary,
            description,
            author_name,
            department_id,
            findings,
            measures,
            act_url: act.map(|key| format!("/media/{key}.pdf")),
            photos,
            verification_photos,
            events,
            illegal_entry,
            actions,
            is_author: viewer == Some(author_id),
        }))
    }

    async fn events(
        conn: &mut AsyncMysqlConnection,
        id: ConstructionReportId,
    ) -> QueryResult<Vec<ReportEvent>> {
        let rows: Vec<(String, Option<String>, Option<String>, NaiveDateTime)> =
            construction_report_events::table
                .left_join(users::table)
                .filter(construction_report_events::report_id.eq(id))
                .select((
                    construction_report_events::status,
                    users::display_name.nullable(),
                    construction_report_events::body,
                    construction_report_events::at,
                ))
                .order(construction_report_events::id.asc())
                .load(conn)
                .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(status, actor_name, body, at)| {
                Some(ReportEvent {
                    status: ReportStatus::from_db(&status)?,
                    actor_name,
                    body,
                    at,
                })
            })
            .collect())
    }

    /// Reports about one registry entry, newest first.
    pub async fn of_construction(
        conn: &mut AsyncMysqlConnection,
        construction: ConstructionId,
    ) -> QueryResult<Vec<ReportSummary>> {
        let sql = format!(
            "SELECT {REPORT_COLUMNS} FROM construction_reports r \
             LEFT JOIN constructions c ON c.id = r.construction_id \
             WHERE r.construction_id = {construction} ORDER BY r.created_at DESC, r.id DESC"
        );
        Ok(diesel::sql_query(sql)
            .load::<ReportSql>(conn)
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    fn where_sql(filter: &ReportFilter) -> String {
        let mut conditions = Vec::new();
        if let Some(municipality) = filter.municipality_id {
            conditions.push(format!("r.municipality_id = {municipality}"));
        }
        if let Some(status) = filter.status {
            conditions.push(format!("r.status = '{}'", status.as_db()));
        }
        if let Some(department) = filter.department_id {
            conditions.push(format!("r.department_id = {department}"));
        }
        if let Some(author) = filter.author_id {
            conditions.push(format!("r.author_id = {author}"));
        }
        conditions.extend(filter.submitted.sql_conditions("r.created_at"));
        if filter.violations {
            conditions.push(violation_sql());
        }
        if conditions.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", conditions.join(" AND "))
        }
    }

    /// The reports map's markers in `viewport`: report points grouped into grid cells of
    /// the zoom's size, filtered as the list is.
    pub async fn clusters(
        conn: &mut AsyncMysqlConnection,
        filter: &ReportFilter,
        viewport: Viewport,
    ) -> QueryResult<Vec<MapCluster>> {
        let (south_west, north_east) = (viewport.south_west, viewport.north_east);
        let inside = format!(
            "r.lat BETWEEN {:.7} AND {:.7} AND r.lon BETWEEN {:.7} AND {:.7}",
            south_west.lat, north_east.lat, south_west.lon, north_east.lon
        );
        let where_sql = match Self::where_sql(filter) {
            conditions if conditions.is_empty() => format!("WHERE {inside}"),
            conditions => format!("{conditions} AND {inside}"),
        };
        let from = format!("construction_reports r {where_sql}");
        load_grid_clusters(conn, "r", &from, viewport.cell_degrees()).await
    }

    /// A page of reports, newest first (`limit + 1` rows are read to know whether more
    /// follow; the caller trims).
    pub async fn list(
        conn: &mut AsyncMysqlConnection,
        filter: &ReportFilter,
        limit: u32,
        offset: u32,
    ) -> QueryResult<Vec<ReportSummary>> {
        let sql = format!(
            "SELECT {REPORT_COLUMNS} FROM construction_reports r \
             LEFT JOIN constructions c ON c.id = r.construction_id {} \
             ORDER BY r.created_at DESC, r.id DESC LIMIT {limit} OFFSET {offset}",
            Self::where_sql(filter)
        );
        Ok(diesel::sql_query(sql)
            .load::<ReportSql>(conn)
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// Report counts for the analytics: by municipality, by status and by month (the last
    /// twelve months up to `today`), plus report points grouped into cells for the map's
    /// density layer.
    pub async fn analytics(
        conn: &mut AsyncMysqlConnection,
        filter: &AnalyticsFilter,
        today: NaiveDate,
    ) -> QueryResult<Analytics> {
        #[derive(QueryableByName)]
        struct Grouped {
            #[diesel(sql_type = Text)]
            key: String,
            #[diesel(sql_type = BigInt)]
            reports: i64,
            #[diesel(sql_type = BigInt)]
            violations: i64,
        }
        let first_month = {
            let months_back = today.year() * 12 + today.month0() as i32 - 11;
            NaiveDate::from_ymd_opt(months_back / 12, (months_back % 12) as u32 + 1, 1)
                .unwrap_or(today)
        };
        let mut conditions = vec![format!("r.created_at >= '{first_month} 00:00:00'")];
        if let Some(municipality) = filter.municipality_id {
            conditions.push(format!("r.municipality_id = {municipality}"));
        }
        let where_sql = format!("WHERE {}", conditions.join(" AND "));
        let violations = format!("CAST(SUM({}) AS SIGNED)", violation_sql());
        let grouped = |key: &str| {
            format!(
                "SELECT {key} AS `key`, COUNT(*) AS reports, {violations} AS violations \
                 FROM construction_reports r {where_sql} GROUP BY `key` ORDER BY `key`"
            )
        };
        let to_rows = |rows: Vec<Grouped>| -> Vec<CountRow> {
            rows.into_iter()
                .map(|row| CountRow {
                    key: row.key,
                    reports: row.reports.max(0) as u64,
                    violations: row.violations.max(0) as u64,
                })
                .collect()
        };
        let by_municipality = to_rows(
            diesel::sql_query(grouped("CAST(r.municipality_id AS CHAR)"))
                .load::<Grouped>(conn)
                .await?,
        );
        let by_status = to_rows(
            diesel::sql_query(grouped("r.status"))
                .load::<Grouped>(conn)
                .await?,
        );
        let by_month = to_rows(
            diesel::sql_query(grouped("DATE_FORMAT(r.created_at, '%Y-%m')"))
                .load::<Grouped>(conn)
                .await?,
        );
        let density_from = format!("construction_reports r {where_sql}");
        let density = load_grid_clusters(conn, "r", &density_from, DENSITY_CELL_DEGREES).await?;
        let illegal = IllegalRegistry::analytics(conn, filter.municipality_id, first_month).await?;
        Ok(Analytics {
            first_month,
            by_municipality,
            by_status,
            by_month,
            density,
            illegal,
        })
    }
}

async fn record_report_event(
    conn: &mut AsyncMysqlConnection,
    report: ConstructionReportId,
    status: ReportStatus,
    actor: Option<UserId>,
    body: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(construction_report_events::table)
        .values((
            construction_report_events::report_id.eq(report),
            construction_report_events::status.eq(status.as_db()),
            construction_report_events::actor_id.eq(actor),
            construction_report_events::body.eq(body),
            construction_report_events::at.eq(now),
        ))
        .execute(conn)
        .await
        .map(drop)
}

/// The rows of `inspection_acts`: every uploaded inspection act, recorded before its file
/// is stored (see `constructions::acts`).
pub struct Acts;

impl Acts {
    /// Records an act uploaded for `report`.
    pub async fn record(
        conn: &mut AsyncMysqlConnection,
        key: &str,
        report: ConstructionReportId,
        uploader: UserId,
        now: NaiveDateTime,
    ) -> QueryResult<()> {
        diesel::insert_into(inspection_acts::table)
            .values((
                inspection_acts::file_key.eq(key),
                inspection_acts::report_id.eq(report),
                inspection_acts::uploader_id.eq(uploader),
                inspection_acts::created_at.eq(now),
            ))
            .execute(conn)
            .await
            .map(drop)
    }

    /// Marks act `key` as named by `report`'s verdict; false when no such act was uploaded
    /// for that report, or a verdict named it already. Run inside the verdict's
    /// transaction, so the act is kept exactly when the verdict is published.
    pub async fn attach(
        conn: &mut AsyncMysqlConnection,
        key: &str,
        report: ConstructionReportId,
        now: NaiveDateTime,
    ) -> QueryResult<bool> {
        let changed = diesel::update(
            inspection_acts::table
                .find(key)
                .filter(inspection_acts::report_id.eq(report))
                .filter(inspection_acts::attached_at.is_null()),
        )
        .set(inspection_acts::attached_at.eq(now))
        .execute(conn)
        .await?;
        Ok(changed == 1)
    }

    /// Up to `limit` acts uploaded before `cutoff` that no verdict named.
    pub async fn unattached_before(
        conn: &mut AsyncMysqlConnection,
        cutoff: NaiveDateTime,
        limit: i64,
    ) -> QueryResult<Vec<String>> {
        inspection_acts::table
            .filter(inspection_acts::attached_at.is_null())
            .filter(inspection_acts::created_at.lt(cutoff))
            .select(inspection_acts::file_key)
            .limit(limit)
            .load(conn)
            .await
    }

    /// Deletes act `key` if it is still unnamed and uploaded before `cutoff`; whether it
    /// did (a verdict that named it meanwhile keeps it).
    pub async fn delete_if_unattached(
        conn: &mut AsyncMysqlConnection,
        key: &str,
        cutoff: NaiveDateTime,
    ) -> QueryResult<bool> {
        let deleted = diesel::delete(
            inspection_acts::table
                .find(key)
                .filter(inspection_acts::attached_at.is_null())
                .filter(inspection_acts::created_at.lt(cutoff)),
        )
        .execute(conn)
        .await?;
        Ok(deleted == 1)
    }
}
