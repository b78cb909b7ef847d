//! Photos: upload (decoded, checked, re-encoded without metadata, thumbnail), display, and
//! the removal of the files of staged photos that no subject took (`jobs`). The rows
//! (staging, attaching to any subject, listing) are the civic layer's `civic::photos`.

pub mod components;
#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod jobs;
#[cfg(feature = "ssr")]
pub mod process;
#[cfg(all(test, feature = "testing"))]
mod tests;
#[cfg(feature = "ssr")]
pub mod upload;

use serde::{Deserialize, Serialize};

pub use civic::photos::{Photo, PhotoId, media_url};

/// Most photos per problem.
pub const MAX_PHOTOS: usize = 5;

/// The answer to an upload: the handle to attach it with, and its thumbnail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Uploaded {
    /// The staging handle.
    pub token: String,
    /// The thumbnail.
    pub thumb_url: String,
}

/// The staging handles in a form field (comma-separated), or why they are refused: more
/// than `MAX_PHOTOS`, or one that is not a handle we issue.
pub fn parse_tokens(field: &str) -> Result<Vec<String>, platform::error::ErrorCode> {
    let tokens: Vec<String> = field
        .split(',')
        .map(str::trim)
        .filter(|token| !token.is_empty())
        .map(str::to_string)
        .collect();
    if tokens.len() > MAX_PHOTOS {
        Err(platform::error::ErrorCode::OutOfRange {
            min: 0,
            max: MAX_PHOTOS as i64,
        })
    } else if tokens.iter().all(|token| is_token(token)) {
        Ok(tokens)
    } else {
        Err(platform::error::ErrorCode::PhotoMissing)
    }
}

/// Whether `token` looks like one we issued (32 hex digits).
pub fn is_token(token: &str) -> bool {
    token.len() == 32 && token.chars().all(|c| c.is_ascii_hexdigit())
}
