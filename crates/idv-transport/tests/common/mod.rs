//! Loopback test servers: a hyper server (HTTP/1.1 + HTTP/2, optionally TLS with a test CA made
//! with rcgen) and raw TCP servers for fault injection.
#![allow(dead_code)]

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};

use bytes::Bytes;
use http::{Request, Response};
use http_body_util::BodyExt as _;
use http_body_util::combinators::BoxBody;
use hyper::body::{Body, Frame, Incoming};
use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair, KeyUsagePurpose,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

pub type BoxError = Box<dyn std::error::Error + Send + Sync>;
pub type TestBody = BoxBody<Bytes, BoxError>;

/// A complete body.
pub fn full(bytes: impl Into<Bytes>) -> TestBody {
    http_body_util::Full::new(bytes.into())
        .map_err(|never: Infallible| match never {})
        .boxed()
}

/// A body that yields `chunk`, pauses (so hyper flushes the head and the chunk), then fails:
/// hyper resets the HTTP/2 stream, or cuts the HTTP/1.1 chunked body short.
pub fn failing_body(chunk: &'static [u8]) -> TestBody {
    struct Failing {
        chunk: Option<Bytes>,
        pause: Option<Pin<Box<tokio::time::Sleep>>>,
    }
    impl Body for Failing {
        type Data = Bytes;
        type Error = BoxError;
        fn poll_frame(
            mut self: Pin<&mut Self>,
            cx: &mut Context<'_>,
        ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
            if let Some(chunk) = self.chunk.take() {
                return Poll::Ready(Some(Ok(Frame::data(chunk))));
            }
            let pause = self.pause.get_or_insert_with(|| {
                Box::pin(tokio::time::sleep(std::time::Duration::from_millis(50)))
            });
            match pause.as_mut().poll(cx) {
                Poll::Pending => Poll::Pending,
                Poll::Ready(()) => Poll::Ready(Some(Err("the server's body source failed".into()))),
            }
        }
    }
    Failing {
        chunk: Some(Bytes::from_static(chunk)),
        pause: None,
    }
    .boxed()
}

/// A body fed chunk by chunk through a channel; it ends when the sender is dropped.
pub fn channel_body() -> (mpsc::Sender<Bytes>, TestBody) {
    let (tx, rx) = mpsc::channel(4);
    (
        tx,
        ChannelBody(rx)
            .map_err(|never: Infallible| match never {})
            .boxed(),
    )
}

struct ChannelBody(mpsc::Receiver<Bytes>);

impl Body for ChannelBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        self.0
            .poll_recv(cx)
            .map(|chunk| chunk.map(|c| Ok(Frame::data(c))))
    }
}

/// A running loopback server; aborted on drop.
pub struct Server {
    pub addr: SocketAddr,
    accepted: Arc<AtomicUsize>,
    task: JoinHandle<()>,
}

impl Server {
    /// The number of TCP connections accepted so far.
    pub fn connections(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }

    pub fn http_url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn https_url(&self, path: &str) -> String {
        format!("https://localhost:{}{path}", self.addr.port())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Serve `handler` with hyper (HTTP/1.1 and HTTP/2 auto-detected), over TLS when `tls` is set.
pub async fn serve<F, Fut>(tls: Option<Arc<rustls::ServerConfig>>, handler: F) -> Server
where
    F: Fn(Request<Incoming>) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Response<TestBody>> + Send + 'static,
{
    let handler = Arc::new(handler);
    serve_raw(move |tcp| {
        let handler = handler.clone();
        let tls = tls.clone();
        async move {
            let service = hyper::service::service_fn(move |req| {
                let handler = handler.clone();
                async move { Ok::<_, Infallible>(handler(req).await) }
            });
            let builder =
                hyper_util::server::conn::auto::Builder::new(hyper_util::rt::TokioExecutor::new());
            match tls {
                Some(config) => {
                    let Ok(stream) = tokio_rustls::TlsAcceptor::from(config).accept(tcp).await
                    else {
                        return;
                    };
                    let _ = builder
                        .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                        .await;
                }
                None => {
                    let _ = builder
                        .serve_connection(hyper_util::rt::TokioIo::new(tcp), service)
                        .await;
                }
            }
        }
    })
    .await
}

/// Accept TCP connections on 127.0.0.1 and hand each to `on_conn` (in its own task).
pub async fn serve_raw<F, Fut>(on_conn: F) -> Server
where
    F: Fn(TcpStream) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let addr = listener.local_addr().expect("local addr");
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = accepted.clone();
    let task = tokio::spawn(async move {
        loop {
            let Ok((tcp, _)) = listener.accept().await else {
                continue;
            };
            counter.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(on_conn(tcp));
        }
    });
    Server {
        addr,
        accepted,
        task,
    }
}

/// Read one request head (up to the blank line) from a raw connection.
pub async fn read_head(tcp: &mut TcpStream) -> Vec<u8> {
    use tokio::io::AsyncReadExt as _;
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match tcp.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    head
}

/// A test CA and a server certificate for `localhost` and `127.0.0.1` signed by it.
pub struct TestPki {
    pub ca_pem: String,
    pub server_config: Arc<rustls::ServerConfig>,
}

pub fn test_pki() -> TestPki {
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("ca params");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "idv-transport test CA");
    ca_params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().expect("ca key"))
        .expect("ca cert");

    let leaf_params = CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()])
        .expect("leaf params");
    let leaf_key = KeyPair::generate().expect("leaf key");
    let leaf = leaf_params.signed_by(&leaf_key, &ca).expect("leaf cert");

    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("protocol versions")
        .with_no_client_auth()
        .with_single_cert(
            vec![CertificateDer::from(leaf.der().to_vec())],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der())),
        )
        .expect("server config");
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    TestPki {
        ca_pem: ca.pem(),
        server_config: Arc::new(config),
    }
}

/// Collect a request body on the server side.
pub async fn body_bytes(req: Request<Incoming>) -> Bytes {
    req.into_body()
        .collect()
        .await
        .map(|c| c.to_bytes())
        .unwrap_or_default()
}

/// `HyperTransport::builder()`, plus an explicit crypto provider when the crate is built without
/// a provider feature (`--no-default-features --features hyper`).
pub fn builder() -> idv_transport::HyperTransportBuilder {
    let builder = idv_transport::HyperTransport::builder();
    #[cfg(not(any(feature = "aws-lc", feature = "ring")))]
    let builder = builder.crypto_provider(Arc::new(rustls::crypto::aws_lc_rs::default_provider()));
    builder
}
