//! The server's configuration, read from the environment once at start. Bad values fail
//! the start with one clear line naming the variable.

use std::env;

use app::opendata::queries::Publisher;
use platform::config::{AppConfig, PublicConfig};
use platform::media::MediaStore;

/// Everything the server reads from its environment (the `LEPTOS_*` variables are read by
/// Leptos itself).
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// `DATABASE_URL`: mysql://user:password@host:port/database.
    pub database_url: String,
    /// `OPEN_REGION_DB_POOL_SIZE`: connections in the pool (default 16).
    pub pool_size: usize,
    /// `OPEN_REGION_DB_STATEMENT_TIMEOUT_SECS`: the longest one statement may run
    /// (default 30; 0 means no limit).
    pub statement_timeout_secs: u64,
    /// `OPEN_REGION_JOB_INTERVAL_SECS`: how often the scheduled jobs run (default 60; 0
    /// turns the scheduler off on this instance).
    pub job_interval_secs: u64,
    /// `OPEN_REGION_PUBLIC_CACHE_MS`: how long anonymous readers' answers are kept in
    /// memory (default 1000; 0 turns the public cache off). A write through another
    /// instance shows to anonymous readers of this one within this time.
    pub public_cache_ms: u64,
    /// `OPEN_REGION_PUBLIC_CACHE_MB`: the most memory those answers take (default 64).
    pub public_cache_mb: usize,
    /// What the application itself needs.
    pub app: AppConfig,
    /// Who publishes the open datasets (identifier prefix and passport contacts); `None`
    /// when not configured: then nothing is published, and the open-data editor says why.
    pub publisher: Option<Publisher>,
    /// Where the outbox's e-mail goes.
    pub mail: MailConfig,
    /// `OPEN_REGION_METRICS_TOKEN`: the bearer token a scrape of `/metrics` must show;
    /// unset, `/metrics` is open to whoever reaches the server (keep it off the public
    /// network then).
    pub metrics_token: Option<String>,
}

/// Where the outbox's e-mail goes: the SMTP relay when one is configured, otherwise
/// `.eml` files in a directory (development, the demo, the browser tests).
#[derive(Debug, Clone)]
pub struct MailConfig {
    /// `OPEN_REGION_SMTP_URL`: `smtp://[user:password@]host[:port]` of the relay.
    pub smtp_url: Option<String>,
    /// `OPEN_REGION_MAIL_DIR`: where messages are written without a relay
    /// (default `.data/mail`).
    pub directory: std::path::PathBuf,
    /// `OPEN_REGION_MAIL_FROM`: the sender, e.g. `Открытый регион <noreply@example.ru>`.
    pub from: String,
    /// `OPEN_REGION_OUTBOX_POLL_MS`: how often each instance looks for due outbox events
    /// (default 1000; 0 turns delivery off on this instance).
    pub poll_ms: u64,
    /// `OPEN_REGION_WEBHOOK_CA_FILE`: a PEM file of root certificates that departments'
    /// HTTPS endpoints may be signed by, trusted beside the system's (e.g. the Russian
    /// Trusted Root CA, which many state systems use and system stores lack).
    pub webhook_ca_file: Option<std::path::PathBuf>,
}

/// Why the configuration was refused.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// A required variable is not set.
    #[error("{0} is not set (see README.md, \"Configuration\")")]
    Missing(&'static str),
    /// A variable has a value that cannot be used.
    #[error("{name} has an invalid value {value:?}: {expected}")]
    Invalid {
        name: &'static str,
        value: String,
        expected: &'static str,
    },
}

