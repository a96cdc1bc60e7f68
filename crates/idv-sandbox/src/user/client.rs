//! [`UserSide`]: the end user's side of a created session, driven over HTTP against any
//! running sandbox (one started in a test, or by `idv sandbox serve`).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::{Method, Request, StatusCode};
use http_body_util::{BodyExt, Full, Limited};
use hyper_util::rt::TokioIo;
use idv_model::{ApiErrorBody, ClientSessionToken, SessionConfiguration};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, ServerName};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::user::wire::{
    AddedResource, FinishOptions, IdDocumentUpload, LivenessUpload, SupplementaryDocumentUpload,
    UserSessionStatus,
};

/// The largest response body read (the configuration is the largest, a few tens of KiB).
const MAX_RESPONSE_BODY: usize = 4 * 1024 * 1024;
/// The default time one call may take, connecting included.
pub const DEFAULT_USER_SIDE_TIMEOUT: Duration = Duration::from_secs(30);
/// The most characters of an error's code or message kept (responses are untrusted).
const MAX_ERROR_TEXT: usize = 512;
/// The most `errors[]` entries kept.
const MAX_FIELD_ERRORS: usize = 32;

/// One `errors[]` entry of an API error: the property (a JSON path) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FieldError {
    /// The JSON path of the property (`pages[0].content`).
    pub property: String,
    /// What is wrong with it.
    pub message: String,
}

/// Why a [`UserSide`] call failed. Never shows the client session token or uploaded bytes.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum UserSideError {
    /// The base URL is not `http(s)://host[:port][/path]`.
    #[error("invalid base URL: {0}")]
    InvalidBaseUrl(String),
    /// The session id has characters other than ASCII letters, digits, `-` and `_`.
    #[error("invalid session id: only ASCII letters, digits, '-' and '_' are allowed")]
    InvalidSessionId,
    /// Plain HTTP to an address that is not loopback.
    #[error("plain HTTP is allowed to loopback addresses only; use https with the sandbox's CA")]
    NotLoopback,
    /// TLS could not be set up (no CA given for `https`, or a bad CA PEM).
    #[error("TLS: {0}")]
    Tls(String),
    /// The connection could not be made.
    #[error("cannot connect to the sandbox: {0}")]
    Connect(#[source] std::io::Error),
    /// The HTTP exchange failed after connecting.
    #[error("HTTP exchange with the sandbox failed: {0}")]
    Http(String),
    /// The call took longer than its timeout.
    #[error("no response within {0:?}")]
    Timeout(Duration),
    /// The sandbox refused the call with an API error body.
    #[error("{status} {code}: {message}{}", fields_suffix(errors))]
    Api {
        /// The HTTP status.
        status: u16,
        /// The error `code` (`INVALID_SESSION_TOKEN`, `PAYLOAD_VALIDATION`, …).
        code: String,
        /// The error `message`.
        message: String,
        /// The `errors[]` entries.
        errors: Vec<FieldError>,
    },
    /// A response that is neither the expected success nor an API error.
    #[error("unexpected response (status {status}): {reason}")]
    UnexpectedResponse {
        /// The HTTP status.
        status: u16,
        /// What was wrong with it.
        reason: String,
    },
}

fn fields_suffix(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(|e| format!("; {} {:?}", e.property, e.message))
        .collect()
}

impl UserSideError {
    /// The HTTP status of an API error.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Api { status, .. } | Self::UnexpectedResponse { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The `code` of an API error.
    pub fn code(&self) -> Option<&str> {
        match self {
            Self::Api { code, .. } => Some(code),
            _ => None,
        }
    }

    /// The `errors[]` of an API error (empty otherwise).
    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            Self::Api { errors, .. } => errors,
            _ => &[],
        }
    }
}

