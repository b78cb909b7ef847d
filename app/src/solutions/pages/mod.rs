//! `/solutions` (the challenges, their map, and the staff's form to publish one),
//! `/solutions/challenges/:id` (a challenge, its solutions and the form to propose one
//! with a sketch) and `/solutions/:id` (a solution: its sketch, supports, discussion and
//! the owner's answer).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::model::{
    ChallengeDetail, ChallengeList, ChallengeSummary, SolutionDetail, SolutionOrder,
    SolutionStatus, SolutionSummary,
};
use super::server_fns::{
    AnswerSolution, CommentSolution, FollowChallenge, ProposeSolution, PublishChallenge,
    SupportSolution, load_challenge, load_challenges, load_solution,
};
use crate::discussion::components::{CommentField, CommentModeration, Discussion};
use crate::geography::model::MunicipalityId;
use crate::i18n::{Locale, Message as _, Msg, format_date, format_integer, use_i18n};
use crate::moderation::components::ReportForm;
use crate::moderation::model::ReportedKind;
use crate::organisation::components::names_resource;
use crate::organisation::model::Names;
use crate::photos::components::{PhotoGallery, PhotoPicker};
use crate::ui::errors::{ActionError, ErrorPage, FieldMessage, last_error};
use crate::ui::form::{Field, SelectField};
use crate::ui::map::{MapMarker, MapShape, MapView, sketch_layers};
use crate::ui::page_writes::PageWrites;
use crate::ui::pager::Pager;
use crate::ui::sketch_field::SketchField;
use platform::sketch::Sketch;

/// Where a challenge is: the whole region, or its municipality's name.
fn where_text(names: &Names, locale: Locale, municipality: Option<MunicipalityId>) -> String {
    match municipality {
        Some(municipality) => names.municipality(municipality, locale),
        None => Msg::SolWholeRegion.text(locale).to_string(),
    }
}

/// The status's name.
fn status_msg(status: SolutionStatus) -> Msg {
    match status {
        SolutionStatus::UnderConsideration => Msg::SolStatusUnderConsideration,
        SolutionStatus::Accepted => Msg::SolStatusAccepted,
        SolutionStatus::InWork => Msg::SolStatusInWork,
        SolutionStatus::Implemented => Msg::SolStatusImplemented,
        SolutionStatus::Declined => Msg::SolStatusDeclined,
    }
}

/// The markers and shapes of some sketches, each titled.
fn sketches_on_map<'a>(
    sketches: impl Iterator<Item = (&'a Sketch, String)>,
) -> (Vec<MapMarker>, Vec<MapShape>) {
    let (mut markers, mut shapes) = (Vec::new(), Vec::new());
    for (sketch, title) in sketches {
        let (more_markers, more_shapes) = sketch_layers(sketch, &title);
        markers.extend(more_markers);
        shapes.extend(more_shapes);
    }
    (markers, shapes)
}

