//! Face capture through signed requests: create the resource for the session's `FACE_CAPTURE`
//! requirement, upload its image as `multipart/form-data` (signed over the whole body), read
//! it back byte for byte, and see `FACE_COMPARISON` use it.

mod common;

use common::*;
use idv_sandbox::{LivenessUpload, Route, Sandbox, SandboxHandle};
use serde_json::{Value, json};

const BOUNDARY: &str = "yoti-doc-scan-boundary";

async fn sandbox() -> SandboxHandle {
    Sandbox::builder().test_app().start().await.expect("start")
}

fn spec() -> Value {
    json!({"requested_checks": [
        {"type": "LIVENESS", "config": {"liveness_type": "ZOOM"}},
        {"type": "FACE_COMPARISON", "config": {"manual_check": "NEVER"}}
    ]})
}

/// The requirement ids of the session's configuration, by type.
async fn requirement(sandbox: &SandboxHandle, session_id: &str, kind: &str) -> String {
    let reply = call(
        sandbox,
        "GET",
        &format!("/sessions/{session_id}/configuration"),
    )
    .await;
    assert_eq!(reply.status, 200);
    reply.json()["capture"]["required_resources"]
        .as_array()
        .expect("requirements")
        .iter()
        .find(|r| r["type"] == kind)
        .and_then(|r| r["id"].as_str())
        .expect("requirement")
        .to_owned()
}

async fn create_capture(sandbox: &SandboxHandle, session_id: &str, body: &Value) -> Reply {
    let body = serde_json::to_vec(body).expect("json");
    let path = format!("/sessions/{session_id}/resources/face-capture");
    call_with_body(sandbox, "POST", &path, &body).await
}

