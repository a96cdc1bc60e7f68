//! The notification log: one entry per delivery attempt and its outcome, in a ring buffer,
//! and the stream of new entries that `idv sandbox serve` prints.

use std::collections::VecDeque;
use std::fmt;
use std::time::Duration;

use idv_model::notification::NotificationTopic;
use tokio::sync::broadcast;

/// The longest error text kept in a log entry, in bytes (cut at a character boundary).
const MAX_ERROR_TEXT: usize = 256;

/// What became of one delivery attempt (see [`NotificationLogEntry`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DeliveryOutcome {
    /// The endpoint answered `2xx`: the notification is delivered.
    Delivered,
    /// The attempt failed; the next one follows after this backoff.
    Retrying {
        /// The wait before the next attempt.
        after: Duration,
    },
    /// The attempt failed and the retry deadline leaves no room for another: the
    /// notification is abandoned.
    GaveUp,
    /// The notification was not attempted: the queue of undelivered notifications was full
    /// ([`MAX_PENDING_NOTIFICATIONS`](crate::limits::MAX_PENDING_NOTIFICATIONS)).
    Dropped,
}

/// One delivery attempt of a notification, as the sandbox logged it. Never holds the
/// `Authorization` header, the auth token or the endpoint's query string.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct NotificationLogEntry {
    /// The session the notification is about.
    pub session_id: String,
    /// Its topic (wire form: `session_completion`, …).
    pub topic: NotificationTopic,
    /// The endpoint, as `scheme://authority/path` (no query).
    pub endpoint: String,
    /// The attempt's number, from 1 (0 for a [`DeliveryOutcome::Dropped`] notification).
    pub attempt: u32,
    /// The status the endpoint answered, if it answered.
    pub status: Option<u16>,
    /// Why no status came back (connection refused, TLS failure, timeout, …), if so.
    pub error: Option<String>,
    /// What became of the attempt.
    pub outcome: DeliveryOutcome,
}

impl NotificationLogEntry {
    pub(crate) fn new(
        session_id: &str,
        topic: &NotificationTopic,
        endpoint: &str,
        attempt: u32,
        result: Result<u16, String>,
        outcome: DeliveryOutcome,
    ) -> Self {
        let (status, error) = match result {
            Ok(status) => (Some(status), None),
            Err(error) => (None, Some(bounded(error))),
        };
        Self {
            session_id: session_id.to_owned(),
            topic: topic.clone(),
            endpoint: endpoint.to_owned(),
            attempt,
            status,
            error,
            outcome,
        }
    }
}

/// One line, as `idv sandbox serve` prints it:
/// `notification session_completion for session 1c3c… to http://127.0.0.1:9000/hook: attempt 2: 503: retrying in 1s`.
impl fmt::Display for NotificationLogEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "notification {} for session {} to {}: ",
            self.topic, self.session_id, self.endpoint
        )?;
        if self.outcome == DeliveryOutcome::Dropped {
            return f.write_str("dropped (too many undelivered notifications)");
        }
        write!(f, "attempt {}: ", self.attempt)?;
        match (&self.status, &self.error) {
            (Some(status), _) => write!(f, "{status}")?,
            (None, Some(error)) => f.write_str(error)?,
            (None, None) => f.write_str("no answer")?,
        }
        match self.outcome {
            DeliveryOutcome::Delivered => f.write_str(": delivered"),
            DeliveryOutcome::Retrying { after } => {
                write!(f, ": retrying in {}", humantime::format_duration(after))
            }
            DeliveryOutcome::GaveUp => f.write_str(": gave up (retry deadline reached)"),
            DeliveryOutcome::Dropped => Ok(()),
        }
    }
}

/// `text` cut to [`MAX_ERROR_TEXT`] bytes at a character boundary, ending in `…` when cut.
fn bounded(mut text: String) -> String {
    if text.len() > MAX_ERROR_TEXT {
        let mut end = MAX_ERROR_TEXT;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
        text.push('…');
    }
    text
}

