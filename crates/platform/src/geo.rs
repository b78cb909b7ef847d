//! Geography every feature shares: WGS84 points, the region's bounds, coordinates as
//! typed in forms, and the map's viewport and clusters.

use serde::{Deserialize, Serialize};

use crate::error::{ErrorCode, FieldError};

/// A WGS84 point in decimal degrees.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LatLon {
    /// Latitude, -90..=90.
    pub lat: f64,
    /// Longitude, -180..=180.
    pub lon: f64,
}

impl LatLon {
    /// A point, if both coordinates are finite and in range.
    pub fn new(lat: f64, lon: f64) -> Option<Self> {
        let valid = lat.is_finite()
            && lon.is_finite()
            && (-90.0..=90.0).contains(&lat)
            && (-180.0..=180.0).contains(&lon);
        valid.then_some(Self { lat, lon })
    }

    /// Great-circle distance to `other` in metres (haversine, mean Earth radius).
    pub fn distance_m(self, other: LatLon) -> f64 {
        const EARTH_RADIUS_M: f64 = 6_371_008.8;
        let (lat1, lat2) = (self.lat.to_radians(), other.lat.to_radians());
        let d_lat = lat2 - lat1;
        let d_lon = (other.lon - self.lon).to_radians();
        let a = (d_lat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (d_lon / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_M * a.sqrt().asin()
    }
}

/// The rough bounding box of Krasnodar Krai (with a margin for the coast and the islands):
/// points outside it are certainly not the region's business.
pub const REGION_BOUNDS: (LatLon, LatLon) = (
    LatLon {
        lat: 43.2,
        lon: 36.4,
    },
    LatLon {
        lat: 47.0,
        lon: 41.9,
    },
);

/// Whether `point` lies in the region's bounding box.
pub fn in_region(point: LatLon) -> bool {
    let (south_west, north_east) = REGION_BOUNDS;
    (south_west.lat..=north_east.lat).contains(&point.lat)
        && (south_west.lon..=north_east.lon).contains(&point.lon)
}

/// Parses a coordinate typed with a dot or a comma.
pub fn parse_coordinate(text: &str) -> Option<f64> {
    text.trim().replace(',', ".").parse::<f64>().ok()
}

/// The point typed as two coordinates, or the refusal of field `point` pushed onto
/// `errors`: empty, not numbers, or outside the region.
pub fn parse_point(lat: &str, lon: &str, errors: &mut Vec<FieldError>) -> Option<LatLon> {
    let refuse = |errors: &mut Vec<FieldError>, code| {
        errors.push(FieldError::new("point", code));
        None
    };
    match (parse_coordinate(lat), parse_coordinate(lon)) {
        (Some(lat), Some(lon)) => match LatLon::new(lat, lon) {
            Some(point) if in_region(point) => Some(point),
            Some(_) => refuse(errors, ErrorCode::OutsideRegion),
            None => refuse(errors, ErrorCode::Malformed),
        },
        _ if lat.trim().is_empty() && lon.trim().is_empty() => refuse(errors, ErrorCode::Required),
        _ => refuse(errors, ErrorCode::Malformed),
    }
}

/// A map marker: one row (a problem, a registry entry, a report), or a cluster of several.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MapCluster {
    /// The mean point of its rows.
    pub point: LatLon,
    /// How many rows.
    pub count: u64,
    /// The row's id, when the cluster holds exactly one.
    pub single: Option<u64>,
}

/// A viewport of the map.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Viewport {
    /// South-west corner.
    pub south_west: LatLon,
    /// North-east corner.
    pub north_east: LatLon,
    /// Leaflet zoom level.
    pub zoom: u8,
}

/// The most grid cells the clusters of one viewport may span: a 4K screen holds about
/// 2,300 cells of 60 pixels, so only a crafted request (the whole world at street zoom)
/// comes near it.
pub const MAX_CLUSTER_CELLS: f64 = 4096.0;

impl Viewport {
    /// The viewport a client asked for, or `None` when a corner is out of range or the
    /// corners are swapped. Its zoom is lowered until its grid has at most
    /// `MAX_CLUSTER_CELLS` cells: the whole world at street zoom would otherwise return
    /// one marker per row.
    pub fn requested(south: f64, west: f64, north: f64, east: f64, zoom: u8) -> Option<Self> {
        let south_west = LatLon::new(south, west)?;
        let north_east = LatLon::new(north, east)?;
        if south > north || west > east {
            return None;
        }
        let mut viewport = Self {
            south_west,
            north_east,
            zoom: zoom.min(MAX_ZOOM),
        };
        while viewport.zoom > 0 && viewport.cells() > MAX_CLUSTER_CELLS {
            viewport.zoom -= 1;
        }
        Some(viewport)
    }

