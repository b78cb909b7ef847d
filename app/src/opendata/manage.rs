//! The moderators' side of open data: passports of uploaded datasets, uploaded files
//! staged and then published as versions, and citizens' requests for datasets with the
//! moderators' answers.
//!
//! An upload is published in two steps so that nothing half-understood goes out: the file
//! is read and its structure proposed (stored in `dataset_uploads`, the file kept in the
//! import directory), then the moderator confirms or edits the columns and every cell is
//! checked against its column's type before one transaction writes the version.

use std::path::{Path, PathBuf};

use axum::Json;
use axum::extract::{FromRef, Multipart, Path as UrlPath, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl};
use sha2::{Digest, Sha256};

use super::format::{Column, ColumnType, Structure, Value, infer_structure, parse_cell};
use super::model::{
    CellProblem, ColumnInfo, DatasetId, DatasetRequest, DatasetRequestId, DatasetSource,
    DatasetUploadId, DatasetVersionId, PassportForm, PublishOutcome, UploadPreview,
};
use super::queries::{Datasets, rows_digest, structure_for};
use super::table::{MAX_UPLOAD_BYTES, Table, read_table};
use crate::auth::model::{Role, SessionUser, UserId};
use crate::auth::session::{SignedIn, count_account_write};
use platform::clock;
use platform::config::AppConfig;
use platform::db::schema::{
    dataset_requests, dataset_rows, dataset_uploads, dataset_versions, datasets, users,
};
use platform::db::{self, DbPool, last_insert_id};
use platform::email::check_email;
use platform::error::{AppError, ErrorCode, FieldError};
use platform::routes::Routes;
use platform::uploads::read_file_field;

/// Rows shown from an upload before it is published.
const SAMPLE_ROWS: usize = 5;

/// Rows read to guess the column types.
const INFERENCE_ROWS: usize = 1_000;

/// Cell problems reported at most (the total is counted in full).
const MAX_PROBLEMS: usize = 20;

/// Rows per INSERT when a version is written.
const INSERT_CHUNK: usize = 1_000;

/// Whether `user` manages open data.
pub fn is_data_moderator(user: &SessionUser) -> bool {
    user.has_role(Role::Moderator) || user.has_role(Role::Admin)
}

/// Checks a passport; `new` also checks the code, which is fixed afterwards.
pub fn check_passport(form: &PassportForm, new: bool) -> Result<(), AppError> {
    let mut errors = Vec::new();
    let mut text = |field: &str, value: &str, max: usize, required: bool| {
        let length = value.trim().chars().count();
        if required && length == 0 {
            errors.push(FieldError::new(field, ErrorCode::Required));
        } else if length > max {
            errors.push(FieldError::new(
                field,
                ErrorCode::TooLong { max: max as u32 },
            ));
        }
    };
    text("title_ru", &form.title_ru, 500, true);
    text("title_en", &form.title_en, 500, true);
    text("description_ru", &form.description_ru, 5_000, true);
    text("description_en", &form.description_en, 5_000, true);
    text("creator", &form.creator, 500, true);
    text("subject", &form.subject, 1_000, true);
    text("publisher_name", &form.publisher_name, 255, true);
    text("publisher_phone", &form.publisher_phone, 32, true);
    if new {
        let code = form.code.trim();
        if code.is_empty() {
            errors.push(FieldError::new("code", ErrorCode::Required));
        } else if !is_dataset_code(code) {
            errors.push(FieldError::new("code", ErrorCode::Malformed));
        }
    }
    let phone = form.publisher_phone.trim();
    if !phone.is_empty()
        && !phone
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '-' | '(' | ')'))
    {
        errors.push(FieldError::new("publisher_phone", ErrorCode::Malformed));
    }
    if let Some(code) = check_email(form.publisher_mbox.trim()) {
        errors.push(FieldError::new("publisher_mbox", code));
    }
    if !(1..=3_650).contains(&form.valid_days) {
        errors.push(FieldError::new(
            "valid_days",
            ErrorCode::OutOfRange { min: 1, max: 3_650 },
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Invalid { errors })
    }
}

