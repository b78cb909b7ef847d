//! The machine-readable open-data files at the URLs of the Russian methodological
//! recommendations v3.0: `/opendata/list.{csv,json,xml}`, and in each dataset's folder
//! `meta.*`, `data-YYYYMMDD-structure-YYYYMMDD.*`, `structure-YYYYMMDD.{csv,xsd,json}`
//! and the Frictionless `datapackage.json`; plus the DCAT-AP catalog `/catalog.jsonld`
//! and the paged rows API `/api/opendata/{identifier}/rows.*` (in `rows_api`).
//!
//! Published versions and structures never change, so their files carry a fixed ETag and
//! a year of `immutable` caching; the registry and passports change with each
//! publication and carry an ETag of their content. Both answer conditional GETs with 304.
//! Data files are streamed page by page from the database (a connection is taken per
//! page, not held for a slow download), so a million-row version needs flat memory.

use std::io::{self, Write};
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::{FromRef, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDateTime;

use super::format::{
    CatalogInfo, DataWriter, DcatDataset, FileName, Format, RegistryEntry, Structure,
    StructureFormat, data_file_name, datapackage_json, dcat_catalog_jsonld, list_csv, list_json,
    list_xml, meta_csv, meta_json, meta_xml, parse_file_name, structure_csv, structure_json_schema,
    structure_xsd,
};
use super::http::{not_found, site_url};
use super::model::{
    CATALOG_DESCRIPTION, CATALOG_TITLE, DatasetInfo, DatasetVersionId, LICENSE, VersionInfo,
};
use super::queries::{Datasets, passport};
use super::rows::row_values;
use platform::conditional::{content_etag, http_date, not_modified};
use platform::config::AppConfig;
use platform::db::{self, DbPool};
use platform::error::AppError;
use platform::routes::Routes;

/// Rows read from the database per page of a streamed data file.
const STREAM_PAGE: u32 = 2_000;

/// The open-data routes.
pub fn routes<S>() -> Routes<S>
where
    S: Clone + Send + Sync + 'static,
    DbPool: FromRef<S>,
    AppConfig: FromRef<S>,
{
    Routes::new()
        .get("/opendata/list.csv", list_file)
        .get("/opendata/list.json", list_file)
        .get("/opendata/list.xml", list_file)
        .get("/opendata/{identifier}/{file}", dataset_file)
        .get("/catalog.jsonld", catalog)
        .merge(super::ckan::routes())
        .get(
            "/api/opendata/{identifier}/{file}",
            super::rows_api::rows_file,
        )
}

/// The open-data section's URL: where `list.csv` lies.
fn section_url(headers: &HeaderMap, config: &AppConfig) -> String {
    format!("{}/opendata", site_url(headers, config))
}

/// Caching of a response.
enum Freshness {
    /// Content that changes with publications: its ETag is a digest of the body.
    Changing,
    /// A published file that never changes.
    Immutable {
        etag: String,
        last_modified: NaiveDateTime,
    },
}

/// A response for `body` of `content_type`, or 304 when the client has it.
fn respond(
    request: &HeaderMap,
    content_type: &'static str,
    freshness: Freshness,
    body: impl FnOnce() -> Body,
    ready: Option<&[u8]>,
) -> Response {
    let (etag, last_modified, cache) = match &freshness {
        Freshness::Changing => (
            content_etag([ready.unwrap_or_default()]),
            None,
            "public, max-age=300",
        ),
        Freshness::Immutable {
            etag,
            last_modified,
        } => (
            etag.clone(),
            Some(*last_modified),
            "public, max-age=31536000, immutable",
        ),
    };
    let mut headers = HeaderMap::new();
    let mut set = |name, value: &str| {
        if let Ok(value) = HeaderValue::from_str(value) {
            headers.insert(name, value);
        }
    };
    set(header::ETAG, &etag);
    set(header::CACHE_CONTROL, cache);
    if let Some(at) = last_modified {
        set(header::LAST_MODIFIED, &http_date(at));
    }
    // Harvesters and browser apps on other origins read open data.
    set(header::ACCESS_CONTROL_ALLOW_ORIGIN, "*");
    if not_modified(request, &etag, last_modified) {
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    set(header::CONTENT_TYPE, content_type);
    (StatusCode::OK, headers, body()).into_response()
}

/// A small generated file.
fn text_file(request: &HeaderMap, content_type: &'static str, text: String) -> Response {
    let bytes = text.into_bytes();
    let ready = bytes.clone();
    respond(
        request,
        content_type,
        Freshness::Changing,
        || Body::from(bytes),
        Some(&ready),
    )
}

async fn list_file(
    State(pool): State<DbPool>,
    State(config): State<AppConfig>,
    uri: axum::http::Uri,
    headers: HeaderMap,
) -> Response {
    let Some(FileName::List(format)) = uri.path().rsplit('/').next().and_then(parse_file_name)
    else {
        return not_found();
    };
    let all = match db::run(&pool, |mut conn| async move {
        Ok(Datasets::all(&mut conn).await?)
    })
    .await
    {
        Ok(all) => all,
        Err(error) => return error.into_response(),
    };
    let entries: Vec<RegistryEntry> = all
        .into_iter()
        .map(|dataset| RegistryEntry {
            identifier: dataset.identifier,
            title: dataset.title.0,
            format,
        })
        .collect();
    let base = section_url(&headers, &config);
    let text = match format {
        Format::Csv => list_csv(&base, &entries),
        Format::Json => list_json(&base, &entries),
        Format::Xml => list_xml(&base, &entries),
    };
    text_file(&headers, format.content_type(), text)
}

/// What a dataset file needs from the database.
struct Loaded {
    info: DatasetInfo,
    versions: Vec<VersionInfo>,
    structures: Vec<chrono::NaiveDate>,
}

async fn load(pool: &DbPool, identifier: String) -> Result<Option<Loaded>, AppError> {
    db::run(pool, move |mut conn| async move {
        let Some(info) = Datasets::by_identifier(&mut conn, &identifier).await? else {
            return Ok(None);
        };
        let versions = Datasets::versions(&mut conn, info.id).await?;
        let structures = Datasets::structure_versions(&mut conn, info.id).await?;
        Ok(Some(Loaded {
            info,
            versions,
            structures,
        }))
    })
    .await
}

async fn dataset_file(
    State(pool): State<DbPool>,
    State(config): State<AppConfig>,
    Path((identifier, file)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let Some(name) = parse_file_name(&file) else {
        return not_found();
    };
    let loaded = match load(&pool, identifier).await {
        Ok(Some(loaded)) => loaded,
        Ok(None) => return not_found(),
        Err(error) => return error.into_response(),
    };
    let base = section_url(&headers, &config);
    match name {
        FileName::Meta(format) => {
            let passport = passport(&loaded.info, &loaded.versions, &loaded.structures, format);
            let text = match format {
                Format::Csv => meta_csv(&base, &passport),
                Format::Json => meta_json(&base, &passport),
                Format::Xml => meta_xml(&base, &passport),
            };
            text_file(&headers, format.content_type(), text)
        }
        FileName::Structure { version, format } => {
            let structure = match structure_of(&pool, &loaded, version).await {
                Ok(Some(structure)) => structure,
                Ok(None) => return not_found(),
                Err(error) => return error.into_response(),
            };
            let text = match format {
                StructureFormat::Csv => structure_csv(&structure),
                StructureFormat::Xsd => structure_xsd(&structure),
                StructureFormat::Json => structure_json_schema(&structure),
            };
            let first_published = loaded
                .versions
                .iter()
                .filter(|v| v.structure == version)
                .map(|v| v.published_at)
                .min()
                .unwrap_or(loaded.info.created_at);
            let etag = format!(
                "\"{}-structure-{}-{}\"",
                loaded.info.id,
                version.format("%Y%m%d"),
                format.extension()
            );
            respond(
                &headers,
                format.content_type(),
                Freshness::Immutable {
                    etag,
                    last_modified: first_published,
                },
                || Body::from(text),
                None,
            )
        }
        FileName::Data {
            version,
            structure,
            format,
        } => {
            let Some(found) = loaded
                .versions
                .iter()
                .find(|v| v.version == version && v.structure == structure)
                .cloned()
            else {
                return not_found();
            };
            let structure = match structure_of(&pool, &loaded, structure).await {
                Ok(Some(structure)) => structure,
                Ok(None) => return not_found(),
                Err(error) => return error.into_response(),
            };
            let etag = format!("\"v{}-{}\"", found.id, format.extension());
            respond(
                &headers,
                format.content_type(),
                Freshness::Immutable {
                    etag,
                    last_modified: found.published_at,
                },
                || stream_version(pool.clone(), found.id, structure, format),
                None,
            )
        }
        FileName::DataPackage => {
            let Some(latest) = loaded.versions.first().cloned() else {
                return not_found();
            };
            let structure = match structure_of(&pool, &loaded, latest.structure).await {
                Ok(Some(structure)) => structure,
                Ok(None) => return not_found(),
                Err(error) => return error.into_response(),
            };
            let passport = passport(
                &loaded.info,
                &loaded.versions,
                &loaded.structures,
                Format::Csv,
            );
            let file = data_file_name(latest.version, latest.structure, Format::Csv);
            match datapackage_json(&passport, &structure, &file) {
                Ok(text) => text_file(&headers, "application/json", text),
                Err(error) => {
                    tracing::error!(%error, "datapackage.json could not be made");
                    AppError::Internal.into_response()
                }
            }
        }
        FileName::List(_) => not_found(),
    }
}

async fn structure_of(
    pool: &DbPool,
    loaded: &Loaded,
    version: chrono::NaiveDate,
) -> Result<Option<Structure>, AppError> {
    let dataset = loaded.info.id;
    db::run(pool, move |mut conn| async move {
        Datasets::structure(&mut conn, dataset, version).await
    })
    .await
}

/// A `Write` whose bytes the streaming task takes out between pages.
#[derive(Clone, Default)]
struct Pending(Arc<Mutex<Vec<u8>>>);

impl Pending {
    fn take(&self) -> Vec<u8> {
        self.0
            .lock()
            .map(|mut bytes| std::mem::take(&mut *bytes))
            .unwrap_or_default()
    }
}

impl Write for Pending {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0
            .lock()
            .map_err(|_| io::Error::other("poisoned buffer"))?
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The body of a data file: rows read `STREAM_PAGE` at a time and written through
/// `DataWriter` as the client takes them. A failure mid-way ends the body with an error,
/// so the client sees a broken download rather than a short file that looks complete.
fn stream_version(
    pool: DbPool,
    version: DatasetVersionId,
    structure: Structure,
    format: Format,
) -> Body {
    let (sender, receiver) = tokio::sync::mpsc::channel::<io::Result<Vec<u8>>>(4);
    tokio::spawn(async move {
        let failed = |error: String| {
            tracing::error!(%error, %version, "data file stream failed");
            io::Error::other(error)
        };
        let pending = Pending::default();
        let mut writer = match DataWriter::new(pending.clone(), &structure, format) {
            Ok(writer) => writer,
            Err(error) => {
                let _ = sender.send(Err(failed(error.to_string()))).await;
                return;
            }
        };
        let mut after = 0;
        loop {
            let page = db::run(&pool, move |mut conn| async move {
                Ok(Datasets::rows_after(&mut conn, version, after, STREAM_PAGE).await?)
            })
            .await;
            let rows = match page {
                Ok(rows) => rows,
                Err(error) => {
                    let _ = sender.send(Err(failed(error.to_string()))).await;
                    return;
                }
            };
            if rows.is_empty() {
                break;
            }
            for (number, cells) in rows {
                let written = row_values(&cells, &structure)
                    .and_then(|values| writer.write_row(&values).map_err(|e| e.to_string()));
                if let Err(error) = written {
                    let _ = sender
                        .send(Err(failed(format!("row {number}: {error}"))))
                        .await;
                    return;
                }
                after = number;
            }
            let bytes = pending.take();
            if !bytes.is_empty() && sender.send(Ok(bytes)).await.is_err() {
                // The client went away.
                return;
            }
        }
        match writer.finish() {
            Ok(_) => {
                let _ = sender.send(Ok(pending.take())).await;
            }
            Err(error) => {
                let _ = sender.send(Err(failed(error.to_string()))).await;
            }
        }
    });
    Body::from_stream(tokio_stream::wrappers::ReceiverStream::new(receiver))
}

async fn catalog(
    State(pool): State<DbPool>,
    State(config): State<AppConfig>,
    headers: HeaderMap,
) -> Response {
    let loaded = db::run(&pool, |mut conn| async move {
        let mut all = Vec::new();
        for info in Datasets::all(&mut conn).await? {
            let versions = Datasets::versions(&mut conn, info.id).await?;
            let structures = Datasets::structure_versions(&mut conn, info.id).await?;
            all.push(Loaded {
                info,
                versions,
                structures,
            });
        }
        Ok(all)
    })
    .await;
    let loaded = match loaded {
        Ok(loaded) => loaded,
        Err(error) => return error.into_response(),
    };
    let site = site_url(&headers, &config);
    let base = format!("{site}/opendata");
    let datasets: Vec<DcatDataset> = loaded
        .iter()
        .filter(|dataset| !dataset.versions.is_empty())
        .map(|dataset| {
            let passport = passport(
                &dataset.info,
                &dataset.versions,
                &dataset.structures,
                Format::Csv,
            );
            DcatDataset::from_passport(
                &base,
                &passport,
                &[Format::Csv, Format::Json, Format::Xml],
                LICENSE,
            )
        })
        .collect();
    let publisher = loaded
        .first()
        .map(|dataset| dataset.info.creator.clone())
        .unwrap_or_default();
    let info = CatalogInfo {
        id: format!("{site}/catalog"),
        title: CATALOG_TITLE.into(),
        description: CATALOG_DESCRIPTION.into(),
        publisher_id: format!("{site}/opendata"),
        publisher_name: publisher,
        homepage: format!("{site}/"),
    };
    text_file(
        &headers,
        "application/ld+json",
        dcat_catalog_jsonld(&info, &datasets),
    )
}
