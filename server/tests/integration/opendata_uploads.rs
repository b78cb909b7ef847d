//! Uploaded datasets and dataset requests over HTTP against a real MariaDB: only
//! moderators upload, and only to uploaded datasets; a CSV is previewed, then published
//! and served with formulas neutralised; bad files (wrong encoding, ragged rows, cells that
//! do not fit, a 2 GB body) are refused with a reason and write nothing; citizens ask for
//! datasets and moderators answer in public.

use crate::common;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{TestApp, passport, sign_in, upload};
use serde_json::{Value, json};

use app::opendata::queries::{Datasets, Publisher};

const MODERATOR: &str = "moderator@openregion.demo";
const CITIZEN: &str = "citizen@openregion.demo";

/// The seeded portal and a moderator's session.
async fn portal() -> (TestApp, String) {
    let app = TestApp::new().await;
    app.seeded_admin().await;
    let moderator = sign_in(&app, MODERATOR).await;
    (app, moderator)
}

/// Creates an uploaded dataset with code `code` through the passport form; returns its
/// identifier.
async fn create_dataset(app: &TestApp, moderator: &str, code: &str) -> String {
    let created = app
        .post(
            "/api/opendata/manage/save-passport",
            &passport(code),
            Some(moderator),
        )
        .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    created.json().as_str().expect("an identifier").to_string()
}

/// A complete new passport with code `code`, as the form posts it.
fn uploads_path(identifier: &str) -> String {
    format!("/api/v1/opendata/{identifier}/uploads")
}

/// The error code of the refused `file` field.
fn file_problem(body: &Value) -> &Value {
    &body["errors"][0]["code"]
}

