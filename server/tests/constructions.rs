//! Construction control over HTTP against a real MariaDB: the public exports take the
//! page's filters, the registry import is for supervision officials only, refuses files
//! that are not workbooks without writing anything, and importing the same workbook twice
//! changes nothing the second time (.xlsx and .xls alike); inspection acts must be PDFs.

mod common;

use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{TestApp, sign_in, upload};

const OFFICIAL: &str = "staff-construction-supervision@openregion.demo";

/// A small registry workbook with Russian headers: `rows` valid entries.
fn workbook(rows: u32) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let headers = [
        "Реестровый номер",
        "Наименование объекта",
        "Адрес",
        "Широта",
        "Долгота",
        "Муниципальное образование",
        "Застройщик",
        "ИНН застройщика",
        "Номер разрешения",
        "Дата разрешения",
        "Кем выдано",
        "Разрешённое использование",
        "Этажность",
    ];
    for (column, header) in headers.iter().enumerate() {
        sheet
            .write_string(0, column as u16, *header)
            .expect("header");
    }
    for row in 1..=rows {
        let values = [
            format!("HTTP-{row}"),
            format!("Жилой дом № {row}"),
            format!("г. Краснодар, ул. Тестовая, {row}"),
            "45,04".to_string(),
            "38,97".to_string(),
            "Краснодар".to_string(),
            "ООО «Тест»".to_string(),
            "7707083893".to_string(),
            format!("23-RU-{row}"),
            "14.03.2025".to_string(),
            "Департамент архитектуры".to_string(),
            "жилой дом".to_string(),
            "9".to_string(),
        ];
        for (column, value) in values.iter().enumerate() {
            sheet.write_string(row, column as u16, value).expect("cell");
        }
    }
    book.save_to_buffer().expect("workbook")
}

