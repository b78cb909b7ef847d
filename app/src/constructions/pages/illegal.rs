//! The registry of illegal constructions' pages: the public table or map (one set of
//! filters in the URL, which the exports take too) and an entry's page with its history
//! and, for the supervising officials, the form recording the next status.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{A, Form};
use leptos_router::hooks::{use_params_map, use_query_map};

use super::super::components::{IllegalBadge, date_or_dash};
use super::super::model::{FoundBy, IllegalDetail, IllegalQuery, IllegalStatus};
use super::super::server_fns::{RecordIllegalStep, get_illegal, illegal_clusters, list_illegal};
use super::ConstructionNav;
use crate::constructions::server_fns::can_edit_registry;
use crate::i18n::{
    Msg, format_date, format_decimal, format_integer, format_local_datetime, use_i18n,
};
use crate::organisation::components::{Names, names_resource};
use crate::ui::errors::{ActionError, ErrorPage, FieldMessage, last_error};
use crate::ui::map::{
    ClusterLabels, ExportLinks, ListMapTabs, MapMarker, MapView, viewport_cluster_markers,
};
use crate::ui::pager::Pager;
use platform::geo::Viewport;

/// The registry's path.
const PATH: &str = "/constructions/illegal";

/// The filters of the current URL.
fn query_from_url() -> Memo<IllegalQuery> {
    let query = use_query_map();
    Memo::new(move |_| {
        query.with(|map| {
            let get = |key: &str| map.get(key).unwrap_or_default();
            IllegalQuery {
                municipality: get("municipality"),
                status: get("status"),
                found_by: get("found_by"),
                q: get("q"),
                after: get("after"),
                before: get("before"),
            }
        })
    })
}

