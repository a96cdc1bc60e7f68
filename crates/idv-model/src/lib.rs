//! Lossless, forward-compatible serde types for every response of Yoti's Identity Verification
//! (IDV) API.
//!
//! Most users want [`idv-client`](https://docs.rs/idv-client), which calls the API and returns
//! these types. Depend on `idv-model` alone to read results that reach you another way: a
//! notification receiver ([`notification`], with idv-model's `axum_receiver` example), a data
//! pipeline, stored responses. No I/O and no async runtime.
//!
//! * [`Session`] models the whole `GET /sessions/{sessionId}` response: resources (ID documents,
//!   supplementary documents, liveness captures, face captures, applicant profiles, share codes),
//!   pages, frames, media, tasks, all check types (one [`Check`] struct with an open
//!   [`CheckType`]), identity profiles, previews and the import token.
//! * The other responses: [`CreateSessionResult`], [`SessionConfiguration`],
//!   [`SupportedDocumentsResponse`], [`TrackedDevices`], [`FaceCaptureResourceResponse`],
//!   [`IbvInstructions`], [`ContactProfile`] and the error body [`ApiErrorBody`].
//!
//! # Lossless
//!
//! Parsing a document and serialising it again gives the same JSON value: unknown fields are kept
//! in each object's `extra` ([`Extra`]), unknown enum values in an `Other(String)` variant, known
//! fields sent as `null` are written back as `null`, and fields with two shapes ([`Source`],
//! [`Tags`]) keep the shape they came in.
//!
//! ```
//! use idv_model::{CheckType, RecommendationValue};
//!
//! let json = br#"{
//!     "session_id": "s1",
//!     "state": "COMPLETED",
//!     "client_session_token": "secret-token",
//!     "biometric_consent": null,
//!     "checks": [{
//!         "id": "c1",
//!         "type": "NEW_KIND_OF_CHECK",
//!         "state": "DONE",
//!         "resources_used": ["d1"],
//!         "report": {"recommendation": {"value": "APPROVE"}, "breakdown": []},
//!         "future_field": [1, 2, 3]
//!     }]
//! }"#;
//! let session = idv_model::parse_session(json)?;
//!
//! let check = &session.checks[0];
//! assert_eq!(check.check_type, Some(CheckType::Other("NEW_KIND_OF_CHECK".into())));
//! assert_eq!(check.extra.get("future_field"), Some(&serde_json::json!([1, 2, 3])));
//! assert_eq!(session.biometric_consent, None);
//!
//! // Round trip: the same JSON value comes back, `null`s and unknown fields included.
//! let original: serde_json::Value = serde_json::from_slice(json).unwrap();
//! assert_eq!(serde_json::to_value(&session).unwrap(), original);
//!
//! // Reviewer helpers.
//! let summary = session.recommendation_summary();
//! assert_eq!(summary.count(&RecommendationValue::Approve), 1);
//! assert!(summary.all_done && session.is_finished());
//! assert_eq!(session.checks_using("d1").len(), 1);
//!
//! // Secrets never show in Debug output.
//! assert!(!format!("{session:?}").contains("secret-token"));
//! # Ok::<(), idv_model::ParseError>(())
//! ```
//!
//! # Errors
//!
//! [`parse_session`] and [`from_slice`] return a [`ParseError`] naming the JSON path that failed;
//! its message never contains values from the document (they are personal data).
//!
//! # Bounded memory
//!
//! A parse may allocate at most [`limits::memory_budget`] bytes for the document's size (12 per
//! byte + 64 KiB): a document whose typed value would need more (thousands of empty objects in
//! a list, say) is refused with a [`ParseErrorKind::Limit`] error naming the JSON path. Real
//! sessions need about 2 bytes per byte. See [`limits`].
//!
//! # Media index
//!
//! [`Session::media_refs`] lists every media reference with a structured [`MediaLocation`] and a
//! filesystem-safe [`MediaLocation::path_hint`]:
//!
//! ```
//! let session = idv_model::parse_session(br#"{"resources": {"id_documents": [{
//!     "id": "979b352c-8f62", "document_type": "PASSPORT", "issuing_country": "GBR",
//!     "pages": [{"media": {"id": "m1", "type": "IMAGE"},
//!                "frames": [{"media": {"id": "m2", "type": "IMAGE"}}]}]
//! }]}}"#)?;
//! let hints: Vec<String> = session.media_refs().iter().map(|r| r.location.path_hint()).collect();
//! assert_eq!(hints, ["id_documents/PASSPORT-GBR/page-1/media", "id_documents/PASSPORT-GBR/page-1/frame-1"]);
//! # Ok::<(), idv_model::ParseError>(())
//! ```

// docs.rs (nightly, `--cfg docsrs`) labels feature-gated items with the feature they need.
#![cfg_attr(docsrs, feature(doc_cfg))]

#[macro_use]
mod macros;

mod budget;
pub mod content_type;
mod de;
mod enums;
mod error;
mod extra;
mod labels;
pub mod limits;
mod lookup;
mod media_index;
mod media_location;
mod metered;
pub mod notification;
mod recommendation_summary;
#[macro_use]
mod request_model;
pub mod response_config;
mod responses;
mod secret;
mod session;
mod shapes;
pub mod spec;
mod timestamp;
pub mod violations;

pub use enums::{
    BreakdownResult, CaptureMethod, CheckState, CheckType, LivenessType, MatchingStrategyType,
    MediaType, RecommendationValue, RequirementType, SessionState, SourceType, TaskState, TaskType,
    TrackedDeviceEventType, WatchlistSearchType, WatchlistSourcesType,
};
pub use error::{ParseError, ParseErrorKind, from_slice, parse_session};
pub use extra::Extra;
pub use lookup::{ResourceKind, ResourceRef};
pub use media_location::{CheckKey, MediaLocation, MediaRef, ResourceKey, ShareCodeField, TaskKey};
pub use recommendation_summary::RecommendationSummary;
pub use responses::{
    AllowedSource, ApiErrorBody, ApiFieldError, Branch, CaptureConfiguration,
    ConfigurationSdkConfig, ContactProfile, CreateSessionResult, DocumentProposal,
    FaceCaptureResourceResponse, IbvInstructions, InstructionsDocument, Location, Objective,
    RequestedTask, Requirement, SessionConfiguration, SupportedCountry, SupportedDocument,
    SupportedDocumentsResponse, TrackedDevice, TrackedDeviceEvent, TrackedDevices,
};
pub use secret::{ClientSessionToken, Secret};
pub use session::{
    AdvancedIdentityProfile, AdvancedIdentityProfileReport, ApplicantProfile, Breakdown,
    BreakdownDetail, Check, FaceCapture, FailureReason, GeneratedCheck, GeneratedMedia, IdDocument,
    IdentityProfile, IdentityProfileReport, ImportToken, LivenessCapture, MatchingStrategy, Media,
    MediaHolder, Page, Recommendation, Report, RequirementNotMetDetail, Resources, Scheme,
    SchemeCompliance, Session, ShareCode, SourceObject, SupplementaryDocument, Task,
    TaskRecommendation, TaskRecommendationReason, TrustFrameworkCompliance, WatchlistSearchConfig,
    WatchlistSources, WatchlistSummary,
};
pub use shapes::{Source, Tags};
pub use timestamp::{Timestamp, UtcDateTime};
