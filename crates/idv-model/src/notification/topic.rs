//! [`NotificationTopic`]: what a notification is about.

use crate::spec::Topic;

open_enum! {
    /// The `topic` of a notification, in its wire form (lower case, as Yoti posts it).
    ///
    /// The create request's `notifications.topics` names the same topics in upper case
    /// ([`spec::Topic`](crate::spec::Topic)): [`from_config_topic`](Self::from_config_topic) and
    /// [`to_config_topic`](Self::to_config_topic) convert.
    pub enum NotificationTopic {
        /// `resource_update`: a resource was added or changed (the payload has `resource_id`).
        ResourceUpdate = "resource_update",
        /// `task_completion`: a task finished (the payload has `task_id`).
        TaskCompletion = "task_completion",
        /// `check_completion`: a check finished (the payload has `check_id`).
        CheckCompletion = "check_completion",
        /// `session_completion`: the session is complete; fetch it with `GET /sessions/{id}`.
        SessionCompletion = "session_completion",
        /// `client_session_token_deleted`: the user finished the client flow.
        ClientSessionTokenDeleted = "client_session_token_deleted",
        /// `new_pdf_supplied` (in-branch verification).
        NewPdfSupplied = "new_pdf_supplied",
        /// `instructions_email_requested` (in-branch verification).
        InstructionsEmailRequested = "instructions_email_requested",
        /// `thank_you_email_requested` (in-branch verification).
        ThankYouEmailRequested = "thank_you_email_requested",
        /// `first_branch_visit` (in-branch verification).
        FirstBranchVisit = "first_branch_visit",
    }
}

impl NotificationTopic {
    /// The notification topic of a subscribed config topic: its name in ASCII lower case
    /// (`SESSION_COMPLETION` → `session_completion`); an unknown topic stays `Other`, in lower
    /// case.
    ///
    /// ```
    /// use idv_model::notification::NotificationTopic;
    /// use idv_model::spec::Topic;
    /// assert_eq!(
    ///     NotificationTopic::from_config_topic(&Topic::CheckCompletion),
    ///     NotificationTopic::CheckCompletion
    /// );
    /// ```
    pub fn from_config_topic(topic: &Topic) -> Self {
        NotificationTopic::from(topic.as_str().to_ascii_lowercase())
    }

    /// The config topic this notification topic is subscribed with: its name in ASCII upper
    /// case (`session_completion` → `SESSION_COMPLETION`).
    ///
    /// ```
    /// use idv_model::notification::NotificationTopic;
    /// use idv_model::spec::Topic;
    /// assert_eq!(NotificationTopic::SessionCompletion.to_config_topic(), Topic::SessionCompletion);
    /// assert_eq!(NotificationTopic::from("new_topic").to_config_topic().as_str(), "NEW_TOPIC");
    /// ```
    pub fn to_config_topic(&self) -> Topic {
        Topic::from(self.as_str().to_ascii_uppercase())
    }
}
