//! `/manage/services`: moderators keep the catalogue of services and their providers, by
//! hand or from a spreadsheet.

use leptos::prelude::*;
use leptos_meta::Title;

use super::level_msg;
use crate::auth::components::RequireRole;
use crate::auth::model::MODERATORS;
use crate::i18n::{Locale, Message as _, Msg, error_code_text, error_text, use_i18n};
use crate::organisation::model::DepartmentLevel;
use crate::organisation::server_fns::list_departments;
use crate::services::model::{GovService, ImportPlace, ImportSummary};
use crate::services::server_fns::{AddOffering, SaveService, SetOfferingActive, load_services};
use crate::ui::errors::{ActionError, FieldMessage, last_error};
use crate::ui::form::{Field, SelectField};
use crate::ui::table::TableHead;
use platform::error::{AppError, FieldError};

/// `/manage/services`.
#[component]
pub fn ManageServicesPage() -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveService>::new();
    let add = ServerAction::<AddOffering>::new();
    let toggle = ServerAction::<SetOfferingActive>::new();
    let error = last_error(save.value());
    let add_error = last_error(add.value());
    let toggle_error = last_error(toggle.value());
    let imported = RwSignal::new(0_u32);
    let catalogue = Resource::new(
        move || {
            (
                save.version().get(),
                add.version().get(),
                toggle.version().get(),
                imported.get(),
            )
        },
        |_| load_services(String::new()),
    );
    let departments = Resource::new(|| (), |_| list_departments());
    let editing = RwSignal::new(None::<GovService>);
    Effect::new(move |_| {
        if let Some(Ok(())) = save.value().get() {
            editing.set(None);
        }
    });
    let levels = Signal::derive(move || {
        [DepartmentLevel::Regional, DepartmentLevel::Municipal]
            .map(|level| {
                (
                    level.as_db().to_string(),
                    i18n.t(level_msg(level)).to_string(),
                )
            })
            .to_vec()
    });
    // Resources are created here, outside the gate: created inside its async branch they
    // would not match their server-rendered values when the page hydrates.
    view! {
        <RequireRole roles=MODERATORS>
            <Title text=move || i18n.t(Msg::ManageServices) />
            <h1 class="page-title">{move || i18n.t(Msg::ManageServices)}</h1>
            {move || {
                let current = editing.get();
                let value = move |f: fn(&GovService) -> String| current.as_ref().map(f).unwrap_or_default();
                let active = editing.with(|service| service.as_ref().is_none_or(|service| service.is_active));
                view! {
                    <ActionForm action=save attr:class="form stack" attr:data-test="service-form">
                        <h2>{move || i18n.t(if editing.with(Option::is_some) { Msg::SvcEditService } else { Msg::SvcNewService })}</h2>
                        <ActionError error />
                        <input type="hidden" name="id" value=value(|s| s.id.to_string()) />
                        <Field name="input[slug]" label=Msg::Slug hint=Msg::SlugHint required=true error value=value(|s| s.slug.clone()) />
                        <Field name="input[name_ru]" label=Msg::NameRu required=true error value=value(|s| s.name_ru.clone()) />
                        <Field name="input[name_en]" label=Msg::NameEn required=true error value=value(|s| s.name_en.clone()) />
                        <Field name="input[description_ru]" label=Msg::DescriptionRu error value=value(|s| s.description_ru.clone()) />
                        <Field name="input[description_en]" label=Msg::DescriptionEn error value=value(|s| s.description_en.clone()) />
                        <SelectField name="input[level]" label=Msg::Level error options=levels required=true selected=value(|s| s.level.as_db().to_string()) />
                        <div class="field">
                            <label>
                                <input type="checkbox" name="input[is_active]" checked=active />
                                <span>{move || i18n.t(Msg::SvcOpenForRating)}</span>
                            </label>
                        </div>
                        <div class="form-actions">
                            <button type="submit" class="primary" data-test="submit">{move || i18n.t(Msg::Save)}</button>
                            <button type="button" class="secondary" on:click=move |_| editing.set(None)>{move || i18n.t(Msg::Cancel)}</button>
                        </div>
                    </ActionForm>
                }
            }}
            <CatalogueImport imported />
            <ActionError error=add_error />
            <FieldMessage error=add_error field="department" />
            <ActionError error=toggle_error />
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let departments = departments.await.unwrap_or_default();
                    catalogue.await.map(|overview| view! {
                        <div class="table-wrap" tabindex="0">
                            <table class="data-table" data-test="services-table">
                                <TableHead columns=&[Msg::Name, Msg::Level, Msg::SvcProviders] actions=true />
                                <tbody>
                                    {overview.services.into_iter().map(|service| {
                                        let edit = service.clone();
                                        let shown = service.clone();
                                        let offered: Vec<_> = service.offerings.iter().map(|offering| offering.department_id).collect();
                                        let candidates: Vec<(String, String, String)> = departments.iter()
                                            .filter(|department| department.is_active && department.level == service.level && !offered.contains(&department.id))
                                            .map(|department| (department.id.to_string(), department.name_ru.clone(), department.name_en.clone()))
                                            .collect();
                                        let candidate_options = Signal::derive(move || candidates.iter().map(|(id, ru, en)| (id.clone(), i18n.locale().pick(ru, en).clone())).collect::<Vec<_>>());
                                        let providers = service.offerings.iter().map(|offering| {
                                            let department = departments.iter().find(|department| department.id == offering.department_id).cloned();
                                            let offering = *offering;
                                            view! {
                                                <li data-test="service-offering">
                                                    {move || department.as_ref().map(|department| department.name(i18n.locale()).to_string()).unwrap_or_default()}
                                                    " · "
                                                    <ActionForm action=toggle attr:class="inline-form">
                                                        <input type="hidden" name="offering" value=offering.id.to_string() />
                                                        <input type="hidden" name="active" value=(!offering.is_active).to_string() />
                                                        <button type="submit" class="link-button">
                                                            {move || i18n.t(if offering.is_active { Msg::Deactivate } else { Msg::Activate })}
                                                        </button>
                                                    </ActionForm>
                                                </li>
                                            }
                                        }).collect_view();
                                        view! {
                                            <tr data-test="service-row">
                                                <td>{move || shown.name(i18n.locale()).to_string()} {(!service.is_active).then(|| view! { " (" {move || i18n.t(Msg::SvcNotRated)} ")" })}</td>
                                                <td>{move || i18n.t(level_msg(service.level))}</td>
                                                <td>
                                                    <ul class="stack">{providers}</ul>
                                                    <ActionForm action=add attr:class="form-inline" attr:data-test="add-offering">
                                                        <input type="hidden" name="service" value=service.id.to_string() />
                                                        <label for=format!("add-provider-{}", service.id)>{move || i18n.t(Msg::SvcAddProvider)}</label>
                                                        <select id=format!("add-provider-{}", service.id) name="department" required=true>
                                                            {move || candidate_options.get().into_iter().map(|(value, text)| view! { <option value=value>{text}</option> }).collect_view()}
                                                        </select>
                                                        <button type="submit" class="secondary">{move || i18n.t(Msg::SvcAdd)}</button>
                                                    </ActionForm>
                                                </td>
                                                <td>
                                                    <button type="button" class="link-button" on:click=move |_| editing.set(Some(edit.clone()))>
                                                        {move || i18n.t(Msg::Edit)}
                                                    </button>
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    })
                })}
            </Transition>
        </RequireRole>
    }
}

