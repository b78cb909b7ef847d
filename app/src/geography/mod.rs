//! Geography: the 44 municipalities of Krasnodar Krai, their boundaries, and which
//! municipality a point belongs to.

pub mod boundaries;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod queries;
pub mod server_fns;
