//! The management views of citizens' control: the moderators' queue and the department
//! workspace. Both pages guard themselves; the server functions check the roles again.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::super::components::StatusBadge;
use super::super::server_fns::{department_workspace, moderation_queue};
use crate::auth::components::RequireRole;
use crate::auth::components::use_auth;
use crate::auth::model::Role;
use crate::i18n::{Msg, format_integer, format_local_datetime, use_i18n};
use crate::organisation::components::names_resource;
use crate::ui::countdown::Countdown;
use crate::ui::errors::ErrorPage;
use crate::ui::table::TableHead;

/// Who works in a department's workspace: its officials, and moderators and admins.
const WORKSPACE_ROLES: &[Role] = &[Role::Official, Role::Moderator, Role::Admin];

/// Moderation steps belong to moderators only (admins grant themselves the role if needed).
const MODERATOR_ONLY: &[Role] = &[Role::Moderator];

/// `/manage/moderation`: problems waiting for moderation or for a department.
#[component]
pub fn ModerationPage() -> impl IntoView {
    let i18n = use_i18n();
    let queue = Resource::new(|| (), |_| moderation_queue());
    let names = names_resource();
    // Resources are created here, outside the gate, so they hydrate with their values.
    view! {
        <RequireRole roles=MODERATOR_ONLY>
            <Title text=move || i18n.t(Msg::ModerationTitle) />
            <h1 class="page-title">{move || i18n.t(Msg::ModerationTitle)}</h1>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let names = names.await;
                    match queue.await {
                        Err(error) => view! { <ErrorPage error /> }.into_any(),
                        Ok(queue) if queue.rows.is_empty() => view! { <p class="notice" data-test="queue-empty">{move || i18n.t(Msg::ModerationEmpty)}</p> }.into_any(),
                        Ok(queue) => view! {
                            <div class="table-wrap" tabindex="0">
                                <table class="data-table" data-test="moderation-table">
                                    <TableHead columns=&[Msg::ProblemTitle, Msg::FilterStatus, Msg::ModerationWaiting, Msg::FilterTheme, Msg::FilterMunicipality, Msg::Address] />
                                    <tbody>
                                        {queue.rows.iter().map(|problem| {
                                            let names = names.clone();
                                            let names_m = names.clone();
                                            let late = queue.is_late(problem);
                                            let waited = queue.now - problem.created_at;
                                            let problem = problem.clone();
                                            view! {
                                                <tr data-test="queue-row" class:late=late>
                                                    <td><A href=format!("/problems/{}", problem.id)>{format!("#{} {}", problem.id, problem.title)}</A></td>
                                                    <td><StatusBadge status=problem.status /></td>
                                                    <td data-test="queue-waiting">
                                                        <WaitingTime waited />
                                                        {late.then(|| view! { " " <span class="badge late" data-test="moderation-late">{move || i18n.t(Msg::ModerationLate)}</span> })}
                                                    </td>
                                                    <td>{move || names.theme(problem.theme_id, i18n.locale())}</td>
                                                    <td>{move || names_m.municipality(problem.municipality_id, i18n.locale())}</td>
                                                    <td>{problem.address.clone()}</td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }.into_any(),
                    }
                })}
            </Transition>
        </RequireRole>
    }
}

/// How long a report has waited: hours for the first two days, then whole days.
#[component]
fn WaitingTime(waited: chrono::Duration) -> impl IntoView {
    let i18n = use_i18n();
    let hours = waited.num_hours().max(0);
    move || {
        if hours < 48 {
            format!(
                "{} {}",
                format_integer(i18n.locale(), hours),
                i18n.t(Msg::HoursShort)
            )
        } else {
            format!(
                "{} {}",
                format_integer(i18n.locale(), hours / 24),
                i18n.t(Msg::DaysShort)
            )
        }
    }
}

/// `/manage/workspace?department=ID`: a department's open problems by deadline.
#[component]
pub fn WorkspacePage() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let query = use_query_map();
    let workspace = Resource::new(
        move || query.with(|q| q.get("department").unwrap_or_default()),
        department_workspace,
    );
    let names = names_resource();
    view! {
        <RequireRole roles=WORKSPACE_ROLES>
            <Title text=move || i18n.t(Msg::WorkspaceTitle) />
            <h1 class="page-title">{move || i18n.t(Msg::WorkspaceTitle)}</h1>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let names = names.await;
                    let user = auth.user.await.ok().flatten();
                    let own = user.as_ref().map(|u| u.official_departments()).unwrap_or_default();
                    let oversees = user.as_ref().is_some_and(|u| u.has_role(Role::Moderator) || u.has_role(Role::Admin));
                    let choices: Vec<_> = names.departments.iter()
                        .filter(|d| oversees || own.contains(&d.id))
                        .cloned()
                        .collect();
                    let result = workspace.await;
                    let selected = result.as_ref().ok().and_then(|w| w.as_ref()).map(|w| w.department_id);
                    let picker = (choices.len() > 1 || selected.is_none()).then(|| view! {
                        <form method="get" action="/manage/workspace" class="form-inline">
                            <label for="workspace-department">{move || i18n.t(Msg::ChooseDepartment)}</label>
                            <select id="workspace-department" name="department" data-test="workspace-department">
                                {choices.into_iter().map(|d| {
                                    let value = d.id.to_string();
                                    let is_selected = Some(d.id) == selected;
                                    view! { <option value=value selected=is_selected>{move || d.name(i18n.locale()).to_string()}</option> }
                                }).collect_view()}
                            </select>
                            <button type="submit" class="secondary">{move || i18n.t(Msg::FilterApply)}</button>
                        </form>
                    });
                    let body = match result {
                        Err(error) => view! { <ErrorPage error /> }.into_any(),
                        Ok(None) => ().into_any(),
                        Ok(Some(workspace)) => {
                            let department = names.department(workspace.department_id).cloned();
                            let now = workspace.now;
                            let empty = workspace.rows.is_empty();
                            let escalated = workspace.escalated;
                            let escalated_names = names.clone();
                            view! {
                                {department.map(|d| view! { <h2>{move || d.name(i18n.locale()).to_string()}</h2> })}
                                <div class="stats">
                                    <div class="stat"><span class="stat-value" data-test="due-soon">{move || format_integer(i18n.locale(), workspace.due_soon as i64)}</span><span class="stat-label">{move || i18n.t(Msg::DueSoon)}</span></div>
                                    <div class="stat"><span class="stat-value" data-test="overdue">{move || format_integer(i18n.locale(), workspace.overdue as i64)}</span><span class="stat-label">{move || i18n.t(Msg::OverdueCount)}</span></div>
                                </div>
                                {empty.then(|| view! { <p class="notice">{move || i18n.t(Msg::WorkspaceEmpty)}</p> })}
                                <div class="table-wrap" tabindex="0">
                                    <table class="data-table" data-test="workspace-table">
                                        <TableHead columns=&[Msg::Deadline, Msg::ProblemTitle, Msg::FilterStatus, Msg::FilterTheme, Msg::Supports] />
                                        <tbody>
                                            {workspace.rows.into_iter().map(|problem| {
                                                let names = names.clone();
                                                let due = problem.reaction_due_at;
                                                view! {
                                                    <tr data-test="workspace-row">
                                                        <DeadlineCell due now />
                                                        <TitleCell problem=problem.clone() />
                                                        <td><StatusBadge status=problem.status /></td>
                                                        <td>{move || names.theme(problem.theme_id, i18n.locale())}</td>
                                                        <td>{problem.support_count}</td>
                                                    </tr>
                                                }
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                                {(!escalated.is_empty()).then(|| view! { <EscalatedQueue rows=escalated names=escalated_names now /> })}
                            }.into_any()
                        }
                    };
                    view! { {picker} {body} }
                })}
            </Transition>
        </RequireRole>
    }
}

