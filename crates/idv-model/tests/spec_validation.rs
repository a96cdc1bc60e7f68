//! Validation of the create-session specification: each documented rule, the JSON path it
//! reports, on built and on parsed specifications.

use ViolationKind::*;
use idv_model::LivenessType;
use idv_model::spec::{
    AdvancedIdentityProfileRequirements, AdvancedProfile, AdvancedScheme, AuthType,
    CaMatchingStrategy, CaSources, DocumentFilter, DocumentRestriction, IbvOptions,
    IdentityProfileRequirements, IdentityProfileScheme, ImportTokenConfig, Inclusion,
    LivenessConfig, ManualCheck, NotificationConfig, Objective, RequestedCheck, RequestedTask,
    RequiredDocument, SdkConfig, SessionSpec, SpecError, Topic, UserPrice, ViolationKind,
    WatchlistAdvancedCaConfig, WatchlistCategory,
};

fn violations(result: Result<SessionSpec, SpecError>) -> Vec<(String, ViolationKind)> {
    match result {
        Ok(_) => Vec::new(),
        Err(err) => err
            .violations()
            .iter()
            .map(|v| (v.path().to_owned(), v.kind().clone()))
            .collect(),
    }
}

fn parsed_violations(json: &str) -> Vec<(String, ViolationKind)> {
    let spec = SessionSpec::from_slice(json.as_bytes()).expect("the test document parses");
    violations(spec.validate().map(|()| spec))
}

fn at(path: &str, kind: ViolationKind) -> (String, ViolationKind) {
    (path.to_owned(), kind)
}

#[test]
fn a_realistic_specification_is_valid() {
    let spec = SessionSpec::builder()
        .client_session_token_ttl(600)
        .resources_ttl(90_000)
        .session_deadline("2030-01-01T00:00:00.000Z")
        .requested_check(RequestedCheck::document_authenticity())
        .requested_check(RequestedCheck::liveness(LivenessType::Zoom))
        .requested_check(RequestedCheck::face_match(ManualCheck::Fallback))
        .requested_check(RequestedCheck::watchlist_screening([
            WatchlistCategory::Sanctions,
        ]))
        .requested_check(RequestedCheck::watchlist_advanced_ca(
            WatchlistAdvancedCaConfig::custom_account("key", "ref")
                .sources(CaSources::search_profile("p"))
                .matching_strategy(CaMatchingStrategy::fuzzy(0.0)),
        ))
        .requested_task(RequestedTask::text_extraction(ManualCheck::Never))
        .required_document(RequiredDocument::supplementary_document(
            Objective::proof_of_address(),
        ))
        .notifications(
            NotificationConfig::builder()
                .endpoint("http://127.0.0.1:8080/hook")
                .auth_type(AuthType::Bearer)
                .auth_token("t")
                .topic(Topic::SessionCompletion),
        )
        .sdk_config(
            SdkConfig::builder()
                .primary_colour("#2d9fff")
                .font_colour("#FFF")
                .preset_issuing_country("GBR")
                .id_document_text_extraction_generic_retries(1),
        )
        .build();
    assert!(spec.is_ok(), "{:?}", spec.err());
}

#[test]
fn ttls_must_be_positive() {
    for ttl in [0, -1, i64::MIN] {
        let found = violations(
            SessionSpec::builder()
                .client_session_token_ttl(ttl)
                .resources_ttl(ttl)
                .import_token(ImportTokenConfig::builder().ttl(ttl))
                .build(),
        );
        assert_eq!(
            found,
            [
                at("client_session_token_ttl", NotPositive),
                at("resources_ttl", NotPositive),
                at("import_token.ttl", NotPositive),
            ],
            "ttl {ttl}"
        );
    }
    assert!(
        SessionSpec::builder()
            .client_session_token_ttl(1)
            .build()
            .is_ok()
    );
}

#[test]
fn the_session_deadline_must_be_rfc_3339() {
    for bad in ["tomorrow", "2030-01-01", "2030-13-01T00:00:00Z", ""] {
        assert_eq!(
            violations(SessionSpec::builder().session_deadline(bad).build()),
            [at("session_deadline", InvalidTimestamp)],
            "{bad:?}"
        );
    }
    for good in [
        "2030-01-01T00:00:00Z",
        "2030-01-01T00:00:00.000Z",
        "2030-01-01T01:00:00+01:00",
    ] {
        assert!(
            SessionSpec::builder()
                .session_deadline(good)
                .build()
                .is_ok(),
            "{good}"
        );
    }
}