    /// The side of a cluster cell in degrees: about 60 screen pixels at this zoom, so
    /// neighbouring markers never overlap, and the query returns at most a few hundred cells.
    pub fn cell_degrees(self) -> f64 {
        let zoom = i32::from(self.zoom.min(MAX_ZOOM));
        360.0 / 2f64.powi(zoom) * (60.0 / 256.0)
    }

    /// How many grid cells the viewport spans at its zoom.
    fn cells(self) -> f64 {
        let cell = self.cell_degrees();
        let rows = ((self.north_east.lat - self.south_west.lat) / cell).ceil();
        let columns = ((self.north_east.lon - self.south_west.lon) / cell).ceil();
        rows.max(1.0) * columns.max(1.0)
    }
}

/// The finest zoom a cluster grid is made for (Leaflet's street level and a step beyond).
const MAX_ZOOM: u8 = 20;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_out_of_range_are_refused() {
        assert!(LatLon::new(45.0, 39.0).is_some());
        assert!(LatLon::new(91.0, 39.0).is_none());
        assert!(LatLon::new(45.0, -181.0).is_none());
        assert!(LatLon::new(f64::NAN, 39.0).is_none());
    }

    #[test]
    fn distance_krasnodar_to_sochi_is_about_170_km() {
        let krasnodar = LatLon {
            lat: 45.0355,
            lon: 38.9753,
        };
        let sochi = LatLon {
            lat: 43.5853,
            lon: 39.7231,
        };
        let km = krasnodar.distance_m(sochi) / 1000.0;
        assert!((165.0..175.0).contains(&km), "{km}");
    }

    #[test]
    fn cluster_cells_halve_with_every_zoom_level() {
        let view = |zoom| Viewport {
            south_west: LatLon {
                lat: 44.0,
                lon: 37.0,
            },
            north_east: LatLon {
                lat: 46.0,
                lon: 40.0,
            },
            zoom,
        };
        let z8 = view(8).cell_degrees();
        assert!((z8 / view(9).cell_degrees() - 2.0).abs() < 1e-12);
        assert!((z8 - 360.0 / 256.0 * 60.0 / 256.0).abs() < 1e-12);
    }

    #[test]
    fn a_requested_viewport_never_spans_more_than_the_cell_cap() {
        let street = Viewport::requested(45.02, 38.95, 45.05, 39.0, 17).expect("in range");
        assert_eq!(street.zoom, 17, "a screen-sized view keeps its zoom");
        let world = Viewport::requested(-90.0, -180.0, 90.0, 180.0, 20).expect("in range");
        assert!(world.cells() <= MAX_CLUSTER_CELLS, "{}", world.cells());
        assert!(world.zoom < 6, "zoomed out to {}", world.zoom);
        let coarser = Viewport {
            zoom: world.zoom + 1,
            ..world
        };
        assert!(
            coarser.cells() > MAX_CLUSTER_CELLS,
            "lowered no further than needed"
        );
        assert_eq!(
            Viewport::requested(46.0, 38.0, 45.0, 39.0, 10),
            None,
            "swapped"
        );
        assert_eq!(Viewport::requested(f64::NAN, 38.0, 45.0, 39.0, 10), None);
        assert_eq!(Viewport::requested(45.0, 38.0, 95.0, 39.0, 10), None);
    }

    proptest::proptest! {
        /// Whatever corners and zoom a client sends, the grid stays within the cap.
        #[test]
        fn requested_viewports_stay_within_the_cell_cap(
            south in -90.0..90.0f64,
            west in -180.0..180.0f64,
            height in 0.0..180.0f64,
            width in 0.0..360.0f64,
            zoom in proptest::prelude::any::<u8>(),
        ) {
            let (north, east) = ((south + height).min(90.0), (west + width).min(180.0));
            let viewport = Viewport::requested(south, west, north, east, zoom);
            let viewport = viewport.expect("corners in range and in order");
            proptest::prop_assert!(viewport.cells() <= MAX_CLUSTER_CELLS);
            proptest::prop_assert!(viewport.zoom <= zoom.min(MAX_ZOOM));
        }
    }
}
