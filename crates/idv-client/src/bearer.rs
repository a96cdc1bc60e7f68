//! Bearer-token authentication: one signed client assertion (a PS384 JWT) buys an access token
//! that authenticates every request until it expires.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderValue, Method, Request, StatusCode, header};
use idv_sign::{
    CLIENT_ASSERTION_TYPE_JWT_BEARER, ClientAssertion, GRANT_TYPE_CLIENT_CREDENTIALS, Signer,
    SystemClock,
};
use idv_transport::{SendOptions, Transport};
use serde::Deserialize;
use tokio::sync::Mutex;
use tokio::time::Instant;
use zeroize::Zeroizing;

use crate::engine::deadline_in;
use crate::error::{ErrorKind, IdvError};
use crate::retry::{Failure, RetryPolicy};

/// Yoti's OAuth token endpoint (the default for [`Authentication::bearer`]).
pub const DEFAULT_AUTH_URL: &str = "https://auth.api.yoti.com/v1/oauth/token";

/// A token is refreshed when it has less than this left, so no request carries one that expires
/// on the way.
const REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// The largest token response read.
const MAX_TOKEN_RESPONSE_BYTES: u64 = 64 * 1024;

/// How the client authenticates its requests.
///
/// ```
/// use idv_client::Authentication;
///
/// let signed = Authentication::Signed; // the default: every request signed
/// let bearer = Authentication::bearer()
///     .token_url("https://auth.api.yoti.com/v1/oauth/token")
///     .scope("idv:sessions");
/// # let _ = (signed, bearer);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Authentication {
    /// Every request signed with the application's key (`sdkId`, `nonce`, `timestamp` and the
    /// `X-Yoti-Auth-Digest` header): one RSA signature per request.
    #[default]
    Signed,
    /// `Authorization: Bearer <access token>`, the token obtained with one signed client
    /// assertion and reused until it nearly expires: one signature per token.
    Bearer(BearerConfig),
}

impl Authentication {
    /// Bearer tokens from the endpoint in the `YOTI_AUTH_URL` environment variable
    /// ([`env::AUTH_URL`](crate::env::AUTH_URL)) when it is set, else [`DEFAULT_AUTH_URL`];
    /// no scopes. Change either with the [`BearerConfig`] methods.
    pub fn bearer() -> BearerConfig {
        match std::env::var(crate::env::AUTH_URL) {
            Ok(url) if !url.trim().is_empty() => BearerConfig::default().token_url(url.trim()),
            _ => BearerConfig::default(),
        }
    }
}

/// The settings of bearer-token authentication.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BearerConfig {
    pub(crate) token_url: String,
    pub(crate) scopes: Vec<String>,
}

impl Default for BearerConfig {
    fn default() -> Self {
        Self {
            token_url: DEFAULT_AUTH_URL.to_owned(),
            scopes: Vec::new(),
        }
    }
}

impl BearerConfig {
    /// The OAuth token endpoint (an absolute `https` URL, or `http` to loopback).
    #[must_use]
    pub fn token_url(mut self, url: impl Into<String>) -> Self {
        self.token_url = url.into();
        self
    }

    /// Adds a scope to request (sent space-separated).
    #[must_use]
    pub fn scope(mut self, scope: impl Into<String>) -> Self {
        self.scopes.push(scope.into());
        self
    }
}

impl From<BearerConfig> for Authentication {
    fn from(config: BearerConfig) -> Self {
        Self::Bearer(config)
    }
}

/// An access token and when to stop using it.
#[derive(Clone)]
pub(crate) struct AccessToken {
    value: Arc<Zeroizing<String>>,
    header: HeaderValue,
    refresh_at: Instant,
}

impl AccessToken {
    pub(crate) fn header(&self) -> HeaderValue {
        self.header.clone()
    }

    fn same_as(&self, other: &AccessToken) -> bool {
        Arc::ptr_eq(&self.value, &other.value)
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessToken([redacted])")
    }
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    #[serde(default)]
    token_type: Option<String>,
    expires_in: u64,
}

