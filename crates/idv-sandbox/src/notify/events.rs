//! What happens to a created session, as notifications: each hook reads the session and
//! queues the notifications its subscription asks for.

use idv_model::notification::{Notification, NotificationTopic};

use super::Notifier;
use crate::live::LiveSession;

impl Notifier {
    /// A resource was added to the session, or changed (a face capture's image).
    pub(crate) fn resource_updated(&self, session: &LiveSession, resource_id: &str, now_ms: u64) {
        if let Some(subscription) = &session.notifications {
            let notification = Notification::new(&session.id, NotificationTopic::ResourceUpdate)
                .with_resource_id(resource_id);
            self.send(subscription, now_ms, notification);
        }
    }

    /// The user finished the session (it has just run): `client_session_token_deleted` now,
    /// `task_completion` and `check_completion` as each task and check is done, and
    /// `session_completion` once the session is complete.
    pub(crate) fn user_finished(&self, session: &LiveSession) {
        let (Some(subscription), Some(finished_ms), Some(completed_ms)) = (
            &session.notifications,
            session.user_finished_ms,
            session.completed_ms,
        ) else {
            return;
        };
        let id = session.id.as_str();
        self.send(
            subscription,
            finished_ms,
            Notification::new(id, NotificationTopic::ClientSessionTokenDeleted),
        );
        let tasks = session.resources.iter().flat_map(|r| &r.tasks);
        for task in tasks {
            if let Some(task_id) = task.json["id"].as_str() {
                let notification =
                    Notification::new(id, NotificationTopic::TaskCompletion).with_task_id(task_id);
                self.send(subscription, task.ready_ms, notification);
            }
        }
        for check in &session.checks {
            if let Some(check_id) = check.json["id"].as_str() {
                let notification = Notification::new(id, NotificationTopic::CheckCompletion)
                    .with_check_id(check_id);
                self.send(subscription, check.ready_ms, notification);
            }
        }
        self.send(
            subscription,
            completed_ms,
            Notification::new(id, NotificationTopic::SessionCompletion),
        );
    }

    /// An email of the session's in-branch instructions was requested.
    pub(crate) fn instructions_email_requested(&self, session: &LiveSession, now_ms: u64) {
        if let Some(subscription) = &session.notifications {
            let notification =
                Notification::new(&session.id, NotificationTopic::InstructionsEmailRequested);
            self.send(subscription, now_ms, notification);
        }
    }
}
