//! The OAuth token endpoint (§3.10 of the reference) and the bearer tokens it issues.
//!
//! `POST {base}/oauth/token` (also `POST /v1/oauth/token` from the server's root, the path of
//! Yoti's `https://auth.api.yoti.com/v1/oauth/token`), `application/x-www-form-urlencoded`:
//! `grant_type=client_credentials`,
//! `client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer`,
//! `client_assertion=<JWT>`, `scope=<scopes>` (optional, echoed). In order:
//!
//! 1. `POST` only (405 `invalid_request`), the form content type (400 `invalid_request`);
//! 2. the body, at most [`MAX_TOKEN_REQUEST_BODY`] bytes, each parameter once (400
//!    `invalid_request`);
//! 3. `grant_type` present (400 `invalid_request`) and `client_credentials` (400
//!    `unsupported_grant_type`); `client_assertion_type` the JWT-bearer one and
//!    `client_assertion` present (400 `invalid_request`);
//! 4. the app: the assertion's `iss` is `sdk:<sdkId>` of a registered app (401
//!    `invalid_client`). It is read before the signature is checked, only to choose the key;
//! 5. `idv_sign::verify_client_assertion` with that app's key, on the sandbox's clock: the
//!    PS384 signature, `iss` = `sub`, `aud`, `exp` within 300 s of `iat`, not expired (401
//!    `invalid_client`, the description naming the check). **The expected audience is the URL
//!    the request came to**: `http://` (or `https://` with TLS), then the `Host` header, then
//!    the request target as received, e.g. `http://127.0.0.1:40123/idverify/v1/oauth/token`
//!    or `http://127.0.0.1:40123/v1/oauth/token`;
//! 6. the `jti` not used before by the app (401 `invalid_client`);
//! 7. a queued fault of [`Route::Token`] (or [`Route::Any`]), as for other routes;
//! 8. the `jti` is remembered until the assertion expires, and a token issued: 32 random
//!    bytes, base64url, valid for the builder's
//!    [`bearer_token_lifetime`](crate::SandboxBuilder::bearer_token_lifetime):
//!    `200 {"access_token", "token_type": "Bearer", "expires_in", "scope"}` with
//!    `Cache-Control: no-store`.
//!
//! Errors are OAuth's `{"error", "error_description"}`; descriptions never quote the
//! assertion. Every API route then accepts `Authorization: Bearer <token>` in place of the
//! signature, as the app the token was issued to; unknown, revoked or expired tokens get 401
//! `INVALID_TOKEN` before the body is read.

mod form;
mod jtis;
mod tokens;

use std::sync::Mutex;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Method, Response, StatusCode, header};
use http_body::Body as _;
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use idv_sign::{CLIENT_ASSERTION_TYPE_JWT_BEARER, GRANT_TYPE_CLIENT_CREDENTIALS, MAX_JWT_LEN};
use serde_json::json;
use tokio::sync::watch;

use self::form::Form;
use self::jtis::{JtiMemory, JtiRefusal};
use self::tokens::{IssueError, TokenStore};
use crate::body::SandboxBody;
use crate::fault::{Fault, Route};
use crate::limits::{MAX_BEARER_TOKENS, MAX_REMEMBERED_JTIS, MAX_TOKEN_REQUEST_BODY};
use crate::log::RequestLogEntry;
use crate::server::{CloseConnection, Reply, Shared, delay, fault_reply, finish, lock, take_fault};

/// The token endpoint's path under the base path.
pub(crate) const TOKEN_PATH: &str = "/oauth/token";
/// The token endpoint's path from the server's root, as in Yoti's token URL.
pub(crate) const ROOT_TOKEN_PATH: &str = "/v1/oauth/token";

/// The token endpoint's state: the tokens issued and the assertion ids seen.
#[derive(Debug)]
pub(crate) struct OAuth {
    https: bool,
    lifetime_secs: u64,
    tokens: Mutex<TokenStore>,
    jtis: Mutex<JtiMemory>,
}

