//! Municipalities and points: the wire and domain types of geography.

use serde::{Deserialize, Serialize};

use crate::i18n::Locale;
use crate::ids::id_type;

id_type!(
    /// One of the 44 municipalities of Krasnodar Krai.
    MunicipalityId
);

/// The two kinds of municipality in the Krai.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MunicipalityKind {
    /// A city okrug (городской округ), 7 in the Krai.
    CityOkrug,
    /// A municipal district (муниципальный район), 37 in the Krai.
    MunicipalDistrict,
}

impl MunicipalityKind {
    /// The value stored in `municipalities.kind`.
    pub fn as_db(self) -> &'static str {
        match self {
            Self::CityOkrug => "city_okrug",
            Self::MunicipalDistrict => "municipal_district",
        }
    }

    /// The kind stored as `value`.
    pub fn from_db(value: &str) -> Option<Self> {
        match value {
            "city_okrug" => Some(Self::CityOkrug),
            "municipal_district" => Some(Self::MunicipalDistrict),
            _ => None,
        }
    }
}

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

/// A municipality as lists and maps show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Municipality {
    /// Its id.
    pub id: MunicipalityId,
    /// Stable Latin identifier.
    pub slug: String,
    /// Name in Russian.
    pub name_ru: String,
    /// Name in English.
    pub name_en: String,
    /// City okrug or municipal district.
    pub kind: MunicipalityKind,
    /// Administrative centre in Russian.
    pub centre_name_ru: String,
    /// Administrative centre in English.
    pub centre_name_en: String,
    /// Where the administrative centre is.
    pub centre: LatLon,
    /// Whether a boundary polygon has been imported.
    pub has_boundary: bool,
}

impl Municipality {
    /// The name in `locale`.
    pub fn name(&self, locale: Locale) -> &str {
        match locale {
            Locale::Ru => &self.name_ru,
            Locale::En => &self.name_en,
        }
    }

    /// The administrative centre's name in `locale`.
    pub fn centre_name(&self, locale: Locale) -> &str {
        match locale {
            Locale::Ru => &self.centre_name_ru,
            Locale::En => &self.centre_name_en,
        }
    }
}

/// What a boundary import did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoundaryImportReport {
    /// Municipalities whose boundary was stored.
    pub updated: u32,
    /// Features whose municipality could not be identified (their names or slugs).
    pub unmatched: Vec<String>,
}

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
    fn kinds_round_trip_through_the_database_value() {
        for kind in [
            MunicipalityKind::CityOkrug,
            MunicipalityKind::MunicipalDistrict,
        ] {
            assert_eq!(MunicipalityKind::from_db(kind.as_db()), Some(kind));
        }
        assert_eq!(MunicipalityKind::from_db("village"), None);
    }
}
