//! Plain text as people type it: a shortened excerpt, and the web addresses in it that a
//! page shows as links while everything else stays inert text.

/// The first `max` characters of `text`, with an ellipsis when it was longer.
pub fn excerpt(text: &str, max: usize) -> String {
    let mut chars = text.chars();
    let head: String = chars.by_ref().take(max).collect();
    if chars.next().is_some() {
        format!("{}…", head.trim_end())
    } else {
        head
    }
}

/// A piece of typed text: words as typed, or a web address a page shows as a link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextPiece<'a> {
    /// Text.
    Text(&'a str),
    /// An `http://` or `https://` address.
    Link(&'a str),
}

/// Splits `text` into plain text and web addresses (from `http://` or `https://` to the
/// next whitespace, without a closing punctuation mark), so a page links them and
/// renders everything else inert.
pub fn text_pieces(text: &str) -> Vec<TextPiece<'_>> {
    const SCHEMES: [&str; 2] = ["https://", "http://"];
    let mut pieces = Vec::new();
    let (mut plain_from, mut search_from) = (0, 0);
    while let Some(start) = SCHEMES
        .iter()
        .filter_map(|scheme| text[search_from..].find(scheme))
        .min()
        .map(|found| search_from + found)
    {
        let end = text[start..]
            .find(char::is_whitespace)
            .map_or(text.len(), |length| start + length);
        let address =
            text[start..end].trim_end_matches(['.', ',', ';', ':', '!', '?', ')', '»', '"']);
        let scheme = SCHEMES
            .iter()
            .find(|scheme| address.starts_with(*scheme))
            .map_or(0, |scheme| scheme.len());
        if address.len() > scheme && scheme > 0 {
            if start > plain_from {
                pieces.push(TextPiece::Text(&text[plain_from..start]));
            }
            pieces.push(TextPiece::Link(address));
            plain_from = start + address.len();
        }
        search_from = end.max(plain_from);
    }
    if plain_from < text.len() {
        pieces.push(TextPiece::Text(&text[plain_from..]));
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_excerpt_ends_with_an_ellipsis_only_when_shortened() {
        assert_eq!(excerpt("коротко", 10), "коротко");
        assert_eq!(excerpt("длинный текст комментария", 8), "длинный…");
    }

    #[test]
    fn web_addresses_become_links_and_the_rest_stays_text() {
        assert_eq!(
            text_pieces("См. https://krasnodar.ru/news, и <b>http://x.ru</b>."),
            [
                TextPiece::Text("См. "),
                TextPiece::Link("https://krasnodar.ru/news"),
                TextPiece::Text(", и <b>"),
                TextPiece::Link("http://x.ru</b>"),
                TextPiece::Text("."),
            ]
        );
        assert_eq!(
            text_pieces("https:// пусто"),
            [TextPiece::Text("https:// пусто")]
        );
        assert_eq!(text_pieces(""), Vec::<TextPiece>::new());
    }
}
