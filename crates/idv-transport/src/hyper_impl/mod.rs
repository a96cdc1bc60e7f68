//! [`HyperTransport`]: the production transport (hyper 1, hyper-util's pooled client, rustls).

mod classify;
mod connector;
mod stream;

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use bytes::{Bytes, BytesMut};
use http::header::{AUTHORIZATION, CONTENT_LENGTH, COOKIE, HeaderMap, PROXY_AUTHORIZATION};
use http::{Method, Request, Response, StatusCode, Uri, Version};
use http_body_util::{BodyExt as _, Full};
use hyper::body::Incoming;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioTimer};
use rustls::crypto::CryptoProvider;
use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject as _;
use tracing::Instrument as _;
use tracing::field::Empty;

use self::connector::{ConnTag, TrackingConnector};
use self::stream::HyperBody;
use crate::{
    BodyStream, SendOptions, Transport, TransportError, TransportErrorKind, is_loopback_host,
};

/// The name of the request-signature header, marked sensitive before sending.
const AUTH_DIGEST: &str = "x-yoti-auth-digest";

/// The largest buffer pre-allocated from a `Content-Length` (the buffer still grows to the limit).
const MAX_PREALLOCATION: u64 = 8 * 1024 * 1024;

/// Which connection served a response; inserted by [`HyperTransport`] into every response's
/// extensions.
///
/// ```no_run
/// # async fn demo(transport: idv_transport::HyperTransport, request: http::Request<bytes::Bytes>) {
/// use idv_transport::{ConnectionInfo, SendOptions, Transport};
///
/// let response = transport.send(request, &SendOptions::default()).await.unwrap();
/// let info = response.extensions().get::<ConnectionInfo>().unwrap();
/// println!("connection #{} (reused: {})", info.id, info.reused);
/// # }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ConnectionInfo {
    /// An id unique among the connections of one [`HyperTransport`] (and its clones).
    pub id: u64,
    /// `true` when the connection had already served an earlier response (keep-alive pooling,
    /// or HTTP/2 multiplexing).
    pub reused: bool,
}

/// The production [`Transport`]: hyper 1 with hyper-util's pooled client and rustls.
///
/// - HTTP/1.1 and HTTP/2 (negotiated with ALPN over TLS), a keep-alive pool shared by all clones
///   (cloning is cheap), `TCP_NODELAY`, a connect timeout covering TCP and TLS, a default
///   per-request timeout.
/// - TLS for every host except loopback: plain `http://` is accepted only for `127.0.0.0/8`,
///   `::1` and `localhost`; anything else fails with
///   [`InsecureScheme`](TransportErrorKind::InsecureScheme) without connecting.
/// - Redirects are never followed. The `X-Yoti-Auth-Digest`, `Authorization` and `Cookie`
///   headers are marked sensitive. No header is added beyond what HTTP requires (no
///   `Content-Type`).
/// - One `tracing` span per request (`idv_transport.request`, level DEBUG) with `method`, `host`,
///   `path` (never the query), `status`, `version`, `bytes`, `duration_ms`, `connection`
///   (`new` / `reused`), `connection_id` and `error` (the error kind).
///
/// Build one with [`HyperTransport::builder`]; requests must be sent from a tokio runtime.
#[derive(Clone)]
pub struct HyperTransport {
    inner: Arc<Inner>,
}

struct Inner {
    client: Client<TrackingConnector, Full<Bytes>>,
    request_timeout: Option<Duration>,
    read_timeout: Option<Duration>,
    /// The rest of the configuration, kept for `Debug` only (the certificates and the crypto
    /// provider live in the TLS configuration inside `client`).
    connect_timeout: Option<Duration>,
    pool_idle_timeout: Option<Duration>,
    pool_max_idle_per_host: usize,
    http2: bool,
    http2_prior_knowledge: bool,
}

impl fmt::Debug for HyperTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = &*self.inner;
        f.debug_struct("HyperTransport")
            .field("connect_timeout", &c.connect_timeout)
            .field("request_timeout", &c.request_timeout)
            .field("read_timeout", &c.read_timeout)
            .field("pool_idle_timeout", &c.pool_idle_timeout)
            .field("pool_max_idle_per_host", &c.pool_max_idle_per_host)
            .field("http2", &c.http2)
            .field("http2_prior_knowledge", &c.http2_prior_knowledge)
            .finish_non_exhaustive()
    }
}

