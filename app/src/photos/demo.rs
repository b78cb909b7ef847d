//! Pictures for the demo data, painted here instead of shipped as files (nothing
//! third-party in the repository, nothing downloaded at seed time): simple scenes of a
//! park, a street and a river, and portraits for avatars. Each goes through the same
//! pipeline and storage as an upload ([`process`], [`keep`]), so the demo shows what a
//! real photo looks like on every page, thumbnails included.

use std::io::Cursor;

use chrono::NaiveDateTime;
use diesel_async::AsyncMysqlConnection;
use image::{ImageFormat, Rgb, RgbImage};

use super::process::process;
use super::upload::keep;
use platform::error::AppError;
use platform::ids::UserId;
use platform::media::MediaStore;

/// What a demo picture shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scene {
    /// Trees on a lawn under a summer sky.
    Park,
    /// A row of houses with lit windows at dusk.
    Street,
    /// A river with its embankment and a low sun.
    River,
    /// A head and shoulders on a coloured ground, for an avatar; `hue` picks the colours.
    Portrait { hue: u8 },
}

const WIDTH: u32 = 960;
const HEIGHT: u32 = 640;
const PORTRAIT_SIDE: u32 = 400;

fn mix(from: [u8; 3], to: [u8; 3], share: f32) -> Rgb<u8> {
    let channel = |index: usize| {
        let value =
            f32::from(from[index]) + (f32::from(to[index]) - f32::from(from[index])) * share;
        value.round().clamp(0.0, 255.0) as u8
    };
    Rgb([channel(0), channel(1), channel(2)])
}

fn inside_circle(x: u32, y: u32, centre: (f32, f32), radius: f32) -> bool {
    let (dx, dy) = (x as f32 - centre.0, y as f32 - centre.1);
    dx * dx + dy * dy <= radius * radius
}

/// Sky from `top` to `horizon` colour above the line `ground(x)`, ground below it.
fn landscape(
    top: [u8; 3],
    horizon: [u8; 3],
    ground: [u8; 3],
    ground_line: impl Fn(u32) -> u32,
) -> RgbImage {
    RgbImage::from_fn(WIDTH, HEIGHT, |x, y| {
        let line = ground_line(x);
        if y < line {
            mix(top, horizon, y as f32 / line.max(1) as f32)
        } else {
            mix(
                ground,
                [0, 0, 0],
                0.3 * (y - line) as f32 / (HEIGHT - line).max(1) as f32,
            )
        }
    })
}

/// Paints `scene`.
pub fn paint(scene: Scene) -> RgbImage {
    match scene {
        Scene::Park => {
            let hill = |x: u32| 440 + ((x as f32 / 90.0).sin() * 18.0) as u32;
            let mut image = landscape([70, 140, 220], [190, 225, 250], [80, 160, 70], hill);
            for (index, trunk_x) in [120u32, 300, 470, 660, 830].into_iter().enumerate() {
                let crown = (trunk_x as f32, 330.0 + (index % 2) as f32 * 25.0);
                for (x, y, pixel) in image.enumerate_pixels_mut() {
                    if x.abs_diff(trunk_x) < 10 && y as f32 > crown.1 && y < hill(x) + 10 {
                        *pixel = Rgb([100, 70, 40]);
                    } else if inside_circle(x, y, crown, 70.0) {
                        *pixel = mix(
                            [40, 120, 50],
                            [20, 80, 30],
                            (y as f32 - crown.1 + 70.0) / 140.0,
                        );
                    }
                }
            }
            image
        }
        Scene::Street => {
            let mut image = landscape([30, 30, 80], [230, 130, 90], [70, 70, 75], |_| 500);
            let houses = [
                (40u32, 200u32, 260u32),
                (260, 160, 180),
                (440, 250, 300),
                (710, 210, 230),
            ];
            for (left, width, height) in houses {
                let top = 500 - height;
                for (x, y, pixel) in image.enumerate_pixels_mut() {
                    if (left..left + width).contains(&x) && (top..500).contains(&y) {
                        let window = (x - left) % 50 > 18
                            && (x - left) % 50 < 38
                            && (y - top) % 60 > 20
                            && (y - top) % 60 < 45;
                        *pixel = if window {
                            Rgb([250, 210, 110])
                        } else {
                            Rgb([120, 90, 80])
                        };
                    }
                }
            }
            image
        }
        Scene::River => {
            let mut image = landscape([120, 170, 230], [250, 220, 170], [60, 110, 160], |_| 360);
            for (x, y, pixel) in image.enumerate_pixels_mut() {
                if inside_circle(x, y, (700.0, 300.0), 45.0) && y < 360 {
                    *pixel = Rgb([255, 200, 90]);
                } else if y > 360 && (y / 14) % 3 == 0 && (x + y * 3) % 90 < 40 {
                    *pixel = Rgb([150, 190, 220]);
                } else if y > 540 {
                    *pixel = Rgb([170, 160, 150]);
                }
            }
            image
        }
        Scene::Portrait { hue } => {
            let palette = [
                [200, 225, 245],
                [245, 215, 200],
                [215, 240, 210],
                [235, 220, 245],
                [250, 240, 200],
            ];
            let background = palette[usize::from(hue) % palette.len()];
            let clothes = [
                [40, 80, 150],
                [150, 50, 60],
                [50, 120, 80],
                [90, 60, 130],
                [160, 110, 40],
            ][usize::from(hue) % palette.len()];
            let side = PORTRAIT_SIDE as f32;
            RgbImage::from_fn(PORTRAIT_SIDE, PORTRAIT_SIDE, |x, y| {
                if inside_circle(x, y, (side / 2.0, side * 0.4), side * 0.17) {
                    Rgb([235, 195, 165])
                } else if inside_circle(x, y, (side / 2.0, side * 1.02), side * 0.42) {
                    Rgb(clothes)
                } else {
                    mix(background, [255, 255, 255], y as f32 / side * 0.4)
                }
            })
        }
    }
}

/// Paints `scene`, processes it as an upload of `uploader` and keeps it; the staging
/// handle to attach it with.
pub async fn stage(
    conn: &mut AsyncMysqlConnection,
    media: &MediaStore,
    uploader: UserId,
    scene: Scene,
    now: NaiveDateTime,
) -> Result<String, AppError> {
    let mut png = Vec::new();
    paint(scene)
        .write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
        .map_err(|_| AppError::Internal)?;
    let processed = process(&png).map_err(|_| AppError::Internal)?;
    Ok(keep(conn, media, uploader, &processed, now).await?.token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_scene_passes_the_upload_pipeline() {
        for scene in [
            Scene::Park,
            Scene::Street,
            Scene::River,
            Scene::Portrait { hue: 3 },
        ] {
            let image = paint(scene);
            let mut png = Vec::new();
            image
                .write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
                .expect("png");
            let processed = process(&png).expect("processed");
            assert_eq!((processed.width, processed.height), image.dimensions());
            // Not one flat colour: the scene was painted.
            let first = image.get_pixel(0, 0);
            assert!(image.pixels().any(|pixel| pixel != first), "{scene:?}");
        }
    }
}