/// Polls an import's status until its phase is not running; returns the status.
async fn settled(app: &TestApp, id: &str, cookie: &str) -> serde_json::Value {
    for _ in 0..100 {
        let reply = app
            .get(
                &format!("/api/constructions/imports/status?id={id}"),
                Some(cookie),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        let status = reply.json();
        if !matches!(status["phase"].as_str(), Some("checking" | "committing")) {
            return status;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the import did not settle");
}

/// Uploads `bytes`, runs the dry run with the detected mapping and commits; returns the
/// committed status.
async fn import(
    app: &TestApp,
    bytes: &[u8],
    cookie: &str,
) -> (serde_json::Value, serde_json::Value) {
    let uploaded = upload(app, "/api/v1/constructions/imports", "file", bytes, cookie).await;
    assert_eq!(uploaded.status, StatusCode::CREATED, "{}", uploaded.body);
    let id = uploaded.body.clone();
    let status = settled(app, &id, cookie).await;
    let mapping: Vec<String> = status["mapping"]
        .as_array()
        .expect("a mapping")
        .iter()
        .map(|field| field.as_str().unwrap_or_default().to_string())
        .collect();
    let mut form = vec![("id".to_string(), id.clone())];
    for (index, key) in mapping.iter().enumerate() {
        form.push((format!("mapping[{index}]"), key.clone()));
    }
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let checked = app
        .post("/api/constructions/imports/check", &form, Some(cookie))
        .await;
    assert_eq!(checked.status, StatusCode::OK, "{} {status}", checked.body);
    let dry_run = settled(app, &id, cookie).await;
    assert_eq!(dry_run["phase"], "checked", "{dry_run}");
    let committed = app
        .post(
            "/api/constructions/imports/commit",
            &[("id", id.as_str())],
            Some(cookie),
        )
        .await;
    assert_eq!(committed.status, StatusCode::OK, "{}", committed.body);
    (dry_run, settled(app, &id, cookie).await)
}

#[tokio::test(flavor = "multi_thread")]
async fn importing_is_for_supervision_officials_and_the_same_file_twice_changes_nothing() {
    let app = TestApp::new().await;
    app.seeded_admin().await;
    let citizen = sign_in(&app, "citizen@openregion.demo").await;
    let official = sign_in(&app, OFFICIAL).await;
    let book = workbook(3);

    let refused = upload(
        &app,
        "/api/v1/constructions/imports",
        "file",
        &book,
        &citizen,
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    // Not a workbook: refused with its reason, nothing recorded.
    let imports_before = app.count("registry_imports").await;
    let png = upload(
        &app,
        "/api/v1/constructions/imports",
        "file",
        b"\x89PNG\r\n\x1a\n not really",
        &official,
    )
    .await;
    assert_eq!(png.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        png.json()["errors"][0]["code"]["reason"]["code"],
        "not_a_workbook",
        "{}",
        png.body
    );
    assert_eq!(app.count("registry_imports").await, imports_before);

    let entries = app.count("constructions").await;
    let history = app.count("construction_changes").await;
    let (dry_run, first) = import(&app, &book, &official).await;
    assert_eq!(dry_run["added"], 3, "{dry_run}");
    assert_eq!(first["phase"], "committed", "{first}");
    assert_eq!(first["added"], 3);
    assert_eq!(app.count("constructions").await, entries + 3);
    assert_eq!(app.count("construction_changes").await, history + 3);

    let (dry_run, second) = import(&app, &book, &official).await;
    assert_eq!(dry_run["unchanged"], 3, "{dry_run}");
    assert_eq!(second["added"], 0, "{second}");
    assert_eq!(second["updated"], 0);
    assert_eq!(app.count("constructions").await, entries + 3);
    assert_eq!(app.count("construction_changes").await, history + 3);

    // The public change list of the first import names the new entries.
    let id = first["id"].to_string();
    let changes = app
        .get(&format!("/api/constructions/imports/changes?id={id}"), None)
        .await;
    assert_eq!(changes.status, StatusCode::OK, "{}", changes.body);
    assert_eq!(changes.json().as_array().map(Vec::len), Some(3));

    // An Excel 97 workbook (.xls, written by xlwt) goes the same way.
    let xls = include_bytes!("../../app/src/constructions/import/testdata/registry.xls");
    let (dry_run, committed) = import(&app, xls, &official).await;
    assert_eq!(dry_run["added"], 1, "{dry_run}");
    assert_eq!(dry_run["error_count"], 0, "{dry_run}");
    assert_eq!(committed["phase"], "committed", "{committed}");
    assert_eq!(app.count("constructions").await, entries + 4);
}

#[tokio::test(flavor = "multi_thread")]
async fn exports_are_public_and_take_the_tables_filters() {
    let app = TestApp::new().await;
    app.seeded_admin().await;
    // Binary bodies: read as bytes straight from the router.
    let response = tower::ServiceExt::oneshot(
        app.router.clone(),
        Request::get("/constructions/export.xlsx?status=commissioned")
            .header(header::HOST, "localhost")
            .body(Body::empty())
            .expect("request"),
    )
    .await
    .expect("response");
    assert_eq!(
        response.headers()[header::CONTENT_TYPE],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let bytes = http_body_util::BodyExt::collect(response.into_body())
        .await
        .expect("body")
        .to_bytes();
    use calamine::Reader;
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("an xlsx");
    let sheet = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&sheet).expect("a sheet");
    let mut rows = range.rows();
    let header: Vec<String> = rows
        .next()
        .expect("a header")
        .iter()
        .map(ToString::to_string)
        .collect();
    let status_column = header
        .iter()
        .position(|h| h == "Статус")
        .expect("a status column");
    let statuses: Vec<String> = rows.map(|row| row[status_column].to_string()).collect();
    assert!(
        !statuses.is_empty(),
        "the demo registry has commissioned entries"
    );
    assert!(
        statuses.iter().all(|s| s == "Введён в эксплуатацию"),
        "{statuses:?}"
    );

    let pdf = tower::ServiceExt::oneshot(
        app.router.clone(),
        Request::get("/constructions/analytics/export.pdf")
            .header(header::HOST, "localhost")
            .body(Body::empty())
            .expect("request"),
    )
    .await
    .expect("response");
    assert_eq!(pdf.status(), StatusCode::OK);
    assert_eq!(pdf.headers()[header::CONTENT_TYPE], "application/pdf");
    let bytes = http_body_util::BodyExt::collect(pdf.into_body())
        .await
        .expect("body")
        .to_bytes();
    assert!(bytes.starts_with(b"%PDF-"));
}

#[tokio::test(flavor = "multi_thread")]
async fn inspection_acts_must_be_pdfs_from_officials() {
    let app = TestApp::new().await;
    app.seeded_admin().await;
    let citizen = sign_in(&app, "citizen@openregion.demo").await;
    let official = sign_in(&app, OFFICIAL).await;
    let pdf = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n";
    assert_eq!(
        upload(&app, "/api/v1/constructions/acts", "act", pdf, &citizen)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let refused = upload(
        &app,
        "/api/v1/constructions/acts",
        "act",
        b"GIF89a",
        &official,
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.json()["errors"][0]["code"]["code"], "not_a_pdf");
    let stored = upload(&app, "/api/v1/constructions/acts", "act", pdf, &official).await;
    assert_eq!(stored.status, StatusCode::CREATED, "{}", stored.body);
    assert_eq!(stored.json().as_str().map(str::len), Some(32));
}
