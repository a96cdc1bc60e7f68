//! No duration a user can pass panics, up to `Duration::MAX`: the builder's connect, read and
//! pool-idle timeouts and `SendOptions::read_timeout`, through real requests on loopback (a body
//! in two chunks, so the idle timer is armed and re-armed). Some of the code that turns a timeout
//! into a deadline runs in tasks the pool spawns, so a panic hook counts panics anywhere in the
//! process. This file holds one test so that the hook sees only its own panics.
#![cfg(feature = "hyper")]

mod common;

use std::convert::Infallible;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http::{Request, Response};
use http_body_util::BodyExt as _;
use hyper::body::{Body, Frame};
use idv_transport::{MAX_TIMEOUT, SendOptions, Transport, TransportErrorKind};
use proptest::prelude::*;

static PANICS: AtomicUsize = AtomicUsize::new(0);

/// "ab", then (after the client has had to wait) "cd".
struct TwoChunks {
    sent: u8,
    pause: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl Body for TwoChunks {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        match self.sent {
            0 => {
                self.sent = 1;
                Poll::Ready(Some(Ok(Frame::data(Bytes::from_static(b"ab")))))
            }
            1 => {
                let pause = self
                    .pause
                    .get_or_insert_with(|| Box::pin(tokio::time::sleep(Duration::from_millis(5))));
                if pause.as_mut().poll(cx).is_pending() {
                    return Poll::Pending;
                }
                self.sent = 2;
                Poll::Ready(Some(Ok(Frame::data(Bytes::from_static(b"cd")))))
            }
            _ => Poll::Ready(None),
        }
    }
}

fn any_duration() -> impl Strategy<Value = Duration> {
    prop_oneof![
        3 => Just(Duration::MAX),
        1 => Just(Duration::ZERO),
        1 => Just(MAX_TIMEOUT),
        1 => Just(MAX_TIMEOUT + Duration::from_nanos(1)),
        2 => any::<u64>().prop_map(Duration::from_secs),
        2 => (any::<u64>(), 0..1_000_000_000u32).prop_map(|(s, n)| Duration::new(s, n)),
        2 => (1u64..10_000).prop_map(Duration::from_millis),
    ]
}

fn timeouts() -> impl Strategy<Value = Option<Duration>> {
    prop_oneof![1 => Just(None), 4 => any_duration().prop_map(Some)]
}

/// A zero (or tiny) connect or idle timeout may legitimately expire: that is an error, not a
/// panic.
fn expired(kind: TransportErrorKind) -> bool {
    matches!(
        kind,
        TransportErrorKind::Timeout | TransportErrorKind::Connect
    )
}

#[test]
fn no_duration_panics() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        PANICS.fetch_add(1, Ordering::SeqCst);
        previous(info);
    }));

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let server = runtime.block_on(common::serve(None, |_req| async move {
        Response::new(
            TwoChunks {
                sent: 0,
                pause: None,
            }
            .map_err(|never| match never {})
            .boxed(),
        )
    }));
    let url = server.http_url("/x");

    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(48);
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(cases));
    let strategy = (timeouts(), timeouts(), timeouts(), timeouts());
    runner
        .run(&strategy, |(connect, read, pool_idle, per_request)| {
            let transport = common::builder()
                .connect_timeout(connect)
                .read_timeout(read)
                .pool_idle_timeout(pool_idle)
                .build()
                .unwrap();
            let mut options = SendOptions::default();
            // The public field, set directly: not clamped by a setter.
            options.read_timeout = per_request;
            runtime.block_on(async {
                let request = || Request::get(&url).body(Bytes::new()).unwrap();
                match transport.send(request(), &options).await {
                    Ok(response) => prop_assert_eq!(response.body().as_ref(), b"abcd"),
                    Err(e) => prop_assert!(expired(e.kind()), "{}", e),
                }
                match transport.send_streaming(request(), &options).await {
                    Ok(response) => match response.into_body().collect_bytes(64).await {
                        Ok(body) => prop_assert_eq!(body.as_ref(), b"abcd"),
                        Err(e) => prop_assert!(expired(e.kind()), "{}", e),
                    },
                    Err(e) => prop_assert!(expired(e.kind()), "{}", e),
                }
                // Let the pool's idle task (spawned when a connection goes back to the pool)
                // compute its first deadline.
                for _ in 0..8 {
                    tokio::task::yield_now().await;
                }
                tokio::time::sleep(Duration::from_millis(1)).await;
                Ok(())
            })?;
            prop_assert_eq!(
                PANICS.load(Ordering::SeqCst),
                0,
                "a panic was reported above"
            );
            Ok(())
        })
        .unwrap();
    drop(server);
}

#[test]
fn setters_clamp_to_max_timeout() {
    let options = SendOptions::default().with_read_timeout(Duration::MAX);
    assert_eq!(options.read_timeout, Some(MAX_TIMEOUT));
    let transport = common::builder()
        .connect_timeout(Duration::MAX)
        .read_timeout(Duration::MAX)
        .pool_idle_timeout(Duration::MAX)
        .build()
        .unwrap();
    let debug = format!("{transport:?}");
    assert_eq!(
        debug.matches(&format!("Some({MAX_TIMEOUT:?})")).count(),
        3,
        "{debug}"
    );
}
