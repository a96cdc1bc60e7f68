//! `idv sandbox config session | app`: response configs read through the model, refused with
//! their JSON paths when invalid, and honoured by the sandbox: an outcome scripted with `idv`
//! shows in `idv session get`'s report.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use predicates::prelude::*;
use serde_json::Value;

const REJECT_AUTHENTICITY: &str = r#"{"check_reports": {"ID_DOCUMENT_AUTHENTICITY": [
    {"result": {"report": {
        "recommendation": {"value": "REJECT", "reason": "NOT_GENUINE"},
        "breakdown": [{"sub_check": "security_features", "result": "FAIL", "details": []}]}}}]}}"#;

const REJECT_LIVENESS: &str = r#"{"check_reports": {"LIVENESS": [
    {"result": {"report": {
        "recommendation": {"value": "REJECT", "reason": "PICTURE_TOO_DARK",
                           "recovery_suggestion": "BETTER_LIGHTING"}}},
     "liveness_type": "ZOOM"}]}}"#;

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// Creates a document-liveness session with `cmd()`, lets `before_user` script it, completes it
/// as the user and returns the report.
fn create_complete_and_report(
    cmd: &dyn Fn() -> assert_cmd::Command,
    before_user: impl FnOnce(&str),
) -> String {
    let out = stdout_of(cmd().args([
        "session",
        "create",
        "--json",
        "--preset",
        "document-liveness",
    ]));
    let created: Value = serde_json::from_str(&out).unwrap();
    let session_id = created["session_id"].as_str().unwrap();
    let token = created["client_session_token"].as_str().unwrap();
    before_user(session_id);
    for args in [
        &["add-document", "--type", "PASSPORT", "--country", "GBR"][..],
        &["add-liveness"][..],
        &["finish"][..],
    ] {
        stdout_of(
            cmd()
                .env("YOTI_CLIENT_SESSION_TOKEN", token)
                .args(["sandbox", "user", args[0], session_id])
                .args(&args[1..]),
        );
    }
    stdout_of(cmd().args(["session", "wait", session_id, "--interval", "100ms"]))
}

#[test]
fn a_reject_set_with_sandbox_config_session_shows_in_session_get() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "reject.json", REJECT_AUTHENTICITY);
    let report = create_complete_and_report(&idv, |session_id| {
        let out = stdout_of(
            idv()
                .args(["sandbox", "config", "session", session_id, "--file"])
                .arg(&file),
        );
        assert_eq!(
            out,
            format!("response config set for session {session_id}\n")
        );
    });
    assert!(
        report.contains("ID_DOCUMENT_AUTHENTICITY  DONE  REJECT"),
        "{report}"
    );
    assert!(report.contains("NOT_GENUINE"), "{report}");
    assert!(report.contains("security_features"), "{report}");
    // Only what was scripted changed.
    assert!(report.contains("LIVENESS  DONE  APPROVE"), "{report}");
    assert!(report.contains("Overall: REJECT"), "{report}");
}

#[test]
fn an_app_config_from_standard_input_scripts_every_new_session_of_the_app() {
    // An app of its own, so that its default reaches no other test's session.
    let keys = idv_sandbox::generate_app_keys().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join("key.pem");
    std::fs::write(&key_file, &keys.private_key_pem).unwrap();
    let app = keys.clone();
    let sandbox = spawn_sandbox_handle(move |b| b.app_keys(&app));
    let base_url = sandbox.base_url().to_owned();
    let cmd = || idv_for(&keys, &key_file, &base_url);

    cmd()
        .args(["sandbox", "config", "app", "--file", "-"])
        .write_stdin(REJECT_LIVENESS)
        .assert()
        .success()
        .stdout(format!(
            "response config set for every session of app {}\n",
            keys.sdk_id
        ));
    let report = create_complete_and_report(&cmd, |_| {});
    assert!(report.contains("LIVENESS  DONE  REJECT"), "{report}");
    assert!(report.contains("PICTURE_TOO_DARK"), "{report}");
    assert!(
        report.contains("ID_DOCUMENT_AUTHENTICITY  DONE  APPROVE"),
        "{report}"
    );
}

#[test]
fn unknown_keys_are_listed_and_the_config_is_still_sent() {
    let out = stdout_of(idv().args(["session", "create", "--json", "--preset", "document"]));
    let created: Value = serde_json::from_str(&out).unwrap();
    let session_id = created["session_id"].as_str().unwrap();
    idv()
        .args(["sandbox", "config", "session", session_id, "--file", "-"])
        .write_stdin(
            r#"{"check_reports": {"ID_DOCUMENT_AUTHENTICITY": [
                   {"result": {"report": {"recommendation": {"value": "APPROVE"}}},
                    "handled_limit": 2}],
                 "async_report_delay": 0},
                "future_section": {}}"#,
        )
        .assert()
        .success()
        .stderr(
            "unknown key: check_reports.ID_DOCUMENT_AUTHENTICITY[0].handled_limit\n\
             unknown key: future_section\n",
        );
}

#[test]
fn invalid_configs_exit_2_with_their_paths_and_send_nothing() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let url = format!("http://{}/idverify/v1", listener.local_addr().unwrap());
    let cases = [
        (
            r#"{"check_reports": {"async_report_delay": "soon"}}"#,
            "standard input: check_reports.async_report_delay: invalid type",
        ),
        (
            r#"{"check_reports": {"async_report_delay": -1,
                "LIVENESS": [{"result": {"report": {"recommendation": {"value": "APPROVE"}}},
                              "response_delay": -2}]}}"#,
            "standard input: invalid response config: check_reports.async_report_delay: must not \
             be negative; check_reports.LIVENESS[0].response_delay: must not be negative",
        ),
        ("not json", "standard input: "),
    ];
    for (body, message) in cases {
        for args in [&["session", "s-1"][..], &["app"][..]] {
            idv()
                .env("YOTI_IDV_API_URL", &url)
                .args(["sandbox", "config"])
                .args(args)
                .args(["--file", "-"])
                .write_stdin(body)
                .assert()
                .code(2)
                .stdout("")
                .stderr(predicate::str::contains(message));
        }
    }
    assert!(
        matches!(listener.accept(), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
        "something connected"
    );
}

#[test]
fn a_config_for_an_unknown_session_is_exit_3() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "reject.json", REJECT_AUTHENTICITY);
    idv()
        .args(["sandbox", "config", "session", "no-such-session", "--file"])
        .arg(&file)
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "session no-such-session not found",
        ));
}
