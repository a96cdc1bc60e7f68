//! The other responses: parse, typed access, lossless round trip.

use idv_model::{
    ApiErrorBody, CheckType, ContactProfile, CreateSessionResult, FaceCaptureResourceResponse,
    IbvInstructions, LivenessType, RequirementType, SessionConfiguration, SourceType,
    SupportedDocumentsResponse, TrackedDeviceEventType, TrackedDevices,
};
use serde::{Serialize, de::DeserializeOwned};
use serde_json::{Value, json};

fn round_trip<T: DeserializeOwned + Serialize>(value: Value) -> T {
    let parsed: T = idv_model::from_slice(&serde_json::to_vec(&value).unwrap()).unwrap();
    assert_eq!(serde_json::to_value(&parsed).unwrap(), value);
    parsed
}

#[test]
fn create_session_result() {
    let r: CreateSessionResult = round_trip(json!({
        "client_session_token_ttl": 600, "client_session_token": "tok",
        "session_id": "sid", "session_deadline": "2024-05-01T10:00:00Z", "new": 1
    }));
    assert_eq!(r.client_session_token_ttl, Some(600));
    assert_eq!(
        r.session_deadline.unwrap().unix_seconds(),
        Some(1_714_557_600)
    );
}

#[test]
fn session_configuration_with_every_requirement_kind() {
    let c: SessionConfiguration = round_trip(json!({
        "client_session_token_ttl": 599,
        "session_id": "sid",
        "requested_checks": ["ID_DOCUMENT_AUTHENTICITY", "LIVENESS", "NEW_CHECK"],
        "capture": {
            "biometric_consent": "2024-05-01T10:00:00Z",
            "required_resources": [
                {"type": "ID_DOCUMENT", "id": "r1", "state": "REQUIRED",
                 "allowed_sources": [{"type": "END_USER"}],
                 "requested_tasks": [{"type": "ID_DOCUMENT_TEXT_DATA_EXTRACTION", "state": "REQUIRED"}],
                 "supported_countries": [{"code": "GBR", "supported_documents": [
                     {"type": "PASSPORT", "is_strictly_latin": true}]}],
                 "allowed_capture_methods": "CAMERA_AND_UPLOAD",
                 "attempts_remaining": {"GENERIC": 3, "RECLASSIFICATION": 1}},
                {"type": "SUPPLEMENTARY_DOCUMENT", "id": "r2", "state": "REQUIRED",
                 "allowed_sources": [{"type": "END_USER"}], "requested_tasks": [],
                 "document_types": ["UTILITY_BILL"], "country_codes": ["GBR"],
                 "objective": {"type": "PROOF_OF_ADDRESS"}},
                {"type": "LIVENESS", "id": "r3", "state": "REQUIRED", "liveness_type": "STATIC",
                 "allowed_sources": [{"type": "END_USER"}]},
                {"type": "FACE_CAPTURE", "id": "r4", "state": "REQUIRED",
                 "allowed_sources": [{"type": "END_USER"}]},
                {"type": "HANDWRITING", "id": "r5", "state": "REQUIRED", "pen": "blue"}
            ]
        },
        "sdk_config": {"suppressed_screens": ["FLOW_COMPLETION"]}
    }));
    assert_eq!(c.requested_checks[2], CheckType::Other("NEW_CHECK".into()));
    let reqs = &c.capture.as_ref().unwrap().required_resources;
    assert_eq!(reqs[0].attempts_remaining.as_ref().unwrap()["GENERIC"], 3);
    assert_eq!(
        reqs[0].allowed_sources[0].source_type,
        Some(SourceType::EndUser)
    );
    assert_eq!(reqs[2].liveness_type, Some(LivenessType::Static));
    let face = reqs
        .iter()
        .find(|r| r.requirement_type == Some(RequirementType::FaceCapture));
    assert_eq!(face.unwrap().id.as_deref(), Some("r4"));
    assert_eq!(reqs[4].extra.get("pen"), Some(&json!("blue")));
}

