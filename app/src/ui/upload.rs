//! Posting a file from the browser: the one way every upload form sends its file.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use platform::error::AppError;

/// Posts one file as multipart field `field` to `url` (with the session cookie) and
/// reads the JSON answer, or the application error it refused with.
pub async fn post_file<T: serde::de::DeserializeOwned>(
    url: &str,
    field: &str,
    file: web_sys::File,
) -> Result<T, AppError> {
    let form = web_sys::FormData::new().map_err(|_| AppError::Internal)?;
    form.append_with_blob_and_filename(field, &file, &file.name())
        .map_err(|_| AppError::Internal)?;
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_body(&form);
    let window = web_sys::window().ok_or(AppError::Internal)?;
    let response = JsFuture::from(window.fetch_with_str_and_init(url, &init))
        .await
        .map_err(|_| AppError::Unavailable)?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| AppError::Internal)?;
    let text = JsFuture::from(response.text().map_err(|_| AppError::Internal)?)
        .await
        .map_err(|_| AppError::Unavailable)?
        .as_string()
        .unwrap_or_default();
    if response.ok() {
        serde_json::from_str(&text).map_err(|_| AppError::Internal)
    } else {
        Err(serde_json::from_str(&text).unwrap_or(AppError::Internal))
    }
}

/// Sends the file chosen in `input` to `url` as multipart field `field`, for a form's submit
/// handler: no file chosen is a `Required` error on `field`; `pending` is true while the
/// file travels; a refusal goes to `error`, the server's answer to `done`.
pub fn send_chosen_file<T: serde::de::DeserializeOwned + 'static>(
    input: leptos::prelude::NodeRef<leptos::html::Input>,
    url: String,
    field: &'static str,
    pending: leptos::prelude::RwSignal<bool>,
    error: leptos::prelude::RwSignal<Option<AppError>>,
    done: impl FnOnce(T) + 'static,
) {
    use leptos::prelude::{Get, Set};

    let file = input
        .get()
        .and_then(|input| input.files())
        .and_then(|files| files.get(0));
    let Some(file) = file else {
        error.set(Some(AppError::invalid(
            field,
            platform::error::ErrorCode::Required,
        )));
        return;
    };
    pending.set(true);
    error.set(None);
    leptos::task::spawn_local(async move {
        let posted = post_file::<T>(&url, field, file).await;
        pending.set(false);
        match posted {
            Ok(answer) => done(answer),
            Err(refused) => error.set(Some(refused)),
        }
    });
}
