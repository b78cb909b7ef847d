//! Law-making and law expertise: regional and municipal initiatives through concept,
//! idea discussion, drafting, expertise and the government's reaction, with the public
//! history of every step.
//!
//! Built so far: proposing, moderation, the concept's supports against its level's
//! threshold within a window, the dated idea discussion whose comments take a position,
//! following and notifications, the scheduler's stage clock; the drafting stage's
//! versions (pasted or from a .docx, split into articles), amendments with supports and
//! dispositions, and the comparison of versions. The expertise and the reaction clock are
//! the next parts (issue 14).

pub mod components;
#[cfg(feature = "ssr")]
pub mod exports;
#[cfg(feature = "ssr")]
pub mod jobs;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod queries;
#[cfg(feature = "ssr")]
pub mod seed;
pub mod server_fns;
pub mod texts;
#[cfg(feature = "ssr")]
pub mod upload;

#[cfg(all(test, feature = "testing"))]
mod tests;
