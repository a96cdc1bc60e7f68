//! Face capture and in-branch instructions end to end against `idv-sandbox`, over plain HTTP
//! and TLS: success, API errors and the special statuses.

use std::sync::OnceLock;

use idv_client::{ErrorKind, IdvClient};
use idv_model::spec::{ManualCheck, RequestedCheck, RequiredDocument, SessionSpec};
use idv_model::{LivenessType, SessionState};
use idv_sandbox::{
    AppKeys, IdDocumentUpload, LivenessUpload, Sandbox, SandboxHandle, StatusCode, UserSide,
    generate_app_keys,
};

fn keys() -> &'static AppKeys {
    static KEYS: OnceLock<AppKeys> = OnceLock::new();
    KEYS.get_or_init(|| generate_app_keys().expect("keys"))
}

async fn start(tls: bool) -> (SandboxHandle, IdvClient) {
    let mut b = Sandbox::builder().app_keys(keys());
    if tls {
        b = b.tls();
    }
    let sandbox = b.start().await.expect("sandbox");
    let mut c = IdvClient::builder()
        .sdk_id(&keys().sdk_id)
        .key_pem(keys().private_key_pem.as_bytes())
        .base_url(sandbox.base_url());
    if let Some(ca) = sandbox.ca_pem() {
        c = c.add_root_certificate_pem(ca.as_bytes());
    }
    (sandbox, c.build().expect("client"))
}

/// A small real PNG (the sandbox checks the form and the type, not the pixels).
fn png() -> Vec<u8> {
    let mut image = b"\x89PNG\r\n\x1a\n".to_vec();
    image.extend_from_slice(&[0, 0, 0, 13, b'I', b'H', b'D', b'R']);
    image.extend((0u8..=255).cycle().take(300));
    image
}

async fn face_capture(tls: bool) {
    let (sandbox, client) = start(tls).await;
    let spec = SessionSpec::builder()
        .requested_check(RequestedCheck::liveness(LivenessType::Zoom))
        .requested_check(RequestedCheck::face_comparison(ManualCheck::Never))
        .required_document(RequiredDocument::id_document())
        .build()
        .unwrap();
    let created = client.create_session(&spec).await.unwrap();
    let session_id = created.session_id.clone().unwrap();

    // The one-call form: configuration → FACE_CAPTURE requirement → resource → upload.
    let image = png();
    let upload = client
        .upload_face_capture(&session_id, "image/png", image.clone())
        .await
        .unwrap();
    let resource_id = upload.resource.id.clone().unwrap();

    // The user finishes; the face comparison uses the capture.
    let token = created
        .client_session_token
        .as_ref()
        .unwrap()
        .expose_secret();
    let mut user = UserSide::new(sandbox.base_url(), &session_id, token).unwrap();
    if let Some(ca) = sandbox.ca_pem() {
        user = user.with_ca_pem(ca).unwrap();
    }
    user.add_id_document(&IdDocumentUpload::new("PASSPORT", "GBR"))
        .await
        .unwrap();
    user.add_liveness(&LivenessUpload::required_type())
        .await
        .unwrap();
    user.finish().await.unwrap();
    let session = client.get_session(&session_id).await.unwrap();
    assert_eq!(session.state, Some(SessionState::Completed));
    let capture = session
        .resources
        .as_ref()
        .and_then(|r| {
            r.face_capture
                .iter()
                .find(|c| c.id.as_deref() == Some(&*resource_id))
        })
        .expect("the capture is a resource");
    let media_id = capture
        .image
        .as_ref()
        .and_then(|i| i.media.as_ref())
        .and_then(|m| m.id.clone())
        .expect("the capture's image media");
    // Byte-identical through get_media.
    let media = client
        .get_media(&session_id, &media_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(media.bytes().as_ref(), image.as_slice());
    assert_eq!(media.content_type(), Some("image/png"));
    let comparison = session
        .checks
        .iter()
        .find(|c| {
            c.check_type
                .as_ref()
                .is_some_and(|t| t.as_str() == "FACE_COMPARISON")
        })
        .expect("a face comparison");
    assert!(comparison.resources_used.contains(&resource_id));

    // API errors: an unknown requirement, and an image for an unknown resource.
    let err = client
        .create_face_capture_resource(&session_id, "no-such-requirement")
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Api, "{err}");
    let err = client
        .upload_face_capture_image(&session_id, "no-such-resource", "image/png", image)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Api, "{err}");
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_face_capture_comes_back_byte_identical_over_http() {
    face_capture(false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_face_capture_comes_back_byte_identical_over_tls() {
    face_capture(true).await;
}

async fn instructions(tls: bool) {
    let (sandbox, client) = start(tls).await;
    let spec = SessionSpec::builder()
        .requested_check(RequestedCheck::document_authenticity())
        .required_document(RequiredDocument::id_document())
        .build()
        .unwrap();
    let created = client.create_session(&spec).await.unwrap();
    let session_id = created.session_id.clone().unwrap();

    // Before any instructions: no PDF (204), no contact profile (404).
    assert!(
        client
            .get_ibv_instructions_pdf(&session_id)
            .await
            .unwrap()
            .is_none()
    );
    let err = client
        .get_ibv_contact_profile(&session_id)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::NOT_FOUND));

    let body = serde_json::json!({
        "contact_profile": {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com"},
        "documents": [{"requirement_id": "r-1", "document": {"type": "ID_DOCUMENT", "country_code": "GBR", "document_type": "PASSPORT"}}],
        "branch": {"type": "UK_POST_OFFICE", "name": "Hastings", "post_code": "TN34 1AA",
                   "location": {"latitude": 50.85, "longitude": 0.57}}
    });
    client
        .put_ibv_instructions(&session_id, &body)
        .await
        .unwrap();
    let got = client.get_ibv_instructions(&session_id).await.unwrap();
    assert_eq!(got.contact_profile_exists, Some(true));
    assert_eq!(
        got.branch.as_ref().and_then(|b| b.name.as_deref()),
        Some("Hastings")
    );
    let pdf = client
        .get_ibv_instructions_pdf(&session_id)
        .await
        .unwrap()
        .expect("a PDF once instructions exist");
    assert_eq!(pdf.content_type(), Some("application/pdf"));
    assert!(pdf.bytes().starts_with(b"%PDF-"));
    let profile = client.get_ibv_contact_profile(&session_id).await.unwrap();
    assert_eq!(profile.email.as_deref(), Some("ada@example.com"));
    client
        .trigger_ibv_instructions_email(&session_id)
        .await
        .unwrap();
    assert_eq!(sandbox.instruction_emails(&session_id).len(), 1);

    // A malformed body is the API's validation error.
    let err = client
        .put_ibv_instructions(&session_id, &serde_json::json!({"documents": "not a list"}))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::BAD_REQUEST), "{err}");
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ibv_instructions_over_http() {
    instructions(false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ibv_instructions_over_tls() {
    instructions(true).await;
}
