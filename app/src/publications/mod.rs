//! Publications: what people write (text with links, no markup, and photos) for those who
//! follow them, and departments' official news written by their officials; liked and
//! commented through the civic building blocks. The feed shows the reader's own, the
//! people and the departments they follow, newest first; anyone may read everyone's.

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
