//! Pieces the problem pages share: the status badge and a list card.

use chrono::NaiveDateTime;
use leptos::prelude::*;
use leptos_router::components::A;

use super::model::{ProblemStatus, ProblemSummary};
use crate::i18n::{Msg, format_integer, use_i18n};
use crate::organisation::components::Names;
use crate::ui::countdown::Countdown;

/// A coloured badge with the status name.
#[component]
pub fn StatusBadge(status: ProblemStatus) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span class=format!("badge status-{}", status.as_db()) data-test="status">
            {move || i18n.t(status.msg())}
        </span>
    }
}

/// A problem in a list; with `now`, open problems show their countdown.
#[component]
pub fn ProblemCard(
    problem: ProblemSummary,
    names: Names,
    #[prop(optional)] now: Option<NaiveDateTime>,
) -> impl IntoView {
    let i18n = use_i18n();
    let href = format!("/problems/{}", problem.id);
    let due = problem
        .status
        .is_open()
        .then_some(problem.reaction_due_at)
        .flatten();
    let theme = problem.theme_id;
    let municipality = problem.municipality_id;
    let supports = i64::from(problem.support_count);
    let comments = i64::from(problem.comment_count);
    view! {
        <li class="problem-card" data-test="problem-card">
            <div class="row">
                <StatusBadge status=problem.status />
                {now.map(|now| view! { <Countdown due now /> })}
            </div>
            <h2 class="problem-card-title"><A href=href>{problem.title.clone()}</A></h2>
            <p class="muted">
                {let names = names.clone(); move || format!("#{} · {} · {}", problem.id, names.theme(theme, i18n.locale()), names.municipality(municipality, i18n.locale()))}
            </p>
            <p class="muted">{problem.address.clone()}</p>
            <p class="problem-card-counts">
                <span>{move || format!("{}: {}", i18n.t(Msg::Supports), format_integer(i18n.locale(), supports))}</span>
                " · "
                <span>{move || format!("{}: {}", i18n.t(Msg::CommentsCount), format_integer(i18n.locale(), comments))}</span>
            </p>
        </li>
    }
}
