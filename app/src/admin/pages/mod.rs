//! The management area's frame and its own pages: dashboard, users and roles, municipality
//! boundaries, audit log.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{A, Outlet};

use crate::admin::server_fns::{
    GrantRole, ImportBoundaries, RevokeRole, SavePopulation, get_management_summary,
    list_audit_log, list_populations, list_users,
};
use crate::auth::components::{RequireRole, use_auth};
use crate::auth::model::{ADMINS, ANALYSTS, MODERATORS, Role, STAFF};
use crate::geography::model::MunicipalPopulation;
use crate::i18n::{Msg, format_datetime, format_integer, use_i18n};
use crate::organisation::server_fns::list_departments;
use crate::ui::errors::{ActionError, FieldMessage, last_error};
use crate::ui::table::TableHead;
use platform::error::AppError;

/// The links of the management area, with the roles that see each.
const MANAGE_LINKS: [(&str, Msg, &[Role]); 19] = [
    (
        "/manage",
        Msg::ManageDashboard,
        &[Role::Official, Role::Moderator, Role::Admin],
    ),
    ("/manage/dashboard", Msg::NavRegionDashboard, ANALYSTS),
    (
        "/manage/workspace",
        Msg::NavWorkspace,
        &[Role::Official, Role::Moderator, Role::Admin],
    ),
    ("/manage/moderation", Msg::NavModeration, &[Role::Moderator]),
    (
        "/manage/initiatives",
        Msg::NavInitiativeModeration,
        &[Role::Moderator],
    ),
    ("/manage/lawmaking", Msg::NavLawmakingWork, STAFF),
    (
        "/manage/verification",
        Msg::NavVerification,
        &[Role::Official],
    ),
    (
        "/manage/registry-import",
        Msg::NavRegistryImport,
        &[Role::Official, Role::Admin],
    ),
    ("/manage/users", Msg::ManageUsers, &[Role::Admin]),
    (
        "/manage/departments",
        Msg::ManageDepartments,
        &[Role::Admin],
    ),
    ("/manage/themes", Msg::ManageThemes, &[Role::Admin]),
    ("/manage/routing", Msg::ManageRouting, &[Role::Admin]),
    (
        "/manage/municipalities",
        Msg::ManageBoundaries,
        &[Role::Admin],
    ),
    (
        "/manage/opendata",
        Msg::NavOpenData,
        &[Role::Moderator, Role::Admin],
    ),
    (
        "/manage/services",
        Msg::ManageServices,
        &[Role::Moderator, Role::Admin],
    ),
    (
        "/manage/priorities",
        Msg::PriManageTitle,
        &[Role::Official, Role::Moderator, Role::Admin],
    ),
    (
        "/manage/comments",
        Msg::ManageComments,
        &[Role::Moderator, Role::Admin],
    ),
    (
        "/manage/reports",
        Msg::NavReports,
        &[Role::Moderator, Role::Admin],
    ),
    (
        "/manage/audit",
        Msg::ManageAudit,
        &[Role::Moderator, Role::Admin],
    ),
];

/// The management area's frame: the navigation for the user's roles beside the page. Each
/// page guards itself with `RequireRole`, and the server checks every action again.
#[component]
pub fn ManageLayout() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    view! {
        <div class="manage-layout">
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    auth.user.await.ok().flatten().filter(|user| user.is_staff()).map(|user| {
                        let links = MANAGE_LINKS
                            .into_iter()
                            .filter(|(_, _, roles)| roles.iter().any(|role| user.has_role(*role)))
                            .map(|(href, msg, _)| view! { <li><A href=href exact=true>{move || i18n.t(msg)}</A></li> })
                            .collect_view();
                        view! {
                            <nav class="manage-nav" aria-label=move || i18n.t(Msg::NavManage) data-test="manage-area">
                                <ul>{links}</ul>
                            </nav>
                        }
                    })
                })}
            </Transition>
            <div class="manage-content stack">
                <Outlet />
            </div>
        </div>
    }
}

