//! JSON data files validate against `structure_json_schema` with the jsonschema crate,
//! formats (`date`) included; tampered files do not.

use super::common::{rows, structure, write};
use crate::opendata::format::*;
use serde_json::{Value as Json, json};

fn validator(structure: &Structure) -> jsonschema::Validator {
    let schema: Json =
        serde_json::from_str(&structure_json_schema(structure)).expect("schema is JSON");
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("schema compiles")
}

fn errors(validator: &jsonschema::Validator, instance: &Json) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|e| e.to_string())
        .collect()
}

#[test]
fn schema_is_valid_draft_07() {
    let schema: Json = serde_json::from_str(&structure_json_schema(&structure())).expect("JSON");
    assert!(jsonschema::draft7::meta::is_valid(&schema));
}

#[test]
fn generated_data_validates() {
    let structure = structure();
    let data: Json =
        serde_json::from_slice(&write(&structure, Format::Json, &rows())).expect("data is JSON");
    assert_eq!(errors(&validator(&structure), &data), Vec::<String>::new());
}

#[test]
fn empty_data_file_validates() {
    let structure = structure();
    let data: Json = serde_json::from_slice(&write(&structure, Format::Json, &[])).expect("JSON");
    assert_eq!(data, json!([]));
    assert!(validator(&structure).is_valid(&data));
}

#[test]
fn tampered_data_is_rejected() {
    let structure = structure();
    let validator = validator(&structure);
    let data: Json =
        serde_json::from_slice(&write(&structure, Format::Json, &rows()[..1])).expect("JSON");
    let tamper = |f: &dyn Fn(&mut serde_json::Map<String, Json>)| {
        let mut copy = data.clone();
        f(copy[0].as_object_mut().expect("row object"));
        copy
    };
    for (what, bad) in [
        (
            "number as string",
            tamper(&|o| {
                o.insert("area".into(), json!("1234.5"));
            }),
        ),
        (
            "decimal in integer",
            tamper(&|o| {
                o.insert("count".into(), json!(1.5));
            }),
        ),
        (
            "russian date",
            tamper(&|o| {
                o.insert("opened".into(), json!("01.06.2013"));
            }),
        ),
        (
            "impossible date",
            tamper(&|o| {
                o.insert("opened".into(), json!("2013-02-30"));
            }),
        ),
        (
            "boolean as text",
            tamper(&|o| {
                o.insert("free".into(), json!("да"));
            }),
        ),
        (
            "latitude out of range",
            tamper(&|o| {
                o.insert("lat".into(), json!(91));
            }),
        ),
        (
            "longitude out of range",
            tamper(&|o| {
                o.insert("lon".into(), json!(-180.5));
            }),
        ),
        (
            "missing column",
            tamper(&|o| {
                o.remove("note");
            }),
        ),
        (
            "unknown column",
            tamper(&|o| {
                o.insert("extra".into(), json!(1));
            }),
        ),
    ] {
        assert!(!validator.is_valid(&bad), "{what}: accepted");
    }
    assert!(!validator.is_valid(&json!({"name": "not an array"})));
}
