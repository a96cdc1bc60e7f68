//! The signals that stop a command: Ctrl-C (SIGINT) and, on Unix, `kill` (SIGTERM).
//!
//! Either one ends the command through the same path: the runtime is shut down, which drops
//! every download in flight and so removes its temporary file. (SIGKILL cannot be caught: a
//! download it stops leaves its hidden, randomly named `0600` temporary file behind.)

/// A signal that stopped the command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stopped {
    /// Ctrl-C (SIGINT).
    Interrupted,
    /// SIGTERM, as sent by `kill PID`, service managers and `timeout`.
    Terminated,
}

impl Stopped {
    /// The exit code: 128 plus the signal's number, as shells report it.
    pub fn exit_code(self) -> u8 {
        match self {
            Stopped::Interrupted => 130,
            Stopped::Terminated => 143,
        }
    }

    /// The line printed on stderr.
    pub fn message(self) -> &'static str {
        match self {
            Stopped::Interrupted => "interrupted",
            Stopped::Terminated => "terminated",
        }
    }
}

/// Resolves when the process is asked to stop. A signal whose handler cannot be installed
/// keeps its default behaviour (and this never resolves for it).
pub async fn interrupted() -> Stopped {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    tokio::select! {
        () = ctrl_c => Stopped::Interrupted,
        () = terminated() => Stopped::Terminated,
    }
}

#[cfg(unix)]
async fn terminated() {
    use tokio::signal::unix::{SignalKind, signal};
    if let Ok(mut stream) = signal(SignalKind::terminate())
        && stream.recv().await.is_some()
    {
        return;
    }
    std::future::pending::<()>().await;
}

#[cfg(not(unix))]
async fn terminated() {
    std::future::pending::<()>().await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_are_128_plus_the_signal() {
        assert_eq!(Stopped::Interrupted.exit_code(), 128 + 2);
        assert_eq!(Stopped::Terminated.exit_code(), 128 + 15);
    }
}
