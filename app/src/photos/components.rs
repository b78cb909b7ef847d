//! The photo picker of the report form (uploads each chosen file at once and keeps the
//! staging handles in a hidden field; files from the gallery or straight from a phone's
//! camera; without network, holds the files for a form that can wait) and the gallery of
//! a problem page.

use leptos::prelude::*;

use super::{MAX_PHOTOS, Photo, Uploaded};
use crate::i18n::{Msg, use_i18n};
use crate::ui::errors::upload_error_text;
use platform::error::AppError;

/// Photos chosen without network, held in the browser until their form is sent: a form
/// that can wait for the network (the report form) provides one, and a picker under it
/// holds a photo whose upload found no network instead of refusing it.
#[derive(Clone, Copy)]
pub struct HeldPhotos {
    /// Their previews (the browser's object URLs), in the order chosen.
    previews: RwSignal<Vec<String>>,
    #[cfg(feature = "hydrate")]
    files: StoredValue<Vec<web_sys::File>, LocalStorage>,
}

impl HeldPhotos {
    /// None held yet.
    pub fn new() -> Self {
        HeldPhotos {
            previews: RwSignal::new(Vec::new()),
            #[cfg(feature = "hydrate")]
            files: StoredValue::new_local(Vec::new()),
        }
    }

    /// How many are held.
    pub fn count(&self) -> usize {
        self.previews.with(Vec::len)
    }

    /// Holds `file`.
    #[cfg(feature = "hydrate")]
    pub fn hold(&self, file: web_sys::File) {
        let preview = web_sys::Url::create_object_url_with_blob(&file).unwrap_or_default();
        self.files.update_value(|files| files.push(file));
        self.previews.update(|previews| previews.push(preview));
    }

    /// The held files, which are no longer held.
    #[cfg(feature = "hydrate")]
    pub fn take(&self) -> Vec<web_sys::File> {
        self.previews.set(Vec::new());
        std::mem::take(&mut *self.files.write_value())
    }

    /// Lets go of the `index`th.
    fn remove(&self, index: usize) {
        #[cfg(feature = "hydrate")]
        self.files.update_value(|files| {
            if index < files.len() {
                files.remove(index);
            }
        });
        self.previews.update(|previews| {
            if index < previews.len() {
                previews.remove(index);
            }
        });
    }
}

impl Default for HeldPhotos {
    fn default() -> Self {
        Self::new()
    }
}

