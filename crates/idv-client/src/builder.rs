//! [`IdvClientBuilder`]: configuration, checked once at [`build`](IdvClientBuilder::build).

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use http::HeaderValue;
use idv_sign::{PrivateKey, Signer};
use idv_transport::Transport;
use zeroize::Zeroizing;

use crate::auth::RequestAuth;
use crate::base_url::BaseUrl;
use crate::bearer::Authentication;
use crate::client::{ClientInner, IdvClient};
use crate::engine::MAX_TIMEOUT;
use crate::env;
use crate::error::IdvError;
use crate::retry::RetryPolicy;

/// The production API: `https://api.yoti.com/idverify/v1` (the default).
pub const PRODUCTION_BASE_URL: &str = "https://api.yoti.com/idverify/v1";

/// Yoti's hosted sandbox API: `https://api.yoti.com/sandbox/idverify/v1`.
pub const SANDBOX_BASE_URL: &str = "https://api.yoti.com/sandbox/idverify/v1";

/// The default connect timeout: 10 s.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The default timeout of one attempt: 30 s.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// The default longest wait for progress while reading a response: 30 s.
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(30);
/// The default timeout of one media call (the whole body, and any restart): 15 minutes.
pub const DEFAULT_DOWNLOAD_TIMEOUT: Duration = Duration::from_secs(15 * 60);
/// The default timeout of one call, retries included: 90 s.
pub const DEFAULT_OVERALL_TIMEOUT: Duration = Duration::from_secs(90);
/// The default limit of a JSON response body: 32 MiB.
pub const DEFAULT_MAX_JSON_BYTES: u64 = 32 * 1024 * 1024;
/// The default limit of requests in flight at once through one client (and its clones): 32.
pub const DEFAULT_MAX_IN_FLIGHT: usize = 32;
/// The default limit of a media body: 1 GiB.
pub const DEFAULT_MAX_MEDIA_BYTES: u64 = 1024 * 1024 * 1024;

enum KeySource {
    Pem(Zeroizing<Vec<u8>>),
    File(PathBuf),
    Signer(Arc<dyn Signer>),
}

/// Builds an [`IdvClient`]. Start with [`IdvClient::builder`].
///
/// Required: the SDK id and a key ([`key_pem`](Self::key_pem), [`key_file`](Self::key_file) or
/// [`signer`](Self::signer)). Everything else has a default: the production base URL, the
/// built-in hyper transport (feature `hyper`), [`DEFAULT_CONNECT_TIMEOUT`],
/// [`DEFAULT_REQUEST_TIMEOUT`], [`DEFAULT_OVERALL_TIMEOUT`] and [`RetryPolicy::default`].
/// Nothing is checked until [`build`](Self::build), which parses the key once.
#[must_use]
pub struct IdvClientBuilder {
    sdk_id: Option<String>,
    key: Option<KeySource>,
    base_url: Option<String>,
    transport: Option<Arc<dyn Transport>>,
    connect_timeout: Duration,
    request_timeout: Duration,
    read_timeout: Duration,
    overall_timeout: Duration,
    download_timeout: Duration,
    retry: RetryPolicy,
    authentication: Authentication,
    root_certificates: Vec<Vec<u8>>,
    user_agent_suffix: Option<String>,
    max_json_bytes: u64,
    max_media_bytes: u64,
    max_in_flight: usize,
}

impl Default for IdvClientBuilder {
    fn default() -> Self {
        Self {
            sdk_id: None,
            key: None,
            base_url: None,
            transport: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            read_timeout: DEFAULT_READ_TIMEOUT,
            overall_timeout: DEFAULT_OVERALL_TIMEOUT,
            download_timeout: DEFAULT_DOWNLOAD_TIMEOUT,
            retry: RetryPolicy::default(),
            authentication: Authentication::Signed,
            root_certificates: Vec::new(),
            user_agent_suffix: None,
            max_json_bytes: DEFAULT_MAX_JSON_BYTES,
            max_media_bytes: DEFAULT_MAX_MEDIA_BYTES,
            max_in_flight: DEFAULT_MAX_IN_FLIGHT,
        }
    }
}

