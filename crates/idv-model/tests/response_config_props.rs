//! Property tests of the sandbox response config:
//!
//! * any config built through the public builders → JSON → config is the identity (through a
//!   `serde_json::Value` and through text);
//! * any config built from valid values passes `build()`, and one defect put into it gives a
//!   violation at the defect's path;
//! * any config-shaped JSON (every key absent, `null` or set; unknown keys, check and task
//!   types and enum values) → config → JSON is lossless, and the unknown keys and values
//!   reported are exactly the ones put in;
//! * any mutation of such a document parses or fails with a path, never panics, and whatever
//!   parses is written back unchanged.
//!
//! Case count: 128 by default (about half a second in a debug build), `PROPTEST_CASES`
//! overrides.
//!
//! The generators and checks shared with `spec_props.rs` are in `support/request_props.rs`.

use idv_model::response_config::*;
use proptest::prelude::*;
use serde_json::Map;

#[allow(dead_code, unused_macros)]
#[macro_use]
mod support {
    #[macro_use]
    pub mod request_props;
}
use support::request_props::*;

// ---------------------------------------------------------------------------------------------
// Configs built through the builders.

fn built_filter() -> BoxedStrategy<DocumentFilter> {
    (opt(list(text())), opt(list(text())), extras())
        .prop_map(|(types, codes, extras)| {
            let mut b = DocumentFilter::builder();
            set!(b, types => document_types, codes => country_codes);
            with_extras!(b, extras);
            b.build()
        })
        .boxed()
}

fn built_sources() -> BoxedStrategy<SourcesFilter> {
    (
        opt(open(WatchlistSourcesType::KNOWN)),
        opt(text()),
        opt(list(text())),
        extras(),
    )
        .prop_map(|(kind, profile, types, extras)| {
            let mut b = SourcesFilter::builder();
            set!(b, kind => sources_type, profile => search_profile, types => types);
            with_extras!(b, extras);
            b.build()
        })
        .boxed()
}

fn built_breakdown() -> BoxedStrategy<CheckBreakdown> {
    let detail = (opt(text()), opt(text()), extras()).prop_map(|(name, value, extras)| {
        let mut b = CheckBreakdownDetail::builder();
        set!(b, name => name, value => value);
        with_extras!(b, extras);
        b.build()
    });
    (
        opt(text()),
        opt(open(BreakdownResult::KNOWN)),
        opt(list(detail)),
        extras(),
    )
        .prop_map(|(sub_check, result, details, extras)| {
            let mut b = CheckBreakdown::builder();
            set!(b, sub_check => sub_check, result => result, details => details);
            with_extras!(b, extras);
            b.build()
        })
        .boxed()
}

fn built_report() -> BoxedStrategy<CheckReport> {
    let recommendation = (
        opt(open(RecommendationValue::KNOWN)),
        opt(text()),
        opt(text()),
        extras(),
    )
        .prop_map(|(value, reason, suggestion, extras)| {
            let mut b = CheckRecommendation::builder();
            set!(b, value => value, reason => reason, suggestion => recovery_suggestion);
            with_extras!(b, extras);
            b.build()
        });
    (opt(recommendation), opt(list(built_breakdown())), extras())
        .prop_map(|(recommendation, breakdown, extras)| {
            let mut b = CheckReport::builder();
            set!(b, recommendation => recommendation, breakdown => breakdown_list);
            with_extras!(b, extras);
            b.build()
        })
        .boxed()
}

fn built_check() -> BoxedStrategy<CheckResponse> {
    let result = (
        opt(built_report()),
        opt(text()),
        opt(free_object()),
        extras(),
    )
        .prop_map(|(report, template, fields, extras)| {
            let mut b = CheckResult::builder();
            set!(b, report => report, template => report_template, fields => document_fields);
            with_extras!(b, extras);
            b.build()
        });
    (
        opt(result),
        opt(built_filter()),
        opt(open(LivenessType::KNOWN)),
        opt(any::<i64>()),
        opt(built_filter()),
        opt(built_sources()),
        extras(),
    )
        .prop_map(
            |(result, filter, liveness, delay, secondary, sources, extras)| {
                let mut b = CheckResponse::builder();
                set!(b, result => result, filter => document_filter,
                     liveness => liveness_type, delay => response_delay,
                     secondary => secondary_document_filter, sources => sources_filter);
                with_extras!(b, extras);
                b.build()
            },
        )
        .boxed()
}

