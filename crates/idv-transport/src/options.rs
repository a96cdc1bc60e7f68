//! Per-request options.

use std::time::Duration;

use crate::timeouts;

/// The default [`SendOptions::max_body_bytes`]: 16 MiB.
pub const DEFAULT_MAX_BODY_BYTES: u64 = 16 * 1024 * 1024;

/// Options for one request.
///
/// A transport owns the timeouts that only it can observe: connecting (configured on the
/// transport) and reading without progress ([`read_timeout`](Self::read_timeout)). A deadline
/// for the whole request belongs to the caller, who enforces it by dropping the future; a
/// transport never imposes one of its own, so no limit is enforced twice.
///
/// ```
/// use std::time::Duration;
/// use idv_transport::SendOptions;
///
/// let options = SendOptions::default()
///     .with_max_body_bytes(1024 * 1024)
///     .with_read_timeout(Duration::from_secs(10));
/// assert_eq!(options.max_body_bytes, 1024 * 1024);
/// assert_eq!(options.read_timeout, Some(Duration::from_secs(10)));
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
    /// The idle timeout: the longest wait without progress while reading the response, for its
    /// head and between the chunks of its body, for [`send`](crate::Transport::send) and
    /// [`send_streaming`](crate::Transport::send_streaming) alike. `None` uses the transport's
    /// default.
    ///
    /// A slow but steady body never hits it; a server that goes silent does. Values above
    /// [`MAX_TIMEOUT`](crate::MAX_TIMEOUT) are treated as `MAX_TIMEOUT`.
    pub read_timeout: Option<Duration>,
}

impl Default for SendOptions {
    fn default() -> Self {
        Self {
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
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

    /// Set [`read_timeout`](Self::read_timeout), clamped to [`MAX_TIMEOUT`](crate::MAX_TIMEOUT).
    #[must_use]
    pub fn with_read_timeout(mut self, read_timeout: Duration) -> Self {
        self.read_timeout = Some(timeouts::clamp(read_timeout));
        self
    }
}
