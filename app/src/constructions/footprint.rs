//! A construction's approved footprint: the outline of the plot the permit allows to
//! build on, as a polygon.
//!
//! Officials get outlines from cadastral and GIS tools, which export GeoJSON or WKT, or
//! copy vertices by hand; all three are read. The registry keeps one canonical form, a
//! GeoJSON Polygon geometry with six decimals (about 10 cm), so the same outline written
//! twice compares equal and an import of an unchanged file changes nothing.

use serde::{Deserialize, Serialize};

use platform::error::ErrorCode;
use platform::geo::LatLon;
use platform::geo::{in_region, parse_coordinate};

/// Fewest vertices of a polygon.
pub const MIN_VERTICES: usize = 3;
/// Most vertices we keep: a building plot's outline needs tens; thousands would be a
/// traced map, not a permit's footprint.
pub const MAX_VERTICES: usize = 500;

/// An outline: its vertices in order, the first not repeated at the end.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Footprint {
    vertices: Vec<LatLon>,
}

/// Why a text is not a usable footprint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FootprintError {
    /// Not GeoJSON, WKT or a list of "lat, lon" pairs; or a polygon with holes, or one
    /// whose vertices all lie on a line.
    Malformed,
    /// Fewer than `MIN_VERTICES` or more than `MAX_VERTICES` vertices.
    VertexCount,
    /// A vertex outside the region.
    OutsideRegion,
}

impl FootprintError {
    /// The form error for field `footprint`.
    pub fn code(self) -> ErrorCode {
        match self {
            Self::Malformed => ErrorCode::Malformed,
            Self::VertexCount => ErrorCode::OutOfRange {
                min: MIN_VERTICES as i64,
                max: MAX_VERTICES as i64,
            },
            Self::OutsideRegion => ErrorCode::OutsideRegion,
        }
    }
}

impl Footprint {
    /// The outline through `vertices`, checked: a closing vertex equal to the first is
    /// dropped; there must be 3 to 500 others, inside the region, enclosing some area.
    pub fn new(mut vertices: Vec<LatLon>) -> Result<Self, FootprintError> {
        if vertices.len() > 1 && vertices.first() == vertices.last() {
            vertices.pop();
        }
        if !(MIN_VERTICES..=MAX_VERTICES).contains(&vertices.len()) {
            return Err(FootprintError::VertexCount);
        }
        if !vertices.iter().all(|vertex| in_region(*vertex)) {
            return Err(FootprintError::OutsideRegion);
        }
        let footprint = Self { vertices };
        if footprint.twice_area() == 0.0 {
            return Err(FootprintError::Malformed);
        }
        Ok(footprint)
    }

    /// Reads an outline as officials paste it: a GeoJSON Polygon (bare geometry or a
    /// Feature), WKT `POLYGON ((lon lat, ...))`, or "lat, lon" pairs separated by `;` or
    /// new lines. GeoJSON and WKT put longitude first, as their standards say; the pair
    /// list puts latitude first, as the coordinate fields of our forms do.
    pub fn parse(text: &str) -> Result<Self, FootprintError> {
        let text = text.trim();
        if text.starts_with('{') {
            Self::from_geojson_value(
                &serde_json::from_str(text).map_err(|_| FootprintError::Malformed)?,
            )
        } else if text
            .get(..7)
            .is_some_and(|head| head.eq_ignore_ascii_case("polygon"))
        {
            Self::from_wkt(&text[7..])
        } else {
            Self::from_pairs(text)
        }
    }

    /// The outline stored as `text` (our canonical GeoJSON); `None` if it is not one.
    pub fn from_stored(text: &str) -> Option<Self> {
        let value = serde_json::from_str(text).ok()?;
        Self::from_geojson_value(&value).ok()
    }

    fn from_geojson_value(value: &serde_json::Value) -> Result<Self, FootprintError> {
        let geometry = match value.get("type").and_then(|kind| kind.as_str()) {
            Some("Feature") => value.get("geometry").ok_or(FootprintError::Malformed)?,
            Some("Polygon") => value,
            _ => return Err(FootprintError::Malformed),
        };
        if geometry.get("type").and_then(|kind| kind.as_str()) != Some("Polygon") {
            return Err(FootprintError::Malformed);
        }
        let rings = geometry
            .get("coordinates")
            .and_then(|rings| rings.as_array())
            .ok_or(FootprintError::Malformed)?;
        // A footprint is one outline; a hole would be silently lost, so it is refused.
        let [outer] = rings.as_slice() else {
            return Err(FootprintError::Malformed);
        };
        let vertices = outer
            .as_array()
            .ok_or(FootprintError::Malformed)?
            .iter()
            .map(|position| {
                let position = position.as_array()?;
                let (lon, lat) = (position.first()?.as_f64()?, position.get(1)?.as_f64()?);
                LatLon::new(lat, lon)
            })
            .collect::<Option<Vec<_>>>()
            .ok_or(FootprintError::Malformed)?;
        Self::new(vertices)
    }

    /// `rest` is what follows the word POLYGON: `((lon lat, lon lat, ...))`.
    fn from_wkt(rest: &str) -> Result<Self, FootprintError> {
        let inner = rest
            .trim()
            .strip_prefix('(')
            .and_then(|inner| inner.strip_suffix(')'))
            .map(str::trim)
            .ok_or(FootprintError::Malformed)?;
        let ring = inner
            .strip_prefix('(')
            .and_then(|ring| ring.strip_suffix(')'))
            .ok_or(FootprintError::Malformed)?;
        if ring.contains('(') || ring.contains(')') {
            return Err(FootprintError::Malformed);
        }
        let vertices = ring
            .split(',')
            .map(|position| {
                let mut numbers = position.split_whitespace().map(|n| n.parse::<f64>().ok());
                match (numbers.next(), numbers.next(), numbers.next()) {
                    (Some(Some(lon)), Some(Some(lat)), None) => LatLon::new(lat, lon),
                    _ => None,
                }
            })
            .collect::<Option<Vec<_>>>()
            .ok_or(FootprintError::Malformed)?;
        Self::new(vertices)
    }

