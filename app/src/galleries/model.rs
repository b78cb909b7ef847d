//! Albums as the wire carries them, and the pure checks of what their owner types.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use crate::photos::Photo;
use civic::photos::CAPTION_MAX;
use civic::subject::{Subject, SubjectKind};
use platform::error::{AppError, ErrorCode, FieldError, check_optional_text, check_text};
use platform::ids::UserId;

/// An album, as a civic subject (its photos are civic photos).
pub const GALLERY: SubjectKind = SubjectKind::new("gallery");

/// The longest title, in characters.
pub const TITLE_MAX: usize = 120;

/// The longest description, in characters.
pub const DESCRIPTION_MAX: usize = 2000;

/// The most photos one album holds.
pub const PHOTOS_MAX: u32 = 60;

platform::id_type!(
    /// An album's id.
    GalleryId
);

impl GalleryId {
    /// The album as a civic subject.
    pub fn subject(self) -> Subject {
        Subject::new(GALLERY, self.0)
    }
}

/// Who sees an album (besides its owner and whoever holds its share link).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Audience {
    /// Everyone, signed in or not.
    #[default]
    Public,
    /// The people who follow the owner.
    Followers,
}

impl Audience {
    /// Both, in the order the form offers them.
    pub const ALL: [Audience; 2] = [Audience::Public, Audience::Followers];

    /// Its stored (and form) name.
    pub fn as_db(self) -> &'static str {
        match self {
            Audience::Public => "public",
            Audience::Followers => "followers",
        }
    }

    /// The audience a stored or submitted name names.
    pub fn from_db(text: &str) -> Option<Audience> {
        Self::ALL
            .into_iter()
            .find(|audience| audience.as_db() == text)
    }
}

/// An album in a list: its cover (the first photo) and how many photos it has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GallerySummary {
    /// Its id.
    pub id: GalleryId,
    /// Its title.
    pub title: String,
    /// Who sees it.
    pub audience: Audience,
    /// How many photos.
    pub photos: u32,
    /// The first photo, if any.
    pub cover: Option<Photo>,
    /// When it last changed (UTC).
    pub updated_at: NaiveDateTime,
}

/// The albums of one person that the reader may see.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonGalleries {
    /// The albums, the most recently changed first.
    pub galleries: Vec<GallerySummary>,
    /// Whether they are the reader's own (who may make a new one).
    pub own: bool,
}

/// An album's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GalleryDetail {
    /// Its id.
    pub id: GalleryId,
    /// Whose it is.
    pub owner: UserId,
    /// Their name.
    pub owner_name: String,
    /// Its title.
    pub title: String,
    /// What it is about.
    pub description: String,
    /// Who sees it.
    pub audience: Audience,
    /// Its photos, in the order they were added.
    pub photos: Vec<Photo>,
    /// When it was made (UTC).
    pub created_at: NaiveDateTime,
    /// The path of its share link (`/galleries/{id}?key=…`), for its owner only.
    pub share_path: Option<String>,
    /// Why the moderators hid it, for its owner (nobody else is shown a hidden album).
    pub hidden_reason: Option<String>,
    /// Whether the reader owns it (may edit it).
    pub mine: bool,
    /// Whether the reader is signed in (may report it).
    pub signed_in: bool,
}

/// An album's title, description and audience as the form sends them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GalleryInput {
    /// The title.
    pub title: String,
    /// The description.
    #[serde(default)]
    pub description: String,
    /// `public` or `followers`.
    pub audience: String,
    /// The comma-separated staging handles of the first photos (a new album only).
    #[serde(default)]
    pub photos: String,
}

/// An album's fields that passed the checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidGallery {
    /// The title, trimmed.
    pub title: String,
    /// The description, trimmed.
    pub description: String,
    /// Who sees it.
    pub audience: Audience,
    /// Staging handles of the photos to add.
    pub photo_tokens: Vec<String>,
}

impl GalleryInput {
    /// Checks every field; each refusal is reported, not just the first.
    pub fn validate(&self) -> Result<ValidGallery, Vec<FieldError>> {
        let mut errors = Vec::new();
        let title = self.title.trim();
        check_text("title", title, 1, TITLE_MAX, &mut errors);
        let description = self.description.trim();
        check_optional_text("description", description, DESCRIPTION_MAX, &mut errors);
        let audience = Audience::from_db(self.audience.trim()).unwrap_or_else(|| {
            errors.push(FieldError::new("audience", ErrorCode::Required));
            Audience::Public
        });
        let photo_tokens = crate::photos::parse_tokens(&self.photos).unwrap_or_else(|code| {
            errors.push(FieldError::new("photos", code));
            Vec::new()
        });
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ValidGallery {
            title: title.to_string(),
            description: description.to_string(),
            audience,
            photo_tokens,
        })
    }
}

/// A caption as typed, trimmed; `TooLong` past [`CAPTION_MAX`]. Empty removes it.
pub fn validate_caption(caption: &str) -> Result<String, AppError> {
    let mut errors = Vec::new();
    let caption = caption.trim();
    check_optional_text("caption", caption, CAPTION_MAX, &mut errors);
    if errors.is_empty() {
        Ok(caption.to_string())
    } else {
        Err(AppError::Invalid { errors })
    }
}

/// Whether `key` looks like a share key we issue (32 hex digits); anything else is not
/// even looked up.
pub fn is_share_key(key: &str) -> bool {
    crate::photos::is_token(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_album_is_a_trimmed_title_a_description_and_an_audience() {
        let valid = GalleryInput {
            title: "  Субботник в сквере  ".into(),
            description: " 40 лип ".into(),
            audience: "followers".into(),
            photos: "0123456789abcdef0123456789abcdef".into(),
        }
        .validate()
        .expect("valid");
        assert_eq!(valid.title, "Субботник в сквере");
        assert_eq!(valid.description, "40 лип");
        assert_eq!(valid.audience, Audience::Followers);
        assert_eq!(valid.photo_tokens.len(), 1);
    }

    #[test]
    fn every_bad_field_is_reported() {
        let errors = GalleryInput {
            title: " ".into(),
            description: "я".repeat(DESCRIPTION_MAX + 1),
            audience: "friends".into(),
            photos: "not-a-handle".into(),
        }
        .validate()
        .expect_err("refused");
        let fields: Vec<&str> = errors.iter().map(|error| error.field.as_str()).collect();
        assert_eq!(fields, ["title", "description", "audience", "photos"]);
    }

    #[test]
    fn a_caption_is_trimmed_and_limited() {
        assert_eq!(
            validate_caption("  Вид с моста ").expect("valid"),
            "Вид с моста"
        );
        assert_eq!(validate_caption("").expect("empty removes"), "");
        assert!(validate_caption(&"я".repeat(CAPTION_MAX + 1)).is_err());
        assert!(is_share_key("0123456789abcdef0123456789abcdef"));
        assert!(!is_share_key("../etc/passwd"));
    }
}
