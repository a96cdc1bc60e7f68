//! The bridge to `idv-sign`: signs one attempt and returns what to send.

use std::sync::Arc;

use http::{HeaderName, HeaderValue, Method};
use idv_sign::{PrivateKey, RequestSigner, Signer, UnsignedRequest};

use crate::error::{ErrorKind, IdvError};

/// `X-Yoti-Auth-Digest` ([`idv_sign::HEADER_AUTH_DIGEST`]); its value is marked sensitive.
const AUTH_DIGEST: HeaderName = HeaderName::from_static("x-yoti-auth-digest");
/// `X-Yoti-SDK` and `X-Yoti-SDK-Version` with their fixed values ([`idv_sign::SDK_NAME`],
/// [`idv_sign::SDK_VERSION`]): built at compile time, not per request.
const FIXED_HEADERS: [(HeaderName, HeaderValue); 2] = [
    (
        HeaderName::from_static("x-yoti-sdk"),
        HeaderValue::from_static(idv_sign::SDK_NAME),
    ),
    (
        HeaderName::from_static("x-yoti-sdk-version"),
        HeaderValue::from_static(idv_sign::SDK_VERSION),
    ),
];

/// Signs requests for one SDK id.
pub(crate) struct RequestSigning {
    signer: RequestSigner,
}

/// One signed attempt: the exact base-relative target and the headers to add.
pub(crate) struct Signed {
    path_and_query: String,
    digest: HeaderValue,
}

impl Signed {
    pub(crate) fn path_and_query(&self) -> &str {
        &self.path_and_query
    }

    /// The headers to add: the digest (marked sensitive), `X-Yoti-SDK`, `X-Yoti-SDK-Version`.
    pub(crate) fn into_headers(self) -> impl Iterator<Item = (HeaderName, HeaderValue)> {
        std::iter::once((AUTH_DIGEST, self.digest)).chain(FIXED_HEADERS)
    }
}

/// The built-in signer for a parsed key: AWS-LC with the `aws-lc` feature, else pure Rust.
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

impl RequestSigning {
    pub(crate) fn new(sdk_id: String, signer: Arc<dyn Signer>) -> Self {
        Self {
            signer: RequestSigner::new(sdk_id, signer),
        }
    }

    pub(crate) fn sdk_id(&self) -> &str {
        self.signer.sdk_id()
    }

    /// Signs `method path?query` (with a fresh nonce and timestamp).
    pub(crate) async fn sign(
        &self,
        method: &Method,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<Signed, IdvError> {
        let mut unsigned = UnsignedRequest::new(method.as_str(), path);
        for (k, v) in query {
            unsigned = unsigned.query(*k, *v);
        }
        let signed = self
            .signer
            .sign(&unsigned)
            .await
            .map_err(|e| IdvError::new(ErrorKind::Signing, String::new()).with_source(e))?;
        let mut digest = HeaderValue::from_str(signed.digest().expose()).map_err(|e| {
            IdvError::new(ErrorKind::Signing, "the digest is not a valid header value")
                .with_source(e)
        })?;
        digest.set_sensitive(true);
        Ok(Signed {
            path_and_query: signed.path_and_query().to_owned(),
            digest,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The prebuilt headers are exactly the ones `idv-sign` asks for.
    #[test]
    fn fixed_headers_match_idv_sign() {
        assert!(
            AUTH_DIGEST
                .as_str()
                .eq_ignore_ascii_case(idv_sign::HEADER_AUTH_DIGEST)
        );
        let [(sdk, sdk_value), (version, version_value)] = FIXED_HEADERS;
        assert!(sdk.as_str().eq_ignore_ascii_case(idv_sign::HEADER_SDK));
        assert_eq!(sdk_value, idv_sign::SDK_NAME);
        assert!(
            version
                .as_str()
                .eq_ignore_ascii_case(idv_sign::HEADER_SDK_VERSION)
        );
        assert_eq!(version_value, idv_sign::SDK_VERSION);
    }
}
