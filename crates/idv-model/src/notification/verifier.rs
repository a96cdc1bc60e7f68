//! [`NotificationVerifier`]: the constant-time check of a notification's `Authorization` header.

use std::fmt;

use sha2::{Digest as _, Sha256};
use subtle::{Choice, ConstantTimeEq as _};

use super::NotificationAuthError;
use super::header::Scheme;
use crate::Secret;
use crate::spec::{AuthType, NotificationConfig};

/// Checks the `Authorization` header of a notification against the configured `auth_type` and
/// `auth_token` (those of the create request's [`NotificationConfig`]), in constant time.
///
/// The header verifies when it is exactly `Basic base64(auth_token)` (for [`AuthType::Basic`])
/// or `Bearer auth_token` (for [`AuthType::Bearer`]), the one definition of which is
/// [`authorization_header`](super::authorization_header), except that the scheme word may be in any case (RFC 9110
/// §11.1). Nothing else verifies: no surrounding or doubled spaces, no other scheme, no prefix or
/// extension of the credentials. That is what Yoti sends, and the strictness keeps the rule
/// simple: one header value (up to the scheme's case) per configuration.
///
/// **Constant time by construction**: the verifier keeps only the SHA-256 digest of the
/// expected credentials (never the token). [`verify`](Self::verify) hashes whatever follows the
/// scheme word in the presented header and compares the two 32-byte digests with
/// [`subtle::ConstantTimeEq`], combining that with the scheme check without an early return. How
/// long a check takes depends only on the presented header's length, which the caller sent:
/// never on how much of the token it got right, nor on the token's length.
///
/// `Debug` shows the auth type only.
///
/// ```
/// use idv_model::Secret;
/// use idv_model::notification::NotificationVerifier;
///
/// let verifier = NotificationVerifier::basic(&Secret::new("username:password"))?;
/// assert!(verifier.verify(b"Basic dXNlcm5hbWU6cGFzc3dvcmQ="));
/// assert!(verifier.verify(b"basic dXNlcm5hbWU6cGFzc3dvcmQ="));
/// assert!(!verifier.verify(b"Basic dXNlcm5hbWU6cGFzc3dvcmQ"));
/// assert!(!verifier.verify(b"Bearer username:password"));
/// assert_eq!(format!("{verifier:?}"), "NotificationVerifier { auth_type: BASIC, .. }");
/// # Ok::<(), idv_model::notification::NotificationAuthError>(())
/// ```
#[derive(Clone)]
pub struct NotificationVerifier {
    scheme: Scheme,
    /// SHA-256 of the credentials expected after `scheme.word() + " "`.
    expected: [u8; 32],
}

impl NotificationVerifier {
    /// A verifier for the create request's `auth_type` and `auth_token`.
    ///
    /// # Errors
    ///
    /// [`NotificationAuthError::UnsupportedType`] for an auth type other than `BASIC` or
    /// `BEARER`; [`NotificationAuthError::EmptyToken`] for an empty token.
    pub fn new(auth_type: &AuthType, auth_token: &Secret) -> Result<Self, NotificationAuthError> {
        let scheme = Scheme::of(auth_type)?;
        let credentials = scheme.credentials(auth_token)?;
        Ok(NotificationVerifier {
            scheme,
            expected: Sha256::digest(credentials.as_bytes()).into(),
        })
    }

    /// A verifier for `auth_type: BASIC` (the token is `username:password`).
    ///
    /// # Errors
    ///
    /// [`NotificationAuthError::EmptyToken`] for an empty token.
    pub fn basic(auth_token: &Secret) -> Result<Self, NotificationAuthError> {
        Self::new(&AuthType::Basic, auth_token)
    }

    /// A verifier for `auth_type: BEARER`.
    ///
    /// # Errors
    ///
    /// [`NotificationAuthError::EmptyToken`] for an empty token.
    pub fn bearer(auth_token: &Secret) -> Result<Self, NotificationAuthError> {
        Self::new(&AuthType::Bearer, auth_token)
    }

    /// A verifier for the `auth_type` and `auth_token` of the notification config sent in the
    /// create request.
    ///
    /// ```
    /// use idv_model::notification::NotificationVerifier;
    /// use idv_model::spec::{AuthType, NotificationConfig, Topic};
    ///
    /// let config = NotificationConfig::builder()
    ///     .endpoint("https://example.com/yoti/notifications")
    ///     .auth_type(AuthType::Bearer)
    ///     .auth_token("s3cret")
    ///     .topic(Topic::SessionCompletion)
    ///     .build();
    /// let verifier = NotificationVerifier::from_config(&config)?;
    /// assert!(verifier.verify(b"Bearer s3cret"));
    /// # Ok::<(), idv_model::notification::NotificationAuthError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`NotificationAuthError::MissingAuthType`] or [`NotificationAuthError::MissingToken`]
    /// when the config lacks one, otherwise as [`new`](Self::new).
    pub fn from_config(config: &NotificationConfig) -> Result<Self, NotificationAuthError> {
        let auth_type = config
            .auth_type
            .as_ref()
            .ok_or(NotificationAuthError::MissingAuthType)?;
        let auth_token = config
            .auth_token
            .as_ref()
            .ok_or(NotificationAuthError::MissingToken)?;
        Self::new(auth_type, auth_token)
    }

    /// The configured auth type.
    pub fn auth_type(&self) -> AuthType {
        self.scheme.auth_type()
    }

    /// Whether `authorization`, the value of the request's `Authorization` header as bytes (it
    /// may be anything, not even UTF-8), is exactly the expected one, the scheme word in any
    /// case. Constant time (see the type's documentation).
    pub fn verify(&self, authorization: &[u8]) -> bool {
        let word = self.scheme.word().as_bytes();
        // Split after `word + " "` when the header is long enough; otherwise the scheme fails
        // and the whole header is hashed, so the digest step runs on every path. The scheme
        // word is public: comparing it may take variable time.
        let (head, credentials) = authorization
            .split_at_checked(word.len() + 1)
            .unwrap_or((&[], authorization));
        let scheme_ok = match head.split_last() {
            Some((&b' ', scheme)) => scheme.eq_ignore_ascii_case(word),
            _ => false,
        };
        let presented: [u8; 32] = Sha256::digest(credentials).into();
        let credentials_ok: Choice = presented.ct_eq(&self.expected);
        bool::from(Choice::from(u8::from(scheme_ok)) & credentials_ok)
    }
}

impl fmt::Debug for NotificationVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NotificationVerifier")
            .field("auth_type", &format_args!("{}", self.auth_type()))
            .finish_non_exhaustive()
    }
}
