//! Path hints from the media index stay distinct on case-insensitive file systems and never use a
//! name Windows reserves; the one definition of a finished session.

use std::collections::HashSet;

use idv_model::SessionState;
use serde_json::{Value, json};

fn hints(doc: &Value) -> Vec<String> {
    let bytes = serde_json::to_vec(doc).unwrap();
    let session = idv_model::parse_session(&bytes).unwrap();
    session
        .media_refs()
        .iter()
        .map(|r| r.location.path_hint())
        .collect()
}

fn face(id: &str, media: &str) -> Value {
    json!({"id": id, "image": {"media": {"id": media, "type": "IMAGE"}}})
}

fn assert_distinct_ignoring_case(hints: &[String]) {
    let folded: HashSet<String> = hints.iter().map(|h| h.to_ascii_lowercase()).collect();
    assert_eq!(folded.len(), hints.len(), "{hints:?}");
}

fn is_reserved(component: &str) -> bool {
    let stem = component.split('.').next().unwrap().to_ascii_uppercase();
    matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || ((stem.starts_with("COM") || stem.starts_with("LPT"))
            && stem.len() == 4
            && stem.as_bytes()[3].is_ascii_digit()
            && stem.as_bytes()[3] != b'0')
}

#[test]
fn ids_differing_only_in_case_get_labels_that_differ_ignoring_case() {
    let doc = json!({"resources": {"face_capture": [
        face("abcdefgh-1111", "m1"),
        face("ABCDEFGH-2222", "m2"),
        face("AbCdEfGh-3333", "m3"),
    ]}});
    let hints = hints(&doc);
    assert_eq!(
        hints,
        [
            "face_capture/abcdefgh-1/image",
            "face_capture/ABCDEFGH-2/image",
            "face_capture/AbCdEfGh-3/image",
        ]
    );
    assert_distinct_ignoring_case(&hints);
}

#[test]
fn case_insensitive_collisions_for_checks_and_tasks_too() {
    let task = |id: &str, media: &str| {
        json!({"id": id, "type": "ID_DOCUMENT_TEXT_DATA_EXTRACTION",
               "generated_media": [{"id": media, "type": "JSON"}]})
    };
    let check = |id: &str, media: &str| json!({"id": id, "type": "LIVENESS", "generated_media": [{"id": media, "type": "IMAGE"}]});
    let doc = json!({
        "resources": {"id_documents": [
            {"id": "d1", "document_type": "passport", "issuing_country": "gbr",
             "tasks": [task("taskabcd-1", "t1"), task("TASKABCD-2", "t2")]},
            {"id": "d2", "document_type": "PASSPORT", "issuing_country": "GBR"},
        ]},
        "checks": [check("zzzzzzzz-1", "c1"), check("ZZZZZZZZ-2", "c2")],
    });
    let hints = hints(&doc);
    assert_eq!(hints.len(), 4);
    assert_distinct_ignoring_case(&hints);
    assert!(
        hints[0].starts_with("id_documents/passport-gbr-1/tasks/"),
        "{hints:?}"
    );
}

#[test]
fn reserved_windows_names_never_appear_as_path_components() {
    let ids = [
        "CON", "con", "nul", "Aux", "PRN", "COM1", "com9", "LPT1", "lpt5", "CON.json", "NUL.x",
    ];
    let faces: Vec<Value> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| face(id, &format!("f{i}")))
        .collect();
    let profiles: Vec<Value> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| json!({"id": id, "media": {"id": format!("p{i}"), "type": "JSON"}}))
        .collect();
    let shares: Vec<Value> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| json!({"id": id, "file": {"media": {"id": format!("s{i}")}}}))
        .collect();
    let doc = json!({"resources": {
        "face_capture": faces, "applicant_profiles": profiles, "share_codes": shares,
        "id_documents": [{"document_type": "CON", "issuing_country": "NUL",
                          "pages": [{"media": {"id": "page"}}]}],
    }});
    let hints = hints(&doc);
    assert_eq!(hints.len(), ids.len() * 3 + 1);
    assert_distinct_ignoring_case(&hints);
    for hint in &hints {
        for component in hint.split('/') {
            assert!(!is_reserved(component), "{component} in {hint}");
        }
    }
    assert!(
        hints.contains(&"face_capture/CON-1/image".to_owned()),
        "{hints:?}"
    );
}

#[test]
fn finished_is_defined_once_by_the_state() {
    for (state, finished) in [
        ("COMPLETED", true),
        ("EXPIRED", true),
        ("ONGOING", false),
        ("SOMETHING_NEW", false),
    ] {
        let doc = json!({"state": state});
        let session = idv_model::parse_session(&serde_json::to_vec(&doc).unwrap()).unwrap();
        assert_eq!(session.is_finished(), finished, "{state}");
        assert_eq!(SessionState::from(state).is_finished(), finished, "{state}");
    }
    assert!(!idv_model::parse_session(b"{}").unwrap().is_finished());
}
