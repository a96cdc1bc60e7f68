//! The retry rule: one policy, and one classifier from (request, failure) to an action, used by
//! every path of the engine (buffered, streamed, media restarts mid-body, polling).

use std::time::{Duration, SystemTime};

use http::{Method, StatusCode};
use idv_transport::TransportErrorKind;

/// When and how often a failed request is tried again.
///
/// [`max_attempts`](Self::with_max_attempts) bounds the total number of requests one call
/// makes, every retry and every restart of a media download mid-body included.
///
/// Which failures are retried is decided in one place (see [`RetryAction`]):
///
/// - `GET`, `HEAD`, `OPTIONS` and `DELETE` (and any request marked
///   [idempotent](crate::RequestBuilder::idempotent)) are retried after a transient transport
///   failure (connection refused or reset, a timeout, a body cut short) and after the statuses
///   `429`, `500`, `502`, `503` and `504`; never after any other status.
/// - `POST`, `PUT` and `PATCH` are retried only when the request provably never reached the
///   server (the connection could not be established): never after a timeout, a reset or an
///   error status, because the server may have acted on it (a second `POST /sessions` creates a
///   second session).
///
/// The wait before retry *n* (counting from 0) is drawn uniformly from
/// `[0, min(max_backoff, initial_backoff × 2ⁿ)]` ("full jitter"), unless the response carried a
/// `Retry-After` header (seconds or an HTTP date), which is honoured up to
/// [`max_retry_after`](Self::with_max_retry_after). No retry starts when its wait would end
/// after the call's overall timeout. Every attempt is signed afresh.
///
/// ```
/// use std::time::Duration;
/// use idv_client::RetryPolicy;
///
/// let policy = RetryPolicy::default()
///     .with_max_attempts(5)
///     .with_initial_backoff(Duration::from_millis(50))
///     .with_max_backoff(Duration::from_secs(2));
/// assert_eq!(policy.max_attempts(), 5);
/// assert_eq!(RetryPolicy::never().max_attempts(), 1);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
}

impl Default for RetryPolicy {
    /// Up to 4 requests per call, backoff from 100 ms up to 5 s, `Retry-After` honoured up to
    /// 30 s.
    fn default() -> Self {
        Self {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(5),
            max_retry_after: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries (one request per call).
    pub fn never() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// The most requests one call may make, the first included (0 is treated as 1).
    #[must_use]
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The upper bound of the first backoff (later ones double, up to `max_backoff`).
    #[must_use]
    pub fn with_initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The largest upper bound of any backoff.
    #[must_use]
    pub fn with_max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// The longest `Retry-After` honoured; longer values are shortened to this.
    #[must_use]
    pub fn with_max_retry_after(mut self, cap: Duration) -> Self {
        self.max_retry_after = cap;
        self
    }

    /// The most requests one call may make.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The upper bound of the first backoff.
    pub fn initial_backoff(&self) -> Duration {
        self.initial_backoff
    }

    /// The largest upper bound of any backoff.
    pub fn max_backoff(&self) -> Duration {
        self.max_backoff
    }

    /// The longest `Retry-After` honoured.
    pub fn max_retry_after(&self) -> Duration {
        self.max_retry_after
    }

    /// The upper bound of the wait before retry number `retry` (0 for the first retry).
    pub(crate) fn backoff_ceiling(&self, retry: u32) -> Duration {
        let factor = 1u32.checked_shl(retry.min(31)).unwrap_or(u32::MAX);
        self.initial_backoff
            .checked_mul(factor)
            .unwrap_or(Duration::MAX)
            .min(self.max_backoff)
    }

    /// The wait that `action` asks for before retry number `retry`; `None` for
    /// [`RetryAction::DontRetry`].
    pub(crate) fn delay(&self, action: RetryAction, retry: u32) -> Option<Duration> {
        match action {
            RetryAction::DontRetry => None,
            RetryAction::RetryAfter(d) => Some(d.min(self.max_retry_after)),
            RetryAction::Backoff => {
                // Full jitter: uniform in [0, ceiling].
                let ceiling = self.backoff_ceiling(retry);
                let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
                Some(Duration::from_nanos(fastrand::u64(0..=nanos)))
            }
        }
    }
}

/// What to do after a failed attempt: the answer of the one retry classifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryAction {
    /// Give up: the failure is permanent, or a retry could repeat a side effect.
    DontRetry,
    /// Retry after this long: the server asked for it with `Retry-After` (capped by
    /// [`RetryPolicy::max_retry_after`]).
    RetryAfter(Duration),
    /// Retry after an exponential backoff with full jitter.
    Backoff,
}

/// Whether a failed request may have reached the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reach {
    /// Provably not: the connection was never established.
    Never,
    /// It may have: the server may have acted on it.
    Maybe,
}

