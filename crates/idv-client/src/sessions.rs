//! Session calls: retrieve, delete, configuration, tracked devices; supported documents.

use std::borrow::Cow;

use bytes::Bytes;
use http::{Method, StatusCode};
use idv_model::{Session, SessionConfiguration, SupportedDocumentsResponse, TrackedDeviceEvent};
use tokio::time::Instant;

use crate::client::IdvClient;
use crate::engine::{Budget, Call};
use crate::error::IdvError;
use crate::ids::{IntoId, SessionId};

/// How a `DELETE` succeeded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Deleted {
    /// The API confirmed the deletion.
    Now,
    /// An earlier attempt ended without an answer (a reset, a timeout) and the retry was told
    /// `404`: that earlier attempt did the deletion.
    ByEarlierAttempt,
}

impl IdvClient {
    /// Retrieves a session: `GET /sessions/{session_id}`, decoded into the typed model.
    ///
    /// Errors: [`InvalidArgument`](crate::ErrorKind::InvalidArgument) for a malformed id
    /// (nothing is sent), [`Api`](crate::ErrorKind::Api) for an error status (for instance
    /// `404`), [`Decode`](crate::ErrorKind::Decode) when the JSON does not match the model (the
    /// error names the JSON path), [`UnexpectedResponse`](crate::ErrorKind::UnexpectedResponse)
    /// for a `204` or an empty body.
    pub async fn get_session(
        &self,
        session_id: impl IntoId<SessionId>,
    ) -> Result<Session, IdvError> {
        self.get_session_raw(session_id).await.map(|(s, _)| s)
    }

    /// Like [`get_session`](Self::get_session), also returning the exact bytes received (for
    /// archiving or for fields the model does not know yet).
    pub async fn get_session_raw(
        &self,
        session_id: impl IntoId<SessionId>,
    ) -> Result<(Session, Bytes), IdvError> {
        let id = session_id.into_id()?;
        self.get_session_until(&id, self.inner().deadline()).await
    }

    pub(crate) async fn get_session_until(
        &self,
        id: &SessionId,
        deadline: Instant,
    ) -> Result<(Session, Bytes), IdvError> {
        let inner = self.inner();
        let call = Call::get_json(format!("/sessions/{id}"), inner.max_json_bytes);
        let mut budget = Budget::new(&inner.retry, deadline);
        let success = inner.execute(&call, &mut budget).await?;
        let status = success.response.status();
        let body = success
            .response
            .into_body()
            .collect(call.max_body_bytes)
            .await
            .map_err(|e| e.with_request(&call.method, &call.path))?;
        if status == StatusCode::NO_CONTENT || body.is_empty() {
            return Err(crate::engine::missing_body(
                status,
                &call.method,
                &call.path,
                budget.made(),
            ));
        }
        let session =
            crate::engine::decode(&body, &call.method, &call.path, idv_model::parse_session)?;
        Ok((session, body))
    }

    /// Deletes a session and its resources: `DELETE /sessions/{session_id}`.
    pub async fn delete_session(
        &self,
        session_id: impl IntoId<SessionId>,
    ) -> Result<Deleted, IdvError> {
        let id = session_id.into_id()?;
        self.delete_path(format!("/sessions/{id}")).await
    }

    /// Retrieves a session's configuration (requested checks, required resources):
    /// `GET /sessions/{session_id}/configuration`.
    pub async fn get_session_configuration(
        &self,
        session_id: impl IntoId<SessionId>,
    ) -> Result<SessionConfiguration, IdvError> {
        let id = session_id.into_id()?;
        self.request(Method::GET, &format!("/sessions/{id}/configuration"))
            .send_json()
            .await
    }

    /// Retrieves the documents the API supports, by country: `GET /supported-documents`
    /// (with `includeNonLatin=true` when `include_non_latin`). Signed like every other call.
    pub async fn get_supported_documents(
        &self,
        include_non_latin: bool,
    ) -> Result<SupportedDocumentsResponse, IdvError> {
        let mut request = self.request(Method::GET, "/supported-documents");
        if include_non_latin {
            request = request.query("includeNonLatin", "true");
        }
        request.send_json().await
    }

    /// Retrieves the device events tracked for a session:
    /// `GET /sessions/{session_id}/tracked-devices`.
    pub async fn get_tracked_devices(
        &self,
        session_id: impl IntoId<SessionId>,
    ) -> Result<Vec<TrackedDeviceEvent>, IdvError> {
        let id = session_id.into_id()?;
        self.request(Method::GET, &format!("/sessions/{id}/tracked-devices"))
            .send_json()
            .await
    }

    /// Deletes the device events tracked for a session:
    /// `DELETE /sessions/{session_id}/tracked-devices`.
    pub async fn delete_tracked_devices(
        &self,
        session_id: impl IntoId<SessionId>,
    ) -> Result<Deleted, IdvError> {
        let id = session_id.into_id()?;
        self.delete_path(format!("/sessions/{id}/tracked-devices"))
            .await
    }

    /// A `DELETE`; any 2xx is success and the body is ignored. A `404` after an attempt whose
    /// outcome is unknown means that attempt deleted it.
    pub(crate) async fn delete_path(&self, path: String) -> Result<Deleted, IdvError> {
        let inner = self.inner();
        let call = Call {
            method: Method::DELETE,
            ..Call::get_json(Cow::Owned(path), 64 * 1024)
        };
        let mut budget = Budget::new(&inner.retry, inner.deadline());
        match inner.execute(&call, &mut budget).await {
            Ok(_) => Ok(Deleted::Now),
            Err(e) if e.status() == Some(StatusCode::NOT_FOUND) && budget.outcome_unknown() => {
                tracing::info!(method = "DELETE", path = %call.path,
                    "404 after an attempt with an unknown outcome: that attempt deleted it");
                Ok(Deleted::ByEarlierAttempt)
            }
            Err(e) => Err(e),
        }
    }
}
