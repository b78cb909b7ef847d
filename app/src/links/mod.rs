//! Links between subjects of different features, made and read above the features: the
//! owner of a challenge turns an accepted solution into a law-making initiative (which
//! is published as a concept at once) and links the challenge to problems of citizens'
//! control and to initiatives. Each end's page shows the link through the section the
//! route table adds to it ([`components::LinkedSubjects`]), so neither feature names
//! the other.
//!
//! The links are the civic `subject_links` rows; turning and linking are audited and
//! the solution's followers are told when it becomes an initiative.

pub mod components;
pub mod model;
#[cfg(feature = "ssr")]
pub mod queries;
#[cfg(feature = "ssr")]
pub mod seed;
pub mod server_fns;

#[cfg(all(test, feature = "testing"))]
mod tests;