/// An OAuth error reply (RFC 6749 §5.2).
fn oauth_error(status: StatusCode, error: &str, description: &str) -> Reply {
    Reply::json(
        status,
        &json!({"error": error, "error_description": description}),
    )
}

fn invalid_request(description: &str) -> Reply {
    oauth_error(StatusCode::BAD_REQUEST, "invalid_request", description)
}

fn invalid_client(description: &str) -> Reply {
    oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", description)
}

fn unavailable(description: &str, retry_after_secs: u64) -> Reply {
    let mut reply = oauth_error(
        StatusCode::SERVICE_UNAVAILABLE,
        "temporarily_unavailable",
        description,
    );
    reply.retry_after = Some(retry_after_secs.max(1));
    reply
}

/// Whether `path` (the raw path, base path included) is the token endpoint's.
pub(crate) fn is_token_path(base_path: &str, path: &str) -> bool {
    path == ROOT_TOKEN_PATH || path.strip_prefix(base_path) == Some(TOKEN_PATH)
}

/// The token of an `Authorization: Bearer <token>` header (the scheme in any case).
pub(crate) fn bearer_token(headers: &HeaderMap) -> Option<&[u8]> {
    let value = headers.get(header::AUTHORIZATION)?.as_bytes();
    let space = value.iter().position(|&b| b == b' ')?;
    let (scheme, token) = value.split_at(space);
    scheme
        .eq_ignore_ascii_case(b"bearer")
        .then(|| token.trim_ascii())
}

/// The SDK id of an assertion's `iss` (`sdk:<sdkId>`), read without verifying anything: only
/// to choose the key that then verifies it all.
fn claimed_app(jwt: &str) -> Option<String> {
    if jwt.len() > MAX_JWT_LEN {
        return None;
    }
    let payload = URL_SAFE_NO_PAD.decode(jwt.split('.').nth(1)?).ok()?;
    let claims: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(&payload).ok()?;
    claims
        .get("iss")?
        .as_str()?
        .strip_prefix("sdk:")
        .map(str::to_owned)
}

impl OAuth {
    /// The endpoint's state; `https` when the sandbox serves TLS (the audience's scheme).
    pub(crate) fn new(https: bool, lifetime: Duration) -> Self {
        Self {
            https,
            lifetime_secs: lifetime.as_secs().max(1),
            tokens: Mutex::new(TokenStore::new(MAX_BEARER_TOKENS)),
            jtis: Mutex::new(JtiMemory::new(MAX_REMEMBERED_JTIS)),
        }
    }

    /// The app a presented bearer token authenticates, at `now_ms`.
    ///
    /// # Errors
    /// 401 `INVALID_TOKEN` for a token that is not one issued here, or revoked, or expired.
    pub(crate) fn authorise(&self, token: &[u8], now_ms: u64) -> Result<String, Reply> {
        lock(&self.tokens)
            .app_of(token, now_ms)
            .map(str::to_owned)
            .ok_or_else(|| {
                Reply::error(
                    StatusCode::UNAUTHORIZED,
                    "INVALID_TOKEN",
                    "the bearer token is unknown, revoked or expired: get a new one from the \
                     token endpoint",
                )
            })
    }

    /// Revokes every token; returns how many were valid at `now_ms`.
    pub(crate) fn revoke_all(&self, now_ms: u64) -> usize {
        lock(&self.tokens).revoke_all(now_ms)
    }