fn built_check_reports() -> BoxedStrategy<CheckReports> {
    let checks = || opt(prop::collection::vec(built_check(), 0..2));
    (
        (checks(), checks(), checks(), checks()),
        (checks(), checks(), checks(), checks()),
        (
            opt(built_check()),
            opt(built_check()),
            opt(built_check()),
            opt(built_check()),
        ),
        opt(any::<i64>()),
        extras(),
    )
        .prop_map(
            |((a, b, c, d), (e, f, g, h), (i, j, k, l), delay, extras)| {
                let mut r = CheckReports::builder();
                set!(r,
                a => id_document_authenticity_list, b => id_document_text_data_check_list,
                c => liveness_list, d => id_document_face_match_list,
                e => id_document_comparison_list, f => supplementary_document_text_data_check_list,
                g => synectics_identity_fraud_list, h => watchlist_advanced_ca_list,
                i => third_party_identity, j => face_comparison,
                k => third_party_identity_fraud_1, l => watchlist_screening,
                delay => async_report_delay);
                with_extras!(r, extras);
                r.build()
            },
        )
        .boxed()
}

fn built_task() -> BoxedStrategy<TaskResponse> {
    let photo = (opt(text()), opt(text()), extras()).prop_map(|(content_type, data, extras)| {
        let mut b = DocumentIdPhoto::builder();
        set!(b, content_type => content_type, data => data);
        with_extras!(b, extras);
        b.build()
    });
    let reason = (
        opt(open(ExtractionReasonValue::KNOWN)),
        opt(text()),
        extras(),
    )
        .prop_map(|(value, detail, extras)| {
            let mut b = ExtractionReason::builder();
            set!(b, value => value, detail => detail);
            with_extras!(b, extras);
            b.build()
        });
    let recommendation = (
        opt(open(ExtractionRecommendationValue::KNOWN)),
        opt(reason),
        extras(),
    )
        .prop_map(|(value, reason, extras)| {
            let mut b = ExtractionRecommendation::builder();
            set!(b, value => value, reason => reason);
            with_extras!(b, extras);
            b.build()
        });
    let result = (
        opt(free_object()),
        opt(photo),
        opt(text()),
        opt(text()),
        opt(recommendation),
        extras(),
    )
        .prop_map(|(fields, photo, country, kind, recommendation, extras)| {
            let mut b = TaskResult::builder();
            set!(b, fields => document_fields, photo => document_id_photo,
                 country => detected_country, kind => detected_document_type,
                 recommendation => recommendation);
            with_extras!(b, extras);
            b.build()
        });
    (
        opt(result),
        opt(built_filter()),
        opt(any::<i64>()),
        opt(text()),
        extras(),
    )
        .prop_map(|(result, filter, delay, template, extras)| {
            let mut b = TaskResponse::builder();
            set!(b, result => result, filter => document_filter, delay => response_delay,
                 template => result_template);
            with_extras!(b, extras);
            b.build()
        })
        .boxed()
}

fn built_config() -> BoxedStrategy<ResponseConfig> {
    let tasks = (
        opt(prop::collection::vec(built_task(), 0..2)),
        opt(prop::collection::vec(built_task(), 0..2)),
        extras(),
    )
        .prop_map(|(id, supplementary, extras)| {
            let mut b = TaskResults::builder();
            set!(b, id => id_document_text_data_extraction_list,
                 supplementary => supplementary_document_text_data_extraction_list);
            with_extras!(b, extras);
            b.build()
        });
    (opt(built_check_reports()), opt(tasks), extras())
        .prop_map(|(checks, tasks, extras)| {
            let mut b = ResponseConfig::builder();
            set!(b, checks => check_reports, tasks => task_results);
            with_extras!(b, extras);
            ResponseConfig::from(b)
        })
        .boxed()
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn prop_built_configs_round_trip(config in built_config()) {
        let parsed = round_trips(&config, ResponseConfig::from_slice)?;
        // Every extra key the builder added is reported as unknown (they all start with x_).
        prop_assert!(parsed.unknown_keys().iter().all(|p| p.rsplit('.').next().unwrap().starts_with("x_")));
    }
}

