//! `POST /sessions`: a session created from a specification.
//!
//! The body must be at most [`MAX_SPECIFICATION_BODY`] bytes (413), parse as a specification
//! (`idv_model::spec`) and pass its validation, with a `session_deadline` in the future (400
//! `PAYLOAD_VALIDATION` naming each property at fault). The session is then `ONGOING`, with
//! no resources and no checks (an applicant profile given in `resources` is its one
//! resource), and a `SESSION_CREATED` tracked-device event from this request. The answer is
//! `201` with `session_id`, `client_session_token` (a random UUID v4),
//! `client_session_token_ttl` and `session_deadline`. A `notifications` config must name an
//! endpoint the sandbox sends to (`https://` anywhere, `http://` on loopback) and `BASIC` or
//! `BEARER` (400 on `notifications.endpoint` / `notifications.auth_type` otherwise); the
//! session's notifications are then sent as it runs (`crate::notify`).

use http::StatusCode;
use serde_json::json;

use crate::api_error::ApiError;
use crate::device::device_from_request;
use crate::limits::MAX_SPECIFICATION_BODY;
use crate::live::LiveSession;
use crate::live::spec::{parse_spec, plan_from_spec, too_large};
use crate::notify::Subscription;
use crate::server::{Reply, RequestParts, Shared, lock};

impl Shared {
    /// `POST /sessions`.
    pub(crate) fn create_session(&self, request: &RequestParts<'_>) -> Reply {
        match self.try_create_session(request) {
            Ok(reply) => reply,
            Err(error) => error.into(),
        }
    }

    fn try_create_session(&self, request: &RequestParts<'_>) -> Result<Reply, ApiError> {
        if request.body.len() > MAX_SPECIFICATION_BODY {
            return Err(too_large());
        }
        let spec = parse_spec(&request.body)?;
        let now = self.clock.now_millis();
        let plan = plan_from_spec(&spec, now)?;
        let notifications = Subscription::from_spec(&spec)?;
        let device = device_from_request(request.headers, Some(request.peer.ip()));
        let mut session = LiveSession::new(Some(spec), plan, now, device);
        session.app_id = Some(request.sdk_id.to_owned());
        session.notifications = notifications;
        let created = json!({
            "client_session_token_ttl": session.token_ttl_secs,
            "client_session_token": session.token(),
            "session_id": session.id,
            "session_deadline": session.deadline_text,
        });
        lock(&self.state).live.insert(session, now)?;
        Ok(Reply::json(StatusCode::CREATED, &created))
    }
}
