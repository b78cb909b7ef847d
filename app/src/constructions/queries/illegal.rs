//! The registry of illegal constructions in the database: the public table by keyset
//! pages, the map, the exports' rows, an entry's page with its history, the entry a
//! confirmed citizen's report makes, and the officials' status steps.
//!
//! Filters are written as SQL with `?` placeholders and bound values, so the table, the
//! map and the exports read the same rows. The search is a `LIKE` over four columns: the
//! registry holds thousands of entries, not millions, so a scan of the filtered rows is
//! cheaper than another full-text index to keep.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Double, Nullable, SmallInt, Text, Unsigned};
use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl};

use crate::auth::model::UserId;
use crate::constructions::model::{
    ConstructionReportId, CountRow, DENSITY_CELL_DEGREES, DecisionTimes, Editor, FoundBy,
    ILLEGAL_ORDER, ILLEGAL_PAGE_SIZE, IllegalAnalytics, IllegalConstructionId, IllegalDetail,
    IllegalEvent, IllegalFields, IllegalFilter, IllegalPage, IllegalRecord, IllegalRow,
    IllegalStatus, IllegalStep, ImportCounts, ImportId, RegistryField, number_from_report,
    number_key,
};
use crate::geography::model::MunicipalityId;
use civic::audit::{AuditEntry, AuditEvent};
use platform::db::clusters::load_bound_grid_clusters;
use platform::db::last_insert_id;
use platform::db::schema::{
    construction_reports, illegal_construction_events, illegal_constructions, users,
};
use platform::error::{AppError, ErrorCode};
use platform::geo::{LatLon, MapCluster, Viewport};
use platform::keyset::{PageStart, Paged};
use platform::sql::{Bind, bind_all, escape_like};

/// The audit log's name for an entry of this registry.
const TARGET_KIND: &str = "illegal_construction";

/// The columns of an entry's data, as assignments from `IllegalFields`: what both adding
/// and changing an entry by import write.
macro_rules! entry_values {
    ($fields:expr) => {
        (
            illegal_constructions::registry_number.eq(&$fields.registry_number),
            illegal_constructions::object_name.eq(&$fields.object_name),
            illegal_constructions::address.eq(&$fields.address),
            illegal_constructions::lat.eq($fields.point.lat),
            illegal_constructions::lon.eq($fields.point.lon),
            illegal_constructions::municipality_id.eq($fields.municipality_id),
            illegal_constructions::cadastral_number.eq(&$fields.cadastral_number),
            illegal_constructions::owner_name.eq(&$fields.owner_name),
            illegal_constructions::floors.eq($fields.floors),
            illegal_constructions::total_area_m2.eq($fields.total_area_m2),
            illegal_constructions::found_by.eq($fields.found_by.as_db()),
            illegal_constructions::identified_on.eq($fields.identified_on),
        )
    };
}

/// The columns of `IllegalSql`, in its order.
const COLUMNS: &str = "i.id, i.registry_number, i.object_name, i.address, i.lat, i.lon, \
    i.municipality_id, i.cadastral_number, i.owner_name, i.floors, i.total_area_m2, \
    i.found_by, i.status, i.identified_on, i.decided_on, i.report_id";

#[derive(QueryableByName)]
struct IllegalSql {
    #[diesel(sql_type = Unsigned<BigInt>)]
    id: IllegalConstructionId,
    #[diesel(sql_type = Text)]
    registry_number: String,
    #[diesel(sql_type = Text)]
    object_name: String,
    #[diesel(sql_type = Text)]
    address: String,
    #[diesel(sql_type = Double)]
    lat: f64,
    #[diesel(sql_type = Double)]
    lon: f64,
    #[diesel(sql_type = Unsigned<BigInt>)]
    municipality_id: MunicipalityId,
    #[diesel(sql_type = Nullable<Text>)]
    cadastral_number: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    owner_name: Option<String>,
    #[diesel(sql_type = Nullable<Unsigned<SmallInt>>)]
    floors: Option<u16>,
    #[diesel(sql_type = Nullable<Double>)]
    total_area_m2: Option<f64>,
    #[diesel(sql_type = Text)]
    found_by: String,
    #[diesel(sql_type = Text)]
    status: String,
    #[diesel(sql_type = Date)]
    identified_on: NaiveDate,
    #[diesel(sql_type = Nullable<Date>)]
    decided_on: Option<NaiveDate>,
    #[diesel(sql_type = Nullable<Unsigned<BigInt>>)]
    report_id: Option<ConstructionReportId>,
}

