//! The other responses of the API (§5 of the reference).

use std::collections::BTreeMap;

use serde_json::Number;

use crate::{
    CheckType, ClientSessionToken, LivenessType, RequirementType, SourceType, TaskState, TaskType,
    Timestamp, TrackedDeviceEventType,
};

model! {
    /// The result of `POST /sessions`. `Debug` never shows the token.
    pub struct CreateSessionResult ("a create-session result object") {
        /// `client_session_token_ttl`.
        opt client_session_token_ttl: i64 = "client_session_token_ttl",
        /// `client_session_token`.
        opt client_session_token: ClientSessionToken = "client_session_token",
        /// `session_id`.
        opt session_id: String = "session_id",
        /// `session_deadline`.
        opt session_deadline: Timestamp = "session_deadline",
    }
}

model! {
    /// `GET /sessions/{sessionId}/configuration`.
    pub struct SessionConfiguration ("a session configuration object") {
        /// `client_session_token_ttl`.
        opt client_session_token_ttl: i64 = "client_session_token_ttl",
        /// `session_id`.
        opt session_id: String = "session_id",
        /// `requested_checks`.
        vec requested_checks: CheckType = "requested_checks",
        /// `capture`.
        opt capture: CaptureConfiguration = "capture",
        /// `sdk_config`.
        opt sdk_config: ConfigurationSdkConfig = "sdk_config",
    }
}

model! {
    /// A session configuration's `capture`.
    pub struct CaptureConfiguration ("a capture configuration object") {
        /// `biometric_consent`.
        opt biometric_consent: Timestamp = "biometric_consent",
        /// `required_resources`.
        vec required_resources: Requirement = "required_resources",
    }
}

model! {
    /// A session configuration's `sdk_config`.
    pub struct ConfigurationSdkConfig ("an sdk config object") {
        /// `suppressed_screens`.
        vec suppressed_screens: String = "suppressed_screens",
    }
}

model! {
    /// A required resource of the session configuration (by `type`: ID document, supplementary
    /// document, liveness, face capture; the type-specific fields are optional).
    pub struct Requirement ("a requirement object") {
        /// `type`.
        opt requirement_type: RequirementType = "type",
        /// `id` (for `FACE_CAPTURE`, the `requirement_id` of a face-capture resource).
        opt id: String = "id",
        /// `state`, e.g. `REQUIRED`.
        opt state: String = "state",
        /// `allowed_sources`.
        vec allowed_sources: AllowedSource = "allowed_sources",
        /// `requested_tasks` (documents).
        vec requested_tasks: RequestedTask = "requested_tasks",
        /// `supported_countries` (ID documents).
        vec supported_countries: SupportedCountry = "supported_countries",
        /// `allowed_capture_methods` (ID documents).
        opt allowed_capture_methods: String = "allowed_capture_methods",
        /// `attempts_remaining` (ID documents).
        opt attempts_remaining: BTreeMap<String, i64> = "attempts_remaining",
        /// `document_types` (supplementary documents).
        vec document_types: String = "document_types",
        /// `country_codes` (supplementary documents).
        vec country_codes: String = "country_codes",
        /// `objective` (supplementary documents).
        opt objective: Objective = "objective",
        /// `liveness_type` (liveness).
        opt liveness_type: LivenessType = "liveness_type",
    }
}

model! {
    /// `{type}` of an allowed source.
    pub struct AllowedSource ("an allowed source object") {
        /// `type`.
        opt source_type: SourceType = "type",
    }
}

model! {
    /// `{type, state}` of a requested task.
    pub struct RequestedTask ("a requested task object") {
        /// `type`.
        opt task_type: TaskType = "type",
        /// `state`.
        opt state: TaskState = "state",
    }
}

model! {
    /// `{type}` of a supplementary-document objective, e.g. `PROOF_OF_ADDRESS`.
    pub struct Objective ("an objective object") {
        /// `type`.
        opt objective_type: String = "type",
    }
}

model! {
    /// `GET /supported-documents`.
    pub struct SupportedDocumentsResponse ("a supported documents object") {
        /// `supported_countries`.
        vec supported_countries: SupportedCountry = "supported_countries",
    }
}

model! {
    /// A supported country.
    pub struct SupportedCountry ("a supported country object") {
        /// `code` (ISO 3166-1 alpha-3).
        opt code: String = "code",
        /// `supported_documents`.
        vec supported_documents: SupportedDocument = "supported_documents",
    }
}

model! {
    /// A supported document.
    pub struct SupportedDocument ("a supported document object") {
        /// `type`, e.g. `PASSPORT`.
        opt document_type: String = "type",
        /// `is_strictly_latin`.
        opt is_strictly_latin: bool = "is_strictly_latin",
    }
}

