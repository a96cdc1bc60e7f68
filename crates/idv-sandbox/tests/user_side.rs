//! The user side: token authentication (header or query), expired tokens and deadlines,
//! finished sessions, requirements, upload checks, the store's bounds, and TLS.

mod common;

use std::sync::Arc;

use common::*;
use idv_model::{LivenessType, SessionState};
use idv_sandbox::{
    IdDocumentUpload, LivenessUpload, Route, Sandbox, SandboxHandle, SupplementaryDocumentUpload,
    Upload, UserSide, UserSideError,
};
use serde_json::json;

const T0: u64 = 1_800_000_000_000;

async fn sandbox_at(clock: &Arc<ManualClock>) -> SandboxHandle {
    Sandbox::builder()
        .test_app()
        .clock(Arc::clone(clock) as Arc<dyn idv_sign::Clock>)
        .start()
        .await
        .expect("start")
}

fn passport_spec() -> serde_json::Value {
    json!({
        "client_session_token_ttl": 600,
        "requested_checks": [{"type": "ID_DOCUMENT_AUTHENTICITY", "config": {}}],
        "required_documents": [{"type": "ID_DOCUMENT", "filter": {
            "type": "ORTHOGONAL_RESTRICTIONS",
            "country_restriction": {"inclusion": "WHITELIST", "country_codes": ["GBR", "IRL"]},
            "type_restriction": {"inclusion": "WHITELIST", "document_types": ["PASSPORT"]}}}]
    })
}

fn code(result: Result<impl std::fmt::Debug, UserSideError>) -> (u16, String) {
    let error = result.expect_err("refused");
    (
        error.status().unwrap_or(0),
        error.code().unwrap_or("").to_owned(),
    )
}

