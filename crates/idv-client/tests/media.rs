//! Media through the public API: 204, content types, atomic downloads, restarts mid-body.

mod common;

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use common::*;
use http::{Request, Response};
use idv_client::{ErrorKind, IdvClient, RetryPolicy};
use idv_transport::transport_fn;

#[tokio::test]
async fn media_no_content_and_missing_content_type() {
    let f = fake(|_, _| Ok(response(204, None, b"")));
    assert!(f.client.get_media(SESSION, MEDIA).await.unwrap().is_none());
    assert!(
        f.client
            .get_media_stream(SESSION, MEDIA)
            .await
            .unwrap()
            .is_none()
    );
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("none.bin");
    assert!(
        f.client
            .download_media(SESSION, MEDIA, &out)
            .await
            .unwrap()
            .is_none()
    );
    assert!(!out.exists());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);

    let f = fake(|_, _| Ok(response(200, None, b"raw")));
    let m = f.client.get_media(SESSION, MEDIA).await.unwrap().unwrap();
    assert_eq!(m.content_type(), None);
    assert_eq!(m.bytes().as_ref(), b"raw");

    let f = fake(|_, _| Ok(response(200, Some("application/PDF; x=y"), b"%PDF")));
    let m = f.client.get_media(SESSION, MEDIA).await.unwrap().unwrap();
    assert_eq!(m.content_type(), Some("application/pdf"));
    assert_eq!(m.content_type_header(), Some("application/PDF; x=y"));
    assert_eq!(
        f.seen.lock().unwrap()[0].headers.get("accept").unwrap(),
        "*/*"
    );
}

#[tokio::test]
async fn download_is_atomic() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("page.jpg");

    // A body shorter than its Content-Length: error, and nothing left behind.
    let f = fake(|_, _| {
        Ok(Response::builder()
            .status(200)
            .header("content-type", "image/jpeg")
            .header("content-length", "100")
            .body(Bytes::from_static(b"short"))
            .unwrap())
    });
    let e = f
        .client
        .download_media(SESSION, MEDIA, &out)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Transport, "{e}");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "no partial file"
    );

    // A complete body replaces any existing file.
    std::fs::write(&out, b"old").unwrap();
    let f = fake(|_, _| Ok(response(200, Some("image/jpeg"), b"\xFF\xD8complete")));
    let info = f
        .client
        .download_media(SESSION, MEDIA, &out)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(info.bytes, 10);
    assert_eq!(info.content_type.as_deref(), Some("image/jpeg"));
    assert_eq!(info.path, out);
    assert_eq!(std::fs::read(&out).unwrap(), b"\xFF\xD8complete");
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, [std::ffi::OsString::from("page.jpg")]);

    // A failed download leaves an existing file untouched.
    let f = fake(|_, _| Ok(response(404, None, b"")));
    assert!(f.client.download_media(SESSION, MEDIA, &out).await.is_err());
    assert_eq!(std::fs::read(&out).unwrap(), b"\xFF\xD8complete");

    // A directory that does not exist is an I/O error.
    let f = fake(|_, _| Ok(response(200, Some("image/jpeg"), b"x")));
    let e = f
        .client
        .download_media(SESSION, MEDIA, dir.path().join("missing/x.jpg"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Io);
}

/// Drops a download after its n-th pending poll, for every n until it completes: nothing but
/// the complete file is ever left. Each round runs on its own runtime, whose drop waits for the
/// blocking file operations still running, so a temporary file created after the drop is seen.
#[test]
fn a_download_dropped_at_any_await_point_leaves_no_file() {
    use std::future::Future as _;
    use std::task::Poll;

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("page.jpg");
    let f = fake(|_, _| Ok(response(200, Some("image/jpeg"), b"\xFF\xD8complete")));
    for pending_polls in 1..100 {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let finished = runtime.block_on(async {
            let mut download = Box::pin(f.client.download_media(SESSION, MEDIA, &out));
            let mut left = pending_polls;
            std::future::poll_fn(|cx| match download.as_mut().poll(cx) {
                Poll::Ready(result) => Poll::Ready(Some(result)),
                Poll::Pending => {
                    left -= 1;
                    if left == 0 {
                        Poll::Ready(None)
                    } else {
                        Poll::Pending
                    }
                }
            })
            .await
        });
        drop(runtime);
        match finished {
            Some(result) => {
                assert_eq!(result.unwrap().unwrap().bytes, 10);
                assert_eq!(std::fs::read(&out).unwrap(), b"\xFF\xD8complete");
                let names: Vec<_> = std::fs::read_dir(dir.path())
                    .unwrap()
                    .map(|e| e.unwrap().file_name())
                    .collect();
                assert_eq!(names, [std::ffi::OsString::from("page.jpg")]);
                assert!(pending_polls > 1, "the download did some waiting");
                return;
            }
            None => {
                let names: Vec<_> = std::fs::read_dir(dir.path())
                    .unwrap()
                    .map(|e| e.unwrap().file_name())
                    .collect();
                // Dropped during (or after) the rename, the file is there and complete;
                // before it, nothing is.
                if names.is_empty() {
                    continue;
                }
                assert_eq!(
                    names,
                    [std::ffi::OsString::from("page.jpg")],
                    "dropped after {pending_polls} pending polls"
                );
                assert_eq!(std::fs::read(&out).unwrap(), b"\xFF\xD8complete");
                std::fs::remove_file(&out).unwrap();
            }
        }
    }
    panic!("the download never completed");
}

