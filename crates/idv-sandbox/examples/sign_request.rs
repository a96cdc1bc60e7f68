//! Signs one request with `idv-sign` and prints, on two lines, the base-relative target to
//! send (path and query, with `sdkId`, `nonce` and `timestamp`) and the `X-Yoti-Auth-Digest`
//! value. For trying the sandbox with `curl`.
//!
//! `cargo run -p idv-sandbox --example sign_request -- KEY.pem SDK_ID METHOD PATH [BODY_FILE]`
//!
//! With `BODY_FILE` (e.g. a session specification for `POST /sessions`), its bytes are signed
//! too: send exactly those bytes (`curl --data-binary @BODY_FILE`).

use std::sync::Arc;

use idv_sign::{PrivateKey, RequestSigner, RsaSigner, UnsignedRequest};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (key_file, sdk_id, method, path, body_file) = match args.as_slice() {
        [k, s, m, p] => (k, s, m, p, None),
        [k, s, m, p, b] => (k, s, m, p, Some(b)),
        _ => return Err("usage: sign_request KEY.pem SDK_ID METHOD PATH [BODY_FILE]".into()),
    };
    let body = match body_file {
        Some(file) => std::fs::read(file)?,
        None => Vec::new(),
    };
    let key = PrivateKey::from_pem_file(key_file)?;
    let signer = RequestSigner::new(sdk_id.clone(), Arc::new(RsaSigner::new(&key)));
    let signed = signer
        .sign(&UnsignedRequest::new(method.clone(), path.clone()).body(body.as_slice()))
        .await?;
    #[allow(clippy::print_stdout)]
    {
        println!("{}", signed.path_and_query());
        println!("{}", signed.digest().expose());
    }
    Ok(())
}
