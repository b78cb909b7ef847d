//! A problem's page: status and countdown, description, map, responsible department, the
//! public timeline, support / follow / comment, and the steps the viewer may take.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use super::super::components::StatusBadge;
use super::super::model::{
    Actor, EventKind, ProblemAction, ProblemDetail, ProblemStatus, confirmation_deadline,
    plan_deadline,
};
use super::super::server_fns::{AddComment, ProblemStep, SetSubscription, SetSupport, get_problem};
use super::marker_at;
use crate::auth::model::SubjectViewer;
use crate::discussion::components::{CommentList, CommentModeration, CommentModerationStatus};
use crate::i18n::{Msg, format_date, format_integer, format_local_datetime, use_i18n};
use crate::organisation::components::{Names, names_resource};
use crate::ui::countdown::Countdown;
use crate::ui::errors::{ActionError, ErrorPage, FieldMessage, last_error};
use crate::ui::map::MapView;
use platform::error::AppError;

/// `/problems/:id`; `children` is what the route table adds under it (the challenges
/// that concern it).
#[component]
pub fn ProblemPage(children: Children) -> impl IntoView {
    let params = use_params_map();
    let step = ServerAction::<ProblemStep>::new();
    let support = ServerAction::<SetSupport>::new();
    let subscribe = ServerAction::<SetSubscription>::new();
    let comment = ServerAction::<AddComment>::new();
    let moderation = CommentModeration::new();
    let names = names_resource();
    let problem = Resource::new(
        move || {
            (
                params.with(|p| p.get("id").unwrap_or_default()),
                step.version().get(),
                support.version().get(),
                subscribe.version().get(),
                comment.version().get(),
                moderation.version(),
            )
        },
        |(id, ..)| get_problem(id),
    );
    let actions = Actions {
        step,
        support,
        subscribe,
        comment,
        moderation,
    };
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let names = names.await;
                match problem.await {
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                    Ok((detail, viewer)) => view! { <ProblemView detail viewer names actions /> }.into_any(),
                }
            })}
        </Transition>
        {children()}
    }
}

#[derive(Clone, Copy)]
struct Actions {
    step: ServerAction<ProblemStep>,
    support: ServerAction<SetSupport>,
    subscribe: ServerAction<SetSubscription>,
    comment: ServerAction<AddComment>,
    moderation: CommentModeration,
}