// ---------------------------------------------------------------------------------------------
// Valid configs, and one defect.

fn code() -> BoxedStrategy<String> {
    "[A-Z]{3}".boxed()
}

fn word() -> BoxedStrategy<String> {
    "[A-Za-z_]{1,10}".boxed()
}

fn valid_filter() -> BoxedStrategy<DocumentFilter> {
    (opt(list(word())), opt(list(code())))
        .prop_map(|(types, codes)| {
            let mut b = DocumentFilter::builder();
            set!(b, types => document_types, codes => country_codes);
            b.build()
        })
        .boxed()
}

/// A valid check for a key that reads `liveness`, `comparison`, `ca` or `text` keys.
fn valid_check(
    liveness: bool,
    comparison: bool,
    ca: bool,
    text: bool,
) -> BoxedStrategy<CheckResponse> {
    let breakdown = (
        word(),
        open(BreakdownResult::KNOWN),
        list((word(), ".{0,5}")),
    )
        .prop_map(|(sub_check, result, details)| {
            let mut b = CheckBreakdown::with_result(sub_check, result);
            for (name, value) in details {
                b = b.detail(name, value);
            }
            b.build()
        });
    let sources = prop_oneof![
        word().prop_map(SourcesFilter::search_profile),
        list(word()).prop_map(SourcesFilter::type_list),
    ];
    (
        open(RecommendationValue::KNOWN),
        opt(word()),
        opt(word()),
        opt(list(breakdown)),
        opt(valid_filter()),
        opt(0i64..=i64::MAX),
        (
            opt(open(LivenessType::KNOWN)),
            opt(valid_filter()),
            opt(sources),
            opt(free_object()),
        ),
    )
        .prop_map(
            move |(
                value,
                reason,
                suggestion,
                breakdown,
                filter,
                delay,
                (live, second, src, fields),
            )| {
                let mut b = CheckResponse::with_value(value);
                set!(b, reason => reason, suggestion => recovery_suggestion,
                     breakdown => breakdown_list_shortcut, filter => document_filter,
                     delay => response_delay);
                if liveness {
                    set!(b, live => liveness_type);
                }
                if comparison {
                    set!(b, second => secondary_document_filter);
                }
                if ca {
                    set!(b, src => sources_filter);
                }
                if text {
                    set!(b, fields => document_fields);
                }
                b.build()
            },
        )
        .boxed()
}

/// `breakdown_list` by the check builder's own shortcut (one `breakdown` call per entry).
trait BreakdownList {
    fn breakdown_list_shortcut(self, items: Vec<CheckBreakdown>) -> Self;
}

impl BreakdownList for CheckResponseBuilder {
    fn breakdown_list_shortcut(mut self, items: Vec<CheckBreakdown>) -> Self {
        for item in items {
            self = self.breakdown(item);
        }
        self
    }
}

fn valid_task() -> BoxedStrategy<TaskResponse> {
    let recommendation = prop_oneof![
        Just(ExtractionRecommendation::progress()),
        (open(ExtractionReasonValue::KNOWN), opt(word())).prop_map(|(value, detail)| {
            let mut reason = ExtractionReason::with_value(value);
            set!(reason, detail => detail);
            ExtractionRecommendation::must_try_again(reason)
        }),
    ];
    let photo = (
        "(image|application)/[a-z]{1,6}",
        prop::collection::vec(any::<u8>(), 1..40),
    )
        .prop_map(|(content_type, bytes)| DocumentIdPhoto::from_bytes(content_type, &bytes));
    (
        opt(free_object()),
        opt(photo),
        opt(code()),
        opt(word()),
        opt(recommendation),
        opt(valid_filter()),
        opt(0i64..=i64::MAX),
        opt(word()),
    )
        .prop_map(
            |(fields, photo, country, kind, recommendation, filter, delay, template)| {
                // A task needs its result (or a template).
                let needs_result = fields.is_none() && template.is_none();
                let mut b = TaskResponse::builder();
                set!(b, fields => document_fields, photo => document_id_photo,
                 country => detected_country, kind => detected_document_type,
                 recommendation => recommendation, filter => document_filter,
                 delay => response_delay, template => result_template);
                if needs_result {
                    b = b.document_fields(Map::new());
                }
                b.build()
            },
        )
        .boxed()
}

