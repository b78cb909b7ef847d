//! Point → municipality: the containing boundary when boundaries are loaded, otherwise the
//! nearest administrative centre. Pure functions over parsed GeoJSON, unit-tested here.

use serde::Deserialize;
use serde_json::Value;

use super::model::MunicipalityId;

use platform::geo::LatLon;

/// A GeoJSON position: longitude first, as the format says.
type Position = (f64, f64);

/// One polygon: an exterior ring followed by holes.
#[derive(Debug, Clone, PartialEq)]
pub struct Polygon {
    rings: Vec<Vec<Position>>,
}

/// A municipality's boundary: one or more polygons.
#[derive(Debug, Clone, PartialEq)]
pub struct Boundary {
    polygons: Vec<Polygon>,
}

#[derive(Deserialize)]
#[serde(tag = "type")]
enum RawGeometry {
    Polygon {
        coordinates: Vec<Vec<Vec<f64>>>,
    },
    MultiPolygon {
        coordinates: Vec<Vec<Vec<Vec<f64>>>>,
    },
}

fn ring(raw: Vec<Vec<f64>>) -> Option<Vec<Position>> {
    let ring: Option<Vec<Position>> = raw
        .into_iter()
        .map(|position| match position.as_slice() {
            [lon, lat, ..] if LatLon::new(*lat, *lon).is_some() => Some((*lon, *lat)),
            _ => None,
        })
        .collect();
    // A linear ring has at least four positions (the first repeated last).
    ring.filter(|ring| ring.len() >= 4)
}

fn polygon(raw: Vec<Vec<Vec<f64>>>) -> Option<Polygon> {
    let rings: Option<Vec<_>> = raw.into_iter().map(ring).collect();
    rings
        .filter(|rings| !rings.is_empty())
        .map(|rings| Polygon { rings })
}

impl Boundary {
    /// Parses a GeoJSON `Polygon` or `MultiPolygon` geometry; `None` if it is anything else
    /// or malformed (too few positions, coordinates out of range).
    pub fn from_geometry(geometry: &Value) -> Option<Self> {
        let raw: RawGeometry = serde_json::from_value(geometry.clone()).ok()?;
        let polygons: Option<Vec<Polygon>> = match raw {
            RawGeometry::Polygon { coordinates } => polygon(coordinates).map(|p| vec![p]),
            RawGeometry::MultiPolygon { coordinates } => {
                coordinates.into_iter().map(polygon).collect()
            }
        };
        polygons
            .filter(|p| !p.is_empty())
            .map(|polygons| Boundary { polygons })
    }

    /// Parses the stored text of a geometry.
    pub fn from_geojson_text(text: &str) -> Option<Self> {
        Self::from_geometry(&serde_json::from_str(text).ok()?)
    }

    /// Whether `point` lies inside (holes excluded).
    pub fn contains(&self, point: LatLon) -> bool {
        self.polygons.iter().any(|polygon| {
            let mut rings = polygon.rings.iter();
            let inside_exterior = rings
                .next()
                .is_some_and(|exterior| ring_contains(exterior, point));
            inside_exterior && !rings.any(|hole| ring_contains(hole, point))
        })
    }
}

/// Even-odd ray casting: count crossings of a ray going east from the point.
fn ring_contains(ring: &[Position], point: LatLon) -> bool {
    let (x, y) = (point.lon, point.lat);
    let mut inside = false;
    let mut previous = match ring.last() {
        Some(last) => *last,
        None => return false,
    };
    for &current in ring {
        let ((x1, y1), (x2, y2)) = (previous, current);
        if (y1 > y) != (y2 > y) && x < (x2 - x1) * (y - y1) / (y2 - y1) + x1 {
            inside = !inside;
        }
        previous = current;
    }
    inside
}

/// What `locate` needs to know of a municipality.
#[derive(Debug, Clone)]
pub struct MunicipalityArea {
    /// The municipality.
    pub id: MunicipalityId,
    /// Its administrative centre.
    pub centre: LatLon,
    /// Its boundary, when imported.
    pub boundary: Option<Boundary>,
}

/// The municipality of `point`: the first whose boundary contains it, else the one with the
/// nearest administrative centre. `None` only when `areas` is empty.
pub fn locate(point: LatLon, areas: &[MunicipalityArea]) -> Option<MunicipalityId> {
    areas
        .iter()
        .find(|area| area.boundary.as_ref().is_some_and(|b| b.contains(point)))
        .or_else(|| {
            areas.iter().min_by(|a, b| {
                a.centre
                    .distance_m(point)
                    .total_cmp(&b.centre.distance_m(point))
            })
        })
        .map(|area| area.id)
}

/// One feature of an uploaded FeatureCollection, before it is matched to a municipality.
#[derive(Debug, Clone, PartialEq)]
pub struct BoundaryFeature {
    /// Keys to match a municipality by, from the feature's properties (slug, names).
    pub keys: Vec<String>,
    /// The geometry, re-serialised compactly for storage.
    pub geometry: String,
}

/// Why a boundary file was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoundaryFileError {
    /// Not JSON, or not a FeatureCollection.
    NotAFeatureCollection,
    /// Feature number `index` (from 0) has no usable Polygon/MultiPolygon geometry.
    BadGeometry { index: usize },
    /// The collection has no features.
    Empty,
}

