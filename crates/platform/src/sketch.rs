//! A sketch drawn on the map: stops (points), a route (a line) or a zone (an area), read
//! from and written as a GeoJSON geometry.
//!
//! Browsers draw sketches and send them as GeoJSON; so can anyone with a GIS tool. The
//! server keeps one canonical form (six decimals, about 10 cm; an area's ring closed as
//! GeoJSON wants it), so a sketch reads back exactly as it was checked.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::error::ErrorCode;
use crate::geo::{LatLon, in_region};

/// Most vertices a sketch may have: a route across the whole region traced street by
/// street needs a few thousand.
pub const MAX_VERTICES: usize = 5_000;

/// What a sketch draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum SketchForm {
    /// Separate points: stops, crossings, places. GeoJSON `Point` or `MultiPoint`.
    Points,
    /// One line through its vertices in order: a route. GeoJSON `LineString`. It may
    /// cross itself: a loop route does.
    #[default]
    Line,
    /// One area without holes: a zone. GeoJSON `Polygon`; its outline may not cross
    /// itself.
    Area,
}

impl SketchForm {
    /// Every form, in the order a drawing tool offers them.
    pub const ALL: [SketchForm; 3] = [SketchForm::Line, SketchForm::Points, SketchForm::Area];

    /// The fewest vertices of a sketch of this form.
    pub fn min_vertices(self) -> usize {
        match self {
            SketchForm::Points => 1,
            SketchForm::Line => 2,
            SketchForm::Area => 3,
        }
    }

    /// Its name in forms and addresses.
    pub fn as_str(self) -> &'static str {
        match self {
            SketchForm::Points => "points",
            SketchForm::Line => "line",
            SketchForm::Area => "area",
        }
    }

    /// The form named `name`.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|form| form.as_str() == name)
    }
}

/// Why a text is not a usable sketch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SketchError {
    /// Not a GeoJSON Point, MultiPoint, LineString or Polygon (with one ring), or too few
    /// distinct vertices for its form.
    Malformed,
    /// More than [`MAX_VERTICES`] vertices.
    TooManyVertices,
    /// A vertex outside the region.
    OutsideRegion,
    /// An area whose outline crosses itself.
    SelfIntersecting,
}

impl SketchError {
    /// The form error's code.
    pub fn code(self) -> ErrorCode {
        match self {
            SketchError::Malformed => ErrorCode::Malformed,
            SketchError::TooManyVertices => ErrorCode::TooManyVertices {
                max: MAX_VERTICES as u32,
            },
            SketchError::OutsideRegion => ErrorCode::OutsideRegion,
            SketchError::SelfIntersecting => ErrorCode::SelfIntersecting,
        }
    }
}

/// A checked sketch: its form and its vertices (an area's first vertex not repeated).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sketch {
    form: SketchForm,
    vertices: Vec<LatLon>,
}

impl Sketch {
    /// The sketch of `form` through `vertices`, rounded to the stored precision; refused
    /// when it is not one a map can show as drawn.
    pub fn new(form: SketchForm, vertices: Vec<LatLon>) -> Result<Self, SketchError> {
        if vertices.len() > MAX_VERTICES + 1 {
            return Err(SketchError::TooManyVertices);
        }
        let mut vertices: Vec<LatLon> = vertices.into_iter().map(rounded).collect();
        if form == SketchForm::Area && vertices.len() > 1 && vertices.first() == vertices.last() {
            vertices.pop();
        }
        if vertices.len() > MAX_VERTICES {
            return Err(SketchError::TooManyVertices);
        }
        // Repeated clicks on one spot draw nothing: a line or an area keeps one of them.
        if form != SketchForm::Points {
            vertices.dedup();
        }
        if vertices.len() < form.min_vertices() {
            return Err(SketchError::Malformed);
        }
        if !vertices.iter().all(|vertex| in_region(*vertex)) {
            return Err(SketchError::OutsideRegion);
        }
        if form == SketchForm::Area {
            // Crossings first: a bow tie's two halves cancel out to no area at all.
            if ring_crosses_itself(&vertices) {
                return Err(SketchError::SelfIntersecting);
            }
            if twice_area(&vertices).abs() < 1e-12 {
                return Err(SketchError::Malformed);
            }
        }
        Ok(Self { form, vertices })
    }

