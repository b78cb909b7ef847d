//! Publications as the wire carries them, and the pure check of what an author types.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use crate::photos::Photo;
use civic::subject::{Subject, SubjectKind};
use platform::error::{ErrorCode, FieldError, check_text};
use platform::ids::{DepartmentId, UserId};

/// A publication, as a civic subject (liked, commented, with photos).
pub const PUBLICATION: SubjectKind = SubjectKind::new("publication");

/// The longest publication, in characters.
pub const BODY_MAX: usize = 5000;

/// Publications on one page of a feed.
pub const FEED_PAGE: usize = 20;

platform::id_type!(
    /// A publication's id.
    PublicationId
);

impl PublicationId {
    /// The publication as a civic subject.
    pub fn subject(self) -> Subject {
        Subject::new(PUBLICATION, self.0)
    }
}

/// Whose publications a feed shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum FeedScope {
    /// The reader's own, the people they follow and the news of the departments they
    /// follow.
    #[default]
    Following,
    /// Everyone's.
    Everyone,
}

impl FeedScope {
    /// Its name in a link.
    pub fn as_param(self) -> &'static str {
        match self {
            FeedScope::Following => "following",
            FeedScope::Everyone => "everyone",
        }
    }

    /// The scope a link names; anything else is the default.
    pub fn from_param(text: &str) -> FeedScope {
        if text == "everyone" {
            FeedScope::Everyone
        } else {
            FeedScope::Following
        }
    }
}

/// Who a publication speaks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Voice {
    /// A person, for themselves.
    Person {
        /// Who.
        id: UserId,
        /// Their name.
        name: String,
    },
    /// A department's official news, written by one of its officials.
    Department {
        /// Its page's slug.
        slug: String,
        /// Its name in Russian.
        name_ru: String,
        /// Its name in English.
        name_en: String,
    },
}

/// A publication as feeds and its page show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Publication {
    /// Its id.
    pub id: PublicationId,
    /// Who it speaks for.
    pub voice: Voice,
    /// The text, as typed (rendered as text, links recognised).
    pub body: String,
    /// Its photos.
    pub photos: Vec<Photo>,
    /// How many like it.
    pub likes: u32,
    /// Whether the reader likes it.
    pub liked: bool,
    /// How many comments it has.
    pub comments: u32,
    /// When it was published (UTC).
    pub at: NaiveDateTime,
    /// Why the moderators hid it, for its author (nobody else is shown a hidden one).
    pub hidden_reason: Option<String>,
    /// Whether the reader wrote it.
    pub mine: bool,
}

/// A publication's page: it and its discussion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicationDetail {
    /// The publication.
    pub publication: Publication,
    /// Its discussion.
    pub comments: Vec<civic::comments::Comment>,
    /// Whether the reader is signed in (may like, comment and report).
    pub signed_in: bool,
    /// Whether the reader moderates comments.
    pub moderator: bool,
}

/// One page of a feed, newest first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FeedPage {
    /// The publications.
    pub items: Vec<Publication>,
    /// The id to read older publications before, when there are more.
    pub older: Option<u64>,
    /// Whether the reader is signed in (may publish, like, comment).
    pub signed_in: bool,
    /// The departments the reader may publish news for (id, Russian and English name).
    pub departments: Vec<(DepartmentId, String, String)>,
}

/// A department's official profile: its followers and its news.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DepartmentNews {
    /// How many people follow it.
    pub followers: u64,
    /// Whether the reader follows it.
    pub following: bool,
    /// Its news, newest first.
    pub news: FeedPage,
}

/// A publication as the form sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicationInput {
    /// The text.
    pub body: String,
    /// The comma-separated staging handles of its photos.
    #[serde(default)]
    pub photos: String,
    /// The department whose news it is; empty for the author's own.
    #[serde(default)]
    pub department: String,
}

/// A publication that passed the checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidPublication {
    /// The text, trimmed.
    pub body: String,
    /// Staging handles of the photos to attach.
    pub photo_tokens: Vec<String>,
    /// The department whose news it is.
    pub department: Option<DepartmentId>,
}

impl PublicationInput {
    /// Checks every field; each refusal is reported, not just the first.
    pub fn validate(&self) -> Result<ValidPublication, Vec<FieldError>> {
        let mut errors = Vec::new();
        let body = self.body.trim();
        check_text("body", body, 1, BODY_MAX, &mut errors);
        let photo_tokens = crate::photos::parse_tokens(&self.photos).unwrap_or_else(|code| {
            errors.push(FieldError::new("photos", code));
            Vec::new()
        });
        let department = match self.department.trim() {
            "" => None,
            text => match text.parse::<DepartmentId>() {
                Ok(id) => Some(id),
                Err(_) => {
                    errors.push(FieldError::new("department", ErrorCode::Required));
                    None
                }
            },
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ValidPublication {
            body: body.to_string(),
            photo_tokens,
            department,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_publication_is_trimmed_text_with_photos_and_an_optional_department() {
        let valid = PublicationInput {
            body: "  Сегодня открыли сквер.  ".into(),
            photos: "0123456789abcdef0123456789abcdef".into(),
            department: "7".into(),
        }
        .validate()
        .expect("valid");
        assert_eq!(valid.body, "Сегодня открыли сквер.");
        assert_eq!(valid.photo_tokens.len(), 1);
        assert_eq!(valid.department, Some(DepartmentId(7)));
    }

    #[test]
    fn every_bad_field_is_reported() {
        let errors = PublicationInput {
            body: "я".repeat(BODY_MAX + 1),
            photos: "not-a-handle".into(),
            department: "x".into(),
        }
        .validate()
        .expect_err("refused");
        let fields: Vec<&str> = errors.iter().map(|error| error.field.as_str()).collect();
        assert_eq!(fields, ["body", "photos", "department"]);
        let empty = PublicationInput::default().validate().expect_err("refused");
        assert_eq!(empty[0].code, ErrorCode::Required);
    }
}
