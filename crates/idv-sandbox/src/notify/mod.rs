//! Notifications the sandbox sends (§5.10 and §5.10.1 of the reference): for each created
//! session whose specification has `notifications`, a `POST` of
//! [`idv_model::notification::Notification`] per subscribed topic, as it happens.
//!
//! * **When**: `resource_update` when a resource is added or given its image (the user side's
//!   documents and liveness captures, the relying business's face captures);
//!   `client_session_token_deleted` when the user finishes; `task_completion` and
//!   `check_completion` for each task and check once done, and `session_completion` once the
//!   session is `COMPLETED` (after any delay a response config scripts, on the sandbox's clock);
//!   `instructions_email_requested` for each `POST …/instructions/email`.
//! * **How**: in the order they happen, per session (a notification is not sent before the
//!   previous one of its session is delivered or abandoned); sessions do not wait for each
//!   other. Each attempt is one connection with a timeout; a non-`2xx` answer (redirects are
//!   not followed) or no answer is retried with exponential backoff until the retry deadline,
//!   counted from when the notification was due.
//! * **Seen**: every attempt and its outcome is logged ([`NotificationLogEntry`]).
//!
//! A scheduler task holds notifications that are not due yet (ordered by due time, then by
//! order of occurrence) and hands due ones to one worker task per session with something to
//! send. Both end with the sandbox.

mod events;
mod http;
mod log;
mod subscription;

use std::cmp::{Ordering, Reverse};
use std::collections::{BinaryHeap, HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use idv_model::notification::Notification;
use idv_sign::Clock;
use tokio::sync::{Notify, watch};
use tokio::task::{JoinHandle, JoinSet};
use tokio::time::Instant;

use self::http::Sender;
use self::log::NotificationLog;
pub use self::log::{DeliveryOutcome, NotificationEvents, NotificationLogEntry};
pub(crate) use self::subscription::Subscription;
use crate::error::SandboxError;
use crate::limits::MAX_PENDING_NOTIFICATIONS;
use crate::server::lock;

/// How often the scheduler looks at the clock while a notification waits to be due: the
/// sandbox's clock may be one a test moves by hand.
const CLOCK_POLL: Duration = Duration::from_millis(20);

/// How deliveries are retried (the builder's settings).
#[derive(Debug, Clone)]
pub(crate) struct NotificationSettings {
    pub(crate) initial_backoff: Duration,
    pub(crate) max_backoff: Duration,
    pub(crate) deadline: Duration,
    pub(crate) attempt_timeout: Duration,
    pub(crate) log_capacity: usize,
    pub(crate) extra_ca_pem: Option<String>,
}

impl Default for NotificationSettings {
    fn default() -> Self {
        use crate::limits::{
            DEFAULT_NOTIFICATION_ATTEMPT_TIMEOUT, DEFAULT_NOTIFICATION_DEADLINE,
            DEFAULT_NOTIFICATION_INITIAL_BACKOFF, DEFAULT_NOTIFICATION_LOG_CAPACITY,
            DEFAULT_NOTIFICATION_MAX_BACKOFF,
        };
        Self {
            initial_backoff: DEFAULT_NOTIFICATION_INITIAL_BACKOFF,
            max_backoff: DEFAULT_NOTIFICATION_MAX_BACKOFF,
            deadline: DEFAULT_NOTIFICATION_DEADLINE,
            attempt_timeout: DEFAULT_NOTIFICATION_ATTEMPT_TIMEOUT,
            log_capacity: DEFAULT_NOTIFICATION_LOG_CAPACITY,
            extra_ca_pem: None,
        }
    }
}

impl NotificationSettings {
    /// The wait after failed attempt number `attempt` (from 1): the initial backoff doubled
    /// per attempt, at most the maximum.
    fn backoff(&self, attempt: u32) -> Duration {
        let factor = 1u32
            .checked_shl(attempt.saturating_sub(1))
            .unwrap_or(u32::MAX);
        self.initial_backoff
            .saturating_mul(factor)
            .min(self.max_backoff)
    }
}

/// A notification to send to a subscription.
struct Delivery {
    subscription: Arc<Subscription>,
    notification: Notification,
}

/// A notification waiting to be due, ordered by due time and then order of occurrence.
struct Scheduled {
    ready_ms: u64,
    seq: u64,
    delivery: Delivery,
}

impl PartialEq for Scheduled {
    fn eq(&self, other: &Self) -> bool {
        (self.ready_ms, self.seq) == (other.ready_ms, other.seq)
    }
}
impl Eq for Scheduled {}
impl PartialOrd for Scheduled {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Scheduled {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.ready_ms, self.seq).cmp(&(other.ready_ms, other.seq))
    }
}

/// A due notification in its session's lane, and when it became due (its retry deadline
/// counts from there).
struct Due {
    delivery: Delivery,
    since: Instant,
}

