//! Municipalities and points: the wire and domain types of geography.

use serde::{Deserialize, Serialize};

use crate::i18n::Locale;
use platform::error::{FieldError, check_text, check_whole};
use platform::geo::LatLon;

pub use platform::ids::MunicipalityId;

/// A municipality, as a civic subject people follow (their feed shows what is new there).
pub const MUNICIPALITY: civic::subject::SubjectKind =
    civic::subject::SubjectKind::new("municipality");

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

/// A municipality's resident population as the population-weighted regional priority
/// rank uses it, with where the figure comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MunicipalPopulation {
    /// The municipality.
    pub id: MunicipalityId,
    /// Name in Russian.
    pub name_ru: String,
    /// Name in English.
    pub name_en: String,
    /// Residents.
    pub population: u32,
    /// Where the figure comes from and how exact it is.
    pub source: String,
}

impl MunicipalPopulation {
    /// The name in `locale`.
    pub fn name(&self, locale: Locale) -> &str {
        locale.pick(&self.name_ru, &self.name_en)
    }
}

/// The most residents a municipality is taken to have (Krasnodar, the largest, has about
/// a million): a typo of a few digits more is refused.
pub const MAX_POPULATION: u32 = 10_000_000;

/// A population as an admin types it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PopulationInput {
    /// Residents; spaces between digit groups are allowed ("1 099 344").
    pub population: String,
    /// Where the figure comes from.
    pub source: String,
}

impl PopulationInput {
    /// The population and its source (trimmed), or every refusal.
    pub fn validate(&self) -> Result<(u32, String), Vec<FieldError>> {
        let mut errors = Vec::new();
        let digits: String = self
            .population
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let population = check_whole("population", &digits, 1..=MAX_POPULATION, &mut errors);
        check_text("source", &self.source, 1, 255, &mut errors);
        match population {
            Some(population) if errors.is_empty() => {
                Ok((population, self.source.trim().to_string()))
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_population_is_a_whole_number_of_residents_with_its_source() {
        let typed = PopulationInput {
            population: "1 099 344".into(),
            source: " Росстат, перепись 2021 ".into(),
        };
        assert_eq!(
            typed.validate(),
            Ok((1_099_344, "Росстат, перепись 2021".to_string()))
        );
        let refused = PopulationInput {
            population: "12,5 тыс.".into(),
            source: String::new(),
        };
        let codes: Vec<String> = refused
            .validate()
            .expect_err("refused")
            .into_iter()
            .map(|error| error.field)
            .collect();
        assert_eq!(codes, ["population", "source"]);
        let too_many = PopulationInput {
            population: "99000000".into(),
            source: "опечатка".into(),
        };
        assert!(too_many.validate().is_err());
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
