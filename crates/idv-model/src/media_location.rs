//! Where a media reference sits in a session: [`MediaLocation`], its keys and [`MediaRef`].

use std::fmt;

use crate::{CheckType, MediaType, ResourceKind, TaskType};

/// Identifies a resource within a session, for [`MediaLocation`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ResourceKey {
    /// The kind of resource.
    pub kind: ResourceKind,
    /// Position in its `resources.*` array (0-based).
    pub index: usize,
    /// The resource id.
    pub id: Option<String>,
    /// A filesystem-safe name, unique among the session's resources of this kind even when
    /// compared case-insensitively (macOS, Windows): for documents `DOCUMENT_TYPE-COUNTRY`, for
    /// liveness `LIVENESS_TYPE-<short id>`, otherwise `<short id>` (the first 8 characters of
    /// the id); plus `-N` (N = index + 1) when two share it ignoring case, or when it is a name
    /// Windows reserves (`CON`, `NUL`, `COM1`, …).
    pub label: String,
}

/// Identifies a task within a resource, for [`MediaLocation`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TaskKey {
    /// Position in the resource's `tasks` (0-based).
    pub index: usize,
    /// The task id.
    pub id: Option<String>,
    /// The task type.
    pub task_type: Option<TaskType>,
    /// A filesystem-safe name unique (ignoring case) within the resource: `TASK_TYPE-<short id>`.
    pub label: String,
}

/// Identifies a check within a session, for [`MediaLocation`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CheckKey {
    /// Position in `checks` (0-based).
    pub index: usize,
    /// The check id.
    pub id: Option<String>,
    /// The check type.
    pub check_type: Option<CheckType>,
    /// A filesystem-safe name unique (ignoring case) within the session: `CHECK_TYPE-<short id>`.
    pub label: String,
}

/// Which media field of a share code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ShareCodeField {
    /// `lookup_profile`.
    LookupProfile,
    /// `returned_profile`.
    ReturnedProfile,
    /// `id_photo`.
    IdPhoto,
    /// `file`.
    File,
}

impl ShareCodeField {
    /// The JSON key.
    pub fn as_str(&self) -> &'static str {
        match self {
            ShareCodeField::LookupProfile => "lookup_profile",
            ShareCodeField::ReturnedProfile => "returned_profile",
            ShareCodeField::IdPhoto => "id_photo",
            ShareCodeField::File => "file",
        }
    }
}

/// Where a media reference sits in a session. Page, frame and position numbers are 1-based.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MediaLocation {
    /// A document page's `media`.
    Page {
        /// The document.
        resource: ResourceKey,
        /// Page number.
        page: usize,
    },
    /// A document page's `frames[]`.
    Frame {
        /// The document.
        resource: ResourceKey,
        /// Page number.
        page: usize,
        /// Frame number.
        frame: usize,
    },
    /// A document page's `hologram_frames[]`.
    HologramFrame {
        /// The document.
        resource: ResourceKey,
        /// Page number.
        page: usize,
        /// Frame number.
        frame: usize,
    },
    /// A document's `document_fields`.
    DocumentFields {
        /// The document.
        resource: ResourceKey,
    },
    /// An ID document's `expanded_document_fields`.
    ExpandedDocumentFields {
        /// The document.
        resource: ResourceKey,
    },
    /// An ID document's `document_id_photo`.
    DocumentIdPhoto {
        /// The document.
        resource: ResourceKey,
    },
    /// A supplementary document's `file`.
    SupplementaryFile {
        /// The document.
        resource: ResourceKey,
    },
    /// A ZOOM liveness `facemap`.
    LivenessFacemap {
        /// The liveness capture.
        resource: ResourceKey,
    },
    /// A ZOOM liveness `frames[]`.
    LivenessFrame {
        /// The liveness capture.
        resource: ResourceKey,
        /// Frame number.
        frame: usize,
    },
    /// A STATIC liveness `image`.
    LivenessImage {
        /// The liveness capture.
        resource: ResourceKey,
    },
    /// A face capture's `image`.
    FaceCaptureImage {
        /// The face capture.
        resource: ResourceKey,
    },
    /// An applicant profile's `media`.
    ApplicantProfile {
        /// The applicant profile.
        resource: ResourceKey,
    },
    /// One of a share code's media fields.
    ShareCode {
        /// The share code.
        resource: ResourceKey,
        /// Which field.
        field: ShareCodeField,
    },
    /// A task's `generated_media[]`.
    TaskGeneratedMedia {
        /// The resource the task belongs to.
        resource: ResourceKey,
        /// The task.
        task: TaskKey,
        /// Position in `generated_media`.
        position: usize,
    },
    /// A check's `generated_media[]`.
    CheckGeneratedMedia {
        /// The check.
        check: CheckKey,
        /// Position in `generated_media`.
        position: usize,
    },
    /// A check's `generated_profile`.
    CheckGeneratedProfile {
        /// The check.
        check: CheckKey,
    },
    /// A watchlist check's `report.watchlist_summary.raw_results`.
    WatchlistRawResults {
        /// The check.
        check: CheckKey,
    },
    /// `identity_profile.identity_profile_report.media`.
    IdentityProfileReport,
    /// `advanced_identity_profile.identity_profile_report.media`.
    AdvancedIdentityProfileReport,
    /// `identity_profile_preview`.
    IdentityProfilePreview,
    /// `advanced_identity_profile_preview`.
    AdvancedIdentityProfilePreview,
    /// `import_token.media`.
    ImportToken,
}

