//! The dashboard's server function: analysts, moderators and admins only.

use leptos::prelude::*;

use super::model::Dashboard;
use platform::error::AppError;

#[cfg(feature = "ssr")]
use {
    super::model::{DashboardFilter, Period},
    super::queries::{DashboardStats, Source},
    crate::auth::model::ANALYSTS,
    crate::auth::session::require_any_role,
    platform::{clock, db},
};

/// The view of `period` (see `Period::code`; empty: the last twelve months) for the whole
/// region or, with `municipality`, one municipality, from the aggregates.
#[server(endpoint = "dashboard", input = server_fn::codec::GetUrl)]
pub async fn region_dashboard(period: String, municipality: String) -> Result<Dashboard, AppError> {
    require_any_role(ANALYSTS).await?;
    let filter = DashboardFilter {
        period: Period::parse(&period, clock::now().date()),
        municipality_id: municipality.trim().parse().ok(),
    };
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Ok(DashboardStats::load(&mut conn, &filter, Source::Aggregates).await?)
    })
    .await
}
