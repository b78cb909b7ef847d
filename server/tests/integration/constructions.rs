//! Construction control over HTTP against a real MariaDB: the public exports take the
//! page's filters, the registry import is for supervision officials only, refuses files
//! that are not workbooks without writing anything, and importing the same workbook twice
//! changes nothing the second time (.xlsx and .xls alike); inspection acts must be PDFs.

use crate::common;

use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{TestApp, check_form, registry_workbook, sign_in, upload};

const OFFICIAL: &str = "staff-construction-supervision@openregion.demo";

/// A small registry workbook with Russian headers: `rows` valid entries in Krasnodar.
fn workbook(rows: u32) -> Vec<u8> {
    registry_workbook(rows, "Краснодар")
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

/// Uploads `bytes` and runs the dry run with the detected mapping; returns the import's id
/// and its checked status.
async fn dry_run(app: &TestApp, bytes: &[u8], cookie: &str) -> (String, serde_json::Value) {
    let uploaded = upload(app, "/api/v1/constructions/imports", "file", bytes, cookie).await;
    assert_eq!(uploaded.status, StatusCode::CREATED, "{}", uploaded.body);
    let id = uploaded.body.clone();
    let status = settled(app, &id, cookie).await;
    let form = check_form(&id, &status);
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let checked = app
        .post("/api/constructions/imports/check", &form, Some(cookie))
        .await;
    assert_eq!(checked.status, StatusCode::OK, "{} {status}", checked.body);
    let checked = settled(app, &id, cookie).await;
    assert_eq!(checked["phase"], "checked", "{checked}");
    (id, checked)
}

/// Uploads `bytes`, runs the dry run with the detected mapping and commits; returns the
/// dry run's and the committed status.
async fn import(
    app: &TestApp,
    bytes: &[u8],
    cookie: &str,
) -> (serde_json::Value, serde_json::Value) {
    let (id, dry_run) = dry_run(app, bytes, cookie).await;
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
    let xls = include_bytes!("../../../crates/platform/src/testdata/registry.xls");
    let (dry_run, committed) = import(&app, xls, &official).await;
    assert_eq!(dry_run["added"], 1, "{dry_run}");
    assert_eq!(dry_run["error_count"], 0, "{dry_run}");
    assert_eq!(committed["phase"], "committed", "{committed}");
    assert_eq!(app.count("constructions").await, entries + 4);
}

/// Issue 19, finding 8: a department named by one municipal rule of the supervision theme
/// imports that municipality's entries only, and cannot take over another's by number.
#[tokio::test(flavor = "multi_thread")]
async fn a_municipal_department_imports_its_own_municipality_only() {
    let app = TestApp::new().await;
    app.seeded_admin().await;
    let supervision = sign_in(&app, OFFICIAL).await;
    import(&app, &workbook(2), &supervision).await;
    // Krasnodar's administration is named for Sochi's construction reports.
    app.execute(
        "INSERT INTO routing_rules (theme_id, municipality_id, department_id) \
         SELECT t.id, m.id, d.id FROM themes t, municipalities m, departments d \
         WHERE t.slug = 'illegal-construction' AND m.slug = 'sochi' \
         AND d.slug = 'admin-krasnodar'",
    )
    .await;
    let municipal = sign_in(&app, "official@openregion.demo").await;
    let entries = app.count("constructions").await;

    let (_, krasnodar) = dry_run(&app, &registry_workbook(3, "Краснодар"), &municipal).await;
    assert_eq!(krasnodar["error_count"], 3, "{krasnodar}");
    assert_eq!(
        krasnodar["errors"][0]["problem"]["code"],
        "not_your_municipality"
    );
    assert_eq!(krasnodar["errors"][0]["field"], "municipality");

    // HTTP-1 and HTTP-2 are Krasnodar's entries: naming them in Sochi is refused; HTTP-3
    // is new and Sochi's.
    let (id, sochi) = dry_run(&app, &registry_workbook(3, "Сочи"), &municipal).await;
    assert_eq!(sochi["error_count"], 2, "{sochi}");
    assert_eq!(sochi["added"], 1, "{sochi}");
    assert_eq!(sochi["errors"][0]["field"], "registry_number");
    let committed = app
        .post(
            "/api/constructions/imports/commit",
            &[("id", id.as_str()), ("skip_bad_rows", "on")],
            Some(&municipal),
        )
        .await;
    assert_eq!(committed.status, StatusCode::OK, "{}", committed.body);
    assert_eq!(settled(&app, &id, &municipal).await["added"], 1);
    assert_eq!(app.count("constructions").await, entries + 1);
    assert_eq!(
        app.count(
            "constructions c JOIN municipalities m ON m.id = c.municipality_id \
             WHERE c.registry_number IN ('HTTP-1', 'HTTP-2') AND m.slug = 'krasnodar'"
        )
        .await,
        2,
        "Krasnodar's entries stay Krasnodar's"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn exports_are_public_and_take_the_tables_filters() {
    let app = TestApp::new().await;
    app.seeded_admin().await;
    let (statuses, _) =
        exported_statuses(&app, "/constructions/export.xlsx?status=commissioned", None).await;
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
async fn inspection_acts_are_pdfs_from_the_reports_own_officials() {
    let app = TestApp::new().await;
    app.seeded_admin().await;
    let citizen = sign_in(&app, "citizen@openregion.demo").await;
    let official = sign_in(&app, OFFICIAL).await;
    let report = app
        .scalar(
            "SELECT CAST(MIN(r.id) AS SIGNED) AS n FROM construction_reports r \
             JOIN departments d ON d.id = r.department_id \
             WHERE d.slug = 'construction-supervision'",
        )
        .await;
    let acts = format!("/api/v1/constructions/acts?report={report}");
    // The smallest file with a PDF's structure: its cross-reference stream at offset 9.
    let pdf =
        b"%PDF-1.7\n1 0 obj\n<< /Type /XRef >>\nstream\nendstream\nendobj\nstartxref\n9\n%%EOF\n";
    assert_eq!(
        upload(&app, &acts, "act", pdf, &citizen).await.status,
        StatusCode::FORBIDDEN
    );
    for not_a_pdf in [
        b"GIF89a".as_slice(),
        b"%PDF-1.7 <script>alert(1)</script> %%EOF".as_slice(),
    ] {
        let refused = upload(&app, &acts, "act", not_a_pdf, &official).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(refused.json()["errors"][0]["code"]["code"], "not_a_pdf");
    }
    let stored = upload(&app, &acts, "act", pdf, &official).await;
    assert_eq!(stored.status, StatusCode::CREATED, "{}", stored.body);
    let handle = stored
        .json()
        .as_str()
        .map(str::to_string)
        .expect("a handle");
    assert_eq!(handle.len(), 32);
    // Recorded for its report and not yet named by a verdict (so the cleanup knows it).
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) AS n FROM inspection_acts WHERE file_key = '{handle}' \
             AND report_id = {report} AND attached_at IS NULL"
        ))
        .await,
        1
    );
    // Refused uploads recorded nothing.
    assert_eq!(
        app.scalar("SELECT COUNT(*) AS n FROM inspection_acts WHERE uploader_id IS NOT NULL")
            .await,
        1
    );

    let unknown = upload(
        &app,
        "/api/v1/constructions/acts?report=999999",
        "act",
        pdf,
        &official,
    )
    .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    // Once the report belongs to another department, its officials are not this one.
    app.execute(&format!(
        "UPDATE construction_reports SET department_id = \
         (SELECT id FROM departments WHERE slug <> 'construction-supervision' LIMIT 1) \
         WHERE id = {report}"
    ))
    .await;
    assert_eq!(
        upload(&app, &acts, "act", pdf, &official).await.status,
        StatusCode::FORBIDDEN
    );
}

