//! Form fields with their label, hint and translated error, accessible by default.

use leptos::prelude::*;

use crate::i18n::{Msg, use_i18n};
use crate::ui::errors::FieldMessage;
use platform::error::AppError;

/// An element id for a form name such as `input[slug]`.
pub fn field_id(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("field-{}", cleaned.trim_matches('-'))
}

/// The field name errors refer to: `input[slug]` → `slug`.
pub fn error_field(name: &'static str) -> &'static str {
    name.rsplit_once('[')
        .map_or(name, |(_, rest)| rest.trim_end_matches(']'))
}

/// A labelled input. `kind` is the input type (`text` when empty).
#[component]
pub fn Field(
    /// The form name of the input.
    name: &'static str,
    /// The label.
    label: Msg,
    /// The last error of the form's action.
    #[prop(into)]
    error: Signal<Option<AppError>>,
    /// The input type.
    #[prop(optional)]
    kind: &'static str,
    /// The `autocomplete` hint.
    #[prop(optional)]
    autocomplete: &'static str,
    /// A hint under the label.
    #[prop(optional)]
    hint: Option<Msg>,
    /// Whether the field is required.
    #[prop(optional)]
    required: bool,
    /// The initial value.
    #[prop(optional, into)]
    value: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = field_id(name);
    let field = error_field(name);
    let invalid = move || error.get().and_then(|e| e.for_field(field)).is_some();
    let has_hint = hint.is_some();
    let hint_id = format!("{id}-hint");
    // Only ids that exist: the hint always, the error while there is one.
    let described_by = move || {
        let ids: Vec<String> = [
            has_hint.then(|| hint_id.clone()),
            invalid().then(|| format!("{field}-error")),
        ]
        .into_iter()
        .flatten()
        .collect();
        (!ids.is_empty()).then(|| ids.join(" "))
    };
    view! {
        <div class="field">
            <label for=id.clone()>{move || i18n.t(label)}</label>
            {hint.map(|hint| view! { <p class="field-hint" id=format!("{id}-hint")>{move || i18n.t(hint)}</p> })}
            <input
                id=id.clone()
                name=name
                type=if kind.is_empty() { "text" } else { kind }
                autocomplete=if autocomplete.is_empty() { "off" } else { autocomplete }
                required=required
                value=value
                aria-invalid=move || invalid().to_string()
                aria-describedby=described_by
            />
            <FieldMessage error field />
        </div>
    }
}

/// A labelled select over `(value, text)` options.
#[component]
pub fn SelectField(
    /// The form name of the select.
    name: &'static str,
    /// The label.
    label: Msg,
    /// The last error of the form's action.
    #[prop(into)]
    error: Signal<Option<AppError>>,
    /// The options, as (value, visible text); reactive so names follow the language.
    #[prop(into)]
    options: Signal<Vec<(String, String)>>,
    /// The text of the empty first option, if the field may stay empty.
    #[prop(optional)]
    empty: Option<Msg>,
    /// The initially selected value.
    #[prop(optional, into)]
    selected: String,
    /// Whether a choice is required.
    #[prop(optional)]
    required: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = field_id(name);
    let field = error_field(name);
    let invalid = move || error.get().and_then(|e| e.for_field(field)).is_some();
    view! {
        <div class="field">
            <label for=id.clone()>{move || i18n.t(label)}</label>
            <select
                id=id
                name=name
                required=required
                aria-invalid=move || invalid().to_string()
                aria-describedby=move || invalid().then(|| format!("{field}-error"))
            >
                {empty.map(|msg| view! { <option value="">{move || i18n.t(msg)}</option> })}
                {move || {
                    let selected = selected.clone();
                    options
                        .get()
                        .into_iter()
                        .map(|(value, text)| {
                            let is_selected = value == selected;
                            view! { <option value=value selected=is_selected>{text}</option> }
                        })
                        .collect_view()
                }}
            </select>
            <FieldMessage error field />
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_error_fields_come_from_form_names() {
        assert_eq!(field_id("input[slug]"), "field-input-slug");
        assert_eq!(field_id("email"), "field-email");
        assert_eq!(field_id("display_name"), "field-display_name");
        assert_eq!(field_id("display_name"), "field-display_name");
        assert_eq!(error_field("input[slug]"), "slug");
        assert_eq!(error_field("email"), "email");
    }
}
