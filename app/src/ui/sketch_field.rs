//! Drawing a sketch on the map: a route, stops or a zone, clicked (or tapped) vertex by
//! vertex, with the last vertex undone or the whole drawing cleared. The form submits the
//! drawing as GeoJSON under the field's name; the server checks it (the region, the
//! number of vertices, a zone that crosses itself) and the refusal shows under the map.

use leptos::prelude::*;

use crate::i18n::{Msg, use_i18n};
use crate::ui::errors::FieldMessage;
use crate::ui::form::error_field;
use crate::ui::map::{MapMarker, MapShape, MapView, SketchPad};
use platform::error::AppError;
use platform::sketch::SketchForm;

/// What each form is called.
fn form_msg(form: SketchForm) -> Msg {
    match form {
        SketchForm::Line => Msg::SketchLine,
        SketchForm::Points => Msg::SketchPoints,
        SketchForm::Area => Msg::SketchArea,
    }
}

/// The drawing field: the form's choice, the map, the vertex count and the two buttons.
#[component]
pub fn SketchField(
    /// The form name of the drawing (GeoJSON, empty when nothing is drawn).
    name: &'static str,
    /// The label above the map.
    label: Msg,
    /// The last error of the form's action (shows refusals of `name`).
    #[prop(into)]
    error: Signal<Option<AppError>>,
    /// Shown under the drawing for orientation (the challenge's area).
    #[prop(optional, into)]
    shapes: Option<Signal<Vec<MapShape>>>,
    /// Markers shown for orientation.
    #[prop(optional, into)]
    markers: Option<Signal<Vec<MapMarker>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let pad = SketchPad::new();
    let shapes = shapes.unwrap_or_else(|| Signal::derive(Vec::new));
    let markers = markers.unwrap_or_else(|| Signal::derive(Vec::new));
    let count = move || pad.vertices.with(Vec::len);
    // The choice's own name, outside the form's `input[…]` fields: a name such as
    // `input[sketch]-form` breaks the reading of the whole form into the server
    // function's arguments (the end-to-end test's proposal failed so).
    let choice_name = format!("{}-form", crate::ui::form::field_id(name));
    let choices = SketchForm::ALL
        .into_iter()
        .map(|form| {
            view! {
                <label class="checkbox">
                    <input type="radio" name=choice_name.clone() value=form.as_str()
                        prop:checked=move || pad.form.get() == form
                        on:change=move |_| pad.form.set(form)
                        data-test=format!("sketch-form-{}", form.as_str()) />
                    {move || i18n.t(form_msg(form))}
                </label>
            }
        })
        .collect_view();
    view! {
        <fieldset class="field sketch-field" data-test="sketch-field">
            <legend>{move || i18n.t(label)}</legend>
            <p class="field-hint">{move || i18n.t(Msg::SketchHint)}</p>
            <div class="row">{choices}</div>
            <MapView markers shapes draw=pad label=Signal::derive(move || i18n.t(label).to_string()) />
            <p class="muted" role="status" data-test="sketch-count">
                {move || i18n.t(Msg::SketchCount).replace("{count}", &count().to_string())}
            </p>
            <div class="row">
                <button type="button" class="secondary" data-test="sketch-undo"
                    disabled=move || count() == 0
                    on:click=move |_| pad.vertices.update(|vertices| { vertices.pop(); })>
                    {move || i18n.t(Msg::SketchUndo)}
                </button>
                <button type="button" class="secondary" data-test="sketch-clear"
                    disabled=move || count() == 0
                    on:click=move |_| pad.vertices.set(Vec::new())>
                    {move || i18n.t(Msg::SketchClear)}
                </button>
            </div>
            <input type="hidden" name=name prop:value=move || pad.geojson() />
            <FieldMessage error field=error_field(name) />
        </fieldset>
    }
}
