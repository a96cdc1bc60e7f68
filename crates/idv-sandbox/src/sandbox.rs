//! The builder and the running sandbox's handle.

use std::collections::{HashMap, HashSet};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use idv_sign::{Clock, PublicKey, SystemClock};
use tokio::net::{TcpListener, TcpSocket};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::accept::accept_loop;
use crate::error::SandboxError;
use crate::fault::{Fault, FaultQueues, Route};
use crate::limits::{Limits, clamp_header_read_timeout, clamp_max_connections};
use crate::live::store::LiveStore;
use crate::log::{RequestLog, RequestLogEntry};
use crate::nonces::NonceMemory;
use crate::notify::{NotificationEvents, NotificationLogEntry, NotificationSettings, Notifier};
use crate::server::{Shared, State, lock};
use crate::session::{Stage, StageMode, StoredSession};
use crate::tls::TlsSetup;

/// The default API base path, as on `https://api.yoti.com/idverify/v1`.
pub const DEFAULT_BASE_PATH: &str = "/idverify/v1";

/// The five stages of the in-branch session on Yoti's "Retrieve Results" product page
/// (created, after each of three documents, completed), embedded in the crate.
pub const PRODUCT_PAGE_STAGES: [&[u8]; 5] = [
    include_bytes!("../fixtures/sessions/product-page-1-created.json"),
    include_bytes!("../fixtures/sessions/product-page-2-first-document.json"),
    include_bytes!("../fixtures/sessions/product-page-3-second-document.json"),
    include_bytes!("../fixtures/sessions/product-page-4-third-document.json"),
    include_bytes!("../fixtures/sessions/product-page-5-completed.json"),
];

/// The `session_id` shared by the [`PRODUCT_PAGE_STAGES`].
pub const PRODUCT_PAGE_SESSION_ID: &str = "1c3cae90-1769-43a9-8554-d85f2e7cdb0f";

/// Entry point: [`Sandbox::builder`].
#[derive(Debug, Clone, Copy)]
pub struct Sandbox;

impl Sandbox {
    /// A builder with the defaults: `127.0.0.1:0`, base path `/idverify/v1`, plain HTTP, no
    /// apps, no sessions, one stage per retrieval, no timestamp window, and the limits of
    /// [`crate::limits`].
    pub fn builder() -> SandboxBuilder {
        SandboxBuilder::default()
    }

    /// A builder preloaded with the five [`PRODUCT_PAGE_STAGES`] (add an app to call it).
    pub fn product_page_demo() -> SandboxBuilder {
        Self::builder().session_stages(PRODUCT_PAGE_STAGES.iter().map(|s| Bytes::from_static(s)))
    }
}

enum AppKey {
    Key(PublicKey),
    Pem(String),
}

enum StageSource {
    Bytes { bytes: Bytes, origin: String },
    File(PathBuf),
}

/// Configures and starts a sandbox. Errors in what is given (unreadable files, bad keys,
/// invalid sessions) are reported by [`SandboxBuilder::start`].
#[must_use]
pub struct SandboxBuilder {
    addr: SocketAddr,
    base_path: String,
    tls: Option<TlsSetup>,
    apps: Vec<(String, AppKey)>,
    stages: Vec<StageSource>,
    media_dir: Option<PathBuf>,
    no_content: HashSet<String>,
    stage_mode: StageMode,
    timestamp_skew: Option<Duration>,
    clock: Arc<dyn Clock>,
    limits: Limits,
    faults: Vec<(Route, Vec<Fault>)>,
    notifications: NotificationSettings,
    bearer_token_lifetime: Duration,
}

