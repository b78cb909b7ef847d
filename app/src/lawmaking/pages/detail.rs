//! An initiative's page: its stage strip with dates, the concept's text, the supports
//! towards the threshold, the steps the viewer may take, the discussion with the summary
//! of positions, and the public history.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::super::components::{StageBadge, StageEnd, StageStrip, SupportProgress, level_name};
use super::super::model::expertise::{ACT_NUMBER_MAX, ACT_URL_MAX};
use super::super::model::{Action, InitiativeDetail, PositionRule, REASON_MAX, Stage, may};
use super::super::server_fns::{
    AddInitiativeComment, AdoptInitiative, InitiativeStep, ReassignInitiative, SetAuthorEditing,
    SetInitiativeFollow, SetInitiativeSupport, SupportInitiativeComment, get_initiative,
};
use crate::auth::model::SubjectViewer;
use crate::discussion::components::{
    CommentActions, CommentList, CommentModeration, CommentModerationStatus, position_msg,
};
use crate::i18n::{Msg, format_date, format_integer, format_local_datetime, use_i18n};
use crate::organisation::components::{Names, names_resource};
use crate::organisation::model::DepartmentId;
use crate::ui::countdown::Countdown;
use crate::ui::errors::{ActionError, ErrorPage, FieldMessage, last_error};
use civic::comments::{Comment, Position, PositionSummary};

/// `/lawmaking/:id`; `children` is what the route table adds under it (its links to
/// other features' subjects).
#[component]
pub fn InitiativePage(children: Children) -> impl IntoView {
    let params = use_params_map();
    let url = use_query_map();
    let actions = Actions {
        step: ServerAction::new(),
        adopt: ServerAction::new(),
        reassign: ServerAction::new(),
        author_editing: ServerAction::new(),
        support: ServerAction::new(),
        follow: ServerAction::new(),
        comment: ServerAction::new(),
        reply: ServerAction::new(),
        comment_support: ServerAction::new(),
        moderation: CommentModeration::new(),
    };
    let names = names_resource();
    let initiative = Resource::new(
        move || {
            (
                params.with(|p| p.get("id").unwrap_or_default()),
                url.with(|q| q.get("comments").unwrap_or_default()),
                actions.step.version().get(),
                (
                    actions.adopt.version().get(),
                    actions.reassign.version().get(),
                    actions.author_editing.version().get(),
                ),
                actions.support.version().get(),
                actions.follow.version().get(),
                (
                    actions.comment.version().get(),
                    actions.reply.version().get(),
                ),
                actions.comment_support.version().get(),
                actions.moderation.version(),
            )
        },
        |(id, comments, ..)| get_initiative(id, comments),
    );
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let names = names.await;
                match initiative.await {
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                    Ok((detail, viewer)) => view! { <InitiativeView detail viewer names actions /> }.into_any(),
                }
            })}
        </Transition>
        {children()}
    }
}

#[derive(Clone, Copy)]
struct Actions {
    step: ServerAction<InitiativeStep>,
    adopt: ServerAction<AdoptInitiative>,
    reassign: ServerAction<ReassignInitiative>,
    author_editing: ServerAction<SetAuthorEditing>,
    support: ServerAction<SetInitiativeSupport>,
    follow: ServerAction<SetInitiativeFollow>,
    comment: ServerAction<AddInitiativeComment>,
    /// Replies, apart from the new comment's form so that each shows its own outcome.
    reply: ServerAction<AddInitiativeComment>,
    comment_support: ServerAction<SupportInitiativeComment>,
    moderation: CommentModeration,
}

