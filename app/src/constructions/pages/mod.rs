//! The construction pages: the public registry (table or map, one set of filters in the
//! URL), an entry's page and edit form, citizens' reports and their verification, the
//! imports, and the analytics.

mod analytics;
mod detail;
mod illegal;
mod imports;
mod reports;

pub use analytics::AnalyticsPage;
pub use detail::{ConstructionEditPage, ConstructionPage};
pub use illegal::{IllegalConstructionPage, IllegalRegistryPage};
pub use imports::{ImportChangesPage, ImportLogPage, ImportPage, ImportUploadPage};
pub use reports::{
    ConstructionReportPage, ConstructionReportsPage, ReportConstructionPage, VerificationQueuePage,
};

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{A, Form};
use leptos_router::hooks::use_query_map;

use super::components::ConstructionBadge;
use super::model::{ConstructionStatus, RegistryQuery, RegistrySort};
use super::server_fns::{can_edit_registry, list_registry, registry_clusters};
use crate::i18n::{Msg, format_date, format_integer, use_i18n};
use crate::organisation::components::{Names, names_resource};
use crate::ui::errors::ErrorPage;
use crate::ui::map::{ClusterLabels, ExportLinks, ListMapTabs, MapView, viewport_cluster_markers};
use crate::ui::pager::Pager;
use platform::geo::Viewport;

/// The registry filters of the current URL.
fn registry_query_from_url() -> Memo<RegistryQuery> {
    let query = use_query_map();
    Memo::new(move |_| {
        query.with(|map| {
            let get = |key: &str| map.get(key).unwrap_or_default();
            RegistryQuery {
                municipality: get("municipality"),
                status: get("status"),
                developer: get("developer"),
                from: get("from"),
                to: get("to"),
                q: get("q"),
                sort: get("sort"),
                page: get("page"),
            }
        })
    })
}

/// The section's links, shown on each of its public pages.
#[component]
pub fn ConstructionNav() -> impl IntoView {
    let i18n = use_i18n();
    let can_edit = Resource::new(|| (), |_| can_edit_registry());
    view! {
        <nav class="row section-nav" aria-label=move || i18n.t(Msg::NavConstructions)>
            <A href="/constructions">{move || i18n.t(Msg::ConstructionsTitle)}</A>
            <A href="/constructions/illegal" attr:data-test="illegal-link">{move || i18n.t(Msg::IllegalTitle)}</A>
            <A href="/constructions/reports">{move || i18n.t(Msg::ConstructionReportsTitle)}</A>
            <A href="/constructions/analytics">{move || i18n.t(Msg::ConstructionAnalyticsTitle)}</A>
            <A href="/constructions/imports">{move || i18n.t(Msg::ImportLogTitle)}</A>
            <A href="/constructions/reports/new" attr:class="button primary" attr:data-test="report-construction-link">{move || i18n.t(Msg::ReportConstruction)}</A>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    can_edit.await.unwrap_or(false).then(|| view! {
                        <A href="/constructions/new" attr:class="button secondary" attr:data-test="add-construction">{move || i18n.t(Msg::AddConstruction)}</A>
                        <A href="/manage/registry-import" attr:class="button secondary" attr:data-test="import-link">{move || i18n.t(Msg::ImportRegistry)}</A>
                    })
                })}
            </Transition>
        </nav>
    }
}

