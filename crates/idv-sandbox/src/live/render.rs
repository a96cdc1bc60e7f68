//! A created session as the API shows it: `GET /sessions/{id}` (the shapes of the product
//! page's stages; tasks and checks whose scripted delay has not run out read `PENDING`), `GET /sessions/{id}/configuration` (§5.3 of the reference) and the
//! tracked devices (§5.5).

use bytes::Bytes;
use idv_model::SessionState;
use serde_json::{Map, Value, json};

use crate::live::requirements::requirement_json;
use crate::live::{LiveSession, PageRecord, Resource, ResourceBody, Timed};
use crate::timefmt::rfc3339;

/// A check as it reads until it is done: `PENDING`, without a report or generated media.
fn pending_check(done: &Value) -> Value {
    let mut out = json!({
        "type": done["type"],
        "id": done["id"],
        "state": "PENDING",
        "resources_used": done["resources_used"],
        "generated_media": [],
        "created": done["created"],
        "last_updated": done["created"],
    });
    if let Some(scheme) = done.get("scheme") {
        out["scheme"] = scheme.clone();
    }
    out
}

/// A task as it reads until it is done: `PENDING`, nothing generated yet.
fn pending_task(done: &Value) -> Value {
    json!({
        "type": done["type"],
        "id": done["id"],
        "state": "PENDING",
        "created": done["created"],
        "last_updated": done["created"],
        "generated_checks": [],
        "generated_media": [],
    })
}

/// A task or check at `now_ms`: as done once ready, else pending.
fn at(record: &Timed, now_ms: u64, pending: fn(&Value) -> Value) -> Value {
    if now_ms >= record.ready_ms {
        record.json.clone()
    } else {
        pending(&record.json)
    }
}

impl LiveSession {
    /// `{"id", "type", "created", "last_updated"}` of a media item.
    pub(crate) fn media_json(&self, media_id: &str) -> Value {
        let (media_type, created) = self
            .media
            .get(media_id)
            .map_or(("BINARY", 0), |m| (m.media_type, m.created_ms));
        let stamp = rfc3339(created);
        json!({"id": media_id, "type": media_type, "created": stamp, "last_updated": stamp})
    }

    fn holder(&self, media_id: &str) -> Value {
        json!({"media": self.media_json(media_id)})
    }

    fn page_json(&self, page: &PageRecord) -> Value {
        let mut out = json!({
            "capture_method": page.capture_method,
            "media": self.media_json(&page.media_id),
        });
        if !page.frame_ids.is_empty() {
            out["frames"] = page.frame_ids.iter().map(|id| self.holder(id)).collect();
        }
        out
    }

    fn resource_json(&self, resource: &Resource, now_ms: u64) -> Value {
        let mut out = Map::new();
        out.insert("id".to_owned(), json!(resource.id));
        let tasks: Vec<Value> = resource
            .tasks
            .iter()
            .map(|t| at(t, now_ms, pending_task))
            .collect();
        out.insert("tasks".to_owned(), json!(tasks));
        out.insert("source".to_owned(), json!({"type": resource.source}));
        out.insert("created_at".to_owned(), json!(rfc3339(resource.created_ms)));
        out.insert(
            "last_updated".to_owned(),
            json!(rfc3339(resource.updated_ms)),
        );
        let mut holder = |key: &str, media: &Option<String>| {
            if let Some(id) = media {
                out.insert(key.to_owned(), self.holder(id));
            }
        };
        // What the text extraction adds shows once it is done.
        let extracted = now_ms >= resource.fields_ready_ms;
        match &resource.body {
            ResourceBody::IdDocument {
                document_fields,
                document_id_photo,
                expanded_document_fields,
                ..
            } => {
                if extracted {
                    holder("document_fields", document_fields);
                    holder("document_id_photo", document_id_photo);
                    holder("expanded_document_fields", expanded_document_fields);
                }
            }
            ResourceBody::Supplementary {
                document_fields,
                file,
                ..
            } => {
                if extracted {
                    holder("document_fields", document_fields);
                }
                holder("file", file);
            }
            ResourceBody::FaceCapture { image, .. } => holder("image", image),
            ResourceBody::Liveness { facemap, image, .. } => {
                holder("facemap", facemap);
                holder("image", image);
            }
            ResourceBody::ApplicantProfile { media_id } => {
                out.insert("media".to_owned(), self.media_json(media_id));
            }
        }
        match &resource.body {
            ResourceBody::IdDocument {
                document_type,
                issuing_country,
                pages,
                ..
            }
            | ResourceBody::Supplementary {
                document_type,
                issuing_country,
                pages,
                ..
            } => {
                out.insert("document_type".to_owned(), json!(document_type));
                out.insert("issuing_country".to_owned(), json!(issuing_country));
                let pages: Vec<Value> = pages.iter().map(|p| self.page_json(p)).collect();
                out.insert("pages".to_owned(), json!(pages));
            }
            ResourceBody::Liveness {
                liveness_type,
                frames,
                image,
                ..
            } => {
                out.insert("liveness_type".to_owned(), json!(liveness_type.as_str()));
                if image.is_some() {
                    out.insert("capture_type".to_owned(), json!("PHOTOGRAPH"));
                } else {
                    let frames: Vec<Value> = frames.iter().map(|id| self.holder(id)).collect();
                    out.insert("frames".to_owned(), json!(frames));
                }
            }
            ResourceBody::ApplicantProfile { .. } | ResourceBody::FaceCapture { .. } => {}
        }
        Value::Object(out)
    }

