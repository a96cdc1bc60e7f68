//! `IdvClient` over another HTTP stack: an [`idv_transport::Transport`] written with reqwest,
//! run end to end against a local sandbox.
//!
//! ```text
//! cargo run -p idv-client --example reqwest_transport
//! ```
//!
//! The adapter keeps the transport contract: redirects are never followed, plain HTTP reaches
//! loopback only (the host is checked before sending and every resolved address before
//! connecting), `SendOptions::max_body_bytes` bounds the body (up front from `Content-Length`
//! and while reading), `SendOptions::read_timeout` bounds every wait for the server (the head,
//! then each chunk), and reqwest's errors are mapped onto `TransportErrorKind`s by what actually
//! failed. The client still does everything else: signing each attempt, retries, per-attempt
//! and per-call timeouts. This reqwest build has no TLS (`default-features = false`), so the
//! adapter speaks plain HTTP to loopback only; for `https://`, enable reqwest's `rustls`
//! feature.
//!
//! idv-client's `tests/alternate_transport.rs` includes this file and tests the adapter.
#![allow(clippy::print_stdout)]

use std::error::Error as StdError;
use std::fmt;
use std::net::{IpAddr, SocketAddr, ToSocketAddrs as _};
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use bytes::{Bytes, BytesMut};
use http::{Request, Response, Uri};
use idv_transport::{
    BodyStream, BoxError, MAX_TIMEOUT, SendOptions, Transport, TransportError, TransportErrorKind,
    is_loopback_host, is_loopback_ip,
};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// A [`Transport`] over a `reqwest::Client` (plain HTTP to loopback).
#[derive(Debug, Clone)]
pub struct ReqwestTransport {
    client: reqwest::Client,
    connect_timeout: Duration,
    read_timeout: Duration,
}

impl ReqwestTransport {
    /// A transport resolving names with the system resolver. `connect_timeout` bounds
    /// connecting; `read_timeout` is the idle timeout used when `SendOptions::read_timeout` is
    /// `None`.
    pub fn new(connect_timeout: Duration, read_timeout: Duration) -> Result<Self, TransportError> {
        Self::with_resolver(connect_timeout, read_timeout, Arc::new(SystemResolver))
    }

    /// A transport resolving names with `resolver`; its answers are checked like the system's.
    pub fn with_resolver(
        connect_timeout: Duration,
        read_timeout: Duration,
        resolver: Arc<dyn Resolve>,
    ) -> Result<Self, TransportError> {
        let connect_timeout = connect_timeout.min(MAX_TIMEOUT);
        let client = reqwest::Client::builder()
            // A redirect would replay a signed request somewhere else: return 3xx as is.
            .redirect(reqwest::redirect::Policy::none())
            // A proxy (from the environment) would see every signed request in clear text.
            .no_proxy()
            .connect_timeout(connect_timeout)
            // Every connection of this client is plain HTTP, so every address must be loopback.
            .dns_resolver(LoopbackOnly(resolver))
            .build()
            .map_err(|e| {
                TransportError::new(
                    TransportErrorKind::Config,
                    "the reqwest client could not be built",
                )
                .with_source(e)
            })?;
        Ok(Self {
            client,
            connect_timeout,
            read_timeout: read_timeout.min(MAX_TIMEOUT),
        })
    }

    /// Send `request` and wait for the response head; the body is left to read.
    async fn head(
        &self,
        request: Request<Bytes>,
        options: &SendOptions,
    ) -> Result<(http::response::Parts, BodyReader), TransportError> {
        let uri = request.uri().clone();
        check_target(&uri).map_err(|e| e.with_target(&uri))?;
        let request = reqwest::Request::try_from(request).map_err(|e| {
            TransportError::new(
                TransportErrorKind::InvalidRequest,
                "reqwest refused the request",
            )
            .with_source(e)
            .with_target(&uri)
        })?;
        let idle = options
            .read_timeout
            .unwrap_or(self.read_timeout)
            .min(MAX_TIMEOUT);
        // Connecting has its own limit; the server then gets the idle timeout to answer.
        let allowance = self.connect_timeout.saturating_add(idle);
        let response = match tokio::time::timeout(allowance, self.client.execute(request)).await {
            Ok(Ok(response)) => response,
            Ok(Err(e)) => return Err(map_error(&e, Stage::Head).with_source(e).with_target(&uri)),
            Err(_) => {
                return Err(TransportError::new(
                    TransportErrorKind::Timeout,
                    format!("no response head within {allowance:?}"),
                )
                .with_target(&uri));
            }
        };
        let max = options.max_body_bytes;
        if let Some(length) = response.content_length()
            && length > max
        {
            return Err(TransportError::new(
                TransportErrorKind::BodyTooLarge,
                format!("Content-Length {length} exceeds the limit of {max} bytes"),
            )
            .with_target(&uri));
        }
        let mut head = Response::new(());
        *head.status_mut() = response.status();
        *head.version_mut() = response.version();
        *head.headers_mut() = response.headers().clone();
        let (parts, ()) = head.into_parts();
        let reader = BodyReader {
            size_hint: response.content_length(),
            response,
            idle,
            max,
            received: 0,
            uri,
        };
        Ok((parts, reader))
    }
}

