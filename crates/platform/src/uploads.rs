//! Uploaded files: reading a multipart file field within a size limit, storing it durably. Why a file's
//! contents cannot be read is told by the codes in [`crate::error::file_formats`].

use axum::extract::Multipart;

use crate::error::{AppError, ErrorCode};

/// Reads the multipart file field `field` (its file name, cut to 255 characters, or
/// `default_name`, and its bytes), chunk by chunk, so a file over `max_bytes` is refused
/// as soon as it passes the limit instead of after it has all arrived.
pub async fn read_file_field(
    multipart: &mut Multipart,
    field_name: &str,
    max_bytes: usize,
    default_name: &str,
) -> Result<(String, Vec<u8>), AppError> {
    let too_large = || {
        AppError::invalid(
            field_name,
            ErrorCode::FileTooLarge {
                max_mb: (max_bytes / 1024 / 1024) as u32,
            },
        )
    };
    loop {
        match multipart.next_field().await {
            Ok(Some(mut field)) if field.name() == Some(field_name) => {
                let name = field
                    .file_name()
                    .map(|name| name.chars().take(255).collect::<String>())
                    .unwrap_or_else(|| default_name.to_string());
                let mut bytes = Vec::new();
                loop {
                    match field.chunk().await {
                        Ok(Some(chunk)) => {
                            if bytes.len() + chunk.len() > max_bytes {
                                return Err(too_large());
                            }
                            bytes.extend_from_slice(&chunk);
                        }
                        Ok(None) => return Ok((name, bytes)),
                        // The body limit layer cuts bodies over the server's maximum.
                        Err(_) => return Err(too_large()),
                    }
                }
            }
            Ok(Some(_)) => continue,
            Ok(None) => return Err(AppError::invalid(field_name, ErrorCode::Required)),
            Err(_) => return Err(AppError::BadRequest),
        }
    }
}

/// Stores `bytes` at `path`, flushed to the disk together with its directory
/// entry before this returns: an upload is acknowledged only once a power cut could no
/// longer take it back. Callers record the file in the database before storing it, so a
/// crash midway leaves a row whose file is missing or partial, which the row's own
/// cleanup removes, and never a file that nothing knows of.
pub async fn store(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    let directory = path.parent().unwrap_or(std::path::Path::new("."));
    tokio::fs::create_dir_all(directory).await?;
    tokio::fs::write(path, bytes).await?;
    // fsync flushes the file, not the handle, so a second handle serves.
    tokio::fs::File::open(path).await?.sync_all().await?;
    tokio::fs::File::open(directory).await?.sync_all().await
}

/// Removes a stored file that nothing will read again; one already gone is what was
/// wanted, so only other failures are errors.
pub async fn remove_stored(path: &std::path::Path) -> std::io::Result<()> {
    match tokio::fs::remove_file(path).await {
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => Err(error),
        _ => Ok(()),
    }
}

/// Whether `bytes` have the structure a PDF reader relies on: the `%PDF-1.x` or `%PDF-2.x`
/// header, and within the last kilobyte a `startxref` whose offset points at the
/// cross-reference table (`xref`) or stream (`N G obj`) inside the file, closed by
/// `%%EOF`. Not a full parse, which a hostile file could make deep or slow; a file that
/// merely starts like a PDF is refused.
pub fn is_pdf(bytes: &[u8]) -> bool {
    let header = bytes.get(..8).is_some_and(|head| {
        head.starts_with(b"%PDF-")
            && matches!(head[5], b'1' | b'2')
            && head[6] == b'.'
            && head[7].is_ascii_digit()
    });
    if !header {
        return false;
    }
    let tail = &bytes[bytes.len().saturating_sub(1024)..];
    let Some(keyword) = rfind(tail, b"startxref") else {
        return false;
    };
    let after = skip_whitespace(&tail[keyword + b"startxref".len()..]);
    let digits = after.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 || digits > 12 || !skip_whitespace(&after[digits..]).starts_with(b"%%EOF") {
        return false;
    }
    let offset = std::str::from_utf8(&after[..digits])
        .ok()
        .and_then(|text| text.parse::<usize>().ok());
    let Some(target) = offset.and_then(|offset| bytes.get(offset..)) else {
        return false;
    };
    // Writers often point a byte early, at the line break before the keyword.
    let target = skip_whitespace(target);
    target.starts_with(b"xref") || starts_with_object_header(target)
}

