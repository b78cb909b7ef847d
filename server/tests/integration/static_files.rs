//! The browser's code over HTTP: the build's Brotli or gzip copy for browsers that accept
//! it, the file as it is for those that do not.

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
    path: &str,
    accept_encoding: Option<&str>,
) -> (StatusCode, Option<String>, Option<String>, Vec<u8>) {
    let mut request = Request::get(path).header(header::HOST, "localhost");
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
async fn code_files_go_as_the_builds_compressed_copies_to_browsers_that_accept_them() {
    let db = TestDb::new().await;
    let site = std::env::temp_dir().join(format!("open-region-site-{}", std::process::id()));
    std::fs::create_dir_all(site.join("pkg")).expect("site directory");
    std::fs::create_dir_all(site.join("vendor/leaflet")).expect("vendor directory");
    let files = [
        ("pkg/open-region.wasm", "application/wasm"),
        ("vendor/leaflet/leaflet.js", "text/javascript"),
    ];
    // Each copy differs from the file, so the answer shows which one was sent.
    for (file, _) in files {
        let path = site.join(file);
        std::fs::write(&path, format!("{file} as built")).expect("file");
        std::fs::write(site.join(format!("{file}.br")), format!("{file} in brotli")).expect("br");
        std::fs::write(site.join(format!("{file}.gz")), format!("{file} in gzip")).expect("gz");
    }
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
        live_messages: app::messages::live::LiveMessages::new(db.pool().clone()),
        pool: db.pool().clone(),
        config: AppConfig::default(),
    });

    for (file, content_type) in files {
        let path = format!("/{file}");
        let (status, encoding, sent_type, body) =
            fetch(&router, &path, Some("gzip, deflate, br")).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_eq!(encoding.as_deref(), Some("br"), "{path}");
        assert!(
            sent_type.is_some_and(|sent| sent.starts_with(content_type)),
            "{path}"
        );
        assert_eq!(body, format!("{file} in brotli").into_bytes());

        let (_, encoding, _, body) = fetch(&router, &path, Some("gzip")).await;
        assert_eq!(encoding.as_deref(), Some("gzip"), "{path}");
        assert_eq!(body, format!("{file} in gzip").into_bytes());

        let (status, encoding, _, body) = fetch(&router, &path, None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            encoding, None,
            "{path} is sent as it is without Accept-Encoding"
        );
        assert_eq!(body, format!("{file} as built").into_bytes());
    }
    std::fs::remove_dir_all(&site).ok();
}
