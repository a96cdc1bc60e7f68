//! `idv request METHOD PATH`: any endpoint by hand, through `IdvClient::request`: signed (or
//! with a bearer token), limited, timed out and retried like every built-in call.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use clap::Args;
use idv_cli::terminal_safe::terminal_safe;
use idv_client::{Method, ResponseStream};

use crate::api::{self, Subject};
use crate::auth::AuthMode;
use crate::cli::GlobalArgs;
use crate::error::{CliError, CliResult};
use crate::output::{self, CopyError};
use crate::term::{self, errln};

/// `idv request --help` examples.
pub const EXAMPLES: &str = "\
Examples:
  idv request GET /sessions/SESSION_ID/configuration
  idv request GET /supported-documents --query includeNonLatin=true
  idv request POST /sessions --body session.json
  idv request PUT /sessions/SESSION_ID/instructions --body - --idempotent < instructions.json
  idv request GET /sessions/SESSION_ID/media/MEDIA_ID/content -o page.jpg

PATH is relative to the API base (no /idverify/v1) and has no query: add one with --query,
sent in the order given. sdkId, nonce and timestamp are added by the signature. A body is sent
as application/json unless --content-type says otherwise.

The response body goes to stdout exactly as received (on a terminal: text only, made
terminal-safe; binary content needs a redirect or -o FILE); the status, content type, length
and request id go to stderr. An error status prints the API's code and message, exit 1.
A POST is retried only when it provably never reached the server, unless --idempotent.";

/// The largest body read from a file or stdin.
const MAX_BODY_BYTES: u64 = 64 * 1024 * 1024;

/// The largest response accepted (streamed to a pipe or a file in constant memory).
const MAX_RESPONSE_BYTES: u64 = idv_client::DEFAULT_MAX_MEDIA_BYTES;

/// The largest response shown on a terminal (it is read whole to be made terminal-safe).
const MAX_TERMINAL_BYTES: u64 = idv_client::DEFAULT_MAX_JSON_BYTES;

/// Response headers worth showing on stderr besides the content type and length: the ids a
/// support request needs.
const REQUEST_ID_HEADERS: &[&str] = &[
    "x-request-id",
    "request-id",
    "x-correlation-id",
    "x-amzn-requestid",
    "x-amz-cf-id",
    "location",
];

/// Query parameters the signature adds itself.
const SIGNATURE_PARAMETERS: &[&str] = &["sdkId", "nonce", "timestamp"];

/// `idv request`
#[derive(Debug, Clone, Args)]
pub struct RequestCommandArgs {
    /// The HTTP method: GET, POST, PUT, PATCH, DELETE…
    #[arg(value_parser = parse_method)]
    pub method: Method,
    /// The path relative to the API base, without a query (e.g. /sessions/ID/configuration).
    pub path: String,
    /// A query parameter, KEY=VALUE (repeatable; sent in the order given, percent-encoded).
    #[arg(long = "query", short = 'q', value_name = "KEY=VALUE", value_parser = parse_query)]
    pub query: Vec<(String, String)>,
    /// The request body: a file, or `-` for stdin (at most 64 MiB).
    #[arg(long, value_name = "FILE|-")]
    pub body: Option<PathBuf>,
    /// The body's content type [default: application/json].
    #[arg(long, value_name = "TYPE", requires = "body")]
    pub content_type: Option<String>,
    /// The request is safe to send twice: retry it like a GET.
    #[arg(long)]
    pub idempotent: bool,
    /// Write the response body to this file (mode 0600, written whole or not at all) instead
    /// of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

fn parse_method(text: &str) -> Result<Method, String> {
    if text.is_empty() || text.len() > 16 || !text.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Err("a method is letters only, like GET, POST or DELETE".into());
    }
    Method::from_bytes(text.to_ascii_uppercase().as_bytes()).map_err(|e| e.to_string())
}

fn parse_query(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((key, value)) if !key.is_empty() => Ok((key.to_owned(), value.to_owned())),
        _ => Err("expected KEY=VALUE (the value may be empty: KEY=)".into()),
    }
}

