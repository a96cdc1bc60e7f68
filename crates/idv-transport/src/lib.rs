//! `idv-transport`: the HTTP seam of the idv-rs SDK.
//!
//! This crate knows HTTP, not Yoti: it defines the async [`Transport`] trait the client sends
//! every (already signed) request through, and, behind the default `hyper` feature, the
//! production implementation [`HyperTransport`] (hyper 1, hyper-util's pooled client,
//! hyper-rustls).
//!
//! (Crate documentation is completed below.)
#![cfg_attr(docsrs, feature(doc_auto_cfg))]

mod body;
mod error;
mod func;
mod options;
mod transport;

#[cfg(feature = "hyper")]
mod hyper_impl;

pub use body::BodyStream;
pub use error::{BoxError, TransportError, TransportErrorKind};
pub use func::{FnTransport, transport_fn};
pub use options::{DEFAULT_MAX_BODY_BYTES, SendOptions};
pub use transport::Transport;

#[cfg(feature = "mock")]
pub use transport::MockTransport;

#[cfg(feature = "hyper")]
pub use hyper_impl::{ConnectionInfo, HyperTransport, HyperTransportBuilder};

/// The `rustls` crate this crate builds against (for [`HyperTransportBuilder::crypto_provider`]).
#[cfg(feature = "hyper")]
pub use rustls;
