//! Reading a create-session specification from JSON: what the official SDKs send parses with
//! nothing unknown, everything is written back unchanged, unknown keys and values are
//! reported, and shape errors name their JSON path.

use idv_model::spec::{
    CaMatchingStrategy, ManualCheck, RequestedCheck, RequestedTask, SessionSpec, Topic,
};
use idv_model::{LivenessType, ParseErrorKind};
use serde_json::{Value, json};

/// Parses `value`'s text and checks that writing it back gives the same JSON value, both from
/// the text (`type` before or after `config`, as written) and from the value itself.
fn round_trip(value: &Value) -> SessionSpec {
    let text = serde_json::to_vec(value).unwrap();
    let spec = SessionSpec::from_slice(&text).unwrap();
    assert_eq!(&serde_json::to_value(&spec).unwrap(), value);
    let from_value: SessionSpec = serde_json::from_value(value.clone()).unwrap();
    assert_eq!(from_value, spec);
    // And the text this crate writes (keys in model order: `type` first) reads back the same.
    let written = serde_json::to_vec(&spec).unwrap();
    assert_eq!(SessionSpec::from_slice(&written).unwrap(), spec);
    spec
}

/// A body as the official Node SDK builds it (reference 5.1.1): its defaults included.
fn node_body() -> Value {
    json!({
        "client_session_token_ttl": 600,
        "session_deadline": "2030-01-01T00:00:00.000Z",
        "resources_ttl": 90000,
        "user_tracking_id": "some-user-tracking-id",
        "notifications": {
            "auth_token": "username:password", "auth_type": "BASIC",
            "endpoint": "https://example.com/n", "topics": ["SESSION_COMPLETION"]
        },
        "requested_checks": [
            {"type": "ID_DOCUMENT_AUTHENTICITY", "config": {"manual_check": "FALLBACK"}},
            {"type": "LIVENESS", "config": {"max_retries": 1, "liveness_type": "ZOOM"}},
            {"type": "ID_DOCUMENT_FACE_MATCH", "config": {"manual_check": "FALLBACK"}},
            {"type": "ID_DOCUMENT_COMPARISON", "config": {}},
            {"type": "THIRD_PARTY_IDENTITY", "config": {}},
            {"type": "WATCHLIST_SCREENING", "config": {"categories": ["ADVERSE-MEDIA", "SANCTIONS"]}},
            {"type": "FACE_COMPARISON", "config": {"manual_check": "NEVER"}},
            {"type": "WATCHLIST_ADVANCED_CA", "config": {
                "type": "WITH_YOTI_ACCOUNT", "remove_deceased": false, "share_url": false,
                "sources": {"type": "TYPE_LIST", "types": []},
                "matching_strategy": {"type": "EXACT"}
            }},
            {"type": "WATCHLIST_ADVANCED_CA", "config": {
                "type": "WITH_CUSTOM_ACCOUNT", "api_key": "k", "monitoring": false,
                "tags": {"a": "b", "n": null}, "client_ref": "r",
                "remove_deceased": false, "share_url": false,
                "sources": {"type": "PROFILE", "search_profile": "p"},
                "matching_strategy": {"type": "FUZZY", "fuzziness": 0.5}
            }}
        ],
        "requested_tasks": [
            {"type": "ID_DOCUMENT_TEXT_DATA_EXTRACTION", "config": {
                "manual_check": "NEVER", "chip_data": "DESIRED", "create_expanded_document_fields": true
            }},
            {"type": "SUPPLEMENTARY_DOCUMENT_TEXT_DATA_EXTRACTION", "config": {"manual_check": "NEVER"}}
        ],
        "sdk_config": {
            "allowed_capture_methods": "CAMERA_AND_UPLOAD", "primary_colour": "#2d9fff",
            "secondary_colour": "#FFFFFF", "font_colour": "#FFFFFF", "locale": "en-GB",
            "preset_issuing_country": "GBR", "success_url": "https://example.com/s",
            "error_url": "https://example.com/e", "privacy_policy_url": "https://example.com/p",
            "biometric_consent_flow": "EARLY", "allow_handoff": false,
            "attempts_configuration": {"ID_DOCUMENT_TEXT_DATA_EXTRACTION": {"GENERIC": 3, "RECLASSIFICATION": 2}},
            "brand_id": "b", "suppressed_screens": ["ID_DOCUMENT_EDUCATION"]
        },
        "required_documents": [
            {"type": "ID_DOCUMENT", "filter": {
                "type": "DOCUMENT_RESTRICTIONS", "inclusion": "WHITELIST", "documents": [],
                "allow_expired_documents": false, "allow_non_latin_documents": true
            }},
            {"type": "SUPPLEMENTARY_DOCUMENT", "objective": {"type": "PROOF_OF_ADDRESS"},
             "document_types": ["UTILITY_BILL"], "country_codes": ["GBR"]}
        ],
        "block_biometric_consent": false,
        "identity_profile_requirements": {"trust_framework": "UK_TFIDA", "scheme": {"type": "DBS", "objective": "STANDARD"}},
        "subject": {"subject_id": "subject-1"},
        "advanced_identity_profile_requirements": {"profiles": [{"trust_framework": "UK_TFIDA", "schemes": [
            {"type": "RTW", "label": "rtw", "config": {"filter": {"type": "ORTHOGONAL_RESTRICTIONS",
                "country_restriction": {"inclusion": "BLACKLIST", "country_codes": ["IRN"]},
                "type_restriction": {"inclusion": "WHITELIST", "document_types": ["PASSPORT"]}}}}
        ]}]}
    })
}

