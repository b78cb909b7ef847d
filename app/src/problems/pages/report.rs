//! `/problems/new`: the report form. The point is picked with the shared `PointPicker`
//! (map click, drag, typed, or the phone's position); before submitting, open problems of the same theme within 250 m are
//! offered for support instead. Without network the report (and the photos chosen
//! meanwhile) is kept on the device and sent when the network returns
//! (`problems::offline`); every report carries the device's id for it, so that sending it
//! twice makes one problem.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use super::super::components::ProblemCard;
use super::super::model::ProblemInput;
use super::super::offline::{WaitingReports, use_waiting};
use super::super::server_fns::{ReportProblem, similar_problems};
use crate::auth::components::use_auth;
use crate::i18n::{Msg, use_i18n};
use crate::organisation::components::names_resource;
use crate::photos::components::{HeldPhotos, PhotoPicker};
use crate::ui::errors::{ActionError, FieldMessage, last_error};
use crate::ui::form::Field;
use crate::ui::point_picker::PointPicker;
use platform::error::AppError;
use platform::geo::LatLon;

/// `/problems/new`.
#[component]
pub fn ReportProblemPage() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let report = ServerAction::<ReportProblem>::new();
    // A refusal found in the browser, for a report about to be kept offline.
    let refused_here = RwSignal::new(None::<AppError>);
    let refused_by_server = last_error(report.value());
    let error = Signal::derive(move || refused_here.get().or_else(|| refused_by_server.get()));
    let held = HeldPhotos::new();
    provide_context(held);
    let waiting = use_waiting();
    // The device's id of the report being written; a new one after a report is kept.
    let client_id = StoredValue::new(String::new());
    let last_sent = StoredValue::new(None::<ProblemInput>);
    let kept = RwSignal::new(false);
    // Bumped after a report is kept, to draw a new, empty form.
    let generation = RwSignal::new(0u32);
    let keep = move |input: ProblemInput| {
        if let Err(errors) = input.validate() {
            refused_here.set(Some(AppError::Invalid { errors }));
            return;
        }
        #[cfg(feature = "hydrate")]
        if let Some(waiting) = waiting {
            leptos::task::spawn_local(async move {
                match super::super::offline::keep(waiting, &input, held.take()).await {
                    Ok(()) => {
                        client_id.set_value(String::new());
                        kept.set(true);
                        generation.update(|n| *n += 1);
                    }
                    Err(refused) => refused_here.set(Some(refused)),
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (input, waiting, held, client_id, kept, generation);
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        #[cfg(feature = "hydrate")]
        {
            use leptos::form::FromFormData;

            ev.prevent_default();
            let Ok(ReportProblem { mut input }) = ReportProblem::from_event(&ev) else {
                return;
            };
            if client_id.with_value(String::is_empty) {
                client_id.set_value(crate::ui::offline_queue::new_id().unwrap_or_default());
            }
            input.client_id = client_id.get_value();
            refused_here.set(None);
            kept.set(false);
            if crate::ui::offline_queue::is_online() && held.count() == 0 {
                last_sent.set_value(Some(input.clone()));
                report.dispatch(ReportProblem { input });
            } else {
                keep(input);
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, client_id, keep);
    };
    // The network went while the report travelled: keep it, as if it had been offline.
    Effect::new(move |_| {
        if let Some(Err(AppError::Unavailable)) = report.value().get()
            && let Some(input) = last_sent.get_value()
        {
            keep(input);
        }
    });
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
                    {move || kept.get().then(|| view! { <p class="notice" role="status" data-test="report-kept">{move || i18n.t(Msg::ReportKept)}</p> })}
                    <WaitingReports />
                    // Keyed by the generation: a kept report's form is replaced by new
                    // elements (re-rendering in place would keep the typed values).
                    <For each=move || std::iter::once(generation.get()) key=|generation| *generation children=move |_| {
                    let themes = themes.clone();
                    let card_names = card_names.clone();
                    view! {
                    <form action=ReportProblem::url() method="post" class="form stack" data-test="report-form" on:submit=on_submit>
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
                        <PhotoPicker name="input[photos]" />
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
                    </form>
                    }
                    } />
                }.into_any()
            })}
        </Transition>
    }
}