/// File inputs (the gallery, and the camera on a phone) that upload each chosen photo and
/// submit their handles as `name`.
#[component]
pub fn PhotoPicker(
    /// The form name of the hidden field with the comma-separated handles.
    name: &'static str,
    /// How many photos it takes (an avatar takes one).
    #[prop(default = MAX_PHOTOS)]
    max: usize,
) -> impl IntoView {
    let i18n = use_i18n();
    let uploaded = RwSignal::new(Vec::<Uploaded>::new());
    let pending = RwSignal::new(0usize);
    let error = RwSignal::new(None::<AppError>);
    let held = use_context::<HeldPhotos>();
    let held_count = move || held.map_or(0, |held| held.count());
    let on_change = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let input = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
            let Some(input) = input else { return };
            let Some(files) = input.files() else { return };
            error.set(None);
            let room = max.saturating_sub(
                uploaded.get_untracked().len() + pending.get_untracked() + held_count(),
            );
            for index in 0..files.length().min(room as u32) {
                let Some(file) = files.get(index) else {
                    continue;
                };
                pending.update(|n| *n += 1);
                leptos::task::spawn_local(async move {
                    match browser::upload(file.clone()).await {
                        Ok(photo) => uploaded.update(|list| list.push(photo)),
                        Err(AppError::Unavailable) if held.is_some() => {
                            if let Some(held) = held {
                                held.hold(file);
                            }
                        }
                        Err(refused) => error.set(Some(refused)),
                    }
                    pending.update(|n| *n = n.saturating_sub(1));
                });
            }
            input.set_value("");
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, uploaded, pending, error);
    };
    let tokens = move || {
        let handles: Vec<String> = uploaded.get().iter().map(|p| p.token.clone()).collect();
        handles.join(",")
    };
    let message = move || {
        error
            .get()
            .map(|error| upload_error_text(&error, "photo", i18n.locale()))
    };
    let full = move || uploaded.get().len() + pending.get() + held_count() >= max;
    view! {
        <div class="field">
            <label for="field-photo-files">{move || i18n.t(Msg::AddPhotos)}</label>
            <input id="field-photo-files" type="file" multiple={max > 1} accept=PHOTO_TYPES
                data-test="photo-input" on:change=on_change disabled=full />
            // `capture` opens the phone's rear camera at once; desktops ignore it and offer
            // a file, as the input above does.
            <label for="field-photo-camera">{move || i18n.t(Msg::TakePhoto)}</label>
            <input id="field-photo-camera" type="file" accept=PHOTO_TYPES capture="environment"
                data-test="photo-camera" on:change=on_change disabled=full />
            <input type="hidden" name=name prop:value=tokens />
            <div class="photo-strip" data-test="photo-previews">
                {move || uploaded.get().into_iter().map(|photo| {
                    let token = photo.token.clone();
                    view! {
                        <figure class="photo-preview" data-test="photo-preview">
                            <img src=photo.thumb_url.clone() alt=move || i18n.t(Msg::PhotoOf) width="120" height="90" />
                            <button type="button" class="link-button" on:click=move |_| uploaded.update(|list| list.retain(|p| p.token != token))>
                                {move || i18n.t(Msg::RemovePhoto)}
                            </button>
                        </figure>
                    }
                }).collect_view()}
                {move || held.map(|held| held.previews.get().into_iter().enumerate().map(|(index, preview)| view! {
                    <figure class="photo-preview" data-test="photo-held">
                        <img src=preview alt=move || i18n.t(Msg::PhotoOf) width="120" height="90" />
                        <figcaption class="field-hint">{move || i18n.t(Msg::PhotoHeld)}</figcaption>
                        <button type="button" class="link-button" on:click=move |_| held.remove(index)>
                            {move || i18n.t(Msg::RemovePhoto)}
                        </button>
                    </figure>
                }).collect_view())}
            </div>
            <Show when=move || { pending.get() > 0 }>
                <p class="field-hint" role="status">{move || i18n.t(Msg::PhotoUploading)}</p>
            </Show>
            {move || message().map(|text| view! { <p class="field-error" role="alert" data-test="error-photo">{text}</p> })}
        </div>
    }
}

/// The image types the photo pipeline takes (it re-encodes each).
const PHOTO_TYPES: &str = "image/jpeg,image/png,image/webp";

/// The photos of a problem, each thumbnail linking to the full image.
#[component]
pub fn PhotoGallery(photos: Vec<Photo>) -> impl IntoView {
    let i18n = use_i18n();
    (!photos.is_empty()).then(|| view! {
        <section aria-label=move || i18n.t(Msg::Photos)>
            <ul class="photo-strip" data-test="photos">
                {photos.into_iter().map(|photo| view! {
                    <li>
                        <a href=photo.url.clone() target="_blank" rel="noopener">
                            <img src=photo.thumb_url.clone() alt=move || i18n.t(Msg::PhotoOf) loading="lazy" width="160" height="120" />
                        </a>
                    </li>
                }).collect_view()}
            </ul>
        </section>
    })
}

#[cfg(feature = "hydrate")]
pub(crate) mod browser {
    use super::Uploaded;
    use crate::ui::upload::post_file;
    use platform::error::AppError;

    /// Posts one file to `/api/v1/photos`; the server's refusal comes back as the error.
    pub async fn upload(file: web_sys::File) -> Result<Uploaded, AppError> {
        post_file("/api/v1/photos", "photo", file).await
    }
}