impl fmt::Debug for IdvClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let key = match &self.key {
            None => "none",
            Some(KeySource::Pem(_)) => "PEM [redacted]",
            Some(KeySource::File(_)) => "file",
            Some(KeySource::Signer(_)) => "signer",
        };
        f.debug_struct("IdvClientBuilder")
            .field("sdk_id", &self.sdk_id)
            .field("key", &key)
            .field("base_url", &self.base_url)
            .field("custom_transport", &self.transport.is_some())
            .field("connect_timeout", &self.connect_timeout)
            .field("request_timeout", &self.request_timeout)
            .field("read_timeout", &self.read_timeout)
            .field("overall_timeout", &self.overall_timeout)
            .field("download_timeout", &self.download_timeout)
            .field("retry", &self.retry)
            .field("authentication", &self.authentication)
            .field("authentication", &self.authentication)
            .field("root_certificates", &self.root_certificates.len())
            .field("user_agent_suffix", &self.user_agent_suffix)
            .finish_non_exhaustive()
    }
}

impl IdvClientBuilder {
    /// A builder with every default and no credentials.
    pub fn new() -> Self {
        Self::default()
    }

    /// A builder configured from the environment, read now (the names are in [`env`](mod@env)):
    ///
    /// - `YOTI_CLIENT_SDK_ID`: the SDK id (required);
    /// - `YOTI_KEY_FILE_PATH`: the path of the PEM private key, or else `YOTI_KEY_PEM`: the PEM
    ///   itself (one of them is required);
    /// - `YOTI_IDV_API_URL`, or else `YOTI_DOC_SCAN_API_URL` (the name the other official SDKs
    ///   read): the base URL (optional; production by default).
    ///
    /// Empty values count as unset.
    pub fn from_env() -> Result<Self, IdvError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Like [`from_env`](Self::from_env), reading variables through `lookup` (for a
    /// configuration source other than the process environment).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, IdvError> {
        let get = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let sdk_id = get(env::SDK_ID).ok_or_else(|| {
            IdvError::configuration(format!(
                "the environment variable {} is not set",
                env::SDK_ID
            ))
        })?;
        let mut builder = Self::new().sdk_id(sdk_id.trim());
        builder = if let Some(path) = get(env::KEY_FILE_PATH) {
            builder.key_file(path)
        } else if let Some(pem) = get(env::KEY_PEM) {
            builder.key_pem(pem.into_bytes())
        } else {
            return Err(IdvError::configuration(format!(
                "neither {} nor {} is set",
                env::KEY_FILE_PATH,
                env::KEY_PEM
            )));
        };
        if let Some(url) = get(env::BASE_URL).or_else(|| get(env::BASE_URL_FALLBACK)) {
            builder = builder.base_url(&url);
        }
        Ok(builder)
    }

    /// The application's SDK id (sent as `sdkId`).
    pub fn sdk_id(mut self, sdk_id: impl Into<String>) -> Self {
        self.sdk_id = Some(sdk_id.into());
        self
    }

