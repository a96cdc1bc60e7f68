//! Every documented rule of the sandbox response config, on built and on parsed configs, with
//! the JSON path each violation names; error display; and parse errors with paths.

use idv_model::ParseErrorKind;
use idv_model::response_config::{
    CheckBreakdown, CheckBreakdownDetail, CheckRecommendation, CheckReport, CheckReports,
    CheckResponse, CheckResult, ConfigViolationKind, DocumentFilter, DocumentIdPhoto,
    ExtractionReason, ExtractionRecommendation, LivenessType, RecommendationValue, ResponseConfig,
    ResponseConfigError, SourcesFilter, TaskResponse, TaskResult, TaskResults,
};
use serde_json::json;

use ConfigViolationKind::*;

/// The violations of a config, as `(path, kind)`.
fn violations(config: impl Into<ResponseConfig>) -> Vec<(String, ConfigViolationKind)> {
    match config.into().validate() {
        Ok(()) => Vec::new(),
        Err(err) => pairs(&err),
    }
}

fn pairs(err: &ResponseConfigError) -> Vec<(String, ConfigViolationKind)> {
    err.violations()
        .iter()
        .map(|v| (v.path().to_owned(), v.kind().clone()))
        .collect()
}

fn v(path: &str, kind: ConfigViolationKind) -> (String, ConfigViolationKind) {
    (path.to_owned(), kind)
}

/// A config with one check under `LIVENESS`.
fn with_liveness(check: impl Into<CheckResponse>) -> ResponseConfig {
    ResponseConfig::builder()
        .check_reports(CheckReports::builder().liveness(check))
        .into()
}

/// A config with one ID-document text-extraction task.
fn with_task(task: impl Into<TaskResponse>) -> ResponseConfig {
    ResponseConfig::builder()
        .task_results(TaskResults::builder().id_document_text_data_extraction(task))
        .into()
}

const TASK: &str = "task_results.ID_DOCUMENT_TEXT_DATA_EXTRACTION[0]";
const LIVE: &str = "check_reports.LIVENESS[0]";

#[test]
fn valid_configs_pass() {
    let config = ResponseConfig::builder()
        .check_reports(
            CheckReports::builder()
                .liveness(CheckResponse::approve().liveness_type(LivenessType::Zoom))
                .id_document_text_data_check(CheckResponse::approve().document_field("a", 1))
                .supplementary_document_text_data_check(
                    CheckResponse::approve().document_field("b", 2),
                )
                .id_document_comparison(
                    CheckResponse::approve()
                        .secondary_document_filter(DocumentFilter::builder().country_code("FRA")),
                )
                .watchlist_advanced_ca(
                    CheckResponse::consider().sources_filter(SourcesFilter::type_list(["pep"])),
                )
                .async_report_delay(0),
        )
        .task_results(
            TaskResults::builder().id_document_text_data_extraction(
                TaskResponse::builder()
                    .document_id_photo(DocumentIdPhoto::from_bytes("image/jpeg", b"\xff\xd8"))
                    .recommendation(ExtractionRecommendation::progress())
                    .response_delay(0),
            ),
        )
        .build();
    assert!(config.is_ok(), "{config:?}");
}

#[test]
fn a_check_needs_a_result_with_a_report_and_a_recommendation() {
    assert_eq!(
        violations(with_liveness(CheckResponse::builder())),
        [v(&format!("{LIVE}.result"), Missing)]
    );
    assert_eq!(
        violations(with_liveness(
            CheckResponse::builder().result(CheckResult::builder())
        )),
        [v(&format!("{LIVE}.result.report"), Missing)]
    );
    // A report template stands in for the report.
    assert_eq!(
        violations(with_liveness(
            CheckResponse::builder().result(CheckResult::builder().report_template("T"))
        )),
        []
    );
    assert_eq!(
        violations(with_liveness(
            CheckResponse::builder().result(
                CheckResult::builder()
                    .report(CheckReport::builder())
                    .report_template("")
            )
        )),
        [
            v(&format!("{LIVE}.result.report_template"), Empty),
            v(&format!("{LIVE}.result.report.recommendation"), Missing),
        ]
    );
}

