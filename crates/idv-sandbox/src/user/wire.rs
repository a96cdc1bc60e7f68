//! The JSON bodies of the user-side routes, shared by the sandbox (which parses them) and
//! [`UserSide`](crate::UserSide) (which sends them). Unknown keys are refused, so a misspelt
//! key is a `400` naming it rather than a silent default.

use std::collections::BTreeMap;
use std::fmt;

use base64::Engine as _;
use bytes::Bytes;
use idv_model::{CheckType, LivenessType, RecommendationValue, SessionState};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Bytes carried in JSON as standard base64 (padding optional when read).
#[derive(Clone, Default, PartialEq, Eq)]
struct Base64Bytes(Bytes);

impl Serialize for Base64Bytes {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&base64::engine::general_purpose::STANDARD.encode(&self.0))
    }
}

impl<'de> Deserialize<'de> for Base64Bytes {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        let engine = base64::engine::GeneralPurpose::new(
            &base64::alphabet::STANDARD,
            base64::engine::GeneralPurposeConfig::new()
                .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
        );
        engine
            .decode(text.trim())
            .map(|bytes| Self(Bytes::from(bytes)))
            .map_err(|_| serde::de::Error::custom("not valid standard base64"))
    }
}

/// An uploaded file: a page image, a liveness frame or image, or a supplementary document's
/// file. Sent as `{"content_type": "image/jpeg", "content": "<base64>"}`.
///
/// The sandbox accepts `image/jpeg` (and `image/jpg`) and `image/png` for images, and
/// `application/pdf` too for a supplementary document's file, and checks that the bytes are
/// what the type says. `Debug` shows the type and the size, never the bytes.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Upload {
    content_type: String,
    content: Base64Bytes,
}

impl fmt::Debug for Upload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Upload")
            .field("content_type", &self.content_type)
            .field("len", &self.content.0.len())
            .finish()
    }
}

impl Upload {
    /// Bytes of the given content type.
    pub fn new(content_type: impl Into<String>, bytes: impl Into<Bytes>) -> Self {
        Self {
            content_type: content_type.into(),
            content: Base64Bytes(bytes.into()),
        }
    }

    /// A JPEG image.
    pub fn jpeg(bytes: impl Into<Bytes>) -> Self {
        Self::new("image/jpeg", bytes)
    }

    /// A PNG image.
    pub fn png(bytes: impl Into<Bytes>) -> Self {
        Self::new("image/png", bytes)
    }

    /// A PDF file (a supplementary document's `file`).
    pub fn pdf(bytes: impl Into<Bytes>) -> Self {
        Self::new("application/pdf", bytes)
    }

    /// The content type, as given.
    pub fn content_type(&self) -> &str {
        &self.content_type
    }

    /// The bytes.
    pub fn bytes(&self) -> &Bytes {
        &self.content.0
    }
}

/// The body of `POST {base}/user/sessions/{id}/id-documents`: an ID document of a type and
/// issuing country the session accepts, with its page images (or none: the sandbox then
/// synthesises one image per page, with capture frames), and optional `document_fields`
/// that override what text extraction reports.
///
/// ```
/// use idv_sandbox::{IdDocumentUpload, Upload};
///
/// let passport = IdDocumentUpload::new("PASSPORT", "GBR")
///     .page(Upload::png(&b"\x89PNG\r\n\x1a\n..."[..]))
///     .document_field("full_name", "ANGELA ZOE SPECIMEN");
/// let json = serde_json::to_value(&passport)?;
/// assert_eq!(json["issuing_country"], "GBR");
/// assert_eq!(json["pages"][0]["content_type"], "image/png");
/// assert_eq!(json["document_fields"]["full_name"], "ANGELA ZOE SPECIMEN");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct IdDocumentUpload {
    /// `PASSPORT`, `DRIVING_LICENCE`, `NATIONAL_ID`, … (see `GET /supported-documents`).
    pub document_type: String,
    /// The ISO 3166-1 alpha-3 code of the issuing country (`GBR`).
    pub issuing_country: String,
    /// The page images, in order; empty: synthesised.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pages: Vec<Upload>,
    /// Fields that replace or add to the extracted `document_fields` (at most 1,000 JSON
    /// values in all).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::user::bounded::bounded_fields"
    )]
    pub document_fields: Option<Map<String, Value>>,
}

impl IdDocumentUpload {
    /// A document of this type and issuing country, with synthesised pages.
    pub fn new(document_type: impl Into<String>, issuing_country: impl Into<String>) -> Self {
        Self {
            document_type: document_type.into(),
            issuing_country: issuing_country.into(),
            pages: Vec::new(),
            document_fields: None,
        }
    }

