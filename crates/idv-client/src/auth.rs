//! How each attempt is authenticated: signed by `idv-sign`, which applies itself to the request
//! (target, headers, digest marked sensitive).

use std::sync::Arc;

use bytes::Bytes;
use http::Request;
use idv_sign::{PrivateKey, RequestSigner, Signer, UnsignedRequest};

use crate::base_url::BaseUrl;
use crate::bearer::{AccessToken, Authentication, TokenSource};
use crate::client::ClientInner;
use crate::engine::Call;
use crate::error::{ErrorKind, IdvError};

/// Authenticates requests for one SDK id: by signing every attempt, or with a bearer token.
pub(crate) enum RequestAuth {
    Signed(RequestSigner),
    Bearer {
        sdk_id: String,
        tokens: Box<TokenSource>,
    },
}

/// The built-in signer for a parsed key: AWS-LC with the `aws-lc` feature (on with `hyper`, the
/// default), else the pure-Rust backend.
pub(crate) fn default_signer(key: PrivateKey) -> Result<Arc<dyn Signer>, IdvError> {
    #[cfg(feature = "aws-lc")]
    {
        let signer = idv_sign::AwsLcSigner::new(&key).map_err(|e| {
            IdvError::configuration("the private key is not usable by AWS-LC").with_source(e)
        })?;
        drop(key);
        Ok(Arc::new(signer))
    }
    #[cfg(not(feature = "aws-lc"))]
    {
        Ok(Arc::new(idv_sign::RsaSigner::new(&key)))
    }
}

impl RequestAuth {
    pub(crate) fn new(
        sdk_id: String,
        signer: Arc<dyn Signer>,
        authentication: &Authentication,
    ) -> Result<Self, IdvError> {
        Ok(match authentication {
            Authentication::Signed => Self::Signed(RequestSigner::new(sdk_id, signer)),
            Authentication::Bearer(config) => Self::Bearer {
                tokens: Box::new(TokenSource::new(sdk_id.clone(), config, signer)?),
                sdk_id,
            },
        })
    }

    pub(crate) fn sdk_id(&self) -> &str {
        match self {
            Self::Signed(signer) => signer.sdk_id(),
            Self::Bearer { sdk_id, .. } => sdk_id,
        }
    }

    /// Forgets a token the API refused, so the next attempt fetches a new one.
    pub(crate) async fn invalidate(&self, used: &AccessToken) {
        if let Self::Bearer { tokens, .. } = self {
            tokens.invalidate(used).await;
        }
    }

    /// Authenticates `request` (whose body must be `call.body`) and sets its method and URI:
    /// signed, or with the current bearer token (returned, so a `401` can invalidate it).
    pub(crate) async fn authorize(
        &self,
        inner: &ClientInner,
        call: &Call<'_>,
        request: &mut Request<Bytes>,
    ) -> Result<Option<AccessToken>, IdvError> {
        match self {
            Self::Signed(signer) => {
                sign(signer, &inner.base, call, request).await?;
                Ok(None)
            }
            Self::Bearer { tokens, .. } => {
                let token = tokens.token(&inner.fetch_settings()).await?;
                let mut target = String::with_capacity(call.path.len() + 64);
                target.push_str(&call.path);
                for (i, (k, v)) in call.query.iter().enumerate() {
                    target.push(if i == 0 { '?' } else { '&' });
                    idv_sign::percent_encode_into(&mut target, k);
                    target.push('=');
                    idv_sign::percent_encode_into(&mut target, v);
                }
                let uri = format!("{}{target}", inner.base.as_str())
                    .parse::<http::Uri>()
                    .map_err(|e| {
                        IdvError::invalid_argument_with_source("the request cannot be sent", e)
                    })?;
                *request.method_mut() = call.method.clone();
                *request.uri_mut() = uri;
                let headers = request.headers_mut();
                headers.insert(http::header::AUTHORIZATION, token.header());
                headers.insert(
                    idv_sign::header_names::SDK,
                    http::HeaderValue::from_static(idv_sign::SDK_NAME),
                );
                headers.insert(
                    idv_sign::header_names::SDK_VERSION,
                    http::HeaderValue::from_static(idv_sign::SDK_VERSION),
                );
                Ok(Some(token))
            }
        }
    }
}

/// Signs `call` (a fresh nonce and timestamp) and applies the signature to `request`: its
/// method, its URI (the base URL followed by exactly the signed target) and the signing
/// headers.
async fn sign(
    signer: &RequestSigner,
    base: &BaseUrl,
    call: &Call<'_>,
    request: &mut Request<Bytes>,
) -> Result<(), IdvError> {
    let mut unsigned = UnsignedRequest::new(call.method.as_str(), &*call.path);
    for (k, v) in &call.query {
        unsigned = unsigned.query(&**k, &**v);
    }
    if !call.body.is_empty() {
        unsigned = unsigned.body(&call.body);
    }
    let signed = signer
        .sign(&unsigned)
        .await
        .map_err(|e| IdvError::new(ErrorKind::Signing, String::new()).with_source(e))?;
    signed
        .apply_to(base.as_str(), request)
        .map_err(|e| IdvError::invalid_argument_with_source("the request cannot be sent", e))
}