#[component]
fn InitiativeView(
    detail: InitiativeDetail,
    viewer: SubjectViewer,
    names: Names,
    actions: Actions,
) -> impl IntoView {
    let i18n = use_i18n();
    let summary = detail.summary.clone();
    let stage = summary.stage;
    let title = summary.title.clone();
    let level = {
        let (names, summary) = (names.clone(), summary.clone());
        move || level_name(&names, &summary, i18n.locale())
    };
    let theme = {
        let names = names.clone();
        move || names.theme(summary.theme_id, i18n.locale())
    };
    let department = summary
        .department_id
        .and_then(|id| names.department(id).cloned());
    let created_at = detail.created_at;
    let author_edits = detail.author_edits;
    let signed_in = viewer.signed_in;
    let supports = i64::from(summary.support_count);
    // A text is drafted from the drafting stage on; a withdrawn or archived initiative
    // may have one (the page says when it has none).
    let has_text = stage.is_public() && !matches!(stage, Stage::Concept | Stage::Discussion);
    let text_href = format!("/lawmaking/{}/text", summary.id);
    let expertise_href = format!("/lawmaking/{}/expertise", summary.id);
    let ledger_href = format!("/lawmaking/{}/ledger", summary.id);
    view! {
        <Title text=move || title.clone() />
        <article class="initiative stack" data-test="initiative">
            <div class="row">
                <StageBadge stage />
                <StageEnd stage ends=summary.stage_ends_at />
                <span class="muted">{format!("№ {}", summary.id)}</span>
            </div>
            <h1 class="page-title" data-test="initiative-title">{summary.title.clone()}</h1>
            {stage.is_public().then(|| view! { <StageStrip current=stage dates=detail.stage_dates() /> })}
            <dl class="facts">
                <dt>{move || i18n.t(Msg::FilterLevel)}</dt><dd data-test="initiative-level">{level}</dd>
                <dt>{move || i18n.t(Msg::FilterTheme)}</dt><dd>{theme}</dd>
                <dt>{move || i18n.t(Msg::ResponsibleBody)}</dt>
                <dd data-test="department">
                    {match department {
                        Some(department) => {
                            let href = format!("/departments/{}", department.slug);
                            view! { <A href=href>{move || department.name(i18n.locale()).to_string()}</A> }.into_any()
                        }
                        None => view! { <span>{move || i18n.t(Msg::NoResponsibleBody)}</span> }.into_any(),
                    }}
                </dd>
                {author_edits.then(|| view! {
                    <dt>{move || i18n.t(Msg::TextEditors)}</dt>
                    <dd data-test="author-edits">{move || i18n.t(Msg::AuthorEditsText)}</dd>
                })}
                <dt>{move || i18n.t(Msg::InitiativeAuthor)}</dt><dd>{detail.author_name.clone()}</dd>
                <dt>{move || i18n.t(Msg::ProposedAt)}</dt><dd>{move || format_local_datetime(i18n.locale(), created_at)}</dd>
            </dl>
            <section class="stack initiative-text">
                <h2>{move || i18n.t(Msg::InitiativeProblem)}</h2>
                <p class="problem-description">{detail.problem.clone()}</p>
                <h2>{move || i18n.t(Msg::InitiativeGoal)}</h2>
                <p class="problem-description">{detail.goal.clone()}</p>
                <h2>{move || i18n.t(Msg::InitiativeProposal)}</h2>
                <p class="problem-description" data-test="initiative-proposal">{detail.proposal.clone()}</p>
                {has_text.then(|| view! {
                    <p class="row">
                        <A href=text_href attr:class="button secondary" attr:data-test="draft-text-link">{move || i18n.t(Msg::DraftText)}</A>
                        <A href=expertise_href attr:class="button secondary" attr:data-test="expertise-link">{move || i18n.t(Msg::Expertise)}</A>
                        <A href=ledger_href attr:class="button secondary" attr:data-test="ledger-link">{move || i18n.t(Msg::Ledger)}</A>
                    </p>
                })}
            </section>
            <section class="stack" aria-label=move || i18n.t(Msg::Supports)>
                {match stage {
                    Stage::Concept => view! { <SupportProgress count=summary.support_count threshold=summary.support_threshold /> }.into_any(),
                    _ => view! {
                        <span class="support-count" data-test="support-count">{move || format!("{}: {}", i18n.t(Msg::Supports), format_integer(i18n.locale(), supports))}</span>
                    }.into_any(),
                }}
                {signed_in.then(|| view! { <CitizenButtons detail=detail.clone() viewer=viewer.clone() actions /> })}
                {(!signed_in).then(|| view! { <p class="muted"><A href="/login">{move || i18n.t(Msg::SignInToAct)}</A></p> })}
            </section>
            <ReactionFacts detail=detail.clone() names=names.clone() />
            <StepForms detail=detail.clone() viewer=viewer.clone() names=names.clone() actions />
            <Discussion detail=detail.clone() viewer=viewer.clone() actions />
            <History detail />
        </article>
    }
}

