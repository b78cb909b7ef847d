//! The open-data files over HTTP against a real MariaDB, after `seed-demo` and a
//! publication of the live datasets: the exact v3.0 names and CSV headers of list, meta,
//! structure and data files, XML data valid against its XSD (xmllint), every live
//! dataset's JSON data valid against its JSON Schema, caching headers and conditional GET, the Frictionless and
//! DCAT descriptions, and 404s for what does not exist.

mod common;

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
    let inn = Publisher::default().inn;

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
    let inn = Publisher::default().inn;
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
