//! `idv face-capture upload`, `idv ibv put|get|pdf|contact|email` and `idv devices get|delete`
//! end to end: the real binary against the sandbox, on sessions it creates with `idv request`.

mod common;

use common::*;
use idv_cli::terminal_safe::needs_escape;
use predicates::prelude::*;
use serde_json::{Value, json};

/// A base URL where nothing listens: a command that got as far as sending would exit 1.
const NOTHING_LISTENS: &str = "http://127.0.0.1:1/idverify/v1";

/// A 1×1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x04, 0x00, 0x00, 0x00, 0xb5, 0x1c, 0x0c,
    0x02, 0x00, 0x00, 0x00, 0x0b, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0x64, 0x60, 0x00, 0x00,
    0x00, 0x06, 0x00, 0x02, 0x30, 0x81, 0xd0, 0x2f, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44,
    0xae, 0x42, 0x60, 0x82,
];

/// Creates a session from `spec` with `idv request POST /sessions`; returns its id.
fn create(spec: &Value) -> String {
    let out = stdout_of(
        idv()
            .args(["request", "POST", "/sessions", "--body", "-"])
            .write_stdin(spec.to_string()),
    );
    let created: Value = serde_json::from_str(&out).unwrap();
    created["session_id"].as_str().unwrap().to_owned()
}

fn session_json(session_id: &str) -> Value {
    serde_json::from_str(&stdout_of(
        idv().args(["session", "get", session_id, "--json"]),
    ))
    .unwrap()
}

fn face_comparison_spec() -> Value {
    json!({"requested_checks": [
        {"type": "LIVENESS", "config": {"liveness_type": "ZOOM"}},
        {"type": "FACE_COMPARISON", "config": {"manual_check": "NEVER"}}
    ]})
}

#[test]
fn a_face_capture_uploaded_comes_back_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    // Named .jpg, but a PNG: the type comes from the bytes.
    let image = dir.path().join("face.jpg");
    std::fs::write(&image, PNG).unwrap();
    let session_id = create(&face_comparison_spec());
    let out = stdout_of(
        idv()
            .args(["face-capture", "upload", &session_id])
            .arg(&image),
    );
    assert!(out.contains("(image/png, 68 B)"), "{out}");

    let session = session_json(&session_id);
    let captures = session["resources"]["face_capture"].as_array().unwrap();
    assert_eq!(captures.len(), 1, "{session}");
    let resource_id = captures[0]["id"].as_str().unwrap();
    assert!(
        out.contains(&format!("face capture {resource_id} ")),
        "{out}"
    );
    let media_id = captures[0]["image"]["media"]["id"].as_str().unwrap();
    let back = dir.path().join("back.png");
    stdout_of(
        idv()
            .args(["media", "get", &session_id, media_id, "-o"])
            .arg(&back),
    );
    assert_eq!(std::fs::read(&back).unwrap(), PNG);

    // The requirement is met: a second capture for it is refused by the API (exit 1).
    idv()
        .args(["face-capture", "upload", &session_id])
        .arg(&image)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("FACE_CAPTURE"));
}

