//! Municipality queries.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use chrono::NaiveDateTime;
use diesel::helper_types::Asc;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Datetime, Nullable, Text};
use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl};

use super::boundaries::{
    Boundary, BoundaryFileError, MunicipalityArea, locate, parse_feature_collection,
};
use super::model::{
    BoundaryImportReport, MunicipalPopulation, Municipality, MunicipalityId, MunicipalityKind,
    MunicipalityName,
};
use platform::db::schema::municipalities;
use platform::error::{AppError, ErrorCode};
use platform::geo::LatLon;

/// Largest boundary file accepted, in bytes (the whole Krai at fine detail fits easily).
pub const MAX_BOUNDARY_FILE_BYTES: usize = 24 * 1024 * 1024;

#[derive(Queryable, Selectable)]
#[diesel(table_name = municipalities)]
struct MunicipalityRow {
    id: MunicipalityId,
    slug: String,
    name_ru: String,
    name_en: String,
    kind: String,
    centre_name_ru: String,
    centre_name_en: String,
    centre_lat: f64,
    centre_lon: f64,
    boundary_updated_at: Option<NaiveDateTime>,
}

impl From<MunicipalityRow> for Municipality {
    fn from(row: MunicipalityRow) -> Self {
        Municipality {
            id: row.id,
            slug: row.slug,
            name_ru: row.name_ru,
            name_en: row.name_en,
            // The CHECK constraint admits only the two kinds.
            kind: MunicipalityKind::from_db(&row.kind)
                .unwrap_or(MunicipalityKind::MunicipalDistrict),
            centre_name_ru: row.centre_name_ru,
            centre_name_en: row.centre_name_en,
            centre: LatLon {
                lat: row.centre_lat,
                lon: row.centre_lon,
            },
            has_boundary: row.boundary_updated_at.is_some(),
        }
    }
}

/// Municipalities as lists show them: city okrugs first, then districts, each by Russian
/// name.
fn municipality_order() -> (Asc<municipalities::kind>, Asc<municipalities::name_ru>) {
    (municipalities::kind.asc(), municipalities::name_ru.asc())
}

/// The columns of a [`MunicipalityName`].
#[derive(Queryable, Selectable)]
#[diesel(table_name = municipalities)]
struct MunicipalityNameRow {
    id: MunicipalityId,
    name_ru: String,
    name_en: String,
    centre_lat: f64,
    centre_lon: f64,
}

impl MunicipalityName {
    /// All municipalities' names, in [`Municipality::list`]'s order.
    pub async fn list(conn: &mut AsyncMysqlConnection) -> QueryResult<Vec<MunicipalityName>> {
        let rows: Vec<MunicipalityNameRow> = municipalities::table
            .select(MunicipalityNameRow::as_select())
            .order(municipality_order())
            .load(conn)
            .await?;
        Ok(rows
            .into_iter()
            .map(|row| MunicipalityName {
                id: row.id,
                name_ru: row.name_ru,
                name_en: row.name_en,
                centre: LatLon {
                    lat: row.centre_lat,
                    lon: row.centre_lon,
                },
            })
            .collect())
    }
}