    fn from_pairs(text: &str) -> Result<Self, FootprintError> {
        let vertices = text
            .split([';', '\n'])
            .map(str::trim)
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let numbers: Vec<&str> = pair
                    .split([',', ' ', '\t'])
                    .filter(|number| !number.is_empty())
                    .collect();
                match numbers.as_slice() {
                    [lat, lon] => LatLon::new(parse_coordinate(lat)?, parse_coordinate(lon)?),
                    _ => None,
                }
            })
            .collect::<Option<Vec<_>>>()
            .ok_or(FootprintError::Malformed)?;
        Self::new(vertices)
    }

    /// The vertices, in order.
    pub fn vertices(&self) -> &[LatLon] {
        &self.vertices
    }

    /// The canonical text: a GeoJSON Polygon geometry, ring closed, six decimals.
    pub fn to_geojson(&self) -> String {
        let positions: Vec<String> = self
            .vertices
            .iter()
            .chain(self.vertices.first())
            .map(|vertex| format!("[{:.6},{:.6}]", vertex.lon, vertex.lat))
            .collect();
        format!(
            "{{\"type\":\"Polygon\",\"coordinates\":[[{}]]}}",
            positions.join(",")
        )
    }

    /// Twice the signed area in square degrees (shoelace formula); only its being zero
    /// matters here.
    fn twice_area(&self) -> f64 {
        let vertices = &self.vertices;
        (0..vertices.len())
            .map(|i| {
                let (a, b) = (vertices[i], vertices[(i + 1) % vertices.len()]);
                a.lon * b.lat - b.lon * a.lat
            })
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square() -> Vec<LatLon> {
        [
            (45.0, 39.0),
            (45.0, 39.001),
            (45.001, 39.001),
            (45.001, 39.0),
        ]
        .into_iter()
        .map(|(lat, lon)| LatLon { lat, lon })
        .collect()
    }

    #[test]
    fn the_three_input_forms_read_alike() {
        let expected = Footprint::new(square()).expect("square");
        let geojson = r#"{"type":"Polygon","coordinates":[[[39,45],[39.001,45],[39.001,45.001],[39,45.001],[39,45]]]}"#;
        let feature = format!(r#"{{"type":"Feature","properties":{{}},"geometry":{geojson}}}"#);
        let wkt = "POLYGON ((39 45, 39.001 45, 39.001 45.001, 39 45.001, 39 45))";
        let pairs = "45, 39; 45, 39.001; 45.001, 39.001\n45.001 39";
        for text in [geojson, feature.as_str(), wkt, &wkt.to_lowercase(), pairs] {
            assert_eq!(Footprint::parse(text), Ok(expected.clone()), "{text}");
        }
    }

    #[test]
    fn the_stored_form_is_canonical_and_reads_back() {
        let footprint = Footprint::new(square()).expect("square");
        let stored = footprint.to_geojson();
        assert_eq!(
            stored,
            "{\"type\":\"Polygon\",\"coordinates\":[[[39.000000,45.000000],[39.001000,45.000000],\
             [39.001000,45.001000],[39.000000,45.001000],[39.000000,45.000000]]]}"
        );
        assert_eq!(Footprint::from_stored(&stored), Some(footprint));
        assert_eq!(Footprint::from_stored("not json"), None);
    }

    #[test]
    fn unusable_outlines_are_refused_with_their_reason() {
        let cases = [
            ("", FootprintError::VertexCount),
            ("45, 39; 45, 39.001", FootprintError::VertexCount),
            ("45, 39; 45, 39.001; 45, 39.002", FootprintError::Malformed),
            (
                "55.75, 37.61; 55.76, 37.61; 55.76, 37.62",
                FootprintError::OutsideRegion,
            ),
            ("45, 39; 45; 45.001, 39.001", FootprintError::Malformed),
            (
                "45, 39, 1; 45, 39.001; 45.001, 39",
                FootprintError::Malformed,
            ),
            (
                r#"{"type":"Point","coordinates":[39,45]}"#,
                FootprintError::Malformed,
            ),
            (
                r#"{"type":"Polygon","coordinates":[[[39,45],[39.01,45],[39.01,45.01]],[[39.001,45.001],[39.002,45.001],[39.002,45.002]]]}"#,
                FootprintError::Malformed,
            ),
            ("POLYGON ((39 45, 39.001 45))", FootprintError::VertexCount),
            (
                "POLYGON 39 45, 39.001 45, 39 45.001",
                FootprintError::Malformed,
            ),
            ("{not json", FootprintError::Malformed),
        ];
        for (text, expected) in cases {
            assert_eq!(Footprint::parse(text), Err(expected), "{text:?}");
        }
        let many: Vec<LatLon> = (0..=MAX_VERTICES)
            .map(|i| {
                let angle = i as f64 / (MAX_VERTICES + 1) as f64 * std::f64::consts::TAU;
                LatLon {
                    lat: 45.0 + 0.001 * angle.sin(),
                    lon: 39.0 + 0.001 * angle.cos(),
                }
            })
            .collect();
        assert_eq!(Footprint::new(many), Err(FootprintError::VertexCount));
    }
}
