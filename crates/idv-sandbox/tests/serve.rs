//! Sessions, stages, DELETE, media content and types, 204 media, 404s.

mod common;

use std::time::Duration;

use common::*;
use idv_sandbox::{PRODUCT_PAGE_SESSION_ID, PRODUCT_PAGE_STAGES, Route, Sandbox, SandboxHandle};

const SESSION: &str = PRODUCT_PAGE_SESSION_ID;

async fn product_page() -> SandboxHandle {
    Sandbox::product_page_demo()
        .test_app()
        .start()
        .await
        .expect("start")
}

fn media_path(session: &str, media: &str) -> String {
    format!("/sessions/{session}/media/{media}/content")
}

#[tokio::test]
async fn stages_advance_once_per_retrieval_and_stay_on_the_last() {
    let sandbox = product_page().await;
    for expected in PRODUCT_PAGE_STAGES
        .iter()
        .chain([PRODUCT_PAGE_STAGES[4]; 2].iter())
    {
        let reply = call(&sandbox, "GET", &format!("/sessions/{SESSION}")).await;
        assert_eq!(reply.status, 200);
        assert_eq!(reply.content_type(), Some("application/json"));
        assert_eq!(&reply.body[..], *expected, "served byte-for-byte as stored");
    }
    sandbox.shutdown().await;
}

