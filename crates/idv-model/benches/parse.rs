//! Parse speed: the typed, lossless model against `serde_json::Value`, in the same run.
//!
//! Inputs: the product page's completed session (12 KB) and a synthetic ~1 MB session with
//! hundreds of checks of every type, documents with pages and frames, and unknown fields.
//! The goal is typed throughput >= `Value` throughput (ratio >= 1.0).

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use serde_json::{Value, json};

const CHECK_TYPES: [&str; 16] = [
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
    "SOME_FUTURE_CHECK",
];

fn id(kind: u32, n: u32) -> String {
    format!(
        "{kind:08x}-{:04x}-4{:03x}-8{:03x}-{n:012x}",
        n % 0xffff,
        n % 0xfff,
        kind % 0xfff
    )
}

fn media(n: u32, ty: &str) -> Value {
    json!({"id": id(7, n), "type": ty, "created": "2023-10-16T09:24:32Z",
           "last_updated": "2023-10-16T09:24:32.473Z"})
}

/// A synthetic session of about 1 MB.
fn synthetic_session() -> Vec<u8> {
    let mut docs = Vec::new();
    for d in 0..40u32 {
        let pages: Vec<Value> = (0..2)
            .map(|p| {
                json!({"capture_method": "CAMERA", "media": media(d * 100 + p * 10, "IMAGE"),
                       "frames": (0..3).map(|f| json!({"media": media(d * 100 + p * 10 + f + 1, "IMAGE")}))
                                       .collect::<Vec<_>>()})
            })
            .collect();
        docs.push(json!({
            "id": id(1, d), "source": {"type": "END_USER"},
            "created_at": "2023-10-16T09:24:11Z", "last_updated": "2023-10-16T09:24:36Z",
            "document_type": "PASSPORT", "issuing_country": "GBR", "pages": pages,
            "document_fields": {"media": media(d * 100 + 90, "JSON")},
            "tasks": [{"id": id(2, d), "type": "ID_DOCUMENT_TEXT_DATA_EXTRACTION", "state": "DONE",
                       "created": "2023-10-16T09:24:11Z", "last_updated": "2023-10-16T09:24:11Z",
                       "generated_checks": [{"id": id(3, d), "type": "ID_DOCUMENT_TEXT_DATA_CHECK"}],
                       "generated_media": [{"id": id(4, d), "type": "JSON"}]}],
            "unknown_field": {"nested": [1, 2, 3]}
        }));
    }
    let mut checks = Vec::new();
    for c in 0..760u32 {
        let ty = CHECK_TYPES[(c as usize) % CHECK_TYPES.len()];
        let mut check = json!({
            "id": id(5, c), "type": ty, "state": "DONE",
            "resources_used": [id(1, c % 40), id(6, c)],
            "generated_media": [],
            "report": {
                "recommendation": {"value": if c % 7 == 0 { "REJECT" } else { "APPROVE" },
                                   "reason": "NOT_GENUINE", "recovery_suggestion": "BETTER_LIGHTING"},
                "breakdown": [
                    {"sub_check": "security_features", "result": "PASS", "process": "AUTOMATED",
                     "details": [{"name": "number_of_hits", "value": "0"}]},
                    {"sub_check": "document_in_date", "result": "PASS", "details": []}
                ]
            },
            "created": "2023-10-16T09:33:06Z", "last_updated": "2023-10-16T09:33:06.123Z"
        });
        if ty.starts_with("WATCHLIST") {
            check["generated_profile"] = json!({"media": media(c + 5000, "JSON")});
            check["report"]["watchlist_summary"] = json!({
                "total_hits": 1, "raw_results": {"media": media(c + 6000, "JSON")},
                "associated_country_codes": ["GBR"],
                "search_config": {"type": "WITH_CUSTOM_ACCOUNT", "remove_deceased": true,
                    "share_url": false, "sources": {"type": "PROFILE", "search_profile": "p"},
                    "matching_strategy": {"type": "FUZZY", "fuzziness": 0.5},
                    "api_key": "k", "monitoring": true, "tags": {"a": "b"}, "client_ref": "r"}
            });
        }
        if ty == "DOCUMENT_SCHEME_VALIDITY_CHECK" {
            check["scheme"] = json!("UK_DBS");
        }
        checks.push(check);
    }
    let session = json!({
        "client_session_token_ttl": 2637097,
        "session_id": "1c3cae90-1769-43a9-8554-d85f2e7cdb0f",
        "state": "COMPLETED",
        "resources": {"id_documents": docs, "supplementary_documents": [], "liveness_capture": [],
                      "face_capture": [], "applicant_profiles": [], "share_codes": []},
        "checks": checks,
        "user_tracking_id": "optional_string"
    });
    serde_json::to_vec_pretty(&session).expect("serialises")
}

fn bench_input(c: &mut Criterion, name: &str, bytes: &[u8]) {
    // Sanity: the input is a valid, losslessly parsed session.
    let typed = idv_model::parse_session(bytes).expect("parses");
    assert_eq!(
        serde_json::to_value(&typed).expect("serialises"),
        serde_json::from_slice::<Value>(bytes).expect("parses")
    );
    let mut group = c.benchmark_group(name);
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.sample_size(20);
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(2));
    group.bench_function("typed", |b| {
        b.iter(|| idv_model::parse_session(black_box(bytes)).expect("parses"));
    });
    group.bench_function("value", |b| {
        b.iter(|| serde_json::from_slice::<Value>(black_box(bytes)).expect("parses"));
    });
    group.finish();
}

fn benches(c: &mut Criterion) {
    let product_page = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../idv-sandbox/fixtures/sessions/product-page-5-completed.json"
    ))
    .expect("fixture is readable");
    bench_input(c, "product_page_completed", &product_page);
    let synthetic = synthetic_session();
    bench_input(c, "synthetic_1mb", &synthetic);
}

criterion_group!(parse, benches);
criterion_main!(parse);