/// The catalogue's spreadsheet import: the file, then what it changed or every refusal by
/// row and column. `imported` counts accepted files, so the catalogue below reloads.
#[component]
fn CatalogueImport(imported: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<AppError>);
    let summary = RwSignal::new(None::<ImportSummary>);
    let chosen = NodeRef::<leptos::html::Input>::new();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        summary.set(None);
        #[cfg(feature = "hydrate")]
        crate::ui::upload::send_chosen_file::<ImportSummary>(
            chosen,
            "/api/v1/services/import".into(),
            "file",
            pending,
            error,
            move |done| {
                summary.set(Some(done));
                imported.update(|count| *count += 1);
            },
        );
        #[cfg(not(feature = "hydrate"))]
        let _ = (chosen, imported);
    };
    let refusals = move || -> Vec<String> {
        let locale = i18n.locale();
        match error.get() {
            Some(AppError::Invalid { errors }) => errors
                .iter()
                .map(|refusal| refusal_text(refusal, locale))
                .collect(),
            Some(other) => vec![error_text(&other, locale)],
            None => Vec::new(),
        }
    };
    view! {
        <section class="card stack" data-test="services-import">
            <h2>{move || i18n.t(Msg::SvcImportTitle)}</h2>
            <p class="field-hint">{move || i18n.t(Msg::SvcImportHint)}</p>
            <form class="form-inline" on:submit=on_submit>
                <label for="services-file">{move || i18n.t(Msg::SvcImportFile)}</label>
                <input id="services-file" type="file" node_ref=chosen data-test="services-file"
                    accept=".xlsx,.xls,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,application/vnd.ms-excel" />
                <button type="submit" class="secondary" disabled=move || pending.get() data-test="services-import-send">
                    {move || i18n.t(Msg::SvcImportSend)}
                </button>
            </form>
            {move || summary.get().map(|done| view! {
                <p class="notice" role="status" data-test="services-imported">
                    {move || i18n.t(Msg::SvcImported)
                        .replace("{created}", &done.created.to_string())
                        .replace("{updated}", &done.updated.to_string())
                        .replace("{providers}", &done.providers_added.to_string())}
                </p>
            })}
            {move || {
                let list = refusals();
                (!list.is_empty()).then(|| view! {
                    <ul class="notice error" role="alert" data-test="services-import-errors">
                        {list.into_iter().map(|text| view! { <li>{text}</li> }).collect_view()}
                    </ul>
                })
            }}
        </section>
    }
}

/// One refusal of an import, with its row and column: "Строка 3 · Уровень: …".
fn refusal_text(refusal: &FieldError, locale: Locale) -> String {
    let reason = error_code_text(refusal.code, locale);
    match ImportPlace::parse(&refusal.field) {
        Some(ImportPlace::Cell { row, field }) => format!(
            "{} {row} · {}: {reason}",
            Msg::SvcImportRow.text(locale),
            column_label(field).text(locale)
        ),
        Some(ImportPlace::MissingColumn { field }) => format!(
            "{}: {}",
            Msg::SvcImportMissingColumn.text(locale),
            column_label(field).text(locale)
        ),
        None => reason,
    }
}

/// The label of an import column, as the service form names the same field.
fn column_label(field: &str) -> Msg {
    match field {
        "slug" => Msg::Slug,
        "name_ru" => Msg::NameRu,
        "name_en" => Msg::NameEn,
        "description_ru" => Msg::DescriptionRu,
        "description_en" => Msg::DescriptionEn,
        "level" => Msg::Level,
        _ => Msg::SvcProviders,
    }
}
