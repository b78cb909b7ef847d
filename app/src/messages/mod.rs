//! Direct messages: one-to-one conversations between people, and conversations an
//! official opens with a problem's author about the problem. Unread counts are exact
//! under concurrent sends and reads; an open conversation receives new messages live
//! (server-sent events fed from the database, so across server instances); a block
//! either way stops the next message, and the refusal says nothing about the account.

pub mod components;
#[cfg(feature = "ssr")]
pub mod live;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod queries;
#[cfg(feature = "ssr")]
pub mod seed;
pub mod server_fns;

#[cfg(all(test, feature = "testing"))]
mod tests;