/// A dataset code: lowercase Latin letters, digits and inner hyphens, as identifiers and
/// CKAN names need (`<INN>-<code>` stays within CKAN's 100 characters).
pub fn is_dataset_code(code: &str) -> bool {
    (2..=80).contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !code.starts_with('-')
        && !code.ends_with('-')
        && !code.contains("--")
}

/// Keywords as stored: trimmed, without empty ones, comma separated.
fn keywords(subject: &str) -> String {
    subject
        .split(',')
        .map(str::trim)
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(",")
}

/// A staged upload as stored.
#[derive(Debug, Clone)]
pub struct StagedUpload {
    /// The dataset.
    pub dataset: DatasetId,
    /// Its identifier.
    pub identifier: String,
    /// The file's name.
    pub file_name: String,
    /// Rows.
    pub row_count: u32,
    /// The proposed structure.
    pub structure: Structure,
    /// `staged`, `published` or `discarded`.
    pub status: String,
}

/// Why publishing an upload stopped without a version.
enum PublishError {
    Unchanged,
    Failed(AppError),
}

impl From<diesel::result::Error> for PublishError {
    fn from(error: diesel::result::Error) -> Self {
        Self::Failed(error.into())
    }
}

/// The moderators' open-data queries.
pub struct Manage;

impl Manage {
    /// Creates an uploaded dataset (no versions yet); returns its identifier. A code the
    /// publisher uses already is refused as a duplicate.
    pub async fn create_uploaded(
        conn: &mut AsyncMysqlConnection,
        inn: &str,
        form: &PassportForm,
        now: NaiveDateTime,
    ) -> Result<String, AppError> {
        let code = form.code.trim();
        let inserted = diesel::insert_into(datasets::table)
            .values((
                (
                    datasets::publisher_inn.eq(inn),
                    datasets::code.eq(code),
                    datasets::source.eq(DatasetSource::Uploaded.as_db()),
                    datasets::title_ru.eq(form.title_ru.trim()),
                    datasets::title_en.eq(form.title_en.trim()),
                    datasets::description_ru.eq(form.description_ru.trim()),
                    datasets::description_en.eq(form.description_en.trim()),
                ),
                (
                    datasets::creator.eq(form.creator.trim()),
                    datasets::subject.eq(keywords(&form.subject)),
                    datasets::publisher_name.eq(form.publisher_name.trim()),
                    datasets::publisher_phone.eq(form.publisher_phone.trim()),
                    datasets::publisher_mbox.eq(form.publisher_mbox.trim()),
                    datasets::valid_days.eq(form.valid_days),
                    datasets::created_at.eq(now),
                    datasets::updated_at.eq(now),
                ),
            ))
            .execute(conn)
            .await;
        match inserted {
            Ok(_) => Ok(format!("{inn}-{code}")),
            Err(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            )) => Err(AppError::invalid("code", ErrorCode::Duplicate)),
            Err(error) => Err(error.into()),
        }
    }

    /// Changes a dataset's passport texts and contacts (its identifier never changes).
    pub async fn update_passport(
        conn: &mut AsyncMysqlConnection,
        dataset: DatasetId,
        form: &PassportForm,
        now: NaiveDateTime,
    ) -> QueryResult<()> {
        diesel::update(datasets::table.find(dataset))
            .set((
                datasets::title_ru.eq(form.title_ru.trim()),
                datasets::title_en.eq(form.title_en.trim()),
                datasets::description_ru.eq(form.description_ru.trim()),
                datasets::description_en.eq(form.description_en.trim()),
                datasets::creator.eq(form.creator.trim()),
                datasets::subject.eq(keywords(&form.subject)),
                datasets::publisher_name.eq(form.publisher_name.trim()),
                datasets::publisher_phone.eq(form.publisher_phone.trim()),
                datasets::publisher_mbox.eq(form.publisher_mbox.trim()),
                datasets::valid_days.eq(form.valid_days),
                datasets::updated_at.eq(now),
            ))
            .execute(conn)
            .await
            .map(drop)
    }

    /// A dataset's passport as the form edits it.
    pub async fn passport_form(
        conn: &mut AsyncMysqlConnection,
        identifier: &str,
    ) -> QueryResult<Option<(DatasetId, DatasetSource, PassportForm)>> {
        let Some(info) = Datasets::by_identifier(conn, identifier).await? else {
            return Ok(None);
        };
        let (code, valid_days): (String, u32) = datasets::table
            .find(info.id)
            .select((datasets::code, datasets::valid_days))
            .first(conn)
            .await?;
        Ok(Some((
            info.id,
            info.source,
            PassportForm {
                code,
                title_ru: info.title.0,
                title_en: info.title.1,
                description_ru: info.description.0,
                description_en: info.description.1,
                creator: info.creator,
                subject: info.subject.join(", "),
                publisher_name: info.publisher_name,
                publisher_phone: info.publisher_phone,
                publisher_mbox: info.publisher_mbox,
                valid_days,
            },
        )))
    }

    /// The structure proposed for `table`: the dataset's current one when the file has
    /// the same headers in the same order (so a monthly upload keeps the names and
    /// translations the moderator gave), else one inferred from the file.
    pub async fn propose_structure(
        conn: &mut AsyncMysqlConnection,
        dataset: DatasetId,
        table: &Table,
        today: NaiveDate,
    ) -> Result<Structure, AppError> {
        if let Some(latest) = Datasets::structure_versions(conn, dataset)
            .await?
            .into_iter()
            .next()
            && let Some(current) = Datasets::structure(conn, dataset, latest).await?
        {
            let same_headers = current.columns.len() == table.headers.len()
                && current
                    .columns
                    .iter()
                    .zip(&table.headers)
                    .all(|(column, header)| column.russian.trim() == header.trim());
            if same_headers {
                return Ok(Structure {
                    version: today,
                    ..current
                });
            }
        }
        let sample = &table.rows[..table.rows.len().min(INFERENCE_ROWS)];
        Ok(infer_structure(&table.headers, sample, today))
    }

    /// Records a staged upload.
    #[allow(clippy::too_many_arguments)]
    pub async fn stage(
        conn: &mut AsyncMysqlConnection,
        dataset: DatasetId,
        user: UserId,
        file_name: &str,
        kind: &str,
        sha256: &str,
        row_count: u32,
        structure: &Structure,
        now: NaiveDateTime,
    ) -> Result<DatasetUploadId, AppError> {
        let proposed = serde_json::to_string(structure).map_err(|error| {
            tracing::error!(%error, "could not encode a proposed structure");
            AppError::Internal
        })?;
        diesel::insert_into(dataset_uploads::table)
            .values((
                dataset_uploads::dataset_id.eq(dataset),
                dataset_uploads::uploaded_by.eq(user),
                dataset_uploads::file_name.eq(file_name),
                dataset_uploads::file_kind.eq(kind),
                dataset_uploads::sha256.eq(sha256),
                dataset_uploads::row_count.eq(row_count),
                dataset_uploads::proposed_structure.eq(proposed),
                dataset_uploads::status.eq("staged"),
                dataset_uploads::created_at.eq(now),
            ))
            .execute(conn)
            .await?;
        Ok(DatasetUploadId(last_insert_id(conn).await?))
    }

    /// Discards the uploads left staged since before `cutoff` and removes their files:
    /// a manager who neither published nor replaced an upload for that long will not.
    /// Returns how many were discarded.
    pub async fn discard_abandoned(
        conn: &mut AsyncMysqlConnection,
        directory: &Path,
        cutoff: NaiveDateTime,
    ) -> QueryResult<usize> {
        let abandoned: Vec<DatasetUploadId> = dataset_uploads::table
            .filter(dataset_uploads::status.eq("staged"))
            .filter(dataset_uploads::created_at.lt(cutoff))
            .select(dataset_uploads::id)
            .limit(500)
            .load(conn)
            .await?;
        let mut discarded = 0;
        for id in abandoned {
            // Guarded by its status, so an upload published meanwhile keeps its row.
            let changed = diesel::update(
                dataset_uploads::table
                    .find(id)
                    .filter(dataset_uploads::status.eq("staged")),
            )
            .set(dataset_uploads::status.eq("discarded"))
            .execute(conn)
            .await?;
            if changed == 0 {
                continue;
            }
            discarded += 1;
            if let Err(error) = platform::uploads::remove_stored(&upload_path(directory, id)).await
            {
                tracing::warn!(%error, %id, "could not remove an abandoned upload");
            }
        }
        Ok(discarded)
    }

    /// A staged (or published) upload.
    pub async fn upload(
        conn: &mut AsyncMysqlConnection,
        id: DatasetUploadId,
    ) -> Result<Option<StagedUpload>, AppError> {
        let row: Option<(DatasetId, String, String, String, u32, String, String)> =
            dataset_uploads::table
                .inner_join(datasets::table)
                .filter(dataset_uploads::id.eq(id))
                .select((
                    datasets::id,
                    datasets::publisher_inn,
                    datasets::code,
                    dataset_uploads::file_name,
                    dataset_uploads::row_count,
                    dataset_uploads::proposed_structure,
                    dataset_uploads::status,
                ))
                .first(conn)
                .await
                .optional()?;
        let Some((dataset, inn, code, file_name, row_count, structure, status)) = row else {
            return Ok(None);
        };
        let structure = serde_json::from_str(&structure).map_err(|error| {
            tracing::error!(%error, %id, "a proposed structure does not read back");
            AppError::Internal
        })?;
        Ok(Some(StagedUpload {
            dataset,
            identifier: format!("{inn}-{code}"),
            file_name,
            row_count,
            structure,
            status,
        }))
    }

    /// Publishes an upload's rows (already checked and encoded as JSON arrays) as today's
    /// version with `structure`, in one transaction: nothing is visible until all of it
    /// is written, and rows equal to the latest version's (with the same columns) are
    /// rolled back as unchanged.
    pub async fn publish_upload(
        conn: &mut AsyncMysqlConnection,
        upload: DatasetUploadId,
        structure: Structure,
        rows: Vec<String>,
        now: NaiveDateTime,
    ) -> Result<PublishOutcome, AppError> {
        let today = structure.version;
        let outcome = conn
            .transaction::<PublishOutcome, PublishError, _>(async move |conn| {
                let (dataset, status): (DatasetId, String) = dataset_uploads::table
                    .find(upload)
                    .select((dataset_uploads::dataset_id, dataset_uploads::status))
                    .for_update()
                    .first(conn)
                    .await?;
                if status != "staged" {
                    return Err(PublishError::Failed(AppError::Conflict));
                }
                let valid_days: u32 = datasets::table
                    .find(dataset)
                    .select(datasets::valid_days)
                    .for_update()
                    .first(conn)
                    .await?;
                let published_today: i64 = dataset_versions::table
                    .filter(dataset_versions::dataset_id.eq(dataset))
                    .filter(dataset_versions::version.eq(today))
                    .count()
                    .get_result(conn)
                    .await?;
                if published_today > 0 {
                    return Ok(PublishOutcome::AlreadyToday);
                }
                let (structure_id, new_structure) = structure_for(conn, dataset, &structure, now)
                    .await
                    .map_err(PublishError::Failed)?;
                let previous: Option<String> = dataset_versions::table
                    .filter(dataset_versions::dataset_id.eq(dataset))
                    .order(dataset_versions::version.desc())
                    .select(dataset_versions::content_sha256)
                    .first(conn)
                    .await
                    .optional()?;
                let provenance = match (&previous, new_structure) {
                    (None, _) => "Первая публикация",
                    (Some(_), true) => "Изменение структуры и данных",
                    (Some(_), false) => "Изменение данных",
                };
                let row_count = u32::try_from(rows.len())
                    .map_err(|_| PublishError::Failed(AppError::Internal))?;
                diesel::insert_into(dataset_versions::table)
                    .values((
                        dataset_versions::dataset_id.eq(dataset),
                        dataset_versions::version.eq(today),
                        dataset_versions::structure_id.eq(structure_id),
                        dataset_versions::provenance.eq(provenance),
                        dataset_versions::valid_until
                            .eq(today + Duration::days(i64::from(valid_days))),
                        dataset_versions::row_count.eq(row_count),
                        dataset_versions::content_sha256.eq(""),
                        dataset_versions::published_at.eq(now),
                    ))
                    .execute(conn)
                    .await?;
                let version = last_insert_id(conn).await?;
                let mut number = 0u32;
                for chunk in rows.chunks(INSERT_CHUNK) {
                    let values: Vec<_> = chunk
                        .iter()
                        .map(|cells| {
                            number += 1;
                            (
                                dataset_rows::version_id.eq(version),
                                dataset_rows::row_no.eq(number),
                                dataset_rows::cells.eq(cells),
                            )
                        })
                        .collect();
                    diesel::insert_into(dataset_rows::table)
                        .values(values)
                        .execute(conn)
                        .await?;
                }
                let digest = rows_digest(conn, version).await?;
                if !new_structure && previous.as_deref() == Some(digest.as_str()) {
                    return Err(PublishError::Unchanged);
                }
                diesel::update(dataset_versions::table.find(DatasetVersionId(version)))
                    .set(dataset_versions::content_sha256.eq(&digest))
                    .execute(conn)
                    .await?;
                // The sort and filter keys of the table and the rows API, in the same
                // transaction as the rows they index.
                Datasets::index_rows(conn, DatasetVersionId(version)).await?;
                diesel::update(dataset_uploads::table.find(upload))
                    .set((
                        dataset_uploads::status.eq("published"),
                        dataset_uploads::version_id.eq(version),
                    ))
                    .execute(conn)
                    .await?;
                diesel::update(datasets::table.find(dataset))
                    .set(datasets::updated_at.eq(now))
                    .execute(conn)
                    .await?;
                Ok(PublishOutcome::Published {
                    version: today,
                    rows: row_count,
                    new_structure,
                })
            })
            .await;
        match outcome {
            Ok(outcome) => Ok(outcome),
            Err(PublishError::Unchanged) => Ok(PublishOutcome::Unchanged),
            Err(PublishError::Failed(error)) => Err(error),
        }
    }
}