#[component]
fn CitizenButtons(
    detail: InitiativeDetail,
    viewer: SubjectViewer,
    actions: Actions,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = Signal::derive(move || {
        last_error(actions.support.value())
            .get()
            .or_else(|| last_error(actions.follow.value()).get())
    });
    let id = detail.summary.id.to_string();
    let (supports, follows) = (viewer.supports, viewer.follows);
    let can_support = detail.summary.stage.takes_supports();
    let support_id = id.clone();
    view! {
        <div class="row">
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
            <ActionForm action=actions.follow>
                <input type="hidden" name="id" value=id />
                <input type="hidden" name="follow" value=(!follows).to_string() />
                <button type="submit" class="secondary" data-test="follow" aria-pressed=follows.to_string()>
                    {move || i18n.t(if follows { Msg::Unsubscribe } else { Msg::Subscribe })}
                </button>
            </ActionForm>
        </div>
        <ActionError error status_name=Stage::stored_name />
    }
}

/// The steps the viewer may take now, as small forms; a step that needs a reason asks
/// for it.
#[component]
fn StepForms(
    detail: InitiativeDetail,
    viewer: SubjectViewer,
    names: Names,
    actions: Actions,
) -> impl IntoView {
    let i18n = use_i18n();
    let step = actions.step;
    let stage = detail.summary.stage;
    let offered = [
        Action::Publish,
        Action::Refuse,
        Action::Advance,
        Action::StartDrafting,
        Action::StartExpertise,
        Action::CloseExpertise,
        Action::SendBack,
        Action::Reject,
        Action::Archive,
        Action::Withdraw,
    ];
    let allowed: Vec<Action> = offered
        .into_iter()
        .filter(|action| may(&viewer, *action, stage))
        .collect();
    let may_adopt = may(&viewer, Action::Adopt, stage);
    let may_reassign = viewer.is_moderator && stage.takes_reassignment();
    let current_body = detail.summary.department_id;
    let error = last_error(step.value());
    let id = detail.summary.id.to_string();
    let adopt_id = id.clone();
    let reassign_id = id.clone();
    let author_editing_id = id.clone();
    let author_edits = detail.author_edits;
    (!allowed.is_empty() || may_adopt || may_reassign).then(|| {
        view! {
            <section class="step-forms stack" data-test="step-forms">
                <h2>{move || i18n.t(Msg::InitiativeSteps)}</h2>
                <ActionError error status_name=Stage::stored_name />
                <FieldMessage error field="action" />
                <div class="step-grid">
                    {may_adopt.then(|| view! { <AdoptForm id=adopt_id adopt=actions.adopt /> })}
                    {may_reassign.then(|| view! { <ReassignForm id=reassign_id names current=current_body reassign=actions.reassign /> })}
                    {may_reassign.then(|| view! { <AuthorEditingForm id=author_editing_id allowed=author_edits set=actions.author_editing /> })}
                    {allowed.into_iter().map(|action| {
                        let text_id = format!("step-{}-text", action.as_db());
                        let id = id.clone();
                        view! {
                            <ActionForm action=step attr:class="step-form stack" attr:data-test=format!("step-{}", action.as_db())>
                                <input type="hidden" name="id" value=id />
                                <input type="hidden" name="action" value=action.as_db() />
                                {action.needs_text().then(|| view! {
                                    <div class="field">
                                        <label for=text_id.clone()>{move || i18n.t(Msg::StepReason)}</label>
                                        <textarea id=text_id.clone() name="text" rows="3" required=true maxlength=REASON_MAX.to_string()></textarea>
                                        <FieldMessage error field="text" />
                                    </div>
                                })}
                                <button type="submit" class=if matches!(action, Action::Refuse | Action::Archive | Action::Withdraw | Action::Reject | Action::SendBack) { "secondary" } else { "primary" }
                                    disabled=move || step.pending().get()>
                                    {move || i18n.t(action.msg())}
                                </button>
                            </ActionForm>
                        }
                    }).collect_view()}
                </div>
            </section>
        }
    })
}

