//! Every key of the sandbox response config, built through the public builders and
//! serialised: the exact JSON each one gives, plus the read helpers (`for_check`, `iter`,
//! durations, filter matching, ID photo decoding).

use std::time::Duration;

use idv_model::response_config::{
    BreakdownResult, CheckBreakdown, CheckBreakdownDetail, CheckRecommendation, CheckReport,
    CheckReports, CheckResponse, CheckResult, CheckType, DocumentFilter, DocumentIdPhoto,
    ExtractionReason, ExtractionReasonValue, ExtractionRecommendation,
    ExtractionRecommendationValue, LivenessType, RecommendationValue, ResponseConfig,
    SourcesFilter, TaskResponse, TaskResult, TaskResults, TaskType, WatchlistSourcesType,
};
use serde_json::{Map, Value, json};

fn to_json(value: &impl serde::Serialize) -> Value {
    serde_json::to_value(value).expect("a response config always serialises")
}

fn approve_json() -> Value {
    json!({"result": {"report": {"recommendation": {"value": "APPROVE"}}}})
}

#[test]
fn top_level_keys() {
    let config = ResponseConfig::builder()
        .check_reports(CheckReports::builder())
        .task_results(TaskResults::builder())
        .build()
        .unwrap();
    assert_eq!(
        to_json(&config),
        json!({"check_reports": {}, "task_results": {}})
    );
    assert_eq!(
        to_json(&ResponseConfig::builder().build().unwrap()),
        json!({})
    );
}

#[test]
fn every_check_reports_key() {
    let approve = || CheckResponse::approve();
    let reports = CheckReports::builder()
        .id_document_authenticity(approve())
        .id_document_text_data_check(approve())
        .liveness(approve())
        .id_document_face_match(approve())
        .id_document_comparison(approve())
        .supplementary_document_text_data_check(approve())
        .third_party_identity(approve())
        .face_comparison(approve())
        .third_party_identity_fraud_1(approve())
        .watchlist_screening(approve())
        .synectics_identity_fraud(approve())
        .watchlist_advanced_ca(approve())
        .async_report_delay(0)
        .build();
    let a = approve_json();
    assert_eq!(
        to_json(&reports),
        json!({
            "ID_DOCUMENT_AUTHENTICITY": [a],
            "ID_DOCUMENT_TEXT_DATA_CHECK": [a],
            "LIVENESS": [a],
            "ID_DOCUMENT_FACE_MATCH": [a],
            "ID_DOCUMENT_COMPARISON": [a],
            "SUPPLEMENTARY_DOCUMENT_TEXT_DATA_CHECK": [a],
            "THIRD_PARTY_IDENTITY": a,
            "FACE_COMPARISON": a,
            "THIRD_PARTY_IDENTITY_FRAUD_1": a,
            "WATCHLIST_SCREENING": a,
            "SYNECTICS_IDENTITY_FRAUD": [a],
            "WATCHLIST_ADVANCED_CA": [a],
            "async_report_delay": 0
        })
    );
    reports.validate().unwrap();
}

#[test]
fn array_keys_add_in_order_and_list_setters_replace() {
    let reject = CheckResponse::reject().build();
    let reports = CheckReports::builder()
        .liveness(CheckResponse::approve())
        .liveness(reject.clone())
        .id_document_authenticity(CheckResponse::approve())
        .id_document_authenticity_list([reject.clone()])
        .id_document_text_data_check_list(Vec::<CheckResponse>::new())
        .id_document_face_match_list(Vec::<CheckResponse>::new())
        .id_document_comparison_list(Vec::<CheckResponse>::new())
        .supplementary_document_text_data_check_list(Vec::<CheckResponse>::new())
        .synectics_identity_fraud_list(Vec::<CheckResponse>::new())
        .watchlist_advanced_ca_list(Vec::<CheckResponse>::new())
        .build();
    let r = json!({"result": {"report": {"recommendation": {"value": "REJECT"}}}});
    assert_eq!(
        to_json(&reports),
        json!({
            "ID_DOCUMENT_AUTHENTICITY": [r],
            "ID_DOCUMENT_TEXT_DATA_CHECK": [],
            "LIVENESS": [approve_json(), r],
            "ID_DOCUMENT_FACE_MATCH": [],
            "ID_DOCUMENT_COMPARISON": [],
            "SUPPLEMENTARY_DOCUMENT_TEXT_DATA_CHECK": [],
            "SYNECTICS_IDENTITY_FRAUD": [],
            "WATCHLIST_ADVANCED_CA": []
        })
    );
}

