//! The open-data pages: `/opendata` (the catalogue: count, search, filters, the machine
//! URLs, the terms of use) and `/opendata/:identifier` (the passport as HTML with RDFa,
//! downloads, versions, columns, and the rows table: see `rows`).

mod rows;

pub mod api;
pub mod manage;
pub mod requests;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{A, Form};
use leptos_router::hooks::{use_params_map, use_query_map};

use super::model::{DatasetCard, DatasetPage, VersionInfo};
use super::server_fns::{opendata_catalogue, opendata_dataset};
use crate::i18n::{Locale, Message as _, Msg, format_date, format_integer, use_i18n};
use crate::ui::errors::ErrorPage;
use crate::ui::escape_html;
use rows::RowsTable;

/// The methodological recommendations' version URL, which passports conform to.
const STANDARD: &str = "http://opendata.gosmonitor.ru/standard/3.0";

/// `/opendata`: the catalogue.
#[component]
pub fn OpenDataPage() -> impl IntoView {
    let i18n = use_i18n();
    let url = use_query_map();
    let param = move |name: &'static str| url.with(|map| map.get(name).unwrap_or_default());
    let catalogue = Resource::new(
        move || (param("q"), param("subject"), param("creator")),
        |(q, subject, creator)| opendata_catalogue(q, subject, creator),
    );
    view! {
        <Title text=move || i18n.t(Msg::NavOpenData) />
        <h1 class="page-title">{move || i18n.t(Msg::NavOpenData)}</h1>
        <p class="lead">{move || i18n.t(Msg::OpenDataLead)}</p>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match catalogue.await {
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                    Ok(catalogue) => {
                        let (q, subject, creator) = (param("q"), param("subject"), param("creator"));
                        let found = catalogue.datasets.len();
                        let empty = catalogue.datasets.is_empty();
                        view! {
                            <p data-test="dataset-count">
                                {move || i18n.t(Msg::OpenDataCount)} ": "
                                <strong>{move || format_integer(i18n.locale(), catalogue.total as i64)}</strong>
                            </p>
                            <Form method="GET" action="/opendata" attr:class="filters" attr:data-test="opendata-search">
                                <div class="field">
                                    <label for="opendata-q">{move || i18n.t(Msg::OpenDataSearch)}</label>
                                    <input id="opendata-q" name="q" type="search" value=q data-test="opendata-q" />
                                </div>
                                <ChoiceFilter name="subject" label=Msg::OpenDataSubject options=catalogue.subjects selected=subject />
                                <ChoiceFilter name="creator" label=Msg::OpenDataCreator options=catalogue.creators selected=creator />
                                <button type="submit" class="primary" data-test="opendata-apply">{move || i18n.t(Msg::FilterApply)}</button>
                            </Form>
                            {(found != catalogue.total).then(|| view! {
                                <p class="muted" data-test="datasets-found">{move || i18n.t(Msg::OpenDataFound)} " " {move || format_integer(i18n.locale(), found as i64)}</p>
                            })}
                            {empty.then(|| view! { <p class="muted">{move || i18n.t(Msg::OpenDataNone)}</p> })}
                            <ul class="problem-list" data-test="datasets">
                                {catalogue.datasets.into_iter().map(|card| view! { <DatasetItem card /> }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                }
            })}
        </Transition>
        <requests::DatasetRequests />
        <section class="stack" data-test="for-machines">
            <h2>{move || i18n.t(Msg::OpenDataForMachines)}</h2>
            <p>{move || i18n.t(Msg::OpenDataRegistryFiles)} ": "
                <a href="/opendata/list.csv" rel="external">"list.csv"</a> " · "
                <a href="/opendata/list.json" rel="external">"list.json"</a> " · "
                <a href="/opendata/list.xml" rel="external">"list.xml"</a>
            </p>
            <p>"DCAT-AP (JSON-LD): " <a href="/catalog.jsonld" rel="external">"/catalog.jsonld"</a></p>
            <p><a href="/opendata/api" data-test="api-page-link">{move || i18n.t(Msg::OdApiTitle)}</a> " · "
                <a href="/api/openapi.json" rel="external">"OpenAPI"</a></p>
        </section>
        <section class="stack" data-test="terms">
            <h2>{move || i18n.t(Msg::OpenDataTermsTitle)}</h2>
            <p>{move || i18n.t(Msg::OpenDataTerms)} " "
                <a href="https://creativecommons.org/licenses/by/4.0/deed.ru" rel="license external">"CC BY 4.0"</a>
            </p>
        </section>
    }
}

/// A select of the catalogue's filters: "all", or one of `options`.
#[component]
fn ChoiceFilter(
    name: &'static str,
    label: Msg,
    options: Vec<String>,
    selected: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = format!("opendata-{name}");
    view! {
        <div class="field">
            <label for=id.clone()>{move || i18n.t(label)}</label>
            <select id=id.clone() name=name data-test=id>
                <option value="">{move || i18n.t(Msg::FilterAny)}</option>
                {options.into_iter().map(|option| {
                    let is_selected = option == selected;
                    let text = option.clone();
                    view! { <option value=option selected=is_selected>{text}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

#[component]
fn DatasetItem(card: DatasetCard) -> impl IntoView {
    let i18n = use_i18n();
    let info = card.info;
    let href = format!("/opendata/{}", info.identifier);
    let (title, description) = (info.title.clone(), info.description.clone());
    let latest = card.latest;
    view! {
        <li class="card stack" data-test="dataset">
            <A href=href>{move || localized(i18n.locale(), &title).to_string()}</A>
            <p>{move || localized(i18n.locale(), &description).to_string()}</p>
            <p class="muted">
                <code>{info.identifier.clone()}</code>
                {latest.map(|latest| view! {
                    " · " {move || i18n.t(Msg::OpenDataVersionOf)} " " {move || format_date(i18n.locale(), latest.version)}
                    " · " {move || format_integer(i18n.locale(), i64::from(latest.row_count))} " " {move || i18n.t(Msg::OpenDataRowsWord)}
                })}
            </p>
        </li>
    }
}

/// The text of a (Russian, English) pair in `locale`.
fn localized(locale: Locale, pair: &(String, String)) -> &str {
    match locale {
        Locale::En if !pair.1.is_empty() => &pair.1,
        _ => &pair.0,
    }
}

/// `/opendata/:identifier`: a dataset's page.
#[component]
pub fn DatasetPageView() -> impl IntoView {
    let params = use_params_map();
    let identifier = Memo::new(move |_| params.with(|p| p.get("identifier").unwrap_or_default()));
    let page = Resource::new(move || identifier.get(), opendata_dataset);
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match page.await {
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                    Ok(page) => view! { <DatasetView page /> }.into_any(),
                }
            })}
        </Transition>
    }
}

fn compact(date: chrono::NaiveDate) -> String {
    date.format("%Y%m%d").to_string()
}

#[component]
fn DatasetView(page: DatasetPage) -> impl IntoView {
    let i18n = use_i18n();
    let info = page.info.clone();
    let identifier = info.identifier.clone();
    let folder = format!("/opendata/{identifier}");
    let title = StoredValue::new(info.title.clone());
    let description = info.description.clone();
    let latest: Option<VersionInfo> = page.versions.first().cloned();
    let first_version = page.versions.last().map(|v| v.version);
    let passport_rows: Vec<(Msg, Option<&'static str>, String)> = vec![
        (
            Msg::PassportIdentifier,
            Some("dc:identifier"),
            identifier.clone(),
        ),
        (Msg::PassportTitle, Some("dc:title"), info.title.0.clone()),
        (
            Msg::PassportDescription,
            Some("dc:description"),
            info.description.0.clone(),
        ),
        (
            Msg::PassportCreator,
            Some("dc:creator"),
            info.creator.clone(),
        ),
        (Msg::PassportPublisher, None, info.publisher_name.clone()),
        (Msg::PassportPhone, None, info.publisher_phone.clone()),
        (Msg::PassportEmail, None, info.publisher_mbox.clone()),
        (
            Msg::PassportFormat,
            Some("dc:format"),
            "csv, json, xml".to_string(),
        ),
        (
            Msg::PassportCreated,
            Some("dc:created"),
            first_version.map(compact).unwrap_or_default(),
        ),
        (
            Msg::PassportModified,
            Some("dc:modified"),
            latest
                .as_ref()
                .map(|v| compact(v.version))
                .unwrap_or_default(),
        ),
        (
            Msg::PassportProvenance,
            Some("dc:provenance"),
            latest
                .as_ref()
                .map(|v| v.provenance.clone())
                .unwrap_or_default(),
        ),
        (
            Msg::PassportValid,
            Some("dc:valid"),
            latest
                .as_ref()
                .map(|v| compact(v.valid_until))
                .unwrap_or_default(),
        ),
        (
            Msg::PassportSubject,
            Some("dc:subject"),
            info.subject.join(","),
        ),
    ];
    let folder_for_passport = folder.clone();
    let downloads = latest
        .clone()
        .map(|latest| view! { <Downloads latest folder=folder.clone() /> });
    let versions = page.versions.clone();
    let columns = page.columns.clone();
    view! {
        <Title text=move || title.with_value(|title| localized(i18n.locale(), title).to_string()) />
        <article class="stack" data-test="dataset-page">
            <h1 class="page-title" data-test="dataset-title">{move || title.with_value(|title| localized(i18n.locale(), title).to_string())}</h1>
            <p class="lead">{move || localized(i18n.locale(), &description).to_string()}</p>
            <section class="stack">
                <h2>{move || i18n.t(Msg::OpenDataPassport)}</h2>
                // The passport as the recommendations' HTML+RDFa: Dublin Core terms on a
                // foaf:Document that conforms to the standard's version. RDFa attributes
                // (`typeof`, `property`) are not HTML ones the view macro knows, so the
                // table is rendered as text, every value escaped.
                <div class="table-wrap" tabindex="0" data-test="passport"
                    inner_html=move || passport_html(i18n.locale(), &folder_for_passport, &passport_rows)></div>
            </section>
            {downloads}
            <VersionsTable versions folder=folder.clone() />
            <ColumnsTable columns=columns.clone() />
            {page.has_coordinates.then(|| view! { <crate::opendata::map::DatasetMap identifier=identifier.clone() /> })}
            {match latest.is_some() {
                true => view! { <RowsTable identifier=identifier.clone() columns /> }.into_any(),
                false => view! { <p class="muted" data-test="rows-unpublished">{move || i18n.t(Msg::OpenDataRowsUnpublished)}</p> }.into_any(),
            }}
            <section class="stack">
                <h2>"API"</h2>
                <p>{move || i18n.t(Msg::OpenDataApiHint)}</p>
                <pre class="geojson" data-test="api-urls">{format!(
                    "GET {folder}/meta.json\n\
                     GET /api/opendata/{identifier}/rows.json?limit=100\n\
                     GET /api/opendata/{identifier}/rows.xml?sort=-<column>&filter.<column>=<value>\n\
                     GET /api/opendata/{identifier}/rows.csv?min.<column>=<from>&max.<column>=<to>&cursor=<next>"
                )}</pre>
            </section>
        </article>
    }
}

/// Links to the newest version's files, its structure and the passport.
#[component]
fn Downloads(latest: VersionInfo, folder: String) -> impl IntoView {
    let i18n = use_i18n();
    let structure = compact(latest.structure);
    let data_file = |extension: &str| {
        format!(
            "{folder}/data-{}-structure-{structure}.{extension}",
            compact(latest.version)
        )
    };
    view! {
        <section class="stack" data-test="downloads">
            <h2>{move || i18n.t(Msg::OpenDataDownloads)}</h2>
            <p>{move || i18n.t(Msg::OpenDataLatestData)} ": "
                <a href=data_file("csv") data-test="download-csv">"CSV"</a> " · "
                <a href=data_file("json") data-test="download-json">"JSON"</a> " · "
                <a href=data_file("xml") data-test="download-xml">"XML"</a>
            </p>
            <p>{move || i18n.t(Msg::OpenDataStructureFiles)} ": "
                <a href=format!("{folder}/structure-{structure}.csv")>"CSV"</a> " · "
                <a href=format!("{folder}/structure-{structure}.xsd")>"XSD"</a> " · "
                <a href=format!("{folder}/structure-{structure}.json")>"JSON Schema"</a>
            </p>
            <p>{move || i18n.t(Msg::OpenDataPassportFiles)} ": "
                <a href=format!("{folder}/meta.csv") data-test="meta-csv">"meta.csv"</a> " · "
                <a href=format!("{folder}/meta.json")>"meta.json"</a> " · "
                <a href=format!("{folder}/meta.xml")>"meta.xml"</a> " · "
                <a href=format!("{folder}/datapackage.json")>"datapackage.json"</a>
            </p>
        </section>
    }
}

/// The version list with each version's files.
#[component]
fn VersionsTable(versions: Vec<VersionInfo>, folder: String) -> impl IntoView {
    let i18n = use_i18n();
    let data_file = move |version: &VersionInfo, extension: &str| {
        format!(
            "{folder}/data-{}-structure-{}.{extension}",
            compact(version.version),
            compact(version.structure)
        )
    };
    view! {
        <section class="stack">
            <h2>{move || i18n.t(Msg::OpenDataVersions)}</h2>
            <div class="table-wrap" tabindex="0">
                <table class="data-table" data-test="versions">
                    <thead><tr>
                        <th scope="col">{move || i18n.t(Msg::OpenDataVersionDate)}</th>
                        <th scope="col">{move || i18n.t(Msg::PassportProvenance)}</th>
                        <th scope="col">{move || i18n.t(Msg::OpenDataRowsWord)}</th>
                        <th scope="col">{move || i18n.t(Msg::OpenDataDownloads)}</th>
                    </tr></thead>
                    <tbody>
                        {versions.into_iter().map(|version| {
                            let csv = data_file(&version, "csv");
                            let json = data_file(&version, "json");
                            let xml = data_file(&version, "xml");
                            view! {
                                <tr data-test="version">
                                    <td>{move || format_date(i18n.locale(), version.version)}</td>
                                    <td>{version.provenance.clone()}</td>
                                    <td class="number">{move || format_integer(i18n.locale(), i64::from(version.row_count))}</td>
                                    <td><a href=csv>"CSV"</a> " · " <a href=json>"JSON"</a> " · " <a href=xml>"XML"</a></td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// The structure's columns.
#[component]
fn ColumnsTable(columns: Vec<super::model::ColumnInfo>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="stack">
            <h2>{move || i18n.t(Msg::OpenDataColumns)}</h2>
            <div class="table-wrap" tabindex="0">
                <table class="data-table" data-test="columns">
                    <thead><tr>
                        <th scope="col">{move || i18n.t(Msg::OpenDataColumnName)}</th>
                        <th scope="col">{move || i18n.t(Msg::OpenDataColumnMeaning)}</th>
                        <th scope="col">{move || i18n.t(Msg::OpenDataColumnType)}</th>
                    </tr></thead>
                    <tbody>
                        {columns.clone().into_iter().map(|column| {
                            let (russian, english) = (column.russian.clone(), column.english.clone());
                            view! {
                                <tr>
                                    <td><code>{column.name.clone()}</code></td>
                                    <td>{move || i18n.locale().pick(&russian, &english).clone()}</td>
                                    <td>{column.kind.clone()}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// The passport table with its RDFa markup.
fn passport_html(
    locale: Locale,
    about: &str,
    rows: &[(Msg, Option<&'static str>, String)],
) -> String {
    let mut html = format!(
        "<div about=\"{}\" typeof=\"foaf:Document\" prefix=\"dc: http://purl.org/dc/terms/ foaf: http://xmlns.com/foaf/0.1/\">\
         <div rel=\"dc:conformsTo\" resource=\"{STANDARD}\"></div>\
         <table class=\"data-table\"><thead><tr><th scope=\"col\">№</th><th scope=\"col\">{}</th>\
         <th scope=\"col\">{}</th></tr></thead><tbody>",
        escape_html(about),
        escape_html(Msg::PassportCharacteristic.text(locale)),
        escape_html(Msg::PassportValue.text(locale)),
    );
    for (index, (label, property, value)) in rows.iter().enumerate() {
        let property = property
            .map(|property| format!(" property=\"{property}\""))
            .unwrap_or_default();
        html.push_str(&format!(
            "<tr><td>{}</td><th scope=\"row\">{}</th><td{property}>{}</td></tr>",
            index + 1,
            escape_html(label.text(locale)),
            escape_html(value),
        ));
    }
    html.push_str("</tbody></table></div>");
    html
}
