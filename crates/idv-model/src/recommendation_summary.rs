//! [`RecommendationSummary`]: counts of a session's check recommendations and states.

use std::collections::BTreeMap;
use std::fmt;

use crate::{CheckState, RecommendationValue, Session};

/// Counts of check recommendations and states: see [`Session::recommendation_summary`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RecommendationSummary {
    /// Number of checks.
    pub total_checks: usize,
    /// Checks recommended `APPROVE`.
    pub approve: usize,
    /// Checks recommended `REJECT`.
    pub reject: usize,
    /// Checks recommended `NOT_AVAILABLE`.
    pub not_available: usize,
    /// Checks recommended `CONSIDER`.
    pub consider: usize,
    /// Checks with another recommendation value, by value.
    pub other: BTreeMap<String, usize>,
    /// Checks without a report recommendation value.
    pub without_recommendation: usize,
    /// Checks by `state` text (checks without a state are not counted here).
    pub by_state: BTreeMap<String, usize>,
    /// Whether there is at least one check and every check is `DONE`.
    pub all_done: bool,
}

impl RecommendationSummary {
    /// The number of checks with this recommendation value.
    pub fn count(&self, value: &RecommendationValue) -> usize {
        match value {
            RecommendationValue::Approve => self.approve,
            RecommendationValue::Reject => self.reject,
            RecommendationValue::NotAvailable => self.not_available,
            RecommendationValue::Consider => self.consider,
            other => self.other.get(other.as_str()).copied().unwrap_or(0),
        }
    }

    /// Whether there is at least one check and every check is recommended `APPROVE`.
    pub fn all_approved(&self) -> bool {
        self.total_checks > 0 && self.approve == self.total_checks
    }
}

impl fmt::Display for RecommendationSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} checks: {} APPROVE, {} REJECT, {} NOT_AVAILABLE, {} CONSIDER",
            self.total_checks, self.approve, self.reject, self.not_available, self.consider
        )?;
        for (value, n) in &self.other {
            write!(f, ", {n} {value}")?;
        }
        if self.without_recommendation > 0 {
            write!(
                f,
                ", {} without recommendation",
                self.without_recommendation
            )?;
        }
        write!(
            f,
            "; {}",
            if self.all_done {
                "all DONE"
            } else {
                "not all DONE"
            }
        )
    }
}

impl Session {
    /// Counts recommendations (per value, including unknown ones) and check states.
    pub fn recommendation_summary(&self) -> RecommendationSummary {
        let mut s = RecommendationSummary {
            total_checks: self.checks.len(),
            ..Default::default()
        };
        for check in &self.checks {
            match check
                .report
                .as_ref()
                .and_then(|r| r.recommendation.as_ref())
                .and_then(|r| r.value.as_ref())
            {
                Some(RecommendationValue::Approve) => s.approve += 1,
                Some(RecommendationValue::Reject) => s.reject += 1,
                Some(RecommendationValue::NotAvailable) => s.not_available += 1,
                Some(RecommendationValue::Consider) => s.consider += 1,
                Some(other) => *s.other.entry(other.as_str().to_owned()).or_default() += 1,
                None => s.without_recommendation += 1,
            }
            if let Some(state) = &check.state {
                *s.by_state.entry(state.as_str().to_owned()).or_default() += 1;
            }
        }
        s.all_done = !self.checks.is_empty()
            && self
                .checks
                .iter()
                .all(|c| c.state == Some(CheckState::Done));
        s
    }
}