/// The registry rows of an XLSX export (read as bytes straight from the router) as its
/// `Статус`/`Status` column reads, with the answer's `Age` (present when it came from
/// memory).
async fn exported_statuses(
    app: &TestApp,
    path: &str,
    cookie: Option<&str>,
) -> (Vec<String>, Option<u64>) {
    let mut request = Request::get(path).header(header::HOST, "localhost");
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    let response = tower::ServiceExt::oneshot(
        app.router.clone(),
        request.body(Body::empty()).expect("request"),
    )
    .await
    .expect("response");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()[header::CONTENT_TYPE],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let age = response
        .headers()
        .get(header::AGE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse().ok());
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
    let status = header
        .iter()
        .position(|h| h == "Статус" || h == "Status")
        .expect("a status column");
    (rows.map(|row| row[status].to_string()).collect(), age)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_same_export_within_a_minute_is_answered_from_memory_with_its_age() {
    let app = TestApp::new().await;
    app.seeded_admin().await;
    let path = "/constructions/export.xlsx?status=commissioned";
    let (first, age) = exported_statuses(&app, path, None).await;
    assert!(
        !first.is_empty(),
        "the demo registry has commissioned entries"
    );
    assert_eq!(age, None, "rendered for this request");

    // The registry changes; the same export asked for again within the minute is the
    // one already rendered, and says how old it is.
    app.execute("UPDATE constructions SET status = 'suspended' WHERE status = 'commissioned'")
        .await;
    let (again, age) = exported_statuses(&app, path, None).await;
    assert_eq!(again, first);
    assert!(age.is_some_and(|seconds| seconds < 60), "{age:?}");

    // Another filter or another language is another export, rendered from today's data.
    let (other, age) = exported_statuses(&app, &format!("{path}&sort=number"), None).await;
    assert_eq!((other.len(), age), (0, None));
    let (english, age) = exported_statuses(&app, path, Some("lang=en")).await;
    assert_eq!((english.len(), age), (0, None));
}
