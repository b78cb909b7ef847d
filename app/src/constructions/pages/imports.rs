//! The registry import: the officials' upload, mapping, dry run and commit pages (the
//! page polls while a phase runs), and the public import log with each import's change
//! list.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

use super::super::components::{ChangeList, IllegalBadge};
use super::super::model::{IllegalConstructionId, IllegalStatus};

use super::super::model::{ChangeEntry, ImportPhase, ImportStatus, Register, RegistryField};
use super::super::server_fns::illegal_import_entries;
use super::super::server_fns::{
    CheckImport, CommitImport, get_import_status, import_changes, recent_imports,
};
use super::super::texts::{import_failure_text, row_problem_text};
use super::ConstructionNav;
use crate::i18n::{Msg, format_integer, format_local_datetime, use_i18n};
use crate::ui::errors::{ActionError, ErrorPage, FieldMessage, last_error, upload_error_text};
use platform::error::AppError;

/// `/manage/registry-import`: choose a workbook; it is uploaded and read, then the
/// import's page opens.
#[component]
pub fn ImportUploadPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    // `?register=illegal` (the link from the registry of illegal constructions) preselects.
    let register = RwSignal::new(
        query
            .with_untracked(|map| map.get("register"))
            .and_then(|key| Register::from_db(&key))
            .unwrap_or_default(),
    );
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<AppError>);
    let navigate = use_navigate();
    let chosen = NodeRef::<leptos::html::Input>::new();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        {
            let navigate = navigate.clone();
            crate::ui::upload::send_chosen_file::<u64>(
                chosen,
                format!(
                    "/api/v1/constructions/imports?register={}",
                    register.get_untracked().as_db()
                ),
                "file",
                pending,
                error,
                move |id| navigate(&format!("/manage/registry-import/{id}"), Default::default()),
            );
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (&navigate, chosen);
    };
    let message = move || {
        error
            .get()
            .map(|error| upload_error_text(&error, "file", i18n.locale()))
    };
    view! {
        <Title text=move || i18n.t(Msg::ImportTitle) />
        <h1 class="page-title">{move || i18n.t(Msg::ImportTitle)}</h1>
        <p class="lead">{move || i18n.t(Msg::ImportLead)}</p>
        <form class="form stack" on:submit=on_submit data-test="import-upload">
            <fieldset class="field">
                <legend>{move || i18n.t(Msg::ImportRegister)}</legend>
                {Register::ALL.into_iter().map(|choice| view! {
                    <label class="checkbox">
                        <input type="radio" name="register" value=choice.as_db()
                            prop:checked=move || register.get() == choice
                            on:change=move |_| register.set(choice)
                            data-test=format!("import-register-{}", choice.as_db()) />
                        {move || i18n.t(choice.msg())}
                    </label>
                }).collect_view()}
            </fieldset>
            <div class="field">
                <label for="import-file">{move || i18n.t(Msg::ImportFile)}</label>
                <input id="import-file" type="file" node_ref=chosen data-test="import-file"
                    accept=".xlsx,.xls,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,application/vnd.ms-excel" />
            </div>
            {move || message().map(|text| view! { <p class="field-error" role="alert" data-test="import-error">{text}</p> })}
            <Show when=move || pending.get()>
                <p class="field-hint" role="status">{move || i18n.t(Msg::ImportUploading)}</p>
            </Show>
            <div class="form-actions">
                <button type="submit" class="primary" data-test="import-upload-button" disabled=move || pending.get()>{move || i18n.t(Msg::ImportUpload)}</button>
            </div>
        </form>
    }
}

