//! `/galleries/new` makes an album; `/galleries/{id}` shows one (`?key=` carries a share
//! link's key), and its owner adds, captions and removes photos, changes who sees it,
//! replaces its share link or deletes it there.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

use super::components::{GalleryFields, audience_label};
use super::model::GalleryDetail;
use super::server_fns::{
    AddGalleryPhotos, CaptionGalleryPhoto, CreateGallery, DeleteGallery, RemoveGalleryPhoto,
    RenewGalleryLink, SaveGallery, load_gallery,
};
use crate::auth::components::use_auth;
use crate::i18n::{Msg, format_date, use_i18n};
use crate::moderation::components::ReportForm;
use crate::moderation::model::ReportedKind;
use crate::photos::Photo;
use crate::photos::components::PhotoPicker;
use crate::ui::errors::{ActionError, ErrorPage, FieldMessage, last_error};
use civic::photos::CAPTION_MAX;

/// The form that makes an album with its first photos; the new album opens after.
#[component]
pub fn NewGalleryPage() -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreateGallery>::new();
    let error = last_error(create.value());
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(id)) = create.value().get() {
            navigate(&format!("/galleries/{id}"), Default::default());
        }
    });
    let auth = use_auth();
    view! {
        <Title text=move || i18n.t(Msg::GalNew) />
        <h1 class="page-title">{move || i18n.t(Msg::GalNew)}</h1>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                if !matches!(auth.user.await, Ok(Some(_))) {
                    return view! { <p class="notice" data-test="sign-in-to-create"><A href="/login">{move || i18n.t(Msg::SignInToAct)}</A></p> }.into_any();
                }
                view! {
                    <ActionForm action=create attr:class="form stack card" attr:data-test="gallery-form">
                        <ActionError error />
                        <GalleryFields error />
                        <PhotoPicker name="input[photos]" />
                        <FieldMessage error field="photos" />
                        <div class="form-actions">
                            <button type="submit" class="primary" data-test="gallery-create" disabled=move || create.pending().get()>
                                {move || i18n.t(Msg::GalCreate)}
                            </button>
                        </div>
                    </ActionForm>
                }.into_any()
            })}
        </Transition>
    }
}

/// The owner's forms of one album, each reading the album again once it succeeds.
#[derive(Clone, Copy)]
struct OwnerActions {
    add: ServerAction<AddGalleryPhotos>,
    caption: ServerAction<CaptionGalleryPhoto>,
    remove: ServerAction<RemoveGalleryPhoto>,
    save: ServerAction<SaveGallery>,
    renew: ServerAction<RenewGalleryLink>,
    delete: ServerAction<DeleteGallery>,
}

impl OwnerActions {
    fn new() -> Self {
        Self {
            add: ServerAction::new(),
            caption: ServerAction::new(),
            remove: ServerAction::new(),
            save: ServerAction::new(),
            renew: ServerAction::new(),
            delete: ServerAction::new(),
        }
    }

    /// Changes whenever one of them succeeds.
    fn version(self) -> (usize, usize, usize, usize, usize) {
        (
            self.add.version().get(),
            self.caption.version().get(),
            self.remove.version().get(),
            self.save.version().get(),
            self.renew.version().get(),
        )
    }
}