#[test]
fn recommendation_rules() {
    let report = |r: CheckRecommendation| with_liveness(CheckResponse::builder().recommendation(r));
    let at = |key: &str| format!("{LIVE}.result.report.recommendation.{key}");
    assert_eq!(
        violations(report(CheckRecommendation::default())),
        [v(&at("value"), Missing)]
    );
    assert_eq!(
        violations(report(CheckRecommendation::with_value("").build())),
        [v(&at("value"), Empty)]
    );
    assert_eq!(
        violations(report(
            CheckRecommendation::with_value(RecommendationValue::Reject)
                .reason("")
                .recovery_suggestion("")
                .build()
        )),
        [
            v(&at("reason"), Empty),
            v(&at("recovery_suggestion"), Empty)
        ]
    );
}

#[test]
fn breakdown_and_detail_rules() {
    let check = CheckResponse::approve()
        .breakdown(CheckBreakdown::builder())
        .breakdown(CheckBreakdown::with_result("", ""))
        .breakdown(CheckBreakdown::pass("ok").details([
            CheckBreakdownDetail::default(),
            CheckBreakdownDetail::builder().name("").value("").build(),
            CheckBreakdownDetail::new("fine", ""),
        ]));
    let at = |rest: &str| format!("{LIVE}.result.report.breakdown{rest}");
    assert_eq!(
        violations(with_liveness(check)),
        [
            v(&at("[0].sub_check"), Missing),
            v(&at("[0].result"), Missing),
            v(&at("[1].sub_check"), Empty),
            v(&at("[1].result"), Empty),
            v(&at("[2].details[0].name"), Missing),
            v(&at("[2].details[0].value"), Missing),
            v(&at("[2].details[1].name"), Empty),
        ]
    );
}

#[test]
fn document_filter_rules() {
    let filter = DocumentFilter::builder()
        .document_types(["PASSPORT", ""])
        .country_codes(["GBR", "GB", "gbr", "G1R", ""]);
    let check = CheckResponse::approve()
        .document_filter(filter.clone())
        .liveness_type(LivenessType::Zoom);
    let at = |rest: &str| format!("{LIVE}.document_filter{rest}");
    assert_eq!(
        violations(with_liveness(check)),
        [
            v(&at(".document_types[1]"), Empty),
            v(&at(".country_codes[1]"), InvalidCountryCode),
            v(&at(".country_codes[3]"), InvalidCountryCode),
            v(&at(".country_codes[4]"), InvalidCountryCode),
        ]
    );
    // The same rules hold for the comparison's secondary filter and for task filters.
    let config: ResponseConfig = ResponseConfig::builder()
        .check_reports(CheckReports::builder().id_document_comparison(
            CheckResponse::approve().secondary_document_filter(filter.clone()),
        ))
        .task_results(
            TaskResults::builder().supplementary_document_text_data_extraction(
                TaskResponse::builder()
                    .result_template("T")
                    .document_filter(filter),
            ),
        )
        .into();
    let paths: Vec<String> = violations(config).into_iter().map(|(p, _)| p).collect();
    assert_eq!(
        paths,
        [
            "check_reports.ID_DOCUMENT_COMPARISON[0].secondary_document_filter.document_types[1]",
            "check_reports.ID_DOCUMENT_COMPARISON[0].secondary_document_filter.country_codes[1]",
            "check_reports.ID_DOCUMENT_COMPARISON[0].secondary_document_filter.country_codes[3]",
            "check_reports.ID_DOCUMENT_COMPARISON[0].secondary_document_filter.country_codes[4]",
            "task_results.SUPPLEMENTARY_DOCUMENT_TEXT_DATA_EXTRACTION[0].document_filter.document_types[1]",
            "task_results.SUPPLEMENTARY_DOCUMENT_TEXT_DATA_EXTRACTION[0].document_filter.country_codes[1]",
            "task_results.SUPPLEMENTARY_DOCUMENT_TEXT_DATA_EXTRACTION[0].document_filter.country_codes[3]",
            "task_results.SUPPLEMENTARY_DOCUMENT_TEXT_DATA_EXTRACTION[0].document_filter.country_codes[4]",
        ]
    );
}

