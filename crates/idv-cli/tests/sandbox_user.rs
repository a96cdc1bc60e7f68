//! `idv sandbox user …` refusals and their exit codes: a wrong token, an unknown session,
//! finishing too early, bad files and settings.

mod common;

use common::*;
use predicates::prelude::*;
use serde_json::Value;

/// A created session (document and liveness preset) → (id, token).
fn created() -> (String, String) {
    let out = stdout_of(idv().args([
        "session",
        "create",
        "--json",
        "--preset",
        "document-liveness",
    ]));
    let created: Value = serde_json::from_str(&out).unwrap();
    (
        created["session_id"].as_str().unwrap().to_owned(),
        created["client_session_token"].as_str().unwrap().to_owned(),
    )
}

#[test]
fn a_wrong_token_is_exit_1_and_an_unknown_session_exit_3() {
    let (session_id, _) = created();
    idv()
        .args([
            "sandbox",
            "user",
            "status",
            &session_id,
            "--token",
            "not-the-token",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("401 INVALID_SESSION_TOKEN"));
    idv()
        .args([
            "sandbox",
            "user",
            "status",
            "no-such-session",
            "--token",
            "t",
        ])
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "session no-such-session not found",
        ));
}

#[test]
fn finishing_before_the_requirements_are_met_is_refused() {
    let (session_id, token) = created();
    idv()
        .env("YOTI_CLIENT_SESSION_TOKEN", &token)
        .args(["sandbox", "user", "finish", &session_id])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("409 REQUIREMENTS_NOT_MET"));
    // A document type the session does not accept: the sandbox names the property.
    idv()
        .env("YOTI_CLIENT_SESSION_TOKEN", &token)
        .args(["sandbox", "user", "add-document", &session_id])
        .args(["--type", "PASSPORT", "--country", "XXX"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("400 PAYLOAD_VALIDATION"));
}

#[test]
fn bad_input_and_settings_are_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let gif = dir.path().join("page.gif");
    std::fs::write(&gif, b"GIF89a").unwrap();
    let user = |args: &[&str]| {
        let mut cmd = idv();
        cmd.env_remove("YOTI_CLIENT_SESSION_TOKEN")
            .args(["sandbox", "user"])
            .args(args);
        cmd
    };
    user(&[
        "add-document",
        "s",
        "--token",
        "t",
        "--type",
        "PASSPORT",
        "--country",
        "GBR",
        "--page",
    ])
    .arg(&gif)
    .assert()
    .code(2)
    .stderr(predicate::str::contains(
        "page.gif: the extension must be .jpg, .jpeg or .png",
    ));
    // No token at all.
    user(&["status", "s"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--token"));
    // A malformed session id never reaches the server.
    user(&["status", "../x", "--token", "t"]).assert().code(2);
    // https needs the sandbox's CA; the default (production) base URL is not a sandbox.
    bare_idv()
        .args(["sandbox", "user", "status", "s", "--token", "t"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("the local sandbox only"));
    // Nothing listening: exit 1 naming the address.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    bare_idv()
        .args([
            "--base-url",
            &format!("http://127.0.0.1:{port}/idverify/v1"),
        ])
        .args(["sandbox", "user", "status", "s", "--token", "t"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!(
            "connection refused to 127.0.0.1:{port}"
        )));
}
