//! The OAuth token endpoint and bearer tokens: a token for a valid client assertion, used in
//! place of the signature on API routes and bound to its app; expiry on the sandbox's clock;
//! revocation; every bad assertion refused in OAuth's error form; faults; the request log.

mod common;

use std::sync::Arc;

use common::*;
use idv_sandbox::{Fault, Route, Sandbox, SandboxHandle};
use idv_sign::{ClientAssertion, Clock, FixedClock, PrivateKey, RsaSigner, SystemClock};
use serde_json::json;

const FORM: (&str, &str) = ("content-type", "application/x-www-form-urlencoded");

/// The token URL a client addresses for this sandbox: the base URL and `/oauth/token`.
fn token_url(sandbox: &SandboxHandle) -> String {
    format!("{}/oauth/token", sandbox.base_url())
}

/// A client assertion for `sdk_id`, signed with `key_pem`, for `audience`, at `clock`'s time.
async fn assertion(sdk_id: &str, key_pem: &str, audience: &str, clock: &dyn Clock) -> String {
    let key = PrivateKey::from_pem(key_pem.as_bytes()).expect("key");
    ClientAssertion::new(sdk_id, audience)
        .sign(&RsaSigner::new(&key), clock)
        .await
        .expect("sign")
        .expose()
        .to_owned()
}

/// The test app's assertion for this sandbox's token URL, now.
async fn good_assertion(sandbox: &SandboxHandle) -> String {
    assertion(
        &keys().sdk_id,
        &keys().private_key_pem,
        &token_url(sandbox),
        &SystemClock,
    )
    .await
}

fn form(assertion: &str, scope: &str) -> String {
    let mut body = String::from(
        "grant_type=client_credentials&client_assertion_type=\
         urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=",
    );
    idv_sign::percent_encode_into(&mut body, assertion);
    body.push_str("&scope=");
    idv_sign::percent_encode_into(&mut body, scope);
    body
}

/// `POST {target}` with a form body (target: the raw path from the server's root).
async fn post_form(sandbox: &SandboxHandle, target: &str, body: &str) -> Reply {
    send_raw(sandbox, "POST", target, &[FORM], body.as_bytes())
        .await
        .expect("response")
}

fn token_path(sandbox: &SandboxHandle) -> String {
    format!("{}/oauth/token", base_path(sandbox))
}

