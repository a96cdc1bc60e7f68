//! Waiting for the response head under the idle timeout.
//!
//! The head is the first thing read, so "no progress for the idle timeout" starts when the
//! request is on its way. That moment is not observable inside hyper's pooled client, so the
//! allowance is counted from the start and includes the connect timeout (a new connection may
//! use it), and each piece of request body hyper takes restarts the idle window. The server
//! therefore always gets at least the idle timeout after the request was handed over, and a
//! silent server is detected within connect timeout + idle timeout.

use std::future::Future;
use std::pin::pin;
use std::time::Duration;

use tokio::time::Instant;

use super::upload::UploadProgress;
use crate::timeouts::deadline_after;
use crate::{TransportError, TransportErrorKind};

/// Await `head`, failing with a [`Timeout`](TransportErrorKind::Timeout) once neither the
/// server nor the upload has made progress within the allowance. `idle: None` waits forever.
pub(crate) async fn wait_for_head<T>(
    head: impl Future<Output = Result<T, TransportError>>,
    idle: Option<Duration>,
    connect_allowance: Duration,
    upload: &UploadProgress,
) -> Result<T, TransportError> {
    let Some(idle) = idle else {
        return head.await;
    };
    let mut head = pin!(head);
    let mut deadline = deadline_after(Instant::now(), connect_allowance.saturating_add(idle));
    loop {
        let Some(at) = deadline else {
            return head.await;
        };
        if let Ok(result) = tokio::time::timeout_at(at, head.as_mut()).await {
            return result;
        }
        let silent = || {
            TransportError::new(
                TransportErrorKind::Timeout,
                format!("no response head: nothing happened for {idle:?}"),
            )
        };
        let Some(last) = upload.last() else {
            return Err(silent());
        };
        deadline = match deadline_after(last, idle) {
            Some(next) if next > at => Some(next),
            Some(_) => return Err(silent()),
            None => None,
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn silence_times_out_after_connect_plus_idle() {
        let start = Instant::now();
        let never = std::future::pending::<Result<(), TransportError>>();
        let err = wait_for_head(
            never,
            Some(Duration::from_secs(30)),
            Duration::from_secs(10),
            &UploadProgress::default(),
        )
        .await
        .unwrap_err();
        assert_eq!(err.kind(), TransportErrorKind::Timeout);
        assert_eq!(start.elapsed(), Duration::from_secs(40));
    }

    #[tokio::test(start_paused = true)]
    async fn upload_progress_restarts_the_idle_window() {
        let start = Instant::now();
        let progress = UploadProgress::default();
        let uploading = progress.clone();
        let head = async move {
            // The body is taken bit by bit for 100 s, then the server stays silent.
            for _ in 0..10 {
                tokio::time::sleep(Duration::from_secs(10)).await;
                let mut body = super::super::upload::UploadBody::new(
                    bytes::Bytes::from_static(b"x"),
                    uploading.clone(),
                );
                let _ = http_body_util::BodyExt::frame(&mut body).await;
            }
            std::future::pending::<Result<(), TransportError>>().await
        };
        let err = wait_for_head(
            head,
            Some(Duration::from_secs(30)),
            Duration::ZERO,
            &progress,
        )
        .await
        .unwrap_err();
        assert_eq!(err.kind(), TransportErrorKind::Timeout);
        assert_eq!(start.elapsed(), Duration::from_secs(130));
    }

    #[tokio::test(start_paused = true)]
    async fn a_head_in_time_is_returned_and_none_waits_forever() {
        let slow = async {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            Ok::<_, TransportError>(7)
        };
        assert_eq!(
            wait_for_head(slow, None, Duration::ZERO, &UploadProgress::default())
                .await
                .unwrap(),
            7
        );
        let quick = async { Ok::<_, TransportError>(8) };
        let huge = crate::MAX_TIMEOUT;
        assert_eq!(
            wait_for_head(quick, Some(huge), huge, &UploadProgress::default())
                .await
                .unwrap(),
            8
        );
    }
}
