//! Pieces the problem pages share: the status badge, a list card and the names of
//! reference data.

use chrono::NaiveDateTime;
use leptos::prelude::*;
use leptos_router::components::A;

use super::model::{ProblemStatus, ProblemSummary};
use crate::geography::model::{Municipality, MunicipalityId};
use crate::i18n::{Locale, Msg, format_integer, use_i18n};
use crate::organisation::model::{Department, DepartmentId, Theme, ThemeId};
use crate::ui::countdown::Countdown;

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
