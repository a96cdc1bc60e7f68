//! The one error type of the client.

use std::error::Error as StdError;
use std::fmt;

use http::{Method, StatusCode};
use idv_model::{ApiErrorBody, ApiFieldError, Session, SessionState};
use idv_transport::TransportError;

use crate::retry::Failure;

type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// What kind of failure an [`IdvError`] is: match on this.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The API answered with a non-success status. [`IdvError::status`], [`IdvError::code`],
    /// [`IdvError::api_message`] and [`IdvError::field_errors`] tell more.
    Api,
    /// The request could not be sent or its response not received (connection refused or reset,
    /// TLS failure, truncated body…). [`IdvError::transport_error`] has the details.
    Transport,
    /// The call did not finish in time: a per-attempt or overall timeout, or a
    /// [`wait_for_completion`](crate::IdvClient::wait_for_completion) deadline.
    Timeout,
    /// A success response whose JSON does not match the expected model;
    /// [`IdvError::json_path`] names where.
    Decode,
    /// A success status the call does not expect, such as `204 No Content` for a session.
    UnexpectedResponse,
    /// A caller-supplied argument is invalid (for instance a malformed session or media id).
    /// Nothing was sent.
    InvalidArgument,
    /// The client is misconfigured: a bad key, base URL, certificate or missing setting.
    Configuration,
    /// The request could not be signed (for instance a remote signer failed).
    Signing,
    /// A local file-system operation failed (downloads).
    Io,
}

impl ErrorKind {
    fn describe(self) -> &'static str {
        match self {
            Self::Api => "API error",
            Self::Transport => "transport error",
            Self::Timeout => "timed out",
            Self::Decode => "could not decode the response",
            Self::UnexpectedResponse => "unexpected response",
            Self::InvalidArgument => "invalid argument",
            Self::Configuration => "configuration error",
            Self::Signing => "signing failed",
            Self::Io => "I/O error",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

/// An error from the IDV client.
///
/// Match on [`kind`](Self::kind). `Display` is one line (the request, the status, the Yoti error
/// code): it never contains a response body, the query string (nonce, sdkId), the
/// `X-Yoti-Auth-Digest`, a token or key material. The cause (an [`ApiErrorDetails`] with the
/// API's message and field errors, a transport error, a JSON parse error…) is available through
/// [`source()`](std::error::Error::source). `Debug` shows the same structured fields and never
/// a body either.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// use std::sync::Arc;
/// use bytes::Bytes;
/// use http::{Request, Response};
/// use idv_client::{ErrorKind, IdvClient};
///
/// // A stand-in for the API that answers 404 with Yoti's error body.
/// let transport = idv_transport::transport_fn(|_request: Request<Bytes>| async {
///     Ok(Response::builder()
///         .status(404)
///         .header("content-type", "application/json;charset=UTF-8")
///         .body(Bytes::from_static(br#"{"code":"SESSION_NOT_FOUND","message":"Not found"}"#))
///         .unwrap())
/// });
/// let key = include_bytes!("../../../fixtures/signing/TEST-ONLY-key.pkcs8.pem");
/// let client = IdvClient::builder()
///     .sdk_id("11111111-2222-4333-8444-555555555555")
///     .key_pem(&key[..])
///     .transport(Arc::new(transport))
///     .build()
///     .unwrap();
///
/// let err = client.get_session("aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee").await.unwrap_err();
/// match err.kind() {
///     ErrorKind::Api if err.code() == Some("SESSION_NOT_FOUND") => {
///         assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
///         assert_eq!(err.api_message(), Some("Not found"));
///     }
///     ErrorKind::Transport | ErrorKind::Timeout => { /* try again later */ }
///     _ => panic!("unexpected: {err}"),
/// }
/// assert_eq!(
///     err.to_string(),
///     "GET /sessions/aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee: API error: status 404 Not Found \
///      (SESSION_NOT_FOUND)"
/// );
/// # }
/// ```
pub struct IdvError {
    inner: Box<Inner>,
}

struct Inner {
    kind: ErrorKind,
    message: String,
    request: Option<(Method, String)>,
    status: Option<StatusCode>,
    failure: Option<Failure>,
    attempts: u32,
    json_path: Option<String>,
    last_state: Option<SessionState>,
    last_session: Option<Box<Session>>,
    source: Option<BoxError>,
}

impl IdvError {
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            inner: Box::new(Inner {
                kind,
                message: message.into(),
                request: None,
                status: None,
                failure: None,
                attempts: 0,
                json_path: None,
                last_state: None,
                last_session: None,
                source: None,
            }),
        }
    }

