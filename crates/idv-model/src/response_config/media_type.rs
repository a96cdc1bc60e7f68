//! The media-type check of `document_id_photo.content_type`.

/// `type/subtype`, optionally followed by `; parameters`, each part an RFC 9110 token
/// (`image/jpeg`, `image/png; q=1`).
pub(crate) fn is_media_type(text: &str) -> bool {
    let essence = text.split(';').next().unwrap_or("");
    let Some((kind, subtype)) = essence.split_once('/') else {
        return false;
    };
    is_token(kind) && is_token(subtype.trim_end())
}

fn is_token(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_types() {
        for ok in [
            "image/jpeg",
            "image/png; q=1",
            "application/vnd.yoti+json",
            "IMAGE/PNG",
        ] {
            assert!(is_media_type(ok), "{ok}");
        }
        for bad in [
            "",
            "jpeg",
            "image/",
            "/jpeg",
            "image jpeg/x",
            "image/jp eg",
            "é/x",
            ";/x",
        ] {
            assert!(!is_media_type(bad), "{bad:?}");
        }
    }
}
