//! Property tests of the create-session specification:
//!
//! * any specification built through the public builders → JSON → specification is the
//!   identity (through a `serde_json::Value` and through text);
//! * any specification-shaped JSON (every key absent, `null` or set; unknown keys and values;
//!   checks and tasks of unknown types) → specification → JSON is lossless, and the unknown
//!   keys and values reported are exactly the ones put in;
//! * any mutation of such a document parses or fails with a path, never panics, and whatever
//!   parses is written back unchanged.
//!
//! Case count: 128 by default, `PROPTEST_CASES` overrides.
//!
//! The generators and checks shared with `response_config_props.rs` are in
//! `support/request_props.rs`.

use idv_model::spec::*;
use proptest::prelude::*;
use serde_json::{Map, Value};

#[allow(dead_code, unused_macros)]
#[macro_use]
mod support {
    #[macro_use]
    pub mod request_props;
}
use support::request_props::*;

// ---------------------------------------------------------------------------------------------
// Specifications built through the builders.

fn built_filter() -> BoxedStrategy<DocumentFilter> {
    let restriction = (opt(open(Inclusion::KNOWN)), opt(list(text())), extras());
    (
        opt(open(FilterType::KNOWN)),
        opt(restriction.clone()),
        opt(restriction),
        opt(open(Inclusion::KNOWN)),
        opt(list((opt(list(text())), opt(list(text())), extras()))),
        (opt(any::<bool>()), opt(any::<bool>()), opt(any::<bool>())),
        opt(list((text(), extras()))),
        extras(),
    )
        .prop_map(
            |(kind, countries, types, inclusion, documents, allows, providers, extras)| {
                let mut b = DocumentFilter::builder();
                set!(b, kind => filter_type, inclusion => inclusion);
                if let Some((inclusion, codes, extras)) = countries {
                    let mut r = CountryRestriction::builder();
                    set!(r, inclusion => inclusion, codes => country_codes);
                    with_extras!(r, extras);
                    b = b.country_restriction(r);
                }
                if let Some((inclusion, document_types, extras)) = types {
                    let mut r = TypeRestriction::builder();
                    set!(r, inclusion => inclusion, document_types => document_types);
                    with_extras!(r, extras);
                    b = b.type_restriction(r);
                }
                if let Some(documents) = documents {
                    let documents: Vec<DocumentRestriction> = documents
                        .into_iter()
                        .map(|(codes, types, extras)| {
                            let mut d = DocumentRestriction::builder();
                            set!(d, codes => country_codes, types => document_types);
                            with_extras!(d, extras);
                            d.build()
                        })
                        .collect();
                    b = b.documents(documents);
                }
                let (non_latin, expired, digital) = allows;
                set!(b, non_latin => allow_non_latin_documents, expired => allow_expired_documents,
                 digital => allow_digital_ids);
                if let Some(providers) = providers {
                    let providers: Vec<AllowedProvider> = providers
                        .into_iter()
                        .map(|(name, extras)| {
                            let mut p = AllowedProvider::builder().name(name);
                            with_extras!(p, extras);
                            p.build()
                        })
                        .collect();
                    b = b.allowed_providers(providers);
                }
                with_extras!(b, extras);
                b.build()
            },
        )
        .boxed()
}

fn manual() -> BoxedStrategy<Option<ManualCheck>> {
    opt(open(ManualCheck::KNOWN))
}