/// The position of the last `needle` in `haystack`.
fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .rposition(|window| window == needle)
}

fn skip_whitespace(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace() && *b != 0)
        .unwrap_or(bytes.len());
    &bytes[start..]
}

/// Whether `bytes` start with an indirect object's header, `12 0 obj`.
fn starts_with_object_header(bytes: &[u8]) -> bool {
    after_number(bytes)
        .and_then(after_number)
        .is_some_and(|rest| rest.starts_with(b"obj"))
}

/// What follows the number (and the whitespace after it) that `bytes` start with.
fn after_number(bytes: &[u8]) -> Option<&[u8]> {
    let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    (digits > 0).then(|| skip_whitespace(&bytes[digits..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A one-page PDF with a correct cross-reference table.
    fn minimal_pdf() -> Vec<u8> {
        let mut pdf = b"%PDF-1.7\n".to_vec();
        let mut offsets = Vec::new();
        for object in [
            "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n",
            "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n",
            "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\n",
        ] {
            offsets.push(pdf.len());
            pdf.extend_from_slice(object.as_bytes());
        }
        let xref = pdf.len();
        pdf.extend_from_slice(b"xref\n0 4\n0000000000 65535 f \n");
        for offset in offsets {
            pdf.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
        }
        pdf.extend_from_slice(
            format!("trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n").as_bytes(),
        );
        pdf
    }

    #[test]
    fn a_pdf_is_known_by_its_header_and_its_cross_references() {
        let pdf = minimal_pdf();
        assert!(is_pdf(&pdf));
        let mut stream = b"%PDF-2.0\n".to_vec();
        let at = stream.len();
        stream.extend_from_slice(b"5 0 obj\n<< /Type /XRef >>\nstream\nendstream\nendobj\n");
        stream.extend_from_slice(format!("startxref\r\n{at}\r\n%%EOF").as_bytes());
        assert!(is_pdf(&stream), "a cross-reference stream");
    }

    #[test]
    fn what_merely_starts_like_a_pdf_is_refused() {
        assert!(!is_pdf(
            b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
        ));
        assert!(!is_pdf(b"%PDF-"));
        assert!(!is_pdf(b"GIF89a"));
        let pdf = minimal_pdf();
        let html = [b"<html><script>alert(1)</script>".as_slice(), &pdf].concat();
        assert!(!is_pdf(&html), "the header must come first");
        let text = String::from_utf8(pdf.clone()).expect("ascii");
        let moved = text.replace("startxref\n", "startxref\n9");
        assert!(!is_pdf(moved.as_bytes()), "an offset past the end");
        let cut = &pdf[..pdf.len() - 7];
        assert!(!is_pdf(cut), "no %%EOF");
    }

    proptest::proptest! {
        /// Any bytes, with or without a PDF's header, are judged without a panic.
        #[test]
        fn any_bytes_are_judged(
            header in proptest::sample::select(vec![b"%PDF-1.7\n".to_vec(), Vec::new()]),
            body in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..3000),
        ) {
            let _ = is_pdf(&[header, body].concat());
        }

        /// What follows the header does not matter while the cross-references are found.
        #[test]
        fn a_pdf_with_any_content_before_its_cross_references_is_one(
            content in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..3000),
        ) {
            let mut pdf = b"%PDF-1.4\n".to_vec();
            pdf.extend_from_slice(&content);
            let at = pdf.len();
            pdf.extend_from_slice(format!("\nxref\n0 1\ntrailer\n<<>>\nstartxref\n{at}\n%%EOF\n").as_bytes());
            proptest::prop_assert!(is_pdf(&pdf));
        }
    }
}
