//! The per-request span carries method, host, path, status, bytes, duration and connection reuse,
//! and never the query string, header values or the body.
#![cfg(feature = "hyper")]

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http::{Request, Response};
use idv_transport::{SendOptions, Transport};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::fmt::format::FmtSpan;

use common::{full, serve};

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Capture {
    type Writer = Capture;
    fn make_writer(&'a self) -> Capture {
        self.clone()
    }
}

#[tokio::test]
async fn spans_record_the_exchange_without_secrets() {
    let capture = Capture::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(capture.clone())
        .with_max_level(tracing::Level::DEBUG)
        .with_span_events(FmtSpan::CLOSE)
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = serve(None, |_req| async move {
        Response::new(full("SECRET-BODY-personal-data"))
    })
    .await;
    let transport = common::builder().build().unwrap();
    let request = || {
        Request::get(server.http_url("/sessions/abc?sdkId=SECRET-SDK&nonce=SECRET-NONCE"))
            .header("x-yoti-auth-digest", "SECRET-DIGEST")
            .body(Bytes::new())
            .unwrap()
    };
    transport
        .send(request(), &SendOptions::default())
        .await
        .unwrap();
    let streamed = transport
        .send_streaming(request(), &SendOptions::default())
        .await
        .unwrap();
    let body = streamed.into_body().collect_bytes(1024).await.unwrap();
    assert_eq!(body.len(), 25);

    let logs = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    assert!(
        !logs.contains("SECRET"),
        "a secret leaked into the logs:\n{logs}"
    );
    let finished: Vec<&str> = logs
        .lines()
        .filter(|l| l.contains("idv_transport.request") && l.contains("request finished"))
        .collect();
    assert_eq!(finished.len(), 2, "one event per request:\n{logs}");
    for line in &finished {
        for field in [
            "method=GET",
            "path=/sessions/abc",
            "status=200",
            "bytes=25",
            "duration_ms=",
        ] {
            assert!(line.contains(field), "missing {field} in {line}");
        }
        assert!(
            line.contains(&format!("host=127.0.0.1:{}", server.addr.port())),
            "{line}"
        );
    }
    assert!(
        finished[0].contains("connection=\"new\"") || finished[0].contains("connection=new"),
        "{}",
        finished[0]
    );
    assert!(finished[1].contains("reused"), "{}", finished[1]);
    assert_eq!(
        logs.lines().filter(|l| l.contains("close")).count(),
        2,
        "two spans closed:\n{logs}"
    );
}
