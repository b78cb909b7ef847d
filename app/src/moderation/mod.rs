//! Reports of publications, albums, challenges, solutions, profiles and messages to the
//! moderators, and their decisions: hide (what is published), remove (a publication's
//! text and photos, an album, a profile's text and avatar), warn, suspend the author's
//! writing for some days, or dismiss; each with a reason the author is told in their
//! notifications, and audited.
//! Comments keep their own reports and hiding (`discussion`), which this queue links to.

pub mod components;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod queries;
pub mod server_fns;

#[cfg(all(test, feature = "testing"))]
mod tests;