/// `/solutions`.
#[component]
pub fn ChallengesPage() -> impl IntoView {
    let i18n = use_i18n();
    let url = use_query_map();
    let names = names_resource();
    let publish = ServerAction::<PublishChallenge>::new();
    let filters = Memo::new(move |_| {
        url.with(|map| {
            (
                map.get("municipality").unwrap_or_default(),
                map.get("theme").unwrap_or_default(),
                map.get("state").unwrap_or_default(),
            )
        })
    });
    // Read again after a published challenge only: a refused form keeps what was typed
    // and drawn. The form stays open across the new read.
    let written = RwSignal::new(0u32);
    Effect::new(move |_| {
        if matches!(publish.value().get(), Some(Ok(_))) {
            written.update(|count| *count += 1);
        }
    });
    let publishing = RwSignal::new(false);
    let list = Resource::new(
        move || (filters.get(), written.get()),
        |((municipality, theme, state), _)| load_challenges(municipality, theme, state),
    );
    view! {
        <Title text=move || i18n.t(Msg::NavSolutions) />
        <h1 class="page-title">{move || i18n.t(Msg::NavSolutions)}</h1>
        <p class="lead">{move || i18n.t(Msg::SolLead)}</p>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let names = names.await;
                match list.await {
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                    Ok(list) => view! { <Challenges list names filters=filters.get() publish publishing /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Challenges(
    list: ChallengeList,
    names: Names,
    filters: (String, String, String),
    publish: ServerAction<PublishChallenge>,
    publishing: RwSignal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let ChallengeList {
        challenges,
        may_publish,
    } = list;
    let (municipality, theme, state) = filters;
    let (markers, shapes) = sketches_on_map(
        challenges
            .iter()
            .filter_map(|challenge| Some((challenge.area.as_ref()?, challenge.title.clone()))),
    );
    let has_map = !markers.is_empty() || !shapes.is_empty();
    let municipality_options = {
        let names = names.clone();
        move || {
            names
                .municipalities
                .iter()
                .map(|m| (m.id.to_string(), m.name(i18n.locale()).to_string()))
                .collect::<Vec<_>>()
        }
    };
    let theme_options = {
        let names = names.clone();
        move || {
            names
                .themes
                .iter()
                .map(|t| (t.id.to_string(), t.name(i18n.locale()).to_string()))
                .collect::<Vec<_>>()
        }
    };
    let cards = challenges
        .iter()
        .cloned()
        .map(|challenge| view! { <ChallengeCard challenge names=names.clone() /> })
        .collect_view();
    let empty = challenges.is_empty();
    view! {
        <form class="form-inline" method="get" action="/solutions" data-test="challenge-filter">
            <label for="challenge-municipality">{move || i18n.t(Msg::Municipality)}</label>
            <select id="challenge-municipality" name="municipality">
                <option value="">{move || i18n.t(Msg::SolAllPlaces)}</option>
                {move || municipality_options().into_iter().map(|(value, text)| {
                    let selected = value == municipality;
                    view! { <option value=value selected=selected>{text}</option> }
                }).collect_view()}
            </select>
            <label for="challenge-theme">{move || i18n.t(Msg::Theme)}</label>
            <select id="challenge-theme" name="theme">
                <option value="">{move || i18n.t(Msg::SolAllThemes)}</option>
                {move || theme_options().into_iter().map(|(value, text)| {
                    let selected = value == theme;
                    view! { <option value=value selected=selected>{text}</option> }
                }).collect_view()}
            </select>
            <label class="checkbox">
                <input type="checkbox" name="state" value="open" checked={state == "open"} />
                {move || i18n.t(Msg::SolOnlyOpen)}
            </label>
            <button type="submit" class="secondary">{move || i18n.t(Msg::SvcShow)}</button>
        </form>
        {has_map.then(|| view! {
            <MapView markers=Signal::derive(move || markers.clone()) shapes=Signal::derive(move || shapes.clone())
                label=Signal::derive(move || i18n.t(Msg::SolChallengesMap).to_string()) />
        })}
        {if empty {
            view! { <p class="muted" data-test="no-challenges">{move || i18n.t(Msg::SolNoChallenges)}</p> }.into_any()
        } else {
            view! { <ul class="cards" data-test="challenges">{cards}</ul> }.into_any()
        }}
        {may_publish.then(|| view! { <PublishForm names publish publishing /> })}
    }
}

/// One challenge in the list.
#[component]
fn ChallengeCard(challenge: ChallengeSummary, names: Names) -> impl IntoView {
    let i18n = use_i18n();
    let ChallengeSummary {
        id,
        title,
        municipality,
        theme,
        proposals_until,
        solution_count,
        ..
    } = challenge;
    let where_names = names.clone();
    view! {
        <li class="card stack" data-test="challenge-card">
            <h2><A href=format!("/solutions/challenges/{id}")>{title}</A></h2>
            <p class="muted">
                {move || where_text(&where_names, i18n.locale(), municipality)} " · "
                {move || names.theme(theme, i18n.locale())}
            </p>
            <p>
                <span data-test="solution-count">{move || i18n.t(Msg::SolSolutionCount).replace("{count}", &format_integer(i18n.locale(), i64::from(solution_count)))}</span>
                " · "
                {move || i18n.t(Msg::SolProposalsUntil).replace("{date}", &format_date(i18n.locale(), proposals_until))}
            </p>
        </li>
    }
}

/// The staff's form to publish a challenge, opened by its button (so its map is laid out
/// in a visible box).
#[component]
fn PublishForm(
    names: Names,
    publish: ServerAction<PublishChallenge>,
    publishing: RwSignal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = last_error(publish.value());
    let published = move || match publish.value().get() {
        Some(Ok(id)) => Some(id),
        _ => None,
    };
    let options = |names: &Names, pick: fn(&Names, Locale) -> Vec<(String, String)>| {
        let names = names.clone();
        Signal::derive(move || pick(&names, i18n.locale()))
    };
    let municipalities = options(&names, |names, locale| {
        names
            .municipalities
            .iter()
            .map(|m| (m.id.to_string(), m.name(locale).to_string()))
            .collect()
    });
    let themes = options(&names, |names, locale| {
        names
            .themes
            .iter()
            .filter(|t| t.is_active)
            .map(|t| (t.id.to_string(), t.name(locale).to_string()))
            .collect()
    });
    let departments = options(&names, |names, locale| {
        names
            .departments
            .iter()
            .filter(|d| d.is_active)
            .map(|d| (d.id.to_string(), d.name(locale).to_string()))
            .collect()
    });
    view! {
        <section class="stack" data-test="publish-challenge">
            <button type="button" class="secondary" data-test="publish-open"
                aria-expanded=move || publishing.get().to_string()
                on:click=move |_| publishing.update(|open| *open = !*open)>
                {move || i18n.t(Msg::SolPublish)}
            </button>
            <Show when=move || publishing.get()>
                <ActionForm action=publish attr:class="form stack" attr:data-test="publish-challenge-form">
                    <ActionError error />
                    <SelectField name="input[municipality]" label=Msg::Municipality error options=municipalities empty=Msg::SolWholeRegion />
                    <SelectField name="input[theme]" label=Msg::Theme error options=themes required=true />
                    <SelectField name="input[department]" label=Msg::SolOwner error options=departments empty=Msg::SolOwnerModerators />
                    <Field name="input[title]" label=Msg::SolTitle error required=true />
                    <div class="field">
                        <label for="challenge-description">{move || i18n.t(Msg::SolDescription)}</label>
                        <textarea id="challenge-description" name="input[description]" rows="6" required=true></textarea>
                        <FieldMessage error field="description" />
                    </div>
                    <Field name="input[proposals_until]" label=Msg::SolProposalsUntilLabel error kind="date" required=true />
                    <SketchField name="input[area]" label=Msg::SolArea error />
                    {move || published().map(|id| view! {
                        <p class="notice" role="status" data-test="challenge-published">
                            {move || i18n.t(Msg::SolPublished)} " "
                            <A href=format!("/solutions/challenges/{id}")>{move || i18n.t(Msg::SolOpenChallenge)}</A>
                        </p>
                    })}
                    <button type="submit" class="primary" data-test="publish-submit" disabled=move || publish.pending().get()>{move || i18n.t(Msg::SolPublish)}</button>
                </ActionForm>
            </Show>
        </section>
    }
}

/// `/solutions/challenges/:id`; `children` is what the route table adds under it (the
/// links to problems and initiatives).
#[component]
pub fn ChallengePage(children: Children) -> impl IntoView {
    let params = use_params_map();
    let url = use_query_map();
    let names = names_resource();
    let propose = ServerAction::<ProposeSolution>::new();
    let support = ServerAction::<SupportSolution>::new();
    let follow = ServerAction::<FollowChallenge>::new();
    // Read again after a success only: a refused proposal keeps what was typed and drawn.
    let written = RwSignal::new(0u32);
    Effect::new(move |_| {
        let proposed = matches!(propose.value().get(), Some(Ok(_)));
        let supported = matches!(support.value().get(), Some(Ok(_)));
        let followed = matches!(follow.value().get(), Some(Ok(())));
        if proposed || supported || followed {
            written.update(|count| *count += 1);
        }
    });
    let detail = Resource::new(
        move || {
            (
                params.with(|p| p.get("id").unwrap_or_default()),
                url.with(|q| q.get("sort").unwrap_or_default()),
                url.with(|q| q.get("status").unwrap_or_default()),
                url.with(|q| {
                    q.get("page")
                        .and_then(|page| page.parse().ok())
                        .unwrap_or(0)
                }),
                written.get(),
            )
        },
        |(id, sort, status, page, _)| load_challenge(id, sort, status, page),
    );
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let names = names.await;
                match detail.await {
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                    Ok(detail) => view! { <ChallengeView detail names propose support follow /> }.into_any(),
                }
            })}
        </Transition>
        {children()}
    }
}

