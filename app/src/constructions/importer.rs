//! The registry import's server side: the upload route, the import log rows, and the two
//! background phases (the dry run and the commit), which report progress through their
//! row so the page can poll it from any server instance.
//!
//! The uploaded workbook waits in `AppConfig::import_dir` under the import's id; it is
//! read again by each phase, so no phase keeps more than one sheet in memory and a
//! restart between phases loses nothing.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::Json;
use axum::extract::{FromRef, Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel_async::{AsyncMysqlConnection, RunQueryDsl};
use sha2::{Digest, Sha256};

use super::import::workbook::{
    MAX_FILE_BYTES, Sheet, ValidationContext, read_registry, validate, validate_illegal,
};
use super::import::{ColumnMapping, Validated};
use super::model::IllegalRecord;
use super::model::{
    Editor, IMPORT_INTERRUPTED, ImportId, ImportPhase, ImportStatus, Register, RegistryField,
    RegistryScope, RowError, RowProblem, number_key,
};
use super::queries::{Registry, apply_import, plan_import, registry_scope};
use super::queries::{apply_illegal_import, foreign_illegal_rows, plan_illegal_import};
use crate::auth::model::UserId;
use crate::auth::session::SignedIn;
use crate::geography::model::{Municipality, MunicipalityId};
use platform::clock;
use platform::config::AppConfig;
use platform::db::schema::{import_mappings, registry_imports, users};
use platform::db::{self, DbPool, last_insert_id};
use platform::error::WorkbookError;
use platform::error::{AppError, ErrorCode};
use platform::geo::in_region;
use platform::routes::Routes;
use platform::uploads::{read_file_field, store};

/// Bad rows kept for the page (the count covers all).
const ERRORS_KEPT: usize = 500;

/// How often a running phase records that it is alive.
const HEARTBEAT_EVERY: std::time::Duration = std::time::Duration::from_secs(20);

/// How long a running phase may stay silent before it counts as dead: several missed
/// heartbeats, so a busy database does not fail a live import.
const HEARTBEAT_LAPSE: chrono::Duration = chrono::Duration::minutes(3);

/// Keeps import `id`'s heartbeat fresh until the returned task is aborted.
fn spawn_heartbeat(pool: DbPool, id: ImportId) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(HEARTBEAT_EVERY);
        loop {
            ticks.tick().await;
            let outcome = db::run(&pool, move |mut conn| async move {
                Ok(Imports::beat(&mut conn, id, clock::now()).await?)
            })
            .await;
            if let Err(error) = outcome {
                tracing::warn!(%error, import = %id, "import heartbeat not recorded");
            }
        }
    })
}

/// Matches municipality names as officials write them: the full name, the centre's name
/// ("Краснодар", "г. Краснодар"), the slug; case, "ё" and punctuation do not matter.
pub struct MunicipalityNames {
    by_key: HashMap<String, MunicipalityId>,
}

fn name_key(text: &str) -> String {
    let lowered = text.to_lowercase().replace('ё', "е");
    let words: Vec<&str> = lowered
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .filter(|word| !word.is_empty())
        .collect();
    let words = match words.as_slice() {
        ["г" | "город", rest @ ..] if !rest.is_empty() => rest,
        all => all,
    };
    words.join(" ")
}

impl MunicipalityNames {
    /// The names of `municipalities`.
    pub fn new(municipalities: &[Municipality]) -> Self {
        let mut by_key = HashMap::new();
        for m in municipalities {
            for name in [
                &m.slug,
                &m.name_ru,
                &m.name_en,
                &m.centre_name_ru,
                &m.centre_name_en,
            ] {
                by_key.entry(name_key(name)).or_insert(m.id);
            }
        }
        Self { by_key }
    }

    /// The municipality `text` names.
    pub fn resolve(&self, text: &str) -> Option<MunicipalityId> {
        self.by_key.get(&name_key(text)).copied()
    }
}

/// The key a mapping is saved under: the normalised headers, and the registry for any but
/// the registry of permits (whose mappings were saved before there were two).
fn signature(register: Register, headers: &[String]) -> String {
    let mut normalised: Vec<String> = headers.iter().map(|h| name_key(h)).collect();
    if register != Register::Permitted {
        normalised.insert(0, register.as_db().to_string());
    }
    hex::encode(Sha256::digest(normalised.join("\u{1f}").as_bytes()))
}