#[async_trait]
impl Transport for ReqwestTransport {
    async fn send(
        &self,
        request: Request<Bytes>,
        options: &SendOptions,
    ) -> Result<Response<Bytes>, TransportError> {
        let (parts, mut reader) = self.head(request, options).await?;
        // Pre-allocate from Content-Length (already checked against the limit), at most 1 MiB.
        let capacity = reader.size_hint.unwrap_or(0).min(1 << 20);
        let mut body = BytesMut::with_capacity(usize::try_from(capacity).unwrap_or(0));
        while let Some(chunk) = reader.next_chunk().await? {
            body.extend_from_slice(&chunk);
        }
        Ok(Response::from_parts(parts, body.freeze()))
    }

    async fn send_streaming(
        &self,
        request: Request<Bytes>,
        options: &SendOptions,
    ) -> Result<Response<BodyStream>, TransportError> {
        let (parts, reader) = self.head(request, options).await?;
        let size_hint = reader.size_hint;
        // One chunk per poll, constant memory; the stream ends after an error.
        let chunks = futures_util::stream::unfold(Some(reader), |reader| async move {
            let mut reader = reader?;
            match reader.next_chunk().await {
                Ok(Some(chunk)) => Some((Ok(chunk), Some(reader))),
                Ok(None) => None,
                Err(e) => Some((Err(e), None)),
            }
        });
        let body = BodyStream::new(chunks).with_size_hint(size_hint);
        Ok(Response::from_parts(parts, body))
    }
}

/// Reads a response body under the size limit and the idle timeout.
struct BodyReader {
    response: reqwest::Response,
    size_hint: Option<u64>,
    idle: Duration,
    max: u64,
    received: u64,
    uri: Uri,
}

impl BodyReader {
    async fn next_chunk(&mut self) -> Result<Option<Bytes>, TransportError> {
        let chunk = match tokio::time::timeout(self.idle, self.response.chunk()).await {
            Ok(Ok(chunk)) => chunk,
            Ok(Err(e)) => {
                return Err(map_error(&e, Stage::Body)
                    .with_source(e)
                    .with_target(&self.uri));
            }
            Err(_) => {
                return Err(TransportError::new(
                    TransportErrorKind::Timeout,
                    format!("no body data received for {:?}", self.idle),
                )
                .with_target(&self.uri));
            }
        };
        if let Some(chunk) = &chunk {
            self.received = self.received.saturating_add(chunk.len() as u64);
            if self.received > self.max {
                return Err(TransportError::body_too_large(self.max).with_target(&self.uri));
            }
        }
        Ok(chunk)
    }
}

/// Where a reqwest error happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Head,
    Body,
}

/// Map a reqwest error by what failed: a refused plain-HTTP address, connecting (the request
/// was not sent: safe to retry even a POST), a timeout, the body, or the exchange after
/// connecting (the server may have seen the request).
fn map_error(e: &reqwest::Error, stage: Stage) -> TransportError {
    if let Some(refused) = find::<NotLoopback>(e) {
        return TransportError::new(TransportErrorKind::InsecureScheme, refused.to_string());
    }
    let (kind, message) = if e.is_connect() {
        (TransportErrorKind::Connect, "could not connect")
    } else if e.is_timeout() {
        (TransportErrorKind::Timeout, "timed out")
    } else if stage == Stage::Body || e.is_body() || e.is_decode() {
        (
            TransportErrorKind::Body,
            "reading the body failed (reset, closed or truncated)",
        )
    } else if e.is_builder() {
        (
            TransportErrorKind::InvalidRequest,
            "reqwest refused the request",
        )
    } else if e.is_request() {
        (
            TransportErrorKind::Io,
            "the connection failed before a response arrived",
        )
    } else {
        (TransportErrorKind::Other, "the reqwest request failed")
    };
    TransportError::new(kind, message)
}

