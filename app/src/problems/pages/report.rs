//! `/problems/new`: the report form. The point is picked on the map (click, drag, or the
//! phone's position); before submitting, open problems of the same theme within 250 m are
//! offered for support instead.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use super::super::components::{ProblemCard, names_resource};
use super::super::server_fns::{ReportProblem, similar_problems};
use crate::auth::components::use_auth;
use crate::geography::model::LatLon;
use crate::i18n::{Msg, use_i18n};
use crate::ui::errors::{ActionError, FieldMessage, last_error};
use crate::ui::form::Field;
use crate::ui::map::MapView;

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
    let position_failed = RwSignal::new(false);
    // The coordinate fields: typed by hand, or filled from the map and the phone's position.
    let lat_text = RwSignal::new(String::new());
    let lon_text = RwSignal::new(String::new());
    Effect::new(move |_| {
        if let Some(picked) = point.get() {
            lat_text.set(format!("{:.6}", picked.lat));
            lon_text.set(format!("{:.6}", picked.lon));
        }
    });
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
    let use_position = move |_| locate_me(point, position_failed);
    let no_markers = Signal::derive(Vec::new);
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
                        <div class="field">
                            <p class="field-hint" id="point-hint">{move || i18n.t(Msg::PickPointHint)}</p>
                            <MapView markers=no_markers pick=point label=Signal::derive(move || i18n.t(Msg::PickPointHint).to_string()) />
                            <div class="row">
                                <button type="button" class="secondary" on:click=use_position data-test="use-position">{move || i18n.t(Msg::UseMyPosition)}</button>
                                <Show when=move || position_failed.get()>
                                    <p class="field-error" role="status">{move || i18n.t(Msg::PositionUnavailable)}</p>
                                </Show>
                            </div>
                            <div class="row">
                                <div class="field">
                                    <label for="field-lat">{move || i18n.t(Msg::Latitude)}</label>
                                    <input id="field-lat" name="input[lat]" inputmode="decimal" required=true data-test="lat"
                                        prop:value=move || lat_text.get()
                                        on:change=move |ev| { lat_text.set(event_target_value(&ev)); typed_point(point, lat_text, lon_text); } />
                                </div>
                                <div class="field">
                                    <label for="field-lon">{move || i18n.t(Msg::Longitude)}</label>
                                    <input id="field-lon" name="input[lon]" inputmode="decimal" required=true data-test="lon"
                                        prop:value=move || lon_text.get()
                                        on:change=move |ev| { lon_text.set(event_target_value(&ev)); typed_point(point, lat_text, lon_text); } />
                                </div>
                            </div>
                            <FieldMessage error field="point" />
                        </div>
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

/// Picks the point typed into the two coordinate fields, once both parse.
fn typed_point(point: RwSignal<Option<LatLon>>, lat: RwSignal<String>, lon: RwSignal<String>) {
    let parse =
        |text: RwSignal<String>| super::super::model::parse_coordinate(&text.get_untracked());
    if let Some(typed) = parse(lat)
        .zip(parse(lon))
        .and_then(|(lat, lon)| LatLon::new(lat, lon))
        && point.get_untracked() != Some(typed)
    {
        point.set(Some(typed));
    }
}

/// Asks the browser for the phone's position and picks it.
fn locate_me(point: RwSignal<Option<LatLon>>, failed: RwSignal<bool>) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        use wasm_bindgen::prelude::Closure;
        let geolocation = web_sys::window().and_then(|w| w.navigator().geolocation().ok());
        let Some(geolocation) = geolocation else {
            failed.set(true);
            return;
        };
        // web-sys types the position only behind its unstable-API flag, so the two numbers
        // are read from the plain object.
        let on_position = Closure::<dyn Fn(wasm_bindgen::JsValue)>::new(
            move |position: wasm_bindgen::JsValue| {
                let read = |object: &wasm_bindgen::JsValue, key: &str| {
                    js_sys::Reflect::get(object, &wasm_bindgen::JsValue::from_str(key)).ok()
                };
                let coords = read(&position, "coords");
                let located = coords.as_ref().and_then(|coords| {
                    let lat = read(coords, "latitude")?.as_f64()?;
                    let lon = read(coords, "longitude")?.as_f64()?;
                    LatLon::new(lat, lon)
                });
                failed.set(located.is_none());
                if located.is_some() {
                    point.set(located);
                }
            },
        );
        let on_error = Closure::<dyn Fn(wasm_bindgen::JsValue)>::new(move |_| failed.set(true));
        let asked = geolocation.get_current_position_with_error_callback(
            on_position.as_ref().unchecked_ref(),
            Some(on_error.as_ref().unchecked_ref()),
        );
        if asked.is_err() {
            failed.set(true);
        }
        on_position.forget();
        on_error.forget();
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (point, failed);
}
