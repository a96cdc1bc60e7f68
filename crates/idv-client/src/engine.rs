//! The engine: one logical call sent as attempts, each signed afresh, under one retry rule, one
//! attempt budget and the client's timeouts. Every call of the client goes through here.

use std::borrow::Cow;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::{HeaderValue, Method, Request, Response, StatusCode, header};
use idv_transport::{BodyStream, SendOptions};
use tokio::sync::OwnedSemaphorePermit;
use tokio::time::Instant;

use crate::client::ClientInner;
use crate::error::{ErrorKind, IdvError};
use crate::retry::{Failure, Reach, RetryAction, RetryPolicy, classify, parse_retry_after};

/// The largest error body read (to parse `{code, message, errors[]}`) from a failed response.
const MAX_ERROR_BODY_BYTES: u64 = 64 * 1024;

/// The longest any timeout may be (the transport's bound, one year): longer values are clamped
/// to it, so that no deadline computed from a user's (or a server's) duration can overflow.
pub use idv_transport::MAX_TIMEOUT;

/// The instant `after` from now, clamped to [`MAX_TIMEOUT`]: never overflows.
pub(crate) fn deadline_in(after: Duration) -> Instant {
    let now = Instant::now();
    now.checked_add(after.min(MAX_TIMEOUT)).unwrap_or(now)
}

/// One logical request, as the engine sends it (every attempt signs and sends the same thing).
pub(crate) struct Call<'a> {
    pub(crate) method: Method,
    /// The base-relative path, already validated (starts with `/`, no query).
    pub(crate) path: Cow<'a, str>,
    pub(crate) query: Vec<(Cow<'a, str>, Cow<'a, str>)>,
    pub(crate) body: Bytes,
    pub(crate) content_type: Option<HeaderValue>,
    pub(crate) accept: HeaderValue,
    pub(crate) streaming: bool,
    pub(crate) max_body_bytes: u64,
    /// Marked idempotent by the caller: retried like a `GET`.
    pub(crate) idempotent: bool,
}

impl<'a> Call<'a> {
    /// A `GET` of JSON at `path`.
    pub(crate) fn get_json(path: impl Into<Cow<'a, str>>, max_body_bytes: u64) -> Self {
        Self {
            method: Method::GET,
            path: path.into(),
            query: Vec::new(),
            body: Bytes::new(),
            content_type: None,
            accept: HeaderValue::from_static("application/json"),
            streaming: false,
            max_body_bytes,
            idempotent: false,
        }
    }
}

/// What one call may still spend: requests (retries and restarts included) and time.
#[derive(Debug, Clone)]
pub(crate) struct Budget {
    made: u32,
    max: u32,
    deadline: Instant,
    /// Whether an earlier attempt ended without telling whether the server acted on it.
    outcome_unknown: bool,
}

impl Budget {
    pub(crate) fn new(policy: &RetryPolicy, deadline: Instant) -> Self {
        Self {
            made: 0,
            max: policy.max_attempts(),
            deadline,
            outcome_unknown: false,
        }
    }

    /// Whether an earlier attempt may have reached the server without an answer (a reset, a
    /// timeout): its effect, if any, is unknown.
    pub(crate) fn outcome_unknown(&self) -> bool {
        self.outcome_unknown
    }

    /// Counts one request about to be made.
    pub(crate) fn count_attempt(&mut self) {
        self.made = self.made.saturating_add(1);
    }

    /// The number of requests made so far.
    pub(crate) fn made(&self) -> u32 {
        self.made
    }

    pub(crate) fn deadline(&self) -> Instant {
        self.deadline
    }

    /// Whether another try may follow `error`, and after how long: the classifier's action,
    /// bounded by the attempt budget and the deadline.
    pub(crate) fn next_retry(
        &self,
        policy: &RetryPolicy,
        method: &Method,
        idempotent: bool,
        error: &IdvError,
    ) -> Option<Duration> {
        let action = error
            .failure()
            .map_or(RetryAction::DontRetry, |f| classify(method, idempotent, f));
        if self.made >= self.max {
            return None;
        }
        let delay = policy.delay(action, self.made.saturating_sub(1))?;
        let resume = Instant::now().checked_add(delay)?;
        (resume < self.deadline).then_some(delay)
    }
}

/// A response body, buffered or streamed.
pub(crate) enum Body {
    Buffered(Bytes),
    Streamed(BodyStream),
}

impl Body {
    /// The whole body, up to `limit` bytes.
    pub(crate) async fn collect(self, limit: u64) -> Result<Bytes, IdvError> {
        match self {
            Body::Buffered(b) => Ok(b),
            Body::Streamed(s) => s.collect_bytes(limit).await.map_err(IdvError::transport),
        }
    }

    pub(crate) fn into_stream(self) -> BodyStream {
        match self {
            Body::Buffered(b) => BodyStream::from_bytes(b),
            Body::Streamed(s) => s,
        }
    }
}

/// A successful (2xx) response with the in-flight slot it holds until its body is read.
pub(crate) struct Success {
    pub(crate) response: Response<Body>,
    pub(crate) permit: OwnedSemaphorePermit,
}

