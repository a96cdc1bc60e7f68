//! The user side adds resources: each upload is checked (types, sizes, what the bytes are),
//! matched to the first requirement it meets, and stored with its media.
//!
//! Checking happens in two steps so that no lock is held while images are examined:
//! [`check_id_document`] and friends need only the request; [`LiveSession::match_requirement`]
//! and the `add_*` methods run under the sandbox's lock.

use http::StatusCode;
use idv_model::{LivenessType, TrackedDevice, TrackedDeviceEventType};
use serde_json::{Map, Value};

use crate::api_error::ApiError;
use crate::limits::{MAX_IMAGES_PER_RESOURCE, MAX_RESOURCES_PER_SESSION};
use crate::live::requirements::RequirementKind;
use crate::live::{LiveSession, MediaSource, PageRecord, Resource, ResourceBody};
use crate::media::MediaContent;
use crate::user::wire::{
    AddedResource, IdDocumentUpload, LivenessUpload, SupplementaryDocumentUpload, Upload,
};

/// An upload that passed its checks.
#[derive(Debug, Clone)]
pub(crate) struct CheckedUpload {
    content: MediaContent,
    media_type: &'static str,
}

/// A document (ID or supplementary) that passed its checks.
#[derive(Debug, Clone)]
pub(crate) struct CheckedDocument {
    document_type: String,
    issuing_country: String,
    pages: Vec<CheckedUpload>,
    file: Option<CheckedUpload>,
    overrides: Option<Map<String, Value>>,
    overrides_len: usize,
}

impl CheckedDocument {
    /// The bytes it adds to the upload budget.
    pub(crate) fn counted_bytes(&self) -> usize {
        self.pages
            .iter()
            .chain(&self.file)
            .map(|u| u.content.bytes.len())
            .fold(self.overrides_len, usize::saturating_add)
    }
}

/// A liveness capture that passed its checks.
#[derive(Debug, Clone)]
pub(crate) struct CheckedLiveness {
    liveness_type: Option<LivenessType>,
    frames: Vec<CheckedUpload>,
    image: Option<CheckedUpload>,
}

impl CheckedLiveness {
    /// The bytes it adds to the upload budget.
    pub(crate) fn counted_bytes(&self) -> usize {
        self.frames
            .iter()
            .chain(&self.image)
            .map(|u| u.content.bytes.len())
            .fold(0, usize::saturating_add)
    }
}

/// An image content type the sandbox accepts (`image/jpeg`, its alias `image/jpg`,
/// `image/png`; parameters and letter case ignored): its canonical form and the bytes its
/// content starts with.
pub(crate) fn image_type(declared: &str) -> Option<(&'static str, &'static [u8])> {
    let essence = declared
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match essence.as_str() {
        "image/jpeg" | "image/jpg" => Some(("image/jpeg", b"\xff\xd8\xff")),
        "image/png" => Some(("image/png", b"\x89PNG\r\n\x1a\n")),
        _ => None,
    }
}

/// Checks an upload's content type and that its bytes are of that type. `allow_pdf`: a
/// supplementary document's file may be a PDF.
fn check_upload(
    upload: &Upload,
    path: &str,
    allow_pdf: bool,
    errors: &mut Vec<(String, String)>,
) -> Option<CheckedUpload> {
    let declared = upload
        .content_type()
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let (content_type, media_type, magic): (&'static str, &'static str, &[u8]) =
        match (image_type(&declared), declared.as_str()) {
            (Some((content_type, magic)), _) => (content_type, "IMAGE", magic),
            (None, "application/pdf") if allow_pdf => ("application/pdf", "PDF", b"%PDF-"),
            _ => {
                let allowed = if allow_pdf {
                    "must be image/jpeg, image/png or application/pdf"
                } else {
                    "must be image/jpeg or image/png"
                };
                errors.push((format!("{path}.content_type"), allowed.to_owned()));
                return None;
            }
        };
    let bytes = upload.bytes();
    if bytes.is_empty() {
        errors.push((format!("{path}.content"), "must not be empty".to_owned()));
        return None;
    }
    if !bytes.starts_with(magic) {
        errors.push((
            format!("{path}.content"),
            format!("is not {content_type} content"),
        ));
        return None;
    }
    Some(CheckedUpload {
        content: MediaContent {
            content_type,
            bytes: bytes.clone(),
        },
        media_type,
    })
}

