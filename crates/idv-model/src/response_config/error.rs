//! [`ResponseConfigError`]: what is wrong with a response config, each problem with its JSON
//! path.

use std::fmt;

use crate::request_model::walk::RuleKinds;
use crate::violations::{Violation, Violations};

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

impl RuleKinds for ConfigViolationKind {
    const SUBJECT: &'static str = "response config";
    const MISSING: Self = ConfigViolationKind::Missing;
    const EMPTY: Self = ConfigViolationKind::Empty;
    const NEGATIVE: Self = ConfigViolationKind::Negative;
    const INVALID_COUNTRY_CODE: Self = ConfigViolationKind::InvalidCountryCode;
    const SHADOWED_EXTRA: Self = ConfigViolationKind::ShadowedExtra;
}

/// One problem of a response config: where ([`path`](Violation::path), relative to the object
/// validated, e.g. `check_reports.LIVENESS[0].response_delay`) and what
/// ([`kind`](Violation::kind), a [`ConfigViolationKind`]).
///
/// Displays as `path: message`. Messages never contain values from the config (document
/// fields and ID photos are personal data in shape, even when made up).
pub type ConfigViolation = Violation<ConfigViolationKind>;

/// A response config that breaks documented rules, with every violation found (at least one):
/// [`violations`](Violations::violations) lists them, [`has_path`](Violations::has_path) says
/// whether one is at exactly a path.
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
pub type ResponseConfigError = Violations<ConfigViolationKind>;