#[tokio::test]
async fn stages_advance_on_an_interval() {
    let sandbox = Sandbox::product_page_demo()
        .test_app()
        // Long enough that two back-to-back calls fall in the first interval even on a
        // loaded machine.
        .stage_interval(Duration::from_secs(3))
        .start()
        .await
        .expect("start");
    let path = format!("/sessions/{SESSION}");
    assert_eq!(
        &call(&sandbox, "GET", &path).await.body[..],
        PRODUCT_PAGE_STAGES[0]
    );
    assert_eq!(
        &call(&sandbox, "GET", &path).await.body[..],
        PRODUCT_PAGE_STAGES[0]
    );
    tokio::time::sleep(Duration::from_millis(3100)).await;
    // Moved on by time (how far depends on how late this call is).
    let body = call(&sandbox, "GET", &path).await.body;
    let stage = PRODUCT_PAGE_STAGES
        .iter()
        .position(|s| body[..] == **s)
        .expect("a stage");
    assert!(stage >= 1, "still on stage {stage} after the interval");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn sessions_from_files_and_values_are_grouped_by_session_id() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a1 = dir.path().join("a1.json");
    let a2 = dir.path().join("a2.json");
    // Unusual formatting and unknown fields must reach the client untouched.
    std::fs::write(
        &a1,
        b"{ \"session_id\" : \"a\", \"state\": \"ONGOING\", \"x_new\": [1, 2] }\n",
    )
    .expect("write");
    std::fs::write(&a2, b"{\"session_id\":\"a\",\"state\":\"COMPLETED\"}").expect("write");
    let sandbox = Sandbox::builder()
        .test_app()
        .session_file(&a1)
        .session_value(&serde_json::json!({"session_id": "b", "state": "ONGOING"}))
        .session_file(&a2)
        .start()
        .await
        .expect("start");
    assert_eq!(sandbox.session_ids(), vec!["a", "b"]);
    assert_eq!(
        &call(&sandbox, "GET", "/sessions/a").await.body[..],
        &std::fs::read(&a1).expect("a1")[..]
    );
    assert_eq!(
        &call(&sandbox, "GET", "/sessions/a").await.body[..],
        &std::fs::read(&a2).expect("a2")[..]
    );
    assert_eq!(
        call(&sandbox, "GET", "/sessions/b").await.json()["session_id"],
        "b"
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn invalid_sessions_are_refused_at_start() {
    let not_json = Sandbox::builder()
        .session_stages([&b"{not json"[..]])
        .start()
        .await;
    assert!(matches!(
        not_json,
        Err(idv_sandbox::SandboxError::InvalidSession { .. })
    ));
    let no_id = Sandbox::builder()
        .session_stages([&b"{\"state\":\"ONGOING\"}"[..]])
        .start()
        .await;
    let err = no_id.expect_err("no session_id");
    assert!(err.to_string().contains("session_id"), "{err}");
    let missing = Sandbox::builder()
        .session_file("/nonexistent/session.json")
        .start()
        .await;
    assert!(matches!(missing, Err(idv_sandbox::SandboxError::Io { .. })));
    let bad_key = Sandbox::builder()
        .app_pem(
            "x",
            "-----BEGIN PUBLIC KEY-----\nAA==\n-----END PUBLIC KEY-----\n",
        )
        .start()
        .await;
    assert!(matches!(
        bad_key,
        Err(idv_sandbox::SandboxError::InvalidAppKey { .. })
    ));
}

#[tokio::test]
async fn delete_session_removes_it_and_its_media() {
    let sandbox = product_page().await;
    let media = sandbox.media_ids(SESSION);
    assert!(!media.is_empty());
    let path = format!("/sessions/{SESSION}");
    let reply = call(&sandbox, "DELETE", &path).await;
    assert_eq!(reply.status, 204);
    assert!(reply.body.is_empty());
    let gone = call(&sandbox, "GET", &path).await;
    assert_eq!(
        (gone.status.as_u16(), gone.code().as_str()),
        (404, "SESSION_NOT_FOUND")
    );
    let again = call(&sandbox, "DELETE", &path).await;
    assert_eq!(again.status, 404);
    let media_reply = call(&sandbox, "GET", &media_path(SESSION, &media[0])).await;
    assert_eq!(
        (media_reply.status.as_u16(), media_reply.code().as_str()),
        (404, "SESSION_NOT_FOUND")
    );
    assert!(sandbox.session_ids().is_empty());
    sandbox.shutdown().await;
}

#[tokio::test]
async fn every_media_of_the_product_page_has_content_of_its_type() {
    let sandbox = product_page().await;
    let session = idv_model::parse_session(PRODUCT_PAGE_STAGES[4]).expect("model parses");
    let refs = session.media_refs();
    assert!(refs.len() >= 10);
    let mut images = 0;
    for r in &refs {
        let reply = call(&sandbox, "GET", &media_path(SESSION, r.media_id)).await;
        assert_eq!(reply.status, 200, "{}", r.media_id);
        match r.media_type.map(ToString::to_string).as_deref() {
            Some("IMAGE") => {
                images += 1;
                assert_eq!(reply.content_type(), Some("image/png"));
                let decoder = png::Decoder::new(std::io::Cursor::new(reply.body.to_vec()));
                let mut reader = decoder.read_info().expect("PNG header");
                let mut buf = vec![0; reader.output_buffer_size().expect("size")];
                let info = reader.next_frame(&mut buf).expect("PNG data");
                assert!(info.width >= 100 && info.height >= 50);
            }
            Some("JSON") => {
                assert_eq!(reply.content_type(), Some("application/json"));
                assert_eq!(reply.json()["media_id"], r.media_id);
            }
            other => panic!("unexpected media type {other:?} in the product page"),
        }
    }
    assert!(images >= 8);
    // Different frames get different pictures.
    let a = call(&sandbox, "GET", &media_path(SESSION, refs[0].media_id))
        .await
        .body;
    let b = call(&sandbox, "GET", &media_path(SESSION, refs[1].media_id))
        .await
        .body;
    assert_ne!(a, b);
    sandbox.shutdown().await;
}

fn custom_session() -> serde_json::Value {
    serde_json::json!({
        "session_id": "custom-1",
        "state": "COMPLETED",
        "resources": {"id_documents": [{
            "id": "doc-1",
            "document_type": "NATIONAL_ID",
            "issuing_country": "FRA",
            "pages": [{"media": {"id": "page-img", "type": "IMAGE"}}],
            "document_fields": {"media": {"id": "fields-json", "type": "JSON"}},
            "file": {"media": {"id": "scan-pdf", "type": "PDF"}},
            "tasks": [{"generated_media": [{"id": "gen-bin", "type": "BINARY"}]}]
        }]},
        "checks": []
    })
}

#[tokio::test]
async fn pdf_binary_and_json_media_are_synthesised() {
    let sandbox = Sandbox::builder()
        .test_app()
        .session_value(&custom_session())
        .start()
        .await
        .expect("start");
    let pdf = call(&sandbox, "GET", &media_path("custom-1", "scan-pdf")).await;
    assert_eq!(pdf.status, 200);
    assert_eq!(pdf.content_type(), Some("application/pdf"));
    assert!(pdf.body.starts_with(b"%PDF-"));
    assert!(
        String::from_utf8_lossy(&pdf.body)
            .trim_end()
            .ends_with("%%EOF")
    );
    assert!(String::from_utf8_lossy(&pdf.body).contains("NATIONAL_ID FRA"));

    let bin = call(&sandbox, "GET", &media_path("custom-1", "gen-bin")).await;
    assert_eq!(bin.content_type(), Some("application/octet-stream"));
    assert!(!bin.body.is_empty());

    let json = call(&sandbox, "GET", &media_path("custom-1", "fields-json")).await;
    assert_eq!(json.content_type(), Some("application/json"));
    assert_eq!(json.json()["media_type"], "JSON");

    let png = call(&sandbox, "GET", &media_path("custom-1", "page-img")).await;
    assert!(png.body.starts_with(b"\x89PNG"));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn media_come_from_the_directory_when_present() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("page-img.jpg"), b"\xFF\xD8\xFFfake-jpeg").expect("write");
    std::fs::write(dir.path().join("extra-media"), b"extra").expect("write");
    std::fs::write(dir.path().join("scan-tiff.TIF"), b"II*\0fake-tiff").expect("write");
    let sandbox = Sandbox::builder()
        .test_app()
        .session_value(&custom_session())
        .media_dir(dir.path())
        .start()
        .await
        .expect("start");
    let img = call(&sandbox, "GET", &media_path("custom-1", "page-img")).await;
    assert_eq!(img.status, 200);
    assert_eq!(img.content_type(), Some("image/jpeg"));
    assert_eq!(&img.body[..], b"\xFF\xD8\xFFfake-jpeg");
    // Media without a file are still synthesised.
    let pdf = call(&sandbox, "GET", &media_path("custom-1", "scan-pdf")).await;
    assert!(pdf.body.starts_with(b"%PDF-"));
    // A file in the directory is served even if no stage references it.
    let extra = call(&sandbox, "GET", &media_path("custom-1", "extra-media")).await;
    assert_eq!(
        (extra.status.as_u16(), &extra.body[..]),
        (200, &b"extra"[..])
    );
    assert_eq!(extra.content_type(), Some("application/octet-stream"));
    // The content type comes from idv-model's table (TIFF was once served as octet-stream).
    let tiff = call(&sandbox, "GET", &media_path("custom-1", "scan-tiff")).await;
    assert_eq!(tiff.status, 200);
    assert_eq!(tiff.content_type(), Some("image/tiff"));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn no_content_media_answer_204_and_deleted_media_404() {
    let sandbox = Sandbox::builder()
        .test_app()
        .session_value(&custom_session())
        .no_content("fields-json")
        .start()
        .await
        .expect("start");
    let empty = call(&sandbox, "GET", &media_path("custom-1", "fields-json")).await;
    assert_eq!(empty.status, 204);
    assert!(empty.body.is_empty());
    assert_eq!(empty.content_type(), None);

    let delete = call(&sandbox, "DELETE", &media_path("custom-1", "page-img")).await;
    assert_eq!(delete.status, 204);
    let gone = call(&sandbox, "GET", &media_path("custom-1", "page-img")).await;
    assert_eq!(
        (gone.status.as_u16(), gone.code().as_str()),
        (404, "MEDIA_NOT_FOUND")
    );
    let twice = call(&sandbox, "DELETE", &media_path("custom-1", "page-img")).await;
    assert_eq!(
        (twice.status.as_u16(), twice.code().as_str()),
        (404, "MEDIA_NOT_FOUND")
    );
    // Other media and the session are untouched.
    assert_eq!(
        call(&sandbox, "GET", &media_path("custom-1", "scan-pdf"))
            .await
            .status,
        200
    );
    assert_eq!(
        call(&sandbox, "GET", "/sessions/custom-1").await.status,
        200
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn unknown_things_are_404_with_an_error_body() {
    let sandbox = product_page().await;
    let cases = [
        (
            "GET",
            media_path(SESSION, "no-such-media"),
            "MEDIA_NOT_FOUND",
        ),
        (
            "DELETE",
            media_path(SESSION, "no-such-media"),
            "MEDIA_NOT_FOUND",
        ),
        (
            "GET",
            "/sessions/no-such-session".to_owned(),
            "SESSION_NOT_FOUND",
        ),
        (
            "GET",
            media_path("no-such-session", "m"),
            "SESSION_NOT_FOUND",
        ),
        // (Configuration and `POST /sessions` exist now: see tests/app_routes.rs.)
        (
            "GET",
            format!("/sessions/{SESSION}/no-such-thing"),
            "NOT_FOUND",
        ),
        ("PATCH", "/sessions".to_owned(), "NOT_FOUND"),
        ("PUT", format!("/sessions/{SESSION}"), "NOT_FOUND"),
        ("GET", "/sessions/".to_owned(), "NOT_FOUND"),
        ("GET", "/".to_owned(), "NOT_FOUND"),
    ];
    for (method, path, code) in &cases {
        let reply = call(&sandbox, method, path).await;
        assert_eq!(reply.status, 404, "{method} {path}");
        assert_eq!(reply.content_type(), Some("application/json"));
        assert_eq!(reply.code(), *code, "{method} {path}");
    }
    let log = sandbox.request_log();
    assert!(
        log.iter().all(|e| e.signature_verified),
        "these were authenticated"
    );
    assert_eq!(log[0].route, Some(Route::GetMedia));
    assert_eq!(log[4].route, None);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_custom_base_path_and_the_root_are_served() {
    for (given, prefix) in [("sandbox/idverify/v1/", "/sandbox/idverify/v1"), ("/", "")] {
        let sandbox = Sandbox::product_page_demo()
            .test_app()
            .base_path(given)
            .start()
            .await
            .expect("start");
        assert!(
            sandbox
                .base_url()
                .ends_with(&format!("{}{prefix}", sandbox.local_addr()))
        );
        let reply = call(&sandbox, "GET", &format!("/sessions/{SESSION}")).await;
        assert_eq!(reply.status, 200);
        assert_eq!(
            sandbox.request_log()[0].path,
            format!("{prefix}/sessions/{SESSION}")
        );
        sandbox.shutdown().await;
    }
}
