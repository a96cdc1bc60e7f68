//! The request to sign: method, base-relative path, caller query parameters and body.

use std::borrow::Cow;
use std::fmt;

use crate::request_rules::{validate_method, validate_path, validate_query_key};
use crate::sign_error::SignError;

/// A request to sign: method, base-relative path, caller query parameters and body.
///
/// The path is relative to the API base (`/sessions/{id}`, never `/idverify/v1/sessions/{id}`).
/// It is validated when signed: it must start with exactly one `/` and contain only characters
/// that an HTTP client sends unchanged (RFC 3986 path characters and `%XX` escapes). The body is
/// signed if and only if it is non-empty.
///
/// ```
/// use idv_sign::UnsignedRequest;
/// let req = UnsignedRequest::new("GET", "/sessions/abc/media/def/content")
///     .query("includeNonLatin", "true");
/// assert_eq!(req.method(), "GET");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct UnsignedRequest<'a> {
    method: Cow<'a, str>,
    path: Cow<'a, str>,
    query: Vec<(Cow<'a, str>, Cow<'a, str>)>,
    body: &'a [u8],
}

impl fmt::Debug for UnsignedRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The body may hold personal data: show its length only.
        f.debug_struct("UnsignedRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("body_len", &self.body.len())
            .finish()
    }
}

impl<'a> UnsignedRequest<'a> {
    /// A request with no query parameters and no body.
    pub fn new(method: impl Into<Cow<'a, str>>, path: impl Into<Cow<'a, str>>) -> Self {
        Self {
            method: method.into(),
            path: path.into(),
            query: Vec::new(),
            body: &[],
        }
    }

    /// `GET path`.
    pub fn get(path: impl Into<Cow<'a, str>>) -> Self {
        Self::new("GET", path)
    }

    /// `DELETE path`.
    pub fn delete(path: impl Into<Cow<'a, str>>) -> Self {
        Self::new("DELETE", path)
    }

    /// `POST path` with `body` (a JSON document, or a complete multipart stream).
    pub fn post(path: impl Into<Cow<'a, str>>, body: &'a [u8]) -> Self {
        Self::new("POST", path).body(body)
    }

    /// `PUT path` with `body`.
    pub fn put(path: impl Into<Cow<'a, str>>, body: &'a [u8]) -> Self {
        Self::new("PUT", path).body(body)
    }

    /// Appends a caller query parameter (sent before `sdkId`, `nonce` and `timestamp`, in the
    /// order added). Keys and values are percent-encoded when signed.
    #[must_use]
    pub fn query(mut self, key: impl Into<Cow<'a, str>>, value: impl Into<Cow<'a, str>>) -> Self {
        self.query.push((key.into(), value.into()));
        self
    }

    /// Sets the body (signed if non-empty).
    #[must_use]
    pub fn body(mut self, body: &'a [u8]) -> Self {
        self.body = body;
        self
    }

    /// The HTTP method.
    pub fn method(&self) -> &str {
        &self.method
    }

    /// The base-relative path.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The caller's query parameters, in order.
    pub fn query_params(&self) -> impl Iterator<Item = (&str, &str)> {
        self.query.iter().map(|(k, v)| (k.as_ref(), v.as_ref()))
    }

    /// The body bytes (empty for none).
    pub fn body_bytes(&self) -> &[u8] {
        self.body
    }

    /// Checks the method, the path and every caller parameter name.
    pub(crate) fn validate(&self) -> Result<(), SignError> {
        validate_method(&self.method)?;
        validate_path(&self.path)?;
        self.query
            .iter()
            .try_for_each(|(key, _)| validate_query_key(key))
    }
}