    pub(crate) fn invalid_argument(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidArgument, message)
    }

    pub(crate) fn invalid_argument_with_source(
        message: impl Into<String>,
        source: impl Into<BoxError>,
    ) -> Self {
        Self::new(ErrorKind::InvalidArgument, message).with_source(source)
    }

    pub(crate) fn configuration(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Configuration, message)
    }

    pub(crate) fn with_source(mut self, source: impl Into<BoxError>) -> Self {
        self.inner.source = Some(source.into());
        self
    }

    pub(crate) fn with_request(mut self, method: &Method, path: &str) -> Self {
        self.inner.request = Some((method.clone(), path.to_owned()));
        self
    }

    pub(crate) fn with_attempts(mut self, attempts: u32) -> Self {
        self.inner.attempts = attempts;
        self
    }

    /// Records how the attempt failed, for the retry classifier.
    pub(crate) fn with_failure(mut self, failure: Failure) -> Self {
        self.inner.failure = Some(failure);
        self
    }

    /// How the last attempt failed, when the error comes from an exchange with the server.
    pub(crate) fn failure(&self) -> Option<Failure> {
        self.inner.failure
    }

    pub(crate) fn with_status(mut self, status: StatusCode) -> Self {
        self.inner.status = Some(status);
        self
    }

    pub(crate) fn with_json_path(mut self, path: impl Into<String>) -> Self {
        self.inner.json_path = Some(path.into());
        self
    }

    pub(crate) fn with_last_session(mut self, session: Session) -> Self {
        self.inner.last_state = session.state.clone();
        self.inner.last_session = Some(Box::new(session));
        self
    }

    /// An API error for `status`, from the (possibly empty, possibly non-JSON) body.
    pub(crate) fn api(
        status: StatusCode,
        retry_after: Option<std::time::Duration>,
        body: &[u8],
    ) -> Self {
        // Try JSON whatever the Content-Type says.
        let parsed = if body.is_empty() {
            None
        } else {
            idv_model::from_slice::<ApiErrorBody>(body).ok()
        };
        let err = Self::new(ErrorKind::Api, String::new())
            .with_status(status)
            .with_failure(Failure::Status {
                status,
                retry_after,
            });
        match parsed {
            // The details live once, as the source; `api_error` reads them from there.
            Some(body) => err.with_source(ApiErrorDetails { body }),
            None => err,
        }
    }

    pub(crate) fn transport(error: TransportError) -> Self {
        let kind = if error.is_timeout() {
            ErrorKind::Timeout
        } else {
            ErrorKind::Transport
        };
        // The kind's description is fixed text: no target, query or body.
        let message = if kind == ErrorKind::Timeout {
            "the transport gave up waiting".to_owned()
        } else {
            error.kind().to_string()
        };
        Self::new(kind, message)
            .with_failure(Failure::of_transport(error.kind()))
            .with_source(error)
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        self.inner.kind
    }

    /// The HTTP status of the response, when there was one.
    pub fn status(&self) -> Option<StatusCode> {
        self.inner.status
    }

    /// The parsed API error body (`{code, message, errors[]}`), when the response had one.
    pub fn api_error(&self) -> Option<&ApiErrorBody> {
        self.inner
            .source
            .as_deref()?
            .downcast_ref::<ApiErrorDetails>()
            .map(|d| &d.body)
    }

    /// The Yoti error code (for instance `SESSION_NOT_FOUND`), when the API sent one.
    pub fn code(&self) -> Option<&str> {
        self.api_error().and_then(|b| b.code.as_deref())
    }

    /// The API's error message, when it sent one.
    pub fn api_message(&self) -> Option<&str> {
        self.api_error().and_then(|b| b.message.as_deref())
    }

    /// The API's per-field errors (`errors[]`), empty when none.
    pub fn field_errors(&self) -> &[ApiFieldError] {
        self.api_error().map_or(&[], |b| b.errors.as_slice())
    }

    /// Whether the failure may go away when the same request is sent again (transient transport
    /// failures, timeouts, `429`, `500`, `502`, `503`, `504`). When the client already retried,
    /// this tells about the last attempt.
    pub fn is_retryable(&self) -> bool {
        self.inner.failure.is_some_and(Failure::is_transient)
    }

    /// How many attempts were made (0 when nothing was sent).
    pub fn attempts(&self) -> u32 {
        self.inner.attempts
    }

    /// The request method and base-relative path (no query), when the error is about a request.
    pub fn request(&self) -> Option<(&Method, &str)> {
        self.inner.request.as_ref().map(|(m, p)| (m, p.as_str()))
    }

    /// For [`ErrorKind::Decode`]: the JSON path where decoding failed (such as
    /// `checks[3].report.recommendation.value`).
    pub fn json_path(&self) -> Option<&str> {
        self.inner.json_path.as_deref()
    }

    /// For a [`wait_for_completion`](crate::IdvClient::wait_for_completion) timeout: the state of
    /// the session the last time it was retrieved.
    pub fn last_state(&self) -> Option<&SessionState> {
        self.inner.last_state.as_ref()
    }

    /// For a [`wait_for_completion`](crate::IdvClient::wait_for_completion) timeout: the session
    /// as last retrieved.
    pub fn last_session(&self) -> Option<&Session> {
        self.inner.last_session.as_deref()
    }

    /// The transport error behind an [`ErrorKind::Transport`] or transport
    /// [`ErrorKind::Timeout`] error.
    pub fn transport_error(&self) -> Option<&TransportError> {
        self.inner
            .source
            .as_deref()?
            .downcast_ref::<TransportError>()
    }
}

