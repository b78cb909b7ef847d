//! A person's own data: everything they created, downloaded as one file (`data.json`
//! and their photos in a ZIP), and the deletion of their account. Their public
//! contributions stay, under a name that no longer names them ("Удалённый
//! пользователь"), so that threads and counts do not break; everything else that is
//! theirs goes.

pub mod components;
#[cfg(feature = "ssr")]
pub mod download;
#[cfg(feature = "ssr")]
pub mod queries;
pub mod server_fns;

#[cfg(all(test, feature = "testing"))]
mod tests;