/// How an attempt failed, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Failure {
    /// The server answered with an error status.
    Status {
        status: StatusCode,
        retry_after: Option<Duration>,
    },
    /// The exchange failed; `transient` when the same request could succeed later.
    Exchange { reach: Reach, transient: bool },
}

impl Failure {
    /// The failure of a transport error of `kind`.
    pub(crate) fn of_transport(kind: TransportErrorKind) -> Self {
        let reach = match kind {
            // Nothing was sent: no connection, a refused scheme, an unsendable request.
            TransportErrorKind::Connect
            | TransportErrorKind::Tls
            | TransportErrorKind::InsecureScheme
            | TransportErrorKind::InvalidRequest
            | TransportErrorKind::Config => Reach::Never,
            _ => Reach::Maybe,
        };
        Self::Exchange {
            reach,
            transient: kind.is_retryable(),
        }
    }

    /// A timeout of an attempt, or a body that stopped part-way: the request was sent.
    pub(crate) const INTERRUPTED: Self = Self::Exchange {
        reach: Reach::Maybe,
        transient: true,
    };

    /// Whether the same request could succeed if sent again (ignoring whether that is safe).
    pub(crate) fn is_transient(self) -> bool {
        match self {
            Self::Status { status, .. } => is_retryable_status(status),
            Self::Exchange { transient, .. } => transient,
        }
    }
}

/// Whether a request is safe to send twice.
pub(crate) fn is_idempotent(method: &Method, marked_idempotent: bool) -> bool {
    marked_idempotent
        || matches!(
            *method,
            Method::GET | Method::HEAD | Method::OPTIONS | Method::DELETE
        )
}

/// The one retry rule: what to do after `failure` of a request with `method` (marked
/// idempotent by the caller or not).
pub(crate) fn classify(method: &Method, marked_idempotent: bool, failure: Failure) -> RetryAction {
    if !failure.is_transient() {
        return RetryAction::DontRetry;
    }
    let safe = match failure {
        Failure::Exchange {
            reach: Reach::Never,
            ..
        } => true,
        _ => is_idempotent(method, marked_idempotent),
    };
    match failure {
        _ if !safe => RetryAction::DontRetry,
        Failure::Status {
            retry_after: Some(d),
            ..
        } => RetryAction::RetryAfter(d),
        _ => RetryAction::Backoff,
    }
}

/// Whether a response status is worth retrying.
pub(crate) fn is_retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 429 | 500 | 502 | 503 | 504)
}

