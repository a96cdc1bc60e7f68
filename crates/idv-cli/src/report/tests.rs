//! The report's tests: the product-page fixtures, verdicts, every committed fixture, colour, and
//! hostile server text.

use idv_model::Session;
use proptest::prelude::*;

use super::*;
use crate::style::STYLE_SEQUENCES;
use crate::terminal_safe::needs_escape;

const COMPLETED: &str =
    include_str!("../../../idv-sandbox/fixtures/sessions/product-page-5-completed.json");
const CREATED: &str =
    include_str!("../../../idv-sandbox/fixtures/sessions/product-page-1-created.json");

fn parse(text: &str) -> Session {
    idv_model::parse_session(text.as_bytes()).unwrap()
}

#[test]
fn completed_product_page_session() {
    let report = render_report(&parse(COMPLETED), false);
    assert!(
        report.starts_with("Session 1c3cae90-1769-43a9-8554-d85f2e7cdb0f\nState:   COMPLETED\n"),
        "{report}"
    );
    assert!(report.contains("Resources (4)"), "{report}");
    assert!(
        report.contains("ID document DRIVING_LICENCE GBR  source IBV  2 pages"),
        "{report}"
    );
    assert!(
        report.contains("ID document PASSPORT GBR  source IBV  1 page\n"),
        "{report}"
    );
    assert!(
        report.contains("supplementary document UTILITY_BILL GBR  source IBV  1 page"),
        "{report}"
    );
    assert!(
        report.contains("applicant profile  source RELYING_BUSINESS"),
        "{report}"
    );
    // Media ids with where they sit.
    assert!(
        report.contains("page-1/frame-3  c8aa83c5-0292-4b4b-9f37-46b6bdca1856  IMAGE"),
        "{report}"
    );
    assert!(
        report.contains("page-1/media    ced2e1fa-3fe6-4aa6-9c45-4b3a71e804c8  IMAGE"),
        "{report}"
    );
    assert!(report.contains("Checks (9)"), "{report}");
    assert!(
        report.contains("DOCUMENT_SCHEME_VALIDITY_CHECK  DONE  APPROVE  scheme UK_DBS"),
        "{report}"
    );
    assert!(
        report.contains("resources used: PASSPORT GBR (3332241d), applicant profile ("),
        "{report}"
    );
    assert!(report.contains("breakdown: none"), "{report}");
    assert!(report.contains(
        "used by: IBV_VISUAL_REVIEW_CHECK, DOCUMENT_SCHEME_VALIDITY_CHECK, PROFILE_DOCUMENT_MATCH"
    ), "{report}");
    assert!(
        report.contains("resources used: PASSPORT GBR (3332241d), applicant profile (9ab4729c)"),
        "{report}"
    );
    assert!(
        report.contains("used by: PROFILE_DOCUMENT_MATCH x3\n"),
        "{report}"
    );
    assert!(
        report.contains("media  d609734c-e444-4c97-8211-6a3fe81e64e2  JSON"),
        "{report}"
    );
    assert!(
        report
            .trim_end()
            .ends_with("Overall: APPROVE — all 9 checks are DONE and recommend APPROVE"),
        "{report}"
    );
    assert!(!report.contains('\x1b'));
}

#[test]
fn created_session_is_pending() {
    let session = parse(CREATED);
    assert_eq!(Verdict::of(&session), Verdict::Pending);
    let report = render_report(&session, false);
    assert!(report.contains("State:   ONGOING"), "{report}");
    assert!(report.contains("Checks (0)\n  none yet"), "{report}");
    assert!(
        report.contains("Overall: PENDING — the session is ONGOING; 0 checks so far"),
        "{report}"
    );
}