#[component]
fn ChallengeView(
    detail: ChallengeDetail,
    names: Names,
    propose: ServerAction<ProposeSolution>,
    support: ServerAction<SupportSolution>,
    follow: ServerAction<FollowChallenge>,
) -> impl IntoView {
    let i18n = use_i18n();
    let ChallengeDetail {
        summary,
        description,
        solutions,
        order,
        status,
        page,
        has_more,
        open,
        may_propose,
        signed_in,
        followers,
        following,
        hidden_reason,
        owner,
        ..
    } = detail;
    let id = summary.id;
    let title = summary.title.clone();
    let (area_markers, area_shapes) = sketches_on_map(
        summary
            .area
            .iter()
            .map(|area| (area, Msg::SolArea.text(i18n.locale()).to_string())),
    );
    let (sketch_markers, sketch_shapes) = sketches_on_map(
        solutions
            .iter()
            .filter_map(|solution| Some((solution.sketch.as_ref()?, solution.title.clone()))),
    );
    let map_markers: Vec<MapMarker> = area_markers
        .iter()
        .chain(&sketch_markers)
        .cloned()
        .collect();
    let map_shapes: Vec<MapShape> = area_shapes.iter().chain(&sketch_shapes).cloned().collect();
    let has_map = !map_markers.is_empty() || !map_shapes.is_empty();
    let where_names = names.clone();
    let support_error = last_error(support.value());
    let current_order = order;
    let status_query = status.map_or(String::new(), |status| {
        format!("&status={}", status.as_db())
    });
    let page_link = {
        let status_query = status_query.clone();
        move |page: u32| {
            format!(
                "/solutions/challenges/{id}?sort={}{status_query}&page={page}",
                current_order.as_str()
            )
        }
    };
    let previous = (page > 0).then(|| page_link(page - 1));
    let next = has_more.then(|| page_link(page + 1));
    let status_options = move || {
        SolutionStatus::ALL
            .into_iter()
            .map(|option| {
                view! {
                    <option value=option.as_db() selected=status == Some(option)>{move || i18n.t(status_msg(option))}</option>
                }
            })
            .collect_view()
    };
    let sort_link = move |order: SolutionOrder, label: Msg| {
        view! {
            <a href=format!("/solutions/challenges/{id}?sort={}{status_query}", order.as_str())
                aria-current=(order == current_order).then_some("page")
                data-test=format!("sort-{}", order.as_str())>
                {move || i18n.t(label)}
            </a>
        }
    };
    let empty = solutions.is_empty();
    let cards = solutions
        .into_iter()
        .map(|solution| view! { <SolutionCard solution support signed_in /> })
        .collect_view();
    view! {
        <Title text=title.clone() />
        <article class="stack" data-test="challenge">
            <p><A href="/solutions">{move || i18n.t(Msg::NavSolutions)}</A></p>
            <h1 class="page-title" data-test="challenge-title">{title}</h1>
            <p class="muted">
                {move || where_text(&where_names, i18n.locale(), summary.municipality)} " · "
                {move || names.theme(summary.theme, i18n.locale())} " · "
                <span data-test="challenge-period">{move || i18n.t(if open { Msg::SolProposalsUntil } else { Msg::SolProposalsEnded })
                    .replace("{date}", &format_date(i18n.locale(), summary.proposals_until))}</span>
            </p>
            <div class="row">
                <span data-test="challenge-followers">{move || i18n.t(Msg::PplFollowers).replace("{count}", &format_integer(i18n.locale(), followers.try_into().unwrap_or(i64::MAX)))}</span>
                {signed_in.then(|| view! {
                    <ActionForm action=follow attr:class="inline" attr:data-test="follow-challenge-form">
                        <input type="hidden" name="id" value=id.to_string() />
                        <input type="hidden" name="follow" value=(!following).to_string() />
                        <button type="submit" class=if following { "secondary" } else { "primary" } data-test="follow-challenge" disabled=move || follow.pending().get()>
                            {move || i18n.t(if following { Msg::PplUnfollow } else { Msg::SolFollowChallenge })}
                        </button>
                    </ActionForm>
                })}
            </div>
            <ActionError error=last_error(follow.value()) />
            // Those who own it answer its solutions; anyone else signed in may report it.
            {(signed_in && !owner).then(|| view! { <ReportForm kind=ReportedKind::Challenge id=id.0 /> })}
            {hidden_reason.map(|reason| view! {
                <p class="notice" data-test="challenge-hidden">{move || i18n.t(Msg::SolHiddenNotice)} " " {reason.clone()}</p>
            })}
            <p class="prewrap">{description}</p>
            {has_map.then(|| view! {
                <MapView markers=Signal::derive(move || map_markers.clone()) shapes=Signal::derive(move || map_shapes.clone())
                    label=Signal::derive(move || i18n.t(Msg::SolChallengeMap).to_string()) />
            })}
            <section class="stack" data-test="solutions">
                <h2>{move || i18n.t(Msg::SolSolutions)}</h2>
                <nav class="tabs" aria-label=move || i18n.t(Msg::SolSort)>
                    {sort_link(SolutionOrder::Supports, Msg::SolSortSupports)}
                    {sort_link(SolutionOrder::Newest, Msg::SolSortNewest)}
                </nav>
                <p class="muted">{move || i18n.t(match current_order {
                    SolutionOrder::Supports => Msg::SolSortedBySupports,
                    SolutionOrder::Newest => Msg::SolSortedByDate,
                })}</p>
                <form class="form-inline" method="get" action=format!("/solutions/challenges/{id}") data-test="solution-filter">
                    <input type="hidden" name="sort" value=current_order.as_str() />
                    <label for="solution-status">{move || i18n.t(Msg::SolStatus)}</label>
                    <select id="solution-status" name="status">
                        <option value="">{move || i18n.t(Msg::SolAllStatuses)}</option>
                        {status_options}
                    </select>
                    <button type="submit" class="secondary">{move || i18n.t(Msg::SvcShow)}</button>
                </form>
                <ActionError error=support_error />
                {if empty {
                    view! { <p class="muted" data-test="no-solutions">{move || i18n.t(Msg::SolNoSolutions)}</p> }.into_any()
                } else {
                    view! { <ul class="cards">{cards}</ul> }.into_any()
                }}
                {(previous.is_some() || next.is_some()).then(|| view! { <Pager page=page + 1 previous next /> })}
            </section>
            {if may_propose {
                view! { <ProposeForm challenge=id area_markers area_shapes propose /> }.into_any()
            } else if open {
                view! {
                    <p class="notice" data-test="sign-in-to-propose">
                        <A href="/login">{move || i18n.t(Msg::SignIn)}</A> " " {move || i18n.t(Msg::SolSignInToPropose)}
                    </p>
                }.into_any()
            } else {
                view! { <p class="notice" data-test="proposals-closed">{move || i18n.t(Msg::SolClosedNotice)}</p> }.into_any()
            }}
        </article>
    }
}

