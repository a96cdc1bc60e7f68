//! Bearer-token authentication through the public API, with an in-memory token endpoint and API:
//! the first fetch, one refresh shared by concurrent calls, expiry (paused clock), a refused token
//! replaced once, and no token in Debug or errors.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http::{Request, Response};
use idv_client::{Authentication, ErrorKind, IdvClient};
use idv_sign::{PrivateKey, SystemClock};
use idv_transport::transport_fn;

const TOKEN_URL: &str = "https://auth.example.com/v1/oauth/token";
const SESSION: &str = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";
const ONGOING: &[u8] =
    br#"{"session_id":"aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee","state":"ONGOING"}"#;

fn key_pem() -> Vec<u8> {
    std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/signing/TEST-ONLY-key.pkcs8.pem"
    ))
    .unwrap()
}

/// What the fake servers saw, and how they answer.
#[derive(Default)]
struct World {
    token_requests: Mutex<Vec<String>>,
    api_auth: Mutex<Vec<(String, String)>>,
    issued: AtomicUsize,
    /// Tokens the API refuses (revoked).
    revoked: Mutex<Vec<String>>,
    expires_in: AtomicUsize,
}

fn client(world: Arc<World>) -> IdvClient {
    let w = world.clone();
    let transport = transport_fn(move |req: Request<Bytes>| {
        let w = w.clone();
        async move {
            if req.uri().host() == Some("auth.example.com") {
                // Let concurrent callers pile up behind the one fetch.
                tokio::time::sleep(Duration::from_millis(20)).await;
                w.token_requests
                    .lock()
                    .unwrap()
                    .push(String::from_utf8(req.body().to_vec()).unwrap());
                let n = w.issued.fetch_add(1, Ordering::SeqCst);
                let body = format!(
                    r#"{{"access_token":"tok-{n}","token_type":"Bearer","expires_in":{},"scope":"s"}}"#,
                    w.expires_in.load(Ordering::SeqCst)
                );
                return Ok(Response::builder()
                    .status(200)
                    .header("content-type", "application/json")
                    .body(Bytes::from(body))
                    .unwrap());
            }
            let auth = req
                .headers()
                .get("authorization")
                .map(|v| v.to_str().unwrap().to_owned())
                .unwrap_or_default();
            w.api_auth
                .lock()
                .unwrap()
                .push((auth.clone(), req.uri().to_string()));
            let token = auth.strip_prefix("Bearer ").unwrap_or("");
            let refused = token.is_empty() || w.revoked.lock().unwrap().iter().any(|t| t == token);
            Ok(if refused {
                Response::builder()
                    .status(401)
                    .body(Bytes::from_static(br#"{"code":"UNAUTHORIZED"}"#))
                    .unwrap()
            } else {
                Response::builder()
                    .status(200)
                    .body(Bytes::from_static(ONGOING))
                    .unwrap()
            })
        }
    });
    IdvClient::builder()
        .sdk_id("11111111-2222-4333-8444-555555555555")
        .key_pem(key_pem())
        .transport(Arc::new(transport))
        .authentication(
            Authentication::bearer()
                .token_url(TOKEN_URL)
                .scope("idv:read"),
        )
        .build()
        .unwrap()
}

fn world(expires_in: usize) -> Arc<World> {
    let w = Arc::new(World::default());
    w.expires_in.store(expires_in, Ordering::SeqCst);
    w
}

fn form_value<'a>(form: &'a str, key: &str) -> &'a str {
    form.split('&')
        .find_map(|kv| kv.strip_prefix(&format!("{key}=")))
        .unwrap()
}

#[tokio::test]
async fn the_first_call_fetches_a_token_with_a_signed_assertion() {
    let w = world(3600);
    let client = client(w.clone());
    client.get_session(SESSION).await.unwrap();

    let forms = w.token_requests.lock().unwrap();
    assert_eq!(forms.len(), 1);
    let form = &forms[0];
    assert_eq!(form_value(form, "grant_type"), "client_credentials");
    assert_eq!(
        form_value(form, "client_assertion_type"),
        "urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer"
    );
    assert_eq!(form_value(form, "scope"), "idv%3Aread");
    // The assertion verifies against the app's public key, for this token URL.
    let jwt = form_value(form, "client_assertion");
    let key = PrivateKey::from_pem(&key_pem()).unwrap();
    let public = key.public_key();
    let claims = idv_sign::verify_client_assertion(&public, jwt, TOKEN_URL, &SystemClock).unwrap();
    assert_eq!(claims.issuer(), "sdk:11111111-2222-4333-8444-555555555555");

    // The API request carries the token and none of the signing parameters.
    let api = w.api_auth.lock().unwrap();
    assert_eq!(api[0].0, "Bearer tok-0");
    assert!(
        !api[0].1.contains("sdkId") && !api[0].1.contains("nonce"),
        "{}",
        api[0].1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_calls_share_one_token_fetch() {
    let w = world(3600);
    let client = client(w.clone());
    let calls: Vec<_> = (0..100)
        .map(|_| {
            let c = client.clone();
            tokio::spawn(async move { c.get_session(SESSION).await })
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }
    assert_eq!(w.token_requests.lock().unwrap().len(), 1);
    assert_eq!(w.api_auth.lock().unwrap().len(), 100);
}

#[tokio::test(start_paused = true)]
async fn a_token_is_refreshed_before_it_expires() {
    let w = world(300);
    let client = client(w.clone());
    client.get_session(SESSION).await.unwrap();
    // 300 s tokens are refreshed 60 s early.
    tokio::time::advance(Duration::from_secs(200)).await;
    client.get_session(SESSION).await.unwrap();
    assert_eq!(w.token_requests.lock().unwrap().len(), 1);
    tokio::time::advance(Duration::from_secs(45)).await;
    client.get_session(SESSION).await.unwrap();
    assert_eq!(w.token_requests.lock().unwrap().len(), 2);
    let auth: Vec<String> = w
        .api_auth
        .lock()
        .unwrap()
        .iter()
        .map(|a| a.0.clone())
        .collect();
    assert_eq!(auth, ["Bearer tok-0", "Bearer tok-0", "Bearer tok-1"]);
}

#[tokio::test]
async fn a_refused_token_is_replaced_once_and_the_request_sent_again() {
    let w = world(3600);
    let client = client(w.clone());
    client.get_session(SESSION).await.unwrap();
    w.revoked.lock().unwrap().push("tok-0".into());
    client.get_session(SESSION).await.unwrap();
    let auth: Vec<String> = w
        .api_auth
        .lock()
        .unwrap()
        .iter()
        .map(|a| a.0.clone())
        .collect();
    assert_eq!(auth, ["Bearer tok-0", "Bearer tok-0", "Bearer tok-1"]);
    assert_eq!(w.token_requests.lock().unwrap().len(), 2);

    // When the new token is refused too, the 401 is the answer: one refresh per call.
    w.revoked.lock().unwrap().push("tok-1".into());
    w.revoked.lock().unwrap().push("tok-2".into());
    let err = client.get_session(SESSION).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(w.token_requests.lock().unwrap().len(), 3);
    for shown in [err.to_string(), format!("{err:?}"), format!("{client:?}")] {
        assert!(!shown.contains("tok-"), "{shown}");
    }
}

#[tokio::test]
async fn a_plain_http_token_url_off_loopback_is_refused() {
    let err = IdvClient::builder()
        .sdk_id("sdk")
        .key_pem(key_pem())
        .authentication(Authentication::bearer().token_url("http://auth.example.com/token"))
        .build()
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Configuration);
}
