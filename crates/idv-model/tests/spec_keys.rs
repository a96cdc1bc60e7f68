//! Every key of the create-session specification, built through the public builders and
//! serialised: the exact JSON each one gives.

use std::time::{Duration, UNIX_EPOCH};

use idv_model::spec::{
    AdvancedIdentityProfileRequirements, AdvancedProfile, AdvancedScheme, AdvancedSchemeConfig,
    AllowedCaptureMethods, AuthType, BiometricConsentFlow, CaMatchingStrategy, CaSources, ChipData,
    DarkMode, DocumentAuthenticityConfig, DocumentComparisonConfig, DocumentFilter,
    DocumentRestriction, DocumentSchemeValidityConfig, FaceComparisonConfig, IbvOptions,
    IbvSupport, IbvVisualReviewConfig, IdentityProfileRequirements, IdentityProfileScheme,
    ImportTokenConfig, Inclusion, IssuingAuthoritySubCheck, LivenessConfig, ManualCheck,
    NotificationConfig, Objective, ProfileDocumentMatchConfig, RequestedCheck, RequestedTask,
    RequiredDocument, SdkConfig, SessionSpec, SpecResources, Subject,
    SupplementaryTextExtractionConfig, SuppressedScreen, TextExtractionConfig,
    ThirdPartyIdentityConfig, Topic, UserPrice, WatchlistAdvancedCaConfig, WatchlistCategory,
    WatchlistScreeningConfig,
};
use idv_model::{CheckType, LivenessType, TaskType};
use serde_json::{Map, Value, json};

fn to_json(value: &impl serde::Serialize) -> Value {
    serde_json::to_value(value).expect("a specification always serialises")
}

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        other => panic!("not an object: {other}"),
    }
}

#[test]
fn every_top_level_key() {
    let spec = SessionSpec::builder()
        .client_session_token_ttl(600)
        .session_deadline("2030-01-01T00:00:00.000Z")
        .resources_ttl(604_800)
        .user_tracking_id("user-1")
        .notifications(NotificationConfig::builder().endpoint("https://example.com/n"))
        .requested_check(RequestedCheck::document_authenticity())
        .requested_task(RequestedTask::text_extraction(ManualCheck::Never))
        .sdk_config(SdkConfig::builder().locale("en-GB"))
        .required_document(RequiredDocument::id_document())
        .block_biometric_consent(false)
        .identity_profile_requirements(
            IdentityProfileRequirements::builder()
                .trust_framework("UK_TFIDA")
                .scheme(IdentityProfileScheme::new("DBS", "BASIC")),
        )
        .advanced_identity_profile_requirements(
            AdvancedIdentityProfileRequirements::builder().profiles(Vec::<AdvancedProfile>::new()),
        )
        .subject(Subject::builder().subject_id("subject-1"))
        .create_identity_profile_preview(true)
        .import_token(ImportTokenConfig::builder().ttl(3600))
        .ibv_options(IbvOptions::builder().support(IbvSupport::NotAllowed))
        .applicant_profile(object(json!({"full_name": "Jane Doe"})))
        .ephemeral_media(false)
        .build()
        .unwrap();
    assert_eq!(
        to_json(&spec),
        json!({
            "client_session_token_ttl": 600,
            "session_deadline": "2030-01-01T00:00:00.000Z",
            "resources_ttl": 604_800,
            "user_tracking_id": "user-1",
            "notifications": {"endpoint": "https://example.com/n"},
            "requested_checks": [{"type": "ID_DOCUMENT_AUTHENTICITY", "config": {}}],
            "requested_tasks": [
                {"type": "ID_DOCUMENT_TEXT_DATA_EXTRACTION", "config": {"manual_check": "NEVER"}}
            ],
            "sdk_config": {"locale": "en-GB"},
            "required_documents": [{"type": "ID_DOCUMENT"}],
            "block_biometric_consent": false,
            "identity_profile_requirements": {
                "trust_framework": "UK_TFIDA", "scheme": {"type": "DBS", "objective": "BASIC"}
            },
            "advanced_identity_profile_requirements": {"profiles": []},
            "subject": {"subject_id": "subject-1"},
            "create_identity_profile_preview": true,
            "import_token": {"ttl": 3600},
            "ibv_options": {"support": "NOT_ALLOWED"},
            "resources": {"applicant_profile": {"full_name": "Jane Doe"}},
            "ephemeral_media": false
        })
    );
    // The top-level keys are also written in the order of the reference table (the body is
    // signed as sent, so a stable order matters).
    let text = serde_json::to_string(&spec).unwrap();
    let positions: Vec<usize> = [
        "client_session_token_ttl",
        "session_deadline",
        "ephemeral_media",
    ]
    .iter()
    .map(|key| text.find(&format!("\"{key}\"")).unwrap())
    .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{text}");
}