fn valid_config() -> BoxedStrategy<ResponseConfigBuilder> {
    let checks = |l, c, a, t| opt(prop::collection::vec(valid_check(l, c, a, t), 0..2));
    let one = || opt(valid_check(false, false, false, false));
    (
        (
            checks(false, false, false, false),
            checks(false, false, false, true),
            checks(true, false, false, false),
            checks(false, false, false, false),
        ),
        (
            checks(false, true, false, false),
            checks(false, false, false, true),
            checks(false, false, false, false),
            checks(false, false, true, false),
        ),
        (one(), one(), one(), one()),
        opt(0i64..=i64::MAX),
        (opt(list(valid_task())), opt(list(valid_task()))),
    )
        .prop_map(
            |((a, b, c, d), (e, f, g, h), (i, j, k, l), delay, (id, supp))| {
                let mut r = CheckReports::builder();
                set!(r,
                a => id_document_authenticity_list, b => id_document_text_data_check_list,
                c => liveness_list, d => id_document_face_match_list,
                e => id_document_comparison_list, f => supplementary_document_text_data_check_list,
                g => synectics_identity_fraud_list, h => watchlist_advanced_ca_list,
                i => third_party_identity, j => face_comparison,
                k => third_party_identity_fraud_1, l => watchlist_screening,
                delay => async_report_delay);
                let mut t = TaskResults::builder();
                set!(t, id => id_document_text_data_extraction_list,
                 supp => supplementary_document_text_data_extraction_list);
                ResponseConfig::builder().check_reports(r).task_results(t)
            },
        )
        .boxed()
}

/// One defect put into a valid config, and the path validation must name.
#[derive(Clone, Debug)]
enum Defect {
    NegativeAsyncDelay(i64),
    NegativeLivenessDelay(i64),
    EmptyReason,
    BadPhotoData(String),
    BadDetectedCountry(String),
    LivenessTypeOnFaceMatch,
}

fn defect() -> BoxedStrategy<Defect> {
    prop_oneof![
        (i64::MIN..0).prop_map(Defect::NegativeAsyncDelay),
        (i64::MIN..0).prop_map(Defect::NegativeLivenessDelay),
        Just(Defect::EmptyReason),
        "[A-Za-z0-9+/]{1,3}|[A-Za-z0-9+/]{2}[!-*]=|Zm9v ".prop_map(Defect::BadPhotoData),
        "[A-Z]{1,2}|[A-Z]{4,5}|[0-9]{3}".prop_map(Defect::BadDetectedCountry),
        Just(Defect::LivenessTypeOnFaceMatch),
    ]
    .boxed()
}

