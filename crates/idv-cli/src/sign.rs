//! `idv sign` and `idv verify`: the canonical message and digest, by hand.

use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use idv_sign::{
    PrivateKey, PublicKey, RsaSigner, VerifyError, canonical_message, sign_message, verify_request,
};

use crate::cli::{GlobalArgs, RequestArgs, SignArgs, VerifyArgs};
use crate::config;
use crate::error::{CliError, CliResult};
use crate::term::outln;

fn read_body(path: Option<&Path>) -> CliResult<Vec<u8>> {
    match path {
        None => Ok(Vec::new()),
        Some(p) => std::fs::read(p).map_err(|e| {
            CliError::Config(format!("cannot read the body file {}: {e}", p.display()))
        }),
    }
}

fn check_method(method: &str) -> CliResult<()> {
    if method.is_empty() || !method.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Err(CliError::Config(format!(
            "the method must be letters only, like GET or POST (got {method:?})"
        )));
    }
    Ok(())
}

fn check_path(path: &str) -> CliResult<()> {
    if !path.starts_with('/') {
        return Err(CliError::Config(format!(
            "the path must start with `/` and be relative to the API base, \
             e.g. /sessions/ID?sdkId=… (got {path:?})"
        )));
    }
    Ok(())
}

/// Checks the method and path, and reads the body file (empty without one).
fn request_body(request: &RequestArgs) -> CliResult<Vec<u8>> {
    check_method(&request.method)?;
    check_path(&request.path)?;
    read_body(request.body_file.as_deref())
}

/// Load the private key named by `--key-file` / `YOTI_KEY_FILE_PATH`, else given in
/// `YOTI_KEY_PEM` (exit 2 when missing or bad).
pub fn load_private_key(global: &GlobalArgs) -> CliResult<PrivateKey> {
    match config::key_source(global, |v| std::env::var_os(v))? {
        config::KeySource::File(path) => PrivateKey::from_pem_file(&path).map_err(|e| {
            CliError::Config(format!("cannot use the key file {}: {e}", path.display()))
        }),
        config::KeySource::Pem(pem) => PrivateKey::from_pem(pem.as_bytes()).map_err(|e| {
            CliError::Config(format!(
                "cannot use the key in {}: {e}",
                idv_client::env::KEY_PEM
            ))
        }),
    }
}

/// The message and digest for a request, exactly as `idv sign` prints them.
pub async fn sign_request(
    key: &PrivateKey,
    method: &str,
    path: &str,
    body: &[u8],
) -> CliResult<(String, String)> {
    let message = canonical_message(method, path, body);
    let signer = RsaSigner::new(key);
    let digest = sign_message(&signer, message.as_bytes())
        .await
        .map_err(|e| CliError::Failure(format!("signing failed: {e}")))?;
    Ok((message, digest.expose().to_owned()))
}

/// `idv sign`.
pub async fn sign(global: &GlobalArgs, args: &SignArgs) -> CliResult<()> {
    let RequestArgs { method, path, .. } = &args.request;
    let body = request_body(&args.request)?;
    let key = load_private_key(global)?;
    let (message, digest) = sign_request(&key, method, path, &body).await?;
    if args.json {
        let json = serde_json::json!({ "message": message, "digest": digest });
        outln(&json.to_string());
    } else {
        outln(&format!("message: {message}"));
        outln(&format!("digest:  {digest}"));
    }
    Ok(())
}

/// Extra hints for a digest that does not verify.
fn mismatch_hints(method: &str, path: &str, body: &[u8]) -> Vec<String> {
    let mut hints = Vec::new();
    if let Some(rest) = ["/idverify/v1/", "/sandbox/idverify/v1/"]
        .iter()
        .find_map(|base| path.strip_prefix(base.trim_end_matches('/')))
    {
        hints.push(format!(
            "the path includes the API base path, which is not signed: try --path '{rest}'"
        ));
    }
    if path.contains("//") {
        hints.push("the path contains `//` (a base URL with a trailing slash?)".to_owned());
    }
    let has_body = ["POST", "PUT", "PATCH"]
        .iter()
        .any(|m| method.eq_ignore_ascii_case(m));
    if body.is_empty() && has_body {
        hints.push(format!(
            "no body was given: a {method} signs BASE64(BODY) too (--body-file)"
        ));
    }
    hints
}