/// The end user's side of one created session: adds documents and liveness captures, then
/// finishes the session, over HTTP, authenticated by the session's client session token.
///
/// Plain HTTP is used only to loopback addresses; `https` needs the sandbox's CA
/// ([`with_ca_pem`](Self::with_ca_pem)). Each call uses one connection and has a timeout
/// ([`DEFAULT_USER_SIDE_TIMEOUT`]); nothing is retried and no redirect is followed. `Debug`
/// never shows the token.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use idv_sandbox::{IdDocumentUpload, Sandbox, UserSide, UserSideError};
///
/// let sandbox = Sandbox::builder().start().await?;
/// // The id and token come from `POST /sessions` (see the crate documentation).
/// let user = UserSide::new(sandbox.base_url(), "no-such-session", "token")?;
/// let refused = user.add_id_document(&IdDocumentUpload::new("PASSPORT", "GBR")).await;
/// assert!(matches!(&refused, Err(UserSideError::Api { status: 404, .. })));
/// assert_eq!(refused.unwrap_err().code(), Some("SESSION_NOT_FOUND"));
/// sandbox.shutdown().await;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct UserSide {
    https: bool,
    host: String,
    port: u16,
    base_path: String,
    session_id: String,
    token: ClientSessionToken,
    tls: Option<tokio_rustls::TlsConnector>,
    user_agent: String,
    accept_language: Option<String>,
    timeout: Duration,
}

impl std::fmt::Debug for UserSide {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserSide")
            .field(
                "base",
                &format_args!(
                    "{}://{}:{}{}",
                    if self.https { "https" } else { "http" },
                    self.host,
                    self.port,
                    self.base_path
                ),
            )
            .field("session_id", &self.session_id)
            .field("token", &self.token)
            .finish_non_exhaustive()
    }
}

impl UserSide {
    /// The user side of session `session_id` of the sandbox at `base_url` (as
    /// [`SandboxHandle::base_url`](crate::SandboxHandle::base_url) gives it), with its client
    /// session token.
    ///
    /// # Errors
    /// [`UserSideError::InvalidBaseUrl`], [`UserSideError::InvalidSessionId`], or
    /// [`UserSideError::NotLoopback`] for plain HTTP to an IP address that is not loopback
    /// (a host name is checked when it is resolved).
    pub fn new(
        base_url: &str,
        session_id: impl Into<String>,
        client_session_token: impl Into<String>,
    ) -> Result<Self, UserSideError> {
        let uri: http::Uri = base_url
            .trim()
            .parse()
            .map_err(|_| UserSideError::InvalidBaseUrl("not a URL".to_owned()))?;
        let https = match uri.scheme_str() {
            Some("http") => false,
            Some("https") => true,
            _ => {
                return Err(UserSideError::InvalidBaseUrl(
                    "the scheme must be http or https".to_owned(),
                ));
            }
        };
        if uri.query().is_some() {
            return Err(UserSideError::InvalidBaseUrl(
                "a base URL has no query".to_owned(),
            ));
        }
        let host = uri
            .host()
            .filter(|h| !h.is_empty())
            .ok_or_else(|| UserSideError::InvalidBaseUrl("no host".to_owned()))?
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_owned();
        if !https
            && let Ok(ip) = host.parse::<std::net::IpAddr>()
            && !ip.is_loopback()
        {
            return Err(UserSideError::NotLoopback);
        }
        let port = uri.port_u16().unwrap_or(if https { 443 } else { 80 });
        let session_id = session_id.into();
        let valid_id = !session_id.is_empty()
            && session_id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !valid_id {
            return Err(UserSideError::InvalidSessionId);
        }
        Ok(Self {
            https,
            host,
            port,
            base_path: uri.path().trim_end_matches('/').to_owned(),
            session_id,
            token: ClientSessionToken::new(client_session_token),
            tls: None,
            user_agent: format!("idv-sandbox-user-side/{}", env!("CARGO_PKG_VERSION")),
            accept_language: None,
            timeout: DEFAULT_USER_SIDE_TIMEOUT,
        })
    }

