//! [`ResponseConfigError`]: what is wrong with a response config, each problem with its JSON
//! path.

use std::fmt;

/// What a [`ConfigViolation`] is.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigViolationKind {
    /// A required key is absent or `null`.
    Missing,
    /// A key that is required because of another one (named here, e.g. `type is PROFILE`) is
    /// absent or `null`.
    RequiredWhen(&'static str),
    /// A string (or enum value) that must not be empty is empty.
    Empty,
    /// A delay (seconds) is negative.
    Negative,
    /// Not a three-letter ISO 3166-1 alpha-3 country code (`GBR`).
    InvalidCountryCode,
    /// Not standard, padded base64 (`A–Z a–z 0–9 + /`, `=` padding, no whitespace).
    InvalidBase64,
    /// Not a media type such as `image/jpeg`.
    InvalidContentType,
    /// A key the sandbox reads only on the named check types (e.g. `liveness_type` outside
    /// `LIVENESS`).
    OnlyFor(&'static str),
    /// An extra key that names a field the model has: the field's value is sent, never the
    /// extra one (set the field instead).
    ShadowedExtra,
}

impl fmt::Display for ConfigViolationKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigViolationKind::Missing => f.write_str("required"),
            ConfigViolationKind::RequiredWhen(reason) => write!(f, "required when {reason}"),
            ConfigViolationKind::Empty => f.write_str("must not be empty"),
            ConfigViolationKind::Negative => f.write_str("must not be negative"),
            ConfigViolationKind::InvalidCountryCode => {
                f.write_str("must be a three-letter ISO 3166-1 alpha-3 country code such as GBR")
            }
            ConfigViolationKind::InvalidBase64 => {
                f.write_str("must be standard base64 with padding")
            }
            ConfigViolationKind::InvalidContentType => {
                f.write_str("must be a media type such as image/jpeg")
            }
            ConfigViolationKind::OnlyFor(checks) => write!(f, "only applies to {checks}"),
            ConfigViolationKind::ShadowedExtra => f.write_str(
                "names a modelled field, so this extra value would never be sent; set the field",
            ),
        }
    }
}

/// One problem of a response config: where ([`path`](Self::path), e.g.
/// `check_reports.LIVENESS[0].response_delay`) and what ([`kind`](Self::kind)).
///
/// Displays as `path: message`. Messages never contain values from the config (document
/// fields and ID photos are personal data in shape, even when made up).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigViolation {
    path: String,
    kind: ConfigViolationKind,
}

impl ConfigViolation {
    pub(crate) fn new(path: String, kind: ConfigViolationKind) -> Self {
        ConfigViolation { path, kind }
    }

    /// The JSON path of the offending key, relative to the object validated, e.g.
    /// `task_results.ID_DOCUMENT_TEXT_DATA_EXTRACTION[0].result.document_id_photo.data`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What is wrong.
    pub fn kind(&self) -> &ConfigViolationKind {
        &self.kind
    }
}

impl fmt::Display for ConfigViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.kind)
    }
}

/// A response config that breaks documented rules, with every violation found (at least one).
///
/// Returned by [`ResponseConfigBuilder::build`](super::ResponseConfigBuilder::build) and every
/// type's `validate()`. Displays as `invalid response config: path: message; path: message`
/// (the first ten, then `; and N more`).
///
/// ```
/// use idv_model::response_config::{
///     CheckReports, CheckResponse, ConfigViolationKind, ResponseConfig,
/// };
///
/// let err = ResponseConfig::builder()
///     .check_reports(
///         CheckReports::builder()
///             .liveness(CheckResponse::approve().response_delay(-1))
///             .async_report_delay(-5),
///     )
///     .build()
///     .unwrap_err();
/// let found: Vec<(&str, &ConfigViolationKind)> =
///     err.violations().iter().map(|v| (v.path(), v.kind())).collect();
/// assert_eq!(found, [
///     ("check_reports.async_report_delay", &ConfigViolationKind::Negative),
///     ("check_reports.LIVENESS[0].response_delay", &ConfigViolationKind::Negative),
/// ]);
/// assert_eq!(
///     err.to_string(),
///     "invalid response config: check_reports.async_report_delay: must not be negative; \
///      check_reports.LIVENESS[0].response_delay: must not be negative"
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResponseConfigError {
    violations: Vec<ConfigViolation>,
}

impl ResponseConfigError {
    /// `None` when there is nothing wrong.
    pub(crate) fn from_violations(violations: Vec<ConfigViolation>) -> Option<Self> {
        (!violations.is_empty()).then_some(ResponseConfigError { violations })
    }

    /// Every violation, top-down: an object's own rules, then its fields in key order.
    pub fn violations(&self) -> &[ConfigViolation] {
        &self.violations
    }

    /// Whether some violation is at exactly `path`.
    pub fn has_path(&self, path: &str) -> bool {
        self.violations.iter().any(|v| v.path == path)
    }
}

/// How many violations `Display` lists (a log line stays bounded;
/// [`ResponseConfigError::violations`] has them all).
const DISPLAYED: usize = 10;

impl fmt::Display for ResponseConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("invalid response config: ")?;
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

impl std::error::Error for ResponseConfigError {}
