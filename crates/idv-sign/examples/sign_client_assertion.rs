//! Signs a client assertion (the PS384 JWT of IDV-API.md §3.10) and prints it: for trying a token
//! endpoint by hand, and how `fixtures/signing/jwt-ps384.json` was made.
//!
//! ```sh
//! cargo run -p idv-sign --example sign_client_assertion -- KEY.pem SDK_ID TOKEN_URL [rsa|aws-lc] [IAT JTI]
//! ```
//!
//! `aws-lc` needs `--features aws-lc`. `IAT` (seconds) and `JTI` fix the claims for reproducible
//! test vectors; without them the time is now and the `jti` a fresh UUID v4. The JWT is a
//! credential for 300 seconds: print it only where that is fine.

// A command-line example: printing is its job.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;
use std::sync::Arc;

use idv_sign::{
    ClientAssertion, Clock, FixedClock, FixedNonce, PrivateKey, RsaSigner, Signer, SystemClock,
};

fn main() -> ExitCode {
    match run(&std::env::args().skip(1).collect::<Vec<_>>()) {
        Ok(jwt) => {
            println!("{jwt}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("sign_client_assertion: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &[String]) -> Result<String, Box<dyn std::error::Error>> {
    let [key_path, sdk_id, token_url, rest @ ..] = args else {
        return Err("usage: KEY.pem SDK_ID TOKEN_URL [rsa|aws-lc] [IAT JTI]".into());
    };
    let key = PrivateKey::from_pem_file(key_path)?;
    let signer: Box<dyn Signer> = match rest.first().map(String::as_str) {
        None | Some("rsa") => Box::new(RsaSigner::new(&key)),
        #[cfg(feature = "aws-lc")]
        Some("aws-lc") => Box::new(idv_sign::AwsLcSigner::new(&key)?),
        Some(other) => return Err(format!("unknown or disabled backend `{other}`").into()),
    };
    let mut assertion = ClientAssertion::new(sdk_id.as_str(), token_url.as_str());
    let clock: Box<dyn Clock> = match rest.get(1..) {
        Some([iat, jti]) => {
            let iat_ms = iat
                .parse::<u64>()?
                .checked_mul(1000)
                .ok_or("IAT too large")?;
            assertion = assertion.with_jti_source(Arc::new(FixedNonce(jti.clone())));
            Box::new(FixedClock(iat_ms))
        }
        Some([]) | None => Box::new(SystemClock),
        Some(_) => return Err("give both IAT and JTI, or neither".into()),
    };
    let runtime = tokio::runtime::Builder::new_current_thread().build()?;
    let jwt = runtime.block_on(assertion.sign(signer.as_ref(), clock.as_ref()))?;
    Ok(jwt.expose().to_owned())
}