    /// Trusts this CA (PEM, as [`SandboxHandle::ca_pem`](crate::SandboxHandle::ca_pem)
    /// gives it) for `https` base URLs.
    ///
    /// # Errors
    /// [`UserSideError::Tls`] when the PEM holds no usable certificate.
    pub fn with_ca_pem(mut self, ca_pem: &str) -> Result<Self, UserSideError> {
        let mut roots = rustls::RootCertStore::empty();
        for cert in CertificateDer::pem_slice_iter(ca_pem.as_bytes()) {
            let cert = cert.map_err(|e| UserSideError::Tls(format!("CA PEM: {e}")))?;
            roots
                .add(cert)
                .map_err(|e| UserSideError::Tls(format!("CA certificate: {e}")))?;
        }
        if roots.is_empty() {
            return Err(UserSideError::Tls(
                "CA PEM: no CERTIFICATE block".to_owned(),
            ));
        }
        let config = rustls::ClientConfig::builder_with_provider(Arc::new(
            rustls::crypto::aws_lc_rs::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .map_err(|e| UserSideError::Tls(e.to_string()))?
        .with_root_certificates(roots)
        .with_no_client_auth();
        self.tls = Some(tokio_rustls::TlsConnector::from(Arc::new(config)));
        Ok(self)
    }

    /// The `User-Agent` sent (the sandbox records the browser and system it names in the
    /// session's tracked devices).
    #[must_use]
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// The `Accept-Language` sent (recorded as the tracked device's locale).
    #[must_use]
    pub fn accept_language(mut self, accept_language: impl Into<String>) -> Self {
        self.accept_language = Some(accept_language.into());
        self
    }

    /// How long one call may take, connecting included (default
    /// [`DEFAULT_USER_SIDE_TIMEOUT`]).
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The session's state and requirements: `GET {base}/user/sessions/{id}`.
    ///
    /// # Errors
    /// See [`UserSideError`].
    pub async fn status(&self) -> Result<UserSessionStatus, UserSideError> {
        self.call(Method::GET, "", None::<&()>, StatusCode::OK)
            .await
    }

    /// The session's configuration, as the app sees it: `GET
    /// {base}/user/sessions/{id}/configuration`.
    ///
    /// # Errors
    /// See [`UserSideError`].
    pub async fn configuration(&self) -> Result<SessionConfiguration, UserSideError> {
        self.call(Method::GET, "/configuration", None::<&()>, StatusCode::OK)
            .await
    }

    /// Adds an ID document: `POST {base}/user/sessions/{id}/id-documents`.
    ///
    /// # Errors
    /// See [`UserSideError`]; the sandbox answers 400 `PAYLOAD_VALIDATION` naming the
    /// property for a document the session does not accept.
    pub async fn add_id_document(
        &self,
        document: &IdDocumentUpload,
    ) -> Result<AddedResource, UserSideError> {
        self.call(
            Method::POST,
            "/id-documents",
            Some(document),
            StatusCode::CREATED,
        )
        .await
    }

    /// Adds a supplementary document: `POST {base}/user/sessions/{id}/supplementary-documents`.
    ///
    /// # Errors
    /// See [`UserSideError`].
    pub async fn add_supplementary_document(
        &self,
        document: &SupplementaryDocumentUpload,
    ) -> Result<AddedResource, UserSideError> {
        self.call(
            Method::POST,
            "/supplementary-documents",
            Some(document),
            StatusCode::CREATED,
        )
        .await
    }

    /// Adds a liveness capture: `POST {base}/user/sessions/{id}/liveness`.
    ///
    /// # Errors
    /// See [`UserSideError`].
    pub async fn add_liveness(
        &self,
        liveness: &LivenessUpload,
    ) -> Result<AddedResource, UserSideError> {
        self.call(
            Method::POST,
            "/liveness",
            Some(liveness),
            StatusCode::CREATED,
        )
        .await
    }

    /// Finishes the session with every check approved: `POST {base}/user/sessions/{id}/finish`.
    ///
    /// # Errors
    /// See [`UserSideError`]; 409 `REQUIREMENTS_NOT_MET` lists what is missing.
    pub async fn finish(&self) -> Result<UserSessionStatus, UserSideError> {
        self.finish_with(&FinishOptions::default()).await
    }

    /// Finishes the session with these recommendations.
    ///
    /// # Errors
    /// See [`UserSideError`].
    pub async fn finish_with(
        &self,
        options: &FinishOptions,
    ) -> Result<UserSessionStatus, UserSideError> {
        self.call(Method::POST, "/finish", Some(options), StatusCode::OK)
            .await
    }

    async fn call<B: Serialize, T: DeserializeOwned>(
        &self,
        method: Method,
        suffix: &str,
        body: Option<&B>,
        expected: StatusCode,
    ) -> Result<T, UserSideError> {
        let body = match body {
            Some(body) => Some(serde_json::to_vec(body).map_err(|e| {
                UserSideError::Http(format!("cannot encode the request body: {e}"))
            })?),
            None => None,
        };
        let path = format!(
            "{}/user/sessions/{}{suffix}",
            self.base_path, self.session_id
        );
        let exchange = self.exchange(method, &path, body);
        let (status, bytes) = tokio::time::timeout(self.timeout, exchange)
            .await
            .map_err(|_| UserSideError::Timeout(self.timeout))??;
        if status == expected {
            return idv_model::from_slice(&bytes).map_err(|e| UserSideError::UnexpectedResponse {
                status: status.as_u16(),
                reason: format!("the body does not parse: {e}"),
            });
        }
        Err(api_error(status, &bytes))
    }

    async fn connect(&self) -> Result<tokio::net::TcpStream, UserSideError> {
        let addrs: Vec<SocketAddr> = tokio::net::lookup_host((self.host.as_str(), self.port))
            .await
            .map_err(UserSideError::Connect)?
            .filter(|a| self.https || a.ip().is_loopback())
            .collect();
        if addrs.is_empty() {
            return Err(UserSideError::NotLoopback);
        }
        let mut last = None;
        for addr in addrs {
            match tokio::net::TcpStream::connect(addr).await {
                Ok(stream) => {
                    let _ = stream.set_nodelay(true);
                    return Ok(stream);
                }
                Err(e) => last = Some(e),
            }
        }
        Err(UserSideError::Connect(last.unwrap_or_else(|| {
            std::io::Error::new(std::io::ErrorKind::NotFound, "no address")
        })))
    }

    async fn exchange(
        &self,
        method: Method,
        path: &str,
        body: Option<Vec<u8>>,
    ) -> Result<(StatusCode, Bytes), UserSideError> {
        let host_header = if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        };
        let mut request = Request::builder()
            .method(method)
            .uri(path)
            .header(http::header::HOST, host_header)
            .header(http::header::USER_AGENT, self.user_agent.as_str())
            .header(http::header::ACCEPT, "application/json");
        let mut authorization =
            http::HeaderValue::try_from(format!("Bearer {}", self.token.expose_secret())).map_err(
                |_| UserSideError::Http("the token is not a valid header value".to_owned()),
            )?;
        authorization.set_sensitive(true);
        request = request.header(http::header::AUTHORIZATION, authorization);
        if let Some(language) = &self.accept_language {
            request = request.header(http::header::ACCEPT_LANGUAGE, language.as_str());
        }
        if body.is_some() {
            request = request.header(http::header::CONTENT_TYPE, "application/json");
        }
        let request = request
            .body(Full::new(Bytes::from(body.unwrap_or_default())))
            .map_err(|e| UserSideError::Http(format!("cannot build the request: {e}")))?;
        let stream = self.connect().await?;
        if self.https {
            let connector = self.tls.clone().ok_or_else(|| {
                UserSideError::Tls(
                    "an https base URL needs the sandbox's CA (with_ca_pem)".to_owned(),
                )
            })?;
            let name = ServerName::try_from(self.host.clone())
                .map_err(|e| UserSideError::Tls(e.to_string()))?;
            let tls = connector
                .connect(name, stream)
                .await
                .map_err(|e| UserSideError::Tls(e.to_string()))?;
            send(TokioIo::new(tls), request).await
        } else {
            send(TokioIo::new(stream), request).await
        }
    }
}

async fn send<IO>(
    io: IO,
    request: Request<Full<Bytes>>,
) -> Result<(StatusCode, Bytes), UserSideError>
where
    IO: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let (mut sender, connection) = hyper::client::conn::http1::handshake(io)
        .await
        .map_err(|e| UserSideError::Http(e.to_string()))?;
    let driver = tokio::spawn(connection);
    let response = sender
        .send_request(request)
        .await
        .map_err(|e| UserSideError::Http(e.to_string()))?;
    let status = response.status();
    let body = Limited::new(response.into_body(), MAX_RESPONSE_BODY)
        .collect()
        .await
        .map_err(|e| UserSideError::Http(format!("reading the response body: {e}")))?
        .to_bytes();
    drop(sender);
    driver.abort();
    Ok((status, body))
}

