//! Terminal detection, colour and output that tolerates a closed pipe.

use std::io::{IsTerminal, Write};

pub use idv_cli::style::{Style, paint};

/// Whether stdout is a terminal.
pub fn stdout_is_terminal() -> bool {
    std::io::stdout().is_terminal()
}

/// Whether stderr is a terminal.
pub fn stderr_is_terminal() -> bool {
    std::io::stderr().is_terminal()
}

/// Colour on stdout: only on a terminal, and never when `NO_COLOR` is set to a non-empty value.
pub fn stdout_color() -> bool {
    color_allowed(
        std::env::var_os("NO_COLOR").as_deref(),
        stdout_is_terminal(),
    )
}

/// The colour decision as a pure function (see <https://no-color.org>).
pub fn color_allowed(no_color: Option<&std::ffi::OsStr>, is_terminal: bool) -> bool {
    is_terminal && no_color.is_none_or(|v| v.is_empty())
}

/// Write `text` to stdout as is. A closed pipe (`idv … | head`) is not an error worth reporting.
pub fn out(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}

/// Write one line to stdout.
pub fn outln(text: &str) {
    out(&format!("{text}\n"));
}

/// Write one line to stderr.
pub fn errln(text: &str) {
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "{text}");
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsStr;

    #[test]
    fn colour_needs_a_terminal_and_no_no_color() {
        assert!(color_allowed(None, true));
        assert!(!color_allowed(None, false));
        assert!(!color_allowed(Some(OsStr::new("1")), true));
        assert!(color_allowed(Some(OsStr::new("")), true));
    }
}