/// A moderator hands the initiative to another active responsible body, with a public
/// reason.
#[component]
fn ReassignForm(
    id: String,
    names: Names,
    current: Option<DepartmentId>,
    reassign: ServerAction<ReassignInitiative>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = last_error(reassign.value());
    let bodies: Vec<(String, String, bool)> = names
        .departments
        .iter()
        .filter(|department| department.is_active)
        .map(|department| {
            (
                department.id.to_string(),
                department.name(i18n.locale()).to_string(),
                Some(department.id) == current,
            )
        })
        .collect();
    view! {
        <ActionForm action=reassign attr:class="step-form stack" attr:data-test="step-reassign">
            <input type="hidden" name="id" value=id />
            <div class="field">
                <label for="reassign-department">{move || i18n.t(Msg::ResponsibleBody)}</label>
                <select id="reassign-department" name="department_id" required=true data-test="reassign-department">
                    {bodies.into_iter().map(|(value, name, selected)| view! { <option value=value selected=selected>{name}</option> }).collect_view()}
                </select>
                <FieldMessage error field="department_id" />
            </div>
            <div class="field">
                <label for="reassign-text">{move || i18n.t(Msg::StepReason)}</label>
                <textarea id="reassign-text" name="text" rows="3" required=true maxlength=REASON_MAX.to_string()></textarea>
                <FieldMessage error field="text" />
            </div>
            <ActionError error status_name=Stage::stored_name />
            <button type="submit" class="secondary" disabled=move || reassign.pending().get()>{move || i18n.t(Msg::ReassignInitiative)}</button>
        </ActionForm>
    }
}

/// A moderator lets the author edit the text beside the responsible body, or takes it
/// back, with a public reason. Offered with the reassignment: both choose who works on
/// the text.
#[component]
fn AuthorEditingForm(
    id: String,
    allowed: bool,
    set: ServerAction<SetAuthorEditing>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = last_error(set.value());
    let label = if allowed {
        Msg::WithdrawAuthorEditing
    } else {
        Msg::AllowAuthorEditing
    };
    view! {
        <ActionForm action=set attr:class="step-form stack" attr:data-test="step-author-editing">
            <input type="hidden" name="id" value=id />
            <input type="hidden" name="allowed" value=(!allowed).to_string() />
            <div class="field">
                <label for="author-editing-text">{move || i18n.t(Msg::StepReason)}</label>
                <textarea id="author-editing-text" name="text" rows="3" required=true maxlength=REASON_MAX.to_string()></textarea>
                <FieldMessage error field="text" />
            </div>
            <ActionError error status_name=Stage::stored_name />
            <button type="submit" class="secondary" disabled=move || set.pending().get()>{move || i18n.t(label)}</button>
        </ActionForm>
    }
}