impl Default for SandboxBuilder {
    fn default() -> Self {
        Self {
            addr: SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 0),
            base_path: DEFAULT_BASE_PATH.to_owned(),
            tls: None,
            apps: Vec::new(),
            stages: Vec::new(),
            media_dir: None,
            no_content: HashSet::new(),
            stage_mode: StageMode::PerRetrieval,
            timestamp_skew: None,
            clock: Arc::new(SystemClock),
            limits: Limits::default(),
            faults: Vec::new(),
            notifications: NotificationSettings::default(),
            bearer_token_lifetime: crate::limits::DEFAULT_BEARER_TOKEN_LIFETIME,
        }
    }
}

impl std::fmt::Debug for SandboxBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SandboxBuilder")
            .field("addr", &self.addr)
            .field("base_path", &self.base_path)
            .field("tls", &self.tls)
            .field(
                "apps",
                &self.apps.iter().map(|(id, _)| id).collect::<Vec<_>>(),
            )
            .field("stages", &self.stages.len())
            .field("media_dir", &self.media_dir)
            .field("stage_mode", &self.stage_mode)
            .field("timestamp_skew", &self.timestamp_skew)
            .field("clock", &self.clock)
            .field("limits", &self.limits)
            .field("notifications", &self.notifications.deadline)
            .field("bearer_token_lifetime", &self.bearer_token_lifetime)
            .finish_non_exhaustive()
    }
}

/// `duration` clamped to what notification deadlines are computed from.
fn clamp_notification_duration(duration: Duration) -> Duration {
    let (min, max) = crate::limits::NOTIFICATION_DURATION_RANGE;
    duration.clamp(min, max)
}

impl SandboxBuilder {
    /// The address to listen on (default `127.0.0.1:0`: a free port on loopback).
    pub fn addr(mut self, addr: SocketAddr) -> Self {
        self.addr = addr;
        self
    }

    /// The API base path (default `/idverify/v1`); `""` or `/` serves at the root. A
    /// missing leading `/` is added and trailing `/`s are removed.
    pub fn base_path(mut self, base_path: impl AsRef<str>) -> Self {
        let trimmed = base_path.as_ref().trim().trim_end_matches('/');
        self.base_path = if trimmed.is_empty() || trimmed.starts_with('/') {
            trimmed.to_owned()
        } else {
            format!("/{trimmed}")
        };
        self
    }

    /// Serves HTTPS with a freshly generated certificate for `localhost`, `127.0.0.1` and
    /// `::1`, issued by a throwaway CA whose PEM is [`SandboxHandle::ca_pem`].
    pub fn tls(mut self) -> Self {
        self.tls = Some(TlsSetup::Generate);
        self
    }

    /// Serves HTTPS with the given certificate chain and private key (PEM).
    pub fn tls_with(
        mut self,
        cert_chain_pem: impl Into<String>,
        key_pem: impl Into<String>,
    ) -> Self {
        self.tls = Some(TlsSetup::Given {
            cert_chain_pem: cert_chain_pem.into(),
            key_pem: key_pem.into(),
        });
        self
    }

    /// Registers an application: requests with this `sdkId` must be signed by the matching
    /// private key.
    pub fn app(mut self, sdk_id: impl Into<String>, public_key: PublicKey) -> Self {
        self.apps.push((sdk_id.into(), AppKey::Key(public_key)));
        self
    }

    /// Registers an application by its public key in PEM (SPKI, PKCS#1 or a certificate).
    pub fn app_pem(mut self, sdk_id: impl Into<String>, public_key_pem: impl Into<String>) -> Self {
        self.apps
            .push((sdk_id.into(), AppKey::Pem(public_key_pem.into())));
        self
    }

    /// Registers an application from [`generate_app_keys`](crate::generate_app_keys).
    pub fn app_keys(self, keys: &crate::AppKeys) -> Self {
        let sdk_id = keys.sdk_id.clone();
        self.app_pem(sdk_id, keys.public_key_pem.clone())
    }

