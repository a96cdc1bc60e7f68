//! The user-side routes, served by the sandbox: authenticated by the session's client session
//! token (`Authorization: Bearer <token>`, or the `sessionToken` query parameter), not by the
//! app's signature.
//!
//! Order of processing: the token must be present (401 `MISSING_SESSION_TOKEN`), the session
//! must be one created with `POST /sessions` (404 `SESSION_NOT_FOUND`), the token must be the
//! session's (401 `INVALID_SESSION_TOKEN`), the session not completed (409
//! `SESSION_COMPLETED`) nor past its deadline (410 `SESSION_EXPIRED`), the token not expired
//! (401 `SESSION_TOKEN_EXPIRED`); only then is the body read, a fault applied, and the route
//! served.

use std::net::SocketAddr;

use bytes::Bytes;
use http::{HeaderMap, StatusCode};
use idv_model::TrackedDevice;

use crate::api_error::{ApiError, from_parse_error};
use crate::device::device_from_request;
use crate::fault::Route;
use crate::live::LiveSession;
use crate::live::finish::check_options;
use crate::live::resources::{
    Adding, CheckedDocument, check_id_document, check_liveness, check_supplementary_document,
};
use crate::log::RequestLogEntry;
use crate::server::{Reply, Shared, lock, query_param};
use crate::user::wire::{
    FinishOptions, IdDocumentUpload, LivenessUpload, SupplementaryDocumentUpload,
};

/// A user-side request, before its body is read.
#[derive(Debug)]
pub(crate) struct UserRequest<'a> {
    pub(crate) route: Route,
    pub(crate) session_id: &'a str,
    pub(crate) query: Option<&'a str>,
    pub(crate) headers: &'a HeaderMap,
    pub(crate) peer: SocketAddr,
}

/// `%XX` escapes decoded; `None` when they are malformed or the result is not UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = text.get(i + 1..i + 3)?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            byte => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

