//! Parsing stays within 16 × the document's size (plus a small constant) for the worst shapes we
//! could build, or stops with a limit error; real sessions parse well inside the budget.
//!
//! One test function: the heap counter is global to the process, so nothing may run beside it.

use std::path::Path;

use idv_model::ParseErrorKind;
use peak_alloc::PeakAlloc;

#[allow(dead_code)]
mod support {
    pub mod worst_cases;
}
use support::worst_cases::{CASES, parse};

#[global_allocator]
static HEAP: PeakAlloc = PeakAlloc;

/// The goal: peak heap ≤ 16 × document + this constant.
const CONSTANT: usize = 128 * 1024;

fn peak_during<T>(f: impl FnOnce() -> T) -> (usize, T) {
    let base = HEAP.current_usage();
    HEAP.reset_peak_usage();
    let out = f();
    (HEAP.peak_usage().saturating_sub(base), out)
}

fn assert_bounded(name: &str, doc_len: usize, peak: usize) {
    assert!(
        peak <= 16 * doc_len + CONSTANT,
        "{name}: peak {peak} bytes for a {doc_len}-byte document ({:.1}x)",
        peak as f64 / doc_len as f64
    );
}

/// Repeats the checks and resources of a generated fixture until the session is about `len`
/// bytes: a large document of realistic shape.
fn large_realistic_session(len: usize) -> Vec<u8> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/sessions/generated");
    let checks: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("all-check-types.json")).unwrap()).unwrap();
    let resources: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("all-resource-kinds.json")).unwrap())
            .unwrap();
    let mut session = serde_json::json!({"session_id": "big", "state": "COMPLETED",
        "checks": [], "resources": resources["resources"].clone()});
    let one_round = serde_json::to_vec(&checks["checks"]).unwrap().len();
    for _ in 0..len / one_round {
        for check in checks["checks"].as_array().unwrap() {
            session["checks"]
                .as_array_mut()
                .unwrap()
                .push(check.clone());
        }
    }
    serde_json::to_vec(&session).unwrap()
}

#[test]
fn parsing_memory_is_bounded_by_the_document_size() {
    // Worst cases: each either parses or hits a limit, within the bound either way.
    let size = 256 * 1024;
    for case in CASES {
        let doc = (case.build)(size);
        let (peak, parsed) = peak_during(|| parse(case.target, &doc));
        assert_bounded(case.name, doc.len(), peak);
        if let Err(e) = parsed {
            assert_eq!(e.kind(), ParseErrorKind::Limit, "{}: {e}", case.name);
            assert!(
                e.message().starts_with("memory limit: "),
                "{}: {e}",
                case.name
            );
            assert!(!e.path().is_empty(), "{}", case.name);
        }
    }

    // The cases are hostile: most must be refused (the issue's 2 million empty checks, scaled).
    let doc = (CASES[0].build)(size);
    let err = parse(CASES[0].target, &doc).unwrap_err();
    assert_eq!(err.kind(), ParseErrorKind::Limit);
    assert_eq!(err.path(), "checks");
    assert!(
        err.to_string()
            .contains(&idv_model::limits::memory_budget(doc.len()).to_string()),
        "{err}"
    );

    // Real sessions (the product page's, kept in the sandbox crate that embeds them): well
    // inside the budget.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../idv-sandbox/fixtures/sessions");
    let mut real = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            let doc = std::fs::read(&path).unwrap();
            let (peak, parsed) = peak_during(|| idv_model::parse_session(&doc).map(drop));
            parsed.unwrap();
            assert!(peak <= 3 * doc.len(), "{path:?}: {peak} for {}", doc.len());
            real += 1;
        }
    }
    assert_eq!(
        real,
        5,
        "the product page's five sessions in {}",
        dir.display()
    );

    // A large session of realistic shape is far from the limit.
    let doc = large_realistic_session(2 * 1024 * 1024);
    assert!(doc.len() > 2_000_000);
    let (peak, parsed) = peak_during(|| idv_model::parse_session(&doc).map(|s| s.checks.len()));
    assert!(parsed.unwrap() > 1_000);
    assert!(peak <= 4 * doc.len(), "{peak} for {}", doc.len());

    // Nesting deeper than serde_json's limit is a limit error too, at its path.
    let deep = format!(r#"{{"x":{}{}}}"#, "[".repeat(200), "]".repeat(200));
    let (peak, parsed) = peak_during(|| idv_model::parse_session(deep.as_bytes()));
    let err = parsed.unwrap_err();
    assert_eq!(err.kind(), ParseErrorKind::Limit);
    assert!(
        err.message().starts_with("nesting limit: more than 128 "),
        "{err}"
    );
    assert!(err.path().starts_with("x[0][0]"), "{err}");
    assert_bounded("deep", deep.len(), peak);
}
