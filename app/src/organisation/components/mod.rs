//! Pieces that pages of several features share about the organisation of government.

use leptos::prelude::*;

pub use super::model::Names;

/// Loads the reference data once for a page. Call it at the component's top level.
pub fn names_resource() -> Resource<Names> {
    Resource::new(
        || (),
        |_| async move {
            // Three small independent requests; each answers in a few milliseconds.
            let themes = crate::organisation::server_fns::list_themes().await;
            let municipalities = crate::geography::server_fns::list_municipalities().await;
            let departments = crate::organisation::server_fns::list_departments().await;
            Names {
                themes: themes.unwrap_or_default(),
                municipalities: municipalities.unwrap_or_default(),
                departments: departments.unwrap_or_default(),
            }
        },
    )
}