impl Municipality {
    /// All municipalities: city okrugs first, then districts, each by Russian name.
    pub async fn list(conn: &mut AsyncMysqlConnection) -> QueryResult<Vec<Municipality>> {
        let rows: Vec<MunicipalityRow> = municipalities::table
            .select(MunicipalityRow::as_select())
            .order(municipality_order())
            .load(conn)
            .await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// One municipality.
    pub async fn find(
        conn: &mut AsyncMysqlConnection,
        id: MunicipalityId,
    ) -> QueryResult<Municipality> {
        municipalities::table
            .find(id)
            .select(MunicipalityRow::as_select())
            .first(conn)
            .await
            .map(Into::into)
    }

    /// Every municipality's population and its source, in the order of `list`.
    pub async fn populations(
        conn: &mut AsyncMysqlConnection,
    ) -> QueryResult<Vec<MunicipalPopulation>> {
        let rows: Vec<(MunicipalityId, String, String, u32, String)> = municipalities::table
            .select((
                municipalities::id,
                municipalities::name_ru,
                municipalities::name_en,
                municipalities::population,
                municipalities::population_source,
            ))
            .order(municipality_order())
            .load(conn)
            .await?;
        Ok(rows
            .into_iter()
            .map(
                |(id, name_ru, name_en, population, source)| MunicipalPopulation {
                    id,
                    name_ru,
                    name_en,
                    population,
                    source,
                },
            )
            .collect())
    }

    /// Sets municipality `id`'s population and its source; returns the previous ones, or
    /// `None` when there is no such municipality. Snapshots already built keep the
    /// population they used.
    pub async fn set_population(
        conn: &mut AsyncMysqlConnection,
        id: MunicipalityId,
        population: u32,
        source: &str,
    ) -> QueryResult<Option<(u32, String)>> {
        let before: Option<(u32, String)> = municipalities::table
            .find(id)
            .select((
                municipalities::population,
                municipalities::population_source,
            ))
            .for_update()
            .first(conn)
            .await
            .optional()?;
        if before.is_some() {
            diesel::update(municipalities::table.find(id))
                .set((
                    municipalities::population.eq(population),
                    municipalities::population_source.eq(source),
                ))
                .execute(conn)
                .await?;
        }
        Ok(before)
    }

    /// Whether a municipality with this id exists.
    pub async fn exists(conn: &mut AsyncMysqlConnection, id: MunicipalityId) -> QueryResult<bool> {
        diesel::select(diesel::dsl::exists(municipalities::table.find(id)))
            .get_result(conn)
            .await
    }

    /// Every municipality's centre and boundary, for point lookups.
    pub async fn areas(conn: &mut AsyncMysqlConnection) -> QueryResult<Vec<MunicipalityArea>> {
        let rows: Vec<(MunicipalityId, f64, f64, Option<String>)> = municipalities::table
            .select((
                municipalities::id,
                municipalities::centre_lat,
                municipalities::centre_lon,
                municipalities::boundary_geojson,
            ))
            .load(conn)
            .await?;
        Ok(rows
            .into_iter()
            .map(|(id, lat, lon, geojson)| MunicipalityArea {
                id,
                centre: LatLon { lat, lon },
                boundary: geojson.as_deref().and_then(Boundary::from_geojson_text),
            })
            .collect())
    }

    /// The municipality of `point` (see [`locate`]), from the parsed boundaries this
    /// instance keeps: parsing megabytes of GeoJSON for every located point would cost more
    /// than the request. A cheap stamp (the database, the boundaries' count and newest
    /// import) tells when an import on any instance made the kept copy stale; a copy is
    /// also reloaded after `AREAS_MAX_AGE`, for two imports within the same second.
    pub async fn of_point(
        conn: &mut AsyncMysqlConnection,
        point: LatLon,
    ) -> QueryResult<Option<MunicipalityId>> {
        let stamp = diesel::sql_query(
            "SELECT DATABASE() AS database_name, COUNT(*) AS municipalities, \
             COUNT(boundary_updated_at) AS boundaries, MAX(boundary_updated_at) AS newest \
             FROM municipalities",
        )
        .get_result::<AreasStamp>(conn)
        .await?;
        let kept = KEPT_AREAS
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
            .filter(|kept| kept.stamp == stamp && kept.loaded.elapsed() < AREAS_MAX_AGE)
            .map(|kept| Arc::clone(&kept.areas));
        let areas = match kept {
            Some(areas) => areas,
            None => {
                let areas = Arc::new(Self::areas(conn).await?);
                *KEPT_AREAS.lock().unwrap_or_else(PoisonError::into_inner) = Some(KeptAreas {
                    stamp,
                    loaded: Instant::now(),
                    areas: Arc::clone(&areas),
                });
                areas
            }
        };
        Ok(locate(point, &areas))
    }

    /// Imports boundaries from a GeoJSON FeatureCollection (one feature per municipality,
    /// matched by `slug` or name in its properties). All-or-nothing: a file with any
    /// malformed geometry stores nothing. Returns the report and the municipalities whose
    /// boundary was stored. The caller checks who may do this.
    pub async fn import_boundaries(
        conn: &mut AsyncMysqlConnection,
        geojson: &str,
        now: NaiveDateTime,
    ) -> Result<(BoundaryImportReport, Vec<MunicipalityId>), AppError> {
        if geojson.len() > MAX_BOUNDARY_FILE_BYTES {
            return Err(AppError::invalid(
                "geojson",
                ErrorCode::TooLong {
                    max: MAX_BOUNDARY_FILE_BYTES as u32,
                },
            ));
        }
        let features = parse_feature_collection(geojson).map_err(|error| {
            let code = match error {
                BoundaryFileError::Empty => ErrorCode::Required,
                BoundaryFileError::NotAFeatureCollection
                | BoundaryFileError::BadGeometry { .. } => ErrorCode::Malformed,
            };
            AppError::invalid("geojson", code)
        })?;
        let keys = Self::match_keys(conn).await?;
        let mut matched = Vec::new();
        let mut unmatched = Vec::new();
        for feature in features {
            let found = keys
                .iter()
                .find(|(_, names)| feature.keys.iter().any(|key| names.contains(key)));
            match found {
                Some((id, _)) => matched.push((*id, feature.geometry)),
                None => unmatched.push(feature.keys.into_iter().next().unwrap_or_default()),
            }
        }
        let ids: Vec<MunicipalityId> = matched.iter().map(|(id, _)| *id).collect();
        let updated = ids.len() as u32;
        Self::store_boundaries(conn, matched, now).await?;
        Ok((BoundaryImportReport { updated, unmatched }, ids))
    }

    /// Slugs and names of every municipality, lower-cased, for matching imported features.
    async fn match_keys(
        conn: &mut AsyncMysqlConnection,
    ) -> QueryResult<Vec<(MunicipalityId, Vec<String>)>> {
        let rows: Vec<(MunicipalityId, String, String, String)> = municipalities::table
            .select((
                municipalities::id,
                municipalities::slug,
                municipalities::name_ru,
                municipalities::name_en,
            ))
            .load(conn)
            .await?;
        Ok(rows
            .into_iter()
            .map(|(id, slug, ru, en)| {
                (
                    id,
                    vec![slug.to_lowercase(), ru.to_lowercase(), en.to_lowercase()],
                )
            })
            .collect())
    }

    /// Stores boundaries, all in one transaction.
    async fn store_boundaries(
        conn: &mut AsyncMysqlConnection,
        boundaries: Vec<(MunicipalityId, String)>,
        now: NaiveDateTime,
    ) -> QueryResult<()> {
        conn.transaction(async move |conn| {
            for (id, geometry) in boundaries {
                diesel::update(municipalities::table.find(id))
                    .set((
                        municipalities::boundary_geojson.eq(Some(geometry)),
                        municipalities::boundary_updated_at.eq(Some(now)),
                    ))
                    .execute(conn)
                    .await?;
            }
            Ok(())
        })
        .await
    }
}

/// The municipality of `point` for a report placed there: its boundary when imported, else
/// the nearest centre; a field error when the database knows no municipality at all.
pub async fn municipality_of(
    conn: &mut AsyncMysqlConnection,
    point: LatLon,
) -> Result<MunicipalityId, AppError> {
    Municipality::of_point(conn, point)
        .await?
        .ok_or_else(|| AppError::invalid("point", ErrorCode::OutsideRegion))
}

/// What identifies one state of the boundaries: equal stamps, equal parsed areas.
#[derive(QueryableByName, Debug, Clone, PartialEq)]
struct AreasStamp {
    #[diesel(sql_type = Nullable<Text>)]
    database_name: Option<String>,
    #[diesel(sql_type = BigInt)]
    municipalities: i64,
    #[diesel(sql_type = BigInt)]
    boundaries: i64,
    #[diesel(sql_type = Nullable<Datetime>)]
    newest: Option<NaiveDateTime>,
}

/// The parsed areas of one stamp.
struct KeptAreas {
    stamp: AreasStamp,
    loaded: Instant,
    areas: Arc<Vec<MunicipalityArea>>,
}

static KEPT_AREAS: Mutex<Option<KeptAreas>> = Mutex::new(None);
/// The longest a kept copy is used without reloading.
const AREAS_MAX_AGE: Duration = Duration::from_secs(300);

#[cfg(all(test, feature = "testing"))]
mod tests {
    use super::*;
    use platform::db::testing::TestDb;