fn mapping_json(mapping: &ColumnMapping) -> String {
    let keys: Vec<Option<&str>> = mapping
        .columns
        .iter()
        .map(|field| field.map(RegistryField::key))
        .collect();
    serde_json::to_string(&keys).unwrap_or_else(|_| "[]".to_string())
}

fn mapping_from_json(text: Option<&str>) -> Vec<Option<RegistryField>> {
    text.and_then(|text| serde_json::from_str::<Vec<Option<String>>>(text).ok())
        .unwrap_or_default()
        .into_iter()
        .map(|key| key.as_deref().and_then(RegistryField::from_key))
        .collect()
}

/// The import's file on disk.
pub(super) fn file_path(directory: &Path, id: ImportId) -> PathBuf {
    directory.join(format!("{id}.workbook"))
}

/// The failure of an import whose workbook is gone (expired, or lost from the disk).
const FILE_MISSING: &str = "file_missing";

/// Removes an import's workbook once nothing will read it again; a file already gone is
/// fine, any other failure is logged.
async fn remove_workbook(directory: &Path, id: ImportId) {
    if let Err(error) = platform::uploads::remove_stored(&file_path(directory, id)).await {
        tracing::warn!(%error, import = %id, "could not remove a workbook");
    }
}

/// The stable code of a workbook refusal (stored as the failure, sent as the error field).
pub fn workbook_failure(error: &WorkbookError) -> String {
    serde_json::to_value(error)
        .ok()
        .and_then(|value| value.get("code")?.as_str().map(str::to_string))
        .unwrap_or_else(|| "not_a_workbook".to_string())
}

/// The import log and its phases.
pub struct Imports;

impl Imports {
    /// An import's status.
    pub async fn status(
        conn: &mut AsyncMysqlConnection,
        id: ImportId,
    ) -> QueryResult<Option<ImportStatus>> {
        #[allow(clippy::type_complexity)]
        let row: Option<(
            (
                ImportId,
                String,
                String,
                String,
                String,
                Option<String>,
                Option<String>,
            ),
            (u32, u32, u32, u32, u32, u32, Option<String>, Option<String>),
            (NaiveDateTime, Option<NaiveDateTime>),
        )> = registry_imports::table
            .inner_join(users::table)
            .filter(registry_imports::id.eq(id))
            .select((
                (
                    registry_imports::id,
                    registry_imports::register,
                    registry_imports::file_name,
                    users::display_name,
                    registry_imports::phase,
                    diesel::dsl::sql::<diesel::sql_types::Nullable<diesel::sql_types::Text>>(
                        "CAST(registry_imports.headers AS CHAR)",
                    ),
                    diesel::dsl::sql::<diesel::sql_types::Nullable<diesel::sql_types::Text>>(
                        "CAST(registry_imports.mapping AS CHAR)",
                    ),
                ),
                (
                    registry_imports::total_rows,
                    registry_imports::processed_rows,
                    registry_imports::added,
                    registry_imports::updated,
                    registry_imports::unchanged,
                    registry_imports::error_count,
                    diesel::dsl::sql::<diesel::sql_types::Nullable<diesel::sql_types::Text>>(
                        "CAST(registry_imports.errors AS CHAR)",
                    ),
                    registry_imports::failure,
                ),
                (registry_imports::created_at, registry_imports::committed_at),
            ))
            .first(conn)
            .await
            .optional()?;
        Ok(row.map(
            |(
                (id, register, file_name, user_name, phase, headers, mapping),
                (total, processed, added, updated, unchanged, error_count, errors, failure),
                (created_at, committed_at),
            )| ImportStatus {
                id,
                register: Register::from_db(&register).unwrap_or_default(),
                file_name,
                user_name,
                phase: ImportPhase::from_db(&phase).unwrap_or(ImportPhase::Failed),
                headers: headers
                    .and_then(|text| serde_json::from_str(&text).ok())
                    .unwrap_or_default(),
                mapping: mapping_from_json(mapping.as_deref()),
                total_rows: total,
                processed_rows: processed,
                added,
                updated,
                unchanged,
                error_count,
                errors: errors
                    .and_then(|text| serde_json::from_str::<Vec<RowError>>(&text).ok())
                    .unwrap_or_default(),
                failure,
                created_at,
                committed_at,
            },
        ))
    }

