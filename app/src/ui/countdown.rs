//! The public countdown of a reaction clock (`civic::reaction_clock`), for any subject.

use chrono::NaiveDateTime;
use leptos::prelude::*;

use crate::i18n::{Msg, use_i18n};
use civic::reaction_clock::days_left;

/// "5 days left to react", "Reaction due today" or "Overdue by 3 days".
#[component]
pub fn Countdown(due: Option<NaiveDateTime>, now: NaiveDateTime) -> impl IntoView {
    let i18n = use_i18n();
    due.map(|due| {
        let left = days_left(due, now);
        let class = if left < 0 {
            "countdown overdue"
        } else if left <= 2 {
            "countdown soon"
        } else {
            "countdown"
        };
        view! {
            <span class=class data-test="countdown">
                {move || match left {
                    0 => i18n.t(Msg::DueToday).to_string(),
                    left if left < 0 => format!("{} {} {}", i18n.t(Msg::OverdueBy), -left, i18n.t(Msg::DaysShort)),
                    left => format!("{left} {}", i18n.t(Msg::DaysLeft)),
                }}
            </span>
        }
    })
}
