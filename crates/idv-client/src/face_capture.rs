//! Face capture: create the resource, upload its image (multipart, signed over the whole body),
//! or both in one call from the session's configuration.

use bytes::Bytes;
use http::Method;
use idv_model::{FaceCaptureResourceResponse, RequirementType};

use crate::client::IdvClient;
use crate::error::{ErrorKind, IdvError};
use crate::ids::{IntoId, ResourceId, SessionId};
use crate::multipart::Multipart;

/// The image types the API accepts for a face capture, and how to recognise them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ImageType {
    Jpeg,
    Png,
}

impl ImageType {
    /// `image/jpeg` (and the `image/jpg` Yoti's Node SDK sends) or `image/png`, parameters and
    /// case ignored.
    fn from_content_type(content_type: &str) -> Option<Self> {
        let bare = content_type
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        match bare.as_str() {
            "image/jpeg" | "image/jpg" => Some(Self::Jpeg),
            "image/png" => Some(Self::Png),
            _ => None,
        }
    }

    /// Whether `bytes` start with this type's signature.
    fn matches(self, bytes: &[u8]) -> bool {
        match self {
            Self::Jpeg => bytes.starts_with(&[0xFF, 0xD8, 0xFF]),
            Self::Png => bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
        }
    }
}

/// The outcome of [`IdvClient::upload_face_capture`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct FaceCaptureUpload {
    /// The `FACE_CAPTURE` requirement the resource was created for.
    pub requirement_id: String,
    /// The resource created (`id`, `frames`).
    pub resource: FaceCaptureResourceResponse,
}

impl IdvClient {
    /// Creates a face-capture resource for a `FACE_CAPTURE` requirement of the session's
    /// configuration: `POST /sessions/{session_id}/resources/face-capture` with
    /// `{"requirement_id": …}`. Like every `POST`, it is retried only when the request never
    /// reached the server.
    pub async fn create_face_capture_resource(
        &self,
        session_id: impl IntoId<SessionId>,
        requirement_id: &str,
    ) -> Result<FaceCaptureResourceResponse, IdvError> {
        let session = session_id.into_id()?;
        if requirement_id.is_empty() {
            return Err(IdvError::invalid_argument(
                "the requirement id must not be empty",
            ));
        }
        self.request(
            Method::POST,
            &format!("/sessions/{session}/resources/face-capture"),
        )
        .json(&serde_json::json!({ "requirement_id": requirement_id }))?
        .send_json()
        .await
    }

    /// Uploads the image of a face-capture resource:
    /// `PUT /sessions/{session_id}/resources/face-capture/{resource_id}/image`, as
    /// `multipart/form-data` with one part (`name="binary-content"`,
    /// `filename="face-capture-image"`, the image's content type), signed over the whole body.
    ///
    /// `content_type` must be `image/jpeg` (or `image/jpg`) or `image/png`, and `image` must be
    /// what it claims (its first bytes are checked): anything else is an
    /// [`ErrorKind::InvalidArgument`] error and nothing is sent.
    pub async fn upload_face_capture_image(
        &self,
        session_id: impl IntoId<SessionId>,
        resource_id: impl IntoId<ResourceId>,
        content_type: &str,
        image: impl Into<Bytes>,
    ) -> Result<(), IdvError> {
        let (session, resource) = (session_id.into_id()?, resource_id.into_id()?);
        let image = image.into();
        let kind = ImageType::from_content_type(content_type).ok_or_else(|| {
            IdvError::invalid_argument("a face capture must be image/jpeg or image/png")
        })?;
        if !kind.matches(&image) {
            return Err(IdvError::new(
                ErrorKind::InvalidArgument,
                format!("the image is not a {} file", kind.content_type()),
            ));
        }
        let form = Multipart::new().file(
            "binary-content",
            "face-capture-image",
            kind.content_type(),
            image,
        )?;
        self.request(
            Method::PUT,
            &format!("/sessions/{session}/resources/face-capture/{resource}/image"),
        )
        .multipart(form)
        .send()
        .await
        .map(drop)
    }

    /// The one-call face capture: reads the session's configuration, takes the first
    /// `FACE_CAPTURE` requirement, creates its resource and uploads `image` (checked as in
    /// [`upload_face_capture_image`](Self::upload_face_capture_image), before anything is sent).
    ///
    /// Errors with [`ErrorKind::UnexpectedResponse`] when the configuration has no
    /// `FACE_CAPTURE` requirement.
    pub async fn upload_face_capture(
        &self,
        session_id: impl IntoId<SessionId>,
        content_type: &str,
        image: impl Into<Bytes>,
    ) -> Result<FaceCaptureUpload, IdvError> {
        let session = session_id.into_id()?;
        let image = image.into();
        // Refuse a bad image before any request.
        let kind = ImageType::from_content_type(content_type)
            .filter(|k| k.matches(&image))
            .ok_or_else(|| {
                IdvError::invalid_argument(
                    "a face capture must be a JPEG or PNG image of the type it claims",
                )
            })?;
        let configuration = self.get_session_configuration(&session).await?;
        let requirement_id = configuration
            .capture
            .iter()
            .flat_map(|c| c.required_resources.iter())
            .find(|r| r.requirement_type == Some(RequirementType::FaceCapture))
            .and_then(|r| r.id.clone())
            .ok_or_else(|| {
                IdvError::new(
                    ErrorKind::UnexpectedResponse,
                    "the session's configuration has no FACE_CAPTURE requirement",
                )
            })?;
        let resource = self
            .create_face_capture_resource(&session, &requirement_id)
            .await?;
        let resource_id = resource.id.clone().ok_or_else(|| {
            IdvError::new(
                ErrorKind::UnexpectedResponse,
                "the face-capture resource came back without an id",
            )
        })?;
        self.upload_face_capture_image(&session, resource_id, kind.content_type(), image)
            .await?;
        Ok(FaceCaptureUpload {
            requirement_id,
            resource,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types_and_signatures() {
        assert_eq!(
            ImageType::from_content_type("IMAGE/JPG"),
            Some(ImageType::Jpeg)
        );
        assert_eq!(
            ImageType::from_content_type("image/png; x=y"),
            Some(ImageType::Png)
        );
        for bad in ["image/gif", "", "application/octet-stream", "image/jpegx"] {
            assert_eq!(ImageType::from_content_type(bad), None, "{bad}");
        }
        assert!(ImageType::Jpeg.matches(&[0xFF, 0xD8, 0xFF, 0xE0]));
        assert!(!ImageType::Jpeg.matches(b"\x89PNG\r\n\x1a\n"));
        assert!(ImageType::Png.matches(b"\x89PNG\r\n\x1a\nrest"));
        assert!(!ImageType::Png.matches(b"\x89PN"));
    }
}