#[test]
fn every_check_response_key() {
    let check = CheckResponse::builder()
        .result(
            CheckResult::builder()
                .report(CheckReport::with_value(RecommendationValue::NotAvailable))
                .report_template("TEMPLATE_1")
                .document_field("full_name", "Jane Doe")
                .document_field("age", 42),
        )
        .document_filter(DocumentFilter::builder().document_types(["PASSPORT"]))
        .liveness_type(LivenessType::Static)
        .response_delay(0)
        .secondary_document_filter(DocumentFilter::builder().country_codes(["FRA", "DEU"]))
        .sources_filter(SourcesFilter::search_profile("profile-1"))
        .build();
    assert_eq!(
        to_json(&check),
        json!({
            "result": {
                "report": {"recommendation": {"value": "NOT_AVAILABLE"}},
                "report_template": "TEMPLATE_1",
                "document_fields": {"full_name": "Jane Doe", "age": 42}
            },
            "document_filter": {"document_types": ["PASSPORT"]},
            "liveness_type": "STATIC",
            "response_delay": 0,
            "secondary_document_filter": {"country_codes": ["FRA", "DEU"]},
            "sources_filter": {"type": "PROFILE", "search_profile": "profile-1"}
        })
    );
    check.validate().unwrap();
}

#[test]
fn check_response_shortcuts_reach_into_the_report() {
    let mut fields = Map::new();
    fields.insert("document_number".into(), json!("123456789"));
    let check = CheckResponse::reject()
        .reason("NOT_GENUINE")
        .recovery_suggestion("BETTER_LIGHTING")
        .breakdown(CheckBreakdown::fail("security_features"))
        .breakdown(CheckBreakdown::pass("document_in_date").detail("expiry", "2030-01-01"))
        .report_template("T")
        .document_field("full_name", "Jane Doe")
        .document_fields(fields)
        .build();
    assert_eq!(
        to_json(&check),
        json!({"result": {
            "report": {
                "recommendation": {
                    "value": "REJECT", "reason": "NOT_GENUINE",
                    "recovery_suggestion": "BETTER_LIGHTING"
                },
                "breakdown": [
                    {"sub_check": "security_features", "result": "FAIL"},
                    {"sub_check": "document_in_date", "result": "PASS",
                     "details": [{"name": "expiry", "value": "2030-01-01"}]}
                ]
            },
            "report_template": "T",
            "document_fields": {"document_number": "123456789"}
        }})
    );
    assert_eq!(
        check.recommendation_value(),
        Some(&RecommendationValue::Reject)
    );

    // A later recommendation replaces the value but is then refined by the shortcuts.
    let check = CheckResponse::approve()
        .recommendation(CheckRecommendation::with_value("CONSIDER"))
        .reason("POTENTIAL_MATCH")
        .build();
    assert_eq!(
        to_json(&check)["result"]["report"]["recommendation"],
        json!({"value": "CONSIDER", "reason": "POTENTIAL_MATCH"})
    );
    assert_eq!(
        check.recommendation_value(),
        Some(&RecommendationValue::Consider)
    );
    assert_eq!(CheckResponse::default().recommendation_value(), None);
}

#[test]
fn recommendation_constructors() {
    let value = |b: idv_model::response_config::CheckResponseBuilder| {
        to_json(&b.build())["result"]["report"]["recommendation"]["value"].clone()
    };
    assert_eq!(value(CheckResponse::approve()), "APPROVE");
    assert_eq!(value(CheckResponse::reject()), "REJECT");
    assert_eq!(value(CheckResponse::not_available()), "NOT_AVAILABLE");
    assert_eq!(value(CheckResponse::consider()), "CONSIDER");
    assert_eq!(
        value(CheckResponse::with_value("MAYBE_LATER")),
        "MAYBE_LATER"
    );
}

