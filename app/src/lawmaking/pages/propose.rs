//! `/lawmaking/new`: the proposal form of a concept (level, theme, title, problem, goal
//! and the proposed regulation). It waits for a moderator before the public sees it.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use super::super::model::{CONCEPT_DAYS, PROPOSAL_MAX, SECTION_MAX, Threshold};
use super::super::server_fns::{ProposeInitiative, get_initiative_thresholds};
use crate::auth::components::use_auth;
use crate::i18n::{Msg, format_integer, use_i18n};
use crate::organisation::components::names_resource;
use crate::ui::errors::{ActionError, FieldMessage, last_error};
use crate::ui::form::Field;

/// `/lawmaking/new`.
#[component]
pub fn ProposeInitiativePage() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let propose = ServerAction::<ProposeInitiative>::new();
    let error = last_error(propose.value());
    let names = names_resource();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(id)) = propose.value().get() {
            navigate(&format!("/lawmaking/{id}"), Default::default());
        }
    });
    let thresholds = Resource::new(|| (), |_| get_initiative_thresholds());
    let rules = move |thresholds: Vec<Threshold>| {
        let locale = i18n.locale();
        let supports: Vec<String> = thresholds
            .iter()
            .map(|threshold| format_integer(locale, i64::from(threshold.supports)))
            .collect();
        format!(
            "{} {} · {} {}",
            i18n.t(Msg::ThresholdRule),
            supports.join(" / "),
            CONCEPT_DAYS,
            i18n.t(Msg::DaysShort),
        )
    };
    view! {
        <Title text=move || i18n.t(Msg::ProposeInitiative) />
        <h1 class="page-title">{move || i18n.t(Msg::ProposeInitiative)}</h1>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                thresholds.await.ok().map(|thresholds| view! { <p class="lead" data-test="threshold-rule">{move || rules(thresholds.clone())}</p> })
            })}
        </Transition>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let signed_in = matches!(auth.user.await, Ok(Some(_)));
                let names = names.await;
                if !signed_in {
                    return view! { <p class="notice" data-test="sign-in-to-propose"><A href="/login">{move || i18n.t(Msg::SignInToAct)}</A></p> }.into_any();
                }
                let themes = names.themes.clone();
                let municipalities = names.municipalities.clone();
                let textarea = move |name: &'static str, label: Msg, max: usize, field: &'static str| {
                    let id = format!("field-input-{field}");
                    view! {
                        <div class="field">
                            <label for=id.clone()>{move || i18n.t(label)}</label>
                            <textarea id=id name=name rows="5" required=true maxlength=max.to_string()></textarea>
                            <FieldMessage error field />
                        </div>
                    }
                };
                view! {
                    <ActionForm action=propose attr:class="form stack" attr:data-test="propose-form">
                        <div class="field">
                            <label for="field-municipality_id">{move || i18n.t(Msg::FilterLevel)}</label>
                            <select id="field-municipality_id" name="input[municipality_id]">
                                <option value="">{move || i18n.t(Msg::LevelRegion)}</option>
                                {municipalities.into_iter().map(|m| {
                                    let value = m.id.to_string();
                                    view! { <option value=value>{move || m.name(i18n.locale()).to_string()}</option> }
                                }).collect_view()}
                            </select>
                            <FieldMessage error field="municipality_id" />
                        </div>
                        <div class="field">
                            <label for="field-theme_id">{move || i18n.t(Msg::FilterTheme)}</label>
                            <select id="field-theme_id" name="input[theme_id]" required=true>
                                <option value="">"—"</option>
                                {themes.into_iter().filter(|t| t.is_active).map(|t| {
                                    let value = t.id.to_string();
                                    view! { <option value=value>{move || t.name(i18n.locale()).to_string()}</option> }
                                }).collect_view()}
                            </select>
                            <FieldMessage error field="theme_id" />
                        </div>
                        <Field name="input[title]" label=Msg::InitiativeTitle error required=true />
                        {textarea("input[problem]", Msg::InitiativeProblem, SECTION_MAX, "problem")}
                        {textarea("input[goal]", Msg::InitiativeGoal, SECTION_MAX, "goal")}
                        {textarea("input[proposal]", Msg::InitiativeProposal, PROPOSAL_MAX, "proposal")}
                        <ActionError error />
                        <div class="form-actions">
                            <button type="submit" class="primary" data-test="submit-initiative" disabled=move || propose.pending().get()>{move || i18n.t(Msg::SubmitInitiative)}</button>
                        </div>
                    </ActionForm>
                }.into_any()
            })}
        </Transition>
    }
}
