//! The signed routes that script or add to a created session, and their dispatch: response
//! configs (sandbox only, S1 and S2 of §2.1 of the reference), face captures (8, 9) and the
//! in-branch instructions (12–16). The handlers live in `response_config.rs`,
//! `face_capture.rs` and `instructions.rs`.

use http::Method;

use crate::fault::Route;
use crate::server::{Reply, RequestParts, Shared, Target};

/// Matches the path segments (after the base path) of these routes.
pub(crate) fn route_of<'a>(method: &Method, segments: &[&'a str]) -> Option<(Route, Target<'a>)> {
    let id_ok = |id: &&str| !id.is_empty();
    let route = match (method, segments) {
        (&Method::PUT, ["sessions", id, "response-config"]) if id_ok(id) => {
            (Route::PutSessionResponseConfig, Target::Session(id))
        }
        (&Method::PUT, ["apps", app, "response-config"]) if id_ok(app) => {
            (Route::PutAppResponseConfig, Target::App(app))
        }
        (&Method::POST, ["sessions", id, "resources", "face-capture"]) if id_ok(id) => {
            (Route::CreateFaceCapture, Target::Session(id))
        }
        (
            &Method::PUT,
            [
                "sessions",
                id,
                "resources",
                "face-capture",
                resource,
                "image",
            ],
        ) if id_ok(id) && id_ok(resource) => (
            Route::UploadFaceCaptureImage,
            Target::SessionResource(id, resource),
        ),
        (&Method::PUT, ["sessions", id, "instructions"]) if id_ok(id) => {
            (Route::PutInstructions, Target::Session(id))
        }
        (&Method::GET, ["sessions", id, "instructions"]) if id_ok(id) => {
            (Route::GetInstructions, Target::Session(id))
        }
        (&Method::GET, ["sessions", id, "instructions", "pdf"]) if id_ok(id) => {
            (Route::GetInstructionsPdf, Target::Session(id))
        }
        (&Method::GET, ["sessions", id, "instructions", "contact-profile"]) if id_ok(id) => {
            (Route::GetInstructionsContactProfile, Target::Session(id))
        }
        (&Method::POST, ["sessions", id, "instructions", "email"]) if id_ok(id) => {
            (Route::TriggerInstructionsEmail, Target::Session(id))
        }
        _ => return None,
    };
    Some(route)
}

impl Shared {
    /// Serves one of these routes; `None` for any other route.
    pub(crate) async fn serve_write_route(
        &self,
        route: Route,
        target: Target<'_>,
        request: &RequestParts<'_>,
    ) -> Option<Reply> {
        let reply = match (route, target) {
            (Route::PutSessionResponseConfig, Target::Session(id)) => {
                self.put_session_response_config(id, request)
            }
            (Route::PutAppResponseConfig, Target::App(app)) => {
                self.put_app_response_config(app, request)
            }
            (Route::CreateFaceCapture, Target::Session(id)) => {
                self.create_face_capture(id, request)
            }
            (Route::UploadFaceCaptureImage, Target::SessionResource(id, resource)) => {
                self.upload_face_capture_image(id, resource, request).await
            }
            (Route::PutInstructions, Target::Session(id)) => self.put_instructions(id, request),
            (Route::GetInstructions, Target::Session(id)) => self.get_instructions(id),
            (Route::GetInstructionsPdf, Target::Session(id)) => self.get_instructions_pdf(id),
            (Route::GetInstructionsContactProfile, Target::Session(id)) => {
                self.get_contact_profile(id)
            }
            (Route::TriggerInstructionsEmail, Target::Session(id)) => {
                self.trigger_instructions_email(id)
            }
            _ => return None,
        };
        Some(reply)
    }
}
