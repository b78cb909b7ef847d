//! Streaming writer of data files (`data-<v>-structure-<s>.csv|xml|json`).
//!
//! Rows go straight to the output through a buffer, so memory stays flat however many
//! rows a version has; the only allocations after construction are the ones the caller
//! makes for its own cell text.

use std::io::{self, BufWriter, Write};

use chrono::{Datelike, NaiveDate};

use super::names::{Format, StructureFormat, date_in_range, structure_file_name};
use super::structure::{ColumnType, Structure, StructureError, XML_ROOT, XML_ROW, XSI_NAMESPACE};
use super::text::XML_DECLARATION;
use super::value::Value;
use platform::xml::write_escaped;

/// Why a row (or the structure given to [`DataWriter::new`]) was refused.
///
/// Returned inside an [`io::Error`] of kind [`io::ErrorKind::InvalidInput`]; get it back
/// with `err.get_ref().and_then(|e| e.downcast_ref::<RowError>())`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RowError {
    /// The structure is not publishable.
    #[error("invalid structure: {0}")]
    InvalidStructure(#[from] StructureError),
    /// The row has a different number of cells than the structure has columns.
    #[error("row has {got} cells, the structure has {expected} columns")]
    WrongArity {
        /// Number of columns.
        expected: usize,
        /// Number of cells given.
        got: usize,
    },
    /// A cell's value does not fit its column type.
    #[error("column {column:?} is {expected:?}, got a {got} value")]
    TypeMismatch {
        /// Machine name of the column.
        column: String,
        /// Column type.
        expected: ColumnType,
        /// Kind of the value given ([`Value::kind_name`]).
        got: &'static str,
    },
    /// NaN or infinity, which CSV readers, XSD decimals and JSON all reject.
    #[error("column {0:?} has a non-finite number")]
    NonFiniteNumber(String),
    /// A date outside years 1-9999, which ISO 8601 four-digit years cannot write.
    #[error("column {0:?} has a date outside years 0001-9999")]
    DateOutOfRange(String),
}

impl From<RowError> for io::Error {
    fn from(err: RowError) -> io::Error {
        io::Error::new(io::ErrorKind::InvalidInput, err)
    }
}

/// Size of the output buffer: large enough that a row rarely causes a system call.
const BUFFER_SIZE: usize = 64 * 1024;

/// Writes one data file row by row.
///
/// CSV is RFC 4180 in UTF-8 with CRLF, the header row being the machine names; a text cell
/// starting with `=`, `+`, `-`, `@`, TAB or CR gets a leading apostrophe so spreadsheets do
/// not run it as a formula (OWASP "CSV injection"); numbers are never altered.
/// XML is `<data><item><column>…</column>…</item>…</data>` as [`super::structure_xsd`]
/// describes, one row per line. JSON is an array of objects, one row per line, with typed
/// values as [`super::structure_json_schema`] describes.
///
/// The writer buffers internally; call [`DataWriter::finish`] to write the closing part
/// and flush: a writer dropped without it leaves a truncated file.
pub struct DataWriter<W: Write> {
    names: Vec<String>,
    kinds: Vec<ColumnType>,
    sink: Sink<W>,
    rows: u64,
    /// Whether the file's opening and closing parts are written (see [`DataWriter::rows`]).
    framed: bool,
}

/// The per-format output state.
enum Sink<W: Write> {
    Csv {
        /// Boxed: the csv writer's state is several times larger than the other variants.
        out: Box<csv::Writer<W>>,
        /// Reused buffer for formatting numbers and prefixing neutralised text.
        scratch: Vec<u8>,
    },
    Xml {
        out: BufWriter<W>,
        /// `<name>` per column, built once.
        open_tags: Vec<String>,
        /// `</name>` per column.
        close_tags: Vec<String>,
        /// `<name xsi:nil="true"/>` per column.
        nil_tags: Vec<String>,
    },
    Json {
        out: BufWriter<W>,
        /// `"name":` per column, JSON-escaped once.
        keys: Vec<String>,
    },
}