impl From<IllegalSql> for IllegalRow {
    fn from(row: IllegalSql) -> Self {
        Self {
            id: row.id,
            registry_number: row.registry_number,
            object_name: row.object_name,
            address: row.address,
            point: LatLon {
                lat: row.lat,
                lon: row.lon,
            },
            municipality_id: row.municipality_id,
            cadastral_number: row.cadastral_number,
            owner_name: row.owner_name,
            floors: row.floors,
            total_area_m2: row.total_area_m2,
            // The table's CHECK constraints allow only the known values.
            found_by: FoundBy::from_db(&row.found_by).unwrap_or(FoundBy::Inspection),
            status: IllegalStatus::from_db(&row.status).unwrap_or(IllegalStatus::Identified),
            identified_on: row.identified_on,
            decided_on: row.decided_on,
            report_id: row.report_id,
        }
    }
}

/// A filter as SQL conditions with their bound values.
struct FilterSql {
    conditions: Vec<String>,
    binds: Vec<Bind>,
}

impl FilterSql {
    fn new(filter: &IllegalFilter) -> Self {
        let mut sql = Self {
            conditions: Vec::new(),
            binds: Vec::new(),
        };
        if let Some(municipality) = filter.municipality_id {
            sql.push(
                "i.municipality_id = ?",
                [Bind::UnsignedBigInt(municipality.0)],
            );
        }
        if let Some(status) = filter.status {
            sql.push("i.status = ?", [Bind::Text(status.as_db().into())]);
        }
        if let Some(found_by) = filter.found_by {
            sql.push("i.found_by = ?", [Bind::Text(found_by.as_db().into())]);
        }
        for word in &filter.words {
            let pattern = format!("%{}%", escape_like(word, '\\'));
            sql.push(
                "(i.registry_number LIKE ? OR i.object_name LIKE ? OR i.address LIKE ? \
                 OR i.owner_name LIKE ?)",
                std::iter::repeat_n(Bind::Text(pattern), 4),
            );
        }
        sql
    }

    fn push(&mut self, condition: &str, binds: impl IntoIterator<Item = Bind>) {
        self.conditions.push(condition.to_string());
        self.binds.extend(binds);
    }

    /// The WHERE clause, with `extra` conditions (holding no placeholders) added.
    fn render(&self, extra: &[String]) -> String {
        let all: Vec<&str> = self
            .conditions
            .iter()
            .chain(extra)
            .map(String::as_str)
            .collect();
        if all.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", all.join(" AND "))
        }
    }
}

async fn load_rows(
    conn: &mut AsyncMysqlConnection,
    sql: String,
    binds: Vec<Bind>,
) -> QueryResult<Vec<IllegalRow>> {
    Ok(bind_all(
        diesel::sql_query(sql).into_boxed::<diesel::mysql::Mysql>(),
        binds,
    )
    .load::<IllegalSql>(conn)
    .await?
    .into_iter()
    .map(Into::into)
    .collect())
}

/// The registry of illegal constructions.
pub struct IllegalRegistry;

