//! The Governor's dashboard: the region's figures by period, municipality, department,
//! theme and month, read from monthly aggregates that one job keeps current, each figure
//! linked to the list behind it, downloadable as XLSX and PDF.

#[cfg(feature = "ssr")]
pub mod exports;
#[cfg(feature = "ssr")]
pub mod jobs;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod queries;
pub mod server_fns;
pub mod texts;

#[cfg(all(test, feature = "testing"))]
mod tests;
