//! The readable session report: a pure function of the session.
//!
//! [`render_report`] writes a header (id, state), the resources, the checks, media that belong to
//! neither, and the verdict line; each part lives in its own file. Every piece of server text
//! goes through [`terminal_safe`](crate::terminal_safe) (directly or through
//! [`paint`](crate::style::paint)), and every lookup goes through an index of the session built
//! once, so the work is linear in the size of the session.

mod checks;
mod media_lines;
mod resources;
#[cfg(test)]
mod tests;
mod verdict;

use std::fmt::Write as _;

use idv_model::{Session, SessionState};

use crate::session_index::SessionIndex;
use crate::style::{Painted, Style, painted};

pub use resources::describe_resource;
pub use verdict::{Verdict, verdict_line};

/// Render a session as a readable report. Pure: the same session and flag give the same text.
/// With `color`, ANSI escape codes highlight states and recommendations; they are the only
/// control characters in the result besides the line breaks.
///
/// ```
/// let session = idv_model::parse_session(br#"{"session_id": "s1", "state": "ONGOING"}"#)?;
/// let report = idv_cli::report::render_report(&session, false);
/// assert!(report.starts_with("Session s1\nState:   ONGOING\n"));
/// assert!(report.ends_with("Overall: PENDING — the session is ONGOING; 0 checks so far\n"));
/// # Ok::<(), idv_model::ParseError>(())
/// ```
pub fn render_report(session: &Session, color: bool) -> String {
    let mut report = ReportWriter {
        out: String::new(),
        color,
        session,
        index: SessionIndex::new(session),
    };
    report.header();
    report.resources_section();
    report.checks_section();
    report.other_media_section();
    let _ = writeln!(report.out, "\n{}", verdict_line(session, color));
    report.out
}

/// The report being written, with what every part needs.
struct ReportWriter<'s> {
    out: String,
    color: bool,
    session: &'s Session,
    index: SessionIndex<'s>,
}

impl ReportWriter<'_> {
    /// `text` (server data or not) made safe and styled when colour is on.
    fn paint<'t>(&self, text: &'t str, style: Style) -> Painted<'t> {
        painted(text, style, self.color)
    }

    /// A bold section heading after a blank line, then `none yet` when `empty`.
    fn heading(&mut self, title: &str, empty: bool) {
        let title = self.paint(title, Style::Bold);
        let _ = writeln!(self.out, "\n{title}");
        if empty {
            let _ = writeln!(self.out, "  none yet");
        }
    }

    fn header(&mut self) {
        let session = self.session;
        let id = session.session_id.as_deref().unwrap_or("(no session id)");
        let (label, id) = (
            self.paint("Session", Style::Bold),
            self.paint(id, Style::Cyan),
        );
        let _ = writeln!(self.out, "{label} {id}");
        let state = session.state();
        let state_text = state.map_or("(no state)", |s| s.as_str());
        let state_text = self.paint(state_text, state_style(state));
        let _ = writeln!(self.out, "State:   {state_text}");
        if let Some(ttl) = session.client_session_token_ttl {
            let _ = writeln!(self.out, "Client session token TTL: {ttl} s");
        }
    }

    fn other_media_section(&mut self) {
        let other = self.index.other_media();
        if other.is_empty() {
            return;
        }
        let title = self.paint("Other media", Style::Bold);
        let mut lines = String::new();
        media_lines::write(&mut lines, &other, "  ", self.color);
        let _ = write!(self.out, "\n{title}\n{lines}");
    }
}

fn state_style(state: Option<&SessionState>) -> Style {
    match state {
        Some(SessionState::Completed) => Style::Green,
        Some(SessionState::Expired) => Style::Red,
        _ => Style::Yellow,
    }
}
