//! The dashboard's server functions: analysts, moderators and admins only.

use leptos::prelude::*;

use super::model::{Dashboard, RankFigures};
use platform::error::AppError;

#[cfg(feature = "ssr")]
use {
    super::model::{DashboardFilter, LEADERS, Period, best_and_worst},
    super::queries::{DashboardStats, Source},
    crate::auth::model::ANALYSTS,
    crate::auth::session::require_any_role,
    crate::geography::model::MunicipalityId,
    crate::organisation::model::Department,
    crate::priorities::model::{PriorityId, Scope, ScopeRanking},
    crate::priorities::queries::{Priorities, RankSnapshots},
    crate::priorities::server_fns::open_quarter,
    crate::services::queries::{Services, Snapshots},
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

/// The priority ranks and service ratings of the region or, with `municipality`, of one
/// municipality: the open quarter's provisional leaders, the newest published quarter's,
/// and the newest month's best and worst rated providers (a municipality's view: its own
/// departments').
#[server(endpoint = "dashboard/ranks", input = server_fn::codec::GetUrl)]
pub async fn dashboard_ranks(municipality: String) -> Result<RankFigures, AppError> {
    require_any_role(ANALYSTS).await?;
    let municipality: Option<MunicipalityId> = municipality.trim().parse().ok();
    let scope = municipality.map_or(Scope::Region, Scope::Municipality);
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        let conn = &mut conn;
        let open_quarter = open_quarter();
        let provisional = Priorities::provisional(conn, open_quarter, scope).await?;
        let published_quarter = RankSnapshots::quarters(conn).await?.first().copied();
        let published = match published_quarter {
            Some(quarter) => RankSnapshots::scope_ranking(conn, quarter, scope).await?,
            None => ScopeRanking::default(),
        };
        let mut named: Vec<PriorityId> = provisional
            .leaders(LEADERS)
            .iter()
            .chain(published.leaders(LEADERS).iter())
            .map(|standing| standing.priority)
            .collect();
        named.sort_unstable();
        named.dedup();
        let priorities = Priorities::by_ids(conn, &named).await?;

        let services_month = Snapshots::months(conn).await?.first().copied();
        let mut rows = match services_month {
            Some(month) => Snapshots::rows(conn, month).await?,
            None => Vec::new(),
        };
        if let Some(municipality) = municipality {
            let here: Vec<_> = Department::list(conn)
                .await?
                .into_iter()
                .filter(|department| department.municipality_id == Some(municipality))
                .map(|department| department.id)
                .collect();
            rows.retain(|row| here.contains(&row.department_id));
        }
        let ranked_offerings = rows
            .iter()
            .filter(|row| row.standing.rank_overall.is_some())
            .count();
        let (best_offerings, worst_offerings) = best_and_worst(&rows, LEADERS);
        let mut services = Services::catalogue(conn).await?;
        services.retain(|service| {
            best_offerings
                .iter()
                .chain(&worst_offerings)
                .any(|row| row.service == service.id)
        });
        Ok(RankFigures {
            open_quarter,
            provisional,
            published_quarter,
            published,
            priorities,
            services_month,
            ranked_offerings,
            best_offerings,
            worst_offerings,
            services,
        })
    })
    .await
}
