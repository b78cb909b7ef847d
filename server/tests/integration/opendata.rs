//! The open-data files over HTTP against a real MariaDB, after `seed-demo` and a
//! publication of the live datasets: the exact v3.0 names and CSV headers of list, meta,
//! structure and data files, XML data valid against its XSD (xmllint), every live
//! dataset's JSON data valid against its JSON Schema, caching headers and conditional GET, the Frictionless and
//! DCAT descriptions, and 404s for what does not exist.

use crate::common;

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use common::{TestApp, published};
use http_body_util::BodyExt;
use tower::ServiceExt;

use app::opendata::live::LIVE_DATASETS;
use app::opendata::queries::Publisher;

struct Fetched {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

async fn fetch(app: &TestApp, path: &str, extra: &[(header::HeaderName, &str)]) -> Fetched {
    let mut request = Request::get(path).header(header::HOST, "portal.test");
    for (name, value) in extra {
        request = request.header(name, *value);
    }
    let response = app
        .router
        .clone()
        .oneshot(request.body(Body::empty()).expect("request"))
        .await
        .expect("the router answers");
    let (status, headers) = (response.status(), response.headers().clone());
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("a body")
        .to_bytes();
    Fetched {
        status,
        headers,
        body: String::from_utf8(bytes.to_vec()).expect("UTF-8"),
    }
}

fn header_of(fetched: &Fetched, name: header::HeaderName) -> &str {
    fetched
        .headers
        .get(&name)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
}

fn lines(text: &str) -> Vec<&str> {
    assert!(
        text.ends_with("\r\n") && !text.replace("\r\n", "").contains('\n'),
        "CSV lines end with CRLF"
    );
    text.trim_end_matches("\r\n").split("\r\n").collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_registry_and_passports_follow_the_v3_layout() {
    let (app, day) = published().await;
    let inn = Publisher::demo().inn;

    let list = fetch(&app, "/opendata/list.csv", &[]).await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(
        header_of(&list, header::CONTENT_TYPE),
        "text/csv; charset=utf-8"
    );
    let rows = lines(&list.body);
    assert_eq!(rows[0], "property,title,value,format");
    assert_eq!(
        rows[1],
        "standardversion,Версия методических рекомендаций,http://opendata.gosmonitor.ru/standard/3.0,"
    );
    assert_eq!(rows.len(), 2 + LIVE_DATASETS.len());
    assert!(
        rows.contains(
            &format!(
                "{inn}-construction-registry,Реестр объектов капитального строительства,\
         http://portal.test/opendata/{inn}-construction-registry/meta.csv,csv"
            )
            .as_str()
        ),
        "{rows:#?}"
    );
    let list_json: serde_json::Value =
        serde_json::from_str(&fetch(&app, "/opendata/list.json", &[]).await.body).expect("JSON");
    assert_eq!(
        list_json["meta"].as_array().map(Vec::len),
        Some(LIVE_DATASETS.len())
    );
    let list_xml = fetch(&app, "/opendata/list.xml", &[]).await;
    assert_eq!(
        header_of(&list_xml, header::CONTENT_TYPE),
        "application/xml; charset=utf-8"
    );
    assert!(
        list_xml
            .body
            .contains(&format!("<identifier>{inn}-municipalities</identifier>"))
    );

    let folder = format!("/opendata/{inn}-construction-registry");
    let meta = fetch(&app, &format!("{folder}/meta.csv"), &[]).await;
    assert_eq!(meta.status, StatusCode::OK);
    let keys: Vec<&str> = lines(&meta.body)
        .iter()
        .map(|line| line.split(',').next().unwrap_or_default())
        .collect();
    for key in [
        "property",
        "standardversion",
        "identifier",
        "title",
        "description",
        "creator",
        "created",
        "modified",
        "subject",
        "format",
        "provenance",
        "valid",
        "publishername",
        "publisherphone",
        "publishermbox",
    ] {
        assert!(keys.contains(&key), "meta.csv lacks {key}: {keys:?}");
    }
    let data_key = format!("data-{day}-structure-{day}");
    assert!(keys.contains(&data_key.as_str()), "{keys:?}");
    assert!(
        keys.contains(&format!("structure-{day}").as_str()),
        "{keys:?}"
    );
    assert!(meta.body.contains(&format!(
        "{data_key},http://portal.test{folder}/{data_key}.csv"
    )));
    for format in ["json", "xml"] {
        let other = fetch(&app, &format!("{folder}/meta.{format}"), &[]).await;
        assert_eq!(other.status, StatusCode::OK, "meta.{format}");
        assert!(
            other.body.contains(&format!("{data_key}.{format}")),
            "meta.{format}"
        );
    }

    let structure = fetch(&app, &format!("{folder}/structure-{day}.csv"), &[]).await;
    let structure_rows = lines(&structure.body);
    assert_eq!(
        structure_rows[0],
        "field name,english description,russian description,format"
    );
    assert_eq!(structure_rows.len(), 1 + 17);
    assert!(
        structure_rows[1].starts_with("registry_number,Registry number,Реестровый номер,string")
    );

    // What does not exist is a 404, in every place of the layout.
    for path in [
        "/opendata/0000000000-nothing/meta.csv".to_string(),
        format!("{folder}/meta.txt"),
        format!("{folder}/data-19990101-structure-{day}.csv"),
        format!("{folder}/structure-19990101.csv"),
        format!("/opendata/{inn}/meta.csv"),
    ] {
        assert_eq!(
            fetch(&app, &path, &[]).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn data_files_match_their_structures_and_are_cached_as_immutable() {
    let (app, day) = published().await;
    let inn = Publisher::demo().inn;
    let folder = format!("/opendata/{inn}-construction-registry");
    let entries = app.count("constructions").await as usize;
    let stem = format!("{folder}/data-{day}-structure-{day}");

    let csv = fetch(&app, &format!("{stem}.csv"), &[]).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(
        header_of(&csv, header::CONTENT_TYPE),
        "text/csv; charset=utf-8"
    );
    let rows = lines(&csv.body);
    assert!(rows[0].starts_with("registry_number,object_name,address,municipality,lat,lon,"));
    let mut reader = csv::Reader::from_reader(csv.body.as_bytes());
    let records: Vec<csv::StringRecord> = reader
        .records()
        .collect::<Result<_, _>>()
        .expect("RFC 4180 records");
    assert_eq!(records.len(), entries);
    assert!(records.iter().all(|record| record.len() == 17));

    // Published versions never change: a fixed ETag, a year of caching, and 304.
    let etag = header_of(&csv, header::ETAG).to_string();
    assert!(header_of(&csv, header::CACHE_CONTROL).contains("immutable"));
    assert!(!header_of(&csv, header::LAST_MODIFIED).is_empty());
    let again = fetch(
        &app,
        &format!("{stem}.csv"),
        &[(header::IF_NONE_MATCH, &etag)],
    )
    .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());

    // XML data: valid against the structure's XSD.
    let directory =
        std::env::temp_dir().join(format!("open-region-opendata-{}", std::process::id()));
    std::fs::create_dir_all(&directory).expect("a temp dir");
    let xsd = fetch(&app, &format!("{folder}/structure-{day}.xsd"), &[]).await;
    std::fs::write(directory.join(format!("structure-{day}.xsd")), &xsd.body).expect("write xsd");
    let xml = fetch(&app, &format!("{stem}.xml"), &[]).await;
    assert_eq!(
        header_of(&xml, header::CONTENT_TYPE),
        "application/xml; charset=utf-8"
    );
    let xml_path = directory.join(format!("data-{day}-structure-{day}.xml"));
    std::fs::write(&xml_path, &xml.body).expect("write xml");
    let checked = std::process::Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(directory.join(format!("structure-{day}.xsd")))
        .arg(&xml_path)
        .output()
        .expect("xmllint runs (package libxml2-utils)");
    assert!(
        checked.status.success(),
        "{}",
        String::from_utf8_lossy(&checked.stderr)
    );
    let _ = std::fs::remove_dir_all(&directory);

    // Every live dataset, filled from the demo data, streams JSON its schema accepts.
    for dataset in LIVE_DATASETS {
        let folder = format!("/opendata/{inn}-{}", dataset.code);
        let schema: serde_json::Value = serde_json::from_str(
            &fetch(&app, &format!("{folder}/structure-{day}.json"), &[])
                .await
                .body,
        )
        .expect("a JSON Schema");
        let data = fetch(
            &app,
            &format!("{folder}/data-{day}-structure-{day}.json"),
            &[],
        )
        .await;
        assert_eq!(data.status, StatusCode::OK, "{}", dataset.key);
        let data: serde_json::Value = serde_json::from_str(&data.body).expect("JSON data");
        if dataset.key == "constructions" {
            assert_eq!(data.as_array().map(Vec::len), Some(entries));
        }
        let validator = jsonschema::validator_for(&schema).expect("a valid schema");
        let errors: Vec<String> = validator
            .iter_errors(&data)
            .map(|e| e.to_string())
            .take(3)
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", dataset.key);
        assert!(
            data.as_array().is_some_and(|rows| !rows.is_empty()),
            "{}: the demo data fills it",
            dataset.key
        );
    }

    // The Frictionless descriptor points at the CSV by a relative path.
    let package: serde_json::Value = serde_json::from_str(
        &fetch(&app, &format!("{folder}/datapackage.json"), &[])
            .await
            .body,
    )
    .expect("datapackage.json");
    assert_eq!(
        package["resources"][0]["path"],
        format!("data-{day}-structure-{day}.csv")
    );
    // The DCAT catalog lists every published dataset.
    let catalog: serde_json::Value =
        serde_json::from_str(&fetch(&app, "/catalog.jsonld", &[]).await.body).expect("JSON-LD");
    assert_eq!(catalog["@type"], "dcat:Catalog");
    assert_eq!(
        catalog["dcat:dataset"].as_array().map(Vec::len),
        Some(LIVE_DATASETS.len())
    );
}

/// `path` of an absolute URL on the test host.
fn local(url: &str) -> &str {
    url.strip_prefix("http://portal.test")
        .unwrap_or_else(|| panic!("{url} is not on the portal"))
}

/// The items of a rows XML page: each item's (element, text) pairs, and the next link.
/// Parsing it also proves the page well-formed.
fn xml_page(text: &str) -> (Vec<Vec<(String, String)>>, Option<String>) {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(text);
    let (mut items, mut path) = (Vec::<Vec<(String, String)>>::new(), Vec::<String>::new());
    let mut next: Option<String> = None;
    // Text arrives in pieces around entity references (`&amp;`): append each piece to
    // the value being read.
    let mut append =
        |path: &[String], items: &mut Vec<Vec<(String, String)>>, piece: &str| match path
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .as_slice()
        {
            ["rows", "data", "item", _] => {
                if let Some((_, value)) = items.last_mut().and_then(|item| item.last_mut()) {
                    value.push_str(piece);
                }
            }
            ["rows", "next"] => next.get_or_insert_with(String::new).push_str(piece),
            _ => {}
        };
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(start) => {
                let name = String::from_utf8_lossy(start.name().as_ref()).into_owned();
                if name == "item" {
                    items.push(Vec::new());
                } else if path.last().map(String::as_str) == Some("item")
                    && let Some(item) = items.last_mut()
                {
                    item.push((name.clone(), String::new()));
                }
                path.push(name);
            }
            Event::Empty(empty) => {
                let name = String::from_utf8_lossy(empty.name().as_ref()).into_owned();
                if path.last().map(String::as_str) == Some("item")
                    && let Some(item) = items.last_mut()
                {
                    item.push((name, String::new()));
                }
            }
            Event::Text(text) => {
                let piece = text.xml_content().expect("text").into_owned();
                append(&path, &mut items, &piece);
            }
            Event::GeneralRef(reference) => {
                let name: &[u8] = &reference;
                let piece = match name {
                    b"amp" => "&",
                    b"lt" => "<",
                    b"gt" => ">",
                    b"quot" => "\"",
                    b"apos" => "'",
                    other => panic!("entity {}", String::from_utf8_lossy(other)),
                };
                append(&path, &mut items, piece);
            }
            Event::End(_) => {
                path.pop();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    (items, next)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_rows_api_pages_json_xml_and_csv_by_next_links_to_the_end() {
    let (app, day) = published().await;
    let inn = Publisher::demo().inn;
    let api = format!("/api/opendata/{inn}-construction-registry");
    let entries = app.count("constructions").await as usize;
    assert!(entries > 14, "the demo registry has several pages of 7");

    // JSON, sorted by name descending, 7 rows a page, following `next` to the end.
    let first = fetch(
        &app,
        &format!("{api}/rows.json?limit=7&sort=-object_name"),
        &[],
    )
    .await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    assert_eq!(header_of(&first, header::CONTENT_TYPE), "application/json");
    assert_eq!(header_of(&first, header::ACCESS_CONTROL_ALLOW_ORIGIN), "*");
    assert_eq!(
        header_of(&first, header::CACHE_CONTROL),
        "public, max-age=60"
    );
    let page: serde_json::Value = serde_json::from_str(&first.body).expect("JSON");
    assert_eq!(page["dataset"], format!("{inn}-construction-registry"));
    assert_eq!(
        page["version"],
        format!("{}-{}-{}", &day[..4], &day[4..6], &day[6..])
    );
    assert_eq!(page["fields"][0]["name"], "registry_number");
    assert_eq!(page["fields"][0]["type"], "string");
    assert_eq!(page["fields"][12]["name"], "floors");
    assert_eq!(page["fields"][12]["type"], "integer");
    assert!(page["rows"][0]["floors"].is_i64() || page["rows"][0]["floors"].is_null());
    let next = page["next"].as_str().expect("a next page").to_string();
    assert!(
        next.starts_with(&format!(
            "http://portal.test{api}/rows.json?version={day}&limit=7&sort=-object_name&cursor="
        )),
        "{next}"
    );
    assert_eq!(
        header_of(&first, header::LINK),
        format!("<{next}>; rel=\"next\"")
    );

    let mut names: Vec<String> = Vec::new();
    let mut numbers: Vec<String> = Vec::new();
    let mut url = format!("{api}/rows.json?limit=7&sort=-object_name");
    let mut pages = 0;
    loop {
        let reply = fetch(&app, &url, &[]).await;
        assert_eq!(reply.status, StatusCode::OK, "{url}: {}", reply.body);
        if pages > 0 {
            // A named version never changes.
            assert_eq!(
                header_of(&reply, header::CACHE_CONTROL),
                "public, max-age=86400"
            );
        }
        let page: serde_json::Value = serde_json::from_str(&reply.body).expect("JSON");
        let rows = page["rows"].as_array().expect("rows");
        assert!(rows.len() <= 7);
        for row in rows {
            names.push(
                row["object_name"]
                    .as_str()
                    .unwrap_or_default()
                    .to_lowercase(),
            );
            numbers.push(
                row["registry_number"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
            );
        }
        pages += 1;
        match page["next"].as_str() {
            Some(next) => url = local(next).to_string(),
            None => break,
        }
        assert!(pages < 1_000, "no end");
    }
    assert_eq!(names.len(), entries, "every row once");
    let mut unique = numbers.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), entries, "no row twice");
    assert!(
        names.windows(2).all(|pair| pair[0] >= pair[1]),
        "descending by name: {names:?}"
    );

    // XML: the same rows in the same order, with the next link until the end.
    let mut xml_numbers: Vec<String> = Vec::new();
    let mut url = format!("{api}/rows.xml?limit=7&sort=-object_name");
    loop {
        let reply = fetch(&app, &url, &[]).await;
        assert_eq!(reply.status, StatusCode::OK, "{url}: {}", reply.body);
        assert_eq!(
            header_of(&reply, header::CONTENT_TYPE),
            "application/xml; charset=utf-8"
        );
        assert!(
            reply
                .body
                .contains("<field><name>floors</name><type>integer</type></field>")
        );
        let (items, next) = xml_page(&reply.body);
        for item in items {
            assert_eq!(item.len(), 17, "every column, nulls as xsi:nil");
            xml_numbers.push(item[0].1.clone());
        }
        match next {
            Some(next) => url = local(&next).to_string(),
            None => {
                assert!(reply.body.contains("<next xsi:nil=\"true\"/>"));
                break;
            }
        }
    }
    assert_eq!(xml_numbers, numbers);

    // A filter: every row has the value, and the rows are those of the whole version.
    let municipality = {
        let all: serde_json::Value = serde_json::from_str(
            &fetch(&app, &format!("{api}/rows.json?limit=1000"), &[])
                .await
                .body,
        )
        .expect("JSON");
        all["rows"][0]["municipality"]
            .as_str()
            .expect("a municipality")
            .to_string()
    };
    let filtered = fetch(
        &app,
        &format!(
            "{api}/rows.json?limit=1000&filter.municipality={}",
            common::urlencode(&municipality)
        ),
        &[],
    )
    .await;
    let filtered: serde_json::Value = serde_json::from_str(&filtered.body).expect("JSON");
    let rows = filtered["rows"].as_array().expect("rows");
    assert!(!rows.is_empty());
    assert!(
        rows.iter()
            .all(|row| row["municipality"] == municipality.as_str())
    );
    assert!(filtered["next"].is_null());

    // CSV: a data file of the page, the next page in the Link header.
    let csv = fetch(&app, &format!("{api}/rows.csv?limit=5&sort=floors"), &[]).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(
        header_of(&csv, header::CONTENT_TYPE),
        "text/csv; charset=utf-8"
    );
    let rows = lines(&csv.body);
    assert_eq!(rows.len(), 1 + 5);
    assert!(rows[0].starts_with("registry_number,object_name,"));
    assert!(header_of(&csv, header::LINK).contains("/rows.csv?version="));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_rows_api_refuses_bad_requests_in_the_format_and_language_asked_for() {
    let (app, _) = published().await;
    let inn = Publisher::demo().inn;
    let api = format!("/api/opendata/{inn}-construction-registry");

    let bad = fetch(&app, &format!("{api}/rows.json?filter.floors=many"), &[]).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(header_of(&bad, header::CONTENT_TYPE), "application/json");
    assert_eq!(header_of(&bad, header::CONTENT_LANGUAGE), "ru");
    assert_eq!(header_of(&bad, header::ACCESS_CONTROL_ALLOW_ORIGIN), "*");
    let body: serde_json::Value = serde_json::from_str(&bad.body).expect("JSON");
    assert_eq!(body["error"]["code"], "bad_value");
    assert_eq!(body["error"]["parameter"], "filter.floors");
    let message = body["error"]["message"].as_str().expect("a message");
    assert!(
        message.starts_with("Значение не подходит к типу столбца"),
        "{message}"
    );
    assert!(message.contains("filter.floors=\"many\""), "{message}");

    let english = fetch(
        &app,
        &format!("{api}/rows.json?filter.floors=many"),
        &[(header::ACCEPT_LANGUAGE, "en-GB,en;q=0.9,ru;q=0.5")],
    )
    .await;
    assert_eq!(header_of(&english, header::CONTENT_LANGUAGE), "en");
    let body: serde_json::Value = serde_json::from_str(&english.body).expect("JSON");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("The value does not fit the column's type")),
        "{body}"
    );

    let xml = fetch(&app, &format!("{api}/rows.xml?sort=colour"), &[]).await;
    assert_eq!(xml.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        header_of(&xml, header::CONTENT_TYPE),
        "application/xml; charset=utf-8"
    );
    assert!(xml.body.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<error><code>unknown_column</code><message>В наборе данных нет такого столбца: \"colour\" (sort)</message><parameter>sort</parameter></error>"), "{}", xml.body);

    for (query, code) in [
        ("limit=5000", "bad_limit"),
        ("cursor=garbage!", "bad_cursor"),
        ("page=2", "unknown_parameter"),
        ("min.object_name=a", "unsupported_filter"),
        ("version=yesterday", "bad_version"),
    ] {
        let reply = fetch(&app, &format!("{api}/rows.json?{query}"), &[]).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{query}");
        let body: serde_json::Value = serde_json::from_str(&reply.body).expect("JSON");
        assert_eq!(body["error"]["code"], code, "{query}");
    }

    // A cursor only continues its own query.
    let first: serde_json::Value = serde_json::from_str(
        &fetch(&app, &format!("{api}/rows.json?limit=3&sort=floors"), &[])
            .await
            .body,
    )
    .expect("JSON");
    let next = first["next"].as_str().expect("a next page");
    let other = local(next).replace("sort=floors", "sort=-floors");
    let refused = fetch(&app, &other, &[]).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(
        refused.body.contains("\"code\":\"cursor_mismatch\""),
        "{}",
        refused.body
    );

    // What does not exist is a 404 with the same error body.
    for path in [
        "/api/opendata/0000000000-nothing/rows.json".to_string(),
        format!("{api}/rows.json?version=19990101"),
    ] {
        let missing = fetch(&app, &path, &[]).await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND, "{path}");
        let body: serde_json::Value = serde_json::from_str(&missing.body).expect("JSON");
        assert_eq!(body["error"]["code"], "not_found");
        assert_eq!(
            body["error"]["message"],
            "Нет такого набора данных или опубликованной версии"
        );
    }
    let missing_xml = fetch(&app, "/api/opendata/0000000000-nothing/rows.xml", &[]).await;
    assert_eq!(missing_xml.status, StatusCode::NOT_FOUND);
    assert!(missing_xml.body.contains("<code>not_found</code>"));
    assert_eq!(
        fetch(&app, &format!("{api}/rows.txt"), &[]).await.status,
        StatusCode::NOT_FOUND
    );
}
