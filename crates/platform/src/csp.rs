//! The Content-Security-Policy of the portal's pages and of every other response.
//!
//! Pages run only the scripts the server wrote into them: the bundle and Leaflet from our
//! own origin, and Leptos' inline hydration scripts, which carry the render's nonce. Map
//! tiles are the one outside source, and only as images.

/// The policy of an HTML page rendered with `nonce`, whose map draws tiles from
/// `tile_url` (a template such as `https://{s}.tile.example/{z}/{x}/{y}.png`).
pub fn page_policy(nonce: &str, tile_url: &str) -> String {
    let tiles = tile_source(tile_url)
        .map(|source| format!(" {source}"))
        .unwrap_or_default();
    format!(
        "default-src 'self'; \
         script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; \
         img-src 'self' data: blob:{tiles}; \
         connect-src 'self'; \
         object-src 'none'; \
         base-uri 'self'; \
         form-action 'self'; \
         frame-ancestors 'none'"
    )
}

/// The policy of every response that is not a page (data, files, the service worker):
/// nothing may frame it, and a document served by mistake runs nothing from elsewhere.
pub const DEFAULT_POLICY: &str =
    "default-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

/// The CSP source that allows the tiles of `tile_url`: its scheme and host, with the
/// `{s}` subdomain placeholder as a wildcard. `None` for a same-origin (relative) template
/// or one whose host cannot be written as a source.
fn tile_source(tile_url: &str) -> Option<String> {
    let (scheme, rest) = tile_url.split_once("://")?;
    let host = rest.split('/').next()?.replace("{s}", "*");
    let plain = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '*');
    let valid = matches!(scheme, "http" | "https") && !host.is_empty() && host.chars().all(plain);
    valid.then(|| format!("{scheme}://{host}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_allow_their_nonce_and_the_tile_host_only() {
        let policy = page_policy("abc", "https://tile.openstreetmap.org/{z}/{x}/{y}.png");
        assert!(policy.contains("script-src 'self' 'nonce-abc' 'wasm-unsafe-eval';"));
        assert!(policy.contains("img-src 'self' data: blob: https://tile.openstreetmap.org;"));
        assert!(policy.contains("frame-ancestors 'none'"));
        assert!(!policy.contains(" 'unsafe-eval'"), "no eval of script text");
        assert!(!policy.contains("script-src 'self' 'unsafe-inline'"));
    }

    #[test]
    fn tile_templates_become_sources() {
        assert_eq!(
            tile_source("https://{s}.tile.example.org/{z}/{x}/{y}.png").as_deref(),
            Some("https://*.tile.example.org")
        );
        assert_eq!(
            tile_source("http://127.0.0.1:8080/{z}/{x}/{y}.png").as_deref(),
            Some("http://127.0.0.1:8080")
        );
        assert_eq!(tile_source("/tiles/{z}/{x}/{y}.png"), None);
        assert_eq!(tile_source("https://evil.example;script-src *"), None);
        assert_eq!(tile_source("javascript://x/{z}{x}{y}"), None);
    }
}
