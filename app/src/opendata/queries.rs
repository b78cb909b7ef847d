//! Open-data queries: the catalogue, a dataset's structures and versions, the rows of a
//! version page by page (keyset on the row number, never OFFSET), and the publication of
//! live datasets. Sorted and filtered pages of rows are in `rows`.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Datetime, Integer, Text, Unsigned};
use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl};

use super::format::{Column, DataVersion, Format, Passport, Structure};
use super::live::{LIVE_DATASETS, LiveDataset};
use super::model::{
    DatasetId, DatasetInfo, DatasetSource, DatasetVersionId, PublishOutcome, VersionInfo,
};
use platform::db::last_insert_id;
use platform::db::schema::{dataset_rows, dataset_structures, dataset_versions, datasets};
use platform::error::AppError;

/// Who publishes the live datasets: the organisation the identifiers and passports name.
/// From the server's configuration; moderators may change a dataset's contacts later.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publisher {
    /// The organisation's INN (the identifiers' prefix).
    pub inn: String,
    /// The organisation, as the passports name it.
    pub creator: String,
    /// The responsible person.
    pub person: String,
    /// Their phone.
    pub phone: String,
    /// Their e-mail.
    pub email: String,
}

impl Publisher {
    /// The demo publisher, for the demo data and the tests only: its INN has a valid check
    /// digit but belongs to nobody, its person is made up. A real deployment configures
    /// its own (`OPEN_REGION_OPENDATA_INN` and the others); without one nothing is
    /// published.
    pub fn demo() -> Self {
        Self {
            inn: "2308000007".into(),
            creator: "Администрация Краснодарского края".into(),
            person: "Иванова Анна Сергеевна, консультант отдела открытых данных".into(),
            phone: "+78612000000".into(),
            email: "opendata@openregion.demo".into(),
        }
    }
}

/// A passport row: `datasets` in `DatasetInfo` order.
type DatasetRow = (
    (DatasetId, String, String, String),
    (String, String, String, String),
    (String, String, String, String, String),
    (NaiveDateTime, NaiveDateTime),
);

macro_rules! dataset_columns {
    () => {
        (
            (
                datasets::id,
                datasets::publisher_inn,
                datasets::code,
                datasets::source,
            ),
            (
                datasets::title_ru,
                datasets::title_en,
                datasets::description_ru,
                datasets::description_en,
            ),
            (
                datasets::creator,
                datasets::subject,
                datasets::publisher_name,
                datasets::publisher_phone,
                datasets::publisher_mbox,
            ),
            (datasets::created_at, datasets::updated_at),
        )
    };
}

fn dataset_of(row: DatasetRow) -> DatasetInfo {
    let (
        (id, inn, code, source),
        (title_ru, title_en, description_ru, description_en),
        (creator, subject, publisher_name, publisher_phone, publisher_mbox),
        (created_at, updated_at),
    ) = row;
    DatasetInfo {
        id,
        identifier: format!("{inn}-{code}"),
        source: DatasetSource::from_db(&source).unwrap_or(DatasetSource::Uploaded),
        title: (title_ru, title_en),
        description: (description_ru, description_en),
        creator,
        subject: subject
            .split(',')
            .map(str::trim)
            .filter(|word| !word.is_empty())
            .map(str::to_string)
            .collect(),
        publisher_name,
        publisher_phone,
        publisher_mbox,
        created_at,
        updated_at,
    }
}

/// Why a publication ended without a new version.
enum PublishError {
    /// The rows equal the latest version's: roll the copy back.
    Unchanged,
    Failed(AppError),
}

impl From<diesel::result::Error> for PublishError {
    fn from(error: diesel::result::Error) -> Self {
        Self::Failed(error.into())
    }
}

/// A dataset's newest version and when the dataset was first published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LatestVersion {
    /// The dataset.
    pub dataset: DatasetId,
    /// Its newest version.
    pub version: VersionInfo,
    /// When its first version was published.
    pub first_published: NaiveDateTime,
}

/// The catalogue.
pub struct Datasets;