/// One solution in a challenge's list, with its support button.
#[component]
fn SolutionCard(
    solution: SolutionSummary,
    support: ServerAction<SupportSolution>,
    signed_in: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let SolutionSummary {
        id,
        title,
        status,
        supports,
        comments,
        supported,
        author_name,
        created_at,
        sketch,
        ..
    } = solution;
    view! {
        <li class="card stack" data-test="solution-card">
            <h3><A href=format!("/solutions/{id}")>{title}</A></h3>
            <p class="muted">
                <span data-test="solution-status">{move || i18n.t(status_msg(status))}</span> " · "
                {author_name} " · " {move || format_date(i18n.locale(), created_at.date())}
                {sketch.is_some().then(|| view! { " · " {move || i18n.t(Msg::SolHasSketch)} })}
            </p>
            <div class="row">
                <span data-test="solution-supports">{move || i18n.t(Msg::SolSupports).replace("{count}", &format_integer(i18n.locale(), i64::from(supports)))}</span>
                <span class="muted">{move || i18n.t(Msg::SolComments).replace("{count}", &format_integer(i18n.locale(), i64::from(comments)))}</span>
                {signed_in.then(|| view! { <SupportButton solution=id.0 supported support /> })}
            </div>
        </li>
    }
}

/// Support a solution, or withdraw the support given.
#[component]
fn SupportButton(
    solution: u64,
    supported: bool,
    support: ServerAction<SupportSolution>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (label, class) = if supported {
        (Msg::SolWithdrawSupport, "secondary")
    } else {
        (Msg::SolSupport, "primary")
    };
    view! {
        <ActionForm action=support attr:class="inline" attr:data-test="support-form">
            <input type="hidden" name="solution" value=solution.to_string() />
            <input type="hidden" name="support" value=(!supported).to_string() />
            <button type="submit" class=class data-test="support" disabled=move || support.pending().get()>{move || i18n.t(label)}</button>
        </ActionForm>
    }
}