#[test]
fn unset_is_omitted_and_false_zero_and_empty_are_sent() {
    // Nothing set: only the three lists every official SDK always sends.
    let empty = SessionSpec::builder().build().unwrap();
    assert_eq!(
        to_json(&empty),
        json!({"requested_checks": [], "requested_tasks": [], "required_documents": []})
    );
    // A value with no keys at all is possible too (e.g. to send a different shape).
    assert_eq!(to_json(&SessionSpec::default()), json!({}));

    let spec = SessionSpec::builder()
        .block_biometric_consent(false)
        .create_identity_profile_preview(false)
        .ephemeral_media(false)
        .sdk_config(
            SdkConfig::builder()
                .allow_handoff(false)
                .suppressed_screens(Vec::<SuppressedScreen>::new()),
        )
        .notifications(
            NotificationConfig::builder()
                .endpoint("https://example.com/n")
                .topics(Vec::<Topic>::new()),
        )
        .requested_check(
            LivenessConfig::builder()
                .liveness_type("STATIC")
                .max_retries(0),
        )
        .build()
        .unwrap();
    let json = to_json(&spec);
    assert_eq!(json["block_biometric_consent"], false);
    assert_eq!(json["create_identity_profile_preview"], false);
    assert_eq!(json["ephemeral_media"], false);
    assert_eq!(
        json["sdk_config"],
        json!({"allow_handoff": false, "suppressed_screens": []})
    );
    assert_eq!(json["notifications"]["topics"], json!([]));
    assert_eq!(json["requested_checks"][0]["config"]["max_retries"], 0);
    assert!(json.get("client_session_token_ttl").is_none());
    assert!(json["sdk_config"].get("primary_colour").is_none());
}

#[test]
fn session_deadline_forms() {
    let at = UNIX_EPOCH + Duration::from_millis(1_893_456_000_250);
    let spec = SessionSpec::builder()
        .session_deadline_at(at)
        .build()
        .unwrap();
    assert_eq!(
        to_json(&spec)["session_deadline"],
        "2030-01-01T00:00:00.250Z"
    );
    // Any RFC 3339 text is kept exactly, offsets included (the Python SDK sends those).
    let spec = SessionSpec::builder()
        .session_deadline("2030-01-01T01:00:00+01:00")
        .build()
        .unwrap();
    assert_eq!(
        to_json(&spec)["session_deadline"],
        "2030-01-01T01:00:00+01:00"
    );
    assert_eq!(
        spec.session_deadline.unwrap().unix_seconds(),
        Some(1_893_456_000)
    );
}