/// The structure a moderator confirmed, checked: machine names, types, coordinates.
pub fn confirmed_structure(
    columns: &[ColumnInfo],
    coordinates: Option<(u16, u16)>,
    today: NaiveDate,
) -> Result<Structure, AppError> {
    let mut errors = Vec::new();
    let mut confirmed = Vec::with_capacity(columns.len());
    for (index, column) in columns.iter().enumerate() {
        let field = |part: &str| format!("column-{index}-{part}");
        let name = column.name.trim().to_string();
        if !super::format::is_machine_name(&name) {
            errors.push(FieldError::new(field("name"), ErrorCode::Malformed));
        } else if confirmed.iter().any(|c: &Column| c.name == name) {
            errors.push(FieldError::new(field("name"), ErrorCode::Duplicate));
        }
        if column.russian.trim().is_empty() {
            errors.push(FieldError::new(field("russian"), ErrorCode::Required));
        }
        if column.english.trim().is_empty() {
            errors.push(FieldError::new(field("english"), ErrorCode::Required));
        }
        let kind = ColumnType::from_structure_format(&column.kind).unwrap_or_else(|| {
            errors.push(FieldError::new(field("kind"), ErrorCode::NotAllowed));
            ColumnType::String
        });
        confirmed.push(Column::new(
            name,
            column.english.trim(),
            column.russian.trim(),
            kind,
        ));
    }
    let structure = Structure {
        version: today,
        columns: confirmed,
        latitude: coordinates.map(|(lat, _)| usize::from(lat)),
        longitude: coordinates.map(|(_, lon)| usize::from(lon)),
    };
    if errors.is_empty()
        && let Err(error) = structure.validate()
    {
        tracing::info!(%error, "a confirmed structure is refused");
        errors.push(FieldError::new("coordinates", ErrorCode::NotAllowed));
    }
    if errors.is_empty() {
        Ok(structure)
    } else {
        Err(AppError::Invalid { errors })
    }
}