#[component]
fn ProblemView(
    detail: ProblemDetail,
    viewer: SubjectViewer,
    names: Names,
    actions: Actions,
) -> impl IntoView {
    let i18n = use_i18n();
    let summary = detail.summary.clone();
    let id = summary.id.to_string();
    let status = summary.status;
    let due = status
        .is_open()
        .then_some(summary.reaction_due_at)
        .flatten();
    let now = detail.now;
    let title = summary.title.clone();
    let heading = summary.title.clone();
    let markers = Signal::derive({
        let title = summary.title.clone();
        move || marker_at(summary.point, title.clone())
    });
    let theme = {
        let names = names.clone();
        move || names.theme(summary.theme_id, i18n.locale())
    };
    let municipality = {
        let names = names.clone();
        move || names.municipality(summary.municipality_id, i18n.locale())
    };
    let department = summary
        .department_id
        .and_then(|id| names.department(id).cloned());
    let escalated = detail
        .escalated_to
        .and_then(|id| names.department(id).cloned());
    let supports = i64::from(summary.support_count);
    let signed_in = viewer.signed_in;
    view! {
        <Title text=move || title.clone() />
        <article class="problem stack" data-test="problem">
            <div class="row">
                <StatusBadge status />
                <Countdown due now />
                <span class="muted">{format!("#{}", summary.id)}</span>
            </div>
            <h1 class="page-title" data-test="problem-title">{heading}</h1>
            <dl class="facts">
                <dt>{move || i18n.t(Msg::FilterTheme)}</dt><dd>{theme}</dd>
                <dt>{move || i18n.t(Msg::FilterMunicipality)}</dt><dd>{municipality}</dd>
                <dt>{move || i18n.t(Msg::Address)}</dt><dd>{summary.address.clone()}</dd>
                <dt>{move || i18n.t(Msg::Responsible)}</dt>
                <dd data-test="department">
                    {match department {
                        Some(department) => {
                            let href = format!("/departments/{}", department.slug);
                            view! { <A href=href>{move || department.name(i18n.locale()).to_string()}</A> }.into_any()
                        }
                        None => view! { <span>{move || i18n.t(Msg::NoDepartment)}</span> }.into_any(),
                    }}
                </dd>
                <dt>{move || i18n.t(Msg::ReportedBy)}</dt><dd>{detail.author_name.clone()}</dd>
                <dt>{move || i18n.t(Msg::ReportedAt)}</dt><dd>{move || format_local_datetime(i18n.locale(), detail.created_at)}</dd>
                {detail.planned_for.map(|date| view! {
                    <dt>{move || i18n.t(Msg::PlannedFor)}</dt><dd data-test="planned-for">{move || format_date(i18n.locale(), date)}</dd>
                })}
                {(status == ProblemStatus::Answered).then_some(due).flatten().map(|due| view! {
                    <dt>{move || i18n.t(Msg::ResultDue)}</dt><dd data-test="result-due">{move || format_local_datetime(i18n.locale(), due)}</dd>
                })}
                {escalated.map(|department| view! {
                    <dt>{move || i18n.t(Msg::EscalatedTo)}</dt><dd data-test="escalated-to">{move || department.name(i18n.locale()).to_string()}</dd>
                })}
            </dl>
            {detail.rejection_reason.clone().map(|reason| view! {
                <p class="notice error" data-test="rejection">{move || format!("{}: {reason}", i18n.t(Msg::RejectionReason))}</p>
            })}
            {detail.duplicate_of.map(|original| view! {
                <p class="notice" data-test="duplicate-of">
                    {move || i18n.t(Msg::DuplicateOf)} " "
                    <A href=format!("/problems/{original}")>{format!("#{original}")}</A>
                </p>
            })}
            <p class="problem-description">{detail.description.clone()}</p>
            <crate::photos::components::PhotoGallery photos=detail.photos.clone() />
            <MapView markers label=Signal::derive(move || i18n.t(Msg::ViewMap).to_string()) />
            <section class="row" aria-label=move || i18n.t(Msg::Supports)>
                <span class="support-count" data-test="support-count">{move || format!("{}: {}", i18n.t(Msg::Supports), format_integer(i18n.locale(), supports))}</span>
                {signed_in.then(|| view! { <CitizenButtons id=id.clone() viewer=viewer.clone() status actions /> })}
            </section>
            {(!signed_in).then(|| view! { <p class="muted"><A href="/login">{move || i18n.t(Msg::SignInToAct)}</A></p> })}
            <StepForms detail=detail.clone() viewer=viewer.clone() names actions />
            <section class="stack">
                <h2>{move || i18n.t(Msg::Timeline)}</h2>
                <ol class="timeline" data-test="timeline">
                    {detail.timeline.iter().cloned().map(|entry| view! {
                        <li class=format!("timeline-entry event-{}", entry.kind.as_db()) data-test="timeline-entry" data-kind=entry.kind.as_db()>
                            <span class="muted">{move || format_local_datetime(i18n.locale(), entry.at)}</span>
                            " "
                            <strong>{move || i18n.t(entry.kind.msg())}</strong>
                            {entry.department_name.clone().map(|(ru, en)| view! { <span>{move || format!(" — {}", if i18n.locale() == crate::i18n::Locale::Ru { &ru } else { &en })}</span> })}
                            {entry.planned_for.map(|date| {
                                let label = if entry.kind == EventKind::Instructed { Msg::ReactBy } else { Msg::PlannedFor };
                                view! { <span>{move || format!(" · {} {}", i18n.t(label), format_date(i18n.locale(), date))}</span> }
                            })}
                            {entry.body.clone().map(|body| view! { <p class="timeline-body">{body}</p> })}
                            <crate::photos::components::PhotoGallery photos=entry.photos.clone() />
                        </li>
                    }).collect_view()}
                </ol>
            </section>
            <Comments detail viewer_signed_in=signed_in viewer_moderator=viewer.is_moderator actions />
        </article>
    }
}

#[component]
fn CitizenButtons(
    id: String,
    viewer: SubjectViewer,
    status: ProblemStatus,
    actions: Actions,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = Signal::derive(move || {
        last_error(actions.support.value())
            .get()
            .or_else(|| last_error(actions.subscribe.value()).get())
    });
    let can_support = status.is_open() || status == ProblemStatus::Resolved;
    let supports = viewer.supports;
    let subscribed = viewer.follows;
    let support_id = id.clone();
    view! {
        {can_support.then(|| view! {
            <ActionForm action=actions.support>
                <input type="hidden" name="id" value=support_id />
                <input type="hidden" name="support" value=(!supports).to_string() />
                <button type="submit" class=if supports { "secondary" } else { "primary" } data-test="support"
                    aria-pressed=supports.to_string()>
                    {move || i18n.t(if supports { Msg::WithdrawSupport } else { Msg::Support })}
                </button>
            </ActionForm>
        })}
        <ActionForm action=actions.subscribe>
            <input type="hidden" name="id" value=id.clone() />
            <input type="hidden" name="subscribe" value=(!subscribed).to_string() />
            <button type="submit" class="secondary" data-test="subscribe" aria-pressed=subscribed.to_string()>
                {move || i18n.t(if subscribed { Msg::Unsubscribe } else { Msg::Subscribe })}
            </button>
        </ActionForm>
        <ActionError error status_name=ProblemStatus::stored_name />
    }
}