#[test]
fn every_notification_key_and_topic() {
    let notifications = NotificationConfig::builder()
        .endpoint("https://example.com/yoti")
        .auth_token("token-1")
        .auth_type(AuthType::Bearer)
        .topic(Topic::ResourceUpdate)
        .topic(Topic::TaskCompletion)
        .topic(Topic::CheckCompletion)
        .topic(Topic::SessionCompletion)
        .topic(Topic::ClientSessionTokenDeleted)
        .topic(Topic::NewPdfSupplied)
        .topic(Topic::InstructionsEmailRequested)
        .topic(Topic::ThankYouEmailRequested)
        .topic(Topic::FirstBranchVisit)
        .topic("FUTURE_TOPIC")
        .topic(Topic::ResourceUpdate) // a repeat is dropped
        .build();
    assert_eq!(
        to_json(&notifications),
        json!({
            "endpoint": "https://example.com/yoti",
            "auth_token": "token-1",
            "auth_type": "BEARER",
            "topics": [
                "RESOURCE_UPDATE", "TASK_COMPLETION", "CHECK_COMPLETION", "SESSION_COMPLETION",
                "CLIENT_SESSION_TOKEN_DELETED", "NEW_PDF_SUPPLIED", "INSTRUCTIONS_EMAIL_REQUESTED",
                "THANK_YOU_EMAIL_REQUESTED", "FIRST_BRANCH_VISIT", "FUTURE_TOPIC"
            ]
        })
    );
    // `topics` sets the list exactly as given.
    let exact = NotificationConfig::builder()
        .topics([Topic::SessionCompletion, Topic::SessionCompletion])
        .build();
    assert_eq!(
        to_json(&exact),
        json!({"topics": ["SESSION_COMPLETION", "SESSION_COMPLETION"]})
    );
    assert_eq!(to_json(&AuthType::Basic), "BASIC");
}

#[test]
fn every_sdk_config_key() {
    let config = SdkConfig::builder()
        .allowed_capture_methods(AllowedCaptureMethods::Camera)
        .primary_colour("#2d9fff")
        .primary_colour_dark_mode("#000")
        .secondary_colour("#FFFFFF")
        .font_colour("#123abc")
        .dark_mode(DarkMode::Auto)
        .locale("en-GB")
        .preset_issuing_country("GBR")
        .success_url("https://example.com/ok")
        .error_url("https://example.com/error")
        .privacy_policy_url("https://example.com/privacy")
        .allow_handoff(true)
        .id_document_text_extraction_generic_retries(3)
        .id_document_text_extraction_reclassification_retries(2)
        .id_document_text_extraction_retries("FUTURE_CATEGORY", 1)
        .biometric_consent_flow(BiometricConsentFlow::JustInTime)
        .brand_id("brand-1")
        .suppressed_screen(SuppressedScreen::IdDocumentEducation)
        .suppressed_screen(SuppressedScreen::IdDocumentRequirements)
        .suppressed_screen(SuppressedScreen::SupplementaryDocumentEducation)
        .suppressed_screen(SuppressedScreen::ZoomLivenessEducation)
        .suppressed_screen(SuppressedScreen::StaticLivenessEducation)
        .suppressed_screen(SuppressedScreen::FaceCaptureEducation)
        .suppressed_screen(SuppressedScreen::FlowCompletion)
        .build();
    assert_eq!(
        to_json(&config),
        json!({
            "allowed_capture_methods": "CAMERA",
            "primary_colour": "#2d9fff",
            "primary_colour_dark_mode": "#000",
            "secondary_colour": "#FFFFFF",
            "font_colour": "#123abc",
            "dark_mode": "AUTO",
            "locale": "en-GB",
            "preset_issuing_country": "GBR",
            "success_url": "https://example.com/ok",
            "error_url": "https://example.com/error",
            "privacy_policy_url": "https://example.com/privacy",
            "allow_handoff": true,
            "attempts_configuration": {"ID_DOCUMENT_TEXT_DATA_EXTRACTION": {
                "GENERIC": 3, "RECLASSIFICATION": 2, "FUTURE_CATEGORY": 1
            }},
            "biometric_consent_flow": "JUST_IN_TIME",
            "brand_id": "brand-1",
            "suppressed_screens": [
                "ID_DOCUMENT_EDUCATION", "ID_DOCUMENT_REQUIREMENTS",
                "SUPPLEMENTARY_DOCUMENT_EDUCATION", "ZOOM_LIVENESS_EDUCATION",
                "STATIC_LIVENESS_EDUCATION", "FACE_CAPTURE_EDUCATION", "FLOW_COMPLETION"
            ]
        })
    );
    for (value, text) in [
        (AllowedCaptureMethods::CameraAndUpload, "CAMERA_AND_UPLOAD"),
        (AllowedCaptureMethods::Camera, "CAMERA"),
    ] {
        assert_eq!(to_json(&value), text);
    }
    for (value, text) in [
        (DarkMode::On, "ON"),
        (DarkMode::Off, "OFF"),
        (DarkMode::Auto, "AUTO"),
    ] {
        assert_eq!(to_json(&value), text);
    }
    assert_eq!(to_json(&BiometricConsentFlow::Early), "EARLY");
}

