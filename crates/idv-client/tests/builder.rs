//! Builder configuration, defaults and Debug safety.

mod common;

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use common::*;
use http::Request;
use idv_client::{ErrorKind, IdvClient};
use idv_transport::transport_fn;

#[test]
fn client_is_clone_send_sync_and_debug_is_safe() {
    fn assert_traits<T: Clone + Send + Sync + 'static>() {}
    assert_traits::<IdvClient>();
    let f = fake(ok_session);
    let dbg = format!("{:?}", f.client);
    assert!(
        dbg.contains("api.example.com") && dbg.contains(SDK_ID),
        "{dbg}"
    );

    // With a real key, neither the builder's nor the client's Debug shows any of it.
    let pem = std::fs::read_to_string(fixture("TEST-ONLY-key.pkcs8.pem")).unwrap();
    let key_lines: Vec<&str> = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let builder = IdvClient::builder()
        .sdk_id(SDK_ID)
        .key_pem(pem.as_bytes())
        .transport(Arc::new(transport_fn(|_req: Request<Bytes>| async {
            Ok(response(200, None, b""))
        })));
    let builder_dbg = format!("{builder:?}");
    let client_dbg = format!("{:?}", builder.build().unwrap());
    for dbg in [&builder_dbg, &client_dbg] {
        assert!(!dbg.contains("PRIVATE KEY"), "{dbg}");
        for line in key_lines.iter().filter(|l| l.len() >= 16) {
            assert!(!dbg.contains(&line[..16]), "key material in {dbg}");
        }
    }
}

#[test]
fn builder_configuration_errors() {
    let t = || {
        Arc::new(transport_fn(|_req: Request<Bytes>| async {
            Ok(response(200, None, b""))
        }))
    };
    let signer = || Arc::new(RecordingSigner::default());
    let cases: Vec<(&str, idv_client::IdvClientBuilder)> = vec![
        (
            "no sdk id",
            IdvClient::builder().signer(signer()).transport(t()),
        ),
        ("no key", IdvClient::builder().sdk_id(SDK_ID).transport(t())),
        (
            "bad key",
            IdvClient::builder()
                .sdk_id(SDK_ID)
                .key_pem(b"not a key".to_vec())
                .transport(t()),
        ),
        (
            "missing key file",
            IdvClient::builder()
                .sdk_id(SDK_ID)
                .key_file("/nonexistent/key.pem")
                .transport(t()),
        ),
        (
            "bad base",
            IdvClient::builder()
                .sdk_id(SDK_ID)
                .signer(signer())
                .transport(t())
                .base_url("ftp://x"),
        ),
        (
            "zero timeout",
            IdvClient::builder()
                .sdk_id(SDK_ID)
                .signer(signer())
                .transport(t())
                .overall_timeout(Duration::ZERO),
        ),
        (
            "roots with own transport",
            IdvClient::builder()
                .sdk_id(SDK_ID)
                .signer(signer())
                .transport(t())
                .add_root_certificate_pem(b"x".to_vec()),
        ),
        (
            "bad user agent",
            IdvClient::builder()
                .sdk_id(SDK_ID)
                .signer(signer())
                .transport(t())
                .user_agent_suffix("a\nb"),
        ),
    ];
    for (name, b) in cases {
        let e = b.build().expect_err(name);
        assert_eq!(e.kind(), ErrorKind::Configuration, "{name}: {e}");
        assert!(!e.to_string().contains('\n'), "{name}");
    }
    // The builder's Debug never shows the PEM.
    let b = IdvClient::builder().key_pem(b"-----BEGIN PRIVATE KEY-----SECRET".to_vec());
    assert!(!format!("{b:?}").contains("SECRET"));
}

#[test]
fn default_base_url_is_production() {
    let client = IdvClient::builder()
        .sdk_id(SDK_ID)
        .signer(Arc::new(RecordingSigner::default()))
        .transport(Arc::new(transport_fn(|_req: Request<Bytes>| async {
            Ok(response(200, None, b""))
        })))
        .build()
        .unwrap();
    assert_eq!(client.base_url(), idv_client::PRODUCTION_BASE_URL);
    assert_eq!(
        idv_client::SANDBOX_BASE_URL,
        "https://api.yoti.com/sandbox/idverify/v1"
    );
}