/// Configures and builds a [`HyperTransport`].
///
/// ```
/// # #[cfg(any(feature = "aws-lc", feature = "ring"))] {
/// use std::time::Duration;
/// use idv_transport::HyperTransport;
///
/// let transport = HyperTransport::builder()
///     .connect_timeout(Duration::from_secs(5))
///     .request_timeout(Duration::from_secs(20))
///     .pool_idle_timeout(Duration::from_secs(60))
///     .pool_max_idle_per_host(4)
///     .build()
///     .unwrap();
/// # drop(transport);
/// # }
/// ```
#[must_use]
pub struct HyperTransportBuilder {
    connect_timeout: Option<Duration>,
    request_timeout: Option<Duration>,
    read_timeout: Option<Duration>,
    pool_idle_timeout: Option<Duration>,
    pool_max_idle_per_host: usize,
    http2: bool,
    http2_prior_knowledge: bool,
    tcp_nodelay: bool,
    webpki_roots: bool,
    #[cfg(feature = "native-roots")]
    native_roots: bool,
    extra_roots: Vec<CertificateDer<'static>>,
    config_error: Option<TransportError>,
    crypto_provider: Option<Arc<CryptoProvider>>,
}

impl fmt::Debug for HyperTransportBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HyperTransportBuilder")
            .field("connect_timeout", &self.connect_timeout)
            .field("request_timeout", &self.request_timeout)
            .field("read_timeout", &self.read_timeout)
            .field("pool_idle_timeout", &self.pool_idle_timeout)
            .field("pool_max_idle_per_host", &self.pool_max_idle_per_host)
            .field("http2", &self.http2)
            .field("http2_prior_knowledge", &self.http2_prior_knowledge)
            .field("tcp_nodelay", &self.tcp_nodelay)
            .field("webpki_roots", &self.webpki_roots)
            .field("extra_roots", &self.extra_roots.len())
            .finish_non_exhaustive()
    }
}

impl Default for HyperTransportBuilder {
    fn default() -> Self {
        Self {
            connect_timeout: Some(Duration::from_secs(10)),
            request_timeout: Some(Duration::from_secs(30)),
            read_timeout: Some(Duration::from_secs(30)),
            pool_idle_timeout: Some(Duration::from_secs(90)),
            pool_max_idle_per_host: 16,
            http2: true,
            http2_prior_knowledge: false,
            tcp_nodelay: true,
            webpki_roots: true,
            #[cfg(feature = "native-roots")]
            native_roots: true,
            extra_roots: Vec::new(),
            config_error: None,
            crypto_provider: None,
        }
    }
}