    /// Adds session stages, each the exact bytes of a `GET /sessions/{id}` response. Stages
    /// with the same `session_id` form one session, in the order given (across calls).
    pub fn session_stages<I, B>(mut self, stages: I) -> Self
    where
        I: IntoIterator<Item = B>,
        B: Into<Bytes>,
    {
        for bytes in stages {
            let origin = format!("stage {}", self.stages.len() + 1);
            self.stages.push(StageSource::Bytes {
                bytes: bytes.into(),
                origin,
            });
        }
        self
    }

    /// Adds one stage read from a JSON file (at [`start`](Self::start)).
    pub fn session_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.stages.push(StageSource::File(path.into()));
        self
    }

    /// Adds one stage given as a JSON value (serialised once; that text is what is served).
    pub fn session_value(self, value: &serde_json::Value) -> Self {
        let bytes = serde_json::to_vec(value).unwrap_or_default();
        self.session_stages([bytes])
    }

    /// Serves media content from files in `dir` named by media id, with or without an
    /// extension (which sets the `Content-Type`). Media without a file are synthesised.
    pub fn media_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.media_dir = Some(dir.into());
        self
    }

    /// Answers `204 No Content` for this media id.
    pub fn no_content(mut self, media_id: impl Into<String>) -> Self {
        self.no_content.insert(media_id.into());
        self
    }

    /// Advances stages by time instead of per retrieval: stage `n` (0-based) is served from
    /// `n × interval` after the session's first `GET`, staying on the last.
    pub fn stage_interval(mut self, interval: Duration) -> Self {
        self.stage_mode = StageMode::Interval(interval);
        self
    }

    /// Rejects requests whose `timestamp` (epoch milliseconds) is more than `window` away
    /// from the sandbox's clock, and lets nonces be forgotten: a nonce is remembered until its
    /// request's timestamp has left the window, after which the timestamp check alone refuses
    /// a replay (the timestamp is signed). The clock is taken as never going back (the highest
    /// reading seen is used). Off by default: the official Java SDK sends no wall-clock time,
    /// and then every nonce is remembered, up to [`max_nonces`](Self::max_nonces).
    pub fn timestamp_skew(mut self, window: Duration) -> Self {
        self.timestamp_skew = Some(window);
        self
    }

    /// The clock the timestamp window is measured against (default: the system clock), and
    /// the clock of created sessions' lifetimes and delayed results, of bearer tokens' expiry
    /// and client assertions' validity, and of when delayed notifications are due. Tests
    /// inject one to move time without waiting.
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// How many requests the log keeps (default
    /// [`DEFAULT_REQUEST_LOG_CAPACITY`](crate::limits::DEFAULT_REQUEST_LOG_CAPACITY)): the
    /// oldest entries are dropped first; `0` keeps none. Entries are bounded in size too
    /// (see [`RequestLogEntry`]).
    pub fn request_log_capacity(mut self, capacity: usize) -> Self {
        self.limits.request_log_capacity = capacity;
        self
    }

    /// How many nonces are remembered for replay protection, at most (default
    /// [`DEFAULT_MAX_NONCES`](crate::limits::DEFAULT_MAX_NONCES); at least 1). A request
    /// with a fresh nonce that finds the memory full of nonces that cannot be forgotten yet
    /// (see [`timestamp_skew`](Self::timestamp_skew)) is refused with 503 `NONCE_STORE_FULL`
    /// and, with a window, a `Retry-After` saying when room is made. Each nonce costs a fixed
    /// amount of memory (a 128-bit hash), whatever its length.
    pub fn max_nonces(mut self, max: usize) -> Self {
        self.limits.max_nonces = max.max(1);
        self
    }

    /// How long a client has to send a request's headers, and to start the next request on
    /// a kept-alive connection, before the connection is closed; also the TLS handshake's
    /// limit (default
    /// [`DEFAULT_HEADER_READ_TIMEOUT`](crate::limits::DEFAULT_HEADER_READ_TIMEOUT); clamped
    /// to 1 ms – 24 h).
    pub fn header_read_timeout(mut self, timeout: Duration) -> Self {
        self.limits.header_read_timeout = clamp_header_read_timeout(timeout);
        self
    }

    /// How many connections are served at once (default
    /// [`DEFAULT_MAX_CONNECTIONS`](crate::limits::DEFAULT_MAX_CONNECTIONS); at least 1).
    /// Further connections are not accepted until one ends: they wait in the listening
    /// socket's backlog, their requests unread.
    pub fn max_connections(mut self, max: usize) -> Self {
        self.limits.max_connections = clamp_max_connections(max);
        self
    }

    /// How many sessions created with `POST /sessions` are kept (default
    /// [`DEFAULT_MAX_CREATED_SESSIONS`](crate::limits::DEFAULT_MAX_CREATED_SESSIONS); at least
    /// 1). At the cap, creating one more evicts the oldest finished (`COMPLETED` or
    /// `EXPIRED`) created session, or is refused with 503 `SESSION_STORE_FULL` when every
    /// one is in progress.
    pub fn max_created_sessions(mut self, max: usize) -> Self {
        self.limits.max_created_sessions = max.max(1);
        self
    }

    /// How many bytes of media uploaded through the user side (and user-supplied document
    /// fields) are kept across all created sessions (default
    /// [`DEFAULT_MAX_UPLOAD_BYTES`](crate::limits::DEFAULT_MAX_UPLOAD_BYTES)). An upload that
    /// does not fit evicts the oldest finished created sessions, or is refused with 507
    /// `MEDIA_STORE_FULL`.
    pub fn max_upload_bytes(mut self, max: usize) -> Self {
        self.limits.max_upload_bytes = max;
        self
    }

    /// How failed notification deliveries are spaced: `initial` after the first failed
    /// attempt, doubling per attempt, at most `max` (defaults
    /// [`DEFAULT_NOTIFICATION_INITIAL_BACKOFF`](crate::limits::DEFAULT_NOTIFICATION_INITIAL_BACKOFF)
    /// and
    /// [`DEFAULT_NOTIFICATION_MAX_BACKOFF`](crate::limits::DEFAULT_NOTIFICATION_MAX_BACKOFF);
    /// each clamped to 1 ms – 24 h). Tests set a few milliseconds.
    pub fn notification_backoff(mut self, initial: Duration, max: Duration) -> Self {
        let initial = clamp_notification_duration(initial);
        self.notifications.initial_backoff = initial;
        self.notifications.max_backoff = clamp_notification_duration(max).max(initial);
        self
    }

    /// How long a notification is retried, from when it was due, before it is abandoned
    /// (default
    /// [`DEFAULT_NOTIFICATION_DEADLINE`](crate::limits::DEFAULT_NOTIFICATION_DEADLINE);
    /// clamped to 1 ms – 24 h). An attempt is always made; no new one starts once the backoff
    /// before it would end past the deadline.
    pub fn notification_deadline(mut self, deadline: Duration) -> Self {
        self.notifications.deadline = clamp_notification_duration(deadline);
        self
    }

    /// How long one delivery attempt may take, connecting and TLS included (default
    /// [`DEFAULT_NOTIFICATION_ATTEMPT_TIMEOUT`](crate::limits::DEFAULT_NOTIFICATION_ATTEMPT_TIMEOUT);
    /// clamped to 1 ms – 24 h).
    pub fn notification_attempt_timeout(mut self, timeout: Duration) -> Self {
        self.notifications.attempt_timeout = clamp_notification_duration(timeout);
        self
    }

    /// How many delivery attempts the notification log keeps (default
    /// [`DEFAULT_NOTIFICATION_LOG_CAPACITY`](crate::limits::DEFAULT_NOTIFICATION_LOG_CAPACITY));
    /// the oldest are dropped first.
    pub fn notification_log_capacity(mut self, capacity: usize) -> Self {
        self.notifications.log_capacity = capacity;
        self
    }

    /// Trusts the certificates of this PEM, besides the web's public roots, for `https`
    /// notification endpoints (a local receiver with its own CA).
    pub fn notification_ca_pem(mut self, pem: impl Into<String>) -> Self {
        self.notifications.extra_ca_pem = Some(pem.into());
        self
    }

    /// The lifetime of the bearer tokens the token endpoint issues, its `expires_in` (default
    /// [`DEFAULT_BEARER_TOKEN_LIFETIME`](crate::limits::DEFAULT_BEARER_TOKEN_LIFETIME)), in
    /// whole seconds, at least 1 (rounded up). Tokens expire on the sandbox's
    /// [`clock`](Self::clock). Tests set a short one to watch a client refresh.
    pub fn bearer_token_lifetime(mut self, lifetime: Duration) -> Self {
        let secs = lifetime
            .as_secs()
            .saturating_add(u64::from(lifetime.subsec_nanos() > 0));
        self.bearer_token_lifetime = Duration::from_secs(secs.max(1));
        self
    }

    /// Queues faults for a route (see [`Fault`] for how they are consumed).
    pub fn fault(mut self, route: Route, faults: impl IntoIterator<Item = Fault>) -> Self {
        self.faults.push((route, faults.into_iter().collect()));
        self
    }

    /// Loads everything, binds the address and starts serving in the background.
    ///
    /// # Errors
    /// [`SandboxError`] for an unreadable or invalid session, mixed session ids, a bad key,
    /// a TLS setup failure, or an address that cannot be bound.
    pub async fn start(self) -> Result<SandboxHandle, SandboxError> {
        let mut apps = HashMap::new();
        for (sdk_id, key) in self.apps {
            let key = match key {
                AppKey::Key(key) => key,
                AppKey::Pem(pem) => PublicKey::from_pem(pem.as_bytes()).map_err(|e| {
                    SandboxError::InvalidAppKey {
                        sdk_id: sdk_id.clone(),
                        reason: e.to_string(),
                    }
                })?,
            };
            apps.insert(sdk_id, key);
        }

        let mut grouped: Vec<(String, Vec<Arc<Stage>>)> = Vec::new();
        for source in self.stages {
            let (bytes, origin) = match source {
                StageSource::Bytes { bytes, origin } => (bytes, origin),
                StageSource::File(path) => {
                    let bytes =
                        tokio::fs::read(&path)
                            .await
                            .map_err(|source| SandboxError::Io {
                                path: path.clone(),
                                source,
                            })?;
                    (Bytes::from(bytes), path.display().to_string())
                }
            };
            let stage = Arc::new(Stage::parse(bytes, &origin)?);
            match grouped.iter_mut().find(|(id, _)| *id == stage.session_id) {
                Some((_, stages)) => stages.push(stage),
                None => grouped.push((stage.session_id.clone(), vec![stage])),
            }
        }
        let sessions = grouped
            .into_iter()
            .map(|(id, stages)| (id, StoredSession::new(stages)))
            .collect();

        let mut faults = FaultQueues::default();
        for (route, list) in self.faults {
            faults.push(route, list);
        }

        let tls = self.tls.as_ref().map(crate::tls::setup).transpose()?;
        let notifier = Notifier::new(Arc::clone(&self.clock), self.notifications)?;
        let oauth = crate::oauth::OAuth::new(tls.is_some(), self.bearer_token_lifetime);
        let listener = bind(self.addr).map_err(|source| SandboxError::Bind {
            addr: self.addr,
            source,
        })?;
        let local_addr = listener.local_addr().map_err(|source| SandboxError::Bind {
            addr: self.addr,
            source,
        })?;

        let scheme = if tls.is_some() { "https" } else { "http" };
        let host = match local_addr.ip() {
            IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
            ip => ip,
        };
        let base_url = format!(
            "{scheme}://{}{}",
            SocketAddr::new(host, local_addr.port()),
            self.base_path
        );

        let shared = Arc::new(Shared {
            base_path: self.base_path,
            apps,
            stage_mode: self.stage_mode,
            clock: self.clock,
            media_dir: self.media_dir,
            no_content: self.no_content,
            limits: self.limits,
            state: Mutex::new(State {
                sessions,
                live: LiveStore::new(
                    self.limits.max_created_sessions,
                    self.limits.max_upload_bytes,
                ),
                faults,
            }),
            nonces: Mutex::new(NonceMemory::new(
                self.timestamp_skew,
                self.limits.max_nonces,
            )),
            log: Mutex::new(RequestLog::new(self.limits.request_log_capacity)),
            connections: AtomicU64::new(0),
            synthesised: Mutex::new(HashMap::new()),
            oauth,
            notifier,
        });
        let (shutdown_tx, shutdown_rx) = watch::channel(false);
        let notify_task = shared.notifier.start(shutdown_tx.subscribe());
        let (ca_pem, acceptor) = match tls {
            Some(tls) => (
                tls.ca_pem,
                Some(tokio_rustls::TlsAcceptor::from(tls.config)),
            ),
            None => (None, None),
        };
        let task = tokio::spawn(accept_loop(
            listener,
            acceptor,
            Arc::clone(&shared),
            shutdown_rx,
        ));
        Ok(SandboxHandle {
            base_url,
            local_addr,
            ca_pem,
            shared,
            shutdown_tx,
            task: Some(task),
            notify_task: Some(notify_task),
        })
    }
}