impl Datasets {
    /// Adds every live dataset not yet in the catalogue, with `publisher`'s passport
    /// fields; returns how many were added.
    pub async fn define_live(
        conn: &mut AsyncMysqlConnection,
        publisher: &Publisher,
        now: NaiveDateTime,
    ) -> QueryResult<usize> {
        let mut added = 0;
        for dataset in LIVE_DATASETS {
            added += diesel::insert_or_ignore_into(datasets::table)
                .values((
                    (
                        datasets::publisher_inn.eq(&publisher.inn),
                        datasets::code.eq(dataset.code),
                        datasets::source.eq(DatasetSource::Live.as_db()),
                        datasets::live_key.eq(dataset.key),
                        datasets::title_ru.eq(dataset.title.0),
                        datasets::title_en.eq(dataset.title.1),
                        datasets::description_ru.eq(dataset.description.0),
                        datasets::description_en.eq(dataset.description.1),
                    ),
                    (
                        datasets::creator.eq(&publisher.creator),
                        datasets::subject.eq(dataset.subject.join(",")),
                        datasets::publisher_name.eq(&publisher.person),
                        datasets::publisher_phone.eq(&publisher.phone),
                        datasets::publisher_mbox.eq(&publisher.email),
                        datasets::created_at.eq(now),
                        datasets::updated_at.eq(now),
                    ),
                ))
                .execute(conn)
                .await?;
        }
        Ok(added)
    }

    /// Every dataset, live ones first, in the order they were defined.
    pub async fn all(conn: &mut AsyncMysqlConnection) -> QueryResult<Vec<DatasetInfo>> {
        Ok(datasets::table
            .order((datasets::source.asc(), datasets::id.asc()))
            .select(dataset_columns!())
            .load::<DatasetRow>(conn)
            .await?
            .into_iter()
            .map(dataset_of)
            .collect())
    }

    /// The dataset with `identifier` (`<INN>-<code>`).
    pub async fn by_identifier(
        conn: &mut AsyncMysqlConnection,
        identifier: &str,
    ) -> QueryResult<Option<DatasetInfo>> {
        let Some((inn, code)) = identifier.split_once('-') else {
            return Ok(None);
        };
        Ok(datasets::table
            .filter(datasets::publisher_inn.eq(inn))
            .filter(datasets::code.eq(code))
            .select(dataset_columns!())
            .first::<DatasetRow>(conn)
            .await
            .optional()?
            .map(dataset_of))
    }

    /// A dataset's published versions, newest first.
    pub async fn versions(
        conn: &mut AsyncMysqlConnection,
        dataset: DatasetId,
    ) -> QueryResult<Vec<VersionInfo>> {
        Ok(dataset_versions::table
            .inner_join(dataset_structures::table)
            .filter(dataset_versions::dataset_id.eq(dataset))
            .order(dataset_versions::version.desc())
            .select((
                dataset_versions::id,
                dataset_versions::version,
                dataset_structures::version,
                dataset_versions::provenance,
                dataset_versions::valid_until,
                dataset_versions::row_count,
                dataset_versions::published_at,
            ))
            .load::<(
                DatasetVersionId,
                NaiveDate,
                NaiveDate,
                String,
                NaiveDate,
                u32,
                NaiveDateTime,
            )>(conn)
            .await?
            .into_iter()
            .map(
                |(id, version, structure, provenance, valid_until, row_count, published_at)| {
                    VersionInfo {
                        id,
                        version,
                        structure,
                        provenance,
                        valid_until,
                        row_count,
                        published_at,
                    }
                },
            )
            .collect())
    }

