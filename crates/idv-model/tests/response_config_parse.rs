//! Reading response configs: what Yoti's documentation and the official sandbox clients send
//! parses with nothing unknown, validates and is written back unchanged; `null`s, unknown keys
//! and unknown check and task types survive the round trip and are reported.

use idv_model::response_config::{CheckType, LivenessType, RecommendationValue, ResponseConfig};
use serde_json::{Value, json};

/// Parses `doc`, checks that writing it back gives the same JSON value (and the same config
/// through text), and returns the config.
fn round_trip(doc: &Value) -> ResponseConfig {
    let text = serde_json::to_vec(doc).unwrap();
    let config = ResponseConfig::from_slice(&text).unwrap();
    assert_eq!(&serde_json::to_value(&config).unwrap(), doc);
    let again = ResponseConfig::from_slice(&serde_json::to_vec(&config).unwrap()).unwrap();
    assert_eq!(again, config);
    config
}

/// A document every key of which this version models, and that breaks no rule.
fn assert_fully_known(doc: &Value) -> ResponseConfig {
    let config = round_trip(doc);
    assert_eq!(config.unknown_keys(), Vec::<String>::new());
    assert_eq!(config.unknown_values(), Vec::<String>::new());
    config.validate().unwrap();
    config
}

fn report(value: &str, breakdown: Value) -> Value {
    json!({"result": {"report": {"recommendation": {"value": value}, "breakdown": breakdown}}})
}

#[test]
fn yoti_documentation_example() {
    let doc = json!({
        "task_results": {"ID_DOCUMENT_TEXT_DATA_EXTRACTION": [{"result": {"document_fields": {
            "full_name": "Test", "document_number": "TEST23123", "date_of_birth": "1980-12-20"
        }}}]},
        "check_reports": {
            "ID_DOCUMENT_AUTHENTICITY": [report("APPROVE", json!([
                {"sub_check": "data_in_correct_position", "result": "PASS", "details": []},
                {"sub_check": "hologram_movement", "result": "FAIL", "details": []}
            ]))],
            "ID_DOCUMENT_TEXT_DATA_CHECK": [report("APPROVE", json!([
                {"sub_check": "text_data_readable", "result": "PASS", "details": []}
            ]))],
            "LIVENESS": [
                {"liveness_type": "ZOOM", "result": {"report": {"recommendation": {"value": "REJECT"},
                    "breakdown": [{"sub_check": "liveness_auth", "result": "FAIL", "details": []}]}}},
                {"liveness_type": "ZOOM", "result": {"report": {"recommendation": {"value": "APPROVE"},
                    "breakdown": [{"sub_check": "liveness_auth", "result": "PASS", "details": []}]}}}
            ],
            "ID_DOCUMENT_FACE_MATCH": [report("APPROVE", json!([
                {"sub_check": "ai_face_match", "result": "FAIL",
                 "details": [{"name": "confidence_score", "value": "0.53"}]},
                {"sub_check": "manual_face_match", "result": "PASS", "details": []}
            ]))],
            "async_report_delay": 6
        }
    });
    let config = assert_fully_known(&doc);
    let reports = config.check_reports.as_ref().unwrap();
    let liveness = reports.for_check(&CheckType::Liveness);
    assert_eq!(liveness.len(), 2);
    assert_eq!(liveness[0].liveness_type, Some(LivenessType::Zoom));
    assert_eq!(
        liveness[0].recommendation_value(),
        Some(&RecommendationValue::Reject)
    );
    assert_eq!(reports.async_report_delay, Some(6));
}

