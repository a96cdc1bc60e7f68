//! [`HyperTransportBuilder`]: the configuration of a [`HyperTransport`] and how it is assembled
//! (TLS roots and crypto provider, connectors, pool).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use hyper_util::client::legacy::Client;
use hyper_util::rt::{TokioExecutor, TokioTimer};
use rustls::crypto::CryptoProvider;
use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject as _;

use super::plain_http::TcpConnector;
use super::resolver::{DnsResolver, Resolver};
use super::tracking::TrackingConnector;
use super::transport::{HyperTransport, Inner};
use crate::timeouts;
use crate::{TransportError, TransportErrorKind};

/// Configures and builds a [`HyperTransport`].
///
/// Available on crate feature `hyper` only.
///
/// ```
/// # #[cfg(any(feature = "aws-lc", feature = "ring"))] {
/// use std::time::Duration;
/// use idv_transport::HyperTransport;
///
/// let transport = HyperTransport::builder()
///     .connect_timeout(Duration::from_secs(5))
///     .read_timeout(Duration::from_secs(20))
///     .pool_idle_timeout(Duration::from_secs(60))
///     .pool_max_idle_per_host(4)
///     .build()
///     .unwrap();
/// # drop(transport);
/// # }
/// ```
#[must_use]
pub struct HyperTransportBuilder {
    connect_timeout: Option<Duration>,
    read_timeout: Option<Duration>,
    pool_idle_timeout: Option<Duration>,
    pool_max_idle_per_host: usize,
    http2: bool,
    http2_prior_knowledge: bool,
    tcp_nodelay: bool,
    dns_resolver: Option<Arc<dyn DnsResolver>>,
    webpki_roots: bool,
    #[cfg(feature = "native-roots")]
    native_roots: bool,
    extra_roots: Vec<CertificateDer<'static>>,
    config_error: Option<TransportError>,
    crypto_provider: Option<Arc<CryptoProvider>>,
}

impl fmt::Debug for HyperTransportBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HyperTransportBuilder")
            .field("connect_timeout", &self.connect_timeout)
            .field("read_timeout", &self.read_timeout)
            .field("pool_idle_timeout", &self.pool_idle_timeout)
            .field("pool_max_idle_per_host", &self.pool_max_idle_per_host)
            .field("http2", &self.http2)
            .field("http2_prior_knowledge", &self.http2_prior_knowledge)
            .field("tcp_nodelay", &self.tcp_nodelay)
            .field("webpki_roots", &self.webpki_roots)
            .field("extra_roots", &self.extra_roots.len())
            .field("dns_resolver", &self.dns_resolver)
            .finish_non_exhaustive()
    }
}

impl Default for HyperTransportBuilder {
    fn default() -> Self {
        Self {
            connect_timeout: Some(Duration::from_secs(10)),
            read_timeout: Some(Duration::from_secs(30)),
            pool_idle_timeout: Some(Duration::from_secs(90)),
            pool_max_idle_per_host: 16,
            http2: true,
            http2_prior_knowledge: false,
            tcp_nodelay: true,
            dns_resolver: None,
            webpki_roots: true,
            #[cfg(feature = "native-roots")]
            native_roots: true,
            extra_roots: Vec::new(),
            config_error: None,
            crypto_provider: None,
        }
    }
}