#[test]
fn sources_filter_rules() {
    let ca = |filter: SourcesFilter| -> ResponseConfig {
        ResponseConfig::builder()
            .check_reports(
                CheckReports::builder()
                    .watchlist_advanced_ca(CheckResponse::consider().sources_filter(filter)),
            )
            .into()
    };
    let at = |key: &str| format!("check_reports.WATCHLIST_ADVANCED_CA[0].sources_filter.{key}");
    assert_eq!(
        violations(ca(SourcesFilter::default())),
        [v(&at("type"), Missing)]
    );
    assert_eq!(
        violations(ca(SourcesFilter::builder().sources_type("PROFILE").build())),
        [v(&at("search_profile"), RequiredWhen("type is PROFILE"))]
    );
    assert_eq!(
        violations(ca(SourcesFilter::builder()
            .sources_type("TYPE_LIST")
            .build())),
        [v(&at("types"), RequiredWhen("type is TYPE_LIST"))]
    );
    assert_eq!(
        violations(ca(SourcesFilter::search_profile(""))),
        [v(&at("search_profile"), Empty)]
    );
    assert_eq!(
        violations(ca(SourcesFilter::type_list(["pep", ""]))),
        [v(&at("types[1]"), Empty)]
    );
    assert_eq!(
        violations(ca(SourcesFilter::type_list(Vec::<String>::new()))),
        []
    );
    // An unknown type requires neither key; an empty one is invalid.
    assert_eq!(
        violations(ca(SourcesFilter::builder().sources_type("FUTURE").build())),
        []
    );
    assert_eq!(
        violations(ca(SourcesFilter::builder().sources_type("").build())),
        [v(&at("type"), Empty)]
    );
}

#[test]
fn delays_must_not_be_negative() {
    let config: ResponseConfig = ResponseConfig::builder()
        .check_reports(
            CheckReports::builder()
                .liveness(CheckResponse::approve().response_delay(-1))
                .third_party_identity(CheckResponse::approve().response_delay(i64::MIN))
                .async_report_delay(-30),
        )
        .task_results(
            TaskResults::builder().id_document_text_data_extraction(
                TaskResponse::builder()
                    .result_template("T")
                    .response_delay(-2),
            ),
        )
        .into();
    assert_eq!(
        violations(config),
        [
            v("check_reports.async_report_delay", Negative),
            v(&format!("{LIVE}.response_delay"), Negative),
            v(
                "check_reports.THIRD_PARTY_IDENTITY.response_delay",
                Negative
            ),
            v(&format!("{TASK}.response_delay"), Negative),
        ]
    );
    let zero: ResponseConfig = ResponseConfig::builder()
        .check_reports(
            CheckReports::builder()
                .liveness(CheckResponse::approve().response_delay(0))
                .async_report_delay(0),
        )
        .into();
    assert_eq!(violations(zero), []);
}

#[test]
fn keys_only_some_checks_read() {
    let all_keys = || {
        CheckResponse::approve()
            .liveness_type(LivenessType::Static)
            .secondary_document_filter(DocumentFilter::default())
            .sources_filter(SourcesFilter::search_profile("p"))
            .document_field("full_name", "Jane Doe")
            .document_filter(DocumentFilter::default())
            .response_delay(1)
    };
    let config: ResponseConfig = ResponseConfig::builder()
        .check_reports(
            CheckReports::builder()
                .id_document_authenticity(all_keys())
                .liveness(all_keys())
                .id_document_comparison(all_keys())
                .watchlist_advanced_ca(all_keys())
                .id_document_text_data_check(all_keys())
                .supplementary_document_text_data_check(all_keys())
                .watchlist_screening(all_keys()),
        )
        .into();
    let liveness = OnlyFor("LIVENESS");
    let comparison = OnlyFor("ID_DOCUMENT_COMPARISON");
    let ca = OnlyFor("WATCHLIST_ADVANCED_CA");
    let text = OnlyFor("ID_DOCUMENT_TEXT_DATA_CHECK and SUPPLEMENTARY_DOCUMENT_TEXT_DATA_CHECK");
    assert_eq!(
        violations(config),
        [
            v(
                "check_reports.ID_DOCUMENT_AUTHENTICITY[0].liveness_type",
                liveness.clone()
            ),
            v(
                "check_reports.ID_DOCUMENT_AUTHENTICITY[0].secondary_document_filter",
                comparison.clone()
            ),
            v(
                "check_reports.ID_DOCUMENT_AUTHENTICITY[0].sources_filter",
                ca.clone()
            ),
            v(
                "check_reports.ID_DOCUMENT_AUTHENTICITY[0].result.document_fields",
                text.clone()
            ),
            v(
                "check_reports.ID_DOCUMENT_TEXT_DATA_CHECK[0].liveness_type",
                liveness.clone()
            ),
            v(
                "check_reports.ID_DOCUMENT_TEXT_DATA_CHECK[0].secondary_document_filter",
                comparison.clone()
            ),
            v(
                "check_reports.ID_DOCUMENT_TEXT_DATA_CHECK[0].sources_filter",
                ca.clone()
            ),
            v(
                "check_reports.LIVENESS[0].secondary_document_filter",
                comparison.clone()
            ),
            v("check_reports.LIVENESS[0].sources_filter", ca.clone()),
            v(
                "check_reports.LIVENESS[0].result.document_fields",
                text.clone()
            ),
            v(
                "check_reports.ID_DOCUMENT_COMPARISON[0].liveness_type",
                liveness.clone()
            ),
            v(
                "check_reports.ID_DOCUMENT_COMPARISON[0].sources_filter",
                ca.clone()
            ),
            v(
                "check_reports.ID_DOCUMENT_COMPARISON[0].result.document_fields",
                text.clone()
            ),
            v(
                "check_reports.SUPPLEMENTARY_DOCUMENT_TEXT_DATA_CHECK[0].liveness_type",
                liveness.clone()
            ),
            v(
                "check_reports.SUPPLEMENTARY_DOCUMENT_TEXT_DATA_CHECK[0].secondary_document_filter",
                comparison.clone()
            ),
            v(
                "check_reports.SUPPLEMENTARY_DOCUMENT_TEXT_DATA_CHECK[0].sources_filter",
                ca.clone()
            ),
            v(
                "check_reports.WATCHLIST_SCREENING.liveness_type",
                liveness.clone()
            ),
            v(
                "check_reports.WATCHLIST_SCREENING.secondary_document_filter",
                comparison.clone()
            ),
            v("check_reports.WATCHLIST_SCREENING.sources_filter", ca),
            v(
                "check_reports.WATCHLIST_SCREENING.result.document_fields",
                text.clone()
            ),
            v(
                "check_reports.WATCHLIST_ADVANCED_CA[0].liveness_type",
                liveness
            ),
            v(
                "check_reports.WATCHLIST_ADVANCED_CA[0].secondary_document_filter",
                comparison
            ),
            v(
                "check_reports.WATCHLIST_ADVANCED_CA[0].result.document_fields",
                text
            ),
        ]
    );
    // A check validated on its own does not know its type: nothing to report there.
    assert_eq!(all_keys().build().validate(), Ok(()));
}

