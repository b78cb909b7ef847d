//! The open-data management API (moderators and administrators): passports, uploaded
//! versions, live datasets published on demand, answers to requests; and the citizens'
//! side of requests. Every function checks the role on the server.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::model::{
    ColumnInfo, DatasetCard, DatasetRequest, DatasetRequestId, DatasetSource, DatasetUploadId,
    PassportForm, PublishOutcome, UploadOutcome, UploadPreview,
};
use platform::error::AppError;

#[cfg(feature = "ssr")]
use {
    super::manage::{
        Manage, Requests, check_passport, confirmed_structure, encode_rows, is_data_moderator,
        preview, read_stored, upload_path,
    },
    super::queries::{Datasets, Publisher},
    crate::auth::model::SessionUser,
    crate::auth::session::{WriteLimits, count_write, require_user},
    civic::audit::AuditEntry,
    civic::audit::AuditEvent,
    platform::clock,
    platform::config::AppConfig,
    platform::db,
    platform::error::{ErrorCode, FieldError},
};

/// Requests shown on the catalogue page.
pub const REQUESTS_SHOWN: i64 = 50;

/// The management page: every dataset with its newest version, and the requests.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManageOverview {
    /// Every dataset, live ones first.
    pub datasets: Vec<DatasetCard>,
    /// The newest requests, answered or not.
    pub requests: Vec<DatasetRequest>,
}

/// A passport in the editor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PassportEditor {
    /// The dataset's identifier; empty for a new dataset.
    pub identifier: String,
    /// The INN identifiers of new datasets start with.
    pub publisher_inn: String,
    /// Live or uploaded (new datasets are uploaded).
    pub source: DatasetSource,
    /// The passport.
    pub form: PassportForm,
}

/// The signed-in user if they manage open data.
#[cfg(feature = "ssr")]
async fn require_data_moderator() -> Result<SessionUser, AppError> {
    let user = require_user().await?;
    if is_data_moderator(&user) {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

/// The publisher the server is configured with; without one, open data is not published
/// (rather than under a made-up name).
#[cfg(feature = "ssr")]
fn publisher() -> Result<Publisher, AppError> {
    use_context::<Publisher>().ok_or_else(|| AppError::invalid("publisher", ErrorCode::NoPublisher))
}

/// Records an open-data action in the audit log.
#[cfg(feature = "ssr")]
async fn audit(
    conn: &mut diesel_async::AsyncMysqlConnection,
    user: &SessionUser,
    action: &str,
    target: u64,
    details: serde_json::Value,
) -> Result<(), AppError> {
    AuditEntry::record(
        conn,
        AuditEvent {
            actor: Some(user.id),
            action,
            target_kind: "dataset",
            target_id: Some(target),
            details,
        },
        clock::now(),
    )
    .await?;
    Ok(())
}

/// The management overview.
#[server(endpoint = "opendata/manage/overview", input = server_fn::codec::GetUrl)]
pub async fn opendata_manage_overview() -> Result<ManageOverview, AppError> {
    require_data_moderator().await?;
    let pool = db::pool()?;
    db::run(&pool, |mut conn| async move {
        let mut datasets = Vec::new();
        for info in Datasets::all(&mut conn).await? {
            let latest = Datasets::versions(&mut conn, info.id)
                .await?
                .into_iter()
                .next();
            datasets.push(DatasetCard { info, latest });
        }
        let requests = Requests::recent(&mut conn, 200).await?;
        Ok(ManageOverview { datasets, requests })
    })
    .await
}

/// Publishes today's version of a live dataset now, instead of waiting for the daily job.
#[server(endpoint = "opendata/manage/publish-live")]
pub async fn opendata_publish_live(identifier: String) -> Result<PublishOutcome, AppError> {
    let user = require_data_moderator().await?;
    publisher()?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        let info = Datasets::by_identifier(&mut conn, &identifier)
            .await?
            .ok_or(AppError::NotFound)?;
        let code = info.identifier.split_once('-').map(|(_, code)| code);
        let live = super::live::LIVE_DATASETS
            .iter()
            .find(|live| Some(live.code) == code)
            .filter(|_| info.source == DatasetSource::Live)
            .ok_or(AppError::Conflict)?;
        let now = clock::now();
        let outcome = Datasets::publish_live(&mut conn, live, now.date(), now).await?;
        audit(
            &mut conn,
            &user,
            "dataset.publish",
            info.id.0,
            serde_json::json!({ "identifier": info.identifier, "outcome": outcome }),
        )
        .await?;
        Ok(outcome)
    })
    .await
}