fn cut(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

/// The error a non-success response stands for.
fn api_error(status: StatusCode, body: &[u8]) -> UserSideError {
    match idv_model::from_slice::<ApiErrorBody>(body) {
        Ok(parsed) if parsed.code.is_some() => UserSideError::Api {
            status: status.as_u16(),
            code: cut(parsed.code.as_deref().unwrap_or(""), MAX_ERROR_TEXT),
            message: cut(parsed.message.as_deref().unwrap_or(""), MAX_ERROR_TEXT),
            errors: parsed
                .errors
                .iter()
                .take(MAX_FIELD_ERRORS)
                .map(|e| FieldError {
                    property: cut(e.property.as_deref().unwrap_or(""), MAX_ERROR_TEXT),
                    message: cut(e.message.as_deref().unwrap_or(""), MAX_ERROR_TEXT),
                })
                .collect(),
        },
        _ => UserSideError::UnexpectedResponse {
            status: status.as_u16(),
            reason: "no API error body".to_owned(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_checked() {
        let ok = UserSide::new("http://127.0.0.1:8080/idverify/v1/", "s-1", "t").expect("ok");
        assert_eq!(
            (ok.host.as_str(), ok.port, ok.base_path.as_str()),
            ("127.0.0.1", 8080, "/idverify/v1")
        );
        let v6 = UserSide::new("http://[::1]:9/", "s", "t").expect("ipv6 loopback");
        assert_eq!(v6.host, "::1");
        assert!(matches!(
            UserSide::new("http://10.0.0.1/", "s", "t"),
            Err(UserSideError::NotLoopback)
        ));
        assert!(UserSide::new("https://10.0.0.1/", "s", "t").is_ok());
        assert!(matches!(
            UserSide::new("ftp://127.0.0.1/", "s", "t"),
            Err(UserSideError::InvalidBaseUrl(_))
        ));
        assert!(matches!(
            UserSide::new("http://127.0.0.1/", "../x", "t"),
            Err(UserSideError::InvalidSessionId)
        ));
        assert!(matches!(
            ok.clone().with_ca_pem("not pem"),
            Err(UserSideError::Tls(_))
        ));
    }

    #[test]
    fn debug_hides_the_token() {
        let user = UserSide::new("http://127.0.0.1:1/", "s", "secret-token-value").expect("ok");
        let debug = format!("{user:?}");
        assert!(!debug.contains("secret-token-value"), "{debug}");
        assert!(debug.contains("127.0.0.1"));
    }

    #[test]
    fn error_bodies_are_parsed_and_bounded() {
        let body = serde_json::json!({
            "code": "PAYLOAD_VALIDATION",
            "message": "x".repeat(10_000),
            "errors": (0..100).map(|i| serde_json::json!({"property": format!("p{i}"), "message": "m"})).collect::<Vec<_>>(),
        });
        let error = api_error(StatusCode::BAD_REQUEST, &serde_json::to_vec(&body).unwrap());
        assert_eq!(error.code(), Some("PAYLOAD_VALIDATION"));
        assert_eq!(error.status(), Some(400));
        assert_eq!(error.field_errors().len(), MAX_FIELD_ERRORS);
        match &error {
            UserSideError::Api { message, .. } => assert_eq!(message.len(), MAX_ERROR_TEXT),
            other => panic!("{other:?}"),
        }
        let plain = api_error(StatusCode::BAD_GATEWAY, b"<html>");
        assert!(matches!(
            plain,
            UserSideError::UnexpectedResponse { status: 502, .. }
        ));
    }
}