    #[tokio::test(flavor = "multi_thread")]
    async fn the_44_municipalities_are_there_with_both_kinds() {
        let db = TestDb::new().await;
        let mut conn = db.conn().await;
        let all = Municipality::list(&mut conn).await.expect("list");
        assert_eq!(all.len(), 44);
        let okrugs = all
            .iter()
            .filter(|m| m.kind == MunicipalityKind::CityOkrug)
            .count();
        assert_eq!(okrugs, 7);
        assert_eq!(
            all[0].kind,
            MunicipalityKind::CityOkrug,
            "city okrugs come first"
        );
        assert!(
            all.iter()
                .all(|m| (43.0..47.5).contains(&m.centre.lat)
                    && (36.0..42.0).contains(&m.centre.lon))
        );
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn every_municipality_has_a_population_that_admins_correct_with_its_source() {
        let db = TestDb::new().await;
        let mut conn = db.conn().await;
        let populations = Municipality::populations(&mut conn)
            .await
            .expect("populations");
        assert_eq!(populations.len(), 44);
        assert!(
            populations
                .iter()
                .all(|m| m.population > 0 && !m.source.is_empty())
        );
        let sochi = populations
            .iter()
            .find(|m| m.name_en.starts_with("Sochi"))
            .expect("sochi");
        let before = Municipality::set_population(&mut conn, sochi.id, 466_078, "Росстат, 2026")
            .await
            .expect("set");
        assert_eq!(before, Some((sochi.population, sochi.source.clone())));
        let after = Municipality::populations(&mut conn)
            .await
            .expect("populations");
        let changed = after.iter().find(|m| m.id == sochi.id).expect("sochi");
        assert_eq!(
            (changed.population, changed.source.as_str()),
            (466_078, "Росстат, 2026")
        );
        let unknown = Municipality::set_population(&mut conn, MunicipalityId(999_999), 1, "x")
            .await
            .expect("no such municipality");
        assert_eq!(unknown, None);
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn imported_boundaries_decide_the_municipality_of_a_point() {
        let db = TestDb::new().await;
        let mut conn = db.conn().await;
        let all = Municipality::list(&mut conn).await.expect("list");
        let krasnodar = all
            .iter()
            .find(|m| m.slug == "krasnodar")
            .expect("krasnodar");
        let sochi = all.iter().find(|m| m.slug == "sochi").expect("sochi");
        // Before any import, a point in Krasnodar's centre belongs to Krasnodar.
        let areas = Municipality::areas(&mut conn).await.expect("areas");
        assert_eq!(locate(krasnodar.centre, &areas), Some(krasnodar.id));
        let located = Municipality::of_point(&mut conn, krasnodar.centre).await;
        assert_eq!(located.expect("located"), Some(krasnodar.id));
        // A (deliberately wrong) boundary for Sochi around Krasnodar's centre takes over.
        let (lat, lon) = (krasnodar.centre.lat, krasnodar.centre.lon);
        let square = serde_json::json!({"type": "Polygon", "coordinates": [[
            [lon - 0.1, lat - 0.1], [lon + 0.1, lat - 0.1], [lon + 0.1, lat + 0.1],
            [lon - 0.1, lat + 0.1], [lon - 0.1, lat - 0.1]
        ]]});
        let now = chrono::Utc::now().naive_utc();
        Municipality::store_boundaries(&mut conn, vec![(sochi.id, square.to_string())], now)
            .await
            .expect("store");
        let areas = Municipality::areas(&mut conn).await.expect("areas");
        assert_eq!(locate(krasnodar.centre, &areas), Some(sochi.id));
        // The kept index sees the import at once.
        let located = Municipality::of_point(&mut conn, krasnodar.centre).await;
        assert_eq!(located.expect("located"), Some(sochi.id));
        assert!(
            Municipality::find(&mut conn, sochi.id)
                .await
                .expect("find")
                .has_boundary
        );
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn a_boundary_file_is_matched_by_slug_or_name_and_stored_whole_or_not_at_all() {
        let db = TestDb::new().await;
        let mut conn = db.conn().await;
        let all = Municipality::list(&mut conn).await.expect("list");
        let sochi = all.iter().find(|m| m.slug == "sochi").expect("sochi");
        let krasnodar = all
            .iter()
            .find(|m| m.slug == "krasnodar")
            .expect("krasnodar");
        let square = |centre: LatLon| {
            let (lat, lon) = (centre.lat, centre.lon);
            serde_json::json!({"type": "Polygon", "coordinates": [[
                [lon - 0.1, lat - 0.1], [lon + 0.1, lat - 0.1], [lon + 0.1, lat + 0.1],
                [lon - 0.1, lat + 0.1], [lon - 0.1, lat - 0.1]
            ]]})
        };
        let feature = |properties: serde_json::Value, geometry: serde_json::Value| serde_json::json!({"type": "Feature", "properties": properties, "geometry": geometry});
        let now = chrono::Utc::now().naive_utc();
        // One feature with a malformed geometry: nothing at all is stored.
        let broken = serde_json::json!({"type": "FeatureCollection", "features": [
            feature(serde_json::json!({"slug": "sochi"}), square(sochi.centre)),
            feature(serde_json::json!({"slug": "krasnodar"}), serde_json::json!({"type": "Polygon", "coordinates": [[[1.0, 2.0]]]})),
        ]});
        let refused = Municipality::import_boundaries(&mut conn, &broken.to_string(), now).await;
        assert!(
            matches!(&refused, Err(AppError::Invalid { errors }) if errors[0].field == "geojson" && errors[0].code == ErrorCode::Malformed),
            "{refused:?}"
        );
        assert!(
            !Municipality::find(&mut conn, sochi.id)
                .await
                .expect("find")
                .has_boundary
        );
        // A slug, a Russian name in another case, and a feature nobody is called.
        let file = serde_json::json!({"type": "FeatureCollection", "features": [
            feature(serde_json::json!({"slug": "sochi"}), square(sochi.centre)),
            feature(serde_json::json!({"name": krasnodar.name_ru.to_uppercase()}), square(krasnodar.centre)),
            feature(serde_json::json!({"name": "Атлантида"}), square(sochi.centre)),
        ]});
        let (report, ids) = Municipality::import_boundaries(&mut conn, &file.to_string(), now)
            .await
            .expect("import");
        assert_eq!(report.updated, 2);
        assert_eq!(report.unmatched, vec!["атлантида".to_string()]);
        assert_eq!(ids, vec![sochi.id, krasnodar.id]);
        for id in [sochi.id, krasnodar.id] {
            assert!(
                Municipality::find(&mut conn, id)
                    .await
                    .expect("find")
                    .has_boundary
            );
        }
    }
}
