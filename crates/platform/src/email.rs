//! E-mail addresses as people type them: the one check every form uses.

use crate::error::ErrorCode;

/// Longest e-mail address (RFC 5321 path limit).
pub const EMAIL_MAX: usize = 254;

/// Checks an e-mail address: one `@`, a non-empty local part, a dotted domain, no spaces.
pub fn check_email(email: &str) -> Option<ErrorCode> {
    if email.is_empty() {
        return Some(ErrorCode::Required);
    }
    if email.chars().count() > EMAIL_MAX {
        return Some(ErrorCode::TooLong {
            max: EMAIL_MAX as u32,
        });
    }
    let Some((local, domain)) = email.split_once('@') else {
        return Some(ErrorCode::InvalidEmail);
    };
    let domain_ok = domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && !domain.contains('@');
    let plausible = !local.is_empty() && domain_ok && !email.chars().any(char::is_whitespace);
    (!plausible).then_some(ErrorCode::InvalidEmail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_checked_for_shape_and_length() {
        assert_eq!(check_email("anna@example.ru"), None);
        assert_eq!(check_email("a.b+c@mail.kuban.ru"), None);
        assert_eq!(check_email(""), Some(ErrorCode::Required));
        for bad in [
            "anna",
            "anna@",
            "@example.ru",
            "anna@example",
            "an na@example.ru",
            "a@b@c.ru",
            "a@.ru",
            "a@x..ru",
        ] {
            assert_eq!(check_email(bad), Some(ErrorCode::InvalidEmail), "{bad}");
        }
        let long = format!("{}@example.ru", "a".repeat(250));
        assert_eq!(check_email(&long), Some(ErrorCode::TooLong { max: 254 }));
    }
}
