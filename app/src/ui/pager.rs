//! The pager under a paged list: links to the neighbouring pages and the current number.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::{Msg, use_i18n};

/// Links to the previous and next page (each `None` where there is none) around the
/// number of the current `page` (from 1), where the list numbers its pages (a keyset list
/// does not: its pages start at rows, not at numbers).
#[component]
pub fn Pager(
    #[prop(optional)] page: Option<u32>,
    previous: Option<String>,
    next: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <nav class="pager row" aria-label=move || i18n.t(Msg::PageNumber)>
            {previous.map(|href| view! { <A href=href attr:rel="prev" attr:data-test="page-prev">{move || i18n.t(Msg::PagePrevious)}</A> })}
            {page.map(|page| view! { <span>{move || format!("{} {}", i18n.t(Msg::PageNumber), page)}</span> })}
            {next.map(|href| view! { <A href=href attr:rel="next" attr:data-test="page-next">{move || i18n.t(Msg::PageNext)}</A> })}
        </nav>
    }
}
