//! The sandbox's resource limits and their defaults: everything a client (or a flood of them)
//! can make it hold is bounded.

use std::time::Duration;

/// Request bodies above this size are refused with 413 (the API's bodies are small JSON). A
/// declared `Content-Length` above it is refused without reading the body.
pub const MAX_REQUEST_BODY: usize = 16 * 1024 * 1024;

/// Default capacity of the request log ([`SandboxBuilder::request_log_capacity`]).
///
/// [`SandboxBuilder::request_log_capacity`]: crate::SandboxBuilder::request_log_capacity
pub const DEFAULT_REQUEST_LOG_CAPACITY: usize = 10_000;

/// Default number of nonces remembered for replay protection
/// ([`SandboxBuilder::max_nonces`]): about 15 MB when full.
///
/// [`SandboxBuilder::max_nonces`]: crate::SandboxBuilder::max_nonces
pub const DEFAULT_MAX_NONCES: usize = 250_000;

/// Default time a client has to send a request's headers
/// ([`SandboxBuilder::header_read_timeout`]), hyper's own default.
///
/// [`SandboxBuilder::header_read_timeout`]: crate::SandboxBuilder::header_read_timeout
pub const DEFAULT_HEADER_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// Default number of connections served at once ([`SandboxBuilder::max_connections`]).
///
/// [`SandboxBuilder::max_connections`]: crate::SandboxBuilder::max_connections
pub const DEFAULT_MAX_CONNECTIONS: usize = 512;

/// Default number of sessions created with `POST /sessions` kept in memory
/// ([`SandboxBuilder::max_created_sessions`]). At the cap, creating one more evicts the oldest
/// finished (`COMPLETED` or `EXPIRED`) created session, or is refused with 503
/// `SESSION_STORE_FULL` when none is finished.
///
/// [`SandboxBuilder::max_created_sessions`]: crate::SandboxBuilder::max_created_sessions
pub const DEFAULT_MAX_CREATED_SESSIONS: usize = 1_000;

/// Default total of media bytes uploaded through the user side that the sandbox keeps
/// ([`SandboxBuilder::max_upload_bytes`]): 256 MiB. An upload that does not fit evicts the
/// oldest finished created sessions, or is refused with 507 `MEDIA_STORE_FULL`.
///
/// [`SandboxBuilder::max_upload_bytes`]: crate::SandboxBuilder::max_upload_bytes
pub const DEFAULT_MAX_UPLOAD_BYTES: usize = 256 * 1024 * 1024;

/// A `POST /sessions` body above this size is refused with 413 (a specification is a few
/// kilobytes; this bounds what each created session keeps).
pub const MAX_SPECIFICATION_BODY: usize = 64 * 1024;

/// The most resources the user side can add to one created session (409
/// `TOO_MANY_RESOURCES` beyond).
pub const MAX_RESOURCES_PER_SESSION: usize = 32;

/// The most page images of one document, and frames of one liveness capture, in one user-side
/// request (400 `PAYLOAD_VALIDATION` beyond).
pub const MAX_IMAGES_PER_RESOURCE: usize = 8;

/// A `PUT …/response-config` body above this size is refused with 413 (a response config is
/// a few kilobytes, plus the ID photos it may carry).
pub const MAX_RESPONSE_CONFIG_BODY: usize = 4 * 1024 * 1024;

/// A `PUT /sessions/{id}/instructions` body above this size is refused with 413.
pub const MAX_INSTRUCTIONS_BODY: usize = 64 * 1024;

/// The instructions-email requests remembered per created session; the oldest are forgotten
/// beyond ([`SandboxHandle::instruction_emails`]).
///
/// [`SandboxHandle::instruction_emails`]: crate::SandboxHandle::instruction_emails
pub const MAX_INSTRUCTION_EMAILS_PER_SESSION: usize = 100;

/// The client session token's lifetime, in seconds, when the specification sets neither
/// `client_session_token_ttl` nor `session_deadline` (ten minutes).
pub const DEFAULT_CLIENT_SESSION_TOKEN_TTL: i64 = 600;

/// Default wait after a notification's first failed attempt
/// ([`SandboxBuilder::notification_backoff`]); it doubles per attempt.
///
/// [`SandboxBuilder::notification_backoff`]: crate::SandboxBuilder::notification_backoff
pub const DEFAULT_NOTIFICATION_INITIAL_BACKOFF: Duration = Duration::from_millis(500);

/// Default longest wait between two attempts of a notification
/// ([`SandboxBuilder::notification_backoff`]).
///
/// [`SandboxBuilder::notification_backoff`]: crate::SandboxBuilder::notification_backoff
pub const DEFAULT_NOTIFICATION_MAX_BACKOFF: Duration = Duration::from_secs(30);