impl HyperTransportBuilder {
    /// The longest time to establish a connection, TCP connect and TLS handshake together
    /// (default 10 s; `None` disables it). Exceeding it is a
    /// [`Connect`](TransportErrorKind::Connect) error.
    pub fn connect_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.connect_timeout = timeout.into();
        self
    }

    /// The default per-request timeout, used when [`SendOptions::timeout`] is `None` (default
    /// 30 s). `None` disables it.
    pub fn request_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.request_timeout = timeout.into();
        self
    }

    /// The default idle timeout between chunks of a streamed body, used when
    /// [`SendOptions::read_timeout`] is `None` (default 30 s). `None` disables it.
    pub fn read_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.read_timeout = timeout.into();
        self
    }

    /// How long an idle pooled connection is kept (default 90 s). `None` keeps them forever.
    pub fn pool_idle_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.pool_idle_timeout = timeout.into();
        self
    }

    /// The most idle connections kept per host (default 16; 0 disables reuse).
    pub fn pool_max_idle_per_host(mut self, max: usize) -> Self {
        self.pool_max_idle_per_host = max;
        self
    }

    /// Offer HTTP/2 via ALPN on TLS connections (default `true`). With `false` only HTTP/1.1
    /// is used.
    pub fn http2(mut self, enabled: bool) -> Self {
        self.http2 = enabled;
        self
    }

    /// Speak HTTP/2 on every connection without negotiating it (default `false`): h2c "prior
    /// knowledge" on plain loopback connections; TLS servers must then accept `h2`.
    pub fn http2_prior_knowledge(mut self, enabled: bool) -> Self {
        self.http2_prior_knowledge = enabled;
        self
    }

    /// Set `TCP_NODELAY` on connections (default `true`).
    pub fn tcp_nodelay(mut self, enabled: bool) -> Self {
        self.tcp_nodelay = enabled;
        self
    }

    /// Trust the Mozilla root certificates bundled by `webpki-roots` (default `true`).
    pub fn webpki_roots(mut self, enabled: bool) -> Self {
        self.webpki_roots = enabled;
        self
    }

    /// Trust the platform's native root certificates (default `true` when the `native-roots`
    /// feature is enabled).
    #[cfg(feature = "native-roots")]
    pub fn native_roots(mut self, enabled: bool) -> Self {
        self.native_roots = enabled;
        self
    }

    /// Also trust the CA certificate(s) in `pem` (one or more `CERTIFICATE` blocks), for
    /// instance a private test server's CA. Invalid input makes [`build`](Self::build) fail
    /// with a [`Config`](TransportErrorKind::Config) error.
    pub fn add_root_certificate_pem(mut self, pem: &[u8]) -> Self {
        let mut found = 0usize;
        for cert in CertificateDer::pem_slice_iter(pem) {
            match cert {
                Ok(cert) => {
                    self.extra_roots.push(cert);
                    found += 1;
                }
                Err(e) => {
                    self.config_error.get_or_insert_with(|| {
                        TransportError::new(
                            TransportErrorKind::Config,
                            "the root certificate PEM could not be parsed",
                        )
                        .with_source(e)
                    });
                    return self;
                }
            }
        }
        if found == 0 {
            self.config_error.get_or_insert_with(|| {
                TransportError::new(
                    TransportErrorKind::Config,
                    "the root certificate PEM contains no CERTIFICATE block",
                )
            });
        }
        self
    }

    /// Use this rustls crypto provider. By default the provider is chosen by feature:
    /// aws-lc-rs (`aws-lc`) when enabled, else ring (`ring`), else the process-default provider
    /// if one is installed.
    pub fn crypto_provider(mut self, provider: Arc<CryptoProvider>) -> Self {
        self.crypto_provider = Some(provider);
        self
    }

    /// Build the transport. Fails with a [`Config`](TransportErrorKind::Config) error on an
    /// invalid root certificate, an empty root store, or no crypto provider.
    pub fn build(self) -> Result<HyperTransport, TransportError> {
        if let Some(err) = self.config_error {
            return Err(err);
        }
        if self.http2_prior_knowledge && !self.http2 {
            return Err(TransportError::new(
                TransportErrorKind::Config,
                "http2_prior_knowledge requires http2",
            ));
        }
        let provider = self
            .crypto_provider
            .or_else(default_provider)
            .ok_or_else(|| {
                TransportError::new(
                    TransportErrorKind::Config,
                    "no rustls crypto provider: enable the `aws-lc` or `ring` feature, or call \
                 `crypto_provider`",
                )
            })?;

        let mut roots = rustls::RootCertStore::empty();
        if self.webpki_roots {
            roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        }
        #[cfg(feature = "native-roots")]
        if self.native_roots {
            let native = rustls_native_certs::load_native_certs();
            // Unparseable platform certificates are skipped, as browsers do.
            let _ = roots.add_parsable_certificates(native.certs);
        }
        for cert in self.extra_roots {
            roots.add(cert).map_err(|e| {
                TransportError::new(
                    TransportErrorKind::Config,
                    "an added root certificate is not a valid CA certificate",
                )
                .with_source(e)
            })?;
        }
        if roots.is_empty() {
            return Err(TransportError::new(
                TransportErrorKind::Config,
                "no root certificates: enable webpki or native roots, or add one",
            ));
        }

        let tls = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| {
                TransportError::new(
                    TransportErrorKind::Config,
                    "the crypto provider supports no safe TLS version",
                )
                .with_source(e)
            })?
            .with_root_certificates(roots)
            .with_no_client_auth();

        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_nodelay(self.tcp_nodelay);
        http.set_connect_timeout(self.connect_timeout);

        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(tls)
            .https_or_http()
            .enable_http1();
        let https = if self.http2 {
            https.enable_http2().wrap_connector(http)
        } else {
            https.wrap_connector(http)
        };
        let connector = TrackingConnector::new(https, self.connect_timeout);

        let mut client = Client::builder(TokioExecutor::new());
        client
            .timer(TokioTimer::new())
            .pool_timer(TokioTimer::new())
            .pool_idle_timeout(self.pool_idle_timeout)
            .pool_max_idle_per_host(self.pool_max_idle_per_host)
            .http2_only(self.http2_prior_knowledge);
        let client = client.build(connector);

        Ok(HyperTransport {
            inner: Arc::new(Inner {
                client,
                request_timeout: self.request_timeout,
                read_timeout: self.read_timeout,
                connect_timeout: self.connect_timeout,
                pool_idle_timeout: self.pool_idle_timeout,
                pool_max_idle_per_host: self.pool_max_idle_per_host,
                http2: self.http2,
                http2_prior_knowledge: self.http2_prior_knowledge,
            }),
        })
    }
}

