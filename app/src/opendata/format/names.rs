//! Formats and the v3.0 file-naming scheme of a dataset folder.
//!
//! The folder `/opendata/<ИНН>-<код>/` holds `meta.*`, every `data-<v>-structure-<s>.*` and
//! every `structure-<s>.*`; the section root holds `list.*`. Versions are written
//! `YYYYMMDD` (ISO 8601 basic format, day precision, which v3.0 allows).

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// Format of a data file, a passport or a registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// RFC 4180 CSV in UTF-8 with CRLF line ends.
    Csv,
    /// XML in UTF-8, described by an XSD structure file.
    Xml,
    /// JSON, described by a JSON Schema structure file.
    Json,
}

impl Format {
    /// All formats, in the order the portal lists them.
    pub const ALL: [Format; 3] = [Format::Csv, Format::Xml, Format::Json];

    /// File extension without the dot; also the word v3.0 puts in the passport `format` field.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xml => "xml",
            Format::Json => "json",
        }
    }

    /// HTTP `Content-Type` to serve a file of this format with.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Xml => "application/xml; charset=utf-8",
            // JSON is UTF-8 by definition (RFC 8259), and the media type has no charset parameter.
            Format::Json => "application/json",
        }
    }

    /// Bare IANA media type, without parameters (Frictionless `mediatype`, DCAT `dcat:mediaType`).
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv",
            Format::Xml => "application/xml",
            Format::Json => "application/json",
        }
    }

    /// The format whose extension is exactly `ext` (lowercase, no dot).
    pub fn from_extension(ext: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.extension() == ext)
    }

    /// The structure file that describes data files of this format (XML data needs an XSD).
    pub fn structure_format(self) -> StructureFormat {
        match self {
            Format::Csv => StructureFormat::Csv,
            Format::Xml => StructureFormat::Xsd,
            Format::Json => StructureFormat::Json,
        }
    }

    /// Code of the EU file-type authority table (`…/authority/file-type/CSV`).
    pub(crate) fn eu_file_type(self) -> &'static str {
        match self {
            Format::Csv => "CSV",
            Format::Xml => "XML",
            Format::Json => "JSON",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.extension())
    }
}

/// Format of a structure file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StructureFormat {
    /// `structure-<v>.csv`: `field name,english description,russian description,format`.
    Csv,
    /// `structure-<v>.xsd`: XML Schema of the XML data files.
    Xsd,
    /// `structure-<v>.json`: JSON Schema of the JSON data files.
    Json,
}

impl StructureFormat {
    /// All structure formats.
    pub const ALL: [StructureFormat; 3] = [
        StructureFormat::Csv,
        StructureFormat::Xsd,
        StructureFormat::Json,
    ];

    /// File extension without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            StructureFormat::Csv => "csv",
            StructureFormat::Xsd => "xsd",
            StructureFormat::Json => "json",
        }
    }

    /// HTTP `Content-Type` to serve a structure file with.
    pub fn content_type(self) -> &'static str {
        match self {
            StructureFormat::Csv => "text/csv; charset=utf-8",
            // An XSD is an XML document; browsers and validators expect an XML type.
            StructureFormat::Xsd => "application/xml; charset=utf-8",
            StructureFormat::Json => "application/schema+json",
        }
    }

    /// The structure format whose extension is exactly `ext`.
    pub fn from_extension(ext: &str) -> Option<StructureFormat> {
        StructureFormat::ALL
            .into_iter()
            .find(|f| f.extension() == ext)
    }
}

impl fmt::Display for StructureFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.extension())
    }
}

/// Name of the Frictionless descriptor kept next to the v3.0 files of a dataset.
pub const DATAPACKAGE_FILE_NAME: &str = "datapackage.json";

/// `data-YYYYMMDD-structure-YYYYMMDD.<ext>`: one published data version.
pub fn data_file_name(version: NaiveDate, structure: NaiveDate, format: Format) -> String {
    format!("{}.{}", data_stem(version, structure), format.extension())
}

/// `structure-YYYYMMDD.<ext>`: one structure version.
pub fn structure_file_name(version: NaiveDate, format: StructureFormat) -> String {
    format!("{}.{}", structure_stem(version), format.extension())
}

/// `meta.<ext>`: the machine-readable passport of a dataset.
pub fn meta_file_name(format: Format) -> String {
    format!("meta.{}", format.extension())
}

/// `list.<ext>`: the registry of the open-data section.
pub fn list_file_name(format: Format) -> String {
    format!("list.{}", format.extension())
}

