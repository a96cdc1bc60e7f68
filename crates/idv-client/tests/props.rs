//! Property tests: whatever the id or base URL, the client either refuses before sending or
//! sends exactly the path it signed.

use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http::{Request, Response};
use idv_client::{ErrorKind, IdvClient};
use idv_sign::{SignError, Signer};
use idv_transport::transport_fn;
use proptest::prelude::*;

#[derive(Debug, Default)]
struct Recording(Mutex<Vec<String>>);

#[async_trait::async_trait]
impl Signer for Recording {
    async fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignError> {
        self.0
            .lock()
            .unwrap()
            .push(String::from_utf8_lossy(message).into_owned());
        Ok(vec![1; 256])
    }
}

const BODY: &[u8] = br#"{"session_id":"s","state":"ONGOING"}"#;

fn client(base: &str) -> (IdvClient, Arc<Mutex<Vec<http::Uri>>>, Arc<Recording>) {
    let sent: Arc<Mutex<Vec<http::Uri>>> = Arc::default();
    let sent2 = sent.clone();
    let signer = Arc::new(Recording::default());
    let client = IdvClient::builder()
        .sdk_id("sdk")
        .signer(signer.clone())
        .base_url(base)
        .transport(Arc::new(transport_fn(move |req: Request<Bytes>| {
            sent2.lock().unwrap().push(req.uri().clone());
            async {
                Ok(Response::builder()
                    .status(200)
                    .body(Bytes::from_static(BODY))
                    .unwrap())
            }
        })))
        .build()
        .unwrap();
    (client, sent, signer)
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(128),
        ..ProptestConfig::default()
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn prop_an_id_is_sent_verbatim_or_refused_unsent(id in prop_oneof![
        "[A-Za-z0-9_-]{1,40}",
        "\\PC{0,40}",
        "[a-z0-9/?#%. &=+\\\\-]{0,20}",
    ]) {
        let (client, sent, signer) = client("https://api.example.com/idverify/v1");
        let result = runtime().block_on(client.get_session(&id));
        let valid = !id.is_empty()
            && id.len() <= 128
            && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        let sent = sent.lock().unwrap();
        if valid {
            prop_assert!(result.is_ok());
            prop_assert_eq!(sent.len(), 1);
            prop_assert_eq!(sent[0].path(), format!("/idverify/v1/sessions/{id}"));
            let signed = signer.0.lock().unwrap();
            prop_assert_eq!(
                &signed[0],
                &format!("GET&/sessions/{id}?{}", sent[0].query().unwrap())
            );
        } else {
            prop_assert_eq!(result.unwrap_err().kind(), ErrorKind::InvalidArgument);
            prop_assert!(sent.is_empty());
        }
    }

    #[test]
    fn prop_base_url_slashes_never_change_the_signed_path(
        segments in proptest::collection::vec("[a-z0-9]{1,8}", 0..4),
        slashes in proptest::collection::vec(1usize..4, 0..4),
        trailing in 0usize..4,
    ) {
        let mut base = "https://api.example.com".to_owned();
        for (i, seg) in segments.iter().enumerate() {
            base.push_str(&"/".repeat(*slashes.get(i).unwrap_or(&1)));
            base.push_str(seg);
        }
        base.push_str(&"/".repeat(trailing));
        let (client, sent, signer) = client(&base);
        runtime().block_on(client.delete_session("abc")).unwrap();
        let sent = sent.lock().unwrap();
        let prefix: String = segments.iter().map(|s| format!("/{s}")).collect();
        prop_assert_eq!(sent[0].path(), format!("{prefix}/sessions/abc"));
        prop_assert!(signer.0.lock().unwrap()[0].starts_with("DELETE&/sessions/abc?sdkId=sdk&nonce="));
    }
}

/// A duration from anywhere in `Duration`'s range, the extremes included.
fn any_duration() -> impl Strategy<Value = std::time::Duration> {
    prop_oneof![
        Just(std::time::Duration::MAX),
        Just(std::time::Duration::ZERO),
        (any::<u64>(), 0u32..1_000_000_000).prop_map(|(s, n)| std::time::Duration::new(s, n)),
        (0u64..10_000).prop_map(std::time::Duration::from_millis),
    ]
}

proptest! {
    #![proptest_config(config())]

    /// No duration from a user or a server makes the client panic: every timeout, backoff and
    /// `Retry-After` value (seconds or a far-future date) is clamped or checked. (Paused clock:
    /// whatever the client waits for, the test does not.)
    #[test]
    fn prop_no_duration_panics(
        connect in any_duration(),
        request in any_duration(),
        read in any_duration(),
        overall in any_duration(),
        download in any_duration(),
        initial in any_duration(),
        max_backoff in any_duration(),
        max_retry_after in any_duration(),
        retry_after in prop_oneof![
            Just("99999999999999999999".to_owned()),
            any::<u64>().prop_map(|s| s.to_string()),
            Just("Fri, 31 Dec 9999 23:59:59 GMT".to_owned()),
            Just("Thu, 01 Jan 1970 00:00:00 GMT".to_owned()),
        ],
    ) {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .start_paused(true)
            .build()
            .unwrap();
        rt.block_on(async move {
            let built = IdvClient::builder()
                .sdk_id("sdk")
                .signer(Arc::new(Recording::default()))
                .transport(Arc::new(transport_fn(move |_req: Request<Bytes>| {
                    let retry_after = retry_after.clone();
                    async move {
                        Ok(Response::builder()
                            .status(503)
                            .header("retry-after", retry_after)
                            .body(Bytes::new())
                            .unwrap())
                    }
                })))
                .connect_timeout(connect)
                .request_timeout(request)
                .read_timeout(read)
                .overall_timeout(overall)
                .download_timeout(download)
                .retry_policy(
                    idv_client::RetryPolicy::default()
                        .with_max_attempts(3)
                        .with_initial_backoff(initial)
                        .with_max_backoff(max_backoff)
                        .with_max_retry_after(max_retry_after),
                )
                .build();
            let Ok(client) = built else {
                // Only a zero timeout is refused.
                prop_assert!(
                    [connect, request, read, overall, download].contains(&std::time::Duration::ZERO)
                );
                return Ok(());
            };
            let session = client.get_session("abc").await;
            prop_assert!(session.is_err());
            let media = client.get_media("abc", "m").await;
            prop_assert!(media.is_err());
            Ok(())
        })?;
    }
}