/// Binds with a deep accept backlog, so bursts of connections are not refused.
fn bind(addr: SocketAddr) -> std::io::Result<TcpListener> {
    let socket = if addr.is_ipv4() {
        TcpSocket::new_v4()?
    } else {
        TcpSocket::new_v6()?
    };
    #[cfg(unix)]
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(4096)
}

/// A running sandbox. Dropping it stops the server (without waiting); prefer
/// [`SandboxHandle::shutdown`].
pub struct SandboxHandle {
    base_url: String,
    local_addr: SocketAddr,
    ca_pem: Option<String>,
    shared: Arc<Shared>,
    shutdown_tx: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
    /// The notification scheduler, which owns the deliveries in progress.
    notify_task: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for SandboxHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SandboxHandle")
            .field("base_url", &self.base_url)
            .field("tls", &self.ca_pem.is_some())
            .finish_non_exhaustive()
    }
}

impl SandboxHandle {
    /// The base URL clients use, e.g. `http://127.0.0.1:40123/idverify/v1` (no trailing `/`).
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The address the sandbox listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// The PEM of the CA that issued the generated TLS certificate (`None` over plain HTTP or
    /// with a certificate given to [`SandboxBuilder::tls_with`]).
    pub fn ca_pem(&self) -> Option<&str> {
        self.ca_pem.as_deref()
    }

