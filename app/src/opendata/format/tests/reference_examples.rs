//! The examples of the reference (`opendata-formats.md` §1.4-1.6, §3.1, §3.2), reproduced
//! from the same input. The files under `testdata/` are the code blocks copied
//! verbatim (line ranges noted per test).
//!
//! How "byte for byte" is read:
//! * CSV: exactly the example's bytes with each line ended by CRLF, the RFC 4180 terminator
//!   the reference prescribes (§1.3); the markdown block can only show LF.
//! * XML: exactly the example's bytes, final newline included.
//! * JSON: exactly the example's bytes once the whitespace between tokens is removed
//!   (the examples are hand-wrapped; JSON whitespace carries no meaning). Key order,
//!   strings, numbers and escapes must all match.

use crate::opendata::format::*;
use chrono::NaiveDate;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
}

fn crlf(text: &str) -> String {
    text.lines().map(|line| format!("{line}\r\n")).collect()
}

/// Removes whitespace outside JSON strings.
fn minify(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in json.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if !c.is_whitespace() {
            out.push(c);
        }
    }
    out
}

const BASE: &str = "http://example.com/opendata/";

/// The passport all v3.0 examples describe.
fn showrooms(description: &str, format: Format, versions: &[(NaiveDate, NaiveDate)]) -> Passport {
    Passport {
        identifier: "7712345678-showrooms".into(),
        title: "Список выставочных залов".into(),
        description: description.into(),
        creator: "Министерство культуры".into(),
        publisher_name: "Иванов Иван Иванович".into(),
        publisher_phone: "+74951234567".into(),
        publisher_mbox: "ivanov@example.com".into(),
        subject: vec![
            "Выставка".into(),
            "зал".into(),
            "выставочный зал".into(),
            "культура".into(),
        ],
        created: d(2013, 4, 1),
        modified: d(2013, 6, 1),
        provenance: "Изменение данных".into(),
        valid: d(2013, 7, 1),
        format,
        data_versions: versions
            .iter()
            .map(|&(version, structure)| DataVersion {
                version,
                structure,
                provenance: "Изменение данных".into(),
                valid: d(2013, 7, 1),
            })
            .collect(),
        structure_versions: vec![d(2013, 4, 1)],
    }
}

/// §1.4, lines 84-87.
#[test]
fn list_csv_matches_reference() {
    let entries = [
        RegistryEntry {
            identifier: "7712345678-showrooms".into(),
            title: "Список выставочных залов".into(),
            format: Format::Csv,
        },
        RegistryEntry {
            identifier: "7712345678-staff".into(),
            title: "Сведения о численности сотрудников".into(),
            format: Format::Csv,
        },
    ];
    assert_eq!(
        list_csv(BASE, &entries),
        crlf(include_str!("../testdata/list.csv"))
    );
}

/// §1.5, lines 132-149: two data versions given oldest first, written newest first.
#[test]
fn meta_csv_matches_reference() {
    let passport = showrooms(
        "Список выставочных залов с указанием контактных данных по округам и районам",
        Format::Csv,
        &[
            (d(2013, 4, 1), d(2013, 4, 1)),
            (d(2013, 6, 1), d(2013, 4, 1)),
        ],
    );
    assert_eq!(passport.validate(), Ok(()));
    assert_eq!(
        meta_csv(BASE, &passport),
        crlf(include_str!("../testdata/meta.csv"))
    );
}

/// §1.5, lines 156-187.
#[test]
fn meta_xml_matches_reference() {
    let passport = showrooms(
        "Список выставочных залов с указанием контактных данных",
        Format::Xml,
        &[(d(2013, 6, 1), d(2013, 4, 1))],
    );
    assert_eq!(passport.validate(), Ok(()));
    assert_eq!(
        meta_xml(BASE, &passport),
        include_str!("../testdata/meta.xml")
    );
}

/// §1.5, lines 194-210.
#[test]
fn meta_json_matches_reference() {
    let passport = showrooms("…", Format::Json, &[(d(2013, 6, 1), d(2013, 4, 1))]);
    assert_eq!(passport.validate(), Ok(()));
    assert_eq!(
        minify(&meta_json(BASE, &passport)),
        minify(include_str!("../testdata/meta.json"))
    );
}

