//! Admin pages for departments (with their supervisors and document-flow integration),
//! themes and routing rules.

mod integration;

pub use integration::DepartmentIntegrationPage;

use std::collections::HashMap;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::auth::components::RequireRole;
use crate::auth::model::ADMINS;
use crate::geography::server_fns::list_municipalities;
use crate::i18n::{Msg, use_i18n};
use crate::organisation::model::{Department, DepartmentId, DepartmentLevel, Theme};
use crate::organisation::server_fns::{
    DeleteRoutingRule, SaveDepartment, SaveTheme, SetDepartmentActive, SetDepartmentSupervisor,
    SetRoutingRule, list_departments, list_routing_rules, list_themes,
};
use crate::ui::errors::{ActionError, last_error};
use crate::ui::form::{Field, SelectField};
use crate::ui::table::TableHead;

/// `/manage/departments`: create, edit, activate and deactivate departments, and choose
/// the supervising department each one's overdue problems are escalated to.
#[component]
pub fn DepartmentsPage() -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveDepartment>::new();
    let toggle = ServerAction::<SetDepartmentActive>::new();
    let supervise = ServerAction::<SetDepartmentSupervisor>::new();
    let error = last_error(save.value());
    let supervisor_error = last_error(supervise.value());
    let departments = Resource::new(
        move || {
            (
                save.version().get(),
                toggle.version().get(),
                supervise.version().get(),
            )
        },
        |_| list_departments(),
    );
    let municipalities = Resource::new(|| (), |_| list_municipalities());
    let editing = RwSignal::new(None::<Department>);
    Effect::new(move |_| {
        if let Some(Ok(())) = save.value().get() {
            editing.set(None);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = supervise.value().get() {
            editing.set(None);
        }
    });
    // Resources are created here, outside the gate: created inside its async branch they
    // would not match their server-rendered values when the page hydrates.
    view! {
        <RequireRole roles=ADMINS>
            <Title text=move || i18n.t(Msg::ManageDepartments) />
            <h1 class="page-title">{move || i18n.t(Msg::ManageDepartments)}</h1>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let municipalities = municipalities.await.unwrap_or_default();
                    let options = Signal::derive(move || {
                        municipalities.iter().map(|m| (m.id.to_string(), m.name(i18n.locale()).to_string())).collect::<Vec<_>>()
                    });
                    view! {
                        {move || {
                            let current = editing.get();
                            let value = move |f: fn(&Department) -> String| current.as_ref().map(f).unwrap_or_default();
                            view! {
                                <ActionForm action=save attr:class="form stack" attr:data-test="department-form">
                                    <h2>{move || i18n.t(if editing.with(Option::is_some) { Msg::EditDepartment } else { Msg::NewDepartment })}</h2>
                                    <ActionError error />
                                    <input type="hidden" name="id" value=value(|d| d.id.to_string()) />
                                    <Field name="input[slug]" label=Msg::Slug hint=Msg::SlugHint required=true error value=value(|d| d.slug.clone()) />
                                    <Field name="input[name_ru]" label=Msg::NameRu required=true error value=value(|d| d.name_ru.clone()) />
                                    <Field name="input[name_en]" label=Msg::NameEn required=true error value=value(|d| d.name_en.clone()) />
                                    <SelectField name="input[municipality_id]" label=Msg::MunicipalityOfDepartment empty=Msg::RegionalLevel options error
                                        selected=value(|d| d.municipality_id.map(|m| m.to_string()).unwrap_or_default()) />
                                    <Field name="input[email]" label=Msg::Email kind="email" error value=value(|d| d.email.clone().unwrap_or_default()) />
                                    <Field name="input[phone]" label=Msg::Phone kind="tel" error value=value(|d| d.phone.clone().unwrap_or_default()) />
                                    <div class="form-actions">
                                        <button type="submit" class="primary" data-test="submit">{move || i18n.t(Msg::Save)}</button>
                                        <button type="button" class="secondary" on:click=move |_| editing.set(None)>{move || i18n.t(Msg::Cancel)}</button>
                                    </div>
                                </ActionForm>
                            }
                        }}
                    }
                })}
            </Transition>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let list = departments.await.unwrap_or_default();
                    move || editing.get().map(|current| {
                        // Any other department may be chosen; a deactivated one only while it
                        // is the current choice, so the select still shows what is set.
                        let choices: Vec<Department> = list
                            .iter()
                            .filter(|d| d.id != current.id && (d.is_active || Some(d.id) == current.supervisor_id))
                            .cloned()
                            .collect();
                        let options = Signal::derive(move || {
                            choices.iter().map(|d| (d.id.to_string(), d.name(i18n.locale()).to_string())).collect::<Vec<_>>()
                        });
                        view! {
                            <ActionForm action=supervise attr:class="form stack" attr:data-test="supervisor-form">
                                <h2>{move || i18n.t(Msg::Supervisor)}</h2>
                                <p>{move || i18n.t(Msg::SupervisorHelp)}</p>
                                <ActionError error=supervisor_error />
                                <input type="hidden" name="id" value=current.id.to_string() />
                                <SelectField name="supervisor_id" label=Msg::Supervisor empty=Msg::NoSupervisor options error=supervisor_error
                                    selected=current.supervisor_id.map(|d| d.to_string()).unwrap_or_default() />
                                <div class="form-actions">
                                    <button type="submit" class="primary" data-test="submit">{move || i18n.t(Msg::Save)}</button>
                                </div>
                            </ActionForm>
                        }
                    })
                })}
            </Transition>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    departments.await.map(|list| {
                        let names: HashMap<DepartmentId, (String, String)> = list
                            .iter()
                            .map(|d| (d.id, (d.name_ru.clone(), d.name_en.clone())))
                            .collect();
                        view! {
                            <div class="table-wrap" tabindex="0">
                                <table class="data-table" data-test="departments-table">
                                    <TableHead columns=&[Msg::Name, Msg::Level, Msg::Supervisor, Msg::Email, Msg::Status] actions=true />
                                    <tbody>
                                        {list.into_iter().map(|department| {
                                            let shown = department.clone();
                                            let edit = department.clone();
                                            let level = match department.level {
                                                DepartmentLevel::Regional => Msg::RegionalLevel,
                                                DepartmentLevel::Municipal => Msg::MunicipalLevel,
                                            };
                                            let active = department.is_active;
                                            let supervisor = department.supervisor_id.and_then(|id| names.get(&id).cloned());
                                            view! {
                                                <tr data-test=format!("department-{}", department.slug)>
                                                    <td>{move || shown.name(i18n.locale()).to_string()}</td>
                                                    <td>{move || i18n.t(level)}</td>
                                                    <td data-test="department-supervisor">{move || supervisor.as_ref().map(|(ru, en)| i18n.locale().pick(ru, en).clone()).unwrap_or_default()}</td>
                                                    <td>{department.email.clone().unwrap_or_default()}</td>
                                                    <td>{move || i18n.t(if active { Msg::Active } else { Msg::Inactive })}</td>
                                                    <td class="row">
                                                        <button type="button" class="link-button" on:click=move |_| editing.set(Some(edit.clone()))>
                                                            {move || i18n.t(Msg::Edit)}
                                                        </button>
                                                        <A href=format!("/manage/departments/{}/integration", department.id) attr:data-test="integration-link">
                                                            {move || i18n.t(Msg::Integration)}
                                                        </A>
                                                        <ActionForm action=toggle>
                                                            <input type="hidden" name="id" value=department.id.to_string() />
                                                            <input type="hidden" name="active" value=(!active).to_string() />
                                                            <button type="submit" class="link-button">
                                                                {move || i18n.t(if active { Msg::Deactivate } else { Msg::Activate })}
                                                            </button>
                                                        </ActionForm>
                                                    </td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }
                    })
                })}
            </Transition>
        </RequireRole>
    }
}