/// A dataset's passport for the editor; an empty `identifier` gives a new dataset's form
/// filled with the publisher's contacts.
#[server(endpoint = "opendata/manage/passport", input = server_fn::codec::GetUrl)]
pub async fn opendata_passport(
    #[server(default)] identifier: String,
) -> Result<PassportEditor, AppError> {
    require_data_moderator().await?;
    let publisher = publisher()?;
    if identifier.trim().is_empty() {
        return Ok(PassportEditor {
            identifier: String::new(),
            publisher_inn: publisher.inn,
            source: DatasetSource::Uploaded,
            form: PassportForm {
                creator: publisher.creator,
                publisher_name: publisher.person,
                publisher_phone: publisher.phone,
                publisher_mbox: publisher.email,
                valid_days: 30,
                ..PassportForm::default()
            },
        });
    }
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        let (_, source, form) = Manage::passport_form(&mut conn, &identifier)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok(PassportEditor {
            identifier,
            publisher_inn: publisher.inn,
            source,
            form,
        })
    })
    .await
}

/// Creates an uploaded dataset (`identifier` empty) or changes a dataset's passport;
/// returns the identifier.
#[server(endpoint = "opendata/manage/save-passport")]
pub async fn opendata_save_passport(
    identifier: String,
    form: PassportForm,
) -> Result<String, AppError> {
    let user = require_data_moderator().await?;
    let new = identifier.trim().is_empty();
    check_passport(&form, new)?;
    let pool = db::pool()?;
    let inn = publisher()?.inn;
    db::run(&pool, move |mut conn| async move {
        let now = clock::now();
        if new {
            let identifier = Manage::create_uploaded(&mut conn, &inn, &form, now).await?;
            let info = Datasets::by_identifier(&mut conn, &identifier)
                .await?
                .ok_or(AppError::Internal)?;
            audit(
                &mut conn,
                &user,
                "dataset.create",
                info.id.0,
                serde_json::json!({ "identifier": identifier }),
            )
            .await?;
            return Ok(identifier);
        }
        let (id, _, _) = Manage::passport_form(&mut conn, &identifier)
            .await?
            .ok_or(AppError::NotFound)?;
        Manage::update_passport(&mut conn, id, &form, now).await?;
        audit(
            &mut conn,
            &user,
            "dataset.passport",
            id.0,
            serde_json::json!({ "identifier": identifier }),
        )
        .await?;
        Ok(identifier)
    })
    .await
}

/// A staged upload: its proposed columns and first rows.
#[server(endpoint = "opendata/manage/upload", input = server_fn::codec::GetUrl)]
pub async fn opendata_upload(id: DatasetUploadId) -> Result<UploadPreview, AppError> {
    require_data_moderator().await?;
    let pool = db::pool()?;
    let staged = db::run(&pool, move |mut conn| async move {
        Manage::upload(&mut conn, id)
            .await?
            .ok_or(AppError::NotFound)
    })
    .await?;
    preview(&AppConfig::current().import_dir, id, staged).await
}