#[test]
fn the_eleven_check_types_with_their_configs() {
    let filter = || DocumentFilter::orthogonal().whitelisted_countries(["GBR"]);
    let checks = [
        RequestedCheck::from(
            DocumentAuthenticityConfig::builder()
                .manual_check(ManualCheck::Always)
                .issuing_authority_sub_check(
                    IssuingAuthoritySubCheck::builder()
                        .requested(true)
                        .filter(filter()),
                ),
        ),
        RequestedCheck::face_match(ManualCheck::Fallback),
        RequestedCheck::from(DocumentComparisonConfig::default()),
        RequestedCheck::from(
            LivenessConfig::builder()
                .liveness_type(LivenessType::Zoom)
                .max_retries(3)
                .manual_check(ManualCheck::Never),
        ),
        RequestedCheck::from(FaceComparisonConfig::builder().manual_check(ManualCheck::Never)),
        RequestedCheck::from(ThirdPartyIdentityConfig::builder().manual_check(ManualCheck::Never)),
        RequestedCheck::from(
            WatchlistScreeningConfig::builder()
                .category(WatchlistCategory::AdverseMedia)
                .category(WatchlistCategory::Sanctions)
                .category(WatchlistCategory::AdverseMedia)
                .manual_check(ManualCheck::Never),
        ),
        RequestedCheck::watchlist_advanced_ca(
            WatchlistAdvancedCaConfig::yoti_account()
                .remove_deceased(true)
                .share_url(false)
                .sources(CaSources::type_list(["sanction", "pep"]))
                .matching_strategy(CaMatchingStrategy::exact().into_builder().exact_match(true)),
        ),
        RequestedCheck::from(IbvVisualReviewConfig::builder().manual_check(ManualCheck::Always)),
        RequestedCheck::from(
            DocumentSchemeValidityConfig::builder()
                .scheme("UK_DBS")
                .manual_check(ManualCheck::Always),
        ),
        RequestedCheck::from(
            ProfileDocumentMatchConfig::builder().manual_check(ManualCheck::Never),
        ),
    ];
    assert_eq!(
        to_json(&checks),
        json!([
            {"type": "ID_DOCUMENT_AUTHENTICITY", "config": {
                "manual_check": "ALWAYS",
                "issuing_authority_sub_check": {"requested": true, "filter": {
                    "type": "ORTHOGONAL_RESTRICTIONS",
                    "country_restriction": {"inclusion": "WHITELIST", "country_codes": ["GBR"]}
                }}
            }},
            {"type": "ID_DOCUMENT_FACE_MATCH", "config": {"manual_check": "FALLBACK"}},
            {"type": "ID_DOCUMENT_COMPARISON", "config": {}},
            {"type": "LIVENESS", "config": {
                "liveness_type": "ZOOM", "max_retries": 3, "manual_check": "NEVER"
            }},
            {"type": "FACE_COMPARISON", "config": {"manual_check": "NEVER"}},
            {"type": "THIRD_PARTY_IDENTITY", "config": {"manual_check": "NEVER"}},
            {"type": "WATCHLIST_SCREENING", "config": {
                "categories": ["ADVERSE-MEDIA", "SANCTIONS"], "manual_check": "NEVER"
            }},
            {"type": "WATCHLIST_ADVANCED_CA", "config": {
                "type": "WITH_YOTI_ACCOUNT", "remove_deceased": true, "share_url": false,
                "sources": {"type": "TYPE_LIST", "types": ["sanction", "pep"]},
                "matching_strategy": {"type": "EXACT", "exact_match": true}
            }},
            {"type": "IBV_VISUAL_REVIEW_CHECK", "config": {"manual_check": "ALWAYS"}},
            {"type": "DOCUMENT_SCHEME_VALIDITY_CHECK", "config": {
                "scheme": "UK_DBS", "manual_check": "ALWAYS"
            }},
            {"type": "PROFILE_DOCUMENT_MATCH", "config": {"manual_check": "NEVER"}}
        ])
    );
    let kinds: Vec<CheckType> = checks.iter().map(RequestedCheck::kind).collect();
    assert_eq!(
        kinds,
        [
            CheckType::IdDocumentAuthenticity,
            CheckType::IdDocumentFaceMatch,
            CheckType::IdDocumentComparison,
            CheckType::Liveness,
            CheckType::FaceComparison,
            CheckType::ThirdPartyIdentity,
            CheckType::WatchlistScreening,
            CheckType::WatchlistAdvancedCa,
            CheckType::IbvVisualReviewCheck,
            CheckType::DocumentSchemeValidityCheck,
            CheckType::ProfileDocumentMatch,
        ]
    );
}