/// One album.
#[component]
pub fn GalleryPage() -> impl IntoView {
    let params = use_params_map();
    let url = use_query_map();
    let actions = OwnerActions::new();
    let gallery = Resource::new(
        move || {
            (
                params.with(|p| p.get("id").unwrap_or_default()),
                url.with(|q| q.get("key").unwrap_or_default()),
                actions.version(),
            )
        },
        |(id, key, _)| load_gallery(id, key),
    );
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match gallery.await {
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                    Ok(gallery) => view! { <GalleryView gallery actions /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn GalleryView(gallery: GalleryDetail, actions: OwnerActions) -> impl IntoView {
    let i18n = use_i18n();
    let GalleryDetail {
        id,
        owner,
        owner_name,
        title,
        description,
        audience,
        photos,
        created_at,
        share_path,
        hidden_reason,
        mine,
        signed_in,
    } = gallery;
    let navigate = use_navigate();
    Effect::new(move |_| {
        if matches!(actions.delete.value().get(), Some(Ok(()))) {
            navigate(&format!("/people/{owner}"), Default::default());
        }
    });
    let empty = photos.is_empty();
    view! {
        <Title text=title.clone() />
        <article class="stack" data-test="gallery">
            <h1 class="page-title" data-test="gallery-heading">{title.clone()}</h1>
            <p class="muted">
                <A href=format!("/people/{owner}") attr:data-test="gallery-owner">{owner_name}</A>
                " · " {move || i18n.t(audience_label(audience))}
                " · " {move || format_date(i18n.locale(), created_at.date())}
            </p>
            {hidden_reason.map(|reason| view! {
                <p class="notice" data-test="gallery-hidden">{move || i18n.t(Msg::GalHiddenNotice)} " " {reason.clone()}</p>
            })}
            {(!description.is_empty()).then(|| view! { <p class="prewrap" data-test="gallery-description-text">{description.clone()}</p> })}
            {empty.then(|| view! { <p class="muted">{move || i18n.t(Msg::GalNoPhotos)}</p> })}
            <ul class="gallery-grid" data-test="gallery-photos">
                {photos.into_iter().map(|photo| view! { <li><GalleryPhoto gallery=id.0 photo mine actions /></li> }).collect_view()}
            </ul>
            {mine.then(|| view! { <OwnerTools id=id.0 title description audience share_path actions /> })}
            {(signed_in && !mine).then(|| view! { <ReportForm kind=ReportedKind::Gallery id=id.0 /> })}
        </article>
    }
}

/// One photo with its caption; for the owner, the caption's form and the removal.
#[component]
fn GalleryPhoto(gallery: u64, photo: Photo, mine: bool, actions: OwnerActions) -> impl IntoView {
    let i18n = use_i18n();
    let Photo {
        id,
        url,
        thumb_url,
        caption,
        ..
    } = photo;
    let alt = caption.clone();
    view! {
        <figure class="gallery-photo" data-test="gallery-photo">
            <a href=url target="_blank" rel="noopener">
                <img src=thumb_url alt=move || if alt.is_empty() { i18n.t(Msg::GalPhoto).to_string() } else { alt.clone() } loading="lazy" width="240" height="180" />
            </a>
            {(!caption.is_empty()).then(|| view! { <figcaption data-test="gallery-caption">{caption.clone()}</figcaption> })}
            {mine.then(|| view! {
                <ActionForm action=actions.caption attr:class="form inline-form" attr:data-test="caption-form">
                    <input type="hidden" name="id" value=gallery.to_string() />
                    <input type="hidden" name="photo" value=id.to_string() />
                    <label class="visually-hidden" for=format!("caption-{id}")>{move || i18n.t(Msg::GalCaption)}</label>
                    <input id=format!("caption-{id}") name="caption" maxlength=CAPTION_MAX.to_string() value=caption.clone()
                        placeholder=move || i18n.t(Msg::GalCaption) data-test="caption-input" />
                    <button type="submit" class="secondary" data-test="caption-save">{move || i18n.t(Msg::Save)}</button>
                </ActionForm>
                <ActionForm action=actions.remove attr:class="inline" attr:data-test="remove-photo-form">
                    <input type="hidden" name="id" value=gallery.to_string() />
                    <input type="hidden" name="photo" value=id.to_string() />
                    <button type="submit" class="link-button" data-test="remove-photo">{move || i18n.t(Msg::RemovePhoto)}</button>
                </ActionForm>
            })}
        </figure>
    }
}

/// What the owner does with an album: add photos, change it, share it, delete it.
#[component]
fn OwnerTools(
    id: u64,
    title: String,
    description: String,
    audience: super::model::Audience,
    share_path: Option<String>,
    actions: OwnerActions,
) -> impl IntoView {
    let i18n = use_i18n();
    let add_error = last_error(actions.add.value());
    let save_error = last_error(actions.save.value());
    let delete_error = last_error(actions.delete.value());
    view! {
        <ActionError error=last_error(actions.caption.value()) />
        <ActionError error=last_error(actions.remove.value()) />
        <section class="card stack" data-test="gallery-add">
            <h2>{move || i18n.t(Msg::GalAddPhotos)}</h2>
            <ActionForm action=actions.add attr:class="form stack" attr:data-test="add-photos-form">
                <input type="hidden" name="id" value=id.to_string() />
                <ActionError error=add_error />
                <PhotoPicker name="photos" />
                <FieldMessage error=add_error field="photos" />
                <button type="submit" class="primary" data-test="add-photos" disabled=move || actions.add.pending().get()>
                    {move || i18n.t(Msg::GalAddPhotos)}
                </button>
            </ActionForm>
        </section>
        {share_path.map(|path| view! {
            <section class="card stack" data-test="gallery-share">
                <h2>{move || i18n.t(Msg::GalShareLink)}</h2>
                <p class="muted">{move || i18n.t(Msg::GalShareHelp)}</p>
                <p><a href=path.clone() data-test="share-link">{path.clone()}</a></p>
                <ActionForm action=actions.renew attr:class="inline" attr:data-test="renew-link-form">
                    <input type="hidden" name="id" value=id.to_string() />
                    <button type="submit" class="secondary" data-test="renew-link">{move || i18n.t(Msg::GalRenewLink)}</button>
                </ActionForm>
            </section>
        })}
        <details class="card" data-test="gallery-settings">
            <summary>{move || i18n.t(Msg::GalSettings)}</summary>
            <ActionForm action=actions.save attr:class="form stack" attr:data-test="gallery-save-form">
                <input type="hidden" name="id" value=id.to_string() />
                <ActionError error=save_error />
                <GalleryFields error=save_error title description audience />
                <button type="submit" class="primary" data-test="gallery-save">{move || i18n.t(Msg::Save)}</button>
            </ActionForm>
        </details>
        <details class="card" data-test="gallery-delete">
            <summary>{move || i18n.t(Msg::GalDelete)}</summary>
            <ActionForm action=actions.delete attr:class="form stack" attr:data-test="gallery-delete-form">
                <input type="hidden" name="id" value=id.to_string() />
                <ActionError error=delete_error />
                <div class="field">
                    <label>
                        <input type="checkbox" name="confirm" value="yes" data-test="gallery-delete-confirm" />
                        " " {move || i18n.t(Msg::GalDeleteConfirm)}
                    </label>
                    <FieldMessage error=delete_error field="confirm" />
                </div>
                <button type="submit" class="danger" data-test="gallery-delete-submit">{move || i18n.t(Msg::GalDelete)}</button>
            </ActionForm>
        </details>
    }
}