fn showroom_columns(described: bool) -> Vec<Column> {
    let text = |s: &str| {
        if described {
            s.to_owned()
        } else {
            String::new()
        }
    };
    vec![
        Column {
            name: "name".into(),
            english: text("Name"),
            russian: "Наименование".into(),
            kind: ColumnType::String,
        },
        Column::new(
            "district",
            text("District"),
            text("Район"),
            ColumnType::String,
        ),
        Column::new(
            "address",
            text("Address"),
            text("Адрес"),
            ColumnType::String,
        ),
        Column::new("phone", text("Phone"), text("Телефон"), ColumnType::String),
        Column::new("lat", text("Latitude"), text("Широта"), ColumnType::Number),
        Column::new(
            "lon",
            text("Longitude"),
            text("Долгота"),
            ColumnType::Number,
        ),
    ]
}

/// §1.6, lines 245-251.
#[test]
fn structure_csv_matches_reference() {
    let structure = Structure {
        version: d(2013, 4, 1),
        columns: showroom_columns(true),
        latitude: Some(4),
        longitude: Some(5),
    };
    assert_eq!(structure.validate(), Ok(()));
    assert_eq!(
        structure_csv(&structure),
        crlf(include_str!("../testdata/structure.csv"))
    );
}

/// §3.2, lines 599-617. The example gives a title only to `name` and a range only to `lat`,
/// so its input is a structure whose other columns carry no descriptions and where only
/// the latitude is marked. (`validate()` would ask for the longitude too; the complete
/// pair is checked in `datapackage_marks_both_coordinates`.)
#[test]
fn datapackage_matches_reference() {
    let structure = Structure {
        version: d(2013, 4, 1),
        columns: showroom_columns(false),
        latitude: Some(4),
        longitude: None,
    };
    let passport = showrooms("…", Format::Csv, &[(d(2013, 6, 1), d(2013, 4, 1))]);
    let descriptor = datapackage_json(
        &passport,
        &structure,
        "data-20130601-structure-20130401.csv",
    )
    .expect("descriptor");
    assert_eq!(
        minify(&descriptor),
        minify(include_str!("../testdata/datapackage.json"))
    );
}

#[test]
fn datapackage_marks_both_coordinates() {
    let structure = Structure {
        version: d(2013, 4, 1),
        columns: showroom_columns(false),
        latitude: Some(4),
        longitude: Some(5),
    };
    assert_eq!(structure.validate(), Ok(()));
    let passport = showrooms("…", Format::Csv, &[(d(2013, 6, 1), d(2013, 4, 1))]);
    let descriptor = datapackage_json(
        &passport,
        &structure,
        "data-20130601-structure-20130401.csv",
    )
    .expect("descriptor");
    let expected = minify(include_str!("../testdata/datapackage.json")).replace(
        r#"{"name":"lon","type":"number"}"#,
        r#"{"name":"lon","type":"number","constraints":{"minimum":-180,"maximum":180}}"#,
    );
    assert_eq!(minify(&descriptor), expected);
}

/// §3.1, lines 534-566: the minimal catalog that conforms to DCAT-AP 3.0.1.
#[test]
fn dcat_catalog_matches_reference() {
    let catalog = CatalogInfo {
        id: "https://opendata.example.ru/catalog".into(),
        title: "Открытые данные региона".into(),
        description: "Каталог открытых данных".into(),
        publisher_id: "https://opendata.example.ru/org/7712345678".into(),
        publisher_name: "Министерство культуры".into(),
        homepage: "https://opendata.example.ru/".into(),
    };
    let mut passport = showrooms(
        "Список выставочных залов с контактами",
        Format::Csv,
        &[(d(2013, 6, 1), d(2013, 4, 1))],
    );
    passport.subject = vec!["культура".into()];
    let dataset = DcatDataset::from_passport(
        "https://opendata.example.ru/opendata",
        &passport,
        &[Format::Csv],
        "http://creativecommons.org/licenses/by/4.0/",
    );
    assert_eq!(
        minify(&dcat_catalog_jsonld(&catalog, &[dataset])),
        minify(include_str!("../testdata/catalog.jsonld"))
    );
}

/// The data-file name of §1.6 (`data-<Версия набора>-structure-<Версия структуры>.csv`).
#[test]
fn file_names_match_reference() {
    assert_eq!(
        data_file_name(d(2013, 6, 1), d(2013, 4, 1), Format::Csv),
        "data-20130601-structure-20130401.csv"
    );
    assert_eq!(
        structure_file_name(d(2013, 4, 1), StructureFormat::Xsd),
        "structure-20130401.xsd"
    );
}

#[test]
fn minify_keeps_string_whitespace() {
    assert_eq!(
        minify("{ \"a b\" : [1, \"c\\\" d\"] }"),
        "{\"a b\":[1,\"c\\\" d\"]}"
    );
}