    /// The last requests received (at most
    /// [`request_log_capacity`](SandboxBuilder::request_log_capacity)), oldest first, in the
    /// order their responses were decided.
    pub fn request_log(&self) -> Vec<RequestLogEntry> {
        lock(&self.shared.log).entries()
    }

    /// How many requests were logged since start or the last
    /// [`clear_request_log`](Self::clear_request_log), including those the bounded log has
    /// since dropped.
    pub fn requests_logged(&self) -> u64 {
        lock(&self.shared.log).recorded()
    }

    /// Empties the request log (and resets [`requests_logged`](Self::requests_logged)).
    pub fn clear_request_log(&self) {
        lock(&self.shared.log).clear();
    }

    /// How many nonces are remembered for replay protection now (at most
    /// [`max_nonces`](SandboxBuilder::max_nonces)).
    pub fn remembered_nonces(&self) -> usize {
        lock(&self.shared.nonces).len()
    }

    /// How many TCP connections have been accepted.
    pub fn connections_accepted(&self) -> u64 {
        self.shared.connections.load(Ordering::Relaxed)
    }

    /// Queues more faults for a route.
    pub fn add_faults(&self, route: Route, faults: impl IntoIterator<Item = Fault>) {
        lock(&self.shared.state).faults.push(route, faults);
    }

