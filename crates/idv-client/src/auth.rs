//! How each attempt is authenticated: signed by `idv-sign`, which applies itself to the request
//! (target, headers, digest marked sensitive).

use std::sync::Arc;

use bytes::Bytes;
use http::Request;
use idv_sign::{PrivateKey, RequestSigner, Signer, UnsignedRequest};

use crate::base_url::BaseUrl;
use crate::engine::Call;
use crate::error::{ErrorKind, IdvError};

/// Authenticates requests for one SDK id by signing every attempt.
pub(crate) struct RequestAuth {
    signer: RequestSigner,
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
    pub(crate) fn new(sdk_id: String, signer: Arc<dyn Signer>) -> Self {
        Self {
            signer: RequestSigner::new(sdk_id, signer),
        }
    }

    pub(crate) fn sdk_id(&self) -> &str {
        self.signer.sdk_id()
    }

    /// Signs `call` (a fresh nonce and timestamp) and applies the signature to `request`, whose
    /// body must be `call.body`: sets its method, its URI (the base URL followed by exactly
    /// the signed target) and the signing headers.
    pub(crate) async fn authorize(
        &self,
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
        let signed = self
            .signer
            .sign(&unsigned)
            .await
            .map_err(|e| IdvError::new(ErrorKind::Signing, String::new()).with_source(e))?;
        signed
            .apply_to(base.as_str(), request)
            .map_err(|e| IdvError::invalid_argument_with_source("the request cannot be sent", e))
    }
}
