//! [`SpecError`]: what is wrong with a specification, each problem with its JSON path.

use std::fmt;

use crate::request_model::walk::RuleKinds;
use crate::violations::{Violation, Violations};

/// What a [`SpecViolation`] is.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum ViolationKind {
    /// A required key is absent or `null`.
    Missing,
    /// A key that is required because of another one (named here, e.g. `auth_type is set`)
    /// is absent, `null` or empty.
    RequiredWhen(&'static str),
    /// A string (or enum value) that must not be empty is empty.
    Empty,
    /// A number that must be greater than zero (a TTL, a number of attempts) is not.
    NotPositive,
    /// A number that must not be negative (`max_retries`) is.
    Negative,
    /// A number outside its range (`fuzziness`: 0 to 1), or a `null` where a number belongs.
    OutOfRange {
        /// The smallest valid value.
        min: f64,
        /// The largest valid value.
        max: f64,
    },
    /// Not a hex colour code (`#RRGGBB` or `#RGB`).
    InvalidColour,
    /// Not an RFC 3339 date-time (`2030-01-01T00:00:00.000Z`).
    InvalidTimestamp,
    /// Not an absolute `http`/`https` URL.
    InvalidUrl,
    /// Not a three-letter ISO 3166-1 alpha-3 country code (`GBR`).
    InvalidCountryCode,
    /// An extra key that names a field the model has: the field's value is sent, never the
    /// extra one (set the field instead).
    ShadowedExtra,
}

impl fmt::Display for ViolationKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ViolationKind::Missing => f.write_str("required"),
            ViolationKind::RequiredWhen(reason) => write!(f, "required when {reason}"),
            ViolationKind::Empty => f.write_str("must not be empty"),
            ViolationKind::NotPositive => f.write_str("must be greater than zero"),
            ViolationKind::Negative => f.write_str("must not be negative"),
            ViolationKind::OutOfRange { min, max } => {
                write!(f, "must be a number from {min} to {max}")
            }
            ViolationKind::InvalidColour => {
                f.write_str("must be a hex colour code such as #2d9fff")
            }
            ViolationKind::InvalidTimestamp => {
                f.write_str("must be an RFC 3339 date-time such as 2030-01-01T00:00:00.000Z")
            }
            ViolationKind::InvalidUrl => f.write_str("must be an absolute http or https URL"),
            ViolationKind::InvalidCountryCode => {
                f.write_str("must be a three-letter ISO 3166-1 alpha-3 country code such as GBR")
            }
            ViolationKind::ShadowedExtra => f.write_str(
                "names a modelled field, so this extra value would never be sent; set the field",
            ),
        }
    }
}

impl RuleKinds for ViolationKind {
    const SUBJECT: &'static str = "session specification";
    const MISSING: Self = ViolationKind::Missing;
    const EMPTY: Self = ViolationKind::Empty;
    const NEGATIVE: Self = ViolationKind::Negative;
    const INVALID_COUNTRY_CODE: Self = ViolationKind::InvalidCountryCode;
    const SHADOWED_EXTRA: Self = ViolationKind::ShadowedExtra;
}

/// One problem of a specification: where ([`path`](Violation::path), e.g.
/// `sdk_config.primary_colour` or `requested_checks[1].config.liveness_type`) and what
/// ([`kind`](Violation::kind), a [`ViolationKind`]).
///
/// Displays as `path: message`. Messages never contain values from the specification (it
/// holds secrets such as the notification `auth_token`).
pub type SpecViolation = Violation<ViolationKind>;

/// A specification that breaks documented rules, with every violation found (at least one):
/// [`violations`](Violations::violations) lists them, [`has_path`](Violations::has_path) says
/// whether one is at exactly a path.
///
/// Returned by [`SessionSpecBuilder::build`](crate::spec::SessionSpecBuilder::build) and
/// [`SessionSpec::validate`](crate::spec::SessionSpec::validate). Displays as
/// `invalid session specification: path: message; path: message` (the first ten, then
/// `; and N more`).
///
/// ```
/// use idv_model::spec::{SdkConfig, SessionSpec, ViolationKind};
///
/// let err = SessionSpec::builder()
///     .client_session_token_ttl(-5)
///     .sdk_config(SdkConfig::builder().primary_colour("blue"))
///     .build()
///     .unwrap_err();
/// let found: Vec<(&str, &ViolationKind)> =
///     err.violations().iter().map(|v| (v.path(), v.kind())).collect();
/// assert_eq!(found, [
///     ("client_session_token_ttl", &ViolationKind::NotPositive),
///     ("sdk_config.primary_colour", &ViolationKind::InvalidColour),
/// ]);
/// assert_eq!(
///     err.to_string(),
///     "invalid session specification: client_session_token_ttl: must be greater than zero; \
///      sdk_config.primary_colour: must be a hex colour code such as #2d9fff"
/// );
/// ```
pub type SpecError = Violations<ViolationKind>;
