//! Office files as uploaded: what kind of container the bytes are (an Office Open XML zip
//! package, a Compound File, a password-protected package), how much a zip package may
//! unpack to, and the text of a Word document (.docx) as its paragraphs.
//!
//! Uploads are untrusted: the container is sniffed from the bytes, never taken from the
//! file name, and a package's declared sizes are checked before anything is inflated.

use std::io::{Cursor, Read};

use quick_xml::events::Event;

use crate::error::DocumentError;

/// The start of every zip archive (an .xlsx or a .docx is one).
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
/// The start of an empty zip archive (its end-of-central-directory record).
const EMPTY_ZIP_MAGIC: &[u8] = b"PK\x05\x06";
/// The start of a Compound File (OLE): an .xls or a .doc, or an encrypted OOXML package.
const CFB_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
/// The stream name that marks an encrypted OOXML package inside a Compound File.
const ENCRYPTED_PACKAGE: &str = "EncryptedPackage";
/// Entries smaller than this are not ratio-checked: tiny files pack oddly and cannot hurt.
const RATIO_CHECKED_FROM_BYTES: u64 = 1024 * 1024;
/// The highest unpacked-to-packed ratio of one large entry. Office XML packs 5-30 times;
/// deflate cannot exceed about 1032, which is what bombs use.
pub const MAX_COMPRESSION_RATIO: u64 = 500;
/// The most entries a package may have (a real one has 10-30).
const MAX_ZIP_ENTRIES: usize = 10_000;

/// What the first bytes say a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Container {
    /// A zip archive: an Office Open XML package (.xlsx, .docx) if anything.
    Zip,
    /// A Compound File without an encrypted package: an .xls or a .doc.
    CompoundFile,
    /// A Compound File holding an encrypted OOXML package: a password-protected
    /// .xlsx or .docx.
    EncryptedPackage,
    /// Anything else.
    Unknown,
}

/// The container `bytes` are.
pub fn sniff(bytes: &[u8]) -> Container {
    if bytes.starts_with(ZIP_MAGIC) || bytes.starts_with(EMPTY_ZIP_MAGIC) {
        Container::Zip
    } else if bytes.starts_with(CFB_MAGIC) {
        // Directory entry names are stored as UTF-16LE; Office writes a protected package
        // as a Compound File with the streams "EncryptionInfo" and "EncryptedPackage".
        let name: Vec<u8> = ENCRYPTED_PACKAGE
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        if bytes
            .windows(name.len())
            .any(|window| window == name.as_slice())
        {
            Container::EncryptedPackage
        } else {
            Container::CompoundFile
        }
    } else {
        Container::Unknown
    }
}

/// Why a zip package is refused before it is unpacked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ZipRefusal {
    /// Not a readable zip archive.
    Damaged,
    /// An entry is encrypted.
    Encrypted,
    /// It would unpack to more than allowed (a "zip bomb", or absurdly large).
    TooBig,
}

/// Refuses a zip package whose central directory declares more than `max_unpacked`
/// bytes in all, an implausible ratio or an encrypted entry, before any entry is inflated.
/// The zip reader (zip >= 9.8) treats each declared size as a hard cap while inflating,
/// so a lying directory cannot make a reader allocate more than what is checked here.
pub fn check_zip_limits(bytes: &[u8], max_unpacked: u64) -> Result<(), ZipRefusal> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| ZipRefusal::Damaged)?;
    if archive.len() > MAX_ZIP_ENTRIES {
        return Err(ZipRefusal::TooBig);
    }
    let mut total: u64 = 0;
    for index in 0..archive.len() {
        let entry = archive
            .by_index_raw(index)
            .map_err(|_| ZipRefusal::Damaged)?;
        if entry.encrypted() {
            return Err(ZipRefusal::Encrypted);
        }
        let size = entry.size();
        total = total.saturating_add(size);
        let ratio = size / entry.compressed_size().max(1);
        if total > max_unpacked
            || (size >= RATIO_CHECKED_FROM_BYTES && ratio > MAX_COMPRESSION_RATIO)
        {
            return Err(ZipRefusal::TooBig);
        }
    }
    Ok(())
}

/// The largest .docx accepted.
pub const MAX_DOCX_BYTES: usize = 10 * 1024 * 1024;
/// The most a .docx may unpack to, all entries together (its pictures included).
const MAX_DOCX_UNPACKED: u64 = 128 * 1024 * 1024;
/// The most text read from one document, in bytes of UTF-8.
pub const MAX_TEXT_BYTES: usize = 2 * 1024 * 1024;
/// The part of a Word package that holds the body text.
const DOCUMENT_PART: &str = "word/document.xml";