/// Every row of `table` as a JSON array of values typed by `structure`, or the cells that
/// do not fit (the first [`MAX_PROBLEMS`], and how many in all).
pub fn encode_rows(
    table: &Table,
    structure: &Structure,
) -> Result<Vec<String>, (Vec<CellProblem>, u32)> {
    let mut problems = Vec::new();
    let mut total = 0u32;
    let mut encoded = Vec::with_capacity(table.rows.len());
    let mut cells = Vec::with_capacity(structure.columns.len());
    for (row, number) in table.rows.iter().zip(&table.numbers) {
        cells.clear();
        for (index, (text, column)) in row.iter().zip(&structure.columns).enumerate() {
            let value = parse_cell(text, column.kind).ok().filter(|value| {
                let limit = if structure.latitude == Some(index) {
                    90.0
                } else if structure.longitude == Some(index) {
                    180.0
                } else {
                    return true;
                };
                match value {
                    Value::Number(n) => n.abs() <= limit,
                    Value::Integer(n) => (*n as f64).abs() <= limit,
                    _ => true,
                }
            });
            match value {
                Some(value) => cells.push(json_of(value)),
                None => {
                    total += 1;
                    if problems.len() < MAX_PROBLEMS {
                        problems.push(CellProblem {
                            row: *number,
                            column: column.name.clone(),
                            value: text.chars().take(100).collect(),
                            expected: column.kind.structure_format().to_string(),
                        });
                    }
                    cells.push(serde_json::Value::Null);
                }
            }
        }
        if total == 0 {
            encoded.push(serde_json::Value::Array(std::mem::take(&mut cells)).to_string());
        }
    }
    if total > 0 {
        Err((problems, total))
    } else {
        Ok(encoded)
    }
}

