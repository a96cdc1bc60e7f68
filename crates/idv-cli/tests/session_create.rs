//! `idv session create` without a session being created: `--dry-run`'s body (byte for byte
//! what the client serialises, and nothing sent), the presets' bodies, and specifications
//! refused with the JSON path of each problem.

mod common;

use std::net::TcpListener;
use std::path::{Path, PathBuf};

use common::*;
use idv_model::spec::SessionSpec;
use predicates::prelude::*;
use serde_json::{Value, json};

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// A loopback listener that nobody should connect to, and the base URL pointing at it.
fn silent_server() -> (TcpListener, String) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let url = format!("http://{}/idverify/v1", listener.local_addr().unwrap());
    (listener, url)
}

/// Fails if anything connected to the listener.
fn assert_nothing_sent(listener: &TcpListener) {
    match listener.accept() {
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
        other => panic!("something connected: {other:?}"),
    }
}

/// `idv` with credentials, aimed at `base_url`.
fn idv_at(base_url: &str) -> assert_cmd::Command {
    let mut cmd = idv();
    cmd.env("YOTI_IDV_API_URL", base_url);
    cmd
}

/// A specification with keys and values the model does not know, a `null`, and keys in an
/// order of their own.
const SPEC: &[u8] = br##"{
    "sdk_config": {"primary_colour": "#2d9fff", "new_option": true, "allow_handoff": false},
    "requested_checks": [{"type": "LIVENESS", "config": {"max_retries": 1, "liveness_type": "ZOOM"}},
                         {"type": "FUTURE_CHECK", "config": {"depth": 3}}],
    "client_session_token_ttl": 600,
    "future_option": null
}"##;

#[test]
fn dry_run_prints_the_exact_body_and_sends_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let spec_file = write(dir.path(), "spec.json", SPEC);
    let (listener, url) = silent_server();
    // No credentials at all: a dry run needs none.
    let output = bare_idv()
        .args([
            "--base-url",
            &url,
            "session",
            "create",
            "--dry-run",
            "--spec",
        ])
        .arg(&spec_file)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let expected = serde_json::to_vec(&SessionSpec::from_slice(SPEC).unwrap()).unwrap();
    assert_eq!(output.stdout, expected);
    let stderr = String::from_utf8(output.stderr).unwrap();
    for line in [
        "unknown key: future_option",
        "unknown key: requested_checks[1].config.depth",
        "unknown key: sdk_config.new_option",
        "unknown value: requested_checks[1].type",
        &format!("dry run: nothing sent; this is the body of POST {url}/sessions"),
    ] {
        assert!(stderr.contains(line), "{line:?} missing from:\n{stderr}");
    }
    assert_nothing_sent(&listener);

    // The same from standard input, with credentials configured: still nothing sent.
    let from_stdin = idv_at(&url)
        .args(["session", "create", "--dry-run", "--spec", "-"])
        .write_stdin(SPEC)
        .output()
        .unwrap();
    assert!(from_stdin.status.success(), "{from_stdin:?}");
    assert_eq!(from_stdin.stdout, expected);
    assert_nothing_sent(&listener);
}

