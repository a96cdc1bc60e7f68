//! Face captures (§5.6 of the reference): the relying business creates a face-capture resource
//! for a session's `FACE_CAPTURE` requirement and uploads its image.
//!
//! * `POST /sessions/{id}/resources/face-capture` with `{"requirement_id"}` (a `FACE_CAPTURE`
//!   requirement of the session's configuration, not yet met) → `201 {"id", "frames": 1}`: a
//!   resource under `resources.face_capture[]`, source `RELYING_BUSINESS`, without an image.
//! * `PUT /sessions/{id}/resources/face-capture/{resourceId}/image` with a
//!   `multipart/form-data` body of one image part (read strictly, `multipart.rs`) → `204`:
//!   the image becomes the capture's `image` media, served byte for byte by the media route
//!   (a second upload replaces it); the requirement is met; a `FACE_COMPARISON` check then
//!   uses the capture when the session runs.
//!
//! Both send a `resource_update` notification when the session subscribes to it.
//!
//! Refusals: 404 `SESSION_NOT_FOUND` (409 `STAGED_SESSION` for a staged session), 409
//! `SESSION_COMPLETED` / 410 `SESSION_EXPIRED`, 400 `PAYLOAD_VALIDATION` (bad body, a
//! requirement that is not one of the session's `FACE_CAPTURE` requirements, a bad form), 409
//! `RESOURCE_NOT_REQUIRED` (the requirement is met), 409 `TOO_MANY_RESOURCES`, 404
//! `RESOURCE_NOT_FOUND` (no such face capture), 507 `MEDIA_STORE_FULL`.

use http::StatusCode;
use idv_model::TrackedDeviceEventType;
use serde::Deserialize;
use serde_json::json;

use crate::api_error::{ApiError, from_parse_error};
use crate::device::device_from_request;
use crate::limits::MAX_RESOURCES_PER_SESSION;
use crate::live::requirements::RequirementKind;
use crate::live::{LiveSession, MediaSource, Resource, ResourceBody};
use crate::media::MediaContent;
use crate::server::{Reply, RequestParts, Shared, lock};

/// The body of `POST …/resources/face-capture` (other keys are ignored).
#[derive(Debug, Deserialize)]
struct CreateFaceCapture {
    requirement_id: Option<String>,
}

fn resource_not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "RESOURCE_NOT_FOUND",
        "no face-capture resource with this id in this session",
    )
}

impl LiveSession {
    /// The face-capture resource `resource_id`: its index among the resources.
    fn face_capture_index(&self, resource_id: &str) -> Option<usize> {
        self.resources
            .iter()
            .position(|r| r.id == resource_id && matches!(r.body, ResourceBody::FaceCapture { .. }))
    }

    /// Adds a face capture for requirement `requirement_id`; returns its id.
    fn add_face_capture(
        &mut self,
        requirement_id: &str,
        now_ms: u64,
        device: idv_model::TrackedDevice,
    ) -> Result<String, ApiError> {
        let requirement = self
            .requirements
            .iter()
            .find(|r| r.id == requirement_id && r.kind == RequirementKind::FaceCapture)
            .ok_or_else(|| {
                ApiError::invalid(
                    "requirement_id",
                    "is not a FACE_CAPTURE requirement of this session (see its configuration)",
                )
            })?;
        if requirement.resource_id.is_some() {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "RESOURCE_NOT_REQUIRED",
                "this FACE_CAPTURE requirement is met already",
            ));
        }
        if self.resources.len() >= MAX_RESOURCES_PER_SESSION {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "TOO_MANY_RESOURCES",
                format!("a session holds at most {MAX_RESOURCES_PER_SESSION} resources"),
            ));
        }
        let id = uuid::Uuid::new_v4().to_string();
        self.resources.push(Resource {
            id: id.clone(),
            source: "RELYING_BUSINESS",
            created_ms: now_ms,
            updated_ms: now_ms,
            tasks: Vec::new(),
            fields_ready_ms: 0,
            body: ResourceBody::FaceCapture {
                requirement_id: requirement_id.to_owned(),
                image: None,
            },
        });
        self.track(
            TrackedDeviceEventType::ResourceCreated,
            Some(id.clone()),
            now_ms,
            device,
        );
        Ok(id)
    }

    /// Sets the image of face capture `index` (replacing one uploaded before; the caller
    /// reserved its bytes and gives back `freed`) and meets its requirement.
    fn set_face_capture_image(&mut self, index: usize, image: MediaContent, now_ms: u64) -> usize {
        let len = image.bytes.len();
        let media_id = self.add_media("IMAGE", MediaSource::Stored(image), len, now_ms);
        let resource = &mut self.resources[index];
        resource.updated_ms = now_ms;
        let resource_id = resource.id.clone();
        let (old, requirement_id) = match &mut resource.body {
            ResourceBody::FaceCapture {
                image,
                requirement_id,
            } => (image.replace(media_id), requirement_id.clone()),
            _ => (None, String::new()),
        };
        if let Some(requirement) = self
            .requirements
            .iter_mut()
            .find(|r| r.id == requirement_id)
        {
            requirement.resource_id = Some(resource_id);
        }
        old.and_then(|old| self.delete_media(&old)).unwrap_or(0)
    }
}

