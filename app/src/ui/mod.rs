//! Shared interface pieces that know no feature: the map, forms, tables and their pager,
//! error display, the reaction clock's countdown, the page's count of its writes, the
//! file poster, the notice over a narrowed list, typed text with its links, and the
//! device's store of submissions waiting for the network.

pub mod chart;
pub mod countdown;
pub mod errors;
pub mod form;
pub mod header_count;
pub mod map;
pub mod narrowed;
#[cfg(feature = "hydrate")]
pub mod offline_queue;
pub mod page_writes;
pub mod pager;
pub mod point_picker;
pub mod sketch_field;
pub mod table;
pub mod typed_text;
#[cfg(feature = "hydrate")]
pub mod upload;

/// Escapes text for places that take it as HTML: Leaflet's popups and labels, and the
/// server's `<title>` (leptos_meta writes it as it is).
pub fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

#[cfg(test)]
mod tests {
    use super::escape_html;

    #[test]
    fn text_cannot_become_markup() {
        assert_eq!(
            escape_html("<img src=x onerror=alert(1)>"),
            "&lt;img src=x onerror=alert(1)&gt;"
        );
        assert_eq!(
            escape_html("Тимашёвск & \"Co\""),
            "Тимашёвск &amp; &quot;Co&quot;"
        );
    }
}
