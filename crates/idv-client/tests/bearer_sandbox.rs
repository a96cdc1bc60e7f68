//! Bearer-token authentication end to end against idv-sandbox's OAuth token endpoint on
//! loopback: the first fetch, one refresh shared by 100 concurrent calls, a short-lived token
//! refreshed before it expires, a revoked token answered by one refresh and one retry, and an
//! assertion signed with a key that is not the app's refused.
#![cfg(feature = "hyper")]

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use idv_client::{Authentication, ErrorKind, IdvClient, IdvClientBuilder, RetryPolicy};
use idv_model::spec::{RequestedCheck, SessionSpec};
use idv_sandbox::{
    AppKeys, Fault, PRODUCT_PAGE_SESSION_ID, RequestLogEntry, Route, Sandbox, SandboxBuilder,
    SandboxHandle, StatusCode, generate_app_keys,
};
use idv_sign::{Clock, SystemClock};

/// The app's key pair, and another one (generating RSA keys is slow in debug builds).
fn keys() -> &'static AppKeys {
    static KEYS: OnceLock<AppKeys> = OnceLock::new();
    KEYS.get_or_init(|| generate_app_keys().expect("keys"))
}

fn other_keys() -> &'static AppKeys {
    static KEYS: OnceLock<AppKeys> = OnceLock::new();
    KEYS.get_or_init(|| generate_app_keys().expect("keys"))
}

async fn start(builder: SandboxBuilder) -> SandboxHandle {
    builder.app_keys(keys()).start().await.expect("sandbox")
}

/// A client for the app in bearer mode, its token URL `{base}/oauth/token`, signing its
/// assertions with `key_pem`.
fn client_with_key(sandbox: &SandboxHandle, key_pem: &str) -> IdvClientBuilder {
    IdvClient::builder()
        .sdk_id(&keys().sdk_id)
        .key_pem(key_pem.as_bytes())
        .base_url(sandbox.base_url())
        .request_timeout(Duration::from_secs(10))
        .retry_policy(
            RetryPolicy::default()
                .with_initial_backoff(Duration::from_millis(10))
                .with_max_backoff(Duration::from_millis(50)),
        )
        .authentication(
            Authentication::bearer()
                .token_url(format!("{}/oauth/token", sandbox.base_url()))
                .scope("idv:sessions"),
        )
}

fn client(sandbox: &SandboxHandle) -> IdvClient {
    client_with_key(sandbox, &keys().private_key_pem)
        .build()
        .expect("client")
}

fn entries(sandbox: &SandboxHandle, route: Route) -> Vec<RequestLogEntry> {
    sandbox
        .request_log()
        .into_iter()
        .filter(|e| e.route == Some(route))
        .collect()
}

/// `(route, status)` of every logged request, in order.
fn routes_and_statuses(sandbox: &SandboxHandle) -> Vec<(Route, u16)> {
    sandbox
        .request_log()
        .iter()
        .map(|e| (e.route.expect("a route"), e.status.expect("a status")))
        .collect()
}

#[tokio::test]
async fn the_first_call_fetches_a_token_and_every_call_carries_it() {
    let sandbox = start(Sandbox::builder()).await;
    let client = client(&sandbox);
    let spec = SessionSpec::builder()
        .requested_check(RequestedCheck::document_authenticity())
        .build()
        .expect("spec");
    let created = client.create_session(&spec).await.expect("create");
    let session_id = created.session_id.clone().expect("session id");
    let session = client.get_session(&session_id).await.expect("get");
    assert_eq!(session.session_id.as_deref(), Some(session_id.as_str()));

    assert_eq!(
        routes_and_statuses(&sandbox),
        [
            (Route::Token, 200),
            (Route::CreateSession, 201),
            (Route::GetSession, 200)
        ]
    );
    let token = &entries(&sandbox, Route::Token)[0];
    assert_eq!(token.sdk_id.as_deref(), Some(keys().sdk_id.as_str()));
    for call in [Route::CreateSession, Route::GetSession] {
        let entry = &entries(&sandbox, call)[0];
        // No signature, nonce or timestamp: the token stands for the app.
        assert!(
            entry.bearer_verified && !entry.signature_verified,
            "{entry:?}"
        );
        assert_eq!(entry.nonce, None);
        assert_eq!(entry.sdk_id.as_deref(), Some(keys().sdk_id.as_str()));
    }
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_client_can_use_the_root_token_url() {
    let sandbox = start(Sandbox::product_page_demo()).await;
    let root = format!("http://{}/v1/oauth/token", sandbox.local_addr());
    let client = client_with_key(&sandbox, &keys().private_key_pem)
        .authentication(Authentication::bearer().token_url(root))
        .build()
        .expect("client");
    client
        .get_session(PRODUCT_PAGE_SESSION_ID)
        .await
        .expect("get");
    let token = &entries(&sandbox, Route::Token)[0];
    assert_eq!(
        (token.path.as_str(), token.status),
        ("/v1/oauth/token", Some(200))
    );
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_token_request_serves_100_concurrent_calls() {
    let sandbox = start(Sandbox::product_page_demo()).await;
    let client = client(&sandbox);
    let calls: Vec<_> = (0..100)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.get_session(PRODUCT_PAGE_SESSION_ID).await })
        })
        .collect();
    for call in calls {
        call.await.expect("task").expect("get");
    }
    assert_eq!(entries(&sandbox, Route::Token).len(), 1, "one shared fetch");
    let gets = entries(&sandbox, Route::GetSession);
    assert_eq!(gets.len(), 100);
    assert!(
        gets.iter()
            .all(|e| e.bearer_verified && e.status == Some(200))
    );
    sandbox.shutdown().await;
}

