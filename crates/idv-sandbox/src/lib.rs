//! `idv-sandbox`: a local emulator of Yoti's Identity Verification (IDV) API that really
//! verifies request signatures.
//!
//! It is for tests, demos and laptops: use it as a dev-dependency next to
//! [`idv-client`](https://docs.rs/idv-client), the crate that calls the API, and point the
//! client at [`SandboxHandle::base_url`]. Its outcomes are scripted, not real verifications.
//!
//! It serves, under a base path (`/idverify/v1` by default), on a loopback address, over plain
//! HTTP or TLS: `POST /sessions`, `GET`/`DELETE /sessions/{id}`, `GET`/`DELETE
//! /sessions/{id}/media/{mediaId}/content`, `GET /sessions/{id}/configuration`,
//! `GET`/`DELETE /sessions/{id}/tracked-devices`, `GET /supported-documents`, the face-capture
//! resource and its image, the in-branch instructions (and their PDF, contact profile and
//! email), and the sandbox's response configs. Every request must be signed exactly as the
//! real API demands (see `idv-sign`): the sandbox rebuilds the message from the raw request
//! target it received, so any parameter order or spelling that a client signed is accepted.
//!
//! * **Created sessions**: `POST /sessions` validates the specification with
//!   `idv_model::spec` (400 `PAYLOAD_VALIDATION` naming each property) and creates an
//!   `ONGOING` session; the **user side** ([`user`], driven from Rust by [`UserSide`]) adds
//!   documents and liveness captures with the session's client session token, then finishes
//!   it: every requested task and check runs and the session is `COMPLETED`.
//! * **Scripted outcomes**: `PUT /sessions/{id}/response-config` and
//!   `PUT /apps/{sdkId}/response-config` take Yoti's sandbox response config
//!   (`idv_model::response_config`): each check's recommendation, breakdown and delay, the
//!   extracted document fields and the ID photo follow the session's config, else its app's,
//!   else the defaults; delayed results read `PENDING` on the sandbox's clock.
//! * **Face captures** (`POST /sessions/{id}/resources/face-capture`, then the image as
//!   `multipart/form-data`, parsed strictly) are compared by `FACE_COMPARISON`; **in-branch
//!   instructions** are kept, rendered as a PDF, and their email requests recorded
//!   ([`SandboxHandle::instruction_emails`]).
//! * **Staged sessions** are served byte-for-byte as given. A session can have several stages
//!   (same `session_id`): one stage per retrieval, or by time
//!   ([`SandboxBuilder::stage_interval`]).
//! * **Media** come from a directory of files named by media id, or are synthesised from the
//!   media's `type`: a PNG that shows which document, page and frame it stands for, a JSON
//!   document, a one-page PDF, or bytes.
//! * **Notifications**: a created session whose specification has `notifications` gets a
//!   `POST` of `idv_model::notification::Notification` per subscribed topic as it happens
//!   (resources added, tasks and checks done, the user finished, the session complete, an
//!   instructions email requested), with the configured `Authorization` header, to `http://`
//!   endpoints on loopback or `https://` ones it trusts; in order per session, retried with
//!   backoff until a `2xx` or a deadline ([`SandboxBuilder::notification_deadline`]), every
//!   attempt logged ([`SandboxHandle::notification_log`]).
//! * **Bearer tokens**: `POST {base}/oauth/token` (or `/v1/oauth/token` from the root) takes
//!   a client assertion (a PS384 JWT, §3.10 of the reference) and issues a token that every
//!   API route accepts as `Authorization: Bearer …` in place of the signature
//!   ([`SandboxBuilder::bearer_token_lifetime`], [`SandboxHandle::revoke_tokens`]).
//! * **Faults** ([`Fault`]) are scripted per [`Route`] for reliability tests.
//! * **Observability**: [`SandboxHandle::request_log`],
//!   [`SandboxHandle::notification_log`] and [`SandboxHandle::connections_accepted`].
//!
//! # Order of processing
//!
//! For every request: (1) the raw target must be under the base path, else 404 `NOT_FOUND`;
//! (2) `sdkId` (or `sdkID`), `nonce` and `timestamp` must be present, else 401
//! `MISSING_AUTH`; (3) the app must be registered, else 404 `APP_NOT_FOUND`; (4)
//! `X-Yoti-Auth-Digest` must be present, else 401 `MISSING_AUTH`; only then (5) is the body
//! read (a declared or actual size over 16 MiB → 413 `PAYLOAD_TOO_LARGE`); (6) the digest
//! must verify (401 `INVALID_SIGNATURE`); (7) with a timestamp window, the timestamp must be
//! in it (401 `TIMESTAMP_OUT_OF_RANGE`); (8) the nonce must be new for the app (401
//! `NONCE_REPLAYED`); (9) there must be room to remember it (503 `NONCE_STORE_FULL`), and it
//! is then recorded; (10) a queued fault, if any, is applied; (11) the route is served
//! (unknown paths and methods: 404 `NOT_FOUND`). A rejected request changes nothing and
//! consumes no fault; one rejected before its body was read is answered with
//! `Connection: close` without waiting for the body. Error bodies are
//! `{"code": …, "message": …}`, with `errors: [{"property", "message"}]` for validation
//! errors.
//!
//! Some requests skip the signature: the user side's routes, authenticated by the session's
//! client session token instead ([`user`] gives their order of checks); requests with
//! `Authorization: Bearer <token>` from the token endpoint, whose steps (2) to (4) and (6) to
//! (9) are one: the token must be one issued here, not revoked nor expired (401
//! `INVALID_TOKEN`), and the request acts for the app it was issued to; the token endpoint
//! itself (OAuth's checks and `{"error", "error_description"}` bodies); and
//! `GET /supported-documents` sent without any auth parameter or bearer token (the official
//! Java SDK sends it unsigned; sent with them, it is checked like every other request).
//!
//! # Limits
//!
//! Everything a client can make the sandbox hold is bounded ([`limits`]): the request log is
//! a ring buffer of bounded entries ([`SandboxBuilder::request_log_capacity`]); the nonces
//! remembered are bounded in number ([`SandboxBuilder::max_nonces`]) and, with a timestamp
//! window, in age ([`SandboxBuilder::timestamp_skew`] explains the rule); headers must arrive
//! within [`SandboxBuilder::header_read_timeout`]; at most
//! [`SandboxBuilder::max_connections`] connections are served at once (more wait in the
//! backlog); bodies are read only for requests that name a registered app (or carry a
//! session's valid token), up to [`limits::MAX_REQUEST_BODY`]; created sessions are bounded
//! in number ([`SandboxBuilder::max_created_sessions`]) and in uploaded bytes
//! ([`SandboxBuilder::max_upload_bytes`]); so are the notifications waiting to be delivered
//! ([`limits::MAX_PENDING_NOTIFICATIONS`]) and their log, the bearer tokens valid at once
//! ([`limits::MAX_BEARER_TOKENS`]) and the client assertion ids remembered
//! ([`limits::MAX_REMEMBERED_JTIS`]).
//!
//! # Example: create a session, complete it as the user, read the result
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use std::sync::Arc;
//!
//! use http_body_util::{BodyExt, Full};
//! use idv_sandbox::{IdDocumentUpload, LivenessUpload, Sandbox, UserSide, generate_app_keys};
//! use idv_sign::{PrivateKey, RequestSigner, RsaSigner, UnsignedRequest};
//!
//! let keys = generate_app_keys()?;
//! let sandbox = Sandbox::builder().app_keys(&keys).start().await?;
//! let key = PrivateKey::from_pem(keys.private_key_pem.as_bytes())?;
//! let signer = RequestSigner::new(keys.sdk_id.clone(), Arc::new(RsaSigner::new(&key)));
//!
//! // A signed request, sent with a bare hyper client (any HTTP client does).
//! let send = |method: &'static str, path: String, body: Vec<u8>| {
//!     let (signer, addr) = (signer.clone(), sandbox.local_addr());
//!     async move {
//!         let signed = signer.sign(&UnsignedRequest::new(method, path).body(&body)).await?;
//!         let stream = tokio::net::TcpStream::connect(addr).await?;
//!         let io = hyper_util::rt::TokioIo::new(stream);
//!         let (mut sender, connection) = hyper::client::conn::http1::handshake(io).await?;
//!         tokio::spawn(connection);
//!         let mut request = http::Request::builder()
//!             .method(method)
//!             .uri(format!("/idverify/v1{}", signed.path_and_query()))
//!             .header("host", addr.to_string());
//!         for (name, value) in signed.headers() {
//!             request = request.header(name, value);
//!         }
//!         let body = Full::new(bytes::Bytes::from(body));
//!         let response = sender.send_request(request.body(body)?).await?;
//!         let status = response.status();
//!         let bytes = response.into_body().collect().await?.to_bytes();
//!         Ok::<_, Box<dyn std::error::Error>>((status, bytes))
//!     }
//! };
//!
//! let spec = serde_json::json!({
//!     "requested_checks": [
//!         {"type": "ID_DOCUMENT_AUTHENTICITY", "config": {}},
//!         {"type": "LIVENESS", "config": {"liveness_type": "ZOOM"}}
//!     ],
//!     "requested_tasks": [
//!         {"type": "ID_DOCUMENT_TEXT_DATA_EXTRACTION", "config": {"manual_check": "NEVER"}}
//!     ]
//! });
//! let (status, body) = send("POST", "/sessions".into(), serde_json::to_vec(&spec)?).await?;
//! assert_eq!(status, 201);
//! let created: idv_model::CreateSessionResult = idv_model::from_slice(&body)?;
//! let session_id = created.session_id.expect("session_id");
//! let token = created.client_session_token.expect("token");
//!
//! // The end user's side, authenticated by the client session token.
//! let user = UserSide::new(sandbox.base_url(), &session_id, token.expose_secret())?;
//! user.add_id_document(&IdDocumentUpload::new("PASSPORT", "GBR")).await?;
//! user.add_liveness(&LivenessUpload::required_type()).await?;
//! user.finish().await?;
//!
//! let (status, body) = send("GET", format!("/sessions/{session_id}"), Vec::new()).await?;
//! assert_eq!(status, 200);
//! let session = idv_model::parse_session(&body)?;
//! assert!(session.is_finished());
//! assert_eq!(session.checks.len(), 3); // authenticity, liveness, and the text-data check
//! assert!(session.client_session_token.is_none());
//! sandbox.shutdown().await;
//! # Ok(())
//! # }
//! ```
//!
//! # Example: the product page's staged session
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use idv_sandbox::{Sandbox, generate_app_keys};
//!
//! let keys = generate_app_keys()?;
//! let sandbox = Sandbox::product_page_demo().app_keys(&keys).start().await?;
//! assert!(sandbox.base_url().starts_with("http://127.0.0.1:"));
//! assert!(sandbox.base_url().ends_with("/idverify/v1"));
//! // Point a client at `sandbox.base_url()` with `keys.sdk_id` and `keys.private_key_pem`.
//! sandbox.shutdown().await;
//! # Ok(())
//! # }
//! ```

