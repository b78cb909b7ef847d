//! `/lawmaking/:id/text`: the draft's versions, one version's articles with their
//! amendments, the citizens' amendment forms, the editor's dispositions and the editor's
//! form for the next version (typed, pasted or loaded from a .docx).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{A, Form};
use leptos_router::hooks::{use_params_map, use_query_map};

use super::super::components::DispositionFields;
use super::super::model::drafting::{
    AMENDMENT_MAX, Amendment, AmendmentId, AmendmentStatus, Article, DraftText, JUSTIFICATION_MAX,
    NOTE_MAX, may_amend,
};
use super::super::server_fns::{
    DisposeAmendment, ProposeAmendment, PublishVersion, SetAmendmentSupport, get_initiative_text,
};
use super::super::texts::article_name;
use crate::i18n::{Msg, format_integer, format_local_datetime, use_i18n};
use crate::ui::errors::{ActionError, ErrorPage, FieldMessage, last_error, upload_error_text};
use platform::error::AppError;

/// The server actions of the page; the text reloads after each.
#[derive(Clone, Copy)]
struct Actions {
    publish: ServerAction<PublishVersion>,
    amend: ServerAction<ProposeAmendment>,
    support: ServerAction<SetAmendmentSupport>,
    dispose: ServerAction<DisposeAmendment>,
    /// The editor's text as typed, kept across reloads until a version is published, so
    /// a conflict or a refusal loses nothing; `None`: start from the shown version.
    typed: RwSignal<Option<String>>,
}