impl Shared {
    /// `POST /sessions/{id}/resources/face-capture`.
    pub(crate) fn create_face_capture(&self, id: &str, request: &RequestParts<'_>) -> Reply {
        match self.try_create_face_capture(id, request) {
            Ok(resource_id) => Reply::json(
                StatusCode::CREATED,
                &json!({"id": resource_id, "frames": 1}),
            ),
            Err(error) => error.into(),
        }
    }

    fn try_create_face_capture(
        &self,
        id: &str,
        request: &RequestParts<'_>,
    ) -> Result<String, ApiError> {
        if lock(&self.state).live.get(id).is_none() {
            return Err(self.not_created(id));
        }
        let body: CreateFaceCapture =
            idv_model::from_slice(&request.body).map_err(|e| from_parse_error(&e))?;
        let requirement_id = body
            .requirement_id
            .ok_or_else(|| ApiError::invalid("requirement_id", "required"))?;
        let device = device_from_request(request.headers, Some(request.peer.ip()));
        let now = self.clock.now_millis();
        let mut state = lock(&self.state);
        let session = state
            .live
            .get_mut(id)
            .ok_or_else(crate::response_config::session_not_found)?;
        session.check_open(now)?;
        let resource_id = session.add_face_capture(&requirement_id, now, device)?;
        self.notifier.resource_updated(session, &resource_id, now);
        Ok(resource_id)
    }

    /// `PUT /sessions/{id}/resources/face-capture/{resourceId}/image`.
    pub(crate) async fn upload_face_capture_image(
        &self,
        id: &str,
        resource_id: &str,
        request: &RequestParts<'_>,
    ) -> Reply {
        match self
            .try_upload_face_capture_image(id, resource_id, request)
            .await
        {
            Ok(()) => Reply::no_content(),
            Err(error) => error.into(),
        }
    }

    async fn try_upload_face_capture_image(
        &self,
        id: &str,
        resource_id: &str,
        request: &RequestParts<'_>,
    ) -> Result<(), ApiError> {
        self.open_face_capture(id, resource_id)?;
        let image =
            crate::multipart::read_face_capture_image(request.headers, request.body.clone())
                .await?;
        // Checked again under the lock: the session may have changed while the form was read.
        let now = self.clock.now_millis();
        let mut state = lock(&self.state);
        let index = {
            let session = state
                .live
                .get(id)
                .ok_or_else(crate::response_config::session_not_found)?;
            session.check_open(now)?;
            session
                .face_capture_index(resource_id)
                .ok_or_else(resource_not_found)?
        };
        state.live.reserve(id, image.bytes.len(), now)?;
        let session = state
            .live
            .get_mut(id)
            .ok_or_else(crate::response_config::session_not_found)?;
        let freed = session.set_face_capture_image(index, image, now);
        self.notifier.resource_updated(session, resource_id, now);
        state.live.release(freed);
        Ok(())
    }

    /// The checks that need no body: a created, open session with this face capture.
    fn open_face_capture(&self, id: &str, resource_id: &str) -> Result<(), ApiError> {
        let now = self.clock.now_millis();
        let found = {
            let state = lock(&self.state);
            state.live.get(id).map(|session| {
                session.check_open(now)?;
                session
                    .face_capture_index(resource_id)
                    .map(drop)
                    .ok_or_else(resource_not_found)
            })
        };
        found.unwrap_or_else(|| Err(self.not_created(id)))
    }
}
