//! `multipart/form-data` bodies (RFC 7578), encoded up front so the signature covers every byte.
//!
//! Written here rather than taken from a crate: the well-kept multipart crates either parse
//! (server side) or belong to an HTTP client; encoding a form of a few parts is a dozen lines.

use std::fmt;

use bytes::{BufMut, Bytes, BytesMut};
use http::HeaderValue;

use crate::error::IdvError;

/// A `multipart/form-data` body for [`RequestBuilder::multipart`](crate::RequestBuilder::multipart).
///
/// ```
/// use idv_client::Multipart;
///
/// let form = Multipart::new().file(
///     "binary-content",
///     "face-capture-image",
///     "image/jpeg",
///     vec![0xFF, 0xD8, 0xFF, 0xD9],
/// )?;
/// assert_eq!(form.len(), 1);
/// # Ok::<(), idv_client::IdvError>(())
/// ```
#[derive(Clone, Default)]
pub struct Multipart {
    parts: Vec<Part>,
}

#[derive(Clone)]
struct Part {
    name: String,
    filename: Option<String>,
    content_type: Option<String>,
    data: Bytes,
}

impl fmt::Debug for Multipart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Names and sizes only: the content is personal data.
        let mut list = f.debug_list();
        for p in &self.parts {
            list.entry(&format_args!(
                "{} ({} bytes, {})",
                p.name,
                p.data.len(),
                p.content_type.as_deref().unwrap_or("text")
            ));
        }
        list.finish()
    }
}

/// Refuses what cannot stand in a part header: quotes and line breaks would let a value
/// inject headers or parts.
fn header_safe(what: &str, value: &str) -> Result<(), IdvError> {
    if value.is_empty()
        || value
            .chars()
            .any(|c| c == '"' || c == '\\' || c.is_control())
    {
        return Err(IdvError::invalid_argument(format!(
            "the multipart {what} must be non-empty, without quotes, backslashes or control characters"
        )));
    }
    Ok(())
}

impl Multipart {
    /// An empty form.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a text field.
    pub fn text(mut self, name: &str, value: impl Into<String>) -> Result<Self, IdvError> {
        header_safe("field name", name)?;
        self.parts.push(Part {
            name: name.to_owned(),
            filename: None,
            content_type: None,
            data: Bytes::from(value.into()),
        });
        Ok(self)
    }

    /// Adds a file part with its file name and content type.
    pub fn file(
        mut self,
        name: &str,
        filename: &str,
        content_type: &str,
        data: impl Into<Bytes>,
    ) -> Result<Self, IdvError> {
        header_safe("field name", name)?;
        header_safe("file name", filename)?;
        header_safe("content type", content_type)?;
        self.parts.push(Part {
            name: name.to_owned(),
            filename: Some(filename.to_owned()),
            content_type: Some(content_type.to_owned()),
            data: data.into(),
        });
        Ok(self)
    }

    /// The number of parts.
    pub fn len(&self) -> usize {
        self.parts.len()
    }

    /// Whether the form has no part.
    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    /// The `Content-Type` (with its boundary) and the encoded body.
    pub(crate) fn encode(self) -> (HeaderValue, Bytes) {
        let boundary = loop {
            let candidate = format!("idv-rs-{:032x}", fastrand::u128(..));
            // 128 random bits: a clash with the content is practically impossible, but cheap
            // to rule out.
            if !self
                .parts
                .iter()
                .any(|p| contains(&p.data, candidate.as_bytes()))
            {
                break candidate;
            }
        };
        let size: usize = self
            .parts
            .iter()
            .map(|p| p.data.len() + p.name.len() + 160)
            .sum();
        let mut body = BytesMut::with_capacity(size + boundary.len() + 8);
        for part in &self.parts {
            body.put_slice(b"--");
            body.put_slice(boundary.as_bytes());
            body.put_slice(b"\r\nContent-Disposition: form-data; name=\"");
            body.put_slice(part.name.as_bytes());
            body.put_slice(b"\"");
            if let Some(filename) = &part.filename {
                body.put_slice(b"; filename=\"");
                body.put_slice(filename.as_bytes());
                body.put_slice(b"\"");
            }
            body.put_slice(b"\r\n");
            if let Some(content_type) = &part.content_type {
                body.put_slice(b"Content-Type: ");
                body.put_slice(content_type.as_bytes());
                body.put_slice(b"\r\n");
            }
            body.put_slice(b"\r\n");
            body.put_slice(&part.data);
            body.put_slice(b"\r\n");
        }
        body.put_slice(b"--");
        body.put_slice(boundary.as_bytes());
        body.put_slice(b"--\r\n");
        let content_type =
            HeaderValue::try_from(format!("multipart/form-data; boundary={boundary}"))
                .unwrap_or_else(|_| HeaderValue::from_static("multipart/form-data"));
        (content_type, body.freeze())
    }
}

/// Whether `needle` occurs in `haystack` (linear in the haystack: the needle is short).
fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_parts_with_a_random_boundary() {
        let form = Multipart::new()
            .text("kind", "face")
            .unwrap()
            .file(
                "binary-content",
                "face-capture-image",
                "image/png",
                &b"\x89PNG"[..],
            )
            .unwrap();
        let (ct, body) = form.clone().encode();
        let ct = ct.to_str().unwrap().to_owned();
        let boundary = ct.strip_prefix("multipart/form-data; boundary=").unwrap();
        let text = String::from_utf8_lossy(&body);
        assert!(text.starts_with(&format!("--{boundary}\r\n")));
        assert!(text.contains(
            "Content-Disposition: form-data; name=\"binary-content\"; filename=\"face-capture-image\"\r\nContent-Type: image/png\r\n\r\n\u{FFFD}PNG\r\n"
        ), "{text}");
        assert!(text.contains("name=\"kind\"\r\n\r\nface\r\n"), "{text}");
        assert!(text.ends_with(&format!("--{boundary}--\r\n")));
        let (ct2, _) = form.encode();
        assert_ne!(ct2.to_str().unwrap(), ct, "boundaries are random");
    }

    #[test]
    fn refuses_header_injection() {
        assert!(Multipart::new().text("a\"; x=\"", "v").is_err());
        assert!(
            Multipart::new()
                .file("f", "a\r\nX: y", "image/png", vec![])
                .is_err()
        );
        assert!(
            Multipart::new()
                .file("f", "n", "image/png\r\n", vec![])
                .is_err()
        );
        assert!(Multipart::new().text("", "v").is_err());
    }
}
