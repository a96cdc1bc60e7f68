//! Reviewer helpers on [`Session`]: resources by id, checks by resource, the media index and the
//! recommendation summary.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;

use crate::Session;
use crate::{
    ApplicantProfile, Check, CheckState, CheckType, FaceCapture, IdDocument, LivenessCapture,
    Media, MediaHolder, MediaType, RecommendationValue, SessionState, ShareCode, Source,
    SupplementaryDocument, Task, TaskType,
};

/// The kind of a resource (the array of `resources` it sits in).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum ResourceKind {
    /// `id_documents`.
    IdDocument,
    /// `supplementary_documents`.
    SupplementaryDocument,
    /// `liveness_capture`.
    LivenessCapture,
    /// `face_capture`.
    FaceCapture,
    /// `applicant_profiles`.
    ApplicantProfile,
    /// `share_codes`.
    ShareCode,
}

impl ResourceKind {
    /// The JSON key of the array under `resources` (also the directory of [`MediaLocation::path_hint`]).
    pub fn as_str(&self) -> &'static str {
        match self {
            ResourceKind::IdDocument => "id_documents",
            ResourceKind::SupplementaryDocument => "supplementary_documents",
            ResourceKind::LivenessCapture => "liveness_capture",
            ResourceKind::FaceCapture => "face_capture",
            ResourceKind::ApplicantProfile => "applicant_profiles",
            ResourceKind::ShareCode => "share_codes",
        }
    }
}

impl fmt::Display for ResourceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A reference to any resource of a session.
#[derive(Clone, Copy, Debug, PartialEq)]
#[non_exhaustive]
pub enum ResourceRef<'a> {
    /// An ID document.
    IdDocument(&'a IdDocument),
    /// A supplementary document.
    SupplementaryDocument(&'a SupplementaryDocument),
    /// A liveness capture.
    LivenessCapture(&'a LivenessCapture),
    /// A face capture.
    FaceCapture(&'a FaceCapture),
    /// An applicant profile.
    ApplicantProfile(&'a ApplicantProfile),
    /// A share code.
    ShareCode(&'a ShareCode),
}

impl<'a> ResourceRef<'a> {
    /// The kind of resource.
    pub fn kind(&self) -> ResourceKind {
        match self {
            ResourceRef::IdDocument(_) => ResourceKind::IdDocument,
            ResourceRef::SupplementaryDocument(_) => ResourceKind::SupplementaryDocument,
            ResourceRef::LivenessCapture(_) => ResourceKind::LivenessCapture,
            ResourceRef::FaceCapture(_) => ResourceKind::FaceCapture,
            ResourceRef::ApplicantProfile(_) => ResourceKind::ApplicantProfile,
            ResourceRef::ShareCode(_) => ResourceKind::ShareCode,
        }
    }

    /// The resource id.
    pub fn id(&self) -> Option<&'a str> {
        match self {
            ResourceRef::IdDocument(r) => r.id.as_deref(),
            ResourceRef::SupplementaryDocument(r) => r.id.as_deref(),
            ResourceRef::LivenessCapture(r) => r.id.as_deref(),
            ResourceRef::FaceCapture(r) => r.id.as_deref(),
            ResourceRef::ApplicantProfile(r) => r.id.as_deref(),
            ResourceRef::ShareCode(r) => r.id.as_deref(),
        }
    }

    /// The resource's tasks.
    pub fn tasks(&self) -> &'a [Task] {
        match self {
            ResourceRef::IdDocument(r) => &r.tasks,
            ResourceRef::SupplementaryDocument(r) => &r.tasks,
            ResourceRef::LivenessCapture(r) => &r.tasks,
            ResourceRef::FaceCapture(r) => &r.tasks,
            ResourceRef::ApplicantProfile(r) => &r.tasks,
            ResourceRef::ShareCode(r) => &r.tasks,
        }
    }

    /// The resource's source.
    pub fn source(&self) -> Option<&'a Source> {
        match self {
            ResourceRef::IdDocument(r) => r.source.as_ref(),
            ResourceRef::SupplementaryDocument(r) => r.source.as_ref(),
            ResourceRef::LivenessCapture(r) => r.source.as_ref(),
            ResourceRef::FaceCapture(r) => r.source.as_ref(),
            ResourceRef::ApplicantProfile(r) => r.source.as_ref(),
            ResourceRef::ShareCode(r) => r.source.as_ref(),
        }
    }
}

/// Identifies a resource within a session, for [`MediaLocation`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ResourceKey {
    /// The kind of resource.
    pub kind: ResourceKind,
    /// Position in its `resources.*` array (0-based).
    pub index: usize,
    /// The resource id.
    pub id: Option<String>,
    /// A filesystem-safe name, unique among the session's resources of this kind: for documents
    /// `DOCUMENT_TYPE-COUNTRY` (plus `-N`, N = index + 1, when two share it), for liveness
    /// `LIVENESS_TYPE-<short id>`, otherwise `<short id>` (the first 8 characters of the id).
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
    /// A filesystem-safe name unique within the resource: `TASK_TYPE-<short id>`.
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
    /// A filesystem-safe name unique within the session: `CHECK_TYPE-<short id>`.
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
    /// `/`) and unique within the session, e.g. `id_documents/PASSPORT-GBR/page-1/frame-2`,
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

/// Counts of check recommendations and states: see [`Session::recommendation_summary`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RecommendationSummary {
    /// Number of checks.
    pub total_checks: usize,
    /// Checks recommended `APPROVE`.
    pub approve: usize,
    /// Checks recommended `REJECT`.
    pub reject: usize,
    /// Checks recommended `NOT_AVAILABLE`.
    pub not_available: usize,
    /// Checks recommended `CONSIDER`.
    pub consider: usize,
    /// Checks with another recommendation value, by value.
    pub other: BTreeMap<String, usize>,
    /// Checks without a report recommendation value.
    pub without_recommendation: usize,
    /// Checks by `state` text (checks without a state are not counted here).
    pub by_state: BTreeMap<String, usize>,
    /// Whether there is at least one check and every check is `DONE`.
    pub all_done: bool,
}

impl RecommendationSummary {
    /// The number of checks with this recommendation value.
    pub fn count(&self, value: &RecommendationValue) -> usize {
        match value {
            RecommendationValue::Approve => self.approve,
            RecommendationValue::Reject => self.reject,
            RecommendationValue::NotAvailable => self.not_available,
            RecommendationValue::Consider => self.consider,
            other => self.other.get(other.as_str()).copied().unwrap_or(0),
        }
    }

    /// Whether there is at least one check and every check is recommended `APPROVE`.
    pub fn all_approved(&self) -> bool {
        self.total_checks > 0 && self.approve == self.total_checks
    }
}

impl fmt::Display for RecommendationSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} checks: {} APPROVE, {} REJECT, {} NOT_AVAILABLE, {} CONSIDER",
            self.total_checks, self.approve, self.reject, self.not_available, self.consider
        )?;
        for (value, n) in &self.other {
            write!(f, ", {n} {value}")?;
        }
        if self.without_recommendation > 0 {
            write!(
                f,
                ", {} without recommendation",
                self.without_recommendation
            )?;
        }
        write!(
            f,
            "; {}",
            if self.all_done {
                "all DONE"
            } else {
                "not all DONE"
            }
        )
    }
}

