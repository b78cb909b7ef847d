//! A person's public profile, `/people/{id}`, and the activity feed,
//! `/community/activity`.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::model::{ActivityEvent, ActivityItem, ActivityKind, ActivityPage, PersonView, Via};
use super::server_fns::{
    BlockPerson, FollowMunicipality, FollowPerson, load_activity, load_person,
};
use crate::galleries::components::PersonGalleries;
use crate::i18n::{Msg, format_date, format_integer, format_local_datetime, use_i18n};
use crate::messages::components::WriteMessageForm;
use crate::moderation::components::ReportForm;
use crate::moderation::model::ReportedKind;
use crate::publications::components::PublicationCard;
use crate::publications::server_fns::{LikePublication, load_person_publications};
use crate::ui::errors::{ActionError, ErrorPage, last_error};

/// The profile of the person `:id`.
#[component]
pub fn PersonPage() -> impl IntoView {
    let params = use_params_map();
    let follow = ServerAction::<FollowPerson>::new();
    let block = ServerAction::<BlockPerson>::new();
    let person = Resource::new(
        move || {
            (
                params.with(|p| p.get("id").unwrap_or_default()),
                follow.version().get(),
                block.version().get(),
            )
        },
        |(id, ..)| load_person(id),
    );
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match person.await {
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                    Ok(person) => view! { <PersonView person follow block /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn PersonView(
    person: PersonView,
    follow: ServerAction<FollowPerson>,
    block: ServerAction<BlockPerson>,
) -> impl IntoView {
    let i18n = use_i18n();
    let PersonView {
        id,
        display_name,
        avatar,
        about,
        municipality,
        member_since,
        followers,
        activity,
        shown,
        may_follow,
        following,
        blocked,
        is_self,
    } = person;
    let error = last_error(follow.value());
    let block_error = last_error(block.value());
    let initial = display_name
        .chars()
        .next()
        .unwrap_or('?')
        .to_uppercase()
        .to_string();
    let shows_activity = shown.problems || shown.solutions || shown.initiatives || shown.comments;
    let section = |kind: ActivityKind, heading: Msg, test_id: &'static str| {
        let items: Vec<ActivityItem> = activity
            .iter()
            .filter(|item| item.kind == kind)
            .cloned()
            .collect();
        view! { <ActivitySection heading items test_id /> }
    };
    view! {
        <Title text=display_name.clone() />
        <article class="stack" data-test="person">
            <header class="person-header">
                {match avatar {
                    Some(photo) => view! {
                        <img class="avatar" src=photo.thumb_url alt=move || i18n.t(Msg::PplAvatar) width="96" height="96" data-test="avatar" />
                    }.into_any(),
                    None => view! { <span class="avatar avatar-initial" aria-hidden="true">{initial}</span> }.into_any(),
                }}
                <div class="stack">
                    <h1 class="page-title" data-test="person-name">{display_name}</h1>
                    <p class="muted">
                        {municipality.map(|municipality| view! {
                            <span data-test="person-municipality">{move || municipality.name(i18n.locale()).to_string()}</span> " · "
                        })}
                        {move || i18n.t(Msg::PplMemberSince)} " " {move || format_date(i18n.locale(), member_since.date())}
                    </p>
                    <div class="row">
                        <span data-test="person-followers">{move || i18n.t(Msg::PplFollowers).replace("{count}", &format_integer(i18n.locale(), followers.try_into().unwrap_or(i64::MAX)))}</span>
                        {(may_follow && !blocked).then(|| view! {
                            <ActionForm action=follow attr:class="inline" attr:data-test="follow-form">
                                <input type="hidden" name="id" value=id.to_string() />
                                <input type="hidden" name="follow" value=(!following).to_string() />
                                <button type="submit" class=if following { "secondary" } else { "primary" } data-test="follow" disabled=move || follow.pending().get()>
                                    {move || i18n.t(if following { Msg::PplUnfollow } else { Msg::PplFollow })}
                                </button>
                            </ActionForm>
                        })}
                        {is_self.then(|| view! { <A href="/account#profile" attr:class="button secondary">{move || i18n.t(Msg::PplEdit)}</A> })}
                        {may_follow.then(|| view! {
                            <ActionForm action=block attr:class="inline" attr:data-test="block-form">
                                <input type="hidden" name="id" value=id.to_string() />
                                <input type="hidden" name="block" value=(!blocked).to_string() />
                                <button type="submit" class="secondary" data-test="block" disabled=move || block.pending().get()>
                                    {move || i18n.t(if blocked { Msg::PplUnblock } else { Msg::PplBlock })}
                                </button>
                            </ActionForm>
                        })}
                    </div>
                    {blocked.then(|| view! { <p class="notice" data-test="blocked-notice">{move || i18n.t(Msg::PplBlockedNotice)}</p> })}
                    <ActionError error />
                    <ActionError error=block_error />
                </div>
            </header>
            {(!about.is_empty()).then(|| view! { <p class="prewrap" data-test="person-about">{about}</p> })}
            {may_follow.then(|| view! { <ReportForm kind=ReportedKind::Person id=id.0 /> })}
            {(may_follow && !blocked).then(|| view! {
                <details class="card" data-test="write-message">
                    <summary>{move || i18n.t(Msg::DmWrite)}</summary>
                    <WriteMessageForm to=id />
                </details>
            })}
            <PersonPublications person=id.to_string() />
            <PersonGalleries person=id.to_string() />
            {shown.problems.then(|| section(ActivityKind::Problem, Msg::PplProblems, "person-problems"))}
            {shown.solutions.then(|| section(ActivityKind::Solution, Msg::PplSolutions, "person-solutions"))}
            {shown.initiatives.then(|| section(ActivityKind::Initiative, Msg::PplInitiatives, "person-initiatives"))}
            {shown.comments.then(|| section(ActivityKind::Comment, Msg::PplComments, "person-comments"))}
            {(!shows_activity).then(|| view! { <p class="muted">{move || i18n.t(Msg::PplNothingShown)}</p> })}
        </article>
    }
}

/// What the person published, newest first, a page at a time.
#[component]
fn PersonPublications(person: String) -> impl IntoView {
    let i18n = use_i18n();
    let like = ServerAction::<LikePublication>::new();
    let before = RwSignal::new(String::new());
    let page = Resource::new(
        move || (before.get(), like.version().get()),
        move |(before, _)| load_person_publications(person.clone(), before),
    );
    view! {
        <section class="stack" data-test="person-publications">
            <h2>{move || i18n.t(Msg::PplPublications)}</h2>
            <ActionError error=last_error(like.value()) />
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    page.await.ok().map(|page| {
                        let signed_in = page.signed_in;
                        view! {
                            {page.items.is_empty().then(|| view! { <p class="muted">{move || i18n.t(Msg::PplNothingYet)}</p> })}
                            {page.items.into_iter().map(|publication| view! { <PublicationCard publication like signed_in /> }).collect_view()}
                            {page.older.map(|older| view! {
                                <button type="button" class="secondary" data-test="person-older" on:click=move |_| before.set(older.to_string())>
                                    {move || i18n.t(Msg::PubOlder)}
                                </button>
                            })}
                        }
                    })
                })}
            </Transition>
        </section>
    }
}