#[test]
fn sdk_config_rules() {
    let found = violations(
        SessionSpec::builder()
            .sdk_config(
                SdkConfig::builder()
                    .primary_colour("blue")
                    .primary_colour_dark_mode("#12")
                    .secondary_colour("#GGGGGG")
                    .font_colour("")
                    .locale("")
                    .preset_issuing_country("GB")
                    .success_url("")
                    .error_url("")
                    .privacy_policy_url("")
                    .brand_id("")
                    .id_document_text_extraction_generic_retries(0)
                    .id_document_text_extraction_retries("a b", -2),
            )
            .build(),
    );
    assert_eq!(
        found,
        [
            at("sdk_config.primary_colour", InvalidColour),
            at("sdk_config.primary_colour_dark_mode", InvalidColour),
            at("sdk_config.secondary_colour", InvalidColour),
            at("sdk_config.font_colour", InvalidColour),
            at("sdk_config.locale", Empty),
            at("sdk_config.preset_issuing_country", InvalidCountryCode),
            at("sdk_config.success_url", Empty),
            at("sdk_config.error_url", Empty),
            at("sdk_config.privacy_policy_url", Empty),
            at("sdk_config.brand_id", Empty),
            at(
                "sdk_config.attempts_configuration.ID_DOCUMENT_TEXT_DATA_EXTRACTION.GENERIC",
                NotPositive
            ),
            at(
                r#"sdk_config.attempts_configuration.ID_DOCUMENT_TEXT_DATA_EXTRACTION["a b"]"#,
                NotPositive
            ),
        ]
    );
    // App deep links are fine as success and error URLs.
    assert!(
        SessionSpec::builder()
            .sdk_config(SdkConfig::builder().success_url("myapp://done"))
            .build()
            .is_ok()
    );
}

#[test]
fn notification_rules() {
    let with = |n: idv_model::spec::NotificationConfigBuilder| {
        violations(SessionSpec::builder().notifications(n).build())
    };
    assert_eq!(
        with(NotificationConfig::builder().topic(Topic::SessionCompletion)),
        [at("notifications.endpoint", Missing)]
    );
    assert_eq!(
        with(NotificationConfig::builder().endpoint("")),
        [at("notifications.endpoint", Empty)]
    );
    for bad in [
        "example.com/hook",
        "ftp://example.com",
        "https://",
        "https://exa mple.com",
    ] {
        assert_eq!(
            with(NotificationConfig::builder().endpoint(bad)),
            [at("notifications.endpoint", InvalidUrl)],
            "{bad}"
        );
    }
    let endpoint = || NotificationConfig::builder().endpoint("https://example.com/hook");
    assert_eq!(
        with(endpoint().auth_type(AuthType::Basic)),
        [at(
            "notifications.auth_token",
            RequiredWhen("auth_type is set")
        )]
    );
    assert_eq!(
        with(endpoint().auth_type("FUTURE_AUTH").auth_token("")),
        [at(
            "notifications.auth_token",
            RequiredWhen("auth_type is set")
        )]
    );
    assert_eq!(
        with(endpoint().auth_token("")),
        [at("notifications.auth_token", Empty)]
    );
    assert_eq!(
        with(endpoint().topics(["SESSION_COMPLETION", ""])),
        [at("notifications.topics[1]", Empty)]
    );
    // A token without a type is what the Go SDK sends: fine.
    assert!(with(endpoint().auth_token("t")).is_empty());
}

