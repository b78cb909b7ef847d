//! The problem pages: the public list and map, a problem's page, the report form, the
//! department statistics, notifications, and the moderators' and departments' queues.

mod detail;
mod manage;
mod report;

pub use detail::ProblemPage;
pub use manage::{ModerationPage, WorkspacePage};
pub use report::ReportProblemPage;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{A, Form};
use leptos_router::hooks::{use_params_map, use_query_map};

use super::components::ProblemCard;
use super::model::{ProblemQuery, ProblemSort, ProblemStatus};
use super::offline::{WaitingReports, use_waiting};
use super::server_fns::{department_stats, list_problems, my_problems, problem_clusters};
use crate::i18n::{Msg, format_decimal, format_integer, use_i18n};
use crate::organisation::components::{Names, names_resource};
use crate::ui::errors::ErrorPage;
use crate::ui::map::{ClusterLabels, ListMapTabs, MapMarker, MapView, viewport_cluster_markers};
use crate::ui::narrowed::{NarrowedNotice, days_part};
use crate::ui::pager::Pager;
use platform::geo::LatLon;
use platform::geo::Viewport;
use platform::keyset::PageStart;

/// The filters of the current URL.
fn query_from_url() -> Memo<ProblemQuery> {
    let query = use_query_map();
    Memo::new(move |_| {
        query.with(|map| {
            let get = |key: &str| map.get(key).unwrap_or_default();
            ProblemQuery {
                municipality: get("municipality"),
                theme: get("theme"),
                status: get("status"),
                department: get("department"),
                overdue: get("overdue"),
                from: get("from"),
                to: get("to"),
                outcome: get("outcome"),
                sort: get("sort"),
                after: get("after"),
                before: get("before"),
            }
        })
    })
}