fn optional(name: &'static str) -> Option<String> {
    env::var(name)
        .ok()
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

fn parse<T: std::str::FromStr>(
    name: &'static str,
    default: T,
    expected: &'static str,
    valid: impl Fn(&T) -> bool,
) -> Result<T, ConfigError> {
    match optional(name) {
        None => Ok(default),
        Some(value) => value
            .parse::<T>()
            .ok()
            .filter(|parsed| valid(parsed))
            .ok_or(ConfigError::Invalid {
                name,
                value,
                expected,
            }),
    }
}

fn flag(name: &'static str) -> Result<bool, ConfigError> {
    match optional(name).as_deref() {
        None | Some("0" | "false" | "no") => Ok(false),
        Some("1" | "true" | "yes") => Ok(true),
        Some(other) => Err(ConfigError::Invalid {
            name,
            value: other.into(),
            expected: "true or false",
        }),
    }
}

impl ServerConfig {
    /// Reads the configuration from the environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        let database_url = optional("DATABASE_URL").ok_or(ConfigError::Missing("DATABASE_URL"))?;
        if !database_url.starts_with("mysql://") {
            return Err(ConfigError::Invalid {
                name: "DATABASE_URL",
                value: "(hidden)".into(),
                expected: "a mysql:// URL",
            });
        }
        let defaults = PublicConfig::default();
        let tile_url = optional("OPEN_REGION_TILE_URL").unwrap_or(defaults.tile_url);
        if !(tile_url.contains("{z}") && tile_url.contains("{x}") && tile_url.contains("{y}")) {
            return Err(ConfigError::Invalid {
                name: "OPEN_REGION_TILE_URL",
                value: tile_url,
                expected: "a URL template with {z}, {x} and {y}",
            });
        }
        Ok(ServerConfig {
            database_url,
            pool_size: parse(
                "OPEN_REGION_DB_POOL_SIZE",
                16,
                "a number from 1 to 512",
                |n| (1..=512).contains(n),
            )?,
            statement_timeout_secs: parse(
                "OPEN_REGION_DB_STATEMENT_TIMEOUT_SECS",
                platform::db::STATEMENT_TIMEOUT.as_secs(),
                "a number of seconds from 0 (no limit) to 3600",
                |n| *n <= 3600,
            )?,
            job_interval_secs: parse(
                "OPEN_REGION_JOB_INTERVAL_SECS",
                60,
                "a number of seconds from 0 (off) to 86400",
                |n| *n <= 86_400,
            )?,
            public_cache_ms: parse(
                "OPEN_REGION_PUBLIC_CACHE_MS",
                1000,
                "a number of milliseconds from 0 (off) to 60000",
                |ms| *ms <= 60_000,
            )?,
            public_cache_mb: parse(
                "OPEN_REGION_PUBLIC_CACHE_MB",
                64,
                "a number of megabytes from 1 to 4096",
                |mb| (1..=4096).contains(mb),
            )?,
            publisher: publisher_from(optional)?,
            metrics_token: optional("OPEN_REGION_METRICS_TOKEN"),
            mail: MailConfig {
                smtp_url: optional("OPEN_REGION_SMTP_URL"),
                directory: optional("OPEN_REGION_MAIL_DIR")
                    .unwrap_or_else(|| ".data/mail".into())
                    .into(),
                from: optional("OPEN_REGION_MAIL_FROM")
                    .unwrap_or_else(|| "Открытый регион <noreply@openregion.localhost>".into()),
                poll_ms: parse(
                    "OPEN_REGION_OUTBOX_POLL_MS",
                    1000,
                    "a number of milliseconds from 0 (off) to 600000",
                    |ms| *ms <= 600_000,
                )?,
                webhook_ca_file: optional("OPEN_REGION_WEBHOOK_CA_FILE").map(Into::into),
            },
            app: AppConfig {
                public: PublicConfig {
                    tile_url,
                    tile_attribution: optional("OPEN_REGION_TILE_ATTRIBUTION")
                        .unwrap_or(defaults.tile_attribution),
                },
                cookie_secure: flag("OPEN_REGION_COOKIE_SECURE")?,
                session_days: parse(
                    "OPEN_REGION_SESSION_DAYS",
                    30,
                    "a number of days from 1 to 365",
                    |d| (1..=365).contains(d),
                )?,
                trusted_proxies: parse(
                    "OPEN_REGION_TRUSTED_PROXIES",
                    0,
                    "the number of reverse proxies in front of the server, 0 to 8",
                    |n| *n <= 8,
                )?,
                rate_limits: !matches!(optional("OPEN_REGION_RATE_LIMITS").as_deref(), Some("off")),
                media: MediaStore::in_directory(
                    optional("OPEN_REGION_MEDIA_DIR").unwrap_or_else(|| ".data/media".into()),
                ),
                import_dir: optional("OPEN_REGION_IMPORT_DIR")
                    .unwrap_or_else(|| ".data/imports".into())
                    .into(),
                opendata_publish_hour: parse(
                    "OPEN_REGION_OPENDATA_PUBLISH_HOUR",
                    2,
                    "an hour of the day (UTC) from 0 to 23",
                    |hour| *hour <= 23,
                )?,
                site_url: site_url()?,
            },
        })
    }
}