// docs.rs (nightly, `--cfg docsrs`) labels feature-gated items with the feature they need.
#![cfg_attr(docsrs, feature(doc_cfg))]

mod accept;
mod api_error;
mod app_auth;
mod app_routes;
mod body;
pub mod cli;
mod create;
mod device;
mod error;
mod face_capture;
mod fault;
mod fault_apply;
mod image;
mod instructions;
mod keys;
pub mod limits;
mod live;
mod log;
mod media;
mod multipart;
mod nonces;
mod notify;
mod oauth;
mod pdf;
mod response_config;
mod sandbox;
mod server;
mod session;
mod supported_documents;
mod timefmt;
mod tls;
pub mod user;
mod web;
mod write_routes;

pub use error::SandboxError;
pub use fault::{Fault, FaultKind, Route};
pub use http::StatusCode;
pub use instructions::InstructionsEmail;
pub use keys::{AppKeys, generate_app_keys};
pub use log::{MAX_LOGGED_FIELD, MAX_LOGGED_PATH, RequestLogEntry};
pub use notify::{DeliveryOutcome, NotificationEvents, NotificationLogEntry};
pub use sandbox::{
    DEFAULT_BASE_PATH, PRODUCT_PAGE_SESSION_ID, PRODUCT_PAGE_STAGES, Sandbox, SandboxBuilder,
    SandboxHandle,
};
pub use user::{
    AddedResource, FinishOptions, IdDocumentUpload, LivenessUpload, SupplementaryDocumentUpload,
    Upload, UserSessionStatus, UserSide, UserSideError,
};
