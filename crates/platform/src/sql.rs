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

/// A value bound to a `?` of SQL built as text, named by its SQL type. Features that
/// build SQL from a request's filters bind every user value through this, and format only
/// checked names and positions into the text.
#[cfg(feature = "ssr")]
#[derive(Debug, Clone, PartialEq)]
pub enum Bind {
    /// `TEXT`.
    Text(String),
    /// `BIGINT`.
    BigInt(i64),
    /// `BIGINT UNSIGNED`.
    UnsignedBigInt(u64),
    /// `INT UNSIGNED`.
    UnsignedInt(u32),
    /// `DOUBLE`.
    Double(f64),
    /// `BOOL`.
    Bool(bool),
}

/// The query type that [`bind_all`] binds into.
#[cfg(feature = "ssr")]
pub type BoxedSql = diesel::query_builder::BoxedSqlQuery<
    'static,
    diesel::mysql::Mysql,
    diesel::query_builder::SqlQuery,
>;

/// `query` with `binds` bound to its next placeholders, in order.
#[cfg(feature = "ssr")]
pub fn bind_all(mut query: BoxedSql, binds: Vec<Bind>) -> BoxedSql {
    use diesel::sql_types::{BigInt, Bool, Double, Integer, Text, Unsigned};

    for bind in binds {
        query = match bind {
            Bind::Text(text) => query.bind::<Text, _>(text),
            Bind::BigInt(whole) => query.bind::<BigInt, _>(whole),
            Bind::UnsignedBigInt(whole) => query.bind::<Unsigned<BigInt>, _>(whole),
            Bind::UnsignedInt(whole) => query.bind::<Unsigned<Integer>, _>(whole),
            Bind::Double(number) => query.bind::<Double, _>(number),
            Bind::Bool(truth) => query.bind::<Bool, _>(truth),
        };
    }
    query
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
