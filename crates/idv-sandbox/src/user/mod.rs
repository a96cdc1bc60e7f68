//! The end user's side of sessions created with `POST /sessions`: the calls a capture front end
//! makes, authenticated by the session's client session token instead of the app's signature.
//!
//! | method | path (under the base path) | body | success |
//! |---|---|---|---|
//! | `GET` | `/user/sessions/{id}` | — | `200` [`UserSessionStatus`] |
//! | `GET` | `/user/sessions/{id}/configuration` | — | `200` the session configuration |
//! | `POST` | `/user/sessions/{id}/id-documents` | [`IdDocumentUpload`] | `201` [`AddedResource`] |
//! | `POST` | `/user/sessions/{id}/supplementary-documents` | [`SupplementaryDocumentUpload`] | `201` [`AddedResource`] |
//! | `POST` | `/user/sessions/{id}/liveness` | [`LivenessUpload`] | `201` [`AddedResource`] |
//! | `POST` | `/user/sessions/{id}/finish` | [`FinishOptions`] (or empty) | `200` [`UserSessionStatus`] |
//!
//! The token goes in `Authorization: Bearer <client_session_token>`, or in the
//! `sessionToken` query parameter (as the web flow's URL carries it). [`UserSide`] makes these
//! calls from Rust.

mod bounded;
pub(crate) mod client;
pub(crate) mod routes;
pub(crate) mod wire;

pub use client::{DEFAULT_USER_SIDE_TIMEOUT, FieldError, UserSide, UserSideError};
pub use wire::{
    AddedResource, FinishOptions, IdDocumentUpload, LivenessUpload, RequirementStatus,
    SupplementaryDocumentUpload, Upload, UserSessionStatus,
};
