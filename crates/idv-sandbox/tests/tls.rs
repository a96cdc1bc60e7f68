//! TLS with a generated certificate (trusting the exposed CA PEM) or a given one.

mod common;

use std::sync::Arc;

use bytes::Bytes;
use common::*;
use http_body_util::{BodyExt, Full};
use hyper_util::rt::TokioIo;
use idv_sandbox::{PRODUCT_PAGE_SESSION_ID, PRODUCT_PAGE_STAGES, Sandbox, SandboxHandle};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, ServerName};
use tokio::net::TcpStream;

async fn get_over_tls(
    sandbox: &SandboxHandle,
    trust_pem: &str,
    host: &str,
) -> Result<(u16, Bytes), String> {
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(trust_pem.as_bytes()) {
        roots
            .add(cert.map_err(|e| e.to_string())?)
            .map_err(|e| e.to_string())?;
    }
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::aws_lc_rs::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| e.to_string())?
    .with_root_certificates(roots)
    .with_no_client_auth();
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let tcp = TcpStream::connect(sandbox.local_addr())
        .await
        .map_err(|e| e.to_string())?;
    let name = ServerName::try_from(host.to_owned()).map_err(|e| e.to_string())?;
    let tls = connector
        .connect(name, tcp)
        .await
        .map_err(|e| e.to_string())?;
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(tls))
        .await
        .map_err(|e| e.to_string())?;
    tokio::spawn(conn);
    let signed = sign(
        &signer(),
        "GET",
        &format!("/sessions/{PRODUCT_PAGE_SESSION_ID}"),
        b"",
    )
    .await;
    let mut request = http::Request::builder()
        .uri(format!("/idverify/v1{}", signed.path_and_query()))
        .header("host", host);
    for (name, value) in signed.headers() {
        request = request.header(name, value);
    }
    let response = sender
        .send_request(
            request
                .body(Full::new(Bytes::new()))
                .map_err(|e| e.to_string())?,
        )
        .await
        .map_err(|e| e.to_string())?;
    let status = response.status().as_u16();
    let body = response
        .into_body()
        .collect()
        .await
        .map_err(|e| e.to_string())?
        .to_bytes();
    Ok((status, body))
}

#[tokio::test]
async fn generated_certificate_is_trusted_through_the_ca_pem() {
    let sandbox = Sandbox::product_page_demo()
        .test_app()
        .tls()
        .start()
        .await
        .expect("start");
    assert!(sandbox.base_url().starts_with("https://127.0.0.1:"));
    let ca = sandbox.ca_pem().expect("CA PEM").to_owned();
    assert!(ca.starts_with("-----BEGIN CERTIFICATE-----"));
    for host in ["127.0.0.1", "localhost"] {
        let (status, body) = get_over_tls(&sandbox, &ca, host)
            .await
            .expect("TLS request");
        assert_eq!(status, 200);
        assert!(body[..] == *PRODUCT_PAGE_STAGES[0] || body[..] == *PRODUCT_PAGE_STAGES[1]);
    }
    // A client that does not trust the CA cannot connect.
    let other = Sandbox::builder().tls().start().await.expect("start");
    let untrusted = get_over_tls(&sandbox, other.ca_pem().expect("pem"), "localhost").await;
    assert!(untrusted.is_err());
    // Plain HTTP on the TLS port gets no HTTP answer.
    let plain = send_raw(&sandbox, "GET", "/idverify/v1/sessions/x", &[], b"").await;
    assert!(plain.is_err());
    other.shutdown().await;
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_given_certificate_is_used() {
    let cert = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).expect("cert");
    let cert_pem = cert.cert.pem();
    let sandbox = Sandbox::product_page_demo()
        .test_app()
        .tls_with(cert_pem.clone(), cert.signing_key.serialize_pem())
        .start()
        .await
        .expect("start");
    assert_eq!(sandbox.ca_pem(), None);
    let (status, body) = get_over_tls(&sandbox, &cert_pem, "localhost")
        .await
        .expect("TLS request");
    assert_eq!((status, &body[..]), (200, PRODUCT_PAGE_STAGES[0]));
    sandbox.shutdown().await;

    let broken = Sandbox::builder()
        .tls_with("not a pem", "nor this")
        .start()
        .await;
    assert!(matches!(broken, Err(idv_sandbox::SandboxError::Tls(_))));
}