#[test]
fn supported_documents() {
    let s: SupportedDocumentsResponse = round_trip(json!({"supported_countries": [
        {"code": "GBR", "supported_documents": [{"type": "PASSPORT", "is_strictly_latin": true},
                                                {"type": "DRIVING_LICENCE"}]},
        {"code": "IND", "supported_documents": [{"type": "AADHAAR", "is_strictly_latin": null}]}
    ]}));
    assert_eq!(
        s.supported_countries[0].supported_documents[0].is_strictly_latin,
        Some(true)
    );
    assert_eq!(
        s.supported_countries[1].supported_documents[0].is_strictly_latin,
        None
    );
}

#[test]
fn tracked_devices_is_a_top_level_array() {
    let devices: TrackedDevices = round_trip(json!([
        {"event": "SESSION_CREATED", "created": "2024-05-01T10:00:00Z",
         "device": {"ip_address": "203.0.113.7", "ip_iso_country_code": "GBR",
                    "manufacture_name": "Apple", "model_name": "iPhone", "os_name": "iOS",
                    "os_version": "17", "browser_name": "Safari", "browser_version": "17.1",
                    "locale": "en-GB", "client_version": "1.2.3"}},
        {"event": "RESOURCE_CREATED", "resource_id": "res-1", "created": "2024-05-01T10:01:00Z",
         "device": {"ip_address": "203.0.113.7"}},
        {"event": "DEVICE_ROTATED"}
    ]));
    assert_eq!(devices.len(), 3);
    assert_eq!(
        devices[1].event,
        Some(TrackedDeviceEventType::ResourceCreated)
    );
    assert_eq!(
        devices[0]
            .device
            .as_ref()
            .unwrap()
            .manufacture_name
            .as_deref(),
        Some("Apple")
    );
    assert!(devices[2].event.as_ref().unwrap().is_other());
}

#[test]
fn face_capture_resource() {
    let f: FaceCaptureResourceResponse = round_trip(json!({"id": "fc-1", "frames": 3}));
    assert_eq!((f.id.as_deref(), f.frames), (Some("fc-1"), Some(3)));
}

#[test]
fn ibv_instructions_and_contact_profile() {
    let i: IbvInstructions = round_trip(json!({
        "contact_profile_exists": true,
        "documents": [{"requirement_id": "r1",
                       "document": {"type": "ID_DOCUMENT", "country_code": "GBR",
                                    "document_type": "PASSPORT"}},
                      {"requirement_id": "r2",
                       "document": {"type": "SUPPLEMENTARY_DOCUMENT", "country_code": "GBR",
                                    "document_type": "UTILITY_BILL"}}],
        "branch": {"type": "UK_POST_OFFICE", "fad_code": "1234567", "name": "Main St",
                   "address": "1 Main St", "post_code": "AB1 2CD",
                   "location": {"latitude": 51.5074, "longitude": -0.1278}}
    }));
    assert_eq!(i.contact_profile_exists, Some(true));
    let doc = i.documents[1].document.as_ref().unwrap();
    assert_eq!(
        doc.document_kind,
        Some(RequirementType::SupplementaryDocument)
    );
    let loc = i.branch.as_ref().unwrap().location.as_ref().unwrap();
    assert_eq!(loc.latitude.as_ref().unwrap().as_f64(), Some(51.5074));

    let c: ContactProfile =
        round_trip(json!({"first_name": "Ada", "last_name": "L", "email": "a@example.com"}));
    assert_eq!(c.email.as_deref(), Some("a@example.com"));
}

#[test]
fn api_error_body() {
    let e: ApiErrorBody = round_trip(json!({
        "code": "PAYLOAD_VALIDATION",
        "message": "There were errors validating the payload",
        "errors": [{"property": "sdk_config.font_colour",
                    "message": "provided colour must be a valid Hex Code"}]
    }));
    assert_eq!(e.code.as_deref(), Some("PAYLOAD_VALIDATION"));
    assert_eq!(
        e.errors[0].property.as_deref(),
        Some("sdk_config.font_colour")
    );
    let bare: ApiErrorBody = round_trip(json!({"code": "APP_NOT_FOUND", "message": "m"}));
    assert!(bare.errors.is_empty());
}
