//! `idv-client`: the Rust client for Yoti's Identity Verification (IDV) API.
//!
//! This is the crate most users want. The others are its layers or its companions:
//! `idv-model` (the response types, re-exported where the client returns them), `idv-sign`
//! (request signing), `idv-transport` (the HTTP seam, to plug in another stack), and
//! `idv-sandbox`, a local emulator of the API for your tests (a dev-dependency). The examples
//! `retrieve_session`, `create_and_complete` and `reqwest_transport` run as they are.
//!
//! Retrieve a session and save its media (this example runs against a local `idv-sandbox`,
//! started in the hidden lines):
//!
//! ```
//! # use idv_client::IdvClient;
//! # #[cfg(not(feature = "hyper"))] fn main() {} // Without it, pass a transport to the builder.
//! # #[cfg(feature = "hyper")]
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let keys = idv_sandbox::generate_app_keys()?;
//! # let sandbox = idv_sandbox::Sandbox::product_page_demo().app_keys(&keys).start().await?;
//! # let (sdk_id, base_url) = (keys.sdk_id.as_str(), sandbox.base_url());
//! # let key_pem = keys.private_key_pem.as_bytes();
//! # let session_id = idv_sandbox::PRODUCT_PAGE_SESSION_ID;
//! # let tmp = tempfile::tempdir()?;
//! # let dir = tmp.path();
//! let client = IdvClient::builder().sdk_id(sdk_id).key_pem(key_pem).base_url(base_url).build()?;
//! let session = client.get_session(session_id).await?;
//! for media in session.media_refs() {
//!     client.download_media(session_id, media.media_id, dir.join(media.media_id)).await?;
//! }
//! # assert!(std::fs::read_dir(dir)?.count() > 0);
//! # sandbox.shutdown().await;
//! # Ok(())
//! # }
//! ```
//!
//! In production, build the client with [`IdvClient::from_env`] (`YOTI_CLIENT_SDK_ID`,
//! `YOTI_KEY_FILE_PATH`) or with [`IdvClient::builder`] and the default base URL
//! ([`PRODUCTION_BASE_URL`]).
//!
//! # What it does for you
//!
//! - **Signing**: every request, and every retry of it, is signed afresh with `idv-sign` (new
//!   nonce and timestamp). The key is parsed once, at [`IdvClientBuilder::build`].
//! - **Safe paths**: session and media ids are validated before anything is sent; the base URL
//!   is normalised once, so the signed and the sent targets cannot diverge.
//! - **Retries**: idempotent requests (`GET`, `DELETE`) are retried on transient transport
//!   failures, timeouts, `429` (honouring `Retry-After`), `500`, `502`, `503` and `504`, with
//!   exponential backoff and full jitter; see [`RetryPolicy`].
//! - **Timeouts by default**: connect, per attempt and per call (retries included). No call
//!   can hang forever.
//! - **Errors**: one [`IdvError`] with a [`kind`](IdvError::kind) to match on. Its `Display`
//!   is one line without bodies, tokens, digests or query strings.
//! - **Media**: [`IdvClient::get_media`] (`None` for `204`), [`IdvClient::get_media_stream`]
//!   and [`IdvClient::download_media`] (temporary file + rename: never a partial file); the
//!   buffered and download forms start again after a transient failure mid-body.
//! - **Bounded concurrency**: at most [`IdvClientBuilder::max_in_flight`] requests in flight
//!   per client (and its clones), which also bounds the connections opened.
//! - **Observability**: `tracing` events per attempt (method, path without query, attempt,
//!   status, delay) — never tokens, digests, bodies or query strings.
//!
//! # Features
//!
//! - `hyper` (default): the built-in transport, `idv_transport::HyperTransport` (hyper 1,
//!   rustls, pooled connections). Without it, pass your own with
//!   [`IdvClientBuilder::transport`].
//! - `aws-lc`: sign with AWS-LC (`idv_sign::AwsLcSigner`), several times faster than the
//!   pure-Rust default.

// docs.rs (nightly, `--cfg docsrs`) labels feature-gated items with the feature they need.
#![cfg_attr(docsrs, feature(doc_cfg))]

mod auth;
mod base_url;
mod bearer;
mod builder;
mod client;
mod content_type;
mod create;
mod download;
mod engine;
pub mod env;
mod error;
mod face_capture;
mod ibv;
mod ids;
mod media;
mod multipart;
mod request;
mod response_config;
mod retry;
mod sessions;
mod stream;
mod wait;

pub use base_url::BaseUrl;
pub use bearer::{Authentication, BearerConfig, DEFAULT_AUTH_URL};
pub use builder::{
    DEFAULT_CONNECT_TIMEOUT, DEFAULT_DOWNLOAD_TIMEOUT, DEFAULT_MAX_IN_FLIGHT,
    DEFAULT_MAX_JSON_BYTES, DEFAULT_MAX_MEDIA_BYTES, DEFAULT_OVERALL_TIMEOUT, DEFAULT_READ_TIMEOUT,
    DEFAULT_REQUEST_TIMEOUT, IdvClientBuilder, PRODUCTION_BASE_URL, SANDBOX_BASE_URL,
};
pub use client::IdvClient;
pub use create::WebFlowUrl;
pub use download::{DownloadInfo, DownloadTarget, MediaHead};
pub use engine::MAX_TIMEOUT;
pub use error::{ApiErrorDetails, ErrorKind, IdvError};
pub use face_capture::FaceCaptureUpload;
pub use ids::{IntoId, MAX_ID_LEN, MediaId, ResourceId, SessionId};
pub use media::MediaContent;
pub use multipart::Multipart;
pub use request::{RawResponse, RequestBuilder};
pub use retry::{RetryAction, RetryPolicy};
pub use sessions::Deleted;
pub use stream::ResponseStream;
pub use wait::WaitOptions;

/// The HTTP method type taken by [`IdvClient::request`] (re-exported from `http`).
pub use http::Method;

/// Re-exported model types returned by the client.
pub use idv_model::{Session, SessionState};

/// The workspace README's Rust examples, compiled as doc tests so the README stays true.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
struct ReadmeDoctests;

/// This crate's README examples, compiled as doc tests too.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct CrateReadmeDoctests;
