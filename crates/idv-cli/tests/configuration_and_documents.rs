//! `idv session config ID` and `idv documents` against the sandbox: readable summaries and the
//! exact JSON.

mod common;

use common::*;
use predicates::prelude::*;
use serde_json::Value;

#[test]
fn session_config_summarises_what_the_session_asks_for() {
    let out = stdout_of(idv().args([
        "session",
        "create",
        "--json",
        "--preset",
        "proof-of-address",
    ]));
    let created: Value = serde_json::from_str(&out).unwrap();
    let session_id = created["session_id"].as_str().unwrap();

    let text = stdout_of(idv().args(["session", "config", session_id]));
    assert!(
        text.starts_with(&format!("Session {session_id}\n")),
        "{text}"
    );
    assert!(
        text.contains("Requested checks (1): ID_DOCUMENT_AUTHENTICITY\n"),
        "{text}"
    );
    assert!(
        text.contains("Required resources (2):\n  ID_DOCUMENT  "),
        "{text}"
    );
    assert!(
        text.contains("    tasks:     ID_DOCUMENT_TEXT_DATA_EXTRACTION"),
        "{text}"
    );
    assert!(text.contains("    countries: "), "{text}");
    assert!(text.contains("PASSPORT ("), "{text}");
    assert!(text.contains("  SUPPLEMENTARY_DOCUMENT  "), "{text}");
    assert!(text.contains("    objective: PROOF_OF_ADDRESS\n"), "{text}");

    // --json: the configuration itself, which the readable form summarised.
    let json = stdout_of(idv().args(["session", "config", session_id, "--json"]));
    let configuration: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(configuration["session_id"], session_id);
    assert_eq!(
        configuration["requested_checks"],
        serde_json::json!(["ID_DOCUMENT_AUTHENTICITY"])
    );
    let countries = configuration["capture"]["required_resources"][0]["supported_countries"]
        .as_array()
        .unwrap()
        .len();
    assert!(
        text.contains(&format!("    countries: {countries} (")),
        "{countries} countries, {text}"
    );

    idv()
        .args(["session", "config", "no-such-session"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "session no-such-session not found",
        ));
}

#[test]
fn documents_lists_countries_and_their_document_types() {
    let latin = stdout_of(idv().args(["documents"]));
    let gbr = latin
        .lines()
        .find(|l| l.starts_with("GBR "))
        .unwrap_or_else(|| panic!("no GBR line in:\n{latin}"));
    assert!(gbr.contains("PASSPORT"), "{gbr}");
    assert!(!latin.contains("(non-Latin)"), "{latin}");
    let all = stdout_of(idv().args(["documents", "--include-non-latin"]));
    assert!(all.contains("NATIONAL_ID (non-Latin)"), "{all}");

    // The summary line counts what the JSON holds.
    let json = stdout_of(idv().args(["documents", "--json"]));
    let documents: Value = serde_json::from_str(&json).unwrap();
    let countries = documents["supported_countries"].as_array().unwrap();
    let total: usize = countries
        .iter()
        .map(|c| c["supported_documents"].as_array().unwrap().len())
        .sum();
    assert_eq!(
        latin.lines().last().unwrap(),
        format!("{} countries, {total} documents", countries.len())
    );
    assert!(!json.contains(r#""is_strictly_latin":false"#), "{json}");
}
