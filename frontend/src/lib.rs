//! The browser entry: hydrates the server-rendered page, then registers the service worker
//! that keeps the app shell available offline.

// Leptos views are nested types; the problem list page's hydration future is deeper than
// the compiler's default query depth when its layout is computed here.
#![recursion_limit = "512"]

use wasm_bindgen::prelude::wasm_bindgen;

/// Called by the hydration script that leptos writes into every page (`HydrationScripts`).
#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Every page is a lazy route: hydration waits for the page's chunks to arrive, so it
    // runs as a task on the browser's event loop (what `hydrate_lazy` does), and the page
    // is marked interactive only once it has finished.
    let _ = any_spawner::Executor::init_wasm_bindgen();
    leptos::task::spawn_local(async {
        let body = leptos::tachys::dom::body();
        leptos::mount::hydrate_from_async(body, app::App)
            .await
            .forget();
        if let Some(window) = web_sys::window() {
            // End-to-end tests wait for this attribute before they interact with the page.
            if let Some(body) = window.document().and_then(|d| d.body()) {
                let _ = body.set_attribute("data-hydrated", "");
            }
            let _ = window.navigator().service_worker().register("/sw.js");
        }
    });
}
