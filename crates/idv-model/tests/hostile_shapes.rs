//! Property tests for hostile JSON shapes: huge lists of empty or wrong-typed elements at every
//! list of the model, deep nesting, wrong types at every level of a path. Each parse gives a value
//! or a typed error, never a panic, and never uses more than 16 × the document's size (plus a
//! small constant) of heap.
//!
//! One test function: the heap counter is global to the process. Case count: 64 by default,
//! `PROPTEST_CASES` overrides (`cargo xtask props`).

use idv_model::ParseErrorKind;
use peak_alloc::PeakAlloc;
use proptest::prelude::*;
use proptest::test_runner::Config;

#[global_allocator]
static HEAP: PeakAlloc = PeakAlloc;

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(64)
}

/// What a document parses as.
#[derive(Clone, Copy, Debug)]
enum Target {
    Session,
    TrackedDevices,
    SessionConfiguration,
}

/// Lists of the model (and unknown lists), as `prefix` … `suffix` around their elements.
const LISTS: &[(Target, &str, &str)] = &[
    (Target::Session, r#"{"checks":["#, "]}"),
    (Target::Session, r#"{"resources":{"share_codes":["#, "]}}"),
    (
        Target::Session,
        r#"{"resources":{"id_documents":[{"pages":["#,
        "]}]}}",
    ),
    (
        Target::Session,
        r#"{"resources":{"id_documents":[{"pages":[{"frames":["#,
        "]}]}]}}",
    ),
    (
        Target::Session,
        r#"{"resources":{"liveness_capture":[{"tasks":["#,
        "]}]}}",
    ),
    (Target::Session, r#"{"checks":[{"resources_used":["#, "]}]}"),
    (
        Target::Session,
        r#"{"checks":[{"report":{"breakdown":[{"details":["#,
        "]}]}}]}",
    ),
    (Target::Session, r#"{"x":["#, "]}"),
    (Target::Session, r#"{"checks":[{"x":["#, "]}]}"),
    (Target::TrackedDevices, "[", "]"),
    (
        Target::SessionConfiguration,
        r#"{"requested_checks":["#,
        "]}",
    ),
];

/// Elements: empty, null, and every JSON type, so most are the wrong type somewhere.
const ELEMENTS: &[&str] = &[
    "{}",
    "null",
    "0",
    "-1.5e300",
    "\"\"",
    "\"x\"",
    "true",
    "[]",
    "[[]]",
    r#"{"a":0}"#,
    r#"{"id":5}"#,
    r#"{"id":"i","type":"NEW"}"#,
    r#"{"media":{}}"#,
    r#"{"report":{}}"#,
];

/// Known-key paths into the model; a hostile value is put at some level of one.
const PATHS: &[&[&str]] = &[
    &[
        "resources",
        "id_documents",
        "[]",
        "pages",
        "[]",
        "frames",
        "[]",
        "media",
        "id",
    ],
    &[
        "resources",
        "share_codes",
        "[]",
        "source",
        "allowed_providers",
        "[]",
    ],
    &[
        "checks",
        "[]",
        "report",
        "watchlist_summary",
        "search_config",
        "tags",
        "k",
    ],
    &["checks", "[]", "report", "recommendation", "value"],
    &["checks", "[]", "generated_media", "[]", "type"],
    &[
        "identity_profile",
        "identity_profile_report",
        "schemes_compliance",
        "[]",
        "scheme",
        "type",
    ],
    &[
        "advanced_identity_profile",
        "identity_profile_report",
        "compliance",
        "[]",
        "trust_framework",
    ],
    &[
        "resources",
        "liveness_capture",
        "[]",
        "tasks",
        "[]",
        "generated_checks",
        "[]",
        "id",
    ],
    &["client_session_token"],
    &["biometric_consent"],
];

/// Hostile values for a wrong type at some level.
const VALUES: &[&str] = &[
    "0",
    "1e999999",
    "-0",
    "true",
    "null",
    "\"\"",
    "\"\\u0000\\ud800\"",
    "[]",
    "{}",
    "[{}]",
    r#"{"a":[1,{"b":null}]}"#,
    "18446744073709551616",
];

fn list_doc(list: usize, element: usize, count: usize) -> (Target, String) {
    let (target, prefix, suffix) = LISTS[list];
    let element = ELEMENTS[element];
    let mut doc = String::with_capacity(prefix.len() + count * (element.len() + 1) + 8);
    doc.push_str(prefix);
    for i in 0..count {
        if i > 0 {
            doc.push(',');
        }
        doc.push_str(element);
    }
    doc.push_str(suffix);
    (target, doc)
}

fn nested_doc(depth: usize, objects: bool, repeats: usize) -> String {
    let one = if objects {
        format!("{}0{}", r#"{"a":"#.repeat(depth), "}".repeat(depth))
    } else {
        format!("{}{}", "[".repeat(depth), "]".repeat(depth))
    };
    let items = vec![one; repeats.max(1)].join(",");
    format!(r#"{{"checks":[{{"x":[{items}]}}]}}"#)
}

fn wrong_type_doc(path: usize, level: usize, value: usize) -> String {
    let path = PATHS[path];
    let level = level % (path.len() + 1);
    let mut open = String::new();
    let mut close = Vec::new();
    for step in &path[..level] {
        if *step == "[]" {
            open.push('[');
            close.push("]".to_owned());
        } else {
            open.push_str(&format!(r#"{{"{step}":"#));
            close.push("}".to_owned());
        }
    }
    close.reverse();
    // The root must be an object for a session; a value at level 0 is the whole document.
    format!("{open}{}{}", VALUES[value], close.concat())
}

fn peak_during<T>(f: impl FnOnce() -> T) -> (usize, T) {
    let base = HEAP.current_usage();
    HEAP.reset_peak_usage();
    let out = f();
    (HEAP.peak_usage().saturating_sub(base), out)
}

/// Parses, checks the outcome is a value or a typed error and the heap stayed in bounds.
fn check(target: Target, doc: &str) -> Result<(), TestCaseError> {
    let (peak, outcome) = peak_during(|| {
        let bytes = doc.as_bytes();
        match target {
            Target::Session => idv_model::parse_session(bytes).map(|s| {
                // The helpers must not panic on whatever parsed either.
                let _ = s.media_refs();
                let _ = s.recommendation_summary();
            }),
            Target::TrackedDevices => {
                idv_model::from_slice::<idv_model::TrackedDevices>(bytes).map(drop)
            }
            Target::SessionConfiguration => {
                idv_model::from_slice::<idv_model::SessionConfiguration>(bytes).map(drop)
            }
        }
    });
    prop_assert!(
        peak <= 16 * doc.len() + 128 * 1024,
        "peak {} for {} bytes",
        peak,
        doc.len()
    );
    if let Err(e) = outcome {
        prop_assert!(
            // Syntax: `1e999999` is out of f64's range, which serde_json calls a syntax error.
            matches!(
                e.kind(),
                ParseErrorKind::Data | ParseErrorKind::Limit | ParseErrorKind::Syntax
            ),
            "unexpected kind {:?}: {}",
            e.kind(),
            e
        );
        prop_assert!(!e.path().is_empty());
    }
    Ok(())
}

#[derive(Clone, Debug)]
enum Shape {
    List {
        list: usize,
        element: usize,
        count: usize,
    },
    Nested {
        depth: usize,
        objects: bool,
        repeats: usize,
    },
    WrongType {
        path: usize,
        level: usize,
        value: usize,
    },
}

fn shape() -> impl Strategy<Value = Shape> {
    prop_oneof![
        (0..LISTS.len(), 0..ELEMENTS.len(), 0usize..40_000).prop_map(|(list, element, count)| {
            Shape::List {
                list,
                element,
                count,
            }
        }),
        (0usize..160, any::<bool>(), 1usize..400).prop_map(|(depth, objects, repeats)| {
            Shape::Nested {
                depth,
                objects,
                repeats,
            }
        }),
        (0..PATHS.len(), 0usize..12, 0..VALUES.len())
            .prop_map(|(path, level, value)| Shape::WrongType { path, level, value }),
    ]
}

proptest! {
    #![proptest_config(Config::with_cases(cases()))]

    #[test]
    fn hostile_shapes_give_a_value_or_a_typed_error_within_the_memory_bound(shape in shape()) {
        match shape {
            Shape::List { list, element, count } => {
                let (target, doc) = list_doc(list, element, count);
                check(target, &doc)?;
            }
            Shape::Nested { depth, objects, repeats } => {
                check(Target::Session, &nested_doc(depth, objects, repeats))?;
            }
            Shape::WrongType { path, level, value } => {
                let doc = wrong_type_doc(path, level, value);
                check(Target::Session, &doc)?;
                check(Target::SessionConfiguration, &doc)?;
            }
        }
    }
}