/// `/manage/themes`: create and edit problem themes.
#[component]
pub fn ThemesPage() -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveTheme>::new();
    let error = last_error(save.value());
    let themes = Resource::new(move || save.version().get(), |_| list_themes());
    let editing = RwSignal::new(None::<Theme>);
    Effect::new(move |_| {
        if let Some(Ok(())) = save.value().get() {
            editing.set(None);
        }
    });
    // Resources are created here, outside the gate: created inside its async branch they
    // would not match their server-rendered values when the page hydrates.
    view! {
        <RequireRole roles=ADMINS>
            <Title text=move || i18n.t(Msg::ManageThemes) />
            <h1 class="page-title">{move || i18n.t(Msg::ManageThemes)}</h1>
            {move || {
                let current = editing.get();
                let premoderation = current.as_ref().is_none_or(|t| t.premoderation);
                let reaction_days = current.as_ref().map_or("10".to_string(), |t| t.reaction_days.to_string());
                let result_days = current.as_ref().map_or("30".to_string(), |t| t.result_days.to_string());
                let value = move |f: fn(&Theme) -> String| current.as_ref().map(f).unwrap_or_default();
                view! {
                    <ActionForm action=save attr:class="form stack" attr:data-test="theme-form">
                        <h2>{move || i18n.t(if editing.with(Option::is_some) { Msg::EditTheme } else { Msg::NewTheme })}</h2>
                        <ActionError error />
                        <input type="hidden" name="id" value=value(|t| t.id.to_string()) />
                        <Field name="input[slug]" label=Msg::Slug hint=Msg::SlugHint required=true error value=value(|t| t.slug.clone()) />
                        <Field name="input[name_ru]" label=Msg::NameRu required=true error value=value(|t| t.name_ru.clone()) />
                        <Field name="input[name_en]" label=Msg::NameEn required=true error value=value(|t| t.name_en.clone()) />
                        <Field name="input[description_ru]" label=Msg::DescriptionRu error value=value(|t| t.description_ru.clone()) />
                        <Field name="input[description_en]" label=Msg::DescriptionEn error value=value(|t| t.description_en.clone()) />
                        <Field name="input[reaction_days]" label=Msg::ReactionDays kind="number" required=true error
                            value=reaction_days />
                        <Field name="input[result_days]" label=Msg::ResultDays kind="number" required=true error
                            value=result_days />
                        <Field name="input[sort_order]" label=Msg::SortOrder kind="number" error value=value(|t| t.sort_order.to_string()) />
                        <div class="field">
                            <label>
                                <input type="checkbox" name="input[premoderation]" checked=premoderation />
                                <span>{move || i18n.t(Msg::Premoderation)}</span>
                            </label>
                        </div>
                        <div class="form-actions">
                            <button type="submit" class="primary" data-test="submit">{move || i18n.t(Msg::Save)}</button>
                            <button type="button" class="secondary" on:click=move |_| editing.set(None)>{move || i18n.t(Msg::Cancel)}</button>
                        </div>
                    </ActionForm>
                }
            }}
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    themes.await.map(|list| view! {
                        <div class="table-wrap" tabindex="0">
                            <table class="data-table" data-test="themes-table">
                                <TableHead columns=&[Msg::Name, Msg::Slug, Msg::ReactionDays, Msg::ResultDays, Msg::Premoderation] actions=true />
                                <tbody>
                                    {list.into_iter().map(|theme| {
                                        let shown = theme.clone();
                                        let edit = theme.clone();
                                        view! {
                                            <tr>
                                                <td>{move || shown.name(i18n.locale()).to_string()}</td>
                                                <td><code>{theme.slug.clone()}</code></td>
                                                <td>{theme.reaction_days}</td>
                                                <td>{theme.result_days}</td>
                                                <td>{move || i18n.t(if theme.premoderation { Msg::Yes } else { Msg::No })}</td>
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

/// `/manage/routing`: which department receives each theme, per municipality.
#[component]
pub fn RoutingPage() -> impl IntoView {
    let i18n = use_i18n();
    let set = ServerAction::<SetRoutingRule>::new();
    let delete = ServerAction::<DeleteRoutingRule>::new();
    let error = last_error(set.value());
    let delete_error = last_error(delete.value());
    let rules = Resource::new(
        move || (set.version().get(), delete.version().get()),
        |_| list_routing_rules(),
    );
    let choices = Resource::new(
        || (),
        |_| async move {
            let themes = list_themes().await?;
            let municipalities = list_municipalities().await?;
            let departments = list_departments().await?;
            Ok::<_, platform::error::AppError>((themes, municipalities, departments))
        },
    );
    // Resources are created here, outside the gate: created inside its async branch they
    // would not match their server-rendered values when the page hydrates.
    view! {
        <RequireRole roles=ADMINS>
            <Title text=move || i18n.t(Msg::ManageRouting) />
            <h1 class="page-title">{move || i18n.t(Msg::ManageRouting)}</h1>
            <p>{move || i18n.t(Msg::RoutingHelp)}</p>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    choices.await.map(|(themes, municipalities, departments)| {
                        let theme_options = Signal::derive(move || themes.iter().map(|t| (t.id.to_string(), t.name(i18n.locale()).to_string())).collect::<Vec<_>>());
                        let municipality_options = Signal::derive(move || municipalities.iter().map(|m| (m.id.to_string(), m.name(i18n.locale()).to_string())).collect::<Vec<_>>());
                        let department_options = Signal::derive(move || departments.iter().filter(|d| d.is_active).map(|d| (d.id.to_string(), d.name(i18n.locale()).to_string())).collect::<Vec<_>>());
                        view! {
                            <ActionForm action=set attr:class="form stack" attr:data-test="routing-form">
                                <ActionError error />
                                <SelectField name="theme_id" label=Msg::Theme options=theme_options required=true error />
                                <SelectField name="municipality_id" label=Msg::Municipality empty=Msg::RegionalFallback options=municipality_options error />
                                <SelectField name="department_id" label=Msg::Department options=department_options required=true error />
                                <div class="form-actions">
                                    <button type="submit" class="primary" data-test="submit">{move || i18n.t(Msg::Save)}</button>
                                </div>
                            </ActionForm>
                        }
                    })
                })}
            </Transition>
            <ActionError error=delete_error />
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    rules.await.map(|list| view! {
                        <div class="table-wrap" tabindex="0">
                            <table class="data-table" data-test="routing-table">
                                <TableHead columns=&[Msg::Theme, Msg::Municipality, Msg::Department] actions=true />
                                <tbody>
                                    {list.into_iter().map(|rule| {
                                        let theme = rule.theme_name.clone();
                                        let municipality = rule.municipality_name.clone();
                                        let department = rule.department_name.clone();
                                        view! {
                                            <tr>
                                                <td>{move || i18n.locale().pick(&theme.0, &theme.1).clone()}</td>
                                                <td>{move || municipality.as_ref().map_or_else(|| i18n.t(Msg::RegionalFallback).to_string(), |(ru, en)| i18n.locale().pick(ru, en).clone())}</td>
                                                <td>{move || i18n.locale().pick(&department.0, &department.1).clone()}</td>
                                                <td>
                                                    <ActionForm action=delete>
                                                        <input type="hidden" name="id" value=rule.id.to_string() />
                                                        <button type="submit" class="link-button danger">{move || i18n.t(Msg::Delete)}</button>
                                                    </ActionForm>
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