/// `/manage`: counts at a glance.
#[component]
pub fn ManageDashboardPage() -> impl IntoView {
    let i18n = use_i18n();
    let summary = Resource::new(|| (), |_| get_management_summary());
    // Resources are created here, outside the gate: created inside its async branch they
    // would not match their server-rendered values when the page hydrates.
    view! {
        <RequireRole roles=STAFF>
            <Title text=move || i18n.t(Msg::ManageDashboard) />
            <h1 class="page-title">{move || i18n.t(Msg::ManageDashboard)}</h1>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    summary.await.map(|summary| {
                        let stats = [
                            (summary.users, Msg::StatUsers),
                            (summary.departments, Msg::StatDepartments),
                            (summary.themes, Msg::StatThemes),
                            (summary.routing_rules, Msg::StatRoutingRules),
                            (summary.municipalities_with_boundary, Msg::StatBoundaries),
                        ];
                        view! {
                            <div class="stats">
                                {stats.into_iter().map(|(value, label)| view! {
                                    <div class="stat">
                                        <span class="stat-value">{move || format_integer(i18n.locale(), value)}</span>
                                        <span class="stat-label">{move || i18n.t(label)}</span>
                                    </div>
                                }).collect_view()}
                            </div>
                        }
                    })
                })}
            </Transition>
        </RequireRole>
    }
}

