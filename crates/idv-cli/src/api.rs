//! Building the client from the settings, and turning its errors into one-line messages with
//! the right exit code.

use std::error::Error as _;

use idv_client::{ErrorKind, IdvClient, IdvError};
use idv_transport::TransportErrorKind;

use crate::cli::GlobalArgs;
use crate::config::{ApiSettings, KeySource};
use crate::error::{CliError, CliResult};

/// Build a client from flags and environment variables.
pub fn client(global: &GlobalArgs) -> CliResult<(IdvClient, ApiSettings)> {
    let settings = ApiSettings::resolve(global)?;
    let client = build_client(&settings)?;
    Ok((client, settings))
}

/// Build a client from resolved settings.
pub fn build_client(settings: &ApiSettings) -> CliResult<IdvClient> {
    let mut builder = IdvClient::builder()
        .sdk_id(settings.sdk_id.clone())
        .base_url(&settings.base_url)
        .authentication(crate::auth::authentication(
            settings.auth,
            settings.auth_url.as_deref(),
        ))
        .user_agent_suffix(concat!("idv-cli/", env!("CARGO_PKG_VERSION")));
    builder = match &settings.key {
        KeySource::File(path) => builder.key_file(path.clone()),
        KeySource::Pem(pem) => builder.key_pem(pem.as_bytes()),
    };
    if let Some(path) = &settings.ca_cert {
        let pem = std::fs::read(path).map_err(|e| {
            CliError::Config(format!(
                "cannot read the CA certificate {}: {e}",
                path.display()
            ))
        })?;
        builder = builder.add_root_certificate_pem(pem);
    }
    if let Some(timeout) = settings.timeout {
        // The client clamps each to `idv_client::MAX_TIMEOUT`: no value can overflow.
        builder = builder
            .request_timeout(timeout)
            .overall_timeout(timeout)
            .download_timeout(timeout);
    }
    builder.build().map_err(|e| {
        let message = match e.kind() {
            ErrorKind::Configuration => format!("{e}{}", source_suffix(&e)),
            _ => e.to_string(),
        };
        CliError::Config(message)
    })
}