    /// The newest imports, newest first (the public log).
    pub async fn recent(
        conn: &mut AsyncMysqlConnection,
        limit: i64,
    ) -> QueryResult<Vec<ImportStatus>> {
        let ids: Vec<ImportId> = registry_imports::table
            .select(registry_imports::id)
            .order(registry_imports::id.desc())
            .limit(limit)
            .load(conn)
            .await?;
        let mut list = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(mut status) = Self::status(conn, id).await? {
                // The log is public: the bad rows are the official's working material.
                status.errors.clear();
                list.push(status);
            }
        }
        Ok(list)
    }

    /// Records a new upload whose sheet was read.
    async fn create(
        conn: &mut AsyncMysqlConnection,
        user: UserId,
        register: Register,
        file_name: &str,
        sha256: &str,
        sheet: &Sheet,
        now: NaiveDateTime,
    ) -> QueryResult<ImportId> {
        let saved: Option<String> = import_mappings::table
            .find(signature(register, &sheet.headers))
            .select(diesel::dsl::sql::<diesel::sql_types::Text>(
                "CAST(mapping AS CHAR)",
            ))
            .first(conn)
            .await
            .optional()?;
        let detected = ColumnMapping::detect(&sheet.headers, register);
        let mapping = match saved {
            Some(saved) => {
                let columns = mapping_from_json(Some(&saved));
                if columns.len() == sheet.headers.len() {
                    ColumnMapping { columns }
                } else {
                    detected
                }
            }
            None => detected,
        };
        diesel::insert_into(registry_imports::table)
            .values((
                registry_imports::user_id.eq(user),
                registry_imports::register.eq(register.as_db()),
                registry_imports::file_name.eq(file_name),
                registry_imports::file_sha256.eq(sha256),
                registry_imports::phase.eq(ImportPhase::Uploaded.as_db()),
                registry_imports::headers
                    .eq(serde_json::to_string(&sheet.headers).unwrap_or_else(|_| "[]".into())),
                registry_imports::mapping.eq(mapping_json(&mapping)),
                registry_imports::total_rows.eq(sheet.rows.len() as u32),
                registry_imports::created_at.eq(now),
            ))
            .execute(conn)
            .await?;
        Ok(ImportId(last_insert_id(conn).await?))
    }

    /// Moves an import from one of `from` to `to` (with the new mapping, when given);
    /// false when it was not in one of `from` (another click won the race).
    pub async fn advance(
        conn: &mut AsyncMysqlConnection,
        id: ImportId,
        from: &[ImportPhase],
        to: ImportPhase,
        mapping: Option<&ColumnMapping>,
        now: NaiveDateTime,
    ) -> QueryResult<bool> {
        let from: Vec<&str> = from.iter().map(|phase| phase.as_db()).collect();
        let target = registry_imports::table
            .filter(registry_imports::id.eq(id))
            .filter(registry_imports::phase.eq_any(from));
        let changed = match mapping {
            Some(mapping) => {
                diesel::update(target)
                    .set((
                        registry_imports::phase.eq(to.as_db()),
                        registry_imports::processed_rows.eq(0),
                        registry_imports::mapping.eq(mapping_json(mapping)),
                        registry_imports::heartbeat_at.eq(now),
                        registry_imports::failure.eq(None::<String>),
                    ))
                    .execute(conn)
                    .await?
            }
            None => {
                diesel::update(target)
                    .set((
                        registry_imports::phase.eq(to.as_db()),
                        registry_imports::processed_rows.eq(0),
                        registry_imports::heartbeat_at.eq(now),
                        registry_imports::failure.eq(None::<String>),
                    ))
                    .execute(conn)
                    .await?
            }
        };
        Ok(changed == 1)
    }

    /// Saves `mapping` as the one to offer for workbooks with these headers.
    pub async fn remember_mapping(
        conn: &mut AsyncMysqlConnection,
        register: Register,
        headers: &[String],
        mapping: &ColumnMapping,
        now: NaiveDateTime,
    ) -> QueryResult<()> {
        diesel::replace_into(import_mappings::table)
            .values((
                import_mappings::header_signature.eq(signature(register, headers)),
                import_mappings::mapping.eq(mapping_json(mapping)),
                import_mappings::updated_at.eq(now),
            ))
            .execute(conn)
            .await
            .map(drop)
    }

    async fn set_progress(
        conn: &mut AsyncMysqlConnection,
        id: ImportId,
        rows: u32,
        now: NaiveDateTime,
    ) -> QueryResult<()> {
        diesel::update(registry_imports::table.find(id))
            .set((
                registry_imports::processed_rows.eq(rows),
                registry_imports::heartbeat_at.eq(now),
            ))
            .execute(conn)
            .await
            .map(drop)
    }

    /// Records that the running phase of import `id` is alive.
    async fn beat(
        conn: &mut AsyncMysqlConnection,
        id: ImportId,
        now: NaiveDateTime,
    ) -> QueryResult<()> {
        diesel::update(registry_imports::table.find(id))
            .set(registry_imports::heartbeat_at.eq(now))
            .execute(conn)
            .await
            .map(drop)
    }

    /// Marks as failed (`interrupted`) every running phase whose heartbeat stopped more
    /// than `HEARTBEAT_LAPSE` before `now`: its server stopped or crashed. A commit is one
    /// transaction, so an interrupted one wrote nothing, and the official may check the
    /// file again. Returns how many imports it marked.
    pub async fn fail_interrupted(
        conn: &mut AsyncMysqlConnection,
        now: NaiveDateTime,
    ) -> QueryResult<usize> {
        let running = [
            ImportPhase::Checking.as_db(),
            ImportPhase::Committing.as_db(),
        ];
        diesel::update(
            registry_imports::table
                .filter(registry_imports::phase.eq_any(running))
                .filter(
                    registry_imports::heartbeat_at
                        .is_null()
                        .or(registry_imports::heartbeat_at.lt(now - HEARTBEAT_LAPSE)),
                ),
        )
        .set((
            registry_imports::phase.eq(ImportPhase::Failed.as_db()),
            registry_imports::failure.eq(IMPORT_INTERRUPTED),
        ))
        .execute(conn)
        .await
    }

    /// Removes the workbooks of imports left uploaded, checked or failed since before
    /// `cutoff`, and marks them failed with `file_missing` (what a later check would
    /// find). Returns how many were marked.
    pub async fn expire_abandoned(
        conn: &mut AsyncMysqlConnection,
        directory: &Path,
        cutoff: NaiveDateTime,
    ) -> QueryResult<usize> {
        let waiting = [
            ImportPhase::Uploaded.as_db(),
            ImportPhase::Checked.as_db(),
            ImportPhase::Failed.as_db(),
        ];
        let stale = || {
            registry_imports::table
                .filter(registry_imports::phase.eq_any(waiting))
                .filter(registry_imports::created_at.lt(cutoff))
                .filter(
                    registry_imports::failure
                        .is_null()
                        .or(registry_imports::failure.ne(FILE_MISSING)),
                )
        };
        let abandoned: Vec<ImportId> = stale()
            .select(registry_imports::id)
            .limit(500)
            .load(conn)
            .await?;
        let mut expired = 0;
        for id in abandoned {
            // Guarded by its phase, so an import checked or committed meanwhile is kept.
            let changed = diesel::update(stale().filter(registry_imports::id.eq(id)))
                .set((
                    registry_imports::phase.eq(ImportPhase::Failed.as_db()),
                    registry_imports::failure.eq(FILE_MISSING),
                ))
                .execute(conn)
                .await?;
            if changed > 0 {
                expired += 1;
                remove_workbook(directory, id).await;
            }
        }
        Ok(expired)
    }

    async fn fail(conn: &mut AsyncMysqlConnection, id: ImportId, code: &str) -> QueryResult<()> {
        diesel::update(registry_imports::table.find(id))
            .set((
                registry_imports::phase.eq(ImportPhase::Failed.as_db()),
                registry_imports::failure.eq(code),
            ))
            .execute(conn)
            .await
            .map(drop)
    }
}