impl IllegalRegistry {
    /// One page of the table from `start`, with the number of matching entries.
    pub async fn page(
        conn: &mut AsyncMysqlConnection,
        filter: &IllegalFilter,
        start: &PageStart,
    ) -> QueryResult<IllegalPage> {
        #[derive(QueryableByName)]
        struct Count {
            #[diesel(sql_type = BigInt)]
            count: i64,
        }
        let filter_sql = FilterSql::new(filter);
        let seek: Vec<String> = ILLEGAL_ORDER.condition(start).into_iter().collect();
        let sql = format!(
            "SELECT {COLUMNS} FROM illegal_constructions i {} {} LIMIT {}",
            filter_sql.render(&seek),
            ILLEGAL_ORDER.order_by(start),
            ILLEGAL_PAGE_SIZE + 1
        );
        let read = load_rows(conn, sql, filter_sql.binds.clone()).await?;
        let count_sql = format!(
            "SELECT COUNT(*) AS count FROM illegal_constructions i {}",
            filter_sql.render(&[])
        );
        let total = bind_all(
            diesel::sql_query(count_sql).into_boxed::<diesel::mysql::Mysql>(),
            filter_sql.binds,
        )
        .get_result::<Count>(conn)
        .await?
        .count
        .max(0) as u64;
        Ok(IllegalPage {
            paged: Paged::from_read(start, read, ILLEGAL_PAGE_SIZE),
            total,
        })
    }

    /// Every entry the filter matches, in the table's order, up to `limit` (the exports).
    pub async fn all(
        conn: &mut AsyncMysqlConnection,
        filter: &IllegalFilter,
        limit: u32,
    ) -> QueryResult<Vec<IllegalRow>> {
        let filter_sql = FilterSql::new(filter);
        let sql = format!(
            "SELECT {COLUMNS} FROM illegal_constructions i {} {} LIMIT {limit}",
            filter_sql.render(&[]),
            ILLEGAL_ORDER.order_by(&PageStart::First),
        );
        load_rows(conn, sql, filter_sql.binds).await
    }

    /// The map's markers in `viewport`: entries grouped into grid cells of the zoom's size.
    pub async fn clusters(
        conn: &mut AsyncMysqlConnection,
        filter: &IllegalFilter,
        viewport: Viewport,
    ) -> QueryResult<Vec<MapCluster>> {
        let (south_west, north_east) = (viewport.south_west, viewport.north_east);
        let filter_sql = FilterSql::new(filter);
        let inside = [
            format!(
                "i.lat BETWEEN {:.7} AND {:.7}",
                south_west.lat, north_east.lat
            ),
            format!(
                "i.lon BETWEEN {:.7} AND {:.7}",
                south_west.lon, north_east.lon
            ),
        ];
        let from = format!("illegal_constructions i {}", filter_sql.render(&inside));
        load_bound_grid_clusters(conn, "i", &from, viewport.cell_degrees(), filter_sql.binds).await
    }

    /// One entry.
    pub async fn row(
        conn: &mut AsyncMysqlConnection,
        id: IllegalConstructionId,
    ) -> QueryResult<Option<IllegalRow>> {
        let sql = format!("SELECT {COLUMNS} FROM illegal_constructions i WHERE i.id = ?");
        Ok(load_rows(conn, sql, vec![Bind::UnsignedBigInt(id.0)])
            .await?
            .pop())
    }

    /// An entry's page; `may_step` says whether the viewer may record its next status.
    pub async fn detail(
        conn: &mut AsyncMysqlConnection,
        id: IllegalConstructionId,
        may_step: bool,
    ) -> QueryResult<Option<IllegalDetail>> {
        let Some(row) = Self::row(conn, id).await? else {
            return Ok(None);
        };
        let created_at: NaiveDateTime = illegal_constructions::table
            .find(id)
            .select(illegal_constructions::created_at)
            .first(conn)
            .await?;
        #[allow(clippy::type_complexity)]
        let events: Vec<(
            String,
            NaiveDate,
            Option<String>,
            Option<String>,
            Option<ImportId>,
            NaiveDateTime,
        )> = illegal_construction_events::table
            .left_join(users::table)
            .filter(illegal_construction_events::illegal_construction_id.eq(id))
            .select((
                illegal_construction_events::status,
                illegal_construction_events::decided_on,
                illegal_construction_events::document,
                users::display_name.nullable(),
                illegal_construction_events::import_id,
                illegal_construction_events::at,
            ))
            .order(illegal_construction_events::id.asc())
            .load(conn)
            .await?;
        let next = if may_step {
            row.status.next()
        } else {
            Vec::new()
        };
        Ok(Some(IllegalDetail {
            row,
            created_at,
            events: events
                .into_iter()
                .filter_map(
                    |(status, decided_on, document, actor_name, import_id, at)| {
                        Some(IllegalEvent {
                            status: IllegalStatus::from_db(&status)?,
                            decided_on,
                            document,
                            actor_name,
                            import_id,
                            at,
                        })
                    },
                )
                .collect(),
            next,
        }))
    }