/// `idv verify`: exit 0 when the digest verifies, 1 with the reason when it does not.
pub fn verify(args: &VerifyArgs) -> CliResult<()> {
    let RequestArgs { method, path, .. } = &args.request;
    let body = request_body(&args.request)?;
    let pem = std::fs::read(&args.public_key).map_err(|e| {
        CliError::Config(format!(
            "cannot read the public key {}: {e}",
            args.public_key.display()
        ))
    })?;
    let key = PublicKey::from_pem(&pem).map_err(|e| {
        CliError::Config(format!(
            "cannot use the public key {}: {e}",
            args.public_key.display()
        ))
    })?;
    let message = canonical_message(method, path, &body);
    outln(&format!("message: {message}"));
    match verify_request(&key, method, path, &body, args.digest.trim()) {
        Ok(params) => {
            outln(&format!(
                "verified: sdkId {}, nonce {}, timestamp {}{}",
                params.sdk_id(),
                params.nonce(),
                params.timestamp(),
                timestamp_age(params.timestamp_millis()),
            ));
            Ok(())
        }
        Err(e) => {
            let mut why = format!("the digest does not verify: {e}");
            if matches!(e, VerifyError::SignatureMismatch) {
                for hint in mismatch_hints(method, path, &body) {
                    why.push_str("; ");
                    why.push_str(&hint);
                }
            }
            Err(CliError::Failure(why))
        }
    }
}

/// ` (3s ago)`, ` (2 days ago)`… for an epoch-milliseconds timestamp, otherwise nothing.
fn timestamp_age(millis: Option<u64>) -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0);
    match millis.map(u128::from) {
        // Plausible epoch milliseconds: after 2001 and before 2286.
        Some(ts) if (1_000_000_000_000..10_000_000_000_000).contains(&ts) => {
            let (delta, when) = if ts <= now {
                (now - ts, "ago")
            } else {
                (ts - now, "in the future")
            };
            format!(" ({} {when})", coarse_duration((delta / 1000) as u64))
        }
        _ => String::new(),
    }
}

/// A duration in its largest unit: `42s`, `5 min`, `3 h`, `12 days`.
fn coarse_duration(secs: u64) -> String {
    match secs {
        0..60 => format!("{secs}s"),
        60..3600 => format!("{} min", secs / 60),
        3600..86_400 => format!("{} h", secs / 3600),
        _ => {
            let days = secs / 86_400;
            format!("{days} day{}", if days == 1 { "" } else { "s" })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_for_common_mistakes() {
        let hints = mismatch_hints("GET", "/idverify/v1/sessions/x?sdkId=a", b"");
        assert_eq!(hints.len(), 1, "{hints:?}");
        assert!(
            hints[0].contains("--path '/sessions/x?sdkId=a'"),
            "{hints:?}"
        );
        assert!(mismatch_hints("GET", "//sessions", b"{}")[0].contains("`//`"));
        assert!(mismatch_hints("POST", "/sessions", b"{}").is_empty());
        let hints = mismatch_hints("POST", "/sessions", b"");
        assert!(hints[0].contains("a POST signs BASE64(BODY)"), "{hints:?}");
    }

    #[test]
    fn method_and_path_are_checked() {
        assert_eq!(check_method("G T").unwrap_err().exit_code(), 2);
        assert!(check_method("GET").is_ok());
        assert_eq!(check_path("sessions").unwrap_err().exit_code(), 2);
    }

    #[test]
    fn timestamp_age_only_for_epoch_millis() {
        assert_eq!(timestamp_age(Some(42)), "");
        assert_eq!(timestamp_age(None), "");
        assert!(timestamp_age(Some(1_700_000_000_000)).ends_with(" days ago)"));
        assert_eq!(coarse_duration(59), "59s");
        assert_eq!(coarse_duration(61), "1 min");
        assert_eq!(coarse_duration(7200), "2 h");
        assert_eq!(coarse_duration(86_400), "1 day");
    }
}
