//! The load's citizens read their mail where the server writes it without an SMTP relay:
//! one `.eml` file per message in its mail directory (`OPEN_REGION_MAIL_DIR`).

use std::path::Path;

use base64::Engine as _;

/// The token of the registration link in the newest mail to `to`, if one has arrived.
pub fn confirmation_token(directory: &Path, to: &str) -> Option<String> {
    let entries = std::fs::read_dir(directory).ok()?;
    let mut newest: Option<(std::time::SystemTime, String)> = None;
    for entry in entries.filter_map(Result::ok) {
        if entry.path().extension().and_then(|ext| ext.to_str()) != Some("eml") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(entry.path()) else {
            continue;
        };
        let Some(body) = body_to(&text, to) else {
            continue;
        };
        let Some(token) = link_token(&body) else {
            continue;
        };
        let modified = entry
            .metadata()
            .and_then(|meta| meta.modified())
            .unwrap_or(std::time::UNIX_EPOCH);
        if newest.as_ref().is_none_or(|(seen, _)| modified > *seen) {
            newest = Some((modified, token));
        }
    }
    newest.map(|(_, token)| token)
}

/// The decoded body of the message `text` if it is addressed to `to`.
fn body_to(text: &str, to: &str) -> Option<String> {
    let (head, raw) = text.split_once("\r\n\r\n")?;
    let header = |name: &str| {
        head.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name)
                .then(|| value.trim().to_string())
        })
    };
    let recipient = header("To")?;
    let address = recipient
        .rsplit_once('<')
        .map_or(recipient.as_str(), |(_, rest)| rest.trim_end_matches('>'));
    if !address.eq_ignore_ascii_case(to) {
        return None;
    }
    let encoding = header("Content-Transfer-Encoding").unwrap_or_default();
    if encoding.eq_ignore_ascii_case("base64") {
        let packed: String = raw.split_whitespace().collect();
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(packed)
            .ok()?;
        return String::from_utf8(bytes).ok();
    }
    // 7bit, 8bit or quoted-printable: the link is ASCII, and a quoted-printable soft
    // break (`=` at a line end) is the only thing that could split it.
    Some(raw.replace("=\r\n", ""))
}

/// The 64 hex digits after `token=` in a registration link.
fn link_token(body: &str) -> Option<String> {
    let (_, after) = body.split_once("/register/confirm?token=")?;
    let token: String = after.chars().take_while(char::is_ascii_hexdigit).collect();
    (token.len() == 64).then_some(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eml(to: &str, body: &str) -> String {
        let encoded = base64::engine::general_purpose::STANDARD.encode(body);
        format!(
            "From: noreply@openregion.localhost\r\nTo: {to}\r\n\
             Content-Transfer-Encoding: base64\r\n\r\n{}\r\n{}\r\n",
            &encoded[..20],
            &encoded[20..]
        )
    }

    #[test]
    fn the_link_of_the_mail_to_the_address_is_found() {
        let directory = std::env::temp_dir().join(format!("mailbox-{}", rand::random::<u64>()));
        std::fs::create_dir_all(&directory).expect("directory");
        let token = "ab".repeat(32);
        let link = |token: &str| {
            format!("Здравствуйте!\n\nhttp://127.0.0.1:3030/register/confirm?token={token}\n")
        };
        std::fs::write(
            directory.join("1.eml"),
            eml("other@example.ru", &link(&"cd".repeat(32))),
        )
        .expect("write");
        assert_eq!(confirmation_token(&directory, "anna@example.ru"), None);
        std::fs::write(
            directory.join("2.eml"),
            eml("anna@example.ru", &link(&token)),
        )
        .expect("write");
        std::fs::write(directory.join("3.txt"), link(&"ef".repeat(32))).expect("write");
        assert_eq!(
            confirmation_token(&directory, "Anna@example.ru"),
            Some(token)
        );
        std::fs::remove_dir_all(&directory).expect("clean up");
    }
}