/// Fetches a token for the test app; returns it.
async fn fetch_token(sandbox: &SandboxHandle) -> String {
    let body = form(&good_assertion(sandbox).await, "");
    let reply = post_form(sandbox, &token_path(sandbox), &body).await;
    assert_eq!(
        reply.status,
        200,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    reply.json()["access_token"]
        .as_str()
        .expect("access_token")
        .to_owned()
}

/// An unsigned request carrying `Authorization: Bearer <token>`.
async fn with_bearer(
    sandbox: &SandboxHandle,
    token: &str,
    method: &str,
    path: &str,
    body: &[u8],
) -> Reply {
    let authorization = format!("Bearer {token}");
    let target = format!("{}{path}", base_path(sandbox));
    let headers = [
        ("authorization", authorization.as_str()),
        ("content-type", "application/json"),
    ];
    send_raw(sandbox, method, &target, &headers, body)
        .await
        .expect("response")
}

fn oauth_error(reply: &Reply) -> String {
    let body = reply.json();
    assert!(body["error_description"].is_string(), "{body}");
    body["error"].as_str().expect("error").to_owned()
}

#[tokio::test]
async fn a_valid_assertion_gets_a_token_that_replaces_the_signature() {
    let sandbox = Sandbox::builder().test_app().start().await.expect("start");
    let body = form(&good_assertion(&sandbox).await, "idv:sessions idv:media");
    let reply = post_form(&sandbox, &token_path(&sandbox), &body).await;
    assert_eq!(
        reply.status,
        200,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    assert_eq!(
        reply.headers.get("cache-control").map(|v| v.as_bytes()),
        Some(&b"no-store"[..])
    );
    let issued = reply.json();
    assert_eq!(issued["token_type"], "Bearer");
    assert_eq!(issued["expires_in"], 3600);
    assert_eq!(issued["scope"], "idv:sessions idv:media");
    let token = issued["access_token"].as_str().expect("token").to_owned();
    assert!(token.len() >= 43, "at least 256 random bits");

    // No sdkId, nonce, timestamp or digest: the token is the app.
    let spec = serde_json::to_vec(&json!({"requested_checks": []})).expect("json");
    let reply = with_bearer(&sandbox, &token, "POST", "/sessions", &spec).await;
    assert_eq!(
        reply.status,
        201,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    let session_id = reply.json()["session_id"].as_str().expect("id").to_owned();
    let reply = with_bearer(
        &sandbox,
        &token,
        "GET",
        &format!("/sessions/{session_id}"),
        b"",
    )
    .await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json()["state"], "ONGOING");
    let reply = with_bearer(&sandbox, &token, "GET", "/supported-documents", b"").await;
    assert_eq!(reply.status, 200);

    let log = sandbox.request_log();
    let token_requests: Vec<_> = log
        .iter()
        .filter(|e| e.route == Some(Route::Token))
        .collect();
    assert_eq!(token_requests.len(), 1);
    assert_eq!(token_requests[0].status, Some(200));
    assert_eq!(
        token_requests[0].sdk_id.as_deref(),
        Some(keys().sdk_id.as_str())
    );
    let api: Vec<_> = log
        .iter()
        .filter(|e| e.route != Some(Route::Token))
        .collect();
    assert_eq!(api.len(), 3);
    for entry in api {
        assert!(
            entry.bearer_verified && !entry.signature_verified,
            "{entry:?}"
        );
        assert_eq!(entry.sdk_id.as_deref(), Some(keys().sdk_id.as_str()));
        assert_eq!(entry.nonce, None);
    }
    assert!(!format!("{log:?}").contains(&token));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn the_audience_is_the_url_the_request_came_to() {
    let sandbox = Sandbox::builder().test_app().start().await.expect("start");
    // Yoti's path from the server's root, for a client given `http://127.0.0.1:PORT/v1/oauth/token`.
    let root_url = format!("http://{}/v1/oauth/token", sandbox.local_addr());
    let root = assertion(
        &keys().sdk_id,
        &keys().private_key_pem,
        &root_url,
        &SystemClock,
    )
    .await;
    let reply = post_form(&sandbox, "/v1/oauth/token", &form(&root, "")).await;
    assert_eq!(
        reply.status,
        200,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );

    // An assertion for the base-path URL is not valid at the root path, nor the reverse.
    let based = good_assertion(&sandbox).await;
    let reply = post_form(&sandbox, "/v1/oauth/token", &form(&based, "")).await;
    assert_eq!(
        (reply.status.as_u16(), oauth_error(&reply)),
        (401, "invalid_client".to_owned())
    );
    let root = assertion(
        &keys().sdk_id,
        &keys().private_key_pem,
        &root_url,
        &SystemClock,
    )
    .await;
    let reply = post_form(&sandbox, &token_path(&sandbox), &form(&root, "")).await;
    assert_eq!(reply.status, 401);
    assert!(
        reply.json()["error_description"]
            .as_str()
            .expect("text")
            .contains("audience")
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn bad_assertions_and_requests_are_refused_in_oauth_form() {
    let sandbox = Sandbox::builder().test_app().start().await.expect("start");
    let url = token_url(&sandbox);
    let path = token_path(&sandbox);
    let sdk_id = &keys().sdk_id;

    let wrong_key = assertion(sdk_id, &other_keys().private_key_pem, &url, &SystemClock).await;
    let wrong_audience = assertion(
        sdk_id,
        &keys().private_key_pem,
        "https://auth.api.yoti.com/v1/oauth/token",
        &SystemClock,
    )
    .await;
    let an_hour_ago = FixedClock(SystemClock.now_millis() - 3_600_000);
    let expired = assertion(sdk_id, &keys().private_key_pem, &url, &an_hour_ago).await;
    let unknown_app = assertion("no-such-app", &keys().private_key_pem, &url, &SystemClock).await;
    for (why, jwt, needle) in [
        ("wrong key", &wrong_key, "signature"),
        ("wrong audience", &wrong_audience, "audience"),
        ("expired", &expired, "expired"),
        ("unknown app", &unknown_app, "registered application"),
        (
            "not a JWT",
            &"not-a-jwt".to_owned(),
            "registered application",
        ),
    ] {
        let reply = post_form(&sandbox, &path, &form(jwt, "")).await;
        assert_eq!(reply.status, 401, "{why}");
        assert_eq!(oauth_error(&reply), "invalid_client", "{why}");
        let description = reply.json()["error_description"]
            .as_str()
            .expect("text")
            .to_owned();
        assert!(description.contains(needle), "{why}: {description}");
        assert!(
            !String::from_utf8_lossy(&reply.body).contains(jwt.as_str()),
            "{why}"
        );
    }

    // A replayed assertion: accepted once, then refused.
    let once = good_assertion(&sandbox).await;
    assert_eq!(
        post_form(&sandbox, &path, &form(&once, "")).await.status,
        200
    );
    let replay = post_form(&sandbox, &path, &form(&once, "")).await;
    assert_eq!(replay.status, 401);
    assert!(
        replay.json()["error_description"]
            .as_str()
            .expect("text")
            .contains("jti")
    );

    // The request itself.
    let fresh = good_assertion(&sandbox).await;
    let cases: [(&str, String, u16, &str); 5] = [
        (
            "wrong grant",
            form(&fresh, "").replace("client_credentials", "password"),
            400,
            "unsupported_grant_type",
        ),
        (
            "no grant",
            form(&fresh, "").replace("grant_type=client_credentials&", ""),
            400,
            "invalid_request",
        ),
        (
            "wrong assertion type",
            form(&fresh, "").replace("jwt-bearer", "saml2-bearer"),
            400,
            "invalid_request",
        ),
        (
            "no assertion",
            "grant_type=client_credentials&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer".to_owned(),
            400,
            "invalid_request",
        ),
        ("repeated parameter", format!("{}&scope=x", form(&fresh, "")), 400, "invalid_request"),
    ];
    for (why, body, status, error) in cases {
        let reply = post_form(&sandbox, &path, &body).await;
        assert_eq!(reply.status, status, "{why}");
        assert_eq!(oauth_error(&reply), error, "{why}");
    }
    let json_body = send_raw(
        &sandbox,
        "POST",
        &path,
        &[("content-type", "application/json")],
        b"{}",
    )
    .await
    .expect("response");
    assert_eq!(
        (json_body.status.as_u16(), oauth_error(&json_body)),
        (400, "invalid_request".to_owned())
    );
    let get = send_raw(&sandbox, "GET", &path, &[], b"")
        .await
        .expect("response");
    assert_eq!(get.status, 405);
    assert_eq!(
        get.headers.get("allow").map(|v| v.as_bytes()),
        Some(&b"POST"[..])
    );
    let huge = format!("{}&pad={}", form(&fresh, ""), "a".repeat(20_000));
    let reply = post_form(&sandbox, &path, &huge).await;
    assert_eq!(
        (reply.status.as_u16(), oauth_error(&reply)),
        (400, "invalid_request".to_owned())
    );

    // The fresh assertion was never accepted by a failed request: it still buys a token.
    assert_eq!(
        post_form(&sandbox, &path, &form(&fresh, "")).await.status,
        200
    );
    let accepted = sandbox
        .request_log()
        .iter()
        .filter(|e| e.route == Some(Route::Token) && e.status == Some(200))
        .count();
    assert_eq!(accepted, 2);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn tokens_expire_on_the_sandbox_clock_and_can_be_revoked() {
    const T0: u64 = 1_700_000_000_000;
    let clock = ManualClock::at(T0);
    let sandbox = Sandbox::builder()
        .test_app()
        .clock(Arc::clone(&clock) as Arc<dyn Clock>)
        .bearer_token_lifetime(std::time::Duration::from_secs(60))
        .start()
        .await
        .expect("start");
    let jwt = assertion(
        &keys().sdk_id,
        &keys().private_key_pem,
        &token_url(&sandbox),
        &FixedClock(T0),
    )
    .await;
    let reply = post_form(&sandbox, &token_path(&sandbox), &form(&jwt, "")).await;
    assert_eq!(
        reply.status,
        200,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    assert_eq!(reply.json()["expires_in"], 60);
    let token = reply.json()["access_token"]
        .as_str()
        .expect("token")
        .to_owned();

    clock.set(T0 + 59_999);
    let reply = with_bearer(&sandbox, &token, "GET", "/supported-documents", b"").await;
    assert_eq!(reply.status, 200);
    clock.set(T0 + 60_000);
    let reply = with_bearer(&sandbox, &token, "GET", "/supported-documents", b"").await;
    assert_eq!(reply.status, 401);
    assert_eq!(reply.code(), "INVALID_TOKEN");

    // Revoked: refused at once, before the body is read.
    clock.set(T0 + 61_000);
    let jwt = assertion(
        &keys().sdk_id,
        &keys().private_key_pem,
        &token_url(&sandbox),
        &FixedClock(T0 + 61_000),
    )
    .await;
    let reply = post_form(&sandbox, &token_path(&sandbox), &form(&jwt, "")).await;
    let fresh = reply.json()["access_token"]
        .as_str()
        .expect("token")
        .to_owned();
    assert_eq!(
        with_bearer(&sandbox, &fresh, "GET", "/supported-documents", b"")
            .await
            .status,
        200
    );
    assert_eq!(sandbox.revoke_tokens(), 1, "the expired one does not count");
    let reply = with_bearer(&sandbox, &fresh, "POST", "/sessions", b"{}").await;
    assert_eq!(reply.status, 401);
    assert_eq!(reply.code(), "INVALID_TOKEN");
    assert_eq!(
        reply.headers.get("connection").map(|v| v.as_bytes()),
        Some(&b"close"[..]),
        "refused before its body was read"
    );
    assert_eq!(sandbox.created_sessions(), 0);
    let reply = with_bearer(
        &sandbox,
        "made-up-token",
        "GET",
        "/supported-documents",
        b"",
    )
    .await;
    assert_eq!(reply.status, 401);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_token_acts_for_its_own_app_only() {
    let other = other_keys();
    let sandbox = Sandbox::builder()
        .test_app()
        .app_keys(other)
        .start()
        .await
        .expect("start");
    let token = fetch_token(&sandbox).await;
    let config =
        serde_json::to_vec(&json!({"check_reports": {"async_report_delay": 0}})).expect("json");
    let other_app = format!("/apps/{}/response-config", other.sdk_id);
    let reply = with_bearer(&sandbox, &token, "PUT", &other_app, &config).await;
    assert_eq!(reply.status, 403);
    assert_eq!(reply.code(), "APP_MISMATCH");
    let own_app = format!("/apps/{}/response-config", keys().sdk_id);
    let reply = with_bearer(&sandbox, &token, "PUT", &own_app, &config).await;
    assert_eq!(
        reply.status,
        204,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );

    // The other app's assertion, with the test app's token URL, buys a token for the other app.
    let jwt = assertion(
        &other.sdk_id,
        &other.private_key_pem,
        &token_url(&sandbox),
        &SystemClock,
    )
    .await;
    let reply = post_form(&sandbox, &token_path(&sandbox), &form(&jwt, "")).await;
    let other_token = reply.json()["access_token"]
        .as_str()
        .expect("token")
        .to_owned();
    let reply = with_bearer(&sandbox, &other_token, "PUT", &other_app, &config).await;
    assert_eq!(reply.status, 204);
    let reply = with_bearer(&sandbox, &other_token, "PUT", &own_app, &config).await;
    assert_eq!(reply.status, 403);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn token_requests_take_faults_once_their_assertion_verified() {
    let sandbox = Sandbox::builder()
        .test_app()
        .fault(Route::Token, [Fault::service_unavailable()])
        .start()
        .await
        .expect("start");
    let path = token_path(&sandbox);
    // A refused assertion consumes no fault.
    let bad = assertion(
        &keys().sdk_id,
        &other_keys().private_key_pem,
        &token_url(&sandbox),
        &SystemClock,
    )
    .await;
    assert_eq!(
        post_form(&sandbox, &path, &form(&bad, "")).await.status,
        401
    );
    let jwt = good_assertion(&sandbox).await;
    assert_eq!(
        post_form(&sandbox, &path, &form(&jwt, "")).await.status,
        503
    );
    // The faulted request changed nothing: the same assertion is still unused.
    assert_eq!(
        post_form(&sandbox, &path, &form(&jwt, "")).await.status,
        200
    );
    let statuses: Vec<Option<u16>> = sandbox.request_log().iter().map(|e| e.status).collect();
    assert_eq!(statuses, [Some(401), Some(503), Some(200)]);
    sandbox.shutdown().await;
}