/// `OPEN_REGION_SITE_URL`, the address people open the portal at (links in e-mails);
/// by default the address the server listens on.
fn site_url() -> Result<String, ConfigError> {
    let url = optional("OPEN_REGION_SITE_URL").unwrap_or_else(|| {
        let address = optional("LEPTOS_SITE_ADDR").unwrap_or_else(|| "127.0.0.1:3000".into());
        format!("http://{address}")
    });
    let host = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .unwrap_or_default()
        .trim_end_matches('/');
    if host.is_empty() || host.contains(['/', '?', '#', ' ']) {
        return Err(ConfigError::Invalid {
            name: "OPEN_REGION_SITE_URL",
            value: url,
            expected: "http:// or https:// and a host, without a path",
        });
    }
    Ok(url.trim_end_matches('/').to_string())
}

/// The variables naming the open-data publisher, all required once one is set.
const PUBLISHER_VARIABLES: [&str; 5] = [
    "OPEN_REGION_OPENDATA_INN",
    "OPEN_REGION_OPENDATA_CREATOR",
    "OPEN_REGION_OPENDATA_PERSON",
    "OPEN_REGION_OPENDATA_PHONE",
    "OPEN_REGION_OPENDATA_EMAIL",
];

/// The organisation that publishes the open datasets: its INN (checked, since it prefixes
/// every dataset identifier) and the passports' contacts, read through `lookup` (the
/// environment). None of the five set: no publisher, and nothing is published rather
/// than in a made-up name. `OPEN_REGION_OPENDATA_PUBLISHER=demo` takes the demo
/// publisher, for the demo and the test suite only.
fn publisher_from(
    lookup: impl Fn(&'static str) -> Option<String>,
) -> Result<Option<Publisher>, ConfigError> {
    if let Some(choice) = lookup("OPEN_REGION_OPENDATA_PUBLISHER") {
        return match choice.as_str() {
            "demo" => Ok(Some(Publisher::demo())),
            _ => Err(ConfigError::Invalid {
                name: "OPEN_REGION_OPENDATA_PUBLISHER",
                value: choice,
                expected: "demo, or unset with the OPEN_REGION_OPENDATA_* contacts set",
            }),
        };
    }
    let [inn, creator, person, phone, email] = PUBLISHER_VARIABLES.map(&lookup);
    let (Some(inn), Some(creator), Some(person), Some(phone), Some(email)) =
        (inn, creator, person, phone, email)
    else {
        return match PUBLISHER_VARIABLES
            .into_iter()
            .find(|name| lookup(name).is_none())
        {
            Some(missing)
                if PUBLISHER_VARIABLES
                    .iter()
                    .any(|name| lookup(name).is_some()) =>
            {
                Err(ConfigError::Missing(missing))
            }
            _ => Ok(None),
        };
    };
    if app::constructions::inn::check_inn(&inn).is_err() {
        return Err(ConfigError::Invalid {
            name: "OPEN_REGION_OPENDATA_INN",
            value: inn,
            expected: "a valid INN of 10 or 12 digits",
        });
    }
    Ok(Some(Publisher {
        inn,
        creator,
        person,
        phone,
        email,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn publisher_of(pairs: &[(&'static str, &str)]) -> Result<Option<Publisher>, ConfigError> {
        publisher_from(|name| {
            pairs
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| value.to_string())
        })
    }

    #[test]
    fn the_open_data_publisher_is_configured_whole_or_not_at_all() {
        assert_eq!(publisher_of(&[]).expect("valid"), None, "nothing set");
        assert_eq!(
            publisher_of(&[("OPEN_REGION_OPENDATA_PUBLISHER", "demo")]).expect("valid"),
            Some(Publisher::demo())
        );
        let whole = [
            ("OPEN_REGION_OPENDATA_INN", "2308000007"),
            ("OPEN_REGION_OPENDATA_CREATOR", "Администрация"),
            ("OPEN_REGION_OPENDATA_PERSON", "Петров П. П."),
            ("OPEN_REGION_OPENDATA_PHONE", "+78612000000"),
            ("OPEN_REGION_OPENDATA_EMAIL", "opendata@example.test"),
        ];
        let publisher = publisher_of(&whole).expect("valid").expect("configured");
        assert_eq!(
            (publisher.inn.as_str(), publisher.person.as_str()),
            ("2308000007", "Петров П. П.")
        );
        assert!(matches!(
            publisher_of(&whole[..4]),
            Err(ConfigError::Missing("OPEN_REGION_OPENDATA_EMAIL"))
        ));
        let mut wrong_inn = whole;
        wrong_inn[0].1 = "2308000008";
        assert!(matches!(
            publisher_of(&wrong_inn),
            Err(ConfigError::Invalid {
                name: "OPEN_REGION_OPENDATA_INN",
                ..
            })
        ));
        assert!(matches!(
            publisher_of(&[("OPEN_REGION_OPENDATA_PUBLISHER", "yes")]),
            Err(ConfigError::Invalid { .. })
        ));
    }
}
