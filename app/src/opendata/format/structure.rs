//! Dataset structure (the columns of one structure version) and its three files:
//! `structure-<v>.csv`, `.xsd` and `.json`.

use std::collections::HashSet;

use chrono::NaiveDate;
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Deserialize, Serialize, Serializer};

use super::names::{date_in_range, structure_stem};
use super::text::{CsvText, XmlText, pretty_json};

/// Longest machine name accepted: PostgreSQL (CKAN datastore) truncates identifiers at 63 bytes.
pub const MAX_NAME_LEN: usize = 63;

/// Type of a column, with its spelling in each vocabulary the portal speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ColumnType {
    /// Free text.
    String,
    /// Whole number (fits `i64`).
    Integer,
    /// Decimal number; coordinates are of this type.
    Number,
    /// Calendar date, written ISO `YYYY-MM-DD` in data files.
    Date,
    /// `true` / `false`.
    Boolean,
}

impl ColumnType {
    /// All column types.
    pub const ALL: [ColumnType; 5] = [
        ColumnType::String,
        ColumnType::Integer,
        ColumnType::Number,
        ColumnType::Date,
        ColumnType::Boolean,
    ];

    /// The word in the `format` column of a v3.0 `structure-<v>.csv`.
    pub fn structure_format(self) -> &'static str {
        match self {
            ColumnType::String => "string",
            ColumnType::Integer => "integer",
            ColumnType::Number => "number",
            ColumnType::Date => "date",
            ColumnType::Boolean => "boolean",
        }
    }

    /// Reads a v3.0 structure `format` word, accepting the synonyms seen in published
    /// files (`float`, `numeric`, `int`, `bool`), case-insensitively.
    pub fn from_structure_format(word: &str) -> Option<ColumnType> {
        match word.trim().to_ascii_lowercase().as_str() {
            "string" | "text" => Some(ColumnType::String),
            "integer" | "int" => Some(ColumnType::Integer),
            "number" | "float" | "numeric" | "decimal" => Some(ColumnType::Number),
            "date" => Some(ColumnType::Date),
            "boolean" | "bool" => Some(ColumnType::Boolean),
            _ => None,
        }
    }

    /// The XML Schema built-in type of the element in `structure-<v>.xsd`.
    pub fn xsd_type(self) -> &'static str {
        match self {
            ColumnType::String => "xs:string",
            ColumnType::Integer => "xs:integer",
            // xs:decimal rather than xs:double: values are written in plain decimal notation,
            // and decimal has no INF/NaN to mislead consumers.
            ColumnType::Number => "xs:decimal",
            ColumnType::Date => "xs:date",
            ColumnType::Boolean => "xs:boolean",
        }
    }

    /// The JSON Schema `type` (dates are strings with `"format": "date"`).
    pub fn json_schema_type(self) -> &'static str {
        match self {
            ColumnType::String | ColumnType::Date => "string",
            ColumnType::Integer => "integer",
            ColumnType::Number => "number",
            ColumnType::Boolean => "boolean",
        }
    }

    /// The Frictionless Table Schema field `type`.
    pub fn frictionless_type(self) -> &'static str {
        match self {
            ColumnType::String => "string",
            ColumnType::Integer => "integer",
            ColumnType::Number => "number",
            ColumnType::Date => "date",
            ColumnType::Boolean => "boolean",
        }
    }

    /// The CKAN datastore (PostgreSQL) field type.
    pub fn ckan_type(self) -> &'static str {
        match self {
            ColumnType::String => "text",
            ColumnType::Integer => "int",
            ColumnType::Number => "numeric",
            ColumnType::Date => "date",
            ColumnType::Boolean => "bool",
        }
    }
}

/// One column of a structure version.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Column {
    /// Machine name `[a-z][a-z0-9_]*`: CSV header, XML element, JSON key.
    pub name: String,
    /// English description (structure CSV column 2, Frictionless `description`).
    pub english: String,
    /// Russian description (structure CSV column 3, Frictionless `title`).
    pub russian: String,
    /// Value type.
    pub kind: ColumnType,
}

impl Column {
    /// A column from its four parts.
    pub fn new(
        name: impl Into<String>,
        english: impl Into<String>,
        russian: impl Into<String>,
        kind: ColumnType,
    ) -> Self {
        Column {
            name: name.into(),
            english: english.into(),
            russian: russian.into(),
            kind,
        }
    }
}