/// Data file name without extension: the key v3.0 `meta.csv` rows use.
pub(crate) fn data_stem(version: NaiveDate, structure: NaiveDate) -> String {
    format!(
        "data-{}-structure-{}",
        compact_date(version),
        compact_date(structure)
    )
}

/// Structure file name without extension: the key v3.0 `meta.csv` rows use.
pub(crate) fn structure_stem(version: NaiveDate) -> String {
    format!("structure-{}", compact_date(version))
}

/// `YYYYMMDD`, the date form of passports and file names.
pub(crate) fn compact_date(date: NaiveDate) -> String {
    format!("{:04}{:02}{:02}", date.year(), date.month(), date.day())
}

/// `YYYY-MM-DD`, the date form of data cells, DCAT and JSON Schema.
pub(crate) fn iso_date(date: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day())
}

/// Years that print as exactly four digits; XSD 1.0 `xs:date` also has no year 0000.
pub(crate) fn date_in_range(date: NaiveDate) -> bool {
    (1..=9999).contains(&date.year())
}

/// Parses exactly eight ASCII digits `YYYYMMDD` into a real calendar date.
fn parse_compact_date(s: &str) -> Option<NaiveDate> {
    if s.len() != 8 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // All eight bytes are ASCII digits, so slicing at byte offsets is safe and parse cannot fail.
    let year = s[0..4].parse().ok()?;
    let month = s[4..6].parse().ok()?;
    let day = s[6..8].parse().ok()?;
    NaiveDate::from_ymd_opt(year, month, day).filter(|d| date_in_range(*d))
}

/// A file of a dataset folder or of the section root, as recognised by [`parse_file_name`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileName {
    /// `data-<version>-structure-<structure>.<format>`.
    Data {
        /// Date of the data version.
        version: NaiveDate,
        /// Date of the structure version the data conforms to.
        structure: NaiveDate,
        /// Format of the file.
        format: Format,
    },
    /// `structure-<version>.<format>`.
    Structure {
        /// Date of the structure version.
        version: NaiveDate,
        /// Format of the file.
        format: StructureFormat,
    },
    /// `meta.<format>`: the passport.
    Meta(Format),
    /// `list.<format>`: the registry.
    List(Format),
    /// `datapackage.json`: the Frictionless descriptor.
    DataPackage,
}

impl FileName {
    /// HTTP `Content-Type` to serve this file with.
    pub fn content_type(&self) -> &'static str {
        match self {
            FileName::Data { format, .. } | FileName::Meta(format) | FileName::List(format) => {
                format.content_type()
            }
            FileName::Structure { format, .. } => format.content_type(),
            FileName::DataPackage => Format::Json.content_type(),
        }
    }
}

impl fmt::Display for FileName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            FileName::Data {
                version,
                structure,
                format,
            } => f.write_str(&data_file_name(version, structure, format)),
            FileName::Structure { version, format } => {
                f.write_str(&structure_file_name(version, format))
            }
            FileName::Meta(format) => f.write_str(&meta_file_name(format)),
            FileName::List(format) => f.write_str(&list_file_name(format)),
            FileName::DataPackage => f.write_str(DATAPACKAGE_FILE_NAME),
        }
    }
}

