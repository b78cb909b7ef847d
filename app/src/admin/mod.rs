//! The management area: the staff's dashboard, users and roles, departments, themes,
//! routing rules, municipality boundaries and the audit log.

pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod queries;
pub mod server_fns;