    /// Adds a page image.
    #[must_use]
    pub fn page(mut self, image: Upload) -> Self {
        self.pages.push(image);
        self
    }

    /// Sets one extracted field (`full_name`, `date_of_birth`, …).
    #[must_use]
    pub fn document_field(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.document_fields
            .get_or_insert_with(Map::new)
            .insert(name.into(), value.into());
        self
    }
}

/// The body of `POST {base}/user/sessions/{id}/supplementary-documents`: a supplementary
/// document (a proof of address such as a `UTILITY_BILL`) with its page images and/or its
/// `file` (a PDF); with neither, one page image is synthesised.
///
/// ```
/// use idv_sandbox::{SupplementaryDocumentUpload, Upload};
///
/// let bill = SupplementaryDocumentUpload::new("UTILITY_BILL", "GBR")
///     .file(Upload::pdf(&b"%PDF-1.4 ..."[..]));
/// assert_eq!(serde_json::to_value(&bill)?["file"]["content_type"], "application/pdf");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct SupplementaryDocumentUpload {
    /// `UTILITY_BILL`, `BANK_STATEMENT`, `COUNCIL_TAX`, …
    pub document_type: String,
    /// The ISO 3166-1 alpha-3 code of the issuing country.
    pub issuing_country: String,
    /// The page images, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pages: Vec<Upload>,
    /// The document as a file (PDF or image).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<Upload>,
    /// Fields that replace or add to the extracted `document_fields` (at most 1,000 JSON
    /// values in all).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::user::bounded::bounded_fields"
    )]
    pub document_fields: Option<Map<String, Value>>,
}

impl SupplementaryDocumentUpload {
    /// A document of this type and issuing country, with a synthesised page.
    pub fn new(document_type: impl Into<String>, issuing_country: impl Into<String>) -> Self {
        Self {
            document_type: document_type.into(),
            issuing_country: issuing_country.into(),
            pages: Vec::new(),
            file: None,
            document_fields: None,
        }
    }

    /// Adds a page image.
    #[must_use]
    pub fn page(mut self, image: Upload) -> Self {
        self.pages.push(image);
        self
    }

    /// Sets the document's file.
    #[must_use]
    pub fn file(mut self, file: Upload) -> Self {
        self.file = Some(file);
        self
    }

    /// Sets one extracted field.
    #[must_use]
    pub fn document_field(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.document_fields
            .get_or_insert_with(Map::new)
            .insert(name.into(), value.into());
        self
    }
}

/// The body of `POST {base}/user/sessions/{id}/liveness`: a liveness capture. `ZOOM` has a
/// facemap (always synthesised) and frames (uploaded, or three synthesised); `STATIC` has one
/// image (uploaded or synthesised). Without a `liveness_type`, the type the session requires
/// is used.
///
/// ```
/// use idv_model::LivenessType;
/// use idv_sandbox::LivenessUpload;
///
/// let zoom = LivenessUpload::new(LivenessType::Zoom);
/// assert_eq!(serde_json::to_string(&zoom)?, r#"{"liveness_type":"ZOOM"}"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct LivenessUpload {
    /// `ZOOM` or `STATIC`; absent: the type the session requires.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub liveness_type: Option<LivenessType>,
    /// `ZOOM` frames.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub frames: Vec<Upload>,
    /// The `STATIC` image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<Upload>,
}

impl LivenessUpload {
    /// A capture of this type, with synthesised media.
    pub fn new(liveness_type: LivenessType) -> Self {
        Self {
            liveness_type: Some(liveness_type),
            ..Self::default()
        }
    }

    /// A capture of the type the session requires, with synthesised media.
    pub fn required_type() -> Self {
        Self::default()
    }

    /// Adds a `ZOOM` frame.
    #[must_use]
    pub fn frame(mut self, image: Upload) -> Self {
        self.frames.push(image);
        self
    }

    /// Sets the `STATIC` image.
    #[must_use]
    pub fn image(mut self, image: Upload) -> Self {
        self.image = Some(image);
        self
    }
}