/// Recognises the file names this crate produces, for routing `/opendata/…` requests.
///
/// Strict on purpose: only the exact `YYYYMMDD` form and lowercase extensions are accepted,
/// so every accepted name maps back to one canonical file (`to_string()` gives it back).
pub fn parse_file_name(name: &str) -> Option<FileName> {
    if name == DATAPACKAGE_FILE_NAME {
        return Some(FileName::DataPackage);
    }
    let (stem, ext) = name.rsplit_once('.')?;
    match stem {
        "meta" => return Format::from_extension(ext).map(FileName::Meta),
        "list" => return Format::from_extension(ext).map(FileName::List),
        _ => {}
    }
    if let Some(rest) = stem.strip_prefix("data-") {
        let (version, structure) = rest.split_once("-structure-")?;
        return Some(FileName::Data {
            version: parse_compact_date(version)?,
            structure: parse_compact_date(structure)?,
            format: Format::from_extension(ext)?,
        });
    }
    if let Some(version) = stem.strip_prefix("structure-") {
        return Some(FileName::Structure {
            version: parse_compact_date(version)?,
            format: StructureFormat::from_extension(ext)?,
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    #[test]
    fn format_words_and_types() {
        assert_eq!(Format::Csv.extension(), "csv");
        assert_eq!(Format::Xml.extension(), "xml");
        assert_eq!(Format::Json.extension(), "json");
        assert_eq!(Format::Csv.content_type(), "text/csv; charset=utf-8");
        assert_eq!(Format::Xml.content_type(), "application/xml; charset=utf-8");
        assert_eq!(Format::Json.content_type(), "application/json");
        assert_eq!(Format::Csv.media_type(), "text/csv");
        assert_eq!(Format::from_extension("xml"), Some(Format::Xml));
        assert_eq!(Format::from_extension("XML"), None);
        assert_eq!(Format::Xml.structure_format(), StructureFormat::Xsd);
        assert_eq!(Format::Json.to_string(), "json");
        assert_eq!(
            serde_json::to_string(&Format::Csv).expect("serialises"),
            "\"csv\""
        );
    }

    #[test]
    fn structure_format_words() {
        assert_eq!(StructureFormat::Xsd.extension(), "xsd");
        assert_eq!(
            StructureFormat::from_extension("xsd"),
            Some(StructureFormat::Xsd)
        );
        assert_eq!(StructureFormat::from_extension("xml"), None);
        assert_eq!(
            StructureFormat::Xsd.content_type(),
            "application/xml; charset=utf-8"
        );
    }

    #[test]
    fn file_names_follow_v3() {
        assert_eq!(
            data_file_name(d(2013, 6, 1), d(2013, 4, 1), Format::Csv),
            "data-20130601-structure-20130401.csv"
        );
        assert_eq!(
            structure_file_name(d(2013, 4, 1), StructureFormat::Xsd),
            "structure-20130401.xsd"
        );
        assert_eq!(meta_file_name(Format::Json), "meta.json");
        assert_eq!(list_file_name(Format::Csv), "list.csv");
    }

    #[test]
    fn parses_every_kind_of_name() {
        assert_eq!(
            parse_file_name("data-20130601-structure-20130401.json"),
            Some(FileName::Data {
                version: d(2013, 6, 1),
                structure: d(2013, 4, 1),
                format: Format::Json
            })
        );
        assert_eq!(
            parse_file_name("structure-20130401.csv"),
            Some(FileName::Structure {
                version: d(2013, 4, 1),
                format: StructureFormat::Csv
            })
        );
        assert_eq!(
            parse_file_name("meta.xml"),
            Some(FileName::Meta(Format::Xml))
        );
        assert_eq!(
            parse_file_name("list.csv"),
            Some(FileName::List(Format::Csv))
        );
        assert_eq!(
            parse_file_name("datapackage.json"),
            Some(FileName::DataPackage)
        );
    }

    #[test]
    fn rejects_foreign_and_malformed_names() {
        for name in [
            "",
            "meta",
            "meta.xsd",
            "list.txt",
            "structure-20130401.xml",
            "data-20130601-structure-20130401.xsd",
            "data-2013-06-01-structure-2013-04-01.csv",
            "data-20130601T0000-structure-20130401.csv",
            "data-20130231-structure-20130401.csv",
            "data-20130601-structure-2013040.csv",
            "data-20130601.csv",
            "structure-+2013040.csv",
            "structure-00000101.csv",
            "data-20130601-structure-20130401.CSV",
            "../meta.csv",
            "index.html",
        ] {
            assert_eq!(parse_file_name(name), None, "{name}");
        }
    }

    #[test]
    fn parse_round_trips_display() {
        for name in [
            "data-20240229-structure-20200101.xml",
            "structure-19991231.json",
            "meta.csv",
            "list.json",
            "datapackage.json",
        ] {
            let parsed = parse_file_name(name).expect("recognised");
            assert_eq!(parsed.to_string(), name);
        }
        assert_eq!(
            parse_file_name("structure-20130401.xsd")
                .expect("recognised")
                .content_type(),
            "application/xml; charset=utf-8"
        );
        assert_eq!(FileName::DataPackage.content_type(), "application/json");
    }

    #[test]
    fn dates_print_fixed_width() {
        assert_eq!(compact_date(d(987, 1, 2)), "09870102");
        assert_eq!(iso_date(d(2013, 6, 1)), "2013-06-01");
        assert!(date_in_range(d(1, 1, 1)));
        assert!(!date_in_range(d(0, 1, 1)));
        assert!(!date_in_range(d(10000, 1, 1)));
    }
}