/// The officials' upload route: `POST /api/v1/constructions/imports` (multipart field
/// `file`, a registry workbook; `?register=illegal` for the registry of illegal
/// constructions, the registry of permits otherwise).
pub fn routes<S>() -> Routes<S>
where
    S: Clone + Send + Sync + 'static,
    DbPool: FromRef<S>,
    AppConfig: FromRef<S>,
{
    Routes::new().post("/api/v1/constructions/imports", upload)
}

/// The upload's query string.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct UploadQuery {
    /// The registry's key.
    register: String,
}

async fn upload(
    State(pool): State<DbPool>,
    State(config): State<AppConfig>,
    SignedIn(user): SignedIn,
    Query(query): Query<UploadQuery>,
    mut multipart: Multipart,
) -> Response {
    let register = match query.register.trim() {
        "" => Register::Permitted,
        key => match Register::from_db(key) {
            Some(register) => register,
            None => return AppError::invalid("register", ErrorCode::NotAllowed).into_response(),
        },
    };
    let checked = user.clone();
    let allowed = db::run(&pool, move |mut conn| async move {
        Ok(registry_scope(&mut conn, &checked).await?.edits_anything())
    })
    .await;
    match allowed {
        Ok(true) => {}
        Ok(false) => return AppError::Forbidden.into_response(),
        Err(error) => return error.into_response(),
    }
    let (file_name, bytes) =
        match read_file_field(&mut multipart, "file", MAX_FILE_BYTES, "registry.xlsx").await {
            Ok(received) => received,
            Err(error) => return error.into_response(),
        };
    let sha256 = hex::encode(Sha256::digest(&bytes));
    let name_for_reading = file_name.clone();
    let bytes = Arc::new(bytes);
    let reading = Arc::clone(&bytes);
    let sheet =
        match tokio::task::spawn_blocking(move || read_registry(&reading, &name_for_reading)).await
        {
            Ok(Ok(sheet)) => sheet,
            Ok(Err(error)) => {
                return AppError::invalid("file", ErrorCode::BadWorkbook { reason: error })
                    .into_response();
            }
            Err(_) => return AppError::Internal.into_response(),
        };
    let now = clock::now();
    let created = db::run(&pool, move |mut conn| async move {
        Ok(Imports::create(
            &mut conn, user.id, register, &file_name, &sha256, &sheet, now,
        )
        .await?)
    })
    .await;
    let id = match created {
        Ok(id) => id,
        Err(error) => return error.into_response(),
    };
    let directory = config.import_dir.clone();
    let written = store(&file_path(&directory, id), &bytes).await;
    if let Err(error) = written {
        tracing::error!(%error, "could not store an uploaded workbook");
        let _ = db::run(&pool, move |mut conn| async move {
            Ok(Imports::fail(&mut conn, id, "storage").await?)
        })
        .await;
        return AppError::Internal.into_response();
    }
    (StatusCode::CREATED, Json(id)).into_response()
}

