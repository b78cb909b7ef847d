//! The one application error type: stable, machine-readable kinds that cross the wire,
//! mapped to HTTP status in one place. The UI owns the human text (see `i18n`).

use leptos::server_fn::Bytes;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

pub mod file_formats;

pub use file_formats::{DataFileError, DocumentError, WorkbookError};

/// Why one input field was refused. The UI turns each code into a translated sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum ErrorCode {
    /// The field is empty but must be filled.
    Required,
    /// Longer than `max` characters.
    TooLong { max: u32 },
    /// Shorter than `min` characters.
    TooShort { min: u32 },
    /// Not a plausible e-mail address.
    InvalidEmail,
    /// The link (an e-mail confirmation) is unknown, already used or expired.
    InvalidLink,
    /// No municipality with this id.
    UnknownMunicipality,
    /// No department with this id.
    UnknownDepartment,
    /// No theme with this id.
    UnknownTheme,
    /// No user with this id.
    UnknownUser,
    /// The current password given does not match.
    WrongPassword,
    /// The two new passwords differ.
    PasswordsDiffer,
    /// Not one of the allowed values.
    NotAllowed,
    /// A number outside its allowed range.
    OutOfRange { min: i64, max: i64 },
    /// Not well-formed (a slug, a coordinate, a GeoJSON document, ...).
    Malformed,
    /// The value is already used by another record.
    Duplicate,
    /// The action would leave the portal without an administrator.
    LastAdmin,
    /// A point outside Krasnodar Krai.
    OutsideRegion,
    /// The time allowed for this step has passed.
    TooLate,
    /// A date in the past where a future one is needed.
    DateInPast,
    /// The file is not a JPEG, PNG or WebP image.
    NotAnImage,
    /// The file is larger than `max_mb` megabytes.
    FileTooLarge { max_mb: u32 },
    /// The image has more than `max_megapixels` million pixels.
    TooManyPixels { max_megapixels: u32 },
    /// An attached photo is unknown or expired; it must be uploaded again.
    PhotoMissing,
    /// The named inspection act is unknown, was uploaded for another report, or is
    /// already named by a verdict; it must be uploaded again.
    ActMissing,
    /// Not a valid Russian taxpayer number (INN): wrong length, not digits, or a wrong
    /// check digit.
    InvalidInn,
    /// The uploaded workbook cannot be imported, and why.
    BadWorkbook { reason: WorkbookError },
    /// The file is not a PDF document.
    NotAPdf,
    /// The uploaded data file cannot be read as a table, and why.
    BadDataFile { reason: DataFileError },
    /// A document (an uploaded .docx or a pasted text) cannot be read or split into
    /// articles, and why.
    BadDocument { reason: DocumentError },
    /// The proposed text is the same as the text it would replace.
    Unchanged,
    /// A support of one's own comment: a comment's supports are other people's.
    OwnComment,
    /// A step that needs a published draft before it.
    NoDraft,
    /// The expertise cannot close: no expert has concluded on the version under it.
    NoConclusion,
    /// The expertise cannot close: `count` remarks still wait for their disposition.
    RemarksOpen { count: u32 },
    /// An open dataset has a version of today already: versions are dated by the day
    /// and never change, so the next one can be published tomorrow.
    PublishedToday,
    /// A department chosen as its own supervisor.
    SupervisesItself,
    /// The chosen supervisor is already supervised by the department, directly or through
    /// others: escalations would go round in a loop.
    SupervisionCycle,
    /// A deactivated department chosen as a new supervisor: it receives no problems, so
    /// escalations to it would go unanswered.
    InactiveSupervisor,
    /// Open data cannot be published: the server names no publisher (the organisation and
    /// the person responsible), and none is made up.
    NoPublisher,
    /// Every vote of the period is given: a vote must be withdrawn before another is cast.
    VotesUsedUp { budget: u32 },
    /// The home municipality was changed this quarter already; it may change once a quarter.
    MovedThisQuarter,
    /// A drawing with more than `max` vertices.
    TooManyVertices { max: u32 },
    /// An area whose outline crosses or touches itself.
    SelfIntersecting,
    /// A step that needs an accepted solution, on one that is not.
    NotAccepted,
    /// A solution that became an initiative already.
    AlreadyTurned,
    /// A number that names nothing the public sees.
    UnknownSubject,
    /// A subject linked to `max` others already.
    TooManyLinks { max: u32 },
    /// A message that cannot reach its addressee; one code whatever the reason (no such
    /// account, a block), so that it tells nothing about the account.
    Undeliverable,
}

/// One refused field: which field, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The input's `name`, as in the form.
    pub field: String,
    /// Why it was refused.
    pub code: ErrorCode,
}

impl FieldError {
    /// A refusal of `field` for `code`.
    pub fn new(field: impl Into<String>, code: ErrorCode) -> Self {
        Self {
            field: field.into(),
            code,
        }
    }
}