impl UserRequest<'_> {
    /// The client session token: `Authorization: Bearer …`, else `?sessionToken=…`.
    fn token(&self) -> Option<String> {
        let bearer = self
            .headers
            .get(http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                let (scheme, token) = v.trim().split_once(' ')?;
                scheme
                    .eq_ignore_ascii_case("bearer")
                    .then(|| token.trim().to_owned())
            });
        bearer
            .or_else(|| query_param(self.query, "sessionToken").and_then(percent_decode))
            .filter(|t| !t.is_empty())
    }

    fn device(&self) -> TrackedDevice {
        device_from_request(self.headers, Some(self.peer.ip()))
    }

    /// Checks the token against the session, before the body is read.
    pub(crate) fn authorise(
        &self,
        shared: &Shared,
        entry: &mut RequestLogEntry,
    ) -> Result<(), Reply> {
        self.check(shared).map_err(Reply::from)?;
        entry.token_verified = true;
        Ok(())
    }

    fn check(&self, shared: &Shared) -> Result<(), ApiError> {
        let state = lock(&shared.state);
        self.check_session(shared, state.live.get(self.session_id))
    }

    fn check_session(
        &self,
        shared: &Shared,
        session: Option<&LiveSession>,
    ) -> Result<(), ApiError> {
        let Some(token) = self.token() else {
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "MISSING_SESSION_TOKEN",
                "the client session token is missing (send Authorization: Bearer <token>, \
                 or the sessionToken query parameter)",
            ));
        };
        let Some(session) = session else {
            return Err(ApiError::new(
                StatusCode::NOT_FOUND,
                "SESSION_NOT_FOUND",
                "no session created with POST /sessions has this id",
            ));
        };
        session.authorise(&token, shared.clock.now_millis())
    }

    /// Serves the request (the token was accepted; it is checked again under the lock, as
    /// the session may have changed while the body was read).
    pub(crate) fn serve(&self, shared: &Shared, body: Bytes) -> Reply {
        match self.serve_inner(shared, &body) {
            Ok(reply) => reply,
            Err(error) => error.into(),
        }
    }

    fn serve_inner(&self, shared: &Shared, body: &[u8]) -> Result<Reply, ApiError> {
        match self.route {
            Route::UserGetSession => self.with_session(shared, |session, now| {
                Ok(Reply::json(StatusCode::OK, &session.status(now)))
            }),
            Route::UserGetConfiguration => self.with_session(shared, |session, now| {
                Ok(Reply::json(
                    StatusCode::OK,
                    &session.configuration_json(now),
                ))
            }),
            Route::UserAddIdDocument => {
                let upload: IdDocumentUpload = parse(body)?;
                let document = check_id_document(upload)?;
                self.add_document(shared, Adding::IdDocument, document)
            }
            Route::UserAddSupplementaryDocument => {
                let upload: SupplementaryDocumentUpload = parse(body)?;
                let document = check_supplementary_document(upload)?;
                self.add_document(shared, Adding::Supplementary, document)
            }
            Route::UserAddLiveness => {
                let upload: LivenessUpload = parse(body)?;
                let liveness = check_liveness(&upload)?;
                let device = self.device();
                self.with_store(shared, |store, now| {
                    let session = store.get(self.session_id).ok_or_else(gone)?;
                    let index = session.match_requirement(
                        Adding::Liveness,
                        None,
                        upload.liveness_type.as_ref(),
                    )?;
                    store.reserve(self.session_id, liveness.counted_bytes(), now)?;
                    let session = store.get_mut(self.session_id).ok_or_else(gone)?;
                    let added = session.add_liveness(index, liveness, now, device);
                    shared
                        .notifier
                        .resource_updated(session, &added.resource_id, now);
                    Ok(Reply::json(StatusCode::CREATED, &added))
                })
            }
            Route::UserFinish => {
                let options: FinishOptions = if body.iter().all(u8::is_ascii_whitespace) {
                    FinishOptions::default()
                } else {
                    parse(body)?
                };
                check_options(&options)?;
                self.with_store(shared, |store, now| {
                    let session = store.finish(self.session_id, &options, now)?;
                    shared.notifier.user_finished(session);
                    Ok(Reply::json(StatusCode::OK, &session.status(now)))
                })
            }
            _ => Err(ApiError::new(
                StatusCode::NOT_FOUND,
                "NOT_FOUND",
                "no such endpoint",
            )),
        }
    }

    fn add_document(
        &self,
        shared: &Shared,
        adding: Adding,
        document: CheckedDocument,
    ) -> Result<Reply, ApiError> {
        let device = self.device();
        self.with_store(shared, |store, now| {
            let session = store.get(self.session_id).ok_or_else(gone)?;
            let index = session.match_requirement(adding, Some(&document), None)?;
            store.reserve(self.session_id, document.counted_bytes(), now)?;
            let session = store.get_mut(self.session_id).ok_or_else(gone)?;
            let added = match adding {
                Adding::Supplementary => {
                    session.add_supplementary_document(index, document, now, device)
                }
                _ => session.add_id_document(index, document, now, device),
            };
            shared
                .notifier
                .resource_updated(session, &added.resource_id, now);
            Ok(Reply::json(StatusCode::CREATED, &added))
        })
    }

    /// Runs `f` on the store under the lock, once the token is accepted again.
    fn with_store<T>(
        &self,
        shared: &Shared,
        f: impl FnOnce(&mut crate::live::store::LiveStore, u64) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let mut state = lock(&shared.state);
        self.check_session(shared, state.live.get(self.session_id))?;
        f(&mut state.live, shared.clock.now_millis())
    }

    fn with_session<T>(
        &self,
        shared: &Shared,
        f: impl FnOnce(&LiveSession, u64) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        self.with_store(shared, |store, now| {
            f(store.get(self.session_id).ok_or_else(gone)?, now)
        })
    }
}

/// The session vanished between two steps under the lock (it cannot, but no panic if so).
fn gone() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "SESSION_NOT_FOUND",
        "no session created with POST /sessions has this id",
    )
}

fn parse<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    idv_model::from_slice(body).map_err(|e| from_parse_error(&e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_tokens_are_percent_decoded() {
        assert_eq!(percent_decode("a%2Db+c").as_deref(), Some("a-b c"));
        assert_eq!(percent_decode("plain").as_deref(), Some("plain"));
        assert_eq!(percent_decode("bad%2"), None);
        assert_eq!(percent_decode("bad%zz"), None);
        assert_eq!(percent_decode("%ff"), None, "not UTF-8");
    }
}
