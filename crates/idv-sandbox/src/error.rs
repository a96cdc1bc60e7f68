//! The sandbox's error type.

use std::path::PathBuf;

/// Why a sandbox could not be configured or started.
///
/// Messages name files, ids and causes, never key material or document contents.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SandboxError {
    /// A file (session, key, certificate, media directory) could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file that failed.
        path: PathBuf,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A session document is not a session the sandbox can serve.
    #[error("invalid session {origin}: {reason}")]
    InvalidSession {
        /// Where the session came from (file name, or `stage N` of a value list).
        origin: String,
        /// What is wrong with it (a JSON path and message, never document contents).
        reason: String,
    },
    /// The stages given for one session do not all carry the same `session_id`.
    #[error("stage {stage} has session_id {found:?}, expected {expected:?}")]
    MixedSessionIds {
        /// The session id of the first stage.
        expected: String,
        /// The session id found in the offending stage.
        found: String,
        /// The 1-based stage index.
        stage: usize,
    },
    /// An application's public key could not be parsed.
    #[error("invalid public key for app {sdk_id}: {reason}")]
    InvalidAppKey {
        /// The SDK id the key was registered for.
        sdk_id: String,
        /// Why the key was rejected.
        reason: String,
    },
    /// A fresh application key pair could not be generated.
    #[error("cannot generate an application key pair: {0}")]
    KeyGeneration(String),
    /// A command-line argument is malformed.
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
    /// The TLS certificate could not be generated or loaded.
    #[error("TLS setup failed: {0}")]
    Tls(String),
    /// The listening socket could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The requested address.
        addr: std::net::SocketAddr,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },
    /// Writing the base URL or waiting for a signal failed (binary only).
    #[error("I/O error: {0}")]
    Runtime(#[source] std::io::Error),
}
