//! An alternate transport, for real: `examples/reqwest_transport.rs` (included here as a module,
//! so the example is what is tested) implements `idv_transport::Transport` with reqwest. It is
//! tested twice: `IdvClient` runs end to end through it against the sandbox (real signatures,
//! injected faults), and its contract is checked directly against small raw servers on
//! loopback (body limit, idle timeouts, error kinds, redirects, plain HTTP to loopback only).

#[allow(dead_code)] // the example's `main` is not called here
#[path = "../examples/reqwest_transport.rs"]
mod reqwest_transport;

use std::collections::HashSet;
use std::io::{Read as _, Write as _};
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use bytes::Bytes;
use http::{Request, StatusCode};
use idv_client::IdvClient;
use idv_sandbox::{
    AppKeys, Fault, FaultKind, PRODUCT_PAGE_SESSION_ID, Route, Sandbox, SandboxHandle,
    generate_app_keys,
};
use idv_transport::{SendOptions, Transport, TransportError, TransportErrorKind};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};

use reqwest_transport::ReqwestTransport;

/// One key pair for the whole test binary (generating RSA keys is slow in debug builds).
fn keys() -> &'static AppKeys {
    static KEYS: OnceLock<AppKeys> = OnceLock::new();
    KEYS.get_or_init(|| generate_app_keys().expect("keys"))
}

fn transport() -> ReqwestTransport {
    ReqwestTransport::new(Duration::from_secs(5), Duration::from_secs(10)).expect("transport")
}

fn client_over_reqwest(sandbox: &SandboxHandle) -> IdvClient {
    IdvClient::builder()
        .sdk_id(&keys().sdk_id)
        .key_pem(keys().private_key_pem.as_bytes())
        .base_url(sandbox.base_url())
        .transport(Arc::new(transport()))
        .build()
        .expect("client")
}

fn get(url: &str) -> Request<Bytes> {
    Request::get(url).body(Bytes::new()).expect("request")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idv_client_runs_end_to_end_over_reqwest() {
    let sandbox = Sandbox::product_page_demo()
        .app_keys(keys())
        .start()
        .await
        .expect("sandbox");
    let client = client_over_reqwest(&sandbox);

    // The product page's five stages, read through reqwest.
    let want = ["ONGOING", "ONGOING", "ONGOING", "ONGOING", "COMPLETED"];
    let mut last = None;
    for (i, state) in want.iter().enumerate() {
        let session = client.get_session(PRODUCT_PAGE_SESSION_ID).await.unwrap();
        assert_eq!(
            session.state().map(|s| s.as_str()),
            Some(*state),
            "stage {}",
            i + 1
        );
        assert_eq!(session.session_id.as_deref(), Some(PRODUCT_PAGE_SESSION_ID));
        last = Some(session);
    }
    let session = last.unwrap();
    assert!(session.is_finished());
    assert!(!session.checks.is_empty(), "a real, complete session");

    // Its media, through the streaming side of the adapter.
    let refs = session.media_refs();
    assert!(!refs.is_empty());
    let mut bytes = 0;
    for media in &refs {
        let content = client
            .get_media(PRODUCT_PAGE_SESSION_ID, media.media_id)
            .await
            .unwrap()
            .expect("content");
        let content_type = content.content_type().expect("content type");
        assert!(
            content_type == "image/png" || content_type == "application/json",
            "{content_type}"
        );
        bytes += content.len();
    }
    assert!(bytes > 0);

    // The sandbox saw signed requests: every one verified, each with its own nonce and our
    // SDK id.
    let log = sandbox.request_log();
    let sessions = log
        .iter()
        .filter(|e| e.route == Some(Route::GetSession))
        .count();
    let media = log
        .iter()
        .filter(|e| e.route == Some(Route::GetMedia))
        .count();
    assert_eq!(sessions, 5, "{log:?}");
    assert_eq!(media, refs.len(), "{log:?}");
    assert!(log.iter().all(|e| e.signature_verified), "{log:?}");
    assert!(
        log.iter()
            .all(|e| e.sdk_id.as_deref() == Some(keys().sdk_id.as_str()))
    );
    let nonces: HashSet<_> = log.iter().map(|e| e.nonce.clone()).collect();
    assert_eq!(nonces.len(), log.len(), "a fresh nonce per request");
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transient_failures_are_mapped_so_the_client_retries_them() {
    let sandbox = Sandbox::product_page_demo()
        .app_keys(keys())
        .start()
        .await
        .expect("sandbox");
    // A body cut short (Body) and a connection closed before the response (Io): both
    // retryable for a GET, so the client's next attempts get the session.
    sandbox.add_faults(
        Route::GetSession,
        [Fault::TruncateBody, Fault::CloseConnection],
    );
    let client = client_over_reqwest(&sandbox);
    let session = client.get_session(PRODUCT_PAGE_SESSION_ID).await.unwrap();
    assert_eq!(session.state().map(|s| s.as_str()), Some("ONGOING"));
    let faults: Vec<Option<FaultKind>> = sandbox
        .request_log()
        .into_iter()
        .filter(|e| e.route == Some(Route::GetSession))
        .map(|e| {
            assert!(e.signature_verified);
            e.fault
        })
        .collect();
    assert_eq!(
        faults,
        [
            Some(FaultKind::TruncateBody),
            Some(FaultKind::CloseConnection),
            None
        ]
    );
    sandbox.shutdown().await;
}

/// A raw HTTP/1.1 server on 127.0.0.1, one thread per connection, answering by path.
struct RawServer {
    addr: SocketAddr,
    connections: Arc<AtomicUsize>,
}

impl RawServer {
    fn start(respond: fn(&str, &mut TcpStream)) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let addr = listener.local_addr().expect("addr");
        let connections = Arc::new(AtomicUsize::new(0));
        let counter = connections.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                counter.fetch_add(1, Ordering::SeqCst);
                std::thread::spawn(move || {
                    let Some(path) = read_request_path(&mut stream) else {
                        return;
                    };
                    respond(&path, &mut stream);
                });
            }
        });
        Self { addr, connections }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

