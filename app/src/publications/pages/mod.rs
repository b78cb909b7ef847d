//! `/community`, the feed with the form that publishes, and `/publications/{id}`.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::components::{PublicationCard, PublishForm};
use super::model::{DepartmentNews, FeedPage, FeedScope, PublicationDetail};
use super::server_fns::{
    CommentPublication, FollowDepartment, LikePublication, Publish, load_department_news,
    load_feed, load_publication,
};
use crate::discussion::components::{CommentField, CommentModeration, Discussion};
use crate::i18n::format_integer;
use crate::i18n::{Msg, use_i18n};
use crate::ui::errors::{ActionError, ErrorPage, last_error};

/// The feed: the reader's own publications and those of whom they follow (or
/// everyone's), newest first, with the form that publishes.
#[component]
pub fn CommunityPage() -> impl IntoView {
    let i18n = use_i18n();
    let url = use_query_map();
    let publish = ServerAction::<Publish>::new();
    let like = ServerAction::<LikePublication>::new();
    // Read again after a publication or a like; a refused form keeps what was typed.
    let written = RwSignal::new(0u32);
    Effect::new(move |_| {
        let published = matches!(publish.value().get(), Some(Ok(_)));
        let liked = matches!(like.value().get(), Some(Ok(_)));
        if published || liked {
            written.update(|count| *count += 1);
        }
    });
    let scope = move || FeedScope::from_param(&url.with(|q| q.get("scope").unwrap_or_default()));
    let feed = Resource::new(
        move || {
            (
                scope(),
                url.with(|q| q.get("before").unwrap_or_default()),
                written.get(),
            )
        },
        |(scope, before, _)| load_feed(scope.as_param().to_string(), before),
    );
    let tab = move |this: FeedScope, label: Msg| {
        view! {
            <A href=format!("/community?scope={}", this.as_param())
                attr:aria-current=move || (scope() == this).then_some("page")
                attr:data-test=format!("feed-{}", this.as_param())>
                {move || i18n.t(label)}
            </A>
        }
    };
    view! {
        <Title text=move || i18n.t(Msg::NavCommunity) />
        <h1 class="page-title">{move || i18n.t(Msg::NavCommunity)}</h1>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match feed.await {
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                    Ok(page) => {
                        let FeedPage { items, older, signed_in, departments } = page;
                        let empty = items.is_empty();
                        view! {
                            {signed_in.then(|| view! {
                                <nav class="tabs" aria-label=move || i18n.t(Msg::PubFeeds)>
                                    {tab(FeedScope::Following, Msg::PubFeedFollowing)}
                                    {tab(FeedScope::Everyone, Msg::PubFeedEveryone)}
                                    // The events of whom and what one follows: the profiles' feed.
                                    <A href="/community/activity" attr:data-test="feed-activity">{move || i18n.t(Msg::ActFeed)}</A>
                                </nav>
                                <PublishForm publish departments />
                            })}
                            {(!signed_in).then(|| view! { <p class="muted">{move || i18n.t(Msg::PubSignInToPublish)}</p> })}
                            <ActionError error=last_error(like.value()) />
                            <div class="stack" data-test="feed">
                                {empty.then(|| view! { <p class="muted" data-test="feed-empty">{move || i18n.t(Msg::PubFeedEmpty)}</p> })}
                                {items.into_iter().map(|publication| view! { <PublicationCard publication like signed_in /> }).collect_view()}
                            </div>
                            {older.map(|older| view! {
                                <A href=format!("/community?scope={}&before={older}", scope().as_param()) attr:class="button secondary" attr:data-test="feed-older">
                                    {move || i18n.t(Msg::PubOlder)}
                                </A>
                            })}
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// One publication with its discussion.
#[component]
pub fn PublicationPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let like = ServerAction::<LikePublication>::new();
    let comment = ServerAction::<CommentPublication>::new();
    let moderation = CommentModeration::new();
    let written = RwSignal::new(0u32);
    Effect::new(move |_| {
        let liked = matches!(like.value().get(), Some(Ok(_)));
        let commented = matches!(comment.value().get(), Some(Ok(())));
        if liked || commented {
            written.update(|count| *count += 1);
        }
    });
    let detail = Resource::new(
        move || {
            (
                params.with(|p| p.get("id").unwrap_or_default()),
                written.get(),
                moderation.version(),
            )
        },
        |(id, ..)| load_publication(id),
    );
    view! {
        <Title text=move || i18n.t(Msg::PubPublication) />
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match detail.await {
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                    Ok(PublicationDetail { publication, comments, signed_in, moderator }) => {
                        let id = publication.id;
                        let comment_error = last_error(comment.value());
                        view! {
                            <h1 class="page-title">{move || i18n.t(Msg::PubPublication)}</h1>
                            <ActionError error=last_error(like.value()) />
                            <PublicationCard publication like signed_in />
                            <Discussion heading=Msg::SolDiscussion empty=Msg::SolNoComments comments signed_in moderator moderation test_id="publication-discussion">
                                <ActionForm action=comment attr:class="form stack" attr:data-test="publication-comment-form">
                                    <input type="hidden" name="id" value=id.to_string() />
                                    <ActionError error=comment_error />
                                    <CommentField error=comment_error />
                                    <button type="submit" class="primary">{move || i18n.t(Msg::PriSendComment)}</button>
                                </ActionForm>
                            </Discussion>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// The section the route table adds to a department's page (`:slug`): its followers, the
/// button that follows its news, and the news, newest first.
#[component]
pub fn DepartmentNewsSection() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let follow = ServerAction::<FollowDepartment>::new();
    let like = ServerAction::<LikePublication>::new();
    let before = RwSignal::new(String::new());
    let news = Resource::new(
        move || {
            (
                params.with(|p| p.get("slug").unwrap_or_default()),
                before.get(),
                follow.version().get(),
                like.version().get(),
            )
        },
        |(slug, before, ..)| load_department_news(slug, before),
    );
    view! {
        <section class="stack" data-test="department-news">
            <h2>{move || i18n.t(Msg::PubDepartmentNews)}</h2>
            <ActionError error=last_error(follow.value()) />
            <ActionError error=last_error(like.value()) />
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    news.await.ok().map(|DepartmentNews { followers, following, news }| {
                        let slug = params.with_untracked(|p| p.get("slug").unwrap_or_default());
                        let signed_in = news.signed_in;
                        view! {
                            <div class="row">
                                <span data-test="department-followers">{move || i18n.t(Msg::PplFollowers).replace("{count}", &format_integer(i18n.locale(), followers.try_into().unwrap_or(i64::MAX)))}</span>
                                {signed_in.then(|| view! {
                                    <ActionForm action=follow attr:class="inline" attr:data-test="follow-department-form">
                                        <input type="hidden" name="slug" value=slug.clone() />
                                        <input type="hidden" name="follow" value=(!following).to_string() />
                                        <button type="submit" class=if following { "secondary" } else { "primary" } data-test="follow-department" disabled=move || follow.pending().get()>
                                            {move || i18n.t(if following { Msg::PplUnfollow } else { Msg::PplFollow })}
                                        </button>
                                    </ActionForm>
                                })}
                            </div>
                            {news.items.is_empty().then(|| view! { <p class="muted">{move || i18n.t(Msg::PplNothingYet)}</p> })}
                            {news.items.into_iter().map(|publication| view! { <PublicationCard publication like signed_in /> }).collect_view()}
                            {news.older.map(|older| view! {
                                <button type="button" class="secondary" on:click=move |_| before.set(older.to_string())>
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