#[test]
fn what_the_node_sandbox_client_sends() {
    // The six array keys always ([] when unused), THIRD_PARTY_IDENTITY as one object, every
    // report with a breakdown and every breakdown with details, the photo padded.
    let doc = json!({
        "check_reports": {
            "ID_DOCUMENT_TEXT_DATA_CHECK": [{
                "result": {"report": {"recommendation": {"value": "APPROVE"}, "breakdown": []},
                           "document_fields": {"full_name": "Jane Doe", "nationality": "GBR"}},
                "document_filter": {"document_types": ["PASSPORT"], "country_codes": ["GBR"]}
            }],
            "ID_DOCUMENT_AUTHENTICITY": [{
                "result": {"report": {
                    "recommendation": {"value": "REJECT", "reason": "NOT_GENUINE",
                                       "recovery_suggestion": "BETTER_LIGHTING"},
                    "breakdown": [{"sub_check": "security_features", "result": "FAIL",
                                   "details": [{"name": "hologram", "value": "missing"}]}]
                }}
            }],
            "ID_DOCUMENT_FACE_MATCH": [],
            "LIVENESS": [{"result": {"report": {"recommendation": {"value": "APPROVE"},
                                                "breakdown": []}},
                          "liveness_type": "STATIC"}],
            "ID_DOCUMENT_COMPARISON": [{
                "result": {"report": {"recommendation": {"value": "APPROVE"}, "breakdown": []}},
                "secondary_document_filter": {"document_types": ["DRIVING_LICENCE"],
                                              "country_codes": []}
            }],
            "SUPPLEMENTARY_DOCUMENT_TEXT_DATA_CHECK": [],
            "THIRD_PARTY_IDENTITY": {"result": {"report": {"recommendation": {"value": "APPROVE"},
                                                           "breakdown": []}}},
            "async_report_delay": 10
        },
        "task_results": {
            "ID_DOCUMENT_TEXT_DATA_EXTRACTION": [{
                "result": {
                    "document_fields": {"full_name": "Jane Doe"},
                    "document_id_photo": {"content_type": "image/jpeg", "data": "/9j/4AAQ"},
                    "detected_country": "GBR",
                    "detected_document_type": "PASSPORT",
                    "recommendation": {"value": "PROGRESS"}
                },
                "document_filter": {"document_types": [], "country_codes": ["GBR"]}
            }],
            "SUPPLEMENTARY_DOCUMENT_TEXT_DATA_EXTRACTION": []
        }
    });
    let config = assert_fully_known(&doc);
    let task = &config
        .task_results
        .as_ref()
        .unwrap()
        .id_document_text_data_extraction
        .as_ref()
        .unwrap()[0];
    let photo = task
        .result
        .as_ref()
        .unwrap()
        .document_id_photo
        .as_ref()
        .unwrap();
    assert_eq!(
        photo.decode_data(),
        Some(vec![0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10])
    );
}

#[test]
fn what_the_java_sandbox_client_sends() {
    let approve = report("APPROVE", json!([]));
    let doc = json!({
        "check_reports": {
            "LIVENESS": [{"result": {"report": {"recommendation": {"value": "APPROVE"}}},
                          "liveness_type": "ZOOM", "response_delay": 5}],
            "FACE_COMPARISON": approve,
            "THIRD_PARTY_IDENTITY_FRAUD_1": approve,
            "WATCHLIST_SCREENING": {"result": {"report": {
                "recommendation": {"value": "NOT_AVAILABLE"},
                "breakdown": [{"sub_check": "sanction", "result": "PASS",
                               "details": [{"name": "number_of_hits", "value": "0"}]}]}}},
            "SYNECTICS_IDENTITY_FRAUD": [approve],
            "WATCHLIST_ADVANCED_CA": [
                {"result": {"report": {"recommendation": {"value": "CONSIDER",
                                                          "reason": "POTENTIAL_MATCH"}}},
                 "sources_filter": {"type": "TYPE_LIST", "types": ["pep", "sanction"]}},
                {"result": {"report": {"recommendation": {"value": "APPROVE"}}},
                 "sources_filter": {"type": "PROFILE", "search_profile": "profile-1"}}
            ]
        },
        "task_results": {
            "SUPPLEMENTARY_DOCUMENT_TEXT_DATA_EXTRACTION": [{
                "result": {"document_fields": {"address": "1 Street"},
                           "recommendation": {"value": "MUST_TRY_AGAIN",
                                              "reason": {"value": "QUALITY", "detail": "BLUR"}}},
                "response_delay": 2,
                "result_template": "TEMPLATE"
            }]
        }
    });
    let config = assert_fully_known(&doc);
    let reports = config.check_reports.as_ref().unwrap();
    assert_eq!(reports.for_check(&CheckType::WatchlistAdvancedCa).len(), 2);
    assert_eq!(reports.for_check(&CheckType::WatchlistScreening).len(), 1);
    assert_eq!(reports.iter().count(), 7);
}

