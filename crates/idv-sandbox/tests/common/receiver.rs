//! A notification receiver on loopback for tests: a tiny hyper server (plain, or TLS with its
//! own throwaway CA) that answers the first requests with a scripted status and records every
//! request it gets.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http::{Request, Response, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::Notify;

/// One request the receiver got, and what it answered.
#[derive(Debug, Clone)]
pub struct Received {
    pub path: String,
    pub authorization: Option<Vec<u8>>,
    pub content_type: Option<String>,
    pub body: Bytes,
    pub answered: u16,
}

impl Received {
    pub fn accepted(&self) -> bool {
        (200..300).contains(&self.answered)
    }
}

#[derive(Default)]
struct State {
    /// How many requests still get `failure` before the receiver accepts.
    failures_left: AtomicUsize,
    failure: Mutex<Option<StatusCode>>,
    requests: Mutex<Vec<Received>>,
    changed: Notify,
}

/// A running receiver.
pub struct Receiver {
    pub addr: SocketAddr,
    /// The PEM of the CA that issued its certificate (TLS only).
    pub ca_pem: Option<String>,
    state: Arc<State>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Receiver {
    /// A plain-HTTP receiver: answers `failure` to the first `failures` requests, then 200.
    pub async fn start(failures: usize, failure: StatusCode) -> Self {
        Self::start_with(failures, failure, None).await
    }

    /// A receiver that never accepts (always `failure`).
    pub async fn refusing(failure: StatusCode) -> Self {
        Self::start(usize::MAX, failure).await
    }

    /// A receiver over TLS, its certificate (for `localhost` and `127.0.0.1`) issued by a
    /// throwaway CA ([`Receiver::ca_pem`]).
    pub async fn start_tls() -> Self {
        let (config, ca_pem) = tls_config();
        let mut receiver = Self::start_with(0, StatusCode::OK, Some(config)).await;
        receiver.ca_pem = Some(ca_pem);
        receiver
    }

    async fn start_with(
        failures: usize,
        failure: StatusCode,
        tls: Option<Arc<rustls::ServerConfig>>,
    ) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let state = Arc::new(State {
            failures_left: AtomicUsize::new(failures),
            failure: Mutex::new(Some(failure)),
            ..State::default()
        });
        let acceptor = tls.map(tokio_rustls::TlsAcceptor::from);
        let serving = Arc::clone(&state);
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let state = Arc::clone(&serving);
                let acceptor = acceptor.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |req| answer(Arc::clone(&state), req));
                    let http = hyper::server::conn::http1::Builder::new();
                    match acceptor {
                        Some(acceptor) => {
                            if let Ok(stream) = acceptor.accept(stream).await {
                                let _ = http.serve_connection(TokioIo::new(stream), service).await;
                            }
                        }
                        None => {
                            let _ = http.serve_connection(TokioIo::new(stream), service).await;
                        }
                    }
                });
            }
        });
        Self {
            addr,
            ca_pem: None,
            state,
            task,
        }
    }

    /// `http://127.0.0.1:PORT{path}` (or `https://localhost:PORT{path}` over TLS).
    pub fn url(&self, path: &str) -> String {
        match self.ca_pem {
            Some(_) => format!("https://localhost:{}{path}", self.addr.port()),
            None => format!("http://{}{path}", self.addr),
        }
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<Received> {
        self.state.requests.lock().unwrap().clone()
    }

    /// The accepted requests, in order.
    pub fn accepted(&self) -> Vec<Received> {
        self.requests()
            .into_iter()
            .filter(Received::accepted)
            .collect()
    }

    /// Waits until `done` holds for the requests received (a generous bound, so a hang fails
    /// the test instead of blocking it).
    pub async fn wait_until(&self, done: impl Fn(&[Received]) -> bool) -> Vec<Received> {
        let wait = async {
            loop {
                let changed = self.state.changed.notified();
                let requests = self.requests();
                if done(&requests) {
                    return requests;
                }
                changed.await;
            }
        };
        tokio::time::timeout(Duration::from_secs(30), wait)
            .await
            .unwrap_or_else(|_| panic!("the receiver got only {:?}", self.requests()))
    }

    /// Waits until `count` requests were accepted.
    pub async fn wait_accepted(&self, count: usize) -> Vec<Received> {
        self.wait_until(|r| r.iter().filter(|r| r.accepted()).count() >= count)
            .await;
        self.accepted()
    }
}

async fn answer(
    state: Arc<State>,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, hyper::Error> {
    let (parts, body) = request.into_parts();
    let body = body.collect().await?.to_bytes();
    let fail = state
        .failures_left
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok();
    let status = if fail {
        state
            .failure
            .lock()
            .unwrap()
            .unwrap_or(StatusCode::SERVICE_UNAVAILABLE)
    } else {
        StatusCode::OK
    };
    state.requests.lock().unwrap().push(Received {
        path: parts.uri.to_string(),
        authorization: parts
            .headers
            .get(http::header::AUTHORIZATION)
            .map(|v| v.as_bytes().to_vec()),
        content_type: parts
            .headers
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
        body,
        answered: status.as_u16(),
    });
    state.changed.notify_waiters();
    let mut response = Response::new(Full::new(Bytes::new()));
    *response.status_mut() = status;
    Ok(response)
}

/// A server config for `localhost` / `127.0.0.1` and the PEM of the CA that issued it.
fn tls_config() -> (Arc<rustls::ServerConfig>, String) {
    use rcgen::{
        BasicConstraints, CertificateParams, CertifiedIssuer, DistinguishedName, DnType, IsCa,
        KeyPair, KeyUsagePurpose,
    };
    use rustls_pki_types::pem::PemObject;
    use rustls_pki_types::{CertificateDer, PrivateKeyDer};

    let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("params");
    let mut ca_name = DistinguishedName::new();
    ca_name.push(DnType::CommonName, "test receiver CA");
    ca_params.distinguished_name = ca_name;
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let ca =
        CertifiedIssuer::self_signed(ca_params, KeyPair::generate().expect("key")).expect("CA");
    let leaf_params = CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()])
        .expect("params");
    let leaf_key = KeyPair::generate().expect("key");
    let leaf = leaf_params.signed_by(&leaf_key, &ca).expect("leaf");
    let chain = vec![CertificateDer::from_pem_slice(leaf.pem().as_bytes()).expect("leaf der")];
    let key = PrivateKeyDer::from_pem_slice(leaf_key.serialize_pem().as_bytes()).expect("key der");
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .expect("config");
    (Arc::new(config), ca.pem())
}