/// A filesystem-safe path segment: `[A-Za-z0-9_-]`, at most 64 characters, never empty.
fn safe_segment(text: &str) -> String {
    let s: String = text
        .chars()
        .take(64)
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if s.is_empty() {
        "unknown".to_owned()
    } else {
        s
    }
}

fn short_id(id: Option<&str>, index: usize) -> String {
    match id {
        Some(id) if !id.is_empty() => safe_segment(&id.chars().take(8).collect::<String>()),
        _ => format!("n{}", index + 1),
    }
}

/// Makes labels unique: a label shared by several entries gets `-N` (N = index + 1).
fn unique_labels(bases: Vec<String>) -> Vec<String> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for b in &bases {
        *counts.entry(b.as_str()).or_default() += 1;
    }
    let mut used = HashSet::new();
    let mut out = Vec::with_capacity(bases.len());
    for (i, b) in bases.iter().enumerate() {
        let mut label = if counts.get(b.as_str()).copied() == Some(1) {
            b.clone()
        } else {
            format!("{b}-{}", i + 1)
        };
        while !used.insert(label.clone()) {
            label.push_str("_x");
        }
        out.push(label);
    }
    out
}

fn document_label(document_type: Option<&str>, country: Option<&str>) -> String {
    format!(
        "{}-{}",
        safe_segment(document_type.unwrap_or("UNKNOWN")),
        safe_segment(country.unwrap_or("UNKNOWN"))
    )
}