/// A citizen's solution to the challenge, with a sketch drawn over its area.
#[component]
fn ProposeForm(
    challenge: super::model::ChallengeId,
    area_markers: Vec<MapMarker>,
    area_shapes: Vec<MapShape>,
    propose: ServerAction<ProposeSolution>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = last_error(propose.value());
    let proposed = move || match propose.value().get() {
        Some(Ok(id)) => Some(id),
        _ => None,
    };
    view! {
        <section class="stack" id="propose" data-test="propose-solution">
            <h2>{move || i18n.t(Msg::SolPropose)}</h2>
            <ActionForm action=propose attr:class="form stack" attr:data-test="propose-solution-form">
                <input type="hidden" name="challenge" value=challenge.to_string() />
                <ActionError error />
                <Field name="input[title]" label=Msg::SolTitle error required=true />
                <div class="field">
                    <label for="solution-description">{move || i18n.t(Msg::SolDescription)}</label>
                    <textarea id="solution-description" name="input[description]" rows="6" required=true></textarea>
                    <FieldMessage error field="description" />
                </div>
                <SketchField name="input[sketch]" label=Msg::SolSketch error
                    markers=Signal::derive(move || area_markers.clone()) shapes=Signal::derive(move || area_shapes.clone()) />
                <PhotoPicker name="input[photos]" />
                <FieldMessage error field="photos" />
                {move || proposed().map(|id| view! {
                    <p class="notice" role="status" data-test="solution-proposed">
                        {move || i18n.t(Msg::SolProposed)} " "
                        <A href=format!("/solutions/{id}")>{move || i18n.t(Msg::SolOpenSolution)}</A>
                    </p>
                })}
                <button type="submit" class="primary" data-test="propose-submit" disabled=move || propose.pending().get()>{move || i18n.t(Msg::SolSendSolution)}</button>
            </ActionForm>
        </section>
    }
}