#[test]
fn empty_enum_values_are_invalid_and_unknown_ones_reported() {
    let config = with_liveness(CheckResponse::approve().liveness_type(""));
    assert_eq!(
        violations(config),
        [v(&format!("{LIVE}.liveness_type"), Empty)]
    );
    let config = with_liveness(
        CheckResponse::with_value("LATER")
            .liveness_type("HOLOGRAPHIC")
            .breakdown(CheckBreakdown::with_result("x", "MAYBE")),
    );
    assert_eq!(violations(config.clone()), []);
    assert_eq!(
        config.unknown_values(),
        [
            format!("{LIVE}.result.report.recommendation.value"),
            format!("{LIVE}.result.report.breakdown[0].result"),
            format!("{LIVE}.liveness_type"),
        ]
    );
}

#[test]
fn task_rules() {
    assert_eq!(
        violations(with_task(TaskResponse::builder())),
        [v(&format!("{TASK}.result"), Missing)]
    );
    assert_eq!(
        violations(with_task(TaskResponse::builder().result_template("T"))),
        []
    );
    assert_eq!(
        violations(with_task(
            TaskResponse::builder().result(TaskResult::default())
        )),
        []
    );
    assert_eq!(
        violations(with_task(TaskResponse::builder().result_template(""))),
        [v(&format!("{TASK}.result_template"), Empty)]
    );
    assert_eq!(
        violations(with_task(
            TaskResponse::builder()
                .detected_country("UK")
                .detected_document_type("")
        )),
        [
            v(
                &format!("{TASK}.result.detected_country"),
                InvalidCountryCode
            ),
            v(&format!("{TASK}.result.detected_document_type"), Empty),
        ]
    );
}

#[test]
fn task_recommendation_rules() {
    let rec = |r: ExtractionRecommendation| with_task(TaskResponse::builder().recommendation(r));
    let at = |rest: &str| format!("{TASK}.result.recommendation{rest}");
    assert_eq!(
        violations(rec(ExtractionRecommendation::default())),
        [v(&at(".value"), Missing)]
    );
    assert_eq!(
        violations(rec(ExtractionRecommendation::builder().value("").build())),
        [v(&at(".value"), Empty)]
    );
    assert_eq!(
        violations(rec(ExtractionRecommendation::must_try_again(
            ExtractionReason::builder().detail("")
        ))),
        [
            v(&at(".reason.value"), Missing),
            v(&at(".reason.detail"), Empty)
        ]
    );
    assert_eq!(
        violations(rec(ExtractionRecommendation::should_try_again(
            ExtractionReason::with_value("")
        ))),
        [v(&at(".reason.value"), Empty)]
    );
}

