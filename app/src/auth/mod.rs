//! Accounts: registration, sign-in, sessions in MySQL, roles, and the server-side checks
//! every server function uses.

pub mod components;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub mod queries;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod session;
#[cfg(feature = "testing")]
pub mod testing;
pub mod texts;
