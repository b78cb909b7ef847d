//! The open-data portal: the datasets the region publishes and the files that describe them
//! (the Russian methodological recommendations v3.0, DCAT-AP, Frictionless).

#[cfg(feature = "ssr")]
pub mod format;
#[cfg(feature = "ssr")]
pub mod jobs;
#[cfg(feature = "ssr")]
pub mod live;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod queries;
#[cfg(feature = "ssr")]
pub mod routes;
#[cfg(feature = "ssr")]
pub mod rows;
#[cfg(feature = "ssr")]
pub mod rows_api;
pub mod server_fns;

#[cfg(all(test, feature = "testing"))]
mod rows_tests;
#[cfg(all(test, feature = "testing"))]
mod tests;
