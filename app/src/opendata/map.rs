//! A dataset on the map: the newest version's rows that have coordinates, clustered by
//! the viewport's grid on the server so a large dataset sends a few hundred markers.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::i18n::{Msg, format_integer, use_i18n};
use crate::ui::map::{MapMarker, MapView};
use platform::error::AppError;
use platform::geo::LatLon;
use platform::geo::Viewport;

/// Clusters sent for one viewport at most.
pub const MAX_CLUSTERS: i64 = 2_000;

/// A group of a dataset's rows near each other.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RowCluster {
    /// The mean point of its rows.
    pub point: LatLon,
    /// How many rows.
    pub count: u64,
    /// For a single row: its number and the text of its first text column.
    pub single: Option<(u32, String)>,
}

/// The clusters of the newest version's rows in a viewport.
#[server(endpoint = "opendata/clusters", input = server_fn::codec::GetUrl)]
pub async fn opendata_clusters(
    identifier: String,
    south: f64,
    west: f64,
    north: f64,
    east: f64,
    zoom: u8,
) -> Result<Vec<RowCluster>, AppError> {
    use super::format::ColumnType;
    use super::queries::Datasets;
    use diesel::sql_types::{BigInt, Double, Integer, Nullable, Text, Unsigned};
    use diesel_async::RunQueryDsl;

    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = Double)]
        lat: f64,
        #[diesel(sql_type = Double)]
        lon: f64,
        #[diesel(sql_type = Unsigned<BigInt>)]
        count: u64,
        #[diesel(sql_type = Unsigned<Integer>)]
        first: u32,
        #[diesel(sql_type = Nullable<Text>)]
        label: Option<String>,
    }

    let cell = Viewport::requested(south, west, north, east, zoom)
        .ok_or(AppError::BadRequest)?
        .cell_degrees();
    let pool = platform::db::pool()?;
    platform::db::run(&pool, move |mut conn| async move {
        let info = Datasets::by_identifier(&mut conn, &identifier)
            .await?
            .ok_or(AppError::NotFound)?;
        let Some(latest) = Datasets::versions(&mut conn, info.id)
            .await?
            .into_iter()
            .next()
        else {
            return Ok(Vec::new());
        };
        let structure = Datasets::structure(&mut conn, info.id, latest.structure)
            .await?
            .ok_or(AppError::Internal)?;
        let (Some(lat), Some(lon)) = (structure.latitude, structure.longitude) else {
            return Ok(Vec::new());
        };
        let label = structure
            .columns
            .iter()
            .position(|column| column.kind == ColumnType::String)
            .map_or_else(
                || "NULL".to_string(),
                |index| format!("MIN(JSON_VALUE(cells, '$[{index}]'))"),
            );
        // Column positions come from the stored structure, never from the request; the
        // viewport is bound.
        let sql = format!(
            "SELECT AVG(lat) AS lat, AVG(lon) AS lon, COUNT(*) AS count, MIN(row_no) AS first, \
             {label} AS label FROM ( \
               SELECT row_no, cells, CAST(JSON_VALUE(cells, '$[{lat}]') AS DOUBLE) AS lat, \
                      CAST(JSON_VALUE(cells, '$[{lon}]') AS DOUBLE) AS lon \
               FROM dataset_rows WHERE version_id = ?) located \
             WHERE lat BETWEEN ? AND ? AND lon BETWEEN ? AND ? \
             GROUP BY FLOOR(lat / ?), FLOOR(lon / ?) LIMIT {MAX_CLUSTERS}"
        );
        let rows: Vec<Row> = diesel::sql_query(sql)
            .bind::<Unsigned<BigInt>, _>(latest.id.0)
            .bind::<Double, _>(south)
            .bind::<Double, _>(north)
            .bind::<Double, _>(west)
            .bind::<Double, _>(east)
            .bind::<Double, _>(cell)
            .bind::<Double, _>(cell)
            .load(&mut conn)
            .await?;
        Ok(rows
            .into_iter()
            .map(|row| RowCluster {
                point: LatLon {
                    lat: row.lat,
                    lon: row.lon,
                },
                count: row.count,
                single: (row.count == 1).then(|| (row.first, row.label.unwrap_or_default())),
            })
            .collect())
    })
    .await
}

/// The dataset's map section.
#[component]
pub fn DatasetMap(identifier: String) -> impl IntoView {
    let i18n = use_i18n();
    let viewport = RwSignal::new(None::<Viewport>);
    let clusters = LocalResource::new(move || {
        let identifier = identifier.clone();
        let view = viewport.get();
        async move {
            match view {
                Some(view) => opendata_clusters(
                    identifier,
                    view.south_west.lat,
                    view.south_west.lon,
                    view.north_east.lat,
                    view.north_east.lon,
                    view.zoom,
                )
                .await
                .unwrap_or_default(),
                None => Vec::new(),
            }
        }
    });
    let markers = Signal::derive(move || {
        let locale = i18n.locale();
        clusters
            .get()
            .unwrap_or_default()
            .into_iter()
            .map(|cluster| {
                let title = match &cluster.single {
                    Some((row, label)) if !label.is_empty() => {
                        format!("{label} ({} {row})", i18n.t(Msg::OdRowWord))
                    }
                    Some((row, _)) => format!("{} {row}", i18n.t(Msg::OdRowWord)),
                    None => format!(
                        "{} · {}",
                        format_integer(locale, cluster.count as i64),
                        i18n.t(Msg::OpenDataRowsWord)
                    ),
                };
                MapMarker {
                    at: cluster.point,
                    title,
                    href: None,
                    count: cluster.count,
                }
            })
            .collect::<Vec<_>>()
    });
    view! {
        <section class="stack" data-test="dataset-map">
            <h2>{move || i18n.t(Msg::OdMapTitle)}</h2>
            <MapView markers viewport label=Signal::derive(move || i18n.t(Msg::OdMapTitle).to_string()) />
        </section>
    }
}