#[test]
fn every_report_recommendation_and_breakdown_key() {
    let report = CheckReport::builder()
        .recommendation(
            CheckRecommendation::builder()
                .value(RecommendationValue::Reject)
                .reason("PICTURE_TOO_DARK")
                .recovery_suggestion("BETTER_LIGHTING"),
        )
        .breakdown_list([CheckBreakdown::builder()
            .sub_check("ai_face_match")
            .result(BreakdownResult::Fail)
            .details([
                CheckBreakdownDetail::new("confidence_score", "0.53"),
                CheckBreakdownDetail::builder()
                    .name("closest_match")
                    .value("")
                    .build(),
            ])
            .build()])
        .breakdown(CheckBreakdown::with_result(
            "manual_face_match",
            "NOT_AVAILABLE",
        ))
        .build();
    assert_eq!(
        to_json(&report),
        json!({
            "recommendation": {
                "value": "REJECT", "reason": "PICTURE_TOO_DARK",
                "recovery_suggestion": "BETTER_LIGHTING"
            },
            "breakdown": [
                {"sub_check": "ai_face_match", "result": "FAIL", "details": [
                    {"name": "confidence_score", "value": "0.53"},
                    {"name": "closest_match", "value": ""}
                ]},
                {"sub_check": "manual_face_match", "result": "NOT_AVAILABLE"}
            ]
        })
    );
    // Empty lists are sent when set (the Node sandbox client sends them always).
    let bare = CheckReport::with_value("APPROVE")
        .breakdown_list([CheckBreakdown::pass("x")
            .details(Vec::<CheckBreakdownDetail>::new())
            .build()])
        .build();
    assert_eq!(
        to_json(&bare),
        json!({"recommendation": {"value": "APPROVE"},
               "breakdown": [{"sub_check": "x", "result": "PASS", "details": []}]})
    );
    let empty = CheckReport::with_value("APPROVE")
        .breakdown_list(Vec::<CheckBreakdown>::new())
        .build();
    assert_eq!(to_json(&empty)["breakdown"], json!([]));
}

#[test]
fn document_and_sources_filters() {
    let filter = DocumentFilter::builder()
        .document_type("PASSPORT")
        .document_type("DRIVING_LICENCE")
        .country_code("GBR")
        .build();
    assert_eq!(
        to_json(&filter),
        json!({"document_types": ["PASSPORT", "DRIVING_LICENCE"], "country_codes": ["GBR"]})
    );
    let empty = DocumentFilter::builder()
        .document_types(Vec::<String>::new())
        .country_codes(Vec::<String>::new())
        .build();
    assert_eq!(
        to_json(&empty),
        json!({"document_types": [], "country_codes": []})
    );

    assert_eq!(
        to_json(&SourcesFilter::type_list(Vec::<String>::new())),
        json!({"type": "TYPE_LIST", "types": []})
    );
    let sources = SourcesFilter::builder()
        .sources_type(WatchlistSourcesType::TypeList)
        .types(["pep"])
        .search_profile("unused")
        .build();
    assert_eq!(
        to_json(&sources),
        json!({"type": "TYPE_LIST", "search_profile": "unused", "types": ["pep"]})
    );
}

#[test]
fn document_filter_matching() {
    let filter = DocumentFilter::builder()
        .document_types(["PASSPORT", "NATIONAL_ID"])
        .country_codes(["GBR", "FRA"])
        .build();
    assert!(filter.matches(Some("PASSPORT"), Some("GBR")));
    assert!(filter.matches(Some("NATIONAL_ID"), Some("fra")));
    assert!(
        !filter.matches(Some("passport"), Some("GBR")),
        "document types match exactly"
    );
    assert!(!filter.matches(Some("PASSPORT"), Some("DEU")));
    assert!(!filter.matches(Some("PASSPORT"), None));
    assert!(!filter.matches(None, Some("GBR")));

    let types_only = DocumentFilter::builder().document_type("PASSPORT").build();
    assert!(types_only.matches(Some("PASSPORT"), None));
    assert!(types_only.matches(Some("PASSPORT"), Some("ANY")));
    let empty_lists = DocumentFilter::builder()
        .document_types(Vec::<String>::new())
        .country_codes(Vec::<String>::new())
        .build();
    assert!(empty_lists.matches(None, None));
    assert!(DocumentFilter::default().matches(Some("X"), Some("Y")));
}

