//! The page itself: `index.html` with its style and script inlined, and the Content Security
//! Policy that allows exactly those two inline blocks (by hash) and same-origin `fetch`.

use std::sync::OnceLock;

use base64::Engine as _;
use bytes::Bytes;
use http::HeaderValue;
use sha2::{Digest as _, Sha256};

const TEMPLATE: &str = include_str!("index.html");
const STYLE: &str = include_str!("flow.css");
const SCRIPT: &str = include_str!("flow.js");

/// The rendered page and its policy.
#[derive(Debug)]
pub(crate) struct Page {
    pub(crate) html: Bytes,
    pub(crate) csp: HeaderValue,
}

/// `'sha256-…'`: a CSP source matching an inline block with exactly this text.
fn csp_hash(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// The policy: nothing but the page's own style and script, `fetch` to its own origin (the
/// user-side routes), and any page may frame it (it is meant to be embedded).
fn policy(style: &str, script: &str) -> String {
    format!(
        "default-src 'none'; script-src {}; style-src {}; connect-src 'self'; \
         base-uri 'none'; form-action 'none'; frame-ancestors *",
        csp_hash(script),
        csp_hash(style)
    )
}

fn render() -> Page {
    let html = TEMPLATE
        .replacen("{{STYLE}}", STYLE, 1)
        .replacen("{{SCRIPT}}", SCRIPT, 1);
    let csp = HeaderValue::from_str(&policy(STYLE, SCRIPT))
        .unwrap_or_else(|_| HeaderValue::from_static("default-src 'none'"));
    Page {
        html: Bytes::from(html),
        csp,
    }
}

/// The page, rendered once (it holds nothing from any session: the script reads the
/// session from the URL or from its parent and fills the page in).
pub(crate) fn page() -> &'static Page {
    static PAGE: OnceLock<Page> = OnceLock::new();
    PAGE.get_or_init(render)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text between `open` and the next `close` in `html`.
    fn between<'a>(html: &'a str, open: &str, close: &str) -> &'a str {
        let start = html.find(open).expect("opening tag") + open.len();
        let end = start + html[start..].find(close).expect("closing tag");
        &html[start..end]
    }

    #[test]
    fn the_policy_allows_exactly_the_inline_blocks() {
        let page = page();
        let html = std::str::from_utf8(&page.html).expect("UTF-8");
        let csp = page.csp.to_str().expect("ASCII");
        let script = between(html, "<script>", "</script>");
        let style = between(html, "<style>", "</style>");
        assert_eq!(script, SCRIPT);
        assert_eq!(style, STYLE);
        assert!(
            csp.contains(&format!("script-src {};", csp_hash(script))),
            "{csp}"
        );
        assert!(
            csp.contains(&format!("style-src {};", csp_hash(style))),
            "{csp}"
        );
        assert!(csp.starts_with("default-src 'none';"));
        assert!(csp.contains("connect-src 'self'"));
        assert!(csp.contains("frame-ancestors *"));
        assert!(!csp.contains("unsafe"), "no unsafe-inline or unsafe-eval");
        assert!(!html.contains("{{"), "every placeholder is filled");
    }

    #[test]
    fn a_known_hash() {
        // `echo -n 'alert(1)' | openssl dgst -sha256 -binary | base64`
        assert_eq!(
            csp_hash("alert(1)"),
            "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"
        );
    }

    #[test]
    fn the_inline_blocks_cannot_end_early_or_parse_markup() {
        // A `</script>` or `</style>` inside would end the block; markup APIs would parse
        // what comes from a session as HTML.
        assert!(!SCRIPT.to_ascii_lowercase().contains("</script"));
        assert!(!STYLE.to_ascii_lowercase().contains("</style"));
        for sink in [
            "innerHTML",
            "outerHTML",
            "insertAdjacentHTML",
            "document.write",
            "eval(",
            "new Function",
            "setTimeout(\"",
        ] {
            assert!(!SCRIPT.contains(sink), "flow.js uses {sink}");
        }
    }

    #[test]
    fn the_page_is_accessible_by_construction() {
        let html = std::str::from_utf8(&page().html).expect("UTF-8");
        assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
        assert!(html.contains("<title>") && html.contains("<h1"));
        assert!(html.contains("role=\"status\"") && html.contains("role=\"alert\""));
        // Every static input has a label.
        for id in ["start-id", "start-token"] {
            assert!(html.contains(&format!("<label for=\"{id}\">")), "{id}");
            assert!(html.contains(&format!("<input id=\"{id}\"")), "{id}");
        }
    }
}