/// The responsible body adopts the initiative as an act: its number, date and link.
#[component]
fn AdoptForm(id: String, adopt: ServerAction<AdoptInitiative>) -> impl IntoView {
    let i18n = use_i18n();
    let error = last_error(adopt.value());
    view! {
        <ActionForm action=adopt attr:class="step-form stack" attr:data-test="step-adopt">
            <input type="hidden" name="id" value=id />
            <div class="field">
                <label for="act-number">{move || i18n.t(Msg::ActNumber)}</label>
                <input id="act-number" name="act[number]" required=true maxlength=ACT_NUMBER_MAX.to_string() data-test="act-number" />
                <FieldMessage error field="number" />
            </div>
            <div class="field">
                <label for="act-date">{move || i18n.t(Msg::ActDate)}</label>
                <input id="act-date" type="date" name="act[date]" required=true data-test="act-date" />
                <FieldMessage error field="date" />
            </div>
            <div class="field">
                <label for="act-url">{move || i18n.t(Msg::ActUrl)}</label>
                <input id="act-url" type="url" name="act[url]" maxlength=ACT_URL_MAX.to_string() data-test="act-url" />
                <FieldMessage error field="url" />
            </div>
            <ActionError error status_name=Stage::stored_name />
            <button type="submit" class="primary" disabled=move || adopt.pending().get()>{move || i18n.t(Action::Adopt.msg())}</button>
        </ActionForm>
    }
}

/// The government's reaction: its deadline with the public countdown, the overdue mark
/// and the escalation; and the act an adopted initiative became.
#[component]
fn ReactionFacts(detail: InitiativeDetail, names: Names) -> impl IntoView {
    let i18n = use_i18n();
    let stage = detail.summary.stage;
    let now = detail.now;
    let clock = detail.reaction.filter(|_| stage == Stage::Reaction).map(|clock| {
        let escalated = clock
            .escalated_to
            .and_then(|id| names.department(id).cloned());
        let due_at = clock.due_at;
        view! {
            <section class="reaction stack" data-test="reaction">
                <p>
                    <strong>{move || i18n.t(Msg::ReactionDue)}</strong>
                    " "
                    <span data-test="reaction-due">{move || format_local_datetime(i18n.locale(), due_at)}</span>
                    " "
                    <Countdown due=Some(due_at) now />
                </p>
                {clock.overdue_since.map(|since| view! {
                    <p class="notice error" data-test="reaction-overdue">
                        {move || format!("{}: {}", i18n.t(Msg::ReactionOverdueSince), format_local_datetime(i18n.locale(), since))}
                    </p>
                })}
                {escalated.map(|department| view! {
                    <p data-test="reaction-escalated">
                        {move || format!("{} {}", i18n.t(Msg::EscalatedTo), department.name(i18n.locale()))}
                    </p>
                })}
            </section>
        }
    });
    let act = detail.act.map(|act| {
        let date = act.date;
        view! {
            <section class="act stack" data-test="act">
                <h2>{move || i18n.t(Msg::AdoptedAct)}</h2>
                <p>
                    <span data-test="act-number">{format!("№ {}", act.number)}</span>
                    " · "
                    <span>{move || format_date(i18n.locale(), date)}</span>
                </p>
                {act.url.map(|url| view! {
                    <p><a href=url rel="noopener noreferrer" target="_blank">{move || i18n.t(Msg::ActOpen)}</a></p>
                })}
            </section>
        }
    });
    view! { {clock} {act} }
}