/// Read a request head; the path of its request line.
fn read_request_path(stream: &mut TcpStream) -> Option<String> {
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return None,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let line = String::from_utf8_lossy(&head);
    let path = line.split_whitespace().nth(1)?;
    Some(path.split('?').next().unwrap_or(path).to_owned())
}

/// Long enough to outlast any test; the thread ends with the test binary.
const FOREVER: Duration = Duration::from_secs(120);

fn respond(path: &str, s: &mut TcpStream) {
    let _ = match path {
        "/ok" => {
            s.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok")
        }
        "/declared" => {
            let _ = s.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n");
            s.write_all(&[b'a'; 100])
        }
        "/chunked" => s.write_all(
            b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n\
              8\r\naaaaaaaa\r\n8\r\nbbbbbbbb\r\n8\r\ncccccccc\r\n0\r\n\r\n",
        ),
        "/stall" => {
            let _ = s.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n12345");
            let _ = s.flush();
            std::thread::sleep(FOREVER);
            Ok(())
        }
        "/hang" => {
            std::thread::sleep(FOREVER);
            Ok(())
        }
        "/trickle" => {
            // Slow but steady: 12 bytes over 1.2 s, under a 1 s idle timeout.
            let _ =
                s.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 12\r\nconnection: close\r\n\r\n");
            for _ in 0..12 {
                std::thread::sleep(Duration::from_millis(100));
                let _ = s.write_all(b"x");
                let _ = s.flush();
            }
            Ok(())
        }
        "/truncated" => s.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\nonly this"),
        "/close" => Ok(()),
        _ => s.write_all(b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n"),
    };
    let _ = s.flush();
}

fn kind<T: std::fmt::Debug>(result: Result<T, TransportError>) -> TransportErrorKind {
    result.expect_err("an error").kind()
}

#[tokio::test]
async fn the_body_limit_holds_up_front_and_while_reading() {
    let server = RawServer::start(respond);
    let t = transport();
    let ten = SendOptions::default().with_max_body_bytes(10);

    // Declared too large: refused from Content-Length, buffered or streamed.
    let url = server.url("/declared");
    assert_eq!(
        kind(t.send(get(&url), &ten).await),
        TransportErrorKind::BodyTooLarge
    );
    assert_eq!(
        kind(t.send_streaming(get(&url), &ten).await),
        TransportErrorKind::BodyTooLarge
    );

    // No length: counted while reading; a stream never yields more than the limit.
    let url = server.url("/chunked");
    assert_eq!(
        kind(t.send(get(&url), &ten).await),
        TransportErrorKind::BodyTooLarge
    );
    let mut body = t.send_streaming(get(&url), &ten).await.unwrap().into_body();
    let mut got = 0;
    let err = loop {
        match body.next_chunk().await {
            Some(Ok(chunk)) => got += chunk.len(),
            Some(Err(e)) => break e,
            None => panic!("the stream must fail over the limit"),
        }
    };
    assert_eq!(err.kind(), TransportErrorKind::BodyTooLarge, "{err}");
    assert!(got <= 10, "{got}");
    assert!(body.next_chunk().await.is_none(), "ends after the error");

    // Under a limit that fits, the same bodies come back whole.
    let fits = SendOptions::default().with_max_body_bytes(100);
    let response = t.send(get(&url), &fits).await.unwrap();
    assert_eq!(response.body().as_ref(), b"aaaaaaaabbbbbbbbcccccccc");
    let streamed = t.send_streaming(get(&server.url("/declared")), &fits).await;
    let body = streamed.unwrap().into_body();
    assert_eq!(body.size_hint(), Some(100));
    assert_eq!(body.collect_bytes(100).await.unwrap().len(), 100);
}

#[tokio::test]
async fn silence_is_a_timeout_and_steady_progress_is_not() {
    let server = RawServer::start(respond);
    let t = ReqwestTransport::new(Duration::from_millis(500), Duration::from_secs(10)).unwrap();
    let idle = SendOptions::default().with_read_timeout(Duration::from_millis(300));

    // No head at all: the connect allowance plus the idle timeout.
    let err = t.send(get(&server.url("/hang")), &idle).await.unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Timeout, "{err}");
    assert!(err.is_retryable());

    // A head, a few bytes, then silence.
    let err = t.send(get(&server.url("/stall")), &idle).await.unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Timeout, "{err}");
    let mut body = t
        .send_streaming(get(&server.url("/stall")), &idle)
        .await
        .unwrap()
        .into_body();
    assert_eq!(body.next_chunk().await.unwrap().unwrap().as_ref(), b"12345");
    let err = body.next_chunk().await.unwrap().unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Timeout, "{err}");

    // Longer than the idle timeout in total, but never silent that long: no whole-exchange
    // deadline in a transport.
    let steady = SendOptions::default().with_read_timeout(Duration::from_secs(1));
    let response = t.send(get(&server.url("/trickle")), &steady).await.unwrap();
    assert_eq!(response.body().as_ref(), b"xxxxxxxxxxxx");
}

