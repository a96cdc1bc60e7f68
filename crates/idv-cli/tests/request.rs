//! `idv request METHOD PATH`: any endpoint by hand against the sandbox, which verifies every
//! signature (body included): the body on stdout byte for byte, the head on stderr, queries and
//! bodies, API errors (exit 1, terminal-safe), usage errors before anything is sent (exit 2),
//! binary bodies to pipes and files but not to terminals, and `--idempotent` retries.

mod common;

use common::*;
use idv_cli::terminal_safe::needs_escape;
use idv_sandbox::{Fault, Route, Sandbox};
use predicates::prelude::*;

/// A base URL where nothing listens: a command that got as far as sending would exit 1.
const NOTHING_LISTENS: &str = "http://127.0.0.1:1/idverify/v1";

/// Control characters `idv` did not write itself (line breaks and a terminal's CRs aside).
fn foreign_control(text: &str) -> Option<char> {
    text.replace("\r\n", "\n")
        .chars()
        .find(|&c| c != '\n' && needs_escape(c))
}

fn spec() -> serde_json::Value {
    serde_json::json!({
        "requested_checks": [{"type": "ID_DOCUMENT_AUTHENTICITY", "config": {}}],
        "requested_tasks": [{"type": "ID_DOCUMENT_TEXT_DATA_EXTRACTION",
                             "config": {"manual_check": "NEVER"}}]
    })
}

#[test]
fn get_prints_the_body_byte_for_byte_and_the_head_on_stderr() {
    let output = idv()
        .args(["request", "GET", "/sessions/s-get"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    assert_eq!(output.stdout, get_session_bytes().as_bytes());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.starts_with("HTTP 200 OK\n"), "{stderr}");
    assert!(
        stderr.contains("content-type: application/json\n"),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("content-length: {}\n", get_session_bytes().len())),
        "{stderr}"
    );
    // The method is read in any case.
    let output = idv()
        .args(["request", "get", "/sessions/s-get"])
        .output()
        .unwrap();
    assert_eq!(output.stdout, get_session_bytes().as_bytes());
}

#[test]
fn bodies_from_files_and_stdin_and_queries_are_signed_and_sent() {
    let dir = tempfile::tempdir().unwrap();
    let body = dir.path().join("session.json");
    std::fs::write(&body, spec().to_string()).unwrap();
    // A body from a file, sent as JSON by default: the sandbox verifies its signature and
    // creates the session.
    let output = idv()
        .args(["request", "POST", "/sessions", "--body"])
        .arg(&body)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stderr).starts_with("HTTP 201 Created"));
    let created: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let session_id = created["session_id"].as_str().unwrap().to_owned();
    assert!(created["client_session_token"].is_string(), "{created}");
    let session: serde_json::Value = serde_json::from_str(&stdout_of(idv().args([
        "request",
        "GET",
        &format!("/sessions/{session_id}"),
    ])))
    .unwrap();
    assert_eq!(session["state"], "ONGOING");

    // A body from stdin, with its content type given.
    let output = idv()
        .args([
            "request",
            "POST",
            "/sessions",
            "--body",
            "-",
            "--content-type",
            "application/json; charset=utf-8",
        ])
        .write_stdin(spec().to_string())
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let other: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_ne!(other["session_id"], created["session_id"]);

    // A query, in the order given: non-Latin documents only when asked for.
    let latin = stdout_of(idv().args(["request", "GET", "/supported-documents"]));
    let all = stdout_of(idv().args([
        "request",
        "GET",
        "/supported-documents",
        "--query",
        "includeNonLatin=true",
    ]));
    let countries = |text: &str| {
        let value: serde_json::Value = serde_json::from_str(text).unwrap();
        value["supported_countries"].as_array().unwrap().len()
    };
    assert!(countries(&all) > countries(&latin), "{all}");
}

