//! The browser bundle over HTTP: compressed for browsers that accept it, as it is for
//! those that do not.

use std::io::Read;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use leptos::prelude::LeptosOptions;
use platform::config::AppConfig;
use platform::db::testing::TestDb;
use server::{ServerState, router};
use tower::ServiceExt;

async fn fetch(
    router: &axum::Router,
    accept_encoding: Option<&str>,
) -> (StatusCode, Option<String>, Option<String>, Vec<u8>) {
    let mut request = Request::get("/pkg/open-region.wasm").header(header::HOST, "localhost");
    if let Some(encodings) = accept_encoding {
        request = request.header(header::ACCEPT_ENCODING, encodings);
    }
    let response = router
        .clone()
        .oneshot(request.body(Body::empty()).expect("request"))
        .await
        .expect("the router answers");
    let header_text = |name| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let (status, encoding, content_type) = (
        response.status(),
        header_text(header::CONTENT_ENCODING),
        header_text(header::CONTENT_TYPE),
    );
    let body = response
        .into_body()
        .collect()
        .await
        .expect("a body")
        .to_bytes()
        .to_vec();
    (status, encoding, content_type, body)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_wasm_bundle_is_gzipped_for_browsers_that_accept_it() {
    let db = TestDb::new().await;
    let site = std::env::temp_dir().join(format!("open-region-site-{}", std::process::id()));
    std::fs::create_dir_all(site.join("pkg")).expect("site directory");
    // Repetitive like code, so it compresses well.
    let bundle: Vec<u8> = (0..300_000u32)
        .flat_map(|i| ((i % 1_000) as u16).to_le_bytes())
        .collect();
    std::fs::write(site.join("pkg/open-region.wasm"), &bundle).expect("bundle");
    let leptos_options = LeptosOptions::builder()
        .output_name("open-region")
        .site_root(site.to_string_lossy().into_owned())
        .site_pkg_dir("pkg")
        .build();
    let router = router(ServerState {
        publisher: Default::default(),
        recent: Default::default(),
        metrics: Default::default(),
        public_cache: server::public_cache::PublicCache::off(),
        names: app::organisation::queries::RecentNames::new(std::time::Duration::ZERO),
        leptos_options,
        pool: db.pool().clone(),
        config: AppConfig::default(),
    });

    let (status, encoding, content_type, body) = fetch(&router, Some("gzip, deflate, br")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(encoding.as_deref(), Some("gzip"));
    assert_eq!(content_type.as_deref(), Some("application/wasm"));
    assert!(body.len() < bundle.len() / 4, "{} bytes", body.len());
    let mut unpacked = Vec::new();
    flate2::read::GzDecoder::new(body.as_slice())
        .read_to_end(&mut unpacked)
        .expect("valid gzip");
    assert_eq!(unpacked, bundle);

    let (status, encoding, _, body) = fetch(&router, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(encoding, None, "sent as it is without Accept-Encoding");
    assert_eq!(body, bundle);
    std::fs::remove_dir_all(&site).ok();
}