impl<W: Write> DataWriter<W> {
    /// Starts a data file of `structure` in `format` and writes its header part.
    ///
    /// Fails with [`io::ErrorKind::InvalidInput`] when the structure does not validate,
    /// since its names become XML element names and JSON keys.
    pub fn new(writer: W, structure: &Structure, format: Format) -> io::Result<Self> {
        Self::start(writer, structure, format, true)
    }

    /// Starts writing only the rows, in the file's row syntax, for embedding in another
    /// document: no CSV header, no XML declaration or root element (the embedding
    /// document declares the `xsi` prefix the null cells use), no JSON brackets (rows are
    /// separated by `,` and start on a new line, as in the file).
    pub fn rows(writer: W, structure: &Structure, format: Format) -> io::Result<Self> {
        Self::start(writer, structure, format, false)
    }

    fn start(writer: W, structure: &Structure, format: Format, framed: bool) -> io::Result<Self> {
        structure.validate().map_err(RowError::from)?;
        let names: Vec<String> = structure.columns.iter().map(|c| c.name.clone()).collect();
        let kinds = structure.columns.iter().map(|c| c.kind).collect();
        let sink = match format {
            Format::Csv => {
                let mut out = csv::WriterBuilder::new()
                    .terminator(csv::Terminator::CRLF)
                    .buffer_capacity(BUFFER_SIZE)
                    .from_writer(writer);
                if framed {
                    out.write_record(&names)?;
                }
                Sink::Csv {
                    out: Box::new(out),
                    scratch: Vec::with_capacity(64),
                }
            }
            Format::Xml => {
                let mut out = BufWriter::with_capacity(BUFFER_SIZE, writer);
                if framed {
                    out.write_all(XML_DECLARATION.as_bytes())?;
                    // The schema location lets validators and browsers find the XSD sitting
                    // next to the data file in the same folder.
                    writeln!(
                        out,
                        "<{XML_ROOT} xmlns:xsi=\"{XSI_NAMESPACE}\" xsi:noNamespaceSchemaLocation=\"{}\">",
                        structure_file_name(structure.version, StructureFormat::Xsd)
                    )?;
                }
                Sink::Xml {
                    out,
                    open_tags: names.iter().map(|n| format!("<{n}>")).collect(),
                    close_tags: names.iter().map(|n| format!("</{n}>")).collect(),
                    nil_tags: names
                        .iter()
                        .map(|n| format!("<{n} xsi:nil=\"true\"/>"))
                        .collect(),
                }
            }
            Format::Json => {
                let mut out = BufWriter::with_capacity(BUFFER_SIZE, writer);
                if framed {
                    out.write_all(b"[")?;
                }
                Sink::Json {
                    out,
                    // Machine names need no JSON escaping ([a-z0-9_] only, checked above).
                    keys: names.iter().map(|n| format!("\"{n}\":")).collect(),
                }
            }
        };
        Ok(DataWriter {
            names,
            kinds,
            sink,
            rows: 0,
            framed,
        })
    }

    /// Number of rows written so far.
    pub fn rows_written(&self) -> u64 {
        self.rows
    }