/// `/manage/users`: find users, grant and revoke roles.
#[component]
pub fn UsersPage() -> impl IntoView {
    let i18n = use_i18n();
    let search = RwSignal::new(String::new());
    let page = RwSignal::new(0i64);
    let grant = ServerAction::<GrantRole>::new();
    let revoke = ServerAction::<RevokeRole>::new();
    let users = Resource::new(
        move || {
            (
                search.get(),
                page.get(),
                grant.version().get(),
                revoke.version().get(),
            )
        },
        |(search, page, _, _)| list_users(search, page),
    );
    let departments = Resource::new(|| (), |_| list_departments());
    let grant_error = last_error(grant.value());
    let revoke_error = last_error(revoke.value());
    // Resources are created here, outside the gate: created inside its async branch they
    // would not match their server-rendered values when the page hydrates.
    view! {
        <RequireRole roles=ADMINS>
            <Title text=move || i18n.t(Msg::ManageUsers) />
            <h1 class="page-title">{move || i18n.t(Msg::ManageUsers)}</h1>
            <form class="form-inline" role="search" on:submit=|ev| ev.prevent_default()>
                <label for="user-search">{move || i18n.t(Msg::SearchUsers)}</label>
                <input
                    id="user-search"
                    type="search"
                    data-test="user-search"
                    prop:value=move || search.get()
                    on:input=move |ev| { search.set(event_target_value(&ev)); page.set(0); }
                />
            </form>
            <ActionError error=grant_error />
            <ActionError error=revoke_error />
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let departments = departments.await.unwrap_or_default();
                    users.await.map(|result| {
                        let total = result.total;
                        let pages = (total + result.page_size - 1) / result.page_size.max(1);
                        view! {
                            <p class="muted">{move || format!("{}: {}", i18n.t(Msg::Found), format_integer(i18n.locale(), total))}</p>
                            <div class="table-wrap" tabindex="0">
                                <table class="data-table" data-test="users-table">
                                    <TableHead columns=&[Msg::DisplayName, Msg::Email, Msg::HomeMunicipality, Msg::Roles, Msg::GrantRole] />
                                    <tbody>
                                        {result.users.into_iter().map(|user| {
                                            let user_id = user.id.to_string();
                                            let (m_ru, m_en) = user.municipality_name.clone();
                                            let department_options = departments.clone();
                                            let roles = user.roles.clone().into_iter().map(|grant| {
                                                let role = grant.role;
                                                let department = grant.department_id.map(|d| d.to_string()).unwrap_or_default();
                                                let department_name = grant.department_id.and_then(|id| departments.iter().find(|d| d.id == id).cloned());
                                                let user_id = user_id.clone();
                                                view! {
                                                    <li class="row">
                                                        <span class=format!("badge role-{}", role.as_db())>
                                                            {move || match &department_name {
                                                                Some(d) => format!("{}: {}", i18n.t(role.msg()), d.name(i18n.locale())),
                                                                None => i18n.t(role.msg()).to_string(),
                                                            }}
                                                        </span>
                                                        <ActionForm action=revoke>
                                                            <input type="hidden" name="user_id" value=user_id />
                                                            <input type="hidden" name="role" value=role.as_db() />
                                                            <input type="hidden" name="department_id" value=department />
                                                            <button type="submit" class="link-button" data-test="revoke">{move || i18n.t(Msg::Revoke)}</button>
                                                        </ActionForm>
                                                    </li>
                                                }
                                            }).collect_view();
                                            let select_role = format!("grant-role-{}", user.id);
                                            let select_department = format!("grant-department-{}", user.id);
                                            view! {
                                                <tr data-test="user-row">
                                                    <td>{user.display_name.clone()}</td>
                                                    <td>{user.email.clone()}</td>
                                                    <td>{move || if i18n.locale() == crate::i18n::Locale::Ru { m_ru.clone() } else { m_en.clone() }}</td>
                                                    <td><ul class="stack">{roles}</ul></td>
                                                    <td>
                                                        <ActionForm action=grant attr:class="form-inline">
                                                            <input type="hidden" name="user_id" value=user_id.clone() />
                                                            <label class="visually-hidden" for=select_role.clone()>{move || i18n.t(Msg::Role)}</label>
                                                            <select name="role" id=select_role data-test="grant-role">
                                                                {Role::ALL.into_iter().map(|role| view! {
                                                                    <option value=role.as_db()>{move || i18n.t(role.msg())}</option>
                                                                }).collect_view()}
                                                            </select>
                                                            <label class="visually-hidden" for=select_department.clone()>{move || i18n.t(Msg::DepartmentForOfficials)}</label>
                                                            <select name="department_id" id=select_department data-test="grant-department">
                                                                <option value="">{move || i18n.t(Msg::DepartmentForOfficials)}</option>
                                                                {department_options.into_iter().map(|d| {
                                                                    let id = d.id.to_string();
                                                                    view! { <option value=id>{move || d.name(i18n.locale()).to_string()}</option> }
                                                                }).collect_view()}
                                                            </select>
                                                            <button type="submit" class="secondary" data-test="grant">{move || i18n.t(Msg::Grant)}</button>
                                                        </ActionForm>
                                                    </td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            <div class="row">
                                <button type="button" class="secondary" disabled=move || page.get() == 0 on:click=move |_| page.update(|p| *p -= 1)>
                                    {move || i18n.t(Msg::PreviousPage)}
                                </button>
                                <button type="button" class="secondary" disabled=move || { page.get() + 1 >= pages } on:click=move |_| page.update(|p| *p += 1)>
                                    {move || i18n.t(Msg::NextPage)}
                                </button>
                            </div>
                        }
                    })
                })}
            </Transition>
        </RequireRole>
    }
}

/// `/manage/municipalities`: import boundary polygons.
#[component]
pub fn BoundariesPage() -> impl IntoView {
    let i18n = use_i18n();
    let import = ServerAction::<ImportBoundaries>::new();
    let error = last_error(import.value());
    let geojson = RwSignal::new(String::new());
    #[cfg(feature = "hydrate")]
    let on_file = move |ev: leptos::ev::Event| {
        use wasm_bindgen::JsCast;
        let file = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|input| input.files())
            .and_then(|files| files.get(0));
        if let Some(file) = file {
            leptos::task::spawn_local(async move {
                if let Ok(text) = wasm_bindgen_futures::JsFuture::from(file.text()).await {
                    geojson.set(text.as_string().unwrap_or_default());
                }
            });
        }
    };
    #[cfg(not(feature = "hydrate"))]
    let on_file = move |_: leptos::ev::Event| {};
    let save_population = ServerAction::<SavePopulation>::new();
    // Resources are created here, outside the gate: created inside its async branch they
    // would not match their server-rendered values when the page hydrates. Not reloaded
    // after a save: a refused figure stays in its field to be corrected, a saved one is
    // what the field shows.
    let populations = Resource::new(|| (), |_| list_populations());
    view! {
        <RequireRole roles=ADMINS>
            <Title text=move || i18n.t(Msg::ManageBoundaries) />
            <h1 class="page-title">{move || i18n.t(Msg::ManageBoundaries)}</h1>
            <p>{move || i18n.t(Msg::BoundariesHelp)}</p>
            <div class="field">
                <label for="boundary-file">{move || i18n.t(Msg::BoundaryFile)}</label>
                <input id="boundary-file" type="file" accept=".geojson,.json,application/geo+json,application/json" on:change=on_file />
            </div>
            <ActionForm action=import attr:class="form stack" attr:data-test="boundaries-form">
                <ActionError error />
                <div class="field">
                    <label for="field-geojson">{move || i18n.t(Msg::BoundaryGeoJson)}</label>
                    <textarea id="field-geojson" name="geojson" rows="8" prop:value=move || geojson.get()
                        on:input=move |ev| geojson.set(event_target_value(&ev))></textarea>
                    <crate::ui::errors::FieldMessage error field="geojson" />
                </div>
                <div class="form-actions">
                    <button type="submit" class="primary" disabled=move || import.pending().get()>{move || i18n.t(Msg::Import)}</button>
                </div>
            </ActionForm>
            {move || import.value().get().and_then(Result::ok).map(|report| {
                let unmatched = report.unmatched.join(", ");
                view! {
                    <p class="notice success" role="status" data-test="boundaries-result">
                        {move || {
                            let mut text = format!("{}: {}", i18n.t(Msg::BoundariesUpdated), report.updated);
                            if !unmatched.is_empty() {
                                text.push_str(&format!(" · {}: {}", i18n.t(Msg::BoundariesUnmatched), unmatched));
                            }
                            text
                        }}
                    </p>
                }
            })}
            <Populations save=save_population populations />
        </RequireRole>
    }
}

