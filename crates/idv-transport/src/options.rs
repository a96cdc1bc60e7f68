//! Per-request options.

use std::time::Duration;

/// The default [`SendOptions::max_body_bytes`]: 16 MiB.
pub const DEFAULT_MAX_BODY_BYTES: u64 = 16 * 1024 * 1024;

/// Options for one request.
///
/// ```
/// use std::time::Duration;
/// use idv_transport::SendOptions;
///
/// let options = SendOptions::default()
///     .with_max_body_bytes(1024 * 1024)
///     .with_timeout(Duration::from_secs(10));
/// assert_eq!(options.max_body_bytes, 1024 * 1024);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SendOptions {
    /// The largest response body accepted, in bytes (default [`DEFAULT_MAX_BODY_BYTES`]).
    ///
    /// Checked against `Content-Length` before reading and again while reading, so a server that
    /// lies or sends no length cannot exhaust memory. Exceeding it gives a
    /// [`BodyTooLarge`](crate::TransportErrorKind::BodyTooLarge) error. It applies to
    /// [`send_streaming`](crate::Transport::send_streaming) too: raise it for large downloads.
    pub max_body_bytes: u64,
    /// The time allowed for this request; `None` uses the transport's default.
    ///
    /// For [`send`](crate::Transport::send) it covers the whole exchange (connect, request,
    /// response head and body). For [`send_streaming`](crate::Transport::send_streaming) it
    /// covers everything up to the response head; the body is then bounded by
    /// [`read_timeout`](Self::read_timeout).
    pub timeout: Option<Duration>,
    /// For streamed bodies, the longest wait for the next chunk (an idle timeout); `None` uses
    /// the transport's default.
    pub read_timeout: Option<Duration>,
}

impl Default for SendOptions {
    fn default() -> Self {
        Self {
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            timeout: None,
            read_timeout: None,
        }
    }
}

impl SendOptions {
    /// The default options (same as [`Default::default`]).
    pub fn new() -> Self {
        Self::default()
    }

    /// Set [`max_body_bytes`](Self::max_body_bytes).
    #[must_use]
    pub fn with_max_body_bytes(mut self, max_body_bytes: u64) -> Self {
        self.max_body_bytes = max_body_bytes;
        self
    }

    /// Set [`timeout`](Self::timeout).
    #[must_use]
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Set [`read_timeout`](Self::read_timeout).
    #[must_use]
    pub fn with_read_timeout(mut self, read_timeout: Duration) -> Self {
        self.read_timeout = Some(read_timeout);
        self
    }
}