    /// The RSA private key as PEM (PKCS#1 or PKCS#8). Parsed once, by [`build`](Self::build).
    pub fn key_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.key = Some(KeySource::Pem(Zeroizing::new(pem.into())));
        self
    }

    /// The path of the RSA private key PEM file. Read and parsed once, by
    /// [`build`](Self::build).
    pub fn key_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.key = Some(KeySource::File(path.into()));
        self
    }

    /// Any [`Signer`]: a KMS or HSM that never releases the key, or a prepared
    /// [`RsaSigner`](idv_sign::RsaSigner).
    pub fn signer(mut self, signer: Arc<dyn Signer>) -> Self {
        self.key = Some(KeySource::Signer(signer));
        self
    }

    /// The API base URL (default [`PRODUCTION_BASE_URL`]). Trailing slashes are removed and
    /// repeated slashes collapsed; it must be `https` or `http` with a host, and have no query or
    /// fragment. (The built-in transport allows plain `http` only for loopback hosts.)
    pub fn base_url(mut self, url: &str) -> Self {
        self.base_url = Some(url.to_owned());
        self
    }

    /// Use this transport instead of the built-in one (another HTTP stack, a mock…).
    pub fn transport(mut self, transport: Arc<dyn Transport>) -> Self {
        self.transport = Some(transport);
        self
    }

    /// The connect timeout of the built-in transport (default [`DEFAULT_CONNECT_TIMEOUT`]).
    /// Every timeout longer than [`MAX_TIMEOUT`] is shortened to it.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout.min(MAX_TIMEOUT);
        self
    }

    /// The timeout of one attempt, from sending the request to receiving the whole response
    /// (for streamed responses: to receiving the head). Default [`DEFAULT_REQUEST_TIMEOUT`].
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout.min(MAX_TIMEOUT);
        self
    }

    /// The longest wait for progress while reading a response, enforced by the transport
    /// (given to it in every request's options). Default [`DEFAULT_READ_TIMEOUT`].
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = timeout.min(MAX_TIMEOUT);
        self
    }

    /// The timeout of one call, all its attempts and backoff included. Default
    /// [`DEFAULT_OVERALL_TIMEOUT`].
    pub fn overall_timeout(mut self, timeout: Duration) -> Self {
        self.overall_timeout = timeout.min(MAX_TIMEOUT);
        self
    }

    /// The timeout of one media call (`get_media`, `get_media_stream`, `download_media*`): the
    /// whole body, restarts included, so that a server trickling bytes cannot keep a download
    /// alive forever. Default [`DEFAULT_DOWNLOAD_TIMEOUT`].
    pub fn download_timeout(mut self, timeout: Duration) -> Self {
        self.download_timeout = timeout.min(MAX_TIMEOUT);
        self
    }

    /// The retry policy (default [`RetryPolicy::default`]; [`RetryPolicy::never`] disables
    /// retries).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// How requests are authenticated: signed (the default) or with bearer tokens
    /// ([`Authentication::bearer`]: one signature per token instead of one per request).
    pub fn authentication(mut self, authentication: impl Into<Authentication>) -> Self {
        self.authentication = authentication.into();
        self
    }

    /// Also trust this CA certificate (PEM) in the built-in transport, for a private or local
    /// test server such as the sandbox over TLS. Can be called several times.
    pub fn add_root_certificate_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.root_certificates.push(pem.into());
        self
    }

    /// Text appended to the `User-Agent` header (`idv-rs/<version> <suffix>`), to identify your
    /// application.
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent_suffix = Some(suffix.into());
        self
    }

    /// The largest JSON response accepted (default [`DEFAULT_MAX_JSON_BYTES`]).
    pub fn max_json_bytes(mut self, limit: u64) -> Self {
        self.max_json_bytes = limit;
        self
    }

    /// The largest media content accepted (default [`DEFAULT_MAX_MEDIA_BYTES`]).
    pub fn max_media_bytes(mut self, limit: u64) -> Self {
        self.max_media_bytes = limit;
        self
    }

    /// The most requests in flight at once through this client and its clones (default
    /// [`DEFAULT_MAX_IN_FLIGHT`]); further calls wait for a free slot (within their overall
    /// timeout). This bounds the number of connections opened: 1,000 concurrent calls share at
    /// most this many connections. The built-in transport keeps this many idle connections.
    pub fn max_in_flight(mut self, limit: usize) -> Self {
        self.max_in_flight = limit;
        self
    }

    /// Checks the configuration, parses the key, and builds the client.
    ///
    /// Errors are of kind [`Configuration`](crate::ErrorKind::Configuration): a missing SDK id
    /// or key, a key that cannot be parsed, a bad base URL, bad certificates, zero timeouts.
    pub fn build(self) -> Result<IdvClient, IdvError> {
        let sdk_id = self
            .sdk_id
            .filter(|s| !s.is_empty())
            .ok_or_else(|| IdvError::configuration("the SDK id is not set"))?;
        if sdk_id.chars().any(|c| c.is_whitespace() || c.is_control()) || sdk_id.len() > 256 {
            return Err(IdvError::configuration("the SDK id is malformed"));
        }
        let base = BaseUrl::parse(self.base_url.as_deref().unwrap_or(PRODUCTION_BASE_URL))?;
        for (name, t) in [
            ("connect", self.connect_timeout),
            ("request", self.request_timeout),
            ("read", self.read_timeout),
            ("overall", self.overall_timeout),
            ("download", self.download_timeout),
        ] {
            if t.is_zero() {
                return Err(IdvError::configuration(format!(
                    "the {name} timeout must not be zero"
                )));
            }
        }
        if self.max_in_flight == 0 || self.max_in_flight > tokio::sync::Semaphore::MAX_PERMITS {
            return Err(IdvError::configuration(format!(
                "max_in_flight must be between 1 and {}",
                tokio::sync::Semaphore::MAX_PERMITS
            )));
        }
        let signer: Arc<dyn Signer> = match self.key {
            None => return Err(IdvError::configuration("no key or signer is set")),
            Some(KeySource::Signer(s)) => s,
            Some(KeySource::Pem(pem)) => {
                let key = PrivateKey::from_pem(&pem).map_err(|e| {
                    IdvError::configuration("the private key could not be parsed").with_source(e)
                })?;
                crate::auth::default_signer(key)?
            }
            Some(KeySource::File(path)) => {
                let key = PrivateKey::from_pem_file(&path).map_err(|e| {
                    IdvError::configuration(format!(
                        "the private key file {} could not be loaded",
                        path.display()
                    ))
                    .with_source(e)
                })?;
                crate::auth::default_signer(key)?
            }
        };
        let auth = RequestAuth::new(sdk_id, signer, &self.authentication)?;
        let mut user_agent = format!("idv-rs/{}", env!("CARGO_PKG_VERSION"));
        if let Some(suffix) = self.user_agent_suffix.as_deref().map(str::trim)
            && !suffix.is_empty()
        {
            user_agent.push(' ');
            user_agent.push_str(suffix);
        }
        let user_agent = HeaderValue::from_str(&user_agent).map_err(|_| {
            IdvError::configuration("the user agent suffix is not a valid header value")
        })?;
        let transport = match self.transport {
            Some(t) => {
                if !self.root_certificates.is_empty() {
                    return Err(IdvError::configuration(
                        "root certificates apply to the built-in transport only; \
                         configure them on your own transport",
                    ));
                }
                t
            }
            None => default_transport(
                self.connect_timeout,
                self.max_in_flight,
                &self.root_certificates,
            )?,
        };
        Ok(IdvClient::from_inner(ClientInner {
            base,
            auth,
            transport,
            request_timeout: self.request_timeout,
            read_timeout: self.read_timeout,
            overall_timeout: self.overall_timeout,
            download_timeout: self.download_timeout,
            retry: self.retry,
            user_agent,
            max_json_bytes: self.max_json_bytes,
            max_media_bytes: self.max_media_bytes,
            limiter: Arc::new(tokio::sync::Semaphore::new(self.max_in_flight)),
        }))
    }
}

