//! Text a person typed, shown as they typed it: no markup is read, and web addresses
//! become links.

use leptos::prelude::*;
use platform::text::{TextPiece, text_pieces};

/// Typed text shown as text, its web addresses as links that pass no credit and open
/// apart.
#[component]
pub fn TypedText(body: String, test_id: &'static str) -> impl IntoView {
    let pieces: Vec<AnyView> = text_pieces(&body)
        .into_iter()
        .map(|piece| match piece {
            TextPiece::Text(text) => text.to_string().into_any(),
            TextPiece::Link(address) => view! {
                <a href=address.to_string() rel="nofollow ugc noopener noreferrer" target="_blank">{address.to_string()}</a>
            }
            .into_any(),
        })
        .collect();
    view! { <p class="prewrap" data-test=test_id>{pieces}</p> }
}
