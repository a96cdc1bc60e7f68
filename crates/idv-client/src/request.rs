//! The public signed request: any endpoint, with a JSON, bytes or multipart body, through the
//! same engine (signing, limits, timeouts, retries, error mapping) as the built-in calls.

use std::borrow::Cow;
use std::fmt;

use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Method, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::client::IdvClient;
use crate::engine::{Budget, Call, decode, missing_body};
use crate::error::{ErrorKind, IdvError};
use crate::multipart::Multipart;
use crate::stream::ResponseStream;

/// A signed request to any endpoint of the API, built with [`IdvClient::request`].
///
/// It goes through exactly what the built-in calls go through: a fresh signature per attempt
/// (over the method, the path, the query and the body), the response size limit, the request and
/// overall timeouts, the [retry rule](crate::RetryPolicy) (a `POST` or `PUT` is retried only when
/// it provably never reached the server, unless marked [`idempotent`](Self::idempotent)), and the
/// same [`IdvError`]s (a non-2xx status is an [`ErrorKind::Api`] error).
///
/// ```
/// # use idv_client::IdvClient;
/// # #[cfg(not(feature = "hyper"))] fn main() {}
/// # #[cfg(feature = "hyper")]
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let keys = idv_sandbox::generate_app_keys()?;
/// # let sandbox = idv_sandbox::Sandbox::product_page_demo().app_keys(&keys).start().await?;
/// # let client = IdvClient::builder().sdk_id(&keys.sdk_id)
/// #     .key_pem(keys.private_key_pem.as_bytes()).base_url(sandbox.base_url()).build()?;
/// # let session_id = idv_sandbox::PRODUCT_PAGE_SESSION_ID;
/// use http::Method;
///
/// // A typed JSON answer…
/// let session: serde_json::Value = client
///     .request(Method::GET, &format!("/sessions/{session_id}"))
///     .send_json()
///     .await?;
/// assert_eq!(session["session_id"], session_id);
///
/// // …or the raw response.
/// let raw = client
///     .request(Method::GET, "/supported-documents")
///     .query("includeNonLatin", "true")
///     .send()
///     .await;
/// # let _ = raw;
/// # sandbox.shutdown().await;
/// # Ok(())
/// # }
/// ```
#[must_use = "a request does nothing until it is sent"]
pub struct RequestBuilder<'c> {
    client: &'c IdvClient,
    method: Method,
    path: String,
    query: Vec<(String, String)>,
    body: Bytes,
    content_type: Option<HeaderValue>,
    accept: HeaderValue,
    idempotent: bool,
    max_response_bytes: Option<u64>,
}

impl fmt::Debug for RequestBuilder<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The body and the query values may hold personal data: only their sizes.
        f.debug_struct("RequestBuilder")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query_params", &self.query.len())
            .field("body_len", &self.body.len())
            .field("content_type", &self.content_type)
            .field("idempotent", &self.idempotent)
            .finish_non_exhaustive()
    }
}

impl IdvClient {
    /// A signed request to any endpoint: `path` is relative to the base URL (`/sessions`,
    /// `/sessions/{id}/instructions`…), without a query (add it with
    /// [`RequestBuilder::query`]). See [`RequestBuilder`].
    pub fn request(&self, method: Method, path: &str) -> RequestBuilder<'_> {
        RequestBuilder {
            client: self,
            method,
            path: path.to_owned(),
            query: Vec::new(),
            body: Bytes::new(),
            content_type: None,
            accept: HeaderValue::from_static("application/json"),
            idempotent: false,
            max_response_bytes: None,
        }
    }
}

impl<'c> RequestBuilder<'c> {
    /// Adds a query parameter (percent-encoded when signed and sent; order is kept).
    pub fn query(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((key.into(), value.into()));
        self
    }

