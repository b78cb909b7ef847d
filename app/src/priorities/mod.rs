//! Development priorities and their ranks: moderators (and officials for their
//! municipality) keep a catalogue of priorities and publish citizens' proposals; each
//! person gives a few votes a quarter, counted for their home municipality when voting
//! and for the region; each closed quarter becomes an immutable snapshot of ranks for the
//! region (by raw votes and weighted by population) and for every municipality, built
//! once by a job under a lease, with its method published beside it.

#[cfg(feature = "ssr")]
pub mod jobs;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod queries;
#[cfg(feature = "ssr")]
pub mod seed;
pub mod server_fns;

#[cfg(all(test, feature = "testing"))]
mod tests;
