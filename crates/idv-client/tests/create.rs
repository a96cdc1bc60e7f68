//! Creating a session through the public API with an in-memory server: validation before
//! sending, the body sent, no blind retry, and the web-flow URL.

mod common;

use common::*;
use idv_client::ErrorKind;
use idv_model::spec::{NotificationConfig, RequestedCheck, SessionSpec};

const CREATED: &[u8] = br#"{"session_id":"aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee","client_session_token":"tok/en+1","client_session_token_ttl":600,"session_deadline":"2030-01-01T00:00:00Z"}"#;

fn spec() -> SessionSpec {
    SessionSpec::builder()
        .client_session_token_ttl(600)
        .requested_check(RequestedCheck::document_authenticity())
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_session_is_created_with_the_spec_as_body() {
    let f = fake(|_, _| Ok(response(201, Some("application/json"), CREATED)));
    let spec = spec();
    let created = f.client.create_session(&spec).await.unwrap();
    assert_eq!(created.session_id.as_deref(), Some(SESSION));
    let seen = f.seen.lock().unwrap();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].method, "POST");
    assert_eq!(seen[0].uri.path(), "/idverify/v1/sessions");
    assert_eq!(seen[0].headers["content-type"], "application/json");
    let sent: serde_json::Value = serde_json::from_slice(&seen[0].body).unwrap();
    assert_eq!(sent, serde_json::to_value(&spec).unwrap());

    let url = f.client.web_flow_url(&created).unwrap();
    assert_eq!(
        url.expose_secret(),
        format!(
            "https://api.example.com/idverify/v1/web/index.html?sessionID={SESSION}&sessionToken=tok%2Fen%2B1"
        )
    );
    for shown in [format!("{url}"), format!("{url:?}")] {
        assert!(!shown.contains("tok"), "{shown}");
        assert!(shown.contains("[redacted]"), "{shown}");
    }
}

#[tokio::test]
async fn an_invalid_spec_is_refused_before_sending() {
    let f = fake(|_, _| Ok(response(201, Some("application/json"), CREATED)));
    let mut spec = spec();
    spec.notifications = Some(NotificationConfig::builder().endpoint("").build());
    let err = f.client.create_session(&spec).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{err}");
    let source = std::error::Error::source(&err).unwrap().to_string();
    assert!(source.contains("notifications.endpoint"), "{source}");
    assert!(f.seen.lock().unwrap().is_empty());
}

#[tokio::test]
async fn a_create_that_got_a_503_is_not_retried() {
    let f = fake(|_, _| Ok(response(503, None, b"")));
    let err = f.client.create_session(&spec()).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(f.seen.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn api_validation_errors_keep_their_field_paths() {
    let f = fake(|_, _| {
        Ok(response(
            400,
            Some("application/json"),
            br#"{"code":"PAYLOAD_VALIDATION","message":"bad","errors":[{"property":"sdk_config.primary_colour","message":"invalid"}]}"#,
        ))
    });
    let err = f.client.create_session(&spec()).await.unwrap_err();
    assert_eq!(err.code(), Some("PAYLOAD_VALIDATION"));
    assert_eq!(
        err.field_errors()[0].property.as_deref(),
        Some("sdk_config.primary_colour")
    );
}
