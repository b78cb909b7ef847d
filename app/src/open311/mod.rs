//! Open311 GeoReport v2: the machine interface of citizens' control, and the API keys
//! users issue themselves on their account page.

#[cfg(feature = "ssr")]
pub mod api;
pub mod components;
#[cfg(feature = "ssr")]
pub mod format;
#[cfg(feature = "ssr")]
pub mod queries;
pub mod server_fns;