#[test]
fn reject_reason_and_breakdown_are_shown() {
    let json = r#"{
        "session_id": "s1", "state": "COMPLETED",
        "resources": {"id_documents": [{"id": "doc-1", "document_type": "PASSPORT",
            "issuing_country": "FRA", "pages": [], "tasks": [
                {"type": "ID_DOCUMENT_TEXT_DATA_EXTRACTION", "state": "DONE"}]}]},
        "checks": [
          {"id": "c1", "type": "ID_DOCUMENT_AUTHENTICITY", "state": "DONE",
           "resources_used": ["doc-1"],
           "report": {"recommendation": {"value": "REJECT", "reason": "PICTURE_TOO_DARK",
                      "recovery_suggestion": "BETTER_LIGHTING"},
                      "breakdown": [{"sub_check": "document_in_date", "result": "FAIL",
                         "details": [{"name": "expiry", "value": "2001-01-01"}]}]}},
          {"id": "c2", "type": "LIVENESS", "state": "DONE",
           "report": {"recommendation": {"value": "APPROVE"}, "breakdown": []}}
        ]}"#;
    let session = parse(json);
    assert_eq!(Verdict::of(&session), Verdict::Reject);
    let report = render_report(&session, false);
    assert!(
        report.contains("ID_DOCUMENT_AUTHENTICITY  DONE  REJECT"),
        "{report}"
    );
    assert!(
        report.contains("reason: PICTURE_TOO_DARK (suggestion: BETTER_LIGHTING)"),
        "{report}"
    );
    assert!(
        report.contains("document_in_date  FAIL  (expiry=2001-01-01)"),
        "{report}"
    );
    assert!(
        report.contains("resources used: PASSPORT FRA (doc-1)"),
        "{report}"
    );
    assert!(
        report.contains("task ID_DOCUMENT_TEXT_DATA_EXTRACTION DONE"),
        "{report}"
    );
    assert!(
        report.contains("Overall: REJECT — 1 of 2 checks recommend REJECT"),
        "{report}"
    );
}

#[test]
fn consider_or_unknown_values_need_review() {
    let json = r#"{"session_id": "s", "state": "COMPLETED", "checks": [
        {"type": "LIVENESS", "state": "DONE", "report": {"recommendation": {"value": "CONSIDER"}}},
        {"type": "FUTURE_CHECK", "state": "PENDING", "report": {"recommendation": {"value": "MAYBE"}}}]}"#;
    let session = parse(json);
    assert_eq!(Verdict::of(&session), Verdict::Review);
    let report = render_report(&session, false);
    assert!(report.contains("FUTURE_CHECK  PENDING  MAYBE"), "{report}");
    assert!(
        report.contains(
            "Overall: REVIEW — a person should review: 1 CONSIDER, 1 MAYBE; not every check is DONE"
        ),
        "{report}"
    );
}

#[test]
fn media_of_resources_and_checks_without_ids_are_listed() {
    let json = r#"{"state": "COMPLETED",
        "resources": {"id_documents": [
            {"document_type": "PASSPORT", "issuing_country": "GBR",
             "pages": [{"media": {"id": "page-media-1", "type": "IMAGE"}}]},
            {"document_type": "DRIVING_LICENCE", "issuing_country": "GBR",
             "pages": [{"media": {"id": "page-media-2", "type": "IMAGE"}}]}]},
        "checks": [{"type": "LIVENESS", "state": "DONE",
                    "generated_media": [{"id": "generated-1", "type": "JSON"}],
                    "report": {"recommendation": {"value": "APPROVE"}}}]}"#;
    let report = render_report(&parse(json), false);
    let passport = report.find("ID document PASSPORT").unwrap();
    let licence = report.find("ID document DRIVING_LICENCE").unwrap();
    let first = report.find("page-media-1").unwrap();
    let second = report.find("page-media-2").unwrap();
    assert!(
        passport < first && first < licence && licence < second,
        "{report}"
    );
    let check = report.find("LIVENESS  DONE").unwrap();
    assert!(
        report.find("generated_media-1  generated-1  JSON").unwrap() > check,
        "{report}"
    );
    assert!(report.contains("Session (no session id)"), "{report}");
}