/// `/manage/registry-import/:id`: the mapping, the dry run's findings, the commit.
#[component]
pub fn ImportPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let check = ServerAction::<CheckImport>::new();
    let commit = ServerAction::<CommitImport>::new();
    let tick = RwSignal::new(0u32);
    let status = Resource::new(
        move || {
            (
                params.with(|p| p.get("id").unwrap_or_default()),
                check.version().get(),
                commit.version().get(),
                tick.get(),
            )
        },
        |(id, ..)| get_import_status(id),
    );
    // While a phase runs in the background, ask again shortly.
    Effect::new(move |_| {
        let running = status
            .get()
            .and_then(Result::ok)
            .is_some_and(|status| status.phase.is_running());
        if running {
            set_timeout(
                move || tick.update(|n| *n += 1),
                std::time::Duration::from_millis(700),
            );
        }
    });
    view! {
        <Title text=move || i18n.t(Msg::ImportTitle) />
        <h1 class="page-title">{move || i18n.t(Msg::ImportTitle)}</h1>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match status.await {
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                    Ok(status) => view! { <ImportView status check commit /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ImportView(
    status: ImportStatus,
    check: ServerAction<CheckImport>,
    commit: ServerAction<CommitImport>,
) -> impl IntoView {
    let i18n = use_i18n();
    let check_error = last_error(check.value());
    let commit_error = last_error(commit.value());
    let id = status.id.to_string();
    let phase = status.phase;
    let editable = matches!(
        phase,
        ImportPhase::Uploaded | ImportPhase::Checked | ImportPhase::Failed
    );
    let register = status.register;
    let missing: Vec<RegistryField> = register
        .fields()
        .iter()
        .copied()
        .filter(|field| register.is_required(*field) && !status.mapping.contains(&Some(*field)))
        .collect();
    let can_commit = phase == ImportPhase::Checked
        && (status.added + status.updated > 0 || status.error_count == 0);
    let has_bad_rows = status.error_count > 0;
    let counts = matches!(phase, ImportPhase::Checked | ImportPhase::Committed);
    let committed = phase == ImportPhase::Committed;
    let (total, processed) = (status.total_rows, status.processed_rows);
    let (added, updated, unchanged, bad) = (
        status.added,
        status.updated,
        status.unchanged,
        status.error_count,
    );
    let number = move |value: u32| format_integer(i18n.locale(), i64::from(value));
    let headers = status.headers.clone();
    let mapping = status.mapping.clone();
    let failure = status.failure.clone();
    let phase_text = match phase {
        ImportPhase::Uploaded => None,
        ImportPhase::Checking => Some(Msg::ImportChecking),
        ImportPhase::Checked => None,
        ImportPhase::Committing => Some(Msg::ImportCommitting),
        ImportPhase::Committed => Some(Msg::ImportCommitted),
        ImportPhase::Failed => Some(Msg::ImportFailed),
    };
    view! {
        <p data-test="import-register"><strong>{move || i18n.t(register.msg())}</strong></p>
        <p>
            <strong>{move || i18n.t(Msg::ImportFileName)} ": "</strong> {status.file_name.clone()}
            " · " {status.user_name.clone()} " · " {move || format_local_datetime(i18n.locale(), status.created_at)}
        </p>
        <p data-test="import-rows">{move || i18n.t(Msg::ImportRowsInFile)} ": " {move || number(total)}</p>
        {phase_text.map(|msg| view! {
            <p class=if phase == ImportPhase::Failed { "notice error" } else { "notice" } role="status" data-test=format!("import-phase-{}", phase.as_db())>
                {move || i18n.t(msg)}
                {failure.clone().map(|code| view! { " " {move || import_failure_text(&code, i18n.locale())} })}
            </p>
        })}
        {phase.is_running().then(|| view! {
            <p>
                <progress max=total value=processed data-test="import-progress"></progress>
                " " {move || i18n.t(Msg::ImportProgress)} ": " {move || number(processed)} " / " {move || number(total)}
            </p>
        })}
        {editable.then(|| {
            let id = id.clone();
            view! {
                <ActionForm action=check attr:class="form stack" attr:data-test="import-mapping">
                    <input type="hidden" name="id" value=id />
                    <h2>{move || i18n.t(Msg::ImportMapping)}</h2>
                    <table class="data-table">
                        <thead><tr>
                            <th scope="col">{move || i18n.t(Msg::ImportColumn)}</th>
                            <th scope="col">{move || i18n.t(Msg::ImportField)}</th>
                        </tr></thead>
                        <tbody>
                            {headers.iter().enumerate().map(|(index, header)| {
                                let current = mapping.get(index).copied().flatten();
                                view! {
                                    <tr>
                                        <td>{header.clone()}</td>
                                        <td>
                                            <select name=format!("mapping[{index}]") data-test=format!("mapping-{index}") aria-label=header.clone()>
                                                <option value="" selected=current.is_none()>{move || i18n.t(Msg::ImportIgnore)}</option>
                                                {register.fields().iter().copied().map(|field| view! {
                                                    <option value=field.key() selected=current == Some(field)>{move || i18n.t(field.msg())}</option>
                                                }).collect_view()}
                                            </select>
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                    {(!missing.is_empty()).then(|| {
                        let missing = missing.clone();
                        view! {
                            <p class="notice" data-test="import-missing">
                                {move || i18n.t(Msg::ImportMissingFields)} " "
                                {move || missing.iter().map(|field| i18n.t((*field).msg())).collect::<Vec<_>>().join(", ")}
                            </p>
                        }
                    })}
                    <ActionError error=check_error />
                    <button type="submit" class="secondary" data-test="import-check" disabled=move || check.pending().get()>{move || i18n.t(Msg::ImportCheck)}</button>
                </ActionForm>
            }
        })}
        {counts.then(|| view! {
            <table class="data-table" data-test="import-counts">
                <tbody>
                    <tr><th scope="row">{move || i18n.t(if committed { Msg::ImportAdded } else { Msg::ImportToAdd })}</th><td data-test="count-added">{move || number(added)}</td></tr>
                    <tr><th scope="row">{move || i18n.t(if committed { Msg::ImportUpdated } else { Msg::ImportToUpdate })}</th><td data-test="count-updated">{move || number(updated)}</td></tr>
                    <tr><th scope="row">{move || i18n.t(Msg::ImportUnchanged)}</th><td data-test="count-unchanged">{move || number(unchanged)}</td></tr>
                    <tr><th scope="row">{move || i18n.t(Msg::ImportBadRows)}</th><td data-test="count-bad">{move || number(bad)}</td></tr>
                </tbody>
            </table>
        })}
        {(!status.errors.is_empty()).then(|| view! {
            <section class="stack">
                <p class="notice error">{move || i18n.t(Msg::ImportFixAndRecheck)}</p>
                <table class="data-table" data-test="import-errors">
                    <thead><tr>
                        <th scope="col">{move || i18n.t(Msg::ImportRow)}</th>
                        <th scope="col">{move || i18n.t(Msg::ImportColumn)}</th>
                        <th scope="col">{move || i18n.t(Msg::ImportReason)}</th>
                    </tr></thead>
                    <tbody>
                        {status.errors.clone().into_iter().map(|error| {
                            let column = error.column.clone().or_else(|| error.field.map(|f| i18n.t(f.msg()).to_string())).unwrap_or_default();
                            view! {
                                <tr data-test="import-error-row">
                                    <td class="number">{error.row}</td>
                                    <td>{column}</td>
                                    <td>{move || row_problem_text(&error.problem, i18n.locale())}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </section>
        })}
        {can_commit.then(|| view! {
            <ActionForm action=commit attr:data-test="import-commit-form">
                <input type="hidden" name="id" value=id.clone() />
                {has_bad_rows.then(|| view! {
                    <label class="checkbox">
                        <input type="checkbox" name="skip_bad_rows" value="1" data-test="import-skip-bad" />
                        {move || i18n.t(Msg::ImportSkipBadRows)}
                    </label>
                    <FieldMessage error=commit_error field="skip_bad_rows" />
                })}
                <ActionError error=commit_error />
                <button type="submit" class="primary" data-test="import-commit" disabled=move || commit.pending().get()>{move || i18n.t(Msg::ImportCommit)}</button>
            </ActionForm>
        })}
        {committed.then(|| view! {
            <p><A href=format!("/constructions/imports/{}", status.id) attr:data-test="import-changes-link">{move || i18n.t(Msg::ImportChanges)}</A></p>
        })}
    }
}

/// `/constructions/imports`: the public log of committed imports.
#[component]
pub fn ImportLogPage() -> impl IntoView {
    let i18n = use_i18n();
    let list = Resource::new(|| (), |_| recent_imports());
    view! {
        <Title text=move || i18n.t(Msg::ImportLogTitle) />
        <h1 class="page-title">{move || i18n.t(Msg::ImportLogTitle)}</h1>
        <ConstructionNav />
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match list.await {
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                    Ok(rows) if rows.is_empty() => view! { <p class="notice">{move || i18n.t(Msg::NoImports)}</p> }.into_any(),
                    Ok(rows) => view! {
                        <div class="table-wrap">
                            <table class="data-table" data-test="import-log">
                                <thead><tr>
                                    <th scope="col">"№"</th>
                                    <th scope="col">{move || i18n.t(Msg::ImportRegister)}</th>
                                    <th scope="col">{move || i18n.t(Msg::ImportWhen)}</th>
                                    <th scope="col">{move || i18n.t(Msg::ImportWho)}</th>
                                    <th scope="col">{move || i18n.t(Msg::ImportFileName)}</th>
                                    <th scope="col">{move || i18n.t(Msg::ImportAdded)}</th>
                                    <th scope="col">{move || i18n.t(Msg::ImportUpdated)}</th>
                                    <th scope="col">{move || i18n.t(Msg::ImportUnchanged)}</th>
                                </tr></thead>
                                <tbody>
                                    {rows.into_iter().map(|row| {
                                        let at = row.committed_at.unwrap_or(row.created_at);
                                        view! {
                                            <tr>
                                                <td><A href=format!("/constructions/imports/{}", row.id)>{row.id.to_string()}</A></td>
                                                <td>{move || i18n.t(row.register.msg())}</td>
                                                <td>{move || format_local_datetime(i18n.locale(), at)}</td>
                                                <td>{row.user_name.clone()}</td>
                                                <td>{row.file_name.clone()}</td>
                                                <td class="number">{row.added}</td>
                                                <td class="number">{row.updated}</td>
                                                <td class="number">{row.unchanged}</td>
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
    }
}

/// What one import changed, by registry.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
enum ImportChanges {
    /// The history entries of the registry of permits.
    Permitted(Vec<ChangeEntry>),
    /// The illegal constructions it added or changed: id, number, status now.
    Illegal(Vec<(IllegalConstructionId, String, IllegalStatus)>),
}

/// `/constructions/imports/:id`: what one import added and changed.
#[component]
pub fn ImportChangesPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let data = Resource::new(
        move || params.with(|p| p.get("id").unwrap_or_default()),
        |id| async move {
            let status = get_import_status(id.clone()).await?;
            let changes = match status.register {
                Register::Permitted => ImportChanges::Permitted(import_changes(id).await?),
                Register::Illegal => ImportChanges::Illegal(illegal_import_entries(id).await?),
            };
            Ok::<_, AppError>((status, changes))
        },
    );
    view! {
        <Title text=move || i18n.t(Msg::ImportChanges) />
        <h1 class="page-title">{move || i18n.t(Msg::ImportChanges)}</h1>
        <ConstructionNav />
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                    Ok((status, changes)) => view! {
                        <p>
                            {status.file_name.clone()} " · " {status.user_name.clone()} " · "
                            {move || i18n.t(Msg::ImportAdded)} ": " {status.added} " · "
                            {move || i18n.t(Msg::ImportUpdated)} ": " {status.updated} " · "
                            {move || i18n.t(Msg::ImportUnchanged)} ": " {status.unchanged}
                        </p>
                        {match changes {
                            ImportChanges::Permitted(entries) => view! { <ChangeList entries show_entry=true /> }.into_any(),
                            ImportChanges::Illegal(rows) => view! {
                                <ul class="stack" data-test="illegal-import-entries">
                                    {rows.into_iter().map(|(id, number, status)| view! {
                                        <li>
                                            <A href=format!("/constructions/illegal/{id}")>{number}</A>
                                            " " <IllegalBadge status />
                                        </li>
                                    }).collect_view()}
                                </ul>
                            }.into_any(),
                        }}
                    }.into_any(),
                }
            })}
        </Transition>
    }
}
