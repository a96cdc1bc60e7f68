//! The whole lifecycle end to end against `idv-sandbox`, over plain HTTP and TLS: create a
//! session from a typed specification, complete the user's side, read the result back; the
//! configuration, supported documents and tracked devices; validation errors; no blind retry.

use std::collections::BTreeSet;
use std::sync::OnceLock;
use std::time::Duration;

use idv_client::{Deleted, ErrorKind, IdvClient, WaitOptions};
use idv_model::spec::{
    DocumentFilter, ManualCheck, RequestedCheck, RequestedTask, RequiredDocument, SdkConfig,
    SessionSpec,
};
use idv_model::{LivenessType, RequirementType, SessionState};
use idv_sandbox::{
    AppKeys, Fault, IdDocumentUpload, LivenessUpload, Route, Sandbox, SandboxHandle, StatusCode,
    SupplementaryDocumentUpload, UserSide, generate_app_keys,
};

fn keys() -> &'static AppKeys {
    static KEYS: OnceLock<AppKeys> = OnceLock::new();
    KEYS.get_or_init(|| generate_app_keys().expect("keys"))
}

async fn sandbox(tls: bool) -> SandboxHandle {
    let mut b = Sandbox::builder().app_keys(keys());
    if tls {
        b = b.tls();
    }
    b.start().await.expect("sandbox")
}

fn client(sandbox: &SandboxHandle) -> IdvClient {
    let mut b = IdvClient::builder()
        .sdk_id(&keys().sdk_id)
        .key_pem(keys().private_key_pem.as_bytes())
        .base_url(sandbox.base_url());
    if let Some(ca) = sandbox.ca_pem() {
        b = b.add_root_certificate_pem(ca.as_bytes());
    }
    b.build().expect("client")
}

fn user(sandbox: &SandboxHandle, session_id: &str, token: &str) -> UserSide {
    let u = UserSide::new(sandbox.base_url(), session_id, token).expect("user side");
    match sandbox.ca_pem() {
        Some(ca) => u.with_ca_pem(ca).expect("ca"),
        None => u,
    }
}

/// Every check and task type the specification knows that the sandbox runs from a document
/// and a liveness capture.
fn full_spec() -> SessionSpec {
    SessionSpec::builder()
        .client_session_token_ttl(900)
        .requested_check(RequestedCheck::document_authenticity())
        .requested_check(RequestedCheck::liveness(LivenessType::Zoom))
        .requested_check(RequestedCheck::face_match(ManualCheck::Fallback))
        .requested_check(RequestedCheck::document_comparison())
        .requested_check(RequestedCheck::third_party_identity())
        .requested_check(RequestedCheck::watchlist_screening(["SANCTIONS"]))
        .requested_task(RequestedTask::text_extraction(ManualCheck::Never))
        .requested_task(RequestedTask::supplementary_text_extraction(
            ManualCheck::Never,
        ))
        .required_document(RequiredDocument::id_document())
        .required_document(RequiredDocument::id_document())
        .required_document(RequiredDocument::supplementary_document(
            idv_model::spec::Objective::proof_of_address(),
        ))
        .sdk_config(SdkConfig::builder().primary_colour("#2d9fff"))
        .build()
        .expect("spec")
}

