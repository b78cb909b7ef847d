//! Data files read back with independent parsers (csv, quick-xml, serde_json) give the
//! cells that were written; the small CSV files read back too.

use super::common::{d, rows, spelled, structure, write};
use crate::opendata::format::*;
use quick_xml::Reader;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::Event;

/// What the CSV writer should put in a cell: the spelling, with the OWASP apostrophe on
/// text starting with = + - @ TAB CR, and an empty cell for null.
fn expected_csv_cell(value: &Value) -> String {
    match value {
        Value::Text(s) if s.starts_with(['=', '+', '-', '@', '\t', '\r']) => format!("'{s}"),
        other => spelled(other).unwrap_or_default(),
    }
}

#[test]
fn csv_round_trip() {
    let structure = structure();
    let bytes = write(&structure, Format::Csv, &rows());
    let mut reader = csv::ReaderBuilder::new().from_reader(bytes.as_slice());
    let headers: Vec<String> = reader
        .headers()
        .expect("header row")
        .iter()
        .map(str::to_owned)
        .collect();
    let names: Vec<&str> = structure.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(headers, names);
    let read: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.expect("valid record").iter().map(str::to_owned).collect())
        .collect();
    let expected: Vec<Vec<String>> = rows()
        .iter()
        .map(|row| row.iter().map(expected_csv_cell).collect())
        .collect();
    assert_eq!(read, expected);
}

#[test]
fn csv_uses_crlf_between_records_only() {
    let bytes = write(&structure(), Format::Csv, &rows());
    let text = String::from_utf8(bytes).expect("UTF-8");
    assert!(text.ends_with("\r\n"));
    // Outside quoted fields every LF is preceded by CR; the lone LF of the note cell is
    // inside quotes. Count record terminators outside quotes.
    let (mut in_quotes, mut terminators, mut bare_lf_outside) = (false, 0, 0);
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'"' => in_quotes = !in_quotes,
            b'\n' if !in_quotes => {
                if i > 0 && bytes[i - 1] == b'\r' {
                    terminators += 1;
                } else {
                    bare_lf_outside += 1;
                }
            }
            _ => {}
        }
    }
    assert_eq!(terminators, rows().len() + 1);
    assert_eq!(bare_lf_outside, 0);
    assert!(
        !text.starts_with('\u{feff}'),
        "no BOM: RFC 4180 UTF-8 as v3.0 asks"
    );
}

#[test]
fn csv_numbers_are_never_neutralised() {
    let mut row = vec![Value::Null; 8];
    row[2] = Value::Integer(-5);
    row[3] = Value::Number(-1.25);
    row[6] = Value::Number(-45.5);
    let text = String::from_utf8(write(&structure(), Format::Csv, &[row])).expect("UTF-8");
    assert!(text.ends_with("\r\n,,-5,-1.25,,,-45.5,\r\n"), "{text}");
}

/// An element name as text.
fn utf8_name(name: &[u8]) -> String {
    String::from_utf8(name.to_owned()).expect("UTF-8 element name")
}

/// Reads a data XML file into rows of cell texts (`None` for `xsi:nil`).
fn read_xml(text: &str) -> Vec<Vec<(String, Option<String>)>> {
    let mut reader = Reader::from_str(text);
    let mut rows = Vec::new();
    let mut row: Vec<(String, Option<String>)> = Vec::new();
    let mut cell: Option<String> = None;
    let mut depth = 0;
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => {
                depth += 1;
                if depth == 3 {
                    let name = utf8_name(e.name().as_ref());
                    row.push((name, None));
                    cell = Some(String::new());
                }
            }
            Event::Empty(e) => {
                let name = utf8_name(e.name().as_ref());
                let nil = e
                    .try_get_attribute("xsi:nil")
                    .expect("attributes parse")
                    .is_some();
                assert!(nil, "empty element {name} without xsi:nil");
                row.push((name, None));
            }
            Event::Text(t) => {
                if let Some(c) = cell.as_mut() {
                    c.push_str(&t.xml10_content().expect("UTF-8 text"));
                }
            }
            Event::GeneralRef(r) => {
                let c = cell.as_mut().expect("references only inside cells");
                match r.resolve_char_ref().expect("valid char ref") {
                    Some(ch) => c.push(ch),
                    None => c.push_str(
                        resolve_predefined_entity(&r.decode().expect("UTF-8 reference"))
                            .expect("predefined entity"),
                    ),
                }
            }
            Event::End(_) => {
                if depth == 3 {
                    if let Some(last) = row.last_mut() {
                        last.1 = cell.take();
                    }
                } else if depth == 2 {
                    rows.push(std::mem::take(&mut row));
                }
                depth -= 1;
            }
            Event::Eof => break,
            _ => {}
        }
    }
    rows
}