/// Reads a typed whole number within `range` and records the refusal: `Required` when
/// empty, `OutOfRange` when it is not a whole number within the range.
pub fn check_whole(
    field: &str,
    value: &str,
    range: std::ops::RangeInclusive<u32>,
    errors: &mut Vec<FieldError>,
) -> Option<u32> {
    let text = value.trim();
    if text.is_empty() {
        errors.push(FieldError::new(field, ErrorCode::Required));
        return None;
    }
    let number = text.parse::<u32>().ok().filter(|n| range.contains(n));
    if number.is_none() {
        errors.push(FieldError::new(
            field,
            ErrorCode::OutOfRange {
                min: i64::from(*range.start()),
                max: i64::from(*range.end()),
            },
        ));
    }
    number
}

/// Checks the length of a typed text (trimmed, in characters) and records the refusal:
/// `Required` when empty, `TooShort` under `min`, `TooLong` over `max`.
pub fn check_text(field: &str, value: &str, min: usize, max: usize, errors: &mut Vec<FieldError>) {
    let length = value.trim().chars().count();
    if length == 0 {
        errors.push(FieldError::new(field, ErrorCode::Required));
    } else if length < min {
        errors.push(FieldError::new(
            field,
            ErrorCode::TooShort { min: min as u32 },
        ));
    } else if length > max {
        errors.push(FieldError::new(
            field,
            ErrorCode::TooLong { max: max as u32 },
        ));
    }
}

/// Checks a typed text that may be left empty: `TooLong` over `max` characters (trimmed).
pub fn check_optional_text(field: &str, value: &str, max: usize, errors: &mut Vec<FieldError>) {
    if value.trim().chars().count() > max {
        errors.push(FieldError::new(
            field,
            ErrorCode::TooLong { max: max as u32 },
        ));
    }
}

/// Every way a request can fail, as the client sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AppError {
    /// The object does not exist (or is not visible to this user).
    #[error("not found")]
    NotFound,
    /// The action needs a signed-in user.
    #[error("sign-in required")]
    Unauthorized,
    /// E-mail and password do not match an account.
    #[error("wrong e-mail or password")]
    BadCredentials,
    /// The user is signed in but lacks the role.
    #[error("forbidden")]
    Forbidden,
    /// One or more fields were refused.
    #[error("invalid input")]
    Invalid { errors: Vec<FieldError> },
    /// The request conflicts with the current state.
    #[error("conflict")]
    Conflict,
    /// The step is not possible in the object's current status (e.g. answering a
    /// closed problem). Both are stable names the UI translates.
    #[error("{action} is not possible while {status}")]
    IllegalTransition { status: String, action: String },
    /// Too many attempts; the next one is admitted after this many seconds.
    #[error("too many attempts; retry in {retry_after_seconds} s")]
    RateLimited { retry_after_seconds: u32 },
    /// The server is at its capacity for this kind of work (see `platform::capacity`);
    /// a retry after this many seconds will likely be served.
    #[error("busy; retry in {retry_after_seconds} s")]
    Busy { retry_after_seconds: u32 },
    /// A moderator suspended the person's writing until `until` (UTC); the reason is in
    /// their notifications.
    #[error("suspended until {until}")]
    Suspended { until: chrono::NaiveDateTime },
    /// The request itself is malformed (missing or unparsable arguments).
    #[error("bad request")]
    BadRequest,
    /// The service (or the network, seen from the browser) is unavailable.
    #[error("service unavailable")]
    Unavailable,
    /// Something failed on the server; the cause is in the server log only.
    #[error("internal error")]
    Internal,
}

impl AppError {
    /// A refusal of one field.
    pub fn invalid(field: impl Into<String>, code: ErrorCode) -> Self {
        Self::Invalid {
            errors: vec![FieldError::new(field, code)],
        }
    }

    /// The HTTP status of this error; the one place where kinds meet status codes.
    pub fn status(&self) -> u16 {
        match self {
            Self::NotFound => 404,
            Self::Unauthorized | Self::BadCredentials => 401,
            Self::Forbidden | Self::Suspended { .. } => 403,
            Self::Invalid { .. } => 422,
            Self::Conflict | Self::IllegalTransition { .. } => 409,
            Self::RateLimited { .. } => 429,
            Self::BadRequest => 400,
            Self::Unavailable | Self::Busy { .. } => 503,
            Self::Internal => 500,
        }
    }

    /// How long the client should wait before it tries again, for the errors that say so;
    /// sent as the `Retry-After` header.
    pub fn retry_after_seconds(&self) -> Option<u32> {
        match self {
            Self::RateLimited {
                retry_after_seconds,
            }
            | Self::Busy {
                retry_after_seconds,
            } => Some(*retry_after_seconds),
            _ => None,
        }
    }

