//! Prints the process's resident memory (Linux `VmRSS`) before and after a sandbox has served
//! many signed requests with 60 KB paths, each with a fresh nonce: the load that once grew
//! the sandbox without bound (its request log and nonce set kept every path and nonce whole).
//!
//! `cargo run --release -p idv-sandbox --example memory_under_load -- [REQUESTS]` (default 3000)
//!
//! The client runs in the same process, one connection per request, so the figures include
//! its (freed) allocations; compare the growth, not the absolute numbers.

use std::sync::Arc;

use bytes::Bytes;
use http_body_util::{BodyExt as _, Full};
use hyper_util::rt::TokioIo;
use idv_sandbox::{Sandbox, generate_app_keys};
use idv_sign::{PrivateKey, RequestSigner, RsaSigner, UnsignedRequest};
use tokio::net::TcpStream;

/// Resident memory in MB, from `/proc/self/status` (`None` elsewhere).
fn rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn show(rss: Option<f64>) -> String {
    rss.map_or_else(|| "n/a".to_owned(), |mb| format!("{mb:.1} MB"))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let requests: usize = match std::env::args().nth(1) {
        Some(n) => n.parse()?,
        None => 3000,
    };
    let keys = generate_app_keys()?;
    let sandbox = Sandbox::builder().app_keys(&keys).start().await?;
    let base_path = sandbox
        .base_url()
        .split_once("://")
        .and_then(|(_, rest)| rest.find('/').map(|i| rest[i..].to_owned()))
        .unwrap_or_default();
    let key = PrivateKey::from_pem(keys.private_key_pem.as_bytes())?;
    let signer = RequestSigner::new(keys.sdk_id.clone(), Arc::new(RsaSigner::new(&key)));
    let before = rss_mb();

    for i in 0..requests {
        let path = format!("/sessions/{i}-{}", "x".repeat(60_000));
        let signed = signer.sign(&UnsignedRequest::get(path)).await?;
        let stream = TcpStream::connect(sandbox.local_addr()).await?;
        let (mut sender, connection) =
            hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
        tokio::spawn(connection);
        let mut request = http::Request::get(format!("{base_path}{}", signed.path_and_query()))
            .header(http::header::HOST, sandbox.local_addr().to_string());
        for (name, value) in signed.headers() {
            request = request.header(name, value);
        }
        let response = sender
            .send_request(request.body(Full::new(Bytes::new()))?)
            .await?;
        let status = response.status();
        response.into_body().collect().await?;
        if status != http::StatusCode::NOT_FOUND {
            return Err(format!("request {i}: unexpected status {status}").into());
        }
    }

    let after = rss_mb();
    let growth = match (before, after) {
        (Some(b), Some(a)) => format!("{:+.1} MB", a - b),
        _ => "n/a".to_owned(),
    };
    #[allow(clippy::print_stdout)]
    {
        println!("signed requests with 60 KB paths: {requests}");
        println!(
            "request log entries kept:         {}",
            sandbox.request_log().len()
        );
        println!(
            "nonces remembered:                {}",
            sandbox.remembered_nonces()
        );
        println!("resident memory before:           {}", show(before));
        println!("resident memory after:            {}", show(after));
        println!("growth:                           {growth}");
    }
    sandbox.shutdown().await;
    Ok(())
}
