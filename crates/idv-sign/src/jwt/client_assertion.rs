//! [`ClientAssertion`]: builds and signs the PS384 client-assertion JWT; [`SignedJwt`] holds it.

use std::fmt;
use std::sync::Arc;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use zeroize::Zeroizing;

use super::claims::ClientAssertionClaims;
use super::constants::{CLIENT_ASSERTION_HEADER, CLIENT_ASSERTION_LIFETIME_SECS};
use crate::algorithm::SignatureAlgorithm;
use crate::clock::Clock;
use crate::nonce::{NonceSource, RandomNonce};
use crate::sign_error::SignError;
use crate::signer::Signer;

/// The client assertion of the bearer-token flow (IDV-API.md §3.10), ready to be signed.
///
/// [`sign`](Self::sign) produces `BASE64URL(header) "." BASE64URL(claims) "." BASE64URL(signature)`
/// (no padding) with the header `{"alg":"PS384","typ":"JWT"}`, the claims `iss` = `sub` =
/// `sdk:<sdkId>`, `aud` = the token URL, `jti` = a fresh random UUID v4, `iat` = now (seconds,
/// from the [`Clock`]) and `exp` = `iat` + 300, signed RSASSA-PSS / SHA-384 through
/// [`Signer::sign_with`]: a built-in signer, or a KMS or HSM.
///
/// ```
/// use idv_sign::{ClientAssertion, PrivateKey, RsaSigner, FixedClock, verify_client_assertion};
/// # let pem = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"),
/// #     "/../../fixtures/signing/TEST-ONLY-key.pkcs8.pem")).unwrap();
///
/// let key = PrivateKey::from_pem(&pem)?;
/// let signer = RsaSigner::new(&key);
/// let clock = FixedClock(1_700_000_000_123); // milliseconds; `SystemClock` in real use
/// let token_url = "https://auth.api.yoti.com/v1/oauth/token";
///
/// let assertion = ClientAssertion::new("your-sdk-id", token_url);
/// # let rt = tokio::runtime::Builder::new_current_thread().build()?;
/// let jwt = rt.block_on(assertion.sign(&signer, &clock))?; // `.await` in async code
///
/// assert!(jwt.expose().starts_with("eyJhbGciOiJQUzM4NCIsInR5cCI6IkpXVCJ9.")); // the header
/// assert_eq!(jwt.claims().issuer(), "sdk:your-sdk-id");
/// assert_eq!(jwt.claims().expires_at() - jwt.claims().issued_at(), 300);
/// assert!(!format!("{jwt:?}").contains(jwt.expose())); // Debug redacts the token
///
/// // What the token endpoint does:
/// let claims = verify_client_assertion(&key.public_key(), jwt.expose(), token_url, &clock)?;
/// assert_eq!(claims.sdk_id(), "your-sdk-id");
/// assert_eq!(claims.jti(), jwt.claims().jti()); // reject a jti seen before
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct ClientAssertion {
    sdk_id: String,
    audience: String,
    jti_source: Arc<dyn NonceSource>,
}

impl ClientAssertion {
    /// An assertion for application `sdk_id` to the token endpoint `token_url` (its `aud`).
    pub fn new(sdk_id: impl Into<String>, token_url: impl Into<String>) -> Self {
        Self {
            sdk_id: sdk_id.into(),
            audience: token_url.into(),
            jti_source: Arc::new(RandomNonce),
        }
    }

    /// Replaces the source of `jti` values (random lower-case UUID v4 by default), e.g. with a
    /// [`FixedNonce`](crate::FixedNonce) for reproducible tests. A token endpoint rejects a
    /// replayed `jti`: never use a fixed one for real.
    #[must_use]
    pub fn with_jti_source(mut self, jti_source: Arc<dyn NonceSource>) -> Self {
        self.jti_source = jti_source;
        self
    }

    /// The SDK id.
    pub fn sdk_id(&self) -> &str {
        &self.sdk_id
    }

    /// The audience: the token URL.
    pub fn audience(&self) -> &str {
        &self.audience
    }

    /// Builds the claims (a fresh `jti`, `iat` from `clock`), and signs the JWT with `signer`
    /// (`PS384`, through [`Signer::sign_with`]). Call it for every token request: each assertion
    /// is valid for 300 seconds and, having a fresh `jti`, usable once.
    ///
    /// # Errors
    /// [`SignError::EmptySdkId`], [`SignError::EmptyAudience`];
    /// [`SignError::UnsupportedAlgorithm`] if `signer` cannot sign `PS384` (a custom signer that
    /// implements only [`Signer::sign`]); [`SignError::Signer`] if the signer fails or returns an
    /// empty signature.
    pub async fn sign(
        &self,
        signer: &dyn Signer,
        clock: &dyn Clock,
    ) -> Result<SignedJwt, SignError> {
        if self.sdk_id.is_empty() {
            return Err(SignError::EmptySdkId);
        }
        if self.audience.is_empty() {
            return Err(SignError::EmptyAudience);
        }
        let iat = clock.now_millis() / 1000;
        let claims = ClientAssertionClaims::new(
            &self.sdk_id,
            self.audience.clone(),
            self.jti_source.nonce(),
            iat,
            iat.saturating_add(CLIENT_ASSERTION_LIFETIME_SECS),
        );
        let payload = claims
            .to_json()
            .map_err(|e| SignError::signer_with_source("encoding the JWT claims failed", e))?;
        let mut token = Zeroizing::new(String::with_capacity(1024));
        URL_SAFE_NO_PAD.encode_string(CLIENT_ASSERTION_HEADER, &mut token);
        token.push('.');
        URL_SAFE_NO_PAD.encode_string(payload, &mut token);
        let signature = signer
            .sign_with(SignatureAlgorithm::RsaPssSha384, token.as_bytes())
            .await?;
        if signature.is_empty() {
            return Err(SignError::signer("the signer returned an empty signature"));
        }
        token.push('.');
        URL_SAFE_NO_PAD.encode_string(signature, &mut token);
        Ok(SignedJwt { token, claims })
    }
}

/// A signed client assertion: the compact JWT (the token request's `client_assertion`) and its
/// claims. A credential until it expires: `Debug` shows the claims, never the token, and the
/// token is zeroised on drop. Read it with [`expose`](Self::expose).
#[derive(Clone)]
pub struct SignedJwt {
    token: Zeroizing<String>,
    claims: ClientAssertionClaims,
}

impl SignedJwt {
    /// The compact JWT, `header.payload.signature`.
    pub fn expose(&self) -> &str {
        &self.token
    }

    /// The claims that were signed.
    pub fn claims(&self) -> &ClientAssertionClaims {
        &self.claims
    }

    /// The text that was signed: `BASE64URL(header) "." BASE64URL(claims)`.
    pub fn signing_input(&self) -> &str {
        self.token
            .rsplit_once('.')
            .map_or(self.token.as_str(), |(input, _)| input)
    }
}

impl fmt::Debug for SignedJwt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignedJwt")
            .field("token", &"<redacted>")
            .field("claims", &self.claims)
            .finish()
    }
}
