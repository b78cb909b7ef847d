//! Turning an upload into the files we serve: the bytes must decode as a JPEG, PNG or WebP
//! image; it is turned upright by its EXIF orientation, scaled to at most 2048 pixels, and
//! re-encoded as JPEG, which drops every piece of metadata (GPS position, camera serial).
//! A 400-pixel thumbnail is made beside it.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};

/// The largest upload accepted, in bytes.
pub const MAX_UPLOAD_BYTES: usize = 10 * 1024 * 1024;
/// The longest side of a stored photo.
pub const MAX_SIDE: u32 = 2048;
/// The longest side of a thumbnail.
pub const THUMB_SIDE: u32 = 400;
/// The most pixels an upload may decode to: a 48-megapixel phone camera's full picture.
/// Checked from the header before decoding, because a 200 KB PNG can claim 12000×12000
/// (430 MB as RGB); 50 megapixels are at most 200 MB as RGBA, the decoder's budget.
pub const MAX_MEGAPIXELS: u32 = 50;
const MAX_DECODE_BYTES: u64 = MAX_MEGAPIXELS as u64 * 1_000_000 * 4;

/// Why an upload was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhotoError {
    /// Larger than `MAX_UPLOAD_BYTES`.
    TooLarge,
    /// Not a JPEG, PNG or WebP image, or one that does not decode.
    NotAnImage,
    /// More than `MAX_MEGAPIXELS` million pixels.
    TooManyPixels,
}

/// A processed photo.
#[derive(Debug)]
pub struct Processed {
    /// The stored JPEG.
    pub full: Vec<u8>,
    /// The thumbnail JPEG.
    pub thumb: Vec<u8>,
    /// Width of the stored JPEG.
    pub width: u32,
    /// Height of the stored JPEG.
    pub height: u32,
}

fn encode(image: &DynamicImage, quality: u8) -> Result<Vec<u8>, PhotoError> {
    let mut out = Vec::new();
    let rgb = image.to_rgb8();
    JpegEncoder::new_with_quality(&mut out, quality)
        .encode_image(&rgb)
        .map_err(|_| PhotoError::NotAnImage)?;
    Ok(out)
}

/// Decodes, checks and re-encodes an upload.
pub fn process(bytes: &[u8]) -> Result<Processed, PhotoError> {
    if bytes.len() > MAX_UPLOAD_BYTES {
        return Err(PhotoError::TooLarge);
    }
    // The content decides, never the file name or the declared type.
    let format = image::guess_format(bytes).map_err(|_| PhotoError::NotAnImage)?;
    if !matches!(
        format,
        ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP
    ) {
        return Err(PhotoError::NotAnImage);
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    // A small file can claim enormous dimensions (a decompression bomb): the decoder's
    // allocations are capped, and the pixel count is checked before anything is decoded.
    let mut limits = Limits::default();
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|_| PhotoError::NotAnImage)?;
    let (width, height) = decoder.dimensions();
    if u64::from(width) * u64::from(height) > u64::from(MAX_MEGAPIXELS) * 1_000_000 {
        return Err(PhotoError::TooManyPixels);
    }
    let orientation = decoder.orientation().ok();
    let mut image = DynamicImage::from_decoder(decoder).map_err(|_| PhotoError::NotAnImage)?;
    if let Some(orientation) = orientation {
        image.apply_orientation(orientation);
    }
    if image.width() > MAX_SIDE || image.height() > MAX_SIDE {
        image = image.resize(MAX_SIDE, MAX_SIDE, FilterType::Lanczos3);
    }
    let thumb = image.thumbnail(THUMB_SIDE, THUMB_SIDE);
    Ok(Processed {
        full: encode(&image, 85)?,
        thumb: encode(&thumb, 80)?,
        width: image.width(),
        height: image.height(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{ImageBuffer, Rgb};

    fn png(width: u32, height: u32) -> Vec<u8> {
        let buffer = ImageBuffer::from_fn(width, height, |x, y| {
            Rgb([(x % 256) as u8, (y % 256) as u8, 90])
        });
        let mut out = Cursor::new(Vec::new());
        DynamicImage::ImageRgb8(buffer)
            .write_to(&mut out, ImageFormat::Png)
            .expect("encode png");
        out.into_inner()
    }

    #[test]
    fn a_real_image_is_reencoded_as_jpeg_with_a_thumbnail() {
        let processed = process(&png(3000, 1500)).expect("accepted");
        assert_eq!(
            (processed.width, processed.height),
            (2048, 1024),
            "scaled to 2048 on the long side"
        );
        assert_eq!(
            image::guess_format(&processed.full).ok(),
            Some(ImageFormat::Jpeg)
        );
        let thumb = image::load_from_memory(&processed.thumb).expect("thumbnail decodes");
        assert_eq!((thumb.width(), thumb.height()), (400, 200));
    }

    #[test]
    fn metadata_does_not_survive() {
        // A JPEG with an EXIF segment carrying text: the stored file must not contain it.
        let mut jpeg = Vec::new();
        JpegEncoder::new(&mut jpeg)
            .encode_image(&DynamicImage::new_rgb8(16, 16).to_rgb8())
            .expect("encode");
        let mut exif = b"Exif\0\0SECRET-GPS-45.0355".to_vec();
        let length = (exif.len() + 2) as u16;
        let mut with_exif = jpeg[..2].to_vec();
        with_exif.extend_from_slice(&[0xFF, 0xE1]);
        with_exif.extend_from_slice(&length.to_be_bytes());
        with_exif.append(&mut exif);
        with_exif.extend_from_slice(&jpeg[2..]);
        let processed = process(&with_exif).expect("accepted");
        let stored = String::from_utf8_lossy(&processed.full);
        assert!(!stored.contains("SECRET-GPS"));
    }

    #[test]
    fn what_is_not_an_image_is_refused() {
        assert_eq!(
            process(b"%PDF-1.7 not a photo").err(),
            Some(PhotoError::NotAnImage)
        );
        assert_eq!(
            process(b"GIF89a....").err(),
            Some(PhotoError::NotAnImage),
            "GIF is not accepted"
        );
        let mut truncated = png(64, 64);
        truncated.truncate(40);
        assert_eq!(process(&truncated).err(), Some(PhotoError::NotAnImage));
        assert_eq!(
            process(&vec![0u8; MAX_UPLOAD_BYTES + 1]).err(),
            Some(PhotoError::TooLarge)
        );
    }

    #[test]
    fn a_picture_claiming_too_many_pixels_is_refused_before_decoding() {
        // A real 16×16 JPEG whose frame header claims 8000×8000 (64 megapixels): 1 KB
        // that would otherwise decode into 190 MB.
        let mut jpeg = Vec::new();
        JpegEncoder::new(&mut jpeg)
            .encode_image(&DynamicImage::new_rgb8(16, 16).to_rgb8())
            .expect("encode");
        let frame = jpeg
            .windows(2)
            .position(|marker| marker == [0xFF, 0xC0])
            .expect("a baseline frame header");
        // Marker (2), length (2), precision (1), then height and width.
        jpeg[frame + 5..frame + 9].copy_from_slice(&[0x1F, 0x40, 0x1F, 0x40]);
        assert_eq!(process(&jpeg).err(), Some(PhotoError::TooManyPixels));
    }
}
