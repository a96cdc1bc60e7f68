//! ANSI colours for the report and the demo.

use std::fmt;

use crate::terminal_safe::terminal_safe;

/// ANSI styles used by the report and the demo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Bold.
    Bold,
    /// Dim (secondary information).
    Dim,
    /// Green (approve, done).
    Green,
    /// Red (reject, failure).
    Red,
    /// Yellow (consider, pending, not available).
    Yellow,
    /// Cyan (identifiers, headings).
    Cyan,
}

impl Style {
    fn code(self) -> &'static str {
        match self {
            Style::Bold => "1",
            Style::Dim => "2",
            Style::Green => "32",
            Style::Red => "31",
            Style::Yellow => "33",
            Style::Cyan => "36",
        }
    }
}

/// `text` made [terminal-safe](crate::terminal_safe), wrapped in the style's escape codes when
/// `color`. Painted text is often server data: the only escape codes in the result are the
/// style's own.
pub fn paint(text: &str, style: Style, color: bool) -> String {
    painted(text, style, color).to_string()
}

/// [`paint`] as a value that writes itself into a formatter, with no string of its own.
pub fn painted(text: &str, style: Style, color: bool) -> Painted<'_> {
    Painted { text, style, color }
}

/// Displays text as [`paint`] returns it: see [`painted`].
#[derive(Debug, Clone, Copy)]
pub struct Painted<'a> {
    text: &'a str,
    style: Style,
    color: bool,
}

impl fmt::Display for Painted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.color {
            write!(
                f,
                "\x1b[{}m{}\x1b[0m",
                self.style.code(),
                terminal_safe(self.text)
            )
        } else {
            write!(f, "{}", terminal_safe(self.text))
        }
    }
}

/// Every escape sequence [`paint`] can write, for tests that look for any other.
pub const STYLE_SEQUENCES: [&str; 7] = [
    "\x1b[0m", "\x1b[1m", "\x1b[2m", "\x1b[31m", "\x1b[32m", "\x1b[33m", "\x1b[36m",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paint_is_identity_without_colour() {
        assert_eq!(paint("APPROVE", Style::Green, false), "APPROVE");
        assert_eq!(
            paint("APPROVE", Style::Green, true),
            "\x1b[32mAPPROVE\x1b[0m"
        );
    }

    #[test]
    fn painted_server_text_carries_only_the_style_codes() {
        assert_eq!(
            paint("s\x1b[2J", Style::Cyan, true),
            "\x1b[36ms\\u{1b}[2J\x1b[0m"
        );
        assert_eq!(paint("a\nb", Style::Dim, false), "a\\u{a}b");
    }
}
