//! The cleanup of abandoned uploads: photos staged by `POST /api/v1/photos` that no report
//! took within a day lose their row and their two files (the image and its thumbnail).
//!
//! Every server instance runs it from the scheduler; a lease row in `job_leases` lets one
//! act at a time (as for the deadline job), and every deletion is also guarded by its own
//! condition (still staged, still old), so two runs at once, or a run racing a report that
//! attaches the photo, never delete a photo that a report holds.

use chrono::{Duration, NaiveDateTime};
use diesel_async::AsyncMysqlConnection;

use civic::photos::{IMAGE_SUFFIX, Photos, THUMB_SUFFIX};
use platform::error::AppError;
use platform::jobs::{Lease, under_lease};
use platform::media::{MediaName, MediaStore};

/// The name of the cleanup's lease.
pub const PHOTO_CLEANUP_JOB: &str = "photo-cleanup";

/// How long a staged photo waits for its report before it is removed. Photos are uploaded
/// as soon as they are picked, before the report is written, and a citizen may leave the
/// form open for hours (or finish it the next morning); a day leaves that room, and an
/// attachment refused because the photo was removed asks for a new upload (`PhotoMissing`).
pub const STAGED_PHOTO_MAX_AGE: Duration = Duration::hours(24);

/// Photos listed per round, so a huge backlog is worked through in small steps.
const BATCH: i64 = 500;
/// Most rounds per run (10,000 photos): the scheduler runs its jobs one after the other,
/// so a backlog must not hold back the deadline job; what is left waits for the next tick.
const MAX_ROUNDS: usize = 20;

/// What one run of the cleanup did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PhotoCleanup {
    /// Staged photos whose rows were deleted.
    pub removed: u64,
    /// Files of removed photos that could not be deleted (a missing file is not counted);
    /// each is logged with its path.
    pub files_failed: u64,
}

/// Runs the cleanup once as `holder`, if no other instance holds its lease; `None` when
/// another instance does.
pub async fn clean_up_staged_once(
    conn: &mut AsyncMysqlConnection,
    holder: &str,
    media: &MediaStore,
    now: NaiveDateTime,
) -> Result<Option<PhotoCleanup>, AppError> {
    let lease = Lease::minutes(PHOTO_CLEANUP_JOB, holder, now, 10);
    under_lease(conn, lease, async |conn| {
        clean_up_staged(conn, media, now).await
    })
    .await
}

/// Removes the photos staged before `now - STAGED_PHOTO_MAX_AGE` (up to `MAX_ROUNDS`
/// rounds of `BATCH`): each one's row first, then, only if this call deleted the row, its
/// files.
pub async fn clean_up_staged(
    conn: &mut AsyncMysqlConnection,
    media: &MediaStore,
    now: NaiveDateTime,
) -> Result<PhotoCleanup, AppError> {
    let cutoff = now - STAGED_PHOTO_MAX_AGE;
    let mut report = PhotoCleanup::default();
    for _ in 0..MAX_ROUNDS {
        let batch = Photos::staged_before(conn, cutoff, BATCH).await?;
        let mut removed_now = 0;
        for (id, file_key) in &batch {
            if !Photos::delete_if_still_staged(conn, *id, cutoff).await? {
                // Attached by a report, or removed by another run, since it was listed.
                continue;
            }
            removed_now += 1;
            report.files_failed += remove_files(media, file_key).await;
        }
        report.removed += removed_now;
        // A round that removed nothing ends the run: another run took those photos, and
        // whatever is left waits for the next tick rather than for more empty rounds.
        if batch.len() < BATCH as usize || removed_now == 0 {
            break;
        }
    }
    if report.removed > 0 {
        tracing::info!(
            removed = report.removed,
            files_failed = report.files_failed,
            "staged photos no report took were removed"
        );
    }
    Ok(report)
}

/// The files of a stored photo: the image and its thumbnail (`None` for a key that is not
/// a plain name, see [`MediaName`]).
pub fn photo_files(file_key: &str) -> Option<[MediaName; 2]> {
    Some([
        MediaName::new(file_key, IMAGE_SUFFIX)?,
        MediaName::new(file_key, THUMB_SUFFIX)?,
    ])
}

/// Deletes the files of a removed photo; how many could not be deleted. A file already
/// gone is what we wanted, so it is not a failure.
async fn remove_files(media: &MediaStore, file_key: &str) -> u64 {
    let Some(names) = photo_files(file_key) else {
        tracing::warn!(
            file_key,
            "a staged photo's file key is not a plain name; files kept"
        );
        return 0;
    };
    let mut failed = 0;
    for name in names {
        if let Err(error) = media.remove(&name).await {
            tracing::warn!(%error, file = name.as_str(), "could not delete a staged photo's file");
            failed += 1;
        }
    }
    failed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_photo_is_stored_as_its_image_and_thumbnail() {
        let names =
            photo_files("0123abcd").map(|names| names.map(|name| name.as_str().to_string()));
        assert_eq!(
            names,
            Some(["0123abcd.jpg".to_string(), "0123abcd-thumb.jpg".to_string()])
        );
        for bad in ["", "../etc/passwd", "a/b", "a.b", "/abs"] {
            assert_eq!(photo_files(bad), None, "{bad:?}");
        }
    }
}