/// One structure version of a dataset: its date and its columns.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Structure {
    /// Date of this structure version (the `structure-<v>` of file names).
    pub version: NaiveDate,
    /// Columns in file order.
    pub columns: Vec<Column>,
    /// Index into `columns` of the latitude column, for the map view.
    pub latitude: Option<usize>,
    /// Index into `columns` of the longitude column, for the map view.
    pub longitude: Option<usize>,
}

/// Why a [`Structure`] cannot be published.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StructureError {
    /// A structure needs at least one column.
    #[error("the structure has no columns")]
    NoColumns,
    /// The version date does not print as a four-digit year.
    #[error("structure version {0} is outside years 0001-9999")]
    VersionOutOfRange(NaiveDate),
    /// A name is not `[a-z][a-z0-9_]*` of at most [`MAX_NAME_LEN`] bytes.
    #[error("column {index} has an invalid machine name {name:?}")]
    InvalidName {
        /// Position of the column.
        index: usize,
        /// The offending name.
        name: String,
    },
    /// Two columns share a machine name.
    #[error("machine name {0:?} is used by more than one column")]
    DuplicateName(String),
    /// A latitude/longitude index points past the last column.
    #[error("coordinate index {0} is not a column")]
    CoordinateOutOfRange(usize),
    /// A latitude/longitude column is not of type Number.
    #[error("coordinate column {0:?} must be of type number")]
    CoordinateNotNumber(String),
    /// Only one of latitude/longitude is set; a map point needs both.
    #[error("latitude and longitude must be given together")]
    CoordinatesIncomplete,
    /// Latitude and longitude name the same column.
    #[error("latitude and longitude are the same column")]
    CoordinatesSameColumn,
}

/// True when `name` is a valid machine name: `[a-z][a-z0-9_]*`, at most [`MAX_NAME_LEN`] bytes.
pub fn is_machine_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    matches!(bytes.next(), Some(b'a'..=b'z'))
        && name.len() <= MAX_NAME_LEN
        && bytes.all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'_'))
}

impl Structure {
    /// Checks what every file of this crate relies on: at least one column, valid unique
    /// machine names (they become XML element names and JSON keys), a printable version
    /// date, and coordinate columns that exist, differ, are numbers and come in pairs.
    pub fn validate(&self) -> Result<(), StructureError> {
        if self.columns.is_empty() {
            return Err(StructureError::NoColumns);
        }
        if !date_in_range(self.version) {
            return Err(StructureError::VersionOutOfRange(self.version));
        }
        let mut seen = HashSet::with_capacity(self.columns.len());
        for (index, column) in self.columns.iter().enumerate() {
            if !is_machine_name(&column.name) {
                return Err(StructureError::InvalidName {
                    index,
                    name: column.name.clone(),
                });
            }
            if !seen.insert(column.name.as_str()) {
                return Err(StructureError::DuplicateName(column.name.clone()));
            }
        }
        match (self.latitude, self.longitude) {
            (None, None) => Ok(()),
            (Some(lat), Some(lon)) => {
                if lat == lon {
                    return Err(StructureError::CoordinatesSameColumn);
                }
                for index in [lat, lon] {
                    let column = self
                        .columns
                        .get(index)
                        .ok_or(StructureError::CoordinateOutOfRange(index))?;
                    if column.kind != ColumnType::Number {
                        return Err(StructureError::CoordinateNotNumber(column.name.clone()));
                    }
                }
                Ok(())
            }
            _ => Err(StructureError::CoordinatesIncomplete),
        }
    }

    /// Position of the column named `name`.
    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }

    /// True when column `index` is the latitude column.
    pub(crate) fn is_latitude(&self, index: usize) -> bool {
        self.latitude == Some(index)
    }

    /// True when column `index` is the longitude column.
    pub(crate) fn is_longitude(&self, index: usize) -> bool {
        self.longitude == Some(index)
    }
}

/// `structure-<v>.csv`: `field name,english description,russian description,format`.
pub fn structure_csv(structure: &Structure) -> String {
    let mut csv = CsvText::new();
    csv.record([
        "field name",
        "english description",
        "russian description",
        "format",
    ]);
    for column in &structure.columns {
        csv.record([
            column.name.as_str(),
            &column.english,
            &column.russian,
            column.kind.structure_format(),
        ]);
    }
    csv.finish()
}

