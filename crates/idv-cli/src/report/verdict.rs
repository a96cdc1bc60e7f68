//! The overall verdict: the last line of a report.

use idv_model::{RecommendationSummary, Session};

use crate::style::{Style, paint};
use crate::terminal_safe::terminal_safe;

/// The overall outcome shown on the last line of a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The session is not finished yet.
    Pending,
    /// Finished, but no checks were reported.
    NoChecks,
    /// Every check is `DONE` and recommends `APPROVE`.
    Approve,
    /// At least one check recommends `REJECT`.
    Reject,
    /// Anything else needs a human: `CONSIDER`, `NOT_AVAILABLE`, unknown values, checks not done.
    Review,
}

impl Verdict {
    /// The verdict of a session.
    pub fn of(session: &Session) -> Self {
        if !session.is_finished() {
            return Verdict::Pending;
        }
        let summary = session.recommendation_summary();
        if summary.total_checks == 0 {
            Verdict::NoChecks
        } else if summary.reject > 0 {
            Verdict::Reject
        } else if summary.all_approved() && summary.all_done {
            Verdict::Approve
        } else {
            Verdict::Review
        }
    }

    /// The word shown in the report.
    pub fn label(&self) -> &'static str {
        match self {
            Verdict::Pending => "PENDING",
            Verdict::NoChecks => "NO CHECKS",
            Verdict::Approve => "APPROVE",
            Verdict::Reject => "REJECT",
            Verdict::Review => "REVIEW",
        }
    }

    fn style(&self) -> Style {
        match self {
            Verdict::Approve => Style::Green,
            Verdict::Reject => Style::Red,
            _ => Style::Yellow,
        }
    }
}

/// The one-line overall verdict with its explanation:
/// `Overall: APPROVE — all 9 checks are DONE and recommend APPROVE`.
pub fn verdict_line(session: &Session, color: bool) -> String {
    let verdict = Verdict::of(session);
    let summary = session.recommendation_summary();
    let state = session.state().map_or("(no state)", |s| s.as_str());
    let why = explanation(&verdict, &summary, &terminal_safe(state).to_string());
    format!(
        "{} {} — {why}",
        paint("Overall:", Style::Bold, color),
        paint(verdict.label(), verdict.style(), color)
    )
}

/// Why the verdict is what it is; `state` is already terminal-safe.
fn explanation(verdict: &Verdict, s: &RecommendationSummary, state: &str) -> String {
    match verdict {
        Verdict::Pending => format!(
            "the session is {state}; {} check{} so far",
            s.total_checks,
            if s.total_checks == 1 { "" } else { "s" }
        ),
        Verdict::NoChecks => format!("the session is {state} but reports no checks"),
        Verdict::Approve => format!(
            "all {} checks are DONE and recommend APPROVE",
            s.total_checks
        ),
        Verdict::Reject => format!("{} of {} checks recommend REJECT", s.reject, s.total_checks),
        Verdict::Review => {
            let done = if s.all_done {
                ""
            } else {
                "; not every check is DONE"
            };
            format!("a person should review: {}{done}", review_counts(s))
        }
    }
}

/// `1 APPROVE, 2 CONSIDER, 1 MAYBE`: the known values, then unknown ones (server text).
fn review_counts(s: &RecommendationSummary) -> String {
    let known = [
        (s.approve, "APPROVE"),
        (s.consider, "CONSIDER"),
        (s.not_available, "NOT_AVAILABLE"),
        (s.without_recommendation, "without recommendation"),
    ];
    let mut parts: Vec<String> = known
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} {what}"))
        .collect();
    for (value, n) in &s.other {
        parts.push(format!("{n} {}", terminal_safe(value)));
    }
    parts.join(", ")
}
