//! Municipalities and points: the wire and domain types of geography.

use serde::{Deserialize, Serialize};

use crate::i18n::Locale;
use platform::geo::LatLon;

pub use platform::ids::MunicipalityId;

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
        locale.pick(&self.name_ru, &self.name_en)
    }

    /// The administrative centre's name in `locale`.
    pub fn centre_name(&self, locale: Locale) -> &str {
        locale.pick(&self.centre_name_ru, &self.centre_name_en)
    }
}

/// A municipality as pages name it and place it on a map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MunicipalityName {
    /// Its id.
    pub id: MunicipalityId,
    /// Name in Russian.
    pub name_ru: String,
    /// Name in English.
    pub name_en: String,
    /// Where the administrative centre is.
    pub centre: LatLon,
}

impl MunicipalityName {
    /// The name in `locale`.
    pub fn name(&self, locale: Locale) -> &str {
        locale.pick(&self.name_ru, &self.name_en)
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
