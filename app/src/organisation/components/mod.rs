//! Pieces that pages of several features share about the organisation of government.

use leptos::prelude::*;

pub use super::model::Names;

/// Loads the reference data once for a page. Call it at the component's top level.
pub fn names_resource() -> Resource<Names> {
    Resource::new(
        || (),
        // A page without the names still shows its own data (with the ids' names empty).
        |_| async move {
            crate::organisation::server_fns::reference_names()
                .await
                .unwrap_or_default()
        },
    )
}
