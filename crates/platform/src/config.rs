//! Configuration: what the server reads from its environment, and the part the browser
//! needs (the map's tiles).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// Configuration the browser needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicConfig {
    /// Tile URL template with `{z}`, `{x}`, `{y}` (and optionally `{s}`).
    pub tile_url: String,
    /// Attribution shown on the map, as HTML.
    pub tile_attribution: String,
}

impl Default for PublicConfig {
    fn default() -> Self {
        Self {
            tile_url: "https://tile.openstreetmap.org/{z}/{x}/{y}.png".into(),
            tile_attribution:
                "&copy; <a href=\"https://www.openstreetmap.org/copyright\">OpenStreetMap</a>"
                    .into(),
        }
    }
}

/// The server's own configuration, provided to every server function.
#[cfg(feature = "ssr")]
#[derive(Debug, Clone)]
pub struct AppConfig {
    /// What the browser gets.
    pub public: PublicConfig,
    /// Whether cookies carry `Secure` (serve behind HTTPS).
    pub cookie_secure: bool,
    /// How long a session lasts.
    pub session_days: i64,
    /// How many reverse proxies of ours stand in front of the server (0: clients connect
    /// directly); see [`crate::client`].
    pub trusted_proxies: usize,
    /// Whether writes are counted against their per-account and per-address limits
    /// (off only for load tests, see [`crate::rate_limit`]).
    pub rate_limits: bool,
    /// Where uploaded photos and inspection acts are stored (served at `/media/`).
    pub media: crate::media::MediaStore,
    /// Where uploaded registry workbooks wait for their check and commit (not served).
    pub import_dir: std::path::PathBuf,
    /// The hour (UTC, 0-23) after which the day's open-data versions are published.
    pub opendata_publish_hour: u32,
    /// The portal's address as people open it (`https://host`), for links in e-mails:
    /// never taken from a request's `Host`, which anyone can set.
    pub site_url: String,
}

#[cfg(feature = "ssr")]
impl Default for AppConfig {
    fn default() -> Self {
        Self {
            public: PublicConfig::default(),
            cookie_secure: false,
            session_days: 30,
            trusted_proxies: 0,
            rate_limits: true,
            media: crate::media::MediaStore::in_directory(".data/media"),
            import_dir: std::path::PathBuf::from(".data/imports"),
            opendata_publish_hour: 2,
            site_url: "http://127.0.0.1:3000".into(),
        }
    }
}

#[cfg(feature = "ssr")]
impl AppConfig {
    /// The configuration in context, or the defaults.
    pub fn current() -> AppConfig {
        use_context::<AppConfig>().unwrap_or_default()
    }
}

/// The browser's part of the configuration.
#[server(endpoint = "config", input = server_fn::codec::GetUrl)]
pub async fn get_public_config() -> Result<PublicConfig, AppError> {
    Ok(AppConfig::current().public)
}
