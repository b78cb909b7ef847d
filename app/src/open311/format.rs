//! Open311 GeoReport v2 documents in XML and JSON. XML is the spec's primary format; the
//! JSON follows its "Spark convention": list containers become top-level arrays and
//! absent values are `null`.

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use std::borrow::Cow;

use serde::ser::{Serialize, SerializeMap, Serializer};

/// The two formats, chosen by the resource's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `.xml`: `text/xml; charset=utf-8`.
    Xml,
    /// `.json`: `application/json; charset=utf-8`.
    Json,
}

impl Format {
    /// Splits `requests.json` into (`requests`, Json); `None` without a known extension.
    pub fn split(resource: &str) -> Option<(&str, Format)> {
        let (name, extension) = resource.rsplit_once('.')?;
        let format = match extension {
            "xml" => Format::Xml,
            "json" => Format::Json,
            _ => return None,
        };
        Some((name, format))
    }

    /// The Content-Type the spec prescribes.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Xml => "text/xml; charset=utf-8",
            Format::Json => "application/json; charset=utf-8",
        }
    }
}

/// A field value: text, number, boolean, or absent. Text borrows from the row it was read
/// from where it can: a page of 1,000 requests is written without copying its texts.
#[derive(Debug, Clone, PartialEq)]
pub enum Field<'a> {
    /// Text.
    Text(Cow<'a, str>),
    /// A number.
    Number(f64),
    /// An integer (ids).
    Integer(u64),
    /// true / false.
    Bool(bool),
    /// Absent: an empty element in XML, `null` in JSON.
    Null,
}

impl<'a> From<&'a str> for Field<'a> {
    fn from(text: &'a str) -> Self {
        Field::Text(Cow::Borrowed(text))
    }
}

impl From<String> for Field<'_> {
    fn from(text: String) -> Self {
        Field::Text(Cow::Owned(text))
    }
}

impl<'a, T: Into<Field<'a>>> From<Option<T>> for Field<'a> {
    fn from(value: Option<T>) -> Self {
        value.map_or(Field::Null, Into::into)
    }
}

impl Serialize for Field<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Field::Text(text) => serializer.serialize_str(text),
            Field::Number(number) => serializer.serialize_f64(*number),
            Field::Integer(number) => serializer.serialize_u64(*number),
            Field::Bool(flag) => serializer.serialize_bool(*flag),
            Field::Null => serializer.serialize_unit(),
        }
    }
}

/// One record (`service`, `request`, `error`...): ordered (name, value) pairs, or nested
/// lists of records (service definition attributes). In JSON it is an object with the
/// fields in this order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Record<'a> {
    fields: Vec<(&'static str, Node<'a>)>,
}

#[derive(Debug, Clone, PartialEq)]
enum Node<'a> {
    Field(Field<'a>),
    List {
        item: &'static str,
        records: Vec<Record<'a>>,
    },
}

impl<'a> Record<'a> {
    /// An empty record.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a field.
    pub fn field(mut self, name: &'static str, value: impl Into<Field<'a>>) -> Self {
        self.fields.push((name, Node::Field(value.into())));
        self
    }

    /// Adds a nested list (`<attributes><attribute>...`).
    pub fn list(
        mut self,
        name: &'static str,
        item: &'static str,
        records: Vec<Record<'a>>,
    ) -> Self {
        self.fields.push((name, Node::List { item, records }));
        self
    }

    fn write_xml(&self, writer: &mut Writer<Vec<u8>>, tag: &str) -> std::io::Result<()> {
        writer.write_event(Event::Start(BytesStart::new(tag)))?;
        for (name, node) in &self.fields {
            match node {
                Node::Field(field) => {
                    let text: Cow<'_, str> = match field {
                        Field::Text(text) => Cow::Borrowed(text),
                        Field::Number(number) => Cow::Owned(number.to_string()),
                        Field::Integer(number) => Cow::Owned(number.to_string()),
                        Field::Bool(flag) => Cow::Borrowed(if *flag { "true" } else { "false" }),
                        Field::Null => Cow::Borrowed(""),
                    };
                    if text.is_empty() {
                        writer.write_event(Event::Empty(BytesStart::new(*name)))?;
                    } else {
                        writer.write_event(Event::Start(BytesStart::new(*name)))?;
                        // Escaped by the platform, which also replaces the characters
                        // XML cannot carry (a NUL a citizen typed would end the document).
                        let escaped = platform::xml::escaped(&text);
                        writer.write_event(Event::Text(BytesText::from_escaped(escaped)))?;
                        writer.write_event(Event::End(BytesEnd::new(*name)))?;
                    }
                }
                Node::List { item, records } => {
                    writer.write_event(Event::Start(BytesStart::new(*name)))?;
                    for record in records {
                        record.write_xml(writer, item)?;
                    }
                    writer.write_event(Event::End(BytesEnd::new(*name)))?;
                }
            }
        }
        writer.write_event(Event::End(BytesEnd::new(tag)))
    }
}

