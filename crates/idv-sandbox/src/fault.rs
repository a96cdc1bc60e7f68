//! Scripted fault injection.
//!
//! Each [`Route`] has a queue of [`Fault`]s. Every request that **passed authentication** takes
//! the first fault from the queue of its own route, or, when that queue is empty, from the
//! [`Route::Any`] queue; a request with no fault left is served normally. Rejected requests
//! (bad signature, unknown app, replayed nonce, …) never consume a fault, so the request log's
//! count of verified requests is the number of attempts a client made. User-side requests
//! take faults once their client session token is accepted, and `GET /supported-documents`
//! sent without auth parameters (as the official Java SDK sends it) takes them too.

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::time::Duration;

use http::StatusCode;

/// The API operations the sandbox serves, used to target faults and in the request log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Route {
    /// `GET /sessions/{id}`.
    GetSession,
    /// `DELETE /sessions/{id}`.
    DeleteSession,
    /// `GET /sessions/{id}/media/{mediaId}/content`.
    GetMedia,
    /// `DELETE /sessions/{id}/media/{mediaId}/content`.
    DeleteMedia,
    /// `POST /sessions`.
    CreateSession,
    /// `GET /sessions/{id}/configuration`.
    GetConfiguration,
    /// `GET /sessions/{id}/tracked-devices`.
    GetTrackedDevices,
    /// `DELETE /sessions/{id}/tracked-devices`.
    DeleteTrackedDevices,
    /// `GET /supported-documents`.
    GetSupportedDocuments,
    /// User side: `GET /user/sessions/{id}`.
    UserGetSession,
    /// User side: `GET /user/sessions/{id}/configuration`.
    UserGetConfiguration,
    /// User side: `POST /user/sessions/{id}/id-documents`.
    UserAddIdDocument,
    /// User side: `POST /user/sessions/{id}/supplementary-documents`.
    UserAddSupplementaryDocument,
    /// User side: `POST /user/sessions/{id}/liveness`.
    UserAddLiveness,
    /// User side: `POST /user/sessions/{id}/finish`.
    UserFinish,
    /// `PUT /sessions/{id}/response-config` (sandbox only: the session's scripted outcome).
    PutSessionResponseConfig,
    /// `PUT /apps/{sdkId}/response-config` (sandbox only: the app's default outcome).
    PutAppResponseConfig,
    /// `POST /sessions/{id}/resources/face-capture`.
    CreateFaceCapture,
    /// `PUT /sessions/{id}/resources/face-capture/{resourceId}/image`.
    UploadFaceCaptureImage,
    /// `PUT /sessions/{id}/instructions`.
    PutInstructions,
    /// `GET /sessions/{id}/instructions`.
    GetInstructions,
    /// `GET /sessions/{id}/instructions/pdf`.
    GetInstructionsPdf,
    /// `GET /sessions/{id}/instructions/contact-profile`.
    GetInstructionsContactProfile,
    /// `POST /sessions/{id}/instructions/email`.
    TriggerInstructionsEmail,
    /// `POST {base}/oauth/token` (or `POST /v1/oauth/token`): a bearer token for a client
    /// assertion. Its faults apply once the assertion has verified.
    Token,
    /// Any authenticated request (signed, with a bearer token, user-side with a valid
    /// session token, or a token request whose assertion verified), including signed ones
    /// to unknown paths. Consulted after the specific route's queue is empty.
    Any,
}

impl fmt::Display for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::GetSession => "GetSession",
            Self::DeleteSession => "DeleteSession",
            Self::GetMedia => "GetMedia",
            Self::DeleteMedia => "DeleteMedia",
            Self::CreateSession => "CreateSession",
            Self::GetConfiguration => "GetConfiguration",
            Self::GetTrackedDevices => "GetTrackedDevices",
            Self::DeleteTrackedDevices => "DeleteTrackedDevices",
            Self::GetSupportedDocuments => "GetSupportedDocuments",
            Self::UserGetSession => "UserGetSession",
            Self::UserGetConfiguration => "UserGetConfiguration",
            Self::UserAddIdDocument => "UserAddIdDocument",
            Self::UserAddSupplementaryDocument => "UserAddSupplementaryDocument",
            Self::UserAddLiveness => "UserAddLiveness",
            Self::UserFinish => "UserFinish",
            Self::PutSessionResponseConfig => "PutSessionResponseConfig",
            Self::PutAppResponseConfig => "PutAppResponseConfig",
            Self::CreateFaceCapture => "CreateFaceCapture",
            Self::UploadFaceCaptureImage => "UploadFaceCaptureImage",
            Self::PutInstructions => "PutInstructions",
            Self::GetInstructions => "GetInstructions",
            Self::GetInstructionsPdf => "GetInstructionsPdf",
            Self::GetInstructionsContactProfile => "GetInstructionsContactProfile",
            Self::TriggerInstructionsEmail => "TriggerInstructionsEmail",
            Self::Token => "Token",
            Self::Any => "Any",
        })
    }
}