/// Default time a notification is retried for, from when it was due
/// ([`SandboxBuilder::notification_deadline`]): ten minutes.
///
/// [`SandboxBuilder::notification_deadline`]: crate::SandboxBuilder::notification_deadline
pub const DEFAULT_NOTIFICATION_DEADLINE: Duration = Duration::from_secs(600);

/// Default time one delivery attempt may take, connecting included
/// ([`SandboxBuilder::notification_attempt_timeout`]).
///
/// [`SandboxBuilder::notification_attempt_timeout`]: crate::SandboxBuilder::notification_attempt_timeout
pub const DEFAULT_NOTIFICATION_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(10);

/// Default number of delivery attempts the notification log keeps
/// ([`SandboxBuilder::notification_log_capacity`]).
///
/// [`SandboxBuilder::notification_log_capacity`]: crate::SandboxBuilder::notification_log_capacity
pub const DEFAULT_NOTIFICATION_LOG_CAPACITY: usize = 1_000;

/// The most notifications waiting to be due or delivered, across all sessions; one more is
/// dropped (and logged as [`DeliveryOutcome::Dropped`](crate::DeliveryOutcome::Dropped)).
pub const MAX_PENDING_NOTIFICATIONS: usize = 10_000;

/// The notification retry settings are clamped to this range (1 ms to 24 h), so no deadline
/// computed from them can overflow.
pub(crate) const NOTIFICATION_DURATION_RANGE: (Duration, Duration) =
    (Duration::from_millis(1), Duration::from_secs(24 * 60 * 60));

/// Default lifetime of a bearer token from the token endpoint
/// ([`SandboxBuilder::bearer_token_lifetime`]): its `expires_in`, one hour.
///
/// [`SandboxBuilder::bearer_token_lifetime`]: crate::SandboxBuilder::bearer_token_lifetime
pub const DEFAULT_BEARER_TOKEN_LIFETIME: Duration = Duration::from_secs(3_600);

/// The most bearer tokens valid at once; the token endpoint answers 503
/// `temporarily_unavailable` beyond, until one expires (or [`SandboxHandle::revoke_tokens`]).
///
/// [`SandboxHandle::revoke_tokens`]: crate::SandboxHandle::revoke_tokens
pub const MAX_BEARER_TOKENS: usize = 10_000;

/// The most client-assertion `jti`s remembered for replay protection (each until its
/// assertion expires, at most five minutes); the token endpoint answers 503
/// `temporarily_unavailable` beyond, until one expires.
pub const MAX_REMEMBERED_JTIS: usize = 100_000;

/// A token request body above this size is refused with 400 `invalid_request` (a client
/// assertion is at most 8 KiB).
pub const MAX_TOKEN_REQUEST_BODY: usize = 16 * 1024;

/// The header-read timeout is clamped to this range: hyper adds it to an `Instant`, which must
/// not overflow, and a zero timeout would close every connection at once.
const HEADER_READ_TIMEOUT_RANGE: (Duration, Duration) =
    (Duration::from_millis(1), Duration::from_secs(24 * 60 * 60));

/// The limits a running sandbox applies.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub(crate) request_log_capacity: usize,
    pub(crate) max_nonces: usize,
    pub(crate) header_read_timeout: Duration,
    pub(crate) max_connections: usize,
    pub(crate) max_created_sessions: usize,
    pub(crate) max_upload_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            request_log_capacity: DEFAULT_REQUEST_LOG_CAPACITY,
            max_nonces: DEFAULT_MAX_NONCES,
            header_read_timeout: DEFAULT_HEADER_READ_TIMEOUT,
            max_connections: DEFAULT_MAX_CONNECTIONS,
            max_created_sessions: DEFAULT_MAX_CREATED_SESSIONS,
            max_upload_bytes: DEFAULT_MAX_UPLOAD_BYTES,
        }
    }
}

/// `timeout` clamped to what hyper and Tokio can add to an instant (1 ms to 24 h).
pub(crate) fn clamp_header_read_timeout(timeout: Duration) -> Duration {
    let (min, max) = HEADER_READ_TIMEOUT_RANGE;
    timeout.clamp(min, max)
}

/// `max` clamped to what a Tokio semaphore holds, and at least 1.
pub(crate) fn clamp_max_connections(max: usize) -> usize {
    max.clamp(1, tokio::sync::Semaphore::MAX_PERMITS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extreme_values_are_clamped() {
        assert_eq!(
            clamp_header_read_timeout(Duration::ZERO),
            Duration::from_millis(1)
        );
        assert_eq!(
            clamp_header_read_timeout(Duration::MAX),
            Duration::from_secs(86_400)
        );
        assert_eq!(
            clamp_header_read_timeout(Duration::from_secs(5)),
            Duration::from_secs(5)
        );
        assert_eq!(clamp_max_connections(0), 1);
        assert_eq!(
            clamp_max_connections(usize::MAX),
            tokio::sync::Semaphore::MAX_PERMITS
        );
    }
}
