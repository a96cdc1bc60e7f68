//! Notifications: the JSON Yoti `POST`s to the create request's `notifications.endpoint`, and
//! the check of its `Authorization` header. No I/O: usable from any web framework.
//!
//! * [`Notification`]: `session_id` and `topic` (an open [`NotificationTopic`]), plus `task_id`,
//!   `resource_id` or `check_id` with the topics they belong to; lossless like every model type.
//! * [`NotificationVerifier`]: built from the create request's
//!   [`NotificationConfig`](crate::spec::NotificationConfig) (its
//!   [`AuthType`](crate::spec::AuthType) and `auth_token`), it answers whether an
//!   `Authorization` header value (bytes) is the expected `Basic base64(token)` /
//!   `Bearer token` ([`authorization_header`]), in constant time.
//! * [`NotificationVerifier::receive`]: header and body to a verified [`Notification`] or a typed
//!   [`NotificationError`] (missing or wrong authorisation, body too large, bad JSON with its
//!   path), none of which echoes the token, the header or the body. With the `http` feature,
//!   `receive_headers` and `receive_request` take an `http::HeaderMap` or `http::Request`.
//!
//! A receiver answers 2xx quickly and fetches the session (`GET /sessions/{id}`) afterwards:
//! a notification says only *that* something happened.
//!
//! ```
//! use idv_model::Secret;
//! use idv_model::notification::{NotificationError, NotificationTopic, NotificationVerifier};
//!
//! // Configured once, from the same token and type as the create request's `notifications`
//! // (or with `NotificationVerifier::from_config(&notification_config)`).
//! let verifier = NotificationVerifier::basic(&Secret::new("username:password"))?;
//!
//! // Per request: the `Authorization` header's value (bytes; `None` if absent) and the body.
//! let authorization: Option<&[u8]> = Some(b"Basic dXNlcm5hbWU6cGFzc3dvcmQ=");
//! let body = br#"{"session_id": "0c1e5c2a-e5bf-4b49-9b7c-9d2fa5b7d3b8",
//!                 "topic": "check_completion", "check_id": "c1", "future_field": 1}"#;
//! match verifier.receive(authorization, body) {
//!     Ok(notification) => {
//!         assert_eq!(notification.topic, NotificationTopic::CheckCompletion);
//!         assert_eq!(notification.check_id.as_deref(), Some("c1"));
//!         assert_eq!(notification.extra.get("future_field"), Some(&serde_json::json!(1)));
//!         // Now answer 200, and fetch the session for `notification.session_id`.
//!     }
//!     Err(error) => panic!("answer {} ({error})", error.http_status()),
//! }
//!
//! // A wrong header is refused without saying why; the token never appears in the error.
//! let error = verifier.receive(Some(b"Basic dXNlcm5hbWU6Z3Vlc3M="), body).unwrap_err();
//! assert_eq!(error, NotificationError::WrongAuthorization);
//! assert_eq!(error.http_status(), 401);
//! assert!(!format!("{error} {error:?} {verifier:?}").contains("password"));
//! # Ok::<(), idv_model::notification::NotificationAuthError>(())
//! ```
//!
//! The crate's `examples/axum_receiver.rs` is a complete receiver with axum (feature `http`).

mod header;
#[cfg(feature = "http")]
mod http_request;
mod payload;
mod receive;
mod topic;
mod verifier;

pub use header::{NotificationAuthError, authorization_header};
pub use payload::{Notification, parse_notification};
pub use receive::{MAX_NOTIFICATION_BODY, NotificationError};
pub use topic::NotificationTopic;
pub use verifier::NotificationVerifier;
