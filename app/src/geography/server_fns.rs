//! The geography API: municipalities and point lookup. (The admins' boundary import is an
//! action of `admin`, which checks the role and writes the audit row.)

use leptos::prelude::*;

use super::model::Municipality;
use platform::error::AppError;

#[cfg(feature = "ssr")]
use {platform::db, platform::error::ErrorCode, platform::geo::LatLon};

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
