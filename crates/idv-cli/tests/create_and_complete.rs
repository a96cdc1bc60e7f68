//! A session created, completed as its user and read back with `idv` alone:
//! `session create` → `sandbox user add-document | add-liveness | finish` →
//! `session get | wait`, from a specification file and from a preset.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use predicates::prelude::*;
use serde_json::Value;

/// A page image the sandbox accepts as PNG (it checks the signature), with bytes of its own so
/// that the media served back can be compared.
const PAGE_PNG: &[u8] = b"\x89PNG\r\n\x1a\nidv-cli create_and_complete page";

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// `session create --json …` → (session id, client session token).
fn create_json(args: &[&str]) -> (String, String) {
    let out = stdout_of(idv().args(["session", "create", "--json"]).args(args));
    let created: Value = serde_json::from_str(&out).unwrap();
    (
        created["session_id"].as_str().unwrap().to_owned(),
        created["client_session_token"].as_str().unwrap().to_owned(),
    )
}

/// The value after `prefix` on the line that starts with it.
fn line_value<'a>(text: &'a str, prefix: &str) -> &'a str {
    text.lines()
        .find_map(|l| l.strip_prefix(prefix))
        .unwrap_or_else(|| panic!("no line starting with {prefix:?} in:\n{text}"))
}

#[test]
fn a_spec_file_session_is_created_completed_as_the_user_and_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let spec = write(
        dir.path(),
        "spec.json",
        br#"{"client_session_token_ttl": 600,
             "requested_checks": [{"type": "ID_DOCUMENT_AUTHENTICITY", "config": {}},
                                  {"type": "LIVENESS", "config": {"liveness_type": "ZOOM"}}],
             "requested_tasks": [{"type": "ID_DOCUMENT_TEXT_DATA_EXTRACTION",
                                  "config": {"manual_check": "NEVER"}}]}"#,
    );
    let page = write(dir.path(), "page.png", PAGE_PNG);

    // The readable form: the id, and the web-flow URL carrying the token.
    let created = stdout_of(idv().args(["session", "create", "--spec"]).arg(&spec));
    let session_id = line_value(&created, "Session:  ").to_owned();
    let url = line_value(&created, "Web flow: ");
    let prefix = format!(
        "{}/web/index.html?sessionID={session_id}&sessionToken=",
        env().base_url
    );
    let token = url
        .strip_prefix(&prefix)
        .unwrap_or_else(|| panic!("{url} does not start with {prefix}"))
        .to_owned();
    assert!(!token.is_empty());
    assert!(created.contains("token valid for 600 s"), "{created}");

    let user = |args: &[&str]| {
        let mut cmd = idv();
        cmd.args(["sandbox", "user"]).args(args).args([
            session_id.as_str(),
            "--token",
            token.as_str(),
        ]);
        cmd
    };
    let status = stdout_of(&mut user(&["status"]));
    assert!(status.contains(": ONGOING, token valid for"), "{status}");
    assert!(status.contains("ID_DOCUMENT  "), "{status}");
    assert!(status.contains("needed to finish"), "{status}");

    let added = stdout_of(
        user(&["add-document"])
            .args(["--type", "PASSPORT", "--country", "GBR", "--page"])
            .arg(&page),
    );
    assert!(
        added.starts_with("added ID document PASSPORT GBR: resource "),
        "{added}"
    );
    let page_media = line_value(&added, "  media ").to_owned();
    let liveness = stdout_of(user(&["add-liveness"]).args(["--type", "zoom"]));
    assert!(liveness.starts_with("added liveness capture"), "{liveness}");
    let finished = stdout_of(&mut user(&["finish"]));
    assert!(
        finished.contains(&format!("finished session {session_id}: COMPLETED")),
        "{finished}"
    );

    let report = stdout_of(idv().args(["session", "get", &session_id]));
    assert!(report.contains("State:   COMPLETED"), "{report}");
    assert!(
        report.contains("ID_DOCUMENT_AUTHENTICITY  DONE  APPROVE"),
        "{report}"
    );
    assert!(report.contains("LIVENESS  DONE  APPROVE"), "{report}");
    assert!(report.contains("ID_DOCUMENT_TEXT_DATA_CHECK"), "{report}");
    assert!(report.contains("Overall: APPROVE"), "{report}");
    let waited = stdout_of(idv().args(["session", "wait", &session_id, "--interval", "100ms"]));
    assert!(waited.contains("State:   COMPLETED"), "{waited}");

    // The uploaded page is served back byte for byte.
    let saved = dir.path().join("saved.png");
    stdout_of(
        idv()
            .args(["media", "get", &session_id, &page_media, "-o"])
            .arg(&saved),
    );
    assert_eq!(std::fs::read(&saved).unwrap(), PAGE_PNG);

    // The token is gone once the user has finished.
    user(&["status"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("SESSION_COMPLETED"));
}

#[test]
fn a_preset_session_is_completed_with_the_token_from_the_environment() {
    let (session_id, token) = create_json(&["--preset", "document-liveness"]);
    let user = |args: &[&str]| {
        let mut cmd = idv();
        cmd.env("YOTI_CLIENT_SESSION_TOKEN", &token)
            .args(["sandbox", "user"])
            .args(args)
            .arg(&session_id);
        cmd
    };
    stdout_of(user(&["add-document"]).args(["--type", "PASSPORT", "--country", "GBR"]));
    // No --type: the type the session requires (ZOOM for the preset).
    stdout_of(&mut user(&["add-liveness"]));
    stdout_of(user(&["finish"]).args(["--check", "LIVENESS=REJECT"]));

    let report = stdout_of(idv().args(["session", "get", &session_id]));
    assert!(report.contains("State:   COMPLETED"), "{report}");
    assert!(
        report.contains("ID_DOCUMENT_AUTHENTICITY  DONE  APPROVE"),
        "{report}"
    );
    assert!(
        report.contains("ID_DOCUMENT_FACE_MATCH  DONE  APPROVE"),
        "{report}"
    );
    assert!(report.contains("LIVENESS  DONE  REJECT"), "{report}");
    assert!(report.contains("Overall: REJECT"), "{report}");
}

#[test]
fn unknown_keys_are_listed_and_sent_as_they_are() {
    let keys = idv_sandbox::generate_app_keys().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let key_file = write(dir.path(), "key.pem", keys.private_key_pem.as_bytes());
    let app = keys.clone();
    let sandbox = spawn_sandbox_handle(move |b| b.app_keys(&app));
    let spec = br##"{"future_option": {"depth": 3},
                    "sdk_config": {"primary_colour": "#2d9fff", "new_option": true},
                    "requested_checks": [{"type": "LIVENESS",
                                          "config": {"liveness_type": "ZOOM", "shade": 1}}]}"##;
    let output = idv_for(&keys, &key_file, sandbox.base_url())
        .args(["session", "create", "--json", "--spec", "-"])
        .write_stdin(&spec[..])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(
        stderr,
        "unknown key: requested_checks[0].config.shade\nunknown key: sdk_config.new_option\n\
         unknown key: future_option\n"
    );
    let created: Value = serde_json::from_slice(&output.stdout).unwrap();
    let received = sandbox
        .specification(created["session_id"].as_str().unwrap())
        .unwrap();
    let received = serde_json::to_value(&received).unwrap();
    assert_eq!(received, serde_json::from_slice::<Value>(spec).unwrap());
}
