//! The created sessions, bounded: at most `max_sessions` of them, and at most `max_bytes` of
//! uploaded media (and user-supplied fields) across all of them.
//!
//! When either bound is reached, the oldest *finished* (`COMPLETED` or `EXPIRED`) created
//! sessions are evicted to make room; if that is not enough, creating is refused with 503
//! `SESSION_STORE_FULL` and uploading with 507 `MEDIA_STORE_FULL`. Sessions in progress are
//! never evicted. Deleting a session frees its room at once. A session's response config
//! counts as uploaded bytes (it may carry an ID photo); the apps' response configs, one per
//! registered app, are bounded by the number of apps.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

use http::StatusCode;

use crate::api_error::ApiError;
use crate::live::LiveSession;
use crate::live::scripted::{ScriptedConfig, SharedConfig};
use crate::user::wire::FinishOptions;

/// The created sessions.
#[derive(Debug)]
pub(crate) struct LiveStore {
    sessions: HashMap<String, LiveSession>,
    /// Ids in creation order (the eviction order).
    order: VecDeque<String>,
    max_sessions: usize,
    max_bytes: usize,
    bytes: usize,
    evicted: u64,
    /// `PUT /apps/{sdkId}/response-config`, by app.
    app_configs: HashMap<String, SharedConfig>,
}

impl LiveStore {
    pub(crate) fn new(max_sessions: usize, max_bytes: usize) -> Self {
        Self {
            sessions: HashMap::new(),
            order: VecDeque::new(),
            max_sessions: max_sessions.max(1),
            max_bytes,
            bytes: 0,
            evicted: 0,
            app_configs: HashMap::new(),
        }
    }

    pub(crate) fn get(&self, id: &str) -> Option<&LiveSession> {
        self.sessions.get(id)
    }

    pub(crate) fn get_mut(&mut self, id: &str) -> Option<&mut LiveSession> {
        self.sessions.get_mut(id)
    }

    pub(crate) fn ids(&self) -> impl Iterator<Item = &str> {
        self.order.iter().map(String::as_str)
    }

    pub(crate) fn len(&self) -> usize {
        self.sessions.len()
    }

    /// Bytes of uploaded media (and user-supplied fields) held.
    pub(crate) fn bytes(&self) -> usize {
        self.bytes
    }

    /// How many finished sessions were evicted to make room.
    pub(crate) fn evicted(&self) -> u64 {
        self.evicted
    }

    /// Removes a session, freeing its room.
    pub(crate) fn remove(&mut self, id: &str) -> Option<LiveSession> {
        let session = self.sessions.remove(id)?;
        self.order.retain(|o| o != id);
        self.bytes = self.bytes.saturating_sub(session.counted_bytes);
        Some(session)
    }

    /// Evicts the oldest finished session other than `keep`; false when there is none.
    fn evict_one(&mut self, now_ms: u64, keep: Option<&str>) -> bool {
        let victim = self.order.iter().find(|id| {
            Some(id.as_str()) != keep
                && self
                    .sessions
                    .get(id.as_str())
                    .is_some_and(|s| s.state(now_ms).is_finished())
        });
        match victim.cloned() {
            Some(id) => {
                self.remove(&id);
                self.evicted = self.evicted.saturating_add(1);
                true
            }
            None => false,
        }
    }