    /// Every dataset's newest version, with when its first version was published, in one
    /// query (a groupwise maximum), for the lists that show many datasets at once.
    pub async fn latest_versions(
        conn: &mut AsyncMysqlConnection,
    ) -> QueryResult<Vec<LatestVersion>> {
        #[derive(QueryableByName)]
        struct Row {
            #[diesel(sql_type = Unsigned<BigInt>)]
            dataset_id: DatasetId,
            #[diesel(sql_type = Unsigned<BigInt>)]
            id: DatasetVersionId,
            #[diesel(sql_type = Date)]
            version: NaiveDate,
            #[diesel(sql_type = Date)]
            structure: NaiveDate,
            #[diesel(sql_type = Text)]
            provenance: String,
            #[diesel(sql_type = Date)]
            valid_until: NaiveDate,
            #[diesel(sql_type = Unsigned<Integer>)]
            row_count: u32,
            #[diesel(sql_type = Datetime)]
            published_at: NaiveDateTime,
            #[diesel(sql_type = Datetime)]
            first_published: NaiveDateTime,
        }
        let rows: Vec<Row> = diesel::sql_query(
            "SELECT v.dataset_id, v.id, v.version, s.version AS structure, v.provenance, \
             v.valid_until, v.row_count, v.published_at, h.first_published \
             FROM dataset_versions v \
             JOIN dataset_structures s ON s.id = v.structure_id \
             JOIN (SELECT dataset_id, MAX(version) AS newest, MIN(published_at) AS first_published \
                   FROM dataset_versions GROUP BY dataset_id) h \
               ON h.dataset_id = v.dataset_id AND h.newest = v.version \
             ORDER BY v.dataset_id",
        )
        .load(conn)
        .await?;
        Ok(rows
            .into_iter()
            .map(|row| LatestVersion {
                dataset: row.dataset_id,
                version: VersionInfo {
                    id: row.id,
                    version: row.version,
                    structure: row.structure,
                    provenance: row.provenance,
                    valid_until: row.valid_until,
                    row_count: row.row_count,
                    published_at: row.published_at,
                },
                first_published: row.first_published,
            })
            .collect())
    }

    /// A dataset's structure versions, newest first.
    pub async fn structure_versions(
        conn: &mut AsyncMysqlConnection,
        dataset: DatasetId,
    ) -> QueryResult<Vec<NaiveDate>> {
        dataset_structures::table
            .filter(dataset_structures::dataset_id.eq(dataset))
            .order(dataset_structures::version.desc())
            .select(dataset_structures::version)
            .load(conn)
            .await
    }

    /// Structure version `version` of a dataset.
    pub async fn structure(
        conn: &mut AsyncMysqlConnection,
        dataset: DatasetId,
        version: NaiveDate,
    ) -> Result<Option<Structure>, AppError> {
        let row: Option<(String, Option<u16>, Option<u16>)> = dataset_structures::table
            .filter(dataset_structures::dataset_id.eq(dataset))
            .filter(dataset_structures::version.eq(version))
            .select((
                dataset_structures::fields,
                dataset_structures::latitude_column,
                dataset_structures::longitude_column,
            ))
            .first(conn)
            .await
            .optional()?;
        let Some((columns, latitude, longitude)) = row else {
            return Ok(None);
        };
        let columns: Vec<Column> = serde_json::from_str(&columns).map_err(|error| {
            tracing::error!(%error, %dataset, "a stored structure does not read back");
            AppError::Internal
        })?;
        Ok(Some(Structure {
            version,
            columns,
            latitude: latitude.map(usize::from),
            longitude: longitude.map(usize::from),
        }))
    }

    /// Up to `limit` rows of a version after row number `after` (0 for the first page):
    /// `(row number, cells as a JSON array)`. The primary key makes every page as cheap
    /// as the first.
    pub async fn rows_after(
        conn: &mut AsyncMysqlConnection,
        version: DatasetVersionId,
        after: u32,
        limit: u32,
    ) -> QueryResult<Vec<(u32, String)>> {
        dataset_rows::table
            .filter(dataset_rows::version_id.eq(version))
            .filter(dataset_rows::row_no.gt(after))
            .order(dataset_rows::row_no.asc())
            .limit(i64::from(limit))
            .select((dataset_rows::row_no, dataset_rows::cells))
            .load(conn)
            .await
    }

