//! Receiving a notification in one call: header and body to a verified `Notification`, or a
//! typed error that echoes neither the token, the header nor the body.

use idv_model::ParseErrorKind;
use idv_model::Secret;
use idv_model::notification::{
    MAX_NOTIFICATION_BODY, NotificationError, NotificationTopic, NotificationVerifier,
};

const TOKEN: &str = "integrator:c0rrect-h0rse";
const BODY_SECRET: &str = "JANE-DOE-PERSONAL";

fn verifier() -> NotificationVerifier {
    NotificationVerifier::basic(&Secret::new(TOKEN)).unwrap()
}

/// `Basic base64("integrator:c0rrect-h0rse")`.
const GOOD: &[u8] = b"Basic aW50ZWdyYXRvcjpjMHJyZWN0LWgwcnNl";

fn body() -> Vec<u8> {
    format!(r#"{{"session_id": "s1", "topic": "resource_update", "resource_id": "r1", "note": "{BODY_SECRET}"}}"#)
        .into_bytes()
}

fn assert_quiet(error: &NotificationError) {
    let shown = format!("{error} {error:?}");
    for secret in [
        TOKEN,
        "aW50ZWdyYXRvcjpjMHJyZWN0LWgwcnNl",
        "c0rrect",
        BODY_SECRET,
    ] {
        assert!(!shown.contains(secret), "{shown}");
    }
}

#[test]
fn a_verified_notification_is_returned_whole() {
    let notification = verifier().receive(Some(GOOD), &body()).unwrap();
    assert_eq!(notification.session_id, "s1");
    assert_eq!(notification.topic, NotificationTopic::ResourceUpdate);
    assert_eq!(notification.resource_id.as_deref(), Some("r1"));
    assert_eq!(notification.extra.get("note").unwrap(), BODY_SECRET);
}

#[test]
fn a_missing_header_is_missing_authorization() {
    let err = verifier().receive(None, &body()).unwrap_err();
    assert_eq!(err, NotificationError::MissingAuthorization);
    assert_eq!(err.http_status(), 401);
    assert_quiet(&err);
}

#[test]
fn every_wrong_header_is_the_same_error_without_detail() {
    let headers: [&[u8]; 7] = [
        b"",
        b"Basic aW50ZWdyYXRvcjpjMHJyZWN0LWgwcnNm",
        b"Basic aW50ZWdyYXRvcjpjMHJyZWN0LWgwcnN",
        b"Bearer aW50ZWdyYXRvcjpjMHJyZWN0LWgwcnNl",
        b"Bearer integrator:c0rrect-h0rse",
        b"Basic  aW50ZWdyYXRvcjpjMHJyZWN0LWgwcnNl",
        b"Basic \xff\xfe",
    ];
    let errors: Vec<NotificationError> = headers
        .iter()
        .map(|header| verifier().receive(Some(header), &body()).unwrap_err())
        .collect();
    for err in &errors {
        assert_eq!(*err, NotificationError::WrongAuthorization);
        assert_eq!(err.http_status(), 401);
        assert_quiet(err);
    }
    assert_eq!(
        errors[0].to_string(),
        "the notification's Authorization header does not match the configured credentials"
    );
}

#[test]
fn the_body_is_not_looked_at_before_the_header_passes() {
    // Bad JSON and an oversized body with a wrong header: the answer is about the header only.
    let big = vec![b' '; MAX_NOTIFICATION_BODY + 1];
    for body in [&b"{not json"[..], &big] {
        assert_eq!(
            verifier().receive(Some(b"Basic bm9wZQ=="), body),
            Err(NotificationError::WrongAuthorization)
        );
        assert_eq!(
            verifier().receive(None, body),
            Err(NotificationError::MissingAuthorization)
        );
    }
}

#[test]
fn bad_json_names_the_path_and_not_the_values() {
    let body =
        format!(r#"{{"session_id": "{BODY_SECRET}", "topic": "task_completion", "task_id": 12}}"#);
    let err = verifier().receive(Some(GOOD), body.as_bytes()).unwrap_err();
    let NotificationError::BadJson(parse) = &err else {
        panic!("{err:?}");
    };
    assert_eq!(parse.path(), "task_id");
    assert_eq!(parse.kind(), ParseErrorKind::Data);
    assert_eq!(
        err.to_string(),
        "the notification body is not valid: task_id: invalid type: integer, expected a string"
    );
    assert_eq!(err.http_status(), 400);
    assert_quiet(&err);
    assert!(std::error::Error::source(&err).is_some());

    let err = verifier()
        .receive(
            Some(GOOD),
            format!(r#"{{"session_id": "{BODY_SECRET}"#).as_bytes(),
        )
        .unwrap_err();
    assert!(matches!(&err, NotificationError::BadJson(p) if p.kind() == ParseErrorKind::Eof));
    assert_quiet(&err);

    let err = verifier()
        .receive(Some(GOOD), br#"{"topic": "session_completion"}"#)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "the notification body is not valid: .: missing or null field session_id (a string is required)"
    );
}

#[test]
fn bodies_over_the_limit_are_refused_and_at_the_limit_parsed() {
    let mut body = body();
    body.resize(MAX_NOTIFICATION_BODY, b' ');
    assert!(verifier().receive(Some(GOOD), &body).is_ok());
    body.push(b' ');
    let err = verifier().receive(Some(GOOD), &body).unwrap_err();
    assert_eq!(
        err,
        NotificationError::BodyTooLarge {
            limit: MAX_NOTIFICATION_BODY
        }
    );
    assert_eq!(err.http_status(), 413);
    assert_eq!(
        err.to_string(),
        "the notification body is longer than 65536 bytes"
    );
}

#[cfg(feature = "http")]
mod with_http {
    use super::*;
    use http::header::AUTHORIZATION;
    use http::{HeaderMap, HeaderValue, Request};

    #[test]
    fn from_a_request_with_any_byte_body() {
        let request = Request::post("/n")
            .header(AUTHORIZATION, GOOD)
            .body(body())
            .unwrap();
        assert_eq!(
            verifier().receive_request(&request).unwrap().session_id,
            "s1"
        );
        let request = Request::post("/n")
            .header("Authorization", "BASIC aW50ZWdyYXRvcjpjMHJyZWN0LWgwcnNl")
            .body(String::from_utf8(body()).unwrap())
            .unwrap();
        assert!(verifier().receive_request(&request).is_ok());
        let request = Request::post("/n").body(body()).unwrap();
        assert_eq!(
            verifier().receive_request(&request),
            Err(NotificationError::MissingAuthorization)
        );
    }

    #[test]
    fn from_headers_non_utf8_and_repeated_values() {
        let mut headers = HeaderMap::new();
        headers.insert(
            AUTHORIZATION,
            HeaderValue::from_bytes(b"Basic \xe9t\xe9").unwrap(),
        );
        assert_eq!(
            verifier().receive_headers(&headers, &body()),
            Err(NotificationError::WrongAuthorization)
        );
        headers.insert(
            AUTHORIZATION,
            HeaderValue::from_static("Basic aW50ZWdyYXRvcjpjMHJyZWN0LWgwcnNl"),
        );
        assert!(verifier().receive_headers(&headers, &body()).is_ok());
        // Two Authorization headers, even with the right one first: refused.
        headers.append(AUTHORIZATION, HeaderValue::from_static("Bearer other"));
        assert_eq!(
            verifier().receive_headers(&headers, &body()),
            Err(NotificationError::WrongAuthorization)
        );
        assert_eq!(
            verifier().receive_headers(&HeaderMap::new(), &body()),
            Err(NotificationError::MissingAuthorization)
        );
    }
}
