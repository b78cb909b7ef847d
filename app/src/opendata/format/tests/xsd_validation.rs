//! XML data files validate against `structure_xsd` with libxml2's `xmllint`.
//!
//! These tests fail (they do not skip) when `xmllint` is missing: install it with
//! `apt-get install libxml2-utils`.

use std::path::Path;
use std::process::Command;

use super::common::{d, rows, structure, write};
use crate::opendata::format::*;

/// Runs `xmllint --noout [--schema xsd] xml`; returns whether it accepted, and its stderr.
fn xmllint(schema: Option<&Path>, document: &Path) -> (bool, String) {
    let mut command = Command::new("xmllint");
    command.arg("--noout").arg("--nonet");
    if let Some(schema) = schema {
        command.arg("--schema").arg(schema);
    }
    let output = command.arg(document).output().unwrap_or_else(|err| {
        panic!("xmllint is required for this test (apt-get install libxml2-utils): {err}")
    });
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Writes the structure's XSD and `data` next to each other, as the portal serves them,
/// and validates the data against the schema.
fn validate(structure: &Structure, data: &[u8]) -> (bool, String) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let xsd = dir
        .path()
        .join(structure_file_name(structure.version, StructureFormat::Xsd));
    std::fs::write(&xsd, structure_xsd(structure)).expect("write XSD");
    let xml = dir.path().join("data.xml");
    std::fs::write(&xml, data).expect("write XML");
    xmllint(Some(&xsd), &xml)
}

#[test]
fn xmllint_is_installed() {
    let output = Command::new("xmllint").arg("--version").output();
    assert!(
        output.is_ok_and(|o| o.status.success()),
        "xmllint is required (apt-get install libxml2-utils)"
    );
}

#[test]
fn generated_data_validates() {
    let structure = structure();
    let data = write(&structure, Format::Xml, &rows());
    let (ok, messages) = validate(&structure, &data);
    assert!(ok, "xmllint rejected the data:\n{messages}");
    assert!(messages.contains("validates"), "{messages}");
}

#[test]
fn empty_data_file_validates() {
    let structure = structure();
    let data = write(&structure, Format::Xml, &[]);
    let (ok, messages) = validate(&structure, &data);
    assert!(ok, "{messages}");
}

#[test]
fn integer_in_number_column_validates() {
    let structure = structure();
    let mut row = vec![Value::Null; structure.columns.len()];
    row[3] = Value::Integer(100);
    row[6] = Value::Integer(45);
    let data = write(&structure, Format::Xml, &[row]);
    let (ok, messages) = validate(&structure, &data);
    assert!(ok, "{messages}");
}

#[test]
fn schema_without_descriptions_validates_data() {
    let mut structure = structure();
    for column in &mut structure.columns {
        column.english.clear();
        column.russian.clear();
    }
    let data = write(&structure, Format::Xml, &rows());
    let (ok, messages) = validate(&structure, &data);
    assert!(ok, "{messages}");
}

/// The schema really constrains: tampered files are rejected.
#[test]
fn tampered_data_is_rejected() {
    let structure = structure();
    let good = String::from_utf8(write(&structure, Format::Xml, &rows()[..1])).expect("UTF-8");
    for (what, bad) in [
        (
            "text in an integer",
            good.replace("<count>42</count>", "<count>сорок два</count>"),
        ),
        (
            "russian date",
            good.replace("<opened>2013-06-01</opened>", "<opened>01.06.2013</opened>"),
        ),
        (
            "empty number",
            good.replace("<area>1234.5</area>", "<area></area>"),
        ),
        ("missing column", good.replace("<free>true</free>", "")),
        (
            "unknown column",
            good.replace("<free>true</free>", "<free>true</free><extra>1</extra>"),
        ),
        (
            "column order",
            good.replace(
                "<count>42</count><area>1234.5</area>",
                "<area>1234.5</area><count>42</count>",
            ),
        ),
    ] {
        assert_ne!(bad, good, "{what}: tampering did not apply");
        let (ok, _) = validate(&structure, bad.as_bytes());
        assert!(!ok, "{what}: xmllint accepted a tampered file");
    }
}

#[test]
fn small_xml_files_are_well_formed() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let passport = Passport {
        identifier: "2309000000-parks".into(),
        title: "Парки & скверы <Краснодара>".into(),
        description: "Описание \"в кавычках\"".into(),
        creator: "Департамент".into(),
        publisher_name: "Иванов".into(),
        publisher_phone: "+78610000000".into(),
        publisher_mbox: "ivanov@krasnodar.ru".into(),
        subject: vec!["парки".into()],
        created: d(2020, 1, 1),
        modified: d(2021, 1, 1),
        provenance: "Изменение данных".into(),
        valid: d(2022, 1, 1),
        format: Format::Xml,
        data_versions: vec![DataVersion {
            version: d(2021, 1, 1),
            structure: d(2020, 1, 1),
            provenance: "Изменение & дополнение".into(),
            valid: d(2022, 1, 1),
        }],
        structure_versions: vec![d(2020, 1, 1)],
    };
    let entries = [RegistryEntry {
        identifier: passport.identifier.clone(),
        title: passport.title.clone(),
        format: Format::Xml,
    }];
    for (name, text) in [
        ("meta.xml", meta_xml("https://e.ru/opendata", &passport)),
        ("list.xml", list_xml("https://e.ru/opendata", &entries)),
        ("structure.xsd", structure_xsd(&structure())),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, text).expect("write file");
        let (ok, messages) = xmllint(None, &path);
        assert!(ok, "{name}: {messages}");
    }
}
