//! One delivery attempt: a `POST` on a fresh connection, plain HTTP to loopback or TLS trusted
//! by the web's public roots (and an extra CA, if given). No redirect is followed: a `3xx` is
//! an answer like any other non-`2xx`.

use std::net::SocketAddr;
use std::sync::Arc;

use bytes::Bytes;
use http::{HeaderValue, Method, Request, header};
use http_body_util::Full;
use hyper_util::rt::TokioIo;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, ServerName};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;

use crate::error::SandboxError;
use crate::notify::subscription::Endpoint;

/// Sends notifications.
pub(crate) struct Sender {
    tls: tokio_rustls::TlsConnector,
    user_agent: HeaderValue,
}

impl std::fmt::Debug for Sender {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sender").finish_non_exhaustive()
    }
}

impl Sender {
    /// A sender trusting the web's public roots and the certificates of `extra_ca_pem`.
    ///
    /// # Errors
    /// [`SandboxError::Tls`] when the extra PEM holds no usable certificate.
    pub(crate) fn new(extra_ca_pem: Option<&str>) -> Result<Self, SandboxError> {
        let mut roots = rustls::RootCertStore::empty();
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        if let Some(pem) = extra_ca_pem {
            let mut added = 0;
            for cert in CertificateDer::pem_slice_iter(pem.as_bytes()) {
                let cert =
                    cert.map_err(|e| SandboxError::Tls(format!("notification CA PEM: {e}")))?;
                roots
                    .add(cert)
                    .map_err(|e| SandboxError::Tls(format!("notification CA: {e}")))?;
                added += 1;
            }
            if added == 0 {
                return Err(SandboxError::Tls(
                    "notification CA PEM: no CERTIFICATE block".to_owned(),
                ));
            }
        }
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let mut config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| SandboxError::Tls(e.to_string()))?
            .with_root_certificates(roots)
            .with_no_client_auth();
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(Self {
            tls: tokio_rustls::TlsConnector::from(Arc::new(config)),
            user_agent: HeaderValue::from_static(concat!(
                "idv-sandbox-notifications/",
                env!("CARGO_PKG_VERSION")
            )),
        })
    }

    /// `POST`s `body` to `endpoint` and returns the answer's status, or why there is none.
    /// The caller bounds the time it takes.
    pub(crate) async fn post(
        &self,
        endpoint: &Endpoint,
        authorization: Option<&HeaderValue>,
        body: Bytes,
    ) -> Result<u16, String> {
        let mut request = Request::builder()
            .method(Method::POST)
            .uri(endpoint.path_and_query.as_str())
            .header(header::HOST, endpoint.authority.as_str())
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::USER_AGENT, self.user_agent.clone())
            .body(Full::new(body))
            .map_err(|e| format!("cannot build the request: {e}"))?;
        if let Some(value) = authorization {
            request
                .headers_mut()
                .insert(header::AUTHORIZATION, value.clone());
        }
        let stream = connect(endpoint).await?;
        if endpoint.https {
            let name = ServerName::try_from(endpoint.host.clone())
                .map_err(|_| "TLS: the host is not a valid server name".to_owned())?;
            let stream = self
                .tls
                .connect(name, stream)
                .await
                .map_err(|e| format!("TLS: {e}"))?;
            exchange(stream, request).await
        } else {
            exchange(stream, request).await
        }
    }
}

/// Connects to the endpoint's host; for plain HTTP, to its loopback addresses only.
async fn connect(endpoint: &Endpoint) -> Result<TcpStream, String> {
    let addrs: Vec<SocketAddr> = tokio::net::lookup_host((endpoint.host.as_str(), endpoint.port))
        .await
        .map_err(|e| format!("cannot resolve the host: {e}"))?
        .filter(|a| endpoint.https || a.ip().is_loopback())
        .collect();
    if addrs.is_empty() {
        return Err("the host has no address this endpoint may be reached on".to_owned());
    }
    let mut last = String::new();
    for addr in addrs {
        match TcpStream::connect(addr).await {
            Ok(stream) => {
                let _ = stream.set_nodelay(true);
                return Ok(stream);
            }
            Err(e) => last = format!("cannot connect: {e}"),
        }
    }
    Err(last)
}

/// Sends the request on the connection and returns the status of the answer's head (the body
/// is not read: the connection is closed).
async fn exchange<IO>(io: IO, request: Request<Full<Bytes>>) -> Result<u16, String>
where
    IO: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(io))
        .await
        .map_err(|e| format!("HTTP: {e}"))?;
    let response = sender.send_request(request);
    tokio::pin!(connection);
    tokio::select! {
        response = response => response
            .map(|r| r.status().as_u16())
            .map_err(|e| format!("HTTP: {e}")),
        ended = &mut connection => Err(match ended {
            Ok(()) => "HTTP: the connection closed before an answer".to_owned(),
            Err(e) => format!("HTTP: {e}"),
        }),
    }
}
