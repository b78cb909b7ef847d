//! Civic building blocks: what every subject of civic life (a problem, a construction
//! report, an initiative, a solution, ...) carries, written once.
//!
//! - [`subject`]: a subject is a kind (declared by the feature that owns it) and an id;
//! - [`comments`]: discussions, reported by users and hidden by moderators with a reason;
//! - [`supports`]: one support per person and subject, exact under concurrency;
//! - [`follows`] and [`notifications`]: who is told about a subject's steps, and the bell;
//! - [`reaction_clock`]: the public deadline of an official reaction, with the reminder,
//!   the overdue mark and the escalation to a supervising department;
//! - [`links`]: links between subjects of different features, read from either end;
//! - [`audit`]: the append-only record of every staff action;
//! - [`blocks`]: a person blocks another from commenting on their content, following
//!   them and writing to them.
//!
//! This crate stands on the platform and never imports a feature: features name their
//! subjects with a [`subject::SubjectKind`] and keep their own counters and timelines.

pub mod audit;
#[cfg(feature = "ssr")]
pub mod blocks;
pub mod comments;
#[cfg(feature = "ssr")]
pub mod follows;
pub mod links;
pub mod notifications;
pub mod photos;
pub mod reaction_clock;
pub mod subject;
#[cfg(feature = "ssr")]
pub mod supports;
#[cfg(feature = "testing")]
pub mod testing;