    /// The analytics of the entries identified since `first_month` (in `municipality`,
    /// when given): counts by municipality, status and month of identification, each
    /// with how many have a decision; the days decisions took; the density layer.
    pub async fn analytics(
        conn: &mut AsyncMysqlConnection,
        municipality: Option<MunicipalityId>,
        first_month: NaiveDate,
    ) -> QueryResult<IllegalAnalytics> {
        #[derive(QueryableByName)]
        struct Grouped {
            #[diesel(sql_type = Text)]
            key: String,
            #[diesel(sql_type = BigInt)]
            entries: i64,
            #[diesel(sql_type = BigInt)]
            decided: i64,
        }
        let mut conditions = vec![format!("i.identified_on >= '{first_month}'")];
        if let Some(municipality) = municipality {
            conditions.push(format!("i.municipality_id = {municipality}"));
        }
        let where_sql = format!("WHERE {}", conditions.join(" AND "));
        let mut grouped = Vec::new();
        for key in [
            "CAST(i.municipality_id AS CHAR)",
            "i.status",
            "DATE_FORMAT(i.identified_on, '%Y-%m')",
        ] {
            let sql = format!(
                "SELECT {key} AS `key`, COUNT(*) AS entries, \
                 CAST(SUM(i.decided_on IS NOT NULL) AS SIGNED) AS decided \
                 FROM illegal_constructions i {where_sql} GROUP BY `key` ORDER BY `key`"
            );
            let rows: Vec<CountRow> = diesel::sql_query(sql)
                .load::<Grouped>(conn)
                .await?
                .into_iter()
                .map(|row| CountRow {
                    key: row.key,
                    reports: row.entries.max(0) as u64,
                    violations: row.decided.max(0) as u64,
                })
                .collect();
            grouped.push(rows);
        }
        let by_month = grouped.pop().unwrap_or_default();
        let by_status = grouped.pop().unwrap_or_default();
        let by_municipality = grouped.pop().unwrap_or_default();
        #[derive(QueryableByName)]
        struct Days {
            #[diesel(sql_type = BigInt)]
            days: i64,
        }
        let days = diesel::sql_query(format!(
            "SELECT CAST(DATEDIFF(i.decided_on, i.identified_on) AS SIGNED) AS days \
             FROM illegal_constructions i {where_sql} AND i.decided_on IS NOT NULL"
        ))
        .load::<Days>(conn)
        .await?
        .into_iter()
        .map(|row| row.days)
        .collect();
        let density_from = format!("illegal_constructions i {where_sql}");
        let density = platform::db::clusters::load_grid_clusters(
            conn,
            "i",
            &density_from,
            DENSITY_CELL_DEGREES,
        )
        .await?;
        Ok(IllegalAnalytics {
            by_municipality,
            by_status,
            by_month,
            days_to_decision: DecisionTimes::of(days),
            density,
        })
    }

