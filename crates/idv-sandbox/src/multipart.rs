//! The face-capture image upload's `multipart/form-data` body (RFC 7578, endpoint 9 of §2.1 of
//! the reference), read strictly: the request's `Content-Type` must be `multipart/form-data`
//! with a boundary, the body a well-formed form (closing boundary included) of exactly one
//! part, named `binary-content`, whose `Content-Type` is `image/jpeg` (or its alias
//! `image/jpg`, which Yoti's Node SDK passes through) or `image/png`, and whose bytes are a
//! non-empty image of that type. The part's file name is not checked (the official SDKs send
//! `face-capture-image`).
//!
//! Parsed with `multer` (the parser axum uses) over the body already read: the signature was
//! verified over these exact bytes before, and the body's size is bounded by then.
//! Refusals are `400 PAYLOAD_VALIDATION`; their messages never repeat what the request sent.

use bytes::Bytes;
use http::HeaderMap;
use http_body_util::{BodyDataStream, Full};

use crate::api_error::ApiError;
use crate::live::resources::image_type;
use crate::media::MediaContent;

/// The name of the form's one part.
pub(crate) const PART_NAME: &str = "binary-content";

fn invalid(property: &str, message: &str) -> ApiError {
    ApiError::invalid(property, message)
}

fn malformed() -> ApiError {
    invalid(
        "body",
        "is not a well-formed multipart/form-data body (RFC 7578) ending in its closing boundary",
    )
}

/// Reads the one image of a face-capture upload form.
///
/// # Errors
/// `400 PAYLOAD_VALIDATION` naming `Content-Type`, `body` or `binary-content` (see the module
/// documentation).
pub(crate) async fn read_face_capture_image(
    headers: &HeaderMap,
    body: Bytes,
) -> Result<MediaContent, ApiError> {
    let boundary = headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| multer::parse_boundary(v).ok())
        .ok_or_else(|| {
            invalid(
                "Content-Type",
                "must be multipart/form-data with a boundary parameter",
            )
        })?;
    let stream = BodyDataStream::new(Full::new(body));
    let mut form = multer::Multipart::new(stream, boundary);
    let Some(field) = form.next_field().await.map_err(|_| malformed())? else {
        return Err(invalid(
            PART_NAME,
            "the form must have this part; it has none",
        ));
    };
    if field.name() != Some(PART_NAME) {
        return Err(invalid(
            "body",
            "the form's part must be named binary-content",
        ));
    }
    let declared = field.content_type().map(ToString::to_string);
    let Some((content_type, magic)) = declared.as_deref().and_then(image_type) else {
        return Err(invalid(
            "binary-content.content_type",
            "must be image/jpeg or image/png",
        ));
    };
    let bytes = field.bytes().await.map_err(|_| malformed())?;
    if bytes.is_empty() {
        return Err(invalid(PART_NAME, "must not be empty"));
    }
    if !bytes.starts_with(magic) {
        return Err(invalid(
            PART_NAME,
            &format!("is not {content_type} content"),
        ));
    }
    match form.next_field().await {
        Ok(None) => Ok(MediaContent {
            content_type,
            bytes,
        }),
        Ok(Some(_)) => Err(invalid(
            "body",
            "the form must have one part (binary-content) and has more",
        )),
        Err(_) => Err(malformed()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const JPEG: &[u8] = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00";

    fn headers(content_type: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            http::header::CONTENT_TYPE,
            content_type.parse().expect("header"),
        );
        headers
    }

    fn part(name: &str, content_type: &str, data: &[u8]) -> Vec<u8> {
        let mut out = format!(
            "--B\r\nContent-Disposition: form-data; name=\"{name}\"; \
             filename=\"face-capture-image\"\r\nContent-Type: {content_type}\r\n\r\n"
        )
        .into_bytes();
        out.extend_from_slice(data);
        out.extend_from_slice(b"\r\n");
        out
    }

    async fn read(content_type: &str, body: Vec<u8>) -> Result<MediaContent, ApiError> {
        read_face_capture_image(&headers(content_type), Bytes::from(body)).await
    }

    fn property(result: Result<MediaContent, ApiError>) -> String {
        result.expect_err("refused").errors[0].0.clone()
    }

    #[tokio::test]
    async fn one_image_part_is_read_byte_for_byte() {
        let mut body = part(PART_NAME, "image/jpg", JPEG);
        body.extend_from_slice(b"--B--\r\n");
        let image = read("multipart/form-data; boundary=B", body)
            .await
            .expect("valid");
        assert_eq!(image.content_type, "image/jpeg");
        assert_eq!(&image.bytes[..], JPEG);
    }

    #[tokio::test]
    async fn anything_else_is_refused_with_its_property() {
        let closed = |mut body: Vec<u8>| {
            body.extend_from_slice(b"--B--\r\n");
            body
        };
        let form = "multipart/form-data; boundary=B";
        let good = || part(PART_NAME, "image/jpeg", JPEG);
        assert_eq!(
            property(read("application/json", closed(good())).await),
            "Content-Type"
        );
        assert_eq!(
            property(read("multipart/form-data", closed(good())).await),
            "Content-Type"
        );
        // No closing boundary, garbage, no part at all.
        assert_eq!(property(read(form, good()).await), "body");
        assert_eq!(property(read(form, b"not a form".to_vec()).await), "body");
        assert_eq!(property(read(form, b"--B--\r\n".to_vec()).await), PART_NAME);
        // A wrong name, a second part, a wrong or missing type, bytes of another type.
        let wrong_name = part("image", "image/jpeg", JPEG);
        assert_eq!(property(read(form, closed(wrong_name)).await), "body");
        let mut two = good();
        two.extend(part("other", "text/plain", b"x"));
        assert_eq!(property(read(form, closed(two)).await), "body");
        let gif = part(PART_NAME, "image/gif", b"GIF89a");
        assert_eq!(
            property(read(form, closed(gif)).await),
            "binary-content.content_type"
        );
        let untyped = closed(
            b"--B\r\nContent-Disposition: form-data; name=\"binary-content\"\r\n\r\nxx\r\n"
                .to_vec(),
        );
        assert_eq!(
            property(read(form, untyped).await),
            "binary-content.content_type"
        );
        let liar = part(PART_NAME, "image/png", JPEG);
        assert_eq!(property(read(form, closed(liar)).await), PART_NAME);
        let empty = part(PART_NAME, "image/png", b"");
        assert_eq!(property(read(form, closed(empty)).await), PART_NAME);
    }
}