/// The paragraphs of a Word document's body, in order, as plain text: runs joined, a tab
/// as a tab, a line break as a new line. Empty paragraphs are kept (as empty strings) so
/// a reader can see where the author left a blank line. Automatic list numbers are not
/// text in the document and do not appear.
pub fn docx_paragraphs(bytes: &[u8]) -> Result<Vec<String>, DocumentError> {
    if bytes.len() > MAX_DOCX_BYTES {
        return Err(DocumentError::FileTooLarge {
            max_mb: (MAX_DOCX_BYTES / (1024 * 1024)) as u32,
        });
    }
    match sniff(bytes) {
        Container::Zip => {}
        Container::EncryptedPackage => return Err(DocumentError::Encrypted),
        Container::CompoundFile => return Err(DocumentError::OldWordFormat),
        Container::Unknown => return Err(DocumentError::NotADocx),
    }
    check_zip_limits(bytes, MAX_DOCX_UNPACKED).map_err(|refusal| match refusal {
        ZipRefusal::Damaged => DocumentError::NotADocx,
        ZipRefusal::Encrypted => DocumentError::Encrypted,
        ZipRefusal::TooBig => DocumentError::TooBigUncompressed,
    })?;
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| DocumentError::NotADocx)?;
    let mut xml = Vec::new();
    archive
        .by_name(DOCUMENT_PART)
        .map_err(|_| DocumentError::NotADocx)?
        .read_to_end(&mut xml)
        .map_err(|_| DocumentError::NotADocx)?;
    paragraphs_of(&xml)
}

