//! Scripted outcomes for sandboxes: the response config of Yoti's hosted sandbox, which the
//! local `idv-sandbox` honours too, so one test suite runs against both.

use http::Method;
use serde::Serialize;

use crate::client::IdvClient;
use crate::error::IdvError;
use crate::ids::{IntoId, SessionId};

impl IdvClient {
    /// **Sandbox only.** Scripts the outcome of one session before its user completes it:
    /// `PUT /sessions/{session_id}/response-config` with a response config
    /// (`idv_model::response_config`, or any serialisable value of that shape).
    ///
    /// Only a sandbox base URL ([`SANDBOX_BASE_URL`](crate::SANDBOX_BASE_URL) or a local
    /// `idv-sandbox`) accepts it. The call replaces the config, so it is safe to retry.
    pub async fn put_session_response_config<T: Serialize + ?Sized>(
        &self,
        session_id: impl IntoId<SessionId>,
        config: &T,
    ) -> Result<(), IdvError> {
        let session = session_id.into_id()?;
        self.request(Method::PUT, &format!("/sessions/{session}/response-config"))
            .idempotent(true)
            .json(config)?
            .send()
            .await
            .map(drop)
    }

    /// **Sandbox only.** Scripts the default outcome of every session of this application:
    /// `PUT /apps/{sdk_id}/response-config` (the app is in the path; a session-level config
    /// overrides it). The call replaces the config, so it is safe to retry.
    pub async fn put_app_response_config<T: Serialize + ?Sized>(
        &self,
        config: &T,
    ) -> Result<(), IdvError> {
        // The SDK id was checked when the client was built: no '/', whitespace or controls; it
        // is percent-encoded here all the same, as a path segment.
        let mut app = String::new();
        idv_sign::percent_encode_into(&mut app, self.sdk_id());
        self.request(Method::PUT, &format!("/apps/{app}/response-config"))
            .idempotent(true)
            .json(config)?
            .send()
            .await
            .map(drop)
    }
}
