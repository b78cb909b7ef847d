//! File formats of the "Open Region" open-data section.
//!
//! Everything a portal needs to publish datasets the way the Russian methodological
//! recommendations v3.0 describe them (registry `list.*`, passport `meta.*`, versioned
//! `data-…-structure-….*` and `structure-….*` files), plus the two international
//! descriptions harvesters read: a DCAT-AP JSON-LD catalog and a Frictionless
//! `datapackage.json`.
//!
//! The small files are built in memory and returned as `String`; data files are written
//! row by row through [`DataWriter`] so a million-row version needs flat memory. Nothing
//! here touches the network, a database or the file system: the app builds the module for
//! the server only (`ssr`), but it would compile for WASM as well.

mod datapackage;
mod dcat;
mod infer;
mod names;
mod passport;
mod structure;
mod text;
mod value;
mod writer;

pub use datapackage::{DataPackageError, License, datapackage_json, datapackage_json_with_license};
pub use dcat::{CatalogInfo, DcatDataset, DcatDistribution, dcat_catalog_jsonld};
pub use infer::{infer_structure, machine_name_from_header, transliterate};
pub use names::{
    DATAPACKAGE_FILE_NAME, FileName, Format, StructureFormat, data_file_name, list_file_name,
    meta_file_name, parse_file_name, structure_file_name,
};
pub use passport::{
    DataVersion, FieldError, FieldErrorKind, Passport, RegistryEntry, STANDARD_VERSION_URL,
    list_csv, list_json, list_xml, meta_csv, meta_json, meta_xml,
};
pub use structure::{
    Column, ColumnType, MAX_NAME_LEN, Structure, StructureError, is_machine_name, structure_csv,
    structure_json_schema, structure_xsd,
};
pub use value::{CellError, Value, parse_cell};
pub use writer::{DataWriter, RowError};

#[cfg(test)]
mod tests;
