//! People's public profiles: the name they go by, an avatar (the photo pipeline: re-encoded,
//! metadata stripped), "about me", and the parts of their public activity they choose to
//! show (problems, solutions, initiatives, comments; each off until turned on). Others
//! follow a person as a civic subject of kind [`crate::auth::model::PERSON`].
//!
//! It reads the titles of several features' subjects, so it sits above the features; the
//! account page gets its editing section from the route table. The activity feed
//! (`feed`) shows what followed people did and what is new in followed municipalities and
//! challenges.

pub mod components;
#[cfg(feature = "ssr")]
pub mod feed;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod queries;
#[cfg(feature = "ssr")]
pub mod seed;
pub mod server_fns;

#[cfg(all(test, feature = "testing"))]
mod tests;
