//! Finding things in a [`Session`]: its state, its resources (of every kind) and checks by id.

use std::fmt;

use crate::{
    ApplicantProfile, Check, FaceCapture, IdDocument, LivenessCapture, Session, SessionState,
    ShareCode, Source, SupplementaryDocument, Task,
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
    /// The JSON key of the array under `resources` (also the directory of
    /// [`MediaLocation::path_hint`](crate::MediaLocation::path_hint)).
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

impl Session {
    /// The session state, if present.
    pub fn state(&self) -> Option<&SessionState> {
        self.state.as_ref()
    }

    /// Whether the session is finished; see [`SessionState::is_finished`] (the one definition:
    /// `COMPLETED` and `EXPIRED` are final, unknown states are not). `false` without a state.
    pub fn is_finished(&self) -> bool {
        self.state.as_ref().is_some_and(SessionState::is_finished)
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
}