/// The body of `POST {base}/user/sessions/{id}/finish`: how the session's checks come out.
/// Every check is `APPROVE` unless `recommendation` says otherwise, and `recommendations`
/// overrides it per check type (`{"LIVENESS": "REJECT"}`). Values: `APPROVE`, `REJECT`,
/// `NOT_AVAILABLE`, `CONSIDER`.
///
/// ```
/// use idv_model::{CheckType, RecommendationValue};
/// use idv_sandbox::FinishOptions;
///
/// let options = FinishOptions::default()
///     .check(CheckType::Liveness, RecommendationValue::Reject);
/// assert_eq!(serde_json::to_string(&options)?, r#"{"recommendations":{"LIVENESS":"REJECT"}}"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct FinishOptions {
    /// The recommendation of every check not named in `recommendations` (default `APPROVE`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recommendation: Option<RecommendationValue>,
    /// The recommendation by check type.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub recommendations: BTreeMap<String, RecommendationValue>,
}

impl FinishOptions {
    /// Sets the recommendation of every check not named with [`check`](Self::check).
    #[must_use]
    pub fn recommendation(mut self, value: RecommendationValue) -> Self {
        self.recommendation = Some(value);
        self
    }

    /// Sets the recommendation of the checks of one type (a [`CheckType`], or its wire
    /// text).
    #[must_use]
    pub fn check(mut self, check_type: impl Into<CheckType>, value: RecommendationValue) -> Self {
        self.recommendations
            .insert(check_type.into().as_str().to_owned(), value);
        self
    }
}

/// The response to adding a resource (`201`): its id and the ids of its media (page images,
/// frames, facemap, image, file), all readable with the app's media route.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AddedResource {
    /// The new resource's id (as in `resources.*[].id`).
    pub resource_id: String,
    /// The id of the requirement it meets (as in the configuration).
    pub requirement_id: String,
    /// Its media ids, in document order.
    pub media_ids: Vec<String>,
}

/// One requirement of a session, as the user side sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RequirementStatus {
    /// The requirement's id (as in the configuration).
    pub id: String,
    /// `ID_DOCUMENT`, `SUPPLEMENTARY_DOCUMENT`, `LIVENESS` or `FACE_CAPTURE`.
    #[serde(rename = "type")]
    pub requirement_type: String,
    /// The resource that meets it, once one does.
    pub resource_id: Option<String>,
    /// Whether `finish` needs it met (a `FACE_CAPTURE` is uploaded by the relying business,
    /// so the user's flow does not wait for it).
    pub needed_to_finish: bool,
}

/// The response of `GET {base}/user/sessions/{id}` and of `finish`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct UserSessionStatus {
    /// The session id.
    pub session_id: String,
    /// `ONGOING`, `COMPLETED` or `EXPIRED`.
    pub state: SessionState,
    /// Seconds the client session token stays valid (0 once expired).
    pub client_session_token_ttl: i64,
    /// The session's requirements and which resource meets each.
    pub requirements: Vec<RequirementStatus>,
    /// `sdk_config.success_url` of the specification: where the web flow sends the user when
    /// the session is finished (absent when not set).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success_url: Option<String>,
    /// `sdk_config.error_url` of the specification: where the web flow sends the user when
    /// it fails (absent when not set).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_url: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uploads_round_trip_as_base64() {
        let upload = Upload::jpeg(&b"\xff\xd8\xff\xe0abc"[..]);
        let json = serde_json::to_string(&upload).expect("json");
        assert_eq!(
            json,
            r#"{"content_type":"image/jpeg","content":"/9j/4GFiYw=="}"#
        );
        let back: Upload = serde_json::from_str(&json).expect("parse");
        assert_eq!(back, upload);
        let unpadded: Upload =
            serde_json::from_str(r#"{"content_type":"image/jpeg","content":"/9j/4GFiYw"}"#)
                .expect("padding is optional");
        assert_eq!(unpadded, upload);
        assert!(!format!("{upload:?}").contains("abc"));
    }

    #[test]
    fn bad_bodies_name_the_path() {
        let err = idv_model::from_slice::<IdDocumentUpload>(
            br#"{"document_type":"PASSPORT","issuing_country":"GBR",
                 "pages":[{"content_type":"image/png","content":"%%%"}]}"#,
        )
        .expect_err("bad base64");
        assert_eq!(err.path(), "pages[0].content");
        let err = idv_model::from_slice::<IdDocumentUpload>(
            br#"{"document_type":"PASSPORT","issuing_country":"GBR","colour":"red"}"#,
        )
        .expect_err("unknown key");
        assert!(err.message().contains("unknown field"), "{err}");
        let err = idv_model::from_slice::<LivenessUpload>(br#"{"liveness_type":5}"#)
            .expect_err("wrong type");
        assert_eq!(err.path(), "liveness_type");
    }
}
