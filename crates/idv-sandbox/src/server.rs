//! The request handler: authentication, faults and the API routes.

use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::Instant;

use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Method, Request, Response, StatusCode};
use http_body::Body as _;
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use idv_sign::{AuthParams, Clock, PublicKey};
use tokio::sync::watch;

use crate::api_error::ApiError;
use crate::body::SandboxBody;
use crate::fault::{Fault, FaultQueues, Route};
use crate::limits::{Limits, MAX_REQUEST_BODY};
use crate::live::store::LiveStore;
use crate::log::{RequestLog, RequestLogEntry};
use crate::media::{self, MediaContent};
use crate::nonces::{NonceMemory, Refusal};
use crate::session::{StageMode, StoredSession};

// Faults applied to replies live in their own file; these paths are the ones the routes use.
pub(crate) use crate::fault_apply::{delay, fault_reply, finish, take_fault};

/// The mutable part of the sandbox.
#[derive(Debug)]
pub(crate) struct State {
    /// Staged sessions (fixtures), by id.
    pub(crate) sessions: HashMap<String, StoredSession>,
    /// Sessions created with `POST /sessions`.
    pub(crate) live: LiveStore,
    pub(crate) faults: FaultQueues,
}

/// Everything the handler needs, shared by all connections.
pub(crate) struct Shared {
    pub(crate) base_path: String,
    pub(crate) apps: HashMap<String, PublicKey>,
    pub(crate) stage_mode: StageMode,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) media_dir: Option<PathBuf>,
    pub(crate) no_content: HashSet<String>,
    pub(crate) limits: Limits,
    pub(crate) state: Mutex<State>,
    /// The timestamp window and the nonces seen (its own lock: sessions are not held up).
    pub(crate) nonces: Mutex<NonceMemory>,
    pub(crate) log: Mutex<RequestLog>,
    pub(crate) connections: AtomicU64,
    /// Synthesised media by id (synthesis is deterministic, so it is done once).
    pub(crate) synthesised: Mutex<HashMap<String, Arc<OnceLock<MediaContent>>>>,
    /// The token endpoint and the bearer tokens it issued.
    pub(crate) oauth: crate::oauth::OAuth,
    /// Sends the created sessions' notifications.
    pub(crate) notifier: crate::notify::Notifier,
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared")
            .field("base_path", &self.base_path)
            .field("apps", &self.apps.keys().collect::<Vec<_>>())
            .field("stage_mode", &self.stage_mode)
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

/// Locks a mutex, recovering from poisoning (the state stays usable for later requests).
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A response before faults that touch the body are applied.
#[derive(Debug)]
pub(crate) struct Reply {
    pub(crate) status: StatusCode,
    pub(crate) content_type: Option<&'static str>,
    pub(crate) retry_after: Option<u64>,
    /// Ask the client to close the connection (sent when the request body was left unread).
    pub(crate) close: bool,
    pub(crate) body: Bytes,
}

impl From<ApiError> for Reply {
    fn from(error: ApiError) -> Self {
        Self {
            status: error.status,
            content_type: Some("application/json"),
            retry_after: None,
            close: false,
            body: error.body(),
        }
    }
}

impl Reply {
    pub(crate) fn error(status: StatusCode, code: &str, message: &str) -> Self {
        let body = serde_json::json!({ "code": code, "message": message });
        Self {
            status,
            content_type: Some("application/json"),
            retry_after: None,
            close: false,
            body: Bytes::from(serde_json::to_vec(&body).unwrap_or_default()),
        }
    }

    pub(crate) fn ok(content_type: &'static str, body: Bytes) -> Self {
        Self::with_status(StatusCode::OK, content_type, body)
    }

    pub(crate) fn with_status(status: StatusCode, content_type: &'static str, body: Bytes) -> Self {
        Self {
            status,
            content_type: Some(content_type),
            retry_after: None,
            close: false,
            body,
        }
    }

