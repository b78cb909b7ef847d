//! XML character data, the one way every XML writer escapes text (the open-data files,
//! the rows API, Open311): markup escaped, and characters XML 1.0 cannot carry replaced,
//! so text stored as a citizen or a spreadsheet sent it never makes a document
//! ill-formed.

use std::io::{self, Write};

/// Splits `text` into pieces that are valid XML character data and feeds them to `emit`.
///
/// Escapes `&`, `<`, `>` (the last because `]]>` is forbidden in content), writes CR as
/// `&#13;` so parsers do not normalise it away, and replaces characters XML 1.0 cannot
/// carry at all (C0 controls other than TAB/LF/CR, U+FFFE, U+FFFF) with U+FFFD: one bad
/// byte in an uploaded spreadsheet must not make the whole published file ill-formed.
pub fn escape_with<E>(text: &str, mut emit: impl FnMut(&str) -> Result<(), E>) -> Result<(), E> {
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let (replacement, len) = match b {
            b'&' => ("&amp;", 1),
            b'<' => ("&lt;", 1),
            b'>' => ("&gt;", 1),
            b'\r' => ("&#13;", 1),
            b'\t' | b'\n' => {
                i += 1;
                continue;
            }
            0x00..=0x1f => ("\u{FFFD}", 1),
            // U+FFFE and U+FFFF are EF BF BE / EF BF BF in UTF-8.
            0xEF if bytes.get(i + 1) == Some(&0xBF)
                && matches!(bytes.get(i + 2), Some(0xBE | 0xBF)) =>
            {
                ("\u{FFFD}", 3)
            }
            _ => {
                i += 1;
                continue;
            }
        };
        // `i` and `start` sit on character boundaries: every byte matched above is ASCII
        // or the first byte of a complete three-byte sequence.
        if start < i {
            emit(&text[start..i])?;
        }
        emit(replacement)?;
        i += len;
        start = i;
    }
    if start < bytes.len() {
        emit(&text[start..])?;
    }
    Ok(())
}

/// Appends `text` escaped as XML character data.
pub fn push_escaped(out: &mut String, text: &str) {
    let result: Result<(), std::convert::Infallible> = escape_with(text, |piece| {
        out.push_str(piece);
        Ok(())
    });
    // The closure never fails, so there is nothing to handle.
    let Ok(()) = result;
}

/// Writes `text` escaped as XML character data, in as few writes as the text allows.
pub fn write_escaped<W: Write>(out: &mut W, text: &str) -> io::Result<()> {
    escape_with(text, |piece| out.write_all(piece.as_bytes()))
}

/// `text` escaped as XML character data.
pub fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_escaped(&mut out, text);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escapes_markup_and_bad_characters() {
        let mut out = String::new();
        push_escaped(&mut out, "a&b<c>d]]>\r\n\t\u{1}\u{FFFE}\u{FFFF}\u{FFFD}ё");
        assert_eq!(
            out,
            "a&amp;b&lt;c&gt;d]]&gt;&#13;\n\t\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}ё"
        );
    }

    #[test]
    fn xml_escape_leaves_plain_text_whole() {
        let mut pieces = Vec::new();
        let result: Result<(), ()> = escape_with("Улица Красная", |p| {
            pieces.push(p.to_owned());
            Ok(())
        });
        assert_eq!(result, Ok(()));
        assert_eq!(pieces, ["Улица Красная"]);
    }

    #[test]
    fn write_escaped_matches_push_escaped() {
        let text = "x < y & \"q\" \u{0}";
        let mut bytes = Vec::new();
        write_escaped(&mut bytes, text).expect("writing to a Vec");
        let mut string = String::new();
        push_escaped(&mut string, text);
        assert_eq!(bytes, string.as_bytes());
    }

    #[test]
    fn escaped_is_push_escaped_into_a_new_string() {
        assert_eq!(escaped("Улица Красная"), "Улица Красная");
        assert_eq!(escaped("NUL\u{0}байт <b>"), "NUL\u{FFFD}байт &lt;b&gt;");
    }
}