/// `/solutions/:id`; `children` is what the route table adds under the owner's answer
/// (the links to other features' subjects).
#[component]
pub fn SolutionPage(children: ChildrenFn) -> impl IntoView {
    let params = use_params_map();
    let support = ServerAction::<SupportSolution>::new();
    let comment = ServerAction::<CommentSolution>::new();
    let answer = ServerAction::<AnswerSolution>::new();
    let moderation = CommentModeration::new();
    // Read again after a success only: a refused comment or answer keeps what was typed.
    // The sections the route table adds read again too.
    let written = PageWrites::provide();
    Effect::new(move |_| {
        let supported = matches!(support.value().get(), Some(Ok(_)));
        let commented = matches!(comment.value().get(), Some(Ok(())));
        let answered = matches!(answer.value().get(), Some(Ok(())));
        if supported || commented || answered {
            written.record();
        }
    });
    let detail = Resource::new(
        move || {
            (
                params.with(|p| p.get("id").unwrap_or_default()),
                written.count(),
                moderation.version(),
            )
        },
        |(id, ..)| load_solution(id),
    );
    view! {
        <Transition fallback=|| ()>
            {move || {
                let links = children.clone();
                Suspend::new(async move {
                    match detail.await {
                        Err(error) => view! { <ErrorPage error /> }.into_any(),
                        Ok(detail) => view! { <SolutionView detail support comment answer moderation links /> }.into_any(),
                    }
                })
            }}
        </Transition>
    }
}

