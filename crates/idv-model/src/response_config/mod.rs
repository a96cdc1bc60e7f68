//! Yoti's sandbox response config, typed: what a sandbox session's checks and tasks return.
//!
//! Against a sandbox (Yoti's hosted one, or this project's), the outcome of a session is
//! configured beforehand with `PUT /sessions/{sessionId}/response-config` or, for every
//! session of an app, `PUT /apps/{sdkId}/response-config`; both take a [`ResponseConfig`]:
//!
//! * `check_reports` ([`CheckReports`]): per check type, the result ([`CheckResponse`]: a
//!   [`CheckReport`] with its [`CheckRecommendation`] and [`CheckBreakdown`]s, a
//!   `report_template`, and `document_fields` for the text-data checks), which resource it
//!   applies to ([`DocumentFilter`], `liveness_type`, the comparison's
//!   `secondary_document_filter`, the advanced CA check's [`SourcesFilter`]) and when it is
//!   ready (`response_delay`); plus `async_report_delay`;
//! * `task_results` ([`TaskResults`]): per text-extraction task type, the result
//!   ([`TaskResponse`]: `document_fields`, the [`DocumentIdPhoto`], the detected country and
//!   document type, an [`ExtractionRecommendation`]), its document filter, delay and template.
//!
//! The conventions are those of the create-session specification types:
//!
//! * **Builders**: every object has one; a setter that takes a value also takes its builder.
//!   [`ResponseConfigBuilder::build`] validates the whole config at once, so every error names
//!   its full JSON path ([`ResponseConfigError`], [`ConfigViolationKind`]); every type also
//!   has `validate()` (paths relative to it).
//! * **Set or not**: a key never set is not sent; `0` and `[]` are.
//! * **Open**: values from a closed set are open enums (`Other(String)` keeps a value this
//!   version does not know); every object takes extra keys (`.extra("new_key", json!(…))`),
//!   check and task types this version does not know included.
//! * **Lossless**: a config read from JSON ([`ResponseConfig::from_slice`]) and written back
//!   is the same JSON value, `null`s and unknown keys included; `unknown_keys()` and
//!   `unknown_values()` say what this version does not model.
//!
//! Delays are in seconds (`async_report_delay`, as Yoti documents it; `response_delay` alike).
//!
//! # Examples
//!
//! A rejection with reasons: the document is not genuine and the liveness picture too dark.
//!
//! ```
//! use idv_model::LivenessType;
//! use idv_model::response_config::{
//!     CheckBreakdown, CheckReports, CheckResponse, DocumentFilter, ResponseConfig, TaskResponse,
//!     TaskResults,
//! };
//!
//! let reject = ResponseConfig::builder()
//!     .check_reports(
//!         CheckReports::builder()
//!             .id_document_authenticity(
//!                 CheckResponse::reject()
//!                     .reason("NOT_GENUINE")
//!                     .breakdown(CheckBreakdown::fail("security_features"))
//!                     .breakdown(CheckBreakdown::pass("document_in_date"))
//!                     .document_filter(DocumentFilter::builder().document_type("PASSPORT")),
//!             )
//!             .liveness(
//!                 CheckResponse::reject()
//!                     .reason("PICTURE_TOO_DARK")
//!                     .recovery_suggestion("BETTER_LIGHTING")
//!                     .breakdown(CheckBreakdown::fail("liveness_auth"))
//!                     .liveness_type(LivenessType::Zoom),
//!             ),
//!     )
//!     .task_results(TaskResults::builder().id_document_text_data_extraction(
//!         TaskResponse::builder()
//!             .document_field("full_name", "Jane Doe")
//!             .detected_country("GBR")
//!             .detected_document_type("PASSPORT"),
//!     ))
//!     .build()?;
//!
//! let body = serde_json::to_string_pretty(&reject)?;
//! println!("{body}");
//!
//! let json: serde_json::Value = serde_json::from_str(&body)?;
//! assert_eq!(json["check_reports"]["LIVENESS"][0], serde_json::json!({
//!     "result": {"report": {
//!         "recommendation": {
//!             "value": "REJECT", "reason": "PICTURE_TOO_DARK",
//!             "recovery_suggestion": "BETTER_LIGHTING"
//!         },
//!         "breakdown": [{"sub_check": "liveness_auth", "result": "FAIL"}]
//!     }},
//!     "liveness_type": "ZOOM"
//! }));
//! assert!(json["check_reports"].get("async_report_delay").is_none()); // never set, not sent
//!
//! // Reading it back gives the same config.
//! assert_eq!(ResponseConfig::from_slice(body.as_bytes())?, reject);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! A manual review: the automated face match is not sure, a person approves, and the result
//! arrives 30 seconds after the user finishes (the checks stay `PENDING` until then).
//!
//! ```
//! use idv_model::response_config::{CheckBreakdown, CheckReports, CheckResponse, ResponseConfig};
//!
//! let manual_review = ResponseConfig::builder()
//!     .check_reports(
//!         CheckReports::builder()
//!             .id_document_authenticity(CheckResponse::approve())
//!             .id_document_face_match(
//!                 CheckResponse::approve()
//!                     .breakdown(CheckBreakdown::fail("ai_face_match").detail("confidence_score", "0.53"))
//!                     .breakdown(CheckBreakdown::pass("manual_face_match")),
//!             )
//!             .async_report_delay(30),
//!     )
//!     .build()?;
//!
//! println!("{}", serde_json::to_string_pretty(&manual_review)?);
//! let reports = manual_review.check_reports.as_ref().unwrap();
//! assert_eq!(reports.async_report_delay_duration(), Some(std::time::Duration::from_secs(30)));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Reading a config
//!
//! ```
//! use idv_model::response_config::{ConfigViolationKind, ResponseConfig};
//!
//! let text = br#"{
//!     "check_reports": {
//!         "LIVENESS": [{"result": {"report": {"recommendation": {"value": "APPROVE"}}},
//!                       "liveness_type": "HOLOGRAPHIC", "handled_check_limit": 2}],
//!         "FUTURE_CHECK": [{"result": {}}],
//!         "async_report_delay": -1
//!     },
//!     "task_results": {"ID_DOCUMENT_TEXT_DATA_EXTRACTION": [
//!         {"result": {"document_id_photo": {"content_type": "image/jpeg", "data": "%%%"}}}
//!     ]}
//! }"#;
//! let config = ResponseConfig::from_slice(text)?;
//! assert_eq!(config.unknown_keys(), [
//!     "check_reports.LIVENESS[0].handled_check_limit",
//!     "check_reports.FUTURE_CHECK",
//! ]);
//! assert_eq!(config.unknown_values(), ["check_reports.LIVENESS[0].liveness_type"]);
//!
//! let err = config.validate().unwrap_err();
//! let found: Vec<(&str, &ConfigViolationKind)> =
//!     err.violations().iter().map(|v| (v.path(), v.kind())).collect();
//! assert_eq!(found, [
//!     ("check_reports.async_report_delay", &ConfigViolationKind::Negative),
//!     (
//!         "task_results.ID_DOCUMENT_TEXT_DATA_EXTRACTION[0].result.document_id_photo.data",
//!         &ConfigViolationKind::InvalidBase64,
//!     ),
//! ]);
//!
//! // Written back, it is the same JSON value.
//! let original: serde_json::Value = serde_json::from_slice(text)?;
//! assert_eq!(serde_json::to_value(&config)?, original);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#[macro_use]
mod macros;