#[test]
fn finished_without_checks() {
    let session = parse(r#"{"session_id": "s", "state": "EXPIRED"}"#);
    assert_eq!(Verdict::of(&session), Verdict::NoChecks);
    assert!(render_report(&session, false).contains("Resources (0)\n  none yet"));
}

#[test]
fn colour_only_when_asked() {
    let session = parse(COMPLETED);
    let plain = render_report(&session, false);
    let coloured = render_report(&session, true);
    assert!(coloured.contains("\x1b[32mAPPROVE\x1b[0m"));
    let stripped = strip_ansi(&coloured);
    assert_eq!(stripped, plain);
}

/// Every committed session fixture: each media id and each check type shows in the report.
#[test]
fn every_fixture_lists_all_its_media_and_checks() {
    let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    // The workspace's session fixtures, and the product page's (kept in the sandbox crate).
    let mut dirs = vec![
        manifest.join("../../fixtures/sessions"),
        manifest.join("../idv-sandbox/fixtures/sessions"),
    ];
    let mut seen = 0;
    let mut with_token = 0;
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "json") {
                continue;
            }
            let bytes = std::fs::read(&path).unwrap();
            let Ok(session) = idv_model::parse_session(&bytes) else {
                continue;
            };
            seen += 1;
            let report = render_report(&session, false);
            for media in session.media_refs() {
                assert!(
                    report.contains(media.media_id),
                    "{}: {}",
                    path.display(),
                    media.media_id
                );
            }
            for check in &session.checks {
                let ty = check
                    .check_type
                    .as_ref()
                    .map_or("(unknown type)", |t| t.as_str());
                assert!(report.contains(ty), "{}: {ty}", path.display());
            }
            assert!(report.contains("Overall: "), "{}", path.display());
            // The client session token is a secret: only its TTL may be shown.
            if let Some(token) = &session.client_session_token {
                with_token += 1;
                assert!(
                    !report.contains(token.expose_secret()),
                    "{}: the client session token is in the report",
                    path.display()
                );
            }
        }
    }
    assert!(seen >= 12, "only {seen} fixtures parsed");
    assert!(with_token >= 1, "no fixture has a client session token");
}