/// One scripted misbehaviour, consumed by one authenticated request.
///
/// "503 twice, then normal" is two [`Fault::Status`] entries in a route's queue.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// Answer with this status and an API error body `{code, message}` instead of the real
    /// response (nothing changes on the server), optionally with a `Retry-After` header.
    Status {
        /// The HTTP status to answer with.
        status: StatusCode,
        /// The `code` of the error body.
        code: String,
        /// `Retry-After` in whole seconds, when set.
        retry_after: Option<u64>,
    },
    /// Wait this long, then serve the request normally.
    Delay(Duration),
    /// Close the connection before sending any response byte.
    CloseConnection,
    /// Send the headers with the full `Content-Length` but only the first half of the body,
    /// then close the connection.
    TruncateBody,
    /// Send the headers and the first half of the body, then stall (send nothing more, keep
    /// the connection open) until the sandbox shuts down, or for at most ten minutes, then
    /// close the connection.
    StallBody,
}

impl Fault {
    /// A [`Fault::Status`] with a code derived from the status (`SERVICE_UNAVAILABLE`, …).
    pub fn status(status: StatusCode) -> Self {
        let code = status
            .canonical_reason()
            .unwrap_or("INJECTED_FAULT")
            .to_ascii_uppercase()
            .replace([' ', '-', '\''], "_");
        Self::Status {
            status,
            code,
            retry_after: None,
        }
    }

    /// `503 Service Unavailable`.
    pub fn service_unavailable() -> Self {
        Self::status(StatusCode::SERVICE_UNAVAILABLE)
    }

    /// `429 Too Many Requests` with `Retry-After: seconds`.
    pub fn too_many_requests(retry_after_secs: u64) -> Self {
        let mut fault = Self::status(StatusCode::TOO_MANY_REQUESTS);
        if let Self::Status { retry_after, .. } = &mut fault {
            *retry_after = Some(retry_after_secs);
        }
        fault
    }

    /// The kind of this fault, as recorded in the request log.
    pub fn kind(&self) -> FaultKind {
        match self {
            Self::Status { status, .. } => FaultKind::Status(*status),
            Self::Delay(_) => FaultKind::Delay,
            Self::CloseConnection => FaultKind::CloseConnection,
            Self::TruncateBody => FaultKind::TruncateBody,
            Self::StallBody => FaultKind::StallBody,
        }
    }
}

/// What fault a logged request received (see [`Fault`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FaultKind {
    /// [`Fault::Status`] with this status.
    Status(StatusCode),
    /// [`Fault::Delay`].
    Delay,
    /// [`Fault::CloseConnection`].
    CloseConnection,
    /// [`Fault::TruncateBody`].
    TruncateBody,
    /// [`Fault::StallBody`].
    StallBody,
}

/// The per-route fault queues.
#[derive(Debug, Default)]
pub(crate) struct FaultQueues {
    queues: HashMap<Route, VecDeque<Fault>>,
}

impl FaultQueues {
    pub(crate) fn push(&mut self, route: Route, faults: impl IntoIterator<Item = Fault>) {
        self.queues.entry(route).or_default().extend(faults);
    }

    /// Takes the next fault for a request on `route` (`None` for an unknown path).
    pub(crate) fn take(&mut self, route: Option<Route>) -> Option<Fault> {
        if let Some(route) = route
            && let Some(fault) = self.queues.get_mut(&route).and_then(VecDeque::pop_front)
        {
            return Some(fault);
        }
        self.queues
            .get_mut(&Route::Any)
            .and_then(VecDeque::pop_front)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specific_queue_is_used_before_any() {
        let mut q = FaultQueues::default();
        q.push(Route::Any, [Fault::CloseConnection]);
        q.push(Route::GetSession, [Fault::service_unavailable()]);
        assert_eq!(q.take(Some(Route::GetMedia)), Some(Fault::CloseConnection));
        assert_eq!(q.take(Some(Route::GetMedia)), None);
        assert_eq!(
            q.take(Some(Route::GetSession)),
            Some(Fault::service_unavailable())
        );
        assert_eq!(q.take(Some(Route::GetSession)), None);
    }

    #[test]
    fn status_codes_are_derived() {
        match Fault::too_many_requests(7) {
            Fault::Status {
                status,
                code,
                retry_after,
            } => {
                assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
                assert_eq!(code, "TOO_MANY_REQUESTS");
                assert_eq!(retry_after, Some(7));
            }
            other => panic!("unexpected {other:?}"),
        }
        assert_eq!(
            Fault::service_unavailable().kind(),
            FaultKind::Status(StatusCode::SERVICE_UNAVAILABLE)
        );
    }
}