/// A download that starts again after a failure mid-body stays within the download timeout:
/// the new attempt's retries share the first attempt's deadline. (Paused clock: the times are
/// exact.)
#[tokio::test(start_paused = true)]
async fn a_restarted_download_keeps_the_overall_deadline() {
    let calls = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let calls2 = calls.clone();
    let transport = transport_fn(move |_req: Request<Bytes>| {
        let n = calls2.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        async move {
            if n > 0 {
                // Every later attempt hangs until its timeout.
                std::future::pending::<()>().await;
            }
            tokio::time::sleep(Duration::from_millis(600)).await;
            // A body shorter than its Content-Length: a transient failure mid-body.
            Ok(Response::builder()
                .status(200)
                .header("content-length", "100")
                .body(Bytes::from_static(b"short"))
                .unwrap())
        }
    });
    let client = IdvClient::builder()
        .sdk_id(SDK_ID)
        .signer(Arc::new(RecordingSigner::default()))
        .transport(Arc::new(transport))
        .request_timeout(Duration::from_secs(2))
        .download_timeout(Duration::from_secs(1))
        .retry_policy(
            RetryPolicy::default()
                .with_max_attempts(10)
                .with_initial_backoff(Duration::from_millis(1)),
        )
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let start = tokio::time::Instant::now();
    let e = client
        .download_media(SESSION, MEDIA, dir.path().join("x.jpg"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout, "{e}");
    assert!(
        start.elapsed() <= Duration::from_millis(1_001),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 2);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

/// A server trickling one byte at a time, each within the read timeout, cannot keep a download
/// alive past the download timeout. (Paused clock.)
#[tokio::test(start_paused = true)]
async fn a_trickling_download_ends_at_the_download_timeout() {
    #[derive(Debug)]
    struct Trickle;

    #[async_trait::async_trait]
    impl idv_transport::Transport for Trickle {
        async fn send(
            &self,
            _request: Request<Bytes>,
            _options: &idv_transport::SendOptions,
        ) -> Result<Response<Bytes>, idv_transport::TransportError> {
            unreachable!("media are streamed")
        }

        async fn send_streaming(
            &self,
            _request: Request<Bytes>,
            _options: &idv_transport::SendOptions,
        ) -> Result<Response<idv_transport::BodyStream>, idv_transport::TransportError> {
            let chunks = futures_util::stream::unfold((), |()| async {
                tokio::time::sleep(Duration::from_secs(1)).await;
                Some((
                    Ok::<_, idv_transport::TransportError>(Bytes::from_static(b"x")),
                    (),
                ))
            });
            Ok(Response::builder()
                .status(200)
                .header("content-type", "image/jpeg")
                .body(idv_transport::BodyStream::new(chunks))
                .unwrap())
        }
    }

    let client = IdvClient::builder()
        .sdk_id(SDK_ID)
        .signer(Arc::new(RecordingSigner::default()))
        .transport(Arc::new(Trickle))
        .download_timeout(Duration::from_secs(60))
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let start = tokio::time::Instant::now();
    let e = client
        .download_media(SESSION, MEDIA, dir.path().join("x.jpg"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout, "{e}");
    assert_eq!(start.elapsed(), Duration::from_secs(60));
    assert_eq!(e.attempts(), 1, "a deadline that passed is not retried");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}
