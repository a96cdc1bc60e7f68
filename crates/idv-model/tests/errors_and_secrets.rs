//! Parse errors name the JSON path and never leak document values; secrets are redacted.

use idv_model::{ParseErrorKind, Session};

#[test]
fn error_names_path_and_expected_type() {
    let doc = br#"{"checks": [{}, {}, {}, {"report": {"recommendation": {"value": 42}}}]}"#;
    let err = idv_model::parse_session(doc).unwrap_err();
    assert_eq!(
        err.to_string(),
        "checks[3].report.recommendation.value: invalid type: integer, expected a string"
    );
    assert_eq!(err.path(), "checks[3].report.recommendation.value");
    assert_eq!(err.message(), "invalid type: integer, expected a string");
    assert_eq!(err.kind(), ParseErrorKind::Data);
    assert_eq!(err.line(), 1);
    assert!(err.column() > 50);
}

#[test]
fn error_paths_at_several_depths() {
    let cases: [(&[u8], &str); 6] = [
        (br#"{"session_id": 1}"#, "session_id"),
        (br#"{"resources": {"id_documents": [{"pages": [{"frames": [{"media": {"type": []}}]}]}]}}"#,
         "resources.id_documents[0].pages[0].frames[0].media.type"),
        (br#"{"resources": []}"#, "resources"),
        (br#"{"checks": {}}"#, "checks"),
        (br#"{"client_session_token_ttl": "soon"}"#, "client_session_token_ttl"),
        (br#"{"identity_profile": {"identity_profile_report": {"schemes_compliance": [{"requirements_met": "yes"}]}}}"#,
         "identity_profile.identity_profile_report.schemes_compliance[0].requirements_met"),
    ];
    for (doc, path) in cases {
        let err = idv_model::parse_session(doc).unwrap_err();
        assert_eq!(err.path(), path, "{err}");
        assert!(err.to_string().starts_with(&format!("{path}: ")), "{err}");
    }
}

#[test]
fn syntax_errors_have_position() {
    let err = idv_model::parse_session(b"{\n  \"session_id\": \"abc\",\n  oops\n}").unwrap_err();
    assert_eq!(err.kind(), ParseErrorKind::Syntax);
    assert_eq!(err.line(), 3);
    let err = idv_model::parse_session(br#"{"session_id": "abc""#).unwrap_err();
    assert_eq!(err.kind(), ParseErrorKind::Eof);
    let err = idv_model::parse_session(br#"{} trailing"#).unwrap_err();
    assert_eq!(err.kind(), ParseErrorKind::Syntax);
    assert_eq!(err.path(), ".");
    let err = idv_model::parse_session(b"").unwrap_err();
    assert_eq!(err.kind(), ParseErrorKind::Eof);
    let err = idv_model::parse_session(b"[1]").unwrap_err();
    assert_eq!(
        err.to_string(),
        ".: invalid type: sequence, expected a session object"
    );
}

#[test]
fn document_values_never_appear_in_errors() {
    let secret = "JOHN-SMITH-1970-01-01";
    let docs = [
        format!(r#"{{"session_id": ["{secret}"]}}"#),
        format!(
            r#"{{"checks": [{{"report": {{"breakdown": [{{"details": [{{"value": {{"x": "{secret}"}}}}]}}]}}}}]}}"#
        ),
        format!(
            r#"{{"checks": [{{"report": {{"watchlist_summary": {{"total_hits": "{secret}"}}}}}}]}}"#
        ),
        format!(
            r#"{{"resources": {{"id_documents": [{{"pages": [{{"frames": "{secret}"}}]}}]}}}}"#
        ),
        format!(
            r#"{{"checks": [{{"report": {{"watchlist_summary": {{"search_config": {{"remove_deceased": "{secret}"}}}}}}}}]}}"#
        ),
        format!(r#"{{"client_session_token_ttl": "{secret}"}}"#),
        format!(r#"{{"resources": {{"share_codes": [{{"source": ["{secret}"]}}]}}}}"#),
        format!(r#"{{"state": "{secret}", "checks": [{{"id": "{secret}", "type": 3}}]}}"#),
        format!(r#"{{"session_id": "{secret}" "#),
        format!(r#"{{"session_id": "{secret}\u"}}"#),
        format!(r#"{{"extra": {{"{secret}": [1, ]}}}}"#),
        format!(r#"{{"checks": [{{"{secret}": {{"x": tru}}}}]}}"#),
    ];
    for doc in &docs {
        let err = idv_model::parse_session(doc.as_bytes()).unwrap_err();
        let shown = format!("{err} {err:?}");
        assert!(!shown.contains("JOHN"), "leaked in {shown}");
    }
    // Keys of unknown objects are replaced in the path; field-like keys are kept.
    let err = idv_model::parse_session(br#"{"checks": [{"Mr X": {"y": [1, ]}}]}"#).unwrap_err();
    assert_eq!(err.path(), "checks[0].<key>.y");
    // Numbers are values too.
    let err = idv_model::parse_session(br#"{"session_id": 987654321}"#).unwrap_err();
    assert!(!err.to_string().contains("987654321"), "{err}");
    let err = idv_model::parse_session(br#"{"checks": [{"state": 1.25}]}"#).unwrap_err();
    assert!(!err.to_string().contains("1.25"), "{err}");
    assert_eq!(
        err.message(),
        "invalid type: floating point, expected a string"
    );
    let err = idv_model::parse_session(
        br#"{"checks": [{"report": {"watchlist_summary": {"total_hits": true}}}]}"#,
    )
    .unwrap_err();
    assert_eq!(err.message(), "invalid type: boolean, expected i64");
}

#[test]
fn from_slice_works_for_other_types() {
    let err = idv_model::from_slice::<idv_model::ApiErrorBody>(br#"{"errors": [{"property": 1}]}"#)
        .unwrap_err();
    assert_eq!(err.path(), "errors[0].property");
    let ok = idv_model::from_slice::<Vec<idv_model::TrackedDeviceEvent>>(b"[]").unwrap();
    assert!(ok.is_empty());
}

#[test]
fn client_session_token_is_redacted() {
    let token = "039abe07-166b-4f1d-9442-c86127d0143e";
    let doc = format!(r#"{{"session_id": "s", "client_session_token": "{token}"}}"#);
    let session: Session = idv_model::parse_session(doc.as_bytes()).unwrap();
    let t = session.client_session_token.as_ref().unwrap();
    assert_eq!(t.to_string(), "[redacted]");
    assert_eq!(format!("{t:?}"), "[redacted]");
    assert_eq!(t.expose_secret(), token);
    let debug = format!("{session:?} {session:#?}");
    assert!(!debug.contains(token), "{debug}");
    assert!(debug.contains("[redacted]"));
    // Serialisation keeps it (round trip).
    assert!(serde_json::to_string(&session).unwrap().contains(token));

    let created = idv_model::from_slice::<idv_model::CreateSessionResult>(
        format!(r#"{{"client_session_token": "{token}", "client_session_token_ttl": 600, "session_id": "s"}}"#).as_bytes(),
    )
    .unwrap();
    assert!(!format!("{created:?}").contains(token));
    assert_eq!(created.client_session_token.unwrap().expose_secret(), token);
}

#[test]
fn watchlist_api_key_is_redacted() {
    let doc = br#"{"checks": [{"report": {"watchlist_summary": {"search_config": {"api_key": "provider-key-123"}}}}]}"#;
    let session = idv_model::parse_session(doc).unwrap();
    assert!(!format!("{session:?}").contains("provider-key-123"));
    let config = session.checks[0]
        .report
        .as_ref()
        .unwrap()
        .watchlist_summary
        .as_ref()
        .unwrap();
    let key = config
        .search_config
        .as_ref()
        .unwrap()
        .api_key
        .as_ref()
        .unwrap();
    assert_eq!(key.expose_secret(), "provider-key-123");
}
