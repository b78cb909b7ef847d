//! Accounts, roles and sessions: wire types and the pure validation of account input.

use serde::{Deserialize, Serialize};

use crate::i18n::Locale;
use platform::email::check_email;
use platform::error::{ErrorCode, FieldError};
use platform::ids::{DepartmentId, MunicipalityId};

pub use platform::ids::UserId;

/// A person (an account), as a subject others follow and whose publications they read.
pub const PERSON: civic::subject::SubjectKind = civic::subject::SubjectKind::new("person");

/// The photo section of a person's avatar (the person's photo in it is shown on their
/// profile; the moderators remove it with the profile's text).
pub const AVATAR: &str = "avatar";

/// Shortest password accepted.
pub const PASSWORD_MIN: usize = 8;
/// Longest password accepted (argon2 takes longer inputs, but nobody types them).
pub const PASSWORD_MAX: usize = 128;
/// Shortest display name.
pub const NAME_MIN: usize = 2;
/// Longest display name.
pub const NAME_MAX: usize = 100;

/// What a user may do; see DESIGN.md, "People and roles".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A registered resident.
    Citizen,
    /// A citizen who writes expert opinions on regulations.
    Expert,
    /// An employee of one department.
    Official,
    /// The Governor's office and analysts: read the region's dashboard, change nothing.
    Analyst,
    /// Portal staff: moderation, stages, priorities, datasets.
    Moderator,
    /// The operator: users, roles, departments, routing, municipalities.
    Admin,
}

impl Role {
    /// Every role, from least to most powerful.
    pub const ALL: [Role; 6] = [
        Role::Citizen,
        Role::Expert,
        Role::Official,
        Role::Analyst,
        Role::Moderator,
        Role::Admin,
    ];

    /// The value stored in `user_roles.role`.
    pub fn as_db(self) -> &'static str {
        match self {
            Role::Citizen => "citizen",
            Role::Expert => "expert",
            Role::Official => "official",
            Role::Analyst => "analyst",
            Role::Moderator => "moderator",
            Role::Admin => "admin",
        }
    }

    /// The role stored as `value`.
    pub fn from_db(value: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.as_db() == value)
    }

    /// Staff roles see the management area.
    pub fn is_staff(self) -> bool {
        matches!(
            self,
            Role::Official | Role::Analyst | Role::Moderator | Role::Admin
        )
    }
}

/// One role held by a user; officials hold it for one department.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleGrant {
    /// The role.
    pub role: Role,
    /// For officials, the department.
    pub department_id: Option<DepartmentId>,
}

/// The signed-in user, as every page and server function sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionUser {
    /// Their id.
    pub id: UserId,
    /// Their login e-mail.
    pub email: String,
    /// The name shown to others.
    pub display_name: String,
    /// Where their priority votes count.
    pub home_municipality_id: MunicipalityId,
    /// Their interface language.
    pub locale: Locale,
    /// Their roles.
    pub roles: Vec<RoleGrant>,
}

impl SessionUser {
    /// Whether they hold `role` (for any department).
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.iter().any(|grant| grant.role == role)
    }

    /// Whether they may enter the management area.
    pub fn is_staff(&self) -> bool {
        self.roles.iter().any(|grant| grant.role.is_staff())
    }

    /// The departments they work for as an official.
    pub fn official_departments(&self) -> Vec<DepartmentId> {
        self.roles
            .iter()
            .filter(|grant| grant.role == Role::Official)
            .filter_map(|grant| grant.department_id)
            .collect()
    }

    /// What they may do on a civic subject's steps.
    pub fn acting(&self) -> Acting {
        Acting {
            user: self.id,
            moderator: self.has_role(Role::Moderator),
            departments: self.official_departments(),
        }
    }
}

/// What the viewer of a civic subject's page (a problem, an initiative) is to it and has
/// done; the page offers its buttons and steps by it, the server checks again.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubjectViewer {
    /// Whether anyone is signed in.
    pub signed_in: bool,
    /// Whether they support it.
    pub supports: bool,
    /// Whether they follow it.
    pub follows: bool,
    /// Whether they wrote it.
    pub is_author: bool,
    /// Whether they are a moderator.
    pub is_moderator: bool,
    /// Whether they are an official of the responsible department.
    pub is_department: bool,
    /// Whether they are an official of the body the subject was escalated to, where the
    /// feature gives that body steps of its own (problems do).
    pub is_supervisor: bool,
}

/// Who takes a step of a civic subject (a problem, an initiative), and as whom: the
/// feature checks the step's actor against it on the server.
#[derive(Debug, Clone)]
pub struct Acting {
    /// The user.
    pub user: UserId,
    /// Whether they are a moderator.
    pub moderator: bool,
    /// The departments they are an official of.
    pub departments: Vec<DepartmentId>,
}

impl Acting {
    /// `user` acting as a moderator.
    pub fn moderator(user: UserId) -> Self {
        Self {
            user,
            moderator: true,
            departments: Vec::new(),
        }
    }

    /// `user` acting as an official of `department`.
    pub fn official(user: UserId, department: DepartmentId) -> Self {
        Self {
            user,
            moderator: false,
            departments: vec![department],
        }
    }

