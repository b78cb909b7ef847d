//! `/opendata/api`: every machine URL of the portal with working examples, and the link
//! to the OpenAPI document that describes them for generators.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::i18n::{Msg, use_i18n};
use crate::opendata::server_fns::opendata_catalogue;

/// One documented URL: what it gives and an example to click.
#[component]
fn Endpoint(
    method: &'static str,
    pattern: &'static str,
    what: Msg,
    example: String,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <li class="stack" data-test="endpoint">
            <code>{method} " " {pattern}</code>
            <span>{move || i18n.t(what)}</span>
            <a href=example.clone() rel="external" data-test="endpoint-example"><code>{example.clone()}</code></a>
        </li>
    }
}

/// The API page.
#[component]
pub fn OpenDataApiPage() -> impl IntoView {
    let i18n = use_i18n();
    let catalogue = Resource::new(
        || (),
        |_| opendata_catalogue(String::new(), String::new(), String::new()),
    );
    view! {
        <Title text=move || i18n.t(Msg::OdApiTitle) />
        <h1 class="page-title">{move || i18n.t(Msg::OdApiTitle)}</h1>
        <p class="lead">{move || i18n.t(Msg::OdApiLead)}</p>
        <p><a href="/api/openapi.json" rel="external" data-test="openapi-link">"OpenAPI 3.1: /api/openapi.json"</a></p>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                // Examples use a real published dataset, so every link works.
                let example = catalogue
                    .await
                    .ok()
                    .and_then(|catalogue| catalogue.datasets.into_iter().find(|card| card.latest.is_some()));
                let (identifier, data_file) = example
                    .map(|card| {
                        let latest = card.latest.map(|v| (v.version, v.structure));
                        let file = latest.map(|(version, structure)| {
                            format!("data-{}-structure-{}.csv", version.format("%Y%m%d"), structure.format("%Y%m%d"))
                        });
                        (card.info.identifier, file.unwrap_or_default())
                    })
                    .unwrap_or_default();
                let folder = format!("/opendata/{identifier}");
                view! {
                    <section class="stack" data-test="api-files">
                        <h2>{move || i18n.t(Msg::OdApiFiles)}</h2>
                        <ul class="stack">
                            <Endpoint method="GET" pattern="/opendata/list.{csv,json,xml}" what=Msg::OdApiList example="/opendata/list.csv".into() />
                            <Endpoint method="GET" pattern="/opendata/{identifier}/meta.{csv,json,xml}" what=Msg::OdApiMeta example=format!("{folder}/meta.json") />
                            <Endpoint method="GET" pattern="/opendata/{identifier}/data-YYYYMMDD-structure-YYYYMMDD.{csv,json,xml}" what=Msg::OdApiData example=format!("{folder}/{data_file}") />
                            <Endpoint method="GET" pattern="/opendata/{identifier}/datapackage.json" what=Msg::OdApiPackage example=format!("{folder}/datapackage.json") />
                            <Endpoint method="GET" pattern="/catalog.jsonld" what=Msg::OdApiDcat example="/catalog.jsonld".into() />
                        </ul>
                    </section>
                    <section class="stack" data-test="api-rows">
                        <h2>{move || i18n.t(Msg::OdApiRowsTitle)}</h2>
                        <ul class="stack">
                            <Endpoint method="GET" pattern="/api/opendata/{identifier}/rows.{json,xml}?limit=&cursor=&sort=&filter.<column>=" what=Msg::OdApiRows example=format!("/api/opendata/{identifier}/rows.json?limit=10") />
                        </ul>
                    </section>
                    <section class="stack" data-test="api-ckan">
                        <h2>"CKAN Action API"</h2>
                        <p>{move || i18n.t(Msg::OdApiCkan)}</p>
                        <ul class="stack">
                            <Endpoint method="GET, POST" pattern="/api/3/action/package_list" what=Msg::OdApiCkanList example="/api/3/action/package_list".into() />
                            <Endpoint method="GET, POST" pattern="/api/3/action/package_show?id=" what=Msg::OdApiCkanShow example=format!("/api/3/action/package_show?id={identifier}") />
                            <Endpoint method="GET, POST" pattern="/api/3/action/package_search?q=&rows=&start=&fq=" what=Msg::OdApiCkanSearch example="/api/3/action/package_search?q=*:*&rows=5".into() />
                            <Endpoint method="GET, POST" pattern="/api/3/action/status_show" what=Msg::OdApiCkanStatus example="/api/3/action/status_show".into() />
                        </ul>
                    </section>
                    <section class="stack" data-test="api-open311">
                        <h2>"Open311 GeoReport v2"</h2>
                        <ul class="stack">
                            <Endpoint method="GET" pattern="/open311/v2/discovery.{json,xml}" what=Msg::OdApiOpen311 example="/open311/v2/discovery.json".into() />
                        </ul>
                    </section>
                }
            })}
        </Transition>
    }
}
