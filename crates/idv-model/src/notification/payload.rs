//! [`Notification`]: the JSON body of a notification, with its required fields checked.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::NotificationTopic;
use crate::{Extra, ParseError};

model! {
    /// The wire form, every field optional (the crate's lossless machinery); [`Notification`]
    /// requires `session_id` and `topic` on top of it.
    pub struct NotificationWire ("a notification object") {
        /// `session_id`.
        opt session_id: String = "session_id",
        /// `topic`.
        opt topic: NotificationTopic = "topic",
        /// `task_id`.
        opt task_id: String = "task_id",
        /// `resource_id`.
        opt resource_id: String = "resource_id",
        /// `check_id`.
        opt check_id: String = "check_id",
    }
}

/// The JSON body Yoti `POST`s to the configured `notifications.endpoint`.
///
/// `session_id` and `topic` are always there (parsing fails without them); `task_id`,
/// `resource_id` and `check_id` come with the topics they belong to
/// ([`TaskCompletion`](NotificationTopic::TaskCompletion),
/// [`ResourceUpdate`](NotificationTopic::ResourceUpdate),
/// [`CheckCompletion`](NotificationTopic::CheckCompletion)). Parsing is lossless like every model
/// type: unknown fields are kept in `extra`, an unknown topic in [`NotificationTopic::Other`], an
/// id sent as `null` is written back as `null`.
///
/// A receiver should not parse a body before checking its `Authorization` header: use
/// [`NotificationVerifier::receive`](super::NotificationVerifier::receive), which does both.
///
/// ```
/// use idv_model::notification::{Notification, NotificationTopic};
///
/// let sent = Notification::new("s1", NotificationTopic::CheckCompletion).with_check_id("c1");
/// let json = serde_json::to_string(&sent).unwrap();
/// assert_eq!(json, r#"{"session_id":"s1","topic":"check_completion","check_id":"c1"}"#);
/// assert_eq!(idv_model::notification::parse_notification(json.as_bytes())?, sent);
/// # Ok::<(), idv_model::ParseError>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Notification {
    /// `session_id`: the session the notification is about.
    pub session_id: String,
    /// `topic`: what happened.
    pub topic: NotificationTopic,
    /// `task_id` (with `task_completion`).
    pub task_id: Option<String>,
    /// `resource_id` (with `resource_update`).
    pub resource_id: Option<String>,
    /// `check_id` (with `check_completion`).
    pub check_id: Option<String>,
    /// Unknown fields, kept and written back, and the record of ids sent as `null` (see
    /// [`Extra`]).
    pub extra: Extra,
}

impl Notification {
    /// A notification about `session_id` on `topic`, with no other field.
    pub fn new(session_id: impl Into<String>, topic: NotificationTopic) -> Self {
        Notification {
            session_id: session_id.into(),
            topic,
            task_id: None,
            resource_id: None,
            check_id: None,
            extra: Extra::new(),
        }
    }

    /// Sets `task_id`.
    #[must_use]
    pub fn with_task_id(mut self, task_id: impl Into<String>) -> Self {
        self.task_id = Some(task_id.into());
        self
    }

    /// Sets `resource_id`.
    #[must_use]
    pub fn with_resource_id(mut self, resource_id: impl Into<String>) -> Self {
        self.resource_id = Some(resource_id.into());
        self
    }

    /// Sets `check_id`.
    #[must_use]
    pub fn with_check_id(mut self, check_id: impl Into<String>) -> Self {
        self.check_id = Some(check_id.into());
        self
    }

    fn from_wire(wire: NotificationWire) -> Result<Self, &'static str> {
        let session_id = wire
            .session_id
            .ok_or("missing or null field session_id (a string is required)")?;
        let topic = wire
            .topic
            .ok_or("missing or null field topic (a string is required)")?;
        Ok(Notification {
            session_id,
            topic,
            task_id: wire.task_id,
            resource_id: wire.resource_id,
            check_id: wire.check_id,
            extra: wire.extra,
        })
    }

    fn to_wire(&self) -> NotificationWire {
        NotificationWire {
            session_id: Some(self.session_id.clone()),
            topic: Some(self.topic.clone()),
            task_id: self.task_id.clone(),
            resource_id: self.resource_id.clone(),
            check_id: self.check_id.clone(),
            extra: self.extra.clone(),
        }
    }
}

impl<'de> Deserialize<'de> for Notification {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // The message names the field only (never a value), so it survives the crate's
        // redaction of parse errors as it is; the path is the object's own.
        Notification::from_wire(NotificationWire::deserialize(d)?).map_err(D::Error::custom)
    }
}

impl Serialize for Notification {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // A notification is a handful of short strings: going through the wire form (one
        // clone) keeps a single definition of the field order and the `null` record.
        self.to_wire().serialize(s)
    }
}

/// Parses a notification body, naming the JSON path on failure (see [`ParseError`]). It does
/// not check the `Authorization` header: a receiver should call
/// [`NotificationVerifier::receive`](super::NotificationVerifier::receive) instead.
///
/// ```
/// let err = idv_model::notification::parse_notification(br#"{"session_id": 7, "topic": "x"}"#)
///     .unwrap_err();
/// assert_eq!(err.to_string(), "session_id: invalid type: integer, expected a string");
/// ```
pub fn parse_notification(body: &[u8]) -> Result<Notification, ParseError> {
    crate::from_slice(body)
}