    /// Sets a JSON body (`Content-Type: application/json`).
    ///
    /// Errors ([`ErrorKind::InvalidArgument`]) when `value` cannot be serialised.
    pub fn json<T: Serialize + ?Sized>(mut self, value: &T) -> Result<Self, IdvError> {
        let body = serde_json::to_vec(value).map_err(|e| {
            IdvError::invalid_argument_with_source("the JSON body could not be serialised", e)
        })?;
        self.body = Bytes::from(body);
        self.content_type = Some(HeaderValue::from_static("application/json"));
        Ok(self)
    }

    /// Sets a body of raw bytes with its content type.
    ///
    /// Errors ([`ErrorKind::InvalidArgument`]) when `content_type` is not a valid header value.
    pub fn bytes(mut self, content_type: &str, body: impl Into<Bytes>) -> Result<Self, IdvError> {
        let value = HeaderValue::from_str(content_type).map_err(|e| {
            IdvError::invalid_argument_with_source(
                "the content type is not a valid header value",
                e,
            )
        })?;
        self.body = body.into();
        self.content_type = Some(value);
        Ok(self)
    }

    /// Sets a `multipart/form-data` body (the signature covers the whole encoded form).
    pub fn multipart(mut self, form: Multipart) -> Self {
        let (content_type, body) = form.encode();
        self.body = body;
        self.content_type = Some(content_type);
        self
    }

    /// The `Accept` header (default `application/json`).
    ///
    /// Errors ([`ErrorKind::InvalidArgument`]) when `accept` is not a valid header value.
    pub fn accept(mut self, accept: &str) -> Result<Self, IdvError> {
        self.accept = HeaderValue::from_str(accept).map_err(|e| {
            IdvError::invalid_argument_with_source(
                "the accept value is not a valid header value",
                e,
            )
        })?;
        Ok(self)
    }

    /// Marks the request safe to send twice, so that it is retried like a `GET` (for instance a
    /// `PUT` that replaces a resource with the same content). Off by default: a retried `POST`
    /// can repeat its effect (a second session).
    pub fn idempotent(mut self, yes: bool) -> Self {
        self.idempotent = yes;
        self
    }

    /// The largest response body accepted (default: the client's
    /// [JSON limit](crate::IdvClientBuilder::max_json_bytes)).
    pub fn max_response_bytes(mut self, limit: u64) -> Self {
        self.max_response_bytes = Some(limit);
        self
    }

    fn call(&self, streaming: bool) -> Result<Call<'_>, IdvError> {
        validate_path(&self.path)?;
        Ok(Call {
            method: self.method.clone(),
            path: Cow::Borrowed(&self.path),
            query: self
                .query
                .iter()
                .map(|(k, v)| (Cow::Borrowed(k.as_str()), Cow::Borrowed(v.as_str())))
                .collect(),
            body: self.body.clone(),
            content_type: self.content_type.clone(),
            accept: self.accept.clone(),
            streaming,
            max_body_bytes: self
                .max_response_bytes
                .unwrap_or(self.client.inner().max_json_bytes),
            idempotent: self.idempotent,
        })
    }

    /// Sends the request and reads the whole response (within the size limit).
    ///
    /// A non-2xx status is an [`ErrorKind::Api`] error carrying the API's code and message.
    pub async fn send(self) -> Result<RawResponse, IdvError> {
        let call = self.call(false)?;
        let inner = self.client.inner();
        let mut budget = Budget::new(&inner.retry, inner.deadline());
        let success = inner.execute(&call, &mut budget).await?;
        let (parts, body) = success.response.into_parts();
        let body = body
            .collect(call.max_body_bytes)
            .await
            .map_err(|e| e.with_request(&call.method, &call.path))?;
        drop(success.permit);
        Ok(RawResponse {
            status: parts.status,
            headers: parts.headers,
            body,
            attempts: budget.made(),
        })
    }

    /// Sends the request and decodes its JSON body into `T` (an error names the JSON path that
    /// failed). A success without a body is [`ErrorKind::UnexpectedResponse`].
    pub async fn send_json<T: DeserializeOwned>(self) -> Result<T, IdvError> {
        let (method, path) = (self.method.clone(), self.path.clone());
        let raw = self.send().await?;
        raw.decode(&method, &path, idv_model::from_slice::<T>)
    }

    /// Sends the request and returns the response as a stream once its head has arrived (for
    /// large bodies; read it with [`ResponseStream::next_chunk`]). Retries happen until the head
    /// arrives; the body's reads are bounded by the transport's read timeout.
    pub async fn send_stream(self) -> Result<ResponseStream, IdvError> {
        let call = self.call(true)?;
        let inner = self.client.inner();
        let deadline = inner.deadline();
        let mut budget = Budget::new(&inner.retry, deadline);
        let success = inner.execute(&call, &mut budget).await?;
        Ok(ResponseStream::new(
            success,
            deadline,
            call.method.clone(),
            call.path.into_owned(),
        ))
    }
}

