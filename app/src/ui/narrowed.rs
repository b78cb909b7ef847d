//! The notice over a list that a link narrowed beyond what its filter bar shows (the
//! dashboard's figures link to lists of their period and outcome): what the narrowing is,
//! and the way back to the whole list.

use leptos::prelude::*;

use crate::i18n::{Locale, Msg, format_date, use_i18n};
use platform::days::DayRange;

/// `label` and the days of `range` (`None` when both ends are open), e.g.
/// "сообщены 01.01.2026 – 31.12.2026".
pub fn days_part(locale: Locale, label: &str, range: DayRange) -> Option<String> {
    let day = |day| format_date(locale, day);
    match (range.from, range.last_day()) {
        (None, None) => None,
        (from, last) => Some(format!(
            "{label} {} – {}",
            from.map(day).unwrap_or_default(),
            last.map(day).unwrap_or_default()
        )),
    }
}

/// "The list is filtered by a dashboard link: <parts>. Reset", the reset leading to `reset`.
#[component]
pub fn NarrowedNotice(parts: Vec<String>, reset: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="notice info" data-test="drill-notice">
            {move || i18n.t(Msg::DrillFiltered)} " " {parts.join(" · ")} " "
            <a href=reset>{move || i18n.t(Msg::DrillReset)}</a>
        </p>
    }
}