mod base64;
mod check;
mod check_reports;
mod config;
mod enums;
mod error;
mod filters;
mod media_type;
mod report;
mod task_results;
mod tasks;

pub use check::{CheckResponse, CheckResponseBuilder, CheckResult, CheckResultBuilder};
pub use check_reports::{CheckReports, CheckReportsBuilder};
pub use config::{ResponseConfig, ResponseConfigBuilder};
pub use enums::{ExtractionReasonValue, ExtractionRecommendationValue};
pub use error::{ConfigViolation, ConfigViolationKind, ResponseConfigError};
pub use filters::{DocumentFilter, DocumentFilterBuilder, SourcesFilter, SourcesFilterBuilder};
pub use report::{
    CheckBreakdown, CheckBreakdownBuilder, CheckBreakdownDetail, CheckBreakdownDetailBuilder,
    CheckRecommendation, CheckRecommendationBuilder, CheckReport, CheckReportBuilder,
};
pub use task_results::{TaskResults, TaskResultsBuilder};
pub use tasks::{
    DocumentIdPhoto, DocumentIdPhotoBuilder, ExtractionReason, ExtractionReasonBuilder,
    ExtractionRecommendation, ExtractionRecommendationBuilder, TaskResponse, TaskResponseBuilder,
    TaskResult, TaskResultBuilder,
};

/// The walker over a response config.
pub(crate) type Walker = crate::request_model::walk::Walker<ConfigViolationKind>;

// The shared enums the response config uses, for one-stop imports.
pub use crate::{
    BreakdownResult, CheckType, LivenessType, RecommendationValue, TaskType, WatchlistSourcesType,
};