    /// Reads a GeoJSON geometry, or a Feature holding one.
    pub fn parse(text: &str) -> Result<Self, SketchError> {
        let value: Value = serde_json::from_str(text.trim()).map_err(|_| SketchError::Malformed)?;
        let geometry = match value.get("type").and_then(Value::as_str) {
            Some("Feature") => value.get("geometry").ok_or(SketchError::Malformed)?,
            _ => &value,
        };
        let coordinates = geometry.get("coordinates").ok_or(SketchError::Malformed)?;
        let (form, positions) = match geometry.get("type").and_then(Value::as_str) {
            Some("Point") => (SketchForm::Points, vec![coordinates]),
            Some("MultiPoint") => (SketchForm::Points, array(coordinates)?),
            Some("LineString") => (SketchForm::Line, array(coordinates)?),
            Some("Polygon") => match array(coordinates)?.as_slice() {
                [ring] => (SketchForm::Area, array(ring)?),
                _ => return Err(SketchError::Malformed),
            },
            _ => return Err(SketchError::Malformed),
        };
        if positions.len() > MAX_VERTICES + 1 {
            return Err(SketchError::TooManyVertices);
        }
        let vertices = positions
            .into_iter()
            .map(position)
            .collect::<Result<Vec<_>, _>>()?;
        Self::new(form, vertices)
    }

    /// The sketch as it was stored; `None` when the stored text is not one (never written
    /// by this module).
    pub fn from_stored(text: &str) -> Option<Self> {
        Self::parse(text).ok()
    }

    /// What it draws.
    pub fn form(&self) -> SketchForm {
        self.form
    }

    /// Its vertices in order (an area's first not repeated).
    pub fn vertices(&self) -> &[LatLon] {
        &self.vertices
    }

    /// The canonical GeoJSON geometry: what is stored and served.
    pub fn to_geojson(&self) -> String {
        geojson_of(self.form, &self.vertices)
    }

    /// The length of a line in metres along its vertices (0 for points and areas).
    pub fn length_m(&self) -> f64 {
        match self.form {
            SketchForm::Line => self
                .vertices
                .windows(2)
                .map(|pair| pair[0].distance_m(pair[1]))
                .sum(),
            _ => 0.0,
        }
    }
}

/// The GeoJSON geometry of `form` through `vertices` (an area's first vertex not
/// repeated), written as it is, checked or not: a drawing tool sends what was drawn, and
/// [`Sketch::parse`] on the server says what is wrong with it.
pub fn geojson_of(form: SketchForm, vertices: &[LatLon]) -> String {
    let position = |vertex: &LatLon| json!([vertex.lon, vertex.lat]);
    let geometry = match (form, vertices) {
        (SketchForm::Points, [single]) => {
            json!({ "type": "Point", "coordinates": position(single) })
        }
        (SketchForm::Points, _) => json!({
            "type": "MultiPoint",
            "coordinates": vertices.iter().map(position).collect::<Vec<_>>(),
        }),
        (SketchForm::Line, _) => json!({
            "type": "LineString",
            "coordinates": vertices.iter().map(position).collect::<Vec<_>>(),
        }),
        (SketchForm::Area, _) => {
            let ring: Vec<Value> = vertices
                .iter()
                .chain(vertices.first())
                .map(position)
                .collect();
            json!({ "type": "Polygon", "coordinates": [ring] })
        }
    };
    geometry.to_string()
}

fn array(value: &Value) -> Result<Vec<&Value>, SketchError> {
    value
        .as_array()
        .map(|items| items.iter().collect())
        .ok_or(SketchError::Malformed)
}

/// A GeoJSON position: `[longitude, latitude]` (an altitude after them is ignored).
fn position(value: &Value) -> Result<LatLon, SketchError> {
    match value.as_array().map(Vec::as_slice) {
        Some([lon, lat, ..]) => {
            let (Some(lon), Some(lat)) = (lon.as_f64(), lat.as_f64()) else {
                return Err(SketchError::Malformed);
            };
            LatLon::new(lat, lon).ok_or(SketchError::Malformed)
        }
        _ => Err(SketchError::Malformed),
    }
}

fn rounded(vertex: LatLon) -> LatLon {
    let round = |degrees: f64| (degrees * 1e6).round() / 1e6;
    LatLon {
        lat: round(vertex.lat),
        lon: round(vertex.lon),
    }
}