#[test]
fn api_errors_exit_1_with_the_code_and_message() {
    // A 404 is an API error like any other here (exit 1, not 3).
    idv()
        .args(["request", "GET", "/sessions/no-such-session"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains("404 SESSION_NOT_FOUND"));
    // A specification the API refuses: its code, message and the property at fault.
    idv()
        .args(["request", "POST", "/sessions", "--body", "-"])
        .write_stdin(r#"{"sdk_config": {"primary_colour": "red"}}"#)
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("400 PAYLOAD_VALIDATION")
                .and(predicate::str::contains("sdk_config.primary_colour")),
        );
    // A hostile error body: one line, every control character escaped.
    let body = serde_json::json!({
        "code": "X\u{1b}[2J", "message": "bad\u{1b}]0;pwned\u{7}\nerror: forged"
    })
    .to_string();
    let base_url = spawn_canned_server(400, body);
    let output = idv()
        .args(["request", "GET", "/anything", "--base-url", &base_url])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(foreign_control(&stderr), None, "{stderr}");
    assert!(stderr.contains("400 X\\u{1b}[2J"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

#[test]
fn usage_errors_exit_2_before_anything_is_sent() {
    let dir = tempfile::tempdir().unwrap();
    for (args, says) in [
        (&["GET", "/sessions?x=1"][..], "--query"),
        (&["GET", "sessions"], "must start with `/`"),
        (&["GET", "/idverify/v1/sessions/x"], "drop /idverify/v1"),
        (&["GET", "/a/../b"], "'..'"),
        (&["GET", "/x", "--query", "nonce=1"], "signature adds"),
        (&["GET", "/x", "--query", "novalue"], "KEY=VALUE"),
        (&["G T", "/x"], "letters only"),
        (&["GET", "/x", "--content-type", "text/plain"], "--body"),
        (&["POST", "/x", "--body", "missing.json"], "missing.json"),
    ] {
        idv()
            .current_dir(dir.path())
            .args(["--base-url", NOTHING_LISTENS, "request"])
            .args(args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(says));
    }
}

#[test]
fn binary_bodies_go_to_pipes_and_files() {
    let media_id = "c8aa83c5-0292-4b4b-9f37-46b6bdca1856";
    let path = format!("/sessions/s-get/media/{media_id}/content");
    let expected = idv()
        .args(["media", "get", "s-get", media_id, "-o", "-"])
        .output()
        .unwrap()
        .stdout;
    assert!(expected.len() > 1000);
    let piped = idv().args(["request", "GET", &path]).output().unwrap();
    assert!(piped.status.success(), "{piped:?}");
    assert_eq!(piped.stdout, expected);
    let stderr = String::from_utf8(piped.stderr).unwrap();
    assert!(stderr.contains("content-type: image/"), "{stderr}");

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("page.img");
    let output = idv()
        .args(["request", "GET", &path, "-o"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    assert!(output.stdout.is_empty());
    assert_eq!(std::fs::read(&file).unwrap(), expected);
    assert_eq!(files_under(dir.path()), ["page.img"]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
}

/// On a terminal: JSON made terminal-safe (line breaks kept), binary refused.
#[cfg(target_os = "linux")]
#[test]
fn terminals_get_safe_text_and_no_binary() {
    let Some((code, shown)) = on_terminal(&["request", "GET", "/sessions/s-hostile"], true) else {
        eprintln!("skipped: util-linux `script` is not installed");
        return;
    };
    assert_eq!(code, 0, "{shown}");
    assert_eq!(foreign_control(&shown), None, "{shown}");
    // JSON escapes the C0 controls itself; the C1 control and the bidi override it carries
    // raw are escaped for the terminal.
    assert!(
        shown.contains(r#""recovery_suggestion":"\u{9b}2J\u{202e}""#),
        "{shown}"
    );
    assert!(shown.contains("HTTP 200 OK"), "{shown}");

    let media_id = "c8aa83c5-0292-4b4b-9f37-46b6bdca1856";
    let path = format!("/sessions/s-get/media/{media_id}/content");
    let (code, shown) = on_terminal(&["request", "GET", &path], true).unwrap();
    assert_eq!(code, 2, "{shown}");
    assert!(
        shown.contains("refusing to write binary content to a terminal"),
        "{shown}"
    );
    assert_eq!(foreign_control(&shown), None, "{shown}");
}

/// A `POST` that fails with `503` is not sent again (it may have had its effect), unless it is
/// marked `--idempotent`: the sandbox's log counts the requests.
#[test]
fn post_is_retried_only_when_marked_idempotent() {
    let keys = idv_sandbox::generate_app_keys().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join("key.pem");
    std::fs::write(&key_file, &keys.private_key_pem).unwrap();
    let sandbox = {
        let keys = keys.clone();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let handle = Sandbox::builder().app_keys(&keys).start().await.unwrap();
                tx.send(std::sync::Arc::new(handle)).unwrap();
                // Serve for the life of the test process.
                std::future::pending::<()>().await;
            });
        });
        rx.recv_timeout(std::time::Duration::from_secs(30)).unwrap()
    };
    let idv_for = |keys: &idv_sandbox::AppKeys, key_file: &std::path::Path, base_url: &str| {
        let mut cmd = bare_idv();
        cmd.env("YOTI_CLIENT_SDK_ID", &keys.sdk_id)
            .env("YOTI_KEY_FILE_PATH", key_file)
            .env("YOTI_IDV_API_URL", base_url);
        cmd
    };
    let creates = || {
        sandbox
            .request_log()
            .iter()
            .filter(|e| e.route == Some(Route::CreateSession) && e.signature_verified)
            .count()
    };
    let body = spec().to_string();

    sandbox.add_faults(Route::CreateSession, [Fault::service_unavailable()]);
    idv_for(&keys, &key_file, sandbox.base_url())
        .args(["request", "POST", "/sessions", "--body", "-"])
        .write_stdin(body.clone())
        .assert()
        .code(1)
        .stderr(predicate::str::contains("503"));
    assert_eq!(creates(), 1);

    sandbox.add_faults(Route::CreateSession, [Fault::service_unavailable()]);
    let output = idv_for(&keys, &key_file, sandbox.base_url())
        .args([
            "request",
            "POST",
            "/sessions",
            "--body",
            "-",
            "--idempotent",
        ])
        .write_stdin(body)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    assert_eq!(creates(), 3);
    assert_eq!(sandbox.created_sessions(), 1);
}

#[test]
fn the_new_commands_have_help_with_an_example() {
    for args in [
        &["request", "--help"][..],
        &["face-capture", "--help"],
        &["face-capture", "upload", "--help"],
        &["ibv", "--help"],
        &["ibv", "put", "--help"],
        &["ibv", "get", "--help"],
        &["ibv", "pdf", "--help"],
        &["ibv", "contact", "--help"],
        &["ibv", "email", "--help"],
        &["devices", "--help"],
        &["devices", "get", "--help"],
        &["devices", "delete", "--help"],
    ] {
        let help = stdout_of(bare_idv().args(args));
        assert!(help.contains("Example"), "{args:?} has no example:\n{help}");
        assert!(
            help.contains(&format!("idv {}", args[0])),
            "{args:?}:\n{help}"
        );
    }
    let help = stdout_of(bare_idv().args(["--help"]));
    for flag in [
        "--auth <MODE>",
        "--auth-url <URL>",
        "YOTI_KEY_PEM",
        "YOTI_AUTH",
    ] {
        assert!(help.contains(flag), "{flag} missing from:\n{help}");
    }
    let help = stdout_of(bare_idv().args(["media", "pull", "--help"]));
    assert!(
        help.contains("--max-bytes <SIZE>") && help.contains("2GiB"),
        "{help}"
    );
}
