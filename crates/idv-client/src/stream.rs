//! A response read as a stream of chunks, in constant memory.

use std::fmt;

use bytes::Bytes;
use http::{HeaderMap, Method, StatusCode, header};
use idv_transport::BodyStream;
use tokio::sync::OwnedSemaphorePermit;
use tokio::time::Instant;

use crate::content_type::bare_media_type;
use crate::engine::Success;
use crate::error::{ErrorKind, IdvError};
use crate::retry::Failure;

/// A response whose body is read chunk by chunk with [`next_chunk`](Self::next_chunk), for large
/// bodies such as media: from [`RequestBuilder::send_stream`](crate::RequestBuilder::send_stream)
/// or [`IdvClient::get_media_stream`](crate::IdvClient::get_media_stream).
///
/// Each wait for a chunk is bounded by the transport's read timeout, and the whole read by the
/// call's deadline (the download timeout for media). A body shorter than its `Content-Length`
/// ends with an error, never silently. The client's in-flight slot is held until the body has
/// been read or the stream dropped.
pub struct ResponseStream {
    status: StatusCode,
    headers: HeaderMap,
    content_type: Option<String>,
    content_length: Option<u64>,
    received: u64,
    body: BodyStream,
    deadline: Instant,
    method: Method,
    path: String,
    done: bool,
    permit: Option<OwnedSemaphorePermit>,
}

impl ResponseStream {
    pub(crate) fn new(success: Success, deadline: Instant, method: Method, path: String) -> Self {
        let (parts, body) = success.response.into_parts();
        let content_type = content_type_header(&parts.headers)
            .as_deref()
            .and_then(bare_media_type);
        Self {
            status: parts.status,
            content_length: content_length(&parts.headers),
            headers: parts.headers,
            content_type,
            received: 0,
            body: body.into_stream(),
            deadline,
            method,
            path,
            done: false,
            permit: Some(success.permit),
        }
    }

    /// The status (a success).
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The media type without parameters, lower-cased; `None` without a usable `Content-Type`.
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// The `Content-Type` header exactly as received.
    pub fn content_type_header(&self) -> Option<&str> {
        self.headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
    }

    /// The announced length (`Content-Length`), when known.
    pub fn content_length(&self) -> Option<u64> {
        self.content_length
    }

    /// How many bytes were read so far.
    pub fn bytes_received(&self) -> u64 {
        self.received
    }

    /// The next chunk of content, or `Ok(None)` at the end. A failure mid-body (connection
    /// reset, truncation, a stall longer than the read timeout, the call's deadline) is an
    /// error; after it the stream yields `Ok(None)`.
    pub async fn next_chunk(&mut self) -> Result<Option<Bytes>, IdvError> {
        if self.done {
            self.permit = None;
            return Ok(None);
        }
        let next = tokio::time::timeout_at(self.deadline, self.body.next_chunk()).await;
        let result = match next {
            Err(_) => Err(IdvError::new(
                ErrorKind::Timeout,
                "the call's deadline passed while reading the body",
            )),
            Ok(Some(Err(e))) => Err(IdvError::transport(e)),
            Ok(Some(Ok(chunk))) => {
                self.received = self.received.saturating_add(chunk.len() as u64);
                match self.content_length {
                    Some(expected) if self.received > expected => Err(IdvError::new(
                        ErrorKind::Transport,
                        "the body is longer than its Content-Length",
                    )),
                    _ => return Ok(Some(chunk)),
                }
            }
            Ok(None) => match self.content_length {
                Some(expected) if self.received < expected => Err(IdvError::new(
                    ErrorKind::Transport,
                    format!(
                        "the body was truncated: {} of {expected} bytes",
                        self.received
                    ),
                )
                .with_failure(Failure::INTERRUPTED)),
                _ => {
                    self.done = true;
                    self.permit = None;
                    return Ok(None);
                }
            },
        };
        self.done = true;
        self.permit = None;
        result.map_err(|e| e.with_request(&self.method, &self.path))
    }

    /// Reads the rest of the body into memory (beware: media can be large).
    pub async fn collect(mut self) -> Result<Bytes, IdvError> {
        let mut buf = bytes::BytesMut::new();
        while let Some(chunk) = self.next_chunk().await? {
            buf.extend_from_slice(&chunk);
        }
        Ok(buf.freeze())
    }
}

impl fmt::Debug for ResponseStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseStream")
            .field("status", &self.status.as_u16())
            .field("content_type", &self.content_type)
            .field("content_length", &self.content_length)
            .field("received", &self.received)
            .finish_non_exhaustive()
    }
}

pub(crate) fn content_type_header(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
}

fn content_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|s| s.trim().parse().ok())
}
