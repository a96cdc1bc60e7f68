//! In-branch verification (IBV, e.g. at a UK Post Office): the instructions the user takes to
//! the branch, their PDF, the contact profile and the instructions email.

use http::{Method, StatusCode};
use idv_model::{ContactProfile, IbvInstructions};
use serde::Serialize;

use crate::client::IdvClient;
use crate::error::IdvError;
use crate::ids::{IntoId, SessionId};
use crate::media::MediaContent;

impl IdvClient {
    /// Sets the in-branch instructions of a session: `PUT /sessions/{session_id}/instructions`
    /// with the instructions body (contact profile, documents, branch; see
    /// [`IbvInstructions`] or any serialisable value of that shape).
    pub async fn put_ibv_instructions<T: Serialize + ?Sized>(
        &self,
        session_id: impl IntoId<SessionId>,
        instructions: &T,
    ) -> Result<(), IdvError> {
        let session = session_id.into_id()?;
        self.request(Method::PUT, &format!("/sessions/{session}/instructions"))
            .json(instructions)?
            .send()
            .await
            .map(drop)
    }

    /// Retrieves the in-branch instructions: `GET /sessions/{session_id}/instructions` (with
    /// `contact_profile_exists` rather than the profile itself). Unknown `branch.type` and
    /// `document.type` values are kept, not refused.
    pub async fn get_ibv_instructions(
        &self,
        session_id: impl IntoId<SessionId>,
    ) -> Result<IbvInstructions, IdvError> {
        let session = session_id.into_id()?;
        self.request(Method::GET, &format!("/sessions/{session}/instructions"))
            .send_json()
            .await
    }

    /// Retrieves the instructions as a PDF: `GET /sessions/{session_id}/instructions/pdf`;
    /// `Ok(None)` when the API answers `204` (no PDF).
    pub async fn get_ibv_instructions_pdf(
        &self,
        session_id: impl IntoId<SessionId>,
    ) -> Result<Option<MediaContent>, IdvError> {
        let session = session_id.into_id()?;
        let raw = self
            .request(
                Method::GET,
                &format!("/sessions/{session}/instructions/pdf"),
            )
            .accept("application/pdf")?
            .max_response_bytes(self.inner().max_media_bytes)
            .send()
            .await?;
        if raw.status() == StatusCode::NO_CONTENT {
            return Ok(None);
        }
        Ok(Some(MediaContent::from_response(
            raw.headers(),
            raw.body().clone(),
        )))
    }

    /// Retrieves the contact profile given with the instructions:
    /// `GET /sessions/{session_id}/instructions/contact-profile`.
    pub async fn get_ibv_contact_profile(
        &self,
        session_id: impl IntoId<SessionId>,
    ) -> Result<ContactProfile, IdvError> {
        let session = session_id.into_id()?;
        self.request(
            Method::GET,
            &format!("/sessions/{session}/instructions/contact-profile"),
        )
        .send_json()
        .await
    }

    /// Asks the API to email the instructions to the contact profile:
    /// `POST /sessions/{session_id}/instructions/email` (no body). Not retried once it may have
    /// reached the server (a retry could send a second email).
    pub async fn trigger_ibv_instructions_email(
        &self,
        session_id: impl IntoId<SessionId>,
    ) -> Result<(), IdvError> {
        let session = session_id.into_id()?;
        self.request(
            Method::POST,
            &format!("/sessions/{session}/instructions/email"),
        )
        .send()
        .await
        .map(drop)
    }
}
