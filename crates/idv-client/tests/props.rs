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