/// Notifications not delivered yet: waiting to be due, or due in a session's lane. A lane
/// exists while its session's worker runs.
#[derive(Default)]
struct Queue {
    waiting: BinaryHeap<Reverse<Scheduled>>,
    next_seq: u64,
    lanes: HashMap<String, VecDeque<Due>>,
    /// Waiting plus in lanes (bounded by [`MAX_PENDING_NOTIFICATIONS`]).
    pending: usize,
}

struct Inner {
    clock: Arc<dyn Clock>,
    settings: NotificationSettings,
    sender: Sender,
    queue: Mutex<Queue>,
    wake: Notify,
    log: Mutex<NotificationLog>,
}

/// The sandbox's notification sender (cheap to clone).
#[derive(Clone)]
pub(crate) struct Notifier {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Notifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Notifier")
            .field("settings", &self.inner.settings.deadline)
            .finish_non_exhaustive()
    }
}

impl Notifier {
    /// A notifier on `clock`.
    ///
    /// # Errors
    /// [`SandboxError::Tls`] for an unusable extra CA.
    pub(crate) fn new(
        clock: Arc<dyn Clock>,
        settings: NotificationSettings,
    ) -> Result<Self, SandboxError> {
        let sender = Sender::new(settings.extra_ca_pem.as_deref())?;
        Ok(Self {
            inner: Arc::new(Inner {
                clock,
                sender,
                queue: Mutex::new(Queue::default()),
                wake: Notify::new(),
                log: Mutex::new(NotificationLog::new(settings.log_capacity)),
                settings,
            }),
        })
    }

    /// Starts the scheduler; it and every delivery end when `shutdown` turns true (or its
    /// sender is dropped).
    pub(crate) fn start(&self, shutdown: watch::Receiver<bool>) -> JoinHandle<()> {
        tokio::spawn(schedule_loop(Arc::clone(&self.inner), shutdown))
    }

    /// Queues `notification` for `subscription`, due at `ready_ms` on the sandbox's clock,
    /// if the subscription has its topic.
    pub(crate) fn send(
        &self,
        subscription: &Arc<Subscription>,
        ready_ms: u64,
        notification: Notification,
    ) {
        if !subscription.subscribes(&notification.topic) {
            return;
        }
        {
            let mut queue = lock(&self.inner.queue);
            if queue.pending >= MAX_PENDING_NOTIFICATIONS {
                drop(queue);
                self.inner.record(NotificationLogEntry::new(
                    &notification.session_id,
                    &notification.topic,
                    &subscription.endpoint.display,
                    0,
                    Err("not attempted".to_owned()),
                    DeliveryOutcome::Dropped,
                ));
                return;
            }
            queue.pending += 1;
            let seq = queue.next_seq;
            queue.next_seq = seq.wrapping_add(1);
            queue.waiting.push(Reverse(Scheduled {
                ready_ms,
                seq,
                delivery: Delivery {
                    subscription: Arc::clone(subscription),
                    notification,
                },
            }));
        }
        self.inner.wake.notify_one();
    }

    /// The logged attempts, oldest first.
    pub(crate) fn log(&self) -> Vec<NotificationLogEntry> {
        lock(&self.inner.log).entries()
    }

    /// The attempts logged from now on.
    pub(crate) fn events(&self) -> NotificationEvents {
        lock(&self.inner.log).subscribe()
    }
}

impl Inner {
    fn record(&self, entry: NotificationLogEntry) {
        lock(&self.log).push(entry);
    }

    /// Moves the notifications due now into their sessions' lanes, starting a worker for each
    /// lane that had none. Returns how long until the next one is due.
    fn dispatch_due(
        self: &Arc<Self>,
        workers: &mut JoinSet<()>,
        shutdown: &watch::Receiver<bool>,
    ) -> Option<u64> {
        let now = self.clock.now_millis();
        let mut queue = lock(&self.queue);
        loop {
            let ready_ms = queue.waiting.peek()?.0.ready_ms;
            if ready_ms > now {
                return Some(ready_ms - now);
            }
            let Reverse(scheduled) = queue.waiting.pop()?;
            let session_id = scheduled.delivery.notification.session_id.clone();
            let due = Due {
                delivery: scheduled.delivery,
                since: Instant::now(),
            };
            match queue.lanes.get_mut(&session_id) {
                Some(lane) => lane.push_back(due),
                None => {
                    queue
                        .lanes
                        .insert(session_id.clone(), VecDeque::from([due]));
                    workers.spawn(drain_lane(Arc::clone(self), session_id, shutdown.clone()));
                }
            }
        }
    }