/// Puts the defect into `config` (appending the entry that carries it) and returns its path.
fn apply(defect: &Defect, config: ResponseConfig) -> (ResponseConfig, String) {
    let mut reports = config.check_reports.clone().unwrap_or_default();
    let mut tasks = config.task_results.clone().unwrap_or_default();
    let path = match defect {
        Defect::NegativeAsyncDelay(delay) => {
            reports.async_report_delay = Some(*delay);
            "check_reports.async_report_delay".to_owned()
        }
        Defect::NegativeLivenessDelay(delay) => {
            let list = reports.liveness.get_or_insert_with(Vec::new);
            list.push(CheckResponse::approve().response_delay(*delay).build());
            format!("check_reports.LIVENESS[{}].response_delay", list.len() - 1)
        }
        Defect::EmptyReason => {
            reports.watchlist_screening = Some(CheckResponse::reject().reason("").build());
            "check_reports.WATCHLIST_SCREENING.result.report.recommendation.reason".to_owned()
        }
        Defect::BadPhotoData(data) => {
            let list = tasks
                .supplementary_document_text_data_extraction
                .get_or_insert_with(Vec::new);
            list.push(
                TaskResponse::builder()
                    .document_id_photo(DocumentIdPhoto::new("image/jpeg", data.clone()))
                    .build(),
            );
            format!(
                "task_results.SUPPLEMENTARY_DOCUMENT_TEXT_DATA_EXTRACTION[{}].result.document_id_photo.data",
                list.len() - 1
            )
        }
        Defect::BadDetectedCountry(country) => {
            let list = tasks
                .id_document_text_data_extraction
                .get_or_insert_with(Vec::new);
            list.push(
                TaskResponse::builder()
                    .detected_country(country.clone())
                    .build(),
            );
            format!(
                "task_results.ID_DOCUMENT_TEXT_DATA_EXTRACTION[{}].result.detected_country",
                list.len() - 1
            )
        }
        Defect::LivenessTypeOnFaceMatch => {
            let list = reports.id_document_face_match.get_or_insert_with(Vec::new);
            list.push(
                CheckResponse::approve()
                    .liveness_type(LivenessType::Zoom)
                    .build(),
            );
            format!(
                "check_reports.ID_DOCUMENT_FACE_MATCH[{}].liveness_type",
                list.len() - 1
            )
        }
    };
    let config = config
        .into_builder()
        .check_reports(reports)
        .task_results(tasks);
    (ResponseConfig::from(config), path)
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn prop_valid_configs_build_and_one_defect_is_found(
        builder in valid_config(),
        defect in defect(),
    ) {
        let config = builder.build();
        prop_assert!(config.is_ok(), "{:?}", config);
        let (broken, path) = apply(&defect, config.unwrap());
        let err = broken.validate().unwrap_err();
        let paths: Vec<&str> = err.violations().iter().map(|v| v.path()).collect();
        prop_assert_eq!(paths, vec![path.as_str()]);
    }
}

// ---------------------------------------------------------------------------------------------
// Config-shaped JSON: every key absent, null or set, with the unknown keys and values it holds.

const RECOMMENDATION_VALUES: &[&str] = &["APPROVE", "REJECT", "NOT_AVAILABLE", "CONSIDER"];
const BREAKDOWN_RESULTS: &[&str] = &["PASS", "FAIL", "NOT_AVAILABLE", "DONE"];
const LIVENESS_TYPES: &[&str] = &["ZOOM", "STATIC"];
const SOURCES_TYPES: &[&str] = &["PROFILE", "TYPE_LIST"];
const TASK_VALUES: &[&str] = &["PROGRESS", "SHOULD_TRY_AGAIN", "MUST_TRY_AGAIN"];
const REASON_VALUES: &[&str] = &["QUALITY", "USER_ERROR"];

fn filter_doc() -> BoxedStrategy<Doc> {
    object_doc(vec![
        ("document_types", list_doc(text_doc(), 3)),
        ("country_codes", list_doc(text_doc(), 3)),
    ])
}

fn check_doc() -> BoxedStrategy<Doc> {
    let detail = object_doc(vec![("name", text_doc()), ("value", text_doc())]);
    let breakdown = object_doc(vec![
        ("sub_check", text_doc()),
        ("result", enum_doc(BREAKDOWN_RESULTS)),
        ("details", list_doc(detail, 3)),
    ]);
    let recommendation = object_doc(vec![
        ("value", enum_doc(RECOMMENDATION_VALUES)),
        ("reason", text_doc()),
        ("recovery_suggestion", text_doc()),
    ]);
    let report = object_doc(vec![
        ("recommendation", recommendation),
        ("breakdown", list_doc(breakdown, 3)),
    ]);
    let result = object_doc(vec![
        ("report", report),
        ("report_template", text_doc()),
        ("document_fields", free_doc()),
    ]);
    let sources = object_doc(vec![
        ("type", enum_doc(SOURCES_TYPES)),
        ("search_profile", text_doc()),
        ("types", list_doc(text_doc(), 3)),
    ]);
    object_doc(vec![
        ("result", result),
        ("document_filter", filter_doc()),
        ("liveness_type", enum_doc(LIVENESS_TYPES)),
        ("response_delay", int_doc()),
        ("secondary_document_filter", filter_doc()),
        ("sources_filter", sources),
    ])
}