    /// The checks of a token request up to the replay check (steps 3 to 6 of the module
    /// documentation); the app and the verified claims.
    fn verify(
        &self,
        shared: &Shared,
        form: &Form,
        audience: &str,
        entry: &mut RequestLogEntry,
    ) -> Result<(String, idv_sign::ClientAssertionClaims), Reply> {
        match form.get("grant_type") {
            None => return Err(invalid_request("grant_type is missing")),
            Some(GRANT_TYPE_CLIENT_CREDENTIALS) => {}
            Some(_) => {
                return Err(oauth_error(
                    StatusCode::BAD_REQUEST,
                    "unsupported_grant_type",
                    "grant_type must be client_credentials",
                ));
            }
        }
        if form.get("client_assertion_type") != Some(CLIENT_ASSERTION_TYPE_JWT_BEARER) {
            return Err(invalid_request(
                "client_assertion_type must be urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ));
        }
        let Some(jwt) = form.get("client_assertion").filter(|a| !a.is_empty()) else {
            return Err(invalid_request("client_assertion is missing"));
        };
        let Some((sdk_id, key)) =
            claimed_app(jwt).and_then(|id| shared.apps.get_key_value(id.as_str()))
        else {
            return Err(invalid_client(
                "the client assertion's issuer (iss) is not sdk:<sdkId> of a registered application",
            ));
        };
        entry.set_sdk_id(sdk_id);
        let claims = idv_sign::verify_client_assertion(key, jwt, audience, shared.clock.as_ref())
            .map_err(|e| invalid_client(&e.to_string()))?;
        let now_secs = shared.clock.now_millis() / 1_000;
        lock(&self.jtis)
            .check(sdk_id, claims.jti(), now_secs)
            .map_err(|_| invalid_client("the client assertion's jti was used before"))?;
        Ok((sdk_id.clone(), claims))
    }

    /// Remembers the assertion's `jti` and issues a token (step 8).
    fn issue(
        &self,
        shared: &Shared,
        sdk_id: &str,
        claims: &idv_sign::ClientAssertionClaims,
        scope: &str,
    ) -> Reply {
        let now_ms = shared.clock.now_millis();
        let now_secs = now_ms / 1_000;
        match lock(&self.jtis).admit(sdk_id, claims.jti(), claims.expires_at(), now_secs) {
            Ok(()) => {}
            Err(JtiRefusal::Replayed) => {
                return invalid_client("the client assertion's jti was used before");
            }
            Err(JtiRefusal::Full { next_expiry_secs }) => {
                return unavailable(
                    "too many client assertions to remember; retry when the oldest expires",
                    next_expiry_secs.saturating_sub(now_secs),
                );
            }
        }
        let expires_ms = now_ms.saturating_add(self.lifetime_secs.saturating_mul(1_000));
        match lock(&self.tokens).issue(sdk_id, now_ms, expires_ms) {
            Ok(token) => Reply::json(
                StatusCode::OK,
                &json!({
                    "access_token": token,
                    "token_type": "Bearer",
                    "expires_in": self.lifetime_secs,
                    "scope": scope,
                }),
            ),
            Err(IssueError::Full { next_expiry_ms }) => unavailable(
                "too many valid tokens; retry when the oldest expires",
                next_expiry_ms.saturating_sub(now_ms).div_ceil(1_000),
            ),
            Err(IssueError::Random) => oauth_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "server_error",
                "the random generator failed",
            ),
        }
    }
}

/// Whether the content type is `application/x-www-form-urlencoded` (parameters allowed).
fn is_form(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| {
            v.trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        })
}

/// Reads the body, at most [`MAX_TOKEN_REQUEST_BODY`] bytes.
async fn read_form_body(body: Incoming) -> Result<Bytes, Reply> {
    let too_large = || {
        invalid_request(&format!(
            "the body is larger than {MAX_TOKEN_REQUEST_BODY} bytes, or was not received completely"
        ))
    };
    if body.size_hint().lower() > MAX_TOKEN_REQUEST_BODY as u64 {
        return Err(too_large());
    }
    Limited::new(body, MAX_TOKEN_REQUEST_BODY)
        .collect()
        .await
        .map(http_body_util::Collected::to_bytes)
        .map_err(|_| too_large())
}

