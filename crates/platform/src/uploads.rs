//! Uploaded files: reading a multipart file field within a size limit. Why a file's
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