/// A value as its cell is stored (dates as ISO text, like the live datasets' rows).
fn json_of(value: Value) -> serde_json::Value {
    use serde_json::Value as Json;
    match value {
        Value::Null => Json::Null,
        Value::Text(text) => Json::String(text),
        Value::Integer(number) => Json::from(number),
        Value::Number(number) => {
            serde_json::Number::from_f64(number).map_or(Json::Null, Json::Number)
        }
        Value::Date(date) => Json::String(date.format("%Y-%m-%d").to_string()),
        Value::Boolean(truth) => Json::Bool(truth),
    }
}

/// Columns as the page edits them.
pub fn column_infos(structure: &Structure) -> Vec<ColumnInfo> {
    structure
        .columns
        .iter()
        .map(|column| ColumnInfo {
            name: column.name.clone(),
            english: column.english.clone(),
            russian: column.russian.clone(),
            kind: column.kind.structure_format().to_string(),
        })
        .collect()
}

/// Where a staged upload's file is kept.
pub fn upload_path(directory: &Path, id: DatasetUploadId) -> PathBuf {
    directory.join(format!("opendata-upload-{id}.bin"))
}

/// The preview of a staged upload, reading its file again for the sample rows.
pub async fn preview(
    directory: &Path,
    id: DatasetUploadId,
    staged: StagedUpload,
) -> Result<UploadPreview, AppError> {
    let published = staged.status != "staged";
    let (headers, sample) = if published {
        (Vec::new(), Vec::new())
    } else {
        let table = read_stored(directory, id).await?;
        let sample = table.rows.into_iter().take(SAMPLE_ROWS).collect();
        (table.headers, sample)
    };
    let coordinates = staged
        .structure
        .latitude
        .zip(staged.structure.longitude)
        .and_then(|(lat, lon)| Some((u16::try_from(lat).ok()?, u16::try_from(lon).ok()?)));
    Ok(UploadPreview {
        id,
        identifier: staged.identifier,
        file_name: staged.file_name,
        row_count: staged.row_count,
        columns: column_infos(&staged.structure),
        coordinates,
        headers,
        sample,
        published,
    })
}

