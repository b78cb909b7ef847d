//! SQL text helpers shared by every query that builds SQL from user input.

/// `text` with the `LIKE` wildcards `%` and `_`, and `escape` itself, preceded by
/// `escape`, so that it matches only itself inside a pattern. With `\\` (MySQL's default
/// escape character) the pattern needs no `ESCAPE` clause; another character needs
/// `ESCAPE 'c'` after the pattern.
pub fn escape_like(text: &str, escape: char) -> String {
    let mut escaped = String::with_capacity(text.len() + 2);
    for c in text.chars() {
        if c == '%' || c == '_' || c == escape {
            escaped.push(escape);
        }
        escaped.push(c);
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_and_the_escape_character_are_escaped() {
        assert_eq!(escape_like("anna", '\\'), "anna");
        assert_eq!(escape_like("50%_off\\", '\\'), "50\\%\\_off\\\\");
        assert_eq!(escape_like("a!b%", '!'), "a!!b!%");
        assert_eq!(escape_like("жёлтый_", '!'), "жёлтый!_");
    }
}