#[test]
fn what_the_go_sandbox_client_sends() {
    // Go always sends both filter lists and omits an empty breakdown.
    let doc = json!({
        "check_reports": {
            "ID_DOCUMENT_AUTHENTICITY": [{"result": {"report": {"recommendation": {"value": "APPROVE"}}},
                                          "document_filter": {"document_types": [], "country_codes": []}}],
            "ID_DOCUMENT_TEXT_DATA_CHECK": [],
            "ID_DOCUMENT_FACE_MATCH": [],
            "LIVENESS": [],
            "ID_DOCUMENT_COMPARISON": [],
            "THIRD_PARTY_IDENTITY": {"result": {"report": {"recommendation": {"value": "REJECT"}}}},
        },
        "task_results": {"ID_DOCUMENT_TEXT_DATA_EXTRACTION": [{
            "result": {"document_fields": {"full_name": "x"}, "detected_country": "GBR",
                       "recommendation": {"value": "SHOULD_TRY_AGAIN",
                                          "reason": {"value": "USER_ERROR"}}}
        }]}
    });
    assert_fully_known(&doc);
}

#[test]
fn nulls_are_written_back() {
    let doc = json!({
        "check_reports": {
            "LIVENESS": null,
            "THIRD_PARTY_IDENTITY": null,
            "async_report_delay": null,
            "ID_DOCUMENT_AUTHENTICITY": [{
                "result": {"report": {"recommendation": {"value": "APPROVE", "reason": null},
                                      "breakdown": null},
                           "report_template": null, "document_fields": null},
                "document_filter": {"document_types": null, "country_codes": ["GBR"]},
                "liveness_type": null, "response_delay": null,
                "secondary_document_filter": null, "sources_filter": null
            }]
        },
        "task_results": null
    });
    let config = round_trip(&doc);
    assert_eq!(config.unknown_keys(), Vec::<String>::new());
    config.validate().unwrap();
    let reports = config.check_reports.as_ref().unwrap();
    assert!(reports.for_check(&CheckType::Liveness).is_empty());
    assert_eq!(reports.async_report_delay, None);
}