#[test]
fn what_the_node_sdk_sends_is_all_known_valid_and_written_back() {
    let body = node_body();
    let spec = round_trip(&body);
    assert_eq!(spec.unknown_keys(), Vec::<String>::new());
    assert_eq!(spec.unknown_values(), Vec::<String>::new());
    assert_eq!(spec.validate(), Ok(()));
    let checks = spec.requested_checks.as_deref().unwrap();
    assert_eq!(checks.len(), 9);
    let RequestedCheck::Liveness(liveness) = &checks[1] else {
        panic!("{:?}", checks[1])
    };
    let config = liveness.config.as_ref().unwrap();
    assert_eq!(
        (config.liveness_type.clone(), config.max_retries),
        (Some(LivenessType::Zoom), Some(1))
    );
    let RequestedCheck::WatchlistAdvancedCa(ca) = &checks[8] else {
        panic!()
    };
    let ca = ca.config.as_ref().unwrap();
    assert_eq!(ca.api_key.as_ref().unwrap().expose_secret(), "k");
    assert_eq!(
        ca.matching_strategy.as_ref().unwrap().fuzziness_f64(),
        Some(0.5)
    );
    assert_eq!(
        spec.notifications.as_ref().unwrap().topics.as_deref(),
        Some(&[Topic::SessionCompletion][..])
    );
}

#[test]
fn what_only_the_python_sdk_sends_is_known_too() {
    let body = json!({
        "session_deadline": "2030-01-01T01:00:00+01:00",
        "requested_checks": [
            {"type": "LIVENESS", "config": {"liveness_type": "STATIC", "max_retries": 1, "manual_check": "NEVER"}},
            {"type": "WATCHLIST_SCREENING", "config": {"manual_check": "NEVER", "categories": []}},
            {"type": "ID_DOCUMENT_AUTHENTICITY", "config": {"issuing_authority_sub_check": {
                "requested": true, "filter": {"type": "DOCUMENT_RESTRICTIONS", "inclusion": "BLACKLIST"}}}}
        ],
        "requested_tasks": [],
        "required_documents": [{"type": "ID_DOCUMENT"}]
    });
    let spec = round_trip(&body);
    assert_eq!(spec.unknown_keys(), Vec::<String>::new());
    assert_eq!(spec.validate(), Ok(()));
    let RequestedCheck::Liveness(liveness) = &spec.requested_checks.as_deref().unwrap()[0] else {
        panic!()
    };
    assert_eq!(
        liveness.config.as_ref().unwrap().manual_check,
        Some(ManualCheck::Never)
    );
}

