//! Error mapping: API error bodies, statuses, decode errors with JSON paths.

mod common;

use common::*;
use http::StatusCode;
use idv_client::ErrorKind;

#[tokio::test]
async fn api_errors_are_parsed_whatever_the_content_type() {
    let body: &'static [u8] = br#"{"code":"PAYLOAD_VALIDATION","message":"There were errors: Jane Doe","errors":[{"property":"sdk_config.font_colour","message":"provided colour must be a valid Hex Code"}]}"#;
    for ct in [
        Some("application/json"),
        Some("Application/JSON; charset=UTF-8"),
        Some("text/plain"),
        None,
    ] {
        let f = fake(move |_, _| Ok(response(400, ct, body)));
        let e = f.client.get_session(SESSION).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Api, "{ct:?}");
        assert_eq!(e.status(), Some(StatusCode::BAD_REQUEST));
        assert_eq!(e.code(), Some("PAYLOAD_VALIDATION"));
        assert_eq!(e.api_message(), Some("There were errors: Jane Doe"));
        assert_eq!(e.field_errors().len(), 1);
        assert_eq!(
            e.field_errors()[0].property.as_deref(),
            Some("sdk_config.font_colour")
        );
        assert!(!e.is_retryable());
        assert_eq!(e.attempts(), 1, "a 400 is never retried");
        assert_eq!(f.seen.lock().unwrap().len(), 1);

        // Display: one line, with status and code, without the body or the query string.
        let shown = e.to_string();
        assert!(!shown.contains('\n'));
        assert!(
            shown.contains("400") && shown.contains("PAYLOAD_VALIDATION"),
            "{shown}"
        );
        assert!(shown.contains(&format!("/sessions/{SESSION}")), "{shown}");
        assert!(!shown.contains("Jane Doe") && !shown.contains("nonce") && !shown.contains('?'));
        let dbg = format!("{e:?}");
        assert!(
            dbg.contains("PAYLOAD_VALIDATION") && dbg.contains("400"),
            "{dbg}"
        );
        assert!(
            !dbg.contains("Jane Doe") && !dbg.contains("Hex Code"),
            "{dbg}"
        );
        // The details are in the source chain.
        let src = std::error::Error::source(&e).expect("source").to_string();
        assert!(
            src.contains("PAYLOAD_VALIDATION") && src.contains("font_colour"),
            "{src}"
        );
    }
}

#[tokio::test]
async fn non_json_error_bodies_still_give_the_status() {
    let f = fake(|_, _| Ok(response(404, Some("text/html"), b"<html>not found</html>")));
    let e = f.client.get_session(SESSION).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Api);
    assert_eq!(e.status(), Some(StatusCode::NOT_FOUND));
    assert_eq!(e.code(), None);
    assert!(!e.to_string().contains("html"));
    assert!(!format!("{e:?}").contains("html"));
}

#[tokio::test]
async fn no_content_on_get_session_is_a_typed_error() {
    let f = fake(|_, _| Ok(response(204, None, b"")));
    let e = f.client.get_session(SESSION).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::UnexpectedResponse);
    assert_eq!(e.status(), Some(StatusCode::NO_CONTENT));
}

#[tokio::test]
async fn decode_errors_name_the_json_path_but_not_the_content() {
    let f = fake(|_, _| {
        Ok(response(
            200,
            Some("application/json"),
            br#"{"session_id":"x","state":"ONGOING","checks":[{"type":"LIVENESS","report":{"recommendation":{"value":42}}}]}"#,
        ))
    });
    let e = f.client.get_session(SESSION).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
    let path = e.json_path().expect("path");
    assert!(
        path.contains("checks[0]") && path.contains("recommendation"),
        "{path}"
    );
    assert!(!e.to_string().contains('\n'));
}

#[tokio::test]
async fn get_session_raw_returns_the_exact_bytes() {
    let f = fake(ok_session);
    let (session, raw) = f.client.get_session_raw(SESSION).await.unwrap();
    assert_eq!(raw.as_ref(), ONGOING);
    assert_eq!(session.session_id.as_deref(), Some(SESSION));
}
