//! Scripted outcomes (sandbox only, S1 and S2 of §2.1 of the reference):
//! `PUT /sessions/{id}/response-config` and `PUT /apps/{sdkId}/response-config`.
//!
//! The body is a response config (§5.11, `idv_model::response_config`): at most
//! [`MAX_RESPONSE_CONFIG_BODY`] bytes (413), parsed and validated (400 `PAYLOAD_VALIDATION`
//! naming each property). A config replaces the one set before. When the user finishes a
//! session, its checks and tasks follow the session's config, else its app's (the app that
//! created it), else the defaults (`live/finish.rs`, `live/scripted.rs`). Both answer `204`.
//!
//! The app-level call names its app in the path: without an `sdkId` query parameter (as
//! Yoti's Node and Go sandbox clients send it) the request is signed by that app
//! (`app_auth.rs`); with one (as Java sends it), the path must name the signing app (403
//! `APP_MISMATCH` otherwise).

use http::StatusCode;

use crate::api_error::ApiError;
use crate::limits::MAX_RESPONSE_CONFIG_BODY;
use crate::live::scripted::ScriptedConfig;
use crate::server::{Reply, RequestParts, Shared, lock};

fn too_large() -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "PAYLOAD_TOO_LARGE",
        format!("a response config is at most {MAX_RESPONSE_CONFIG_BODY} bytes"),
    )
}

/// The refusal for a session that exists but was staged (served as given), not created.
pub(crate) fn staged_session() -> ApiError {
    ApiError::new(
        StatusCode::CONFLICT,
        "STAGED_SESSION",
        "this session is staged (served as given); only sessions created with POST /sessions \
         can be changed",
    )
}

/// 404 `SESSION_NOT_FOUND`.
pub(crate) fn session_not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "SESSION_NOT_FOUND",
        "no session with this id",
    )
}

impl Shared {
    /// The refusal for a session id that names no created session: staged or unknown.
    pub(crate) fn not_created(&self, id: &str) -> ApiError {
        let state = lock(&self.state);
        if state.sessions.get(id).is_some_and(|s| !s.is_deleted()) {
            staged_session()
        } else {
            session_not_found()
        }
    }

    /// `PUT /sessions/{id}/response-config`.
    pub(crate) fn put_session_response_config(
        &self,
        id: &str,
        request: &RequestParts<'_>,
    ) -> Reply {
        match self.try_put_session_response_config(id, request) {
            Ok(()) => Reply::no_content(),
            Err(error) => error.into(),
        }
    }

    fn try_put_session_response_config(
        &self,
        id: &str,
        request: &RequestParts<'_>,
    ) -> Result<(), ApiError> {
        if lock(&self.state).live.get(id).is_none() {
            return Err(self.not_created(id));
        }
        let config = read_config(&request.body)?;
        let now = self.clock.now_millis();
        lock(&self.state).live.set_session_config(id, config, now)
    }

    /// `PUT /apps/{sdkId}/response-config`.
    pub(crate) fn put_app_response_config(&self, app: &str, request: &RequestParts<'_>) -> Reply {
        if app != request.sdk_id {
            return ApiError::new(
                StatusCode::FORBIDDEN,
                "APP_MISMATCH",
                "the path names another application than the one that signed the request",
            )
            .into();
        }
        match read_config(&request.body) {
            Ok(config) => {
                lock(&self.state).live.set_app_config(app, config);
                Reply::no_content()
            }
            Err(error) => error.into(),
        }
    }
}

/// Reads and validates a response-config body (outside the sandbox's lock).
fn read_config(body: &[u8]) -> Result<ScriptedConfig, ApiError> {
    if body.len() > MAX_RESPONSE_CONFIG_BODY {
        return Err(too_large());
    }
    ScriptedConfig::parse(body)
}