/// One kind of a person's activity, newest first.
#[component]
fn ActivitySection(heading: Msg, items: Vec<ActivityItem>, test_id: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="stack" data-test=test_id>
            <h2>{move || i18n.t(heading)}</h2>
            {if items.is_empty() {
                view! { <p class="muted">{move || i18n.t(Msg::PplNothingYet)}</p> }.into_any()
            } else {
                view! {
                    <ul class="activity-list">
                        {items.into_iter().map(|item| {
                            let at = item.at.date();
                            let is_comment = item.kind == ActivityKind::Comment;
                            view! {
                                <li>
                                    {is_comment.then(|| view! { <q>{item.excerpt.clone()}</q> " " {move || i18n.t(Msg::PplCommentOn)} " " })}
                                    <A href=item.href>{item.title}</A>
                                    <span class="muted">" · " {move || format_date(i18n.locale(), at)}</span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

/// `/community/activity`: what the people the reader follows did and what is new in the
/// municipalities and challenges they follow, newest first; and the form that follows a
/// municipality.
#[component]
pub fn ActivityFeedPage() -> impl IntoView {
    let i18n = use_i18n();
    let url = use_query_map();
    let follow = ServerAction::<FollowMunicipality>::new();
    let page = Resource::new(
        move || {
            (
                url.with(|q| q.get("before").unwrap_or_default()),
                follow.version().get(),
            )
        },
        |(before, _)| load_activity(before),
    );
    view! {
        <Title text=move || i18n.t(Msg::ActFeed) />
        <h1 class="page-title">{move || i18n.t(Msg::NavCommunity)}</h1>
        <nav class="tabs" aria-label=move || i18n.t(Msg::PubFeeds)>
            <A href="/community?scope=following">{move || i18n.t(Msg::PubFeedFollowing)}</A>
            <A href="/community?scope=everyone">{move || i18n.t(Msg::PubFeedEveryone)}</A>
            <A href="/community/activity" attr:aria-current="page" attr:data-test="feed-activity">{move || i18n.t(Msg::ActFeed)}</A>
        </nav>
        <ActionError error=last_error(follow.value()) />
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match page.await {
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                    Ok(ActivityPage { events, older, followed, municipalities }) => view! {
                        <section class="card stack" data-test="followed-municipalities">
                            <h2>{move || i18n.t(Msg::ActMunicipalities)}</h2>
                            {followed.is_empty().then(|| view! { <p class="muted">{move || i18n.t(Msg::ActNoMunicipalities)}</p> })}
                            <ul class="activity-list">
                                {followed.into_iter().map(|(id, name_ru, name_en)| view! {
                                    <li class="row">
                                        <span data-test="followed-municipality">{move || i18n.locale().pick(&name_ru, &name_en).to_string()}</span>
                                        <ActionForm action=follow attr:class="inline">
                                            <input type="hidden" name="municipality" value=id.to_string() />
                                            <input type="hidden" name="follow" value="false" />
                                            <button type="submit" class="link-button" data-test="unfollow-municipality">{move || i18n.t(Msg::PplUnfollow)}</button>
                                        </ActionForm>
                                    </li>
                                }).collect_view()}
                            </ul>
                            <ActionForm action=follow attr:class="form-inline" attr:data-test="follow-municipality-form">
                                <input type="hidden" name="follow" value="true" />
                                <label for="follow-municipality">{move || i18n.t(Msg::ActFollowMunicipality)}</label>
                                <select id="follow-municipality" name="municipality" data-test="municipality-choice">
                                    {municipalities.into_iter().map(|(id, name_ru, name_en)| view! {
                                        <option value=id.to_string()>{move || i18n.locale().pick(&name_ru, &name_en).to_string()}</option>
                                    }).collect_view()}
                                </select>
                                <button type="submit" class="secondary" data-test="follow-municipality">{move || i18n.t(Msg::PplFollow)}</button>
                            </ActionForm>
                        </section>
                        {events.is_empty().then(|| view! { <p class="muted" data-test="activity-empty">{move || i18n.t(Msg::ActEmpty)}</p> })}
                        <ul class="stack activity-feed" data-test="activity">
                            {events.into_iter().map(|event| view! { <li><ActivityEventCard event /></li> }).collect_view()}
                        </ul>
                        {older.map(|older| view! {
                            <A href=format!("/community/activity?before={older}") attr:class="button secondary" attr:data-test="activity-older">
                                {move || i18n.t(Msg::PubOlder)}
                            </A>
                        })}
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

/// One event of the activity feed: who or where, what, and when.
#[component]
fn ActivityEventCard(event: ActivityEvent) -> impl IntoView {
    let i18n = use_i18n();
    let ActivityEvent { item, via } = event;
    let what = match item.kind {
        ActivityKind::Problem => Msg::ActProblem,
        ActivityKind::Solution => Msg::ActSolution,
        ActivityKind::Initiative => Msg::ActInitiative,
        ActivityKind::Challenge => Msg::ActChallenge,
        ActivityKind::Comment => Msg::PplComments,
    };
    let via = match via {
        Via::Person { id, name } => view! { <A href=format!("/people/{id}")>{name}</A> }.into_any(),
        Via::Municipality { name_ru, name_en } => {
            view! { <span>{move || i18n.locale().pick(&name_ru, &name_en).to_string()}</span> }
                .into_any()
        }
        Via::Challenge { title } => view! { <span>{title}</span> }.into_any(),
    };
    let at = item.at;
    view! {
        <article class="card" data-test="activity-event">
            <p class="muted">{via} " · " {move || format_local_datetime(i18n.locale(), at)}</p>
            <p><span class="badge">{move || i18n.t(what)}</span> " " <A href=item.href>{item.title}</A></p>
        </article>
    }
}