    /// Checks a row against the structure before anything of it is written, so a refused
    /// row leaves the file intact and the caller may skip it and go on.
    fn check(&self, row: &[Value]) -> Result<(), RowError> {
        if row.len() != self.kinds.len() {
            return Err(RowError::WrongArity {
                expected: self.kinds.len(),
                got: row.len(),
            });
        }
        for ((value, &kind), name) in row.iter().zip(&self.kinds).zip(&self.names) {
            if !value.fits(kind) {
                return Err(RowError::TypeMismatch {
                    column: name.clone(),
                    expected: kind,
                    got: value.kind_name(),
                });
            }
            match value {
                Value::Number(n) if !n.is_finite() => {
                    return Err(RowError::NonFiniteNumber(name.clone()));
                }
                Value::Date(d) if !date_in_range(*d) => {
                    return Err(RowError::DateOutOfRange(name.clone()));
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Writes one row; `row` must have one value per column, each fitting its column type.
    pub fn write_row(&mut self, row: &[Value]) -> io::Result<()> {
        self.check(row)?;
        match &mut self.sink {
            Sink::Csv { out, scratch } => {
                for value in row {
                    scratch.clear();
                    write_csv_cell(scratch, value)?;
                    out.write_field(&*scratch)?;
                }
                out.write_record(None::<&[u8]>)?;
            }
            Sink::Xml {
                out,
                open_tags,
                close_tags,
                nil_tags,
            } => {
                out.write_all(b"<")?;
                out.write_all(XML_ROW.as_bytes())?;
                out.write_all(b">")?;
                for (i, value) in row.iter().enumerate() {
                    if let Value::Null = value {
                        out.write_all(nil_tags[i].as_bytes())?;
                        continue;
                    }
                    out.write_all(open_tags[i].as_bytes())?;
                    match value {
                        Value::Text(text) => write_escaped(out, text)?,
                        other => write_plain(out, other)?,
                    }
                    out.write_all(close_tags[i].as_bytes())?;
                }
                out.write_all(b"</")?;
                out.write_all(XML_ROW.as_bytes())?;
                out.write_all(b">\n")?;
            }
            Sink::Json { out, keys } => {
                out.write_all(if self.rows == 0 { b"\n{" } else { b",\n{" })?;
                for (i, value) in row.iter().enumerate() {
                    if i > 0 {
                        out.write_all(b",")?;
                    }
                    out.write_all(keys[i].as_bytes())?;
                    match value {
                        Value::Null => out.write_all(b"null")?,
                        Value::Text(text) => serde_json::to_writer(&mut *out, text)?,
                        // serde_json prints the shortest text that reads back as the same f64.
                        Value::Number(n) => serde_json::to_writer(&mut *out, n)?,
                        Value::Date(d) => {
                            out.write_all(b"\"")?;
                            write_iso_date(out, *d)?;
                            out.write_all(b"\"")?;
                        }
                        other => write_plain(out, other)?,
                    }
                }
                out.write_all(b"}")?;
            }
        }
        self.rows += 1;
        Ok(())
    }

    /// Writes the closing part, flushes, and hands back the underlying writer.
    pub fn finish(self) -> io::Result<W> {
        match self.sink {
            Sink::Csv { out, .. } => (*out).into_inner().map_err(|e| e.into_error()),
            Sink::Xml { mut out, .. } => {
                if self.framed {
                    writeln!(out, "</{XML_ROOT}>")?;
                }
                out.into_inner().map_err(|e| e.into_error())
            }
            Sink::Json { mut out, .. } => {
                if self.framed {
                    out.write_all(if self.rows == 0 { b"]\n" } else { b"\n]\n" })?;
                }
                out.into_inner().map_err(|e| e.into_error())
            }
        }
    }
}

/// True when a spreadsheet would read `text` as a formula or strip its first character
/// (the OWASP CSV-injection list: `=`, `+`, `-`, `@`, TAB, CR).
pub(crate) fn needs_neutralising(text: &str) -> bool {
    matches!(
        text.as_bytes().first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    )
}

/// Formats one CSV cell into `scratch`; the csv crate adds quoting.
fn write_csv_cell(scratch: &mut Vec<u8>, value: &Value) -> io::Result<()> {
    match value {
        Value::Null => {}
        Value::Text(text) => {
            if needs_neutralising(text) {
                scratch.push(b'\'');
            }
            scratch.extend_from_slice(text.as_bytes());
        }
        other => write_plain(scratch, other)?,
    }
    Ok(())
}

/// Writes a non-text, non-null value in the spelling shared by CSV, XML and JSON:
/// integers and decimals in plain notation, ISO dates, `true`/`false`.
fn write_plain<O: Write>(out: &mut O, value: &Value) -> io::Result<()> {
    match value {
        Value::Integer(n) => write!(out, "{n}"),
        // Rust prints f64 in plain decimal notation (never 1e21), the shortest text that
        // reads back as the same value: what xs:decimal and CSV readers expect.
        Value::Number(n) => write!(out, "{n}"),
        Value::Date(d) => write_iso_date(out, *d),
        Value::Boolean(b) => out.write_all(if *b { b"true" } else { b"false" }),
        Value::Null | Value::Text(_) => Ok(()),
    }
}

/// `YYYY-MM-DD` without going through chrono's allocating formatter.
fn write_iso_date<O: Write>(out: &mut O, date: NaiveDate) -> io::Result<()> {
    write!(
        out,
        "{:04}-{:02}-{:02}",
        date.year(),
        date.month(),
        date.day()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::opendata::format::structure::Column;

    fn structure() -> Structure {
        Structure {
            version: NaiveDate::from_ymd_opt(2013, 4, 1).expect("valid date"),
            columns: vec![
                Column::new("name", "Name", "Наименование", ColumnType::String),
                Column::new("count", "Count", "Количество", ColumnType::Integer),
                Column::new("lat", "Latitude", "Широта", ColumnType::Number),
                Column::new("opened", "Opened", "Открыт", ColumnType::Date),
                Column::new("free", "Free", "Бесплатно", ColumnType::Boolean),
            ],
            latitude: None,
            longitude: None,
        }
    }

    fn row() -> Vec<Value> {
        vec![
            Value::Text("Зал \"Юг\", 1 & <2>".into()),
            Value::Integer(-3),
            Value::Number(45.0355),
            Value::Date(NaiveDate::from_ymd_opt(2013, 6, 1).expect("valid date")),
            Value::Boolean(true),
        ]
    }

    fn write(format: Format, rows: &[Vec<Value>]) -> String {
        let mut w = DataWriter::new(Vec::new(), &structure(), format).expect("valid structure");
        for r in rows {
            w.write_row(r).expect("row fits");
        }
        assert_eq!(w.rows_written(), rows.len() as u64);
        String::from_utf8(w.finish().expect("flush to Vec")).expect("UTF-8 output")
    }

    fn nulls() -> Vec<Value> {
        vec![Value::Null; 5]
    }

    #[test]
    fn csv_output() {
        assert_eq!(
            write(Format::Csv, &[row(), nulls()]),
            "name,count,lat,opened,free\r\n\
             \"Зал \"\"Юг\"\", 1 & <2>\",-3,45.0355,2013-06-01,true\r\n\
             ,,,,\r\n"
        );
    }

    #[test]
    fn csv_neutralises_formulas_but_not_numbers() {
        let cases = [
            ("=1+2", "'=1+2"),
            ("+74951234567", "'+74951234567"),
            ("-5", "'-5"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "\"'\rx\""),
            ("a=b", "a=b"),
            ("'quoted", "'quoted"),
            (" =x", " =x"),
        ];
        for (text, cell) in cases {
            let mut r = nulls();
            r[0] = Value::Text(text.into());
            r[1] = Value::Integer(-5);
            r[2] = Value::Number(-0.5);
            let out = write(Format::Csv, &[r]);
            assert_eq!(
                out,
                format!("name,count,lat,opened,free\r\n{cell},-5,-0.5,,\r\n"),
                "{text:?}"
            );
        }
    }

    #[test]
    fn xml_output() {
        assert_eq!(
            write(Format::Xml, &[row(), nulls()]),
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
             <data xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:noNamespaceSchemaLocation=\"structure-20130401.xsd\">\n\
             <item><name>Зал \"Юг\", 1 &amp; &lt;2&gt;</name><count>-3</count><lat>45.0355</lat><opened>2013-06-01</opened><free>true</free></item>\n\
             <item><name xsi:nil=\"true\"/><count xsi:nil=\"true\"/><lat xsi:nil=\"true\"/><opened xsi:nil=\"true\"/><free xsi:nil=\"true\"/></item>\n\
             </data>\n"
        );
    }

    #[test]
    fn json_output() {
        assert_eq!(
            write(Format::Json, &[row(), nulls()]),
            "[\n\
             {\"name\":\"Зал \\\"Юг\\\", 1 & <2>\",\"count\":-3,\"lat\":45.0355,\"opened\":\"2013-06-01\",\"free\":true},\n\
             {\"name\":null,\"count\":null,\"lat\":null,\"opened\":null,\"free\":null}\n\
             ]\n"
        );
    }

    #[test]
    fn rows_alone_for_embedding() {
        let rows = |format: Format| {
            let mut w = DataWriter::rows(Vec::new(), &structure(), format).expect("valid");
            w.write_row(&row()).expect("row fits");
            w.write_row(&nulls()).expect("row fits");
            String::from_utf8(w.finish().expect("flush")).expect("UTF-8")
        };
        let framed = |format: Format| write(format, &[row(), nulls()]);
        assert_eq!(
            rows(Format::Json),
            framed(Format::Json)
                .strip_prefix('[')
                .and_then(|t| t.strip_suffix("\n]\n"))
                .expect("brackets")
        );
        assert!(framed(Format::Xml).contains(&rows(Format::Xml)));
        assert!(rows(Format::Xml).starts_with("<item><name>"));
        assert_eq!(
            rows(Format::Csv),
            framed(Format::Csv)
                .split_once("\r\n")
                .map(|(_, rest)| rest.to_string())
                .expect("a header")
        );
    }

    #[test]
    fn empty_files() {
        assert_eq!(write(Format::Csv, &[]), "name,count,lat,opened,free\r\n");
        assert_eq!(write(Format::Json, &[]), "[]\n");
        assert!(write(Format::Xml, &[]).ends_with("structure-20130401.xsd\">\n</data>\n"));
    }

    #[test]
    fn integer_in_number_column_and_plain_decimals() {
        let mut r = nulls();
        r[2] = Value::Integer(45);
        assert!(write(Format::Xml, std::slice::from_ref(&r)).contains("<lat>45</lat>"));
        r[2] = Value::Number(1e21);
        assert!(
            write(Format::Xml, std::slice::from_ref(&r))
                .contains("<lat>1000000000000000000000</lat>")
        );
        r[2] = Value::Number(0.000001);
        assert!(write(Format::Csv, std::slice::from_ref(&r)).contains(",0.000001,"));
    }

    fn refused(row: &[Value]) -> RowError {
        let mut w =
            DataWriter::new(Vec::new(), &structure(), Format::Json).expect("valid structure");
        let err = w.write_row(row).expect_err("row must be refused");
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
        assert_eq!(w.rows_written(), 0);
        // A refused row leaves nothing behind: the file is still an empty array.
        assert_eq!(w.finish().expect("flush"), b"[]\n");
        err.get_ref()
            .and_then(|e| e.downcast_ref::<RowError>())
            .expect("RowError inside")
            .clone()
    }

    #[test]
    fn refuses_bad_rows() {
        assert_eq!(
            refused(&[Value::Null]),
            RowError::WrongArity {
                expected: 5,
                got: 1
            }
        );
        let mut r = nulls();
        r[1] = Value::Text("3".into());
        assert_eq!(
            refused(&r),
            RowError::TypeMismatch {
                column: "count".into(),
                expected: ColumnType::Integer,
                got: "text"
            }
        );
        let mut r = nulls();
        r[2] = Value::Number(f64::NAN);
        assert_eq!(refused(&r), RowError::NonFiniteNumber("lat".into()));
        let mut r = nulls();
        r[3] = Value::Date(NaiveDate::from_ymd_opt(-5, 1, 1).expect("valid date"));
        assert_eq!(refused(&r), RowError::DateOutOfRange("opened".into()));
    }

    #[test]
    fn refuses_invalid_structure() {
        let mut s = structure();
        s.columns[0].name = "Имя".into();
        let err = match DataWriter::new(Vec::new(), &s, Format::Xml) {
            Err(err) => err,
            Ok(_) => panic!("invalid structure accepted"),
        };
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
    }

    #[test]
    fn neutralising_rule() {
        for yes in ["=", "+1", "-", "@", "\t", "\r"] {
            assert!(needs_neutralising(yes), "{yes:?}");
        }
        for no in ["", "a", " =", "1", "'=", "\n="] {
            assert!(!needs_neutralising(no), "{no:?}");
        }
    }
}