#[cfg(feature = "aws-lc")]
fn default_provider() -> Option<Arc<CryptoProvider>> {
    Some(Arc::new(rustls::crypto::aws_lc_rs::default_provider()))
}

#[cfg(all(feature = "ring", not(feature = "aws-lc")))]
fn default_provider() -> Option<Arc<CryptoProvider>> {
    Some(Arc::new(rustls::crypto::ring::default_provider()))
}

#[cfg(not(any(feature = "aws-lc", feature = "ring")))]
fn default_provider() -> Option<Arc<CryptoProvider>> {
    CryptoProvider::get_default().cloned()
}

impl HyperTransport {
    /// A builder with the defaults: 10 s connect timeout, 30 s request and read timeouts,
    /// 90 s pool idle timeout, 16 idle connections per host, HTTP/2 via ALPN, `TCP_NODELAY`,
    /// webpki roots.
    pub fn builder() -> HyperTransportBuilder {
        HyperTransportBuilder::default()
    }

    /// A transport with the default configuration.
    pub fn new() -> Result<Self, TransportError> {
        Self::builder().build()
    }

    fn prepare(
        &self,
        request: Request<Bytes>,
    ) -> Result<(Request<Full<Bytes>>, RequestRecord), TransportError> {
        let uri = request.uri().clone();
        check_target(&uri).map_err(|e| e.with_target(&uri))?;
        if tokio::runtime::Handle::try_current().is_err() {
            return Err(TransportError::new(
                TransportErrorKind::Config,
                "HyperTransport must be used from within a tokio runtime",
            )
            .with_target(&uri));
        }
        let mut request = request.map(Full::new);
        mark_sensitive(request.headers_mut());
        let host = uri.host().unwrap_or_default();
        let port = uri
            .port_u16()
            .unwrap_or(if uri.scheme_str() == Some("https") {
                443
            } else {
                80
            });
        let span = tracing::debug_span!(
            "idv_transport.request",
            method = %request.method(),
            host = %format_args!("{host}:{port}"),
            path = %uri.path(),
            status = Empty,
            version = Empty,
            bytes = Empty,
            duration_ms = Empty,
            connection = Empty,
            connection_id = Empty,
            error = Empty,
        );
        let record = RequestRecord {
            span,
            start: Instant::now(),
            method: request.method().clone(),
            uri,
        };
        Ok((request, record))
    }

    async fn head(
        &self,
        request: Request<Full<Bytes>>,
        record: &RequestRecord,
    ) -> Result<Response<Incoming>, TransportError> {
        let mut response = self
            .inner
            .client
            .request(request)
            .await
            .map_err(|e| classify::request_error(e).with_target(&record.uri))?;
        let info = response
            .extensions()
            .get::<ConnTag>()
            .map(|tag| ConnectionInfo {
                id: tag.id,
                reused: !tag.first_use(),
            });
        record.head(response.status(), response.version(), info);
        if let Some(info) = info {
            response.extensions_mut().insert(info);
        }
        Ok(response)
    }
}

