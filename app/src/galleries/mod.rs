//! Galleries: a person's albums of photos with captions, for everyone or only for the
//! people who follow them, and for whoever holds the album's share link. Photos go through
//! the photo pipeline (re-encoded, metadata stripped) and are civic photos of the album;
//! a moderator may hide an album like a publication.

pub mod components;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod queries;
#[cfg(feature = "ssr")]
pub mod seed;
pub mod server_fns;

#[cfg(all(test, feature = "testing"))]
mod tests;
