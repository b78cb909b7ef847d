//! `/manage/dashboard`: the region's figures for a period, for the whole region or one
//! municipality. Every figure links to the public list behind it with the same filters;
//! the view downloads as XLSX and PDF.

use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::model::{
    Dashboard, DashboardFilter, FigureRow, LEADERS, Period, ProblemFigures, RankFigures,
    construction_list, month_from_key,
};
use super::server_fns::{dashboard_ranks, region_dashboard};
use super::texts::{
    department_label, month_key_label, municipality_label, period_label, theme_label,
};
use crate::auth::components::RequireRole;
use crate::auth::model::ANALYSTS;
use crate::geography::model::MunicipalityId;
use crate::i18n::{
    Locale, Msg, format_datetime, format_decimal, format_integer, format_month, format_quarter,
    use_i18n,
};
use crate::organisation::components::{Names, names_resource};
use crate::priorities::model::{ScopeRanking, quarter_code};
use crate::priorities::pages::{percent, rank_text};
use crate::problems::model::Outcome;
use crate::services::model::{StandingRow, month_code};
use crate::ui::chart::{BarChart, ChartRow};
use crate::ui::errors::ErrorPage;
use crate::ui::map::{MapMarker, MapView};
use platform::query::query_string;

/// One figure of a problem breakdown, with the list filter that shows its problems.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Figure {
    Received,
    Reacted,
    OnTime,
    Overdue,
    Planned,
    Resolved,
}

impl Figure {
    const ALL: [Figure; 6] = [
        Figure::Received,
        Figure::Reacted,
        Figure::OnTime,
        Figure::Overdue,
        Figure::Planned,
        Figure::Resolved,
    ];

    fn msg(self) -> Msg {
        match self {
            Figure::Received => Msg::DashReceived,
            Figure::Reacted => Msg::DashReacted,
            Figure::OnTime => Msg::DashOnTime,
            Figure::Overdue => Msg::DashOverdue,
            Figure::Planned => Msg::DashPlanned,
            Figure::Resolved => Msg::DashResolved,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Figure::Received => "received",
            Figure::Reacted => "reacted",
            Figure::OnTime => "on-time",
            Figure::Overdue => "overdue",
            Figure::Planned => "planned",
            Figure::Resolved => "resolved",
        }
    }

    fn of(self, figures: &ProblemFigures) -> u64 {
        match self {
            Figure::Received => figures.received,
            Figure::Reacted => figures.reacted,
            Figure::OnTime => figures.reacted_on_time,
            Figure::Overdue => figures.overdue,
            Figure::Planned => figures.planned,
            Figure::Resolved => figures.resolved,
        }
    }

    /// The list filter beyond the period and the place.
    fn list_filter(self) -> Option<(&'static str, &'static str)> {
        match self {
            Figure::Received => None,
            Figure::Reacted => Some(("outcome", Outcome::Reacted.as_str())),
            Figure::OnTime => Some(("outcome", Outcome::ReactedOnTime.as_str())),
            Figure::Overdue => Some(("overdue", "1")),
            Figure::Planned => Some(("status", "planned")),
            Figure::Resolved => Some(("outcome", Outcome::Resolved.as_str())),
        }
    }
}

/// Which part of the problems a row of figures is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    View,
    Municipality(u64),
    Department(u64),
    Theme(u64),
    Month(NaiveDate),
}

/// The public list of the problems behind `figure` of `scope` in the view `filter`.
fn list_href(filter: &DashboardFilter, scope: Scope, figure: Figure) -> String {
    let mut days = filter.period.days();
    let mut pairs: Vec<(&str, String)> = Vec::new();
    if let Some(id) = filter.municipality_id {
        pairs.push(("municipality", id.to_string()));
    }
    match scope {
        Scope::View => {}
        Scope::Municipality(id) => pairs.push(("municipality", id.to_string())),
        Scope::Department(id) => pairs.push(("department", id.to_string())),
        Scope::Theme(id) => pairs.push(("theme", id.to_string())),
        Scope::Month(month) => {
            days = Period {
                first_month: month,
                months: 1,
            }
            .days();
        }
    }
    let (from, to) = days.query_values();
    pairs.push(("from", from));
    pairs.push(("to", to));
    if let Some((key, value)) = figure.list_filter() {
        pairs.push((key, value.to_string()));
    }
    let query = query_string(pairs.iter().map(|(key, value)| (*key, value.as_str())));
    format!("/problems{query}")
}