fn built_check() -> BoxedStrategy<RequestedCheck> {
    let authenticity = (
        manual(),
        opt((opt(any::<bool>()), opt(built_filter()), extras())),
        extras(),
    )
        .prop_map(|(manual, sub, extras)| {
            let mut b = DocumentAuthenticityConfig::builder();
            set!(b, manual => manual_check);
            if let Some((requested, filter, sub_extras)) = sub {
                let mut s = IssuingAuthoritySubCheck::builder();
                set!(s, requested => requested, filter => filter);
                with_extras!(s, sub_extras);
                b = b.issuing_authority_sub_check(s);
            }
            with_extras!(b, extras);
            RequestedCheck::from(b)
        });
    let liveness = (
        opt(open(LivenessType::KNOWN)),
        opt(any::<i64>()),
        manual(),
        extras(),
    )
        .prop_map(|(kind, retries, manual, extras)| {
            let mut b = LivenessConfig::builder();
            set!(b, kind => liveness_type, retries => max_retries, manual => manual_check);
            with_extras!(b, extras);
            RequestedCheck::from(b)
        });
    let manual_only = (0..5usize, manual(), extras()).prop_map(|(which, manual, extras)| {
        macro_rules! manual_only {
            ($builder:expr) => {{
                let mut b = $builder;
                set!(b, manual => manual_check);
                with_extras!(b, extras);
                RequestedCheck::from(b)
            }};
        }
        match which {
            0 => manual_only!(FaceMatchConfig::builder()),
            1 => manual_only!(FaceComparisonConfig::builder()),
            2 => manual_only!(ThirdPartyIdentityConfig::builder()),
            3 => manual_only!(IbvVisualReviewConfig::builder()),
            _ => manual_only!(ProfileDocumentMatchConfig::builder()),
        }
    });
    let comparison = extras().prop_map(|extras| {
        let mut b = DocumentComparisonConfig::builder();
        with_extras!(b, extras);
        RequestedCheck::from(b)
    });
    let screening = (
        opt(list(open(WatchlistCategory::KNOWN))),
        manual(),
        extras(),
    )
        .prop_map(|(categories, manual, extras)| {
            let mut b = WatchlistScreeningConfig::builder();
            set!(b, categories => categories, manual => manual_check);
            with_extras!(b, extras);
            RequestedCheck::from(b)
        });
    let scheme = (opt(text()), manual(), extras()).prop_map(|(scheme, manual, extras)| {
        let mut b = DocumentSchemeValidityConfig::builder();
        set!(b, scheme => scheme, manual => manual_check);
        with_extras!(b, extras);
        RequestedCheck::from(b)
    });
    let sources = (
        opt(open(WatchlistSourcesType::KNOWN)),
        opt(text()),
        opt(list(text())),
        extras(),
    )
        .prop_map(|(kind, profile, types, extras)| {
            let mut b = CaSources::builder();
            set!(b, kind => sources_type, profile => search_profile, types => types);
            with_extras!(b, extras);
            b.build()
        });
    let fuzziness = prop_oneof![4 => nice_float(), 1 => Just(f64::NAN), 1 => Just(1e-7)];
    let matching = (
        opt(open(MatchingStrategyType::KNOWN)),
        opt(any::<bool>()),
        opt(fuzziness),
        extras(),
    )
        .prop_map(|(kind, exact, fuzziness, extras)| {
            let mut b = CaMatchingStrategy::builder();
            set!(b, kind => strategy_type, exact => exact_match, fuzziness => fuzziness);
            with_extras!(b, extras);
            b.build()
        });
    let advanced = (
        (
            opt(open(WatchlistSearchType::KNOWN)),
            opt(any::<bool>()),
            opt(any::<bool>()),
        ),
        (opt(sources), opt(matching)),
        (
            opt(text()),
            opt(any::<bool>()),
            opt(free_object()),
            opt(text()),
        ),
        extras(),
    )
        .prop_map(
            |((kind, deceased, share), (sources, matching), custom, extras)| {
                let mut b = WatchlistAdvancedCaConfig::builder();
                set!(b, kind => search_type, deceased => remove_deceased, share => share_url,
                 sources => sources, matching => matching_strategy);
                let (api_key, monitoring, tags, client_ref) = custom;
                set!(b, api_key => api_key, monitoring => monitoring, tags => tags,
                 client_ref => client_ref);
                with_extras!(b, extras);
                RequestedCheck::watchlist_advanced_ca(b)
            },
        );
    let other = ("X_[A-Z]{1,6}", opt(any_json()))
        .prop_map(|(kind, config)| RequestedCheck::other(kind, config));
    let check = prop_oneof![
        authenticity,
        liveness,
        manual_only,
        comparison,
        screening,
        scheme,
        advanced,
        other
    ];
    (check, extras())
        .prop_map(|(mut check, extras)| {
            for (key, value) in extras {
                check = check.with_extra(key, value);
            }
            check
        })
        .boxed()
}