    /// A JSON body.
    pub(crate) fn json(status: StatusCode, value: &impl serde::Serialize) -> Self {
        let body = serde_json::to_vec(value).unwrap_or_default();
        Self::with_status(status, "application/json", Bytes::from(body))
    }

    pub(crate) fn no_content() -> Self {
        Self {
            status: StatusCode::NO_CONTENT,
            content_type: None,
            retry_after: None,
            close: false,
            body: Bytes::new(),
        }
    }
}

/// The connection is to be dropped without a response ([`Fault::CloseConnection`]).
#[derive(Debug, thiserror::Error)]
#[error("connection closed by an injected fault")]
pub(crate) struct CloseConnection;

/// What the path names, with its ids (raw, as received).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Target<'a> {
    Session(&'a str),
    Media(&'a str, &'a str),
    Sessions,
    Configuration(&'a str),
    TrackedDevices(&'a str),
    SupportedDocuments,
    /// A user-side route on this session.
    User(&'a str),
    /// An app, named by the path (`/apps/{sdkId}/…`).
    App(&'a str),
    /// A resource of a session (`/sessions/{id}/resources/…/{resourceId}/…`).
    SessionResource(&'a str, &'a str),
}

fn route_of<'a>(method: &Method, path: &'a str) -> Option<(Route, Target<'a>)> {
    let rest = path.strip_prefix('/')?;
    let segments: Vec<&str> = rest.split('/').collect();
    let id_ok = |id: &&str| !id.is_empty();
    let route = match (method, segments.as_slice()) {
        (&Method::GET, ["sessions", id]) if id_ok(id) => (Route::GetSession, Target::Session(id)),
        (&Method::DELETE, ["sessions", id]) if id_ok(id) => {
            (Route::DeleteSession, Target::Session(id))
        }
        (&Method::GET, ["sessions", id, "media", media, "content"])
            if id_ok(id) && !media.is_empty() =>
        {
            (Route::GetMedia, Target::Media(id, media))
        }
        (&Method::DELETE, ["sessions", id, "media", media, "content"])
            if id_ok(id) && !media.is_empty() =>
        {
            (Route::DeleteMedia, Target::Media(id, media))
        }
        (&Method::POST, ["sessions"]) => (Route::CreateSession, Target::Sessions),
        (&Method::GET, ["sessions", id, "configuration"]) if id_ok(id) => {
            (Route::GetConfiguration, Target::Configuration(id))
        }
        (&Method::GET, ["sessions", id, "tracked-devices"]) if id_ok(id) => {
            (Route::GetTrackedDevices, Target::TrackedDevices(id))
        }
        (&Method::DELETE, ["sessions", id, "tracked-devices"]) if id_ok(id) => {
            (Route::DeleteTrackedDevices, Target::TrackedDevices(id))
        }
        (&Method::GET, ["supported-documents"]) => {
            (Route::GetSupportedDocuments, Target::SupportedDocuments)
        }
        (&Method::GET, ["user", "sessions", id]) if id_ok(id) => {
            (Route::UserGetSession, Target::User(id))
        }
        (method, ["user", "sessions", id, action]) if id_ok(id) => {
            let route = match (method, *action) {
                (&Method::GET, "configuration") => Route::UserGetConfiguration,
                (&Method::POST, "id-documents") => Route::UserAddIdDocument,
                (&Method::POST, "supplementary-documents") => Route::UserAddSupplementaryDocument,
                (&Method::POST, "liveness") => Route::UserAddLiveness,
                (&Method::POST, "finish") => Route::UserFinish,
                _ => return None,
            };
            (route, Target::User(id))
        }
        _ => return crate::write_routes::route_of(method, segments.as_slice()),
    };
    Some(route)
}

/// What a route handler needs from the request, besides its target.
#[derive(Debug)]
pub(crate) struct RequestParts<'a> {
    /// The raw query string, without `?`.
    pub(crate) query: Option<&'a str>,
    pub(crate) headers: &'a HeaderMap,
    pub(crate) peer: SocketAddr,
    pub(crate) body: Bytes,
    /// The app that signed the request (`sdkId`, or the path's app, see `app_auth.rs`).
    pub(crate) sdk_id: &'a str,
}

/// The raw value of a query parameter (the first one with that name).
pub(crate) fn query_param<'a>(query: Option<&'a str>, name: &str) -> Option<&'a str> {
    query?.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        (key == name).then_some(value)
    })
}