/// This page with another view.
fn view_href(period: &Period, municipality: Option<u64>) -> String {
    match municipality {
        Some(id) => format!(
            "/manage/dashboard?period={}&municipality={id}",
            period.code()
        ),
        None => format!("/manage/dashboard?period={}", period.code()),
    }
}

fn hours(locale: Locale, value: Option<f64>) -> String {
    value.map_or_else(|| "—".to_string(), |hours| format_decimal(locale, hours, 1))
}

/// The dashboard page.
#[component]
pub fn RegionDashboardPage() -> impl IntoView {
    let i18n = use_i18n();
    let url = use_query_map();
    let period = Memo::new(move |_| url.with(|map| map.get("period").unwrap_or_default()));
    let municipality =
        Memo::new(move |_| url.with(|map| map.get("municipality").unwrap_or_default()));
    let names = names_resource();
    let dashboard = Resource::new(
        move || (period.get(), municipality.get()),
        |(period, municipality)| region_dashboard(period, municipality),
    );
    let ranks = Resource::new(move || municipality.get(), dashboard_ranks);
    let markers = Signal::derive(move || match (dashboard.get(), names.get()) {
        (Some(Ok(dashboard)), Some(names)) => map_markers(&dashboard, &names, i18n.locale()),
        _ => Vec::new(),
    });
    let download = move |extension: &str| {
        let mut href = format!(
            "/manage/dashboard/export.{extension}?period={}",
            period.get()
        );
        let municipality = municipality.get();
        if !municipality.is_empty() {
            href.push_str(&format!("&municipality={municipality}"));
        }
        href
    };
    // Resources are created here, outside the gate: created inside its async branch they
    // would not match their server-rendered values when the page hydrates.
    view! {
        <RequireRole roles=ANALYSTS>
            <Title text=move || i18n.t(Msg::DashTitle) />
            <h1 class="page-title">{move || i18n.t(Msg::DashTitle)}</h1>
            <p class="muted">{move || i18n.t(Msg::DashLead)}</p>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let names = names.await;
                    match dashboard.await {
                        Err(error) => view! { <ErrorPage error /> }.into_any(),
                        Ok(dashboard) => view! {
                            <ViewForm dashboard=dashboard.clone() names=names.clone() />
                            <div class="row">
                                <span>{move || i18n.t(Msg::AnalyticsDownload)} ":"</span>
                                <a class="button secondary" href=move || download("xlsx") data-test="dashboard-xlsx" download>{move || i18n.t(Msg::ExportXlsx)}</a>
                                <a class="button secondary" href=move || download("pdf") data-test="dashboard-pdf" download>{move || i18n.t(Msg::ExportPdf)}</a>
                            </div>
                            <DashboardBody dashboard names />
                        }.into_any(),
                    }
                })}
            </Transition>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let names = names.await;
                    match ranks.await {
                        Err(error) => view! { <ErrorPage error /> }.into_any(),
                        Ok(figures) => view! { <RankSections figures names municipality=municipality.get_untracked() /> }.into_any(),
                    }
                })}
            </Transition>
            // Outside the Transition: the map loads its own settings, and a resource made
            // inside a nested async branch would not match its server-rendered value.
            <section class="stack" data-test="dashboard-map">
                <h2>{move || i18n.t(Msg::DashMap)}</h2>
                <MapView markers label=Signal::derive(move || i18n.t(Msg::DashMap).to_string()) />
            </section>
        </RequireRole>
    }
}

/// One marker per municipality with problems, at its centre, numbered with the problems
/// received and linked to its view; a municipality's view shows its own.
fn map_markers(dashboard: &Dashboard, names: &Names, locale: Locale) -> Vec<MapMarker> {
    let own = dashboard.filter.municipality_id.map(|id| FigureRow {
        key: id.0,
        figures: dashboard.total,
    });
    let rows = if dashboard.by_municipality.is_empty() {
        own.into_iter().collect()
    } else {
        dashboard.by_municipality.clone()
    };
    rows.iter()
        .filter(|row| row.figures.received > 0)
        .filter_map(|row| {
            let municipality = names.municipalities.iter().find(|m| m.id.0 == row.key)?;
            Some(MapMarker {
                at: municipality.centre,
                title: format!(
                    "{}: {}",
                    municipality.name(locale),
                    format_integer(locale, row.figures.received as i64)
                ),
                href: Some(view_href(&dashboard.filter.period, Some(row.key))),
                count: row.figures.received,
            })
        })
        .collect()
}