#[test]
fn every_task_results_key() {
    let tasks = TaskResults::builder()
        .id_document_text_data_extraction(TaskResponse::builder().document_field("a", 1))
        .id_document_text_data_extraction(TaskResponse::builder().document_field("a", 2))
        .supplementary_document_text_data_extraction_list(Vec::<TaskResponse>::new())
        .build();
    assert_eq!(
        to_json(&tasks),
        json!({
            "ID_DOCUMENT_TEXT_DATA_EXTRACTION": [
                {"result": {"document_fields": {"a": 1}}},
                {"result": {"document_fields": {"a": 2}}}
            ],
            "SUPPLEMENTARY_DOCUMENT_TEXT_DATA_EXTRACTION": []
        })
    );
    let replaced = tasks
        .into_builder()
        .id_document_text_data_extraction_list(Vec::<TaskResponse>::new())
        .supplementary_document_text_data_extraction(TaskResponse::builder().result_template("T"))
        .build();
    assert_eq!(
        to_json(&replaced),
        json!({
            "ID_DOCUMENT_TEXT_DATA_EXTRACTION": [],
            "SUPPLEMENTARY_DOCUMENT_TEXT_DATA_EXTRACTION": [{"result_template": "T"}]
        })
    );
}

#[test]
fn every_task_response_key() {
    let task = TaskResponse::builder()
        .result(
            TaskResult::builder()
                .document_field("full_name", "Jane Doe")
                .document_id_photo(DocumentIdPhoto::new("image/png", "iVBORw=="))
                .detected_country("GBR")
                .detected_document_type("PASSPORT")
                .recommendation(
                    ExtractionRecommendation::builder()
                        .value(ExtractionRecommendationValue::ShouldTryAgain)
                        .reason(
                            ExtractionReason::builder()
                                .value("USER_ERROR")
                                .detail("GLARE"),
                        ),
                ),
        )
        .document_filter(DocumentFilter::builder().country_code("GBR"))
        .response_delay(3)
        .result_template("TEMPLATE_2")
        .build();
    assert_eq!(
        to_json(&task),
        json!({
            "result": {
                "document_fields": {"full_name": "Jane Doe"},
                "document_id_photo": {"content_type": "image/png", "data": "iVBORw=="},
                "detected_country": "GBR",
                "detected_document_type": "PASSPORT",
                "recommendation": {
                    "value": "SHOULD_TRY_AGAIN",
                    "reason": {"value": "USER_ERROR", "detail": "GLARE"}
                }
            },
            "document_filter": {"country_codes": ["GBR"]},
            "response_delay": 3,
            "result_template": "TEMPLATE_2"
        })
    );
    task.validate().unwrap();
    assert_eq!(task.response_delay_duration(), Some(Duration::from_secs(3)));
}

#[test]
fn task_response_shortcuts_reach_into_the_result() {
    let mut fields = Map::new();
    fields.insert("given_names".into(), json!("Jane"));
    let task = TaskResponse::builder()
        .document_field("dropped", true)
        .document_fields(fields)
        .document_field("family_name", "Doe")
        .document_id_photo(DocumentIdPhoto::from_bytes("image/jpeg", b"jpeg"))
        .detected_country("FRA")
        .detected_document_type("NATIONAL_ID")
        .recommendation(ExtractionRecommendation::progress())
        .build();
    assert_eq!(
        to_json(&task),
        json!({"result": {
            "document_fields": {"given_names": "Jane", "family_name": "Doe"},
            "document_id_photo": {"content_type": "image/jpeg", "data": "anBlZw=="},
            "detected_country": "FRA",
            "detected_document_type": "NATIONAL_ID",
            "recommendation": {"value": "PROGRESS"}
        }})
    );
}

#[test]
fn extraction_recommendations() {
    assert_eq!(
        to_json(&ExtractionRecommendation::should_try_again(
            ExtractionReason::user_error().detail("WRONG_DOCUMENT")
        )),
        json!({"value": "SHOULD_TRY_AGAIN", "reason": {"value": "USER_ERROR", "detail": "WRONG_DOCUMENT"}})
    );
    assert_eq!(
        to_json(&ExtractionRecommendation::must_try_again(
            ExtractionReason::quality()
        )),
        json!({"value": "MUST_TRY_AGAIN", "reason": {"value": "QUALITY"}})
    );
    assert_eq!(
        to_json(&ExtractionReason::with_value(ExtractionReasonValue::Other("NEW".into())).build()),
        json!({"value": "NEW"})
    );
}

