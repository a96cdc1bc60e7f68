//! Plain `http://` reaches loopback only: the target is checked before anything happens, and the
//! addresses a name resolves to are checked before connecting. Resolvers here are custom ones
//! that answer without DNS; a non-loopback answer is never connected to.
#![cfg(feature = "hyper")]

mod common;

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use bytes::Bytes;
use http::{Request, Response};
use idv_transport::{BoxError, DnsResolver, SendOptions, Transport, TransportErrorKind};

use common::{full, serve, test_pki};

fn get(url: &str) -> Request<Bytes> {
    Request::get(url).body(Bytes::new()).expect("request")
}

/// Answers every name with fixed addresses (or an error) and counts the look-ups and names.
#[derive(Debug)]
struct FixedResolver {
    answer: Result<Vec<IpAddr>, &'static str>,
    lookups: AtomicUsize,
    names: std::sync::Mutex<Vec<String>>,
}

impl FixedResolver {
    fn new(answer: Result<Vec<IpAddr>, &'static str>) -> Arc<Self> {
        Arc::new(Self {
            answer,
            lookups: AtomicUsize::new(0),
            names: std::sync::Mutex::new(Vec::new()),
        })
    }

    fn lookups(&self) -> usize {
        self.lookups.load(Ordering::SeqCst)
    }
}

#[async_trait]
impl DnsResolver for FixedResolver {
    async fn resolve(&self, host: &str) -> Result<Vec<IpAddr>, BoxError> {
        self.lookups.fetch_add(1, Ordering::SeqCst);
        self.names.lock().unwrap().push(host.to_owned());
        self.answer.clone().map_err(Into::into)
    }
}

/// TEST-NET-1 (RFC 5737): never routed, and never connected to here.
const ELSEWHERE: IpAddr = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1));
const LOOPBACK: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

#[tokio::test]
async fn plain_http_to_non_loopback_is_refused_without_connecting() {
    let resolver = FixedResolver::new(Ok(vec![ELSEWHERE]));
    let transport = common::builder()
        .connect_timeout(Duration::from_secs(1))
        .dns_resolver(resolver.clone())
        .build()
        .unwrap();
    for url in [
        "http://api.yoti.com/idverify/v1/sessions?nonce=abc",
        "http://10.0.0.1:8080/x",
        "http://127.0.0.1.nip.io/x",
        // A fully qualified `localhost.` is looked up through DNS like any other name.
        "http://localhost./x",
        "http://LOCALHOST.:8080/x?nonce=abc",
        "http://[::ffff:10.0.0.1]/x",
    ] {
        let err = transport
            .send(get(url), &SendOptions::default())
            .await
            .unwrap_err();
        assert_eq!(
            err.kind(),
            TransportErrorKind::InsecureScheme,
            "{url}: {err}"
        );
        assert!(err.to_string().contains("loopback"), "{err}");
        assert!(!err.to_string().contains("nonce"), "{err}");
    }
    assert_eq!(resolver.lookups(), 0, "refused before resolving");
    let err = transport
        .send(get("/relative"), &SendOptions::default())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::InvalidRequest);
}

#[tokio::test]
async fn localhost_and_ipv6_loopback_are_allowed_over_http() {
    let server = serve(None, |_req| async move { Response::new(full("ok")) }).await;
    let transport = common::builder().build().unwrap();
    for host in ["localhost", "LocalHost", "127.0.0.1"] {
        let url = format!("http://{host}:{}/x", server.addr.port());
        let response = transport
            .send(get(&url), &SendOptions::default())
            .await
            .unwrap();
        assert_eq!(response.body().as_ref(), b"ok", "{host}");
    }
}

#[tokio::test]
async fn localhost_resolving_elsewhere_is_refused_before_connecting() {
    let server = serve(None, |_req| async move { Response::new(full("ok")) }).await;
    let port = server.addr.port();
    // A hostile or broken resolver: `localhost` is elsewhere, alone or beside a loopback
    // address.
    for answer in [vec![ELSEWHERE], vec![LOOPBACK, ELSEWHERE]] {
        let resolver = FixedResolver::new(Ok(answer.clone()));
        let transport = common::builder()
            .dns_resolver(resolver.clone())
            .build()
            .unwrap();
        for send_streaming in [false, true] {
            let request = get(&format!("http://localhost:{port}/x?nonce=s3cret"));
            let err = if send_streaming {
                transport
                    .send_streaming(request, &SendOptions::default())
                    .await
                    .unwrap_err()
            } else {
                transport
                    .send(request, &SendOptions::default())
                    .await
                    .unwrap_err()
            };
            assert_eq!(err.kind(), TransportErrorKind::InsecureScheme, "{err}");
            assert!(!err.is_retryable());
            let text = err.to_string();
            assert!(
                text.contains("192.0.2.1") && text.contains("not a loopback address"),
                "{text}"
            );
            assert!(!text.contains("s3cret"), "{text}");
        }
        assert_eq!(resolver.lookups(), 2, "{answer:?}");
        assert_eq!(*resolver.names.lock().unwrap(), ["localhost", "localhost"]);
    }
    assert_eq!(server.connections(), 0, "nothing connected anywhere");
}

#[tokio::test]
async fn localhost_resolving_to_loopback_connects() {
    let server = serve(None, |_req| async move { Response::new(full("ok")) }).await;
    let resolver = FixedResolver::new(Ok(vec![IpAddr::V6(Ipv6Addr::LOCALHOST), LOOPBACK]));
    let transport = common::builder()
        .dns_resolver(resolver.clone())
        .build()
        .unwrap();
    let url = format!("http://localhost:{}/x", server.addr.port());
    let response = transport
        .send(get(&url), &SendOptions::default())
        .await
        .unwrap();
    assert_eq!(response.body().as_ref(), b"ok");
    assert_eq!(resolver.lookups(), 1);
    assert_eq!(server.connections(), 1);
}

#[tokio::test]
async fn the_resolver_is_used_for_https_too() {
    let pki = test_pki();
    let server = serve(Some(pki.server_config.clone()), |_req| async move {
        Response::new(full("ok"))
    })
    .await;
    let resolver = FixedResolver::new(Ok(vec![LOOPBACK]));
    let transport = common::builder()
        .add_root_certificate_pem(pki.ca_pem.as_bytes())
        .dns_resolver(resolver.clone())
        .build()
        .unwrap();
    let response = transport
        .send(get(&server.https_url("/")), &SendOptions::default())
        .await
        .unwrap();
    assert_eq!(response.body().as_ref(), b"ok");
    assert_eq!(resolver.lookups(), 1);
}

#[tokio::test]
async fn a_failed_or_empty_lookup_is_a_connect_error() {
    for answer in [Err("no such host"), Ok(vec![])] {
        let resolver = FixedResolver::new(answer.clone());
        let transport = common::builder().dns_resolver(resolver).build().unwrap();
        let err = transport
            .send(get("http://localhost:9/x"), &SendOptions::default())
            .await
            .unwrap_err();
        assert_eq!(err.kind(), TransportErrorKind::Connect, "{answer:?}: {err}");
        assert!(err.is_retryable());
    }
}
