//! Photo rows: staging an upload, attaching staged photos to a problem, listing them, and
//! finding and deleting staged photos that no report took.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel_async::{AsyncMysqlConnection, RunQueryDsl};

use super::{Photo, PhotoId, media_url};
use crate::auth::model::UserId;
use crate::constructions::model::ConstructionReportId;
use crate::problems::model::{ProblemEventId, ProblemId};
use platform::db::schema::photos;
use platform::error::{AppError, ErrorCode};

/// A processed upload to stage.
pub struct NewPhoto<'a> {
    /// Who uploaded it.
    pub uploader: UserId,
    /// Its staging handle.
    pub token: &'a str,
    /// Its file name stem.
    pub file_key: &'a str,
    /// Width.
    pub width: u32,
    /// Height.
    pub height: u32,
    /// Stored size.
    pub bytes: u32,
}

/// Stages an upload (attached to nothing yet).
pub async fn stage(
    conn: &mut AsyncMysqlConnection,
    photo: NewPhoto<'_>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(photos::table)
        .values((
            photos::uploader_id.eq(photo.uploader),
            photos::token.eq(photo.token),
            photos::file_key.eq(photo.file_key),
            photos::width.eq(photo.width),
            photos::height.eq(photo.height),
            photos::bytes.eq(photo.bytes),
            photos::created_at.eq(now),
        ))
        .execute(conn)
        .await
        .map(drop)
}

/// Attaches the uploader's staged photos to a problem. Call it in the transaction that
/// creates the problem: a token that is unknown, someone else's or already used fails the
/// whole report, so no problem exists with some of its photos missing.
pub async fn attach(
    conn: &mut AsyncMysqlConnection,
    problem: ProblemId,
    uploader: UserId,
    tokens: &[String],
) -> Result<(), AppError> {
    if tokens.is_empty() {
        return Ok(());
    }
    let attached = diesel::update(
        photos::table
            .filter(photos::token.eq_any(tokens))
            .filter(photos::uploader_id.eq(uploader))
            .filter(photos::problem_id.is_null())
            .filter(photos::construction_report_id.is_null()),
    )
    .set(photos::problem_id.eq(problem))
    .execute(conn)
    .await?;
    if attached == tokens.len() {
        Ok(())
    } else {
        Err(AppError::invalid("photos", ErrorCode::PhotoMissing))
    }
}

/// Attaches the uploader's staged photos to a problem's timeline entry (a resolution
/// report), in the transaction that writes the entry; all or nothing, as `attach`.
pub async fn attach_to_event(
    conn: &mut AsyncMysqlConnection,
    problem: ProblemId,
    event: ProblemEventId,
    uploader: UserId,
    tokens: &[String],
) -> Result<(), AppError> {
    attach(conn, problem, uploader, tokens).await?;
    if tokens.is_empty() {
        return Ok(());
    }
    diesel::update(photos::table.filter(photos::token.eq_any(tokens)))
        .set(photos::event_id.eq(event))
        .execute(conn)
        .await?;
    Ok(())
}

/// The photos of the given timeline entries, by entry.
pub async fn of_events(
    conn: &mut AsyncMysqlConnection,
    problem: ProblemId,
) -> QueryResult<Vec<(ProblemEventId, Photo)>> {
    let rows: Vec<(Option<ProblemEventId>, String, u32, u32)> = photos::table
        .filter(photos::problem_id.eq(problem))
        .filter(photos::event_id.is_not_null())
        .select((
            photos::event_id,
            photos::file_key,
            photos::width,
            photos::height,
        ))
        .order(photos::id.asc())
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(event, key, width, height)| {
            Some((
                event?,
                Photo {
                    url: media_url(&key, false),
                    thumb_url: media_url(&key, true),
                    width,
                    height,
                },
            ))
        })
        .collect())
}