    /// The entries an import added or changed, in the order it wrote them: id, registry
    /// number and status now.
    pub async fn of_import(
        conn: &mut AsyncMysqlConnection,
        import: ImportId,
    ) -> QueryResult<Vec<(IllegalConstructionId, String, IllegalStatus)>> {
        let rows: Vec<(IllegalConstructionId, String, String)> = illegal_construction_events::table
            .inner_join(illegal_constructions::table)
            .filter(illegal_construction_events::import_id.eq(import))
            .select((
                illegal_constructions::id,
                illegal_constructions::registry_number,
                illegal_constructions::status,
            ))
            .order(illegal_construction_events::id.asc())
            .limit(5000)
            .load(conn)
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(id, number, status)| Some((id, number, IllegalStatus::from_db(&status)?)))
            .collect())
    }

    /// The entry a citizen's report made: its id and registry number.
    pub async fn of_report(
        conn: &mut AsyncMysqlConnection,
        report: ConstructionReportId,
    ) -> QueryResult<Option<(IllegalConstructionId, String)>> {
        illegal_constructions::table
            .filter(illegal_constructions::report_id.eq(report))
            .select((
                illegal_constructions::id,
                illegal_constructions::registry_number,
            ))
            .first(conn)
            .await
            .optional()
    }

    /// Adds an entry found by an inspection or another agency, as identified, with its
    /// first history step (`document`: the act or letter that reported it).
    pub async fn create(
        conn: &mut AsyncMysqlConnection,
        fields: &IllegalFields,
        document: Option<&str>,
        official: UserId,
        now: NaiveDateTime,
    ) -> QueryResult<IllegalConstructionId> {
        diesel::insert_into(illegal_constructions::table)
            .values((
                illegal_constructions::registry_number.eq(&fields.registry_number),
                illegal_constructions::object_name.eq(&fields.object_name),
                illegal_constructions::address.eq(&fields.address),
                illegal_constructions::lat.eq(fields.point.lat),
                illegal_constructions::lon.eq(fields.point.lon),
                illegal_constructions::municipality_id.eq(fields.municipality_id),
                illegal_constructions::cadastral_number.eq(&fields.cadastral_number),
                illegal_constructions::owner_name.eq(&fields.owner_name),
                illegal_constructions::floors.eq(fields.floors),
                illegal_constructions::total_area_m2.eq(fields.total_area_m2),
                illegal_constructions::found_by.eq(fields.found_by.as_db()),
                illegal_constructions::status.eq(IllegalStatus::Identified.as_db()),
                illegal_constructions::identified_on.eq(fields.identified_on),
                illegal_constructions::created_at.eq(now),
                illegal_constructions::updated_at.eq(now),
            ))
            .execute(conn)
            .await?;
        let id = IllegalConstructionId(last_insert_id(conn).await?);
        record_step(
            conn,
            id,
            IllegalStatus::Identified,
            fields.identified_on,
            document,
            Editor::by(official),
            now,
        )
        .await?;
        Ok(id)
    }

    /// Enters the construction of a citizen's "not in the registry" report whose
    /// inspection confirmed it: the report's point, municipality and address, the
    /// inspection's date as the day it was identified, the findings as the first step's
    /// document. Call it in the transaction that confirms the report; a report enters at
    /// most one entry (the unique `report_id`).
    pub async fn enter_from_report(
        conn: &mut AsyncMysqlConnection,
        report: ConstructionReportId,
        verified_on: NaiveDate,
        findings: Option<&str>,
        official: UserId,
        now: NaiveDateTime,
    ) -> QueryResult<IllegalConstructionId> {
        let (lat, lon, municipality, address, description): (
            f64,
            f64,
            MunicipalityId,
            String,
            String,
        ) = construction_reports::table
            .find(report)
            .select((
                construction_reports::lat,
                construction_reports::lon,
                construction_reports::municipality_id,
                construction_reports::address,
                construction_reports::description,
            ))
            .first(conn)
            .await?;
        diesel::insert_into(illegal_constructions::table)
            .values((
                illegal_constructions::registry_number.eq(number_from_report(report)),
                illegal_constructions::object_name.eq(object_name_from(&description)),
                illegal_constructions::address.eq(address),
                illegal_constructions::lat.eq(lat),
                illegal_constructions::lon.eq(lon),
                illegal_constructions::municipality_id.eq(municipality),
                illegal_constructions::found_by.eq(FoundBy::CitizenReport.as_db()),
                illegal_constructions::status.eq(IllegalStatus::Identified.as_db()),
                illegal_constructions::identified_on.eq(verified_on),
                illegal_constructions::report_id.eq(report),
                illegal_constructions::created_at.eq(now),
                illegal_constructions::updated_at.eq(now),
            ))
            .execute(conn)
            .await?;
        let id = IllegalConstructionId(last_insert_id(conn).await?);
        record_step(
            conn,
            id,
            IllegalStatus::Identified,
            verified_on,
            findings,
            Editor::by(official),
            now,
        )
        .await?;
        Ok(id)
    }

    /// Records an entry's next status with its decision document: the row is locked, the
    /// step checked against the locked status, and the status, the first decision's
    /// date, the public history and the audit log written together.
    pub async fn step(
        conn: &mut AsyncMysqlConnection,
        id: IllegalConstructionId,
        step: &IllegalStep,
        official: UserId,
        now: NaiveDateTime,
    ) -> Result<IllegalStatus, AppError> {
        let step = step.clone();
        conn.transaction(async move |conn| {
            let (current, identified_on, decided_on): (String, NaiveDate, Option<NaiveDate>) =
                illegal_constructions::table
                    .find(id)
                    .select((
                        illegal_constructions::status,
                        illegal_constructions::identified_on,
                        illegal_constructions::decided_on,
                    ))
                    .for_update()
                    .first(conn)
                    .await
                    .optional()?
                    .ok_or(AppError::NotFound)?;
            let current = IllegalStatus::from_db(&current).ok_or(AppError::Internal)?;
            if !current.next().contains(&step.status) {
                return Err(AppError::IllegalTransition {
                    status: current.as_db().to_string(),
                    action: step.status.as_db().to_string(),
                });
            }
            // A step before the construction was found would make the days to a decision
            // negative.
            if step.decided_on < identified_on {
                return Err(AppError::invalid("decided_on", ErrorCode::NotAllowed));
            }
            let first_decision =
                decided_on.or(step.status.is_decision().then_some(step.decided_on));
            diesel::update(illegal_constructions::table.find(id))
                .set((
                    illegal_constructions::status.eq(step.status.as_db()),
                    illegal_constructions::decided_on.eq(first_decision),
                    illegal_constructions::updated_at.eq(now),
                ))
                .execute(conn)
                .await?;
            record_step(
                conn,
                id,
                step.status,
                step.decided_on,
                step.document.as_deref(),
                Editor::by(official),
                now,
            )
            .await?;
            AuditEntry::record(
                conn,
                AuditEvent {
                    actor: Some(official),
                    action: "illegal_construction.step",
                    target_kind: TARGET_KIND,
                    target_id: Some(id.0),
                    details: serde_json::json!({
                        "from": current.as_db(),
                        "to": step.status.as_db(),
                        "decided_on": step.decided_on,
                    }),
                },
                now,
            )
            .await?;
            Ok(step.status)
        })
        .await
    }
}