#[async_trait]
impl Transport for HyperTransport {
    async fn send(
        &self,
        request: Request<Bytes>,
        options: &SendOptions,
    ) -> Result<Response<Bytes>, TransportError> {
        let (request, record) = self.prepare(request)?;
        let max = options.max_body_bytes;
        let exchange = async {
            let response = self.head(request, &record).await?;
            let (parts, body) = response.into_parts();
            let length = checked_content_length(&record, parts.status, &parts.headers, max)?;
            let bytes = read_body(body, max, length)
                .await
                .map_err(|e| e.with_target(&record.uri))?;
            Ok::<_, TransportError>(Response::from_parts(parts, bytes))
        }
        .instrument(record.span.clone());
        let result = with_timeout(
            options.timeout.or(self.inner.request_timeout),
            exchange,
            || "no complete response within",
        )
        .await
        .map_err(|e| e.with_target(&record.uri));
        match &result {
            Ok(response) => record.finish(Some(response.body().len() as u64), None),
            Err(e) => record.finish(None, Some(e)),
        }
        result
    }

    async fn send_streaming(
        &self,
        request: Request<Bytes>,
        options: &SendOptions,
    ) -> Result<Response<BodyStream>, TransportError> {
        let (request, record) = self.prepare(request)?;
        let max = options.max_body_bytes;
        let head = self.head(request, &record).instrument(record.span.clone());
        let head = with_timeout(
            options.timeout.or(self.inner.request_timeout),
            head,
            || "no response head within",
        )
        .await
        .map_err(|e| e.with_target(&record.uri))
        .and_then(|response| {
            let length =
                checked_content_length(&record, response.status(), response.headers(), max)?;
            Ok((response, length))
        });
        let (response, length) = match head {
            Ok(ok) => ok,
            Err(e) => {
                record.finish(None, Some(&e));
                return Err(e);
            }
        };
        let (parts, body) = response.into_parts();
        let idle = options.read_timeout.or(self.inner.read_timeout);
        let body = BodyStream::new(HyperBody::new(body, idle, max, record)).with_size_hint(length);
        Ok(Response::from_parts(parts, body))
    }
}

/// What is known about one request, for its span and errors.
pub(crate) struct RequestRecord {
    span: tracing::Span,
    start: Instant,
    method: Method,
    /// The full URI; only ever shown through [`TransportError::with_target`], which drops the
    /// query.
    pub(crate) uri: Uri,
}

impl RequestRecord {
    fn head(&self, status: StatusCode, version: Version, info: Option<ConnectionInfo>) {
        self.span.record("status", status.as_u16());
        self.span.record("version", tracing::field::debug(version));
        if let Some(info) = info {
            self.span
                .record("connection", if info.reused { "reused" } else { "new" });
            self.span.record("connection_id", info.id);
        }
    }

    pub(crate) fn finish(&self, bytes: Option<u64>, error: Option<&TransportError>) {
        let elapsed = self.start.elapsed();
        self.span
            .record("duration_ms", elapsed.as_secs_f64() * 1000.0);
        if let Some(bytes) = bytes {
            self.span.record("bytes", bytes);
        }
        match error {
            None => tracing::debug!(parent: &self.span, "request finished"),
            Some(e) => {
                self.span.record("error", tracing::field::debug(e.kind()));
                tracing::debug!(parent: &self.span, "request failed");
            }
        }
    }

    pub(crate) fn abandon(&self, bytes: u64) {
        self.span.record("bytes", bytes);
        self.span
            .record("duration_ms", self.start.elapsed().as_secs_f64() * 1000.0);
        tracing::debug!(parent: &self.span, "response body dropped before its end");
    }
}

async fn with_timeout<T>(
    limit: Option<Duration>,
    fut: impl Future<Output = Result<T, TransportError>>,
    what: impl FnOnce() -> &'static str,
) -> Result<T, TransportError> {
    match limit {
        None => fut.await,
        Some(limit) => match tokio::time::timeout(limit, fut).await {
            Ok(result) => result,
            Err(_) => Err(TransportError::new(
                TransportErrorKind::Timeout,
                format!("{} {limit:?}", what()),
            )),
        },
    }
}

