//! `Content-Type` parsing.

/// The bare media type of a `Content-Type` header value: the part before any `;` parameter,
/// trimmed and lower-cased. `None` when nothing is left.
pub(crate) fn bare_media_type(header: &str) -> Option<String> {
    let bare = header.split(';').next().unwrap_or("").trim();
    if bare.is_empty() {
        None
    } else {
        Some(bare.to_ascii_lowercase())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_parameters_and_lower_cases() {
        assert_eq!(bare_media_type("image/png").as_deref(), Some("image/png"));
        assert_eq!(
            bare_media_type("Image/PNG; name=x.png").as_deref(),
            Some("image/png")
        );
        assert_eq!(
            bare_media_type(" application/json ;charset=UTF-8").as_deref(),
            Some("application/json")
        );
        assert_eq!(bare_media_type(""), None);
        assert_eq!(bare_media_type("  ; charset=utf-8"), None);
    }
}