#[test]
fn nulls_unknown_keys_and_unknown_values_are_kept_and_reported() {
    let body = json!({
        "client_session_token_ttl": null,
        "user_tracking_id": "u",
        "future_top": {"deep": [1, {"x": null}]},
        "notifications": {"endpoint": "https://e.com", "topics": ["SESSION_COMPLETION", "FUTURE_TOPIC"], "secret_header": "h"},
        "requested_checks": [
            {"config": {"liveness_type": "FUTURE_LIVENESS", "new_knob": 1}, "type": "LIVENESS", "entry_key": true},
            {"type": "FUTURE_CHECK", "config": {"a": 1, "b": {"c": 2}}},
            {"config": null, "type": "ID_DOCUMENT_FACE_MATCH"},
            {"type": "FUTURE_CHECK_2", "config": null},
            {"type": "ID_DOCUMENT_COMPARISON", "config": {"secondary": true}}
        ],
        "requested_tasks": null,
        "sdk_config": {"dark_mode": null, "suppressed_screens": ["NEW_SCREEN"], "attempts_configuration": {"FUTURE_TASK": {"X": 1}}},
        "required_documents": [{"type": "FUTURE_DOCUMENT", "filter": {"type": "FUTURE_FILTER", "allowed_providers": [{"name": "DIGILOCKER", "region": "IN"}]}}],
        "resources": {"applicant_profile": {"anything": {"goes": true}}, "future_resource": []},
        "ibv_options": {"support": "MANDATORY", "user_price": {"amount": "1.00", "currency": "EUR", "tax": "0"}}
    });
    let spec = round_trip(&body);
    assert_eq!(
        spec.unknown_keys(),
        [
            "notifications.secret_header",
            "requested_checks[0].config.new_knob",
            "requested_checks[0].entry_key",
            "requested_checks[1].config.a",
            "requested_checks[1].config.b",
            "requested_checks[4].config.secondary",
            "sdk_config.attempts_configuration.FUTURE_TASK",
            "required_documents[0].filter.allowed_providers[0].region",
            "ibv_options.user_price.tax",
            "resources.future_resource",
            "future_top",
        ]
    );
    assert_eq!(
        spec.unknown_values(),
        [
            "notifications.topics[1]",
            "requested_checks[0].config.liveness_type",
            "requested_checks[1].type",
            "requested_checks[3].type",
            "sdk_config.suppressed_screens[0]",
            "required_documents[0].type",
            "required_documents[0].filter.type",
        ]
    );
    let checks = spec.requested_checks.as_deref().unwrap();
    assert!(matches!(&checks[2], RequestedCheck::IdDocumentFaceMatch(e) if e.config.is_none()));
    let RequestedCheck::Other(future) = &checks[1] else {
        panic!()
    };
    assert_eq!(future.type_name, "FUTURE_CHECK");
    assert_eq!(future.config, Some(json!({"a": 1, "b": {"c": 2}})));
    assert_eq!(checks[0].extra().get("entry_key"), Some(&json!(true)));
}

