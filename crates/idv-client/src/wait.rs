//! Polling a session until it finishes.

use std::time::Duration;

use http::Method;
use idv_model::Session;
use tokio::time::Instant;

use crate::client::IdvClient;
use crate::engine::deadline_in;
use crate::error::{ErrorKind, IdvError};
use crate::ids::{IntoId, SessionId};
use crate::retry::{Failure, RetryAction, classify};

/// How [`IdvClient::wait_for_completion`] polls.
///
/// ```
/// use std::time::Duration;
/// use idv_client::WaitOptions;
///
/// let options = WaitOptions::new(Duration::from_secs(600))
///     .initial_interval(Duration::from_secs(5))
///     .max_interval(Duration::from_secs(60));
/// assert_eq!(options.deadline, Duration::from_secs(600));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct WaitOptions {
    /// The wait after the first poll; it doubles after every poll that finds the session
    /// unfinished.
    pub initial_interval: Duration,
    /// The longest wait between two polls.
    pub max_interval: Duration,
    /// How long to wait in total, counted from the call.
    pub deadline: Duration,
}

impl Default for WaitOptions {
    /// Polls after 2 s, then 4 s, 8 s… up to every 60 s, for up to 15 minutes.
    fn default() -> Self {
        Self {
            initial_interval: Duration::from_secs(2),
            max_interval: Duration::from_secs(60),
            deadline: Duration::from_secs(15 * 60),
        }
    }
}

impl WaitOptions {
    /// The default intervals with the given overall `deadline`.
    pub fn new(deadline: Duration) -> Self {
        Self {
            deadline,
            ..Self::default()
        }
    }

    /// Set [`initial_interval`](Self::initial_interval).
    #[must_use]
    pub fn initial_interval(mut self, interval: Duration) -> Self {
        self.initial_interval = interval;
        self
    }

    /// Set [`max_interval`](Self::max_interval).
    #[must_use]
    pub fn max_interval(mut self, interval: Duration) -> Self {
        self.max_interval = interval;
        self
    }

    /// Set [`deadline`](Self::deadline).
    #[must_use]
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }
}

pub(crate) async fn wait_for_completion(
    client: &IdvClient,
    session_id: SessionId,
    options: WaitOptions,
) -> Result<Session, IdvError> {
    let end = deadline_in(options.deadline);
    let max_interval = options.max_interval.max(Duration::from_millis(1));
    let mut interval = options.initial_interval.min(max_interval);
    let mut last: Option<Session> = None;
    let mut last_error: Option<IdvError> = None;
    let mut polls: u32 = 0;
    loop {
        if Instant::now() >= end {
            break;
        }
        let call_deadline = client.inner().deadline().min(end);
        polls = polls.saturating_add(1);
        let mut pause = interval;
        match client.get_session_until(&session_id, call_deadline).await {
            Ok((session, _)) => {
                if session.is_finished() {
                    return Ok(session);
                }
                tracing::debug!(
                    session_id = %session_id,
                    polls,
                    state = session.state.as_ref().map(|s| s.as_str()),
                    "session not finished yet"
                );
                last = Some(session);
                last_error = None;
            }
            Err(e) => {
                // The same rule as every retry: a permanent failure (such as 404) ends the wait.
                let action = e
                    .failure()
                    .map_or(RetryAction::DontRetry, |f| classify(&Method::GET, false, f));
                match action {
                    RetryAction::DontRetry => return Err(e),
                    RetryAction::RetryAfter(d) => pause = pause.max(d),
                    RetryAction::Backoff => {}
                }
                last_error = Some(e);
            }
        }
        let remaining = end.saturating_duration_since(Instant::now());
        if remaining.is_zero() {
            break;
        }
        tokio::time::sleep(pause.min(remaining)).await;
        interval = interval.saturating_mul(2).min(max_interval);
    }
    let state = last
        .as_ref()
        .and_then(|s| s.state.as_ref())
        .map_or("unknown", |s| s.as_str());
    let mut err = IdvError::new(
        ErrorKind::Timeout,
        format!(
            "the session did not complete within {:?} ({polls} polls, last state {state})",
            options.deadline
        ),
    )
    .with_failure(Failure::INTERRUPTED)
    .with_request(&Method::GET, &format!("/sessions/{session_id}"));
    if let Some(session) = last {
        err = err.with_last_session(session);
    }
    if let Some(e) = last_error {
        err = err.with_source(e);
    }
    Err(err)
}

impl IdvClient {
    /// Polls a session until it is finished ([`Session::is_finished`]: `COMPLETED` or
    /// `EXPIRED`) and returns it.
    ///
    /// Polls with exponential backoff, from [`WaitOptions::initial_interval`] doubling up to
    /// [`WaitOptions::max_interval`]. When [`WaitOptions::deadline`] passes first, the error is
    /// of kind [`ErrorKind::Timeout`] and carries the session as last seen
    /// ([`IdvError::last_state`], [`IdvError::last_session`]). A failed poll is judged by the same
    /// rule as every retry ([`RetryPolicy`](crate::RetryPolicy)): transient failures are polled
    /// through until the deadline, others (such as `404`) end the wait at once.
    ///
    /// **In production, prefer notifications**: ask for the `SESSION_COMPLETION` topic when
    /// creating the session and call [`get_session`](Self::get_session) when it arrives.
    /// Polling is for scripts, tests and back-office tools.
    pub async fn wait_for_completion(
        &self,
        session_id: impl IntoId<SessionId>,
        options: WaitOptions,
    ) -> Result<Session, IdvError> {
        wait_for_completion(self, session_id.into_id()?, options).await
    }
}