/// A whole response to a [`RequestBuilder`]: status, headers and body.
///
/// `Debug` shows the status, the content type and the body's length, never the body (responses
/// hold personal data).
#[derive(Clone)]
pub struct RawResponse {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    attempts: u32,
}

impl RawResponse {
    /// The status (always a success: error statuses are [`IdvError`]s).
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// The body, consuming the response.
    pub fn into_body(self) -> Bytes {
        self.body
    }

    /// How many requests the call made (1 unless it was retried).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// Decodes the JSON body with `parse`, mapping failures to [`ErrorKind::Decode`] or, for an
    /// empty body, [`ErrorKind::UnexpectedResponse`].
    pub(crate) fn decode<T>(
        &self,
        method: &Method,
        path: &str,
        parse: impl FnOnce(&[u8]) -> Result<T, idv_model::ParseError>,
    ) -> Result<T, IdvError> {
        if self.status == StatusCode::NO_CONTENT || self.body.is_empty() {
            return Err(missing_body(self.status, method, path, self.attempts));
        }
        decode(&self.body, method, path, parse)
    }
}

impl fmt::Debug for RawResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawResponse")
            .field("status", &self.status.as_u16())
            .field(
                "content_type",
                &self.headers.get(http::header::CONTENT_TYPE),
            )
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// Checks a caller's base-relative path: it starts with `/`, has no query, fragment, empty,
/// `.` or `..` segment, and only characters a path may carry (percent-escapes well formed), so
/// the target signed is the target sent and stays under the base URL.
fn validate_path(path: &str) -> Result<(), IdvError> {
    let bad = |why: &str| {
        IdvError::new(
            ErrorKind::InvalidArgument,
            format!("the request path is invalid: {why}"),
        )
    };
    let rest = path
        .strip_prefix('/')
        .ok_or_else(|| bad("it must start with '/'"))?;
    if rest.is_empty() {
        return Err(bad("it names no resource"));
    }
    let bytes = path.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        let ok = b.is_ascii_alphanumeric()
            || b"-._~!$&'()*+,;=:@/".contains(&b)
            || (b == b'%'
                && bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit));
        if !ok {
            return Err(bad(
                "it may hold only path characters (put the query in RequestBuilder::query)",
            ));
        }
    }
    if rest
        .split('/')
        .any(|segment| segment.is_empty() || segment == "." || segment == "..")
    {
        return Err(bad("it has an empty, '.' or '..' segment"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        for ok in [
            "/sessions",
            "/sessions/abc-1/media/m_2/content",
            "/apps/x/response-config",
            "/a%2Fb",
            "/a:b@c",
        ] {
            assert!(validate_path(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "/",
            "sessions",
            "/sessions?x=1",
            "/sessions#f",
            "/a//b",
            "/a/",
            "/../x",
            "/a/./b",
            "/a b",
            "/a%zz",
            "/a%2",
            "/é",
            "/a\nb",
            "/a\\b",
        ] {
            let err = validate_path(bad).expect_err(bad);
            assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{bad:?}");
        }
    }
}