/// A validated workbook of either registry.
enum Checked {
    /// Rows of the registry of permits.
    Permitted(Validated),
    /// Rows of the registry of illegal constructions.
    Illegal(Validated<IllegalRecord>),
}

impl Checked {
    fn errors(&self) -> &[RowError] {
        match self {
            Self::Permitted(validated) => &validated.errors,
            Self::Illegal(validated) => &validated.errors,
        }
    }

    fn record_count(&self) -> usize {
        match self {
            Self::Permitted(validated) => validated.records.len(),
            Self::Illegal(validated) => validated.records.len(),
        }
    }
}

/// Reads the import's workbook and validates it as rows of `register` with `mapping`, for
/// an official who may change the registry within `scope`.
async fn read_and_validate(
    pool: &DbPool,
    directory: &Path,
    id: ImportId,
    register: Register,
    mapping: ColumnMapping,
    scope: RegistryScope,
) -> Result<Checked, String> {
    let municipalities = db::run(pool, |mut conn| async move {
        Ok(Municipality::list(&mut conn).await?)
    })
    .await
    .map_err(|_| "database".to_string())?;
    let bytes = tokio::fs::read(file_path(directory, id))
        .await
        .map_err(|_| FILE_MISSING.to_string())?;
    let checked_scope = scope.clone();
    let today = clock::now().date();
    let (checked, number_header) = tokio::task::spawn_blocking(move || {
        let sheet = read_registry(&bytes, "").map_err(|error| workbook_failure(&error))?;
        drop(bytes);
        let names = MunicipalityNames::new(&municipalities);
        let resolve = |text: &str| names.resolve(text);
        let may_edit = |municipality| checked_scope.covers(municipality);
        let region = |point| in_region(point);
        let context = ValidationContext {
            municipality: &resolve,
            may_edit: &may_edit,
            in_region: &region,
        };
        let number_header = mapping
            .column_of(RegistryField::RegistryNumber)
            .and_then(|index| sheet.headers.get(index).cloned());
        let checked = match register {
            Register::Permitted => Checked::Permitted(validate(&sheet, &mapping, &context)),
            Register::Illegal => {
                Checked::Illegal(validate_illegal(&sheet, &mapping, &context, today))
            }
        };
        Ok::<_, String>((checked, number_header))
    })
    .await
    .map_err(|_| "internal".to_string())??;
    if scope == RegistryScope::Region {
        return Ok(checked);
    }
    db::run(pool, move |mut conn| async move {
        Ok(match checked {
            Checked::Permitted(validated) => Checked::Permitted(
                refuse_foreign_entries(&mut conn, validated, &scope, number_header).await?,
            ),
            Checked::Illegal(mut validated) => {
                let covers = move |municipality| scope.covers(municipality);
                let foreign = foreign_illegal_rows(&mut conn, &validated.records, &covers).await?;
                refuse_rows(&mut validated, &foreign, number_header);
                Checked::Illegal(validated)
            }
        })
    })
    .await
    .map_err(|_| "database".to_string())
}

