//! The retry policy: which failures are retried, how long to wait, and `Retry-After`.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http::StatusCode;

/// When and how often a failed request is tried again.
///
/// Only idempotent requests (`GET`, `DELETE`) are retried, unless
/// [`RetryPolicy::retry_non_idempotent`] is set. A request is retried after a transport error
/// that may be transient (connection refused or reset, a timeout…) and after the statuses
/// `429`, `500`, `502`, `503` and `504`; never after any other `4xx`.
///
/// The wait before retry *n* (counting from 0) is drawn uniformly from
/// `[0, min(max_backoff, initial_backoff × 2ⁿ)]` ("full jitter"), unless the response carried a
/// `Retry-After` header (seconds or an HTTP date), which is honoured up to
/// [`RetryPolicy::max_retry_after`]. No retry starts when its wait would end after the call's
/// overall timeout. Every attempt is signed afresh, with a new nonce and timestamp.
///
/// ```
/// use std::time::Duration;
/// use idv_client::RetryPolicy;
///
/// let policy = RetryPolicy::default()
///     .max_attempts(5)
///     .initial_backoff(Duration::from_millis(50))
///     .max_backoff(Duration::from_secs(2));
/// assert_eq!(policy.get_max_attempts(), 5);
/// assert_eq!(RetryPolicy::never().get_max_attempts(), 1);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
    retry_non_idempotent: bool,
}

impl Default for RetryPolicy {
    /// Up to 4 attempts, backoff from 100 ms up to 5 s, `Retry-After` honoured up to 30 s,
    /// idempotent requests only.
    fn default() -> Self {
        Self {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(5),
            max_retry_after: Duration::from_secs(30),
            retry_non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries (one attempt).
    pub fn never() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// The maximum number of attempts, the first included (at least 1; 0 is treated as 1).
    #[must_use]
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The upper bound of the first backoff (later ones double, up to `max_backoff`).
    #[must_use]
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The largest upper bound of any backoff.
    #[must_use]
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// The longest `Retry-After` honoured; longer values are shortened to this.
    #[must_use]
    pub fn max_retry_after(mut self, cap: Duration) -> Self {
        self.max_retry_after = cap;
        self
    }

    /// Also retry non-idempotent requests (`POST`, `PUT`, `PATCH`). Off by default: retrying
    /// `POST /sessions` would create a second session.
    #[must_use]
    pub fn retry_non_idempotent(mut self, yes: bool) -> Self {
        self.retry_non_idempotent = yes;
        self
    }

    /// The maximum number of attempts.
    pub fn get_max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The upper bound of the first backoff.
    pub fn get_initial_backoff(&self) -> Duration {
        self.initial_backoff
    }

    /// The largest upper bound of any backoff.
    pub fn get_max_backoff(&self) -> Duration {
        self.max_backoff
    }

    /// The longest `Retry-After` honoured.
    pub fn get_max_retry_after(&self) -> Duration {
        self.max_retry_after
    }

    /// Whether non-idempotent requests are retried.
    pub fn get_retry_non_idempotent(&self) -> bool {
        self.retry_non_idempotent
    }

    /// Whether `method` may be retried at all under this policy.
    pub(crate) fn allows_method(&self, method: &http::Method) -> bool {
        self.retry_non_idempotent
            || matches!(
                *method,
                http::Method::GET
                    | http::Method::DELETE
                    | http::Method::HEAD
                    | http::Method::OPTIONS
            )
    }

    /// The upper bound of the wait before retry number `retry` (0 for the first retry).
    pub(crate) fn backoff_ceiling(&self, retry: u32) -> Duration {
        let factor = 1u32.checked_shl(retry.min(31)).unwrap_or(u32::MAX);
        self.initial_backoff
            .checked_mul(factor)
            .unwrap_or(Duration::MAX)
            .min(self.max_backoff)
    }

    /// A full-jitter wait before retry number `retry`: uniform in `[0, ceiling]`.
    pub(crate) fn backoff(&self, retry: u32) -> Duration {
        let ceiling = self.backoff_ceiling(retry);
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(fastrand::u64(0..=nanos))
    }

    /// The wait asked for by a `Retry-After` value, capped.
    pub(crate) fn retry_after_delay(&self, retry_after: Duration) -> Duration {
        retry_after.min(self.max_retry_after)
    }
}

/// Whether a response status is worth retrying.
pub(crate) fn is_retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 429 | 500 | 502 | 503 | 504)
}

