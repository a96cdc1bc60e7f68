//! Signs one request by hand, the way to call Yoti's IDV API from an HTTP stack of your own,
//! then checks the signature as the API does.
//!
//! ```text
//! cargo run -p idv-sign --example sign_by_hand -- KEY.pem SDK_ID [METHOD PATH [BODY_FILE]]
//! ```
//!
//! `METHOD PATH` default to `GET /sessions/<an example id>`. It prints the target to send
//! (append it to the API's base URL exactly as printed: it is the string that was signed) and
//! the three headers to set, then verifies the signature with the key's public half. The
//! `X-Yoti-Auth-Digest` value is printed because sending it is the point; it is valid for this
//! one request only (fresh nonce and timestamp). With `BODY_FILE`, its bytes are signed too:
//! send exactly those bytes, with the `Content-Type` the endpoint takes (not signed).
//!
//! `fixtures/signing/TEST-ONLY-key.pkcs8.pem` is a public test key to try it with.

// A command-line example: printing is its job.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;
use std::sync::Arc;

use idv_sign::{PrivateKey, RequestSigner, RsaSigner, UnsignedRequest, verify_request};

fn main() -> ExitCode {
    match run(&std::env::args().skip(1).collect::<Vec<_>>()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("sign_by_hand: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The request signed when none is given.
const EXAMPLE_PATH: &str = "/sessions/1c3cae90-1769-43a9-8554-d85f2e7cdb0f";

const USAGE: &str = "usage: KEY.pem SDK_ID [METHOD PATH [BODY_FILE]]";

fn run(args: &[String]) -> Result<(), Box<dyn std::error::Error>> {
    let [key_path, sdk_id, rest @ ..] = args else {
        return Err(USAGE.into());
    };
    let (method, path, body_file) = match rest {
        [] => ("GET", EXAMPLE_PATH, None),
        [method, path] => (method.as_str(), path.as_str(), None),
        [method, path, body_file] => (method.as_str(), path.as_str(), Some(body_file)),
        _ => return Err(USAGE.into()),
    };
    let body = match body_file {
        Some(file) => std::fs::read(file)?,
        None => Vec::new(),
    };

    // The key is parsed once; a signer is cheap to clone and shared by every request.
    let key = PrivateKey::from_pem_file(key_path)?;
    let signer = RequestSigner::new(sdk_id.as_str(), Arc::new(RsaSigner::new(&key)));

    // Sign: the signer appends `sdkId`, a fresh `nonce` and the `timestamp`, builds
    // `METHOD&PATH?QUERY[&BASE64(BODY)]` and signs it (RSASSA-PKCS1-v1_5 / SHA-256).
    let request = UnsignedRequest::new(method, path).body(&body);
    let runtime = tokio::runtime::Builder::new_current_thread().build()?;
    let signed = runtime.block_on(signer.sign(&request))?;

    println!("{} {}", signed.method(), signed.path_and_query());
    for (name, value) in signed.headers() {
        println!("{name}: {value}");
    }
    if signed.body_signed() {
        println!("(body: the {} bytes of the file, as they are)", body.len());
    }

    // What the API does on receipt: rebuild the message from the received target and body,
    // and check the digest with the application's public key.
    let params = verify_request(
        &key.public_key(),
        signed.method(),
        signed.path_and_query(),
        &body,
        signed.digest().expose(),
    )?;
    println!(
        "verified: sdkId {}, nonce {}, timestamp {}",
        params.sdk_id(),
        params.nonce(),
        params.timestamp()
    );
    Ok(())
}
