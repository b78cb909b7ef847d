//! Property tests of the parsers that read what outsiders send (issue 19): generated
//! input, hostile shapes included, must be read or refused with a reason, never panic,
//! overflow a stack or take unbounded time. The CKAN query parser's are beside it, in
//! `opendata::ckan::search`, whose parser is private to the CKAN API.

use proptest::collection::vec;
use proptest::prelude::*;

use crate::constructions::footprint::Footprint;
use crate::constructions::import::workbook::read_registry;
use crate::geography::boundaries::{Boundary, parse_feature_collection};
use crate::opendata::table::read_table;
use crate::photos::process::process;
use platform::geo::LatLon;

/// Text built from `pieces`, `count` of them, chosen freely: the alphabet of one format,
/// so the generated input is near enough to valid to reach deep into the parser.
fn soup(pieces: &'static [&'static str], count: usize) -> impl Strategy<Value = String> {
    vec(proptest::sample::select(pieces), 0..count).prop_map(|parts| parts.concat())
}

/// A GeoJSON geometry with generated coordinates, nested as deep as the type says.
fn geometry() -> impl Strategy<Value = String> {
    let position = (-400.0..400.0f64, -200.0..200.0f64);
    let ring = vec(position, 0..12);
    let polygon = vec(ring, 0..4);
    (any::<bool>(), vec(polygon, 1..4)).prop_map(|(multi, polygons)| {
        let coordinates = |polygon: &Vec<Vec<(f64, f64)>>| {
            polygon
                .iter()
                .map(|ring| ring.iter().map(|(x, y)| vec![*x, *y]).collect::<Vec<_>>())
                .collect::<Vec<_>>()
        };
        if multi {
            let all: Vec<_> = polygons.iter().map(coordinates).collect();
            serde_json::json!({"type": "MultiPolygon", "coordinates": all}).to_string()
        } else {
            serde_json::json!({"type": "Polygon", "coordinates": coordinates(&polygons[0])})
                .to_string()
        }
    })
}

proptest! {
    #[test]
    fn boundary_files_of_any_text_are_read_or_refused(text in "\\PC{0,400}") {
        let _ = parse_feature_collection(&text);
    }

    #[test]
    fn deeply_nested_json_is_refused_without_overflow(depth in 0usize..20_000) {
        let text = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        prop_assert!(parse_feature_collection(&text).is_err());
        prop_assert!(Boundary::from_geojson_text(&text).is_none());
    }

    #[test]
    fn generated_geometries_are_read_and_answer_point_queries(
        geometry in geometry(),
        lat in -90.0..90.0f64,
        lon in -180.0..180.0f64,
    ) {
        let collection = format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"slug":"x"}},"geometry":{geometry}}}]}}"#
        );
        let _ = parse_feature_collection(&collection);
        if let Some(boundary) = Boundary::from_geojson_text(&geometry) {
            let _ = boundary.contains(LatLon { lat, lon });
        }
    }

    #[test]
    fn footprints_of_any_text_are_read_or_refused(
        text in soup(&["POLYGON", "((", "))", "(", ")", ",", " ", "45.0", "-38,9", "1e308",
                       "NaN", "[", "]", "{", "}", "\"coordinates\":", ":", ";", "EMPTY"], 200),
    ) {
        if let Ok(footprint) = Footprint::parse(&text) {
            let stored = footprint.to_geojson();
            prop_assert_eq!(Footprint::from_stored(&stored), Some(footprint));
        }
    }

    #[test]
    fn data_files_of_any_bytes_are_read_or_refused(bytes in vec(any::<u8>(), 0..2048)) {
        let _ = read_table(&bytes);
    }

    #[test]
    fn csv_like_data_files_are_read_or_refused(
        text in soup(&["a", "Б", ";", ",", "\t", "\"", "\"\"", "\n", "\r\n", "45,03", "", "=1+1",
                       "\u{feff}", "\u{202e}", "\0"], 400),
    ) {
        let _ = read_table(text.as_bytes());
    }

    #[test]
    fn workbooks_of_any_bytes_are_read_or_refused(
        signature in proptest::sample::select(vec![
            b"PK\x03\x04".to_vec(),
            vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1],
            Vec::new(),
        ]),
        rest in vec(any::<u8>(), 0..2048),
    ) {
        let bytes = [signature, rest].concat();
        let _ = read_registry(&bytes, "generated.xlsx");
    }

    #[test]
    fn photos_of_any_bytes_are_read_or_refused(
        signature in proptest::sample::select(vec![
            b"\x89PNG\r\n\x1a\n".to_vec(),
            vec![0xFF, 0xD8, 0xFF, 0xE0],
            b"RIFF\0\0\0\0WEBPVP8 ".to_vec(),
        ]),
        rest in vec(any::<u8>(), 0..2048),
    ) {
        let bytes = [signature, rest].concat();
        let _ = process(&bytes);
    }
}
