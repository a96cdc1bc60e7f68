//! The request body as hyper sends it: the caller's bytes in bounded frames. Each frame hyper
//! takes is recorded as progress, so the wait for the response head restarts while an upload
//! is still moving (see [`super::head`]).

use std::convert::Infallible;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};
use tokio::time::Instant;

/// The largest frame handed to hyper: small enough that taking the next one means the previous
/// one was accepted for writing.
const FRAME_BYTES: usize = 64 * 1024;

/// When hyper last took a piece of the request body (shared by the body and the head wait).
#[derive(Clone, Debug, Default)]
pub(crate) struct UploadProgress(Arc<Mutex<Option<Instant>>>);

impl UploadProgress {
    fn mark(&self) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = Some(Instant::now());
    }

    /// The last time a frame was taken, if any was.
    pub(crate) fn last(&self) -> Option<Instant> {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The request body: `Content-Length` stays exact, the data goes out in [`FRAME_BYTES`] frames.
#[derive(Debug)]
pub(crate) struct UploadBody {
    remaining: Bytes,
    progress: UploadProgress,
}

impl UploadBody {
    pub(crate) fn new(bytes: Bytes, progress: UploadProgress) -> Self {
        Self {
            remaining: bytes,
            progress,
        }
    }
}

impl Body for UploadBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        if self.remaining.is_empty() {
            return Poll::Ready(None);
        }
        let take = self.remaining.len().min(FRAME_BYTES);
        let frame = self.remaining.split_to(take);
        self.progress.mark();
        Poll::Ready(Some(Ok(Frame::data(frame))))
    }

    fn is_end_stream(&self) -> bool {
        self.remaining.is_empty()
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.remaining.len() as u64)
    }
}

#[cfg(test)]
mod tests {
    use http_body_util::BodyExt as _;

    use super::*;

    #[tokio::test]
    async fn frames_are_bounded_exact_and_recorded() {
        let data: Bytes = (0..200_000u32).map(|i| i as u8).collect::<Vec<u8>>().into();
        let progress = UploadProgress::default();
        let mut body = UploadBody::new(data.clone(), progress.clone());
        assert_eq!(body.size_hint().exact(), Some(200_000));
        assert!(!body.is_end_stream());
        assert!(progress.last().is_none(), "nothing taken yet");
        let mut sizes = Vec::new();
        let mut joined = Vec::new();
        while let Some(frame) = body.frame().await {
            let chunk = frame.unwrap().into_data().unwrap();
            sizes.push(chunk.len());
            joined.extend_from_slice(&chunk);
        }
        assert_eq!(sizes, [65_536, 65_536, 65_536, 3_392]);
        assert_eq!(joined, data);
        assert!(body.is_end_stream());
        assert!(progress.last().is_some());
    }

    #[test]
    fn an_empty_body_is_over_before_it_starts() {
        let body = UploadBody::new(Bytes::new(), UploadProgress::default());
        assert!(body.is_end_stream());
        assert_eq!(body.size_hint().exact(), Some(0));
    }
}
