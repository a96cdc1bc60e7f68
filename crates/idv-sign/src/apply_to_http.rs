//! Applying a [`SignedRequest`] to an [`http::Request`] (feature `http`): the method, the URI
//! (base URL + exactly the signed target) and the three headers, in one call.

use http::{HeaderValue, Method, Uri};

use crate::header_names;
use crate::headers::{SDK_NAME, SDK_VERSION};
use crate::signed_request::SignedRequest;

/// Why a [`SignedRequest`] could not be applied to an [`http::Request`].
///
/// Available on crate feature `http` only.
///
/// Messages never contain the base URL (it could carry credentials), the target or the digest.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ApplyError {
    /// The base URL is not of the form `http(s)://host[:port][/path]` without a trailing `/`,
    /// query, fragment or user info.
    #[error("invalid base URL: {reason}")]
    InvalidBaseUrl {
        /// What is wrong.
        reason: &'static str,
    },
    /// The base URL joined with the signed target does not parse as a URI.
    #[error("the base URL joined with the signed target is not a valid URI")]
    InvalidUri {
        /// The parse error.
        #[source]
        source: http::uri::InvalidUri,
    },
    /// A signed part (the method or the digest) is not valid in an HTTP request. Not expected
    /// for a [`SignedRequest`] made by [`RequestSigner::sign`](crate::RequestSigner::sign),
    /// which validates the method and encodes the digest as base64.
    #[error("the signed {part} is not valid in an HTTP request")]
    InvalidSignedPart {
        /// `method` or `digest`.
        part: &'static str,
    },
}

impl SignedRequest {
    /// Sets `request`'s method to the signed method, its URI to `base_url` followed by exactly
    /// [`path_and_query`](Self::path_and_query), and inserts (replacing any present) the three
    /// signing headers: [`X-Yoti-Auth-Digest`](crate::header_names::AUTH_DIGEST) with its value
    /// marked sensitive (so HTTP/2 never indexes it and `Debug` of the headers hides it),
    /// `X-Yoti-SDK` and `X-Yoti-SDK-Version`. Other headers and the body are left as they are:
    /// the body must be the bytes that were signed.
    ///
    /// Available on crate feature `http` only.
    ///
    /// `base_url` is the normalised API base with no trailing `/`, e.g.
    /// `https://api.yoti.com/idverify/v1` or `http://127.0.0.1:8080/idverify/v1`. It is joined
    /// as text, never re-encoded, so the target sent is the target signed. On error `request`
    /// is unchanged.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use idv_sign::{header_names, PrivateKey, RequestSigner, RsaSigner, UnsignedRequest};
    /// # let pem = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"),
    /// #     "/../../fixtures/signing/TEST-ONLY-key.pkcs8.pem")).unwrap();
    ///
    /// let key = PrivateKey::from_pem(&pem)?;
    /// let signer = RequestSigner::new("your-sdk-id", Arc::new(RsaSigner::new(&key)));
    /// let body = br#"{"client_session_token_ttl":600}"#;
    /// # let rt = tokio::runtime::Builder::new_current_thread().build()?;
    /// let signed = rt.block_on(signer.sign(&UnsignedRequest::post("/sessions", body)))?;
    /// let target = signed.path_and_query().to_owned();
    ///
    /// let mut request = http::Request::new(body.to_vec());
    /// signed.apply_to("https://api.yoti.com/idverify/v1", &mut request)?;
    ///
    /// assert_eq!(request.method(), http::Method::POST);
    /// assert_eq!(request.uri().to_string(), format!("https://api.yoti.com/idverify/v1{target}"));
    /// assert!(request.headers()[header_names::AUTH_DIGEST].is_sensitive());
    /// assert_eq!(request.headers()[header_names::SDK], idv_sign::SDK_NAME);
    ///
    /// // A base URL that cannot be joined is an error, and leaves the request alone.
    /// let signed = rt.block_on(signer.sign(&UnsignedRequest::get("/sessions/abc")))?;
    /// let mut other = http::Request::new(());
    /// assert!(signed.apply_to("https://api.yoti.com/idverify/v1/", &mut other).is_err());
    /// assert_eq!(other.uri(), "/");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`ApplyError::InvalidBaseUrl`] if `base_url` is not `http(s)://host[:port][/path]` (or
    /// has a trailing `/`, a query, a fragment or user info); [`ApplyError::InvalidUri`] if the
    /// joined text is not a URI.
    pub fn apply_to<B>(
        self,
        base_url: &str,
        request: &mut http::Request<B>,
    ) -> Result<(), ApplyError> {
        let (method, path_and_query, digest) = self.into_parts();
        let uri = join(base_url, &path_and_query)?;
        let method = Method::from_bytes(method.as_bytes())
            .map_err(|_| ApplyError::InvalidSignedPart { part: "method" })?;
        let mut digest = HeaderValue::try_from(digest.into_string())
            .map_err(|_| ApplyError::InvalidSignedPart { part: "digest" })?;
        digest.set_sensitive(true);

        *request.method_mut() = method;
        *request.uri_mut() = uri;
        let headers = request.headers_mut();
        headers.insert(header_names::AUTH_DIGEST, digest);
        headers.insert(header_names::SDK, HeaderValue::from_static(SDK_NAME));
        headers.insert(
            header_names::SDK_VERSION,
            HeaderValue::from_static(SDK_VERSION),
        );
        Ok(())
    }
}