/// The stored file of a staged upload, read as a table again.
pub async fn read_stored(directory: &Path, id: DatasetUploadId) -> Result<Table, AppError> {
    let bytes = tokio::fs::read(upload_path(directory, id))
        .await
        .map_err(|error| {
            tracing::error!(%error, %id, "a staged upload's file is missing");
            AppError::NotFound
        })?;
    tokio::task::spawn_blocking(move || read_table(&bytes))
        .await
        .map_err(|_| AppError::Internal)?
        .map_err(|reason| AppError::invalid("file", ErrorCode::BadDataFile { reason }))
}

/// Citizens' dataset requests.
pub struct Requests;

impl Requests {
    /// Records a request.
    pub async fn create(
        conn: &mut AsyncMysqlConnection,
        user: UserId,
        title: &str,
        details: &str,
        now: NaiveDateTime,
    ) -> QueryResult<DatasetRequestId> {
        diesel::insert_into(dataset_requests::table)
            .values((
                dataset_requests::user_id.eq(user),
                dataset_requests::title.eq(title),
                dataset_requests::details.eq(details),
                dataset_requests::created_at.eq(now),
            ))
            .execute(conn)
            .await?;
        Ok(DatasetRequestId(last_insert_id(conn).await?))
    }

    /// The newest requests, up to `limit`, with their answers.
    pub async fn recent(
        conn: &mut AsyncMysqlConnection,
        limit: i64,
    ) -> QueryResult<Vec<DatasetRequest>> {
        type Row = (
            (DatasetRequestId, String, String, String),
            (NaiveDateTime, Option<String>, Option<NaiveDateTime>),
            Option<(String, String, String)>,
        );
        let rows: Vec<Row> = dataset_requests::table
            .inner_join(users::table.on(users::id.eq(dataset_requests::user_id)))
            .left_join(datasets::table)
            .order(dataset_requests::id.desc())
            .limit(limit)
            .select((
                (
                    dataset_requests::id,
                    dataset_requests::title,
                    dataset_requests::details,
                    users::display_name,
                ),
                (
                    dataset_requests::created_at,
                    dataset_requests::answer,
                    dataset_requests::answered_at,
                ),
                (datasets::publisher_inn, datasets::code, datasets::title_ru).nullable(),
            ))
            .load(conn)
            .await?;
        Ok(rows
            .into_iter()
            .map(
                |((id, title, details, author), (created_at, answer, answered_at), dataset)| {
                    DatasetRequest {
                        id,
                        title,
                        details,
                        author,
                        created_at,
                        answer,
                        answered_at,
                        dataset: dataset.map(|(inn, code, title)| (format!("{inn}-{code}"), title)),
                    }
                },
            )
            .collect())
    }

