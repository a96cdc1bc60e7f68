//! The streamed body of a [`HyperTransport`](super::HyperTransport) response: idle timeout,
//! size limit, and the request span finished when the body ends.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_core::Stream;
use http_body::Body as _;
use hyper::body::Incoming;
use tokio::time::{Instant, Sleep};

use super::{RequestRecord, classify};
use crate::{TransportError, TransportErrorKind};

pub(crate) struct HyperBody {
    body: Incoming,
    idle: Option<Duration>,
    sleep: Option<Pin<Box<Sleep>>>,
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
            max,
            received: 0,
            record,
            done: false,
        }
    }

    fn finish(&mut self, error: Option<&TransportError>) {
        self.done = true;
        self.sleep = None;
        self.record.finish(Some(self.received), error);
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
                    if let (Some(idle), Some(sleep)) = (this.idle, this.sleep.as_mut()) {
                        sleep.as_mut().reset(Instant::now() + idle);
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
                    let Some(idle) = this.idle else {
                        return Poll::Pending;
                    };
                    let sleep = this
                        .sleep
                        .get_or_insert_with(|| Box::pin(tokio::time::sleep(idle)));
                    if sleep.as_mut().poll(cx).is_ready() {
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
