//! Face capture and in-branch instructions through the public API, with an in-memory server:
//! request shapes (multipart signed over the whole body), refusals before sending, and the
//! one-call face capture.

mod common;

use common::*;
use idv_client::ErrorKind;

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR-rest-of-image";
const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0, 16, b'J', b'F', b'I', b'F'];

const CONFIGURATION: &[u8] = br#"{"session_id":"s","capture":{"required_resources":[
    {"type":"LIVENESS","id":"live-req","liveness_type":"ZOOM"},
    {"type":"FACE_CAPTURE","id":"face-req","state":"REQUIRED"},
    {"type":"FACE_CAPTURE","id":"second-face-req"}]}}"#;

#[tokio::test]
async fn the_image_upload_is_one_signed_multipart_part() {
    let f = fake(|_, _| Ok(response(200, None, b"")));
    f.client
        .upload_face_capture_image(SESSION, "res-1", "image/jpg", JPEG)
        .await
        .unwrap();
    let seen = f.seen.lock().unwrap();
    let s = &seen[0];
    assert_eq!(s.method, "PUT");
    assert_eq!(
        s.uri.path(),
        format!("/idverify/v1/sessions/{SESSION}/resources/face-capture/res-1/image")
    );
    let content_type = s.headers["content-type"].to_str().unwrap();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .expect(content_type);
    let body = &s.body[..];
    let head = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"binary-content\"; \
         filename=\"face-capture-image\"\r\nContent-Type: image/jpeg\r\n\r\n"
    );
    assert!(body.starts_with(head.as_bytes()));
    assert!(body[head.len()..].starts_with(JPEG));
    assert!(body.ends_with(format!("\r\n--{boundary}--\r\n").as_bytes()));
    // The signature covers the whole multipart body: PUT&path?query&BASE64(body).
    let signed = &f.signer.messages.lock().unwrap()[0];
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD.encode(body);
    assert!(signed.ends_with(&format!("&{b64}")), "{signed}");
}

#[tokio::test]
async fn bad_images_are_refused_before_anything_is_sent() {
    let f = fake(|_, _| Ok(response(200, None, b"")));
    for (content_type, bytes) in [
        ("image/gif", PNG),
        ("image/png", JPEG),
        ("image/jpeg", PNG),
        ("image/png", &b""[..]),
        ("text/plain", JPEG),
    ] {
        let err = f
            .client
            .upload_face_capture_image(SESSION, "res-1", content_type, bytes)
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{content_type}");
        let err = f
            .client
            .upload_face_capture(SESSION, content_type, bytes)
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{content_type}");
    }
    assert!(f.seen.lock().unwrap().is_empty());
}

#[tokio::test]
async fn the_one_call_face_capture_uses_the_first_face_capture_requirement() {
    let f = fake(|n, s| {
        Ok(match (n, s.method.as_str()) {
            (0, "GET") => response(200, Some("application/json"), CONFIGURATION),
            (1, "POST") => response(
                201,
                Some("application/json"),
                br#"{"id":"res-9","frames":1}"#,
            ),
            (2, "PUT") => response(200, None, b""),
            _ => response(500, None, b""),
        })
    });
    let upload = f
        .client
        .upload_face_capture(SESSION, "image/png", PNG)
        .await
        .unwrap();
    assert_eq!(upload.requirement_id, "face-req");
    assert_eq!(upload.resource.id.as_deref(), Some("res-9"));
    let seen = f.seen.lock().unwrap();
    assert_eq!(seen.len(), 3);
    assert!(seen[0].uri.path().ends_with("/configuration"));
    assert!(seen[1].uri.path().ends_with("/resources/face-capture"));
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&seen[1].body).unwrap(),
        serde_json::json!({"requirement_id": "face-req"})
    );
    assert!(
        seen[2]
            .uri
            .path()
            .ends_with("/resources/face-capture/res-9/image")
    );
}