/// Whether the query carries any of the auth parameters.
fn has_auth_params(query: Option<&str>) -> bool {
    ["sdkId", "sdkID", "nonce", "timestamp"]
        .iter()
        .any(|name| query_param(query, name).is_some())
}

impl Shared {
    /// The synthesised content of a media item, rendered once: concurrent first requests for
    /// the same id wait for one rendering instead of each rendering it (the lock is not held
    /// while rendering, so other ids are not held up).
    fn synthesised(&self, info: &media::MediaInfo) -> MediaContent {
        let cell = Arc::clone(lock(&self.synthesised).entry(info.id.clone()).or_default());
        cell.get_or_init(|| media::synthesise(info)).clone()
    }

    /// Strips the base path from the raw request target; `None` when it is not under it.
    fn relative<'a>(&self, target: &'a str) -> Option<&'a str> {
        let rest = target.strip_prefix(self.base_path.as_str())?;
        rest.starts_with('/').then_some(rest)
    }

    /// The checks that need no body: the auth parameters, a registered app and a digest
    /// header. Returns the app's key, the parameters and the digest.
    fn pre_authenticate<'h>(
        &self,
        relative: &str,
        route: Option<&(Route, Target<'_>)>,
        headers: &'h HeaderMap,
        entry: &mut RequestLogEntry,
    ) -> Result<(&PublicKey, AuthParams, &'h HeaderValue), Reply> {
        let params = crate::app_auth::auth_params(relative, route).map_err(|e| {
            Reply::error(
                StatusCode::UNAUTHORIZED,
                "MISSING_AUTH",
                &format!("authentication parameters: {e}"),
            )
        })?;
        entry.set_auth(params.sdk_id(), params.nonce());
        let Some(key) = self.apps.get(params.sdk_id()) else {
            return Err(Reply::error(
                StatusCode::NOT_FOUND,
                "APP_NOT_FOUND",
                "no application is registered with this sdkId",
            ));
        };
        // A parsed name: the lookup ignores case, as HTTP header names do.
        let Some(digest) = headers.get(&idv_sign::header_names::AUTH_DIGEST) else {
            return Err(Reply::error(
                StatusCode::UNAUTHORIZED,
                "MISSING_AUTH",
                &format!("the {} header is missing", idv_sign::HEADER_AUTH_DIGEST),
            ));
        };
        Ok((key, params, digest))
    }

    /// Checks the signature, then the timestamp window and the nonce. Records the nonce only
    /// when everything passed, so a rejected request changes nothing.
    fn authenticate(
        &self,
        method: &Method,
        relative: &str,
        (key, params, digest): (&PublicKey, AuthParams, &HeaderValue),
        body: &[u8],
    ) -> Result<(), Reply> {
        let invalid = || {
            Reply::error(
                StatusCode::UNAUTHORIZED,
                "INVALID_SIGNATURE",
                &format!(
                    "the {} does not verify for this request",
                    idv_sign::HEADER_AUTH_DIGEST
                ),
            )
        };
        let digest = digest.to_str().map_err(|_| invalid())?;
        crate::app_auth::verify(key, method.as_str(), relative, body, digest)
            .map_err(|_| invalid())?;
        let now = self.clock.now_millis();
        lock(&self.nonces)
            .admit(
                params.sdk_id(),
                params.nonce(),
                params.timestamp_millis(),
                now,
            )
            .map_err(|refusal| match refusal {
                Refusal::OutOfWindow => Reply::error(
                    StatusCode::UNAUTHORIZED,
                    "TIMESTAMP_OUT_OF_RANGE",
                    "the timestamp is outside the accepted window",
                ),
                Refusal::Replayed => Reply::error(
                    StatusCode::UNAUTHORIZED,
                    "NONCE_REPLAYED",
                    "this nonce has already been used",
                ),
                Refusal::Full { retry_after } => {
                    let mut reply = Reply::error(
                        StatusCode::SERVICE_UNAVAILABLE,
                        "NONCE_STORE_FULL",
                        &format!(
                            "the sandbox remembers at most {} nonces and cannot forget one yet \
                             (a timestamp window lets old ones be forgotten; or raise the limit)",
                            self.limits.max_nonces
                        ),
                    );
                    // Whole seconds, rounded up.
                    reply.retry_after = retry_after
                        .map(|d| d.as_secs().saturating_add(u64::from(d.subsec_nanos() > 0)));
                    reply
                }
            })
    }

    /// Serves an authenticated request.
    async fn serve(&self, route: Option<(Route, Target<'_>)>, request: RequestParts<'_>) -> Reply {
        let not_found = || Reply::error(StatusCode::NOT_FOUND, "NOT_FOUND", "no such endpoint");
        let session_not_found = || {
            Reply::error(
                StatusCode::NOT_FOUND,
                "SESSION_NOT_FOUND",
                "no session with this id",
            )
        };
        let media_not_found = || {
            Reply::error(
                StatusCode::NOT_FOUND,
                "MEDIA_NOT_FOUND",
                "no media with this id",
            )
        };
        let Some((route, target)) = route else {
            return not_found();
        };
        match (route, target) {
            (Route::CreateSession, _) => self.create_session(&request),
            (Route::GetConfiguration, Target::Configuration(id)) => self.configuration(id),
            (Route::GetTrackedDevices, Target::TrackedDevices(id)) => self.tracked_devices(id),
            (Route::DeleteTrackedDevices, Target::TrackedDevices(id)) => {
                self.delete_tracked_devices(id)
            }
            (Route::GetSupportedDocuments, _) => Self::supported_documents(request.query),
            (Route::GetSession, Target::Session(id)) => {
                let mut state = lock(&self.state);
                if let Some(session) = state.sessions.get_mut(id).filter(|s| !s.is_deleted()) {
                    return Reply::ok(
                        "application/json",
                        session.retrieve(self.stage_mode, Instant::now()),
                    );
                }
                match state.live.get(id) {
                    Some(session) => Reply::ok(
                        "application/json",
                        session.session_bytes(self.clock.now_millis()),
                    ),
                    None => session_not_found(),
                }
            }
            (Route::DeleteSession, Target::Session(id)) => {
                let mut state = lock(&self.state);
                if let Some(session) = state.sessions.get_mut(id).filter(|s| !s.is_deleted()) {
                    session.delete();
                    return Reply::no_content();
                }
                match state.live.remove(id) {
                    Some(_) => Reply::no_content(),
                    None => session_not_found(),
                }
            }
            (Route::GetMedia | Route::DeleteMedia, Target::Media(id, media_id))
                if lock(&self.state).live.get(id).is_some() =>
            {
                self.live_media(route, id, media_id)
            }
            (Route::GetMedia | Route::DeleteMedia, Target::Media(id, media_id)) => {
                // Look the media up without holding the lock across file I/O.
                let (info, deleted) = {
                    let state = lock(&self.state);
                    match state.sessions.get(id).filter(|s| !s.is_deleted()) {
                        Some(session) => (
                            session.media(media_id).cloned(),
                            session.is_media_deleted(media_id),
                        ),
                        None => return session_not_found(),
                    }
                };
                if deleted {
                    return media_not_found();
                }
                let no_content = self.no_content.contains(media_id);
                let file = match &self.media_dir {
                    Some(dir) if !no_content => media::read_from_dir(dir, media_id).await,
                    _ => None,
                };
                let exists = info.is_some() || file.is_some() || no_content;
                if !exists {
                    return media_not_found();
                }
                if route == Route::DeleteMedia {
                    let mut state = lock(&self.state);
                    return match state.sessions.get_mut(id).filter(|s| !s.is_deleted()) {
                        Some(session) if !session.is_media_deleted(media_id) => {
                            session.delete_media(media_id);
                            Reply::no_content()
                        }
                        Some(_) => media_not_found(),
                        None => session_not_found(),
                    };
                }
                if no_content {
                    return Reply::no_content();
                }
                let content = match (file, info) {
                    (Some(file), _) => file,
                    (None, Some(info)) => self.synthesised(&info),
                    (None, None) => return media_not_found(),
                };
                let MediaContent {
                    content_type,
                    bytes,
                } = content;
                Reply::ok(content_type, bytes)
            }
            (route, target) => self
                .serve_write_route(route, target, &request)
                .await
                .unwrap_or_else(not_found),
        }
    }
}