#[test]
fn a_preset_dry_run_is_a_valid_specification_written_as_the_client_writes_it() {
    let (listener, url) = silent_server();
    let body = bare_idv()
        .env("YOTI_NOTIFICATION_AUTH_TOKEN", "user:s3cret")
        .args(["--base-url", &url, "session", "create", "--dry-run"])
        .args(["--preset", "document-liveness", "--liveness", "static"])
        .args(["--user-tracking-id", "user-4711", "--token-ttl", "900"])
        .args([
            "--notify-endpoint",
            "https://example.com/yoti",
            "--notify-auth",
            "basic",
        ])
        .args([
            "--notify-topic",
            "check-completion",
            "--notify-topic",
            "session-completion",
        ])
        .output()
        .unwrap();
    assert!(body.status.success(), "{body:?}");
    let spec = SessionSpec::from_slice(&body.stdout).unwrap();
    assert_eq!(serde_json::to_vec(&spec).unwrap(), body.stdout);
    assert!(spec.validate().is_ok() && spec.unknown_keys().is_empty());
    let json: Value = serde_json::from_slice(&body.stdout).unwrap();
    let checks: Vec<&str> = json["requested_checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        checks,
        [
            "ID_DOCUMENT_AUTHENTICITY",
            "LIVENESS",
            "ID_DOCUMENT_FACE_MATCH"
        ]
    );
    assert_eq!(
        json["requested_checks"][1]["config"]["liveness_type"],
        "STATIC"
    );
    assert_eq!(
        json["requested_tasks"][0]["type"],
        "ID_DOCUMENT_TEXT_DATA_EXTRACTION"
    );
    assert_eq!(json["client_session_token_ttl"], 900);
    assert_eq!(json["user_tracking_id"], "user-4711");
    assert_eq!(
        json["notifications"],
        json!({"endpoint": "https://example.com/yoti", "auth_type": "BASIC",
               "auth_token": "user:s3cret", "topics": ["CHECK_COMPLETION", "SESSION_COMPLETION"]})
    );
    assert_nothing_sent(&listener);

    let ibv = bare_idv()
        .args([
            "--base-url",
            &url,
            "session",
            "create",
            "--dry-run",
            "--preset",
            "ibv",
        ])
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&ibv.stdout).unwrap();
    assert_eq!(json["ibv_options"], json!({"support": "MANDATORY"}));
    assert_nothing_sent(&listener);
}

#[test]
fn a_notification_scheme_without_a_token_is_refused() {
    let (listener, url) = silent_server();
    idv_at(&url)
        .env_remove("YOTI_NOTIFICATION_AUTH_TOKEN")
        .args(["session", "create", "--preset", "document"])
        .args([
            "--notify-endpoint",
            "https://example.com/yoti",
            "--notify-auth",
            "bearer",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--notify-auth needs a token: pass --notify-token or set YOTI_NOTIFICATION_AUTH_TOKEN",
        ));
    idv_at(&url)
        .args(["session", "create", "--preset", "document", "--token-ttl=0"])
        .args(["--notify-endpoint", "ftp://example.com"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("client_session_token_ttl: must be greater than zero")
                .and(predicate::str::contains("notifications.endpoint")),
        );
    assert_nothing_sent(&listener);
}

#[test]
fn bad_specifications_exit_2_with_the_json_path_and_send_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (listener, url) = silent_server();
    let cases: [(&str, &[u8], &str); 4] = [
        (
            "shape.json",
            br#"{"requested_checks": [{"type": "LIVENESS", "config": {"liveness_type": 7}}]}"#,
            "shape.json: requested_checks[0].config.liveness_type: invalid type",
        ),
        (
            "rules.json",
            br#"{"client_session_token_ttl": 0, "sdk_config": {"primary_colour": "blue"}}"#,
            "rules.json: invalid session specification: client_session_token_ttl: must be \
             greater than zero; sdk_config.primary_colour: must be a hex colour code",
        ),
        (
            "notify.json",
            br#"{"notifications": {"endpoint": "https://example.com/n", "auth_type": "BEARER"}}"#,
            "notifications.auth_token: required when auth_type is set",
        ),
        ("text.json", b"requested_checks: []", "text.json: "),
    ];
    for (name, body, message) in cases {
        let path = write(dir.path(), name, body);
        for dry_run in [false, true] {
            let mut cmd = idv_at(&url);
            cmd.args(["session", "create", "--spec"]).arg(&path);
            if dry_run {
                cmd.arg("--dry-run");
            }
            cmd.assert()
                .code(2)
                .stdout("")
                .stderr(predicate::str::contains(message));
        }
    }
    idv_at(&url)
        .args(["session", "create", "--spec", "/no/such/spec.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot read /no/such/spec.json"));
    // --spec or --preset, not both, not neither.
    idv_at(&url).args(["session", "create"]).assert().code(2);
    idv_at(&url)
        .args(["session", "create", "--preset", "ibv", "--spec", "x.json"])
        .assert()
        .code(2);
    assert_nothing_sent(&listener);
}

#[test]
fn create_help_has_examples_and_says_the_url_carries_the_token() {
    let help = stdout_of(bare_idv().args(["session", "create", "--help"]));
    assert!(
        help.contains("idv session create --preset document-liveness"),
        "{help}"
    );
    assert!(
        help.contains("client session token (its sessionToken parameter)"),
        "{help}"
    );
    assert!(help.contains("--dry-run"), "{help}");
}