/// Parses a `Retry-After` header value: delay-seconds or an HTTP date. A date in the past gives
/// zero; a huge number of seconds saturates (the policy caps it). `None` when unparseable.
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return Some(Duration::from_secs(
            value.parse::<u64>().unwrap_or(u64::MAX),
        ));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use std::time::UNIX_EPOCH;

    use super::*;

    fn at(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(secs)
    }

    fn status(code: u16, retry_after: Option<Duration>) -> Failure {
        Failure::Status {
            status: StatusCode::from_u16(code).unwrap(),
            retry_after,
        }
    }

    #[test]
    fn retryable_statuses() {
        for s in [429, 500, 502, 503, 504] {
            assert!(is_retryable_status(StatusCode::from_u16(s).unwrap()), "{s}");
        }
        for s in [200, 204, 400, 401, 403, 404, 409, 422, 501, 505] {
            assert!(
                !is_retryable_status(StatusCode::from_u16(s).unwrap()),
                "{s}"
            );
        }
    }

    #[test]
    fn idempotent_requests_retry_transient_failures() {
        for m in [Method::GET, Method::DELETE] {
            assert_eq!(classify(&m, false, status(503, None)), RetryAction::Backoff);
            assert_eq!(
                classify(&m, false, status(429, Some(Duration::from_secs(2)))),
                RetryAction::RetryAfter(Duration::from_secs(2))
            );
            assert_eq!(
                classify(&m, false, status(404, None)),
                RetryAction::DontRetry
            );
            assert_eq!(
                classify(&m, false, Failure::INTERRUPTED),
                RetryAction::Backoff
            );
            assert_eq!(
                classify(
                    &m,
                    false,
                    Failure::of_transport(TransportErrorKind::BodyTooLarge)
                ),
                RetryAction::DontRetry
            );
        }
    }

    #[test]
    fn non_idempotent_requests_retry_only_what_never_reached_the_server() {
        for m in [Method::POST, Method::PUT, Method::PATCH] {
            assert_eq!(
                classify(&m, false, status(503, None)),
                RetryAction::DontRetry
            );
            assert_eq!(
                classify(&m, false, status(429, Some(Duration::ZERO))),
                RetryAction::DontRetry
            );
            assert_eq!(
                classify(&m, false, Failure::INTERRUPTED),
                RetryAction::DontRetry
            );
            for kind in [TransportErrorKind::Io, TransportErrorKind::Timeout] {
                assert_eq!(
                    classify(&m, false, Failure::of_transport(kind)),
                    RetryAction::DontRetry,
                    "{kind:?}"
                );
            }
            assert_eq!(
                classify(
                    &m,
                    false,
                    Failure::of_transport(TransportErrorKind::Connect)
                ),
                RetryAction::Backoff
            );
            // Marked idempotent by the caller: like a GET.
            assert_eq!(classify(&m, true, status(503, None)), RetryAction::Backoff);
        }
    }

    #[test]
    fn backoff_ceiling_doubles_and_is_capped() {
        let p = RetryPolicy::default()
            .with_initial_backoff(Duration::from_millis(100))
            .with_max_backoff(Duration::from_millis(1_000));
        assert_eq!(p.backoff_ceiling(0), Duration::from_millis(100));
        assert_eq!(p.backoff_ceiling(1), Duration::from_millis(200));
        assert_eq!(p.backoff_ceiling(3), Duration::from_millis(800));
        assert_eq!(p.backoff_ceiling(4), Duration::from_millis(1_000));
        assert_eq!(p.backoff_ceiling(u32::MAX), Duration::from_millis(1_000));
        let huge = RetryPolicy::default()
            .with_initial_backoff(Duration::MAX)
            .with_max_backoff(Duration::MAX);
        assert_eq!(huge.backoff_ceiling(40), Duration::MAX);
        assert!(huge.delay(RetryAction::Backoff, 40).is_some());
    }

    #[test]
    fn full_jitter_stays_in_range_and_varies() {
        let p = RetryPolicy::default()
            .with_initial_backoff(Duration::from_millis(100))
            .with_max_backoff(Duration::from_secs(1));
        let samples: Vec<Duration> = (0..200)
            .map(|_| p.delay(RetryAction::Backoff, 2).unwrap())
            .collect();
        assert!(samples.iter().all(|d| *d <= Duration::from_millis(400)));
        let distinct: std::collections::HashSet<_> = samples.iter().collect();
        assert!(distinct.len() > 100, "full jitter should spread waits");
        assert!(samples.iter().any(|d| *d < Duration::from_millis(200)));
        assert!(samples.iter().any(|d| *d > Duration::from_millis(200)));
        assert_eq!(p.delay(RetryAction::DontRetry, 0), None);
    }

    #[test]
    fn zero_attempts_means_one() {
        assert_eq!(
            RetryPolicy::default().with_max_attempts(0).max_attempts(),
            1
        );
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        let now = at(1_000);
        assert_eq!(parse_retry_after("0", now), Some(Duration::ZERO));
        assert_eq!(
            parse_retry_after(" 120 ", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(
            parse_retry_after("99999999999999999999999", now),
            Some(Duration::from_secs(u64::MAX))
        );
        for bad in ["-1", "1.5", "", "soon", "Sun, 06 Foo 1994 08:49:37 GMT"] {
            assert_eq!(parse_retry_after(bad, now), None, "{bad}");
        }
        // Sun, 06 Nov 1994 08:49:37 GMT = 784111777, in the three forms RFC 9110 allows.
        let t = 784_111_777;
        for v in [
            "Sun, 06 Nov 1994 08:49:37 GMT",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
        ] {
            assert_eq!(
                parse_retry_after(v, at(t - 10)),
                Some(Duration::from_secs(10)),
                "{v}"
            );
        }
        // A date in the past means "now".
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", at(t + 100)),
            Some(Duration::ZERO)
        );
    }

    #[test]
    fn retry_after_is_capped() {
        let p = RetryPolicy::default().with_max_retry_after(Duration::from_secs(3));
        let ask = |secs| p.delay(RetryAction::RetryAfter(Duration::from_secs(secs)), 0);
        assert_eq!(ask(1), Some(Duration::from_secs(1)));
        assert_eq!(ask(u64::MAX), Some(Duration::from_secs(3)));
    }
}