fn built_task() -> BoxedStrategy<RequestedTask> {
    let text_extraction = (
        manual(),
        opt(open(ChipData::KNOWN)),
        opt(any::<bool>()),
        extras(),
    )
        .prop_map(|(manual, chip, expanded, extras)| {
            let mut b = TextExtractionConfig::builder();
            set!(b, manual => manual_check, chip => chip_data,
                 expanded => create_expanded_document_fields);
            with_extras!(b, extras);
            RequestedTask::from(b)
        });
    let supplementary = (manual(), extras()).prop_map(|(manual, extras)| {
        let mut b = SupplementaryTextExtractionConfig::builder();
        set!(b, manual => manual_check);
        with_extras!(b, extras);
        RequestedTask::from(b)
    });
    let other = ("X_[A-Z]{1,6}", opt(any_json()))
        .prop_map(|(kind, config)| RequestedTask::other(kind, config));
    (prop_oneof![text_extraction, supplementary, other], extras())
        .prop_map(|(mut task, extras)| {
            for (key, value) in extras {
                task = task.with_extra(key, value);
            }
            task
        })
        .boxed()
}

fn built_notifications() -> BoxedStrategy<NotificationConfig> {
    (
        opt(text()),
        opt(text()),
        opt(open(AuthType::KNOWN)),
        opt(list(open(Topic::KNOWN))),
        extras(),
    )
        .prop_map(|(endpoint, token, auth_type, topics, extras)| {
            let mut b = NotificationConfig::builder();
            set!(b, endpoint => endpoint, token => auth_token, auth_type => auth_type,
                 topics => topics);
            with_extras!(b, extras);
            b.build()
        })
        .boxed()
}

fn built_sdk_config() -> BoxedStrategy<SdkConfig> {
    let looks = (
        opt(open(AllowedCaptureMethods::KNOWN)),
        opt(text()),
        opt(text()),
        opt(text()),
        opt(text()),
        opt(open(DarkMode::KNOWN)),
        opt(text()),
        opt(text()),
    );
    let flow = (
        opt(text()),
        opt(text()),
        opt(text()),
        opt(any::<bool>()),
        opt(list(("[A-Z_]{1,8}", any::<i64>()))),
        opt(open(BiometricConsentFlow::KNOWN)),
        opt(text()),
        opt(list(open(SuppressedScreen::KNOWN))),
    );
    (looks, flow, extras())
        .prop_map(|(looks, flow, extras)| {
            let mut b = SdkConfig::builder();
            let (capture, primary, primary_dark, secondary, font, dark, locale, country) = looks;
            set!(b, capture => allowed_capture_methods, primary => primary_colour,
                 primary_dark => primary_colour_dark_mode, secondary => secondary_colour,
                 font => font_colour, dark => dark_mode, locale => locale,
                 country => preset_issuing_country);
            let (success, error, privacy, handoff, attempts, consent, brand, screens) = flow;
            set!(b, success => success_url, error => error_url, privacy => privacy_policy_url,
                 handoff => allow_handoff, consent => biometric_consent_flow, brand => brand_id,
                 screens => suppressed_screens);
            if let Some(attempts) = attempts {
                if attempts.is_empty() {
                    b = b.attempts_configuration(AttemptsConfiguration::builder());
                }
                for (category, n) in attempts {
                    b = b.id_document_text_extraction_retries(category, n);
                }
            }
            with_extras!(b, extras);
            b.build()
        })
        .boxed()
}

fn built_required_document() -> BoxedStrategy<RequiredDocument> {
    (
        opt(open(RequiredDocumentType::KNOWN)),
        opt(built_filter()),
        opt((opt(open(ObjectiveType::KNOWN)), extras())),
        opt(list(text())),
        opt(list(text())),
        extras(),
    )
        .prop_map(|(kind, filter, objective, types, codes, extras)| {
            let mut b = RequiredDocument::builder();
            set!(b, kind => document_type, filter => filter, types => document_types,
                 codes => country_codes);
            if let Some((kind, extras)) = objective {
                let mut o = Objective::builder();
                set!(o, kind => objective_type);
                with_extras!(o, extras);
                b = b.objective(o);
            }
            with_extras!(b, extras);
            b.build()
        })
        .boxed()
}