/// The data of the entries whose registry numbers are among `numbers`, keyed by
/// `number_key`, with their ids and statuses: what an import compares its rows with.
async fn by_numbers(
    conn: &mut AsyncMysqlConnection,
    numbers: &[String],
) -> QueryResult<HashMap<String, (IllegalConstructionId, IllegalStatus, IllegalFields)>> {
    let mut found = HashMap::with_capacity(numbers.len());
    for chunk in numbers.chunks(1000) {
        let placeholders = vec!["?"; chunk.len()].join(", ");
        let sql = format!(
            "SELECT {COLUMNS} FROM illegal_constructions i WHERE i.registry_number IN ({placeholders})"
        );
        let binds = chunk
            .iter()
            .map(|number| Bind::Text(number.clone()))
            .collect();
        for row in load_rows(conn, sql, binds).await? {
            let fields = IllegalFields {
                registry_number: row.registry_number,
                object_name: row.object_name,
                address: row.address,
                point: row.point,
                municipality_id: row.municipality_id,
                cadastral_number: row.cadastral_number,
                owner_name: row.owner_name,
                floors: row.floors,
                total_area_m2: row.total_area_m2,
                found_by: row.found_by,
                identified_on: row.identified_on,
            };
            found.insert(
                number_key(&fields.registry_number),
                (row.id, row.status, fields),
            );
        }
    }
    Ok(found)
}

/// What importing one row does to the registry.
enum RowOutcome {
    /// A new entry, in the file's status (identified when it gives none).
    Add(IllegalStatus),
    /// The entry already says this.
    Unchanged,
    /// The entry changes: its new data (the row, with what the file lacks kept) and its
    /// new status when that changes.
    Update(
        IllegalConstructionId,
        Box<IllegalFields>,
        Option<IllegalStatus>,
    ),
}

