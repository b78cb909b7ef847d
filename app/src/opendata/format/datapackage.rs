//! Frictionless Data Package v2 descriptor (`datapackage.json`) of a dataset folder.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::names::{FileName, Format, parse_file_name};
use super::passport::Passport;
use super::structure::{Structure, coordinate_range};
use super::text::pretty_json;

/// Profile the descriptor declares, as the Frictionless v2 spec recommends.
const DATAPACKAGE_PROFILE: &str = "https://datapackage.org/profiles/2.0/datapackage.json";

/// A licence entry of the descriptor (`name` and/or `path` per spec; we give both).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct License {
    /// SPDX-style identifier, e.g. `CC-BY-4.0`.
    pub name: String,
    /// URL of the licence text.
    pub path: String,
}

impl License {
    /// Creative Commons Attribution 4.0: free, commercial use allowed, attribution only,
    /// which is what the terms of use of Russian open data require.
    pub fn cc_by_4() -> License {
        License {
            name: "CC-BY-4.0".to_owned(),
            path: "https://creativecommons.org/licenses/by/4.0/".to_owned(),
        }
    }
}

impl Default for License {
    fn default() -> Self {
        License::cc_by_4()
    }
}

/// Why a descriptor cannot be built for the given file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DataPackageError {
    /// The name is not `data-<v>-structure-<s>.<ext>`.
    #[error("{0:?} is not a data file name")]
    NotADataFile(String),
    /// Frictionless reads CSV and JSON tables, not XML.
    #[error("Frictionless cannot read {0} data files")]
    UnsupportedFormat(Format),
    /// The file was written with another structure version than the one given.
    #[error("data file conforms to structure {file}, not {structure}")]
    StructureMismatch {
        /// Structure date in the file name.
        file: NaiveDate,
        /// Version of the structure given.
        structure: NaiveDate,
    },
}

/// The descriptor, fields in the order of the reference example.
#[derive(Serialize)]
struct Package<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    name: &'a str,
    title: &'a str,
    licenses: [&'a License; 1],
    resources: [Resource<'a>; 1],
}

/// The one tabular resource: the latest data file.
#[derive(Serialize)]
struct Resource<'a> {
    name: &'a str,
    /// `table` for JSON: frictionless-py otherwise treats a `.json` path as an opaque file
    /// and reports it VALID without reading a row. CSV is recognised as a table by itself
    /// (and the reference example has no `type`).
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    kind: Option<&'static str>,
    path: &'a str,
    format: &'static str,
    mediatype: &'static str,
    encoding: &'static str,
    schema: TableSchema<'a>,
}

/// Table Schema built from the structure.
#[derive(Serialize)]
struct TableSchema<'a> {
    fields: Vec<Field<'a>>,
}

/// One Table Schema field: Russian description as `title`, English as `description`.
#[derive(Serialize)]
struct Field<'a> {
    name: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "str::is_empty")]
    title: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    description: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    constraints: Option<Constraints>,
}

/// Range constraints of a coordinate field.
#[derive(Serialize)]
struct Constraints {
    minimum: i64,
    maximum: i64,
}

/// `datapackage.json` with the CC BY 4.0 licence; see [`datapackage_json_with_license`].
pub fn datapackage_json(
    passport: &Passport,
    structure: &Structure,
    latest_data_file: &str,
) -> Result<String, DataPackageError> {
    datapackage_json_with_license(passport, structure, latest_data_file, &License::cc_by_4())
}