#[test]
fn check_rules() {
    let found = violations(
        SessionSpec::builder()
            .requested_check(LivenessConfig::builder().max_retries(-1))
            .requested_check(RequestedCheck::watchlist_advanced_ca(
                WatchlistAdvancedCaConfig::builder(),
            ))
            .requested_check(RequestedCheck::watchlist_advanced_ca(
                WatchlistAdvancedCaConfig::builder()
                    .search_type("WITH_CUSTOM_ACCOUNT")
                    .api_key("")
                    .sources(
                        CaSources::builder()
                            .sources_type("PROFILE")
                            .types(["", "pep"]),
                    )
                    .matching_strategy(CaMatchingStrategy::fuzzy(1.5)),
            ))
            .requested_check(RequestedCheck::watchlist_advanced_ca(
                WatchlistAdvancedCaConfig::yoti_account()
                    .client_ref("")
                    .sources(CaSources::builder())
                    .matching_strategy(CaMatchingStrategy::fuzzy(f64::NAN)),
            ))
            .requested_check(RequestedCheck::watchlist_screening(["", "SANCTIONS"]))
            .requested_check(RequestedCheck::document_scheme_validity(""))
            .requested_check(RequestedCheck::other("", None))
            .build(),
    );
    assert_eq!(
        found,
        [
            at("requested_checks[0].config.liveness_type", Missing),
            at("requested_checks[0].config.max_retries", Negative),
            at("requested_checks[1].config.type", Missing),
            at(
                "requested_checks[2].config.api_key",
                RequiredWhen("type is WITH_CUSTOM_ACCOUNT")
            ),
            at(
                "requested_checks[2].config.client_ref",
                RequiredWhen("type is WITH_CUSTOM_ACCOUNT")
            ),
            at(
                "requested_checks[2].config.sources.search_profile",
                RequiredWhen("type is PROFILE")
            ),
            at("requested_checks[2].config.sources.types[0]", Empty),
            at(
                "requested_checks[2].config.matching_strategy.fuzziness",
                OutOfRange { min: 0.0, max: 1.0 }
            ),
            at("requested_checks[3].config.client_ref", Empty),
            at("requested_checks[3].config.sources.type", Missing),
            at(
                "requested_checks[3].config.matching_strategy.fuzziness",
                OutOfRange { min: 0.0, max: 1.0 }
            ),
            at("requested_checks[4].config.categories[0]", Empty),
            at("requested_checks[5].config.scheme", Empty),
            at("requested_checks[6].type", Empty),
        ]
    );
}

#[test]
fn a_missing_or_null_config_is_checked_for_its_required_keys() {
    let found = parsed_violations(
        r#"{"requested_checks": [
            {"type": "ID_DOCUMENT_FACE_MATCH"},
            {"type": "LIVENESS", "config": null},
            {"type": "FACE_COMPARISON", "config": {"manual_check": null}},
            {"type": "DOCUMENT_SCHEME_VALIDITY_CHECK", "config": {}},
            {"type": "ID_DOCUMENT_AUTHENTICITY"},
            {"type": "ID_DOCUMENT_COMPARISON"},
            {"type": "WATCHLIST_ADVANCED_CA", "config": {"matching_strategy": {"type": "FUZZY", "fuzziness": null}}}
        ],
        "requested_tasks": [
            {"type": "ID_DOCUMENT_TEXT_DATA_EXTRACTION", "config": {"chip_data": "DESIRED"}},
            {"type": "SUPPLEMENTARY_DOCUMENT_TEXT_DATA_EXTRACTION"}
        ]}"#,
    );
    assert_eq!(
        found,
        [
            at("requested_checks[0].config.manual_check", Missing),
            at("requested_checks[1].config.liveness_type", Missing),
            at("requested_checks[2].config.manual_check", Missing),
            at("requested_checks[3].config.scheme", Missing),
            at("requested_checks[6].config.type", Missing),
            at(
                "requested_checks[6].config.matching_strategy.fuzziness",
                OutOfRange { min: 0.0, max: 1.0 }
            ),
            at("requested_tasks[0].config.manual_check", Missing),
            at("requested_tasks[1].config.manual_check", Missing),
        ]
    );
}