/// Twice the signed area of the ring, in square degrees (the shoelace formula).
fn twice_area(ring: &[LatLon]) -> f64 {
    let next = ring.iter().cycle().skip(1);
    ring.iter()
        .zip(next)
        .map(|(a, b)| a.lon * b.lat - b.lon * a.lat)
        .sum()
}

/// Whether two edges of the closed ring that do not share a vertex touch or cross. A
/// sketch has at most [`MAX_VERTICES`] vertices, so comparing every pair of edges (about
/// 12.5 million for the largest) is cheap enough for one submission.
fn ring_crosses_itself(ring: &[LatLon]) -> bool {
    let count = ring.len();
    let edge = |index: usize| (ring[index], ring[(index + 1) % count]);
    (0..count).any(|first| {
        // Neighbouring edges share a vertex; the last edge also neighbours the first.
        let last_other = if first == 0 { count - 1 } else { count };
        (first + 2..last_other).any(|second| segments_touch(edge(first), edge(second)))
    })
}

/// Whether segments `a` and `b` have a point in common.
fn segments_touch(a: (LatLon, LatLon), b: (LatLon, LatLon)) -> bool {
    let side = |p: LatLon, q: LatLon, r: LatLon| {
        let value = (q.lon - p.lon) * (r.lat - p.lat) - (q.lat - p.lat) * (r.lon - p.lon);
        if value.abs() < 1e-15 {
            0
        } else if value > 0.0 {
            1
        } else {
            -1
        }
    };
    let within = |p: LatLon, q: LatLon, r: LatLon| {
        r.lon >= p.lon.min(q.lon)
            && r.lon <= p.lon.max(q.lon)
            && r.lat >= p.lat.min(q.lat)
            && r.lat <= p.lat.max(q.lat)
    };
    let (d1, d2) = (side(b.0, b.1, a.0), side(b.0, b.1, a.1));
    let (d3, d4) = (side(a.0, a.1, b.0), side(a.0, a.1, b.1));
    if d1 * d2 < 0 && d3 * d4 < 0 {
        return true;
    }
    (d1 == 0 && within(b.0, b.1, a.0))
        || (d2 == 0 && within(b.0, b.1, a.1))
        || (d3 == 0 && within(a.0, a.1, b.0))
        || (d4 == 0 && within(a.0, a.1, b.1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(lat: f64, lon: f64) -> LatLon {
        LatLon::new(lat, lon).expect("a valid point")
    }

    /// A square of side `size` degrees in Krasnodar.
    fn square(size: f64) -> Vec<LatLon> {
        vec![
            point(45.0, 39.0),
            point(45.0, 39.0 + size),
            point(45.0 + size, 39.0 + size),
            point(45.0 + size, 39.0),
        ]
    }

    #[test]
    fn each_geometry_reads_as_its_form_and_writes_back_the_same() {
        let cases = [
            (
                r#"{"type":"Point","coordinates":[38.97,45.04]}"#,
                SketchForm::Points,
                1,
            ),
            (
                r#"{"type":"MultiPoint","coordinates":[[38.97,45.04],[38.98,45.05]]}"#,
                SketchForm::Points,
                2,
            ),
            (
                r#"{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[38.97,45.04],[38.98,45.05],[38.99,45.04]]}}"#,
                SketchForm::Line,
                3,
            ),
            (
                r#"{"type":"Polygon","coordinates":[[[38.97,45.04],[38.98,45.04],[38.98,45.05],[38.97,45.04]]]}"#,
                SketchForm::Area,
                3,
            ),
        ];
        for (text, form, vertices) in cases {
            let sketch = Sketch::parse(text).unwrap_or_else(|error| panic!("{text}: {error:?}"));
            assert_eq!(sketch.form(), form, "{text}");
            assert_eq!(sketch.vertices().len(), vertices, "{text}");
            let stored = sketch.to_geojson();
            assert_eq!(Sketch::parse(&stored), Ok(sketch.clone()), "{stored}");
            assert_eq!(Sketch::parse(&stored).map(|s| s.to_geojson()), Ok(stored));
        }
    }

    #[test]
    fn the_stored_form_has_six_decimals_and_a_closed_ring() {
        let sketch = Sketch::new(
            SketchForm::Area,
            vec![
                point(45.0000001, 39.0),
                point(45.0, 39.1),
                point(45.1, 39.1),
            ],
        )
        .expect("an area");
        let stored: Value = serde_json::from_str(&sketch.to_geojson()).expect("JSON");
        assert_eq!(
            stored,
            json!({
                "type": "Polygon",
                "coordinates": [[[39.0, 45.0], [39.1, 45.0], [39.1, 45.1], [39.0, 45.0]]],
            })
        );
    }

    #[test]
    fn sketches_that_cannot_be_drawn_are_refused_with_their_reason() {
        let refusals = [
            ("not json", SketchError::Malformed),
            (
                r#"{"type":"LineString","coordinates":[[38.97,45.04]]}"#,
                SketchError::Malformed,
            ),
            (
                r#"{"type":"Circle","coordinates":[38.97,45.04]}"#,
                SketchError::Malformed,
            ),
            (
                r#"{"type":"Point","coordinates":["a","b"]}"#,
                SketchError::Malformed,
            ),
            (
                r#"{"type":"Polygon","coordinates":[[[38.97,45.04],[38.98,45.04],[38.98,45.05]],[[38.97,45.04],[38.98,45.04],[38.98,45.05]]]}"#,
                SketchError::Malformed,
            ),
            (
                r#"{"type":"Point","coordinates":[37.6,55.75]}"#,
                SketchError::OutsideRegion,
            ),
            (
                r#"{"type":"LineString","coordinates":[[38.97,45.04],[37.6,55.75]]}"#,
                SketchError::OutsideRegion,
            ),
        ];
        for (text, error) in refusals {
            assert_eq!(Sketch::parse(text), Err(error), "{text}");
        }
        let collinear = vec![point(45.0, 39.0), point(45.0, 39.1), point(45.0, 39.2)];
        assert_eq!(
            Sketch::new(SketchForm::Area, collinear),
            Err(SketchError::Malformed)
        );
    }

    #[test]
    fn an_area_may_not_cross_itself_but_a_route_may() {
        // A bow tie: the second and fourth edges cross.
        let bow_tie = vec![
            point(45.0, 39.0),
            point(45.1, 39.1),
            point(45.1, 39.0),
            point(45.0, 39.1),
        ];
        assert_eq!(
            Sketch::new(SketchForm::Area, bow_tie.clone()),
            Err(SketchError::SelfIntersecting)
        );
        assert!(Sketch::new(SketchForm::Line, bow_tie).is_ok());
        // An outline that comes back to touch one of its own vertices.
        let touching = vec![
            point(45.0, 39.0),
            point(45.0, 39.2),
            point(45.1, 39.1),
            point(45.0, 39.1),
            point(45.05, 39.05),
        ];
        assert_eq!(
            Sketch::new(SketchForm::Area, touching),
            Err(SketchError::SelfIntersecting)
        );
        assert!(Sketch::new(SketchForm::Area, square(0.1)).is_ok());
    }

    #[test]
    fn at_most_five_thousand_vertices() {
        let line = |count: usize| {
            (0..count)
                .map(|i| point(45.0 + i as f64 * 1e-4, 39.0))
                .collect::<Vec<_>>()
        };
        assert!(Sketch::new(SketchForm::Line, line(MAX_VERTICES)).is_ok());
        assert_eq!(
            Sketch::new(SketchForm::Line, line(MAX_VERTICES + 1)),
            Err(SketchError::TooManyVertices)
        );
        // The largest area allowed is checked whole: a circle of 5,000 vertices.
        let circle: Vec<LatLon> = (0..MAX_VERTICES)
            .map(|i| {
                let angle = i as f64 / MAX_VERTICES as f64 * std::f64::consts::TAU;
                point(45.0 + 0.2 * angle.sin(), 39.0 + 0.2 * angle.cos())
            })
            .collect();
        assert!(Sketch::new(SketchForm::Area, circle).is_ok());
        let many = format!(
            r#"{{"type":"LineString","coordinates":[{}]}}"#,
            vec!["[39.0,45.0]"; MAX_VERTICES + 2].join(",")
        );
        assert_eq!(Sketch::parse(&many), Err(SketchError::TooManyVertices));
    }

    #[test]
    fn a_line_knows_its_length() {
        let line = Sketch::new(
            SketchForm::Line,
            vec![point(45.0, 39.0), point(45.01, 39.0)],
        )
        .expect("a line");
        assert!(
            (line.length_m() - 1_112.0).abs() < 2.0,
            "{}",
            line.length_m()
        );
    }
}