fn built_profiles() -> BoxedStrategy<(
    IdentityProfileRequirements,
    AdvancedIdentityProfileRequirements,
)> {
    let simple = (
        opt(text()),
        opt((opt(text()), opt(text()), extras())),
        extras(),
    )
        .prop_map(|(framework, scheme, extras)| {
            let mut b = IdentityProfileRequirements::builder();
            set!(b, framework => trust_framework);
            if let Some((kind, objective, extras)) = scheme {
                let mut s = IdentityProfileScheme::builder();
                set!(s, kind => scheme_type, objective => objective);
                with_extras!(s, extras);
                b = b.scheme(s);
            }
            with_extras!(b, extras);
            b.build()
        });
    let scheme = (
        opt(text()),
        opt(text()),
        opt(text()),
        opt(opt(built_filter())),
        extras(),
    )
        .prop_map(|(kind, objective, label, config, extras)| {
            let mut s = AdvancedScheme::builder();
            set!(s, kind => scheme_type, objective => objective, label => label);
            if let Some(filter) = config {
                let mut c = AdvancedSchemeConfig::builder();
                set!(c, filter => filter);
                s = s.config(c);
            }
            with_extras!(s, extras);
            s.build()
        });
    let advanced = opt(list((opt(text()), opt(list(scheme)), extras()))).prop_map(|profiles| {
        let mut b = AdvancedIdentityProfileRequirements::builder();
        if let Some(profiles) = profiles {
            let profiles: Vec<AdvancedProfile> = profiles
                .into_iter()
                .map(|(framework, schemes, extras)| {
                    let mut p = AdvancedProfile::builder();
                    set!(p, framework => trust_framework, schemes => schemes);
                    with_extras!(p, extras);
                    p.build()
                })
                .collect();
            b = b.profiles(profiles);
        }
        b.build()
    });
    (simple, advanced).boxed()
}

fn built_spec() -> BoxedStrategy<SessionSpec> {
    let head = (
        opt(any::<i64>()),
        opt(text()),
        opt(any::<i64>()),
        opt(text()),
        opt(built_notifications()),
        opt(list(built_check())),
        opt(list(built_task())),
        opt(built_sdk_config()),
        opt(list(built_required_document())),
        opt(any::<bool>()),
    );
    let tail = (
        opt(built_profiles()),
        opt((opt(text()), extras())),
        opt(any::<bool>()),
        opt(opt(any::<i64>())),
        opt((
            opt(open(IbvSupport::KNOWN)),
            opt(text()),
            opt((opt(text()), opt(text()))),
        )),
        opt(opt(free_object())),
        opt(any::<bool>()),
        extras(),
        any::<bool>(),
    );
    (head, tail)
        .prop_map(|(head, tail)| {
            let (
                ttl,
                deadline,
                resources_ttl,
                tracking,
                notifications,
                checks,
                tasks,
                sdk,
                documents,
                block,
            ) = head;
            let (profiles, subject, preview, import, ibv, resources, ephemeral, extras, validated) =
                tail;
            let mut b = SessionSpec::builder();
            set!(b, ttl => client_session_token_ttl, deadline => session_deadline,
                 resources_ttl => resources_ttl, tracking => user_tracking_id,
                 notifications => notifications, checks => requested_checks,
                 tasks => requested_tasks, sdk => sdk_config, documents => required_documents,
                 block => block_biometric_consent, preview => create_identity_profile_preview,
                 ephemeral => ephemeral_media);
            if let Some((simple, advanced)) = profiles {
                b = b
                    .identity_profile_requirements(simple)
                    .advanced_identity_profile_requirements(advanced);
            }
            if let Some((id, extras)) = subject {
                let mut s = Subject::builder();
                set!(s, id => subject_id);
                with_extras!(s, extras);
                b = b.subject(s);
            }
            if let Some(ttl) = import {
                let mut t = ImportTokenConfig::builder();
                set!(t, ttl => ttl);
                b = b.import_token(t);
            }
            if let Some((support, guidance, price)) = ibv {
                let mut o = IbvOptions::builder();
                set!(o, support => support, guidance => guidance_url);
                if let Some((amount, currency)) = price {
                    let mut p = UserPrice::builder();
                    set!(p, amount => amount, currency => currency);
                    o = o.user_price(p);
                }
                b = b.ibv_options(o);
            }
            match resources {
                Some(Some(profile)) => b = b.applicant_profile(profile),
                Some(None) => b = b.resources(SpecResources::builder()),
                None => {}
            }
            with_extras!(b, extras);
            // `build` validates (and may refuse); `into` takes the specification as it is.
            if validated {
                b.clone().build().unwrap_or_else(|_| b.into())
            } else {
                b.into()
            }
        })
        .boxed()
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn prop_built_spec_round_trips_through_json(spec in built_spec()) {
        let from_text = round_trips(&spec, SessionSpec::from_slice)?;
        // Validation and reports are the same after.
        prop_assert_eq!(from_text.validate(), spec.validate());
        prop_assert_eq!(from_text.unknown_keys(), spec.unknown_keys());
        prop_assert_eq!(from_text.unknown_values(), spec.unknown_values());
    }
}