/// The steps the viewer may take now, as small forms.
#[component]
fn StepForms(
    detail: ProblemDetail,
    viewer: SubjectViewer,
    names: Names,
    actions: Actions,
) -> impl IntoView {
    let i18n = use_i18n();
    let status = detail.summary.status;
    // The author confirms or reopens a result within its window, and reopens a plan whose
    // day has passed.
    let author_may_act = match status {
        ProblemStatus::Resolved => detail
            .resolved_at
            .is_some_and(|resolved| detail.now <= confirmation_deadline(resolved)),
        ProblemStatus::Planned => detail
            .planned_for
            .is_some_and(|planned_for| detail.now >= plan_deadline(planned_for)),
        _ => false,
    };
    let own = |action: ProblemAction| match action.actor() {
        Actor::Moderator => viewer.is_moderator,
        Actor::Department => viewer.is_department,
        Actor::Author => viewer.is_author && author_may_act,
        Actor::Supervisor | Actor::System => false,
    };
    // The supervising body's group offers only what the viewer may not already do in
    // their own standing, so no form appears twice.
    let allowed = |group: Msg, action: ProblemAction| {
        let by_role = if group == Msg::SupervisorActions {
            viewer.is_supervisor && action.open_to_supervisor() && !own(action)
        } else {
            own(action)
        };
        by_role && status.after(action).is_ok()
    };
    let groups = [
        (
            Msg::OfficialActions,
            vec![
                ProblemAction::Acknowledge,
                ProblemAction::Answer,
                ProblemAction::Plan,
                ProblemAction::Resolve,
                ProblemAction::HandBack,
            ],
        ),
        (
            Msg::SupervisorActions,
            vec![
                ProblemAction::Answer,
                ProblemAction::Instruct,
                ProblemAction::Reassign,
            ],
        ),
        (
            Msg::ModeratorActions,
            vec![
                ProblemAction::Publish,
                ProblemAction::Reject,
                ProblemAction::Reassign,
                ProblemAction::Merge,
                ProblemAction::Edit,
            ],
        ),
        (
            Msg::AuthorActions,
            vec![ProblemAction::Confirm, ProblemAction::Reopen],
        ),
    ];
    let error = last_error(actions.step.value());
    let id = detail.summary.id.to_string();
    let groups: Vec<_> = groups
        .into_iter()
        .map(|(title, list)| {
            (
                title,
                list.into_iter()
                    .filter(|action| allowed(title, *action))
                    .collect::<Vec<_>>(),
            )
        })
        .filter(|(_, list)| !list.is_empty())
        .collect();
    (!groups.is_empty()).then(|| view! {
        <section class="step-forms stack" data-test="step-forms">
            <ActionError error status_name=ProblemStatus::stored_name />
            {groups.into_iter().map(|(title, list)| {
                let id = id.clone();
                let names = names.clone();
                let detail = detail.clone();
                view! {
                    <h2>{move || i18n.t(title)}</h2>
                    {(title == Msg::AuthorActions).then(|| view! { <p class="muted">{move || i18n.t(Msg::AuthorActionsHint)}</p> })}
                    <div class="step-grid">
                        {list.into_iter().map(|action| view! { <StepForm id=id.clone() action names=names.clone() detail=detail.clone() step=actions.step error /> }).collect_view()}
                    </div>
                }
            }).collect_view()}
        </section>
    })
}

