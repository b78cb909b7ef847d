//! A registry entry's page (data, map, reports with their inspection results, history)
//! and the officials' form to add or edit an entry.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};

use super::super::components::{ChangeList, ConstructionBadge, ReportCard, date_or_dash};
use super::super::model::{ConstructionDetail, ConstructionInput, ConstructionStatus, Footprint};
use super::super::server_fns::{SaveConstruction, get_construction};
use super::ConstructionNav;
use crate::i18n::{Msg, format_date, format_decimal, use_i18n};
use crate::organisation::components::{Names, names_resource};
use crate::ui::errors::{ActionError, ErrorPage, FieldMessage, last_error};
use crate::ui::form::Field;
use crate::ui::map::{MapMarker, MapShape, MapView};
use crate::ui::point_picker::PointPicker;
use platform::geo::LatLon;

/// `/constructions/:id`.
#[component]
pub fn ConstructionPage() -> impl IntoView {
    let params = use_params_map();
    let names = names_resource();
    let detail = Resource::new(
        move || params.with(|p| p.get("id").unwrap_or_default()),
        get_construction,
    );
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let names = names.await;
                match detail.await {
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                    Ok(detail) => view! { <ConstructionView detail names /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ConstructionView(detail: ConstructionDetail, names: Names) -> impl IntoView {
    let i18n = use_i18n();
    let fields = detail.fields.clone();
    let id = detail.id;
    let title = format!("{} · {}", fields.registry_number, fields.object_name);
    let marker = Signal::derive({
        let point = fields.point;
        let name = fields.object_name.clone();
        move || vec![MapMarker::new(point, name.clone())]
    });
    let outline = Signal::derive({
        let footprint = fields.footprint.clone();
        move || {
            footprint
                .iter()
                .map(|footprint| {
                    MapShape::outline(footprint.vertices().to_vec(), i18n.t(Msg::FootprintTitle))
                })
                .collect::<Vec<_>>()
        }
    });
    let municipality = {
        let names = names.clone();
        let id = fields.municipality_id;
        move || names.municipality(id, i18n.locale())
    };
    let f = fields.clone();
    let rows: Vec<(Msg, Box<dyn Fn() -> String + Send + Sync>)> = vec![
        (
            Msg::ColRegistryNumber,
            Box::new({
                let v = f.registry_number.clone();
                move || v.clone()
            }),
        ),
        (
            Msg::ColAddress,
            Box::new({
                let v = f.address.clone();
                move || v.clone()
            }),
        ),
        (Msg::ColMunicipality, Box::new(municipality)),
        (
            Msg::ColDeveloper,
            Box::new({
                let v = f.developer_name.clone();
                move || v.clone()
            }),
        ),
        (
            Msg::ColInn,
            Box::new({
                let v = f.developer_inn.clone();
                move || v.clone()
            }),
        ),
        (
            Msg::ColPermitNumber,
            Box::new({
                let v = f.permit_number.clone();
                move || v.clone()
            }),
        ),
        (
            Msg::ColPermitDate,
            Box::new(move || format_date(i18n.locale(), f.permit_date)),
        ),
        (
            Msg::ColPermitIssuer,
            Box::new({
                let v = fields.permit_issuer.clone();
                move || v.clone()
            }),
        ),
        (
            Msg::ColPermittedUse,
            Box::new({
                let v = fields.permitted_use.clone();
                move || v.clone()
            }),
        ),
        (
            Msg::ColFloors,
            Box::new(move || {
                fields
                    .floors
                    .map(|v| v.to_string())
                    .unwrap_or_else(|| "—".into())
            }),
        ),
        (
            Msg::ColArea,
            Box::new(move || {
                fields
                    .total_area_m2
                    .map(|v| format_decimal(i18n.locale(), v, 1))
                    .unwrap_or_else(|| "—".into())
            }),
        ),
        (
            Msg::ColPlannedCompletion,
            Box::new(move || date_or_dash(i18n.locale(), fields.planned_completion)),
        ),
    ];
    let reports = detail.reports.clone();
    let no_reports = reports.is_empty();
    let report_names = names.clone();
    view! {
        <Title text=title.clone() />
        <ConstructionNav />
        <article class="stack" data-test="construction">
            <div class="page-head row">
                <h1 class="page-title" data-test="construction-title">{fields.object_name.clone()}</h1>
                <ConstructionBadge status=fields.status />
            </div>
            <div class="row">
                <A href=format!("/constructions/reports/new?construction={id}") attr:class="button primary" attr:data-test="report-differs">{move || i18n.t(Msg::ReportDiffers)}</A>
                {detail.can_edit.then(|| view! {
                    <A href=format!("/constructions/{id}/edit") attr:class="button secondary" attr:data-test="edit-construction">{move || i18n.t(Msg::EditConstruction)}</A>
                })}
            </div>
            <dl class="facts" data-test="construction-facts">
                {rows.into_iter().map(|(label, value)| view! {
                    <dt>{move || i18n.t(label)}</dt><dd>{value}</dd>
                }).collect_view()}
            </dl>
            <MapView markers=marker shapes=outline label=Signal::derive(move || i18n.t(Msg::ViewMap).to_string()) />
            {fields.footprint.as_ref().map(|footprint| view! {
                <details data-test="footprint">
                    <summary>{move || i18n.t(Msg::FootprintTitle)} " (GeoJSON)"</summary>
                    <pre class="geojson">{footprint.to_geojson()}</pre>
                </details>
            })}
            <section class="stack">
                <h2>{move || i18n.t(Msg::ReportsOnEntry)}</h2>
                {no_reports.then(|| view! { <p class="muted">{move || i18n.t(Msg::NoReportsOnEntry)}</p> })}
                <ul class="problem-list" data-test="entry-reports">
                    {reports.into_iter().map(|report| view! { <ReportCard report names=report_names.clone() /> }).collect_view()}
                </ul>
            </section>
            <section class="stack">
                <h2>{move || i18n.t(Msg::HistoryTitle)}</h2>
                <ChangeList entries=detail.history.clone() />
            </section>
        </article>
    }
}

/// `/constructions/new` and `/constructions/:id/edit`: the officials' form.
#[component]
pub fn ConstructionEditPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let names = names_resource();
    let existing = Resource::new(
        move || id.get(),
        |id| async move {
            if id.is_empty() {
                Ok(None)
            } else {
                get_construction(id).await.map(Some)
            }
        },
    );
    let save = ServerAction::<SaveConstruction>::new();
    let error = last_error(save.value());
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(saved)) = save.value().get() {
            navigate(&format!("/constructions/{saved}"), Default::default());
        }
    });
    view! {
        <Title text=move || i18n.t(Msg::EditConstruction) />
        <h1 class="page-title">{move || if id.get().is_empty() { i18n.t(Msg::AddConstruction) } else { i18n.t(Msg::EditConstruction) }}</h1>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let names = names.await;
                match existing.await {
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                    Ok(detail) => {
                        let input = detail.as_ref().map(|d| ConstructionInput::from_fields(&d.fields)).unwrap_or_default();
                        let start = detail.as_ref().map(|d| d.fields.point);
                        view! { <ConstructionForm id=id.get_untracked() input start names save error /> }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
fn ConstructionForm(
    id: String,
    input: ConstructionInput,
    start: Option<LatLon>,
    names: Names,
    save: ServerAction<SaveConstruction>,
    error: Signal<Option<platform::error::AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let point = RwSignal::new(start);
    let locale = i18n.locale();
    // The outline as typed, drawn on the map as soon as it reads as one.
    let footprint_text = RwSignal::new(input.footprint.clone());
    let outline = Signal::derive(move || {
        footprint_text
            .with(|text| Footprint::parse(text).ok())
            .map_or_else(Vec::new, |footprint| {
                vec![MapShape::outline(
                    footprint.vertices().to_vec(),
                    i18n.t(Msg::FootprintTitle),
                )]
            })
    });
    let selected_municipality = input.municipality_id.clone();
    let selected_status = input.status.clone();
    view! {
        <ActionForm action=save attr:class="form stack" attr:data-test="construction-form">
            <input type="hidden" name="id" value=id />
            <Field name="input[registry_number]" label=Msg::ColRegistryNumber error required=true value=input.registry_number.clone() />
            <Field name="input[object_name]" label=Msg::ColObject error required=true value=input.object_name.clone() />
            <Field name="input[address]" label=Msg::ColAddress error required=true value=input.address.clone() />
            <PointPicker point lat_name="input[lat]" lon_name="input[lon]" error shapes=outline />
            <div class="field">
                <label for="field-footprint">{move || i18n.t(Msg::FootprintTitle)}</label>
                <p class="field-hint" id="field-footprint-hint">{move || i18n.t(Msg::FootprintHint)}</p>
                <textarea id="field-footprint" name="input[footprint]" rows="4" spellcheck="false"
                    aria-describedby="field-footprint-hint" data-test="footprint-input"
                    prop:value=move || footprint_text.get()
                    on:input=move |ev| footprint_text.set(event_target_value(&ev))>{input.footprint.clone()}</textarea>
                <FieldMessage error field="footprint" />
            </div>
            <div class="field">
                <label for="field-municipality_id">{move || i18n.t(Msg::ColMunicipality)}</label>
                <select id="field-municipality_id" name="input[municipality_id]" required=true>
                    <option value="">"—"</option>
                    {names.municipalities.iter().map(|m| {
                        let value = m.id.to_string();
                        let is_selected = value == selected_municipality;
                        view! { <option value=value selected=is_selected>{m.name(locale).to_string()}</option> }
                    }).collect_view()}
                </select>
                <FieldMessage error field="municipality_id" />
            </div>
            <Field name="input[developer_name]" label=Msg::ColDeveloper error required=true value=input.developer_name.clone() />
            <Field name="input[developer_inn]" label=Msg::ColInn error required=true value=input.developer_inn.clone() />
            <Field name="input[permit_number]" label=Msg::ColPermitNumber error required=true value=input.permit_number.clone() />
            <Field name="input[permit_date]" label=Msg::ColPermitDate kind="date" error required=true value=input.permit_date.clone() />
            <Field name="input[permit_issuer]" label=Msg::ColPermitIssuer error required=true value=input.permit_issuer.clone() />
            <Field name="input[permitted_use]" label=Msg::ColPermittedUse error required=true value=input.permitted_use.clone() />
            <Field name="input[floors]" label=Msg::ColFloors error value=input.floors.clone() />
            <Field name="input[total_area]" label=Msg::ColArea error value=input.total_area.clone() />
            <Field name="input[planned_completion]" label=Msg::ColPlannedCompletion kind="date" error value=input.planned_completion.clone() />
            <div class="field">
                <label for="field-status">{move || i18n.t(Msg::ColStatus)}</label>
                <select id="field-status" name="input[status]">
                    {ConstructionStatus::ALL.into_iter().map(|status| {
                        let is_selected = status.as_db() == selected_status;
                        view! { <option value=status.as_db() selected=is_selected>{move || i18n.t(status.msg())}</option> }
                    }).collect_view()}
                </select>
                <FieldMessage error field="status" />
            </div>
            <ActionError error />
            <div class="form-actions">
                <button type="submit" class="primary" data-test="save-construction" disabled=move || save.pending().get()>{move || i18n.t(Msg::SaveConstruction)}</button>
            </div>
        </ActionForm>
    }
}