// ---------------------------------------------------------------------------------------------
// Specification-shaped JSON, with the unknown keys and values it holds.

/// A `{type, config}` entry of a known type.
fn entry(type_name: &'static str, config: D) -> D {
    (
        prop_oneof![
            1 => Just(None),
            1 => Just(Some(Doc::plain(Value::Null))),
            6 => config.prop_map(Some),
        ],
        extras(),
    )
        .prop_map(move |(config, unknown)| {
            let mut out = Doc::plain(Value::Object(Map::new()));
            insert(&mut out, "type", Doc::plain(Value::from(type_name)));
            if let Some(config) = config {
                insert(&mut out, "config", config);
            }
            add_unknown(&mut out, unknown);
            out
        })
        .boxed()
}

/// A `{type, config}` entry of a type this version does not know: its type is an unknown
/// value, the keys of its config object unknown keys.
fn unknown_entry() -> D {
    let config = prop_oneof![
        Just(None),
        any_json().prop_map(Some),
        free_object().prop_map(|m| Some(Value::Object(m))),
    ];
    ("X_[A-Z]{1,6}", config, extras())
        .prop_map(|(type_name, config, unknown)| {
            let mut out = Doc::plain(Value::Object(Map::new()));
            out.unknown_values.push("type".to_owned());
            insert(&mut out, "type", Doc::plain(Value::from(type_name)));
            if let Some(config) = config {
                if let Value::Object(map) = &config {
                    out.unknown_keys
                        .extend(map.keys().map(|k| join("config", k)));
                }
                insert(&mut out, "config", Doc::plain(config));
            }
            add_unknown(&mut out, unknown);
            out
        })
        .boxed()
}

const MANUAL: &[&str] = &["ALWAYS", "FALLBACK", "NEVER"];

fn filter_doc() -> D {
    let strings = || list_doc(text_doc(), 3);
    object_doc(vec![
        (
            "type",
            enum_doc(&["ORTHOGONAL_RESTRICTIONS", "DOCUMENT_RESTRICTIONS"]),
        ),
        (
            "country_restriction",
            object_doc(vec![
                ("inclusion", enum_doc(&["WHITELIST", "BLACKLIST"])),
                ("country_codes", strings()),
            ]),
        ),
        (
            "type_restriction",
            object_doc(vec![
                ("inclusion", enum_doc(&["WHITELIST", "BLACKLIST"])),
                ("document_types", strings()),
            ]),
        ),
        ("inclusion", enum_doc(&["WHITELIST", "BLACKLIST"])),
        (
            "documents",
            list_doc(
                object_doc(vec![
                    ("country_codes", strings()),
                    ("document_types", strings()),
                ]),
                3,
            ),
        ),
        ("allow_non_latin_documents", bool_doc()),
        ("allow_expired_documents", bool_doc()),
        ("allow_digital_ids", bool_doc()),
        (
            "allowed_providers",
            list_doc(object_doc(vec![("name", text_doc())]), 3),
        ),
    ])
}

