//! The bridge to `idv-sign`: signs one attempt and returns what to send.

use std::sync::Arc;

use http::{HeaderName, HeaderValue, Method};
use idv_sign::{PrivateKey, RequestSigner, Signer, UnsignedRequest};

use crate::error::{ErrorKind, IdvError};

/// Signs requests for one SDK id.
pub(crate) struct RequestSigning {
    signer: RequestSigner,
    sdk_id: String,
}

/// One signed attempt: the exact base-relative target and the headers to add.
pub(crate) struct Signed {
    path_and_query: String,
    headers: Vec<(HeaderName, HeaderValue)>,
}

impl Signed {
    pub(crate) fn path_and_query(&self) -> &str {
        &self.path_and_query
    }

    pub(crate) fn into_headers(self) -> Vec<(HeaderName, HeaderValue)> {
        self.headers
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
    pub(crate) fn new(sdk_id: String, signer: Arc<dyn Signer>) -> Result<Self, IdvError> {
        Ok(Self {
            signer: RequestSigner::new(sdk_id.clone(), signer),
            sdk_id,
        })
    }

    pub(crate) fn sdk_id(&self) -> &str {
        &self.sdk_id
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
        let mut headers = Vec::with_capacity(3);
        for (name, value) in signed.headers() {
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|e| IdvError::new(ErrorKind::Signing, "bad header name").with_source(e))?;
            let mut value = HeaderValue::from_str(value).map_err(|e| {
                IdvError::new(ErrorKind::Signing, "bad header value").with_source(e)
            })?;
            if name.as_str().eq_ignore_ascii_case("x-yoti-auth-digest") {
                value.set_sensitive(true);
            }
            headers.push((name, value));
        }
        Ok(Signed {
            path_and_query: signed.path_and_query().to_owned(),
            headers,
        })
    }
}
