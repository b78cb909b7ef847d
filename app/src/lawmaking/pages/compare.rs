//! `/lawmaking/:id/compare?from=N&to=M`: two versions of a draft, article by article, the
//! changed words marked.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::super::model::drafting::{ChangeKind, Comparison};
use super::super::server_fns::compare_versions;
use super::super::texts::article_name;
use crate::i18n::{Msg, use_i18n};
use crate::ui::errors::ErrorPage;

/// `/lawmaking/:id/compare`.
#[component]
pub fn CompareVersionsPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let comparison = Resource::new(
        move || {
            (
                id(),
                query.with(|q| q.get("from").unwrap_or_default()),
                query.with(|q| q.get("to").unwrap_or_default()),
            )
        },
        |(id, from, to)| compare_versions(id, from, to),
    );
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match comparison.await {
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                    Ok(comparison) => view! { <ComparisonView id=id() comparison /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ComparisonView(id: String, comparison: Comparison) -> impl IntoView {
    let i18n = use_i18n();
    let (from, to) = (comparison.from, comparison.to);
    let counts = [ChangeKind::Changed, ChangeKind::Added, ChangeKind::Removed]
        .map(|kind| (kind, comparison.count(kind)));
    let title = comparison.title.clone();
    let back = format!("/lawmaking/{id}/text?version={to}");
    view! {
        <Title text=move || format!("{} {from} → {to} — {title}", i18n.t(Msg::CompareVersions)) />
        <article class="stack comparison" data-test="comparison">
            <p><A href=back>{move || format!("← {}", i18n.t(Msg::DraftText))}</A></p>
            <h1 class="page-title">{move || format!("{}: {from} → {to}", i18n.t(Msg::CompareVersions))}</h1>
            <p class="lead">{comparison.title.clone()}</p>
            <ul class="row change-counts" data-test="change-counts">
                {counts.into_iter().map(|(kind, count)| view! {
                    <li class=format!("change change-{}", kind.as_str()) data-test=format!("count-{}", kind.as_str())>
                        {move || format!("{}: {count}", i18n.t(kind.msg()))}
                    </li>
                }).collect_view()}
            </ul>
            <ol class="articles stack">
                {comparison.changes.into_iter().map(|change| {
                    let kind = change.kind;
                    let (label, heading) = (change.label.clone(), change.heading.clone());
                    view! {
                        <li class=format!("article card stack change-{}", kind.as_str()) data-test="article-change" data-kind=kind.as_str() data-label=change.label.clone()>
                            <div class="row">
                                <h3 class="article-heading">{move || article_name(&label, &heading, i18n.t(Msg::Preamble))}</h3>
                                <span class="badge">{move || i18n.t(kind.msg())}</span>
                            </div>
                            <p class="article-body">
                                {change.segments.into_iter().map(|segment| match segment.kind {
                                    ChangeKind::Added => view! { <ins data-test="added">{segment.text}</ins> }.into_any(),
                                    ChangeKind::Removed => view! { <del data-test="removed">{segment.text}</del> }.into_any(),
                                    _ => view! { <span>{segment.text}</span> }.into_any(),
                                }).collect_view()}
                            </p>
                        </li>
                    }
                }).collect_view()}
            </ol>
        </article>
    }
}