fn check_doc() -> D {
    let manual = || ("manual_check", enum_doc(MANUAL));
    let number = leaf_doc(prop_oneof![
        any::<i64>().prop_map(Value::from),
        nice_float().prop_map(Value::from),
        Just(serde_json::json!(1e-7)),
    ]);
    prop_oneof![
        entry(
            "ID_DOCUMENT_AUTHENTICITY",
            object_doc(vec![
                manual(),
                (
                    "issuing_authority_sub_check",
                    object_doc(vec![("requested", bool_doc()), ("filter", filter_doc())])
                ),
            ]),
        ),
        entry("ID_DOCUMENT_FACE_MATCH", object_doc(vec![manual()])),
        entry("ID_DOCUMENT_COMPARISON", object_doc(vec![])),
        entry(
            "LIVENESS",
            object_doc(vec![
                ("liveness_type", enum_doc(&["ZOOM", "STATIC"])),
                ("max_retries", int_doc()),
                manual()
            ]),
        ),
        entry("FACE_COMPARISON", object_doc(vec![manual()])),
        entry("THIRD_PARTY_IDENTITY", object_doc(vec![manual()])),
        entry(
            "WATCHLIST_SCREENING",
            object_doc(vec![
                (
                    "categories",
                    list_doc(enum_doc(&["ADVERSE-MEDIA", "SANCTIONS"]), 3)
                ),
                manual()
            ]),
        ),
        entry(
            "WATCHLIST_ADVANCED_CA",
            object_doc(vec![
                (
                    "type",
                    enum_doc(&["WITH_YOTI_ACCOUNT", "WITH_CUSTOM_ACCOUNT"])
                ),
                ("remove_deceased", bool_doc()),
                ("share_url", bool_doc()),
                (
                    "sources",
                    object_doc(vec![
                        ("type", enum_doc(&["PROFILE", "TYPE_LIST"])),
                        ("search_profile", text_doc()),
                        ("types", list_doc(text_doc(), 3)),
                    ]),
                ),
                (
                    "matching_strategy",
                    object_doc(vec![
                        ("type", enum_doc(&["EXACT", "FUZZY"])),
                        ("exact_match", bool_doc()),
                        ("fuzziness", number),
                    ]),
                ),
                ("api_key", text_doc()),
                ("monitoring", bool_doc()),
                ("tags", free_doc()),
                ("client_ref", text_doc()),
            ]),
        ),
        entry("IBV_VISUAL_REVIEW_CHECK", object_doc(vec![manual()])),
        entry(
            "DOCUMENT_SCHEME_VALIDITY_CHECK",
            object_doc(vec![("scheme", text_doc()), manual()])
        ),
        entry("PROFILE_DOCUMENT_MATCH", object_doc(vec![manual()])),
        unknown_entry(),
    ]
    .boxed()
}

fn task_doc() -> D {
    prop_oneof![
        entry(
            "ID_DOCUMENT_TEXT_DATA_EXTRACTION",
            object_doc(vec![
                ("manual_check", enum_doc(MANUAL)),
                ("chip_data", enum_doc(&["DESIRED", "IGNORE"])),
                ("create_expanded_document_fields", bool_doc()),
            ]),
        ),
        entry(
            "SUPPLEMENTARY_DOCUMENT_TEXT_DATA_EXTRACTION",
            object_doc(vec![("manual_check", enum_doc(MANUAL))]),
        ),
        unknown_entry(),
    ]
    .boxed()
}

