//! [`HyperTransport`] and how it sends one request: prepare it, wait for the head, hand back the
//! body (buffered or streamed).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use bytes::Bytes;
use http::header::{AUTHORIZATION, COOKIE, HeaderMap, PROXY_AUTHORIZATION};
use http::{Request, Response};
use hyper::body::Incoming;
use hyper_util::client::legacy::Client;
use tracing::Instrument as _;

use super::builder::HyperTransportBuilder;
use super::classify;
use super::head::wait_for_head;
use super::plain_http::check_target;
use super::record::RequestRecord;
use super::response_body::{HyperBody, checked_content_length};
use super::tracking::{ConnTag, TrackingConnector};
use super::upload::{UploadBody, UploadProgress};
use crate::timeouts;
use crate::{BodyStream, SendOptions, Transport, TransportError, TransportErrorKind};

/// The production [`Transport`]: hyper 1 with hyper-util's pooled client and rustls.
///
/// Available on crate feature `hyper` only.
///
/// - HTTP/1.1 and HTTP/2 (negotiated with ALPN over TLS), a keep-alive pool shared by all clones
///   (cloning is cheap), `TCP_NODELAY`.
/// - Timeouts it owns: connecting (TCP and TLS together,
///   [`connect_timeout`](HyperTransportBuilder::connect_timeout)) and waiting without progress
///   for the response head or the next body chunk ([`SendOptions::read_timeout`], default
///   [`read_timeout`](HyperTransportBuilder::read_timeout)). It sets no deadline on the whole
///   exchange: that is the caller's (drop the future).
/// - TLS for every host except loopback: plain `http://` is accepted only for `127.0.0.0/8`,
///   `::1` and the name `localhost`, and only when every address `localhost` resolves to is
///   loopback; anything else fails with [`InsecureScheme`](TransportErrorKind::InsecureScheme)
///   without connecting.
/// - Redirects are never followed. Headers marked sensitive by the caller stay so, and
///   `Authorization`, `Proxy-Authorization` and `Cookie` are marked sensitive. No header is added
///   beyond what HTTP requires (no `Content-Type`).
/// - One `tracing` span per request (`idv_transport.request`, level DEBUG) with `method`, `host`,
///   `path` (never the query), `status`, `version`, `bytes`, `duration_ms`, `connection`
///   (`new` / `reused`), `connection_id` and `error` (the error kind).
///
/// Build one with [`HyperTransport::builder`]; requests must be sent from a tokio runtime.
#[derive(Clone)]
pub struct HyperTransport {
    inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) client: Client<TrackingConnector, UploadBody>,
    pub(crate) read_timeout: Option<Duration>,
    pub(crate) connect_timeout: Option<Duration>,
    /// The rest of the configuration, kept for `Debug` only (the certificates, the resolver and
    /// the crypto provider live inside `client`).
    pub(crate) pool_idle_timeout: Option<Duration>,
    pub(crate) pool_max_idle_per_host: usize,
    pub(crate) http2: bool,
    pub(crate) http2_prior_knowledge: bool,
}

impl fmt::Debug for HyperTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = &*self.inner;
        f.debug_struct("HyperTransport")
            .field("connect_timeout", &c.connect_timeout)
            .field("read_timeout", &c.read_timeout)
            .field("pool_idle_timeout", &c.pool_idle_timeout)
            .field("pool_max_idle_per_host", &c.pool_max_idle_per_host)
            .field("http2", &c.http2)
            .field("http2_prior_knowledge", &c.http2_prior_knowledge)
            .finish_non_exhaustive()
    }
}

impl HyperTransport {
    /// A builder with the defaults: 10 s connect timeout, 30 s read (idle) timeout, 90 s pool
    /// idle timeout, 16 idle connections per host, HTTP/2 via ALPN, `TCP_NODELAY`, webpki roots,
    /// the system resolver.
    pub fn builder() -> HyperTransportBuilder {
        HyperTransportBuilder::default()
    }

    /// A transport with the default configuration.
    pub fn new() -> Result<Self, TransportError> {
        Self::builder().build()
    }

    pub(crate) fn from_inner(inner: Inner) -> Self {
        Self {
            inner: Arc::new(inner),
        }
    }

