//! The `idv-sandbox` binary: prints the base URL first, rejects unsigned requests, serves
//! signed ones.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use clap::Parser;
use common::*;
use idv_sandbox::PRODUCT_PAGE_SESSION_ID;
use idv_sandbox::cli::Args;

/// Kills the child when the test ends, even on failure.
struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn the_binary_serves_session_files_to_signed_requests_only() {
    let dir = tempfile::tempdir().expect("tempdir");
    let key_file = dir.path().join("public.pem");
    std::fs::write(&key_file, &keys().public_key_pem).expect("write key");
    let stages: Vec<String> = ["1-created", "2-first-document", "3-second-document"]
        .iter()
        .map(|s| {
            format!(
                "{}/fixtures/sessions/product-page-{s}.json",
                env!("CARGO_MANIFEST_DIR")
            )
        })
        .collect();
    let mut command = Command::new(env!("CARGO_BIN_EXE_idv-sandbox"));
    command
        .arg("--app")
        .arg(format!("{}={}", keys().sdk_id, key_file.display()));
    for stage in &stages {
        command.arg("--session").arg(stage);
    }
    let mut child = Child(
        command
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn"),
    );
    let stdout = child.0.stdout.take().expect("stdout");
    let first_line = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).map(|_| line)
    })
    .await
    .expect("join")
    .expect("first line");
    let base_url = first_line.trim_end();
    assert!(
        base_url.starts_with("http://127.0.0.1:") && base_url.ends_with("/idverify/v1"),
        "{base_url}"
    );
    let authority = base_url
        .trim_start_matches("http://")
        .split('/')
        .next()
        .expect("authority");
    let addr: std::net::SocketAddr = authority.parse().expect("address");

    // Unsigned, like a plain curl.
    let stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let (mut sender, conn) =
        hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream))
            .await
            .expect("handshake");
    tokio::spawn(conn);
    let request = http::Request::get(format!("/idverify/v1/sessions/{PRODUCT_PAGE_SESSION_ID}"))
        .header("host", authority)
        .body(http_body_util::Full::new(bytes::Bytes::new()))
        .expect("request");
    let response = sender.send_request(request).await.expect("response");
    assert_eq!(response.status(), 401);

    // Signed: stages in the order given.
    for stage in &stages {
        let signed = sign(
            &signer(),
            "GET",
            &format!("/sessions/{PRODUCT_PAGE_SESSION_ID}"),
            b"",
        )
        .await;
        let request = http::Request::get(format!("/idverify/v1{}", signed.path_and_query()))
            .header("host", authority)
            .header("X-Yoti-Auth-Digest", signed.digest().expose())
            .body(http_body_util::Full::new(bytes::Bytes::new()))
            .expect("request");
        let response = sender.send_request(request).await.expect("response");
        assert_eq!(response.status(), 200);
        let body = http_body_util::BodyExt::collect(response.into_body())
            .await
            .expect("body")
            .to_bytes();
        assert_eq!(&body[..], &std::fs::read(stage).expect("stage")[..]);
    }
}

#[test]
fn arguments_parse_and_reject_malformed_apps() {
    let args = Args::try_parse_from([
        "idv-sandbox",
        "--addr",
        "127.0.0.1:8443",
        "--base-path",
        "/sandbox/idverify/v1",
        "--app",
        "a=one.pem",
        "--app",
        "b=two.pem",
        "--session",
        "s1.json",
        "--session",
        "s2.json",
        "--media-dir",
        "media",
        "--stage-interval",
        "10s",
        "--tls",
    ])
    .expect("valid arguments");
    assert_eq!(args.addr.port(), 8443);
    assert_eq!(args.app.len(), 2);
    assert_eq!(args.app[1].public_key, std::path::PathBuf::from("two.pem"));
    assert_eq!(args.session.len(), 2);
    assert_eq!(
        args.stage_interval,
        Some(std::time::Duration::from_secs(10))
    );
    assert!(args.tls);
    assert!(Args::try_parse_from(["idv-sandbox", "--app", "no-equals-sign"]).is_err());
    assert!(Args::try_parse_from(["idv-sandbox", "--app", "=key.pem"]).is_err());
    assert!(Args::try_parse_from(["idv-sandbox", "--addr", "not-an-address"]).is_err());
    let missing =
        Args::try_parse_from(["idv-sandbox", "--app", "a=/nonexistent/key.pem"]).expect("parses");
    assert!(matches!(
        missing.builder(),
        Err(idv_sandbox::SandboxError::Io { .. })
    ));
}

#[tokio::test]
async fn run_until_prints_the_base_url_first() {
    let args = Args::try_parse_from(["idv-sandbox", "--product-page", "--tls"]).expect("args");
    let mut out = Vec::new();
    let mut notes = Vec::new();
    idv_sandbox::cli::run_until(&args, &mut out, &mut notes, async {})
        .await
        .expect("runs");
    let out = String::from_utf8(out).expect("utf8");
    assert!(
        out.starts_with("https://127.0.0.1:") && out.ends_with("/idverify/v1\n"),
        "{out}"
    );
    let notes = String::from_utf8(notes).expect("utf8");
    assert!(notes.contains("no --app"));
    assert!(notes.contains(&format!("session {PRODUCT_PAGE_SESSION_ID}")));
    assert!(notes.contains("-----BEGIN CERTIFICATE-----"));
}