fn spec_doc() -> D {
    let attempts = leaf_doc(
        prop::collection::btree_map("[A-Z_]{1,8}", any::<i64>(), 0..3)
            .prop_map(|m| Value::Object(m.into_iter().map(|(k, v)| (k, Value::from(v))).collect())),
    );
    object_doc(vec![
        ("client_session_token_ttl", int_doc()),
        ("session_deadline", text_doc()),
        ("resources_ttl", int_doc()),
        ("user_tracking_id", text_doc()),
        (
            "notifications",
            object_doc(vec![
                ("endpoint", text_doc()),
                ("auth_token", text_doc()),
                ("auth_type", enum_doc(&["BASIC", "BEARER"])),
                (
                    "topics",
                    list_doc(
                        enum_doc(&[
                            "RESOURCE_UPDATE",
                            "SESSION_COMPLETION",
                            "FIRST_BRANCH_VISIT",
                        ]),
                        3,
                    ),
                ),
            ]),
        ),
        ("requested_checks", list_doc(check_doc(), 3)),
        ("requested_tasks", list_doc(task_doc(), 3)),
        (
            "sdk_config",
            object_doc(vec![
                (
                    "allowed_capture_methods",
                    enum_doc(&["CAMERA", "CAMERA_AND_UPLOAD"]),
                ),
                ("primary_colour", text_doc()),
                ("primary_colour_dark_mode", text_doc()),
                ("secondary_colour", text_doc()),
                ("font_colour", text_doc()),
                ("dark_mode", enum_doc(&["ON", "OFF", "AUTO"])),
                ("locale", text_doc()),
                ("preset_issuing_country", text_doc()),
                ("success_url", text_doc()),
                ("error_url", text_doc()),
                ("privacy_policy_url", text_doc()),
                ("allow_handoff", bool_doc()),
                (
                    "attempts_configuration",
                    object_doc(vec![("ID_DOCUMENT_TEXT_DATA_EXTRACTION", attempts)]),
                ),
                (
                    "biometric_consent_flow",
                    enum_doc(&["EARLY", "JUST_IN_TIME"]),
                ),
                ("brand_id", text_doc()),
                (
                    "suppressed_screens",
                    list_doc(enum_doc(&["FLOW_COMPLETION", "FACE_CAPTURE_EDUCATION"]), 3),
                ),
            ]),
        ),
        (
            "required_documents",
            list_doc(
                object_doc(vec![
                    ("type", enum_doc(&["ID_DOCUMENT", "SUPPLEMENTARY_DOCUMENT"])),
                    ("filter", filter_doc()),
                    (
                        "objective",
                        object_doc(vec![("type", enum_doc(&["PROOF_OF_ADDRESS"]))]),
                    ),
                    ("document_types", list_doc(text_doc(), 3)),
                    ("country_codes", list_doc(text_doc(), 3)),
                ]),
                3,
            ),
        ),
        ("block_biometric_consent", bool_doc()),
        (
            "identity_profile_requirements",
            object_doc(vec![
                ("trust_framework", text_doc()),
                (
                    "scheme",
                    object_doc(vec![("type", text_doc()), ("objective", text_doc())]),
                ),
            ]),
        ),
        (
            "advanced_identity_profile_requirements",
            object_doc(vec![(
                "profiles",
                list_doc(
                    object_doc(vec![
                        ("trust_framework", text_doc()),
                        (
                            "schemes",
                            list_doc(
                                object_doc(vec![
                                    ("type", text_doc()),
                                    ("objective", text_doc()),
                                    ("label", text_doc()),
                                    ("config", object_doc(vec![("filter", filter_doc())])),
                                ]),
                                3,
                            ),
                        ),
                    ]),
                    3,
                ),
            )]),
        ),
        ("subject", object_doc(vec![("subject_id", text_doc())])),
        ("create_identity_profile_preview", bool_doc()),
        ("import_token", object_doc(vec![("ttl", int_doc())])),
        (
            "ibv_options",
            object_doc(vec![
                ("support", enum_doc(&["MANDATORY", "NOT_ALLOWED"])),
                ("guidance_url", text_doc()),
                (
                    "user_price",
                    object_doc(vec![("amount", text_doc()), ("currency", text_doc())]),
                ),
            ]),
        ),
        (
            "resources",
            object_doc(vec![("applicant_profile", free_doc())]),
        ),
        ("ephemeral_media", bool_doc()),
    ])
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn prop_json_spec_json_is_lossless_and_reports_what_is_unknown(doc in spec_doc()) {
        let spec = reads_back(&doc, SessionSpec::from_slice)?;
        prop_assert_eq!(sorted(spec.unknown_keys()), sorted(doc.unknown_keys.clone()));
        prop_assert_eq!(sorted(spec.unknown_values()), sorted(doc.unknown_values.clone()));
        // Validation of an arbitrary document never panics; its paths are well formed.
        if let Err(err) = spec.validate() {
            for violation in err.violations() {
                prop_assert!(!violation.path().is_empty());
                prop_assert!(!violation.path().starts_with('.'));
            }
        }
        // The specification written back reads as the same specification.
        let again = SessionSpec::from_slice(&serde_json::to_vec(&spec).unwrap()).unwrap();
        prop_assert_eq!(again, spec);
    }

    #[test]
    fn prop_mutated_spec_parses_losslessly_or_fails_with_a_path(
        doc in spec_doc(),
        pick in any::<prop::sample::Index>(),
        replacement in any_json(),
    ) {
        let value = mutated(doc.value, &pick, replacement);
        if let Some(spec) = parses_back_or_names_a_path(&value, SessionSpec::from_slice)? {
            let _ = (spec.validate(), spec.unknown_keys(), spec.unknown_values());
        }
    }
}