impl fmt::Display for IdvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &*self.inner;
        if let Some((method, path)) = &i.request {
            write!(f, "{method} {path}: ")?;
        }
        f.write_str(i.kind.describe())?;
        if let Some(status) = i.status {
            write!(f, ": status {status}")?;
        }
        if let Some(code) = self.code() {
            write!(f, " ({})", one_line(code))?;
        }
        if !i.message.is_empty() {
            write!(f, ": {}", i.message)?;
        }
        if let Some(path) = &i.json_path {
            write!(f, " at `{}`", one_line(path))?;
        }
        if i.attempts > 1 {
            write!(f, " (after {} attempts)", i.attempts)?;
        }
        Ok(())
    }
}

impl fmt::Debug for IdvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &*self.inner;
        let mut d = f.debug_struct("IdvError");
        d.field("kind", &i.kind);
        if let Some((method, path)) = &i.request {
            d.field("method", method).field("path", path);
        }
        if let Some(status) = i.status {
            d.field("status", &status.as_u16());
        }
        if let Some(code) = self.code() {
            d.field("code", &code);
        }
        d.field("attempts", &i.attempts)
            .field("retryable", &self.is_retryable());
        if let Some(path) = &i.json_path {
            d.field("json_path", path);
        }
        if let Some(state) = &i.last_state {
            d.field("last_state", state);
        }
        if !i.message.is_empty() {
            d.field("message", &i.message);
        }
        // The API's own message (in `ApiErrorDetails`) is part of the response body: not shown.
        if let Some(source) = &i.source
            && !source.is::<ApiErrorDetails>()
        {
            d.field("source", &source.to_string());
        }
        d.finish()
    }
}

impl StdError for IdvError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.inner
            .source
            .as_deref()
            .map(|s| s as &(dyn StdError + 'static))
    }
}

/// Keeps a server-supplied string on one line.
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// The API's error body as an error in the [source](std::error::Error::source) chain of an
/// [`ErrorKind::Api`] error: `CODE: message (property: message; …)`.
#[derive(Clone)]
pub struct ApiErrorDetails {
    body: ApiErrorBody,
}

impl ApiErrorDetails {
    /// The parsed body.
    pub fn body(&self) -> &ApiErrorBody {
        &self.body
    }
}

impl fmt::Display for ApiErrorDetails {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let b = &self.body;
        f.write_str(&one_line(b.code.as_deref().unwrap_or("(no code)")))?;
        if let Some(m) = &b.message {
            write!(f, ": {}", one_line(m))?;
        }
        if !b.errors.is_empty() {
            f.write_str(" (")?;
            for (i, e) in b.errors.iter().enumerate() {
                if i > 0 {
                    f.write_str("; ")?;
                }
                write!(
                    f,
                    "{}: {}",
                    one_line(e.property.as_deref().unwrap_or("?")),
                    one_line(e.message.as_deref().unwrap_or(""))
                )?;
            }
            f.write_str(")")?;
        }
        Ok(())
    }
}

impl fmt::Debug for ApiErrorDetails {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiErrorDetails")
            .field("code", &self.body.code)
            .field("errors", &self.body.errors.len())
            .finish_non_exhaustive()
    }
}

impl StdError for ApiErrorDetails {}
