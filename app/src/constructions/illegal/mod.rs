//! The registry of illegal constructions: buildings put up without the authorities'
//! permission, public as a table, on the map and as files, each entry with the history of
//! its case. A citizen's "not in the registry" report whose inspection confirms it enters
//! the registry, linked both ways.

pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod queries;
pub mod server_fns;