/// Checks what the client would refuse anyway, with advice for the command line.
fn check_path(path: &str) -> CliResult<()> {
    if !path.starts_with('/') {
        return Err(CliError::Config(format!(
            "the path must start with `/` and be relative to the API base, e.g. /sessions/ID \
             (got {path:?})"
        )));
    }
    if path.contains(['?', '#']) {
        return Err(CliError::Config(
            "the path has no query: pass each parameter with --query KEY=VALUE".into(),
        ));
    }
    for base in ["/idverify/v1/", "/sandbox/idverify/v1/"] {
        if path.starts_with(base) {
            return Err(CliError::Config(format!(
                "the path is relative to the API base: drop {}",
                base.trim_end_matches('/')
            )));
        }
    }
    Ok(())
}

fn check_query(query: &[(String, String)], auth: AuthMode) -> CliResult<()> {
    if auth != AuthMode::Signed {
        return Ok(());
    }
    match query.iter().find(|(key, _)| {
        SIGNATURE_PARAMETERS
            .iter()
            .any(|p| p.eq_ignore_ascii_case(key))
    }) {
        Some((key, _)) => Err(CliError::Config(format!(
            "--query {key}: the signature adds sdkId, nonce and timestamp itself"
        ))),
        None => Ok(()),
    }
}

/// The body from a file or stdin, at most [`MAX_BODY_BYTES`].
fn read_body(source: &Path) -> CliResult<Vec<u8>> {
    let name = if output::is_stdout(source) {
        "stdin".to_owned()
    } else {
        source.display().to_string()
    };
    let reader: Box<dyn std::io::Read> = if output::is_stdout(source) {
        Box::new(std::io::stdin().lock())
    } else {
        Box::new(
            std::fs::File::open(source)
                .map_err(|e| CliError::Config(format!("cannot read the body {name}: {e}")))?,
        )
    };
    let mut body = Vec::new();
    reader
        .take(MAX_BODY_BYTES + 1)
        .read_to_end(&mut body)
        .map_err(|e| CliError::Config(format!("cannot read the body {name}: {e}")))?;
    if body.len() as u64 > MAX_BODY_BYTES {
        return Err(CliError::Config(format!(
            "the body {name} is larger than {} MiB",
            MAX_BODY_BYTES >> 20
        )));
    }
    Ok(body)
}

/// The lines printed on stderr for a response head: the status, then the content type, the
/// length and the request ids it has (terminal-safe).
pub fn describe_head(status: u16, reason: Option<&str>, headers: &[(&str, &str)]) -> Vec<String> {
    let mut lines = vec![match reason {
        Some(reason) => format!("HTTP {status} {reason}"),
        None => format!("HTTP {status}"),
    }];
    for name in ["content-type", "content-length"]
        .iter()
        .chain(REQUEST_ID_HEADERS)
    {
        for (_, value) in headers.iter().filter(|(n, _)| n.eq_ignore_ascii_case(name)) {
            lines.push(format!("{name}: {}", terminal_safe(value)));
        }
    }
    lines
}

fn print_head(stream: &ResponseStream) {
    let headers: Vec<(&str, &str)> = stream
        .headers()
        .iter()
        .map(|(name, value)| {
            (
                name.as_str(),
                value.to_str().unwrap_or("(not visible ASCII)"),
            )
        })
        .collect();
    let status = stream.status();
    for line in describe_head(status.as_u16(), status.canonical_reason(), &headers) {
        errln(&line);
    }
}

/// `idv request`.
pub async fn run(global: &GlobalArgs, args: RequestCommandArgs) -> CliResult<()> {
    check_path(&args.path)?;
    let body = args.body.as_deref().map(read_body).transpose()?;
    let (client, settings) = api::client(global)?;
    check_query(&args.query, settings.auth)?;
    let base = settings.base_url.as_str();
    let map = |e| api::map_error(e, Subject::Other, base);

    let mut request = client
        .request(args.method.clone(), &args.path)
        .idempotent(args.idempotent)
        .max_response_bytes(MAX_RESPONSE_BYTES)
        .accept("*/*")
        .map_err(map)?;
    for (key, value) in &args.query {
        request = request.query(key, value);
    }
    if let Some(body) = body {
        let content_type = args.content_type.as_deref().unwrap_or("application/json");
        request = request.bytes(content_type, body).map_err(map)?;
    }
    let mut stream = request.send_stream().await.map_err(map)?;
    print_head(&stream);

    let copied = match args.output.as_deref().filter(|p| !output::is_stdout(p)) {
        Some(path) => {
            let result = output::stream_to_file(&mut stream, path).await;
            if let Ok(bytes) = &result {
                errln(&format!("wrote {} ({bytes} bytes)", path.display()));
            }
            result
        }
        None if term::stdout_is_terminal() => return show_on_terminal(stream, base).await,
        None => output::stream_to_stdout(&mut stream).await,
    };
    copied.map(drop).map_err(|e| match e {
        CopyError::Read(e) => map(e),
        CopyError::Write(e) => e,
    })
}