/// The municipalities' populations, each saved with its source by its own small form (the
/// row's inputs belong to it through their `form` attribute).
#[component]
fn Populations(
    save: ServerAction<SavePopulation>,
    populations: Resource<Result<Vec<MunicipalPopulation>, AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = last_error(save.value());
    view! {
        <section class="stack" data-test="populations">
            <h2>{move || i18n.t(Msg::PopulationsTitle)}</h2>
            <p>{move || i18n.t(Msg::PopulationsHelp)}</p>
            <ActionError error />
            <FieldMessage error field="population" />
            <FieldMessage error field="source" />
            <Show when=move || matches!(save.value().get(), Some(Ok(())))>
                <p class="notice success" role="status" data-test="population-saved">{move || i18n.t(Msg::PopulationSaved)}</p>
            </Show>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    populations.await.map(|rows| view! {
                        <div class="table-wrap" tabindex="0">
                            <table class="data-table">
                                <TableHead columns=&[Msg::Municipality, Msg::Population, Msg::PopulationSource] actions=true />
                                <tbody>
                                    {rows.into_iter().map(|row| {
                                        let form = format!("population-{}", row.id);
                                        let name = row.clone();
                                        view! {
                                            <tr data-test="population-row">
                                                <td>{move || name.name(i18n.locale()).to_string()}</td>
                                                <td>
                                                    <input form=form.clone() name="input[population]" inputmode="numeric" size="9"
                                                        value=row.population.to_string() aria-label=move || i18n.t(Msg::Population) />
                                                </td>
                                                <td>
                                                    <input form=form.clone() name="input[source]" maxlength="255"
                                                        value=row.source.clone() aria-label=move || i18n.t(Msg::PopulationSource) />
                                                </td>
                                                <td>
                                                    <ActionForm action=save attr:id=form attr:class="inline-form">
                                                        <input type="hidden" name="municipality" value=row.id.to_string() />
                                                        <button type="submit" class="secondary">{move || i18n.t(Msg::Save)}</button>
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
        </section>
    }
}

/// `/manage/audit`: the newest audit log entries.
#[component]
pub fn AuditPage() -> impl IntoView {
    let i18n = use_i18n();
    let entries = Resource::new(|| (), |_| list_audit_log());
    // Resources are created here, outside the gate: created inside its async branch they
    // would not match their server-rendered values when the page hydrates.
    view! {
        <RequireRole roles=MODERATORS>
            <Title text=move || i18n.t(Msg::ManageAudit) />
            <h1 class="page-title">{move || i18n.t(Msg::ManageAudit)}</h1>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    entries.await.map(|entries| view! {
                        <div class="table-wrap" tabindex="0">
                            <table class="data-table" data-test="audit-table">
                                <TableHead columns=&[Msg::When, Msg::Who, Msg::Action, Msg::Target, Msg::Details] />
                                <tbody>
                                    {entries.into_iter().map(|entry| view! {
                                        <tr>
                                            <td>{move || format_datetime(i18n.locale(), entry.created_at)}</td>
                                            <td>{entry.actor_name.clone().unwrap_or_else(|| "—".into())}</td>
                                            <td><code>{entry.action.clone()}</code></td>
                                            <td>{format!("{} {}", entry.target_kind, entry.target_id.map(|id| id.to_string()).unwrap_or_default())}</td>
                                            <td><code>{entry.details.clone()}</code></td>
                                        </tr>
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
