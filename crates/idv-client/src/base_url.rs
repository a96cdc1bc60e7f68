//! The API base URL, normalised once so that the signed path and the sent path cannot diverge.

use crate::error::IdvError;

/// A validated, normalised API base URL such as `https://api.yoti.com/idverify/v1`.
///
/// Normalisation: surrounding whitespace and trailing `/` are removed, runs of `/` inside the
/// path are collapsed, the scheme and host are lower-cased. It must be `http` or `https`, have a
/// host, and carry no user info, query or fragment.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct BaseUrl {
    /// The normalised URL, without a trailing slash.
    full: String,
}

impl BaseUrl {
    pub(crate) fn parse(input: &str) -> Result<Self, IdvError> {
        let bad = |why: &str| IdvError::configuration(format!("invalid base URL: {why}"));
        let s = input.trim();
        if s.is_empty() {
            return Err(bad("it is empty"));
        }
        if s.contains(['?', '#']) {
            return Err(bad("it must not have a query or a fragment"));
        }
        if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(bad("it contains whitespace"));
        }
        let (scheme, rest) = s
            .split_once("://")
            .ok_or_else(|| bad("it must start with https:// or http://"))?;
        let scheme = scheme.to_ascii_lowercase();
        if scheme != "https" && scheme != "http" {
            return Err(bad("the scheme must be https or http"));
        }
        let (authority, path) = match rest.find('/') {
            Some(i) => rest.split_at(i),
            None => (rest, ""),
        };
        if authority.is_empty() {
            return Err(bad("it has no host"));
        }
        if authority.contains('@') {
            return Err(bad("it must not contain user information"));
        }
        // Collapse `//` runs and drop the trailing slash.
        let mut norm_path = String::with_capacity(path.len());
        for seg in path.split('/').filter(|seg| !seg.is_empty()) {
            if seg == "." || seg == ".." {
                return Err(bad("it must not contain '.' or '..' path segments"));
            }
            norm_path.push('/');
            norm_path.push_str(seg);
        }
        let full = format!("{scheme}://{}{norm_path}", authority.to_ascii_lowercase());
        // Check that the result (and any path appended to it) is a URI `http` accepts.
        let uri: http::Uri = full.parse().map_err(|_| bad("it is not a valid URL"))?;
        if uri.host().is_none_or(str::is_empty) {
            return Err(bad("it has no host"));
        }
        Ok(Self { full })
    }

    /// The base URL, without a trailing slash.
    pub(crate) fn as_str(&self) -> &str {
        &self.full
    }

    /// The full URI for a base-relative `path_and_query` (which starts with `/`), exactly as given:
    /// nothing is re-encoded or reordered.
    pub(crate) fn join(&self, path_and_query: &str) -> Result<http::Uri, IdvError> {
        debug_assert!(path_and_query.starts_with('/'));
        let mut s = String::with_capacity(self.full.len() + path_and_query.len());
        s.push_str(&self.full);
        s.push_str(path_and_query);
        http::Uri::try_from(s).map_err(|e| {
            IdvError::invalid_argument_with_source("the request target is not a valid URI", e)
        })
    }
}

impl std::fmt::Debug for BaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("BaseUrl").field(&self.full).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn normalises_trailing_and_repeated_slashes() {
        for input in [
            "https://api.yoti.com/idverify/v1",
            "https://api.yoti.com/idverify/v1/",
            "https://api.yoti.com/idverify/v1///",
            "  https://api.yoti.com//idverify//v1/ ",
            "HTTPS://API.Yoti.com/idverify/v1",
        ] {
            let base = BaseUrl::parse(input).unwrap();
            assert_eq!(base.as_str(), "https://api.yoti.com/idverify/v1", "{input}");
        }
        assert_eq!(
            BaseUrl::parse("http://127.0.0.1:8080/").unwrap().as_str(),
            "http://127.0.0.1:8080"
        );
        assert_eq!(
            BaseUrl::parse("http://[::1]:1/a").unwrap().as_str(),
            "http://[::1]:1/a"
        );
    }

    #[test]
    fn joins_without_touching_the_query() {
        let base = BaseUrl::parse("https://api.yoti.com/sandbox/idverify/v1/").unwrap();
        let uri = base
            .join("/sessions/abc?sdkId=x&nonce=n&timestamp=1")
            .unwrap();
        assert_eq!(
            uri.to_string(),
            "https://api.yoti.com/sandbox/idverify/v1/sessions/abc?sdkId=x&nonce=n&timestamp=1"
        );
        assert_eq!(uri.path(), "/sandbox/idverify/v1/sessions/abc");
        assert_eq!(uri.query(), Some("sdkId=x&nonce=n&timestamp=1"));
    }

    #[test]
    fn rejects_bad_urls_as_configuration_errors() {
        for bad in [
            "",
            "api.yoti.com/idverify/v1",
            "ftp://api.yoti.com/x",
            "https://",
            "https:///x",
            "https://api.yoti.com/idverify/v1?x=1",
            "https://api.yoti.com/idverify/v1#frag",
            "https://user:pass@api.yoti.com/idverify/v1",
            "https://api.yoti.com/a b",
            "https://api.yoti.com/../x",
        ] {
            let err = BaseUrl::parse(bad).expect_err(bad);
            assert_eq!(err.kind(), ErrorKind::Configuration, "{bad}");
            assert!(err.to_string().contains("invalid base URL"), "{err}");
            // A password in a URL is never echoed.
            assert!(!err.to_string().contains("pass@"), "{err}");
        }
    }
}
