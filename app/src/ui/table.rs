//! Pieces shared by the data tables.

use leptos::prelude::*;

use crate::i18n::{Msg, use_i18n};

/// A table header: one column per message, plus an unlabelled-looking actions column
/// (named for screen readers) when the rows carry buttons.
#[component]
pub fn TableHead(columns: &'static [Msg], #[prop(optional)] actions: bool) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <thead>
            <tr>
                {columns
                    .iter()
                    .map(|msg| view! { <th scope="col">{move || i18n.t(*msg)}</th> })
                    .collect_view()}
                {actions.then(|| view! {
                    <th scope="col"><span class="visually-hidden">{move || i18n.t(Msg::Actions)}</span></th>
                })}
            </tr>
        </thead>
    }
}
