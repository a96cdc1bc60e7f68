//! The create-session specification: the body of `POST /sessions`, typed.
//!
//! [`SessionSpec`] holds every top-level key the official SDKs know
//! (`client_session_token_ttl`, `session_deadline`, `resources_ttl`, `user_tracking_id`,
//! `notifications`, `requested_checks`, `requested_tasks`, `sdk_config`, `required_documents`,
//! `block_biometric_consent`, `identity_profile_requirements`,
//! `advanced_identity_profile_requirements`, `subject`, `create_identity_profile_preview`,
//! `import_token`, `ibv_options`, `resources.applicant_profile`, `ephemeral_media`). The
//! result of creating a session is [`CreateSessionResult`](crate::CreateSessionResult).
//!
//! * **Builders**: every object has one (`SdkConfig::builder()…`); a setter that takes a value
//!   also takes its builder. [`SessionSpecBuilder::build`] validates the whole specification at
//!   once, so every error names its full JSON path ([`SpecError`], [`ViolationKind`]).
//! * **Set or not**: a key never set is not sent; `false`, `0` and `[]` are sent.
//! * **Open**: values from a closed set are open enums (`Other(String)` keeps a value this
//!   version does not know); every object takes extra keys (`.extra("new_key", json!(…))`),
//!   and every check or task type this version does not know is kept
//!   ([`RequestedCheck::Other`]).
//! * **Lossless**: a specification read from JSON ([`SessionSpec::from_slice`]) and written
//!   back is the same JSON value, `null`s and unknown keys included;
//!   [`SessionSpec::unknown_keys`] and [`SessionSpec::unknown_values`] say what this version
//!   does not model, and [`SessionSpec::validate`] checks a parsed specification.
//! * **Secrets**: the notification `auth_token` and the watchlist `api_key` print `[redacted]`
//!   in `Debug`; validation messages never contain values.
//!
//! # Example
//!
//! A document and liveness flow with face match and text extraction, notified with basic
//! authentication:
//!
//! ```
//! use idv_model::LivenessType;
//! use idv_model::spec::{
//!     AllowedCaptureMethods, AuthType, DocumentFilter, LivenessConfig, ManualCheck,
//!     NotificationConfig, RequestedCheck, RequestedTask, RequiredDocument, SdkConfig,
//!     SessionSpec, Topic,
//! };
//!
//! let spec = SessionSpec::builder()
//!     .client_session_token_ttl(600)
//!     .resources_ttl(604_800)
//!     .user_tracking_id("user-4711")
//!     .requested_check(RequestedCheck::document_authenticity())
//!     .requested_check(
//!         LivenessConfig::builder()
//!             .liveness_type(LivenessType::Zoom)
//!             .max_retries(3),
//!     )
//!     .requested_check(RequestedCheck::face_match(ManualCheck::Fallback))
//!     .requested_task(RequestedTask::text_extraction(ManualCheck::Never))
//!     .required_document(
//!         RequiredDocument::id_document()
//!             .filter(DocumentFilter::orthogonal().whitelisted_document_types(["PASSPORT"])),
//!     )
//!     .notifications(
//!         NotificationConfig::builder()
//!             .endpoint("https://example.com/yoti/notifications")
//!             .auth_type(AuthType::Basic)
//!             .auth_token("username:password")
//!             .topic(Topic::SessionCompletion)
//!             .topic(Topic::CheckCompletion),
//!     )
//!     .sdk_config(
//!         SdkConfig::builder()
//!             .allowed_capture_methods(AllowedCaptureMethods::CameraAndUpload)
//!             .primary_colour("#2d9fff")
//!             .success_url("https://example.com/done")
//!             .allow_handoff(false),
//!     )
//!     .build()?;
//!
//! let body = serde_json::to_string_pretty(&spec)?;
//! println!("{body}");
//!
//! let json: serde_json::Value = serde_json::from_str(&body)?;
//! assert_eq!(json["requested_checks"][1], serde_json::json!(
//!     {"type": "LIVENESS", "config": {"liveness_type": "ZOOM", "max_retries": 3}}
//! ));
//! assert_eq!(json["notifications"]["auth_token"], "username:password");
//! assert_eq!(json["sdk_config"]["allow_handoff"], false);
//! assert!(json.get("session_deadline").is_none()); // never set, not sent
//!
//! // The auth token never shows in Debug output.
//! assert!(!format!("{spec:?}").contains("username:password"));
//!
//! // Reading it back gives the same specification.
//! assert_eq!(SessionSpec::from_slice(body.as_bytes())?, spec);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Reading a specification
//!
//! ```
//! use idv_model::spec::{SessionSpec, ViolationKind};
//!
//! let text = br##"{
//!     "client_session_token_ttl": 600,
//!     "notifications": {"endpoint": "https://example.com/n", "auth_type": "BEARER"},
//!     "requested_checks": [{"type": "FUTURE_CHECK", "config": {"depth": 3}}],
//!     "sdk_config": {"primary_colour": "#2d9fff", "new_option": true}
//! }"##;
//! let spec = SessionSpec::from_slice(text)?;
//! assert_eq!(spec.unknown_keys(), ["requested_checks[0].config.depth", "sdk_config.new_option"]);
//! assert_eq!(spec.unknown_values(), ["requested_checks[0].type"]);
//!
//! let err = spec.validate().unwrap_err();
//! assert_eq!(err.violations()[0].path(), "notifications.auth_token");
//! assert_eq!(err.violations()[0].kind(), &ViolationKind::RequiredWhen("auth_type is set"));
//!
//! // Written back, it is the same JSON value.
//! let original: serde_json::Value = serde_json::from_slice(text)?;
//! assert_eq!(serde_json::to_value(&spec)?, original);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#[macro_use]
mod macros;

