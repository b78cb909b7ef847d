//! A person's albums as their profile lists them, and the fields an album's form shares
//! between making and editing it.

use leptos::prelude::*;
use leptos_router::components::A;

use super::model::{Audience, DESCRIPTION_MAX, GallerySummary, TITLE_MAX};
use super::server_fns::load_person_galleries;
use crate::i18n::{Msg, format_date, format_integer, use_i18n};
use crate::ui::errors::FieldMessage;
use platform::error::AppError;

/// The albums of person `person` the reader may see, and for their owner the link that
/// makes a new one.
#[component]
pub fn PersonGalleries(person: String) -> impl IntoView {
    let i18n = use_i18n();
    let galleries = Resource::new(|| (), move |_| load_person_galleries(person.clone()));
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                galleries.await.ok().and_then(|list| {
                    // Nobody is shown an empty section on a profile but its owner, who may
                    // start an album from it.
                    (list.own || !list.galleries.is_empty()).then(|| view! {
                        <section class="stack" data-test="person-galleries">
                            <h2>{move || i18n.t(Msg::GalGalleries)}</h2>
                            {list.own.then(|| view! {
                                <p><A href="/galleries/new" attr:class="button secondary" attr:data-test="new-gallery">{move || i18n.t(Msg::GalNew)}</A></p>
                            })}
                            {(list.own && list.galleries.is_empty()).then(|| view! { <p class="muted">{move || i18n.t(Msg::GalNoneYet)}</p> })}
                            <ul class="gallery-list">
                                {list.galleries.into_iter().map(|gallery| view! { <li><GalleryCard gallery /></li> }).collect_view()}
                            </ul>
                        </section>
                    })
                })
            })}
        </Transition>
    }
}

/// One album in a list: its cover, title, photo count and audience.
#[component]
fn GalleryCard(gallery: GallerySummary) -> impl IntoView {
    let i18n = use_i18n();
    let GallerySummary {
        id,
        title,
        audience,
        photos,
        cover,
        updated_at,
    } = gallery;
    view! {
        <A href=format!("/galleries/{id}") attr:class="card gallery-card" attr:data-test="gallery-card">
            {match cover {
                Some(photo) => view! { <img src=photo.thumb_url alt="" width="240" height="160" loading="lazy" /> }.into_any(),
                None => view! { <span class="gallery-cover-empty" aria-hidden="true"></span> }.into_any(),
            }}
            <strong data-test="gallery-title">{title}</strong>
            <span class="muted">
                {move || i18n.t(Msg::GalPhotos).replace("{count}", &format_integer(i18n.locale(), i64::from(photos)))}
                " · " {move || i18n.t(audience_label(audience))}
                " · " {move || format_date(i18n.locale(), updated_at.date())}
            </span>
        </A>
    }
}

/// What an audience is called.
pub fn audience_label(audience: Audience) -> Msg {
    match audience {
        Audience::Public => Msg::GalPublic,
        Audience::Followers => Msg::GalFollowers,
    }
}

/// The title, description and audience of an album (`input[...]` of its form).
#[component]
pub fn GalleryFields(
    /// The last error of the form's action.
    #[prop(into)]
    error: Signal<Option<AppError>>,
    /// The title shown at first.
    #[prop(optional, into)]
    title: String,
    /// The description shown at first.
    #[prop(optional, into)]
    description: String,
    /// The audience chosen at first.
    #[prop(optional)]
    audience: Audience,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="field">
            <label for="gallery-title">{move || i18n.t(Msg::GalTitle)}</label>
            <input id="gallery-title" name="input[title]" required=true maxlength=TITLE_MAX.to_string() value=title data-test="gallery-title-input" />
            <FieldMessage error field="title" />
        </div>
        <div class="field">
            <label for="gallery-description">{move || i18n.t(Msg::GalDescription)}</label>
            <textarea id="gallery-description" name="input[description]" rows="3" maxlength=DESCRIPTION_MAX.to_string() data-test="gallery-description">{description}</textarea>
            <FieldMessage error field="description" />
        </div>
        <fieldset class="field">
            <legend>{move || i18n.t(Msg::GalAudience)}</legend>
            {Audience::ALL.into_iter().map(|option| view! {
                <label>
                    <input type="radio" name="input[audience]" value=option.as_db() checked=option == audience data-test=format!("audience-{}", option.as_db()) />
                    " " {move || i18n.t(audience_label(option))}
                </label>
            }).collect_view()}
            <p class="field-hint">{move || i18n.t(Msg::GalAudienceHint)}</p>
            <FieldMessage error field="audience" />
        </fieldset>
    }
}