/// Keys for resources labelled by their short id alone (face captures, applicant profiles,
/// share codes).
fn id_keys<'a>(kind: ResourceKind, ids: impl Iterator<Item = Option<&'a str>>) -> Vec<ResourceKey> {
    keys(
        kind,
        ids.enumerate()
            .map(|(i, id)| (id, short_id(id, i)))
            .collect(),
    )
}

fn keys(kind: ResourceKind, items: Vec<(Option<&str>, String)>) -> Vec<ResourceKey> {
    let (ids, bases): (Vec<_>, Vec<_>) = items.into_iter().unzip();
    unique_labels(bases)
        .into_iter()
        .zip(ids)
        .enumerate()
        .map(|(index, (label, id))| ResourceKey {
            kind,
            index,
            id: id.map(str::to_owned),
            label,
        })
        .collect()
}

struct Collector<'a> {
    out: Vec<MediaRef<'a>>,
}

impl<'a> Collector<'a> {
    fn media(&mut self, media: Option<&'a Media>, location: impl FnOnce() -> MediaLocation) {
        if let Some(m) = media
            && let Some(id) = m.id.as_deref()
        {
            self.out.push(MediaRef {
                media_id: id,
                media_type: m.media_type.as_ref(),
                location: location(),
            });
        }
    }

    fn holder(
        &mut self,
        holder: Option<&'a MediaHolder>,
        location: impl FnOnce() -> MediaLocation,
    ) {
        self.media(holder.and_then(|h| h.media.as_ref()), location);
    }

    fn pages(&mut self, key: &ResourceKey, pages: &'a [crate::Page]) {
        for (p, page) in pages.iter().enumerate() {
            let page_no = p + 1;
            self.media(page.media.as_ref(), || MediaLocation::Page {
                resource: key.clone(),
                page: page_no,
            });
            for (f, frame) in page.frames.iter().enumerate() {
                self.holder(Some(frame), || MediaLocation::Frame {
                    resource: key.clone(),
                    page: page_no,
                    frame: f + 1,
                });
            }
            for (f, frame) in page.hologram_frames.iter().enumerate() {
                self.holder(Some(frame), || MediaLocation::HologramFrame {
                    resource: key.clone(),
                    page: page_no,
                    frame: f + 1,
                });
            }
        }
    }

    fn tasks(&mut self, key: &ResourceKey, tasks: &'a [Task]) {
        let bases = tasks
            .iter()
            .enumerate()
            .map(|(i, t)| {
                format!(
                    "{}-{}",
                    safe_segment(t.task_type.as_ref().map_or("UNKNOWN", |t| t.as_str())),
                    short_id(t.id.as_deref(), i)
                )
            })
            .collect();
        for ((index, task), label) in tasks.iter().enumerate().zip(unique_labels(bases)) {
            let task_key = TaskKey {
                index,
                id: task.id.clone(),
                task_type: task.task_type.clone(),
                label,
            };
            for (g, gm) in task.generated_media.iter().enumerate() {
                if let Some(id) = gm.id.as_deref() {
                    self.out.push(MediaRef {
                        media_id: id,
                        media_type: gm.media_type.as_ref(),
                        location: MediaLocation::TaskGeneratedMedia {
                            resource: key.clone(),
                            task: task_key.clone(),
                            position: g + 1,
                        },
                    });
                }
            }
        }
    }
}

impl Session {
    /// The session state, if present.
    pub fn state(&self) -> Option<&SessionState> {
        self.state.as_ref()
    }

    /// Whether the session is finished: `COMPLETED` or `EXPIRED`.
    pub fn is_finished(&self) -> bool {
        matches!(
            self.state,
            Some(SessionState::Completed | SessionState::Expired)
        )
    }

