//! The media index: [`Session::media_refs`], every media reference of a session with where it
//! sits.

use crate::labels::{document_keys, id_keys, keys, typed_label, unique_labels};
use crate::{
    CheckKey, GeneratedMedia, Media, MediaHolder, MediaLocation, MediaRef, ResourceKey,
    ResourceKind, Session, ShareCodeField, Task, TaskKey,
};

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

    /// Each generated media item with an id, at its position (1-based).
    fn generated(
        &mut self,
        media: &'a [GeneratedMedia],
        location: impl Fn(usize) -> MediaLocation,
    ) {
        for (g, gm) in media.iter().enumerate() {
            if let Some(id) = gm.id.as_deref() {
                self.out.push(MediaRef {
                    media_id: id,
                    media_type: gm.media_type.as_ref(),
                    location: location(g + 1),
                });
            }
        }
    }

    fn tasks(&mut self, key: &ResourceKey, tasks: &'a [Task]) {
        let bases = tasks
            .iter()
            .enumerate()
            .map(|(i, t)| typed_label(t.task_type.as_ref().map(|t| t.as_str()), t.id.as_deref(), i))
            .collect();
        for ((index, task), label) in tasks.iter().enumerate().zip(unique_labels(bases)) {
            let task_key = TaskKey {
                index,
                id: task.id.clone(),
                task_type: task.task_type.clone(),
                label,
            };
            self.generated(&task.generated_media, |position| {
                MediaLocation::TaskGeneratedMedia {
                    resource: key.clone(),
                    task: task_key.clone(),
                    position,
                }
            });
        }
    }
}

impl Session {
    /// Every media reference of the session with where it sits: document pages, frames and
    /// hologram frames, document fields, expanded document fields, ID photos, supplementary
    /// files, liveness facemaps/frames/images, face-capture images, applicant profiles, share-code
    /// media, task and check generated media, generated profiles, watchlist raw results, identity
    /// profile reports, previews and the import token. Holders without a media id are skipped.
    pub fn media_refs(&self) -> Vec<MediaRef<'_>> {
        let mut c = Collector { out: Vec::new() };
        if let Some(r) = &self.resources {
            let docs = document_keys(
                ResourceKind::IdDocument,
                r.id_documents.iter().map(|d| {
                    (
                        d.id.as_deref(),
                        d.document_type.as_deref(),
                        d.issuing_country.as_deref(),
                    )
                }),
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
            let supp = document_keys(
                ResourceKind::SupplementaryDocument,
                r.supplementary_documents.iter().map(|d| {
                    (
                        d.id.as_deref(),
                        d.document_type.as_deref(),
                        d.issuing_country.as_deref(),
                    )
                }),
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
                        let ty = l.liveness_type.as_ref().map(|t| t.as_str());
                        (l.id.as_deref(), typed_label(ty, l.id.as_deref(), i))
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
                typed_label(
                    ch.check_type.as_ref().map(|t| t.as_str()),
                    ch.id.as_deref(),
                    i,
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
            c.generated(&check.generated_media, |position| {
                MediaLocation::CheckGeneratedMedia {
                    check: key.clone(),
                    position,
                }
            });
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
