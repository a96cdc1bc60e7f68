//! `idv-sandbox`: a local emulator of Yoti's Identity Verification (IDV) API that really
//! verifies request signatures.
//!
//! It serves `GET`/`DELETE /sessions/{id}` and `GET`/`DELETE
//! /sessions/{id}/media/{mediaId}/content` under a base path (`/idverify/v1` by default), on a
//! loopback address, over plain HTTP or TLS. Every request must be signed exactly as the real
//! API demands (see `idv-sign`): the sandbox rebuilds the message from the raw request target
//! it received, so any parameter order or spelling that a client signed is accepted.
//!
//! * **Sessions** are served byte-for-byte as given. A session can have several stages (same
//!   `session_id`): one stage per retrieval, or by time ([`SandboxBuilder::stage_interval`]).
//! * **Media** come from a directory of files named by media id, or are synthesised from the
//!   media's `type`: a PNG that shows which document, page and frame it stands for, a JSON
//!   document, a one-page PDF, or bytes.
//! * **Faults** ([`Fault`]) are scripted per [`Route`] for reliability tests.
//! * **Observability**: [`SandboxHandle::request_log`] and
//!   [`SandboxHandle::connections_accepted`].
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
//! `{"code": …, "message": …}`.
//!
//! # Limits
//!
//! Everything a client can make the sandbox hold is bounded ([`limits`]): the request log is
//! a ring buffer of bounded entries ([`SandboxBuilder::request_log_capacity`]); the nonces
//! remembered are bounded in number ([`SandboxBuilder::max_nonces`]) and, with a timestamp
//! window, in age ([`SandboxBuilder::timestamp_skew`] explains the rule); headers must arrive
//! within [`SandboxBuilder::header_read_timeout`]; at most
//! [`SandboxBuilder::max_connections`] connections are served at once (more wait in the
//! backlog); bodies are read only for requests that name a registered app, up to
//! [`limits::MAX_REQUEST_BODY`].
//!
//! # Example
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

mod accept;
mod body;
pub mod cli;
mod error;
mod fault;
mod image;
mod keys;
pub mod limits;
mod log;
mod media;
mod nonces;
mod pdf;
mod sandbox;
mod server;
mod session;
mod tls;

pub use error::SandboxError;
pub use fault::{Fault, FaultKind, Route};
pub use http::StatusCode;
pub use keys::{AppKeys, generate_app_keys};
pub use log::{MAX_LOGGED_FIELD, MAX_LOGGED_PATH, RequestLogEntry};
pub use sandbox::{
    DEFAULT_BASE_PATH, PRODUCT_PAGE_SESSION_ID, PRODUCT_PAGE_STAGES, Sandbox, SandboxBuilder,
    SandboxHandle,
};
