//! In-branch verification instructions (§5.7 of the reference, endpoints 12–16 of §2.1) on a
//! created session:
//!
//! | method | path | answer |
//! |---|---|---|
//! | `PUT` | `/sessions/{id}/instructions` | `204`; the instructions are kept (replacing any) |
//! | `GET` | `/sessions/{id}/instructions` | `200 {"contact_profile_exists", "documents", "branch"}`, or 404 `INSTRUCTIONS_NOT_FOUND` |
//! | `GET` | `/sessions/{id}/instructions/pdf` | `200` a PDF of the branch, the documents and the contact, or `204` when none were put |
//! | `GET` | `/sessions/{id}/instructions/contact-profile` | `200 {"first_name", "last_name", "email"}`, or 404 `CONTACT_PROFILE_NOT_FOUND` |
//! | `POST` | `/sessions/{id}/instructions/email` | `204`; recorded ([`InstructionsEmail`]), or 404 `INSTRUCTIONS_NOT_FOUND` / `CONTACT_PROFILE_NOT_FOUND` |
//!
//! The `PUT` body is read leniently, as `idv_model::IbvInstructions`: values of a wrong JSON
//! type are refused (400 `PAYLOAD_VALIDATION` naming the path), as is a body without `branch`
//! or `documents`, a document without `requirement_id` or `document.type`; any `branch.type`
//! or `document.type` value, and keys the model does not know, are kept and given back. At
//! most [`MAX_INSTRUCTIONS_BODY`] bytes (413). Writes need a session that is still open (409
//! `SESSION_COMPLETED`, 410 `SESSION_EXPIRED`); a staged session has no instructions (reads
//! answer as for a session without any, writes 409 `STAGED_SESSION`).

use http::StatusCode;
use idv_model::IbvInstructions;
use serde_json::{Value, json};

use crate::api_error::{ApiError, from_parse_error};
use crate::limits::{MAX_INSTRUCTION_EMAILS_PER_SESSION, MAX_INSTRUCTIONS_BODY};
use crate::live::LiveSession;
use crate::notify::Notifier;
use crate::pdf::{DocLine, render_document};
use crate::server::{Reply, RequestParts, Shared, lock};
use crate::timefmt::rfc3339;

/// A request to email a session's in-branch instructions
/// (`POST /sessions/{id}/instructions/email`), as the sandbox recorded it
/// ([`SandboxHandle::instruction_emails`](crate::SandboxHandle::instruction_emails)).
/// The sandbox sends no email.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct InstructionsEmail {
    /// When it was requested: epoch milliseconds on the sandbox's clock.
    pub requested_at_ms: u64,
    /// When it was requested, RFC 3339.
    pub requested_at: String,
    /// The address the email would go to: the contact profile's `email`, if it has one.
    pub email: Option<String>,
}

fn instructions_not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "INSTRUCTIONS_NOT_FOUND",
        "no instructions were put for this session (PUT /sessions/{id}/instructions)",
    )
}

fn contact_profile_not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "CONTACT_PROFILE_NOT_FOUND",
        "the session's instructions have no contact_profile",
    )
}

/// The hook for "an instructions email was requested": every accepted
/// `POST …/instructions/email` goes through here (after the request log records it). It
/// remembers the request (the last [`MAX_INSTRUCTION_EMAILS_PER_SESSION`]) and sends the
/// `instructions_email_requested` notification when the session subscribes to it.
fn instructions_email_requested(
    notifier: &Notifier,
    session: &mut LiveSession,
    email: InstructionsEmail,
) {
    let requested_at_ms = email.requested_at_ms;
    if session.instruction_emails.len() >= MAX_INSTRUCTION_EMAILS_PER_SESSION {
        session.instruction_emails.pop_front();
    }
    session.instruction_emails.push_back(email);
    notifier.instructions_email_requested(session, requested_at_ms);
}

/// Reads a `PUT …/instructions` body (see the module documentation).
fn read_instructions(body: &[u8]) -> Result<IbvInstructions, ApiError> {
    if body.len() > MAX_INSTRUCTIONS_BODY {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "PAYLOAD_TOO_LARGE",
            format!("instructions are at most {MAX_INSTRUCTIONS_BODY} bytes"),
        ));
    }
    let instructions: IbvInstructions =
        idv_model::from_slice(body).map_err(|e| from_parse_error(&e))?;
    // Presence is read from the JSON itself (the model reads a missing list as empty).
    let value: Value = serde_json::from_slice(body)
        .map_err(|_| ApiError::invalid("body", "is not a JSON object"))?;
    let mut errors = Vec::new();
    let mut required = |present: bool, path: String| {
        if !present {
            errors.push((path, "required".to_owned()));
        }
    };
    required(
        value.get("branch").is_some_and(Value::is_object),
        "branch".to_owned(),
    );
    required(
        value.get("documents").is_some_and(Value::is_array),
        "documents".to_owned(),
    );
    for (i, document) in value["documents"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        required(
            document.get("requirement_id").is_some_and(Value::is_string),
            format!("documents[{i}].requirement_id"),
        );
        required(
            document["document"]
                .get("type")
                .is_some_and(Value::is_string),
            format!("documents[{i}].document.type"),
        );
    }
    if errors.is_empty() {
        Ok(instructions)
    } else {
        Err(ApiError::validation(errors))
    }
}

