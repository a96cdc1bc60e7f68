//! [`IdvClient`]: the requests, retries, timeouts and error mapping.

use std::fmt;
use std::future::Future;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::{HeaderValue, Method, Request, Response, StatusCode, header};
use idv_model::{Session, SessionConfiguration, SupportedDocumentsResponse, TrackedDeviceEvent};
use idv_transport::{BodyStream, SendOptions, Transport};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

use crate::base_url::BaseUrl;
use crate::download::{self, DownloadInfo};
use crate::error::{ErrorKind, IdvError};
use crate::ids::validate_id;
use crate::media::{Media, MediaStream};
use crate::retry::{RetryPolicy, parse_retry_after};
use crate::signing::RequestSigning;
use crate::wait::WaitOptions;

/// The largest error body read (to parse `{code, message, errors[]}`) from a failed response.
const MAX_ERROR_BODY_BYTES: u64 = 64 * 1024;

/// A client of the Yoti IDV API.
///
/// Build one with [`IdvClient::builder`] or [`IdvClient::from_env`]. It is cheap to clone (an
/// [`Arc`] inside) and safe to share across tasks: clones share the parsed key and the
/// transport's connection pool.
///
/// Every call validates its ids first (nothing is sent for a malformed id), signs every attempt
/// afresh (new nonce and timestamp), retries idempotent requests on transient failures following
/// the [`RetryPolicy`], and is bounded by the request (per attempt) and overall (per call)
/// timeouts.
#[derive(Clone)]
pub struct IdvClient {
    inner: Arc<ClientInner>,
}

pub(crate) struct ClientInner {
    pub(crate) base: BaseUrl,
    pub(crate) signing: RequestSigning,
    pub(crate) transport: Arc<dyn Transport>,
    pub(crate) request_timeout: Duration,
    pub(crate) overall_timeout: Duration,
    pub(crate) retry: RetryPolicy,
    pub(crate) user_agent: HeaderValue,
    pub(crate) max_json_bytes: u64,
    pub(crate) max_media_bytes: u64,
    pub(crate) limiter: Arc<Semaphore>,
}

impl fmt::Debug for IdvClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &*self.inner;
        f.debug_struct("IdvClient")
            .field("base_url", &i.base.as_str())
            .field("sdk_id", &i.signing.sdk_id())
            .field("transport", &i.transport)
            .field("request_timeout", &i.request_timeout)
            .field("overall_timeout", &i.overall_timeout)
            .field("retry", &i.retry)
            .finish_non_exhaustive()
    }
}

/// The body of a response, buffered or streamed.
enum Body {
    Buffered(Bytes),
    Streamed(BodyStream),
}

/// One logical call.
struct Call<'a> {
    method: Method,
    path: &'a str,
    query: &'a [(&'a str, &'a str)],
    accept: &'static str,
    streaming: bool,
    max_body_bytes: u64,
    deadline: Instant,
}

/// What to do after a failed attempt.
enum Next {
    Retry(Duration),
    Fail,
}

impl IdvClient {
    pub(crate) fn from_inner(inner: ClientInner) -> Self {
        Self {
            inner: Arc::new(inner),
        }
    }

    /// The normalised base URL requests go to (no trailing slash).
    pub fn base_url(&self) -> &str {
        self.inner.base.as_str()
    }

    /// The SDK id requests are signed for.
    pub fn sdk_id(&self) -> &str {
        self.inner.signing.sdk_id()
    }

    /// Retrieves a session: `GET /sessions/{session_id}`, decoded into the typed model.
    ///
    /// Errors: [`ErrorKind::InvalidArgument`] for a malformed id (nothing is sent),
    /// [`ErrorKind::Api`] for an error status (for instance `404`), [`ErrorKind::Decode`] when
    /// the JSON does not match the model (the error names the JSON path),
    /// [`ErrorKind::UnexpectedResponse`] for a `204` or an empty body.
    pub async fn get_session(&self, session_id: &str) -> Result<Session, IdvError> {
        self.get_session_raw(session_id).await.map(|(s, _)| s)
    }

    /// Like [`get_session`](Self::get_session), also returning the exact bytes received (for
    /// archiving or for fields the model does not know yet).
    pub async fn get_session_raw(&self, session_id: &str) -> Result<(Session, Bytes), IdvError> {
        self.get_session_until(session_id, self.deadline()).await
    }