#[tokio::test(flavor = "multi_thread")]
async fn uploads_are_for_moderators_and_only_for_uploaded_datasets() {
    let (app, moderator) = portal().await;
    let identifier = create_dataset(&app, &moderator, "stops").await;
    let csv = b"a,b\n1,2\n";
    let citizen = sign_in(&app, CITIZEN).await;
    let refused = upload(&app, &uploads_path(&identifier), "file", csv, &citizen).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    let anonymous = upload(
        &app,
        &uploads_path(&identifier),
        "file",
        csv,
        "or_session=none",
    )
    .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    let unknown = upload(
        &app,
        &uploads_path("2308000007-nothing"),
        "file",
        csv,
        &moderator,
    )
    .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let mut conn = app.db.conn().await;
    Datasets::define_live(&mut conn, &Publisher::demo(), platform::clock::now())
        .await
        .expect("live datasets defined");
    let live = upload(
        &app,
        &uploads_path("2308000007-municipalities"),
        "file",
        csv,
        &moderator,
    )
    .await;
    assert_eq!(live.status, StatusCode::CONFLICT, "{}", live.body);
    // Citizens cannot create datasets or see the management overview either.
    let creating = app
        .post(
            "/api/opendata/manage/save-passport",
            &passport("mine"),
            Some(&citizen),
        )
        .await;
    assert_eq!(creating.status, StatusCode::FORBIDDEN, "{}", creating.body);
    let overview = app
        .get("/api/opendata/manage/overview", Some(&citizen))
        .await;
    assert_eq!(overview.status, StatusCode::FORBIDDEN);
    assert_eq!(app.count("dataset_uploads").await, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_csv_is_previewed_then_published_and_served_with_formulas_neutralised() {
    let (app, moderator) = portal().await;
    let identifier = create_dataset(&app, &moderator, "stops").await;
    let csv = "Название;Широта;Долгота;Сайт\n\
               Театральная;45,0355;38,9753;=HYPERLINK(\"http://evil.test\")\n\
               Северная;45,0412;38,9760;\n";
    let staged = upload(
        &app,
        &uploads_path(&identifier),
        "file",
        csv.as_bytes(),
        &moderator,
    )
    .await;
    assert_eq!(staged.status, StatusCode::CREATED, "{}", staged.body);
    let preview = staged.json();
    assert_eq!(preview["row_count"], 2);
    assert_eq!(preview["coordinates"], json!([1, 2]));
    let names: Vec<&str> = preview["columns"]
        .as_array()
        .expect("columns")
        .iter()
        .map(|c| c["name"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(names, ["nazvanie", "shirota", "dolgota", "sayt"]);
    assert_eq!(preview["sample"][0][3], "=HYPERLINK(\"http://evil.test\")");
    // Nothing is published before the moderator confirms.
    assert_eq!(
        app.count(
            "dataset_versions WHERE dataset_id IN (SELECT id FROM datasets WHERE code = 'stops')"
        )
        .await,
        0
    );

    let mut columns = preview["columns"].clone();
    for column in columns.as_array_mut().expect("columns") {
        column["english"] = json!(format!(
            "{} in English",
            column["russian"].as_str().unwrap_or("")
        ));
    }
    let published = app
        .post_json(
            "/api/opendata/manage/publish-upload",
            &json!({ "id": preview["id"], "columns": columns, "coordinates": [1, 2] }),
            Some(&moderator),
        )
        .await;
    assert_eq!(published.status, StatusCode::OK, "{}", published.body);
    assert_eq!(
        published.json()["outcome"]["outcome"],
        "published",
        "{}",
        published.body
    );
    // Publishing the same upload twice is refused.
    let twice = app
        .post_json(
            "/api/opendata/manage/publish-upload",
            &json!({ "id": preview["id"], "columns": columns, "coordinates": [1, 2] }),
            Some(&moderator),
        )
        .await;
    assert_eq!(twice.status, StatusCode::CONFLICT, "{}", twice.body);

    let list = app.get("/opendata/list.csv", None).await;
    assert!(
        list.body.contains(&format!("{identifier},Остановки,")),
        "{}",
        list.body
    );
    let meta = app
        .get(&format!("/opendata/{identifier}/meta.json"), None)
        .await;
    // meta.json links the JSON data file; the CSV has the same name.
    let data_url = meta.json()["data"][0]["source"]
        .as_str()
        .expect("a data link")
        .replace("http://localhost", "")
        .replace(".json", ".csv");
    let data = app.get(&data_url, None).await;
    assert_eq!(data.status, StatusCode::OK, "{data_url}");
    let lines: Vec<&str> = data.body.split("\r\n").collect();
    assert_eq!(lines[0], "nazvanie,shirota,dolgota,sayt");
    assert_eq!(
        lines[1],
        "Театральная,45.0355,38.9753,\"'=HYPERLINK(\"\"http://evil.test\"\")\""
    );
    assert_eq!(lines[2], "Северная,45.0412,38.976,");
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_files_are_refused_with_their_reason_and_write_nothing() {
    let (app, moderator) = portal().await;
    let identifier = create_dataset(&app, &moderator, "stops").await;
    let path = uploads_path(&identifier);

    let mut cp1251 = b"name\nok\n".to_vec();
    cp1251.extend_from_slice(&[0xCF, 0xE0, 0xF0, 0xEA, b'\n']);
    let refused = upload(&app, &path, "file", &cp1251, &moderator).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert_eq!(
        file_problem(&refused.json()),
        &json!({ "code": "bad_data_file", "reason": { "problem": "not_utf8", "line": 3 } })
    );

    let ragged = upload(&app, &path, "file", b"a;b;c\n1;2;3\n4;5\n", &moderator).await;
    assert_eq!(
        file_problem(&ragged.json()),
        &json!({ "code": "bad_data_file", "reason": { "problem": "ragged", "line": 3, "expected": 3, "found": 2 } })
    );

    let not_a_workbook = upload(&app, &path, "file", b"PK\x03\x04garbage", &moderator).await;
    assert_eq!(
        file_problem(&not_a_workbook.json())["reason"]["problem"],
        "workbook"
    );

    // A value that does not fit its column: listed, nothing published.
    let staged = upload(&app, &path, "file", b"n;count\na;1\nb;2\n", &moderator).await;
    assert_eq!(staged.status, StatusCode::CREATED, "{}", staged.body);
    let preview = staged.json();
    let mut columns = preview["columns"].clone();
    columns[0]["english"] = json!("Name");
    columns[1]["english"] = json!("Count");
    columns[0]["kind"] = json!("integer");
    let misfit = app
        .post_json(
            "/api/opendata/manage/publish-upload",
            &json!({ "id": preview["id"], "columns": columns, "coordinates": null }),
            Some(&moderator),
        )
        .await;
    assert_eq!(misfit.status, StatusCode::OK, "{}", misfit.body);
    let outcome = misfit.json();
    assert_eq!(outcome["result"], "cell_problems");
    assert_eq!(outcome["total"], 2);
    assert_eq!(
        outcome["problems"][0],
        json!({ "row": 2, "column": "n", "value": "a", "expected": "integer" })
    );

    // A 2 GB body is cut off once it passes the limit, long before it has all arrived.
    let produced = Arc::new(AtomicU64::new(0));
    let counter = Arc::clone(&produced);
    let boundary = "----open-region-huge";
    let head = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"huge.csv\"\r\nContent-Type: text/csv\r\n\r\na,b\n"
    );
    let chunk = axum::body::Bytes::from("1,2\n".repeat(256 * 1024));
    let chunks = (0..2_048u32).map(move |index| {
        let bytes = if index == 0 {
            axum::body::Bytes::from(head.clone())
        } else {
            chunk.clone()
        };
        counter.fetch_add(bytes.len() as u64, Ordering::Relaxed);
        Ok::<_, std::io::Error>(bytes)
    });
    let request = Request::post(&path)
        .header(header::HOST, "localhost")
        .header(header::ORIGIN, "http://localhost")
        .header(header::COOKIE, &moderator)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from_stream(tokio_stream::iter(chunks)))
        .expect("request");
    let huge = app.send(request).await;
    assert_eq!(
        huge.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        huge.body
    );
    assert_eq!(
        file_problem(&huge.json()),
        &json!({ "code": "file_too_large", "max_mb": 30 })
    );
    let read = produced.load(Ordering::Relaxed);
    assert!(
        read < 64 * 1024 * 1024,
        "{read} bytes were produced for a refused upload"
    );

    assert_eq!(
        app.count(
            "dataset_versions WHERE dataset_id IN (SELECT id FROM datasets WHERE code = 'stops')"
        )
        .await,
        0
    );
    // Only the readable file was staged.
    assert_eq!(app.count("dataset_uploads").await, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn citizens_request_datasets_and_moderators_answer_in_public() {
    let (app, moderator) = portal().await;
    let anonymous = app
        .post(
            "/api/opendata/request",
            &[("title", "Остановки"), ("details", "")],
            None,
        )
        .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    let citizen = sign_in(&app, CITIZEN).await;
    let short = app
        .post(
            "/api/opendata/request",
            &[("title", "ой"), ("details", "")],
            Some(&citizen),
        )
        .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    let asked = app
        .post(
            "/api/opendata/request",
            &[("title", "Графики вывоза мусора"), ("details", "По дворам")],
            Some(&citizen),
        )
        .await;
    assert_eq!(asked.status, StatusCode::OK, "{}", asked.body);
    let id = asked.body.clone();

    let answer = [
        ("id", id.as_str()),
        ("answer", "Опубликуем в декабре"),
        ("dataset", ""),
    ];
    let by_citizen = app
        .post("/api/opendata/manage/answer", &answer, Some(&citizen))
        .await;
    assert_eq!(by_citizen.status, StatusCode::FORBIDDEN);
    let answered = app
        .post("/api/opendata/manage/answer", &answer, Some(&moderator))
        .await;
    assert_eq!(answered.status, StatusCode::OK, "{}", answered.body);
    let unknown_dataset = [
        ("id", id.as_str()),
        ("answer", "Вот"),
        ("dataset", "2308000007-nothing"),
    ];
    let refused = app
        .post(
            "/api/opendata/manage/answer",
            &unknown_dataset,
            Some(&moderator),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);

    let public = app.get("/api/opendata/requests", None).await;
    let requests = public.json();
    assert_eq!(requests[0]["title"], "Графики вывоза мусора");
    assert_eq!(requests[0]["answer"], "Опубликуем в декабре");

    // Issue 19, finding 3: five requests per account and hour; the sixth stores nothing.
    for n in 2..=5 {
        let title = format!("Набор данных № {n}");
        let asked = app
            .post(
                "/api/opendata/request",
                &[("title", title.as_str()), ("details", "")],
                Some(&citizen),
            )
            .await;
        assert_eq!(asked.status, StatusCode::OK, "request {n}: {}", asked.body);
    }
    let stored = app.count("dataset_requests").await;
    let sixth = app
        .post(
            "/api/opendata/request",
            &[("title", "Ещё один набор"), ("details", "")],
            Some(&citizen),
        )
        .await;
    assert_eq!(
        sixth.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        sixth.body
    );
    assert_eq!(sixth.json()["kind"], "rate_limited");
    assert_eq!(app.count("dataset_requests").await, stored);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_that_names_no_publisher_publishes_nothing_and_says_why() {
    let app = TestApp::without_publisher().await;
    app.seeded_admin().await;
    let moderator = sign_in(&app, MODERATOR).await;
    let datasets = app.count("datasets").await;
    let refusals = [
        app.get(
            "/api/opendata/manage/passport?identifier=",
            Some(&moderator),
        )
        .await,
        app.post(
            "/api/opendata/manage/save-passport",
            &passport("stops"),
            Some(&moderator),
        )
        .await,
    ];
    for refused in refusals {
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            refused.body
        );
        assert_eq!(
            refused.json()["errors"][0],
            json!({ "field": "publisher", "code": { "code": "no_publisher" } }),
            "{}",
            refused.body
        );
    }
    assert_eq!(app.count("datasets").await, datasets, "no dataset was made");
}