#[component]
fn SolutionView(
    detail: SolutionDetail,
    support: ServerAction<SupportSolution>,
    comment: ServerAction<CommentSolution>,
    answer: ServerAction<AnswerSolution>,
    moderation: CommentModeration,
    links: ChildrenFn,
) -> impl IntoView {
    let i18n = use_i18n();
    let SolutionDetail {
        summary,
        description,
        challenge_title,
        challenge_area,
        status_reason,
        answered_at,
        photos,
        comments,
        signed_in,
        owner,
        moderator,
        hidden_reason,
        mine,
    } = detail;
    let SolutionSummary {
        id,
        challenge,
        title,
        status,
        sketch,
        supports,
        supported,
        author_name,
        created_at,
        ..
    } = summary;
    let (mut markers, mut shapes) = sketches_on_map(
        challenge_area
            .iter()
            .map(|area| (area, Msg::SolArea.text(i18n.locale()).to_string())),
    );
    let (sketch_markers, sketch_shapes) =
        sketches_on_map(sketch.iter().map(|sketch| (sketch, title.clone())));
    markers.extend(sketch_markers);
    shapes.extend(sketch_shapes);
    let has_map = sketch.is_some();
    let support_error = last_error(support.value());
    let comment_error = last_error(comment.value());
    let answered = !status_reason.is_empty();
    view! {
        <Title text=title.clone() />
        <article class="stack" data-test="solution">
            <p><A href=format!("/solutions/challenges/{challenge}")>{challenge_title}</A></p>
            <h1 class="page-title" data-test="solution-title">{title}</h1>
            <p class="muted">
                <span data-test="solution-status">{move || i18n.t(status_msg(status))}</span> " · "
                {author_name} " · " {move || format_date(i18n.locale(), created_at.date())}
            </p>
            {hidden_reason.map(|reason| view! {
                <p class="notice" data-test="solution-hidden">{move || i18n.t(Msg::SolHiddenNotice)} " " {reason.clone()}</p>
            })}
            {answered.then(|| view! {
                <p class="notice" data-test="solution-answer">
                    {move || i18n.t(Msg::SolOwnerAnswer)}
                    {answered_at.map(|at| view! { " (" {move || format_date(i18n.locale(), at.date())} ")" })}
                    ": " {status_reason.clone()}
                </p>
            })}
            {has_map.then(|| view! {
                <MapView markers=Signal::derive(move || markers.clone()) shapes=Signal::derive(move || shapes.clone())
                    label=Signal::derive(move || i18n.t(Msg::SolSketch).to_string()) />
            })}
            <p class="prewrap">{description}</p>
            <PhotoGallery photos />
            <div class="row">
                <span data-test="solution-supports">{move || i18n.t(Msg::SolSupports).replace("{count}", &format_integer(i18n.locale(), i64::from(supports)))}</span>
                {signed_in.then(|| view! { <SupportButton solution=id.0 supported support /> })}
            </div>
            <ActionError error=support_error />
            {owner.then(|| view! { <AnswerForm solution=id.0 status answer /> })}
            {(signed_in && !mine).then(|| view! { <ReportForm kind=ReportedKind::Solution id=id.0 /> })}
            {links()}
            <Discussion heading=Msg::SolDiscussion empty=Msg::SolNoComments comments signed_in moderator moderation test_id="solution-discussion">
                <ActionForm action=comment attr:class="form stack" attr:data-test="solution-comment-form">
                    <input type="hidden" name="solution" value=id.to_string() />
                    <ActionError error=comment_error />
                    <CommentField error=comment_error />
                    <button type="submit" class="primary">{move || i18n.t(Msg::PriSendComment)}</button>
                </ActionForm>
            </Discussion>
        </article>
    }
}

/// The owner's answer: a status and its public reason.
#[component]
fn AnswerForm(
    solution: u64,
    status: SolutionStatus,
    answer: ServerAction<AnswerSolution>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = last_error(answer.value());
    let options = Signal::derive(move || {
        SolutionStatus::ALL
            .into_iter()
            .map(|status| {
                (
                    status.as_db().to_string(),
                    i18n.t(status_msg(status)).to_string(),
                )
            })
            .collect::<Vec<_>>()
    });
    view! {
        <section class="card stack" data-test="answer-solution">
            <h2>{move || i18n.t(Msg::SolAnswer)}</h2>
            <ActionForm action=answer attr:class="form stack" attr:data-test="answer-form">
                <input type="hidden" name="solution" value=solution.to_string() />
                <ActionError error />
                <SelectField name="status" label=Msg::SolStatus error options selected=status.as_db() required=true />
                <div class="field">
                    <label for="answer-reason">{move || i18n.t(Msg::SolReason)}</label>
                    <textarea id="answer-reason" name="reason" rows="3" required=true></textarea>
                    <FieldMessage error field="reason" />
                </div>
                <button type="submit" class="primary" data-test="answer-submit" disabled=move || answer.pending().get()>{move || i18n.t(Msg::SolSendAnswer)}</button>
            </ActionForm>
        </section>
    }
}
