//! A created session's `notifications` config (§5.10 of the reference), checked when the
//! session is created: where to `POST`, the `Authorization` header to send, and the topics
//! subscribed.

use std::net::IpAddr;
use std::sync::Arc;

use http::HeaderValue;
use idv_model::notification::{NotificationAuthError, NotificationTopic, authorization_header};
use idv_model::spec::{AuthType, NotificationConfig, SessionSpec};

use crate::api_error::ApiError;

/// The longest endpoint accepted, in bytes.
const MAX_ENDPOINT_LEN: usize = 2048;

/// Where notifications go: an `https` URL anywhere, or an `http` URL on loopback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Endpoint {
    pub(crate) https: bool,
    /// The host as written, without IPv6 brackets (for DNS and the TLS server name).
    pub(crate) host: String,
    pub(crate) port: u16,
    /// The `Host` header: the URL's authority as written.
    pub(crate) authority: String,
    /// The request target: path and query as written (`/` when the URL has no path).
    pub(crate) path_and_query: String,
    /// `scheme://authority/path` without the query (which may carry a secret), for logs.
    pub(crate) display: String,
}

impl Endpoint {
    /// Reads `notifications.endpoint`; the error is the message for that property.
    pub(crate) fn parse(url: &str) -> Result<Self, &'static str> {
        if url.len() > MAX_ENDPOINT_LEN {
            return Err("must be at most 2048 bytes");
        }
        let uri: http::Uri = url
            .parse()
            .map_err(|_| "must be an absolute http or https URL")?;
        let https = match uri.scheme_str() {
            Some("https") => true,
            Some("http") => false,
            _ => return Err("must be an absolute http or https URL"),
        };
        let authority = uri
            .authority()
            .ok_or("must be an absolute http or https URL")?;
        if authority.as_str().contains('@') {
            return Err("must not carry credentials: set auth_token and auth_type instead");
        }
        let host = authority
            .host()
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_owned();
        if host.is_empty() {
            return Err("must name a host");
        }
        if !https && !is_loopback_host(&host) {
            return Err(
                "plain http is sent to loopback addresses only (127.0.0.1, ::1, localhost); \
                 use https for any other host",
            );
        }
        let path_and_query = uri
            .path_and_query()
            .map_or("/", http::uri::PathAndQuery::as_str);
        let path_and_query = if path_and_query.is_empty() {
            "/"
        } else {
            path_and_query
        };
        let scheme = if https { "https" } else { "http" };
        Ok(Self {
            https,
            port: authority.port_u16().unwrap_or(if https { 443 } else { 80 }),
            authority: authority.as_str().to_owned(),
            display: format!("{scheme}://{authority}{}", uri.path()),
            path_and_query: path_and_query.to_owned(),
            host,
        })
    }
}

/// Whether `host` is a loopback IP address or `localhost` (whose addresses are checked again
/// when it is resolved).
pub(crate) fn is_loopback_host(host: &str) -> bool {
    match host.parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => host.eq_ignore_ascii_case("localhost"),
    }
}

/// A session's subscription: the endpoint, the header, the topics.
pub(crate) struct Subscription {
    pub(crate) endpoint: Endpoint,
    /// `Basic base64(auth_token)` or `Bearer auth_token` (marked sensitive); `None` without a
    /// token.
    pub(crate) authorization: Option<HeaderValue>,
    topics: Vec<NotificationTopic>,
}

impl std::fmt::Debug for Subscription {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Subscription")
            .field("endpoint", &self.endpoint.display)
            .field(
                "authorization",
                &self.authorization.as_ref().map(|_| "[redacted]"),
            )
            .field("topics", &self.topics)
            .finish()
    }
}

impl Subscription {
    /// The subscription of a specification: `None` without `notifications`.
    ///
    /// # Errors
    /// `400 PAYLOAD_VALIDATION` on `notifications.endpoint` for an endpoint the sandbox does
    /// not send to, on `notifications.auth_type` for a type other than `BASIC` or `BEARER`,
    /// on `notifications.auth_token` for a token that cannot be sent in a header.
    pub(crate) fn from_spec(spec: &SessionSpec) -> Result<Option<Arc<Self>>, ApiError> {
        spec.notifications
            .as_ref()
            .map(|config| Self::from_config(config).map(Arc::new))
            .transpose()
    }