fn check_images(
    uploads: &[Upload],
    path: &str,
    errors: &mut Vec<(String, String)>,
) -> Vec<CheckedUpload> {
    if uploads.len() > MAX_IMAGES_PER_RESOURCE {
        errors.push((
            path.to_owned(),
            format!("at most {MAX_IMAGES_PER_RESOURCE} images"),
        ));
        return Vec::new();
    }
    uploads
        .iter()
        .enumerate()
        .filter_map(|(i, u)| check_upload(u, &format!("{path}[{i}]"), false, errors))
        .collect()
}

/// A document type: upper-case letters, digits and `_`, 1–64 characters.
fn check_document_type(value: &str, errors: &mut Vec<(String, String)>) {
    let valid = (1..=64).contains(&value.len())
        && value
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    if !valid {
        errors.push((
            "document_type".to_owned(),
            "must be a document type such as PASSPORT (upper-case letters, digits and _)"
                .to_owned(),
        ));
    }
}

fn check_country(value: &str, errors: &mut Vec<(String, String)>) {
    if !(value.len() == 3 && value.chars().all(|c| c.is_ascii_uppercase())) {
        errors.push((
            "issuing_country".to_owned(),
            "must be a three-letter ISO 3166-1 alpha-3 country code such as GBR".to_owned(),
        ));
    }
}

fn overrides_len(fields: Option<&Map<String, Value>>) -> usize {
    fields.map_or(0, |f| serde_json::to_vec(f).map_or(0, |bytes| bytes.len()))
}

/// Checks an ID document upload.
pub(crate) fn check_id_document(upload: IdDocumentUpload) -> Result<CheckedDocument, ApiError> {
    let mut errors = Vec::new();
    check_document_type(&upload.document_type, &mut errors);
    check_country(&upload.issuing_country, &mut errors);
    let pages = check_images(&upload.pages, "pages", &mut errors);
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    Ok(CheckedDocument {
        overrides_len: overrides_len(upload.document_fields.as_ref()),
        document_type: upload.document_type,
        issuing_country: upload.issuing_country,
        pages,
        file: None,
        overrides: upload.document_fields,
    })
}

/// Checks a supplementary document upload.
pub(crate) fn check_supplementary_document(
    upload: SupplementaryDocumentUpload,
) -> Result<CheckedDocument, ApiError> {
    let mut errors = Vec::new();
    check_document_type(&upload.document_type, &mut errors);
    check_country(&upload.issuing_country, &mut errors);
    let pages = check_images(&upload.pages, "pages", &mut errors);
    let file = upload
        .file
        .as_ref()
        .and_then(|f| check_upload(f, "file", true, &mut errors));
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    Ok(CheckedDocument {
        overrides_len: overrides_len(upload.document_fields.as_ref()),
        document_type: upload.document_type,
        issuing_country: upload.issuing_country,
        pages,
        file,
        overrides: upload.document_fields,
    })
}

/// Checks a liveness upload.
pub(crate) fn check_liveness(upload: &LivenessUpload) -> Result<CheckedLiveness, ApiError> {
    let mut errors = Vec::new();
    let frames = check_images(&upload.frames, "frames", &mut errors);
    let image = upload
        .image
        .as_ref()
        .and_then(|i| check_upload(i, "image", false, &mut errors));
    match &upload.liveness_type {
        Some(LivenessType::Zoom) if upload.image.is_some() => errors.push((
            "image".to_owned(),
            "a ZOOM capture has frames, not an image".to_owned(),
        )),
        Some(LivenessType::Static) if !upload.frames.is_empty() => errors.push((
            "frames".to_owned(),
            "a STATIC capture has one image, not frames".to_owned(),
        )),
        _ => {}
    }
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    Ok(CheckedLiveness {
        liveness_type: upload.liveness_type.clone(),
        frames,
        image,
    })
}

/// The kind of resource being added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Adding {
    IdDocument,
    Supplementary,
    Liveness,
}