    /// Every resource of the session, in document order (ID documents, supplementary documents,
    /// liveness captures, face captures, applicant profiles, share codes).
    pub fn all_resources(&self) -> Vec<ResourceRef<'_>> {
        let Some(r) = &self.resources else {
            return Vec::new();
        };
        r.id_documents
            .iter()
            .map(ResourceRef::IdDocument)
            .chain(
                r.supplementary_documents
                    .iter()
                    .map(ResourceRef::SupplementaryDocument),
            )
            .chain(r.liveness_capture.iter().map(ResourceRef::LivenessCapture))
            .chain(r.face_capture.iter().map(ResourceRef::FaceCapture))
            .chain(
                r.applicant_profiles
                    .iter()
                    .map(ResourceRef::ApplicantProfile),
            )
            .chain(r.share_codes.iter().map(ResourceRef::ShareCode))
            .collect()
    }

    /// Finds any resource by id.
    pub fn resource(&self, id: &str) -> Option<ResourceRef<'_>> {
        self.all_resources()
            .into_iter()
            .find(|r| r.id() == Some(id))
    }

    /// Finds a check by id.
    pub fn check(&self, id: &str) -> Option<&Check> {
        self.checks.iter().find(|c| c.id.as_deref() == Some(id))
    }

    /// The checks whose `resources_used` contains `resource_id`, in order.
    pub fn checks_using(&self, resource_id: &str) -> Vec<&Check> {
        self.checks
            .iter()
            .filter(|c| c.resources_used.iter().any(|r| r == resource_id))
            .collect()
    }

    /// Counts recommendations (per value, including unknown ones) and check states.
    pub fn recommendation_summary(&self) -> RecommendationSummary {
        let mut s = RecommendationSummary {
            total_checks: self.checks.len(),
            ..Default::default()
        };
        for check in &self.checks {
            match check
                .report
                .as_ref()
                .and_then(|r| r.recommendation.as_ref())
                .and_then(|r| r.value.as_ref())
            {
                Some(RecommendationValue::Approve) => s.approve += 1,
                Some(RecommendationValue::Reject) => s.reject += 1,
                Some(RecommendationValue::NotAvailable) => s.not_available += 1,
                Some(RecommendationValue::Consider) => s.consider += 1,
                Some(other) => *s.other.entry(other.as_str().to_owned()).or_default() += 1,
                None => s.without_recommendation += 1,
            }
            if let Some(state) = &check.state {
                *s.by_state.entry(state.as_str().to_owned()).or_default() += 1;
            }
        }
        s.all_done = !self.checks.is_empty()
            && self
                .checks
                .iter()
                .all(|c| c.state == Some(CheckState::Done));
        s
    }

    /// Every media reference of the session with where it sits: document pages, frames and
    /// hologram frames, document fields, expanded document fields, ID photos, supplementary
    /// files, liveness facemaps/frames/images, face-capture images, applicant profiles, share-code
    /// media, task and check generated media, generated profiles, watchlist raw results, identity
    /// profile reports, previews and the import token. Holders without a media id are skipped.
    pub fn media_refs(&self) -> Vec<MediaRef<'_>> {
        let mut c = Collector { out: Vec::new() };
        if let Some(r) = &self.resources {
            let docs = keys(
                ResourceKind::IdDocument,
                r.id_documents
                    .iter()
                    .map(|d| {
                        (
                            d.id.as_deref(),
                            document_label(
                                d.document_type.as_deref(),
                                d.issuing_country.as_deref(),
                            ),
                        )
                    })
                    .collect(),
            );
            for (d, key) in r.id_documents.iter().zip(&docs) {
                c.pages(key, &d.pages);
                c.holder(d.document_fields.as_ref(), || {
                    MediaLocation::DocumentFields {
                        resource: key.clone(),
                    }
                });
                c.holder(d.expanded_document_fields.as_ref(), || {
                    MediaLocation::ExpandedDocumentFields {
                        resource: key.clone(),
                    }
                });
                c.holder(d.document_id_photo.as_ref(), || {
                    MediaLocation::DocumentIdPhoto {
                        resource: key.clone(),
                    }
                });
                c.tasks(key, &d.tasks);
            }
            let supp = keys(
                ResourceKind::SupplementaryDocument,
                r.supplementary_documents
                    .iter()
                    .map(|d| {
                        (
                            d.id.as_deref(),
                            document_label(
                                d.document_type.as_deref(),
                                d.issuing_country.as_deref(),
                            ),
                        )
                    })
                    .collect(),
            );
            for (d, key) in r.supplementary_documents.iter().zip(&supp) {
                c.pages(key, &d.pages);
                c.holder(d.document_fields.as_ref(), || {
                    MediaLocation::DocumentFields {
                        resource: key.clone(),
                    }
                });
                c.holder(d.file.as_ref(), || MediaLocation::SupplementaryFile {
                    resource: key.clone(),
                });
                c.tasks(key, &d.tasks);
            }
            let live = keys(
                ResourceKind::LivenessCapture,
                r.liveness_capture
                    .iter()
                    .enumerate()
                    .map(|(i, l)| {
                        let ty = l.liveness_type.as_ref().map_or("UNKNOWN", |t| t.as_str());
                        (
                            l.id.as_deref(),
                            format!("{}-{}", safe_segment(ty), short_id(l.id.as_deref(), i)),
                        )
                    })
                    .collect(),
            );
            for (l, key) in r.liveness_capture.iter().zip(&live) {
                c.holder(l.facemap.as_ref(), || MediaLocation::LivenessFacemap {
                    resource: key.clone(),
                });
                for (f, frame) in l.frames.iter().enumerate() {
                    c.holder(Some(frame), || MediaLocation::LivenessFrame {
                        resource: key.clone(),
                        frame: f + 1,
                    });
                }
                c.holder(l.image.as_ref(), || MediaLocation::LivenessImage {
                    resource: key.clone(),
                });
                c.tasks(key, &l.tasks);
            }
            let faces = id_keys(
                ResourceKind::FaceCapture,
                r.face_capture.iter().map(|f| f.id.as_deref()),
            );
            for (f, key) in r.face_capture.iter().zip(&faces) {
                c.holder(f.image.as_ref(), || MediaLocation::FaceCaptureImage {
                    resource: key.clone(),
                });
                c.tasks(key, &f.tasks);
            }
            let profiles = id_keys(
                ResourceKind::ApplicantProfile,
                r.applicant_profiles.iter().map(|p| p.id.as_deref()),
            );
            for (p, key) in r.applicant_profiles.iter().zip(&profiles) {
                c.media(p.media.as_ref(), || MediaLocation::ApplicantProfile {
                    resource: key.clone(),
                });
                c.tasks(key, &p.tasks);
            }
            let shares = id_keys(
                ResourceKind::ShareCode,
                r.share_codes.iter().map(|s| s.id.as_deref()),
            );
            for (s, key) in r.share_codes.iter().zip(&shares) {
                for (holder, field) in [
                    (&s.lookup_profile, ShareCodeField::LookupProfile),
                    (&s.returned_profile, ShareCodeField::ReturnedProfile),
                    (&s.id_photo, ShareCodeField::IdPhoto),
                    (&s.file, ShareCodeField::File),
                ] {
                    c.holder(holder.as_ref(), || MediaLocation::ShareCode {
                        resource: key.clone(),
                        field,
                    });
                }
                c.tasks(key, &s.tasks);
            }
        }

        let check_bases = self
            .checks
            .iter()
            .enumerate()
            .map(|(i, ch)| {
                format!(
                    "{}-{}",
                    safe_segment(ch.check_type.as_ref().map_or("UNKNOWN", |t| t.as_str())),
                    short_id(ch.id.as_deref(), i)
                )
            })
            .collect();
        for ((index, check), label) in self
            .checks
            .iter()
            .enumerate()
            .zip(unique_labels(check_bases))
        {
            let key = CheckKey {
                index,
                id: check.id.clone(),
                check_type: check.check_type.clone(),
                label,
            };
            for (g, gm) in check.generated_media.iter().enumerate() {
                if let Some(id) = gm.id.as_deref() {
                    c.out.push(MediaRef {
                        media_id: id,
                        media_type: gm.media_type.as_ref(),
                        location: MediaLocation::CheckGeneratedMedia {
                            check: key.clone(),
                            position: g + 1,
                        },
                    });
                }
            }
            c.holder(check.generated_profile.as_ref(), || {
                MediaLocation::CheckGeneratedProfile { check: key.clone() }
            });
            let raw = check
                .report
                .as_ref()
                .and_then(|r| r.watchlist_summary.as_ref())
                .and_then(|w| w.raw_results.as_ref());
            c.holder(raw, || MediaLocation::WatchlistRawResults {
                check: key.clone(),
            });
        }

        let ip_media = self
            .identity_profile
            .as_ref()
            .and_then(|p| p.identity_profile_report.as_ref())
            .and_then(|r| r.media.as_ref());
        c.media(ip_media, || MediaLocation::IdentityProfileReport);
        let aip_media = self
            .advanced_identity_profile
            .as_ref()
            .and_then(|p| p.identity_profile_report.as_ref())
            .and_then(|r| r.media.as_ref());
        c.media(aip_media, || MediaLocation::AdvancedIdentityProfileReport);
        c.holder(self.identity_profile_preview.as_ref(), || {
            MediaLocation::IdentityProfilePreview
        });
        c.holder(self.advanced_identity_profile_preview.as_ref(), || {
            MediaLocation::AdvancedIdentityProfilePreview
        });
        c.media(
            self.import_token.as_ref().and_then(|t| t.media.as_ref()),
            || MediaLocation::ImportToken,
        );
        c.out
    }
}
