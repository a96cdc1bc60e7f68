//! [`IdvClient`]: the handle every call goes through, and the settings it shares with its clones.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use http::HeaderValue;
use idv_transport::Transport;
use tokio::sync::Semaphore;
use tokio::time::Instant;

use crate::auth::RequestAuth;
use crate::base_url::BaseUrl;
use crate::engine::deadline_in;
use crate::retry::RetryPolicy;

/// A client of the Yoti IDV API.
///
/// Build one with [`IdvClient::builder`] or [`IdvClient::from_env`]. It is cheap to clone (an
/// [`Arc`] inside) and safe to share across tasks: clones share the parsed key, the transport's
/// connection pool and the in-flight limit.
///
/// Every call takes typed ids (or strings, validated before anything is signed), signs every
/// attempt afresh (new nonce and timestamp), retries under the one [`RetryPolicy`], and is
/// bounded by the request (per attempt) and overall (per call) timeouts. Any endpoint can be
/// called with [`request`](Self::request) through the same engine.
#[derive(Clone)]
pub struct IdvClient {
    inner: Arc<ClientInner>,
}

/// The settings and shared state of a client and its clones.
pub(crate) struct ClientInner {
    pub(crate) base: BaseUrl,
    pub(crate) auth: RequestAuth,
    pub(crate) transport: Arc<dyn Transport>,
    /// Per attempt: from sending to the whole buffered response (or a streamed head).
    pub(crate) request_timeout: Duration,
    /// Without progress while reading a response: enforced by the transport.
    pub(crate) read_timeout: Duration,
    /// Per call, retries included.
    pub(crate) overall_timeout: Duration,
    /// Per media call, body and restarts included.
    pub(crate) download_timeout: Duration,
    pub(crate) retry: RetryPolicy,
    pub(crate) user_agent: HeaderValue,
    pub(crate) max_json_bytes: u64,
    pub(crate) max_media_bytes: u64,
    pub(crate) limiter: Arc<Semaphore>,
}

impl ClientInner {
    /// The settings a bearer-token fetch runs under.
    pub(crate) fn fetch_settings(&self) -> crate::bearer::FetchSettings<'_> {
        crate::bearer::FetchSettings {
            transport: self.transport.as_ref(),
            retry: &self.retry,
            request_timeout: self.request_timeout,
            read_timeout: self.read_timeout,
            overall_timeout: self.overall_timeout,
            user_agent: &self.user_agent,
        }
    }

    /// The overall deadline of a call starting now.
    pub(crate) fn deadline(&self) -> Instant {
        deadline_in(self.overall_timeout)
    }
}

impl fmt::Debug for IdvClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &*self.inner;
        f.debug_struct("IdvClient")
            .field("base_url", &i.base.as_str())
            .field("sdk_id", &i.auth.sdk_id())
            .field("transport", &i.transport)
            .field("request_timeout", &i.request_timeout)
            .field("read_timeout", &i.read_timeout)
            .field("overall_timeout", &i.overall_timeout)
            .field("download_timeout", &i.download_timeout)
            .field("retry", &i.retry)
            .finish_non_exhaustive()
    }
}

impl IdvClient {
    pub(crate) fn from_inner(inner: ClientInner) -> Self {
        Self {
            inner: Arc::new(inner),
        }
    }

    pub(crate) fn inner(&self) -> &ClientInner {
        &self.inner
    }

    /// The normalised base URL requests go to (no trailing slash).
    pub fn base_url(&self) -> &BaseUrl {
        &self.inner.base
    }

    /// The SDK id requests are signed for.
    pub fn sdk_id(&self) -> &str {
        self.inner.auth.sdk_id()
    }

    /// The retry policy every call follows.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }
}