/// Namespace of XML Schema instance attributes (`xsi:nil`, `xsi:noNamespaceSchemaLocation`).
pub(crate) const XSI_NAMESPACE: &str = "http://www.w3.org/2001/XMLSchema-instance";
/// Root element of XML data files.
pub(crate) const XML_ROOT: &str = "data";
/// Element wrapping one row of an XML data file (as `item` in the v3.0 `list.xml`).
pub(crate) const XML_ROW: &str = "item";

/// `structure-<v>.xsd`: the schema of XML data files.
///
/// Shape: `<data>` holding any number of `<item>`, each with one element per column in
/// structure order, named by the machine name. Every column element is `nillable`, so an
/// empty cell of any type is `<name xsi:nil="true"/>` and the row keeps a fixed shape.
/// Descriptions go into `xs:documentation` in Russian and English.
pub fn structure_xsd(structure: &Structure) -> String {
    let mut xml = XmlText::new();
    xml.open_with(
        "xs:schema",
        "xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" elementFormDefault=\"unqualified\"",
    );
    xml.open("xs:annotation");
    xml.leaf("xs:documentation", &structure_stem(structure.version));
    xml.close("xs:annotation");
    xml.open_with("xs:element", &format!("name=\"{XML_ROOT}\""));
    xml.open("xs:complexType");
    xml.open("xs:sequence");
    xml.open_with(
        "xs:element",
        &format!("name=\"{XML_ROW}\" minOccurs=\"0\" maxOccurs=\"unbounded\""),
    );
    xml.open("xs:complexType");
    xml.open("xs:sequence");
    for column in &structure.columns {
        let attrs = format!(
            "name=\"{}\" type=\"{}\" nillable=\"true\"",
            super::text::xml_attr(&column.name),
            column.kind.xsd_type()
        );
        if column.russian.is_empty() && column.english.is_empty() {
            xml.empty("xs:element", &attrs);
            continue;
        }
        xml.open_with("xs:element", &attrs);
        xml.open("xs:annotation");
        if !column.russian.is_empty() {
            xml.leaf_with("xs:documentation", "xml:lang=\"ru\"", &column.russian);
        }
        if !column.english.is_empty() {
            xml.leaf_with("xs:documentation", "xml:lang=\"en\"", &column.english);
        }
        xml.close("xs:annotation");
        xml.close("xs:element");
    }
    xml.close("xs:sequence");
    xml.close("xs:complexType");
    xml.close("xs:element");
    xml.close("xs:sequence");
    xml.close("xs:complexType");
    xml.close("xs:element");
    xml.close("xs:schema");
    xml.finish()
}

/// JSON Schema dialect of `structure-<v>.json`: draft-07 is the newest one that nearly
/// every validator (and the reference's draft-04-minded consumers) understands.
pub(crate) const JSON_SCHEMA_DIALECT: &str = "http://json-schema.org/draft-07/schema#";

/// `structure-<v>.json`: a real JSON Schema of JSON data files.
///
/// Data files are an array of objects; every object has every column as a key (so
/// `required` lists them all and no other key is allowed), each value being of the
/// column's type or `null`.
pub fn structure_json_schema(structure: &Structure) -> String {
    pretty_json(&JsonSchemaDoc(structure))
}

/// Serialises the schema by hand so `properties` keeps column order (serde_json's map
/// would sort the keys).
struct JsonSchemaDoc<'a>(&'a Structure);

impl Serialize for JsonSchemaDoc<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("$schema", JSON_SCHEMA_DIALECT)?;
        map.serialize_entry("title", &structure_stem(self.0.version))?;
        map.serialize_entry("type", "array")?;
        map.serialize_entry("items", &JsonSchemaItems(self.0))?;
        map.end()
    }
}

/// The `items` object schema: one property per column.
struct JsonSchemaItems<'a>(&'a Structure);

impl Serialize for JsonSchemaItems<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("type", "object")?;
        map.serialize_entry("properties", &JsonSchemaProperties(self.0))?;
        map.serialize_entry("required", &JsonSchemaRequired(self.0))?;
        map.serialize_entry("additionalProperties", &false)?;
        map.end()
    }
}

/// `properties`: column name → type, descriptions, date format, coordinate range.
struct JsonSchemaProperties<'a>(&'a Structure);

