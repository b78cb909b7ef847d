//! The organisation of government: departments, problem themes, and the routing rules
//! that decide which department receives a report.

pub mod components;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod queries;
pub mod server_fns;
#[cfg(feature = "testing")]
pub mod testing;
