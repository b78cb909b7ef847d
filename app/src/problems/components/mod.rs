//! Pieces the problem pages share: the status badge, the deadline countdown, a list card,
//! the names of reference data, and the notification bell.

use chrono::NaiveDateTime;
use leptos::prelude::*;
use leptos_router::components::A;

use super::model::{ProblemStatus, ProblemSummary, days_left};
use super::server_fns::unread_notifications;
use crate::auth::components::use_auth;
use crate::geography::model::{Municipality, MunicipalityId};
use crate::i18n::{Locale, Msg, format_integer, use_i18n};
use crate::organisation::model::{Department, DepartmentId, Theme, ThemeId};

/// The reference data problem pages name things by.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Names {
    /// Every theme.
    pub themes: Vec<Theme>,
    /// Every municipality.
    pub municipalities: Vec<Municipality>,
    /// Every department.
    pub departments: Vec<Department>,
}

impl Names {
    /// A theme's name.
    pub fn theme(&self, id: ThemeId, locale: Locale) -> String {
        self.themes
            .iter()
            .find(|theme| theme.id == id)
            .map(|theme| theme.name(locale).to_string())
            .unwrap_or_default()
    }

    /// A municipality's name.
    pub fn municipality(&self, id: MunicipalityId, locale: Locale) -> String {
        self.municipalities
            .iter()
            .find(|municipality| municipality.id == id)
            .map(|municipality| municipality.name(locale).to_string())
            .unwrap_or_default()
    }

    /// A department.
    pub fn department(&self, id: DepartmentId) -> Option<&Department> {
        self.departments
            .iter()
            .find(|department| department.id == id)
    }
}

/// Loads the reference data once for a page. Call it at the component's top level.
pub fn names_resource() -> Resource<Names> {
    Resource::new(
        || (),
        |_| async move {
            // Three small independent requests; each answers in a few milliseconds.
            let themes = crate::organisation::server_fns::list_themes().await;
            let municipalities = crate::geography::server_fns::list_municipalities().await;
            let departments = crate::organisation::server_fns::list_departments().await;
            Names {
                themes: themes.unwrap_or_default(),
                municipalities: municipalities.unwrap_or_default(),
                departments: departments.unwrap_or_default(),
            }
        },
    )
}

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

/// The bell in the header: a link to the notifications with the unread count.
#[component]
pub fn NotificationBell() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let unread = Resource::new(
        move || {
            auth.user
                .get()
                .map(|user| user.ok().flatten().map(|u| u.id))
        },
        |_| unread_notifications(),
    );
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let signed_in = matches!(auth.user.await, Ok(Some(_)));
                let count = unread.await.unwrap_or(0);
                signed_in.then(|| view! {
                    <A href="/notifications" attr:class="bell" attr:data-test="bell"
                        attr:aria-label=move || format!("{}: {count} {}", i18n.t(Msg::Notifications), i18n.t(Msg::Unread))>
                        // Drawn inline: an emoji bell depends on the phone's fonts and shows as
                        // a missing-glyph box where none has it.
                        <svg class="bell-icon" aria-hidden="true" viewBox="0 0 24 24" width="24" height="24"
                            fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">
                            <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
                            <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
                        </svg>
                        {(count > 0).then(|| view! { <span class="bell-count" data-test="bell-count">{count}</span> })}
                    </A>
                })
            })}
        </Transition>
    }
}
