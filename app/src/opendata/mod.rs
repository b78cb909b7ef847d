//! The open-data portal: the datasets the region publishes and the files that describe them
//! (the Russian methodological recommendations v3.0, DCAT-AP, Frictionless).

#[cfg(feature = "ssr")]
pub mod ckan;
#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod format;
#[cfg(feature = "ssr")]
pub mod http;
#[cfg(feature = "ssr")]
pub mod jobs;
#[cfg(feature = "ssr")]
pub mod live;
#[cfg(feature = "ssr")]
pub mod manage;
pub mod manage_fns;
pub mod map;
pub mod model;
#[cfg(feature = "ssr")]
pub mod openapi;
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
#[cfg(feature = "ssr")]
pub mod table;

#[cfg(all(test, feature = "testing"))]
mod manage_tests;
#[cfg(all(test, feature = "testing"))]
mod rows_tests;
#[cfg(all(test, feature = "testing"))]
mod tests;