/// A form as the official Java SDK writes it: one part, fixed boundary.
fn form(name: &str, content_type: &str, image: &[u8]) -> Vec<u8> {
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"; \
         filename=\"face-capture-image\"\r\nContent-Type: {content_type}\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(image);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// `PUT …/image` with this body and request `Content-Type`, signed over the whole body.
async fn upload(
    sandbox: &SandboxHandle,
    session_id: &str,
    resource_id: &str,
    content_type: &str,
    body: &[u8],
) -> Reply {
    let path = format!("/sessions/{session_id}/resources/face-capture/{resource_id}/image");
    let signed = sign(&signer(), "PUT", &path, body).await;
    let target = format!("{}{}", base_path(sandbox), signed.path_and_query());
    let mut headers: Vec<(&str, &str)> = signed.headers().to_vec();
    headers.push(("Content-Type", content_type));
    send_raw(sandbox, "PUT", &target, &headers, body)
        .await
        .expect("response")
}

fn multipart_type() -> String {
    format!("multipart/form-data; boundary={BOUNDARY}")
}

#[tokio::test]
async fn an_uploaded_face_capture_is_served_back_and_compared() {
    let sandbox = sandbox().await;
    let session = created(&sandbox, &spec()).await;
    let id = &session.session_id;
    let requirement_id = requirement(&sandbox, id, "FACE_CAPTURE").await;

    let reply = create_capture(&sandbox, id, &json!({"requirement_id": requirement_id})).await;
    assert_eq!(
        reply.status,
        201,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    let created_resource = reply.json();
    assert_eq!(created_resource["frames"], 1);
    let typed: idv_model::FaceCaptureResourceResponse =
        idv_model::from_slice(&reply.body).expect("model");
    assert_no_unknown_fields(&typed);
    let resource_id = typed.id.expect("id");

    // Listed without an image until one is uploaded.
    let (_, raw) = model_session(&sandbox, id).await;
    let capture = &raw["resources"]["face_capture"][0];
    assert_eq!(capture["id"], resource_id.as_str());
    assert_eq!(capture["source"], json!({"type": "RELYING_BUSINESS"}));
    assert!(capture.get("image").is_none());

    let image = PNG_BYTES;
    let reply = upload(
        &sandbox,
        id,
        &resource_id,
        &multipart_type(),
        &form("binary-content", "image/png", image),
    )
    .await;
    assert_eq!(
        reply.status,
        204,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    assert_eq!(sandbox.upload_bytes(), image.len());

    let (model, raw) = model_session(&sandbox, id).await;
    let resources = model.resources.as_ref().expect("resources");
    let media_id = resources.face_capture[0]
        .image
        .as_ref()
        .and_then(|h| h.media.as_ref())
        .and_then(|m| m.id.clone())
        .expect("image media");
    assert_eq!(
        raw["resources"]["face_capture"][0]["image"]["media"]["type"],
        "IMAGE"
    );
    let reply = call(
        &sandbox,
        "GET",
        &format!("/sessions/{id}/media/{media_id}/content"),
    )
    .await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.content_type(), Some("image/png"));
    assert_eq!(&reply.body[..], image, "byte for byte");

    // The requirement is met, as the user side sees it.
    let user = session.user(&sandbox);
    let status = user.status().await.expect("status");
    let face = status
        .requirements
        .iter()
        .find(|r| r.requirement_type == "FACE_CAPTURE")
        .expect("face requirement");
    assert_eq!(face.resource_id.as_deref(), Some(resource_id.as_str()));
    // Met: a second capture for it is not needed.
    let reply = create_capture(&sandbox, id, &json!({"requirement_id": requirement_id})).await;
    assert_eq!(
        (reply.status.as_u16(), reply.code().as_str()),
        (409, "RESOURCE_NOT_REQUIRED")
    );

    // A second upload replaces the image (the first is gone, its bytes given back).
    let reply = upload(
        &sandbox,
        id,
        &resource_id,
        &multipart_type(),
        &form("binary-content", "image/jpeg", JPEG_BYTES),
    )
    .await;
    assert_eq!(reply.status, 204);
    assert_eq!(sandbox.upload_bytes(), JPEG_BYTES.len());
    let reply = call(
        &sandbox,
        "GET",
        &format!("/sessions/{id}/media/{media_id}/content"),
    )
    .await;
    assert_eq!(reply.code(), "MEDIA_NOT_FOUND");

    // Finishing: FACE_COMPARISON uses the capture and the liveness.
    let liveness = user
        .add_liveness(&LivenessUpload::required_type())
        .await
        .expect("liveness");
    user.finish().await.expect("finish");
    let (_, raw) = model_session(&sandbox, id).await;
    let comparison = raw["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .find(|c| c["type"] == "FACE_COMPARISON")
        .expect("comparison");
    assert_eq!(
        comparison["resources_used"],
        json!([resource_id, liveness.resource_id])
    );
    assert_eq!(
        comparison["report"]["recommendation"],
        json!({"value": "APPROVE"})
    );
    assert_eq!(
        comparison["report"]["breakdown"][0]["sub_check"],
        "ai_face_match"
    );

    // The log shows both routes, signed.
    let log = sandbox.request_log();
    for route in [Route::CreateFaceCapture, Route::UploadFaceCaptureImage] {
        assert!(
            log.iter()
                .any(|e| e.route == Some(route) && e.signature_verified),
            "{route}"
        );
    }
    sandbox.shutdown().await;
}

#[tokio::test]
async fn without_a_face_capture_the_comparison_is_not_available() {
    let sandbox = sandbox().await;
    let session = created(&sandbox, &spec()).await;
    let user = session.user(&sandbox);
    user.add_liveness(&LivenessUpload::required_type())
        .await
        .expect("liveness");
    user.finish()
        .await
        .expect("finish without the face capture");
    let (_, raw) = model_session(&sandbox, &session.session_id).await;
    let comparison = raw["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .find(|c| c["type"] == "FACE_COMPARISON")
        .expect("comparison");
    assert_eq!(
        comparison["report"]["recommendation"],
        json!({"value": "NOT_AVAILABLE", "reason": "NO_FACE_CAPTURE"})
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn bad_resources_and_bad_forms_are_refused() {
    let sandbox = sandbox().await;
    let session = created(&sandbox, &spec()).await;
    let id = &session.session_id;

    // The requirement must be one of the session's FACE_CAPTURE requirements.
    let liveness_requirement = requirement(&sandbox, id, "LIVENESS").await;
    for body in [
        json!({"requirement_id": liveness_requirement}),
        json!({"requirement_id": "no-such-requirement"}),
        json!({}),
        json!({"requirement_id": 7}),
    ] {
        let reply = create_capture(&sandbox, id, &body).await;
        assert_eq!(reply.status, 400, "{body}");
        assert_eq!(
            reply.json()["errors"][0]["property"],
            "requirement_id",
            "{body}"
        );
    }
    let reply = create_capture(&sandbox, "no-such-session", &json!({"requirement_id": "x"})).await;
    assert_eq!(reply.code(), "SESSION_NOT_FOUND");

    let requirement_id = requirement(&sandbox, id, "FACE_CAPTURE").await;
    let reply = create_capture(&sandbox, id, &json!({"requirement_id": requirement_id})).await;
    let resource_id = reply.json()["id"].as_str().expect("id").to_owned();

    let good = form("binary-content", "image/jpeg", JPEG_BYTES);
    let mut unclosed = good.clone();
    unclosed.truncate(good.len() - format!("--{BOUNDARY}--\r\n").len());
    let mut two_parts = form("binary-content", "image/jpeg", JPEG_BYTES);
    two_parts.truncate(two_parts.len() - 4);
    two_parts.extend_from_slice(
        b"\r\nContent-Disposition: form-data; name=\"extra\"\r\n\r\nx\r\n--yoti-doc-scan-boundary--\r\n",
    );
    let cases: Vec<(&str, String, Vec<u8>)> = vec![
        ("Content-Type", "application/json".to_owned(), good.clone()),
        (
            "Content-Type",
            "multipart/form-data".to_owned(),
            good.clone(),
        ),
        ("body", multipart_type(), unclosed),
        ("body", multipart_type(), b"garbage".to_vec()),
        (
            "body",
            multipart_type(),
            form("image", "image/jpeg", JPEG_BYTES),
        ),
        ("body", multipart_type(), two_parts),
        (
            "binary-content",
            multipart_type(),
            format!("--{BOUNDARY}--\r\n").into_bytes(),
        ),
        (
            "binary-content.content_type",
            multipart_type(),
            form("binary-content", "image/gif", b"GIF89a"),
        ),
        (
            "binary-content",
            multipart_type(),
            form("binary-content", "image/png", JPEG_BYTES),
        ),
    ];
    for (property, content_type, body) in cases {
        let reply = upload(&sandbox, id, &resource_id, &content_type, &body).await;
        assert_eq!(reply.status, 400, "{property} {content_type}");
        let json = reply.json();
        assert_eq!(json["code"], "PAYLOAD_VALIDATION");
        assert_eq!(json["errors"][0]["property"], property, "{json}");
    }

    // The signature covers the whole multipart body: one byte changed after signing fails.
    let path = format!("/sessions/{id}/resources/face-capture/{resource_id}/image");
    let signed = sign(&signer(), "PUT", &path, &good).await;
    let mut tampered = good.clone();
    let last_image_byte = good.len() - format!("\r\n--{BOUNDARY}--\r\n").len() - 1;
    tampered[last_image_byte] ^= 1;
    let target = format!("{}{}", base_path(&sandbox), signed.path_and_query());
    let mut headers: Vec<(&str, &str)> = signed.headers().to_vec();
    let content_type = multipart_type();
    headers.push(("Content-Type", &content_type));
    let reply = send_raw(&sandbox, "PUT", &target, &headers, &tampered)
        .await
        .expect("response");
    assert_eq!(
        (reply.status.as_u16(), reply.code().as_str()),
        (401, "INVALID_SIGNATURE")
    );

    // An unknown resource, and nothing stored by any of the refusals.
    let reply = upload(&sandbox, id, "no-such-resource", &multipart_type(), &good).await;
    assert_eq!(
        (reply.status.as_u16(), reply.code().as_str()),
        (404, "RESOURCE_NOT_FOUND")
    );
    assert_eq!(sandbox.upload_bytes(), 0);
    let (_, raw) = model_session(&sandbox, id).await;
    assert!(raw["resources"]["face_capture"][0].get("image").is_none());
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_finished_session_takes_no_face_capture() {
    let sandbox = sandbox().await;
    let session = created(&sandbox, &spec()).await;
    let id = &session.session_id;
    let requirement_id = requirement(&sandbox, id, "FACE_CAPTURE").await;
    let reply = create_capture(&sandbox, id, &json!({"requirement_id": requirement_id})).await;
    let resource_id = reply.json()["id"].as_str().expect("id").to_owned();
    let user = session.user(&sandbox);
    user.add_liveness(&LivenessUpload::required_type())
        .await
        .expect("liveness");
    user.finish().await.expect("finish");
    let reply = upload(
        &sandbox,
        id,
        &resource_id,
        &multipart_type(),
        &form("binary-content", "image/png", PNG_BYTES),
    )
    .await;
    assert_eq!(
        (reply.status.as_u16(), reply.code().as_str()),
        (409, "SESSION_COMPLETED")
    );
    let reply = create_capture(&sandbox, id, &json!({"requirement_id": requirement_id})).await;
    assert_eq!(reply.code(), "SESSION_COMPLETED");
    sandbox.shutdown().await;
}