/// `/constructions`: the registry as a table, or with `?view=map` as a clustered map; the
/// filters live in the URL, and the exports take the same ones.
#[component]
pub fn RegistryPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = registry_query_from_url();
    let url = use_query_map();
    let map_view = Memo::new(move |_| url.with(|map| map.get("view").as_deref() == Some("map")));
    let names = names_resource();
    let page = Resource::new(
        move || (query.get(), map_view.get()),
        |(query, map_view)| async move {
            if map_view {
                None
            } else {
                Some(list_registry(query).await)
            }
        },
    );
    let viewport = RwSignal::new(None::<Viewport>);
    let markers = viewport_cluster_markers(
        viewport,
        Signal::derive(move || query.get().without_page()),
        |query, view| {
            registry_clusters(
                query,
                view.south_west.lat,
                view.south_west.lon,
                view.north_east.lat,
                view.north_east.lon,
                view.zoom,
            )
        },
        ClusterLabels {
            single: |id| format!("№ {id}"),
            href: |id| format!("/constructions/{id}"),
            noun: Msg::ConstructionsTitle,
        },
    );
    let filters = Signal::derive(move || query.get().without_page().to_query_string(1));
    view! {
        <Title text=move || i18n.t(Msg::ConstructionsTitle) />
        <h1 class="page-title">{move || i18n.t(Msg::ConstructionsTitle)}</h1>
        <p class="lead">{move || i18n.t(Msg::ConstructionsLead)}</p>
        <ConstructionNav />
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let names = names.await;
                view! { <RegistryFilters names query=query.get_untracked() map_view=map_view.get_untracked() /> }
            })}
        </Transition>
        <div class="row">
            <ListMapTabs path="/constructions" filters map_view label=Msg::ConstructionsTitle />
            <ExportLinks stem="/constructions/export" filters />
        </div>
        <Show when=move || map_view.get()>
            <MapView markers viewport label=Signal::derive(move || i18n.t(Msg::ConstructionsTitle).to_string()) />
        </Show>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let names = names.await;
                match page.await {
                    None => ().into_any(),
                    Some(Err(error)) => view! { <ErrorPage error /> }.into_any(),
                    Some(Ok(page)) => {
                        let query = query.get_untracked();
                        let previous = (page.page > 1).then(|| query.to_query_string(page.page - 1));
                        let next = page.has_more.then(|| query.to_query_string(page.page + 1));
                        let total = page.total;
                        let empty = page.rows.is_empty();
                        view! {
                            <p data-test="registry-total">{move || format!("{} {}", i18n.t(Msg::EntriesFound), format_integer(i18n.locale(), total as i64))}</p>
                            {empty.then(|| view! { <p class="notice" data-test="no-constructions">{move || i18n.t(Msg::NoConstructions)}</p> })}
                            <div class="table-wrap">
                                <table class="data-table" data-test="registry-table">
                                    <thead>
                                        <tr>
                                            <th scope="col">{move || i18n.t(Msg::ColRegistryNumber)}</th>
                                            <th scope="col">{move || i18n.t(Msg::ColObject)}</th>
                                            <th scope="col">{move || i18n.t(Msg::ColMunicipality)}</th>
                                            <th scope="col">{move || i18n.t(Msg::ColDeveloper)}</th>
                                            <th scope="col">{move || i18n.t(Msg::ColPermitDate)}</th>
                                            <th scope="col">{move || i18n.t(Msg::ColFloors)}</th>
                                            <th scope="col">{move || i18n.t(Msg::ColStatus)}</th>
                                            <th scope="col">{move || i18n.t(Msg::ColReports)}</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {page.rows.into_iter().map(|row| {
                                            let names = names.clone();
                                            let municipality = move || names.municipality(row.municipality_id, i18n.locale());
                                            let developer_href = format!("/constructions?developer={}", row.developer_inn);
                                            view! {
                                                <tr data-test="registry-row">
                                                    <td><A href=format!("/constructions/{}", row.id)>{row.registry_number.clone()}</A></td>
                                                    <td>{row.object_name.clone()}<br /><span class="muted">{row.address.clone()}</span></td>
                                                    <td>{municipality}</td>
                                                    <td><a href=developer_href>{row.developer_name.clone()}</a><br /><span class="muted">{row.developer_inn.clone()}</span></td>
                                                    <td>{move || format_date(i18n.locale(), row.permit_date)}<br /><span class="muted">{row.permit_number.clone()}</span></td>
                                                    <td class="number">{row.floors.map(|f| f.to_string()).unwrap_or_default()}</td>
                                                    <td><ConstructionBadge status=row.status /></td>
                                                    <td class="number">{format!("{} / {}", row.report_count, row.violation_count)}</td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            <Pager page=page.page previous next />
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// The registry filter form: a GET form, so the filters live in the URL.
#[component]
fn RegistryFilters(names: Names, query: RegistryQuery, map_view: bool) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.locale();
    let municipalities: Vec<(String, String)> = names
        .municipalities
        .iter()
        .map(|m| (m.id.to_string(), m.name(locale).to_string()))
        .collect();
    let statuses: Vec<(String, Msg)> = ConstructionStatus::ALL
        .iter()
        .map(|s| (s.as_db().to_string(), (*s).msg()))
        .collect();
    let sort = query.sort();
    let in_use = !query.to_query_string(1).is_empty();
    let selected_municipality = query.municipality.clone();
    let selected_status = query.status.clone();
    view! {
        <details class="filters-box" open=in_use data-test="filters-box">
            <summary>{move || i18n.t(Msg::FiltersAndSort)}</summary>
            <Form method="GET" action="/constructions" attr:class="filters" attr:data-test="registry-filters">
                <div class="field">
                    <label for="filter-q">{move || i18n.t(Msg::FilterSearch)}</label>
                    <input id="filter-q" name="q" type="search" value=query.q.clone() data-test="filter-q" />
                </div>
                <div class="field">
                    <label for="filter-municipality">{move || i18n.t(Msg::FilterMunicipality)}</label>
                    <select id="filter-municipality" name="municipality" data-test="filter-municipality">
                        <option value="">{move || i18n.t(Msg::FilterAny)}</option>
                        {municipalities.into_iter().map(|(value, text)| {
                            let is_selected = value == selected_municipality;
                            view! { <option value=value selected=is_selected>{text}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="filter-status">{move || i18n.t(Msg::FilterStatus)}</label>
                    <select id="filter-status" name="status" data-test="filter-status">
                        <option value="">{move || i18n.t(Msg::FilterAny)}</option>
                        {statuses.into_iter().map(|(value, text)| {
                            let is_selected = value == selected_status;
                            view! { <option value=value selected=is_selected>{move || i18n.t(text)}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="filter-developer">{move || i18n.t(Msg::FilterDeveloper)}</label>
                    <input id="filter-developer" name="developer" value=query.developer.clone() data-test="filter-developer" />
                </div>
                <div class="field">
                    <label for="filter-from">{move || i18n.t(Msg::FilterPermitFrom)}</label>
                    <input id="filter-from" name="from" type="date" value=query.from.clone() data-test="filter-from" />
                </div>
                <div class="field">
                    <label for="filter-to">{move || i18n.t(Msg::FilterPermitTo)}</label>
                    <input id="filter-to" name="to" type="date" value=query.to.clone() data-test="filter-to" />
                </div>
                <div class="field">
                    <label for="filter-sort">{move || i18n.t(Msg::SortLabel)}</label>
                    <select id="filter-sort" name="sort" data-test="filter-sort">
                        {RegistrySort::ALL.into_iter().map(|option| {
                            let is_selected = option == sort;
                            view! { <option value=option.as_str() selected=is_selected>{move || i18n.t(option.msg())}</option> }
                        }).collect_view()}
                    </select>
                </div>
                {map_view.then(|| view! { <input type="hidden" name="view" value="map" /> })}
                <button type="submit" class="secondary" data-test="filter-apply">{move || i18n.t(Msg::FilterApply)}</button>
            </Form>
        </details>
    }
}
