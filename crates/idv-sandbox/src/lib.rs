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
//! For every request: (1) the body is read (over 16 MiB → 413); (2) the raw target must be
//! under the base path, else 404 `NOT_FOUND`; (3) `sdkId` (or `sdkID`), `nonce` and
//! `timestamp` must be present, else 401 `MISSING_AUTH`; (4) the app must be registered, else
//! 404 `APP_NOT_FOUND`; (5) `X-Yoti-Auth-Digest` must be present (401 `MISSING_AUTH`) and
//! verify (401 `INVALID_SIGNATURE`); (6) with a timestamp window, the timestamp must be in it
//! (401 `TIMESTAMP_OUT_OF_RANGE`); (7) the nonce must be new for the app (401
//! `NONCE_REPLAYED`), and is then recorded; (8) a queued fault, if any, is applied; (9) the
//! route is served (unknown paths and methods: 404 `NOT_FOUND`). A rejected request changes
//! nothing and consumes no fault. Error bodies are `{"code": …, "message": …}`.
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

mod body;
pub mod cli;
mod error;
mod fault;
mod image;
mod keys;
mod log;
mod media;
mod pdf;
mod sandbox;
mod server;
mod session;
mod tls;

pub use error::SandboxError;
pub use fault::{Fault, FaultKind, Route};
pub use http::StatusCode;
pub use keys::{AppKeys, generate_app_keys};
pub use log::RequestLogEntry;
pub use sandbox::{
    DEFAULT_BASE_PATH, PRODUCT_PAGE_SESSION_ID, PRODUCT_PAGE_STAGES, Sandbox, SandboxBuilder,
    SandboxHandle,
};
