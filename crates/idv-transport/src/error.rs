//! The typed error every [`Transport`](crate::Transport) returns.

use std::borrow::Cow;
use std::error::Error as StdError;
use std::fmt;

/// A boxed error usable as the [source](std::error::Error::source) of a [`TransportError`].
pub type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// What went wrong, coarsely: enough to decide whether to retry and how to report it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// The connection could not be established (DNS, refused, unreachable, connect timeout).
    /// The request was not sent.
    Connect,
    /// The TLS handshake failed (untrusted or invalid certificate, protocol mismatch).
    Tls,
    /// The request or a read of the response body took longer than allowed.
    Timeout,
    /// The connection failed after it was established but before a response head arrived
    /// (reset, closed by the peer). The server may or may not have seen the request.
    Io,
    /// Reading the response body failed: the connection was reset or closed mid-body, or the body
    /// was shorter than its `Content-Length` (truncated).
    Body,
    /// The response body is larger than [`SendOptions::max_body_bytes`](crate::SendOptions).
    BodyTooLarge,
    /// The peer violated HTTP (malformed response, HTTP/2 protocol error).
    Protocol,
    /// Plain `http://` was requested for a host that is not loopback. Nothing was sent.
    InsecureScheme,
    /// The request cannot be sent as given (missing scheme or host, unsupported scheme).
    /// Nothing was sent.
    InvalidRequest,
    /// The transport is misconfigured (for instance a CA certificate that is not PEM).
    Config,
    /// Anything else.
    Other,
}

impl TransportErrorKind {
    /// Whether retrying the same request could succeed: `true` for connection failures,
    /// timeouts and I/O failures, `false` for TLS, size-limit, protocol and request errors.
    ///
    /// Whether a retry is *safe* (the request is idempotent) is the caller's decision.
    pub fn is_retryable(self) -> bool {
        matches!(self, Self::Connect | Self::Timeout | Self::Io | Self::Body)
    }

    fn describe(self) -> &'static str {
        match self {
            Self::Connect => "connection failed",
            Self::Tls => "TLS handshake failed",
            Self::Timeout => "timed out",
            Self::Io => "connection failed before the response arrived",
            Self::Body => "reading the response body failed",
            Self::BodyTooLarge => "response body too large",
            Self::Protocol => "HTTP protocol error",
            Self::InsecureScheme => "insecure scheme refused",
            Self::InvalidRequest => "invalid request",
            Self::Config => "invalid transport configuration",
            Self::Other => "transport error",
        }
    }
}

impl fmt::Display for TransportErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

/// An error from a [`Transport`](crate::Transport).
///
/// Its `Display` is one line: the kind, a short detail and, when known, the target as
/// `scheme://host:port/path` — **never** the query string (it carries nonces and ids), header
/// values or bodies. The underlying cause is available through
/// [`source()`](std::error::Error::source).
///
/// Other transports build one with [`TransportError::new`]:
///
/// ```
/// use idv_transport::{TransportError, TransportErrorKind};
///
/// let io = std::io::Error::new(std::io::ErrorKind::ConnectionReset, "reset");
/// let err = TransportError::new(TransportErrorKind::Body, "connection reset mid-body")
///     .with_source(io)
///     .with_target(&"https://api.example.com/idverify/v1/sessions/x?nonce=secret".parse().unwrap());
/// assert!(err.is_retryable());
/// assert_eq!(
///     err.to_string(),
///     "reading the response body failed: connection reset mid-body \
///      (https://api.example.com/idverify/v1/sessions/x)"
/// );
/// ```
#[derive(Debug, thiserror::Error)]
#[error("{kind}: {message}{}", DisplayTarget(target.as_deref()))]
pub struct TransportError {
    kind: TransportErrorKind,
    message: Cow<'static, str>,
    target: Option<Box<str>>,
    #[source]
    source: Option<BoxError>,
}

struct DisplayTarget<'a>(Option<&'a str>);

impl fmt::Display for DisplayTarget<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(t) => write!(f, " ({t})"),
            None => Ok(()),
        }
    }
}

impl TransportError {
    /// A new error of `kind` with a short, secret-free detail message.
    pub fn new(kind: TransportErrorKind, message: impl Into<Cow<'static, str>>) -> Self {
        Self {
            kind,
            message: message.into(),
            target: None,
            source: None,
        }
    }

    /// Attach the underlying cause.
    #[must_use]
    pub fn with_source(mut self, source: impl Into<BoxError>) -> Self {
        self.source = Some(source.into());
        self
    }

    /// Record the request target: scheme, host, port and path are kept; the query string and
    /// any user-info are dropped.
    #[must_use]
    pub fn with_target(mut self, uri: &http::Uri) -> Self {
        self.target = Some(redacted_target(uri).into_boxed_str());
        self
    }

    /// The error for a body larger than `limit` bytes.
    pub fn body_too_large(limit: u64) -> Self {
        Self::new(
            TransportErrorKind::BodyTooLarge,
            format!("the body exceeds the limit of {limit} bytes"),
        )
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// Whether retrying could help (see [`TransportErrorKind::is_retryable`]).
    pub fn is_retryable(&self) -> bool {
        self.kind.is_retryable()
    }

    /// Whether this is a timeout.
    pub fn is_timeout(&self) -> bool {
        self.kind == TransportErrorKind::Timeout
    }

    /// The detail message (without the kind and target).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The request target (`scheme://host:port/path`, no query), when known.
    pub fn target(&self) -> Option<&str> {
        self.target.as_deref()
    }
}

/// `scheme://host[:port]/path` of `uri`, without user-info or query.
pub(crate) fn redacted_target(uri: &http::Uri) -> String {
    let mut out = String::new();
    if let Some(scheme) = uri.scheme_str() {
        out.push_str(scheme);
        out.push_str("://");
    }
    if let Some(host) = uri.host() {
        out.push_str(host);
    }
    if let Some(port) = uri.port_u16() {
        out.push(':');
        out.push_str(&port.to_string());
    }
    out.push_str(uri.path());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_never_shows_query_or_userinfo() {
        let uri: http::Uri = "https://user:pw@host.example:8443/a/b?nonce=abc&sdkId=x"
            .parse()
            .unwrap();
        let e = TransportError::new(TransportErrorKind::Timeout, "no response after 1s")
            .with_target(&uri);
        let s = e.to_string();
        assert_eq!(
            s,
            "timed out: no response after 1s (https://host.example:8443/a/b)"
        );
        assert!(!s.contains("nonce") && !s.contains("pw"));
        assert_eq!(e.target(), Some("https://host.example:8443/a/b"));
    }

    #[test]
    fn retryable_kinds() {
        use TransportErrorKind as K;
        for k in [K::Connect, K::Timeout, K::Io, K::Body] {
            assert!(k.is_retryable(), "{k:?}");
        }
        for k in [
            K::Tls,
            K::BodyTooLarge,
            K::Protocol,
            K::InsecureScheme,
            K::InvalidRequest,
            K::Config,
            K::Other,
        ] {
            assert!(!k.is_retryable(), "{k:?}");
        }
    }

    #[test]
    fn source_chain_is_kept() {
        let io = std::io::Error::new(std::io::ErrorKind::ConnectionReset, "reset by peer");
        let e = TransportError::new(TransportErrorKind::Body, "x").with_source(io);
        let src = StdError::source(&e).expect("source");
        assert_eq!(src.to_string(), "reset by peer");
        assert!(
            TransportError::body_too_large(10)
                .to_string()
                .contains("10 bytes")
        );
    }
}
