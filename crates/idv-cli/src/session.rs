//! `idv session get | wait | delete`, and the polling loop shared with the demo.

use std::time::Duration;

use idv_cli::report::render_report;
use idv_cli::terminal_safe::terminal_safe;
use idv_client::{Deleted, IdvClient};
use idv_model::Session;
use indicatif::{ProgressBar, ProgressStyle};
use tokio::time::Instant;

use crate::api::{self, Subject};
use crate::cli::{GlobalArgs, SessionCommand};
use crate::error::{CliError, CliResult};
use crate::term::{self, out, outln};

/// The default overall wait of `idv session wait`.
pub const DEFAULT_WAIT: Duration = Duration::from_secs(5 * 60);

/// The longest interval between two polls of `idv session wait`.
const MAX_INTERVAL: Duration = Duration::from_secs(30);

/// `idv session …`
pub async fn run(global: &GlobalArgs, command: SessionCommand) -> CliResult<()> {
    let (client, settings) = api::client(global)?;
    let base = settings.base_url.as_str();
    match command {
        SessionCommand::Get { session_id, json } => {
            let (session, bytes) = client
                .get_session_raw(&session_id)
                .await
                .map_err(|e| api::map_error(e, Subject::Session(session_id.as_str()), base))?;
            print_session(&session, &bytes, json);
            Ok(())
        }
        SessionCommand::Wait {
            session_id,
            json,
            interval,
        } => {
            let deadline = global.timeout.unwrap_or(DEFAULT_WAIT);
            let spinner = spinner();
            spinner.set_message(format!("session {session_id}: first request"));
            let poll = Poll {
                initial: interval,
                max: interval.max(MAX_INTERVAL),
                deadline,
            };
            let result = wait(&client, session_id.as_str(), poll, |session| {
                spinner.set_message(format!(
                    "session {session_id}: {}",
                    describe_progress(session)
                ));
            })
            .await;
            spinner.finish_and_clear();
            let (session, bytes) = result.map_err(|e| e.into_cli(session_id.as_str(), base))?;
            print_session(&session, &bytes, json);
            Ok(())
        }
        SessionCommand::Delete { session_id } => {
            let deleted = client
                .delete_session(&session_id)
                .await
                .map_err(|e| api::map_error(e, Subject::Session(session_id.as_str()), base))?;
            outln(&format!(
                "deleted session {session_id}{}",
                deleted_suffix(deleted)
            ));
            Ok(())
        }
        SessionCommand::Create(args) => crate::session_create::run(&client, base, *args).await,
        SessionCommand::Config(args) => crate::session_config::run(&client, base, args).await,
    }
}

/// What a delete message adds when the deletion was done by an attempt whose answer was lost
/// (the retry was told `404`): the thing is gone all the same, so this is a success.
pub fn deleted_suffix(deleted: Deleted) -> &'static str {
    match deleted {
        Deleted::ByEarlierAttempt => {
            " (by an earlier attempt whose answer was lost: the retry was told it no longer exists)"
        }
        _ => "",
    }
}

fn print_session(session: &Session, bytes: &[u8], json: bool) {
    if json {
        // Exactly as received, byte for byte.
        let mut stdout = std::io::stdout().lock();
        let _ = std::io::Write::write_all(&mut stdout, bytes);
        let _ = std::io::Write::flush(&mut stdout);
    } else {
        out(&render_report(session, term::stdout_color()));
    }
}

/// A spinner on stderr, drawn only when stderr is a terminal.
pub fn spinner() -> ProgressBar {
    if !term::stderr_is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.enable_steady_tick(Duration::from_millis(100));
    bar
}

/// One line on what a session holds so far: `ONGOING, 2 resources, 0 checks` (terminal-safe).
pub fn describe_progress(session: &Session) -> String {
    let resources = session.all_resources().len();
    let checks = session.checks.len();
    format!(
        "{}, {resources} resource{}, {checks} check{}",
        terminal_safe(session.state().map_or("(no state)", |s| s.as_str())),
        if resources == 1 { "" } else { "s" },
        if checks == 1 { "" } else { "s" },
    )
}

/// How to poll.
#[derive(Debug, Clone, Copy)]
pub struct Poll {
    /// The first interval; it doubles up to `max`.
    pub initial: Duration,
    /// The longest interval.
    pub max: Duration,
    /// How long to wait in total.
    pub deadline: Duration,
}

/// Why waiting failed.
#[derive(Debug)]
pub enum WaitError {
    /// A call failed.
    Client(idv_client::IdvError),
    /// The deadline passed; the last state seen, if any.
    TimedOut(Duration, Option<String>),
}

impl WaitError {
    /// The command's error.
    pub fn into_cli(self, session_id: &str, base_url: &str) -> CliError {
        match self {
            WaitError::Client(e) => api::map_error(e, Subject::Session(session_id), base_url),
            WaitError::TimedOut(after, state) => CliError::Failure(format!(
                "session {session_id} did not complete within {} (last state {})",
                humantime::format_duration(after),
                state.as_deref().unwrap_or("unknown")
            )),
        }
    }
}

/// Poll until the session is finished (`COMPLETED` or `EXPIRED`), calling `on_change` whenever
/// what the session holds changes (state, resources, checks). Returns the final session and its
/// bytes exactly as received.
pub async fn wait(
    client: &IdvClient,
    session_id: &str,
    poll: Poll,
    mut on_change: impl FnMut(&Session),
) -> Result<(Session, Vec<u8>), WaitError> {
    let started = Instant::now();
    // Any duration a user types is clamped (no overflow, no panic); a year is far enough.
    let end = started
        .checked_add(poll.deadline.min(idv_client::MAX_TIMEOUT))
        .unwrap_or(started);
    let mut interval = poll.initial;
    let mut last: Option<String> = None;
    let mut last_state: Option<String> = None;
    loop {
        let call = client.get_session_raw(session_id);
        let Ok(result) = tokio::time::timeout_at(end, call).await else {
            return Err(WaitError::TimedOut(poll.deadline, last_state));
        };
        let (session, bytes) = result.map_err(WaitError::Client)?;
        let progress = describe_progress(&session);
        if last.as_deref() != Some(progress.as_str()) {
            on_change(&session);
            last = Some(progress);
        }
        last_state = session.state().map(|s| s.as_str().to_owned());
        if session.is_finished() {
            return Ok((session, bytes.to_vec()));
        }
        if Instant::now()
            .checked_add(interval)
            .is_none_or(|next| next >= end)
        {
            return Err(WaitError::TimedOut(poll.deadline, last_state));
        }
        tokio::time::sleep(interval).await;
        interval = interval.saturating_mul(2).min(poll.max);
    }
}