#[test]
fn numbers_keep_their_json_form() {
    for fuzziness in [json!(1), json!(1.0), json!(0), json!(1e-7), json!(0.5)] {
        let body = json!({"requested_checks": [{"type": "WATCHLIST_ADVANCED_CA", "config": {
            "type": "WITH_YOTI_ACCOUNT", "matching_strategy": {"type": "FUZZY", "fuzziness": fuzziness}
        }}]});
        let spec = round_trip(&body);
        let text = serde_json::to_string(&spec).unwrap();
        assert!(
            text.contains(&format!("\"fuzziness\":{fuzziness}")),
            "{text}"
        );
    }
    // The builder's f64 is written in its shortest form.
    let text = serde_json::to_string(&CaMatchingStrategy::fuzzy(0.1)).unwrap();
    assert_eq!(text, r#"{"type":"FUZZY","fuzziness":0.1}"#);
}

#[test]
fn entries_read_the_same_whichever_key_comes_first() {
    let type_first =
        br#"{"type": "LIVENESS", "config": {"liveness_type": "ZOOM", "max_retries": 2}, "x": 1}"#;
    let config_first =
        br#"{"x": 1, "config": {"max_retries": 2, "liveness_type": "ZOOM"}, "type": "LIVENESS"}"#;
    let a: RequestedCheck = idv_model::from_slice(type_first).unwrap();
    let b: RequestedCheck = idv_model::from_slice(config_first).unwrap();
    assert_eq!(a, b);
    assert_eq!(
        a,
        RequestedCheck::from(
            idv_model::spec::LivenessConfig::builder()
                .liveness_type("ZOOM")
                .max_retries(2)
        )
        .with_extra("x", 1)
    );
    let task: RequestedTask =
        idv_model::from_slice(br#"{"config": {"manual_check": "ALWAYS"}, "type": "SUPPLEMENTARY_DOCUMENT_TEXT_DATA_EXTRACTION"}"#)
            .unwrap();
    assert_eq!(
        task,
        RequestedTask::supplementary_text_extraction(ManualCheck::Always)
    );
}

#[test]
fn shape_errors_name_their_json_path() {
    let cases: [(&str, &str); 9] = [
        (
            r#"{"client_session_token_ttl": "600"}"#,
            "client_session_token_ttl",
        ),
        (
            r#"{"client_session_token_ttl": 600.5}"#,
            "client_session_token_ttl",
        ),
        (
            r#"{"sdk_config": {"allow_handoff": "false"}}"#,
            "sdk_config.allow_handoff",
        ),
        (
            r#"{"notifications": {"topics": "SESSION_COMPLETION"}}"#,
            "notifications.topics",
        ),
        (
            r#"{"requested_checks": [{"type": "LIVENESS"}, {"type": "LIVENESS", "config": {"max_retries": "3"}}]}"#,
            "requested_checks[1].config.max_retries",
        ),
        (
            r#"{"requested_checks": [{"type": "LIVENESS"}, {"config": {}}]}"#,
            "requested_checks[1]",
        ),
        (
            r#"{"requested_checks": [{"type": 7}]}"#,
            "requested_checks[0].type",
        ),
        (
            r#"{"requested_checks": [{"type": "LIVENESS", "type": "LIVENESS"}]}"#,
            "requested_checks[0]",
        ),
        (
            r#"{"required_documents": [{"filter": {"documents": [{"country_codes": [1]}]}}]}"#,
            "required_documents[0].filter.documents[0].country_codes[0]",
        ),
    ];
    for (text, path) in cases {
        let err = SessionSpec::from_slice(text.as_bytes()).unwrap_err();
        assert_eq!(err.path(), path, "{text}: {err}");
        assert_eq!(err.kind(), ParseErrorKind::Data, "{text}");
    }
    // A config that came before its type is converted afterwards: the path inside the config
    // is in the message.
    let err = SessionSpec::from_slice(
        br#"{"requested_checks": [{"config": {"max_retries": "secret-3"}, "type": "LIVENESS"}]}"#,
    )
    .unwrap_err();
    assert_eq!(err.path(), "requested_checks[0]");
    assert!(
        err.message()
            .starts_with("config.max_retries: invalid type: string"),
        "{err}"
    );
    assert!(!err.to_string().contains("secret-3"), "{err}");
    // Not JSON at all.
    let err = SessionSpec::from_slice(b"{\"requested_checks\": [").unwrap_err();
    assert_eq!(err.kind(), ParseErrorKind::Eof);
}

#[test]
fn free_form_objects_are_passed_through_without_reports() {
    let body = json!({
        "subject": {"subject_id": "s", "subject_extra": null},
        "resources": {"applicant_profile": {"full_name": "Jane", "nested": {"null": null}}},
        "requested_checks": [{"type": "WATCHLIST_ADVANCED_CA", "config": {
            "type": "WITH_CUSTOM_ACCOUNT", "api_key": "k", "client_ref": "r",
            "tags": {"k": {"deep": [null]}}
        }}]
    });
    let spec = round_trip(&body);
    // `subject` is typed (its `subject_id`), so an extra key there is reported; the contents
    // of `applicant_profile` and `tags` are free-form and are not.
    assert_eq!(spec.unknown_keys(), ["subject.subject_extra"]);
}