#[test]
fn a_face_capture_for_a_named_requirement() {
    let dir = tempfile::tempdir().unwrap();
    let image = dir.path().join("face");
    let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0];
    jpeg.extend(std::iter::repeat_n(0x42, 1000));
    std::fs::write(&image, &jpeg).unwrap();
    let session_id = create(&face_comparison_spec());
    let configuration: Value = serde_json::from_str(&stdout_of(idv().args([
        "request",
        "GET",
        &format!("/sessions/{session_id}/configuration"),
    ])))
    .unwrap();
    let requirement = configuration["capture"]["required_resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["type"] == "FACE_CAPTURE")
        .and_then(|r| r["id"].as_str())
        .unwrap()
        .to_owned();
    let out = stdout_of(
        idv()
            .args(["face-capture", "upload", &session_id])
            .arg(&image)
            .args(["--requirement", &requirement]),
    );
    assert!(out.contains("image/jpeg"), "{out}");
    assert!(
        out.contains(&format!("(requirement {requirement})")),
        "{out}"
    );
    let session = session_json(&session_id);
    let media_id = session["resources"]["face_capture"][0]["image"]["media"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let back = idv()
        .args(["media", "get", &session_id, &media_id, "-o", "-"])
        .output()
        .unwrap();
    assert_eq!(back.stdout, jpeg);

    // An unknown requirement: the API's 400, exit 1.
    let other = create(&face_comparison_spec());
    idv()
        .args(["face-capture", "upload", &other])
        .arg(&image)
        .args(["--requirement", "not-a-requirement"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("400"));
}

#[test]
fn files_that_are_not_images_are_refused_before_sending() {
    let dir = tempfile::tempdir().unwrap();
    let gif = dir.path().join("face.png");
    std::fs::write(&gif, b"GIF89a\x01\x00\x01\x00").unwrap();
    idv()
        .args([
            "--base-url",
            NOTHING_LISTENS,
            "face-capture",
            "upload",
            "s-1",
        ])
        .arg(&gif)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("neither a JPEG nor a PNG"));
    idv()
        .args([
            "--base-url",
            NOTHING_LISTENS,
            "face-capture",
            "upload",
            "s-1",
        ])
        .arg(dir.path().join("missing.png"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("missing.png"));
    idv()
        .args([
            "--base-url",
            NOTHING_LISTENS,
            "face-capture",
            "upload",
            "s/1",
        ])
        .arg(&gif)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("session id"));
}

fn ibv_spec() -> Value {
    json!({
        "requested_checks": [{"type": "IBV_VISUAL_REVIEW_CHECK", "config": {"manual_check": "IBV"}}],
        "ibv_options": {"support": "MANDATORY"}
    })
}

fn instructions() -> Value {
    json!({
        "contact_profile": {"first_name": "Zoë", "last_name": "Specimen",
                            "email": "zoe@example.com"},
        "documents": [
            {"requirement_id": "req-1",
             "document": {"type": "ID_DOCUMENT", "country_code": "GBR",
                          "document_type": "PASSPORT"}},
            {"requirement_id": "req-2",
             "document": {"type": "A_FUTURE_KIND", "country_code": "GBR",
                          "document_type": "UTILITY_BILL"}}
        ],
        "branch": {
            "type": "UK_POST_OFFICE", "fad_code": "1234567", "name": "Ludgate Circus",
            "address": "1 Ludgate Circus, London", "post_code": "EC4M 7LQ",
            "location": {"latitude": 51.5138, "longitude": -0.1043},
            "opening_hours": "a field this version does not know"
        }
    })
}

#[test]
fn in_branch_instructions_put_get_pdf_contact_and_email() {
    let dir = tempfile::tempdir().unwrap();
    let session_id = create(&ibv_spec());
    // Nothing yet: the PDF is a 204, the instructions a 404 that is not "session not found".
    let output = idv()
        .current_dir(dir.path())
        .args(["ibv", "pdf", &session_id, "-o", "none.pdf"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stderr).contains("no instructions PDF (204)"));
    assert!(files_under(dir.path()).is_empty());
    idv()
        .args(["ibv", "get", &session_id])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("404 INSTRUCTIONS_NOT_FOUND"));

    let file = dir.path().join("instructions.json");
    std::fs::write(&file, instructions().to_string()).unwrap();
    let out = stdout_of(idv().args(["ibv", "put", &session_id, "--file"]).arg(&file));
    assert!(out.contains("(2 documents)"), "{out}");

    let shown = stdout_of(idv().args(["ibv", "get", &session_id]));
    for expected in [
        "Branch:    Ludgate Circus (UK_POST_OFFICE)",
        "Address:   1 Ludgate Circus, London, EC4M 7LQ",
        "FAD code:  1234567",
        "Location:  51.5138, -0.1043",
        "ID_DOCUMENT PASSPORT GBR (requirement req-1)",
        "A_FUTURE_KIND UTILITY_BILL GBR (requirement req-2)",
        "Contact:   yes",
    ] {
        assert!(
            shown.contains(expected),
            "{expected} missing from:\n{shown}"
        );
    }
    // As JSON: every field, the unknown ones included.
    let got: Value = serde_json::from_str(&stdout_of(idv().args([
        "ibv",
        "get",
        &session_id,
        "--json",
    ])))
    .unwrap();
    assert_eq!(got["contact_profile_exists"], true);
    assert_eq!(got["branch"], instructions()["branch"]);
    assert_eq!(got["documents"], instructions()["documents"]);

    let contact = stdout_of(idv().args(["ibv", "contact", &session_id]));
    assert_eq!(contact, "Name:  Zoë Specimen\nEmail: zoe@example.com\n");
    let contact: Value = serde_json::from_str(&stdout_of(idv().args([
        "ibv",
        "contact",
        &session_id,
        "--json",
    ])))
    .unwrap();
    assert_eq!(contact, instructions()["contact_profile"]);

    let pdf = dir.path().join("out/instructions.pdf");
    std::fs::create_dir(dir.path().join("out")).unwrap();
    let out = stdout_of(idv().args(["ibv", "pdf", &session_id, "-o"]).arg(&pdf));
    assert!(out.contains("application/pdf"), "{out}");
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"), "not a PDF");
    assert!(
        String::from_utf8_lossy(&bytes).contains("Ludgate Circus"),
        "the PDF does not name the branch"
    );
    assert_eq!(files_under(&dir.path().join("out")), ["instructions.pdf"]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&pdf).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    let piped = idv()
        .args(["ibv", "pdf", &session_id, "-o", "-"])
        .output()
        .unwrap();
    assert_eq!(piped.stdout, bytes);

    let out = stdout_of(idv().args(["ibv", "email", &session_id]));
    assert!(out.contains("asked the API to email"), "{out}");
}

