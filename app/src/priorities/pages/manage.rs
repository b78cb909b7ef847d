//! `/manage/priorities`: the keepers' catalogue. Moderators publish or reject citizens'
//! proposals and keep every priority; officials keep their municipality's.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use super::super::model::{ManagedPriorities, Priority, PriorityStatus};
use super::super::server_fns::{DecidePriority, SavePriority, load_managed_priorities};
use super::{PriorityFields, status_msg, where_text};
use crate::i18n::{Msg, format_date, use_i18n};
use crate::organisation::components::names_resource;
use crate::organisation::model::Names;
use crate::ui::errors::{ActionError, ErrorPage, FieldMessage, last_error};

/// `/manage/priorities`.
#[component]
pub fn ManagePrioritiesPage() -> impl IntoView {
    let i18n = use_i18n();
    let names = names_resource();
    let save = ServerAction::<SavePriority>::new();
    let decide = ServerAction::<DecidePriority>::new();
    let written = RwSignal::new(0u32);
    Effect::new(move |_| {
        if matches!(save.value().get(), Some(Ok(())))
            || matches!(decide.value().get(), Some(Ok(())))
        {
            written.update(|count| *count += 1);
        }
    });
    let managed = Resource::new(move || written.get(), |_| load_managed_priorities());
    view! {
        <Title text=move || i18n.t(Msg::PriManageTitle) />
        <h1 class="page-title">{move || i18n.t(Msg::PriManageTitle)}</h1>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let names = names.await;
                match managed.await {
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                    Ok(managed) => view! { <Managed managed names save decide /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Managed(
    managed: ManagedPriorities,
    names: Names,
    save: ServerAction<SavePriority>,
    decide: ServerAction<DecidePriority>,
) -> impl IntoView {
    let i18n = use_i18n();
    let save_error = last_error(save.value());
    let decide_error = last_error(decide.value());
    let ManagedPriorities {
        priorities,
        municipalities,
    } = managed;
    let cards = priorities
        .into_iter()
        .map(|priority| {
            view! {
                <PriorityCard
                    priority
                    names=names.clone()
                    municipalities=municipalities.clone()
                    save
                    decide
                />
            }
        })
        .collect_view();
    view! {
        <details class="card" data-test="new-priority">
            <summary>{move || i18n.t(Msg::PriNewPriority)}</summary>
            <ActionForm action=save attr:class="form stack" attr:data-test="priority-form">
                <input type="hidden" name="id" value="" />
                <ActionError error=save_error />
                <PriorityFields names=names.clone() error=save_error municipalities=municipalities.clone() />
                <button type="submit" class="primary" data-test="priority-save">{move || i18n.t(Msg::PriPublish)}</button>
            </ActionForm>
        </details>
        <ActionError error=decide_error />
        <FieldMessage error=decide_error field="reason" />
        <ul class="stack" data-test="managed-priorities">{cards}</ul>
    }
}

/// One priority with the decisions its status allows.
#[component]
fn PriorityCard(
    priority: Priority,
    names: Names,
    municipalities: Option<Vec<crate::geography::model::MunicipalityId>>,
    save: ServerAction<SavePriority>,
    decide: ServerAction<DecidePriority>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = priority.id.to_string();
    let status = priority.status;
    let municipality = priority.municipality;
    let created = priority.created_at.date();
    let where_names = names.clone();
    let decision = move |name: &'static str, label: Msg, reason: bool| {
        let id = id.clone();
        view! {
            <ActionForm action=decide attr:class="form-inline" attr:data-test=format!("decide-{name}")>
                <input type="hidden" name="id" value=id />
                <input type="hidden" name="decision" value=name />
                {if reason {
                    view! { <input name="reason" required=true aria-label=move || i18n.t(Msg::PriReason) placeholder=move || i18n.t(Msg::PriReason) /> }.into_any()
                } else {
                    view! { <input type="hidden" name="reason" value="" /> }.into_any()
                }}
                <button type="submit" class="secondary">{move || i18n.t(label)}</button>
            </ActionForm>
        }
    };
    let actions = match status {
        PriorityStatus::Proposed => view! {
            {decision("open", Msg::PriPublish, false)}
            {decision("reject", Msg::PriReject, true)}
        }
        .into_any(),
        PriorityStatus::Open => {
            let save_error = last_error(save.value());
            let edited = priority.clone();
            view! {
                {decision("close", Msg::PriClose, true)}
                <details>
                    <summary>{move || i18n.t(Msg::PriEdit)}</summary>
                    <ActionForm action=save attr:class="form stack" attr:data-test="priority-edit-form">
                        <input type="hidden" name="id" value=edited.id.to_string() />
                        <PriorityFields names=names.clone() error=save_error municipalities initial=edited />
                        <button type="submit" class="primary">{move || i18n.t(Msg::PriSave)}</button>
                    </ActionForm>
                </details>
            }
            .into_any()
        }
        PriorityStatus::Closed => decision("open", Msg::PriReopen, false).into_any(),
        PriorityStatus::Rejected => ().into_any(),
    };
    view! {
        <li class="card stack" data-test="managed-priority">
            <h3><A href=format!("/ranks/priority/{}", priority.id)>{priority.title.clone()}</A></h3>
            <p class="muted">
                <span data-test="managed-status">{move || i18n.t(status_msg(status))}</span> " · "
                {move || where_text(&where_names, i18n.locale(), municipality)} " · "
                {move || format_date(i18n.locale(), created)}
            </p>
            <p class="prewrap">{priority.description.clone()}</p>
            {(!priority.decision_reason.is_empty()).then(|| {
                let reason = priority.decision_reason.clone();
                view! { <p class="muted">{move || i18n.t(Msg::PriDecisionReason)} ": " {reason.clone()}</p> }
            })}
            <div class="row">{actions}</div>
        </li>
    }
}
