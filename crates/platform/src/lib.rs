//! Open Region's platform layer: what every feature stands on and none of them owns.
//!
//! Ids, the one error type, the i18n core, the clock, periods of days, configuration,
//! cookies, conditional requests, the client behind proxies, the security policy, the database (pool, schema, test databases),
//! geography, job leases, the outbox and e-mail, write limits, bounds on heavy work,
//! uploads and workbooks, XML text, the query strings of list links, keyset paging and the
//! listed HTTP routes. This crate never imports a
//! feature: it is a separate crate so that the compiler refuses such an import, and
//! `scripts/test` checks that no feature crate is among its dependencies.

#[cfg(feature = "ssr")]
pub mod capacity;
#[cfg(feature = "ssr")]
pub mod client;
#[cfg(feature = "ssr")]
pub mod clock;
#[cfg(feature = "ssr")]
pub mod conditional;
pub mod config;
pub mod cookies;
#[cfg(feature = "ssr")]
pub mod csp;
pub mod days;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod dice;
pub mod email;
pub mod error;
pub mod geo;
pub mod i18n;
pub mod ids;
#[cfg(feature = "ssr")]
pub mod jobs;
pub mod keyset;
#[cfg(feature = "ssr")]
pub mod mail;
#[cfg(feature = "ssr")]
pub mod media;
#[cfg(feature = "ssr")]
pub mod ooxml;
#[cfg(feature = "ssr")]
pub mod outbox;
pub mod query;
pub mod ranking;
#[cfg(feature = "ssr")]
pub mod rate_limit;
#[cfg(feature = "ssr")]
pub mod recent;
#[cfg(feature = "ssr")]
pub mod routes;
pub mod sketch;
pub mod sql;
pub mod text;
#[cfg(feature = "ssr")]
pub mod uploads;
pub mod webhook;
#[cfg(feature = "ssr")]
pub mod workbook;
pub mod xml;