    pub(crate) async fn get_session_until(
        &self,
        session_id: &str,
        deadline: Instant,
    ) -> Result<(Session, Bytes), IdvError> {
        validate_id("session id", session_id)?;
        let path = format!("/sessions/{session_id}");
        let bytes = self.get_json_bytes(&path, &[], deadline).await?;
        let session = decode(&bytes, &Method::GET, &path, idv_model::parse_session)?;
        Ok((session, bytes))
    }

    /// Deletes a session and its resources: `DELETE /sessions/{session_id}`.
    pub async fn delete_session(&self, session_id: &str) -> Result<(), IdvError> {
        validate_id("session id", session_id)?;
        self.delete(&format!("/sessions/{session_id}")).await
    }

    /// Retrieves the content of one media item into memory:
    /// `GET /sessions/{session_id}/media/{media_id}/content`.
    ///
    /// `Ok(None)` when the API answers `204 No Content` (the media has no content). A missing
    /// `Content-Type` is tolerated ([`Media::content_type`] is then `None`). For large items
    /// prefer [`get_media_stream`](Self::get_media_stream) or
    /// [`download_media`](Self::download_media).
    pub async fn get_media(
        &self,
        session_id: &str,
        media_id: &str,
    ) -> Result<Option<Media>, IdvError> {
        self.with_body_retries(session_id, media_id, |stream| stream.into_media())
            .await
    }

    /// Like [`get_media`](Self::get_media), returning the content as a stream of chunks.
    ///
    /// Retries happen until the response head arrives; a failure while reading the body is an
    /// error from [`MediaStream::next_chunk`] (whereas [`get_media`](Self::get_media) and
    /// [`download_media`](Self::download_media) start again on a transient failure mid-body).
    pub async fn get_media_stream(
        &self,
        session_id: &str,
        media_id: &str,
    ) -> Result<Option<MediaStream>, IdvError> {
        self.get_media_stream_until(session_id, media_id, self.deadline())
            .await
    }

    async fn get_media_stream_until(
        &self,
        session_id: &str,
        media_id: &str,
        deadline: Instant,
    ) -> Result<Option<MediaStream>, IdvError> {
        validate_id("session id", session_id)?;
        validate_id("media id", media_id)?;
        let path = media_path(session_id, media_id);
        let call = Call {
            method: Method::GET,
            path: &path,
            query: &[],
            accept: "*/*",
            streaming: true,
            max_body_bytes: self.inner.max_media_bytes,
            deadline,
        };
        let (response, _, permit) = self.execute(&call).await?;
        let (parts, body) = response.into_parts();
        if parts.status == StatusCode::NO_CONTENT {
            return Ok(None);
        }
        let body = match body {
            Body::Streamed(s) => s,
            Body::Buffered(b) => BodyStream::from_bytes(b),
        };
        Ok(Some(MediaStream::new(
            &parts.headers,
            body,
            self.inner.request_timeout,
            Method::GET,
            path,
            permit,
        )))
    }

    /// Downloads the content of one media item to `path`, atomically.
    ///
    /// The content is streamed into a temporary file in the same directory
    /// (`.{file name}.part-{random}`), synced to disk, and renamed to `path` only when complete.
    /// On any failure — an error, a truncated body, or the returned future being dropped — the
    /// temporary file is removed, so `path` never holds a partial file (an existing file at
    /// `path` is replaced only by a complete download).
    ///
    /// A transient failure part-way through the body (connection reset, truncation, a stall
    /// longer than the request timeout) starts the download again, as the retry policy and the
    /// overall timeout allow (the overall timeout bounds when a new attempt may start, not how
    /// long a body that keeps arriving may take).
    ///
    /// `Ok(None)` when the media has no content (`204`); no file is created then.
    pub async fn download_media(
        &self,
        session_id: &str,
        media_id: &str,
        path: impl AsRef<Path>,
    ) -> Result<Option<DownloadInfo>, IdvError> {
        let path = path.as_ref();
        download::check_target(path)?;
        self.with_body_retries(session_id, media_id, |stream| {
            download::write_atomically(stream, path)
        })
        .await
    }

