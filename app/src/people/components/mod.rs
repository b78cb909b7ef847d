//! The profile section the route table adds to the account page.

use leptos::prelude::*;
use leptos_router::components::A;

use super::model::{ABOUT_MAX, MyProfile};
use super::server_fns::{SaveProfile, load_my_profile};
use crate::i18n::{Msg, use_i18n};
use crate::photos::components::PhotoPicker;
use crate::ui::errors::{ActionError, FieldMessage, last_error};
use crate::ui::form::Field;

/// The signed-in person's profile: name, "about me", avatar and what anyone may see.
#[component]
pub fn ProfileSection() -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveProfile>::new();
    let error = last_error(save.value());
    let saved = Signal::derive(move || matches!(save.value().get(), Some(Ok(_))));
    // Read again after a success only: a refused form keeps what was typed.
    let written = RwSignal::new(0u32);
    Effect::new(move |_| {
        if saved.get() {
            written.update(|count| *count += 1);
        }
    });
    let profile = Resource::new(move || written.get(), |_| load_my_profile());
    view! {
        <section class="stack" id="profile" data-test="profile-section">
            <h2>{move || i18n.t(Msg::PplProfile)}</h2>
            <p class="field-hint">{move || i18n.t(Msg::PplProfileHint)}</p>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    profile.await.ok().map(|profile| view! { <ProfileForm profile save error saved /> })
                })}
            </Transition>
        </section>
    }
}

#[component]
fn ProfileForm(
    profile: MyProfile,
    save: ServerAction<SaveProfile>,
    error: Signal<Option<platform::error::AppError>>,
    saved: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let MyProfile {
        id,
        display_name,
        about,
        shown,
        avatar,
    } = profile;
    let boxes = [
        (
            "profile[show_municipality]",
            shown.municipality,
            Msg::PplShowMunicipality,
            "show-municipality",
        ),
        (
            "profile[show_problems]",
            shown.problems,
            Msg::PplShowProblems,
            "show-problems",
        ),
        (
            "profile[show_solutions]",
            shown.solutions,
            Msg::PplShowSolutions,
            "show-solutions",
        ),
        (
            "profile[show_initiatives]",
            shown.initiatives,
            Msg::PplShowInitiatives,
            "show-initiatives",
        ),
        (
            "profile[show_comments]",
            shown.comments,
            Msg::PplShowComments,
            "show-comments",
        ),
    ];
    view! {
        <ActionForm action=save attr:class="form stack" attr:data-test="profile-form">
            <ActionError error />
            <Show when=move || saved.get()>
                <p class="notice success" role="status">{move || i18n.t(Msg::PplSaved)}</p>
            </Show>
            <Field name="profile[display_name]" label=Msg::DisplayName error required=true value=display_name autocomplete="nickname" />
            <div class="field">
                <label for="profile-about">{move || i18n.t(Msg::PplAbout)}</label>
                <textarea id="profile-about" name="profile[about]" rows="4" maxlength=ABOUT_MAX.to_string() data-test="profile-about">{about}</textarea>
                <FieldMessage error field="about" />
            </div>
            {avatar.map(|photo| view! {
                <div class="field">
                    <img class="avatar" src=photo.thumb_url alt=move || i18n.t(Msg::PplAvatar) width="96" height="96" />
                    <label class="checkbox">
                        <input type="checkbox" name="profile[remove_avatar]" value="on" data-test="remove-avatar" />
                        {move || i18n.t(Msg::PplRemoveAvatar)}
                    </label>
                </div>
            })}
            <fieldset class="stack">
                <legend>{move || i18n.t(Msg::PplAvatar)}</legend>
                <PhotoPicker name="profile[avatar]" max=1 />
                <FieldMessage error field="avatar" />
            </fieldset>
            <fieldset class="stack">
                <legend>{move || i18n.t(Msg::PplShowHeading)}</legend>
                {boxes.into_iter().map(|(name, checked, label, test_id)| view! {
                    <label class="checkbox">
                        <input type="checkbox" name=name value="on" checked=checked data-test=test_id />
                        {move || i18n.t(label)}
                    </label>
                }).collect_view()}
            </fieldset>
            <div class="form-actions">
                <button type="submit" class="primary" data-test="profile-save" disabled=move || save.pending().get()>
                    {move || i18n.t(Msg::Save)}
                </button>
                <A href=format!("/people/{id}") attr:data-test="open-profile">{move || i18n.t(Msg::PplOpenProfile)}</A>
            </div>
        </ActionForm>
    }
}
