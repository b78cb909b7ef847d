//! Ratings of government services: citizens rate a service as one department provides it
//! on quality, convenience and speed once a month; each closed month becomes an immutable
//! snapshot of means, Bayesian scores and ranks, built once by a job under a lease, with
//! its method published beside it. The ratings' comments are the service's discussion
//! (the shared comments), where the providers answer.

#[cfg(feature = "ssr")]
pub mod import;
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
