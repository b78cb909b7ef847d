//! A header link with an icon and a count of what is new (the bell, the messages).

use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::{Msg, use_i18n};

/// A link to `href` showing its children (the icon) and, when above 0, `count`; read aloud as `label` and
/// the count of unread ones.
#[component]
pub fn HeaderCount(
    href: &'static str,
    label: Msg,
    count: u64,
    test_id: &'static str,
    count_test_id: &'static str,
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <A href=href attr:class="bell" attr:data-test=test_id
            attr:aria-label=move || format!("{}: {count} {}", i18n.t(label), i18n.t(Msg::Unread))>
            {children()}
            {(count > 0).then(|| view! { <span class="bell-count" data-test=count_test_id>{count}</span> })}
        </A>
    }
}