    /// Gets a media stream and consumes it with `consume`; when the body fails part-way with a
    /// transient error (connection reset, truncation, stall), the whole `GET` is retried, as the
    /// retry policy and the overall timeout allow.
    async fn with_body_retries<T, F, Fut>(
        &self,
        session_id: &str,
        media_id: &str,
        consume: F,
    ) -> Result<Option<T>, IdvError>
    where
        F: Fn(MediaStream) -> Fut,
        Fut: Future<Output = Result<T, IdvError>>,
    {
        let deadline = self.deadline();
        let policy = &self.inner.retry;
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            // Every attempt, and the retries inside it, share the call's overall deadline.
            let Some(stream) = self
                .get_media_stream_until(session_id, media_id, deadline)
                .await?
            else {
                return Ok(None);
            };
            let error = match consume(stream).await {
                Ok(value) => return Ok(Some(value)),
                Err(e) => e,
            };
            let transient = error.is_retryable()
                && matches!(error.kind(), ErrorKind::Transport | ErrorKind::Timeout);
            let delay = policy.backoff(attempt - 1);
            if !transient
                || attempt >= policy.get_max_attempts()
                || Instant::now() + delay >= deadline
            {
                return Err(if attempt > 1 {
                    error.with_attempts(attempt)
                } else {
                    error
                });
            }
            tracing::info!(
                method = "GET",
                path = %media_path(session_id, media_id),
                attempt,
                error_kind = ?error.kind(),
                delay_ms = delay.as_millis() as u64,
                "retrying IDV media download after a failure mid-body"
            );
            tokio::time::sleep(delay).await;
        }
    }

    /// Deletes the content of one media item:
    /// `DELETE /sessions/{session_id}/media/{media_id}/content`.
    pub async fn delete_media(&self, session_id: &str, media_id: &str) -> Result<(), IdvError> {
        validate_id("session id", session_id)?;
        validate_id("media id", media_id)?;
        self.delete(&media_path(session_id, media_id)).await
    }

    /// Polls a session until it is `COMPLETED` or `EXPIRED` and returns it.
    ///
    /// Polls with exponential backoff, from [`WaitOptions::initial_interval`] doubling up to
    /// [`WaitOptions::max_interval`]. When [`WaitOptions::deadline`] passes first, the error is
    /// of kind [`ErrorKind::Timeout`] and carries the session as last seen
    /// ([`IdvError::last_state`], [`IdvError::last_session`]). Transient failures while polling
    /// are retried until the deadline; other errors (such as `404`) end the wait at once.
    ///
    /// **In production, prefer notifications**: ask for the `SESSION_COMPLETION` topic when
    /// creating the session and call [`get_session`](Self::get_session) when it arrives.
    /// Polling is for scripts, tests and back-office tools.
    pub async fn wait_for_completion(
        &self,
        session_id: &str,
        options: WaitOptions,
    ) -> Result<Session, IdvError> {
        crate::wait::wait_for_completion(self, session_id, options).await
    }

    /// Retrieves a session's configuration (requested checks, required resources):
    /// `GET /sessions/{session_id}/configuration`.
    pub async fn get_session_configuration(
        &self,
        session_id: &str,
    ) -> Result<SessionConfiguration, IdvError> {
        validate_id("session id", session_id)?;
        self.get_typed(&format!("/sessions/{session_id}/configuration"), &[])
            .await
    }

    /// Retrieves the documents the API supports, by country: `GET /supported-documents`
    /// (with `includeNonLatin=true` when `include_non_latin`). Signed like every other call.
    pub async fn get_supported_documents(
        &self,
        include_non_latin: bool,
    ) -> Result<SupportedDocumentsResponse, IdvError> {
        let query: &[(&str, &str)] = if include_non_latin {
            &[("includeNonLatin", "true")]
        } else {
            &[]
        };
        self.get_typed("/supported-documents", query).await
    }

    /// Retrieves the device events tracked for a session:
    /// `GET /sessions/{session_id}/tracked-devices`.
    pub async fn get_tracked_devices(
        &self,
        session_id: &str,
    ) -> Result<Vec<TrackedDeviceEvent>, IdvError> {
        validate_id("session id", session_id)?;
        self.get_typed(&format!("/sessions/{session_id}/tracked-devices"), &[])
            .await
    }

    /// Deletes the device events tracked for a session:
    /// `DELETE /sessions/{session_id}/tracked-devices`.
    pub async fn delete_tracked_devices(&self, session_id: &str) -> Result<(), IdvError> {
        validate_id("session id", session_id)?;
        self.delete(&format!("/sessions/{session_id}/tracked-devices"))
            .await
    }

    /// The overall deadline of a call starting now.
    pub(crate) fn deadline(&self) -> Instant {
        Instant::now() + self.inner.overall_timeout
    }

    pub(crate) fn overall_timeout(&self) -> Duration {
        self.inner.overall_timeout
    }

    /// A GET returning a JSON body (any 2xx with a body).
    async fn get_json_bytes(
        &self,
        path: &str,
        query: &[(&str, &str)],
        deadline: Instant,
    ) -> Result<Bytes, IdvError> {
        let call = Call {
            method: Method::GET,
            path,
            query,
            accept: "application/json",
            streaming: false,
            max_body_bytes: self.inner.max_json_bytes,
            deadline,
        };
        let (response, attempts, _permit) = self.execute(&call).await?;
        let status = response.status();
        let bytes = match response.into_body() {
            Body::Buffered(b) => b,
            Body::Streamed(s) => s
                .collect_bytes(call.max_body_bytes)
                .await
                .map_err(|e| IdvError::transport(e).with_request(&call.method, call.path))?,
        };
        if status == StatusCode::NO_CONTENT || bytes.is_empty() {
            return Err(IdvError::new(
                ErrorKind::UnexpectedResponse,
                "a JSON body was expected but the response has none",
            )
            .with_status(status)
            .with_request(&call.method, call.path)
            .with_attempts(attempts));
        }
        Ok(bytes)
    }

    /// Fetches a JSON document and decodes it into `T`.
    pub(crate) async fn get_typed<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<T, IdvError> {
        let bytes = self.get_json_bytes(path, query, self.deadline()).await?;
        decode(&bytes, &Method::GET, path, |b| {
            idv_model::from_slice::<T>(b)
        })
    }

    /// A DELETE; any 2xx is success and the body is ignored.
    pub(crate) async fn delete(&self, path: &str) -> Result<(), IdvError> {
        let call = Call {
            method: Method::DELETE,
            path,
            query: &[],
            accept: "application/json",
            streaming: false,
            max_body_bytes: MAX_ERROR_BODY_BYTES,
            deadline: self.deadline(),
        };
        self.execute(&call).await.map(|_| ())
    }

    /// Builds and signs one attempt's request.
    async fn build_request(&self, call: &Call<'_>) -> Result<Request<Bytes>, IdvError> {
        let signed = self
            .inner
            .signing
            .sign(&call.method, call.path, call.query)
            .await
            .map_err(|e| e.with_request(&call.method, call.path))?;
        let uri = self
            .inner
            .base
            .join(signed.path_and_query())
            .map_err(|e| e.with_request(&call.method, call.path))?;
        let mut request = Request::new(Bytes::new());
        *request.method_mut() = call.method.clone();
        *request.uri_mut() = uri;
        let headers = request.headers_mut();
        headers.extend(signed.into_headers());
        headers.insert(header::ACCEPT, HeaderValue::from_static(call.accept));
        headers.insert(header::USER_AGENT, self.inner.user_agent.clone());
        Ok(request)
    }

    /// Sends `call` with retries; returns the first success (2xx) response, the attempt count
    /// and the in-flight permit (held while the body is read).
    async fn execute(
        &self,
        call: &Call<'_>,
    ) -> Result<(Response<Body>, u32, OwnedSemaphorePermit), IdvError> {
        let inner = &*self.inner;
        let policy = &inner.retry;
        let method_retryable = policy.allows_method(&call.method);
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            let now = Instant::now();
            let remaining = call.deadline.saturating_duration_since(now);
            if remaining.is_zero() {
                return Err(IdvError::new(
                    ErrorKind::Timeout,
                    format!("the overall timeout of {:?} passed", inner.overall_timeout),
                )
                .with_retryable(true)
                .with_request(&call.method, call.path)
                .with_attempts(attempt - 1));
            }
            // Wait for an in-flight slot (bounded by the overall deadline).
            let Ok(Ok(permit)) =
                tokio::time::timeout_at(call.deadline, inner.limiter.clone().acquire_owned()).await
            else {
                return Err(IdvError::new(
                    ErrorKind::Timeout,
                    "no in-flight request slot became free before the overall timeout",
                )
                .with_retryable(true)
                .with_request(&call.method, call.path)
                .with_attempts(attempt - 1));
            };
            let remaining = call.deadline.saturating_duration_since(Instant::now());
            let attempt_timeout = inner.request_timeout.min(remaining);
            // Signed afresh on every attempt: a new nonce and timestamp.
            let request = self.build_request(call).await?;
            let options = SendOptions::default()
                .with_max_body_bytes(call.max_body_bytes)
                .with_timeout(attempt_timeout)
                .with_read_timeout(inner.request_timeout);
            let send = async {
                if call.streaming {
                    inner
                        .transport
                        .send_streaming(request, &options)
                        .await
                        .map(|r| r.map(Body::Streamed))
                } else {
                    inner
                        .transport
                        .send(request, &options)
                        .await
                        .map(|r| r.map(Body::Buffered))
                }
            };
            let outcome = tokio::time::timeout(attempt_timeout, send).await;
            let (error, retry_after) = match outcome {
                Ok(Ok(response)) if response.status().is_success() => {
                    tracing::debug!(
                        method = %call.method,
                        path = %call.path,
                        attempt,
                        status = response.status().as_u16(),
                        "IDV request succeeded"
                    );
                    return Ok((response, attempt, permit));
                }
                Ok(Ok(response)) => {
                    let status = response.status();
                    let retry_after = response
                        .headers()
                        .get(header::RETRY_AFTER)
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| parse_retry_after(v, SystemTime::now()));
                    let body = read_error_body(response.into_body(), remaining).await;
                    tracing::debug!(
                        method = %call.method,
                        path = %call.path,
                        attempt,
                        status = status.as_u16(),
                        "IDV request failed with an error status"
                    );
                    (IdvError::api(status, &body), retry_after)
                }
                Ok(Err(e)) => {
                    tracing::debug!(
                        method = %call.method,
                        path = %call.path,
                        attempt,
                        error_kind = ?e.kind(),
                        "IDV request failed in transport"
                    );
                    (IdvError::transport(e), None)
                }
                Err(_) => {
                    tracing::debug!(
                        method = %call.method,
                        path = %call.path,
                        attempt,
                        timeout_ms = attempt_timeout.as_millis() as u64,
                        "IDV request timed out"
                    );
                    (
                        IdvError::new(
                            ErrorKind::Timeout,
                            format!("no response within {attempt_timeout:?}"),
                        )
                        .with_retryable(true),
                        None,
                    )
                }
            };
            drop(permit);
            let error = error
                .with_request(&call.method, call.path)
                .with_attempts(attempt);
            let next = if error.is_retryable()
                && method_retryable
                && attempt < policy.get_max_attempts()
            {
                let delay = match retry_after {
                    Some(ra) => policy.retry_after_delay(ra),
                    None => policy.backoff(attempt - 1),
                };
                if Instant::now() + delay >= call.deadline {
                    Next::Fail
                } else {
                    Next::Retry(delay)
                }
            } else {
                Next::Fail
            };
            match next {
                Next::Fail => return Err(error),
                Next::Retry(delay) => {
                    tracing::info!(
                        method = %call.method,
                        path = %call.path,
                        attempt,
                        status = error.status().map(|s| s.as_u16()),
                        error_kind = ?error.kind(),
                        delay_ms = delay.as_millis() as u64,
                        "retrying IDV request"
                    );
                    tokio::time::sleep(delay).await;
                }
            }
        }
    }
}

/// Reads (a bounded prefix of) an error response body; failures give an empty body.
async fn read_error_body(body: Body, remaining: Duration) -> Bytes {
    match body {
        Body::Buffered(b) => b,
        Body::Streamed(s) => {
            let limit = remaining.min(Duration::from_secs(5));
            match tokio::time::timeout(limit, s.collect_bytes(MAX_ERROR_BODY_BYTES)).await {
                Ok(Ok(b)) => b,
                _ => Bytes::new(),
            }
        }
    }
}

fn media_path(session_id: &str, media_id: &str) -> String {
    format!("/sessions/{session_id}/media/{media_id}/content")
}

/// Decodes a JSON body, mapping a parse failure to [`ErrorKind::Decode`] with its JSON path.
fn decode<T>(
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
