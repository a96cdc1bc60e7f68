//! Notifications: the JSON Yoti `POST`s to the create request's `notifications.endpoint`.
//!
//! * [`Notification`]: `session_id` and `topic` (an open [`NotificationTopic`]), plus `task_id`,
//!   `resource_id` or `check_id` with the topics they belong to; lossless like every model type.

mod payload;
mod topic;

pub use payload::{Notification, parse_notification};
pub use topic::NotificationTopic;
