//! Reading and writing cookies: the session (HttpOnly) and the language.

/// The value of cookie `name` in a `Cookie` request header.
pub fn find<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header.split(';').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        (key.trim() == name).then(|| value.trim().trim_matches('"'))
    })
}

/// A `Set-Cookie` value for an HttpOnly, SameSite=Lax cookie on the whole site.
pub fn set_http_only(name: &str, value: &str, max_age_seconds: i64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{name}={value}; Path=/; Max-Age={max_age_seconds}; HttpOnly; SameSite=Lax{secure}")
}

/// A `Set-Cookie` value readable by scripts (the language), on the whole site for a year.
pub fn set_readable(name: &str, value: &str, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{name}={value}; Path=/; Max-Age=31536000; SameSite=Lax{secure}")
}

/// A `Set-Cookie` value that deletes cookie `name`.
pub fn expire(name: &str) -> String {
    format!("{name}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_cookie_among_others() {
        let header = "a=1; or_session=abc123; lang=ru";
        assert_eq!(find(header, "or_session"), Some("abc123"));
        assert_eq!(find(header, "lang"), Some("ru"));
        assert_eq!(find(header, "missing"), None);
        assert_eq!(find("", "a"), None);
        assert_eq!(find("garbage", "garbage"), None);
    }

    #[test]
    fn session_cookie_is_http_only_and_lax() {
        let cookie = set_http_only("or_session", "t", 60, true);
        assert!(cookie.contains("HttpOnly"));
        assert!(cookie.contains("SameSite=Lax"));
        assert!(cookie.ends_with("; Secure"));
        assert!(!set_http_only("s", "t", 60, false).contains("Secure"));
    }
}