/// The last `capacity` entries, oldest first, and a channel announcing each new one.
#[derive(Debug)]
pub(crate) struct NotificationLog {
    entries: VecDeque<NotificationLogEntry>,
    capacity: usize,
    events: broadcast::Sender<NotificationLogEntry>,
}

/// How many entries a slow [`NotificationEvents`] reader may fall behind before it skips.
const EVENTS_BUFFER: usize = 1024;

impl NotificationLog {
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            entries: VecDeque::new(),
            capacity,
            events: broadcast::channel(EVENTS_BUFFER).0,
        }
    }

    /// Appends an entry (dropping the oldest when full) and announces it.
    pub(crate) fn push(&mut self, entry: NotificationLogEntry) {
        if self.capacity > 0 {
            if self.entries.len() >= self.capacity {
                self.entries.pop_front();
            }
            self.entries.push_back(entry.clone());
        }
        // Nobody listening is fine.
        let _ = self.events.send(entry);
    }

    pub(crate) fn entries(&self) -> Vec<NotificationLogEntry> {
        self.entries.iter().cloned().collect()
    }

    pub(crate) fn subscribe(&self) -> NotificationEvents {
        NotificationEvents {
            receiver: self.events.subscribe(),
        }
    }
}

/// The notification log's new entries as they are recorded
/// ([`SandboxHandle::notification_events`](crate::SandboxHandle::notification_events)).
#[derive(Debug)]
pub struct NotificationEvents {
    receiver: broadcast::Receiver<NotificationLogEntry>,
}

impl NotificationEvents {
    /// The next entry; `None` once the sandbox has been dropped. A reader more than 1024
    /// entries behind skips the oldest of them.
    pub async fn next(&mut self) -> Option<NotificationLogEntry> {
        loop {
            match self.receiver.recv().await {
                Ok(entry) => return Some(entry),
                Err(broadcast::error::RecvError::Lagged(_)) => {}
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(
        attempt: u32,
        result: Result<u16, String>,
        outcome: DeliveryOutcome,
    ) -> NotificationLogEntry {
        NotificationLogEntry::new(
            "s1",
            &NotificationTopic::SessionCompletion,
            "http://127.0.0.1:9/hook",
            attempt,
            result,
            outcome,
        )
    }

    #[test]
    fn lines_say_what_happened() {
        let retry = entry(
            1,
            Ok(503),
            DeliveryOutcome::Retrying {
                after: Duration::from_millis(1500),
            },
        );
        assert_eq!(
            retry.to_string(),
            "notification session_completion for session s1 to http://127.0.0.1:9/hook: \
             attempt 1: 503: retrying in 1s 500ms"
        );
        let gave_up = entry(
            4,
            Err("connection refused".to_owned()),
            DeliveryOutcome::GaveUp,
        );
        assert!(
            gave_up
                .to_string()
                .ends_with("attempt 4: connection refused: gave up (retry deadline reached)")
        );
        assert!(
            entry(2, Ok(204), DeliveryOutcome::Delivered)
                .to_string()
                .ends_with(": 204: delivered")
        );
        let long = entry(1, Err("é".repeat(300)), DeliveryOutcome::GaveUp);
        assert!(
            long.error
                .as_ref()
                .is_some_and(|e| e.len() <= MAX_ERROR_TEXT + 3)
        );
    }

    #[tokio::test]
    async fn the_ring_keeps_the_newest_and_readers_see_each_entry() {
        let mut log = NotificationLog::new(2);
        let mut events = log.subscribe();
        for attempt in 1..=3 {
            log.push(entry(attempt, Ok(500), DeliveryOutcome::GaveUp));
        }
        let attempts: Vec<u32> = log.entries().iter().map(|e| e.attempt).collect();
        assert_eq!(attempts, [2, 3]);
        assert_eq!(events.next().await.map(|e| e.attempt), Some(1));
        drop(log);
        assert_eq!(events.next().await.map(|e| e.attempt), Some(2));
        assert_eq!(events.next().await.map(|e| e.attempt), Some(3));
        assert_eq!(events.next().await, None);
    }
}