/// What the failed call was about: decides whether a 404 means "session not found".
#[derive(Debug, Clone, Copy)]
pub enum Subject<'a> {
    /// A call on the session itself.
    Session(&'a str),
    /// A call on a media item of the session with this id.
    Media(&'a str),
    /// A call on a media item whose id the server sent (in the session), not the user: a
    /// malformed id is the server's fault (exit 1), not a usage error.
    MediaFromServer(&'a str),
    /// A call whose `404` is an API error like any other (exit 1), e.g. `idv request`.
    Other,
}

/// `: cause` for errors whose cause adds information (never a body: the client's causes are
/// structured details, transport errors and parse paths).
fn source_suffix(e: &IdvError) -> String {
    e.source().map(|s| format!(": {s}")).unwrap_or_default()
}

/// `host:port` of a base URL, for "connection refused to 127.0.0.1:1".
pub fn host_port(base_url: &str) -> String {
    let (scheme, rest) = base_url.split_once("://").unwrap_or(("https", base_url));
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    let authority = authority.rsplit('@').next().unwrap_or(authority);
    let has_port = match authority.rfind(':') {
        Some(i) => !authority[i..].contains(']'),
        None => false,
    };
    if has_port {
        authority.to_owned()
    } else {
        let port = if scheme.eq_ignore_ascii_case("http") {
            80
        } else {
            443
        };
        format!("{authority}:{port}")
    }
}

fn io_kind_in_chain(e: &IdvError) -> Option<std::io::ErrorKind> {
    let mut source: Option<&(dyn std::error::Error + 'static)> = e.source();
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            return Some(io.kind());
        }
        source = s.source();
    }
    None
}

/// Turn a client error into the command's error: exit 1 for API and transport failures (the
/// message says which), 3 for a session that does not exist, 2 for bad input or configuration.
pub fn map_error(e: IdvError, subject: Subject<'_>, base_url: &str) -> CliError {
    match e.kind() {
        ErrorKind::Api => {
            let status = e.status().map_or(0, |s| s.as_u16());
            let code = e.code().unwrap_or("(no error code)");
            let mut message = format!("{status} {code}");
            if let Some(text) = e.api_message() {
                message.push_str(": ");
                message.push_str(&one_line(text));
            }
            let fields: Vec<String> = e
                .field_errors()
                .iter()
                .map(|f| {
                    format!(
                        "{} {}",
                        f.property.as_deref().unwrap_or("?"),
                        f.message.as_deref().unwrap_or("")
                    )
                })
                .collect();
            if !fields.is_empty() {
                message.push_str(&format!(" ({})", one_line(&fields.join("; "))));
            }
            // A 404 means the session is missing unless its code names something else that
            // is (`MEDIA_NOT_FOUND`, `INSTRUCTIONS_NOT_FOUND`, `RESOURCE_NOT_FOUND`…).
            let session_missing = status == 404
                && e.code().is_none_or(|code| {
                    code == "SESSION_NOT_FOUND" || !code.ends_with("_NOT_FOUND")
                });
            match subject {
                Subject::Session(id) | Subject::Media(id) | Subject::MediaFromServer(id)
                    if session_missing =>
                {
                    CliError::NotFound(format!("session {id} not found ({message})"))
                }
                _ => {
                    if status == 401 || e.code() == Some("APP_NOT_FOUND") {
                        message.push_str(
                            " — check --sdk-id and --key-file; `idv sign` shows what is signed",
                        );
                    }
                    CliError::Failure(message)
                }
            }
        }
        ErrorKind::Transport
            if e.transport_error().is_some_and(|t| {
                matches!(
                    t.kind(),
                    TransportErrorKind::InsecureScheme
                        | TransportErrorKind::InvalidRequest
                        | TransportErrorKind::Config
                )
            }) =>
        {
            // A bad base URL or CA certificate: the configuration, not the server.
            let detail = e
                .transport_error()
                .map_or_else(|| e.to_string(), ToString::to_string);
            CliError::Config(detail)
        }
        ErrorKind::Transport | ErrorKind::Timeout => {
            let target = host_port(base_url);
            match io_kind_in_chain(&e) {
                Some(std::io::ErrorKind::ConnectionRefused) => {
                    CliError::Failure(format!("connection refused to {target}"))
                }
                _ => {
                    let detail = e
                        .transport_error()
                        .map(ToString::to_string)
                        .unwrap_or_else(|| e.to_string());
                    let mut message = format!("{detail} (to {target})");
                    if e.attempts() > 1 {
                        message.push_str(&format!(" after {} attempts", e.attempts()));
                    }
                    CliError::Failure(message)
                }
            }
        }
        ErrorKind::InvalidArgument if matches!(subject, Subject::MediaFromServer(_)) => {
            CliError::Failure(format!(
                "the server sent a malformed media id in the session: {e}{}",
                source_suffix(&e)
            ))
        }
        ErrorKind::InvalidArgument | ErrorKind::Configuration => {
            CliError::Config(format!("{e}{}", source_suffix(&e)))
        }
        _ => CliError::Failure(format!("{e}{}", source_suffix(&e))),
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_port_of_base_urls() {
        assert_eq!(host_port("http://127.0.0.1:1/idverify/v1"), "127.0.0.1:1");
        assert_eq!(
            host_port("https://api.yoti.com/idverify/v1"),
            "api.yoti.com:443"
        );
        assert_eq!(host_port("http://localhost/x"), "localhost:80");
        assert_eq!(host_port("http://[::1]:8080/x"), "[::1]:8080");
        assert_eq!(host_port("http://[::1]/x"), "[::1]:80");
    }
}
