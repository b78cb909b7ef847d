//! The registry of illegal constructions' API: the public table, map and entry pages, and
//! the officials' status step, authorised on the server against the entry's municipality
//! (the same supervision departments that keep the registry of permits).

use leptos::prelude::*;
#[cfg(feature = "ssr")]
use platform::ids::parse_id;

use crate::constructions::model::{
    IllegalConstructionId, IllegalDetail, IllegalPage, IllegalQuery, IllegalStatus,
    IllegalStepInput,
};
use platform::error::AppError;
use platform::geo::MapCluster;

#[cfg(feature = "ssr")]
use {
    crate::auth::session::{current_user, require_user},
    crate::constructions::model::ImportId,
    crate::constructions::queries::IllegalRegistry,
    crate::constructions::queries::registry_scope,
    platform::geo::Viewport,
    platform::{clock, db},
};

/// One page of the public table.
#[server(endpoint = "constructions/illegal", input = server_fn::codec::GetUrl)]
pub async fn list_illegal(#[server(default)] query: IllegalQuery) -> Result<IllegalPage, AppError> {
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Ok(IllegalRegistry::page(&mut conn, &query.filter(), &query.start()).await?)
    })
    .await
}

/// The map's markers for a viewport, clustered on the server.
#[server(endpoint = "constructions/illegal/map", input = server_fn::codec::GetUrl)]
pub async fn illegal_clusters(
    #[server(default)] query: IllegalQuery,
    south: f64,
    west: f64,
    north: f64,
    east: f64,
    zoom: u8,
) -> Result<Vec<MapCluster>, AppError> {
    let viewport =
        Viewport::requested(south, west, north, east, zoom).ok_or(AppError::BadRequest)?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Ok(IllegalRegistry::clusters(&mut conn, &query.filter(), viewport).await?)
    })
    .await
}

/// An entry's page, with the steps the viewer may record.
#[server(endpoint = "constructions/illegal/entry", input = server_fn::codec::GetUrl)]
pub async fn get_illegal(id: String) -> Result<IllegalDetail, AppError> {
    let id = parse_id::<IllegalConstructionId>(&id)?;
    let viewer = current_user().await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        let row = IllegalRegistry::row(&mut conn, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let may_step = match &viewer {
            Some(user) => registry_scope(&mut conn, user)
                .await?
                .covers(row.municipality_id),
            None => false,
        };
        IllegalRegistry::detail(&mut conn, id, may_step)
            .await?
            .ok_or(AppError::NotFound)
    })
    .await
}

/// Records an entry's next status with its decision document; only officials whose
/// supervision departments cover the entry's municipality.
#[server(endpoint = "constructions/illegal/step")]
pub async fn record_illegal_step(
    id: String,
    #[server(default)] input: IllegalStepInput,
) -> Result<IllegalStatus, AppError> {
    let id = parse_id::<IllegalConstructionId>(&id)?;
    let user = require_user().await?;
    let now = clock::now();
    let step = input
        .validate(now.date())
        .map_err(|errors| AppError::Invalid { errors })?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        let row = IllegalRegistry::row(&mut conn, id)
            .await?
            .ok_or(AppError::NotFound)?;
        if !registry_scope(&mut conn, &user)
            .await?
            .covers(row.municipality_id)
        {
            return Err(AppError::Forbidden);
        }
        IllegalRegistry::step(&mut conn, id, &step, user.id, now).await
    })
    .await
}

/// The entries a committed import of the registry added or changed (public, like the
/// import log).
#[server(endpoint = "constructions/illegal/imported", input = server_fn::codec::GetUrl)]
pub async fn illegal_import_entries(
    id: String,
) -> Result<Vec<(IllegalConstructionId, String, IllegalStatus)>, AppError> {
    let id: ImportId = id.trim().parse().map_err(|_| AppError::NotFound)?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Ok(IllegalRegistry::of_import(&mut conn, id).await?)
    })
    .await
}