pub(crate) mod entry;
pub(crate) mod rules;

mod checks;
mod documents;
mod enums;
mod error;
mod identity_profile;
mod notifications;
mod sdk_config;
mod session;
mod tasks;
mod watchlist;

pub use checks::{
    DocumentAuthenticityConfig, DocumentAuthenticityConfigBuilder, DocumentComparisonConfig,
    DocumentComparisonConfigBuilder, DocumentSchemeValidityConfig,
    DocumentSchemeValidityConfigBuilder, FaceComparisonConfig, FaceComparisonConfigBuilder,
    FaceMatchConfig, FaceMatchConfigBuilder, IbvVisualReviewConfig, IbvVisualReviewConfigBuilder,
    IssuingAuthoritySubCheck, IssuingAuthoritySubCheckBuilder, LivenessConfig,
    LivenessConfigBuilder, ProfileDocumentMatchConfig, ProfileDocumentMatchConfigBuilder,
    RequestedCheck, ThirdPartyIdentityConfig, ThirdPartyIdentityConfigBuilder,
    WatchlistScreeningConfig, WatchlistScreeningConfigBuilder,
};
pub use documents::{
    AllowedProvider, AllowedProviderBuilder, CountryRestriction, CountryRestrictionBuilder,
    DocumentFilter, DocumentFilterBuilder, DocumentRestriction, DocumentRestrictionBuilder,
    Objective, ObjectiveBuilder, RequiredDocument, RequiredDocumentBuilder, TypeRestriction,
    TypeRestrictionBuilder,
};
pub use entry::{Requested, UnknownRequested};
pub use enums::{
    AllowedCaptureMethods, AuthType, BiometricConsentFlow, ChipData, DarkMode, FilterType,
    IbvSupport, Inclusion, ManualCheck, ObjectiveType, RequiredDocumentType, SuppressedScreen,
    Topic, WatchlistCategory,
};
pub use error::{SpecError, SpecViolation, ViolationKind};
pub use identity_profile::{
    AdvancedIdentityProfileRequirements, AdvancedIdentityProfileRequirementsBuilder,
    AdvancedProfile, AdvancedProfileBuilder, AdvancedScheme, AdvancedSchemeBuilder,
    AdvancedSchemeConfig, AdvancedSchemeConfigBuilder, IdentityProfileRequirements,
    IdentityProfileRequirementsBuilder, IdentityProfileScheme, IdentityProfileSchemeBuilder,
};
pub use notifications::{NotificationConfig, NotificationConfigBuilder};
pub use sdk_config::{
    AttemptsConfiguration, AttemptsConfigurationBuilder, SdkConfig, SdkConfigBuilder,
};
pub use session::{
    IbvOptions, IbvOptionsBuilder, ImportTokenConfig, ImportTokenConfigBuilder, SessionSpec,
    SessionSpecBuilder, SpecResources, SpecResourcesBuilder, Subject, SubjectBuilder, UserPrice,
    UserPriceBuilder,
};
pub use tasks::{
    RequestedTask, SupplementaryTextExtractionConfig, SupplementaryTextExtractionConfigBuilder,
    TextExtractionConfig, TextExtractionConfigBuilder,
};
pub use watchlist::{
    CaMatchingStrategy, CaMatchingStrategyBuilder, CaSources, CaSourcesBuilder,
    WatchlistAdvancedCaConfig, WatchlistAdvancedCaConfigBuilder,
};

// The shared enums the specification uses, for one-stop imports.
pub use crate::{LivenessType, MatchingStrategyType, WatchlistSearchType, WatchlistSourcesType};
