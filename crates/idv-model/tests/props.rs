//! Property tests: arbitrary sessions (every resource and check kind, unknown fields, nulls,
//! alternative shapes) round-trip exactly; arbitrary and mutated input never panics.
//!
//! Case count: 128 by default, `PROPTEST_CASES` overrides.

use std::path::Path;

use proptest::prelude::*;
use proptest::test_runner::Config;
use serde_json::{Map, Value, json};

type S = BoxedStrategy<Value>;

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(128)
}

fn text() -> S {
    prop_oneof![
        "[A-Za-z0-9_-]{0,10}".prop_map(Value::from),
        ".{0,6}".prop_map(Value::from),
        Just(Value::from("quote\"back\\slash\u{0}\u{1f}é€😀")),
    ]
    .boxed()
}

fn enum_text(known: &'static [&'static str]) -> S {
    prop_oneof![
        4 => proptest::sample::select(known).prop_map(Value::from),
        1 => "[A-Z_]{1,12}".prop_map(Value::from),
    ]
    .boxed()
}

fn timestamp() -> S {
    prop_oneof![
        Just(Value::from("2023-10-16T09:24:11Z")),
        Just(Value::from("2019-03-24T03:55:08.473Z")),
        Just(Value::from("2024-02-29T23:59:60.123456789+05:30")),
        ".{0,12}".prop_map(Value::from),
    ]
    .boxed()
}

fn int() -> S {
    prop_oneof![
        any::<i64>().prop_map(Value::from),
        (0i64..1000).prop_map(Value::from)
    ]
    .boxed()
}

fn boolean() -> S {
    any::<bool>().prop_map(Value::from).boxed()
}

fn number() -> S {
    prop_oneof![
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        (-1.0e6f64..1.0e6).prop_map(Value::from),
    ]
    .boxed()
}

/// Any JSON value (for unknown fields).
fn any_json() -> S {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        (-1.0e9f64..1.0e9).prop_map(Value::from),
        ".{0,6}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 12, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::from),
            prop::collection::btree_map("[a-z]{1,4}", inner, 0..3)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
    .boxed()
}

fn list(item: S) -> S {
    prop::collection::vec(item, 0..3)
        .prop_map(Value::from)
        .boxed()
}

/// An object with each known field absent, `null` or a value, plus unknown fields.
fn obj(fields: Vec<(&'static str, S)>) -> S {
    let known: Vec<_> = fields
        .into_iter()
        .map(|(k, s)| {
            prop_oneof![
                3 => Just(None),
                1 => Just(Some((k, Value::Null))),
                6 => s.prop_map(move |v| Some((k, v))),
            ]
        })
        .collect();
    let unknown = prop::collection::vec(("x_[a-z]{1,6}", any_json()), 0..2);
    (known, unknown)
        .prop_map(|(known, unknown)| {
            let mut map = Map::new();
            for (k, v) in known.into_iter().flatten() {
                map.insert(k.to_owned(), v);
            }
            for (k, v) in unknown {
                map.insert(k, v);
            }
            Value::Object(map)
        })
        .boxed()
}

const MEDIA_TYPES: &[&str] = &["IMAGE", "JSON", "BINARY", "PDF"];
const CHECK_TYPES: &[&str] = &[
    "ID_DOCUMENT_AUTHENTICITY",
    "ID_DOCUMENT_TEXT_DATA_CHECK",
    "ID_DOCUMENT_FACE_MATCH",
    "ID_DOCUMENT_COMPARISON",
    "SUPPLEMENTARY_DOCUMENT_TEXT_DATA_CHECK",
    "LIVENESS",
    "FACE_COMPARISON",
    "THIRD_PARTY_IDENTITY",
    "THIRD_PARTY_IDENTITY_FRAUD_1",
    "WATCHLIST_SCREENING",
    "WATCHLIST_ADVANCED_CA",
    "IBV_VISUAL_REVIEW_CHECK",
    "DOCUMENT_SCHEME_VALIDITY_CHECK",
    "PROFILE_DOCUMENT_MATCH",
    "SYNECTICS_IDENTITY_FRAUD",
];
const STATES: &[&str] = &["DONE", "PENDING"];

fn media() -> S {
    obj(vec![
        ("id", text()),
        ("type", enum_text(MEDIA_TYPES)),
        ("created", timestamp()),
        ("last_updated", timestamp()),
    ])
}

fn holder() -> S {
    obj(vec![("media", media())])
}

fn source() -> S {
    let types = &["END_USER", "RELYING_BUSINESS", "IBV"];
    prop_oneof![
        enum_text(types),
        obj(vec![
            ("type", enum_text(types)),
            ("allowed_providers", list(text()))
        ]),
    ]
    .boxed()
}

fn id_and_type(types: &'static [&'static str]) -> S {
    obj(vec![("id", text()), ("type", enum_text(types))])
}