#[tokio::test]
async fn without_a_face_capture_requirement_nothing_is_created() {
    let f = fake(|_, _| {
        Ok(response(
            200,
            Some("application/json"),
            br#"{"capture":{"required_resources":[{"type":"LIVENESS","id":"x"}]}}"#,
        ))
    });
    let err = f
        .client
        .upload_face_capture(SESSION, "image/png", PNG)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnexpectedResponse);
    assert_eq!(f.seen.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn ibv_instructions_calls() {
    let f = fake(|_, s| {
        Ok(match (s.method.as_str(), s.uri.path().rsplit('/').next().unwrap()) {
            ("GET", "instructions") => response(
                200,
                Some("application/json"),
                br#"{"contact_profile_exists":true,"documents":[{"requirement_id":"r",
                    "document":{"type":"SOMETHING_NEW","country_code":"GBR","document_type":"PASSPORT"}}],
                    "branch":{"type":"A_NEW_BRANCH_TYPE","name":"Town"}}"#,
            ),
            ("GET", "pdf") => response(204, None, b""),
            ("GET", "contact-profile") => response(
                200,
                Some("application/json"),
                br#"{"first_name":"A","last_name":"B","email":"a@b.example"}"#,
            ),
            _ => response(200, None, b""),
        })
    });
    let body = serde_json::json!({"branch": {"type": "UK_POST_OFFICE"}, "documents": []});
    f.client.put_ibv_instructions(SESSION, &body).await.unwrap();
    let got = f.client.get_ibv_instructions(SESSION).await.unwrap();
    assert_eq!(got.contact_profile_exists, Some(true));
    let branch = got.branch.as_ref().unwrap();
    assert_eq!(branch.branch_type.as_deref(), Some("A_NEW_BRANCH_TYPE"));
    assert_eq!(
        got.documents[0]
            .document
            .as_ref()
            .unwrap()
            .document_kind
            .as_ref()
            .map(|k| k.as_str()),
        Some("SOMETHING_NEW")
    );
    assert!(
        f.client
            .get_ibv_instructions_pdf(SESSION)
            .await
            .unwrap()
            .is_none()
    );
    let profile = f.client.get_ibv_contact_profile(SESSION).await.unwrap();
    assert_eq!(profile.email.as_deref(), Some("a@b.example"));
    f.client
        .trigger_ibv_instructions_email(SESSION)
        .await
        .unwrap();
    let seen = f.seen.lock().unwrap();
    let shapes: Vec<(String, String)> = seen
        .iter()
        .map(|s| (s.method.clone(), s.uri.path().to_owned()))
        .collect();
    let base = format!("/idverify/v1/sessions/{SESSION}/instructions");
    assert_eq!(
        shapes,
        [
            ("PUT".into(), base.clone()),
            ("GET".into(), base.clone()),
            ("GET".into(), format!("{base}/pdf")),
            ("GET".into(), format!("{base}/contact-profile")),
            ("POST".into(), format!("{base}/email")),
        ]
    );
    assert!(seen[4].body.is_empty());
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&seen[0].body).unwrap(),
        body
    );
}

#[tokio::test]
async fn response_configs_are_put_and_retried_as_idempotent() {
    let f = fake(|n, _| {
        Ok(if n % 2 == 0 {
            response(503, None, b"")
        } else {
            response(200, None, b"")
        })
    });
    let config = serde_json::json!({"check_reports": {"async_report_delay": 5}});
    f.client
        .put_session_response_config(SESSION, &config)
        .await
        .unwrap();
    f.client.put_app_response_config(&config).await.unwrap();
    let seen = f.seen.lock().unwrap();
    let paths: Vec<(&str, &str)> = seen
        .iter()
        .map(|s| (s.method.as_str(), s.uri.path()))
        .collect();
    let session_path = format!("/idverify/v1/sessions/{SESSION}/response-config");
    let app_path = format!("/idverify/v1/apps/{SDK_ID}/response-config");
    assert_eq!(
        paths,
        [
            ("PUT", session_path.as_str()),
            ("PUT", session_path.as_str()),
            ("PUT", app_path.as_str()),
            ("PUT", app_path.as_str()),
        ],
        "a 503 on a PUT that replaces a config is retried"
    );
    assert!(
        seen.iter()
            .all(|s| serde_json::from_slice::<serde_json::Value>(&s.body).unwrap() == config)
    );
}