#[tokio::test]
async fn failures_map_to_honest_kinds() {
    let server = RawServer::start(respond);
    let t = transport();
    let options = SendOptions::default();

    // Nothing listening: a connect error (the request was never sent).
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let err = t
        .send(
            get(&format!("http://127.0.0.1:{port}/x?nonce=s3cret")),
            &options,
        )
        .await
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Connect, "{err}");
    assert!(err.is_retryable());
    assert!(
        std::error::Error::source(&err).is_some(),
        "the cause is kept"
    );
    assert!(!err.to_string().contains("s3cret"), "{err}");

    // Closed after reading the request: the server may have seen it.
    let err = t
        .send(get(&server.url("/close")), &options)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Io, "{err}");

    // A body shorter than its Content-Length.
    let err = t
        .send(get(&server.url("/truncated")), &options)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Body, "{err}");
    let body = t
        .send_streaming(get(&server.url("/truncated")), &options)
        .await
        .unwrap()
        .into_body();
    let err = body.collect_bytes(1024).await.unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Body, "{err}");

    // And the transport still works.
    let response = t.send(get(&server.url("/ok")), &options).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.body().as_ref(), b"ok");
}

#[tokio::test]
async fn redirects_are_returned_not_followed() {
    let target = RawServer::start(respond);
    let location = target.url("/ok");
    let redirecting = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                if read_request_path(&mut stream).is_some() {
                    let answer = format!(
                        "HTTP/1.1 307 Temporary Redirect\r\nlocation: {location}\r\n\
                         content-length: 0\r\n\r\n"
                    );
                    let _ = stream.write_all(answer.as_bytes());
                }
            }
        });
        format!("http://{addr}/sessions")
    };
    let response = transport()
        .send(get(&redirecting), &SendOptions::default())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::TEMPORARY_REDIRECT);
    assert_eq!(
        target.connections(),
        0,
        "the redirect target was never contacted"
    );
}