/// The `GET …/instructions` shape: the instructions as put, with `contact_profile_exists`
/// instead of the profile.
fn instructions_json(instructions: &IbvInstructions) -> Value {
    let mut out = serde_json::to_value(instructions).unwrap_or_else(|_| json!({}));
    if let Value::Object(map) = &mut out {
        map.remove("contact_profile");
        map.insert(
            "contact_profile_exists".to_owned(),
            json!(instructions.contact_profile.is_some()),
        );
    }
    out
}

/// The lines of the instructions PDF: the branch, the documents to bring, the contact.
fn pdf_lines(session_id: &str, instructions: &IbvInstructions) -> Vec<DocLine> {
    let text = |label: &str, value: Option<&str>| {
        value
            .filter(|v| !v.is_empty())
            .map(|v| DocLine::Text(format!("{label}: {v}")))
    };
    let mut lines = vec![
        DocLine::Text(
            "Take these instructions and the documents below to the branch to verify your \
             identity in person."
                .to_owned(),
        ),
        DocLine::Text(format!("Session: {session_id}")),
        DocLine::Blank,
        DocLine::Heading("Branch".to_owned()),
    ];
    if let Some(branch) = &instructions.branch {
        lines.extend(
            [
                text("Name", branch.name.as_deref()),
                text("Type", branch.branch_type.as_deref()),
                text("Address", branch.address.as_deref()),
                text("Post code", branch.post_code.as_deref()),
                text("Branch code (FAD)", branch.fad_code.as_deref()),
            ]
            .into_iter()
            .flatten(),
        );
        if let Some(location) = &branch.location
            && let (Some(latitude), Some(longitude)) = (&location.latitude, &location.longitude)
        {
            lines.push(DocLine::Text(format!("Location: {latitude}, {longitude}")));
        }
    }
    lines.push(DocLine::Blank);
    lines.push(DocLine::Heading("Documents to bring".to_owned()));
    if instructions.documents.is_empty() {
        lines.push(DocLine::Text("None listed.".to_owned()));
    }
    for (i, entry) in instructions.documents.iter().enumerate() {
        let document = entry.document.as_ref();
        let kind = document
            .and_then(|d| d.document_kind.as_ref())
            .map(|k| k.as_str().to_owned())
            .unwrap_or_default();
        let doc_type = document
            .and_then(|d| d.document_type.as_deref())
            .unwrap_or("any document");
        let country = document
            .and_then(|d| d.country_code.as_deref())
            .unwrap_or("any country");
        lines.push(DocLine::Text(format!(
            "{}. {doc_type} issued by {country} ({kind})",
            i + 1
        )));
    }
    lines.push(DocLine::Blank);
    lines.push(DocLine::Heading("Contact".to_owned()));
    match &instructions.contact_profile {
        Some(profile) => {
            let name = [profile.first_name.as_deref(), profile.last_name.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            lines.extend(text("Name", Some(&name)));
            lines.extend(text("Email", profile.email.as_deref()));
        }
        None => lines.push(DocLine::Text("No contact profile was given.".to_owned())),
    }
    lines
}

impl Shared {
    /// Runs `f` on a created session (404 `SESSION_NOT_FOUND`; 409 `STAGED_SESSION` for
    /// staged ones), under the lock.
    fn with_created<T>(
        &self,
        id: &str,
        f: impl FnOnce(&mut LiveSession, u64) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let now = self.clock.now_millis();
        let result = {
            let mut state = lock(&self.state);
            state.live.get_mut(id).map(|session| f(session, now))
        };
        result.unwrap_or_else(|| Err(self.not_created(id)))
    }

    /// `PUT /sessions/{id}/instructions`.
    pub(crate) fn put_instructions(&self, id: &str, request: &RequestParts<'_>) -> Reply {
        let result = read_instructions(&request.body).and_then(|instructions| {
            self.with_created(id, |session, now| {
                session.check_open(now)?;
                session.instructions = Some(instructions);
                Ok(())
            })
        });
        match result {
            Ok(()) => Reply::no_content(),
            Err(error) => error.into(),
        }
    }

    /// A session's instructions, for reading: `None` when none were put, or for a staged
    /// session (which has none); 404 `SESSION_NOT_FOUND` for an unknown id.
    fn instructions_of(&self, id: &str) -> Result<Option<IbvInstructions>, ApiError> {
        let state = lock(&self.state);
        if let Some(session) = state.live.get(id) {
            return Ok(session.instructions.clone());
        }
        if state.sessions.get(id).is_some_and(|s| !s.is_deleted()) {
            return Ok(None);
        }
        Err(crate::response_config::session_not_found())
    }

    /// `GET /sessions/{id}/instructions`.
    pub(crate) fn get_instructions(&self, id: &str) -> Reply {
        match self.instructions_of(id) {
            Ok(Some(instructions)) => {
                Reply::json(StatusCode::OK, &instructions_json(&instructions))
            }
            Ok(None) => instructions_not_found().into(),
            Err(error) => error.into(),
        }
    }

    /// `GET /sessions/{id}/instructions/pdf`.
    pub(crate) fn get_instructions_pdf(&self, id: &str) -> Reply {
        match self.instructions_of(id) {
            Ok(Some(instructions)) => {
                // Rendered outside the lock.
                let pdf = render_document(
                    "In-branch identity verification",
                    &pdf_lines(id, &instructions),
                );
                Reply::ok("application/pdf", pdf.into())
            }
            Ok(None) => Reply::no_content(),
            Err(error) => error.into(),
        }
    }

    /// `GET /sessions/{id}/instructions/contact-profile`.
    pub(crate) fn get_contact_profile(&self, id: &str) -> Reply {
        match self.instructions_of(id) {
            Ok(Some(IbvInstructions {
                contact_profile: Some(profile),
                ..
            })) => Reply::json(StatusCode::OK, &profile),
            Ok(_) => contact_profile_not_found().into(),
            Err(error) => error.into(),
        }
    }

    /// `POST /sessions/{id}/instructions/email`.
    pub(crate) fn trigger_instructions_email(&self, id: &str) -> Reply {
        let result = self.with_created(id, |session, now| {
            let instructions = session
                .instructions
                .as_ref()
                .ok_or_else(instructions_not_found)?;
            let profile = instructions
                .contact_profile
                .as_ref()
                .ok_or_else(contact_profile_not_found)?;
            let email = InstructionsEmail {
                requested_at_ms: now,
                requested_at: rfc3339(now),
                email: profile.email.clone(),
            };
            instructions_email_requested(&self.notifier, session, email);
            Ok(())
        });
        match result {
            Ok(()) => Reply::no_content(),
            Err(error) => error.into(),
        }
    }

    /// The instructions-email requests of a created session, oldest first.
    pub(crate) fn instruction_emails(&self, id: &str) -> Vec<InstructionsEmail> {
        lock(&self.state)
            .live
            .get(id)
            .map(|s| s.instruction_emails.iter().cloned().collect())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instructions_are_read_leniently_but_need_their_parts() {
        let ok = read_instructions(
            br#"{"branch": {"type": "SOME_NEW_BRANCH", "name": "X"},
                 "documents": [{"requirement_id": "r", "document": {"type": "NEW_KIND"}}],
                 "future": 1}"#,
        )
        .expect("lenient");
        let json = instructions_json(&ok);
        assert_eq!(json["branch"]["type"], "SOME_NEW_BRANCH");
        assert_eq!(json["documents"][0]["document"]["type"], "NEW_KIND");
        assert_eq!(json["contact_profile_exists"], false);
        assert_eq!(json["future"], 1);

        let missing =
            read_instructions(br#"{"documents": [{"document": {}}]}"#).expect_err("missing parts");
        let paths: Vec<&str> = missing.errors.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            paths,
            [
                "branch",
                "documents[0].requirement_id",
                "documents[0].document.type"
            ]
        );
        let typed = read_instructions(br#"{"branch": {"name": 5}, "documents": []}"#)
            .expect_err("wrong type");
        assert_eq!(typed.errors[0].0, "branch.name");
        let big = vec![b' '; MAX_INSTRUCTIONS_BODY + 1];
        assert_eq!(
            read_instructions(&big).expect_err("too big").status,
            StatusCode::PAYLOAD_TOO_LARGE
        );
    }

    #[test]
    fn emails_are_bounded() {
        let mut session = LiveSession::new(
            None,
            crate::live::plan::Plan::default(),
            0,
            idv_model::TrackedDevice::default(),
        );
        let notifier = Notifier::new(
            std::sync::Arc::new(idv_sign::FixedClock(0)),
            crate::notify::NotificationSettings::default(),
        )
        .expect("notifier");
        for i in 0..(MAX_INSTRUCTION_EMAILS_PER_SESSION as u64 + 5) {
            instructions_email_requested(
                &notifier,
                &mut session,
                InstructionsEmail {
                    requested_at_ms: i,
                    requested_at: rfc3339(i),
                    email: None,
                },
            );
        }
        assert_eq!(
            session.instruction_emails.len(),
            MAX_INSTRUCTION_EMAILS_PER_SESSION
        );
        assert_eq!(session.instruction_emails[0].requested_at_ms, 5);
    }
}
