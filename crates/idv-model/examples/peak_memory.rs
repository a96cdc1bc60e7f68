//! Peak heap of a typed parse against the document's size, for the worst cases we could build
//! (see `tests/support/worst_cases.rs`) and for the product page's real sessions (in
//! `crates/idv-sandbox/fixtures/sessions`).
//!
//! ```text
//! cargo run -p idv-model --release --example peak_memory [-- SIZE_MB ...]
//! ```
//!
//! The heap is counted by a global allocator (`peak_alloc`) that copies on every reallocation,
//! so a growing buffer counts old and new at once: a pessimistic figure. The document itself is
//! not counted. Malloc's own per-allocation overhead is not counted either.
#![allow(clippy::print_stdout)]

use std::path::Path;

use peak_alloc::PeakAlloc;

#[path = "../tests/support/worst_cases.rs"]
mod worst_cases;

#[global_allocator]
static HEAP: PeakAlloc = PeakAlloc;

/// Peak heap above the current level while `f` runs.
fn peak_during<T>(f: impl FnOnce() -> T) -> (usize, T) {
    let base = HEAP.current_usage();
    HEAP.reset_peak_usage();
    let out = f();
    (HEAP.peak_usage().saturating_sub(base), out)
}

fn row(name: &str, doc_len: usize, peak: usize, outcome: &str) {
    #[allow(clippy::cast_precision_loss)]
    let ratio = peak as f64 / doc_len as f64;
    println!("| {name} | {doc_len} | {peak} | {ratio:.2} | {outcome} |");
}

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .map(|a| a.parse::<f64>().expect("a size in MB"))
        .map(|mb| (mb * 1_000_000.0) as usize)
        .collect();
    let sizes = if sizes.is_empty() {
        vec![6_000_000, 32 * 1024 * 1024]
    } else {
        sizes
    };

    println!("| case | document bytes | peak heap bytes | peak / document | outcome |");
    println!("|---|---:|---:|---:|---|");
    // The product page's real sessions, kept in the sandbox crate that embeds them.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../idv-sandbox/fixtures/sessions");
    let mut fixtures: Vec<_> = std::fs::read_dir(&dir)
        .expect("crates/idv-sandbox/fixtures/sessions")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    fixtures.sort();
    for path in fixtures {
        let doc = std::fs::read(&path).expect("fixture");
        let (peak, parsed) = peak_during(|| idv_model::parse_session(&doc).map(drop));
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        row(
            &name,
            doc.len(),
            peak,
            if parsed.is_ok() { "ok" } else { "error" },
        );
    }
    for &size in &sizes {
        for case in worst_cases::CASES {
            let doc = (case.build)(size);
            let (peak, parsed) = peak_during(|| worst_cases::parse(case.target, &doc));
            let outcome = match parsed {
                Ok(()) => "ok".to_owned(),
                Err(e) => format!("{:?} at `{}`", e.kind(), e.path()),
            };
            row(case.name, doc.len(), peak, &outcome);
        }
    }
    let (mb, size) = (1_000_000.0, sizes.iter().max().copied().unwrap_or(0));
    #[allow(clippy::cast_precision_loss)]
    let budget = idv_model::limits::memory_budget(size) as f64 / mb;
    println!("\nmemory budget for {size} bytes: {budget:.1} MB");
}