#[test]
fn check_shortcuts() {
    let checks = [
        RequestedCheck::document_authenticity(),
        RequestedCheck::document_comparison(),
        RequestedCheck::liveness(LivenessType::Static),
        RequestedCheck::face_comparison(ManualCheck::Never),
        RequestedCheck::third_party_identity(),
        RequestedCheck::watchlist_screening([
            WatchlistCategory::Sanctions,
            WatchlistCategory::Sanctions,
        ]),
        RequestedCheck::watchlist_screening(Vec::<WatchlistCategory>::new()),
        RequestedCheck::ibv_visual_review(),
        RequestedCheck::document_scheme_validity("UK_DBS"),
        RequestedCheck::profile_document_match(),
        RequestedCheck::other("FUTURE_CHECK", Some(json!({"depth": 2}))),
        RequestedCheck::other("FUTURE_CHECK_2", None),
    ];
    assert_eq!(
        to_json(&checks),
        json!([
            {"type": "ID_DOCUMENT_AUTHENTICITY", "config": {}},
            {"type": "ID_DOCUMENT_COMPARISON", "config": {}},
            {"type": "LIVENESS", "config": {"liveness_type": "STATIC"}},
            {"type": "FACE_COMPARISON", "config": {"manual_check": "NEVER"}},
            {"type": "THIRD_PARTY_IDENTITY", "config": {}},
            {"type": "WATCHLIST_SCREENING", "config": {"categories": ["SANCTIONS"]}},
            {"type": "WATCHLIST_SCREENING", "config": {"categories": []}},
            {"type": "IBV_VISUAL_REVIEW_CHECK", "config": {}},
            {"type": "DOCUMENT_SCHEME_VALIDITY_CHECK", "config": {"scheme": "UK_DBS"}},
            {"type": "PROFILE_DOCUMENT_MATCH", "config": {}},
            {"type": "FUTURE_CHECK", "config": {"depth": 2}},
            {"type": "FUTURE_CHECK_2"}
        ])
    );
    assert_eq!(checks[10].kind(), CheckType::Other("FUTURE_CHECK".into()));
    assert_eq!(checks[10].type_name(), "FUTURE_CHECK");
}

#[test]
fn advanced_ca_custom_account_sources_and_matching() {
    let config = WatchlistAdvancedCaConfig::custom_account("key-1", "ref-1")
        .monitoring(false)
        .tag("team", "kyc")
        .tag("nested", json!({"a": null}))
        .remove_deceased(false)
        .sources(CaSources::search_profile("profile-1"))
        .matching_strategy(CaMatchingStrategy::fuzzy(1.0))
        .build();
    assert_eq!(
        to_json(&config),
        json!({
            "type": "WITH_CUSTOM_ACCOUNT", "api_key": "key-1", "client_ref": "ref-1",
            "monitoring": false, "tags": {"team": "kyc", "nested": {"a": null}},
            "remove_deceased": false,
            "sources": {"type": "PROFILE", "search_profile": "profile-1"},
            "matching_strategy": {"type": "FUZZY", "fuzziness": 1.0}
        })
    );
    assert_eq!(config.matching_strategy.unwrap().fuzziness_f64(), Some(1.0));
    assert_eq!(
        to_json(&CaMatchingStrategy::exact()),
        json!({"type": "EXACT"})
    );
    assert_eq!(
        to_json(&CaSources::type_list(Vec::<String>::new())),
        json!({"type": "TYPE_LIST", "types": []})
    );
    // Without a value, FUZZY sends no fuzziness (the API's default applies).
    let bare = CaMatchingStrategy::builder().strategy_type("FUZZY").build();
    assert_eq!(to_json(&bare), json!({"type": "FUZZY"}));
}

