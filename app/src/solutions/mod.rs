//! Solutions for city problems: officials and moderators publish challenges (a known
//! city problem, where it is on the map, and a period for proposals); citizens propose
//! solutions with a sketch on the map (a route, stops, a zone), support and discuss them;
//! the challenge's owner answers each with a public status and reason.
//!
//! Built on the civic building blocks: supports, comments (reported and hidden as
//! everywhere), following and the bell, and the audit log of staff actions.

pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod queries;
#[cfg(feature = "ssr")]
pub mod seed;
pub mod server_fns;

#[cfg(all(test, feature = "testing"))]
mod tests;