impl LiveSession {
    /// The index of the first unmet requirement the resource meets.
    ///
    /// # Errors
    /// 409 `TOO_MANY_RESOURCES` past [`MAX_RESOURCES_PER_SESSION`]; 409
    /// `RESOURCE_NOT_REQUIRED` when no requirement of that kind is unmet; 400 naming the
    /// property when the unmet ones do not accept it.
    pub(crate) fn match_requirement(
        &self,
        adding: Adding,
        document: Option<&CheckedDocument>,
        liveness_type: Option<&LivenessType>,
    ) -> Result<usize, ApiError> {
        if self.resources.len() >= MAX_RESOURCES_PER_SESSION {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "TOO_MANY_RESOURCES",
                format!("a session holds at most {MAX_RESOURCES_PER_SESSION} resources"),
            ));
        }
        let open: Vec<usize> = self
            .requirements
            .iter()
            .enumerate()
            .filter(|(_, r)| r.resource_id.is_none())
            .filter(|(_, r)| {
                matches!(
                    (adding, &r.kind),
                    (Adding::IdDocument, RequirementKind::IdDocument { .. })
                        | (Adding::Supplementary, RequirementKind::Supplementary { .. })
                        | (Adding::Liveness, RequirementKind::Liveness { .. })
                )
            })
            .map(|(i, _)| i)
            .collect();
        if open.is_empty() {
            let what = match adding {
                Adding::IdDocument => "ID document",
                Adding::Supplementary => "supplementary document",
                Adding::Liveness => "liveness capture",
            };
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "RESOURCE_NOT_REQUIRED",
                format!("the session requires no further {what}"),
            ));
        }
        let found = open.iter().copied().find(|&i| {
            let requirement = &self.requirements[i];
            match (adding, document, &requirement.kind) {
                (Adding::IdDocument, Some(d), _) => {
                    requirement.accepts_id_document(&d.document_type, &d.issuing_country)
                }
                (Adding::Supplementary, Some(d), _) => {
                    requirement.accepts_supplementary(&d.document_type, &d.issuing_country)
                }
                (
                    Adding::Liveness,
                    _,
                    RequirementKind::Liveness {
                        liveness_type: wanted,
                    },
                ) => liveness_type.is_none_or(|given| given == wanted),
                _ => false,
            }
        });
        found.ok_or_else(|| match adding {
            Adding::Liveness => ApiError::invalid(
                "liveness_type",
                "is not a liveness type this session requires (see its configuration)",
            ),
            _ => ApiError::validation(vec![
                (
                    "document_type".to_owned(),
                    "this document type from this issuing country is not one the session \
                     accepts (see its configuration)"
                        .to_owned(),
                ),
                (
                    "issuing_country".to_owned(),
                    "this issuing country with this document type is not one the session \
                     accepts (see its configuration)"
                        .to_owned(),
                ),
            ]),
        })
    }

    /// The resources' `source` type.
    fn user_source(&self) -> &'static str {
        if self.plan.ibv_mandatory {
            "IBV"
        } else {
            "END_USER"
        }
    }

    fn store_upload(&mut self, upload: CheckedUpload, now_ms: u64) -> String {
        let len = upload.content.bytes.len();
        self.add_media(
            upload.media_type,
            MediaSource::Stored(upload.content),
            len,
            now_ms,
        )
    }

    fn pages(
        &mut self,
        uploads: Vec<CheckedUpload>,
        synthesised: usize,
        frames: usize,
        now_ms: u64,
    ) -> Vec<PageRecord> {
        if uploads.is_empty() {
            (0..synthesised)
                .map(|_| PageRecord {
                    capture_method: "CAMERA",
                    media_id: self.add_synthesised("IMAGE", now_ms),
                    frame_ids: (0..frames)
                        .map(|_| self.add_synthesised("IMAGE", now_ms))
                        .collect(),
                })
                .collect()
        } else {
            uploads
                .into_iter()
                .map(|upload| PageRecord {
                    capture_method: "UPLOAD",
                    media_id: self.store_upload(upload, now_ms),
                    frame_ids: Vec::new(),
                })
                .collect()
        }
    }

    /// Adds a resource meeting requirement `index` and records its tracked-device event.
    fn push_resource(
        &mut self,
        index: usize,
        body: ResourceBody,
        now_ms: u64,
        device: TrackedDevice,
    ) -> AddedResource {
        let id = uuid::Uuid::new_v4().to_string();
        let media_ids = media_of(&body);
        if let Some(requirement) = self.requirements.get_mut(index) {
            requirement.resource_id = Some(id.clone());
        }
        let requirement_id = self
            .requirements
            .get(index)
            .map(|r| r.id.clone())
            .unwrap_or_default();
        self.resources.push(Resource {
            id: id.clone(),
            source: self.user_source(),
            created_ms: now_ms,
            updated_ms: now_ms,
            tasks: Vec::new(),
            fields_ready_ms: 0,
            body,
        });
        self.track(
            TrackedDeviceEventType::ResourceCreated,
            Some(id.clone()),
            now_ms,
            device,
        );
        AddedResource {
            resource_id: id,
            requirement_id,
            media_ids,
        }
    }

    /// Adds an ID document meeting requirement `index`. Without uploaded pages: a passport
    /// gets one page with three frames, other documents two pages with two frames each.
    pub(crate) fn add_id_document(
        &mut self,
        index: usize,
        document: CheckedDocument,
        now_ms: u64,
        device: TrackedDevice,
    ) -> AddedResource {
        let passport = document.document_type == "PASSPORT";
        let (count, frames) = if passport { (1, 3) } else { (2, 2) };
        let pages = self.pages(document.pages, count, frames, now_ms);
        self.counted_bytes = self.counted_bytes.saturating_add(document.overrides_len);
        let body = ResourceBody::IdDocument {
            document_type: document.document_type,
            issuing_country: document.issuing_country,
            pages,
            overrides: document.overrides,
            document_fields: None,
            document_id_photo: None,
            expanded_document_fields: None,
        };
        self.push_resource(index, body, now_ms, device)
    }

    /// Adds a supplementary document meeting requirement `index`. With neither pages nor a
    /// file, one page is synthesised (without frames, as on the product page).
    pub(crate) fn add_supplementary_document(
        &mut self,
        index: usize,
        document: CheckedDocument,
        now_ms: u64,
        device: TrackedDevice,
    ) -> AddedResource {
        let synthesised = usize::from(document.file.is_none());
        let pages = self.pages(document.pages, synthesised, 0, now_ms);
        let file = document.file.map(|f| self.store_upload(f, now_ms));
        self.counted_bytes = self.counted_bytes.saturating_add(document.overrides_len);
        let body = ResourceBody::Supplementary {
            document_type: document.document_type,
            issuing_country: document.issuing_country,
            pages,
            file,
            overrides: document.overrides,
            document_fields: None,
        };
        self.push_resource(index, body, now_ms, device)
    }

    /// Adds a liveness capture meeting requirement `index` (of that requirement's type). The
    /// first one records the biometric consent, unless the specification blocks it.
    pub(crate) fn add_liveness(
        &mut self,
        index: usize,
        liveness: CheckedLiveness,
        now_ms: u64,
        device: TrackedDevice,
    ) -> AddedResource {
        let liveness_type = match self.requirements.get(index).map(|r| &r.kind) {
            Some(RequirementKind::Liveness { liveness_type }) => liveness_type.clone(),
            _ => liveness.liveness_type.clone().unwrap_or(LivenessType::Zoom),
        };
        let body = if liveness_type == LivenessType::Static {
            let image = match liveness.image {
                Some(image) => self.store_upload(image, now_ms),
                None => self.add_synthesised("IMAGE", now_ms),
            };
            ResourceBody::Liveness {
                liveness_type,
                facemap: None,
                frames: Vec::new(),
                image: Some(image),
            }
        } else {
            let facemap = self.add_synthesised("BINARY", now_ms);
            let frames = if liveness.frames.is_empty() {
                (0..3)
                    .map(|_| self.add_synthesised("IMAGE", now_ms))
                    .collect()
            } else {
                liveness
                    .frames
                    .into_iter()
                    .map(|f| self.store_upload(f, now_ms))
                    .collect()
            };
            ResourceBody::Liveness {
                liveness_type,
                facemap: Some(facemap),
                frames,
                image: None,
            }
        };
        if !self.plan.block_biometric_consent {
            self.biometric_consent_ms.get_or_insert(now_ms);
        }
        self.push_resource(index, body, now_ms, device)
    }
}

/// A resource's media ids, in document order.
pub(crate) fn media_of(body: &ResourceBody) -> Vec<String> {
    let pages = |pages: &[PageRecord]| -> Vec<String> {
        pages
            .iter()
            .flat_map(|p| std::iter::once(p.media_id.clone()).chain(p.frame_ids.iter().cloned()))
            .collect()
    };
    match body {
        ResourceBody::IdDocument { pages: p, .. } => pages(p),
        ResourceBody::Supplementary { pages: p, file, .. } => {
            let mut out = pages(p);
            out.extend(file.iter().cloned());
            out
        }
        ResourceBody::Liveness {
            facemap,
            frames,
            image,
            ..
        } => facemap.iter().chain(frames).chain(image).cloned().collect(),
        ResourceBody::ApplicantProfile { media_id } => vec![media_id.clone()],
        ResourceBody::FaceCapture { image, .. } => image.iter().cloned().collect(),
    }
}