/// The paragraphs of `word/document.xml`.
fn paragraphs_of(xml: &[u8]) -> Result<Vec<String>, DocumentError> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buffer = Vec::new();
    let mut paragraphs = Vec::new();
    let mut current: Option<String> = None;
    let mut in_text = false;
    let mut text_bytes = 0usize;
    loop {
        let event = reader
            .read_event_into(&mut buffer)
            .map_err(|_| DocumentError::NotADocx)?;
        match event {
            Event::Start(tag) => match tag.local_name().as_ref() {
                b"p" => current = Some(String::new()),
                b"t" => in_text = true,
                _ => {}
            },
            Event::Empty(tag) => match (tag.local_name().as_ref(), current.as_mut()) {
                (b"p", _) => paragraphs.push(String::new()),
                (b"tab", Some(paragraph)) => paragraph.push('\t'),
                (b"br" | b"cr", Some(paragraph)) => paragraph.push('\n'),
                _ => {}
            },
            Event::Text(text) if in_text => {
                if let Some(paragraph) = current.as_mut() {
                    let text = text.decode().map_err(|_| DocumentError::NotADocx)?;
                    let text =
                        quick_xml::escape::unescape(&text).map_err(|_| DocumentError::NotADocx)?;
                    text_bytes += text.len();
                    paragraph.push_str(&text);
                }
            }
            Event::GeneralRef(reference) if in_text => {
                if let Some(paragraph) = current.as_mut() {
                    let name = reference.decode().map_err(|_| DocumentError::NotADocx)?;
                    let entity = format!("&{name};");
                    let text = quick_xml::escape::unescape(&entity)
                        .map_err(|_| DocumentError::NotADocx)?;
                    text_bytes += text.len();
                    paragraph.push_str(&text);
                }
            }
            Event::End(tag) => match tag.local_name().as_ref() {
                b"t" => in_text = false,
                b"p" => {
                    if let Some(paragraph) = current.take() {
                        paragraphs.push(paragraph);
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
        if text_bytes > MAX_TEXT_BYTES {
            return Err(DocumentError::TextTooLong {
                max_kb: (MAX_TEXT_BYTES / 1024) as u32,
            });
        }
        buffer.clear();
    }
    if paragraphs
        .iter()
        .all(|paragraph| paragraph.trim().is_empty())
    {
        return Err(DocumentError::NoText);
    }
    Ok(paragraphs)
}

/// Word documents for tests.
#[cfg(any(test, feature = "testing"))]
pub mod testing {
    use std::io::{Cursor, Write};

    /// A minimal Word package whose body holds `body` (WordprocessingML inside `w:body`).
    pub fn docx(body: &str) -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        let parts = [
            (
                "[Content_Types].xml",
                r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#.to_string(),
            ),
            (
                super::DOCUMENT_PART,
                format!(
                    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
                ),
            ),
        ];
        for (name, content) in parts {
            writer.start_file(name, options).expect("a zip entry");
            writer.write_all(content.as_bytes()).expect("written");
        }
        writer.finish().expect("a zip").into_inner()
    }
}

#[cfg(test)]
mod tests {
    use super::testing::docx;
    use super::*;

    #[test]
    fn paragraphs_keep_their_runs_tabs_breaks_and_entities() {
        let bytes = docx(concat!(
            r#"<w:p><w:r><w:t>Статья 1. </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">Предмет &amp; цели</w:t></w:r></w:p>"#,
            r#"<w:p/>"#,
            r#"<w:p><w:r><w:t>а)</w:t><w:tab/><w:t>первое</w:t><w:br/><w:t>второе</w:t></w:r></w:p>"#,
        ));
        assert_eq!(
            docx_paragraphs(&bytes),
            Ok(vec![
                "Статья 1. Предмет & цели".to_string(),
                String::new(),
                "а)\tпервое\nвторое".to_string(),
            ])
        );
    }

    #[test]
    fn files_that_are_not_word_documents_are_refused_by_kind() {
        assert_eq!(docx_paragraphs(b"%PDF-1.7"), Err(DocumentError::NotADocx));
        let mut compound = CFB_MAGIC.to_vec();
        compound.resize(512, 0);
        assert_eq!(
            docx_paragraphs(&compound),
            Err(DocumentError::OldWordFormat)
        );
        let mut encrypted = compound.clone();
        encrypted.extend(ENCRYPTED_PACKAGE.encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(docx_paragraphs(&encrypted), Err(DocumentError::Encrypted));
        // A zip that is a workbook, not a document.
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        writer
            .start_file("xl/workbook.xml", zip::write::SimpleFileOptions::default())
            .expect("an entry");
        let workbook = writer.finish().expect("a zip").into_inner();
        assert_eq!(docx_paragraphs(&workbook), Err(DocumentError::NotADocx));
        let mut truncated = docx("<w:p><w:r><w:t>x</w:t></w:r></w:p>");
        truncated.truncate(truncated.len() / 2);
        assert_eq!(docx_paragraphs(&truncated), Err(DocumentError::NotADocx));
        assert_eq!(
            docx_paragraphs(&docx("<w:p/><w:p><w:r><w:t> </w:t></w:r></w:p>")),
            Err(DocumentError::NoText)
        );
    }

    #[test]
    fn a_document_with_too_much_text_is_refused_while_reading() {
        // Letters drawn by a small generator, so the part packs as real text does (a
        // repeated letter would pack past the ratio limit and be refused for that).
        let mut state: u32 = 7;
        let text: String = (0..1_100_000)
            .map(|_| {
                state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                char::from_u32(0x430 + (state >> 16) % 32).unwrap_or('я')
            })
            .collect();
        let body = format!("<w:p><w:r><w:t>{text}</w:t></w:r></w:p>");
        assert_eq!(
            docx_paragraphs(&docx(&body)),
            Err(DocumentError::TextTooLong {
                max_kb: (MAX_TEXT_BYTES / 1024) as u32
            })
        );
    }

    #[test]
    fn containers_are_sniffed_from_their_bytes() {
        let mut header = CFB_MAGIC.to_vec();
        header.resize(512, 0);
        assert_eq!(sniff(&header), Container::CompoundFile);
        let mut encrypted = header.clone();
        encrypted.extend("EncryptionInfo".encode_utf16().flat_map(u16::to_le_bytes));
        encrypted.extend([0, 0]);
        encrypted.extend(ENCRYPTED_PACKAGE.encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(sniff(&encrypted), Container::EncryptedPackage);
        // The name in plain ASCII is not a directory entry.
        let mut ascii = header;
        ascii.extend(ENCRYPTED_PACKAGE.as_bytes());
        assert_eq!(sniff(&ascii), Container::CompoundFile);
        assert_eq!(sniff(b"PK\x03\x04rest"), Container::Zip);
        assert_eq!(sniff(b"PK\x05\x06"), Container::Zip);
        assert_eq!(sniff(b"%PDF-1.7"), Container::Unknown);
    }
}