    /// Publishes today's version of a live dataset: the rows are copied inside the
    /// database in one transaction, compared with the latest version's by their digest,
    /// and kept only if they differ (or the columns changed). Exactly one of several
    /// concurrent publications acts: the dataset's row is locked first.
    pub async fn publish_live(
        conn: &mut AsyncMysqlConnection,
        dataset: &'static LiveDataset,
        today: NaiveDate,
        now: NaiveDateTime,
    ) -> Result<PublishOutcome, AppError> {
        let outcome = conn
            .transaction::<PublishOutcome, PublishError, _>(async move |conn| {
                let (id, valid_days): (DatasetId, u32) = datasets::table
                    .filter(datasets::live_key.eq(dataset.key))
                    .select((datasets::id, datasets::valid_days))
                    .for_update()
                    .first(conn)
                    .await?;
                let published_today: i64 = dataset_versions::table
                    .filter(dataset_versions::dataset_id.eq(id))
                    .filter(dataset_versions::version.eq(today))
                    .count()
                    .get_result(conn)
                    .await?;
                if published_today > 0 {
                    return Ok(PublishOutcome::AlreadyToday);
                }
                let structure = dataset.structure(today);
                let (structure_id, new_structure) =
                    Self::structure_for(conn, id, &structure, now).await?;
                let previous: Option<String> = dataset_versions::table
                    .filter(dataset_versions::dataset_id.eq(id))
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
                diesel::insert_into(dataset_versions::table)
                    .values((
                        dataset_versions::dataset_id.eq(id),
                        dataset_versions::version.eq(today),
                        dataset_versions::structure_id.eq(structure_id),
                        dataset_versions::provenance.eq(provenance),
                        dataset_versions::valid_until
                            .eq(today + Duration::days(i64::from(valid_days))),
                        dataset_versions::row_count.eq(0),
                        dataset_versions::content_sha256.eq(""),
                        dataset_versions::published_at.eq(now),
                    ))
                    .execute(conn)
                    .await?;
                let version_id = last_insert_id(conn).await?;
                let rows = diesel::sql_query(dataset.copy_rows_sql(version_id))
                    .execute(conn)
                    .await?;
                let digest = rows_digest(conn, version_id).await?;
                if !new_structure && previous.as_deref() == Some(digest.as_str()) {
                    return Err(PublishError::Unchanged);
                }
                let rows =
                    u32::try_from(rows).map_err(|_| PublishError::Failed(AppError::Internal))?;
                // The table's sort and filter keys, in the same transaction: a version is
                // never visible without them.
                Self::index_rows(conn, DatasetVersionId(version_id)).await?;
                diesel::update(dataset_versions::table.find(DatasetVersionId(version_id)))
                    .set((
                        dataset_versions::row_count.eq(rows),
                        dataset_versions::content_sha256.eq(&digest),
                    ))
                    .execute(conn)
                    .await?;
                Ok(PublishOutcome::Published {
                    version: today,
                    rows,
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

    /// The structure row for `structure`: the latest one when its columns are the same,
    /// else a new structure version dated `structure.version`. Returns (id, whether new).
    async fn structure_for(
        conn: &mut AsyncMysqlConnection,
        dataset: DatasetId,
        structure: &Structure,
        now: NaiveDateTime,
    ) -> Result<(u64, bool), PublishError> {
        let columns = serde_json::to_string(&structure.columns).map_err(|error| {
            tracing::error!(%error, "could not encode a structure");
            PublishError::Failed(AppError::Internal)
        })?;
        let (latitude, longitude) = (
            structure.latitude.and_then(|i| u16::try_from(i).ok()),
            structure.longitude.and_then(|i| u16::try_from(i).ok()),
        );
        let latest: Option<(u64, String, Option<u16>, Option<u16>)> = dataset_structures::table
            .filter(dataset_structures::dataset_id.eq(dataset))
            .order(dataset_structures::version.desc())
            .select((
                dataset_structures::id,
                dataset_structures::fields,
                dataset_structures::latitude_column,
                dataset_structures::longitude_column,
            ))
            .first(conn)
            .await
            .optional()?;
        if let Some((id, stored, lat, lon)) = latest {
            let same_columns = serde_json::from_str::<Vec<Column>>(&stored).ok()
                == Some(structure.columns.clone());
            if same_columns && (lat, lon) == (latitude, longitude) {
                return Ok((id, false));
            }
        }
        diesel::insert_into(dataset_structures::table)
            .values((
                dataset_structures::dataset_id.eq(dataset),
                dataset_structures::version.eq(structure.version),
                dataset_structures::fields.eq(columns),
                dataset_structures::latitude_column.eq(latitude),
                dataset_structures::longitude_column.eq(longitude),
                dataset_structures::created_at.eq(now),
            ))
            .execute(conn)
            .await?;
        Ok((last_insert_id(conn).await?, true))
    }

    /// Publishes every live dataset (the daily job, `seed-demo`, a moderator's request),
    /// after defining the missing ones. Returns each dataset's outcome.
    pub async fn publish_all_live(
        conn: &mut AsyncMysqlConnection,
        publisher: &Publisher,
        today: NaiveDate,
        now: NaiveDateTime,
    ) -> Result<Vec<(&'static str, PublishOutcome)>, AppError> {
        Self::define_live(conn, publisher, now).await?;
        let mut outcomes = Vec::with_capacity(LIVE_DATASETS.len());
        for dataset in LIVE_DATASETS {
            outcomes.push((
                dataset.key,
                Self::publish_live(conn, dataset, today, now).await?,
            ));
        }
        Ok(outcomes)
    }
}

/// An order-sensitive digest of a version's rows, computed in the database: the XOR of
/// each row's SHA-256 (over its number and cells), in four 64-bit lanes. Equal rows give
/// equal digests; any change to a row changes its hash and so the digest.
pub(super) async fn rows_digest(
    conn: &mut AsyncMysqlConnection,
    version: u64,
) -> QueryResult<String> {
    #[derive(QueryableByName)]
    struct Digest {
        #[diesel(sql_type = Text)]
        digest: String,
    }
    let lane = |start: u32| {
        format!(
            "LPAD(HEX(BIT_XOR(CAST(CONV(SUBSTRING(h, {start}, 16), 16, 10) AS UNSIGNED))), 16, '0')"
        )
    };
    let sql = format!(
        "SELECT LOWER(CONCAT({}, {}, {}, {})) AS digest FROM \
         (SELECT SHA2(CONCAT(row_no, ':', cells), 256) AS h FROM dataset_rows \
          WHERE version_id = {version}) hashed",
        lane(1),
        lane(17),
        lane(33),
        lane(49),
    );
    Ok(diesel::sql_query(sql)
        .get_result::<Digest>(conn)
        .await?
        .digest)
}

/// The structure row for `structure` (see `Datasets::structure_for`), for the other
/// publication paths of this module.
pub(super) async fn structure_for(
    conn: &mut AsyncMysqlConnection,
    dataset: DatasetId,
    structure: &Structure,
    now: NaiveDateTime,
) -> Result<(u64, bool), AppError> {
    Datasets::structure_for(conn, dataset, structure, now)
        .await
        .map_err(|error| match error {
            PublishError::Failed(error) => error,
            PublishError::Unchanged => AppError::Internal,
        })
}

/// The v3.0 passport of a dataset, linking its versions in `format`.
pub fn passport(
    info: &DatasetInfo,
    versions: &[VersionInfo],
    structures: &[NaiveDate],
    format: Format,
) -> Passport {
    let latest = versions.first();
    let first = versions.last();
    let day = |at: NaiveDateTime| at.date();
    Passport {
        identifier: info.identifier.clone(),
        title: info.title.0.clone(),
        description: info.description.0.clone(),
        creator: info.creator.clone(),
        publisher_name: info.publisher_name.clone(),
        publisher_phone: info.publisher_phone.clone(),
        publisher_mbox: info.publisher_mbox.clone(),
        subject: info.subject.clone(),
        created: first.map_or(day(info.created_at), |v| v.version),
        modified: latest.map_or(day(info.updated_at), |v| v.version),
        provenance: latest.map_or_else(String::new, |v| v.provenance.clone()),
        valid: latest.map_or(day(info.updated_at), |v| v.valid_until),
        format,
        data_versions: versions
            .iter()
            .map(|v| DataVersion {
                version: v.version,
                structure: v.structure,
                provenance: v.provenance.clone(),
                valid: v.valid_until,
            })
            .collect(),
        structure_versions: structures.to_vec(),
    }
}