#[test]
fn id_photo_rules() {
    let photo = |p: DocumentIdPhoto| with_task(TaskResponse::builder().document_id_photo(p));
    let at = |key: &str| format!("{TASK}.result.document_id_photo.{key}");
    assert_eq!(
        violations(photo(DocumentIdPhoto::default())),
        [v(&at("content_type"), Missing), v(&at("data"), Missing)]
    );
    assert_eq!(
        violations(photo(DocumentIdPhoto::new("", ""))),
        [v(&at("content_type"), Empty), v(&at("data"), Empty)]
    );
    for bad in ["jpeg", "image/", "image jpeg", "/jpeg"] {
        assert_eq!(
            violations(photo(DocumentIdPhoto::new(bad, "Zm9v"))),
            [v(&at("content_type"), InvalidContentType)],
            "{bad:?}"
        );
    }
    for bad in [
        "Zm9", "Zm9v\n", "Zm 9v", "-_8=", "Zh==", "Zm9vYg", "Zm9v=", "ÿÿÿÿ",
    ] {
        assert_eq!(
            violations(photo(DocumentIdPhoto::new("image/jpeg", bad))),
            [v(&at("data"), InvalidBase64)],
            "{bad:?}"
        );
    }
    for good in ["Zm9v", "Zm9vYg==", "+/8=", "iVBORw0KGgo="] {
        assert_eq!(
            violations(photo(DocumentIdPhoto::new("image/png; q=1", good))),
            [],
            "{good}"
        );
    }
}

#[test]
fn extras_that_name_fields_are_reported() {
    let config: ResponseConfig = ResponseConfig::builder()
        .check_reports(
            CheckReports::builder()
                .liveness(CheckResponse::approve().extra("response_delay", 5))
                .extra("LIVENESS", json!([]))
                .extra("async_report_delay", 1),
        )
        .extra("task_results", json!({}))
        .into();
    assert_eq!(
        violations(config.clone()),
        [
            v(&format!("{LIVE}.response_delay"), ShadowedExtra),
            v("check_reports.LIVENESS", ShadowedExtra),
            v("check_reports.async_report_delay", ShadowedExtra),
            v("task_results", ShadowedExtra),
        ]
    );
    // The field wins: the shadowing values are never sent.
    let json = serde_json::to_value(&config).unwrap();
    assert_eq!(
        json["check_reports"]["LIVENESS"][0].get("response_delay"),
        None
    );
    assert_eq!(json["check_reports"].get("async_report_delay"), None);
    assert_eq!(json.get("task_results"), None);
    assert_eq!(config.unknown_keys(), Vec::<String>::new());
}

#[test]
fn nested_validate_gives_relative_paths() {
    let check = CheckResponse::reject()
        .reason("")
        .response_delay(-1)
        .build();
    let err = check.validate().unwrap_err();
    assert_eq!(
        pairs(&err),
        [
            v("response_delay", Negative),
            v("result.report.recommendation.reason", Empty),
        ]
    );
    let reports = CheckReports::builder().liveness(check).build();
    assert!(
        reports
            .validate()
            .unwrap_err()
            .has_path("LIVENESS[0].response_delay")
    );
    let photo = DocumentIdPhoto::new("image/jpeg", "!");
    assert!(photo.validate().unwrap_err().has_path("data"));
    assert_eq!(CheckBreakdownDetail::new("n", "v").validate(), Ok(()));
}

#[test]
fn parsed_nulls_count_as_missing() {
    let config = ResponseConfig::from_slice(
        br#"{"check_reports": {"LIVENESS": [{"result": {"report": {"recommendation": {"value": null}}}}],
             "THIRD_PARTY_IDENTITY": {"result": null}},
             "task_results": {"ID_DOCUMENT_TEXT_DATA_EXTRACTION": [
                 {"result": {"document_id_photo": {"content_type": null, "data": null}}}]}}"#,
    )
    .unwrap();
    assert_eq!(
        violations(config),
        [
            v(
                &format!("{LIVE}.result.report.recommendation.value"),
                Missing
            ),
            v("check_reports.THIRD_PARTY_IDENTITY.result", Missing),
            v(
                &format!("{TASK}.result.document_id_photo.content_type"),
                Missing
            ),
            v(&format!("{TASK}.result.document_id_photo.data"), Missing),
        ]
    );
}