/// Fetches, caches and refreshes access tokens: one fetch at a time, shared by every caller.
pub(crate) struct TokenSource {
    sdk_id: String,
    token_url: http::Uri,
    scopes: String,
    signer: Arc<dyn Signer>,
    current: Mutex<Option<AccessToken>>,
}

impl fmt::Debug for TokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenSource")
            .field("token_url", &self.token_url.to_string())
            .field("scopes", &self.scopes)
            .finish_non_exhaustive()
    }
}

/// The settings a token fetch runs under (the client's).
pub(crate) struct FetchSettings<'a> {
    pub(crate) transport: &'a dyn Transport,
    pub(crate) retry: &'a RetryPolicy,
    pub(crate) request_timeout: Duration,
    pub(crate) read_timeout: Duration,
    pub(crate) overall_timeout: Duration,
    pub(crate) user_agent: &'a HeaderValue,
}

impl TokenSource {
    pub(crate) fn new(
        sdk_id: String,
        config: &BearerConfig,
        signer: Arc<dyn Signer>,
    ) -> Result<Self, IdvError> {
        let bad = |why: &str| IdvError::configuration(format!("invalid token URL: {why}"));
        let token_url: http::Uri = config
            .token_url
            .trim()
            .parse()
            .map_err(|_| bad("it is not a URL"))?;
        match token_url.scheme_str() {
            Some("https") => {}
            Some("http")
                if token_url
                    .host()
                    .is_some_and(idv_transport::is_loopback_host) => {}
            Some("http") => return Err(bad("plain http is allowed only to a loopback address")),
            _ => return Err(bad("it must be an absolute https URL")),
        }
        if token_url.host().is_none_or(str::is_empty) {
            return Err(bad("it has no host"));
        }
        Ok(Self {
            sdk_id,
            token_url,
            scopes: config.scopes.join(" "),
            signer,
            current: Mutex::new(None),
        })
    }

    /// A token good for at least [`REFRESH_MARGIN`] more: the cached one, or a fresh one. While
    /// one caller fetches, the others wait for its token instead of fetching their own.
    pub(crate) async fn token(
        &self,
        settings: &FetchSettings<'_>,
    ) -> Result<AccessToken, IdvError> {
        let mut current = self.current.lock().await;
        if let Some(token) = current.as_ref()
            && Instant::now() < token.refresh_at
        {
            return Ok(token.clone());
        }
        let token = self.fetch(settings).await?;
        *current = Some(token.clone());
        Ok(token)
    }

    /// Forgets `used` if it is still the cached token (the API refused it), so the next call
    /// fetches a new one; a token already replaced by another caller's refresh is kept.
    pub(crate) async fn invalidate(&self, used: &AccessToken) {
        let mut current = self.current.lock().await;
        if current.as_ref().is_some_and(|t| t.same_as(used)) {
            *current = None;
        }
    }

    /// Signs a client assertion and exchanges it for a token, retrying transient failures
    /// (asking for a token twice is harmless).
    async fn fetch(&self, settings: &FetchSettings<'_>) -> Result<AccessToken, IdvError> {
        let mut budget =
            crate::engine::Budget::new(settings.retry, deadline_in(settings.overall_timeout));
        loop {
            let error = match self.fetch_once(settings, &mut budget).await {
                Ok(token) => return Ok(token),
                Err(e) => e.with_attempts(budget.made()),
            };
            let Some(delay) = budget.next_retry(settings.retry, &Method::POST, true, &error) else {
                return Err(error);
            };
            tokio::time::sleep(delay).await;
        }
    }

