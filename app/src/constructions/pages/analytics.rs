//! `/constructions/analytics`: reports and confirmed violations of the last twelve months,
//! and the illegal constructions identified in them (with how long decisions took), by
//! municipality, status and month, as SVG charts and tables, each with a density map; the
//! same figures are downloadable as XLSX and PDF.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::super::model::IllegalStatus;
use super::super::model::{CountRow, DENSITY_CELL_DEGREES, ReportStatus};
use super::super::server_fns::construction_analytics;
use super::ConstructionNav;
use crate::i18n::{Msg, format_date, format_decimal, format_integer, use_i18n};
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
                        let illegal = &analytics.illegal;
                        let entries = i18n.t(Msg::AnalyticsIllegalEntries).to_string();
                        let decided = i18n.t(Msg::AnalyticsIllegalDecided).to_string();
                        let illegal_by_municipality = to_rows(&illegal.by_municipality, &|key| {
                            key.parse().map(|id| names.municipality(id, locale)).unwrap_or_else(|_| key.to_string())
                        });
                        let illegal_by_status = to_rows(&illegal.by_status, &|key| {
                            IllegalStatus::from_db(key).map(|s| i18n.t(s.msg()).to_string()).unwrap_or_else(|| key.to_string())
                        });
                        let illegal_by_month = to_rows(&illegal.by_month, &|key| key.to_string());
                        let illegal_cells = density_cells(&illegal.density, &|count| {
                            format!("{}: {}", entries, format_integer(locale, count as i64))
                        });
                        let illegal_cells = Signal::derive(move || illegal_cells.clone());
                        let times = illegal.days_to_decision;
                        let first = analytics.first_month;
                        let section = |title: Msg, rows: Vec<ChartRow>, (reports, violations): (String, String), test: &'static str| {
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
                        let report_names = (reports.clone(), violations.clone());
                        let entry_names = (entries.clone(), decided.clone());
                        let days = move |value: Option<f64>| value.map(|days| format_decimal(i18n.locale(), days, 1)).unwrap_or_default();
                        view! {
                            <p class="muted">{move || i18n.t(Msg::AnalyticsPeriod)} " " {move || format_date(i18n.locale(), first)}</p>
                            <h2>{move || i18n.t(Msg::AnalyticsReportsSection)}</h2>
                            {section(Msg::AnalyticsByMonth, by_month, report_names.clone(), "analytics-month")}
                            {section(Msg::AnalyticsByStatus, by_status, report_names.clone(), "analytics-status")}
                            {section(Msg::AnalyticsByMunicipality, by_municipality, report_names, "analytics-municipality")}
                            <section class="stack">
                                <h2>{move || i18n.t(Msg::AnalyticsDensity)}</h2>
                                <MapView markers=Signal::derive(Vec::new) shapes=cells label=Signal::derive(move || i18n.t(Msg::AnalyticsDensity).to_string()) />
                            </section>
                            <h2>{move || i18n.t(Msg::AnalyticsIllegalSection)}</h2>
                            <section class="stack" data-test="analytics-days-to-decision">
                                <h2>{move || i18n.t(Msg::AnalyticsDaysToDecision)}</h2>
                                {if times.decided == 0 {
                                    view! { <p class="muted">{move || i18n.t(Msg::AnalyticsNoDecisions)}</p> }.into_any()
                                } else {
                                    view! {
                                        <p>
                                            {move || i18n.t(Msg::AnalyticsMedianDays)} ": " <strong data-test="median-days">{move || days(times.median)}</strong>
                                            " · " {move || i18n.t(Msg::AnalyticsMeanDays)} ": " {move || days(times.mean)}
                                            " · " {move || i18n.t(Msg::AnalyticsDecisions)} ": " {times.decided}
                                        </p>
                                    }.into_any()
                                }}
                            </section>
                            {section(Msg::AnalyticsByMonth, illegal_by_month, entry_names.clone(), "analytics-illegal-month")}
                            {section(Msg::AnalyticsByStatus, illegal_by_status, entry_names.clone(), "analytics-illegal-status")}
                            {section(Msg::AnalyticsByMunicipality, illegal_by_municipality, entry_names, "analytics-illegal-municipality")}
                            <section class="stack" data-test="analytics-illegal-map">
                                <h2>{move || i18n.t(Msg::AnalyticsIllegalMap)}</h2>
                                <MapView markers=Signal::derive(Vec::new) shapes=illegal_cells label=Signal::derive(move || i18n.t(Msg::AnalyticsIllegalMap).to_string()) />
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