/// On a terminal: text (by its type, or by its bytes when it has none) is read whole and shown
/// terminal-safe; binary content is refused (exit 2).
async fn show_on_terminal(mut stream: ResponseStream, base: &str) -> CliResult<()> {
    let map = |e| api::map_error(e, Subject::Other, base);
    let declared = stream.content_type().map(str::to_owned);
    let mut body = Vec::new();
    while let Some(chunk) = stream.next_chunk().await.map_err(map)? {
        let textual = match declared.as_deref() {
            Some(content_type) => output::is_textual(content_type),
            None => output::looks_like_text(if body.is_empty() { &chunk } else { &body }),
        };
        if !textual {
            return Err(CliError::Config(output::BINARY_TO_TERMINAL.into()));
        }
        if (body.len() + chunk.len()) as u64 > MAX_TERMINAL_BYTES {
            return Err(CliError::Config(format!(
                "the response is larger than {} MiB: redirect stdout or use -o FILE",
                MAX_TERMINAL_BYTES >> 20
            )));
        }
        body.extend_from_slice(&chunk);
    }
    output::print_document(&body);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods_are_letters_and_upper_cased() {
        assert_eq!(parse_method("get").unwrap(), Method::GET);
        assert_eq!(parse_method("DELETE").unwrap(), Method::DELETE);
        assert_eq!(parse_method("patch").unwrap(), Method::PATCH);
        for bad in ["", "GE T", "GET\r\n", "G1", "Ü"] {
            assert!(parse_method(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn queries_are_key_value() {
        assert_eq!(
            parse_query("includeNonLatin=true").unwrap(),
            ("includeNonLatin".into(), "true".into())
        );
        assert_eq!(parse_query("a=b=c").unwrap(), ("a".into(), "b=c".into()));
        assert_eq!(
            parse_query("empty=").unwrap(),
            ("empty".into(), String::new())
        );
        assert!(parse_query("novalue").is_err());
        assert!(parse_query("=x").is_err());
    }

    #[test]
    fn paths_and_signature_parameters_are_checked_first() {
        assert!(check_path("/sessions/abc").is_ok());
        for bad in ["sessions", "/sessions?x=1", "/a#b", "/idverify/v1/sessions"] {
            assert_eq!(check_path(bad).unwrap_err().exit_code(), 2, "{bad}");
        }
        let q = |k: &str| vec![(k.to_owned(), "1".to_owned())];
        assert!(check_query(&q("includeNonLatin"), AuthMode::Signed).is_ok());
        for reserved in ["sdkId", "sdkID", "nonce", "Timestamp"] {
            let e = check_query(&q(reserved), AuthMode::Signed).unwrap_err();
            assert!(e.to_string().contains("signature adds"), "{e}");
        }
        assert!(check_query(&q("sdkId"), AuthMode::Bearer).is_ok());
    }

    #[test]
    fn the_head_shows_status_type_length_and_ids_terminal_safe() {
        let lines = describe_head(
            201,
            Some("Created"),
            &[
                ("Content-Type", "application/json"),
                ("content-length", "12"),
                ("x-request-id", "r-1\u{1b}[2J"),
                ("set-cookie", "secret"),
            ],
        );
        assert_eq!(
            lines,
            [
                "HTTP 201 Created",
                "content-type: application/json",
                "content-length: 12",
                r"x-request-id: r-1\u{1b}[2J",
            ]
        );
    }
}