/// Turns the records of `rows` into bad rows: they would change an existing entry of a
/// municipality outside the official's scope.
fn refuse_rows<R>(validated: &mut Validated<R>, rows: &[u32], number_header: Option<String>) {
    validated.records.retain(|(row, _)| !rows.contains(row));
    validated.errors.extend(rows.iter().map(|row| RowError {
        row: *row,
        column: number_header.clone(),
        field: Some(RegistryField::RegistryNumber),
        problem: RowProblem::NotYourMunicipality,
    }));
    validated.errors.sort_by_key(|error| error.row);
}

/// `validated` with the rows that would change an existing entry of a municipality
/// outside `scope` turned into bad rows: a file must not move another department's entry
/// into one's own municipality by naming its registry number.
async fn refuse_foreign_entries(
    conn: &mut AsyncMysqlConnection,
    mut validated: Validated,
    scope: &RegistryScope,
    number_header: Option<String>,
) -> QueryResult<Validated> {
    let numbers: Vec<String> = validated
        .records
        .iter()
        .map(|(_, record)| record.registry_number.clone())
        .collect();
    let existing = Registry::by_numbers(conn, &numbers).await?;
    let foreign: Vec<u32> = validated
        .records
        .iter()
        .filter(|(_, record)| {
            existing
                .get(&number_key(&record.registry_number))
                .is_some_and(|(_, entry)| !scope.covers(entry.municipality_id))
        })
        .map(|(row, _)| *row)
        .collect();
    refuse_rows(&mut validated, &foreign, number_header);
    Ok(validated)
}

/// How many distinct rows have problems.
fn bad_rows(errors: &[RowError]) -> u32 {
    let mut rows: Vec<u32> = errors.iter().map(|error| error.row).collect();
    rows.dedup();
    rows.len() as u32
}

/// The dry run, in the background: every row validated, the counts of what a commit
/// would do, the bad rows stored for the page.
pub fn spawn_check(
    pool: DbPool,
    config: AppConfig,
    id: ImportId,
    register: Register,
    mapping: ColumnMapping,
    scope: RegistryScope,
) {
    tokio::spawn(async move {
        let heartbeat = spawn_heartbeat(pool.clone(), id);
        let columns = mapping.fields();
        let outcome =
            read_and_validate(&pool, &config.import_dir, id, register, mapping, scope).await;
        let result = db::run(&pool, move |mut conn| async move {
            let checked = match outcome {
                Ok(checked) => checked,
                Err(code) => return Ok(Imports::fail(&mut conn, id, &code).await?),
            };
            let counts = match &checked {
                Checked::Permitted(validated) => {
                    let records: Vec<_> =
                        validated.records.iter().map(|(_, r)| r.clone()).collect();
                    plan_import(&mut conn, &records, &columns).await?
                }
                Checked::Illegal(validated) => {
                    let records: Vec<_> =
                        validated.records.iter().map(|(_, r)| r.clone()).collect();
                    plan_illegal_import(&mut conn, &records, &columns).await?
                }
            };
            let errors = checked.errors();
            let kept: Vec<&RowError> = errors.iter().take(ERRORS_KEPT).collect();
            diesel::update(registry_imports::table.find(id))
                .set((
                    registry_imports::phase.eq(ImportPhase::Checked.as_db()),
                    registry_imports::processed_rows.eq(checked.record_count() as u32),
                    registry_imports::added.eq(counts.added),
                    registry_imports::updated.eq(counts.updated),
                    registry_imports::unchanged.eq(counts.unchanged),
                    registry_imports::error_count.eq(bad_rows(errors)),
                    registry_imports::errors
                        .eq(serde_json::to_string(&kept).unwrap_or_else(|_| "[]".into())),
                    registry_imports::failure.eq(None::<String>),
                ))
                .execute(&mut conn)
                .await?;
            Ok(())
        })
        .await;
        heartbeat.abort();
        if let Err(error) = result {
            tracing::error!(?error, import = %id, "import check failed");
        }
    });
}