/// What importing `record` does, given the entries with the rows' numbers and the fields
/// the file has columns for: optional fields the file lacks keep the entry's values.
fn row_outcome(
    record: &IllegalRecord,
    existing: &HashMap<String, (IllegalConstructionId, IllegalStatus, IllegalFields)>,
    columns: &[RegistryField],
) -> RowOutcome {
    let Some((id, status, before)) = existing.get(&number_key(&record.fields.registry_number))
    else {
        return RowOutcome::Add(record.status.unwrap_or(IllegalStatus::Identified));
    };
    let has = |field| columns.contains(&field);
    let mut after = record.fields.clone();
    if !has(RegistryField::CadastralNumber) {
        after.cadastral_number = before.cadastral_number.clone();
    }
    if !has(RegistryField::Owner) {
        after.owner_name = before.owner_name.clone();
    }
    if !has(RegistryField::Floors) {
        after.floors = before.floors;
    }
    if !has(RegistryField::TotalArea) {
        after.total_area_m2 = before.total_area_m2;
    }
    if !has(RegistryField::FoundBy) {
        after.found_by = before.found_by;
    }
    // The registry number compares as the unique key does, so a file's spelling of an
    // existing number does not count as a change.
    after.registry_number = before.registry_number.clone();
    let new_status = record.status.filter(|wanted| wanted != status);
    if after == *before && new_status.is_none() {
        RowOutcome::Unchanged
    } else {
        RowOutcome::Update(*id, Box::new(after), new_status)
    }
}

/// Counts what importing `records` would do, without writing.
pub async fn plan_illegal_import(
    conn: &mut AsyncMysqlConnection,
    records: &[IllegalRecord],
    columns: &[RegistryField],
) -> QueryResult<ImportCounts> {
    let numbers: Vec<String> = records
        .iter()
        .map(|record| record.fields.registry_number.clone())
        .collect();
    let existing = by_numbers(conn, &numbers).await?;
    let mut counts = ImportCounts::default();
    for record in records {
        match row_outcome(record, &existing, columns) {
            RowOutcome::Add(_) => counts.added += 1,
            RowOutcome::Unchanged => counts.unchanged += 1,
            RowOutcome::Update(..) => counts.updated += 1,
        }
    }
    Ok(counts)
}