    /// Delivers one notification: attempts until a `2xx` or the retry deadline.
    async fn deliver(&self, due: Due, shutdown: &mut watch::Receiver<bool>) {
        let Delivery {
            subscription,
            notification,
        } = due.delivery;
        let settings = &self.settings;
        let body = Bytes::from(serde_json::to_vec(&notification).unwrap_or_default());
        let deadline = due.since.checked_add(settings.deadline);
        let endpoint = &subscription.endpoint;
        let mut attempt: u32 = 0;
        loop {
            attempt = attempt.saturating_add(1);
            let sent =
                self.sender
                    .post(endpoint, subscription.authorization.as_ref(), body.clone());
            let result = match tokio::time::timeout(settings.attempt_timeout, sent).await {
                Ok(result) => result,
                Err(_) => Err(format!(
                    "no answer within {}",
                    humantime::format_duration(settings.attempt_timeout)
                )),
            };
            let delivered = matches!(result, Ok(status) if (200..300).contains(&status));
            let backoff = settings.backoff(attempt);
            let outcome = if delivered {
                DeliveryOutcome::Delivered
            } else if deadline
                .is_some_and(|d| Instant::now().checked_add(backoff).is_none_or(|t| t > d))
            {
                DeliveryOutcome::GaveUp
            } else {
                DeliveryOutcome::Retrying { after: backoff }
            };
            self.record(NotificationLogEntry::new(
                &notification.session_id,
                &notification.topic,
                &endpoint.display,
                attempt,
                result,
                outcome,
            ));
            if !matches!(outcome, DeliveryOutcome::Retrying { .. }) {
                return;
            }
            tokio::select! {
                () = tokio::time::sleep(backoff) => {}
                _ = shutdown.changed() => return,
            }
        }
    }
}

/// Delivers the notifications of one session's lane in order, until it is empty.
async fn drain_lane(inner: Arc<Inner>, session_id: String, mut shutdown: watch::Receiver<bool>) {
    loop {
        let due = {
            let mut queue = lock(&inner.queue);
            match queue
                .lanes
                .get_mut(&session_id)
                .and_then(VecDeque::pop_front)
            {
                Some(due) => {
                    queue.pending = queue.pending.saturating_sub(1);
                    due
                }
                None => {
                    queue.lanes.remove(&session_id);
                    return;
                }
            }
        };
        inner.deliver(due, &mut shutdown).await;
        if *shutdown.borrow() {
            return;
        }
    }
}

/// Hands due notifications to their lanes until shutdown, then stops every delivery.
async fn schedule_loop(inner: Arc<Inner>, mut shutdown: watch::Receiver<bool>) {
    let mut workers = JoinSet::new();
    loop {
        if *shutdown.borrow() {
            break;
        }
        let next = inner.dispatch_due(&mut workers, &shutdown);
        // With something waiting, look at the clock again soon (it may be moved by hand);
        // otherwise sleep until a notification is queued.
        let nap = next.map(|ms| Duration::from_millis(ms).min(CLOCK_POLL));
        tokio::select! {
            () = async {
                match nap {
                    Some(nap) => tokio::time::sleep(nap).await,
                    None => std::future::pending().await,
                }
            } => {}
            () = inner.wake.notified() => {}
            changed = shutdown.changed() => {
                if changed.is_err() {
                    break;
                }
            }
            Some(_) = workers.join_next(), if !workers.is_empty() => {}
        }
    }
    workers.shutdown().await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_maximum_without_overflow() {
        let settings = NotificationSettings {
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(1),
            ..NotificationSettings::default()
        };
        let waits: Vec<u64> = (1..=6)
            .map(|a| settings.backoff(a).as_millis() as u64)
            .collect();
        assert_eq!(waits, [100, 200, 400, 800, 1000, 1000]);
        assert_eq!(settings.backoff(u32::MAX), Duration::from_secs(1));
        let huge = NotificationSettings {
            initial_backoff: Duration::MAX,
            max_backoff: Duration::MAX,
            ..NotificationSettings::default()
        };
        assert_eq!(huge.backoff(40), Duration::MAX);
    }

    #[test]
    fn waiting_notifications_come_out_by_due_time_then_order() {
        let subscription = Subscription::from_spec(
            &idv_model::spec::SessionSpec::from_slice(
                br#"{"notifications": {"endpoint": "http://127.0.0.1:1/",
                     "topics": ["SESSION_COMPLETION"]}}"#,
            )
            .expect("spec"),
        )
        .expect("valid")
        .expect("subscription");
        let mut heap = BinaryHeap::new();
        for (ready_ms, seq) in [(5, 0), (1, 1), (5, 2), (1, 3)] {
            heap.push(Reverse(Scheduled {
                ready_ms,
                seq,
                delivery: Delivery {
                    subscription: Arc::clone(&subscription),
                    notification: Notification::new(
                        "s",
                        idv_model::notification::NotificationTopic::SessionCompletion,
                    ),
                },
            }));
        }
        let order: Vec<u64> = std::iter::from_fn(|| heap.pop().map(|r| r.0.seq)).collect();
        assert_eq!(order, [1, 3, 0, 2]);
    }
}
