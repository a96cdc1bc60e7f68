//! What is wrong with a request body this crate builds: [`Violations`], every [`Violation`]
//! found, each with its JSON path and a kind from the body's own vocabulary.
//!
//! The two bodies name them: [`SpecError`](crate::spec::SpecError) is
//! `Violations<spec::ViolationKind>`, of [`SpecViolation`](crate::spec::SpecViolation)s, and
//! [`ResponseConfigError`](crate::response_config::ResponseConfigError) is
//! `Violations<response_config::ConfigViolationKind>`, of
//! [`ConfigViolation`](crate::response_config::ConfigViolation)s. Code that
//! reports either can take `Violations<K>`:
//!
//! ```
//! use idv_model::response_config::{CheckReports, ResponseConfig};
//! use idv_model::spec::{SdkConfig, SessionSpec};
//! use idv_model::violations::Violations;
//!
//! fn paths<K>(err: &Violations<K>) -> Vec<&str> {
//!     err.violations().iter().map(|v| v.path()).collect()
//! }
//!
//! let spec = SessionSpec::builder().sdk_config(SdkConfig::builder().locale("")).build();
//! assert_eq!(paths(&spec.unwrap_err()), ["sdk_config.locale"]);
//!
//! let config = ResponseConfig::builder()
//!     .check_reports(CheckReports::builder().async_report_delay(-1))
//!     .build();
//! assert_eq!(paths(&config.unwrap_err()), ["check_reports.async_report_delay"]);
//! ```

use std::fmt;

/// One problem of a request body: where ([`path`](Self::path)) and what
/// ([`kind`](Self::kind)).
///
/// Displays as `path: message`. Messages never contain values from the body (it may hold
/// secrets, or personal data in shape).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation<K> {
    path: String,
    kind: K,
}

impl<K> Violation<K> {
    pub(crate) fn new(path: String, kind: K) -> Self {
        Violation { path, kind }
    }

    /// The JSON path of the offending key, relative to the object validated, e.g.
    /// `notifications.auth_token` or `check_reports.LIVENESS[0].response_delay`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What is wrong.
    pub fn kind(&self) -> &K {
        &self.kind
    }
}

impl<K: fmt::Display> fmt::Display for Violation<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.kind)
    }
}

/// A request body that breaks documented rules, with every violation found (at least one).
///
/// Displays as `invalid <body>: path: message; path: message` (the first ten, then
/// `; and N more`), where `<body>` is `session specification` or `response config`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violations<K> {
    /// What `Display` calls the body.
    subject: &'static str,
    violations: Vec<Violation<K>>,
}

impl<K> Violations<K> {
    /// `None` when there is nothing wrong.
    pub(crate) fn from_violations(
        subject: &'static str,
        violations: Vec<Violation<K>>,
    ) -> Option<Self> {
        (!violations.is_empty()).then_some(Violations {
            subject,
            violations,
        })
    }

    /// Every violation, top-down: an object's own rules first, then its fields in the order
    /// the model lists them.
    pub fn violations(&self) -> &[Violation<K>] {
        &self.violations
    }

    /// Whether some violation is at exactly `path`.
    pub fn has_path(&self, path: &str) -> bool {
        self.violations.iter().any(|v| v.path == path)
    }
}

/// How many violations `Display` lists (a log line stays bounded;
/// [`Violations::violations`] has them all).
const DISPLAYED: usize = 10;

impl<K: fmt::Display> fmt::Display for Violations<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid {}: ", self.subject)?;
        for (index, violation) in self.violations.iter().take(DISPLAYED).enumerate() {
            if index > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{violation}")?;
        }
        let more = self.violations.len().saturating_sub(DISPLAYED);
        if more > 0 {
            write!(f, "; and {more} more")?;
        }
        Ok(())
    }
}

impl<K: fmt::Display + fmt::Debug> std::error::Error for Violations<K> {}