impl Serialize for JsonSchemaProperties<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.columns.len()))?;
        for (index, column) in self.0.columns.iter().enumerate() {
            map.serialize_entry(
                &column.name,
                &JsonSchemaProperty {
                    column,
                    range: coordinate_range(self.0, index),
                },
            )?;
        }
        map.end()
    }
}

/// `required`: every column name, in order.
struct JsonSchemaRequired<'a>(&'a Structure);

impl Serialize for JsonSchemaRequired<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.0.columns.len()))?;
        for column in &self.0.columns {
            seq.serialize_element(&column.name)?;
        }
        seq.end()
    }
}

/// The schema of one column's values.
struct JsonSchemaProperty<'a> {
    column: &'a Column,
    range: Option<(i64, i64)>,
}

impl Serialize for JsonSchemaProperty<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("type", &[self.column.kind.json_schema_type(), "null"])?;
        if self.column.kind == ColumnType::Date {
            map.serialize_entry("format", "date")?;
        }
        if let Some((minimum, maximum)) = self.range {
            map.serialize_entry("minimum", &minimum)?;
            map.serialize_entry("maximum", &maximum)?;
        }
        if !self.column.russian.is_empty() {
            map.serialize_entry("title", &self.column.russian)?;
        }
        if !self.column.english.is_empty() {
            map.serialize_entry("description", &self.column.english)?;
        }
        map.end()
    }
}

