//! The links section the route table adds to the pages of solutions, initiatives,
//! challenges and problems: what the subject is linked to, and for the challenge's owner
//! the forms that link.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};

use super::model::{InitiativeDraft, LinkReading, LinkTarget, LinkedSubject, LinksView};
use super::server_fns::{
    ChallengeOfProblem, LinkChallenge, TurnSolutionIntoInitiative, load_links,
};
use crate::i18n::{Msg, use_i18n};
use crate::ui::errors::{ActionError, FieldMessage, last_error};
use crate::ui::form::{Field, SelectField};
use crate::ui::page_writes::PageWrites;
use civic::subject::SubjectKind;

/// The links of the page's subject (`:id`) of `kind`; nothing when it has none and the
/// reader may make none.
#[component]
pub fn LinkedSubjects(kind: SubjectKind) -> impl IntoView {
    let params = use_params_map();
    let turn = ServerAction::<TurnSolutionIntoInitiative>::new();
    let link = ServerAction::<LinkChallenge>::new();
    let page = PageWrites::around();
    // Read again after the section's own success or the page's, e.g. an answer that
    // accepted the solution; a refused form keeps what was typed.
    let written = RwSignal::new(0u32);
    Effect::new(move |_| {
        let turned = matches!(turn.value().get(), Some(Ok(_)));
        let linked = matches!(link.value().get(), Some(Ok(())));
        if turned || linked {
            written.update(|count| *count += 1);
        }
    });
    let view = Resource::new(
        move || {
            (
                params.with(|p| p.get("id").unwrap_or_default()),
                written.get(),
                page.map(PageWrites::count),
            )
        },
        move |(id, ..)| load_links(kind.as_str().to_string(), id),
    );
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match view.await {
                    Ok(view)
                        if !view.links.is_empty()
                            || view.draft.is_some()
                            || view.may_link
                            || view.may_propose =>
                    {
                        view! { <LinksSection view turn link /> }.into_any()
                    }
                    // The page around shows its own error; an empty section shows nothing.
                    _ => ().into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn LinksSection(
    view: LinksView,
    turn: ServerAction<TurnSolutionIntoInitiative>,
    link: ServerAction<LinkChallenge>,
) -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = params.with_untracked(|p| p.get("id").unwrap_or_default());
    let LinksView {
        links,
        draft,
        may_link,
        may_propose,
    } = view;
    let turned = move || match turn.value().get() {
        Some(Ok(initiative)) => Some(initiative),
        _ => None,
    };
    let has_links = !links.is_empty();
    let items = links
        .into_iter()
        .map(|item| view! { <LinkItem item may_unlink=may_link challenge=id.clone() link /> })
        .collect_view();
    view! {
        <section class="card stack" data-test="links">
            // A problem with no challenge yet shows only the button, under no heading.
            {has_links.then(|| view! {
                <h2>{move || i18n.t(Msg::LnkHeading)}</h2>
                <ul class="links-list">{items}</ul>
            })}
            {move || turned().map(|initiative| view! {
                <p class="notice" role="status" data-test="turned">
                    {move || i18n.t(Msg::LnkTurned)} " "
                    <A href=format!("/lawmaking/{initiative}")>{format!("№{initiative}")}</A>
                </p>
            })}
            {draft.map(|draft| view! { <TurnForm solution=id.clone() draft turn /> })}
            {may_link.then(|| view! { <LinkForm challenge=id.clone() link /> })}
            {may_propose.then(|| view! { <ProposeOnProblem problem=id.clone() /> })}
        </section>
    }
}

#[component]
fn LinkItem(
    item: LinkedSubject,
    may_unlink: bool,
    challenge: String,
    link: ServerAction<LinkChallenge>,
) -> impl IntoView {
    let i18n = use_i18n();
    let LinkedSubject {
        reading,
        kind,
        id,
        title,
        href,
    } = item;
    let target = match reading {
        LinkReading::ConcernsProblem => Some(LinkTarget::Problem),
        LinkReading::ConcernsInitiative => Some(LinkTarget::Initiative),
        _ => None,
    };
    view! {
        <li data-test="link" data-kind=kind>
            <span class="muted">{move || i18n.t(reading.msg())} ": "</span>
            <A href=href>{format!("№{id} ")} {title}</A>
            {target.filter(|_| may_unlink).map(|target| view! {
                <ActionForm action=link attr:class="inline" attr:data-test="unlink-form">
                    <input type="hidden" name="challenge" value=challenge />
                    <input type="hidden" name="kind" value=target.as_str() />
                    <input type="hidden" name="number" value=id.to_string() />
                    <input type="hidden" name="link" value="false" />
                    " " <button type="submit" class="secondary" data-test="unlink">{move || i18n.t(Msg::LnkUnlink)}</button>
                </ActionForm>
            })}
        </li>
    }
}

/// The owner's form that turns the accepted solution into an initiative, starting from
/// the solution's and the challenge's texts.
#[component]
fn TurnForm(
    solution: String,
    draft: InitiativeDraft,
    turn: ServerAction<TurnSolutionIntoInitiative>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = last_error(turn.value());
    let InitiativeDraft {
        title,
        problem,
        proposal,
    } = draft;
    let textarea = move |name: &'static str, label: Msg, field: &'static str, text: String| {
        let id = format!("turn-{field}");
        view! {
            <div class="field">
                <label for=id.clone()>{move || i18n.t(label)}</label>
                <textarea id=id name=name rows="5" required=true>{text}</textarea>
                <FieldMessage error field />
            </div>
        }
    };
    view! {
        <ActionForm action=turn attr:class="form stack" attr:data-test="turn-form">
            <h3>{move || i18n.t(Msg::LnkTurnHeading)}</h3>
            <p class="field-hint">{move || i18n.t(Msg::LnkTurnHint)}</p>
            <input type="hidden" name="solution" value=solution />
            <input type="hidden" name="input[municipality_id]" value="" />
            <input type="hidden" name="input[theme_id]" value="" />
            <ActionError error />
            <Field name="input[title]" label=Msg::InitiativeTitle error required=true value=title />
            {textarea("input[problem]", Msg::InitiativeProblem, "problem", problem)}
            {textarea("input[goal]", Msg::InitiativeGoal, "goal", String::new())}
            {textarea("input[proposal]", Msg::InitiativeProposal, "proposal", proposal)}
            <button type="submit" class="primary" data-test="turn-submit" disabled=move || turn.pending().get()>{move || i18n.t(Msg::LnkTurnSubmit)}</button>
        </ActionForm>
    }
}

/// The owner's form that links the challenge to a problem or an initiative by number.
#[component]
fn LinkForm(challenge: String, link: ServerAction<LinkChallenge>) -> impl IntoView {
    let i18n = use_i18n();
    let error = last_error(link.value());
    let options = Signal::derive(move || {
        LinkTarget::ALL
            .into_iter()
            .map(|target| {
                (
                    target.as_str().to_string(),
                    i18n.t(target.msg()).to_string(),
                )
            })
            .collect::<Vec<_>>()
    });
    view! {
        <ActionForm action=link attr:class="form stack" attr:data-test="link-form">
            <h3>{move || i18n.t(Msg::LnkLinkHeading)}</h3>
            <input type="hidden" name="challenge" value=challenge />
            <input type="hidden" name="link" value="true" />
            <ActionError error />
            <SelectField name="kind" label=Msg::LnkKind error options selected=LinkTarget::Problem.as_str() required=true />
            <Field name="number" label=Msg::LnkNumber error required=true kind="number" />
            <button type="submit" class="primary" data-test="link-submit" disabled=move || link.pending().get()>{move || i18n.t(Msg::LnkLinkSubmit)}</button>
        </ActionForm>
    }
}

/// Proposing how to fix the problem: opens (or finds) the challenge made from it and goes
/// to its proposal form.
#[component]
fn ProposeOnProblem(problem: String) -> impl IntoView {
    let i18n = use_i18n();
    let open = ServerAction::<ChallengeOfProblem>::new();
    let error = last_error(open.value());
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(challenge)) = open.value().get() {
            navigate(
                &format!("/solutions/challenges/{challenge}#propose"),
                Default::default(),
            );
        }
    });
    view! {
        <ActionForm action=open attr:class="form stack" attr:data-test="propose-on-problem">
            <input type="hidden" name="problem" value=problem />
            <ActionError error />
            <p class="field-hint">{move || i18n.t(Msg::LnkProposeHint)}</p>
            <button type="submit" class="primary" data-test="propose-on-problem-submit" disabled=move || open.pending().get()>{move || i18n.t(Msg::LnkProposeOnProblem)}</button>
        </ActionForm>
    }
}