/// `base_url` + `path_and_query` as a URI, checked to carry exactly that path and query.
fn join(base_url: &str, path_and_query: &str) -> Result<Uri, ApplyError> {
    let invalid = |reason| Err(ApplyError::InvalidBaseUrl { reason });
    if !base_url.bytes().all(|b| b.is_ascii_graphic()) {
        return invalid("it must be printable ASCII without spaces (percent-encode the rest)");
    }
    let Some((scheme, after_scheme)) = base_url.split_once("://") else {
        return invalid("it must start with `https://` or `http://`");
    };
    if !(scheme.eq_ignore_ascii_case("https") || scheme.eq_ignore_ascii_case("http")) {
        return invalid("it must start with `https://` or `http://`");
    }
    if base_url.contains(['?', '#']) {
        return invalid("it must not have a query or a fragment");
    }
    let authority = after_scheme.split('/').next().unwrap_or_default();
    if authority.is_empty() {
        return invalid("it has no host");
    }
    if authority.contains('@') {
        return invalid("it must not contain user info (`user@`)");
    }
    // The URI parser does not check the port; a bad one would only fail when connecting.
    let host_end = authority.rfind(']').map_or(0, |i| i + 1);
    if let Some(colon) = authority[host_end..].rfind(':') {
        let port = &authority[host_end + colon + 1..];
        if port.parse::<u16>().is_err() {
            return invalid("its port is not a number from 0 to 65535");
        }
        if host_end + colon == 0 {
            return invalid("it has no host");
        }
    }
    if base_url.ends_with('/') {
        return invalid("it must not end with `/` (e.g. `https://api.yoti.com/idverify/v1`)");
    }
    let base_path = &after_scheme[authority.len()..];

    let mut joined = String::with_capacity(base_url.len() + path_and_query.len());
    joined.push_str(base_url);
    joined.push_str(path_and_query);
    let uri = Uri::try_from(joined).map_err(|source| ApplyError::InvalidUri { source })?;
    // The parser accepted it; make sure it read the parts where they were written (so the
    // path and query sent are, byte for byte, the base path and the signed target).
    let exact = uri.authority().is_some_and(|a| a.as_str() == authority)
        && uri.path_and_query().is_some_and(|pq| {
            pq.as_str()
                .strip_prefix(base_path)
                .is_some_and(|rest| rest == path_and_query)
        });
    if !exact {
        return invalid("it does not join with the signed target into the same path");
    }
    Ok(uri)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PQ: &str = "/sessions/abc?sdkId=x&nonce=n&timestamp=1";

    #[test]
    fn joins_base_and_target_exactly() {
        for base in [
            "https://api.yoti.com/idverify/v1",
            "https://api.yoti.com/sandbox/idverify/v1",
            "http://127.0.0.1:1234/idverify/v1",
            "http://127.0.0.1:1234",
            "http://[::1]:8080/idverify/v1",
        ] {
            let uri = join(base, PQ).unwrap();
            assert_eq!(uri.to_string(), format!("{base}{PQ}"));
        }
        let uri = join("http://127.0.0.1:1234/idverify/v1", PQ).unwrap();
        assert_eq!(uri.path(), "/idverify/v1/sessions/abc");
        assert_eq!(uri.query(), Some("sdkId=x&nonce=n&timestamp=1"));
        assert_eq!(uri.authority().unwrap(), "127.0.0.1:1234");
    }

    #[test]
    fn rejects_bases_that_cannot_join() {
        for (base, expect) in [
            ("", "must start with"),
            ("api.yoti.com/idverify/v1", "must start with"),
            ("ftp://api.yoti.com/x", "must start with"),
            ("https://", "no host"),
            ("https:///idverify/v1", "no host"),
            ("https://api.yoti.com/idverify/v1/", "must not end with `/`"),
            ("http://127.0.0.1:1234/", "must not end with `/`"),
            (
                "https://api.yoti.com/idverify/v1?x=1",
                "query or a fragment",
            ),
            ("https://api.yoti.com/idverify/v1#f", "query or a fragment"),
            ("https://user:secret@api.yoti.com/v1", "user info"),
            ("https://api.yoti.com:notaport/v1", "port"),
            ("https://api.yoti.com:65536/v1", "port"),
            ("https://api.yoti.com:/v1", "port"),
            ("https://:443/v1", "no host"),
            ("https://api.yoti.com/a b", "printable ASCII"),
            ("https://h/\u{e9}", "printable ASCII"),
            (" https://api.yoti.com/v1", "printable ASCII"),
        ] {
            let err = join(base, PQ).expect_err(base);
            assert!(
                matches!(err, ApplyError::InvalidBaseUrl { .. }),
                "{base}: {err:?}"
            );
            assert!(err.to_string().contains(expect), "{base}: {err}");
        }
        for base in ["https://[::1/v1", "https://a\"b/v1"] {
            let err = join(base, PQ).expect_err(base);
            assert!(
                matches!(err, ApplyError::InvalidUri { .. }),
                "{base}: {err:?}"
            );
            assert!(!err.to_string().contains("yoti"), "{err}");
        }
    }
}
