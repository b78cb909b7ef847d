//! The server's integration tests, one test binary: each module below was a test binary
//! of its own, and linking sixteen copies of the whole application took minutes of every
//! test run. Every test still has its own database (see `platform::db::testing`), so the
//! modules run in parallel as before.

mod common;

mod account;
mod answers_api;
mod authorisation;
mod ckan;
mod constructions;
mod crash;
mod http;
mod messages;
mod observability;
mod open311;
mod openapi;
mod opendata;
mod opendata_uploads;
mod photos;
mod public_cache;
mod security;
mod static_files;
mod webhooks;