#[component]
fn StepForm(
    id: String,
    action: ProblemAction,
    names: Names,
    detail: ProblemDetail,
    step: ServerAction<ProblemStep>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let prefix = format!("step-{}", action.as_db());
    let text_id = format!("{prefix}-text");
    let department_options = names.departments.clone();
    let theme_options = names.themes.clone();
    let point = detail.summary.point;
    let current_theme = detail.summary.theme_id;
    view! {
        <ActionForm action=step attr:class="step-form stack" attr:data-test=format!("step-{}", action.as_db())>
            <input type="hidden" name="id" value=id />
            <input type="hidden" name="action" value=action.as_db() />
            {action.needs_text().then(|| view! {
                <div class="field">
                    <label for=text_id.clone()>{move || i18n.t(Msg::ActionText)}</label>
                    <textarea id=text_id.clone() name="input[text]" rows="3" required=true aria-describedby=format!("{text_id}-hint")></textarea>
                    <p class="field-hint" id=format!("{text_id}-hint")>{move || i18n.t(Msg::ActionTextHint)}</p>
                    <FieldMessage error field="text" />
                </div>
            })}
            {action.needs_date().then(|| view! {
                <div class="field">
                    <label for=format!("{prefix}-date")>{move || i18n.t(if action == ProblemAction::Instruct { Msg::ReactBy } else { Msg::PlannedFor })}</label>
                    <input id=format!("{prefix}-date") type="date" name="input[planned_for]" required=true />
                    <FieldMessage error field="planned_for" />
                </div>
            })}
            {(action == ProblemAction::Reassign).then(|| view! {
                <div class="field">
                    <label for=format!("{prefix}-department")>{move || i18n.t(Msg::ChooseDepartment)}</label>
                    <select id=format!("{prefix}-department") name="input[department_id]" required=true>
                        {department_options.into_iter().filter(|d| d.is_active).map(|d| {
                            let value = d.id.to_string();
                            view! { <option value=value>{move || d.name(i18n.locale()).to_string()}</option> }
                        }).collect_view()}
                    </select>
                    <FieldMessage error field="department_id" />
                </div>
            })}
            {(action == ProblemAction::Resolve).then(|| view! {
                <crate::photos::components::PhotoPicker name="input[photos]" />
                <FieldMessage error field="photos" />
            })}
            {(action == ProblemAction::Merge).then(|| view! {
                <div class="field">
                    <label for=format!("{prefix}-original")>{move || i18n.t(Msg::OriginalNumber)}</label>
                    <input id=format!("{prefix}-original") name="input[original_id]" inputmode="numeric" required=true />
                    <FieldMessage error field="original" />
                </div>
            })}
            {(action == ProblemAction::Edit).then(|| view! {
                <div class="field">
                    <label for=format!("{prefix}-theme")>{move || i18n.t(Msg::FilterTheme)}</label>
                    <select id=format!("{prefix}-theme") name="input[theme_id]">
                        {theme_options.into_iter().map(|t| {
                            let value = t.id.to_string();
                            let selected = t.id == current_theme;
                            view! { <option value=value selected=selected>{move || t.name(i18n.locale()).to_string()}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="row">
                    <div class="field">
                        <label for=format!("{prefix}-lat")>{move || i18n.t(Msg::Latitude)}</label>
                        <input id=format!("{prefix}-lat") name="input[lat]" inputmode="decimal" value=format!("{:.6}", point.lat) />
                    </div>
                    <div class="field">
                        <label for=format!("{prefix}-lon")>{move || i18n.t(Msg::Longitude)}</label>
                        <input id=format!("{prefix}-lon") name="input[lon]" inputmode="decimal" value=format!("{:.6}", point.lon) />
                    </div>
                </div>
                <FieldMessage error field="point" />
            })}
            <button type="submit" class=if action == ProblemAction::Reject || action == ProblemAction::HandBack { "secondary" } else { "primary" }
                disabled=move || step.pending().get()>
                {move || i18n.t(action.msg())}
            </button>
        </ActionForm>
    }
}

#[component]
fn Comments(
    detail: ProblemDetail,
    viewer_signed_in: bool,
    viewer_moderator: bool,
    actions: Actions,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = last_error(actions.comment.value());
    let open =
        detail.summary.status.is_public() && detail.summary.status != ProblemStatus::Duplicate;
    let id = detail.summary.id.to_string();
    let empty = detail.comments.is_empty();
    view! {
        <section class="stack">
            <h2>{move || i18n.t(Msg::Comments)}</h2>
            {empty.then(|| view! { <p class="muted">{move || i18n.t(Msg::NoComments)}</p> })}
            <CommentModerationStatus moderation=actions.moderation />
            <CommentList comments=detail.comments signed_in=viewer_signed_in moderator=viewer_moderator moderation=actions.moderation />
            {(viewer_signed_in && open).then(|| view! {
                <ActionForm action=actions.comment attr:class="stack" attr:data-test="comment-form">
                    <input type="hidden" name="id" value=id />
                    <div class="field">
                        <label for="field-comment">{move || i18n.t(Msg::AddComment)}</label>
                        <textarea id="field-comment" name="comment" rows="3" required=true></textarea>
                        <FieldMessage error field="comment" />
                    </div>
                    <ActionError error status_name=ProblemStatus::stored_name />
                    <button type="submit" class="primary" disabled=move || actions.comment.pending().get()>{move || i18n.t(Msg::SendComment)}</button>
                </ActionForm>
            })}
        </section>
    }
}
