//! Showing errors: the translated not-found and error pages, a notice for a failed action,
//! and the per-field message under an input.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::i18n::{
    Locale, Msg, StatusName, error_code_text, error_text, error_text_naming, use_i18n,
};
use platform::error::AppError;

/// The 404 page (the server answers with status 404).
#[component]
pub fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! { <ErrorPage error=AppError::NotFound /> }
}

/// A whole-page error with its status code and a translated explanation. On the server
/// the response gets the error's status too (for routes rendered with `SsrMode::Async`,
/// whose headers wait for the page's data).
#[component]
pub fn ErrorPage(error: AppError) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(
            axum::http::StatusCode::from_u16(error.status())
                .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR),
        );
    }
    let i18n = use_i18n();
    let status = error.status();
    let message = error.clone();
    view! {
        <Title text=move || error_text(&error, i18n.locale()) />
        <section class="error-page" data-test="error-page">
            <p class="error-code">{status}</p>
            <h1 class="page-title">{move || error_text(&message, i18n.locale())}</h1>
            <A href="/" attr:class="button secondary">{move || i18n.t(Msg::BackHome)}</A>
        </section>
    }
}

/// The error of a failed action, if it is not about one field (those show by their input).
/// `status_name` names the statuses of the page's subject in a refused transition.
#[component]
pub fn ActionError(
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(optional)] status_name: Option<StatusName>,
) -> impl IntoView {
    let i18n = use_i18n();
    // The wrapper is always rendered: two empty optional siblings would leave the browser's
    // DOM different from the server's HTML and break hydration.
    view! {
        <div class="action-error">
            {move || {
                error.get().map(|error| {
                    let text = match &error {
                        AppError::Invalid { .. } => i18n.t(Msg::FixTheFields).to_string(),
                        other => error_text_naming(other, i18n.locale(), status_name.unwrap_or(|_| None)),
                    };
                    view! { <p class="notice error" role="alert" data-test="form-error">{text}</p> }
                })
            }}
        </div>
    }
}

/// The message for `field` from the last failed action, under its input.
#[component]
pub fn FieldMessage(
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(into)] field: Oco<'static, str>,
) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        error.get().and_then(|error| error.for_field(&field)).map(|code| {
            view! {
                <p class="field-error" id=format!("{field}-error") data-test=format!("error-{field}")>
                    {error_code_text(code, i18n.locale())}
                </p>
            }
        })
    }
}

/// The sentence for a refused upload of `field`: the field's own reason when the refusal
/// names it (a file too large, not a PDF), the error's sentence otherwise.
pub fn upload_error_text(error: &AppError, field: &str, locale: Locale) -> String {
    match error.for_field(field) {
        Some(code) => error_code_text(code, locale),
        None => error_text(error, locale),
    }
}

/// The error of an action's last result, as a signal for `ActionError` and `FieldMessage`.
pub fn last_error<T: 'static>(
    value: impl Get<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
) -> Signal<Option<AppError>> {
    Signal::derive(move || value.get().and_then(Result::err))
}