/// The discussion: the summary of positions, a page of threads with their replies, and
/// the form (with the position its stage asks for). While the stage takes comments,
/// signed-in readers support other people's comments and reply to any.
#[component]
fn Discussion(detail: InitiativeDetail, viewer: SubjectViewer, actions: Actions) -> impl IntoView {
    let i18n = use_i18n();
    let error = last_error(actions.comment.value());
    let reply_error = last_error(actions.reply.value());
    let support_error = last_error(actions.comment_support.value());
    let rule = detail.summary.stage.takes_comments();
    let id = detail.summary.id.to_string();
    let page = detail.comments;
    let empty = detail.summary.comment_count == 0;
    let later_page = use_query_map()
        .with_untracked(|query| query.get("comments").is_some_and(|after| !after.is_empty()));
    let positions = detail.positions;
    let signed_in = viewer.signed_in;
    let comment_actions: CommentActions = {
        let id = id.clone();
        Callback::new(move |comment: Comment| {
            view! { <CommentSteps initiative=id.clone() comment rule signed_in actions /> }
                .into_any()
        })
    };
    let more = page
        .next_after
        .map(|next| format!("/lawmaking/{id}?comments={next}#discussion"));
    let back = later_page.then(|| format!("/lawmaking/{id}#discussion"));
    view! {
        <section class="stack" id="discussion" data-test="discussion">
            <h2>{move || i18n.t(if detail.summary.stage == Stage::Discussion { Msg::IdeaDiscussion } else { Msg::Comments })}</h2>
            <PositionOverview positions />
            {empty.then(|| view! { <p class="muted">{move || i18n.t(Msg::NoComments)}</p> })}
            <CommentModerationStatus moderation=actions.moderation />
            <ActionError error=reply_error status_name=Stage::stored_name />
            <FieldMessage error=reply_error field="comment" />
            <FieldMessage error=reply_error field="position" />
            <ActionError error=support_error status_name=Stage::stored_name />
            <FieldMessage error=support_error field="comment" />
            {back.map(|href| view! { <A href=href attr:data-test="comments-first">{move || i18n.t(Msg::FirstComments)}</A> })}
            <CommentList comments=page.threads signed_in moderator=viewer.is_moderator moderation=actions.moderation actions=comment_actions />
            {more.map(|href| view! { <A href=href attr:class="button secondary" attr:data-test="comments-more">{move || i18n.t(Msg::MoreComments)}</A> })}
            {rule.filter(|_| signed_in).map(|rule| view! {
                <ActionForm action=actions.comment attr:class="stack" attr:data-test="comment-form">
                    <input type="hidden" name="id" value=id />
                    <PositionChoice rule form="comment" />
                    <FieldMessage error field="position" />
                    <div class="field">
                        <label for="field-comment">{move || i18n.t(Msg::AddComment)}</label>
                        <textarea id="field-comment" name="comment" rows="3" required=true></textarea>
                        <FieldMessage error field="comment" />
                    </div>
                    <ActionError error status_name=Stage::stored_name />
                    <button type="submit" class="primary" disabled=move || actions.comment.pending().get()>{move || i18n.t(Msg::SendComment)}</button>
                </ActionForm>
            })}
        </section>
    }
}

/// The position radios of a comment form; `form` keeps the ids of several forms apart.
#[component]
fn PositionChoice(rule: PositionRule, #[prop(into)] form: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <fieldset class="field position-choice" data-test="position-choice">
            <legend>{move || i18n.t(if rule == PositionRule::Required { Msg::YourPosition } else { Msg::YourPositionOptional })}</legend>
            {Position::ALL.into_iter().map(|position| {
                let input_id = format!("{form}-position-{}", position.as_db());
                let label_for = input_id.clone();
                view! {
                    <label class="checkbox" for=label_for>
                        <input type="radio" id=input_id name="position" value=position.as_db()
                            required=rule == PositionRule::Required data-test=format!("position-{}", position.as_db()) />
                        {move || i18n.t(position_msg(position))}
                    </label>
                }
            }).collect_view()}
        </fieldset>
    }
}