/// Answers every name with fixed addresses, counting look-ups.
#[derive(Debug)]
struct FixedResolver {
    answer: Vec<IpAddr>,
    lookups: AtomicUsize,
}

impl Resolve for FixedResolver {
    fn resolve(&self, _name: Name) -> Resolving {
        self.lookups.fetch_add(1, Ordering::SeqCst);
        let addrs: Vec<SocketAddr> = self
            .answer
            .iter()
            .map(|ip| SocketAddr::new(*ip, 0))
            .collect();
        Box::pin(async move { Ok(Box::new(addrs.into_iter()) as Addrs) })
    }
}

/// TEST-NET-1 (RFC 5737): never routed, and never connected to here.
const ELSEWHERE: IpAddr = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1));

#[tokio::test]
async fn plain_http_reaches_loopback_only() {
    let server = RawServer::start(respond);
    let port = server.addr.port();
    let options = SendOptions::default();
    let t = transport();

    // Refused before anything is looked up or connected.
    for url in [
        "http://api.yoti.com/idverify/v1/sessions".to_owned(),
        "http://192.0.2.1/x".to_owned(),
        format!("http://localhost.:{port}/ok"),
    ] {
        let err = t.send(get(&url), &options).await.unwrap_err();
        assert_eq!(
            err.kind(),
            TransportErrorKind::InsecureScheme,
            "{url}: {err}"
        );
    }
    let err = t
        .send(get("https://api.yoti.com/idverify/v1"), &options)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::InvalidRequest, "{err}");

    // `localhost` resolved elsewhere (alone, or beside loopback) is refused before connecting.
    for answer in [
        vec![ELSEWHERE],
        vec![IpAddr::V4(Ipv4Addr::LOCALHOST), ELSEWHERE],
    ] {
        let resolver = Arc::new(FixedResolver {
            answer,
            lookups: AtomicUsize::new(0),
        });
        let hostile = ReqwestTransport::with_resolver(
            Duration::from_secs(5),
            Duration::from_secs(10),
            resolver.clone(),
        )
        .unwrap();
        let err = hostile
            .send(get(&format!("http://localhost:{port}/ok")), &options)
            .await
            .unwrap_err();
        assert_eq!(err.kind(), TransportErrorKind::InsecureScheme, "{err}");
        assert!(err.to_string().contains("192.0.2.1"), "{err}");
        assert_eq!(resolver.lookups.load(Ordering::SeqCst), 1);
    }
    assert_eq!(server.connections(), 0, "nothing was connected");

    // `localhost` resolved to loopback connects.
    let resolver = Arc::new(FixedResolver {
        answer: vec![IpAddr::V4(Ipv4Addr::LOCALHOST)],
        lookups: AtomicUsize::new(0),
    });
    let honest =
        ReqwestTransport::with_resolver(Duration::from_secs(5), Duration::from_secs(10), resolver)
            .unwrap();
    let response = honest
        .send(get(&format!("http://localhost:{port}/ok")), &options)
        .await
        .unwrap();
    assert_eq!(response.body().as_ref(), b"ok");
    assert_eq!(server.connections(), 1);
}