impl HyperTransportBuilder {
    /// The longest time to establish a connection, TCP connect and TLS handshake together
    /// (default 10 s; `None` disables it). Exceeding it is a
    /// [`Connect`](TransportErrorKind::Connect) error. Clamped to
    /// [`MAX_TIMEOUT`](crate::MAX_TIMEOUT).
    pub fn connect_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.connect_timeout = timeouts::clamp_opt(timeout.into());
        self
    }

    /// The default idle timeout, used when [`SendOptions::read_timeout`](crate::SendOptions) is
    /// `None` (default 30 s; `None` disables it): the longest wait without progress for the
    /// response head (counted after the connect allowance) and between body chunks. Exceeding it
    /// is a [`Timeout`](TransportErrorKind::Timeout) error. Clamped to
    /// [`MAX_TIMEOUT`](crate::MAX_TIMEOUT).
    ///
    /// There is no whole-request timeout here: the caller bounds a request by dropping its
    /// future (the IDV client's per-attempt and per-call timeouts).
    pub fn read_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.read_timeout = timeouts::clamp_opt(timeout.into());
        self
    }

    /// How long an idle pooled connection is kept (default 90 s). `None` keeps them forever.
    /// Clamped to [`MAX_TIMEOUT`](crate::MAX_TIMEOUT).
    pub fn pool_idle_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.pool_idle_timeout = timeouts::clamp_opt(timeout.into());
        self
    }

    /// The most idle connections kept per host (default 16; 0 disables reuse).
    pub fn pool_max_idle_per_host(mut self, max: usize) -> Self {
        self.pool_max_idle_per_host = max;
        self
    }

    /// Offer HTTP/2 via ALPN on TLS connections (default `true`). With `false` only HTTP/1.1
    /// is used.
    pub fn http2(mut self, enabled: bool) -> Self {
        self.http2 = enabled;
        self
    }

    /// Speak HTTP/2 on every connection without negotiating it (default `false`): h2c "prior
    /// knowledge" on plain loopback connections; TLS servers must then accept `h2`.
    pub fn http2_prior_knowledge(mut self, enabled: bool) -> Self {
        self.http2_prior_knowledge = enabled;
        self
    }

    /// Set `TCP_NODELAY` on connections (default `true`).
    pub fn tcp_nodelay(mut self, enabled: bool) -> Self {
        self.tcp_nodelay = enabled;
        self
    }

    /// Resolve host names with `resolver` instead of the system resolver. Addresses for plain
    /// `http://` targets must all be loopback, or the request fails with
    /// [`InsecureScheme`](TransportErrorKind::InsecureScheme) without connecting.
    pub fn dns_resolver(mut self, resolver: Arc<dyn DnsResolver>) -> Self {
        self.dns_resolver = Some(resolver);
        self
    }

    /// Trust the Mozilla root certificates bundled by `webpki-roots` (default `true`).
    pub fn webpki_roots(mut self, enabled: bool) -> Self {
        self.webpki_roots = enabled;
        self
    }

    /// Trust the platform's native root certificates (default `true` when the `native-roots`
    /// feature is enabled).
    ///
    /// Available on crate feature `native-roots` only.
    #[cfg(feature = "native-roots")]
    pub fn native_roots(mut self, enabled: bool) -> Self {
        self.native_roots = enabled;
        self
    }

    /// Also trust the CA certificate(s) in `pem` (one or more `CERTIFICATE` blocks), for
    /// instance a private test server's CA. Invalid input makes [`build`](Self::build) fail
    /// with a [`Config`](TransportErrorKind::Config) error.
    pub fn add_root_certificate_pem(mut self, pem: &[u8]) -> Self {
        let mut found = 0usize;
        for cert in CertificateDer::pem_slice_iter(pem) {
            match cert {
                Ok(cert) => {
                    self.extra_roots.push(cert);
                    found += 1;
                }
                Err(e) => {
                    self.config_error.get_or_insert_with(|| {
                        TransportError::new(
                            TransportErrorKind::Config,
                            "the root certificate PEM could not be parsed",
                        )
                        .with_source(e)
                    });
                    return self;
                }
            }
        }
        if found == 0 {
            self.config_error.get_or_insert_with(|| {
                TransportError::new(
                    TransportErrorKind::Config,
                    "the root certificate PEM contains no CERTIFICATE block",
                )
            });
        }
        self
    }

    /// Use this rustls crypto provider. By default the provider is chosen by feature:
    /// aws-lc-rs (`aws-lc`) when enabled, else ring (`ring`), else the process-default provider
    /// if one is installed.
    pub fn crypto_provider(mut self, provider: Arc<CryptoProvider>) -> Self {
        self.crypto_provider = Some(provider);
        self
    }

    /// Build the transport. Fails with a [`Config`](TransportErrorKind::Config) error on an
    /// invalid root certificate, an empty root store, or no crypto provider.
    pub fn build(self) -> Result<HyperTransport, TransportError> {
        if let Some(err) = self.config_error {
            return Err(err);
        }
        if self.http2_prior_knowledge && !self.http2 {
            return Err(TransportError::new(
                TransportErrorKind::Config,
                "http2_prior_knowledge requires http2",
            ));
        }
        let provider = self
            .crypto_provider
            .or_else(default_provider)
            .ok_or_else(|| {
                TransportError::new(
                    TransportErrorKind::Config,
                    "no rustls crypto provider: enable the `aws-lc` or `ring` feature, or call \
                 `crypto_provider`",
                )
            })?;

        let mut roots = rustls::RootCertStore::empty();
        if self.webpki_roots {
            roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        }
        #[cfg(feature = "native-roots")]
        if self.native_roots {
            let native = rustls_native_certs::load_native_certs();
            // Unparseable platform certificates are skipped, as browsers do.
            let _ = roots.add_parsable_certificates(native.certs);
        }
        for cert in self.extra_roots {
            roots.add(cert).map_err(|e| {
                TransportError::new(
                    TransportErrorKind::Config,
                    "an added root certificate is not a valid CA certificate",
                )
                .with_source(e)
            })?;
        }
        if roots.is_empty() {
            return Err(TransportError::new(
                TransportErrorKind::Config,
                "no root certificates: enable webpki or native roots, or add one",
            ));
        }

        let tls = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| {
                TransportError::new(
                    TransportErrorKind::Config,
                    "the crypto provider supports no safe TLS version",
                )
                .with_source(e)
            })?
            .with_root_certificates(roots)
            .with_no_client_auth();

        let tcp = TcpConnector::new(
            Resolver::new(self.dns_resolver),
            self.tcp_nodelay,
            self.connect_timeout,
        );
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(tls)
            .https_or_http()
            .enable_http1();
        let https = if self.http2 {
            https.enable_http2().wrap_connector(tcp)
        } else {
            https.wrap_connector(tcp)
        };
        let connector = TrackingConnector::new(https, self.connect_timeout);

        let mut client = Client::builder(TokioExecutor::new());
        client
            .timer(TokioTimer::new())
            .pool_timer(TokioTimer::new())
            .pool_idle_timeout(self.pool_idle_timeout)
            .pool_max_idle_per_host(self.pool_max_idle_per_host)
            .http2_only(self.http2_prior_knowledge);
        let client = client.build(connector);

        Ok(HyperTransport::from_inner(Inner {
            client,
            read_timeout: self.read_timeout,
            connect_timeout: self.connect_timeout,
            pool_idle_timeout: self.pool_idle_timeout,
            pool_max_idle_per_host: self.pool_max_idle_per_host,
            http2: self.http2,
            http2_prior_knowledge: self.http2_prior_knowledge,
        }))
    }
}

#[cfg(feature = "aws-lc")]
fn default_provider() -> Option<Arc<CryptoProvider>> {
    Some(Arc::new(rustls::crypto::aws_lc_rs::default_provider()))
}

#[cfg(all(feature = "ring", not(feature = "aws-lc")))]
fn default_provider() -> Option<Arc<CryptoProvider>> {
    Some(Arc::new(rustls::crypto::ring::default_provider()))
}

#[cfg(not(any(feature = "aws-lc", feature = "ring")))]
fn default_provider() -> Option<Arc<CryptoProvider>> {
    CryptoProvider::get_default().cloned()
}
