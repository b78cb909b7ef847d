//! Picking a point: a map to click (the marker can be dragged), the phone's position, and
//! two coordinate fields that can also be typed. Used by every form that places something;
//! where the place is optional the map opens on request, so a page listing many such forms
//! (the keepers' priorities) builds no map until one is wanted, and the map is laid out in
//! a visible box.

use leptos::prelude::*;

use crate::i18n::{Msg, use_i18n};
use crate::ui::errors::FieldMessage;
use crate::ui::map::{MapMarker, MapShape, MapView};
use platform::error::AppError;
use platform::geo::LatLon;

/// The point picker; the picked point is in `point`, and the form submits it as
/// `lat_name` / `lon_name`.
#[component]
pub fn PointPicker(
    /// The picked point.
    point: RwSignal<Option<LatLon>>,
    /// Form name of the latitude input.
    lat_name: &'static str,
    /// Form name of the longitude input.
    lon_name: &'static str,
    /// The last error of the form's action (shows refusals of `point`).
    #[prop(into)]
    error: Signal<Option<AppError>>,
    /// Markers to show for orientation (e.g. registry entries nearby).
    #[prop(optional, into)]
    markers: Option<Signal<Vec<MapMarker>>>,
    /// Areas to show with the point (e.g. the outline being typed).
    #[prop(optional, into)]
    shapes: Option<Signal<Vec<MapShape>>>,
    /// The place may stay empty: the fields are not required, the map opens on request
    /// and the place can be removed.
    #[prop(optional)]
    optional: bool,
    /// Prefix of the inputs' ids, for a page with several pickers; `field` by default.
    #[prop(optional, into)]
    id_prefix: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let position_failed = RwSignal::new(false);
    let map_open = RwSignal::new(!optional);
    let format_lat = |picked: LatLon| format!("{:.6}", picked.lat);
    let format_lon = |picked: LatLon| format!("{:.6}", picked.lon);
    // The coordinate fields: typed by hand, or filled from the map and the phone's position.
    // They start from the given point so that the server renders them filled.
    let start = point.get_untracked();
    let lat_text = RwSignal::new(start.map(format_lat).unwrap_or_default());
    let lon_text = RwSignal::new(start.map(format_lon).unwrap_or_default());
    Effect::new(move |_| {
        if let Some(picked) = point.get() {
            lat_text.set(format_lat(picked));
            lon_text.set(format_lon(picked));
        }
    });
    let use_position = move |_| {
        map_open.set(true);
        locate_me(point, position_failed);
    };
    let remove_place = move |_| {
        point.set(None);
        lat_text.set(String::new());
        lon_text.set(String::new());
    };
    let markers = markers.unwrap_or_else(|| Signal::derive(Vec::new));
    let shapes = shapes.unwrap_or_else(|| Signal::derive(Vec::new));
    let prefix = id_prefix.unwrap_or_else(|| "field".to_string());
    let lat_id = format!("{prefix}-lat");
    let lon_id = format!("{prefix}-lon");
    view! {
        <div class="field">
            <p class="field-hint">{move || i18n.t(Msg::PickPointHint)}</p>
            <Show when=move || map_open.get()
                fallback=move || view! {
                    <button type="button" class="secondary" on:click=move |_| map_open.set(true) data-test="open-map">{move || i18n.t(Msg::PickOnMap)}</button>
                }>
                <MapView markers shapes pick=point label=Signal::derive(move || i18n.t(Msg::PickPointHint).to_string()) />
            </Show>
            <div class="row">
                <button type="button" class="secondary" on:click=use_position data-test="use-position">{move || i18n.t(Msg::UseMyPosition)}</button>
                {optional.then(|| view! {
                    <button type="button" class="secondary" on:click=remove_place data-test="remove-place"
                        disabled=move || lat_text.with(String::is_empty) && lon_text.with(String::is_empty)>
                        {move || i18n.t(Msg::RemovePlace)}
                    </button>
                })}
                <Show when=move || position_failed.get()>
                    <p class="field-error" role="status">{move || i18n.t(Msg::PositionUnavailable)}</p>
                </Show>
            </div>
            <div class="row">
                <div class="field">
                    <label for=lat_id.clone()>{move || i18n.t(Msg::Latitude)}</label>
                    <input id=lat_id name=lat_name inputmode="decimal" required=!optional data-test="lat"
                        prop:value=move || lat_text.get()
                        on:change=move |ev| { lat_text.set(event_target_value(&ev)); typed_point(point, lat_text, lon_text); } />
                </div>
                <div class="field">
                    <label for=lon_id.clone()>{move || i18n.t(Msg::Longitude)}</label>
                    <input id=lon_id name=lon_name inputmode="decimal" required=!optional data-test="lon"
                        prop:value=move || lon_text.get()
                        on:change=move |ev| { lon_text.set(event_target_value(&ev)); typed_point(point, lat_text, lon_text); } />
                </div>
            </div>
            <FieldMessage error field="point" />
        </div>
    }
}

/// Picks the point typed into the two coordinate fields, once both parse; both emptied,
/// no point.
fn typed_point(point: RwSignal<Option<LatLon>>, lat: RwSignal<String>, lon: RwSignal<String>) {
    if lat.with_untracked(|text| text.trim().is_empty())
        && lon.with_untracked(|text| text.trim().is_empty())
    {
        point.set(None);
        return;
    }
    let parse = |text: RwSignal<String>| platform::geo::parse_coordinate(&text.get_untracked());
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
