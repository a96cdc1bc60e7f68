//! What is known about one request, for its `tracing` span and its errors.

use std::time::Instant;

use http::{Method, Request, StatusCode, Uri, Version};
use tracing::field::Empty;

use super::ConnectionInfo;
use crate::TransportError;

/// One request's span (`idv_transport.request`), start time, method and target.
pub(crate) struct RequestRecord {
    pub(crate) span: tracing::Span,
    start: Instant,
    pub(crate) method: Method,
    /// The full URI; only ever shown through [`TransportError::with_target`], which drops the
    /// query.
    pub(crate) uri: Uri,
}

impl RequestRecord {
    /// Open the span for `request` (method, `host:port`, path; never the query).
    pub(crate) fn new<B>(request: &Request<B>) -> Self {
        let uri = request.uri().clone();
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
        Self {
            span,
            start: Instant::now(),
            method: request.method().clone(),
            uri,
        }
    }

    /// The response head arrived.
    pub(crate) fn head(&self, status: StatusCode, version: Version, info: Option<ConnectionInfo>) {
        self.span.record("status", status.as_u16());
        self.span.record("version", tracing::field::debug(version));
        if let Some(info) = info {
            self.span
                .record("connection", if info.reused { "reused" } else { "new" });
            self.span.record("connection_id", info.id);
        }
    }

    /// The exchange ended: with the body's size, or with an error.
    pub(crate) fn finish(&self, bytes: Option<u64>, error: Option<&TransportError>) {
        self.span
            .record("duration_ms", self.start.elapsed().as_secs_f64() * 1000.0);
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

    /// The caller dropped the body after `bytes` bytes, before its end.
    pub(crate) fn abandon(&self, bytes: u64) {
        self.span.record("bytes", bytes);
        self.span
            .record("duration_ms", self.start.elapsed().as_secs_f64() * 1000.0);
        tracing::debug!(parent: &self.span, "response body dropped before its end");
    }
}
