//! The web flow's page over plain HTTP (no browser): served without authentication, with its
//! security headers, the same bytes whatever the session; and the user-side status that tells
//! it where `success_url` / `error_url` lead.

mod common;

use common::*;
use idv_sandbox::{Sandbox, SandboxHandle};
use serde_json::json;

async fn sandbox() -> SandboxHandle {
    Sandbox::builder().test_app().start().await.expect("start")
}

fn header<'a>(reply: &'a Reply, name: &str) -> Option<&'a str> {
    reply.headers.get(name).and_then(|v| v.to_str().ok())
}

#[tokio::test]
async fn the_page_is_public_framable_and_locked_down() {
    let sandbox = sandbox().await;
    let session = created(&sandbox, &json!({})).await;
    let page = format!("{}/web/index.html", base_path(&sandbox));
    let with_session = format!(
        "{page}?sessionID={}&sessionToken={}",
        session.session_id, session.token
    );

    let bare = send_raw(&sandbox, "GET", &page, &[], b"")
        .await
        .expect("response");
    assert_eq!(bare.status, 200);
    assert_eq!(bare.content_type(), Some("text/html; charset=utf-8"));
    let html = std::str::from_utf8(&bare.body).expect("UTF-8");
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));

    let csp = header(&bare, "content-security-policy").expect("a CSP");
    for directive in [
        "default-src 'none'",
        "script-src 'sha256-",
        "style-src 'sha256-",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors *",
    ] {
        assert!(csp.contains(directive), "{directive} in {csp}");
    }
    assert!(!csp.contains("unsafe-"), "{csp}");
    assert_eq!(header(&bare, "x-content-type-options"), Some("nosniff"));
    assert_eq!(header(&bare, "referrer-policy"), Some("no-referrer"));
    assert_eq!(header(&bare, "cache-control"), Some("no-store"));
    assert_eq!(header(&bare, "x-frame-options"), None, "framing is allowed");

    // The page holds nothing from a session: the same bytes, with or without one.
    let framed = send_raw(&sandbox, "GET", &with_session, &[], b"")
        .await
        .expect("response");
    assert_eq!(framed.status, 200);
    assert_eq!(framed.body, bare.body);
    assert!(!html.contains(&session.token));

    let head = send_raw(&sandbox, "HEAD", &page, &[], b"")
        .await
        .expect("response");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    let post = send_raw(&sandbox, "POST", &page, &[], b"x")
        .await
        .expect("response");
    assert_eq!(post.status, 405);
    assert_eq!(header(&post, "allow"), Some("GET, HEAD"));
    assert_eq!(
        header(&post, "connection"),
        Some("close"),
        "its body is left unread"
    );
    let other = format!("{}/web/flow.js", base_path(&sandbox));
    let missing = send_raw(&sandbox, "GET", &other, &[], b"")
        .await
        .expect("response");
    assert_eq!(missing.status, 404);
    assert_eq!(header(&missing, "x-content-type-options"), Some("nosniff"));

    // Logged like every request, without its query (the token).
    let log = sandbox.request_log();
    let entry = log
        .iter()
        .rev()
        .find(|e| e.path == page && e.method == "GET")
        .expect("logged");
    assert_eq!(entry.status, Some(200));
    assert!(!entry.signature_verified && !entry.token_verified);
    assert!(log.iter().all(|e| !e.path.contains(&session.token)));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn the_page_follows_the_base_path() {
    let sandbox = Sandbox::builder()
        .test_app()
        .base_path("/sandbox/idv")
        .start()
        .await
        .expect("start");
    let at_base = send_raw(&sandbox, "GET", "/sandbox/idv/web/index.html", &[], b"")
        .await
        .expect("response");
    assert_eq!(at_base.status, 200);
    let elsewhere = send_raw(&sandbox, "GET", "/idverify/v1/web/index.html", &[], b"")
        .await
        .expect("response");
    assert_eq!(elsewhere.status, 404);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn the_user_status_says_where_success_and_error_lead() {
    let sandbox = sandbox().await;
    let with_urls = created(
        &sandbox,
        &json!({"sdk_config": {
            "success_url": "https://example.com/done?x=1",
            "error_url": "https://example.com/failed"
        }}),
    )
    .await;
    let status = with_urls.user(&sandbox).status().await.expect("status");
    assert_eq!(
        status.success_url.as_deref(),
        Some("https://example.com/done?x=1")
    );
    assert_eq!(
        status.error_url.as_deref(),
        Some("https://example.com/failed")
    );

    let without = created(&sandbox, &json!({})).await;
    let status = without.user(&sandbox).status().await.expect("status");
    assert_eq!((status.success_url, status.error_url), (None, None));
    let raw = send_raw(
        &sandbox,
        "GET",
        &format!(
            "{}/user/sessions/{}",
            base_path(&sandbox),
            without.session_id
        ),
        &[("authorization", &format!("Bearer {}", without.token))],
        b"",
    )
    .await
    .expect("response");
    let json = raw.json();
    assert!(
        json.get("success_url").is_none() && json.get("error_url").is_none(),
        "absent, not null: {json}"
    );
    sandbox.shutdown().await;
}