impl Serialize for Record<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut object = serializer.serialize_map(Some(self.fields.len()))?;
        for (name, node) in &self.fields {
            match node {
                Node::Field(field) => object.serialize_entry(name, field)?,
                Node::List { records, .. } => object.serialize_entry(name, records)?,
            }
        }
        object.end()
    }
}

/// JSON text of a value made of records: serialising our own types to a string cannot
/// fail, so the fallback only keeps the function total.
fn json_text(value: &impl Serialize) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// A list document (`<services><service>…`, or a JSON array).
pub fn list(format: Format, root: &str, item: &str, records: &[Record]) -> String {
    match format {
        Format::Json => json_text(&records),
        Format::Xml => xml_document(|writer| {
            writer.write_event(Event::Start(BytesStart::new(root)))?;
            for record in records {
                record.write_xml(writer, item)?;
            }
            writer.write_event(Event::End(BytesEnd::new(root)))
        }),
    }
}

/// A single-object document (`<service_definition>…`, or a JSON object).
pub fn single(format: Format, root: &str, record: &Record) -> String {
    match format {
        Format::Json => json_text(record),
        Format::Xml => xml_document(|writer| record.write_xml(writer, root)),
    }
}

/// The spec's error document: `<errors><error><code/><description/></error></errors>`.
pub fn errors(format: Format, code: u16, description: &str) -> String {
    let error = Record::new()
        .field("code", Field::Integer(u64::from(code)))
        .field("description", description);
    list(format, "errors", "error", &[error])
}

fn xml_document(body: impl FnOnce(&mut Writer<Vec<u8>>) -> std::io::Result<()>) -> String {
    let mut writer = Writer::new(Vec::new());
    let written = writer
        .write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))
        .and_then(|()| body(&mut writer));
    match written {
        // Writing to a Vec cannot fail; the fallback only keeps the function total.
        Ok(()) => String::from_utf8(writer.into_inner()).unwrap_or_default(),
        Err(_) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;

    fn request() -> Record<'static> {
        Record::new()
            .field("service_request_id", Field::Integer(42))
            .field("status", "open")
            .field("description", "Яма <глубокая> & опасная")
            .field("media_url", Field::Null)
            .field("lat", Field::Number(45.0355))
    }

    #[test]
    fn xml_has_the_declaration_escapes_text_and_writes_absent_values_empty() {
        let xml = list(Format::Xml, "service_requests", "request", &[request()]);
        assert_eq!(
            xml,
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><service_requests><request>\
             <service_request_id>42</service_request_id><status>open</status>\
             <description>Яма &lt;глубокая&gt; &amp; опасная</description><media_url/>\
             <lat>45.0355</lat></request></service_requests>"
        );
    }

    #[test]
    fn xml_replaces_characters_xml_cannot_carry() {
        let record = Record::new().field("description", "NUL\u{0}байт\u{1b}[31m");
        let xml = single(Format::Xml, "request", &record);
        assert!(
            xml.contains("<description>NUL\u{FFFD}байт\u{FFFD}[31m</description>"),
            "{xml}"
        );
    }

    #[test]
    fn json_lists_are_top_level_arrays_with_nulls() {
        let json: Value = serde_json::from_str(&list(
            Format::Json,
            "service_requests",
            "request",
            &[request()],
        ))
        .expect("valid JSON");
        assert_eq!(json[0]["service_request_id"], json!(42));
        assert_eq!(json[0]["media_url"], Value::Null);
        assert_eq!(json[0]["description"], json!("Яма <глубокая> & опасная"));
    }

    #[test]
    fn errors_follow_the_spec_shape() {
        assert_eq!(
            errors(Format::Json, 403, "Invalid api_key"),
            r#"[{"code":403,"description":"Invalid api_key"}]"#
        );
        assert!(errors(Format::Xml, 404, "x").ends_with(
            "<errors><error><code>404</code><description>x</description></error></errors>"
        ));
    }

    #[test]
    fn the_extension_picks_the_format() {
        assert_eq!(
            Format::split("requests.json"),
            Some(("requests", Format::Json))
        );
        assert_eq!(Format::split("42.xml"), Some(("42", Format::Xml)));
        assert_eq!(Format::split("requests.csv"), None);
        assert_eq!(Format::split("requests"), None);
    }
}