/// Under one comment: its supports (a button for someone else's comment while the
/// discussion is open) and a folded reply form.
#[component]
fn CommentSteps(
    initiative: String,
    comment: Comment,
    rule: Option<PositionRule>,
    signed_in: bool,
    actions: Actions,
) -> impl IntoView {
    let i18n = use_i18n();
    let open = rule.is_some() && signed_in;
    let count = i64::from(comment.supports);
    let supported = comment.supported;
    let comment_id = comment.id.to_string();
    let counted = move || {
        format!(
            "{}: {}",
            i18n.t(Msg::Supports),
            format_integer(i18n.locale(), count)
        )
    };
    let support = if open && !comment.mine {
        let (initiative, comment_id) = (initiative.clone(), comment_id.clone());
        view! {
            <ActionForm action=actions.comment_support attr:class="inline-form comment-support">
                <input type="hidden" name="id" value=initiative />
                <input type="hidden" name="comment" value=comment_id />
                <input type="hidden" name="support" value=(!supported).to_string() />
                <button type="submit" class="secondary" data-test="support-comment" aria-pressed=supported.to_string()>
                    {move || i18n.t(if supported { Msg::WithdrawSupport } else { Msg::Support })}
                    " · " {count.to_string()}
                </button>
            </ActionForm>
        }
        .into_any()
    } else if count > 0 {
        view! { <span class="muted comment-supports" data-test="comment-supports">{counted}</span> }
            .into_any()
    } else {
        ().into_any()
    };
    let reply = rule.filter(|_| open).map(|rule| {
        let field = format!("reply-{comment_id}");
        view! {
            <details class="comment-action" data-test="reply">
                <summary>{move || i18n.t(Msg::Reply)}</summary>
                <ActionForm action=actions.reply attr:class="stack">
                    <input type="hidden" name="id" value=initiative />
                    <input type="hidden" name="reply_to" value=comment_id />
                    <PositionChoice rule form=field.clone() />
                    <label for=field.clone()>{move || i18n.t(Msg::YourReply)}</label>
                    <textarea id=field name="comment" rows="2" required=true></textarea>
                    <button type="submit" class="primary" disabled=move || actions.reply.pending().get()>{move || i18n.t(Msg::SendReply)}</button>
                </ActionForm>
            </details>
        }
    });
    view! { {support} {reply} }
}

/// "For: 12 · Against: 3 · Neutral: 5", when any comment takes a position, and the most
/// supported comment for and against.
#[component]
fn PositionOverview(positions: PositionSummary) -> impl IntoView {
    let i18n = use_i18n();
    let counts = positions.counts;
    let any = Position::ALL
        .into_iter()
        .any(|position| counts.of(position) > 0);
    let leading = [
        (Msg::LeadingFor, "for", positions.leading_for),
        (Msg::LeadingAgainst, "against", positions.leading_against),
    ];
    any.then(|| {
        view! {
            <ul class="position-summary row" data-test="position-summary" aria-label=move || i18n.t(Msg::PositionSummary)>
                {Position::ALL.into_iter().map(|position| {
                    let count = i64::from(counts.of(position));
                    view! {
                        <li class=format!("position position-{}", position.as_db()) data-test=format!("positions-{}", position.as_db())>
                            {move || format!("{}: {}", i18n.t(position_msg(position)), format_integer(i18n.locale(), count))}
                        </li>
                    }
                }).collect_view()}
            </ul>
            {leading.into_iter().filter_map(|(label, side, comment)| comment.map(|comment| {
                let count = i64::from(comment.supports);
                view! {
                    <blockquote class=format!("leading-comment position-{side}") data-test=format!("leading-{side}")>
                        <p class="muted">
                            <strong>{move || i18n.t(label)}</strong>
                            " · " {comment.author_name.clone()}
                            " · " {move || format!("{}: {}", i18n.t(Msg::Supports), format_integer(i18n.locale(), count))}
                        </p>
                        <p>{comment.body.clone()}</p>
                    </blockquote>
                }
            })).collect_view()}
        }
    })
}

/// The public history, oldest first: every step, who took it and why.
#[component]
fn History(detail: InitiativeDetail) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="stack">
            <h2>{move || i18n.t(Msg::InitiativeHistory)}</h2>
            <ol class="timeline" data-test="history">
                {detail.history.into_iter().map(|entry| {
                    let kind = entry.kind;
                    view! {
                        <li class="timeline-entry" data-test="history-entry" data-kind=kind.as_db()>
                            <span class="muted">{move || format_local_datetime(i18n.locale(), entry.at)}</span>
                            " "
                            <strong>{move || i18n.t(kind.msg())}</strong>
                            {entry.actor_name.clone().map(|name| view! { <span>{format!(" — {name}")}</span> })}
                            {entry.body.clone().map(|body| view! { <p class="timeline-body">{body}</p> })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}
