//! `idv-transport`: the HTTP seam of the idv-rs SDK.
//!
//! This crate knows HTTP, not Yoti: it defines the async [`Transport`] trait that the client
//! sends every (already signed) request through, and, behind the default `hyper` feature, the
//! production implementation `HyperTransport` (hyper 1, hyper-util's pooled client,
//! hyper-rustls).
//!
//! Most users want [`idv-client`](https://docs.rs/idv-client), which sends through
//! `HyperTransport` by default. Depend on `idv-transport` to plug in another HTTP stack:
//! implement [`Transport`] and pass it to the client's builder (`IdvClientBuilder::transport`;
//! idv-client's `reqwest_transport` example does it with reqwest).
//!
//! - [`Transport::send`] buffers the response body under [`SendOptions::max_body_bytes`] (for
//!   JSON); [`Transport::send_streaming`] returns a [`BodyStream`] read chunk by chunk with
//!   constant memory (for media). Implementations that only buffer get `send_streaming` for free.
//! - Errors are a typed [`TransportError`] whose [`kind()`](TransportError::kind) tells connect /
//!   TLS / timeout / I/O / body / size-limit / protocol failures apart and whose
//!   [`is_retryable()`](TransportError::is_retryable) says whether trying again could help.
//! - For tests: [`transport_fn`] turns a closure into a transport, and the `mock` feature adds a
//!   mockall-generated `MockTransport`.
//!
//! # Using `HyperTransport`
//!
//! Build it once and share it (clones share the connection pool). Plain `http://` is only
//! accepted for loopback hosts; everything else must be `https://`. Here it talks to a tiny
//! local server:
//!
//! ```
//! # #[cfg(all(feature = "hyper", any(feature = "aws-lc", feature = "ring")))]
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
//! # let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
//! # let port = listener.local_addr().unwrap().port();
//! # tokio::spawn(async move {
//! #     let (mut tcp, _) = listener.accept().await.unwrap();
//! #     let mut buf = [0u8; 4096];
//! #     let _ = tcp.read(&mut buf).await;
//! #     let _ = tcp.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 19\r\n\r\n{\"state\":\"ONGOING\"}").await;
//! # });
//! use std::time::Duration;
//!
//! use bytes::Bytes;
//! use http::Request;
//! use idv_transport::{HyperTransport, SendOptions, Transport, TransportErrorKind};
//!
//! let transport = HyperTransport::builder()
//!     .connect_timeout(Duration::from_secs(5))
//!     .read_timeout(Duration::from_secs(20)) // the longest silence while reading the response
//!     .build()?;
//!
//! let request = Request::get(format!("http://127.0.0.1:{port}/idverify/v1/sessions/abc"))
//!     .body(Bytes::new())?;
//! let options = SendOptions::default().with_max_body_bytes(1024 * 1024);
//! match transport.send(request, &options).await {
//!     Ok(response) => assert_eq!(response.body().as_ref(), br#"{"state":"ONGOING"}"#),
//!     Err(e) if e.is_retryable() => eprintln!("try again later: {e}"),
//!     Err(e) => panic!("{e}"),
//! }
//!
//! // Plain HTTP to anything but loopback is refused before connecting, and so is a name that
//! // merely looks like loopback but goes through DNS.
//! for url in ["http://api.yoti.com/idverify/v1", "http://localhost./idverify/v1"] {
//!     let insecure = Request::get(url).body(Bytes::new())?;
//!     let err = transport.send(insecure, &options).await.unwrap_err();
//!     assert_eq!(err.kind(), TransportErrorKind::InsecureScheme);
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! # }
//! # #[cfg(not(all(feature = "hyper", any(feature = "aws-lc", feature = "ring"))))]
//! # fn main() {}
//! ```
//!
//! Streaming a large body to disk, chunk by chunk:
//!
//! ```no_run
//! # async fn demo(transport: &dyn idv_transport::Transport) -> Result<(), Box<dyn std::error::Error>> {
//! use std::io::Write as _;
//! use bytes::Bytes;
//! use idv_transport::SendOptions;
//!
//! let request = http::Request::get("https://api.yoti.com/idverify/v1/sessions/s/media/m/content")
//!     .body(Bytes::new())?;
//! let options = SendOptions::default().with_max_body_bytes(2 * 1024 * 1024 * 1024);
//! let response = transport.send_streaming(request, &options).await?;
//! let mut file = std::fs::File::create("media.bin")?;
//! let mut body = response.into_body();
//! while let Some(chunk) = body.next_chunk().await {
//!     file.write_all(&chunk?)?;
//! }
//! # Ok(()) }
//! ```
//!
//! # Writing your own transport
//!
//! To use another HTTP stack (reqwest, a tower service, a proxying client, …), implement
//! [`Transport::send`] (and optionally [`Transport::send_streaming`]) with
//! [`async_trait`](https://docs.rs/async-trait). The contract:
//!
//! - do **not** follow redirects; return 3xx and any other status as a response;
//! - plain `http://` only to loopback: check the host with [`is_loopback_host`] and every
//!   resolved address with [`is_loopback_ip`], and fail with
//!   [`TransportErrorKind::InsecureScheme`] otherwise;
//! - enforce [`SendOptions::max_body_bytes`] and the idle timeout [`SendOptions::read_timeout`],
//!   plus a connect timeout of your own; set no deadline on the whole exchange (the caller owns
//!   it and drops the future);
//! - map failures onto [`TransportErrorKind`]s, and never put the query string, header values
//!   or bodies into error messages ([`TransportError::with_target`] drops the query for you).
//!
//! A complete adapter over reqwest, run end to end against the sandbox, is idv-client's
//! `examples/reqwest_transport.rs`.
//!
//! Below, `ToyClient` stands in for an HTTP library (its API mirrors reqwest's: an error type
//! with `is_timeout()` / `is_connect()`); the adapter is all you would write for the real one.
//!
//! ```
//! use async_trait::async_trait;
//! use bytes::Bytes;
//! use http::{Request, Response, StatusCode};
//! use idv_transport::{SendOptions, Transport, TransportError, TransportErrorKind};
//!
//! /// Stand-in for e.g. `reqwest::Client`.
//! #[derive(Debug, Clone, Default)]
//! struct ToyClient;
//!
//! #[derive(Debug, thiserror::Error)]
//! #[error("toy error")]
//! struct ToyError { timeout: bool, connect: bool }
//!
//! impl ToyError {
//!     fn is_timeout(&self) -> bool { self.timeout }
//!     fn is_connect(&self) -> bool { self.connect }
//! }
//!
//! impl ToyClient {
//!     /// Like `client.execute(request)` followed by reading the body.
//!     async fn execute(&self, request: Request<Bytes>) -> Result<Response<Bytes>, ToyError> {
//!         match request.uri().path() {
//!             "/down" => Err(ToyError { timeout: false, connect: true }),
//!             _ => Ok(Response::new(Bytes::from_static(b"hello"))),
//!         }
//!     }
//! }
//!
//! /// The adapter: a `Transport` over the other HTTP stack.
//! #[derive(Debug, Clone, Default)]
//! struct ToyTransport { client: ToyClient }
//!
//! #[async_trait]
//! impl Transport for ToyTransport {
//!     async fn send(
//!         &self,
//!         request: Request<Bytes>,
//!         options: &SendOptions,
//!     ) -> Result<Response<Bytes>, TransportError> {
//!         let uri = request.uri().clone();
//!         // With reqwest: build the client with `redirect(Policy::none())` and
//!         // `read_timeout(..)`, and read the body with a size check.
//!         let response = self.client.execute(request).await.map_err(|e| {
//!             let kind = if e.is_timeout() {
//!                 TransportErrorKind::Timeout
//!             } else if e.is_connect() {
//!                 TransportErrorKind::Connect
//!             } else {
//!                 TransportErrorKind::Other
//!             };
//!             TransportError::new(kind, "the toy client failed").with_source(e).with_target(&uri)
//!         })?;
//!         if response.body().len() as u64 > options.max_body_bytes {
//!             return Err(TransportError::body_too_large(options.max_body_bytes).with_target(&uri));
//!         }
//!         Ok(response)
//!     }
//!     // `send_streaming` is provided: it buffers through `send`.
//! }
//!
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! let transport = ToyTransport::default();
//! let get = |path: &str| Request::get(format!("https://example.test{path}?nonce=1"))
//!     .body(Bytes::new()).unwrap();
//!
//! let response = transport.send(get("/ok"), &SendOptions::default()).await.unwrap();
//! assert_eq!(response.status(), StatusCode::OK);
//!
//! let err = transport.send(get("/down"), &SendOptions::default()).await.unwrap_err();
//! assert_eq!(err.kind(), TransportErrorKind::Connect);
//! assert!(err.is_retryable());
//! assert_eq!(err.to_string(), "connection failed: the toy client failed (https://example.test/down)");
//!
//! // Streaming callers work too, through the provided method.
//! let streamed = transport.send_streaming(get("/ok"), &SendOptions::default()).await.unwrap();
//! assert_eq!(streamed.into_body().collect_bytes(1024).await.unwrap().as_ref(), b"hello");
//! # }
//! ```
//!
//! # Features
//!
//! | feature | default | what |
//! |---|---|---|
//! | `hyper` | yes | `HyperTransport` (hyper 1, hyper-util, hyper-rustls, tokio) |
//! | `aws-lc` | yes | rustls with the aws-lc-rs crypto provider (chosen when both providers are on) |
//! | `ring` | no | rustls with the ring crypto provider |
//! | `native-roots` | no | also trust the platform's root certificates |
//! | `mock` | no | `MockTransport` (mockall) |
//!
//! With default features off the crate is the trait alone: no hyper, rustls or tokio.

// docs.rs (nightly, `--cfg docsrs`) labels feature-gated items with the feature they need.
#![cfg_attr(docsrs, feature(doc_cfg))]

mod body;
mod error;
mod func;
mod loopback;
mod options;
mod timeouts;
mod transport;

#[cfg(feature = "hyper")]
mod hyper_impl;

pub use body::BodyStream;
pub use error::{BoxError, TransportError, TransportErrorKind};
pub use func::{FnTransport, transport_fn};
pub use loopback::{is_loopback_host, is_loopback_ip};
pub use options::{DEFAULT_MAX_BODY_BYTES, SendOptions};
pub use timeouts::MAX_TIMEOUT;
pub use transport::Transport;

#[cfg(feature = "mock")]
pub use transport::MockTransport;

#[cfg(feature = "hyper")]
pub use hyper_impl::{ConnectionInfo, DnsResolver, HyperTransport, HyperTransportBuilder};

/// The `rustls` crate this crate builds against (for [`HyperTransportBuilder::crypto_provider`]).
///
/// Available on crate feature `hyper` only.
#[cfg(feature = "hyper")]
pub use rustls;