    /// The ids of the sessions served (deleted ones excluded), staged and created, sorted.
    pub fn session_ids(&self) -> Vec<String> {
        let state = lock(&self.shared.state);
        let mut ids: Vec<String> = state
            .sessions
            .iter()
            .filter(|(_, s)| !s.is_deleted())
            .map(|(id, _)| id.clone())
            .chain(state.live.ids().map(str::to_owned))
            .collect();
        ids.sort();
        ids
    }

    /// Every media id referenced by any stage of a session, or held by a created session,
    /// sorted (deleted media included).
    pub fn media_ids(&self, session_id: &str) -> Vec<String> {
        let state = lock(&self.shared.state);
        if let Some(session) = state.sessions.get(session_id) {
            return session.media_ids().map(str::to_owned).collect();
        }
        state
            .live
            .get(session_id)
            .map(|s| s.media.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// How many sessions created with `POST /sessions` are kept now (at most
    /// [`max_created_sessions`](SandboxBuilder::max_created_sessions)).
    pub fn created_sessions(&self) -> usize {
        lock(&self.shared.state).live.len()
    }

    /// The specification a created session was created with, as received (`None` for a
    /// staged session or an unknown id).
    pub fn specification(&self, session_id: &str) -> Option<idv_model::spec::SessionSpec> {
        lock(&self.shared.state)
            .live
            .get(session_id)
            .and_then(|s| s.spec.clone())
    }

    /// The requests to email a created session's in-branch instructions
    /// (`POST /sessions/{id}/instructions/email`), oldest first (at most
    /// [`MAX_INSTRUCTION_EMAILS_PER_SESSION`](crate::limits::MAX_INSTRUCTION_EMAILS_PER_SESSION));
    /// empty for a staged session or an unknown id. The sandbox sends no email.
    pub fn instruction_emails(&self, session_id: &str) -> Vec<crate::InstructionsEmail> {
        self.shared.instruction_emails(session_id)
    }

    /// How many finished created sessions were evicted to make room.
    pub fn evicted_sessions(&self) -> u64 {
        lock(&self.shared.state).live.evicted()
    }

    /// Bytes of user-side uploads kept now (at most
    /// [`max_upload_bytes`](SandboxBuilder::max_upload_bytes)).
    pub fn upload_bytes(&self) -> usize {
        lock(&self.shared.state).live.bytes()
    }

    /// Every notification delivery attempt logged (at most
    /// [`notification_log_capacity`](SandboxBuilder::notification_log_capacity)), oldest
    /// first: its session, topic, endpoint (no query), attempt number, status or error, and
    /// outcome. Never the auth token.
    pub fn notification_log(&self) -> Vec<NotificationLogEntry> {
        self.shared.notifier.log()
    }

    /// The notification delivery attempts logged from now on, as they happen (what
    /// `idv sandbox serve` prints).
    pub fn notification_events(&self) -> NotificationEvents {
        self.shared.notifier.events()
    }

    /// Revokes every bearer token the token endpoint issued: requests carrying one get 401
    /// from now on, until the client fetches a new one. Returns how many were still valid.
    pub fn revoke_tokens(&self) -> usize {
        self.shared.oauth.revoke_all(self.shared.clock.now_millis())
    }

    /// Stops accepting, closes every connection, stops every notification delivery (those
    /// not delivered yet are abandoned) and waits for the tasks to end.
    pub async fn shutdown(mut self) {
        let _ = self.shutdown_tx.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
        if let Some(task) = self.notify_task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for SandboxHandle {
    fn drop(&mut self) {
        let _ = self.shutdown_tx.send(true);
    }
}
