//! Profiles as the wire carries them, and the pure check of what a person types.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use crate::auth::model::check_display_name;
use crate::geography::model::MunicipalityName;
use crate::photos::Photo;
use platform::error::{ErrorCode, FieldError, check_optional_text};
use platform::ids::{MunicipalityId, UserId};

/// The longest "about me", in characters.
pub const ABOUT_MAX: usize = 1000;

/// How many items of each kind of activity a profile shows, newest first.
pub const ACTIVITY_SHOWN: i64 = 20;

/// Which parts of a profile anyone may see besides the name and "about me". Each is
/// off until the person turns it on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Visibility {
    /// The home municipality.
    pub municipality: bool,
    /// The problems they reported (those that passed moderation).
    pub problems: bool,
    /// The solutions they proposed.
    pub solutions: bool,
    /// The initiatives they proposed (those that passed moderation).
    pub initiatives: bool,
    /// Their comments (those not hidden, on subjects the public sees).
    pub comments: bool,
}

/// What a kind of activity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ActivityKind {
    /// A problem of citizens' control.
    Problem,
    /// A solution to a challenge.
    Solution,
    /// A law-making initiative.
    Initiative,
    /// A comment on any of those.
    Comment,
    /// A challenge published for solutions (in a followed municipality's feed only).
    Challenge,
}

/// Whose doing an event of the activity feed is: a followed person's, or something new
/// in a followed municipality or challenge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Via {
    /// A person the reader follows did it.
    Person {
        /// Who.
        id: UserId,
        /// Their name.
        name: String,
    },
    /// It is new in a municipality the reader follows.
    Municipality {
        /// Its name in Russian.
        name_ru: String,
        /// Its name in English.
        name_en: String,
    },
    /// It answers a challenge the reader follows.
    Challenge {
        /// The challenge's title.
        title: String,
    },
}

/// One event of the activity feed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityEvent {
    /// What it is and where it leads.
    pub item: ActivityItem,
    /// Why the reader sees it.
    pub via: Via,
}

/// A page of the activity feed, newest first, with the municipalities the reader follows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityPage {
    /// The events.
    pub events: Vec<ActivityEvent>,
    /// The time to read older events before (UTC, as `%Y-%m-%dT%H:%M:%S`), when there are
    /// more.
    pub older: Option<String>,
    /// The municipalities the reader follows (id, Russian and English name).
    pub followed: Vec<(MunicipalityId, String, String)>,
    /// Every municipality, for the form that follows one (id, Russian and English name).
    pub municipalities: Vec<(MunicipalityId, String, String)>,
}

/// One thing a person did, as their profile lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityItem {
    /// What it is.
    pub kind: ActivityKind,
    /// The subject's title (for a comment, the title of what it comments).
    pub title: String,
    /// A comment's text, shortened; empty for the others.
    pub excerpt: String,
    /// The subject's page.
    pub href: String,
    /// When they did it (UTC).
    pub at: NaiveDateTime,
}

/// A person's public profile, as a reader sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonView {
    /// Whose.
    pub id: UserId,
    /// The name they go by.
    pub display_name: String,
    /// Their avatar.
    pub avatar: Option<Photo>,
    /// About them, as typed (shown as text).
    pub about: String,
    /// Their home municipality, if they show it.
    pub municipality: Option<MunicipalityName>,
    /// When they joined (UTC).
    pub member_since: NaiveDateTime,
    /// How many people follow them.
    pub followers: u64,
    /// What they show, newest first within each kind; the kinds they hide are absent.
    pub activity: Vec<ActivityItem>,
    /// The parts they show.
    pub shown: Visibility,
    /// Whether the reader is signed in and someone else (may follow).
    pub may_follow: bool,
    /// Whether the reader follows them.
    pub following: bool,
    /// Whether the reader blocked them.
    pub blocked: bool,
    /// Whether the reader is this person.
    pub is_self: bool,
}

/// The signed-in person's own profile, as the form edits it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MyProfile {
    /// Their id (their public page is `/people/{id}`).
    pub id: UserId,
    /// The name they go by.
    pub display_name: String,
    /// About them.
    pub about: String,
    /// What they show.
    pub shown: Visibility,
    /// Their avatar.
    pub avatar: Option<Photo>,
}

