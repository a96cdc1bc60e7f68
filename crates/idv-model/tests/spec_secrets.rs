//! The specification's secrets (the notification `auth_token`, the watchlist custom account's
//! `api_key`) never appear in `Debug` output or error messages, and are still sent.

use idv_model::Secret;
use idv_model::spec::{
    AuthType, NotificationConfig, RequestedCheck, SessionSpec, WatchlistAdvancedCaConfig,
};

const TOKEN: &str = "alice:s3cr3t-notification-token";
const API_KEY: &str = "ca-api-key-0123456789";

fn spec_with_secrets() -> SessionSpec {
    SessionSpec::builder()
        .notifications(
            NotificationConfig::builder()
                .endpoint("https://example.com/hook")
                .auth_type(AuthType::Basic)
                .auth_token(TOKEN),
        )
        .requested_check(RequestedCheck::watchlist_advanced_ca(
            WatchlistAdvancedCaConfig::custom_account(API_KEY, "ref"),
        ))
        .build()
        .unwrap()
}

fn assert_hidden(text: &str) {
    assert!(!text.contains(TOKEN), "auth token leaked: {text}");
    assert!(!text.contains("s3cr3t"), "auth token leaked: {text}");
    assert!(!text.contains(API_KEY), "api key leaked: {text}");
}

#[test]
fn debug_output_redacts_the_auth_token_and_api_key() {
    let spec = spec_with_secrets();
    for text in [format!("{spec:?}"), format!("{spec:#?}")] {
        assert_hidden(&text);
        assert!(text.contains("[redacted]"), "{text}");
    }
    let notifications = spec.notifications.clone().unwrap();
    assert_hidden(&format!("{notifications:?}"));
    assert_hidden(&format!("{:?}", notifications.auth_token));
    assert_hidden(&format!("{:?}", spec.requested_checks.as_ref().unwrap()[0]));

    // Builders too, at every stage.
    let builder = NotificationConfig::builder().auth_token(TOKEN);
    assert_hidden(&format!("{builder:?}"));
    assert_hidden(&format!("{:?}", spec.clone().into_builder()));
    assert_hidden(&format!(
        "{:?}",
        WatchlistAdvancedCaConfig::custom_account(API_KEY, "ref")
    ));
}

#[test]
fn a_parsed_specification_redacts_them_too() {
    let body = serde_json::to_vec(&spec_with_secrets()).unwrap();
    let spec = SessionSpec::from_slice(&body).unwrap();
    assert_hidden(&format!("{spec:?}"));
}

#[test]
fn the_secrets_are_still_sent_and_reachable() {
    let spec = spec_with_secrets();
    let json = serde_json::to_value(&spec).unwrap();
    assert_eq!(json["notifications"]["auth_token"], TOKEN);
    assert_eq!(json["requested_checks"][0]["config"]["api_key"], API_KEY);
    let token: &Secret = spec
        .notifications
        .as_ref()
        .and_then(|n| n.auth_token.as_ref())
        .unwrap();
    assert_eq!(token.expose_secret(), TOKEN);
}

#[test]
fn errors_never_show_them() {
    // Invalid specifications carrying the secrets: the validation error lists paths and rules
    // only.
    let err = spec_with_secrets()
        .into_builder()
        .client_session_token_ttl(0)
        .notifications(
            NotificationConfig::builder()
                .endpoint(format!("not-a-url-{TOKEN}"))
                .auth_token(TOKEN),
        )
        .build()
        .unwrap_err();
    assert_hidden(&err.to_string());
    assert_hidden(&format!("{err:?}"));

    // A parse error in a document holding the token names the path, not the value.
    let text = format!(r#"{{"notifications": {{"auth_token": "{TOKEN}", "topics": "{TOKEN}"}}}}"#);
    let err = SessionSpec::from_slice(text.as_bytes()).unwrap_err();
    assert_eq!(err.path(), "notifications.topics");
    assert_hidden(&err.to_string());
    assert_hidden(&format!("{err:?}"));
}
