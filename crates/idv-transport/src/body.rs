//! A streamed response body.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::{Bytes, BytesMut};
use futures_core::Stream;

use crate::TransportError;

type BoxStream = Pin<Box<dyn Stream<Item = Result<Bytes, TransportError>> + Send + 'static>>;

/// An owned, `Send`, streamed response body: a sequence of non-empty chunks that ends with
/// `None`, or with an error (after which it yields `None`).
///
/// Read it chunk by chunk with [`next_chunk`](Self::next_chunk) (constant memory, for writing to
/// disk), or all at once with [`collect_bytes`](Self::collect_bytes). It also implements
/// [`futures_core::Stream`].
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// use bytes::Bytes;
/// use idv_transport::BodyStream;
///
/// let mut body = BodyStream::from_bytes(Bytes::from_static(b"hello"));
/// assert_eq!(body.next_chunk().await.unwrap().unwrap(), "hello");
/// assert!(body.next_chunk().await.is_none());
/// # }
/// ```
pub struct BodyStream {
    inner: Option<BoxStream>,
    size_hint: Option<u64>,
}

impl BodyStream {
    /// A body from any stream of chunks (other transports use this).
    pub fn new<S>(stream: S) -> Self
    where
        S: Stream<Item = Result<Bytes, TransportError>> + Send + 'static,
    {
        Self {
            inner: Some(Box::pin(stream)),
            size_hint: None,
        }
    }

    /// A body holding `bytes` as a single chunk (nothing if it is empty).
    pub fn from_bytes(bytes: Bytes) -> Self {
        let len = bytes.len() as u64;
        Self {
            inner: Some(Box::pin(Once(Some(bytes)))),
            size_hint: Some(len),
        }
    }

    /// An empty body.
    pub fn empty() -> Self {
        Self {
            inner: None,
            size_hint: Some(0),
        }
    }

    /// Record the expected total length (typically from `Content-Length`).
    #[must_use]
    pub fn with_size_hint(mut self, len: Option<u64>) -> Self {
        self.size_hint = len;
        self
    }

    /// The expected total length, when known (from `Content-Length` or a buffered body).
    pub fn size_hint(&self) -> Option<u64> {
        self.size_hint
    }

    /// The next chunk, an error, or `None` at the end. After an error it returns `None`.
    pub async fn next_chunk(&mut self) -> Option<Result<Bytes, TransportError>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Read the whole body into memory, failing with
    /// [`BodyTooLarge`](crate::TransportErrorKind::BodyTooLarge) beyond `max_bytes`.
    pub async fn collect_bytes(mut self, max_bytes: u64) -> Result<Bytes, TransportError> {
        let mut first: Option<Bytes> = None;
        let mut buf = BytesMut::new();
        let mut total: u64 = 0;
        while let Some(chunk) = self.next_chunk().await {
            let chunk = chunk?;
            total = total.saturating_add(chunk.len() as u64);
            if total > max_bytes {
                return Err(TransportError::body_too_large(max_bytes));
            }
            match first.take() {
                None if buf.is_empty() => first = Some(chunk),
                None => buf.extend_from_slice(&chunk),
                Some(f) => {
                    buf.extend_from_slice(&f);
                    buf.extend_from_slice(&chunk);
                }
            }
        }
        Ok(first.unwrap_or_else(|| buf.freeze()))
    }
}

impl Stream for BodyStream {
    type Item = Result<Bytes, TransportError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let Some(inner) = self.inner.as_mut() else {
            return Poll::Ready(None);
        };
        loop {
            match inner.as_mut().poll_next(cx) {
                Poll::Ready(Some(Ok(chunk))) if chunk.is_empty() => continue,
                Poll::Ready(Some(Ok(chunk))) => return Poll::Ready(Some(Ok(chunk))),
                Poll::Ready(Some(Err(e))) => {
                    self.inner = None;
                    return Poll::Ready(Some(Err(e)));
                }
                Poll::Ready(None) => {
                    self.inner = None;
                    return Poll::Ready(None);
                }
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}

impl From<Bytes> for BodyStream {
    fn from(bytes: Bytes) -> Self {
        Self::from_bytes(bytes)
    }
}

impl Default for BodyStream {
    fn default() -> Self {
        Self::empty()
    }
}

impl fmt::Debug for BodyStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BodyStream")
            .field("finished", &self.inner.is_none())
            .field("size_hint", &self.size_hint)
            .finish_non_exhaustive()
    }
}

struct Once(Option<Bytes>);

impl Stream for Once {
    type Item = Result<Bytes, TransportError>;

    fn poll_next(mut self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Poll::Ready(self.0.take().map(Ok))
    }
}