fn task() -> S {
    obj(vec![
        ("id", text()),
        (
            "type",
            enum_text(&[
                "ID_DOCUMENT_TEXT_DATA_EXTRACTION",
                "SUPPLEMENTARY_DOCUMENT_TEXT_DATA_EXTRACTION",
                "VERIFY_SHARE_CODE_TASK",
            ]),
        ),
        ("state", enum_text(STATES)),
        ("created", timestamp()),
        ("last_updated", timestamp()),
        ("generated_checks", list(id_and_type(CHECK_TYPES))),
        ("generated_media", list(id_and_type(MEDIA_TYPES))),
        (
            "recommendation",
            obj(vec![
                ("value", text()),
                ("reason", obj(vec![("value", text()), ("detail", text())])),
            ]),
        ),
    ])
}

/// Fields every resource has, plus the kind-specific ones.
fn resource(specific: Vec<(&'static str, S)>) -> S {
    let mut fields = vec![
        ("id", text()),
        ("tasks", list(task())),
        ("source", source()),
        ("created_at", timestamp()),
        ("last_updated", timestamp()),
    ];
    fields.extend(specific);
    obj(fields)
}

fn page() -> S {
    obj(vec![
        ("capture_method", enum_text(&["CAMERA", "UPLOAD"])),
        ("media", media()),
        ("frames", list(holder())),
        ("extraction_image_ids", list(text())),
        ("hologram_frames", list(holder())),
    ])
}

fn resources() -> S {
    obj(vec![
        (
            "id_documents",
            list(resource(vec![
                ("document_type", text()),
                ("issuing_country", text()),
                ("pages", list(page())),
                ("document_fields", holder()),
                ("document_id_photo", holder()),
                ("expanded_document_fields", holder()),
                ("provider", text()),
            ])),
        ),
        (
            "supplementary_documents",
            list(resource(vec![
                ("document_type", text()),
                ("issuing_country", text()),
                ("pages", list(page())),
                ("document_fields", holder()),
                ("file", holder()),
            ])),
        ),
        (
            "liveness_capture",
            list(resource(vec![
                ("liveness_type", enum_text(&["ZOOM", "STATIC"])),
                ("facemap", holder()),
                ("frames", list(holder())),
                ("image", holder()),
                ("capture_type", text()),
            ])),
        ),
        ("face_capture", list(resource(vec![("image", holder())]))),
        (
            "applicant_profiles",
            list(resource(vec![("media", media())])),
        ),
        (
            "share_codes",
            list(resource(vec![
                ("lookup_profile", holder()),
                ("returned_profile", holder()),
                ("id_photo", holder()),
                ("file", holder()),
            ])),
        ),
    ])
}

fn watchlist_summary() -> S {
    let tags = prop_oneof![
        prop::collection::btree_map("[a-z]{1,5}", "[a-z]{0,5}", 0..3).prop_map(|m| json!(m)),
        prop::collection::btree_map("[a-z]{1,5}", "[a-z]{0,5}", 0..3)
            .prop_map(|m| Value::from(serde_json::to_string(&m).unwrap())),
    ]
    .boxed();
    obj(vec![
        ("total_hits", int()),
        ("raw_results", holder()),
        ("associated_country_codes", list(text())),
        (
            "search_config",
            obj(vec![
                ("categories", list(text())),
                (
                    "type",
                    enum_text(&["WITH_YOTI_ACCOUNT", "WITH_CUSTOM_ACCOUNT"]),
                ),
                ("remove_deceased", boolean()),
                ("share_url", boolean()),
                (
                    "sources",
                    obj(vec![
                        ("type", enum_text(&["PROFILE", "TYPE_LIST"])),
                        ("search_profile", text()),
                        ("types", list(text())),
                    ]),
                ),
                (
                    "matching_strategy",
                    obj(vec![
                        ("type", enum_text(&["EXACT", "FUZZY"])),
                        ("exact_match", boolean()),
                        ("fuzziness", number()),
                    ]),
                ),
                ("api_key", text()),
                ("monitoring", boolean()),
                ("tags", tags),
                ("client_ref", text()),
            ]),
        ),
    ])
}

fn check() -> S {
    let report = obj(vec![
        (
            "recommendation",
            obj(vec![
                (
                    "value",
                    enum_text(&["APPROVE", "REJECT", "NOT_AVAILABLE", "CONSIDER"]),
                ),
                ("reason", text()),
                ("recovery_suggestion", text()),
            ]),
        ),
        (
            "breakdown",
            list(obj(vec![
                ("sub_check", text()),
                (
                    "result",
                    enum_text(&["PASS", "FAIL", "NOT_AVAILABLE", "DONE"]),
                ),
                ("process", text()),
                (
                    "details",
                    list(obj(vec![("name", text()), ("value", text())])),
                ),
            ])),
        ),
        ("watchlist_summary", watchlist_summary()),
    ]);
    obj(vec![
        ("id", text()),
        ("type", enum_text(CHECK_TYPES)),
        ("state", enum_text(STATES)),
        ("resources_used", list(text())),
        ("generated_media", list(id_and_type(MEDIA_TYPES))),
        ("report", report),
        ("created", timestamp()),
        ("last_updated", timestamp()),
        ("generated_profile", holder()),
        ("scheme", text()),
    ])
}

fn failure_reason() -> S {
    obj(vec![
        ("reason_code", text()),
        (
            "requirements_not_met_details",
            list(obj(vec![
                ("failure_type", text()),
                ("document_type", text()),
                ("document_country_iso_code", text()),
                ("audit_id", text()),
                ("details", text()),
            ])),
        ),
    ])
}

fn schemes_compliance() -> S {
    list(obj(vec![
        (
            "scheme",
            obj(vec![
                ("type", text()),
                ("objective", text()),
                ("label", text()),
            ]),
        ),
        ("requirements_met", boolean()),
        ("requirements_not_met_info", text()),
    ]))
}

fn session() -> S {
    obj(vec![
        ("client_session_token_ttl", int()),
        ("session_id", text()),
        ("user_tracking_id", text()),
        ("state", enum_text(&["ONGOING", "COMPLETED", "EXPIRED"])),
        ("client_session_token", text()),
        ("biometric_consent", timestamp()),
        ("resources", resources()),
        ("checks", list(check())),
        (
            "identity_profile",
            obj(vec![
                ("subject_id", text()),
                ("result", text()),
                ("failure_reason", failure_reason()),
                (
                    "identity_profile_report",
                    obj(vec![
                        ("trust_framework", text()),
                        ("schemes_compliance", schemes_compliance()),
                        ("media", media()),
                    ]),
                ),
            ]),
        ),
        (
            "advanced_identity_profile",
            obj(vec![
                ("subject_id", text()),
                ("result", text()),
                ("failure_reason", failure_reason()),
                (
                    "identity_profile_report",
                    obj(vec![
                        (
                            "compliance",
                            list(obj(vec![
                                ("trust_framework", text()),
                                ("schemes_compliance", schemes_compliance()),
                            ])),
                        ),
                        ("media", media()),
                    ]),
                ),
            ]),
        ),
        ("identity_profile_preview", holder()),
        ("advanced_identity_profile_preview", holder()),
        (
            "import_token",
            obj(vec![("media", media()), ("failure_reason", text())]),
        ),
    ])
}

fn requirement() -> S {
    obj(vec![
        (
            "type",
            enum_text(&[
                "ID_DOCUMENT",
                "SUPPLEMENTARY_DOCUMENT",
                "LIVENESS",
                "FACE_CAPTURE",
            ]),
        ),
        ("id", text()),
        ("state", text()),
        (
            "allowed_sources",
            list(obj(vec![("type", enum_text(&["END_USER", "IBV"]))])),
        ),
        (
            "requested_tasks",
            list(obj(vec![("type", text()), ("state", enum_text(STATES))])),
        ),
        (
            "supported_countries",
            list(obj(vec![
                ("code", text()),
                (
                    "supported_documents",
                    list(obj(vec![
                        ("type", text()),
                        ("is_strictly_latin", boolean()),
                    ])),
                ),
            ])),
        ),
        ("allowed_capture_methods", text()),
        (
            "attempts_remaining",
            prop::collection::btree_map("[A-Z_]{1,8}", any::<i64>(), 0..3)
                .prop_map(|m| json!(m))
                .boxed(),
        ),
        ("document_types", list(text())),
        ("country_codes", list(text())),
        ("objective", obj(vec![("type", text())])),
        ("liveness_type", enum_text(&["ZOOM", "STATIC"])),
    ])
}

fn session_configuration() -> S {
    obj(vec![
        ("client_session_token_ttl", int()),
        ("session_id", text()),
        ("requested_checks", list(enum_text(CHECK_TYPES))),
        (
            "capture",
            obj(vec![
                ("biometric_consent", timestamp()),
                ("required_resources", list(requirement())),
            ]),
        ),
        (
            "sdk_config",
            obj(vec![("suppressed_screens", list(text()))]),
        ),
    ])
}

fn tracked_devices() -> S {
    let device = obj(vec![
        ("ip_address", text()),
        ("ip_iso_country_code", text()),
        ("manufacture_name", text()),
        ("model_name", text()),
        ("os_name", text()),
        ("os_version", text()),
        ("browser_name", text()),
        ("browser_version", text()),
        ("locale", text()),
        ("client_version", text()),
    ]);
    list(obj(vec![
        ("event", enum_text(&["SESSION_CREATED", "RESOURCE_CREATED"])),
        ("resource_id", text()),
        ("created", timestamp()),
        ("device", device),
    ]))
}

fn api_error_body() -> S {
    obj(vec![
        ("code", text()),
        ("message", text()),
        (
            "errors",
            list(obj(vec![("property", text()), ("message", text())])),
        ),
    ])
}

/// Parse -> serialise gives the parsed document back, for any model type.
fn assert_round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(doc: &Value) {
    let bytes = serde_json::to_vec(doc).unwrap();
    let parsed: T = idv_model::from_slice(&bytes).unwrap();
    let original: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(serde_json::to_value(&parsed).unwrap(), original);
}

fn fixture_bytes() -> Vec<Vec<u8>> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    // The workspace's session fixtures, and the product page's (kept in the sandbox crate).
    let mut dirs = vec![
        manifest.join("../../fixtures/sessions"),
        manifest.join("../idv-sandbox/fixtures/sessions"),
    ];
    while let Some(d) = dirs.pop() {
        for entry in std::fs::read_dir(d).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|e| e == "json") {
                out.push(std::fs::read(p).unwrap());
            }
        }
    }
    out.sort();
    out
}