    async fn fetch_once(
        &self,
        settings: &FetchSettings<'_>,
        budget: &mut crate::engine::Budget,
    ) -> Result<AccessToken, IdvError> {
        budget.count_attempt();
        let audience = self.token_url.to_string();
        let assertion = ClientAssertion::new(&self.sdk_id, &audience)
            .sign(self.signer.as_ref(), &SystemClock)
            .await
            .map_err(|e| IdvError::new(ErrorKind::Signing, String::new()).with_source(e))?;
        let mut form = Zeroizing::new(String::new());
        for (i, (key, value)) in [
            ("grant_type", GRANT_TYPE_CLIENT_CREDENTIALS),
            ("client_assertion_type", CLIENT_ASSERTION_TYPE_JWT_BEARER),
            ("client_assertion", assertion.expose()),
            ("scope", self.scopes.as_str()),
        ]
        .into_iter()
        .enumerate()
        {
            if i > 0 {
                form.push('&');
            }
            form.push_str(key);
            form.push('=');
            idv_sign::percent_encode_into(&mut form, value);
        }
        let mut request = Request::new(Bytes::from(form.as_bytes().to_vec()));
        *request.method_mut() = Method::POST;
        *request.uri_mut() = self.token_url.clone();
        let headers = request.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/x-www-form-urlencoded"),
        );
        headers.insert(header::ACCEPT, HeaderValue::from_static("application/json"));
        headers.insert(header::USER_AGENT, settings.user_agent.clone());
        let options = SendOptions::default()
            .with_max_body_bytes(MAX_TOKEN_RESPONSE_BYTES)
            .with_read_timeout(settings.read_timeout);
        let attempt_deadline = deadline_in(settings.request_timeout).min(budget.deadline());
        let response = match tokio::time::timeout_at(
            attempt_deadline,
            settings.transport.send(request, &options),
        )
        .await
        {
            Ok(Ok(r)) => r,
            Ok(Err(e)) => return Err(IdvError::transport(e).with_request(&Method::POST, "(token)")),
            Err(_) => {
                return Err(IdvError::new(
                    ErrorKind::Timeout,
                    "no answer from the token endpoint within the request timeout",
                )
                .with_failure(Failure::INTERRUPTED)
                .with_request(&Method::POST, "(token)"));
            }
        };
        let status = response.status();
        if !status.is_success() {
            let retry_after = response
                .headers()
                .get(header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| crate::retry::parse_retry_after(v, std::time::SystemTime::now()));
            return Err(IdvError::api(status, retry_after, response.body())
                .with_request(&Method::POST, "(token)"));
        }
        let parsed: TokenResponse = serde_json::from_slice(response.body()).map_err(|e| {
            IdvError::new(
                ErrorKind::Decode,
                "the token endpoint's answer is not {access_token, expires_in}",
            )
            .with_request(&Method::POST, "(token)")
            .with_source(e)
        })?;
        if parsed
            .token_type
            .as_deref()
            .is_some_and(|t| !t.eq_ignore_ascii_case("bearer"))
        {
            return Err(IdvError::new(
                ErrorKind::UnexpectedResponse,
                "the token endpoint issued a token that is not a bearer token",
            ));
        }
        let value = Zeroizing::new(parsed.access_token);
        let mut header =
            HeaderValue::try_from(format!("Bearer {}", value.as_str())).map_err(|_| {
                IdvError::new(
                    ErrorKind::UnexpectedResponse,
                    "the access token is not a valid header value",
                )
            })?;
        header.set_sensitive(true);
        let lifetime = Duration::from_secs(parsed.expires_in);
        // Refresh a margin before expiry; a token shorter-lived than twice the margin is
        // refreshed at half its life.
        let early = REFRESH_MARGIN.min(lifetime / 2);
        Ok(AccessToken {
            value: Arc::new(value),
            header,
            refresh_at: deadline_in(lifetime - early),
        })
    }
}

/// Whether a `401` on a request that carried a bearer token should refresh the token once and
/// send the request again (the token may have been revoked or expired early).
pub(crate) fn is_token_refused(error: &IdvError) -> bool {
    error.status() == Some(StatusCode::UNAUTHORIZED)
}
