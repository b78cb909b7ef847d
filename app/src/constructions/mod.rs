//! Construction control: the public registry of permitted constructions (table, map, entry
//! pages with their history), the officials' edits and Excel imports, citizens' reports of
//! illegal construction with their published verification, the registry of illegal
//! constructions, exports and analytics.

#[cfg(feature = "ssr")]
pub mod acts;
pub mod components;
#[cfg(feature = "ssr")]
pub mod exports;
pub mod footprint;
pub mod import;
#[cfg(feature = "ssr")]
pub mod importer;
pub mod inn;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod queries;
#[cfg(feature = "ssr")]
pub mod seed;
pub mod server_fns;
pub mod texts;

#[cfg(all(test, feature = "testing"))]
mod tests;