/// `datapackage.json` describing the latest data file of a dataset.
///
/// Package name is the passport identifier; the one resource is named after the file
/// without extension and points to it by a relative path (Frictionless rejects absolute
/// paths as unsafe), so the descriptor must sit in the dataset folder. Latitude and
/// longitude columns are `number` fields constrained to ±90 / ±180; Table Schema's
/// `geopoint` is for a single "lon, lat" column, which v3.0 structures do not have.
pub fn datapackage_json_with_license(
    passport: &Passport,
    structure: &Structure,
    latest_data_file: &str,
    license: &License,
) -> Result<String, DataPackageError> {
    let Some(FileName::Data {
        structure: file_structure,
        format,
        ..
    }) = parse_file_name(latest_data_file)
    else {
        return Err(DataPackageError::NotADataFile(latest_data_file.to_owned()));
    };
    if format == Format::Xml {
        return Err(DataPackageError::UnsupportedFormat(format));
    }
    if file_structure != structure.version {
        return Err(DataPackageError::StructureMismatch {
            file: file_structure,
            structure: structure.version,
        });
    }
    // parse_file_name accepted it, so the name has an extension to strip.
    let stem = latest_data_file
        .rsplit_once('.')
        .map_or(latest_data_file, |(stem, _)| stem);
    let fields = structure
        .columns
        .iter()
        .enumerate()
        .map(|(index, column)| Field {
            name: &column.name,
            kind: column.kind.frictionless_type(),
            title: &column.russian,
            description: &column.english,
            constraints: coordinate_range(structure, index)
                .map(|(minimum, maximum)| Constraints { minimum, maximum }),
        })
        .collect();
    Ok(pretty_json(&Package {
        schema: DATAPACKAGE_PROFILE,
        name: &passport.identifier,
        title: &passport.title,
        licenses: [license],
        resources: [Resource {
            name: stem,
            kind: (format == Format::Json).then_some("table"),
            path: latest_data_file,
            format: format.extension(),
            mediatype: format.media_type(),
            encoding: "utf-8",
            schema: TableSchema { fields },
        }],
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::opendata::format::passport::DataVersion;
    use crate::opendata::format::structure::{Column, ColumnType};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    fn passport() -> Passport {
        Passport {
            identifier: "7712345678-showrooms".into(),
            title: "Список выставочных залов".into(),
            description: "Описание".into(),
            creator: "Министерство культуры".into(),
            publisher_name: "Иванов Иван Иванович".into(),
            publisher_phone: "+74951234567".into(),
            publisher_mbox: "ivanov@example.com".into(),
            subject: vec!["культура".into()],
            created: d(2013, 4, 1),
            modified: d(2013, 6, 1),
            provenance: "Изменение данных".into(),
            valid: d(2013, 7, 1),
            format: Format::Csv,
            data_versions: vec![DataVersion {
                version: d(2013, 6, 1),
                structure: d(2013, 4, 1),
                provenance: "Изменение данных".into(),
                valid: d(2013, 7, 1),
            }],
            structure_versions: vec![d(2013, 4, 1)],
        }
    }

    fn structure() -> Structure {
        Structure {
            version: d(2013, 4, 1),
            columns: vec![
                Column::new("opened", "Opening date", "Дата открытия", ColumnType::Date),
                Column::new("lat", "", "", ColumnType::Number),
                Column::new("lon", "", "", ColumnType::Number),
            ],
            latitude: Some(1),
            longitude: Some(2),
        }
    }

    #[test]
    fn json_resource_and_both_coordinates() {
        let text = datapackage_json(
            &passport(),
            &structure(),
            "data-20130601-structure-20130401.json",
        )
        .expect("descriptor");
        let doc: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        let resource = &doc["resources"][0];
        assert_eq!(resource["type"], "table");
        assert_eq!(resource["format"], "json");
        assert_eq!(resource["mediatype"], "application/json");
        assert_eq!(
            resource["schema"]["fields"],
            serde_json::json!([
                {"name": "opened", "type": "date", "title": "Дата открытия", "description": "Opening date"},
                {"name": "lat", "type": "number", "constraints": {"minimum": -90, "maximum": 90}},
                {"name": "lon", "type": "number", "constraints": {"minimum": -180, "maximum": 180}}
            ])
        );
    }

    #[test]
    fn custom_license() {
        let license = License {
            name: "ODbL-1.0".into(),
            path: "https://opendatacommons.org/licenses/odbl/1-0/".into(),
        };
        let text = datapackage_json_with_license(
            &passport(),
            &structure(),
            "data-20130601-structure-20130401.csv",
            &license,
        )
        .expect("descriptor");
        assert!(text.contains("\"name\": \"ODbL-1.0\""));
        assert!(
            !text.contains("\"type\": \"table\""),
            "CSV needs no resource type"
        );
        assert_eq!(License::default(), License::cc_by_4());
    }

    #[test]
    fn refuses_wrong_files() {
        assert_eq!(
            datapackage_json(&passport(), &structure(), "meta.csv"),
            Err(DataPackageError::NotADataFile("meta.csv".into()))
        );
        assert_eq!(
            datapackage_json(
                &passport(),
                &structure(),
                "data-20130601-structure-20130401.xml"
            ),
            Err(DataPackageError::UnsupportedFormat(Format::Xml))
        );
        assert_eq!(
            datapackage_json(
                &passport(),
                &structure(),
                "data-20130601-structure-20130501.csv"
            ),
            Err(DataPackageError::StructureMismatch {
                file: d(2013, 5, 1),
                structure: d(2013, 4, 1)
            })
        );
    }
}