/// `GET /sessions/{sessionId}/tracked-devices`: the body is a top-level JSON array.
pub type TrackedDevices = Vec<TrackedDeviceEvent>;

model! {
    /// One tracked-device event.
    pub struct TrackedDeviceEvent ("a tracked device event object") {
        /// `event`.
        opt event: TrackedDeviceEventType = "event",
        /// `resource_id` (on `RESOURCE_CREATED`).
        opt resource_id: String = "resource_id",
        /// `created`.
        opt created: Timestamp = "created",
        /// `device`.
        opt device: TrackedDevice = "device",
    }
}

model! {
    /// A tracked event's `device`.
    pub struct TrackedDevice ("a device object") {
        /// `ip_address`.
        opt ip_address: String = "ip_address",
        /// `ip_iso_country_code`.
        opt ip_iso_country_code: String = "ip_iso_country_code",
        /// `manufacture_name` (the API's spelling).
        opt manufacture_name: String = "manufacture_name",
        /// `model_name`.
        opt model_name: String = "model_name",
        /// `os_name`.
        opt os_name: String = "os_name",
        /// `os_version`.
        opt os_version: String = "os_version",
        /// `browser_name`.
        opt browser_name: String = "browser_name",
        /// `browser_version`.
        opt browser_version: String = "browser_version",
        /// `locale`.
        opt locale: String = "locale",
        /// `client_version`.
        opt client_version: String = "client_version",
    }
}

model! {
    /// The result of `POST /sessions/{sessionId}/resources/face-capture`.
    pub struct FaceCaptureResourceResponse ("a face capture resource object") {
        /// `id` of the new resource.
        opt id: String = "id",
        /// `frames`: number of frames expected.
        opt frames: i64 = "frames",
    }
}

model! {
    /// `GET /sessions/{sessionId}/instructions` (in-branch verification).
    pub struct IbvInstructions ("an instructions object") {
        /// `contact_profile_exists`.
        opt contact_profile_exists: bool = "contact_profile_exists",
        /// `contact_profile` (in the `PUT` body).
        opt contact_profile: ContactProfile = "contact_profile",
        /// `documents`.
        vec documents: InstructionsDocument = "documents",
        /// `branch`.
        opt branch: Branch = "branch",
    }
}

model! {
    /// `GET /sessions/{sessionId}/instructions/contact-profile`.
    pub struct ContactProfile ("a contact profile object") {
        /// `first_name`.
        opt first_name: String = "first_name",
        /// `last_name`.
        opt last_name: String = "last_name",
        /// `email`.
        opt email: String = "email",
    }
}

model! {
    /// One entry of the instructions' `documents`.
    pub struct InstructionsDocument ("an instructions document object") {
        /// `requirement_id`.
        opt requirement_id: String = "requirement_id",
        /// `document`.
        opt document: DocumentProposal = "document",
    }
}

model! {
    /// An instructions document's `document`.
    pub struct DocumentProposal ("a document object") {
        /// `type`: `ID_DOCUMENT` or `SUPPLEMENTARY_DOCUMENT`.
        opt document_kind: RequirementType = "type",
        /// `country_code`.
        opt country_code: String = "country_code",
        /// `document_type`.
        opt document_type: String = "document_type",
    }
}

model! {
    /// The instructions' `branch`.
    pub struct Branch ("a branch object") {
        /// `type`, e.g. `UK_POST_OFFICE`.
        opt branch_type: String = "type",
        /// `fad_code`.
        opt fad_code: String = "fad_code",
        /// `name`.
        opt name: String = "name",
        /// `address`.
        opt address: String = "address",
        /// `post_code`.
        opt post_code: String = "post_code",
        /// `location`.
        opt location: Location = "location",
    }
}

model! {
    /// A branch `location` (numbers kept as sent).
    pub struct Location ("a location object") {
        /// `latitude`.
        opt latitude: Number = "latitude",
        /// `longitude`.
        opt longitude: Number = "longitude",
    }
}

model! {
    /// The API's error body `{code, message, errors[{property, message}]}`.
    pub struct ApiErrorBody ("an error object") {
        /// `code`, e.g. `PAYLOAD_VALIDATION`.
        opt code: String = "code",
        /// `message`.
        opt message: String = "message",
        /// `errors`.
        vec errors: ApiFieldError = "errors",
    }
}

model! {
    /// One entry of an error body's `errors`.
    pub struct ApiFieldError ("an error entry object") {
        /// `property`, e.g. `sdk_config.font_colour`.
        opt property: String = "property",
        /// `message`.
        opt message: String = "message",
    }
}
