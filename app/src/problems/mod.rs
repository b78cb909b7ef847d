//! Citizens' control: problems pinned on the map, routed to departments, with the public
//! reaction clock, the moderators' queue, the department workspace and the scheduler.

pub mod components;
#[cfg(feature = "ssr")]
pub mod jobs;
pub mod model;
pub mod offline;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod queries;
#[cfg(feature = "ssr")]
pub mod seed;
pub mod server_fns;
#[cfg(feature = "testing")]
pub mod testing;
pub mod texts;

#[cfg(all(test, feature = "testing"))]
mod tests;