/// `/constructions/illegal`: the registry as a table, or with `?view=map` on the map.
#[component]
pub fn IllegalRegistryPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = query_from_url();
    let url = use_query_map();
    let map_view = Memo::new(move |_| url.with(|map| map.get("view").as_deref() == Some("map")));
    let names = names_resource();
    let can_edit = Resource::new(|| (), |_| can_edit_registry());
    let page = Resource::new(
        move || (query.get(), map_view.get()),
        |(query, map_view)| async move {
            if map_view {
                None
            } else {
                Some(list_illegal(query).await)
            }
        },
    );
    let viewport = RwSignal::new(None::<Viewport>);
    let markers = viewport_cluster_markers(
        viewport,
        Signal::derive(move || query.get().without_page()),
        |query, view| {
            illegal_clusters(
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
            href: |id| format!("{PATH}/{id}"),
            noun: Msg::IllegalTitle,
        },
    );
    let filters = Signal::derive(move || {
        query
            .get()
            .without_page()
            .to_query_string(&Default::default())
    });
    view! {
        <Title text=move || i18n.t(Msg::IllegalTitle) />
        <h1 class="page-title">{move || i18n.t(Msg::IllegalTitle)}</h1>
        <p class="lead">{move || i18n.t(Msg::IllegalLead)}</p>
        <ConstructionNav />
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let names = names.await;
                view! { <IllegalFilters names query=query.get_untracked() map_view=map_view.get_untracked() /> }
            })}
        </Transition>
        <div class="row">
            <ListMapTabs path=PATH filters map_view label=Msg::IllegalTitle />
            <ExportLinks stem="/constructions/illegal/export" filters />
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    can_edit.await.unwrap_or(false).then(|| view! {
                        <A href="/manage/registry-import?register=illegal" attr:class="button secondary" attr:data-test="illegal-import-link">{move || i18n.t(Msg::ImportRegistry)}</A>
                    })
                })}
            </Transition>
        </div>
        <Show when=move || map_view.get()>
            <MapView markers viewport label=Signal::derive(move || i18n.t(Msg::IllegalTitle).to_string()) />
        </Show>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let names = names.await;
                match page.await {
                    None => ().into_any(),
                    Some(Err(error)) => view! { <ErrorPage error /> }.into_any(),
                    Some(Ok(page)) => {
                        let query = query.get_untracked();
                        let (previous, next) = page.neighbours();
                        let link = |start: platform::keyset::PageStart| format!("{PATH}{}", query.to_query_string(&start));
                        let previous = previous.map(link);
                        let next = next.map(link);
                        let total = page.total;
                        let empty = page.paged.rows.is_empty();
                        view! {
                            <p data-test="illegal-total">{move || format!("{} {}", i18n.t(Msg::EntriesFound), format_integer(i18n.locale(), total as i64))}</p>
                            {empty.then(|| view! { <p class="notice" data-test="no-illegal">{move || i18n.t(Msg::NoConstructions)}</p> })}
                            <div class="table-wrap">
                                <table class="data-table" data-test="illegal-table">
                                    <thead>
                                        <tr>
                                            <th scope="col">{move || i18n.t(Msg::ColRegistryNumber)}</th>
                                            <th scope="col">{move || i18n.t(Msg::ColObject)}</th>
                                            <th scope="col">{move || i18n.t(Msg::ColMunicipality)}</th>
                                            <th scope="col">{move || i18n.t(Msg::ColOwner)}</th>
                                            <th scope="col">{move || i18n.t(Msg::ColFoundBy)}</th>
                                            <th scope="col">{move || i18n.t(Msg::ColIdentifiedOn)}</th>
                                            <th scope="col">{move || i18n.t(Msg::ColStatus)}</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {page.paged.rows.into_iter().map(|row| {
                                            let names = names.clone();
                                            let municipality = move || names.municipality(row.municipality_id, i18n.locale());
                                            view! {
                                                <tr data-test="illegal-row">
                                                    <td><A href=format!("{PATH}/{}", row.id)>{row.registry_number.clone()}</A></td>
                                                    <td>{row.object_name.clone()}<br /><span class="muted">{row.address.clone()}</span></td>
                                                    <td>{municipality}</td>
                                                    <td>{row.owner_name.clone().unwrap_or_default()}<br /><span class="muted">{row.cadastral_number.clone().unwrap_or_default()}</span></td>
                                                    <td>{move || i18n.t(row.found_by.msg())}</td>
                                                    <td>{move || format_date(i18n.locale(), row.identified_on)}</td>
                                                    <td><IllegalBadge status=row.status /></td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            <Pager previous next />
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// The filter form: a GET form, so the filters live in the URL.
#[component]
fn IllegalFilters(names: Names, query: IllegalQuery, map_view: bool) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.locale();
    let municipalities: Vec<(String, String)> = names
        .municipalities
        .iter()
        .map(|m| (m.id.to_string(), m.name(locale).to_string()))
        .collect();
    let in_use = !query
        .without_page()
        .to_query_string(&Default::default())
        .is_empty();
    let (selected_municipality, selected_status, selected_found_by) = (
        query.municipality.clone(),
        query.status.clone(),
        query.found_by.clone(),
    );
    view! {
        <details class="filters-box" open=in_use data-test="filters-box">
            <summary>{move || i18n.t(Msg::FiltersAndSort)}</summary>
            <Form method="GET" action=PATH attr:class="filters" attr:data-test="illegal-filters">
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
                        {IllegalStatus::ALL.into_iter().map(|status| {
                            let is_selected = status.as_db() == selected_status;
                            view! { <option value=status.as_db() selected=is_selected>{move || i18n.t(status.msg())}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="filter-found-by">{move || i18n.t(Msg::ColFoundBy)}</label>
                    <select id="filter-found-by" name="found_by" data-test="filter-found-by">
                        <option value="">{move || i18n.t(Msg::FilterAny)}</option>
                        {FoundBy::ALL.into_iter().map(|way| {
                            let is_selected = way.as_db() == selected_found_by;
                            view! { <option value=way.as_db() selected=is_selected>{move || i18n.t(way.msg())}</option> }
                        }).collect_view()}
                    </select>
                </div>
                {map_view.then(|| view! { <input type="hidden" name="view" value="map" /> })}
                <button type="submit" class="secondary" data-test="filter-apply">{move || i18n.t(Msg::FilterApply)}</button>
            </Form>
        </details>
    }
}

/// `/constructions/illegal/:id`.
#[component]
pub fn IllegalConstructionPage() -> impl IntoView {
    let params = use_params_map();
    let names = names_resource();
    let step = ServerAction::<RecordIllegalStep>::new();
    // The page is read again after a recorded step only: a refused one keeps the form as
    // typed, beside its error.
    let recorded = RwSignal::new(0u32);
    Effect::new(move |_| {
        if let Some(Ok(_)) = step.value().get() {
            recorded.update(|count| *count += 1);
        }
    });
    let detail = Resource::new(
        move || {
            (
                params.with(|p| p.get("id").unwrap_or_default()),
                recorded.get(),
            )
        },
        |(id, _)| get_illegal(id),
    );
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let names = names.await;
                match detail.await {
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                    Ok(detail) => view! { <IllegalView detail names step /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn IllegalView(
    detail: IllegalDetail,
    names: Names,
    step: ServerAction<RecordIllegalStep>,
) -> impl IntoView {
    let i18n = use_i18n();
    let row = detail.row.clone();
    let id = row.id;
    let marker = Signal::derive({
        let (point, name) = (row.point, row.object_name.clone());
        move || vec![MapMarker::new(point, name.clone())]
    });
    let municipality = move || names.municipality(row.municipality_id, i18n.locale());
    let optional = |value: Option<String>| value.unwrap_or_else(|| "—".into());
    let days_to_decision = row.days_to_decision();
    view! {
        <Title text=format!("{} · {}", row.registry_number, row.object_name) />
        <ConstructionNav />
        <article class="stack" data-test="illegal-construction">
            <div class="page-head row">
                <h1 class="page-title" data-test="illegal-title">{row.object_name.clone()}</h1>
                <IllegalBadge status=row.status />
            </div>
            <dl class="facts" data-test="illegal-facts">
                <dt>{move || i18n.t(Msg::ColRegistryNumber)}</dt><dd data-test="illegal-number">{row.registry_number.clone()}</dd>
                <dt>{move || i18n.t(Msg::ColAddress)}</dt><dd data-test="illegal-address">{row.address.clone()}</dd>
                <dt>{move || i18n.t(Msg::ColMunicipality)}</dt><dd>{municipality}</dd>
                <dt>{move || i18n.t(Msg::ColCadastralNumber)}</dt><dd>{optional(row.cadastral_number.clone())}</dd>
                <dt>{move || i18n.t(Msg::ColOwner)}</dt><dd>{optional(row.owner_name.clone())}</dd>
                <dt>{move || i18n.t(Msg::ColFloors)}</dt><dd>{optional(row.floors.map(|f| f.to_string()))}</dd>
                <dt>{move || i18n.t(Msg::ColArea)}</dt>
                <dd>{move || row.total_area_m2.map(|area| format_decimal(i18n.locale(), area, 1)).unwrap_or_else(|| "—".into())}</dd>
                <dt>{move || i18n.t(Msg::ColFoundBy)}</dt><dd>{move || i18n.t(row.found_by.msg())}</dd>
                <dt>{move || i18n.t(Msg::ColIdentifiedOn)}</dt><dd>{move || format_date(i18n.locale(), row.identified_on)}</dd>
                <dt>{move || i18n.t(Msg::ColDecidedOn)}</dt>
                <dd>
                    {move || date_or_dash(i18n.locale(), row.decided_on)}
                    {days_to_decision.map(|days| view! { <span class="muted">" (" {move || format!("{} {}", format_integer(i18n.locale(), days), i18n.t(Msg::DaysShort))} ")"</span> })}
                </dd>
                {row.report_id.map(|report| view! {
                    <dt>{move || i18n.t(Msg::ColSourceReport)}</dt>
                    <dd><A href=format!("/constructions/reports/{report}") attr:data-test="illegal-source-report">{move || format!("{} {report}", i18n.t(Msg::ReportNumber))}</A></dd>
                })}
            </dl>
            <MapView markers=marker label=Signal::derive(move || i18n.t(Msg::ViewMap).to_string()) />
            {(!detail.next.is_empty()).then(|| view! { <IllegalStepForm id=id.to_string() next=detail.next.clone() step /> })}
            <section class="stack">
                <h2>{move || i18n.t(Msg::HistoryTitle)}</h2>
                <ol class="timeline" data-test="illegal-events">
                    {detail.events.into_iter().map(|event| view! {
                        <li>
                            <IllegalBadge status=event.status />
                            " " {move || format_date(i18n.locale(), event.decided_on)}
                            <span class="muted">" · " {move || format_local_datetime(i18n.locale(), event.at)} " " {event.actor_name.clone().unwrap_or_default()}</span>
                            {event.import_id.map(|import| view! { " · " <A href=format!("/constructions/imports/{import}")>{move || format!("{} {import}", i18n.t(Msg::HistoryByImport))}</A> })}
                            {event.document.clone().map(|document| view! { <p class="prose">{document}</p> })}
                        </li>
                    }).collect_view()}
                </ol>
            </section>
        </article>
    }
}

/// The supervising official's form: the next status, its date and decision document.
#[component]
fn IllegalStepForm(
    id: String,
    next: Vec<IllegalStatus>,
    step: ServerAction<RecordIllegalStep>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = last_error(step.value());
    view! {
        <section class="card stack" data-test="illegal-step">
            <h2>{move || i18n.t(Msg::IllegalRecordStep)}</h2>
            <ActionForm action=step attr:class="form stack">
                <input type="hidden" name="id" value=id />
                <div class="field">
                    <label for="illegal-next-status">{move || i18n.t(Msg::FilterStatus)}</label>
                    <select id="illegal-next-status" name="input[status]" required=true data-test="illegal-next-status">
                        {next.into_iter().map(|status| view! {
                            <option value=status.as_db()>{move || i18n.t(status.msg())}</option>
                        }).collect_view()}
                    </select>
                    <FieldMessage error field="status" />
                </div>
                <div class="field">
                    <label for="illegal-decided-on">{move || i18n.t(Msg::ColDecidedOn)}</label>
                    <input id="illegal-decided-on" type="date" name="input[decided_on]" required=true data-test="illegal-decided-on" />
                    <FieldMessage error field="decided_on" />
                </div>
                <div class="field">
                    <label for="illegal-document">{move || i18n.t(Msg::IllegalDocument)}</label>
                    <textarea id="illegal-document" name="input[document]" rows="3" data-test="illegal-document"></textarea>
                    <p class="field-hint">{move || i18n.t(Msg::IllegalDocumentHint)}</p>
                    <FieldMessage error field="document" />
                </div>
                <button type="submit" class="primary" data-test="illegal-record" disabled=move || step.pending().get()>
                    {move || i18n.t(Msg::IllegalRecordStep)}
                </button>
            </ActionForm>
            <ActionError error />
        </section>
    }
}