#[test]
fn instructions_that_do_not_fit_the_model_are_refused_before_sending() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.json");
    std::fs::write(&file, r#"{"branch": {"location": {"latitude": "north"}}}"#).unwrap();
    idv()
        .args(["--base-url", NOTHING_LISTENS, "ibv", "put", "s-1", "--file"])
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("branch.location.latitude"));
    idv()
        .args([
            "--base-url",
            NOTHING_LISTENS,
            "ibv",
            "put",
            "s-1",
            "--file",
            "-",
        ])
        .write_stdin("not json")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("stdin"));
    // A staged session takes no instructions: the API's refusal, exit 1.
    let file = dir.path().join("instructions.json");
    std::fs::write(&file, instructions().to_string()).unwrap();
    idv()
        .args(["ibv", "put", "s-get", "--file"])
        .arg(&file)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("STAGED_SESSION"));
}

#[test]
fn tracked_devices_are_listed_then_deleted() {
    let session_id = create(&face_comparison_spec());
    let shown = stdout_of(idv().args(["devices", "get", &session_id]));
    let lines: Vec<&str> = shown.lines().collect();
    assert_eq!(lines.len(), 2, "{shown}");
    // The SESSION_CREATED event, with what the sandbox read of `idv`'s request: its address
    // and its User-Agent's product token.
    assert!(lines[0].contains("  SESSION_CREATED  "), "{shown}");
    assert!(lines[0].contains("idv-rs"), "{shown}");
    assert!(lines[0].contains("127.0.0.1"), "{shown}");
    assert_eq!(lines[1], "1 event");
    assert!(!shown.chars().any(|c| c != '\n' && needs_escape(c)));

    let events: Value = serde_json::from_str(&stdout_of(idv().args([
        "devices",
        "get",
        &session_id,
        "--json",
    ])))
    .unwrap();
    let events = events.as_array().unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["event"], "SESSION_CREATED");
    assert_eq!(events[0]["device"]["ip_address"], "127.0.0.1");

    let out = stdout_of(idv().args(["devices", "delete", &session_id]));
    assert_eq!(
        out,
        format!("deleted the tracked devices of session {session_id}\n")
    );
    let shown = stdout_of(idv().args(["devices", "get", &session_id]));
    assert_eq!(shown, "no tracked device events\n");

    // An unknown session: not found (exit 3).
    idv()
        .args(["devices", "get", "no-such-session"])
        .assert()
        .code(3);
}