/// Parses a `Retry-After` header value: delay-seconds or an HTTP date (IMF-fixdate, RFC 850 or
/// asctime). A date in the past gives zero. `None` when unparseable.
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Very large values saturate (the caller caps them anyway).
        return Some(Duration::from_secs(
            value.parse::<u64>().unwrap_or(u64::MAX),
        ));
    }
    let at = parse_http_date(value)?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn parse_http_date(s: &str) -> Option<SystemTime> {
    let parts: Vec<&str> = s.split_ascii_whitespace().collect();
    let (day, month, year, time) = match parts.as_slice() {
        // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
        [wd, d, m, y, t, "GMT"] if wd.ends_with(',') => (*d, *m, y.parse::<i64>().ok()?, *t),
        // RFC 850: Sunday, 06-Nov-94 08:49:37 GMT
        [wd, dmy, t, "GMT"] if wd.ends_with(',') => {
            let mut it = dmy.split('-');
            let (d, m, y) = (it.next()?, it.next()?, it.next()?);
            if it.next().is_some() || y.len() != 2 {
                return None;
            }
            let yy = y.parse::<i64>().ok()?;
            // RFC 9110: a two-digit year more than 50 years in the future is in the past.
            let year = if yy < 70 { 2000 + yy } else { 1900 + yy };
            (d, m, year, *t)
        }
        // asctime: Sun Nov  6 08:49:37 1994
        [_wd, m, d, t, y] => (*d, *m, y.parse::<i64>().ok()?, *t),
        _ => return None,
    };
    let day: i64 = day.parse().ok()?;
    let month = MONTHS.iter().position(|m| *m == month)? as i64 + 1;
    let mut hms = time.split(':');
    let h: i64 = hms.next()?.parse().ok()?;
    let mi: i64 = hms.next()?.parse().ok()?;
    let se: i64 = hms.next()?.parse().ok()?;
    if hms.next().is_some()
        || !(1..=31).contains(&day)
        || !(0..24).contains(&h)
        || !(0..60).contains(&mi)
        || !(0..61).contains(&se)
        || !(1970..=9999).contains(&year)
    {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let secs = u64::try_from(days * 86_400 + h * 3_600 + mi * 60 + se).ok()?;
    UNIX_EPOCH.checked_add(Duration::from_secs(secs))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(secs)
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
    fn only_idempotent_methods_by_default() {
        let p = RetryPolicy::default();
        assert!(p.allows_method(&http::Method::GET));
        assert!(p.allows_method(&http::Method::DELETE));
        assert!(!p.allows_method(&http::Method::POST));
        assert!(!p.allows_method(&http::Method::PUT));
        let p = p.retry_non_idempotent(true);
        assert!(p.allows_method(&http::Method::POST));
        assert!(p.allows_method(&http::Method::PUT));
    }

    #[test]
    fn backoff_ceiling_doubles_and_is_capped() {
        let p = RetryPolicy::default()
            .initial_backoff(Duration::from_millis(100))
            .max_backoff(Duration::from_millis(1_000));
        assert_eq!(p.backoff_ceiling(0), Duration::from_millis(100));
        assert_eq!(p.backoff_ceiling(1), Duration::from_millis(200));
        assert_eq!(p.backoff_ceiling(2), Duration::from_millis(400));
        assert_eq!(p.backoff_ceiling(3), Duration::from_millis(800));
        assert_eq!(p.backoff_ceiling(4), Duration::from_millis(1_000));
        assert_eq!(p.backoff_ceiling(60), Duration::from_millis(1_000));
        assert_eq!(p.backoff_ceiling(u32::MAX), Duration::from_millis(1_000));
    }

    #[test]
    fn full_jitter_stays_in_range_and_varies() {
        let p = RetryPolicy::default()
            .initial_backoff(Duration::from_millis(100))
            .max_backoff(Duration::from_secs(1));
        let samples: Vec<Duration> = (0..200).map(|_| p.backoff(2)).collect();
        assert!(samples.iter().all(|d| *d <= Duration::from_millis(400)));
        let distinct: std::collections::HashSet<_> = samples.iter().collect();
        assert!(distinct.len() > 100, "full jitter should spread waits");
        // Some waits fall in the lower half, some in the upper: it is not a fixed delay.
        assert!(samples.iter().any(|d| *d < Duration::from_millis(200)));
        assert!(samples.iter().any(|d| *d > Duration::from_millis(200)));
    }

    #[test]
    fn zero_attempts_means_one() {
        assert_eq!(RetryPolicy::default().max_attempts(0).get_max_attempts(), 1);
    }

    #[test]
    fn retry_after_seconds() {
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
        assert_eq!(parse_retry_after("-1", now), None);
        assert_eq!(parse_retry_after("1.5", now), None);
        assert_eq!(parse_retry_after("", now), None);
        assert_eq!(parse_retry_after("soon", now), None);
    }

    #[test]
    fn retry_after_http_dates() {
        // Sun, 06 Nov 1994 08:49:37 GMT = 784111777
        let t = 784_111_777;
        let now = at(t - 10);
        for v in [
            "Sun, 06 Nov 1994 08:49:37 GMT",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
        ] {
            assert_eq!(
                parse_retry_after(v, now),
                Some(Duration::from_secs(10)),
                "{v}"
            );
        }
        // A date in the past means "now".
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", at(t + 100)),
            Some(Duration::ZERO)
        );
        // A leap-year date after 2000.
        assert_eq!(
            parse_http_date("Thu, 29 Feb 2024 12:00:00 GMT"),
            Some(at(1_709_208_000))
        );
        for bad in [
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "Sun, 06 Foo 1994 08:49:37 GMT",
            "Sun, 32 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 25:49:37 GMT",
            "Sun, 06 Nov 1994 08:49 GMT",
        ] {
            assert_eq!(parse_retry_after(bad, now), None, "{bad}");
        }
    }

    #[test]
    fn retry_after_is_capped() {
        let p = RetryPolicy::default().max_retry_after(Duration::from_secs(3));
        assert_eq!(
            p.retry_after_delay(Duration::from_secs(1)),
            Duration::from_secs(1)
        );
        assert_eq!(
            p.retry_after_delay(Duration::from_secs(3600)),
            Duration::from_secs(3)
        );
    }
}
