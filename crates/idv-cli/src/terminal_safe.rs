//! Text from a server, made safe to print on a terminal.
//!
//! Everything `idv` prints that came from a response (ids, document types, reasons, error codes
//! and messages, content types…) goes through [`terminal_safe`]: control characters and
//! bidirectional-text controls are replaced by a visible `\u{…}` escape, so a hostile server
//! cannot move the cursor, clear the screen, set the window title, start a new line to forge an
//! `Overall: APPROVE`, or reorder what is shown. Escaped text contains no such character, so
//! escaping twice changes nothing.

use std::borrow::Cow;
use std::fmt;

/// Whether `c` must not reach a terminal as is:
///
/// * C0 controls (U+0000–U+001F: ESC, BEL, CR, LF, TAB…), DEL and the C1 controls
///   (U+0080–U+009F, which some terminals read as CSI and OSC);
/// * bidirectional controls: the embeddings and overrides U+202A–U+202E, the isolates
///   U+2066–U+2069, the marks U+200E, U+200F and U+061C;
/// * the line and paragraph separators U+2028 and U+2029, which some viewers break lines on.
pub fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
                | '\u{2028}'
                | '\u{2029}'
        )
}

/// Displays its text with every character for which [`needs_escape`] holds written as
/// `\u{hex}` (ESC becomes `\u{1b}`). Honours width and alignment (`{:<20}`).
#[derive(Debug, Clone, Copy)]
pub struct TerminalSafe<'a>(&'a str);

/// `text`, ready to be printed on a terminal: see [`TerminalSafe`].
///
/// ```
/// use idv_cli::terminal_safe::terminal_safe;
///
/// let code = "X\u{1b}[2J";
/// assert_eq!(format!("error: {}", terminal_safe(code)), r"error: X\u{1b}[2J");
/// ```
pub fn terminal_safe(text: &str) -> TerminalSafe<'_> {
    TerminalSafe(text)
}

/// `text` with unsafe characters escaped, borrowed when nothing needed escaping.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if needs_escape(c) {
            // Writing to a String cannot fail.
            let _ = fmt::Write::write_fmt(&mut out, format_args!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

impl fmt::Display for TerminalSafe<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&escape(self.0))
    }
}

/// A whole document from a server (a JSON or text response body), made safe to print: like
/// [`escape`], line by line, keeping its line breaks (`\n`, and `\r\n` read as one) so that
/// it stays readable. Every other unsafe character, a lone `\r` included, is escaped.
///
/// ```
/// use idv_cli::terminal_safe::escape_lines;
///
/// assert_eq!(escape_lines("{\r\n  \"a\": \"\u{1b}[2J\"\n}"), "{\n  \"a\": \"\\u{1b}[2J\"\n}");
/// ```
pub fn escape_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&escape(line.strip_suffix('\r').unwrap_or(line)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn controls_and_bidi_are_escaped_visibly() {
        assert_eq!(
            terminal_safe("s\u{1b}]0;pwned\u{7}\u{1b}[2J").to_string(),
            r"s\u{1b}]0;pwned\u{7}\u{1b}[2J"
        );
        assert_eq!(
            terminal_safe("a\nOverall: APPROVE\r").to_string(),
            r"a\u{a}Overall: APPROVE\u{d}"
        );
        assert_eq!(
            terminal_safe("\u{9b}2J\u{7f}").to_string(),
            r"\u{9b}2J\u{7f}"
        );
        assert_eq!(
            terminal_safe("\u{202e}EVORPPA\u{2066}x\u{2069}\u{200f}\u{61c}").to_string(),
            r"\u{202e}EVORPPA\u{2066}x\u{2069}\u{200f}\u{61c}"
        );
        assert_eq!(terminal_safe("a\u{2028}b").to_string(), r"a\u{2028}b");
    }

    #[test]
    fn ordinary_text_is_unchanged_and_borrowed() {
        for text in ["PASSPORT GBR", "Zoë – café 日本", "x\\u{1b}", ""] {
            assert_eq!(terminal_safe(text).to_string(), text);
            assert!(matches!(escape(text), Cow::Borrowed(_)));
        }
    }

    #[test]
    fn width_and_alignment_apply_to_the_escaped_text() {
        assert_eq!(format!("[{:<8}]", terminal_safe("a\u{1b}")), r"[a\u{1b} ]");
        assert_eq!(format!("[{:>4}]", terminal_safe("ab")), "[  ab]");
    }

    fn hostile_char() -> impl Strategy<Value = char> {
        prop_oneof![
            any::<char>(),
            (0u32..0x20).prop_map(|n| char::from_u32(n).unwrap_or('?')),
            (0x7fu32..0xa0).prop_map(|n| char::from_u32(n).unwrap_or('?')),
            prop::sample::select(vec![
                '\u{61c}', '\u{200e}', '\u{200f}', '\u{202a}', '\u{202b}', '\u{202c}', '\u{202d}',
                '\u{202e}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}', '\u{2028}', '\u{2029}',
            ]),
        ]
    }

    proptest! {
        #[test]
        fn prop_escaped_text_has_no_unsafe_character(
            text in prop::collection::vec(hostile_char(), 0..64)
                .prop_map(|cs| cs.into_iter().collect::<String>())
        ) {
            let safe = terminal_safe(&text).to_string();
            prop_assert!(!safe.chars().any(needs_escape), "{safe:?}");
            // Idempotent, and the safe characters are kept in order.
            prop_assert_eq!(terminal_safe(&safe).to_string(), safe.clone());
            let kept: String = text.chars().filter(|c| !needs_escape(*c)).collect();
            let mut rest = safe.as_str();
            for c in kept.chars() {
                let at = rest.find(c);
                prop_assert!(at.is_some(), "{c:?} lost from {safe:?}");
                rest = &rest[at.unwrap_or(0) + c.len_utf8()..];
            }
        }

        #[test]
        fn prop_escaped_lines_hold_no_unsafe_character_but_newlines(
            text in prop::collection::vec(hostile_char(), 0..64)
                .prop_map(|cs| cs.into_iter().collect::<String>())
        ) {
            let safe = escape_lines(&text);
            prop_assert!(!safe.chars().any(|c| c != '\n' && needs_escape(c)), "{safe:?}");
            prop_assert_eq!(safe.matches('\n').count(), text.matches('\n').count());
        }
    }

    #[test]
    fn escaped_lines_keep_their_breaks() {
        assert_eq!(escape_lines("a\nb\r\nc\rd\u{1b}"), "a\nb\nc\\u{d}d\\u{1b}");
        assert_eq!(escape_lines(""), "");
        assert_eq!(escape_lines("\n"), "\n");
    }
}
