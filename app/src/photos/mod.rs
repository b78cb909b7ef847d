//! Photos of problems: upload (decoded, checked, re-encoded without metadata, thumbnail),
//! staging until the report that carries them is created in one transaction, display, and
//! the removal of staged photos that no report took (`jobs`).

pub mod components;
#[cfg(feature = "ssr")]
pub mod jobs;
#[cfg(feature = "ssr")]
pub mod process;
#[cfg(feature = "ssr")]
pub mod queries;
#[cfg(all(test, feature = "testing"))]
mod tests;
#[cfg(feature = "ssr")]
pub mod upload;

use serde::{Deserialize, Serialize};

use platform::id_type;

id_type!(
    /// A stored photo (its `photos` row).
    PhotoId
);

/// Most photos per problem.
pub const MAX_PHOTOS: usize = 5;

/// A stored photo as pages show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Photo {
    /// The full image.
    pub url: String,
    /// The thumbnail.
    pub thumb_url: String,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

impl Photo {
    /// A stored photo by its file key.
    pub fn new(file_key: &str, width: u32, height: u32) -> Self {
        Self {
            url: media_url(file_key, false),
            thumb_url: media_url(file_key, true),
            width,
            height,
        }
    }
}

/// The answer to an upload: the handle to attach it with, and its thumbnail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Uploaded {
    /// The staging handle.
    pub token: String,
    /// The thumbnail.
    pub thumb_url: String,
}

/// The URL of a stored file.
pub fn media_url(file_key: &str, thumb: bool) -> String {
    if thumb {
        format!("/media/{file_key}-thumb.jpg")
    } else {
        format!("/media/{file_key}.jpg")
    }
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