/// Publishes a staged upload with the columns the moderator confirmed: every cell is
/// checked against its column's type first, and any misfit publishes nothing.
#[server(endpoint = "opendata/manage/publish-upload", input = server_fn::codec::Json)]
pub async fn opendata_publish_upload(
    id: DatasetUploadId,
    columns: Vec<ColumnInfo>,
    coordinates: Option<(u16, u16)>,
) -> Result<UploadOutcome, AppError> {
    let user = require_data_moderator().await?;
    publisher()?;
    let pool = db::pool()?;
    let staged = db::run(&pool, move |mut conn| async move {
        Manage::upload(&mut conn, id)
            .await?
            .ok_or(AppError::NotFound)
    })
    .await?;
    if staged.status != "staged" {
        return Err(AppError::Conflict);
    }
    let now = clock::now();
    let structure = confirmed_structure(&columns, coordinates, now.date())?;
    let directory = AppConfig::current().import_dir.clone();
    let table = read_stored(&directory, id).await?;
    if table.headers.len() != structure.columns.len() {
        return Err(AppError::invalid("columns", ErrorCode::NotAllowed));
    }
    let checking = structure.clone();
    let encoded = tokio::task::spawn_blocking(move || encode_rows(&table, &checking))
        .await
        .map_err(|_| AppError::Internal)?;
    let rows = match encoded {
        Ok(rows) => rows,
        Err((problems, total)) => return Ok(UploadOutcome::CellProblems { problems, total }),
    };
    let outcome = db::run(&pool, move |mut conn| async move {
        let outcome = Manage::publish_upload(&mut conn, id, structure, rows, now).await?;
        audit(
            &mut conn,
            &user,
            "dataset.upload",
            staged.dataset.0,
            serde_json::json!({
                "identifier": staged.identifier,
                "file_name": staged.file_name,
                "outcome": outcome,
            }),
        )
        .await?;
        Ok(outcome)
    })
    .await?;
    if matches!(outcome, PublishOutcome::Published { .. }) {
        // The rows are in the database now; the staged file is no longer needed.
        if let Err(error) = platform::uploads::remove_stored(&upload_path(&directory, id)).await {
            tracing::warn!(%error, %id, "could not remove a published upload's file");
        }
    }
    Ok(UploadOutcome::Publication { outcome })
}

/// The newest requests for datasets, with the moderators' answers (public).
#[server(endpoint = "opendata/requests", input = server_fn::codec::GetUrl)]
pub async fn opendata_requests() -> Result<Vec<DatasetRequest>, AppError> {
    let pool = db::pool()?;
    db::run(&pool, |mut conn| async move {
        Ok(Requests::recent(&mut conn, REQUESTS_SHOWN).await?)
    })
    .await
}

/// Dataset requests per account and per client address and hour: a citizen asks for a
/// few datasets at most, and every request lands on the moderators' desk.
#[cfg(feature = "ssr")]
const DATASET_REQUESTS: WriteLimits = WriteLimits::hourly("dataset.request", 5, 30);

/// A signed-in citizen asks for a dataset.
#[server(endpoint = "opendata/request")]
pub async fn opendata_request_dataset(
    title: String,
    details: String,
) -> Result<DatasetRequestId, AppError> {
    let user = require_user().await?;
    let (title, details) = (title.trim().to_string(), details.trim().to_string());
    let mut errors = Vec::new();
    match title.chars().count() {
        0 => errors.push(FieldError::new("title", ErrorCode::Required)),
        1..=4 => errors.push(FieldError::new("title", ErrorCode::TooShort { min: 5 })),
        301.. => errors.push(FieldError::new("title", ErrorCode::TooLong { max: 300 })),
        _ => {}
    }
    if details.chars().count() > 5_000 {
        errors.push(FieldError::new(
            "details",
            ErrorCode::TooLong { max: 5_000 },
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid { errors });
    }
    count_write(DATASET_REQUESTS, Some(user.id)).await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Ok(Requests::create(&mut conn, user.id, &title, &details, clock::now()).await?)
    })
    .await
}

/// A moderator answers a request, optionally naming the dataset (by identifier) that
/// answers it.
#[server(endpoint = "opendata/manage/answer")]
pub async fn opendata_answer_request(
    id: DatasetRequestId,
    answer: String,
    #[server(default)] dataset: String,
) -> Result<(), AppError> {
    let user = require_data_moderator().await?;
    let answer = answer.trim().to_string();
    match answer.chars().count() {
        0 => return Err(AppError::invalid("answer", ErrorCode::Required)),
        5_001.. => {
            return Err(AppError::invalid(
                "answer",
                ErrorCode::TooLong { max: 5_000 },
            ));
        }
        _ => {}
    }
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        let dataset = match dataset.trim() {
            "" => None,
            identifier => Some(
                Datasets::by_identifier(&mut conn, identifier)
                    .await?
                    .ok_or_else(|| AppError::invalid("dataset", ErrorCode::NotAllowed))?
                    .id,
            ),
        };
        Requests::answer(&mut conn, id, user.id, &answer, dataset, clock::now()).await?;
        audit(
            &mut conn,
            &user,
            "dataset_request.answer",
            id.0,
            serde_json::json!({ "dataset": dataset }),
        )
        .await?;
        Ok(())
    })
    .await
}
