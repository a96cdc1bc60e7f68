//! Streams a 256 MiB response from a local server through `HyperTransport::send_streaming` and
//! shows that peak memory does not depend on the body size.
//!
//! Run with `cargo run -p idv-transport --example stream_256mib` (add `--release` for speed).
//!
//! It prints the peak resident set size (`VmHWM` from `/proc/self/status`, Linux) after a 16 MiB
//! stream (the baseline), after a 256 MiB stream (should be about the same), and, as a control
//! showing the measurement is sensitive, after *buffering* a 64 MiB body with `send` (grows by
//! at least 64 MiB).
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::convert::Infallible;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Instant;

use bytes::Bytes;
use http::{Request, Response};
use hyper::body::{Body, Frame};
use idv_transport::{HyperTransport, SendOptions, Transport};
use tokio::net::TcpListener;

const MIB: u64 = 1024 * 1024;
const CHUNK: usize = 64 * 1024;

/// A body of `remaining` bytes made of one shared 64 KiB chunk (no per-chunk allocation).
struct Repeat {
    chunk: Bytes,
    remaining: u64,
}

impl Body for Repeat {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        if self.remaining == 0 {
            return Poll::Ready(None);
        }
        let n = self.remaining.min(self.chunk.len() as u64);
        self.remaining -= n;
        let len = usize::try_from(n).unwrap_or(CHUNK);
        Poll::Ready(Some(Ok(Frame::data(self.chunk.slice(..len)))))
    }

    fn size_hint(&self) -> hyper::body::SizeHint {
        hyper::body::SizeHint::with_exact(self.remaining)
    }
}

/// Serves `GET /{mebibytes}` with that many MiB.
async fn start_server() -> std::net::SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let chunk = Bytes::from(vec![0xA5u8; CHUNK]);
    tokio::spawn(async move {
        loop {
            let Ok((tcp, _)) = listener.accept().await else {
                continue;
            };
            let chunk = chunk.clone();
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |req: Request<_>| {
                    let mib: u64 = req
                        .uri()
                        .path()
                        .trim_start_matches('/')
                        .parse()
                        .unwrap_or(0);
                    let body = Repeat {
                        chunk: chunk.clone(),
                        remaining: mib * MIB,
                    };
                    async move { Ok::<_, Infallible>(Response::new(body)) }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(hyper_util::rt::TokioIo::new(tcp), service)
                    .await;
            });
        }
    });
    addr
}

/// `(VmHWM, VmRSS)` in KiB, from `/proc/self/status`.
fn memory_kib() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("VmHWM:"), field("VmRSS:"))
}

async fn stream(transport: &HyperTransport, addr: std::net::SocketAddr, mib: u64) -> u64 {
    let request = Request::get(format!("http://{addr}/{mib}"))
        .body(Bytes::new())
        .expect("request");
    let options = SendOptions::default().with_max_body_bytes(u64::MAX);
    let started = Instant::now();
    let response = transport
        .send_streaming(request, &options)
        .await
        .expect("response");
    let mut body = response.into_body();
    let (mut received, mut chunks) = (0u64, 0u64);
    while let Some(chunk) = body.next_chunk().await {
        let chunk = chunk.expect("chunk");
        received += chunk.len() as u64;
        chunks += 1;
    }
    let secs = started.elapsed().as_secs_f64();
    let (hwm, rss) = memory_kib();
    println!(
        "streamed {received:>10} bytes ({mib:>3} MiB) in {chunks:>5} chunks, {:>7.1} MiB/s: \
         peak RSS {:>7.1} MiB, RSS {:>7.1} MiB",
        received as f64 / MIB as f64 / secs,
        hwm as f64 / 1024.0,
        rss as f64 / 1024.0,
    );
    assert_eq!(received, mib * MIB, "every byte arrives");
    hwm
}

#[tokio::main]
async fn main() {
    let addr = start_server().await;
    let transport = HyperTransport::builder().build().expect("transport");
    let (start_hwm, _) = memory_kib();
    println!("peak RSS at start: {:.1} MiB", start_hwm as f64 / 1024.0);

    let baseline = stream(&transport, addr, 16).await;
    let big = stream(&transport, addr, 256).await;
    println!(
        "peak RSS growth from the 16 MiB baseline to the 256 MiB stream: {:+.1} MiB \
         (ratio {:.3}; body 16x larger)",
        (big as f64 - baseline as f64) / 1024.0,
        big as f64 / baseline as f64,
    );

    // Control: buffering 64 MiB in memory does raise the peak.
    let request = Request::get(format!("http://{addr}/64"))
        .body(Bytes::new())
        .expect("request");
    let options = SendOptions::default().with_max_body_bytes(u64::MAX);
    let buffered = transport.send(request, &options).await.expect("buffered");
    let (control, _) = memory_kib();
    println!(
        "control: buffered {} bytes with send(): peak RSS {:.1} MiB ({:+.1} MiB)",
        buffered.body().len(),
        control as f64 / 1024.0,
        (control as f64 - big as f64) / 1024.0,
    );
}
