//! A publication as feeds, its page and profiles show it, and the form that writes one.

use leptos::prelude::*;
use leptos_router::components::A;

use super::model::{BODY_MAX, Publication, Voice};
use super::server_fns::{LikePublication, Publish};
use crate::i18n::{Msg, format_integer, format_local_datetime, use_i18n};
use crate::moderation::components::ReportForm;
use crate::moderation::model::ReportedKind;
use crate::photos::components::{PhotoGallery, PhotoPicker};
use crate::ui::errors::{ActionError, FieldMessage, last_error};
use crate::ui::typed_text::TypedText;
use platform::ids::DepartmentId;

/// One publication: who speaks, when, the text, the photos, likes and comments.
#[component]
pub fn PublicationCard(
    publication: Publication,
    like: ServerAction<LikePublication>,
    signed_in: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let Publication {
        id,
        voice,
        body,
        photos,
        likes,
        liked,
        comments,
        at,
        hidden_reason,
        mine,
    } = publication;
    let author = match voice {
        Voice::Person { id, name } => view! {
            <A href=format!("/people/{id}") attr:data-test="publication-author">{name}</A>
        }
        .into_any(),
        Voice::Department {
            slug,
            name_ru,
            name_en,
        } => view! {
            <span class="badge">{move || i18n.t(Msg::PubOfficialNews)}</span> " "
            <A href=format!("/departments/{slug}") attr:data-test="publication-author">
                {move || i18n.locale().pick(&name_ru, &name_en).to_string()}
            </A>
        }
        .into_any(),
    };
    let page = format!("/publications/{id}");
    view! {
        <article class="card stack" data-test="publication">
            <p class="muted">
                {author} " · "
                <A href=page.clone()>{move || format_local_datetime(i18n.locale(), at)}</A>
            </p>
            {hidden_reason.map(|reason| view! {
                <p class="notice" data-test="publication-hidden">{move || i18n.t(Msg::ModHiddenNotice)} " " {reason.clone()}</p>
            })}
            <TypedText body test_id="publication-body" />
            <PhotoGallery photos />
            <div class="row">
                {if signed_in {
                    view! {
                        <ActionForm action=like attr:class="inline" attr:data-test="like-form">
                            <input type="hidden" name="id" value=id.to_string() />
                            <input type="hidden" name="like" value=(!liked).to_string() />
                            <button type="submit" class=if liked { "primary" } else { "secondary" } aria-pressed=liked.to_string()
                                data-test="like" disabled=move || like.pending().get()>
                                {move || i18n.t(Msg::PubLike)} " " {move || format_integer(i18n.locale(), i64::from(likes))}
                            </button>
                        </ActionForm>
                    }.into_any()
                } else {
                    view! { <span data-test="likes">{move || i18n.t(Msg::PubLikes)} " " {move || format_integer(i18n.locale(), i64::from(likes))}</span> }.into_any()
                }}
                <A href=page attr:data-test="publication-comments">
                    {move || i18n.t(Msg::PubComments).replace("{count}", &format_integer(i18n.locale(), i64::from(comments)))}
                </A>
            </div>
            {(signed_in && !mine).then(|| view! { <ReportForm kind=ReportedKind::Publication id=id.0 /> })}
        </article>
    }
}

/// The form that publishes: the text, photos and, for an official, whose voice.
#[component]
pub fn PublishForm(
    publish: ServerAction<Publish>,
    /// The departments the author may publish news for (id, Russian and English name).
    departments: Vec<(DepartmentId, String, String)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = last_error(publish.value());
    view! {
        <ActionForm action=publish attr:class="form stack card" attr:data-test="publish-form">
            <ActionError error />
            <div class="field">
                <label for="publication-body">{move || i18n.t(Msg::PubWrite)}</label>
                <textarea id="publication-body" name="input[body]" rows="4" required=true maxlength=BODY_MAX.to_string() data-test="publication-text"></textarea>
                <p class="field-hint">{move || i18n.t(Msg::PubTextHint)}</p>
                <FieldMessage error field="body" />
            </div>
            <PhotoPicker name="input[photos]" />
            <FieldMessage error field="photos" />
            {(!departments.is_empty()).then(|| view! {
                <div class="field">
                    <label for="publication-department">{move || i18n.t(Msg::PubVoice)}</label>
                    <select id="publication-department" name="input[department]" data-test="publication-department">
                        <option value="">{move || i18n.t(Msg::PubVoiceOwn)}</option>
                        {departments.into_iter().map(|(id, name_ru, name_en)| view! {
                            <option value=id.to_string()>{move || i18n.locale().pick(&name_ru, &name_en).to_string()}</option>
                        }).collect_view()}
                    </select>
                    <FieldMessage error field="department" />
                </div>
            })}
            <div class="form-actions">
                <button type="submit" class="primary" data-test="publish" disabled=move || publish.pending().get()>
                    {move || i18n.t(Msg::PubPublish)}
                </button>
            </div>
        </ActionForm>
    }
}
