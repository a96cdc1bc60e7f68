//! Mapping hyper / hyper-util / rustls / io errors to [`TransportErrorKind`]s.

use std::error::Error as StdError;
use std::io;

use super::plain_http::NotLoopback;
use super::tracking::ConnectTimeout;
use crate::{TransportError, TransportErrorKind};

/// Every error in the chain starting at `err`, including errors wrapped inside `io::Error`s
/// (whose `source()` skips the wrapped error itself).
fn chain<'a>(
    err: &'a (dyn StdError + 'static),
) -> impl Iterator<Item = &'a (dyn StdError + 'static)> {
    let mut stack: Vec<&'a (dyn StdError + 'static)> = vec![err];
    std::iter::from_fn(move || {
        let current = stack.pop()?;
        if let Some(next) = current.source() {
            stack.push(next);
        }
        if let Some(inner) = current
            .downcast_ref::<io::Error>()
            .and_then(|e| e.get_ref())
        {
            let inner: &(dyn StdError + 'static) = inner;
            // `io::Error::source()` returns the wrapped error's source, so visit the wrapped
            // error itself too (it is not otherwise part of the chain).
            stack.push(inner);
        }
        Some(current)
    })
}

fn find<'a, T: StdError + 'static>(err: &'a (dyn StdError + 'static)) -> Option<&'a T> {
    chain(err).find_map(|e| e.downcast_ref::<T>())
}

fn io_kind(err: &(dyn StdError + 'static)) -> Option<io::ErrorKind> {
    chain(err)
        .find_map(|e| e.downcast_ref::<io::Error>())
        .map(io::Error::kind)
}

/// Classify an error from `Client::request` (everything before the response head).
pub(crate) fn request_error(err: hyper_util::client::legacy::Error) -> TransportError {
    let dyn_err: &(dyn StdError + 'static) = &err;
    let (kind, message): (TransportErrorKind, String) =
        if let Some(refused) = find::<NotLoopback>(dyn_err) {
            (TransportErrorKind::InsecureScheme, refused.to_string())
        } else if let Some(t) = find::<ConnectTimeout>(dyn_err) {
            (TransportErrorKind::Connect, t.to_string())
        } else if let Some(tls) = find::<rustls::Error>(dyn_err) {
            (TransportErrorKind::Tls, tls.to_string())
        } else if err.is_connect() {
            let message = match io_kind(dyn_err) {
                Some(io::ErrorKind::ConnectionRefused) => "connection refused".to_owned(),
                Some(io::ErrorKind::TimedOut) => "connect timed out".to_owned(),
                Some(io::ErrorKind::InvalidData) => "TLS handshake failed".to_owned(),
                Some(kind) => format!("could not connect ({kind})"),
                None => "could not connect".to_owned(),
            };
            let kind = if io_kind(dyn_err) == Some(io::ErrorKind::InvalidData) {
                TransportErrorKind::Tls
            } else {
                TransportErrorKind::Connect
            };
            (kind, message)
        } else if let Some(h) = find::<hyper::Error>(dyn_err) {
            classify_hyper(h, false)
        } else if let Some(kind) = io_kind(dyn_err) {
            (
                TransportErrorKind::Io,
                format!("connection failed ({kind})"),
            )
        } else {
            (TransportErrorKind::Other, "the request failed".to_owned())
        };
    TransportError::new(kind, message).with_source(err)
}

/// Classify an error while reading a response body.
pub(crate) fn body_error(err: hyper::Error) -> TransportError {
    let (kind, message) = classify_hyper(&err, true);
    TransportError::new(kind, message).with_source(err)
}

fn classify_hyper(err: &hyper::Error, in_body: bool) -> (TransportErrorKind, String) {
    let dyn_err: &(dyn StdError + 'static) = err;
    let io_kind = io_kind(dyn_err);
    let failed = if in_body {
        TransportErrorKind::Body
    } else {
        TransportErrorKind::Io
    };
    if err.is_timeout() {
        (TransportErrorKind::Timeout, "timed out".to_owned())
    } else if err.is_parse() || err.is_parse_status() {
        (
            TransportErrorKind::Protocol,
            "malformed HTTP response".to_owned(),
        )
    } else if err.is_user() {
        (
            TransportErrorKind::InvalidRequest,
            "hyper rejected the request".to_owned(),
        )
    } else if err.is_incomplete_message() {
        let msg = if in_body {
            "the connection closed before the body was complete (truncated)"
        } else {
            "the connection closed before a response arrived"
        };
        (failed, msg.to_owned())
    } else if err.is_canceled() || err.is_closed() {
        (failed, "the connection was closed".to_owned())
    } else if let Some(h2) = find::<h2::Error>(dyn_err).filter(|e| !e.is_io()) {
        classify_h2(h2, failed)
    } else if let Some(kind) = io_kind {
        let msg = match (kind, in_body) {
            (io::ErrorKind::ConnectionReset, true) => "connection reset mid-body".to_owned(),
            (io::ErrorKind::ConnectionReset, false) => "connection reset".to_owned(),
            (kind, true) => format!("I/O error mid-body ({kind})"),
            (kind, false) => format!("I/O error ({kind})"),
        };
        (failed, msg)
    } else if in_body {
        // HTTP/2 stream errors (RST_STREAM, GOAWAY) surface here without an io::Error.
        (
            TransportErrorKind::Body,
            "the body stream failed".to_owned(),
        )
    } else {
        (
            TransportErrorKind::Protocol,
            "HTTP protocol error".to_owned(),
        )
    }
}

/// An HTTP/2 stream reset or GOAWAY: a peer that gave up (cancel, internal error, refused
/// stream, shutdown) is a retryable failure; a peer reporting a protocol violation is not.
fn classify_h2(err: &h2::Error, failed: TransportErrorKind) -> (TransportErrorKind, String) {
    use h2::Reason;
    let what = if err.is_go_away() {
        "connection closed (GOAWAY)"
    } else {
        "stream reset"
    };
    let by = if err.is_remote() {
        "by the server"
    } else {
        "locally"
    };
    match err.reason() {
        Some(
            reason @ (Reason::PROTOCOL_ERROR
            | Reason::FLOW_CONTROL_ERROR
            | Reason::FRAME_SIZE_ERROR
            | Reason::COMPRESSION_ERROR
            | Reason::HTTP_1_1_REQUIRED
            | Reason::INADEQUATE_SECURITY),
        ) => (
            TransportErrorKind::Protocol,
            format!("HTTP/2 {what} {by}: {reason:?}"),
        ),
        Some(reason) => (failed, format!("HTTP/2 {what} {by}: {reason:?}")),
        None => (failed, format!("HTTP/2 {what} {by}")),
    }
}