    /// `user` acting as themselves: an author, a resident.
    pub fn resident(user: UserId) -> Self {
        Self {
            user,
            moderator: false,
            departments: Vec::new(),
        }
    }
}

/// Registration input that passed validation.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidRegistration {
    /// Lower-cased, trimmed e-mail.
    pub email: String,
    /// The password as typed.
    pub password: String,
    /// Trimmed display name.
    pub display_name: String,
    /// The chosen home municipality (its existence is checked against the database).
    pub home_municipality_id: MunicipalityId,
}

/// Which notifications a user also gets by e-mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailSettings {
    /// New assignments, reminders and escalations of the user's department (officials).
    pub work: bool,
    /// Steps of the user's problems and of what they follow.
    pub followed: bool,
}

/// The two mails a registration request may send, prepared in the registrant's language.
#[cfg(feature = "ssr")]
pub struct RegistrationMails {
    /// The confirmation link, for an address without an account.
    pub confirm: platform::mail::Mail,
    /// The note for an address that has an account already.
    pub exists: platform::mail::Mail,
}

/// Normalises an e-mail address: trimmed and lower-cased.
pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// Checks a new password's length.
pub fn check_password(password: &str) -> Option<ErrorCode> {
    let length = password.chars().count();
    if length == 0 {
        Some(ErrorCode::Required)
    } else if length < PASSWORD_MIN {
        Some(ErrorCode::TooShort {
            min: PASSWORD_MIN as u32,
        })
    } else if length > PASSWORD_MAX {
        Some(ErrorCode::TooLong {
            max: PASSWORD_MAX as u32,
        })
    } else {
        None
    }
}

/// Checks a display name (after trimming).
pub fn check_display_name(name: &str) -> Option<ErrorCode> {
    let length = name.chars().count();
    if length == 0 {
        Some(ErrorCode::Required)
    } else if length < NAME_MIN {
        Some(ErrorCode::TooShort {
            min: NAME_MIN as u32,
        })
    } else if length > NAME_MAX {
        Some(ErrorCode::TooLong {
            max: NAME_MAX as u32,
        })
    } else {
        None
    }
}

/// Validates registration input; every bad field is reported, not just the first.
pub fn validate_registration(
    email: &str,
    password: &str,
    display_name: &str,
    home_municipality_id: &str,
) -> Result<ValidRegistration, Vec<FieldError>> {
    let email = normalise_email(email);
    let display_name = display_name.trim().to_string();
    let municipality = home_municipality_id.parse::<MunicipalityId>().ok();
    let errors: Vec<FieldError> = [
        ("email", check_email(&email)),
        ("password", check_password(password)),
        ("display_name", check_display_name(&display_name)),
        (
            "home_municipality_id",
            match (home_municipality_id.trim().is_empty(), municipality) {
                (true, _) => Some(ErrorCode::Required),
                (false, None) => Some(ErrorCode::UnknownMunicipality),
                (false, Some(_)) => None,
            },
        ),
    ]
    .into_iter()
    .filter_map(|(field, code)| code.map(|code| FieldError::new(field, code)))
    .collect();
    match municipality {
        Some(home_municipality_id) if errors.is_empty() => Ok(ValidRegistration {
            email,
            password: password.to_string(),
            display_name,
            home_municipality_id,
        }),
        _ => Err(errors),
    }
}

/// Roles that may enter the management area.
pub const STAFF: &[Role] = &[Role::Official, Role::Analyst, Role::Moderator, Role::Admin];

/// Admins only.
pub const ADMINS: &[Role] = &[Role::Admin];

/// Moderators and admins.
pub const MODERATORS: &[Role] = &[Role::Moderator, Role::Admin];

/// Who reads the region's dashboard: analysts, moderators and admins.
pub const ANALYSTS: &[Role] = &[Role::Analyst, Role::Moderator, Role::Admin];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_must_be_8_to_128_characters() {
        assert_eq!(
            check_password("короткий"),
            None,
            "8 Cyrillic characters are enough"
        );
        assert_eq!(
            check_password("1234567"),
            Some(ErrorCode::TooShort { min: 8 })
        );
        assert_eq!(check_password(""), Some(ErrorCode::Required));
        assert_eq!(
            check_password(&"x".repeat(129)),
            Some(ErrorCode::TooLong { max: 128 })
        );
    }

    #[test]
    fn registration_reports_every_bad_field() {
        let errors = validate_registration("nope", "123", " ", "abc").expect_err("invalid");
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["email", "password", "display_name", "home_municipality_id"]
        );
        assert_eq!(errors[3].code, ErrorCode::UnknownMunicipality);
    }

    #[test]
    fn registration_normalises_good_input() {
        let valid = validate_registration(" Anna@Example.RU ", "secret-pass", "  Анна  ", "7")
            .expect("valid");
        assert_eq!(valid.email, "anna@example.ru");
        assert_eq!(valid.display_name, "Анна");
        assert_eq!(valid.home_municipality_id, MunicipalityId(7));
    }

    #[test]
    fn roles_round_trip_and_staff_is_official_analyst_moderator_admin() {
        for role in Role::ALL {
            assert_eq!(Role::from_db(role.as_db()), Some(role));
        }
        let staff: Vec<Role> = Role::ALL.into_iter().filter(|r| r.is_staff()).collect();
        assert_eq!(staff, STAFF);
    }
}
