//! The top level: [`ResponseConfig`], the body of both response-config endpoints.

use super::ConfigViolationKind;
use super::ResponseConfigError;
use super::{CheckReports, TaskResults};
use crate::ParseError;
use crate::request_model::walk::Rules;

config_model! {
    /// The body of `PUT /sessions/{sessionId}/response-config` and
    /// `PUT /apps/{sdkId}/response-config` (sandbox only): what the session's checks and tasks
    /// return.
    ///
    /// Build one with [`ResponseConfig::builder`] (validated by
    /// [`build`](ResponseConfigBuilder::build)), or read one with
    /// [`ResponseConfig::from_slice`] and check it with [`validate`](ResponseConfig::validate).
    /// See the [module documentation](crate::response_config) for examples.
    pub struct ResponseConfig / ResponseConfigBuilder ("a response config object") {
        /// `check_reports`.
        one check_reports: CheckReports = "check_reports",
        /// `task_results`.
        one task_results: TaskResults = "task_results",
    }
}

impl ResponseConfig {
    /// Parses a response config from JSON. Every key is kept (unknown ones in `extra`, see
    /// [`unknown_keys`](Self::unknown_keys)), so writing it back gives the same JSON value. A
    /// shape that does not fit (a string where a number belongs, an object where an array
    /// belongs) is a [`ParseError`] naming the JSON path; rules are checked by
    /// [`validate`](Self::validate).
    pub fn from_slice(bytes: &[u8]) -> Result<Self, ParseError> {
        crate::from_slice(bytes)
    }
}

impl ResponseConfigBuilder {
    /// The config, if it breaks no documented rule (see [`ResponseConfig::validate`]): every
    /// violation is reported at once, each with its full JSON path.
    pub fn build(self) -> Result<ResponseConfig, ResponseConfigError> {
        self.inner.validate()?;
        Ok(self.inner)
    }
}

impl Rules<ConfigViolationKind> for ResponseConfig {}