/// The open problems escalated to the workspace's department as the supervising body, with
/// the body responsible for each; its officials act on them from the problem's page.
#[component]
fn EscalatedQueue(
    rows: Vec<super::super::model::ProblemSummary>,
    names: crate::organisation::components::Names,
    now: chrono::NaiveDateTime,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="stack" data-test="escalated-queue">
            <h2>{move || i18n.t(Msg::EscalatedQueue)}</h2>
            <p class="muted">{move || i18n.t(Msg::EscalatedQueueHint)}</p>
            <div class="table-wrap" tabindex="0">
                <table class="data-table" data-test="escalated-table">
                    <TableHead columns=&[Msg::Deadline, Msg::ProblemTitle, Msg::FilterStatus, Msg::Responsible] />
                    <tbody>
                        {rows.into_iter().map(|problem| {
                            let due = problem.reaction_due_at;
                            let responsible = problem.department_id.and_then(|id| names.department(id).cloned());
                            view! {
                                <tr data-test="escalated-row">
                                    <DeadlineCell due now />
                                    <TitleCell problem=problem.clone() />
                                    <td><StatusBadge status=problem.status /></td>
                                    <td>{responsible.map(|d| view! { <span>{move || d.name(i18n.locale()).to_string()}</span> })}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// A queue row's deadline: the date and the countdown.
#[component]
fn DeadlineCell(due: Option<chrono::NaiveDateTime>, now: chrono::NaiveDateTime) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <td>
            {due.map(|due| view! { <span>{move || format_local_datetime(i18n.locale(), due)}</span> })}
            " "
            <Countdown due now />
        </td>
    }
}

/// A queue row's problem: its number and title, linking to its page.
#[component]
fn TitleCell(problem: super::super::model::ProblemSummary) -> impl IntoView {
    view! {
        <td><A href=format!("/problems/{}", problem.id)>{format!("#{} {}", problem.id, problem.title)}</A></td>
    }
}
