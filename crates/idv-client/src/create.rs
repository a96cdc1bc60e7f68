//! Creating a session, and the URL of the user's web flow for it.

use std::fmt;

use http::Method;
use idv_model::CreateSessionResult;
use idv_model::spec::SessionSpec;

use crate::client::IdvClient;
use crate::error::{ErrorKind, IdvError};
use crate::ids::{IntoId, SessionId};

/// The URL of the user-facing web flow of a session,
/// `{base}/web/index.html?sessionID=…&sessionToken=…`, to open as a link or in an iframe
/// (with `allow="camera"`).
///
/// It carries the `client_session_token`, a secret: `Debug` and `Display` redact it; read the
/// whole URL with [`expose_secret`](Self::expose_secret) when handing it to the user.
#[derive(Clone, PartialEq, Eq)]
pub struct WebFlowUrl {
    url: String,
    token_at: usize,
}

impl WebFlowUrl {
    /// The whole URL, token included.
    pub fn expose_secret(&self) -> &str {
        &self.url
    }
}

impl fmt::Display for WebFlowUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}[redacted]", &self.url[..self.token_at])
    }
}

impl fmt::Debug for WebFlowUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("WebFlowUrl")
            .field(&format_args!("{self}"))
            .finish()
    }
}

impl IdvClient {
    /// Creates a session: `POST /sessions` with `spec` (validated first: an invalid
    /// specification is an [`ErrorKind::InvalidArgument`] error naming the JSON path, and
    /// nothing is sent).
    ///
    /// Never retried blindly, since a retried `POST` can create two sessions: only when the
    /// request provably never reached the server (the connection could not be made). The API's
    /// own validation errors come back as [`ErrorKind::Api`] with
    /// [`field_errors`](IdvError::field_errors).
    pub async fn create_session(
        &self,
        spec: &SessionSpec,
    ) -> Result<CreateSessionResult, IdvError> {
        spec.validate().map_err(|e| {
            IdvError::invalid_argument_with_source("the session specification is invalid", e)
        })?;
        self.request(Method::POST, "/sessions")
            .json(spec)?
            .send_json()
            .await
    }

    /// The URL of the user-facing web flow for a session just created, on this client's base
    /// URL: `{base}/web/index.html?sessionID=…&sessionToken=…`.
    ///
    /// Errors ([`ErrorKind::UnexpectedResponse`]) when the create result lacks the session id or
    /// the client session token.
    pub fn web_flow_url(&self, created: &CreateSessionResult) -> Result<WebFlowUrl, IdvError> {
        let missing = |what: &str| {
            IdvError::new(
                ErrorKind::UnexpectedResponse,
                format!("the create-session result has no {what}"),
            )
        };
        let id = created
            .session_id
            .as_deref()
            .ok_or_else(|| missing("session_id"))?;
        let token = created
            .client_session_token
            .as_ref()
            .ok_or_else(|| missing("client_session_token"))?;
        self.web_flow_url_for(id, token.expose_secret())
    }

    /// The web-flow URL for a session id and its client session token.
    pub fn web_flow_url_for(
        &self,
        session_id: impl IntoId<SessionId>,
        client_session_token: &str,
    ) -> Result<WebFlowUrl, IdvError> {
        let session = session_id.into_id()?;
        if client_session_token.is_empty() {
            return Err(IdvError::invalid_argument(
                "the client session token must not be empty",
            ));
        }
        let mut url = format!(
            "{}/web/index.html?sessionID={session}&sessionToken=",
            self.base_url()
        );
        let token_at = url.len();
        idv_sign::percent_encode_into(&mut url, client_session_token);
        Ok(WebFlowUrl { url, token_at })
    }
}