/// Valid range of column `index` when it is a coordinate: ±90 latitude, ±180 longitude.
pub(crate) fn coordinate_range(structure: &Structure, index: usize) -> Option<(i64, i64)> {
    if structure.is_latitude(index) {
        Some((-90, 90))
    } else if structure.is_longitude(index) {
        Some((-180, 180))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn showrooms() -> Structure {
        Structure {
            version: NaiveDate::from_ymd_opt(2013, 4, 1).expect("valid date"),
            columns: vec![
                Column::new("name", "Name", "Наименование", ColumnType::String),
                Column::new("district", "District", "Район", ColumnType::String),
                Column::new("address", "Address", "Адрес", ColumnType::String),
                Column::new("phone", "Phone", "Телефон", ColumnType::String),
                Column::new("lat", "Latitude", "Широта", ColumnType::Number),
                Column::new("lon", "Longitude", "Долгота", ColumnType::Number),
            ],
            latitude: Some(4),
            longitude: Some(5),
        }
    }

    #[test]
    fn type_vocabularies() {
        let table: Vec<_> = ColumnType::ALL
            .iter()
            .map(|t| {
                (
                    t.structure_format(),
                    t.xsd_type(),
                    t.json_schema_type(),
                    t.frictionless_type(),
                    t.ckan_type(),
                )
            })
            .collect();
        assert_eq!(
            table,
            [
                ("string", "xs:string", "string", "string", "text"),
                ("integer", "xs:integer", "integer", "integer", "int"),
                ("number", "xs:decimal", "number", "number", "numeric"),
                ("date", "xs:date", "string", "date", "date"),
                ("boolean", "xs:boolean", "boolean", "boolean", "bool"),
            ]
        );
    }

    #[test]
    fn structure_format_words_round_trip_and_synonyms() {
        for t in ColumnType::ALL {
            assert_eq!(
                ColumnType::from_structure_format(t.structure_format()),
                Some(t)
            );
        }
        assert_eq!(
            ColumnType::from_structure_format(" Float "),
            Some(ColumnType::Number)
        );
        assert_eq!(
            ColumnType::from_structure_format("numeric"),
            Some(ColumnType::Number)
        );
        assert_eq!(ColumnType::from_structure_format("varchar(2)"), None);
    }

    #[test]
    fn machine_names() {
        for ok in ["a", "name", "lat_2", "nazvanie_ulitsy", &"a".repeat(63)] {
            assert!(is_machine_name(ok), "{ok}");
        }
        for bad in ["", "Name", "1a", "_a", "a-b", "a b", "имя", &"a".repeat(64)] {
            assert!(!is_machine_name(bad), "{bad}");
        }
    }

    #[test]
    fn valid_structure_passes() {
        assert_eq!(showrooms().validate(), Ok(()));
        assert_eq!(showrooms().column_index("lat"), Some(4));
    }

    #[test]
    fn validation_failures() {
        let mut s = showrooms();
        s.columns.clear();
        s.latitude = None;
        s.longitude = None;
        assert_eq!(s.validate(), Err(StructureError::NoColumns));

        let mut s = showrooms();
        s.columns[1].name = "Район".into();
        assert!(matches!(
            s.validate(),
            Err(StructureError::InvalidName { index: 1, .. })
        ));

        let mut s = showrooms();
        s.columns[1].name = "name".into();
        assert_eq!(
            s.validate(),
            Err(StructureError::DuplicateName("name".into()))
        );

        let mut s = showrooms();
        s.longitude = None;
        assert_eq!(s.validate(), Err(StructureError::CoordinatesIncomplete));

        let mut s = showrooms();
        s.longitude = Some(4);
        assert_eq!(s.validate(), Err(StructureError::CoordinatesSameColumn));

        let mut s = showrooms();
        s.longitude = Some(9);
        assert_eq!(s.validate(), Err(StructureError::CoordinateOutOfRange(9)));

        let mut s = showrooms();
        s.latitude = Some(0);
        assert_eq!(
            s.validate(),
            Err(StructureError::CoordinateNotNumber("name".into()))
        );

        let mut s = showrooms();
        s.version = NaiveDate::from_ymd_opt(12345, 1, 1).expect("valid date");
        assert!(matches!(
            s.validate(),
            Err(StructureError::VersionOutOfRange(_))
        ));
    }

    #[test]
    fn csv_quotes_descriptions_with_commas() {
        let mut s = showrooms();
        s.columns.truncate(1);
        s.latitude = None;
        s.longitude = None;
        s.columns[0].russian = "Наименование, полное".into();
        assert_eq!(
            structure_csv(&s),
            "field name,english description,russian description,format\r\n\
             name,Name,\"Наименование, полное\",string\r\n"
        );
    }

    #[test]
    fn xsd_shape() {
        let mut s = showrooms();
        s.columns = vec![
            Column::new("a", "A & B", "", ColumnType::Date),
            Column::new("b", "", "", ColumnType::Boolean),
        ];
        s.latitude = None;
        s.longitude = None;
        let xsd = structure_xsd(&s);
        assert!(xsd.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<xs:schema "));
        assert!(xsd.contains("<xs:element name=\"a\" type=\"xs:date\" nillable=\"true\">\n"));
        assert!(xsd.contains("<xs:documentation xml:lang=\"en\">A &amp; B</xs:documentation>"));
        assert!(xsd.contains("<xs:element name=\"b\" type=\"xs:boolean\" nillable=\"true\"/>"));
        assert!(xsd.contains("<xs:documentation>structure-20130401</xs:documentation>"));
        assert!(xsd.ends_with("</xs:schema>\n"));
    }

    #[test]
    fn json_schema_shape() {
        let schema: serde_json::Value =
            serde_json::from_str(&structure_json_schema(&showrooms())).expect("valid JSON");
        assert_eq!(schema["$schema"], JSON_SCHEMA_DIALECT);
        assert_eq!(schema["type"], "array");
        assert_eq!(schema["title"], "structure-20130401");
        let items = &schema["items"];
        assert_eq!(items["additionalProperties"], false);
        assert_eq!(items["required"][5], "lon");
        assert_eq!(
            items["properties"]["lat"],
            serde_json::json!({"type": ["number", "null"], "minimum": -90, "maximum": 90,
                               "title": "Широта", "description": "Latitude"})
        );
        assert_eq!(items["properties"]["lon"]["minimum"], -180);
    }

    #[test]
    fn json_schema_keeps_column_order() {
        let text = structure_json_schema(&showrooms());
        let positions: Vec<_> = ["\"name\":", "\"district\":", "\"address\":", "\"lat\":"]
            .iter()
            .map(|k| text.find(k).expect("key present"))
            .collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn date_columns_get_date_format() {
        let s = Structure {
            version: NaiveDate::from_ymd_opt(2020, 1, 1).expect("valid date"),
            columns: vec![Column::new("d", "", "", ColumnType::Date)],
            latitude: None,
            longitude: None,
        };
        let schema: serde_json::Value =
            serde_json::from_str(&structure_json_schema(&s)).expect("valid JSON");
        assert_eq!(
            schema["items"]["properties"]["d"],
            serde_json::json!({"type": ["string", "null"], "format": "date"})
        );
    }
}
