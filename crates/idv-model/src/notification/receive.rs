//! Receiving a notification in one call: check the `Authorization` header, then parse the body.

use super::{Notification, NotificationVerifier, parse_notification};
use crate::ParseError;

/// The largest notification body [`NotificationVerifier::receive`] parses: 64 KiB. Yoti's
/// notifications are a few hundred bytes; the bound keeps a hostile sender from making the
/// receiver hold a large parse.
pub const MAX_NOTIFICATION_BODY: usize = 64 * 1024;

/// Why a request is not a verified notification.
///
/// No message contains the token, the presented header or the body: an authorisation failure
/// says nothing about why it failed, and a parse failure gives only the JSON path and the kind of
/// error (see [`ParseError`]).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NotificationError {
    /// The request has no `Authorization` header.
    #[error("the notification has no Authorization header")]
    MissingAuthorization,
    /// The `Authorization` header is not the configured one (or there are several).
    #[error("the notification's Authorization header does not match the configured credentials")]
    WrongAuthorization,
    /// The body is longer than [`MAX_NOTIFICATION_BODY`].
    #[error("the notification body is longer than {limit} bytes")]
    BodyTooLarge {
        /// The limit, [`MAX_NOTIFICATION_BODY`].
        limit: usize,
    },
    /// The body is not a notification: not JSON, or without `session_id` or `topic`, or with a
    /// field of the wrong type.
    #[error("the notification body is not valid: {0}")]
    BadJson(#[source] ParseError),
}

impl NotificationError {
    /// The HTTP status a receiver should answer with: `401` for a missing or wrong
    /// `Authorization` header, `413` for a body too large, `400` for a bad body. (Yoti treats a
    /// non-2xx answer as a failed delivery.)
    ///
    /// ```
    /// use idv_model::notification::NotificationError;
    /// assert_eq!(NotificationError::WrongAuthorization.http_status(), 401);
    /// ```
    pub fn http_status(&self) -> u16 {
        match self {
            NotificationError::MissingAuthorization | NotificationError::WrongAuthorization => 401,
            NotificationError::BodyTooLarge { .. } => 413,
            NotificationError::BadJson(_) => 400,
        }
    }
}

impl NotificationVerifier {
    /// Checks a notification request and parses its body, from any web framework:
    /// `authorization` is the value of its `Authorization` header as bytes (`None` when absent),
    /// `body` its body.
    ///
    /// The header is checked first, in constant time ([`verify`](Self::verify)); the body is
    /// looked at only when it passes, so an unauthenticated sender learns nothing about parsing.
    ///
    /// # Errors
    ///
    /// [`NotificationError::MissingAuthorization`], [`NotificationError::WrongAuthorization`],
    /// then [`NotificationError::BodyTooLarge`] past [`MAX_NOTIFICATION_BODY`] and
    /// [`NotificationError::BadJson`] naming the JSON path.
    ///
    /// ```
    /// use idv_model::Secret;
    /// use idv_model::notification::{NotificationError, NotificationVerifier};
    ///
    /// let verifier = NotificationVerifier::bearer(&Secret::new("s3cret"))?;
    /// let body = br#"{"session_id": "s1", "topic": "session_completion"}"#;
    /// assert!(verifier.receive(Some(b"Bearer s3cret"), body).is_ok());
    /// assert_eq!(verifier.receive(None, body), Err(NotificationError::MissingAuthorization));
    /// assert_eq!(
    ///     verifier.receive(Some(b"Bearer guess"), body),
    ///     Err(NotificationError::WrongAuthorization)
    /// );
    /// # Ok::<(), idv_model::notification::NotificationAuthError>(())
    /// ```
    pub fn receive(
        &self,
        authorization: Option<&[u8]>,
        body: &[u8],
    ) -> Result<Notification, NotificationError> {
        let authorization = authorization.ok_or(NotificationError::MissingAuthorization)?;
        if !self.verify(authorization) {
            return Err(NotificationError::WrongAuthorization);
        }
        if body.len() > MAX_NOTIFICATION_BODY {
            return Err(NotificationError::BodyTooLarge {
                limit: MAX_NOTIFICATION_BODY,
            });
        }
        parse_notification(body).map_err(NotificationError::BadJson)
    }
}