#[test]
fn id_photo_encodes_and_decodes() {
    let bytes: Vec<u8> = (0u8..=255).collect();
    let photo = DocumentIdPhoto::from_bytes("image/jpeg", &bytes);
    assert_eq!(photo.decode_data(), Some(bytes));
    assert_eq!(photo.content_type.as_deref(), Some("image/jpeg"));
    photo.validate().unwrap();

    assert_eq!(
        DocumentIdPhoto::from_bytes("image/jpeg", b"")
            .data
            .as_deref(),
        Some("")
    );
    assert_eq!(
        DocumentIdPhoto::new("image/jpeg", "Zm9v").decode_data(),
        Some(b"foo".to_vec())
    );
    assert_eq!(
        DocumentIdPhoto::new("image/jpeg", "Zm9v\n").decode_data(),
        None
    );
    assert_eq!(DocumentIdPhoto::default().decode_data(), None);
}

#[test]
fn extras_at_every_level() {
    let config = ResponseConfig::builder()
        .check_reports(
            CheckReports::builder()
                .liveness(
                    CheckResponse::builder()
                        .result(
                            CheckResult::builder()
                                .report(
                                    CheckReport::builder()
                                        .recommendation(
                                            CheckRecommendation::with_value("APPROVE")
                                                .extra("r", 1),
                                        )
                                        .breakdown(
                                            CheckBreakdown::pass("liveness_auth")
                                                .details([CheckBreakdownDetail::builder()
                                                    .name("n")
                                                    .value("v")
                                                    .extra("d", 2)
                                                    .build()])
                                                .extra("process", "AUTOMATED"),
                                        )
                                        .extra("watchlist_summary", json!({})),
                                )
                                .extra("res", 3),
                        )
                        .document_filter(DocumentFilter::builder().extra("allow_expired", true))
                        .sources_filter(SourcesFilter::builder().extra("s", 4))
                        .extra("handled_check_limit", 2),
                )
                .extra("NEW_CHECK", json!([{"result": {}}])),
        )
        .task_results(
            TaskResults::builder()
                .id_document_text_data_extraction(
                    TaskResponse::builder()
                        .result(
                            TaskResult::builder()
                                .document_id_photo(DocumentIdPhoto::builder().extra("p", 5))
                                .recommendation(
                                    ExtractionRecommendation::builder()
                                        .reason(ExtractionReason::builder().extra("q", 6))
                                        .extra("rr", 7),
                                )
                                .extra("t", 8),
                        )
                        .extra("u", 9),
                )
                .extra("NEW_TASK", json!([])),
        )
        .extra("top", "level");
    // Not valid (a sources filter on a liveness check, required keys missing), but every
    // extra is sent.
    let err = config.clone().build().unwrap_err();
    let paths: Vec<&str> = err.violations().iter().map(|v| v.path()).collect();
    let task = "task_results.ID_DOCUMENT_TEXT_DATA_EXTRACTION[0].result";
    assert_eq!(
        paths,
        [
            "check_reports.LIVENESS[0].sources_filter".to_owned(),
            "check_reports.LIVENESS[0].sources_filter.type".to_owned(),
            format!("{task}.document_id_photo.content_type"),
            format!("{task}.document_id_photo.data"),
            format!("{task}.recommendation.value"),
            format!("{task}.recommendation.reason.value"),
        ]
    );
    let json = to_json(&ResponseConfig::from(config));
    assert_eq!(json["top"], "level");
    let checks = &json["check_reports"];
    assert_eq!(checks["NEW_CHECK"], json!([{"result": {}}]));
    let live = &checks["LIVENESS"][0];
    assert_eq!(live["handled_check_limit"], 2);
    assert_eq!(live["document_filter"], json!({"allow_expired": true}));
    assert_eq!(live["sources_filter"], json!({"s": 4}));
    assert_eq!(live["result"]["res"], 3);
    assert_eq!(live["result"]["report"]["watchlist_summary"], json!({}));
    assert_eq!(live["result"]["report"]["recommendation"]["r"], 1);
    let breakdown = &live["result"]["report"]["breakdown"][0];
    assert_eq!(breakdown["process"], "AUTOMATED");
    assert_eq!(breakdown["details"][0]["d"], 2);
    let tasks = &json["task_results"];
    assert_eq!(tasks["NEW_TASK"], json!([]));
    let task = &tasks["ID_DOCUMENT_TEXT_DATA_EXTRACTION"][0];
    assert_eq!(task["u"], 9);
    assert_eq!(task["result"]["t"], 8);
    assert_eq!(task["result"]["document_id_photo"], json!({"p": 5}));
    assert_eq!(
        task["result"]["recommendation"],
        json!({"rr": 7, "reason": {"q": 6}})
    );
}

