//! The signed app routes of created sessions: signatures on every new route, configuration for
//! several specifications, tracked devices, supported documents, faults on `POST /sessions`.

mod common;

use common::*;
use idv_model::{LivenessType, RequirementType, SessionConfiguration, TrackedDeviceEventType};
use idv_sandbox::{
    Fault, IdDocumentUpload, LivenessUpload, PRODUCT_PAGE_SESSION_ID, Route, Sandbox, SandboxHandle,
};
use serde_json::json;

async fn sandbox() -> SandboxHandle {
    Sandbox::product_page_demo()
        .test_app()
        .start()
        .await
        .expect("start")
}

async fn configuration(sandbox: &SandboxHandle, id: &str) -> SessionConfiguration {
    let reply = call(sandbox, "GET", &format!("/sessions/{id}/configuration")).await;
    assert_eq!(
        reply.status,
        200,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    let parsed: SessionConfiguration = idv_model::from_slice(&reply.body).expect("model");
    assert_no_unknown_fields(&parsed);
    parsed
}

fn listed(countries: &[idv_model::SupportedCountry]) -> Vec<String> {
    countries
        .iter()
        .flat_map(|c| {
            c.supported_documents.iter().map(move |d| {
                format!(
                    "{}:{}",
                    c.code.as_deref().unwrap(),
                    d.document_type.as_deref().unwrap()
                )
            })
        })
        .collect()
}

#[tokio::test]
async fn new_app_routes_refuse_bad_signatures() {
    let sandbox = sandbox().await;
    let session = created(&sandbox, &json!({})).await;
    let body = br#"{"client_session_token_ttl": 600}"#;
    let cases: [(&str, String, &[u8]); 5] = [
        ("POST", "/sessions".to_owned(), body),
        (
            "GET",
            format!("/sessions/{}/configuration", session.session_id),
            b"",
        ),
        (
            "GET",
            format!("/sessions/{}/tracked-devices", session.session_id),
            b"",
        ),
        (
            "DELETE",
            format!("/sessions/{}/tracked-devices", session.session_id),
            b"",
        ),
        ("GET", "/supported-documents".to_owned(), b""),
    ];
    for (method, path, body) in cases {
        // Signed for another body or method: the digest does not verify.
        let signed = sign(&signer(), method, &path, b"something else").await;
        let forged = send_signed(&sandbox, &signed, body).await;
        assert_eq!(
            (forged.status.as_u16(), forged.code()),
            (401, "INVALID_SIGNATURE".to_owned()),
            "{method} {path}"
        );
        // Signed by a key the app does not have.
        let other = signer_for(&keys().sdk_id, &other_keys().private_key_pem);
        let signed = sign(&other, method, &path, body).await;
        let wrong_key = send_signed(&sandbox, &signed, body).await;
        assert_eq!(wrong_key.status, 401, "{method} {path}");
    }
    // Unsigned: refused, except the public supported documents.
    let unsigned = send_raw(
        &sandbox,
        "POST",
        &format!("{}/sessions", base_path(&sandbox)),
        &[],
        body,
    )
    .await
    .expect("response");
    assert_eq!(
        (unsigned.status.as_u16(), unsigned.code()),
        (401, "MISSING_AUTH".to_owned())
    );
    assert_eq!(
        sandbox.created_sessions(),
        1,
        "no refused request created a session"
    );
    let devices = call(
        &sandbox,
        "GET",
        &format!("/sessions/{}/tracked-devices", session.session_id),
    )
    .await;
    assert_eq!(
        devices.json().as_array().map(Vec::len),
        Some(1),
        "the refused DELETEs deleted nothing"
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn configuration_reflects_the_specification() {
    let sandbox = sandbox().await;

    // A document and liveness flow with face match and text extraction, passports of two countries.
    let flow = created(&sandbox, &json!({
        "requested_checks": [
            {"type": "ID_DOCUMENT_AUTHENTICITY", "config": {}},
            {"type": "LIVENESS", "config": {"liveness_type": "STATIC"}},
            {"type": "ID_DOCUMENT_FACE_MATCH", "config": {"manual_check": "FALLBACK"}}
        ],
        "requested_tasks": [{"type": "ID_DOCUMENT_TEXT_DATA_EXTRACTION", "config": {"manual_check": "NEVER"}}],
        "required_documents": [{"type": "ID_DOCUMENT", "filter": {"type": "ORTHOGONAL_RESTRICTIONS",
            "country_restriction": {"inclusion": "WHITELIST", "country_codes": ["GBR", "FRA"]},
            "type_restriction": {"inclusion": "WHITELIST", "document_types": ["PASSPORT"]}}}],
        "sdk_config": {"allowed_capture_methods": "CAMERA", "suppressed_screens": ["FLOW_COMPLETION"],
            "attempts_configuration": {"ID_DOCUMENT_TEXT_DATA_EXTRACTION": {"GENERIC": 2, "RECLASSIFICATION": 1}}}
    })).await;
    let config = configuration(&sandbox, &flow.session_id).await;
    assert_eq!(config.session_id.as_deref(), Some(flow.session_id.as_str()));
    let checks: Vec<&str> = config.requested_checks.iter().map(|c| c.as_str()).collect();
    assert_eq!(
        checks,
        [
            "ID_DOCUMENT_AUTHENTICITY",
            "LIVENESS",
            "ID_DOCUMENT_FACE_MATCH"
        ]
    );
    let capture = config.capture.as_ref().expect("capture");
    let kinds: Vec<RequirementType> = capture
        .required_resources
        .iter()
        .filter_map(|r| r.requirement_type.clone())
        .collect();
    assert_eq!(
        kinds,
        [RequirementType::IdDocument, RequirementType::Liveness]
    );
    let document = &capture.required_resources[0];
    assert_eq!(
        listed(&document.supported_countries),
        ["FRA:PASSPORT", "GBR:PASSPORT"]
    );
    assert_eq!(document.allowed_capture_methods.as_deref(), Some("CAMERA"));
    assert_eq!(
        document.requested_tasks[0]
            .task_type
            .as_ref()
            .map(|t| t.as_str()),
        Some("ID_DOCUMENT_TEXT_DATA_EXTRACTION")
    );
    let attempts = document.attempts_remaining.as_ref().expect("attempts");
    assert_eq!((attempts["GENERIC"], attempts["RECLASSIFICATION"]), (2, 1));
    assert_eq!(
        document.allowed_sources[0]
            .source_type
            .as_ref()
            .map(|s| s.as_str()),
        Some("END_USER")
    );
    assert_eq!(
        capture.required_resources[1].liveness_type,
        Some(LivenessType::Static)
    );
    assert_eq!(
        config.sdk_config.as_ref().unwrap().suppressed_screens,
        ["FLOW_COMPLETION"]
    );
    assert!(capture.biometric_consent.is_none());

    // The ids are the ones the user side reports, and the configuration follows the session.
    let user = flow.user(&sandbox);
    let status = user.status().await.expect("status");
    assert_eq!(status.requirements[0].id, document.id.clone().unwrap());
    assert_eq!(
        user.configuration()
            .await
            .expect("user configuration")
            .capture
            .unwrap()
            .required_resources
            .len(),
        2
    );
    user.add_liveness(&LivenessUpload::new(LivenessType::Static))
        .await
        .expect("liveness");
    assert!(
        configuration(&sandbox, &flow.session_id)
            .await
            .capture
            .unwrap()
            .biometric_consent
            .is_some()
    );

    // A proof of address, and a face comparison's face capture.
    let poa = created(&sandbox, &json!({
        "requested_checks": [{"type": "FACE_COMPARISON", "config": {"manual_check": "NEVER"}}],
        "requested_tasks": [{"type": "SUPPLEMENTARY_DOCUMENT_TEXT_DATA_EXTRACTION", "config": {"manual_check": "NEVER"}}],
        "required_documents": [{"type": "SUPPLEMENTARY_DOCUMENT", "objective": {"type": "PROOF_OF_ADDRESS"},
            "document_types": ["UTILITY_BILL", "BANK_STATEMENT"], "country_codes": ["GBR"]}]
    })).await;
    let config = configuration(&sandbox, &poa.session_id).await;
    let required = &config.capture.as_ref().unwrap().required_resources;
    let supplementary = &required[0];
    assert_eq!(
        supplementary.requirement_type,
        Some(RequirementType::SupplementaryDocument)
    );
    assert_eq!(
        supplementary
            .objective
            .as_ref()
            .and_then(|o| o.objective_type.as_deref()),
        Some("PROOF_OF_ADDRESS")
    );
    assert_eq!(
        supplementary.document_types,
        ["UTILITY_BILL", "BANK_STATEMENT"]
    );
    assert_eq!(supplementary.country_codes, ["GBR"]);
    assert_eq!(supplementary.requested_tasks.len(), 1);
    assert_eq!(
        required[1].requirement_type,
        Some(RequirementType::FaceCapture)
    );
    assert_eq!(
        required[1].allowed_sources[0]
            .source_type
            .as_ref()
            .map(|s| s.as_str()),
        Some("RELYING_BUSINESS")
    );

    // Non-Latin documents only when the filter allows them; a document comparison needs two.
    let non_latin = created(&sandbox, &json!({
        "requested_checks": [{"type": "ID_DOCUMENT_COMPARISON", "config": {}}],
        "required_documents": [{"type": "ID_DOCUMENT", "filter": {"type": "DOCUMENT_RESTRICTIONS",
            "inclusion": "WHITELIST", "allow_non_latin_documents": true,
            "documents": [{"country_codes": ["CHN"], "document_types": []}]}}]
    })).await;
    let config = configuration(&sandbox, &non_latin.session_id).await;
    let required = &config.capture.as_ref().unwrap().required_resources;
    assert_eq!(
        required.len(),
        2,
        "the comparison adds a second ID document requirement"
    );
    assert_eq!(
        listed(&required[0].supported_countries),
        ["CHN:PASSPORT", "CHN:NATIONAL_ID"]
    );
    assert!(!listed(&required[1].supported_countries).contains(&"CHN:NATIONAL_ID".to_owned()));
    let user = non_latin.user(&sandbox);
    user.add_id_document(&IdDocumentUpload::new("NATIONAL_ID", "CHN"))
        .await
        .expect("allowed here");

    // Nothing requested: nothing required.
    let empty = created(&sandbox, &json!({})).await;
    let config = configuration(&sandbox, &empty.session_id).await;
    assert!(config.capture.unwrap().required_resources.is_empty());
    assert!(config.requested_checks.is_empty());

    // A staged session has no specification: its last stage's check types, nothing required.
    let staged = configuration(&sandbox, PRODUCT_PAGE_SESSION_ID).await;
    let checks: Vec<&str> = staged.requested_checks.iter().map(|c| c.as_str()).collect();
    assert_eq!(
        checks,
        [
            "IBV_VISUAL_REVIEW_CHECK",
            "DOCUMENT_SCHEME_VALIDITY_CHECK",
            "PROFILE_DOCUMENT_MATCH"
        ]
    );
    assert_eq!(
        call(&sandbox, "GET", "/sessions/nope/configuration")
            .await
            .code(),
        "SESSION_NOT_FOUND"
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn tracked_devices_record_creation_and_each_resource() {
    let sandbox = sandbox().await;
    let body = serde_json::to_vec(&json!({
        "requested_checks": [{"type": "ID_DOCUMENT_AUTHENTICITY", "config": {}},
                             {"type": "LIVENESS", "config": {"liveness_type": "ZOOM"}}]
    }))
    .unwrap();
    let signed = sign(&signer(), "POST", "/sessions", &body).await;
    let mut headers: Vec<(&str, &str)> = signed.headers().to_vec();
    headers.push(("user-agent", "idv-rs/0.1.0"));
    let target = format!("{}{}", base_path(&sandbox), signed.path_and_query());
    let reply = send_raw(&sandbox, "POST", &target, &headers, &body)
        .await
        .expect("response");
    assert_eq!(reply.status, 201);
    let session_id = reply.json()["session_id"].as_str().unwrap().to_owned();
    let token = reply.json()["client_session_token"]
        .as_str()
        .unwrap()
        .to_owned();

    let user = idv_sandbox::UserSide::new(sandbox.base_url(), &session_id, &token)
        .unwrap()
        .user_agent("Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1.2 Mobile/15E148 Safari/604.1")
        .accept_language("en-GB,en;q=0.9");
    let document = user
        .add_id_document(&IdDocumentUpload::new("PASSPORT", "GBR"))
        .await
        .expect("doc");
    let liveness = user
        .add_liveness(&LivenessUpload::required_type())
        .await
        .expect("liveness");

    let path = format!("/sessions/{session_id}/tracked-devices");
    let reply = call(&sandbox, "GET", &path).await;
    assert_eq!(reply.status, 200);
    assert!(reply.body.starts_with(b"["), "a top-level array");
    let events: idv_model::TrackedDevices = idv_model::from_slice(&reply.body).expect("model");
    assert_no_unknown_fields(&events);
    assert_eq!(events.len(), 3);
    assert_eq!(
        events[0].event,
        Some(TrackedDeviceEventType::SessionCreated)
    );
    assert!(events[0].resource_id.is_none());
    let creator = events[0].device.as_ref().unwrap();
    assert_eq!(creator.browser_name.as_deref(), Some("idv-rs"));
    assert_eq!(creator.ip_address.as_deref(), Some("127.0.0.1"));
    for (event, resource) in events[1..]
        .iter()
        .zip([&document.resource_id, &liveness.resource_id])
    {
        assert_eq!(event.event, Some(TrackedDeviceEventType::ResourceCreated));
        assert_eq!(event.resource_id.as_deref(), Some(resource.as_str()));
        assert!(event.created.as_ref().is_some_and(|t| t.is_valid()));
        let device = event.device.as_ref().unwrap();
        assert_eq!(device.browser_name.as_deref(), Some("Safari"));
        assert_eq!(device.browser_version.as_deref(), Some("17.1.2"));
        assert_eq!(device.os_name.as_deref(), Some("iOS"));
        assert_eq!(device.manufacture_name.as_deref(), Some("Apple"));
        assert_eq!(device.model_name.as_deref(), Some("iPhone"));
        assert_eq!(device.locale.as_deref(), Some("en-GB"));
        assert_eq!(device.ip_address.as_deref(), Some("127.0.0.1"));
    }

    assert_eq!(call(&sandbox, "DELETE", &path).await.status, 204);
    assert_eq!(&call(&sandbox, "GET", &path).await.body[..], b"[]");
    assert_eq!(
        call(&sandbox, "GET", "/sessions/nope/tracked-devices")
            .await
            .code(),
        "SESSION_NOT_FOUND"
    );
    assert_eq!(
        call(&sandbox, "DELETE", "/sessions/nope/tracked-devices")
            .await
            .status,
        404
    );
    // A staged session has none.
    let staged = format!("/sessions/{PRODUCT_PAGE_SESSION_ID}/tracked-devices");
    assert_eq!(&call(&sandbox, "GET", &staged).await.body[..], b"[]");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn supported_documents_leave_out_non_latin_unless_asked() {
    let sandbox = sandbox().await;
    let read = |reply: Reply| {
        assert_eq!(reply.status, 200);
        assert_eq!(reply.content_type(), Some("application/json"));
        let parsed: idv_model::SupportedDocumentsResponse =
            idv_model::from_slice(&reply.body).expect("model");
        assert_no_unknown_fields(&parsed);
        parsed
    };
    let latin = read(call(&sandbox, "GET", "/supported-documents").await);
    let all = read(
        call_query(
            &sandbox,
            "/supported-documents",
            &[("includeNonLatin", "true")],
        )
        .await,
    );
    assert!(latin.supported_countries.len() >= 50, "many countries");
    let docs = |r: &idv_model::SupportedDocumentsResponse| -> Vec<(String, bool)> {
        r.supported_countries
            .iter()
            .flat_map(|c| {
                c.supported_documents.iter().map(move |d| {
                    (
                        format!(
                            "{}:{}",
                            c.code.as_deref().unwrap(),
                            d.document_type.as_deref().unwrap()
                        ),
                        d.is_strictly_latin.unwrap(),
                    )
                })
            })
            .collect()
    };
    assert!(
        docs(&latin)
            .iter()
            .all(|(_, strictly_latin)| *strictly_latin)
    );
    let non_latin: Vec<String> = docs(&all)
        .into_iter()
        .filter(|(_, l)| !l)
        .map(|(d, _)| d)
        .collect();
    assert!(
        non_latin.contains(&"CHN:NATIONAL_ID".to_owned()),
        "{non_latin:?}"
    );
    assert_eq!(docs(&all).len(), docs(&latin).len() + non_latin.len());
    // A country whose only supported document is not Latin is left out entirely.
    let codes = |r: &idv_model::SupportedDocumentsResponse| -> Vec<String> {
        r.supported_countries
            .iter()
            .filter_map(|c| c.code.clone())
            .collect()
    };
    assert!(codes(&all).contains(&"IRN".to_owned()) && !codes(&latin).contains(&"IRN".to_owned()));
    let no = read(
        call_query(
            &sandbox,
            "/supported-documents",
            &[("includeNonLatin", "false")],
        )
        .await,
    );
    assert_eq!(docs(&no), docs(&latin));

    // Unsigned, as the official Java SDK sends it: served too, and logged as unsigned.
    let target = format!(
        "{}/supported-documents?includeNonLatin=true",
        base_path(&sandbox)
    );
    let unsigned = send_raw(&sandbox, "GET", &target, &[], b"")
        .await
        .expect("response");
    assert_eq!(docs(&read(unsigned)), docs(&all));
    let last = sandbox.request_log().pop().expect("logged");
    assert_eq!(
        (last.route, last.signature_verified),
        (Some(Route::GetSupportedDocuments), false)
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_create_that_got_a_fault_created_nothing() {
    let sandbox = sandbox().await;
    sandbox.add_faults(Route::CreateSession, [Fault::service_unavailable()]);
    let reply = create_session(&sandbox, &json!({})).await;
    assert_eq!(reply.status, 503);
    assert_eq!(sandbox.created_sessions(), 0);
    let creates: Vec<_> = sandbox
        .request_log()
        .into_iter()
        .filter(|e| e.route == Some(Route::CreateSession))
        .collect();
    assert_eq!(creates.len(), 1);
    assert!(creates[0].signature_verified);
    assert_eq!(create_session(&sandbox, &json!({})).await.status, 201);
    sandbox.shutdown().await;
}
