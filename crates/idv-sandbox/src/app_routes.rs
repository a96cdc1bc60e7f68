//! The signed app routes beyond retrieval: configuration, tracked devices, supported
//! documents, and the media of created sessions. (`POST /sessions` is in `create.rs`.)
//!
//! Staged sessions have no specification: their configuration lists the check types of
//! their last stage and no required resources, and their tracked devices are an empty list.

use http::StatusCode;
use idv_model::CheckType;
use serde_json::json;

use crate::api_error::ApiError;
use crate::fault::Route;
use crate::live::MediaSource;
use crate::media::MediaInfo;
use crate::server::{Reply, Shared, lock, query_param};
use crate::supported_documents::catalogue;

fn session_not_found() -> Reply {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "SESSION_NOT_FOUND",
        "no session with this id",
    )
    .into()
}

fn media_not_found() -> Reply {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "MEDIA_NOT_FOUND",
        "no media with this id",
    )
    .into()
}

impl Shared {
    /// `GET /sessions/{id}/configuration`.
    pub(crate) fn configuration(&self, id: &str) -> Reply {
        let now = self.clock.now_millis();
        let mut state = lock(&self.state);
        if let Some(session) = state.live.get(id) {
            return Reply::json(StatusCode::OK, &session.configuration_json(now));
        }
        let Some(staged) = state.sessions.get_mut(id).filter(|s| !s.is_deleted()) else {
            return session_not_found();
        };
        let last = staged.last_stage();
        let mut requested: Vec<String> = Vec::new();
        if let Ok(session) = idv_model::parse_session(&last) {
            for check in &session.checks {
                let name = check.check_type.as_ref().map(CheckType::as_str);
                if let Some(name) = name.filter(|n| !requested.iter().any(|r| r == n)) {
                    requested.push(name.to_owned());
                }
            }
        }
        Reply::json(
            StatusCode::OK,
            &json!({
                "session_id": id,
                "requested_checks": requested,
                "capture": {"required_resources": []},
            }),
        )
    }

    /// `GET /sessions/{id}/tracked-devices`.
    pub(crate) fn tracked_devices(&self, id: &str) -> Reply {
        let state = lock(&self.state);
        match state.live.get(id) {
            Some(session) => Reply::ok("application/json", session.devices_bytes()),
            None if state.sessions.get(id).is_some_and(|s| !s.is_deleted()) => {
                Reply::ok("application/json", bytes::Bytes::from_static(b"[]"))
            }
            None => session_not_found(),
        }
    }

    /// `DELETE /sessions/{id}/tracked-devices`.
    pub(crate) fn delete_tracked_devices(&self, id: &str) -> Reply {
        let mut state = lock(&self.state);
        if let Some(session) = state.live.get_mut(id) {
            session.devices.clear();
            return Reply::no_content();
        }
        if state.sessions.get(id).is_some_and(|s| !s.is_deleted()) {
            Reply::no_content()
        } else {
            session_not_found()
        }
    }

    /// `GET /supported-documents[?includeNonLatin=true]`.
    pub(crate) fn supported_documents(query: Option<&str>) -> Reply {
        let include = query_param(query, "includeNonLatin")
            .is_some_and(|v| v.eq_ignore_ascii_case("true") || v == "1");
        Reply::ok("application/json", catalogue().response_body(include))
    }

    /// `GET` or `DELETE` of a created session's media.
    pub(crate) fn live_media(&self, route: Route, id: &str, media_id: &str) -> Reply {
        let now = self.clock.now_millis();
        let (cell, info) = {
            let mut state = lock(&self.state);
            let Some(session) = state.live.get_mut(id) else {
                return session_not_found();
            };
            if route == Route::DeleteMedia {
                return match session.delete_media(media_id) {
                    Some(freed) => {
                        state.live.release(freed);
                        Reply::no_content()
                    }
                    None => media_not_found(),
                };
            }
            let Some(record) = session.media.get(media_id) else {
                return media_not_found();
            };
            match &record.source {
                MediaSource::Deleted => return media_not_found(),
                MediaSource::Stored(content) => {
                    return Reply::ok(content.content_type, content.bytes.clone());
                }
                MediaSource::Synthesised(cell) => {
                    if let Some(content) = cell.get() {
                        return Reply::ok(content.content_type, content.bytes.clone());
                    }
                    // Described by where the model places it, as staged media are.
                    let hint = idv_model::parse_session(&session.session_bytes(now))
                        .ok()
                        .and_then(|parsed| {
                            parsed
                                .media_refs()
                                .iter()
                                .find(|r| r.media_id == media_id)
                                .map(|r| r.location.path_hint())
                        })
                        .unwrap_or_default();
                    let info = MediaInfo {
                        id: media_id.to_owned(),
                        media_type: record.media_type.to_owned(),
                        description: vec![hint],
                    };
                    (std::sync::Arc::clone(cell), info)
                }
            }
        };
        // Rendered outside the lock; concurrent first requests share one rendering.
        let content = cell.get_or_init(|| crate::media::synthesise(&info));
        Reply::ok(content.content_type, content.bytes.clone())
    }
}