/// Serves a request to the token endpoint (`target` is the raw request target).
pub(crate) async fn serve_token(
    shared: &Shared,
    mut entry: RequestLogEntry,
    method: &Method,
    target: &str,
    headers: &HeaderMap,
    body: Incoming,
    mut shutdown: watch::Receiver<bool>,
) -> Result<Response<SandboxBody>, CloseConnection> {
    entry.route = Some(Route::Token);
    let unread_body = !body.is_end_stream();
    let respond = |entry, mut reply: Reply, fault, shutdown, body_read: bool| {
        reply.close = unread_body && !body_read;
        let allow = reply.status == StatusCode::METHOD_NOT_ALLOWED;
        let mut response = finish(shared, entry, reply, fault, shutdown);
        let headers = response.headers_mut();
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
        if allow {
            headers.insert(header::ALLOW, HeaderValue::from_static("POST"));
        }
        Ok(response)
    };
    if method != Method::POST {
        let mut reply = invalid_request("the token endpoint takes POST");
        reply.status = StatusCode::METHOD_NOT_ALLOWED;
        return respond(entry, reply, None, shutdown, false);
    }
    if !is_form(headers) {
        let reply = invalid_request("the body must be application/x-www-form-urlencoded");
        return respond(entry, reply, None, shutdown, false);
    }
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        let reply = invalid_request("the request has no Host header");
        return respond(entry, reply, None, shutdown, false);
    };
    let scheme = if shared.oauth.https { "https" } else { "http" };
    let audience = format!("{scheme}://{host}{target}");
    let body = match read_form_body(body).await {
        Ok(body) => body,
        Err(reply) => return respond(entry, reply, None, shutdown, false),
    };
    let form = match Form::parse(&body) {
        Ok(form) => form,
        Err(why) => return respond(entry, invalid_request(&why), None, shutdown, true),
    };
    let (sdk_id, claims) = match shared.oauth.verify(shared, &form, &audience, &mut entry) {
        Ok(verified) => verified,
        Err(reply) => return respond(entry, reply, None, shutdown, true),
    };
    let (entry, fault) = take_fault(shared, entry);
    match fault {
        Some(Fault::CloseConnection) => {
            lock(&shared.log).push(entry);
            return Err(CloseConnection);
        }
        Some(ref status @ Fault::Status { .. }) => {
            return respond(entry, fault_reply(status), None, shutdown, true);
        }
        ref other => delay(other.as_ref(), &mut shutdown).await,
    }
    let scope = form.get("scope").unwrap_or_default();
    let reply = shared.oauth.issue(shared, &sdk_id, &claims, scope);
    respond(entry, reply, fault, shutdown, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_paths_and_bearer_headers() {
        assert!(is_token_path("/idverify/v1", "/idverify/v1/oauth/token"));
        assert!(is_token_path("/idverify/v1", "/v1/oauth/token"));
        assert!(is_token_path("", "/oauth/token"));
        assert!(!is_token_path("/idverify/v1", "/oauth/token"));
        assert!(!is_token_path("/idverify/v1", "/idverify/v1/oauth/token/x"));

        let mut headers = HeaderMap::new();
        assert_eq!(bearer_token(&headers), None);
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("bearer  abc "),
        );
        assert_eq!(bearer_token(&headers), Some(&b"abc"[..]));
        headers.insert(header::AUTHORIZATION, HeaderValue::from_static("Basic abc"));
        assert_eq!(bearer_token(&headers), None);
        headers.insert(header::AUTHORIZATION, HeaderValue::from_static("Bearer"));
        assert_eq!(bearer_token(&headers), None);
    }

    #[test]
    fn the_claimed_app_is_read_from_iss() {
        let payload = URL_SAFE_NO_PAD.encode(br#"{"iss":"sdk:app-1","sub":"sdk:app-1"}"#);
        assert_eq!(
            claimed_app(&format!("h.{payload}.s")).as_deref(),
            Some("app-1")
        );
        let other = URL_SAFE_NO_PAD.encode(br#"{"iss":"app-1"}"#);
        assert_eq!(claimed_app(&format!("h.{other}.s")), None);
        assert_eq!(claimed_app("not-a-jwt"), None);
        assert_eq!(claimed_app("a.!!!.c"), None);
    }
}
