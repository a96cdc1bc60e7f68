//! `notifications`: [`NotificationConfig`].

use crate::Secret;
use crate::request_model::walk::Rules;
use crate::spec::rules::Walker;
use crate::spec::{AuthType, Topic, ViolationKind};

spec_model! {
    /// `notifications`: where Yoti `POST`s a notification for each subscribed topic, and how it
    /// authenticates itself there.
    ///
    /// `auth_token` is a secret: `Debug` prints `[redacted]`.
    ///
    /// ```
    /// use idv_model::spec::{AuthType, NotificationConfig, Topic};
    ///
    /// let notifications = NotificationConfig::builder()
    ///     .endpoint("https://example.com/yoti")
    ///     .auth_type(AuthType::Basic)
    ///     .auth_token("username:password")
    ///     .topic(Topic::SessionCompletion)
    ///     .topic(Topic::SessionCompletion) // added once
    ///     .build();
    /// assert_eq!(serde_json::to_value(&notifications).unwrap(), serde_json::json!({
    ///     "endpoint": "https://example.com/yoti", "auth_type": "BASIC",
    ///     "auth_token": "username:password", "topics": ["SESSION_COMPLETION"]
    /// }));
    /// assert!(!format!("{notifications:?}").contains("password"));
    /// ```
    pub struct NotificationConfig / NotificationConfigBuilder ("a notification config object") {
        /// `endpoint` (required): an absolute `https` URL (plain `http` is for local tests).
        one endpoint: String = "endpoint",
        /// `auth_token`: with `BASIC`, `user:password`; with `BEARER`, the token.
        one auth_token: Secret = "auth_token",
        /// `auth_type` (needs `auth_token`).
        one auth_type: AuthType = "auth_type",
        /// `topics`.
        list topics: Topic = "topics",
    }
}

impl NotificationConfigBuilder {
    /// Adds one topic unless it is already there (first-seen order, as the official Node SDK
    /// does). [`topics`](Self::topics) sets the list exactly as given.
    #[must_use]
    pub fn topic(mut self, topic: impl Into<Topic>) -> Self {
        let topic = topic.into();
        let topics = self.inner.topics.get_or_insert_with(Vec::new);
        if !topics.contains(&topic) {
            topics.push(topic);
        }
        self
    }
}

spec_build!(NotificationConfigBuilder => NotificationConfig);

impl Rules<ViolationKind> for NotificationConfig {
    fn rules(&self, cx: &mut Walker) {
        cx.required("endpoint", &self.endpoint);
        cx.http_url("endpoint", &self.endpoint);
        let token_empty = self
            .auth_token
            .as_ref()
            .is_some_and(|t| t.expose_secret().is_empty());
        if self.auth_type.is_some() && (self.auth_token.is_none() || token_empty) {
            cx.violation(
                "auth_token",
                ViolationKind::RequiredWhen("auth_type is set"),
            );
        } else if token_empty {
            cx.violation("auth_token", ViolationKind::Empty);
        }
    }
}