/// `/problems`: the public list, or with `?view=map` the clustered map, with one set of
/// filters in the URL.
#[component]
pub fn ProblemsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = query_from_url();
    let url = use_query_map();
    let map_view = Memo::new(move |_| url.with(|map| map.get("view").as_deref() == Some("map")));
    let names = names_resource();
    let page = Resource::new(
        move || (query.get(), map_view.get()),
        |(query, map_view)| async move {
            if map_view {
                None
            } else {
                Some(list_problems(query).await)
            }
        },
    );
    let viewport = RwSignal::new(None::<Viewport>);
    let markers = viewport_cluster_markers(
        viewport,
        query.into(),
        |query, view| {
            problem_clusters(
                query,
                view.south_west.lat,
                view.south_west.lon,
                view.north_east.lat,
                view.north_east.lon,
                view.zoom,
            )
        },
        ClusterLabels {
            single: |id| format!("#{id}"),
            href: |id| format!("/problems/{id}"),
            noun: Msg::ProblemsTitle,
        },
    );
    view! {
        <Title text=move || i18n.t(Msg::ProblemsTitle) />
        <div class="page-head row">
            <h1 class="page-title">{move || i18n.t(Msg::ProblemsTitle)}</h1>
            <A href="/problems/new" attr:class="button primary" attr:data-test="report-link">{move || i18n.t(Msg::ReportProblem)}</A>
        </div>
        <p class="lead">{move || i18n.t(Msg::ProblemsLead)}</p>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let names = names.await;
                view! { <FilterForm names query=query.get_untracked() map_view=map_view.get_untracked() /> }
            })}
        </Transition>
        {move || query.with(|query| query.narrowed().then(|| view! { <DrillNotice query=query.clone() /> }))}
        <ListMapTabs path="/problems" filters=Signal::derive(move || query.get().to_query_string(&PageStart::First)) map_view label=Msg::ProblemsTitle />
        <Show when=move || map_view.get()>
            <MapView markers viewport label=Signal::derive(move || i18n.t(Msg::ProblemsTitle).to_string()) />
        </Show>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let names = names.await;
                match page.await {
                    None => ().into_any(),
                    Some(Err(error)) => view! { <ErrorPage error /> }.into_any(),
                    Some(Ok(page)) => {
                        let query = query.get_untracked();
                        let now = page.now;
                        let (previous, next) = page.neighbours();
                        let previous = previous.map(|start| query.to_query_string(&start));
                        let next = next.map(|start| query.to_query_string(&start));
                        let rows = page.paged.rows;
                        let empty = rows.is_empty();
                        view! {
                            {empty.then(|| view! { <p class="notice" data-test="no-problems">{move || i18n.t(Msg::NoProblems)}</p> })}
                            <ul class="problem-list" data-test="problem-list">
                                {rows.into_iter().map(|problem| view! { <ProblemCard problem names=names.clone() now /> }).collect_view()}
                            </ul>
                            <Pager previous next />
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// The filter form: a GET form, so the filters live in the URL and a view can be linked.
#[component]
fn FilterForm(names: Names, query: ProblemQuery, map_view: bool) -> impl IntoView {
    let i18n = use_i18n();
    let select =
        move |name: &'static str, label: Msg, options: Vec<(String, String)>, selected: String| {
            let id = format!("filter-{name}");
            view! {
                <div class="field">
                    <label for=id.clone()>{move || i18n.t(label)}</label>
                    <select id=id name=name data-test=format!("filter-{name}")>
                        <option value="">{move || i18n.t(Msg::FilterAny)}</option>
                        {options.into_iter().map(|(value, text)| {
                            let is_selected = value == selected;
                            view! { <option value=value selected=is_selected>{text}</option> }
                        }).collect_view()}
                    </select>
                </div>
            }
        };
    let locale = i18n.locale();
    let municipalities = names
        .municipalities
        .iter()
        .map(|m| (m.id.to_string(), m.name(locale).to_string()))
        .collect();
    let themes = names
        .themes
        .iter()
        .map(|t| (t.id.to_string(), t.name(locale).to_string()))
        .collect();
    let departments = names
        .departments
        .iter()
        .map(|d| (d.id.to_string(), d.name(locale).to_string()))
        .collect();
    let statuses = ProblemStatus::PUBLIC
        .iter()
        .map(|s| (s.as_db().to_string(), i18n.t((*s).msg()).to_string()))
        .collect();
    let sorts: Vec<(String, String)> = ProblemSort::ALL
        .iter()
        .map(|s| (s.as_str().to_string(), i18n.t((*s).msg()).to_string()))
        .collect();
    let overdue = query.filter().overdue;
    let sort = query.sort();
    // Folded until a filter is in use: on a phone the list, not the form, fills the screen.
    let in_use = !query.to_query_string(&PageStart::First).is_empty();
    view! {
        <details class="filters-box" open=in_use data-test="filters-box">
        <summary>{move || i18n.t(Msg::FiltersAndSort)}</summary>
        <Form method="GET" action="/problems" attr:class="filters" attr:data-test="filters">
            {select("municipality", Msg::FilterMunicipality, municipalities, query.municipality.clone())}
            {select("theme", Msg::FilterTheme, themes, query.theme.clone())}
            {select("status", Msg::FilterStatus, statuses, query.status.clone())}
            {select("department", Msg::FilterDepartment, departments, query.department.clone())}
            <div class="field">
                <label for="filter-sort">{move || i18n.t(Msg::SortLabel)}</label>
                <select id="filter-sort" name="sort" data-test="filter-sort">
                    {sorts.into_iter().map(|(value, text)| {
                        let is_selected = value == sort.as_str();
                        view! { <option value=value selected=is_selected>{text}</option> }
                    }).collect_view()}
                </select>
            </div>
            <label class="checkbox">
                <input type="checkbox" name="overdue" value="1" checked=overdue data-test="filter-overdue" />
                {move || i18n.t(Msg::FilterOverdue)}
            </label>
            {map_view.then(|| view! { <input type="hidden" name="view" value="map" /> })}
            // A dashboard link's narrowing stays while the other filters change.
            {[("from", query.from.clone()), ("to", query.to.clone()), ("outcome", query.outcome.clone())]
                .into_iter()
                .filter(|(_, value)| !value.trim().is_empty())
                .map(|(name, value)| view! { <input type="hidden" name=name value=value /> })
                .collect_view()}
            <button type="submit" class="secondary" data-test="filter-apply">{move || i18n.t(Msg::FilterApply)}</button>
        </Form>
        </details>
    }
}

/// What a dashboard link narrowed the list to, with a way back to the whole list.
#[component]
fn DrillNotice(query: ProblemQuery) -> impl IntoView {
    let i18n = use_i18n();
    let filter = query.filter();
    let mut parts = Vec::new();
    parts.extend(days_part(
        i18n.locale(),
        i18n.t(Msg::DrillReported),
        filter.reported,
    ));
    if let Some(outcome) = filter.outcome {
        parts.push(i18n.t(outcome.msg()).to_string());
    }
    let reset = ProblemQuery {
        from: String::new(),
        to: String::new(),
        outcome: String::new(),
        ..query
    }
    .to_query_string(&PageStart::First);
    view! { <NarrowedNotice parts reset=format!("/problems{reset}") /> }
}

/// `/departments/:slug`: a department's public reaction record, then the sections the
/// route table adds (its official news).
#[component]
pub fn DepartmentStatsPage(children: ChildrenFn) -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let stats = Resource::new(
        move || params.with(|p| p.get("slug").unwrap_or_default()),
        department_stats,
    );
    view! {
        <Transition fallback=|| ()>
            {move || {
                let sections = children.clone();
                Suspend::new(async move {
                match stats.await {
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                    Ok((department, month, year)) => {
                        let department_id = department.id;
                        let title = department.clone();
                        let blocks = [(Msg::StatsThisMonth, month), (Msg::StatsLastYear, year)];
                        view! {
                            <Title text=move || title.name(i18n.locale()).to_string() />
                            <h1 class="page-title">{move || department.name(i18n.locale()).to_string()}</h1>
                            <h2>{move || i18n.t(Msg::StatsTitle)}</h2>
                            {blocks.into_iter().map(|(label, stats)| view! {
                                <section class="stack" data-test="stats">
                                    <h3>{move || i18n.t(label)}</h3>
                                    <div class="stats">
                                        <div class="stat"><span class="stat-value" data-test="stat-received">{move || format_integer(i18n.locale(), stats.received as i64)}</span><span class="stat-label">{move || i18n.t(Msg::StatsReceived)}</span></div>
                                        <div class="stat"><span class="stat-value" data-test="stat-on-time">{move || format_integer(i18n.locale(), stats.on_time as i64)}</span><span class="stat-label">{move || i18n.t(Msg::StatsOnTime)}</span></div>
                                        <div class="stat"><span class="stat-value" data-test="stat-overdue">{move || format_integer(i18n.locale(), stats.overdue as i64)}</span><span class="stat-label">{move || i18n.t(Msg::StatsOverdue)}</span></div>
                                        <div class="stat"><span class="stat-value">{move || stats.median_reaction_hours.map(|h| format_decimal(i18n.locale(), h, 1)).unwrap_or_else(|| "—".into())}</span><span class="stat-label">{move || i18n.t(Msg::StatsMedian)}</span></div>
                                        <div class="stat"><span class="stat-value" data-test="stat-moderation-late">{move || format_integer(i18n.locale(), stats.moderation_late as i64)}</span><span class="stat-label">{move || i18n.t(Msg::StatsModerationLate)}</span></div>
                                    </div>
                                </section>
                            }).collect_view()}
                            <p><A href=format!("/problems?department={department_id}")>{move || i18n.t(Msg::ProblemsTitle)}</A></p>
                            {sections()}
                        }.into_any()
                    }
                }
            })}}
        </Transition>
    }
}

/// `/problems/mine`: the signed-in user's own reports, in every status.
#[component]
pub fn MyProblemsPage() -> impl IntoView {
    let i18n = use_i18n();
    let mine = Resource::new(|| (), |_| my_problems());
    let names = names_resource();
    // A report sent from this device's waiting list joins the list below.
    let waiting = use_waiting();
    Effect::new(move |before: Option<usize>| {
        let count = waiting.map_or(0, |waiting| waiting.count());
        if before.is_some_and(|before| count < before) {
            mine.refetch();
        }
        count
    });
    view! {
        <Title text=move || i18n.t(Msg::MyProblems) />
        <h1 class="page-title">{move || i18n.t(Msg::MyProblems)}</h1>
        <WaitingReports />
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let names = names.await;
                match mine.await {
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                    Ok(rows) if rows.is_empty() => view! { <p class="notice">{move || i18n.t(Msg::NoProblems)}</p> }.into_any(),
                    Ok(rows) => view! {
                        <ul class="problem-list" data-test="my-problem-list">
                            {rows.into_iter().map(|problem| view! { <ProblemCard problem names=names.clone() /> }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

/// A point for a single-marker map.
pub(crate) fn marker_at(point: LatLon, title: String) -> Vec<MapMarker> {
    vec![MapMarker::new(point, title)]
}
