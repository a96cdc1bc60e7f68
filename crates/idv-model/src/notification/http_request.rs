//! Receiving a notification from `http` types (feature `http`): an [`http::Request`] or an
//! [`http::HeaderMap`] and a body, as web frameworks built on the `http` crate hand them over.

use http::HeaderMap;
use http::header::AUTHORIZATION;

use super::{Notification, NotificationError, NotificationVerifier};

impl NotificationVerifier {
    /// [`receive`](Self::receive) with the `Authorization` header taken from `headers`. Several
    /// `Authorization` headers are [`NotificationError::WrongAuthorization`]: Yoti sends one.
    ///
    /// Available on crate feature `http` only.
    ///
    /// ```
    /// use idv_model::Secret;
    /// use idv_model::notification::{NotificationTopic, NotificationVerifier};
    ///
    /// let verifier = NotificationVerifier::bearer(&Secret::new("s3cret"))?;
    /// let mut headers = http::HeaderMap::new();
    /// headers.insert(http::header::AUTHORIZATION, http::HeaderValue::from_static("Bearer s3cret"));
    /// let body = br#"{"session_id": "s1", "topic": "task_completion", "task_id": "t1"}"#;
    /// let notification = verifier.receive_headers(&headers, body).unwrap();
    /// assert_eq!(notification.topic, NotificationTopic::TaskCompletion);
    /// assert_eq!(notification.task_id.as_deref(), Some("t1"));
    /// # Ok::<(), idv_model::notification::NotificationAuthError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`receive`](Self::receive).
    pub fn receive_headers(
        &self,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<Notification, NotificationError> {
        let mut values = headers.get_all(AUTHORIZATION).iter();
        match (values.next(), values.next()) {
            (first, None) => self.receive(first.map(|value| value.as_bytes()), body),
            _ => Err(NotificationError::WrongAuthorization),
        }
    }

    /// [`receive`](Self::receive) for a whole [`http::Request`] whose body is bytes
    /// (`Vec<u8>`, `bytes::Bytes`, `String`, …).
    ///
    /// Available on crate feature `http` only.
    ///
    /// ```
    /// use idv_model::Secret;
    /// use idv_model::notification::{NotificationError, NotificationVerifier};
    ///
    /// let verifier = NotificationVerifier::basic(&Secret::new("username:password"))?;
    /// let request = http::Request::post("/notifications")
    ///     .header("authorization", "Basic dXNlcm5hbWU6cGFzc3dvcmQ=")
    ///     .body(r#"{"session_id": "s1", "topic": "session_completion"}"#)
    ///     .unwrap();
    /// assert_eq!(verifier.receive_request(&request)?.session_id, "s1");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`receive`](Self::receive).
    pub fn receive_request<B: AsRef<[u8]>>(
        &self,
        request: &http::Request<B>,
    ) -> Result<Notification, NotificationError> {
        self.receive_headers(request.headers(), request.body().as_ref())
    }
}
