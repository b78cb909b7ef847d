//! Citizens' reports of illegal construction: the form, a report's page with its published
//! verification (and the verifying official's step forms), the public list, and the
//! officials' verification queue.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{A, Form};
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

use super::super::components::{ReportBadge, ReportCard};
use super::super::model::{
    DiffAspect, ReportAction, ReportDetail, ReportKind, ReportQuery, ReportStatus,
};
use super::super::server_fns::{
    ConstructionReportStep, SubmitConstructionReport, construction_report,
    construction_report_clusters, construction_reports, verification_queue,
};
use super::ConstructionNav;
use crate::auth::components::use_auth;
use crate::i18n::{Locale, Message as _, Msg, format_date, format_local_datetime, use_i18n};
use crate::organisation::components::{Names, names_resource};
use crate::photos::components::{PhotoGallery, PhotoPicker};
use crate::ui::errors::{ActionError, ErrorPage, FieldMessage, last_error, upload_error_text};
use crate::ui::map::{
    ClusterLabels, ExportLinks, ListMapTabs, MapMarker, MapView, viewport_cluster_markers,
    with_view,
};
use crate::ui::narrowed::{NarrowedNotice, days_part};
use crate::ui::pager::Pager;
use crate::ui::point_picker::PointPicker;
use platform::error::AppError;
use platform::geo::{LatLon, Viewport};

/// `/constructions/reports/new` (`?construction=ID` starts a "differs from the permit"
/// report about that entry).
#[component]
pub fn ReportConstructionPage() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let url = use_query_map();
    let preset = url.with_untracked(|map| map.get("construction").unwrap_or_default());
    let preset_empty = preset.is_empty();
    let preset = StoredValue::new(preset);
    let kind = RwSignal::new(if preset_empty {
        ReportKind::NotInRegistry
    } else {
        ReportKind::DiffersFromPermit
    });
    let submit = ServerAction::<SubmitConstructionReport>::new();
    let error = last_error(submit.value());
    let point = RwSignal::new(None::<LatLon>);
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(id)) = submit.value().get() {
            navigate(&format!("/constructions/reports/{id}"), Default::default());
        }
    });
    view! {
        <Title text=move || i18n.t(Msg::ReportConstruction) />
        <h1 class="page-title">{move || i18n.t(Msg::ReportConstruction)}</h1>
        <p class="lead">{move || i18n.t(Msg::ReportConstructionLead)}</p>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let signed_in = matches!(auth.user.await, Ok(Some(_)));
                if !signed_in {
                    return view! { <p class="notice" data-test="sign-in-to-report"><A href="/login">{move || i18n.t(Msg::SignInToReport)}</A></p> }.into_any();
                }
                view! {
                    <ActionForm action=submit attr:class="form stack" attr:data-test="construction-report-form">
                        <fieldset class="field">
                            <legend>{move || i18n.t(Msg::ReportKindLabel)}</legend>
                            {ReportKind::ALL.into_iter().map(|option| view! {
                                <label class="checkbox">
                                    <input type="radio" name="input[kind]" value=option.as_db()
                                        checked=move || kind.get() == option
                                        on:change=move |_| kind.set(option)
                                        data-test=format!("kind-{}", option.as_db()) />
                                    {move || i18n.t(option.msg())}
                                </label>
                            }).collect_view()}
                            <FieldMessage error field="kind" />
                        </fieldset>
                        <Show when=move || kind.get() == ReportKind::NotInRegistry>
                            <PointPicker point lat_name="input[lat]" lon_name="input[lon]" error />
                            <crate::ui::form::Field name="input[address]" label=Msg::Address error />
                        </Show>
                        <Show when=move || kind.get() == ReportKind::DiffersFromPermit>
                            <div class="field">
                                <label for="field-construction_id">{move || i18n.t(Msg::ReportEntryLabel)}</label>
                                <input id="field-construction_id" name="input[construction_id]" inputmode="numeric" value=preset.get_value() data-test="construction-id" />
                                <FieldMessage error field="construction_id" />
                            </div>
                            <div class="field">
                                <label for="field-aspect">{move || i18n.t(Msg::AspectLabel)}</label>
                                <select id="field-aspect" name="input[aspect]" data-test="aspect">
                                    {DiffAspect::ALL.into_iter().map(|aspect| view! {
                                        <option value=aspect.as_db()>{move || i18n.t(aspect.msg())}</option>
                                    }).collect_view()}
                                </select>
                                <FieldMessage error field="aspect" />
                            </div>
                        </Show>
                        <div class="field">
                            <label for="field-input-description">{move || i18n.t(Msg::ProblemDescription)}</label>
                            <textarea id="field-input-description" name="input[description]" rows="5" required=true data-test="description"></textarea>
                            <FieldMessage error field="description" />
                        </div>
                        <PhotoPicker name="input[photos]" />
                        <FieldMessage error field="photos" />
                        <ActionError error />
                        <div class="form-actions">
                            <button type="submit" class="primary" data-test="submit-construction-report" disabled=move || submit.pending().get()>{move || i18n.t(Msg::SubmitProblem)}</button>
                        </div>
                    </ActionForm>
                }.into_any()
            })}
        </Transition>
    }
}

