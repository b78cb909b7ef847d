//! The open-data portal: the datasets the region publishes and the files that describe them
//! (the Russian methodological recommendations v3.0, DCAT-AP, Frictionless).

pub mod format;
pub mod jobs;
pub mod live;
pub mod model;
pub mod queries;
pub mod routes;

#[cfg(all(test, feature = "testing"))]
mod tests;