/// Sends a raw user-side request (no signature) with these headers.
async fn raw_user(
    sandbox: &SandboxHandle,
    method: &str,
    path_and_query: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Reply {
    let target = format!("{}{path_and_query}", base_path(sandbox));
    send_raw(sandbox, method, &target, headers, body)
        .await
        .expect("response")
}

#[tokio::test]
async fn the_token_comes_in_a_bearer_header_or_the_query() {
    let clock = ManualClock::at(T0);
    let sandbox = sandbox_at(&clock).await;
    let session = created(&sandbox, &passport_spec()).await;
    let path = format!("/user/sessions/{}", session.session_id);

    let missing = raw_user(&sandbox, "GET", &path, &[], b"").await;
    assert_eq!(
        (missing.status.as_u16(), missing.code()),
        (401, "MISSING_SESSION_TOKEN".to_owned())
    );
    let bearer = format!("Bearer {}", session.token);
    let by_header = raw_user(&sandbox, "GET", &path, &[("authorization", &bearer)], b"").await;
    assert_eq!(by_header.status, 200);
    assert_eq!(by_header.json()["state"], "ONGOING");
    assert_eq!(by_header.json()["requirements"][0]["type"], "ID_DOCUMENT");
    let by_query = raw_user(
        &sandbox,
        "GET",
        &format!("{path}?sessionToken={}", session.token),
        &[],
        b"",
    )
    .await;
    assert_eq!(by_query.status, 200);
    let wrong = raw_user(
        &sandbox,
        "GET",
        &path,
        &[(
            "authorization",
            "Bearer 00000000-0000-4000-8000-000000000000",
        )],
        b"",
    )
    .await;
    assert_eq!(
        (wrong.status.as_u16(), wrong.code()),
        (401, "INVALID_SESSION_TOKEN".to_owned())
    );
    let unknown = raw_user(
        &sandbox,
        "GET",
        "/user/sessions/no-such-session",
        &[("authorization", &bearer)],
        b"",
    )
    .await;
    assert_eq!(
        (unknown.status.as_u16(), unknown.code()),
        (404, "SESSION_NOT_FOUND".to_owned())
    );
    // A session's token is not the app's key: the app routes still need a signature.
    let app_route = raw_user(
        &sandbox,
        "GET",
        &format!("/sessions/{}", session.session_id),
        &[("authorization", &bearer)],
        b"",
    )
    .await;
    assert_eq!(app_route.status, 401);

    // The log records the token check, never the token.
    let log = sandbox.request_log();
    assert!(
        log.iter()
            .any(|e| e.token_verified && e.route == Some(Route::UserGetSession))
    );
    assert!(
        log.iter()
            .filter(|e| e.status == Some(401))
            .all(|e| !e.token_verified)
    );
    assert!(!format!("{log:?}").contains(&session.token));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn expired_tokens_deadlines_and_finished_sessions_are_refused() {
    let clock = ManualClock::at(T0);
    let sandbox = sandbox_at(&clock).await;

    // The token expires before the deadline.
    let spec = json!({"client_session_token_ttl": 600, "session_deadline": "2027-01-15T09:00:00Z",
                      "requested_checks": [{"type": "ID_DOCUMENT_AUTHENTICITY", "config": {}}]});
    let session = created(&sandbox, &spec).await;
    assert_eq!(session.result["session_deadline"], "2027-01-15T09:00:00Z");
    let user = session.user(&sandbox);
    clock.advance(599_000);
    user.status().await.expect("still valid");
    clock.advance(1_000);
    assert_eq!(
        code(user.status().await),
        (401, "SESSION_TOKEN_EXPIRED".to_owned())
    );
    assert_eq!(
        code(
            user.add_id_document(&IdDocumentUpload::new("PASSPORT", "GBR"))
                .await
        ),
        (401, "SESSION_TOKEN_EXPIRED".to_owned())
    );
    let (model, _) = model_session(&sandbox, &session.session_id).await;
    assert_eq!(model.client_session_token_ttl, Some(0));
    assert_eq!(model.state, Some(SessionState::Ongoing));

    // Past the deadline the session is EXPIRED.
    let short = created(&sandbox, &json!({"client_session_token_ttl": 60})).await;
    clock.advance(60_000);
    assert_eq!(
        code(short.user(&sandbox).finish().await),
        (410, "SESSION_EXPIRED".to_owned())
    );
    let (expired, raw) = model_session(&sandbox, &short.session_id).await;
    assert_eq!(expired.state, Some(SessionState::Expired));
    assert!(expired.is_finished());
    assert!(raw.get("client_session_token").is_none());

    // A finished session refuses everything after.
    let done = created(&sandbox, &json!({})).await;
    let user = done.user(&sandbox);
    user.finish().await.expect("nothing required");
    assert_eq!(
        code(user.finish().await),
        (409, "SESSION_COMPLETED".to_owned())
    );
    assert_eq!(
        code(user.status().await),
        (409, "SESSION_COMPLETED".to_owned())
    );
    assert_eq!(
        code(
            user.add_liveness(&LivenessUpload::new(LivenessType::Zoom))
                .await
        ),
        (409, "SESSION_COMPLETED".to_owned())
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn resources_must_meet_a_requirement_and_uploads_be_what_they_claim() {
    let clock = ManualClock::at(T0);
    let sandbox = sandbox_at(&clock).await;
    let session = created(&sandbox, &passport_spec()).await;
    let user = session.user(&sandbox);

    assert_eq!(
        code(user.finish().await),
        (409, "REQUIREMENTS_NOT_MET".to_owned())
    );
    let not_accepted = user
        .add_id_document(&IdDocumentUpload::new("DRIVING_LICENCE", "GBR"))
        .await
        .expect_err("licence not accepted");
    assert_eq!(not_accepted.code(), Some("PAYLOAD_VALIDATION"));
    let properties: Vec<&str> = not_accepted
        .field_errors()
        .iter()
        .map(|e| e.property.as_str())
        .collect();
    assert_eq!(properties, ["document_type", "issuing_country"]);
    let bad_country = user
        .add_id_document(&IdDocumentUpload::new("PASSPORT", "gb"))
        .await
        .expect_err("bad code");
    assert_eq!(bad_country.field_errors()[0].property, "issuing_country");
    let lying = user
        .add_id_document(&IdDocumentUpload::new("PASSPORT", "GBR").page(Upload::png(JPEG_BYTES)))
        .await
        .expect_err("not a PNG");
    assert_eq!(lying.field_errors()[0].property, "pages[0].content");
    let gif = user
        .add_id_document(
            &IdDocumentUpload::new("PASSPORT", "GBR")
                .page(Upload::new("image/gif", &b"GIF89a"[..])),
        )
        .await
        .expect_err("not an accepted type");
    assert_eq!(gif.field_errors()[0].property, "pages[0].content_type");
    let too_many = (0..9).fold(IdDocumentUpload::new("PASSPORT", "GBR"), |d, _| {
        d.page(Upload::png(PNG_BYTES))
    });
    assert_eq!(
        user.add_id_document(&too_many)
            .await
            .expect_err("9 pages")
            .field_errors()[0]
            .property,
        "pages"
    );
    assert_eq!(
        code(
            user.add_supplementary_document(&SupplementaryDocumentUpload::new(
                "UTILITY_BILL",
                "GBR"
            ))
            .await
        ),
        (409, "RESOURCE_NOT_REQUIRED".to_owned())
    );
    assert_eq!(
        code(
            user.add_liveness(&LivenessUpload::new(LivenessType::Zoom))
                .await
        ),
        (409, "RESOURCE_NOT_REQUIRED".to_owned())
    );

    // Bodies that do not parse name the JSON path.
    let bearer = format!("Bearer {}", session.token);
    let path = format!("/user/sessions/{}/id-documents", session.session_id);
    let bad_json = raw_user(&sandbox, "POST", &path, &[("authorization", &bearer)],
        br#"{"document_type": "PASSPORT", "issuing_country": "GBR", "pages": [{"content_type": "image/png", "content": "***"}]}"#).await;
    assert_eq!(bad_json.status, 400);
    assert_eq!(bad_json.json()["errors"][0]["property"], "pages[0].content");
    let unknown_key = raw_user(
        &sandbox,
        "POST",
        &path,
        &[("authorization", &bearer)],
        br#"{"document_type": "PASSPORT", "issuing_country": "GBR", "colour": "red"}"#,
    )
    .await;
    assert_eq!(unknown_key.status, 400);

    let added = user
        .add_id_document(&IdDocumentUpload::new("PASSPORT", "IRL").page(Upload::jpeg(JPEG_BYTES)))
        .await
        .expect("accepted");
    let status = user.status().await.expect("status");
    assert_eq!(
        status.requirements[0].resource_id.as_deref(),
        Some(added.resource_id.as_str())
    );
    assert_eq!(added.requirement_id, status.requirements[0].id);
    assert_eq!(
        code(
            user.add_id_document(&IdDocumentUpload::new("PASSPORT", "GBR"))
                .await
        ),
        (409, "RESOURCE_NOT_REQUIRED".to_owned())
    );
    user.finish().await.expect("finish");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn created_sessions_and_uploads_are_bounded() {
    let clock = ManualClock::at(T0);
    let sandbox = Sandbox::builder()
        .test_app()
        .clock(Arc::clone(&clock) as Arc<dyn idv_sign::Clock>)
        .max_created_sessions(2)
        .max_upload_bytes(100)
        .start()
        .await
        .expect("start");
    let spec = json!({"requested_checks": [{"type": "ID_DOCUMENT_AUTHENTICITY", "config": {}}]});
    let first = created(&sandbox, &spec).await;
    let _second = created(&sandbox, &spec).await;
    let full = create_session(&sandbox, &spec).await;
    assert_eq!(
        (full.status.as_u16(), full.code()),
        (503, "SESSION_STORE_FULL".to_owned())
    );

    let user = first.user(&sandbox);
    let big = IdDocumentUpload::new("PASSPORT", "GBR")
        .page(Upload::png([PNG_BYTES, &[0u8; 100]].concat()));
    assert_eq!(
        code(user.add_id_document(&big).await),
        (507, "MEDIA_STORE_FULL".to_owned())
    );
    let small = IdDocumentUpload::new("PASSPORT", "GBR").page(Upload::png(PNG_BYTES));
    user.add_id_document(&small).await.expect("fits");
    assert_eq!(sandbox.upload_bytes(), PNG_BYTES.len());
    user.finish().await.expect("finish");

    // The finished session is evicted to make room for a new one.
    let third = created(&sandbox, &spec).await;
    assert_eq!(sandbox.created_sessions(), 2);
    assert_eq!(sandbox.evicted_sessions(), 1);
    assert_eq!(sandbox.upload_bytes(), 0, "its uploads went with it");
    assert_eq!(
        call(&sandbox, "GET", &format!("/sessions/{}", first.session_id))
            .await
            .status,
        404
    );

    // Deleting a session frees its place at once.
    let delete = call(
        &sandbox,
        "DELETE",
        &format!("/sessions/{}", third.session_id),
    )
    .await;
    assert_eq!(delete.status, 204);
    assert_eq!(
        call(&sandbox, "GET", &format!("/sessions/{}", third.session_id))
            .await
            .status,
        404
    );
    created(&sandbox, &spec).await;
    sandbox.shutdown().await;
}

#[tokio::test]
async fn media_of_created_sessions_can_be_deleted() {
    let clock = ManualClock::at(T0);
    let sandbox = sandbox_at(&clock).await;
    let session = created(&sandbox, &passport_spec()).await;
    let added = session
        .user(&sandbox)
        .add_id_document(&IdDocumentUpload::new("PASSPORT", "GBR").page(Upload::png(PNG_BYTES)))
        .await
        .expect("added");
    assert_eq!(sandbox.media_ids(&session.session_id), added.media_ids);
    let path = format!(
        "/sessions/{}/media/{}/content",
        session.session_id, added.media_ids[0]
    );
    assert_eq!(call(&sandbox, "DELETE", &path).await.status, 204);
    assert_eq!(sandbox.upload_bytes(), 0);
    assert_eq!(call(&sandbox, "GET", &path).await.code(), "MEDIA_NOT_FOUND");
    assert_eq!(call(&sandbox, "DELETE", &path).await.status, 404);
    let unknown = format!("/sessions/{}/media/nope/content", session.session_id);
    assert_eq!(
        call(&sandbox, "GET", &unknown).await.code(),
        "MEDIA_NOT_FOUND"
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn faults_apply_to_user_side_routes_once_the_token_is_accepted() {
    let clock = ManualClock::at(T0);
    let sandbox = sandbox_at(&clock).await;
    let session = created(&sandbox, &passport_spec()).await;
    sandbox.add_faults(
        Route::UserAddIdDocument,
        [idv_sandbox::Fault::service_unavailable()],
    );
    let wrong = UserSide::new(sandbox.base_url(), &session.session_id, "wrong").expect("user");
    assert_eq!(
        code(
            wrong
                .add_id_document(&IdDocumentUpload::new("PASSPORT", "GBR"))
                .await
        )
        .0,
        401
    );
    let user = session.user(&sandbox);
    let doc = IdDocumentUpload::new("PASSPORT", "GBR");
    assert_eq!(
        code(user.add_id_document(&doc).await).0,
        503,
        "the fault, not consumed by the refusal"
    );
    user.add_id_document(&doc).await.expect("then normal");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn the_user_side_works_over_tls() {
    let sandbox = Sandbox::builder()
        .test_app()
        .tls()
        .start()
        .await
        .expect("start");
    let session = created_over_tls(&sandbox).await;
    let ca = sandbox.ca_pem().expect("CA").to_owned();
    let user = UserSide::new(sandbox.base_url(), &session.0, &session.1)
        .expect("user")
        .with_ca_pem(&ca)
        .expect("CA");
    user.add_id_document(&IdDocumentUpload::new("PASSPORT", "GBR"))
        .await
        .expect("over TLS");
    assert_eq!(
        user.finish().await.expect("finish").state,
        SessionState::Completed
    );
    let untrusted = UserSide::new(sandbox.base_url(), &session.0, &session.1).expect("user");
    assert!(matches!(
        untrusted.status().await,
        Err(UserSideError::Tls(_))
    ));
    sandbox.shutdown().await;
}

/// Creates a passport session over TLS (the test client of `common` speaks plain HTTP, so
/// the sandbox's own state is reached through a second, plain one sharing nothing: instead
/// the session is created with a signed request sent over TLS here).
async fn created_over_tls(sandbox: &SandboxHandle) -> (String, String) {
    use http_body_util::{BodyExt, Full};
    use hyper_util::rt::TokioIo;
    use rustls_pki_types::pem::PemObject;

    let mut roots = rustls::RootCertStore::empty();
    for cert in
        rustls_pki_types::CertificateDer::pem_slice_iter(sandbox.ca_pem().unwrap().as_bytes())
    {
        roots.add(cert.unwrap()).unwrap();
    }
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::aws_lc_rs::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots)
    .with_no_client_auth();
    let tcp = tokio::net::TcpStream::connect(sandbox.local_addr())
        .await
        .unwrap();
    let tls = tokio_rustls::TlsConnector::from(Arc::new(config))
        .connect(
            rustls_pki_types::ServerName::try_from("localhost").unwrap(),
            tcp,
        )
        .await
        .unwrap();
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(tls))
        .await
        .unwrap();
    tokio::spawn(conn);
    let body = serde_json::to_vec(&passport_spec()).unwrap();
    let signed = sign(&signer(), "POST", "/sessions", &body).await;
    let mut request = http::Request::builder()
        .method("POST")
        .uri(format!("/idverify/v1{}", signed.path_and_query()))
        .header("host", "localhost");
    for (name, value) in signed.headers() {
        request = request.header(name, value);
    }
    let response = sender
        .send_request(request.body(Full::new(bytes::Bytes::from(body))).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let json: serde_json::Value =
        serde_json::from_slice(&response.into_body().collect().await.unwrap().to_bytes()).unwrap();
    (
        json["session_id"].as_str().unwrap().to_owned(),
        json["client_session_token"].as_str().unwrap().to_owned(),
    )
}
