//! The format's tests against independent readers and validators (csv, quick-xml,
//! serde_json, jsonschema, libxml2's `xmllint`) and against the reference's examples, with
//! the fixtures they share. The examples themselves are in `../testdata/`.

mod common;
mod json_schema;
mod reference_examples;
mod roundtrip;
mod streaming;
mod xsd_validation;
