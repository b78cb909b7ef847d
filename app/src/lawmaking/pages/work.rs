//! `/manage/lawmaking`: the staff's law-making work. Moderators see what waits for
//! moderation and for experts; officials see their bodies' drafts and the remarks waiting
//! for a decision; everyone on staff sees the reactions due (an official, their bodies')
//! with their countdowns, and the control view of reactions per body.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use super::super::components::InitiativeCard;
use super::super::model::work::{BodyReactions, ReactionItem, WorkQueues};
use super::super::model::{InitiativeSummary, THRESHOLD_MAX, Threshold};
use super::super::server_fns::{
    SetInitiativeThreshold, get_initiative_thresholds, get_lawmaking_work,
};
use crate::auth::components::{RequireRole, use_auth};
use crate::auth::model::{Role, STAFF};
use crate::i18n::{Msg, format_integer, format_local_datetime, use_i18n};
use crate::organisation::components::{Names, names_resource};
use crate::ui::countdown::Countdown;
use crate::ui::errors::{ActionError, ErrorPage, FieldMessage, last_error};
use crate::ui::table::TableHead;

/// `/manage/lawmaking`.
#[component]
pub fn LawmakingWorkPage() -> impl IntoView {
    let i18n = use_i18n();
    let names = names_resource();
    let work = Resource::new(|| (), |_| get_lawmaking_work());
    let auth = use_auth();
    let set_threshold = ServerAction::<SetInitiativeThreshold>::new();
    let thresholds = Resource::new(
        move || set_threshold.version().get(),
        |_| get_initiative_thresholds(),
    );
    view! {
        <RequireRole roles=STAFF>
            <Title text=move || i18n.t(Msg::NavLawmakingWork) />
            <h1 class="page-title">{move || i18n.t(Msg::NavLawmakingWork)}</h1>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let names = names.await;
                    match work.await {
                        Err(error) => view! { <ErrorPage error /> }.into_any(),
                        Ok(work) => view! { <Queues work names /> }.into_any(),
                    }
                })}
            </Transition>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let admin = auth.user.await.ok().flatten().is_some_and(|user| user.has_role(Role::Admin));
                    thresholds.await.ok().map(|items| view! { <ThresholdSettings items admin set=set_threshold /> })
                })}
            </Transition>
        </RequireRole>
    }
}