#[test]
fn messages_hold_no_values_and_display_is_bounded() {
    let err = with_task(
        TaskResponse::builder()
            .detected_country("Jane Doe")
            .document_id_photo(DocumentIdPhoto::new("secret/value x", "secret-data")),
    )
    .validate()
    .unwrap_err();
    let text = err.to_string();
    assert!(text.starts_with("invalid response config: "), "{text}");
    for value in ["Jane Doe", "secret", "data\""] {
        assert!(!text.contains(value), "{text}");
    }
    assert_eq!(
        err.violations()[0].to_string(),
        format!(
            "{TASK}.result.detected_country: must be a three-letter ISO 3166-1 alpha-3 country code such as GBR"
        )
    );

    let many: Vec<CheckResponse> = (0..25).map(|_| CheckResponse::builder().build()).collect();
    let config: ResponseConfig = ResponseConfig::builder()
        .check_reports(CheckReports::builder().liveness_list(many))
        .into();
    let err = config.validate().unwrap_err();
    assert_eq!(err.violations().len(), 25);
    let text = err.to_string();
    assert!(text.ends_with("; and 15 more"), "{text}");
    assert_eq!(text.matches(": required").count(), 10, "{text}");
}

#[test]
fn every_violation_kind_displays() {
    let cases = [
        (Missing, "required"),
        (
            RequiredWhen("type is PROFILE"),
            "required when type is PROFILE",
        ),
        (Empty, "must not be empty"),
        (Negative, "must not be negative"),
        (
            InvalidCountryCode,
            "must be a three-letter ISO 3166-1 alpha-3 country code such as GBR",
        ),
        (InvalidBase64, "must be standard base64 with padding"),
        (
            InvalidContentType,
            "must be a media type such as image/jpeg",
        ),
        (OnlyFor("LIVENESS"), "only applies to LIVENESS"),
        (
            ShadowedExtra,
            "names a modelled field, so this extra value would never be sent; set the field",
        ),
    ];
    for (kind, text) in cases {
        assert_eq!(kind.to_string(), text);
    }
}

#[test]
fn parse_errors_name_the_path_and_hide_values() {
    let err =
        ResponseConfig::from_slice(br#"{"check_reports": {"async_report_delay": "Jane Doe"}}"#)
            .unwrap_err();
    assert_eq!(err.path(), "check_reports.async_report_delay");
    assert_eq!(err.kind(), ParseErrorKind::Data);
    assert!(!err.to_string().contains("Jane Doe"), "{err}");

    let err = ResponseConfig::from_slice(
        br#"{"task_results": {"ID_DOCUMENT_TEXT_DATA_EXTRACTION": [{"response_delay": 1.5}]}}"#,
    )
    .unwrap_err();
    assert!(err.path().starts_with("task_results."), "{}", err.path());
    assert!(err.path().ends_with("[0].response_delay"), "{}", err.path());

    // An array key given one object, and a single-object key given an array.
    let err = ResponseConfig::from_slice(br#"{"check_reports": {"LIVENESS": {"result": {}}}}"#)
        .unwrap_err();
    assert!(err.path().starts_with("check_reports."), "{}", err.path());
    assert_eq!(err.kind(), ParseErrorKind::Data);
    let err = ResponseConfig::from_slice(br#"{"check_reports": {"THIRD_PARTY_IDENTITY": []}}"#)
        .unwrap_err();
    assert!(err.path().starts_with("check_reports."), "{}", err.path());

    let err = ResponseConfig::from_slice(
        br#"{"check_reports": {"ID_DOCUMENT_AUTHENTICITY": [{}, {"result": {"report": {"recommendation": {"value": 7}}}}]}}"#,
    )
    .unwrap_err();
    assert!(
        err.path()
            .ends_with("[1].result.report.recommendation.value"),
        "{}",
        err.path()
    );
    assert!(err.to_string().contains("expected a string"), "{err}");

    let err = ResponseConfig::from_slice(br#"{"task_results": {"ID_DOCUMENT_TEXT_DATA_EXTRACTION": [{"result": {"document_fields": ["x"]}}]}}"#)
        .unwrap_err();
    assert!(
        err.path().ends_with("[0].result.document_fields"),
        "{}",
        err.path()
    );

    let err = ResponseConfig::from_slice(br#"{"check_reports": "#).unwrap_err();
    assert_eq!(err.kind(), ParseErrorKind::Eof);
    let err = ResponseConfig::from_slice(b"[]").unwrap_err();
    assert_eq!(err.kind(), ParseErrorKind::Data);
}
