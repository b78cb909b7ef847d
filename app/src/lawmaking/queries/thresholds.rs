//! The supports a concept needs, per level, as administrators set them.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl};

use super::super::model::{Threshold, ThresholdLevel};
use crate::auth::model::UserId;
use civic::audit::{AuditEntry, AuditEvent};
use platform::db::schema::initiative_thresholds;
use platform::error::AppError;

/// Queries on `initiative_thresholds`.
pub struct Thresholds;

impl Thresholds {
    /// Every level's threshold, from the widest level.
    pub async fn all(conn: &mut AsyncMysqlConnection) -> Result<Vec<Threshold>, AppError> {
        let rows: Vec<(String, u32, NaiveDateTime)> = initiative_thresholds::table
            .select((
                initiative_thresholds::level,
                initiative_thresholds::supports,
                initiative_thresholds::updated_at,
            ))
            .load(conn)
            .await?;
        let mut thresholds = rows
            .into_iter()
            .map(|(level, supports, updated_at)| {
                Ok(Threshold {
                    level: ThresholdLevel::from_db(&level).ok_or(AppError::Internal)?,
                    supports,
                    updated_at,
                })
            })
            .collect::<Result<Vec<_>, AppError>>()?;
        thresholds.sort_by_key(|threshold| {
            ThresholdLevel::ALL
                .iter()
                .position(|level| *level == threshold.level)
        });
        Ok(thresholds)
    }

    /// The supports a new concept of `level` needs now.
    pub async fn of(
        conn: &mut AsyncMysqlConnection,
        level: ThresholdLevel,
    ) -> Result<u32, AppError> {
        initiative_thresholds::table
            .find(level.as_db())
            .select(initiative_thresholds::supports)
            .first(conn)
            .await
            .optional()?
            .ok_or(AppError::Internal)
    }

    /// An administrator (`admin`, checked by the caller) sets the supports of `level`
    /// (validated by the caller); concepts proposed before keep theirs. Audited with the
    /// old and the new value.
    pub async fn set(
        conn: &mut AsyncMysqlConnection,
        admin: UserId,
        level: ThresholdLevel,
        supports: u32,
        now: NaiveDateTime,
    ) -> Result<(), AppError> {
        conn.transaction(async move |conn| {
            let before = initiative_thresholds::table
                .find(level.as_db())
                .select(initiative_thresholds::supports)
                .for_update()
                .first::<u32>(conn)
                .await
                .optional()?
                .ok_or(AppError::Internal)?;
            if before == supports {
                return Ok(());
            }
            diesel::update(initiative_thresholds::table.find(level.as_db()))
                .set((
                    initiative_thresholds::supports.eq(supports),
                    initiative_thresholds::updated_at.eq(now),
                    initiative_thresholds::updated_by.eq(admin),
                ))
                .execute(conn)
                .await?;
            AuditEntry::record(
                conn,
                AuditEvent {
                    actor: Some(admin),
                    action: "initiative.threshold",
                    target_kind: "initiative_threshold",
                    target_id: None,
                    details: serde_json::json!({
                        "level": level.as_db(),
                        "from": before,
                        "to": supports,
                    }),
                },
                now,
            )
            .await?;
            Ok(())
        })
        .await
    }
}
