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

use idv_model::spec::*;
use proptest::prelude::*;
use proptest::test_runner::Config;
use serde_json::{Map, Value};

fn config() -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(128);
    Config {
        cases,
        ..Config::default()
    }
}

// ---------------------------------------------------------------------------------------------
// Shared leaves.

fn text() -> BoxedStrategy<String> {
    prop_oneof![
        4 => "[A-Za-z0-9 _:#./-]{0,12}",
        1 => ".{0,6}",
        1 => Just("quote\"back\\slash\u{0}é😀".to_owned()),
    ]
    .boxed()
}

/// A float that reads back exactly from its shortest text form.
fn nice_float() -> BoxedStrategy<f64> {
    (-2_000i32..2_000)
        .prop_map(|k| f64::from(k) / 1_000.0)
        .boxed()
}

fn any_json() -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        nice_float().prop_map(Value::from),
        text().prop_map(Value::from),
    ];
    leaf.prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::from),
            prop::collection::btree_map("[a-z]{1,4}", inner, 0..3)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
    .boxed()
}

fn free_object() -> BoxedStrategy<Map<String, Value>> {
    prop::collection::btree_map("[a-z_]{1,6}", any_json(), 0..3)
        .prop_map(|m| m.into_iter().collect())
        .boxed()
}

/// A known value of an open enum, or one this version does not know.
fn open<T>(known: &'static [T]) -> BoxedStrategy<T>
where
    T: Clone + std::fmt::Debug + From<String> + 'static,
{
    prop_oneof![
        4 => proptest::sample::select(known),
        1 => "X_[A-Z]{1,6}".prop_map(T::from),
    ]
    .boxed()
}

fn extras() -> BoxedStrategy<Vec<(String, Value)>> {
    prop::collection::vec(("x_[a-z]{1,5}", any_json()), 0..2).boxed()
}

fn opt<T: std::fmt::Debug + 'static>(
    s: impl Strategy<Value = T> + 'static,
) -> BoxedStrategy<Option<T>> {
    proptest::option::weighted(0.6, s).boxed()
}

fn list<T: std::fmt::Debug + 'static>(
    s: impl Strategy<Value = T> + 'static,
) -> BoxedStrategy<Vec<T>> {
    prop::collection::vec(s, 0..3).boxed()
}

/// Applies each `Some` setter to a builder.
macro_rules! set {
    ($builder:ident, $($value:expr => $setter:ident),* $(,)?) => {
        $( if let Some(v) = $value { $builder = $builder.$setter(v); } )*
    };
}

macro_rules! with_extras {
    ($builder:ident, $extras:expr) => {
        for (key, value) in $extras {
            $builder = $builder.extra(key, value);
        }
    };
}

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
        let value = serde_json::to_value(&spec).unwrap();
        let from_value: SessionSpec = serde_json::from_value(value.clone()).unwrap();
        prop_assert_eq!(&from_value, &spec);

        let text = serde_json::to_vec(&spec).unwrap();
        let from_text = SessionSpec::from_slice(&text).unwrap();
        prop_assert_eq!(&from_text, &spec);
        // The text and the value agree, and validation and reports are the same after.
        prop_assert_eq!(serde_json::from_slice::<Value>(&text).unwrap(), value);
        prop_assert_eq!(from_text.validate(), spec.validate());
        prop_assert_eq!(from_text.unknown_keys(), spec.unknown_keys());
        prop_assert_eq!(from_text.unknown_values(), spec.unknown_values());
    }
}

// ---------------------------------------------------------------------------------------------
// Specification-shaped JSON, with the unknown keys and values it holds.

#[derive(Clone, Debug)]
struct Doc {
    value: Value,
    unknown_keys: Vec<String>,
    unknown_values: Vec<String>,
}

type D = BoxedStrategy<Doc>;

fn plain(value: Value) -> Doc {
    Doc {
        value,
        unknown_keys: Vec::new(),
        unknown_values: Vec::new(),
    }
}

fn join(prefix: &str, path: &str) -> String {
    if path.is_empty() {
        prefix.to_owned()
    } else if path.starts_with('[') || prefix.is_empty() {
        format!("{prefix}{path}")
    } else {
        format!("{prefix}.{path}")
    }
}

fn leaf(s: impl Strategy<Value = Value> + 'static) -> D {
    s.prop_map(plain).boxed()
}

fn string() -> D {
    leaf(text().prop_map(Value::from))
}

