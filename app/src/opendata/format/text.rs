//! Small text helpers shared by the writers: RFC 4180 quoting for the metadata CSV files,
//! an indenting XML builder (escaping through `platform::xml`), JSON pretty printing and
//! URL joining.

use serde::Serialize;

/// CRLF, the RFC 4180 record terminator; the real Volgograd `meta.csv` uses it too.
pub(crate) const CRLF: &str = "\r\n";

/// Builds a small CSV document (registry, passport, structure) in memory.
///
/// Hand-rolled rather than through the `csv` crate because these files are a few dozen
/// short rows and building a `String` directly cannot fail. Metadata values are written
/// verbatim: formula neutralisation is for data files only, since a passport phone
/// `+7…` must stay as v3.0 shows it.
pub(crate) struct CsvText {
    out: String,
}

impl CsvText {
    /// An empty document.
    pub(crate) fn new() -> Self {
        CsvText { out: String::new() }
    }

    /// Appends one record terminated by CRLF.
    pub(crate) fn record<'a>(&mut self, fields: impl IntoIterator<Item = &'a str>) {
        for (i, field) in fields.into_iter().enumerate() {
            if i > 0 {
                self.out.push(',');
            }
            push_csv_field(&mut self.out, field);
        }
        self.out.push_str(CRLF);
    }

    /// The finished document.
    pub(crate) fn finish(self) -> String {
        self.out
    }
}

/// Quotes a field only when RFC 4180 requires it (comma, quote, CR or LF inside).
fn push_csv_field(out: &mut String, field: &str) {
    if field.contains([',', '"', '\r', '\n']) {
        out.push('"');
        out.push_str(&field.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(field);
    }
}

/// The XML declaration every XML file of the section starts with (as in the v3.0 example).
pub(crate) const XML_DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";

/// Builds a small, two-space-indented XML document such as `meta.xml`.
pub(crate) struct XmlText {
    out: String,
    depth: usize,
}

impl XmlText {
    /// A document holding only the XML declaration.
    pub(crate) fn new() -> Self {
        XmlText {
            out: XML_DECLARATION.to_owned(),
            depth: 0,
        }
    }

    fn indent(&mut self) {
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
    }

    /// Opens `<name attrs>` on its own line; `attrs` is trusted markup (our constants).
    pub(crate) fn open_with(&mut self, name: &str, attrs: &str) {
        self.indent();
        self.out.push('<');
        self.out.push_str(name);
        if !attrs.is_empty() {
            self.out.push(' ');
            self.out.push_str(attrs);
        }
        self.out.push_str(">\n");
        self.depth += 1;
    }

    /// Opens `<name>` on its own line.
    pub(crate) fn open(&mut self, name: &str) {
        self.open_with(name, "");
    }

    /// Closes the element opened last.
    pub(crate) fn close(&mut self, name: &str) {
        self.depth = self.depth.saturating_sub(1);
        self.indent();
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push_str(">\n");
    }

    /// `<name attrs>text</name>` on one line, `text` escaped; `attrs` is trusted markup.
    pub(crate) fn leaf_with(&mut self, name: &str, attrs: &str, text: &str) {
        self.indent();
        self.out.push('<');
        self.out.push_str(name);
        if !attrs.is_empty() {
            self.out.push(' ');
            self.out.push_str(attrs);
        }
        self.out.push('>');
        platform::xml::push_escaped(&mut self.out, text);
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push_str(">\n");
    }

    /// `<name>text</name>` on one line, `text` escaped.
    pub(crate) fn leaf(&mut self, name: &str, text: &str) {
        self.leaf_with(name, "", text);
    }

    /// `<name attrs/>`; `attrs` is trusted markup.
    pub(crate) fn empty(&mut self, name: &str, attrs: &str) {
        self.indent();
        self.out.push('<');
        self.out.push_str(name);
        if !attrs.is_empty() {
            self.out.push(' ');
            self.out.push_str(attrs);
        }
        self.out.push_str("/>\n");
    }

    /// The finished document.
    pub(crate) fn finish(self) -> String {
        self.out
    }
}

/// Escapes `text` for use inside a double-quoted XML attribute value.
pub(crate) fn xml_attr(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    platform::xml::push_escaped(&mut out, text);
    out.replace('"', "&quot;")
        .replace('\n', "&#10;")
        .replace('\t', "&#9;")
}

/// Pretty-prints a document of this crate's own serialisable types, with a final newline.
pub(crate) fn pretty_json<T: Serialize>(value: &T) -> String {
    // Our types serialise only strings, numbers, booleans, sequences and string-keyed
    // maps, for which serde_json has no failure path.
    let mut text = serde_json::to_string_pretty(value)
        .expect("serialising string-keyed data to JSON cannot fail");
    text.push('\n');
    text
}

/// `base` + `/` + `identifier` + `/`: the URL of a dataset folder, however `base` ends.
pub(crate) fn dataset_url(base_url: &str, identifier: &str) -> String {
    format!("{}/{}/", base_url.trim_end_matches('/'), identifier)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_only_when_needed() {
        let mut csv = CsvText::new();
        csv.record(["a", "b,c", "say \"hi\"", "two\nlines", "", "Кириллица"]);
        assert_eq!(
            csv.finish(),
            "a,\"b,c\",\"say \"\"hi\"\"\",\"two\nlines\",,Кириллица\r\n"
        );
    }

    #[test]
    fn csv_keeps_formula_like_metadata_verbatim() {
        let mut csv = CsvText::new();
        csv.record(["publisherphone", "+74951234567"]);
        assert_eq!(csv.finish(), "publisherphone,+74951234567\r\n");
    }

    #[test]
    fn xml_builder_indents() {
        let mut xml = XmlText::new();
        xml.open("a");
        xml.leaf("b", "1 & 2");
        xml.empty("c", "x=\"y\"");
        xml.close("a");
        assert_eq!(
            xml.finish(),
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<a>\n  <b>1 &amp; 2</b>\n  <c x=\"y\"/>\n</a>\n"
        );
    }

    #[test]
    fn attribute_escaping() {
        assert_eq!(xml_attr("a\"b<\n"), "a&quot;b&lt;&#10;");
    }

    #[test]
    fn dataset_url_joins_once() {
        assert_eq!(
            dataset_url("http://example.com/opendata/", "1234567890-x"),
            "http://example.com/opendata/1234567890-x/"
        );
        assert_eq!(
            dataset_url("http://example.com/opendata", "1234567890-x"),
            "http://example.com/opendata/1234567890-x/"
        );
    }
}
