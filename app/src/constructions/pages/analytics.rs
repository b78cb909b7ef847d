//! `/constructions/analytics`: reports and confirmed violations of the last twelve months
//! by municipality, status and month, as SVG charts and tables, with a density map; the
//! same figures are downloadable as XLSX and PDF.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::super::model::{CountRow, DENSITY_CELL_DEGREES, ReportStatus};
use super::super::server_fns::construction_analytics;
use super::ConstructionNav;
use crate::i18n::{Msg, format_date, format_integer, use_i18n};
use crate::organisation::components::names_resource;
use crate::ui::chart::{BarChart, ChartRow};
use crate::ui::errors::ErrorPage;
use crate::ui::map::{MapShape, MapView};
use platform::geo::LatLon;
use platform::geo::MapCluster;

/// The analytics page.
#[component]
pub fn AnalyticsPage() -> impl IntoView {
    let i18n = use_i18n();
    let url = use_query_map();
    let municipality =
        Memo::new(move |_| url.with(|map| map.get("municipality").unwrap_or_default()));
    let names = names_resource();
    let analytics = Resource::new(move || municipality.get(), construction_analytics);
    let download = move |extension: &str| {
        let municipality = municipality.get();
        if municipality.is_empty() {
            format!("/constructions/analytics/export.{extension}")
        } else {
            format!("/constructions/analytics/export.{extension}?municipality={municipality}")
        }
    };
    view! {
        <Title text=move || i18n.t(Msg::ConstructionAnalyticsTitle) />
        <h1 class="page-title">{move || i18n.t(Msg::ConstructionAnalyticsTitle)}</h1>
        <ConstructionNav />
        <div class="row">
            <span>{move || i18n.t(Msg::AnalyticsDownload)} ":"</span>
            <a class="button secondary" href=move || download("xlsx") data-test="analytics-xlsx" download>{move || i18n.t(Msg::ExportXlsx)}</a>
            <a class="button secondary" href=move || download("pdf") data-test="analytics-pdf" download>{move || i18n.t(Msg::ExportPdf)}</a>
        </div>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let names = names.await;
                match analytics.await {
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                    Ok(analytics) => {
                        let locale = i18n.locale();
                        let reports = i18n.t(Msg::AnalyticsReports).to_string();
                        let violations = i18n.t(Msg::AnalyticsViolations).to_string();
                        let to_rows = |rows: &[CountRow], label: &dyn Fn(&str) -> String| -> Vec<ChartRow> {
                            rows.iter().map(|row| ChartRow { label: label(&row.key), value: row.reports, part: row.violations }).collect()
                        };
                        let by_municipality = to_rows(&analytics.by_municipality, &|key| {
                            key.parse().map(|id| names.municipality(id, locale)).unwrap_or_else(|_| key.to_string())
                        });
                        let by_status = to_rows(&analytics.by_status, &|key| {
                            ReportStatus::from_db(key).map(|s| i18n.t(s.msg()).to_string()).unwrap_or_else(|| key.to_string())
                        });
                        let by_month = to_rows(&analytics.by_month, &|key| key.to_string());
                        let cells = density_cells(&analytics.density, &|count| {
                            format!("{}: {}", reports, format_integer(locale, count as i64))
                        });
                        let cells = Signal::derive(move || cells.clone());
                        let first = analytics.first_month;
                        let section = |title: Msg, rows: Vec<ChartRow>, test: &'static str| {
                            let reports = reports.clone();
                            let violations = violations.clone();
                            view! {
                                <section class="stack" data-test=test>
                                    <h2>{move || i18n.t(title)}</h2>
                                    <BarChart rows=rows.clone() title=i18n.t(title) value_name=reports.clone() part_name=violations.clone() />
                                    <details>
                                        <summary>{move || i18n.t(Msg::ViewList)}</summary>
                                        <table class="data-table">
                                            <thead><tr><th scope="col"></th><th scope="col">{reports.clone()}</th><th scope="col">{violations.clone()}</th></tr></thead>
                                            <tbody>
                                                {rows.into_iter().map(|row| view! {
                                                    <tr><th scope="row">{row.label}</th><td class="number">{row.value}</td><td class="number">{row.part}</td></tr>
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    </details>
                                </section>
                            }
                        };
                        view! {
                            <p class="muted">{move || i18n.t(Msg::AnalyticsPeriod)} " " {move || format_date(i18n.locale(), first)}</p>
                            {section(Msg::AnalyticsByMonth, by_month, "analytics-month")}
                            {section(Msg::AnalyticsByStatus, by_status, "analytics-status")}
                            {section(Msg::AnalyticsByMunicipality, by_municipality, "analytics-municipality")}
                            <section class="stack">
                                <h2>{move || i18n.t(Msg::AnalyticsDensity)}</h2>
                                <MapView markers=Signal::derive(Vec::new) shapes=cells label=Signal::derive(move || i18n.t(Msg::AnalyticsDensity).to_string()) />
                            </section>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// The density layer: each grid cell with reports, shaded by its count. The square root
/// keeps a city's hundred reports from washing out a village's three.
fn density_cells(cells: &[MapCluster], title: &dyn Fn(u64) -> String) -> Vec<MapShape> {
    let densest = cells
        .iter()
        .map(|cell| cell.count)
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    cells
        .iter()
        .map(|cell| {
            // The mean point of a cell's reports lies inside the cell, so it names it.
            let corner =
                |degrees: f64| (degrees / DENSITY_CELL_DEGREES).floor() * DENSITY_CELL_DEGREES;
            let south_west = LatLon {
                lat: corner(cell.point.lat),
                lon: corner(cell.point.lon),
            };
            let north_east = LatLon {
                lat: south_west.lat + DENSITY_CELL_DEGREES,
                lon: south_west.lon + DENSITY_CELL_DEGREES,
            };
            let shade = (cell.count as f64 / densest).sqrt();
            MapShape::cell(south_west, north_east, shade, title(cell.count))
        })
        .collect()
}