#[test]
fn document_rules() {
    let found = violations(
        SessionSpec::builder()
            .required_document(RequiredDocument::builder().country_codes(["GBR", "UK"]))
            .required_document(
                RequiredDocument::builder()
                    .document_type("SUPPLEMENTARY_DOCUMENT")
                    .document_types([""]),
            )
            .required_document(RequiredDocument::supplementary_document(
                Objective::builder(),
            ))
            .required_document(
                RequiredDocument::id_document().filter(
                    DocumentFilter::builder()
                        .country_restriction(
                            idv_model::spec::CountryRestriction::builder()
                                .country_codes(["gbr", "12"]),
                        )
                        .type_restriction(
                            idv_model::spec::TypeRestriction::builder().document_types([""]),
                        )
                        .allowed_provider(""),
                ),
            )
            .required_document(
                RequiredDocument::id_document().filter(
                    DocumentFilter::builder()
                        .filter_type("DOCUMENT_RESTRICTIONS")
                        .document(
                            DocumentRestriction::builder()
                                .country_codes(["GBRR"])
                                .document_types([""]),
                        ),
                ),
            )
            .build(),
    );
    assert_eq!(
        found,
        [
            at("required_documents[0].type", Missing),
            at("required_documents[0].country_codes[1]", InvalidCountryCode),
            at(
                "required_documents[1].objective",
                RequiredWhen("type is SUPPLEMENTARY_DOCUMENT")
            ),
            at("required_documents[1].document_types[0]", Empty),
            at("required_documents[2].objective.type", Missing),
            at("required_documents[3].filter.type", Missing),
            at(
                "required_documents[3].filter.country_restriction.inclusion",
                Missing
            ),
            at(
                "required_documents[3].filter.country_restriction.country_codes[1]",
                InvalidCountryCode
            ),
            at(
                "required_documents[3].filter.type_restriction.inclusion",
                Missing
            ),
            at(
                "required_documents[3].filter.type_restriction.document_types[0]",
                Empty
            ),
            at(
                "required_documents[3].filter.allowed_providers[0].name",
                Empty
            ),
            at(
                "required_documents[4].filter.inclusion",
                RequiredWhen("type is DOCUMENT_RESTRICTIONS")
            ),
            at(
                "required_documents[4].filter.documents[0].country_codes[0]",
                InvalidCountryCode
            ),
            at(
                "required_documents[4].filter.documents[0].document_types[0]",
                Empty
            ),
        ]
    );
    // Filters inside checks and identity profiles are checked too.
    let found = violations(
        SessionSpec::builder()
            .requested_check(
                idv_model::spec::DocumentAuthenticityConfig::builder().issuing_authority_sub_check(
                    idv_model::spec::IssuingAuthoritySubCheck::builder()
                        .filter(DocumentFilter::builder().inclusion(Inclusion::Whitelist)),
                ),
            )
            .build(),
    );
    assert_eq!(
        found,
        [at(
            "requested_checks[0].config.issuing_authority_sub_check.filter.type",
            Missing
        )]
    );
}

#[test]
fn identity_profile_ibv_and_price_rules() {
    let found = violations(
        SessionSpec::builder()
            .identity_profile_requirements(
                IdentityProfileRequirements::builder().trust_framework(""),
            )
            .advanced_identity_profile_requirements(
                AdvancedIdentityProfileRequirements::builder()
                    .profile(AdvancedProfile::builder().scheme(AdvancedScheme::builder().label("")))
                    .profile(
                        AdvancedProfile::builder()
                            .trust_framework("UK_TFIDA")
                            .scheme(
                                AdvancedScheme::builder()
                                    .scheme_type("RTW")
                                    .label("rtw")
                                    .config(
                                        idv_model::spec::AdvancedSchemeConfig::builder()
                                            .filter(DocumentFilter::builder()),
                                    ),
                            ),
                    ),
            )
            .ibv_options(
                IbvOptions::builder()
                    .guidance_url("")
                    .user_price(UserPrice::builder().amount("").currency("")),
            )
            .build(),
    );
    assert_eq!(
        found,
        [
            at("identity_profile_requirements.trust_framework", Empty),
            at("identity_profile_requirements.scheme", Missing),
            at(
                "advanced_identity_profile_requirements.profiles[0].trust_framework",
                Missing
            ),
            at(
                "advanced_identity_profile_requirements.profiles[0].schemes[0].type",
                Missing
            ),
            at(
                "advanced_identity_profile_requirements.profiles[0].schemes[0].label",
                Empty
            ),
            at(
                "advanced_identity_profile_requirements.profiles[1].schemes[0].config.filter.type",
                Missing
            ),
            at("ibv_options.support", Missing),
            at("ibv_options.guidance_url", Empty),
            at("ibv_options.user_price.amount", Empty),
            at("ibv_options.user_price.currency", Empty),
        ]
    );
    let found = violations(
        SessionSpec::builder()
            .identity_profile_requirements(
                IdentityProfileRequirements::builder()
                    .trust_framework("UK_TFIDA")
                    .scheme(IdentityProfileScheme::builder().objective("STANDARD")),
            )
            .build(),
    );
    assert_eq!(
        found,
        [at("identity_profile_requirements.scheme.type", Missing)]
    );
}