#[cfg(feature = "hyper")]
fn default_transport(
    connect_timeout: Duration,
    max_in_flight: usize,
    root_certificates: &[Vec<u8>],
) -> Result<Arc<dyn Transport>, IdvError> {
    let mut builder = idv_transport::HyperTransport::builder()
        .connect_timeout(connect_timeout)
        .pool_max_idle_per_host(max_in_flight);
    for pem in root_certificates {
        builder = builder.add_root_certificate_pem(pem);
    }
    let transport = builder.build().map_err(|e| {
        IdvError::configuration("the HTTP transport could not be built").with_source(e)
    })?;
    Ok(Arc::new(transport))
}

#[cfg(not(feature = "hyper"))]
fn default_transport(
    _connect_timeout: Duration,
    _max_in_flight: usize,
    _root_certificates: &[Vec<u8>],
) -> Result<Arc<dyn Transport>, IdvError> {
    Err(IdvError::configuration(
        "no transport: enable the `hyper` feature or set one with IdvClientBuilder::transport",
    ))
}

impl IdvClient {
    /// A builder (see [`IdvClientBuilder`]).
    pub fn builder() -> IdvClientBuilder {
        IdvClientBuilder::new()
    }

    /// A client configured from the environment with every other setting at its default; see
    /// [`IdvClientBuilder::from_env`] for the variables.
    pub fn from_env() -> Result<IdvClient, IdvError> {
        IdvClientBuilder::from_env()?.build()
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::ErrorKind;

    fn lookup<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn from_env_reads_the_variables() {
        let b = IdvClientBuilder::from_lookup(lookup(&[
            ("YOTI_CLIENT_SDK_ID", " sdk-1 "),
            ("YOTI_KEY_FILE_PATH", "/keys/app.pem"),
            ("YOTI_KEY_PEM", "ignored when a path is set"),
            ("YOTI_IDV_API_URL", "https://idv.example/v1/"),
            ("YOTI_DOC_SCAN_API_URL", "https://other.example/v1"),
        ]))
        .unwrap();
        assert_eq!(b.sdk_id.as_deref(), Some("sdk-1"));
        assert!(matches!(&b.key, Some(KeySource::File(p)) if p == Path::new("/keys/app.pem")));
        assert_eq!(b.base_url.as_deref(), Some("https://idv.example/v1/"));

        // The other SDKs' variable is the fallback; YOTI_KEY_PEM when there is no path.
        let b = IdvClientBuilder::from_lookup(lookup(&[
            ("YOTI_CLIENT_SDK_ID", "sdk-1"),
            ("YOTI_KEY_FILE_PATH", ""),
            ("YOTI_KEY_PEM", "-----BEGIN PRIVATE KEY-----"),
            ("YOTI_DOC_SCAN_API_URL", "https://other.example/v1"),
        ]))
        .unwrap();
        assert!(matches!(&b.key, Some(KeySource::Pem(p)) if p.starts_with(b"-----BEGIN")));
        assert_eq!(b.base_url.as_deref(), Some("https://other.example/v1"));

        // Without a URL variable: the default (production).
        let b = IdvClientBuilder::from_lookup(lookup(&[
            ("YOTI_CLIENT_SDK_ID", "sdk-1"),
            ("YOTI_KEY_PEM", "pem"),
        ]))
        .unwrap();
        assert_eq!(b.base_url, None);
    }

    #[test]
    fn from_env_names_what_is_missing() {
        let e = IdvClientBuilder::from_lookup(lookup(&[("YOTI_KEY_PEM", "pem")])).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Configuration);
        assert!(e.to_string().contains("YOTI_CLIENT_SDK_ID"), "{e}");
        let e = IdvClientBuilder::from_lookup(lookup(&[("YOTI_CLIENT_SDK_ID", "x")])).unwrap_err();
        assert!(e.to_string().contains("YOTI_KEY_FILE_PATH"), "{e}");
        // The PEM never appears in the builder's Debug.
        let b = IdvClientBuilder::from_lookup(lookup(&[
            ("YOTI_CLIENT_SDK_ID", "x"),
            ("YOTI_KEY_PEM", "SECRET-PEM"),
        ]))
        .unwrap();
        assert!(!format!("{b:?}").contains("SECRET-PEM"));
    }
}
