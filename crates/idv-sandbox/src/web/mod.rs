//! The web flow: a stand-in for Yoti's user-facing page (§5.10.2 of the API reference) at
//! `{base}/web/index.html?sessionID=…&sessionToken=…`, to embed in an iframe or open as a
//! link.
//!
//! The page is public, as Yoti's is: the session token it carries is checked by the user-side
//! routes it calls (same-origin `fetch`, the token in `Authorization: Bearer`). It is one
//! static document, rendered once, with its style and script inline; it holds nothing from any
//! session, so nothing from a session is ever rendered into HTML on the server, and the script
//! puts what it reads into the page as text only.
//!
//! What the script does:
//!
//! * reads `sessionID` and `sessionToken` from the URL; loaded without either, it posts
//!   `{eventType: "STARTED"}` to its parent and starts on `{eventType: "INIT_SESSION",
//!   sessionID, sessionToken}` from it (or on a form, when opened on its own);
//! * shows the session's requirements and checks (the user-side configuration route), with a
//!   step per requirement: document type and country from the supported documents the
//!   configuration lists, optional uploads (without them the sandbox generates the images),
//!   the liveness capture; then an outcome per requested check and Finish;
//! * posts `{eventType: "SUCCESS"}` once the finish route has accepted (reports a response
//!   config delays may still be pending), or `{eventType: "ERROR", eventCode}`: 2000 (wrong, expired or deleted token), 2001 (no such session), 2002
//!   (session expired), 2003 (no token), 2004 (no session id), 3000 (the sandbox is
//!   unreachable or answers 5xx / 429), 7000 (the user says they lack the documents). When
//!   the session's `sdk_config` has `success_url` / `error_url` (read from the user-side
//!   status once the token is accepted), it navigates the top window there instead.
//!
//! Every answer carries a Content Security Policy that allows only the page's own inline
//! style and script (by hash) and `fetch` to its own origin, `X-Content-Type-Options:
//! nosniff`, `Referrer-Policy: no-referrer` (the URL holds the token) and `Cache-Control:
//! no-store`; framing is allowed (`frame-ancestors *`, no `X-Frame-Options`).

mod page;

use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Method, StatusCode, header};

use crate::server::Reply;

/// The page's path under the base path.
pub(crate) const PAGE_PATH: &str = "/web/index.html";

/// A reply from the web flow's routes, with the headers they all carry.
#[derive(Debug)]
pub(crate) struct WebReply {
    pub(crate) reply: Reply,
    pub(crate) headers: HeaderMap,
}

/// Serves `path` (relative to the base path) when it is under `/web`; `None` otherwise.
pub(crate) fn serve(method: &Method, path: &str) -> Option<WebReply> {
    if path != "/web" && !path.starts_with("/web/") {
        return None;
    }
    let mut headers = HeaderMap::new();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    let reply = if path != PAGE_PATH {
        text(
            StatusCode::NOT_FOUND,
            "not found: the web flow is at web/index.html\n",
        )
    } else if method != Method::GET && method != Method::HEAD {
        headers.insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        text(StatusCode::METHOD_NOT_ALLOWED, "method not allowed\n")
    } else {
        let page = page::page();
        headers.insert(header::CONTENT_SECURITY_POLICY, page.csp.clone());
        headers.insert(
            "permissions-policy",
            HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
        );
        Reply::ok("text/html; charset=utf-8", page.html.clone())
    };
    Some(WebReply { reply, headers })
}

fn text(status: StatusCode, body: &'static str) -> Reply {
    Reply::with_status(
        status,
        "text/plain; charset=utf-8",
        Bytes::from_static(body.as_bytes()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_under_web_are_served_here() {
        assert!(serve(&Method::GET, "/sessions").is_none());
        assert!(serve(&Method::GET, "/webhooks").is_none());
        assert!(serve(&Method::GET, "/user/sessions/x").is_none());

        let page = serve(&Method::GET, PAGE_PATH).expect("the page");
        assert_eq!(page.reply.status, StatusCode::OK);
        assert_eq!(page.reply.content_type, Some("text/html; charset=utf-8"));
        assert!(page.headers.contains_key(header::CONTENT_SECURITY_POLICY));
        assert_eq!(page.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert!(!page.headers.contains_key(header::X_FRAME_OPTIONS));

        let missing = serve(&Method::GET, "/web/other.js").expect("under /web");
        assert_eq!(missing.reply.status, StatusCode::NOT_FOUND);
        assert_eq!(missing.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert_eq!(
            serve(&Method::GET, "/web")
                .expect("under /web")
                .reply
                .status,
            StatusCode::NOT_FOUND
        );

        let post = serve(&Method::POST, PAGE_PATH).expect("under /web");
        assert_eq!(post.reply.status, StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(post.headers[header::ALLOW], "GET, HEAD");
        assert_eq!(
            serve(&Method::HEAD, PAGE_PATH).expect("HEAD").reply.status,
            StatusCode::OK
        );
    }
}