    fn from_config(config: &NotificationConfig) -> Result<Self, ApiError> {
        let mut errors = Vec::new();
        let endpoint = match config.endpoint.as_deref().map(Endpoint::parse) {
            Some(Ok(endpoint)) => Some(endpoint),
            Some(Err(message)) => {
                errors.push(("notifications.endpoint".to_owned(), message.to_owned()));
                None
            }
            None => {
                errors.push(("notifications.endpoint".to_owned(), "required".to_owned()));
                None
            }
        };
        let authorization = match authorization(config) {
            Ok(value) => value,
            Err(error) => {
                errors.push(error);
                None
            }
        };
        match endpoint {
            Some(endpoint) if errors.is_empty() => Ok(Self {
                endpoint,
                authorization,
                topics: config
                    .topics
                    .iter()
                    .flatten()
                    .map(NotificationTopic::from_config_topic)
                    .collect(),
            }),
            _ => Err(ApiError::validation(errors)),
        }
    }

    /// Whether the session subscribed to `topic`.
    pub(crate) fn subscribes(&self, topic: &NotificationTopic) -> bool {
        self.topics.contains(topic)
    }
}

/// The header for the config's token and type. A token without a type is sent as `BASIC`.
fn authorization(config: &NotificationConfig) -> Result<Option<HeaderValue>, (String, String)> {
    let Some(token) = &config.auth_token else {
        return Ok(None);
    };
    let auth_type = config.auth_type.clone().unwrap_or(AuthType::Basic);
    let value = authorization_header(&auth_type, token).map_err(|e| match e {
        NotificationAuthError::UnsupportedType(_) => (
            "notifications.auth_type".to_owned(),
            "must be BASIC or BEARER".to_owned(),
        ),
        _ => (
            "notifications.auth_token".to_owned(),
            "must not be empty".to_owned(),
        ),
    })?;
    let mut header = HeaderValue::from_str(value.expose_secret()).map_err(|_| {
        (
            "notifications.auth_token".to_owned(),
            "must be printable ASCII, as it is sent in a header".to_owned(),
        )
    })?;
    header.set_sensitive(true);
    Ok(Some(header))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_are_https_anywhere_or_http_on_loopback() {
        let e = Endpoint::parse("http://127.0.0.1:8080/hooks/yoti?key=secret").expect("ok");
        assert!(!e.https);
        assert_eq!((e.host.as_str(), e.port), ("127.0.0.1", 8080));
        assert_eq!(e.authority, "127.0.0.1:8080");
        assert_eq!(e.path_and_query, "/hooks/yoti?key=secret");
        assert_eq!(e.display, "http://127.0.0.1:8080/hooks/yoti");
        let v6 = Endpoint::parse("http://[::1]:9/").expect("ok");
        assert_eq!(v6.host, "::1");
        assert!(Endpoint::parse("http://LocalHost/x").is_ok());
        let https = Endpoint::parse("https://example.com").expect("ok");
        assert_eq!((https.port, https.path_and_query.as_str()), (443, "/"));

        for bad in [
            "http://10.0.0.1/x",
            "http://example.com/x",
            "ftp://127.0.0.1/x",
            "/relative",
            "https://user:pass@example.com/",
            "not a url",
        ] {
            assert!(Endpoint::parse(bad).is_err(), "{bad}");
        }
        assert!(Endpoint::parse(&format!("https://e.com/{}", "a".repeat(3000))).is_err());
    }

    #[test]
    fn the_header_follows_the_auth_type_and_never_shows() {
        let config = NotificationConfig::builder()
            .endpoint("http://127.0.0.1:1/")
            .auth_token("username:password")
            .topic(idv_model::spec::Topic::SessionCompletion)
            .build();
        let subscription = Subscription::from_config(&config).expect("valid");
        let header = subscription.authorization.as_ref().expect("header");
        assert_eq!(header.as_bytes(), b"Basic dXNlcm5hbWU6cGFzc3dvcmQ=");
        assert!(header.is_sensitive());
        assert!(subscription.subscribes(&NotificationTopic::SessionCompletion));
        assert!(!subscription.subscribes(&NotificationTopic::CheckCompletion));
        assert!(!format!("{subscription:?}").contains("dXNl"));

        let mut bad = config.clone();
        bad.auth_type = Some(AuthType::from("DIGEST".to_owned()));
        bad.endpoint = Some("http://192.0.2.1/".to_owned());
        let error = Subscription::from_config(&bad).expect_err("refused");
        let properties: Vec<&str> = error.errors.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            properties,
            ["notifications.endpoint", "notifications.auth_type"]
        );
    }
}