/// Writes an import of the registry in one transaction: new entries are added, changed
/// ones updated, each with a history step naming the import (a changed status is that
/// step; changed data alone repeats the status); equal rows are left alone, so importing
/// the same file again changes nothing. The file is the supervising body's own register,
/// so its status is taken as it stands, without the step rules of the entry page.
pub async fn apply_illegal_import(
    conn: &mut AsyncMysqlConnection,
    records: &[IllegalRecord],
    columns: &[RegistryField],
    editor: Editor,
    now: NaiveDateTime,
    progress: &(dyn Fn(u32) + Send + Sync),
) -> Result<ImportCounts, AppError> {
    conn.transaction(async move |conn| {
        let numbers: Vec<String> = records
            .iter()
            .map(|record| record.fields.registry_number.clone())
            .collect();
        let existing = by_numbers(conn, &numbers).await?;
        let mut counts = ImportCounts::default();
        let today = now.date();
        for (done, record) in records.iter().enumerate() {
            match row_outcome(record, &existing, columns) {
                RowOutcome::Unchanged => counts.unchanged += 1,
                RowOutcome::Add(status) => {
                    let fields = &record.fields;
                    diesel::insert_into(illegal_constructions::table)
                        .values((
                            entry_values!(fields),
                            illegal_constructions::status.eq(status.as_db()),
                            illegal_constructions::decided_on
                                .eq(status.is_decision().then_some(today)),
                            illegal_constructions::created_at.eq(now),
                            illegal_constructions::updated_at.eq(now),
                        ))
                        .execute(conn)
                        .await?;
                    let id = IllegalConstructionId(last_insert_id(conn).await?);
                    let day = if status == IllegalStatus::Identified {
                        fields.identified_on
                    } else {
                        today
                    };
                    record_step(conn, id, status, day, None, editor, now).await?;
                    counts.added += 1;
                }
                RowOutcome::Update(id, after, new_status) => {
                    let (status, decided) = match new_status {
                        Some(status) => (status, status.is_decision().then_some(today)),
                        None => (existing_status(&existing, &after), None),
                    };
                    diesel::update(illegal_constructions::table.find(id))
                        .set((
                            entry_values!(after),
                            illegal_constructions::status.eq(status.as_db()),
                            illegal_constructions::updated_at.eq(now),
                        ))
                        .execute(conn)
                        .await?;
                    if let Some(decided) = decided {
                        diesel::update(
                            illegal_constructions::table
                                .find(id)
                                .filter(illegal_constructions::decided_on.is_null()),
                        )
                        .set(illegal_constructions::decided_on.eq(decided))
                        .execute(conn)
                        .await?;
                    }
                    record_step(conn, id, status, today, None, editor, now).await?;
                    counts.updated += 1;
                }
            }
            if (done + 1) % 500 == 0 {
                progress(done as u32 + 1);
            }
        }
        progress(records.len() as u32);
        AuditEntry::record(
            conn,
            AuditEvent {
                actor: Some(editor.user),
                action: "illegal_registry.import",
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

/// The status the registry holds for the entry with `after`'s number.
fn existing_status(
    existing: &HashMap<String, (IllegalConstructionId, IllegalStatus, IllegalFields)>,
    after: &IllegalFields,
) -> IllegalStatus {
    existing
        .get(&number_key(&after.registry_number))
        .map_or(IllegalStatus::Identified, |(_, status, _)| *status)
}

/// The import's refusals of rows that would change an existing entry of a municipality
/// outside the official's `covers`: a file must not move another department's entry into
/// one's own municipality by naming its registry number. Returns the refused rows' numbers.
pub async fn foreign_illegal_rows(
    conn: &mut AsyncMysqlConnection,
    records: &[(u32, IllegalRecord)],
    covers: &(dyn Fn(MunicipalityId) -> bool + Send + Sync),
) -> QueryResult<Vec<u32>> {
    let numbers: Vec<String> = records
        .iter()
        .map(|(_, record)| record.fields.registry_number.clone())
        .collect();
    let existing = by_numbers(conn, &numbers).await?;
    Ok(records
        .iter()
        .filter(|(_, record)| {
            existing
                .get(&number_key(&record.fields.registry_number))
                .is_some_and(|(_, _, entry)| !covers(entry.municipality_id))
        })
        .map(|(row, _)| *row)
        .collect())
}

/// What a citizen's description says was built, as the entry's object name: its first
/// line, at most 200 characters (an official corrects it from the inspection's act).
fn object_name_from(description: &str) -> String {
    let first_line = description
        .lines()
        .map(str::trim)
        .find(|line| !line.is_empty())
        .unwrap_or_default();
    platform::text::excerpt(first_line, 200)
}

/// A history step written by `editor` (an official, or an import).
async fn record_step(
    conn: &mut AsyncMysqlConnection,
    id: IllegalConstructionId,
    status: IllegalStatus,
    decided_on: NaiveDate,
    document: Option<&str>,
    editor: Editor,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(illegal_construction_events::table)
        .values((
            illegal_construction_events::illegal_construction_id.eq(id),
            illegal_construction_events::status.eq(status.as_db()),
            illegal_construction_events::decided_on.eq(decided_on),
            illegal_construction_events::document.eq(document),
            illegal_construction_events::actor_id.eq(editor.user),
            illegal_construction_events::import_id.eq(editor.import),
            illegal_construction_events::at.eq(now),
        ))
        .execute(conn)
        .await
        .map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_object_name_is_the_descriptions_first_line_shortened() {
        assert_eq!(
            object_name_from("\n  Трёхэтажный дом без разрешения \nстроят с весны"),
            "Трёхэтажный дом без разрешения"
        );
        let long = "д".repeat(250);
        let name = object_name_from(&long);
        assert_eq!(name.chars().count(), 201);
        assert!(name.ends_with('…'));
    }
}
