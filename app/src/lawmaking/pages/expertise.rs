//! `/lawmaking/:id/expertise`: the experts (assigned by a moderator, or volunteering and
//! approved), their conclusions on the version under expertise with remarks tied to its
//! articles, the editor's disposition of every remark, and an assigned expert's form.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use super::super::components::DispositionFields;
use super::super::model::Stage;
use super::super::model::expertise::{
    CONCLUSION_MAX, Conclusion, ExpertRole, ExpertiseView, REMARK_MAX, Remark, RemarkCategory,
    RemarkStatus, Verdict, remark_field,
};
use super::super::server_fns::{
    AssignExpert, DisposeRemark, PublishConclusion, VolunteerAsExpert, get_expertise,
};
use crate::i18n::{Msg, format_integer, format_local_datetime, use_i18n};
use crate::ui::errors::{ActionError, ErrorPage, FieldMessage, last_error};

/// The server actions of the page; it reloads after each one that succeeded, so a
/// refused form keeps what was typed beside its error.
#[derive(Clone, Copy)]
struct Actions {
    assign: ServerAction<AssignExpert>,
    volunteer: ServerAction<VolunteerAsExpert>,
    conclude: ServerAction<PublishConclusion>,
    dispose: ServerAction<DisposeRemark>,
}

/// `/lawmaking/:id/expertise`.
#[component]
pub fn ExpertisePage() -> impl IntoView {
    let params = use_params_map();
    let actions = Actions {
        assign: ServerAction::new(),
        volunteer: ServerAction::new(),
        conclude: ServerAction::new(),
        dispose: ServerAction::new(),
    };
    let reload = RwSignal::new(0u32);
    let succeeded = move |ok: bool| {
        if ok {
            reload.update(|count| *count += 1);
        }
    };
    Effect::new(move |_| succeeded(matches!(actions.assign.value().get(), Some(Ok(_)))));
    Effect::new(move |_| succeeded(matches!(actions.volunteer.value().get(), Some(Ok(_)))));
    Effect::new(move |_| succeeded(matches!(actions.conclude.value().get(), Some(Ok(_)))));
    Effect::new(move |_| succeeded(matches!(actions.dispose.value().get(), Some(Ok(_)))));
    let expertise = Resource::new(
        move || {
            (
                params.with(|p| p.get("id").unwrap_or_default()),
                reload.get(),
            )
        },
        |(id, _)| get_expertise(id),
    );
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match expertise.await {
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                    Ok(view) => view! { <ExpertiseBody id=id() view actions /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ExpertiseBody(id: String, view: ExpertiseView, actions: Actions) -> impl IntoView {
    let i18n = use_i18n();
    let title = view.title.clone();
    let page_title = title.clone();
    let back = format!("/lawmaking/{id}");
    let text_href = format!("/lawmaking/{id}/text");
    let open = i64::from(view.open_remarks());
    let show_open = view.stage == Stage::Expertise;
    let may_dispose = view.may_dispose();
    let current = view.version;
    let empty = view.conclusions.is_empty();
    view! {
        <Title text=move || format!("{} — {}", i18n.t(Msg::Expertise), page_title) />
        <article class="stack expertise" data-test="expertise">
            <p><A href=back>{move || format!("← {title}")}</A></p>
            <h1 class="page-title">{move || i18n.t(Msg::Expertise)}</h1>
            {current.map(|number| view! {
                <p>
                    {move || format!("{}: ", i18n.t(Msg::UnderExpertise))}
                    <A href=text_href attr:data-test="expertise-version">{format!("{} {number}", i18n.t(Msg::Version))}</A>
                </p>
            })}
            {show_open.then(|| view! {
                <p data-test="open-remarks">{move || format!("{}: {}", i18n.t(Msg::OpenRemarks), format_integer(i18n.locale(), open))}</p>
            })}
            <Experts id=id.clone() view=view.clone() actions />
            <section class="stack" data-test="conclusions">
                <h2>{move || i18n.t(Msg::Conclusions)}</h2>
                {empty.then(|| view! { <p class="muted">{move || i18n.t(Msg::NoConclusions)}</p> })}
                <ol class="stack conclusion-list">
                    {view.conclusions.iter().cloned().map(|conclusion| {
                        let disposable = may_dispose && Some(conclusion.version) == current;
                        view! { <ConclusionView conclusion disposable actions /> }
                    }).collect_view()}
                </ol>
            </section>
            {view.may_conclude().then(|| view! { <ConclusionForm id=id.clone() articles=view.articles.clone() actions /> })}
        </article>
    }
}

/// The experts, a moderator's choice of a new one, and the volunteer button.
#[component]
fn Experts(id: String, view: ExpertiseView, actions: Actions) -> impl IntoView {
    let i18n = use_i18n();
    let error = Signal::derive(move || {
        last_error(actions.assign.value())
            .get()
            .or_else(|| last_error(actions.volunteer.value()).get())
    });
    let choosing = matches!(view.stage, Stage::Drafting | Stage::Expertise);
    let moderator = view.viewer.is_moderator && choosing;
    let volunteer = view.expert_role == ExpertRole::Eligible && choosing;
    let empty = view.experts.is_empty();
    let volunteer_id = id.clone();
    let assign_id = id.clone();
    view! {
        <section class="stack" data-test="experts">
            <h2>{move || i18n.t(Msg::Experts)}</h2>
            {empty.then(|| view! { <p class="muted">{move || i18n.t(Msg::NoExperts)}</p> })}
            <ul class="expert-list">
                {view.experts.into_iter().map(|expert| {
                    let approve = (moderator && !expert.assigned).then(|| {
                        let id = id.clone();
                        view! {
                            <ActionForm action=actions.assign attr:class="inline-form">
                                <input type="hidden" name="id" value=id />
                                <input type="hidden" name="expert" value=expert.id.to_string() />
                                <button type="submit" class="secondary" data-test="approve-expert">{move || i18n.t(Msg::ApproveExpert)}</button>
                            </ActionForm>
                        }
                    });
                    view! {
                        <li data-test="expert" data-assigned=expert.assigned.to_string()>
                            <span>{expert.name.clone()}</span>
                            {(!expert.assigned).then(|| view! { <span class="muted">{move || format!(" — {}", i18n.t(Msg::ExpertWaiting))}</span> })}
                            {approve}
                        </li>
                    }
                }).collect_view()}
            </ul>
            {(moderator && !view.candidates.is_empty()).then(|| view! {
                <ActionForm action=actions.assign attr:class="row" attr:data-test="assign-expert">
                    <input type="hidden" name="id" value=assign_id />
                    <div class="field">
                        <label for="expert-choice">{move || i18n.t(Msg::ExpertCandidate)}</label>
                        <select id="expert-choice" name="expert" required=true data-test="expert-choice">
                            {view.candidates.iter().map(|candidate| view! {
                                <option value=candidate.id.to_string()>{candidate.name.clone()}</option>
                            }).collect_view()}
                        </select>
                        <FieldMessage error field="expert" />
                    </div>
                    <button type="submit" class="primary" disabled=move || actions.assign.pending().get()>{move || i18n.t(Msg::AssignExpert)}</button>
                </ActionForm>
            })}
            {volunteer.then(|| view! {
                <ActionForm action=actions.volunteer>
                    <input type="hidden" name="id" value=volunteer_id />
                    <button type="submit" class="primary" data-test="volunteer">{move || i18n.t(Msg::VolunteerAsExpert)}</button>
                </ActionForm>
            })}
            <ActionError error status_name=Stage::stored_name />
        </section>
    }
}

/// One conclusion: its expert, verdict and text, and its remarks with their fate.
#[component]
fn ConclusionView(conclusion: Conclusion, disposable: bool, actions: Actions) -> impl IntoView {
    let i18n = use_i18n();
    let verdict = conclusion.verdict;
    let at = conclusion.created_at;
    view! {
        <li class="conclusion stack" data-test="conclusion">
            <p class="row">
                <strong>{conclusion.expert_name.clone()}</strong>
                <span class=format!("badge verdict-{}", verdict.as_db()) data-test="verdict">{move || i18n.t(verdict.msg())}</span>
                <span class="muted">{move || format!("{} {} · {}", i18n.t(Msg::Version), conclusion.version, format_local_datetime(i18n.locale(), at))}</span>
            </p>
            <p class="problem-description" data-test="conclusion-text">{conclusion.text.clone()}</p>
            {(!conclusion.remarks.is_empty()).then(|| view! {
                <h3>{move || i18n.t(Msg::Remarks)}</h3>
                <ol class="stack remark-list">
                    {conclusion.remarks.iter().cloned().map(|remark| view! { <RemarkView remark disposable actions /> }).collect_view()}
                </ol>
            })}
        </li>
    }
}

#[component]
fn RemarkView(remark: Remark, disposable: bool, actions: Actions) -> impl IntoView {
    let i18n = use_i18n();
    let (status, category) = (remark.status, remark.category);
    let open = status == RemarkStatus::Open;
    let article = remark.article.clone();
    view! {
        <li class="remark stack" data-test="remark" data-status=status.as_db()>
            <p class="row">
                <strong>{move || format!("{} {article}", i18n.t(Msg::ColArticle))}</strong>
                <span class="badge">{move || i18n.t(category.msg())}</span>
                <span class=format!("badge amendment-{}", status.as_db()) data-test="remark-status">{move || i18n.t(status.msg())}</span>
            </p>
            <p class="problem-description" data-test="remark-text">{remark.text.clone()}</p>
            {remark.reason.clone().map(|reason| view! {
                <p data-test="remark-reason"><strong>{move || format!("{}: ", i18n.t(Msg::DispositionReason))}</strong>{reason}</p>
            })}
            {remark.taken_in.map(|number| view! {
                <p class="muted">{move || format!("{} {number}", i18n.t(Msg::TakenInVersion))}</p>
            })}
            {(open && disposable).then(|| view! { <RemarkDisposeForm remark=remark.id.to_string() actions /> })}
        </li>
    }
}

/// The editor's decision on one remark: a reason and one of three dispositions.
#[component]
fn RemarkDisposeForm(remark: String, actions: Actions) -> impl IntoView {
    let i18n = use_i18n();
    let error = last_error(actions.dispose.value());
    let prefix = format!("remark-{remark}");
    view! {
        <ActionForm action=actions.dispose attr:class="stack dispose-form" attr:data-test="remark-dispose-form">
            <input type="hidden" name="remark" value=remark />
            <DispositionFields prefix error name=|disposition| RemarkStatus::Decided(disposition).msg() />
            <button type="submit" class="primary" data-test="dispose" disabled=move || actions.dispose.pending().get()>{move || i18n.t(Msg::RecordDisposition)}</button>
            <ActionError error status_name=RemarkStatus::stored_name />
        </ActionForm>
    }
}

/// An assigned expert's conclusion: the verdict, the text and any number of remarks,
/// each on one article of the version under expertise.
#[component]
fn ConclusionForm(id: String, articles: Vec<String>, actions: Actions) -> impl IntoView {
    let i18n = use_i18n();
    let error = last_error(actions.conclude.value());
    let rows = RwSignal::new(1usize);
    let articles = StoredValue::new(articles);
    view! {
        <section class="stack" data-test="conclusion-form">
            <h2>{move || i18n.t(Msg::PublishConclusion)}</h2>
            <ActionForm action=actions.conclude attr:class="stack">
                <input type="hidden" name="id" value=id />
                <fieldset class="field row">
                    <legend>{move || i18n.t(Msg::ConclusionVerdict)}</legend>
                    {Verdict::ALL.into_iter().map(|verdict| {
                        let input_id = format!("verdict-{}", verdict.as_db());
                        let label_for = input_id.clone();
                        view! {
                            <label class="checkbox" for=label_for>
                                <input type="radio" id=input_id name="input[verdict]" value=verdict.as_db() required=true
                                    data-test=format!("verdict-{}", verdict.as_db()) />
                                {move || i18n.t(verdict.msg())}
                            </label>
                        }
                    }).collect_view()}
                    <FieldMessage error field="verdict" />
                </fieldset>
                <div class="field">
                    <label for="conclusion-text">{move || i18n.t(Msg::ConclusionText)}</label>
                    <textarea id="conclusion-text" name="input[text]" rows="6" required=true maxlength=CONCLUSION_MAX.to_string() data-test="conclusion-input"></textarea>
                    <FieldMessage error field="text" />
                </div>
                <FieldMessage error field="remarks" />
                <For each=move || 0..rows.get() key=|index| *index let:index>
                    <RemarkRow index articles=articles.get_value() error />
                </For>
                <button type="button" class="secondary" data-test="add-remark" on:click=move |_| rows.update(|count| *count += 1)>
                    {move || i18n.t(Msg::AddRemark)}
                </button>
                <ActionError error status_name=Stage::stored_name />
                <button type="submit" class="primary" data-test="publish-conclusion" disabled=move || actions.conclude.pending().get()>
                    {move || i18n.t(Msg::PublishConclusion)}
                </button>
            </ActionForm>
        </section>
    }
}

/// One remark's row of the conclusion form; a row left empty is skipped.
#[component]
fn RemarkRow(
    index: usize,
    articles: Vec<String>,
    #[prop(into)] error: Signal<Option<platform::error::AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let name = |part: &str| format!("input[remarks][{index}][{part}]");
    let (article_id, category_id, text_id) = (
        format!("remark-{index}-article"),
        format!("remark-{index}-category"),
        format!("remark-{index}-text"),
    );
    let (article_for, category_for, text_for) =
        (article_id.clone(), category_id.clone(), text_id.clone());
    view! {
        <fieldset class="stack remark-row" data-test="remark-row">
            <legend>{move || format!("{} {}", i18n.t(Msg::RemarkNumber), index + 1)}</legend>
            <div class="row">
                <div class="field">
                    <label for=article_for>{move || i18n.t(Msg::ColArticle)}</label>
                    <select id=article_id name=name("article") data-test="remark-article">
                        <option value="">"—"</option>
                        {articles.into_iter().map(|label| view! { <option value=label.clone()>{label.clone()}</option> }).collect_view()}
                    </select>
                    <FieldMessage error field=remark_field(index, "article") />
                </div>
                <div class="field">
                    <label for=category_for>{move || i18n.t(Msg::RemarkCategoryLabel)}</label>
                    <select id=category_id name=name("category") data-test="remark-category">
                        {RemarkCategory::ALL.into_iter().map(|category| view! {
                            <option value=category.as_db()>{move || i18n.t(category.msg())}</option>
                        }).collect_view()}
                    </select>
                    <FieldMessage error field=remark_field(index, "category") />
                </div>
            </div>
            <div class="field">
                <label for=text_for>{move || i18n.t(Msg::RemarkText)}</label>
                <textarea id=text_id name=name("text") rows="3" maxlength=REMARK_MAX.to_string() data-test="remark-input"></textarea>
                <FieldMessage error field=remark_field(index, "text") />
            </div>
        </fieldset>
    }
}