fn int() -> D {
    leaf(any::<i64>().prop_map(Value::from))
}

fn boolean() -> D {
    leaf(any::<bool>().prop_map(Value::from))
}

fn enum_doc(known: &'static [&'static str]) -> D {
    prop_oneof![
        4 => proptest::sample::select(known).prop_map(|t| plain(Value::from(t))),
        1 => "X_[A-Z]{1,6}".prop_map(|t| Doc {
            value: Value::from(t),
            unknown_keys: Vec::new(),
            unknown_values: vec![String::new()],
        }),
    ]
    .boxed()
}

fn list_doc(item: D) -> D {
    prop::collection::vec(item, 0..3)
        .prop_map(|items| {
            let mut out = plain(Value::Array(Vec::new()));
            for (index, item) in items.into_iter().enumerate() {
                let prefix = format!("[{index}]");
                out.unknown_keys
                    .extend(item.unknown_keys.iter().map(|p| join(&prefix, p)));
                out.unknown_values
                    .extend(item.unknown_values.iter().map(|p| join(&prefix, p)));
                if let Value::Array(array) = &mut out.value {
                    array.push(item.value);
                }
            }
            out
        })
        .boxed()
}

fn insert(out: &mut Doc, key: &str, child: Doc) {
    out.unknown_keys
        .extend(child.unknown_keys.iter().map(|p| join(key, p)));
    out.unknown_values
        .extend(child.unknown_values.iter().map(|p| join(key, p)));
    if let Value::Object(map) = &mut out.value {
        map.insert(key.to_owned(), child.value);
    }
}

/// Adds unknown `x_…` keys (a repeated key is one key, as in JSON).
fn add_unknown(out: &mut Doc, unknown: Vec<(String, Value)>) {
    for (key, value) in unknown {
        if !out.value.as_object().is_some_and(|m| m.contains_key(&key)) {
            out.unknown_keys.push(key.clone());
        }
        insert(out, &key, plain(value));
    }
}