async fn lifecycle(tls: bool) {
    let sandbox = sandbox(tls).await;
    let client = client(&sandbox);
    let spec = full_spec();
    let created = client.create_session(&spec).await.unwrap();
    let session_id = created.session_id.clone().unwrap();
    let url = client.web_flow_url(&created).unwrap();
    assert!(url.expose_secret().starts_with(&format!(
        "{}/web/index.html?sessionID={session_id}&sessionToken=",
        sandbox.base_url()
    )));

    // Freshly created: ONGOING, nothing captured yet, token present.
    let session = client.get_session(&session_id).await.unwrap();
    assert_eq!(session.state, Some(SessionState::Ongoing));
    assert!(session.checks.is_empty());

    // The configuration reflects the specification.
    let configuration = client.get_session_configuration(&session_id).await.unwrap();
    let requested: BTreeSet<String> = configuration
        .requested_checks
        .iter()
        .map(|c| c.as_str().to_owned())
        .collect();
    let wanted: BTreeSet<String> = spec
        .requested_checks
        .iter()
        .flatten()
        .map(|c| c.type_name().to_owned())
        .collect();
    assert_eq!(requested, wanted);
    let kinds: Vec<_> = configuration
        .capture
        .as_ref()
        .unwrap()
        .required_resources
        .iter()
        .filter_map(|r| r.requirement_type.clone())
        .collect();
    assert!(kinds.contains(&RequirementType::IdDocument), "{kinds:?}");
    assert!(
        kinds.contains(&RequirementType::SupplementaryDocument),
        "{kinds:?}"
    );
    assert!(kinds.contains(&RequirementType::Liveness), "{kinds:?}");

    // The user's side.
    let token = created
        .client_session_token
        .as_ref()
        .unwrap()
        .expose_secret();
    let user = user(&sandbox, &session_id, token);
    user.add_id_document(&IdDocumentUpload::new("PASSPORT", "GBR"))
        .await
        .unwrap();
    user.add_id_document(&IdDocumentUpload::new("DRIVING_LICENCE", "GBR"))
        .await
        .unwrap();
    user.add_supplementary_document(&SupplementaryDocumentUpload::new("UTILITY_BILL", "GBR"))
        .await
        .unwrap();
    user.add_liveness(&LivenessUpload::required_type())
        .await
        .unwrap();
    user.finish().await.unwrap();

    // The result: every requested check done, pointing at the resources added; the token gone.
    let session = client
        .wait_for_completion(&session_id, WaitOptions::new(Duration::from_secs(30)))
        .await
        .unwrap();
    assert_eq!(session.state, Some(SessionState::Completed));
    assert!(session.client_session_token.is_none());
    let done: BTreeSet<String> = session
        .checks
        .iter()
        .filter_map(|c| c.check_type.as_ref().map(|t| t.as_str().to_owned()))
        .collect();
    // The requested checks, plus the checks the text-extraction tasks generate (as the API does).
    let generated: BTreeSet<String> = done.difference(&wanted).cloned().collect();
    assert!(wanted.is_subset(&done), "{done:?}");
    assert_eq!(
        generated,
        BTreeSet::from([
            "ID_DOCUMENT_TEXT_DATA_CHECK".to_owned(),
            "SUPPLEMENTARY_DOCUMENT_TEXT_DATA_CHECK".to_owned()
        ])
    );
    for check in &session.checks {
        assert_eq!(
            check.state.as_ref().map(|s| s.as_str()),
            Some("DONE"),
            "{check:?}"
        );
        for used in &check.resources_used {
            assert!(session.resource(used).is_some(), "{used} is a resource");
        }
    }
    // Every media item can be fetched (text extraction gives JSON document fields).
    let refs = session.media_refs();
    assert!(!refs.is_empty());
    let mut json_media = 0;
    for media in refs {
        if let Some(content) = client.get_media(&session_id, media.media_id).await.unwrap()
            && content.content_type() == Some("application/json")
        {
            json_media += 1;
            let _: serde_json::Value = serde_json::from_slice(content.bytes()).unwrap();
        }
    }
    assert!(json_media >= 1, "text extraction media");

    // Tracked devices: created, then a resource event per capture; deleted on request.
    let events = client.get_tracked_devices(&session_id).await.unwrap();
    let names: Vec<_> = events
        .iter()
        .filter_map(|e| e.event.as_ref().map(|e| e.as_str()))
        .collect();
    assert_eq!(names.first(), Some(&"SESSION_CREATED"), "{names:?}");
    assert_eq!(
        names.iter().filter(|n| **n == "RESOURCE_CREATED").count(),
        4
    );
    assert_eq!(
        client.delete_tracked_devices(&session_id).await.unwrap(),
        Deleted::Now
    );
    assert!(
        client
            .get_tracked_devices(&session_id)
            .await
            .unwrap()
            .is_empty()
    );
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_is_created_completed_and_read_back_over_http() {
    lifecycle(false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_is_created_completed_and_read_back_over_tls() {
    lifecycle(true).await;
}

#[tokio::test]
async fn the_api_s_validation_errors_come_back_typed_with_their_paths() {
    let sandbox = sandbox(false).await;
    let client = client(&sandbox);
    // Valid for the client's own checks, refused by the server: a raw body.
    let err = client
        .request(http::Method::POST, "/sessions")
        .json(&serde_json::json!({"sdk_config": {"primary_colour": "blue"}, "client_session_token_ttl": "soon"}))
        .unwrap()
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Api);
    assert_eq!(err.status(), Some(StatusCode::BAD_REQUEST));
    assert_eq!(err.code(), Some("PAYLOAD_VALIDATION"));
    let properties: Vec<_> = err
        .field_errors()
        .iter()
        .filter_map(|e| e.property.as_deref())
        .collect();
    assert!(!properties.is_empty(), "{err:?}");
    assert!(
        properties
            .iter()
            .any(|p| p.starts_with("client_session_token_ttl") || p.starts_with("sdk_config")),
        "{properties:?}"
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_create_that_got_a_503_is_sent_once() {
    let sandbox = sandbox(false).await;
    let client = client(&sandbox);
    sandbox.add_faults(
        Route::CreateSession,
        [Fault::status(StatusCode::SERVICE_UNAVAILABLE)],
    );
    let err = client.create_session(&full_spec()).await.unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    let posts: Vec<_> = sandbox
        .request_log()
        .into_iter()
        .filter(|e| e.route == Some(Route::CreateSession))
        .collect();
    assert_eq!(posts.len(), 1, "{posts:?}");
    assert_eq!(sandbox.created_sessions(), 0);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn supported_documents_with_and_without_non_latin() {
    let sandbox = sandbox(false).await;
    let client = client(&sandbox);
    let latin = client.get_supported_documents(false).await.unwrap();
    let all = client.get_supported_documents(true).await.unwrap();
    let count = |r: &idv_model::SupportedDocumentsResponse, strict: Option<bool>| {
        r.supported_countries
            .iter()
            .flat_map(|c| c.supported_documents.iter())
            .filter(|d| strict.is_none() || d.is_strictly_latin == strict)
            .count()
    };
    assert!(count(&latin, None) > 100);
    assert_eq!(
        count(&latin, Some(false)),
        0,
        "non-Latin left out by default"
    );
    assert!(count(&all, Some(false)) > 0);
    assert!(count(&all, None) > count(&latin, None));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_document_filter_narrows_the_configuration() {
    let sandbox = sandbox(false).await;
    let client = client(&sandbox);
    let spec = SessionSpec::builder()
        .requested_check(RequestedCheck::document_authenticity())
        .required_document(
            RequiredDocument::id_document().filter(
                DocumentFilter::orthogonal()
                    .whitelisted_document_types(["PASSPORT"])
                    .whitelisted_countries(["GBR", "FRA"]),
            ),
        )
        .build()
        .unwrap();
    let created = client.create_session(&spec).await.unwrap();
    let configuration = client
        .get_session_configuration(created.session_id.as_deref().unwrap())
        .await
        .unwrap();
    let id_document = configuration
        .capture
        .unwrap()
        .required_resources
        .into_iter()
        .find(|r| r.requirement_type == Some(RequirementType::IdDocument))
        .unwrap();
    let countries: BTreeSet<_> = id_document
        .supported_countries
        .iter()
        .filter_map(|c| c.code.clone())
        .collect();
    assert_eq!(
        countries,
        BTreeSet::from(["FRA".to_owned(), "GBR".to_owned()])
    );
    for country in &id_document.supported_countries {
        for document in &country.supported_documents {
            assert_eq!(document.document_type.as_deref(), Some("PASSPORT"));
        }
    }
    sandbox.shutdown().await;
}