#[test]
fn xml_round_trip() {
    let structure = structure();
    let text = String::from_utf8(write(&structure, Format::Xml, &rows())).expect("UTF-8");
    let read = read_xml(&text);
    let expected: Vec<Vec<(String, Option<String>)>> = rows()
        .iter()
        .map(|row| {
            row.iter()
                .zip(&structure.columns)
                .map(|(v, c)| (c.name.clone(), spelled(v)))
                .collect()
        })
        .collect();
    assert_eq!(read, expected);
}

#[test]
fn xml_keeps_carriage_returns_and_replaces_forbidden_characters() {
    let mut row = vec![Value::Null; 8];
    row[0] = Value::Text("a\r\nb\u{0}c\u{FFFF}".into());
    let text = String::from_utf8(write(&structure(), Format::Xml, &[row])).expect("UTF-8");
    let read = read_xml(&text);
    assert_eq!(read[0][0].1.as_deref(), Some("a\r\nb\u{FFFD}c\u{FFFD}"));
}

#[test]
fn json_round_trip() {
    let structure = structure();
    let bytes = write(&structure, Format::Json, &rows());
    let doc: serde_json::Value = serde_json::from_slice(&bytes).expect("valid JSON");
    let objects = doc.as_array().expect("top-level array");
    assert_eq!(objects.len(), rows().len());
    for (object, row) in objects.iter().zip(rows()) {
        let object = object.as_object().expect("row object");
        let keys: Vec<&String> = object.keys().collect();
        assert_eq!(keys.len(), structure.columns.len());
        for (column, value) in structure.columns.iter().zip(&row) {
            let got = &object[&column.name];
            let expected = match value {
                Value::Null => serde_json::Value::Null,
                Value::Text(s) => serde_json::Value::from(s.as_str()),
                Value::Integer(n) => serde_json::Value::from(*n),
                Value::Number(n) => serde_json::Value::from(*n),
                Value::Date(d) => serde_json::Value::from(d.format("%Y-%m-%d").to_string()),
                Value::Boolean(b) => serde_json::Value::from(*b),
            };
            assert_eq!(got, &expected, "column {}", column.name);
        }
    }
}

#[test]
fn json_keeps_column_order_in_each_object() {
    let text = String::from_utf8(write(&structure(), Format::Json, &rows()[..1])).expect("UTF-8");
    let line = text.lines().nth(1).expect("first row line");
    let positions: Vec<usize> = structure()
        .columns
        .iter()
        .map(|c| line.find(&format!("\"{}\":", c.name)).expect("key present"))
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{line}");
}

#[test]
fn small_csv_files_read_back() {
    let structure = structure();
    let text = structure_csv(&structure);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let read: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.expect("record").iter().map(str::to_owned).collect())
        .collect();
    assert_eq!(read.len(), structure.columns.len());
    assert_eq!(
        read[1],
        ["note", "Note, free text", "Примечание & <разное>", "string"]
    );
    for (row, column) in read.iter().zip(&structure.columns) {
        assert_eq!(
            ColumnType::from_structure_format(&row[3]),
            Some(column.kind)
        );
    }

    let passport = Passport {
        identifier: "2309000000-museums".into(),
        title: "Музеи, галереи".into(),
        description: "Строка 1\nстрока 2 с \"кавычками\"".into(),
        creator: "Министерство культуры Краснодарского края".into(),
        publisher_name: "Иванова Мария, главный специалист".into(),
        publisher_phone: "+7 (861) 000-00-00".into(),
        publisher_mbox: "ivanova@krasnodar.ru".into(),
        subject: vec!["музеи".into(), "культура".into()],
        created: d(2020, 1, 1),
        modified: d(2024, 1, 1),
        provenance: "Изменение данных".into(),
        valid: d(2025, 1, 1),
        format: Format::Csv,
        data_versions: vec![DataVersion {
            version: d(2024, 1, 1),
            structure: d(2020, 1, 1),
            provenance: "Изменение данных".into(),
            valid: d(2025, 1, 1),
        }],
        structure_versions: vec![d(2020, 1, 1)],
    };
    assert_eq!(passport.validate(), Ok(()));
    let text = meta_csv("https://opendata.krasnodar.ru/opendata", &passport);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let read: Vec<(String, String)> = reader
        .records()
        .map(|r| {
            let r = r.expect("record");
            (r[0].to_owned(), r[1].to_owned())
        })
        .collect();
    let get = |key: &str| {
        read.iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .expect("key present")
    };
    assert_eq!(get("description"), passport.description);
    assert_eq!(get("publishername"), passport.publisher_name);
    assert_eq!(get("subject"), "музеи,культура");
    assert_eq!(
        get("data-20240101-structure-20200101"),
        "https://opendata.krasnodar.ru/opendata/2309000000-museums/data-20240101-structure-20200101.csv"
    );
}