/// An object whose known keys are each absent, `null` or set, plus unknown `x_…` keys.
fn obj(fields: Vec<(&'static str, D)>) -> D {
    let known: Vec<_> = fields
        .into_iter()
        .map(|(key, child)| {
            prop_oneof![
                3 => Just(None),
                1 => Just(Some((key, plain(Value::Null)))),
                6 => child.prop_map(move |d| Some((key, d))),
            ]
        })
        .collect();
    (known, extras())
        .prop_map(|(known, unknown)| {
            let mut out = plain(Value::Object(Map::new()));
            for (key, child) in known.into_iter().flatten() {
                insert(&mut out, key, child);
            }
            add_unknown(&mut out, unknown);
            out
        })
        .boxed()
}

/// A `{type, config}` entry of a known type.
fn entry(type_name: &'static str, config: D) -> D {
    (
        prop_oneof![1 => Just(None), 1 => Just(Some(plain(Value::Null))), 6 => config.prop_map(Some)],
        extras(),
    )
        .prop_map(move |(config, unknown)| {
            let mut out = plain(Value::Object(Map::new()));
            insert(&mut out, "type", plain(Value::from(type_name)));
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
            let mut out = plain(Value::Object(Map::new()));
            out.unknown_values.push("type".to_owned());
            insert(&mut out, "type", plain(Value::from(type_name)));
            if let Some(config) = config {
                if let Value::Object(map) = &config {
                    out.unknown_keys
                        .extend(map.keys().map(|k| join("config", k)));
                }
                insert(&mut out, "config", plain(config));
            }
            add_unknown(&mut out, unknown);
            out
        })
        .boxed()
}

const MANUAL: &[&str] = &["ALWAYS", "FALLBACK", "NEVER"];

fn filter_doc() -> D {
    let strings = || list_doc(string());
    obj(vec![
        (
            "type",
            enum_doc(&["ORTHOGONAL_RESTRICTIONS", "DOCUMENT_RESTRICTIONS"]),
        ),
        (
            "country_restriction",
            obj(vec![
                ("inclusion", enum_doc(&["WHITELIST", "BLACKLIST"])),
                ("country_codes", strings()),
            ]),
        ),
        (
            "type_restriction",
            obj(vec![
                ("inclusion", enum_doc(&["WHITELIST", "BLACKLIST"])),
                ("document_types", strings()),
            ]),
        ),
        ("inclusion", enum_doc(&["WHITELIST", "BLACKLIST"])),
        (
            "documents",
            list_doc(obj(vec![
                ("country_codes", strings()),
                ("document_types", strings()),
            ])),
        ),
        ("allow_non_latin_documents", boolean()),
        ("allow_expired_documents", boolean()),
        ("allow_digital_ids", boolean()),
        ("allowed_providers", list_doc(obj(vec![("name", string())]))),
    ])
}

fn check_doc() -> D {
    let manual = || ("manual_check", enum_doc(MANUAL));
    let number = leaf(prop_oneof![
        any::<i64>().prop_map(Value::from),
        nice_float().prop_map(Value::from),
        Just(serde_json::json!(1e-7)),
    ]);
    prop_oneof![
        entry(
            "ID_DOCUMENT_AUTHENTICITY",
            obj(vec![
                manual(),
                (
                    "issuing_authority_sub_check",
                    obj(vec![("requested", boolean()), ("filter", filter_doc())])
                ),
            ]),
        ),
        entry("ID_DOCUMENT_FACE_MATCH", obj(vec![manual()])),
        entry("ID_DOCUMENT_COMPARISON", obj(vec![])),
        entry(
            "LIVENESS",
            obj(vec![
                ("liveness_type", enum_doc(&["ZOOM", "STATIC"])),
                ("max_retries", int()),
                manual()
            ]),
        ),
        entry("FACE_COMPARISON", obj(vec![manual()])),
        entry("THIRD_PARTY_IDENTITY", obj(vec![manual()])),
        entry(
            "WATCHLIST_SCREENING",
            obj(vec![
                (
                    "categories",
                    list_doc(enum_doc(&["ADVERSE-MEDIA", "SANCTIONS"]))
                ),
                manual()
            ]),
        ),
        entry(
            "WATCHLIST_ADVANCED_CA",
            obj(vec![
                (
                    "type",
                    enum_doc(&["WITH_YOTI_ACCOUNT", "WITH_CUSTOM_ACCOUNT"])
                ),
                ("remove_deceased", boolean()),
                ("share_url", boolean()),
                (
                    "sources",
                    obj(vec![
                        ("type", enum_doc(&["PROFILE", "TYPE_LIST"])),
                        ("search_profile", string()),
                        ("types", list_doc(string())),
                    ]),
                ),
                (
                    "matching_strategy",
                    obj(vec![
                        ("type", enum_doc(&["EXACT", "FUZZY"])),
                        ("exact_match", boolean()),
                        ("fuzziness", number),
                    ]),
                ),
                ("api_key", string()),
                ("monitoring", boolean()),
                ("tags", leaf(free_object().prop_map(Value::Object))),
                ("client_ref", string()),
            ]),
        ),
        entry("IBV_VISUAL_REVIEW_CHECK", obj(vec![manual()])),
        entry(
            "DOCUMENT_SCHEME_VALIDITY_CHECK",
            obj(vec![("scheme", string()), manual()])
        ),
        entry("PROFILE_DOCUMENT_MATCH", obj(vec![manual()])),
        unknown_entry(),
    ]
    .boxed()
}

fn task_doc() -> D {
    prop_oneof![
        entry(
            "ID_DOCUMENT_TEXT_DATA_EXTRACTION",
            obj(vec![
                ("manual_check", enum_doc(MANUAL)),
                ("chip_data", enum_doc(&["DESIRED", "IGNORE"])),
                ("create_expanded_document_fields", boolean()),
            ]),
        ),
        entry(
            "SUPPLEMENTARY_DOCUMENT_TEXT_DATA_EXTRACTION",
            obj(vec![("manual_check", enum_doc(MANUAL))]),
        ),
        unknown_entry(),
    ]
    .boxed()
}

fn spec_doc() -> D {
    let attempts = leaf(
        prop::collection::btree_map("[A-Z_]{1,8}", any::<i64>(), 0..3)
            .prop_map(|m| Value::Object(m.into_iter().map(|(k, v)| (k, Value::from(v))).collect())),
    );
    obj(vec![
        ("client_session_token_ttl", int()),
        ("session_deadline", string()),
        ("resources_ttl", int()),
        ("user_tracking_id", string()),
        (
            "notifications",
            obj(vec![
                ("endpoint", string()),
                ("auth_token", string()),
                ("auth_type", enum_doc(&["BASIC", "BEARER"])),
                (
                    "topics",
                    list_doc(enum_doc(&[
                        "RESOURCE_UPDATE",
                        "SESSION_COMPLETION",
                        "FIRST_BRANCH_VISIT",
                    ])),
                ),
            ]),
        ),
        ("requested_checks", list_doc(check_doc())),
        ("requested_tasks", list_doc(task_doc())),
        (
            "sdk_config",
            obj(vec![
                (
                    "allowed_capture_methods",
                    enum_doc(&["CAMERA", "CAMERA_AND_UPLOAD"]),
                ),
                ("primary_colour", string()),
                ("primary_colour_dark_mode", string()),
                ("secondary_colour", string()),
                ("font_colour", string()),
                ("dark_mode", enum_doc(&["ON", "OFF", "AUTO"])),
                ("locale", string()),
                ("preset_issuing_country", string()),
                ("success_url", string()),
                ("error_url", string()),
                ("privacy_policy_url", string()),
                ("allow_handoff", boolean()),
                (
                    "attempts_configuration",
                    obj(vec![("ID_DOCUMENT_TEXT_DATA_EXTRACTION", attempts)]),
                ),
                (
                    "biometric_consent_flow",
                    enum_doc(&["EARLY", "JUST_IN_TIME"]),
                ),
                ("brand_id", string()),
                (
                    "suppressed_screens",
                    list_doc(enum_doc(&["FLOW_COMPLETION", "FACE_CAPTURE_EDUCATION"])),
                ),
            ]),
        ),
        (
            "required_documents",
            list_doc(obj(vec![
                ("type", enum_doc(&["ID_DOCUMENT", "SUPPLEMENTARY_DOCUMENT"])),
                ("filter", filter_doc()),
                (
                    "objective",
                    obj(vec![("type", enum_doc(&["PROOF_OF_ADDRESS"]))]),
                ),
                ("document_types", list_doc(string())),
                ("country_codes", list_doc(string())),
            ])),
        ),
        ("block_biometric_consent", boolean()),
        (
            "identity_profile_requirements",
            obj(vec![
                ("trust_framework", string()),
                (
                    "scheme",
                    obj(vec![("type", string()), ("objective", string())]),
                ),
            ]),
        ),
        (
            "advanced_identity_profile_requirements",
            obj(vec![(
                "profiles",
                list_doc(obj(vec![
                    ("trust_framework", string()),
                    (
                        "schemes",
                        list_doc(obj(vec![
                            ("type", string()),
                            ("objective", string()),
                            ("label", string()),
                            ("config", obj(vec![("filter", filter_doc())])),
                        ])),
                    ),
                ])),
            )]),
        ),
        ("subject", obj(vec![("subject_id", string())])),
        ("create_identity_profile_preview", boolean()),
        ("import_token", obj(vec![("ttl", int())])),
        (
            "ibv_options",
            obj(vec![
                ("support", enum_doc(&["MANDATORY", "NOT_ALLOWED"])),
                ("guidance_url", string()),
                (
                    "user_price",
                    obj(vec![("amount", string()), ("currency", string())]),
                ),
            ]),
        ),
        (
            "resources",
            obj(vec![(
                "applicant_profile",
                leaf(free_object().prop_map(Value::Object)),
            )]),
        ),
        ("ephemeral_media", boolean()),
    ])
}

fn sorted(mut paths: Vec<String>) -> Vec<String> {
    paths.sort();
    paths
}

/// Every JSON pointer of a document (for mutations).
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let escaped = key.replace('~', "~0").replace('/', "~1");
                pointers(child, format!("{at}/{escaped}"), out);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                pointers(child, format!("{at}/{index}"), out);
            }
        }
        _ => {}
    }
    out.push(at);
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn prop_json_spec_json_is_lossless_and_reports_what_is_unknown(doc in spec_doc()) {
        let text = serde_json::to_vec(&doc.value).unwrap();
        let spec = SessionSpec::from_slice(&text).unwrap();
        prop_assert_eq!(serde_json::to_value(&spec).unwrap(), doc.value.clone());
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
        let mut value = doc.value;
        let mut all = Vec::new();
        pointers(&value, String::new(), &mut all);
        let pointer = pick.get(&all).clone();
        if let Some(slot) = value.pointer_mut(&pointer) {
            *slot = replacement;
        }
        let text = serde_json::to_vec(&value).unwrap();
        match SessionSpec::from_slice(&text) {
            Ok(spec) => {
                prop_assert_eq!(serde_json::to_value(&spec).unwrap(), value);
                let _ = (spec.validate(), spec.unknown_keys(), spec.unknown_values());
            }
            Err(err) => prop_assert!(!err.path().is_empty()),
        }
    }
}