/// Handles one request: logs it, authenticates (the checks that need no body before the body
/// is read), applies faults, serves.
pub(crate) async fn handle(
    shared: Arc<Shared>,
    req: Request<Incoming>,
    peer: SocketAddr,
    mut shutdown: watch::Receiver<bool>,
) -> Result<Response<SandboxBody>, CloseConnection> {
    let (parts, body) = req.into_parts();
    let method = parts.method;
    // The raw request target, exactly as received: never decoded or re-encoded.
    let target = parts.uri.path_and_query().map_or("/", |pq| pq.as_str());
    let path = target.split_once('?').map_or(target, |(p, _)| p);
    let mut entry = RequestLogEntry::new(method.as_str(), path);
    // A reply given before the body is read asks the client to close the connection, so it
    // does not go on sending a body nobody reads.
    let unread_body = !body.is_end_stream();
    let reject = |entry, mut reply: Reply, shutdown| {
        reply.close = unread_body;
        Ok(finish(&shared, entry, reply, None, shutdown))
    };

    // The token endpoint, under the base path and at Yoti's path from the root (`oauth`).
    if crate::oauth::is_token_path(&shared.base_path, path) {
        let headers = &parts.headers;
        return crate::oauth::serve_token(&shared, entry, &method, target, headers, body, shutdown)
            .await;
    }

    let Some(relative) = shared.relative(target) else {
        let reply = Reply::error(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            "not under the API base path",
        );
        return reject(entry, reply, shutdown);
    };
    let (relative_path, query) = match relative.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (relative, None),
    };
    // The web flow's page is public, as Yoti's is: the calls it makes carry the token.
    if let Some(web) = crate::web::serve(&method, relative_path) {
        let mut reply = web.reply;
        reply.close = unread_body; // the page takes no body
        let mut response = finish(&shared, entry, reply, None, shutdown);
        response.headers_mut().extend(web.headers);
        return Ok(response);
    }
    let route = route_of(&method, relative_path);
    entry.route = route.as_ref().map(|(r, _)| *r);

    // The user side authenticates with the session's client session token instead.
    if let Some((route, Target::User(id))) = route {
        let user = crate::user::routes::UserRequest {
            route,
            session_id: id,
            query,
            headers: &parts.headers,
            peer,
        };
        if let Err(reply) = user.authorise(&shared, &mut entry) {
            return reject(entry, reply, shutdown);
        }
        let body = match read_body(body).await {
            Ok(body) => body,
            Err(reply) => return reject(entry, reply, shutdown),
        };
        let (entry, fault) = take_fault(&shared, entry);
        let reply = match fault {
            Some(Fault::CloseConnection) => {
                lock(&shared.log).push(entry);
                return Err(CloseConnection);
            }
            Some(ref status @ Fault::Status { .. }) => fault_reply(status),
            ref other => {
                delay(other.as_ref(), &mut shutdown).await;
                user.serve(&shared, body)
            }
        };
        return Ok(finish(&shared, entry, reply, fault, shutdown));
    }

    // A bearer token from the token endpoint stands in for the signature (`oauth`).
    let bearer = crate::oauth::bearer_token(&parts.headers);

    // `GET /supported-documents` is public: the official Java SDK sends it unsigned. Sent
    // with auth parameters or a bearer token, it is authenticated like every other request.
    if matches!(route, Some((Route::GetSupportedDocuments, _)))
        && !has_auth_params(query)
        && bearer.is_none()
    {
        let (entry, fault) = take_fault(&shared, entry);
        let reply = match fault {
            Some(Fault::CloseConnection) => {
                lock(&shared.log).push(entry);
                return Err(CloseConnection);
            }
            Some(ref status @ Fault::Status { .. }) => fault_reply(status),
            ref other => {
                delay(other.as_ref(), &mut shutdown).await;
                Shared::supported_documents(query)
            }
        };
        let mut reply = reply;
        reply.close = unread_body;
        return Ok(finish(&shared, entry, reply, fault, shutdown));
    }

    let (sdk_id, body) = if let Some(token) = bearer {
        let sdk_id = match shared.oauth.authorise(token, shared.clock.now_millis()) {
            Ok(sdk_id) => sdk_id,
            Err(reply) => return reject(entry, reply, shutdown),
        };
        entry.set_sdk_id(&sdk_id);
        let body = match read_body(body).await {
            Ok(body) => body,
            Err(reply) => return reject(entry, reply, shutdown),
        };
        entry.bearer_verified = true;
        (sdk_id, body)
    } else {
        let credentials =
            match shared.pre_authenticate(relative, route.as_ref(), &parts.headers, &mut entry) {
                Ok(credentials) => credentials,
                Err(reply) => return reject(entry, reply, shutdown),
            };
        let sdk_id = credentials.1.sdk_id().to_owned();

        let body = match read_body(body).await {
            Ok(body) => body,
            Err(reply) => return reject(entry, reply, shutdown),
        };

        if let Err(reply) = shared.authenticate(&method, relative, credentials, &body) {
            return Ok(finish(&shared, entry, reply, None, shutdown));
        }
        entry.signature_verified = true;
        (sdk_id, body)
    };

    let (entry, fault) = take_fault(&shared, entry);
    match fault {
        Some(Fault::CloseConnection) => {
            lock(&shared.log).push(entry);
            return Err(CloseConnection);
        }
        Some(ref status @ Fault::Status { .. }) => {
            let reply = fault_reply(status);
            return Ok(finish(&shared, entry, reply, None, shutdown));
        }
        ref other => delay(other.as_ref(), &mut shutdown).await,
    }
    let request = RequestParts {
        query,
        headers: &parts.headers,
        peer,
        body,
        sdk_id: &sdk_id,
    };
    let reply = shared.serve(route, request).await;
    Ok(finish(&shared, entry, reply, fault, shutdown))
}

/// Reads a request body, up to [`MAX_REQUEST_BODY`] (413 beyond, or when it does not arrive
/// completely).
async fn read_body(body: Incoming) -> Result<Bytes, Reply> {
    let too_large = || {
        Reply::error(
            StatusCode::PAYLOAD_TOO_LARGE,
            "PAYLOAD_TOO_LARGE",
            "the request body is too large or was not received completely",
        )
    };
    if body.size_hint().lower() > MAX_REQUEST_BODY as u64 {
        return Err(too_large());
    }
    match Limited::new(body, MAX_REQUEST_BODY).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(_) => Err(too_large()),
    }
}
