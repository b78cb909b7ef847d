//! The law-making pages: the public list with its filters, an initiative's page, its
//! draft text with amendments and the comparison of versions, its expertise, the
//! disposition ledger, the proposal form, the moderators' queue and the staff's work.

mod compare;
mod detail;
mod expertise;
mod ledger;
mod propose;
mod text;
mod work;

pub use compare::CompareVersionsPage;
pub use detail::InitiativePage;
pub use expertise::ExpertisePage;
pub use ledger::LedgerPage;
pub use propose::ProposeInitiativePage;
pub use text::InitiativeTextPage;
pub use work::LawmakingWorkPage;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{A, Form};
use leptos_router::hooks::use_query_map;

use super::components::InitiativeCard;
use super::model::{InitiativeQuery, PAGE_SIZE, Stage};
use super::server_fns::list_initiatives;
use crate::auth::components::RequireRole;
use crate::auth::model::Role;
use crate::i18n::{Msg, use_i18n};
use crate::organisation::components::{Names, names_resource};
use crate::ui::errors::ErrorPage;
use crate::ui::pager::Pager;

/// The filters of the current URL.
fn query_from_url() -> Memo<InitiativeQuery> {
    let query = use_query_map();
    Memo::new(move |_| {
        query.with(|map| {
            let get = |key: &str| map.get(key).unwrap_or_default();
            InitiativeQuery {
                level: get("level"),
                stage: get("stage"),
                page: get("page"),
            }
        })
    })
}

/// `/lawmaking`: the public list of initiatives, filtered by level and stage in the URL.
#[component]
pub fn LawmakingPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = query_from_url();
    let names = names_resource();
    let page = Resource::new(move || query.get(), list_initiatives);
    view! {
        <Title text=move || i18n.t(Msg::NavLawmaking) />
        <div class="page-head row">
            <h1 class="page-title">{move || i18n.t(Msg::NavLawmaking)}</h1>
            <A href="/lawmaking/new" attr:class="button primary" attr:data-test="propose-link">{move || i18n.t(Msg::ProposeInitiative)}</A>
        </div>
        <p class="lead">{move || i18n.t(Msg::LawmakingLead)}</p>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let names = names.await;
                view! { <FilterForm names query=query.get_untracked() /> }
            })}
        </Transition>
        <InitiativeList page names query />
    }
}

/// `/manage/initiatives`: initiatives waiting for a moderator, oldest first on the last
/// page, with the same cards as the public list.
#[component]
pub fn InitiativeModerationPage() -> impl IntoView {
    let i18n = use_i18n();
    let url = query_from_url();
    let query = Memo::new(move |_| InitiativeQuery {
        stage: Stage::Moderation.as_db().to_string(),
        ..url.get()
    });
    let names = names_resource();
    let page = Resource::new(move || query.get(), list_initiatives);
    view! {
        <RequireRole roles=&[Role::Moderator]>
            <Title text=move || i18n.t(Msg::NavInitiativeModeration) />
            <h1 class="page-title">{move || i18n.t(Msg::NavInitiativeModeration)}</h1>
            <InitiativeList page names query />
        </RequireRole>
    }
}

/// A page of initiatives with its pager.
#[component]
fn InitiativeList(
    page: Resource<Result<super::model::InitiativePage, platform::error::AppError>>,
    names: Resource<Names>,
    query: Memo<InitiativeQuery>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let names = names.await;
                match page.await {
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                    Ok(page) => {
                        let query = query.get_untracked();
                        let previous = (page.page > 1).then(|| query.to_query_string(page.page - 1));
                        let more = u64::from(page.page) * u64::from(PAGE_SIZE) < page.total;
                        let next = more.then(|| query.to_query_string(page.page + 1));
                        let empty = page.items.is_empty();
                        view! {
                            {empty.then(|| view! { <p class="notice" data-test="no-initiatives">{move || i18n.t(Msg::NoInitiatives)}</p> })}
                            <ul class="problem-list" data-test="initiative-list">
                                {page.items.into_iter().map(|initiative| view! { <InitiativeCard initiative names=names.clone() /> }).collect_view()}
                            </ul>
                            <Pager page=page.page previous next />
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// The filter form: a GET form, so the filters live in the URL and a view can be linked.
#[component]
fn FilterForm(names: Names, query: InitiativeQuery) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.locale();
    let region = Msg::LevelRegion;
    let municipalities: Vec<(String, String)> = names
        .municipalities
        .iter()
        .map(|m| (m.id.to_string(), m.name(locale).to_string()))
        .collect();
    let stages: Vec<(String, Msg)> = Stage::ALL
        .into_iter()
        .filter(|stage| stage.is_public())
        .map(|stage| (stage.as_db().to_string(), stage.msg()))
        .collect();
    let (level, stage) = (query.level.clone(), query.stage.clone());
    view! {
        <Form method="GET" action="/lawmaking" attr:class="filters" attr:data-test="initiative-filters">
            <div class="field">
                <label for="filter-level">{move || i18n.t(Msg::FilterLevel)}</label>
                <select id="filter-level" name="level" data-test="filter-level">
                    <option value="">{move || i18n.t(Msg::FilterAny)}</option>
                    <option value="region" selected=level == "region">{move || i18n.t(region)}</option>
                    {municipalities.into_iter().map(|(value, text)| {
                        let is_selected = value == level;
                        view! { <option value=value selected=is_selected>{text}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="filter-stage">{move || i18n.t(Msg::FilterStage)}</label>
                <select id="filter-stage" name="stage" data-test="filter-stage">
                    <option value="">{move || i18n.t(Msg::FilterAny)}</option>
                    {stages.into_iter().map(|(value, msg)| {
                        let is_selected = value == stage;
                        view! { <option value=value selected=is_selected>{move || i18n.t(msg)}</option> }
                    }).collect_view()}
                </select>
            </div>
            <button type="submit" class="secondary" data-test="filter-apply">{move || i18n.t(Msg::FilterApply)}</button>
        </Form>
    }
}