/// The period and area choice: a plain GET form, so it works before the page hydrates.
#[component]
fn ViewForm(dashboard: Dashboard, names: Names) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.locale();
    let current = dashboard.filter.period;
    let today = dashboard.today;
    let mut choices = Period::choices(today);
    if !choices.contains(&current) {
        choices.push(current);
    }
    let selected_municipality = dashboard.filter.municipality_id;
    let last_twelve = Period::last_twelve_months(today);
    view! {
        <form class="form-inline" method="get" action="/manage/dashboard" data-test="dashboard-view">
            <label for="dashboard-period">{move || i18n.t(Msg::DashPeriod)}</label>
            <select id="dashboard-period" name="period" data-test="dashboard-period">
                {choices.into_iter().map(|choice| {
                    let label = if choice == last_twelve {
                        i18n.t(Msg::DashLastTwelveMonths).to_string()
                    } else {
                        period_label(locale, &choice)
                    };
                    view! { <option value=choice.code() selected=choice == current>{label}</option> }
                }).collect_view()}
            </select>
            <label for="dashboard-area">{move || i18n.t(Msg::DashView)}</label>
            <select id="dashboard-area" name="municipality" data-test="dashboard-area">
                <option value="" selected=selected_municipality.is_none()>{move || i18n.t(Msg::DashWholeRegion)}</option>
                {names.municipalities.iter().map(|municipality| {
                    let id = municipality.id;
                    view! {
                        <option value=id.to_string() selected=selected_municipality == Some(id)>{municipality.name(locale).to_string()}</option>
                    }
                }).collect_view()}
            </select>
            <button type="submit" class="button" data-test="dashboard-show">{move || i18n.t(Msg::DashShow)}</button>
        </form>
    }
}