/// A clock the sandbox reads, fixed unless moved (so a token never expires on the sandbox's
/// side by accident while the test runs).
#[derive(Debug)]
struct FrozenClock(u64);

impl Clock for FrozenClock {
    fn now_millis(&self) -> u64 {
        self.0
    }
}

#[tokio::test]
async fn a_short_lived_token_is_refreshed_at_half_its_life_before_it_expires() {
    // A 1 s token: the client refreshes it once half its life is gone. The sandbox's clock
    // stands still, so the old token is still valid there: a new token request proves the
    // client refreshed on its own, not after a refusal.
    let clock = Arc::new(FrozenClock(SystemClock.now_millis()));
    let sandbox = start(
        Sandbox::product_page_demo()
            .clock(clock)
            .bearer_token_lifetime(Duration::from_secs(1)),
    )
    .await;
    let client = client(&sandbox);
    client
        .get_session(PRODUCT_PAGE_SESSION_ID)
        .await
        .expect("first");
    client
        .get_session(PRODUCT_PAGE_SESSION_ID)
        .await
        .expect("second");
    assert_eq!(entries(&sandbox, Route::Token).len(), 1, "still fresh");

    // Half of the token's life, and a margin (a sleep only ever lasts at least this long).
    tokio::time::sleep(Duration::from_millis(600)).await;
    client
        .get_session(PRODUCT_PAGE_SESSION_ID)
        .await
        .expect("third");
    assert_eq!(
        routes_and_statuses(&sandbox),
        [
            (Route::Token, 200),
            (Route::GetSession, 200),
            (Route::GetSession, 200),
            (Route::Token, 200),
            (Route::GetSession, 200),
        ],
        "refreshed before use, never refused"
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_revoked_token_is_answered_by_one_refresh_and_one_retry() {
    let sandbox = start(Sandbox::product_page_demo()).await;
    let client = client(&sandbox);
    client
        .get_session(PRODUCT_PAGE_SESSION_ID)
        .await
        .expect("first");
    assert_eq!(sandbox.revoke_tokens(), 1);
    client
        .get_session(PRODUCT_PAGE_SESSION_ID)
        .await
        .expect("recovered");
    assert_eq!(
        routes_and_statuses(&sandbox),
        [
            (Route::Token, 200),
            (Route::GetSession, 200),
            (Route::GetSession, 401),
            (Route::Token, 200),
            (Route::GetSession, 200),
        ]
    );

    // A refusal of the fresh token too is the call's answer: one refresh per call, not a loop.
    sandbox.clear_request_log();
    sandbox.add_faults(
        Route::GetSession,
        [
            Fault::status(StatusCode::UNAUTHORIZED),
            Fault::status(StatusCode::UNAUTHORIZED),
        ],
    );
    let error = client
        .get_session(PRODUCT_PAGE_SESSION_ID)
        .await
        .expect_err("refused twice");
    assert_eq!(error.kind(), ErrorKind::Api);
    assert_eq!(error.status(), Some(StatusCode::UNAUTHORIZED));
    assert_eq!(
        routes_and_statuses(&sandbox),
        [
            (Route::GetSession, 401),
            (Route::Token, 200),
            (Route::GetSession, 401),
        ]
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn an_assertion_signed_with_another_key_is_refused() {
    let sandbox = start(Sandbox::product_page_demo()).await;
    let client = client_with_key(&sandbox, &other_keys().private_key_pem)
        .build()
        .expect("client");
    let error = client
        .get_session(PRODUCT_PAGE_SESSION_ID)
        .await
        .expect_err("no token");
    assert_eq!(error.kind(), ErrorKind::Api);
    assert_eq!(error.status(), Some(StatusCode::UNAUTHORIZED));
    // The token endpoint refused it once (a 401 is not retried); no API request was sent.
    assert_eq!(routes_and_statuses(&sandbox), [(Route::Token, 401)]);
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains("eyJ"), "no assertion in the error: {shown}");
    sandbox.shutdown().await;
}