    /// Answers (or re-answers) a request, optionally naming the dataset that answers it.
    pub async fn answer(
        conn: &mut AsyncMysqlConnection,
        id: DatasetRequestId,
        moderator: UserId,
        answer: &str,
        dataset: Option<DatasetId>,
        now: NaiveDateTime,
    ) -> Result<(), AppError> {
        let changed = diesel::update(dataset_requests::table.find(id))
            .set((
                dataset_requests::answer.eq(answer),
                dataset_requests::answered_by.eq(moderator),
                dataset_requests::answered_at.eq(now),
                dataset_requests::dataset_id.eq(dataset),
            ))
            .execute(conn)
            .await?;
        if changed == 0 {
            return Err(AppError::NotFound);
        }
        Ok(())
    }
}

/// The moderators' upload route: `POST /api/v1/opendata/{identifier}/uploads` with the
/// data file in the multipart field `file`; answers 201 with the [`UploadPreview`].
pub fn routes<S>() -> Routes<S>
where
    S: Clone + Send + Sync + 'static,
    DbPool: FromRef<S>,
    AppConfig: FromRef<S>,
{
    Routes::new().post("/api/v1/opendata/{identifier}/uploads", upload)
}

/// Data files one manager may upload per hour: each is parsed whole and staged on disk.
const UPLOADS_PER_ACCOUNT: platform::rate_limit::Limit =
    platform::rate_limit::Limit::per_hour("opendata.upload", 60);

