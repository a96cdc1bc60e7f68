//! One table from media content types to file extensions and back.
//!
//! The sandbox serves staged files with a `Content-Type` chosen by their extension and the CLI
//! saves downloaded media with an extension chosen by their `Content-Type`; both read this table
//! so a file keeps its type through a serve → download round trip.
//!
//! ```
//! use idv_model::content_type::{content_type_for, extension_for};
//!
//! assert_eq!(extension_for("IMAGE/JPEG; charset=x"), Some("jpg"));
//! assert_eq!(content_type_for(".TIF"), Some("image/tiff"));
//! assert_eq!(extension_for("application/x-unknown"), None);
//! ```

/// One media type: its canonical content type and extension, and the aliases accepted for each.
struct Entry {
    /// The content type written out (lower case, no parameters).
    content_type: &'static str,
    /// The extension written out (lower case, no dot).
    extension: &'static str,
    /// Other content types that mean the same media type.
    content_type_aliases: &'static [&'static str],
    /// Other extensions that mean the same media type.
    extension_aliases: &'static [&'static str],
}

const fn entry(content_type: &'static str, extension: &'static str) -> Entry {
    Entry {
        content_type,
        extension,
        content_type_aliases: &[],
        extension_aliases: &[],
    }
}

/// The table. Each content type and each extension (aliases included) appears once.
const TABLE: &[Entry] = &[
    Entry {
        content_type_aliases: &["image/jpg", "image/pjpeg"],
        extension_aliases: &["jpeg", "jpe"],
        ..entry("image/jpeg", "jpg")
    },
    entry("image/png", "png"),
    entry("image/gif", "gif"),
    entry("image/webp", "webp"),
    Entry {
        extension_aliases: &["tif"],
        ..entry("image/tiff", "tiff")
    },
    Entry {
        content_type_aliases: &["image/x-ms-bmp", "image/x-bmp"],
        ..entry("image/bmp", "bmp")
    },
    entry("image/heic", "heic"),
    entry("image/heif", "heif"),
    entry("image/avif", "avif"),
    entry("application/pdf", "pdf"),
    Entry {
        content_type_aliases: &["text/json"],
        ..entry("application/json", "json")
    },
    entry("text/plain", "txt"),
    Entry {
        content_type_aliases: &["text/xml"],
        ..entry("application/xml", "xml")
    },
    entry("video/mp4", "mp4"),
    entry("video/webm", "webm"),
    entry("video/quicktime", "mov"),
    entry("application/zip", "zip"),
    entry("application/octet-stream", "bin"),
];

/// The file extension (lower case, without the dot) for a content type.
///
/// Parameters (`; charset=…`), surrounding whitespace and ASCII case are ignored; aliases such as
/// `image/jpg` are accepted, and any `…/…+json` structured-syntax type maps to `json`. Unknown
/// types give `None` (callers pick their own fallback, typically `bin`).
///
/// ```
/// use idv_model::content_type::extension_for;
///
/// assert_eq!(extension_for("image/jpeg"), Some("jpg"));
/// assert_eq!(extension_for("IMAGE/JPG ; q=1"), Some("jpg"));
/// assert_eq!(extension_for("application/problem+json"), Some("json"));
/// assert_eq!(extension_for("application/octet-stream"), Some("bin"));
/// assert_eq!(extension_for("text/html"), None);
/// ```
#[must_use]
pub fn extension_for(content_type: &str) -> Option<&'static str> {
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    let found = TABLE.iter().find(|e| {
        e.content_type.eq_ignore_ascii_case(essence)
            || e.content_type_aliases
                .iter()
                .any(|a| a.eq_ignore_ascii_case(essence))
    });
    match found {
        Some(e) => Some(e.extension),
        None if is_json_suffixed(essence) => Some("json"),
        None => None,
    }
}

/// The content type for a file extension.
///
/// ASCII case and one leading dot are ignored; aliases such as `jpeg` and `tif` are accepted.
/// Unknown extensions give `None` (a server typically falls back to `application/octet-stream`).
///
/// ```
/// use idv_model::content_type::content_type_for;
///
/// assert_eq!(content_type_for("jpeg"), Some("image/jpeg"));
/// assert_eq!(content_type_for(".PNG"), Some("image/png"));
/// assert_eq!(content_type_for("tif"), Some("image/tiff"));
/// assert_eq!(content_type_for("exe"), None);
/// ```
#[must_use]
pub fn content_type_for(extension: &str) -> Option<&'static str> {
    let extension = extension.strip_prefix('.').unwrap_or(extension);
    TABLE
        .iter()
        .find(|e| {
            e.extension.eq_ignore_ascii_case(extension)
                || e.extension_aliases
                    .iter()
                    .any(|a| a.eq_ignore_ascii_case(extension))
        })
        .map(|e| e.content_type)
}

