//! The moderators' open-data pages: `/manage/opendata` (every dataset, "publish now" for
//! live ones, the citizens' requests with answer forms) and `/manage/opendata/new` or
//! `/manage/opendata/:identifier` (the passport form; for uploaded datasets, a file
//! upload whose proposed structure is reviewed before it is published).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

use super::localized;
use crate::auth::components::RequireRole;
use crate::auth::model::MODERATORS;
use crate::i18n::{
    Msg, error_code_text, format_date, format_integer, format_local_datetime, use_i18n,
};
use crate::opendata::manage_fns::{
    ManageOverview, OpendataAnswerRequest, OpendataPublishLive, OpendataPublishUpload,
    OpendataSavePassport, PassportEditor, opendata_manage_overview, opendata_passport,
    opendata_upload,
};
use crate::opendata::model::{
    ColumnInfo, DatasetCard, DatasetRequest, DatasetSource, DatasetUploadId, PublishOutcome,
    UploadOutcome, UploadPreview,
};
use crate::ui::errors::{ActionError, ErrorPage, FieldMessage, last_error, upload_error_text};
use platform::error::AppError;

/// The column types a moderator can choose, by their v3.0 words.
const COLUMN_TYPES: [(&str, Msg); 5] = [
    ("string", Msg::OdTypeString),
    ("integer", Msg::OdTypeInteger),
    ("number", Msg::OdTypeNumber),
    ("date", Msg::OdTypeDate),
    ("boolean", Msg::OdTypeBoolean),
];

/// The sentence for a publication's outcome.
pub fn outcome_text(outcome: &PublishOutcome) -> Msg {
    match outcome {
        PublishOutcome::Published { .. } => Msg::OdOutcomePublished,
        PublishOutcome::Unchanged => Msg::OdOutcomeUnchanged,
        PublishOutcome::AlreadyToday => Msg::CodePublishedToday,
    }
}

/// `/manage/opendata`.
#[component]
pub fn OpenDataManagePage() -> impl IntoView {
    let i18n = use_i18n();
    let publish = ServerAction::<OpendataPublishLive>::new();
    let answer = ServerAction::<OpendataAnswerRequest>::new();
    // Created outside the role gate: created inside its async branch, the resource would
    // not match its server-rendered value when the page hydrates.
    let overview = Resource::new(
        move || (publish.version().get(), answer.version().get()),
        |_| opendata_manage_overview(),
    );
    view! {
        <Title text=move || i18n.t(Msg::OdManageTitle) />
        <h1 class="page-title">{move || i18n.t(Msg::OdManageTitle)}</h1>
        <RequireRole roles=MODERATORS>
            <ManageOverviewView overview publish answer />
        </RequireRole>
    }
}