fn strip_ansi(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for d in chars.by_ref() {
                if d == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// What a report may contain besides printable text: line breaks, and with colour the style
/// codes `paint` writes. Returns the first other control character, if any.
fn foreign_control(report: &str) -> Option<char> {
    let mut rest = report.to_owned();
    for sequence in STYLE_SEQUENCES {
        rest = rest.replace(sequence, "");
    }
    rest.chars().find(|&c| c != '\n' && needs_escape(c))
}

const HOSTILE: &str = "s\u{1b}]0;pwned\u{7}\u{1b}[2J";

#[test]
fn hostile_server_text_is_escaped_everywhere() {
    let json = serde_json::json!({
        "session_id": HOSTILE, "state": "COMPLETED",
        "resources": {"id_documents": [{
            "id": "d1\u{202e}", "document_type": format!("PASSPORT{HOSTILE}"),
            "issuing_country": "GBR\r\nOverall: APPROVE", "source": {"type": "IBV\u{9b}"},
            "pages": [{"media": {"id": format!("m{HOSTILE}"), "type": "IMAGE\u{7}"}}],
            "tasks": [{"type": "T\u{1b}", "state": "DONE\u{1b}"}]}]},
        "checks": [{
            "id": "c\u{1b}", "type": "LIVENESS\u{1b}[31m", "state": "DONE\u{2066}",
            "scheme": "UK\u{1b}", "resources_used": ["d1\u{202e}", "gone\u{1b}"],
            "generated_media": [{"id": "g\u{1b}", "type": "JSON"}],
            "report": {"recommendation": {"value": "MAYBE\u{1b}", "reason": HOSTILE,
                                          "recovery_suggestion": "\u{1b}[1A"},
                       "breakdown": [{"sub_check": "x\u{1b}", "result": "PASS\u{1b}",
                                      "process": "AUTO\u{1b}",
                                      "details": [{"name": "n\u{1b}", "value": "\nOverall: APPROVE"}]}]}}],
        "import_token": {"media": {"id": "i\u{1b}"}}
    });
    let session: Session = idv_model::from_slice(json.to_string().as_bytes()).unwrap();
    for color in [false, true] {
        let report = render_report(&session, color);
        assert_eq!(foreign_control(&report), None, "{report}");
        let overall = report.lines().filter(|l| l.starts_with("Overall:")).count();
        let painted_overall = report
            .lines()
            .filter(|l| l.starts_with("\x1b[1mOverall:"))
            .count();
        assert_eq!(overall + painted_overall, 1, "{report}");
        if !color {
            assert!(
                report.starts_with("Session s\\u{1b}]0;pwned\\u{7}\\u{1b}[2J\n"),
                "{report}"
            );
            assert!(report.contains("reason: s\\u{1b}]0;pwned"), "{report}");
            assert!(
                report.contains("GBR\\u{d}\\u{a}Overall: APPROVE"),
                "{report}"
            );
            assert!(
                report.contains("(n\\u{1b}=\\u{a}Overall: APPROVE)"),
                "{report}"
            );
            assert!(
                report.contains("gone\\u{1b} (not in this session)"),
                "{report}"
            );
            assert!(report.contains("1 MAYBE\\u{1b}"), "{report}");
        }
    }
    let session = parse(r#"{"state": "ONGOING\u001b[2J"}"#);
    let report = render_report(&session, false);
    assert!(report.contains("State:   ONGOING\\u{1b}[2J\n"), "{report}");
    assert!(
        report.contains("Overall: PENDING — the session is ONGOING\\u{1b}[2J;"),
        "{report}"
    );
}

#[test]
fn a_check_listing_a_resource_twice_uses_it_once() {
    let session = parse(
        r#"{"state": "COMPLETED", "resources": {"face_capture": [{"id": "f1"}]},
            "checks": [{"type": "FACE_COMPARISON", "resources_used": ["f1", "f1"]},
                       {"type": "LIVENESS", "resources_used": ["f1"]},
                       {"type": "FACE_COMPARISON", "resources_used": ["f1"]}]}"#,
    );
    let report = render_report(&session, false);
    assert!(
        report.contains("used by: FACE_COMPARISON x2, LIVENESS\n"),
        "{report}"
    );
}

/// Every string of `value` replaced by the next of `strings` (cycling).
fn replace_strings(value: &mut serde_json::Value, strings: &[String], next: &mut usize) {
    match value {
        serde_json::Value::String(s) => {
            *s = strings[*next % strings.len()].clone();
            *next += 1;
        }
        serde_json::Value::Array(items) => {
            for item in items {
                replace_strings(item, strings, next);
            }
        }
        serde_json::Value::Object(map) => {
            for (_, item) in map.iter_mut() {
                replace_strings(item, strings, next);
            }
        }
        _ => {}
    }
}

fn hostile_string() -> impl Strategy<Value = String> {
    let c = prop_oneof![
        any::<char>(),
        (0u32..0x20).prop_map(|n| char::from_u32(n).unwrap_or('?')),
        (0x7fu32..0xa0).prop_map(|n| char::from_u32(n).unwrap_or('?')),
        prop::sample::select(vec![
            '\u{202e}', '\u{2066}', '\u{2069}', '\u{200f}', '\u{61c}'
        ]),
        Just('['),
        Just('A'),
    ];
    prop::collection::vec(c, 0..12).prop_map(|cs| cs.into_iter().collect())
}

proptest! {
    /// Every string of the completed product-page session (ids, types, states, reasons,
    /// details…) replaced by hostile text: no control character of the server's reaches the
    /// report, and the verdict line cannot be forged.
    #[test]
    fn prop_hostile_strings_never_reach_the_terminal(
        strings in prop::collection::vec(hostile_string(), 1..16),
        color in any::<bool>(),
    ) {
        let mut value: serde_json::Value = serde_json::from_str(COMPLETED).unwrap();
        replace_strings(&mut value, &strings, &mut 0);
        let session: Session = idv_model::from_slice(value.to_string().as_bytes()).unwrap();
        let report = render_report(&session, color);
        prop_assert_eq!(foreign_control(&report), None);
        let plain = strip_ansi(&report);
        prop_assert_eq!(plain.lines().filter(|l| l.starts_with("Overall:")).count(), 1);
    }
}