/// The supports a concept of each level needs; administrators change them here.
#[component]
fn ThresholdSettings(
    items: Vec<Threshold>,
    admin: bool,
    set: ServerAction<SetInitiativeThreshold>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = last_error(set.value());
    view! {
        <section class="stack" data-test="thresholds">
            <h2>{move || i18n.t(Msg::SupportThresholds)}</h2>
            <p class="muted">{move || i18n.t(Msg::SupportThresholdsNote)}</p>
            <ActionError error />
            <ul class="plain stack">
                {items.into_iter().map(|threshold| {
                    let level = threshold.level;
                    let input_id = format!("threshold-{}", level.as_db());
                    let supports = threshold.supports;
                    let updated_at = threshold.updated_at;
                    view! {
                        <li data-test="threshold" data-level=level.as_db()>
                            {if admin {
                                view! {
                                    <ActionForm action=set attr:class="form-inline">
                                        <input type="hidden" name="level" value=level.as_db() />
                                        <label for=input_id.clone()>{move || i18n.t(level.msg())}</label>
                                        <input id=input_id type="number" name="supports" min="1" max=THRESHOLD_MAX.to_string()
                                            required=true value=supports.to_string() data-test="threshold-input" />
                                        <button type="submit" class="secondary" disabled=move || set.pending().get()
                                            data-test="threshold-save">{move || i18n.t(Msg::Save)}</button>
                                        <FieldMessage error field="supports" />
                                    </ActionForm>
                                }.into_any()
                            } else {
                                view! {
                                    <span>{move || format!("{}: {}", i18n.t(level.msg()), format_integer(i18n.locale(), i64::from(supports)))}</span>
                                }.into_any()
                            }}
                            <span class="muted" data-test="threshold-updated">{move || format!("{} {}", i18n.t(Msg::ThresholdSetAt), format_local_datetime(i18n.locale(), updated_at))}</span>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn Queues(work: WorkQueues, names: Names) -> impl IntoView {
    let i18n = use_i18n();
    let nothing = work.moderation.is_empty()
        && work.experts_needed.is_empty()
        && work.drafting.is_empty()
        && work.expertise.is_empty()
        && work.reactions.is_empty();
    let expertise: Vec<InitiativeSummary> = work
        .expertise
        .iter()
        .map(|(summary, _)| summary.clone())
        .collect();
    let open_remarks: i64 = work
        .expertise
        .iter()
        .map(|(_, open)| i64::from(*open))
        .sum();
    view! {
        {nothing.then(|| view! { <p class="notice" data-test="no-work">{move || i18n.t(Msg::NoLawmakingWork)}</p> })}
        <Queue name="moderation" title=Msg::QueueModeration items=work.moderation names=names.clone() />
        <Queue name="experts" title=Msg::QueueExpertsNeeded items=work.experts_needed names=names.clone() />
        <Queue name="drafting" title=Msg::QueueDrafting items=work.drafting names=names.clone() />
        {(!expertise.is_empty()).then(|| view! {
            <p class="muted" data-test="queue-open-remarks">{move || format!("{}: {}", i18n.t(Msg::OpenRemarks), format_integer(i18n.locale(), open_remarks))}</p>
        })}
        <Queue name="expertise" title=Msg::QueueExpertise items=expertise names=names.clone() />
        <Reactions items=work.reactions now=work.now names=names.clone() />
        <Control rows=work.control names />
    }
}

/// One queue of initiative cards, left out when empty.
#[component]
fn Queue(
    name: &'static str,
    title: Msg,
    items: Vec<InitiativeSummary>,
    names: Names,
) -> impl IntoView {
    let i18n = use_i18n();
    let count = items.len();
    (count > 0).then(|| {
        view! {
            <section class="stack" data-test=format!("queue-{name}")>
                <h2>{move || format!("{} ({count})", i18n.t(title))}</h2>
                <ul class="problem-list">
                    {items.into_iter().map(|initiative| view! { <InitiativeCard initiative names=names.clone() /> }).collect_view()}
                </ul>
            </section>
        }
    })
}

/// The reactions due, nearest deadline first, each with its countdown.
#[component]
fn Reactions(items: Vec<ReactionItem>, now: chrono::NaiveDateTime, names: Names) -> impl IntoView {
    let i18n = use_i18n();
    (!items.is_empty()).then(|| {
        let count = items.len();
        view! {
            <section class="stack" data-test="queue-reactions">
                <h2>{move || format!("{} ({count})", i18n.t(Msg::QueueReactions))}</h2>
                <ul class="problem-list">
                    {items.into_iter().map(|item| {
                        let href = format!("/lawmaking/{}", item.summary.id);
                        let department = item
                            .summary
                            .department_id
                            .and_then(|id| names.department(id).cloned());
                        let due_at = item.clock.due_at;
                        let overdue = item.clock.overdue_since.is_some();
                        view! {
                            <li class="problem-card" data-test="reaction-item" data-overdue=overdue.to_string()>
                                <h3 class="problem-card-title"><A href=href>{item.summary.title.clone()}</A></h3>
                                <p class="muted">
                                    {department.map(|department| view! { <span>{move || format!("{} · ", department.name(i18n.locale()))}</span> })}
                                    {move || format!("{} {}", i18n.t(Msg::ReactionDue), format_local_datetime(i18n.locale(), due_at))}
                                </p>
                                <Countdown due=Some(due_at) now />
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        }
    })
}

/// Reactions due and overdue per responsible body.
#[component]
fn Control(rows: Vec<BodyReactions>, names: Names) -> impl IntoView {
    let i18n = use_i18n();
    (!rows.is_empty()).then(|| {
        view! {
            <section class="stack" data-test="reaction-control">
                <h2>{move || i18n.t(Msg::ReactionControl)}</h2>
                <div class="table-wrap" tabindex="0">
                <table class="data-table">
                    <TableHead columns=&[Msg::ResponsibleBody, Msg::ReactionsDue, Msg::ReactionsOverdue] />
                    <tbody>
                        {rows.into_iter().map(|row| {
                            let department = names.department(row.department_id).cloned();
                            let (due, overdue) = (i64::from(row.due), i64::from(row.overdue));
                            let overdue_class = if overdue > 0 { "overdue" } else { "" };
                            view! {
                                <tr data-test="control-row">
                                    <td>{move || department.as_ref().map(|department| department.name(i18n.locale()).to_string()).unwrap_or_default()}</td>
                                    <td>{move || format_integer(i18n.locale(), due)}</td>
                                    <td class=overdue_class>{move || format_integer(i18n.locale(), overdue)}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
                </div>
            </section>
        }
    })
}