/// The photos of a problem, in upload order.
pub async fn of_problem(
    conn: &mut AsyncMysqlConnection,
    problem: ProblemId,
) -> QueryResult<Vec<Photo>> {
    let rows: Vec<(String, u32, u32)> = photos::table
        .filter(photos::problem_id.eq(problem))
        .filter(photos::event_id.is_null())
        .select((photos::file_key, photos::width, photos::height))
        .order(photos::id.asc())
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(key, width, height)| Photo::new(&key, width, height))
        .collect())
}

/// Moves a duplicate's photos to the original when they are merged.
pub async fn move_to(
    conn: &mut AsyncMysqlConnection,
    from: ProblemId,
    to: ProblemId,
) -> QueryResult<usize> {
    diesel::update(photos::table.filter(photos::problem_id.eq(from)))
        .set(photos::problem_id.eq(to))
        .execute(conn)
        .await
}

/// Attaches the uploader's staged photos to a construction report: the citizen's own, or
/// (`verification`) the inspection's published ones. All or nothing, as `attach`.
pub async fn attach_to_construction_report(
    conn: &mut AsyncMysqlConnection,
    report: ConstructionReportId,
    verification: bool,
    uploader: UserId,
    tokens: &[String],
) -> Result<(), AppError> {
    if tokens.is_empty() {
        return Ok(());
    }
    let attached = diesel::update(
        photos::table
            .filter(photos::token.eq_any(tokens))
            .filter(photos::uploader_id.eq(uploader))
            .filter(photos::problem_id.is_null())
            .filter(photos::construction_report_id.is_null()),
    )
    .set((
        photos::construction_report_id.eq(report),
        photos::is_verification.eq(verification),
    ))
    .execute(conn)
    .await?;
    if attached == tokens.len() {
        Ok(())
    } else {
        Err(AppError::invalid("photos", ErrorCode::PhotoMissing))
    }
}

/// A construction report's photos: the citizen's, then the inspection's.
pub async fn of_construction_report(
    conn: &mut AsyncMysqlConnection,
    report: ConstructionReportId,
) -> QueryResult<(Vec<Photo>, Vec<Photo>)> {
    let rows: Vec<(bool, String, u32, u32)> = photos::table
        .filter(photos::construction_report_id.eq(report))
        .select((
            photos::is_verification,
            photos::file_key,
            photos::width,
            photos::height,
        ))
        .order(photos::id.asc())
        .load(conn)
        .await?;
    let (mut citizen, mut inspection) = (Vec::new(), Vec::new());
    for (is_verification, key, width, height) in rows {
        let photo = Photo::new(&key, width, height);
        if is_verification {
            inspection.push(photo);
        } else {
            citizen.push(photo);
        }
    }
    Ok((citizen, inspection))
}

/// Up to `limit` photos staged (attached to nothing) before `cutoff`, oldest first, with
/// their file keys. `ix_photos_staged` (problem, construction report, upload time) makes
/// this one index range, however many attached photos there are.
pub async fn staged_before(
    conn: &mut AsyncMysqlConnection,
    cutoff: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<(PhotoId, String)>> {
    photos::table
        .filter(photos::problem_id.is_null())
        .filter(photos::construction_report_id.is_null())
        .filter(photos::created_at.lt(cutoff))
        .select((photos::id, photos::file_key))
        .order(photos::created_at.asc())
        .limit(limit)
        .load(conn)
        .await
}

/// Deletes the row of a photo if it is still staged and was uploaded before `cutoff`;
/// whether it did. The conditions are checked again under the row lock, so a report that
/// attached the photo after it was listed keeps it (and a report attaching it after this
/// deletion is refused with `PhotoMissing`). One row per statement: the affected count
/// says exactly which photo went (MySQL has no `RETURNING`), and holding one row lock at
/// a time, it cannot deadlock with a report attaching several photos.
pub async fn delete_if_still_staged(
    conn: &mut AsyncMysqlConnection,
    id: PhotoId,
    cutoff: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::delete(
        photos::table
            .find(id)
            .filter(photos::problem_id.is_null())
            .filter(photos::construction_report_id.is_null())
            .filter(photos::created_at.lt(cutoff)),
    )
    .execute(conn)
    .await
    .map(|deleted| deleted == 1)
}