/// Whenever a document parses, writing it back gives the same JSON value.
fn assert_lossless_if_ok(bytes: &[u8]) {
    if let Ok(session) = idv_model::parse_session(bytes) {
        let original: Value = serde_json::from_slice(bytes).unwrap();
        assert_eq!(serde_json::to_value(&session).unwrap(), original);
        // The helpers never panic either.
        let _ = session.media_refs();
        let _ = session.recommendation_summary();
    }
}

proptest! {
    #![proptest_config(Config::with_cases(cases()))]

    #[test]
    fn prop_arbitrary_sessions_round_trip(doc in session()) {
        let bytes = serde_json::to_vec(&doc).unwrap();
        let parsed = idv_model::parse_session(&bytes).unwrap();
        let written = serde_json::to_value(&parsed).unwrap();
        // Compare with the document as parsed (float text may not restore the exact f64).
        let original: Value = serde_json::from_slice(&bytes).unwrap();
        prop_assert_eq!(&written, &original);
        // serialise -> parse -> serialise is identical, and the model is stable.
        let bytes2 = serde_json::to_vec(&parsed).unwrap();
        let reparsed = idv_model::parse_session(&bytes2).unwrap();
        prop_assert_eq!(serde_json::to_vec(&reparsed).unwrap(), bytes2);
        prop_assert_eq!(&reparsed, &parsed);
        // Path hints are unique within the session and filesystem-safe.
        let hints: Vec<String> = parsed.media_refs().iter().map(|r| r.location.path_hint()).collect();
        let mut unique = hints.clone();
        unique.sort();
        unique.dedup();
        prop_assert_eq!(unique.len(), hints.len());
        for h in &hints {
            prop_assert!(h.chars().all(|c| c.is_ascii_alphanumeric() || "-_/".contains(c)), "{}", h);
            prop_assert!(!h.split('/').any(str::is_empty));
        }
    }

    #[test]
    fn prop_other_responses_round_trip(
        config in session_configuration(),
        devices in tracked_devices(),
        error in api_error_body(),
    ) {
        assert_round_trip::<idv_model::SessionConfiguration>(&config);
        assert_round_trip::<idv_model::TrackedDevices>(&devices);
        assert_round_trip::<idv_model::ApiErrorBody>(&error);
    }

    #[test]
    fn prop_arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        assert_lossless_if_ok(&bytes);
    }

    #[test]
    fn prop_arbitrary_json_never_panics(doc in any_json()) {
        assert_lossless_if_ok(&serde_json::to_vec(&doc).unwrap());
    }

    #[test]
    fn prop_mutated_fixtures_never_panic(
        pick in any::<prop::sample::Index>(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..6),
    ) {
        let fixtures = fixture_bytes();
        let mut bytes = fixtures[pick.index(fixtures.len())].clone();
        for (at, byte, op) in edits {
            if bytes.is_empty() {
                bytes.push(byte);
                continue;
            }
            let i = at.index(bytes.len());
            match op {
                0 => bytes[i] = byte,
                1 => bytes.insert(i, byte),
                _ => { bytes.remove(i); }
            }
        }
        assert_lossless_if_ok(&bytes);
    }
}