#[test]
fn both_tasks() {
    let tasks = [
        RequestedTask::from(
            TextExtractionConfig::builder()
                .manual_check(ManualCheck::Always)
                .chip_data(ChipData::Ignore)
                .create_expanded_document_fields(true),
        ),
        RequestedTask::from(
            SupplementaryTextExtractionConfig::builder().manual_check(ManualCheck::Fallback),
        ),
        RequestedTask::supplementary_text_extraction(ManualCheck::Never),
        RequestedTask::other("VERIFY_SHARE_CODE_TASK", Some(json!({}))),
    ];
    assert_eq!(
        to_json(&tasks),
        json!([
            {"type": "ID_DOCUMENT_TEXT_DATA_EXTRACTION", "config": {
                "manual_check": "ALWAYS", "chip_data": "IGNORE",
                "create_expanded_document_fields": true
            }},
            {"type": "SUPPLEMENTARY_DOCUMENT_TEXT_DATA_EXTRACTION", "config": {"manual_check": "FALLBACK"}},
            {"type": "SUPPLEMENTARY_DOCUMENT_TEXT_DATA_EXTRACTION", "config": {"manual_check": "NEVER"}},
            {"type": "VERIFY_SHARE_CODE_TASK", "config": {}}
        ])
    );
    assert_eq!(tasks[0].kind(), TaskType::IdDocumentTextDataExtraction);
    assert_eq!(to_json(&ChipData::Desired), "DESIRED");
}

#[test]
fn both_document_filters_with_every_key() {
    let orthogonal = DocumentFilter::orthogonal()
        .blacklisted_countries(["IRN"])
        .blacklisted_document_types(["NATIONAL_ID"])
        .allow_non_latin_documents(true)
        .allow_expired_documents(false)
        .allow_digital_ids(true)
        .allowed_provider("DIGILOCKER")
        .build();
    assert_eq!(
        to_json(&orthogonal),
        json!({
            "type": "ORTHOGONAL_RESTRICTIONS",
            "country_restriction": {"inclusion": "BLACKLIST", "country_codes": ["IRN"]},
            "type_restriction": {"inclusion": "BLACKLIST", "document_types": ["NATIONAL_ID"]},
            "allow_non_latin_documents": true,
            "allow_expired_documents": false,
            "allow_digital_ids": true,
            "allowed_providers": [{"name": "DIGILOCKER"}]
        })
    );
    let restrictions = DocumentFilter::document_restrictions(Inclusion::Whitelist)
        .document(
            DocumentRestriction::builder()
                .country_codes(["GBR", "IRL"])
                .document_types(["PASSPORT"]),
        )
        .document(DocumentRestriction::builder().document_types(["DRIVING_LICENCE"]))
        .allow_expired_documents(true)
        .allow_non_latin_documents(false)
        .allow_digital_ids(false)
        .allowed_providers(Vec::<idv_model::spec::AllowedProvider>::new())
        .build();
    assert_eq!(
        to_json(&restrictions),
        json!({
            "type": "DOCUMENT_RESTRICTIONS",
            "inclusion": "WHITELIST",
            "documents": [
                {"country_codes": ["GBR", "IRL"], "document_types": ["PASSPORT"]},
                {"document_types": ["DRIVING_LICENCE"]}
            ],
            "allow_expired_documents": true,
            "allow_non_latin_documents": false,
            "allow_digital_ids": false,
            "allowed_providers": []
        })
    );
    // Like the official Node SDK, a document-restrictions filter always carries `documents`.
    assert_eq!(
        to_json(&DocumentFilter::document_restrictions("BLACKLIST").build()),
        json!({"type": "DOCUMENT_RESTRICTIONS", "inclusion": "BLACKLIST", "documents": []})
    );
}