#[test]
fn an_extra_key_that_names_a_field_is_reported() {
    let spec = SessionSpec::builder()
        .extra("client_session_token_ttl", 5)
        .sdk_config(
            SdkConfig::builder()
                .primary_colour("#fff")
                .extra("primary_colour", "#000"),
        )
        .requested_check(RequestedCheck::document_authenticity().with_extra("type", "LIVENESS"))
        .requested_task(RequestedTask::text_extraction("NEVER").with_extra("config", "{}"))
        .build();
    assert_eq!(
        violations(spec),
        [
            at("requested_checks[0].type", ShadowedExtra),
            at("requested_tasks[0].config", ShadowedExtra),
            at("sdk_config.primary_colour", ShadowedExtra),
            at("client_session_token_ttl", ShadowedExtra),
        ]
    );
    // The field's value is what is sent (`into()` skips validation).
    let spec: SessionSpec = SessionSpec::builder()
        .sdk_config(
            SdkConfig::builder()
                .primary_colour("#fff")
                .extra("primary_colour", "#000"),
        )
        .into();
    assert_eq!(
        serde_json::to_value(&spec).unwrap()["sdk_config"]["primary_colour"],
        "#fff"
    );
}

#[test]
fn the_error_lists_every_violation_without_values() {
    let err = SessionSpec::builder()
        .client_session_token_ttl(0)
        .notifications(
            NotificationConfig::builder()
                .endpoint("not a url with-secret-ish-text")
                .auth_type("BASIC")
                .auth_token(""),
        )
        .sdk_config(SdkConfig::builder().primary_colour("secret-colour"))
        .build()
        .unwrap_err();
    assert_eq!(err.violations().len(), 4);
    assert!(err.has_path("notifications.auth_token"));
    assert!(!err.has_path("notifications"));
    let text = err.to_string();
    assert_eq!(
        text,
        "invalid session specification: client_session_token_ttl: must be greater than zero; \
         notifications.endpoint: must be an absolute http or https URL; \
         notifications.auth_token: required when auth_type is set; \
         sdk_config.primary_colour: must be a hex colour code such as #2d9fff"
    );
    let debug = format!("{err:?}");
    for value in ["with-secret-ish-text", "secret-colour"] {
        assert!(!text.contains(value) && !debug.contains(value), "{value}");
    }
    // Display stays bounded: ten violations, then a count.
    let many = SessionSpec::builder()
        .sdk_config(SdkConfig::builder().suppressed_screens(vec![""; 25]))
        .build()
        .unwrap_err();
    assert_eq!(many.violations().len(), 25);
    let text = many.to_string();
    assert_eq!(text.matches("must not be empty").count(), 10);
    assert!(
        text.ends_with("sdk_config.suppressed_screens[9]: must not be empty; and 15 more"),
        "{text}"
    );

    // A usable std error.
    let boxed: Box<dyn std::error::Error> = Box::new(err);
    assert!(
        boxed
            .to_string()
            .starts_with("invalid session specification")
    );
}

#[test]
fn validate_reports_what_build_reports() {
    let json = r##"{
        "client_session_token_ttl": -600,
        "sdk_config": {"primary_colour": "#2d9fff", "font_colour": "black"},
        "notifications": {"endpoint": "https://example.com", "auth_type": "BEARER", "auth_token": null},
        "requested_checks": [{"config": {"liveness_type": "ZOOM", "max_retries": -3}, "type": "LIVENESS"}]
    }"##;
    let expected = [
        at("client_session_token_ttl", NotPositive),
        at("notifications.auth_token", RequiredWhen("auth_type is set")),
        at("requested_checks[0].config.max_retries", Negative),
        at("sdk_config.font_colour", InvalidColour),
    ];
    assert_eq!(parsed_violations(json), expected);
    let spec = SessionSpec::from_slice(json.as_bytes()).unwrap();
    assert_eq!(violations(spec.into_builder().build()), expected);
}

#[test]
fn violation_kinds_display_their_rule() {
    let cases = [
        (Missing, "required"),
        (RequiredWhen("x is set"), "required when x is set"),
        (Empty, "must not be empty"),
        (NotPositive, "must be greater than zero"),
        (Negative, "must not be negative"),
        (
            OutOfRange { min: 0.0, max: 1.0 },
            "must be a number from 0 to 1",
        ),
        (InvalidColour, "must be a hex colour code such as #2d9fff"),
        (
            InvalidTimestamp,
            "must be an RFC 3339 date-time such as 2030-01-01T00:00:00.000Z",
        ),
        (InvalidUrl, "must be an absolute http or https URL"),
        (
            InvalidCountryCode,
            "must be a three-letter ISO 3166-1 alpha-3 country code such as GBR",
        ),
    ];
    for (kind, text) in cases {
        assert_eq!(kind.to_string(), text);
    }
    assert!(ShadowedExtra.to_string().contains("never be sent"));
}