    /// The field errors, if this is an `Invalid` error.
    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            Self::Invalid { errors } => errors,
            _ => &[],
        }
    }

    /// The first error code for `field`, if any.
    pub fn for_field(&self, field: &str) -> Option<ErrorCode> {
        self.field_errors()
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.code)
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        let error = match value {
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::MissingArg(_)
            | ServerFnErrorErr::Deserialization(_)
            | ServerFnErrorErr::UnsupportedRequestMethod(_) => Self::BadRequest,
            ServerFnErrorErr::Registration(_) => Self::NotFound,
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Response(_) => Self::Unavailable,
            ServerFnErrorErr::ServerError(_)
            | ServerFnErrorErr::MiddlewareError(_)
            | ServerFnErrorErr::Serialization(_) => Self::Internal,
        };
        #[cfg(feature = "ssr")]
        if error == Self::Internal {
            tracing::error!(cause = %value, "server function failed");
        }
        error
    }

    fn ser(&self) -> Bytes {
        // Called on the server for every error response: the status is set here so that
        // no server function has to remember it. A form the browser sent itself (before
        // the page's script loaded) is answered with a redirect back to its page, the
        // error in the address for the page to show: a status set here would replace the
        // redirect's, and the browser would show this JSON as the page.
        #[cfg(feature = "ssr")]
        if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>()
            && !server::is_plain_form_post()
        {
            response.set_status(
                axum::http::StatusCode::from_u16(self.status())
                    .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR),
            );
            if let Some(seconds) = self.retry_after_seconds() {
                response.insert_header(axum::http::header::RETRY_AFTER, seconds.into());
            }
        }
        serde_json::to_vec(self)
            .map(Bytes::from)
            .unwrap_or_else(|_| Bytes::from_static(br#"{"kind":"internal"}"#))
    }
}

#[cfg(feature = "ssr")]
mod server {
    use super::AppError;

    /// Whether the server function being answered was called by a plain HTML form (the
    /// browser navigates, so it asks for a page) rather than by the page's script.
    pub(super) fn is_plain_form_post() -> bool {
        leptos::prelude::use_context::<axum::http::request::Parts>().is_some_and(|request| {
            request
                .headers
                .get(axum::http::header::ACCEPT)
                .and_then(|accept| accept.to_str().ok())
                .is_some_and(|accept| accept.contains("text/html"))
        })
    }

    impl From<diesel::result::Error> for AppError {
        fn from(error: diesel::result::Error) -> Self {
            match error {
                diesel::result::Error::NotFound => Self::NotFound,
                other => {
                    tracing::error!(cause = %other, "database error");
                    Self::Internal
                }
            }
        }
    }

    /// Plain axum routes answer errors as the server functions do: the status of the
    /// error's kind and the error as JSON.
    impl axum::response::IntoResponse for AppError {
        fn into_response(self) -> axum::response::Response {
            let status = axum::http::StatusCode::from_u16(self.status())
                .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR);
            let retry_after = self.retry_after_seconds();
            let mut response = (status, axum::Json(self)).into_response();
            if let Some(seconds) = retry_after {
                response
                    .headers_mut()
                    .insert(axum::http::header::RETRY_AFTER, seconds.into());
            }
            response
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_as_json_with_stable_names() {
        let error = AppError::invalid("email", ErrorCode::TooLong { max: 254 });
        let json = serde_json::to_string(&error).expect("serialises");
        assert_eq!(
            json,
            r#"{"kind":"invalid","errors":[{"field":"email","code":{"code":"too_long","max":254}}]}"#
        );
        let back: AppError = serde_json::from_str(&json).expect("deserialises");
        assert_eq!(back, error);
    }

    #[test]
    fn a_whole_number_is_read_within_its_range_or_refused_with_it() {
        let mut errors = Vec::new();
        assert_eq!(check_whole("days", " 30 ", 1..=365, &mut errors), Some(30));
        assert!(errors.is_empty());
        for (typed, code) in [
            ("", ErrorCode::Required),
            ("0", ErrorCode::OutOfRange { min: 1, max: 365 }),
            ("366", ErrorCode::OutOfRange { min: 1, max: 365 }),
            ("-1", ErrorCode::OutOfRange { min: 1, max: 365 }),
            ("месяц", ErrorCode::OutOfRange { min: 1, max: 365 }),
        ] {
            let mut errors = Vec::new();
            assert_eq!(check_whole("days", typed, 1..=365, &mut errors), None);
            assert_eq!(errors, vec![FieldError::new("days", code)], "{typed:?}");
        }
    }

    #[test]
    fn malformed_requests_are_client_errors() {
        for cause in [
            ServerFnErrorErr::Args("x".into()),
            ServerFnErrorErr::MissingArg("x".into()),
            ServerFnErrorErr::Deserialization("x".into()),
        ] {
            let error = AppError::from_server_fn_error(cause);
            assert_eq!(error.status(), 400);
        }
    }

    #[test]
    fn every_kind_has_its_own_status_class() {
        assert_eq!(AppError::NotFound.status(), 404);
        assert_eq!(AppError::Forbidden.status(), 403);
        assert_eq!(
            AppError::RateLimited {
                retry_after_seconds: 30
            }
            .status(),
            429
        );
        assert_eq!(AppError::Internal.status(), 500);
        assert_eq!(AppError::Invalid { errors: vec![] }.status(), 422);
        let busy = AppError::Busy {
            retry_after_seconds: 10,
        };
        assert_eq!((busy.status(), busy.retry_after_seconds()), (503, Some(10)));
        assert_eq!(AppError::Unavailable.retry_after_seconds(), None);
    }
}