/// `type/subtype+json` (RFC 6839 structured syntax suffix), for example `application/problem+json`.
fn is_json_suffixed(essence: &str) -> bool {
    let Some((kind, subtype)) = essence.split_once('/') else {
        return false;
    };
    let bytes = subtype.as_bytes();
    !kind.is_empty()
        && bytes.len() > b"+json".len()
        && bytes[bytes.len() - b"+json".len()..].eq_ignore_ascii_case(b"+json")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashSet;

    #[test]
    fn content_types_map_to_extensions() {
        let cases = [
            ("image/jpeg", "jpg"),
            ("IMAGE/JPEG; charset=x", "jpg"),
            ("image/jpg", "jpg"),
            ("image/pjpeg", "jpg"),
            ("image/png", "png"),
            ("application/pdf", "pdf"),
            ("application/json", "json"),
            ("text/json", "json"),
            ("application/vnd.yoti+json", "json"),
            ("image/tiff", "tiff"),
            ("image/heic", "heic"),
            ("image/heif", "heif"),
            ("image/bmp", "bmp"),
            ("image/gif", "gif"),
            ("image/webp", "webp"),
            ("video/mp4", "mp4"),
            ("application/octet-stream", "bin"),
            ("  Image/Png  ", "png"),
        ];
        for (content_type, extension) in cases {
            assert_eq!(
                extension_for(content_type),
                Some(extension),
                "{content_type}"
            );
        }
    }

    #[test]
    fn unknown_or_malformed_content_types_have_no_extension() {
        for content_type in [
            "",
            ";",
            "text/html",
            "image",
            "/+json",
            "+json",
            "image/",
            "a/+json",
        ] {
            assert_eq!(extension_for(content_type), None, "{content_type:?}");
        }
    }

    #[test]
    fn extensions_map_to_content_types() {
        let cases = [
            ("jpg", "image/jpeg"),
            ("jpeg", "image/jpeg"),
            (".JPG", "image/jpeg"),
            ("tif", "image/tiff"),
            ("TIFF", "image/tiff"),
            ("png", "image/png"),
            ("pdf", "application/pdf"),
            ("json", "application/json"),
            ("heic", "image/heic"),
            ("bin", "application/octet-stream"),
        ];
        for (extension, content_type) in cases {
            assert_eq!(
                content_type_for(extension),
                Some(content_type),
                "{extension}"
            );
        }
        for extension in ["", ".", "..jpg", "exe", "jpg.exe"] {
            assert_eq!(content_type_for(extension), None, "{extension:?}");
        }
    }

    #[test]
    fn every_name_appears_once_in_the_table() {
        let mut types = HashSet::new();
        let mut extensions = HashSet::new();
        for e in TABLE {
            for t in std::iter::once(&e.content_type).chain(e.content_type_aliases) {
                assert_eq!(*t, t.to_ascii_lowercase());
                assert!(types.insert(*t), "{t} twice");
            }
            for x in std::iter::once(&e.extension).chain(e.extension_aliases) {
                assert_eq!(*x, x.to_ascii_lowercase());
                assert!(extensions.insert(*x), "{x} twice");
            }
        }
    }

    /// Every spelling the table accepts: (content type or alias, the entry's canonical type).
    fn accepted_types() -> Vec<(&'static str, &'static str)> {
        TABLE
            .iter()
            .flat_map(|e| {
                std::iter::once(e.content_type)
                    .chain(e.content_type_aliases.iter().copied())
                    .map(move |t| (t, e.content_type))
            })
            .collect()
    }

    /// Every extension the table accepts: (extension or alias, the entry's canonical type).
    fn accepted_extensions() -> Vec<(&'static str, &'static str)> {
        TABLE
            .iter()
            .flat_map(|e| {
                std::iter::once(e.extension)
                    .chain(e.extension_aliases.iter().copied())
                    .map(move |x| (x, e.content_type))
            })
            .collect()
    }

    /// Flips the ASCII case of the characters selected by `mask`.
    fn recase(text: &str, mask: u64) -> String {
        text.chars()
            .enumerate()
            .map(|(i, c)| {
                if mask >> (i % 64) & 1 == 1 {
                    c.to_ascii_uppercase()
                } else {
                    c
                }
            })
            .collect()
    }

    proptest! {
        #[test]
        fn content_type_round_trips_through_its_extension(
            index in 0..accepted_types().len(),
            mask in any::<u64>(),
            params in "(; [a-z]{1,8}=[a-z0-9]{0,8}){0,2}",
        ) {
            let (spelling, canonical) = accepted_types()[index];
            let decorated = format!("{}{params}", recase(spelling, mask));
            let extension = extension_for(&decorated);
            prop_assert!(extension.is_some(), "{decorated}");
            let back = extension.and_then(content_type_for);
            prop_assert_eq!(back, Some(canonical));
            // The canonical type maps to the same extension again.
            prop_assert_eq!(back.and_then(extension_for), extension);
        }

        #[test]
        fn extension_round_trips_through_its_content_type(
            index in 0..accepted_extensions().len(),
            mask in any::<u64>(),
            dot in any::<bool>(),
        ) {
            let (spelling, canonical) = accepted_extensions()[index];
            let decorated = format!("{}{}", if dot { "." } else { "" }, recase(spelling, mask));
            let content_type = content_type_for(&decorated);
            prop_assert_eq!(content_type, Some(canonical));
            let extension = content_type.and_then(extension_for);
            prop_assert_eq!(extension.and_then(content_type_for), Some(canonical));
        }

        #[test]
        fn arbitrary_text_never_panics(text in ".{0,40}") {
            let _ = extension_for(&text);
            let _ = content_type_for(&text);
        }
    }
}
