//! The specification's walker, and the rules only the specification has (positive numbers,
//! hex colours, `http`/`https` URLs); the shared ones are in `request_model::walk`.

use crate::request_model::walk;
use crate::spec::ViolationKind;

/// The walker over a specification.
pub(crate) type Walker = walk::Walker<ViolationKind>;

impl Walker {
    /// `key`, if set, must be greater than zero.
    pub(crate) fn positive(&mut self, key: &'static str, value: Option<i64>) {
        if value.is_some_and(|v| v <= 0) {
            self.violation(key, ViolationKind::NotPositive);
        }
    }

    /// `key`, if set, must be a hex colour code.
    pub(crate) fn colour(&mut self, key: &'static str, value: &Option<String>) {
        if value.as_deref().is_some_and(|v| !is_hex_colour(v)) {
            self.violation(key, ViolationKind::InvalidColour);
        }
    }

    /// `key`, if set, must be an absolute `http` or `https` URL.
    pub(crate) fn http_url(&mut self, key: &'static str, value: &Option<String>) {
        match value.as_deref() {
            Some("") => self.violation(key, ViolationKind::Empty),
            Some(url) if !is_http_url(url) => self.violation(key, ViolationKind::InvalidUrl),
            _ => {}
        }
    }
}

/// `#RGB` or `#RRGGBB` (the hexadecimal RGB value the API asks for, e.g. `#2d9fff`).
pub(crate) fn is_hex_colour(text: &str) -> bool {
    let bytes = text.as_bytes();
    matches!(bytes.len(), 4 | 7) && bytes[0] == b'#' && bytes[1..].iter().all(u8::is_ascii_hexdigit)
}

/// An absolute `http://` or `https://` URL with a host and no whitespace or control characters.
pub(crate) fn is_http_url(text: &str) -> bool {
    let rest = ["https://", "http://"].iter().find_map(|scheme| {
        text.get(..scheme.len())
            .filter(|head| head.eq_ignore_ascii_case(scheme))
            .map(|_| &text[scheme.len()..])
    });
    let Some(rest) = rest else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    !host.is_empty() && !text.chars().any(|c| c.is_whitespace() || c.is_control())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours() {
        for ok in ["#2d9fff", "#FFF", "#000000", "#aBc"] {
            assert!(is_hex_colour(ok), "{ok}");
        }
        for bad in [
            "2d9fff", "#2d9ff", "#2d9fffa", "#ggg", "", "#", "red", "#é12",
        ] {
            assert!(!is_hex_colour(bad), "{bad}");
        }
    }

    #[test]
    fn urls() {
        for ok in [
            "https://example.com",
            "HTTP://localhost:8080/x?y#z",
            "https://a/b",
        ] {
            assert!(is_http_url(ok), "{ok}");
        }
        for bad in [
            "",
            "example.com",
            "ftp://x",
            "https://",
            "https:///path",
            "https://a b",
            "https://a\n",
        ] {
            assert!(!is_http_url(bad), "{bad:?}");
        }
    }
}
