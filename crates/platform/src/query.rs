//! The query strings of links to filtered lists: one encoding for every feature, so a list's
//! own links and the links other pages make to it read back the same.

/// `?key=value&…` of the pairs whose value is not blank, in their order, values trimmed and
/// percent-encoded; empty when every value is blank.
pub fn query_string<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut serializer = form_urlencoded::Serializer::new(String::new());
    for (key, value) in pairs {
        let value = value.trim();
        if !value.is_empty() {
            serializer.append_pair(key, value);
        }
    }
    let encoded = serializer.finish();
    if encoded.is_empty() {
        encoded
    } else {
        format!("?{encoded}")
    }
}

#[cfg(test)]
mod tests {
    use super::query_string;

    #[test]
    fn blank_values_are_left_out_and_the_rest_encoded() {
        assert_eq!(
            query_string([("status", ""), ("q", " жилой дом "), ("from", "2026-01-01")]),
            "?q=%D0%B6%D0%B8%D0%BB%D0%BE%D0%B9+%D0%B4%D0%BE%D0%BC&from=2026-01-01"
        );
        assert_eq!(query_string([("page", " ")]), "");
        assert_eq!(query_string([("a", "1&b=2")]), "?a=1%26b%3D2");
    }
}