/// The response's `Content-Length`, failing up front when it exceeds `max`.
fn checked_content_length(
    record: &RequestRecord,
    status: StatusCode,
    headers: &HeaderMap,
    max: u64,
) -> Result<Option<u64>, TransportError> {
    // HEAD responses and 204/304 carry a Content-Length without a body.
    if record.method == Method::HEAD
        || status == StatusCode::NO_CONTENT
        || status == StatusCode::NOT_MODIFIED
    {
        return Ok(Some(0));
    }
    let length = headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    match length {
        Some(len) if len > max => Err(TransportError::new(
            TransportErrorKind::BodyTooLarge,
            format!("Content-Length {len} exceeds the limit of {max} bytes"),
        )
        .with_target(&record.uri)),
        other => Ok(other),
    }
}

async fn read_body(
    mut body: Incoming,
    max: u64,
    length: Option<u64>,
) -> Result<Bytes, TransportError> {
    let mut buf = BytesMut::with_capacity(
        usize::try_from(length.unwrap_or(0).min(max).min(MAX_PREALLOCATION)).unwrap_or(0),
    );
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(classify::body_error)?;
        if let Ok(data) = frame.into_data() {
            if (buf.len() as u64).saturating_add(data.len() as u64) > max {
                return Err(TransportError::body_too_large(max));
            }
            buf.extend_from_slice(&data);
        }
    }
    Ok(buf.freeze())
}

/// Refuse anything but `https://`, or `http://` to a loopback host.
fn check_target(uri: &Uri) -> Result<(), TransportError> {
    let Some(scheme) = uri.scheme_str() else {
        return Err(TransportError::new(
            TransportErrorKind::InvalidRequest,
            "the request URI is not absolute (no scheme)",
        ));
    };
    let Some(host) = uri.host().filter(|h| !h.is_empty()) else {
        return Err(TransportError::new(
            TransportErrorKind::InvalidRequest,
            "the request URI has no host",
        ));
    };
    match scheme {
        "https" => Ok(()),
        "http" if is_loopback_host(host) => Ok(()),
        "http" => Err(TransportError::new(
            TransportErrorKind::InsecureScheme,
            format!(
                "plain http:// is only allowed for loopback hosts (127.0.0.0/8, ::1, localhost); \
                 use https:// for {host}"
            ),
        )),
        _ => Err(TransportError::new(
            TransportErrorKind::InvalidRequest,
            "unsupported URI scheme (only https, and http for loopback)",
        )),
    }
}

fn mark_sensitive(headers: &mut HeaderMap) {
    for name in [
        AUTH_DIGEST,
        AUTHORIZATION.as_str(),
        PROXY_AUTHORIZATION.as_str(),
        COOKIE.as_str(),
    ] {
        if let http::header::Entry::Occupied(mut entry) = headers.entry(name) {
            for value in entry.iter_mut() {
                value.set_sensitive(true);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_checks() {
        let ok = |u: &str| check_target(&u.parse().unwrap());
        assert!(ok("https://api.yoti.com/idverify/v1").is_ok());
        assert!(ok("http://127.0.0.1:8080/x").is_ok());
        assert_eq!(
            ok("http://api.yoti.com/x").unwrap_err().kind(),
            TransportErrorKind::InsecureScheme
        );
        assert_eq!(
            ok("ftp://127.0.0.1/x").unwrap_err().kind(),
            TransportErrorKind::InvalidRequest
        );
        assert_eq!(
            ok("/relative").unwrap_err().kind(),
            TransportErrorKind::InvalidRequest
        );
    }

    #[test]
    fn sensitive_headers_marked() {
        let mut headers = HeaderMap::new();
        headers.insert("X-Yoti-Auth-Digest", "sig".parse().unwrap());
        headers.insert("x-yoti-sdk", "Rust".parse().unwrap());
        mark_sensitive(&mut headers);
        assert!(headers["x-yoti-auth-digest"].is_sensitive());
        assert!(!headers["x-yoti-sdk"].is_sensitive());
    }
}