    /// The session document at `now_ms`.
    pub(crate) fn session_json(&self, now_ms: u64) -> Value {
        let state = self.state(now_ms);
        let of_kind = |pick: fn(&ResourceBody) -> bool| -> Vec<Value> {
            self.resources
                .iter()
                .filter(|r| pick(&r.body))
                .map(|r| self.resource_json(r, now_ms))
                .collect()
        };
        let checks: Vec<Value> = self
            .checks
            .iter()
            .map(|c| at(c, now_ms, pending_check))
            .collect();
        let mut out = json!({
            "client_session_token_ttl": self.token_ttl_remaining(now_ms),
            "session_id": self.id,
            "state": state.as_str(),
            "resources": {
                "id_documents": of_kind(|b| matches!(b, ResourceBody::IdDocument { .. })),
                "supplementary_documents":
                    of_kind(|b| matches!(b, ResourceBody::Supplementary { .. })),
                "liveness_capture": of_kind(|b| matches!(b, ResourceBody::Liveness { .. })),
                "face_capture": of_kind(|b| matches!(b, ResourceBody::FaceCapture { .. })),
                "applicant_profiles":
                    of_kind(|b| matches!(b, ResourceBody::ApplicantProfile { .. })),
            },
            "checks": checks,
        });
        // The token disappears once the user has finished, as on the product page.
        if state == SessionState::Ongoing && self.user_finished_ms.is_none() {
            out["client_session_token"] = json!(self.token());
        }
        if let Some(id) = &self.plan.user_tracking_id {
            out["user_tracking_id"] = json!(id);
        }
        if let Some(at) = self.biometric_consent_ms {
            out["biometric_consent"] = json!(rfc3339(at));
        }
        out
    }

    /// The session document's bytes.
    pub(crate) fn session_bytes(&self, now_ms: u64) -> Bytes {
        Bytes::from(serde_json::to_vec(&self.session_json(now_ms)).unwrap_or_default())
    }

    /// The configuration at `now_ms`.
    pub(crate) fn configuration_json(&self, now_ms: u64) -> Value {
        let requested_checks: Vec<&str> = self.plan.checks.iter().map(|c| c.type_name()).collect();
        let mut capture = json!({
            "required_resources": self
                .requirements
                .iter()
                .map(|r| requirement_json(r, &self.plan))
                .collect::<Vec<_>>(),
        });
        if let Some(at) = self.biometric_consent_ms {
            capture["biometric_consent"] = json!(rfc3339(at));
        }
        json!({
            "client_session_token_ttl": self.token_ttl_remaining(now_ms),
            "session_id": self.id,
            "requested_checks": requested_checks,
            "capture": capture,
            "sdk_config": {"suppressed_screens": self.plan.suppressed_screens},
        })
    }

    /// The tracked-device events, a JSON array.
    pub(crate) fn devices_bytes(&self) -> Bytes {
        Bytes::from(serde_json::to_vec(&self.devices).unwrap_or_default())
    }
}