#[test]
fn for_check_and_iter_cover_every_key() {
    let tagged = |tag: &str| CheckResponse::approve().report_template(tag);
    let reports = CheckReports::builder()
        .id_document_authenticity(tagged("auth-0"))
        .id_document_authenticity(tagged("auth-1"))
        .id_document_text_data_check(tagged("text"))
        .liveness(tagged("liveness"))
        .id_document_face_match(tagged("face"))
        .id_document_comparison(tagged("comparison"))
        .supplementary_document_text_data_check(tagged("supp"))
        .third_party_identity(tagged("tpi"))
        .face_comparison(tagged("fc"))
        .third_party_identity_fraud_1(tagged("fraud"))
        .watchlist_screening(tagged("ws"))
        .synectics_identity_fraud(tagged("syn"))
        .watchlist_advanced_ca(tagged("ca"))
        .extra("IBV_VISUAL_REVIEW_CHECK", json!([]))
        .build();
    let template = |c: &CheckResponse| c.result.as_ref().unwrap().report_template.clone().unwrap();
    let expected = [
        (CheckType::IdDocumentAuthenticity, vec!["auth-0", "auth-1"]),
        (CheckType::IdDocumentTextDataCheck, vec!["text"]),
        (CheckType::Liveness, vec!["liveness"]),
        (CheckType::IdDocumentFaceMatch, vec!["face"]),
        (CheckType::IdDocumentComparison, vec!["comparison"]),
        (CheckType::SupplementaryDocumentTextDataCheck, vec!["supp"]),
        (CheckType::ThirdPartyIdentity, vec!["tpi"]),
        (CheckType::FaceComparison, vec!["fc"]),
        (CheckType::ThirdPartyIdentityFraud1, vec!["fraud"]),
        (CheckType::WatchlistScreening, vec!["ws"]),
        (CheckType::SynecticsIdentityFraud, vec!["syn"]),
        (CheckType::WatchlistAdvancedCa, vec!["ca"]),
        (CheckType::IbvVisualReviewCheck, vec![]),
        (CheckType::Other("NEW".into()), vec![]),
    ];
    for (check_type, templates) in &expected {
        let found: Vec<String> = reports.for_check(check_type).iter().map(template).collect();
        assert_eq!(&found, templates, "{check_type}");
    }

    let listed: Vec<(String, Option<usize>, String)> = reports
        .iter()
        .map(|(t, i, c)| (t.to_string(), i, template(c)))
        .collect();
    assert_eq!(listed.len(), 13);
    assert_eq!(
        listed[0],
        ("ID_DOCUMENT_AUTHENTICITY".into(), Some(0), "auth-0".into())
    );
    assert_eq!(
        listed[1],
        ("ID_DOCUMENT_AUTHENTICITY".into(), Some(1), "auth-1".into())
    );
    assert_eq!(
        listed[7],
        ("THIRD_PARTY_IDENTITY".into(), None, "tpi".into())
    );
    assert_eq!(
        listed[12],
        ("WATCHLIST_ADVANCED_CA".into(), Some(0), "ca".into())
    );

    // keys(): the wire order of serialisation and which keys are arrays.
    let keys: Vec<(String, bool)> = CheckReports::keys()
        .map(|(t, a)| (t.to_string(), a))
        .collect();
    let written: Vec<String> = match to_json(&reports) {
        Value::Object(map) => map.keys().cloned().collect(),
        _ => unreachable!(),
    };
    for (key, is_array) in &keys {
        assert!(written.contains(key), "{key}");
        assert_eq!(to_json(&reports)[key].is_array(), *is_array, "{key}");
    }
    assert_eq!(keys.iter().filter(|(_, a)| !a).count(), 4);
    assert_eq!(keys.len(), 12);
}

