//! The API base URL, normalised once so that the signed path and the sent path cannot diverge.

use crate::error::IdvError;

/// A validated, normalised API base URL such as `https://api.yoti.com/idverify/v1`.
///
/// Normalisation: surrounding whitespace and trailing `/` are removed, runs of `/` inside the
/// path are collapsed, the scheme and host are lower-cased. It must be `https`, or plain `http`
/// to a loopback host (`127.0.0.0/8`, `[::1]` or exactly `localhost`: not `localhost.`, which
/// goes through DNS); it must have a host and carry no user info, query or fragment.
///
/// ```
/// use idv_client::BaseUrl;
///
/// let base: BaseUrl = "https://api.yoti.com//idverify/v1/".parse()?;
/// assert_eq!(base.as_str(), "https://api.yoti.com/idverify/v1");
/// assert!(BaseUrl::parse("http://127.0.0.1:8443/idverify/v1").is_ok());
/// assert!(BaseUrl::parse("http://api.example.com/idverify/v1").is_err()); // clear text
/// # Ok::<(), idv_client::IdvError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct BaseUrl {
    /// The normalised URL, without a trailing slash.
    full: String,
}

impl BaseUrl {
    /// Validates and normalises `input`; a bad URL is an
    /// [`ErrorKind::Configuration`](crate::ErrorKind::Configuration) error.
    pub fn parse(input: &str) -> Result<Self, IdvError> {
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
        let host = uri.host().unwrap_or("");
        if host.is_empty() {
            return Err(bad("it has no host"));
        }
        // The transport's rule: loopback literals and exactly `localhost` (no DNS).
        if scheme == "http" && !idv_transport::is_loopback_host(host) {
            return Err(bad(
                "plain http is allowed only to a loopback address (127.0.0.1, [::1], localhost)",
            ));
        }
        Ok(Self { full })
    }

    /// The base URL, without a trailing slash.
    pub fn as_str(&self) -> &str {
        &self.full
    }
}

impl std::str::FromStr for BaseUrl {
    type Err = IdvError;
    fn from_str(s: &str) -> Result<Self, IdvError> {
        Self::parse(s)
    }
}

impl std::fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.full)
    }
}

impl PartialEq<str> for BaseUrl {
    fn eq(&self, other: &str) -> bool {
        self.full == other
    }
}

impl PartialEq<&str> for BaseUrl {
    fn eq(&self, other: &&str) -> bool {
        self.full == *other
    }
}

impl AsRef<str> for BaseUrl {
    fn as_ref(&self) -> &str {
        &self.full
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
        for loopback in ["http://LOCALHOST:1", "http://127.8.9.10/x", "http://[::1]"] {
            assert!(BaseUrl::parse(loopback).is_ok(), "{loopback}");
        }
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
            "http://api.yoti.com/idverify/v1",
            "http://localhost./x",
            "http://localhost.localdomain/x",
            "http://127.0.0.1.nip.io/x",
            "http://10.0.0.1/x",
            "http://[::2]/x",
        ] {
            let err = BaseUrl::parse(bad).expect_err(bad);
            assert_eq!(err.kind(), ErrorKind::Configuration, "{bad}");
            assert!(err.to_string().contains("invalid base URL"), "{err}");
            // A password in a URL is never echoed.
            assert!(!err.to_string().contains("pass@"), "{err}");
        }
    }
}