/// Everything under the form.
#[component]
fn DashboardBody(dashboard: Dashboard, names: Names) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.locale();
    let filter = dashboard.filter;
    let Some(refreshed_at) = dashboard.refreshed_at else {
        return view! { <p class="notice" data-test="dashboard-not-yet">{move || i18n.t(Msg::DashNotYet)}</p> }.into_any();
    };
    let total = dashboard.total;
    let cards = Figure::ALL.into_iter().map(|figure| {
        let value = figure.of(&total);
        view! {
            <a class="stat" href=list_href(&filter, Scope::View, figure) data-test=format!("dash-total-{}", figure.name())>
                <span class="stat-value">{format_integer(locale, value as i64)}</span>
                <span class="stat-label">{move || i18n.t(figure.msg())}</span>
            </a>
        }
    }).collect_view();
    let trend: Vec<ChartRow> = dashboard
        .by_month
        .iter()
        .map(|row| ChartRow {
            label: month_key_label(locale, row.key),
            value: row.figures.received,
            part: row.figures.resolved,
        })
        .collect();
    let by_municipality = (!dashboard.by_municipality.is_empty()).then(|| {
        let names = names.clone();
        view! {
            <FigureTable title=Msg::AnalyticsByMunicipality test="dash-municipalities" filter rows=dashboard.by_municipality.clone()
                scope=Scope::Municipality
                label=move |key| municipality_label(&names, locale, key)
                drill_view=true
                keep_order=false />
        }
    });
    let department_names = names.clone();
    let theme_names = names.clone();
    let construction_names = names.clone();
    let constructions = dashboard.constructions;
    let construction_rows = dashboard.constructions_by_municipality.clone();
    let period = filter.period;
    view! {
        <p class="muted" data-test="dashboard-fresh">
            {move || i18n.t(Msg::DashFresh)} " " {format_datetime(locale, refreshed_at)}
            " · " {period_label(locale, &filter.period)}
        </p>
        <div class="stats" data-test="dashboard-totals">
            {cards}
            <div class="stat">
                <span class="stat-value">{hours(locale, total.median_hours)}</span>
                <span class="stat-label">{move || i18n.t(Msg::DashMedian)}</span>
            </div>
            <div class="stat">
                <span class="stat-value">{hours(locale, total.p90_hours)}</span>
                <span class="stat-label">{move || i18n.t(Msg::DashP90)}</span>
            </div>
        </div>
        <section class="stack" data-test="dashboard-trend">
            <h2>{move || i18n.t(Msg::DashTrend)}</h2>
            <BarChart rows=trend title=i18n.t(Msg::DashTrend) value_name=i18n.t(Msg::DashReceived) part_name=i18n.t(Msg::DashResolved) />
        </section>
        <FigureTable title=Msg::AnalyticsByMonth test="dash-months" filter rows=dashboard.by_month.clone()
            scope=|key| month_from_key(key).map_or(Scope::View, Scope::Month)
            label=move |key| month_key_label(locale, key)
            drill_view=false
            keep_order=true />
        {by_municipality}
        <FigureTable title=Msg::FilterDepartment test="dash-departments" filter rows=dashboard.by_department.clone()
            scope=Scope::Department
            label=move |key| department_label(&department_names, locale, key)
            drill_view=false
            keep_order=false />
        <FigureTable title=Msg::FilterTheme test="dash-themes" filter rows=dashboard.by_theme.clone()
            scope=Scope::Theme
            label=move |key| theme_label(&theme_names, locale, key)
            drill_view=false
            keep_order=false />
        <section class="stack" data-test="dash-constructions">
            <h2>{move || i18n.t(Msg::DashConstructionReports)}</h2>
            <div class="stats">
                <a class="stat" href=construction_href(&filter.period, filter.municipality_id.map(|id| id.0), false)>
                    <span class="stat-value">{format_integer(locale, constructions.reports as i64)}</span>
                    <span class="stat-label">{move || i18n.t(Msg::DashConstructionReports)}</span>
                </a>
                <a class="stat" data-test="dash-violations" href=construction_href(&filter.period, filter.municipality_id.map(|id| id.0), true)>
                    <span class="stat-value">{format_integer(locale, constructions.confirmed as i64)}</span>
                    <span class="stat-label">{move || i18n.t(Msg::DashViolations)}</span>
                </a>
            </div>
            {(!construction_rows.is_empty()).then(|| view! {
                <details>
                    <summary>{move || i18n.t(Msg::AnalyticsByMunicipality)}</summary>
                    <table class="data-table">
                        <thead><tr>
                            <th scope="col">{move || i18n.t(Msg::ColMunicipality)}</th>
                            <th scope="col">{move || i18n.t(Msg::DashConstructionReports)}</th>
                            <th scope="col">{move || i18n.t(Msg::DashViolations)}</th>
                        </tr></thead>
                        <tbody>
                            {construction_rows.iter().map(|row| {
                                let id = row.municipality_id.0;
                                view! {
                                    <tr>
                                        <th scope="row">{municipality_label(&construction_names, locale, id)}</th>
                                        <td class="number"><a href=construction_href(&period, Some(id), false)>{format_integer(locale, row.figures.reports as i64)}</a></td>
                                        <td class="number"><a href=construction_href(&period, Some(id), true)>{format_integer(locale, row.figures.confirmed as i64)}</a></td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </details>
            })}
        </section>
        <p class="muted">{move || i18n.t(Msg::DashLawmakingLater)}</p>
    }
    .into_any()
}

/// The priority ranks and the service ratings of the view, each linked to its page.
#[component]
fn RankSections(figures: RankFigures, names: Names, municipality: String) -> impl IntoView {
    let i18n = use_i18n();
    let area = if municipality.is_empty() {
        String::new()
    } else {
        format!("&municipality={municipality}")
    };
    let provisional_href = format!("/ranks?quarter={}", area);
    let published_href = figures
        .published_quarter
        .map(|quarter| format!("/ranks?quarter={}{area}", quarter_code(quarter)));
    let services_href = figures
        .services_month
        .map(|month| format!("/services?month={}", month_code(month)));
    let open_quarter = figures.open_quarter;
    let provisional = figures.provisional.clone();
    let voters = provisional.figures.map_or(0, |scope| scope.voters);
    let votes = provisional.figures.map_or(0, |scope| scope.votes);
    let priorities = figures.priorities.clone();
    let leaders = move |ranking: &ScopeRanking, test: &'static str| {
        let rows = ranking.leaders(LEADERS);
        if rows.is_empty() {
            return None;
        }
        let priorities = priorities.clone();
        Some(view! {
            <div class="table-wrap" tabindex="0">
            <table class="data-table" data-test=test>
                <thead><tr>
                    <th scope="col">{move || i18n.t(Msg::PriRank)}</th>
                    <th scope="col">{move || i18n.t(Msg::PriTitle)}</th>
                    <th scope="col" class="number">{move || i18n.t(Msg::DashVotes)}</th>
                    <th scope="col" class="number">{move || i18n.t(Msg::PriShare)}</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|standing| {
                        let title = priorities
                            .iter()
                            .find(|priority| priority.id == standing.priority)
                            .map(|priority| priority.title.clone())
                            .unwrap_or_default();
                        view! {
                            <tr data-test="dash-priority">
                                <td>{move || rank_text(i18n.locale(), standing.rank)}</td>
                                <td><a href=format!("/ranks/priority/{}", standing.priority)>{title}</a></td>
                                <td class="number">{move || format_integer(i18n.locale(), i64::from(standing.votes))}</td>
                                <td class="number">{move || percent(i18n.locale(), standing.share)}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            </div>
        })
    };
    let provisional_table = leaders(&provisional, "dash-provisional");
    let published_table = leaders(&figures.published, "dash-published");
    let published_quarter = figures.published_quarter;
    let services = figures.services.clone();
    let offerings = move |rows: Vec<StandingRow>, title: Msg, test: &'static str| {
        let services = services.clone();
        let names = names.clone();
        (!rows.is_empty()).then(|| view! {
            <div class="stack">
                <h3>{move || i18n.t(title)}</h3>
                <div class="table-wrap" tabindex="0">
                <table class="data-table" data-test=test>
                    <thead><tr>
                        <th scope="col">{move || i18n.t(Msg::PriRank)}</th>
                        <th scope="col">{move || i18n.t(Msg::SvcService)}</th>
                        <th scope="col">{move || i18n.t(Msg::SvcProvider)}</th>
                        <th scope="col" class="number">{move || i18n.t(Msg::SvcScore)}</th>
                    </tr></thead>
                    <tbody>
                        {rows.into_iter().map(|row| {
                            let service = services.iter().find(|service| service.id == row.service).cloned();
                            let names = names.clone();
                            let standing = row.standing;
                            view! {
                                <tr data-test="dash-offering">
                                    <td>{standing.rank_overall.map(|rank| rank.to_string()).unwrap_or_default()}</td>
                                    <td><a href=format!("/services/{}", row.service)>{move || service.as_ref().map(|service| service.name(i18n.locale()).to_string()).unwrap_or_default()}</a></td>
                                    <td>{move || names.department(row.department_id).map(|department| department.name(i18n.locale()).to_string()).unwrap_or_default()}</td>
                                    <td class="number">{move || format_decimal(i18n.locale(), standing.score, 2)}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
                </div>
            </div>
        })
    };
    let best = offerings(
        figures.best_offerings.clone(),
        Msg::DashBestRated,
        "dash-best-services",
    );
    let worst = offerings(
        figures.worst_offerings.clone(),
        Msg::DashWorstRated,
        "dash-worst-services",
    );
    let ranked_offerings = figures.ranked_offerings;
    let services_month = figures.services_month;
    view! {
        <section class="stack" data-test="dash-priorities">
            <h2>{move || i18n.t(Msg::DashPriorities)}</h2>
            <div class="stats">
                <a class="stat" href=provisional_href.clone() data-test="dash-voters">
                    <span class="stat-value">{move || format_integer(i18n.locale(), i64::from(voters))}</span>
                    <span class="stat-label">{move || format!("{} · {}", i18n.t(Msg::DashVoters), format_quarter(i18n.locale(), open_quarter))}</span>
                </a>
                <a class="stat" href=provisional_href.clone()>
                    <span class="stat-value">{move || format_integer(i18n.locale(), i64::from(votes))}</span>
                    <span class="stat-label">{move || i18n.t(Msg::DashVotes)}</span>
                </a>
            </div>
            <div class="columns">
                <div class="stack">
                    <h3><a href=provisional_href>{move || i18n.t(Msg::DashProvisional).replace("{quarter}", &format_quarter(i18n.locale(), open_quarter))}</a></h3>
                    {match provisional_table {
                        Some(table) => table.into_any(),
                        None => view! { <p class="muted">{move || i18n.t(Msg::DashNoVotesYet)}</p> }.into_any(),
                    }}
                </div>
                <div class="stack">
                    {match (published_quarter, published_href, published_table) {
                        (Some(quarter), Some(href), table) => view! {
                            <h3><a href=href>{move || i18n.t(Msg::DashPublished).replace("{quarter}", &format_quarter(i18n.locale(), quarter))}</a></h3>
                            {table}
                        }.into_any(),
                        _ => view! { <p class="muted">{move || i18n.t(Msg::DashNoResultsYet)}</p> }.into_any(),
                    }}
                </div>
            </div>
        </section>
        <section class="stack" data-test="dash-services">
            {match (services_month, services_href) {
                (Some(month), Some(href)) if ranked_offerings > 0 => view! {
                    <h2>{move || i18n.t(Msg::DashServices).replace("{month}", &format_month(i18n.locale(), month))}</h2>
                    <div class="stats">
                        <a class="stat" href=href.clone() data-test="dash-ranked-services">
                            <span class="stat-value">{move || format_integer(i18n.locale(), ranked_offerings as i64)}</span>
                            <span class="stat-label">{move || i18n.t(Msg::DashRankedOfferings)}</span>
                        </a>
                    </div>
                    <div class="columns">{best}{worst}</div>
                    <p><a href=href>{move || i18n.t(Msg::DashAllServiceRanks)}</a></p>
                }.into_any(),
                _ => view! {
                    <h2>{move || i18n.t(Msg::NavServices)}</h2>
                    <p class="muted">{move || i18n.t(Msg::DashNoServiceRanks)}</p>
                }.into_any(),
            }}
        </section>
    }
}

/// The construction reports list behind a figure (see [`construction_list`]).
fn construction_href(period: &Period, municipality: Option<u64>, violations: bool) -> String {
    let query = construction_list(period, municipality.map(MunicipalityId), violations);
    format!("/constructions/reports{}", query.to_query_string(1))
}

/// A breakdown as a table: one row per key, every count a link to its list.
#[component]
fn FigureTable(
    title: Msg,
    test: &'static str,
    filter: DashboardFilter,
    rows: Vec<FigureRow>,
    scope: fn(u64) -> Scope,
    label: impl Fn(u64) -> String + 'static,
    /// Whether the row's name opens that municipality's view.
    drill_view: bool,
    /// Whether the rows keep their order (months) instead of the most received first.
    keep_order: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.locale();
    let mut rows = rows;
    if !keep_order {
        rows.sort_by_key(|row| std::cmp::Reverse(row.figures.received));
    }
    view! {
        <section class="stack" data-test=test>
            <h2>{move || i18n.t(title)}</h2>
            <div class="table-wrap" tabindex="0">
                <table class="data-table">
                    <thead><tr>
                        <th scope="col">{move || i18n.t(title)}</th>
                        {Figure::ALL.into_iter().map(|figure| view! { <th scope="col">{move || i18n.t(figure.msg())}</th> }).collect_view()}
                        <th scope="col">{move || i18n.t(Msg::DashMedian)}</th>
                        <th scope="col">{move || i18n.t(Msg::DashP90)}</th>
                    </tr></thead>
                    <tbody>
                        {rows.into_iter().map(|row| {
                            let name = label(row.key);
                            let head = if drill_view {
                                view! { <a href=view_href(&filter.period, Some(row.key))>{name}</a> }.into_any()
                            } else {
                                name.into_any()
                            };
                            // The problems without a department yet have no list filter of their own.
                            let linked = row.key != 0;
                            view! {
                                <tr data-test=format!("{test}-{}", row.key)>
                                    <th scope="row">{head}</th>
                                    {Figure::ALL.into_iter().map(|figure| {
                                        let value = format_integer(locale, figure.of(&row.figures) as i64);
                                        let cell = if linked {
                                            view! { <a href=list_href(&filter, scope(row.key), figure) data-test=format!("drill-{}", figure.name())>{value}</a> }.into_any()
                                        } else {
                                            value.into_any()
                                        };
                                        view! { <td class="number">{cell}</td> }
                                    }).collect_view()}
                                    <td class="number">{hours(locale, row.figures.median_hours)}</td>
                                    <td class="number">{hours(locale, row.figures.p90_hours)}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}