#[test]
fn for_task_covers_every_key() {
    let tasks = TaskResults::builder()
        .id_document_text_data_extraction(TaskResponse::builder().result_template("id"))
        .supplementary_document_text_data_extraction(TaskResponse::builder().result_template("s"))
        .build();
    let templates = |t: &TaskType| -> Vec<String> {
        tasks
            .for_task(t)
            .iter()
            .map(|r| r.result_template.clone().unwrap())
            .collect()
    };
    assert_eq!(templates(&TaskType::IdDocumentTextDataExtraction), ["id"]);
    assert_eq!(
        templates(&TaskType::SupplementaryDocumentTextDataExtraction),
        ["s"]
    );
    assert!(templates(&TaskType::VerifyShareCodeTask).is_empty());
    assert!(
        TaskResults::default()
            .for_task(&TaskType::IdDocumentTextDataExtraction)
            .is_empty()
    );
}

#[test]
fn delays_as_durations() {
    let reports = CheckReports::builder().async_report_delay(45).build();
    assert_eq!(
        reports.async_report_delay_duration(),
        Some(Duration::from_secs(45))
    );
    let reports = CheckReports::builder().async_report_delay(i64::MAX).build();
    assert_eq!(
        reports.async_report_delay_duration(),
        Some(Duration::from_secs(i64::MAX as u64))
    );
    assert_eq!(
        CheckReports::builder()
            .async_report_delay(-1)
            .build()
            .async_report_delay_duration(),
        None
    );
    assert_eq!(CheckReports::default().async_report_delay_duration(), None);

    let check = CheckResponse::approve().response_delay(2).build();
    assert_eq!(
        check.response_delay_duration(),
        Some(Duration::from_secs(2))
    );
    let check = CheckResponse::approve().response_delay(i64::MIN).build();
    assert_eq!(check.response_delay_duration(), None);
    assert_eq!(TaskResponse::default().response_delay_duration(), None);
    let task = TaskResponse::builder().response_delay(-7).build();
    assert_eq!(task.response_delay_duration(), None);
}

#[test]
fn unset_is_omitted_and_zero_is_sent() {
    let check = CheckResponse::approve().build();
    let json = to_json(&check);
    for key in [
        "document_filter",
        "liveness_type",
        "response_delay",
        "secondary_document_filter",
        "sources_filter",
    ] {
        assert!(json.get(key).is_none(), "{key}");
    }
    assert!(json["result"].get("report_template").is_none());
    assert!(json["result"].get("document_fields").is_none());
    assert!(json["result"]["report"].get("breakdown").is_none());
    assert!(
        json["result"]["report"]["recommendation"]
            .get("reason")
            .is_none()
    );

    let zero = CheckResponse::approve()
        .response_delay(0)
        .document_fields(Map::new())
        .build();
    assert_eq!(to_json(&zero)["response_delay"], 0);
    assert_eq!(to_json(&zero)["result"]["document_fields"], json!({}));
}

#[test]
fn builders_round_trip_through_into_builder() {
    let check = CheckResponse::reject()
        .reason("NOT_GENUINE")
        .liveness_type(LivenessType::Zoom)
        .build();
    let again = check.clone().into_builder().response_delay(1).build();
    assert_eq!(again.reason_text(), Some("NOT_GENUINE"));
    assert_eq!(again.response_delay, Some(1));
    assert_eq!(again.liveness_type, check.liveness_type);
}

/// Reads the reason through the public fields (a helper for the test above).
trait ReasonText {
    fn reason_text(&self) -> Option<&str>;
}

impl ReasonText for CheckResponse {
    fn reason_text(&self) -> Option<&str> {
        self.result
            .as_ref()?
            .report
            .as_ref()?
            .recommendation
            .as_ref()?
            .reason
            .as_deref()
    }
}