/// The commit, in the background: the rows validated again (bad rows are skipped only when
/// the official said so), then the good ones written in one transaction; progress goes to the import's row through a second connection, since
/// the transaction's own writes are invisible until it ends.
pub fn spawn_commit(
    pool: DbPool,
    config: AppConfig,
    id: ImportId,
    user: UserId,
    scope: RegistryScope,
    skip_bad_rows: bool,
) {
    tokio::spawn(async move {
        let heartbeat = spawn_heartbeat(pool.clone(), id);
        let status = db::run(&pool, move |mut conn| async move {
            Ok(Imports::status(&mut conn, id).await?)
        })
        .await
        .ok()
        .flatten();
        let columns = status
            .as_ref()
            .map(|status| {
                ColumnMapping {
                    columns: status.mapping.clone(),
                }
                .fields()
            })
            .unwrap_or_default();
        let outcome = match status {
            Some(status) => {
                let mapping = ColumnMapping {
                    columns: status.mapping,
                };
                let directory = &config.import_dir;
                read_and_validate(&pool, directory, id, status.register, mapping, scope).await
            }
            None => Err("internal".to_string()),
        };
        let (progress_sender, mut progress_receiver) = tokio::sync::watch::channel(0u32);
        let progress_pool = pool.clone();
        let reporter = tokio::spawn(async move {
            while progress_receiver.changed().await.is_ok() {
                let rows = *progress_receiver.borrow_and_update();
                let _ = db::run(&progress_pool, move |mut conn| async move {
                    Ok(Imports::set_progress(&mut conn, id, rows, clock::now()).await?)
                })
                .await;
            }
        });
        let result = db::run(&pool, move |mut conn| async move {
            let checked = match outcome {
                Ok(checked) if checked.errors().is_empty() || skip_bad_rows => checked,
                Ok(_) => return Ok(Imports::fail(&mut conn, id, "bad_rows").await?),
                Err(code) => return Ok(Imports::fail(&mut conn, id, &code).await?),
            };
            let record_count = checked.record_count() as u32;
            let editor = Editor {
                user,
                import: Some(id),
            };
            let report = move |rows: u32| {
                let _ = progress_sender.send(rows);
            };
            let now = clock::now();
            let applied = match checked {
                Checked::Permitted(validated) => {
                    let records: Vec<_> = validated.records.into_iter().map(|(_, r)| r).collect();
                    apply_import(&mut conn, &records, &columns, editor, now, &report).await
                }
                Checked::Illegal(validated) => {
                    let records: Vec<_> = validated.records.into_iter().map(|(_, r)| r).collect();
                    apply_illegal_import(&mut conn, &records, &columns, editor, now, &report).await
                }
            };
            match applied {
                Ok(counts) => {
                    diesel::update(registry_imports::table.find(id))
                        .set((
                            registry_imports::phase.eq(ImportPhase::Committed.as_db()),
                            registry_imports::processed_rows.eq(record_count),
                            registry_imports::added.eq(counts.added),
                            registry_imports::updated.eq(counts.updated),
                            registry_imports::unchanged.eq(counts.unchanged),
                            registry_imports::committed_at.eq(now),
                        ))
                        .execute(&mut conn)
                        .await?;
                    // The rows are in the registry now; nothing reads the workbook again.
                    remove_workbook(&config.import_dir, id).await;
                    Ok(())
                }
                Err(error) => {
                    tracing::error!(?error, import = %id, "import commit failed");
                    Ok(Imports::fail(&mut conn, id, "commit").await?)
                }
            }
        })
        .await;
        reporter.abort();
        heartbeat.abort();
        if let Err(error) = result {
            tracing::error!(?error, import = %id, "import commit failed");
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_without_case_prefix_or_yo() {
        assert_eq!(name_key("г. Краснодар"), "краснодар");
        assert_eq!(name_key("  Город  КРАСНОДАР "), "краснодар");
        assert_eq!(name_key("Щёрбиновский район"), "щербиновский район");
        assert_eq!(
            name_key("городской округ город Краснодар"),
            "городской округ город краснодар"
        );
    }
}
