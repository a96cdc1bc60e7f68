//! The command's error type and its exit codes.

use std::fmt;

use idv_cli::terminal_safe::terminal_safe;

/// Exit code: the API or the transport failed (or a digest did not verify).
pub const EXIT_FAILURE: u8 = 1;
/// Exit code: usage or configuration error.
pub const EXIT_USAGE: u8 = 2;
/// Exit code: the session was not found.
pub const EXIT_NOT_FOUND: u8 = 3;

/// What went wrong, classified by exit code. The message is one line, printed after `error: `.
/// Messages often quote the server (API error codes and messages, media ids): they are displayed
/// [terminal-safe](idv_cli::terminal_safe), so no control character of theirs reaches stderr.
#[derive(Debug)]
pub enum CliError {
    /// A missing or bad setting, or bad input from the user (exit 2).
    Config(String),
    /// The API answered with an error, or the transport failed (exit 1).
    Failure(String),
    /// The session does not exist (exit 3).
    NotFound(String),
}

impl CliError {
    /// The process exit code for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Config(_) => EXIT_USAGE,
            CliError::Failure(_) => EXIT_FAILURE,
            CliError::NotFound(_) => EXIT_NOT_FOUND,
        }
    }

    /// A setting that is required but absent: names the flag and the environment variable.
    pub fn missing(what: &str, flag: &str, var: &str) -> Self {
        CliError::Config(format!("missing {what}: pass {flag} or set {var}"))
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Config(m) | CliError::Failure(m) | CliError::NotFound(m) => {
                write!(f, "{}", terminal_safe(m))
            }
        }
    }
}

impl std::error::Error for CliError {}

/// `Result` with [`CliError`].
pub type CliResult<T> = Result<T, CliError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_follow_the_documented_mapping() {
        assert_eq!(CliError::Config("x".into()).exit_code(), 2);
        assert_eq!(CliError::Failure("x".into()).exit_code(), 1);
        assert_eq!(CliError::NotFound("x".into()).exit_code(), 3);
    }

    #[test]
    fn missing_setting_names_flag_and_variable() {
        let e = CliError::missing("SDK id", "--sdk-id", "YOTI_CLIENT_SDK_ID");
        assert_eq!(
            e.to_string(),
            "missing SDK id: pass --sdk-id or set YOTI_CLIENT_SDK_ID"
        );
        assert_eq!(e.exit_code(), EXIT_USAGE);
    }

    #[test]
    fn messages_are_displayed_terminal_safe() {
        let e = CliError::Failure("400 X\u{1b}[2J: bad\nerror: forged".into());
        assert_eq!(e.to_string(), r"400 X\u{1b}[2J: bad\u{a}error: forged");
    }
}
