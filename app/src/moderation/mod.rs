//! Reports of publications, profiles and messages to the moderators, and their
//! decisions: hide (a publication), warn, suspend the author's writing for some days, or
//! dismiss; each with a reason the author is told in their notifications, and audited.
//! Comments keep their own reports and hiding (`discussion`), which this queue links to.

pub mod components;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod queries;
pub mod server_fns;

#[cfg(all(test, feature = "testing"))]
mod tests;
