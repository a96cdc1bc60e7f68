//! Media content: buffered ([`Media`]) and streamed ([`MediaStream`]).

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, Method, header};
use idv_transport::BodyStream;

use crate::content_type::bare_media_type;
use crate::error::{ErrorKind, IdvError};

/// The content of one media item, read into memory.
///
/// `Debug` shows the content type and the length, never the bytes (media are personal data).
#[derive(Clone)]
pub struct Media {
    content_type: Option<String>,
    content_type_header: Option<String>,
    bytes: Bytes,
}

impl Media {
    #[cfg(test)]
    pub(crate) fn new(headers: &HeaderMap, bytes: Bytes) -> Self {
        let content_type_header = content_type_header(headers);
        Self {
            content_type: content_type_header.as_deref().and_then(bare_media_type),
            content_type_header,
            bytes,
        }
    }

    /// The media type without parameters, lower-cased (`image/jpeg`, `application/json`,
    /// `application/pdf`…); `None` when the response had no usable `Content-Type`.
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// The `Content-Type` header exactly as received, parameters included.
    pub fn content_type_header(&self) -> Option<&str> {
        self.content_type_header.as_deref()
    }

    /// The content.
    pub fn bytes(&self) -> &Bytes {
        &self.bytes
    }

    /// The content, consuming `self`.
    pub fn into_bytes(self) -> Bytes {
        self.bytes
    }

    /// The length of the content in bytes.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Whether the content is empty.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }
}

impl fmt::Debug for Media {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Media")
            .field("content_type", &self.content_type_header)
            .field("len", &self.bytes.len())
            .finish()
    }
}

pub(crate) fn content_type_header(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
}

pub(crate) fn content_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|s| s.trim().parse().ok())
}

/// The content of one media item as a stream of chunks, for large items: read it with
/// [`next_chunk`](Self::next_chunk) in constant memory.
///
/// Each wait for a chunk is bounded by the client's request timeout. A body shorter than its
/// `Content-Length` ends with an error, never silently.
pub struct MediaStream {
    content_type: Option<String>,
    content_type_header: Option<String>,
    content_length: Option<u64>,
    received: u64,
    body: BodyStream,
    idle_timeout: Duration,
    method: Method,
    path: String,
    done: bool,
    /// The client's in-flight slot, held until the body is read (or the stream dropped).
    permit: Option<tokio::sync::OwnedSemaphorePermit>,
}

impl MediaStream {
    pub(crate) fn new(
        headers: &HeaderMap,
        body: BodyStream,
        idle_timeout: Duration,
        method: Method,
        path: String,
        permit: impl Into<Option<tokio::sync::OwnedSemaphorePermit>>,
    ) -> Self {
        let content_type_header = content_type_header(headers);
        Self {
            content_type: content_type_header.as_deref().and_then(bare_media_type),
            content_type_header,
            content_length: content_length(headers),
            received: 0,
            body,
            idle_timeout,
            method,
            path,
            done: false,
            permit: permit.into(),
        }
    }

    /// The media type without parameters, lower-cased; `None` without a usable `Content-Type`.
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// The `Content-Type` header exactly as received.
    pub fn content_type_header(&self) -> Option<&str> {
        self.content_type_header.as_deref()
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
    /// reset, truncation, a stall longer than the request timeout) is an error; after it the
    /// stream yields `Ok(None)`.
    pub async fn next_chunk(&mut self) -> Result<Option<Bytes>, IdvError> {
        if self.done {
            self.permit = None;
            return Ok(None);
        }
        let next = tokio::time::timeout(self.idle_timeout, self.body.next_chunk()).await;
        let result = match next {
            Err(_) => Err(IdvError::new(
                ErrorKind::Timeout,
                format!(
                    "no data for {:?} while reading the media content",
                    self.idle_timeout
                ),
            )
            .with_retryable(true)),
            Ok(Some(Err(e))) => Err(IdvError::transport(e)),
            Ok(Some(Ok(chunk))) => {
                self.received += chunk.len() as u64;
                match self.content_length {
                    Some(expected) if self.received > expected => Err(IdvError::new(
                        ErrorKind::Transport,
                        "the media content is longer than its Content-Length",
                    )),
                    _ => return Ok(Some(chunk)),
                }
            }
            Ok(None) => match self.content_length {
                Some(expected) if self.received < expected => Err(IdvError::new(
                    ErrorKind::Transport,
                    format!(
                        "the media content was truncated: {} of {expected} bytes",
                        self.received
                    ),
                )
                .with_retryable(true)),
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

    /// Reads the rest of the content into memory (beware: media can be large).
    pub async fn into_media(mut self) -> Result<Media, IdvError> {
        let mut buf = bytes::BytesMut::new();
        while let Some(chunk) = self.next_chunk().await? {
            buf.extend_from_slice(&chunk);
        }
        Ok(Media {
            content_type: self.content_type,
            content_type_header: self.content_type_header,
            bytes: buf.freeze(),
        })
    }
}

impl fmt::Debug for MediaStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MediaStream")
            .field("content_type", &self.content_type_header)
            .field("content_length", &self.content_length)
            .field("received", &self.received)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(ct: Option<&str>, len: Option<u64>) -> HeaderMap {
        let mut h = HeaderMap::new();
        if let Some(ct) = ct {
            h.insert(header::CONTENT_TYPE, ct.parse().unwrap());
        }
        if let Some(len) = len {
            h.insert(header::CONTENT_LENGTH, len.to_string().parse().unwrap());
        }
        h
    }

    #[test]
    fn media_content_type_forms() {
        let m = Media::new(
            &headers(Some("Image/PNG; name=x.png"), None),
            Bytes::from_static(b"\x89PNG"),
        );
        assert_eq!(m.content_type(), Some("image/png"));
        assert_eq!(m.content_type_header(), Some("Image/PNG; name=x.png"));
        assert_eq!(m.len(), 4);
        let dbg = format!("{m:?}");
        assert!(dbg.contains("len: 4") && !dbg.contains("PNG\""), "{dbg}");

        let m = Media::new(&headers(None, None), Bytes::from_static(b"x"));
        assert_eq!(m.content_type(), None);
        assert_eq!(m.content_type_header(), None);
    }

    #[tokio::test]
    async fn stream_detects_truncation() {
        let body = BodyStream::from_bytes(Bytes::from_static(b"12345"));
        let mut s = MediaStream::new(
            &headers(Some("application/octet-stream"), Some(10)),
            body,
            Duration::from_secs(1),
            Method::GET,
            "/sessions/s/media/m/content".into(),
            None,
        );
        assert_eq!(s.next_chunk().await.unwrap().unwrap().as_ref(), b"12345");
        let err = s.next_chunk().await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Transport);
        assert!(err.to_string().contains("truncated: 5 of 10"), "{err}");
        assert!(s.next_chunk().await.unwrap().is_none());
    }

    #[tokio::test]
    async fn stream_reads_to_the_end() {
        let body = BodyStream::from_bytes(Bytes::from_static(b"12345"));
        let s = MediaStream::new(
            &headers(Some("text/plain; charset=utf-8"), Some(5)),
            body,
            Duration::from_secs(1),
            Method::GET,
            "/p".into(),
            None,
        );
        let m = s.into_media().await.unwrap();
        assert_eq!(m.bytes().as_ref(), b"12345");
        assert_eq!(m.content_type(), Some("text/plain"));
    }
}