#[test]
fn unknown_keys_values_and_types_survive_and_are_reported() {
    let doc = json!({
        "check_reports": {
            "IBV_VISUAL_REVIEW_CHECK": [{"result": {"report": {"recommendation": {"value": "APPROVE"}}}}],
            "LIVENESS": [{
                "result": {
                    "report": {
                        "recommendation": {"value": "ESCALATE", "confidence": 0.9},
                        "breakdown": [{"sub_check": "liveness_auth", "result": "PARTIAL",
                                       "process": "AUTOMATED",
                                       "details": [{"name": "a", "value": "b", "unit": "s"}]}],
                        "watchlist_summary": {"total_hits": 0}
                    },
                    "generated_media": []
                },
                "liveness_type": "VIDEO",
                "handled_check_limit": 1,
                "document_filter": {"allowed_providers": [{"name": "DIGILOCKER"}]},
            }],
            "WATCHLIST_ADVANCED_CA": [{
                "result": {"report": {"recommendation": {"value": "APPROVE"}}},
                "sources_filter": {"type": "ALL", "extra_sources": true}
            }],
            "future_setting": {"x": [1, 2]}
        },
        "task_results": {
            "VERIFY_SHARE_CODE_TASK": [],
            "ID_DOCUMENT_TEXT_DATA_EXTRACTION": [{
                "result": {"document_fields": {"UPPER": 1, "nested": {"deep": [null]}},
                           "recommendation": {"value": "WAIT", "reason": {"value": "GLARE", "x": 1}},
                           "document_id_photo": {"content_type": "image/webp", "data": "", "width": 9}},
                "priority": "high"
            }]
        },
        "session_level": true
    });
    let config = round_trip(&doc);
    let live = "check_reports.LIVENESS[0]";
    let task = "task_results.ID_DOCUMENT_TEXT_DATA_EXTRACTION[0]";
    assert_eq!(
        config.unknown_keys(),
        [
            format!("{live}.result.report.recommendation.confidence"),
            format!("{live}.result.report.breakdown[0].details[0].unit"),
            format!("{live}.result.report.breakdown[0].process"),
            format!("{live}.result.report.watchlist_summary"),
            format!("{live}.result.generated_media"),
            format!("{live}.document_filter.allowed_providers"),
            format!("{live}.handled_check_limit"),
            "check_reports.WATCHLIST_ADVANCED_CA[0].sources_filter.extra_sources".to_owned(),
            "check_reports.IBV_VISUAL_REVIEW_CHECK".to_owned(),
            "check_reports.future_setting".to_owned(),
            format!("{task}.result.document_id_photo.width"),
            format!("{task}.result.recommendation.reason.x"),
            format!("{task}.priority"),
            "task_results.VERIFY_SHARE_CODE_TASK".to_owned(),
            "session_level".to_owned(),
        ]
    );
    assert_eq!(
        config.unknown_values(),
        [
            format!("{live}.result.report.recommendation.value"),
            format!("{live}.result.report.breakdown[0].result"),
            format!("{live}.liveness_type"),
            "check_reports.WATCHLIST_ADVANCED_CA[0].sources_filter.type".to_owned(),
            format!("{task}.result.recommendation.value"),
            format!("{task}.result.recommendation.reason.value"),
        ]
    );
    // Unknown values are kept as sent.
    let reports = config.check_reports.as_ref().unwrap();
    assert_eq!(
        reports.for_check(&CheckType::Liveness)[0].liveness_type,
        Some(LivenessType::Other("VIDEO".into()))
    );
    // The only rule broken is the empty photo data.
    let err = config.validate().unwrap_err();
    assert_eq!(err.violations().len(), 1);
    assert!(err.has_path(&format!("{task}.result.document_id_photo.data")));
}

#[test]
fn key_order_does_not_matter() {
    let a = ResponseConfig::from_slice(
        br#"{"task_results": {}, "check_reports": {"async_report_delay": 1, "LIVENESS": [{"liveness_type": "ZOOM", "result": {"report_template": "T"}}]}}"#,
    )
    .unwrap();
    let b = ResponseConfig::from_slice(
        br#"{"check_reports": {"LIVENESS": [{"result": {"report_template": "T"}, "liveness_type": "ZOOM"}], "async_report_delay": 1}, "task_results": {}}"#,
    )
    .unwrap();
    assert_eq!(a, b);
}

#[test]
fn numbers_at_the_edges() {
    let max = ResponseConfig::from_slice(
        format!(
            r#"{{"check_reports": {{"async_report_delay": {}}}}}"#,
            i64::MAX
        )
        .as_bytes(),
    )
    .unwrap();
    assert_eq!(
        max.check_reports.unwrap().async_report_delay,
        Some(i64::MAX)
    );
    let negative =
        ResponseConfig::from_slice(br#"{"check_reports": {"async_report_delay": -5}}"#).unwrap();
    assert!(
        negative
            .validate()
            .unwrap_err()
            .has_path("check_reports.async_report_delay")
    );
    for bad in ["18446744073709551616", "1.5", "1e3", "\"5\"", "true"] {
        let text = format!(r#"{{"check_reports": {{"async_report_delay": {bad}}}}}"#);
        let err = ResponseConfig::from_slice(text.as_bytes()).unwrap_err();
        assert_eq!(err.path(), "check_reports.async_report_delay", "{bad}");
    }
}