async fn upload(
    State(pool): State<DbPool>,
    State(config): State<AppConfig>,
    UrlPath(identifier): UrlPath<String>,
    SignedIn(user): SignedIn,
    mut multipart: Multipart,
) -> Response {
    if !is_data_moderator(&user) {
        return AppError::Forbidden.into_response();
    }
    if let Err(refused) = count_account_write(&pool, &config, UPLOADS_PER_ACCOUNT, user.id).await {
        return refused.into_response();
    }
    let found = db::run(&pool, move |mut conn| async move {
        Ok(Datasets::by_identifier(&mut conn, &identifier).await?)
    })
    .await;
    let dataset = match found {
        Ok(Some(info)) if info.source == DatasetSource::Uploaded => info,
        // Live datasets are published from the portal's tables, never from files.
        Ok(Some(_)) => return AppError::Conflict.into_response(),
        Ok(None) => return AppError::NotFound.into_response(),
        Err(error) => return error.into_response(),
    };
    let (file_name, bytes) =
        match read_file_field(&mut multipart, "file", MAX_UPLOAD_BYTES, "data.csv").await {
            Ok(received) => received,
            Err(error) => return error.into_response(),
        };
    let sha256 = hex::encode(Sha256::digest(&bytes));
    let bytes = std::sync::Arc::new(bytes);
    let reading = std::sync::Arc::clone(&bytes);
    let table = match tokio::task::spawn_blocking(move || read_table(&reading)).await {
        Ok(Ok(table)) => table,
        Ok(Err(reason)) => {
            tracing::info!(%file_name, ?reason, "an open-data upload is refused");
            return AppError::invalid("file", ErrorCode::BadDataFile { reason }).into_response();
        }
        Err(_) => return AppError::Internal.into_response(),
    };
    let (now, today) = (clock::now(), clock::now().date());
    let kind = table.kind.as_db();
    let row_count = u32::try_from(table.rows.len()).unwrap_or(u32::MAX);
    let dataset_id = dataset.id;
    let name = file_name.clone();
    let staged = db::run(&pool, move |mut conn| async move {
        let structure = Manage::propose_structure(&mut conn, dataset_id, &table, today).await?;
        let id = Manage::stage(
            &mut conn, dataset_id, user.id, &name, kind, &sha256, row_count, &structure, now,
        )
        .await?;
        Ok((id, structure))
    })
    .await;
    let (id, structure) = match staged {
        Ok(staged) => staged,
        Err(error) => return error.into_response(),
    };
    let directory = config.import_dir.clone();
    let written = platform::uploads::store(&upload_path(&directory, id), &bytes).await;
    if let Err(error) = written {
        tracing::error!(%error, "could not store an open-data upload");
        let _ = db::run(&pool, move |mut conn| async move {
            diesel::update(dataset_uploads::table.find(id))
                .set(dataset_uploads::status.eq("discarded"))
                .execute(&mut conn)
                .await?;
            Ok(())
        })
        .await;
        return AppError::Internal.into_response();
    }
    let staged = StagedUpload {
        dataset: dataset_id,
        identifier: dataset.identifier,
        file_name,
        row_count,
        structure,
        status: "staged".into(),
    };
    match preview(&config.import_dir, id, staged).await {
        Ok(preview) => (StatusCode::CREATED, Json(preview)).into_response(),
        Err(error) => error.into_response(),
    }
}
