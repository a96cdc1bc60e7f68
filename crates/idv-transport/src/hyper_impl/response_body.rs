//! The response body of a [`HyperTransport`](super::HyperTransport) exchange, streamed or
//! buffered: the idle timeout between chunks, the size limit, and the request span finished when
//! the body ends.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use futures_core::Stream;
use http_body::Body as _;
use hyper::body::Incoming;
use tokio::time::{Instant, Sleep};

use super::classify;
use super::record::RequestRecord;
use crate::timeouts::deadline_after;
use crate::{TransportError, TransportErrorKind};

/// The largest buffer pre-allocated from a `Content-Length` (the buffer still grows to the limit).
const MAX_PREALLOCATION: u64 = 8 * 1024 * 1024;

pub(crate) struct HyperBody {
    body: Incoming,
    idle: Option<Duration>,
    /// Armed when a poll finds no data; it only measures time spent waiting for the server, not
    /// time the caller spends between polls.
    sleep: Option<Pin<Box<Sleep>>>,
    waiting: bool,
    max: u64,
    received: u64,
    record: RequestRecord,
    done: bool,
}

impl HyperBody {
    pub(crate) fn new(
        body: Incoming,
        idle: Option<Duration>,
        max: u64,
        record: RequestRecord,
    ) -> Self {
        Self {
            body,
            idle,
            sleep: None,
            waiting: false,
            max,
            received: 0,
            record,
            done: false,
        }
    }

    /// Read the whole body, pre-allocating from its `Content-Length` (`length`, already checked
    /// against the limit) up to [`MAX_PREALLOCATION`].
    pub(crate) async fn collect(mut self, length: Option<u64>) -> Result<Bytes, TransportError> {
        let capacity = length.unwrap_or(0).min(self.max).min(MAX_PREALLOCATION);
        let mut buf = BytesMut::with_capacity(usize::try_from(capacity).unwrap_or(0));
        while let Some(chunk) = std::future::poll_fn(|cx| Pin::new(&mut self).poll_next(cx)).await {
            buf.extend_from_slice(&chunk?);
        }
        Ok(buf.freeze())
    }

    fn finish(&mut self, error: Option<&TransportError>) {
        self.done = true;
        self.sleep = None;
        self.record.finish(Some(self.received), error);
    }

    /// No data is ready: start the idle window if this is the first empty poll since the last
    /// chunk, and report whether it has run out.
    fn idle_expired(&mut self, cx: &mut Context<'_>) -> bool {
        let Some(idle) = self.idle else {
            return false;
        };
        if !self.waiting {
            self.waiting = true;
            let Some(deadline) = deadline_after(Instant::now(), idle) else {
                // Beyond the clock's range: no deadline at all.
                self.idle = None;
                return false;
            };
            match self.sleep.as_mut() {
                Some(sleep) => sleep.as_mut().reset(deadline),
                None => self.sleep = Some(Box::pin(tokio::time::sleep_until(deadline))),
            }
        }
        self.sleep
            .as_mut()
            .is_some_and(|sleep| sleep.as_mut().poll(cx).is_ready())
    }
}

impl Stream for HyperBody {
    type Item = Result<Bytes, TransportError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if this.done {
            return Poll::Ready(None);
        }
        loop {
            match Pin::new(&mut this.body).poll_frame(cx) {
                Poll::Ready(Some(Ok(frame))) => {
                    this.waiting = false;
                    let Ok(data) = frame.into_data() else {
                        continue; // trailers
                    };
                    this.received = this.received.saturating_add(data.len() as u64);
                    if this.received > this.max {
                        let err =
                            TransportError::body_too_large(this.max).with_target(&this.record.uri);
                        this.finish(Some(&err));
                        return Poll::Ready(Some(Err(err)));
                    }
                    if data.is_empty() {
                        continue;
                    }
                    return Poll::Ready(Some(Ok(data)));
                }
                Poll::Ready(Some(Err(e))) => {
                    let err = classify::body_error(e).with_target(&this.record.uri);
                    this.finish(Some(&err));
                    return Poll::Ready(Some(Err(err)));
                }
                Poll::Ready(None) => {
                    this.finish(None);
                    return Poll::Ready(None);
                }
                Poll::Pending => {
                    if this.idle_expired(cx) {
                        let idle = this.idle.unwrap_or_default();
                        let err = TransportError::new(
                            TransportErrorKind::Timeout,
                            format!("no body data received for {idle:?}"),
                        )
                        .with_target(&this.record.uri);
                        this.finish(Some(&err));
                        return Poll::Ready(Some(Err(err)));
                    }
                    return Poll::Pending;
                }
            }
        }
    }
}

impl Drop for HyperBody {
    fn drop(&mut self) {
        if !self.done {
            self.record.abandon(self.received);
        }
    }
}

/// The response's `Content-Length`, failing up front when it exceeds `max`.
pub(crate) fn checked_content_length(
    record: &RequestRecord,
    status: http::StatusCode,
    headers: &http::HeaderMap,
    max: u64,
) -> Result<Option<u64>, TransportError> {
    // HEAD responses and 204/304 carry a Content-Length without a body.
    if record.method == http::Method::HEAD
        || status == http::StatusCode::NO_CONTENT
        || status == http::StatusCode::NOT_MODIFIED
    {
        return Ok(Some(0));
    }
    let length = headers
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    match length {
        Some(len) if len > max => Err(TransportError::new(
            TransportErrorKind::BodyTooLarge,
            format!("Content-Length {len} exceeds the limit of {max} bytes"),
        )
        .with_target(&record.uri)),
        other => Ok(other),
    }
}