#[test]
fn required_documents_and_the_proof_of_address_objective() {
    let documents = [
        RequiredDocument::id_document()
            .filter(DocumentFilter::orthogonal().whitelisted_countries(["GBR"]))
            .build(),
        RequiredDocument::supplementary_document(Objective::proof_of_address())
            .document_types(["UTILITY_BILL", "BANK_STATEMENT"])
            .country_codes(["GBR"])
            .build(),
    ];
    assert_eq!(
        to_json(&documents),
        json!([
            {"type": "ID_DOCUMENT", "filter": {
                "type": "ORTHOGONAL_RESTRICTIONS",
                "country_restriction": {"inclusion": "WHITELIST", "country_codes": ["GBR"]}
            }},
            {"type": "SUPPLEMENTARY_DOCUMENT", "objective": {"type": "PROOF_OF_ADDRESS"},
             "document_types": ["UTILITY_BILL", "BANK_STATEMENT"], "country_codes": ["GBR"]}
        ])
    );
}

#[test]
fn identity_profiles_subject_import_token_ibv_and_resources() {
    let advanced =
        AdvancedIdentityProfileRequirements::builder()
            .profile(
                AdvancedProfile::builder()
                    .trust_framework("UK_TFIDA")
                    .scheme(
                        AdvancedScheme::builder()
                            .scheme_type("RTW")
                            .objective("STANDARD")
                            .label("rtw")
                            .config(AdvancedSchemeConfig::builder().filter(
                                DocumentFilter::document_restrictions(Inclusion::Whitelist),
                            )),
                    ),
            )
            .profile(AdvancedProfile::builder().trust_framework("YOTI_GLOBAL"))
            .build();
    assert_eq!(
        to_json(&advanced),
        json!({"profiles": [
            {"trust_framework": "UK_TFIDA", "schemes": [{
                "type": "RTW", "objective": "STANDARD", "label": "rtw",
                "config": {"filter": {
                    "type": "DOCUMENT_RESTRICTIONS", "inclusion": "WHITELIST", "documents": []
                }}
            }]},
            {"trust_framework": "YOTI_GLOBAL"}
        ]})
    );
    let ibv = IbvOptions::builder()
        .support(IbvSupport::Mandatory)
        .guidance_url("https://example.com/branch")
        .user_price(UserPrice::gbp("5.00"))
        .build();
    assert_eq!(
        to_json(&ibv),
        json!({"support": "MANDATORY", "guidance_url": "https://example.com/branch",
               "user_price": {"amount": "5.00", "currency": "GBP"}})
    );
    assert_eq!(
        to_json(&Subject::builder().subject_id("s-1").build()),
        json!({"subject_id": "s-1"})
    );
    assert_eq!(
        to_json(&ImportTokenConfig::builder().ttl(86_400).build()),
        json!({"ttl": 86_400})
    );
    let profile = object(json!({"given_names": "Jane", "structured_postal_address": null}));
    assert_eq!(
        to_json(&SpecResources::builder().applicant_profile(profile).build()),
        json!({"applicant_profile": {"given_names": "Jane", "structured_postal_address": null}})
    );
}