#[component]
fn ManageOverviewView(
    overview: Resource<Result<ManageOverview, AppError>>,
    publish: ServerAction<OpendataPublishLive>,
    answer: ServerAction<OpendataAnswerRequest>,
) -> impl IntoView {
    let i18n = use_i18n();
    let publish_error = last_error(publish.value());
    let answer_error = last_error(answer.value());
    view! {
        <p><A href="/manage/opendata/new" attr:class="button primary" attr:data-test="new-dataset">{move || i18n.t(Msg::OdNewDataset)}</A></p>
        <ActionError error=publish_error />
        {move || publish.value().get().and_then(Result::ok).map(|outcome| view! {
            <p class="notice" role="status" data-test="publish-outcome">{move || i18n.t(outcome_text(&outcome))}</p>
        })}
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match overview.await {
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                    Ok(overview) => view! {
                        <section class="stack">
                            <h2>{move || i18n.t(Msg::OpenDataCount)}</h2>
                            <div class="table-wrap" tabindex="0">
                                <table class="data-table" data-test="manage-datasets">
                                    <thead><tr>
                                        <th scope="col">{move || i18n.t(Msg::OdDatasetColumn)}</th>
                                        <th scope="col">{move || i18n.t(Msg::OdSourceColumn)}</th>
                                        <th scope="col">{move || i18n.t(Msg::OpenDataVersionDate)}</th>
                                        <th scope="col">{move || i18n.t(Msg::OdActionsColumn)}</th>
                                    </tr></thead>
                                    <tbody>
                                        {overview.datasets.into_iter().map(|card| view! { <ManageRow card publish /> }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        </section>
                        <section class="stack">
                            <h2>{move || i18n.t(Msg::OdRequestsTitle)}</h2>
                            <ActionError error=answer_error />
                            {overview.requests.is_empty().then(|| view! { <p class="muted">{move || i18n.t(Msg::OdRequestsNone)}</p> })}
                            <ul class="stack" data-test="manage-requests">
                                {overview.requests.into_iter().map(|request| view! { <RequestAnswer request answer /> }).collect_view()}
                            </ul>
                        </section>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ManageRow(card: DatasetCard, publish: ServerAction<OpendataPublishLive>) -> impl IntoView {
    let i18n = use_i18n();
    let info = card.info;
    let identifier = info.identifier.clone();
    let title = info.title.clone();
    let live = info.source == DatasetSource::Live;
    let latest = card.latest;
    let publishing = identifier.clone();
    view! {
        <tr data-test="manage-dataset" data-identifier=identifier.clone()>
            <td>
                <A href=format!("/opendata/{identifier}")>{move || localized(i18n.locale(), &title).to_string()}</A>
                <br /><code>{identifier.clone()}</code>
            </td>
            <td>{move || i18n.t(if live { Msg::OdSourceLive } else { Msg::OdSourceUploaded })}</td>
            <td>{match latest {
                Some(latest) => view! {
                    {move || format_date(i18n.locale(), latest.version)} " · "
                    {move || format_integer(i18n.locale(), i64::from(latest.row_count))} " " {move || i18n.t(Msg::OpenDataRowsWord)}
                }.into_any(),
                None => view! { <span class="muted">{move || i18n.t(Msg::OdNotPublished)}</span> }.into_any(),
            }}</td>
            <td class="actions">
                <A href=format!("/manage/opendata/{identifier}") attr:data-test="edit-dataset">{move || i18n.t(Msg::OdEdit)}</A>
                {live.then(|| view! {
                    " "
                    <button type="button" data-test="publish-now" disabled=move || publish.pending().get()
                        on:click=move |_| { publish.dispatch(OpendataPublishLive { identifier: publishing.clone() }); }>
                        {move || i18n.t(Msg::OdPublishNow)}
                    </button>
                })}
            </td>
        </tr>
    }
}

#[component]
fn RequestAnswer(
    request: DatasetRequest,
    answer: ServerAction<OpendataAnswerRequest>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = request.id.to_string();
    let field = format!("answer-{id}");
    let dataset_field = format!("answer-dataset-{id}");
    let current = request.answer.clone().unwrap_or_default();
    let current_dataset = request
        .dataset
        .as_ref()
        .map(|(identifier, _)| identifier.clone())
        .unwrap_or_default();
    let created = request.created_at;
    view! {
        <li class="card stack" data-test="manage-request">
            <strong>{request.title.clone()}</strong>
            <p>{request.details.clone()}</p>
            <p class="muted">{request.author.clone()} " · " {move || format_local_datetime(i18n.locale(), created)}</p>
            <ActionForm action=answer attr:class="form stack">
                <input type="hidden" name="id" value=id />
                <div class="field">
                    <label for=field.clone()>{move || i18n.t(Msg::OdAnswerField)}</label>
                    <textarea id=field.clone() name="answer" rows="3" required data-test="answer-text">{current}</textarea>
                </div>
                <div class="field">
                    <label for=dataset_field.clone()>{move || i18n.t(Msg::OdAnswerDataset)}</label>
                    <input id=dataset_field.clone() name="dataset" value=current_dataset data-test="answer-dataset" />
                </div>
                <div class="form-actions">
                    <button type="submit" class="primary" data-test="answer-send">{move || i18n.t(Msg::OdAnswerSend)}</button>
                </div>
            </ActionForm>
        </li>
    }
}

/// `/manage/opendata/new` and `/manage/opendata/:identifier`.
#[component]
pub fn DatasetEditorPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let identifier = move || params.with(|p| p.get("identifier").unwrap_or_default());
    let save = ServerAction::<OpendataSavePassport>::new();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(saved)) = save.value().get()
            && saved != identifier()
        {
            navigate(&format!("/manage/opendata/{saved}"), Default::default());
        }
    });
    // Created outside the role gate, for hydration (see `OpenDataManagePage`).
    let editor = Resource::new(identifier, opendata_passport);
    let upload_id = move || {
        query.with(|q| {
            q.get("upload")
                .and_then(|id| id.parse::<u64>().ok())
                .map(DatasetUploadId)
        })
    };
    let preview = Resource::new(upload_id, |id| async move {
        match id {
            Some(id) => opendata_upload(id).await.map(Some),
            None => Ok(None),
        }
    });
    view! {
        <Title text=move || i18n.t(Msg::OdPassportTitle) />
        <h1 class="page-title">{move || i18n.t(Msg::OdPassportTitle)}</h1>
        <RequireRole roles=MODERATORS>
            <DatasetEditor editor save preview />
        </RequireRole>
    }
}

#[component]
fn DatasetEditor(
    editor: Resource<Result<PassportEditor, AppError>>,
    save: ServerAction<OpendataSavePassport>,
    preview: Resource<Result<Option<UploadPreview>, AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = last_error(save.value());
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match editor.await {
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                    Ok(editor) => {
                        let new = editor.identifier.is_empty();
                        let uploaded = editor.source == DatasetSource::Uploaded && !new;
                        let form = editor.form;
                        let identifier = editor.identifier.clone();
                        view! {
                            {(!new).then(|| view! {
                                <p><code data-test="editor-identifier">{identifier.clone()}</code> " · "
                                    <A href=format!("/opendata/{identifier}")>{move || i18n.t(Msg::OdViewDataset)}</A></p>
                            })}
                            <ActionForm action=save attr:class="form stack" attr:data-test="passport-form">
                                <input type="hidden" name="identifier" value=editor.identifier.clone() />
                                <ActionError error />
                                {new.then(|| view! {
                                    <div class="field">
                                        <label for="passport-code">{move || i18n.t(Msg::OdCode)}</label>
                                        <div class="input-prefix"><span>{format!("{}-", editor.publisher_inn)}</span>
                                            <input id="passport-code" name="form[code]" required pattern="[a-z0-9][a-z0-9\\-]*[a-z0-9]" data-test="passport-code" />
                                        </div>
                                        <p class="field-hint">{move || i18n.t(Msg::OdCodeHint)}</p>
                                        <FieldMessage error field="code" />
                                    </div>
                                })}
                                {(!new).then(|| view! { <input type="hidden" name="form[code]" value=form.code.clone() /> })}
                                <PassportField error name="title_ru" label=Msg::OdTitleRu value=form.title_ru.clone() />
                                <PassportField error name="title_en" label=Msg::OdTitleEn value=form.title_en.clone() />
                                <PassportField error name="description_ru" label=Msg::OdDescriptionRu value=form.description_ru.clone() long=true />
                                <PassportField error name="description_en" label=Msg::OdDescriptionEn value=form.description_en.clone() long=true />
                                <PassportField error name="creator" label=Msg::OpenDataCreator value=form.creator.clone() />
                                <PassportField error name="subject" label=Msg::OdSubject value=form.subject.clone() />
                                <PassportField error name="publisher_name" label=Msg::OdPublisherName value=form.publisher_name.clone() />
                                <PassportField error name="publisher_phone" label=Msg::OdPublisherPhone value=form.publisher_phone.clone() />
                                <PassportField error name="publisher_mbox" label=Msg::OdPublisherMbox value=form.publisher_mbox.clone() />
                                <PassportField error name="valid_days" label=Msg::OdValidDays value=form.valid_days.to_string() />
                                <div class="form-actions">
                                    <button type="submit" class="primary" data-test="passport-save" disabled=move || save.pending().get()>{move || i18n.t(Msg::OdSavePassport)}</button>
                                </div>
                                {move || matches!(save.value().get(), Some(Ok(_))).then(|| view! {
                                    <p class="notice" role="status" data-test="passport-saved">{move || i18n.t(Msg::OdSaved)}</p>
                                })}
                            </ActionForm>
                            {uploaded.then(|| view! { <UploadSection identifier=identifier.clone() preview /> })}
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// One passport input (`form[<name>]`), with its error under it.
#[component]
fn PassportField(
    error: Signal<Option<AppError>>,
    name: &'static str,
    label: Msg,
    value: String,
    #[prop(optional)] long: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = format!("passport-{name}");
    let input_name = format!("form[{name}]");
    let test = format!("passport-{name}");
    view! {
        <div class="field">
            <label for=id.clone()>{move || i18n.t(label)}</label>
            {if long {
                view! { <textarea id=id.clone() name=input_name rows="4" required data-test=test>{value}</textarea> }.into_any()
            } else {
                view! { <input id=id.clone() name=input_name value=value required data-test=test /> }.into_any()
            }}
            <FieldMessage error field=name />
        </div>
    }
}

/// The upload of a new version: choose a file, review the proposed structure, publish.
#[component]
fn UploadSection(
    identifier: String,
    preview: Resource<Result<Option<UploadPreview>, AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let pending = RwSignal::new(false);
    let upload_error = RwSignal::new(None::<AppError>);
    let chosen = NodeRef::<leptos::html::Input>::new();
    let on_submit = {
        let identifier = identifier.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            #[cfg(feature = "hydrate")]
            {
                let navigate = navigate.clone();
                let identifier = identifier.clone();
                crate::ui::upload::send_chosen_file::<UploadPreview>(
                    chosen,
                    format!("/api/v1/opendata/{identifier}/uploads"),
                    "file",
                    pending,
                    upload_error,
                    move |preview| {
                        navigate(
                            &format!("/manage/opendata/{identifier}?upload={}", preview.id),
                            Default::default(),
                        )
                    },
                );
            }
            #[cfg(not(feature = "hydrate"))]
            let _ = (&navigate, &identifier, chosen);
        }
    };
    let message = move || {
        upload_error
            .get()
            .map(|error| upload_error_text(&error, "file", i18n.locale()))
    };
    view! {
        <section class="stack" data-test="upload-section">
            <h2>{move || i18n.t(Msg::OdUploadTitle)}</h2>
            <p class="field-hint">{move || i18n.t(Msg::OdUploadLead)}</p>
            <form class="form stack" on:submit=on_submit data-test="upload-form">
                <div class="field">
                    <label for="upload-file">{move || i18n.t(Msg::OdUploadFile)}</label>
                    <input id="upload-file" type="file" node_ref=chosen data-test="upload-file"
                        accept=".csv,.xlsx,.xls,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,application/vnd.ms-excel" />
                </div>
                {move || message().map(|text| view! { <p class="field-error" role="alert" data-test="upload-error">{text}</p> })}
                <Show when=move || pending.get()>
                    <p class="field-hint" role="status">{move || i18n.t(Msg::OdUploading)}</p>
                </Show>
                <div class="form-actions">
                    <button type="submit" class="primary" data-test="upload-button" disabled=move || pending.get()>{move || i18n.t(Msg::OdUploadButton)}</button>
                </div>
            </form>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match preview.await {
                        Err(error) => view! { <ErrorPage error /> }.into_any(),
                        Ok(None) => ().into_any(),
                        Ok(Some(preview)) => view! { <StructureReview preview /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// The proposed structure of an upload, editable, with the first rows and the publish
/// button.
#[component]
fn StructureReview(preview: UploadPreview) -> impl IntoView {
    let i18n = use_i18n();
    let publish = ServerAction::<OpendataPublishUpload>::new();
    let columns = RwSignal::new(preview.columns.clone());
    let coordinates = RwSignal::new(preview.coordinates);
    let id = preview.id;
    let error = last_error(publish.value());
    let identifier = preview.identifier.clone();
    if preview.published {
        return view! {
            <p class="notice" data-test="upload-done">{move || i18n.t(Msg::OdOutcomePublished)} " · "
                <A href=format!("/opendata/{identifier}")>{move || i18n.t(Msg::OdViewDataset)}</A></p>
        }
        .into_any();
    }
    let headers = preview.headers.clone();
    let column_count = preview.columns.len();
    let on_publish = move |_| {
        publish.dispatch(OpendataPublishUpload {
            id,
            columns: columns.get_untracked(),
            coordinates: coordinates.get_untracked(),
        });
    };
    let coordinate_options = move || {
        columns.with(|columns| {
            columns
                .iter()
                .enumerate()
                .map(|(index, column)| (index as u16, column.name.clone()))
                .collect::<Vec<_>>()
        })
    };
    let sample = preview.sample.clone();
    view! {
        <div class="stack" data-test="structure-review">
            <h3>{move || i18n.t(Msg::OdStructureTitle)}</h3>
            <p>{preview.file_name.clone()} " · " {move || i18n.t(Msg::OdUploadRows)} " "
                <strong data-test="upload-rows">{move || format_integer(i18n.locale(), i64::from(preview.row_count))}</strong></p>
            <div class="table-wrap" tabindex="0">
                <table class="data-table">
                    <thead><tr>
                        <th scope="col">{move || i18n.t(Msg::OdHeaderInFile)}</th>
                        <th scope="col">{move || i18n.t(Msg::OdFieldName)}</th>
                        <th scope="col">{move || i18n.t(Msg::OdFieldRu)}</th>
                        <th scope="col">{move || i18n.t(Msg::OdFieldEn)}</th>
                        <th scope="col">{move || i18n.t(Msg::OpenDataColumnType)}</th>
                    </tr></thead>
                    <tbody>
                        {(0..column_count).map(|index| {
                            let header = headers.get(index).cloned().unwrap_or_default();
                            view! { <ColumnEditor index header columns error /> }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <CoordinatesChoice coordinates options=Signal::derive(coordinate_options) />
            {move || error.get().and_then(|error| error.for_field("coordinates")).map(|code| view! {
                <p class="field-error">{error_code_text(code, i18n.locale())}</p>
            })}
            <h3>{move || i18n.t(Msg::OdSample)}</h3>
            <div class="table-wrap" tabindex="0">
                <table class="data-table" data-test="upload-sample">
                    <thead><tr>{preview.headers.iter().map(|header| view! { <th scope="col">{header.clone()}</th> }).collect_view()}</tr></thead>
                    <tbody>{sample.into_iter().map(|row| view! {
                        <tr>{row.into_iter().map(|cell| view! { <td>{cell}</td> }).collect_view()}</tr>
                    }).collect_view()}</tbody>
                </table>
            </div>
            <ActionError error />
            <PublishResult publish identifier=identifier.clone() />
            <div class="form-actions">
                <button type="button" class="primary" data-test="publish-upload" on:click=on_publish disabled=move || publish.pending().get()>
                    {move || i18n.t(Msg::OdPublishUpload)}
                </button>
            </div>
        </div>
    }
    .into_any()
}

#[component]
fn ColumnEditor(
    index: usize,
    header: String,
    columns: RwSignal<Vec<ColumnInfo>>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let current = move || columns.with(|columns| columns.get(index).cloned().unwrap_or_default());
    let edit = move |change: fn(&mut ColumnInfo, String), value: String| {
        columns.update(|columns| {
            if let Some(column) = columns.get_mut(index) {
                change(column, value);
            }
        });
    };
    let problem = move |part: &'static str| {
        let field = format!("column-{index}-{part}");
        error
            .get()
            .and_then(|error| error.for_field(&field))
            .map(|code| view! { <p class="field-error">{error_code_text(code, i18n.locale())}</p> })
    };
    view! {
        <tr data-test="column-editor">
            <th scope="row">{header}</th>
            <td>
                <input aria-label=move || i18n.t(Msg::OdFieldName) prop:value=move || current().name data-test="column-name"
                    on:input=move |ev| edit(|c, v| c.name = v, event_target_value(&ev)) />
                {move || problem("name")}
            </td>
            <td>
                <input aria-label=move || i18n.t(Msg::OdFieldRu) prop:value=move || current().russian data-test="column-russian"
                    on:input=move |ev| edit(|c, v| c.russian = v, event_target_value(&ev)) />
                {move || problem("russian")}
            </td>
            <td>
                <input aria-label=move || i18n.t(Msg::OdFieldEn) prop:value=move || current().english data-test="column-english"
                    on:input=move |ev| edit(|c, v| c.english = v, event_target_value(&ev)) />
                {move || problem("english")}
            </td>
            <td>
                <select aria-label=move || i18n.t(Msg::OpenDataColumnType) data-test="column-kind"
                    on:change=move |ev| edit(|c, v| c.kind = v, event_target_value(&ev))>
                    {COLUMN_TYPES.into_iter().map(|(word, label)| view! {
                        <option value=word selected=move || current().kind == word>{move || i18n.t(label)}</option>
                    }).collect_view()}
                </select>
            </td>
        </tr>
    }
}

/// The choice of the latitude and longitude columns (or none).
#[component]
fn CoordinatesChoice(
    coordinates: RwSignal<Option<(u16, u16)>>,
    options: Signal<Vec<(u16, String)>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let choose = move |latitude: bool, value: String| {
        let picked = value.parse::<u16>().ok();
        coordinates.update(|current| {
            let (lat, lon) = current.map_or((None, None), |(a, b)| (Some(a), Some(b)));
            let (lat, lon) = if latitude {
                (picked, lon)
            } else {
                (lat, picked)
            };
            *current = lat.zip(lon);
        });
    };
    let select = move |latitude: bool| {
        let selected = move || {
            coordinates
                .get()
                .map(|(lat, lon)| if latitude { lat } else { lon })
        };
        view! {
            <select data-test=if latitude { "latitude-column" } else { "longitude-column" }
                aria-label=move || i18n.t(if latitude { Msg::OdLatitude } else { Msg::OdLongitude })
                on:change=move |ev| choose(latitude, event_target_value(&ev))>
                <option value="" selected=move || selected().is_none()>{move || i18n.t(Msg::OdNoCoordinates)}</option>
                {move || options.get().into_iter().map(|(index, name)| view! {
                    <option value=index.to_string() selected=move || selected() == Some(index)>{name}</option>
                }).collect_view()}
            </select>
        }
    };
    view! {
        <fieldset class="field">
            <legend>{move || i18n.t(Msg::OdCoordinates)}</legend>
            <label>{move || i18n.t(Msg::OdLatitude)} " " {select(true)}</label>
            " "
            <label>{move || i18n.t(Msg::OdLongitude)} " " {select(false)}</label>
        </fieldset>
    }
}

/// What the last publication of the upload did.
#[component]
fn PublishResult(
    publish: ServerAction<OpendataPublishUpload>,
    identifier: String,
) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let identifier = identifier.clone();
        publish.value().get().and_then(Result::ok).map(|outcome| match outcome {
            UploadOutcome::Publication { outcome } => view! {
                <p class="notice" role="status" data-test="upload-outcome">{move || i18n.t(outcome_text(&outcome))} " · "
                    <A href=format!("/opendata/{identifier}")>{move || i18n.t(Msg::OdViewDataset)}</A></p>
            }
            .into_any(),
            UploadOutcome::CellProblems { problems, total } => view! {
                <div class="notice error" role="alert" data-test="cell-problems">
                    <p>{move || i18n.t(Msg::OdCellProblems)}</p>
                    <ul>{problems.into_iter().map(|problem| {
                        let expected = COLUMN_TYPES.iter().find(|(word, _)| *word == problem.expected).map(|(_, label)| *label);
                        view! {
                            <li>{move || i18n.t(Msg::OdRowWord)} " " {problem.row} ", " <code>{problem.column.clone()}</code> ": «"
                                {problem.value.clone()} "» → " {move || expected.map(|label| i18n.t(label)).unwrap_or_default()}</li>
                        }
                    }).collect_view()}</ul>
                    <p>{move || i18n.t(Msg::OdCellProblemsTotal)} " " {move || format_integer(i18n.locale(), i64::from(total))}</p>
                </div>
            }
            .into_any(),
        })
    }
}
