//! `/problems/new`: the report form. The point is picked with the shared `PointPicker`
//! (map click, drag, typed, or the phone's position); before submitting, open problems of the same theme within 250 m are
//! offered for support instead.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use super::super::components::ProblemCard;
use super::super::server_fns::{ReportProblem, similar_problems};
use crate::auth::components::use_auth;
use crate::i18n::{Msg, use_i18n};
use crate::organisation::components::names_resource;
use crate::ui::errors::{ActionError, FieldMessage, last_error};
use crate::ui::form::Field;
use crate::ui::point_picker::PointPicker;
use platform::geo::LatLon;

/// `/problems/new`.
#[component]
pub fn ReportProblemPage() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let report = ServerAction::<ReportProblem>::new();
    let error = last_error(report.value());
    let names = names_resource();
    let point = RwSignal::new(None::<LatLon>);
    let theme = RwSignal::new(String::new());
    let similar = LocalResource::new(move || {
        let theme = theme.get();
        let point = point.get();
        async move {
            match point {
                Some(point) if !theme.is_empty() => {
                    similar_problems(theme, point.lat.to_string(), point.lon.to_string())
                        .await
                        .unwrap_or_default()
                }
                _ => Vec::new(),
            }
        }
    });
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(id)) = report.value().get() {
            navigate(&format!("/problems/{id}"), Default::default());
        }
    });
    view! {
        <Title text=move || i18n.t(Msg::ReportProblem) />
        <h1 class="page-title">{move || i18n.t(Msg::ReportProblem)}</h1>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let signed_in = matches!(auth.user.await, Ok(Some(_)));
                let names = names.await;
                if !signed_in {
                    return view! { <p class="notice" data-test="sign-in-to-report"><A href="/login">{move || i18n.t(Msg::SignInToReport)}</A></p> }.into_any();
                }
                let themes = names.themes.clone();
                let card_names = names.clone();
                view! {
                    <ActionForm action=report attr:class="form stack" attr:data-test="report-form">
                        <div class="field">
                            <label for="field-theme_id">{move || i18n.t(Msg::FilterTheme)}</label>
                            <select id="field-theme_id" name="input[theme_id]" required=true
                                on:change=move |ev| theme.set(event_target_value(&ev))>
                                <option value="">"—"</option>
                                {themes.into_iter().filter(|t| t.is_active).map(|t| {
                                    let value = t.id.to_string();
                                    view! { <option value=value>{move || t.name(i18n.locale()).to_string()}</option> }
                                }).collect_view()}
                            </select>
                            <FieldMessage error field="theme_id" />
                        </div>
                        <PointPicker point lat_name="input[lat]" lon_name="input[lon]" error />
                        <Field name="input[address]" label=Msg::Address error required=true autocomplete="street-address" />
                        <Field name="input[title]" label=Msg::ProblemTitle error required=true />
                        <div class="field">
                            <label for="field-input-description">{move || i18n.t(Msg::ProblemDescription)}</label>
                            <textarea id="field-input-description" name="input[description]" rows="5" required=true></textarea>
                            <FieldMessage error field="description" />
                        </div>
                        <crate::photos::components::PhotoPicker name="input[photos]" />
                        <FieldMessage error field="photos" />
                        // Loaded only in the browser (after a point is picked), so it is read
                        // without suspending: the server renders nothing here, as does hydration.
                        {move || {
                            let list = similar.get().unwrap_or_default();
                            let card_names = card_names.clone();
                            (!list.is_empty()).then(|| view! {
                                <section class="notice stack" data-test="similar">
                                    <p>{move || i18n.t(Msg::SimilarProblems)}</p>
                                    <ul class="problem-list">
                                        {list.into_iter().map(|problem| view! { <ProblemCard problem names=card_names.clone() /> }).collect_view()}
                                    </ul>
                                </section>
                            })
                        }}
                        <ActionError error />
                        <div class="form-actions">
                            <button type="submit" class="primary" data-test="submit-problem" disabled=move || report.pending().get()>{move || i18n.t(Msg::SubmitProblem)}</button>
                        </div>
                    </ActionForm>
                }.into_any()
            })}
        </Transition>
    }
}