impl MediaLocation {
    /// A relative file-path stem for this media, stable, filesystem-safe (`[A-Za-z0-9_-]` and
    /// `/`, no component a Windows reserved name) and unique within the session even on a
    /// case-insensitive file system, e.g. `id_documents/PASSPORT-GBR/page-1/frame-2`,
    /// `applicant_profiles/9ab4729c/media`,
    /// `checks/IBV_VISUAL_REVIEW_CHECK-9f1b2c3d/generated_media-1`. Add an extension for the
    /// content type.
    pub fn path_hint(&self) -> String {
        fn res(r: &ResourceKey) -> String {
            format!("{}/{}", r.kind.as_str(), r.label)
        }
        match self {
            MediaLocation::Page { resource, page } => {
                format!("{}/page-{page}/media", res(resource))
            }
            MediaLocation::Frame {
                resource,
                page,
                frame,
            } => {
                format!("{}/page-{page}/frame-{frame}", res(resource))
            }
            MediaLocation::HologramFrame {
                resource,
                page,
                frame,
            } => {
                format!("{}/page-{page}/hologram_frame-{frame}", res(resource))
            }
            MediaLocation::DocumentFields { resource } => {
                format!("{}/document_fields", res(resource))
            }
            MediaLocation::ExpandedDocumentFields { resource } => {
                format!("{}/expanded_document_fields", res(resource))
            }
            MediaLocation::DocumentIdPhoto { resource } => {
                format!("{}/document_id_photo", res(resource))
            }
            MediaLocation::SupplementaryFile { resource } => format!("{}/file", res(resource)),
            MediaLocation::LivenessFacemap { resource } => format!("{}/facemap", res(resource)),
            MediaLocation::LivenessFrame { resource, frame } => {
                format!("{}/frame-{frame}", res(resource))
            }
            MediaLocation::LivenessImage { resource }
            | MediaLocation::FaceCaptureImage { resource } => {
                format!("{}/image", res(resource))
            }
            MediaLocation::ApplicantProfile { resource } => format!("{}/media", res(resource)),
            MediaLocation::ShareCode { resource, field } => {
                format!("{}/{}", res(resource), field.as_str())
            }
            MediaLocation::TaskGeneratedMedia {
                resource,
                task,
                position,
            } => {
                format!(
                    "{}/tasks/{}/generated_media-{position}",
                    res(resource),
                    task.label
                )
            }
            MediaLocation::CheckGeneratedMedia { check, position } => {
                format!("checks/{}/generated_media-{position}", check.label)
            }
            MediaLocation::CheckGeneratedProfile { check } => {
                format!("checks/{}/generated_profile", check.label)
            }
            MediaLocation::WatchlistRawResults { check } => {
                format!("checks/{}/watchlist_raw_results", check.label)
            }
            MediaLocation::IdentityProfileReport => "identity_profile/report".to_owned(),
            MediaLocation::AdvancedIdentityProfileReport => {
                "advanced_identity_profile/report".to_owned()
            }
            MediaLocation::IdentityProfilePreview => "identity_profile_preview".to_owned(),
            MediaLocation::AdvancedIdentityProfilePreview => {
                "advanced_identity_profile_preview".to_owned()
            }
            MediaLocation::ImportToken => "import_token".to_owned(),
        }
    }

    /// The resource this media belongs to, if any.
    pub fn resource(&self) -> Option<&ResourceKey> {
        match self {
            MediaLocation::Page { resource, .. }
            | MediaLocation::Frame { resource, .. }
            | MediaLocation::HologramFrame { resource, .. }
            | MediaLocation::DocumentFields { resource }
            | MediaLocation::ExpandedDocumentFields { resource }
            | MediaLocation::DocumentIdPhoto { resource }
            | MediaLocation::SupplementaryFile { resource }
            | MediaLocation::LivenessFacemap { resource }
            | MediaLocation::LivenessFrame { resource, .. }
            | MediaLocation::LivenessImage { resource }
            | MediaLocation::FaceCaptureImage { resource }
            | MediaLocation::ApplicantProfile { resource }
            | MediaLocation::ShareCode { resource, .. }
            | MediaLocation::TaskGeneratedMedia { resource, .. } => Some(resource),
            _ => None,
        }
    }

    /// The check this media belongs to, if any.
    pub fn check(&self) -> Option<&CheckKey> {
        match self {
            MediaLocation::CheckGeneratedMedia { check, .. }
            | MediaLocation::CheckGeneratedProfile { check }
            | MediaLocation::WatchlistRawResults { check } => Some(check),
            _ => None,
        }
    }
}

impl fmt::Display for MediaLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.path_hint())
    }
}

/// One media reference of a session: its id, declared type and where it sits.
#[derive(Clone, Debug, PartialEq)]
pub struct MediaRef<'a> {
    /// The media id (for `GET /sessions/{id}/media/{mediaId}/content`).
    pub media_id: &'a str,
    /// The declared media type, if any.
    pub media_type: Option<&'a MediaType>,
    /// Where the reference sits.
    pub location: MediaLocation,
}