/// A profile as the form sends it: boxes left unticked are absent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileInput {
    /// The name to go by.
    pub display_name: String,
    /// About them.
    #[serde(default)]
    pub about: String,
    /// Show the municipality.
    #[serde(default)]
    pub show_municipality: Option<String>,
    /// Show the problems.
    #[serde(default)]
    pub show_problems: Option<String>,
    /// Show the solutions.
    #[serde(default)]
    pub show_solutions: Option<String>,
    /// Show the initiatives.
    #[serde(default)]
    pub show_initiatives: Option<String>,
    /// Show the comments.
    #[serde(default)]
    pub show_comments: Option<String>,
    /// The staging handle of a new avatar, if one was uploaded.
    #[serde(default)]
    pub avatar: String,
    /// Remove the avatar (ticked).
    #[serde(default)]
    pub remove_avatar: Option<String>,
}

/// What happens to the avatar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AvatarChange {
    /// It stays as it is.
    Keep,
    /// The uploaded photo (its staging handle) replaces it.
    Replace(String),
    /// It goes.
    Remove,
}

/// A profile that passed the checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidProfile {
    /// The name, trimmed.
    pub display_name: String,
    /// About them, trimmed.
    pub about: String,
    /// What they show.
    pub shown: Visibility,
    /// What happens to the avatar.
    pub avatar: AvatarChange,
}

impl ProfileInput {
    /// Checks every field; each refusal is reported, not just the first.
    pub fn validate(&self) -> Result<ValidProfile, Vec<FieldError>> {
        let mut errors = Vec::new();
        let display_name = self.display_name.trim();
        if let Some(code) = check_display_name(display_name) {
            errors.push(FieldError::new("display_name", code));
        }
        let about = self.about.trim();
        check_optional_text("about", about, ABOUT_MAX, &mut errors);
        let avatar = match crate::photos::parse_tokens(&self.avatar) {
            Ok(tokens) if tokens.len() > 1 => {
                errors.push(FieldError::new(
                    "avatar",
                    ErrorCode::OutOfRange { min: 0, max: 1 },
                ));
                AvatarChange::Keep
            }
            Ok(mut tokens) => match tokens.pop() {
                Some(token) => AvatarChange::Replace(token),
                None if self.remove_avatar.is_some() => AvatarChange::Remove,
                None => AvatarChange::Keep,
            },
            Err(code) => {
                errors.push(FieldError::new("avatar", code));
                AvatarChange::Keep
            }
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ValidProfile {
            display_name: display_name.to_string(),
            about: about.to_string(),
            shown: Visibility {
                municipality: self.show_municipality.is_some(),
                problems: self.show_problems.is_some(),
                solutions: self.show_solutions.is_some(),
                initiatives: self.show_initiatives.is_some(),
                comments: self.show_comments.is_some(),
            },
            avatar,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> ProfileInput {
        ProfileInput {
            display_name: "  Анна Петрова ".into(),
            about: " Живу в Динской. ".into(),
            show_problems: Some("on".into()),
            ..ProfileInput::default()
        }
    }

    #[test]
    fn a_profile_is_trimmed_and_shows_only_what_is_ticked() {
        let valid = input().validate().expect("valid");
        assert_eq!(valid.display_name, "Анна Петрова");
        assert_eq!(valid.about, "Живу в Динской.");
        assert_eq!(
            valid.shown,
            Visibility {
                problems: true,
                ..Visibility::default()
            }
        );
        assert_eq!(valid.avatar, AvatarChange::Keep);
    }

    #[test]
    fn every_bad_field_is_reported() {
        let errors = ProfileInput {
            display_name: " ".into(),
            about: "я".repeat(ABOUT_MAX + 1),
            avatar: "not-a-handle".into(),
            ..ProfileInput::default()
        }
        .validate()
        .expect_err("refused");
        let fields: Vec<&str> = errors.iter().map(|error| error.field.as_str()).collect();
        assert_eq!(fields, ["display_name", "about", "avatar"]);
        assert_eq!(
            errors[1].code,
            ErrorCode::TooLong {
                max: ABOUT_MAX as u32
            }
        );
    }

    #[test]
    fn an_avatar_is_one_photo_replaced_or_removed() {
        let token = "0123456789abcdef0123456789abcdef";
        let replaced = ProfileInput {
            avatar: token.into(),
            remove_avatar: Some("on".into()),
            ..input()
        };
        assert_eq!(
            replaced.validate().expect("valid").avatar,
            AvatarChange::Replace(token.into())
        );
        let removed = ProfileInput {
            remove_avatar: Some("on".into()),
            ..input()
        };
        assert_eq!(
            removed.validate().expect("valid").avatar,
            AvatarChange::Remove
        );
        let two = ProfileInput {
            avatar: format!("{token},{token}"),
            ..input()
        };
        assert_eq!(
            two.validate().expect_err("refused")[0].code,
            ErrorCode::OutOfRange { min: 0, max: 1 }
        );
    }
}
