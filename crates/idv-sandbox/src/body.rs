//! The response body type: a whole body, or one cut short or stalled by a fault.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};

/// The error a cut or stalled body ends with; hyper then closes the connection.
#[derive(Debug, thiserror::Error)]
#[error("response body cut short by an injected fault")]
pub(crate) struct BodyCut;

type Wait = Pin<Box<dyn Future<Output = ()> + Send>>;

enum Tail {
    End,
    /// Wait (so the data already sent is flushed), then fail.
    FailAfter(Wait),
    Failed,
}

/// A response body.
pub(crate) struct SandboxBody {
    data: Option<Bytes>,
    len: u64,
    tail: Tail,
}

impl std::fmt::Debug for SandboxBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SandboxBody")
            .field("len", &self.len)
            .finish_non_exhaustive()
    }
}

impl SandboxBody {
    /// The whole body.
    pub(crate) fn full(bytes: Bytes) -> Self {
        let len = bytes.len() as u64;
        Self {
            data: (!bytes.is_empty()).then_some(bytes),
            len,
            tail: Tail::End,
        }
    }

    /// `bytes`, then wait for `wait` to finish, then fail (closing the connection).
    pub(crate) fn cut(bytes: Bytes, wait: Wait) -> Self {
        let len = bytes.len() as u64;
        Self {
            data: (!bytes.is_empty()).then_some(bytes),
            len,
            tail: Tail::FailAfter(wait),
        }
    }
}

impl Body for SandboxBody {
    type Data = Bytes;
    type Error = BodyCut;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BodyCut>>> {
        if let Some(data) = self.data.take() {
            return Poll::Ready(Some(Ok(Frame::data(data))));
        }
        match &mut self.tail {
            Tail::End => Poll::Ready(None),
            Tail::Failed => Poll::Ready(Some(Err(BodyCut))),
            Tail::FailAfter(wait) => match wait.as_mut().poll(cx) {
                Poll::Ready(()) => {
                    self.tail = Tail::Failed;
                    Poll::Ready(Some(Err(BodyCut)))
                }
                Poll::Pending => Poll::Pending,
            },
        }
    }

    fn is_end_stream(&self) -> bool {
        self.data.is_none() && matches!(self.tail, Tail::End)
    }

    fn size_hint(&self) -> SizeHint {
        match self.tail {
            Tail::End => SizeHint::with_exact(self.len),
            _ => SizeHint::default(),
        }
    }
}
