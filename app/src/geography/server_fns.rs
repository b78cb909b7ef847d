//! The geography API: municipalities, point lookup, and the admins' boundary import.

use leptos::prelude::*;

use super::model::{BoundaryImportReport, Municipality};
use platform::error::AppError;

#[cfg(feature = "ssr")]
use {
    super::boundaries::{BoundaryFileError, parse_feature_collection},
    crate::auth::model::Role,
    crate::auth::session::require_role,
    civic::audit::AuditEntry,
    civic::audit::AuditEvent,
    platform::error::ErrorCode,
    platform::geo::LatLon,
    platform::{clock, db},
    serde_json::json,
};

/// Largest boundary file accepted, in bytes (the whole Krai at fine detail fits easily).
pub const MAX_BOUNDARY_FILE_BYTES: usize = 24 * 1024 * 1024;

/// All 44 municipalities.
#[server(endpoint = "municipalities", input = server_fn::codec::GetUrl)]
pub async fn list_municipalities() -> Result<Vec<Municipality>, AppError> {
    let pool = db::pool()?;
    db::run(&pool, |mut conn| async move {
        Ok(Municipality::list(&mut conn).await?)
    })
    .await
}

/// The municipality a point belongs to.
#[server(endpoint = "municipalities/locate", input = server_fn::codec::GetUrl)]
pub async fn locate_point(lat: f64, lon: f64) -> Result<Municipality, AppError> {
    let point = LatLon::new(lat, lon).ok_or(AppError::invalid(
        "lat",
        ErrorCode::OutOfRange { min: -90, max: 90 },
    ))?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        let id = Municipality::of_point(&mut conn, point)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok(Municipality::find(&mut conn, id).await?)
    })
    .await
}

/// Imports municipality boundaries from a GeoJSON FeatureCollection (one feature per
/// municipality, matched by `slug` or name in its properties). All-or-nothing: a file with
/// any malformed geometry stores nothing. Admins only.
#[server(endpoint = "admin/boundaries")]
pub async fn import_boundaries(geojson: String) -> Result<BoundaryImportReport, AppError> {
    let admin = require_role(Role::Admin).await?;
    if geojson.len() > MAX_BOUNDARY_FILE_BYTES {
        return Err(AppError::invalid(
            "geojson",
            ErrorCode::TooLong {
                max: MAX_BOUNDARY_FILE_BYTES as u32,
            },
        ));
    }
    let features = parse_feature_collection(&geojson).map_err(|error| {
        let code = match error {
            BoundaryFileError::Empty => ErrorCode::Required,
            BoundaryFileError::NotAFeatureCollection | BoundaryFileError::BadGeometry { .. } => {
                ErrorCode::Malformed
            }
        };
        AppError::invalid("geojson", code)
    })?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        let keys = Municipality::match_keys(&mut conn).await?;
        let mut matched = Vec::new();
        let mut unmatched = Vec::new();
        for feature in features {
            let found = keys
                .iter()
                .find(|(_, names)| feature.keys.iter().any(|key| names.contains(key)));
            match found {
                Some((id, _)) => matched.push((*id, feature.geometry)),
                None => unmatched.push(feature.keys.first().cloned().unwrap_or_default()),
            }
        }
        let updated = matched.len() as u32;
        let ids: Vec<u64> = matched.iter().map(|(id, _)| id.0).collect();
        let now = clock::now();
        Municipality::store_boundaries(&mut conn, matched, now).await?;
        let event = AuditEvent {
            actor: Some(admin.id),
            action: "municipality.import_boundaries",
            target_kind: "municipality",
            target_id: None,
            details: json!({"updated": ids, "unmatched": unmatched}),
        };
        AuditEntry::record(&mut conn, event, now).await?;
        Ok(BoundaryImportReport { updated, unmatched })
    })
    .await
}
