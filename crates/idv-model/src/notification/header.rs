//! The `Authorization` header value Yoti sends for a configured auth type and token: the one
//! definition the verifier checks against and a sender (such as a local emulator) writes.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use crate::Secret;
use crate::spec::AuthType;

/// Why a notification auth configuration cannot be checked against.
///
/// Messages never contain the token.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NotificationAuthError {
    /// The auth type is neither `BASIC` nor `BEARER`, so what Yoti would send is unknown.
    #[error("notification auth_type {0} is not supported: expected BASIC or BEARER")]
    UnsupportedType(AuthType),
    /// The notification config has no `auth_type`.
    #[error("the notification config has no auth_type")]
    MissingAuthType,
    /// The notification config has no `auth_token`.
    #[error("the notification config has no auth_token")]
    MissingToken,
    /// The token is empty: a request with the bare scheme word would pass.
    #[error("the notification auth_token is empty")]
    EmptyToken,
}

/// The two schemes Yoti uses, with their header word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scheme {
    Basic,
    Bearer,
}

impl Scheme {
    /// The scheme of a configured auth type.
    pub(crate) fn of(auth_type: &AuthType) -> Result<Self, NotificationAuthError> {
        match auth_type {
            AuthType::Basic => Ok(Scheme::Basic),
            AuthType::Bearer => Ok(Scheme::Bearer),
            other => Err(NotificationAuthError::UnsupportedType(other.clone())),
        }
    }

    /// The scheme word as Yoti writes it.
    pub(crate) fn word(self) -> &'static str {
        match self {
            Scheme::Basic => "Basic",
            Scheme::Bearer => "Bearer",
        }
    }

    /// The configured auth type of this scheme.
    pub(crate) fn auth_type(self) -> AuthType {
        match self {
            Scheme::Basic => AuthType::Basic,
            Scheme::Bearer => AuthType::Bearer,
        }
    }

    /// What follows `word() + " "` in the header: `base64(token)` or the token itself.
    pub(crate) fn credentials(self, auth_token: &Secret) -> Result<String, NotificationAuthError> {
        let token = auth_token.expose_secret();
        if token.is_empty() {
            return Err(NotificationAuthError::EmptyToken);
        }
        Ok(match self {
            Scheme::Basic => STANDARD.encode(token),
            Scheme::Bearer => token.to_owned(),
        })
    }
}

/// The `Authorization` header value Yoti sends with `auth_type` and `auth_token`:
/// `Basic base64(auth_token)` or `Bearer auth_token`. It is a credential, so it comes back as a
/// [`Secret`] (redacted in `Debug` and `Display`).
///
/// ```
/// use idv_model::Secret;
/// use idv_model::notification::authorization_header;
/// use idv_model::spec::AuthType;
///
/// let value = authorization_header(&AuthType::Basic, &Secret::new("username:password"))?;
/// assert_eq!(value.expose_secret(), "Basic dXNlcm5hbWU6cGFzc3dvcmQ=");
/// assert_eq!(format!("{value:?}"), "[redacted]");
/// # Ok::<(), idv_model::notification::NotificationAuthError>(())
/// ```
///
/// # Errors
///
/// [`NotificationAuthError::UnsupportedType`] for an auth type other than `BASIC` or `BEARER`;
/// [`NotificationAuthError::EmptyToken`] for an empty token.
pub fn authorization_header(
    auth_type: &AuthType,
    auth_token: &Secret,
) -> Result<Secret, NotificationAuthError> {
    let scheme = Scheme::of(auth_type)?;
    let credentials = scheme.credentials(auth_token)?;
    Ok(Secret::new(format!("{} {credentials}", scheme.word())))
}