#[test]
fn every_level_takes_extra_keys() {
    let spec = SessionSpec::builder()
        .extra("top_new", json!({"x": [1, 2]}))
        .notifications(
            NotificationConfig::builder()
                .endpoint("https://example.com/n")
                .extra("notifications_new", true),
        )
        .sdk_config(SdkConfig::builder().extra("sdk_new", "v"))
        .requested_check(
            RequestedCheck::from(
                LivenessConfig::builder()
                    .liveness_type("ZOOM")
                    .extra("config_new", 1),
            )
            .with_extra("entry_new", 2),
        )
        .requested_check(RequestedCheck::from(
            WatchlistAdvancedCaConfig::yoti_account()
                .sources(
                    CaSources::builder()
                        .sources_type("TYPE_LIST")
                        .extra("sources_new", 3),
                )
                .matching_strategy(
                    CaMatchingStrategy::exact()
                        .into_builder()
                        .extra("matching_new", 4),
                ),
        ))
        .requested_check(RequestedCheck::from(
            DocumentComparisonConfig::default()
                .into_builder()
                .extra("c", 5),
        ))
        .requested_task(RequestedTask::text_extraction("NEVER").with_extra("task_new", 6))
        .required_document(
            RequiredDocument::supplementary_document(
                Objective::builder()
                    .objective_type("PROOF_OF_ADDRESS")
                    .extra("objective_new", 7),
            )
            .extra("document_new", 8)
            .filter(DocumentFilter::orthogonal().extra("filter_new", 9)),
        )
        .build()
        .unwrap();
    let json = to_json(&spec);
    assert_eq!(json["top_new"], json!({"x": [1, 2]}));
    assert_eq!(json["notifications"]["notifications_new"], true);
    assert_eq!(json["sdk_config"]["sdk_new"], "v");
    assert_eq!(json["requested_checks"][0]["config"]["config_new"], 1);
    assert_eq!(json["requested_checks"][0]["entry_new"], 2);
    assert_eq!(
        json["requested_checks"][1]["config"]["sources"]["sources_new"],
        3
    );
    assert_eq!(
        json["requested_checks"][1]["config"]["matching_strategy"]["matching_new"],
        4
    );
    assert_eq!(json["requested_checks"][2]["config"], json!({"c": 5}));
    assert_eq!(json["requested_tasks"][0]["task_new"], 6);
    assert_eq!(
        json["required_documents"][0]["objective"]["objective_new"],
        7
    );
    assert_eq!(json["required_documents"][0]["document_new"], 8);
    assert_eq!(json["required_documents"][0]["filter"]["filter_new"], 9);
    // Each extra key is reported as unknown, with its path.
    assert_eq!(
        spec.unknown_keys(),
        [
            "notifications.notifications_new",
            "requested_checks[0].config.config_new",
            "requested_checks[0].entry_new",
            "requested_checks[1].config.sources.sources_new",
            "requested_checks[1].config.matching_strategy.matching_new",
            "requested_checks[2].config.c",
            "requested_tasks[0].task_new",
            "sdk_config.sdk_new",
            "required_documents[0].filter.filter_new",
            "required_documents[0].objective.objective_new",
            "required_documents[0].document_new",
            "top_new",
        ]
    );
}

#[test]
fn open_enums_take_values_this_version_does_not_know() {
    let spec = SessionSpec::builder()
        .sdk_config(
            SdkConfig::builder()
                .allowed_capture_methods("UPLOAD_ONLY")
                .dark_mode("SEPIA")
                .suppressed_screen("NEW_SCREEN"),
        )
        .requested_check(RequestedCheck::liveness("HOLOGRAM"))
        .build()
        .unwrap();
    let json = to_json(&spec);
    assert_eq!(json["sdk_config"]["allowed_capture_methods"], "UPLOAD_ONLY");
    assert_eq!(json["sdk_config"]["dark_mode"], "SEPIA");
    assert_eq!(
        json["requested_checks"][0]["config"]["liveness_type"],
        "HOLOGRAM"
    );
    assert_eq!(
        spec.unknown_values(),
        [
            "requested_checks[0].config.liveness_type",
            "sdk_config.allowed_capture_methods",
            "sdk_config.dark_mode",
            "sdk_config.suppressed_screens[0]",
        ]
    );
    // A known text given as a string becomes the known variant.
    assert_eq!(ManualCheck::from("FALLBACK"), ManualCheck::Fallback);
    assert_eq!(
        WatchlistCategory::from("ADVERSE-MEDIA"),
        WatchlistCategory::AdverseMedia
    );
}

#[test]
fn a_parsed_specification_can_be_changed_through_its_builder() {
    let spec = SessionSpec::from_slice(br#"{"user_tracking_id": "u1", "x_new": 1}"#).unwrap();
    let changed = spec.into_builder().resources_ttl(90_000).build().unwrap();
    assert_eq!(
        to_json(&changed),
        json!({"user_tracking_id": "u1", "x_new": 1, "resources_ttl": 90_000,
               "requested_checks": [], "requested_tasks": [], "required_documents": []})
    );
}
