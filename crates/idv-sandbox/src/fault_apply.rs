//! Applying an injected fault to a reply: the status it replaces the reply with, the delay, and
//! the finished response with its body cut or stalled, logged.

use std::time::Duration;

use http::{HeaderValue, Response, StatusCode, header};
use tokio::sync::watch;

use crate::body::SandboxBody;
use crate::fault::Fault;
use crate::log::RequestLogEntry;
use crate::server::{Reply, Shared, lock};

/// How long a truncated body waits before the connection is closed, so the part that is sent
/// gets flushed first.
const TRUNCATE_FLUSH: Duration = Duration::from_millis(20);
/// The longest a stalled body ([`Fault::StallBody`]) stalls before the connection is closed.
const STALL_MAX: Duration = Duration::from_secs(600);

/// Takes the request's fault, if any, and records it in the log entry.
pub(crate) fn take_fault(
    shared: &Shared,
    mut entry: RequestLogEntry,
) -> (RequestLogEntry, Option<Fault>) {
    let fault = lock(&shared.state).faults.take(entry.route);
    entry.fault = fault.as_ref().map(Fault::kind);
    (entry, fault)
}

/// The reply of a [`Fault::Status`].
pub(crate) fn fault_reply(fault: &Fault) -> Reply {
    match fault {
        Fault::Status {
            status,
            code,
            retry_after,
        } => {
            let mut reply = Reply::error(*status, code, "injected fault");
            reply.retry_after = *retry_after;
            reply
        }
        _ => Reply::error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "INJECTED_FAULT",
            "injected fault",
        ),
    }
}

/// Waits out a [`Fault::Delay`] (or until shutdown).
pub(crate) async fn delay(fault: Option<&Fault>, shutdown: &mut watch::Receiver<bool>) {
    if let Some(Fault::Delay(delay)) = fault {
        tokio::select! {
            () = tokio::time::sleep(*delay) => {}
            _ = shutdown.changed() => {}
        }
    }
}

/// Logs the request and builds the response, cutting or stalling the body when asked.
pub(crate) fn finish(
    shared: &Shared,
    mut entry: RequestLogEntry,
    reply: Reply,
    fault: Option<Fault>,
    mut shutdown: watch::Receiver<bool>,
) -> Response<SandboxBody> {
    entry.status = Some(reply.status.as_u16());
    lock(&shared.log).push(entry);
    let full_len = reply.body.len();
    let body = match fault {
        Some(Fault::TruncateBody) => SandboxBody::cut(
            reply.body.slice(..full_len / 2),
            Box::pin(tokio::time::sleep(TRUNCATE_FLUSH)),
        ),
        Some(Fault::StallBody) => SandboxBody::cut(
            reply.body.slice(..full_len / 2),
            Box::pin(async move {
                // Stall until the sandbox shuts down (which drops the connection anyway), or
                // for at most STALL_MAX, so abandoned connections do not pile up.
                let shut =
                    async { while shutdown.changed().await.is_ok() && !*shutdown.borrow() {} };
                let _ = tokio::time::timeout(STALL_MAX, shut).await;
            }),
        ),
        _ => SandboxBody::full(reply.body),
    };
    let cut = matches!(fault, Some(Fault::TruncateBody | Fault::StallBody));
    let mut response = Response::new(body);
    *response.status_mut() = reply.status;
    let headers = response.headers_mut();
    if let Some(content_type) = reply.content_type {
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    }
    if let Some(seconds) = reply.retry_after {
        headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
    if cut {
        // Announce the whole body (at least one byte more than what will be sent).
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from(full_len.max(1)));
    }
    if reply.close {
        headers.insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    response
}