/// `/lawmaking/:id/text` (`?version=N` for an earlier version).
#[component]
pub fn InitiativeTextPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let actions = Actions {
        publish: ServerAction::new(),
        amend: ServerAction::new(),
        support: ServerAction::new(),
        dispose: ServerAction::new(),
        typed: RwSignal::new(None),
    };
    // The text reloads after a step that changed it, and after a publication refused as
    // a conflict (to show the version published meanwhile, the typed text kept). After
    // any other refusal it stays as it is, so an open form keeps what was typed beside
    // its error.
    let reload = RwSignal::new(0u32);
    let changed = move |succeeded: bool| {
        if succeeded {
            reload.update(|count| *count += 1);
        }
    };
    Effect::new(move |_| {
        let outcome = actions.publish.value().with(|value| {
            (
                matches!(value, Some(Ok(_))),
                matches!(value, Some(Err(AppError::Conflict))),
            )
        });
        if outcome.0 {
            actions.typed.set(None);
        }
        changed(outcome.0 || outcome.1);
    });
    Effect::new(move |_| {
        changed(
            actions
                .amend
                .value()
                .with(|value| matches!(value, Some(Ok(_)))),
        )
    });
    Effect::new(move |_| {
        changed(
            actions
                .support
                .value()
                .with(|value| matches!(value, Some(Ok(_)))),
        )
    });
    Effect::new(move |_| {
        changed(
            actions
                .dispose
                .value()
                .with(|value| matches!(value, Some(Ok(_)))),
        )
    });
    let text = Resource::new(
        move || {
            (
                params.with(|p| p.get("id").unwrap_or_default()),
                query.with(|q| q.get("version").unwrap_or_default()),
                reload.get(),
            )
        },
        |(id, version, _)| get_initiative_text(id, version),
    );
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match text.await {
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                    Ok(draft) => view! { <TextView id=id() draft actions /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn TextView(id: String, draft: DraftText, actions: Actions) -> impl IntoView {
    let i18n = use_i18n();
    let title = draft.title.clone();
    let page_title = title.clone();
    let back = format!("/lawmaking/{id}");
    let editing = draft.may_edit() && (draft.shows_latest() || draft.versions.is_empty());
    let amending = may_amend(&draft.viewer, draft.stage) && draft.shows_latest();
    let empty = draft.versions.is_empty();
    // Each article gets its own amendments, grouped once: the page may hold 500 articles
    // and 2,000 amendments.
    let mut by_article = draft.amendments_by_article();
    let editor = draft.may_edit() && draft.shows_latest();
    let signed_in = draft.viewer.signed_in && draft.shows_latest();
    let supported = draft.supported.clone();
    view! {
        <Title text=move || format!("{} — {}", i18n.t(Msg::DraftText), page_title) />
        <article class="stack draft-text" data-test="draft-text">
            <p><A href=back>{move || format!("← {title}")}</A></p>
            <h1 class="page-title">{move || i18n.t(Msg::DraftText)}</h1>
            <Versions id=id.clone() draft=draft.clone() />
            {empty.then(|| view! { <p class="muted" data-test="no-version">{move || i18n.t(Msg::NoVersionYet)}</p> })}
            {(!draft.shows_latest() && !empty).then(|| view! { <p class="notice">{move || i18n.t(Msg::OlderVersionNotice)}</p> })}
            <ol class="articles stack">
                {draft.articles.iter().cloned().map(|article| {
                    let amendments = by_article.remove(&article.label).unwrap_or_default();
                    let supported: Vec<AmendmentId> = amendments
                        .iter()
                        .map(|amendment| amendment.id)
                        .filter(|id| supported.contains(id))
                        .collect();
                    view! { <ArticleView id=id.clone() article amendments supported amending editor signed_in actions /> }
                }).collect_view()}
            </ol>
            {editing.then(|| view! { <PublishForm id=id.clone() draft=draft.clone() actions /> })}
        </article>
    }
}

/// The version list and the comparison form.
#[component]
fn Versions(id: String, draft: DraftText) -> impl IntoView {
    let i18n = use_i18n();
    let numbers: Vec<u32> = draft
        .versions
        .iter()
        .map(|version| version.number)
        .collect();
    let latest = draft.latest();
    let action = format!("/lawmaking/{id}/compare");
    let shown = draft
        .shown
        .map_or(String::new(), |number| format!("?version={number}"));
    let summary_href = |extension: &str| format!("/lawmaking/{id}/summary.{extension}{shown}");
    (!draft.versions.is_empty()).then(|| {
        view! {
            <section class="stack" data-test="versions">
                <h2>{move || i18n.t(Msg::Versions)}</h2>
                <ol class="version-list">
                    {draft.versions.iter().cloned().map(|version| {
                        let href = format!("/lawmaking/{id}/text?version={}", version.number);
                        let current = Some(version.number) == draft.shown;
                        let number = version.number;
                        view! {
                            <li data-test="version" aria-current=current.then_some("true")>
                                <A href=href>{move || format!("{} {number}", i18n.t(Msg::Version))}</A>
                                <span class="muted">{move || format!(" — {}, {}", version.editor_name, format_local_datetime(i18n.locale(), version.created_at))}</span>
                                {version.note.clone().map(|note| view! { <p class="timeline-body">{note}</p> })}
                            </li>
                        }
                    }).collect_view()}
                </ol>
                <p class="row">
                    <span>{move || i18n.t(Msg::ProposalSummary)}</span>
                    <a class="button secondary" href=summary_href("xlsx") data-test="summary-xlsx" download>{move || i18n.t(Msg::ExportXlsx)}</a>
                    <a class="button secondary" href=summary_href("pdf") data-test="summary-pdf" download>{move || i18n.t(Msg::ExportPdf)}</a>
                </p>
                {(numbers.len() > 1).then(|| view! {
                    <Form action=action attr:class="row compare-form" attr:data-test="compare-form">
                        <label>{move || i18n.t(Msg::CompareFrom)}" "
                            <select name="from" data-test="compare-from">
                                {numbers.iter().map(|number| view! { <option value=number.to_string() selected=*number + 1 == latest>{number.to_string()}</option> }).collect_view()}
                            </select>
                        </label>
                        <label>{move || i18n.t(Msg::CompareTo)}" "
                            <select name="to" data-test="compare-to">
                                {numbers.iter().map(|number| view! { <option value=number.to_string() selected=*number == latest>{number.to_string()}</option> }).collect_view()}
                            </select>
                        </label>
                        <button type="submit" class="secondary" data-test="compare">{move || i18n.t(Msg::CompareVersions)}</button>
                    </Form>
                })}
            </section>
        }
    })
}

#[component]
fn ArticleView(
    id: String,
    article: Article,
    amendments: Vec<Amendment>,
    supported: Vec<AmendmentId>,
    amending: bool,
    editor: bool,
    signed_in: bool,
    actions: Actions,
) -> impl IntoView {
    let i18n = use_i18n();
    let amendment_count = amendments.len();
    let (label, heading) = (article.label.clone(), article.heading.clone());
    let anchor = format!("article-{}", article.label);
    view! {
        <li class="article card stack" id=anchor data-test="article" data-label=article.label.clone()>
            <h3 class="article-heading">{move || article_name(&label, &heading, i18n.t(Msg::Preamble))}</h3>
            <p class="article-body" data-test="article-body">{article.body.clone()}</p>
            {(!amendments.is_empty()).then(|| view! {
                <details class="amendments" open=true>
                    <summary>{move || format!("{} ({amendment_count})", i18n.t(Msg::Amendments))}</summary>
                    <ul class="stack">
                        {amendments.iter().cloned().map(|amendment| {
                            let supported = supported.contains(&amendment.id);
                            view! { <AmendmentView amendment supported signed_in editor actions /> }
                        }).collect_view()}
                    </ul>
                </details>
            })}
            {amending.then(|| view! { <AmendForm id=id.clone() article=article.clone() actions /> })}
        </li>
    }
}

#[component]
fn AmendmentView(
    amendment: Amendment,
    supported: bool,
    signed_in: bool,
    editor: bool,
    actions: Actions,
) -> impl IntoView {
    let i18n = use_i18n();
    let open = amendment.status == AmendmentStatus::Open;
    let status = amendment.status;
    let amendment_id = amendment.id.to_string();
    let dispose_id = amendment_id.clone();
    let count = i64::from(amendment.support_count);
    let author = amendment.author_name.clone();
    let taken_in = amendment.taken_in;
    let created_at = amendment.created_at;
    view! {
        <li class="amendment stack" data-test="amendment" data-status=status.as_db()>
            <div class="row">
                <span class=format!("badge amendment-{}", status.as_db()) data-test="amendment-status">{move || i18n.t(status.msg())}</span>
                <span class="muted">{move || format!("№ {} · {} · {}",
                    amendment.id,
                    author.clone().unwrap_or_else(|| i18n.t(Msg::AuthorHidden).to_string()),
                    format_local_datetime(i18n.locale(), created_at))}</span>
            </div>
            <blockquote class="amendment-text" data-test="amendment-text">{amendment.text.clone()}</blockquote>
            <p><strong>{move || format!("{}: ", i18n.t(Msg::AmendmentJustification))}</strong>{amendment.justification.clone()}</p>
            {amendment.reason.clone().map(|reason| view! {
                <p data-test="amendment-reason"><strong>{move || format!("{}: ", i18n.t(Msg::DispositionReason))}</strong>{reason}</p>
            })}
            {taken_in.map(|version| view! { <p class="muted">{move || format!("{} {version}", i18n.t(Msg::TakenInVersion))}</p> })}
            <div class="row">
                <span data-test="amendment-supports">{move || format!("{}: {}", i18n.t(Msg::Supports), format_integer(i18n.locale(), count))}</span>
                {(open && signed_in).then(|| view! {
                    <ActionForm action=actions.support>
                        <input type="hidden" name="amendment" value=amendment_id />
                        <input type="hidden" name="support" value=(!supported).to_string() />
                        <button type="submit" class="secondary" data-test="support-amendment" aria-pressed=supported.to_string()>
                            {move || i18n.t(if supported { Msg::WithdrawSupport } else { Msg::Support })}
                        </button>
                    </ActionForm>
                })}
            </div>
            {(open && editor).then(|| view! { <DisposeForm amendment=dispose_id actions /> })}
        </li>
    }
}

/// The editor's decision on one amendment: a reason and one of three dispositions.
#[component]
fn DisposeForm(amendment: String, actions: Actions) -> impl IntoView {
    let i18n = use_i18n();
    let error = last_error(actions.dispose.value());
    let prefix = format!("dispose-{amendment}");
    view! {
        <ActionForm action=actions.dispose attr:class="stack dispose-form" attr:data-test="dispose-form">
            <input type="hidden" name="amendment" value=amendment />
            <DispositionFields prefix error name=|disposition| AmendmentStatus::Decided(disposition).msg() />
            <button type="submit" class="primary" data-test="dispose" disabled=move || actions.dispose.pending().get()>{move || i18n.t(Msg::RecordDisposition)}</button>
            <ActionError error status_name=AmendmentStatus::stored_name />
        </ActionForm>
    }
}

/// A citizen's amendment to one article, starting from its current text.
#[component]
fn AmendForm(id: String, article: Article, actions: Actions) -> impl IntoView {
    let i18n = use_i18n();
    let error = last_error(actions.amend.value());
    let prefix = format!("amend-{}", article.label);
    let (text_id, reason_id, anonymous_id) = (
        format!("{prefix}-text"),
        format!("{prefix}-justification"),
        format!("{prefix}-anonymous"),
    );
    let (text_for, reason_for, anonymous_for) =
        (text_id.clone(), reason_id.clone(), anonymous_id.clone());
    view! {
        <details class="amend" data-test="amend">
            <summary data-test="amend-open">{move || i18n.t(Msg::ProposeAmendment)}</summary>
            <ActionForm action=actions.amend attr:class="stack" attr:data-test="amend-form">
                <input type="hidden" name="id" value=id />
                <input type="hidden" name="input[article]" value=article.label.clone() />
                <div class="field">
                    <label for=text_for>{move || i18n.t(Msg::AmendmentText)}</label>
                    <textarea id=text_id name="input[text]" rows="5" required=true maxlength=AMENDMENT_MAX.to_string() data-test="amendment-input">{article.body.clone()}</textarea>
                    <FieldMessage error field="text" />
                </div>
                <div class="field">
                    <label for=reason_for>{move || i18n.t(Msg::AmendmentJustification)}</label>
                    <textarea id=reason_id name="input[justification]" rows="3" required=true maxlength=JUSTIFICATION_MAX.to_string() data-test="justification-input"></textarea>
                    <FieldMessage error field="justification" />
                </div>
                <label class="checkbox" for=anonymous_for>
                    <input type="checkbox" id=anonymous_id name="input[anonymous]" value="true" />
                    {move || i18n.t(Msg::AmendmentAnonymous)}
                </label>
                <ActionError error />
                <button type="submit" class="primary" data-test="submit-amendment" disabled=move || actions.amend.pending().get()>{move || i18n.t(Msg::SubmitAmendment)}</button>
            </ActionForm>
        </details>
    }
}

/// The editor's form for the next version: the text to edit (the shown version with the
/// accepted amendments applied, or what the editor typed or loaded), a note, and a .docx
/// loader.
#[component]
fn PublishForm(id: String, draft: DraftText, actions: Actions) -> impl IntoView {
    let i18n = use_i18n();
    let error = last_error(actions.publish.value());
    let start = draft.next_version_text();
    let typed = actions.typed;
    // The first render (the server's HTML, and its hydration) carries the text as the
    // field's content, so the form works before the WebAssembly has loaded.
    let initial = typed.get_untracked().unwrap_or_else(|| start.clone());
    let text = move || typed.get().unwrap_or_else(|| start.clone());
    let conflict = move || matches!(error.get(), Some(AppError::Conflict));
    let other_error = Signal::derive(move || {
        error
            .get()
            .filter(|error| !matches!(error, AppError::Conflict))
    });
    let upload_error = RwSignal::new(None::<AppError>);
    let uploading = RwSignal::new(false);
    let chosen = NodeRef::<leptos::html::Input>::new();
    let upload_url = format!("/api/v1/initiatives/{id}/docx");
    let load_docx = move |_| {
        #[cfg(feature = "hydrate")]
        crate::ui::upload::send_chosen_file::<String>(
            chosen,
            upload_url.clone(),
            "file",
            uploading,
            upload_error,
            move |text| typed.set(Some(text)),
        );
        #[cfg(not(feature = "hydrate"))]
        let _ = (&upload_url, chosen);
    };
    let upload_message = move || {
        upload_error
            .get()
            .map(|error| upload_error_text(&error, "file", i18n.locale()))
    };
    let base = draft.latest().to_string();
    view! {
        <section class="card stack publish-version" data-test="publish-version">
            <h2>{move || i18n.t(Msg::NewVersion)}</h2>
            <div class="field">
                <label for="docx-file">{move || i18n.t(Msg::DocxFile)}</label>
                <div class="row">
                    <input id="docx-file" type="file" node_ref=chosen data-test="docx-file"
                        accept=".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document" />
                    <button type="button" class="secondary" on:click=load_docx data-test="load-docx" disabled=move || uploading.get()>
                        {move || i18n.t(Msg::LoadDocx)}
                    </button>
                </div>
                {move || upload_message().map(|text| view! { <p class="field-error" role="alert" data-test="docx-error">{text}</p> })}
            </div>
            <ActionForm action=actions.publish attr:class="stack" attr:data-test="publish-form">
                <input type="hidden" name="id" value=id />
                <input type="hidden" name="input[base]" value=base />
                <div class="field">
                    <label for="version-text">{move || i18n.t(Msg::VersionText)}</label>
                    <p class="field-hint">{move || i18n.t(Msg::VersionTextHint)}</p>
                    <textarea id="version-text" name="input[text]" rows="16" required=true data-test="version-text"
                        prop:value=text on:input=move |ev| typed.set(Some(event_target_value(&ev)))>{initial}</textarea>
                    <FieldMessage error field="text" />
                </div>
                <div class="field">
                    <label for="version-note">{move || i18n.t(Msg::VersionNote)}</label>
                    <input id="version-note" name="input[note]" maxlength=NOTE_MAX.to_string() data-test="version-note" />
                    <FieldMessage error field="note" />
                </div>
                {move || conflict().then(|| view! { <p class="notice error" role="alert" data-test="version-conflict">{move || i18n.t(Msg::VersionConflict)}</p> })}
                <ActionError error=other_error />
                <button type="submit" class="primary" data-test="publish-version-button" disabled=move || actions.publish.pending().get()>{move || i18n.t(Msg::PublishVersion)}</button>
            </ActionForm>
        </section>
    }
}