    /// Stores a new session, evicting finished ones when at the cap.
    ///
    /// # Errors
    /// 503 `SESSION_STORE_FULL` when the store is full of sessions in progress.
    pub(crate) fn insert(&mut self, session: LiveSession, now_ms: u64) -> Result<(), ApiError> {
        while self.sessions.len() >= self.max_sessions {
            if !self.evict_one(now_ms, None) {
                return Err(ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "SESSION_STORE_FULL",
                    format!(
                        "the sandbox keeps at most {} created sessions and none is finished \
                         (delete some, or raise the limit)",
                        self.max_sessions
                    ),
                ));
            }
        }
        self.bytes = self.bytes.saturating_add(session.counted_bytes);
        self.order.push_back(session.id.clone());
        self.sessions.insert(session.id.clone(), session);
        Ok(())
    }

    /// Makes room for `bytes` more uploaded bytes in session `id`, evicting other finished
    /// sessions when needed, and counts them. The caller then adds them to the session.
    ///
    /// # Errors
    /// 507 `MEDIA_STORE_FULL` when they do not fit.
    pub(crate) fn reserve(&mut self, id: &str, bytes: usize, now_ms: u64) -> Result<(), ApiError> {
        while self.bytes.saturating_add(bytes) > self.max_bytes {
            if !self.evict_one(now_ms, Some(id)) {
                return Err(ApiError::new(
                    StatusCode::INSUFFICIENT_STORAGE,
                    "MEDIA_STORE_FULL",
                    format!(
                        "the sandbox keeps at most {} bytes of uploaded media and this upload \
                         does not fit (delete sessions, or raise the limit)",
                        self.max_bytes
                    ),
                ));
            }
        }
        self.bytes = self.bytes.saturating_add(bytes);
        Ok(())
    }

    /// Gives back bytes freed inside a session (a deleted media item).
    pub(crate) fn release(&mut self, bytes: usize) {
        self.bytes = self.bytes.saturating_sub(bytes);
    }

    /// Sets (replaces) an app's response config.
    pub(crate) fn set_app_config(&mut self, app: &str, config: ScriptedConfig) {
        self.app_configs.insert(app.to_owned(), Arc::new(config));
    }

    /// Sets (replaces) a session's response config, counting it against the upload budget.
    ///
    /// # Errors
    /// 404 `SESSION_NOT_FOUND`, the refusals of [`LiveSession::check_open`], 507
    /// `MEDIA_STORE_FULL`.
    pub(crate) fn set_session_config(
        &mut self,
        id: &str,
        config: ScriptedConfig,
        now_ms: u64,
    ) -> Result<(), ApiError> {
        let session = self.get(id).ok_or_else(not_found)?;
        session.check_open(now_ms)?;
        let old = session.response_config.as_ref().map_or(0, |c| c.body_len);
        let new = config.body_len;
        if new > old {
            self.reserve(id, new - old, now_ms)?;
        } else {
            self.release(old - new);
        }
        let session = self.get_mut(id).ok_or_else(not_found)?;
        session.counted_bytes = session
            .counted_bytes
            .saturating_sub(old)
            .saturating_add(new);
        session.response_config = Some(Arc::new(config));
        Ok(())
    }

    /// The user finishes session `id` at `now_ms`: it runs with its own response config, else
    /// its app's, else the defaults.
    ///
    /// # Errors
    /// 404 `SESSION_NOT_FOUND`; as [`LiveSession::finish_with`].
    pub(crate) fn finish(
        &mut self,
        id: &str,
        options: &FinishOptions,
        now_ms: u64,
    ) -> Result<&LiveSession, ApiError> {
        let session = self.sessions.get(id).ok_or_else(not_found)?;
        let config = session.response_config.clone().or_else(|| {
            session
                .app_id
                .as_ref()
                .and_then(|app| self.app_configs.get(app))
                .cloned()
        });
        let session = self.sessions.get_mut(id).ok_or_else(not_found)?;
        session.finish_with(options, config.as_deref(), now_ms)?;
        Ok(session)
    }
}

fn not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "SESSION_NOT_FOUND",
        "no session created with POST /sessions has this id",
    )
}

#[cfg(test)]
mod tests {
    use idv_model::TrackedDevice;

    use super::*;
    use crate::live::plan::Plan;
    use crate::user::wire::FinishOptions;

    fn new_session(now_ms: u64) -> LiveSession {
        LiveSession::new(None, Plan::default(), now_ms, TrackedDevice::default())
    }

    #[test]
    fn evicts_the_oldest_finished_session_at_the_cap() {
        let mut store = LiveStore::new(2, 1_000);
        let mut first = new_session(0);
        first
            .finish_with(&FinishOptions::default(), None, 1)
            .expect("finish");
        let first_id = first.id.clone();
        store.insert(first, 1).expect("room");
        let second = new_session(2);
        let second_id = second.id.clone();
        store.insert(second, 2).expect("room");
        let third = new_session(3);
        store.insert(third, 3).expect("evicts the finished one");
        assert!(store.get(&first_id).is_none());
        assert!(store.get(&second_id).is_some());
        assert_eq!(store.evicted(), 1);
        let err = store
            .insert(new_session(4), 4)
            .expect_err("all in progress");
        assert_eq!(err.code, "SESSION_STORE_FULL");
        assert_eq!(err.status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(store.len(), 2);
        // An expired session counts as finished.
        let far = 10_000_000;
        store
            .insert(new_session(far), far)
            .expect("expired sessions are evicted");
    }

    #[test]
    fn upload_bytes_are_bounded_and_released() {
        let mut store = LiveStore::new(10, 100);
        let session = new_session(0);
        let id = session.id.clone();
        store.insert(session, 0).expect("room");
        store.reserve(&id, 60, 0).expect("fits");
        store.get_mut(&id).expect("session").counted_bytes = 60;
        let err = store.reserve(&id, 41, 0).expect_err("does not fit");
        assert_eq!(err.code, "MEDIA_STORE_FULL");
        store.reserve(&id, 40, 0).expect("fits exactly");
        store.get_mut(&id).expect("session").counted_bytes = 100;
        assert_eq!(store.bytes(), 100);
        store.release(30);
        assert_eq!(store.bytes(), 70);
        store.get_mut(&id).expect("session").counted_bytes = 70;
        store.remove(&id);
        assert_eq!(store.bytes(), 0);
        assert_eq!(store.ids().count(), 0);
    }
}