/// The first error of type `T` in `e`'s source chain.
fn find<'a, T: StdError + 'static>(e: &'a (dyn StdError + 'static)) -> Option<&'a T> {
    let mut current = Some(e);
    while let Some(err) = current {
        if let Some(found) = err.downcast_ref::<T>() {
            return Some(found);
        }
        current = err.source();
    }
    None
}

/// Plain `http://` to a loopback host only (this build of reqwest has no TLS).
fn check_target(uri: &Uri) -> Result<(), TransportError> {
    let host = uri.host().unwrap_or_default();
    match uri.scheme_str() {
        Some("http") if is_loopback_host(host) => Ok(()),
        Some("http") => Err(TransportError::new(
            TransportErrorKind::InsecureScheme,
            format!("plain http:// is only allowed for loopback hosts; {host} is not one"),
        )),
        Some("https") => Err(TransportError::new(
            TransportErrorKind::InvalidRequest,
            "this transport is built without TLS (enable reqwest's rustls feature)",
        )),
        _ => Err(TransportError::new(
            TransportErrorKind::InvalidRequest,
            "the request URI is not an absolute http:// URI",
        )),
    }
}

/// A plain-HTTP name resolved to an address that is not loopback; nothing was connected.
#[derive(Debug)]
struct NotLoopback {
    host: String,
    address: IpAddr,
}

impl fmt::Display for NotLoopback {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "plain http:// refused: {} resolved to {}, which is not a loopback address",
            self.host, self.address
        )
    }
}

impl StdError for NotLoopback {}

/// Fails a lookup unless every address is loopback.
struct LoopbackOnly(Arc<dyn Resolve>);

impl Resolve for LoopbackOnly {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_owned();
        let resolving = self.0.resolve(name);
        Box::pin(async move {
            let addrs: Vec<SocketAddr> = resolving.await?.collect();
            if let Some(bad) = addrs.iter().find(|a| !is_loopback_ip(a.ip())) {
                let refused = NotLoopback {
                    host,
                    address: bad.ip(),
                };
                return Err(Box::new(refused) as BoxError);
            }
            Ok(Box::new(addrs.into_iter()) as Addrs)
        })
    }
}

/// The system resolver (`getaddrinfo`, on a blocking thread).
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemResolver;

impl Resolve for SystemResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let addrs = tokio::task::spawn_blocking(move || {
                (host.as_str(), 0).to_socket_addrs().map(Vec::from_iter)
            })
            .await??;
            Ok(Box::new(addrs.into_iter()) as Addrs)
        })
    }
}

/// Starts the sandbox with the product-page session, reads it through reqwest until it
/// completes, downloads its media, and prints what happened.
#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), Box<dyn StdError>> {
    use idv_client::IdvClient;
    use idv_sandbox::{PRODUCT_PAGE_SESSION_ID, Sandbox, generate_app_keys};

    let keys = generate_app_keys()?;
    let sandbox = Sandbox::product_page_demo().app_keys(&keys).start().await?;
    let transport = ReqwestTransport::new(Duration::from_secs(5), Duration::from_secs(10))?;
    let client = IdvClient::builder()
        .sdk_id(&keys.sdk_id)
        .key_pem(keys.private_key_pem.as_bytes())
        .base_url(sandbox.base_url())
        .transport(Arc::new(transport))
        .build()?;

    println!("sandbox: {}", sandbox.base_url());
    let mut session = client.get_session(PRODUCT_PAGE_SESSION_ID).await?;
    let mut reads = 1;
    while !session.is_finished() && reads < 10 {
        println!("  read {reads}: {:?}", session.state());
        session = client.get_session(PRODUCT_PAGE_SESSION_ID).await?;
        reads += 1;
    }
    println!("  read {reads}: {:?}", session.state());

    let mut media_bytes = 0;
    let refs = session.media_refs();
    for media in &refs {
        if let Some(content) = client
            .get_media(PRODUCT_PAGE_SESSION_ID, media.media_id)
            .await?
        {
            media_bytes += content.len();
        }
    }
    println!("media: {} items, {media_bytes} bytes", refs.len());

    let log = sandbox.request_log();
    let verified = log.iter().filter(|e| e.signature_verified).count();
    println!(
        "the sandbox saw {} requests, {verified} with a verified signature",
        log.len()
    );
    sandbox.shutdown().await;
    Ok(())
}