/// Parses a GeoJSON FeatureCollection with one feature per municipality; every feature must
/// have a valid Polygon or MultiPolygon geometry (all-or-nothing).
pub fn parse_feature_collection(text: &str) -> Result<Vec<BoundaryFeature>, BoundaryFileError> {
    let document: Value =
        serde_json::from_str(text).map_err(|_| BoundaryFileError::NotAFeatureCollection)?;
    if document.get("type").and_then(Value::as_str) != Some("FeatureCollection") {
        return Err(BoundaryFileError::NotAFeatureCollection);
    }
    let features = document
        .get("features")
        .and_then(Value::as_array)
        .ok_or(BoundaryFileError::NotAFeatureCollection)?;
    if features.is_empty() {
        return Err(BoundaryFileError::Empty);
    }
    features
        .iter()
        .enumerate()
        .map(|(index, feature)| {
            let geometry = feature
                .get("geometry")
                .filter(|g| Boundary::from_geometry(g).is_some());
            let geometry = geometry.ok_or(BoundaryFileError::BadGeometry { index })?;
            let properties = feature.get("properties");
            let keys = ["slug", "name_ru", "name:ru", "name", "name_en", "name:en"]
                .iter()
                .filter_map(|key| properties?.get(*key)?.as_str())
                .map(|value| value.trim().to_lowercase())
                .filter(|value| !value.is_empty())
                .collect();
            Ok(BoundaryFeature {
                keys,
                geometry: geometry.to_string(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn square(lon0: f64, lat0: f64, size: f64) -> Vec<Vec<f64>> {
        vec![
            vec![lon0, lat0],
            vec![lon0 + size, lat0],
            vec![lon0 + size, lat0 + size],
            vec![lon0, lat0 + size],
            vec![lon0, lat0],
        ]
    }

    fn point(lat: f64, lon: f64) -> LatLon {
        LatLon::new(lat, lon).expect("valid point")
    }

    #[test]
    fn polygon_contains_inside_points_and_not_outside_or_in_holes() {
        let boundary = Boundary::from_geometry(&json!({
            "type": "Polygon",
            "coordinates": [square(38.0, 45.0, 1.0), square(38.4, 45.4, 0.2)]
        }))
        .expect("valid polygon");
        assert!(boundary.contains(point(45.1, 38.1)));
        assert!(!boundary.contains(point(45.5, 38.5)), "inside the hole");
        assert!(!boundary.contains(point(46.5, 38.5)), "north of the square");
        assert!(!boundary.contains(point(45.5, 37.9)), "west of the square");
    }

    #[test]
    fn multipolygon_contains_points_in_any_part() {
        let boundary = Boundary::from_geometry(&json!({
            "type": "MultiPolygon",
            "coordinates": [[square(38.0, 45.0, 0.5)], [square(40.0, 44.0, 0.5)]]
        }))
        .expect("valid multipolygon");
        assert!(boundary.contains(point(45.2, 38.2)));
        assert!(boundary.contains(point(44.2, 40.2)));
        assert!(!boundary.contains(point(44.7, 39.0)));
    }

    #[test]
    fn malformed_geometries_are_refused() {
        assert!(
            Boundary::from_geometry(&json!({"type": "Point", "coordinates": [38.0, 45.0]}))
                .is_none()
        );
        assert!(
            Boundary::from_geometry(
                &json!({"type": "Polygon", "coordinates": [[[38.0, 45.0], [39.0, 45.0]]]})
            )
            .is_none()
        );
        assert!(
            Boundary::from_geometry(
                &json!({"type": "Polygon", "coordinates": [square(38.0, 95.0, 1.0)]})
            )
            .is_none()
        );
        assert!(Boundary::from_geojson_text("not json").is_none());
    }

    #[test]
    fn locate_prefers_the_containing_boundary_over_the_nearest_centre() {
        let areas = vec![
            MunicipalityArea {
                id: MunicipalityId(1),
                centre: point(45.9, 38.9),
                boundary: Boundary::from_geometry(&json!({
                    "type": "Polygon", "coordinates": [square(38.0, 45.0, 1.0)]
                })),
            },
            MunicipalityArea {
                id: MunicipalityId(2),
                centre: point(45.1, 38.1),
                boundary: None,
            },
        ];
        // Nearer to municipality 2's centre, but inside municipality 1's boundary.
        assert_eq!(locate(point(45.11, 38.11), &areas), Some(MunicipalityId(1)));
        // Outside every boundary: the nearest centre wins.
        assert_eq!(locate(point(46.5, 38.9), &areas), Some(MunicipalityId(1)));
        assert_eq!(locate(point(44.0, 37.0), &areas), Some(MunicipalityId(2)));
        assert_eq!(locate(point(44.0, 37.0), &[]), None);
    }

    #[test]
    fn feature_collections_are_parsed_all_or_nothing() {
        let good = json!({
            "type": "FeatureCollection",
            "features": [{
                "type": "Feature",
                "properties": {"slug": "Krasnodar", "name": "Краснодар"},
                "geometry": {"type": "Polygon", "coordinates": [square(38.8, 44.9, 0.3)]}
            }]
        });
        let features = parse_feature_collection(&good.to_string()).expect("parses");
        assert_eq!(features.len(), 1);
        assert_eq!(
            features[0].keys,
            vec!["krasnodar".to_string(), "краснодар".to_string()]
        );

        let bad = json!({
            "type": "FeatureCollection",
            "features": [
                {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [square(38.8, 44.9, 0.3)]}},
                {"type": "Feature", "properties": {}, "geometry": null}
            ]
        });
        assert_eq!(
            parse_feature_collection(&bad.to_string()),
            Err(BoundaryFileError::BadGeometry { index: 1 })
        );
        assert_eq!(
            parse_feature_collection(r#"{"type":"FeatureCollection","features":[]}"#),
            Err(BoundaryFileError::Empty)
        );
        assert_eq!(
            parse_feature_collection("[]"),
            Err(BoundaryFileError::NotAFeatureCollection)
        );
    }
}