impl ClientInner {
    /// Sends `call` until it succeeds, the retry rule says stop, or `budget` runs out.
    pub(crate) async fn execute(
        &self,
        call: &Call<'_>,
        budget: &mut Budget,
    ) -> Result<Success, IdvError> {
        // A bearer token the API refused is replaced, and the request sent again, once per call.
        let mut token_refreshed = false;
        loop {
            let mut token_used = None;
            let error = match self.attempt(call, budget, &mut token_used).await {
                Ok(success) => return Ok(success),
                Err(e) => e
                    .with_request(&call.method, &call.path)
                    .with_attempts(budget.made),
            };
            if let Some(token) = token_used.filter(|_| !token_refreshed)
                && crate::bearer::is_token_refused(&error)
            {
                token_refreshed = true;
                tracing::info!(method = %call.method, path = %call.path,
                    "the API refused the bearer token: refreshing it and sending again");
                self.auth.invalidate(&token).await;
                continue;
            }
            if let Some(Failure::Exchange {
                reach: Reach::Maybe,
                ..
            }) = error.failure()
            {
                budget.outcome_unknown = true;
            }
            let Some(delay) = budget.next_retry(&self.retry, &call.method, call.idempotent, &error)
            else {
                return Err(error);
            };
            tracing::info!(
                method = %call.method,
                path = %call.path,
                attempt = budget.made,
                status = error.status().map(|s| s.as_u16()),
                error_kind = ?error.kind(),
                delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                "retrying IDV request"
            );
            tokio::time::sleep(delay).await;
        }
    }

    /// One attempt: wait for a slot, sign, send, classify the answer.
    async fn attempt(
        &self,
        call: &Call<'_>,
        budget: &mut Budget,
        token_used: &mut Option<crate::bearer::AccessToken>,
    ) -> Result<Success, IdvError> {
        let deadline = budget.deadline;
        if Instant::now() >= deadline {
            return Err(self.overall_timeout_error());
        }
        let Ok(Ok(permit)) =
            tokio::time::timeout_at(deadline, self.limiter.clone().acquire_owned()).await
        else {
            return Err(self.overall_timeout_error());
        };
        budget.count_attempt();
        // Signed afresh on every attempt: a new nonce and timestamp (or the current token).
        let request = self.build_request(call, token_used).await?;
        let options = SendOptions::default()
            .with_max_body_bytes(call.max_body_bytes)
            .with_read_timeout(self.read_timeout);
        // The attempt's own deadline: the request timeout, within the call's.
        let attempt_deadline = deadline_in(self.request_timeout).min(deadline);
        let send = async {
            if call.streaming {
                let r = self.transport.send_streaming(request, &options).await?;
                Ok::<_, idv_transport::TransportError>(r.map(Body::Streamed))
            } else {
                let r = self.transport.send(request, &options).await?;
                Ok(r.map(Body::Buffered))
            }
        };
        let response = match tokio::time::timeout_at(attempt_deadline, send).await {
            Ok(Ok(response)) => response,
            Ok(Err(e)) => {
                tracing::debug!(method = %call.method, path = %call.path, error_kind = ?e.kind(),
                    "IDV request failed in transport");
                return Err(IdvError::transport(e));
            }
            Err(_) => {
                tracing::debug!(method = %call.method, path = %call.path, "IDV request timed out");
                return Err(IdvError::new(
                    ErrorKind::Timeout,
                    "no response within the request timeout",
                )
                .with_failure(Failure::INTERRUPTED));
            }
        };
        let status = response.status();
        tracing::debug!(method = %call.method, path = %call.path, attempt = budget.made,
            status = status.as_u16(), "IDV response");
        if status.is_success() {
            return Ok(Success { response, permit });
        }
        let retry_after = response
            .headers()
            .get(header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, SystemTime::now()));
        let body = read_error_body(response.into_body(), attempt_deadline).await;
        Err(IdvError::api(status, retry_after, &body))
    }

    fn overall_timeout_error(&self) -> IdvError {
        IdvError::new(
            ErrorKind::Timeout,
            format!("the overall timeout of {:?} passed", self.overall_timeout),
        )
        .with_failure(Failure::INTERRUPTED)
    }

    /// Builds and signs one attempt's request.
    async fn build_request(
        &self,
        call: &Call<'_>,
        token_used: &mut Option<crate::bearer::AccessToken>,
    ) -> Result<Request<Bytes>, IdvError> {
        let mut request = Request::new(call.body.clone());
        *token_used = self
            .auth
            .authorize(self, call, &mut request)
            .await
            .map_err(|e| e.with_request(&call.method, &call.path))?;
        let headers = request.headers_mut();
        headers.insert(header::ACCEPT, call.accept.clone());
        headers.insert(header::USER_AGENT, self.user_agent.clone());
        if let Some(content_type) = &call.content_type {
            headers.insert(header::CONTENT_TYPE, content_type.clone());
        }
        Ok(request)
    }
}

/// Reads (a bounded prefix of) an error response body; failures give an empty body.
async fn read_error_body(body: Body, deadline: Instant) -> Bytes {
    let limit = deadline.min(deadline_in(Duration::from_secs(5)));
    match tokio::time::timeout_at(limit, body.collect(MAX_ERROR_BODY_BYTES)).await {
        Ok(Ok(b)) => b,
        _ => Bytes::new(),
    }
}

/// Decodes a JSON body, mapping a parse failure to [`ErrorKind::Decode`] with its JSON path.
pub(crate) fn decode<T>(
    bytes: &[u8],
    method: &Method,
    path: &str,
    parse: impl FnOnce(&[u8]) -> Result<T, idv_model::ParseError>,
) -> Result<T, IdvError> {
    parse(bytes).map_err(|e| {
        let json_path = e.path().to_string();
        IdvError::new(ErrorKind::Decode, String::new())
            .with_json_path(json_path)
            .with_request(method, path)
            .with_source(e)
    })
}

/// The error for a success response that has no body where one was expected.
pub(crate) fn missing_body(
    status: StatusCode,
    method: &Method,
    path: &str,
    attempts: u32,
) -> IdvError {
    IdvError::new(
        ErrorKind::UnexpectedResponse,
        "a JSON body was expected but the response has none",
    )
    .with_status(status)
    .with_request(method, path)
    .with_attempts(attempts)
}