fn task_doc() -> BoxedStrategy<Doc> {
    let photo = object_doc(vec![("content_type", text_doc()), ("data", text_doc())]);
    let reason = object_doc(vec![
        ("value", enum_doc(REASON_VALUES)),
        ("detail", text_doc()),
    ]);
    let recommendation = object_doc(vec![("value", enum_doc(TASK_VALUES)), ("reason", reason)]);
    let result = object_doc(vec![
        ("document_fields", free_doc()),
        ("document_id_photo", photo),
        ("detected_country", text_doc()),
        ("detected_document_type", text_doc()),
        ("recommendation", recommendation),
    ]);
    object_doc(vec![
        ("result", result),
        ("document_filter", filter_doc()),
        ("response_delay", int_doc()),
        ("result_template", text_doc()),
    ])
}

fn config_doc() -> BoxedStrategy<Doc> {
    let checks = || list_doc(check_doc(), 2);
    let check_reports = object_doc_with(
        vec![
            ("ID_DOCUMENT_AUTHENTICITY", checks()),
            ("ID_DOCUMENT_TEXT_DATA_CHECK", checks()),
            ("LIVENESS", checks()),
            ("ID_DOCUMENT_FACE_MATCH", checks()),
            ("ID_DOCUMENT_COMPARISON", checks()),
            ("SUPPLEMENTARY_DOCUMENT_TEXT_DATA_CHECK", checks()),
            ("THIRD_PARTY_IDENTITY", check_doc()),
            ("FACE_COMPARISON", check_doc()),
            ("THIRD_PARTY_IDENTITY_FRAUD_1", check_doc()),
            ("WATCHLIST_SCREENING", check_doc()),
            ("SYNECTICS_IDENTITY_FRAUD", checks()),
            ("WATCHLIST_ADVANCED_CA", checks()),
            ("async_report_delay", int_doc()),
        ],
        "X_CHECK_[A-Z]{1,4}|x_[a-z]{1,5}",
    );
    let task_results = object_doc_with(
        vec![
            ("ID_DOCUMENT_TEXT_DATA_EXTRACTION", list_doc(task_doc(), 2)),
            (
                "SUPPLEMENTARY_DOCUMENT_TEXT_DATA_EXTRACTION",
                list_doc(task_doc(), 2),
            ),
        ],
        "X_TASK_[A-Z]{1,4}",
    );
    object_doc(vec![
        ("check_reports", check_reports),
        ("task_results", task_results),
    ])
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn prop_config_json_round_trips_losslessly(doc in config_doc()) {
        let config = reads_back(&doc, ResponseConfig::from_slice)?;
        prop_assert_eq!(sorted(config.unknown_keys()), sorted(doc.unknown_keys.clone()));
        prop_assert_eq!(sorted(config.unknown_values()), sorted(doc.unknown_values.clone()));
        // Validation never panics, and every violation names a path in the document.
        if let Err(err) = config.validate() {
            prop_assert!(err.violations().iter().all(|v| !v.path().is_empty()));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Mutations.

proptest! {
    #![proptest_config(config())]

    #[test]
    fn prop_mutated_configs_parse_or_fail_with_a_path(
        doc in config_doc(),
        pick in any::<prop::sample::Index>(),
        replacement in any_json(),
    ) {
        let value = mutated(doc.value, &pick, replacement);
        if let Some(config) = parses_back_or_names_a_path(&value, ResponseConfig::from_slice)? {
            let _ = config.validate();
            let _ = config.unknown_keys();
        }
    }

    #[test]
    fn prop_arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        if let Ok(config) = ResponseConfig::from_slice(&bytes) {
            let _ = config.validate();
        }
    }
}