/// `/constructions/reports/:id`.
#[component]
pub fn ConstructionReportPage() -> impl IntoView {
    let params = use_params_map();
    let step = ServerAction::<ConstructionReportStep>::new();
    let names = names_resource();
    let report = Resource::new(
        move || {
            (
                params.with(|p| p.get("id").unwrap_or_default()),
                step.version().get(),
            )
        },
        |(id, _)| construction_report(id),
    );
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let names = names.await;
                match report.await {
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                    Ok(detail) => view! { <ReportView detail names step /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ReportView(
    detail: ReportDetail,
    names: Names,
    step: ServerAction<ConstructionReportStep>,
) -> impl IntoView {
    let i18n = use_i18n();
    let summary = detail.summary.clone();
    let id = summary.id;
    let marker = Signal::derive({
        let point = summary.point;
        move || vec![MapMarker::new(point, format!("№ {id}"))]
    });
    let municipality = {
        let names = names.clone();
        move || names.municipality(summary.municipality_id, i18n.locale())
    };
    let department = names.department(detail.department_id).cloned();
    let status = summary.status;
    let entry = summary.construction.clone();
    let verified_on = summary.verified_on;
    let findings = detail.findings.clone();
    let measures = detail.measures.clone();
    let act_url = detail.act_url.clone();
    let illegal_entry = detail.illegal_entry.clone();
    let has_result = status.has_result();
    let verification_photos = detail.verification_photos.clone();
    let actions = detail.actions.clone();
    view! {
        <Title text=move || format!("{} {id}", i18n.t(Msg::ReportNumber)) />
        <ConstructionNav />
        <article class="stack" data-test="construction-report">
            <div class="page-head row">
                <h1 class="page-title">{move || format!("{} {id}", i18n.t(Msg::ReportNumber))}</h1>
                <ReportBadge status />
            </div>
            <p>
                <strong>{move || i18n.t(summary.kind.msg())}</strong>
                {summary.aspect.map(|aspect| view! { " · " {move || i18n.t(aspect.msg())} })}
                {entry.map(|(id, number)| view! { " · " <A href=format!("/constructions/{id}")>{number}</A> })}
            </p>
            <p class="muted">
                {municipality} " · " {summary.address.clone()} " · "
                {move || format_local_datetime(i18n.locale(), summary.created_at)} " · " {detail.author_name.clone()}
            </p>
            {department.map(|d| view! { <p>{move || i18n.t(Msg::FilterDepartment)} ": " <A href=format!("/departments/{}", d.slug)>{d.name(i18n.locale()).to_string()}</A></p> })}
            <p class="prose" data-test="report-description">{detail.description.clone()}</p>
            <h2>{move || i18n.t(Msg::ReporterPhotos)}</h2>
            <PhotoGallery photos=detail.photos.clone() />
            <MapView markers=marker label=Signal::derive(move || i18n.t(Msg::ViewMap).to_string()) />
            {has_result.then(|| view! {
                <section class="card stack verification" data-test="verification-result">
                    <h2>{move || i18n.t(Msg::VerificationResult)}</h2>
                    <ReportBadge status />
                    {verified_on.map(|date| view! { <p>{move || i18n.t(Msg::VerifiedOn)} ": " {move || format_date(i18n.locale(), date)}</p> })}
                    {findings.clone().map(|text| view! { <h3>{move || i18n.t(Msg::Findings)}</h3><p class="prose" data-test="findings">{text}</p> })}
                    {measures.clone().map(|text| view! { <h3>{move || i18n.t(Msg::MeasuresTaken)}</h3><p class="prose" data-test="measures">{text}</p> })}
                    {act_url.clone().map(|href| view! { <p><a href=href data-test="act-link">{move || i18n.t(Msg::InspectionAct)}</a></p> })}
                    {illegal_entry.clone().map(|(entry, number)| view! {
                        <p data-test="illegal-entry">{move || i18n.t(Msg::IllegalEntered)} " "
                            <A href=format!("/constructions/illegal/{entry}") attr:data-test="illegal-entry-link">{number}</A>
                        </p>
                    })}
                    {(!verification_photos.is_empty()).then(|| view! {
                        <h3>{move || i18n.t(Msg::InspectionPhotos)}</h3>
                        <PhotoGallery photos=verification_photos.clone() />
                    })}
                </section>
            })}
            {(!actions.is_empty()).then(|| view! { <StepForms id=id.to_string() actions step /> })}
            <section class="stack">
                <h2>{move || i18n.t(Msg::HistoryTitle)}</h2>
                <ol class="timeline" data-test="report-events">
                    {detail.events.into_iter().map(|event| view! {
                        <li>
                            <ReportBadge status=event.status />
                            " " {move || format_local_datetime(i18n.locale(), event.at)}
                            " " {event.actor_name.clone().unwrap_or_default()}
                            {event.body.clone().map(|body| view! { <p class="prose">{body}</p> })}
                        </li>
                    }).collect_view()}
                </ol>
            </section>
        </article>
    }
}

/// The verifying official's step forms.
#[component]
fn StepForms(
    id: String,
    actions: Vec<ReportAction>,
    step: ServerAction<ConstructionReportStep>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = last_error(step.value());
    view! {
        <section class="card stack" data-test="report-steps">
            {actions.into_iter().map(|action| {
                let id = id.clone();
                let report = id.clone();
                let verdict = action.is_verdict();
                let needs_text = action != ReportAction::StartVerification;
                let text_label = if action == ReportAction::TakeMeasures { Msg::MeasuresTaken } else { Msg::Findings };
                view! {
                    <ActionForm action=step attr:class="form stack" attr:data-test=format!("step-{}", action.as_db())>
                        <input type="hidden" name="id" value=id />
                        <input type="hidden" name="action" value=action.as_db() />
                        {verdict.then(|| view! {
                            <div class="field">
                                <label for=format!("verified-on-{}", action.as_db())>{move || i18n.t(Msg::VerifiedOn)}</label>
                                <input id=format!("verified-on-{}", action.as_db()) type="date" name="input[verified_on]" required=true data-test="verified-on" />
                                <FieldMessage error field="verified_on" />
                            </div>
                        })}
                        {needs_text.then(|| view! {
                            <div class="field">
                                <label for=format!("text-{}", action.as_db())>{move || i18n.t(text_label)}</label>
                                <textarea id=format!("text-{}", action.as_db()) name="input[text]" rows="4" required=true data-test="step-text"></textarea>
                                {(action == ReportAction::TakeMeasures).then(|| view! { <p class="field-hint">{move || i18n.t(Msg::MeasuresHint)}</p> })}
                                <FieldMessage error field="text" />
                            </div>
                        })}
                        {verdict.then(|| view! {
                            <PhotoPicker name="input[photos]" />
                            <FieldMessage error field="photos" />
                            <ActPicker report=report.clone() step_error=error />
                        })}
                        <button type="submit" class="primary" data-test=format!("do-{}", action.as_db()) disabled=move || step.pending().get()>
                            {move || i18n.t(action.msg())}
                        </button>
                    </ActionForm>
                }
            }).collect_view()}
            <ActionError error status_name=ReportStatus::stored_name />
        </section>
    }
}

/// A file input that uploads the inspection act (PDF) of `report` and submits its handle
/// as `input[act]`. It shows its own upload's error, and the step's error about the act
/// (`step_error`) when the verdict was refused for it.
#[component]
fn ActPicker(report: String, step_error: Signal<Option<AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    let handle = RwSignal::new(String::new());
    let error = RwSignal::new(None::<AppError>);
    let on_change = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let file = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                .and_then(|input| input.files())
                .and_then(|files| files.get(0));
            let Some(file) = file else { return };
            error.set(None);
            let url = format!("/api/v1/constructions/acts?report={report}");
            leptos::task::spawn_local(async move {
                let posted = crate::ui::upload::post_file::<String>(&url, "act", file).await;
                match posted {
                    Ok(uploaded) => handle.set(uploaded),
                    Err(refused) => error.set(Some(refused)),
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, &report, handle, error);
    };
    let message = move || {
        error
            .get()
            .map(|error| upload_error_text(&error, "act", i18n.locale()))
    };
    view! {
        <div class="field">
            <label>{move || i18n.t(Msg::AttachAct)}
                <input type="file" accept="application/pdf" on:change=on_change data-test="act-input" />
            </label>
            <input type="hidden" name="input[act]" prop:value=move || handle.get() />
            <Show when=move || !handle.get().is_empty()>
                <p class="field-hint" data-test="act-attached">{move || i18n.t(Msg::ActAttached)}</p>
            </Show>
            {move || message().map(|text| view! { <p class="field-error" role="alert">{text}</p> })}
            <FieldMessage error=step_error field="act" />
        </div>
    }
}

/// `/constructions/reports`: every report, newest first, as a table or with `?view=map` on
/// the map; the status tabs, `?municipality=` and the days submitted (`?from=&to=`, the
/// dashboard's links) filter both, and the filter form sets them.
#[component]
pub fn ConstructionReportsPage() -> impl IntoView {
    let i18n = use_i18n();
    let url = use_query_map();
    let names = names_resource();
    let query = Memo::new(move |_| {
        url.with(|map| {
            let value = |key: &str| map.get(key).unwrap_or_default();
            ReportQuery {
                status: value("status"),
                violations: value("violations"),
                municipality: value("municipality"),
                from: value("from"),
                to: value("to"),
                page: value("page"),
            }
        })
    });
    let map_view = Memo::new(move |_| url.with(|map| map.get("view").as_deref() == Some("map")));
    let list = Resource::new(
        move || (query.get(), map_view.get()),
        |(query, map_view)| async move {
            if map_view {
                None
            } else {
                Some(construction_reports(query).await)
            }
        },
    );
    let viewport = RwSignal::new(None::<Viewport>);
    let markers = viewport_cluster_markers(
        viewport,
        Signal::derive(move || query.get()),
        |query, view| {
            construction_report_clusters(
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
            href: |id| format!("{REPORTS_PATH}/{id}"),
            noun: Msg::ConstructionReportsTitle,
        },
    );
    let filters = Signal::derive(move || query.get().to_query_string(1));
    // A status tab keeps the place, the period and the view a link narrowed the list to;
    // it replaces the narrowing to confirmed violations, which is a choice of statuses
    // itself.
    let status_href = move |status: &str| {
        let query = ReportQuery {
            status: status.to_string(),
            violations: String::new(),
            ..query.get()
        };
        with_view(REPORTS_PATH, &query.to_query_string(1), map_view.get())
    };
    let is_current = move |status: &str| query.with(|query| query.status.trim() == status);
    view! {
        <Title text=move || i18n.t(Msg::ConstructionReportsTitle) />
        <h1 class="page-title">{move || i18n.t(Msg::ConstructionReportsTitle)}</h1>
        <ConstructionNav />
        <nav class="row tabs" aria-label=move || i18n.t(Msg::FilterStatus)>
            <a href=move || status_href("") aria-current=move || is_current("").then_some("page")>{move || i18n.t(Msg::FilterAny)}</a>
            {ReportStatus::ALL.into_iter().map(|option| view! {
                <a href=move || status_href(option.as_db()) aria-current=move || is_current(option.as_db()).then_some("page")>
                    {move || i18n.t(option.msg())}
                </a>
            }).collect_view()}
        </nav>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let names = names.await;
                view! { <ReportFilters names query=query.get_untracked() map_view=map_view.get_untracked() /> }
            })}
        </Transition>
        <div class="row">
            <ListMapTabs path=REPORTS_PATH filters map_view label=Msg::ConstructionReportsTitle />
            <ExportLinks stem="/constructions/reports/export" filters />
        </div>
        <Show when=move || map_view.get()>
            <MapView markers viewport label=Signal::derive(move || i18n.t(Msg::ConstructionReportsTitle).to_string()) />
        </Show>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let names = names.await;
                let query = query.get_untracked();
                match list.await {
                    None => ().into_any(),
                    Some(Err(error)) => view! { <ErrorPage error /> }.into_any(),
                    Some(Ok((rows, more))) => {
                        let current = query.page();
                        let link = |page: u32| format!("{REPORTS_PATH}{}", query.to_query_string(page));
                        let previous = (current > 1).then(|| link(current - 1));
                        let next = more.then(|| link(current + 1));
                        let notice = narrowing(&query, &names, i18n.locale()).map(|parts| {
                            let reset = ReportQuery { status: query.status.clone(), ..ReportQuery::default() };
                            view! { <NarrowedNotice parts reset=format!("{REPORTS_PATH}{}", reset.to_query_string(1)) /> }
                        });
                        view! {
                            {notice}
                            {rows.is_empty().then(|| view! { <p class="notice">{move || i18n.t(Msg::NoConstructionReports)}</p> })}
                            <div class="table-wrap">
                                <table class="data-table" data-test="construction-reports">
                                    <thead>
                                        <tr>
                                            <th scope="col">{move || i18n.t(Msg::ReportNumber)}</th>
                                            <th scope="col">{move || i18n.t(Msg::ColReportKind)}</th>
                                            <th scope="col">{move || i18n.t(Msg::ColMunicipality)}</th>
                                            <th scope="col">{move || i18n.t(Msg::ColSubmitted)}</th>
                                            <th scope="col">{move || i18n.t(Msg::ColStatus)}</th>
                                            <th scope="col">{move || i18n.t(Msg::VerificationResult)}</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {rows.into_iter().map(|report| {
                                            let names = names.clone();
                                            let municipality = move || names.municipality(report.municipality_id, i18n.locale());
                                            let aspect = report.aspect;
                                            let entry = report.construction.clone();
                                            view! {
                                                <tr data-test="report-row">
                                                    <td><A href=format!("{REPORTS_PATH}/{}", report.id)>{report.id.to_string()}</A></td>
                                                    <td>
                                                        {move || i18n.t(report.kind.msg())}
                                                        {aspect.map(|aspect| view! { " · " {move || i18n.t(aspect.msg())} })}
                                                        {entry.map(|(id, number)| view! { <br /><A href=format!("/constructions/{id}")>{number}</A> })}
                                                        <br /><span class="muted">{report.address.clone()}</span>
                                                    </td>
                                                    <td>{municipality}</td>
                                                    <td>{move || format_local_datetime(i18n.locale(), report.created_at)}</td>
                                                    <td><ReportBadge status=report.status /></td>
                                                    <td>
                                                        {report.verified_on.map(|date| view! { {move || format_date(i18n.locale(), date)} <br /> })}
                                                        <span class="muted">{report.findings.clone().unwrap_or_default()}</span>
                                                    </td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            <Pager page=current previous next />
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// The reports list's path.
const REPORTS_PATH: &str = "/constructions/reports";

/// The reports' filter form: the municipality and the days submitted, a GET form keeping
/// the status tab and the view, so the filters live in the URL.
#[component]
fn ReportFilters(names: Names, query: ReportQuery, map_view: bool) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.locale();
    let municipalities: Vec<(String, String)> = names
        .municipalities
        .iter()
        .map(|m| (m.id.to_string(), m.name(locale).to_string()))
        .collect();
    let in_use = [&query.municipality, &query.from, &query.to]
        .iter()
        .any(|value| !value.trim().is_empty());
    let selected = query.municipality.clone();
    view! {
        <details class="filters-box" open=in_use data-test="filters-box">
            <summary>{move || i18n.t(Msg::FiltersAndSort)}</summary>
            <Form method="GET" action=REPORTS_PATH attr:class="filters" attr:data-test="report-filters">
                <div class="field">
                    <label for="report-filter-municipality">{move || i18n.t(Msg::FilterMunicipality)}</label>
                    <select id="report-filter-municipality" name="municipality" data-test="filter-municipality">
                        <option value="">{move || i18n.t(Msg::FilterAny)}</option>
                        {municipalities.into_iter().map(|(value, text)| {
                            let is_selected = value == selected;
                            view! { <option value=value selected=is_selected>{text}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="report-filter-from">{move || i18n.t(Msg::FilterSubmittedFrom)}</label>
                    <input id="report-filter-from" name="from" type="date" value=query.from.clone() data-test="filter-from" />
                </div>
                <div class="field">
                    <label for="report-filter-to">{move || i18n.t(Msg::FilterSubmittedTo)}</label>
                    <input id="report-filter-to" name="to" type="date" value=query.to.clone() data-test="filter-to" />
                </div>
                {(!query.status.is_empty()).then(|| view! { <input type="hidden" name="status" value=query.status.clone() /> })}
                {(!query.violations.is_empty()).then(|| view! { <input type="hidden" name="violations" value=query.violations.clone() /> })}
                {map_view.then(|| view! { <input type="hidden" name="view" value="map" /> })}
                <button type="submit" class="secondary" data-test="filter-apply">{move || i18n.t(Msg::FilterApply)}</button>
            </Form>
        </details>
    }
}

/// What beyond its status tabs `query` narrows the list to (a dashboard's link: a
/// municipality and the days submitted), `None` if nothing.
fn narrowing(query: &ReportQuery, names: &Names, locale: Locale) -> Option<Vec<String>> {
    let filter = query.filter();
    let mut parts = Vec::new();
    if let Some(id) = filter.municipality_id {
        parts.push(names.municipality(id, locale));
    }
    if filter.violations {
        parts.push(Msg::DrillViolations.text(locale).to_string());
    }
    parts.extend(days_part(
        locale,
        Msg::DrillSubmitted.text(locale),
        filter.submitted,
    ));
    (!parts.is_empty()).then_some(parts)
}

/// `/manage/verification`: the reports the official's departments must verify or act on.
#[component]
pub fn VerificationQueuePage() -> impl IntoView {
    let i18n = use_i18n();
    let names = names_resource();
    let queue = Resource::new(|| (), |_| verification_queue());
    view! {
        <Title text=move || i18n.t(Msg::VerificationQueueTitle) />
        <h1 class="page-title">{move || i18n.t(Msg::VerificationQueueTitle)}</h1>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let names = names.await;
                match queue.await {
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                    Ok(rows) if rows.is_empty() => view! { <p class="notice">{move || i18n.t(Msg::NoVerificationWork)}</p> }.into_any(),
                    Ok(rows) => view! {
                        <ul class="problem-list" data-test="verification-queue">
                            {rows.into_iter().map(|report| view! { <ReportCard report names=names.clone() /> }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}