    /// Check the target and the runtime, and turn the request into what hyper sends.
    fn prepare(
        &self,
        request: Request<Bytes>,
    ) -> Result<(Request<UploadBody>, RequestRecord, UploadProgress), TransportError> {
        let uri = request.uri().clone();
        check_target(&uri).map_err(|e| e.with_target(&uri))?;
        if tokio::runtime::Handle::try_current().is_err() {
            return Err(TransportError::new(
                TransportErrorKind::Config,
                "HyperTransport must be used from within a tokio runtime",
            )
            .with_target(&uri));
        }
        let record = RequestRecord::new(&request);
        let progress = UploadProgress::default();
        let mut request = request.map(|body| UploadBody::new(body, progress.clone()));
        mark_sensitive(request.headers_mut());
        Ok((request, record, progress))
    }

    /// Send the request and wait for the response head (under the idle timeout), checking its
    /// `Content-Length` against the limit. Finishes `record` on failure.
    async fn head(
        &self,
        request: Request<UploadBody>,
        record: &RequestRecord,
        progress: &UploadProgress,
        options: &SendOptions,
    ) -> Result<(Response<Incoming>, Option<u64>), TransportError> {
        let exchange = async {
            let mut response = self
                .inner
                .client
                .request(request)
                .await
                .map_err(classify::request_error)?;
            let info = response.extensions().get::<ConnTag>().map(ConnTag::info);
            record.head(response.status(), response.version(), info);
            if let Some(info) = info {
                response.extensions_mut().insert(info);
            }
            Ok(response)
        };
        let connect_allowance = self.inner.connect_timeout.unwrap_or_default();
        let result = wait_for_head(
            exchange.instrument(record.span.clone()),
            self.idle_timeout(options),
            connect_allowance,
            progress,
        )
        .await
        .map_err(|e| e.with_target(&record.uri))
        .and_then(|response| {
            let max = options.max_body_bytes;
            let length =
                checked_content_length(record, response.status(), response.headers(), max)?;
            Ok((response, length))
        });
        if let Err(e) = &result {
            record.finish(None, Some(e));
        }
        result
    }

    fn idle_timeout(&self, options: &SendOptions) -> Option<Duration> {
        // `SendOptions::read_timeout` is a public field: clamp it here too.
        timeouts::clamp_opt(options.read_timeout.or(self.inner.read_timeout))
    }
}

#[async_trait]
impl Transport for HyperTransport {
    async fn send(
        &self,
        request: Request<Bytes>,
        options: &SendOptions,
    ) -> Result<Response<Bytes>, TransportError> {
        let (request, record, progress) = self.prepare(request)?;
        let span = record.span.clone();
        let (response, length) = self.head(request, &record, &progress, options).await?;
        let (parts, body) = response.into_parts();
        let body = HyperBody::new(
            body,
            self.idle_timeout(options),
            options.max_body_bytes,
            record,
        );
        let bytes = body.collect(length).instrument(span).await?;
        Ok(Response::from_parts(parts, bytes))
    }

    async fn send_streaming(
        &self,
        request: Request<Bytes>,
        options: &SendOptions,
    ) -> Result<Response<BodyStream>, TransportError> {
        let (request, record, progress) = self.prepare(request)?;
        let (response, length) = self.head(request, &record, &progress, options).await?;
        let (parts, body) = response.into_parts();
        let body = HyperBody::new(
            body,
            self.idle_timeout(options),
            options.max_body_bytes,
            record,
        );
        Ok(Response::from_parts(
            parts,
            BodyStream::new(body).with_size_hint(length),
        ))
    }
}

/// Mark the standard credential headers sensitive (HPACK never indexes them). Yoti's own auth
/// header is marked by whoever adds it (idv-sign); the transport keeps any mark it finds.
fn mark_sensitive(headers: &mut HeaderMap) {
    for name in [AUTHORIZATION, PROXY_AUTHORIZATION, COOKIE] {
        if let http::header::Entry::Occupied(mut entry) = headers.entry(name) {
            for value in entry.iter_mut() {
                value.set_sensitive(true);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use http::HeaderValue;

    use super::*;

    #[test]
    fn credential_headers_are_marked_and_marks_are_kept() {
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, HeaderValue::from_static("Bearer t"));
        headers.insert(COOKIE, HeaderValue::from_static("a=b"));
        headers.insert("x-other", HeaderValue::from_static("plain"));
        let mut marked = HeaderValue::from_static("already secret");
        marked.set_sensitive(true);
        headers.insert("x-signed-by-caller", marked);
        mark_sensitive(&mut headers);
        assert!(headers[AUTHORIZATION].is_sensitive());
        assert!(headers[COOKIE].is_sensitive());
        assert!(!headers["x-other"].is_sensitive());
        assert!(headers["x-signed-by-caller"].is_sensitive());
    }
}
