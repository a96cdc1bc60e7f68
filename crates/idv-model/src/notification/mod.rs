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

mod header;
mod payload;
mod topic;
mod verifier;

pub use header::{NotificationAuthError, authorization_header};
pub use payload::{Notification, parse_notification};
pub use topic::NotificationTopic;
pub use verifier::NotificationVerifier;
